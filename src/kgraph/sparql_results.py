"""SPARQL result serializers over Oxigraph terms, with a row limit.

Oxigraph serializes whole result sets; kgraph must cut answers at a
configurable size and say so, so it writes the four standard formats itself
(SPARQL 1.1 Query Results JSON, XML, CSV and TSV). Graph results go through
Oxigraph's own RDF serializers. The media-type table is data, used by the
server's content negotiation too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring as _json_string  # what json.dumps(ensure_ascii=False) uses
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import NotRepresentable

SELECT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
#: Older names of graph media types that clients still send (rdflib asks ``text/plain`` for N-Triples and
#: ``text/n3`` for N3, which Turtle is a subset of). The server reads and answers them as the registered
#: type (:func:`registered_type`), on every route, so one table decides.
MEDIA_ALIASES: dict[str, str] = {"text/plain": "application/n-triples", "text/n3": "text/turtle",
                                 "application/x-turtle": "text/turtle"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XML_TEXT_ENTITIES = {"\r": "&#13;"}
#: The namespace of the attribute SPARQL 1.2's results formats give a literal's base direction (``its:dir``).
_ITS = "http://www.w3.org/2005/11/its"
#: Characters XML 1.0 cannot carry, not even as character references (its production ``Char``).
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]
_PARTS = ("subject", "predicate", "object")


def registered_type(media_type: str) -> str:
    """The registered name of a media type given by an older one (:data:`MEDIA_ALIASES`); others as they are."""
    return MEDIA_ALIASES.get(media_type, media_type)


def json_term(term: Term) -> dict:
    """A term as SPARQL JSON results write it (SPARQL 1.2: ``its:dir``, ``"type": "triple"``)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):                 # RDF 1.2 triple term: as Oxigraph's writer (SPARQL 1.2)
        return {"type": "triple", "value": {part: json_term(getattr(term, part)) for part in _PARTS}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
        if term.direction is not None:
            out["its:dir"] = str(term.direction)
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _json_text(term: Term) -> str:
    """``json.dumps(json_term(term), ensure_ascii=False)``, written out (the server's hot path)."""
    if isinstance(term, ox.NamedNode):
        return '{"type": "uri", "value": ' + _json_string(term.value) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type": "bnode", "value": ' + _json_string(term.value) + "}"
    if isinstance(term, ox.Triple):
        return ('{"type": "triple", "value": {'
                + ", ".join(f'"{part}": {_json_text(getattr(term, part))}' for part in _PARTS) + "}}")
    text = '{"type": "literal", "value": ' + _json_string(term.value)
    if term.language:
        text += ', "xml:lang": ' + _json_string(term.language)
        if term.direction is not None:
            text += ', "its:dir": ' + _json_string(str(term.direction))
        return text + "}"
    datatype = term.datatype.value
    if datatype != _XSD_STRING:
        return text + ', "datatype": ' + _json_string(datatype) + "}"
    return text + "}"


def _xml_text(value: str) -> str:
    """A literal's text in XML: a carriage return as ``&#13;``, which an XML parser keeps (a raw one it
    reads as a line feed, so ``"a\\r\\nb"`` came back as ``"a\\nb"``; Oxigraph's own writer writes it raw)."""
    return escape(value, _XML_TEXT_ENTITIES)


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return "<triple>" + "".join(f"<{part}>{_xml_term(getattr(term, part))}</{part}>" for part in _PARTS) + "</triple>"
    if term.language:
        attributes = f"xml:lang={quoteattr(term.language)}"
        if term.direction is not None:              # RDF 1.2: as Oxigraph's own writer (SPARQL 1.2 results)
            attributes += f' its:dir={quoteattr(str(term.direction))} xmlns:its="{_ITS}" its:version="2.0"'
        return f"<literal {attributes}>{_xml_text(term.value)}</literal>"
    if term.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(term.value)}</literal>"


def term_text(term: Term) -> str:
    """A term in N-Triples (RDF 1.2): Oxigraph's ``str()``, which leaves out the ``<<( )>>`` around a
    triple term itself (not around one nested in it)."""
    return f"<<( {term} )>>" if isinstance(term, ox.Triple) else str(term)


def brief_term(term: Term, limit: int = 200) -> str:
    """:func:`term_text` for a message, cut after ``limit`` characters (a literal may hold megabytes)."""
    text = term_text(term)
    return text if len(text) <= limit else text[:limit] + "…"


def _tsv_term(term: Term | None) -> str:
    return "" if term is None else term_text(term)  # the N-Triples/Turtle form TSV asks for


def _formatted(rows: Iterable[Row], write) -> Iterable[list[str | None]]:
    """Each row's cells as ``write(term)`` (None where unbound), each distinct term written once."""
    memo: dict = {}
    for row in rows:
        cells: list[str | None] = []
        for term in row:
            if term is None:
                cells.append(None)
                continue
            text = memo.get(term)
            if text is None:
                text = memo[term] = write(term)
            cells.append(text)
        yield cells


