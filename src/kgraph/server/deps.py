"""Dependencies shared by every router: settings, the store, the query executor, auth.

Routers declare what they need with the ``Annotated`` aliases below; nothing
reads globals, so tests build an app per settings object.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from ..errors import AuthError, ForbiddenOperation
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


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
WriteAccess = Depends(require_write_token)
