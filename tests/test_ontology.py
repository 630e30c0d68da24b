"""The ontology keeps the vocabulary contract and stays consistent.

* every class and property that ``shared/spec/vocabulary.md`` names is defined
  in ``ontology/spacecoop.ttl`` with that IRI, a label and a comment, and with
  the domain and range the table gives;
* the file loads without a warning, and every term it uses is declared;
* the subclass tree is the one the specification describes;
* the ontology plus a sample document graph is consistent under an OWL RL
  closure (owlrl).

These tests read the Turtle files only; they do not import kgraph.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import owlrl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_PATH = ROOT / "ontology" / "spacecoop.ttl"
VOCABULARY_PATH = Path(__file__).resolve().parents[2] / "shared" / "spec" / "vocabulary.md"

ONTOLOGY_IRI = URIRef("https://w3id.org/spacecoop/ontology")
SC = Namespace("https://w3id.org/spacecoop/ontology#")
SCHEMA = Namespace("https://schema.org/")
ID = Namespace("https://w3id.org/spacecoop/id/")
# owlrl records an inconsistency as ``[] a err:ErrorMessage ; err:error "…"``
# (owlrl.Closure.Core.closure, with ERRNS from owlrl.Namespaces).
OWLRL_ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

STANDARD_PREFIXES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
}
# Annotation properties OWL 2 has built in: no declaration needed.
BUILTIN_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo}


# --------------------------------------------------------------------------
#  Reading vocabulary.md
# --------------------------------------------------------------------------

@dataclass
class Vocabulary:
    """The terms of vocabulary.md: classes, and properties with their "from → to"."""

    prefixes: dict[str, str] = field(default_factory=lambda: dict(STANDARD_PREFIXES))
    classes: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)

    def iri(self, curie: str) -> URIRef:
        prefix, local = curie.split(":", 1)
        return URIRef(self.prefixes[prefix] + local)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_vocabulary(path: Path) -> Vocabulary:
    """Parse the markdown tables: namespaces, then the Classes and Properties sections."""
    vocabulary = Vocabulary()
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            section = line.lstrip("#").strip().lower()
            continue
        if not line.startswith("|"):
            continue
        cells = _cells(line)
        namespace = re.fullmatch(r"`(\w+):`", cells[0])
        if namespace and len(cells) > 1 and cells[1].startswith("`http"):
            vocabulary.prefixes[namespace.group(1)] = cells[1].strip("`")
            continue
        term = re.fullmatch(r"`(\w+:\w+)`", cells[0])
        if not term:
            continue
        if section == "classes":
            vocabulary.classes.append(term.group(1))
        elif section == "properties":
            vocabulary.properties[term.group(1)] = cells[1]
    return vocabulary


VOCABULARY = read_vocabulary(VOCABULARY_PATH) if VOCABULARY_PATH.is_file() else None
NO_VOCABULARY = pytest.mark.skip(reason=f"vocabulary specification not found at {VOCABULARY_PATH}")


def _vocabulary_params(terms_of) -> list:
    if VOCABULARY is None:
        return [pytest.param(None, marks=NO_VOCABULARY, id="no-vocabulary")]
    return list(terms_of(VOCABULARY))


def _signature_terms(side: str, vocabulary: Vocabulary) -> set[URIRef] | None:
    """Classes or datatypes named on one side of "from → to"; None for "any" / "IRI"."""
    words = [w for w in re.findall(r"[\w:]+", side) if w != "or"]
    if words in (["any"], ["IRI"]):
        return None
    terms = set()
    for word in words:
        if ":" in word:
            terms.add(vocabulary.iri(word))
        elif word == "string":
            terms.add(XSD.string)
        else:
            terms.add(SC[word])
    return terms


# --------------------------------------------------------------------------
#  Fixtures and helpers
# --------------------------------------------------------------------------

def load_ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


QNAME_PREFIXES = {"sc": SC, "id": ID, "org": ORG, "foaf": FOAF,
                  "schema": SCHEMA, "prov": PROV, "rdf": RDF, "xsd": XSD, "owl": OWL}


def qname(term) -> str:
    """A short name for test ids: ``sc:State``, ``org:holds``."""
    for prefix, namespace in QNAME_PREFIXES.items():
        if str(term).startswith(str(namespace)):
            return f"{prefix}:{str(term)[len(str(namespace)):]}"
    return str(term)


def members(graph: Graph, node) -> set:
    """The classes of an owl:unionOf, or the node itself."""
    union = graph.value(node, OWL.unionOf)
    if union is None:
        return {node}
    return set(Collection(graph, union))


def english(graph: Graph, subject, predicate) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == "en"]


def owl_rl_problems(graph: Graph) -> list[str]:
    """Expand ``graph`` in place with the OWL RL closure; return what makes it inconsistent."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    problems = [str(m) for e in graph.subjects(RDF.type, OWLRL_ERR.ErrorMessage)
                for m in graph.objects(e, OWLRL_ERR.error)]
    problems += [f"{x} is a member of owl:Nothing" for x in graph.subjects(RDF.type, OWL.Nothing)]
    return problems


