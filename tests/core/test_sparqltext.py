"""Reading SPARQL text without a parser (``kgraph.sparqltext``): lexemes, the scan over the readings of ``<``.

The scan's agreement with the engine on SERVICE and LOAD is tested against Oxigraph in
``tests/server/test_security.py``; the store's use of the lexer in ``tests/core/test_ordering.py``.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph import sparqltext
from kgraph.sparqltext import lexemes, nesting, scan


def kinds(text: str) -> list[tuple[str, str]]:
    return [(lexeme.kind, lexeme.text) for lexeme in lexemes(text)]


def test_each_terminal_is_one_lexeme_and_spaces_and_comments_are_dropped():
    text = ("PREFIX ex: <http://example.org/>  # a comment with SELECT in it\n"
            "SELECT ?s $o WHERE { ?s ex:p 'it''s' ; ex:q \"\"\"two\nlines\"\"\" , 1.5e3 , :x . }")
    assert kinds(text) == [
        ("word", "PREFIX"), ("pname", "ex:"), ("iri", "<http://example.org/>"),
        ("word", "SELECT"), ("var", "?s"), ("var", "$o"), ("word", "WHERE"), ("punct", "{"),
        ("var", "?s"), ("pname", "ex:p"), ("string", "'it'"), ("string", "'s'"), ("punct", ";"),
        ("pname", "ex:q"), ("string", '"""two\nlines"""'), ("punct", ","), ("number", "1.5e3"),
        ("punct", ","), ("pname", ":x"), ("punct", "."), ("punct", "}")]


def test_a_keyword_inside_a_string_an_iri_a_comment_or_a_local_name_is_not_a_word():
    text = "SELECT * { ?s <urn:service> 'SERVICE' ; ex:service \"load\" } # SERVICE"
    words = [lexeme.text for lexeme in lexemes(text) if lexeme.kind == "word"]
    assert words == ["SELECT"]


def test_an_escaped_hash_belongs_to_the_prefixed_name():
    assert kinds("?s ex:a\\#b ?o }") == [("var", "?s"), ("pname", "ex:a\\#b"), ("var", "?o"), ("punct", "}")]


def test_an_iri_like_token_is_read_as_an_iri_by_the_lexer():
    assert ("iri", "<'a>") in kinds("FILTER(?v<'a>b') }")              # as an IRI: "b') }" follows
    assert kinds("FILTER(?o < 3)") == [("word", "FILTER"), ("punct", "("), ("var", "?o"), ("punct", "<"),
                                       ("number", "3"), ("punct", ")")]


def test_the_scan_follows_both_readings_of_a_less_than_sign_where_the_grammar_allows_both():
    # inside parentheses after an operand "<'~>" may compare: then SERVICE is outside any string
    assert scan("SELECT * { ?s ?p ?v FILTER(?v<'~>') SERVICE <urn:e> { ?a ?b ?c FILTER(?c != '') } }").service
    assert scan("SELECT * { ?s ?p ?v FILTER(!(?v<?v))#> '''\n SERVICE <urn:e> { ?a ?b ?c } #'''\n }").service
    # a prologue, a triple pattern, a list after "(" or ",": an IRI only, so what it holds stays inside
    assert scan("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                "SELECT * { ?s rdfs:label 'download service' ; <http://example.org/v#service> ?o "
                "FILTER(?o IN (<http://example.org/a#load>, <http://example.org/b'service>)) }"
                ) == ("SELECT", False, False)


def test_readings_that_meet_again_are_followed_once(monkeypatch):
    """``?a<'x'>'y'`` reads as ``?a <'x'> 'y'`` or ``?a < 'x' > 'y'``: both end at the same place, so 400 of
    them (2**400 readings) take a few states each, and the search is as long as the text."""
    chain = " && ".join("?a<'x'>'y'" for _ in range(400))
    text = f"SELECT * {{ ?s ?p ?a FILTER({chain}) ?s ?p 'no service here' }}"
    monkeypatch.setattr(sparqltext, "MAX_READING_STATES", 2 * len(text))
    assert scan(text) == ("SELECT", False, False)
    monkeypatch.setattr(sparqltext, "MAX_READING_STATES", 10)
    assert scan(text) == ("SELECT", True, True)                          # past the cap: the safe side


def test_the_scan_finds_the_form_after_the_prologue_and_keywords_glued_to_other_text():
    assert scan("PREFIX select: <urn:x>\nBASE <urn:y>\nASK { ?s select:p ?o }") == ("ASK", False, False)
    assert scan("INSERT DATA { <urn:a> <urn:b> 1 } ; LOAD <urn:c>") == ("INSERT", False, True)
    assert scan("SELECT * { ?s ?p 1SERVICE <urn:e> { ?a ?b ?c } }").service
    assert scan("SELECT * { ?s ?p ?o } # SERVICE <urn:e>") == ("SELECT", False, False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>'\"#{}?$:\\ \n\t.;,()*aSEL1e_-")), max_size=60))
def test_every_character_is_read_once_and_what_is_dropped_is_space_or_comment(text):
    """The lexer is total on any text: lexemes come in order, each one is the text at its place, and the
    gaps between them are white space and comments only."""
    at = 0
    for lexeme in lexemes(text):
        assert lexeme.start >= at
        assert text[lexeme.start:lexeme.start + len(lexeme.text)] == lexeme.text
        assert re.fullmatch(r"(?:\s+|#[^\r\n]*)*", text[at:lexeme.start]), (text, lexeme)
        at = lexeme.start + len(lexeme.text)
    assert re.fullmatch(r"(?:\s+|#[^\r\n]*)*", text[at:])


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(list("<>'\"#{}?$:\\ \n.;()aSé·1_-%")), max_size=60),
       st.integers(0, 60))
def test_skipping_the_prefixed_name_branch_changes_no_lexeme(text, at):
    """The lexer skips the prefixed-name branch where no prefix can end in ``:`` (which made long
    ``a.a.a…`` runs quadratic); at every position it matches what the whole pattern matches."""
    at = min(at, len(text))
    plain = sparqltext._LEXEME.match(text, at)
    for anywhere in (False, True):                 # the lexer's way, and the search's (any order)
        lexer = sparqltext._Lexer(text, anywhere=anywhere)
        for before in range(0, at, 7):             # positions read before this one
            lexer.match(before)
        fast = lexer.match(at)
        assert (fast and (fast.lastgroup, fast.group())) == (plain and (plain.lastgroup, plain.group()))


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(list("<>'\"#{}?$:\\ \n\r\t.;,()*aSEL1é·_-%")), max_size=80),
       st.integers(0, 2))
def test_the_one_finditer_reads_what_the_run_aware_lexer_reads(text, longer):
    """:func:`lexemes` (one ``finditer`` where no run of prefix characters is long) gives the lexemes of
    :class:`_Lexer`, with runs around the length limit mixed in."""
    run = "a." * (sparqltext.SHORT_RUN // 2) + "a" * longer       # SHORT_RUN + 1 … + 2 characters, or at it
    for candidate in (text, text + run, run + text, text.replace(".", run + ":", 1)):
        assert list(lexemes(candidate)) == list(sparqltext._lexemes_by_runs(candidate))


def test_a_long_run_of_names_and_dots_is_not_read_on_from_every_letter(monkeypatch):
    """``a.a.a…`` (no ``:``) took 1.6 s at 20k characters: from every letter, the prefixed-name branch
    read on to the end of the run. That branch is now tried only where a run ends in ``:`` (counted in
    calls of the whole pattern, not timed; a ``finditer`` over the text counts as a call at every position)."""
    text = "SELECT * WHERE { ?s ?p ?o } load " + "a." * 20_000 + " ex:b"
    whole = sparqltext._LEXEME
    calls: list[int] = []

    class Counting:
        def match(self, string, at):
            calls.append(at)
            return whole.match(string, at)

        def finditer(self, string):
            calls.extend(range(len(string)))
            return whole.finditer(string)
    monkeypatch.setattr(sparqltext, "_LEXEME", Counting())
    assert len(list(lexemes(text))) >= 40_000
    assert scan(text).load
    assert 0 < len(calls) < 100                   # only outside the run: the form, ``?s``, ``ex:b``, …


def test_a_run_of_colons_ends_the_search_on_the_safe_side():
    """In ``a:a:a:…`` (no prefix declared) each colon starts a reading of the name to its end: minutes at
    100k characters. Past ``MAX_READING_WORK`` characters read, the search stops and reports both
    keywords (a 403 for a text the engine would reject anyway)."""
    text = "SELECT * WHERE { ?s ?p ?o } # load\n" + "a:" * 10_000
    assert scan(text) == sparqltext.Scan("SELECT", True, True)
    small = "SELECT * WHERE { ?s ?p ?o } # load\n" + "a:" * 50  # under the budget: read through, no keyword
    assert scan(small) == sparqltext.Scan("SELECT", False, False)


def test_an_iri_with_a_codepoint_escape_is_one_lexeme_and_hides_no_keyword():
    """Oxigraph reads ``\\u``/``\\U`` escapes inside an IRI (found in review: read as ending the IRI, the
    ``#`` after the escape opened a comment, and the form was taken from inside the IRI)."""
    assert kinds("<urn:\\u0041#> <http://x/\\U00000041'>") == [("iri", "<urn:\\u0041#>"),
                                                              ("iri", "<http://x/\\U00000041'>")]
    assert scan("PREFIX ex: <http://x/\\u0041/INSERT> SELECT * WHERE { ?s ?p ?o }").form == "SELECT"


def test_a_backslash_escape_outside_strings_never_opens_a_comment_or_a_string():
    # the grammar's local names take combining marks (U+0300-036F); "\#" stays one lexeme either way
    assert kinds("ex:a\u0300\\#b ?o") == [("pname", "ex:a\u0300\\#b"), ("var", "?o")]
    assert kinds("ex:a\u00d7\\#b ?o") == [("pname", "ex:a"), ("punct", "\u00d7"), ("punct", "\\#"),
                                          ("word", "b"), ("var", "?o")]                   # "×" is no name character


def test_the_using_clause_goes_before_where_after_a_prologue_with_an_escaped_iri():
    from kgraph.server.sparql import _with_using

    update = "PREFIX ex: <http://e/\\u0041>\nINSERT { GRAPH <urn:out> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    assert _with_using(update, ["urn:u"], []) == (
        "PREFIX ex: <http://e/\\u0041>\nINSERT { GRAPH <urn:out> { ?s ?p ?o } } USING <urn:u> WHERE { ?s ?p ?o }")


