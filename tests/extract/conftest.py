"""Helpers for the extraction tests: run the shared pipeline on a few sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from kgraph.articles import Article
from kgraph.model import Extraction


class Result:
    """An extraction with lookups by type, label and predicate, for readable assertions."""

    def __init__(self, extraction: Extraction) -> None:
        self.x = extraction
        self.entities = extraction.entities

    def of_type(self, *types: str) -> dict[str, str]:
        """{label: key} of the entities of these types."""
        return {e.label: k for k, e in self.entities.items() if e.type in types}

    def key(self, label: str, *types: str) -> str:
        found = [k for k, e in self.entities.items()
                 if (e.label == label or label in e.aliases) and (not types or e.type in types)]
        assert found, f"no entity {label!r} among {sorted(e.label for e in self.entities.values())}"
        return found[0]

    def objects(self, subject: str, predicate: str) -> set[str]:
        return {f.obj for f in self.x.facts if f.subject == subject and f.predicate == predicate}

    def labels(self, keys) -> set[str]:
        return {self.entities[k].label if k in self.entities else k for k in keys}

    def titles(self, person: str) -> set[str]:
        return {t for post in self.objects(person, "holds") for t in self.objects(post, "title")}


@pytest.fixture(scope="session")
def run(extractor):
    """``run(text, date="2021-03-10", title=None)`` -> :class:`Result`."""

    def _run(text: str, date: str | None = "2021-03-10", url: str | None = None, title: str | None = None) -> Result:
        article = Article(text=text, source="test", url=url, date=dt.date.fromisoformat(date) if date else None,
                          title=title)
        return Result(extractor.extract(article))

    return _run
