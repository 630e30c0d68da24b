"""Right-to-left controls in the data stay inside the element that shows them.

An article's title, a name or a sentence may hold a bidi override (U+202E) that it never closes. In a
line of the page, such a character reversed everything after it up to the end of the line: the date
and outlet of a document were drawn to the left of its title, backwards.
"""

from __future__ import annotations

import pytest

from . import sample
from .test_browser import CHROMIUM, CHROMIUM_ARGS, running

pytestmark = pytest.mark.browser

OVERRIDE = "\u202e"


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    from kgraph.server.app import create_app
    from kgraph.settings import Settings

    app = create_app(Settings(store=str(tmp_path_factory.mktemp("bidi") / "store")))
    with running(app) as base:
        doc = sample.load(app.state.store)[0]
        app.state.store.update(
            "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
            f"DELETE {{ GRAPH <{doc}> {{ <{doc}> dcterms:title ?t }} }}\n"
            f"INSERT {{ GRAPH <{doc}> {{ <{doc}> dcterms:title \"A title {OVERRIDE}left open\" }} }}\n"
            f"WHERE {{ GRAPH <{doc}> {{ <{doc}> dcterms:title ?t }} }}")
        app.state.executor.notify_write()
        yield base


def test_an_override_left_open_in_a_title_does_not_reverse_the_rest_of_the_line(url):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + "/id/state/KZ")          # its newest documents: title, date, outlet on one line
            item = page.locator("ul.documents li", has_text="left open").first
            title, date = item.locator("a").first.bounding_box(), item.locator("time").first.bounding_box()
            assert title and date
            assert date["x"] >= title["x"] + title["width"] - 1, (title, date)   # the date after the title
        finally:
            browser.close()
