"""Misspelt place names: a slip of one known place's name is that place, its spelling an alias.

The sentences are written for these tests (no corpus text); the place names in the unit tests are invented,
so the rule is tested on its conditions, not on a list."""

from __future__ import annotations

from kgraph.identity import PlaceSpellings, consonant_skeleton, edit_distance, is_slip, spelling_budget


def test_edit_distance_counts_a_swap_as_one_edit_and_stops_past_the_limit():
    assert edit_distance("kitten", "sitting", 3) == 3
    assert edit_distance("tarvenok", "tarvneok", 2) == 1            # two neighbours swapped
    assert edit_distance("aaaaaaa", "bbbbbbb", 2) == 3              # limit + 1, not 7
    assert edit_distance("abcdefgh", "abc", 2) == 3                 # lengths alone say it


def test_budget_is_set_by_the_known_name_length():
    assert spelling_budget(6) == 0
    assert spelling_budget(7) == 1
    assert spelling_budget(8) == 2
    assert is_slip("kolpina", "kolpino")                            # 7 letters, one edit
    assert not is_slip("kulpina", "kolpino")                        # 7 letters, two edits
    assert is_slip("zarnuvka", "zarnovika")                         # 9 letters, two edits
    assert not is_slip("tvery", "tvera")                            # too short to guess


def test_a_slip_keeps_first_letter_and_consonants():
    assert consonant_skeleton("sriharikotta") == consonant_skeleton("sriharikota") == "srkt"
    assert not is_slip("marnovka", "zarnovka")                      # another first letter
    assert not is_slip("zarnofka", "zarnovka")                      # another consonant
    assert not is_slip("zarnovka", "zarnovka")                      # the same word is no slip


def _index(blocked: frozenset[str] = frozenset()) -> PlaceSpellings:
    names = [("Zarnovka", "place/zarnovka"), ("Zarnovka city", "place/zarnovka"),
             ("Velikoretsk", "place/velikoretsk"), ("Velikorotsk", "place/velikorotsk"),
             ("Tarvenok Launch Site", "place/tarvenok-launch-site")]
    return PlaceSpellings(names, blocked)


def test_one_known_place_within_reach_is_the_place():
    spellings = _index()
    assert spellings.resolve("Zarnovko") == "place/zarnovka"
    assert spellings.resolve("Zarnovkaa city") == "place/zarnovka"
    assert spellings.resolve("Tarvyonok Launch Site") == "place/tarvenok-launch-site"
    assert spellings.resolve("Zarnovka") is None                    # known as written: nothing to repair
    assert spellings.resolve("Zarnovko town") is None               # the other words must be the same
    assert spellings.resolve("Tarvyonok Space Centre") is None


def test_two_candidates_or_a_blocked_name_are_left_alone():
    assert _index().resolve("Velikoritsk") is None                  # one edit from two places
    assert _index(frozenset({"zarnovko"})).resolve("Zarnovko") is None   # a real place of its own


def test_misspelt_city_is_the_listed_city_and_the_agreement_is_one(run):
    wrong = run("Kazakhstan and Russia approved a roadmap for the development of Baikonour town on Tuesday.")
    right = run("Kazakhstan and Russia approved a roadmap for the development of Baikonur town on Tuesday.")
    assert "Baikonour town" in wrong.entities["place/baikonur"].aliases
    assert not [k for k in wrong.entities if k.startswith("place/baikonour")]
    roadmaps = [{k for k, e in r.entities.items() if e.type == "Roadmap"} for r in (wrong, right)]
    assert roadmaps[0] and roadmaps[0] == roadmaps[1]
    assert "Baikonur" in wrong.entities[next(iter(roadmaps[0]))].label


def test_misspelt_spaceport_is_the_listed_spaceport(run):
    r = run("Officials of Russia and India said the satellite will lift off from the Vostochniy cosmodrome.")
    assert "Vostochniy cosmodrome" in r.entities["place/vostochny-cosmodrome"].aliases


def test_real_town_near_a_listed_city_stays_itself(run):
    # Hertford is one vowel from Hartford, a gazetteer city, but it is a town of its own
    r = run("Delegates from India and the United Kingdom toured the city of Hertford last week.")
    assert "place/hertford" in r.entities
    assert "place/hartford" not in r.entities


def test_name_close_to_two_listed_cities_stays_itself(run):
    # two listed cities are called Alexandria: a slip of that name says neither
    r = run("Egypt and China opened a ground station in the city of Alexandriya, the agency said.")
    assert not {"place/alexandria", "place/alexandria-us"} & set(r.entities)
