"""Nothing a request sends reaches outside the server: SERVICE, LOAD, files; writes need the token.

The SERVICE/LOAD detector is checked against the engine itself: Oxigraph
attempts a SERVICE or LOAD call to ``127.0.0.1:9`` and refuses it with a
"port 9 is not allowed" error before any network traffic, so a query that
gets that error from Oxigraph is one the detector must have flagged.
"""

from __future__ import annotations

import re

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability.test_security import Canary  # the loopback server that records calls

from kgraph.server import netguard
from kgraph.sparqltext import scan

TELL = "port 9 is not allowed"  # Oxigraph's answer to a call it was about to make to 127.0.0.1:9
TARGET = "http://127.0.0.1:9/"


@pytest.fixture(scope="module")
def canary():
    c = Canary()
    yield c
    c.close()


# -- SERVICE and LOAD ----------------------------------------------------------------------------------

def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/v> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"ASK {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}/opt> {{ ?s ?p ?x }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/sub> {{ ?s ?p ?o }} }} }} }}",
        f"PREFIX : <{url}/>\nSELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",  # Oxigraph reads SERVICE :x
        f"SELECT * WHERE {{ ?s ?p ?o.SERVICE<{url}/glued>{{?s ?p ?o}} }}",
        f"SELECT * WHERE {{ ?s ?p true.SERVICE <{url}/after-literal> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # a comment\nSERVICE # another\n<{url}/commented> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/c> {{ ?s ?p ?o }} }}",
    ]


def test_service_is_refused_and_never_called(server, canary):
    for query in service_queries(canary.url):
        r = server.query(query)
        assert r.status_code == 403, f"{query}: {r.status_code} {r.text[:300]}"
        assert r.json()["error"]["code"] == "forbidden" and "SERVICE" in r.json()["error"]["message"]
    assert canary.hits == []


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "a service in a string" } LIMIT 1',
    "SELECT * WHERE { ?s ?p '''SERVICE <http://x/> { }''' } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> in a comment\nLIMIT 1",
    "SELECT * WHERE { ?s <http://example.org/service/load> ?o } LIMIT 1",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ex:service ?o . ?s ex:LOAD ?x } LIMIT 1",
    "SELECT ?service ?load WHERE { ?service ?load ?o } LIMIT 1",
    'SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "federal space service|load", "i")) } LIMIT 1',
])
def test_the_words_inside_strings_iris_comments_and_names_are_not_keywords(server, query):
    r = server.query(query)
    assert r.status_code == 200, r.text[:300]


def test_load_is_refused_even_with_the_token(server, canary, sample):
    for text in [f"LOAD <{canary.url}/data.ttl>", f"LOAD SILENT <{canary.url}/data.ttl> INTO GRAPH <urn:x>",
                 "LOAD <file:///etc/passwd>", "CLEAR SILENT GRAPH <urn:none> ; load <file:///etc/passwd>"]:
        for request in ({"data": {"update": text}},
                        {"content": text, "headers": {"Content-Type": "application/sparql-update"}}):
            headers = {**sample.auth, **request.pop("headers", {})}
            r = httpx.post(server.sparql, headers=headers, timeout=30, **request)
            assert r.status_code == 403, f"{text}: {r.status_code} {r.text[:300]}"
            assert "LOAD" in r.json()["error"]["message"]
    assert server.query("LOAD <file:///etc/passwd>").status_code == 403
    assert canary.hits == []


def test_from_and_dataset_iris_never_read_files_or_urls(server, canary):
    r = server.query("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    r = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": canary.url,
                                         "named-graph-uri": "file:///etc/passwd"})
    assert r.status_code == 200 and "root:" not in r.text
    assert canary.hits == []


