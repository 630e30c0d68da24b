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
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

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
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Row = Sequence[ox.NamedNode | ox.BlankNode | ox.Literal | None]


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _tsv_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    return str(term)  # Oxigraph's str() is the N-Triples/Turtle form TSV asks for


def serialize_select(variables: Sequence[str], rows: Iterable[Row], fmt: str, *, truncated: bool = False) -> bytes:
    """Serialize solutions; ``truncated`` adds a ``kgraph:truncated`` link/comment where the format allows."""
    rows = list(rows)
    if fmt == "json":
        doc = {"head": {"vars": list(variables)},
               "results": {"bindings": [{v: _json_term(t) for v, t in zip(variables, row) if t is not None}
                                        for row in rows]}}
        if truncated:
            doc["head"]["link"] = ["urn:kgraph:truncated"]
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        if truncated:
            out.append('<link href="urn:kgraph:truncated"/>')
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row) if t is not None) + "</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else t.value for t in row])
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
    kwargs = {"prefixes": prefixes} if prefixes and fmt != ox.RdfFormat.N_TRIPLES else {}
    return ox.serialize(list(triples), format=fmt, **kwargs) or b""
