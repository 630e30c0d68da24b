"""Reading articles: ``.txt``, ``.jsonl`` and ``.html`` all become one :class:`Article`.

Inputs are normalised here, once, so nothing downstream knows about file
formats. A bad input never raises out of :func:`read_path`: it is yielded as an
:class:`~kgraph.errors.ArticleError` naming the file (and line), so one broken
line does not stop the rest of the file from being ingested.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import ArticleError
from .namespaces import DOCUMENT_BASE
from .sparqltext import is_iri

#: The seeds' first line: `` date 2019-08-27 <outlet or the first words of the text>``.
#: An article's date, and its URL: the one written form of each, which the file readers, the HTML reader and
#: the API's model (as patterns for clients) share.
DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
URL_PATTERN = r"https?://[^\s<>\"{}|\\^`]+"
_TXT_DATE_LINE = re.compile(rf"^\s*date\s+({DATE_PATTERN})\b[ \t]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: A URL that is safe to use as an IRI (dcterms:source) and as the document's identity.
_URL = re.compile(URL_PATTERN)
_FIELDS = {"id": str, "url": str, "outlet": str, "date": str, "title": str, "text": str}

DEFAULT_MAX_BYTES = 5_000_000
#: The longest value of each field but the text (whose limit is a setting), in characters: far above any
#: real one, and a guard for the pages that show them and the store that writes them (a term over 16 MiB
#: failed the commit of its whole batch). The API's URL limit is the same.
MAX_FIELD_CHARS = {"id": 1_000, "url": 2_000, "outlet": 1_000, "date": 100, "title": 10_000}


@dataclass(frozen=True)
class Article:
    """One news article, whatever file it came from."""

    text: str
    source: str
    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    date: dt.date | None = None
    title: str | None = None

    @cached_property
    def key(self) -> str:
        """Stable identity: the URL when known, else the text's content hash.

        Re-ingesting the same article (or the same URL with a corrected text)
        gives the same document IRI, which is what makes re-ingest a replace.
        Computed once (the fields are frozen): hashing a long text on every use
        cost 0.5 % of extraction.
        """
        basis = ("url:" + self.url.strip()) if self.url else ("text:" + self.text)
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]

    @property
    def iri(self) -> str:
        return DOCUMENT_BASE + self.key


def parse_date(value: Any, *, where: str = "") -> dt.date | None:
    """An ISO ``YYYY-MM-DD`` date or ``None``; impossible dates (2019-02-30) are errors."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ArticleError(f"field 'date' must be a YYYY-MM-DD string or null, not {type(value).__name__}", where=where)
    text = value.strip()
    if not re.fullmatch(DATE_PATTERN, text):
        raise ArticleError(f"field 'date' must look like YYYY-MM-DD, got {value!r}", where=where)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ArticleError(f"field 'date' is not a valid date: {value!r} ({exc})", where=where) from None


def _no_surrogate(value: str, field: str, where: str) -> None:
    """JSON may escape half of a surrogate pair (``"\\ud800"``), which is no character: no RDF literal
    can hold it, and the document would fail where it is written, with the others of its batch."""
    found = _SURROGATE.search(value)
    if found:
        raise ArticleError(f"field {field!r} holds a lone surrogate (U+{ord(found.group()):04X}), which is not "
                           "a character", where=where)


