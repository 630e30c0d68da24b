"""The one conversion boundary between Oxigraph terms and rdflib terms."""

from __future__ import annotations

import threading
from typing import overload

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from ..errors import NotRepresentable
from ..sparql_results import brief_term

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@overload
def to_rdflib(term: ox.DefaultGraph | None) -> None: ...
@overload
def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Identifier: ...
def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph | None
              ) -> Identifier | None:
    """An Oxigraph term as rdflib's (``None`` for the default graph); an RDF 1.2 triple term is refused
    (:class:`NotRepresentable`, a clear 406 or exit 1, where it was a TypeError and a 500).

    rdflib 7 has no base direction (RDF 1.2): ``"a"@ar--rtl`` becomes ``"a"@ar``. Refusing it instead
    made one such label fail every page and API list that showed it (a review measured it), so the
    rdflib paths keep the text and language; the SPARQL endpoint, the Graph Store, N-Quads and TriG
    write Oxigraph's terms and keep the direction.
    """
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.Triple):
        raise NotRepresentable(f"the answer holds the triple term {brief_term(term)} (RDF 1.2), which rdflib cannot "
                               "hold; the SPARQL endpoint, N-Quads and TriG carry it")
    raise TypeError(f"unsupported term {term!r}")


#: How many Oxigraph terms :func:`recent_rdflib` keeps converted, and the longest it keeps (in characters):
#: a kept term is held twice, as Oxigraph's and as rdflib's: filled with literals of the longest kept
#: length, 38 MB of ASCII, 52 MB of Cyrillic, 93 MB of letters outside the BMP (measured; a review found
#: the first version, bounded by count alone, holding 76 MB more after one answer of forty 1 MB literals).
TERM_CACHE_SIZE = 1 << 15
TERM_CACHE_CHARS = 256


#: Recent conversions, oldest first (a dict keeps insertion order); see :func:`recent_rdflib`.
_recent: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Identifier] = {}
_recent_lock = threading.Lock()  # a miss's insert and eviction, as one step; a hit needs no lock


def recent_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Identifier | None:
    """:func:`to_rdflib`, remembered for the terms converted lately (the query results' path).

    Why: rdflib's ``Literal()`` parses its lexical form (a date, a number), which costs several
    microseconds a term, more than finding the row; and the same labels, states, dates and
    documents come back query after query. Jena TDB keeps such a cache of decoded nodes too (its
    node table cache). The conversion is a pure function of the term and rdflib's terms are
    immutable, so sharing them between answers changes nothing but the time. Terms longer than
    ``TERM_CACHE_CHARS`` are converted each time: they are rare, and they would make the bound on
    entries no bound on memory. Past ``TERM_CACHE_SIZE`` entries the oldest goes.

    A plain dict, not ``functools.lru_cache``: a hit is one lookup, where the LRU cache also took each
    term's text to check its length first (a new Python string per term); the 12,628 terms of analyst
    query 02 at 1M took 8.0 ms to convert through the LRU cache and 2.8 ms through this one, warm
    (2026-12-07, machine J; hashing an Oxigraph term alone took 2.1 ms of that).
    """
    if term is None:
        return None
    found = _recent.get(term)
    if found is not None:
        return found
    converted = to_rdflib(term)                   # refuses a triple term, which has no ``value``
    if len(term.value) <= TERM_CACHE_CHARS:
        with _recent_lock:
            if len(_recent) >= TERM_CACHE_SIZE:
                del _recent[next(iter(_recent))]
            _recent[term] = converted
    return converted


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def to_ox_quad(s: Node, p: Node, o: Node, g: Node) -> ox.Quad:
    """An rdflib quad as Oxigraph's; a literal subject, predicate or graph name is refused."""
    subject, predicate, obj, graph = to_ox(s), to_ox(p), to_ox(o), to_ox(g)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode) or isinstance(graph, ox.Literal):
        raise TypeError(f"not a quad: {s!r} {p!r} {o!r} {g!r}")
    return ox.Quad(subject, predicate, obj, graph)


def ox_graph(iri: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri is None else ox.NamedNode(iri)
