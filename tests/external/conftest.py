"""Fixtures of the external-store tests: one private Virtuoso per session (see virtuoso_server.py)."""

from __future__ import annotations

import pytest

from . import virtuoso_server


@pytest.fixture(scope="session")
def virtuoso_instance():
    """A running private Virtuoso with SPARQL update rights for the anonymous endpoint user."""
    yield from virtuoso_server.shared()


@pytest.fixture
def virtuoso_store(virtuoso_instance):
    """A RemoteSparqlStore over the instance, emptied of every kgraph graph first."""
    from kgraph.store import open_store

    virtuoso_server.clear(virtuoso_instance)
    store = open_store(virtuoso_instance.store_url)
    yield store
    store.close()
