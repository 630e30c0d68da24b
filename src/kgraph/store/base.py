"""The store interface: the one boundary between kgraph and an RDF database.

Callers (ingest, export, validate, the server) see only :class:`Store`. Two
implementations stand behind it: :class:`~kgraph.store.oxigraph.OxigraphStore`
(embedded, on disk, the default) and :class:`~kgraph.store.remote.RemoteSparqlStore`
(any SPARQL 1.1 Query+Update server: Fuseki, Virtuoso, GraphDB). One contract
test suite (``tests/test_store_contract.py``) runs against every implementation.

Data model, the same on every backend:

* one named graph per document (graph IRI = the ``sc:Document`` IRI), one for
  the ontology and one for reference data;
* the default graph that queries see is the deduplicated union of all named
  graphs, maintained at commit inside the same transaction (not computed at
  query time, which both repeats solutions and is slow on property paths);
* :meth:`Store.replace_graph` is the unit of atomicity: a document is either
  fully in the store or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Literal, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.term import Identifier, Node

from .convert import to_ox, to_rdflib

QueryKind = Literal["select", "ask", "graph"]


@dataclass
class QueryResult:
    """A query answer in rdflib terms, whatever engine produced it."""

    kind: QueryKind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False

    def dicts(self) -> list[dict[str, Identifier | None]]:
        return [dict(zip(self.variables, row)) for row in self.rows]


@runtime_checkable
class Store(Protocol):
    """What kgraph needs of an RDF store; see the module docstring for the data model."""

    location: str

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, limit: int | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query; ``limit`` caps rows/triples (``truncated`` says when it cut)."""
        ...

    def query_serialized(self, sparql: str, media_type: str, *, default_graphs: list[str] | None = None,
                         named_graphs: list[str] | None = None, limit: int | None = None) -> tuple[bytes, str, bool]:
        """Run a query and serialize it natively: ``(body, media type, truncated)``."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction and re-derive the union default graph."""
        ...

    def replace_graph(self, graph_iri: str, triples: Graph | NTriples) -> None:
        """Atomically make ``graph_iri`` hold exactly ``triples`` and update the union."""
        ...

    def replace_graphs(self, graphs: Mapping[str, Graph | NTriples]) -> None:
        """Several :meth:`replace_graph` in one transaction."""
        ...

    def add_new_graphs(self, graphs: Mapping[str, Graph | NTriples]) -> None:
        """Store graphs that are not stored yet (batch ingest checks that first), each whole or not at all.

        The fastest write a backend has for new documents. The embedded store writes all of
        them or none (undoing a failed write, at the latest when the store is next opened); a
        remote store gives what :meth:`replace_graphs` gives on its server.
        """
        ...

    def finish_writes(self) -> bool:
        """Leave the store fast to read after a run of writes (an ingest calls it once, at its end).

        The embedded store compacts its indexes if :meth:`add_new_graphs` bulk-loaded since
        the last call: bulk loads leave many small files that every later lookup must seek in.
        A remote server maintains its own indexes, so there it does nothing. True if it did work.
        """
        ...

    def drop_graph(self, graph_iri: str) -> bool:
        """Atomically remove a named graph and its share of the union; False if it did not exist."""
        ...

    def has_graph(self, graph_iri: str) -> bool: ...

    def named_graphs(self) -> list[str]: ...

    def graph(self, graph_iri: str | None) -> Graph:
        """The triples of one named graph (``None``: the union default graph) as an rdflib Graph."""
        ...

    def quads(self) -> Iterator[tuple[Identifier, Identifier, Identifier, Identifier]]:
        """Every quad of the named graphs (the union default graph is derived, so not repeated)."""
        ...

    def dump(self, out: IO[bytes], media_type: str) -> None:
        """Serialize all named graphs as N-Quads or TriG (datasets) to ``out``."""
        ...

    def count(self, graph_iri: str | None = None) -> int: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class NTriples:
    """Triples already written as N-Triples lines, ready to commit (``blank``: some have blank nodes;
    documents never do, a Graph Store upload may).

    Ingest workers send this back to the committing process: a string is
    unpickled as one copy, where an rdflib Graph is rebuilt term by term (about
    5 ms a document, in the one process every commit waits for), and the
    embedded store inserts the text as it is. Iterating parses it back into
    rdflib triples, so every :class:`Store` takes it where it takes a Graph.
    """

    text: str
    count: int
    blank: bool = False

    @classmethod
    def of(cls, triples: Iterable[tuple[Identifier, Identifier, Identifier]]) -> NTriples:
        """A document's triples (no blank nodes: see :func:`ntriples_lines`)."""
        lines, _blank = ntriples_lines(triples)
        return cls("\n".join(lines), len(lines))

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple[Identifier, Identifier, Identifier]]:
        for t in ox.parse(self.text, ox.RdfFormat.N_TRIPLES):
            yield to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)


