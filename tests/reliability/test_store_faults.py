"""Store faults: locked by another process, read-only file system, disk full.

Each fault must give a clear error that names the problem (``StoreLocked`` /
``StoreReadOnly``; on the CLI exit code 2 and one line), must not corrupt the
store (it opens, validates and holds exactly what it held, or what an
uninterrupted run holds, afterwards), and must leave reads working where the
store can still be read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from kgraph.errors import StoreLocked, StoreReadOnly
from kgraph.store import open_store

from .helpers import (
    ServerProcess,
    check_consistent,
    kgraph_cli,
    remount,
    snapshot,
    store_held_by_other_process,
    synthetic_articles,
    tmpfs,
    write_jsonl,
)

TOKEN = "store-faults-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
#: every CLI command that opens the store, with the arguments it needs besides --store
CLI_COMMANDS = {
    "ingest": ["ingest", "{articles}", "--quiet"],
    "validate": ["validate"],
    "query": ["query", "ASK { ?s ?p ?o }"],
    "stats": ["stats"],
    "export": ["export", "--format", "nquads"],
}


def _cli(command: str, store, articles) -> subprocess.CompletedProcess:
    args = [a.replace("{articles}", str(articles)) for a in CLI_COMMANDS[command]]
    return kgraph_cli(*args, "--store", str(store))


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> str:
    """Exit code 2 and exactly one line on stderr, starting ``error:`` and naming the problem."""
    assert result.returncode == 2, f"exit {result.returncode}\n{result.stderr[-2000:]}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got {len(lines)}:\n{result.stderr[-2000:]}"
    assert lines[0].startswith("error: "), lines[0]
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    return lines[0]


def _graph(n: int, size: int = 50, pad: int = 0) -> Graph:
    g = Graph()
    for j in range(size):
        g.add((URIRef(f"https://example.org/s/{n}/{j}"), URIRef("https://example.org/p"),
               Literal(f"value {j}" + "x" * pad)))
    return g


# -- locked ------------------------------------------------------------------------------------

def test_second_writer_gets_store_locked_and_readers_still_read(tmp_path, small_batch):
    store = small_batch.fresh_copy(tmp_path / "store")
    with store_held_by_other_process(store):
        with pytest.raises(StoreLocked) as info:
            open_store(str(store))
        err = info.value
        assert "locked by another process" in err.message and str(store) in err.message
        assert (err.status, err.exit_code, err.code) == (503, 2, "store-locked")
        reader = open_store(str(store), read_only=True)
        try:
            assert reader.count() == len(small_batch.union) + sum(len(t) for t in small_batch.graphs.values())
        finally:
            reader.close()
    assert snapshot(store) == (small_batch.graphs, small_batch.union)


@pytest.mark.parametrize("command", sorted(CLI_COMMANDS))
def test_cli_on_locked_store_exits_2_with_one_line(tmp_path, small_batch, command):
    store = small_batch.fresh_copy(tmp_path / "store")
    with store_held_by_other_process(store):
        result = _cli(command, store, small_batch.path)
    assert_one_line_error(result, "locked by another process", str(store))
    assert snapshot(store) == (small_batch.graphs, small_batch.union)
    assert kgraph_cli("validate", "--store", str(store)).returncode == 0


def test_cli_error_message_with_brackets_is_printed_verbatim(tmp_path):
    """Bug: CLI error messages went through Rich markup, so '[/x]' in a path crashed with MarkupError."""
    store = tmp_path / "odd[/x]name" / "store"
    open_store(str(store)).close()
    with store_held_by_other_process(store):
        result = kgraph_cli("stats", "--store", str(store))
    assert_one_line_error(result, "locked", str(store))


# -- read-only file system ------------------------------------------------------------------

def test_read_only_file_system(tmp_path, small_batch, mountable):
    with tmpfs(tmp_path / "mnt", "64m") as mnt:
        store = small_batch.fresh_copy(mnt / "store")
        remount(mnt, "ro")
        try:
            with pytest.raises(StoreReadOnly) as info:
                open_store(str(store))
            assert "Read-only file system" in info.value.message and str(store) in info.value.message
            assert info.value.code == "store-read-only"
            # reading needs no writes: a read-only handle serves everything
            reader = open_store(str(store), read_only=True)
            try:
                with pytest.raises(StoreReadOnly, match="open read-only"):
                    reader.replace_graph("https://example.org/g", _graph(0))
                assert len(reader.named_graphs()) == len(small_batch.graphs)
            finally:
                reader.close()
            assert_one_line_error(_cli("ingest", store, small_batch.path), "cannot be written", "Read-only file system")
        finally:
            remount(mnt, "rw")
        assert kgraph_cli("validate", "--store", str(store)).returncode == 0
        assert snapshot(store) == (small_batch.graphs, small_batch.union)


# -- disk full ----------------------------------------------------------------------------------

def test_disk_full_store_level_keeps_every_commit_whole(tmp_path, mountable):
    with tmpfs(tmp_path / "mnt", "4m") as mnt:
        store = open_store(str(mnt / "store"))
        committed = []
        with pytest.raises(StoreReadOnly) as info:
            for n in range(10_000):
                store.replace_graph(f"https://example.org/g/{n}", _graph(n, size=200, pad=100))
                committed.append(f"https://example.org/g/{n}")
        assert "No space left on device" in info.value.message and str(mnt / "store") in info.value.message
        assert committed, "the disk filled before the first commit: make the tmpfs larger"
        # the same handle still reads, and nothing of the failed commit is visible
        assert store.named_graphs() == sorted(committed)
        assert store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].toPython() == 200 * len(committed)
        store.close()
        remount(mnt, "size=64m")
        graphs, union = snapshot(mnt / "store")
        assert sorted(graphs) == sorted(committed)
        assert all(len(t) == 200 for t in graphs.values()) and len(union) == 200 * len(committed)
        again = open_store(str(mnt / "store"))  # room again: writable again
        again.replace_graph("https://example.org/g/after", _graph(-1))
        again.close()


def test_disk_full_during_ingest_fails_cleanly_and_rerun_completes(tmp_path, small_batch, mountable):
    with tmpfs(tmp_path / "mnt", "64m") as mnt:
        store = mnt / "store"
        head = tmp_path / "head.jsonl"
        head.write_text("".join(small_batch.path.read_text(encoding="utf-8").splitlines(True)[:3]), encoding="utf-8")
        assert kgraph_cli("ingest", str(head), "--store", str(store), "--quiet").returncode == 0
        free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
        filler = mnt / "filler"
        with open(filler, "wb") as fh:
            fh.truncate(0)
            fh.write(b"\0" * (free - 160_000))
        result = kgraph_cli("ingest", str(small_batch.path), "--store", str(store), "--quiet")
        assert_one_line_error(result, "cannot be written", "No space left on device", str(store))
        check_consistent(store, small_batch.graphs)
        filler.unlink()
        assert kgraph_cli("validate", "--store", str(store)).returncode == 0
        rerun = kgraph_cli("ingest", str(small_batch.path), "--store", str(store), "--quiet")
        assert rerun.returncode == small_batch.exit_code, rerun.stderr[-2000:]
        assert snapshot(store) == (small_batch.graphs, small_batch.union)


_FSIZE_CHILD = """
import resource, signal, sys
from rdflib import Graph, Literal, URIRef
from kgraph.errors import StoreError
from kgraph.store import open_store
store = open_store(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))
try:
    for n in range(10_000):
        g = Graph()
        for j in range(200):
            g.add((URIRef(f"https://example.org/s/{n}/{j}"), URIRef("https://example.org/p"), Literal("x" * 100)))
        store.replace_graph(f"https://example.org/g/{n}", g)