def test_no_answer_leaks_a_traceback_or_the_token(server, sample):
    answers = [server.query("SELECT * WHERE {"), server.query("LOAD <file:///etc/passwd>"),
               httpx.post(server.sparql, data={"update": "NOT SPARQL"}, headers=sample.auth),
               httpx.post(server.sparql, data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer x"}),
               httpx.post(server.sparql, content=b"\xff", headers={"Content-Type": "application/sparql-query"})]
    for r in answers:
        assert 400 <= r.status_code < 500
        assert "Traceback" not in r.text and sample.token not in r.text


# -- the detector against the engine -----------------------------------------------------------------

@pytest.fixture(scope="module")
def engine():
    store = ox.Store()
    for o in (ox.Literal("o"), ox.Literal(True), ox.Literal(1), ox.NamedNode("urn:o"), ox.NamedNode(TARGET + "o")):
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), o))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode(TARGET + "a.b")))  # x:a.b
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("http://x:")))  # p: below
    for p in ("a\u0300#b", "a\u0300'x"):  # local names with a combining mark and an escaped "#" or quote
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("http://example.org/" + p), ox.Literal("o")))
    return store


def attempts_a_call(store: ox.Store, text: str, update: bool = False) -> bool:
    """Does the engine try to call out? (SILENT would hide it, so it is taken away; ASK is read in full.)"""
    text = re.sub(r"(?i)\bsilent\b", "", text)
    try:
        if update:
            store.update(text)
        else:
            result = store.query(re.sub(r"(?i)^((?:PREFIX[^\n]*\n)*)ASK\b", r"\1SELECT * WHERE", text))
            if not isinstance(result, ox.QueryBoolean):
                list(result)
    except OSError as exc:
        return TELL in str(exc)
    except (SyntaxError, RuntimeError):  # a syntax error, or a service variable left unbound: no call
        return False
    return False


@pytest.mark.parametrize("query", service_queries(TARGET.rstrip("/")))
def test_every_refused_form_really_runs_as_service_in_the_engine(engine, query):
    if "SERVICE ?e" not in query:  # a variable target is refused too, though Oxigraph cannot bind it here
        assert attempts_a_call(engine, query), "the engine does not read this as SERVICE: the test is wrong"
    assert scan(query).service