def clean_text(text: str, *, where: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Check and normalise an article text; raise :class:`ArticleError` when unusable."""
    _no_surrogate(text, "text", where)
    if len(text.encode("utf-8")) > max_bytes:
        raise ArticleError(f"text is larger than the limit of {max_bytes} bytes", where=where)
    if "\x00" in text:
        raise ArticleError("text contains NUL bytes: binary data, not an article", where=where)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _CONTROL.search(text) and len(_CONTROL.findall(text)) > max(3, len(text) // 100):
        raise ArticleError("text is mostly control characters: binary data, not an article", where=where)
    text = _CONTROL.sub(" ", text)
    if not text.strip():
        raise ArticleError("text is empty", where=where)
    if sum(ch.isalpha() for ch in text) < 3:
        raise ArticleError("text has no words", where=where)
    return text


def article_from_mapping(obj: Any, *, where: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Build an :class:`Article` from a JSON object (a corpus line or an API body)."""
    if not isinstance(obj, Mapping):
        raise ArticleError(f"expected a JSON object, got {type(obj).__name__}", where=where)
    for name, typ in _FIELDS.items():
        value = obj.get(name)
        if value is not None and not isinstance(value, typ):
            raise ArticleError(f"field {name!r} must be a string or null, not {type(value).__name__}", where=where)
    if "text" not in obj or obj["text"] is None:
        raise ArticleError("field 'text' is missing", where=where)
    for name, most in MAX_FIELD_CHARS.items():
        if isinstance(obj.get(name), str):
            _no_surrogate(obj[name], name, where)
            if len(obj[name]) > most:
                raise ArticleError(f"field {name!r} has {len(obj[name])} characters; at most {most} are taken",
                                   where=where)
    text = clean_text(obj["text"], where=where, max_bytes=max_bytes)
    url = (obj.get("url") or "").strip() or None
    if url is not None and not is_article_url(url):
        raise ArticleError(f"field 'url' must be an absolute http(s) URL, got {url[:200]!r}", where=where)
    return Article(
        text=text,
        source=where,
        id=obj.get("id") or None,
        url=url,
        outlet=obj.get("outlet") or None,
        date=parse_date(obj.get("date"), where=where),
        title=obj.get("title") or None,
    )


def is_article_url(url: str) -> bool:
    """Whether ``url`` may be an article's URL: an absolute http(s) URL the store takes as an IRI, within
    the field's length limit."""
    return len(url) <= MAX_FIELD_CHARS["url"] and bool(_URL.fullmatch(url)) and is_iri(url)


#: Byte order marks of the encodings a text editor may save "Unicode" text in (Notepad's is UTF-16LE),
#: the UTF-32 ones first: UTF-32LE's mark begins with UTF-16LE's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _transcoded(raw: bytes, where: str) -> bytes:
    """``raw`` as UTF-8: a text or JSON Lines file that opens with a UTF-16 or UTF-32 byte order mark is
    read in that encoding, which the mark names without doubt. Why: such a file was rejected as "not
    valid UTF-8 at byte 0", or as NUL bytes, with nothing said of what it was."""
    error = None
    for bom, codec in _BOMS:                       # FF FE 00 00: UTF-32LE, or UTF-16LE opening with U+0000
        if raw.startswith(bom):
            try:
                return raw.decode(codec).encode("utf-8")
            except UnicodeDecodeError as exc:
                error = error or ArticleError(f"not valid {codec.upper()} (it opens with a {codec.upper()} byte "
                                              f"order mark) at byte {exc.start}", where=where)
    if error is not None:
        raise error
    return raw


def _decode(raw: bytes, where: str) -> str:
    if not raw.strip():
        raise ArticleError("file is empty", where=where)
    if b"\x00" in raw[:65536]:
        raise ArticleError("file contains NUL bytes: binary data, not an article", where=where)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not valid UTF-8 at byte {exc.start}", where=where) from None


def _read_bytes(path: Path, where: str) -> bytes:
    """A file's bytes; a pipe or a device (which may never end) and a file that cannot be read are the
    file's own error, so that the other inputs are still read."""
    try:
        if not path.is_file():
            raise ArticleError("not a regular file (a pipe, a socket or a device)", where=where)
        return path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read file: {exc.strerror or exc}", where=where) from None


def read_txt(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ArticleError]:
    """A raw text article; a first line `` date YYYY-MM-DD …`` gives its date."""
    where = str(path)
    try:
        text = _decode(_transcoded(_read_bytes(path, where), where), where)
        date = None
        match = _TXT_DATE_LINE.match(text)
        if match:
            date = parse_date(match.group(1), where=f"{where}:1")
            text = text[match.end():]
        yield Article(text=clean_text(text, where=where, max_bytes=max_bytes), source=where, date=date)
    except ArticleError as err:
        yield err


def read_jsonl(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ArticleError]:
    """One article per JSON line; a bad line is reported with its number and skipped."""
    try:
        raw = _transcoded(_read_bytes(path, str(path)), str(path))
    except ArticleError as err:
        yield err
        return
    if not raw.strip():
        yield ArticleError("file is empty", where=str(path))
        return
    for number, line in enumerate(raw.split(b"\n"), start=1):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        try:
            try:
                obj = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))  # a BOM may open the file
            except UnicodeDecodeError as exc:
                raise ArticleError(f"not valid UTF-8 at byte {exc.start}", where=where) from None
            except json.JSONDecodeError as exc:
                # JSON takes a lone CR as white space, so a file of old Mac line ends reads as one line
                # of JSON values with "Extra data" after the first: say why (only then: a CR in a line
                # that is wrong in another way is white space)
                cr = " (the line holds a carriage return alone: JSON Lines ends each line with \\n)" \
                    if exc.msg == "Extra data" and b"\r" in line.rstrip(b"\r") else ""
                raise ArticleError(f"invalid JSON: {exc.msg} (column {exc.colno}){cr}", where=where) from None
            except RecursionError:
                raise ArticleError("invalid JSON: nested too deeply", where=where) from None
            yield article_from_mapping(obj, where=where, max_bytes=max_bytes)
        except ArticleError as err:
            yield err


def read_html(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ArticleError]:
    """An HTML page: its main text, without navigation, scripts and page furniture."""
    from .htmltext import html_to_article_fields

    where = str(path)
    try:
        raw = _read_bytes(path, where)
        if not raw.strip():
            raise ArticleError("file is empty", where=where)
        fields = html_to_article_fields(raw, where=where)
        yield article_from_mapping(fields, where=where, max_bytes=max_bytes)
    except ArticleError as err:
        yield err


READERS = {".txt": read_txt, ".text": read_txt, ".jsonl": read_jsonl, ".ndjson": read_jsonl,
           ".html": read_html, ".htm": read_html}


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ArticleError]:
    """Yield every article (or the error that replaces it) from one file or folder."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS):
            yield from read_path(child, max_bytes=max_bytes)
        return
    if not path.exists():
        yield ArticleError("no such file", where=str(path))
        return
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield ArticleError(f"unknown file type {path.suffix!r} (expected .txt, .jsonl or .html)", where=str(path))
        return
    yield from reader(path, max_bytes=max_bytes)
