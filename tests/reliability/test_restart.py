"""Restart: a server restarted on the same store answers the same queries with the same results,
whether it was stopped cleanly or killed with SIGKILL just after a write."""

from __future__ import annotations

import json
import signal
import time

import httpx
import pytest
from shared_paths import QUERIES, need_shared

from .helpers import ServerProcess, alive, children_of, synthetic_articles

TOKEN = "restart-token-0b9c"
API_ROUTES = ["/api/stats", "/api/states", "/api/agreements", "/api/officials", "/api/meetings",
              "/api/documents", "/api/search?q=Roscosmos"]


def answers(url: str) -> dict[str, object]:
    """Every analyst query (rows order-free unless the query orders them) and the main API lists."""
    out: dict[str, object] = {}
    with httpx.Client(base_url=url, timeout=120) as client:
        for path in sorted(need_shared(QUERIES).glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            r = client.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200, f"{path.name}: {r.status_code} {r.text[:300]}"
            rows = [json.dumps(b, sort_keys=True) for b in r.json()["results"]["bindings"]]
            out[path.name] = rows if "ORDER BY" in text else sorted(rows)
        for route in API_ROUTES:
            r = client.get(route)
            assert r.status_code == 200, f"{route}: {r.status_code} {r.text[:300]}"
            out[route] = json.loads(r.text.replace(url, ""))  # "next" links name this server's port
    return out


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGKILL"])
def test_restarted_server_gives_the_same_answers(tmp_path, small_batch, stop):
    store = small_batch.fresh_copy(tmp_path / "store")
    log = tmp_path / "server.log"
    with ServerProcess(store, log, token=TOKEN) as first:
        r = httpx.post(first.url + "/api/documents", json=synthetic_articles(1, seed=5)[0], timeout=120,
                       headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201, r.text[:500]
        before = answers(first.url)
        if stop == "SIGKILL":
            workers = children_of(first.proc.pid)
            first.proc.send_signal(signal.SIGKILL)
            first.proc.wait(30)
            deadline = time.monotonic() + 20
            while any(alive(w) for w in workers) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not [w for w in workers if alive(w)], "query workers outlived their killed server"
    assert any(row for name, row in before.items() if name.endswith(".rq")), "the analyst queries found nothing"
    with ServerProcess(store, log) as second:
        assert answers(second.url) == before
