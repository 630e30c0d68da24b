"""What ingest workers send back for commit (N-Triples text) stores exactly what the Graph it stands for would."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from shared_paths import DEV, need_shared

from kgraph.ingest import Ingestor
from kgraph.namespaces import SC
from kgraph.settings import Settings
from kgraph.store.base import NTriples
from kgraph.store.oxigraph import OxigraphStore

DOC = "https://example.org/doc/1"
S = URIRef("https://example.org/id/x")


def _awkward_graph() -> Graph:
    """Literals that Turtle would abbreviate or quote differently from N-Triples."""
    g = Graph()
    for value in ("plain", 'a "quoted"\nline\tand \\ backslash', "Ünïcödé ✓", ""):
        g.add((S, RDFS.label, Literal(value)))
    g.add((S, RDFS.label, Literal("Baikonur", lang="en")))
    g.add((S, SC.sentenceIndex, Literal(0)))
    g.add((S, SC.planned, Literal(True)))
    g.add((S, SC.signedOn, Literal("2019-02-30", datatype=XSD.date)))  # ill-typed: kept as written
    g.add((S, SC.validUntil, Literal("2050", datatype=XSD.gYear)))
    g.add((S, RDF.type, SC.State))
    return g


def test_round_trip_keeps_every_term():
    g = _awkward_graph()
    payload = NTriples.of(g)
    assert len(payload) == len(g)
    assert set(payload) == set(g)


def test_blank_nodes_are_refused():
    g = Graph()
    g.add((S, RDFS.seeAlso, BNode()))
    with pytest.raises(ValueError, match="blank nodes"):
        NTriples.of(g)


def test_store_holds_the_same_graph_and_union_as_from_a_graph():
    g = _awkward_graph()
    stores = OxigraphStore(None), OxigraphStore(None)
    try:
        stores[0].replace_graph(DOC, g)
        stores[1].replace_graph(DOC, NTriples.of(g))
        assert set(stores[1].graph(DOC)) == set(stores[0].graph(DOC)) == set(g)
        assert set(stores[1].graph(None)) == set(stores[0].graph(None))
        stores[1].replace_graph(DOC, NTriples.of(Graph()))  # replacing with nothing empties it
        assert not set(stores[1].graph(None)) and stores[1].count(DOC) == 0
    finally:
        for store in stores:
            store.close()


@pytest.mark.slow
def test_two_workers_ingest_the_same_dataset_as_one(tmp_path, extractor):
    corpus = need_shared(DEV / "corpus.jsonl")
    results = []
    for workers in (1, 2):
        settings = Settings(store=str(tmp_path / f"store-{workers}"))
        store = OxigraphStore(settings.store)
        try:
            report = Ingestor(store, settings, extractor=extractor).ingest_paths([corpus], workers=workers)
            outcomes = [(d.iri, d.statements, d.rejected, tuple(d.violations), tuple(d.warnings))
                        for d in report.documents]
            graphs = {d.iri: set(store.graph(d.iri)) for d in report.documents}
            union = {t for t in store.graph(None) if not any(isinstance(x, BNode) for x in t)}  # ontology lists
            results.append((graphs, union, outcomes, len(report.errors)))
        finally:
            store.close()
    assert results[0][2], "the corpus gives documents"
    assert results[0] == results[1]
