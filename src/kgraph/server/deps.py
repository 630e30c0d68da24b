"""Dependencies shared by every router: settings, the store, the query executor, auth.

Routers declare what they need with the ``Annotated`` aliases below; nothing
reads globals, so tests build an app per settings object.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from starlette.requests import ClientDisconnect

from ..articles import MAX_FIELD_CHARS
from ..errors import AuthError, ForbiddenOperation, InputError, LimitError
from ..settings import Settings
from ..store import Store


def base_url(request: Request) -> str:
    """This server's public base URL, without a final ``/``: ``KGRAPH_BASE_URL`` when set (behind a proxy
    the request's own host is not one a client can reach), else the request's."""
    return (request.app.state.settings.base_url or str(request.base_url)).rstrip("/")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_executor(request: Request):
    """The :class:`~kgraph.server.executor.QueryExecutor` that runs SPARQL with a timeout."""
    return request.app.state.executor


def get_ingestor(request: Request):
    """The app's :class:`~kgraph.ingest.Ingestor`, built on first use (it loads the NLP pipeline)."""
    state = request.app.state
    if getattr(state, "ingestor", None) is None:
        from ..ingest import Ingestor

        state.ingestor = Ingestor(state.store, state.settings)
    return state.ingestor


def require_write_token(request: Request) -> None:
    """Writes need ``Authorization: Bearer <token>``; without a configured token the server is read-only.

    The token is compared in constant time and never logged.
    """
    token = request.app.state.settings.write_token
    if not token:
        raise ForbiddenOperation("this server is read-only: start it with a write token (KGRAPH_WRITE_TOKEN) "
                                 "to allow writes")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise AuthError("writes need an 'Authorization: Bearer <token>' header")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ForbiddenOperation("the write token is not valid")


async def read_body(request: Request, cap: int) -> bytes:
    """The request body, refused (413) as soon as it is longer than ``cap`` bytes, before it is all read."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise LimitError(f"the request body has {length} bytes; this server takes at most {cap}")
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise LimitError(f"the request body is longer than {cap} bytes")
            chunks.append(chunk)
    except ClientDisconnect:   # no one reads the answer; a 400, not a 500 with a traceback in the log
        raise InputError("the client closed the connection before it sent the whole body") from None
    return b"".join(chunks)


class _CappedBody(Request):
    """A write request whose body is read up to the cap of an article in JSON (413 beyond)."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):   # Starlette's own cache of the body, as its Request.body keeps it
            # \uXXXX escapes: six bytes for a text byte at most; twelve for a character of another field
            # (an astral one is a pair of escapes), and room for the keys and spaces
            cap = self.app.state.settings.max_article_bytes * 6 + 12 * sum(MAX_FIELD_CHARS.values()) + 65_536
            self._body = await read_body(self, cap)
        return self._body


class WriteRoute(APIRoute):
    """A write route whose token is checked, and whose body is capped, before its body is read.

    Why: FastAPI reads and parses a route's body before it solves the route's dependencies, so a client
    without the token made the server read and parse a body of any size before it was refused.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            require_write_token(request)
            capped = _CappedBody(request.scope, request.receive)
            await capped.body()   # read here: FastAPI calls any failure of its own read a 400
            return await handler(capped)

        return guarded


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
WriteAccess = Depends(require_write_token)
