"""The conformance runner serves from the same real-server fixture as the server tests."""

from __future__ import annotations

import pytest
from server.conftest import live_server  # tests/ is on the path (pyproject: pythonpath)


@pytest.fixture(scope="session")
def start_server():
    return live_server
