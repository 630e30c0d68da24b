"""A :class:`~kgraph.store.base.Store` over any SPARQL 1.1 server (Query + Update over HTTP).

Selected with ``--store sparql+http://host:port/sparql`` (or ``sparql+https://``).
The data model is the one of :mod:`kgraph.store.base`: one named graph per
document and a deduplicated union default graph maintained at commit.

Options, as query parameters of the store URL (they are removed before the
endpoint is called; any other parameter is kept)::

    sparql+http://127.0.0.1:8890/sparql?union=urn:kgraph:union&timeout=30

``update=URL``
    the SPARQL Update endpoint (default: the query endpoint; Fuseki: ``…/update``).
``union=default|server|IRI``
    where the union default graph lives. ``default``: in the server's own default
    graph (Fuseki/TDB, Oxigraph server, rdflib-endpoint), written with the same
    single-request updates as the embedded store. ``server``: the server keeps its
    default graph as the union of its named graphs itself (another kgraph server,
    which refuses writes to it; Fuseki with ``unionDefaultGraph``): only the named
    graphs are written. An IRI (*graph mode*): in that
    named graph, with a registry of kgraph's named graphs in ``<IRI>/graphs``;
    queries are sent with ``default-graph-uri=<IRI>`` and, when they use ``GRAPH``,
    one ``named-graph-uri`` per registered graph. Default: graph mode with
    ``urn:kgraph:union`` on Virtuoso (recognised by its ``Server`` header), whose
    default dataset is every graph of the server *with duplicates*; ``default``
    elsewhere.
``dialect=virtuoso|standard``
    override the detection. ``virtuoso`` prefixes updates with
    ``DEFINE sql:big-data-const 1`` (without it Virtuoso compiles each
    ``INSERT DATA`` triple into SQL text, slow and limited to 10,000 lines).
``auth=basic|digest|bearer``
    HTTP authentication scheme (Virtuoso's ``/sparql-auth`` wants digest; a kgraph server, and
    servers behind token gateways, a bearer token).
``timeout=SECONDS``
    HTTP read timeout (default 60); a query that runs past it raises
    :class:`~kgraph.errors.QueryTimeout`.

Credentials: ``user:password@`` in the URL, or the environment variables
``KGRAPH_REMOTE_USER`` / ``KGRAPH_REMOTE_PASSWORD`` (kept out of URLs and
logs); for ``auth=bearer``, the token in ``KGRAPH_REMOTE_TOKEN``.
``KGRAPH_REMOTE_UPDATE_URL`` is read when ``update=`` is not given.

Atomicity. On servers that run one update request in one transaction (Fuseki,
Oxigraph, GraphDB) a commit is one request, as in the embedded store. Virtuoso
7.2 does not: each operation of a multi-operation request commits on its own
(a runtime error in the second operation leaves the first applied), while a
single operation is atomic (it is rolled back on error, and after a
``kill -9`` in the middle of it). Graph mode is therefore ordered so that
every state a reader can observe has each document absent or complete:

1. one ``DELETE … WHERE`` operation unregisters the document, removes from
   the union the triples no other registered graph holds, and empties the
   document graph — the document is now *absent*;
2. ``INSERT DATA`` operations (chunks of at most 1,000 triples, the limit of
   Virtuoso's parser being near 5,000) fill the document graph, which is not
   registered yet, so no query sees it (named graphs are passed explicitly);
3. one ``INSERT … WHERE`` operation copies the document graph into the union
   and registers it — the document is now *complete*.

A crash between 1 and 3 leaves the document absent (re-ingesting it repairs
it). Raw :meth:`RemoteSparqlStore.update` in graph mode runs the update and
then re-derives the union and the registry in further requests; that is not
crash-atomic, and :meth:`RemoteSparqlStore.resync` repairs it. Writers are
expected to be one process at a time (as ``kgraph ingest`` and the server are).

Virtuoso refuses ``DROP GRAPH <g>`` (without ``SILENT``) for a graph that was
never ``CREATE``d, as graphs written by ``INSERT`` are; raw updates should use
``DROP SILENT GRAPH``.

Limits: Virtuoso caps answers at ``ResultSetMaxRows`` (``[SPARQL]`` section of
``virtuoso.ini``) and says so with an ``X-SPARQL-MaxRows`` header, and may
answer part of a query that ran past its time limit (``X-SQL-State: S1TAT``):
such an answer is marked ``truncated``; the store's own reads (graphs, quads,
dumps) page through the cap. ``user=``/``password=`` are accepted as options
too, but the environment keeps passwords out of process lists.
"""

