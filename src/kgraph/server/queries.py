"""Every SPARQL query the Linked Data, API and HTML routers run, in one place.

Routers never write SPARQL: they call the functions below, which build the
query text from checked inputs (IRIs are validated, literals escaped, ISO codes
and class names matched against known values), run it on the store and return
:mod:`kgraph.server.models` objects. The HTML pages render the same objects the
JSON API returns, so the two cannot disagree.

Name search does not query the store at all: :class:`LabelIndex` keeps every
label, alias and ISO code in memory, folded for case and accents, and is
rebuilt when the store's write generation changes.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Identifier, Node

from ..errors import InputError
from ..namespaces import DCTERMS, DOCUMENT_BASE, ID, PREFIXES, RDF, SC
from ..store import Store
from . import models as m

SC_NS = str(SC)
ID_NS = str(ID)
RDF_NS = PREFIXES["rdf"]
XSD_NS = PREFIXES["xsd"]

#: The compact forms used in API answers and on the pages.
CURIE_PREFIXES = {**PREFIXES, "foaf": "http://xmlns.com/foaf/0.1/", "org": "http://www.w3.org/ns/org#",
                  "schema": "https://schema.org/", "vann": "http://purl.org/vocab/vann/",
                  "void": "http://rdfs.org/ns/void#", "sh": "http://www.w3.org/ns/shacl#"}

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

#: Entity kinds listed by the API: route name → root class of the vocabulary.
KINDS: dict[str, str] = {
    "states": "State",
    "officials": "Official",
    "organizations": "Organization",
    "agreements": "Agreement",
    "projects": "Project",
    "meetings": "Meeting",
    "places": "Place",
}

#: Statements that describe an entity rather than relate it; shown apart from its relations.
_HEAD_PREDICATES = (RDF_NS + "type", str(RDFS.label), PREFIXES["skos"] + "altLabel", SC_NS + "mentionedIn")
#: Reification links of attestations: provenance, not inbound relations.
_REIFICATION = ("rdf:subject", "rdf:object", "rdf:predicate")
#: What a list row shows of each entity.
_SUMMARY_PREDICATES = ("rdf:type", "skos:altLabel", "sc:isoCode", "sc:represents", "sc:ofState", "sc:party",
                       "sc:signatory", "sc:signedOn", "sc:validUntil", "sc:heldOn", "sc:heldAt", "sc:participant",
                       "sc:chair", "sc:sessionOf", "sc:locatedIn")

# -- checked inputs --------------------------------------------------------------------

_BAD_IRI = re.compile(r"[\s<>\"{}|^`\\\x00-\x20]")
_ISO = re.compile(r"^[A-Za-z]{2}$")


def iri_ref(iri: str) -> str:
    """``<iri>`` for a SPARQL query, refusing anything that could break out of the brackets."""
    if not usable_iri(iri):
        raise InputError(f"not a usable IRI: {iri!r}")
    return f"<{iri}>"


def literal(value: str) -> str:
    """A SPARQL string literal with every special character escaped."""
    return Literal(value).n3()


def id_iri(path: str) -> str:
    """The IRI minted for ``/id/<path>``."""
    return ID_NS + path


def local_id(iri: str | None) -> str | None:
    """The path of an IRI under ``/id/`` (``state/KZ``), or None for IRIs minted elsewhere."""
    if iri and iri.startswith(ID_NS) and len(iri) > len(ID_NS):
        return iri[len(ID_NS):]
    return None


def state_iri(code: str) -> str:
    """The IRI of a state from its ISO 3166-1 alpha-2 code (any case)."""
    if not _ISO.match(code or ""):
        raise InputError(f"not an ISO 3166-1 alpha-2 state code: {code!r}")
    return id_iri("state/" + code.upper())


def document_iri(key: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{1,64}", key or ""):
        raise InputError(f"not a document id (hexadecimal): {key!r}")
    return DOCUMENT_BASE + key


def curie(iri: str) -> str:
    """``sc:party`` for the vocabulary's IRIs; the IRI itself otherwise."""
    for prefix, ns in CURIE_PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns) and prefix != "id":
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def sc_local(iri: str) -> str | None:
    return iri[len(SC_NS):] if iri.startswith(SC_NS) else None


# -- the class tree, read from the ontology file ------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """Subclasses of each vocabulary class, so lists match every subtype without inference."""

    descendants: dict[str, frozenset[str]]
    labels: dict[str, str]

    def classes(self, name: str) -> frozenset[str]:
        if name not in self.descendants:
            raise InputError(f"unknown class {name!r}")
        return self.descendants[name]

    def subtypes(self, root: str) -> list[str]:
        return sorted(self.descendants.get(root, frozenset()))

    def values(self, name: str) -> str:
        return " ".join(f"sc:{c}" for c in sorted(self.classes(name)))


