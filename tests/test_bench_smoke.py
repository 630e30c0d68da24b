"""``python bench/run.py`` runs end to end on a small graph and its checks hold (no timing is asserted).

The benchmark is the acceptance command of the performance work; this keeps it from rotting between
full runs: every analyst query gives the same rows on the embedded store and on rdflib, the compiled
shapes give the same report as pySHACL, and ingest with one and two workers, one
transaction per document or batches, loses no article and commits the same statements.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from shared_paths import QUERIES, REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not QUERIES.is_dir(), reason="needs ../shared/queries"),
]


def _rows(markdown: str, first_cell: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in markdown.splitlines() if line.startswith(f"| {first_cell} |")]


def test_bench_run_small(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    env = {**os.environ, "KGRAPH_BENCH_DATA": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--sizes", "20k", "--only", "query,validation,ingest", "--runs", "1",
         "--articles", "10", "--warmup", "0.05", "--output", str(output)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    text = output.read_text(encoding="utf-8")

    queries = _rows(text, "20k")
    analyst = [r for r in queries if len(r) == 11]
    assert sorted(r[1] for r in analyst) == sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert all(r[7] == "yes" for r in analyst), analyst              # same rows on both engines

    validation = [r for r in queries if len(r) == 9]
    assert len(validation) == 1 and validation[0][-1] == "yes", validation  # compiled shapes = pySHACL

    ingest = _rows(text, "10")
    assert [(r[1], r[2], r[3], r[4]) for r in ingest] == [("1", "1", "10", "0"), ("2", "1", "10", "0"),
                                                          ("1", "100", "10", "0"), ("2", "100", "10", "0")], ingest
    assert len({r[5] for r in ingest}) == 1, ingest                     # the same statements every way
    cpu = [re.fullmatch(r"([\d,.]+) \(([\d.]+)\)", r[-1]) for r in ingest]   # "CPU s (cores)"
    assert all(m and float(m[1].replace(",", "")) > 0 and float(m[2]) > 0 for m in cpu), ingest
    assert "with commit batch 100, in 3 alternating rounds" in text      # the repeated pairs, reported
    assert (tmp_path / "data" / "synth-20k-s7.nq").is_file()           # generated where it was told
