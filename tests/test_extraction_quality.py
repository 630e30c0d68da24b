"""Extraction quality on the dev corpus, through the real ingest pipeline and the project's scorer.

Ingests ``../shared/corpus/dev/corpus.jsonl`` into a fresh store (extraction, RDF,
SHACL validation, commit), exports N-Quads, scores them with ``../shared/eval/score.py``
and fails when entities F1 or relations F1 falls more than ``TOLERANCE`` below the
figures recorded in ``tests/extract/quality_baseline.json``. Skipped when ``../shared``
is absent. Raise the baseline when the figures improve (``KGRAPH_UPDATE_BASELINE=1``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import warnings
from pathlib import Path

from conftest import DEV, SHARED, need_shared

BASELINE = Path(__file__).resolve().parent / "extract" / "quality_baseline.json"
TOLERANCE = 0.02


def _scorer():
    spec = importlib.util.spec_from_file_location("kgraph_dev_score", need_shared(SHARED / "eval" / "score.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_corpus_quality(tmp_path, extractor):
    corpus = need_shared(DEV / "corpus.jsonl")
    gold = json.loads(need_shared(DEV / "gold.json").read_text(encoding="utf-8"))
    score = _scorer()

    from kgraph.export import export_store
    from kgraph.ingest import Ingestor
    from kgraph.settings import Settings
    from kgraph.store import open_store

    settings = Settings(store=str(tmp_path / "store"))
    store = open_store(settings.store)
    try:
        report = Ingestor(store, settings, extractor=extractor).ingest_paths([corpus])
        dump = tmp_path / "dev.nq"
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
    reached = {"entities_f1": round(result["entities_micro"][2], 3),
               "relations_f1": round(result["relations_micro"][2], 3)}
    if os.environ.get("KGRAPH_UPDATE_BASELINE") == "1":
        BASELINE.write_text(json.dumps(reached, indent=2) + "\n", encoding="utf-8")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    for name, value in reached.items():
        assert value >= baseline[name] - TOLERANCE, f"{name} {value} is below the baseline {baseline[name]}"
