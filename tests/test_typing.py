"""The typing gate: modules that type-check cleanly with mypy must stay clean (style.md: typed public functions).

It began as a ratchet, a list that grew as modules were cleaned; since the extraction rules were
cleaned (2026-12-06) it covers the whole package, so a regression anywhere, or a new module that
does not type-check, fails the suite. The settings live in ``pyproject.toml`` (``[tool.mypy]``) so
editors and this test agree.
pydantic's mypy plugin (in ``pyproject.toml``) lets ``Settings()`` without arguments type-check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from shared_paths import REPO

pytestmark = pytest.mark.slow

TYPED = ("src/kgraph",)  # every module: a new one is checked from its first commit


def test_typed_modules_pass_mypy(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), *TYPED],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"mypy found problems:\n{proc.stdout}\n{proc.stderr}"
