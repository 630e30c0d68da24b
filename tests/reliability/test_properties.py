"""Property-based tests: article readers, date resolution and IRI minting hold for any input.

Only properties that ``tests/core`` and ``tests/extract`` do not already check
(``tests/core/test_articles.py`` covers any text through ``article_from_mapping``,
any value through ``parse_date`` and any bytes through the JSON-lines reader).
"""

from __future__ import annotations

import datetime as dt
import warnings

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from kgraph import identity
from kgraph.articles import Article, clean_text, read_path
from kgraph.dates import WEEKDAYS, find_dates, resolve
from kgraph.errors import ArticleError
from kgraph.rdfgraph import entity_iri

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
FILES = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- article readers ---------------------------------------------------------------------------

html_fragments = st.lists(st.sampled_from([
    "<p>", "</p>", "<div class='nav'>", "</div>", "<article>", "</article>", "<script>x=1</script>",
    "<!-- c -->", "<![CDATA[x]]>", "<!DOCTYPE html>", "&amp;", "&#0;", "&#xD800;", "&nbsp;", "<br/>", "<",
    ">", "Ministers met in Astana.", "Roscosmos", "\x00", "\ufeff", "<meta name='date' content='2019-02-30'>",
    "<link rel='canonical' href='javascript:alert(1)'>", "<title>", "</title>", "<h1>", "é", "\r\n",
]), max_size=60).map("".join)


@FILES
@given(suffix=st.sampled_from([".html", ".txt"]),
       raw=st.one_of(st.binary(max_size=400), html_fragments.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_html_and_text_readers_yield_an_article_or_an_error_for_any_bytes(tmp_path_factory, suffix, raw):
    path = tmp_path_factory.mktemp("r") / f"article{suffix}"
    path.write_bytes(raw)
    items = list(read_path(path))
    assert len(items) == 1 and isinstance(items[0], (Article, ArticleError))
    if isinstance(items[0], Article):
        assert clean_text(items[0].text, where="again") == items[0].text
        assert items[0].url is None or items[0].url.startswith(("http://", "https://"))
    else:
        assert str(path) in items[0].message


@given(st.text(max_size=300))
def test_clean_text_is_idempotent(text):
    try:
        once = clean_text(text, where="w")
    except ArticleError:
        return
    assert clean_text(once, where="w") == once


@given(st.text(min_size=3, max_size=100), st.text(min_size=3, max_size=100),
       st.one_of(st.none(), st.from_regex(r"https?://[a-z]{1,10}\.org/[a-z0-9/]{0,20}", fullmatch=True)))
def test_document_iri_is_valid_and_keyed_by_url_else_text(text_a, text_b, url):
    a, b = Article(text=text_a, source="a", url=url), Article(text=text_b, source="b", url=url)
    ox.NamedNode(a.iri)
    assert (a.iri == b.iri) == (url is not None or text_a == text_b)


# -- dates ------------------------------------------------------------------------------------------

ref_dates = st.one_of(st.none(), st.dates(min_value=dt.date(2, 1, 1), max_value=dt.date(9998, 12, 1)))
in_range = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2199, 12, 31))


@given(st.text(max_size=200), ref_dates)
def test_find_dates_is_total_and_its_mentions_are_consistent(text, ref):
    for m in find_dates(text, ref):
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
        if m.value is not None:
            assert m.year == m.value.year


def test_relative_dates_at_the_ends_of_the_calendar_do_not_overflow():
    """Bug: an article dated 9999-12-31 (a valid ISO date) saying "tomorrow" crashed with OverflowError."""
    assert resolve("They met on Monday", dt.date.min) == dt.date.min  # 0001-01-01 was a Monday
    assert resolve("tomorrow", dt.date.max) is None
    assert resolve("yesterday", dt.date.min) is None
    assert resolve("next Monday", dt.date.max) is None


@given(in_range, ref_dates, st.sampled_from(["{d} {M} {y}", "{M} {d}, {y}", "{iso}", "{Mabbr}. {d}, {y}",
                                              "{W}, {M} {d}, {y}", "on {d} {M} {y} the sides"]))
def test_a_full_date_resolves_to_itself_whatever_the_article_date(day, ref, form):
    text = form.format(d=day.day, M=MONTH_NAMES[day.month - 1], Mabbr=MONTH_NAMES[day.month - 1][:3],
                       y=day.year, iso=day.isoformat(), W=day.strftime("%A"))
    assert resolve(text, ref) == day, text


