"""Whole responses of read routes are served again until the next write, and never after it."""

from __future__ import annotations

import pytest
from browser import sample
from server.test_api import AUTH, writable_site

from kgraph.server import response_cache

TURTLE = {"Accept": "text/turtle"}


@pytest.fixture
def writable(tmp_path):
    with writable_site(tmp_path) as s:
        yield s


def cache(response) -> str | None:
    return response.headers.get("x-kgraph-cache")


def test_a_read_is_served_again_until_a_write(writable):
    client = writable.client
    first, again = client.get("/api/documents"), client.get("/api/documents")
    assert (cache(first), cache(again)) == ("miss", "hit")
    assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]
    assert first.json()["count"] == 3

    gone = writable.doc_id(0)
    assert client.delete(f"/api/documents/{gone}", headers=AUTH).status_code == 200
    after = client.get("/api/documents")
    assert cache(after) == "miss" and after.json()["count"] == 2
    assert gone not in after.text


def test_a_post_is_seen_by_the_next_read(writable):
    client = writable.client
    roadmap = sample.articles()[1].article
    writable.app.state.store.drop_graph(roadmap.iri)
    writable.app.state.executor.notify_write()
    assert not client.get("/api/search", params={"q": "rogozin"}).json()["data"]
    assert cache(client.get("/api/search", params={"q": "rogozin"})) == "hit"
    body = {"text": roadmap.text, "url": roadmap.url, "date": "2016-12-26", "outlet": "Kazinform", "title": "Roadmap"}
    assert client.post("/api/documents", json=body, headers=AUTH).status_code == 201
    found = client.get("/api/search", params={"q": "rogozin"})
    assert cache(found) == "miss" and found.json()["data"]


def test_the_key_holds_the_accept_header_and_the_query_string(writable):
    client = writable.client
    html = client.get("/id/state/KZ", headers={"Accept": "text/html"})
    turtle = client.get("/id/state/KZ", headers=TURTLE)
    assert (cache(html), cache(turtle)) == ("miss", "miss")
    assert turtle.headers["content-type"].startswith("text/turtle") and "<html" in html.text.lower()
    assert cache(client.get("/id/state/KZ", headers=TURTLE)) == "hit"
    one, two = client.get("/api/states", params={"limit": 1}), client.get("/api/states", params={"limit": 2})
    assert (cache(one), cache(two)) == ("miss", "miss") and len(two.json()["data"]) == 2


def test_errors_and_sparql_are_not_kept(writable):
    client = writable.client
    assert [cache(client.get("/api/entities/person/nobody-at-all")) for _ in range(2)] == ["miss", "miss"]
    query = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}
    assert cache(client.get("/sparql", params=query)) is None  # the executor caches answers itself


def test_head_is_answered_as_get_without_the_body_and_shares_its_entry(writable):
    client = writable.client
    heads = [client.head("/api/stats") for _ in range(2)]
    assert [(cache(h), h.status_code, h.content) for h in heads] == [("miss", 200, b""), ("hit", 200, b"")]
    get = client.get("/api/stats")
    assert cache(get) == "hit" and get.json()["quads"] > 0
    assert heads[0].headers["content-length"] == get.headers["content-length"]


def test_a_large_response_is_not_kept(writable, monkeypatch):
    monkeypatch.setattr(response_cache, "ENTRY_BYTES", 100)
    assert [cache(writable.client.get("/api/documents")) for _ in range(2)] == ["miss", "miss"]


def test_a_store_written_by_others_is_never_cached(tmp_path):
    """Opened read-only (another process owns it), no write would tell this server that it changed."""
    from fastapi.testclient import TestClient

    from kgraph.server.app import create_app
    from kgraph.settings import Settings
    from kgraph.store import open_store

    folder = tmp_path / "store"
    with sample.site(tmp_path):
        pass
    owner = open_store(str(folder))
    try:
        reader = open_store(str(folder), read_only=True)
        with TestClient(create_app(Settings(store=str(folder)), store=reader)) as client:
            first, again = client.get("/api/documents"), client.get("/api/documents")
            assert first.status_code == again.status_code == 200
            assert (cache(first), cache(again)) == (None, None)
        reader.close()
    finally:
        owner.close()
