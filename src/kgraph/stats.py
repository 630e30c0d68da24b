"""Figures about the graph, shared by ``kgraph stats``, the home page and the VoID description."""

from __future__ import annotations

from .namespaces import SC
from .store import Store

_CLASS_COUNTS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(STRSTARTS(STR(?class), "{SC}"))
}} GROUP BY ?class ORDER BY ?class
"""


def graph_stats(store: Store) -> dict:
    """Counts per vocabulary class, documents, named graphs, quads and union triples."""
    classes = {str(row[0]).removeprefix(str(SC)): int(str(row[1])) for row in store.query(_CLASS_COUNTS).rows}
    graphs = store.named_graphs()
    quads = int(str(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]))
    return {
        "documents": classes.get("Document", 0),
        "graphs": len(graphs),
        "quads": quads,
        "triples": int(str(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0])),
        "classes": classes,
    }
