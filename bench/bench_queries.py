"""(a) Query benchmark: the analysts' queries on the embedded store vs an rdflib in-memory Dataset.

Both engines hold the same synthetic quads in one process. The embedded store
is :class:`kgraph.store.oxigraph.OxigraphStore` on disk (with the union
default graph it maintains at commit); rdflib is a ``Dataset(default_union=True)``.
Times are medians of the calls made in at least a second (and at least ``runs`` calls), after a warm-up
of at least a second, answers included: for the
store through ``store.query`` (rows of rdflib terms, as rdflib gives) and
through ``store.query_serialized`` (SPARQL JSON, the server's path). rdflib runs
in a forked child of the same process with a time budget per query; a query
past it is reported as ``> budget``. Rows are compared as multisets of
normalised values. Beside the shipped store, on the same data: the store with
Oxigraph sorting every ORDER BY itself (``SORT_IN_KGRAPH`` off: the baseline of
``kgraph.store.ordering``), the store with Oxigraph ordering every join itself
(``JOIN_ORDER_IN_KGRAPH`` off: the baseline of ``kgraph.store.joins``), and the
proposal of superclass types materialized in the union default graph (``bench/proposals.py``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from common import (
    WARMUP_S,
    budgeted,
    fmt_ms,
    label,
    log,
    markdown_table,
    median_ms,
    norm_rows,
    oxigraph_store,
    queries,
    rdflib_dataset,
    rss_mb,
)
from proposals import materialize_types


@dataclass
class QueryFigure:
    size: str
    query: str
    rows: int
    store_ms: float
    json_ms: float
    rdflib_ms: float | None
    rdflib_runs: int
    budget_s: float
    rdflib_over: bool
    equal: bool | None
    engine_sort_ms: float | None = None
    engine_joins_ms: float | None = None
    materialized_ms: float | None = None
    materialized_same: bool | None = None

    @property
    def ratio(self) -> str:
        if self.rdflib_over:
            return f"> {self.budget_s * 1000 / self.store_ms:,.0f}×"
        if self.rdflib_ms is None:
            return "–"
        return f"{self.rdflib_ms / self.store_ms:,.1f}×"


def materialized_copy(directory: Path) -> Path:
    """A copy of a benchmark store with superclass types materialized in the union (the proposal measured)."""
    import pyoxigraph as ox

    target = directory.with_name(directory.name + "-types")
    if not (target / "kgraph-bench-complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(directory, target)
        store = ox.Store(str(target))
        added = materialize_types(store)
        store.optimize()
        store.flush()
        del store
        log(f"{target.name}: {added:,} superclass types added")
    return target


def _without(switch: str, store, text: str):
    """``store.query`` with one of kgraph's own evaluation steps switched off in ``kgraph.store.oxigraph``:
    ``SORT_IN_KGRAPH`` (Oxigraph evaluates the ORDER BY, as before ``kgraph.store.ordering``) or
    ``JOIN_ORDER_IN_KGRAPH`` (Oxigraph orders the joins, as before ``kgraph.store.joins``)."""
    from kgraph.store import oxigraph

    saved = getattr(oxigraph, switch)
    setattr(oxigraph, switch, False)
    try:
        return store.query(text)
    finally:
        setattr(oxigraph, switch, saved)


def run(sizes: list[int], *, runs: int, budget_s: float, with_rdflib: bool = True,
        warmup_s: float = WARMUP_S) -> tuple[list[QueryFigure], dict]:
    from kgraph.store.oxigraph import OxigraphStore

    figures: list[QueryFigure] = []
    loads: dict = {}
    texts = queries()

    def timed(fn):
        # Calls for as long as the warm-up, not just ``runs`` of them: seven calls of a 30 ms query last a
        # fifth of a second, and in run H (2026-12-07) query 05's median was 57 ms where the same query
        # with a planner switched off took 35 ms in the same run. A second gives dozens of samples or more.
        return median_ms(fn, runs, warmup_s=warmup_s, timed_s=warmup_s)

    for quads in sizes:
        size = label(quads)
        directory = oxigraph_store(quads)
        store = OxigraphStore(directory, read_only=True)
        typed = OxigraphStore(materialized_copy(directory), read_only=True)
        ds = None
        if with_rdflib:
            import time

            log(f"loading {size} quads into rdflib")
            before = rss_mb()
            t0 = time.perf_counter()
            ds = rdflib_dataset(quads)
            loads[size] = {"rdflib_load_s": time.perf_counter() - t0, "rdflib_rss_mb": rss_mb() - before}
        for name, text in texts.items():
            log(f"{size} {name}: embedded store")
            store_ms, result = timed(lambda store=store, text=text: store.query(text))
            json_ms, _ = timed(
                lambda store=store, text=text: store.query_serialized(text, "application/sparql-results+json"))
            engine_sort_ms, engine_result = timed(
                lambda store=store, text=text: _without("SORT_IN_KGRAPH", store, text))
            assert norm_rows(engine_result.rows) == norm_rows(result.rows), f"kgraph's sort changed {name}"
            engine_joins_ms, engine_result = timed(
                lambda store=store, text=text: _without("JOIN_ORDER_IN_KGRAPH", store, text))
            assert norm_rows(engine_result.rows) == norm_rows(result.rows), f"kgraph's join order changed {name}"
            typed_ms, typed_result = timed(lambda typed=typed, text=text: typed.query(text))
            rdflib_ms, rdflib_runs, over, equal = None, 0, False, None
            if ds is not None:
                log(f"{size} {name}: rdflib (budget {budget_s:g} s)")
                child = budgeted(lambda ds=ds, text=text: list(ds.query(text)), post=norm_rows, budget_s=budget_s,
                                 runs=runs, warmup_s=warmup_s)
                rdflib_ms, rdflib_runs, over = child.median_ms, len(child.times_ms), child.over_budget
                if child.result is not None:
                    equal = child.result == norm_rows(result.rows)
            figures.append(QueryFigure(size, name, len(result.rows), store_ms, json_ms, rdflib_ms, rdflib_runs,
                                       budget_s, over, equal, engine_sort_ms, engine_joins_ms, typed_ms,
                                       norm_rows(typed_result.rows) == norm_rows(result.rows)))
        store.close()
        typed.close()
        ds = None
    return figures, loads


def table(figures: list[QueryFigure]) -> str:
    yes_no = {True: "yes", False: "**no**", None: "–"}
    rows = [[f.size, f.query, f.rows, fmt_ms(f.store_ms), fmt_ms(f.json_ms), fmt_ms(f.rdflib_ms, f.budget_s),
             f.ratio, yes_no[f.equal], fmt_ms(f.engine_sort_ms), fmt_ms(f.engine_joins_ms),
             fmt_ms(f.materialized_ms) + ("" if f.materialized_same else " (other rows)")] for f in figures]
    return markdown_table(["size", "query", "rows", "store.query ms", "JSON ms", "rdflib ms", "rdflib ÷ store",
                           "same rows", "baseline: Oxigraph sorts ms",
                           "baseline: Oxigraph orders joins ms", "proposed: materialized types ms"], rows)
