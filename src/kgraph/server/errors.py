"""One error shape, made in one place.

:func:`install` registers the app's only exception handlers: one for
:class:`kgraph.errors.KgraphError` (every error kgraph expects, with its own
status and stable code), one for HTTP errors raised by routing (404, 405…) and
one for request validation (422). Each renders the same body::

    {"error": {"code": "bad-query", "message": "…", …detail}}

or, for a client that prefers ``text/html`` (a browser), a small HTML page in
the site layout saying the same. Nothing else is caught: an unexpected
exception stays a 500 with its traceback in the server log, never a
made-up 400.

The server-only errors of the HTTP layer (405, 406, 415) are declared here as
:class:`~kgraph.errors.KgraphError` subclasses so that they go through the
same handler.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from html import escape

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, KgraphError
from .negotiation import prefers_html

log = logging.getLogger("kgraph.server")


class NotAcceptable(KgraphError):
    """The client accepts none of the media types the route can produce."""

    status = 406
    exit_code = 1
    code = "not-acceptable"


class UnsupportedMediaType(InputError):
    """A request body in a media type (or charset) the route does not read."""

    status = 415
    code = "unsupported-media-type"


class MethodNotAllowed(KgraphError):
    """The resource exists but does not take this method; ``Allow`` says which it takes."""

    status = 405
    exit_code = 1
    code = "method-not-allowed"

    def __init__(self, message: str, *, allow: str) -> None:
        super().__init__(message)
        self.headers = {"Allow": allow}


#: Stable codes for the HTTP errors that routing raises by itself.
HTTP_CODES: dict[int, str] = {
    400: "bad-input", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
    406: "not-acceptable", 409: "conflict", 413: "limit-exceeded", 414: "limit-exceeded",
    415: "unsupported-media-type", 422: "invalid-request", 429: "too-many-requests", 503: "unavailable",
}

_PAGE = """{% extends "base.html" %}
{% block title %}{{ status }} {{ code }}{% endblock %}
{% block content %}
<section class="error">
  <h1>{{ status }} · {{ code }}</h1>
  <p class="message" style="white-space: pre-wrap">{{ message }}</p>
  <p><a href="/">Home</a> · <a href="/query">SPARQL query page</a></p>
</section>
{% endblock %}
"""


def _html_page(request: Request, status: int, code: str, message: str) -> str:
    """The error in the site layout; a bare page if the shared templates are unavailable."""
    try:
        from .templating import templates

        page = templates.env.from_string(_PAGE)
        return page.render(request=request, status=status, code=code, message=message)
    except Exception:  # the error page must never fail itself
        log.debug("error page without the site layout", exc_info=True)
        return (f"<!doctype html><html lang=en><meta charset=utf-8><title>{status} {escape(code)}</title>"
                f"<h1>{status} · {escape(code)}</h1><p>{escape(message)}</p><p><a href=/>Home</a></p></html>")


def error_response(request: Request, status: int, code: str, message: str, *, detail: dict | None = None,
                   headers: Mapping[str, str] | None = None) -> Response:
    """The one error representation: JSON ``{"error": {...}}``, or HTML when the client prefers it."""
    headers = {**(headers or {}), "Vary": "Accept"}
    if prefers_html(request.headers.get("accept")):
        return HTMLResponse(_html_page(request, status, code, message), status_code=status, headers=headers)
    body = {"error": {"code": code, "message": message, **jsonable_encoder(detail or {})}}
    return JSONResponse(body, status_code=status, headers=headers)


async def _kgraph_error(request: Request, exc: KgraphError) -> Response:
    if exc.status >= 500:
        log.warning("%s %s: %s (%s)", request.method, request.url.path, exc.message, exc.code)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="kgraph"'
    return error_response(request, exc.status, exc.code, exc.message, detail=exc.detail, headers=headers)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else "the request cannot be served"
    code = HTTP_CODES.get(exc.status_code, "http-error")
    detail = None if isinstance(exc.detail, str) else {"detail": exc.detail}
    return error_response(request, exc.status_code, code, message, detail=detail, headers=exc.headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = exc.errors()
    first = problems[0] if problems else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    message = f"{where}: {first.get('msg', 'invalid')}" if where else "the request is not valid"
    errors = [{k: v for k, v in p.items() if k in ("loc", "msg", "type")} for p in problems]
    return error_response(request, 422, "invalid-request", message, detail={"errors": errors})


def install(app: FastAPI) -> None:
    """Register the exception handlers (see the module docstring).

    Through ``app.exception_handler``, which calls ``add_exception_handler``: Starlette types a handler as
    taking any ``Exception``, though each is only called with the class it is registered for.
    """
    app.exception_handler(KgraphError)(_kgraph_error)
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(RequestValidationError)(_validation_error)


__all__ = ["HTTP_CODES", "MethodNotAllowed", "NotAcceptable", "UnsupportedMediaType", "error_response",
           "install"]
