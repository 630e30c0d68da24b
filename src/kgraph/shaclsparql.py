"""SHACL shapes compiled: to SPARQL for the whole store, to Python checks for one document.

pySHACL validates an in-memory rdflib graph: about a tenth of a second for one
document at ingest, a minute and more for the whole store at a million quads.
This module reads the project's shapes (``shapes/spacecoop.ttl``) once into a
small model (:func:`read_shapes`) and compiles that model two ways:

* :func:`compile_shapes` turns it into SPARQL ``SELECT`` queries (at most two
  per property shape and node shape: the count bounds, and the value
  constraints OR-ed together) run by :func:`validate_store` on the store's
  union default graph, which holds the ontology too, so
  ``rdfs:subClassOf*`` gives SHACL's class semantics;
* :class:`DocumentChecker` turns it into Python closures over dictionary
  indexes of one document graph with the ontology mixed in, which is how
  ingest validates (``kgraph.validate``, engine ``compiled``): it gives one
  result per failing constraint and value node, like pySHACL, and a SHACL
  report graph built from them.

Both give the same :class:`~kgraph.validate.Issue` objects as pySHACL
(``tests/test_shaclsparql.py`` and ``tests/test_validate_engines.py`` check
that they agree).

Supported: targets ``sh:targetClass``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``, ``sh:targetNode``; paths that are an IRI or
``[ sh:inversePath IRI ]``; constraints ``sh:class``, ``sh:datatype``,
``sh:nodeKind``, ``sh:pattern`` (with ``sh:flags`` ``i``/``m``),
``sh:minInclusive``, ``sh:minCount``, ``sh:maxCount``, and ``sh:or`` of
``sh:class``/``sh:datatype``/``sh:nodeKind`` alternatives; ``sh:severity`` and
exactly one ``sh:message`` per property shape (pySHACL's generated messages
are not reproduced). Anything else raises :class:`UnsupportedShape` rather
than being skipped silently. Known differences of the SPARQL compilation only
(the Python checks follow pySHACL in both):

- an ill-typed literal (``"abc"^^xsd:integer``) passes ``sh:datatype`` there,
  as SPARQL's ``DATATYPE()`` does not look at the lexical form;
- a pattern's ``$`` matches only at the end of the string there, as XPath's
  does (what SHACL specifies), where pySHACL's Python ``$`` also matches before
  a final newline: ``"KZ\n"`` breaks ``^[A-Z]{2}$`` in the compiled SPARQL
  and passes pySHACL and the Python checks.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Identifier, Node

from .errors import ConfigError
from .validate import Issue

#: Predicates of a property shape that do not constrain anything.
_ANNOTATIONS = {SH.path, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group, RDF.type,
                RDFS.label, RDFS.comment, SH.deactivated, SH.flags}
_CONSTRAINTS = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.minInclusive, SH.minCount, SH.maxCount, SH["or"]}
_NODE_SHAPE_KEYS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.property, RDF.type,
                    RDFS.label, RDFS.comment, SH.name, SH.description, SH.deactivated}
_OR_MEMBER_CONSTRAINTS = (SH["class"], SH.datatype, SH.nodeKind)
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


# -- the shapes, read once ------------------------------------------------------------------------------------

#: A value constraint: (component parameter, value); an ``sh:or`` value is a tuple of members, each a tuple of
#: such constraints that must all hold.
Constraint = tuple[URIRef, object]


@dataclass(frozen=True)
class PropertySpec:
    """One property shape, read from the shapes graph; both compilations start from it."""

    shape: URIRef
    path: URIRef
    inverse: bool
    #: as the shapes give it: SHACL wants an IRI (``sh:Violation``), pySHACL takes any term and so does this
    severity: Identifier
    message: str
    min_count: int | None
    max_count: int | None
    #: value constraints in a stable order (by parameter IRI, then value)
    constraints: tuple[Constraint, ...]
    flags: str | None

    @property
    def result_path(self) -> str | None:
        """The path as the flattened report gives it: inverse paths have no IRI there."""
        return None if self.inverse else str(self.path)


@dataclass(frozen=True)
class NodeSpec:
    """One active node shape with targets, and the active property shapes it uses."""

    shape: URIRef
    #: targets as the shapes give them; the SPARQL compilation refuses any but IRIs in the first three
    target_classes: tuple[Identifier, ...]
    subjects_of: tuple[Identifier, ...]
    objects_of: tuple[Identifier, ...]
    target_nodes: tuple[Identifier, ...]
    properties: tuple[PropertySpec, ...]


def _require_iri(term: Node) -> URIRef:
    """``term``, once known to be an IRI: rdflib reads every term of the shapes as a ``Node``."""
    if not isinstance(term, URIRef):
        raise UnsupportedShape(f"expected an IRI in the shapes, found {term!r}")
    return term


def _term(term: Node) -> Identifier:
    """``term``, once known to be an RDF term: rdflib's ``Node`` also covers N3 formulas, which SHACL has not."""
    if not isinstance(term, Identifier):
        raise UnsupportedShape(f"expected an RDF term in the shapes, found {term!r}")
    return term


