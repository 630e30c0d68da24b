"""Fixtures of the reliability suite: synthetic batches with the graph an uninterrupted run makes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from .helpers import Batch, can_mount, kgraph_cli, quarantine_files, snapshot, synthetic_articles, write_jsonl

#: Lines a reader must reject without stopping the batch (they are rejected in every run alike).
BAD_LINES = [
    "{not json",
    json.dumps({"id": "bad-date", "text": "Russia and Kazakhstan signed a protocol.", "date": "2019-02-30"}),
    json.dumps({"id": "bad-type", "text": ["not", "a", "string"]}),
]


def _make_batch(root: Path, count: int, seed: int) -> Batch:
    root.mkdir(parents=True, exist_ok=True)
    path = write_jsonl(root / "batch.jsonl", synthetic_articles(count, seed), bad_lines=BAD_LINES)
    store = root / "reference-store"
    t0 = time.monotonic()
    result = kgraph_cli("ingest", str(path), "--store", str(store), "--quiet", timeout=900)
    seconds = time.monotonic() - t0
    assert result.returncode == 1, f"the reference run must reject exactly the bad lines:\n{result.stderr[-3000:]}"
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected")]
    assert len(rejected) == len(BAD_LINES), result.stderr[-3000:]
    graphs, union = snapshot(store)
    return Batch(path, store, graphs, union, result.returncode, quarantine_files(store), seconds)


@pytest.fixture(scope="session")
def batch(tmp_path_factory) -> Batch:
    """200 varied articles (plus bad lines): the crash tests' batch."""
    return _make_batch(tmp_path_factory.mktemp("batch"), 200, seed=20240601)


@pytest.fixture(scope="session")
def small_batch(tmp_path_factory) -> Batch:
    """40 articles: enough for fault tests that only need some real documents."""
    return _make_batch(tmp_path_factory.mktemp("small-batch"), 40, seed=7)


@pytest.fixture
def mountable():
    if not can_mount():
        pytest.skip("mounting a tmpfs needs root")