def vocabulary_from(graph: Graph) -> Vocabulary:
    children: dict[str, set[str]] = defaultdict(set)
    names: set[str] = set()
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        a, b = sc_local(str(sub)), sc_local(str(sup))
        if a and b:
            children[b].add(a)
    for cls in graph.subjects(URIRef(RDF_NS + "type"), URIRef(PREFIXES["owl"] + "Class")):
        if name := sc_local(str(cls)):
            names.add(name)

    def below(name: str) -> frozenset[str]:
        out, todo = {name}, [name]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return frozenset(out)

    labels = {str(t): str(label) for t, label in graph.subject_objects(RDFS.label)
              if isinstance(t, URIRef) and str(t).startswith(SC_NS)}
    return Vocabulary({name: below(name) for name in names | set(children)}, labels)


@lru_cache(maxsize=4)
def vocabulary(ontology_path: Path) -> Vocabulary:
    from ..validate import load_ontology

    return vocabulary_from(load_ontology(ontology_path))


# -- small helpers over rows -------------------------------------------------------------


def _str(term: Node | str | None) -> str | None:
    return None if term is None else str(term)


def _bound(term: Identifier | None) -> Identifier:
    """The value of a variable the query always binds (in a required pattern, or a COUNT).

    Result rows type every cell as optional, since OPTIONAL and aggregates over nothing leave
    cells unbound; this says which cells cannot be, and fails loudly if a query is changed so
    that they can."""
    if term is None:
        raise TypeError("a variable the query always binds came back unbound")
    return term


def as_date(term: Node | str | None) -> dt.date | None:
    if term is None:
        return None
    try:
        return dt.date.fromisoformat(str(term)[:10])
    except ValueError:
        return None


def node(term: Node, label: Node | str | None = None) -> m.Node:
    """A term as the API shows it: a literal as its value and datatype (or language), anything else as an IRI.

    Any rdflib term is accepted, as query rows (``Identifier``) and graphs (``Node``) give them."""
    if isinstance(term, Literal):
        return m.Node(value=str(term), datatype=_str(term.datatype) or (None if not term.language else "@" + term.language))
    return m.Node(iri=str(term), id=local_id(str(term)), label=_str(label))


def ref(iri: str, label: str | None = None) -> m.Ref:
    return m.Ref(iri=iri, id=local_id(iri), label=label)


def _values(iris: Iterable[str]) -> str:
    return " ".join(iri_ref(i) for i in iris)


def _count(store: Store, sparql: str) -> int:
    rows = store.query(PROLOGUE + sparql).rows
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


# -- existence and descriptions (Linked Data) ---------------------------------------------


def exists(store: Store, iri: str) -> bool:
    """True when the union graph says anything about ``iri``."""
    return bool(store.query(f"ASK {{ {iri_ref(iri)} ?p ?o }}").boolean)


DESCRIBE = """
CONSTRUCT {
  $x ?p ?o . ?o rdfs:label ?olabel .
  ?s ?q $x . ?s rdfs:label ?slabel .
  ?doc a sc:Document ; dcterms:source ?url ; dcterms:issued ?issued ; dcterms:title ?title .
} WHERE {
  { $x ?p ?o . OPTIONAL { ?o rdfs:label ?olabel } }
  UNION
  { ?s ?q $x . FILTER(?q NOT IN (%(reification)s)) OPTIONAL { ?s rdfs:label ?slabel } }
  UNION
  { $x sc:mentionedIn ?doc .
    OPTIONAL { ?doc dcterms:source ?url } OPTIONAL { ?doc dcterms:issued ?issued }
    OPTIONAL { ?doc dcterms:title ?title } }
}
"""


def describe(store: Store, iri: str) -> Graph:
    """An entity's description: its statements, inbound links, labels of both ends, the documents naming it.

    A document's description is its whole named graph (metadata, entities, facts, sentences).
    """
    if iri.startswith(DOCUMENT_BASE) and store.has_graph(iri):
        graph = store.graph(iri)
    else:
        sparql = DESCRIBE.replace("$x", iri_ref(iri)) % {"reification": ", ".join(_REIFICATION)}
        graph = store.query(PROLOGUE + sparql).graph or Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


# -- entities ------------------------------------------------------------------------------

