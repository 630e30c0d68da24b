"""A query's final ORDER BY, evaluated by kgraph instead of Oxigraph where the result is the same.

Why: Oxigraph sorts by comparing terms it decodes from its string table on every
comparison, so sorting a few thousand rows by a name costs more than finding them. At 1M
quads, analyst query 02 (3,157 rows, ``ORDER BY ?name ?attested``) took 66 ms, 20 ms of
it without the ORDER BY (``bench/RESULTS.md``). Sorting the rows in Python, where each
key is decoded once, takes a few milliseconds.

Only a shape whose result cannot differ is taken over; anything else is left to the engine:

* the query parses (so an invalid query keeps its error: see below), is a ``SELECT``
  without ``SERVICE``, and its text ends, after its last top-level ``}``,
  with ``ORDER BY`` over plain variables (``?v``, ``ASC(?v)``, ``DESC(?v)``); what comes
  before the ``ORDER BY`` (``GROUP BY``, ``HAVING``) stays in the query, which runs without
  its ``ORDER BY``. With a ``LIMIT`` the engine hands over only the rows kept, so sorting in
  Python would first have to take them all; and an ``OFFSET`` may cut through rows tied on
  every key, which the two sorts may leave in another order, so other rows would be skipped.
  Neither is taken over;
* every sort variable is projected (so ``DISTINCT`` picks the same rows either way);
* in each sort column the values are all of one kind whose order SPARQL defines and
  Oxigraph follows: IRIs (by their text), and literals of one kind: simple strings (by code
  point), ``xsd:integer`` within 64 bits (Oxigraph compares larger ones as text),
  ``xsd:date`` or ``xsd:dateTime`` without time zone (by value); unbound first (SPARQL 1.1,
  15.1: no value, then IRIs, then literals). Otherwise (language strings, mixed numeric
  types, invalid lexical forms, blank nodes, …) :func:`order` returns None and the caller
  runs the original query, as it does past ``SORT_MAX_ROWS`` rows (in ``oxigraph.py``): such a
  query is evaluated twice, since the values are only seen once the rows are there.

The last top-level ``}`` is found with :mod:`kgraph.sparqltext`'s lexer, which knows strings,
IRIs and comments, and SERVICE with its :func:`~kgraph.sparqltext.scan`. One thing a lexer
cannot tell is whether ``<`` opens an IRI or compares (``FILTER(?v<'a>b')``); read the wrong
way, the text after it can look like a string or a comment and the cut land in the wrong place.
Oxigraph's parser settles it: the text before the cut must parse as a query (so the cut is not
inside a string or an IRI), and with `` }`` appended it must not (so the cut is not inside a
comment, which would swallow it). Past such a cut the lexer and the parser read the same
terminals (an IRI-like token after it declines the plan), so the sort keys are the query's own.

That the query parses is mostly shown without parsing it (each parse costs about a tenth of a
millisecond, and a query text new to the store pays it). Where the characters put the cut outside
any token (:func:`outside_any_token`), what follows it is an ``ORDER BY`` over variables as the
engine reads one, and the text before it holds none of the letters of ``ORDER``, ``LIMIT``,
``OFFSET`` and ``VALUES`` in any case, the query parses if the text before the cut does
(:func:`ends_where_order_may_follow`), and the engine parses that text as it runs it. So the caller
runs the cut text, and where the engine refuses it, the query as written, whose own error that is.
Otherwise Oxigraph's parser is asked first: the query must parse, and where the characters leave
the cut in doubt, the two checks above.

Rows equal on every key keep the order the engine produced them in; SPARQL leaves that order open.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from ..namespaces import XSD
from ..sparqltext import Lexeme, keyword, lexed, prepares, scanned

_STRING, _INTEGER, _DATE, _DATETIME = str(XSD.string), str(XSD.integer), str(XSD.date), str(XSD.dateTime)
_INT64_MIN, _INT64_MAX = -2**63, 2**63 - 1

_ORDER = re.compile(r"ORDER[ \t\r\n]", re.IGNORECASE | re.ASCII)
#: The letters of the clauses that may not come before a final ORDER BY (``LIMIT``, ``OFFSET``, an
#: ``ORDER BY``) or after a query's solution modifiers (``VALUES``). Anywhere, in any case and without a
#: word boundary, since the engine needs none (``LIMIT5`` is ``LIMIT 5``): in a string or a comment
#: they only cost the parse :func:`ends_where_order_may_follow` saves.
_CLAUSE_BEFORE_ORDER = re.compile(r"order|limit|offset|values", re.IGNORECASE)
#: An ORDER BY over variables exactly as the engine reads it, to the end of the text: between tokens only
#: space, tab, CR, LF and comments (which end at CR or LF), keywords in ASCII letters of any case, and
#: variables of ASCII name characters (the lexer's space and variables are wider: ``\xa0``, ``?𐀀``).
#: (A comment runs to its line break, so there are no two ways to cut one; a lone surrogate, which no
#: UTF-8 text holds, makes the engine's binding refuse the whole text.)
_GAP = r"(?:[ \t\r\n]|\#[^\r\n\ud800-\udfff]*(?:[\r\n]|\Z))"
_VAR = r"[?$][A-Za-z0-9_]+"
_ORDER_CLAUSE = re.compile(
    rf"ORDER{_GAP}*BY(?:{_GAP}*(?:{_VAR}|(?:ASC|DESC){_GAP}*\({_GAP}*{_VAR}{_GAP}*\)))+{_GAP}*",
    re.IGNORECASE | re.ASCII)
_INTEGER_FORM = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_DATETIME_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?", re.ASCII)


@dataclass(frozen=True)
class SortPlan:
    """The query without its final ORDER BY, and that ORDER BY's keys."""

    text: str
    keys: tuple[tuple[str, bool], ...]  # (variable, descending)

    def apply(self, variables: list[str], rows: list[tuple]) -> list[tuple] | None:
        """The rows in the query's order; None if the engine must sort them itself."""
        return order(variables, rows, self.keys)


