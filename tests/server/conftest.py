"""A real kgraph server for protocol and client-library tests.

:func:`live_server` starts ``create_app()`` under uvicorn in a child process,
on a loopback socket bound here and handed over with ``--fd`` (no port
races), over a store in ``tmp_path`` filled with :data:`SAMPLE` — a small
hand-written graph in the vocabulary, two source documents — by
``store.replace_graph``. Settings go in as ``KGRAPH_*`` variables, exactly as
an operator would set them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

TOKEN = "sparql-test-token-4c1e"
DOC1 = "https://w3id.org/spacecoop/id/document/sample-kazinform-2016"
DOC2 = "https://w3id.org/spacecoop/id/document/sample-tass-2019"

_PREFIXES = """
@prefix sc: <https://w3id.org/spacecoop/ontology#> .
@prefix id: <https://w3id.org/spacecoop/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

#: Two documents, as the extractor would make them (one named graph each).
SAMPLE: dict[str, str] = {
    DOC1: _PREFIXES + """
id:document/sample-kazinform-2016 a sc:Document ; dcterms:source <https://example.org/kazinform/2016-12-26> ;
    dcterms:issued "2016-12-26"^^xsd:date ; dcterms:publisher "Kazinform" .
id:state/KZ a sc:State ; rdfs:label "Kazakhstan" ; sc:isoCode "KZ" ; sc:mentionedIn id:document/sample-kazinform-2016 .
id:state/RU a sc:State ; rdfs:label "Russia" ; sc:isoCode "RU" ; sc:mentionedIn id:document/sample-kazinform-2016 .
id:person/askar-mamin a sc:Official ; rdfs:label "Askar Mamin" ; sc:represents id:state/KZ ;
    sc:holds id:post/askar-mamin-1 ; sc:mentionedIn id:document/sample-kazinform-2016 .
id:post/askar-mamin-1 a sc:Post ; sc:title "First Deputy Prime Minister" ; sc:ofState id:state/KZ ;
    sc:attestedOn "2016-12-26"^^xsd:date .
id:person/dmitry-rogozin a sc:Official ; rdfs:label "Dmitry Rogozin" ; skos:altLabel "D. Rogozin" ;
    sc:represents id:state/RU ; sc:holds id:post/dmitry-rogozin-1 ; sc:mentionedIn id:document/sample-kazinform-2016 .
id:post/dmitry-rogozin-1 a sc:Post ; sc:title "Deputy Prime Minister" ; sc:ofState id:state/RU ;
    sc:attestedOn "2016-12-26"^^xsd:date .
id:project/baiterek a sc:Project ; rdfs:label "Baiterek" ; skos:altLabel "Bayterek" ; sc:party id:state/KZ , id:state/RU ;
    sc:mentionedIn id:document/sample-kazinform-2016 .
id:agreement/roadmap-baikonur-2016 a sc:Roadmap ; rdfs:label "Roadmap on the Baikonur complex" ;
    sc:party id:state/KZ , id:state/RU ; sc:signatory id:person/askar-mamin , id:person/dmitry-rogozin ;
    sc:signedOn "2016-12-26"^^xsd:date ; sc:concerns id:project/baiterek ; sc:validUntil "2050"^^xsd:gYear ;
    sc:mentionedIn id:document/sample-kazinform-2016 .
id:agreement/baikonur-lease-1994 a sc:Treaty ; rdfs:label "Agreement on the lease of the Baikonur complex" ;
    sc:party id:state/KZ , id:state/RU ; sc:signedOn "1994-12-10"^^xsd:date ;
    sc:mentionedIn id:document/sample-kazinform-2016 .
""",
    DOC2: _PREFIXES + """
id:document/sample-tass-2019 a sc:Document ; dcterms:source <https://example.org/tass/2019-08-27> ;
    dcterms:issued "2019-08-27"^^xsd:date ; dcterms:publisher "TASS" .
id:state/KZ a sc:State ; rdfs:label "Kazakhstan" ; sc:isoCode "KZ" ; sc:mentionedIn id:document/sample-tass-2019 .
id:state/RU a sc:State ; rdfs:label "Russia" ; sc:isoCode "RU" ; sc:mentionedIn id:document/sample-tass-2019 .
id:person/askar-mamin a sc:Official ; rdfs:label "Askar Mamin" ; sc:represents id:state/KZ ;
    sc:mentionedIn id:document/sample-tass-2019 .
id:person/yuri-borisov a sc:Official ; rdfs:label "Yuri Borisov" ; skos:altLabel "Yury Borisov" ;
    sc:represents id:state/RU ; sc:mentionedIn id:document/sample-tass-2019 .
id:organization/baikonur-commission a sc:IntergovernmentalBody ;
    rdfs:label "Russia-Kazakhstan Intergovernmental Commission for the Baikonur complex" ;
    sc:mentionedIn id:document/sample-tass-2019 .
id:place/moscow a sc:Place ; rdfs:label "Moscow" ; sc:locatedIn id:state/RU ; sc:mentionedIn id:document/sample-tass-2019 .
id:meeting/baikonur-commission-6 a sc:Meeting ; rdfs:label "6th session of the Intergovernmental Commission" ;
    sc:sessionOf id:organization/baikonur-commission ; sc:chair id:person/askar-mamin , id:person/yuri-borisov ;
    sc:heldOn "2019-08-27"^^xsd:date ; sc:heldAt id:place/moscow ; sc:concerns id:project/baiterek ;
    sc:mentionedIn id:document/sample-tass-2019 .
id:project/baiterek a sc:Project ; rdfs:label "Baiterek" ; sc:mentionedIn id:document/sample-tass-2019 .
id:agreement/protocol-lease-2019 a sc:Protocol ; rdfs:label "Protocol amending the lease agreement" ;
    sc:party id:state/KZ , id:state/RU ; sc:signatory id:person/yuri-borisov ; sc:signedOn "2019-08-27"^^xsd:date ;
    sc:signedAt id:place/moscow ; sc:amends id:agreement/baikonur-lease-1994 ;
    sc:mentionedIn id:document/sample-tass-2019 .
id:agreement/baikonur-lease-1994 a sc:Treaty ; rdfs:label "Agreement on the lease of the Baikonur complex" ;
    sc:mentionedIn id:document/sample-tass-2019 .
""",
}


