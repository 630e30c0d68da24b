"""``kgraph_agreements_v1``: agreements of every kind, their canonical names and amendments.

An agreement mention is built around a kind word of ``agreement_kinds.tsv``: the words
before it that name it ("the 2017-2022 Baiterek Project Roadmap", "a joint roadmap",
"Russian-Chinese Roadmap") and the phrase after it up to the end of the name ("on the
status of the city of Baikonur, and the procedure of …"), stopping at a verb, a clause
marker, a date or "as of" (which dates the agreement). A kind word inside the name after
a word of amendment starts the amended agreement ("Protocol on modification of the
Agreement …": a Protocol that amends an Agreement; both are agreements).

The canonical label is rendered from the name: entity names by their canonical labels,
articles and quotes dropped, other words lowercased, prepositions of place unified
("at the Baikonur complex" = "on Baikonur complex") — so the same agreement named
slightly differently in two articles gets one key. Bare mentions ("the Concept",
"the document", "The accord") refer back to the last agreement of their kind; an
unnamed document that was signed ("A protocol was signed following the meeting") is
named in the last step from its signing.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from ..identity import agreement_key
from .base import DataComponent
from .docmodel import AGREEMENT, DATE, ORG, PERSON, PLACE, PROJECT, STATE, DocModel, Mention, Trigger, model
from .entities import CLAUSE_STOP, FUNCTION_WORDS, is_quote

#: Prepositions that may open the phrase after a kind word.
OPENERS = {"of", "on", "for", "between", "regarding", "concerning", "about", "to", "in"}
#: Words that say nothing about which agreement it is.
EVALUATIVE = {"draft", "crucial", "new", "important", "historic", "landmark", "final", "key", "relevant",
              "respective", "such", "this", "that", "these", "those", "its", "their", "both"}
#: Kind words news uses loosely for any document named nearby ("After signing a pact …, the MoU on …").
_LOOSE_KINDS = {"pact", "deal", "accord", "agreement", "document", "documents"}
_PLACE_PREPOSITIONS = {"at": "on", "regarding": "on", "concerning": "on", "about": "on"}
_FIRST_PREPOSITION = {"of": "on", "for": "on", "regarding": "on", "concerning": "on", "about": "on"}
_PLURAL = {"agreements": "agreement", "statements": "statement", "protocols": "protocol",
           "memoranda": "memorandum", "memorandums": "memorandum", "contracts": "contract",
           "declarations": "declaration", "roadmaps": "roadmap", "programmes": "programme", "programs": "program",
           "treaties": "treaty", "documents": "document", "accords": "accord", "deals": "deal", "plans": "plan",
           "addenda": "addendum"}


@Language.factory("kgraph_agreements_v1", default_config={"lexicon_dir": None})
def make_agreements(nlp: Language, name: str, lexicon_dir: str | None) -> AgreementRecognizer:
    return AgreementRecognizer(nlp, name, lexicon_dir)


class AgreementRecognizer(DataComponent):
    """Agreement mentions with canonical labels, amendments and back-references."""

    lexicons = ("agreement_kinds", "relation_words", "name_fillers")

    def setup(self) -> None:
        self.kinds = {r["phrase"].lower(): r for r in self.data["agreement_kinds"]}
        for plural, singular in _PLURAL.items():
            if singular in self.kinds:
                self.kinds.setdefault(plural, self.kinds[singular])
        self.amend_words = {r["phrase"].lower() for r in self.data["relation_words"] if r["kind"] == "amend"}
        self.sign_words = {r["phrase"].lower() for r in self.data["relation_words"] if r["kind"] == "sign"}
        self.purpose_words = {r["phrase"].lower() for r in self.data["relation_words"] if r["kind"] == "purpose"}
        self.supersede_words = {r["phrase"].lower() for r in self.data["relation_words"] if r["kind"] == "supersede"}
        self.filler_words = {r["phrase"].lower() for r in self.data["name_fillers"] if r["kind"] == "word"}
        self.generic = frozenset(r["phrase"].lower() for r in self.data["name_fillers"] if r["kind"] == "generic")
        self.backref_words = frozenset(r["phrase"].lower() for r in self.data["name_fillers"] if r["kind"] == "backref")
        self.filler_starts: dict[str, list[list[str]]] = {}
        for r in self.data["name_fillers"]:
            if r["kind"] == "phrase":
                words = r["phrase"].lower().split()
                self.filler_starts.setdefault(words[0], []).append(words)
        super().setup()

    def __call__(self, doc: Doc) -> Doc:
        self.require()
        m = model(doc)
        m.data["title_case_headline"] = self._title_case_headlines(m)
        for trig in self._kind_triggers(m):
            if m.text(trig.start - 1) == "(" and m.text(trig.end) == ")" and m.container_at(trig.start - 2) is not None:
                continue                            # "memorandum of understanding (MoU)": the same document
            if m.container_at(trig.start) is None and m.at(trig.start) is None:
                self.build(m, trig)
        self.merge_variants(m)
        self.name_amending(m)
        self.resolve_backrefs(m)
        self.resolve_year_backrefs(m)
        self.name_amending_chains(m)
        self.merge_headlines(m)
        return doc

    def _title_case_headlines(self, m: DocModel) -> set[int]:
        """Headline lines in title case ("NASA, Mexican Space Agency Sign Framework Agreement on Earth Science"),
        where capitals do not mark names: every word but the small ones is capitalised."""
        out = set()
        for s in self.headline_sentences(m):
            s0, s1 = m.sent_range(s)
            words = [i for i in range(s0, s1) if m.is_alpha(i) and m.lower(i) not in FUNCTION_WORDS]
            if len(words) >= 5 and all(m.is_cap(i) for i in words) \
                    and any(m.lower(i) in self.sign_words for i in words):
                out.add(s)
        return out

    @staticmethod
    def headline_sentences(m: DocModel) -> set[int]:
        """The title lines above the body: sentences without final punctuation before the first one with it."""
        out = set()
        for index, (s0, s1, _para, noise) in enumerate(m.sents):
            if noise:
                continue
            text = m.span_text(s0, s1).rstrip()
            if text[-1:] in ".!?\"”’»:;)" and s1 - s0 >= 6:
                break
            out.add(index)
        return out

    def merge_headlines(self, m: DocModel) -> None:
        """"China, Brazil sign protocol to extend CBERS cooperation" above "… signed a protocol amending
        …": the headline's document is the one the body names, when the body names one of that kind."""
        headline = self.headline_sentences(m)
        if not headline:
            return
        agreements = m.of_kind(AGREEMENT)
        inner = {id(x.data["inner"]) for x in agreements if x.data.get("inner") is not None}
        for a in agreements:
            if a.sent not in headline or not (a.key or a.data.get("unnamed")):
                continue                                # ("… sign memorandum in Baku": unnamed until now)
            body = {b.key: b for b in agreements if b.sent not in headline and b.key and not b.backref
                    and b.data.get("kind") == a.data.get("kind") and id(b) not in inner}
            loose = a.data.get("kind") in _LOOSE_KINDS | {"cooperation agreement"}
            if not body and not loose:                  # "… sign lunar research station MoU" above "… a memorandum
                body = {b.key: b for b in agreements if b.sent not in headline and b.key and not b.backref   # of
                        and b.type == a.type and id(b) not in inner and not b.data.get("amends")   # understanding"
                        and not any(c.isdigit() for c in b.label or "")
                        and (a.type != "Agreement" or _head_noun(a.data.get("kind")) == _head_noun(b.data.get("kind")))}
                # (a plain "Framework Agreement on Earth Science" is not the "Artemis Accords" the body names)
            if not body and loose:
                # "UK and Ukraine sign space cooperation agreement" above "… signed a memorandum …": the
                # one document of the body that is not an older one (no year in its name)
                body = {b.key: b for b in agreements if b.sent not in headline and b.key and not b.backref
                        and id(b) not in inner and not any(c.isdigit() for c in b.label or "")
                        and not b.data.get("amends")}
            if len(body) == 1:
                target = next(iter(body.values()))
                old = a.key                             # (a itself is among the mentions re-keyed)
                if old is None:
                    a.data["unnamed"] = False
                    a.key, a.label, a.type, a.backref = target.key, target.label, target.type, True
                    continue
                for x in agreements:
                    if x.key == old:
                        x.key, x.label, x.type = target.key, target.label, target.type
            elif not body and a.key is None:            # both unnamed: "… Sign Framework Agreement …" above
                same = [b for b in agreements if b.sent not in headline and b.data.get("unnamed")   # "signed a
                        and b.data.get("kind") == a.data.get("kind")]                              # framework
                if len(same) == 1:                                                                  # agreement"
                    a.data["unnamed"] = False
                    a.data["same_as"] = same[0]
                    a.backref = True

    def name_amending_chains(self, m: DocModel) -> None:
        """"the protocol we signed in 2018 … The protocol amended the framework agreement": an unnamed
        document is named by what a later mention of it says it amends."""
        for a in m.of_kind(AGREEMENT):
            anchor = a.data.get("same_as")
            if anchor is None or anchor.key or not anchor.data.get("unnamed") or anchor.data.get("amends"):
                continue
            target = self._amended_after(m, a)
            if target is None or not target.key or not target.label or target is anchor:
                continue
            kind = m.span_text(anchor.data["kind_start"], anchor.data["kind_end"])
            kind = kind[:1].upper() + kind[1:].lower() if not kind.isupper() else kind
            anchor.label = f"{kind} amending {target.label[:1].lower()}{target.label[1:]}"
            anchor.key = agreement_key(anchor.label)
            anchor.data["unnamed"] = False
            anchor.data["amends"] = target

    def _amended_after(self, m: DocModel, a: Mention) -> Mention | None:
        """The agreement ``a`` amends when the text says so right after it ("a protocol amending the 2008
        agreement on …", "the protocol, which amends the Agreement …")."""
        j = a.end
        s1 = m.sent_range(a.sent)[1]
        if m.lower(a.end - 1) in self.amend_words and m.lower(j) == "to":
            j -= 1                                      # "an addendum to their 2005 framework agreement"
        while j < min(s1, a.end + 4) and m.lower(j) not in self.amend_words:
            if m.lower(j) not in (",", "which", "that", "to", "introducing", "making", "on", "of"):
                return None
            j += 1
        if m.lower(j) not in self.amend_words:
            return None
        for k in range(j + 1, min(s1, j + 6)):
            target = m.container_at(k)
            if target is not None and target.kind == AGREEMENT and target is not a and target.start == k:
                return target
        return None

    def name_amending(self, m: DocModel) -> None:
        """"a protocol amending the 2008 agreement on …": an unnamed document is named by what it amends."""
        agreements = m.of_kind(AGREEMENT)
        named_types = {a.type for a in agreements if a.key and not a.backref}
        for a in agreements:
            if a.key or not a.data.get("bare") or a.data.get("plural"):
                continue
            if a.data.get("determiner") not in ("a", "an", None) and (a.type in named_types or any(
                    b.start < a.start and b.type == a.type and not b.key for b in agreements)):
                continue                                # "The protocol amends …": the protocol named before
            target = self._amended_after(m, a)
            if target is None or not target.key or not target.label:
                continue
            kind = m.span_text(a.data["kind_start"], a.data["kind_end"])
            kind = kind[:1].upper() + kind[1:].lower() if not kind.isupper() else kind
            joiner = "to" if m.lower(a.end) == "to" else "amending"     # "Addendum to …", "Protocol amending …"
            a.label = f"{kind} {joiner} {target.label[:1].lower()}{target.label[1:]}"
            a.key = agreement_key(a.label)
            a.backref = False
            a.data["bare"] = False
            a.data["amends"] = target

    def _kind_triggers(self, m: DocModel) -> list[Trigger]:
        out: list[Trigger] = []
        covered: set[int] = set()
        for span in sorted(m.triggers_with("agreement_kinds:"), key=lambda s: (s.start, -len(s))):
            if span.start in covered:
                continue
            covered.update(range(span.start, span.end))
            if not m.is_noise_sent(m.sent_of(span.start)):
                out.append(span)
        return out

    def kind_of(self, text: str) -> dict[str, str] | None:
        words = text.lower().split()
        if not words:
            return None
        singular = " ".join([*words[:-1], _PLURAL.get(words[-1], words[-1])])
        return self.kinds.get(" ".join(words)) or self.kinds.get(singular)

    # -- one mention ---------------------------------------------------------------------

    def build(self, m: DocModel, trig) -> None:
        sent = m.sent_of(trig.start)
        s0, s1 = m.sent_range(sent)
        row = self.kind_of(trig.text)
        if row is None:
            return
        needs = row["needs"]
        after = trig.end
        if needs in ("pp", "name") and after < s1 and (
                m.is_lower(after) and m.is_alpha(after) and m.lower(after) not in OPENERS
                and m.lower(after) not in CLAUSE_STOP and m.lower(after) not in self.sign_words
                or m.starting_at(after, PROJECT, PERSON) is not None
                or m.is_cap(after) and m.lower(after) not in OPENERS and m.at(after) is None
                and m.lower(after) not in FUNCTION_WORDS):
            return                  # "program director", "the human spaceflight programme Gaganyaan"
        start, determiner = self._left(m, trig.start, s0)
        if start < trig.start and determiner == "the" and all(
                m.lower(i) in self.backref_words for i in range(start, trig.start)):
            start = trig.start                          # "the amended agreement": the one named before
        if needs == "name" and not (start < trig.start and m.is_cap(trig.start - 1)):
            return
        end, inner_at, as_of = self._right(m, trig.end, s1)
        while end > trig.end and m.lower(end - 1) in self.amend_words:
            end -= 1                                    # "an exchange of notes … amending the 2021 agreement"
        skip = m.data.get("agreement_gaps", {}).get(trig.end)
        if end > trig.end + 3 and m.text(trig.end) == "(" and m.text(trig.end + 2) == ")":
            skip = (trig.end, trig.end + 3)             # "memorandum of understanding (MoU) on …": not in the name
        if end == trig.end:
            end, skip = self._passive_name(m, trig.end, s1, end)
        has_name = any(m.lower(i) not in EVALUATIVE for i in range(start, trig.start)) or end > trig.end
        if has_name and sent in m.data.get("title_case_headline", ()):
            has_name = False                            # "NASA, Mexican Space Agency Sign Framework Agreement on
            start, end = trig.start, trig.end           # Earth Science": capitals of a headline name nothing
        if needs == "pp" and has_name and end == trig.end and not self._named_before(m, start, trig.start):
            has_name = False
        if needs == "pp" and has_name and determiner is None and not any(
                m.is_cap(i) or m.text(i)[:1].isdigit() or m.at(i) is not None for i in range(start, trig.end)):
            return                  # "the two agencies plan to expand …"
        if _is_plural(trig.text) and determiner not in ("the", "these", "those", "both") \
                and not m.text(start)[:1].isdigit():
            return                                  # "programs and roadmaps for all areas": no one document
        mention = Mention(AGREEMENT, start, max(end, trig.end), sent, row["type"],
                          text=self._text(m, start, max(end, trig.end), skip))
        mention.data.update({"kind_start": trig.start, "kind_end": trig.end, "determiner": determiner,
                             "needs": needs, "as_of": as_of, "plural": _is_plural(trig.text),
                             "kind": row["phrase"].lower(),
                             "skip": skip})
        if not has_name or needs == "backref":
            mention.backref = needs in ("pp", "backref")
            mention.data["bare"] = True
            m.add(mention)
            return
        if inner_at is not None:
            inner_row = self.kind_of(inner_at.text)
            inner = Mention(AGREEMENT, inner_at.start, mention.end, sent, inner_row["type"] if inner_row else "Agreement",
                            text=m.clean_text(inner_at.start, mention.end))
            inner.data.update({"kind_start": inner_at.start, "kind_end": inner_at.end, "as_of": as_of})
            self._name(m, inner, inner_at.start, mention.end)
            mention.data["inner"] = inner
            mention.data["as_of"] = None
        self._name(m, mention, start, mention.end)
        if m.add(mention) is not None and inner_at is not None:
            m.attach(mention.data["inner"])
        if mention.data["plural"] and [m.lower(i) for i in range(mention.end, mention.end + 3)] == ["as", "well", "as"]:
            self._second_of_plural(m, mention, trig, s1)

    def _second_of_plural(self, m: DocModel, first: Mention, trig, s1: int) -> None:
        """"the joint statements on X as well as (on) Y": a second document of the same kind."""
        j = first.end + 3
        while m.lower(j) in ("the", "on", "a", "an"):
            j += 1
        end, _inner, _as_of = self._right(m, j, s1, opened=True)
        if end <= j:
            return
        kind = render(m, trig.start, trig.end, trig.start, trig.end, self)
        label = f"{kind} on {render(m, j, end, j, j, self)[:1].lower()}{render(m, j, end, j, j, self)[1:]}"
        second = Mention(AGREEMENT, j, end, first.sent, first.type, key=agreement_key(label), label=label,
                         text=f"{m.clean_text(trig.start, trig.end)} on {m.clean_text(j, end)}")
        second.data.update({"kind_start": trig.start, "kind_end": trig.end, "determiner": "the", "needs": "any",
                            "as_of": None, "plural": True, "kind": first.data.get("kind")})
        m.add(second)

    def _passive_name(self, m: DocModel, k: int, s1: int, end: int) -> tuple[int, tuple[int, int] | None]:
        """"A crucial MoU was signed between A and B on …": the name goes on after the verb."""
        j = k
        while j < s1 and m.lower(j) in ("was", "were", "has", "have", "been", "is", "are"):
            j += 1
        if j == k or m.lower(j) not in self.sign_words or m.lower(j + 1) not in ("between", "on", "regarding", "for"):
            return end, None
        new_end, _inner, _as_of = self._right(m, j + 1, s1, opened=True)
        if new_end <= j + 1:
            return end, None
        return new_end, (k, j + 1)

    @staticmethod
    def _text(m: DocModel, start: int, end: int, skip: tuple[int, int] | None) -> str:
        if skip is None:
            return m.clean_text(start, end)
        return " ".join(filter(None, (m.clean_text(start, skip[0]), m.clean_text(skip[1], end))))

    def _named_before(self, m: DocModel, start: int, kind_start: int) -> bool:
        """A name before a "pp" kind word: a proper word, an entity or a year ("Long-Term Development Program")."""
        for i in range(start, kind_start):
            if m.is_cap(i) or m.text(i)[:1].isdigit() or m.at(i) is not None:
                return True
        return kind_start - start >= 2

    def _left(self, m: DocModel, k: int, s0: int) -> tuple[int, str | None]:
        start = k
        j = k - 1
        lowercase_words = 0
        while j >= s0:
            other = m.at(j)
            low, text = m.lower(j), m.text(j)
            if other is not None:
                if other.kind in (PROJECT, PLACE, ORG, STATE) or other.kind == DATE and (
                        other.type == "range" or other.type == "year" and other.end == k):   # "the 2015 cooperation agreement"
                    start = other.start
                    j = other.start - 1
                    continue
                break
            if text == "-" and m.joined(j - 1) and m.joined(j):
                j -= 1
                continue
            if low in ("and", "&") and start == j + 1 and m.is_cap(j + 1) and m.is_cap(j - 1) \
                    and m.lower(j - 1) not in FUNCTION_WORDS and m.at(j - 1) is None:
                j -= 1                               # "the Basic Exchange and Cooperation Agreement"
                continue
            if low in FUNCTION_WORDS or low in CLAUSE_STOP or low in self.sign_words or not m.is_word(j):
                break
            if m.is_cap(j) or text[:1].isdigit():
                start = j
                j -= 1
                continue
            if low.endswith(("ed", "ing")) and m.lower(j - 1) not in ("a", "an", "the") \
                    or lowercase_words >= 4 or low.endswith("s") and not low.endswith("ss"):
                break
            lowercase_words += 1
            start = j
            j -= 1
        determiner = m.lower(start - 1) if m.lower(start - 1) in ("the", "a", "an", "this", "that") else None
        return start, determiner

    @staticmethod
    def _meeting_follows(m: DocModel, j: int) -> bool:
        """"the 4th meeting", "a session", "talks": a meeting noun within the next three words."""
        return any(t.label_ in ("meeting_words:noun", "meeting_words:named")
                   for i in range(j, j + 3) for t in m.triggers.get(i, ()))

    def _kind_follows(self, m: DocModel, j: int, s1: int) -> bool:
        """A kind word within the next few words, before any preposition: another document starts."""
        for q in range(j, min(s1, j + 5)):
            if m.trigger_at(q, "agreement_kinds:") is not None or self.kind_of(m.text(q)):
                return True
            if m.lower(q) in OPENERS or not m.is_word(q):
                return False
        return False

    def _right(self, m: DocModel, k: int, s1: int, opened: bool = False):
        """End of the name after the kind word, the amended agreement's kind word, an "as of" date."""
        end = k0 = k
        inner = None
        as_of = None
        amend_seen = m.lower(k - 1) in self.amend_words     # "an addendum to the 2005 framework agreement"
        if not opened and m.text(k) == "(" and m.text(k + 2) == ")" and m.lower(k + 3) in OPENERS \
                and (m.text(k + 1).isupper() or m.trigger_at(k + 1, "agreement_kinds:") is not None):
            k += 3                                  # "a memorandum of understanding (MoU) on …"
        year = m.starting_at(k, DATE)
        if year is not None and year.type in ("range", "year") and not opened:
            end = k = year.end                      # "the Space Cooperation Plan 2023-2032 between …"
        if not opened and m.lower(k) not in OPENERS:
            return end, None, None
        j = k
        while j < s1 and j - k < 45:
            low, text = m.lower(j), m.text(j)
            other = m.at(j)
            if low == "as" and m.lower(j + 1) == "of":
                date = m.starting_at(j + 2, DATE)
                if date is not None:
                    as_of = date
                break
            if other is not None and other.kind == DATE:
                if other.type in ("range", "year") and m.lower(j - 1) in ("for", "in") and low != "in" \
                        and not (other.type == "year" and m.lower(j - 1) == "in"):  # "the Accords in 2022": when
                    j = end = other.end
                    continue
                if m.lower(j - 1) == "of" and other.data.get("value") is not None and as_of is None:
                    as_of = other                    # "the implementing arrangement of 9 December 2015 on …"
                    j = end = other.end
                    continue
                if m.lower(j - 1) in ("in", "on") and m.lower(other.end) in ("on", "for", "regarding", "concerning") \
                        and end > k or end == k and m.lower(j - 1) in ("in", "on") and j - 1 == k \
                        and m.lower(other.end) in ("on", "for", "regarding", "concerning"):
                    m.data.setdefault("agreement_gaps", {})[k0] = (j - 1, other.end)
                    j = other.end                    # "a memorandum … in December 2022 on Egypt's participation"
                    continue
                break
            if other is not None and other.kind != AGREEMENT:
                j = end = other.end
                continue
            if low in CLAUSE_STOP or low in self.sign_words and j > k:
                break
            if low in ("for", "of") and (m.lower(j + 1 + (m.lower(j + 1) in ("a", "the"))) in ("period", "term")
                                         or m.lower(j + 2) in ("years", "year", "months")):
                break                                   # "extends the agreement for a period of five years"
            if low in ("at", "during") and self._meeting_follows(m, j + 1):
                break                                # "… mission at the 4th meeting of the Joint Working Group"
            if low == "to" and j > k and m.lower(j + 1) in self.purpose_words:
                break                                # "the framework agreement between … to cover …" (but "Roadmap to use …")
            if low in ("in", "at"):
                nxt = m.starting_at(j + 1 + (m.lower(j + 1) == "the"), PLACE, ORG)
                if nxt is not None and (nxt.kind == ORG or nxt.type == "Place" and low == "in"
                                        and m.lower(nxt.end) not in ("city", "town")
                                        or nxt.type == "Place" and m.lower(nxt.end - 1) in ("house", "palace")):
                    break                                # "… rover at NASA headquarters in Washington"
            if text == "(" and m.text(j + 2) == ")" and m.lower(j - 1) not in OPENERS:
                j += 3                               # "… Organization (ISRO) and …"
                continue
            if is_quote(text) and j > k and (m.at(j + 1) is not None or m.is_cap(j + 1)) and any(
                    is_quote(m.text(q)) for q in range(j + 2, min(s1, j + 6))):
                j += 1                               # "of Russia ‘ROSCOSMOS’ on …"
                continue
            if is_quote(text) and j > k and end > k and is_quote(m.text(j - 1)) is False and m.at(j - 1) is not None:
                j += 1                               # the closing quote after such a name
                continue
            if text in (".", ";", ":", "!", "?", "(", ")", "—", "–") or is_quote(text) and j > k:
                break
            if text == ",":
                if m.lower(j + 1) == "and" and m.lower(j + 2) in ("the", "a", "an", "its"):
                    j += 1
                    continue
                if end > k and m.is_lower(j + 1) and m.is_alpha(j + 1) and m.lower(j + 1) not in CLAUSE_STOP \
                        and m.lower(j + 1) not in self.sign_words and any(
                        m.lower(q) == "and" and m.is_lower(q + 1) and m.lower(q + 1) not in CLAUSE_STOP
                        for q in range(j + 2, j + 5)) and all(
                        m.is_lower(q) and m.lower(q) not in CLAUSE_STOP | self.sign_words
                        for q in range(j + 1, next(q for q in range(j + 2, j + 5) if m.lower(q) == "and"))):
                    j += 1                           # "… in the field of industrial, scientific and technological …"
                    continue
                conj = next((q for q in range(j + 2, min(s1, j + 5)) if m.lower(q) == "and"), None)
                if end > k and m.is_cap(j + 1) and conj is not None and m.is_cap(conj + 1) and all(
                        m.is_cap(q) and m.is_alpha(q) and m.at(q) is None and m.lower(q) not in FUNCTION_WORDS
                        for q in [*range(j + 1, conj), conj + 1]) and not m.is_cap(conj + 2):
                    j += 1                           # "Treaty of Friendship, Cooperation and Consultation"
                    continue
                break
            if low == "and" and self._kind_follows(m, j + 1, s1):
                break                                # "a framework agreement on X and an implementation agreement on Y"
            if low in self.amend_words:
                amend_seen = True
            trig = m.trigger_at(j, "agreement_kinds:")
            if trig is not None and j > k:
                if amend_seen and inner is None and m.lower(j - 1) in ("the", "an", "a", "to", "of", "on"):
                    inner = trig
                j = end = trig.end
                continue
            if m.is_word(j) or text in ("-", "&", "'s", "’s"):
                if low not in OPENERS and low not in FUNCTION_WORDS or low in ("and",):
                    end = j + 1
                elif low in OPENERS or low in ("the", "a", "an", "its", "their"):
                    pass
                else:
                    end = j + 1
                j += 1
                continue
            break
        while end > k and m.lower(end - 1) in OPENERS | {"and", "the", "a", "an", "of", "its", "their"}:
            end -= 1
        return end, inner, as_of

    # -- naming ---------------------------------------------------------------------------

    def _name(self, m: DocModel, mention: Mention, start: int, end: int) -> None:
        label = render(m, start, end, mention.data["kind_start"], mention.data["kind_end"], self,
                       mention.data.get("skip"))
        mention.label = label
        mention.key = agreement_key(label)

    # -- back-references ------------------------------------------------------------------

    def merge_variants(self, m: DocModel) -> None:
        """Two names of one kind in one article for one document: one agreement. They are one when
        one's words are inside the other's ("the agreement on cross-flights to the ISS" / "… on joint
        cross-flights of …"), or when they name the same things and share a word of their own."""
        agreements = m.of_kind(AGREEMENT)
        inner = {id(x.data["inner"]) for x in agreements if x.data.get("inner") is not None}
        named = [a for a in agreements if a.key and not a.backref and not a.data.get("inner") and id(a) not in inner]
        words = {id(a): _content(a.label) - self.generic for a in named}
        things = {id(a): self._things(m, a) for a in named}
        groups: dict[str, str] = {}
        for a in named:
            assert a.key is not None and a.label is not None    # named: a key, and a key comes with its label
            for b in named:
                assert b.key is not None and b.label is not None
                if a is b or a.type != b.type or a.key == b.key or len(a.label) > len(b.label) \
                        or a.data.get("kind") != b.data.get("kind"):
                    continue                            # a joint statement is not the agreement
                wa, wb, ta, tb = words[id(a)], words[id(b)], things[id(a)], things[id(b)]
                alone = not wa and not ta and sum(1 for x in named if x.type == a.type and x.key != a.key) == 1
                same = alone or (wa and wa <= wb) or (ta and ta == tb) or (wa & wb and (ta <= tb or tb <= ta))
                if same:
                    groups[a.key] = b.key
        for a in m.of_kind(AGREEMENT):
            target = a.key
            seen = set()
            while target in groups and target not in seen:
                seen.add(target)
                target = groups[target]
            if target != a.key:
                model_ = next(x for x in named if x.key == target)
                a.key, a.label = model_.key, model_.label

    @staticmethod
    def _things(m: DocModel, a: Mention) -> frozenset[str]:
        """What an agreement's name names besides states: projects, places, organizations, people."""
        return frozenset(x.key for x in m.in_sentence(a.sent, PROJECT, PLACE, ORG, PERSON)
                         if a.start <= x.start and x.end <= a.end and x.key)

    def _superseded_by(self, m: DocModel, mention: Mention, agreements: list[Mention],
                       by_sentence: dict[int, list[Mention]]) -> set[str]:
        """Keys of the documents of the sentence that a supersede word puts before ``mention``: it is not them.
        (``by_sentence``: ``agreements`` by sentence, as only those of the mention's sentence can be.)"""
        found = {a.key for a in by_sentence.get(mention.sent, ()) if a is not mention and a.key
                 and _superseded_by_words(m, a, mention, self.supersede_words)}
        s0, _s1 = m.sent_range(mention.sent)
        if not found and any(m.lower(i) in self.supersede_words or f"{m.lower(i)} {m.lower(i + 1)}"
                             in self.supersede_words for i in range(s0, mention.start)):
            before = [a for a in agreements if a.key and a.sent < mention.sent]
            if before:                                  # "It builds on the framework agreement …": "it" is the last one
                last = max(before, key=lambda a: a.start)
                assert last.key is not None             # (before holds agreements with a key only)
                found.add(last.key)
        return found

    def resolve_year_backrefs(self, m: DocModel) -> None:
        """"the 2021 agreement": the agreement of that kind named before with a date of that year in its
        sentence ("the Agreement on … signed in Kigali on 27 May 2021")."""
        agreements = [a for a in m.of_kind(AGREEMENT) if a.key]
        for mention in agreements:
            year = m.starting_at(mention.start + (m.lower(mention.start) == "the"), DATE)
            if year is None or year.type != "year" or year.end != mention.data.get("kind_start") \
                    or mention.data.get("inner") is not None:
                continue
            word = _head_noun(mention.data.get("kind"))
            for a in agreements:
                if a.start >= mention.start or a.key == mention.key or _head_noun(a.data.get("kind")) != word \
                        or a.backref or a.data.get("amends") is not None:
                    continue
                if any(d.data.get("year") == year.data.get("year") and d.start > a.start
                       for d in m.in_sentence(a.sent, DATE)):
                    mention.key, mention.label, mention.type = a.key, a.label, a.type
                    mention.backref = True
                    break

    def resolve_backrefs(self, m: DocModel) -> None:
        """"the Concept", "The document", "The accord": the last agreement of that kind before them."""
        agreements = m.of_kind(AGREEMENT)
        inner = {id(a.data["inner"]) for a in agreements if a.data.get("inner") is not None}
        named = [a for a in agreements if a.key and id(a) not in inner]
        # Indexes of the agreements as listed here (in text order; the loop changes their keys, never
        # where they are): by sentence, and their starts, so that a mention looks back from itself
        # instead of filtering every agreement of the document once per mention (quadratic in long texts).
        by_sentence: dict[int, list[Mention]] = {}
        for a in agreements:
            by_sentence.setdefault(a.sent, []).append(a)
        starts = [a.start for a in agreements]
        heads: dict[str | None, list[str]] = {}

        def head(a: Mention) -> list[str]:
            kind = a.data.get("kind")
            if kind not in heads:
                heads[kind] = _head_noun(kind)
            return heads[kind]

        for mention in agreements:
            if mention.key or not mention.data.get("bare"):
                continue
            generic = mention.type == "Agreement"
            other = self._superseded_by(m, mention, agreements, by_sentence)  # "the MOU supersedes the letter …"
            earlier = [a for a in named if a.start < mention.start and (generic or a.type == mention.type)
                       and a.key not in other]
            headline = self.headline_sentences(m) if other else set()
            if other:                                   # "It replaces the memorandum …": nor the headline's new one
                earlier = [a for a in earlier if a.sent not in headline]
            if mention.data.get("determiner") in ("a", "an"):   # "an agreement signed in 1988" after a protocol
                earlier = [a for a in earlier if a.data.get("kind") == mention.data.get("kind")]
            if mention.data.get("determiner") in (None, "a", "an") and not earlier and (
                    not mention.backref or mention.data.get("determiner") in ("a", "an")):
                later = [a for a in named if a.start > mention.start and a.sent - mention.sent <= 2
                         and (generic or a.type == mention.type)
                         and (a.data.get("kind") == mention.data.get("kind") or mention.data.get("kind") in _LOOSE_KINDS)]
                if later:
                    earlier = [later[0]]
            word = head(mention)
            # the last agreement before it named by the same word: looked for from the mention backwards
            same_word = None if not word or word == ["agreement"] else next(
                (a for a in map(agreements.__getitem__, range(bisect_left(starts, mention.start) - 1, -1, -1))
                 if a is not mention and head(a) == word and (a.key or a.data.get("unnamed"))
                 and id(a) not in inner and not a.backref and a.key not in other and a.sent not in headline), None)
            if same_word is not None:                   # "Under the arrangement": the implementing arrangement
                target = same_word
                if target.key:
                    mention.key, mention.label, mention.type = target.key, target.label, target.type
                else:
                    mention.data["same_as"] = target
                mention.backref = True
                continue
            introduced = [a for a in agreements if a.start < mention.start and a.data.get("unnamed")
                          and (generic or a.type == mention.type) and a.key not in other]
            introduced = [a for a in introduced if not (a.sent == mention.sent and any(
                m.lower(i) in self.amend_words for i in range(a.end, mention.start)))]   # "a protocol amends the agreement"
            if introduced and (not earlier or introduced[-1].start > earlier[-1].start) \
                    and mention.data.get("determiner") not in ("a", "an"):      # the latest document named
                anchor = introduced[-1]                 # "signed a memorandum … The MoU provides …"
                mention.data["same_as"] = anchor
                mention.backref = True
                continue
            if earlier:
                target = earlier[-1]
                amended = {id(a.data["amends"]) for a in named if a.data.get("amends") is not None}
                if id(target) in amended and mention.data.get("kind") in ("document", "documents"):
                    target = next((a for a in reversed(earlier) if id(a) not in amended), target)
                mention.key, mention.label, mention.type = target.key, target.label, target.type
                mention.backref = True
            elif mention.data.get("needs") == "any" and not mention.data.get("plural"):
                mention.data["unnamed"] = True
            else:
                m.remove(mention)


