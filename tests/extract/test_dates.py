"""Date normalisation (kgraph.dates): formats, relative days, ranges, and properties over any input."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.dates import find_dates, resolve

REF = dt.date(2021, 3, 10)            # a Wednesday
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def test_formats():
    assert resolve("27 August 2019") == dt.date(2019, 8, 27)
    assert resolve("December 23, 1995") == dt.date(1995, 12, 23)
    assert resolve("Aug. 21, 2020") == dt.date(2020, 8, 21)
    assert resolve("On Thursday, July 14, 2022, the") == dt.date(2022, 7, 14)
    assert resolve("07th December, 2021") == dt.date(2021, 12, 7)


def test_ordinal_days_and_of():
    assert resolve("signed on the 5th of May 2021 in") == dt.date(2021, 5, 5)
    assert resolve("5th May 2021") == dt.date(2021, 5, 5)
    assert resolve("May 5th, 2021") == dt.date(2021, 5, 5)
    assert resolve("on the 3rd of June", REF) == dt.date(2021, 6, 3)
    assert resolve("Thursday, the 22nd of September, 2022") == dt.date(2022, 9, 22)
    # "of" belongs to a date only after an ordinal day
    assert [d.kind for d in find_dates("12 of May 2020")] == ["my"]


def test_numeric_dates():
    assert resolve("signed on 12.10.2022 in Baku") == dt.date(2022, 10, 12)   # dots: day first everywhere
    assert resolve("on 1.2.2020.") == dt.date(2020, 2, 1)
    assert resolve("2021-05-05") == dt.date(2021, 5, 5)
    # slashes: day first or month first depends on the writer; a day only where the readings agree
    assert resolve("05/05/2021") == dt.date(2021, 5, 5)
    assert resolve("25/05/2021") == dt.date(2021, 5, 25)
    assert resolve("05/25/2021") == dt.date(2021, 5, 25)
    ambiguous = find_dates("dated 03/04/2021")
    assert [(d.kind, d.value, d.year) for d in ambiguous] == [("slashed", None, 2021)]
    assert find_dates("version 31.12.2021.4")[0].kind != "dotted"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["{d}.{m}.{y}", "{d:02d}.{m:02d}.{y}", "the {d}{o} of {M} {y}", "{M} {d}{o}, {y}",
                        "{d}{o} {M} {y}"]))
def test_every_numeric_and_ordinal_date_round_trips(day, pattern):
    ordinal = "th" if 10 <= day.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    text = pattern.format(d=day.day, m=day.month, M=MONTH_NAMES[day.month - 1], y=day.year, o=ordinal)
    assert resolve(f"It was signed on {text} in Rome.") == day


def test_day_and_month_take_the_article_year():
    assert resolve("June 13", REF) == dt.date(2021, 6, 13)
    assert resolve("13 June", REF) == dt.date(2021, 6, 13)
    assert resolve("June 13", None) is None
    assert resolve("December 28", dt.date(2018, 1, 5)) == dt.date(2017, 12, 28)


def test_relative_days_and_weekdays():
    assert resolve("today", REF) == REF
    assert resolve("yesterday", REF) == dt.date(2021, 3, 9)
    assert resolve("signed on Tuesday", REF) == dt.date(2021, 3, 9)
    assert resolve("on Wednesday", REF) == REF
    assert resolve("last Wednesday", REF) == dt.date(2021, 3, 3)
    assert resolve("next Monday", REF) == dt.date(2021, 3, 15)
    assert resolve("today", None) is None


def test_ranges_months_and_years_have_no_day():
    assert resolve("June 3-4", REF) is None
    assert resolve("3-4 June", REF) is None
    assert resolve("in December 2016") is None
    found = find_dates("the roadmap for 2016-2025 is designed till 2050")
    assert [(d.kind, d.year) for d in found] == [("range", 2025), ("year", 2050)]


def test_may_is_a_month_only_in_a_date():
    assert find_dates("They may sign it in may.") == []
    assert resolve("May 5, 2020") == dt.date(2020, 5, 5)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["{d} {M} {y}", "{M} {d}, {y}", "{M} {d} {y}", "{W}, {M} {d}, {y}", "{y}-{m:02d}-{d:02d}"]))
def test_every_full_date_round_trips(day, pattern):
    text = pattern.format(d=day.day, m=day.month, M=MONTH_NAMES[day.month - 1], y=day.year,
                          W=day.strftime("%A"))
    assert resolve(f"It was signed on {text} in Rome.") == day


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]))
def test_weekdays_resolve_to_the_last_such_day(ref, weekday):
    value = resolve(f"on {weekday.capitalize()}", ref)
    assert value is not None and value.strftime("%A").lower() == weekday
    assert 0 <= (ref - value).days <= 6


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200), st.none() | st.dates())
def test_any_text_gives_well_formed_mentions(text, ref):
    found = find_dates(text, ref)
    previous_end = 0
    for mention in found:
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.start >= previous_end
        assert text[mention.start:mention.end] == mention.text
        previous_end = mention.end


def test_dotted_month_abbreviations_in_the_text(run):
    r = run("Ghana and Kenya signed a memorandum on Earth observation in Accra on Sept. 23. The sides met "
            "again on Oct. 2 in Nairobi.", date="2025-10-08")
    [memo] = r.of_type("Memorandum").values()
    assert r.objects(memo, "signedOn") == {"2025-09-23"}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["last", "Next", "past", "THIS", "blast", "x", " ", "\n", "\u2003", ".", "é", "_"]),
                max_size=12).map("".join))
def test_the_word_before_a_weekday_is_what_a_regex_over_the_whole_text_finds(before):
    # _modifier_before replaced ``\b(last|next|this|past)\s+$`` searched over everything before the
    # weekday, which was quadratic on long texts: the same word, or none, on any text before it
    import re

    from kgraph.dates import _modifier_before

    text = before + "Monday"
    whole = re.compile(r"\b(last|next|this|past)\s+$", re.IGNORECASE).search(text, 0, len(before))
    assert _modifier_before(text, len(before)) == (whole.group(1) if whole else "")


def test_weekday_modifiers_across_line_breaks_and_after_other_words():
    assert resolve("signed last\nWednesday", REF) == dt.date(2021, 3, 3)
    assert resolve("the blast Wednesday", REF) == resolve("on Wednesday", REF)   # "blast" is not "last"
