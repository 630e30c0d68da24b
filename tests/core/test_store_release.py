"""An answer the store fails to convert or write is dropped on the thread that made it.

Oxigraph's answers may only be dropped on the thread that made them. The server runs queries in a
thread pool and hands an error to its event loop: the error's traceback held the answer, which was
then dropped on the loop's thread, leaked with its read snapshot, and kept the store locked after
``close()`` (a review found it). A triple term, which rdflib cannot hold, makes ``query`` fail (a clear NotRepresentable);
a control character XML 1.0 cannot carry makes ``query_serialized`` fail.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc

import pytest

from kgraph.errors import NotRepresentable
from kgraph.store.oxigraph import OxigraphStore


@pytest.mark.parametrize("data, call, error", [
    ("<urn:x> <urn:p> <<( <urn:a> <urn:b> <urn:c> )>>",
     lambda store, q: store.query(q), NotRepresentable),
    ('<urn:x> <urn:p> "bell \\u0007"',
     lambda store, q: store.query_serialized(q, "application/sparql-results+xml"), NotRepresentable),
])
def test_a_failed_answer_leaves_the_store_closable_from_another_thread(tmp_path, data, call, error):
    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.update(f"INSERT DATA {{ GRAPH <urn:g> {{ {data} }} }}")
    with cf.ThreadPoolExecutor(1) as pool:
        future = pool.submit(call, store, "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        with pytest.raises(error):
            future.result()                      # the error, with its traceback, comes to this thread
        del future
    gc.collect()
    store.close()
    OxigraphStore(path).close()                  # StoreLocked while a leaked answer held the store
