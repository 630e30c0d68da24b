"""Identity: the keys (IRI paths under ``id:``) and labels of everything extraction mints.

Every key is a pure function of the (canonicalised) name, so that one real-world
thing gets one IRI whatever document names it and whatever the ingestion order:

* ``person/<canonical_key(full name)>`` with the label ``canonical_spelling(name)``;
* ``organization/<slug>``, ``place/<slug>``, ``project/<slug>`` (reference keys win
  where the thing is known);
* ``agreement/<slug of the canonical label>``;
* ``meeting/<slug of the label>[-<date>]``, or ``-<document key>`` when undated, so
  that two undated meetings of two documents are never merged by accident;
  sessions of a body are ``meeting/<body slug>-session-<n>`` whatever the wording;
* ``post/<person slug>--<title slug>`` with the label ``"<title> (<person label>)"``.

A label is also a pure function of the key's source name, so ``rdfs:label`` stays
one per resource across documents. Slugs are ``[a-z0-9]`` words joined by ``-``,
never empty and at most :data:`MAX_SLUG` characters (longer names keep a prefix and
a short hash).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata

from .refdata import canonical_key, canonical_spelling

__all__ = [
    "MAX_SLUG",
    "agreement_key",
    "is_slug",
    "meeting_key",
    "organization_key",
    "person_key",
    "person_label",
    "place_key",
    "post_key",
    "post_label",
    "project_key",
    "session_key",
    "slugify",
    "title_form",
    "title_words",
]

MAX_SLUG = 90
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: Words a title keeps in lowercase in its canonical form.
#: Endings of Russian, Ukrainian, Belarusian and Kazakh surnames and patronymics, whose Latin spellings vary.
_TRANSLITERATED = re.compile(r"(?:ov|ev|yev|ayev|aev|in|yn|ova|eva|ina|sky|skiy|skii|ski|enko|uk|bek|uly|ulu|kyzy|"
                             r"ich|vich|vna|ovich|evich|ovna|evna|shvili|dze)$", re.IGNORECASE)
_TITLE_SMALL = {"of", "and", "for", "the", "to", "at", "in", "on", "de", "du", "la"}
#: Words that do not distinguish two titles ("Minister of Defense" / "Defense Minister").
_TITLE_STOP = _TITLE_SMALL | {"a", "an", "by", "with", "from", "its", "their", "as", "between"}


@functools.lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Latin letters that decomposition leaves alone (ø, ß, ł…) and their ASCII spelling, from the
    reference data's ``ascii_fold.tsv`` (the same spelling refdata's keys use)."""
    from .refdata import DATA_DIR, read_table

    try:
        rows = read_table(DATA_DIR / "ascii_fold.tsv", ("char", "ascii"), raw=("ascii",))
    except ValueError:
        return {}
    return {ord(r["char"]): r["ascii"] for r in rows if len(r["char"]) == 1}


def _ascii_only(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_fold_table()))
    return "".join(ch if ch.isascii() else ("" if unicodedata.combining(ch) else " ") for ch in text)


def _fold(text: str) -> str:
    text = str(text)
    if not text.isascii():
        text = _ascii_only(text)
    return text.lower()


@functools.lru_cache(maxsize=8192)
def _foreign(text: str) -> str:
    """A short hash of the letters and digits that do not fold to ASCII (Cyrillic, CJK…), or "".

    Folding drops them, so "Dmitry Рогозин" and "Dmitry Петров" would both be "dmitry": the hash keeps
    names that differ only in another script apart."""
    if str(text).isascii():
        return ""
    kept = "".join(ch for ch in unicodedata.normalize("NFKD", str(text).translate(_fold_table()))
                   if ch.isalnum() and not ch.isascii() and not unicodedata.combining(ch))
    if not kept:
        return ""
    return "h" + hashlib.sha1(kept.casefold().encode("utf-8")).hexdigest()[:8]


def _with_foreign(slug: str, text: str, max_length: int = MAX_SLUG) -> str:
    """The slug with the hash of the other-script letters it lost, when it kept some ASCII words."""
    extra = _foreign(text)
    if not extra or not _fold(text).strip(" -'\"’") or not any(c.isalnum() for c in _fold(text)):
        return slug                                     # nothing folded: the slug is a hash of the text already
    return f"{slug[: max_length - len(extra) - 1].rstrip('-')}-{extra}"