def _iri(term: Node) -> str:
    return f"<{_require_iri(term)}>"


def _literal(term: Node) -> str:
    if isinstance(term, Literal):
        if term.datatype:
            return f"{json.dumps(str(term))}^^<{term.datatype}>"
        return json.dumps(str(term)) + (f"@{term.language}" if term.language else "")
    return _iri(term)


def _read_path(shapes: Graph, path: Node | None) -> tuple[URIRef, bool]:
    """(predicate, inverse?) of an IRI path or ``[ sh:inversePath IRI ]``."""
    if isinstance(path, URIRef):
        return path, False
    inverse = shapes.value(path, SH.inversePath) if path is not None else None
    if isinstance(inverse, URIRef) and len(set(shapes.predicate_objects(path))) == 1:
        return inverse, True
    raise UnsupportedShape(f"only IRI and sh:inversePath paths are supported, not {path!r}")


def _read_or(shapes: Graph, head: Node) -> tuple[tuple[Constraint, ...], ...]:
    members = []
    for member in Collection(shapes, head):
        pairs = sorted(shapes.predicate_objects(member), key=lambda po: (str(po[0]), str(po[1])))
        if not pairs or any(p not in _OR_MEMBER_CONSTRAINTS for p, _o in pairs):
            raise UnsupportedShape(f"sh:or members may only use sh:class, sh:datatype or sh:nodeKind ({member})")
        members.append(tuple(_checked_constraint(p, o) for p, o in pairs))
    return tuple(members)


def _checked_constraint(component: Node, param: Node) -> Constraint:
    """``(component, param)`` once the parameter has the kind the component needs.

    Callers pass only supported components; checking it here is what makes ``component`` a ``URIRef``."""
    if not isinstance(component, URIRef) or component not in _CONSTRAINTS:
        raise UnsupportedShape(f"unsupported constraint {component}")
    if component in (SH["class"], SH.datatype):
        _iri(param)
    elif component == SH.nodeKind and param not in _NODE_KINDS:
        raise UnsupportedShape(f"unknown sh:nodeKind {param}")
    elif component in (SH.minInclusive, SH.pattern) and not isinstance(param, Literal):
        raise UnsupportedShape(f"{component} needs a literal, not {param!r}")
    return component, param


def _count(shapes: Graph, prop: URIRef, bound: URIRef) -> int | None:
    """The ``sh:minCount`` or ``sh:maxCount`` of a property shape, if it has one (an integer literal)."""
    value = shapes.value(prop, bound)
    if value is None:
        return None
    if not isinstance(value, Literal):
        raise UnsupportedShape(f"{prop}: {bound} needs an integer literal, not {value!r}")
    return int(value)


