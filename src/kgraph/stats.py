"""Figures about the graph, shared by ``kgraph stats``, the home page and the VoID description."""

from __future__ import annotations

from rdflib.term import Identifier

from .namespaces import SC
from .store import Store

_CLASS_COUNTS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(STRSTARTS(STR(?class), "{SC}"))
}} GROUP BY ?class ORDER BY ?class
"""


def _number(term: Identifier | None) -> int:
    """The value of a ``COUNT`` (an ``xsd:integer`` literal; a count is never unbound)."""
    return int(str(term))


def _count(store: Store, pattern: str) -> int:
    return _number(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}").rows[0][0])


def graph_stats(store: Store) -> dict:
    """Counts per vocabulary class, documents, named graphs, quads and union triples."""
    classes = {str(row[0]).removeprefix(str(SC)): _number(row[1]) for row in store.query(_CLASS_COUNTS).rows}
    return {
        "documents": classes.get("Document", 0),
        "graphs": len(store.named_graphs()),
        "quads": _count(store, "GRAPH ?g { ?s ?p ?o }"),
        "triples": _count(store, "?s ?p ?o"),
        "classes": classes,
    }
