"""A seeded synthetic knowledge graph in the spacecoop vocabulary, as N-Quads.

The layout is the one ``kgraph.rdfgraph`` builds: one named graph per
document, holding the ``sc:Document`` record (``dcterms:source``, ``issued``,
``publisher``, ``title``), every entity it names (typed, labelled, with its
aliases as ``skos:altLabel`` and ``sc:mentionedIn`` the document), the facts,
and for every fact an ``sc:Attestation`` pointing at an ``sc:Sentence``. The
world behind the documents is a fixed pool (scaled with the size) of states
with ISO codes, officials holding posts (``sc:holds``/``sc:title``/
``sc:attestedOn``/``sc:ofState``), organizations of every subtype, typed
agreements with parties, signatories, dates, places and amendment chains,
projects (some named Baiterek), meetings (sessions of intergovernmental
bodies with chairs, places and dates) and places; documents mention a
bilateral slice of it, so entities recur across documents as in the real
corpus and the union default graph deduplicates them. The ontology graph and a
reference graph of the states are included, so ``rdfs:subClassOf*`` works and
every query of ``../shared/queries/`` returns rows.

    python bench/synth.py 1M -o bench/data/synth-1M.nq [--seed 7]

Sizes count quads of the named graphs (``100k``, ``1M``, ``5M`` or a number).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SC = "https://w3id.org/spacecoop/ontology#"
ID = "https://w3id.org/spacecoop/id/"
GRAPH = "https://w3id.org/spacecoop/graph/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
ALT = f"<{SKOS}altLabel>"

STATES = [
    ("KZ", "Kazakhstan", ["Republic of Kazakhstan", "RoK"], "Kazakh"),
    ("RU", "Russia", ["Russian Federation", "RF"], "Russian"),
    ("US", "United States", ["USA", "United States of America"], "American"),
    ("CN", "China", ["People's Republic of China", "PRC"], "Chinese"),
    ("IN", "India", ["Republic of India"], "Indian"),
    ("FR", "France", ["French Republic"], "French"),
    ("DE", "Germany", ["Federal Republic of Germany"], "German"),
    ("JP", "Japan", [], "Japanese"),
    ("BY", "Belarus", ["Republic of Belarus"], "Belarusian"),
    ("UA", "Ukraine", [], "Ukrainian"),
    ("UZ", "Uzbekistan", [], "Uzbek"),
    ("AZ", "Azerbaijan", [], "Azerbaijani"),
    ("TR", "Turkey", ["Türkiye"], "Turkish"),
    ("IR", "Iran", ["Islamic Republic of Iran"], "Iranian"),
    ("AE", "United Arab Emirates", ["UAE"], "Emirati"),
    ("SA", "Saudi Arabia", [], "Saudi"),
    ("EG", "Egypt", [], "Egyptian"),
    ("BR", "Brazil", [], "Brazilian"),
    ("AR", "Argentina", [], "Argentine"),
    ("IT", "Italy", [], "Italian"),
    ("GB", "United Kingdom", ["UK", "Great Britain"], "British"),
    ("KR", "South Korea", ["Republic of Korea"], "Korean"),
    ("VN", "Vietnam", [], "Vietnamese"),
    ("ID", "Indonesia", [], "Indonesian"),
    ("MN", "Mongolia", [], "Mongolian"),
    ("PK", "Pakistan", [], "Pakistani"),
    ("ZA", "South Africa", [], "South African"),
    ("NG", "Nigeria", [], "Nigerian"),
    ("CA", "Canada", [], "Canadian"),
    ("IL", "Israel", [], "Israeli"),
    ("ES", "Spain", [], "Spanish"),
    ("KG", "Kyrgyzstan", [], "Kyrgyz"),
]
#: Bilateral pairs and how often the news covers them (the rest is drawn uniformly).
PAIR_WEIGHTS = {("KZ", "RU"): 18, ("RU", "US"): 7, ("IN", "RU"): 6, ("CN", "RU"): 6, ("FR", "KZ"): 4,
                ("CN", "KZ"): 3, ("FR", "IN"): 3, ("BY", "RU"): 3, ("JP", "US"): 2, ("CN", "PK"): 2}
FIRST = ["Askar", "Yuri", "Dmitry", "Beibut", "Zhenis", "Talgat", "Bill", "Jim", "Kailasavadivoo", "Li",
         "Zhang", "Jean-Yves", "Sergey", "Alexander", "Marat", "Nurlan", "Gulnara", "Elena", "Olga", "Aidyn",
         "Rakesh", "Vladimir", "Igor", "Anatoly", "Kanat", "Daniyar", "Aigerim", "Mikhail", "Ivan", "Roman",
         "Wang", "Chen", "Pierre", "Marie", "Hiroshi", "Kenji", "Hans", "Klaus", "Mehmet", "Ali", "Carlos"]
LAST = ["Mamin", "Borisov", "Atamkulov", "Kassymbek", "Musabayev", "Nelson", "Bridenstine", "Sivan", "Keqiang",
        "Le Drian", "Krikalev", "Manturov", "Zhumagaliyev", "Tokayev", "Aimbetov", "Sharma", "Ivanov",
        "Petrov", "Sidorov", "Komarov", "Nurgaliyev", "Abenov", "Sultanov", "Kuznetsov", "Popov", "Volkov",
        "Morozov", "Wang", "Zhou", "Dupont", "Martin", "Tanaka", "Suzuki", "Schmidt", "Yilmaz", "Smith"]
TITLES = ["First Deputy Prime Minister", "Deputy Prime Minister", "Minister of Digital Development",
          "General Director", "Chairman", "Head of the Aerospace Committee", "Ambassador", "President",
          "Prime Minister", "Minister of Foreign Affairs", "Deputy Minister of Defense", "Administrator",
          "Vice Chairman", "Director of the Space Research Institute", "Cosmonaut"]
ORG_KINDS = {
    "SpaceAgency": ["{adj} Space Agency", "National Space Agency of {state}", "{adj} Aerospace Committee"],
    "GovernmentBody": ["Ministry of Digital Development of {state}", "Ministry of Defense of {state}",
                       "Senate of {state}", "{adj} Ministry of Industry"],
    "Company": ["{adj} Space Systems", "{adj} Rocket Company", "{adj} Satellite Communications",
                "{adj} Launch Services", "{adj} Orbital Technologies"],
}
AGREEMENT_TYPES = ["Agreement", "Treaty", "Protocol", "Memorandum", "Concept", "Roadmap", "Programme", "Contract"]
TOPICS = ["the lease of the Baikonur complex", "satellite navigation", "the exploration of the Moon",
          "crewed spaceflight", "remote sensing of the Earth", "launch services", "space debris monitoring",
          "the training of cosmonauts", "the Baiterek space rocket complex", "the peaceful use of outer space",
          "ground station networks", "space weather research", "rocket engine supply", "the free economic zone"]
PROJECT_STEMS = ["space rocket complex", "lunar research station", "navigation augmentation system",
                 "Earth observation system", "crew training programme", "launch pad upgrade",
                 "satellite constellation", "deep space network", "orbital station module"]
PLACE_SUFFIX = ["", " City", "-on-Volga", " Oblast", " Region"]
OUTLETS = ["Kazinform", "TASS", "Interfax", "Xinhua", "The Indian Express", "Reuters", "Qazaq TV", "Sputnik",
           "Firstpost", "EastTime", "PR Newswire", "Astana Times"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def sc(local: str) -> str:
    return f"<{SC}{local}>"


@dataclass
class Entity:
    iri: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    state: str | None = None  # ISO code
    facts: list[tuple[str, str]] = field(default_factory=list)  # (predicate local name, object term)


@dataclass
class World:
    states: dict[str, Entity]
    officials: dict[str, list[Entity]]
    posts: dict[str, list[Entity]]
    orgs: dict[str, list[Entity]]
    bodies: dict[tuple[str, str], Entity]
    places: dict[str, list[Entity]]
    projects: dict[tuple[str, str], list[Entity]]
    agreements: dict[tuple[str, str], list[Entity]]
    meetings: dict[tuple[str, str], list[Entity]]


def _date(rng: random.Random, start: int = 1995, end: int = 2024) -> dt.date:
    return dt.date(start, 1, 1) + dt.timedelta(days=rng.randrange((end - start + 1) * 365))


def _pair(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.55:
        pairs, weights = zip(*PAIR_WEIGHTS.items())
        return rng.choices(pairs, weights)[0]
    a, b = rng.sample([s[0] for s in STATES], 2)
    return (a, b) if a < b else (b, a)


def build_world(n_docs: int, rng: random.Random) -> World:
    """The pool of entities the documents talk about, scaled with the number of documents."""
    states = {}
    for code, name, aliases, _adj in STATES:
        states[code] = Entity(ID + f"state/{code}", "State", name, list(aliases), code)
    adjective = {code: adj for code, _n, _a, adj in STATES}
    name_of = {code: name for code, name, _a, _adj in STATES}

    places: dict[str, list[Entity]] = {}
    for code in states:
        pool = []
        for i in range(3 + n_docs // 600):
            label = f"{rng.choice(LAST)}{rng.choice(['sk', 'ovo', 'abad', 'grad', 'ville', 'burg', 'ana'])}" \
                    f"{rng.choice(PLACE_SUFFIX)}"
            pool.append(Entity(ID + f"place/{slug(label)}-{code.lower()}{i}", "Place", label, state=code,
                               facts=[("locatedIn", f"<{states[code].iri}>")]))
        pool.append(Entity(ID + f"place/{code.lower()}-cosmodrome", "Spaceport", f"{name_of[code]} Cosmodrome",
                           [f"{adjective[code]} spaceport"], code, [("locatedIn", f"<{states[code].iri}>")]))
        places[code] = pool
    baikonur = Entity(ID + "place/baikonur-cosmodrome", "Spaceport", "Baikonur Cosmodrome",
                      ["Baikonur space center", "Baikonur spaceport"], "KZ", [("locatedIn", f"<{states['KZ'].iri}>")])
    places["KZ"].append(baikonur)

    orgs: dict[str, list[Entity]] = {}
    for code in states:
        pool = []
        for kind, patterns in ORG_KINDS.items():
            for i in range(1 + n_docs // 2000):
                label = rng.choice(patterns).format(adj=adjective[code], state=name_of[code])
                label = label if i == 0 else f"{label} {i + 1}"
                org = Entity(ID + f"organization/{slug(label)}", kind, label, state=code,
                             facts=[("ofState", f"<{states[code].iri}>")])
                if rng.random() < 0.5:
                    org.facts.append(("locatedIn", f"<{rng.choice(places[code]).iri}>"))
                if rng.random() < 0.3:
                    org.aliases.append("".join(w[0] for w in label.split() if w[0].isupper()))
                pool.append(org)
        orgs[code] = pool

    officials: dict[str, list[Entity]] = {code: [] for code in states}
    posts: dict[str, list[Entity]] = {}
    n_officials = max(60, n_docs // 3)
    seen: set[str] = set()
    rogozin = Entity(ID + "person/dmitry-rogozin", "Official", "Dmitry Rogozin",
                     ["Dmitriy Rogozin", "D. Rogozin", "Rogozin"], "RU", [("represents", f"<{states['RU'].iri}>")])
    officials["RU"].append(rogozin)
    for i in range(n_officials):
        code = _pair(rng)[rng.randrange(2)]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        label = f"{first} {last}"
        key = slug(label)
        if key in seen:
            label, key = f"{first} {last} {i}", f"{key}-{i}"
        seen.add(key)
        person = Entity(ID + f"person/{key}", "Official", label, state=code)
        if rng.random() < 0.9:
            person.facts.append(("represents", f"<{states[code].iri}>"))
        if rng.random() < 0.35:
            person.aliases.append(f"{first[0]}. {last}")
        if rng.random() < 0.15:
            person.aliases.append(label.replace("y", "i").replace("Y", "I"))
        officials[code].append(person)
    for code, people in officials.items():
        for person in people:
            own = []
            for title in rng.sample(TITLES, rng.choice([1, 1, 2, 3])):
                post = Entity(ID + f"post/{person.iri.rsplit('/', 1)[-1]}--{slug(title)}", "Post",
                              f"{title} ({person.label})", state=code,
                              facts=[("title", lit(title)), ("ofState", f"<{states[code].iri}>")])
                if rng.random() < 0.4 and orgs[code]:
                    post.facts.append(("inOrganization", f"<{rng.choice(orgs[code]).iri}>"))
                person.facts.append(("holds", f"<{post.iri}>"))
                own.append(post)
            posts[person.iri] = own

    pairs = sorted(set(PAIR_WEIGHTS) | {_pair(rng) for _ in range(60 + n_docs // 100)})
    bodies, projects, agreements, meetings = {}, {}, {}, {}
    for pair in pairs:
        a, b = pair
        label = f"{name_of[a]}-{name_of[b]} Intergovernmental Commission on Space Cooperation"
        body = Entity(ID + f"organization/{slug(label)}", "IntergovernmentalBody", label,
                      [f"{a}-{b} IGC"], None, [("ofState", f"<{states[a].iri}>"), ("ofState", f"<{states[b].iri}>")])
        bodies[pair] = body
        weight = PAIR_WEIGHTS.get(pair, 1)
        plist = []
        for i in range(max(1, weight * n_docs // 4000)):
            stem = rng.choice(PROJECT_STEMS)
            if pair == ("KZ", "RU") and i == 0:
                label, aliases = "Baiterek space rocket complex", ["Bayterek", "Baiterek project", "Baitarek"]
            elif pair == ("KZ", "RU") and rng.random() < 0.2:
                label, aliases = f"Baiterek {stem} {i}", [f"Bayterek {stem} {i}"]
            else:
                label, aliases = f"{name_of[a]}-{name_of[b]} {stem} {i + 1}", []
            project = Entity(ID + f"project/{slug(label)}", "Project", label, aliases,
                             facts=[("party", f"<{states[a].iri}>"), ("party", f"<{states[b].iri}>")])
            if rng.random() < 0.5:
                project.facts.append(("locatedIn", f"<{rng.choice(places[rng.choice(pair)]).iri}>"))
            plist.append(project)
        projects[pair] = plist
        alist: list[Entity] = []
        for i in range(max(2, weight * n_docs // 500)):
            kind = rng.choice(AGREEMENT_TYPES)
            topic = rng.choice(TOPICS)
            signed = _date(rng)
            label = f"{kind} between {name_of[a]} and {name_of[b]} on {topic} of {signed:%B} {signed.day}, {signed.year}"
            agreement = Entity(ID + f"agreement/{slug(label)}-{i}", kind, label,
                               facts=[("party", f"<{states[a].iri}>"), ("party", f"<{states[b].iri}>")])
            if rng.random() < 0.8:
                agreement.facts.append(("signedOn", typed(signed.isoformat(), "date")))
            for code in rng.sample(pair, rng.choice([1, 2, 2])):
                if officials[code]:
                    agreement.facts.append(("signatory", f"<{rng.choice(officials[code]).iri}>"))
            if rng.random() < 0.5:
                agreement.facts.append(("signedAt", f"<{rng.choice(places[rng.choice(pair)]).iri}>"))
            if alist and rng.random() < 0.25:
                agreement.facts.append(("amends", f"<{rng.choice(alist[-5:]).iri}>"))
            if rng.random() < 0.3 or "Baiterek" in topic:
                agreement.facts.append(("concerns", f"<{rng.choice(plist).iri}>"))
            if rng.random() < 0.1:
                agreement.facts.append(("validUntil", typed(str(signed.year + rng.choice([5, 10, 25, 55])), "gYear")))
            alist.append(agreement)
        agreements[pair] = alist
        mlist = []
        for i in range(max(2, weight * n_docs // 700)):
            held = _date(rng, 2005)
            place = rng.choice(places[rng.choice(pair)])
            if rng.random() < 0.45:
                label = f"{i + 1}th session of the {body.label}"
                meeting = Entity(ID + f"meeting/{slug(body.label)}-session-{i + 1}", "Meeting", label,
                                 facts=[("sessionOf", f"<{body.iri}>")])
            else:
                label = f"Talks between {name_of[a]} and {name_of[b]} in {place.label}"
                meeting = Entity(ID + f"meeting/{slug(label)}-{held.isoformat()}", "Meeting", label)
            meeting.facts += [("heldOn", typed(held.isoformat(), "date")), ("heldAt", f"<{place.iri}>")]
            for code in pair:
                if officials[code]:
                    role = "chair" if rng.random() < 0.7 else "participant"
                    meeting.facts.append((role, f"<{rng.choice(officials[code]).iri}>"))
                meeting.facts.append(("participant", f"<{states[code].iri}>"))
            if rng.random() < 0.3:
                meeting.facts.append(("concerns", f"<{rng.choice(plist).iri}>"))
            mlist.append(meeting)
        meetings[pair] = mlist
    return World(states, officials, posts, orgs, bodies, places, projects, agreements, meetings)


class DocumentWriter:
    """Writes one document's named graph the way ``kgraph.rdfgraph`` lays it out."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.by_iri: dict[str, Entity] = {}
        for group in (world.states.values(), *world.officials.values(), *world.posts.values(),
                      *world.orgs.values(), world.bodies.values(), *world.places.values(),
                      *world.projects.values(), *world.agreements.values(), *world.meetings.values()):
            for entity in group:
                self.by_iri[entity.iri] = entity

    def document(self, n: int) -> list[str]:
        rng, world = self.rng, self.world
        pair = _pair(rng)
        if pair not in world.bodies:
            pair = ("KZ", "RU")
        date = _date(rng, 2008)
        doc = ID + f"document/synth-{n:07d}"
        g = f"<{doc}>"
        lines = [f"{g} {TYPE} {sc('Document')} {g} ."]
        lines.append(f"{g} <{DCT}source> <https://news.example.org/{date.year}/{n}> {g} .")
        if rng.random() < 0.93:
            lines.append(f"{g} <{DCT}issued> {typed(date.isoformat(), 'date')} {g} .")
        outlet = rng.choice(OUTLETS)
        lines.append(f"{g} <{DCT}publisher> {lit(outlet)} {g} .")
        lines.append(f"{g} <{DCT}identifier> {lit(f'synth-{n}')} {g} .")

        focus: list[Entity] = []
        kind = rng.random()
        if kind < 0.45:
            focus.append(rng.choice(world.agreements[pair]))
        elif kind < 0.8:
            focus.append(rng.choice(world.meetings[pair]))
        else:
            focus.append(rng.choice(world.projects[pair]))
        if rng.random() < 0.3:
            focus.append(rng.choice(world.agreements[pair]))
        mentioned: dict[str, Entity] = {}
        facts: list[tuple[Entity, str, str]] = []
        for entity in focus:
            self._mention(entity, mentioned, facts, depth=0)
        for code in pair:
            self._mention(world.states[code], mentioned, facts, depth=1)
        if rng.random() < 0.5 and world.orgs[pair[0]]:
            self._mention(rng.choice(world.orgs[pair[0]]), mentioned, facts, depth=1)

        for entity in mentioned.values():
            e = f"<{entity.iri}>"
            lines.append(f"{e} {TYPE} {sc(entity.type)} {g} .")
            lines.append(f"{e} {LABEL} {lit(entity.label)} {g} .")
            if entity.type == "State":
                lines.append(f"{e} {sc('isoCode')} {lit(entity.state)} {g} .")
            for alias in entity.aliases:
                if rng.random() < 0.6:
                    lines.append(f"{e} {ALT} {lit(alias)} {g} .")
            if entity.type != "Post":
                lines.append(f"{e} {sc('mentionedIn')} {g} {g} .")

        sentences: list[str] = []
        for subject, predicate, obj in facts:
            s = f"<{subject.iri}>"
            lines.append(f"{s} {sc(predicate)} {obj} {g} .")
            if not sentences or rng.random() < 0.55:
                sentences.append(self._sentence(subject, predicate, obj))
            index = len(sentences) - 1
            att = f"<{doc}#a-{hashlib.sha1(f'{s} {predicate} {obj}'.encode()).hexdigest()[:12]}>"
            lines += [f"{att} {TYPE} {sc('Attestation')} {g} .", f"{att} <{RDF}subject> {s} {g} .",
                      f"{att} <{RDF}predicate> {sc(predicate)} {g} .", f"{att} <{RDF}object> {obj} {g} .",
                      f"{att} {sc('sentence')} <{doc}#s{index}> {g} ."]
        for index, text in enumerate(sentences):
            node = f"<{doc}#s{index}>"
            lines += [f"{node} {TYPE} {sc('Sentence')} {g} .", f"{node} {sc('text')} {lit(text)} {g} .",
                      f"{node} {sc('sentenceIndex')} {typed(str(index), 'integer')} {g} .",
                      f"{node} <{DCT}isPartOf> {g} {g} ."]
        lines.insert(4, f"{g} <{DCT}title> {lit(self._title(focus[0], pair))} {g} .")
        # posts are attested on the document's date
        for entity in mentioned.values():
            if entity.type == "Post":
                obj = typed(date.isoformat(), "date")
                lines.append(f"<{entity.iri}> {sc('attestedOn')} {obj} {g} .")
        return lines

    def _mention(self, entity: Entity, mentioned: dict, facts: list, depth: int) -> None:
        if entity.iri in mentioned:
            return
        mentioned[entity.iri] = entity
        if depth > 1:
            return
        for predicate, obj in entity.facts:
            if depth == 1 and predicate in ("holds",) and self.rng.random() < 0.5:
                continue
            facts.append((entity, predicate, obj))
            if obj.startswith("<"):
                target = self.by_iri.get(obj[1:-1])
                if target is not None:
                    self._mention(target, mentioned, facts, depth + 1 if target.type != "Post" else depth)

    def _sentence(self, subject: Entity, predicate: str, obj: str) -> str:
        target = self.by_iri.get(obj[1:-1]) if obj.startswith("<") else None
        what = target.label if target else obj.split('"')[1]
        templates = {
            "party": "{s} was concluded with the participation of {o}.",
            "signatory": "The document, the {s}, was signed by {o}.",
            "signedOn": "The {s} was signed on {o}.",
            "signedAt": "The {s} was signed in {o}.",
            "amends": "The {s} amends the {o}.",
            "chair": "{o} co-chaired the {s}.",
            "heldAt": "The {s} was held in {o}.",
            "heldOn": "The {s} took place on {o}.",
            "sessionOf": "The {s} was a regular meeting of the {o}.",
            "holds": "{s}, {o}, took part in the talks.",
            "concerns": "The sides discussed the {o} within the {s}.",
            "represents": "{s} represented {o} at the talks.",
        }
        return templates.get(predicate, "{s} and {o} were mentioned.").format(s=subject.label, o=what)

    def _title(self, focus: Entity, pair: tuple[str, str]) -> str:
        a, b = (self.world.states[c].label for c in pair)
        return f"{a} and {b} discuss {focus.label}"[:200]


