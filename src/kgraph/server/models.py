"""The JSON API's models: one list envelope, and separate models per direction.

Models named ``…In`` are what clients send; every other model is what the
server answers. Lists always come as :class:`Page` (``{data, count, next}``).
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..articles import DATE_PATTERN, MAX_FIELD_CHARS, URL_PATTERN

T = TypeVar("T")

#: Class names the API accepts as ``type`` filters: the vocabulary's public classes (tests check them
#: against the ontology, so the OpenAPI description can list them).
OrganizationType = Literal["Organization", "SpaceAgency", "GovernmentBody", "Company", "IntergovernmentalBody"]
AgreementType = Literal["Agreement", "Treaty", "Protocol", "Memorandum", "Concept", "Roadmap", "Programme",
                        "Contract"]
PlaceType = Literal["Place", "Spaceport"]
EntityType = Literal["State", "Official", "Post", "Project", "Meeting", OrganizationType, AgreementType, PlaceType]


class Page(BaseModel, Generic[T]):
    """The one list envelope: a slice of the results, how many there are, and the next slice's URL."""

    data: list[T]
    count: int = Field(description="How many items match, over all pages")
    next: str | None = Field(None, description="URL of the next page; null on the last one")


class ErrorDetail(BaseModel):
    """What went wrong: a stable code, a message for people, and the error's own fields."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(description="A stable code (bad-input, not-found, invalid-request, …)")
    message: str = Field(description="What is wrong, for a person")
    errors: list[dict] | None = Field(None, description="For invalid-request: each parameter that failed "
                                                         "validation (loc, msg, type)")


class ErrorBody(BaseModel):
    """The one error shape of every route (``kgraph.server.errors``)."""

    error: ErrorDetail


# -- references and terms ---------------------------------------------------------


class Ref(BaseModel):
    """A link to a resource, with its label when it has one."""

    iri: str
    id: str | None = Field(None, description="The path under https://w3id.org/spacecoop/id/ (also /id/<id> here)")
    label: str | None = None


class Node(BaseModel):
    """The other end of a relation: a resource (``iri``) or a literal (``value``)."""

    iri: str | None = None
    id: str | None = None
    label: str | None = None
    value: str | None = None
    datatype: str | None = None


class Source(BaseModel):
    """Where a fact comes from: the document and the sentence that states it."""

    document: str = Field(description="The sc:Document IRI (also the named graph holding the fact)")
    document_id: str | None = None
    url: str | None = None
    date: dt.date | None = None
    title: str | None = None
    sentence: str | None = Field(None, description="The text of the source sentence")
    sentence_iri: str | None = None


class Relation(BaseModel):
    """One statement about an entity, with the sentences that attest it."""

    property: str = Field(description="The predicate as a compact IRI, such as sc:party")
    predicate: str
    node: Node
    sources: list[Source] = []


# -- entities ---------------------------------------------------------------------


class EntitySummary(BaseModel):
    iri: str
    id: str | None = None
    label: str | None = None
    types: list[str] = Field([], description="Local names of the vocabulary classes, such as Official")
    alt_labels: list[str] = []


class StateOut(EntitySummary):
    iso_code: str | None = None


class OfficialOut(EntitySummary):
    states: list[Ref] = Field([], description="The states the official represents")


class OrganizationOut(EntitySummary):
    states: list[Ref] = Field([], description="The states the organization belongs to")


class AgreementOut(EntitySummary):
    signed_on: dt.date | None = None
    valid_until: str | None = None
    parties: list[Ref] = []
    signatories: list[Ref] = []


class ProjectOut(EntitySummary):
    parties: list[Ref] = []
    located_in: list[Ref] = []


class MeetingOut(EntitySummary):
    held_on: dt.date | None = None
    held_at: list[Ref] = []
    participants: list[Ref] = []
    chairs: list[Ref] = []
    session_of: list[Ref] = []


class PlaceOut(EntitySummary):
    located_in: list[Ref] = []


class DocumentRef(BaseModel):
    iri: str
    id: str | None = None
    url: str | None = None
    date: dt.date | None = None
    title: str | None = None
    outlet: str | None = None


class EntityDetail(EntitySummary):
    """One entity: its own statements, the statements that point at it, and the documents naming it."""

    relations_out: list[Relation] = []
    relations_in: list[Relation] = Field([], description="Statements pointing at it (at most 500)")
    documents: list[DocumentRef] = Field([], description="The newest documents naming it (at most 100; page "
                                         "through all of them with /api/documents?mentions=<id>)")
    documents_count: int = Field(0, description="How many documents name it")


class SearchHit(EntitySummary):
    matched: str = Field(description="The name (label, alias or ISO code) that matched the query")


# -- documents ---------------------------------------------------------------------


class DocumentIn(BaseModel):
    """An article to ingest; the same fields as a corpus JSON line."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"text": "Kazakhstan and Russia signed a roadmap on Baikonur in Moscow on 27 August 2019.",
                      "url": "https://example.org/news/1", "date": "2019-08-27", "outlet": "Example News"}]})

    text: str = Field(min_length=1, description="The article body")
    # white space around a URL or a date is taken away, as when the same article is read from a file
    # (kgraph.articles); the model's patterns describe the fields for clients and allow it
    url: str | None = Field(None, pattern=rf"^\s*{URL_PATTERN}\s*$", max_length=MAX_FIELD_CHARS["url"],
                            description="Where the article was published: an absolute http(s) URL")
    date: str | None = Field(None, pattern=rf"^\s*{DATE_PATTERN}\s*$", description="YYYY-MM-DD",
                             examples=["2019-08-27"])
    outlet: str | None = None
    title: str | None = None
    id: str | None = Field(None, description="The source's own identifier for the article")


