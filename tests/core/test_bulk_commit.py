"""Batch ingest's bulk write (``OxigraphStore.add_new_graphs``): all of a batch or none of it.

Oxigraph's bulk loader is not atomic, so the store keeps an undo journal: these tests fail the load
midway (after it wrote part of the batch), leave a journal behind as a killed process would, and
check that the store returns to exactly its state before the batch. The crash tests
(``tests/reliability/test_crash.py``) kill real ingests inside bulk writes too.
"""

from __future__ import annotations

import errno
import json
import logging

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kgraph.errors import StoreError, StoreReadOnly
from kgraph.store.oxigraph import BULK_JOURNAL, OxigraphStore

EX = "https://example.org/"


def graph(*pairs: tuple[str, str]) -> Graph:
    g = Graph()
    for s, o in pairs:
        g.add((URIRef(EX + s), URIRef(EX + "p"), Literal(o)))
    return g


def state(store: OxigraphStore) -> tuple[dict[str, set], set]:
    graphs = {iri: set(store.graph(iri)) for iri in store.named_graphs()}
    return graphs, set(store.graph(None))


class PartialBulkLoad:
    """Delegates to a pyoxigraph Store, but its bulk_load writes the first half of the input and fails."""

    def __init__(self, inner: ox.Store, error: BaseException) -> None:
        self._inner, self._error = inner, error

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def bulk_load(self, text: str, **options) -> None:
        lines = text.splitlines(keepends=True)
        self._inner.bulk_load("".join(lines[: len(lines) // 2]), **options)
        raise self._error


@pytest.fixture
def store(tmp_path):
    st = OxigraphStore(tmp_path / "store")
    st.replace_graph(EX + "old", graph(("kz", "shared"), ("kz", "old only")))
    yield st
    st.close()


def test_a_batch_is_written_whole(store, tmp_path):
    store.add_new_graphs({EX + "a": graph(("kz", "shared"), ("a", "1")), EX + "b": graph(("b", "2"))})
    graphs, union = state(store)
    assert sorted(graphs) == [EX + "a", EX + "b", EX + "old"]
    assert len(union) == 4  # the shared triple once
    assert not (tmp_path / "store" / BULK_JOURNAL).exists()


def test_a_stored_graph_is_refused_and_nothing_is_written(store):
    before = state(store)
    with pytest.raises(StoreError, match="holds it already"):
        store.add_new_graphs({EX + "new": graph(("n", "1")), EX + "old": graph(("x", "y"))})
    assert state(store) == before


@pytest.mark.parametrize("error, kind", [(OSError(errno.ENOSPC, "No space left on device"), StoreReadOnly),
                                         (OSError(errno.EIO, "Input/output error"), StoreError)])
def test_a_failed_bulk_load_is_undone(store, tmp_path, error, kind):
    before = state(store)
    store._store = PartialBulkLoad(store._store, error)
    batch = {EX + f"d{i}": graph(("kz", "shared"), (f"d{i}", "x"), (f"d{i}", "y")) for i in range(6)}
    with pytest.raises(kind) as info:
        store.add_new_graphs(batch)
    assert error.strerror in info.value.message
    assert type(info.value) is kind
    store._store = store._store._inner
    assert state(store) == before  # the half that was written is gone, the shared triple is still said by "old"
    assert not (tmp_path / "store" / BULK_JOURNAL).exists()


def test_a_journal_left_by_a_killed_process_is_undone_when_opened_for_writing(tmp_path, caplog):
    path = tmp_path / "store"
    st = OxigraphStore(path)
    st.replace_graph(EX + "old", graph(("kz", "shared")))
    before = state(st)
    # what a process killed inside add_new_graphs leaves: its journal, and part of its batch
    (path / BULK_JOURNAL).write_text(json.dumps({"graphs": [EX + "a", EX + "b"]}), encoding="utf-8")
    st._store.bulk_load(f'<{EX}kz> <{EX}p> "shared" <{EX}a> .\n<{EX}kz> <{EX}p> "shared" .\n'
                        f'<{EX}a> <{EX}p> "1" <{EX}a> .\n<{EX}a> <{EX}p> "1" .\n', format=ox.RdfFormat.N_QUADS)
    st.close()

    with caplog.at_level(logging.WARNING, logger="kgraph.store"):
        reader = OxigraphStore(path, read_only=True)  # a reader cannot undo it: it says so
        assert EX + "a" in reader.named_graphs()
        reader.close()
    assert "interrupted" in caplog.text and (path / BULK_JOURNAL).exists()

    with caplog.at_level(logging.WARNING, logger="kgraph.store"):
        again = OxigraphStore(path)
    assert "undid an unfinished bulk write of 2 graph(s)" in caplog.text
    assert state(again) == before
    assert not (path / BULK_JOURNAL).exists()
    again.close()


def test_a_journal_cut_short_is_removed(tmp_path, caplog):
    """The journal is synced before the load starts, so an unreadable one means the load never began."""
    path = tmp_path / "store"
    st = OxigraphStore(path)
    st.replace_graph(EX + "old", graph(("kz", "shared")))
    before = state(st)
    st.close()
    (path / BULK_JOURNAL).write_text('{"graphs": ["https://exa', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kgraph.store"):
        again = OxigraphStore(path)
    assert "incomplete journal" in caplog.text and not (path / BULK_JOURNAL).exists()
    assert state(again) == before
    again.close()


def test_in_memory_store_writes_batches_too():
    st = OxigraphStore(None)
    st.add_new_graphs({EX + "a": graph(("a", "1"))})
    assert st.named_graphs() == [EX + "a"] and len(st.graph(None)) == 1