def _superseded_by_words(m: DocModel, a: Mention, mention: Mention, words: set[str]) -> bool:
    return a.sent == mention.sent and a.end <= mention.start and any(
        m.lower(i) in words or f"{m.lower(i)} {m.lower(i + 1)}" in words for i in range(a.end, mention.start))


def _head_noun(kind: str | None) -> list[str]:
    """The noun a document word is named by: "memorandum" of "memorandum of understanding", "letter" of
    "letter of intent", "arrangement" of "implementing arrangement" (as a one-word list; [] for none)."""
    words = (kind or "").lower().split(" of ")[0].split()
    return words[-1:]


def _is_plural(kind_text: str) -> bool:
    words = kind_text.lower().split()
    return bool(words) and words[-1] in _PLURAL


def _content(label: str | None) -> frozenset[str]:
    words = (label or "").lower().replace("-", " ").split()
    return frozenset(w.strip(",") for w in words[1:] if w not in OPENERS and w not in ("and", "the", "of"))


def _has_upper(text: str) -> bool:
    """``any(c.isupper() for c in text)``; most words are all lower case, which one C call settles
    (an upper-case letter is cased and not lower case, so ``islower()`` rules it out)."""
    return not text.islower() and any(c.isupper() for c in text)


def _has_digit(text: str) -> bool:
    """``any(c.isdigit() for c in text)``; most words are letters only, which one C call settles
    (no letter is a digit)."""
    return not text.isalpha() and any(c.isdigit() for c in text)


