"""The client libraries analysts use, against the live server: SPARQLWrapper, rdflib's SPARQLStore, httpx."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

SC = "https://w3id.org/spacecoop/ontology#"
ID = "https://w3id.org/spacecoop/id/"
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
SIGNERS = f"""PREFIX sc: <{SC}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name WHERE {{ <{ID}agreement/roadmap-baikonur-2016> sc:signatory/rdfs:label ?name }} ORDER BY ?name"""
EXPECTED = ["Askar Mamin", "Dmitry Rogozin"]
GRAPH_QUERY = f"CONSTRUCT {{ ?a <{RDFS_LABEL}> ?l }} WHERE {{ ?a a <{SC}Roadmap> ; <{RDFS_LABEL}> ?l }}"
ROADMAP = (URIRef(ID + "agreement/roadmap-baikonur-2016"), RDFS_LABEL, Literal("Roadmap on the Baikonur complex"))


def wrapper(server, fmt: str, method: str = GET) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.sparql)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


# -- SPARQLWrapper ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_json(server, method):
    sw = wrapper(server, JSON, method)
    sw.setQuery(SIGNERS)
    doc = sw.query().convert()
    assert [b["name"]["value"] for b in doc["results"]["bindings"]] == EXPECTED


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_xml(server, method):
    sw = wrapper(server, XML, method)
    sw.setQuery(SIGNERS)
    dom = sw.query().convert()
    assert [n.firstChild.data for n in dom.getElementsByTagName("literal")] == EXPECTED


@pytest.mark.parametrize("fmt, delimiter", [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_csv_and_tsv(server, fmt, delimiter):
    sw = wrapper(server, fmt)
    sw.setQuery(SIGNERS)
    text = sw.query().convert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert [r[0].strip('"') for r in rows[1:]] == EXPECTED


def test_sparqlwrapper_ask(server):
    sw = wrapper(server, JSON)
    sw.setQuery(f"ASK {{ ?s <{SC}isoCode> 'KZ' }}")
    assert sw.query().convert()["boolean"] is True


@pytest.mark.parametrize("fmt, rdflib_format", [(TURTLE, "turtle"), (N3, "turtle"), (JSONLD, "json-ld")])
def test_sparqlwrapper_construct_as_text(server, fmt, rdflib_format):
    sw = wrapper(server, fmt)
    sw.setQuery(GRAPH_QUERY)
    body = sw.query().convert()
    g = Graph().parse(data=body, format=rdflib_format) if isinstance(body, (bytes, str)) else body
    assert ROADMAP in g


@pytest.mark.parametrize("fmt", [XML, RDFXML])
def test_sparqlwrapper_construct_as_rdflib_graph(server, fmt):
    sw = wrapper(server, fmt, POST)
    sw.setQuery(GRAPH_QUERY)
    g = sw.query().convert()
    assert isinstance(g, Graph) and ROADMAP in g


def test_sparqlwrapper_update_with_the_token(writable_server, sample):
    sw = SPARQLWrapper(writable_server.sparql)
    sw.setMethod(POST)
    sw.addCustomHttpHeader("Authorization", f"Bearer {sample.token}")
    sw.setQuery("INSERT DATA { GRAPH <urn:test:sw> { <urn:test:a> <urn:test:b> 'from SPARQLWrapper' } }")
    sw.query()
    assert writable_server.query("ASK { <urn:test:a> <urn:test:b> 'from SPARQLWrapper' }").json()["boolean"]


# -- rdflib -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select_construct_ask(server, method):
    graph = Graph(store=SPARQLStore(server.sparql, method=method))
    assert [str(row.name) for row in graph.query(SIGNERS)] == EXPECTED
    result = graph.query(GRAPH_QUERY)
    assert ROADMAP in result.graph
    assert graph.query(f"ASK {{ ?s <{SC}isoCode> 'RU' }}").askAnswer is True


def test_rdflib_sparqlstore_triple_patterns(server):
    graph = Graph(store=SPARQLStore(server.sparql))
    assert ROADMAP in graph
    labels = set(graph.objects(URIRef(ID + "person/dmitry-rogozin"), RDFS_LABEL))
    assert labels == {Literal("Dmitry Rogozin")}


def test_rdflib_sparqlupdatestore_writes_with_the_token(writable_server, sample):
    store = SPARQLUpdateStore(writable_server.sparql, writable_server.sparql, headers=sample.auth)
    graph = Graph(store=store, identifier=URIRef("urn:test:rdflib"))
    triple = (URIRef("urn:test:s"), URIRef("urn:test:p"), Literal("from rdflib"))
    graph.add(triple)
    assert triple in graph
    assert writable_server.query("ASK { GRAPH <urn:test:rdflib> { <urn:test:s> ?p ?o } }").json()["boolean"]


# -- httpx --------------------------------------------------------------------------------------------------

def test_httpx_keeps_one_connection_for_many_queries(server):
    with httpx.Client(base_url=server.url, headers={"Accept": "application/sparql-results+json"}) as client:
        for _ in range(50):
            r = client.post("/sparql", data={"query": SIGNERS})
            assert r.status_code == 200
            assert [b["name"]["value"] for b in r.json()["results"]["bindings"]] == EXPECTED


def test_httpx_async_concurrent_queries(server):
    import asyncio

    async def many() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.url) as client:
            return await asyncio.gather(*(client.get("/sparql", params={"query": SIGNERS, "format": "json"})
                                          for _ in range(40)))

    for r in asyncio.run(many()):
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 2


# -- a browser ---------------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    from pathlib import Path

    api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.mark.browser
def test_the_query_page_runs_examples_and_queries_in_a_browser(server, browser):
    page = browser.new_page()
    page.goto(server.url + "/query")
    page.click("text=Which sources say that an agreement was signed by whom")
    page.wait_for_selector("#sparql-results table tbody tr")
    assert "?signerLabel" in page.inner_text("#sparql-results thead")
    assert "Dmitry Rogozin" in page.inner_text("#sparql-results tbody")
    page.fill("#sparql-text", GRAPH_QUERY)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#sparql-results th >> text=?subject")
    assert "rdfs:label" in page.inner_text("#sparql-results tbody")
    page.fill("#sparql-text", "SELECT * WHERE {")
    page.click("button[type=submit]")
    page.wait_for_selector("#sparql-results pre.error")
    assert "bad-query" in page.inner_text("pre.error")
    page.fill("#sparql-text", "SELECT * WHERE { ?s ?p ?o }")
    page.click("button[type=submit]")
    page.wait_for_selector("#sparql-results p.truncated")
    page.close()


@pytest.mark.browser
def test_the_query_form_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "/query?example=02-officials-posts")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/sparql?" in page.url and "format=html" in page.url
    assert "Dmitry Rogozin" in page.inner_text("table")
    context.close()


# -- kgraph itself, with another kgraph server as its remote store ---------------------------------------

def test_kgraph_ingests_into_another_kgraph_server_with_its_write_token(tmp_path, start_server, monkeypatch):
    """``auth=bearer`` sends the server's write token; the graph is the embedded store's, quad for quad (blank
    nodes relabelled)."""
    from rdflib import BNode
    from shared_paths import SEEDS, need_shared

    from kgraph.errors import StoreError
    from kgraph.ingest import Ingestor
    from kgraph.settings import Settings
    from kgraph.store import open_store

    def plain(quads: set) -> set:
        return {q for q in quads if not any(isinstance(t, BNode) for t in q)}

    seeds = sorted(need_shared(SEEDS).glob("*.txt"))
    embedded = open_store(str(tmp_path / "embedded"))
    Ingestor(embedded, Settings(store=str(tmp_path / "embedded"))).ingest_paths(seeds)
    expected = set(embedded.quads())
    embedded.close()
    backing = tmp_path / "backing"                       # a new store: the server writes its base graphs
    token = "remote-bearer-7c2"
    with start_server(backing, tmp_path / "server.log", write_token=token, max_query_length=1_000_000) as srv:
        url = f"sparql+{srv.sparql}?auth=bearer&union=server"   # it keeps its default graph as the union
        monkeypatch.setenv("KGRAPH_REMOTE_TOKEN", "wrong")
        remote = open_store(url)
        try:
            with pytest.raises(StoreError, match=r"refused the update \(403\)"):
                remote.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> 1 } }")
        finally:
            remote.close()
        monkeypatch.setenv("KGRAPH_REMOTE_TOKEN", token)
        remote = open_store(url)
        try:
            assert not any(str(g).startswith("https://w3id.org/spacecoop/id/document/") for g in remote.named_graphs())
            report = Ingestor(remote, Settings(store=url)).ingest_paths(seeds)
            assert not report.errors and len(report.documents) == len(seeds)
            got = set(remote.quads())
            assert len(got) == len(expected) and plain(got) == plain(expected)  # blank nodes are relabelled
        finally:
            remote.close()
