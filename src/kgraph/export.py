"""Export: the whole store in a standard RDF format (the CLI and ``/dumps`` share it)."""

from __future__ import annotations

from typing import IO

from .namespaces import PREFIXES
from .store import Store


def export_store(store: Store, out: IO[bytes], media_type: str) -> None:
    """N-Quads and TriG keep every named graph; Turtle writes the union; JSON-LD keeps graphs too."""
    if media_type in ("application/n-quads", "application/trig"):
        store.dump(out, media_type)
        return
    if media_type == "text/turtle":
        graph = store.graph(None)
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        out.write(graph.serialize(format="turtle").encode("utf-8"))
        return
    if media_type == "application/ld+json":
        from rdflib import Dataset

        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        for s, p, o, g in store.quads():
            # rdflib annotates the fourth item as a Graph, but Dataset.add resolves a graph's IRI to that graph
            # (ConjunctiveGraph._graph); an Identifier is what is passed here and what rdflib handles.
            ds.add((s, p, o, g))  # type: ignore[arg-type]
        out.write(ds.serialize(format="json-ld", context=PREFIXES).encode("utf-8"))
        return
    raise ValueError(f"unsupported export format {media_type}")
