"""Golden cases: ``tests/cases/<slug>/article.txt`` must give exactly ``expected.ttl`` (compared as graphs).

Each case is an article written for the test (never copied from a corpus). To re-record
after an intended change, run ``KGRAPH_UPDATE_GOLDEN=1 pytest tests/test_golden_cases.py``
and review the diff of the ``expected.ttl`` files before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kgraph.articles import Article, read_path
from kgraph.rdfgraph import build_document_graph

CASES = Path(__file__).resolve().parent / "cases"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "article.txt").is_file()) if CASES.is_dir() else []


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_golden_case(case: Path, extractor) -> None:
    article = next(iter(read_path(case / "article.txt")))
    assert isinstance(article, Article), article
    article = Article(text=article.text, source=case.name, date=article.date)   # no file path in the graph
    got = build_document_graph(extractor.extract(article))
    expected_path = case / "expected.ttl"
    if os.environ.get("KGRAPH_UPDATE_GOLDEN") == "1":
        got.serialize(expected_path, format="turtle")
    expected = Graph().parse(expected_path, format="turtle")
    if not isomorphic(got, expected):
        _both, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        lines = [f"- {' '.join(t.n3() for t in triple)}" for triple in sorted(missing)]
        lines += [f"+ {' '.join(t.n3() for t in triple)}" for triple in sorted(extra)]
        pytest.fail(f"{case.name}: extraction differs from expected.ttl\n" + "\n".join(lines[:60]))
