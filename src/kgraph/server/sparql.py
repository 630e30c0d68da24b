"""The analysts' router: the SPARQL 1.1 Protocol endpoint at ``/sparql`` and the query page at ``/query``.

``/sparql`` takes a query by ``GET ?query=``, by ``POST`` form (``query=``) or
by ``POST application/sparql-query``, with ``default-graph-uri`` /
``named-graph-uri`` (repeatable); an update by ``POST`` form (``update=``) or
``application/sparql-update`` with ``using-graph-uri`` /
``using-named-graph-uri``. Without a query, ``GET /sparql`` answers the
service description (``sd:`` vocabulary) and sends browsers to ``/query``.

The answer's format comes from ``?format=`` (short names such as ``json``,
``csv``, ``turtle`` or a media type; what SPARQLWrapper and browsers send),
else from ``Accept`` (:func:`~kgraph.server.negotiation.negotiate`), else the
format's default. When ``Accept`` names nothing this kind of query can give, the
default is sent (SPARQL JSON results, Turtle), as Fuseki and Virtuoso do: rdflib's
``SPARQLStore`` asks for its one results format for CONSTRUCT too, and parses the
Turtle it gets. A ``?format=`` the query cannot give is a 406: it was asked by name.
Answers are cut at ``max_results`` and say so (``X-Kgraph-Truncated: true``
and a ``urn:kgraph:truncated`` link in the results). The default graph is the
union of all named graphs, which the store maintains.

Nothing a request sends reaches outside the server: ``SERVICE`` is refused
(403) unless ``allow_service`` is set, ``LOAD`` always, and updates need the
write token. The check is a token scan that skips strings, IRIs and
comments (:func:`kgraph.sparqltext.scan`); it runs in full only when the text contains the
letters ``service`` or ``load`` at all, so ordinary queries pay for reading
their prologue and nothing more. Where the engine may read a text more than one
way (a ``<`` that compares or opens an IRI, and two fallbacks of its parser), the
scan follows every reading.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import ForbiddenOperation, InputError, KgraphError, LimitError, NotFound, QueryError
from ..namespaces import PREFIXES
from ..sparql_errors import located
from ..sparql_results import json_term, registered_type
from ..sparqltext import (
    IRI_TEXT,
    UPDATE_FORMS,
    Scan,
    check_nesting,
    is_iri,
    lexemes,
    scan,
    update_parses,
    writes_default_graph,
)
from .deps import base_url, read_body, require_write_token
from .errors import MethodNotAllowed, NotAcceptable, UnsupportedMediaType
from .negotiation import negotiate_registered

router = APIRouter(tags=["sparql"])

# -- media types: data ------------------------------------------------------------------------------

HTML = "text/html"
JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
TRUNCATED = "X-Kgraph-Truncated"

#: What a SELECT or ASK can be answered in, best first (the first is the default).
RESULT_TYPES = [JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
                "application/json", "application/xml", "text/xml", HTML]
#: What a CONSTRUCT or DESCRIBE can be answered in, best first.
#: Older names (``text/plain``, ``text/n3``, ``application/x-turtle``) are answered as the registered type.
GRAPH_TYPES = ["text/turtle", NTRIPLES, "application/ld+json", "application/rdf+xml", "application/n-quads",
               "application/trig", HTML]
#: The service description's formats.
DESCRIPTION_TYPES = ["text/turtle", "application/rdf+xml", "application/ld+json", NTRIPLES, HTML]

#: ``?format=`` short names: (for SELECT/ASK, for CONSTRUCT/DESCRIBE); SPARQLWrapper's names included.
FORMATS: dict[str, tuple[str | None, str | None]] = {
    "json": (JSON, "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"), "ttl": (None, "text/turtle"), "n3": (None, "text/turtle"),
    "nt": (None, NTRIPLES), "ntriples": (None, NTRIPLES), "n-triples": (None, NTRIPLES),
    "jsonld": (None, "application/ld+json"), "json-ld": (None, "application/ld+json"),
    "rdf": (None, "application/rdf+xml"), "rdfxml": (None, "application/rdf+xml"),
    "rdf+xml": (None, "application/rdf+xml"), "rdf/xml": (None, "application/rdf+xml"),
    "html": (HTML, HTML),
}
#: Formats offered as links under an HTML result table.
RESULT_LINKS = {"JSON": "json", "XML": "xml", "CSV": "csv", "TSV": "tsv"}
GRAPH_LINKS = {"Turtle": "turtle", "N-Triples": "nt", "JSON-LD": "jsonld", "RDF/XML": "rdf"}

# -- what a text reaches (read by kgraph.sparqltext) -----------------------------------------------

_SCAN_INLINE_CHARS = 10_000


def _read(text: str) -> Scan:
    """:func:`~kgraph.sparqltext.scan`, after the nesting limit (:func:`~kgraph.sparqltext.check_nesting`),
    which the scan's own reading of brackets would otherwise meet first."""
    check_nesting(text)
    return scan(text)


