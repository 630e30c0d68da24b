"""A SELECT's final ORDER BY evaluated by kgraph (``kgraph.store.ordering``) gives the engine's order.

Which query shapes are taken over (the rest is left to Oxigraph), and, on random data of every kind
of term, that the rows come out in the order Oxigraph's own ORDER BY gives: the same sort keys row
by row (rows equal on every key may come in another order; SPARQL leaves that open), the same rows,
and the same slice.
"""

from __future__ import annotations

import datetime as dt
import json

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgraph.store import ordering, oxigraph
from kgraph.store.ordering import order, plan
from kgraph.store.oxigraph import OxigraphStore

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


# -- which shapes ----------------------------------------------------------------------------------

def test_a_final_order_by_over_variables_is_taken_off_the_query():
    sort = plan("PREFIX ex: <http://example.org/>\nSELECT ?a ?b WHERE { ?a ex:p ?b }\nORDER BY DESC(?b) ?a")
    assert sort is not None
    assert sort.keys == (("b", True), ("a", False))
    assert "ORDER" not in sort.text and sort.text.rstrip().endswith("}")


def test_group_by_and_having_stay_as_written():
    query = ("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(?o) <= 3)\n"
             "# most first\nORDER BY DESC(?n)")
    sort = plan(query)
    assert sort is not None and sort.keys == (("n", True),)
    assert sort.text == query[:query.index("ORDER")]            # "<=" not re-spaced, the comment kept
    found = plan("SELECT * { ?s ?p ?o } ORDER BY ?s")
    assert found is not None and found.keys == (("s", False),)


def test_with_a_limit_or_an_offset_the_engine_sorts():
    """The engine hands over only the rows a LIMIT keeps, so kgraph would have to take them all first;
    an OFFSET may cut through rows tied on every key, whose order the two sorts may leave differently
    (a generated query showed it: other rows were skipped)."""
    assert plan("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 10") is None
    assert plan("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 2 LIMIT 10") is None
    assert plan("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 1") is None


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { ?s ?p ?o }",                                          # no ORDER BY
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY STR(?s)",                         # an expression
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY (?s)",
    "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2 } }",  # inside a subquery only
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s VALUES ?s { <http://example.org/a> }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s",
    "ASK { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 2 OFFSET 3",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?o",                              # not projected
    "SELECT ?s (STR(?o) AS ?t) WHERE { ?s ?p ?o } ORDER BY ?o",
    "SELECT ?s WHERE { ?s ?p ?o SERVICE <http://example.org/sparql> { ?s ?q ?r } } ORDER BY ?s",
    # invalid queries keep the engine's syntax error, though their text without ORDER BY parses
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2 ORDER BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o } VALUES ?x { 1 } ORDER BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 18446744073709551616",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER\u00a0BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY DE\u017fC(?s)",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFF\u017fET 1",
    # "<" compares here: read as an IRI it would hide a quote or a "#", and the "}" and ORDER BY
    # in the comments would pass for the query's own (found by review)
    "SELECT ?s ?v WHERE { ?s <http://example.org/v> ?v FILTER(?v<'z>z' || ?v = 'q') } ORDER BY ?v #'} "
    "ORDER BY DESC(?v)",
    "SELECT ?s ?v WHERE { ?s <http://example.org/v> ?v FILTER(!(?v<?v))#> '''\n} ORDER BY ?v #''' } "
    "ORDER BY DESC(?v)",
    # the "<" compares and starts a long string that holds the first "} ORDER BY": the text before the
    # cut is no query (the IRI's "#" would hide the rest of line 1 if its "<" were read as comparing)
    "PREFIX a: <http://example.org/a#> SELECT ?v WHERE { ?s ?p ?v FILTER(?v<'''z> }\n{ ?s ?p ?v } ORDER BY ?v\n"
    "# ''') } ORDER BY DESC(?v)",
    "SELECT ?s WHERE { ?s ?p ?o } HAVING (?s != \"x\") ORDER BY ?s",         # a string after the pattern
    "SELECT ?s WHERE { ?s ?p ?o ORDER BY ?s",                                # unbalanced
])
def test_other_shapes_are_left_to_the_engine(query):
    assert plan(query) is None


