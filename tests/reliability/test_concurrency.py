"""Concurrent use through the real HTTP server: readers never see half a document.

One writer ingests and deletes documents through ``POST``/``DELETE
/api/documents`` (with the write token) while reader threads query the same
server through ``/sparql`` and ``/api/documents/{id}``. Every observation is
logged and checked afterwards against the document's full size:

* each document's named graph holds 0 or all of its statements, and its
  share of the union default graph (the triples about its attestations and
  sentences, which no other document has) is 0 or all of it, in the same
  snapshot as its named graph;
* the union holds ``<doc> a sc:Document`` exactly for the documents whose
  graph exists;
* ``GET /api/documents/{id}`` is a 404 or the whole document;
* a write is visible to every request that starts after it returned;
* no request fails (every status is one the route promises).

The run is bounded: a fixed number of writes, readers stop with the writer or
at a request cap, loopback only.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict

import httpx
import pytest

from .helpers import ServerProcess, sparql_select, synthetic_articles

TOKEN = "reliability-write-token-7f3a"
ROUNDS = 3
CHURNED = 6
READERS = 3
READER_CAP = 1500

COUNTS = """
PREFIX sc: <https://w3id.org/spacecoop/ontology#>
SELECT ?doc ?where (COUNT(*) AS ?n) WHERE {
  VALUES ?doc { %(docs)s }
  { GRAPH ?doc { ?s ?p ?o } BIND("named" AS ?where) }
  UNION
  { ?s ?p ?o FILTER(STRSTARTS(STR(?s), CONCAT(STR(?doc), "#"))) BIND("union" AS ?where) }
  UNION
  { ?doc a sc:Document BIND("typed" AS ?where) }
} GROUP BY ?doc ?where
"""


def counts(client: httpx.Client, docs: list[str]) -> dict[str, dict[str, int]]:
    """One query, so one snapshot: ``{doc: {"named": n, "union": n, "typed": 0|1}}``."""
    rows = sparql_select(client, COUNTS % {"docs": " ".join(f"<{d}>" for d in docs)})
    out: dict[str, dict[str, int]] = {d: {"named": 0, "union": 0, "typed": 0} for d in docs}
    for row in rows:
        out[row["doc"]["value"]][row["where"]["value"]] = int(row["n"]["value"])
    return out


@pytest.fixture
def server(tmp_path, small_batch):
    store = small_batch.fresh_copy(tmp_path / "store")
    with ServerProcess(store, tmp_path / "server.log", token=TOKEN) as srv:
        yield srv


def test_readers_never_see_half_a_document(server):
    articles = synthetic_articles(CHURNED, seed=99)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    full: dict[str, dict] = {}  # doc IRI -> its counts and API detail when whole (seen by the writer alone)
    observed: list[tuple[str, str, dict]] = []
    failures: list[str] = []
    done = threading.Event()
    docs: list[str] = []
    ready = threading.Event()

    def writer() -> None:
        try:
            with httpx.Client(base_url=server.url, timeout=120) as client:
                for _round in range(ROUNDS):
                    for article in articles:
                        r = client.post("/api/documents", json=article, headers=auth)
                        assert r.status_code == 201, f"POST {r.status_code}: {r.text[:500]}"
                        iri, key = r.json()["iri"], r.json()["id"]
                        now = counts(client, [iri])[iri]
                        detail = client.get(f"/api/documents/{key}")
                        assert detail.status_code == 200, detail.text[:500]
                        assert now["named"] == r.json()["statements"] > 0 and now["typed"] == 1, now
                        snapshot = {**now, "detail": detail.json()}
                        assert full.setdefault(iri, snapshot) == snapshot, "a re-ingest changed the document"
                        if iri not in docs:
                            docs.append(iri)
                    ready.set()
                    for iri in docs:
                        key = iri.rsplit("/", 1)[1]
                        r = client.delete(f"/api/documents/{key}", headers=auth)
                        assert r.status_code == 200, f"DELETE {r.status_code}: {r.text[:500]}"
                        assert counts(client, [iri])[iri] == {"named": 0, "union": 0, "typed": 0}
                        assert client.get(f"/api/documents/{key}").status_code == 404
        except (AssertionError, KeyError, httpx.HTTPError) as exc:  # reported below, with the readers' failures
            failures.append(f"writer: {exc!r}")
        finally:
            ready.set()
            done.set()

    def reader(n: int) -> None:
        ready.wait(300)
        with httpx.Client(base_url=server.url, timeout=120) as client:
            for i in range(READER_CAP):
                if done.is_set():
                    break
                try:
                    if i % 3 == 2:
                        iri = docs[(i + n) % len(docs)]
                        r = client.get(f"/api/documents/{iri.rsplit('/', 1)[1]}")
                        if r.status_code not in (200, 404):
                            failures.append(f"GET document: {r.status_code} {r.text[:300]}")
                        elif r.status_code == 200:
                            observed.append((iri, "detail", r.json()))
                    else:
                        for iri, seen in counts(client, list(docs)).items():
                            observed.append((iri, "counts", seen))
                except (httpx.HTTPError, AssertionError) as exc:
                    failures.append(f"reader {n}: {exc!r}")

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert not any(t.is_alive() for t in threads), "the run did not end in 10 minutes"
    assert not failures, "\n".join(failures[:20])

    partial = defaultdict(list)
    for iri, kind, seen in observed:
        whole = full[iri]
        if kind == "counts":
            if seen != {"named": 0, "union": 0, "typed": 0} and seen != {k: whole[k] for k in seen}:
                partial[iri].append(seen)
        elif seen != whole["detail"]:
            partial[iri].append({"statements": seen.get("statements"), "facts": len(seen.get("facts", [])),
                                 "whole": whole["detail"]["statements"]})
    assert not partial, f"half documents seen: {dict(partial)}"
    seen = [s for _, kind, s in observed if kind == "counts"]
    present, absent = sum(1 for s in seen if s["named"]), sum(1 for s in seen if not s["named"])
    details = sum(1 for _, kind, _ in observed if kind == "detail")
    assert present and absent and details, (f"the readers did not overlap the writes: {present} present, "
                                            f"{absent} absent, {details} details in {time.monotonic() - t0:.0f}s")
    assert "Traceback" not in server.log(), server.log()[-3000:]


def test_document_read_during_its_delete_is_whole_or_404(server):
    """Regression: ``GET /api/documents/{id}`` read the document in several queries without one snapshot, so
    a delete landing between them gave a 200 with half a document (no statements but its facts, or the
    reverse). It now reads the document's graph once."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.url, timeout=120) as client:
        r = client.post("/api/documents", json=synthetic_articles(1, seed=77)[0], headers=auth)
        assert r.status_code == 201, r.text[:300]
        iri, key = r.json()["iri"], r.json()["id"]
        whole = client.get(f"/api/documents/{key}").json()
        turtle = client.get("/rdf-graphs", params={"graph": iri}, headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200, turtle.text[:300]
    stop = threading.Event()
    halves: list[dict] = []
    failures: list[str] = []

    def read() -> None:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            for _ in range(3000):
                if stop.is_set():
                    return
                r = client.get(f"/api/documents/{key}")
                if r.status_code == 200 and r.json() != whole:
                    halves.append({"statements": r.json()["statements"], "facts": len(r.json()["facts"]),
                                   "entities": len(r.json()["entities"])})
                elif r.status_code not in (200, 404):
                    failures.append(f"{r.status_code} {r.text[:200]}")

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            for _ in range(60):
                assert client.delete(f"/api/documents/{key}", headers=auth).status_code == 200
                r = client.put("/rdf-graphs", params={"graph": iri}, content=turtle.content,
                               headers={"Content-Type": "text/turtle", **auth})
                assert r.status_code in (201, 204), r.text[:300]
    finally:
        stop.set()
        for t in readers:
            t.join(120)
    assert not failures, failures[:5]
    assert not halves, f"{len(halves)} half documents served, e.g. {halves[:3]} (whole: {whole['statements']})"
