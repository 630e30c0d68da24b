"""Crash during ingest: SIGKILL at random moments never leaves a partial document.

Ingest runs in a child process that is killed with SIGKILL at a seeded random
moment, in two ways:

* **commit kills**: a fork server (``python -c`` that loads the extraction
  pipeline once) forks one child per trial; the child runs the real
  :class:`~kgraph.ingest.Ingestor` on the real store, announcing each commit.
  The test kills it (with its extraction workers, when it has some) 0-4 ms
  after the start of a random commit, so kills land in and around store
  transactions;
* **CLI kills**: ``kgraph ingest`` itself, killed at a random time of its run.

Each run reads the batch in another seeded order, so kills within the first
half of a run (which keeps the suite short) still reach every part of it.

After every kill:

* the store opens and ``kgraph validate`` exits 0 (the command's own code,
  run in a forked child for the commit kills and as a process for CLI kills);
* every document graph in the store is exactly the graph an uninterrupted
  run gives that document (same triples), and the union default graph is
  exactly the union of the named graphs: a document is whole or absent;
* every commit that returned before the kill is still there (no data loss);
* the next run on that store is the re-run of the crashed one; the last run
  of each chain is not killed and must end with the uninterrupted run's graph
  (every quad, compared as sets) and quarantine.

Trials are grouped in chains that start from an empty store, so kills both
before and after a document's first commit are covered.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kgraph.store.oxigraph import BULK_JOURNAL

from .helpers import Batch, alive, check_consistent, children_of, kgraph_cli, quarantine_files, snapshot

#: Loads the pipeline once, then forks a child per command read from stdin; a child prints its pid
#: first; the server prints ``exit <code>`` when the child ends (``exit -9`` after SIGKILL). Every
#: line is one write (``say``): ``print`` with several arguments writes each apart when output is
#: unbuffered (``.ci/run`` sets PYTHONUNBUFFERED), so a child killed mid-line left ``end`` without its
#: newline and the server's ``exit -9`` was read as ``endexit -9``: the test waited for ever.
FORK_SERVER = r"""
import os, sys
from pathlib import Path
import kgraph.cli, kgraph.ingest  # noqa: E401,F401 - imported once, before the forks
from kgraph.settings import Settings


def say(*words):
    sys.stdout.write(" ".join(map(str, words)) + "\n")  # one write: a kill cannot cut the line
    sys.stdout.flush()


if "--extractor" in sys.argv:
    from kgraph.extract import Extractor

    extractor = Extractor(Settings())
say("ready")


def ingest(store_dir, batch, workers, commit_batch, pause):
    import time

    from kgraph.ingest import Ingestor
    from kgraph.store import open_store, oxigraph

    oxigraph.BULK_MIN_LINES = 0  # batches this small would be one transaction: kill inside bulk loads
    oxigraph.BULK_MIN_SHARE = 0  # and so would a run adding little beside what the store holds
    store = open_store(store_dir)
    if pause != "none":  # wait, announced, for the kill at a chosen point of the first bulk write
        step = {"journal": "_write_journal", "loaded": "_clear_journal"}[pause]
        real = getattr(store, step)

        def paused(*args):
            if pause == "journal":
                real(*args)  # the journal is synced; the load has not begun
            say("paused", pause)
            time.sleep(600)
            if pause == "loaded":
                real(*args)  # the load is done; the journal is still there

        setattr(store, step, paused)
    ingestor = Ingestor(store, Settings(store=store_dir, commit_batch=int(commit_batch)), extractor=extractor)
    commit, commit_new = store.replace_graph, store.add_new_graphs

    def announced(iri, triples):  # the real commits, announced before and after
        say("begin", iri)
        commit(iri, triples)
        say("end", iri)

    def announced_new(graphs):
        say("begin", *graphs)
        commit_new(graphs)
        for iri in graphs:
            say("end", iri)

    store.replace_graph, store.add_new_graphs = announced, announced_new
    ingestor.ingest_paths([Path(batch)], workers=int(workers))
    store.close()
    return 0


def validate(store_dir):
    from kgraph.cli import app

    try:
        app(["validate", "--store", store_dir])
    except SystemExit as exc:
        return exc.code or 0
    return 0


for line in sys.stdin:
    command, *args = line.split()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.setpgrp()  # the test kills the whole group: the ingest and its extraction workers
            say("pid", os.getpid())
            code = {"ingest": ingest, "validate": validate}[command](*args)
        finally:
            sys.stdout.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    say("exit", os.waitstatus_to_exitcode(status))
"""


@dataclass
class Kill:
    """Where one trial's SIGKILL landed."""

    how: str
    committed: list[str] = field(default_factory=list)  # commits that returned before the kill
    inside_commit: bool = False  # killed after a commit began and before it was seen to return
    journal: bool = False  # the kill left a bulk write's undo journal (undone when the store is next opened)
    paused: bool = False  # the child waited at a chosen point of a bulk write and was killed there