#: The documents naming an entity are listed by MENTIONS (newest first, at most MAX_DOCUMENTS), not here:
#: a state is mentioned in thousands.
OUT = """
SELECT ?p ?o ?olabel WHERE { $x ?p ?o . FILTER(?p != sc:mentionedIn) OPTIONAL { ?o rdfs:label ?olabel } }
ORDER BY ?p ?olabel ?o
"""
IN = """
SELECT ?s ?p ?slabel WHERE {
  ?s ?p $x . FILTER(?p NOT IN (rdf:type, sc:mentionedIn, %(reification)s))
  OPTIONAL { ?s rdfs:label ?slabel }
} ORDER BY ?p ?slabel ?s LIMIT %(limit)d
"""
#: Sources of the relations shown: all of the entity's own, and those of the inbound ones listed (a hub
#: such as a state is the object of tens of thousands of attested statements; the page lists MAX_INBOUND).
ATTESTED = """
SELECT ?s ?p ?o ?doc ?sentence ?text ?url ?issued ?title WHERE {
  { GRAPH ?doc { ?att rdf:subject $x ; rdf:predicate ?p ; rdf:object ?o ; sc:sentence ?sentence } BIND($x AS ?s) }
  UNION
  { VALUES ?s { %(inbound)s }
    GRAPH ?doc { ?att rdf:object $x ; rdf:subject ?s ; rdf:predicate ?p ; sc:sentence ?sentence } BIND($x AS ?o) }
  OPTIONAL { ?sentence sc:text ?text }
  OPTIONAL { ?doc dcterms:source ?url } OPTIONAL { ?doc dcterms:issued ?issued }
  OPTIONAL { ?doc dcterms:title ?title }
} ORDER BY DESC(?issued) ?doc ?sentence
"""
MENTIONS = """
SELECT ?doc (SAMPLE(?u) AS ?url) (MIN(?i) AS ?issued) (SAMPLE(?t) AS ?title) (SAMPLE(?o) AS ?outlet) WHERE {
  { SELECT ?doc (MIN(?i0) AS ?first) WHERE { $x sc:mentionedIn ?doc . OPTIONAL { ?doc dcterms:issued ?i0 } }
    GROUP BY ?doc ORDER BY DESC(?first) ?doc LIMIT %(limit)d }
  OPTIONAL { ?doc dcterms:source ?u } OPTIONAL { ?doc dcterms:issued ?i }
  OPTIONAL { ?doc dcterms:title ?t } OPTIONAL { ?doc dcterms:publisher ?o }
} GROUP BY ?doc ORDER BY DESC(?issued) ?doc
"""
MENTIONS_COUNT = "SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { $x sc:mentionedIn ?doc }"

#: At most this many inbound relations on one entity page (a state can be the object of thousands).
MAX_INBOUND = 500
#: At most this many documents on one entity page, the newest; the rest are paged by
#: ``/api/documents?mentions=…`` (``documents_count`` gives the total).
MAX_DOCUMENTS = 100


def _source(row: dict) -> m.Source:
    doc = str(row["doc"])
    return m.Source(document=doc, document_id=local_id(doc), url=_str(row.get("url")), date=as_date(row.get("issued")),
                    title=_str(row.get("title")), sentence=_str(row.get("text")),
                    sentence_iri=_str(row.get("sentence")))


def _summary_of(iri: str, props: dict[str, list[tuple[Identifier, Identifier | None]]],
                label: str | None) -> m.EntitySummary:
    types = sorted({t for o, _ in props.get("rdf:type", []) if (t := sc_local(str(o)))})
    alt = sorted({str(o) for o, _ in props.get("skos:altLabel", [])})
    return m.EntitySummary(iri=iri, id=local_id(iri), label=label, types=types, alt_labels=alt)


def entity(store: Store, iri: str) -> m.EntityDetail | None:
    """One entity with its relations both ways, each with the sentences that attest it."""
    x = iri_ref(iri)
    out_rows = store.query(PROLOGUE + OUT.replace("$x", x)).dicts()
    if not out_rows:
        return None
    in_rows = store.query(PROLOGUE + (IN % {"reification": ", ".join(_REIFICATION), "limit": MAX_INBOUND})
                          .replace("$x", x)).dicts()
    inbound = _values(sorted({str(row["s"]) for row in in_rows if isinstance(row["s"], URIRef)}))
    sources: dict[tuple[str, str, str], list[m.Source]] = defaultdict(list)
    for row in store.query(PROLOGUE + (ATTESTED % {"inbound": inbound}).replace("$x", x)).dicts():
        sources[(str(row["s"]), str(row["p"]), _bound(row["o"]).n3())].append(_source(row))

    label, types, alt = None, set(), set()
    relations_out = []
    for row in out_rows:
        p, o = str(row["p"]), _bound(row["o"])
        if p == str(RDFS.label):
            label = str(o) if label is None else min(label, str(o))
        elif p == RDF_NS + "type":
            if t := sc_local(str(o)):
                types.add(t)
        elif p == PREFIXES["skos"] + "altLabel":
            alt.add(str(o))
        elif p not in _HEAD_PREDICATES:
            relations_out.append(m.Relation(property=curie(p), predicate=p, node=node(o, row.get("olabel")),
                                            sources=sources.get((iri, p, o.n3()), [])))
    relations_in = [m.Relation(property=curie(str(row["p"])), predicate=str(row["p"]),
                               node=node(_bound(row["s"]), row.get("slabel")),
                               sources=sources.get((str(row["s"]), str(row["p"]), URIRef(iri).n3()), []))
                    for row in in_rows]
    return m.EntityDetail(iri=iri, id=local_id(iri), label=label, types=sorted(types), alt_labels=sorted(alt),
                          relations_out=relations_out, relations_in=relations_in,
                          documents=documents_mentioning(store, iri),
                          documents_count=_count(store, MENTIONS_COUNT.replace("$x", x)))


