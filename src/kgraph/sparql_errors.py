"""Where a SPARQL text's syntax error is: the one reading of the engine's message for every adapter.

Why a module of its own: the server and the CLI both report a query that does not parse, and a user
should get the same position and words from ``kgraph query`` as from ``/sparql`` (the CLI used to give
only the engine's message, which can point past the mistake).
"""

from __future__ import annotations

import re
import threading

from .errors import QueryError
from .sparqltext import keyword, lexemes

_POSITION = re.compile(r"error at (\d+):(\d+)")
#: The grammar's character classes in Oxigraph's messages (``[_]``, ``['a'-'z']``): noise to a reader.
_CHAR_CLASS = re.compile(r",?\s*\[(?:'[^']*'|[^\]'\"])*\]")
#: Longer texts get no second opinion, and the engine's position stands: pyparsing takes about half a
#: second per 1,000 characters of a long arithmetic chain (a review's ``FILTER(1 + 1 + … > )``: 8 s for
#: 16,000), under one lock and with no timeout; an analyst's query of a few hundred takes milliseconds.
SECOND_OPINION_CHARS = 2_000
_rdflib_parser = threading.Lock()  # pyparsing's packrat cache is shared
#: Keywords SPARQL 1.2 adds, which the engine reads and rdflib's SPARQL 1.1 parser does not (with ``<<`` triple
#: terms, ``~`` reifiers and ``{| |}`` annotations): on a text using any, where rdflib stops is no evidence.
_SPARQL_1_2_WORDS = frozenset({"VERSION", "LANGDIR", "HASLANG", "HASLANGDIR", "STRLANGDIR", "ISTRIPLE", "TRIPLE",
                               "SUBJECT", "PREDICATE", "OBJECT"})


def _second_opinion(text: str, update: bool) -> tuple[int, int, str] | None:
    """Where rdflib's parser stops on ``text``: ``(line, column, message)``, None if it parses or gives up."""
    if len(text) > SECOND_OPINION_CHARS:
        return None
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _rdflib_parser:
        try:
            (parseUpdate if update else parseQuery)(text)
        except Exception as exc:  # noqa: BLE001 - pyparsing's ParseException, or anything rdflib chokes on
            line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
            if not isinstance(line, int) or not isinstance(column, int):
                return None
            return line, column, re.sub(r"\s+\(at char \d+\).*$", "", str(exc), flags=re.DOTALL)
    return None


def _uses_sparql_1_2(text: str) -> bool:
    previous = ""
    for lexeme in lexemes(text):
        if lexeme.text in ("<<", "~") or (previous == "{" and lexeme.text == "|") \
                or keyword(lexeme) in _SPARQL_1_2_WORDS:
            return True
        previous = lexeme.text
    return False


def located(exc: QueryError, text: str, *, lines_added: int = 0, update: bool = False) -> QueryError:
    """The engine's syntax error with its position in the user's ``text`` (``lines_added`` lines that
    the caller put before it, a ``BASE``, taken away), and ``line`` and ``column`` in its detail.

    Oxigraph reports the furthest point its parser reached, which can be past the real mistake
    (``FILTER(?o > )`` is reported at the closing brace on the next line); when rdflib's parser stops
    earlier in a query, its position leads and Oxigraph's message follows. (For updates rdflib only ever
    says "1:1", so Oxigraph's position stands; so it does for a query using SPARQL 1.2, which rdflib does
    not read: it stopped at valid triple terms and LANGDIR calls, far before the mistake.) Parses
    ``text`` once more with rdflib, so a server calls it off its event loop.
    """
    found = _POSITION.search(exc.message)
    if not found:
        return exc
    line, column = int(found.group(1)) - lines_added, int(found.group(2))
    said = _CHAR_CLASS.sub("", exc.message[found.end():])
    message = exc.message[:found.start()] + f"error at {line}:{column}" + said
    opinion = None if update or _uses_sparql_1_2(text) else _second_opinion(text, update)
    if opinion is not None and opinion[:2] < (line, column):
        prefix = message[:found.start()]
        line, column, said = opinion
        message = f"{prefix}error at {line}:{column}: {said} (the query engine: {message[len(prefix):]})"
    return QueryError(message, detail={**exc.detail, "line": line, "column": column})
