"""(c) Ingest benchmark: documents per second of the real pipeline on synthetic articles.

``kgraph.ingest.Ingestor.ingest_paths`` reads, extracts (spaCy), builds RDF,
validates each document (the shapes compiled to Python checks, the default
``validation_engine``) and commits it, with ``workers=1`` and ``workers=2``
(extraction and validation in worker processes, commits in the main one). The stage shares come from ``IngestReport.timings``; with workers,
extract/build/validate are summed over the workers (CPU seconds), so the shares
say where the work goes, and documents/s says what the wall clock gives.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field

import synth_articles
from common import DATA, log, markdown_table


@dataclass
class IngestFigure:
    articles: int
    workers: int
    documents: int
    failed: int
    statements: int
    setup_s: float
    wall_s: float
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.wall_s if self.wall_s else 0.0


def run(count: int, workers_list: tuple[int, ...] = (1, 2)) -> list[IngestFigure]:
    from kgraph.ingest import Ingestor
    from kgraph.settings import Settings
    from kgraph.store.oxigraph import OxigraphStore

    path = DATA / f"articles-{count}.jsonl"
    if not path.exists():
        synth_articles.write(path, count)
    figures = []
    for workers in workers_list:
        directory = DATA / f"ingest-store-{workers}"
        shutil.rmtree(directory, ignore_errors=True)
        settings = Settings(store=str(directory))
        log(f"ingest {count} articles, workers={workers}")
        t0 = time.perf_counter()
        store = OxigraphStore(directory)
        ingestor = Ingestor(store, settings)
        setup_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = ingestor.ingest_paths([path], workers=workers)
        wall_s = time.perf_counter() - t0
        store.close()
        figures.append(IngestFigure(count, workers, len(report.documents), len(report.errors), report.statements,
                                    setup_s, wall_s, dict(report.timings)))
        shutil.rmtree(directory, ignore_errors=True)
    return figures


def table(figures: list[IngestFigure]) -> str:
    stages = ("read", "extract", "build", "validate", "commit")
    rows = []
    for f in figures:
        total = sum(f.timings.get(s, 0.0) for s in stages) or 1.0
        rows.append([f.articles, f.workers, f.documents, f.failed, f"{f.statements:,}", f"{f.setup_s:,.1f}",
                     f"{f.wall_s:,.1f}", f"{f.docs_per_s:,.1f}",
                     *(f"{100 * f.timings.get(s, 0.0) / total:,.0f} %" for s in stages)])
    return markdown_table(["articles", "workers", "documents", "failed", "statements", "setup s", "wall s",
                           "documents/s", *(f"{s} share" for s in stages)], rows)