class ForkServer:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", FORK_SERVER, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        assert self.proc.stdout.readline().strip() == "ready", "the fork server did not start"

    def start(self, *command: str) -> int:
        self.proc.stdin.write(" ".join(command) + "\n")
        self.proc.stdin.flush()
        word, pid = self.proc.stdout.readline().split()
        assert word == "pid"
        return int(pid)

    def lines(self):
        for line in self.proc.stdout:
            yield line.rstrip("\n")

    def finish(self, timeout: float = 600.0) -> tuple[int, list[str]]:
        """Read the rest of the current child's output: ``(exit code, lines)``. Past ``timeout`` seconds
        the server is killed, so that a line that never comes fails the test instead of hanging it."""
        out = []
        watchdog = threading.Timer(timeout, self.proc.kill)
        watchdog.start()
        try:
            for line in self.lines():
                if line.startswith("exit "):
                    return int(line.split()[1]), out
                out.append(line)
        finally:
            watchdog.cancel()
        raise AssertionError(f"the fork server died or gave no exit line within {timeout:g} s; last lines: {out[-5:]}")

    def run(self, *command: str) -> tuple[int, list[str]]:
        self.start(*command)
        return self.finish()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(30)
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def forks():
    """Two fork servers: one ingests (with the pipeline loaded), one checks the previous kill meanwhile."""
    ingests, checks = ForkServer("--extractor"), ForkServer()
    yield ingests, checks
    ingests.close()
    checks.close()


def shuffled(batch: Batch, rng: random.Random, path: Path) -> Path:
    """The batch in another order: each run reaches other documents early (documents do not depend on order)."""
    lines = batch.path.read_text(encoding="utf-8").splitlines(keepends=True)
    rng.shuffle(lines)
    path.write_text("".join(lines), encoding="utf-8")
    return path


