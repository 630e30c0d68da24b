"""``kgraph serve --no-access-log`` reaches uvicorn (benchmarks run without a log line per request)."""

from __future__ import annotations

import uvicorn
from typer.testing import CliRunner

from kgraph.cli import app


def _run(monkeypatch, tmp_path, *args: str) -> dict:
    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kwargs: seen.update(kwargs))
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "store"), *args])
    assert result.exit_code == 0, result.output
    return seen


def test_the_access_log_is_on_by_default(monkeypatch, tmp_path):
    assert _run(monkeypatch, tmp_path)["access_log"] is True


def test_no_access_log_turns_it_off(monkeypatch, tmp_path):
    seen = _run(monkeypatch, tmp_path, "--no-access-log", "--port", "8123")
    assert seen["access_log"] is False and seen["port"] == 8123
