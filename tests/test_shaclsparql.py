"""The SHACL-to-SPARQL compiler gives the same report as pySHACL (kgraph.validate) on the project's shapes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kgraph.namespaces import ONTOLOGY_GRAPH, SC
from kgraph.settings import Settings
from kgraph.shaclsparql import UnsupportedShape, compile_shapes, validate_store
from kgraph.store.oxigraph import OxigraphStore
from kgraph.validate import load_ontology, load_shapes, validate_graph

EX = "https://example.org/id/"
DOC = URIRef("https://example.org/doc/1")


def e(local: str) -> URIRef:
    return URIRef(EX + local)


@pytest.fixture(scope="module")
def shapes_and_ontology():
    settings = Settings()
    return load_shapes(settings.shapes_path), load_ontology(settings.ontology_path)


def _faulty_graph() -> Graph:
    """A document that breaks every kind of constraint the shapes use, next to conforming nodes."""
    g = Graph()
    add = g.add
    # states: a good one, a lower-case code, two codes, no label
    add((e("kz"), RDF.type, SC.State)), add((e("kz"), RDFS.label, Literal("Kazakhstan"))), add((e("kz"), SC.isoCode, Literal("KZ")))
    add((e("xx"), RDF.type, SC.State)), add((e("xx"), SC.isoCode, Literal("xx"))), add((e("xx"), SC.isoCode, Literal("XY")))
    # officials: a non-state represented, two states, a literal post, none at all
    add((e("p1"), RDF.type, SC.Official)), add((e("p1"), RDFS.label, Literal("A B")))
    add((e("p1"), SC.represents, e("roscosmos"))), add((e("p1"), SC.represents, e("kz")))
    add((e("p1"), SC.holds, Literal("chairman")))
    add((e("p2"), RDF.type, SC.Official)), add((e("p2"), RDFS.label, Literal("C D", lang="en")))
    add((e("p2"), SC.holds, e("post1"))), add((e("p1"), SC.holds, e("post1")))
    # posts: language-tagged title, a string date, two dates, no title and no holder
    add((e("post1"), RDF.type, SC.Post)), add((e("post1"), SC["title"], Literal("Chairman", lang="en")))
    add((e("post1"), SC.attestedOn, Literal("2019-08-27"))), add((e("post1"), SC.attestedOn, Literal("2019-08-28", datatype=XSD.date)))
    add((e("post2"), RDF.type, SC.Post)), add((e("post2"), SC.ofState, e("p2")))
    # a space agency (a subclass): literal state, located in an agreement
    add((e("roscosmos"), RDF.type, SC.SpaceAgency)), add((e("roscosmos"), RDFS.label, Literal("Roscosmos")))
    add((e("roscosmos"), SC.ofState, Literal("RU"))), add((e("roscosmos"), SC.locatedIn, e("ag1")))
    # agreements: one party that is not a state, a gYear signing date, a string end of term, two terms, two labels
    add((e("ag1"), RDF.type, SC.Protocol)), add((e("ag1"), RDFS.label, Literal("P1"))), add((e("ag1"), RDFS.label, Literal("P one")))
    add((e("ag1"), SC.party, e("roscosmos"))), add((e("ag1"), SC.signedOn, Literal("2019", datatype=XSD.gYear)))
    add((e("ag1"), SC.validUntil, Literal("2050"))), add((e("ag1"), SC["term"], Literal("a"))), add((e("ag1"), SC["term"], Literal("b")))
    add((e("ag1"), SC.planned, Literal("yes"))), add((e("ag1"), SC.signatory, e("kz"))), add((e("ag1"), SC.amends, e("p1")))
    add((e("ag1"), SC.concerns, e("kz"))), add((e("ag1"), SC.signedAt, e("kz")))
    add((e("ag2"), RDF.type, SC.Agreement)), add((e("ag2"), RDFS.label, Literal("Fine")))
    add((e("ag2"), SC.party, e("kz"))), add((e("ag2"), SC.party, e("xx"))), add((e("ag2"), SC.amends, e("ag1")))
    add((e("ag2"), SC.validUntil, Literal("2050", datatype=XSD.gYear)))
    # a meeting: no date, a state as chair, a place as participant, a session of a state
    add((e("m1"), RDF.type, SC.Meeting)), add((e("m1"), RDFS.label, Literal("Talks")))
    add((e("m1"), SC.chair, e("kz"))), add((e("m1"), SC.participant, e("baikonur"))), add((e("m1"), SC.sessionOf, e("kz")))
    add((e("m1"), SC.heldAt, e("roscosmos")))
    add((e("baikonur"), RDF.type, SC.Spaceport)), add((e("baikonur"), RDFS.label, Literal("Baikonur")))
    add((e("baikonur"), SC.locatedIn, e("kz")))
    # aliases and sources
    add((e("kz"), SKOS.altLabel, Literal(7))), add((e("kz"), SC.mentionedIn, DOC)), add((e("p2"), SC.mentionedIn, e("kz")))
    # the document and its provenance
    add((DOC, RDF.type, SC.Document)), add((DOC, DCTERMS.source, Literal("http://not.an.iri/"))),
    add((DOC, DCTERMS.issued, Literal("2019-08-27", datatype=XSD.date))), add((DOC, DCTERMS.issued, Literal("2019-08-28", datatype=XSD.date)))
    add((DOC, DCTERMS.publisher, Literal("TASS", lang="en")))
    s0, s1 = URIRef(f"{DOC}#s0"), URIRef(f"{DOC}#s1")
    add((s0, RDF.type, SC.Sentence)), add((s0, SC.text, Literal("Text."))), add((s0, SC.sentenceIndex, Literal(-1)))
    add((s0, DCTERMS.isPartOf, DOC))
    add((s1, RDF.type, SC.Sentence)), add((s1, SC.sentenceIndex, Literal("one"))), add((s1, DCTERMS.isPartOf, e("kz")))
    a0 = URIRef(f"{DOC}#a0")
    add((a0, RDF.type, SC.Attestation)), add((a0, RDF.predicate, SC.party)), add((a0, RDF.object, e("kz")))
    add((a0, RDF.object, e("xx"))), add((a0, SC.sentence, s0)), add((a0, SC.sentence, e("kz")))
    return g


def _compare(data: dict[URIRef, Graph], shapes: Graph, ontology: Graph) -> tuple[set, set]:
    store = OxigraphStore(None)
    try:
        store.replace_graphs({str(k): v for k, v in data.items()})
        _conforms, compiled = validate_store(store, shapes)
        union = store.graph(None)
    finally:
        store.close()
    _conforms, reference, _report = validate_graph(union, shapes, ontology)
    return set(compiled), set(reference)


def test_report_agrees_with_pyshacl_on_every_kind_of_fault(shapes_and_ontology):
    shapes, ontology = shapes_and_ontology
    compiled, reference = _compare({URIRef(ONTOLOGY_GRAPH): ontology, DOC: _faulty_graph()}, shapes, ontology)
    assert reference, "the faulty graph must break the shapes"
    assert len({i.shape for i in reference}) >= 30  # most constraints of the shapes are exercised
    assert compiled == reference


def test_report_agrees_with_pyshacl_on_a_synthetic_graph(shapes_and_ontology):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import pyoxigraph as ox
    import synth

    from kgraph.store.convert import to_rdflib

    shapes, ontology = shapes_and_ontology
    graphs: dict[URIRef, Graph] = {}
    for quad in ox.parse("\n".join(synth.generate(6_000, seed=5)), ox.RdfFormat.N_QUADS):
        graphs.setdefault(URIRef(quad.graph_name.value), Graph()).add(
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    compiled, reference = _compare(graphs, shapes, ontology)
    assert reference  # warnings: officials without a state, posts attested twice
    assert compiled == reference


def test_conforming_data_conforms(shapes_and_ontology):
    shapes, _ontology = shapes_and_ontology
    store = OxigraphStore(None)
    g = Graph()
    g.add((e("kz"), RDF.type, SC.State)), g.add((e("kz"), RDFS.label, Literal("Kazakhstan")))
    g.add((e("kz"), SC.isoCode, Literal("KZ")))
    store.replace_graph(str(DOC), g)
    assert validate_store(store, shapes) == (True, [])
    store.close()


def test_unsupported_features_are_refused():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
        ex:P sh:path ex:p ; sh:hasValue ex:v .
    """, format="turtle")
    with pytest.raises(UnsupportedShape, match="hasValue"):
        compile_shapes(shapes)


def test_every_project_shape_compiles(shapes_and_ontology):
    shapes, _ = shapes_and_ontology
    checks = compile_shapes(shapes)
    property_shapes = {str(p) for p in shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#property"))}
    assert {c.shape for c in checks} == property_shapes