# A document graph of the shape kgraph builds: every class, every property,
# a resource that is both a sc:Place and a sc:Project, literal and IRI objects
# of attestations, a gYear and a date end of term.
SAMPLE_DATA = """
@prefix sc:      <https://w3id.org/spacecoop/ontology#> .
@prefix id:      <https://w3id.org/spacecoop/id/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

id:doc a sc:Document ; dcterms:source <https://www.inform.kz/en/example> ;
    dcterms:issued "2016-12-26"^^xsd:date ; dcterms:publisher "Kazinform" ; dcterms:title "Baikonur" .
id:doc-s3 a sc:Sentence ; sc:text "The Concept was signed in St. Petersburg." ; sc:sentenceIndex 3 ;
    dcterms:isPartOf id:doc .

id:KZ a sc:State ; rdfs:label "Kazakhstan" ; skos:altLabel "RoK" ; sc:isoCode "KZ" ; sc:mentionedIn id:doc .
id:RU a sc:State ; rdfs:label "Russia" ; sc:isoCode "RU" ; sc:mentionedIn id:doc .
id:mamin a sc:Official ; rdfs:label "Askar Mamin" ; sc:represents id:KZ ; sc:holds id:mamin-post ;
    sc:mentionedIn id:doc .
id:mamin-post a sc:Post ; rdfs:label "First Deputy Prime Minister" ; sc:title "First Deputy Prime Minister" ;
    sc:ofState id:KZ ; sc:inOrganization id:mod ; sc:attestedOn "2016-12-26"^^xsd:date .
id:rogozin a sc:Official ; rdfs:label "Dmitry Rogozin" ; sc:represents id:RU .
id:roscosmos a sc:SpaceAgency ; rdfs:label "Roscosmos" ; sc:ofState id:RU ; sc:locatedIn id:moscow .
id:mod a sc:GovernmentBody ; rdfs:label "Ministry of Defense and Aerospace Industry" ; sc:ofState id:KZ .
id:ksc a sc:Company ; rdfs:label "Kazakhstan Garysh Sapary" ; sc:ofState id:KZ .
id:igc a sc:IntergovernmentalBody ; rdfs:label "Intergovernmental Commission for the Baikonur complex" .
id:spb a sc:Place ; rdfs:label "St. Petersburg" ; sc:locatedIn id:RU .
id:moscow a sc:Place ; rdfs:label "Moscow" ; sc:locatedIn id:RU .
id:cosmodrome a sc:Spaceport ; rdfs:label "Baikonur cosmodrome" ; sc:locatedIn id:KZ .
id:complex a sc:Place , sc:Project ; rdfs:label "Baikonur complex" ; sc:party id:KZ , id:RU ;
    sc:locatedIn id:KZ .
id:baiterek a sc:Project ; rdfs:label "Baiterek" ; sc:party id:KZ , id:RU ; sc:locatedIn id:cosmodrome .

id:lease a sc:Treaty ; rdfs:label "Baikonur lease treaty" ; sc:party id:KZ , id:RU ; sc:validUntil "2050"^^xsd:gYear .
id:concept a sc:Concept ; rdfs:label "Concept of further cooperation on Baikonur complex" ;
    sc:party id:KZ , id:RU ; sc:signatory id:mamin , id:rogozin ; sc:signedOn "2016-12-26"^^xsd:date ;
    sc:signedAt id:spb ; sc:concerns id:complex , id:lease ; sc:validUntil "2050-12-31"^^xsd:date ;
    sc:term "till 2050" ; sc:planned false .
id:protocol a sc:Protocol ; rdfs:label "Protocol on modification of the lease treaty" ; sc:amends id:lease .
id:memo a sc:Memorandum ; rdfs:label "Memorandum" ; sc:concerns id:roscosmos .
id:roadmap a sc:Roadmap ; rdfs:label "Roadmap" .
id:programme a sc:Programme ; rdfs:label "Programme" .
id:contract a sc:Contract ; rdfs:label "Launch contract" ; sc:concerns id:cosmodrome .

id:igc-6 a sc:Meeting ; rdfs:label "6th session of the Commission" ; sc:heldOn "2019-08-27"^^xsd:date ;
    sc:heldAt id:moscow ; sc:sessionOf id:igc ; sc:chair id:mamin ;
    sc:participant id:rogozin , id:roscosmos , id:RU ; sc:concerns id:baiterek ; sc:planned false .

id:doc-a1 a sc:Attestation ; rdf:subject id:concept ; rdf:predicate sc:signatory ; rdf:object id:mamin ;
    sc:sentence id:doc-s3 .
id:doc-a2 a sc:Attestation ; rdf:subject id:concept ; rdf:predicate sc:signedOn ;
    rdf:object "2016-12-26"^^xsd:date ; sc:sentence id:doc-s3 .
"""


