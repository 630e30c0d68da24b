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
    "PlaceSpellings",
    "agreement_key",
    "consonant_skeleton",
    "edit_distance",
    "is_slip",
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
    "spelling_budget",
    "spelling_words",
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


# -- misspelt place names ------------------------------------------------------------------
#
# News transliterates place names by ear ("Baikonyr", "Bakonyr" for Baikonur), so a name that no list has may
# be a slip of one that a list has. The rule is deliberately narrow, because merging two real places is worse
# than leaving a slip apart:
# * only words of at least SPELLING_MIN_LETTERS letters: shorter names have too many real neighbours one or
#   two letters away;
# * the same first letter: a slip is made inside a word ("Western"/"Eastern" are two places);
# * at most one edit against a known word of up to seven letters, two against a longer one (a slip every four
#   letters is what hearing a foreign name gives; "Bakonyr" is two edits from the eight letters of "Baikonur");
# * the same consonants in the same order: transliteration varies the vowels, "y", "h" and doubled letters
#   ("Baikonyr", "Kazakstan", "Sriharikotta"), while two real places close in spelling mostly differ in a
#   consonant ("Ravensburg"/"Regensburg"); those that do not ("Hertford"/"Hartford") are kept apart by
#   ``blocked``.
#   Measured on the 16,000 geonames towns of seven letters or more that no kgraph list has, the edit budget
#   alone would join 4.4 % of them to a known city, with the consonant condition 1.4 % — and those are real
#   towns the ``blocked`` set keeps as themselves;
# * one candidate place only, and never a name that is itself a real place or an ordinary word (``blocked``).

#: Shortest name (in letters) the spelling rule applies to.
SPELLING_MIN_LETTERS = 7


def spelling_budget(length: int) -> int:
    """Edits allowed between a written name and a known one of ``length`` letters (0: the rule does not apply)."""
    if length < SPELLING_MIN_LETTERS:
        return 0
    return 1 if length <= 7 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: a swap of two neighbours is one edit) of ``a``
    and ``b``, or ``limit + 1`` as soon as it must exceed ``limit`` (rows are cut off early: cheap for the
    near-misses the spelling rule looks at)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


_SLIP_LETTERS = re.compile(r"[aeiouyh]")
_DOUBLED = re.compile(r"(.)\1+")


def consonant_skeleton(word: str) -> str:
    """The letters a transliteration slip keeps: ``word`` without vowels, "y" and "h", doubled letters single
    ("baikonur", "bakonyr" -> "bknr")."""
    return _DOUBLED.sub(r"\1", _SLIP_LETTERS.sub("", word))


def is_slip(word: str, known: str) -> bool:
    """Whether the folded word ``word`` may be a misspelling of the known folded word ``known`` (the rule above)."""
    budget = spelling_budget(len(known))
    return bool(budget) and len(word) >= SPELLING_MIN_LETTERS and word != known and word[:1] == known[:1] \
        and word.isalpha() and consonant_skeleton(word) == consonant_skeleton(known) \
        and edit_distance(word, known, budget) <= budget


def spelling_words(name: str) -> tuple[str, ...]:
    """The folded words of a name as the spelling rule compares them ("Baikonur city" -> ("baikonur", "city"))."""
    return tuple(_NON_ALNUM.split(re.sub(r"['’\"]", "", _fold(name)).strip()) if name else ())


class PlaceSpellings:
    """Known place names, indexed by the first letter and consonants of their words, and the one place a
    misspelt name is a slip of.

    ``names`` are (name, key) pairs of the places a pipeline knows (reference places, spaceports, gazetteer
    cities); ``blocked`` are names that must stay themselves (other real places, ordinary words), folded by
    :func:`spelling_words`. Two names are one place's spellings when they have the same number of words, all
    equal but one, and that one is a slip of the other (:func:`is_slip`). Since a slip keeps the first letter
    and the consonants, a lookup is one dictionary access per word of the name, then an edit distance for the
    few names found (of the same length within two letters): nothing measurable per document."""

    def __init__(self, names: list[tuple[str, str]] | list[list[str]], blocked: frozenset[str] | set[str]) -> None:
        self.exact: dict[tuple[str, ...], set[str]] = {}
        self.index: dict[tuple[str, str], dict[str, list[tuple[tuple[str, ...], str, int]]]] = {}
        for name, key in names:
            words = spelling_words(name)
            if not words or not all(words):
                continue
            self.exact.setdefault(words, set()).add(key)
            for position, word in enumerate(words):
                if spelling_budget(len(word)) and word.isalpha():
                    self.index.setdefault((word[0], consonant_skeleton(word)), {}).setdefault(word, []).append(
                        (words, key, position))
        self.blocked = frozenset(blocked)
        self._resolved: dict[str, str | None] = {}

    def _candidates(self, word: str) -> list[tuple[tuple[str, ...], str, int]]:
        """(known name, key, position) of the known names with a word at ``position`` ``word`` is a slip of."""
        if len(word) < SPELLING_MIN_LETTERS or not word.isalpha():
            return []
        near = self.index.get((word[0], consonant_skeleton(word)), {})
        return [found for other, names in near.items() if is_slip(word, other) for found in names]

    def reaches(self, word: str) -> bool:
        """Whether the folded ``word`` is a slip of a word of some known name: the only words worth blocking."""
        return bool(self._candidates(word))

    def resolve(self, name: str) -> str | None:
        """The key of the one known place ``name`` is a slip of, or None (known as written, blocked, no
        candidate, or two candidates). Answers are remembered: the same unlisted names recur across articles."""
        if name not in self._resolved:
            if len(self._resolved) >= 50000:
                self._resolved.clear()
            self._resolved[name] = self._resolve(name)
        return self._resolved[name]

    def _resolve(self, name: str) -> str | None:
        words = spelling_words(name)
        if not words or not all(words) or words in self.exact or " ".join(words) in self.blocked:
            return None
        found: set[str] = set()
        for position, word in enumerate(words):
            if word in self.blocked:
                continue
            found.update(key for known, key, p in self._candidates(word)
                         if p == position and len(known) == len(words)
                         and known[:p] == words[:p] and known[p + 1:] == words[p + 1:])
        return next(iter(found)) if len(found) == 1 else None
