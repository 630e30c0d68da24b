"""Per-document validation: violating statements are split off, the rest is kept, warnings pass."""

from __future__ import annotations

import re

from rdflib import Graph, URIRef

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


def _check(g: Graph):
    s = Settings()
    return validate_document(g, load_shapes(s.shapes_path), load_ontology(s.ontology_path))


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