def serialize_select(variables: Sequence[str], rows: Iterable[Row], fmt: str, *, truncated: bool = False) -> bytes:
    """Serialize solutions; ``truncated`` adds a ``kgraph:truncated`` link/comment where the format allows.

    Each distinct term is written once (a memo keyed by the Oxigraph term): the same states, labels and
    documents recur on many rows, and reading a term's parts from Oxigraph costs more than looking it up.
    The bytes are those of the straightforward writer (:func:`_serialize_select_plain`, kept for the tests).
    """
    if fmt == "json":
        keys = [json.dumps(v, ensure_ascii=False) + ": " for v in variables]
        bindings = ["{" + ", ".join(k + c for k, c in zip(keys, cells) if c is not None) + "}"
                    for cells in _formatted(rows, _json_text)]
        head: dict = {"vars": list(variables)}
        if truncated:
            head["link"] = ["urn:kgraph:truncated"]
        return ('{"head": ' + json.dumps(head, ensure_ascii=False) + ', "results": {"bindings": ['
                + ", ".join(bindings) + "]}}").encode("utf-8")
    if fmt == "xml":
        names = [f"<binding name={quoteattr(v)}>" for v in variables]
        out = _xml_head(variables, truncated)
        out += ["<result>" + "".join(n + c + "</binding>" for n, c in zip(names, cells) if c is not None)
                + "</result>" for cells in _formatted(rows, _xml_term)]
        out.append("</results>\n</sparql>\n")
        return xml_checked("\n".join(out).encode("utf-8"))
    if fmt == "csv":
        buf, writer = _csv_writer(variables)
        writer.writerows(["" if c is None else c for c in cells] for cells in _formatted(rows, _csv_value))
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if c is None else c for c in cells) for cells in _formatted(rows, _tsv_term)]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown SELECT result format {fmt!r}")


def _xml_head(variables: Sequence[str], truncated: bool) -> list[str]:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    if truncated:
        out.append('<link href="urn:kgraph:truncated"/>')
    out.append("</head>\n<results>")
    return out


def _csv_writer(variables: Sequence[str]):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    return buf, writer


def _csv_value(term: Term) -> str:
    if isinstance(term, ox.Triple):                 # as Oxigraph's writer: the three values
        return " ".join(_csv_value(getattr(term, part)) for part in _PARTS)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value                    # SPARQL 1.1 CSV: "the _:label form from Turtle"
    return term.value


def _serialize_select_plain(variables: Sequence[str], rows: Iterable[Row], fmt: str, *, truncated: bool = False) -> bytes:
    """The reference writer, one term at a time: :func:`serialize_select` must give the same bytes."""
    rows = list(rows)
    if fmt == "json":
        head = {"vars": list(variables)}
        if truncated:
            head["link"] = ["urn:kgraph:truncated"]
        doc = {"head": head,
               "results": {"bindings": [{v: json_term(t) for v, t in zip(variables, row) if t is not None}
                                        for row in rows]}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = _xml_head(variables, truncated)
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row) if t is not None) + "</result>")
        out.append("</results>\n</sparql>\n")
        return xml_checked("\n".join(out).encode("utf-8"))
    if fmt == "csv":
        buf, writer = _csv_writer(variables)
        for row in rows:
            writer.writerow(["" if t is None else _csv_value(t) for t in row])
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown SELECT result format {fmt!r}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return f"_askResult\n{'true' if value else 'false'}\n".encode()
    raise ValueError(f"unknown ASK result format {fmt!r}")


def serialize_triples(triples: Iterable[ox.Triple], media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
    fmt = GRAPH_TYPES[media_type]
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        fmt = ox.RdfFormat.N_TRIPLES if fmt == ox.RdfFormat.N_QUADS else ox.RdfFormat.TURTLE
    data = ox.serialize(list(triples), format=fmt,
                        prefixes=prefixes if prefixes and fmt != ox.RdfFormat.N_TRIPLES else None) or b""
    if fmt == ox.RdfFormat.RDF_XML:
        # Oxigraph writes a literal's CR raw, which every XML parser reads as a line feed (see _xml_text).
        # Its writer puts no CR anywhere else, and a character reference is kept in attributes too.
        return xml_checked(data.replace(b"\r", b"&#13;"))
    return data


def xml_checked(data: bytes) -> bytes:
    """``data`` if it is XML 1.0 can carry it; else a clear 406 instead of a document no parser reads.

    A literal may hold a control character (SPARQL Update, JSON and N-Triples allow ``\\u0001``), but
    XML 1.0 has no way to write one, escaped or not; the other formats do, so the client is told to ask
    for one of them rather than be sent a well-formedness error.
    """
    bad = _NOT_XML.search(data)
    if bad is None:
        return data
    char = bad.group().decode("utf-8", "replace")
    raise NotRepresentable(f"the answer holds the character U+{ord(char):04X}, which XML 1.0 cannot represent; "
                           "ask for JSON, CSV, TSV, Turtle or N-Triples instead")