from __future__ import annotations

import enum
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from ..errors import QueryError, QueryTimeout, StoreError, StoreReadOnly
from ..sparql_results import GRAPH_TYPES, SELECT_TYPES, registered_type, serialize_select, serialize_triples
from ..sparqltext import is_iri
from .base import NTriples, QueryResult, resynced_update
from .convert import to_ox, to_ox_quad, to_rdflib
from .oxigraph import RESYNC_UNION, _drop_ops

DEFAULT_UNION = "urn:kgraph:union"
REGISTERED = "urn:kgraph:NamedGraph"
NO_GRAPH = "urn:kgraph:no-graph"  # a named-graph-uri that exists nowhere: "no named graphs"
CHUNK_TRIPLES = 1000
MAX_REQUEST_CHARS = 2_000_000
PAGE_ROWS = 100_000
_OPTIONS = ("update", "union", "dialect", "auth", "timeout", "user", "password")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_FORM = "application/x-www-form-urlencoded"

_TOKEN = re.compile(r"""\s+|\#[^\n]*|<[^<>"{}|^`\\\s]*>|'[^']*'|"[^"]*"|[^\s<'"#{(]+|.""")
_FROM = re.compile(r"\bFROM\s+(NAMED\s+)?(<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)
_GRAPH = re.compile(r"\bGRAPH\s*(\?|\$|<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)
_IRI = re.compile(r"<([^<>\"{}|^`\\\s]+)>")


class UnionMode(enum.Enum):
    """Where a remote store's union default graph lives (the ``union=`` option; see the module docstring)."""

    DEFAULT = "default"  # the server's own default graph, written by kgraph as in the embedded store
    SERVER = "server"    # the server derives its default graph from the named graphs itself
    GRAPH = "graph"      # a named graph, with a registry of kgraph's graphs (graph mode)


def query_form(sparql: str) -> str:
    """The form of a query or update: SELECT, ASK, CONSTRUCT, DESCRIBE, or the update keyword.

    Skips comments, ``PREFIX``/``BASE`` declarations and Virtuoso ``DEFINE``
    pragmas; an empty string when nothing is recognised.
    """
    skip = 0
    for match in _TOKEN.finditer(sparql):
        token = match.group(0)
        if token.isspace() or token.startswith("#"):
            continue
        if skip:
            skip -= 1
            continue
        word = token.upper()
        if word == "PREFIX":
            skip = 2
        elif word == "BASE":
            skip = 1
        elif word == "DEFINE":
            skip = 2
        else:
            return word if word.isalpha() else ""
    return ""


def nt(term: Identifier) -> str:
    """One term in N-Triples syntax, with RDF 1.1 simple literals (no ``^^xsd:string``).

    Virtuoso keeps RDF 1.0 semantics, where ``"KZ"`` and ``"KZ"^^xsd:string``
    differ; writing the simple form keeps ``sc:isoCode "KZ"`` matching.
    """
    return str(to_ox(term))


#: What RDF's syntaxes take as a blank node label (N-Triples' BLANK_NODE_LABEL, ASCII part).
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_NOT_LABEL_CHAR = re.compile(r"[^A-Za-z0-9-]")


def _blank_label(value: str) -> str:
    """A label every RDF writer takes for a server's blank node: Virtuoso names them ``nodeID://b10003``,
    which N-Quads cannot write. Such a label becomes ``esc_`` and the label with every character outside
    the set (``_`` too) as ``_xx_`` (its code point in hex); so does a label that already starts with
    ``esc_``, so distinct labels stay distinct, and the same node keeps one label."""
    if _BLANK_LABEL.fullmatch(value) and not value.startswith("esc_"):
        return value
    return "esc_" + _NOT_LABEL_CHAR.sub(lambda m: f"_{ord(m.group()):x}_", value)


def _term(binding: dict) -> Identifier:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(_blank_label(value))
    lang = binding.get("xml:lang")
    if lang:
        return Literal(value, lang=lang)
    dt = binding.get("datatype")
    if not dt or dt == _XSD + "string":
        return Literal(value)
    if dt == _XSD + "boolean" and value in ("0", "1"):  # Virtuoso writes booleans as 0/1 in JSON
        value = "true" if value == "1" else "false"
    return Literal(value, datatype=URIRef(dt))


def _partial(response: httpx.Response) -> bool:
    """Whether the server cut the answer: Virtuoso's row cap, or its "anytime" partial answer at a timeout."""
    return "x-sparql-maxrows" in response.headers or response.headers.get("x-sql-state") == "S1TAT"


def _solutions(doc: dict) -> tuple[list[str], list[dict]]:
    return doc.get("head", {}).get("vars", []), doc.get("results", {}).get("bindings", [])


def _rows(variables: list[str], bindings: list[dict]) -> list[tuple]:
    return [tuple(_term(b[v]) if v in b else None for v in variables) for b in bindings]


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:500] if lines else ""


def _count_rows(body: bytes, fmt: str) -> int:
    """Solutions in a serialized SELECT answer, without building terms."""
    if fmt == "json":
        return len(json.loads(body).get("results", {}).get("bindings", []))
    if fmt == "xml":
        return body.count(b"<result>") + body.count(b"<result ")
    import csv
    import io

    text = body.decode("utf-8", "replace")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ","))
    return max(0, len([r for r in rows if r]) - 1)