except StoreError as exc:
    print(type(exc).__name__, exc.message, sep="\\t")
"""


def test_file_size_limit_is_reported_as_disk_full(tmp_path):
    """Bug: a write refused for lack of room other than ENOSPC (RLIMIT_FSIZE's EFBIG, a quota's EDQUOT)
    was a bare StoreError instead of StoreReadOnly, the error the docs promise for a full disk."""
    store = tmp_path / "store"
    out = subprocess.run([sys.executable, "-c", _FSIZE_CHILD, str(store)], check=False, capture_output=True,
                         text=True, timeout=120)
    name, _, message = out.stdout.strip().partition("\t")
    assert "File too large" in message, out.stdout + out.stderr[-2000:]
    assert name == StoreReadOnly.__name__, f"{name}: {message}"
    graphs, union = snapshot(store)  # no corruption: every graph that is there is whole
    assert graphs and all(len(t) == 200 for t in graphs.values()) and len(union) == 200 * len(graphs)


# -- the server keeps serving reads ---------------------------------------------------------------

def _reads_work(client: httpx.Client) -> None:
    assert client.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                       headers={"Accept": "application/sparql-results+json"}).status_code == 200
    for path in ("/api/stats", "/api/documents", "/api/agreements", "/id/state/KZ"):
        r = client.get(path)
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:300]}"


def test_server_on_a_full_disk_refuses_writes_clearly_and_keeps_serving_reads(tmp_path, small_batch, mountable):
    with tmpfs(tmp_path / "mnt", "64m") as mnt:
        store = small_batch.fresh_copy(mnt / "store")
        article = synthetic_articles(1, seed=21)[0]
        with ServerProcess(store, tmp_path / "server.log", token=TOKEN) as server, \
                httpx.Client(base_url=server.url, timeout=120) as client:
            _reads_work(client)
            before = client.get("/api/stats").json()
            fill(mnt)
            try:
                r = client.post("/api/documents", json=article, headers=AUTH)
                assert r.status_code == 503, f"{r.status_code} {r.text[:300]}"
                assert r.json()["error"]["code"] == "store-read-only", r.json()
                assert "No space left on device" in r.json()["error"]["message"]
                r = client.delete(f"/api/documents/{small_batch.documents[0].rsplit('/', 1)[1]}", headers=AUTH)
                assert r.status_code == 503 and r.json()["error"]["code"] == "store-read-only", r.text[:300]
                _reads_work(client)
                assert client.get("/api/stats").json() == before
            finally:
                (mnt / "filler").unlink()
        # room again: after a restart (the open handle stays read-only once RocksDB hit ENOSPC) writes work
        with ServerProcess(store, tmp_path / "server.log", token=TOKEN) as server:
            r = httpx.post(server.url + "/api/documents", json=article, headers=AUTH, timeout=120)
            assert r.status_code == 201, r.text[:300]
        assert kgraph_cli("validate", "--store", str(store)).returncode == 0
        check_consistent(store, {**small_batch.graphs, **snapshot_of_one(article)})


def test_dump_on_a_full_disk_is_a_clear_503(tmp_path, small_batch, mountable):
    """Bug: /dumps/kgraph.nq.gz on a full disk was a 500 with a traceback in the log (the gzip file it writes
    next to the store raised ENOSPC) and left its partial file behind."""
    with tmpfs(tmp_path / "mnt", "64m") as mnt:
        store = small_batch.fresh_copy(mnt / "store")
        with ServerProcess(store, tmp_path / "server.log") as server:
            fill(mnt, room=4096)
            r = httpx.get(server.url + "/dumps/kgraph.nq.gz", timeout=120)
            assert r.status_code in (200, 503), f"{r.status_code} {r.text[:300]}"
            if r.status_code == 503:
                assert r.json()["error"]["code"] == "store-read-only", r.text[:300]
            assert not list((store / "dumps").glob("*.tmp")), "a partial dump was left behind"
            assert "Traceback" not in server.log()


def test_server_on_a_read_only_file_system_serves_reads(tmp_path, small_batch, mountable):
    """Bug: the server opened its store read-write only, so on a read-only file system it did not start
    (StoreReadOnly in the lifespan, a traceback, exit) although every read could be served."""
    with tmpfs(tmp_path / "mnt", "64m") as mnt:
        store = small_batch.fresh_copy(mnt / "store")
        remount(mnt, "ro")
        try:
            with ServerProcess(store, tmp_path / "server.log", token=TOKEN) as server, \
                    httpx.Client(base_url=server.url, timeout=120) as client:
                _reads_work(client)
                r = client.post("/api/documents", json=synthetic_articles(1, seed=22)[0], headers=AUTH)
                assert r.status_code == 503 and r.json()["error"]["code"] == "store-read-only", r.text[:300]
        finally:
            remount(mnt, "rw")
        assert snapshot(store) == (small_batch.graphs, small_batch.union)


def snapshot_of_one(article: dict) -> dict:
    """The reference graph of one more article: what an ingest of it alone gives."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_jsonl(Path(tmp) / "one.jsonl", [article])
        assert kgraph_cli("ingest", str(path), "--store", f"{tmp}/store", "--quiet").returncode == 0
        return snapshot(f"{tmp}/store")[0]


def fill(mnt, room: int = 64_000) -> None:
    """Leave almost no room on the file system."""
    stats = os.statvfs(mnt)
    with open(mnt / "filler", "wb") as fh:
        fh.write(b"\0" * (stats.f_bavail * stats.f_frsize - room))
