"""At start, a server whose refresh of the base graphs wrote to its store compacts it once, before serving."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kgraph.ingest import ensure_base_graphs
from kgraph.server import create_app
from kgraph.settings import Settings
from kgraph.store.oxigraph import OxigraphStore

QUERY = {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}
JSON = {"Accept": "application/sparql-results+json"}


def test_ensure_base_graphs_says_whether_it_wrote(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    try:
        settings = Settings(store=str(tmp_path / "store"))
        assert ensure_base_graphs(store, settings) is True
        assert ensure_base_graphs(store, settings) is False
    finally:
        store.close()


def test_the_server_compacts_only_after_a_start_up_write(tmp_path, monkeypatch):
    calls: list[str] = []
    original = OxigraphStore.optimize

    def optimize(self):
        calls.append(self.location)
        original(self)

    monkeypatch.setattr(OxigraphStore, "optimize", optimize)
    settings = Settings(store=str(tmp_path / "store"))
    with TestClient(create_app(settings)) as client:  # a new store: the base graphs are written
        first = client.post("/sparql", data=QUERY, headers=JSON)
        assert first.status_code == 200
    assert calls == [str(tmp_path / "store")]
    with TestClient(create_app(settings)) as client:  # nothing stale: nothing written, nothing compacted
        second = client.post("/sparql", data=QUERY, headers=JSON)
    assert calls == [str(tmp_path / "store")]
    assert second.json() == first.json() and int(first.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_compaction_keeps_every_quad(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    try:
        ensure_base_graphs(store, Settings(store=str(tmp_path / "store")))
        before = sorted(map(str, store._store))
        store.optimize()
        assert sorted(map(str, store._store)) == before
    finally:
        store.close()