def documents_mentioning(store: Store, iri: str, limit: int | None = None) -> list[m.DocumentRef]:
    """The newest ``limit`` (default :data:`MAX_DOCUMENTS`) documents naming ``iri``."""
    sparql = (MENTIONS % {"limit": limit or MAX_DOCUMENTS}).replace("$x", iri_ref(iri))
    return [_document_ref(row) for row in store.query(PROLOGUE + sparql).dicts()]


def _document_ref(row: dict) -> m.DocumentRef:
    doc = str(row["doc"])
    return m.DocumentRef(iri=doc, id=doc.removeprefix(DOCUMENT_BASE), url=_str(row.get("url")),
                         date=as_date(row.get("issued")), title=_str(row.get("title")),
                         outlet=_str(row.get("outlet")))


# -- lists -----------------------------------------------------------------------------------

#: The predicates are a FILTER, not a second VALUES: with two VALUES blocks Oxigraph scans every quad
#: and joins (200-700 ms at 1M quads); with one it looks up each subject (2 ms; measured on the 1M-quad benchmark graph).
SUMMARIES = """
SELECT ?s ?p ?o ?olabel WHERE {
  VALUES ?s { %(iris)s }
  ?s ?p ?o . FILTER(?p IN (%(predicates)s))
  OPTIONAL { ?o rdfs:label ?olabel }
}
"""
LIST_COUNT = """
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?t { %(classes)s } ?s a ?t . %(filters)s }
"""
LIST_PAGE = """
SELECT ?s (MIN(?l) AS ?label) (MIN(?d) AS ?date) WHERE {
  VALUES ?t { %(classes)s } ?s a ?t . %(filters)s
  OPTIONAL { ?s rdfs:label ?l }
  %(date)s
} GROUP BY ?s ORDER BY %(order)s LIMIT %(limit)d OFFSET %(offset)d
"""


@dataclass
class Filters:
    """Conditions on a list, as SPARQL group patterns over ``?s``, built only from checked values."""

    patterns: list[str]
    date_predicate: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def where(self) -> str:
        parts = list(self.patterns)
        if self.date_predicate and (self.date_from or self.date_to):
            parts.append(f"?s {self.date_predicate} ?d .")
            if self.date_from:
                parts.append(f'FILTER(?d >= "{self.date_from.isoformat()}"^^xsd:date)')
            if self.date_to:
                parts.append(f'FILTER(?d <= "{self.date_to.isoformat()}"^^xsd:date)')
        return "\n  ".join(parts)

    def date_pattern(self) -> str:
        if not self.date_predicate or self.date_from or self.date_to:
            return ""
        return f"OPTIONAL {{ ?s {self.date_predicate} ?d }}"


def state_filter(predicate: str, codes: Sequence[str]) -> list[str]:
    """``?s <predicate> <state>`` for every code: all must hold (a pair of parties, say)."""
    return [f"?s {predicate} {iri_ref(state_iri(code))} ." for code in dict.fromkeys(c.upper() for c in codes)]


def involves_state(code: str) -> str:
    """A meeting involves a state when the state, or an official representing it, took part or chaired."""
    return f"?s (sc:participant|sc:chair)/sc:represents? {iri_ref(state_iri(code))} ."


def usable_iri(iri: str) -> bool:
    """An absolute IRI that SPARQL can carry between angle brackets (Oxigraph's IRI parser decides)."""
    if not iri or _BAD_IRI.search(iri):
        return False
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


#: A filter on something that cannot exist: no row matches.
NOTHING = "FILTER(false)"


def involves(iri: str) -> str:
    return f"?s sc:participant|sc:chair {iri_ref(iri)} ." if usable_iri(iri) else NOTHING