def _last_close(tokens: list[Lexeme]) -> int | None:
    """Index of the token after the last top-level ``}`` (None if the braces do not balance)."""
    depth, after = 0, None
    for index, token in enumerate(tokens):
        if token.kind == "punct" and token.text in "{}":
            depth += 1 if token.text == "{" else -1
            if depth < 0:
                return None
            if depth == 0:
                after = index + 1
    return after if depth == 0 else None


def _projected(tokens: list[Lexeme]) -> set[str] | None:
    """Variables of the SELECT clause (None for ``SELECT *`` or a clause this cannot read)."""
    words = [keyword(t) for t in tokens]
    if "SELECT" not in words:
        return None
    names: set[str] = set()
    depth = 0
    clause = tokens[words.index("SELECT") + 1:]
    for index, token in enumerate(clause):
        if token.text == "{" or keyword(token) in ("WHERE", "FROM"):
            break
        if token.text == "*" or token.kind in ("string", "iri"):
            return None
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.kind == "var" and (depth == 0 or index and keyword(clause[index - 1]) == "AS"):
            names.add(token.text[1:])                    # ?v, or (expr AS ?v)
    return names


def _is_call_on_a_variable(tokens: list[Lexeme]) -> bool:
    """``( ?v )``."""
    return len(tokens) == 3 and tokens[0].text == "(" and tokens[1].kind == "var" and tokens[2].text == ")"


def _sort_keys(tail: list[Lexeme]) -> tuple[tuple[str, bool], ...] | None:
    """The keys of ``ORDER BY`` (the tokens after it: ``?v``, ``ASC(?v)``, ``DESC(?v)``); None if anything
    else follows (an expression, ``LIMIT``, ``OFFSET``: see the module docstring)."""
    keys: list[tuple[str, bool]] = []
    at = 0
    while at < len(tail):
        token = tail[at]
        if token.kind == "var":
            keys.append((token.text[1:], False))
            at += 1
        elif keyword(token) in ("ASC", "DESC") and _is_call_on_a_variable(tail[at + 1:at + 4]):
            keys.append((tail[at + 2].text[1:], keyword(token) == "DESC"))
            at += 4
        else:
            break
    return tuple(keys) if at == len(tail) else None


def _plan_from(sparql: str, tokens: list[Lexeme]) -> SortPlan | None:
    after = _last_close(tokens)
    if after is None:
        return None
    tail = tokens[after:]
    if any(t.kind in ("string", "iri") for t in tail):
        return None                               # VALUES or an expression with a string after the pattern
    order_at = next((i for i in range(len(tail) - 1)
                     if keyword(tail[i]) == "ORDER" and keyword(tail[i + 1]) == "BY"), None)
    if order_at is None:
        return None
    keys = _sort_keys(tail[order_at + 2:])
    projected = _projected(tokens[:after])
    if not keys or projected is not None and any(name not in projected for name, _d in keys):
        return None
    return SortPlan(sparql[:tail[order_at].start], keys)


@lru_cache(maxsize=512)
def plan(sparql: str) -> SortPlan | None:
    """How to run ``sparql`` with kgraph sorting its rows, or None if the engine should sort them.

    The caller runs ``text``; if the engine does not parse it, it runs ``sparql`` as written, which
    then does not parse either (see the module docstring), so that its error is the query's own."""
    if not _ORDER.search(sparql):
        return None                               # most queries: no lexing beyond this
    found = scanned(sparql)                       # first: preparing a SERVICE query calls it
    if found.form != "SELECT" or found.service:
        return None
    sort = _plan_from(sparql, list(lexed(sparql)))
    if sort is None:
        return None
    outside = outside_any_token(sparql, len(sort.text))
    if outside and ends_where_order_may_follow(sparql, sort):
        return sort                               # the engine checks the cut text when it runs it
    if not prepares(sparql):
        return None                               # an invalid query keeps the engine's error
    if outside:
        return sort                               # no reading puts the cut in a string, an IRI or a comment
    if not prepares(sort.text):                   # the cut is not inside a string or an IRI ...
        return None
    if prepares(sort.text + " }"):                # ... nor inside a comment, which would swallow this
        return None
    return sort


