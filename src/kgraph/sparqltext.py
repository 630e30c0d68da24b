"""Reading SPARQL text without parsing it: its lexemes, its form, and the keywords that reach outside.

Why a lexer and not a parser: the server must know, for every request and before the engine sees
it, whether a text is a query or an update and whether it says ``SERVICE`` or ``LOAD``; the store
must find a query's final ``ORDER BY`` to sort the rows itself (:mod:`kgraph.store.ordering`).
Oxigraph does not expose its parse tree, and rdflib's parser costs tens of milliseconds. What both
need is where a word stands: inside a string, an IRI or a comment it is not a keyword. This module
is the one place that cuts SPARQL into the grammar's terminals for them.

The one thing a lexer cannot tell is whether ``<`` opens an IRI or compares: in
``FILTER(?v<'a>b')`` the text ``<'a>`` looks like an IRI, and reading it as one starts a string
where there is none, which can hide what follows. :func:`lexemes` reads such a token as an IRI.
:func:`scan` follows every reading the grammar leaves open instead (a ``<`` compares only inside
parentheses, right after an operand), so a keyword any of them shows counts. The store's
``ORDER BY`` planner has Oxigraph's parser check where it cuts the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox

from .errors import LimitError

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                          "WITH"})
FORMS = QUERY_FORMS | UPDATE_FORMS

#: The characters allowed between ``<`` and ``>`` of an IRI (the grammar's IRIREF).
IRI_CHARS = r"[^<>\"{}|^`\\\x00-\x20]"
#: A whole text that may stand between ``<`` and ``>``.
IRI_TEXT = re.compile(f"{IRI_CHARS}+")


def is_iri(text: str) -> bool:
    """Whether the engine takes ``text`` as an absolute IRI: a scheme, only :data:`IRI_TEXT`'s characters,
    and well-formed ``%`` escapes, port and brackets (an article URL or a Graph Store ``?graph=`` that
    passed a regex failed later, as a 500). Such a text is safe between ``<`` and ``>`` in SPARQL."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


#: IRIREF as Oxigraph reads it: the characters above, and ``\uXXXX`` / ``\UXXXXXXXX`` escapes.
_IRI_PART = rf"(?:{IRI_CHARS}|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})"

