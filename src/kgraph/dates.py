"""Date expressions in news text, resolved to calendar dates.

:func:`find_dates` scans a text once with one compiled regular expression and
returns every date expression with its character offsets and what it resolves
to; :func:`resolve` does the same for one expression. Resolution follows the
annotation conventions (``GOLD.md``):

* full dates in any common English order: ``27 August 2019``, ``December 23, 1995``,
  ``Aug. 21, 2020``, ``Thursday, July 14, 2022``, ``07th December, 2021``, ``the 5th of May
  2021``, ``May 5th, 2021``, ``2019-08-27``;
* numeric dates: dotted ones are day first (``12.10.2022`` is 12 October 2022: every locale
  that writes dots writes the day first); slashed ones (``05/05/2021``) are day first in most
  of the world and month first in the United States, and the article does not say which, so
  they give a day only where both readings agree or only one is a valid date
  (``25/05/2021``, ``05/25/2021``), and otherwise just the year;
* a day and month without a year (``June 13``, ``on 2 July``) take the year of the
  article date, or the year before when that would put them more than half a year
  after the article (an article of 2018-01-05 writing "December 28");
* ``today``, ``yesterday``, ``tomorrow`` and weekdays (``on Tuesday`` = the latest
  Tuesday on or before the article date; ``next Tuesday`` after it) resolve against
  the article date, and to nothing when the article has none;
* ranges (``June 3-4``, ``3-4 June``, ``2016-2025``), bare months (``in December 2016``)
  and bare years give no day: their ``value`` is None (``year`` is kept where known).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["ANCHOR_WORDS", "MONTHS", "WEEKDAYS", "DateMention", "find_dates", "resolve"]

MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
        ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
        ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1):
    for _name in _names:
        MONTHS[_name] = _number

WEEKDAYS = {name: i for i, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}

_MONTH = r"(?P<{g}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:" + "|".join(WEEKDAYS) + r")"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>1[89]\d\d|2[01]\d\d)"
_DASH = r"\s*[-–—]\s*"
#: "the 5th of May": "of" between the day and the month, only after an ordinal day.
_OF = r"(?:(?<=st|nd|rd|th)\s+of)?\s+"


def _g(pattern: str, **names: str) -> str:
    return pattern.format(**names) if names else pattern


_PATTERNS = [
    # ranges first, so that their parts are not read as single dates
    ("range", rf"\b{_g(_MONTH, g='rm')}\s+{_g(_DAY, g='rd1')}{_DASH}{_g(_DAY, g='rd2')}\b(?:,?\s+{_g(_YEAR, g='ry')})?"),
    ("range", rf"\b{_g(_DAY, g='rd3')}{_DASH}{_g(_DAY, g='rd4')}\s+{_g(_MONTH, g='rm2')}(?:,?\s+{_g(_YEAR, g='ry2')})?"),
    ("range", rf"\b{_g(_YEAR, g='yr1')}{_DASH}{_g(_YEAR, g='yr2')}\b"),
    ("iso", rf"\b{_g(_YEAR, g='iy')}-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b"),
    ("dotted", rf"\b(?P<od>[0-3]?\d)\.(?P<om>[01]?\d)\.{_g(_YEAR, g='oy')}\b(?!\.\d)"),
    ("slashed", rf"\b(?P<sa>[0-3]?\d)/(?P<sb>[0-3]?\d)/{_g(_YEAR, g='sy')}\b(?!/\d)"),
    ("dmy", rf"\b(?:{_WEEKDAY},?\s+(?:the\s+)?)?{_g(_DAY, g='d1')}{_OF}{_g(_MONTH, g='m1')},?\s+{_g(_YEAR, g='y1')}\b"),
    ("mdy", rf"\b(?:{_WEEKDAY},?\s+)?{_g(_MONTH, g='m2')}\s+{_g(_DAY, g='d2')}(?:,\s*|\s+){_g(_YEAR, g='y2')}\b"),
    ("my", rf"\b{_g(_MONTH, g='m3')},?\s+(?:of\s+)?{_g(_YEAR, g='y3')}\b"),
    ("md", rf"\b(?:{_WEEKDAY},?\s+)?{_g(_MONTH, g='m4')}\s+{_g(_DAY, g='d4')}\b(?![-–]\d)"),
    ("dm", rf"\b(?:{_WEEKDAY},?\s+(?:the\s+)?)?{_g(_DAY, g='d5')}{_OF}{_g(_MONTH, g='m5')}\b"),
    ("relative", r"\b(?P<rel>today|yesterday|tomorrow)\b"),
    ("weekday", rf"\b(?P<wd>{_WEEKDAY})\b"),
    ("year", rf"\b{_g(_YEAR, g='yy')}\b"),
]
#: Matched on the lowercased text (faster than IGNORECASE); case is read back from the original.
_DATE_RE = re.compile("|".join(f"(?P<k_{i}>{p})" for i, (_, p) in enumerate(_PATTERNS)))
_KINDS = [k for k, _ in _PATTERNS]
#: The word before a weekday that says which one it is ("last Monday"), ending where the white space before it starts.
_MODIFIER = re.compile(r"\b(last|next|this|past)$", re.IGNORECASE)
#: Capitalised month names that are also words: "May" and "March" count only with a day or year.
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan", "dec", "sun", "sat"}


@dataclass(frozen=True)
class DateMention:
    """One date expression: where it is, what it says, and what it resolves to."""

    start: int
    end: int
    text: str
    kind: str                  # dmy | mdy | md | dm | iso | dotted | slashed | my | year | range | relative | weekday
    value: dt.date | None      # the day, when the expression names one
    year: int | None = None    # the year, when known (also for months, years and year ranges)

    @property
    def is_day(self) -> bool:
        return self.value is not None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _year_for(month: int, day: int, ref: dt.date | None) -> dt.date | None:
    """A day and month without year: the article's year, or the year before if that is far ahead."""
    if ref is None:
        return None
    value = _safe_date(ref.year, month, day)
    if value is not None and (value - ref).days > 183:
        value = _safe_date(ref.year - 1, month, day)
    return value