def _read_property(shapes: Graph, prop: Node) -> PropertySpec | None:
    unknown = {p for p in shapes.predicates(prop) if p not in _ANNOTATIONS | _CONSTRAINTS}
    if unknown:
        raise UnsupportedShape(f"{prop} uses unsupported SHACL features: {', '.join(sorted(map(str, unknown)))}")
    if shapes.value(prop, SH.deactivated) == Literal(True):
        return None
    if not isinstance(prop, URIRef):
        raise UnsupportedShape(f"anonymous property shapes are not supported ({prop!r})")
    messages = list(shapes.objects(prop, SH.message))
    if len(messages) != 1:
        raise UnsupportedShape(f"{prop} needs exactly one sh:message (pySHACL's generated messages are not "
                               f"reproduced), it has {len(messages)}")
    flags = shapes.value(prop, SH.flags)
    if flags is not None and set(str(flags)) - {"i", "m"}:
        raise UnsupportedShape(f"{prop}: only the sh:flags i and m are supported, not {str(flags)!r}")
    path, inverse = _read_path(shapes, shapes.value(prop, SH.path))
    constraints: list[Constraint] = []
    for component, param in sorted(shapes.predicate_objects(prop), key=lambda po: (str(po[0]), str(po[1]))):
        if component in (SH.minCount, SH.maxCount) or component not in _CONSTRAINTS:
            continue
        constraints.append((SH["or"], _read_or(shapes, param)) if component == SH["or"]
                           else _checked_constraint(component, param))
    return PropertySpec(shape=prop, path=path, inverse=inverse,
                        severity=_term(shapes.value(prop, SH.severity) or SH.Violation),
                        message=str(messages[0]), min_count=_count(shapes, prop, SH.minCount),
                        max_count=_count(shapes, prop, SH.maxCount), constraints=tuple(constraints),
                        flags=None if flags is None else str(flags))


def _sorted_objects(shapes: Graph, subject: URIRef, predicate: URIRef) -> tuple[Identifier, ...]:
    """The objects of ``subject predicate`` in rdflib's term order, so the compiled queries are stable."""
    return tuple(sorted(_term(term) for term in shapes.objects(subject, predicate)))


def read_shapes(shapes: Graph) -> tuple[NodeSpec, ...]:
    """Every active node shape with a target, in IRI order; unsupported features raise."""
    specs = []
    for node_shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if isinstance(node_shape, BNode):
            raise UnsupportedShape("anonymous node shapes are not supported")
        node_shape = _require_iri(node_shape)
        unknown = {p for p in shapes.predicates(node_shape) if p not in _NODE_SHAPE_KEYS}
        if unknown:
            raise UnsupportedShape(f"{node_shape} uses unsupported SHACL features: "
                                   f"{', '.join(sorted(map(str, unknown)))}")
        if {RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")} & set(shapes.objects(node_shape, RDF.type)):
            raise UnsupportedShape(f"{node_shape} is also a class (implicit class targets are not supported)")
        classes, subjects_of, objects_of, nodes = (
            _sorted_objects(shapes, node_shape, key)
            for key in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode))
        if not (classes or subjects_of or objects_of or nodes) or shapes.value(node_shape, SH.deactivated) == Literal(True):
            continue  # no focus nodes: pySHACL does not evaluate it either
        properties = (_read_property(shapes, prop) for prop in sorted(shapes.objects(node_shape, SH.property), key=str))
        specs.append(NodeSpec(node_shape, classes, subjects_of, objects_of, nodes,
                              properties=tuple(p for p in properties if p)))
    return tuple(specs)


# -- SPARQL, for the whole store ------------------------------------------------------------------------------

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
            out.append(Issue(severity=self.severity, focus=focus, path=self.path,
                             value=value.n3() if value is not None else None, message=self.message,
                             shape=self.shape))
        return out


