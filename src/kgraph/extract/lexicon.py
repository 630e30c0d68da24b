"""Reading the trigger lexicons of ``data/extraction/`` (see its README).

A lexicon file is tab-separated with a header row; ``#`` lines are comments. Components
read them in ``initialize()`` and keep the rows they need, so a saved pipeline
(``nlp.to_disk``) carries its patterns and does not need the data folder to load.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from ..settings import REPO_ROOT

DEFAULT_DIR = REPO_ROOT / "data" / "extraction"


def lexicon_dir(path: str | Path | None = None) -> Path:
    return Path(path) if path else DEFAULT_DIR


def read_lexicon(name: str, directory: str | Path | None = None) -> list[dict[str, str]]:
    """The rows of ``data/extraction/<name>.tsv`` as dicts keyed by the header's columns."""
    path = lexicon_dir(directory) / f"{name}.tsv"
    if not path.is_file():
        raise ConfigError(f"missing lexicon file {path}")
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if header is None:
            header = fields
            continue
        if len(fields) > len(header):
            raise ConfigError(f"{path}:{number}: {len(fields)} fields, expected at most {len(header)}")
        fields += [""] * (len(header) - len(fields))
        rows.append(dict(zip(header, fields)))
    if header is None:
        raise ConfigError(f"{path}: no header row")
    return rows


def grouped(rows: list[dict[str, str]], column: str = "kind", value: str = "phrase") -> dict[str, list[str]]:
    """``{kind: [phrase, …]}`` from lexicon rows."""
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row[column], []).append(row[value])
    return out
