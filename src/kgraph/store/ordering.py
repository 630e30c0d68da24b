"""A query's final ORDER BY, evaluated by kgraph instead of Oxigraph where the result is the same.

Why: Oxigraph sorts by comparing terms it decodes from its string table on every
comparison, so sorting a few thousand rows costs more than finding them. At 1M quads,
analyst query 02 (3,157 rows, ``ORDER BY ?name ?attested``) took 66 ms, 20 ms of it
without the ORDER BY (``bench/RESULTS.md``). Sorting the rows in Python, where each key
is decoded once, takes a few milliseconds.

Only a shape whose result cannot differ is taken over; anything else is left to the engine:

* the query is a ``SELECT`` whose text ends, after its last top-level ``}``, with
  ``ORDER BY`` over plain variables (``?v``, ``ASC(?v)``, ``DESC(?v)``), then at most
  ``LIMIT`` and ``OFFSET``; anything before the ``ORDER BY`` (``GROUP BY``, ``HAVING``)
  stays in the query, which runs without its ``ORDER BY``, ``LIMIT`` and ``OFFSET``;
* every sort variable is projected (so ``DISTINCT`` picks the same rows either way);
* in each sort column the values are all of one kind whose order SPARQL defines and
  Oxigraph follows: IRIs (by their text), and literals of one kind: simple strings (by code
  point), ``xsd:integer``, ``xsd:date`` or ``xsd:dateTime`` without time zone (by value);
  unbound first (SPARQL 1.1, 15.1: no value, then IRIs, then literals). Otherwise
  (language strings, mixed numeric types, invalid lexical forms, blank nodes, …),
  :func:`order` returns None and the caller runs the original query.

Rows equal on every key keep the order the engine produced them in; SPARQL leaves that order open.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING, _INTEGER, _DATE, _DATETIME = XSD + "string", XSD + "integer", XSD + "date", XSD + "dateTime"

#: SPARQL's lexical units that can hold braces or comment signs: IRIs, strings, comments.
_TOKENS = re.compile(r"""
    (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<comment>\#[^\n\r]*)
  | (?P<brace>[{}])
  | (?P<other>[^\s{}<'"\#]+|<)
""", re.VERBOSE | re.DOTALL)
_VAR = r"[?$]([A-Za-z_0-9\u00B7\u00C0-\uFFFF]+)"
_KEY = re.compile(rf"\s*(?:(ASC|DESC)\s*\(\s*{_VAR}\s*\)|{_VAR})", re.IGNORECASE)
_SLICE = re.compile(r"\s*(LIMIT|OFFSET)\s+(\d+)", re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_INTEGER_FORM = re.compile(r"[+-]?[0-9]+")
_DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?")
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s+<[^>]*>)|\#[^\n\r]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Sort:
    """The query without its final ORDER BY and slice, and what they said."""

    text: str
    keys: tuple[tuple[str, bool], ...]  # (variable, descending)
    offset: int = 0
    limit: int | None = None

    def apply(self, variables: list[str], rows: list[tuple]) -> list[tuple] | None:
        """The rows in the query's order, sliced; None if the engine must sort them itself."""
        ordered = order(variables, rows, self.keys)
        if ordered is None:
            return None
        end = None if self.limit is None else self.offset + self.limit
        return ordered[self.offset:end] if self.offset or end is not None else ordered


@lru_cache(maxsize=512)
def plan(sparql: str) -> Sort | None:
    """How to run ``sparql`` with kgraph sorting its rows, or None if the engine should sort them."""
    if not _ORDER_BY.search(sparql):            # most queries: no regular expression work beyond this
        return None
    prologue = _PROLOGUE.match(sparql)
    position = 0
    while prologue and prologue.end() > position:
        position = prologue.end()
        prologue = _PROLOGUE.match(sparql, position)
    if sparql[position:].lstrip()[:6].upper() != "SELECT":
        return None
    depth, close = 0, -1
    for token in _TOKENS.finditer(sparql):
        if token.lastgroup == "other" and "\\" in token.group():
            return None                           # an escape in a prefixed name (ex:a\#b) would mislead the lexer
        if token.lastgroup == "brace":
            depth += 1 if token.group() == "{" else -1
            if depth == 0:
                close = token.end()
            elif depth < 0:
                return None
    if depth != 0 or close < 0:
        return None
    tail_tokens = [t for t in _TOKENS.finditer(sparql, close) if t.lastgroup != "comment"]
    if any(t.lastgroup in ("iri", "string") for t in tail_tokens):
        return None                               # VALUES or expressions after the pattern: not this shape
    tail = " ".join(t.group() for t in tail_tokens)
    found = _ORDER_BY.search(tail)
    if found is None:
        return None
    head, rest = tail[:found.start()], tail[found.end():]
    keys: list[tuple[str, bool]] = []
    at = 0
    while (key := _KEY.match(rest, at)) is not None:
        direction, name_in_call, name = key.groups()
        keys.append((name_in_call or name, (direction or "").upper() == "DESC"))
        at = key.end()
    if not keys:
        return None
    offset, limit, seen = 0, None, set()
    while (part := _SLICE.match(rest, at)) is not None:
        word = part.group(1).upper()
        if word in seen:
            return None
        seen.add(word)
        if word == "LIMIT":
            limit = int(part.group(2))
        else:
            offset = int(part.group(2))
        at = part.end()
    if rest[at:].strip():
        return None
    return Sort(sparql[:close] + (" " + head if head.strip() else ""), tuple(keys), offset, limit)


def _literal_kind(term: ox.Literal) -> tuple[str, Any] | None:
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
            return "integer", int(value)
        if datatype == _DATE:
            if not _DATE_FORM.fullmatch(value):
                return None
            return "date", dt.date.fromisoformat(value)
        if datatype == _DATETIME:
            if not _DATETIME_FORM.fullmatch(value):
                return None
            return "dateTime", dt.datetime.fromisoformat(value)
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
                kind = _literal_kind(term)
                if kind is None:
                    return None
                if literal_kind is None:
                    literal_kind = kind[0]
                elif kind[0] != literal_kind:
                    return None
                key = (2, kind[1])
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
