"""One typed settings object, read from ``KGRAPH_*`` environment variables.

The CLI builds it from its options, the server receives it in ``create_app``;
nothing reads the environment anywhere else.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


def _default_resource(name: str) -> Path:
    """Ontology, shapes and data live at the repository top level (see README)."""
    return REPO_ROOT / name


def _default_query_workers() -> int:
    """Two query workers per CPU this process may use, from 2 to 8.

    Why more than one per CPU: a worker sits idle while the server takes its answer and hands it the
    next query, so with one per CPU the cores were partly idle under load; with two per CPU on the
    project's 2-core machine the HTTP benchmark's queries 01 and 02 ran about a fifth faster (alternating
    runs, 2026-12-07: 01 at 530 against 675 requests/s on average, 02 at 239 against 281), as the
    workers of a WSGI server are set above the cores (gunicorn's rule: 2 × cores + 1). Why at most 8:
    each worker holds its own store handle and caches (60-120 MB at a million quads)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:                       # not Linux
        cpus = os.cpu_count() or 1
    return max(2, min(8, 2 * cpus))


class Settings(BaseSettings):
    """Every knob of kgraph; each is documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="KGRAPH_", extra="ignore")

    store: str = Field("./kgraph-data", description="Store directory, or a sparql+http(s):// URL of a remote SPARQL 1.1 server")
    ontology_path: Path = Field(default_factory=lambda: _default_resource("ontology") / "spacecoop.ttl")
    shapes_path: Path = Field(default_factory=lambda: _default_resource("shapes") / "spacecoop.ttl")
    data_dir: Path = Field(default_factory=lambda: _default_resource("data"))
    spacy_model: str | None = Field(None, description="An installed trained spaCy pipeline whose NER may add evidence")
    write_token: str | None = Field(None, description="Bearer token that enables writes on the server; none = read-only")
    query_timeout: float = Field(10.0, gt=0, description="Seconds before a SPARQL query is stopped")
    max_results: int = Field(10000, gt=0, description="Rows (or triples) at most in one query answer")
    max_query_length: int = Field(100_000, gt=0, description="Characters at most in one query")
    validation_engine: Literal["compiled", "pyshacl"] = Field(
        "compiled", description="Per-document SHACL validation at ingest: the shapes compiled to Python checks, "
                                "or pySHACL (the reference, some seventy times slower)")
    max_article_bytes: int = Field(5_000_000, gt=0, description="Largest article text accepted, in bytes")
    commit_batch: int = Field(100, gt=0, description="New documents written together by a batch ingest (on the "
                                                      "embedded store all or none of a batch); 1 = one "
                                                      "transaction per document")
    query_workers: int = Field(default_factory=_default_query_workers, gt=0,
                               description="Worker processes that run SPARQL queries for the server")
    allow_service: bool = Field(False, description="Allow SERVICE (federated) queries; off by default")
    base_url: str | None = Field(None, description="Public base URL of the server, if it differs from the request's")

    @field_validator("store")
    @classmethod
    def _store_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("store must be a directory or a sparql+http:// URL")
        return value
