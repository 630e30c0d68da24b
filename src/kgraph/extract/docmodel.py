"""The per-document working model the rule components share: sentences, mentions, helpers.

Components after the rulers add :class:`Mention` objects to ``doc._.kg`` (a
:class:`DocModel`); the last component turns them into entities and facts. Mentions
know their token span, sentence, type and — once resolved — the key of the entity
they name. Lookups are by token position (``model.at(i)``), so rules look at the few
tokens around a trigger instead of looping over the whole document.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple

import numpy
from spacy.tokens import Doc

from .rulers import REF_KEY, TRIGGER_KEY
from .text import doc_text, token_offsets, user_data_extension

user_data_extension("kg")

#: Mention kinds (the family a mention belongs to, before it is an entity).
STATE, PERSON, ORG, PLACE, PROJECT, AGREEMENT, MEETING, DATE = (
    "state", "person", "org", "place", "project", "agreement", "meeting", "date")
CONTAINERS = frozenset({AGREEMENT, MEETING})

_START = attrgetter("start")
_WORDLIKE = re.compile(r"^\w[\w\-.'’/]*$")
_WORDS = re.compile(r"[\w'’-]+")
_QUOTE_CHARS = re.compile(r"[\"“”‘’«»']")
_QUOTES = re.compile(r"[\"“”‘’«»]|(?<!\w)'|'(?!\w)")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:[A-Z][a-z]{2,})?|[A-ZÀ-ÖØ-Þ]{2,}|[A-Z]\.?)$")



def _unicode_name_token(t: str) -> bool:
    """A capitalised word in letters beyond Latin-1 ("Yıldırım", "Kacır", "Sławosz", "Uznański", "Đặng",
    "Nguyễn"): an upper-case letter and lower-case letters only, or all capitals ("ŞAHIN")."""
    word = t.replace("'", "").replace("’", "")
    if not word.isalpha() or not word[0].isupper():
        return False
    return len(word) > 1 and (word[1:].islower() or word.isupper())


@dataclass(eq=False, slots=True)
class Mention:
    """A stretch of text that names (or refers back to) one thing."""

    kind: str                   # state | person | org | place | project | agreement | meeting | date
    start: int                  # token offsets in the doc
    end: int
    sent: int
    type: str                   # the most specific class local name (State, SpaceAgency, Protocol…)
    key: str | None = None      # entity key, once known
    label: str | None = None    # canonical label of the entity
    text: str = ""              # the text as written (cleaned), an alias of the entity
    ref: bool = False           # a reference-data entity
    adjective: bool = False     # a state named by its adjective ("Kazakh")
    backref: bool = False       # "the Commission", "the protocol": refers to an earlier mention
    data: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<{self.kind}:{self.type} {self.text!r} {self.key} [{self.start}:{self.end}]>"


class Trigger(NamedTuple):
    """A trigger-word match (``doc.user_data["trigger"]``), light enough for the hot path."""

    start: int
    end: int
    label_: str
    text: str

    def __len__(self) -> int:  # type: ignore[override]
        return self.end - self.start


class DocModel:
    """Sentences, noise, mentions and token helpers for one document."""

    def __init__(self, doc: Doc, date: dt.date | None = None, doc_key: str | None = None) -> None:
        self.doc = doc
        self.date = date
        self.doc_key = doc_key
        self.mentions: list[Mention] = []
        self.data: dict[str, Any] = {}
        self._owner: dict[int, Mention] = {}
        self._containers: dict[int, Mention] = {}
        self.facts: list[tuple[str, str, str, str | None, int | None]] = []
        self.entities: dict[str, dict[str, Any]] = {}
        self.full_text = doc_text(doc)
        self._lowered = self.full_text.lower()
        self._same_length = len(self._lowered) == len(self.full_text)
        self._by_sentence: dict[int, list[Mention]] | None = None
        self._by_kind: dict[str, list[Mention]] = {}             # kind → its mentions in text order
        self._of_kind: dict[tuple[str, ...], list[Mention]] = {}  # several kinds → their mentions (cache)
        self._in_sentence: dict[tuple[int, tuple[str, ...]], list[Mention]] = {}
        if len(doc):
            array = token_offsets(doc)
            starts = array[:, 0]
            self._idx: list[int] = starts.tolist()
            self._end: list[int] = (starts + array[:, 1]).tolist()
        else:
            starts = numpy.zeros(0, dtype=numpy.int64)
            self._idx, self._end = [], []
        self.n = len(self._idx)
        self.token_starts = starts
        full, lowered = self.full_text, self._lowered
        self._texts = [full[a:b] for a, b in zip(self._idx, self._end)]
        self._lowers = [lowered[a:b] for a, b in zip(self._idx, self._end)] if self._same_length \
            else [t.lower() for t in self._texts]
        self.sents: list[tuple[int, int, int, bool]] = []     # (start token, end token, paragraph, noise)
        self.sent_chars: list[tuple[int, int]] = []
        segments = doc.user_data.get("kg_sents") or [(0, len(self.full_text), 0, False)]
        bounds = numpy.searchsorted(starts, numpy.array([[s, e] for s, e, _p, _n in segments], dtype=numpy.int64))
        for (s, e, para, noise), (ts, te) in zip(segments, bounds.tolist()):
            ts, te = min(ts, self.n), min(te, self.n)
            if te > ts:
                self.sents.append((ts, te, para, noise))
                self.sent_chars.append((s, e))
        self._sent_starts = [s[0] for s in self.sents]
        self.triggers: dict[int, list[Trigger]] = {}
        self._with: dict[str, list[Trigger]] = {}
        self._sents_with: dict[str, frozenset[int]] = {}
        self._by_label: dict[str, list[int]] | None = None     # label → positions in _all_triggers
        self._all_triggers: list[Trigger] = []
        self._sent_triggers: dict[int, list[Trigger]] = {}
        self._sent_words: dict[int, frozenset[str]] = {}
        found = doc.user_data.get(TRIGGER_KEY)
        if found is None:
            found = [(s.start, s.end, s.label_) for s in doc.spans.get(TRIGGER_KEY, [])]
        full, idx, ends, triggers = self.full_text, self._idx, self._end, self.triggers
        for start, end, label in found:
            trigger = Trigger(start, end, label, full[idx[start]:ends[end - 1]])
            if start in triggers:
                triggers[start].append(trigger)
            else:
                triggers[start] = [trigger]
        self._trigger_starts = sorted(triggers)
        refs = doc.user_data.get(REF_KEY)
        if refs is None:
            refs = [(s.start, s.end, s.label_, s.kb_id_) for s in doc.spans.get(REF_KEY, [])]
        self.refs: list[tuple[int, int, str, str]] = refs

    # -- positions -------------------------------------------------------------------

    def char_to_token(self, char: int, *, end: bool = False) -> int:
        """The first token starting at or after ``char`` (for an end offset: the token after it)."""
        return min(bisect_left(self._idx, char), self.n)   # bisect: numpy's call costs more than it saves here

    def sent_of(self, token: int) -> int:
        return max(0, bisect_right(self._sent_starts, token) - 1)

    def sent_range(self, index: int) -> tuple[int, int]:
        s = self.sents[index]
        return s[0], s[1]

    def paragraph(self, index: int) -> int:
        return self.sents[index][2]

    def is_noise_sent(self, index: int) -> bool:
        return self.sents[index][3]

    # -- mentions --------------------------------------------------------------------

    def add(self, mention: Mention, *, replace: bool = False) -> Mention | None:
        """Add a mention; overlapping ones are kept out unless ``replace`` (then they are dropped).

        Agreements and meetings are containers: their names hold other mentions ("Concept of
        further cooperation on Baikonur complex"), so they only exclude each other.
        """
        owner = self._containers if mention.kind in CONTAINERS else self._owner
        tokens = range(mention.start, mention.end)
        if not owner.keys().isdisjoint(tokens):          # one C call in the usual case, no overlap
            if not replace:
                return None
            overlapping = [owner[i] for i in tokens if i in owner]
            for other in set(overlapping):
                self.remove(other)
        self._index(mention)
        self.mentions.append(mention)
        for i in tokens:
            owner[i] = mention
        return mention

    def attach(self, mention: Mention) -> Mention:
        """Keep a mention that lies inside another one (an amended agreement inside a protocol's name)."""
        self._index(mention)
        self.mentions.append(mention)
        return mention

    def _index(self, mention: Mention) -> None:
        # after the mentions of the same start: where the stable sort of of_kind puts the newest
        same_kind = self._by_kind.setdefault(mention.kind, [])
        if same_kind and same_kind[-1].start > mention.start:
            same_kind.insert(bisect_right(same_kind, mention.start, key=_START), mention)
        else:
            same_kind.append(mention)                  # the usual case: rules add mentions left to right
        self._of_kind.clear()
        self._in_sentence.clear()
        if self._by_sentence is not None:
            found = self._by_sentence.setdefault(mention.sent, [])
            found.insert(bisect_right(found, mention.start, key=_START), mention)

    def remove(self, mention: Mention) -> None:
        self._of_kind.clear()
        self._in_sentence.clear()
        if self._by_sentence is not None:
            found = self._by_sentence.get(mention.sent, [])
            if any(x is mention for x in found):
                found[:] = [x for x in found if x is not mention]
        if mention in self.mentions:
            self.mentions.remove(mention)
            self._by_kind[mention.kind].remove(mention)
        owner = self._containers if mention.kind in CONTAINERS else self._owner
        for i in range(mention.start, mention.end):
            if owner.get(i) is mention:
                del owner[i]

    def at(self, token: int) -> Mention | None:
        """The entity mention (state, person, organization, place, project, date) covering a token."""
        return self._owner.get(token)

    def container_at(self, token: int) -> Mention | None:
        """The agreement or meeting mention covering a token."""
        return self._containers.get(token)

    def starting_at(self, token: int, *kinds: str) -> Mention | None:
        m = self._owner.get(token)
        if m is not None and m.start == token and (not kinds or m.kind in kinds):
            return m
        return None

    def ending_at(self, token_end: int, *kinds: str) -> Mention | None:
        m = self._owner.get(token_end - 1)
        if m is not None and m.end == token_end and (not kinds or m.kind in kinds):
            return m
        return None

    def in_sentence(self, index: int, *kinds: str) -> list[Mention]:
        if self._by_sentence is None:
            self._by_sentence = {}
            for m in sorted(self.mentions, key=lambda m: m.start):
                self._by_sentence.setdefault(m.sent, []).append(m)
        if not kinds:
            return list(self._by_sentence.get(index, []))
        key = (index, kinds)
        cached = self._in_sentence.get(key)
        if cached is None:                      # kept like of_kind's lists, until the mentions change
            cached = [m for m in self._by_sentence.get(index, []) if m.kind in kinds]
            self._in_sentence[key] = cached
        return list(cached)

    def of_kind(self, *kinds: str) -> list[Mention]:
        """The mentions of these kinds in text order (a new list the caller may change).

        Rules ask for the same kinds many times between changes to the mentions: each kind's
        list is kept in order as mentions come and go, and a list for several kinds is kept until
        the next ``add``/``attach``/``remove`` (mentions move only through those).
        """
        if len(kinds) == 1:
            return list(self._by_kind.get(kinds[0], ()))
        cached = self._of_kind.get(kinds)
        if cached is None:
            cached = sorted((m for m in self.mentions if m.kind in kinds), key=lambda m: m.start)
            self._of_kind[kinds] = cached
        return list(cached)

    # -- triggers --------------------------------------------------------------------

    def sent_triggers(self, index: int) -> list[Trigger]:
        """The triggers of one sentence, in order (cached)."""
        cached = self._sent_triggers.get(index)
        if cached is None:
            s0, s1 = self.sents[index][0], self.sents[index][1]
            starts = self._trigger_starts            # few tokens start a trigger: look those up only
            triggers = self.triggers
            cached = [t for i in starts[bisect_left(starts, s0):bisect_left(starts, s1)] for t in triggers[i]]
            self._sent_triggers[index] = cached
        return cached

    def sent_words(self, index: int) -> frozenset[str]:
        """The lowercase words of one sentence (cached)."""
        cached = self._sent_words.get(index)
        if cached is None:
            s0, s1 = self.sents[index][0], self.sents[index][1]
            cached = frozenset(_WORDS.findall(self._lowered, self._idx[s0], self._end[s1 - 1])) if s1 > s0 \
                else frozenset()
            self._sent_words[index] = cached
        return cached

    def sent_has_any(self, index: int, words: Iterable[str]) -> bool:
        """Whether one of ``words`` is a word of the sentence (``sent_words(index) & words``).

        Rules ask about one or a few words; most sentences do not contain them even as text,
        which a substring search settles without building the sentence's word set.
        """
        cached = self._sent_words.get(index)
        if cached is None:
            s0, s1 = self.sents[index][0], self.sents[index][1]
            if s1 <= s0:
                return False
            a, b, lowered = self._idx[s0], self._end[s1 - 1], self._lowered
            words = tuple(words)
            for word in words:
                if lowered.find(word, a, b) != -1:
                    break
            else:
                return False
            cached = self.sent_words(index)
        return not cached.isdisjoint(words)

    def sent_has(self, index: int, word: str) -> bool:
        """Whether ``word`` is a word of the sentence (``word in sent_words(index)``), see :meth:`sent_has_any`."""
        return self.sent_has_any(index, (word,))

    def trigger_at(self, token: int, prefix: str) -> Trigger | None:
        """The longest trigger starting at ``token`` whose label starts with ``prefix``."""
        best = None
        for span in self.triggers.get(token, ()):
            if span.label_.startswith(prefix) and (best is None or len(span) > len(best)):
                best = span
        return best

    def sents_with(self, prefix: str) -> frozenset[int]:
        """The sentences holding a trigger whose label starts with ``prefix`` (cached, as triggers do not
        change): a rule asking this once per mention made a long text's extraction quadratic."""
        cached = self._sents_with.get(prefix)
        if cached is None:
            cached = frozenset(self.sent_of(t.start) for t in self.triggers_with(prefix))
            self._sents_with[prefix] = cached
        return cached

    def triggers_with(self, prefix: str) -> list[Trigger]:
        """The triggers whose label starts with ``prefix``, by start, longest first (cached).

        Only the few distinct labels are tested against the prefix, not every trigger; the
        positions of the matching labels' triggers give the ruler's order back, so ties sort
        as they would from the full list.
        """
        cached = self._with.get(prefix)
        if cached is None:
            if self._by_label is None:
                self._all_triggers = [t for spans in self.triggers.values() for t in spans]   # the ruler's order
                self._by_label = {}
                for position, t in enumerate(self._all_triggers):
                    self._by_label.setdefault(t.label_, []).append(position)
            groups = [p for label, p in self._by_label.items() if label.startswith(prefix)]
            positions = groups[0] if len(groups) == 1 else sorted(chain.from_iterable(groups))
            everything = self._all_triggers
            cached = [everything[p] for p in positions]
            cached.sort(key=lambda s: (s.start, -len(s)))
            self._with[prefix] = cached
        return cached                                   # shared: callers must not change it

    # -- tokens ----------------------------------------------------------------------

    def text(self, i: int) -> str:
        """A token's text, read from the document string (no Token objects on the hot path)."""
        return self._texts[i] if 0 <= i < self.n else ""

    def lower(self, i: int) -> str:
        return self._lowers[i] if 0 <= i < self.n else ""

    def lowers(self, start: int, end: int) -> list[str]:
        """The lowercase texts of tokens ``start:end`` (those inside the document)."""
        return self._lowers[max(start, 0):max(end, 0)]

    def idx(self, i: int) -> int:
        return self._idx[i] if 0 <= i < self.n else len(self.full_text)

    def is_alpha(self, i: int) -> bool:
        return self.text(i).isalpha()

    def is_word(self, i: int) -> bool:
        """Letters and digits, perhaps hyphenated ("Cyclone-4", "Army-2018", "RD-180")."""
        return bool(_WORDLIKE.match(self.text(i)))

    def is_lower(self, i: int) -> bool:
        return self.text(i).islower()

    def is_cap(self, i: int) -> bool:
        t = self.text(i)
        return bool(t) and t[0].isupper()

    def is_sent_start(self, i: int) -> bool:
        return i == self.sents[self.sent_of(i)][0] if self.sents else i == 0

    def is_name_token(self, i: int) -> bool:
        t = self.text(i)
        if _NAME_TOKEN.match(t):
            return True
        return not t.isascii() and _unicode_name_token(t)

    def joined(self, i: int) -> bool:
        """No whitespace between token i and token i+1 ("Jean-Baptiste", "Zenit-M")."""
        return 0 <= i < self.n - 1 and self._end[i] == self._idx[i + 1]

    def span_text(self, start: int, end: int) -> str:
        if start >= end or start >= self.n:
            return ""
        return self.full_text[self._idx[start]:self._end[min(end, self.n) - 1]]

    def clean_text(self, start: int, end: int) -> str:
        """Span text without quotes, brackets and leading articles, spacing collapsed."""
        text = self.span_text(start, end)
        if end - start == 1 and not _QUOTE_CHARS.search(text):
            return text
        if _QUOTE_CHARS.search(text):
            text = _QUOTES.sub("", text)
        if text[:4].lower() in ("the ", "an ") or text[:3].lower() == "an " or text[:2].lower() == "a ":
            text = _ARTICLE.sub("", text.strip())
        return " ".join(text.split())


def _is_word_char(ch: str) -> bool:
    """What ``\\w`` matches in a str pattern."""
    return ch.isalnum() or ch == "_"


def _boundary(text: str, i: int) -> bool:
    """``\\b`` at offset ``i`` of ``text``."""
    before = i > 0 and _is_word_char(text[i - 1])
    after = i < len(text) and _is_word_char(text[i])
    return before != after


def whole_words(text: str, forms: list[str]) -> Iterator[tuple[int, str]]:
    """``(offset, form)`` of each whole-word occurrence of the forms in ``text``, left to right.

    The same matches as ``re.finditer(r"\\b(f1|f2|…)\\b", text)`` with the forms in the given order
    (at one offset the first form that fits wins; matches do not overlap), without compiling a new
    pattern for every document's set of names.
    """
    hits: dict[int, list[tuple[int, str]]] = {}
    for order, form in enumerate(forms):
        if not form:
            continue
        i = text.find(form)
        while i != -1:
            hits.setdefault(i, []).append((order, form))
            i = text.find(form, i + 1)
    covered = 0
    for start in sorted(hits):
        if start < covered or not _boundary(text, start):
            continue
        for _order, form in sorted(hits[start]):
            if _boundary(text, start + len(form)):
                yield start, form
                covered = start + len(form)
                break


def model(doc: Doc) -> DocModel:
    """The doc's model, created on first use."""
    m = doc.user_data.get("kg")
    if m is None:
        m = DocModel(doc, doc.user_data.get("kg_date"), doc.user_data.get("kg_doc_key"))
        doc.user_data["kg"] = m
    return m
