"""Ingest: read → extract → build → validate → commit, document by document.

The same :class:`Ingestor` backs ``kgraph ingest``, ``POST /api/documents`` and
the benchmarks. A document is committed in one store transaction
(:meth:`Store.replace_graph`), so it is either fully in the graph or absent;
re-ingesting it replaces its graph (same IRI, same statements). Rejected
statements are quarantined as TriG next to their SHACL report.

A batch ingest (:meth:`Ingestor.ingest_paths`) commits new documents
``settings.commit_batch`` at a time with :meth:`Store.add_new_graphs`, which
the embedded store writes with Oxigraph's bulk loader, all of a batch or none:
cheaper than a transaction per document (``bench/RESULTS.md``), and the commit
was most of an ingest's time. A document already stored (re-ingest)
still goes through :meth:`Store.replace_graph`, after the batch before it.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import cast

from rdflib import Graph
from rdflib.term import Identifier

from .articles import Article, read_path
from .errors import ArticleError, KgraphError, LimitError, QueryError, StoreError
from .model import Extraction
from .namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from .rdfgraph import Triple, document_triples
from .settings import Settings
from .store import Store
from .store.base import NTriples
from .validate import Issue, Outcome, load_ontology, load_shapes, prepare_engine, validate_document

log = logging.getLogger("kgraph.ingest")
STAGES = ("read", "extract", "build", "validate", "commit")
#: Extraction workers yield to the process that commits: every commit waits for that one process.
WORKER_NICENESS = 5


@dataclass
class DocumentOutcome:
    """What happened to one article."""

    iri: str
    source: str
    statements: int
    rejected: int
    violations: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    extraction: Extraction | None = None
    quarantine: str | None = None


@dataclass
class IngestReport:
    """The summary ``kgraph ingest`` ends with."""

    documents: list[DocumentOutcome] = field(default_factory=list)
    errors: list[ArticleError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    @property
    def stored(self) -> list[DocumentOutcome]:
        """One outcome per document, the last: an article given twice (the same URL, or the same text
        without one) replaced its document, so the store holds the later version only."""
        return list({d.iri: d for d in self.documents}.values())

    @property
    def repeated(self) -> int:
        """Articles that replaced one given earlier in the same run."""
        return len(self.documents) - len(self.stored)

    @property
    def statements(self) -> int:
        return sum(d.statements for d in self.stored)

    @property
    def rejected(self) -> int:
        return sum(d.rejected for d in self.stored)


def ensure_base_graphs(store: Store, settings: Settings) -> bool:
    """Load (or refresh) the ontology and reference-data graphs when they differ from the files.

    True when it wrote (something was missing or stale), False when the store already had them.
    """
    from rdflib.compare import isomorphic

    from .refdata import reference_graph

    wanted = {ONTOLOGY_GRAPH: load_ontology(settings.ontology_path), REFERENCE_GRAPH: reference_graph()}
    stale = {}
    for iri, graph in wanted.items():
        if not store.has_graph(iri) or store.count(iri) != len(graph) or not isomorphic(store.graph(iri), graph):
            stale[iri] = graph
    if stale:
        store.replace_graphs(stale)
    return bool(stale)


def quarantine_dir(settings: Settings) -> Path:
    """Where rejected statements go: inside a local store, else next to the working directory."""
    if "://" in settings.store or settings.store == ":memory:":
        return Path("kgraph-quarantine")
    return Path(settings.store) / "quarantine"


class Ingestor:
    """Holds the loaded pipeline, shapes and ontology; ingests articles into one store."""

    def __init__(self, store: Store, settings: Settings, *, extractor=None) -> None:
        if extractor is None:
            from .extract import Extractor

            extractor = Extractor(settings)
        self.store = store
        self.settings = settings
        self.extractor = extractor
        self.shapes = load_shapes(settings.shapes_path)
        self.ontology = load_ontology(settings.ontology_path)
        self.engine = settings.validation_engine
        prepare_engine(self.engine, self.shapes, self.ontology)
        ensure_base_graphs(store, settings)
        _settle_heap()

    def prepare(self, article: Article, timings: dict[str, float] | None = None
                ) -> tuple[Extraction, list[Triple], Outcome]:
        """Extract, build and validate without touching the store (safe to run in a worker)."""
        return prepare_article(article, self.extractor, self.shapes, self.ontology, timings, engine=self.engine)

    def commit(self, article: Article, extraction: Extraction, outcome: Outcome,
               timings: dict[str, float] | None = None) -> DocumentOutcome:
        t0 = time.perf_counter()
        self.store.replace_graph(article.iri, _prepared(outcome))
        done = self._settle(article, extraction, outcome)
        if timings is not None:
            timings["commit"] += time.perf_counter() - t0
        return done

    def commit_new(self, batch: list[tuple[Article, Extraction, Outcome]],
                   timings: dict[str, float] | None = None) -> list[DocumentOutcome]:
        """Commit documents none of which is stored yet, all or none (:meth:`Store.add_new_graphs`)."""
        if not batch:
            return []
        t0 = time.perf_counter()
        self.store.add_new_graphs({article.iri: _prepared(outcome) for article, _e, outcome in batch})
        done = [self._settle(article, extraction, outcome) for article, extraction, outcome in batch]
        if timings is not None:
            timings["commit"] += time.perf_counter() - t0
        return done

    def _settle(self, article: Article, extraction: Extraction, outcome: Outcome) -> DocumentOutcome:
        """After the store write: quarantine the rejected statements (or clear an old quarantine file)."""
        qpath = None
        qdir = quarantine_dir(self.settings)
        target = qdir / f"{article.key}.trig"
        if outcome.rejected:
            qpath = str(write_quarantine(target, article, outcome))
        elif target.exists():
            target.unlink()
        return DocumentOutcome(iri=article.iri, source=article.source, statements=len(outcome.accepted),
                               rejected=len(outcome.rejected), violations=outcome.violations,
                               warnings=outcome.warnings, extraction=extraction, quarantine=qpath)

    def ingest_article(self, article: Article, timings: dict[str, float] | None = None) -> DocumentOutcome:
        extraction, _graph, outcome = self.prepare(article, timings)
        return self.commit(article, extraction, outcome, timings)

    def ingest_paths(self, paths: Iterable[Path], *, workers: int = 1,
                     progress: Callable[[str], None] | None = None) -> IngestReport:
        """Ingest every article of every path; bad inputs are reported, the rest goes on.

        New documents are committed ``settings.commit_batch`` at a time (see the module
        docstring); the report lists documents in input order either way. A store error
        (disk full, say) ends the ingest: the documents committed before it stay, the
        batch it hit is not written, and running the same ingest again completes it. A
        document whose data the store refuses (:data:`REFUSED_DATA`) is that document's
        error: its batch is committed again one document at a time (the embedded store wrote
        none of it; a server may have taken its earlier requests, and takes them again). A
        store that refuses :data:`REFUSALS_OF_THE_STORE` documents in a row refuses writes,
        whatever the data, and ends the ingest as a store error.
        """
        report = IngestReport()
        articles = _read_all(paths, self.settings, report)
        if workers > 1:
            prepared = _prepare_parallel(articles, self.settings, workers, report.timings, self.extractor)
        else:
            prepared = (_guarded(a, partial(self.prepare, a, report.timings)) for a in articles)
        size = self.settings.commit_batch
        batch: list[tuple[Article, Extraction, Outcome]] = []
        in_batch: set[str] = set()

        def tick(source: str) -> None:
            if progress:
                progress(source)

        refused_in_a_row = 0

        def commit_alone(article: Article, extraction: Extraction, outcome: Outcome) -> None:
            nonlocal refused_in_a_row
            try:
                report.documents.append(self.commit(article, extraction, outcome, report.timings))
                refused_in_a_row = 0
            except ArticleError as err:
                report.errors.append(err)
            except REFUSED_DATA as exc:
                refused_in_a_row += 1
                if refused_in_a_row >= REFUSALS_OF_THE_STORE:   # the store refuses writes, not one document
                    raise StoreError(f"the store refused {refused_in_a_row} documents in a row, the last with: "
                                     f"{exc.message}") from None
                report.errors.append(ArticleError(f"the store refused the document: {exc.message}",
                                                  where=article.source))

        def flush() -> None:
            try:
                report.documents.extend(self.commit_new(batch, report.timings))
            except REFUSED_DATA:       # one document's data: each alone, so that only it fails
                for article, extraction, outcome in batch:
                    commit_alone(article, extraction, outcome)
            for article, _e, _o in batch:      # progress counts documents committed (or rejected)
                tick(article.source)
            batch.clear()
            in_batch.clear()

        for article, extraction, _graph, outcome in prepared:
            if isinstance(article, ArticleError):
                report.errors.append(article)
                tick(article.where or "")
            elif size > 1 and article.iri not in in_batch and not self.store.has_graph(article.iri):
                batch.append((article, extraction, outcome))
                in_batch.add(article.iri)
                if len(batch) >= size:
                    flush()
            else:
                flush()                  # a re-ingest, or no batching: the documents before it go first
                commit_alone(article, extraction, outcome)
                tick(article.source)
        flush()
        t0 = time.perf_counter()
        if self.store.finish_writes():     # the embedded store compacts after bulk loads
            report.timings["commit"] += time.perf_counter() - t0
        return report


#: What a store raises when it refuses one document's data (a term too long for it, an IRI its engine will
#: not take), as opposed to failing itself (a full disk, a lost server), which ends the ingest.
REFUSED_DATA = (LimitError, QueryError)
#: Refusals in a row that say the store takes no write at all (a query-only endpoint given as the update
#: URL), not that one document's data is wrong.
REFUSALS_OF_THE_STORE = 5


def _prepared(outcome: Outcome) -> NTriples:
    """The accepted triples as :func:`prepare_article` left them: the N-Triples text the store takes."""
    return cast(NTriples, outcome.accepted)


def prepare_article(article: Article, extractor, shapes: Graph, ontology: Graph,
                    timings: dict[str, float] | None = None, *, engine: str = "compiled"):
    t0 = time.perf_counter()
    extraction = extractor.extract(article)
    t1 = time.perf_counter()
    triples = document_triples(extraction)
    t2 = time.perf_counter()
    outcome = validate_document(triples, shapes, ontology, engine=engine)
    t3 = time.perf_counter()
    # the accepted triples become the N-Triples text the store takes (and a worker sends back) here, so a
    # document whose terms cannot be written fails on its own, in _guarded, not at its batch's commit
    outcome.accepted = NTriples.of(cast("list[tuple[Identifier, Identifier, Identifier]]", outcome.accepted))
    t4 = time.perf_counter()
    if timings is not None:
        timings["extract"] += t1 - t0
        timings["build"] += (t2 - t1) + (t4 - t3)
        timings["validate"] += t3 - t2
    return extraction, triples, outcome


def _settle_heap() -> None:
    """Move what is loaded by now (the spaCy pipeline, reference data, shapes) out of the collector's way.

    Those objects live as long as the process; without this every full
    collection walks them again, which cost about 3 ms a document at ingest.
    """
    gc.collect()
    gc.freeze()


def _read_all(paths: Iterable[Path], settings: Settings, report: IngestReport) -> list[Article]:
    t0 = time.perf_counter()
    articles = []
    for path in paths:
        for item in read_path(Path(path), max_bytes=settings.max_article_bytes):
            if isinstance(item, ArticleError):
                report.errors.append(item)
            else:
                articles.append(item)
    report.timings["read"] += time.perf_counter() - t0
    return articles


_WORKER: dict = {}
#: The pipeline this process loaded, set while its worker processes are forked (see _prepare_parallel).
_LOADED: dict = {}


def _die_with_parent() -> None:
    """Linux: a worker gets SIGKILL when the ingesting process dies, so a killed ingest leaves no orphans."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when their pipe closes
        pass