def _shift(ref: dt.date, days: int) -> dt.date | None:
    """``ref`` moved by ``days``, or None past the ends of the calendar (0001-01-01, 9999-12-31)."""
    try:
        return ref + dt.timedelta(days=days)
    except OverflowError:
        return None


def _weekday(name: str, modifier: str, ref: dt.date | None) -> dt.date | None:
    if ref is None:
        return None
    target = WEEKDAYS[name.lower()]
    modifier = modifier.strip().lower()
    if modifier == "next":
        return _shift(ref, (target - ref.weekday() - 1) % 7 + 1)
    back = (ref.weekday() - target) % 7
    if modifier == "last" and back == 0:
        back = 7
    return _shift(ref, -back)


class _Groups:
    """The named groups of a match on the lowercased text, read back from the original text."""

    __slots__ = ("m", "original")

    def __init__(self, m: re.Match[str], original: str) -> None:
        self.m, self.original = m, original

    def get(self, name: str, default: str | None = None) -> str | None:
        """The group's text, or ``default`` when the group took no part in the match (an optional part)."""
        start = self.m.start(name)
        return default if start < 0 else self.original[start:self.m.end(name)]

    def __getitem__(self, name: str) -> str:
        """A group the matched alternative always has (a required part of its kind's pattern)."""
        value = self.get(name)
        if value is None:
            raise KeyError(f"the date group {name!r} took no part in the match")
        return value


def _modifier_before(text: str, at: int) -> str:
    """The word ``last``, ``next``, ``this`` or ``past`` before ``at`` with white space between, or "".

    Why not one regex ending in ``\\s+$`` searched up to ``at``: it is tried at every character from the
    text's start, once per weekday, which made a long text's dates quadratic (an 800,000-character text
    spent 4 of its 7 seconds of extraction there). The white space is walked back here, and the word
    is looked for only in the four characters before it (``\\b`` still sees the character before those).
    """
    end = at
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == at:
        return ""
    found = _MODIFIER.search(text, max(0, end - 4), end)
    return found.group(1) if found else ""


