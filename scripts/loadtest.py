"""Bounded load test of the kgraph server on loopback.

Builds (or reuses) a store of at least ``--quads`` quads, starts the real
server on it on 127.0.0.1, and drives it for ``--duration`` seconds at
``--concurrency`` with an asyncio httpx client: the analyst queries
(``../shared/queries/*.rq`` through ``POST /sparql``) and the JSON API (every
parameterless ``GET /api/...`` route the server's OpenAPI lists, plus
entity lookups). It reports requests per second, p50/p99 latency overall and
per target, and the error count (any status other than 200, or a transport
error). The run is bounded twice: no more than ``--max-requests`` requests and
no request issued after ``--duration`` seconds.

The graph is the performance engineer's seeded synthetic graph
(``bench/synth.py``, loaded and cached by ``bench/common.py``): one named
graph per document in the layout ingest produces, plus the union default
graph; ``--quads`` counts the named graphs' quads, the store holds more.

    python scripts/loadtest.py                          # 1M quads, 60 s, concurrency 16
    python scripts/loadtest.py --quads 100000 --duration 15 --json report.json
    python scripts/loadtest.py --vary                   # every query evaluated: no answer from the cache

Exit status: 0 when no request failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO.parent / "shared" / "queries"

SC = "https://w3id.org/spacecoop/ontology#"
ID = "https://w3id.org/spacecoop/id/"

def prepare_store(quads: int, where: Path) -> int:
    """A private copy of the benchmark store of ``quads`` synthetic quads (``bench/synth.py``, built once
    and cached by ``bench/common.py``): the server writes next to its store (snapshots, dumps)."""
    import shutil

    sys.path.insert(0, str(REPO / "bench"))
    import common  # bench/common.py: bench/ is not a package
    import pyoxigraph as ox

    shutil.copytree(common.oxigraph_store(quads), where)
    store = ox.Store.read_only(str(where))
    count = len(store)
    del store
    return count


# -- the server ------------------------------------------------------------------------------------

def start_server(store_dir: Path, log_path: Path, timeout: float = 120) -> tuple[subprocess.Popen, str]:
    """The real app under uvicorn on a loopback socket bound here, configured through KGRAPH_* variables."""
    sock = socket.create_server(("127.0.0.1", 0), backlog=256)
    sock.set_inheritable(True)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    env = {**os.environ, "KGRAPH_STORE": str(store_dir)}
    env.pop("KGRAPH_WRITE_TOKEN", None)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "kgraph.server.app:create_app", "--factory",
                                 "--fd", str(sock.fileno()), "--no-access-log"],
                                pass_fds=(sock.fileno(),), env=env, stdout=log, stderr=subprocess.STDOUT)
    sock.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/openapi.json", timeout=5).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the server did not start; see {log_path}")


# -- the load ------------------------------------------------------------------------------------

@dataclass
class Target:
    name: str
    method: str
    path: str
    data: dict | None = None
    headers: dict = field(default_factory=dict)


def targets(url: str, client: httpx.Client) -> list[Target]:
    """Every analyst query, every parameterless JSON API list route, and a few entity lookups."""
    out = [Target(f"sparql {p.stem}", "POST", "/sparql", {"query": p.read_text(encoding="utf-8")},
                  {"Accept": "application/sparql-results+json"}) for p in sorted(QUERIES.glob("*.rq"))]
    spec = client.get(url + "/openapi.json").json()
    for path, ops in sorted(spec.get("paths", {}).items()):
        needs = [p for p in ops.get("get", {}).get("parameters", []) if p.get("required")]
        if path.startswith("/api/") and "{" not in path and "get" in ops and not needs:
            out.append(Target(f"api {path}", "GET", path, headers={"Accept": "application/json"}))
    out += [Target("api /api/search", "GET", "/api/search?q=agreement", headers={"Accept": "application/json"}),
            Target("api /api/between", "GET", "/api/between/KZ/RU", headers={"Accept": "application/json"})]
    for cls in ("State", "Official", "Agreement"):
        r = client.post(url + "/sparql", data={"query": f"SELECT ?x WHERE {{ ?x a <{SC}{cls}> }} LIMIT 3"},
                        headers={"Accept": "application/sparql-results+json"})
        if r.status_code == 200:
            for row in r.json()["results"]["bindings"]:
                iri = row["x"]["value"]
                if iri.startswith(ID):
                    out.append(Target(f"id {cls}", "GET", "/id/" + iri[len(ID):], headers={"Accept": "text/turtle"}))
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def drive(url: str, plan: list[Target], *, concurrency: int, duration: float, max_requests: int,
                timeout: float, vary: bool = False) -> dict:
    """Run the load; with ``vary`` every SPARQL text ends with a unique comment and every other request
    has a unique extra parameter, so that neither the server's answer cache nor its response cache can
    serve it: each request is computed."""
    latencies: dict[str, list[float]] = {t.name: [] for t in plan}
    errors: list[str] = []
    issued = 0
    start = time.monotonic()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) as client:
        async def worker(offset: int) -> None:
            nonlocal issued
            k = offset
            while issued < max_requests and time.monotonic() - start < duration:
                issued += 1
                target = plan[k % len(plan)]
                k += 1
                data, path = target.data, target.path
                if vary and data and "query" in data:
                    data = {**data, "query": f"{data['query']}\n# load request {issued}"}
                elif vary:  # an extra parameter the routes ignore, but a new key for the response cache
                    path += ("&" if "?" in path else "?") + f"load-request={issued}"
                t0 = time.perf_counter()
                try:
                    r = await client.request(target.method, path, data=data, headers=target.headers)
                    await r.aread()
                    if r.status_code != 200:
                        errors.append(f"{target.name}: HTTP {r.status_code} {r.text[:200]}")
                except httpx.HTTPError as exc:
                    errors.append(f"{target.name}: {type(exc).__name__} {exc}")
                latencies[target.name].append(time.perf_counter() - t0)

        await asyncio.gather(*(worker(i * 7) for i in range(concurrency)))
    elapsed = time.monotonic() - start
    every = [x for xs in latencies.values() for x in xs]
    analyst = [x for name, xs in latencies.items() if name.startswith("sparql") for x in xs]
    return {
        "requests": len(every), "seconds": round(elapsed, 2), "requests_per_second": round(len(every) / elapsed, 1),
        "errors": len(errors), "error_samples": errors[:10],
        "p50_ms": round(percentile(every, 50) * 1000, 1), "p99_ms": round(percentile(every, 99) * 1000, 1),
        "analyst_p50_ms": round(percentile(analyst, 50) * 1000, 1),
        "analyst_p99_ms": round(percentile(analyst, 99) * 1000, 1),
        "per_target": {name: {"n": len(xs), "p50_ms": round(percentile(xs, 50) * 1000, 1),
                              "p99_ms": round(percentile(xs, 99) * 1000, 1)} for name, xs in latencies.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quads", type=int, default=1_000_000, help="quads of the synthetic graph")
    parser.add_argument("--url", help="drive an already running server instead of starting one")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds during which requests are issued")
    parser.add_argument("--max-requests", type=int, default=500_000, help="hard cap on the number of requests")
    parser.add_argument("--request-timeout", type=float, default=60.0)
    parser.add_argument("--vary", action="store_true",
                        help="make every request unique, so that nothing is served from a cache")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kgraph-load-") as tmp:
        proc, count = None, None
        url = args.url
        if url is None:
            store_dir = Path(tmp) / "store"
            t0 = time.monotonic()
            count = prepare_store(args.quads, store_dir)
            print(f"store: {count} quads ({time.monotonic() - t0:.1f}s)", file=sys.stderr)
            proc, url = start_server(store_dir, Path(tmp) / "server.log")
        try:
            with httpx.Client(timeout=60) as client:
                plan = targets(url, client)
            print(f"driving {len(plan)} targets at concurrency {args.concurrency} for {args.duration:.0f}s",
                  file=sys.stderr)
            report = asyncio.run(drive(url, plan, concurrency=args.concurrency, duration=args.duration,
                                       max_requests=args.max_requests, timeout=args.request_timeout,
                                       vary=args.vary))
        finally:
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                if proc.returncode not in (0, -signal.SIGTERM):
                    log = (Path(tmp) / "server.log").read_text(errors="replace")
                    print(f"server exited with {proc.returncode}:\n{log[-3000:]}", file=sys.stderr)
    report["targets"] = len(plan)
    report["concurrency"] = args.concurrency
    report["vary"] = args.vary
    report["store_quads"] = count if args.url is None else None
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    width = max(len(n) for n in report["per_target"])
    for name, row in report["per_target"].items():
        print(f"  {name:<{width}}  n={row['n']:<6} p50={row['p50_ms']:>8.1f} ms  p99={row['p99_ms']:>8.1f} ms")
    print(f"requests: {report['requests']} in {report['seconds']}s = {report['requests_per_second']}/s  "
          f"p50 {report['p50_ms']} ms  p99 {report['p99_ms']} ms  analyst p99 {report['analyst_p99_ms']} ms  "
          f"errors: {report['errors']}")
    for sample in report["error_samples"]:
        print("  error:", sample)
    return 0 if report["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
