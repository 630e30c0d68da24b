"""Main text of an HTML page, with navigation and page furniture dropped.

lxml's HTML parser never resolves external entities or fetches DTDs, so a
hostile page cannot make kgraph read files or the network. Deeply nested or
broken markup is repaired by the parser (``huge_tree`` stays off, which caps
depth), and a page the parser cannot make sense of is an ArticleError.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree, html

from .articles import DATE_PATTERN, MAX_FIELD_CHARS, is_article_url, parse_date
from .errors import ArticleError

#: Elements that never hold the article body.
_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
         "iframe", "svg", "button", "select", "figure", "figcaption")
#: class/id words that mark page furniture (menus, related links, share bars, comments).
_FURNITURE = re.compile(r"\b(nav|menu|breadcrumb|footer|header|sidebar|related|share|social|comment|advert|"
                        r"promo|popular|read-?also|subscribe|cookie|banner|tags?)\b", re.I)
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "section", "article", "main", "br", "tr",
           "blockquote", "pre", "dd", "dt", "td"}
_DATE_META = ("article:published_time", "og:published_time", "date", "pubdate", "publishdate", "dc.date",
              "dcterms.issued", "datePublished")


def _text_of(node: Any) -> str:
    parts: list[str] = []

    def walk(el: Any) -> None:
        if not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            return
        block = el.tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(node)
    text = "".join(parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n\n".join(line for line in lines if line)


#: A ``<meta charset=…>`` or ``<meta http-equiv="Content-Type" content="…; charset=…">`` (HTML looks in
#: the first 1,024 bytes; some pages put it later).
_DECLARED_CHARSET = re.compile(rb"<meta\b[^>]*charset\s*=", re.IGNORECASE)


def _undeclared_encoding(raw: bytes) -> str | None:
    """UTF-8 for a page that names no encoding (no BOM, no meta charset) and is valid UTF-8, else None
    (the page's own declaration, or libxml2's guess). Without it, libxml2 reads such a page as Latin-1
    and stored "Korolëv" as "KorolÃ«v"; UTF-8 is what every other input of kgraph is read as."""
    if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _DECLARED_CHARSET.search(raw[:8192]):
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def _is_date(text: str) -> bool:
    """Whether :func:`~kgraph.articles.parse_date` takes ``text`` (the one reading of a date)."""
    try:
        parse_date(text)
    except ArticleError:
        return False
    return True


def html_to_article_fields(raw: bytes, *, where: str) -> dict[str, Any]:
    """``{"text", "title", "date", "url"}`` of a page, for :func:`kgraph.articles.article_from_mapping`."""
    try:
        parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True,
                                 encoding=_undeclared_encoding(raw))
        root = html.document_fromstring(raw, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ArticleError(f"cannot parse HTML: {exc}", where=where) from None
    title_el = root.find(".//title")
    h1 = root.find(".//h1")
    title = " ".join((h1.text_content() if h1 is not None else title_el.text_content() if title_el is not None
                      else "").split())[:MAX_FIELD_CHARS["title"]] or None   # a page's furniture: cut, not refused
    date = None
    for meta in root.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip()
        if name.lower() in {m.lower() for m in _DATE_META}:
            match = re.match(DATE_PATTERN, meta.get("content") or "")
            if match and _is_date(match.group(0)):      # a page's bad tag is skipped, not the page
                date = match.group(0)
                break
    url = None
    canonical = root.find(".//link[@rel='canonical']")
    href = (canonical.get("href") or "").strip() if canonical is not None else ""
    if href and is_article_url(href):                    # else the page has no URL, as without the tag
        url = href
    for el in list(root.iter(*_DROP)):
        el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marker = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}"
        if marker.strip() and _FURNITURE.search(marker) and el.tag.lower() not in ("body", "html", "article", "main"):
            el.drop_tree()
    main = next((el for el in (root.find(".//article"), root.find(".//main"), root.find(".//body"))
                 if el is not None), root)
    return {"text": _text_of(main), "title": title, "date": date, "url": url}
