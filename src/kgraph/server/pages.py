"""HTML pages for people: home, search, two states side by side, documents.

Server-rendered and readable without JavaScript. Each page renders the same
models the JSON API returns, and names that API answer as its alternate. (The
page of each entity is the HTML representation of its ``/id/`` IRI, served by
:mod:`kgraph.server.linkeddata`.)
"""

from __future__ import annotations

import math
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from .. import errors
from . import api
from . import models as m
from . import queries as q
from .templating import STATIC_DIR, Alternate, render

router = APIRouter(include_in_schema=False)

JSON = "application/json"
PAGE_SIZE = 50
#: Files under /static/: only these are served.
STATIC_FILES = {"kgraph.css": "text/css", "kgraph.js": "text/javascript", "favicon.svg": "image/svg+xml"}


@router.get("/")
def home(request: Request) -> Response:
    """A search box, the graph's figures, the pairs of states that signed the most, the latest documents."""
    store = request.app.state.store
    stats = api.stats(request)
    pairs = api.per_generation(request, "top_pairs", lambda: q.top_pairs(store, api.vocabulary(request)))
    recent, _ = q.list_documents(store, "", limit=8, offset=0)
    kinds = [(kind, root, stats.classes.get(root, 0) + sum(stats.classes.get(c, 0) for c in
                                                         api.vocabulary(request).subtypes(root) if c != root))
             for kind, root in q.KINDS.items()]
    return render(request, "home.html", {"stats": stats, "pairs": pairs, "recent": recent, "kinds": kinds},
                  alternates=[Alternate("/api/stats", JSON, "Figures (JSON)"),
                              Alternate("/.well-known/void", "text/turtle", "VoID")])


@router.get("/search")
def search(request: Request, q_: Annotated[str, Query(alias="q", max_length=200)] = "",
           offset: Annotated[int, Query(ge=0, le=api.MAX_OFFSET)] = 0) -> Response:
    hits = api.label_index(request).search(q_) if q_.strip() else []
    query = urlencode({"q": q_})
    return render(request, "search.html",
                  {"q": q_, "hits": hits[offset:offset + PAGE_SIZE], "count": len(hits), "offset": offset,
                   "pager": _pager("/search", {"q": q_}, offset, len(hits))},
                  alternates=[Alternate(f"/api/search?{query}", JSON, "Search results (JSON)")] if q_.strip() else [])


@router.get("/between/{a}/{b}")
def between(request: Request, a: str, b: str) -> Response:
    """A timeline of agreements and meetings between two states, and who met or signed with whom."""
    if a.upper() == b.upper():
        return RedirectResponse(f"/id/state/{a.upper()}", status_code=307)
    result = api.between_or_404(request, a, b)
    a, b = a.upper(), b.upper()
    return render(request, "between.html", {"between": result, "a": a, "b": b,
                                            "picture": network_picture(result, a, b)},
                  alternates=[Alternate(f"/api/between/{a}/{b}", JSON, "Timeline (JSON)")])


@router.get("/documents")
def documents(request: Request, offset: Annotated[int, Query(ge=0, le=api.MAX_OFFSET)] = 0,
              mentions: Annotated[str | None, Query(max_length=300)] = None) -> Response:
    """Every document, newest first; with ``mentions=state/KZ`` only those naming that entity."""
    store = request.app.state.store
    params = {"mentions": mentions.strip("/")} if mentions else {}
    filters = q.document_filters(None, None, q.id_iri(params["mentions"]) if params else None)
    data, count = q.list_documents(store, filters, limit=PAGE_SIZE, offset=offset)
    about = None
    if params and q.usable_iri(iri := q.id_iri(params["mentions"])):
        about = q.ref(iri, q.labels_of(store, [iri]).get(iri))
    return render(request, "documents.html",
                  {"documents": data, "count": count, "offset": offset, "about": about,
                   "pager": _pager("/documents", params, offset, count)},
                  alternates=[Alternate("/api/documents?" + urlencode({**params, "offset": offset, "limit": PAGE_SIZE}),
                                        JSON, "Documents (JSON)")])


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC_FILES:
        raise errors.NotFound(f"no static file {name!r}")
    return FileResponse(STATIC_DIR / name, media_type=STATIC_FILES[name],
                        headers={"Cache-Control": "public, max-age=3600"})


def _pager(path: str, params: dict, offset: int, count: int) -> dict:
    def link(at: int) -> str:
        return f"{path}?{urlencode({**params, 'offset': at})}"

    return {"prev": link(max(0, offset - PAGE_SIZE)) if offset > 0 else None,
            "next": link(offset + PAGE_SIZE) if offset + PAGE_SIZE < count else None,
            "first": offset + 1 if count else 0, "last": min(count, offset + PAGE_SIZE), "count": count}


# -- the network picture ------------------------------------------------------------------------

WIDTH, HEIGHT = 820, 440
MAX_NODES = 40


def network_picture(between: m.Between, a: str, b: str) -> dict:
    """Positions for an SVG drawing: each side's people on its own arc of an ellipse, others at the bottom.

    People of state ``a`` sit on the left, of ``b`` on the right, anyone else
    along the bottom; a line joins two people who signed or met together,
    thicker for more occasions.
    """
    nodes = sorted(between.nodes, key=lambda n: (n.state != a, n.state != b, (n.label or "").lower()))[:MAX_NODES]
    sides: dict[str, list[m.NetworkNode]] = {"a": [], "b": [], "other": []}
    for node in nodes:
        sides["a" if node.state == a else "b" if node.state == b else "other"].append(node)
    cx, cy, rx, ry = WIDTH / 2, HEIGHT / 2 - 10, WIDTH / 2 - 200, HEIGHT / 2 - 40
    placed = {}
    arcs = {"a": (math.radians(120), math.radians(240)), "b": (math.radians(-60), math.radians(60)),
            "other": (math.radians(60), math.radians(120))}
    for side, members in sides.items():
        lo, hi = arcs[side]
        for i, node in enumerate(members):
            angle = (lo + hi) / 2 if len(members) == 1 else lo + (hi - lo) * i / (len(members) - 1)
            x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle) * (-1 if side != "other" else 1)
            anchor = "end" if x < cx - 5 else "start" if x > cx + 5 else "middle"
            placed[node.iri] = {"node": node, "x": round(x, 1), "y": round(y, 1), "side": side, "anchor": anchor,
                                "lx": round(x + (-14 if anchor == "end" else 14 if anchor == "start" else 0), 1),
                                "ly": round(y + (5 if anchor != "middle" else 26), 1)}
    edges = [{"edge": e, "a": placed[e.source], "b": placed[e.target], "width": min(1 + e.weight, 6)}
             for e in between.edges if e.source in placed and e.target in placed]
    return {"width": WIDTH, "height": HEIGHT, "nodes": list(placed.values()), "edges": edges,
            "truncated": len(between.nodes) > MAX_NODES}
