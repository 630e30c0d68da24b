"""Stores: pick a backend from a location string.

``./kgraph-data`` (a directory) opens the embedded Oxigraph store;
``sparql+http://host:port/path`` (or ``sparql+https://``) a remote SPARQL 1.1
server through :mod:`kgraph.store.remote`; ``:memory:`` an in-memory store for tests.
"""

from __future__ import annotations

from .base import QueryResult, Store
from .oxigraph import OxigraphStore


def open_store(location: str, *, read_only: bool = False) -> Store:
    """Open the store named by ``location`` (see the module docstring)."""
    if location.startswith(("sparql+http://", "sparql+https://")):
        from .remote import RemoteSparqlStore

        return RemoteSparqlStore(location.removeprefix("sparql+"), read_only=read_only)
    if location == ":memory:":
        return OxigraphStore(None)
    return OxigraphStore(location, read_only=read_only)


__all__ = ["QueryResult", "Store", "OxigraphStore", "open_store"]