@pytest.mark.parametrize("text, update, keyword", [
    # a "<" that compares, read by the token scan as an IRI holding a quote or "#": the string or
    # comment that reading starts hid the SERVICE that follows (found in review, 2026-12-06)
    (f"SELECT * WHERE {{ ?s ?p ?v FILTER(?v<'~>') SERVICE <{TARGET}> {{ ?x ?y ?z FILTER(?z != '') }} }}", False, "service"),
    (f"SELECT * WHERE {{ ?s ?p ?v FILTER(!(?v<?v))#> '''\n SERVICE <{TARGET}> {{ ?x ?y ?z }}\n #'''\n }}", False, "service"),
    # found in review (2026-12-06): the lexer read an IRI with a \u escape, or a local name with a
    # combining mark before "\#" or "\'", as ending early, and the "#" or quote after it as opening a
    # comment or a string that hid what follows; and a carriage return ends a comment for Oxigraph but
    # not for rdflib's parser, which then decided where a "<" may compare
    (f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o != <urn:\\u0041#>) SERVICE <{TARGET}q> {{ ?s ?p ?o }} }}", False, "service"),
    (f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o != <urn:e/\\u0061'> || ?o != 'x') SERVICE <{TARGET}q> {{ ?s ?p ?o }} "
     "FILTER(?o != 'y') }", False, "service"),
    (f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ex:a\u0300\\'x ?o . SERVICE <{TARGET}q> "
     "{ ?s ?p ?o } FILTER(?o != '') }", False, "service"),
    (f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ex:a\u0300\\#b ?o . SERVICE <{TARGET}q> "
     "{ ?s ?p ?o } }", False, "service"),
    (f"SELECT * WHERE {{ ?s ?p ?o BIND(<urn:\\u0041#> AS ?x) FILTER(!(?o<?o))#> '''\n #c\r SERVICE <{TARGET}q> "
     "{ ?s ?p ?o } #'\n }", False, "service"),
    (f"INSERT DATA {{ <urn:a> <urn:b> <urn:\\u0041#> }} ; LOAD <{TARGET}data.ttl>", True, "load"),
    (f"PREFIX ex: <http://example.org/> INSERT DATA {{ <urn:a> ex:a\u0300\\#b <urn:c> }} ; "
     f"LOAD <{TARGET}data.ttl>", True, "load"),
    # found in a second review (2026-12-06): where "<" may compare, the scan asked rdflib's parser, which
    # expands \u escapes in the whole text first (Oxigraph reads them inside strings and IRIs only, as a
    # character's value): '\u0027' closed a string and \u000A ended a comment for rdflib alone, and the
    # SERVICE or LOAD the engine runs sat inside a string in rdflib's reading. No parser decides now.
    (f"SELECT * {{ FILTER(?o<'>'||?o!='\\u0027') SERVICE <{TARGET}q> {{}} FILTER(?o!='\\u0027') }}", False, "service"),
    (f"SELECT * {{ FILTER(?o<'''>''') # \\u000A FILTER(\\u0027\\u0027\\u0027\nSERVICE <{TARGET}q> {{}}\n"
     "# \\u000A ''')\n}", False, "service"),
    (f"INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ ?s ?p ?o FILTER(?o<'>'||?o!='\\u0027') }} ; LOAD <{TARGET}l> ; "
     "INSERT { <urn:a> <urn:b> ?o } WHERE { ?s ?p ?o FILTER(?o!='\\u0027') }", True, "load"),
    ("DELETE { <urn:a> <urn:b> ?o } WHERE { ?s ?p ?o FILTER(?o<'''>''') # \\u000A FILTER(?o!=\\u0027\\u0027\\u0027\n"
     f"}} ; LOAD SILENT <{TARGET}l> INTO GRAPH <urn:g> # \\u000A \\u0027\\u0027\\u0027) \\u007D\n"
     "; CLEAR SILENT GRAPH <urn:none>", True, "load"),
    # found in a third review (2026-12-06): "<<" opens a triple term (so "<<#x>" is "<<" and a comment,
    # "<<'a>'" is "<<" and a string), ">>" ends an operand, a "(" can hide in an IRI-like "<(2>",
    # Oxigraph's local names take one group of dots ("x:a.b.SERVICE" is "x:a.b" "." "SERVICE"), and
    # names take characters Python's \w does not ("?a\u3008")
    (f"SELECT * {{ OPTIONAL {{ ?s ?p <<#x> '''\n<a:s> <a:p> <a:o> >> }} SERVICE <{TARGET}q> {{ }} }}", False, "service"),
    (f"INSERT DATA {{ <a:s> <a:p> <<#x> '''\n<a:s> <a:p> <a:o> >> }} ; LOAD <{TARGET}l> #'''\n;", True, "load"),
    (f"CONSTRUCT {{ <<'a>' <a:p> 'b' >> <a:q> <a:r> }} WHERE {{ SERVICE <{TARGET}q> {{ }} }} #'", False, "service"),
    (f"SELECT * {{ FILTER(<<(<a:s> <a:p> <a:o>)>><'a>') SERVICE <{TARGET}q> {{ }} #'\n}}", False, "service"),
    (f"PREFIX x: <{TARGET}> SELECT * {{ ?s ?p x:a.b.SERVICE x: {{ }} }}", False, "service"),
    (f"SELECT * {{ FILTER(?a\u3008<'x>') SERVICE <{TARGET}q> {{ }} #'\n}}", False, "service"),
    (f"SELECT * {{ FILTER(1<(2>1)||1<'a>') SERVICE <{TARGET}q> {{ }} #'\n}}", False, "service"),
    (f"DELETE {{ ?s ?p ?o }} WHERE {{ FILTER(1<(2>1)||1<'a>') }} ; LOAD <{TARGET}l> #'\n;", True, "load"),
    # found in a fourth review (2026-12-06), through updates, which run in the server itself: "}" ends the
    # operand EXISTS { }; a long string the engine rejects (unclosed, or with an escape the grammar lacks)
    # is read by it as "" and a quote; and where a prefix and its local name make no valid IRI
    # ("http://x:" + "SERVICE"), the engine reads the prefix alone and the name as a keyword
    (f"INSERT{{}}WHERE{{FILTER(EXISTS{{}}<'>')}};LOAD<{TARGET}'>", True, "load"),
    (f"INSERT{{}}WHERE{{FILTER(EXISTS{{}}<'>')SERVICE<{TARGET}'>{{}}}}", True, "service"),
    (f"INSERT{{}}WHERE{{VALUES ?v{{''''}}}};LOAD<{TARGET}l>", True, "load"),
    (f"INSERT DATA{{<urn:a> <urn:b> ('''x')}};LOAD<{TARGET}l>", True, "load"),
    (f"PREFIX p:<http://x:>INSERT{{}}WHERE{{?s ?p p:SERVICE<{TARGET}q>{{}}}}", True, "service"),
    # found in review of the session: a relative namespace, resolved against BASE (review 5)
    (f"BASE <http://x:> PREFIX p: <> PREFIX : <{TARGET}> INSERT {{}} WHERE {{ ?s ?p p:SERVICE:x {{ }} }}", True, "service"),
])
def test_no_reading_the_engine_makes_hides_service_or_load(engine, text, update, keyword):
    """Each of these got past the scan once (five reviews, 2026-12-06, each trying to break it against the
    engine): the engine calls out, and the scan must say so."""
    assert attempts_a_call(engine, text, update=update), "the engine does not call out here: the test is wrong"
    assert getattr(scan(text), keyword)


def test_long_strings_and_names_the_engine_reads_whole_are_not_refused():
    assert scan("PREFIX schema: <http://schema.org/> SELECT * { ?s schema:serviceType ?t }").service is False
    assert scan("SELECT * { ?s <urn:p> '''It's a \\u00e9 service\nof loads''' }") == ("SELECT", False, False)


def test_iris_with_hash_and_the_letters_of_service_in_data_are_not_refused():
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "SELECT * WHERE { ?s rdfs:label 'download service' ; <http://example.org/v#service> ?o }")
    assert scan(query) == ("SELECT", False, False)


