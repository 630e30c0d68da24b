"""Store changes proposed for ``kgraph/store/oxigraph.py``, prototyped here so the benchmark can measure them.

``MemoOxigraphStore.query`` converts each distinct Oxigraph term of an answer
to rdflib once (rdflib's ``Literal`` constructor parses the lexical form, which
dominates the cost of large answers: the same labels, states and documents
recur on many rows), and reads a solution as a tuple instead of one lookup
per variable. Same rows, same types; see the query table's "memo" column.

``materialize_types`` adds the superclass ``rdf:type`` triples to the union
default graph, the change suggested for the ``a/rdfs:subClassOf*`` queries;
the benchmark measured it and it does not pay (see RESULTS.md).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from kgraph.store.base import QueryResult
from kgraph.store.convert import to_rdflib
from kgraph.store.oxigraph import OxigraphStore


class MemoOxigraphStore(OxigraphStore):
    """OxigraphStore with the proposed answer conversion."""

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, limit: int | None = None) -> QueryResult:
        result = self._run(sparql, default_graphs, named_graphs)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        memo: dict = {None: None}

        def term(t):
            converted = memo.get(t, memo)
            if converted is memo:
                converted = memo[t] = to_rdflib(t)
            return converted

        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = [], False
            for solution in result:
                if limit is not None and len(rows) >= limit:
                    truncated = True
                    break
                rows.append(tuple(term(t) for t in solution))
            return QueryResult("select", variables=variables, rows=rows, truncated=truncated)
        graph, truncated = Graph(), False
        for n, triple in enumerate(result):
            if limit is not None and n >= limit:
                truncated = True
                break
            graph.add((term(triple.subject), term(triple.predicate), term(triple.object)))
        return QueryResult("graph", graph=graph, truncated=truncated)


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
