"""SHACL validation: per document at ingest, and over the whole graph.

At ingest only the new document's graph is validated (with the ontology mixed
in for the class hierarchy): each document graph is self-contained, so this is
exact and fast, unlike re-validating the whole store. Statements behind a
``sh:Violation`` are split off into a rejected graph that is quarantined with
its report, never served and never silently dropped; warnings are kept and
reported.

Two engines give the same issues (``tests/test_validate_engines.py``):
``compiled`` (the default at ingest), the shapes compiled once to Python
checks (:class:`kgraph.shaclsparql.DocumentChecker`, some seventy times
faster on a document), and ``pyshacl``, the reference, which also validates the
whole graph for ``kgraph validate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Identifier, Node

from .errors import ConfigError
from .namespaces import PREFIXES, RDF, SC
from .rdfgraph import Triple

if TYPE_CHECKING:
    from .store.base import NTriples

#: The per-document validation engines; see the module docstring.
ENGINES = ("compiled", "pyshacl")


@dataclass(frozen=True)
class Issue:
    """One SHACL result, flattened for reports, the API and the CLI."""

    severity: str
    focus: Identifier  # the node itself, IRI or blank node, so that the statements about it can be found
    path: str | None
    value: str | None
    message: str
    shape: str | None

    def line(self) -> str:
        where = f" {self.path.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}" if self.path else ""
        # not n3() for an IRI: rdflib raises on one it finds invalid, which a lax remote store may hold
        node = f"<{self.focus}>" if isinstance(self.focus, URIRef) else self.focus.n3()
        return f"{self.severity}: {node}{where}: {self.message}"

    def order(self) -> tuple[str, str, str, str, str, str]:
        """The order reports list issues in: by severity, focus node, path and message, then the rest."""
        return self.severity, str(self.focus), self.path or "", self.message, self.value or "", self.shape or ""


@dataclass
class Outcome:
    """What validation made of one graph.

    ``accepted`` is what was validated, as given (a Graph, or the list of
    triples ingest builds), when nothing is rejected; else a Graph without the
    rejected statements. Ingest replaces it with its N-Triples text as it
    prepares the document (:class:`kgraph.store.base.NTriples`), in the worker
    when there are workers.
    """

    accepted: Graph | list[Triple] | NTriples
    rejected: Graph = field(default_factory=Graph)
    violations: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    report: Graph = field(default_factory=Graph)

    @property
    def conforms(self) -> bool:
        return not self.violations


@lru_cache(maxsize=8)
def _load(path: Path) -> Graph:
    if not path.is_file():
        raise ConfigError(f"missing file {path}")
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many kinds; a file that will not parse is a setting's fault
        raise ConfigError(f"{path} is not readable Turtle: {exc}") from None
    return g


def load_shapes(path: Path) -> Graph:
    return _load(Path(path).resolve())


def load_ontology(path: Path) -> Graph:
    return _load(Path(path).resolve())


def _issues(report: Graph) -> list[Issue]:
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        def one(p: URIRef, result: Node = result) -> Node | None:
            return next(iter(report.objects(result, p)), None)

        severity = one(SH.resultSeverity)
        focus = one(SH.focusNode)
        path = one(SH.resultPath)
        value = one(SH.value)
        out.append(Issue(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=focus if isinstance(focus, Identifier) else URIRef(""),  # SHACL requires one; pySHACL gives it
            path=str(path) if isinstance(path, URIRef) else None,
            value=value.n3() if value is not None else None,
            message=str(one(SH.resultMessage) or "does not conform"),
            shape=str(one(SH.sourceShape)) if one(SH.sourceShape) is not None else None,
        ))
    return sorted(out, key=Issue.order)


def run_shacl(data: Graph, shapes: Graph, ontology: Graph) -> tuple[list[Issue], Graph]:
    """pySHACL over ``data`` with the ontology mixed in; returns flattened results and the report."""
    from pyshacl import validate as shacl_validate  # the reference engine: imported only when used

    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none",
        abort_on_first=False, allow_warnings=True, advanced=True, meta_shacl=False)
    return _issues(report), report


def _split_off(accepted: Graph, rejected: Graph, issue: Issue) -> None:
    """Move the statements an issue is about from ``accepted`` to ``rejected``, with their attestations.

    The attestations are found before anything moves: one of them may itself be among the moved triples
    (its ``rdf:object`` is the rejected node), and moved first, it no longer matched its statement, stayed
    half in ``accepted`` and was reported as a violation the data did not have."""
    focus = issue.focus
    if issue.path and issue.value is not None:
        path = URIRef(issue.path)
        moved = [t for t in accepted.triples((focus, path, None)) if t[2].n3() == issue.value]
    else:
        moved = []
    if not moved:
        # A node-level problem (missing label, too few parties): the node itself is not served.
        moved = list(accepted.triples((focus, None, None))) + list(accepted.triples((None, None, focus)))
    attestations = {att for s, p, o in moved for att in accepted.subjects(RDF.subject, s)
                    if (att, RDF.predicate, p) in accepted and (att, RDF.object, o) in accepted}
    for att in attestations:
        moved += accepted.triples((att, None, None))
    for triple in moved:
        if triple in accepted:
            accepted.remove(triple)
            rejected.add(triple)


def check_document(data: Graph | list[Triple], shapes: Graph, ontology: Graph, engine: str = "compiled"
                   ) -> tuple[list[Issue], Graph]:
    """One validation pass of ``data`` (ontology mixed in) with an engine: sorted issues and the SHACL report."""
    prepare_engine(engine, shapes, ontology)
    if engine == "pyshacl":
        return run_shacl(data if isinstance(data, Graph) else _copy(data), shapes, ontology)
    from .shaclsparql import document_checker  # it imports this module, so it is imported late

    return document_checker(shapes, ontology).check(data)


def prepare_engine(engine: str, shapes: Graph, ontology: Graph) -> None:
    """Check the engine name and compile the shapes now, so that unsupported shapes stop an ingest at its start
    instead of failing every article."""
    if engine not in ENGINES:
        raise ConfigError(f"unknown validation engine {engine!r} (one of: {', '.join(ENGINES)})")
    if engine == "compiled":
        from .shaclsparql import document_checker

        document_checker(shapes, ontology)


def _copy(triples: Graph | list[Triple]) -> Graph:
    copy = Graph()
    for prefix, ns in triples.namespaces() if isinstance(triples, Graph) else PREFIXES.items():
        copy.bind(prefix, ns)
    for t in triples:
        copy.add(t)
    return copy


def validate_document(graph: Graph | list[Triple], shapes: Graph, ontology: Graph, *, max_rounds: int = 5,
                      engine: str = "compiled") -> Outcome:
    """Validate one document graph; violating statements are moved to ``rejected``.

    ``graph`` (an rdflib Graph or a list of triples, see
    :func:`kgraph.rdfgraph.document_triples`) is never changed: when nothing is
    rejected it is ``accepted`` itself (most documents, so no copy is made), else
    ``accepted`` is a Graph copy without the rejected statements. The report is
    the first round's.
    """
    outcome = Outcome(accepted=graph)
    copy: Graph | None = None  # ``accepted`` once the first violation is split off
    for round_ in range(max_rounds):
        issues, report = check_document(graph if copy is None else copy, shapes, ontology, engine)
        violations = [i for i in issues if i.severity == "Violation"]
        if round_ == 0:
            outcome.report = report
        if not violations:
            outcome.warnings = [i for i in issues if i.severity != "Violation"]
            return outcome
        outcome.violations.extend(violations)
        if copy is None:
            outcome.accepted = copy = _copy(graph)
        for issue in violations:
            _split_off(copy, outcome.rejected, issue)
    raise ConfigError("validation did not converge: shapes reject the remainder of a document repeatedly")


def validate_graph(graph: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, list[Issue], Graph]:
    """Whole-graph validation: ``(conforms, issues, report graph)``; warnings do not break conformance."""
    issues, report = run_shacl(graph, shapes, ontology)
    return not any(i.severity == "Violation" for i in issues), issues, report


__all__ = ["ENGINES", "Issue", "Outcome", "check_document", "load_ontology", "load_shapes", "prepare_engine",
           "validate_document", "validate_graph", "SC"]
