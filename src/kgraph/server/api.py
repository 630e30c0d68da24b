"""The JSON API for developers, under ``/api``.

Lists share one envelope (:class:`~kgraph.server.models.Page`: ``data``,
``count``, ``next``), one stable order and bounded ``limit``/``offset``
pagination. Every route declares its response model; operation ids are the
function names. Writes (``POST``/``DELETE /api/documents``) need the write
token and go through the same :class:`~kgraph.ingest.Ingestor` as the CLI.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Annotated, Any, TypeVar, cast

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from pydantic import BeforeValidator

from .. import errors
from ..articles import article_from_mapping
from ..ingest import DocumentOutcome, delete_document
from ..namespaces import DOCUMENT_BASE
from ..stats import graph_stats
from . import deps
from . import models as m
from . import queries as q
from .deps import SettingsDep, StoreDep

T = TypeVar("T")


def operation_id(route: APIRoute) -> str:
    """Clean operation ids: the route function's name (``list_agreements``)."""
    return route.name


#: Declared on every route, with the one error shape; 422 replaces FastAPI's own ``HTTPValidationError``,
#: which this server never sends (its validation errors come in the same shape as every other).
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "model": m.ErrorBody}
    for status, description in [(400, "Bad input"), (404, "Not found"), (422, "Invalid parameters")]}
router = APIRouter(prefix="/api", tags=["api"], generate_unique_id_function=operation_id, responses=_ERRORS)

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
ISO_CODE = r"^[A-Za-z]{2}$"
DOCUMENT_ID = r"^[0-9a-f]{1,64}$"

def _iso_date(value: object) -> object:
    """Dates in queries are ``YYYY-MM-DD`` only (pydantic alone would also take ``0`` as 1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date must look like YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")]
StateCode = Annotated[str | None, Query(pattern=ISO_CODE, description="ISO 3166-1 alpha-2 code, such as KZ")]
DocumentId = Annotated[str, Path(pattern=DOCUMENT_ID, description="The hexadecimal key ending the document IRI")]
_INIT = threading.Lock()


# -- per-app state shared with the other routers -------------------------------------------


def write_generation(request: Request) -> int:
    """A number that changes whenever this server writes the store (the executor counts writes)."""
    return request.app.state.executor.generation


def app_slot(request: Request, name: str, factory: Callable[[], T]) -> T:
    state = request.app.state
    value = getattr(state, name, None)
    if value is None:
        with _INIT:
            value = getattr(state, name, None)
            if value is None:
                value = factory()
                setattr(state, name, value)
    return value


def per_generation(request: Request, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per write generation (figures that scan the whole store)."""
    cache: dict = app_slot(request, "generation_cache", dict)
    generation = write_generation(request)
    hit = cache.get(key)
    if hit is not None and hit[0] == generation:
        return hit[1]
    value = compute()
    cache[key] = (generation, value)
    return value


def label_index(request: Request) -> q.LabelIndex:
    """The in-memory name index, refreshed when the store has been written since it was built."""
    index = app_slot(request, "label_index", q.LabelIndex)
    index.refresh(request.app.state.store, write_generation(request))
    return index


def vocabulary(request: Request) -> q.Vocabulary:
    return q.vocabulary(request.app.state.settings.ontology_path)


def stats(request: Request) -> m.Stats:
    return per_generation(request, "stats", lambda: m.Stats(**graph_stats(request.app.state.store)))


def warm_up(app: FastAPI) -> None:
    """Build the name index and the figures before the first request instead of during it.

    At a million quads they take a few seconds of CPU in this process; built by
    the first search or home page, they held up every request arriving meanwhile
    (the load test's p99). Called once at start; a write rebuilds them on demand.
    """
    holder = cast(Request, SimpleNamespace(app=app))  # the helpers read only ``request.app``
    label_index(holder)
    stats(holder)


def page(request: Request, data: list[T], count: int, limit: int, offset: int) -> m.Page[T]:
    """The list envelope; ``next`` keeps every other query parameter, under the public base URL when one
    is set (``KGRAPH_BASE_URL``: behind a proxy the request's own host is not one a client can reach)."""
    following = None
    if offset + limit < count:
        url = request.url.include_query_params(offset=offset + limit, limit=limit)
        following = f"{deps.base_url(request)}{url.path}?{url.query}"
    return m.Page(data=data, count=count, next=following)


