"""HTML pages: every page has machine-readable twins; pages show facts with their sources."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest
from browser import sample

from kgraph.server import linkeddata, pages

#: Every HTML page route, with one URL to visit it by. The test below checks that none is missing.
PAGES = {
    "/": "/",
    "/search": "/search?q=baikonur",
    "/between/{a}/{b}": "/between/KZ/RU",
    "/documents": "/documents",
    "/id/{path:path}": "/id/person/yuri-borisov",
    "/ontology": "/ontology",
    "/shapes": "/shapes",
    "/dumps/": "/dumps/",
}
#: More visits of the same routes: a state page, a document page.
EXTRA = ["/id/state/KZ", "/id/document/{doc0}", "/id/agreement/roadmap-baikonur-2016"]
#: Routes of those routers that are not HTML pages.
NOT_PAGES = {"/static/{name}", "/dumps/{name}", "/.well-known/void"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
LINK = re.compile(r'<([^>]*)>;\s*rel="alternate";\s*type="([^"]*)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with sample.site(tmp_path_factory.mktemp("pages")) as s:
        yield s


def test_the_page_list_covers_every_html_route():
    routes = {r.path for router in (pages.router, linkeddata.router) for r in router.routes}
    assert routes - NOT_PAGES == set(PAGES)


@pytest.mark.parametrize("url", list(PAGES.values()) + EXTRA)
def test_every_page_links_its_machine_readable_twins(site, url):
    url = url.format(doc0=site.doc_id(0))
    r = site.client.get(url, headers=BROWSER)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert "accept" in [v.strip().lower() for v in r.headers["vary"].split(",")]
    twins = LINK.findall(r.headers["link"])
    assert any(media != "text/html" for _, media in twins), r.headers["link"]
    for href, media in twins:
        assert f'<link rel="alternate" type="{media}" href="{escape(href)}">' in r.text
        twin = site.client.get(href, headers={"Accept": media})
        assert twin.status_code == 200, (href, twin.text[:200])
        assert twin.headers["content-type"].split(";")[0] == media, href


class _Checker(HTMLParser):
    """Collects links and checks that tags are balanced (a cheap well-formedness check)."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "circle", "line", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.links: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


@pytest.mark.parametrize("url", list(PAGES.values()) + EXTRA)
def test_pages_are_balanced_and_their_local_links_resolve(site, url):
    url = url.format(doc0=site.doc_id(0))
    checker = _Checker()
    checker.feed(site.client.get(url, headers=BROWSER).text)
    assert not checker.errors and not checker.stack, (checker.errors, checker.stack)
    for href in {h for h in checker.links if h.startswith("/") and not h.startswith(("/docs", "/query"))}:
        r = site.client.get(href, headers=BROWSER)
        assert r.status_code == 200, (url, href)


def test_the_home_page_has_a_search_box_and_the_figures(site):
    html = site.client.get("/").text
    assert '<form class="search" action="/search"' in html
    for nav in ['href="/"', 'href="/query"', 'href="/docs"', 'href="/ontology"']:
        assert nav in html
    assert "Documents</dt><dd><a href=\"/documents\">3</a>" in html
    assert 'href="/between/KZ/RU"' in html


def test_search_finds_names_in_any_spelling(site):
    html = site.client.get("/search", params={"q": "Bayterek"}).text
    assert 'href="/id/project/baiterek"' in html and "as “Bayterek”" in html
    assert "Nothing is called" in site.client.get("/search", params={"q": "zzzzzz"}).text


def test_an_entity_page_shows_each_fact_with_its_source_sentence(site):
    html = site.client.get("/id/person/yuri-borisov", headers=BROWSER).text
    assert "<h1>Yuri Borisov</h1>" in html
    assert 'href="/id/state/RU">Russia</a>' in html
    assert "<q>Vice Premiers Zhenis Kassymbek and Yuri Borisov co-chaired the sitting.</q>" in html
    assert f'href="/id/document/{site.doc_id(0)}"' in html
    assert "Also called: Yury Borisov" in html


def test_a_state_page_links_to_its_partners(site):
    html = site.client.get("/id/state/KZ", headers=BROWSER).text
    assert 'href="/between/KZ/RU"' in html and 'href="/between/KZ/FR"' in html


def test_a_document_page_lists_its_facts(site):
    html = site.client.get("/id/document/" + site.doc_id(1), headers=BROWSER).text
    assert "Kazakhstan, Russia sign roadmap on Baikonur" in html
    assert "sc:signatory" in html and "signed a roadmap" in html


def test_between_shows_a_timeline_and_a_network_picture(site):
    html = site.client.get("/between/KZ/RU").text
    timeline = html.index('<ol class="timeline">')
    assert html.index("2016-12-26", timeline) < html.index("2019-08-27", timeline)
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count("<circle") == 4 and svg.count("<line") == 2
    assert 'class="node side-a"' in svg and 'class="node side-b"' in svg


