"""Bad articles at every entry point: a clear error or a clean skip, never a partial document.

The same hostile inputs go through ``kgraph ingest`` (as files) and ``POST
/api/documents`` (as JSON bodies). The CLI must reject each with one line
naming the file (and line) and exit 1, ingesting every good article beside
them; the API must answer 4xx with the one error shape. Either way the store
afterwards holds whole documents only: each named graph is exactly what an
uninterrupted ingest of the good articles alone produces.
"""

from __future__ import annotations

import json

import httpx
import pytest

from .helpers import ServerProcess, kgraph_cli, snapshot, synthetic_articles, write_jsonl

TOKEN = "bad-input-token-4e1"
GOOD = "Kazakhstan and Russia signed a protocol on the Baiterek project in Moscow on 27 August 2019."
NESTED_HTML = "<html><body>" + "<div><span>" * 20000 + GOOD + "</span></div>" * 20000 + "</body></html>"
BROKEN_HTML = "<html><body><p>" + GOOD + "<div <<p>></table></td><tr><script>var a = '</p>" + "<b><i>" * 3000

#: name -> (file suffix, file bytes); every one must be rejected by the CLI
BAD_FILES = {
    "empty": (".txt", b""),
    "whitespace": (".txt", b" \n\t\r\n  "),
    "binary": (".txt", bytes(range(256)) * 40),
    "invalid-utf8": (".txt", GOOD.encode() + b"\xff\xfe\xc3\x28"),
    "20mb": (".txt", (GOOD + " ").encode() * (20_000_000 // len(GOOD))),
    "bad-date-line": (".txt", b" date 2019-02-30 " + GOOD.encode()),
    "empty-html": (".html", b"<html><body><nav>Home</nav></body></html>"),
    "binary-html": (".html", b"\x00\x01<html>" + bytes(range(256))),
    "jsonl-not-json": (".jsonl", b"{\"text\": \n"),
    "jsonl-no-text": (".jsonl", json.dumps({"url": "https://x.example/1"}).encode()),
    "jsonl-wrong-types": (".jsonl", json.dumps({"text": GOOD, "url": 42, "date": 20190827}).encode()),
    "jsonl-bad-date": (".jsonl", json.dumps({"text": GOOD, "date": "2019-02-30"}).encode()),
    "jsonl-date-format": (".jsonl", json.dumps({"text": GOOD, "date": "27/08/2019"}).encode()),
    "jsonl-array": (".jsonl", b"[1, 2, 3]"),
    "jsonl-null-text": (".jsonl", json.dumps({"text": None}).encode()),
    "jsonl-huge-text": (".jsonl", json.dumps({"text": GOOD * (6_000_000 // len(GOOD))}).encode()),
    "unknown-type": (".pdf", b"%PDF-1.4"),
}
#: inputs that are unusual but usable: ingested whole (or rejected cleanly), never a crash
ODD_FILES = {
    "nested-html": (".html", NESTED_HTML.encode()),
    "broken-html": (".html", BROKEN_HTML.encode()),
    "far-future-date": (".jsonl", json.dumps({"text": GOOD + " The sides meet again tomorrow.",
                                              "date": "9999-12-31"}).encode()),
    "ancient-date": (".jsonl", json.dumps({"text": GOOD + " They met yesterday.", "date": "0001-01-01"}).encode()),
    "bom-and-crlf": (".txt", b"\xef\xbb\xbf" + GOOD.encode() + b"\r\n\r\nThe sides agreed.\r\n"),
    "control-chars": (".txt", GOOD.encode() + b"\x07\x1b[31m red \x1b[0m"),
    "rtl-and-emoji": (".txt", (GOOD + " \u202eevil\u202c \U0001F680 \u0623\u0633\u062A\u0627\u0646\u0629").encode()),
}


def _write(root, name, suffix, raw):
    path = root / f"{name}{suffix}"
    path.write_bytes(raw)
    return path


def assert_whole_documents_only(store, good_store) -> None:
    graphs, union = snapshot(store)
    reference, _ = snapshot(good_store)
    for iri, triples in graphs.items():
        if iri in reference:
            assert triples == reference[iri], f"{iri} differs from the good articles' own ingest"
    assert union == frozenset().union(*graphs.values())


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """Two good articles and the store an ingest of them alone makes."""
    root = tmp_path_factory.mktemp("good")
    path = write_jsonl(root / "good.jsonl", synthetic_articles(2, seed=31))
    assert kgraph_cli("ingest", str(path), "--store", str(root / "store"), "--quiet").returncode == 0
    return path, root / "store"


def test_cli_rejects_each_bad_file_with_one_line_and_ingests_the_rest(tmp_path, good):
    good_path, good_store = good
    files = [_write(tmp_path, name, suffix, raw) for name, (suffix, raw) in BAD_FILES.items()]
    store = tmp_path / "store"
    result = kgraph_cli("ingest", str(good_path), *map(str, files), "--store", str(store), "--quiet")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected ")]
    for path in files:
        mine = [line for line in rejected if str(path) in line]
        assert len(mine) == 1, f"{path.name}: {mine or result.stderr[-2000:]}"
    assert len(rejected) == len(files), "\n".join(rejected)
    assert "documents: 2 " in result.stdout, result.stdout
    assert snapshot(store) == snapshot(good_store)


def test_cli_takes_odd_but_usable_input_whole_or_rejects_it_cleanly(tmp_path):
    files = [_write(tmp_path, name, suffix, raw) for name, (suffix, raw) in ODD_FILES.items()]
    store = tmp_path / "store"
    result = kgraph_cli("ingest", *map(str, files), "--store", str(store), "--quiet")
    assert result.returncode in (0, 1), f"exit {result.returncode}:\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected ")]
    for path in files:
        assert len([line for line in rejected if str(path) in line]) <= 1, rejected
    documents = int(result.stdout.split("documents:")[1].split()[0])
    assert documents + len(rejected) == len(files), result.stdout + "\n".join(rejected)
    assert kgraph_cli("validate", "--store", str(store)).returncode == 0
    graphs, union = snapshot(store)
    assert union == frozenset().union(*graphs.values())


# -- the API ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory, good):
    root = tmp_path_factory.mktemp("api-bad-input")
    store = root / "store"
    assert kgraph_cli("ingest", str(good[0]), "--store", str(store), "--quiet").returncode == 0
    with ServerProcess(store, root / "server.log", token=TOKEN) as srv:
        yield srv


#: bodies tests/server/test_api.py does not already try (it covers empty, missing and non-string text,
#: unknown fields, NUL bytes, an impossible date, whitespace only and text without words)
BAD_BODIES = {
    "binary-like": {"text": "".join(chr(c) for c in range(1, 32)) * 50},
    "20mb": {"text": "word " * 4_000_000},
    "url-not-string": {"text": GOOD, "url": ["a"]},
    "date-wrong-shape": {"text": GOOD, "date": "August 27, 2019"},
    "date-not-string": {"text": GOOD, "date": 20190827},
    "not-an-object": [GOOD],
    "null-text": {"text": None},
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_api_rejects_bad_bodies_with_the_error_shape(server, name):
    before = httpx.get(server.url + "/api/stats", timeout=60).json()
    r = httpx.post(server.url + "/api/documents", json=BAD_BODIES[name], timeout=120,
                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (400, 413, 422), f"{r.status_code} {r.text[:300]}"
    error = r.json()["error"]
    assert error["code"] and error["message"], error
    assert httpx.get(server.url + "/api/stats", timeout=60).json() == before


@pytest.mark.parametrize("body, content_type", [
    (b"\xff\xfe{\"text\": \"x\"}", "application/json"),
    (b"{\"text\": \"caf\xe9\"}", "application/json"),
    (b"{\"text\": ", "application/json"),
    (b"text=hello", "application/x-www-form-urlencoded"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),
])
def test_api_rejects_undecodable_bodies(server, body, content_type):
    r = httpx.post(server.url + "/api/documents", content=body, timeout=120,
                   headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type})
    assert r.status_code in (400, 413, 415, 422), f"{r.status_code} {r.text[:300]}"
    assert r.json()["error"]["message"]


@pytest.mark.parametrize("name", ["nested-html", "broken-html", "far-future-date", "ancient-date", "rtl-and-emoji"])
def test_api_takes_odd_input_whole_or_rejects_it(server, name):
    suffix, raw = ODD_FILES[name]
    body = json.loads(raw) if suffix == ".jsonl" else {"text": raw.decode("utf-8")}
    r = httpx.post(server.url + "/api/documents", json=body, timeout=300,
                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (201, 400, 422), f"{r.status_code} {r.text[:300]}"
    if r.status_code == 201:
        doc = httpx.get(f"{server.url}/api/documents/{r.json()['id']}", timeout=60).json()
        assert doc["statements"] == r.json()["statements"]