# --------------------------------------------------------------------------
#  The vocabulary contract
# --------------------------------------------------------------------------

@pytest.mark.skipif(VOCABULARY is None, reason=f"vocabulary specification not found at {VOCABULARY_PATH}")
def test_vocabulary_tables_are_read():
    """Guards the markdown parser: the specification has 9 classes and 26 properties."""
    assert VOCABULARY is not None
    assert VOCABULARY.prefixes["sc"] == str(SC)
    assert len(VOCABULARY.classes) >= 9
    assert len(VOCABULARY.properties) >= 26
    assert "sc:State" in VOCABULARY.classes and "sc:validUntil" in VOCABULARY.properties


def _defined_with_documentation(ontology: Graph, iri: URIRef) -> None:
    assert english(ontology, iri, RDFS.label), f"{iri} has no rdfs:label@en"
    assert english(ontology, iri, RDFS.comment), f"{iri} has no rdfs:comment@en"
    assert (iri, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology, f"{iri} has no rdfs:isDefinedBy"


@pytest.mark.parametrize("curie", _vocabulary_params(lambda v: v.classes))
def test_vocabulary_class_is_defined(ontology, curie):
    iri = VOCABULARY.iri(curie)
    assert (iri, RDF.type, OWL.Class) in ontology, f"{curie} is not an owl:Class"
    _defined_with_documentation(ontology, iri)


@pytest.mark.parametrize("curie", _vocabulary_params(lambda v: v.properties))
def test_vocabulary_property_is_defined(ontology, curie):
    iri = VOCABULARY.iri(curie)
    if iri in BUILTIN_ANNOTATIONS:
        return
    kinds = set(ontology.objects(iri, RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty,
                                                     OWL.AnnotationProperty}
    assert len(kinds) == 1, f"{curie} must be declared as exactly one kind of property, is {kinds}"
    if iri.startswith(str(SC)):
        assert kinds != {OWL.AnnotationProperty}
        _defined_with_documentation(ontology, iri)


@pytest.mark.parametrize("curie", _vocabulary_params(
    lambda v: [c for c in v.properties if c.startswith("sc:")]))
def test_vocabulary_property_signature(ontology, curie):
    """Domain and range as in the "from → to" column; the range may be wider."""
    iri = VOCABULARY.iri(curie)
    source, target = VOCABULARY.properties[curie].split("→")
    domain = _signature_terms(source, VOCABULARY)
    declared_domains = list(ontology.objects(iri, RDFS.domain))
    if domain is None:
        assert declared_domains == [], f"{curie} applies to anything and should have no rdfs:domain"
    else:
        assert len(declared_domains) == 1, f"{curie} should have one rdfs:domain"
        assert members(ontology, declared_domains[0]) == domain
    rng = _signature_terms(target, VOCABULARY)
    declared_ranges = list(ontology.objects(iri, RDFS.range))
    assert len(declared_ranges) == 1, f"{curie} should have one rdfs:range"
    if rng is not None:
        assert rng <= members(ontology, declared_ranges[0])
        datatype = all(t.startswith(str(XSD)) for t in rng)
        expected_kind = OWL.DatatypeProperty if datatype else OWL.ObjectProperty
        assert (iri, RDF.type, expected_kind) in ontology


PROJECT_TERMS = [
    (SC.text, OWL.DatatypeProperty, {SC.Sentence}, {XSD.string}),
    (SC.sentenceIndex, OWL.DatatypeProperty, {SC.Sentence}, {XSD.integer}),
    (SC.sentence, OWL.ObjectProperty, {SC.Attestation}, {SC.Sentence}),
    (SC["term"], OWL.DatatypeProperty, {SC.Agreement}, {XSD.string}),
    (SC.planned, OWL.DatatypeProperty, {SC.Meeting, SC.Agreement}, {XSD.boolean}),
    (SC.validUntil, OWL.DatatypeProperty, {SC.Agreement}, {XSD.gYear, XSD.date}),
    (SC.concerns, OWL.ObjectProperty, {SC.Agreement, SC.Meeting},
     {SC.Project, SC.Place, SC.Organization, SC.Agreement}),
]


@pytest.mark.parametrize("prop, kind, domain, rng", PROJECT_TERMS, ids=[qname(row[0]) for row in PROJECT_TERMS])
def test_project_terms(ontology, prop, kind, domain, rng):
    """The terms kgraph uses beyond vocabulary.md, and the two unions the brief fixes."""
    assert (prop, RDF.type, kind) in ontology
    _defined_with_documentation(ontology, prop)
    assert members(ontology, ontology.value(prop, RDFS.domain)) == domain
    assert members(ontology, ontology.value(prop, RDFS.range)) == rng


def test_valid_until_range_is_a_datatype_union(ontology):
    rng = ontology.value(SC.validUntil, RDFS.range)
    assert isinstance(rng, BNode)
    assert (rng, RDF.type, RDFS.Datatype) in ontology


@pytest.mark.parametrize("cls", [SC.Sentence, SC.Attestation], ids=qname)
def test_provenance_classes(ontology, cls):
    assert (cls, RDF.type, OWL.Class) in ontology
    _defined_with_documentation(ontology, cls)


def test_sentence_part_of_is_declared(ontology):
    assert (DCTERMS.isPartOf, RDF.type, OWL.AnnotationProperty) in ontology


# --------------------------------------------------------------------------
#  The document itself
# --------------------------------------------------------------------------

def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert english(ontology, ONTOLOGY_IRI, DCTERMS.title)
    assert english(ontology, ONTOLOGY_IRI, DCTERMS.description)
    assert isinstance(ontology.value(ONTOLOGY_IRI, DCTERMS.license), URIRef)
    created = ontology.value(ONTOLOGY_IRI, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype == XSD.date
    assert ontology.namespace_manager.store.namespace("sc") == URIRef(str(SC))


def test_loads_without_warnings(caplog):
    with caplog.at_level(logging.DEBUG), warnings.catch_warnings():
        warnings.simplefilter("error")
        graph = load_ontology()
    assert len(graph) > 0
    noisy = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert noisy == [], [r.getMessage() for r in noisy]


def test_every_sc_term_is_defined(ontology):
    """A typo (sc:Orgnization) would show up as an sc: IRI nobody defines."""
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and t.startswith(str(SC))}
    undefined = {t for t in used if (t, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology}
    assert undefined == set()


def test_every_used_term_is_declared(ontology):
    """OWL 2 DL hygiene: declared predicates and classes, no punning."""
    properties = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    declared_properties = {s for k in properties for s in ontology.subjects(RDF.type, k)}
    for predicate in set(ontology.predicates()):
        if str(predicate).startswith((str(RDF), str(RDFS), str(OWL))):  # URIRef.startswith takes no tuple
            continue
        assert predicate in declared_properties, f"{predicate} is used but not declared"

    classes = set(ontology.subjects(RDF.type, OWL.Class))
    referenced = set(ontology.objects(None, RDFS.subClassOf))
    for prop in declared_properties:
        for axiom in (RDFS.domain, RDFS.range):
            for node in ontology.objects(prop, axiom):
                referenced |= members(ontology, node)
    for term in referenced:
        if isinstance(term, URIRef) and not term.startswith(str(XSD)):
            assert term in classes, f"{term} is used as a class but not declared"
    assert classes & declared_properties == set(), "a term is both a class and a property"
    kinds_per_property = [set(ontology.objects(p, RDF.type)) & properties for p in declared_properties]
    assert all(len(kinds) == 1 for kinds in kinds_per_property), "a property has two kinds"


def test_no_axioms_the_data_would_violate(ontology):
    """No disjointness, equivalence, functionality or cardinality: the shapes check those."""
    forbidden_predicates = {OWL.disjointWith, OWL.equivalentClass, OWL.propertyDisjointWith,
                            OWL.disjointUnionOf, OWL.complementOf, OWL.maxCardinality,
                            OWL.maxQualifiedCardinality, OWL.cardinality}
    assert not [t for t in ontology if t[1] in forbidden_predicates]
    forbidden_types = {OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.AllDisjointClasses,
                       OWL.IrreflexiveProperty, OWL.AsymmetricProperty}
    assert not [t for t in ontology.triples((None, RDF.type, None)) if t[2] in forbidden_types]


# --------------------------------------------------------------------------
#  The subclass tree
# --------------------------------------------------------------------------

SUBCLASS_TREE = [
    (SC.Official, FOAF.Person),
    (SC.Organization, ORG.Organization),
    (SC.SpaceAgency, SC.Organization),
    (SC.GovernmentBody, SC.Organization),
    (SC.Company, SC.Organization),
    (SC.IntergovernmentalBody, SC.Organization),
    (SC.Treaty, SC.Agreement),
    (SC.Protocol, SC.Agreement),
    (SC.Memorandum, SC.Agreement),
    (SC.Concept, SC.Agreement),
    (SC.Roadmap, SC.Agreement),
    (SC.Programme, SC.Agreement),
    (SC.Contract, SC.Agreement),
    (SC.Place, SCHEMA.Place),
    (SC.Spaceport, SC.Place),
    (SC.State, SCHEMA.Country),
    (SC.Meeting, SCHEMA.Event),
    (SC.Post, ORG.Post),
    (SC.Document, PROV.Entity),
    (SC.Sentence, PROV.Entity),
    (SC.Attestation, RDF.Statement),
]


@pytest.mark.parametrize("sub, sup", SUBCLASS_TREE, ids=[f"{qname(s)}<{qname(o)}" for s, o in SUBCLASS_TREE])
def test_subclass_tree(ontology, sub, sup):
    assert list(ontology.objects(sub, RDFS.subClassOf)) == [sup]


@pytest.mark.parametrize("cls", [SC.Agreement, SC.Project], ids=qname)
def test_top_classes_have_no_superclass(ontology, cls):
    assert list(ontology.objects(cls, RDFS.subClassOf)) == []


# --------------------------------------------------------------------------
#  OWL RL consistency
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def closure() -> tuple[Graph, list[str]]:
    graph = load_ontology()
    graph.parse(data=SAMPLE_DATA, format="turtle")
    problems = owl_rl_problems(graph)
    return graph, problems


def test_owl_rl_closure_is_consistent(closure):
    _graph, problems = closure
    assert problems == []



@pytest.mark.parametrize("triple", [
    (ID.roscosmos, RDF.type, SC.Organization),
    (ID.roscosmos, RDF.type, ORG.Organization),
    (ID.mamin, RDF.type, FOAF.Person),
    (ID.concept, RDF.type, SC.Agreement),
    (ID.complex, RDF.type, SC.Place),
    (ID.complex, RDF.type, SC.Project),
    (ID.mamin, ORG.holds, ID["mamin-post"]),
    (ID["mamin-post"], ORG.postIn, ID.mod),
    (ID["igc-6"], SCHEMA.location, ID.moscow),
    (ID["doc-a1"], RDF.type, RDF.Statement),
    (ID["doc-a1"], PROV.wasDerivedFrom, ID["doc-s3"]),
], ids=lambda t: " ".join(qname(term) for term in t))
def test_owl_rl_closure_draws_the_alignments(closure, triple):
    graph, _problems = closure
    assert triple in graph


@pytest.mark.parametrize("extra", [
    "id:KZ owl:sameAs id:RU . id:KZ owl:differentFrom id:RU .",
    "sc:Place owl:disjointWith sc:Project .",
    "id:nowhere a owl:Nothing .",
], ids=["sameAs-differentFrom", "disjoint-place-project", "nothing"])
def test_owl_rl_check_detects_inconsistency(extra):
    """The consistency check above is not vacuous: owlrl does report these."""
    graph = load_ontology()
    graph.parse(data=SAMPLE_DATA + "\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n" + extra,
                format="turtle")
    assert owl_rl_problems(graph) != []