class Fact(BaseModel):
    subject: Ref
    property: str
    predicate: str
    node: Node
    sentence: str | None = None


class Issue(BaseModel):
    severity: str
    focus: str
    path: str | None = None
    value: str | None = None
    message: str


class Validation(BaseModel):
    conforms: bool
    violations: list[Issue] = []
    warnings: list[Issue] = []
    rejected_statements: int = 0
    quarantined: bool = Field(False, description="Rejected statements were set aside with their SHACL report")


class ExtractedEntity(BaseModel):
    iri: str
    id: str
    type: str
    label: str
    aliases: list[str] = []


class DocumentCreated(BaseModel):
    """What ``POST /api/documents`` extracted and kept."""

    iri: str
    id: str
    statements: int = Field(description="Statements stored in the document's graph")
    entities: list[ExtractedEntity]
    facts: list[Fact]
    validation: Validation


class DocumentSummary(DocumentRef):
    statements: int = 0


class DocumentDetail(DocumentSummary):
    entities: list[Ref] = []
    facts: list[Fact] = []


class DocumentDeleted(BaseModel):
    iri: str
    id: str
    deleted: Literal[True] = True


# -- figures and timelines ------------------------------------------------------------


class Stats(BaseModel):
    documents: int
    graphs: int
    quads: int
    triples: int
    classes: dict[str, int]


class TimelineEvent(BaseModel):
    """An agreement or a meeting between two states, on the between-states timeline."""

    kind: Literal["agreement", "meeting"]
    iri: str
    id: str | None = None
    label: str | None = None
    types: list[str] = []
    date: dt.date | None = None
    people: list[Ref] = Field([], description="Signatories of the agreement, or participants and chairs of the meeting")
    places: list[Ref] = []


class NetworkNode(Ref):
    state: str | None = Field(None, description="ISO code of the state the person represents, if known")


class NetworkEdge(BaseModel):
    source: str
    target: str
    weight: int
    kinds: list[Literal["met", "signed"]]


class Between(BaseModel):
    """Everything two states did together: agreements and meetings in date order, and who met whom."""

    states: list[Ref]
    events: list[TimelineEvent]
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