def list_entities(store: Store, vocab: Vocabulary, kind: str, filters: Filters, *, type_: str | None = None,
                  limit: int, offset: int) -> tuple[list[m.EntitySummary], int]:
    """One page of the entities of a kind (or of one subtype), and how many there are in all."""
    root = KINDS[kind]
    if type_ is not None and type_ not in vocab.classes(root):
        raise InputError(f"{type_!r} is not a kind of {root}; use one of {', '.join(vocab.subtypes(root))}")
    classes = vocab.values(type_ or root)
    where = filters.where()
    total = _count(store, LIST_COUNT % {"classes": classes, "filters": where})
    order = "DESC(?date) LCASE(STR(?label)) ?s" if filters.date_predicate else "LCASE(STR(?label)) ?s"
    rows = store.query(PROLOGUE + LIST_PAGE % {"classes": classes, "filters": where, "date": filters.date_pattern(),
                                               "order": order, "limit": limit, "offset": offset}).rows
    labels = {str(s): _str(label) for s, label, _ in rows}
    return summaries(store, root, labels), total


def summaries(store: Store, root: str, labels: dict[str, str | None]) -> list[m.EntitySummary]:
    """List rows for the given IRIs (kept in the given order), shaped for their kind."""
    if not labels:
        return []
    props: dict[str, dict[str, list[tuple[Identifier, Identifier | None]]]] = {i: defaultdict(list) for i in labels}
    sparql = SUMMARIES % {"iris": _values(labels), "predicates": ", ".join(_SUMMARY_PREDICATES)}
    for s, p, o, olabel in store.query(PROLOGUE + sparql).rows:
        props[str(s)][curie(str(p))].append((_bound(o), olabel))
    return [_shape(root, iri, props[iri], label) for iri, label in labels.items()]


def _refs(values: list[tuple[Identifier, Identifier | None]]) -> list[m.Ref]:
    seen = {str(o): _str(lbl) for o, lbl in values if not isinstance(o, Literal)}
    return sorted((ref(i, lbl) for i, lbl in seen.items()), key=lambda r: ((r.label or "").lower(), r.iri))


def _first(values: list[tuple[Identifier, Identifier | None]]) -> Identifier | None:
    return min((o for o, _ in values), key=str, default=None)


def _shape(root: str, iri: str, props: dict, label: str | None) -> m.EntitySummary:
    base = _summary_of(iri, props, label).model_dump()
    if root == "State":
        return m.StateOut(**base, iso_code=_str(_first(props["sc:isoCode"])))
    if root == "Official":
        return m.OfficialOut(**base, states=_refs(props["sc:represents"]))
    if root == "Organization":
        return m.OrganizationOut(**base, states=_refs(props["sc:ofState"]))
    if root == "Agreement":
        return m.AgreementOut(**base, signed_on=as_date(_first(props["sc:signedOn"])),
                              valid_until=_str(_first(props["sc:validUntil"])), parties=_refs(props["sc:party"]),
                              signatories=_refs(props["sc:signatory"]))
    if root == "Project":
        return m.ProjectOut(**base, parties=_refs(props["sc:party"]), located_in=_refs(props["sc:locatedIn"]))
    if root == "Meeting":
        return m.MeetingOut(**base, held_on=as_date(_first(props["sc:heldOn"])), held_at=_refs(props["sc:heldAt"]),
                            participants=_refs(props["sc:participant"]), chairs=_refs(props["sc:chair"]),
                            session_of=_refs(props["sc:sessionOf"]))
    if root == "Place":
        return m.PlaceOut(**base, located_in=_refs(props["sc:locatedIn"]))
    return m.EntitySummary(**base)


# -- documents -------------------------------------------------------------------------------

DOCUMENTS_COUNT = """
SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc a sc:Document . %(filters)s }
"""
#: The page is chosen first (by date only) and only its documents get their other fields: joining every
#: field of every document before the cut was 3x slower at 5,000 documents (1M-quad benchmark graph).
DOCUMENTS_PAGE = """
SELECT ?doc (SAMPLE(?u) AS ?url) (MIN(?i) AS ?issued) (SAMPLE(?t) AS ?title) (SAMPLE(?o) AS ?outlet) WHERE {
  { SELECT ?doc (MIN(?i0) AS ?first) WHERE { ?doc a sc:Document . %(filters)s OPTIONAL { ?doc dcterms:issued ?i0 } }
    GROUP BY ?doc ORDER BY DESC(?first) ?doc LIMIT %(limit)d OFFSET %(offset)d }
  OPTIONAL { ?doc dcterms:source ?u } OPTIONAL { ?doc dcterms:issued ?i }
  OPTIONAL { ?doc dcterms:title ?t } OPTIONAL { ?doc dcterms:publisher ?o }
} GROUP BY ?doc ORDER BY DESC(?issued) ?doc
"""
DOCUMENT_SIZES = """
SELECT ?doc (COUNT(*) AS ?n) WHERE { VALUES ?doc { %(iris)s } GRAPH ?doc { ?s ?p ?o } } GROUP BY ?doc
"""
#: Properties of a document graph that are bookkeeping, not facts (provenance, sentences, codes).
_NOT_FACTS = frozenset(SC_NS + name for name in ("mentionedIn", "text", "sentence", "sentenceIndex", "isoCode"))


