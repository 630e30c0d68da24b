"""The embedded default store: Oxigraph (RocksDB) on disk.

Oxigraph was chosen over rdflib's own stores because it is persistent,
transactional and runs SPARQL natively (see ``bench/RESULTS.md`` for the
ratios). Each write is one SPARQL Update or one N-Quads load, which Oxigraph
applies in one transaction, so the named graph of a document and its share of
the union default graph change together or not at all.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeVar, cast

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ..errors import LimitError, QueryError, StoreError, StoreLocked, StoreReadOnly
from ..sparql_results import GRAPH_TYPES, SELECT_TYPES, serialize_boolean, serialize_select, serialize_triples
from ..sparqltext import check_nesting
from . import joins, ordering
from .base import NTriples, QueryResult, ntriples_lines, resynced_at_end, resynced_update
from .convert import ox_graph, recent_rdflib, to_rdflib

log = logging.getLogger("kgraph.store")
T = TypeVar("T")

#: The undo journal of a bulk write (:meth:`OxigraphStore.add_new_graphs`), in the store directory.
BULK_JOURNAL = ".kgraph-bulk-journal.json"

#: Remove union triples that no named graph holds.
UNION_ORPHANS = "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
#: Re-derive the union default graph from the named graphs (appended to raw updates).
RESYNC_UNION = UNION_ORPHANS + " ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"  # one line: see resynced_update
#: Below this many N-Quads lines a batch of new graphs is one transaction: into a store of ~110k
#: quads, 240 documents in batches of 16 (5,900 lines) took 0.69 times the speed of one transaction
#: per batch by the bulk loader, in batches of 32 (11,800 lines) 0.79 times, of 64 (23,600 lines)
#: 1.12 times, of 120 1.43 times, closing compaction included (``bench/bench_commit.py``, 2026-12-06).
BULK_MIN_LINES = 20_000
#: A run of writes (up to :meth:`OxigraphStore.finish_writes`) takes the bulk loader only once the
#: N-Quads text it added reaches this share of the bytes of the store's files: the compaction that
#: closes a bulk-loading run rewrites the whole store (about 2 s at 1M quads), which the bulk
#: loader's saving (about half of a transaction's time) repays only for loads large beside the
#: store: an initial load, not a few hundred articles added to a big store (``bench/bench_commit.py``).
BULK_MIN_SHARE = 0.3
#: Evaluate a SELECT's final ORDER BY in kgraph where :mod:`kgraph.store.ordering` can (off: the engine sorts).
SORT_IN_KGRAPH = True
#: Past this many rows kgraph leaves the sort to the engine (the rows would all be held in Python at once).
SORT_MAX_ROWS = 100_000
#: Put a query's rarest leading triple pattern first where :mod:`kgraph.store.joins` can (off: the engine's order).
JOIN_ORDER_IN_KGRAPH = True
#: How many query texts keep their join plan (and how many patterns their count) between writes.
PLAN_CACHE_SIZE = 512


class SortedRows(NamedTuple):
    """A SELECT's answer sorted by kgraph: variable names, rows as tuples of Oxigraph terms (None: unbound)."""

    variables: list[str]
    rows: list[tuple]


def _select_rows(result: ox.QuerySolutions | SortedRows, limit: int | None) -> tuple[list[str], list[tuple], bool]:
    """Variables, at most ``limit`` rows (tuples of Oxigraph terms in variable order, None where
    unbound), and whether rows were cut: the one reading of a SELECT answer, sorted by kgraph or not."""
    if isinstance(result, SortedRows):
        return result.variables, result.rows[:limit], limit is not None and len(result.rows) > limit
    rows = [tuple(solution) for solution in islice(result, None if limit is None else limit + 1)]
    truncated = limit is not None and len(rows) > limit
    return [v.value for v in result.variables], rows[:limit], truncated


def _store_error(exc: OSError, location: str) -> StoreError:
    text = str(exc)
    lowered = text.lower()
    if re.search(r"\block\b", lowered):  # RocksDB's "lock file"/"LOCK:", not "block checksum mismatch"
        return StoreLocked(f"the store {location} is locked by another process (is a server or ingest running?)")
    full = ("no space", "file too large", "quota exceeded", "read-only", "permission denied")
    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES) \
            or any(marker in lowered for marker in full):
        return StoreReadOnly(f"the store {location} cannot be written: {text}")
    return StoreError(f"store {location}: {text}")