def test_braces_and_order_by_in_strings_iris_and_comments_do_not_mislead_it():
    query = ('SELECT ?s ?o WHERE {\n  { ?s ?p ?o } # } ORDER BY ?nothing\n  ?s <http://example.org/p#x> ?o\n'
             '  FILTER(?o != "} ORDER BY ?x" && ?o != \'{\' && ?o != """}\n""")\n} # the order:\n'
             'ORDER BY ?o # by value\n')
    sort = plan(query)
    assert sort is not None and sort.keys == (("o", False),)
    assert sort.text.startswith(query[:query.rindex("}") + 1])
    engine = ox.Store()
    for text in (query, sort.text):              # both parse (and run)
        assert list(engine.query(text)) == []


def test_a_query_on_one_line_with_hash_iris_is_taken_over():
    """Read as comparing, the "<" of ``<…#>`` would make the rest of the line a comment; the parser's
    check of the cut, not a second reading, decides, so such a line is not declined for it."""
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?l WHERE { ?s rdfs:label ?l "
             "FILTER(?l != <http://example.org/x#y>) } ORDER BY ?l")
    sort = plan(query)
    assert sort is not None and sort.keys == (("l", False),)


def test_an_escaped_hash_in_a_prefixed_name_is_part_of_the_name_not_a_comment():
    query = "PREFIX ex: <http://example.org/>\nSELECT ?s ?o WHERE { ?s ex:a\\#b ?o } ORDER BY ?o"
    sort = plan(query)
    assert sort is not None and sort.keys == (("o", False),)
    assert sort.text == query[:query.index("ORDER")]
    engine = ox.Store()
    engine.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "a#b"), ox.Literal("x")))
    assert [s["o"] for s in engine.query(sort.text)] == [ox.Literal("x")]


def test_a_cut_that_starts_its_line_costs_no_parse(monkeypatch):
    """The analyst queries put ORDER BY on a line of its own: no reading can put that line's start
    inside a string, an IRI or a comment, and with no LIMIT, OFFSET, ORDER or VALUES before it the
    query parses if the text before the cut does, which the engine checks as it runs it. With those
    letters before the cut (here in a comment), the parser is asked about the query alone."""
    asked: list[str] = []
    real = ordering.prepares
    monkeypatch.setattr(ordering, "prepares", lambda text: asked.append(text) or real(text))
    query = ("PREFIX ex: <http://example.org/x#>\nSELECT ?s ?l WHERE { ?s ex:p \"#'\" ; ex:l ?l }\n"
             "ORDER BY DESC(?l)")
    sort = plan(query)
    assert sort is not None and sort.keys == (("l", True),)
    assert asked == []
    commented = query.replace("\nORDER", "# no Limit\nORDER")
    assert plan(commented) is not None
    assert asked == [commented]
    asked.clear()
    one_line = query.replace("\nORDER", " ORDER")              # a quote before the cut on its line
    cut = one_line[:one_line.index(" ORDER") + 1]
    assert plan(one_line) is not None
    assert asked == [one_line, cut, cut + " }"]


@pytest.mark.parametrize("text, outside", [
    ("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY ?s", True),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", True),
    ("SELECT ?s WHERE { ?s ?p ?o }ORDER BY ?s", False),           # glued: the parser decides
    ("SELECT ?s WHERE { ?s ?p 'o' } ORDER BY ?s", False),         # a quote on its line
    ("SELECT ?s WHERE { ?s ?p ?o } # x\r ORDER BY ?s", True),     # a comment ends at \r too
    ("SELECT ?s WHERE { ?s ?p ?o } # x ORDER BY ?s", False),
    ('SELECT ?s WHERE { ?s ?p """o\n""" }\nORDER BY ?s', False),  # three quotes before it
    ("SELECT ?s WHERE { ?s ?p '''o\n''' }\nORDER BY ?s", False),
])
def test_outside_any_token_reads_only_what_a_terminal_could_hold(text, outside):
    assert ordering.outside_any_token(text, text.rindex("ORDER")) is outside


