"""(d) Server memory and (e) HTTP throughput, on loopback only, with bounded loads.

(d) ``kgraph serve`` over a copy of the synthetic store: after every analyst
query has run (twice, through HTTP), the peak resident memory (``VmHWM`` in
``/proc/<pid>/status``) of the server process and of its query workers.

(e) ``kgraph serve`` and ``rdflib-endpoint serve`` (an rdflib Dataset with the
union as default graph) serving the same graph: a fixed number of requests per
query at concurrency 8 from an asyncio httpx client, requests/s and latency
percentiles, and the ratio. Every request is checked to answer 200. The same
graph: kgraph loads the ontology and reference data into its store at start,
so rdflib-endpoint is given the synthetic quads plus those two graphs
(:func:`served_nquads`), and each answer's row count is recorded for both.
kgraph runs without its access log (``--no-access-log``); rdflib-endpoint has
no such option and logs each request (a fraction of a millisecond of its
~50 ms per request).

Run one part alone: ``python bench/bench_server.py http [--engines kgraph]``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from common import label, log, markdown_table, nquads, oxigraph_store, queries

HOST = "127.0.0.1"
JSON = "application/sparql-results+json"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """A server child process on loopback, stopped (with its process group) on exit."""

    def __init__(self, argv: list[str], port: int, *, path: str = "/sparql", ready_timeout: float = 600) -> None:
        self.port = port
        self.url = f"http://{HOST}:{port}{path}"
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + ready_timeout
        while True:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"{argv[0]} exited: {self.log.read()[-3000:].decode(errors='replace')}")
            try:
                if httpx.post(self.url, data={"query": "ASK {}"}, headers={"Accept": JSON}, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{argv} did not answer within {ready_timeout:g} s")
            time.sleep(0.5)

    def pids(self) -> list[int]:
        """The server and every process below it."""
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*"):
                try:
                    todo += [int(c) for c in (task / "children").read_text().split()]
                except OSError:
                    pass
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()


def vm_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def kgraph_server(store_dir: Path, *, access_log: bool = True) -> Server:
    port = free_port()
    return Server([sys.executable, "-m", "kgraph.cli", "serve", "--store", str(store_dir), "--host", HOST,
                   "--port", str(port), *([] if access_log else ["--no-access-log"])], port)


def served_nquads(quads: int, directory: Path) -> Path:
    """The synthetic quads plus the ontology and reference-data graphs, as N-Quads in ``directory``.

    ``kgraph serve`` loads those two graphs into its store at start (``ensure_base_graphs``), so this is the
    graph it serves, and what rdflib-endpoint is given: both answer over the same quads. (The reference
    data triples the labels that query 07 filters.)
    """
    from rdflib import Dataset, URIRef

    from kgraph.ingest import load_ontology
    from kgraph.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from kgraph.refdata import reference_graph
    from kgraph.settings import Settings

    ds = Dataset()
    for iri, graph in ((ONTOLOGY_GRAPH, load_ontology(Settings().ontology_path)), (REFERENCE_GRAPH, reference_graph())):
        named = ds.graph(URIRef(iri))
        for triple in graph:
            named.add(triple)
    path = directory / "served.nq"
    with open(path, "wb") as out:
        with open(nquads(quads), "rb") as synthetic:
            shutil.copyfileobj(synthetic, out)
        out.write(ds.serialize(format="nquads", encoding="utf-8"))
    return path


def store_copy(quads: int) -> Path:
    """A throw-away copy of the benchmark store (the server refreshes the ontology and reference graphs)."""
    target = Path(tempfile.mkdtemp(prefix="kgraph-bench-serve-")) / "store"
    shutil.copytree(oxigraph_store(quads), target)
    return target


# -- (d) memory ------------------------------------------------------------------------------------
@dataclass
class MemoryFigure:
    size: str
    server_mb: float
    workers_mb: list[float]
    store_mb: float


def memory(quads: int) -> MemoryFigure:
    directory = store_copy(quads)
    log(f"kgraph serve on {label(quads)} quads: memory")
    server = kgraph_server(directory)
    try:
        for _ in range(2):
            for text in queries().values():
                response = httpx.post(server.url, data={"query": text}, headers={"Accept": JSON}, timeout=120)
                response.raise_for_status()
        pids = server.pids()
        main = vm_hwm_mb(pids[0])
        workers = [vm_hwm_mb(pid) for pid in pids[1:]]
    finally:
        server.stop()
        size_mb = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file()) / 2**20
        shutil.rmtree(directory.parent, ignore_errors=True)
    return MemoryFigure(label(quads), main, workers, size_mb)


def memory_table(figures: list[MemoryFigure]) -> str:
    rows = [[f.size, f"{f.server_mb:,.0f}", ", ".join(f"{w:,.0f}" for w in f.workers_mb) or "–",
             f"{f.server_mb + sum(f.workers_mb):,.0f}", f"{f.store_mb:,.0f}"] for f in figures]
    return markdown_table(["size", "server VmHWM MiB", "query workers VmHWM MiB", "total MiB", "store on disk MiB"],
                          rows)


# -- (e) HTTP load -----------------------------------------------------------------------------------
@dataclass
class LoadFigure:
    engine: str
    query: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    rows: int = -1  # rows of the answer (checked once before the load)
    round_rps: list[float] = field(default_factory=list)  # requests/s of each round, when there were several

    @property
    def rps(self) -> float:
        """Requests over seconds, summed over the rounds: the throughput of one load as long as all of them."""
        return self.requests / self.seconds

    @classmethod
    def pooled(cls, engine: str, query: str, rounds: list[tuple[int, float, list[float], int]], rows: int = -1
               ) -> LoadFigure:
        """One figure from several rounds of ``(requests, seconds, latencies, errors)``."""
        return cls(engine, query, requests=sum(r[0] for r in rounds), errors=sum(r[3] for r in rounds),
                   seconds=sum(r[1] for r in rounds), latencies_ms=[ms for r in rounds for ms in r[2]], rows=rows,
                   round_rps=[r[0] / r[1] for r in rounds])

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _load(url: str, text: str, requests: int, concurrency: int, timeout: float, *,
                vary: bool = True) -> tuple[float, list[float], int]:
    """``requests`` POSTs from ``concurrency`` tasks; ``vary`` makes each text unique (a trailing comment),
    so that no answer cache can serve it."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        async def worker() -> None:
            nonlocal errors
            for k in counter:
                body = f"{text}\n# request {k} {time.monotonic_ns()}" if vary else text
                t0 = time.perf_counter()
                try:
                    response = await client.post(url, data={"query": body}, headers={"Accept": JSON})
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - t0, latencies, errors