def _dataset_args(default_graphs: list[str] | None, named_graphs: list[str] | None) -> dict:
    """The engine's dataset for the protocol's ``default-graph-uri`` and ``named-graph-uri``.

    As with ``FROM`` and ``FROM NAMED``, a dataset given by either of them is the whole dataset: with
    only default graphs it has no named graphs, with only named graphs an empty default graph
    (SPARQL 1.1 Query, 13.2).
    """
    if not default_graphs and not named_graphs:
        return {}
    try:
        return {"default_graph": [ox.NamedNode(g) for g in default_graphs or ()],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs or ()]}
    except ValueError as exc:
        raise QueryError(f"a graph of the dataset (default-graph-uri, named-graph-uri) is not an IRI: {exc}") from None


#: How Oxigraph's transactional parser says a term is longer than its buffer, 16 MiB (a MemoryError,
#: though no memory ran out: the data's fault; its bulk loader and SPARQL Update take such a term).
_BUFFER_LIMIT = "buffer maximal size"


class OxigraphStore:
    """A :class:`~kgraph.store.base.Store` over a local Oxigraph database (or in memory)."""

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.location = str(path) if path else ":memory:"
        self.read_only = read_only
        self._write_lock = threading.RLock()  # see replace_graphs: read the stored version, then write
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise _store_error(exc, self.location) from None
        self._unfinished = False  # a bulk write failed and its undo too: no writes until reopened
        self.bulk_writes = 0      # bulk loads done by this handle
        self._bulk_unsettled = False  # a bulk load since the last finish_writes: compact then
        self._run_added = 0           # N-Quads characters add_new_graphs took since the last finish_writes
        self._run_base: int | None = None  # bytes of the store's files when that run of writes began
        self._journal = Path(path) / BULK_JOURNAL if path is not None else None
        # Join plans and the pattern counts they rest on, valid until this handle writes (a handle
        # opened read-only sees the store as it was when opened). Stale counts would only slow a query.
        self._plans: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        if self._journal is not None and self._journal.exists():
            if read_only:
                log.warning("store %s: a bulk write was interrupted; its graphs may be partly visible until "
                            "the store is opened for writing, which removes them", self.location)
            else:
                self._roll_back_journal()
        if read_only:
            self._journal = None

    # -- reading -----------------------------------------------------------------
    def _run(self, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None):
        try:
            return self._store.query(sparql, **_dataset_args(default_graphs, named_graphs))
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise _store_error(exc, self.location) from None

    def _evaluate(self, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None):
        """The engine's result, or for a SELECT whose final ORDER BY kgraph evaluates (see
        :mod:`kgraph.store.ordering`: Oxigraph's sort decodes terms on every comparison) a
        :class:`SortedRows`; where kgraph declines after all, the engine runs the planned query.

        The planners do not have Oxigraph parse the texts they make (a parse costs about a tenth of a
        millisecond, and each query text new to the store paid two or three): running a text parses
        it, and one the engine refuses is replaced by the query as written, whose own answer or error
        that then is. No planned text answers a query the engine refuses: the join planner parses the
        query itself first, and the sort's cut text parses only where the query does (see
        :mod:`kgraph.store.ordering`)."""
        check_nesting(sparql)                      # the engine's parser would crash the process
        if default_graphs or named_graphs:
            _dataset_args(default_graphs, named_graphs)  # a graph that is not an IRI: refused before planning
        planned = self._joined(sparql) if JOIN_ORDER_IN_KGRAPH else sparql
        sort = ordering.plan(planned) if SORT_IN_KGRAPH else None
        if sort is not None:
            result = self._planned(sort.text, default_graphs, named_graphs)
            if result is None:
                return self._as_written(sparql, default_graphs, named_graphs)
            if isinstance(result, ox.QuerySolutions):
                variables, rows, past_cap = _select_rows(result, SORT_MAX_ROWS)
                ordered = None if past_cap else sort.apply(variables, rows)
                if ordered is not None:
                    return SortedRows(variables, ordered)
        if planned != sparql:
            result = self._planned(planned, default_graphs, named_graphs)
            return result if result is not None else self._as_written(sparql, default_graphs, named_graphs)
        return self._run(sparql, default_graphs, named_graphs)

    def _planned(self, text: str, default_graphs: list[str] | None, named_graphs: list[str] | None):
        """The engine's result for a planner's text, or None if the engine refuses it: a syntax error, or
        any other (a custom function it lacks), which the query as written then gives as its own."""
        try:
            return self._store.query(text, **_dataset_args(default_graphs, named_graphs))
        except OSError as exc:
            raise _store_error(exc, self.location) from None
        except Exception:  # noqa: BLE001 - the query as written runs next and fails (or answers) its own way
            return None

    def _as_written(self, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None):
        """``sparql`` run as written, from now on too: the engine refused a text planned for it."""
        self._remember_plan(sparql, sparql)
        return self._run(sparql, default_graphs, named_graphs)

    def _joined(self, sparql: str) -> str:
        """``sparql`` with its leading patterns in the order :mod:`kgraph.store.joins` plans (cached)."""
        planned = self._plans.get(sparql)
        if planned is None:
            try:
                planned = joins.rewrite(sparql, self._count) or sparql
            except QueryError:       # a count query the engine refuses: a plan is never worth an error
                log.warning("a join-planning count failed; the query runs as written", exc_info=True)
                planned = sparql
            self._remember_plan(sparql, planned)
        return planned

    def _remember_plan(self, sparql: str, planned: str) -> None:
        if len(self._plans) >= PLAN_CACHE_SIZE and sparql not in self._plans:
            self._plans.clear()
        self._plans[sparql] = planned

    def _count(self, count_query: str) -> int:
        """The ``?n`` of a ``SELECT (COUNT(*) AS ?n)`` query on the whole store (for join planning)."""
        counted = self._counts.get(count_query)
        if counted is None:
            solution = next(iter(self._run(count_query, None, None)))
            counted = int(solution[0].value)
            if len(self._counts) >= PLAN_CACHE_SIZE:
                self._counts.clear()
            self._counts[count_query] = counted
        return counted

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, limit: int | None = None) -> QueryResult:
        return self._answered(sparql, default_graphs, named_graphs, lambda result: self._converted(result, limit))

    def _answered(self, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None,
                  finish: Callable[[Any], T]) -> T:
        """``finish`` the engine's answer to ``sparql``; if anything fails, the answer is dropped on this
        thread, before the error leaves it. Oxigraph's answers may only be dropped on the thread that made
        them: the server runs queries in a thread pool and hands errors to its event loop, where the
        error's traceback (and with it the answer) was dropped, leaked with its read snapshot, and kept the
        store locked after it was closed (a review found it with a term kgraph could not convert)."""
        result = None
        try:
            result = self._evaluate(sparql, default_graphs, named_graphs)
            return finish(result)
        except RuntimeError as exc:  # the engine cannot evaluate it (a custom function it lacks): the query's fault
            result = None
            traceback.clear_frames(exc.__traceback__)
            raise QueryError(f"the query cannot be evaluated: {exc}") from None
        except BaseException as exc:
            result = None                         # this frame's reference ...
            traceback.clear_frames(exc.__traceback__)  # ... and those of the finished frames below it
            raise

    def _converted(self, result, limit: int | None) -> QueryResult:
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, (ox.QuerySolutions, SortedRows)):
            variables, solutions, truncated = _select_rows(result, limit)
            return QueryResult("select", variables=variables, truncated=truncated,
                               rows=[tuple(map(recent_rdflib, solution)) for solution in solutions])
        graph, truncated = Graph(), False
        for n, triple in enumerate(result):
            if limit is not None and n >= limit:
                truncated = True
                break
            graph.add(cast("tuple[Node, Node, Node]", tuple(map(recent_rdflib, triple))))  # a triple has no None
        return QueryResult("graph", graph=graph, truncated=truncated)

    def query_serialized(self, sparql: str, media_type: str, *, default_graphs: list[str] | None = None,
                         named_graphs: list[str] | None = None, limit: int | None = None,
                         prefixes: dict[str, str] | None = None) -> tuple[bytes, str, bool]:
        """Run and serialize without leaving Oxigraph's terms (the server's fast path)."""
        return self._answered(sparql, default_graphs, named_graphs,
                              lambda result: self._serialized(result, media_type, limit, prefixes))

    def _serialized(self, result, media_type: str, limit: int | None,
                    prefixes: dict[str, str] | None) -> tuple[bytes, str, bool]:
        if isinstance(result, ox.QueryBoolean):
            fmt = SELECT_TYPES.get(media_type, "json")
            return serialize_boolean(bool(result), fmt), media_type if media_type in SELECT_TYPES else \
                "application/sparql-results+json", False
        if isinstance(result, (ox.QuerySolutions, SortedRows)):
            fmt = SELECT_TYPES.get(media_type, "")
            if not fmt:
                media_type, fmt = "application/sparql-results+json", "json"
            variables, solutions, truncated = _select_rows(result, limit)
            return serialize_select(variables, solutions, fmt, truncated=truncated), media_type, truncated
        if media_type not in GRAPH_TYPES:
            media_type = "text/turtle"
        triples: list[ox.Triple] = []
        truncated = False
        for triple in result:
            if limit is not None and len(triples) >= limit:
                truncated = True
                break
            triples.append(triple)
        return serialize_triples(triples, media_type, prefixes), media_type, truncated

    def has_graph(self, graph_iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph_iri))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph(self, graph_iri: str | None) -> Graph:
        g = Graph()
        for q in self._store.quads_for_pattern(None, None, None, ox_graph(graph_iri)):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g

    def quads(self) -> Iterator[tuple]:
        for q in self._store.quads_for_pattern(None, None, None, None):
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue
            yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name)

    def dump(self, out: IO[bytes], media_type: str) -> None:
        fmt = GRAPH_TYPES.get(media_type)
        if fmt not in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            raise ValueError("dump writes datasets: application/n-quads or application/trig")
        quads = (q for q in self._store.quads_for_pattern(None, None, None, None)
                 if not isinstance(q.graph_name, ox.DefaultGraph))
        try:
            ox.serialize(quads, out, fmt)
        finally:
            quads.close()  # Oxigraph's iterator must be dropped on the thread that made it, even on error

    def count(self, graph_iri: str | None = None) -> int:
        if graph_iri is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))

    # -- writing -----------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreReadOnly(f"the store {self.location} is open read-only")
        if self._unfinished:
            raise StoreError(f"store {self.location}: a failed bulk write could not be undone; close and reopen the "
                             "store, which undoes it, before writing again")

    def _update(self, sparql: str) -> None:
        self._write("update", "SPARQL Update", sparql)

    def _write(self, operation: str, language: str, text: str, *, fallback: str | None = None,
               **options) -> None:
        """One transaction (``update`` or ``load``), with Oxigraph's errors as kgraph's.

        The operation is named, not passed as a bound method: the error's traceback keeps this frame's
        locals, and a bound method there would keep the RocksDB handle (and its lock) alive after
        :meth:`close` for as long as the caller holds the error.
        """
        self._writable()
        try:
            with self._write_lock:
                try:
                    getattr(self._store, operation)(text, **options)
                except SyntaxError:
                    if fallback is None:
                        raise
                    getattr(self._store, operation)(fallback, **options)  # a text that failed wrote nothing
        except SyntaxError as exc:
            raise QueryError(f"{language} syntax error: {exc}") from None
        except OSError as exc:
            raise _store_error(exc, self.location) from None
        except MemoryError as exc:   # Oxigraph's parser buffer: a term over 16 MiB; nothing was written
            if _BUFFER_LIMIT not in str(exc):
                raise
            raise LimitError(f"a term of the data is larger than the store takes ({exc}); nothing was written") from None
        except RuntimeError as exc:  # the engine refused to apply it (DROP of a graph that does not exist)
            raise QueryError(f"the {language} was not applied: {exc}") from None
        finally:
            self._written()

    def _written(self) -> None:
        """Forget join plans and counts: the store has changed (after the write, so that a plan made while
        it ran, on the counts before it, is not kept)."""
        self._plans.clear()
        self._counts.clear()

    def update(self, sparql: str) -> None:
        """Apply a SPARQL Update, re-deriving the union wherever a later operation reads it, all in one
        transaction (see :func:`~kgraph.store.base.resynced_update`).

        Should the text with the union re-derived between its operations not parse, the update runs with
        it re-derived at the end only: that text fails with the client's own error position, or, had
        the operations been cut wrongly, runs as every update ran before kgraph cut them.
        """
        check_nesting(sparql)                      # the engine's parser would crash the process
        at_end = resynced_at_end(sparql, RESYNC_UNION)
        text = resynced_update(sparql, RESYNC_UNION)
        self._write("update", "SPARQL Update", text, fallback=at_end if text not in (at_end, sparql) else None)

    def replace_graphs(self, graphs: Mapping[str, Graph | NTriples]) -> None:
        """One transaction for all graphs: a load when none is stored yet (every new document), else one
        update whose part for each graph depends on its stored version (see :meth:`_replace_ops`).

        The stored versions are read and the write made under the write lock, so no other
        writer of this store comes in between (RocksDB lets one process at a time open it for writing).
        """
        self._writable()
        with self._write_lock:
            if not any(self._store.contains_named_graph(ox.NamedNode(iri)) for iri in graphs):
                self._load_new(_nquads(graphs))
                return
            ops = [op for iri, triples in graphs.items() if (op := self._replace_ops(iri, triples))]
            if ops:
                self._update(" ;\n".join(ops))

    def _load_new(self, text: str) -> None:
        """Graphs not stored yet: both copies as N-Quads in one load (one transaction, one blank-node scope).

        Oxigraph's N-Quads parser, without re-checking the IRIs its own writer made,
        costs less than half of what the SPARQL parser takes for the same INSERT DATA.
        """
        if text:
            self._write("load", "N-Quads", text, format=ox.RdfFormat.N_QUADS, lenient=True)

    def add_new_graphs(self, graphs: Mapping[str, Graph | NTriples]) -> None:
        """Store graphs none of which is stored yet, all of them or none: the write of batch ingest.

        Oxigraph's transactional ``load`` inserts every key of every index one by one into
        RocksDB's write buffers, which was most of a one-worker ingest; its bulk loader sorts
        the keys into files that RocksDB takes in whole (for 2,000 synthetic articles in batches
        of 100, one-worker ingest went 1.27 times faster on one machine and 1.74 times on another,
        closing compaction included; see ``bench/HISTORY.md``). But the bulk loader is not atomic: a failure (disk
        full, a crash) may leave part of the batch written. So the graphs' IRIs go first to an
        undo journal in the store directory, written and synced before the load and removed
        after it; a failed load is undone at once, and a journal found when the store is opened
        (the process died mid-load) is undone then. Undoing drops the batch's graphs with their
        share of the union, which restores the state before the batch, since none of them
        existed; then union triples that no graph holds are removed (the loader cuts large inputs
        into chunks of a million quads, each written whole, so a union copy may have landed
        without its named graph's). If even the undo fails, the journal stays and the store
        refuses writes until it is reopened. A batch under ``BULK_MIN_LINES`` lines is one
        transaction instead, and so is every batch of a run of writes until what the run added
        reaches ``BULK_MIN_SHARE`` of the store's size on disk (the closing compaction costs in
        proportion to the whole store). Raises :class:`StoreError` if one of the graphs is stored already.
        """
        self._writable()
        with self._write_lock:
            stored = [iri for iri in graphs if self._store.contains_named_graph(ox.NamedNode(iri))]
            if stored:
                raise StoreError(f"cannot add {stored[0]} as a new graph: the store holds it already")
            text = _nquads(graphs)
            if not text:
                return
            if self._run_base is None:
                self._run_base = self._files_bytes()
            self._run_added += len(text)
            if text.count("\n") < BULK_MIN_LINES:      # small: one transaction is cheaper, and atomic
                self._load_new(text)
                return
            if not self._bulk_unsettled and self._run_added < BULK_MIN_SHARE * self._run_base:
                self._load_new(text)                   # small beside the store: compacting it would cost more
                return
            iris = list(graphs)
            self._write_journal(iris)
            try:
                self._store.bulk_load(text, format=ox.RdfFormat.N_QUADS, lenient=True)
            except Exception as exc:  # noqa: BLE001 - whatever stopped the loader, undo what it wrote
                self._undo_bulk(iris, exc)
            finally:
                self._written()
            self._clear_journal()
            self.bulk_writes += 1
            self._bulk_unsettled = True

    def _write_journal(self, iris: list[str]) -> None:
        if self._journal is None:
            return
        try:
            with open(self._journal, "w", encoding="utf-8") as f:
                json.dump({"graphs": iris}, f)
                f.flush()
                os.fsync(f.fileno())
            _sync_dir(self._journal.parent)
        except OSError as exc:
            self._journal.unlink(missing_ok=True)
            raise _store_error(exc, self.location) from None

    def _clear_journal(self) -> None:
        """Remove the journal: the batch is committed (or undone). A journal that cannot be removed would
        undo a committed batch at the next open, so that is an error the ingest stops on."""
        if self._journal is not None:
            try:
                self._journal.unlink(missing_ok=True)
            except OSError as exc:
                raise _store_error(exc, self.location) from None
            _sync_dir(self._journal.parent)

    def _undo_ops(self, iris: list[str]) -> str:
        return " ;\n".join([*(_drop_ops(iri) for iri in iris), UNION_ORPHANS])

    def _undo_bulk(self, iris: list[str], exc: Exception) -> None:
        """Drop what a failed bulk load wrote, then raise its error (if even that fails, the journal stays)."""
        error = _store_error(exc, self.location) if isinstance(exc, OSError) \
            else StoreError(f"store {self.location}: a bulk write failed: {exc}")
        try:
            self._update(self._undo_ops(iris))
        except StoreError as undo:
            self._unfinished = True
            raise type(error)(f"{error.message}; what the failed write left could not be removed "
                              f"({undo.message}): it is removed when the store is next opened for writing") from None
        self._clear_journal()
        raise error from None

    def _roll_back_journal(self) -> None:
        """Undo the bulk write a previous process did not finish (see :meth:`add_new_graphs`)."""
        assert self._journal is not None
        try:
            iris = json.loads(self._journal.read_text(encoding="utf-8"))["graphs"]
        except (OSError, ValueError, KeyError, TypeError):
            # The journal is complete and synced before the bulk load starts: one that cannot be read
            # was cut short by the crash, so the load it announced never began and nothing needs undoing.
            log.warning("store %s: removed the incomplete journal of a bulk write that never began", self.location)
            self._clear_journal()
            return
        if iris:
            self._update(self._undo_ops(iris))
        log.warning("store %s: undid an unfinished bulk write of %d graph(s)", self.location, len(iris))
        self._clear_journal()

    def _replace_ops(self, iri: str, triples: Graph | NTriples) -> str:
        """The SPARQL Update that makes ``iri`` hold exactly ``triples``, with the union following.

        * a new graph (next to stored ones): only ``INSERT DATA`` (the removal of a
          previous version cost 15 % of a commit even when there was none);
        * a stored graph without blank nodes: only the difference, so re-ingesting
          an unchanged document writes nothing; only the triples the document no
          longer says are looked up in the other graphs (is it still said elsewhere?);
        * otherwise (blank nodes: ontology lists; or nothing left): drop and insert.
        """
        lines, blank = _lines(triples)
        graph = ox.NamedNode(iri)
        if not self._store.contains_named_graph(graph):
            return _insert_op(iri, lines)
        stored, stored_blank = set(), False
        for q in self._store.quads_for_pattern(None, None, None, graph):
            stored.add(f"{q.subject} {q.predicate} {q.object} .")
            stored_blank = stored_blank or isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
        if blank or stored_blank or not lines:
            return " ;\n".join(op for op in (_drop_ops(iri), _insert_op(iri, lines)) if op)
        wanted = set(lines)
        removed = [line for line in stored if line not in wanted]
        ops = []
        if removed:
            rows = "\n".join(f"({line[:-2]})" for line in removed)  # "<s> <p> <o> ." -> "(<s> <p> <o>)"
            ops.append(f"DELETE DATA {{ GRAPH <{iri}> {{\n" + "\n".join(removed) + "\n} }")
            ops.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p ?o) {{\n{rows}\n}} "
                       "FILTER NOT EXISTS { GRAPH ?h { ?s ?p ?o } } }")
        added = _insert_op(iri, [line for line in lines if line not in stored])
        return " ;\n".join(ops + ([added] if added else []))

    def replace_graph(self, graph_iri: str, triples: Graph | NTriples) -> None:
        self.replace_graphs({graph_iri: triples})

    def drop_graph(self, graph_iri: str) -> bool:
        self._writable()
        with self._write_lock:
            if not self.has_graph(graph_iri):
                return False
            self._update(_drop_ops(graph_iri))
        return True

    def backup(self, target: str | Path) -> None:
        """A consistent checkpoint of the store in ``target`` (hard links on the same file system).

        The server's query workers read such checkpoints: opening the live directory
        read-only while this process writes is undefined behaviour in RocksDB.
        """
        try:
            self._store.backup(str(target))
        except OSError as exc:
            raise _store_error(exc, self.location) from None

    def optimize(self) -> None:
        """Compact the database (RocksDB full compaction): later reads merge fewer files.

        A write leaves a small new file per index (column family) beside the
        big ones until RocksDB compacts them together, and every lookup of a
        query must then seek in both: query 07 of the benchmark took 13 ms on
        a 100k-quad store after the server's start-up write against 10 ms
        once compacted. About 0.2 s at 100k quads, 2.5 s at 1M.
        """
        self._writable()
        try:
            self._store.optimize()
        except OSError as exc:
            raise _store_error(exc, self.location) from None

    def finish_writes(self) -> bool:
        """Compact if a bulk load happened since the last call (see :meth:`Store.finish_writes`), and
        end the run of writes whose size ``BULK_MIN_SHARE`` weighs against the store's.

        Bulk loads leave many small files for RocksDB to merge: lookups were several
        times slower until it had, and the next process to open the store would merge
        them in the background while a read-only reader may be opening the same files.
        """
        self._run_added, self._run_base = 0, None
        if not self._bulk_unsettled:
            return False
        self.optimize()
        self._bulk_unsettled = False
        return True

    def _files_bytes(self) -> int:
        """Bytes of the store's data files (0 in memory): what a full compaction reads and rewrites.

        RocksDB's tables (``.sst``) and write-ahead logs (``.log``); not its text log or options,
        which are some 200 KB even in an empty store."""
        if self.location == ":memory:":
            return 0
        try:
            with os.scandir(self.location) as entries:
                return sum(entry.stat().st_size for entry in entries
                           if entry.name.endswith((".sst", ".log")) and entry.is_file())
        except OSError:
            return 0

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        if hasattr(self, "_store"):
            if not self.read_only:
                try:
                    self._store.flush()
                except OSError:
                    pass
            del self._store