_FILLERS = ["?s ?p ?v .", "# } ORDER BY ?v\n", "#", "'", '"', "'''", '"""', "\n", "\r", " ", "<", ">",
            "FILTER(?v<?w)", "FILTER(?v < 'a')", "<http://example.org/a#b>", "'} ORDER BY ?v'",
            '"x # y"', "?w", "{", "}", "OPTIONAL { ?s ?q ?w }", "\\", "(", ")", "ORDER BY ?v"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FILLERS), max_size=8), st.sampled_from([" ", "\n", "\r\n", "\t", "# c\n"]))
def test_where_the_characters_say_outside_the_parser_agrees(fillers, before):
    """Texts built to mislead (comments, quotes, three quotes, a "<" that compares, ORDER BY in strings):
    wherever a cut passes the characters' test, the parser's two checks of it pass as well."""
    query = "SELECT ?v WHERE { ?s ?p ?v " + " ".join(fillers) + " }" + before + "ORDER BY ?v"
    if not ordering.prepares(query):
        return
    sort = ordering._plan_from(query, list(ordering.lexed(query)))
    if sort is not None and ordering.outside_any_token(query, len(sort.text)):
        assert ordering.prepares(sort.text) and not ordering.prepares(sort.text + " }")


_CLAUSES = ["GROUP BY ?v", "GROUP BY ?v ?s", "HAVING (?v < 'z')", "HAVING(COUNT(*) > 0)", "LIMIT 2", "LIMIT2",
            "OFFSET 1", "ORDER BY ?s", "VALUES ?v { 'a' }", "values ?v {}", "# limit\n", "'order'", "lImIt 1",
            "GROUP BY STR(?v)", "GROUP BY (?v AS ?w)", "}", "{", ")", "ORDER", "BY", "ASC", "(", "?v"]
_KEYS = ["?v", "?s", "$v", "?", "$", "?\u00b7v", "?v\u00b7", "?\u0300v", "?0", "ASC(?v)", "DESC(?)", "DESC(?s)",
         "?v ?s", "ASC ( ?v )"]


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(["SELECT ?v ?s", "SELECT *", "SELECT ?v", "SELECT (COUNT(*) AS ?v) ?s", "SELECT DISTINCT ?s ?v"]),
       st.lists(st.sampled_from(_FILLERS), max_size=3), st.lists(st.sampled_from(_CLAUSES), max_size=3),
       st.lists(st.sampled_from(_KEYS), min_size=1, max_size=2), st.sampled_from([" ", "\n", "\t", "\xa0", "\x1c"]))
def test_where_no_parse_is_asked_the_query_parses_if_the_cut_does(head, fillers, clauses, keys, before):
    """Invalid queries included: where :func:`ordering.plan` has the engine check only the text before the
    cut (when it runs it), that text parses only if the whole query does; so a query the engine refuses
    is refused with its own error (the store then runs it as written)."""
    query = (f"{head} WHERE {{ ?s ?p ?v {' '.join(fillers)} }} {' '.join(clauses)}\nORDER{before}BY "
             + before.join(keys))
    sort = ordering.plan(query)
    if sort is None or not (ordering.outside_any_token(query, len(sort.text))
                            and ordering.ends_where_order_may_follow(query, sort)):
        return
    assert not ordering.prepares(sort.text) or ordering.prepares(query)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?",                       # a lone ?: the lexer's variable, not the grammar's
    "SELECT * WHERE { ?s ?p ?o }\nORDER BY ?\u00b7o",
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\nORDER BY ?s",           # LIMIT before ORDER BY
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT1\nORDER BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { 1 }\nORDER BY ?s",   # VALUES ends the query
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?o\nORDER BY ?s",       # two ORDER BY
    "SELECT ?s WHERE { ?s ?p ?o \nORDER BY ?s",                     # the cut text does not parse either
    "SELECT ?s WHERE { ?s ?p ?o } GROUP BY STR(?s)\nORDER BY ?s",
    "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER\t\xa0BY ?s",           # space to the lexer, not to the engine
    "SELECT ?s WHERE { ?s ?p ?o }\norder BY\x1c?s",                 # (found by a review)
    "SELECT ?s (<http://f>(?o) AS ?t) WHERE { ?s ?p ?o }\nORDER BY ?s\U00010000",  # a name character to the
    "SELECT ?s (<http://f>(?o) AS ?t) WHERE { ?s ?p ?o }\nORDER BY ?s\ud800",      # lexer only (and the engine
    #                                                    # refuses the function <f> otherwise than the syntax)
    "SELECT ?s (<http://f>(?o) AS ?t) WHERE { ?s ?p ?o }\nORDER BY ?s #\ud800\n?o",  # not UTF-8: refused whole
    "SELECT ?s WHERE { ?s ?p ?o }\nORDER BY DE\u017fC(?s)",           # ſ: an S only to Unicode case folding
])
def test_a_query_the_engine_refuses_keeps_its_own_error(query):
    store = OxigraphStore(None)
    messages = []
    for on in (True, False):
        saved, oxigraph.SORT_IN_KGRAPH = oxigraph.SORT_IN_KGRAPH, on
        try:
            with pytest.raises(Exception) as raised:
                store.query(query)
            messages.append((type(raised.value), str(raised.value)))
        finally:
            oxigraph.SORT_IN_KGRAPH = saved
    assert messages[0] == messages[1]


