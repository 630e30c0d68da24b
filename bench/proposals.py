"""Store changes proposed for ``kgraph/store/oxigraph.py``, prototyped here so the benchmark can measure them.

``materialize_types`` adds the superclass ``rdf:type`` triples to the union
default graph, the change suggested for the ``a/rdfs:subClassOf*`` queries;
the benchmark measured it and it does not pay (see RESULTS.md).
"""

from __future__ import annotations

import pyoxigraph as ox

MATERIALIZE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { ?x a ?super } WHERE {
  GRAPH <https://w3id.org/spacecoop/graph/ontology> { ?class rdfs:subClassOf+ ?super }
  ?x a ?class . FILTER(isIRI(?super))
}"""


def materialize_types(store: ox.Store) -> int:
    """Add inferred superclass types to the default graph; returns how many triples it added."""
    before = len(store)
    store.update(MATERIALIZE)
    return len(store) - before