async def _load_raw(url: str, text: str, requests: int, concurrency: int, timeout: float, *,
                    vary: bool = True) -> tuple[float, list[float], int]:
    """What :func:`_load` does, with a minimal HTTP/1.1 keep-alive client on asyncio streams.

    httpx spends about 1 ms of CPU per request; on a 2-core machine that is taken from the server under
    test. This client writes the request bytes and reads the status, headers and body (Content-Length or
    chunked) and nothing more, so that nearly all the CPU goes to the servers. The same for both servers.
    """
    from urllib.parse import urlencode, urlsplit

    parts = urlsplit(url)
    host, port, path = parts.hostname, parts.port or 80, parts.path or "/"
    latencies: list[float] = []
    errors = 0
    counter = iter(range(requests))

    async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
        status = int((await reader.readline()).split(b" ", 2)[1])
        length, chunked, close = None, False, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value:
                chunked = True
            elif name == b"connection" and value == b"close":
                close = True
        if chunked:
            while size := int((await reader.readline()).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readline()
        elif length is not None:
            await reader.readexactly(length)
        else:
            await reader.read()
            close = True
        return status, close

    async def worker() -> None:
        nonlocal errors
        connection = None
        for k in counter:
            query = f"{text}\n# request {k} {time.monotonic_ns()}" if vary else text
            body = urlencode({"query": query}).encode()
            request = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {JSON}\r\n"
                       f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
                       ).encode() + body
            t0 = time.perf_counter()
            try:
                if connection is None:
                    connection = await asyncio.open_connection(host, port)
                reader, writer = connection
                writer.write(request)
                status, close = await asyncio.wait_for(read_response(reader), timeout)
                if status != 200:
                    errors += 1
                if close:
                    writer.close()
                    connection = None
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, TimeoutError):
                errors += 1
                if connection is not None:
                    connection[1].close()
                connection = None
            latencies.append((time.perf_counter() - t0) * 1000)
        if connection is not None:
            connection[1].close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - t0, latencies, errors


