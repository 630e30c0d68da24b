"""Commit benchmark: one transaction per batch against Oxigraph's bulk loader, by batch size and store size.

    python bench/bench_commit.py                                    # 240 documents into a small store
    python bench/bench_commit.py --quads 1000000 --prefill 3000     # the same into a store of ~1.2M quads

Why: ``OxigraphStore.add_new_graphs`` writes a batch of new documents with the bulk loader
only from ``BULK_MIN_LINES`` N-Quads lines on, and only once the run of writes has added
``BULK_MIN_SHARE`` of what the store holds (the compaction that closes a bulk-loading run
rewrites the whole store). This measures both choices on this machine through the real
method, so the constants rest on figures. Three ways of committing the same documents:

* *transaction*: every batch one transaction (``BULK_MIN_LINES`` set to infinity);
* *bulk*: every batch through the bulk loader (both constants set to 0);
* *default*: the constants as shipped (what ``kgraph ingest`` does).

Documents are the named graphs of a synthetic data set (``bench/synth.py``); each run starts
from a copy of a store pre-filled with ``--prefill`` of them (one bulk load, compacted),
commits ``--documents`` others in batches of the given size, then calls ``finish_writes``
(the closing compaction, if the run bulk-loaded), whose time is included. Figures are
medians of ``--repeats`` runs, the three ways alternated so that drifts of the machine hit
each alike.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import DATA, log, markdown_table, nquads  # noqa: E402
from run import environment  # noqa: E402

DOCUMENT_GRAPH = "<https://w3id.org/spacecoop/id/document/"
BATCHES = (1, 4, 16, 32, 64, 120)
#: (BULK_MIN_LINES, BULK_MIN_SHARE) of each way of committing; None: as shipped
MODES: dict[str, tuple[int, float] | None] = {"transaction": (sys.maxsize, 0.0), "bulk": (0, 0.0), "default": None}


def documents(quads: int) -> list[tuple[str, str]]:
    """``(graph IRI, N-Triples text)`` of each document graph of the synthetic data set, in file order."""
    graphs: dict[str, list[str]] = defaultdict(list)
    with nquads(quads).open(encoding="utf-8") as lines:
        for line in lines:
            body, graph, _dot = line.rstrip("\n").rsplit(" ", 2)
            if graph.startswith(DOCUMENT_GRAPH) and "_:" not in body:
                graphs[graph[1:-1]].append(body + " .")
    return [(iri, "\n".join(body)) for iri, body in graphs.items()]


def _commit(store, docs: list[tuple[str, str]], batch: int) -> None:
    from kgraph.store.base import NTriples

    for i in range(0, len(docs), batch):
        store.add_new_graphs({iri: NTriples(text, text.count("\n") + 1) for iri, text in docs[i:i + batch]})


def _constants(values: tuple[int, float] | None) -> tuple[int, float]:
    """Set the store's two constants (None: leave them); returns the previous values."""
    from kgraph.store import oxigraph

    saved = oxigraph.BULK_MIN_LINES, oxigraph.BULK_MIN_SHARE
    if values is not None:
        oxigraph.BULK_MIN_LINES, oxigraph.BULK_MIN_SHARE = values
    return saved


def prefilled(docs: list[tuple[str, str]], directory: Path) -> Path:
    """A store holding ``docs`` (bulk-loaded, compacted): copied for each run."""
    from kgraph.store.oxigraph import OxigraphStore

    saved = _constants(MODES["bulk"])
    store = OxigraphStore(directory)
    try:
        _commit(store, docs, len(docs))
        store.finish_writes()
    finally:
        _constants(saved)
        store.close()
    return directory


def one_run(template: Path, todo: list[tuple[str, str]], batch: int, mode: str) -> tuple[float, float, int]:
    """Seconds to commit ``todo`` into a copy of ``template`` in batches of ``batch`` (closing compaction
    included), the compaction's seconds, and how many batches went through the bulk loader."""
    from kgraph.store.oxigraph import OxigraphStore

    with tempfile.TemporaryDirectory(dir=template.parent) as tmp:
        store = OxigraphStore(shutil.copytree(template, Path(tmp) / "store"))
        saved = _constants(MODES[mode])
        try:
            t0 = time.perf_counter()
            _commit(store, todo, batch)
            t1 = time.perf_counter()
            store.finish_writes()
            t2 = time.perf_counter()
            return t2 - t0, t2 - t1, store.bulk_writes
        finally:
            _constants(saved)
            store.close()


def run(quads: int = 100_000, count: int = 240, prefill: int = 300, repeats: int = 3,
        batches: tuple[int, ...] = BATCHES) -> list[list]:
    docs = documents(quads)
    if len(docs) < prefill + count:
        raise SystemExit(f"the data set has {len(docs)} documents; --prefill + --documents must not exceed it")
    todo = docs[prefill:prefill + count]
    lines_per_doc = 2 * statistics.mean(text.count("\n") + 1 for _iri, text in todo)
    rows = []
    with tempfile.TemporaryDirectory(dir=DATA) as tmp:
        template = prefilled(docs[:prefill], Path(tmp) / "template")
        for batch in batches:
            runs = -(-count // batch)
            times: dict[str, list[float]] = {mode: [] for mode in MODES}
            compactions: dict[str, list[float]] = {mode: [] for mode in MODES}
            bulk_loads: dict[str, set[int]] = {mode: set() for mode in MODES}
            for _ in range(repeats):
                for mode in MODES:
                    seconds, compaction, bulk_writes = one_run(template, todo, batch, mode)
                    times[mode].append(seconds)
                    compactions[mode].append(compaction)
                    bulk_loads[mode].add(bulk_writes)
            assert bulk_loads["transaction"] == {0} and bulk_loads["bulk"] == {runs}, bulk_loads
            tx, bk, df = (statistics.median(times[mode]) for mode in MODES)
            log(f"batch {batch}: transaction {tx:.2f} s, bulk {bk:.2f} s, default {df:.2f} s")
            rows.append([batch, round(batch * lines_per_doc), f"{tx / count * 1000:.2f}",
                         f"{bk / count * 1000:.2f} ({statistics.median(compactions['bulk']) * 1000:,.0f})",
                         f"{df / count * 1000:.2f}", "/".join(str(n) for n in sorted(bulk_loads["default"])),
                         f"{tx / bk:.2f}×", f"{tx / df:.2f}×"])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quads", type=int, default=100_000, help="synthetic data set the documents come from")
    parser.add_argument("--documents", type=int, default=240, help="documents committed per run")
    parser.add_argument("--prefill", type=int, default=300, help="documents in the store before the run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (the median counts)")
    args = parser.parse_args(argv)
    rows = run(args.quads, args.documents, args.prefill, args.repeats)
    print(environment())
    print(f"\n{args.documents} documents of the {args.quads:,}-quad synthetic set committed into a store holding "
          f"{args.prefill} others, closing compaction included; median of {args.repeats} runs\n")
    print(markdown_table(["documents per batch", "N-Quads lines per batch", "transaction ms/document",
                          "bulk ms/document (closing compaction ms)", "default ms/document",
                          "default: bulk loads", "transaction ÷ bulk", "transaction ÷ default"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
