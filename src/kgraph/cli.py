"""The ``kgraph`` command: a thin shell over the core functions.

Exit codes are a contract (see README): ``ingest`` 0 all ingested, 1 some
inputs rejected (one line each naming file and line), 2 fatal; ``validate`` 0
conforms, 1 does not, 2 could not run; every other command 0 or the
``exit_code`` of the :class:`~kgraph.errors.KgraphError` it hit.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import ConfigError, KgraphError, QueryError
from .settings import Settings

app = typer.Typer(help="kgraph: a knowledge graph of bilateral space cooperation between states.",
                  no_args_is_help=True, add_completion=False)
err = Console(stderr=True)
out = Console()

StoreOpt = Annotated[Optional[str], typer.Option("--store", "-s", help="Store directory or sparql+http:// URL "
                                                 "[default: $KGRAPH_STORE or ./kgraph-data]")]

EXPORT_FORMATS = {"nquads": "application/n-quads", "trig": "application/trig",
                  "turtle": "text/turtle", "jsonld": "application/ld+json"}


def _settings(store: str | None, **extra) -> Settings:
    """Options given on the command line win over ``KGRAPH_*`` variables; bad values are a ConfigError."""
    from pydantic import ValidationError

    from .errors import ConfigError

    values = {k: v for k, v in {"store": store, **extra}.items() if v is not None}
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid settings: {problems}") from None


def _say(console: Console, label: str, style: str, message: str) -> None:
    """One line, verbatim: messages may hold brackets (IRIs, paths) that must not be read as markup."""
    console.print(f"[{style}]{label}[/{style}] " + escape(message), highlight=False, soft_wrap=True)


def _fail(exc: KgraphError) -> None:
    _say(err, "error:", "red", exc.message)
    raise typer.Exit(exc.exit_code)


@app.command()
def ingest(
    # exists=True: a mistyped path is a usage error (exit 2) before the store is opened or created, not a
    # "failed input" found after a long run beside an empty store folder
    paths: Annotated[list[Path], typer.Argument(exists=True, help="Article files (.txt, .jsonl, .html) or folders")],
    store: StoreOpt = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes for extraction and validation")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
) -> None:
    """Extract statements from articles, validate them with SHACL and commit them (new documents in batches)."""
    from .ingest import Ingestor
    from .store import open_store

    try:
        settings = _settings(store)
        st = open_store(settings.store)
        try:
            ingestor = Ingestor(st, settings)
            with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          TextColumn("{task.description}"), console=err, disable=quiet, transient=True) as bar:
                task = bar.add_task("", total=None)
                report = ingestor.ingest_paths(paths, workers=workers,
                                               progress=lambda src: bar.update(task, advance=1,
                                                                               description=Path(src).name))
        finally:
            st.close()
    except KgraphError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:  # the store was closed above: what was committed stays, a batch is whole or undone
        _say(err, "interrupted:", "yellow", "documents committed so far are stored whole; run the same "
                                            "command again to ingest the rest")
        raise typer.Exit(130) from None
    for error in report.errors:
        _say(err, "rejected", "red", error.message)
    for doc in report.stored:          # an article given twice: the later version's quarantine is what is kept
        for issue in doc.violations:
            _say(err, "quarantined", "yellow", f"{doc.source}: {issue.line()}")
    repeated = f"  repeated: {report.repeated} (each replaced by the later)" if report.repeated else ""
    out.print(f"documents: {len(report.stored)}  statements: {report.statements}  "
              f"rejected statements: {report.rejected}  failed inputs: {len(report.errors)}{repeated}",
              highlight=False, soft_wrap=True)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def export(
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="nquads | trig | turtle | jsonld")] = "nquads",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write [default: stdout]")] = None,
) -> None:
    """Write the whole graph: every named graph (N-Quads, TriG, JSON-LD) or the union (Turtle)."""
    from .export import export_store
    from .store import open_store

    if format not in EXPORT_FORMATS:
        _say(err, "error:", "red", f"unknown format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    try:
        st = open_store(_settings(store).store, create=False)
        try:
            if output:
                tmp = output.with_name(output.name + ".part")
                try:
                    with open(tmp, "wb") as fh:
                        export_store(st, fh, EXPORT_FORMATS[format])
                    tmp.replace(output)
                except OSError as exc:
                    raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from None
            else:
                export_store(st, sys.stdout.buffer, EXPORT_FORMATS[format])
        finally:
            st.close()
    except KgraphError as exc:
        _fail(exc)


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or a path to a .rq file")],
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table | json | csv")] = "table",
) -> None:
    """Run a SPARQL query on the union of all graphs."""
    from .sparql_errors import located
    from .store import open_store

    text = Path(sparql).read_text(encoding="utf-8") if sparql.endswith(".rq") and Path(sparql).is_file() else sparql
    if format not in ("table", "json", "csv"):
        _say(err, "error:", "red", f"unknown format {format!r}; choose table, json or csv")
        raise typer.Exit(2)
    try:
        st = open_store(_settings(store).store, create=False)
        try:
            result = st.query(text)
        finally:
            st.close()
    except QueryError as exc:                      # where the mistake is, in the words /sparql uses
        _fail(located(exc, text))
        return
    except KgraphError as exc:
        _fail(exc)
        return
    if result.kind == "ask":
        out.print("true" if result.boolean else "false")
        return
    if result.kind == "graph" and result.graph is not None:
        sys.stdout.write(result.graph.serialize(format="turtle"))
        return
    cells = [[("" if t is None else str(t)) for t in row] for row in result.rows]
    if format == "json":
        sys.stdout.write(json.dumps([dict(zip(result.variables, r)) for r in cells], ensure_ascii=False, indent=1) + "\n")
    elif format == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(result.variables)
        w.writerows(cells)
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(*result.variables, show_lines=False)
        for row in cells:
            table.add_row(*map(escape, row))  # data, not Rich markup: "[/caption]" is text
        out.print(table)
        out.print(f"{len(cells)} rows", style="dim")


@app.command()
def validate(store: StoreOpt = None,
             show_warnings: Annotated[bool, typer.Option("--warnings", help="List warnings too")] = False) -> None:
    """Validate the whole graph against the SHACL shapes: exit 0 conforms, 1 does not, 2 could not run."""
    from .store import open_store
    from .validate import load_ontology, load_shapes, validate_graph

    try:
        settings = _settings(store)
        st = open_store(settings.store, create=False)
        try:
            graph = st.graph(None)
        finally:
            st.close()
        conforms, issues, _report = validate_graph(graph, load_shapes(settings.shapes_path),
                                                   load_ontology(settings.ontology_path))
    except KgraphError as exc:
        _say(err, "error:", "red", exc.message)
        raise typer.Exit(2) from None
    violations = [i for i in issues if i.severity == "Violation"]
    for issue in issues:
        if issue.severity == "Violation" or show_warnings:
            out.print(escape(issue.line()), highlight=False, soft_wrap=True)
    out.print(f"{'conforms' if conforms else 'does not conform'}: {len(graph)} triples, "
              f"{len(violations)} violations, {len(issues) - len(violations)} warnings", highlight=False)
    raise typer.Exit(0 if conforms else 1)


@app.command()
def stats(store: StoreOpt = None,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Counts per class, documents and graphs."""
    from .stats import graph_stats
    from .store import open_store

    try:
        st = open_store(_settings(store).store, create=False)
        try:
            figures = graph_stats(st)
        finally:
            st.close()
    except KgraphError as exc:
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps(figures, indent=1) + "\n")
        return
    table = Table("what", "count")
    for key in ("documents", "graphs", "quads", "triples"):
        table.add_row(key, str(figures[key]))
    for cls, n in figures["classes"].items():
        table.add_row(f"  {cls}", str(n))
    out.print(table)


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    write_token: Annotated[Optional[str], typer.Option(envvar="KGRAPH_WRITE_TOKEN", show_envvar=True,
                                                       help="Enable writes for clients sending this bearer token")] = None,
    query_timeout: Annotated[Optional[float], typer.Option(help="Seconds before a query is stopped")] = None,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log",
                                             help="Log one line per request")] = True,
) -> None:
    """Serve the SPARQL endpoint, Linked Data, the JSON API and HTML pages (read-only without a write token)."""
    from .server import serve as run_server

    try:
        settings = _settings(store, write_token=write_token, query_timeout=query_timeout)
    except KgraphError as exc:
        _fail(exc)
        return
    run_server(settings, host=host, port=port, access_log=access_log)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # python -m kgraph.cli
    main()