def document_filters(issued_from: dt.date | None, issued_to: dt.date | None, mentions: str | None) -> str:
    parts = []
    if issued_from or issued_to:
        parts.append("?doc dcterms:issued ?when .")
        if issued_from:
            parts.append(f'FILTER(?when >= "{issued_from.isoformat()}"^^xsd:date)')
        if issued_to:
            parts.append(f'FILTER(?when <= "{issued_to.isoformat()}"^^xsd:date)')
    if mentions:
        parts.append(f"{iri_ref(mentions)} sc:mentionedIn ?doc ." if usable_iri(mentions) else NOTHING)
    return "\n  ".join(parts)


def list_documents(store: Store, filters: str, *, limit: int, offset: int) -> tuple[list[m.DocumentSummary], int]:
    total = _count(store, DOCUMENTS_COUNT % {"filters": filters})
    rows = store.query(PROLOGUE + DOCUMENTS_PAGE % {"filters": filters, "limit": limit, "offset": offset}).dicts()
    refs = [_document_ref(row) for row in rows]
    sizes = document_sizes(store, [r.iri for r in refs])
    return [m.DocumentSummary(**r.model_dump(), statements=sizes.get(r.iri, 0)) for r in refs], total


def document_sizes(store: Store, iris: list[str]) -> dict[str, int]:
    if not iris:
        return {}
    rows = store.query(PROLOGUE + DOCUMENT_SIZES % {"iris": _values(iris)}).rows
    return {str(doc): int(_bound(n)) for doc, n in rows}


def document(store: Store, iri: str) -> m.DocumentDetail | None:
    """A document: its metadata, the entities it names and the facts it states, each with its sentence.

    Everything is read from the document's named graph in one read (one snapshot of the store), so a
    delete or a re-ingest landing meanwhile gives the whole document before or after it, never part
    of it (several queries could each see another state)."""
    g = store.graph(iri)
    if not len(g):
        return None
    return document_from_graph(g, iri)


def document_from_graph(g: Graph, iri: str) -> m.DocumentDetail:
    """The API view of one document graph (metadata, entities, facts with their sentences)."""
    doc = URIRef(iri)

    def first(p: URIRef, s: Node = doc) -> Node | None:
        return min(g.objects(s, p), default=None, key=lambda t: (str(t), t.n3()))

    head = m.DocumentRef(iri=iri, id=iri.removeprefix(DOCUMENT_BASE), url=_str(first(DCTERMS.source)),
                         date=as_date(min(g.objects(doc, DCTERMS.issued), default=None, key=str)),
                         title=_str(first(DCTERMS.title)), outlet=_str(first(DCTERMS.publisher)))
    labels = {s: str(first(RDFS.label, s)) for s in set(g.subjects(RDFS.label, None))}
    entities = sorted((ref(str(e), labels.get(e)) for e in set(g.subjects(SC.mentionedIn, doc))),
                      key=lambda r: (r.label is None, (r.label or "").lower(), r.iri))
    sentences: dict[tuple[Node, Node, Node], str] = {}
    for att, s in g.subject_objects(RDF.subject):
        p, o = g.value(att, RDF.predicate), g.value(att, RDF.object)
        texts = sorted(str(t) for sent in g.objects(att, SC.sentence) for t in g.objects(sent, SC.text))
        if p is not None and o is not None and texts and (s, p, o) not in sentences:
            sentences[(s, p, o)] = texts[0]
    facts = [m.Fact(subject=ref(str(s), labels.get(s)), property=curie(str(p)), predicate=str(p),
                    node=node(o, labels.get(o)), sentence=sentences.get((s, p, o)))
             for s, p, o in g if str(p).startswith(SC_NS) and str(p) not in _NOT_FACTS]
    facts.sort(key=lambda f: (f.subject.iri, f.predicate, f.node.iri is None, f.node.iri or "",
                              f.node.value or "", f.node.datatype or ""))
    return m.DocumentDetail(**head.model_dump(), statements=len(g), entities=entities, facts=facts)


# -- two states -------------------------------------------------------------------------------

BETWEEN = """
SELECT DISTINCT ?s ?kind WHERE {
  { VALUES ?t { %(agreements)s } ?s a ?t ; sc:party $a, $b . BIND("agreement" AS ?kind) }
  UNION
  { VALUES ?t { %(meetings)s } ?s a ?t .
    ?s (sc:participant|sc:chair)/sc:represents? $a .
    ?s (sc:participant|sc:chair)/sc:represents? $b .
    BIND("meeting" AS ?kind) }
}
"""