# -- the order -------------------------------------------------------------------------------------

def test_unbound_first_then_iris_then_literals_as_sparql_says():
    rows = [(ox.Literal("b"),), (None,), (ox.NamedNode(EX + "z"),), (ox.Literal("a"),)]
    assert order(["v"], rows, (("v", False),)) == [rows[1], rows[2], rows[3], rows[0]]
    assert order(["v"], rows, (("v", True),)) == [rows[0], rows[3], rows[2], rows[1]]


def test_kinds_it_does_not_order_itself_are_declined():
    lang = (ox.Literal("a", language="en"),)
    mixed = [(ox.Literal("a"),), (ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")),)]
    huge = [(_integer(10**19),), (_integer(2),)]       # past 64 bits Oxigraph compares the text (review)
    invalid = [(ox.Literal("x", datatype=ox.NamedNode(XSD + "integer")),)]
    zoned = [(ox.Literal("2020-01-01Z", datatype=ox.NamedNode(XSD + "date")),)]
    for rows in ([lang], mixed, huge, invalid, zoned, [(ox.BlankNode("b1"),)]):
        assert order(["v"], rows, (("v", False),)) is None
    assert order(["v"], [(ox.Literal("a"),)], (("w", False),)) is None          # not projected


STRINGS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6)
DATES = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def _column(kind: str):
    """Values of one column: unbound, IRIs, and literals of one kind (or, for "mixed", of several)."""
    literal = {
        "string": STRINGS.map(ox.Literal),
        "integer": st.one_of(st.integers(-2**63, 2**63 - 1), st.integers(-10**20, 10**20)).map(_integer),
        "date": DATES.map(lambda d: ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "date"))),
        "dateTime": st.datetimes(min_value=dt.datetime(1000, 1, 1)).map(
            lambda d: ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))),
        "mixed": st.one_of(STRINGS.map(ox.Literal), st.integers(-5, 5).map(_integer),
                           STRINGS.map(lambda s: ox.Literal(s, language="en"))),
    }[kind]
    iri = st.sampled_from(["a", "b", "ä", "B"]).map(lambda s: ox.NamedNode(EX + s))
    return st.one_of(st.none(), iri, literal, literal)


@st.composite
def tables(draw):
    kinds = draw(st.lists(st.sampled_from(["string", "integer", "date", "dateTime", "mixed"]), min_size=1,
                          max_size=3))
    # few distinct values, so that ties (and ties broken by the next key) are common
    pools = [draw(st.lists(_column(kind), min_size=1, max_size=5)) for kind in kinds]
    rows = draw(st.lists(st.tuples(*(st.sampled_from(pool) for pool in pools)), min_size=0, max_size=25))
    keys = [(f"v{i}", draw(st.booleans())) for i in draw(st.permutations(range(len(kinds))))]
    keys = keys[:draw(st.integers(1, len(keys)))]
    return rows, keys, len(kinds)


