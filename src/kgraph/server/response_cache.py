"""Whole responses of read routes, cached per write generation.

The JSON API, the Linked Data descriptions and the HTML pages are computed in
this process from several queries and Python models: a state's timeline with
another takes about 150 ms of CPU at a million quads, and under load that CPU
is what every other request waits for. The graph changes only when this
server writes it, so a response computed once stays right until the next
write: the same reasoning as the SPARQL answer cache
(:class:`~kgraph.server.executor.QueryExecutor`), applied to whole responses.

Rules, the same as the answer cache's:

* only when the executor caches answers, i.e. this process is the store's only
  writer (a local store it opened read-write); a store that others write is
  never cached, since no write would tell us it changed;
* a write bumps the executor's generation, which is part of every key, so no
  response computed before a write is served after it; a response whose
  computation overlapped a write is not kept;
* ``GET``/``HEAD`` only, 200 only, at most :data:`ENTRY_BYTES` each and
  :data:`TOTAL_BYTES` in all (least recently used first out);
* the key is everything a response depends on: method, scheme, host, path,
  query string and ``Accept`` (the routes vary on nothing else; writes, which
  read the token, are never ``GET``).

Answers say ``X-Kgraph-Cache: hit`` or ``miss``, so a client (or a test) can
tell. Routes that have their own cache or stream files are left out.
"""

from __future__ import annotations

from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Paths not cached here: the SPARQL endpoints (the executor caches answers), the Graph Store (graphs can be
#: large and are read rarely), dumps and static files (files on disk).
EXCLUDED_PREFIXES = ("/sparql", "/rdf-graphs", "/dumps", "/static")
ENTRIES = 1024
TOTAL_BYTES = 64 * 2**20
ENTRY_BYTES = 4 * 2**20
HEADER = b"x-kgraph-cache"

Entry = tuple[Message, bytes]


class ResponseCache:
    """ASGI middleware: serve a read route's response again until the store is written."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = scope.get("app") if scope["type"] == "http" else None
        executor = getattr(getattr(app, "state", None), "executor", None)
        if (executor is None or not executor.caches_answers or scope["method"] not in ("GET", "HEAD")
                or scope["path"].startswith(EXCLUDED_PREFIXES)):
            await self.app(scope, receive, send)
            return
        generation = executor.generation
        key = _key(scope, generation)
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
            head, body = hit
            await send({**head, "headers": [*head["headers"], (HEADER, b"hit")]})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
            return

        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                keep = message["status"] == 200
                start = {**message, "headers": list(message.get("headers", []))}
                message = {**message, "headers": [*start["headers"], (HEADER, b"miss")]}
            elif message["type"] == "http.response.body" and keep:
                size += len(message.get("body", b""))
                keep = size <= ENTRY_BYTES
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and keep and start is not None \
                        and executor.generation == generation and scope["method"] == "GET":
                    self._remember(key, (start, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)

    def _remember(self, key: tuple, entry: Entry) -> None:
        if key in self._entries:
            return
        self._entries[key] = entry
        self._bytes += len(entry[1])
        while len(self._entries) > ENTRIES or self._bytes > TOTAL_BYTES:
            _, (_, body) = self._entries.popitem(last=False)
            self._bytes -= len(body)


def _key(scope: Scope, generation: int) -> tuple:
    headers = scope.get("headers") or []

    def joined(name: bytes) -> bytes:
        return b",".join(value for key, value in headers if key == name)

    return (generation, scope.get("scheme"), joined(b"host"), scope.get("root_path", ""), scope["path"],
            scope.get("query_string", b""), joined(b"accept"))
