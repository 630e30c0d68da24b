"""``whole_words`` finds exactly what the regular expression it replaces finds."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from kgraph.extract.docmodel import whole_words

# names, their parts and the characters that sit around them in news text
_ALPHABET = st.sampled_from(list("AaBbMmíé_ -.,'’\n0") + ["Ma", "Mamin", "Am", "in"])
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)
_FORMS = st.lists(st.lists(_ALPHABET, min_size=1, max_size=4).map("".join), min_size=1, max_size=5)


def _by_regex(text: str, forms: list[str]) -> list[tuple[int, str]]:
    pattern = re.compile(r"\b(" + "|".join(re.escape(f) for f in forms) + r")\b")
    return [(m.start(), m.group(1)) for m in pattern.finditer(text)]


@given(_TEXT, _FORMS)
@example("Askar Mamin met Mamin's aide; Mamin left.", ["Askar Mamin", "Mamin"])
@example("Jean-Yves Le Gall and Le Gall", ["Le Gall", "Jean-Yves Le Gall"])
@example("Al-Amiri, al Amiri", ["Al", "Al-Amiri"])
def test_same_matches_as_the_alternation(text, forms):
    forms = sorted(set(forms), key=len, reverse=True)    # as the officials component orders them
    assert list(whole_words(text, forms)) == _by_regex(text, forms)


def test_a_form_inside_a_longer_word_is_not_found():
    assert list(whole_words("Mamintayev and Mamin", ["Mamin"])) == [(15, "Mamin")]


def test_the_longer_form_wins_where_both_start():
    assert list(whole_words("Askar Mamin", ["Askar Mamin", "Askar"])) == [(0, "Askar Mamin")]