def _worker_init(settings_json: str) -> None:
    _die_with_parent()
    os.nice(WORKER_NICENESS)
    settings = Settings.model_validate_json(settings_json)
    extractor = _LOADED.get("extractor")
    if extractor is None:  # a spawned worker: it loads its own pipeline
        from .extract import Extractor

        extractor = Extractor(settings)
    _WORKER["extractor"] = extractor
    _WORKER["shapes"] = load_shapes(settings.shapes_path)
    _WORKER["ontology"] = load_ontology(settings.ontology_path)
    _WORKER["engine"] = settings.validation_engine
    prepare_engine(settings.validation_engine, _WORKER["shapes"], _WORKER["ontology"])
    _settle_heap()


def _guarded(article: Article, work: Callable[[], tuple]) -> tuple:
    """Run one article's preparation; a failure costs that article only, reported with its source.

    A KgraphError is the article's own fault; anything else is a bug in kgraph, logged with
    its traceback and reported as such, so a batch is never lost to one odd article.
    """
    try:
        return (article, *work())
    except KgraphError as exc:
        return ArticleError(exc.message, where=article.source), None, None, None
    except Exception as exc:  # noqa: BLE001 - isolate one article; the traceback goes to the log
        log.exception("internal error on %s", article.source)
        return (ArticleError(f"internal error while processing the article ({type(exc).__name__}: {exc}); "
                             "this is a bug in kgraph", where=article.source), None, None, None)