SEPARATORS = ["", " ", "\n", "\r", "\t", "#c\n", " #c\n ", "#c\r", "#c\r\n", "\u00a0", "\u2028"]
BEFORE = ["", "?s ?p ?o .", "?s ?p ?o", "?s ?p true", "?s ?p false", "?s ?p TRUE", "?s ?p 1", "?s ?p 1.0",
          "?s ?p 1e0", "?s ?p <urn:o>", "?s ?p <urn:o> .", "{ ?s ?p ?o }", "OPTIONAL { ?s ?p ?o }",
          "?s ?p 'service'", '?s ?p "load"', "?s <urn:service> ?o .", "FILTER(?s != <urn:x>)",
          "?s a ?t .", "BIND(1 AS ?one)", "VALUES ?v { 1 }", "?s ?p :o", "?s ?p :o.", "?s ?p :o .",
          "?s ?p 'o'", "?s ?p 'o'.", '?s ?p """o"""', "?s ?p ?o .#", "?s ?p ?o \\"]
SPELLINGS = ["SERVICE", "service", "Service", "SERVICE SILENT", "service silent"]
TARGETS = [f"<{TARGET}>", ":x", "?e"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BEFORE), st.sampled_from(SEPARATORS), st.sampled_from(SPELLINGS),
       st.sampled_from(SEPARATORS), st.sampled_from(TARGETS), st.booleans())
def test_whenever_the_engine_would_call_out_the_detector_says_service(engine, before, sep1, word, sep2, target,
                                                                      select):
    body = f"{before}{sep1}{word}{sep2}{target} {{ ?s ?p ?x }}"
    if target == "?e":
        body = f"BIND(<{TARGET}> AS ?e) {body}"
    form = "SELECT * WHERE" if select else "ASK"
    query = f"PREFIX : <{TARGET}>\n{form} {{ {body} }}"
    if attempts_a_call(engine, query):
        assert scan(query).service, query


@pytest.mark.parametrize("update", [f"LOAD <{TARGET}x>", f"load silent <{TARGET}x> into graph <urn:g>",
                                    f"PREFIX : <{TARGET}>\nLOAD:x", f"LOAD<{TARGET}x>",
                                    f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ;LOAD <{TARGET}x>",
                                    f"INSERT DATA {{ <urn:a> <urn:b> true }};LOAD<{TARGET}x>"])
def test_every_load_the_engine_would_run_is_detected(engine, update):
    assert attempts_a_call(engine, update, update=True), "the engine does not read this as LOAD"
    assert scan(update).load


# -- the write token ---------------------------------------------------------------------------------