def test_between_unknown_states_is_404_and_one_state_is_its_page(site):
    assert site.client.get("/between/KZ/QQ", headers=BROWSER).status_code == 404
    same = site.client.get("/between/kz/KZ", headers=BROWSER, follow_redirects=False)
    assert same.status_code == 307 and same.headers["location"] == "/id/state/KZ"


def test_an_unknown_iri_is_a_404_page_in_the_site_layout(site):
    r = site.client.get("/id/person/nobody", headers=BROWSER)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'href="/ontology"' in r.text  # the nav of base.html


def test_the_documents_page_lists_documents_newest_first(site):
    html = site.client.get("/documents").text
    assert html.index("Kazakhstan and France") < html.index("debate further cooperation") < html.index("sign roadmap")


def test_pages_work_without_javascript(site):
    """Scripts only add suggestions and highlighting; the content is in the HTML."""
    html = site.client.get("/between/KZ/RU").text
    assert "<noscript" not in html and "Askar Mamin" in html


def test_static_files_are_served_and_nothing_else(site):
    assert site.client.get("/static/kgraph.css").headers["content-type"].startswith("text/css")
    assert site.client.get("/static/kgraph.js").status_code == 200
    for name in ["../pages.py", "..%2Fpages.py", "nope.css"]:
        assert site.client.get("/static/" + name).status_code == 404


def test_a_result_iri_that_is_not_a_web_address_is_shown_not_linked(site):
    # a crafted query link must not put a javascript: link on this origin's result table
    query = 'SELECT ?x ?y WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) BIND(<https://example.org/a> AS ?y) }'
    r = site.client.get("/sparql", params={"query": query, "format": "html"}, headers=BROWSER)
    assert r.status_code == 200
    hrefs = re.findall(r'href="([^"]*)"', r.text)
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))] and "" not in hrefs
    assert "https://example.org/a" in hrefs and "javascript:alert(document.domain)" in r.text  # shown as text
    # the page's own script-drawn table: tests/browser/test_result_links.py


def test_a_document_source_that_is_not_a_web_address_is_shown_not_linked(tmp_path):
    # ingest takes only web addresses, but a graph written by SPARQL Update or the Graph Store is not ingest's
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS

    crafted = "javascript:alert(document.domain)"
    with sample.site(tmp_path) as s:
        doc = URIRef(s.documents[0])
        graph = s.app.state.store.graph(str(doc))
        graph.remove((doc, DCTERMS.source, None))
        graph.add((doc, DCTERMS.source, URIRef(crafted)))
        s.app.state.store.replace_graph(str(doc), graph)
        s.app.state.executor.notify_write()
        r = s.client.get(f"/id/document/{s.doc_id(0)}", headers=BROWSER)
    assert r.status_code == 200 and crafted in r.text                          # shown, as text
    assert not [h for h in re.findall(r'href="([^"]*)"', r.text) if h.lower().startswith("javascript:")]


def test_close_matches_that_are_not_web_addresses_are_shown_not_linked(tmp_path):
    # the ontology is a setting: a deployment's own may name a URN or worse as a class's close match
    from kgraph.settings import Settings

    crafted = ["urn:example:state", "javascript:alert(document.domain)"]
    ontology = tmp_path / "ontology.ttl"
    ontology.write_text(Settings().ontology_path.read_text(encoding="utf-8") + "".join(
        f"\n<https://w3id.org/spacecoop/ontology#State> <http://www.w3.org/2004/02/skos/core#closeMatch> <{iri}> ."
        for iri in crafted), encoding="utf-8")
    with sample.site(tmp_path, ontology_path=ontology) as s:
        r = s.client.get("/ontology", headers=BROWSER)
    assert r.status_code == 200 and all(f'<code class="iri">{escape(iri)}</code>' in r.text for iri in crafted)
    hrefs = re.findall(r'href="([^"]*)"', r.text)
    assert "" not in hrefs and not [h for h in hrefs if h.lower().startswith(("javascript:", "urn:"))]
    assert any(h.startswith("http://www.wikidata.org/entity/") for h in hrefs)  # the ontology's own: linked


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"json", "csv"}, {"turtle"}),
    ("PREFIX ex: <https://example.org/>\n# a graph\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
     {"json", "turtle"}, {"csv"}),
])
def test_the_query_page_offers_the_formats_its_query_can_be_answered_in(site, query, shown, hidden):
    page = site.client.get("/query", params={"query": query}, headers=BROWSER).text
    found = re.findall(r'<a href="[^"]*" data-format="(\w+)" data-kind="\w*"( hidden)?', page)
    links = {fmt: bool(hidden_attr) for fmt, hidden_attr in found}
    assert all(not links[f] for f in shown) and all(links[f] for f in hidden), links
    for fmt in shown:
        r = site.client.get("/sparql", params={"query": query, "format": fmt})
        assert r.status_code == 200, (fmt, r.text[:200])


def test_pages_name_an_icon_that_is_served(site):
    page = site.client.get("/", headers=BROWSER).text
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="([^"]+)"', page)
    r = site.client.get(icon.group(1))
    assert r.status_code == 200 and r.headers["content-type"].startswith(icon.group(2)) and b"<svg" in r.content