@given(in_range)
def test_today_yesterday_and_weekdays_resolve_against_the_article_date(ref):
    assume(dt.date(1800, 1, 8) <= ref <= dt.date(2199, 12, 24))
    assert resolve("today", ref) == ref
    assert resolve("yesterday", ref) == ref - dt.timedelta(days=1)
    assert resolve("tomorrow", ref) == ref + dt.timedelta(days=1)
    for name, number in WEEKDAYS.items():
        on = resolve(f"on {name.title()}", ref)
        after = resolve(f"next {name.title()}", ref)
        assert on.weekday() == number and 0 <= (ref - on).days <= 6
        assert after.weekday() == number and 1 <= (after - ref).days <= 7


@given(in_range, st.integers(1, 12), st.integers(1, 28))
def test_day_and_month_without_year_is_near_the_article_date(ref, month, day):
    assume(dt.date(1801, 1, 1) <= ref)
    value = resolve(f"on {day} {MONTH_NAMES[month - 1]} the sides", ref)
    assert value is not None and (value.month, value.day) == (month, day)
    assert -366 <= (value - ref).days <= 183


# -- IRI minting --------------------------------------------------------------------------------------

MINT = [identity.person_key, identity.organization_key, identity.place_key, identity.project_key,
        identity.agreement_key]
names = st.text(st.characters(codec="utf-8"), max_size=200)


def assert_valid_iri(key: str) -> str:
    iri = str(entity_iri(key))
    ox.NamedNode(iri)  # raises on anything that is not an absolute IRI
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        URIRef(iri).n3()
    return iri


@settings(max_examples=400)
@given(names, st.sampled_from(MINT))
def test_any_name_mints_a_valid_iri_with_a_slug(name, mint):
    key = mint(name)
    assert_valid_iri(key)
    kind, _, slug = key.partition("/")
    assert kind and identity.is_slug(slug), (name, key)
    assert mint(name) == key  # equal inputs, equal IRIs
    if name.isascii() and any(ch.isalnum() for ch in name):  # case and spacing do not matter
        assert mint(" ".join(name.split()).upper()) == key, name


@given(names, st.one_of(st.none(), in_range), st.one_of(st.none(), st.text(max_size=30)), st.integers(0, 10**6),
       names)
def test_meeting_session_and_post_keys_are_valid_iris(label, date, document, number, title):
    assert_valid_iri(identity.meeting_key(label, date, document))
    assert_valid_iri(identity.session_key(identity.organization_key(label), number))
    assert_valid_iri(identity.post_key(identity.person_key(label), title))


@given(st.lists(st.from_regex(r"[A-Za-z]{2,12}", fullmatch=True), min_size=1, max_size=4, unique_by=str.lower),
       st.lists(st.from_regex(r"[A-Za-z]{2,12}", fullmatch=True), min_size=1, max_size=4, unique_by=str.lower))
def test_names_with_different_words_mint_different_iris(words_a, words_b):
    """Distinct ASCII names (other than by case, spacing and transliteration variants) never share an IRI."""
    a, b = " ".join(words_a), " ".join(words_b)
    assume(identity.slugify(a) != identity.slugify(b))
    assert identity.agreement_key(a) != identity.agreement_key(b)
    assert identity.organization_key(a) != identity.organization_key(b)
    assert identity.meeting_key(a, dt.date(2020, 1, 2)) != identity.meeting_key(b, dt.date(2020, 1, 2))
    assert identity.meeting_key(a, None, "doc1") != identity.meeting_key(a, None, "doc2")


@pytest.mark.parametrize("a, b", [("Dmitry Рогозин", "Dmitry Петров"), ("Zhang 伟", "Zhang 明"),
                                  ("Комитет Kazakhstan", "Агентство Kazakhstan")])
def test_names_differing_only_in_another_script_mint_different_iris(a, b):
    """Bug: the ASCII fold drops Cyrillic or CJK letters, so two different people written partly in
    another script ("Dmitry Рогозин", "Dmitry Петров") got one IRI, person/dmitri."""
    assert identity.person_key(a) != identity.person_key(b)
    assert identity.organization_key(a) != identity.organization_key(b)


@given(st.text(min_size=100, max_size=400))
def test_long_names_are_clipped_but_stay_distinct(name):
    slug = identity.slugify(name)
    assert len(slug) <= identity.MAX_SLUG
    other = identity.slugify(name + " extra")
    assume(identity.slugify(name + " extra", max_length=10_000) != identity.slugify(name, max_length=10_000))
    assert slug != other