def ontology_quads() -> list[str]:
    import pyoxigraph as ox

    graph = ox.NamedNode(GRAPH + "ontology")
    labels: dict = {}

    def stable(term):  # the parser names blank nodes at random; the output must not change between runs
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term, ox.BlankNode(f"o{len(labels)}"))
        return term

    triples = ox.parse(path=str(REPO / "ontology" / "spacecoop.ttl"), format=ox.RdfFormat.TURTLE)
    return [str(ox.Quad(stable(t.subject), t.predicate, stable(t.object), graph)) + " ." for t in triples]


def reference_quads(world: World) -> list[str]:
    g = f"<{GRAPH}reference>"
    lines = []
    for state in world.states.values():
        e = f"<{state.iri}>"
        lines += [f"{e} {TYPE} {sc('State')} {g} .", f"{e} {LABEL} {lit(state.label)} {g} .",
                  f"{e} {sc('isoCode')} {lit(state.state)} {g} ."]
    return lines


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kKmM]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (100k, 1M, 5M or a number)")
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * scale)


QUADS_PER_DOCUMENT = 190  # measured average, used to size the world before writing


def generate(quads: int, seed: int = 7) -> Iterator[str]:
    """N-Quads lines (without newlines), about ``quads`` of them, the same for the same seed."""
    rng = random.Random(seed)
    n_docs = max(20, quads // QUADS_PER_DOCUMENT)
    world = build_world(n_docs, rng)
    written = 0
    for line in ontology_quads() + reference_quads(world):
        written += 1
        yield line
    writer = DocumentWriter(world, rng)
    n = 0
    while written < quads:
        for line in writer.document(n):
            written += 1
            yield line
        n += 1


def write_lines(path: Path, lines: Iterable[str]) -> Path:
    """Write lines to ``path`` through a temporary file, so a half-written file is never left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line)
            fh.write("\n")
    tmp.replace(path)
    return path


def write(path: Path, quads: int, seed: int = 7) -> Path:
    """Write the synthetic graph to ``path``; returns the path."""
    return write_lines(path, generate(quads, seed))


def lines_cli(argv: list[str] | None, *, description: str, size: tuple[str, object, str], output: str,
              seed: int, lines) -> int:
    """The command line of the generators: ``SIZE [-o FILE] [--seed N]``; ``lines(size, seed)`` makes the lines."""
    name, kind, help_text = size
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(name, type=kind, help=help_text)
    parser.add_argument("-o", "--output", type=Path, help=f"{output} [default: stdout]")
    parser.add_argument("--seed", type=int, default=seed)
    args = parser.parse_args(argv)
    made = lines(getattr(args, name), args.seed)
    if args.output:
        write_lines(args.output, made)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        for line in made:
            sys.stdout.write(line + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    return lines_cli(argv, description=__doc__.split("\n\n")[0], output="N-Quads file", seed=7, lines=generate,
                     size=("size", parse_size, "quads: 100k, 1M, 5M or a number"))


if __name__ == "__main__":
    sys.exit(main())
