"""The HTTP server: one FastAPI app, one router per audience.

* :mod:`.sparql` — analysts: the SPARQL 1.1 Protocol endpoint and the query page;
* :mod:`.linkeddata` — linked-data consumers: dereferenceable IRIs, ontology, VoID, dumps;
* :mod:`.api` — developers: the JSON API with OpenAPI docs;
* :mod:`.pages` — people: HTML pages to browse the graph.

:func:`create_app` composes them; ``kgraph serve`` runs it with uvicorn.
"""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