def _targets(node: NodeSpec) -> str:
    """A group pattern binding ?focus to the shape's focus nodes."""
    parts = [f"{{ ?focus {_SUBCLASS} {_iri(c)} }}" for c in node.target_classes]
    # subjects (objects) of a property recur once per statement: those targets are made distinct first
    parts += [f"{{ SELECT DISTINCT ?focus WHERE {{ ?focus {_iri(p)} ?_t }} }}" for p in node.subjects_of]
    parts += [f"{{ SELECT DISTINCT ?focus WHERE {{ ?_t {_iri(p)} ?focus }} }}" for p in node.objects_of]
    if node.target_nodes:
        parts.append("{ VALUES ?focus { " + " ".join(_literal(n) for n in node.target_nodes) + " } }")
    # A node that is the instance of two target classes only repeats rows that DISTINCT or COUNT(DISTINCT) fold.
    return parts[0] if len(parts) == 1 else "{ " + " UNION ".join(parts) + " }"


def _sparql_test(component: URIRef, param) -> str:
    """A SPARQL expression, true when ?value satisfies the constraint."""
    if component == SH["class"]:
        return f"EXISTS {{ ?value {_SUBCLASS} {_iri(param)} }}"
    if component == SH.datatype:
        return f"(isLiteral(?value) && DATATYPE(?value) = {_iri(param)})"
    if component == SH.nodeKind:
        return _NODE_KINDS[param]
    if component == SH.minInclusive:
        return f"COALESCE(?value >= {_literal(param)}, false)"
    if component == SH["or"]:
        alternatives = ["(" + " && ".join(_sparql_test(c, p) for c, p in member) + ")" for member in param]
        return "(" + " || ".join(alternatives) + ")"
    raise UnsupportedShape(f"unsupported constraint {component}")


