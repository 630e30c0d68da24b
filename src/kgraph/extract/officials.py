"""``kgraph_officials_v1``: officials, the posts they hold and the states they act for.

A title phrase is built around a title word of ``titles.tsv``: modifiers on the left
("First Deputy", "Acting", "Ex-"), then what qualifies it on the left ("Russian", "NASA",
"Russia's State Space Corporation Roscosmos", "Kazakh Defense and Aerospace Industry")
and on the right ("of Kazakhstan", "of the Government of the Russian Federation", "of the
Russian state corporation of space activities Roskosmos", "at the Ministry of …",
"to France", a minister's portfolio "of Defense and Aerospace Industry"). The person is
the name right after it ("… Askar Mamin") or before it in apposition ("Wang Zhaoyao,
Chairman of …"); plural titles give several ("Vice Premiers of Kazakhstan A and of
Russia B"; "The co-chairmen of the Commission, X, A and Y, B").

The post's title is the wording without the state and without an organization that is an
entity of its own; "former"/"Ex-" titles give no post. Short mentions ("said Mamin",
"President Nazarbayev") resolve to the full name the document gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc

from ..identity import organization_key, person_key, person_label
from .base import DataComponent
from .docmodel import DATE, ORG, PERSON, PLACE, STATE, DocModel, Mention, model, whole_words
from .entities import CLAUSE_STOP, FUNCTION_WORDS, MONTH_WORDS, is_quote

_WHO_HEADS = re.compile(r"(?<=, )who (?:heads|headed|leads|led|directs|directed|chairs|chaired|runs|manages)\b")
_REPORTING_VERBS = {"said", "says", "told", "added", "noted", "stressed", "stated", "explained"}
_HEADING_VERBS = {"heads", "headed", "leads", "led", "directs", "directed", "chairs", "chaired", "runs", "manages"}
_ROMAN = re.compile(r"^(?:I{2,3}|IV|VI{0,3}|IX|XI{0,3})$")
_PATRONYMIC = re.compile(r"(?:ovich|evich|yevich|ovna|evna|yevna|ich)$", re.IGNORECASE)
_PORTFOLIO_TITLES = {"minister", "deputy minister", "vice minister", "secretary of state", "state secretary",
                     "secretary", "under secretary", "undersecretary", "commissioner", "ambassador"}
_PP = {"of", "at", "for", "to", "in"}
#: Particles inside personal names ("Hamad bin Khalifa Al Thani", "Maria de la Cruz", "Ursula von der Leyen").
PARTICLES = frozenset({"bin", "bint", "binti", "ibn", "al", "el", "abu", "ben", "de", "da", "das", "dos", "do",
                       "del", "della", "di", "du", "van", "von", "der", "den", "la", "le", "ter", "ul", "ud"})
#: ``doc.user_data`` key of the PERSON spans (character offsets) of a trained NER, when one is configured.
NER_PERSONS = "kg_ner_persons"


@dataclass
class TitlePhrase:
    start: int
    end: int
    sent: int
    core: str                               # canonical core title ("Prime Minister")
    level: str
    plural: bool = False
    former: bool = False
    role: bool = False                      # "counterpart": a person acting for a state, no post
    modifiers: list[str] = field(default_factory=list)
    portfolio: list[str] = field(default_factory=list)   # wording after the core ("of Internal Affairs")
    states: list[Mention] = field(default_factory=list)
    orgs: list[Mention] = field(default_factory=list)
    implied_state: str | None = None
    data_start: int = 0
    persons: list[tuple[Mention, Mention | None]] = field(default_factory=list)   # (person, own state)

    @property
    def wording(self) -> str:
        return " ".join([*self.modifiers, self.core, *self.portfolio])


@Language.factory("kgraph_officials_v1", default_config={"lexicon_dir": None})
def make_officials(nlp: Language, name: str, lexicon_dir: str | None) -> OfficialsRecognizer:
    return OfficialsRecognizer(nlp, name, lexicon_dir)


class OfficialsRecognizer(DataComponent):
    """Title phrases, persons and posts (``Mention.data["posts"]`` of person mentions)."""

    lexicons = ("titles", "portfolio_words", "family_name_first")

    def setup(self) -> None:
        rows = self.data["titles"]
        self.cores = {r["phrase"].lower(): r for r in rows if r["kind"] == "core"}
        self.modifiers = {r["phrase"].lower() for r in rows if r["kind"] == "modifier"}
        self.former = {r["phrase"].lower() for r in rows if r["kind"] == "former"}
        from .rulers import _plurals

        self.plurals = {p.lower(): r for r in rows if r["kind"] == "core" for p in _plurals(r["phrase"])}
        # words that make a title: single-word titles, modifiers and the last word of longer titles
        # ("Defense Minister" makes "minister" a title word, not "defense")
        self.title_words = {p.split()[-1] for p in self.cores} | {w for p in self.modifiers for w in p.split()}
        self.portfolio_words = {r["phrase"].lower() for r in self.data.get("portfolio_words", ())}
        self.family_first = {r["phrase"].lower() for r in self.data.get("family_name_first", ())}
        super().setup()

    def __call__(self, doc: Doc) -> Doc:
        self.require()
        m = model(doc)
        phrases = [p for p in (self.parse(m, span) for span in self._cores(m)) if p is not None]
        given = {p.start for q, p in pairwise(phrases) if self._title_as_given_name(m, q, p)}
        if given:                                   # "astronaut Sultan Al Neyadi": "Sultan" is his name
            m.data["given_names"] = given
            phrases = [p for p in phrases if p.start not in given]
        deferred: list[tuple[TitlePhrase, int, int, str | None]] = []
        # "X, Minister of State for … and Chairwoman of the UAE Space Agency": both titles are X's
        coordinated = {id(p): q for q, p in pairwise(phrases)
                       if q.end == p.start - 1 and m.lower(q.end) == "and" and not p.plural and not q.plural}
        for phrase in phrases:
            if id(phrase) not in coordinated:
                self.attach_persons(m, phrase, deferred)
        for phrase in phrases:
            if id(phrase) in coordinated:
                first = coordinated[id(phrase)]
                if first.persons:
                    phrase.persons = list(first.persons)
                elif not first.portfolio:               # "CNES President and CEO Philippe Baptiste": one post
                    phrase.modifiers = [*first.modifiers, first.core, "and", *phrase.modifiers]
                    phrase.orgs = [*first.orgs, *phrase.orgs]
                    phrase.states = [*first.states, *phrase.states]
                    self.attach_persons(m, phrase, deferred)
                else:                                   # "Minister of X and Chairman of Y Z": two posts
                    self.attach_persons(m, phrase, deferred)
                    first.persons = list(phrase.persons)
        self.distribute_plurals(phrases)
        self.heads_by_verb(m)
        self.coordinated_persons(m)
        surnames = self.resolve_short_names(m, deferred)
        self.surnames_not_places(m, surnames)
        self.scan_known_names(m, surnames)
        for phrase in phrases:
            for person, own_state in phrase.persons:
                self.record_post(m, phrase, person, own_state)
        return doc

    @staticmethod
    def _title_as_given_name(m: DocModel, before: TitlePhrase, p: TitlePhrase) -> bool:
        """A one-word title right after another title phrase, a name following it: a given name."""
        return (p.start == before.end and p.end - p.start == 1 and not p.modifiers and not p.states
                and not p.orgs and not p.portfolio and not p.plural and m.is_cap(p.start)
                and m.is_name_token(p.end) and m.at(p.end) is None)

    # -- title phrases ---------------------------------------------------------------

    def _cores(self, m: DocModel):
        spans = [s for s in m.triggers_with("titles:") if s.label_ in ("titles:core", "titles:plural")]
        kept = []
        covered: set[int] = set()
        for span in sorted(spans, key=lambda s: (-len(s), s.start)):
            if any(i in covered for i in range(span.start, span.end)):
                continue
            if span.start > 0 and m.text(span.start - 1) == "-" and m.joined(span.start - 2) \
                    and m.lower(span.start - 2) not in ("co", "ex", "vice"):
                continue                                        # "Nur-Sultan"
            other = m.at(span.start)
            if other is not None and other.kind != PERSON:
                continue
            covered.update(range(span.start, span.end))
            kept.append(span)
        return sorted(kept, key=lambda s: s.start)

    def parse(self, m: DocModel, span) -> TitlePhrase | None:
        sent = m.sent_of(span.start)
        if m.is_noise_sent(sent):
            return None
        s0, s1 = m.sent_range(sent)
        low = span.text.lower()
        plural = span.label_ == "titles:plural"
        row = self.plurals.get(low) if plural else self.cores.get(low)
        if row is None:
            return None
        core = row["canonical"] or row["phrase"]
        phrase = TitlePhrase(span.start, span.end, sent, core, row["level"] or "org", plural=plural,
                             implied_state=row["state"] or None, role=row["level"] == "role")
        if core[:1].islower() and span.text[:1].isupper():
            phrase.core = span.text if not plural else core
        self._left(m, phrase, s0)
        left_portfolio = list(phrase.portfolio)
        phrase.portfolio = []
        self._right(m, phrase, s1)
        if left_portfolio and not phrase.portfolio:
            phrase.portfolio = left_portfolio
        elif left_portfolio:
            phrase.start = phrase.data_start
        return phrase

    def _left(self, m: DocModel, p: TitlePhrase, s0: int) -> None:
        j = p.start - 1
        while j >= s0:
            low = m.lower(j)
            if low in self.modifiers and m.is_cap(j) == m.is_cap(p.start) or low in self.modifiers and j == p.start - 1:
                p.modifiers.insert(0, m.text(j))
                p.start = j
                j -= 1
                continue
            if low == "and" and m.lower(j - 1) in self.modifiers and m.is_cap(j - 1) == m.is_cap(p.start) \
                    and m.text(j - 2) == ",":           # "X, executive and technical director of …"
                p.modifiers[:0] = [m.text(j - 1), "and"]
                p.start = j - 1
                j -= 2
                continue
            if m.text(j) == "-" and m.joined(j - 1) and m.joined(j) and m.lower(j - 1) in ("ex", "co"):
                if m.lower(j - 1) == "ex":
                    p.former = True
                else:
                    p.modifiers.insert(0, "Co-")
                p.start = j - 1
                j -= 2
                continue
            if low in self.former:
                p.former = True
                p.start = j
                j -= 1
                continue
            break
        portfolio: list[str] = []
        p.data_start = p.start
        minister = p.core.lower().endswith("minister")
        while j >= s0:
            if m.text(j) == ")" and m.text(j - 2) == "(" and m.ending_at(j - 2, ORG) is not None:
                j -= 3                                  # "the Italian Space Agency (ASI) President X"
            k = j - 1 if m.lower(j) in ("'s", "’s") else j
            mention = m.ending_at(k + 1, STATE, ORG)
            if mention is not None and not (mention.kind == STATE and mention.data.get("government")):
                (p.states if mention.kind == STATE else p.orgs).append(mention)
                p.start = mention.start
                j = mention.start - 1
                continue
            if minister and not p.states and not p.orgs and m.is_cap(j) and m.is_alpha(j) \
                    and m.at(j) is None and m.lower(j) not in FUNCTION_WORDS and m.lower(j) not in self.title_words:
                portfolio.insert(0, m.text(j))
                p.start = j
                j -= 1
                continue
            if minister and portfolio and m.lower(j) in ("and", "&", ",") and m.is_cap(j - 1) and m.at(j - 1) is None:
                portfolio.insert(0, m.text(j))
                j -= 1
                continue
            break
        while portfolio and portfolio[0].lower() in ("and", "&", ","):
            portfolio.pop(0)
        if portfolio:
            p.portfolio = ["of", *_join(portfolio)]

    def _right(self, m: DocModel, p: TitlePhrase, s1: int) -> None:
        k = p.end
        portfolio_ok = p.core.lower() in _PORTFOLIO_TITLES or p.core.lower().endswith("minister")
        while k < s1:
            low = m.lower(k)
            if low not in _PP:
                break
            q = k + 1
            if m.lower(q) == "the":
                q += 1
            state = m.starting_at(q, STATE)
            if state is not None and state.adjective and m.text(state.end)[:1].islower() \
                    and m.lower(state.end) not in _PP:
                state = None                       # "of the Russian state corporation … Roskosmos"
            owned = m.starting_at(state.end + 1, ORG) if state is not None and m.lower(state.end) in ("'s", "’s") else None
            if owned is not None and low != "to":      # "head of Indonesia's National Research and Innovation
                assert state is not None                # (owned is only looked for after a state)
                p.states.append(state)                  # Agency (BRIN) Laksana Tri Handoko"
                q = owned.start
                state = None
            if state is not None:
                if low == "to":
                    p.portfolio += ["to", state.text]
                elif state.data.get("government"):
                    p.portfolio += ["of", "the", "Government"]
                    p.states.append(state)
                else:
                    p.states.append(state)
                k = p.end = state.end
                continue
            org = m.starting_at(q, ORG)
            if org is None:
                org, adjective = self._described_org(m, q, s1)
                if adjective is not None:
                    p.states.append(adjective)
                if org is None and low == "of":
                    after = self._descriptor_then_name(m, q, s1)
                    if after is not None:              # "head of the national space agency Talgat Mussabayev"
                        p.end = after
                        break
            if org is not None and low != "to":
                p.orgs.append(org)
                k = org.end
                if is_quote(m.text(k)):
                    k += 1
                if m.text(k) == "(" and m.text(k + 2) == ")":
                    k += 3
                nxt = m.starting_at(k, ORG)
                if nxt is not None:
                    p.orgs.append(nxt)
                    k = nxt.end
                p.end = k
                continue
            if portfolio_ok or low == "for":
                words, stop = self._portfolio(m, q, s1)
                if words:
                    p.portfolio += [low, *words]
                    k = p.end = stop
                    continue
            if low == "of" and self._unlisted_body(m, p, k, q, s1):
                k = p.end
                if p.orgs and p.orgs[-1].start == q:
                    break                               # the name follows the body: "of Azercosmos Samaddin Asadov"
                continue
            break

    def _described_org(self, m: DocModel, q: int, s1: int) -> tuple[Mention | None, Mention | None]:
        """"the Russian state corporation of space activities Roskosmos", "the aerospace agency "Kazkosmos""."""
        adjective = None
        start = q
        while q < s1 and q - start < 7:
            mention = m.at(q)
            if mention is not None and mention.start == q and mention.kind == ORG:
                return mention, adjective
            if mention is not None and mention.kind == STATE and mention.adjective:
                adjective = mention
                q = mention.end
                continue
            if mention is not None:
                return None, None
            if m.is_lower(q) or is_quote(m.text(q)) or m.text(q) == "-":
                q += 1
                continue
            break
        return None, None

    def _unlisted_body(self, m: DocModel, p: TitlePhrase, k: int, q: int, s1: int) -> bool:
        """"Chairman of the Board of Azercosmos Samaddin Asadov": a body no list has, named by capitals.

        A run of capitalised words followed by another "of" is part of the title ("of the Board");
        a run of three or more words followed by no name is an organization and the person's name."""
        run = q
        while run < s1 and m.is_cap(run) and m.is_alpha(run) and m.at(run) is None \
                and m.lower(run) not in FUNCTION_WORDS and (m.lower(run) not in self.title_words or run == q
                                                            and m.is_cap(run + 1) and m.is_alpha(run + 1)
                                                            and m.lower(run + 1) not in self.title_words):
            run += 1                                    # "of the Executive Board": a title word may open it
        n = run - q
        if not n:
            return False
        if m.lower(run) == "of" and n <= 2:
            p.portfolio += ["of", *(["the"] if m.lower(q - 1) == "the" else []), *(m.text(i) for i in range(q, run))]
            p.end = run
            return True
        if n >= 3 and not m.is_name_token(run):
            name_size = 3 if n >= 4 and (_PATRONYMIC.search(m.text(run - 2)) or len(m.text(run - 3)) == 1) else 2
            org_end = run - name_size
            if org_end - q == 1 and m.lower(q - 1) == "the":    # "Chairman of the Board Samaddin Asadov": one
                p.portfolio += ["of", "the", m.text(q)]           # word after "the" is the title's
                p.end = org_end
                return True
            label = m.clean_text(q, org_end)
            body = Mention(ORG, q, org_end, p.sent, "Organization", key=organization_key(label), label=label,
                           text=label)
            if m.add(body) is not None:
                p.orgs.append(body)
                p.end = org_end
                return True
        return False

    def _descriptor_then_name(self, m: DocModel, q: int, s1: int) -> int | None:
        """The end of a lowercase description of an organization that a personal name follows."""
        j = q
        while j < s1 and j - q < 5 and m.is_lower(j) and m.at(j) is None:
            j += 1
        if j == q or m.trigger_at(j - 1, "organization_words:") is None:
            return None
        found = self.read_name(m, j, s1)
        return j if found is not None and found[1] - found[0] >= 2 else None

    def _portfolio(self, m: DocModel, q: int, s1: int) -> tuple[list[str], int]:
        words: list[str] = []
        k = q
        while k < s1 and len(words) < 18:
            low = m.lower(k)
            if m.at(k) is not None or low in _PP or low in MONTH_WORDS:
                break
            if words and (self._title_starts(m, k) or low == "and" and self._title_starts(m, k + 1)
                          or m.is_cap(k) and m.trigger_at(k, "titles:address") is not None):
                break                                   # "Minister of State Sheikh Salem …"
            if low in CLAUSE_STOP or m.is_lower(k) and low != "and" and any(w[:1].isupper() for w in words):
                break                                   # "… Ana Lima held talks"
            if m.is_alpha(k) and low not in ("the",) and (low not in FUNCTION_WORDS or low == "and") or low in (",", "&") and m.text(k + 1)[:1].isupper():
                words.append(m.text(k))
            elif low == "the" and words:
                pass
            else:
                break
            k += 1
        ended_by_pp = m.lower(k) in ("of", "for") or (other := m.at(k)) is not None \
            and other.kind not in (PLACE, STATE, DATE)
        while words and words[-1].lower() in ("and", ",", "&"):
            words.pop()
            k -= 1
        particle = self._particle(m, k)
        name_at = self._name_in_portfolio(words, particle) if particle or not ended_by_pp else None
        if name_at is not None:                         # "… Scientific Research Mohamed Ayman Ashour"
            k -= len(words) - name_at
            words = words[:name_at]
        elif particle and len(words) >= 2 and words[-1][:1].isupper() and words[-2][:1].isupper():
            k -= 1                                      # "Minister of Industry Bandar bin Ibrahim …"
            words = words[:-1]
        elif not ended_by_pp:
            # the name may have been read as portfolio: "Minister of Defense and Aerospace Industry Beybut Atamkulov"
            run = 0
            for w in reversed(words):
                if w[:1].isupper() and w.lower() not in ("and",):
                    run += 1
                else:
                    break
            if run >= 3:
                size = 3 if _PATRONYMIC.search(words[-2]) or len(words[-3]) == 1 else 2
                k -= size
                words = words[:-size]
        while words and words[-1].lower() in ("and", ",", "&"):
            words.pop()
            k -= 1
        return _join(words), k

    def _name_in_portfolio(self, words: list[str], particle: bool) -> int | None:
        """Where a personal name begins in a portfolio read up to a non-name word: the first capitalised
        word that is no portfolio word, when the words from it are a name (two to four, or one before
        a particle); or the words after the last comma, when they are such a name ("Minister of Digital
        Governance, Kyriakos Pierrakakis")."""
        if "," in words:
            last = len(words) - words[::-1].index(",")
            tail = words[last:]
            if 2 <= len(tail) <= 4 and all(t[:1].isupper() and t.lower() not in self.portfolio_words
                                           and t.lower() not in ("and", "&") for t in tail):
                return last
        for i in range(1, len(words)):
            w = words[i]
            if w.lower() in ("and", "&", ",", "of") or w.rstrip(",").lower() in self.portfolio_words:
                continue
            tail = words[i:]
            cut = next((n for n, t in enumerate(tail) if t.lower() in ("and", "&") or t.endswith(",")), None)
            if cut is not None:                         # "… Innovation Luciana Santos and Clezio Marcos De Nardin"
                tail = tail[:cut + (1 if tail[cut].endswith(",") and tail[cut] != "," else 0)]
                particle = False
            if all(t[:1].isupper() and t.lower() not in self.portfolio_words for t in tail) \
                    and (1 if particle else 2) <= len(tail) <= 4:
                return i
            return None
        return None

    def _title_starts(self, m: DocModel, k: int) -> bool:
        return any(span.label_ in ("titles:core", "titles:modifier", "titles:plural") and m.is_cap(k)
                   for span in m.triggers.get(k, ()))

    # -- persons -----------------------------------------------------------------------

    def read_name(self, m: DocModel, k: int, s1: int, allow_function: bool = False) -> tuple[int, int, list[str]] | None:
        """A personal name starting at ``k`` (after a form of address), as (start, end, address)."""
        address: list[str] = []
        while k < s1:
            trig = m.trigger_at(k, "titles:address")
            if trig is None or m.at(k) is not None:
                break
            address.append(trig.text)
            k = trig.end
        j = k
        words = 0
        while j < s1 and j - k < 10 and words < 6:
            if j > k and self._particle(m, j):
                j += 1                                  # "Hamad bin Khalifa", "Maria de la Cruz", "al-Thani"
                if m.text(j) == "-" and m.joined(j - 1) and m.joined(j):
                    j += 1
                continue
            inside = m.at(j)
            if inside is not None and not (inside.kind == PLACE and inside.end == j + 1 and inside.start == j
                                           and m.is_name_token(j + 1) and m.at(j + 1) is None):
                break                                  # "Nursultan Nazarbayev": a city alias in a name
            if not m.is_name_token(j):
                break
            low = m.lower(j)
            if low in FUNCTION_WORDS and j == k and not (allow_function and m.is_name_token(j + 1)) \
                    or low in MONTH_WORDS or low in self.title_words and j == k \
                    and j not in m.data.get("given_names", ()):
                break
            if low in self.title_words and j > k:
                break
            j += 1
            words += low not in PARTICLES
            if m.text(j) == "-" and m.joined(j - 1) and m.joined(j) and (m.is_name_token(j + 1) or m.is_alpha(j + 1)):
                j += 2                                  # "Jean-Baptiste", "Lee Jong-ho"
        while j > k and m.lower(j - 1) in PARTICLES and not m.is_name_token(j - 1) and m.text(j - 2) != "-":
            j -= 1                                      # a particle ends no name (but "Young-bin" does)
        if j == k:
            return None
        if words > 4:
            return None
        return k, j, address

    @staticmethod
    def _particle(m: DocModel, j: int) -> bool:
        """A name particle inside a personal name, followed by more of the name ("bin", "de la", "al-")."""
        if m.lower(j) not in PARTICLES or m.at(j) is not None:
            return False
        nxt = j + 1
        if m.text(nxt) == "-" and m.joined(j) and m.joined(nxt):
            nxt += 1
        while m.lower(nxt) in PARTICLES and nxt - j < 3:
            nxt += 1
        return m.is_name_token(nxt) and m.lower(nxt) not in FUNCTION_WORDS and m.at(nxt) is None

    def read_name_before(self, m: DocModel, comma: int, s0: int) -> tuple[int, int, list[str]] | None:
        j = comma - 1
        end = comma
        while j >= s0 and end - j <= 9:
            if j < end - 1 and self._particle(m, j) and (m.is_name_token(j - 1) or m.lower(j - 1) in PARTICLES):
                j -= 1                                  # "Hamad bin Khalifa Al Thani, Emir of Qatar"
                continue
            if sum(1 for i in range(j + 1, end) if m.lower(i) not in PARTICLES and m.text(i) != "-") >= 5:
                break
            if m.at(j) is not None or any(t.label_ == "titles:address" and t.end == j + 1
                                          for i in range(max(s0, j - 2), j + 1) for t in m.triggers.get(i, ())):
                break
            if m.text(j) == "-" and m.joined(j - 1) and m.joined(j):
                j -= 1
                continue
            if m.is_lower(j) and m.is_alpha(j) and m.text(j - 1) == "-" and m.joined(j - 1) and m.joined(j - 2):
                j -= 1                                  # "Yoon Young-bin, administrator of …"
                continue
            if not m.is_name_token(j) or m.lower(j) in FUNCTION_WORDS or m.lower(j) in MONTH_WORDS \
                    or m.lower(j) in self.title_words:
                break
            j -= 1
        start = j + 1
        if start >= end:
            return None
        address: list[str] = []
        a = start - 1
        while a >= s0:
            trig = next((t for t in m.triggers.get(a, []) if t.label_ == "titles:address"), None)
            if trig is None:
                trig = next((t for i in range(max(s0, a - 2), a) for t in m.triggers.get(i, [])
                             if t.label_ == "titles:address" and t.end == a + 1), None)
            if trig is None:
                break
            address.insert(0, trig.text)
            a = trig.start - 1
        return start, end, address

    def _person(self, m: DocModel, start: int, end: int, sent: int, address: list[str]) -> Mention | None:
        parts = []
        for i in range(start, end):
            t = m.text(i)
            if t.isupper() and len(t) > 1 and not _ROMAN.match(t):
                t = t.capitalize()                      # "ROGOZIN" -> "Rogozin", but "Abdullah II"
            parts.append(t + ("" if m.joined(i) and i + 1 < end else " "))
        name = "".join(parts).strip()
        if len(name.split()) < 2:
            return None
        key, label = person_key(name), person_label(name)
        aliases = {name} | ({" ".join([*address, name])} if address else set())
        existing = m.at(start)
        if existing is not None and existing.kind == PERSON:
            return existing
        mention = Mention(PERSON, start, end, sent, "Official", key=key, label=label, text=name,
                          data={"aliases": aliases, "posts": [], "states": []})
        return m.add(mention, replace=True)

    def attach_persons(self, m: DocModel, p: TitlePhrase, deferred: list) -> None:
        s0, s1 = m.sent_range(p.sent)
        forward = None
        k = p.end
        comma = m.text(k) == ","
        if comma:
            k += 1
        found = self.read_name(m, k, s1)
        if found is not None:
            forward = (found, comma)
        backward = None
        b = p.start
        if m.lower(b - 1) == "the":
            b -= 1
        if m.text(b - 1) == ",":
            backward = self.read_name_before(m, b - 1, s0)
            if backward is not None and (m.lower(backward[0] - 1) == "to" and m.lower(backward[0] - 2) == "according"
                                         or m.lower(backward[0] - 1) in _REPORTING_VERBS):
                backward = None                         # "According to Borisov, the Belarusian cosmonaut will …"
        choice = None
        if forward and not forward[1] and (forward[0][1] - forward[0][0] >= 2 or not backward):
            choice = forward[0]
        elif backward:
            choice = backward
        elif forward:
            choice = forward[0]
        if choice is None:
            choice = self._ner_name(m, p, k, b)
        if choice is None:
            return
        choice = self._ner_extends(m, choice)
        start, end, address = choice
        if end - start == 1:
            deferred.append((p, start, end, None))
            return
        person = self._person(m, start, end, p.sent, address)
        if person is None:
            return
        p.persons.append((person, None))
        if p.plural and choice is (forward[0] if forward else None):
            self._more_plural_persons(m, p, end, s1, deferred)

    @staticmethod
    def _ner_name(m: DocModel, p: TitlePhrase, after: int, before: int) -> tuple[int, int, list[str]] | None:
        """A person a trained NER found right after the title or right before it (``settings.spacy_model``)."""
        for start_char, end_char in m.doc.user_data.get(NER_PERSONS, ()):
            start, end = m.char_to_token(start_char), m.char_to_token(end_char, end=True)
            if end - start >= 2 and (start in (after, after + 1) or end in (before - 1, before)) \
                    and all(m.at(i) is None for i in range(start, end)):
                return start, end, []
        return None

    @staticmethod
    def _ner_extends(m: DocModel, choice: tuple[int, int, list[str]]) -> tuple[int, int, list[str]]:
        """A trained NER's longer reading of the same name ("Luiz Inácio da Silva", not "Luiz Inácio")."""
        start, end, address = choice
        for start_char, end_char in m.doc.user_data.get(NER_PERSONS, ()):
            if m.char_to_token(start_char) == start:
                ner_end = m.char_to_token(end_char, end=True)
                if end < ner_end <= end + 3 and all(m.at(i) is None for i in range(end, ner_end)):
                    return start, ner_end, address
        return choice

    def _more_plural_persons(self, m: DocModel, p: TitlePhrase, k: int, s1: int, deferred: list) -> None:
        while k < s1 and m.lower(k) in ("and", ","):
            k += 1
            own_state = None
            if m.lower(k) == "of":
                q = k + 1 + (m.lower(k + 1) == "the")
                own_state = m.starting_at(q, STATE)
                if own_state is None:
                    return
                k = own_state.end
            found = self.read_name(m, k, s1)
            if found is None:
                return
            start, end, address = found
            person = self._person(m, start, end, p.sent, address)
            if person is None:
                return
            p.persons.append((person, own_state))
            k = end

    def distribute_plurals(self, phrases: list[TitlePhrase]) -> None:
        """"The co-chairmen of X, TITLE A and TITLE B": A and B also hold the plural's post."""
        for i, p in enumerate(phrases):
            if not p.plural or p.persons:
                continue
            cursor = p.end
            for q in phrases[i + 1:]:
                if q.sent != p.sent or q.start > cursor + 3 or not q.persons:
                    break
                for person, _ in q.persons:
                    p.persons.append((person, None))
                cursor = max(person.end for person, _ in q.persons)

    def heads_by_verb(self, m: DocModel) -> None:
        """"Walther Pelzer, who heads the German Space Agency at DLR": an official with no title written,
        who acts for the state of the body he heads (no post: no title is written)."""
        if ", who " not in m.full_text:
            return
        for found in _WHO_HEADS.finditer(m.full_text):
            i = m.char_to_token(found.start())
            if m.lower(i) != "who" or m.text(i - 1) != "," or m.lower(i + 1) not in _HEADING_VERBS:
                continue
            j = i + 2 + (m.lower(i + 2) == "the")
            org = m.starting_at(j, ORG)
            if org is None or not org.data.get("iso"):
                continue
            sent = m.sent_of(i)
            s0, _s1 = m.sent_range(sent)
            name = self.read_name_before(m, i - 1, s0)
            if name is None or name[1] - name[0] < 2:
                continue
            person = self._person(m, name[0], name[1], sent, name[2])
            if person is not None:
                person.data.setdefault("states", []).append(org.data["iso"])

    def coordinated_persons(self, m: DocModel) -> None:
        """"… Dmitry Rogozin and He Yubin of China": a name coordinated with an official."""
        for person in m.of_kind(PERSON):
            _s0, s1 = m.sent_range(person.sent)
            k = person.end
            if m.lower(k) != "and":
                continue
            found = self.read_name(m, k + 1, s1, allow_function=True)
            if found is None or found[1] - found[0] < 2:
                continue
            start, end, address = found
            state = None
            if m.lower(end) == "of":
                state = m.starting_at(end + 1, STATE)
            if state is None and m.text(end) not in (",", ".", ";") and m.lower(end) not in ("signed", "have", "held"):
                continue
            other = self._person(m, start, end, person.sent, address)
            if other is not None and state is not None:
                other.data.setdefault("states", []).append(state.data["iso"])

    def resolve_short_names(self, m: DocModel, deferred: list) -> dict[str, Mention]:
        """Surnames of the document's full names, and titles whose person is named by surname only."""
        surnames: dict[str, Mention | None] = {}
        for person in m.of_kind(PERSON):
            words = person.text.split()
            last = words[-1].lower()
            if len(words) >= 2 and (words[0].lower() in self.family_first or re.search(r"-[a-z]+$", words[-1])):
                last = words[0].lower()                 # "Yoon Young-bin … Yoon visited", "Zhang Kejian … Zhang said"
            seen = surnames.get(last)
            if seen is not None and seen.key != person.key:
                surnames[last] = None
            else:
                surnames.setdefault(last, person)
        known = {k: v for k, v in surnames.items() if v is not None}
        for p, start, end, _ in deferred:
            full = known.get(m.lower(start))
            if full is None and m.lower(start) not in surnames:
                full = self._full_name_elsewhere(m, start)
                if full is not None:
                    known[m.lower(start)] = full
            if full is None:
                continue
            mention = Mention(PERSON, start, end, p.sent, "Official", key=full.key, label=full.label,
                              text=m.text(start), data={"aliases": set(), "posts": [], "states": [], "short": True})
            if m.add(mention) is not None:
                p.persons.append((mention, None))
        return known

    def _full_name_elsewhere(self, m: DocModel, token: int) -> Mention | None:
        """"It was co-chaired by Rustam Azimov, … Azimov, Deputy Prime Minister of Uzbekistan, noted": the
        full name a surname with a title stands for, written elsewhere in the article without one."""
        word = m.text(token)
        for i in range(len(m.doc)):
            if i == token or m.text(i) != word or m.at(i) is not None or m.is_cap(i + 1) and m.is_alpha(i + 1):
                continue
            sent = m.sent_of(i)
            if m.is_noise_sent(sent):
                continue
            found = self.read_name_before(m, i + 1, m.sent_range(sent)[0])
            if found is None or found[1] - found[0] < 2 or found[1] != i + 1 or found[1] - found[0] > 4:
                continue
            return self._person(m, found[0], found[1], sent, found[2])
        return None

    @staticmethod
    def surnames_not_places(m: DocModel, surnames: dict[str, Mention]) -> None:
        """"Santos, who met …": a one-word place that is the surname of a person of the article is the
        person, unless a preposition of place comes before it ("in Santos")."""
        for place in m.of_kind(PLACE):
            if place.end - place.start == 1 and m.lower(place.start) in surnames \
                    and m.lower(place.start - 1) not in ("in", "at", "to", "from", "near", "of", "via"):
                m.remove(place)

    def scan_known_names(self, m: DocModel, surnames: dict[str, Mention]) -> None:
        """Every other mention of a known person: full name or surname alone."""
        names = {p.text for p in m.of_kind(PERSON) if not p.data.get("short")}
        short = {next((w for w in p.text.split() if w.lower() == k), p.text.split()[-1]) for k, p in surnames.items()}
        forms = sorted({*names, *short}, key=len, reverse=True)
        if not forms:
            return
        by_form = {p.text: p for p in m.of_kind(PERSON)}
        for char_start, form in whole_words(m.full_text, forms):
            start = m.char_to_token(char_start)
            end = m.char_to_token(char_start + len(form), end=True)
            if end <= start or m.idx(start) != char_start or m.at(start) is not None:
                continue
            sent = m.sent_of(start)
            if m.is_noise_sent(sent):
                continue
            full = by_form.get(form) or surnames.get(form.lower())
            if full is None:
                continue
            m.add(Mention(PERSON, start, end, sent, "Official", key=full.key, label=full.label, text=form,
                          data={"aliases": set(), "posts": [], "states": [], "short": form != full.text}))

    # -- posts ---------------------------------------------------------------------------

    def record_post(self, m: DocModel, p: TitlePhrase, person: Mention, own_state: Mention | None) -> None:
        states = [own_state] if own_state is not None else p.states
        iso = states[-1].data.get("iso") if states else None
        org = next((o for o in p.orgs if not o.backref or o.key), None)
        org_iso = next((o.data.get("iso") for o in p.orgs if o.data.get("iso")), None)
        evidence = iso or org_iso or p.implied_state
        if evidence is None and p.level == "state" and not p.orgs:
            evidence = dateline_state(m)
            if evidence is not None and self._guest(m, person.key, evidence):
                evidence = None                         # "the visit of President X to South Africa": a guest
        if evidence:
            person.data.setdefault("states", []).append(evidence)
        if p.former or p.role:
            return
        person.data.setdefault("posts", []).append({
            "title": p.wording, "org": org.key if org is not None else None,
            "state": iso or org_iso, "sent": p.sent})


    @staticmethod
    def _guest(m: DocModel, key: str | None, iso: str) -> bool:
        """A person the text has come to the state ("… of President X to South Africa")."""
        for other in m.of_kind(PERSON):
            if other.key == key and m.lower(other.end) == "to":
                destination = m.starting_at(other.end + 1, STATE)
                if destination is not None and destination.data.get("iso") == iso:
                    return True
        return False


def _join(words: list[str]) -> list[str]:
    """Glue punctuation to the word before it ("Economy ," -> "Economy,")."""
    out: list[str] = []
    for w in words:
        if w in (",",) and out:
            out[-1] += w
        else:
            out.append(w)
    return out


def dateline_state(m: DocModel) -> str | None:
    """The state of the dateline city ("ASTANA. KAZINFORM …", "Pretoria – …"), if the article has one."""
    for index, (s0, s1, _p, noise) in enumerate(m.sents):
        if noise:
            continue
        for i in range(s0, min(s1, s0 + 3)):
            place = m.starting_at(i, PLACE)
            if place is not None and (m.text(place.start).isupper()    # "ASTANA. KAZINFORM", "Pretoria – …"
                                      or place.start == s0 and m.text(place.end) in ("–", "—", "-")
                                      or place.start == s0 and m.text(place.end) == "," and (
                                          m.starting_at(place.end + 1, DATE) is not None
                                          or m.lower(place.end + 1) in MONTH_WORDS)):
                return place.data.get("iso")            # "Abuja, Aug. 7, 2024 (NAN)", "Nairobi, Wednesday, …"
        if index > 3:
            break
    return None