def kill_during_commit(forks: ForkServer, store: Path, batch: Batch, articles: Path, rng: random.Random,
                       pause: str = "none") -> Kill:
    """Run an ingest child; SIGKILL it (and its workers) 0-4 ms (a bulk write: 0-30 ms) after the start
    of a random commit among the first half of the run.

    New documents are committed in batches (one bulk write each) of 1 or 4 documents, so kills land
    in single transactions and in bulk writes; a run makes at least one commit per batch of new
    documents, which bounds the target. Where a kill lands in a bulk write depends on timing; with
    ``pause`` the child waits in its first bulk write, after the journal is synced (``journal``) or
    after the load (``loaded``), and is killed there, so those two points are always reached."""
    commit_batch = 4 if pause != "none" else rng.choice([1, 4])
    target = rng.randrange(1, -(-len(batch.documents) // commit_batch) // 2 + 1)
    delay = rng.uniform(0, 0.004 if commit_batch == 1 else 0.03)  # a bulk write takes some tens of ms
    workers = rng.choice([1, 2])
    when = f"the first bulk write, paused after its {pause}" if pause != "none" else \
        f"commit {target} + {delay * 1000:.1f} ms"
    kill = Kill(how=f"{when}, {workers} worker(s), batches of {commit_batch}", paused=pause != "none")
    pid = forks.start("ingest", str(store), str(articles), str(workers), str(commit_batch), pause)
    begins, begun = 0, set()
    for line in forks.lines():
        word, _, iris = line.partition(" ")
        if word == "end":
            kill.committed.append(iris)
        elif word == "begin":
            begins += 1
            begun.update(iris.split())
            if begins == target and pause == "none":
                time.sleep(delay)
                os.killpg(pid, signal.SIGKILL)
                break
        elif word == "paused":
            os.killpg(pid, signal.SIGKILL)
            break
        elif word == "exit":
            raise AssertionError(f"the child ended by itself before commit {target}: {line}")
    code, rest = forks.finish()
    assert code == -signal.SIGKILL, code
    kill.committed += [line.split()[1] for line in rest if line.startswith("end ")]
    kill.inside_commit = not begun <= set(kill.committed)
    return kill


def kill_cli_at_random_time(store: Path, batch: Batch, articles: Path, rng: random.Random) -> Kill:
    when = rng.uniform(0.2, 0.6) * batch.seconds
    proc = subprocess.Popen([sys.executable, "-c", "from kgraph.cli import app; app()", "ingest", str(articles),
                             "--store", str(store), "--quiet", "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        proc.wait(when)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(60)
    with proc.stderr:
        assert proc.returncode in (-signal.SIGKILL, batch.exit_code), proc.stderr.read()[-3000:]
    return Kill(how=f"kgraph ingest killed at {when:.2f}s")


def check_after_kill(checks: ForkServer, store: Path, batch: Batch, kill: Kill) -> None:
    """The store opens and validates; each document is whole or absent; what was committed is there."""
    code, out = checks.run("validate", str(store))
    assert code == 0, f"after {kill.how}: kgraph validate exit {code}\n" + "\n".join(out[-20:])
    graphs = check_consistent(store, batch.graphs)
    lost = [iri for iri in kill.committed if iri in batch.graphs and iri not in graphs]
    assert not lost, f"after {kill.how}: {len(lost)} committed documents lost, e.g. {lost[:3]}"
    shutil.rmtree(store)


def complete_rerun(store: Path, batch: Batch) -> None:
    """The re-run after a crash (``kgraph ingest``) finishes the batch with the uninterrupted run's graph."""
    result = kgraph_cli("ingest", str(batch.path), "--store", str(store), "--quiet", "--workers", "2", timeout=900)
    assert result.returncode == batch.exit_code, result.stderr[-3000:]
    graphs, union = snapshot(store)
    assert graphs.keys() == batch.graphs.keys()
    assert graphs == batch.graphs and union == batch.union
    assert quarantine_files(store) == batch.quarantine


def run_chains(forks: tuple[ForkServer, ForkServer], tmp_path: Path, batch: Batch, *, trials: int,
               chain_length: int, seed: int, cli_every: int = 0, pauses: dict[int, str] | None = None) -> list[Kill]:
    """Kill, copy the killed store, and check the copy while the next trial runs (two cores, half the time).

    ``pauses`` maps a trial's number to the point of a bulk write where that trial's child waits for its kill."""
    ingests, checks = forks
    rng = random.Random(seed)
    kills: list[Kill] = []
    store = None
    with ThreadPoolExecutor(1) as checker:
        pending = []
        for trial in range(trials):
            if trial % chain_length == 0:
                if store is not None:
                    complete_rerun(store, batch)
                store = tmp_path / f"store-{trial}"
            articles = shuffled(batch, rng, tmp_path / f"order-{trial}.jsonl")
            if cli_every and trial % cli_every == cli_every - 1:
                kill = kill_cli_at_random_time(store, batch, articles, rng)
            else:
                kill = kill_during_commit(ingests, store, batch, articles, rng, (pauses or {}).get(trial, "none"))
            kills.append(kill)
            if store.exists():
                copy = shutil.copytree(store, tmp_path / f"check-{trial}")
                kill.journal = (copy / BULK_JOURNAL).exists()
                pending.append(checker.submit(check_after_kill, checks, copy, batch, kill))
        complete_rerun(store, batch)
        for future in pending:
            future.result()
    return kills


def test_crash_during_ingest_fast(forks, tmp_path, small_batch):
    kills = run_chains(forks, tmp_path, small_batch, trials=3, chain_length=3, seed=1, pauses={2: "loaded"})
    assert len(kills) == 3
    assert kills[2].journal, kills[2].how  # killed inside a bulk write: the journal undid the whole batch


@pytest.mark.slow
def test_crash_during_ingest_many_kill_points(forks, tmp_path, batch):
    kills = run_chains(forks, tmp_path, batch, trials=20, chain_length=10, seed=20240601, cli_every=10,
                       pauses={4: "journal", 14: "loaded"})
    assert len(kills) == 20 and len({k.how for k in kills}) == 20
    assert sum(k.inside_commit for k in kills) >= 2, [k.how for k in kills]
    assert sum(k.paused for k in kills) == 2
    assert all(k.journal for k in kills if k.paused), [k.how for k in kills if k.paused]


def test_killed_parallel_ingest_leaves_no_orphan_workers(tmp_path, small_batch):
    """Bug: SIGKILL of ``kgraph ingest --workers N`` left its N extraction workers running for ever
    (blocked on the task queue, whose write end every forked worker also holds).

    The workers live while articles are being prepared: the small batch ten times over keeps them
    busy for seconds (with the batch once, a fast machine prepared it all in under half a second
    and the test, looking every 0.2 s, sometimes never saw them)."""
    articles = tmp_path / "articles.jsonl"
    articles.write_text(small_batch.path.read_text(encoding="utf-8") * 10, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", "from kgraph.cli import app; app()", "ingest",
                             str(articles), "--store", str(tmp_path / "store"), "--quiet", "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            workers = children_of(proc.pid)
        if len(workers) < 2:
            ended = proc.poll()
            detail = f"ingest ended ({ended}) first: {proc.stderr.read()[-2000:]}" if ended is not None else "timeout"
            raise AssertionError(f"the workers were not seen: {detail}")
        time.sleep(1)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        deadline = time.monotonic() + 15
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [w for w in workers if alive(w)], "extraction workers outlived their killed ingest"
    finally:
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
        proc.stderr.close()