def entity_or_404(request: Request, path: str) -> m.EntityDetail:
    try:
        detail = q.entity(request.app.state.store, q.id_iri(path))
    except errors.InputError:
        detail = None
    if detail is None:
        raise errors.NotFound(f"nothing is known about /id/{path}")
    return detail


# -- figures and search ---------------------------------------------------------------------


@router.get("/stats", response_model=m.Stats, summary="Figures about the graph")
def get_stats(request: Request) -> m.Stats:
    return stats(request)


@router.get("/search", response_model=m.Page[m.SearchHit], summary="Find entities by any of their names")
def search(request: Request, q_: Annotated[str, Query(alias="q", min_length=1, max_length=200)],
           type: m.EntityType | None = None, limit: Limit = 20, offset: Offset = 0) -> m.Page[m.SearchHit]:
    """Labels, aliases and ISO codes, ignoring case and accents: ``bayterek`` finds Baiterek, ``etudes`` finds
    the Centre national d'études spatiales. Exact names first, then names starting with the query."""
    types = vocabulary(request).classes(type) if type else None
    hits = label_index(request).search(q_, types=types)
    return page(request, hits[offset:offset + limit], len(hits), limit, offset)


# -- entity lists ----------------------------------------------------------------------------


def _list(request: Request, kind: str, filters: q.Filters, type_: str | None, limit: int, offset: int):
    data, count = q.list_entities(request.app.state.store, vocabulary(request), kind, filters, type_=type_,
                                  limit=limit, offset=offset)
    return page(request, data, count, limit, offset)


@router.get("/states", response_model=m.Page[m.StateOut], summary="States")
def list_states(request: Request, limit: Limit = 50, offset: Offset = 0) -> m.Page[m.StateOut]:
    return _list(request, "states", q.Filters([]), None, limit, offset)


@router.get("/officials", response_model=m.Page[m.OfficialOut], summary="Officials, by the state they represent")
def list_officials(request: Request, state: StateCode = None, limit: Limit = 50,
                   offset: Offset = 0) -> m.Page[m.OfficialOut]:
    return _list(request, "officials", q.Filters(q.state_filter("sc:represents", [state] if state else [])),
                 None, limit, offset)


@router.get("/organizations", response_model=m.Page[m.OrganizationOut],
            summary="Organizations, by state and by type")
def list_organizations(request: Request, state: StateCode = None, type: m.OrganizationType | None = None,
                       limit: Limit = 50, offset: Offset = 0) -> m.Page[m.OrganizationOut]:
    """``type`` is Organization or one of its subclasses: SpaceAgency, GovernmentBody, Company,
    IntergovernmentalBody."""
    return _list(request, "organizations", q.Filters(q.state_filter("sc:ofState", [state] if state else [])),
                 type, limit, offset)


@router.get("/agreements", response_model=m.Page[m.AgreementOut],
            summary="Agreements, by party, pair of parties, date signed and type")
def list_agreements(request: Request,
                    party: Annotated[list[Annotated[str, Query(pattern=ISO_CODE)]], Query(
                        max_length=10, description="A party's ISO code; repeat for agreements between all of them")
                    ] = [],  # noqa: B006 - FastAPI copies defaults
                    signed_from: IsoDate | None = None, signed_to: IsoDate | None = None,
                    type: m.AgreementType | None = None, limit: Limit = 50,
                    offset: Offset = 0) -> m.Page[m.AgreementOut]:
    """Newest first; undated agreements last."""
    filters = q.Filters(q.state_filter("sc:party", party), "sc:signedOn", signed_from, signed_to)
    return _list(request, "agreements", filters, type, limit, offset)


@router.get("/projects", response_model=m.Page[m.ProjectOut], summary="Joint projects, by party")
def list_projects(request: Request, party: StateCode = None, limit: Limit = 50,
                  offset: Offset = 0) -> m.Page[m.ProjectOut]:
    return _list(request, "projects", q.Filters(q.state_filter("sc:party", [party] if party else [])), None,
                 limit, offset)