def http(quads: int, *, requests: int, concurrency: int = 8, names: tuple[str, ...] = ("01", "02", "07"),
         timeout: float = 120, engines: tuple[str, ...] = ("kgraph", "rdflib-endpoint"),
         client: str = "httpx", kgraph_rounds: int = 5) -> list[LoadFigure]:
    """Both servers under the same load; ``client`` "raw" loads them with :func:`_load_raw` instead of httpx.

    kgraph's load of ``requests`` lasts one or two seconds, rdflib-endpoint's tens of seconds, and on the
    shared machine kgraph's figure moved by up to a third between rounds of one run (01: 536–713
    requests/s in run I, 2026-12-07). So kgraph's
    load runs ``kgraph_rounds`` times and its figure pools them (all requests over all their seconds,
    as one load that long would give), with the rounds' range beside it; rdflib-endpoint's one long
    load already spans as much of the machine's ups and downs.
    """
    load = {"httpx": _load, "raw": _load_raw}[client]
    texts = {k: v for k, v in queries().items() if k[:2] in names}
    figures = []
    directory = store_copy(quads)
    try:
        port = free_port()
        served = served_nquads(quads, directory.parent)
        starts = {"kgraph": lambda: kgraph_server(directory, access_log=False),
                  "rdflib-endpoint": lambda: Server(  # rdflib-endpoint answers SPARQL at its root
                      [shutil.which("rdflib-endpoint") or "rdflib-endpoint", "serve", str(served),
                       "--host", HOST, "--port", str(port)], port, path="/")}
        for engine, start in [(e, starts[e]) for e in engines]:
            log(f"{engine} on {label(quads)} quads: {requests} requests per query at concurrency {concurrency}")
            server = start()
            try:
                for name, text in texts.items():
                    answer = httpx.post(server.url, data={"query": text}, headers={"Accept": JSON}, timeout=timeout)
                    answer.raise_for_status()
                    rows = len(answer.json()["results"]["bindings"])
                    asyncio.run(load(server.url, text, max(concurrency, requests // 10), concurrency, timeout))
                    rounds = []
                    for _ in range(kgraph_rounds if engine == "kgraph" else 1):
                        seconds, latencies, errors = asyncio.run(load(server.url, text, requests, concurrency,
                                                                      timeout))
                        rounds.append((requests, seconds, latencies, errors))
                    figures.append(LoadFigure.pooled(engine, name, rounds, rows))
                    if engine == "kgraph":  # the same text again and again: kgraph's answer cache serves it
                        seconds, latencies, errors = asyncio.run(
                            load(server.url, text, requests, concurrency, timeout, vary=False))
                        figures.append(LoadFigure("kgraph-cached", name, requests, errors, seconds, latencies))
            finally:
                server.stop()
    finally:
        shutil.rmtree(directory.parent, ignore_errors=True)
    return figures


def http_table(figures: list[LoadFigure]) -> str:
    by_key = {(f.engine, f.query): f for f in figures}
    rows = []
    for (engine, name), f in by_key.items():
        if engine != "kgraph":
            continue
        other = by_key.get(("rdflib-endpoint", name))
        cached = by_key.get(("kgraph-cached", name))
        spread = f"{min(f.round_rps):,.0f}–{max(f.round_rps):,.0f}" if len(f.round_rps) > 1 else "–"
        rows.append([name, f"{len(f.round_rps)} × {f.requests // max(len(f.round_rps), 1)}", f"{f.rps:,.1f}", spread,
                     f"{f.pct(0.5):,.1f}", f"{f.pct(0.99):,.1f}",
                     f"{other.rps:,.1f}" if other else "–", f"{other.pct(0.5):,.1f}" if other else "–",
                     f"{other.pct(0.99):,.1f}" if other else "–",
                     f"{f.rps / other.rps:,.1f}×" if other else "–",
                     f"{cached.rps:,.0f} / {cached.pct(0.5):,.1f} / {cached.pct(0.99):,.1f}" if cached else "–",
                     f"{f.errors}/{other.errors if other else '–'}",
                     f"{f.rows}/{other.rows if other else '–'}"])
    return markdown_table(["query", "kgraph requests", "kgraph req/s", "kgraph rounds req/s", "kgraph p50 ms",
                           "kgraph p99 ms",
                           "rdflib-endpoint req/s", "rdflib-endpoint p50 ms", "rdflib-endpoint p99 ms",
                           "throughput ratio", "kgraph cached: req/s / p50 / p99", "errors (kgraph/rdflib)",
                           "answer rows (kgraph/rdflib)"], rows)



def main(argv: list[str] | None = None) -> int:
    """Run one part alone: ``python bench/bench_server.py http --requests 400 [--engines kgraph]``."""
    import argparse

    from synth import parse_size

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=("http", "memory"))
    parser.add_argument("--size", default="100k", help="quads (memory only; http always uses 100k)")
    parser.add_argument("--requests", type=int, default=400, help="requests per query and server")
    parser.add_argument("--queries", default="01,02,07", help="query numbers, comma-separated")
    parser.add_argument("--engines", default="kgraph,rdflib-endpoint", help="servers to load, comma-separated")
    parser.add_argument("--rounds", type=int, default=5, help="kgraph's loads per query, pooled [5]")
    parser.add_argument("--client", choices=("httpx", "raw"), default="httpx",
                        help="load client: httpx (as in bench/run.py) or a minimal one on asyncio streams")
    args = parser.parse_args(argv)
    if args.part == "memory":
        print(memory_table([memory(parse_size(args.size))]))
        return 0
    figures = http(100_000, requests=args.requests, names=tuple(q.strip() for q in args.queries.split(",")),
                   engines=tuple(e.strip() for e in args.engines.split(",")), client=args.client,
                   kgraph_rounds=args.rounds)
    print(http_table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