def render(m: DocModel, start: int, end: int, kind_start: int, kind_end: int, rec: AgreementRecognizer,
           skip: tuple[int, int] | None = None) -> str:
    """The canonical label of an agreement named by tokens ``start:end`` (see the module docstring)."""
    dropped = set(range(*skip)) if skip else set()
    for i in range(start, end):
        for phrase in rec.filler_starts.get(m.lower(i), ()):
            n = len(phrase)
            if i + n <= end and m.lowers(i, i + n) == phrase:
                dropped.update(range(i, i + n))
    parts: list[str] = []
    first_preposition_done = False
    i = start
    while i < end:
        if i in dropped:
            i += 1
            continue
        glue = i > start and m.joined(i - 1) and (i - 1) not in dropped and parts
        other = m.at(i)
        if other is not None and other.kind in (STATE, PLACE, PROJECT, ORG, PERSON) and other.start >= start \
                and other.end <= end and other.key:
            word = other.text if other.kind == STATE and other.adjective else (other.label or other.text)
            i = other.end
        else:
            text = m.text(i)
            low = text.lower()
            i += 1
            if is_quote(text) or low in ("the", "a", "an") or low in rec.filler_words:
                continue
            if kind_start <= i - 1 < kind_end:
                word = _PLURAL.get(low, low)
                if text.isupper() or _has_upper(text[1:]):
                    word = text
            elif i - 1 >= kind_end and not first_preposition_done and low in _FIRST_PREPOSITION:
                word = _FIRST_PREPOSITION[low]
                first_preposition_done = True
            elif low in _PLACE_PREPOSITIONS:
                word = _PLACE_PREPOSITIONS[low]
            elif _has_upper(text[1:]) or _has_digit(text):
                word = text
            else:
                word = low
            if i - 1 >= kind_end and low in ("of", "on", "for", "to", "between", "in"):
                first_preposition_done = True
        if glue:
            parts[-1] += word
        else:
            parts.append(word)
    label = " ".join(parts).replace(" ,", ",").strip(" ,")
    return label[:1].upper() + label[1:] if label else label
