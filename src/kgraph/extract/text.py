"""Page noise and sentences: the first two components of the pipeline.

``kgraph_noise_filter_v1`` finds page furniture line by line, by its shape — navigation, bylines
and time stamps, photo captions, tag lists, "Read also" and the related-headline list after
it (up to the next line of prose), teasers cut with "…" — and records it as token ranges in ``doc.user_data["noise"]``
(and the span group ``doc.spans["noise"]`` with ``store_spans``); nothing in it may enter
the graph. Before the article body starts, a line without final
punctuation is a headline and kept; after it, such a line is a caption or a tag list.

``kgraph_sentences_v1`` splits the rest into sentences: every line is a paragraph, a
sentence ends at ``.``/``!``/``?`` before a capital, except after abbreviations and
initials and in datelines ("MOSCOW. KAZINFORM The 6th session …" is one sentence).
It sets ``Token.is_sent_start`` and ``doc._.kg_sents`` (``doc.user_data["kg_sents"]``): ``(start_char, end_char,
paragraph, is_noise)`` per sentence, noise segments included.

Both read the tokens' character offsets through :func:`token_offsets`, which keeps them in
``doc.user_data["kg_token_offsets"]`` for the later components.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, cast

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .base import DataComponent, phrases

if TYPE_CHECKING:
    from thinc.types import Ints2d


def user_data_extension(name: str) -> None:
    """``doc._.<name>``, kept in ``doc.user_data[name]``: components read and write the dict directly
    (spaCy's extension machinery is slow on a hot path), users see the extension."""
    if not Doc.has_extension(name):
        Doc.set_extension(name, getter=lambda doc: doc.user_data.get(name),
                          setter=lambda doc, value: doc.user_data.__setitem__(name, value))


for _name in ("kg_sents", "kg_date", "kg_doc_key", "kg_title"):
    user_data_extension(_name)

NOISE_KEY = "noise"
_MARKER_TRAIL = r"[\s\W]*$"   # after a one-word marker: only punctuation, arrows, symbols
NOISE_CHARS = "noise_chars"
_TERMINAL_CHARS = frozenset(".!?:;\"”’»)]")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_BYLINE = re.compile(r"^(?:by|photo by|text by|story by)\s+[A-Z]", re.IGNORECASE)
_DATE_PREFIX = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b")
#: A sentence ends at . ! ? (and closing quotes/brackets) before whitespace and a capital, digit or quote.
#: The match starts with the end mark (the cut is one character after ``start()``): a pattern that begins
#: with a character class is scanned for much faster than one that begins with a lookbehind.
_BOUNDARY = re.compile(r"""[.!?]["”’»)\]]*\s+(?=["“‘«(\[]?[A-Z0-9\u0400-\u04FF])""")
_FIRST_WORD = re.compile(r"\s*(\S+)")
_NEXT_WORD = re.compile(r"\s*[\"“‘«(\[]?(\S+)")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "mt", "ft", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "rev",
    "no", "nos", "vs", "etc", "inc", "ltd", "corp", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est", "fig", "govt", "e.g", "i.e", "u.s", "u.k",
    "u.n", "p.m", "a.m", "acad", "h.e", "h.h", "hon", "eng", "engr", "mme", "amb", "gov", "sen", "rep", "pres",
}


