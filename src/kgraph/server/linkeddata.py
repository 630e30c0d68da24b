"""Linked Data: every minted IRI dereferences here, plus the ontology, shapes, VoID and dumps.

``/id/<path>`` is the server-side twin of ``https://w3id.org/spacecoop/id/<path>``.
One resource, several representations, chosen by ``?format=`` or else by
``Accept``: HTML for people, Turtle, N-Triples, JSON-LD (with an ``@context``
of the vocabulary prefixes) and RDF/XML for machines. Every answer carries
``Vary: Accept`` and ``Link: rel="alternate"`` to the other representations and
to the ``/api`` twin.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import threading
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import IO, cast

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, VOID, XSD

from .. import errors
from ..export import export_store
from ..namespaces import DCTERMS, DOCUMENT_BASE, ID, PREFIXES, SC
from ..validate import load_ontology, load_shapes
from . import api
from . import queries as q
from .deps import SettingsDep, StoreDep, base_url
from .templating import Alternate, render, twin_headers

router = APIRouter(include_in_schema=False)

HTML = "text/html"
#: ``?format=`` names → (media type, rdflib serializer). The media types are what ``Accept`` can ask for.
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),  # pretty-xml drops statements on list nodes
}
SERIALIZER = {media: fmt for media, fmt in RDF_FORMATS.values()}
FORMAT_TITLES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Dumps this server writes; ``/dumps/<name>`` serves nothing else.
DUMPS: dict[str, str] = {"kgraph.nq.gz": "application/n-quads"}


# -- negotiation ----------------------------------------------------------------------------


def choose(request: Request, *, html: bool = True) -> str:
    """The media type to answer with: ``?format=`` wins over ``Accept``; HTML when nothing else fits."""
    offered = ([HTML] if html else []) + [media for media, _ in RDF_FORMATS.values()]
    default = offered[0]
    fmt = request.query_params.get("format")
    if fmt is not None:
        if fmt == "html" and html:
            return HTML
        if fmt in RDF_FORMATS:
            return RDF_FORMATS[fmt][0]
        names = (["html"] if html else []) + list(RDF_FORMATS)
        raise errors.InputError(f"unknown format {fmt!r}; use one of {', '.join(names)}")
    from .negotiation import negotiate_registered  # the Accept parser shared with the SPARQL router

    return negotiate_registered(request.headers.get("accept"), offered, default) or default


def rdf_alternates(path: str, *, html: bool = True) -> list[Alternate]:
    """The representations of one resource at ``path`` (``?format=…``), HTML first."""
    alts = [Alternate(path, HTML, "HTML")] if html else []
    return alts + [Alternate(f"{path}?format={name}", media, FORMAT_TITLES[name])
                   for name, (media, _) in RDF_FORMATS.items()]


def serialize(graph: Graph, media: str) -> bytes:
    fmt = SERIALIZER[media]
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=dict(PREFIXES), indent=2).encode("utf-8")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph.serialize(format=fmt, encoding="utf-8")


def rdf_response(body: bytes, media: str, alternates: Sequence[Alternate]) -> Response:
    charset = "" if media == "application/ld+json" else "; charset=utf-8"
    return twin_headers(Response(body, media_type=media + charset), alternates)


# -- /id/… ----------------------------------------------------------------------------------


def resource_alternates(path: str) -> list[Alternate]:
    api_twin = ("/api/documents/" + path.removeprefix("document/") if path.startswith("document/")
                else "/api/entities/" + path)
    return rdf_alternates("/id/" + path) + [Alternate(api_twin, "application/json", "JSON API")]


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"])
def resource(request: Request, path: str, store: StoreDep) -> Response:
    """The description of an entity or a document, in the representation asked for."""
    iri = q.id_iri(path)
    try:
        known = q.exists(store, iri)
    except errors.InputError:
        known = False
    if not known:
        raise errors.NotFound(f"nothing is known about {iri}")
    alternates = resource_alternates(path)
    media = choose(request)
    if media != HTML:
        return rdf_response(serialize(q.describe(store, iri), media), media, alternates)
    if iri.startswith(DOCUMENT_BASE):
        doc = q.document(store, iri)
        if doc is not None:
            return render(request, "document.html", {"doc": doc, "entity": api.entity_or_404(request, path)},
                          alternates=alternates)
    detail = api.entity_or_404(request, path)
    vocab = api.vocabulary(request)
    context: dict[str, object] = {"entity": detail, "labels": vocab.labels, "out": _grouped(detail.relations_out),
               "inbound": _grouped(detail.relations_in)}
    if "State" in detail.types:
        context["partners"] = q.partners(store, vocab, iri)
        context["code"] = path.rsplit("/", 1)[-1]
    return render(request, "entity.html", context, alternates=alternates)


def _grouped(relations: list) -> list[tuple[str, list]]:
    groups: dict[str, list] = defaultdict(list)
    for rel in relations:
        groups[rel.predicate].append(rel)
    return list(groups.items())


# -- the ontology and the shapes ----------------------------------------------------------------


@router.api_route("/ontology", methods=["GET", "HEAD"])
def ontology(request: Request, settings: SettingsDep) -> Response:
    """Documentation of every class and property for people; the OWL file itself for machines."""
    return _rdf_file(request, "/ontology", settings.ontology_path, load_ontology, "ontology.html", ontology_doc)


def _rdf_file(request: Request, path: str, file: Path, load, template: str, document) -> Response:
    """A Turtle file of the repository: as written, in another RDF format, or documented in HTML."""
    alternates = rdf_alternates(path)
    media = choose(request)
    if media == "text/turtle":
        return rdf_response(Path(file).read_bytes(), media, alternates)
    graph = load(file)
    if media != HTML:
        return rdf_response(serialize(graph, media), media, alternates)
    return render(request, template, document(graph), alternates=alternates)


def _label(graph: Graph, term) -> str:
    label = graph.value(term, RDFS.label)
    return str(label) if label is not None else q.curie(str(term))


def _class_list(graph: Graph, term) -> list[str]:
    """A class, or the members of an ``owl:unionOf`` list, as compact IRIs."""
    union = graph.value(term, OWL.unionOf)
    if union is not None:
        return [q.curie(str(t)) for t in Collection(graph, union)]
    return [q.curie(str(term))]


def ontology_doc(graph: Graph) -> dict:
    """Classes and properties of the vocabulary, with labels, comments, hierarchy, domains and ranges."""
    def describe(term) -> dict:
        return {"iri": str(term), "name": str(term)[len(str(SC)):], "curie": q.curie(str(term)),
                "label": _label(graph, term), "comment": str(graph.value(term, RDFS.comment) or ""),
                "parents": sorted(q.curie(str(p)) for p in graph.objects(term, RDFS.subClassOf)),
                "super": sorted(q.curie(str(p)) for p in graph.objects(term, RDFS.subPropertyOf)),
                "children": sorted(q.curie(str(c)) for c in graph.subjects(RDFS.subClassOf, term)),
                "domain": [c for d in graph.objects(term, RDFS.domain) for c in _class_list(graph, d)],
                "range": [c for r in graph.objects(term, RDFS.range) for c in _class_list(graph, r)],
                "matches": sorted(str(x) for x in graph.objects(term, SKOS.closeMatch))}

    def terms(kind) -> list[dict]:
        return sorted((describe(t) for t in set(graph.subjects(RDF.type, kind))
                       if isinstance(t, URIRef) and str(t).startswith(str(SC))), key=lambda d: d["name"])

    head = URIRef(PREFIXES["sc"].rstrip("#"))
    return {"title": str(graph.value(head, DCTERMS.title) or "Ontology"),
            "description": str(graph.value(head, DCTERMS.description) or ""),
            "version": str(graph.value(head, OWL.versionInfo) or ""), "namespace": str(SC),
            "classes": terms(OWL.Class), "object_properties": terms(OWL.ObjectProperty),
            "datatype_properties": terms(OWL.DatatypeProperty)}


@router.api_route("/shapes", methods=["GET", "HEAD"])
def shapes(request: Request, settings: SettingsDep) -> Response:
    """The SHACL shapes: Turtle for machines, a listing of what each shape checks for people."""
    return _rdf_file(request, "/shapes", settings.shapes_path, load_shapes, "shapes.html",
                     lambda graph: {"shapes": shapes_doc(graph)})


def shapes_doc(graph: Graph) -> list[dict]:
    """Every node shape: its targets and, per property shape, path, counts, severity and message."""
    def prop(shape) -> dict:
        path = graph.value(shape, SH.path)
        return {"path": q.curie(str(path)) if isinstance(path, URIRef) else "(complex path)",
                "name": str(graph.value(shape, SH.name) or ""),
                "min": graph.value(shape, SH.minCount), "max": graph.value(shape, SH.maxCount),
                "severity": q.curie(str(graph.value(shape, SH.severity) or SH.Violation)).removeprefix("sh:"),
                "message": str(graph.value(shape, SH.message) or graph.value(shape, SH.description) or "")}

    out: list[dict] = []
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)):
        targets = [q.curie(str(t)) for t in graph.objects(shape, SH.targetClass)]
        targets += [f"subjects of {q.curie(str(t))}" for t in graph.objects(shape, SH.targetSubjectsOf)]
        targets += [f"objects of {q.curie(str(t))}" for t in graph.objects(shape, SH.targetObjectsOf)]
        out.append({"iri": str(shape), "curie": q.curie(str(shape)), "targets": sorted(targets),
                    "message": str(graph.value(shape, SH.message) or graph.value(shape, RDFS.comment) or ""),
                    "properties": sorted((prop(p) for p in graph.objects(shape, SH.property)),
                                         key=lambda p: p["path"])})
    return sorted(out, key=lambda s: s["curie"])


# -- VoID ---------------------------------------------------------------------------------------


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
def void(request: Request, store: StoreDep) -> Response:
    """The VoID description of the dataset: endpoint, dump, figures, vocabularies."""
    alternates = rdf_alternates("/.well-known/void", html=False)
    media = choose(request, html=False)
    return rdf_response(serialize(void_graph(request, store), media), media, alternates)


def void_graph(request: Request, store) -> Graph:
    base = base_url(request)
    ds = URIRef(base + "/.well-known/void#dataset")
    stats = api.stats(request)
    g = Graph()
    g.bind("void", VOID)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("kgraph: bilateral space cooperation between states")))
    g.add((ds, DCTERMS.description, Literal("States, officials, organizations, agreements, projects and meetings "
                                            "extracted from news articles, each fact with its source sentence.")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base + "/sparql")))
    for name in DUMPS:
        g.add((ds, VOID.dataDump, URIRef(f"{base}/dumps/{name}")))
    g.add((ds, VOID.uriSpace, Literal(str(ID))))
    g.add((ds, VOID.exampleResource, URIRef(str(ID) + "state/KZ")))
    g.add((ds, VOID.triples, Literal(stats.triples, datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(api.per_generation(request, "entities", lambda: q.entity_count(store)),
                                      datatype=XSD.integer)))
    g.add((ds, VOID.documents, Literal(stats.documents, datatype=XSD.integer)))
    for vocab in (str(SC), PREFIXES["rdfs"], PREFIXES["skos"], PREFIXES["dcterms"], PREFIXES["prov"],
                  PREFIXES["owl"]):
        g.add((ds, VOID.vocabulary, URIRef(vocab)))
    for name, n in sorted(stats.classes.items()):
        part = URIRef(f"{base}/.well-known/void#class-{name}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], SC[name]))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    return g


# -- dumps --------------------------------------------------------------------------------------


def dump_alternates() -> list[Alternate]:
    return [Alternate(f"/dumps/{name}", "application/gzip", f"{name} ({media}, gzipped)")
            for name, media in DUMPS.items()] + [Alternate("/.well-known/void", "text/turtle", "VoID")]


@router.api_route("/dumps/", methods=["GET", "HEAD"])
def dumps(request: Request) -> Response:
    files = [{"name": name, "media": media, "href": f"/dumps/{name}"} for name, media in DUMPS.items()]
    return render(request, "dumps.html", {"files": files, "stats": api.stats(request)},
                  alternates=dump_alternates())


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"])
def dump(request: Request, name: str, store: StoreDep) -> Response:
    """The whole dataset (every named graph) as gzipped N-Quads, written once per store generation."""
    if name not in DUMPS:
        raise errors.NotFound(f"no dump named {name!r}; see /dumps/")
    path = _dump_file(request, store, name)
    response = FileResponse(path, media_type="application/gzip", filename=name)
    return twin_headers(response, dump_alternates())


def _dump_file(request: Request, store, name: str) -> Path:
    state: dict = api.app_slot(request, "dump_state", dict)
    lock: threading.Lock = api.app_slot(request, "dump_lock", threading.Lock)
    generation = api.write_generation(request)
    with lock:
        done = state.get(name)
        if done and done[0] == generation and done[1].exists():
            return done[1]
        folder: Path = api.app_slot(request, "dump_dir", lambda: _dump_dir(request.app.state.settings.store))
        target = folder / name
        tmp = folder / (name + ".tmp")
        try:
            with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
                # A GzipFile is a binary file (io.BufferedIOBase) and export_store only writes to it, but typeshed
                # does not derive it from the nominal IO[bytes] that export_store, Store.dump and pyoxigraph's
                # serialize are annotated with (python/typeshed#2580), so the cast only says what it is.
                export_store(store, cast(IO[bytes], out), DUMPS[name])
            os.replace(tmp, target)
        except OSError as exc:  # a full or read-only disk: say so, leave no partial file
            tmp.unlink(missing_ok=True)
            raise errors.StoreReadOnly(f"the dump cannot be written: {exc.strerror or exc}") from None
        state[name] = (generation, target)
        return target


def _dump_dir(location: str) -> Path:
    """Next to a local store's data (like its quarantine); a private temporary folder otherwise."""
    if "://" not in location and location != ":memory:":
        folder = Path(location) / "dumps"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return folder
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix="kgraph-dumps-"))