def sample_graphs() -> dict:
    """:data:`SAMPLE` as rdflib graphs (``id:kind/key`` written out: Turtle names cannot hold a slash)."""
    from rdflib import Graph

    def expand(text: str) -> str:
        return re.sub(r"\bid:([\w-]+/[\w.-]*[\w-])", r"<https://w3id.org/spacecoop/id/\1>", text)

    return {iri: Graph().parse(data=expand(text), format="turtle") for iri, text in SAMPLE.items()}


def fill(store_dir: Path, *, generated: int = 0) -> Path:
    """A store holding the sample documents, the ontology and reference data (and ``generated`` filler triples)."""
    from rdflib import Graph, Literal, URIRef

    from kgraph.ingest import ensure_base_graphs
    from kgraph.settings import Settings
    from kgraph.store import open_store

    store = open_store(str(store_dir))
    try:
        for iri, graph in sample_graphs().items():
            store.replace_graph(iri, graph)
        if generated:
            filler = Graph()
            for n in range(generated):
                filler.add((URIRef(f"urn:filler:{n % 97}"), URIRef(f"urn:p:{n % 7}"), Literal(n)))
            store.replace_graph("urn:kgraph-test:filler", filler)
        ensure_base_graphs(store, Settings(store=str(store_dir)))  # the ontology and the reference data
    finally:
        store.close()
    return store_dir


@dataclass
class LiveServer:
    """A kgraph server in a child process: its URL, store directory and log."""

    url: str
    store: Path
    log_path: Path
    process: subprocess.Popen

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def query(self, text: str, accept: str = "application/sparql-results+json", **kw) -> httpx.Response:
        """POST a query form-encoded (the most common client behaviour)."""
        return httpx.post(self.sparql, data={"query": text}, headers={"Accept": accept, **kw.pop("headers", {})},
                          timeout=kw.pop("timeout", 60), **kw)

    def select(self, text: str) -> list[dict]:
        r = self.query(text)
        assert r.status_code == 200, r.text[:500]
        return r.json()["results"]["bindings"]


@contextmanager
def live_server(store_dir: Path, log_path: Path, **settings: object) -> Iterator[LiveServer]:
    """``create_app()`` under uvicorn over ``store_dir``, configured by ``KGRAPH_*`` variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGRAPH_")}
    env["KGRAPH_STORE"] = str(store_dir)
    for key, value in settings.items():
        if value is not None:
            env[f"KGRAPH_{key.upper()}"] = str(value)
    src = Path(__file__).resolve().parents[2] / "src"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # uvicorn takes an inherited socket for AF_UNIX and so never sets TCP_NODELAY on its connections;
    # accepted sockets inherit it from the listener on Linux (without it every answer waits ~40 ms)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "kgraph.server.app:create_app", "--factory", "--fd",
             str(sock.fileno()), "--log-level", "warning", "--no-access-log"],
            pass_fds=(sock.fileno(),), env=env, stdout=log, stderr=subprocess.STDOUT)
    sock.close()
    server = LiveServer(url, store_dir, log_path, process)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}:\n{server.log()[-3000:]}")
            try:
                if httpx.get(server.sparql, headers={"Accept": "text/turtle"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start in 90 s:\n{server.log()[-3000:]}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


@pytest.fixture(scope="session")
def sample() -> SimpleNamespace:
    """What tests need to know of the sample: its documents and the write token of the servers."""
    return SimpleNamespace(doc1=DOC1, doc2=DOC2, token=TOKEN, auth={"Authorization": f"Bearer {TOKEN}"})


@pytest.fixture(scope="session")
def start_server():
    """:func:`live_server`, for tests that need a server with settings of their own."""
    return live_server


@pytest.fixture(scope="session")
def fill_store():
    """:func:`fill`, for tests that need a store of their own."""
    return fill


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """A filled store no server holds: copy it (``fresh_store``) before serving it."""
    return fill(tmp_path_factory.mktemp("sample") / "store")


@pytest.fixture
def fresh_store(sample_store, tmp_path) -> Path:
    return Path(shutil.copytree(sample_store, tmp_path / "store"))


@pytest.fixture(scope="session")
def server(sample_store, tmp_path_factory) -> Iterator[LiveServer]:
    """The shared server: read-mostly tests only (writes go to ``writable_server``)."""
    root = tmp_path_factory.mktemp("server")
    store = Path(shutil.copytree(sample_store, root / "store"))
    with live_server(store, root / "server.log", write_token=TOKEN, max_results=50, query_timeout=5,
                     max_query_length=5000) as srv:
        yield srv


@pytest.fixture(scope="session")
def readonly_server(sample_store, tmp_path_factory) -> Iterator[LiveServer]:
    """A server started without a write token."""
    root = tmp_path_factory.mktemp("readonly")
    store = Path(shutil.copytree(sample_store, root / "store"))
    with live_server(store, root / "server.log") as srv:
        yield srv


@pytest.fixture
def writable_server(fresh_store, tmp_path) -> Iterator[LiveServer]:
    """A server of its own for one test that writes."""
    with live_server(fresh_store, tmp_path / "server.log", write_token=TOKEN) as srv:
        yield srv