def token_offsets(doc: Doc) -> numpy.ndarray:
    """Each token's ``(IDX, LENGTH)`` as an int64 row, read once per document: ``doc.to_array`` copies
    every token each time, and three components need the offsets."""
    cached = doc.user_data.get("kg_token_offsets")
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data["kg_token_offsets"] = doc.to_array([IDX, LENGTH]).astype(numpy.int64)
    return cached


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document (spaCy rebuilds it from the tokens on every access)."""
    cached = doc.user_data.get("kg_text")
    if cached is None:
        cached = doc.user_data["kg_text"] = doc.text
    return cached


def _words(line: str) -> int:
    """Words of a line (whitespace-separated runs)."""
    return len(line.split())


@Language.factory("kgraph_noise_filter_v1", default_config={"lexicon_dir": None, "store_spans": False})
def make_noise_filter(nlp: Language, name: str, lexicon_dir: str | None, store_spans: bool) -> NoiseFilter:
    return NoiseFilter(nlp, name, lexicon_dir, store_spans)


class NoiseFilter(DataComponent):
    """Marks page furniture: character ranges in ``doc.user_data["noise_chars"]``, token ranges in
    ``doc.user_data["noise"]`` and, with ``store_spans``, the span group ``doc.spans["noise"]``."""

    lexicons = ("noise",)

    def __init__(self, nlp: Language, name: str, lexicon_dir: str | None = None, store_spans: bool = False) -> None:
        super().__init__(nlp, name, lexicon_dir)
        self.store_spans = store_spans

    def setup(self) -> None:
        rows = self.data["noise"]
        # A marker of one bare word ("Popular", "Home", "Share") also begins ordinary sentences
        # ("Home Minister …", "Popular interest in …"): it matches only a line that is the word
        # alone, optionally with punctuation or arrows ("Home >", "Popular:"). Markers of several
        # words or ending with ":" ("Read also", "Author:") match the start of a line.
        def prefixed(p: str) -> bool:
            return p.endswith(":") or len(p.split()) > 1

        def exact(p: str) -> str:
            return re.escape(p.lower()) + _MARKER_TRAIL

        tail_rows, line_rows = phrases(rows, "list"), phrases(rows, "line")
        tail = [re.escape(p.lower()) + r"(?:[\s:]|$)" if prefixed(p) else exact(p) for p in tail_rows]
        starts = [re.escape(p.lower()) + ("" if p.endswith(":") else r"(?:\s|$)") if prefixed(p) else exact(p)
                  for p in line_rows]
        self.tail_re = re.compile(r"^(?:" + "|".join(tail) + r")") if tail else None
        self.tail_exact = {p.lower() for p in tail_rows}
        self.line_re = re.compile(r"^(?:" + "|".join(starts) + ")") if starts else None
        self.captions = {p.lower() for p in phrases(rows, "caption")}
        inline = [re.escape(p) for p in phrases(rows, "inline")]
        self.inline = re.compile(r"(?i)(?:^|(?<=[\s.]))(?:" + "|".join(inline) + r")") if inline else None
        self.inline_words = [p.lower() for p in phrases(rows, "inline")]
        super().setup()

    @staticmethod
    def noise_ranges_of(doc: Doc) -> list[tuple[int, int]]:
        """The noise of a doc processed without the filter's user data (a span group only)."""
        return [(s.start_char, s.end_char) for s in doc.spans.get(NOISE_KEY, [])]

    def noise_ranges(self, text: str, title: str | None = None) -> list[tuple[int, int]]:
        """Character ranges of page furniture, in order, not overlapping.

        With the article's ``title``, every line above the line that repeats it is the page's
        masthead (site and publisher names, navigation, a ministry's letterhead).

        The decision is structural, line by line: a marker of a list ("Read also", "Popular")
        opens a run of headline-like lines (short, without final punctuation, time-stamped,
        repeated) that ends at the next line of prose, so an article that goes on after a
        "Read also: …" line keeps its body; before the body starts a line without final
        punctuation is a headline and kept, after it such a line is a caption, a tag list or
        a related headline; short all-capital lines, bylines, time stamps and lines seen
        before are furniture anywhere."""
        ranges: list[tuple[int, int]] = []
        body_started = False
        in_list = False
        seen: set[str] = set()
        offset = 0
        masthead = self._masthead_end(text, title)
        for raw in text.split("\n"):
            start, end = offset, offset + len(raw)
            offset = end + 1
            if start < masthead:
                if raw.strip():
                    ranges.append((start, end))
                continue
            prefix = _DATE_PREFIX.match(raw)
            if prefix:                                   # " date 2019-08-27 …" first line of a stored page
                ranges.append((start, start + prefix.end()))
                start += prefix.end()
                raw = raw[prefix.end():]
            line = raw.strip()
            if not line:
                continue
            low = line.lower()
            words = _words(line)
            prose = words >= 12 and line[-1] in _TERMINAL_CHARS and line not in seen and not line.endswith("...")
            if self.tail_re is not None and self.tail_re.match(low):
                in_list = True                           # "Read also", "Related news", "Popular": a list follows
                ranges.append((start, end))
                seen.add(line)
                continue
            if in_list and not prose:
                ranges.append((start, end))
                seen.add(line)
                continue
            in_list = False
            furniture = (
                low in self.captions
                or (self.line_re is not None and self.line_re.match(low) is not None)
                or low in self.tail_exact
                or line.endswith((">", "...", "…")) or " > " in line
                or words <= 2
                or (words <= 8 and _TIME.search(line) is not None)
                or (words >= 3 and line.isupper())
                or (words <= 5 and _BYLINE.match(line) is not None and line[-1] not in _TERMINAL_CHARS)
                or line in seen
            )
            seen.add(line)
            if not furniture and line[-1] not in _TERMINAL_CHARS:
                # before the body: a headline; after it: a caption, a tag list, a related headline
                furniture = body_started and words < 20
            elif not furniture and words >= 6:
                body_started = True
            if furniture:
                ranges.append((start, end))
                continue
            if self.inline is not None and any(word in low for word in self.inline_words):
                m = self.inline.search(raw)
                if m and _words(raw[m.end():]) <= 8:      # a credit closes the line: "… Source: TASS"
                    ranges.append((start + m.start(), end))
        return ranges

    @staticmethod
    def _masthead_end(text: str, title: str | None) -> int:
        """Where the line repeating the headline starts, when lines of the page come before it (else 0)."""
        wanted = " ".join((title or "").split()).lower()
        wanted_words = len(wanted.split())
        if wanted_words < 3:
            return 0
        offset = 0
        for raw in text.split("\n"):
            words = _DATE_PREFIX.sub("", raw).split()
            # the joined, lowercased line only where it can be the title (an article on one line is
            # one long line); lowercasing neither adds nor removes spaces, so the counts agree
            if len(words) == wanted_words and " ".join(words).lower() == wanted:
                return offset
            if len(words) >= 12 and words[-1].lower()[-1:] in _TERMINAL_CHARS:
                return 0                                 # the body began: the title is not a line above it
            offset += len(raw) + 1
        return 0

    def __call__(self, doc: Doc) -> Doc:
        self.require()
        ranges = self.noise_ranges(doc_text(doc), doc.user_data.get("kg_title"))
        doc.user_data[NOISE_CHARS] = ranges
        if len(doc) and ranges:
            starts = token_offsets(doc)[:, 0]
            chars = numpy.array(ranges, dtype=numpy.int64)
            bounds = numpy.searchsorted(starts, chars.ravel(), side="left")
            firsts, lasts = bounds[0::2], bounds[1::2]
            # a range that starts inside a token takes that whole token; done on the arrays, since
            # indexing them one element at a time from Python costs more than the whole filter
            inside = starts[numpy.minimum(firsts, len(doc) - 1)] > chars[:, 0]
            firsts = numpy.maximum(firsts - inside, 0)
            tokens = [(a, b) for a, b in zip(firsts.tolist(), lasts.tolist()) if b > a]
        else:
            tokens = []
        doc.user_data[NOISE_KEY] = tokens
        if self.store_spans:
            doc.spans[NOISE_KEY] = [doc[a:b] for a, b in tokens]
        return doc