def _property_checks(node: NodeSpec, prop: PropertySpec, targets: str) -> list[Check]:
    path_expr = f"^{_iri(prop.path)}" if prop.inverse else _iri(prop.path)

    def check(component: str, sparql: str) -> Check:
        return Check(shape=str(prop.shape), node_shape=str(node.shape), component=component,
                     severity=prop.severity.rsplit("#", 1)[-1], path=prop.result_path, message=prop.message,
                     sparql=sparql)

    # One query for the count bounds and one for the value constraints: a focus node (or value) that breaks
    # several of them gives the same Issue each time, so OR-ing the conditions loses nothing.
    checks = []
    low, high = prop.min_count, prop.max_count
    bounds = ([f"?n < {low}"] if low is not None else []) + ([f"?n > {high}"] if high is not None else [])
    if bounds:
        optional = f"OPTIONAL {{ ?focus {path_expr} ?value }}" if low is not None else f"?focus {path_expr} ?value"
        sparql = (f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {targets} "
                  f"{optional} }} GROUP BY ?focus }} FILTER({' || '.join(bounds)}) }}")
        checks.append(check("count", sparql))
    broken = []
    for component, param in prop.constraints:
        if component == SH.pattern:
            flags = prop.flags
            regex = f"REGEX(STR(?value), {json.dumps(str(param))}{', ' + json.dumps(flags) if flags else ''})"
            broken.append(f"isBlank(?value) || !{regex}")
        else:
            broken.append(f"!{_sparql_test(component, param)}")
    if broken:
        condition = " || ".join(f"({b})" for b in broken)
        sparql = f"SELECT DISTINCT ?focus ?value WHERE {{ {targets} ?focus {path_expr} ?value FILTER({condition}) }}"
        checks.append(check("values", sparql))
    return checks


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every node shape with a target, as SPARQL."""
    checks: list[Check] = []
    for node in read_shapes(shapes):
        targets = _targets(node)
        for prop in node.properties:
            checks += _property_checks(node, prop, targets)
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
    ordered = sorted(issues, key=Issue.order)
    return not any(i.severity == "Violation" for i in ordered), ordered


# -- Python, for one document ---------------------------------------------------------------------------------

class _Index:
    """Dictionary indexes of a set of triples: out-edges, in-edges and (subject, object) pairs per predicate."""

    __slots__ = ("out", "into", "pairs")

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        out: dict[Node, dict[Node, set[Node]]] = {}
        into: dict[Node, dict[Node, set[Node]]] = {}
        pairs: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p, o in triples:
            out.setdefault(s, {}).setdefault(p, set()).add(o)
            into.setdefault(o, {}).setdefault(p, set()).add(s)
            pairs.setdefault(p, []).append((s, o))
        self.out, self.into, self.pairs = out, into, pairs


_EMPTY: frozenset[Node] = frozenset()
#: rdflib namespaces make a new term on each attribute access; the hot loops below use this one.
_TYPE = RDF.type


def _step(edges: dict[Node, dict[Node, set[Node]]], node: Node, predicate: Node) -> AbstractSet[Node]:
    by_p = edges.get(node)
    return by_p.get(predicate, _EMPTY) if by_p else _EMPTY


class _View:
    """One document's triples with the ontology's: what pySHACL validates once the ontology is mixed in."""

    __slots__ = ("doc", "base", "supers")

    def __init__(self, doc: _Index, base: _Index, supers: dict[Node, frozenset[Node]]) -> None:
        self.doc, self.base, self.supers = doc, base, supers

    def objects(self, node: Node, predicate: Node) -> AbstractSet[Node]:
        mine, theirs = _step(self.doc.out, node, predicate), _step(self.base.out, node, predicate)
        return mine | theirs if mine and theirs else mine or theirs

    def subjects(self, node: Node, predicate: Node) -> AbstractSet[Node]:
        mine, theirs = _step(self.doc.into, node, predicate), _step(self.base.into, node, predicate)
        return mine | theirs if mine and theirs else mine or theirs

    def instance_of(self, node: Node, cls: Node) -> bool:
        """``node rdf:type/rdfs:subClassOf* cls``, as pySHACL's sh:class evaluates it."""
        supers = self.supers
        return any(t == cls or cls in supers.get(t, _EMPTY) for t in self.objects(node, _TYPE))


def _superclasses(edges: Iterable[tuple[Node, Node]]) -> dict[Node, frozenset[Node]]:
    """Each class to all its superclasses along rdfs:subClassOf (itself included)."""
    direct: dict[Node, set[Node]] = {}
    for sub, sup in edges:
        direct.setdefault(sub, set()).add(sup)
    closure: dict[Node, frozenset[Node]] = {}
    for start in direct:
        seen, todo = {start}, [start]
        while todo:
            for sup in direct.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        closure[start] = frozenset(seen)
    return closure


_XSD_STRING, _LANGSTRING = XSD.string, RDF.langString
#: pySHACL checks the Python value of these datatypes; other datatypes only need the same IRI and no ill-typing.
_VALUE_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    _XSD_STRING: (str, bytes), _LANGSTRING: (str, bytes), XSD.integer: int, XSD.float: float,
    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time,
    XSD.dateTime: datetime.datetime}


def _datatype_ok(value: Node, datatype: URIRef) -> bool:
    """pySHACL's sh:datatype: same datatype IRI (plain strings are xsd:string) and a well-typed value."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if value.ill_typed is True:
            return False
    elif datatype == RDFS.Literal:
        return True
    elif datatype == RDFS.Datatype and value.datatype:
        return True
    elif not ((value.datatype is None and value.language is None and datatype == _XSD_STRING)
              or (datatype == _LANGSTRING and value.language)):
        return False
    wanted = _VALUE_TYPES.get(datatype)
    return wanted is None or isinstance(value.value, wanted)


def _pattern_string(value: Node) -> str:
    """The string pySHACL matches a pattern against: the lexical value of strings, else the term's text."""
    if isinstance(value, Literal) and value.value is not None and value.datatype in (None, _LANGSTRING, _XSD_STRING):
        return str(value.value)
    return str(value)