def ends_where_order_may_follow(sparql: str, sort: SortPlan) -> bool:
    """Whether, if the engine parses ``sort.text``, it parses ``sparql`` too (the same text with its final
    ``ORDER BY``; the cut being outside any token, :func:`outside_any_token`).

    Why: a query of any form ends in its solution modifiers, ``GROUP BY``, ``HAVING``, ``ORDER BY``,
    ``LIMIT`` and ``OFFSET`` in that order, each optional, and then an optional ``VALUES`` block (SPARQL
    1.1, grammar rules 2, 7 and 18). Without the letters of the last three and of ``VALUES`` anywhere
    before the cut, a text before it that parses ends with its pattern, a ``GROUP BY`` or a ``HAVING``,
    and each may be followed by an ``ORDER BY``. What follows the cut must be one as the engine reads
    it (:data:`_ORDER_CLAUSE`): the lexer that found it takes more for space and for a variable than
    the engine does (a review found ``ORDER\xa0BY`` and ``?s𐀀`` answered where the engine refuses
    them). Its words cannot run into a condition of the ``GROUP BY`` or ``HAVING`` before them: no
    built-in function is named ``ORDER``, ``ASC`` or ``DESC``, and a function's IRI holds a colon or
    brackets. (The engine checks nothing else of an ``ORDER BY``: a key need not be grouped.)"""
    return _CLAUSE_BEFORE_ORDER.search(sort.text) is None and _ORDER_CLAUSE.fullmatch(sparql, len(sort.text)) is not None


def outside_any_token(text: str, at: int) -> bool:
    """Whether the characters alone show that ``at`` starts a terminal in every reading of ``text``, so
    that the parser's two checks of the cut in :func:`plan` cannot fail (each costs as much as parsing
    the query, about 0.1 ms for analyst query 01, and a query text new to the store pays them).

    ``at`` is where a word starts (the ``ORDER`` of the final ``ORDER BY``). A terminal that holds it
    without starting there would be a string, an IRI or a comment (the only ones that hold a letter
    after white space; ``[ ]`` and ``( )`` hold white space alone), and none can: the character before
    ``at`` is white space or a control character, which no IRI holds; no ``#`` stands between the
    line break before ``at`` and ``at``, and a comment ends at a line break; no quote stands there,
    and a string in one quote ends on its line (the grammar has no escaped line break); and no three
    quotes stand anywhere before ``at``, so no long string is open. The text after ``at`` being an
    ``ORDER BY`` over variables (:func:`_plan_from`), the query without it is the query with its last
    clause left out, which parses since the whole query does (checked first).
    """
    if at <= 0 or text[at - 1] > " ":
        return False
    line_start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
    if any(text.find(mark, line_start, at) >= 0 for mark in ("#", "'", '"')):
        return False
    return text.find("'''", 0, at) < 0 and text.find('"""', 0, at) < 0


def _literal_key(term: ox.Literal) -> tuple[str, Any] | None:
    """(kind, comparable value) of a literal whose order is defined, or None."""
    if term.language:
        return None
    datatype = term.datatype.value
    value = term.value
    if datatype == _STRING:
        return "string", value
    try:
        if datatype == _INTEGER:
            if not _INTEGER_FORM.fullmatch(value):
                return None
            number = int(value)
            return ("integer", number) if _INT64_MIN <= number <= _INT64_MAX else None
        if datatype == _DATE:
            return ("date", dt.date.fromisoformat(value)) if _DATE_FORM.fullmatch(value) else None
        if datatype == _DATETIME:
            return ("dateTime", dt.datetime.fromisoformat(value)) if _DATETIME_FORM.fullmatch(value) else None
    except ValueError:
        return None
    return None


def _column_keys(values: list) -> list[tuple] | None:
    """Sort keys for one column (None: its values mix kinds whose order the engine decides)."""
    keys: list[tuple] = []
    memo: dict = {}
    literal_kind = None
    for term in values:
        if term is None:
            keys.append((0,))
            continue
        key = memo.get(term)
        if key is None:
            if isinstance(term, ox.NamedNode):
                key = (1, term.value)
            elif isinstance(term, ox.Literal):
                found = _literal_key(term)
                if found is None or literal_kind not in (None, found[0]):
                    return None
                literal_kind = found[0]
                key = (2, found[1])
            else:                                 # blank nodes, quoted triples
                return None
            memo[term] = key
        keys.append(key)
    return keys


def order(variables: list[str], rows: list[tuple], keys: tuple[tuple[str, bool], ...]) -> list[tuple] | None:
    """``rows`` (tuples in ``variables`` order) sorted by ``keys``, or None if this module cannot say how."""
    columns = []
    for name, descending in keys:
        if name not in variables:
            return None
        index = variables.index(name)
        column = _column_keys([row[index] for row in rows])
        if column is None:
            return None
        columns.append((column, descending))
    positions = list(range(len(rows)))
    for column, descending in reversed(columns):   # stable sorts, last key first
        positions.sort(key=column.__getitem__, reverse=descending)
    return [rows[i] for i in positions]