#: The grammar's name characters (PN_CHARS_BASE, PN_CHARS_U, PN_CHARS); Python's ``\w`` is not the same set.
_BASE = (r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F"
         r"\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_NAME = _BASE + r"_0-9\u00B7\u0300-\u036F\u203F-\u2040"      # VARNAME's characters
_CHARS = _NAME + r"\-"                                          # PN_CHARS
#: A local name as Oxigraph reads it: name characters, ``:``, ``%`` and backslash escapes, then at
#: most one group of dots and more of them (``x:a.b.c`` is ``x:a.b`` ``.`` ``c`` to the engine).
_LOCAL_PART = rf"(?:[{_CHARS}:%]|\\.)"
_LOCAL = rf"(?:{_LOCAL_PART}+(?:\.+{_LOCAL_PART}+)?)?"
#: One lexeme, as the grammar's terminals cut it: what is inside a comment, a string or an IRI is
#: one lexeme, so a keyword there is not seen as one. A prefixed name is one lexeme (``ex:x``; note
#: that Oxigraph reads ``SERVICE:x`` as ``SERVICE :x``); so is a backslash with the character after
#: it, which outside strings and IRIs can only be an escape in a local name (``ex:a\#b``): read
#: alone, the ``#`` or quote it escapes would open a comment or a string the engine does not see;
#: and so is ``<<``, which opens a triple term (the engine reads ``<<#x>`` as ``<<`` and a comment).
#: Any other character is one on its own.
_BEFORE_NAMES = (
    r"(?P<space>\s+)"
    r"|(?P<comment>\#[^\r\n]*)"  # a comment ends at either line break, as in the engine
    r"|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)"
    r'|"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*")'
    rf"|(?P<iri><{_IRI_PART}*>)"
    rf"|(?P<var>[?$][{_NAME}]*)"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)")
_PNAME = rf"|(?P<pname>(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?:{_LOCAL})"
_AFTER_NAMES = rf"|(?P<word>[{_BASE}_][{_CHARS}]*)" r"|(?P<punct>\\.|<<|.)"
_LEXEME = re.compile(_BEFORE_NAMES + _PNAME + _AFTER_NAMES, re.DOTALL)
#: The same where no prefixed name can start (see :class:`_Lexer`).
_LEXEME_NO_PNAME = re.compile(_BEFORE_NAMES + _AFTER_NAMES, re.DOTALL)
#: A run of the characters a prefix is made of; a prefix is the whole rest of such a run, up to a ``:``.
_RUN_CHAR = f"[{_CHARS}.]"
_NAME_RUN = re.compile(_RUN_CHAR + "+")
#: The lexeme kinds that are not significant (read past, never returned).
_DROPPED = frozenset({"space", "comment"})
_RISKY = re.compile(r"service|load", re.IGNORECASE)
#: Lexemes after which a ``<`` may be the less-than sign: the end of an operand (a variable, a
#: literal, an IRI, a name, ``)``, the ``>>`` of a triple term). Every bare word counts (``true``, a
#: language tag), and so does any character outside ASCII: more readings to follow, none missed.
_OPERAND_KINDS = frozenset({"var", "string", "number", "iri", "pname", "word"})
_OPERAND_ENDS = frozenset({")", ">", "]", "}"})                  # "}": the end of EXISTS { … }
#: A string escape the engine accepts (ECHAR, UCHAR); a long string with any other does not parse, and
#: the engine then reads its opening quotes as an empty string and a quote.
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ESCAPE = re.compile(r"\\[tbnrf\"'\\]|" + _UCHAR.pattern)
_PLX = re.compile(r"\\(.)")
#: How many lexer states the search over readings may visit before it stops and assumes the worst.
MAX_READING_STATES = 100_000
#: How many characters the search over readings may read (lexemes, and names and strings it checks)
#: before it stops and assumes the worst. Each state is visited once, but a reading that splits a
#: prefixed name starts again inside it, and in a run of colons (``a:a:a:…``, no prefix declared) each
#: of those reads the name to its end: minutes at 100k characters (found by a review, 2026-12-07). A
#: query the engine would run reads its text a few times over at most (the budget is 20 times the
#: longest query the server takes).
MAX_READING_WORK = 2_000_000
#: How deep brackets may nest before the search stops and assumes the worst (a state holds its open
#: brackets, so deeper nesting would cost memory with the depth; the engine's own parser exhausts its
#: stack at a few thousand). :func:`nesting` serves the same limit for a whole request.
MAX_NESTING = 256


class Lexeme(NamedTuple):
    """One significant lexeme: ``kind`` is ``string``, ``iri``, ``var``, ``number``, ``pname``
    (a prefixed name), ``word`` (a bare name: a keyword, a function, ``a``, ``true``) or ``punct``."""

    kind: str
    text: str
    start: int


class _Lexer:
    """Matches the lexeme at a position of one text, in time linear in the lexeme.

    Why not ``_LEXEME.match`` alone: at each letter, its prefixed-name branch reads on through letters,
    digits and dots looking for a ``:``, so ``a.a.a.a…`` without one took time quadratic in its length
    (447 ms at 10k characters, 1.6 s at 20k; a query may have 100k). A prefix is the whole rest of a
    run of those characters up to a ``:`` (the ``:`` is not one of them), so where the run does not
    end in ``:`` the branch is skipped (it could not match there). The end of the run is found once
    per run: the last one is remembered, which serves a lexer that moves forward; ``anywhere`` finds
    every run at once instead, for a search that visits positions in any order.
    """

    def __init__(self, text: str, *, anywhere: bool = False) -> None:
        self.text = text
        self._from = self._stop = -1
        self._runs: tuple[list[int], list[int]] | None = None
        if anywhere:
            runs = list(_NAME_RUN.finditer(text))
            self._runs = [run.start() for run in runs], [run.end() for run in runs]

    def _run_stop(self, at: int) -> int | None:
        """Where the run of prefix characters through ``at`` ends (None: ``at`` is in none)."""
        if self._runs is not None:
            starts, stops = self._runs
            index = bisect.bisect_right(starts, at) - 1
            return stops[index] if index >= 0 and at < stops[index] else None
        if not self._from <= at < self._stop:
            run = _NAME_RUN.match(self.text, at)
            if run is None:
                return None
            self._from, self._stop = at, run.end()
        return self._stop

    def match(self, at: int) -> re.Match[str] | None:
        stop = self._run_stop(at)
        if stop is not None and not (stop < len(self.text) and self.text[stop] == ":" and self.text[stop - 1] != "."):
            return _LEXEME_NO_PNAME.match(self.text, at)
        return _LEXEME.match(self.text, at)


#: The longest run of prefix characters (:data:`_NAME_RUN`) that :func:`lexemes` lets the whole pattern
#: read on from every letter: in a text without a longer one, that costs at most this many characters
#: read per lexeme, so its one ``finditer`` stays linear in the text.
SHORT_RUN = 64
_LONG_RUN = re.compile(_RUN_CHAR + f"{{{SHORT_RUN + 1}}}")
_new_tuple = tuple.__new__  # a Lexeme without the Python frame of NamedTuple's __new__ (the hot loop below)


def lexemes(text: str) -> Iterator[Lexeme]:
    """The lexemes of ``text``, without spaces and comments (an IRI-like ``<…>`` is read as an IRI).

    Where no run of prefix characters is longer than :data:`SHORT_RUN`, the whole pattern runs over the
    text in one ``finditer``: it matches at every position (its last branch takes any character), so it
    visits the positions :class:`_Lexer` would and matches there what it matches (the lexer only skips a
    branch that cannot match: ``tests/core/test_sparqltext.py``). Lexing analyst query 01 whole took 238 µs
    this way against 368 µs through the lexer (best of five repeats of 2,000; 2026-12-07, machine J). A text with a longer run, where reading on from each letter costs more, goes
    through :class:`_Lexer` (:func:`_lexemes_by_runs`). Lazy either way: :func:`scan` stops at the form.
    """
    if _LONG_RUN.search(text) is None:
        return (_new_tuple(Lexeme, (match.lastgroup or "punct", match.group(), match.start()))
                for match in _LEXEME.finditer(text) if match.lastgroup not in _DROPPED)
    return _lexemes_by_runs(text)


def _lexemes_by_runs(text: str) -> Iterator[Lexeme]:
    """:func:`lexemes` through :class:`_Lexer`, in time linear in the text whatever its runs."""
    at = 0
    lexer = _Lexer(text)
    while (match := lexer.match(at)) is not None:
        kind, at = match.lastgroup or "punct", match.end()
        if kind not in _DROPPED:
            yield Lexeme(kind, match.group(), match.start())


_PREPARER = ox.Store()  # empty: prepares a query for the check below, never evaluates it (nothing is iterated)


@lru_cache(maxsize=8)
def lexed(text: str) -> tuple[Lexeme, ...]:
    """:func:`lexemes` of ``text`` as a tuple, kept for the last few texts: both of the store's planners
    read the same query, and for a query text new to them (each of the HTTP benchmark's requests is)
    lexing was a third of what they added to its time."""
    return tuple(lexemes(text))


@lru_cache(maxsize=64)
def prepares(text: str) -> bool:
    """Whether Oxigraph parses and prepares ``text`` as a query: the check the store's planners make of a
    text before and after they change it (nothing is evaluated: the store is empty and the result is
    not iterated; but a ``SERVICE`` is called while the query is prepared, so a text with one, as far
    as :func:`scan` can tell, must not come here). Any failure counts: a custom function, for one,
    fails with a RuntimeError. Kept for the last few texts: both planners check the query they are given."""
    try:
        _PREPARER.query(text)
    except Exception:  # noqa: BLE001 - whatever the engine refuses is run as written, to fail there
        return False
    return True


def keyword(lexeme: Lexeme) -> str:
    """A bare word as the engine reads keywords (ASCII, any case: ``SELECT``), or an empty string."""
    return lexeme.text.upper() if lexeme.kind == "word" and lexeme.text.isascii() else ""


def lt_may_compare(tokens: Sequence[Lexeme]) -> bool:
    """Whether, in the lexer's reading ``tokens``, an IRI-like token stands where its ``<`` may be the
    less-than sign (inside parentheses, right after an operand: the condition :func:`scan` follows
    both readings on), or a triple term opens: there the engine's reading may not be the lexer's."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.kind == "punct":
            if token.text == "<<":
                return True
            depth += (token.text == "(") - (token.text == ")")
        if token.kind == "iri" and depth > 0 and index and _ends_operand(tokens[index - 1].kind, tokens[index - 1].text):
            return True
    return False


def _ends_operand(kind: str, text: str) -> bool:
    """Whether a lexeme of this kind and text may end an operand, so that a ``<`` after it may compare."""
    return kind in _OPERAND_KINDS or text in _OPERAND_ENDS or not text.isascii()


def nesting(text: str) -> int:
    """How deep ``(``, ``{`` and ``[`` nest in the lexer's reading of ``text`` (for a request limit: the
    engine's recursive parser exhausts its stack on a few thousand, and kills the process with it)."""
    depth = deepest = 0
    for lexeme in lexemes(text):
        if lexeme.kind == "punct":
            if lexeme.text in "({[":
                depth += 1
                deepest = max(deepest, depth)
            elif lexeme.text in ")}]":
                depth = max(depth - 1, 0)
    return deepest


def check_nesting(text: str) -> None:
    """Refuse (:class:`~kgraph.errors.LimitError`) a text whose brackets nest deeper than :data:`MAX_NESTING`,
    before the engine parses it: its recursive parser exhausts its stack on a few thousand (measured:
    3,000 parse, 5,000 crash) and kills the process, the server's query worker or a ``kgraph query``."""
    opening = text.count("(") + text.count("{") + text.count("[")   # fewer in all cannot nest deeper
    deepest = nesting(text) if opening > MAX_NESTING else 0
    if deepest > MAX_NESTING:
        raise LimitError(f"brackets nest {deepest} deep in the query or update; at most {MAX_NESTING} are "
                         f"taken", detail={"limit": MAX_NESTING})


class Scan(NamedTuple):
    """What :func:`scan` found: the operation's form and the keywords that reach outside."""

    form: str
    service: bool
    load: bool


def scan(text: str) -> Scan:
    """The form (``SELECT``, ``CONSTRUCT``, ``INSERT``…) and whether SERVICE or LOAD occur as keywords.

    Keywords inside strings, IRIs, comments, variables and the local part of
    prefixed names (``ex:service``) do not count. Anywhere else the letters
    count even glued to other text, because Oxigraph's parser needs no word
    boundary: ``SERVICE:x``, ``1SERVICE``, ``?o.SERVICE`` and ``trueSERVICE``
    all run as SERVICE (``tests/server/test_security.py`` checks the scan
    against the engine). The price is a 403 for a prefix such as
    ``download:``. Reads only up to the form unless the text contains those
    letters; then every reading the engine may make is followed
    (:func:`_keywords_in_any_reading`).
    """
    form = ""
    for lexeme in lexemes(text):
        if lexeme.kind == "word" and lexeme.text.upper() in FORMS:
            form = lexeme.text.upper()
            break
    if _RISKY.search(text) is None:
        return Scan(form, False, False)
    return Scan(form, *_keywords_in_any_reading(text))


@lru_cache(maxsize=64)
def scanned(text: str) -> Scan:
    """:func:`scan`, kept for the last few texts: the store's two planners each check the text they are
    given, often the same one, and a text with the letters of LOAD or SERVICE in it (a ``download``
    namespace) costs a few tenths of a millisecond to scan. The server calls :func:`scan` itself."""
    return scan(text)


def _keywords_in_any_reading(text: str) -> tuple[bool, bool]:
    """Whether SERVICE and LOAD occur as keywords in some reading of ``text``.

    The lexer reads ``<…>`` (and ``<<``) the one way the characters allow; the engine reads ``<``
    as less-than wherever it follows an operand inside an expression, whatever comes after it. Every
    expression of SPARQL stands in parentheses (FILTER, BIND, HAVING, ORDER BY, SELECT's ``(… AS
    ?v)``, function calls), and a ``{`` inside them (EXISTS) opens a pattern again. So where the
    innermost open bracket is ``(`` and an operand came last, an IRI-like token or ``<<`` is also
    read as ``<`` and what follows it. Two more places where the engine falls back to another
    reading are followed too: a string in three quotes it rejects (unclosed, or an escape the
    grammar lacks) is ``''`` and a quote to it, and a prefixed name whose IRI is invalid is the
    prefix alone and more text. Readings meet again in the same state (position, open brackets,
    whether an operand came last), so each state is visited once: the number of states grows with
    the text, not with the number of readings. The engine's own reading is one of them. Past
    ``MAX_READING_STATES`` states, ``MAX_READING_WORK`` characters read or ``MAX_NESTING`` open brackets
    the search stops and reports both keywords (the safe side: a 403, never a call out).
    """
    service = load = False
    work = [0]                                          # characters read so far
    breaks = [m.start() for m in re.finditer(r"[\r\n]", text)]
    by_position: dict[int, tuple[str, str, int]] = {}
    lexer = _Lexer(text, anywhere=True)

    def lexeme_at(at: int) -> tuple[str, str, int] | None:
        """(kind, text, end) of the lexeme at ``at``, once per position; a comment's end is looked up,
        since many readings start comments on one long line and each would otherwise read to its end."""
        found = by_position.get(at)
        if found is None and at < len(text):
            if text[at] == "#":
                index = bisect.bisect_left(breaks, at)
                end = breaks[index] if index < len(breaks) else len(text)
                found = ("comment", "", end)                # its text is never needed
            else:
                match = lexer.match(at)
                assert match is not None                # every character is some lexeme
                found = (match.lastgroup or "punct", match.group(), match.end())
                work[0] += match.end() - at
            by_position[at] = found
        return found

    significant: list[tuple[str, str]] = []           # the lexer's reading, lexed once for the search too
    at = 0
    while (found := lexeme_at(at)) is not None:
        if found[0] not in _DROPPED:
            significant.append(found[:2])
        at = found[2]
    declared: dict[str, list[str]] = {}                # what PREFIX declares in that reading
    for first, name, iri in zip(significant, significant[1:], significant[2:]):
        if first[0] == "word" and first[1].upper() == "PREFIX" and name[0] == "pname" \
                and name[1].endswith(":") and iri[0] == "iri":
            declared.setdefault(name[1][:-1], []).append(_unescaped_iri(iri[1][1:-1]))

    start = (0, "", False)
    seen = {start}
    pending = [start]
    while pending and not (service and load):
        if len(seen) > MAX_READING_STATES or work[0] > MAX_READING_WORK:
            return True, True
        at, brackets, operand = pending.pop()
        found = lexeme_at(at)
        if found is None:
            continue                                  # the end of the text
        kind, token, end = found
        following = []
        if kind in _DROPPED:
            following.append((end, brackets, operand))
        else:
            if (kind == "iri" or token == "<<") and operand and brackets.endswith("("):
                following.append((at + 1, brackets, False))   # the "<" compares
            if kind in ("string", "pname"):
                work[0] += len(token)                   # the checks below read it whole
            if kind == "string" and token[:3] in ("\'\'\'", '"""') and not _long_string_parses(token):
                following.append((at + 2, brackets, True))    # read as "" and a quote, as the engine does
            if kind == "pname" and _name_may_split(token, declared):
                following.append((at + token.index(":") + 1, brackets, True))   # "p:" and what follows
            if kind in ("word", "pname"):
                word = token.partition(":")[0].upper()  # "SERVICE:x" is "SERVICE :x" to the engine
                service = service or "SERVICE" in word  # "trueSERVICE <x>" runs as "true SERVICE <x>"
                load = load or "LOAD" in word
            if token in ("(", "{"):
                brackets += token
                if len(brackets) > MAX_NESTING:
                    return True, True
            elif token == ")" and brackets.endswith("("):
                brackets = brackets[:-1]
            elif token == "}" and "{" in brackets:
                brackets = brackets[:brackets.rindex("{")]
            following.append((end, brackets, _ends_operand(kind, token)))
        for state in following:
            if state not in seen:
                seen.add(state)
                pending.append(state)
    return service, load


def _names_a_character(digits: str) -> bool:
    code = int(digits, 16)
    return code < 0x110000 and not 0xD800 <= code <= 0xDFFF


def _unescaped_iri(text: str) -> str:
    """An IRI's text with its ``\\u``/``\\U`` escapes read (those naming no character stay as written)."""
    def character(match: re.Match) -> str:
        digits = match.group(1) or match.group(2)
        return chr(int(digits, 16)) if _names_a_character(digits) else match.group()

    return _UCHAR.sub(character, text)


def _long_string_parses(token: str) -> bool:
    """Whether the engine reads ``token`` (a string in three quotes) as one: it must close, and each
    of its escapes must be one the grammar has, naming a character (no surrogate)."""
    quote = token[:3]
    if len(token) < 6 or not token.endswith(quote):
        return False
    body, index = token[3:-3], 0
    while (index := body.find("\\", index)) >= 0:
        escape = _ESCAPE.match(body, index)
        if escape is None:
            return False
        digits = escape.group(1) or escape.group(2)
        if digits is not None and not _names_a_character(digits):
            return False
        index = escape.end()
    return True


def _name_may_split(token: str, declared: dict[str, list[str]]) -> bool:
    """Whether the engine may read the prefixed name ``token`` as its prefix alone and the rest as more
    text: it does where prefix and local name do not make a valid IRI. A prefix the text does not
    declare (the engine then fails anyway), or declares with a relative IRI (resolved against a BASE
    this check does not follow), counts as that too."""
    prefix, _, local = token.partition(":")
    if not local:
        return False
    local = _PLX.sub(r"\1", local)
    for namespace in declared.get(prefix, [""]):
        try:
            ox.NamedNode(namespace)
            ox.NamedNode(namespace + local)
        except ValueError:
            return True
    return False


#: Keywords of an update operation that reads the graphs (a ``WHERE``, or a graph copied from one to another).
_READING_WORDS = frozenset({"WHERE", "COPY", "MOVE", "ADD"})


class Operation(NamedTuple):
    """One operation of a SPARQL Update text: where it stands, and whether it reads the graphs."""

    start: int
    end: int
    reads: bool


_OPENERS = frozenset("{([")
_CLOSERS = frozenset("})]")


def _depths(tokens: Sequence[Lexeme], start: int = 0) -> Iterator[tuple[int, Lexeme, int]]:
    """Each lexeme from ``tokens[start]`` on, with its index and its depth: how many ``{``, ``(`` and ``[``
    are open around it, a bracket counting as outside itself.

    Why: an update's operations, its writes to the default graph and what a block holds are all read
    from the same brackets; one walk keeps those readings agreeing.
    """
    depth = 0
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token.kind == "punct":
            if token.text in _CLOSERS:
                depth -= 1
            elif token.text in _OPENERS:
                yield index, token, depth
                depth += 1
                continue
        yield index, token, depth


def _is_bracket(token: Lexeme) -> bool:
    return token.kind == "punct" and (token.text in _OPENERS or token.text in _CLOSERS)


def update_operations(text: str) -> list[Operation] | None:
    """The operations of an update text in order, cut at its ``;`` separators; an empty list when it has
    none (only a prologue or comments); None when the lexer cannot be sure where they are.

    Why: the store keeps the default graph as the union of the named graphs and must re-derive it between
    an operation that writes and a later one that reads (see :func:`kgraph.store.base.resynced_update`).
    Outside brackets a ``;`` can only separate operations, and there a ``<`` always opens an IRI; only
    where a ``<`` inside brackets may compare (:func:`lt_may_compare`) might the lexer's reading of the
    rest differ from the engine's, so then no cut is offered. A separator that ends the text (the
    grammar allows one) is left out, with any comment after it.
    """
    tokens = lexed(text)
    if lt_may_compare(tokens):
        return None
    operations: list[Operation] = []
    start, has_operation, reads = 0, False, False
    for _index, token, depth in _depths(tokens):
        if depth:
            continue
        if token.kind == "punct" and token.text == ";":
            if has_operation:
                operations.append(Operation(start, token.start, reads))
            start, has_operation, reads = token.start + 1, False, False
        word = keyword(token)
        has_operation = has_operation or word in UPDATE_FORMS
        reads = reads or word in _READING_WORDS
    if has_operation:
        operations.append(Operation(start, len(text), reads))
    return operations


def writes_default_graph(text: str) -> bool | None:
    """Whether an update writes the default graph: a triple outside ``GRAPH`` in an ``INSERT``/``DELETE``
    template or data block with no ``WITH``, or ``CLEAR``/``DROP``/``MOVE DEFAULT``, or ``… TO DEFAULT``;
    None when the lexer cannot be sure (see :func:`update_operations`).

    Why: kgraph's default graph is the union of the named graphs, re-derived after every update, so such a
    write would be undone as soon as it was made, and the client told it succeeded.
    """
    tokens = lexed(text)
    if lt_may_compare(tokens):
        return None
    with_graph, template = False, False
    for index, token, depth in _depths(tokens):
        if depth:
            continue
        if token.kind == "punct" and token.text == "{":
            if template and _outside_graph(tokens, index):
                return True
            template = False                               # the template was this block
            continue
        word = keyword(token)
        if token.text == ";":
            with_graph = template = False
        elif word == "WITH":
            with_graph = True
        elif word in ("INSERT", "DELETE"):
            template = not with_graph                  # the next block is its template (DATA, WHERE: as well)
        elif word in ("CLEAR", "DROP", "MOVE") and _next_word(tokens, index, skip={"SILENT"}) == "DEFAULT":
            return True
        elif word == "TO" and _next_word(tokens, index) == "DEFAULT":
            return True
    return False


def _next_word(tokens: Sequence[Lexeme], index: int, skip: frozenset[str] | set[str] = frozenset()) -> str:
    for token in tokens[index + 1:]:
        word = keyword(token)
        if word not in skip:
            return word
    return ""


def _outside_graph(tokens: Sequence[Lexeme], start: int) -> bool:
    """Whether the block opening at ``tokens[start]`` holds anything but ``GRAPH name { … }`` blocks."""
    graph_name_next = False
    for index, token, depth in _depths(tokens, start):
        if _is_bracket(token):
            if depth == 0 and index > start:               # the block's own end
                return False
            continue
        if depth != 1:
            continue
        if graph_name_next:                                # the graph's name; its block opens next
            graph_name_next = False
        elif keyword(token) == "GRAPH":
            graph_name_next = True
        elif token.text != ".":
            return True
    return False


def update_parses(text: str) -> bool:
    """Whether Oxigraph parses ``text`` as an update: applied to a new, empty in-memory store, which
    nothing reads. The caller must have refused ``LOAD`` and ``SERVICE`` (they would reach outside)."""
    try:
        ox.Store().update(text)
    except Exception:  # noqa: BLE001 - a syntax error, or one the engine meets applying it: not a clean parse
        return False
    return True
