"""(c) Extraction benchmark: words/s of the full pipeline against spaCy's blank English tokenizer,
and documents/s of ingest with SHACL validation.

    python bench/bench_extraction.py [--runs 15] [--docs 200] [--corpus path.jsonl]

Words/s: the same texts (the dev corpus when ``../shared`` is there, else synthetic
articles) go through ``spacy.blank("en")(text)`` and through
``Extractor.extract(article)`` — the whole pipeline, from tokens to typed facts — in
alternation, in the same process; each figure is the best of ``--runs`` passes of CPU
time, so other load on the machine disturbs it little. The ratio is extraction
words/s over tokenizer words/s (the target is at least 0.30).

Documents/s: ``--docs`` synthetic articles (``bench/synth_articles.py``) ingested one by
one into a fresh embedded store by :class:`kgraph.ingest.Ingestor` — extraction, RDF,
SHACL validation and commit — with the time of each stage.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DEV = BENCH.parent.parent / "shared" / "corpus" / "dev" / "corpus.jsonl"
sys.path.insert(0, str(BENCH))


def _articles(corpus: Path | None, count: int):
    from kgraph.articles import article_from_mapping

    if corpus is not None and corpus.is_file():
        rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        source = str(corpus)
    else:
        import synth_articles

        rows = synth_articles.generate(count)
        source = f"{count} synthetic articles"
    return [article_from_mapping(row, where=f"bench:{i}") for i, row in enumerate(rows)], source


def words_per_second(articles, runs: int) -> dict[str, float]:
    import spacy

    from kgraph.extract import Extractor

    extractor = Extractor()
    blank = spacy.blank("en")
    words = sum(len(a.text.split()) for a in articles)
    for a in articles:                                   # warm-up: caches, lazily built tables
        extractor.extract(a)
        blank(a.text)
    best_blank = best_full = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        for a in articles:
            blank(a.text)
        best_blank = min(best_blank, time.process_time() - t0)
        t0 = time.process_time()
        for a in articles:
            extractor.extract(a)
        best_full = min(best_full, time.process_time() - t0)
    return {"words": words, "blank_wps": words / best_blank, "pipeline_wps": words / best_full,
            "ratio": best_blank / best_full}


def documents_per_second(count: int) -> dict[str, float]:
    import synth_articles

    from kgraph.ingest import Ingestor
    from kgraph.settings import Settings
    from kgraph.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        synth_articles.write(path, count)
        settings = Settings(store=str(Path(tmp) / "store"))
        store = open_store(settings.store)
        try:
            ingestor = Ingestor(store, settings)
            t0 = time.perf_counter()
            report = ingestor.ingest_paths([path])
            elapsed = time.perf_counter() - t0
        finally:
            store.close()
    out = {"documents": len(report.documents), "seconds": elapsed, "docs_per_s": len(report.documents) / elapsed,
           "rejected": report.rejected}
    out.update({f"{stage}_s": seconds for stage, seconds in report.timings.items()})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="passes over the texts (best one counts)")
    parser.add_argument("--docs", type=int, default=200, help="synthetic articles for the ingest figure")
    parser.add_argument("--corpus", type=Path, default=DEV, help="JSONL corpus for words/s [default: dev]")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    articles, source = _articles(args.corpus, args.docs)
    speed = words_per_second(articles, args.runs)
    ingest = documents_per_second(args.docs)
    if args.json:
        print(json.dumps({"source": source, **speed, **{f"ingest_{k}": v for k, v in ingest.items()}}, indent=1))
        return 0
    print(f"texts: {source} ({speed['words']} words), best of {args.runs} passes (CPU time)\n")
    print("| measure | value |\n|---|---|")
    print(f"| blank tokenizer, words/s | {speed['blank_wps']:,.0f} |")
    print(f"| full extraction pipeline, words/s | {speed['pipeline_wps']:,.0f} |")
    print(f"| ratio (target ≥ 0.30) | {speed['ratio']:.3f} |")
    print(f"| ingest with validation, documents/s | {ingest['docs_per_s']:.1f} "
          f"({ingest['documents']} documents in {ingest['seconds']:.1f} s, {ingest['rejected']} rejected) |")
    stages = ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in ingest.items() if k.endswith("_s") and k != "docs_per_s")
    print(f"| ingest stages | {stages} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
