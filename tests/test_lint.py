"""The lint gate: ``ruff check`` over the code must be clean (style.md: one test command runs every check).

The rule selection lives in ``pyproject.toml`` (``[tool.ruff.lint]``) so editors and this test agree.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from shared_paths import REPO

LINTED = ("src", "tests", "bench", "scripts")


def test_ruff_check_is_clean() -> None:
    pytest.importorskip("ruff")
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *LINTED],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"ruff check found problems:\n{proc.stdout}\n{proc.stderr}"