@router.get("/meetings", response_model=m.Page[m.MeetingOut],
            summary="Meetings, by date and by state or participant")
def list_meetings(request: Request, state: StateCode = None,
                  participant: Annotated[str | None, Query(
                      max_length=300, description="The /id/ path of a participant or chair, such as "
                                                  "person/yuri-borisov")] = None,
                  held_from: IsoDate | None = None, held_to: IsoDate | None = None, limit: Limit = 50,
                  offset: Offset = 0) -> m.Page[m.MeetingOut]:
    """A meeting involves a state when the state, or an official representing it, took part or chaired.
    Newest first; undated meetings last."""
    patterns = []
    if state:
        patterns.append(q.involves_state(state))
    if participant:
        patterns.append(q.involves(q.id_iri(participant.strip("/"))))
    return _list(request, "meetings", q.Filters(patterns, "sc:heldOn", held_from, held_to), None, limit, offset)


@router.get("/places", response_model=m.Page[m.PlaceOut], summary="Places, by the state they are in")
def list_places(request: Request, state: StateCode = None, limit: Limit = 50,
                offset: Offset = 0) -> m.Page[m.PlaceOut]:
    return _list(request, "places", q.Filters(q.state_filter("sc:locatedIn", [state] if state else [])), None,
                 limit, offset)


@router.get("/entities/{path:path}", response_model=m.EntityDetail, summary="One entity, its relations and sources")
def get_entity(request: Request, path: Annotated[str, Path(description="The path under /id/, such as state/KZ")]
               ) -> m.EntityDetail:
    """Relations out and in; each fact lists the documents and sentences that state it."""
    return entity_or_404(request, path)


@router.get("/between/{a}/{b}", response_model=m.Between, summary="What two states did together",
            responses={307: {"description": "The same state twice: its own description"}})
def get_between(request: Request, a: Annotated[str, Path(pattern=ISO_CODE)],
                b: Annotated[str, Path(pattern=ISO_CODE)]):
    """Agreements both are party to and meetings both took part in, oldest first, and who met or signed with
    whom."""
    return between_or_404(request, a, b) if a.upper() != b.upper() else \
        RedirectResponse(f"/api/entities/state/{a.upper()}", status_code=307)


def between_or_404(request: Request, a: str, b: str) -> m.Between:
    """Two states' timeline and network; 404 unless both are known states."""
    result = q.between(request.app.state.store, vocabulary(request), a, b)
    missing = [s.iri.rsplit("/", 1)[-1] for s in result.states if s.label is None]
    if missing:
        raise errors.NotFound(f"unknown state code {', '.join(missing)}")
    return result


# -- documents --------------------------------------------------------------------------------


@router.get("/documents", response_model=m.Page[m.DocumentSummary], summary="Source documents, newest first")
def list_documents(request: Request, store: StoreDep, issued_from: IsoDate | None = None,
                   issued_to: IsoDate | None = None,
                   mentions: Annotated[str | None, Query(max_length=300, description="The /id/ path of an entity "
                                                         "the documents name, such as state/KZ")] = None,
                   limit: Limit = 50, offset: Offset = 0) -> m.Page[m.DocumentSummary]:
    filters = q.document_filters(issued_from, issued_to, q.id_iri(mentions.strip("/")) if mentions else None)
    data, count = q.list_documents(store, filters, limit=limit, offset=offset)
    return page(request, data, count, limit, offset)


@router.get("/documents/{id}", response_model=m.DocumentDetail, summary="One document with its statements")
def get_document(store: StoreDep, id: DocumentId) -> m.DocumentDetail:
    detail = q.document(store, q.document_iri(id))
    if detail is None:
        raise errors.NotFound(f"no document {id}")
    return detail


