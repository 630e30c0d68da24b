"""SPARQL Protocol and Graph Store Protocol edges found by a review with real clients (2026-12-07), each
against a live server: the dataset a request names, updates of several operations, client errors that
are 400 and not 503 or 500, and Graph Store reads and writes that lose nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

TOKEN = "edges-token-9d1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
G1, G2, BIG = "urn:edge:g1", "urn:edge:g2", "urn:edge:big"
REFERENCE = "https://w3id.org/spacecoop/graph/reference"


@pytest.fixture(scope="module")
def srv(sample_store, tmp_path_factory, start_server):
    root = tmp_path_factory.mktemp("edges")
    store = Path(shutil.copytree(sample_store, root / "store"))
    with start_server(store, root / "server.log", write_token=TOKEN, max_results=50) as s:
        yield s


def update(srv, text: str) -> httpx.Response:
    return httpx.post(srv.sparql, content=text.encode("utf-8"), timeout=30,
                      headers={**AUTH, "Content-Type": "application/sparql-update"})


def count(srv, query: str, **params) -> int:
    r = httpx.get(srv.sparql, params={"query": query, **params}, headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200, r.text
    return int(r.text.splitlines()[1])


def test_an_update_may_end_with_a_comment_or_have_no_operation(srv):
    r = update(srv, f'INSERT DATA {{ GRAPH <{G1}> {{ <urn:edge:a> <urn:edge:p> "x" }} }}\n# done')
    assert r.status_code == 204, r.text
    for text in ("", "# nothing to do", "PREFIX ex: <urn:edge:>"):
        assert update(srv, text).status_code == 204
    assert count(srv, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}") == 1


def test_each_operation_sees_the_union_as_the_operations_before_it_left_it(srv):
    r = update(srv, f'INSERT DATA {{ GRAPH <{G2}> {{ <urn:edge:m> <urn:edge:q> "one" }} }} ;\n'
                    f'INSERT {{ GRAPH <{G2}> {{ ?s <urn:edge:copied> ?o }} }} WHERE {{ ?s <urn:edge:q> ?o }}')
    assert r.status_code == 204, r.text
    assert count(srv, "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:edge:copied> ?o }") == 1


def test_the_protocol_dataset_is_the_whole_dataset_as_with_from(srv):
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(srv, everything, **{"named-graph-uri": REFERENCE}) == 0  # no default graph named
    assert count(srv, graphs, **{"default-graph-uri": REFERENCE}) == 0   # no named graph named
    assert count(srv, graphs, **{"named-graph-uri": REFERENCE}) == 1


@pytest.mark.parametrize("params", [
    {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "not an iri"},
    {"query": "SELECT * WHERE { ?s ?p ?o }", "named-graph-uri": "http://example.org/%zz"},
    {"query": "SELECT (<urn:edge:fn>(1) AS ?x) WHERE {}"},
])
def test_a_query_the_engine_cannot_take_is_a_400(srv, params):
    r = httpx.get(srv.sparql, params=params, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad-query", r.text


def test_an_update_the_engine_refuses_to_apply_is_a_400_and_changes_nothing(srv):
    before = count(srv, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    r = update(srv, f'INSERT DATA {{ GRAPH <{G1}> {{ <urn:edge:b> <urn:edge:p> "y" }} }} ; '
                    "DROP GRAPH <urn:edge:never-there>")
    assert r.status_code == 400 and "does not exist" in r.json()["error"]["message"], r.text
    assert count(srv, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == before


def test_a_query_string_that_is_not_utf8_is_refused(srv):
    r = httpx.get(srv.sparql + '?query=ASK%20%7B%20FILTER(%22%E9%22%20%3D%20%22%EF%BF%BD%22)%20%7D', timeout=30)
    assert r.status_code == 400 and "UTF-8" in r.json()["error"]["message"], r.text


@pytest.mark.parametrize("graph", ["http://example.org/%zz", "http://example.org:abc/"])
def test_a_graph_store_iri_the_engine_refuses_is_a_400(srv, graph):
    for method in ("GET", "HEAD", "DELETE"):
        r = httpx.request(method, srv.url + "/rdf-graphs", params={"graph": graph}, headers=AUTH, timeout=30)
        assert r.status_code == 400, (method, r.status_code, r.text)


def test_a_graph_store_read_is_the_whole_graph_with_the_length_head_gives(srv):
    lines = "".join(f"<urn:edge:s{i}> <urn:edge:p> \"{i}\" .\n" for i in range(120))   # over max_results (50)
    r = httpx.put(srv.url + "/rdf-graphs", params={"graph": BIG}, content=lines.encode(), timeout=30,
                  headers={**AUTH, "Content-Type": "application/n-triples"})
    assert r.status_code in (201, 204), r.text
    got = httpx.get(srv.url + "/rdf-graphs", params={"graph": BIG}, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and "x-kgraph-truncated" not in got.headers
    assert len(Graph().parse(data=got.text, format="nt")) == 120
    head = httpx.head(srv.url + "/rdf-graphs", params={"graph": BIG}, headers={"Accept": "application/n-triples"})
    assert head.status_code == 200 and head.headers["content-length"] == got.headers["content-length"]


def test_the_graph_store_takes_and_answers_older_media_type_names_as_the_registered_types(srv):
    # rdflib sends text/plain for N-Triples; /sparql and /id/ answer it as application/n-triples, and so here
    graph = {"graph": "urn:edge:aliases"}
    r = httpx.put(srv.url + "/rdf-graphs", params=graph, content=b'<urn:edge:o> <urn:edge:p> "old" .',
                  headers={**AUTH, "Content-Type": "text/plain"}, timeout=30)
    assert r.status_code in (201, 204), r.text
    got = httpx.get(srv.url + "/rdf-graphs", params=graph, headers={"Accept": "text/plain"}, timeout=30)
    assert got.status_code == 200 and got.headers["content-type"].split(";")[0] == "application/n-triples"
    assert len(Graph().parse(data=got.text, format="nt")) == 1
    accept = {"Accept": "text/n3, application/rdf+xml;q=0.5"}        # without the alias: RDF/XML
    turtle = httpx.get(srv.url + "/rdf-graphs", params=graph, headers=accept, timeout=30)
    assert turtle.headers["content-type"].split(";")[0] == "text/turtle"


def test_graph_store_multipart_stores_every_part_and_refuses_parts_that_are_not_files(srv):
    files = [("file", ("a.ttl", b"<urn:edge:x> <urn:edge:p> 1 .", "text/turtle")),
             ("file", ("b.ttl", b"<urn:edge:y> <urn:edge:p> 2 .", "text/turtle"))]
    r = httpx.put(srv.url + "/rdf-graphs", params={"graph": "urn:edge:multi"}, files=files, headers=AUTH)
    assert r.status_code in (201, 204), r.text
    assert count(srv, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:edge:multi> { ?s ?p ?o } }") == 2
    not_a_file = httpx.put(srv.url + "/rdf-graphs", params={"graph": "urn:edge:multi"}, headers=AUTH,
                           files={"graph": (None, b"<urn:edge:z> <urn:edge:p> 3 .", "text/turtle")})
    no_part = httpx.put(srv.url + "/rdf-graphs", params={"graph": "urn:edge:multi"}, content=b"--B--\r\n",
                        headers={**AUTH, "Content-Type": "multipart/form-data; boundary=B"})
    for r in (not_a_file, no_part):
        assert r.status_code == 400, r.text
    assert count(srv, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:edge:multi> { ?s ?p ?o } }") == 2


@pytest.mark.parametrize("text", ["INSERT DATA { <urn:edge:d> <urn:edge:p> <urn:edge:o> }", "CLEAR DEFAULT",
                                  "DELETE WHERE { ?s <https://w3id.org/spacecoop/ontology#isoCode> ?o }"])
def test_an_update_of_the_default_graph_is_refused_not_silently_undone(srv, text):
    # the default graph is the union of the named graphs: such a write was re-derived away, and 204 said it held
    before = count(srv, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    r = update(srv, text)
    assert r.status_code == 400 and "default graph" in r.json()["error"]["message"], r.text
    assert count(srv, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before
