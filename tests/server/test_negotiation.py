"""The Accept parser: q-values, wildcards, specificity, ties, and what real clients send."""

from __future__ import annotations

import pytest

from kgraph.server.negotiation import negotiate, negotiate_registered, parse_accept, prefers_html
from kgraph.server.sparql import GRAPH_TYPES, RESULT_TYPES

RESULTS = [t for t in RESULT_TYPES if t != "text/html"]
GRAPHS = [t for t in GRAPH_TYPES if t != "text/html"]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize("accept", [None, "", "   ", ",,", "garbage", "text", "*/html"])
def test_no_usable_header_gives_the_default(accept):
    assert negotiate(accept, RESULTS, RESULTS[0]) == RESULTS[0]


@pytest.mark.parametrize("accept, offered, expected", [
    # SPARQLWrapper (JSON, XML, CSV, TSV, Turtle) and rdflib's SPARQLStore (combined header)
    ("application/sparql-results+json,application/json,text/javascript,application/javascript", RESULTS,
     "application/sparql-results+json"),
    ("application/sparql-results+xml", RESULTS, "application/sparql-results+xml"),
    ("text/csv", RESULTS, "text/csv"),
    ("text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("application/sparql-results+xml, application/rdf+xml", RESULTS, "application/sparql-results+xml"),
    ("application/sparql-results+xml, application/rdf+xml", GRAPHS, "application/rdf+xml"),
    ("text/turtle,application/x-turtle", GRAPHS, "text/turtle"),
    ("text/turtle, application/rdf+xml;q=0.9, */*;q=0.1", GRAPHS, "text/turtle"),
    ("text/turtle, application/rdf+xml;q=0.9, */*;q=0.1", RESULTS, RESULTS[0]),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.5", GRAPHS, "application/rdf+xml"),
    ("application/ld+json", GRAPHS, "application/ld+json"),
    # wildcards
    ("*/*", GRAPHS, GRAPHS[0]),
    ("*", GRAPHS, GRAPHS[0]),
    ("text/*", RESULTS, "text/csv"),
    ("application/*;q=0.5, text/csv", RESULTS, "text/csv"),
    ("application/*", GRAPHS, "application/n-triples"),
    # browsers
    (BROWSER, RESULT_TYPES, "text/html"),
    (BROWSER, RESULTS, "application/xml"),
    (BROWSER, GRAPHS, "text/turtle"),
])
def test_clients(accept, offered, expected):
    assert negotiate(accept, offered, offered[0]) == expected


def test_q_zero_means_not_this():
    assert negotiate("application/sparql-results+json;q=0, */*", RESULTS, RESULTS[0]) == RESULTS[1]
    assert negotiate("text/csv;q=0", RESULTS, RESULTS[0]) is None
    assert negotiate("*/*;q=0", RESULTS, RESULTS[0]) is None


@pytest.mark.parametrize("accept, expected", [
    ("text/plain", "application/n-triples"),                     # rdflib's name for N-Triples
    ("text/n3, application/rdf+xml;q=0.5", "text/turtle"),
    ("application/x-turtle;q=0.9, application/ld+json;q=0.5", "text/turtle"),
    ("application/n-triples;q=0, text/plain", None),             # refused by name: not under an alias either
    ("application/rdf+xml", "application/rdf+xml"),
])
def test_older_names_are_answered_as_the_registered_type(accept, expected):
    assert negotiate_registered(accept, GRAPHS, GRAPHS[0]) == expected


def test_the_most_specific_range_decides_an_offers_weight():
    # text/csv is excluded by its exact range even though text/* and */* accept it
    assert negotiate("text/csv;q=0, text/*;q=0.9, */*;q=0.1", RESULTS, RESULTS[0]) == "text/tab-separated-values"
    assert negotiate("text/*;q=0.2, text/csv", RESULTS, RESULTS[0]) == "text/csv"


def test_ties_go_to_the_more_specific_then_the_clients_order_then_the_default():
    assert negotiate("*/*, text/csv", RESULTS, RESULTS[0]) == "text/csv"
    assert negotiate("text/csv, application/sparql-results+xml", RESULTS, RESULTS[0]) == "text/csv"
    assert negotiate("application/sparql-results+xml, text/csv", RESULTS, RESULTS[0]) == \
        "application/sparql-results+xml"
    assert negotiate("text/*", ["text/turtle", "text/plain"], "text/plain") == "text/plain"


def test_nothing_acceptable_is_none():
    assert negotiate("image/png", RESULTS, RESULTS[0]) is None
    assert negotiate("application/rdf+xml", RESULTS, RESULTS[0]) is None
    assert negotiate("text/csv", GRAPHS, GRAPHS[0]) is None


def test_parameters_case_and_spaces_are_tolerated():
    assert negotiate(" TEXT/Turtle ; charset=UTF-8 ; q=1.0 ", GRAPHS, "application/n-triples") == "text/turtle"
    assert negotiate('text/turtle;q="0.5", application/ld+json;q=0.4', GRAPHS, GRAPHS[0]) == \
        "application/ld+json"  # a quoted q is malformed: that element is skipped
    assert negotiate("text/turtle;q=2", GRAPHS, "application/n-triples") == "text/turtle"  # clamped to 1


def test_parse_accept_keeps_the_clients_order_and_drops_malformed_elements():
    ranges = parse_accept("text/html, application/json;q=0.5, nonsense, */*;q=0.1")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("text", "html", 1.0), ("application", "json", 0.5),
                                                           ("*", "*", 0.1)]
    assert [r.index for r in ranges] == [0, 1, 3]


@pytest.mark.parametrize("accept, html", [
    (BROWSER, True), ("text/html", True), ("application/json", False), ("*/*", False), (None, False),
    ("application/json, text/html;q=0.9", False), ("text/html;q=0.1, application/json;q=0.2", False),
])
def test_prefers_html(accept, html):
    assert prefers_html(accept) is html
