"""The conversion boundary between Oxigraph and rdflib terms, and the cache of recent conversions."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import XSD, BNode, Literal, URIRef

from kgraph.errors import NotRepresentable
from kgraph.store.convert import (
    TERM_CACHE_CHARS,
    _recent,
    recent_rdflib,
    to_rdflib,
)
from kgraph.store.oxigraph import OxigraphStore

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_IRIS = st.sampled_from(["https://example.org/a", "https://example.org/b", str(XSD.integer), str(XSD.date)])
_DATATYPES = st.sampled_from([str(XSD.string), str(XSD.integer), str(XSD.date), str(XSD.dateTime),
                              str(XSD.decimal), "https://example.org/type"])

terms = st.one_of(
    _IRIS.map(ox.NamedNode),
    st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True).map(ox.BlankNode),
    st.builds(lambda text, datatype: ox.Literal(text, datatype=ox.NamedNode(datatype)), _TEXT, _DATATYPES),
    st.builds(lambda text, language: ox.Literal(text, language=language), _TEXT, st.sampled_from(["en", "ru", "kk"])),
)


@settings(max_examples=300)
@given(st.lists(terms, min_size=1, max_size=20))
def test_a_remembered_conversion_is_the_conversion(values):
    """Terms that differ only by datatype, language or lexical form ("1" as a string, an integer, in
    Russian) are kept apart: each comes back as its own rdflib term, the same as converted afresh."""
    for term in values + values[::-1]:
        got, fresh = recent_rdflib(term), to_rdflib(term)
        assert got == fresh and type(got) is type(fresh)
        if isinstance(got, Literal):
            assert (got.datatype, got.language, str(got)) == (fresh.datatype, fresh.language, str(fresh))


def test_the_same_lexical_form_under_three_types_gives_three_terms():
    forms = [ox.Literal("1"), ox.Literal("1", datatype=ox.NamedNode(str(XSD.integer))), ox.Literal("1", language="ru")]
    assert [recent_rdflib(t) for t in forms] == [Literal("1"), Literal("1", datatype=XSD.integer), Literal("1", lang="ru")]
    assert recent_rdflib(ox.NamedNode("https://example.org/1")) == URIRef("https://example.org/1")
    assert recent_rdflib(ox.BlankNode("b1")) == BNode("b1")
    assert recent_rdflib(None) is None


def test_a_long_term_is_converted_but_not_kept():
    """The bound on entries bounds memory only for short terms (a review kept forty 1 MB literals)."""
    _recent.clear()
    for text in ("x" * (TERM_CACHE_CHARS + 1), "y" * 100_000):
        assert recent_rdflib(ox.Literal(text, language="en")) == Literal(text, lang="en")
        assert recent_rdflib(ox.NamedNode("https://example.org/" + text)) == URIRef("https://example.org/" + text)
    assert len(_recent) == 0
    assert recent_rdflib(ox.Literal("x" * TERM_CACHE_CHARS)) == Literal("x" * TERM_CACHE_CHARS)
    assert len(_recent) == 1


def test_past_the_bound_the_oldest_conversion_goes(monkeypatch):
    monkeypatch.setattr("kgraph.store.convert.TERM_CACHE_SIZE", 3)
    _recent.clear()
    names = [ox.NamedNode(f"https://example.org/{i}") for i in range(5)]
    for name in names:
        assert recent_rdflib(name) == URIRef(name.value)
    assert list(_recent) == names[2:]
    assert recent_rdflib(names[0]) == URIRef(names[0].value)  # converted again, and kept as the newest
    assert list(_recent) == [*names[3:], names[0]]


def test_query_answers_after_a_write_carry_the_new_terms():
    """A cache of conversions, not of answers: a label changed by a write comes back changed."""
    store = OxigraphStore(None)
    store.update('INSERT DATA { GRAPH <urn:g> { <urn:x> <urn:p> "before"@en } }')
    ask = "SELECT ?o WHERE { GRAPH ?g { <urn:x> <urn:p> ?o } }"
    assert store.query(ask).rows == [(Literal("before", lang="en"),)]
    store.update('DELETE DATA { GRAPH <urn:g> { <urn:x> <urn:p> "before"@en } } ;'
                 'INSERT DATA { GRAPH <urn:g> { <urn:x> <urn:p> "2026-12-07"^^<http://www.w3.org/2001/XMLSchema#date> } }')
    assert store.query(ask).rows == [(Literal("2026-12-07", datatype=XSD.date),)]


def test_a_base_direction_stays_in_the_endpoints_answers_and_the_dump():
    """rdflib 7 has no base direction (RDF 1.2): its paths keep the text and the language (refusing the
    literal made one such label fail every page that showed it); the SPARQL endpoint's answers and
    the N-Quads dump keep the direction."""
    directional = ox.Literal("a", language="en", direction=ox.BaseDirection.RTL)
    assert recent_rdflib(directional) == to_rdflib(directional) == Literal("a", lang="en")
    store = OxigraphStore(None)
    store.update('INSERT DATA { GRAPH <urn:g> { <urn:x> <urn:p> "a"@en--rtl } }')
    query = "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert store.query(query).rows == [(Literal("a", lang="en"),)]
    body, _type, _cut = store.query_serialized(query, "application/sparql-results+json")
    assert b'"its:dir": "rtl"' in body
    out = io.BytesIO()
    store.dump(out, "application/n-quads")
    assert b'"a"@en--rtl' in out.getvalue()


def test_a_triple_term_is_refused_clearly():
    """rdflib cannot hold an RDF 1.2 triple term: a NotRepresentable naming it (it was a TypeError, a 500)."""
    triple = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"))
    for convert in (to_rdflib, recent_rdflib):
        with pytest.raises(NotRepresentable, match="triple term <<\\( <urn:a> <urn:b> \"c\" \\)>>"):
            convert(triple)
