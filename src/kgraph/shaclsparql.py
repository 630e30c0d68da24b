"""SHACL shapes compiled to SPARQL, for validating the whole store where pySHACL is too slow.

pySHACL validates an in-memory rdflib graph: fine for one document at ingest,
a minute and more for the whole store at a million quads. This module turns the
project's shapes (``shapes/spacecoop.ttl``) into SPARQL ``SELECT`` queries
(at most two per property shape and node shape: the count bounds, and the
value constraints OR-ed together) and runs them on the store's union default
graph, which holds the ontology too, so ``rdfs:subClassOf*`` gives SHACL's
class semantics. The
report is the same list of :class:`~kgraph.validate.Issue` as
:func:`kgraph.validate.validate_graph` gives (``tests/test_shaclsparql.py``
checks that they agree).

Supported: targets ``sh:targetClass``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``, ``sh:targetNode``; paths that are an IRI or
``[ sh:inversePath IRI ]``; constraints ``sh:class``, ``sh:datatype``,
``sh:nodeKind``, ``sh:pattern`` (with ``sh:flags``), ``sh:minInclusive``,
``sh:minCount``, ``sh:maxCount``, and ``sh:or`` of ``sh:class``/``sh:datatype``
alternatives; ``sh:severity`` and ``sh:message``. Anything else raises
:class:`UnsupportedShape` rather than being skipped silently. Known
difference: an ill-typed literal (``"abc"^^xsd:integer``) passes
``sh:datatype`` here, as SPARQL's ``DATATYPE()`` does not look at the lexical form.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Identifier

from .errors import ConfigError
from .validate import Issue

#: Predicates of a property shape that do not constrain anything.
_ANNOTATIONS = {SH.path, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group, RDF.type,
                RDFS.label, RDFS.comment, SH.deactivated, SH.flags}
_CONSTRAINTS = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.minInclusive, SH.minCount, SH.maxCount, SH["or"]}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isIRI(?value) || isBlank(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
_SUBCLASS = f"a/<{RDFS.subClassOf}>*"


class UnsupportedShape(ConfigError):
    """The shapes use a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """Constraints of one property shape for one node shape, compiled: a SPARQL query whose rows are the
    offending focus nodes (``count``: sh:minCount/sh:maxCount) or (focus, value) pairs (``values``)."""

    shape: str
    node_shape: str
    component: str
    severity: str
    path: str | None
    message: str
    sparql: str

    def issues(self, rows: Iterable[tuple]) -> list[Issue]:
        out = []
        for row in rows:
            focus, value = row[0], row[1] if len(row) > 1 else None
            out.append(Issue(severity=self.severity, focus=str(focus), path=self.path,
                             value=value.n3() if value is not None else None, message=self.message,
                             shape=self.shape))
        return out


def _iri(term: Identifier) -> str:
    if not isinstance(term, URIRef):
        raise UnsupportedShape(f"expected an IRI in the shapes, found {term!r}")
    return f"<{term}>"


def _literal(term: Identifier) -> str:
    if isinstance(term, Literal):
        if term.datatype:
            return f"{json.dumps(str(term))}^^<{term.datatype}>"
        return json.dumps(str(term)) + (f"@{term.language}" if term.language else "")
    return _iri(term)


def _path(shapes: Graph, path: Identifier) -> tuple[str, str | None]:
    """(SPARQL path, result path IRI or None); inverse paths have no IRI in the report."""
    if isinstance(path, URIRef):
        return _iri(path), str(path)
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef) and len(set(shapes.predicate_objects(path))) == 1:
        return f"^{_iri(inverse)}", None
    raise UnsupportedShape(f"only IRI and sh:inversePath paths are supported, not {path!r}")


def _targets(shapes: Graph, node_shape: Identifier) -> str | None:
    """A group pattern binding ?focus to the shape's focus nodes (None when it has no target)."""
    parts = [f"{{ ?focus {_SUBCLASS} {_iri(c)} }}" for c in sorted(shapes.objects(node_shape, SH.targetClass))]
    # subjects (objects) of a property recur once per statement: those targets are made distinct first
    parts += [f"{{ SELECT DISTINCT ?focus WHERE {{ ?focus {_iri(p)} ?_t }} }}"
              for p in sorted(shapes.objects(node_shape, SH.targetSubjectsOf))]
    parts += [f"{{ SELECT DISTINCT ?focus WHERE {{ ?_t {_iri(p)} ?focus }} }}"
              for p in sorted(shapes.objects(node_shape, SH.targetObjectsOf))]
    nodes = sorted(shapes.objects(node_shape, SH.targetNode))
    if nodes:
        parts.append("{ VALUES ?focus { " + " ".join(_literal(n) for n in nodes) + " } }")
    if not parts:
        return None
    # A node that is the instance of two target classes only repeats rows that DISTINCT or COUNT(DISTINCT) fold.
    return parts[0] if len(parts) == 1 else "{ " + " UNION ".join(parts) + " }"