@pytest.mark.parametrize("headers, status", [
    ({}, 401), ({"Authorization": "Bearer"}, 401), ({"Authorization": "Basic dXNlcjpwdw=="}, 401),
    ({"Authorization": "Bearer wrong"}, 403), ({"Authorization": "bearer wrong"}, 403),
])
def test_updates_need_the_right_token(server, sample, headers, status):
    before = server.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    for request in ({"data": {"update": "CLEAR ALL"}},
                    {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}):
        r = httpx.post(server.sparql, headers={**headers, **request.pop("headers", {})}, timeout=30, **request)
        assert r.status_code == status, r.text[:300]
        assert r.json()["error"]["code"] == ("unauthorized" if status == 401 else "forbidden")
        if status == 401:
            assert r.headers["www-authenticate"].startswith("Bearer")
    assert server.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before


def test_a_server_without_a_token_refuses_every_update(readonly_server):
    for headers in ({}, {"Authorization": "Bearer anything"}):
        r = httpx.post(readonly_server.sparql, data={"update": "CLEAR ALL"}, headers=headers, timeout=30)
        assert r.status_code == 403 and "read-only" in r.json()["error"]["message"], r.text[:300]
    assert readonly_server.query("ASK { ?s ?p ?o }").json()["boolean"] is True


