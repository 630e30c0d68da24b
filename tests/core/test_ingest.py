"""End to end through the real pipeline: seeds in, validated named graphs out, idempotent re-ingest."""

from __future__ import annotations

import io

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic
from shared_paths import DEV, SEEDS, need_shared

from kgraph.ingest import Ingestor, delete_document
from kgraph.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kgraph.stats import graph_stats
from kgraph.store import open_store
from kgraph.validate import load_ontology, load_shapes, validate_graph


@pytest.fixture
def store(settings):
    st = open_store(settings.store)
    yield st
    st.close()


def _dump(store) -> Dataset:
    buf = io.BytesIO()
    store.dump(buf, "application/n-quads")
    ds = Dataset()
    ds.parse(data=buf.getvalue().decode(), format="nquads")
    return ds


def _assert_same_dataset(a: Dataset, b: Dataset) -> None:
    """Same named graphs, each isomorphic (the ontology's blank nodes get new ids on every parse)."""
    names = lambda ds: {str(g.identifier) for g in ds.graphs() if len(g)}  # noqa: E731
    assert names(a) == names(b)
    for g in a.graphs():
        if len(g):
            assert isomorphic(g, b.graph(g.identifier)), g.identifier


def test_seeds_become_one_valid_named_graph_each(store, settings, extractor):
    need_shared(SEEDS)
    report = Ingestor(store, settings, extractor=extractor).ingest_paths(sorted(SEEDS.glob("*.txt")))
    assert not report.errors
    assert len(report.documents) == 2
    graphs = set(store.named_graphs())
    assert {ONTOLOGY_GRAPH, REFERENCE_GRAPH} <= graphs
    assert {d.iri for d in report.documents} <= graphs
    for doc in report.documents:
        assert store.count(doc.iri) == doc.statements > 0
    conforms, issues, _ = validate_graph(store.graph(None), load_shapes(settings.shapes_path),
                                         load_ontology(settings.ontology_path))
    assert conforms, [i.line() for i in issues if i.severity == "Violation"]


def test_reingest_is_idempotent(store, settings, extractor):
    need_shared(SEEDS)
    ingestor = Ingestor(store, settings, extractor=extractor)
    paths = sorted(SEEDS.glob("*.txt"))
    ingestor.ingest_paths(paths)
    first, stats1 = _dump(store), graph_stats(store)
    ingestor.ingest_paths(paths)
    assert graph_stats(store) == stats1
    _assert_same_dataset(first, _dump(store))


def test_order_of_documents_does_not_change_iris(settings, tmp_path, extractor):
    need_shared(DEV)
    from kgraph.settings import Settings

    corpus = DEV / "corpus.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines()
    reversed_file = tmp_path / "reversed.jsonl"
    reversed_file.write_text("\n".join(reversed(lines[:6])) + "\n", encoding="utf-8")
    forward_file = tmp_path / "forward.jsonl"
    forward_file.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    dumps = []
    for name, path in (("a", forward_file), ("b", reversed_file)):
        s = Settings(store=str(tmp_path / name))
        st = open_store(s.store)
        Ingestor(st, s, extractor=extractor).ingest_paths([path])
        dumps.append(_dump(st))
        st.close()
    _assert_same_dataset(*dumps)


def test_bad_inputs_are_reported_and_the_rest_ingested(store, settings, tmp_path, extractor):
    good = tmp_path / "good.txt"
    good.write_text(" date 2021-04-05 MOSCOW. Russia and India signed a memorandum on space research.",
                    encoding="utf-8")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\xff\xfe binary \x00")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"text": "China and Russia agreed on a roadmap.", "date": "2021-12-07"}\n{broken\n',
                     encoding="utf-8")
    report = Ingestor(store, settings, extractor=extractor).ingest_paths([good, junk, empty, lines])
    assert len(report.documents) == 2
    where = sorted(e.where for e in report.errors)
    assert where == sorted([str(junk), str(empty), f"{lines}:2"])