def _value_test(shapes: Graph, component: URIRef, param: Identifier) -> str:
    """A SPARQL expression, true when ?value satisfies the constraint."""
    if component == SH["class"]:
        return f"EXISTS {{ ?value {_SUBCLASS} {_iri(param)} }}"
    if component == SH.datatype:
        return f"(isLiteral(?value) && DATATYPE(?value) = {_iri(param)})"
    if component == SH.nodeKind:
        if param not in _NODE_KINDS:
            raise UnsupportedShape(f"unknown sh:nodeKind {param}")
        return _NODE_KINDS[param]
    if component == SH.minInclusive:
        return f"COALESCE(?value >= {_literal(param)}, false)"
    if component == SH["or"]:
        alternatives = []
        for member in Collection(shapes, param):
            tests = [_value_test(shapes, p, o) for p, o in shapes.predicate_objects(member)
                     if p in (SH["class"], SH.datatype, SH.nodeKind)]
            if len(tests) != len(set(shapes.predicate_objects(member))) or not tests:
                raise UnsupportedShape(f"sh:or members may only use sh:class, sh:datatype or sh:nodeKind ({member})")
            alternatives.append("(" + " && ".join(tests) + ")")
        return "(" + " || ".join(alternatives) + ")"
    raise UnsupportedShape(f"unsupported constraint {component}")


def _property_checks(shapes: Graph, node_shape: Identifier, prop: Identifier, targets: str) -> list[Check]:
    unknown = {p for p in shapes.predicates(prop) if p not in _ANNOTATIONS | _CONSTRAINTS}
    if unknown:
        raise UnsupportedShape(f"{prop} uses unsupported SHACL features: {', '.join(sorted(map(str, unknown)))}")
    if shapes.value(prop, SH.deactivated) == Literal(True):
        return []
    path_expr, path_iri = _path(shapes, shapes.value(prop, SH.path))
    severity = str(shapes.value(prop, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
    message = str(shapes.value(prop, SH.message) or "does not conform")
    common = dict(shape=str(prop), node_shape=str(node_shape), severity=severity, path=path_iri, message=message)
    # One query for the count bounds and one for the value constraints: a focus node (or value) that breaks
    # several of them gives the same Issue each time, so OR-ing the conditions loses nothing.
    checks = []
    low, high = shapes.value(prop, SH.minCount), shapes.value(prop, SH.maxCount)
    bounds = ([f"?n < {int(low)}"] if low is not None else []) + ([f"?n > {int(high)}"] if high is not None else [])
    if bounds:
        optional = f"OPTIONAL {{ ?focus {path_expr} ?value }}" if low is not None else f"?focus {path_expr} ?value"
        sparql = (f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {targets} "
                  f"{optional} }} GROUP BY ?focus }} FILTER({' || '.join(bounds)}) }}")
        checks.append(Check(component="count", sparql=sparql, **common))
    broken = []
    for component, param in sorted(shapes.predicate_objects(prop), key=lambda po: (str(po[0]), str(po[1]))):
        if component in (SH.minCount, SH.maxCount) or component not in _CONSTRAINTS:
            continue
        if component == SH.pattern:
            flags = shapes.value(prop, SH.flags)
            regex = f"REGEX(STR(?value), {json.dumps(str(param))}{', ' + json.dumps(str(flags)) if flags else ''})"
            broken.append(f"isBlank(?value) || !{regex}")
        else:
            broken.append(f"!{_value_test(shapes, component, param)}")
    if broken:
        condition = " || ".join(f"({b})" for b in broken)
        sparql = f"SELECT DISTINCT ?focus ?value WHERE {{ {targets} ?focus {path_expr} ?value FILTER({condition}) }}"
        checks.append(Check(component="values", sparql=sparql, **common))
    return checks


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every node shape with a target, as SPARQL."""
    checks: list[Check] = []
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    for node_shape in sorted(node_shapes, key=str):
        if isinstance(node_shape, BNode):
            raise UnsupportedShape("anonymous node shapes are not supported")
        unknown = {p for p in shapes.predicates(node_shape)
                   if p not in {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode,
                                SH.property, RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description,
                                SH.deactivated}}
        if unknown:
            raise UnsupportedShape(f"{node_shape} uses unsupported SHACL features: "
                                   f"{', '.join(sorted(map(str, unknown)))}")
        targets = _targets(shapes, node_shape)
        if targets is None or shapes.value(node_shape, SH.deactivated) == Literal(True):
            continue
        for prop in sorted(shapes.objects(node_shape, SH.property), key=str):
            checks += _property_checks(shapes, node_shape, prop, targets)
    return checks


def validate_store(store, shapes: Graph, *, checks: list[Check] | None = None) -> tuple[bool, list[Issue]]:
    """Run the compiled shapes on the store's union default graph: ``(conforms, issues)``.

    Issues are deduplicated (one per focus, path, value and shape, as a set)
    and sorted like :func:`kgraph.validate.validate_graph`'s; warnings do not
    break conformance.
    """
    issues: set[Issue] = set()
    for check in checks if checks is not None else compile_shapes(shapes):
        issues.update(check.issues(store.query(check.sparql).rows))
    ordered = sorted(issues, key=lambda i: (i.severity, i.focus, i.path or "", i.message, i.value or ""))
    return not any(i.severity == "Violation" for i in ordered), ordered


__all__ = ["Check", "UnsupportedShape", "compile_shapes", "validate_store"]