async def _scan(text: str) -> Scan:
    """:func:`_read`, in a worker thread for a long text: following every reading of a long text built
    to have many can take a tenth of a second, which the event loop should not wait."""
    return _read(text) if len(text) <= _SCAN_INLINE_CHARS else await run_in_threadpool(_read, text)


def _refuse_outside(found: Scan, request: Request) -> None:
    if found.load:
        raise ForbiddenOperation("LOAD is refused: this server never fetches data from a URL or a file")
    if found.service and not request.app.state.settings.allow_service:
        raise ForbiddenOperation("SERVICE (federated query) is disabled on this server: it never calls "
                                 "other endpoints (settings: allow_service)")


def _with_base(text: str, base: str | None) -> str:
    """Relative IRIs resolve against the endpoint (protocol §2.1.3); one line is prepended."""
    return f"BASE <{base}>\n{text}" if base else text


async def _located(exc: QueryError, base: str | None, text: str, update: bool = False) -> QueryError:
    """:func:`~kgraph.sparql_errors.located` off the event loop (it may parse ``text`` with rdflib), the
    ``BASE`` line :func:`_with_base` added taken away."""
    return await run_in_threadpool(located, exc, text, lines_added=1 if base else 0, update=update)


def _base(request: Request) -> str | None:
    endpoint = base_url(request) + "/sparql"
    return endpoint if IRI_TEXT.fullmatch(endpoint) else None


def _with_using(text: str, using: list[str], using_named: list[str]) -> str:
    """Apply ``using-graph-uri`` / ``using-named-graph-uri`` by adding USING clauses to each operation.

    ``DELETE WHERE { P }`` becomes ``DELETE { P } USING … WHERE { P }``; an
    update that has its own USING or WITH is a 400 (protocol §2.2.3).
    """
    if not using and not using_named:
        return text
    for iri in using + using_named:
        if not IRI_TEXT.fullmatch(iri):
            raise InputError(f"not an IRI: {iri!r}")
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    edits: list[tuple[int, int, str]] = []
    depth = 0
    first = previous = ""  # the operation's first keyword; the token before this one
    first_at = group_at = -1
    delete_where = False
    for lexeme in lexemes(text):
        token = lexeme.text
        before, previous = previous, token.upper()
        if token == "{":
            if depth == 0:
                group_at = lexeme.start
            depth += 1
        elif token == "}":
            depth -= 1
            end = lexeme.start + 1
            if depth == 0 and delete_where:
                group = text[group_at:end]
                edits.append((first_at, end, f"DELETE {group} {clause}WHERE {group}"))
                delete_where = False
        elif depth == 0 and token == ";":
            first = ""
        elif depth == 0 and lexeme.kind == "word":
            upper = token.upper()
            if upper in ("USING", "WITH"):
                raise QueryError(f"the update has its own {upper} clause and the request sets "
                                 "using-graph-uri/using-named-graph-uri: use one or the other")
            if not first and upper not in ("PREFIX", "BASE"):
                first, first_at = upper, lexeme.start
            if upper == "WHERE" and first in ("DELETE", "INSERT"):
                if before == "DELETE":
                    delete_where = True
                else:
                    edits.append((lexeme.start, lexeme.start, clause))
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


# -- reading requests ------------------------------------------------------------------------------

