"""The pages in a real browser: headless Chromium against a real uvicorn on loopback.

Screenshots go to ``tests/artifacts/`` (not committed) for a human to look at.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import sample

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(app) -> Iterator[str]:
    """``app`` under a real uvicorn in a thread on loopback, for the time of the block: its base URL."""
    import uvicorn

    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The real app under uvicorn in a thread, over a store holding the sample documents."""
    from kgraph.server.app import create_app
    from kgraph.settings import Settings

    app = create_app(Settings(store=str(tmp_path_factory.mktemp("browser") / "store")))
    with running(app) as url:
        sample.load(app.state.store)
        app.state.executor.notify_write()
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_home_page_search_and_entity_page(server, page):
    page.goto(server + "/")
    assert page.locator("h1").first.inner_text() == "Space cooperation between states"
    assert page.locator("dl.figures").is_visible()
    shot(page, "home")
    page.fill("input[name=q]", "Bayterek")
    page.click("form.search button")
    page.wait_for_url("**/search?q=Bayterek")
    shot(page, "search")
    page.click("ul.hits a[href='/id/project/baiterek']")
    page.wait_for_url("**/id/project/baiterek")
    assert page.locator("h1").inner_text() == "Baiterek"
    page.goto(server + "/id/person/yuri-borisov")
    assert "co-chaired the sitting" in page.locator("table.facts").first.inner_text()
    shot(page, "entity")


def test_search_box_suggests_names_as_you_type(server, page):
    page.goto(server + "/")
    page.type("input[name=q]", "rogoz", delay=30)
    page.wait_for_function("document.querySelectorAll('#q-suggestions option').length > 0", timeout=5000)
    values = page.eval_on_selector_all("#q-suggestions option", "os => os.map(o => o.value)")
    assert "Dmitry Rogozin" in values


def test_between_page_draws_the_network(server, page):
    page.goto(server + "/between/KZ/RU")
    assert page.locator("ol.timeline li").count() == 2
    svg = page.locator("figure.network svg")
    assert svg.is_visible() and page.locator("figure.network circle").count() == 4
    page.hover("figure.network .node >> nth=0")
    assert page.locator("line.edge.hot").count() >= 1
    shot(page, "between")


def test_query_page_runs_a_query_and_shows_its_rows(server, page):
    page.goto(server + "/query")
    query = ("PREFIX sc: <https://w3id.org/spacecoop/ontology#>\n"
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "SELECT ?name WHERE { ?p sc:represents ?s ; rdfs:label ?name . ?s sc:isoCode \"KZ\" } ORDER BY ?name")
    box = page.locator("textarea").first
    box.fill(query)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    table = page.locator("table").first
    table.wait_for(timeout=10000)
    page.wait_for_function("document.querySelector('table') && "
                           "document.querySelector('table').innerText.includes('Zhenis Kassymbek')", timeout=10000)
    text = table.inner_text()
    for name in ["Askar Mamin", "Talgat Musabayev", "Zhenis Kassymbek"]:
        assert name in text
    shot(page, "query")


def test_query_page_offers_the_formats_of_the_query_being_typed(server, page):
    page.goto(server + "/query")
    visible = "fs => fs.filter(a => !a.hidden).map(a => a.dataset.format)"
    assert "csv" in page.eval_on_selector_all("a[data-format]", visible)
    box = page.locator("textarea").first
    box.fill("# a graph\nPREFIX ex: <https://example.org/>\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1")
    box.press("End")                                   # an input event, as typing gives
    box.type(" ")
    shown = page.eval_on_selector_all("a[data-format]", visible)
    assert "turtle" in shown and "csv" not in shown
    href = page.get_attribute("a[data-format=turtle]", "href")     # a middle click or a copied link too
    assert "CONSTRUCT" in urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)["query"][0]
    box.fill(" " * 5000 + "x")                       # no slow reading of a long text that is no query
    box.type(" ")
    assert "csv" in page.eval_on_selector_all("a[data-format]", visible)


#: A right-to-left Arabic literal and a triple term holding a left-to-right one (RDF 1.2), in a SELECT
#: (SPARQL JSON to the page) and a CONSTRUCT (N-Triples to the page).
RDF12_WHERE = ('WHERE { BIND("\u0645\u0631\u062d\u0628\u0627"@ar--rtl AS ?x) '
               'BIND(<<( <https://w3id.org/spacecoop/id/state/KZ> <http://e/p> "o"@en--ltr )>> AS ?t) }')


@pytest.mark.parametrize("query", ["SELECT ?x ?t " + RDF12_WHERE,
                                   "CONSTRUCT { <http://e/s> <http://e/q> ?x . <http://e/s> <http://e/p> ?t } "
                                   + RDF12_WHERE])
def test_query_page_sets_right_to_left_text_and_shows_triple_terms(server, page, query):
    page.goto(server + "/query")
    page.locator("textarea").first.fill(query)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_function("document.querySelector('#sparql-results table')", timeout=10000)
    literal = page.locator('#sparql-results span.literal[lang="ar"][dir="rtl"]')
    assert literal.count() == 1 and literal.inner_text() == "\u0645\u0631\u062d\u0628\u0627"
    text = page.locator("#sparql-results table").inner_text()
    assert "@ar--rtl" in text
    assert '<< id:state/KZ <http://e/p> "o"@en--ltr >>' in text


def test_document_and_ontology_pages_render(server, page):
    page.goto(server + "/documents")
    assert page.locator("table.list tbody tr").count() == 3
    page.click("table.list a >> nth=1")
    assert page.locator("table.facts").is_visible()
    shot(page, "document")
    page.goto(server + "/ontology#Agreement")
    assert page.locator("article#Agreement").is_visible()
    shot(page, "ontology")


@pytest.mark.parametrize(("path", "drawn"), [("/docs", ".opblock"), ("/redoc", "[data-section-id]")])
def test_the_api_docs_render_without_the_internet(server, page, path, drawn):
    # every request off loopback fails, as on a network without the internet: FastAPI's own pages,
    # whose scripts come from a CDN, stayed blank there
    outside: list[str] = []

    def only_loopback(route) -> None:
        if urllib.parse.urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            if route.request.resource_type != "image":   # ReDoc's own "by Redocly" logo: decoration
                outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.goto(server + path)
    page.wait_for_selector(drawn, timeout=15000)
    assert page.locator(drawn).count() >= 5
    assert "/api/agreements" in page.locator("body").inner_text()
    assert not outside, f"{path} needs {outside} from off the machine"
    shot(page, path.strip("/"))
