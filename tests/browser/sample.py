"""A small, hand-built dataset for the server and browser tests.

Three articles become document graphs through the real builder
(:func:`kgraph.rdfgraph.build_document_graph`), so the graphs have exactly the
shape ingest gives them (attestations, sentences, ``sc:mentionedIn``) without
needing the NLP pipeline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kgraph.articles import Article
from kgraph.model import Entity, Extraction, Sentence
from kgraph.rdfgraph import build_document_graph
from kgraph.store import Store

KZ, RU, FR = "state/KZ", "state/RU", "state/FR"
STATES = {KZ: "Kazakhstan", RU: "Russia", FR: "France"}


def _extraction(article: Article, sentences: list[str], entities: list[tuple], facts: list[tuple]) -> Extraction:
    ex = Extraction(article=article)
    pos = 0
    for i, text in enumerate(sentences):
        ex.sentences.append(Sentence(i, pos, pos + len(text), text))
        pos += len(text) + 1
    for key, type_, label, *rest in entities:
        aliases = set(rest[0]) if rest else set()
        ex.add_entity(Entity(key, type_, label, aliases=aliases, reference=type_ == "State"))
    for subject, predicate, obj, *rest in facts:
        datatype, sentence = (rest + [None, None])[:2]
        ex.add_fact(subject, predicate, obj, datatype=datatype, sentence=sentence)
    return ex


def articles() -> list[Extraction]:
    """The three sample documents: a Baikonur commission session, a roadmap, a French memorandum."""
    session = Article(
        text="The 6th session of the Russia-Kazakhstan Intergovernmental Commission for the Baikonur complex was "
             "held in Moscow. Vice Premiers Zhenis Kassymbek and Yuri Borisov co-chaired the sitting. The sides "
             "pointed out the Baiterek project.",
        source="sample-1", url="https://example.org/news/baikonur-session", outlet="Kazinform",
        date=dt.date(2019, 8, 27), title="Kazakhstan and Russia debate further cooperation at Baikonur")
    roadmap = Article(
        text="Askar Mamin and Dmitry Rogozin signed a roadmap on the Baikonur complex in Moscow on 26 December 2016.",
        source="sample-2", url="https://example.org/news/roadmap", outlet="Kazinform", date=dt.date(2016, 12, 26),
        title="Kazakhstan, Russia sign roadmap on Baikonur")
    memo = Article(
        text="Talgat Musabayev and Jean-Yves Le Gall signed a memorandum between Kazakhstan and France. "
             "The Centre national d'études spatiales will help KazCosmos.",
        source="sample-3", url=None, outlet="Astana Times", date=dt.date(2021, 4, 12),
        title="Kazakhstan and France agree on space cooperation")
    commission = "organization/russia-kazakhstan-intergovernmental-commission-for-the-baikonur-complex"
    meeting = "meeting/6th-session-baikonur-commission-2019-08-27"
    return [
        _extraction(session, [session.text.split(". ")[0] + ".", "Vice Premiers Zhenis Kassymbek and Yuri Borisov "
                                                                  "co-chaired the sitting.",
                              "The sides pointed out the Baiterek project."],
                    [(KZ, "State", "Kazakhstan"), (RU, "State", "Russia"),
                     (commission, "IntergovernmentalBody",
                      "Russia-Kazakhstan Intergovernmental Commission for the Baikonur complex"),
                     (meeting, "Meeting", "6th session of the Russia-Kazakhstan Intergovernmental Commission"),
                     ("place/moscow", "Place", "Moscow"),
                     ("person/zhenis-kassymbek", "Official", "Zhenis Kassymbek", {"Zhenis Kasymbek"}),
                     ("person/yuri-borisov", "Official", "Yuri Borisov", {"Yury Borisov"}),
                     ("project/baiterek", "Project", "Baiterek", {"Bayterek", "Baitarek"})],
                    [(meeting, "sessionOf", commission, None, 0), (meeting, "heldAt", "place/moscow", None, 0),
                     (meeting, "heldOn", "2019-08-27", "date", 0),
                     (meeting, "chair", "person/zhenis-kassymbek", None, 1),
                     (meeting, "chair", "person/yuri-borisov", None, 1),
                     (meeting, "participant", "person/zhenis-kassymbek", None, 1),
                     (meeting, "participant", "person/yuri-borisov", None, 1),
                     ("person/zhenis-kassymbek", "represents", KZ, None, 1),
                     ("person/yuri-borisov", "represents", RU, None, 1),
                     (meeting, "concerns", "project/baiterek", None, 2),
                     ("project/baiterek", "party", KZ, None, 2), ("project/baiterek", "party", RU, None, 2),
                     ("place/moscow", "locatedIn", RU)]),
        _extraction(roadmap, [roadmap.text],
                    [(KZ, "State", "Kazakhstan"), (RU, "State", "Russia"),
                     ("agreement/roadmap-baikonur-2016", "Roadmap", "Roadmap on the Baikonur complex"),
                     ("person/askar-mamin", "Official", "Askar Mamin"),
                     ("person/dmitry-rogozin", "Official", "Dmitry Rogozin", {"D. Rogozin"}),
                     ("place/moscow", "Place", "Moscow")],
                    [("agreement/roadmap-baikonur-2016", "party", KZ, None, 0),
                     ("agreement/roadmap-baikonur-2016", "party", RU, None, 0),
                     ("agreement/roadmap-baikonur-2016", "signatory", "person/askar-mamin", None, 0),
                     ("agreement/roadmap-baikonur-2016", "signatory", "person/dmitry-rogozin", None, 0),
                     ("agreement/roadmap-baikonur-2016", "signedOn", "2016-12-26", "date", 0),
                     ("agreement/roadmap-baikonur-2016", "signedAt", "place/moscow", None, 0),
                     ("person/askar-mamin", "represents", KZ, None, 0),
                     ("person/dmitry-rogozin", "represents", RU, None, 0)]),
        _extraction(memo, memo.text.split(". ", 1),
                    [(KZ, "State", "Kazakhstan"), (FR, "State", "France"),
                     ("agreement/memorandum-kz-fr-2021", "Memorandum", "Memorandum on space cooperation"),
                     ("person/talgat-musabayev", "Official", "Talgat Musabayev", {"Talgat Mussabayev"}),
                     ("person/jean-yves-le-gall", "Official", "Jean-Yves Le Gall"),
                     ("organization/cnes", "SpaceAgency", "Centre national d'études spatiales", {"CNES"}),
                     ("organization/kazcosmos", "SpaceAgency", "KazCosmos", {"Kazcosmos"})],
                    [("agreement/memorandum-kz-fr-2021", "party", KZ, None, 0),
                     ("agreement/memorandum-kz-fr-2021", "party", FR, None, 0),
                     ("agreement/memorandum-kz-fr-2021", "signatory", "person/talgat-musabayev", None, 0),
                     ("agreement/memorandum-kz-fr-2021", "signatory", "person/jean-yves-le-gall", None, 0),
                     ("agreement/memorandum-kz-fr-2021", "signedOn", "2021-04-12", "date", 0),
                     ("person/talgat-musabayev", "represents", KZ, None, 0),
                     ("person/jean-yves-le-gall", "represents", FR, None, 0),
                     ("organization/cnes", "ofState", FR, None, 1),
                     ("organization/kazcosmos", "ofState", KZ, None, 1)]),
    ]


def load(store: Store) -> list[str]:
    """Put the sample documents in ``store``; returns their IRIs (session, roadmap, memorandum)."""
    iris = []
    for extraction in articles():
        store.replace_graph(extraction.article.iri, build_document_graph(extraction))
        iris.append(extraction.article.iri)
    return iris


class StubExtractor:
    """Stands in for the NLP pipeline: the sample extraction for a sample text, else nothing (or a violation)."""

    def extract(self, article):
        for ex in articles():
            if ex.article.text == article.text:
                return dataclasses.replace(ex, article=article)
        ex = Extraction(article=article)
        if "VIOLATE" in article.text:  # a date that is not a date breaks the shapes
            ex.add_entity(Entity("agreement/bad", "Treaty", "Bad treaty"))
            ex.add_fact("agreement/bad", "signedOn", "yesterday", datatype="string")
        return ex


@dataclass
class Site:
    """An app over a temporary store holding the sample documents, with an in-process client."""

    app: object
    client: object
    documents: list[str]

    def doc_id(self, n: int) -> str:
        return self.documents[n].rsplit("/", 1)[-1]


@contextmanager
def site(folder: Path, **settings) -> Iterator[Site]:
    """``create_app`` over ``folder/store`` (lifespan running), loaded with the sample documents."""
    from fastapi.testclient import TestClient

    from kgraph.server.app import create_app
    from kgraph.settings import Settings

    app = create_app(Settings(store=str(folder / "store"), **settings))
    with TestClient(app) as client:
        documents = load(app.state.store)
        app.state.executor.notify_write()
        yield Site(app, client, documents)
