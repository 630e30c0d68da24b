"""Phrase rulers: reference-data names and trigger words, matched in one pass each.

``kgraph_reference_ruler_v1`` matches every name a domain expert lists up front — states
(names, aliases, adjectives and demonyms), agencies and companies, spaceports, places,
known multinational projects and the cities of the gazetteer — and writes the longest
non-overlapping matches as ``(start, end, label, key)`` to ``doc.user_data["ref"]`` (with
``store_spans`` also the span group ``doc.spans["ref"]``: ``label_`` is the type — ``State``,
``StateAdj``, ``SpaceAgency``…, ``City``, ``Ambiguous`` — and ``kb_id_`` the entity key).
Names are matched on lowercase text but must be capitalised where the name is;
acronyms (NASA, RoK, US) must match exactly, so "us" is never the United States.

``kgraph_trigger_ruler_v1`` matches the lexicons of ``data/extraction`` (titles,
agreement kinds, meeting words, organization and place words, relation markers) and
writes every match, overlaps included, as ``(start, end, "<lexicon>:<kind>")`` to
``doc.user_data["trigger"]`` (and, with ``store_spans``, to ``doc.spans["trigger"]``).

Both build their patterns once (``initialize``) and keep them through ``to_disk``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Protocol, cast

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .base import DataComponent
from .text import NOISE_KEY

REF_KEY = "ref"
TRIGGER_KEY = "trigger"
#: Labels of reference spans; "City" is a gazetteer city, "Ambiguous" a shared form decided in context.
STATE, STATE_ADJ, CITY, AMBIGUOUS = "State", "StateAdj", "City", "Ambiguous"
_PRIORITY = {STATE: 5, STATE_ADJ: 5, "Project": 4, "Spaceport": 4, "Place": 3, "SpaceAgency": 4,
             "GovernmentBody": 4, "Company": 4, "IntergovernmentalBody": 4, AMBIGUOUS: 2, CITY: 1}


def is_acronym(form: str) -> bool:
    """Forms matched case-exactly: no lowercase letter (NASA, U.S.), or short with inner capitals (RoK)."""
    letters = [c for c in form if c.isalpha()]
    if not letters:
        return True
    if not any(c.islower() for c in letters):
        return True
    return len(form) <= 5 and sum(c.isupper() for c in letters) >= 2 and " " not in form


def variants(form: str, *, article: bool = True) -> list[str]:
    """Spelling variants news writes for the same name: ``&`` for ``and``, curly apostrophes."""
    out = [form]
    if " and " in form:
        out.append(form.replace(" and ", " & "))
    for v in list(out):
        if "'" in v:
            out.append(v.replace("'", "’"))
    if article and form.lower().startswith("the "):
        out.append(form[4:])
    return out


class _BatchTokenizer(Protocol):
    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]: ...


def _tokenized(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """Pattern phrases through the tokenizer alone, as the phrase matchers want them.

    spaCy types ``Language.tokenizer`` as any callable from text to Doc; the pipelines kgraph builds
    keep spaCy's own ``Tokenizer``, whose batch ``pipe`` this reads (the cast says only that).
    """
    return cast(_BatchTokenizer, nlp.tokenizer).pipe(texts)


def _noise_index(doc: Doc) -> tuple[list[int], list[int]]:
    ranges = doc.user_data.get(NOISE_KEY)
    if ranges is None:
        ranges = [(s.start, s.end) for s in doc.spans.get(NOISE_KEY, [])]
    return [a for a, _ in ranges], [b for _, b in ranges]


def in_noise(index: tuple[list[int], list[int]], start: int, end: int) -> bool:
    starts, ends = index
    i = bisect_right(starts, start) - 1
    return i >= 0 and ends[i] > start


@Language.factory("kgraph_reference_ruler_v1",
                  default_config={"lexicon_dir": None, "min_population": 100000, "store_spans": False})
def make_reference_ruler(nlp: Language, name: str, lexicon_dir: str | None, min_population: int,
                         store_spans: bool) -> ReferenceRuler:
    return ReferenceRuler(nlp, name, lexicon_dir, min_population, store_spans)


class ReferenceRuler(DataComponent):
    """Reference entities and gazetteer cities as ``doc.user_data["ref"]`` (and ``doc.spans["ref"]``)."""

    def __init__(self, nlp: Language, name: str, lexicon_dir: str | None = None,
                 min_population: int = 100000, store_spans: bool = False) -> None:
        super().__init__(nlp, name, lexicon_dir)
        self.min_population = min_population
        self.store_spans = store_spans

    def load_data(self, nlp: Language) -> dict[str, Any]:
        from ..refdata import city_gazetteer, load_reference

        patterns: list[list[str]] = []       # [form, label, key]
        seen: set[tuple[str, str]] = set()

        def add(form: str, label: str, key: str) -> None:
            for v in variants(form):
                marker = (v.lower(), key)
                if v.strip() and marker not in seen:
                    seen.add(marker)
                    patterns.append([v, label, key])

        for entity in load_reference():
            shared = {a.casefold() for a in entity.ambiguous}
            label = entity.type
            for form in entity.names():
                add(form, AMBIGUOUS if form.casefold() in shared else label, entity.key)
            if entity.type == "State":
                official = entity.aliases[0] if entity.aliases else ""
                if "Republic" in official and f"Republic of {entity.label}" not in entity.aliases:
                    add(f"Republic of {entity.label}", STATE, entity.key)
                for adjective in entity.adjectives:
                    add(adjective, AMBIGUOUS if adjective.casefold() in shared else STATE_ADJ, entity.key)
        taken = {p[0].lower() for p in patterns}
        cities: dict[str, list[list[str]]] = {}
        for form, slug, iso in city_gazetteer(self.min_population):
            cities.setdefault(form.lower(), []).append([form, f"place/{slug}", iso])
        for low, rows in cities.items():
            if low not in taken:
                add(rows[0][0], CITY, rows[0][1])
        city_states = {row[1]: row[2] for rows in cities.values() for row in rows}
        alternatives = {low: rows for low, rows in cities.items() if len({r[1] for r in rows}) > 1}
        return {"patterns": patterns, "city_states": city_states, "city_alternatives": alternatives}

    def setup(self) -> None:
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        groups: dict[tuple[str, str, str, int], list[Doc]] = {}
        forms = [p[0] for p in self.data["patterns"]]
        for (form, label, key), doc in zip(self.data["patterns"], _tokenized(self.nlp, forms)):
            exact = is_acronym(form)
            cap = next((i for i, t in enumerate(doc) if t.text[:1].isupper()), -1)
            groups.setdefault(("exact" if exact else "lower", label, key, cap), []).append(doc)
        self.meta: dict[int, tuple[str, str, int]] = {}
        for (mode, label, key, cap), docs in groups.items():
            name = f"{mode}|{label}|{key}|{cap}"
            (self.exact if mode == "exact" else self.lower).add(name, docs)
            self.meta[self.nlp.vocab.strings[name]] = (label, key, cap)
        self.city_states: dict[str, str] = self.data.get("city_states", {})
        self.city_alternatives: dict[str, list[list[str]]] = self.data.get("city_alternatives", {})
        super().setup()

    def __call__(self, doc: Doc) -> Doc:
        self.require()
        noise = _noise_index(doc)
        candidates = []
        for matcher, exact in ((self.lower, False), (self.exact, True)):
            for match_id, start, end in matcher(doc):
                label, key, cap = self.meta[match_id]
                if not exact and cap >= 0 and end - start <= 2 and not doc[start + cap].text[:1].isupper():
                    continue
                if in_noise(noise, start, end):
                    continue
                if label == CITY and not self._city_context(doc, start, end):
                    continue
                candidates.append((start, end, label, key))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), -_PRIORITY.get(c[2], 0), c[0]))
        taken: set[int] = set()
        kept = []
        for start, end, label, key in candidates:
            if not taken.isdisjoint(range(start, end)):
                continue
            taken.update(range(start, end))
            kept.append((start, end, label, key))
        kept.sort()
        doc.user_data[REF_KEY] = kept
        if self.store_spans:
            doc.spans[REF_KEY] = [Span(doc, start, end, label=label, kb_id=key) for start, end, label, key in kept]
        return doc

    @staticmethod
    def _city_context(doc: Doc, start: int, end: int) -> bool:
        """A gazetteer city inside a longer proper name ("Independence Day") is not a place, nor a word
        in capitals out of a dateline ("PHOTO NOT FOR SALE")."""
        if doc[start].text.isupper() and len(doc[start].text) > 2 and not doc[start].is_sent_start \
                and start > 0 and doc[start - 1].text.isupper():
            return False
        if start > 0 and doc[start - 1].lower_ in _LOCATIVE:
            return True                                  # "in Paris Minister …"
        if end < len(doc):
            nxt = doc[end]
            if nxt.is_title and nxt.is_alpha and not nxt.is_sent_start and nxt.text not in _CITY_FOLLOWERS:
                return False
        if start > 0:
            prev = doc[start - 1]
            if prev.is_title and prev.is_alpha and not doc[start].is_sent_start and prev.lower_ not in _CITY_LEADERS:
                return False
        return True


#: Capitalised words that may follow or precede a city name without making a longer name.
_CITY_FOLLOWERS = {"Oblast", "Region", "Province", "City", "On", "In", "And", "The"}
_LOCATIVE = {"in", "at", "from", "near", "via", "to"}
_CITY_LEADERS = {"in", "at", "from", "to", "and", "of", "the", "near", "on", "via"}


@Language.factory("kgraph_trigger_ruler_v1", default_config={"lexicon_dir": None, "store_spans": False})
def make_trigger_ruler(nlp: Language, name: str, lexicon_dir: str | None, store_spans: bool) -> TriggerRuler:
    return TriggerRuler(nlp, name, lexicon_dir, store_spans)


class TriggerRuler(DataComponent):
    """Trigger words of every rule family as ``(start, end, "lexicon:kind")`` in ``doc.user_data["trigger"]``;
    with ``store_spans`` also as the span group ``doc.spans["trigger"]`` (for inspection)."""

    def __init__(self, nlp: Language, name: str, lexicon_dir: str | None = None, store_spans: bool = False) -> None:
        super().__init__(nlp, name, lexicon_dir)
        self.store_spans = store_spans

    lexicons = ("titles", "agreement_kinds", "meeting_words", "organization_words", "place_words",
                "project_words", "relation_words")
    kind_column: ClassVar[dict[str, str]] = {"agreement_kinds": "type", "organization_words": "type", "place_words": "position",
                   "project_words": "position"}

    def setup(self) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        groups: dict[str, list[str]] = {}
        for lexicon in self.lexicons:
            column = self.kind_column.get(lexicon, "kind")
            for row in self.data[lexicon]:
                if (lexicon, row.get("kind")) in _WORD_LISTS:
                    continue                    # read as word sets by their component, never matched
                phrase = row["phrase"]
                kinds = [row[column]]
                if lexicon == "titles" and row["kind"] == "core":
                    for plural in _plurals(phrase):
                        groups.setdefault(f"{lexicon}:plural", []).append(plural)
                if lexicon == "agreement_kinds" and row.get("needs") != "backref":
                    for plural in _plurals(phrase):
                        groups.setdefault(f"{lexicon}:{row['type']}", []).append(plural)
                for v in variants(phrase, article=False):
                    for kind in kinds:
                        groups.setdefault(f"{lexicon}:{kind}", []).append(v)
        for label, forms in groups.items():
            self.matcher.add(label, list(_tokenized(self.nlp, sorted(set(forms)))))
        super().setup()

    def __call__(self, doc: Doc) -> Doc:
        self.require()
        noise = _noise_index(doc)
        strings = self.nlp.vocab.strings
        found = sorted((start, end, match_id) for match_id, start, end in self.matcher(doc)
                       if not in_noise(noise, start, end))
        doc.user_data[TRIGGER_KEY] = [(start, end, strings[match_id]) for start, end, match_id in found]
        if self.store_spans:
            doc.spans[TRIGGER_KEY] = [Span(doc, start, end, label=match_id) for start, end, match_id in found]
        return doc


#: Lexicon rows a component reads as a plain word set (the next word is looked up), not as triggers.
_WORD_LISTS = {("relation_words", "purpose")}


def _plurals(title: str) -> list[str]:
    """Plural forms of a title's last word (Vice Premiers, co-chairmen, Heads of State)."""
    words = title.split()
    if not words or words[0].lower() in {"head"} and len(words) > 1:
        return [" ".join(["Heads", *words[1:]])] if words else []
    last = words[-1]
    if re.search(r"man$", last, re.IGNORECASE):
        plural = last[:-3] + ("MEN" if last.isupper() else "men")
    elif last.isupper():
        plural = last + "s"
    elif re.search(r"(s|sh|ch|x)$", last):
        plural = last + "es"
    elif re.search(r"[^aeiou]y$", last):
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return [" ".join([*words[:-1], plural])]