def between(store: Store, vocab: Vocabulary, a: str, b: str) -> m.Between:
    """Agreements both states are party to and meetings both took part in, by date; who met or signed with whom."""
    a_iri, b_iri = state_iri(a), state_iri(b)
    sparql = (BETWEEN % {"agreements": vocab.values("Agreement"), "meetings": vocab.values("Meeting")}
              ).replace("$a", iri_ref(a_iri)).replace("$b", iri_ref(b_iri))
    kinds = {str(s): str(kind) for s, kind in store.query(PROLOGUE + sparql).rows}
    labels = labels_of(store, list(kinds) + [a_iri, b_iri])
    agreements = summaries(store, "Agreement", {i: labels.get(i) for i, k in kinds.items() if k == "agreement"})
    meetings = summaries(store, "Meeting", {i: labels.get(i) for i, k in kinds.items() if k == "meeting"})
    events: list[m.TimelineEvent] = []
    for ag in agreements:
        assert isinstance(ag, m.AgreementOut)
        events.append(m.TimelineEvent(kind="agreement", iri=ag.iri, id=ag.id, label=ag.label, types=ag.types,
                                      date=ag.signed_on, people=ag.signatories))
    for mt in meetings:
        assert isinstance(mt, m.MeetingOut)
        people = {r.iri: r for r in mt.chairs + mt.participants if "/person/" in r.iri or r.iri not in (a_iri, b_iri)}
        events.append(m.TimelineEvent(kind="meeting", iri=mt.iri, id=mt.id, label=mt.label, types=mt.types,
                                      date=mt.held_on, people=list(people.values()), places=mt.held_at))
    events.sort(key=lambda e: (e.date is None, e.date or dt.date.min, (e.label or "").lower(), e.iri))
    nodes, edges = _network(store, events)
    return m.Between(states=[ref(a_iri, labels.get(a_iri)), ref(b_iri, labels.get(b_iri))], events=events,
                     nodes=nodes, edges=edges)


def _network(store: Store, events: list[m.TimelineEvent]) -> tuple[list[m.NetworkNode], list[m.NetworkEdge]]:
    """People linked when they signed the same agreement or took part in the same meeting."""
    people: dict[str, m.Ref] = {}
    pairs: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for event in events:
        iris = sorted({p.iri for p in event.people})
        for p in event.people:
            people.setdefault(p.iri, p)
        link = "signed" if event.kind == "agreement" else "met"
        for i, x in enumerate(iris):
            for y in iris[i + 1:]:
                weight, kinds = pairs.get((x, y), (0, set()))
                pairs[(x, y)] = (weight + 1, kinds | {link})
    states = represented_states(store, list(people))
    nodes = [m.NetworkNode(iri=i, id=r.id, label=r.label, state=states.get(i)) for i, r in sorted(people.items())]
    edges = [m.NetworkEdge(source=x, target=y, weight=w, kinds=sorted(k))  # type: ignore[arg-type]
             for (x, y), (w, k) in sorted(pairs.items())]
    return nodes, edges


REPRESENTS = """
SELECT ?p (MIN(?code) AS ?iso) WHERE {
  VALUES ?p { %(iris)s }
  { ?p sc:represents ?st } UNION { ?p sc:ofState ?st } UNION { ?p sc:isoCode ?code0 BIND(?p AS ?st) }
  ?st sc:isoCode ?code
} GROUP BY ?p
"""


def represented_states(store: Store, iris: list[str]) -> dict[str, str]:
    if not iris:
        return {}
    return {str(p): str(code) for p, code in store.query(PROLOGUE + REPRESENTS % {"iris": _values(iris)}).rows}


LABELS = "SELECT ?s (MIN(?l) AS ?label) WHERE { VALUES ?s { %(iris)s } ?s rdfs:label ?l } GROUP BY ?s"


def labels_of(store: Store, iris: list[str]) -> dict[str, str]:
    if not iris:
        return {}
    return {str(s): str(lbl) for s, lbl in store.query(PROLOGUE + LABELS % {"iris": _values(iris)}).rows}


PARTNERS = """
SELECT ?code (MIN(?l) AS ?label) (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?t { %(classes)s }
  ?s a ?t ; sc:party $x, ?other . FILTER(?other != $x)
  ?other sc:isoCode ?code . OPTIONAL { ?other rdfs:label ?l }
} GROUP BY ?code ORDER BY DESC(?n) ?code
"""
PAIRS = """
SELECT ?a ?b (MIN(?la) AS ?alabel) (MIN(?lb) AS ?blabel) (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?t { %(classes)s }
  ?s a ?t ; sc:party ?x, ?y . ?x sc:isoCode ?a . ?y sc:isoCode ?b . FILTER(STR(?a) < STR(?b))
  OPTIONAL { ?x rdfs:label ?la } OPTIONAL { ?y rdfs:label ?lb }
} GROUP BY ?a ?b ORDER BY DESC(?n) ?a ?b LIMIT %(limit)d
"""


