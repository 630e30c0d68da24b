"""Identity minting (kgraph.identity): keys are valid IRI paths, pure functions of the name."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from kgraph.identity import (
    MAX_SLUG,
    agreement_key,
    is_slug,
    meeting_key,
    organization_key,
    person_key,
    person_label,
    post_key,
    post_label,
    session_key,
    slugify,
    title_form,
    title_words,
)

NAMES = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=150)


@given(NAMES)
def test_any_input_gives_a_valid_slug(name):
    slug = slugify(name)
    assert is_slug(slug) and len(slug) <= MAX_SLUG
    assert slugify(name) == slug                      # deterministic


@given(NAMES)
def test_keys_are_valid_iri_paths(name):
    for key in (person_key(name), organization_key(name), agreement_key(name), meeting_key(name),
                meeting_key(name, dt.date(2020, 1, 2)), meeting_key(name, document="abc123")):
        _kind, slug = key.split("/", 1)
        assert is_slug(slug), key
        URIRef("https://w3id.org/spacecoop/id/" + key)   # no exception: a legal IRI


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=60))
def test_equal_names_give_equal_keys_whatever_the_case_and_spacing(name):
    assert slugify(name) == slugify("  " + name.upper().replace(" ", "   ") + " ")
    assert person_key(name) == person_key(name.title())


def test_transliteration_variants_share_a_key_and_a_label():
    assert person_key("Yury Borisov") == person_key("Yuri Borisov")
    assert person_label("Yury Borisov") == person_label("Yuri Borisov") == "Yuri Borisov"
    assert person_key("Beybut Atamkulov") == person_key("Beibut Atamkulov")


def test_meetings_sessions_and_posts():
    assert meeting_key("Talks", dt.date(2021, 6, 4)) == "meeting/talks-2021-06-04"
    assert meeting_key("Talks", None, "0123456789abcdef") != meeting_key("Talks", None, "fedcba9876543210")
    assert session_key("organization/igc-x", 3) == "meeting/igc-x-session-3"
    assert post_key("person/askar-mamin", "first deputy prime minister") == \
        post_key("person/askar-mamin", "First Deputy Prime Minister")
    assert post_label("head", "Maxim Kharlamov") == "Head (Maxim Kharlamov)"
    assert title_form("secretary of state for foreign trade") == "Secretary of State for Foreign Trade"
    assert title_words("General Director") == title_words("Director General")


@given(NAMES)
def test_post_keys_are_valid(title):
    key = post_key("person/someone", title)
    assert key.startswith("post/someone--") and is_slug(key.split("--", 1)[1])


def test_one_label_for_spellings_that_share_a_key():
    assert person_key("Anatoly Rogozin") == person_key("Anatoli Rogozin")
    assert person_label("Anatoly Rogozin") == person_label("Anatoli Rogozin")
    assert person_label("Kelly Taylor") == "Kelly Taylor"          # other names stay as written
    assert person_label("Nguyen Van An") == "Nguyen Van An"
