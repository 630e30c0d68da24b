"""Shared pytest setup: flags for slow/browser/external tests and common fixtures.

Fast tests run by default. ``--slow``, ``--browser`` and ``--external`` (or
``--all``, or ``KGRAPH_TEST_ALL=1``) switch on the marked ones; ``.ci/run`` uses ``--all``.
"""

from __future__ import annotations

import os

import pytest
from shared_paths import DEV, QUERIES, REPO, SEEDS, SHARED, need_shared  # noqa: F401  (re-exported)

FLAGS = ("slow", "browser", "external")


def pytest_addoption(parser: pytest.Parser) -> None:
    for flag in FLAGS:
        parser.addoption(f"--{flag}", action="store_true", default=False, help=f"run tests marked {flag}")
    parser.addoption("--all", action="store_true", default=False, help="run slow, browser and external tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    everything = config.getoption("--all") or os.environ.get("KGRAPH_TEST_ALL") == "1"
    for item in items:
        for flag in FLAGS:
            if flag in item.keywords and not (everything or config.getoption(f"--{flag}")):
                item.add_marker(pytest.mark.skip(reason=f"{flag} test: run with --{flag} or --all"))


@pytest.fixture
def settings(tmp_path):
    from kgraph.settings import Settings

    return Settings(store=str(tmp_path / "store"))


@pytest.fixture(scope="session")
def extractor():
    """One loaded pipeline for the whole session (building it reads all reference data)."""
    from kgraph.extract import Extractor
    from kgraph.settings import Settings

    return Extractor(Settings())
