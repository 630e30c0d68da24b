"""The one Jinja2 environment shared by every router that renders HTML, and the page-twin headers.

Templates live in ``server/templates``; they all extend ``base.html``, which
defines the blocks ``title``, ``head`` and ``content`` and the site navigation.
Every HTML page names its machine-readable twins: :func:`render` sends them as
``Link: <…>; rel="alternate"; type="…"`` (and as ``<link rel="alternate">`` in
the page head) together with ``Vary: Accept``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from ..namespaces import ID

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


@dataclass(frozen=True)
class Alternate:
    """Another representation of the same resource."""

    href: str
    type: str
    title: str = ""


#: The schemes a page links to; any other IRI (``javascript:``, ``data:``, a URN) is no link target.
LINKED_SCHEMES = ("http://", "https://")


def href(iri: str | None) -> str:
    """Where a page links an IRI: IRIs minted under /id/ resolve on this server; other web IRIs as they
    are; anything else (a ``javascript:`` IRI a query made up, a URN) nowhere, so a crafted query link
    cannot run script on this origin."""
    if not iri:
        return ""
    if iri.startswith(str(ID)):
        return "/id/" + iri[len(str(ID)):]
    return iri if iri.lower().startswith(LINKED_SCHEMES) else ""


templates.env.filters["href"] = href


def link_header(alternates: Sequence[Alternate]) -> str:
    return ", ".join(f'<{a.href}>; rel="alternate"; type="{a.type}"' for a in alternates)


def twin_headers(response: Response, alternates: Sequence[Alternate]) -> Response:
    """``Link`` to the other representations and ``Vary: Accept``, on any representation."""
    if alternates:
        response.headers["Link"] = link_header(alternates)
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Accept"
    elif "accept" not in {v.strip().lower() for v in vary.split(",")}:
        response.headers["Vary"] = vary + ", Accept"
    return response


def render(request: Request, name: str, context: Mapping, *, alternates: Sequence[Alternate],
           status_code: int = 200) -> Response:
    """An HTML page with its twins announced in the headers and in the page head."""
    response = templates.TemplateResponse(request, name, {**context, "alternates": list(alternates)},
                                          status_code=status_code)
    return twin_headers(response, alternates)
