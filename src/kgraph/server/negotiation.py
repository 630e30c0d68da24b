"""Content negotiation: which of the media types a route offers does the client prefer?

One small pure function, :func:`negotiate`, shared by every router (SPARQL
results, Linked Data, error pages). It reads an HTTP ``Accept`` header the way
RFC 9110 §12.5.1 says — q-values, ``type/*`` and ``*/*`` wildcards, the most
specific matching range deciding an offer's weight, ``q=0`` meaning "not
this" — and breaks ties the way real clients expect:

1. the higher q-value;
2. the more specific match (``text/turtle`` over ``text/*`` over ``*/*``);
3. the range the client listed first (SPARQLWrapper, rdflib and browsers put
   their favourite first even when q-values are equal);
4. the route's ``default``;
5. the route's own order of ``offered``.

Media type parameters other than ``q`` (``charset=…``) are ignored when
matching; malformed elements are skipped rather than failing the request.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One element of an ``Accept`` header.

    A frozen dataclass rather than a NamedTuple: the field ``index`` (the client's order) would shadow
    ``tuple.index``, and nothing reads a range as a tuple.
    """

    type: str
    subtype: str
    q: float
    index: int

    def specificity(self, media_type: str) -> int:
        """-1 when this range does not match ``media_type``; else 0 (``*/*``), 1 (``type/*``) or 2 (exact)."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def _quality(params: list[str]) -> float | None:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            return min(max(q, 0.0), 1.0)
    return 1.0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header, in the client's order; malformed ones left out."""
    ranges: list[MediaRange] = []
    for index, element in enumerate((header or "").split(",")):
        media, *params = element.split(";")
        media = media.strip().lower()
        if media == "*":  # some clients send a bare star
            media = "*/*"
        main, slash, sub = media.partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = _quality(params)
        if q is not None:
            ranges.append(MediaRange(main, sub, q, index))
    return ranges


def negotiate(accept: str | None, offered: list[str], default: str) -> str | None:
    """The offered media type the client prefers, ``default`` without a usable header, None for a 406.

    ``offered`` are bare media types (``text/turtle``), best-served first.
    """
    return _best(parse_accept(accept), offered, default)


def _best(ranges: list[MediaRange], offered: list[str], default: str) -> str | None:
    """:func:`negotiate` over a header already parsed."""
    if not ranges:
        return default
    best: tuple | None = None
    chosen = None
    for position, media_type in enumerate(offered):
        match: MediaRange | None = None
        specificity = -1
        for r in ranges:
            s = r.specificity(media_type)
            if s > specificity or (s == specificity and s >= 0 and match is not None and r.q > match.q):
                match, specificity = r, s
        if match is None or specificity < 0 or match.q <= 0:
            continue
        key = (match.q, specificity, -match.index, media_type == default, -position)
        if best is None or key > best:
            best, chosen = key, media_type
    return chosen


def negotiate_registered(accept: str | None, offered: list[str], default: str) -> str | None:
    """:func:`negotiate`, where a client may ask for an offered graph type by an older name
    (:data:`~kgraph.sparql_results.MEDIA_ALIASES`); the registered type is returned, to answer in. A type
    the header refuses by name (``q=0``) is not answered under an alias either."""
    from ..sparql_results import MEDIA_ALIASES, registered_type

    ranges = parse_accept(accept)
    refused = {f"{r.type}/{r.subtype}" for r in ranges if r.q <= 0}
    aliases = [alias for alias, media_type in MEDIA_ALIASES.items() if media_type in offered and media_type not in refused]
    chosen = _best(ranges, offered + aliases, default)
    return None if chosen is None else registered_type(chosen)


def prefers_html(accept: str | None) -> bool:
    """Does a client (a browser) rank HTML above JSON? Used by the error handler and the query page."""
    return negotiate(accept, ["application/json", "text/html"], "application/json") == "text/html"


__all__ = ["MediaRange", "negotiate", "negotiate_registered", "parse_accept", "prefers_html"]
