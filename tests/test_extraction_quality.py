"""Extraction quality, through the real ingest pipeline and the project's scorer.

Each gated corpus is ingested into a fresh store (extraction, RDF, SHACL validation, commit),
exported as N-Quads and scored with ``../shared/eval/score.py``; the test fails when entities
F1 or relations F1 falls more than ``TOLERANCE`` below the figures recorded for that corpus:

- the dev corpus ``../shared/corpus/dev`` against ``tests/extract/quality_baseline.json``
  (skipped when ``../shared`` is absent);
- the held-out tune set ``tests/extract/heldout/tune`` (written by an independent annotator,
  other state pairs) against ``tests/extract/heldout_baseline.json`` (skipped until it exists).

The other sets are not gated: ``holdout4`` so that it stays a fair measure of generalisation, and
``tune2``, ``holdout``, ``holdout2`` and ``holdout3`` because they are still being used for error
analysis (the holdout sets were blind until 2026-12-05). Their test
only checks that every article ingests cleanly and the set scores, and asserts no figure. Raise a baseline
when the figures improve (``KGRAPH_UPDATE_BASELINE=1``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import warnings
from pathlib import Path

import pytest
from conftest import DEV, SHARED, need_shared

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "extract" / "heldout"
TOLERANCE = 0.02
GATED = {
    "dev": (DEV, HERE / "extract" / "quality_baseline.json"),
    "tune": (HELDOUT / "tune", HERE / "extract" / "heldout_baseline.json"),
}


def _scorer():
    spec = importlib.util.spec_from_file_location("kgraph_dev_score", need_shared(SHARED / "eval" / "score.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _present(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


def score_corpus(folder: Path, tmp_path: Path, extractor) -> dict[str, float]:
    """Ingest ``folder/corpus.jsonl`` into a fresh store, export it and score it against ``folder/gold.json``."""
    corpus = _present(folder / "corpus.jsonl")
    gold = json.loads(_present(folder / "gold.json").read_text(encoding="utf-8"))
    score = _scorer()

    from kgraph.export import export_store
    from kgraph.ingest import Ingestor
    from kgraph.settings import Settings
    from kgraph.store import open_store

    settings = Settings(store=str(tmp_path / "store"))
    store = open_store(settings.store)
    try:
        report = Ingestor(store, settings, extractor=extractor).ingest_paths([corpus])
        dump = tmp_path / "corpus.nq"
        with open(dump, "wb") as fh:
            export_store(store, fh, "application/n-quads")
    finally:
        store.close()
    assert not report.errors, [e.message for e in report.errors]
    assert report.rejected == 0, "statements were quarantined: " + "; ".join(
        i.line() for d in report.documents for i in d.violations)

    with warnings.catch_warnings():                  # the scorer uses rdflib API that rdflib now deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        result = score.score(gold, score.load_graph([str(dump)]))
    return {"entities_f1": round(result["entities_micro"][2], 3),
            "relations_f1": round(result["relations_micro"][2], 3)}


@pytest.mark.parametrize("name", sorted(GATED))
def test_corpus_quality(name, tmp_path, extractor):
    folder, baseline_file = GATED[name]
    if name == "dev":
        need_shared(folder)
    reached = score_corpus(folder, tmp_path, extractor)
    if os.environ.get("KGRAPH_UPDATE_BASELINE") == "1":
        baseline_file.write_text(json.dumps(reached, indent=2) + "\n", encoding="utf-8")
    baseline = json.loads(_present(baseline_file).read_text(encoding="utf-8"))
    for metric, value in reached.items():
        assert value >= baseline[metric] - TOLERANCE, f"{name}: {metric} {value} is below the baseline {baseline[metric]}"


@pytest.mark.parametrize("name", ["holdout", "holdout2", "holdout3", "holdout4", "tune2"])
def test_ungated_set_runs(name, tmp_path, extractor):
    """Every held-out set ingests cleanly (no article fails) and can be scored; its figures are
    deliberately not checked, so that nobody tunes rules to reach them."""
    reached = score_corpus(HELDOUT / name, tmp_path, extractor)
    assert set(reached) == {"entities_f1", "relations_f1"}
