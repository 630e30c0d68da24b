"""Stores: pick a backend from a location string.

``./kgraph-data`` (a directory) opens the embedded Oxigraph store;
``sparql+http://host:port/path`` (or ``sparql+https://``) a remote SPARQL 1.1
server through :mod:`kgraph.store.remote`; ``:memory:`` an in-memory store for tests.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from .base import QueryResult, Store
from .oxigraph import OxigraphStore


def open_store(location: str, *, read_only: bool = False, create: bool = True) -> Store:
    """Open the store named by ``location`` (see the module docstring). A local store that does not exist is
    created, unless ``create`` is false (a command that only reads: a mistyped path would otherwise be read
    as an empty graph, which ``validate`` said conformed)."""
    if location.startswith(("sparql+http://", "sparql+https://")):
        from .remote import RemoteSparqlStore

        return RemoteSparqlStore(location.removeprefix("sparql+"), read_only=read_only)
    if location.startswith(("http://", "https://")):   # else made into folders named "http:" and the host
        raise StoreError(f"{location} is a URL: a store on a SPARQL server is named sparql+{location}")
    if location == ":memory:":
        return OxigraphStore(None)
    if not create and not Path(location).exists():
        raise StoreError(f"there is no store at {location}: ingest articles into it first, or name another "
                         "with --store or KGRAPH_STORE")
    return OxigraphStore(location, read_only=read_only)


__all__ = ["QueryResult", "Store", "OxigraphStore", "open_store"]
