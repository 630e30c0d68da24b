"""(c) Ingest benchmark: documents per second of the real pipeline on synthetic articles.

``kgraph.ingest.Ingestor.ingest_paths`` reads, extracts (spaCy), builds RDF,
validates each document (the shapes compiled to Python checks, the default
``validation_engine``) and commits it, with ``workers=1`` and ``workers=2``
(extraction and validation in worker processes, commits in the main one), and
with two ways of committing, side by side: one transaction per document
(``commit_batch=1``, the baseline) and batches of ``Settings().commit_batch``
new documents written with Oxigraph's bulk loader. The stage shares come from ``IngestReport.timings``; with workers,
extract/build/validate are summed over the workers (CPU seconds), so the shares
say where the work goes, and documents/s says what the wall clock gives.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field

import synth_articles
from common import DATA, log, markdown_table


@dataclass
class IngestFigure:
    articles: int
    workers: int
    commit_batch: int
    documents: int
    failed: int
    statements: int
    setup_s: float
    wall_s: float
    timings: dict[str, float] = field(default_factory=dict)
    round: int = 0  # 0: the table's runs; 1, 2…: the repeated pairs of scaling_rounds
    cpu_s: float = 0.0  # user + system CPU of the ingest: this process (RocksDB's threads too) and its workers

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.wall_s if self.wall_s else 0.0

    @property
    def cores(self) -> float:
        """CPU over wall time: how many cores the run kept busy on average."""
        return self.cpu_s / self.wall_s if self.wall_s else 0.0


def _cpu_seconds() -> float:
    """User + system CPU of this process and of its children that have ended (the ingest's workers
    end with it), so that a run's CPU is the difference of two readings."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run(count: int, workers_list: tuple[int, ...] = (1, 2), batches: tuple[int, ...] | None = None,
        scaling_rounds: int = 3) -> list[IngestFigure]:
    """Each combination of workers and commit batch on a fresh store (batches: [1, the default]); then the
    runs with the default batch again, alternating, until there are ``scaling_rounds`` of them.

    Why the repeats: one run's scaling moved between 1.60 and 1.77 on the same code and machine
    (2026-12-07), since the machine is shared; :func:`scaling_summary` reports every round and them pooled.
    """
    from kgraph.ingest import Ingestor
    from kgraph.settings import Settings
    from kgraph.store.oxigraph import OxigraphStore

    path = DATA / f"articles-{count}.jsonl"
    if not path.exists():
        synth_articles.write(path, count)
    if batches is None:
        batches = (1, Settings().commit_batch)
    figures = []
    runs = [(b, w, 0) for b in batches for w in workers_list]
    runs += [(batches[-1], w, r) for r in range(1, scaling_rounds) for w in workers_list]
    for commit_batch, workers, round_ in runs:
        directory = DATA / f"ingest-store-{workers}"
        shutil.rmtree(directory, ignore_errors=True)
        settings = Settings(store=str(directory), commit_batch=commit_batch)
        log(f"ingest {count} articles, workers={workers}, commit batch {commit_batch}"
            + (f" (round {round_ + 1})" if round_ else ""))
        t0 = time.perf_counter()
        store = OxigraphStore(directory)
        ingestor = Ingestor(store, settings)
        setup_s = time.perf_counter() - t0
        t0, cpu0 = time.perf_counter(), _cpu_seconds()
        report = ingestor.ingest_paths([path], workers=workers)
        wall_s, cpu_s = time.perf_counter() - t0, _cpu_seconds() - cpu0
        store.close()
        figures.append(IngestFigure(count, workers, commit_batch, len(report.documents), len(report.errors), report.statements,
                                    setup_s, wall_s, dict(report.timings), round_, cpu_s))
        shutil.rmtree(directory, ignore_errors=True)
    return figures


def table(figures: list[IngestFigure]) -> str:
    """One row per run; ``÷ baseline``: documents/s over the one-transaction-per-document run's with as
    many workers; ``scaling``: over the one-worker run's with the same commit batch; ``CPU``: the run's
    CPU seconds, and over its wall time the cores it kept busy (why two workers scale as they do: a
    one-worker run that already keeps more than one core busy leaves two workers less to add)."""
    stages = ("read", "extract", "build", "validate", "commit")
    figures = [f for f in figures if f.round == 0]
    by = {(f.workers, f.commit_batch): f for f in figures}
    rows = []
    for f in figures:
        total = sum(f.timings.get(s, 0.0) for s in stages) or 1.0
        base, one = by.get((f.workers, 1)), by.get((1, f.commit_batch))
        rows.append([f.articles, f.workers, f.commit_batch, f.documents, f.failed, f"{f.statements:,}",
                     f"{f.setup_s:,.1f}", f"{f.wall_s:,.1f}", f"{f.docs_per_s:,.1f}",
                     f"{f.docs_per_s / base.docs_per_s:,.2f}×" if base and base.docs_per_s else "",
                     f"{f.docs_per_s / one.docs_per_s:,.2f}×" if one and one.docs_per_s else "",
                     *(f"{100 * f.timings.get(s, 0.0) / total:,.0f} %" for s in stages),
                     f"{f.cpu_s:,.1f} ({f.cores:.2f})"])
    return markdown_table(["articles", "workers", "commit batch", "documents", "failed", "statements", "setup s",
                           "wall s", "documents/s", "÷ baseline", "scaling", *(f"{s} share" for s in stages),
                           "CPU s (cores)"], rows)


def scaling_summary(figures: list[IngestFigure]) -> str:
    """The scaling of the repeated commit batch (:func:`run`'s last) in every round (the fewest workers,
    then the most), and pooled: the fewest workers' summed wall time over the most's."""
    batch = next((f.commit_batch for f in figures if f.round), None)
    few, most = min(f.workers for f in figures), max(f.workers for f in figures)
    pairs = []
    for round_ in sorted({f.round for f in figures}):
        runs = {f.workers: f for f in figures if f.round == round_ and f.commit_batch == batch}
        if few in runs and most in runs and runs[most].wall_s:
            pairs.append((runs[few], runs[most]))
    if len(pairs) < 2 or few == most:
        return ""
    each = ", ".join(f"{a.wall_s / b.wall_s:.2f}× ({a.docs_per_s:.1f} → {b.docs_per_s:.1f} documents/s, "
                     f"{a.cores:.2f} → {b.cores:.2f} cores busy)" for a, b in pairs)
    pooled = sum(a.wall_s for a, _ in pairs) / sum(b.wall_s for _, b in pairs)
    return (f"Scaling from {few} to {most} workers with commit batch {batch}, in {len(pairs)} alternating "
            f"rounds (the first is the table's): {each}; pooled (summed wall times): **{pooled:.2f}×**.\n")