def _lines(triples: Graph | NTriples) -> tuple[list[str], bool]:
    """The triples as N-Triples lines, and whether any has a blank node."""
    if isinstance(triples, NTriples):
        return (triples.text.split("\n") if triples.text else []), triples.blank
    return ntriples_lines(triples, blank_nodes=True)


def _nquads(graphs: Mapping[str, Graph | NTriples]) -> str:
    """Each graph's triples twice as N-Quads: in its named graph and in the union default graph."""
    parts = []
    for iri, triples in graphs.items():
        text = triples.text if isinstance(triples, NTriples) else "\n".join(_lines(triples)[0])
        if text:
            block = text + "\n"
            parts.append(block.replace(" .\n", f" <{iri}> .\n") + block)  # a line ends with " ." only there
    return "".join(parts)


def _sync_dir(path: Path) -> None:
    """Make a file's creation or removal in ``path`` durable (POSIX: fsync the directory)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _insert_op(iri: str, lines: list[str]) -> str:
    """Both copies in one operation, so a blank node (ontology lists) is the same node in both; "" if none."""
    if not lines:
        return ""
    block = "\n".join(lines)
    return f"INSERT DATA {{ GRAPH <{iri}> {{\n{block}\n}}\n{block}\n}}"


def _drop_ops(iri: str) -> str:
    """Remove a named graph and the union triples that no other named graph holds."""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != <{iri}>) }} }} ;\n"
            f"DROP SILENT GRAPH <{iri}>")
