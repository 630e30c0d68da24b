"""Run SPARQL queries for the server with a timeout that really stops them.

Oxigraph cannot cancel a running query, and a thread cannot be killed, so the
server runs queries in a small pool of worker **processes**
(``settings.query_workers``). A query that passes ``settings.query_timeout``
is answered with :class:`~kgraph.errors.QueryTimeout` (503) and its worker is
killed with SIGKILL and replaced; nothing keeps running behind the answer and
the other workers go on serving.

Why workers read *snapshots*, not the live store
-----------------------------------------------
The main process keeps the read-write handle (writes: SPARQL Update, ingest
through the API). The obvious design — workers open the same directory with
``Store.read_only`` and reopen it after each write — is documented by
pyoxigraph as undefined behaviour while another process writes, and it is
unsafe in practice. An experiment (pyoxigraph 0.5: one process writing
500-triple transactions, deleting and compacting; three processes reopening
read-only and querying in a loop, for 15 s) gave ``Corruption: IO error: No
such file or directory … .sst`` on open, and then queries that spun at 100 %
CPU for more than 50 s instead of 2 ms, once compaction had deleted files the
readers' manifest still named. It is kept out of the test suite because it
hangs; ``tests/server/test_executor.py`` runs the same load against this
design instead.

So workers only ever open **immutable checkpoints**: after a write the main
process bumps a generation counter (:meth:`QueryExecutor.notify_write`), and
the next query takes a RocksDB checkpoint (``Store.backup``: hard links to the
immutable SST files, ~10 ms, plus the unflushed log) under
``<store>/.snapshots/``. Each request names the snapshot to use; a worker
whose open snapshot differs reopens read-only before running the query. No
process ever writes a directory that a worker reads, so ``read_only`` is used
exactly as pyoxigraph supports it, every query sees one consistent state, and
a write is visible to every query that starts after it returned. Snapshots
no worker holds any more are deleted; stale ones from a crashed run are
removed at start (the main process holds the store's lock, so they are ours).

A store opened read-only by the server itself (someone else owns it) is read
in place: nothing in this process writes it.

The answer cache
----------------
Answers are kept in a small LRU cache (at most 1024 answers and 64 MiB, none
over 8 MiB, so that a saved query with a few thousand rows, such as the
provenance example's 3.5 MiB at 1M quads, is served again) keyed by the write generation, the query, the media type and
the dataset, so repeated queries (the example queries, dashboards) skip the
workers, and a write makes every older entry unreachable. Only when this
process is the store's only writer (a local store opened read-write), and
never for queries calling RAND, NOW, UUID, STRUUID or BNODE.

Other stores
------------
An in-memory store (``:memory:``) cannot be shared with another process and a
remote store (:class:`~kgraph.store.remote.RemoteSparqlStore`) does its work
elsewhere, so both run in a thread, at most ``query_workers`` at a time. The
answer still comes back as a 503 at the timeout, but the thread cannot be
stopped: an in-memory query runs to its end (holding its slot meanwhile), and
a remote query ends at the remote server's own HTTP timeout. The same thread
path is the fallback when a snapshot cannot be taken (disk full).

Workers are started with the ``forkserver`` method (never ``fork``: the main
process runs RocksDB threads, and forking them deadlocks), so a killed worker
is replaced in milliseconds; each dies with its parent (``PR_SET_PDEATHSIG``)
and at the end of its socket. As with any ``multiprocessing`` program, a
script that starts the server in-process must guard its entry point with
``if __name__ == "__main__":`` (``kgraph serve``, ``python -m uvicorn`` and
pytest do).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import multiprocessing
import pickle
import re
import shutil
import signal
import socket
import struct
import threading
from collections import OrderedDict, deque
from pathlib import Path

from .. import errors
from ..errors import KgraphError, QueryTimeout, StoreError
from ..namespaces import PREFIXES
from .netguard import deny_network, offline_threads

log = logging.getLogger("kgraph.server.executor")

_HEADER = struct.Struct("!Q")
SNAPSHOTS = ".snapshots"
#: The answer cache: entries, total bytes and the largest answer kept.
CACHE_ENTRIES = 1024
CACHE_BYTES = 64 * 2**20
CACHE_ENTRY_BYTES = 8 * 2**20
#: Functions whose value changes at every run: a query that calls them is never answered from the cache.
_VOLATILE = re.compile(r"(?i)\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(")

Answer = tuple[bytes, str, bool]


# -- the wire: length-prefixed pickles over a socket pair ----------------------------------------

def _frame(obj: object) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def _read_blocking(sock: socket.socket, size: int) -> bytes | None:
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            return None
        got += n
    return bytes(buf)


async def _read_async(loop: asyncio.AbstractEventLoop, sock: socket.socket, size: int) -> bytes:
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        n = await loop.sock_recv_into(sock, view[got:])
        if n == 0:
            raise EOFError("the query worker closed its socket")
        got += n
    return bytes(buf)


# -- the worker process -----------------------------------------------------------------------------

def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when its parent goes (a no-op elsewhere)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_main(sock: socket.socket, no_network: bool = False) -> None:
    """Serve requests until the socket closes: open the named snapshot read-only, run, answer.

    With ``no_network`` (the server does not allow SERVICE) the worker first gives up internet
    sockets (:mod:`kgraph.server.netguard`), so a SERVICE the text check missed cannot call out."""
    _die_with_parent()
    if no_network:
        deny_network()                                 # warns on stderr where it cannot
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on the server: the parent stops us
    from ..store.oxigraph import OxigraphStore

    store = None
    opened: str | None = None
    while True:
        header = _read_blocking(sock, _HEADER.size)
        if header is None:
            return
        body = _read_blocking(sock, _HEADER.unpack(header)[0])
        if body is None:
            return
        path, sparql, media_type, default_graphs, named_graphs, limit = pickle.loads(body)
        try:
            if path != opened or store is None:
                if store is not None:
                    store.close()
                store, opened = None, None
                store = OxigraphStore(path, read_only=True)
                opened = path
            reply: tuple = ("ok", *store.query_serialized(
                sparql, media_type, default_graphs=default_graphs, named_graphs=named_graphs,
                limit=limit, prefixes=PREFIXES))
        except Exception as exc:  # noqa: BLE001 - whatever failed is reported to the caller
            reply = ("error", *_error_parts(exc))
        sock.sendall(_frame(reply))


def _error_parts(exc: Exception) -> tuple[str, str, dict]:
    """(class name, message, detail) of an error met while answering, as :func:`_rebuild_error` takes them
    (they cross from a worker process): kgraph's own as they are, anything else (an engine failure) as a
    store error."""
    if isinstance(exc, KgraphError):
        return type(exc).__name__, exc.message, exc.detail
    return "StoreError", f"the query failed in the store: {exc}", {}


def _rebuild_error(name: str, message: str, detail: dict) -> KgraphError:
    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, KgraphError)):
        cls = StoreError
    try:
        return cls(message, detail=detail)
    except TypeError:
        return StoreError(message, detail=detail)


class _Worker:
    __slots__ = ("process", "snapshot", "sock")

    def __init__(self, process, sock: socket.socket) -> None:
        self.process = process
        self.sock = sock
        self.snapshot: str | None = None  # the snapshot it has open (or is opening)

    def kill(self) -> None:
        try:
            self.process.kill()
        except (OSError, ValueError, AttributeError):
            pass
        self.sock.close()
        try:
            self.process.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass


_CONTEXT = None


def _context():
    """The forkserver context, preloading this module so new workers start in milliseconds."""
    global _CONTEXT
    if _CONTEXT is None:
        methods = multiprocessing.get_all_start_methods()
        _CONTEXT = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            _CONTEXT.set_forkserver_preload([__name__])
    return _CONTEXT


# -- the executor -------------------------------------------------------------------------------------

class QueryExecutor:
    """Runs SPARQL for the server with ``settings.query_timeout``, ``max_results`` and a worker pool."""

    def __init__(self, settings, store) -> None:
        self.settings = settings
        self.store = store
        self.timeout = float(settings.query_timeout)
        self.limit = int(settings.max_results)
        self.size = int(settings.query_workers)
        self._generation = 0
        self._lock = threading.Lock()           # generation and snapshot bookkeeping
        self._snapshot_lock = threading.Lock()  # one checkpoint at a time
        self._names = itertools.count()
        self._snapshot: tuple[int, str] | None = None
        self._snapshots: set[str] = set()
        self._workers: list[_Worker] = []
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future] = deque()
        self._slots: asyncio.Semaphore | None = None
        self._cache: OrderedDict[tuple, Answer] = OrderedDict()
        self._cached_bytes = 0
        self._closed = False
        runs_here = self._runs_here(store)
        self.mode = "process" if runs_here and store.location != ":memory:" else "thread"
        # SPARQL run in this process on a local store (updates, in-memory queries, a failed snapshot) runs
        # in threads without network unless SERVICE is allowed; a remote store needs the network
        offline = runs_here and not settings.allow_service
        self._query_threads = offline_threads(self.size, "kgraph-query") if offline else None
        self._update_thread = offline_threads(1, "kgraph-update") if offline else None
        self._root: Path | None = None
        if self.mode == "process":
            self._root = None if store.read_only else Path(store.location) / SNAPSHOTS
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)  # left by a crashed run; we hold the lock
            for _ in range(self.size):
                self._add_worker()

    @staticmethod
    def _runs_here(store) -> bool:
        """Whether SPARQL on ``store`` is evaluated in this process (Oxigraph on disk or in memory)."""
        from ..store.oxigraph import OxigraphStore

        return isinstance(store, OxigraphStore)

    # -- writes ------------------------------------------------------------------------------------
    @property
    def generation(self) -> int:
        """A number that changes whenever the store is written (a cache validator for the routers)."""
        return self._generation

    @property
    def caches_answers(self) -> bool:
        """True when this process is the store's only writer, so a write it did not see cannot happen."""
        return self._root is not None

    def notify_write(self) -> None:
        """Call after every committed write: the next query reads a snapshot that includes it."""
        with self._lock:
            self._generation += 1

    # -- running -------------------------------------------------------------------------------------
    async def run(self, sparql: str, media_type: str, *, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, whole: bool = False) -> Answer:
        """``(body, media type, truncated)`` of one query, or a KgraphError (QueryTimeout at the limit).

        The answer is cut at ``max_results`` rows or triples unless ``whole`` (a Graph Store read: a
        graph is returned whole or not at all, still within the time limit)."""
        if self._closed:
            raise StoreError("the query executor is closed")
        limit = None if whole else self.limit
        if self.mode == "thread":
            return await self._run_in_thread(sparql, media_type, default_graphs, named_graphs, limit)
        key = self._cache_key(sparql, media_type, default_graphs, named_graphs, limit)
        if key is not None and key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        try:
            path = await self._current_snapshot()
        except (OSError, StoreError) as exc:
            log.warning("no snapshot of the store could be taken (%s); querying the live store in a thread",
                        exc)
            return await self._run_in_thread(sparql, media_type, default_graphs, named_graphs, limit)
        request = (sparql, media_type, default_graphs, named_graphs, limit)
        answer = await self._run_in_process(path, request)
        if key is not None and key[0] == self._generation:
            self._remember(key, answer)
        return answer

    async def run_update(self, function, *args):
        """``function(*args)`` (a SPARQL update on the store) in a thread without network on a local store
        unless SERVICE is allowed (:func:`~kgraph.server.netguard.offline_threads`), else in a worker thread."""
        if self._closed:
            raise StoreError("the query executor is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._update_thread, functools.partial(function, *args))

    # -- the answer cache ----------------------------------------------------------------------------
    def _cache_key(self, sparql: str, media_type: str, default_graphs, named_graphs,
                   limit: int | None) -> tuple | None:
        """Answers are cached per write generation, when this process is the store's only writer.

        A write bumps the generation, so a cached answer is never served after
        the data it was computed from changed; queries calling RAND(), NOW(),
        UUID(), STRUUID() or BNODE() are always run.
        """
        if not self.caches_answers or _VOLATILE.search(sparql):
            return None
        return (self._generation, sparql, media_type, tuple(default_graphs or ()), tuple(named_graphs or ()),
                limit)

    def _remember(self, key: tuple, answer: Answer) -> None:
        size = len(answer[0]) + len(key[1])
        if size > CACHE_ENTRY_BYTES or key in self._cache:
            return
        self._cache[key] = answer
        self._cached_bytes += size
        while len(self._cache) > CACHE_ENTRIES or self._cached_bytes > CACHE_BYTES:
            old_key, old = self._cache.popitem(last=False)
            self._cached_bytes -= len(old[0]) + len(old_key[1])

    async def _run_in_process(self, path: str, request: tuple) -> Answer:
        loop = asyncio.get_running_loop()
        worker = await self._acquire(loop)
        worker.snapshot = path
        try:
            reply = await asyncio.wait_for(self._exchange(loop, worker, (path, *request)), self.timeout)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped; "
                               "narrow it down or add a LIMIT") from None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise StoreError(f"the query worker stopped unexpectedly ({exc}); the query was not answered"
                             ) from None
        except BaseException:  # cancelled mid-query: the worker's state is unknown
            self._replace(worker)
            raise
        self._release(worker)
        if reply[0] == "ok":
            return reply[1], reply[2], reply[3]
        raise _rebuild_error(*reply[1:])

    @staticmethod
    async def _exchange(loop: asyncio.AbstractEventLoop, worker: _Worker, request: tuple) -> tuple:
        await loop.sock_sendall(worker.sock, _frame(request))
        (size,) = _HEADER.unpack(await _read_async(loop, worker.sock, _HEADER.size))
        return pickle.loads(await _read_async(loop, worker.sock, size))

    async def _run_in_thread(self, sparql: str, media_type: str, default_graphs, named_graphs,
                             limit: int | None) -> Answer:
        """In-memory and remote stores: a thread per query, at most ``query_workers`` at once."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        slots = self._slots
        await slots.acquire()
        kwargs = {"default_graphs": default_graphs, "named_graphs": named_graphs, "limit": limit,
                  "prefixes": PREFIXES}
        loop = asyncio.get_running_loop()

        def call() -> Answer:
            try:
                return self.store.query_serialized(sparql, media_type, **kwargs)
            except Exception as exc:  # noqa: BLE001 - reported as the worker processes report it
                error = _rebuild_error(*_error_parts(exc))
            # raised outside the handler: the engine's result objects, which must not be dropped in another
            # thread, go with the original error's traceback here
            raise error

        future = loop.run_in_executor(self._query_threads, call)
        done, _ = await asyncio.wait({future}, timeout=self.timeout)
        if not done:  # the thread cannot be stopped: it keeps its slot until it ends
            def free(f: asyncio.Future) -> None:
                slots.release()
                f.exception()          # retrieved, so that asyncio does not log it as never retrieved

            future.add_done_callback(free)
            raise QueryTimeout(f"the query ran longer than {self.timeout:g} s; its answer was abandoned")
        slots.release()
        return future.result()

    # -- the pool ---------------------------------------------------------------------------------------
    def _add_worker(self) -> _Worker:
        parent, child = socket.socketpair()
        process = _context().Process(target=_worker_main, args=(child, not self.settings.allow_service), daemon=True,
                                     name=f"kgraph-query-{next(self._names)}")
        process.start()
        child.close()
        parent.setblocking(False)
        worker = _Worker(process, parent)
        self._workers.append(worker)
        self._release(worker)
        return worker

    async def _acquire(self, loop: asyncio.AbstractEventLoop) -> _Worker:
        while self._idle:
            worker = self._idle.popleft()
            if worker not in self._workers:
                continue
            if worker.process.is_alive():
                return worker
            self._replace(worker)  # died while idle (killed from outside): its successor is queued
        waiter = loop.create_future()
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter, self.timeout)
        except TimeoutError:
            raise QueryTimeout(f"every query worker stayed busy for {self.timeout:g} s; try again later"
                               ) from None
        except BaseException:
            if waiter.done() and not waiter.cancelled():  # handed a worker just as we gave up
                self._release(waiter.result())
            raise

    def _release(self, worker: _Worker) -> None:
        if self._closed or worker not in self._workers:
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)
        self._collect_snapshots()

    def _replace(self, worker: _Worker) -> None:
        """SIGKILL a worker (runaway, dead or abandoned) and start a fresh one in its place."""
        if worker in self._workers:
            self._workers.remove(worker)
        worker.kill()
        if not self._closed:
            self._add_worker()

    # -- snapshots --------------------------------------------------------------------------------------
    async def _current_snapshot(self) -> str:
        if self._root is None:
            return self.store.location
        current = self._snapshot
        if current is not None and current[0] == self._generation:
            return current[1]
        return await asyncio.to_thread(self._take_snapshot)

    def _take_snapshot(self) -> str:
        with self._snapshot_lock:
            generation = self._generation
            current = self._snapshot
            if current is not None and current[0] == generation:
                return current[1]
            assert self._root is not None
            self._root.mkdir(parents=True, exist_ok=True)
            path = str(self._root / f"g{generation}-{next(self._names)}")
            self.store.backup(path)
            with self._lock:
                self._snapshot = (generation, path)
                self._snapshots.add(path)
            self._collect_snapshots()
            return path

    def _collect_snapshots(self) -> None:
        """Delete the snapshots that are neither current nor open in a worker."""
        with self._lock:
            if len(self._snapshots) <= 1:
                return
            keep = {w.snapshot for w in self._workers}
            if self._snapshot is not None:
                keep.add(self._snapshot[1])
            stale = self._snapshots - keep
            self._snapshots -= stale
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)

    # -- the end ----------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop every worker and delete the snapshots; idempotent."""
        if self._closed:
            return
        self._closed = True
        for pool in (self._query_threads, self._update_thread):
            if pool is not None:
                pool.shutdown(wait=False)
        for waiter in self._waiters:
            if not waiter.done():
                waiter.cancel()
        for worker in self._workers:
            worker.kill()
        self._workers.clear()
        self._idle.clear()
        if self.mode == "process" and self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)


__all__ = ["SNAPSHOTS", "QueryExecutor"]
