"""Batch ingest's bulk write (``OxigraphStore.add_new_graphs``): all of a batch or none of it.

Oxigraph's bulk loader is not atomic, so the store keeps an undo journal: these tests fail the load
midway (after it wrote part of the batch, or only union copies), fail the undo too, leave a journal
behind as a killed process would, and check that the store returns to exactly its state before the
batch. The crash tests
(``tests/reliability/test_crash.py``) kill real ingests inside bulk writes too.
"""

from __future__ import annotations

import errno
import gc
import json
import logging

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kgraph.errors import StoreError, StoreLocked, StoreReadOnly
from kgraph.store import oxigraph
from kgraph.store.oxigraph import BULK_JOURNAL, OxigraphStore, _store_error

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
    """Delegates to a pyoxigraph Store, but its bulk_load writes part of the input and fails.

    ``part="first half"``: the first half of the lines (some documents whole, one cut, the rest
    absent); ``part="union only"``: only the union copies, as when the loader's chunk holding a
    document's named graph failed and the one holding its union copy landed."""

    def __init__(self, inner: ox.Store, error: BaseException, part: str = "first half",
                 fail_updates: bool = False) -> None:
        self._inner, self._error, self._part, self._fail_updates = inner, error, part, fail_updates

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def bulk_load(self, text: str, **options) -> None:
        lines = text.splitlines(keepends=True)
        if self._part == "first half":
            kept = lines[: len(lines) // 2]
        else:
            kept = [line for line in lines if len(line.split()) == 4]  # "<s> <p> o ." (test literals have no spaces)
        self._inner.bulk_load("".join(kept), **options)
        raise self._error

    def update(self, text: str) -> None:
        if self._fail_updates:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._inner.update(text)


@pytest.fixture(autouse=True)
def always_bulk(monkeypatch):
    """These small batches would be one transaction (BULK_MIN_LINES, BULK_MIN_SHARE): take the bulk path here."""
    monkeypatch.setattr(oxigraph, "BULK_MIN_LINES", 0)
    monkeypatch.setattr(oxigraph, "BULK_MIN_SHARE", 0)


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


BATCH = {EX + f"d{i}": graph(("kz", "shared"), (f"d{i}", "x"), (f"d{i}", "y"), ("both", "batch")) for i in range(6)}


@pytest.mark.parametrize("error, kind", [(OSError(errno.ENOSPC, "No space left on device"), StoreReadOnly),
                                         (OSError(errno.EIO, "Input/output error"), StoreError),
                                         (ValueError("unexpected"), StoreError)])
@pytest.mark.parametrize("part", ["first half", "union only"])
def test_a_failed_bulk_load_is_undone(store, tmp_path, error, kind, part):
    before = state(store)
    store._store = PartialBulkLoad(store._store, error, part)
    with pytest.raises(kind) as info:
        store.add_new_graphs(BATCH)
    assert str(error.args[-1]) in info.value.message
    assert type(info.value) is kind
    store._store = store._store._inner
    # what was written is gone, including union copies without their named graph; the shared
    # triple is still said by "old"
    assert state(store) == before
    assert not (tmp_path / "store" / BULK_JOURNAL).exists()
    store.add_new_graphs(BATCH)  # and the store takes the batch afterwards
    assert len(store.named_graphs()) == 7


def test_a_term_longer_than_the_parser_takes_is_a_limit_error_and_nothing_is_written(store, monkeypatch):
    # Oxigraph's transactional N-Quads load says so with a MemoryError, which no handler took: a traceback,
    # and the batch lost (its bulk loader and SPARQL Update take such a term)
    from kgraph.errors import LimitError
    from kgraph.store.base import NTriples

    monkeypatch.setattr(oxigraph, "BULK_MIN_LINES", 10**9)             # one transaction

    before = state(store)
    huge = NTriples(f'<{EX}kz> <{EX}p> "{"x" * 17_000_000}" .', 1, False)    # as ingest prepares documents
    with pytest.raises(LimitError, match="larger than the store takes"):
        store.add_new_graphs({EX + "huge": huge, EX + "fine": NTriples(f'<{EX}f> <{EX}p> "1" .', 1, False)})
    with pytest.raises(LimitError):
        store.replace_graph(EX + "new", huge)                           # a new graph is loaded the same way
    assert state(store) == before


def test_when_the_undo_fails_too_the_store_refuses_writes_until_reopened(tmp_path):
    path = tmp_path / "store"
    st = OxigraphStore(path)
    st.replace_graph(EX + "old", graph(("kz", "shared")))
    before = state(st)
    st._store = PartialBulkLoad(st._store, OSError(errno.ENOSPC, "No space left on device"), fail_updates=True)
    with pytest.raises(StoreReadOnly, match="removed when the store is next opened for writing"):
        st.add_new_graphs(BATCH)
    assert (path / BULK_JOURNAL).exists()
    with pytest.raises(StoreError, match="reopen the store"):   # the journal must not be overwritten or outlived
        st.replace_graph(EX + "d0", graph(("d0", "x")))
    st._store = st._store._inner
    st.close()
    gc.collect()  # the error's traceback held the wrapper, and through it RocksDB's lock
    again = OxigraphStore(path)
    assert state(again) == before and not (path / BULK_JOURNAL).exists()
    again.close()


def test_a_small_batch_is_one_transaction(store, tmp_path, monkeypatch):
    monkeypatch.setattr(oxigraph, "BULK_MIN_LINES", 5_000)
    store._store = PartialBulkLoad(store._store, AssertionError("the bulk loader was used"))
    store.add_new_graphs(BATCH)
    store._store = store._store._inner
    assert len(store.named_graphs()) == 7


def test_finish_writes_compacts_once_after_bulk_loads_and_only_then(store, monkeypatch):
    compactions: list[int] = []
    original = OxigraphStore.optimize

    def optimize(self) -> None:
        compactions.append(len(self.named_graphs()))
        original(self)

    monkeypatch.setattr(OxigraphStore, "optimize", optimize)
    assert store.finish_writes() is False               # a transaction only: nothing to compact
    store.add_new_graphs(BATCH)
    store.add_new_graphs({EX + "late": graph(("late", "1"))})
    assert store.finish_writes() is True and compactions == [8]   # once, after both loads
    assert store.finish_writes() is False and compactions == [8]
    monkeypatch.setattr(oxigraph, "BULK_MIN_LINES", 5_000)        # a small batch: one transaction
    store.add_new_graphs({EX + "small": graph(("small", "1"))})
    assert store.finish_writes() is False and compactions == [8]


def test_a_run_adding_little_beside_a_large_store_is_transactional_and_a_large_run_bulk_loads(
        tmp_path, monkeypatch):
    """The closing compaction rewrites the whole store, so a run of writes bulk-loads only once what
    it added reaches BULK_MIN_SHARE of the store's data files; then it stays on the bulk path."""
    monkeypatch.setattr(oxigraph, "BULK_MIN_SHARE", 0.3)
    st = OxigraphStore(tmp_path / "store")
    wide = {EX + f"old{i}": graph(*((f"s{i}-{j}", f"an old value {i} {j}") for j in range(20))) for i in range(300)}
    st.add_new_graphs(wide)                              # into an empty store: bulk
    assert st.bulk_writes == 1 and st.finish_writes() is True
    assert st._files_bytes() > 100_000
    st.add_new_graphs({EX + "one": graph(("one", "1"))})  # a few hundred bytes beside the store
    st.add_new_graphs({EX + "two": graph(("two", "2"))})
    assert st.bulk_writes == 1 and st.finish_writes() is False
    base = st._files_bytes()                             # what the next run is weighed against
    added = 0
    for i in range(400):                                 # a run as large as the store
        batch = {EX + f"new{i}-{k}": graph(*((f"n{i}-{k}-{j}", f"a new value {j}") for j in range(20)))
                 for k in range(3)}
        before = st.bulk_writes
        st.add_new_graphs(batch)
        added += len(oxigraph._nquads(batch))
        assert (st.bulk_writes > before) == (added >= 0.3 * base), (i, added, base)
        if st.bulk_writes > before:
            break
    else:
        raise AssertionError("the run never switched to the bulk loader")
    st.add_new_graphs({EX + "last": graph(("last", "1"))})   # small, but the run bulk-loads already
    assert st.bulk_writes == before + 2
    assert st.finish_writes() is True and st.finish_writes() is False
    assert len(st.named_graphs()) == 300 + 2 + 3 * (i + 1) + 1
    st.close()


def test_a_corrupt_block_is_not_reported_as_a_locked_store():
    """Bug: any message containing "lock" (also "block checksum mismatch") was StoreLocked."""
    assert type(_store_error(OSError("Corruption: block checksum mismatch"), "s")) is StoreError
    assert type(_store_error(OSError("IO error: While lock file: s/LOCK: Resource temporarily unavailable"),
                             "s")) is StoreLocked


def test_a_journal_left_by_a_killed_process_is_undone_when_opened_for_writing(tmp_path, caplog):
    path = tmp_path / "store"
    st = OxigraphStore(path)
    st.replace_graph(EX + "old", graph(("kz", "shared")))
    before = state(st)
    # what a process killed inside add_new_graphs leaves: its journal, and part of its batch
    (path / BULK_JOURNAL).write_text(json.dumps({"graphs": [EX + "a", EX + "b"]}), encoding="utf-8")
    st._store.bulk_load(f'<{EX}kz> <{EX}p> "shared" <{EX}a> .\n<{EX}kz> <{EX}p> "shared" .\n'
                        f'<{EX}a> <{EX}p> "1" <{EX}a> .\n<{EX}a> <{EX}p> "1" .\n'
                        f'<{EX}b> <{EX}p> "2" .\n',  # b's union copy landed, its named graph did not
                        format=ox.RdfFormat.N_QUADS)
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
