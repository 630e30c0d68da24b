"""The query executor: worker processes over store snapshots, a timeout that kills, writes made visible."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from reliability.test_security import Canary  # the loopback server that records calls

from kgraph.errors import KgraphError, QueryError, QueryTimeout, StoreError
from kgraph.server import netguard
from kgraph.server.executor import SNAPSHOTS, QueryExecutor
from kgraph.settings import Settings
from kgraph.store.oxigraph import OxigraphStore

JSON = "application/sparql-results+json"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def run(coro):
    return asyncio.run(coro)


def bindings(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def count(answer: tuple[bytes, str, bool]) -> int:
    return int(bindings(answer[0])[0]["n"]["value"])


def numbered(n: int, graph: str = "urn:g") -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"{graph}/s{i}"), URIRef("urn:p"), Literal(i)))
    return g


@pytest.fixture
def store(fresh_store):
    st = OxigraphStore(fresh_store)
    yield st
    st.close()


@pytest.fixture
def executor(store):
    ex = QueryExecutor(Settings(store=store.location, query_timeout=2, max_results=5, query_workers=2), store)
    yield ex
    ex.close()


def test_queries_run_in_worker_processes_and_are_cut_at_max_results(executor):
    assert executor.mode == "process"
    body, media, truncated = run(executor.run("SELECT ?s WHERE { ?s a ?t }", JSON))
    assert media == JSON and truncated and len(bindings(body)) == 5
    assert b"urn:kgraph:truncated" in body
    body, media, truncated = run(executor.run("SELECT ?s WHERE { ?s a ?t } LIMIT 2", "text/csv"))
    assert media == "text/csv" and not truncated and body.count(b"\r\n") == 3
    body, media, _ = run(executor.run("CONSTRUCT WHERE { ?s a ?t } LIMIT 3", "text/turtle"))
    assert media == "text/turtle" and Graph().parse(data=body, format="turtle")
    pids = {w.process.pid for w in executor._workers}
    assert len(pids) == 2 and os.getpid() not in pids


def test_a_syntax_error_comes_back_as_the_query_error_with_its_position(executor):
    with pytest.raises(QueryError) as info:
        run(executor.run("SELECT * WHERE {\n ?s ?p ", JSON))
    assert "2:" in info.value.message and info.value.status == 400


def test_a_runaway_query_is_killed_while_another_is_answered(executor):
    async def both():
        t0 = time.monotonic()
        heavy = asyncio.ensure_future(executor.run(CARTESIAN, JSON))
        await asyncio.sleep(0.3)
        quick = await executor.run("ASK { ?s ?p ?o }", JSON)
        quick_seconds = time.monotonic() - t0
        with pytest.raises(QueryTimeout):
            await heavy
        return quick, quick_seconds, time.monotonic() - t0

    before = {w.process for w in executor._workers}
    threads = threading.active_count()
    quick, quick_seconds, heavy_seconds = run(both())
    assert b"true" in quick[0] and quick_seconds < heavy_seconds - 0.5  # answered while the heavy one ran
    assert 2 <= heavy_seconds < 6
    killed = before - {w.process for w in executor._workers}
    assert len(killed) == 1 and not next(iter(killed)).is_alive(), "the runaway worker was not killed"
    assert len(executor._workers) == 2, "the killed worker was not replaced"
    assert threading.active_count() <= threads + 1  # at most asyncio's snapshot helper thread
    assert count(run(executor.run("SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }", JSON))) > 0


def test_more_runaways_than_workers_are_all_stopped_and_the_pool_recovers(executor):
    async def many():
        return await asyncio.gather(*(executor.run(CARTESIAN, JSON) for _ in range(4)), return_exceptions=True)

    results = run(many())
    assert all(isinstance(r, QueryTimeout) for r in results), results
    assert len(executor._workers) == 2 and all(w.process.is_alive() for w in executor._workers)
    assert b"true" in run(executor.run("ASK { ?s ?p ?o }", JSON))[0]


def test_a_worker_killed_from_outside_is_replaced(executor):
    for worker in list(executor._workers):
        worker.process.kill()
        worker.process.join(5)
    assert b"true" in run(executor.run("ASK { ?s ?p ?o }", JSON))[0]


def test_writes_are_seen_after_notify_write_and_old_snapshots_go(executor, store):
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:g> { ?s ?p ?o } }"
    assert count(run(executor.run(query, JSON))) == 0
    generation = executor.generation
    for n in (3, 7, 11):
        store.replace_graph("urn:g", numbered(n))
        executor.notify_write()
        assert count(run(executor.run(query, JSON))) == n
    assert executor.generation == generation + 3
    snapshots = list((Path(store.location) / SNAPSHOTS).iterdir())
    assert 1 <= len(snapshots) <= len(executor._workers) + 1, snapshots
    executor.close()
    assert not (Path(store.location) / SNAPSHOTS).exists()
    executor.close()  # idempotent


def test_snapshots_left_by_a_crashed_run_are_removed_at_start(store):
    stale = Path(store.location) / SNAPSHOTS / "g7-3"
    stale.mkdir(parents=True)
    ex = QueryExecutor(Settings(store=store.location, query_workers=1), store)
    try:
        assert not stale.exists()
    finally:
        ex.close()


def test_a_read_only_store_is_read_in_place(fresh_store):
    st = OxigraphStore(fresh_store, read_only=True)
    ex = QueryExecutor(Settings(store=str(fresh_store), query_workers=1), st)
    try:
        assert count(run(ex.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON))) > 0
        assert not (Path(fresh_store) / SNAPSHOTS).exists()
    finally:
        ex.close()
        st.close()


def test_an_in_memory_store_runs_in_threads_with_the_timeout():
    st = OxigraphStore(None)
    st.replace_graph("urn:g", numbered(200))
    ex = QueryExecutor(Settings(store=":memory:", query_timeout=0.3, query_workers=1), st)
    # 8M rows with string work on each (about 3 s here): the plain 150^3 product finished in 0.27 s on a
    # quiet machine, under the timeout, which made this test depend on the machine's speed
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
               "FILTER(CONCAT(STR(?c), STR(?f)) != STR(?i)) }")

    async def timed() -> float:
        t0 = time.monotonic()
        with pytest.raises(QueryTimeout):
            await ex.run(runaway, JSON)
        return time.monotonic() - t0

    try:
        assert ex.mode == "thread"
        assert count(run(ex.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON))) == 200  # the union
        assert run(timed()) < 2  # (the thread itself runs on to the end: it cannot be stopped)
    finally:
        ex.close()


def test_a_closed_executor_refuses(executor):
    executor.close()
    with pytest.raises(StoreError):
        run(executor.run("ASK {}", JSON))


@pytest.mark.slow
def test_readers_never_see_half_a_write_while_the_main_process_writes(executor, store):
    """The load that breaks read-only handles on a live directory, against snapshots: every answer whole."""
    stop = threading.Event()
    failures: list[str] = []

    def writer() -> None:
        n = 0
        try:
            while not stop.is_set():
                n += 1
                store.replace_graph("urn:g", numbered(500 + n % 50))  # one transaction: graph and its marker
                store.update(f"DELETE WHERE {{ GRAPH <urn:m> {{ <urn:m> <urn:n> ?v }} }} ; "
                             f"INSERT DATA {{ GRAPH <urn:m> {{ <urn:m> <urn:n> {500 + n % 50} }} }}")
                executor.notify_write()
                if n % 20 == 0:
                    store.flush()
        except Exception as exc:  # noqa: BLE001 - reported below with the readers' failures
            failures.append(f"writer: {exc!r}")

    consistent = ("SELECT (COUNT(?s) AS ?n) WHERE { GRAPH <urn:g> { ?s ?p ?o } }")

    async def readers() -> int:
        answers = 0
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            results = await asyncio.gather(*(executor.run(consistent, JSON) for _ in range(4)),
                                           return_exceptions=True)
            for r in results:
                if isinstance(r, Exception):
                    failures.append(repr(r))
                else:
                    assert 500 <= count(r) < 550
                    answers += 1
        return answers

    store.replace_graph("urn:g", numbered(500))
    executor.notify_write()
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        answers = run(readers())
    finally:
        stop.set()
        thread.join(30)
    assert not failures, failures[:5]
    assert answers > 50


def test_repeated_queries_are_answered_from_the_cache_until_a_write(executor, store):
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:g> { ?s ?p ?o } }"
    first = run(executor.run(query, JSON))
    for worker in list(executor._workers):  # no worker could answer now
        worker.process.kill()
        worker.process.join(5)
    assert run(executor.run(query, JSON)) is first
    store.replace_graph("urn:g", numbered(4))
    executor.notify_write()
    assert count(run(executor.run(query, JSON))) == 4
    volatile = "SELECT (STRUUID() AS ?u) WHERE {}"
    assert run(executor.run(volatile, JSON))[0] != run(executor.run(volatile, JSON))[0]


@pytest.mark.skipif(not netguard.supported(), reason="the network guard needs Linux seccomp on x86-64 or AArch64")
@pytest.mark.parametrize("allowed", [False, True])
def test_a_worker_cannot_call_out_unless_service_is_allowed(store, allowed):
    """The wall behind the text check: the executor is given a SERVICE query directly (as if the
    server's reading of it had missed the keyword), and the worker's call never leaves it."""
    canary = Canary()
    ex = QueryExecutor(Settings(store=store.location, query_timeout=10, query_workers=1, allow_service=allowed),
                       store)
    try:
        query = f"SELECT * WHERE {{ SERVICE <{canary.url}/q> {{ ?s ?p ?o }} }}"
        if allowed:
            try:
                run(ex.run(query, JSON))
            except KgraphError:
                pass                                   # the canary's answer is no SPARQL result
            assert canary.hits[:1] == ["/q"]
        else:
            with pytest.raises(StoreError, match="Permission denied"):
                run(ex.run(query, JSON))
            assert canary.hits == []
            assert count(run(ex.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON))) > 0  # still serving
    finally:
        ex.close()
        canary.close()


@pytest.mark.skipif(not netguard.supported(), reason="the network guard needs Linux seccomp on x86-64 or AArch64")
@pytest.mark.parametrize("allowed", [False, True])
def test_updates_and_in_memory_queries_run_in_the_server_without_network(allowed):
    """SPARQL that runs in the server process itself (updates; an in-memory store's queries) runs in
    threads that cannot open internet sockets unless SERVICE is allowed; the server keeps its own."""
    import socket

    canary = Canary()
    store = OxigraphStore(None)
    store.replace_graph("urn:g", numbered(1))
    ex = QueryExecutor(Settings(store=":memory:", query_timeout=10, query_workers=1, allow_service=allowed), store)
    try:
        load = f"LOAD <{canary.url}/data.ttl> INTO GRAPH <urn:loaded>"
        service = f"SELECT * WHERE {{ SERVICE <{canary.url}/q> {{ ?s ?p ?o }} }}"
        if allowed:
            run(ex.run_update(store.update, load))
            assert canary.hits == ["/data.ttl"]
        else:
            with pytest.raises(StoreError, match="Permission denied"):
                run(ex.run_update(store.update, load))
            with pytest.raises(StoreError, match="Permission denied"):
                run(ex.run(service, JSON))
            assert canary.hits == []
            assert count(run(ex.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON))) == 1
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()   # this thread keeps its network
    finally:
        ex.close()
        store.close()
        canary.close()