def _mention(m: re.Match[str], ref: dt.date | None, original: str) -> DateMention | None:
    kind = _KINDS[int(m.lastgroup[2:])] if m.lastgroup and m.lastgroup.startswith("k_") else \
        next(_KINDS[i] for i in range(len(_KINDS)) if m.group(f"k_{i}") is not None)
    g = _Groups(m, original)
    value: dt.date | None = None
    year: int | None = None
    if kind == "range":
        year_text = g.get("ry") or g.get("ry2") or g.get("yr2")
        year = int(year_text) if year_text else (ref.year if ref and (g.get("rm") or g.get("rm2")) else None)
    elif kind == "iso":
        value = _safe_date(int(g["iy"]), int(g["im"]), int(g["id"]))
    elif kind == "dotted":
        value = _safe_date(int(g["oy"]), int(g["om"]), int(g["od"]))
        year = int(g["oy"])
    elif kind == "slashed":
        year = int(g["sy"])
        readings = {_safe_date(year, int(g["sb"]), int(g["sa"])), _safe_date(year, int(g["sa"]), int(g["sb"]))}
        readings.discard(None)
        value = readings.pop() if len(readings) == 1 else None
    elif kind == "dmy":
        value = _safe_date(int(g["y1"]), _month(g["m1"]), int(g["d1"]))
    elif kind == "mdy":
        value = _safe_date(int(g["y2"]), _month(g["m2"]), int(g["d2"]))
    elif kind == "my":
        year = int(g["y3"])
    elif kind == "md":
        if g["m4"].lower().rstrip(".") in _AMBIGUOUS_MONTHS and not g["m4"][0].isupper():
            return None
        value = _year_for(_month(g["m4"]), int(g["d4"]), ref)
    elif kind == "dm":
        if g["m5"].lower().rstrip(".") in _AMBIGUOUS_MONTHS and not g["m5"][0].isupper():
            return None
        value = _year_for(_month(g["m5"]), int(g["d5"]), ref)
    elif kind == "relative":
        if ref is not None:
            value = _shift(ref, {"today": 0, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()])
    elif kind == "weekday":
        value = _weekday(g["wd"], _modifier_before(original, m.start()), ref)
    elif kind == "year":
        year = int(g["yy"])
    if value is not None:
        year = value.year
    return DateMention(m.start(), m.end(), original[m.start():m.end()], kind, value, year)


#: Where a date expression can be: a month or weekday name, a relative day, a year.
_ANCHOR = re.compile(r"(?i)\b(?:" + "|".join(sorted({*MONTHS, *WEEKDAYS}, key=len, reverse=True))
                     + r"|today|yesterday|tomorrow|1[89]\d\d|2[01]\d\d)\b")


#: Numeric dates are one token each ("12.10.2022"): anchors of their own, found in the text.
_NUMERIC_ANCHOR = re.compile(r"(?<![\w./])[0-3]?\d[./][0-3]?\d[./](?:1[89]|2[01])\d\d\b")
#: What every numeric date contains (a digit, "." or "/", a digit); most texts have none, and this is much
#: cheaper to look for. Each pattern starts with its separator, a literal the regex engine scans for quickly
#: (``\d[./]\d`` would be tried at every character).
_DIGIT_SEPS = (re.compile(r"\.(?<=\d\.)(?=\d)"), re.compile(r"/(?<=\d/)(?=\d)"))
_WORD_START = re.compile(r"(?<!\w)\w")
ANCHOR_WORDS = frozenset({*MONTHS, *WEEKDAYS, "today", "yesterday", "tomorrow"})


def find_dates(text: str, ref: dt.date | None = None, anchors: list[tuple[int, int]] | None = None
               ) -> list[DateMention]:
    """Every date expression of ``text``, left to right, resolved against the article date ``ref``.

    The full expression is only tried around anchors (month and weekday names, years,
    relative days, numeric dates), which keeps this fast on long texts. A caller that has already found
    them (a tokenizer pass) may give their ``(start, end)`` character offsets.
    """
    out: list[DateMention] = []
    covered = 0
    lowered = text.lower()
    if len(lowered) != len(text):                 # a rare character whose lowercase is longer
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if anchors is None:
        anchors = [(a.start(), a.end()) for a in _ANCHOR.finditer(text)]
    numeric = [(a.start(), a.end()) for a in _NUMERIC_ANCHOR.finditer(text)] if any(p.search(text) for p in _DIGIT_SEPS) else []
    if numeric:
        anchors = sorted([*anchors, *numeric])
    for anchor_start, anchor_end in anchors:
        if anchor_start < covered:
            continue
        found = None
        starts = [anchor_start]
        if not text[anchor_start].isdigit():     # a day before the month ("27 August", "3-4 June", "07th")
            before = [w.start() for w in _WORD_START.finditer(text, max(covered, anchor_start - 16), anchor_start)]
            starts[:0] = [b for b in before[-2:] if text[b].isdigit()]
        for start in starts:
            candidate = _DATE_RE.match(lowered, start, min(len(text), anchor_end + 40))
            if candidate is not None and candidate.end() > anchor_start:
                found = candidate
                break
        if found is None:
            continue
        mention = _mention(found, ref, text)
        covered = found.end()
        if mention is not None:
            out.append(mention)
    return out


def resolve(text: str, ref: dt.date | None = None) -> dt.date | None:
    """The day one date expression names, or None (no date, a range, a month, a year)."""
    found = find_dates(text, ref)
    return found[0].value if found else None