def _at_least(value: Node, bound: Literal) -> bool:
    """pySHACL's sh:minInclusive: comparable literals only (strings with strings), value >= bound."""
    if not isinstance(value, Literal) or isinstance(value.value, str) != isinstance(bound.value, str):
        return False
    try:
        if value.eq(bound):
            return True
        if type(value.value) in (datetime.datetime, datetime.time):
            return value.value >= bound.value
        return value > bound
    except (TypeError, NotImplementedError):
        return False


ValueTest = Callable[[_View, Node], bool]
_KIND_TESTS: dict[URIRef, tuple[type, ...]] = {
    SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,), SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal)}
_COMPONENTS = {SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
               SH.nodeKind: SH.NodeKindConstraintComponent, SH.pattern: SH.PatternConstraintComponent,
               SH.minInclusive: SH.MinInclusiveConstraintComponent, SH["or"]: SH.OrConstraintComponent}


def _python_test(component: URIRef, param, flags: str | None) -> ValueTest:
    """A function of (view, value node), true when the value node satisfies the constraint."""
    if component == SH["class"]:
        return lambda view, v: not isinstance(v, Literal) and view.instance_of(v, param)
    if component == SH.datatype:
        return lambda _view, v: _datatype_ok(v, param)
    if component == SH.nodeKind:
        kinds = _KIND_TESTS[param]
        return lambda _view, v: isinstance(v, kinds)
    if component == SH.pattern:
        regex = re.compile(str(param), (re.I if "i" in (flags or "") else 0) | (re.M if "m" in (flags or "") else 0))
        return lambda _view, v: not isinstance(v, BNode) and regex.search(_pattern_string(v)) is not None
    if component == SH.minInclusive:
        return lambda _view, v: _at_least(v, param)
    if component == SH["or"]:
        members = [[_python_test(c, p, None) for c, p in member] for member in param]
        return lambda view, v: any(all(test(view, v) for test in member) for member in members)
    raise UnsupportedShape(f"unsupported constraint {component}")


class Result(NamedTuple):
    """One validation result in RDF terms, as pySHACL would report it."""

    severity: Identifier
    focus: Node
    prop: PropertySpec
    value: Node | None
    component: URIRef

    def issue(self) -> Issue:
        return Issue(severity=self.severity.rsplit("#", 1)[-1], focus=cast(Identifier, self.focus),
                     path=self.prop.result_path, value=self.value.n3() if self.value is not None else None, message=self.prop.message,
                     shape=str(self.prop.shape))


class _CompiledProperty:
    """A property shape's constraints as Python tests, evaluated on one focus node at a time."""

    def __init__(self, prop: PropertySpec) -> None:
        self.prop = prop
        self.tests = [(_COMPONENTS[c], _python_test(c, p, prop.flags)) for c, p in prop.constraints]

    def results(self, view: _View, focus: Node) -> Iterable[Result]:
        prop = self.prop
        values = view.subjects(focus, prop.path) if prop.inverse else view.objects(focus, prop.path)
        if prop.min_count is not None and len(values) < prop.min_count:
            yield Result(prop.severity, focus, prop, None, SH.MinCountConstraintComponent)
        if prop.max_count is not None and len(values) > prop.max_count:
            yield Result(prop.severity, focus, prop, None, SH.MaxCountConstraintComponent)
        for component, test in self.tests:
            for value in values:
                if not test(view, value):
                    yield Result(prop.severity, focus, prop, value, component)


