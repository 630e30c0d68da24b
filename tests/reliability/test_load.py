"""A short bounded run of ``scripts/loadtest.py``: 100k quads, 15 s at concurrency 16, zero errors, with
the saved analyst queries (the answer cache serves repeats) and with every query text unique (evaluated).

No timing is asserted (machines differ); the full run and its figures are in
docs/GUARANTEES.md.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from shared_paths import QUERIES, REPO, need_shared


@pytest.mark.slow
@pytest.mark.parametrize("vary", [False, True], ids=["saved-queries", "every-query-evaluated"])
def test_short_load_run_has_no_errors(tmp_path, vary):
    need_shared(QUERIES)
    report = tmp_path / "report.json"
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "loadtest.py"), "--quads", "100000",
                             "--duration", "15", "--concurrency", "16", "--json", str(report)]
                            + (["--vary"] if vary else []),
                            check=False, capture_output=True, text=True, timeout=300)
    assert report.exists(), result.stderr[-3000:]
    figures = json.loads(report.read_text())
    assert figures["errors"] == 0, figures["error_samples"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert figures["requests"] > 0 and figures["concurrency"] == 16 and figures["vary"] is vary
    analyst = [name for name in figures["per_target"] if name.startswith("sparql ")]
    assert len(analyst) == len(list(QUERIES.glob("*.rq"))), figures["per_target"].keys()
    assert all(figures["per_target"][name]["n"] > 0 for name in analyst)
