"""DocModel's indexes: the lists it keeps between changes must equal what a fresh computation gives.

The extraction rules ask ``of_kind``/``in_sentence``/``sent_has_any`` many times per document, so
DocModel keeps per-kind lists and caches; these tests change the mentions the ways the rules do
(out of text order, remove and re-add with new bounds) and compare against the plain definitions.
"""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.docmodel import DATE, ORG, STATE, TRIGGER_KEY, DocModel, Mention

NLP = spacy.blank("en")
TEXT = "Astria and Borland held talks in Carvel. On the same day the two sides signed a memorandum."


def _model(text: str = TEXT) -> DocModel:
    doc = NLP(text)
    cut = text.index(". ") + 1
    doc.user_data["kg_sents"] = [(0, cut, 0, False), (cut + 1, len(text), 0, False)]
    return DocModel(doc)


def _plain_of_kind(m: DocModel, *kinds: str) -> list[Mention]:
    return sorted((x for x in m.mentions if x.kind in kinds), key=lambda x: x.start)


def test_of_kind_keeps_text_order_when_mentions_arrive_out_of_order_and_move() -> None:
    m = _model()
    borland = m.add(Mention(STATE, 2, 3, 0, "State", key="B"))
    astria = m.add(Mention(STATE, 0, 1, 0, "State", key="A"))           # before the one added first
    carvel = m.add(Mention(ORG, 6, 7, 0, "Organization", key="C"))
    assert m.of_kind(STATE) == [astria, borland] == _plain_of_kind(m, STATE)
    assert m.of_kind(STATE, ORG) == [astria, borland, carvel] == _plain_of_kind(m, STATE, ORG)
    m.remove(astria)                                                     # move a mention the way rules do
    astria.start, astria.end = 8, 9
    m.add(astria)
    assert m.of_kind(STATE) == [borland, astria] == _plain_of_kind(m, STATE)
    assert m.of_kind(STATE, ORG) == [borland, carvel, astria] == _plain_of_kind(m, STATE, ORG)
    listed = m.of_kind(STATE)
    listed.clear()                                                       # callers get their own list
    assert m.of_kind(STATE) == [borland, astria]


def test_sents_with_is_the_sentences_of_the_triggers_with_the_prefix() -> None:
    doc = NLP(TEXT)
    cut = TEXT.index(". ") + 1
    doc.user_data["kg_sents"] = [(0, cut, 0, False), (cut + 1, len(TEXT), 0, False)]
    # "held talks" in the first sentence; "sides" and "signed" in the second
    doc.user_data[TRIGGER_KEY] = [(3, 5, "meeting_words:talks"), (15, 16, "meeting_words:sign"),
                                  (14, 15, "relation_words:side")]
    m = DocModel(doc)
    assert m.sents_with("meeting_words:") == {m.sent_of(t.start) for t in m.triggers_with("meeting_words:")} == {0, 1}
    assert m.sents_with("meeting_words:sign") == {1} and m.sents_with("relation_words:") == {1}
    assert m.sents_with("meeting_words:talks") == {0}
    assert m.sents_with("nothing:") == frozenset()


def test_in_sentence_follows_added_and_removed_mentions() -> None:
    m = _model()
    a = m.add(Mention(STATE, 0, 1, 0, "State", key="A"))
    assert m.in_sentence(0, STATE) == [a]
    assert m.in_sentence(1, DATE) == []
    day = m.add(Mention(DATE, 12, 13, 1, "Date"))
    assert m.in_sentence(1, DATE) == [day]
    b = m.add(Mention(STATE, 2, 3, 0, "State", key="B"))
    assert m.in_sentence(0, STATE) == [a, b]
    m.remove(a)
    assert m.in_sentence(0, STATE) == [b]
    assert m.in_sentence(0) == [b]


def test_sent_has_any_is_membership_in_the_sentence_words() -> None:
    m = _model()
    assert m.sent_has(1, "same") and m.sent_has(1, "day")
    assert not m.sent_has(0, "day")
    assert not m.sent_has(1, "sam")                  # a substring of a word is not a word
    assert m.sent_has_any(0, ("held", "hosted")) and not m.sent_has_any(0, ("hosted",))


WORDS = st.sampled_from(["side", "sides", "held", "hosted", "joint", "jointly", "day", "same", "co-operation"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS | st.text(alphabet="abcdehijlnorstyS -.'", min_size=1, max_size=8), min_size=1, max_size=12),
       st.lists(WORDS, min_size=1, max_size=3))
def test_sent_has_any_agrees_with_the_word_set(parts: list[str], asked: list[str]) -> None:
    text = " ".join(parts).strip() or "x"
    doc = NLP(text)
    m = DocModel(doc)
    for index in range(len(m.sents)):
        expected = bool(m.sent_words(index) & set(asked))
        fresh = DocModel(doc)                        # before the word set is cached, then after
        assert fresh.sent_has_any(index, asked) is expected
        assert fresh.sent_has_any(index, iter(asked)) is expected