def test_delete_removes_exactly_one_document(store, settings, extractor):
    need_shared(SEEDS)
    ingestor = Ingestor(store, settings, extractor=extractor)
    a, b = sorted(SEEDS.glob("*.txt"))
    ingestor.ingest_paths([a])
    only_a = _dump(store)
    doc_b = ingestor.ingest_paths([b]).documents[0]
    assert delete_document(store, doc_b.iri, settings)
    assert not delete_document(store, doc_b.iri, settings)
    _assert_same_dataset(_dump(store), only_a)
    union = store.graph(None)
    expected = Dataset()
    for g in only_a.graphs():
        for t in g:
            expected.add(t)
    assert isomorphic(union, expected.default_graph if hasattr(expected, "default_graph") else expected)


def test_batched_commits_give_the_store_one_commit_per_document_gives(tmp_path, extractor, monkeypatch):
    """Batches (bulk writes) and single transactions are two ways to the same graph: same named graphs,
    same union, same report, in input order; a document repeated in the input and one stored already
    take the single path after the batch before them."""
    need_shared(DEV)
    from kgraph.settings import Settings
    from kgraph.store import oxigraph

    monkeypatch.setattr(oxigraph, "BULK_MIN_LINES", 0)  # these batches are small: take the bulk loader anyway
    monkeypatch.setattr(oxigraph, "BULK_MIN_SHARE", 0)  # also beside the store they are added to
    lines = (DEV / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    head = tmp_path / "head.jsonl"
    head.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    batch = tmp_path / "batch.jsonl"     # documents 1-7, with the 3rd repeated in the middle
    batch.write_text("\n".join(lines[:4] + [lines[2]] + lines[4:7]) + "\n", encoding="utf-8")
    dumps, reports = [], []
    for size in (1, 2, 25):
        s = Settings(store=str(tmp_path / f"store-{size}"), commit_batch=size)
        st = open_store(s.store)
        ingestor = Ingestor(st, s, extractor=extractor)
        ingestor.ingest_paths([head])                      # stored already when the batch comes
        ticks: list[tuple[str, set[str]]] = []   # (source, the graphs stored when it was ticked)
        report = ingestor.ingest_paths(
            [batch], progress=lambda src, st=st, ticks=ticks: ticks.append((src, set(st.named_graphs()))))
        iri_of = {d.source: d.iri for d in report.documents}
        assert len(ticks) == 8 and all(iri_of[src] in stored for src, stored in ticks)  # ticked once committed
        reports.append([(d.source, d.iri, d.statements, d.rejected, d.quarantine) for d in report.documents])
        assert not report.errors and len(report.documents) == 8
        assert (st.bulk_writes > 0) == (size > 1)
        assert st.finish_writes() is False       # the ingest compacted after its bulk loads already
        union = st.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
        dumps.append((_dump(st), int(union)))
        st.close()
    assert reports[0] == reports[1] == reports[2]
    for other in dumps[1:]:
        _assert_same_dataset(dumps[0][0], other[0])
        assert other[1] == dumps[0][1]


def test_an_article_given_twice_is_one_document_and_the_summary_says_so(store, settings, tmp_path, extractor):
    # the summary counted both, with both statement counts, where the store holds the later only
    import json

    first = {"url": "https://example.org/a", "text": "Kazakhstan and Russia met in Moscow on 3 May 2020."}
    later = {"url": "https://example.org/a", "text": "Kazakhstan and France signed a memorandum in Paris."}
    corpus = tmp_path / "twice.jsonl"
    corpus.write_text(json.dumps(first) + "\n" + json.dumps(later) + "\n", encoding="utf-8")
    report = Ingestor(store, settings, extractor=extractor).ingest_paths([corpus])
    assert len(report.documents) == 2 and report.repeated == 1
    (kept,) = report.stored
    assert kept is report.documents[1] and report.statements == kept.statements == store.count(kept.iri)


def test_a_text_longer_than_spacys_default_limit_is_taken_up_to_the_article_limit(extractor):
    # spaCy refuses over 1,000,000 characters by default (a guard for trained parsers); the article
    # limit (5,000,000 bytes) let such a text in, and it failed as "a bug in kgraph" (a 500 on the API)
    assert extractor.nlp.max_length >= extractor.settings.max_article_bytes
    doc = extractor.nlp.make_doc("Baikonur " * 120_000)        # 1,080,000 characters: tokenized, not refused
    assert len(doc) == 120_000


class RefusingStore:
    """The real store, refusing the writes of the documents ``refuses`` picks with ``error``, as a store refuses
    data (Oxigraph a term over its buffer; a server an update, with a 400)."""

    def __init__(self, inner, refuses, error):
        self.inner, self.refuses, self.error = inner, refuses, error

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def add_new_graphs(self, graphs):
        if any(self.refuses(iri) for iri in graphs):
            raise self.error
        self.inner.add_new_graphs(graphs)

    def replace_graph(self, iri, triples):
        if self.refuses(iri):
            raise self.error
        self.inner.replace_graph(iri, triples)


def _ingest_through(store_wrapper, settings, tmp_path, extractor, articles: list[dict], batch: int):
    import json

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    local = settings.model_copy(update={"commit_batch": batch, "store": str(tmp_path / "store")})
    store = open_store(local.store)
    try:
        return corpus, store, Ingestor(store_wrapper(store), local, extractor=extractor).ingest_paths([corpus])
    finally:
        store.close()


@pytest.mark.parametrize("batch", [100, 1])
def test_a_document_the_store_refuses_is_its_own_error_and_its_batch_lands(settings, tmp_path, extractor, batch):
    # a term the store could not take failed the commit of its whole batch, and with it the ingest
    from kgraph.articles import article_from_mapping
    from kgraph.errors import LimitError

    lines = [{"url": f"https://example.org/{name}", "text": f"Kazakhstan and Russia met in Moscow ({name})."}
             for name in ("first", "refused", "last")]
    refused = article_from_mapping(lines[1], where="test").iri
    error = LimitError("a term of the data is larger than the store takes")
    corpus, store, report = _ingest_through(lambda st: RefusingStore(st, lambda iri: iri == refused, error),
                                            settings, tmp_path, extractor, lines, batch)
    assert [e.where for e in report.errors] == [f"{corpus}:2"] and "refused the document" in report.errors[0].message
    assert [d.iri for d in report.documents] == [article_from_mapping(lines[i], where="t").iri for i in (0, 2)]
    again = open_store(str(tmp_path / "store"))
    try:
        assert all(again.has_graph(d.iri) for d in report.documents) and not again.has_graph(refused)
    finally:
        again.close()


def test_a_store_that_refuses_every_document_ends_the_ingest_as_a_store_error(settings, tmp_path, extractor):
    # a query-only endpoint given as the update URL answers every write with a 400 (a QueryError): that
    # is the store refusing writes, not each document's data, and ends the ingest as it did before
    from kgraph.errors import QueryError, StoreError

    articles = [{"text": f"Kazakhstan and Russia met in Moscow ({i})."} for i in range(6)]
    error = QueryError("SPARQL update rejected by the server")
    with pytest.raises(StoreError, match="refused 5 documents in a row"):
        _ingest_through(lambda st: RefusingStore(st, lambda iri: True, error), settings, tmp_path, extractor,
                        articles, 3)


def test_a_text_longer_than_the_trained_ners_limit_is_extracted_without_its_evidence(extractor):
    # KGRAPH_SPACY_MODEL's pipeline keeps spaCy's limit, a guard for its memory: over it, no NER evidence
    import spacy

    from kgraph.articles import Article
    from kgraph.extract import Extractor

    with_ner = Extractor(extractor.settings, nlp=extractor.nlp)
    with_ner.ner = spacy.blank("en")
    with_ner.ner.max_length = 20
    extraction = with_ner.extract(Article(text="Kazakhstan and Russia met in Moscow.", source="t"))
    assert {e.label for e in extraction.entities.values()} >= {"Kazakhstan", "Russia"}
