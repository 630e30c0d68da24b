"""The SELECT writers: the memoized writer gives the same bytes as the plain one, for every format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib

from kgraph.errors import NotRepresentable
from kgraph.sparql_results import _serialize_select_plain, serialize_select, serialize_triples

XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = ["json", "xml", "csv", "tsv"]


def _rows() -> tuple[list[str], list[tuple]]:
    """Terms of every kind, repeated across rows and columns (the memo's case), unbound cells included."""
    iri = ox.NamedNode("https://example.org/é/x?a=1&b=2#c")
    terms = [
        iri,
        ox.BlankNode("b0"),
        ox.Literal("plain"),
        ox.Literal('quote " backslash \\ tab\t newline\n cr\r <tag> & ünïcode ☃'),
        ox.Literal("Rogozin", language="ru"),
        ox.Literal("Rogozin", language="en"),
        ox.Literal("Rogozin", language="ar", direction=ox.BaseDirection.RTL),   # RDF 1.2: a base direction
        ox.Triple(ox.BlankNode("b1"), iri, ox.Triple(iri, iri, ox.Literal("x", language="en",   # a triple term
                                                                         direction=ox.BaseDirection.LTR))),
        ox.Literal("Rogozin"),
        ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("01", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("2020-01-02", datatype=ox.NamedNode(XSD + "date")),
        ox.Literal("https://example.org/é/x?a=1&b=2#c"),  # a literal with the IRI's text: not the same term
        ox.Literal(""),
        ox.Literal("a,b;c"),
    ]
    variables = ["s", "label", "o", "weird var"]
    rows = []
    for k in range(40):
        rows.append(tuple(None if (k + j) % 5 == 4 else terms[(k * 3 + j * 7) % len(terms)] for j in range(4)))
    rows.append((None, None, None, None))
    return variables, rows


@pytest.mark.parametrize("truncated", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
def test_memoized_writer_gives_the_plain_writers_bytes(fmt, truncated):
    variables, rows = _rows()
    assert serialize_select(variables, rows, fmt, truncated=truncated) == \
        _serialize_select_plain(variables, rows, fmt, truncated=truncated)


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_answers_too(fmt):
    assert serialize_select(["x"], [], fmt) == _serialize_select_plain(["x"], [], fmt)
    assert serialize_select([], [()], fmt) == _serialize_select_plain([], [()], fmt)


def test_the_writers_output_reads_back():
    variables, rows = _rows()
    doc = json.loads(serialize_select(variables, rows, "json"))
    assert doc["head"]["vars"] == variables
    assert len(doc["results"]["bindings"]) == len(rows)
    first = doc["results"]["bindings"][0]
    assert first == {v: json.loads(_serialize_select_plain([v], [(t,)], "json"))["results"]["bindings"][0][v]
                     for v, t in zip(variables, rows[0]) if t is not None}
    ET.fromstring(serialize_select(variables, rows, "xml"))
    table = list(csv.reader(io.StringIO(serialize_select(variables, rows, "csv").decode())))
    assert len(table) == len(rows) + 1


def test_a_store_answer_is_serialized_as_before(tmp_path):
    """Solutions iterate in variable order, None where unbound: the same rows as reading them by name."""
    from kgraph.store.oxigraph import OxigraphStore

    store = OxigraphStore(None)
    ex = "https://example.org/"
    store._store.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.Literal("x", language="en"),
                             ox.DefaultGraph()))
    store._store.add(ox.Quad(ox.NamedNode(ex + "b"), ox.NamedNode(ex + "q"), ox.Literal("y"), ox.DefaultGraph()))
    sparql = f"SELECT ?s ?o ?missing WHERE {{ ?s ?p ?o OPTIONAL {{ ?s <{ex}none> ?missing }} }} ORDER BY ?s"
    result = store._store.query(sparql)
    variables = [v.value for v in result.variables]
    by_name = [tuple(solution[v] for v in variables) for solution in result]
    for media_type, fmt in [("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
                            ("text/csv", "csv"), ("text/tab-separated-values", "tsv")]:
        body, served, truncated = store.query_serialized(sparql, media_type, limit=10)
        assert (served, truncated) == (media_type, False)
        assert body == _serialize_select_plain(variables, by_name, fmt)
        body, _, truncated = store.query_serialized(sparql, media_type, limit=1)
        assert truncated and body == _serialize_select_plain(variables, by_name[:1], fmt, truncated=True)


@pytest.mark.parametrize("writer", [serialize_select, _serialize_select_plain])
def test_a_character_xml_cannot_carry_is_a_clear_406_in_xml_and_kept_in_the_other_formats(writer):
    rows = [(ox.Literal("bell \x07 here"),)]
    with pytest.raises(NotRepresentable, match="U\\+0007.*XML 1.0") as caught:
        writer(["o"], rows, "xml")
    assert caught.value.status == 406
    assert json.loads(writer(["o"], rows, "json"))["results"]["bindings"][0]["o"]["value"] == "bell \x07 here"
    assert "\\u0007" in writer(["o"], rows, "tsv").decode()
    ET.fromstring(writer(["o"], [(ox.Literal("tab\t newline\n fine"),)], "xml"))   # allowed controls pass


def test_rdf_xml_of_a_graph_with_such_a_character_is_refused_too():
    triple = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:p#b"), ox.Literal("\x01"))
    with pytest.raises(NotRepresentable):
        serialize_triples([triple], "application/rdf+xml")
    assert b"\\u0001" in serialize_triples([triple], "application/n-triples")


def test_a_base_direction_is_written_as_oxigraphs_own_writer_writes_it():
    """RDF 1.2 literals keep their base direction: ``its:dir`` in JSON and in XML (SPARQL 1.2 results),
    the N-Triples form in TSV; the attributes and values are those of Oxigraph's own serializers."""
    engine = ox.Store()
    engine.update('INSERT DATA { <urn:x> <urn:p> "a"@en--rtl , "b"@ar--ltr , "c"@en }')
    query = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    rows = [(solution["o"],) for solution in engine.query(query)]
    ours = json.loads(serialize_select(["o"], rows, "json"))
    theirs = json.loads(engine.query(query).serialize(format=ox.QueryResultsFormat.JSON))
    assert ours["results"] == theirs["results"]
    assert [b["o"].get("its:dir") for b in ours["results"]["bindings"]] == ["rtl", "ltr", None]

    def literals(body: bytes) -> list:
        return [(e.attrib, e.text) for e in ET.fromstring(body).iter() if e.tag.endswith("literal")]

    assert literals(serialize_select(["o"], rows, "xml")) == \
        literals(engine.query(query).serialize(format=ox.QueryResultsFormat.XML))
    assert serialize_select(["o"], rows, "tsv").decode().splitlines()[1:] == ['"a"@en--rtl', '"b"@ar--ltr', '"c"@en']


def test_triple_terms_and_blank_nodes_are_written_as_oxigraphs_own_writer_writes_them():
    """RDF 1.2 triple terms (nested, with a blank node and a directional literal) in every format, and a
    blank node in CSV as ``_:label``: the same answers as Oxigraph's serializers (TSV may abbreviate)."""
    engine = ox.Store()
    engine.update('INSERT DATA { <urn:x> <urn:p> <<( <urn:a> <urn:b> "c"@en--rtl )>> , '
                  '<<( _:b <urn:b> <<( <urn:a> <urn:b> "2"^^<http://www.w3.org/2001/XMLSchema#integer> )>> )>> . '
                  '_:n <urn:p> "plain" }')
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    rows = [(solution["s"], solution["o"]) for solution in engine.query(query)]

    def theirs(fmt: ox.QueryResultsFormat) -> bytes:
        return engine.query(query).serialize(format=fmt)

    assert json.loads(serialize_select(["s", "o"], rows, "json"))["results"] == \
        json.loads(theirs(ox.QueryResultsFormat.JSON))["results"]
    assert serialize_select(["s", "o"], rows, "csv") == theirs(ox.QueryResultsFormat.CSV)

    def bindings(body: bytes) -> list[str]:
        return [ET.tostring(e, encoding="unicode") for e in ET.fromstring(body).iter()
                if e.tag.endswith("}binding")]

    assert bindings(serialize_select(["s", "o"], rows, "xml")) == bindings(theirs(ox.QueryResultsFormat.XML))
    read_back = [tuple(s) for s in ox.parse_query_results(serialize_select(["s", "o"], rows, "tsv"),
                                                          ox.QueryResultsFormat.TSV)]
    assert read_back == rows


@pytest.mark.parametrize("writer", [serialize_select, _serialize_select_plain])
def test_a_carriage_return_in_a_literal_survives_an_xml_parser(writer):
    """A raw CR in XML text is read as a line feed (XML 1.0, 2.11): written as ``&#13;`` it comes back."""
    value = "line\r\nbreak\ronly"
    body = writer(["o"], [(ox.Literal(value),), (ox.Literal(value, language="en"),)], "xml")
    assert [e.text for e in ET.fromstring(body).iter() if e.tag.endswith("}literal")] == [value, value]
    assert [s["o"].value for s in ox.parse_query_results(body, ox.QueryResultsFormat.XML)] == [value, value]


def test_a_carriage_return_in_a_literal_survives_rdf_xml():
    """CONSTRUCT answers in RDF/XML: Oxigraph's writer put the CR raw, and parsers read ``"a\\r\\nb"`` back as
    ``"a\\nb"``."""
    value = "line\r\nbreak\ronly"
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    triples = [ox.Triple(s, p, ox.Literal(value)), ox.Triple(s, p, ox.Literal(value + "!", language="en"))]
    body = serialize_triples(triples, "application/rdf+xml")
    assert b"\r" not in body
    assert sorted(t.object.value for t in ox.parse(body, format=ox.RdfFormat.RDF_XML)) == [value, value + "!"]
    assert sorted(str(o) for o in rdflib.Graph().parse(data=body, format="xml").objects()) == [value, value + "!"]
