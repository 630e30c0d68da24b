"""HEAD wherever GET is served: a route without HEAD of its own answers HEAD as it answers GET, without the body.

RFC 9110 (9.3.2) asks a server to answer HEAD wherever it answers GET, with the headers GET would send
(``Content-Length`` among them). FastAPI adds HEAD to no route declared for GET only, so the API and
the pages answered HEAD with 405, or with 200 once the response cache held the GET's answer: link
checkers and monitors saw the status change with the cache. One middleware, outermost, serves such a
HEAD through the GET route and drops the body on its way out. Routes that take HEAD themselves (the
Linked Data routes, the dumps, whose file is then not read) keep it.
"""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: a HEAD request no route takes is run as GET, and its response goes out without a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD" or _taken(scope):
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def _taken(scope: Scope) -> bool:
    """Whether a route of the app takes this HEAD request as it is (a mount, such as the static files, does)."""
    router = getattr(scope.get("app"), "router", None)
    return any(route.matches(scope)[0] == Match.FULL for route in getattr(router, "routes", ()))
