"""Join order for a query's leading triple patterns: the one with the fewest matches first.

Why: Oxigraph orders joins without statistics. At 1M quads it starts analyst query 04
(``?amending sc:amends+ ?base`` and two ``rdfs:label`` patterns) from the labels and walks the path
from every labelled node, and query 07 builds a hash table of every ``rdfs:label`` and every
``rdf:type`` before it filters names. Counting how often each pattern matches (cached) and evaluating
the rarest first, the rest once per solution of it (``LATERAL``), took 04 from 24 ms to 6 ms and 07
from 65 ms to 12 ms through ``OxigraphStore.query`` on the same store (2026-12-07; ``bench/RESULTS.md``
has the figures of the last benchmark run, with this step switched off as a baseline).

The rewrite: a query whose ``WHERE`` group begins with patterns ``A B₁ … Bₙ`` (and FILTERs among them)
becomes::

    { SELECT vars(A) WHERE { A  FILTERs on vars(A) } }
    LATERAL { B₁ … Bₙ  FILTERs on vars(B₁…Bₙ) }
    the other FILTERs
    the rest of the group, as written

Why the answer is the same: the patterns of a basic graph pattern without blank nodes are a join of
single patterns, which is commutative and associative; ``LATERAL`` with a basic graph pattern on its
right is that join (each solution of the left substituted into the patterns); a filter applies to its
whole group wherever it is written, and one whose variables every solution of a part binds gives the
same answer evaluated on that part (filter push-down); a sub-select projecting every variable of
``A`` keeps its solutions. What is not the same is the order of the solutions, which SPARQL leaves
open. So only shapes that cannot show that order are taken over, and anything else runs as written:

* a ``SELECT`` without ``SERVICE`` (:func:`~kgraph.sparqltext.scan`) whose projection is not ``*``
  (its columns would come in another order), without ``LIMIT`` or ``OFFSET`` (which rows they keep
  depends on the order) and without ``GROUP_CONCAT``, ``SAMPLE``, ``SUM``, ``AVG``, ``MIN`` or
  ``MAX`` anywhere (a concatenation, a pick and a floating-point sum depend on it too, and so do MIN
  and MAX between terms that compare equal but differ, one instant in two time zones: a review found
  that one), and without ``VALUES`` (the engine joins inline data first, which binds what the
  patterns would otherwise look up);
* the group begins with two to ``MAX_PATTERNS`` triple patterns whose terms are variables, IRIs, prefixed names
  and literals, and whose predicates are IRIs, ``a``, variables or property paths over IRIs: no
  blank nodes (their scope is the basic graph pattern, which the rewrite splits), collections,
  triple terms or negated property sets; a FILTER with a group inside (``EXISTS``) is not moved;
* no IRI-like token stands where ``<`` may compare (:func:`~kgraph.sparqltext.lt_may_compare`: a lexer
  cannot tell);
* Oxigraph's parser accepts the query (checked before anything is counted, so an invalid text keeps
  the engine's own error; only the word checks above come before it, which need no structure). The
  rewrite is not parsed here: the store runs it, which parses it, and runs the query as written if the
  engine refuses it (``OxigraphStore._evaluate``), so a rewrite that does not parse costs one parse
  and no answer, and each new text pays one parse less.

The one order kgraph itself shows is the result cap of ``OxigraphStore.query(limit=…)``, which keeps
the first rows the engine gives and says it cut them: which rows those are may change with the plan.

Counts are exact where they are cheap to get: a pattern with one predicate, or with an IRI or a
literal at one end, is counted as written; a property path between two variables is estimated by
the triples of its IRIs, and one with ``*`` or ``?`` (which also matches every node to itself) is
never put first, nor is a variable predicate between two variables. Counts are of the whole
store, whatever dataset a query names (``FROM``, protocol parameters): a plan can only be slower
for it, not wrong. A pattern filtered on its own variables counts a tenth for each such FILTER, the
default selectivity System R gave a predicate it could not estimate (Selinger et al., 1979).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from ..sparqltext import Lexeme, keyword, lexed, lt_may_compare, prepares, scanned

#: Words that make a query's answer depend on the order of its solutions (see the module docstring).
#: (MIN and MAX too: of two terms that compare equal but differ, such as one instant in two time zones,
#: they keep the first that comes.)
_ORDER_SENSITIVE = frozenset({"LIMIT", "OFFSET", "GROUP_CONCAT", "SAMPLE", "SUM", "AVG", "MIN", "MAX"})
#: Words that decline the plan for another reason: inline data is best joined first, which the engine does.
_DECLINED = _ORDER_SENSITIVE | {"VALUES"}
#: Keywords that may follow the leading patterns of a group (anything else there declines the plan).
_AFTER_BLOCK = frozenset({"OPTIONAL", "MINUS", "BIND", "GRAPH"})
#: How much a FILTER on a pattern's own variables is taken to keep of its matches.
FILTER_SELECTIVITY = 0.1
#: Longer texts, more leading patterns or deeper parentheses in a path are run as written: the plan
#: prepares the query once more (Oxigraph's optimizer costs more than linearly in the patterns), and
#: the path reader recurses once per parenthesis.
MAX_TEXT = 20_000
MAX_PATTERNS = 16
MAX_PATH_DEPTH = 32


class Pattern(NamedTuple):
    """One triple pattern of the leading block, as written."""

    text: str
    variables: frozenset[str]
    counted: bool              # counted as written (one predicate, or an IRI or literal at one end)
    path_iris: tuple[str, ...]  # else: the IRIs of its property path, as written
    unbounded: bool            # between two variables, a path with ``*`` or ``?`` or a variable predicate


class Filter(NamedTuple):
    text: str
    variables: frozenset[str]
    movable: bool              # no group inside (EXISTS): it may be evaluated on a part


class Block(NamedTuple):
    """The leading triple patterns and FILTERs of the WHERE group, and where they stand in the text."""

    start: int
    end: int
    patterns: list[Pattern]
    filters: list[Filter]


def _end(token: Lexeme) -> int:
    return token.start + len(token.text)


def _variables(tokens: list[Lexeme]) -> frozenset[str]:
    return frozenset(t.text[1:] for t in tokens if t.kind == "var" and len(t.text) > 1)


def _term_end(tokens: list[Lexeme], at: int) -> int | None:
    """Index after the RDF term (subject or object) at ``at``; None if none stands there."""
    if at >= len(tokens):
        return None
    token = tokens[at]
    if token.kind in ("iri", "pname", "number") or token.kind == "var" and len(token.text) > 1:
        return at + 1
    if token.kind == "word" and token.text in ("true", "false"):
        return at + 1
    if token.kind != "string":
        return None
    after = at + 1
    if after < len(tokens) and tokens[after].text == "@":
        tag = tokens[after + 1] if after + 1 < len(tokens) else None
        glued = tag is not None and tag.kind == "word" and tag.start == _end(tokens[after]) == _end(token) + 1
        return after + 2 if glued else None
    if after + 2 < len(tokens) and tokens[after].text == tokens[after + 1].text == "^":
        return after + 3 if tokens[after + 2].kind in ("iri", "pname") else None
    return after


class _Path(NamedTuple):
    end: int
    iris: tuple[str, ...]
    simple: bool               # one IRI, ``a`` or a variable
    variable: bool             # a variable
    zero_length: bool          # has ``*`` or ``?``


class _PathReader:
    """Reads one property path (SPARQL's Path) from the lexemes: where it ends, its IRIs, and whether it
    has operators and a ``*`` or ``?`` (which also matches every node to itself)."""

    def __init__(self, tokens: list[Lexeme]) -> None:
        self.tokens = tokens
        self.iris: list[str] = []
        self.operators = False
        self.zero_length = False
        self.depth = 0                             # open parentheses, at most MAX_PATH_DEPTH

    def alternative(self, at: int) -> int | None:
        if self.depth >= MAX_PATH_DEPTH:
            return None
        self.depth += 1
        try:
            return self._chain(at, "|", self.sequence)
        finally:
            self.depth -= 1

    def sequence(self, at: int) -> int | None:
        return self._chain(at, "/", self.element)

    def _chain(self, at: int, separator: str, part: Callable[[int], int | None]) -> int | None:
        tokens = self.tokens
        i = part(at)
        while i is not None and i < len(tokens) and tokens[i].kind == "punct" and tokens[i].text == separator:
            self.operators = True
            i = part(i + 1)
        return i

    def element(self, i: int) -> int | None:
        tokens = self.tokens
        if i < len(tokens) and tokens[i].text == "^" and tokens[i].kind == "punct":
            self.operators = True
            i += 1
        if i >= len(tokens):
            return None
        token = tokens[i]
        if token.kind in ("iri", "pname") or token.kind == "word" and token.text == "a":
            self.iris.append(token.text)
            i += 1
        elif token.kind == "punct" and token.text == "(":
            self.operators = True
            inner = self.alternative(i + 1)
            if inner is None or inner >= len(tokens) or tokens[inner].text != ")":
                return None
            i = inner + 1
        else:
            return None                            # a negated property set, or no path at all
        if i < len(tokens):
            mod = tokens[i]
            if mod.kind == "punct" and mod.text in "*+" or mod.kind == "var" and mod.text == "?":
                after = tokens[i + 1] if i + 1 < len(tokens) else None
                if mod.text == "+" and after is not None and after.start == _end(mod) and after.kind == "number":
                    return None                    # ``p +5``: the engine reads a signed number
                self.operators = True
                self.zero_length = self.zero_length or mod.text != "+"
                i += 1
        return i


def _verb(tokens: list[Lexeme], at: int) -> _Path | None:
    """The predicate or property path at ``at`` (SPARQL's VerbPath / VerbSimple), or None."""
    if at < len(tokens) and tokens[at].kind == "var" and len(tokens[at].text) > 1:
        return _Path(at + 1, (), True, True, False)
    reader = _PathReader(tokens)
    end = reader.alternative(at)
    if end is None:
        return None
    return _Path(end, tuple(reader.iris), not reader.operators, False, reader.zero_length)


def _triples(text: str, tokens: list[Lexeme], at: int, out: list[Pattern]) -> int | None:
    """Read one ``subject verb objects ; verb objects`` run at ``at`` into ``out``; the index after it."""
    subject_end = _term_end(tokens, at)
    if subject_end is None:
        return None
    subject = tokens[at:subject_end]
    at = subject_end
    while True:
        verb = _verb(tokens, at)
        if verb is None:
            return None
        verb_tokens = tokens[at:verb.end]
        at = verb.end
        while True:
            object_end = _term_end(tokens, at)
            if object_end is None:
                return None
            obj = tokens[at:object_end]
            constant_end = any(t[0].kind != "var" for t in (subject, obj))
            out.append(Pattern(
                text=f"{text[subject[0].start:_end(subject[-1])]} {text[verb_tokens[0].start:_end(verb_tokens[-1])]} "
                     f"{text[obj[0].start:_end(obj[-1])]}",
                variables=_variables(subject + verb_tokens + obj),
                counted=(verb.simple or constant_end) and not (verb.variable and not constant_end),
                path_iris=verb.iris,
                unbounded=(verb.zero_length or verb.variable) and not constant_end))
            at = object_end
            if at < len(tokens) and tokens[at].text == ",":
                at += 1
                continue
            break
        if at < len(tokens) and tokens[at].text == ";":
            while at < len(tokens) and tokens[at].text == ";":
                at += 1
            if at < len(tokens) and (tokens[at].kind in ("iri", "pname", "var") and tokens[at].text != "?"
                                     or tokens[at].text in ("a", "^", "(")):
                continue
        return at


def _constraint_end(tokens: list[Lexeme], at: int) -> int | None:
    """Index after a FILTER's constraint starting at ``at`` (a bracketed expression, a call, EXISTS { … })."""
    while at < len(tokens) and tokens[at].text not in ("(", "{"):
        if tokens[at].kind not in ("word", "pname", "iri") or at > 0 and tokens[at - 1].kind == "iri":
            return None
        at += 1
    stack: list[str] = []
    closing = {"(": ")", "{": "}", "[": "]"}
    while at < len(tokens):
        token = tokens[at]
        if token.kind == "punct" and token.text in closing:
            stack.append(closing[token.text])
        elif token.kind == "punct" and token.text in ")}]":
            if not stack or stack.pop() != token.text:
                return None
            if not stack:
                return at + 1
        at += 1
    return None


def _block(text: str, tokens: list[Lexeme], at: int) -> Block | None:
    """The leading patterns and FILTERs of the group whose ``{`` is at ``at``; None if its shape is not one
    this module reads (see the module docstring)."""
    start = _end(tokens[at])
    at += 1
    patterns: list[Pattern] = []
    filters: list[Filter] = []
    while at < len(tokens):
        token = tokens[at]
        if token.kind == "punct" and token.text == ".":
            at += 1
        elif keyword(token) == "FILTER":
            end = _constraint_end(tokens, at + 1)
            if end is None:
                return None
            inside = tokens[at + 1:end]
            filters.append(Filter(text[token.start:_end(tokens[end - 1])], _variables(inside),
                                  not any(t.kind == "punct" and t.text in "{}" for t in inside)))
            at = end
        elif _term_end(tokens, at) is not None:
            after = _triples(text, tokens, at, patterns)
            if after is None:
                return None
            at = after
        else:
            break
    if at >= len(tokens):
        return None
    follows = tokens[at]
    if not (follows.kind == "punct" and follows.text in "{}" or keyword(follows) in _AFTER_BLOCK):
        return None                                # a blank node, a collection, a triple term, …
    return Block(start, follows.start, patterns, filters)


class Candidate(NamedTuple):
    """What :func:`candidate` read: the text split where the leading patterns are."""

    prologue: str              # the BASE and PREFIX declarations before the query form, without comments
    block: Block


def declined_by_its_words(tokens: list[Lexeme]) -> bool:
    """Whether the lexemes alone decline the plan: a word of :data:`_DECLINED`, or an IRI-like token
    where ``<`` may compare. Total on any text (it reads words, not structure), so :func:`rewrite`
    asks it before Oxigraph prepares the query: a declined query then costs no parse of its own
    (a ``LIMIT`` or ``GROUP_CONCAT`` query without ``ORDER BY``, whose text is new to the store)."""
    return any(keyword(t) in _DECLINED for t in tokens) or lt_may_compare(tokens)


def candidate(sparql: str) -> Candidate | None:
    """The leading patterns of a query whose shape allows reordering them, or None (the query runs as
    written); ``sparql`` is a SELECT without SERVICE that Oxigraph prepares (:func:`rewrite` checks)."""
    tokens = list(lexed(sparql))
    if declined_by_its_words(tokens):
        return None
    select = next((i for i, t in enumerate(tokens) if keyword(t) == "SELECT"), None)
    brace = next((i for i, t in enumerate(tokens) if t.kind == "punct" and t.text == "{"), None)
    if select is None or brace is None or brace < select:
        return None
    if sum(t.kind == "punct" and t.text == "(" for t in tokens[:brace]) != \
            sum(t.kind == "punct" and t.text == ")" for t in tokens[:brace]):
        return None                                # the first "{" opens an EXISTS in the projection
    projection = [t for t in tokens[select + 1:brace] if keyword(t) not in ("DISTINCT", "REDUCED")]
    if not projection or projection[0].text == "*":
        return None
    block = _block(sparql, tokens, brace)
    if block is None or not 2 <= len(block.patterns) <= MAX_PATTERNS:
        return None
    # The declarations as lexemes, one space apart: the same declarations under other comments or line
    # breaks (a saved query's description) make the same count queries, whose counts the store keeps.
    prologue = "".join(f"{t.text} " for t in tokens[:select])
    return Candidate(prologue, block)


def estimate(pattern: Pattern, filters: list[Filter], count: Callable[[str], int]) -> float:
    """How many solutions ``pattern`` is taken to have; ``count`` counts a pattern's matches in the store."""
    if pattern.unbounded:
        return math.inf                            # ?s ?p ?o (or ?x ?p ?x): counting it would read the whole store
    if pattern.counted:
        matches = float(count(pattern.text))
    else:
        matches = float(sum(count(f"?s {iri} ?o") for iri in pattern.path_iris))
    for constraint in filters:
        if constraint.movable and constraint.variables and constraint.variables <= pattern.variables:
            matches *= FILTER_SELECTIVITY
    return matches


def rewrite(sparql: str, count: Callable[[str], int]) -> str | None:
    """``sparql`` with its rarest leading pattern evaluated first, or None to run it as written. The
    text is not parsed here (the caller's run parses it, and falls back to ``sparql`` if it must).

    ``count(query)`` runs a ``SELECT (COUNT(*) AS ?n)`` query (:func:`count_query`) on the store and
    returns ``?n``; the caller caches it.
    """
    if len(sparql) > MAX_TEXT:
        return None
    form = scanned(sparql)                         # first: preparing a SERVICE query calls it
    if form.form != "SELECT" or form.service or declined_by_its_words(list(lexed(sparql))):
        return None
    if not prepares(sparql):
        return None                                # an invalid query keeps the engine's own error
    found = candidate(sparql)
    if found is None:
        return None
    block = found.block

    def matches(pattern: str) -> int:
        return count(count_query(found.prologue, pattern))

    estimates = [estimate(p, block.filters, matches) for p in block.patterns]
    best = min(range(len(estimates)), key=estimates.__getitem__)
    if math.isinf(estimates[best]):
        return None
    first = block.patterns[best]
    rest = [p for i, p in enumerate(block.patterns) if i != best]
    rest_variables = frozenset().union(*(p.variables for p in rest))
    on_first, on_rest, outer = [], [], []
    for constraint in block.filters:
        if constraint.movable and constraint.variables and constraint.variables <= first.variables:
            on_first.append(constraint.text)
        elif constraint.movable and constraint.variables and constraint.variables <= rest_variables:
            on_rest.append(constraint.text)
        else:
            outer.append(constraint.text)
    projection = " ".join(f"?{name}" for name in sorted(first.variables))
    if not projection:
        return None                                # nothing to carry over: the pattern only tests
    inner = " ".join([f"{first.text} ."] + on_first)
    lateral = "\n    ".join([f"{p.text} ." for p in rest] + on_rest)
    text = (f"{sparql[:block.start]}\n  {{ SELECT {projection} WHERE {{ {inner} }} }}\n  LATERAL {{ {lateral} }}"
            + "".join(f"\n  {constraint}" for constraint in outer) + f"\n  {sparql[block.end:]}")
    return text



def count_query(prologue: str, pattern: str) -> str:
    """The query that counts ``pattern``'s matches (with the query's own prefix declarations)."""
    return f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
