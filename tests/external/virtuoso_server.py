"""A private Virtuoso Open Source instance for tests and benchmarks.

It runs ``virtuoso-t`` (Debian's ``virtuoso-opensource``, installed by
``.ci/virtuoso.sh``) in the foreground from a temporary directory with its own
``virtuoso.ini``, on free loopback ports, never as a system service. Once the
HTTP listener answers, the anonymous ``SPARQL`` user is given update rights
through ``isql``: the ``SPARQL_UPDATE`` role (the endpoint's documented
switch for SPARUL) and full default graph permissions for ``nobody`` (read,
write, sponge: 7) as the graph-level security of Virtuoso 7 expects. One
instance is shared by every test of a session (:func:`acquire` /
:func:`release` count the users).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
DBA_PASSWORD = "dba"  # a fresh database's default; the instance listens on 127.0.0.1 only

INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DisableTcpSocket   = 0
CheckpointInterval = 60
CaseMode           = 2
DirsAllowed        = ., {dir}
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {dirty}
MaxQueryMem        = 1G
ThreadsPerQuery    = 1
MaxClientConnections = 20

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}
ServerThreads        = 10
MaxClientConnections = 20
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 400
"""


def available() -> bool:
    """Whether the Virtuoso binaries are installed (``bash .ci/virtuoso.sh``)."""
    return shutil.which(VIRTUOSO) is not None and shutil.which(ISQL) is not None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Virtuoso:
    """One running private instance."""

    directory: Path
    http_port: int
    sql_port: int
    process: subprocess.Popen

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def store_url(self) -> str:
        return "sparql+" + self.sparql_url

    def isql(self, *statements: str, timeout: float = 60) -> str:
        script = "\n".join(s.rstrip().rstrip(";") + ";" for s in statements)
        result = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", DBA_PASSWORD, f"exec={script}"],
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql failed: {result.stdout[-2000:]} {result.stderr[-2000:]}")
        return result.stdout

    def log(self) -> str:
        path = self.directory / "virtuoso.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.isql("shutdown", timeout=30)
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)


def start(*, buffers: int = 170_000, max_rows: int = 1_000_000, ready_timeout: float = 120) -> Virtuoso:
    """Start a fresh instance in a temporary directory and wait until SPARQL answers and updates are allowed.

    ``buffers`` (8 KiB pages) is Virtuoso's cache: 170,000 is about 1.3 GiB.
    ``max_rows`` is ``ResultSetMaxRows``, the cap on one answer.
    """
    if not available():
        raise RuntimeError("Virtuoso is not installed: run `bash .ci/virtuoso.sh`")
    directory = Path(tempfile.mkdtemp(prefix="kgraph-virtuoso-"))
    http_port, sql_port = free_port(), free_port()
    (directory / "virtuoso.ini").write_text(INI.format(
        dir=directory, http_port=http_port, sql_port=sql_port, buffers=buffers,
        dirty=buffers * 3 // 4, max_rows=max_rows))
    process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(directory / "virtuoso.ini")], cwd=directory,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    instance = Virtuoso(directory, http_port, sql_port, process)
    deadline = time.monotonic() + ready_timeout
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {process.returncode}:\n{instance.log()}")
            try:
                if httpx.post(instance.sparql_url, data={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Virtuoso did not answer within {ready_timeout:g} s:\n{instance.log()}")
            time.sleep(0.5)
        instance.isql('GRANT SPARQL_UPDATE TO "SPARQL"', "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7)")
    except BaseException:
        instance.stop()
        raise
    return instance


_shared: Virtuoso | None = None
_users = 0


def acquire() -> Virtuoso:
    """The session's shared instance, started on first use."""
    global _shared, _users
    if _shared is None or _shared.process.poll() is not None:
        _shared = start()
    _users += 1
    return _shared


def release() -> None:
    """Stop the shared instance when its last user is done."""
    global _shared, _users
    _users = max(0, _users - 1)
    if _users == 0 and _shared is not None:
        _shared.stop()
        _shared = None


def shared():
    """A generator for pytest fixtures: the shared instance, or a skip when Virtuoso is not installed."""
    import pytest

    if not available():
        pytest.skip("Virtuoso is not installed (bash .ci/virtuoso.sh)")
    instance = acquire()
    try:
        yield instance
    finally:
        release()


def clear(instance: Virtuoso, *, keep: tuple[str, ...] = ()) -> None:
    """Remove every graph but Virtuoso's own (so each test starts from an empty kgraph dataset)."""
    own = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp", "http://localuriqaserver/",
           "http://localhost", "http://127.0.0.1", *keep)
    answer = httpx.post(instance.sparql_url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Accept": "application/sparql-results+json"}, timeout=60).json()
    graphs = [b["g"]["value"] for b in answer["results"]["bindings"]]
    drops = [f"DROP SILENT GRAPH <{g}>" for g in graphs if not g.startswith(own)]
    if drops:
        response = httpx.post(instance.sparql_url, data={"update": " ;\n".join(drops)}, timeout=120)
        response.raise_for_status()