def _worker_prepare(article: Article):
    """Prepare in a worker; the accepted triples go back as N-Triples text (see :class:`NTriples`)."""
    timings = dict.fromkeys(STAGES, 0.0)

    def work() -> tuple:
        extraction, _triples, outcome = prepare_article(article, _WORKER["extractor"], _WORKER["shapes"],
                                                        _WORKER["ontology"], timings, engine=_WORKER["engine"])
        return extraction, None, outcome

    return _guarded(article, work), timings


def _prepare_parallel(articles: list[Article], settings: Settings, workers: int, timings: dict[str, float],
                      extractor) -> Iterator[tuple]:
    """Extraction and validation in worker processes; commits stay in this process, one at a time.

    Forked workers (the default on Linux) inherit the pipeline this process has
    loaded instead of loading their own, which took seconds per worker, before
    the first document, while this process waited.
    """
    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        _LOADED["extractor"] = extractor
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                                 initargs=(settings.model_dump_json(),)) as pool:
            for result, t in pool.map(_worker_prepare, articles, chunksize=4):
                for k, v in t.items():
                    timings[k] += v
                yield result
    finally:
        _LOADED.clear()


def write_quarantine(target: Path, article: Article, outcome) -> Path:
    """Rejected statements and the SHACL report, side by side in one TriG file."""
    from rdflib import Dataset, URIRef

    target.parent.mkdir(parents=True, exist_ok=True)
    ds = Dataset()
    rejected = ds.graph(URIRef(article.iri + "#rejected"))
    for t in outcome.rejected:
        rejected.add(t)
    report = ds.graph(URIRef(article.iri + "#report"))
    for t in outcome.report:
        report.add(t)
    tmp = target.with_suffix(".tmp")
    ds.serialize(tmp, format="trig")
    tmp.replace(target)
    return target


def delete_document(store: Store, iri: str, settings: Settings) -> bool:
    """Remove exactly one document's statements (its named graph and its share of the union)."""
    return store.drop_graph(iri)
