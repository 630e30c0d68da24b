"""The compiled validation engine gives the same issues and the same quarantine as pySHACL, document by document.

Documents come from the real extractor (the dev corpus, and synthetic articles
from ``bench/synth_articles.py``); each synthetic one gets a fault injected
(wrong class, datatype, count, pattern, node kind, a blank node, a class
hierarchy of its own). Issues are compared as multisets: pySHACL reports one
result per failing constraint and value node, so the same issue can occur twice.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS, XSD
from shared_paths import DEV, REPO, need_shared
from test_shaclsparql import _faulty_graph

from kgraph.articles import read_path
from kgraph.errors import ConfigError
from kgraph.ingest import Ingestor, write_quarantine
from kgraph.namespaces import SC
from kgraph.rdfgraph import build_document_graph
from kgraph.settings import Settings
from kgraph.shaclsparql import UnsupportedShape
from kgraph.validate import _issues, check_document, load_ontology, load_shapes, validate_document


@pytest.fixture(scope="module")
def shapes_and_ontology() -> tuple[Graph, Graph]:
    settings = Settings()
    return load_shapes(settings.shapes_path), load_ontology(settings.ontology_path)


def _documents(path: Path, extractor) -> list[tuple[str, Graph]]:
    return [(article.key, build_document_graph(extractor.extract(article))) for article in read_path(path)]


def _assert_same_issues(graph: Graph, shapes: Graph, ontology: Graph) -> list:
    reference, _ = check_document(graph, shapes, ontology, "pyshacl")
    compiled, _ = check_document(graph, shapes, ontology, "compiled")
    assert Counter(compiled) == Counter(reference)
    return reference


def _assert_same_outcome(graph: Graph, shapes: Graph, ontology: Graph) -> None:
    """Both engines split off the same statements, with the same violations and warnings."""
    reference = validate_document(graph, shapes, ontology, engine="pyshacl")
    compiled = validate_document(graph, shapes, ontology, engine="compiled")
    assert set(compiled.accepted) == set(reference.accepted)
    assert set(compiled.rejected) == set(reference.rejected)
    assert Counter(compiled.violations) == Counter(reference.violations)
    assert Counter(compiled.warnings) == Counter(reference.warnings)


def test_same_issues_on_the_dev_corpus(shapes_and_ontology, extractor):
    shapes, ontology = shapes_and_ontology
    documents = _documents(need_shared(DEV / "corpus.jsonl"), extractor)
    found = [_assert_same_issues(graph, shapes, ontology) for _key, graph in documents]
    assert any(found), "the dev corpus gives warnings at least"


def test_same_issues_on_every_kind_of_fault(shapes_and_ontology):
    shapes, ontology = shapes_and_ontology
    issues = _assert_same_issues(_faulty_graph(), shapes, ontology)
    assert len({i.shape for i in issues}) >= 30
    assert max(Counter(issues).values()) > 1, "a value that breaks two constraints gives two results"


# -- synthetic documents with one injected fault each -----------------------------------------------------------

Fault = Callable[[Graph], None]


def _one(graph: Graph, *classes: URIRef) -> URIRef:
    """The first node (in IRI order) of the first of ``classes`` the document has instances of."""
    return next(sorted(found)[0] for cls in classes if (found := set(graph.subjects(RDF.type, cls))))


def _replace_objects(graph: Graph, predicate: URIRef, new: Callable[[Graph], object]) -> None:
    s, o = sorted(graph.subject_objects(predicate))[0]
    graph.remove((s, predicate, o))
    graph.add((s, predicate, new(graph)))


AGREEMENTS = (SC.Agreement, SC.Treaty, SC.Protocol, SC.Memorandum, SC.Concept, SC.Roadmap, SC.Programme,
              SC.Contract, SC.Meeting)
FAULTS: dict[str, Fault] = {
    "party-not-a-state": lambda g: _replace_objects(g, SC.party, lambda g: _one(g, SC.Document)),
    "signed-on-a-string": lambda g: g.add((_one(g, *AGREEMENTS), SC.signedOn, Literal("yesterday"))),
    "ill-typed-date": lambda g: g.set((_one(g, SC.Document), DCTERMS.issued, Literal("2019-02-30", datatype=XSD.date))),
    "two-labels": lambda g: g.add((_one(g, SC.State), RDFS.label, Literal("Another name"))),
    "no-iso-code": lambda g: g.remove((_one(g, SC.State), SC.isoCode, None)),
    "lower-case-iso-code": lambda g: g.set((_one(g, SC.State), SC.isoCode, Literal("kz"))),
    "integer-iso-code": lambda g: g.set((_one(g, SC.State), SC.isoCode, Literal(7))),
    "negative-sentence-index": lambda g: g.set((_one(g, SC.Sentence), SC.sentenceIndex, Literal(-1))),
    "string-sentence-index": lambda g: g.set((_one(g, SC.Sentence), SC.sentenceIndex, Literal("one"))),
    "attestation-without-sentence": lambda g: g.remove((_one(g, SC.Attestation), SC.sentence, None)),
    "attestation-from-a-state": lambda g: g.set((_one(g, SC.Attestation), SC.sentence, _one(g, SC.State))),
    "source-a-literal": lambda g: g.set((_one(g, SC.Document), DCTERMS.source, Literal("https://example.org/a"))),
    "alt-label-a-number": lambda g: g.add((_one(g, SC.State), SKOS.altLabel, Literal(3))),
    "mentioned-in-a-state": lambda g: g.add((_one(g, SC.State), SC.mentionedIn, _one(g, SC.State))),
    "concerns-a-blank-node": lambda g: g.add((_one(g, SC.Meeting, *AGREEMENTS), SC.concerns, BNode())),
    "untyped-party": lambda g: g.remove((sorted(g.objects(None, SC.party))[0], RDF.type, None)),
    "own-class-hierarchy": lambda g: (g.add((SC.Document, RDFS.subClassOf, SC.State)),
                                      _replace_objects(g, SC.party, lambda g: _one(g, SC.Document))),
    "meeting-without-label": lambda g: g.remove((_one(g, SC.Meeting, SC.State), RDFS.label, None)),
}


@pytest.fixture(scope="module")
def synthetic_documents(extractor, tmp_path_factory) -> list[Graph]:
    sys.path.insert(0, str(REPO / "bench"))
    import synth_articles

    path = synth_articles.write(tmp_path_factory.mktemp("synth") / "articles.jsonl", len(FAULTS), seed=7)
    return [graph for _key, graph in _documents(path, extractor)]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_same_issues_and_quarantine_with_an_injected_fault(fault, synthetic_documents, shapes_and_ontology):
    shapes, ontology = shapes_and_ontology
    graph = Graph()
    for t in synthetic_documents[sorted(FAULTS).index(fault)]:
        graph.add(t)
    before = _assert_same_issues(graph, shapes, ontology)
    FAULTS[fault](graph)
    after = _assert_same_issues(graph, shapes, ontology)
    assert Counter(after) != Counter(before), f"the fault {fault} must change the report"
    _assert_same_outcome(graph, shapes, ontology)


# -- the report graph, and what the engine refuses ----------------------------------------------------------------

def test_compiled_report_is_a_shacl_report_with_the_same_issues(shapes_and_ontology):
    shapes, ontology = shapes_and_ontology
    issues, report = check_document(_faulty_graph(), shapes, ontology, "compiled")
    assert len(list(report.subjects(RDF.type, SH.ValidationReport))) == 1
    assert (None, SH.conforms, Literal(False)) in report
    assert len(list(report.objects(None, SH.result))) == len(issues)
    assert Counter(_issues(report)) == Counter(issues)


def test_quarantine_holds_the_rejected_statements_and_a_shacl_report(shapes_and_ontology, tmp_path):
    shapes, ontology = shapes_and_ontology
    outcome = validate_document(_faulty_graph(), shapes, ontology, engine="compiled")
    assert outcome.rejected and outcome.violations

    class Article:
        iri, key = "https://example.org/doc/1", "doc-1"

    target = write_quarantine(tmp_path / "doc-1.trig", Article(), outcome)
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(target, format="trig")
    report = ds.graph(URIRef(Article.iri + "#report"))
    assert (None, RDF.type, SH.ValidationReport) in report and len(list(report.objects(None, SH.result))) > 0
    assert set(ds.graph(URIRef(Article.iri + "#rejected"))) == set(outcome.rejected)


def test_a_conforming_document_is_accepted_without_a_copy(shapes_and_ontology):
    shapes, ontology = shapes_and_ontology
    graph = Graph()
    state = URIRef("https://w3id.org/spacecoop/id/state/KZ")
    graph.add((state, RDF.type, SC.State)), graph.add((state, RDFS.label, Literal("Kazakhstan")))
    graph.add((state, SC.isoCode, Literal("KZ")))
    outcome = validate_document(graph, shapes, ontology, engine="compiled")
    assert outcome.conforms and outcome.accepted is graph and not outcome.rejected
    assert (None, SH.conforms, Literal(True)) in outcome.report


UNSUPPORTED = {
    "hasValue": "ex:P sh:path ex:p ; sh:hasValue ex:v ; sh:message \"m\" .",
    "sh:message": "ex:P sh:path ex:p ; sh:minCount 1 .",
    "flags": "ex:P sh:path ex:p ; sh:pattern \"a\" ; sh:flags \"x\" ; sh:message \"m\" .",
    "paths": "ex:P sh:path ( ex:p ex:q ) ; sh:minCount 1 ; sh:message \"m\" .",
}


@pytest.mark.parametrize("feature", sorted(UNSUPPORTED))
def test_unsupported_shapes_stop_the_compiled_engine(feature, tmp_path):
    text = ("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .\n"
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .\n" + UNSUPPORTED[feature])
    shapes = Graph().parse(data=text, format="turtle")
    with pytest.raises(UnsupportedShape, match=feature):
        validate_document(Graph(), shapes, Graph(), engine="compiled")
    path = tmp_path / "shapes.ttl"
    path.write_text(text, encoding="utf-8")
    settings = Settings(store=str(tmp_path / "store"), shapes_path=path)
    from kgraph.store.oxigraph import OxigraphStore

    with pytest.raises(UnsupportedShape):  # at start, not once per article
        Ingestor(OxigraphStore(None), settings, extractor=object())


def test_an_unknown_engine_is_refused(shapes_and_ontology):
    shapes, ontology = shapes_and_ontology
    with pytest.raises(ConfigError, match="engine"):
        validate_document(Graph(), shapes, ontology, engine="fast")