def create_document(request: Request, body: m.DocumentIn, settings: SettingsDep) -> m.DocumentCreated:
    """Runs the ingest pipeline (extract, build, validate, commit) on one article. Statements that violate the
    shapes are quarantined, not stored; the answer says what was extracted and what validation made of it.
    Posting the same article again (same URL, or same text without URL) replaces its document."""
    article = article_from_mapping(body.model_dump(), where="request", max_bytes=settings.max_article_bytes)
    ingestor = deps.get_ingestor(request)
    try:
        with app_slot(request, "ingest_lock", threading.Lock):
            outcome = ingestor.ingest_article(article)
    finally:  # even a failure after the commit (the quarantine file) must invalidate the caches
        request.app.state.executor.notify_write()
    return created(outcome)


# its route class checks the token and caps the body before FastAPI reads the body (deps.WriteRoute)
router.add_api_route("/documents", create_document, methods=["POST"], response_model=m.DocumentCreated,
                     status_code=201, summary="Ingest an article",
                     route_class_override=deps.WriteRoute,
                     responses={401: {"description": "No write token"},
                                403: {"description": "Read-only server or wrong token"},
                                413: {"description": "The body is longer than an article at the limit can be"}})


@router.delete("/documents/{id}", response_model=m.DocumentDeleted, dependencies=[deps.WriteAccess],
               summary="Remove a document and exactly its statements",
               responses={401: {"description": "No write token"},
                          403: {"description": "Read-only server or wrong token"}})
def delete_document_route(request: Request, store: StoreDep, settings: SettingsDep,
                          id: DocumentId) -> m.DocumentDeleted:
    iri = q.document_iri(id)
    try:
        with app_slot(request, "ingest_lock", threading.Lock):
            deleted = delete_document(store, iri, settings)
    finally:
        request.app.state.executor.notify_write()
    if not deleted:
        raise errors.NotFound(f"no document {id}")
    return m.DocumentDeleted(iri=iri, id=id)


def _only(path: str, allowed: list[str]) -> None:
    """405 with the full ``Allow`` list on a path that has several methods (Starlette names only the first)."""
    def method_not_allowed() -> None:
        raise HTTPException(405, detail=f"{router.prefix}{path} allows {', '.join(allowed)}",
                            headers={"Allow": ", ".join(allowed)})

    others = sorted({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} - set(allowed))  # HEAD is GET
    router.add_api_route(path, method_not_allowed, methods=others, include_in_schema=False,
                         name=f"not_allowed_{path.strip('/').replace('/', '_').strip('{}')}")


_only("/documents", ["GET", "HEAD", "POST"])
_only("/documents/{id}", ["GET", "HEAD", "DELETE"])


def created(outcome: DocumentOutcome) -> m.DocumentCreated:
    """The 201 answer: the extraction in API terms, and the validation outcome."""
    extraction = outcome.extraction
    entities, facts = [], []
    if extraction is not None:
        by_key = extraction.entities
        sentences = {s.index: s.text for s in extraction.sentences}
        entities = [m.ExtractedEntity(iri=q.id_iri(e.key), id=e.key, type=e.type, label=e.label,
                                      aliases=sorted(e.aliases - {e.label})) for e in by_key.values()]
        for f in extraction.facts:
            subject = by_key.get(f.subject)
            obj = by_key.get(f.obj) if f.datatype is None else None
            target = (m.Node(value=f.obj, datatype=q.XSD_NS + f.datatype) if f.datatype else
                      m.Node(iri=q.id_iri(f.obj), id=f.obj, label=obj.label if obj else None))
            predicate = q.SC_NS + f.predicate
            facts.append(m.Fact(subject=m.Ref(iri=q.id_iri(f.subject), id=f.subject,
                                              label=subject.label if subject else None),
                                property=q.curie(predicate), predicate=predicate, node=target,
                                sentence=sentences.get(f.sentence) if f.sentence is not None else None))
    issues = [[m.Issue(severity=i.severity, focus=str(i.focus), path=i.path, value=i.value, message=i.message)
               for i in group] for group in (outcome.violations, outcome.warnings)]
    return m.DocumentCreated(
        iri=outcome.iri, id=outcome.iri.removeprefix(DOCUMENT_BASE), statements=outcome.statements,
        entities=entities, facts=facts,
        validation=m.Validation(conforms=not outcome.violations, violations=issues[0], warnings=issues[1],
                                rejected_statements=outcome.rejected, quarantined=outcome.quarantine is not None))
