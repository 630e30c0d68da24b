"""Security: no path traversal through any route, no request to the outside from article input,
document writes need the exact token, and the token never appears in the server's log.

SERVICE, LOAD, FROM, the Graph Store Protocol (XML entities) and the token on
updates are tested in ``tests/server/test_security.py`` (it imports :class:`Canary`).
"""

from __future__ import annotations

import http.client
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from .helpers import ServerProcess, kgraph_cli, synthetic_articles

TOKEN = "s3cret-Token-For-Reliability-Tests-91d2"
SECRETS = ("root:x:0:0", "rocksdb", "[build-system]", "def create_app", "KGRAPH_", TOKEN)


class Canary:
    """A loopback HTTP server that records every request: kgraph must never call it."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle")
                self.end_headers()
                self.wfile.write(b'<http://canary.example/s> <http://canary.example/p> "fetched" .')

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def canary():
    c = Canary()
    yield c
    c.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, small_batch):
    root = tmp_path_factory.mktemp("security")
    store = small_batch.fresh_copy(root / "store")
    with ServerProcess(store, root / "server.log", token=TOKEN, log_level="debug", query_timeout=5) as srv:
        yield srv


def raw_get(url: str, raw_path: str) -> tuple[int, bytes]:
    """GET a path exactly as written (httpx would normalise ``../`` away)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.putrequest("GET", raw_path, skip_accept_encoding=True)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


# -- path traversal -----------------------------------------------------------------------------

TRAVERSALS = [
    "/id/../../../../etc/passwd", "/id/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/id/..%2f..%2f..%2fetc%2fpasswd",
    "/id/%252e%252e%252f%252e%252e%252fetc%252fpasswd", "/id//etc/passwd", "/id/%2fetc%2fpasswd",
    "/id/state/KZ%00/../../etc/passwd", "/id/..\\..\\etc\\passwd",
    "/dumps/../../../../etc/passwd", "/dumps/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/dumps/..%2f..%2fLOCK",
    "/dumps/..%2fCURRENT", "/dumps/%2fetc%2fpasswd", "/dumps//etc/passwd", "/dumps/kgraph.nq.gz%00.txt",
    "/dumps/kgraph.nq.gz/..%2f..%2fOPTIONS", "/dumps/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
    "/static/../../../../etc/passwd", "/static/..%2f..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/%2fetc%2fpasswd", "/static/kgraph.css%00.py", "/static/..%2fserver%2fapp.py",
    "/ontology/..%2f..%2fpyproject.toml", "/api/entities/..%2f..%2f..%2fetc%2fpasswd",
    "/api/documents/..%2f..%2fetc%2fpasswd", "/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_traversal(server, path):
    status, body = raw_get(server.url, path)
    assert status in (400, 404, 405, 422), f"{path}: {status} {body[:200]!r}"
    lowered = body.lower()
    for secret in SECRETS:
        assert secret.lower().encode() not in lowered, f"{path} leaked {secret!r}"


def test_the_dump_itself_is_served_and_only_it(server):
    r = httpx.get(server.url + "/dumps/kgraph.nq.gz", timeout=120)
    assert r.status_code == 200 and r.content[:2] == b"\x1f\x8b"
    store_files = {p.name for p in Path(server.store).iterdir() if p.is_file()}
    for name in sorted(store_files)[:10]:
        assert raw_get(server.url, f"/dumps/{name}")[0] == 404, name


# -- SSRF ----------------------------------------------------------------------------------------
# SERVICE, LOAD, FROM and Graph Store uploads with external entities: tests/server/test_security.py.

def test_an_article_url_is_never_fetched(server, canary):
    article = {**synthetic_articles(1, seed=3)[0], "url": f"{canary.url}/article"}
    r = httpx.post(server.url + "/api/documents", json=article, headers={"Authorization": f"Bearer {TOKEN}"},
                   timeout=120)
    assert r.status_code == 201, r.text[:300]
    assert httpx.get(f"{server.url}/id/document/{r.json()['id']}", timeout=60).status_code == 200
    assert canary.hits == []


def test_html_input_never_fetches_a_dtd_an_entity_or_an_image(tmp_path, canary):
    page = tmp_path / "page.html"
    page.write_text(f'<!DOCTYPE html SYSTEM "{canary.url}/evil.dtd" [<!ENTITY e SYSTEM "{canary.url}/e">]>'
                    f'<html><body><p>Kazakhstan and Russia signed a protocol in Moscow. &e;</p>'
                    f'<img src="{canary.url}/img.png"><iframe src="{canary.url}/frame"></iframe></body></html>',
                    encoding="utf-8")
    result = kgraph_cli("ingest", str(page), "--store", str(tmp_path / "store"), "--quiet")
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert canary.hits == []


# -- the write token ---------------------------------------------------------------------------------

@pytest.mark.parametrize("headers, status", [  # no header, a wrong token, /sparql: tests/server/
    ({"Authorization": "Bearer"}, 401), ({"Authorization": f"Basic {TOKEN}"}, 401),
    ({"Authorization": f"Bearer {TOKEN.lower()}"}, 403), ({"Authorization": f"Bearer {TOKEN}x"}, 403),
    ({"Authorization": f"Bearer {TOKEN[:-1]}"}, 403), ({"X-Token": TOKEN}, 401),
])
def test_document_writes_need_the_exact_token(server, headers, status):
    article = synthetic_articles(1, seed=11)[0]
    before = httpx.get(server.url + "/api/stats", timeout=60).json()
    r = httpx.post(server.url + "/api/documents", json=article, headers=headers, timeout=60)
    assert r.status_code == status, r.text[:300]
    assert r.json()["error"]["code"] in ("unauthorized", "forbidden")
    doc = httpx.get(server.url + "/api/documents", timeout=60).json()["data"][0]["id"]
    assert httpx.delete(f"{server.url}/api/documents/{doc}", headers=headers, timeout=60).status_code == status
    assert httpx.get(server.url + "/api/stats", timeout=60).json() == before


def test_token_never_in_the_log(server):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    article = synthetic_articles(1, seed=13)[0]
    answers = [
        httpx.post(server.url + "/api/documents", json=article, headers=auth, timeout=120),
        httpx.post(server.url + "/api/documents", json={"text": ""}, headers=auth, timeout=60),
        httpx.post(server.url + "/api/documents", json=article, headers={"Authorization": f"Bearer {TOKEN}!"},
                   timeout=60),
        httpx.post(server.url + "/sparql", data={"update": "NOT SPARQL"}, headers=auth, timeout=60),
        httpx.get(server.url + "/openapi.json", timeout=60),
        httpx.get(server.url + "/api/stats", timeout=60),
        httpx.get(server.url + "/.well-known/void", timeout=60),
    ]
    for r in answers:
        assert TOKEN not in r.text, f"{r.request.method} {r.request.url} answered with the token"
    log = server.log()
    assert "POST /api/documents" in log, "the log was not captured"
    assert TOKEN not in log and TOKEN[:12] not in log
