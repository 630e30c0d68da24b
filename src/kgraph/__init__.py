"""kgraph: a knowledge graph of bilateral space cooperation between states.

The package is one core with thin adapters: :mod:`kgraph.articles` reads inputs,
:mod:`kgraph.extract` turns an article into typed statements, :mod:`kgraph.identity`
mints one IRI per real-world thing, :mod:`kgraph.rdfgraph` builds RDF,
:mod:`kgraph.validate` checks it with SHACL, :mod:`kgraph.store` keeps it, and
:mod:`kgraph.ingest` ties them together for the CLI, the API and the benchmarks.
"""

__version__ = "0.1.0"
