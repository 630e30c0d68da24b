"""Reading SPARQL text without parsing it: its lexemes, its form, and the keywords that reach outside.

Why a lexer and not a parser: the server must know, for every request and before the engine sees
it, whether a text is a query or an update and whether it says ``SERVICE`` or ``LOAD``; the store
must find a query's final ``ORDER BY`` to sort the rows itself (:mod:`kgraph.store.ordering`).
Oxigraph does not expose its parse tree, and rdflib's parser costs tens of milliseconds. What both
need is where a word stands: inside a string, an IRI or a comment it is not a keyword. This module
is the one place that cuts SPARQL into the grammar's terminals for them.

The one thing a lexer cannot tell is whether ``<`` opens an IRI or compares: in
``FILTER(?v<'a>b')`` the text ``<'a>`` looks like an IRI, and reading it as one starts a string
where there is none, which can hide what follows. :func:`lexemes` reads such a token as an IRI;
:func:`lt_may_compare` says whether a text holds one (an IRI-like token with a quote or ``#`` in
it, where the two readings can part). Each caller settles it with a parser on its own safe side:
:func:`scan` asks rdflib's parser and refuses what it cannot read; the store's ``ORDER BY``
planner has Oxigraph's parser check where it cuts the text, and otherwise leaves the query to
the engine.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import NamedTuple

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                          "WITH"})
FORMS = QUERY_FORMS | UPDATE_FORMS

#: The characters allowed between ``<`` and ``>`` of an IRI (the grammar's IRIREF).
IRI_CHARS = r"[^<>\"{}|^`\\\x00-\x20]"
#: A whole text that may stand between ``<`` and ``>``.
IRI_TEXT = re.compile(f"{IRI_CHARS}+")
#: IRIREF as Oxigraph reads it: the characters above, and ``\uXXXX`` / ``\UXXXXXXXX`` escapes.
_IRI_PART = rf"(?:{IRI_CHARS}|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})"

#: The local part of a prefixed name: PN_CHARS (``\w`` lacks the combining marks, ``‿``, ``⁀`` and the
#: joiners the grammar allows), ``.``, ``:``, ``%`` and backslash escapes (PLX).
_LOCAL = r"(?:[\w\-.:%\u00B7\u0300-\u036F\u203F\u2040\u200C\u200D]|\\.)*"
#: One lexeme, as the grammar's terminals cut it: what is inside a comment, a string or an IRI is
#: one lexeme, so a keyword there is not seen as one. A prefixed name is one lexeme (``ex:x``; note
#: that Oxigraph reads ``SERVICE:x`` as ``SERVICE :x``); so is a backslash with the character after
#: it, which outside strings and IRIs can only be an escape in a local name (``ex:a\#b``): read
#: alone, the ``#`` or quote it escapes would open a comment or a string the engine does not see.
#: Any other character is one on its own.
_LEXEME = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<comment>\#[^\r\n]*)"  # a comment ends at either line break, as in the engine
    r"|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)"
    r'|"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*")'
    rf"|(?P<iri><{_IRI_PART}*>)"
    r"|(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]*)"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    rf"|(?P<pname>(?:[^\W\d][\w\-]*)?:{_LOCAL})"
    r"|(?P<word>[^\W\d][\w\-]*)"
    r"|(?P<punct>\\.|.)", re.DOTALL)
#: An IRI-looking ``<…>`` holding a quote or ``#``: if its ``<`` really compares (``FILTER(?v<'>')``),
#: reading it as an IRI misreads what follows (a string, a comment).
_AMBIGUOUS_LT = re.compile(rf"<{_IRI_PART}*['#]{_IRI_PART}*>")
_RISKY = re.compile(r"service|load", re.IGNORECASE)

#: pyparsing's packrat cache is shared: one use of rdflib's SPARQL parser at a time.
RDFLIB_PARSER_LOCK = threading.Lock()


class Lexeme(NamedTuple):
    """One significant lexeme: ``kind`` is ``string``, ``iri``, ``var``, ``number``, ``pname``
    (a prefixed name), ``word`` (a bare name: a keyword, a function, ``a``, ``true``) or ``punct``."""

    kind: str
    text: str
    start: int


def lexemes(text: str) -> Iterator[Lexeme]:
    """The lexemes of ``text``, without spaces and comments (an IRI-like ``<…>`` is an IRI: see
    :func:`lt_may_compare`)."""
    at = 0
    while (match := _LEXEME.match(text, at)) is not None:
        kind, at = match.lastgroup or "punct", match.end()
        if kind not in ("space", "comment"):
            yield Lexeme(kind, match.group(), match.start())


def lt_may_compare(text: str) -> bool:
    """Whether ``text`` holds an IRI-looking token whose ``<`` might compare instead, so that
    :func:`lexemes` may misread what follows it."""
    return _AMBIGUOUS_LT.search(text) is not None


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
    ``download:``. Stops after the form unless the text contains those letters.
    Where a ``<`` may compare (:func:`lt_may_compare`) and the letters occur,
    rdflib's parser decides.
    """
    risky = _RISKY.search(text) is not None
    form = ""
    service = load = False
    for lexeme in lexemes(text):
        if lexeme.kind == "word":
            word = lexeme.text
        elif lexeme.kind == "pname":
            word = lexeme.text.partition(":")[0]  # "SERVICE:x" is "SERVICE :x" to the engine
        else:
            continue
        upper = word.upper()
        if not form and lexeme.kind == "word" and upper in FORMS:
            form = upper
            if not risky:
                break
        if "SERVICE" in upper:  # not only equal: Oxigraph reads "trueSERVICE <x>" as "true SERVICE <x>"
            service = True
        if "LOAD" in upper:
            load = True
    if risky and not (service and load) and lt_may_compare(text):
        service, load = _parsed_outside(text, service, load)
    return Scan(form, service, load)


def _parsed_outside(text: str, service: bool, load: bool) -> tuple[bool, bool]:
    """SERVICE and LOAD as a real parser reads ``text``, for text the token scan may misread.

    Only where a ``<`` may compare rather than open an IRI, and the letters service or load
    occur: rare, so rdflib's slow parser is affordable. What it cannot parse is refused if the
    letters are there (the safe side: a 403, never a call out). Oxigraph ends a comment at a
    carriage return, rdflib only at a line feed, so rdflib reads the text with every carriage
    return made a line feed (inside a string that changes its value, not where it ends).
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    text = text.replace("\r", "\n")
    with RDFLIB_PARSER_LOCK:
        for parse in (parseQuery, parseUpdate):
            try:
                tree = repr(parse(text))
            except Exception:  # noqa: BLE001, S112 - pyparsing's ParseException: try the other grammar
                continue
            return (service or re.search(r"\bServiceGraphPattern_\{", tree) is not None,
                    load or re.search(r"\bLoad_\{", tree) is not None)
    return (service or re.search("service", text, re.IGNORECASE) is not None,
            load or re.search("load", text, re.IGNORECASE) is not None)
