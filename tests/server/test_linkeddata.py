"""Linked Data: /id/ dereferencing, the ontology and shapes, VoID and dumps."""

from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
import pytest
from browser import sample
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, VOID

from kgraph.namespaces import DCTERMS, ID, SC
from kgraph.store.convert import to_rdflib

KZ, RU = URIRef(ID["state/KZ"]), URIRef(ID["state/RU"])
BORISOV = URIRef(ID["person/yuri-borisov"])
ROADMAP = URIRef(ID["agreement/roadmap-baikonur-2016"])

RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
             "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}
FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
           "rdf": "application/rdf+xml"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with sample.site(tmp_path_factory.mktemp("ld")) as s:
        yield s


def parse(response) -> Graph:
    """The triples of an RDF answer, read by Oxigraph's parsers (a second opinion on rdflib's writers)."""
    media = response.headers["content-type"].split(";")[0]
    g = Graph()
    for t in ox.parse(response.content, format=RDF_TYPES[media]):
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


@pytest.mark.parametrize("media", list(RDF_TYPES))
def test_an_entity_dereferences_in_every_rdf_format_by_accept(site, media):
    r = site.client.get("/id/person/yuri-borisov", headers={"Accept": media})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    g = parse(r)
    assert (BORISOV, SC.represents, RU) in g
    assert (BORISOV, RDFS.label, Literal("Yuri Borisov")) in g


