"""The CLI contract: commands, help, exit codes, and the README's commands."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from shared_paths import DEV, QUERIES, REPO, SEEDS, need_shared
from typer.testing import CliRunner

from kgraph.cli import app

runner = CliRunner()
COMMANDS = ["ingest", "export", "query", "validate", "stats", "serve"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_every_command_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"kgraph {command}" in readme


def test_settings_are_documented_in_the_readme():
    from kgraph.settings import Settings

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"KGRAPH_{name.upper()}" in readme, name


@pytest.fixture(scope="module")
def seeded_run(tmp_path_factory) -> tuple[str, str]:
    need_shared(SEEDS)
    store = str(tmp_path_factory.mktemp("cli") / "store")
    result = runner.invoke(app, ["ingest", "--quiet", "--store", store, *map(str, sorted(SEEDS.glob("*.txt")))])
    assert result.exit_code == 0, result.output
    assert re.search(r"documents: 2\s+statements: \d+\s+rejected statements: \d+", result.output)
    return store, result.output


@pytest.fixture(scope="module")
def seeded(seeded_run) -> str:
    return seeded_run[0]


def test_the_readme_transcript_is_what_the_commands_print(seeded_run):
    # the README shows the seeds' ingest summary and two queries' CSV: a reader compares them with theirs
    store, ingest_output = seeded_run
    need_shared(QUERIES)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    transcript = re.search(r"```\n(\$ kgraph ingest .*?)```", readme, re.DOTALL)
    assert transcript, "the README's transcript block is missing"
    for block in re.split(r"^\$ ", transcript.group(1), flags=re.MULTILINE)[1:]:
        command, _, expected = block.partition("\n")
        if command.startswith("kgraph ingest"):
            assert expected.strip() in ingest_output, (expected, ingest_output)
            continue
        words = command.split()
        assert words[:2] == ["kgraph", "query"], command
        query = str(QUERIES / Path(words[2]).name)
        result = runner.invoke(app, ["query", "--store", store, query, *words[3:]])
        assert result.exit_code == 0, result.output
        assert result.stdout.replace("\r\n", "\n").strip() == expected.strip(), command


def test_queries_run(seeded):
    need_shared(QUERIES)
    for rq in sorted(QUERIES.glob("*.rq")):
        result = runner.invoke(app, ["query", "--store", seeded, "--format", "json", str(rq)])
        assert result.exit_code == 0, (rq.name, result.output)
        json.loads(result.stdout)


def test_validate_exit_zero_and_stats_stable(seeded):
    result = runner.invoke(app, ["validate", "--store", seeded])
    assert result.exit_code == 0, result.output
    before = runner.invoke(app, ["stats", "--json", "--store", seeded]).stdout
    again = runner.invoke(app, ["ingest", "-q", "--store", seeded, *map(str, sorted(SEEDS.glob("*.txt")))])
    assert again.exit_code == 0
    assert runner.invoke(app, ["stats", "--json", "--store", seeded]).stdout == before


@pytest.mark.parametrize("fmt, marker", [("nquads", "> ."), ("trig", "{"), ("turtle", "@prefix"), ("jsonld", "@id")])
def test_export_formats(seeded, tmp_path, fmt, marker):
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["export", "--store", seeded, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert marker in out.read_text(encoding="utf-8")


def test_bad_query_is_a_clear_error(seeded):
    result = runner.invoke(app, ["query", "--store", seeded, "SELECT WHERE {"])
    assert result.exit_code == 1
    assert "syntax error" in result.output.lower()


@pytest.mark.parametrize("text", ["SELECT * WHERE " + "{" * 3000 + "}" * 3000,
                                  "ASK { FILTER(" + "(" * 6000 + "1" + ")" * 6000 + ") }"], ids=["braces", "parens"])
def test_a_query_nested_too_deep_is_refused_before_the_engine_parses_it(seeded, text, tmp_path):
    # the engine's recursive parser exhausted its stack: `kgraph query` died with exit 139 and no message
    # (/sparql refused it); run in a child process, so that the crash, if it comes back, fails the test
    rq = tmp_path / "deep.rq"
    rq.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kgraph.cli", "query", "--store", seeded, str(rq)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "nest" in proc.stderr and "at most 256" in proc.stderr, proc


def test_a_query_syntax_error_is_placed_where_the_server_places_it(seeded):
    # the engine alone reports the furthest point its parser reached: 1:26 here, past the mistake at
    # 1:19 (a triple pattern without its object); the CLI said only that
    result = runner.invoke(app, ["query", "--store", seeded, "SELECT ?x WHERE { ?x ?y }"])
    assert result.exit_code == 1
    assert "error at 1:19" in result.output and "the query engine: error at 1:26" in result.output, result.output


def test_malformed_inputs_exit_one_and_name_file_and_line(tmp_path):
    store = str(tmp_path / "s")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Kazakhstan and France signed a contract."}\n{oops\n', encoding="utf-8")
    result = runner.invoke(app, ["ingest", "-q", "--store", store, str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2" in result.output and "documents: 1" in result.output


def test_console_script_is_installed():
    result = subprocess.run([sys.executable, "-m", "kgraph.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "ingest" in result.stdout


def test_a_lone_surrogate_is_one_rejected_line_and_the_batch_is_stored(tmp_path):
    # "\ud800" is valid JSON and no character: it once failed the batch's commit with every good article in it
    store, corpus = str(tmp_path / "s"), tmp_path / "odd.jsonl"
    good = [json.dumps({"url": f"https://e.example/{i}", "text": f"Kazakhstan and France signed contract {i}."})
            for i in range(3)]
    odd = '{"url": "https://e.example/odd", "title": "Bad \\ud800 title", "text": "Kazakhstan and Russia met."}'
    corpus.write_text("\n".join([good[0], odd, *good[1:]]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "-q", "--store", store, str(corpus)])
    assert result.exit_code == 1 and f"{corpus}:2" in result.output and "surrogate" in result.output
    assert "documents: 3" in result.output and "Traceback" not in result.output


def test_query_table_cells_are_shown_as_written_not_as_markup(seeded):
    text = 'SELECT ?x WHERE { BIND("[bold]Baikonur[/bold] [/caption] and [link=http://x]y" AS ?x) }'
    result = runner.invoke(app, ["query", "--store", seeded, text])
    assert result.exit_code == 0, result.output
    assert "[bold]Baikonur[/bold] [/caption] and [link=http://x]y" in result.output.replace("\n", "")


def test_export_to_a_missing_folder_is_one_line_and_exit_two(seeded, tmp_path):
    result = runner.invoke(app, ["export", "--store", seeded, "-o", str(tmp_path / "no" / "such" / "x.nq")])
    assert result.exit_code == 2 and "cannot write" in result.output and "Traceback" not in result.output


def test_the_dev_corpus_ingested_validates(tmp_path):
    # articles that word one thing differently must not give it two labels (two sessions of the Baikonur
    # commission once did): the graph of a clean ingest conforms to its own shapes
    corpus = need_shared(DEV / "corpus.jsonl")
    store = str(tmp_path / "s")
    assert runner.invoke(app, ["ingest", "-q", "--store", store, str(corpus)]).exit_code == 0
    result = runner.invoke(app, ["validate", "--store", store])
    assert result.exit_code == 0, result.output[-2000:]


def test_ctrl_c_during_ingest_says_what_is_kept_and_a_rerun_completes(tmp_path):
    import os
    import signal
    import time

    lines = need_shared(DEV / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    corpus = tmp_path / "many.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for n in range(24):                              # long enough to be interrupted mid-way
            for line in lines:
                obj = json.loads(line)
                obj["url"] = f"https://e.example/{n}/{obj.get('id') or len(obj['text'])}"
                fh.write(json.dumps(obj) + "\n")
    store = tmp_path / "s"
    command = [sys.executable, "-m", "kgraph.cli", "ingest", "-q", "--store", str(store), str(corpus)]
    env = {**os.environ, "KGRAPH_COMMIT_BATCH": "10"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while not store.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(3)                                        # the pipeline is loaded; documents are being committed
    process.send_signal(signal.SIGINT)
    _out, error = process.communicate(timeout=120)
    assert process.returncode == 130, error[-2000:]
    assert "interrupted:" in error and "Traceback" not in error
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    stats = json.loads(runner.invoke(app, ["stats", "--json", "--store", str(store)]).stdout)
    assert stats["documents"] == len(lines) * 24


@pytest.mark.parametrize("command", [["validate"], ["stats"], ["export"], ["query", "ASK {}"]])
def test_a_reading_command_on_a_store_that_does_not_exist_says_so(tmp_path, command):
    # opened, a missing local store was created, and validate said the empty graph conformed
    missing = tmp_path / "no-such-store"
    result = runner.invoke(app, [command[0], "--store", str(missing), *command[1:]])
    assert result.exit_code == 2 and "no store at" in result.output, result.output
    assert not missing.exists()


def test_ingest_of_a_mistyped_path_is_a_usage_error_and_creates_no_store(tmp_path, monkeypatch):
    # the store folder was created and left empty, and the typo was one "failed input" in the summary
    monkeypatch.chdir(tmp_path)                    # a short path: the usage box wraps long ones
    store = tmp_path / "s"
    result = runner.invoke(app, ["ingest", "-q", "--store", str(store), "nonexistent.txt"])
    assert result.exit_code == 2 and "nonexistent.txt" in result.output and "does not exist" in result.output
    assert not store.exists()


def test_quarantine_lines_are_those_of_the_version_kept(tmp_path, monkeypatch):
    # an article given twice replaces its document: the CLI listed the replaced version's quarantine
    # too, for statements the store no longer holds (1100b4b)
    from rdflib import URIRef

    from kgraph.ingest import DocumentOutcome, Ingestor, IngestReport
    from kgraph.validate import Issue

    def issue(message: str) -> Issue:
        return Issue("Violation", URIRef("https://w3id.org/spacecoop/id/agreement/x"), None, None, message, None)

    doc = "https://w3id.org/spacecoop/id/document/1"
    report = IngestReport(documents=[
        DocumentOutcome(doc, "a.jsonl:1", 5, 1, violations=[issue("from the replaced version")]),
        DocumentOutcome(doc, "a.jsonl:2", 6, 1, violations=[issue("from the version kept")])])
    monkeypatch.setattr(Ingestor, "__init__", lambda self, store, settings: None)
    monkeypatch.setattr(Ingestor, "ingest_paths", lambda self, paths, **kw: report)
    corpus = tmp_path / "a.jsonl"
    corpus.write_text("{}\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "-q", "--store", str(tmp_path / "s"), str(corpus)])
    assert result.exit_code == 0, result.output
    assert "from the version kept" in result.output and "from the replaced version" not in result.output
    assert "documents: 1  statements: 6  rejected statements: 1" in result.output and "repeated: 1" in result.output