def partners(store: Store, vocab: Vocabulary, iri: str) -> list[tuple[str, str | None, int]]:
    """The states that share agreements or projects with a state: (ISO code, label, how many)."""
    classes = vocab.values("Agreement") + " " + vocab.values("Project")
    rows = store.query(PROLOGUE + (PARTNERS % {"classes": classes}).replace("$x", iri_ref(iri))).rows
    return [(str(code), _str(label), int(_bound(n))) for code, label, n in rows]


def top_pairs(store: Store, vocab: Vocabulary, limit: int = 12) -> list[tuple[m.Ref, m.Ref, int]]:
    """The pairs of states that are parties to the most agreements together."""
    rows = store.query(PROLOGUE + PAIRS % {"classes": vocab.values("Agreement"), "limit": limit}).rows
    return [(m.Ref(iri=state_iri(str(a)), id=f"state/{a}", label=_str(la)),
             m.Ref(iri=state_iri(str(b)), id=f"state/{b}", label=_str(lb)), int(_bound(n)))
            for a, b, la, lb, n in rows]


# -- figures for VoID ---------------------------------------------------------------------------

ENTITIES = f"""
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?t . FILTER(STRSTARTS(STR(?s), "{ID_NS}")) }}
"""


def entity_count(store: Store) -> int:
    return _count(store, ENTITIES)


# -- name search --------------------------------------------------------------------------------

NAMES = f"""
SELECT ?s ?name ?kind WHERE {{
  {{ ?s rdfs:label ?name BIND("label" AS ?kind) }}
  UNION {{ ?s skos:altLabel ?name BIND("alias" AS ?kind) }}
  UNION {{ ?s sc:isoCode ?name BIND("code" AS ?kind) }}
  FILTER(STRSTARTS(STR(?s), "{ID_NS}"))
}}
"""
TYPES = f"""
SELECT ?s ?t WHERE {{ ?s a ?t . FILTER(STRSTARTS(STR(?s), "{ID_NS}") && STRSTARTS(STR(?t), STR(sc:))) }}
"""


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name: ``Bayterek`` and ``BAYTERÉK`` fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", stripped).split())


@dataclass(frozen=True)
class _Entry:
    iri: str
    label: str | None
    types: tuple[str, ...]
    aliases: tuple[str, ...]


class LabelIndex:
    """Every name of every entity, folded, in memory; rebuilt when the write generation changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._names: list[tuple[str, str, str]] = []  # (folded name, name, iri)
        self._entries: dict[str, _Entry] = {}

    def refresh(self, store: Store, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                return
            labels: dict[str, str] = {}
            aliases: dict[str, set[str]] = defaultdict(set)
            names = []
            for s, name, kind in store.query(PROLOGUE + NAMES).rows:
                iri, text = str(s), str(name)
                if str(kind) == "label":
                    labels[iri] = min(labels.get(iri, text), text)
                elif str(kind) == "alias":
                    aliases[iri].add(text)
                names.append((fold(text), text, iri))
            types: dict[str, set[str]] = defaultdict(set)
            for s, t in store.query(PROLOGUE + TYPES).rows:
                types[str(s)].add(str(t)[len(SC_NS):])
            self._entries = {iri: _Entry(iri, labels.get(iri), tuple(sorted(types[iri])), tuple(sorted(aliases[iri])))
                             for _, _, iri in names}
            self._names = sorted(set(names))
            self._generation = generation

    def search(self, query: str, *, types: frozenset[str] | None = None) -> list[m.SearchHit]:
        """Entities with a name containing the query, best first: exact, then prefix, then word start, then inside."""
        q = fold(query)
        if not q:
            return []
        best: dict[str, tuple[int, str]] = {}
        for folded, name, iri in self._names:
            pos = folded.find(q)
            if pos < 0:
                continue
            if folded == q:
                rank = 0
            elif pos == 0:
                rank = 1
            elif f" {q}" in f" {folded}":
                rank = 2
            else:
                rank = 3
            if iri not in best or rank < best[iri][0]:
                best[iri] = (rank, name)
        hits = []
        for iri, (rank, name) in best.items():
            e = self._entries[iri]
            if types is not None and not types.intersection(e.types):
                continue
            hits.append((rank, (e.label or "").casefold(), iri, name))
        hits.sort()
        out = []
        for _, _, iri, name in hits:
            e = self._entries[iri]
            out.append(m.SearchHit(iri=iri, id=local_id(iri), label=e.label, types=list(e.types),
                                   alt_labels=list(e.aliases), matched=name))
        return out
