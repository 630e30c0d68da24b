"""Result.objects: the index of a document's facts must give what a scan of its fact list gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.assemble import Result

KEYS = st.sampled_from(["a", "b", "c", "d"])
FACTS = st.lists(st.tuples(KEYS, st.sampled_from(["party", "concerns", "signatory"]), KEYS), max_size=40)


@settings(max_examples=300, deadline=None)
@given(FACTS, st.sets(KEYS, max_size=4), st.sampled_from(["party", "concerns", "signatory"]))
def test_objects_are_those_a_scan_finds_in_the_order_the_facts_were_made(facts, subjects, predicate):
    r = Result()
    for s, p, o in facts:
        r.fact(s, p, o)                            # repeated facts and s == o are dropped, as before
    scan = [o for s, p, o, _d, _n in r.facts if s in subjects and p == predicate]
    assert r.objects(subjects, predicate) == scan
    for s in subjects:
        assert r.objects(s, predicate) == [o for s_, p, o, _d, _n in r.facts if s_ == s and p == predicate]