def test_the_right_token_writes(writable_server, sample):
    r = httpx.post(writable_server.sparql, data={"update": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"},
                   headers=sample.auth, timeout=30)
    assert r.status_code == 204, r.text
    assert writable_server.query("ASK { <urn:a> <urn:b> <urn:c> }").json()["boolean"] is True


# -- the Graph Store Protocol ---------------------------------------------------------------------------

XXE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY net SYSTEM "{canary}/xxe"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>&xxe;&net;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_graph_store_reads_are_open_and_writes_need_the_token(server, sample):
    graph = {"graph": sample.doc1}
    r = httpx.get(server.url + "/rdf-graphs", params=graph, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and "Askar Mamin" in r.text
    for method in ("PUT", "POST", "DELETE"):
        r = httpx.request(method, server.url + "/rdf-graphs", params=graph, content=b"<urn:a> <urn:b> <urn:c> .",
                          headers={"Content-Type": "application/n-triples"})
        assert r.status_code == 401, f"{method}: {r.status_code}"
    assert "Askar Mamin" in httpx.get(server.url + "/rdf-graphs", params=graph).text


def test_graph_store_uploads_never_resolve_entities(writable_server, canary, sample):
    r = httpx.put(writable_server.url + "/rdf-graphs", params={"graph": "urn:xxe"},
                  content=XXE.format(canary=canary.url).encode(),
                  headers={**sample.auth, "Content-Type": "application/rdf+xml"})
    assert r.status_code == 400, r.text[:300]
    assert writable_server.query('ASK { ?s ?p ?o FILTER(CONTAINS(STR(?o), "root:")) }').json()["boolean"] is False
    assert canary.hits == []


def test_graph_store_round_trip(writable_server, sample):
    url, auth = writable_server.url + "/rdf-graphs", sample.auth
    ttl = {**auth, "Content-Type": "text/turtle"}
    assert httpx.put(url, params={"graph": "urn:test:g"}, content=b"<urn:a> <urn:b> 'one' .", headers=ttl).status_code == 201
    assert httpx.post(url, params={"graph": "urn:test:g"}, content=b"<urn:a> <urn:b> 'two' .", headers=ttl).status_code == 204
    r = httpx.get(url, params={"graph": "urn:test:g"}, headers={"Accept": "application/n-triples"})
    assert sorted(r.text.strip().splitlines()) == ['<urn:a> <urn:b> "one" .', '<urn:a> <urn:b> "two" .']
    assert writable_server.query("ASK { <urn:a> <urn:b> 'two' }").json()["boolean"] is True  # in the union too
    created = httpx.post(url, content=b"<urn:c> <urn:d> <urn:e> .", headers=ttl)
    assert created.status_code == 201 and httpx.get(url, params={"graph": created.headers["location"]}).status_code == 200
    assert httpx.put(url + "?default", content=b"<urn:a> <urn:b> <urn:c> .", headers=ttl).status_code == 405
    assert httpx.delete(url, params={"graph": "urn:test:g"}, headers=auth).status_code == 204
    assert httpx.delete(url, params={"graph": "urn:test:g"}, headers=auth).status_code == 404
    assert httpx.head(url, params={"graph": "urn:test:g"}).status_code == 404
    assert httpx.put(url, params={"graph": "not an iri"}, content=b"", headers=ttl).status_code == 400
    assert httpx.put(url, params={"graph": "urn:x"}, content=b"{}", headers={**auth, "Content-Type": "text/csv"}
                     ).status_code == 415


def test_graph_store_keeps_rdf12_terms_as_sent(writable_server, sample):
    """RDF 1.2's triple terms and base directions go through the Graph Store unchanged, in a PUT and in a
    POST merge, blank nodes included (it wrote through rdflib, which has neither: ``"shalom"@he--rtl``
    came back as ``"shalom"@he`` and a triple term was a 500)."""
    url, auth = writable_server.url + "/rdf-graphs", sample.auth
    ttl = {**auth, "Content-Type": "text/turtle"}
    sent = ['<urn:a> <urn:b> "shalom"@he--rtl .', "<urn:a> <urn:b> <<( <urn:c> <urn:d> <urn:e> )>> ."]
    assert httpx.put(url, params={"graph": "urn:test:rdf12"}, content="\n".join(sent).encode(),
                     headers=ttl).status_code == 201
    assert httpx.post(url, params={"graph": "urn:test:rdf12"}, content=b"<urn:a> <urn:b> 'plain' , [ <urn:p> 1 ] .",
                      headers=ttl).status_code == 204
    kept = httpx.get(url, params={"graph": "urn:test:rdf12"}, headers={"Accept": "application/n-triples"}).text
    lines = sorted(kept.strip().splitlines())
    assert [line for line in lines if "_:" not in line] == sorted(
        [*sent, '<urn:a> <urn:b> "plain" .'])
    assert len(lines) == 5 and sum(line.startswith("_:") for line in lines) == 1   # the blank node's own triple
    assert writable_server.query('ASK { <urn:a> <urn:b> "shalom"@he--rtl }').json()["boolean"] is True  # the union


@pytest.mark.skipif(not netguard.supported(), reason="the network guard needs Linux seccomp on x86-64 or AArch64")
@pytest.mark.parametrize("allowed", [False, True])
def test_where_the_text_check_misses_the_server_still_calls_nothing(tmp_path, fresh_store, sample, start_server,
                                                                     canary, monkeypatch, allowed):
    """The wall behind the check, end to end: a server whose text check is made to miss every keyword
    (a ``sitecustomize`` in its interpreter replaces :func:`kgraph.sparqltext.scan`) runs a SERVICE
    query in a worker and a LOAD update in its update thread, and neither reaches the canary."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import kgraph.sparqltext as text\n"
        "_scan = text.scan\n"
        "text.scan = lambda sparql: text.Scan(_scan(sparql).form, False, False)  # misses every keyword\n",
        encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(hook))
    canary.hits.clear()
    with start_server(fresh_store, tmp_path / "server.log", write_token=sample.token, allow_service=allowed) as srv:
        query = srv.query(f"SELECT * WHERE {{ SERVICE <{canary.url}/q> {{ ?s ?p ?o }} }}")
        update = httpx.post(srv.sparql, data={"update": f"LOAD <{canary.url}/d.ttl> INTO GRAPH <urn:x>"},
                            headers=sample.auth, timeout=30)
        assert srv.query("ASK { ?s ?p ?o }").json()["boolean"] is True          # and it goes on serving
    for r in (query, update):
        assert r.status_code != 403, "the check refused it: the hook did not take"
    if allowed:                                    # the control: where SERVICE is allowed, both go out
        # (the query's maybe twice: with the check missing, the store's join planner prepares the
        # text on an empty store before it runs, and Oxigraph calls a SERVICE while preparing)
        assert set(canary.hits) == {"/d.ttl", "/q"}
        return
    for r in (query, update):
        assert r.status_code >= 500 and "Permission denied" in r.text, (r.status_code, r.text[:300])
    assert canary.hits == []


def test_brackets_nested_deeper_than_the_limit_are_refused_before_the_engine_parses_them(server):
    """Oxigraph's parser recurses per bracket and exhausts its stack on a few thousand (the process dies)."""
    deep = "SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }"
    r = server.query(deep)
    assert r.status_code == 413 and "nest 302 deep" in r.json()["error"]["message"], r.text[:300]
    shallow = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 200 + "true" + ")" * 200 + ") } LIMIT 1"
    assert server.query(shallow).status_code == 200
