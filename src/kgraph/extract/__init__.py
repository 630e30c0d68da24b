"""Extraction: an article becomes typed entities and facts (:class:`kgraph.model.Extraction`).

The pipeline is ``spacy.blank("en")`` plus rule components, each registered with
``@Language.factory`` under a versioned name and initialised from ``data/`` (reference
data and the trigger lexicons of ``data/extraction``)::

    kgraph_noise_filter_v1     page furniture → doc.user_data["noise"]
    kgraph_sentences_v1        sentence boundaries (lines, punctuation, datelines)
    kgraph_reference_ruler_v1  reference names and gazetteer cities → doc.user_data["ref"]
    kgraph_trigger_ruler_v1    trigger words of every rule family → doc.user_data["trigger"]
    kgraph_entities_v1         states, organizations, places, projects, dates
    kgraph_officials_v1        officials, titles, posts, represented states
    kgraph_agreements_v1       agreements, canonical names, amendments
    kgraph_meetings_v1         meetings, dates, places, chairs, participants
    kgraph_graph_v1            cross-family relations → entities and facts

``Extractor().nlp`` can be saved with ``nlp.to_disk`` and loaded back with
``spacy.load`` (importing :mod:`kgraph.extract` registers the factories). Where
``settings.spacy_model`` names an installed trained pipeline, its NER runs too and person
names it finds next to a title are accepted where the rules read none; nothing requires one.
The rulers and the noise filter keep their matches as plain tuples in ``doc.user_data`` (fast);
``store_spans = true`` in their config also writes them as span groups, for inspection.
"""

from __future__ import annotations

import threading
from pathlib import Path

import spacy
from spacy.language import Language

from ..articles import Article
from ..model import Entity, Extraction, Fact, Sentence
from ..settings import Settings
from . import agreements, assemble, entities, meetings, officials, rulers, text  # noqa: F401  (factories)
from .officials import NER_PERSONS

__all__ = ["PIPELINE", "Extractor", "build_pipeline"]

PIPELINE = (
    "kgraph_noise_filter_v1",
    "kgraph_sentences_v1",
    "kgraph_reference_ruler_v1",
    "kgraph_trigger_ruler_v1",
    "kgraph_entities_v1",
    "kgraph_officials_v1",
    "kgraph_agreements_v1",
    "kgraph_meetings_v1",
    "kgraph_graph_v1",
)

_CACHE: dict[tuple[str, str | None], Language] = {}
_LOCK = threading.Lock()


def build_pipeline(lexicon_dir: str | Path | None = None) -> Language:
    """A fresh, initialised pipeline (reads the reference data; takes a few seconds)."""
    nlp = spacy.blank("en")
    for name in PIPELINE:
        nlp.add_pipe(name, config={"lexicon_dir": str(lexicon_dir) if lexicon_dir else None})
    nlp.initialize()
    return nlp


def _cached_pipeline(settings: Settings) -> Language:
    key = (str(settings.data_dir), settings.spacy_model)
    with _LOCK:
        nlp = _CACHE.get(key)
        if nlp is None:
            lexicons = Path(settings.data_dir) / "extraction"
            nlp = build_pipeline(lexicons if lexicons.is_dir() else None)
            _CACHE[key] = nlp
    return nlp


class Extractor:
    """Turns one article into an :class:`~kgraph.model.Extraction`; the loaded pipeline is shared."""

    def __init__(self, settings: Settings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp: Language = nlp if nlp is not None else _cached_pipeline(self.settings)
        # spaCy refuses texts over max_length (1,000,000 characters), a guard for trained parsers' memory;
        # the rules take any text the article limit lets in (no more characters than bytes)
        self.nlp.max_length = max(self.nlp.max_length, self.settings.max_article_bytes)
        self.ner: Language | None = None
        if self.settings.spacy_model:
            try:
                self.ner = spacy.load(self.settings.spacy_model, exclude=["parser", "lemmatizer"])
            except OSError as exc:
                from ..errors import ConfigError

                raise ConfigError(f"spacy_model {self.settings.spacy_model!r} is not an installed pipeline: "
                                  f"{exc}") from None

    def extract(self, article: Article) -> Extraction:
        doc = self.nlp.make_doc(article.text)
        data = doc.user_data
        data["kg_text"] = article.text                     # make_doc keeps the text exactly
        data["kg_date"] = article.date
        data["kg_doc_key"] = article.key
        data["kg_title"] = article.title
        if self.ner is not None and len(article.text) <= self.ner.max_length:   # a trained NER's memory guard
            found = self.ner(article.text)
            doc.user_data[NER_PERSONS] = [(e.start_char, e.end_char) for e in found.ents if e.label_ == "PERSON"]
        doc = self.nlp(doc)
        result = doc.user_data.get("kg_result") or {"entities": {}, "facts": []}
        extraction = Extraction(article=article)
        for index, (start, end, _para, _noise) in enumerate(doc.user_data.get("kg_sents") or []):
            extraction.sentences.append(Sentence(index, start, end, article.text[start:end]))
        for key, e in result["entities"].items():
            extraction.add_entity(Entity(key=key, type=e["type"], label=e["label"], aliases=set(e["aliases"]),
                                         sentences=set(e["sentences"]), reference=bool(e["reference"])))
        # facts are unique already (the graph component keeps the first sentence that states one)
        extraction.facts = [Fact(s, p, o, d, n) for s, p, o, d, n in result["facts"]]
        doc.user_data.pop("kg", None)                       # the working model is not kept
        return extraction