@functools.lru_cache(maxsize=8192)
def slugify(text: str, *, max_length: int = MAX_SLUG) -> str:
    """A readable slug: ASCII-folded, lowercase, ``[a-z0-9]`` runs joined by ``-``; never empty.

    Letters of other scripts, which folding drops, are kept apart by a short hash suffix."""
    return _with_foreign(_slug(text, max_length - 10 if not str(text).isascii() else max_length), text,
                         max_length)


def _slug(text: str, max_length: int) -> str:
    base = _NON_ALNUM.sub("-", re.sub(r"['’\"]", "", _fold(text))).strip("-")
    if not base:
        normal = " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()
        return "h" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:10]
    if len(base) > max_length:
        digest = hashlib.sha1(base.encode("utf-8")).hexdigest()[:8]
        base = base[: max_length - 9].rstrip("-") + "-" + digest
    return base


def is_slug(text: str) -> bool:
    return bool(_SLUG_RE.match(text)) and len(text) <= MAX_SLUG


def _clip(slug: str) -> str:
    return slug if len(slug) <= MAX_SLUG else slugify(slug)


@functools.lru_cache(maxsize=4096)
def person_key(name: str) -> str:
    return "person/" + _with_foreign(_clip(canonical_key(name)), name)


@functools.lru_cache(maxsize=4096)
def person_label(name: str) -> str:
    """The display name: :func:`canonical_spelling`; in a name transliterated from Russian or Kazakh
    (a surname in -ov, -ev, -in, -bek…), every word the key rules still change is written as its key
    ("Anatoly" and "Anatoli Rogozin" share a key, so both give "Anatoli Rogozin"): one label per key
    for the names whose spellings vary, and other names left as written."""
    spelled = canonical_spelling(name).split()
    if not any(_TRANSLITERATED.search(word) for word in spelled):
        return " ".join(spelled)                        # "Kelly Taylor", "Nguyen Van An" stay as written
    words = []
    for word in spelled:
        key = canonical_key(word)
        if key != _slug(word, MAX_SLUG) and key.replace("-", "").isalpha():
            word = "-".join(part[:1].upper() + part[1:] for part in key.split("-"))
        words.append(word)
    return " ".join(words)


def organization_key(label: str) -> str:
    return "organization/" + slugify(label)


def place_key(label: str) -> str:
    return "place/" + slugify(label)


@functools.lru_cache(maxsize=4096)
def project_key(label: str) -> str:
    return "project/" + _with_foreign(_clip(canonical_key(label)), label)


def agreement_key(label: str) -> str:
    return "agreement/" + slugify(label)


def meeting_key(label: str, date: dt.date | None = None, document: str | None = None) -> str:
    """A meeting's key: its label and date; without a date, the document it is reported in."""
    suffix = date.isoformat() if date else (slugify(document, max_length=20) if document else "")
    slug = slugify(label, max_length=MAX_SLUG - len(suffix) - 1)
    return f"meeting/{slug}-{suffix}" if suffix else f"meeting/{slug}"


def session_key(body_key: str, number: int) -> str:
    """The n-th session of a body, however the article words it ("third meeting", "3rd session")."""
    body = body_key.rsplit("/", 1)[-1]
    return f"meeting/{slugify(body, max_length=MAX_SLUG - 20)}-session-{int(number)}"


@functools.lru_cache(maxsize=4096)
def title_form(title: str) -> str:
    """The canonical wording of a post title: spacing collapsed, words capitalised but for small words."""
    words = []
    for i, word in enumerate(title.replace("’", "'").split()):
        low = word.lower()
        if i and low in _TITLE_SMALL:
            words.append(low)
        elif word.isupper() and len(word) > 1:
            words.append(word)                      # CEO, PM
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(words)


@functools.lru_cache(maxsize=4096)
def title_words(title: str) -> frozenset[str]:
    """The words that make a title: two wordings with the same words are one post."""
    return frozenset(w for w in _NON_ALNUM.split(_fold(title)) if w and w not in _TITLE_STOP)


def post_key(person: str, title: str) -> str:
    """``post/<person slug>--<title slug>`` for one official and one title wording."""
    person_slug = person.rsplit("/", 1)[-1]
    return f"post/{person_slug}--{slugify(title_form(title), max_length=60)}"


def post_label(title: str, person_label_: str) -> str:
    return f"{title_form(title)} ({person_label_})"
