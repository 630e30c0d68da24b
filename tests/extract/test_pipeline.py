"""The pipeline the spaCy way: versioned factories, data loaded in initialize(), to_disk/from_disk."""

import datetime as dt

import spacy

from kgraph.articles import Article
from kgraph.extract import PIPELINE, Extractor, build_pipeline
from kgraph.extract.officials import NER_PERSONS

TEXT = ("MADRID. Spain and Morocco signed a memorandum on satellite data on Monday. Minister of Science of "
        "Spain Elena Ruiz and Minister of Industry of Morocco Karim Alaoui signed it in Madrid.")


def test_components_are_versioned_factories(extractor):
    assert extractor.nlp.pipe_names == list(PIPELINE)
    assert all(name.startswith("kgraph_") and name.endswith("_v1") for name in PIPELINE)


def test_to_disk_and_load_back_give_the_same_extraction(extractor, tmp_path):
    extractor.nlp.to_disk(tmp_path / "nlp")
    loaded = Extractor(nlp=spacy.load(tmp_path / "nlp"))
    article = Article(text=TEXT, source="t", date=dt.date(2022, 5, 4))
    first, second = extractor.extract(article), loaded.extract(article)
    assert first.facts == second.facts
    assert {k: e.label for k, e in first.entities.items()} == {k: e.label for k, e in second.entities.items()}


def test_initialize_reads_the_lexicon_folder(tmp_path):
    import shutil

    from kgraph.extract.lexicon import DEFAULT_DIR

    copy = tmp_path / "lexicons"
    shutil.copytree(DEFAULT_DIR, copy)
    (copy / "titles.tsv").write_text((copy / "titles.tsv").read_text().replace("Minister\tcore", "Ministre\tcore"))
    nlp = build_pipeline(copy)
    rows = nlp.get_pipe("kgraph_officials_v1").data["titles"]
    assert any(r["phrase"] == "Ministre" for r in rows)


def test_a_trained_ner_may_add_person_evidence(extractor):
    text = "President Luiz Inácio da silva met the Premier of Portugal in Lisbon."
    without = extractor.nlp(text)._.kg_result["entities"]
    assert "person/luiz-inacio" in without                 # the rules stop at a particle before a lowercase word
    doc = extractor.nlp.make_doc(text)
    doc.user_data[NER_PERSONS] = [(text.index("Luiz"), text.index(" met"))]
    doc = extractor.nlp(doc)
    assert "person/luiz-inacio-da-silva" in doc._.kg_result["entities"]