def test_nesting_is_counted_in_the_lexers_reading_and_caps_the_search():
    assert nesting("SELECT * { ?s ?p ?o FILTER((?o > 1) && (?o < 3)) }") == 3
    assert nesting("SELECT * { ?s ?p '((((' }") == 1                      # brackets in strings do not count
    deep = "SELECT * { FILTER(" + "(" * (sparqltext.MAX_NESTING + 1) + " service"
    assert scan(deep) == ("SELECT", True, True)                          # past MAX_NESTING: the safe side


# -- update operations ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "operations"), [
    ("", []),
    ("# only a comment", []),
    ("PREFIX ex: <urn:x:>", []),
    ('INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> "x ; y" } }\n# done',
     [('INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> "x ; y" } }\n# done', False)]),
    ("PREFIX ex: <urn:x:> INSERT DATA { ex:a ex:p ex:b ; ex:q ex:c } ; DELETE WHERE { ?s ex:p ?o } ; # end",
     [("PREFIX ex: <urn:x:> INSERT DATA { ex:a ex:p ex:b ; ex:q ex:c } ", False),
      (" DELETE WHERE { ?s ex:p ?o } ", True)]),
    ("CLEAR GRAPH <urn:g> ; COPY <urn:a> TO <urn:b> ; WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
     [("CLEAR GRAPH <urn:g> ", False), (" COPY <urn:a> TO <urn:b> ", True),
      (" WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True)]),
])
def test_update_operations_are_cut_at_the_separators_outside_brackets(text, operations):
    found = sparqltext.update_operations(text)
    assert [(text[o.start:o.end], o.reads) for o in found] == operations


def test_update_operations_are_not_cut_where_a_less_than_may_compare():
    text = "DELETE WHERE { ?s ?p ?o FILTER(?o<'a>b') } ; INSERT DATA { <urn:a> <urn:p> 1 }"
    assert sparqltext.update_operations(text) is None


def test_the_union_is_re_derived_before_reading_operations_and_at_the_end_on_the_clients_lines():
    from kgraph.store.base import resynced_update

    text = "INSERT DATA { <urn:a> <urn:p> 1 } ;\nINSERT DATA { <urn:b> <urn:p> 2 } ;\nDELETE WHERE { ?s ?p 1 } # x"
    out = resynced_update(text, "R")
    assert out == ("INSERT DATA { <urn:a> <urn:p> 1 } ;\nINSERT DATA { <urn:b> <urn:p> 2 } ; R ;\n"
                   "DELETE WHERE { ?s ?p 1 } # x\n;\nR")
    assert out.count("\n") == text.count("\n") + 2          # error positions in the client's text keep their lines
    assert resynced_update("# nothing", "R") == "# nothing"


def test_where_operations_are_not_cut_the_union_is_re_derived_after_a_final_separator():
    from kgraph.store.base import resynced_update

    text = "DELETE WHERE { ?s ?p ?o FILTER(?o<'a>b') } ;\n"
    assert resynced_update(text, "R") == "DELETE WHERE { ?s ?p ?o FILTER(?o<'a>b') } \n;\nR"


@pytest.mark.parametrize(("text", "writes"), [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", True),
    ("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } . GRAPH <urn:h> { <urn:a> <urn:b> 1 } }", False),
    ("DELETE DATA { <urn:a> <urn:b> <urn:c> }", True),
    ("CLEAR DEFAULT", True), ("DROP SILENT DEFAULT", True), ("CLEAR ALL", False), ("CLEAR GRAPH <urn:g>", False),
    ("COPY <urn:g> TO DEFAULT", True), ("COPY DEFAULT TO <urn:g>", False), ("MOVE DEFAULT TO <urn:g>", True),
    ("WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", False),
    ("DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { ?s ?p 1 } WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("INSERT { GRAPH <urn:g> { ?s ?p ?o } } WHERE { ?s ?p ?o }", False),   # reads the union: fine
    ("DELETE WHERE { ?s ?p ?o }", True), ("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", False),
    ("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } } ; INSERT DATA { <urn:x> <urn:y> <urn:z> }", True),
    ('INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "} <x> <y> <z>" } }', False),
    ("# nothing", False),
])
def test_an_update_that_writes_the_default_graph_is_recognised(text, writes):
    assert sparqltext.writes_default_graph(text) is writes