Params = dict[str, list[str]]


def _url_params(request: Request) -> Params:
    """The URL's parameters, decoded as UTF-8 strictly: Starlette's ``query_params`` would put U+FFFD
    for bytes that are not UTF-8, and the query would then match other strings than the client sent."""
    params: Params = {}
    try:
        pairs = parse_qsl(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True,
                          encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise InputError(f"the URL's parameters are not UTF-8 once %-decoded ({exc.reason})") from None
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def _one(params: Params, name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise InputError(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0]


def _check_length(text: str, request: Request) -> None:
    limit = request.app.state.settings.max_query_length
    if len(text) > limit:
        raise LimitError(f"the query or update has {len(text)} characters; this server takes at most {limit}",
                         detail={"limit": limit})


async def _read_body(request: Request, cap: int | None = None) -> bytes:
    """The request body, refused (413) as soon as it is longer than ``cap`` bytes.

    The default cap is the longest body an allowed query can be encoded in.
    """
    if cap is None:
        cap = request.app.state.settings.max_query_length * 12 + 65536  # 4 UTF-8 bytes, %-encoded
    return await read_body(request, cap)


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the {what} is not UTF-8 (byte {exc.start})") from None


def _content_type(request: Request) -> tuple[str, str | None]:
    media, *params = request.headers.get("content-type", "").split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


# -- choosing the answer's format --------------------------------------------------------------------

def _choose(request: Request, params: Params, graph: bool) -> str:
    """``?format=`` (short name or media type) first, then ``Accept``, else the default; a 406 when the
    ``format=`` does not fit."""
    offered = GRAPH_TYPES if graph else RESULT_TYPES
    fmt = next(iter(params.get("format") or params.get("output") or []), None)  # SPARQLWrapper may send two
    if fmt:
        name = fmt.strip().lower()
        if name in FORMATS:
            chosen = FORMATS[name][1 if graph else 0]
            if chosen:
                return chosen
        elif registered_type(name.split(";")[0].strip()) in offered:
            return registered_type(name.split(";")[0].strip())
        kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
        names = sorted(n for n, pair in FORMATS.items() if pair[1 if graph else 0])
        raise NotAcceptable(f"format={fmt!r} cannot answer a {kind} query; use one of {', '.join(names)}")
    return negotiate_registered(request.headers.get("accept"), offered, offered[0]) or offered[0]


# -- the endpoint ------------------------------------------------------------------------------------

@router.api_route("/sparql", methods=["GET", "POST"], include_in_schema=False)
async def sparql_endpoint(request: Request) -> Response:
    """The SPARQL 1.1 Protocol: GET a query (or the service description), POST a query or an update."""
    if request.method == "POST":
        return await _post(request)
    params = _url_params(request)
    if "update" in params:
        raise InputError("a SPARQL Update must be sent with POST (form field update= or "
                         "Content-Type application/sparql-update)")
    query = _one(params, "query")
    if query is None:
        return service_description(request)
    return await answer_query(request, query, params)


async def _post(request: Request) -> Response:
    """A query or an update, form-encoded or as the body (application/sparql-query, -update)."""
    params = _url_params(request)
    media, charset = _content_type(request)
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaType(f"SPARQL must be sent as UTF-8, not {charset}")
    if media == "application/x-www-form-urlencoded":
        body = _decode(await _read_body(request), "form")
        try:
            pairs = parse_qsl(body, keep_blank_values=True, errors="strict", max_num_fields=1000)
        except (UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"the form cannot be read: {exc}") from None
        for key, value in pairs:
            params.setdefault(key, []).append(value)
        query, update = _one(params, "query"), _one(params, "update")
        if query is not None and update is not None:
            raise InputError("a request is either a query or an update, not both")
        if update is not None:
            return await run_update(request, update, params)
        if query is None:
            raise InputError("the form has no query= (or update=) field")
        return await answer_query(request, query, params)
    if media == "application/sparql-query":
        return await answer_query(request, _decode(await _read_body(request), "query"), params)
    if media == "application/sparql-update":
        return await run_update(request, _decode(await _read_body(request), "update"), params)
    raise UnsupportedMediaType(
        f"POST /sparql reads application/x-www-form-urlencoded, application/sparql-query or "
        f"application/sparql-update, not {media or 'a body without Content-Type'}")


async def answer_query(request: Request, text: str, params: Params) -> Response:
    """Run one query through the executor and answer in the negotiated format."""
    _check_length(text, request)
    found = await _scan(text)
    _refuse_outside(found, request)
    if found.form in UPDATE_FORMS:
        raise QueryError(f"this is a SPARQL Update ({found.form}), not a query: POST it as update= or "
                         "with Content-Type application/sparql-update")
    graph = found.form in ("CONSTRUCT", "DESCRIBE")
    media = _choose(request, params, graph)
    if media == HTML:
        return await _results_page(request, text, params, graph)
    body, served, truncated = await _run(request, text, media, params)
    headers = {"Vary": "Accept"}
    if truncated:
        headers[TRUNCATED] = "true"
    return Response(body, media_type=served, headers=headers)


async def _run(request: Request, text: str, media: str, params: Params) -> tuple[bytes, str, bool]:
    base = _base(request)
    try:
        return await request.app.state.executor.run(
            _with_base(text, base), media,
            default_graphs=params.get("default-graph-uri") or None,
            named_graphs=params.get("named-graph-uri") or None)
    except QueryError as exc:
        raise await _located(exc, base, text) from None


_write_lock = threading.Lock()  # one write of this router at a time


async def run_update(request: Request, text: str, params: Params) -> Response:
    """A SPARQL Update with the write token: through ``store.update`` (which re-derives the union)."""
    require_write_token(request)
    _check_length(text, request)
    found = await _scan(text)
    _refuse_outside(found, request)
    if writes_default_graph(text) and (found.service or await run_in_threadpool(update_parses, text)):
        # only an update that parses is refused so: a syntax error is reported with its position as ever
        raise InputError("the update writes the default graph, which is the union of the named graphs and is "
                         "derived from them: write a named graph (GRAPH <g> { … } or WITH <g>)")
    text = _with_using(text, params.get("using-graph-uri", []), params.get("using-named-graph-uri", []))
    base = _base(request)
    try:
        await request.app.state.executor.run_update(_locked, request.app.state.store.update, _with_base(text, base))
    except QueryError as exc:  # did not parse: nothing was written
        raise await _located(exc, base, text, update=True) from None
    finally:
        request.app.state.executor.notify_write()
    return Response(status_code=204)


# -- the Graph Store Protocol (indirect identification) ------------------------------------------------

GRAPH_STORE = "/rdf-graphs"


@router.api_route(GRAPH_STORE, methods=["GET", "HEAD", "PUT", "POST", "DELETE"], include_in_schema=False)
async def graph_store(request: Request) -> Response:
    """SPARQL 1.1 Graph Store HTTP Protocol on ``?graph=<IRI>`` and ``?default``; writes need the token.

    The default graph is the union of the named graphs, so it is read but
    never written (405); a POST to the graph store itself creates a graph
    under a new IRI (201 with ``Location``).
    """
    params = _url_params(request)
    graphs, default = params.get("graph", []), "default" in params
    if len(graphs) > 1 or (graphs and default):
        raise InputError("name one graph: ?graph=<IRI> or ?default")
    iri = graphs[0] if graphs else None
    if iri is not None and not is_iri(iri):
        raise InputError(f"?graph= must be an absolute IRI, not {iri!r}")
    method = request.method
    if method in ("GET", "HEAD"):
        if iri is None and not default:
            raise InputError("name a graph to read: ?graph=<IRI> or ?default")
        return await _read_graph(request, iri)   # for HEAD too: GET's headers, and the server sends no body
    require_write_token(request)
    if default:
        raise MethodNotAllowed("the default graph is the union of the named graphs: write a named graph "
                               "(?graph=<IRI>) instead", allow="GET, HEAD")
    store = request.app.state.store
    if method == "DELETE":
        if iri is None:
            raise InputError("name the graph to delete: ?graph=<IRI>")
        try:
            dropped = await run_in_threadpool(_locked, store.drop_graph, iri)
        finally:
            request.app.state.executor.notify_write()
        if not dropped:
            raise NotFound(f"there is no graph {iri}")
        return Response(status_code=204)
    created_here = iri is None  # POST to the graph store itself: a new graph
    if iri is None:
        if method != "POST":
            raise InputError("name the graph to replace: ?graph=<IRI>")
        iri = (_base(request) or "urn:kgraph:graph/").rsplit("/", 1)[0] + GRAPH_STORE + "/" + uuid.uuid4().hex
    triples = await _read_rdf(request, iri)
    try:
        existed = await run_in_threadpool(_locked, _write_graph, store, iri, triples, method == "POST")
    finally:
        request.app.state.executor.notify_write()
    if existed:
        return Response(status_code=204)
    return Response(status_code=201, headers={"Location": iri} if created_here else None)


async def _read_graph(request: Request, iri: str | None) -> Response:
    """A graph, whole (a client that reads, edits and puts a graph back must not get part of it)."""
    if iri is not None and not request.app.state.store.has_graph(iri):
        raise NotFound(f"there is no graph {iri}")
    offered = [t for t in GRAPH_TYPES if t != HTML]
    media = negotiate_registered(request.headers.get("accept"), offered, offered[0]) or offered[0]  # as /sparql does
    where = "?s ?p ?o" if iri is None else f"GRAPH <{iri}> {{ ?s ?p ?o }}"
    body, served, _truncated = await request.app.state.executor.run(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}", media, whole=True)
    return Response(body, media_type=served, headers={"Vary": "Accept"})


async def _read_rdf(request: Request, iri: str) -> list:
    """The request's RDF (one body, or the parts of a multipart form) as Oxigraph triples; never fetches.

    Oxigraph's terms go all the way to the store: rdflib has neither RDF 1.2's triple terms nor its base
    directions, and converting through it stored ``"a"@he--rtl`` as ``"a"@he``."""
    import pyoxigraph as ox

    from ..sparql_results import GRAPH_TYPES as RDF_PARSERS

    cap = request.app.state.settings.max_article_bytes * 4
    media, _ = _content_type(request)
    if media == "multipart/form-data":
        form = await request.form(max_files=100, max_fields=100)
        parts = []
        for name, value in form.multi_items():  # every part, also several under one name
            if not hasattr(value, "read"):
                raise InputError(f"the multipart part {name!r} is not a file; send each graph as a file part "
                                 "with its Content-Type")
            parts.append((getattr(value, "content_type", None) or "text/turtle", await value.read()))
        if not parts:
            raise InputError("the multipart body has no part; send the graph as a file part")
    else:
        parts = [(media, await _read_body(request, cap))]
    triples: list = []
    for kind, data in parts:
        kind = registered_type(kind.split(";")[0].strip().lower())
        if kind not in RDF_PARSERS:
            accepted = ", ".join(sorted(RDF_PARSERS))
            raise UnsupportedMediaType(f"a graph must be sent as one of {accepted}, not "
                                       f"{kind or 'a body without Content-Type'}")
        if len(data) > cap:
            raise LimitError(f"the graph has {len(data)} bytes; this server takes at most {cap}")
        try:
            triples += ox.parse(data, format=RDF_PARSERS[kind], base_iri=iri, without_named_graphs=True,
                                rename_blank_nodes=True)
        except (SyntaxError, ValueError) as exc:
            raise InputError(f"the {kind} body cannot be read: {exc}") from None
    return triples


def _ntriples(triples: list):
    """Triples as the N-Triples text every store takes (:class:`~kgraph.store.base.NTriples`)."""
    import pyoxigraph as ox

    from ..store.base import NTriples

    written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""   # bytes, without an output
    lines = list(dict.fromkeys(written.decode("utf-8").splitlines()))
    text = "\n".join(lines)
    return NTriples(text, len(lines), blank="_:" in text)   # also "_:" in a literal: then the slower, exact way


def _locked(function, *args):
    with _write_lock:
        return function(*args)


def _write_graph(store, iri: str, triples: list, merge: bool) -> bool:
    """Replace (PUT) or extend (POST) one named graph with Oxigraph triples; True when it existed before."""
    import pyoxigraph as ox

    from ..sparql_results import GRAPH_TYPES as RDF_FORMATS

    existed = store.has_graph(iri)
    if merge and existed:
        stored, served, _cut = store.query_serialized(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}", "application/n-triples")
        triples = [*ox.parse(stored, format=RDF_FORMATS.get(served, ox.RdfFormat.N_TRIPLES), rename_blank_nodes=True),
                   *triples]
    store.replace_graph(iri, _ntriples(triples))
    return existed


# -- the service description ---------------------------------------------------------------------------

def service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint; browsers go to the query page."""
    media = negotiate_registered(request.headers.get("accept"), DESCRIPTION_TYPES, DESCRIPTION_TYPES[0])
    if media == HTML:
        return RedirectResponse("/query", status_code=303, headers={"Vary": "Accept"})
    if media is None:
        raise NotAcceptable(f"the service description is available as {', '.join(DESCRIPTION_TYPES[:-1])}")
    s = request.app.state.settings
    endpoint = _base(request) or "/sparql"
    body = _description(endpoint, media, bool(s.write_token), s.allow_service, s.query_timeout, s.max_results,
                        s.max_query_length)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


@lru_cache(maxsize=32)
def _description(endpoint: str, media: str, writable: bool, federated: bool, timeout: float, max_results: int,
                 max_length: int) -> bytes:
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF, RDFS

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    g = Graph()
    g.bind("sd", sd)
    g.bind("formats", formats)
    g.bind("dcterms", DCTERMS)
    service, dataset, default = URIRef(endpoint), BNode(), BNode()
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, service))
    g.add((service, DCTERMS.title, Literal("kgraph: bilateral space cooperation between states")))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    if writable:
        g.add((service, sd.supportedLanguage, sd.SPARQL11Update))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, sd.resultFormat, formats[name]))
    g.add((service, sd.feature, sd.UnionDefaultGraph))
    if federated:
        g.add((service, sd.feature, sd.BasicFederatedQuery))
    g.add((service, sd.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, sd.defaultGraph, default))
    g.add((default, RDF.type, sd.Graph))
    g.add((default, RDFS.comment, Literal("The union of every named graph: one per source document, the "
                                          "ontology and the reference data.")))
    g.add((service, RDFS.comment, Literal(
        f"Queries stop after {timeout:g} s (503); answers hold at most {max_results} rows or triples "
        f"(cut answers carry the header {TRUNCATED}: true); queries have at most {max_length} characters "
        f"(413). SERVICE{'' if federated else ' and'} LOAD {'is' if federated else 'are'} refused; "
        f"updates {'need the write token' if writable else 'are disabled'}.")))
    g.add((service, RDFS.seeAlso, URIRef(endpoint.rsplit("/", 1)[0] + "/.well-known/void")))
    fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
           NTRIPLES: "nt"}[media]
    return g.serialize(format=fmt, encoding="utf-8")


# -- the query page ----------------------------------------------------------------------------------

EXAMPLES_DIR = Path(__file__).parent / "examples"
PAGE_PREFIXES = ("sc", "id", "rdfs", "skos", "dcterms", "xsd")
STARTER = """SELECT ?state ?label ?code
WHERE {
  ?state a sc:State ; rdfs:label ?label ; sc:isoCode ?code .
}
ORDER BY ?label
LIMIT 20"""


class Example(NamedTuple):
    name: str
    title: str
    text: str


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    """The shipped example queries (``server/examples/*.rq``); the title is the first comment line."""
    found = []
    for path in sorted(EXAMPLES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        title = first.lstrip("#").strip() if first.startswith("#") else path.stem
        found.append(Example(path.stem, title, text))
    return tuple(found)


def prefix_lines() -> str:
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in PAGE_PREFIXES)


@router.get("/query", include_in_schema=False)
async def query_page(request: Request) -> Response:
    """Type SPARQL, run it, see a table; the examples one click away."""
    query = request.query_params.get("query")
    if query is None:
        chosen = {e.name: e for e in examples()}.get(request.query_params.get("example", ""))
        query = chosen.text if chosen else prefix_lines() + "\n" + STARTER
    return _page(request, query)


def _page(request: Request, query: str, *, results: dict | None = None, error: KgraphError | None = None,
          status_code: int = 200) -> Response:
    from .templating import Alternate, render

    s = request.app.state.settings
    context = {
        "query": query, "examples": examples(), "namespaces": PREFIXES, "results": results,
        "error": error, "endpoint": "/sparql", "timeout": s.query_timeout, "max_results": s.max_results,
        "writable": bool(s.write_token), "query_kind": _kind(query),
    }
    alternates = [Alternate("/sparql", "text/turtle", "SPARQL service description")]
    return render(request, "query.html", context, alternates=alternates, status_code=status_code)


def _kind(query: str) -> str:
    """``graph`` for a CONSTRUCT or DESCRIBE, else ``select``: which answer formats the page offers."""
    try:
        form = scan(query).form
    except Exception:  # noqa: BLE001 - a page shows any text, also one the lexer gives up on
        return "select"
    return "graph" if form in ("CONSTRUCT", "DESCRIBE") else "select"


async def _results_page(request: Request, text: str, params: Params, graph: bool) -> Response:
    """The query page with the answer as a table: the query form works without JavaScript."""
    try:
        body, _, truncated = await _run(request, text, NTRIPLES if graph else JSON, params)
    except KgraphError as exc:
        return _page(request, text, error=exc, status_code=exc.status)
    links = GRAPH_LINKS if graph else RESULT_LINKS
    results = _graph_table(body) if graph else _results_table(body)
    results["truncated"] = truncated
    results["formats"] = [(label, "/sparql?" + urlencode({"query": text, "format": name}))
                          for label, name in links.items()]
    return _page(request, text, results=results)


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w\-./]+", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _cell(term: dict | None) -> dict:
    """A SPARQL JSON term as the query page's table shows it: ``text``, and ``iri`` to link, ``note``
    for a literal's language (with its base direction, ``@ar--rtl``) or datatype, and ``lang`` and
    ``dir`` for the HTML attributes that let a browser set right-to-left text as such."""
    if term is None:
        return {"text": ""}
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return {"text": _short(value), "iri": value}
    if kind in ("bnode", "triple"):
        return {"text": _brief(term)}
    if "xml:lang" in term:
        cell = {"text": value, "note": "@" + term["xml:lang"], "lang": term["xml:lang"]}
        if term.get("its:dir") in ("ltr", "rtl"):
            cell["note"] += "--" + term["its:dir"]
            cell["dir"] = term["its:dir"]
        return cell
    if "datatype" in term:
        return {"text": value, "note": "^^" + _short(term["datatype"])}
    return {"text": value}


def _brief(term: dict) -> str:
    """A term of a triple term (or the triple term itself) in one line, Turtle-like: ``<< s p o >>``."""
    kind, value = term["type"], term["value"]
    if kind == "triple":
        return "<< " + " ".join(_brief(value[part]) for part in ("subject", "predicate", "object")) + " >>"
    if kind == "bnode":
        return "_:" + value
    if kind == "uri":
        short = _short(value)
        return short if short != value else f"<{value}>"
    return json.dumps(value, ensure_ascii=False) + _cell(term).get("note", "")


def _results_table(body: bytes) -> dict:
    doc = json.loads(body)
    if "boolean" in doc:
        return {"boolean": doc["boolean"], "columns": [], "rows": []}
    columns = doc["head"]["vars"]
    rows = [[_cell(b.get(v)) for v in columns] for b in doc["results"]["bindings"]]
    return {"columns": columns, "rows": rows}


def _graph_table(body: bytes) -> dict:
    import pyoxigraph as ox

    rows = []
    for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        rows.append([_ox_cell(t.subject), _ox_cell(t.predicate), _ox_cell(t.object)])
    return {"columns": ["subject", "predicate", "object"], "rows": rows}


def _ox_cell(term) -> dict:
    return _cell(json_term(term))


__all__ = [
    "FORMATS",
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "TRUNCATED",
    "Scan",
    "answer_query",
    "examples",
    "router",
    "run_update",
    "scan",
    "service_description",
]
