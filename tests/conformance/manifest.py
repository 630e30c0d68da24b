"""Read the W3C SPARQL 1.1 protocol and Graph Store Protocol manifests into plain test cases.

The manifests (``../shared/conformance/w3c-sparql11/``) describe each test as
a list of HTTP requests (``ht:Request``) with the response they expect:
status classes or codes, a result format (``boolean``, ``tabular``, ``RDF``),
a boolean, response headers and a graph. :func:`load` turns them into
:class:`Case` objects; the runner replays them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

#: The status classes and codes the manifests name.
STATUSES: dict[str, range] = {
    "StatusCode2xx": range(200, 300), "StatusCode3xx": range(300, 400), "StatusCode4xx": range(400, 500),
    "OK": range(200, 201), "Created": range(201, 202), "NoContent": range(204, 205), "NotFound": range(404, 405),
}


@dataclass
class Expect:
    statuses: list[range]
    format: str | None = None
    boolean: bool | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    location: str | None = None

    def status_ok(self, status: int) -> bool:
        return any(status in r for r in self.statuses)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expect: Expect


@dataclass
class Case:
    name: str
    title: str
    kind: str  # "protocol" or "graph-store"
    requires: list[str]
    graph_data: list[tuple[Path, str]]
    requests: list[Request]


def _headers(g: Graph, node) -> dict[str, str]:
    out: dict[str, str] = {}
    for lst in g.objects(node, HT.headers):
        for h in Collection(g, lst):
            out[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    return out


def _body(g: Graph, node) -> bytes | None:
    body = g.value(node, HT.body)
    if body is None:
        return None
    text = str(g.value(body, CNT.chars))
    encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
    return text.encode(encoding.lower())


def _expect(g: Graph, resp) -> Expect:
    statuses = [STATUSES[str(s).rsplit("#", 1)[1]] for s in g.objects(resp, MF.expectedStatus)]
    boolean = g.value(resp, MF.expectedBoolean)
    fmt = g.value(resp, MF.expectedFormat)
    body = g.value(resp, HT.body)
    location = g.value(resp, MF.expectedLocation)
    return Expect(statuses or [range(200, 400)], str(fmt) if fmt is not None else None,
                  boolean.toPython() if boolean is not None else None, _headers(g, resp),
                  str(g.value(body, CNT.chars)) if body is not None else None,
                  str(location) if location is not None else None)


def _case(g: Graph, test: URIRef, base: Path) -> Case:
    kind = "graph-store" if (test, RDF.type, MF.GraphStoreProtocolTest) in g else "protocol"
    action = g.value(test, MF.action)
    requests = []
    for req in Collection(g, g.value(action, HT.requests)):
        requests.append(Request(str(g.value(req, HT.methodName)), str(g.value(req, HT.absolutePath)),
                                _headers(g, req), _body(g, req), _expect(g, g.value(req, HT.resp))))
    data = [(base / Path(str(g.value(d, UT.graph))).name, str(g.value(d, RDFS.label)))
            for d in g.objects(test, UT.graphData)]
    return Case(str(test).rsplit("#", 1)[1], str(g.value(test, MF.name)), kind,
                [str(r).rsplit("#", 1)[1] for r in g.objects(test, MF.requires)], sorted(data, key=str), requests)


def load(manifest: Path) -> list[Case]:
    """Every test of a manifest, following ``mf:include``, in manifest order."""
    g = Graph().parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
    root = URIRef(manifest.resolve().as_uri())
    cases: list[Case] = []
    for included in g.objects(root, MF.include):
        for item in Collection(g, included):
            cases += load(manifest.parent / Path(str(item)).name)
    for entries in g.objects(root, MF.entries):
        cases += [_case(g, URIRef(t), manifest.parent) for t in Collection(g, entries)]
    return cases
