"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol tests, replayed against a real kgraph server.

Every test of the manifests under ``../shared/conformance/w3c-sparql11/``
runs here: its requests are sent in order (``/sparql/`` → ``/sparql``,
``/gsp`` → ``/rdf-graphs``) and each answer is checked for its status, its
result format, its boolean, its headers and its graph. Tests that kgraph
refuses by design are not skipped: :data:`REFUSED` names each with the
status kgraph answers instead and the reason, and the test checks that
kgraph refuses exactly so. ``EXPECTED.md`` lists the outcome of every test.

The server runs with a write token over a throwaway store; the runner sends
the token with every request (an update without it is refused, see
``tests/server/test_security.py``). Before each test the store is emptied
(``DROP ALL``) and the test's ``ut:graphData`` loaded into named graphs.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from conformance.manifest import Case, load
from rdflib import Graph
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "w3c-sparql11"
TOKEN = "w3c-conformance-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PATHS = [("/sparql/", "/sparql"), ("/gsp", "/rdf-graphs")]

#: Tests kgraph refuses by design: the status it answers instead, and why.
REFUSED: dict[str, tuple[int, str]] = {
    name: (404, ("direct graph identification (/gsp/person/1.ttl): graphs are named by the IRIs of their source "
                 "documents, not by paths on this server; use ?graph=<IRI> (indirect identification)"))
    for name in ("put_get_repeat_direct", "put_delete_get_delete_direct", "post_get_post_get_direct",
                 "head_existing_direct")
}
REFUSED["put_get_default"] = (405, ("the default graph is the union of the named graphs, maintained by the "
                                    "store: it is read (GET ?default) but never written directly"))

SRX = "{http://www.w3.org/2005/sparql-results#}"
RDF_FORMATS = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt",
               "text/plain": "nt", "application/ld+json": "json-ld", "application/x-turtle": "turtle"}
TABULAR = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values", "application/json", "application/xml")


def cases() -> list[Case]:
    if not ROOT.is_dir():
        return []
    return load(ROOT / "protocol" / "manifest.ttl") + load(ROOT / "graph-store-protocol" / "manifest.ttl")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, start_server):
    root = tmp_path_factory.mktemp("w3c")
    with start_server(root / "store", root / "server.log", write_token=TOKEN) as srv:
        yield srv


def reset(url: str, case: Case) -> None:
    """An empty store, then the test's graph data in its named graphs."""
    parts = ["DROP ALL"]
    for path, graph in case.graph_data:
        parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {path.read_text(encoding='utf-8')} }} }}")
    r = httpx.post(url + "/sparql", data={"update": " ;\n".join(parts)}, headers=AUTH, timeout=60)
    assert r.status_code == 204, f"the store could not be reset: {r.status_code} {r.text[:300]}"


def path_on(server_path: str) -> str:
    for theirs, ours in PATHS:
        if server_path.startswith(theirs):
            return ours + server_path[len(theirs):]
    return server_path


def media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def boolean_of(response: httpx.Response) -> bool:
    kind = media(response)
    if "json" in kind:
        return json.loads(response.content)["boolean"]
    if "xml" in kind:
        return ElementTree.fromstring(response.content).find(SRX + "boolean").text.strip() == "true"
    return response.text.splitlines()[1].strip() == "true"  # CSV/TSV: _askResult\ntrue


def check_format(response: httpx.Response, expected: str) -> None:
    kind = media(response)
    if expected == "boolean":
        boolean_of(response)
    elif expected == "tabular":
        assert kind in TABULAR, kind
        if "json" in kind:
            assert "results" in json.loads(response.content)
        elif "xml" in kind:
            assert ElementTree.fromstring(response.content).find(SRX + "results") is not None
    elif expected == "RDF":
        assert kind in RDF_FORMATS, kind
        Graph().parse(data=response.content, format=RDF_FORMATS[kind])


@pytest.mark.slow
@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_w3c(endpoint, case: Case):
    reset(endpoint.url, case)
    location = ""
    for n, req in enumerate(case.requests):
        path = path_on(req.path).replace("$LOCATION$", location)
        r = httpx.request(req.method, endpoint.url + path, headers={**req.headers, **AUTH}, content=req.body,
                          timeout=60)
        where = f"{case.name} request {n + 1} ({req.method} {path[:80]})"
        if case.name in REFUSED:
            status, reason = REFUSED[case.name]
            assert r.status_code == status, f"{where}: refused by design ({reason}) with {status}, got " \
                                             f"{r.status_code} {r.text[:300]}"
            return
        assert req.expect.status_ok(r.status_code), f"{where}: status {r.status_code}: {r.text[:300]}"
        if req.expect.format:
            check_format(r, req.expect.format)
        if req.expect.boolean is not None:
            assert boolean_of(r) is req.expect.boolean, f"{where}: {r.text[:300]}"
        if req.expect.location:
            location = r.headers["location"]
        expected_type = req.expect.headers.get("content-type")
        if expected_type:
            assert media(r) == expected_type.split(";")[0].strip().lower(), f"{where}: {r.headers}"
        if req.expect.body is not None:
            got = Graph().parse(data=r.content, format=RDF_FORMATS[media(r)], publicID=endpoint.url + path)
            want = Graph().parse(data=req.expect.body, format=RDF_FORMATS.get(media(r), "turtle"))
            assert isomorphic(got, want), f"{where}: the graph differs:\n{r.text[:1000]}"


def test_expected_md_names_every_test_and_every_refusal():
    """EXPECTED.md stays honest: every manifest test is listed, every declared refusal marked refused."""
    found = cases()
    if not found:
        pytest.skip(f"{ROOT} is not present (the shared/ folder sits beside the repository)")
    text = (Path(__file__).parent / "EXPECTED.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for case in found:
        row = next((r for r in rows if case.name in r.split("|")[1]), None)
        assert row is not None, f"{case.name} is not in EXPECTED.md"
        assert ("refused" in row) == (case.name in REFUSED), f"{case.name}: EXPECTED.md says {row!r}"
        if case.name in REFUSED:
            assert str(REFUSED[case.name][0]) in row