def _load(store: OxigraphStore, rows: list[tuple]) -> None:
    """Row i becomes <row/i> with ex:v0, ex:v1 … for its bound values."""
    quads = []
    for i, row in enumerate(rows):
        subject = ox.NamedNode(f"{EX}row/{i}")
        quads.append(ox.Quad(subject, ox.NamedNode(EX + "row"), _integer(i), ox.DefaultGraph()))
        for j, value in enumerate(row):
            if value is not None:
                quads.append(ox.Quad(subject, ox.NamedNode(f"{EX}v{j}"), value, ox.DefaultGraph()))
    store._store.extend(quads)


def _query(width: int, keys: list[tuple[str, bool]]) -> str:
    optional = " ".join(f"OPTIONAL {{ ?r <{EX}v{j}> ?v{j} }}" for j in range(width))
    conditions = " ".join(f"DESC(?{v})" if descending else (f"ASC(?{v})" if len(v) % 2 else f"?{v}")
                          for v, descending in keys)
    return (f"SELECT ?r {' '.join(f'?v{j}' for j in range(width))} WHERE {{ ?r <{EX}row> ?n {optional} }}\n"
            f"ORDER BY {conditions}")


def _keys_of(rows, variables, keys):
    return [tuple(row[variables.index(v)] for v, _d in keys) for row in rows]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_rows_come_out_in_the_order_oxigraph_gives(table):
    rows, keys, width = table
    store = OxigraphStore(None)
    try:
        _load(store, rows)
        query = _query(width, keys)
        assert plan(query) is not None
        saved = oxigraph.SORT_IN_KGRAPH
        try:
            oxigraph.SORT_IN_KGRAPH = False
            engine = store.query(query)
            engine_json = json.loads(store.query_serialized(query, "application/sparql-results+json")[0])
            oxigraph.SORT_IN_KGRAPH = True
            ours = store.query(query)
            ours_json = json.loads(store.query_serialized(query, "application/sparql-results+json")[0])
        finally:
            oxigraph.SORT_IN_KGRAPH = saved
        assert ours.variables == engine.variables
        assert _keys_of(ours.rows, ours.variables, keys) == _keys_of(engine.rows, engine.variables, keys)
        assert sorted(map(repr, ours.rows)) == sorted(map(repr, engine.rows))
        tied = [[b.get(v) for v, _d in keys] for b in ours_json["results"]["bindings"]]
        assert tied == [[b.get(v) for v, _d in keys] for b in engine_json["results"]["bindings"]]
    finally:
        store.close()


def test_past_sort_max_rows_the_engine_sorts(monkeypatch):
    store = OxigraphStore(None)
    try:
        _load(store, [(ox.Literal(s),) for s in "dbeac"])
        query = _query(1, [("v0", False)])
        monkeypatch.setattr(oxigraph, "SORT_IN_KGRAPH", False)
        engine = store.query(query).rows
        monkeypatch.setattr(oxigraph, "SORT_IN_KGRAPH", True)
        monkeypatch.setattr(oxigraph, "SORT_MAX_ROWS", 4)

        def must_not_sort(*args):
            raise AssertionError("kgraph sorted more than SORT_MAX_ROWS rows")

        monkeypatch.setattr(ordering, "order", must_not_sort)
        assert store.query(query).rows == engine                 # the engine's own sort, not kgraph's
        monkeypatch.setattr(oxigraph, "SORT_MAX_ROWS", 5)
        with pytest.raises(AssertionError, match="SORT_MAX_ROWS"):
            store.query(query)                                    # at the cap, kgraph sorts
    finally:
        store.close()


def test_the_result_cap_cuts_the_sorted_rows_and_says_so():
    store = OxigraphStore(None)
    try:
        _load(store, [(ox.Literal(s),) for s in "dbeac"])
        query = _query(1, [("v0", False)])
        result = store.query(query, limit=3)
        assert [r[1].toPython() for r in result.rows] == ["a", "b", "c"] and result.truncated
        body, _type, truncated = store.query_serialized(query, "text/csv", limit=2)
        assert truncated and body.decode().splitlines()[1:] == [f"{EX}row/3,a", f"{EX}row/1,b"]
    finally:
        store.close()
