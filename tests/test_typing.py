"""The typing gate: modules that type-check cleanly with mypy must stay clean (style.md: typed public functions).

A ratchet: the list grows as modules are cleaned; a module is added here only once ``mypy`` passes on
it, so a regression in any of them fails the suite. The settings live in ``pyproject.toml``
(``[tool.mypy]``) so editors and this test agree. Every module of ``src/kgraph`` is listed now: no
reports are left (``mypy src/kgraph`` is clean); a new module belongs on it from the start.
pydantic's mypy plugin (in ``pyproject.toml``) lets ``Settings()`` without arguments type-check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from shared_paths import REPO

pytestmark = pytest.mark.slow

TYPED = (
    "src/kgraph/__init__.py",
    "src/kgraph/articles.py",
    "src/kgraph/cli.py",
    "src/kgraph/dates.py",
    "src/kgraph/errors.py",
    "src/kgraph/export.py",
    "src/kgraph/htmltext.py",
    "src/kgraph/identity.py",
    "src/kgraph/ingest.py",
    "src/kgraph/model.py",
    "src/kgraph/namespaces.py",
    "src/kgraph/rdfgraph.py",
    "src/kgraph/refdata.py",
    "src/kgraph/settings.py",
    "src/kgraph/shaclsparql.py",
    "src/kgraph/sparql_results.py",
    "src/kgraph/stats.py",
    "src/kgraph/validate.py",
    "src/kgraph/store",
    "src/kgraph/extract/__init__.py",
    "src/kgraph/extract/agreements.py",
    "src/kgraph/extract/assemble.py",
    "src/kgraph/extract/base.py",
    "src/kgraph/extract/docmodel.py",
    "src/kgraph/extract/entities.py",
    "src/kgraph/extract/lexicon.py",
    "src/kgraph/extract/meetings.py",
    "src/kgraph/extract/officials.py",
    "src/kgraph/extract/rulers.py",
    "src/kgraph/extract/text.py",
    "src/kgraph/server/__init__.py",
    "src/kgraph/server/api.py",
    "src/kgraph/server/app.py",
    "src/kgraph/server/deps.py",
    "src/kgraph/server/errors.py",
    "src/kgraph/server/executor.py",
    "src/kgraph/server/linkeddata.py",
    "src/kgraph/server/models.py",
    "src/kgraph/server/negotiation.py",
    "src/kgraph/server/pages.py",
    "src/kgraph/server/queries.py",
    "src/kgraph/server/response_cache.py",
    "src/kgraph/server/sparql.py",
    "src/kgraph/server/templating.py",
)


def test_typed_modules_pass_mypy(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), *TYPED],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"mypy found problems:\n{proc.stdout}\n{proc.stderr}"
