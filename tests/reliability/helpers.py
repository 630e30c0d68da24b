"""Shared machinery of the reliability tests: synthetic articles, store snapshots, a real server.

Nothing here stands in for a kgraph component: articles go through the real
readers and extractor, stores are real Oxigraph directories, and the server is
the real app run by uvicorn in a child process on loopback.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import httpx

# --------------------------------------------------------------------------------------------
# Synthetic articles: varied, seeded, in the shape of the real corpus lines.
# --------------------------------------------------------------------------------------------

#: (state name, a space agency of it, a capital or space city of it, surnames of its officials)
STATES = [
    ("Kazakhstan", "Kazcosmos", "Astana", ["Mamin", "Aimbetov"]),
    ("Russia", "Roscosmos", "Moscow", ["Borisov", "Rogozin"]),
    ("the United States", "NASA", "Washington", ["Nelson", "Campbell"]),
    ("China", "China National Space Administration", "Beijing", ["Keqiang", "Zhang"]),
    ("India", "Indian Space Research Organisation", "Bengaluru", ["Sivan", "Sharma"]),
    ("France", "CNES", "Paris", ["Dupont", "Moreau"]),
    ("Japan", "Japan Aerospace Exploration Agency", "Tokyo", ["Yamada", "Ito"]),
    ("Germany", "German Aerospace Center", "Berlin", ["Weber", "Schmidt"]),
    ("Italy", "Italian Space Agency", "Rome", ["Rossi", "Bianchi"]),
    ("Canada", "Canadian Space Agency", "Ottawa", ["Tremblay", "Gagnon"]),
    ("Brazil", "Brazilian Space Agency", "Brasilia", ["Pontes", "Silva"]),
    ("Turkey", "Turkish Space Agency", "Ankara", ["Kacar", "Yilmaz"]),
    ("the United Arab Emirates", "UAE Space Agency", "Abu Dhabi", ["Hussein", "Mansoori"]),
    ("Uzbekistan", "Uzbekcosmos", "Tashkent", ["Karimov", "Tashkentov"]),
    ("Egypt", "Egyptian Space Agency", "Cairo", ["Farouk", "Nasser"]),
    ("Australia", "Australian Space Agency", "Canberra", ["Palermo", "Clarke"]),
]
FIRST = ["Askar", "Yuri", "Dmitry", "Anna", "Bill", "Li", "Marie", "Hiroshi", "Klaus", "Giulia", "Lisa",
         "Marcos", "Serdar", "Sarah", "Enrico", "Aidyn", "Talgat", "Olga", "Wei", "Rakesh"]
TITLES = ["Deputy Prime Minister", "Minister of Foreign Affairs", "General Director", "Chairman",
          "First Deputy Prime Minister", "Ambassador", "Administrator", "Minister of Digital Development"]
KINDS = ["memorandum of understanding", "protocol", "agreement", "roadmap", "contract", "programme of cooperation"]
TOPICS = ["satellite navigation", "the training of cosmonauts", "lunar exploration", "remote sensing of the Earth",
          "the Baiterek space rocket complex", "the International Space Station", "launch services",
          "the peaceful use of outer space", "space weather research", "ground station networks"]
PLACES = ["Baikonur", "Star City", "Vostochny Cosmodrome", "Baikonur Cosmodrome", "Kourou", "Geneva", "Vienna"]
OUTLETS = ["Kazinform", "TASS", "Interfax", "Space Daily", "The Hindu", None]
ORDINALS = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th", "12th"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _person(rng: random.Random, surnames: list[str]) -> str:
    """An official of one state: each surname belongs to one state, so no one represents two."""
    return f"{rng.choice(FIRST)} {rng.choice(surnames)}"


def synthetic_article(rng: random.Random, n: int) -> dict:
    """One varied article as a corpus JSON object (different facts, lengths, fields present or null)."""
    (a, agency_a, city_a, names_a), (b, agency_b, city_b, names_b) = rng.sample(STATES, 2)
    year = rng.randint(2005, 2024)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    date = f"{year:04d}-{month:02d}-{day:02d}"
    p1, p2 = _person(rng, names_a), _person(rng, names_b)
    city = rng.choice([city_a, city_b, rng.choice(PLACES)])
    sentences = [
        (f"{city.upper()}, {day} {MONTHS[month - 1]} {year}. {rng.choice(TITLES)} of {a} {p1} and "
         f"{rng.choice(TITLES)} of {b} {p2} signed a {rng.choice(KINDS)} on {rng.choice(TOPICS)} in {city}."),
    ]
    optional = [
        (f"The {rng.choice(ORDINALS)} session of the {a.removeprefix('the ')}-{b.removeprefix('the ')} "
         f"Intergovernmental Commission on space cooperation was held in {city}."),
        f"{p1} and {p2} co-chaired the session.",
        f"{agency_a} and {agency_b} agreed to expand cooperation on {rng.choice(TOPICS)}.",
        f"The sides discussed {rng.choice(TOPICS)} and {rng.choice(TOPICS)}.",
        f"Earlier, {_person(rng, names_a)}, {rng.choice(TITLES)} of {agency_a}, visited {rng.choice(PLACES)}.",
        f"The document amends the {rng.choice(KINDS)} of {rng.randint(1992, year - 1)} between {a} and {b}.",
        f"The next meeting will take place in {rng.choice([city_a, city_b])} in {year + 1}.",
        "The press service did not give further details.",
    ]
    sentences += rng.sample(optional, rng.randint(1, 4))
    if rng.random() < 0.1:  # some long ones, mostly words without facts
        sentences += [f"Paragraph {k}: the parties reaffirmed their interest in {rng.choice(TOPICS)}."
                      for k in range(rng.randint(5, 40))]
    has_url = rng.random() < 0.8
    return {
        "id": f"synth-{n:05d}",
        "url": f"https://news.example.org/{year}/{n:05d}-{rng.randrange(16**6):06x}" if has_url else None,
        "outlet": rng.choice(OUTLETS),
        "date": date if rng.random() < 0.85 else None,
        "title": f"{a[0].upper() + a[1:]} and {b} sign a {rng.choice(KINDS)}" if rng.random() < 0.9 else None,
        "text": " ".join(sentences) + f" (ref. {n})",
    }


def synthetic_articles(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [synthetic_article(rng, n) for n in range(count)]


def write_jsonl(path: Path, articles: list[dict], *, bad_lines: list[str] = ()) -> Path:
    """Write articles as JSON lines; ``bad_lines`` are spread through the file (readers must skip them)."""
    lines = [json.dumps(a, ensure_ascii=False) for a in articles]
    for k, bad in enumerate(bad_lines):
        lines.insert((k + 1) * len(lines) // (len(bad_lines) + 1), bad)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Store snapshots: every named graph as a set of N-Triples lines (documents have no blank nodes).
# --------------------------------------------------------------------------------------------

Snapshot = dict[str, frozenset[str]]


def snapshot(store_dir: Path | str) -> tuple[Snapshot, frozenset[str]]:
    """``({graph IRI: triples}, union default graph)`` of a store no other process is writing.

    Graphs are compared as sets of N-Triples lines; the blank nodes of the ontology graph (documents
    have none) are relabelled canonically first, so the comparison is graph isomorphism.
    """
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    try:
        graphs: dict[str, set[str]] = {}
        union: set[str] = set()
        for q in store.quads_for_pattern(None, None, None, None):
            triple = f"{q.subject} {q.predicate} {q.object} ."
            if isinstance(q.graph_name, ox.DefaultGraph):
                union.add(triple)
            else:
                graphs.setdefault(q.graph_name.value, set()).add(triple)
        return {g: _canonical(t) for g, t in graphs.items()}, _canonical(union)
    finally:
        del store


def _canonical(triples: set[str]) -> frozenset[str]:
    """Triples with blank nodes (the ontology's) get canonical labels, so equal graphs compare equal."""
    plain = {t for t in triples if "_:" not in t}
    if len(plain) == len(triples):
        return frozenset(triples)
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    g = Graph()
    g.parse(data="\n".join(triples - plain), format="nt")
    return frozenset(plain | {line for line in to_canonical_graph(g).serialize(format="nt").splitlines() if line})


def check_consistent(store_dir: Path | str, reference: Snapshot) -> Snapshot:
    """Each document graph is exactly its reference graph, and the union is exactly their union."""
    graphs, union = snapshot(store_dir)
    for iri, triples in graphs.items():
        assert iri in reference, f"a graph that the uninterrupted run does not have: {iri}"
        if triples != reference[iri]:
            missing, extra = reference[iri] - triples, triples - reference[iri]
            raise AssertionError(f"partial document {iri}: {len(missing)} triples missing, {len(extra)} extra, "
                                 f"e.g. {sorted(missing)[:2]} {sorted(extra)[:2]}")
    expected_union = frozenset().union(*graphs.values()) if graphs else frozenset()
    assert union == expected_union, (f"union default graph out of step with the named graphs: "
                                     f"{len(expected_union - union)} missing, {len(union - expected_union)} extra")
    return graphs


@dataclass(frozen=True)
class Batch:
    """A batch of articles and what one uninterrupted ``kgraph ingest`` of it produced."""

    path: Path
    store: Path
    graphs: Snapshot
    union: frozenset[str]
    exit_code: int
    quarantine: dict[str, str]
    seconds: float  # how long the uninterrupted ``kgraph ingest`` took

    @property
    def documents(self) -> list[str]:
        from kgraph.namespaces import DOCUMENT_BASE

        return sorted(g for g in self.graphs if g.startswith(DOCUMENT_BASE))

    def fresh_copy(self, where: Path) -> Path:
        """A writable copy of the reference store."""
        shutil.copytree(self.store, where)
        return where


def quarantine_files(store_dir: Path) -> dict[str, str]:
    """Quarantined documents of a store as ``{file name: set of TriG lines}`` (order-free)."""
    qdir = Path(store_dir) / "quarantine"
    if not qdir.is_dir():
        return {}
    out = {}
    for f in sorted(qdir.glob("*.trig")):
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(f, format="trig")
        out[f.name] = "\n".join(sorted(ds.serialize(format="nquads").splitlines()))
    return out


def kgraph_cli(*args: str, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real ``kgraph`` command in a child process."""
    return subprocess.run([sys.executable, "-c", "from kgraph.cli import app; app()", *args], check=False,
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


# --------------------------------------------------------------------------------------------
# A real server: uvicorn in a child process on a loopback socket bound here (no port races).
# --------------------------------------------------------------------------------------------

class ServerProcess:
    """``create_app()`` under uvicorn, configured by ``KGRAPH_*`` variables; its log goes to a file."""

    def __init__(self, store: Path | str, log_path: Path, *, token: str | None = None, log_level: str = "info",
                 **settings: object) -> None:
        self.store = str(store)
        self.log_level = log_level
        self.log_path = log_path
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("KGRAPH_")}
        self.env["KGRAPH_STORE"] = self.store
        if token:
            self.env["KGRAPH_WRITE_TOKEN"] = token
        for key, value in settings.items():
            self.env[f"KGRAPH_{key.upper()}"] = str(value)
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def start(self, timeout: float = 90) -> Self:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        sock.set_inheritable(True)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        try:
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", "kgraph.server.app:create_app", "--factory",
                     "--fd", str(sock.fileno()), "--log-level", self.log_level],
                    pass_fds=(sock.fileno(),), env=self.env, stdout=log, stderr=subprocess.STDOUT)
        finally:
            sock.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                if httpx.get(self.url + "/openapi.json", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 30) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def sparql_select(client: httpx.Client, query: str, **kw) -> list[dict]:
    """Run a SELECT through ``/sparql`` (POST form) and return the JSON bindings."""
    r = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, **kw)
    assert r.status_code == 200, f"{r.status_code}: {r.text[:500]}"
    return r.json()["results"]["bindings"]


# --------------------------------------------------------------------------------------------
# Small file systems for disk-full and read-only faults.
# --------------------------------------------------------------------------------------------

def can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and Path("/proc/mounts").exists()


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` for the duration (needs root)."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True,
                   capture_output=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def remount(where: Path, mode: str) -> None:
    """Remount a tmpfs ``ro`` or ``rw`` in place."""
    subprocess.run(["mount", "-o", f"remount,{mode}", str(where)], check=True, capture_output=True)


@contextlib.contextmanager
def store_held_by_other_process(store_dir: Path | str) -> Iterator[subprocess.Popen]:
    """Another process opens the store read-write (taking its lock) until the block ends."""
    code = ("import sys; from kgraph.store import open_store; s = open_store(sys.argv[1]); "
            "print('ready', flush=True); sys.stdin.read(); s.close()")
    proc = subprocess.Popen([sys.executable, "-c", code, str(store_dir)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready", "the lock holder could not open the store"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(30)
        proc.stdout.close()


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
