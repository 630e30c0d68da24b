"""Where the repository and the shared/ folder beside it are, for tests anywhere in the tree."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "corpus" / "dev"
QUERIES = SHARED / "queries"


def need_shared(path: Path) -> Path:
    """Skip (with the reason) when the shared/ folder is not beside the checkout."""
    if not path.exists():
        pytest.skip(f"{path} is not present (the shared/ folder sits beside the repository)")
    return path
