"""The application factory: settings in, a FastAPI app out."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from .. import __version__
from ..errors import KgraphError, StoreReadOnly
from ..settings import Settings
from ..store import open_store

log = logging.getLogger("kgraph.server")


def create_app(settings: Settings | None = None, *, store=None) -> FastAPI:
    """Build the app over ``settings.store`` (or an already open ``store``, for tests)."""
    from . import api, errors, linkeddata, pages, sparql
    from .executor import QueryExecutor
    from .head import HeadAsGet
    from .response_cache import ResponseCache

    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own_store = store is None
        if store is not None:
            app.state.store = store
        else:
            try:
                app.state.store = open_store(settings.store)
            except StoreReadOnly as exc:
                # a read-only file system: every read can still be served; writes answer 503
                log.warning("%s; serving read-only", exc.message)
                app.state.store = open_store(settings.store, read_only=True)
        from ..ingest import ensure_base_graphs

        if settings.write_token or own_store:
            try:
                wrote = ensure_base_graphs(app.state.store, settings)
                if wrote and own_store:
                    _compact(app.state.store)
            except (KgraphError, OSError) as exc:  # a read-only store still serves what it has
                log.warning("could not refresh ontology/reference graphs: %s", exc)
        app.state.executor = QueryExecutor(settings, app.state.store)
        try:
            api.warm_up(app)
        except KgraphError as exc:  # a store that cannot answer now: the routes will say so themselves
            log.warning("could not build the name index and figures at start: %s", exc.message)
        try:
            yield
        finally:
            app.state.executor.close()
            if own_store:
                app.state.store.close()

    # FastAPIOffline: FastAPI whose /docs and /redoc load Swagger UI and ReDoc from the app itself
    # (/static-offline-docs/), not from a CDN, so that they work on a network without the internet
    app = FastAPIOffline(
        title="kgraph",
        version=__version__,
        description="A knowledge graph of bilateral space cooperation between states: SPARQL 1.1 endpoint, "
                    "Linked Data, JSON API and HTML pages over one store.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.ingestor = None
    # Inside CORS, which answers per request's Origin; read routes are served again until the next write.
    app.add_middleware(ResponseCache)
    # Browser apps elsewhere may read everything and POST queries (not updates: those need the token).
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "OPTIONS", "POST"],
                       allow_headers=["*"], expose_headers=["Link", "Vary", "X-Kgraph-Truncated"])
    app.add_middleware(HeadAsGet)  # outermost: HEAD is GET without the body, on every route
    errors.install(app)
    app.include_router(sparql.router)
    app.include_router(linkeddata.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def _compact(store) -> None:
    """Compact a local store after the start-up refresh wrote to it, before any query worker reads it.

    The refresh leaves a small file in every index beside the big ones; every
    query then seeks in both, for as long as the server runs (see
    :meth:`~kgraph.store.oxigraph.OxigraphStore.optimize`). Done once, at the
    start, only when the refresh wrote (a new store, a changed ontology).
    """
    optimize = getattr(store, "optimize", None)
    if optimize is None or getattr(store, "location", ":memory:") == ":memory:" or store.read_only:
        return
    try:
        optimize()
    except KgraphError as exc:  # a full disk: serve anyway, only slower
        log.warning("could not compact the store after refreshing its base graphs: %s", exc.message)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, *, access_log: bool = True) -> None:
    """Run the app with uvicorn (the ``kgraph serve`` command); ``access_log=False`` logs no line per request."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=access_log)
