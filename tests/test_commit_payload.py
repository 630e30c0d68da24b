"""Commits: what ingest workers send back (N-Triples text) stores exactly what the Graph it stands for would,
and replacing a stored graph by its difference keeps every graph and the union exact."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from shared_paths import DEV, need_shared

from kgraph.errors import StoreReadOnly
from kgraph.ingest import Ingestor
from kgraph.namespaces import SC
from kgraph.settings import Settings
from kgraph.store.base import NTriples, ntriples_lines
from kgraph.store.convert import to_ox
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


_TERMS = st.sampled_from([S, URIRef("https://example.org/id/y"), RDFS.label, SC.text, RDF.type, SC.State,
                          Literal("Baikonur", lang="en"), Literal("Baikonur", lang="EN"), Literal("Baikonur", lang="En-gB"),
                          Literal("Baikonur"), Literal("Baikonur", datatype=XSD.string), Literal(1), Literal("01", datatype=XSD.integer),
                          Literal('a "b"\n'), Literal("2019-02-30", datatype=XSD.date)])


@given(st.lists(st.tuples(_TERMS, _TERMS, _TERMS), max_size=30))
def test_a_block_is_its_triples_written_one_by_one(triples):
    """A block writes each distinct term once and reuses the text: the lines are those written triple by
    triple, also for literals rdflib holds equal whose language tags differ in case."""
    one_by_one = [f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ." for s, p, o in triples]
    assert NTriples.of(triples).text == "\n".join(one_by_one)
    assert ntriples_lines(triples, blank_nodes=True) == (one_by_one, False)


def test_a_graph_with_blank_nodes_is_written_and_flagged():
    """The path of Graphs that may hold blank nodes (the ontology's lists) writes them, says so, and
    writes one blank node the same text wherever it stands."""
    g, node = _awkward_graph(), BNode()
    g.add((S, RDFS.seeAlso, node))
    g.add((node, RDFS.label, Literal("b")))
    lines, blank = ntriples_lines(g, blank_nodes=True)
    assert blank and sorted(lines) == sorted(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ." for s, p, o in g)
    assert sum(line.count(f"_:{node}") for line in lines) == 2
    assert ntriples_lines(_awkward_graph(), blank_nodes=True)[1] is False


def test_blank_nodes_are_refused():
    g = Graph()
    g.add((S, RDFS.seeAlso, BNode()))
    with pytest.raises(ValueError, match="blank nodes"):
        NTriples.of(g)
    with pytest.raises(ValueError, match="blank nodes"):
        NTriples.of([(S, RDFS.label, Literal("a")), (BNode(), RDFS.label, Literal("a"))])


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


UNIVERSE = [(URIRef(f"https://example.org/id/{s}"), p, o) for s in "abc"
            for p, o in ((RDFS.label, Literal("A")), (RDFS.label, Literal("A", lang="en")), (SC.sentenceIndex, Literal(1)),
                         (SC.planned, Literal(False)), (RDF.type, SC.State), (SC.text, Literal('x "y"\nz')))]


def test_random_replaces_and_drops_keep_graphs_and_union_exact():
    """Seeded sequences of replaces (as Graphs or as text) and drops over a small shared universe of triples."""
    rng = random.Random(5)
    store, expected = OxigraphStore(None), {}
    try:
        for _step in range(300):
            iri = f"https://example.org/doc/{rng.randrange(4)}"
            if rng.random() < 0.15:
                assert store.drop_graph(iri) is (iri in expected)
                expected.pop(iri, None)
                continue
            triples = set(rng.sample(UNIVERSE, rng.randrange(len(UNIVERSE) // 2)))
            store.replace_graph(iri, NTriples.of(triples) if rng.random() < 0.5 else _graph(triples))
            if triples:
                expected[iri] = triples
            else:
                expected.pop(iri, None)
            assert store.named_graphs() == sorted(expected)
            assert all(set(store.graph(g)) == t for g, t in expected.items())
            assert set(store.graph(None)) == set().union(*expected.values())
    finally:
        store.close()


def _graph(triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def test_an_unchanged_replace_on_a_read_only_store_is_refused(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    store.replace_graph(DOC, _awkward_graph())
    store.close()
    read_only = OxigraphStore(tmp_path / "store", read_only=True)
    try:
        with pytest.raises(StoreReadOnly):
            read_only.replace_graph(DOC, _awkward_graph())
    finally:
        read_only.close()


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