class DocumentChecker:
    """The shapes compiled to Python, for validating one document graph with the ontology mixed in.

    The ontology is indexed once; each document is indexed on its own and the
    two are read together, which is what pySHACL's ``ont_graph`` does by
    copying. The focus nodes the ontology alone contributes are computed once
    too, unless a document adds ``rdfs:subClassOf`` statements of its own.
    """

    def __init__(self, shapes: Graph, ontology: Graph) -> None:
        self.nodes = read_shapes(shapes)
        self.properties = {node.shape: [_CompiledProperty(p) for p in node.properties] for node in self.nodes}
        self.base = _Index(ontology)
        self.supers = _superclasses(self.base.pairs.get(RDFS.subClassOf, ()))
        self.base_focus = {node.shape: self._focus(node, self.base, self.supers) for node in self.nodes}

    @staticmethod
    def _focus(node: NodeSpec, index: _Index, supers: dict[Node, frozenset[Node]]) -> set[Node]:
        """The focus nodes ``index`` contributes to a node shape (targets as pySHACL finds them)."""
        found: set[Node] = set(node.target_nodes)
        if node.target_classes:
            targets = set(node.target_classes)
            found.update(s for s, t in index.pairs.get(_TYPE, ())
                         if t in targets or not targets.isdisjoint(supers.get(t, _EMPTY)))
        for predicate in node.subjects_of:
            found.update(s for s, _o in index.pairs.get(predicate, ()))
        for predicate in node.objects_of:
            found.update(o for _s, o in index.pairs.get(predicate, ()))
        return found

    def results(self, data: Iterable[tuple[Node, Node, Node]]) -> list[Result]:
        """Every result of the shapes on ``data`` plus the ontology, one per failing constraint and value.

        ``data`` is a Graph or any iterable of triples: ingest passes the document's triples as the
        list it built, and only iterating them is needed.
        """
        doc = _Index(data)
        own_classes = doc.pairs.get(RDFS.subClassOf)
        supers = _superclasses([*self.base.pairs.get(RDFS.subClassOf, ()), *own_classes]) if own_classes \
            else self.supers
        view = _View(doc, self.base, supers)
        out: list[Result] = []
        for node in self.nodes:
            focus = self._focus(node, doc, supers)
            focus |= self._focus(node, self.base, supers) if own_classes else self.base_focus[node.shape]
            for compiled in self.properties[node.shape]:
                for f in focus:
                    out.extend(compiled.results(view, f))
        return out

    def check(self, data: Iterable[tuple[Node, Node, Node]]) -> tuple[list[Issue], Graph]:
        """Flattened issues (in :meth:`Issue.order`) and the SHACL report graph, like ``run_shacl``."""
        results = self.results(data)
        return sorted((r.issue() for r in results), key=Issue.order), report_graph(results)


def report_graph(results: list[Result]) -> Graph:
    """A ``sh:ValidationReport`` with one ``sh:result`` per result (warnings do not break conformance)."""
    g = Graph()  # no prefixes: binding one first binds rdflib's default set (about thirty), per document
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not any(r.severity == SH.Violation for r in results))))
    for r in results:
        node = BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.resultSeverity, r.severity))
        g.add((node, SH.focusNode, r.focus))
        if r.prop.inverse:
            path = BNode()
            g.add((path, SH.inversePath, r.prop.path))
            g.add((node, SH.resultPath, path))
        else:
            g.add((node, SH.resultPath, r.prop.path))
        if r.value is not None:
            g.add((node, SH.value, r.value))
        g.add((node, SH.resultMessage, Literal(r.prop.message)))
        g.add((node, SH.sourceShape, r.prop.shape))
        g.add((node, SH.sourceConstraintComponent, r.component))
    return g


@lru_cache(maxsize=4)
def document_checker(shapes: Graph, ontology: Graph) -> DocumentChecker:
    """One compiled checker per (shapes, ontology) pair; both graphs are treated as read-only once loaded."""
    return DocumentChecker(shapes, ontology)


__all__ = ["Check", "DocumentChecker", "NodeSpec", "PropertySpec", "Result", "UnsupportedShape", "compile_shapes",
           "document_checker", "read_shapes", "report_graph", "validate_store"]