def ntriples_lines(triples: Iterable[tuple[Node, Node, Node]], *,
                   blank_nodes: bool = False) -> tuple[list[str], bool]:
    """The triples as N-Triples lines (Oxigraph's writer: exact escapes, no Turtle abbreviations), and
    whether any holds a blank node. The one writer of lines for every commit, text or Graph.

    A document is skolemized when built, so there a blank node is a programming error and is refused
    (``ValueError``), which keeps replace and delete exact; ``blank_nodes=True`` takes them (an rdflib
    Graph given to the store: the ontology, whose OWL lists are blank nodes), and the store then
    replaces that graph whole. (A Graph Store upload comes as text written by Oxigraph instead.)

    Each distinct term is written once per call: a document's few hundred triples repeat their
    subjects, predicates and classes, and writing every occurrence through an Oxigraph term took
    2.1 ms for a synthetic article's ~370 triples, 0.87 ms this way (2026-12-07, machine J). Terms
    rdflib holds equal write the same text: rdflib holds two literals equal with the same lexical
    form and datatype and language tags equal in any case, and Oxigraph writes a tag in lower case.
    """
    written: dict[Node, str] = {}
    blank = False

    def text(term: Node) -> str:
        nonlocal blank
        found = written.get(term)
        if found is None:
            if isinstance(term, BNode):
                if not blank_nodes:
                    raise ValueError("blank nodes cannot be stored; skolemize the graph first")
                blank = True
            found = written[term] = str(to_ox(term))
        return found

    return [f"{text(s)} {text(p)} {text(o)} ." for s, p, o in triples], blank


def resynced_update(sparql: str, resync: str) -> str:
    """``sparql`` with ``resync`` (the update that re-derives the union default graph) at its end and
    before every later operation that reads, so that each operation sees the writes of those before it,
    as SPARQL Update requires; ``sparql`` itself when it has no operation (only a prologue or comments).

    The union is re-derived at a separator (a ``;`` on the client's own line, so the line numbers of a
    syntax error stay the client's) and at the end on a line of its own (a last line may be a comment).
    Where :func:`~kgraph.sparqltext.update_operations` cannot cut the text, the union is re-derived at
    the end only, and later operations read the union as it was when the update began.
    """
    from ..sparqltext import update_operations

    operations = update_operations(sparql)
    if operations is None:
        return resynced_at_end(sparql, resync)
    if not operations:
        return sparql
    parts = [sparql[:operations[0].end]]
    for before, operation in zip(operations, operations[1:]):
        parts.append(f"; {resync} ;" if operation.reads else ";")
        parts.append(sparql[before.end + 1:operation.end])
    return resynced_at_end("".join(parts), resync)


def resynced_at_end(sparql: str, resync: str) -> str:
    """``sparql`` with ``resync`` after it only: where its operations are not cut (see :func:`resynced_update`).
    A final ``;``, which the grammar allows, is dropped, and ``resync`` goes on a line of its own (a last
    line may be a comment)."""
    body = sparql.rstrip()
    return (body[:-1] if body.endswith(";") else sparql) + "\n;\n" + resync
