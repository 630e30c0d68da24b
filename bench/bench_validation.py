"""(b) Validation benchmark: whole-graph pySHACL vs the shapes compiled to SPARQL (kgraph.shaclsparql).

pySHACL gets what ``kgraph validate`` gives it: the union default graph as an
rdflib Graph, with the ontology mixed in. It runs in a forked child under a
time budget. The compiled shapes run on the same store; their report is
compared with pySHACL's as a set of issues.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from common import budgeted, label, log, markdown_table, oxigraph_store


@dataclass
class ValidationFigure:
    size: str
    triples: int
    load_s: float
    pyshacl_s: float | None
    budget_s: float
    compiled_s: float
    checks: int
    issues: int
    agree: bool | None


def run(sizes: list[int], *, budget_s: float) -> list[ValidationFigure]:
    from kgraph.settings import Settings
    from kgraph.shaclsparql import compile_shapes, validate_store
    from kgraph.store.oxigraph import OxigraphStore
    from kgraph.validate import load_ontology, load_shapes, validate_graph

    settings = Settings()
    shapes, ontology = load_shapes(settings.shapes_path), load_ontology(settings.ontology_path)
    figures = []
    for quads in sizes:
        size = label(quads)
        store = OxigraphStore(oxigraph_store(quads), read_only=True)
        log(f"{size}: shapes compiled to SPARQL")
        t0 = time.perf_counter()
        checks = compile_shapes(shapes)
        _conforms, compiled = validate_store(store, shapes, checks=checks)
        compiled_s = time.perf_counter() - t0
        log(f"{size}: union graph into rdflib, then pySHACL (budget {budget_s:g} s)")
        t0 = time.perf_counter()
        graph = store.graph(None)
        load_s = time.perf_counter() - t0
        timed = budgeted(lambda graph=graph: validate_graph(graph, shapes, ontology), budget_s=budget_s, runs=0,
                         post=lambda result: set(result[1]))
        agree = None if timed.result is None else timed.result == set(compiled)
        figures.append(ValidationFigure(size, len(graph), load_s,
                                        None if timed.over_budget else timed.times_ms[0] / 1000, budget_s,
                                        compiled_s, len(checks), len(compiled), agree))
        store.close()
        graph = None
    return figures


def table(figures: list[ValidationFigure]) -> str:
    rows = []
    for f in figures:
        pyshacl = f"> {f.budget_s:g}" if f.pyshacl_s is None else f"{f.pyshacl_s:,.1f}"
        ratio = "–" if f.pyshacl_s is None else f"{f.pyshacl_s / f.compiled_s:,.0f}×"
        rows.append([f.size, f"{f.triples:,}", f"{f.load_s:,.1f}", pyshacl, f"{f.compiled_s:,.2f}", ratio,
                     f.checks, f.issues, {True: "yes", False: "**no**", None: "–"}[f.agree]])
    return markdown_table(["size", "union triples", "graph to rdflib s", "pySHACL s", "compiled SPARQL s",
                           "speed-up", "SPARQL checks", "issues", "same report"], rows)
