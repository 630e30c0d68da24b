"""The query page's own result table links only web IRIs, in a real browser.

Run from its button, the query page fetches the answer (SPARQL JSON, or N-Triples for a graph) and its
script draws the table. A crafted query link can make any IRI an answer, so ``javascript:`` and ``data:``
IRIs must be shown as text there: a link would run script on this origin when clicked. The server-drawn
table (``format=html``) is checked in ``tests/server/test_pages.py``; this checks the script's, and shows
with a copy of the page whose guard is taken out that the check would catch the link.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest

from . import test_browser

pytestmark = pytest.mark.browser

# the fixtures of test_browser.py, shared rather than copied (bound by assignment, not imported by name, so
# that the test arguments naming them are not taken for redefinitions)
server, browser, page = test_browser.server, test_browser.browser, test_browser.page

SCRIPTED = "javascript:alert(document.domain)"
SHOUTED = "JAVASCRIPT:alert(document.domain)"                      # schemes are case-insensitive
DATA = "data:text/html;base64,PHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ+"  # <script>alert(…)
NOT_WEB = (SCRIPTED, SHOUTED, DATA)
WEB = ("https://example.org/a", "HTTPS://example.org/B")            # links, whatever the case of the scheme
IRIS = NOT_WEB + WEB

#: The same IRIs as a SELECT (SPARQL JSON to the page) and as a CONSTRUCT (N-Triples to the page).
BINDS = " ".join(f'BIND(IRI("{iri}") AS ?v{i})' for i, iri in enumerate(IRIS))
QUERIES = {
    "select": f"SELECT * WHERE {{ {BINDS} }}",
    "construct": ("CONSTRUCT { " + " ".join(f"<https://example.org/s> <https://example.org/p> ?v{i} ."
                                             for i in range(len(IRIS))) + f" }} WHERE {{ {BINDS} }}"),
}
ANSWERS = ("application/sparql-results+json", "application/n-triples")

#: The page's guard: only an IRI this matches becomes a link.
GUARD = "/^https?:\\/\\//i.test(href)"


def run_as_a_user(page, server: str, query: str) -> None:
    """Open /query, type the query and press Run; wait for the table the page's script draws from the answer."""
    page.goto(server + "/query")
    assert page.locator("#sparql-results table").count() == 0     # no server-drawn table to mistake for it
    page.locator("#sparql-text").fill(query)
    with page.expect_response(lambda r: r.request.method == "POST"
                              and urllib.parse.urlsplit(r.url).path == "/sparql") as answer:
        page.locator("#sparql-form button[type=submit]").click()
    assert answer.value.ok, answer.value.text()
    assert answer.value.headers["content-type"].startswith(ANSWERS)
    # the script's status line ("5 rows · 0.01 s"); the form's own submit would have left /query
    page.locator("#sparql-status").filter(has_text=re.compile(r"^\d+ (rows?|triples?) · [\d.]+ s$")).wait_for()
    assert page.url == server + "/query"
    page.locator("#sparql-results table").wait_for()


def links_off_the_web(page) -> list[str]:
    """The hrefs of result-table links that would not go to a web page, as the browser reads their scheme."""
    return page.eval_on_selector_all(
        "#sparql-results table a",
        "as => as.filter(a => a.protocol !== 'http:' && a.protocol !== 'https:').map(a => a.getAttribute('href'))")


def dialogs_on_clicking(page, texts: tuple[str, ...]) -> list[str]:
    """Click the text shown in a result cell (the link or the plain text that holds it); the messages of any
    dialogs that opened, dismissed at once."""
    dialogs: list[str] = []

    def seen(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    for text in texts:
        page.locator("#sparql-results td > *").filter(has_text=re.compile(f"^{re.escape(text)}$")).first.click()
    page.wait_for_timeout(300)                                      # a javascript: link's alert comes after the click
    page.remove_listener("dialog", seen)
    return dialogs


@pytest.mark.parametrize("form", QUERIES)
def test_the_scripted_result_table_links_web_iris_only(server, page, form):
    run_as_a_user(page, server, QUERIES[form])
    assert links_off_the_web(page) == []
    hrefs = page.eval_on_selector_all("#sparql-results table a", "as => as.map(a => a.getAttribute('href'))")
    assert set(WEB) <= set(hrefs)
    shown = page.eval_on_selector_all("#sparql-results td span.iri", "ss => ss.map(s => s.textContent)")
    assert set(NOT_WEB) <= set(shown)                               # there, as text
    assert dialogs_on_clicking(page, NOT_WEB) == []


@pytest.mark.parametrize("form", QUERIES)
def test_the_check_finds_the_links_of_a_page_without_the_guard(server, page, form):
    # the same page with its guard taken out: the checks above must fail on it, or they prove nothing
    guarded: list[bool] = []

    def unguarded(route) -> None:
        response = route.fetch()
        body = response.text()
        guarded.append(GUARD in body)
        route.fulfill(response=response, body=body.replace(GUARD, "true"))

    page.route(server + "/query", unguarded)
    run_as_a_user(page, server, QUERIES[form])
    assert guarded == [True], "the query page's guard has changed: update GUARD"
    assert set(links_off_the_web(page)) == set(NOT_WEB)
    # both javascript: links ran; Chromium blocks a data: link as a top-level navigation anyway
    assert dialogs_on_clicking(page, NOT_WEB) == ["127.0.0.1", "127.0.0.1"]
