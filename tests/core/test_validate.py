"""Per-document validation: violating statements are split off, the rest is kept, warnings pass."""

from __future__ import annotations

import re

import pytest
from rdflib import BNode, Graph, URIRef

from kgraph.settings import Settings
from kgraph.validate import load_ontology, load_shapes, validate_document

PREFIXES = """
@prefix sc: <https://w3id.org/spacecoop/ontology#> .
@prefix id: <https://w3id.org/spacecoop/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

DOC = """
id:document/t1 a sc:Document .
id:state/AA a sc:State ; rdfs:label "Aland" ; sc:isoCode "AA" ; sc:mentionedIn id:document/t1 .
id:state/BB a sc:State ; rdfs:label "Beland" ; sc:isoCode "BB" ; sc:mentionedIn id:document/t1 .
id:place/capital a sc:Place ; rdfs:label "Capital City" ; sc:mentionedIn id:document/t1 .
id:agreement/x a sc:Memorandum ; rdfs:label "Memorandum on lunar research" ;
    sc:party id:state/AA , id:state/BB ; sc:signedOn "2020-01-02"^^xsd:date ;
    sc:mentionedIn id:document/t1 .
"""


def _turtle(text: str) -> str:
    """Test data writes ``id:state/AA``; Turtle needs full IRIs for local names with slashes."""
    return PREFIXES + re.sub(r"\bid:([\w/-]+)", r"<https://w3id.org/spacecoop/id/\1>", text)


def _graph(extra: str = "") -> Graph:
    g = Graph()
    g.parse(data=_turtle(DOC + extra), format="turtle")
    return g


def _check(g: Graph, engine: str = "compiled"):
    s = Settings()
    return validate_document(g, load_shapes(s.shapes_path), load_ontology(s.ontology_path), engine=engine)


def test_valid_document_is_kept_whole():
    g = _graph()
    outcome = _check(g)
    assert outcome.conforms
    assert len(outcome.accepted) == len(g) and not outcome.rejected


def test_party_that_is_not_a_state_is_quarantined_and_the_rest_kept():
    g = _graph("id:agreement/x sc:party id:place/capital .")
    outcome = _check(g)
    assert outcome.violations, "a party that is a Place must be a violation"
    bad = (URIRef("https://w3id.org/spacecoop/id/agreement/x"), URIRef("https://w3id.org/spacecoop/ontology#party"),
           URIRef("https://w3id.org/spacecoop/id/place/capital"))
    assert bad in outcome.rejected and bad not in outcome.accepted
    assert len(outcome.accepted) + len(outcome.rejected) == len(g)
    assert (bad[0], bad[1], URIRef("https://w3id.org/spacecoop/id/state/AA")) in outcome.accepted
    assert _check(outcome.accepted).conforms


def test_wrong_datatype_is_quarantined():
    g = _graph('id:agreement/x sc:signedOn "yesterday" .')
    outcome = _check(g)
    assert any("signedOn" in (v.path or "") for v in outcome.violations)
    assert _check(outcome.accepted).conforms


def test_incomplete_agreement_is_only_a_warning():
    g = Graph()
    g.parse(data=_turtle("""
      id:document/t2 a sc:Document .
      id:state/AA a sc:State ; rdfs:label "Aland" ; sc:isoCode "AA" .
      id:agreement/y a sc:Agreement ; rdfs:label "Agreement on launches" ; sc:party id:state/AA ;
          sc:mentionedIn id:document/t2 ."""), format="turtle")
    outcome = _check(g)
    assert outcome.conforms and outcome.warnings
    assert len(outcome.accepted) == len(g)


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_a_violation_on_a_blank_node_quarantines_its_statements_not_the_document(engine):
    # an issue carries its focus node as a term: a blank node's bare label, taken as an IRI, matched
    # nothing, and the same violation came back until validation gave up on the whole document
    g = _graph('id:agreement/x sc:party [ a sc:State ; rdfs:label "Celand" ; sc:isoCode "cc" ] .')
    outcome = _check(g, engine)
    assert outcome.violations and all(isinstance(v.focus, BNode) for v in outcome.violations)
    assert all(v.line().startswith("Violation: _:") for v in outcome.violations)   # named as a blank node
    rejected_codes = {str(o) for o in outcome.rejected.objects(None, URIRef("https://w3id.org/spacecoop/ontology#isoCode"))}
    assert "cc" in rejected_codes and len(outcome.accepted) + len(outcome.rejected) == len(g)


def test_a_report_line_prints_an_iri_rdflib_finds_invalid():
    # a remote store may hold one (Virtuoso takes spaces); rdflib's n3() raises on it
    from kgraph.validate import Issue

    issue = Issue("Violation", URIRef("http://example.org/a b"), None, None, "no label", None)
    assert issue.line() == "Violation: <http://example.org/a b>: no label"


def test_splitting_off_a_node_takes_its_statements_attestations_whole_and_reports_only_what_is_there():
    # the attestation of (meeting heldAt capital) names the rejected node as its rdf:object: moved first,
    # it was left half in the accepted graph and reported as a violation the data did not have
    g = _graph("""
<https://w3id.org/spacecoop/id/document/t1#s0> a sc:Sentence ; sc:text "They met in the capital." ;
    sc:sentenceIndex 0 ; <http://purl.org/dc/terms/isPartOf> id:document/t1 .
id:meeting/m a sc:Meeting ; rdfs:label "Meeting" ; sc:heldAt id:place/capital ; sc:mentionedIn id:document/t1 .
id:place/capital rdfs:label "Second name" .
<https://w3id.org/spacecoop/id/document/t1#a0> a sc:Attestation ; rdf:subject id:meeting/m ; rdf:predicate sc:heldAt ;
    rdf:object id:place/capital ; sc:sentence <https://w3id.org/spacecoop/id/document/t1#s0> .
""")
    for _ in range(3):                                 # the triples' order differs between graphs
        outcome = _check(g)
        assert {str(v.focus) for v in outcome.violations} == {"https://w3id.org/spacecoop/id/place/capital"}
        attestation = URIRef("https://w3id.org/spacecoop/id/document/t1#a0")
        assert not list(outcome.accepted.triples((attestation, None, None)))
        assert len(list(outcome.rejected.triples((attestation, None, None)))) == 5
        g = Graph().parse(data=g.serialize(format="nt"), format="nt")


def test_shapes_that_do_not_parse_are_a_configuration_error(tmp_path):
    from kgraph.errors import ConfigError

    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n this is not turtle\n", encoding="utf-8")
    try:
        load_shapes(broken)
    except ConfigError as exc:
        assert exc.exit_code == 2 and "broken.ttl" in exc.message
    else:
        raise AssertionError("a file that does not parse was loaded")