@pytest.mark.parametrize(("name", "media"), list(FORMATS.items()))
def test_the_format_parameter_wins_over_accept(site, name, media):
    r = site.client.get(f"/id/state/KZ?format={name}", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert (KZ, SC.isoCode, Literal("KZ")) in parse(r)


def test_browsers_get_html(site):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
    r = site.client.get("/id/state/KZ", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "Kazakhstan" in r.text


def test_json_ld_has_a_context_with_the_vocabulary_prefixes(site):
    doc = site.client.get("/id/person/yuri-borisov", headers={"Accept": "application/ld+json"}).json()
    assert doc["@context"]["sc"] == str(SC)
    assert doc["@context"]["skos"] == "http://www.w3.org/2004/02/skos/core#"


def test_every_representation_says_vary_accept_and_links_its_twins(site):
    for accept in ["text/html", "text/turtle", "application/ld+json"]:
        r = site.client.get("/id/state/KZ", headers={"Accept": accept})
        assert "accept" in r.headers["vary"].lower()
        links = r.headers["link"]
        for twin in ['</id/state/KZ?format=ttl>; rel="alternate"; type="text/turtle"',
                     '</id/state/KZ?format=jsonld>; rel="alternate"; type="application/ld+json"',
                     '</id/state/KZ?format=nt>; rel="alternate"; type="application/n-triples"',
                     '</id/state/KZ?format=rdf>; rel="alternate"; type="application/rdf+xml"',
                     '</api/entities/state/KZ>; rel="alternate"; type="application/json"']:
            assert twin in links


def test_the_description_has_inbound_links_and_the_documents_that_mention_it(site):
    g = parse(site.client.get("/id/state/KZ?format=ttl"))
    assert (ROADMAP, SC.party, KZ) in g
    assert (ROADMAP, RDFS.label, Literal("Roadmap on the Baikonur complex")) in g
    borisov = parse(site.client.get("/id/person/yuri-borisov?format=ttl"))
    docs = set(borisov.objects(BORISOV, SC.mentionedIn))
    assert docs == {URIRef(site.documents[0])}
    assert (URIRef(site.documents[0]), DCTERMS.source, URIRef("https://example.org/news/baikonur-session")) in borisov
    # attestations are provenance, not inbound links
    assert not list(borisov.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#object"), BORISOV))


def test_a_document_dereferences_to_its_named_graph(site):
    doc = site.documents[1]
    r = site.client.get("/id/document/" + site.doc_id(1), headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = parse(r)
    assert (URIRef(doc), DCTERMS.issued, Literal("2016-12-26", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))) in g
    assert any("signed a roadmap" in str(t) for t in g.objects(None, SC.text))
    assert '</api/documents/' + site.doc_id(1) + '>; rel="alternate"' in r.headers["link"]


@pytest.mark.parametrize("path", ["/id/state/XX", "/id/person/nobody", "/id/", "/id/state/K%3EZ",
                                  "/id/document/ffffffffffffffff", "/id/state/KZ%20x"])
def test_unknown_iris_are_404(site, path):
    assert site.client.get(path, headers={"Accept": "text/turtle"}).status_code == 404


def test_an_unknown_format_is_a_400(site):
    r = site.client.get("/id/state/KZ?format=yaml")
    assert r.status_code == 400
    assert "ttl" in r.text


def test_head_answers_like_get_without_a_body(site):
    r = site.client.head("/id/state/KZ", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    assert r.content == b""


def test_cors_is_open_for_reads_and_exposes_the_link_header(site):
    r = site.client.get("/id/state/KZ?format=ttl", headers={"Origin": "https://example.net"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "link" in r.headers["access-control-expose-headers"].lower()
    pre = site.client.options("/api/states", headers={"Origin": "https://example.net",
                                                      "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200
    assert "GET" in pre.headers["access-control-allow-methods"]


# -- ontology and shapes -----------------------------------------------------------------------


def test_the_ontology_is_documented_for_people(site):
    r = site.client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200
    for anchor in ['id="State"', 'id="Agreement"', 'id="party"', 'id="signedOn"', 'id="mentionedIn"']:
        assert anchor in r.text
    assert "Subclass of" in r.text


def test_the_ontology_file_is_served_by_negotiation(site):
    from kgraph.settings import Settings

    r = site.client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.content == Settings().ontology_path.read_bytes()
    g = parse(site.client.get("/ontology", headers={"Accept": "application/ld+json"}))
    assert (SC.State, RDFS.label, Literal("State", lang="en")) in g


def test_the_shapes_are_listed_and_served(site):
    html = site.client.get("/shapes", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "sc:Agreement" in html.text and "Violation" in html.text
    ttl = site.client.get("/shapes", headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert b"sh:NodeShape" in ttl.content


# -- VoID and dumps ---------------------------------------------------------------------------------


def test_void_describes_the_dataset(site):
    r = site.client.get("/.well-known/void")
    assert r.headers["content-type"].startswith("text/turtle")
    g = parse(r)
    ds = URIRef("http://testserver/.well-known/void#dataset")
    assert (ds, VOID.sparqlEndpoint, URIRef("http://testserver/sparql")) in g
    assert (ds, VOID.dataDump, URIRef("http://testserver/dumps/kgraph.nq.gz")) in g
    assert (ds, VOID.vocabulary, URIRef(str(SC))) in g
    triples = int(g.value(ds, VOID.triples))
    stats = site.client.get("/api/stats").json()
    assert triples == stats["triples"] > 0
    assert int(g.value(ds, VOID.entities)) > 3
    assert int(g.value(ds, VOID.documents)) == 3


def test_the_dump_holds_every_named_graph(site):
    listing = site.client.get("/dumps/")
    assert listing.status_code == 200 and 'href="/dumps/kgraph.nq.gz"' in listing.text
    r = site.client.get("/dumps/kgraph.nq.gz")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/gzip"
    quads = {(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name))
             for q in ox.parse(gzip.decompress(r.content), format=ox.RdfFormat.N_QUADS)}
    assert set(site.documents) <= {str(q[3]) for q in quads}
    assert (ROADMAP, SC.party, KZ, URIRef(site.documents[1])) in quads
    again = site.client.get("/dumps/kgraph.nq.gz")
    assert again.content == r.content


def test_the_dump_is_rewritten_after_a_write(tmp_path):
    with sample.site(tmp_path) as s:
        before = gzip.decompress(s.client.get("/dumps/kgraph.nq.gz").content)
        s.app.state.store.drop_graph(s.documents[2])
        s.app.state.executor.notify_write()
        after = gzip.decompress(s.client.get("/dumps/kgraph.nq.gz").content)
        assert s.documents[2].encode() in before
        assert s.documents[2].encode() not in after


@pytest.mark.parametrize("name", ["kgraph.nq", "..%2F..%2Fetc%2Fpasswd", "..%2Fkgraph.nq.gz", "store", "kgraph.nq.gz.tmp",
                                  "%2Fetc%2Fpasswd"])
def test_dumps_serve_only_the_files_they_write(site, name):
    assert site.client.get(f"/dumps/{name}").status_code == 404


def test_errors_from_linked_data_routes_have_the_one_error_shape(site):
    r = site.client.get("/id/person/nobody", headers={"Accept": "application/json"})
    assert r.status_code == 404
    body = json.loads(r.content)
    assert body["error"]["code"] == "not-found"


@pytest.mark.parametrize(("accept", "media"), [
    ("text/plain, */*;q=0.1", "application/n-triples"),      # what rdflib sends for format="nt"
    ("text/n3, */*;q=0.1", "text/turtle"),                   # ... and for format="n3"
    ("application/x-turtle", "text/turtle"),
])
def test_older_names_of_the_rdf_types_get_rdf_not_html(site, accept, media):
    r = site.client.get("/id/state/KZ", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert (KZ, SC.isoCode, Literal("KZ")) in parse(r)
