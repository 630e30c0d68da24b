"""Where a syntax error is: the engine's message read once for the server and the CLI."""

from __future__ import annotations

import pyoxigraph
import pytest

from kgraph.errors import QueryError
from kgraph.sparql_errors import located


def engine_error(text: str, update: bool = False) -> QueryError:
    store = pyoxigraph.Store()
    with pytest.raises(SyntaxError) as caught:
        (store.update if update else store.query)(text)
    return QueryError(f"SPARQL syntax error: {caught.value}")


def test_rdflib_leads_where_it_stops_earlier_and_the_engine_follows():
    text = "SELECT ?x WHERE {\n  ?x ?y\n}"
    found = located(engine_error(text), text)
    assert (found.detail["line"], found.detail["column"]) == (2, 3)
    assert found.message.startswith("SPARQL syntax error: error at 2:3:") and "(the query engine: error at 3:" \
        in found.message


def test_lines_the_caller_added_are_taken_away():
    text = "SELECT ?x WHERE { ?x ?y ?z . FILTER(?z > ) }"
    found = located(engine_error("BASE <http://example.org/>\n" + text), text, lines_added=1)
    assert found.detail["line"] == 1


def test_an_update_keeps_the_engines_position():
    # rdflib's update parser only ever says 1:1
    text = "INSERT DATA {\n GRAPH <http://example.org/g> { <a> <b> }\n}"
    found = located(engine_error(text, update=True), text, update=True)
    assert found.detail["line"] == 2 and "the query engine" not in found.message


def test_a_sparql_1_2_text_keeps_the_engines_position():
    # rdflib stops at the triple term, which is valid, far before the mistake
    text = "SELECT ?x WHERE { ?x ?p <<( ?a ?b ?c )>> . FILTER(?x > ) }"
    found = located(engine_error(text), text)
    assert "the query engine" not in found.message and found.detail["column"] > 40


def test_a_message_without_a_position_is_left_as_it_is():
    exc = QueryError("SPARQL syntax error: something else")
    assert located(exc, "SELECT") is exc
