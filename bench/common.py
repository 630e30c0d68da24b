"""Shared machinery of the benchmarks: data sets, stores, timing and result normalisation.

Generated data lives in ``bench/data/`` (ignored by git; the environment variable
``KGRAPH_BENCH_DATA`` names another folder) and is reused across
runs: ``synth-<size>.nq`` (bench/synth.py) and ``store-<size>/``, an Oxigraph
directory holding those quads plus their deduplicated union in the default
graph, which is exactly what :class:`kgraph.store.oxigraph.OxigraphStore`
keeps after committing the same documents one by one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATA = Path(os.environ.get("KGRAPH_BENCH_DATA") or BENCH / "data")  # generated data sets and stores
QUERIES = REPO.parent / "shared" / "queries"
SEED = 7

sys.path.insert(0, str(BENCH))
import synth  # noqa: E402  (bench/ is not a package)


def label(quads: int) -> str:
    """100000 -> '100k', 1000000 -> '1M'."""
    if quads % 1_000_000 == 0:
        return f"{quads // 1_000_000}M"
    if quads % 1_000 == 0:
        return f"{quads // 1_000}k"
    return str(quads)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def queries() -> dict[str, str]:
    """The analysts' queries: ``{file stem: text}``."""
    if not QUERIES.is_dir():
        raise SystemExit(f"{QUERIES} is missing (the shared/ folder sits beside the repository)")
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}


def nquads(quads: int) -> Path:
    """The synthetic N-Quads file of that size, generated on first use."""
    path = DATA / f"synth-{label(quads)}-s{SEED}.nq"
    if not path.exists():
        log(f"generating {path.name}")
        synth.write(path, quads, SEED)
    return path


def union_ntriples(nq: Path) -> Path:
    """The deduplicated union of the named graphs (what the store keeps in its default graph)."""
    path = nq.with_suffix(".union.nt")
    if path.exists():
        return path
    import pyoxigraph as ox

    seen: set[tuple] = set()
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8") as out:
        for quad in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS):
            triple = (quad.subject, quad.predicate, quad.object)
            if triple not in seen:
                seen.add(triple)
                out.write(f"{quad.subject} {quad.predicate} {quad.object} .\n")
    tmp.replace(path)
    return path


def oxigraph_store(quads: int) -> Path:
    """An Oxigraph directory with the synthetic quads and their union default graph (built once)."""
    import pyoxigraph as ox

    directory = DATA / f"store-{label(quads)}-s{SEED}"
    done = directory / "kgraph-bench-complete"
    if done.exists():
        return directory
    nq = nquads(quads)
    nt = union_ntriples(nq)
    if directory.exists():
        import shutil

        shutil.rmtree(directory)
    log(f"loading {nq.name} into {directory.name}")
    store = ox.Store(str(directory))
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.optimize()
    store.flush()
    del store
    done.write_text(json.dumps({"quads": quads, "seed": SEED}))
    return directory


def rdflib_dataset(quads: int):
    """An rdflib in-memory Dataset whose default graph is the union of the named graphs."""
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(nquads(quads), format="nquads")
    return ds


# -- timing --------------------------------------------------------------------------------------
#: Seconds each side warms up before it is timed (at least one call either way). On the project's
#: 2026-12-06 VM a fresh process ran its first half second or so of queries up to twice as slow (cause
#: not pinned down: memory faulted in, caches filling): query 01 at 1M took 24 ms for its first 16 runs
#: and 14 ms from then on, query 07 about 95 ms after four runs of 156-291 ms. One warm-up call was not
#: enough there, and it hit the two engines unevenly.
WARMUP_S = 1.0


def median_ms(fn: Callable[[], object], runs: int, warmup: int = 1,
              warmup_s: float = WARMUP_S, timed_s: float = 0.0) -> tuple[float, object]:
    """Median wall time of at least ``runs`` calls and ``timed_s`` seconds of calls, in ms, after at
    least ``warmup`` calls and ``warmup_s`` seconds of calls; and the last result."""
    result = None
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < warmup_s:
        result = fn()
        done += 1
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < runs or time.perf_counter() - start < timed_s:
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


@dataclass
class Budgeted:
    """Timings of a call run in a forked child under a time budget."""

    times_ms: list[float]
    result: object = None
    over_budget: bool = False

    @property
    def median_ms(self) -> float | None:
        if not self.times_ms:
            return None
        runs = self.times_ms[1:] if len(self.times_ms) > 1 else self.times_ms  # the first run warms up
        return statistics.median(runs)


def _budget_child(conn, fn, post, runs, spend_s, warmup_s) -> None:
    try:
        t0 = time.perf_counter()
        result = fn()
        first = (time.perf_counter() - t0) * 1000
        conn.send(("first", first, post(result) if post else None))
        while runs and time.perf_counter() - t0 < warmup_s:    # untimed, as median_ms warms up
            fn()
        start = time.perf_counter()
        for _ in range(runs):
            if time.perf_counter() - start > spend_s:
                break
            t0 = time.perf_counter()
            fn()
            conn.send(("run", (time.perf_counter() - t0) * 1000, None))
        conn.send(("done", 0, None))
    except BaseException as exc:  # report, never hang the parent
        conn.send(("error", 0, repr(exc)))
    finally:
        conn.close()


def budgeted(fn: Callable[[], object], *, budget_s: float, runs: int, spend_s: float = 10.0,
             post: Callable[[object], object] | None = None, warmup_s: float = WARMUP_S) -> Budgeted:
    """Run ``fn`` in a forked child (it shares the loaded data): a first run within ``budget_s``
    (else killed and reported over budget), more untimed runs until ``warmup_s`` has passed since the
    first began (none when ``runs`` is 0: only the first counts), then up to ``runs`` timed runs while
    ``spend_s`` lasts.
    ``post`` turns the first result into what is sent back (untimed)."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_budget_child, args=(child, fn, post, runs, spend_s, warmup_s), daemon=True)
    process.start()
    child.close()
    out = Budgeted([])
    deadline = time.monotonic() + budget_s
    try:
        while True:
            timeout = deadline - time.monotonic() if not out.times_ms else spend_s + budget_s + warmup_s
            if timeout <= 0 or not parent.poll(timeout):
                out.over_budget = not out.times_ms
                break
            kind, ms, payload = parent.recv()
            if kind == "error":
                raise RuntimeError(f"benchmark child failed: {payload}")
            if kind == "done":
                break
            out.times_ms.append(ms)
            if kind == "first":
                out.result = payload
    except EOFError:
        pass
    finally:
        if process.is_alive():
            process.kill()
        process.join(10)
        parent.close()
    return out


# -- results -------------------------------------------------------------------------------------
def norm_term(term) -> tuple:
    """A comparable form of an rdflib term; GROUP_CONCAT lists compare as sets (their order is free)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return ("unbound",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, Literal):
        value = str(term)
        if "; " in value:
            value = "; ".join(sorted(value.split("; ")))
        return ("literal", value, str(term.datatype or ""), (term.language or "").lower())
    return ("other", str(term))


def norm_rows(rows: Iterable[Iterable]) -> Counter:
    """Rows as a multiset of normalised tuples."""
    return Counter(tuple(norm_term(t) for t in row) for row in rows)


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    def cell(value: object) -> str:
        return value if isinstance(value, str) else f"{value:,.1f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt_ms(value: float | None, over: float | None = None) -> str:
    if value is None:
        return f"> {over:g} s" if over else "–"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def rss_mb() -> float:
    """Peak RSS of this process so far (VmHWM), MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