class RemoteSparqlStore:
    """A :class:`~kgraph.store.base.Store` over a remote SPARQL 1.1 endpoint (see the module docstring)."""

    def __init__(self, url: str, *, update_url: str | None = None, union: str | None = None,
                 dialect: str | None = None, user: str | None = None, password: str | None = None,
                 auth: str | None = None, timeout: float | None = None, read_only: bool = False) -> None:
        self.read_only = read_only
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"not a SPARQL endpoint URL: {url!r} (expected sparql+http://host:port/path)")
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _OPTIONS]
        host = parts.hostname or ""
        if ":" in host:  # an IPv6 address
            host = f"[{host}]"
        if parts.port:
            host = f"{host}:{parts.port}"
        self.endpoint = urlunsplit((parts.scheme, host, parts.path or "/", urlencode(kept), ""))
        self.update_endpoint = update_url or options.get("update") or os.environ.get("KGRAPH_REMOTE_UPDATE_URL") \
            or self.endpoint
        self.location = "sparql+" + self.endpoint
        user = user or parts.username or options.get("user") or os.environ.get("KGRAPH_REMOTE_USER")
        password = password or parts.password or options.get("password") or os.environ.get("KGRAPH_REMOTE_PASSWORD")
        scheme = (auth or options.get("auth") or "basic").lower()
        if scheme not in ("basic", "digest", "bearer"):
            raise StoreError(f"unknown auth scheme {scheme!r} for {self.location}: use basic, digest or bearer")
        credentials = None
        headers = {"User-Agent": "kgraph"}
        if scheme == "bearer":
            token = os.environ.get("KGRAPH_REMOTE_TOKEN")
            if not token:
                raise StoreError(f"auth=bearer for {self.location} needs the token in KGRAPH_REMOTE_TOKEN")
            headers["Authorization"] = f"Bearer {token}"
        elif user:
            credentials = (httpx.DigestAuth if scheme == "digest" else httpx.BasicAuth)(user, password or "")
        try:
            seconds = float(timeout if timeout is not None else options.get("timeout", 60))
        except ValueError:
            raise StoreError(f"timeout must be a number of seconds in {self.location}") from None
        self.timeout = seconds
        self._union_option = union or options.get("union") or None
        if self._union_option and self._union_option not in (UnionMode.DEFAULT.value, UnionMode.SERVER.value) \
                and not is_iri(self._union_option):
            raise StoreError(f"union= takes default, server or the absolute IRI of a graph, not "
                             f"{self._union_option!r} ({self.location})")
        self._dialect_option = (dialect or options.get("dialect") or "").lower() or None
        self._configured = False
        self.mode = UnionMode.DEFAULT
        self.union = ""     # graph mode only: the IRI of the union graph
        self.registry = ""  # graph mode only: the graph listing kgraph's graphs
        self.virtuoso = False
        self._client = httpx.Client(auth=credentials, timeout=httpx.Timeout(seconds, connect=min(seconds, 10.0)),
                                    headers=headers, follow_redirects=True)

    # -- HTTP ------------------------------------------------------------------------
    def _post(self, url: str, data: list[tuple[str, str]], accept: str, *, update: bool = False) -> httpx.Response:
        what = "update" if update else "query"
        try:
            response = self._client.post(url, content=urlencode(data).encode("ascii"),
                                         headers={"Accept": accept, "Content-Type": _FORM})
        except httpx.TimeoutException as exc:
            if isinstance(exc, httpx.ConnectTimeout):
                raise StoreError(f"the SPARQL server at {url} did not accept a connection in time") from None
            if update:
                raise StoreError(f"the SPARQL update sent to {url} ran past {self.timeout:g} s") from None
            raise QueryTimeout(f"the query ran past {self.timeout:g} s on {url}") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc.__class__.__name__}: {exc}") from None
        if response.status_code < 300:
            return response
        message = _first_line(response.text)
        status = response.status_code
        if status in (401, 403) or "permission" in message.lower():
            raise StoreError(f"the SPARQL server at {url} refused the {what} ({status}): {message}"
                             + (" (does the user have SPARQL_UPDATE?)" if update and self.virtuoso else ""))
        if status == 404:
            raise StoreError(f"no SPARQL endpoint at {url} (404)")
        if status == 400 or " 37000 " in f" {message} ":  # 37000: Virtuoso's SQL state for a syntax error
            raise QueryError(f"SPARQL {what} rejected by {url}: {message}")
        raise StoreError(f"the SPARQL server at {url} failed ({status}): {message}")

    def _configure(self) -> None:
        """Find out, once, whether the server is Virtuoso and where the union lives."""
        if self._configured:
            return
        server = ""
        if self._dialect_option is None or self._union_option is None:
            server = self._post(self.endpoint, [("query", "ASK {}")], _JSON).headers.get("server", "")
        self.virtuoso = (self._dialect_option == "virtuoso") if self._dialect_option else "virtuoso" in server.lower()
        union = self._union_option or (DEFAULT_UNION if self.virtuoso else UnionMode.DEFAULT.value)
        if union in (UnionMode.DEFAULT.value, UnionMode.SERVER.value):
            self.mode = UnionMode(union)
        else:
            self.mode, self.union, self.registry = UnionMode.GRAPH, union, union + "/graphs"
        self._configured = True

    def _request_update(self, operations: list[str]) -> None:
        if self.read_only:
            raise StoreReadOnly(f"the store {self.location} is open read-only")
        if not operations:
            return
        text = " ;\n".join(operations)
        if self.virtuoso:
            text = "DEFINE sql:big-data-const 1\n" + text
        self._post(self.update_endpoint, [("update", text)], _JSON, update=True)

    def _dataset(self, sparql: str, default_graphs: list[str] | None,
                 named_graphs: list[str] | None) -> list[tuple[str, str]]:
        """Protocol dataset parameters: the caller's, or (graph mode) the union and registered graphs."""
        if self.mode is UnionMode.GRAPH and not _FROM.search(sparql):
            if default_graphs is None:
                default_graphs = [self.union]
            if named_graphs is None and _GRAPH.search(sparql):
                named_graphs = self.named_graphs() or [NO_GRAPH]
        params = [("default-graph-uri", g) for g in default_graphs or []]
        params += [("named-graph-uri", g) for g in named_graphs or []]
        return params

    def _run(self, sparql: str, accept: str, default_graphs: list[str] | None = None,
             named_graphs: list[str] | None = None, *, dataset: bool = True) -> httpx.Response:
        self._configure()
        params = self._dataset(sparql, default_graphs, named_graphs) if dataset else []
        return self._post(self.endpoint, [("query", sparql), *params], accept)

    # -- reading -----------------------------------------------------------------------
    def _select(self, sparql: str, *, dataset: bool = False) -> tuple[list[str], list[tuple], bool]:
        response = self._run(sparql, _JSON, dataset=dataset)
        variables, bindings = _solutions(self._json(response))
        return variables, _rows(variables, bindings), _partial(response)

    def _json(self, response: httpx.Response) -> dict:
        try:
            return response.json()
        except ValueError:
            raise StoreError(f"the SPARQL server at {self.endpoint} sent an unreadable answer "
                             f"({response.headers.get('content-type')})") from None

    def _select_all(self, projection: str, body: str) -> Iterator[tuple]:
        """Every row of ``SELECT projection WHERE { body }``, paged when the server caps its answers."""
        _vars, rows, capped = self._select(f"SELECT {projection} WHERE {{ {body} }}")
        if not capped:
            yield from rows
            return
        page = len(rows)
        offset = 0
        while True:
            _vars, rows, _capped = self._select(
                f"SELECT {projection} WHERE {{ {body} }} ORDER BY {projection} LIMIT {page} OFFSET {offset}")
            yield from rows
            if len(rows) < page:
                return
            offset += page

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, limit: int | None = None) -> QueryResult:
        form = query_form(sparql)
        if form in ("CONSTRUCT", "DESCRIBE"):
            response = self._run(sparql, _NTRIPLES, default_graphs, named_graphs)
            graph, truncated = Graph(), _partial(response)
            for n, triple in enumerate(self._parse_triples(response)):
                if limit is not None and n >= limit:
                    truncated = True
                    break
                graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
            return QueryResult("graph", graph=graph, truncated=truncated)
        if form not in ("SELECT", "ASK", ""):
            raise QueryError(f"not a query but {form}: use update() for SPARQL Update")
        response = self._run(sparql, _JSON, default_graphs, named_graphs)
        doc = self._json(response)
        if "boolean" in doc:
            return QueryResult("ask", boolean=bool(doc["boolean"]))
        variables, bindings = _solutions(doc)
        truncated = _partial(response)
        if limit is not None and len(bindings) > limit:
            bindings, truncated = bindings[:limit], True
        return QueryResult("select", variables=variables, rows=_rows(variables, bindings), truncated=truncated)

    def _parse_triples(self, response: httpx.Response) -> Iterator[ox.Triple]:
        media = response.headers.get("content-type", _NTRIPLES).split(";")[0].strip()
        fmt = GRAPH_TYPES.get(registered_type(media), ox.RdfFormat.N_TRIPLES)   # older servers: x-turtle
        try:
            for item in ox.parse(response.content, fmt):
                yield item.triple if isinstance(item, ox.Quad) else item
        except SyntaxError as exc:
            raise StoreError(f"the SPARQL server at {self.endpoint} sent unreadable RDF ({media}): {exc}") from None

    def query_serialized(self, sparql: str, media_type: str, *, default_graphs: list[str] | None = None,
                         named_graphs: list[str] | None = None, limit: int | None = None,
                         prefixes: dict[str, str] | None = None) -> tuple[bytes, str, bool]:
        """Pass the server's own serialization through; re-serialize only an answer cut at ``limit``."""
        form = query_form(sparql)
        graph_query = form in ("CONSTRUCT", "DESCRIBE")
        if graph_query and media_type not in GRAPH_TYPES:
            media_type = "text/turtle"
        elif not graph_query and media_type not in SELECT_TYPES:
            media_type = _JSON
        response = self._run(sparql, media_type, default_graphs, named_graphs)
        body = response.content
        served = registered_type(response.headers.get("content-type", media_type).split(";")[0].strip() or media_type)
        capped = _partial(response)
        if limit is None:
            return body, served, capped
        if graph_query:
            triples = list(self._parse_triples(response))
            if len(triples) <= limit:
                return body, served, capped
            return serialize_triples(triples[:limit], media_type, prefixes), media_type, True
        fmt = SELECT_TYPES.get(served)
        if fmt is None or form == "ASK":
            return body, served, capped
        if _count_rows(body, fmt) <= limit:
            return body, served, capped
        result = self.query(sparql, default_graphs=default_graphs, named_graphs=named_graphs, limit=limit)
        rows = [tuple(None if t is None else to_ox(t) for t in row) for row in result.rows]
        return serialize_select(result.variables, rows, SELECT_TYPES[media_type], truncated=True), media_type, True

    def has_graph(self, graph_iri: str) -> bool:
        self._configure()
        if self.mode is UnionMode.GRAPH:
            sparql = f"ASK {{ GRAPH <{self.registry}> {{ <{graph_iri}> a <{REGISTERED}> }} }}"
        else:
            sparql = f"ASK {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
        return bool(self._run(sparql, _JSON, dataset=False).json().get("boolean"))

    def named_graphs(self) -> list[str]:
        self._configure()
        if self.mode is UnionMode.GRAPH:
            body = f"GRAPH <{self.registry}> {{ ?g a <{REGISTERED}> }}"
        else:
            body = "{ SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } }"
        return sorted({str(row[0]) for row in self._select_all("?g", body) if isinstance(row[0], URIRef)})

    def _triples(self, graph_iri: str | None) -> Iterator[tuple]:
        self._configure()
        if graph_iri is None and self.mode is UnionMode.GRAPH:
            graph_iri = self.union
        if graph_iri is None:
            yield from self._select_all("?s ?p ?o", "?s ?p ?o")
        else:
            yield from self._select_all("?s ?p ?o", f"GRAPH <{graph_iri}> {{ ?s ?p ?o }}")

    def graph(self, graph_iri: str | None) -> Graph:
        g = Graph()
        for s, p, o in self._triples(graph_iri):
            g.add((s, p, o))
        return g

    def quads(self) -> Iterator[tuple]:
        for graph_iri in self.named_graphs():
            g = URIRef(graph_iri)
            for s, p, o in self._triples(graph_iri):
                yield s, p, o, g

    def dump(self, out: IO[bytes], media_type: str) -> None:
        fmt = GRAPH_TYPES.get(media_type)
        if fmt not in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            raise ValueError("dump writes datasets: application/n-quads or application/trig")
        quads = (to_ox_quad(s, p, o, g) for s, p, o, g in self.quads())
        ox.serialize(quads, out, fmt)

    def count(self, graph_iri: str | None = None) -> int:
        """Triples of one named graph; ``None``: every quad held, the union default graph included."""
        self._configure()
        if graph_iri is not None:
            body = f"GRAPH <{graph_iri}> {{ ?s ?p ?o }}"
        elif self.mode is UnionMode.GRAPH:
            body = (f"{{ GRAPH <{self.union}> {{ ?s ?p ?o }} }} UNION "
                    f"{{ GRAPH <{self.registry}> {{ ?g a <{REGISTERED}> }} GRAPH ?g {{ ?s ?p ?o }} }}")
        else:
            body = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        _vars, rows, _capped = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}")
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    # -- writing -----------------------------------------------------------------------
    def _insert_data(self, graph_iri: str, triples: Iterable[tuple]) -> list[str]:
        """``INSERT DATA`` operations of at most CHUNK_TRIPLES triples; blank-node triples go in one
        ``INSERT … WHERE {}`` (Virtuoso refuses blank nodes in ``INSERT DATA``)."""
        with_bnodes: list[str] = []
        plain: list[str] = []
        for s, p, o in triples:
            line = f"{nt(s)} {nt(p)} {nt(o)} ."
            (with_bnodes if isinstance(s, BNode) or isinstance(o, BNode) else plain).append(line)
        if len(with_bnodes) > 4 * CHUNK_TRIPLES:
            raise StoreError(f"graph {graph_iri} has {len(with_bnodes)} triples with blank nodes; "
                             "skolemize it before storing it in a remote store")
        chunks = [plain[i:i + CHUNK_TRIPLES] for i in range(0, len(plain), CHUNK_TRIPLES)]
        ops = [f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n" + "\n".join(chunk) + "\n} }" for chunk in chunks]
        if with_bnodes:  # a template with one (empty) solution: each label is one new blank node
            ops.append(f"INSERT {{ GRAPH <{graph_iri}> {{\n" + "\n".join(with_bnodes) + "\n} } WHERE {}")
        return ops

    def _remove_op(self, iri: str) -> str:
        """Graph mode, one operation: unregister ``iri``, drop its exclusive share of the union, empty it."""
        u, r = self.union, self.registry
        return (f"DELETE {{ GRAPH <{r}> {{ <{iri}> a <{REGISTERED}> }} GRAPH <{u}> {{ ?s ?p ?o }} "
                f"GRAPH <{iri}> {{ ?s2 ?p2 ?o2 }} }}\n"
                f"WHERE {{ {{ GRAPH <{r}> {{ <{iri}> a <{REGISTERED}> }} }}\n"
                f"  UNION {{ GRAPH <{iri}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH <{r}> {{ ?h a <{REGISTERED}> }} "
                f"FILTER(?h != <{iri}>) GRAPH ?h {{ ?s ?p ?o }} }} }}\n"
                f"  UNION {{ GRAPH <{iri}> {{ ?s2 ?p2 ?o2 }} }} }}")

    def _publish_op(self, iri: str) -> str:
        """Graph mode, one operation: copy a filled document graph into the union and register it."""
        return (f"INSERT {{ GRAPH <{self.union}> {{ ?s ?p ?o }} GRAPH <{self.registry}> {{ <{iri}> a <{REGISTERED}> }} }}"
                f" WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")

    def _send_batches(self, operations: list[str]) -> None:
        """Graph mode: requests of bounded size, operations in order (each operation is atomic)."""
        batch: list[str] = []
        size = 0
        for op in operations:
            if batch and size + len(op) > MAX_REQUEST_CHARS:
                self._request_update(batch)
                batch, size = [], 0
            batch.append(op)
            size += len(op)
        self._request_update(batch)

    def replace_graphs(self, graphs: Mapping[str, Graph | NTriples]) -> None:
        self._configure()
        ops: list[str] = []
        for iri, triples in graphs.items():
            inserts = self._insert_data(iri, triples)
            if self.mode is UnionMode.GRAPH:
                ops.append(self._remove_op(iri))
                if inserts:
                    ops += inserts + [self._publish_op(iri)]
            elif self.mode is UnionMode.SERVER:
                ops += [f"DROP SILENT GRAPH <{iri}>", *inserts]
            else:
                ops.append(_drop_ops(iri))
                if inserts:
                    ops += inserts + [f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"]
        if self.mode is UnionMode.GRAPH:
            self._send_batches(ops)
        else:
            self._request_update(ops)  # one request, one transaction on these servers

    def replace_graph(self, graph_iri: str, triples: Graph | NTriples) -> None:
        self.replace_graphs({graph_iri: triples})

    def add_new_graphs(self, graphs: Mapping[str, Graph | NTriples]) -> None:
        """New graphs: the writes of :meth:`replace_graphs`, in requests of whole documents under
        ``MAX_REQUEST_CHARS`` (one request is one transaction on these servers, so each document
        is whole or absent; a server has no faster path to offer). The budget is the same in every mode,
        half of ``MAX_REQUEST_CHARS``, so a server's request limit (a kgraph server's
        ``KGRAPH_MAX_QUERY_LENGTH``) can be set once, whatever the mode."""
        budget = MAX_REQUEST_CHARS // 2
        chunk: dict[str, Graph | NTriples] = {}
        size = 0
        for iri, triples in graphs.items():
            weight = len(triples.text) if isinstance(triples, NTriples) else 120 * len(triples)  # ~chars a triple
            if chunk and size + weight > budget:
                self.replace_graphs(chunk)
                chunk, size = {}, 0
            chunk[iri] = triples
            size += weight
        if chunk:
            self.replace_graphs(chunk)

    def drop_graph(self, graph_iri: str) -> bool:
        if not self.has_graph(graph_iri):
            return False
        self._request_update([self._remove_op(graph_iri) if self.mode is UnionMode.GRAPH else
                              f"DROP SILENT GRAPH <{graph_iri}>" if self.mode is UnionMode.SERVER else
                              _drop_ops(graph_iri)])
        return True

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update, then re-derive the union (graph mode: and the registry)."""
        self._configure()
        if self.mode is UnionMode.SERVER:
            self._request_update([sparql])
            return
        if self.mode is UnionMode.DEFAULT:
            self._request_update([resynced_update(sparql, RESYNC_UNION)])
            return
        self._request_update([sparql])
        self.resync(candidates=set(_IRI.findall(sparql)))

    def resync(self, candidates: set[str] | None = None) -> None:
        """Re-derive the union default graph (graph mode: and the registry) from the named graphs.

        In graph mode the registry keeps the registered graphs that still hold
        triples and adds the ``candidates`` that do (the graph IRIs an update
        named); then the union is made equal to the union of registered graphs.
        """
        self._configure()
        if self.mode is UnionMode.SERVER:
            return
        if self.mode is UnionMode.DEFAULT:
            self._request_update([RESYNC_UNION])
            return
        wanted = set(self.named_graphs()) | {c for c in candidates or set() if c not in (self.union, self.registry)}
        existing: set[str] = set()
        if wanted:
            values = " ".join(f"<{g}>" for g in sorted(wanted))
            existing = {str(row[0]) for row in self._select_all(
                "?g", f"VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }}")}
        r, u = self.registry, self.union
        reg = f"GRAPH <{r}> {{ ?g a <{REGISTERED}> }}"
        ops = [f"DROP SILENT GRAPH <{r}>"]
        if existing:
            ops.append(f"INSERT DATA {{ GRAPH <{r}> {{ "
                       + " ".join(f"<{g}> a <{REGISTERED}> ." for g in sorted(existing)) + " } }")
        ops.append(f"DELETE {{ GRAPH <{u}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{u}> {{ ?s ?p ?o }} "
                   f"FILTER NOT EXISTS {{ {reg} GRAPH ?g {{ ?s ?p ?o }} }} }}")
        ops.append(f"INSERT {{ GRAPH <{u}> {{ ?s ?p ?o }} }} WHERE {{ {reg} GRAPH ?g {{ ?s ?p ?o }} }}")
        self._request_update(ops)

    def finish_writes(self) -> bool:
        """Nothing to do: the server maintains its own indexes (see :meth:`Store.finish_writes`)."""
        return False

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RemoteSparqlStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["RemoteSparqlStore", "UnionMode", "query_form", "nt"]
