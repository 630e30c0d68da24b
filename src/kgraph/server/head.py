"""HEAD wherever GET is served: every route answers HEAD as it answers GET, without the body.

RFC 9110 (9.3.2) asks a server to answer HEAD wherever it answers GET, with the headers GET would send
(``Content-Length`` among them). FastAPI adds HEAD to no route declared for GET only, so the API and
the pages answered HEAD with 405, or with 200 once the response cache held the GET's answer: link
checkers and monitors saw the status change with the cache. One middleware, outermost, serves HEAD
through the GET route instead and drops the body on its way out.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: a HEAD request is run as GET, and its response goes out without a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