@Language.factory("kgraph_sentences_v1", default_config={"lexicon_dir": None})
def make_sentences(nlp: Language, name: str, lexicon_dir: str | None) -> SentenceSplitter:
    return SentenceSplitter(nlp, name, lexicon_dir)


class SentenceSplitter(DataComponent):
    """Rule-based sentence boundaries (lines, punctuation, abbreviations, datelines)."""

    def segments(self, text: str, noise: list[tuple[int, int]]) -> list[tuple[int, int, int, bool]]:
        """``(start, end, paragraph, is_noise)`` covering every non-blank stretch of ``text``."""
        out: list[tuple[int, int, int, bool]] = []
        noise_starts = [s for s, _ in noise]
        offset = 0
        paragraph = 0
        for raw in text.split("\n"):
            line_start, line_end = offset, offset + len(raw)
            offset = line_end + 1
            if not raw.strip():
                continue
            pieces = self._cut_by_noise(line_start, line_end, noise, noise_starts)
            for start, end, is_noise in pieces:
                if not text[start:end].strip():
                    continue
                if is_noise:
                    out.append((start, end, paragraph, True))
                    continue
                for s, e in self._split(text, start, end):
                    out.append((s, e, paragraph, False))
            paragraph += 1
        return out

    @staticmethod
    def _cut_by_noise(start: int, end: int, noise: list[tuple[int, int]], starts: list[int]):
        pieces = []
        i = max(0, bisect_right(starts, start) - 1)
        cursor = start
        while i < len(noise) and noise[i][0] < end:
            ns, ne = noise[i]
            if ne > cursor:
                if ns > cursor:
                    pieces.append((cursor, ns, False))
                pieces.append((max(ns, cursor), min(ne, end), True))
                cursor = min(ne, end)
            i += 1
        if cursor < end:
            pieces.append((cursor, end, False))
        return pieces

    @staticmethod
    def _split(text: str, start: int, end: int):
        segment_start = start
        chunk = text[start:end]
        line_first_word = _FIRST_WORD.match(chunk)
        first_end = start + line_first_word.end() if line_first_word else start
        for m in _BOUNDARY.finditer(chunk):
            cut = start + m.start() + 1                   # after the end mark
            previous = text[max(segment_start, cut - 40):cut].rsplit(None, 1)
            if not previous:
                continue
            last = previous[-1]
            word = last.rstrip(".!?\"”’»)]").lower()
            after = _NEXT_WORD.match(text, start + m.end() - 1, end) if m.end() else None
            next_word = after.group(1) if after else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            prev = last.rstrip(".")
            if prev.isupper() and len(prev) > 1 and (cut <= first_end + 1 or next_word.isupper()):
                continue                                # dateline: "MOSCOW. KAZINFORM …"
            yield segment_start, cut
            segment_start = start + m.end()
        if segment_start < end:
            yield segment_start, end

    def __call__(self, doc: Doc) -> Doc:
        noise = doc.user_data.get(NOISE_CHARS)
        if noise is None:
            noise = NoiseFilter.noise_ranges_of(doc)
        segments = self.segments(doc_text(doc), noise)
        doc.user_data["kg_sents"] = segments
        if not len(doc):
            return doc
        starts = token_offsets(doc)[:, 0]
        text = doc_text(doc)
        firsts = []
        for start, _end, _para, _noise in segments:
            while start < len(text) and text[start].isspace():
                start += 1
            firsts.append(start)
        first = set(numpy.searchsorted(starts, numpy.array(firsts, dtype=numpy.int64)).tolist()) | {0}
        flags = numpy.zeros((len(doc), 1), dtype=numpy.uint64)
        flags[:, 0] = numpy.uint64(-1 % 2**64)          # SENT_START -1: inside a sentence
        for i in first:
            if i < len(doc):
                flags[i, 0] = 1
        # spaCy's stub asks for thinc's Ints2d, the typing name of a 2-D integer array such as this one
        doc.from_array([SENT_START], cast("Ints2d", flags))
        return doc


def sentence_spans(doc: Doc) -> list[Span]:
    """The sentences as spans (noise segments included), in order."""
    return list(doc.sents)
