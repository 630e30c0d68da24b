"""The JSON API: lists and filters, pagination, entities with sources, search, documents."""

from __future__ import annotations

import contextlib
import json

import pytest
from browser import sample

from kgraph.articles import article_from_mapping
from kgraph.namespaces import ID

TOKEN = "test-write-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with sample.site(tmp_path_factory.mktemp("api")) as s:
        yield s


def ids(page: dict) -> list[str]:
    return [item["id"] for item in page["data"]]


# -- lists and filters ----------------------------------------------------------------------


def test_states_come_from_the_reference_data_with_their_codes(site):
    page = site.client.get("/api/states", params={"limit": 500}).json()
    assert page["count"] > 150
    kz = next(s for s in page["data"] if s["id"] == "state/KZ")
    assert kz["iso_code"] == "KZ" and kz["label"] == "Kazakhstan"


def test_officials_by_state(site):
    page = site.client.get("/api/officials", params={"state": "kz"}).json()
    assert set(ids(page)) == {"person/askar-mamin", "person/talgat-musabayev", "person/zhenis-kassymbek"}
    assert all(o["states"][0]["id"] == "state/KZ" for o in page["data"])


def test_organizations_by_state_and_type(site):
    agencies = site.client.get("/api/organizations", params={"type": "SpaceAgency", "state": "FR"}).json()
    assert "organization/cnes" in ids(agencies)
    assert all("SpaceAgency" in o["types"] for o in agencies["data"])
    bodies = site.client.get("/api/organizations", params={"type": "IntergovernmentalBody"}).json()
    assert any("baikonur" in i for i in ids(bodies))


def test_a_type_outside_the_kind_is_refused(site):
    assert site.client.get("/api/organizations", params={"type": "Treaty"}).status_code == 422


def test_the_type_filters_list_exactly_the_ontology_classes():
    from typing import get_args

    from kgraph.server import models, queries
    from kgraph.settings import Settings

    vocab = queries.vocabulary(Settings().ontology_path)
    assert set(get_args(models.OrganizationType)) == vocab.classes("Organization")
    assert set(get_args(models.AgreementType)) == vocab.classes("Agreement")
    assert set(get_args(models.PlaceType)) == vocab.classes("Place")
    every = {a for t in get_args(models.EntityType) for a in (get_args(t) or [t])}
    assert every == {c for c in vocab.descendants if c not in ("Document", "Sentence", "Attestation")}


def test_agreements_by_party_pair_date_and_type(site):
    get = site.client.get
    assert ids(get("/api/agreements", params={"party": ["KZ", "RU"]}).json()) == ["agreement/roadmap-baikonur-2016"]
    both = get("/api/agreements", params={"party": "KZ"}).json()
    assert ids(both) == ["agreement/memorandum-kz-fr-2021", "agreement/roadmap-baikonur-2016"]  # newest first
    assert ids(get("/api/agreements", params={"party": ["KZ", "FR"]}).json()) == ["agreement/memorandum-kz-fr-2021"]
    dated = get("/api/agreements", params={"signed_from": "2017-01-01", "signed_to": "2022-12-31"}).json()
    assert ids(dated) == ["agreement/memorandum-kz-fr-2021"]
    assert ids(get("/api/agreements", params={"type": "Roadmap"}).json()) == ["agreement/roadmap-baikonur-2016"]
    roadmap = both["data"][1]
    assert roadmap["signed_on"] == "2016-12-26"
    assert {p["id"] for p in roadmap["parties"]} == {"state/KZ", "state/RU"}
    assert {p["label"] for p in roadmap["signatories"]} == {"Askar Mamin", "Dmitry Rogozin"}


def test_projects_by_party(site):
    page = site.client.get("/api/projects", params={"party": "RU"}).json()
    assert "project/baiterek" in ids(page)


def test_meetings_by_state_participant_and_date(site):
    get = site.client.get
    meeting = "meeting/6th-session-baikonur-commission-2019-08-27"
    assert ids(get("/api/meetings", params={"state": "RU"}).json()) == [meeting]
    assert ids(get("/api/meetings", params={"state": "FR"}).json()) == []
    assert ids(get("/api/meetings", params={"participant": "person/yuri-borisov"}).json()) == [meeting]
    assert ids(get("/api/meetings", params={"held_from": "2019-08-27", "held_to": "2019-08-27"}).json()) == [meeting]
    assert ids(get("/api/meetings", params={"held_to": "2019-08-26"}).json()) == []
    m = get("/api/meetings").json()["data"][0]
    assert m["held_on"] == "2019-08-27" and m["held_at"][0]["label"] == "Moscow"
    assert {c["id"] for c in m["chairs"]} == {"person/yuri-borisov", "person/zhenis-kassymbek"}


@pytest.mark.parametrize("params", [{"state": "KAZ"}, {"state": "1"}, {"limit": 0}, {"limit": 501},
                                    {"offset": -1}, {"signed_from": "2019-02-30"}, {"signed_from": "0"}])
def test_bad_filters_are_rejected(site, params):
    path = "/api/agreements" if "signed_from" in params else "/api/officials"
    assert site.client.get(path, params=params).status_code == 422


def test_pages_are_stable_and_next_keeps_the_filters(site):
    first = site.client.get("/api/organizations", params={"type": "SpaceAgency", "limit": 3}).json()
    assert len(first["data"]) == 3 and first["count"] > 3
    assert "type=SpaceAgency" in first["next"] and "offset=3" in first["next"]
    second = site.client.get(first["next"]).json()
    assert second["count"] == first["count"]
    assert not set(ids(first)) & set(ids(second))
    collected, url = [], "/api/organizations?type=SpaceAgency&limit=7"
    while url:
        page = site.client.get(url).json()
        collected += ids(page)
        url = page["next"]
    assert len(collected) == len(set(collected)) == first["count"]
    assert collected[:3] == ids(first)


# -- one entity ------------------------------------------------------------------------------------


def test_an_entity_has_its_relations_both_ways_with_sources(site):
    e = site.client.get("/api/entities/person/yuri-borisov").json()
    assert e["label"] == "Yuri Borisov" and e["types"] == ["Official"] and "Yury Borisov" in e["alt_labels"]
    represents = next(r for r in e["relations_out"] if r["property"] == "sc:represents")
    assert represents["node"]["id"] == "state/RU" and represents["node"]["label"] == "Russia"
    (source,) = represents["sources"]
    assert source["document"] == site.documents[0]
    assert source["url"] == "https://example.org/news/baikonur-session"
    assert source["date"] == "2019-08-27"
    assert "co-chaired" in source["sentence"]
    chair = [r for r in e["relations_in"] if r["property"] == "sc:chair"]
    assert chair and chair[0]["node"]["id"].startswith("meeting/") and chair[0]["sources"]
    assert [d["id"] for d in e["documents"]] == [site.doc_id(0)]


def test_literal_relations_carry_their_datatype(site):
    e = site.client.get("/api/entities/agreement/roadmap-baikonur-2016").json()
    signed = next(r for r in e["relations_out"] if r["property"] == "sc:signedOn")
    assert signed["node"] == {"iri": None, "id": None, "label": None, "value": "2016-12-26",
                              "datatype": "http://www.w3.org/2001/XMLSchema#date"}


@pytest.mark.parametrize("path", ["person/nobody", "state/K>Z", "x", "state/KZ/extra"])
def test_unknown_entities_are_404(site, path):
    r = site.client.get("/api/entities/" + path)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not-found"


# -- search -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("bayterek", "project/baiterek"),          # an alias
    ("BAITEREK", "project/baiterek"),          # case
    ("etudes spatiales", "organization/cnes"),  # accents
    ("Mussabayev", "person/talgat-musabayev"),  # an alias from the document
    ("kz", "state/KZ"),                        # an ISO code
    ("rogozin", "person/dmitry-rogozin"),
])
def test_search_understands_aliases_case_and_accents(site, query, expected):
    page = site.client.get("/api/search", params={"q": query}).json()
    assert expected in ids(page)


def test_search_ranks_exact_names_first_and_filters_by_type(site):
    page = site.client.get("/api/search", params={"q": "russia"}).json()
    assert page["data"][0]["id"] == "state/RU"
    typed = site.client.get("/api/search", params={"q": "baikonur", "type": "Agreement"}).json()
    assert ids(typed) == ["agreement/roadmap-baikonur-2016"]


def test_search_needs_a_query(site):
    assert site.client.get("/api/search").status_code == 422
    assert site.client.get("/api/search", params={"q": ""}).status_code == 422


# -- two states, figures ---------------------------------------------------------------------------------


def test_between_two_states(site):
    b = site.client.get("/api/between/kz/RU").json()
    assert [s["label"] for s in b["states"]] == ["Kazakhstan", "Russia"]
    assert [(e["kind"], e["date"]) for e in b["events"]] == [("agreement", "2016-12-26"), ("meeting", "2019-08-27")]
    edges = {(e["source"].rsplit("/", 1)[-1], e["target"].rsplit("/", 1)[-1]): e["kinds"] for e in b["edges"]}
    assert edges[("askar-mamin", "dmitry-rogozin")] == ["signed"]
    assert edges[("yuri-borisov", "zhenis-kassymbek")] == ["met"]
    states = {n["id"]: n["state"] for n in b["nodes"]}
    assert states["person/yuri-borisov"] == "RU" and states["person/askar-mamin"] == "KZ"


def test_between_needs_two_known_states(site):
    same = site.client.get("/api/between/KZ/kz", follow_redirects=False)
    assert same.status_code == 307 and same.headers["location"] == "/api/entities/state/KZ"
    assert site.client.get("/api/between/KZ/QQ").status_code == 404
    assert site.client.get("/api/between/KZ/RUS").status_code == 422


def test_stats(site):
    stats = site.client.get("/api/stats").json()
    assert stats["documents"] == 3 and stats["classes"]["Official"] >= 6 and stats["triples"] > 0


# -- documents ------------------------------------------------------------------------------------------


def test_documents_list_newest_first(site):
    page = site.client.get("/api/documents").json()
    assert page["count"] == 3
    assert [d["date"] for d in page["data"]] == ["2021-04-12", "2019-08-27", "2016-12-26"]
    assert all(d["statements"] > 0 for d in page["data"])
    mentions = site.client.get("/api/documents", params={"mentions": "person/yuri-borisov"}).json()
    assert [d["iri"] for d in mentions["data"]] == [site.documents[0]]
    since = site.client.get("/api/documents", params={"issued_from": "2019-01-01"}).json()
    assert since["count"] == 2


def test_one_document_with_its_facts_and_sentences(site):
    d = site.client.get("/api/documents/" + site.doc_id(1)).json()
    assert d["title"] == "Kazakhstan, Russia sign roadmap on Baikonur" and d["statements"] > 0
    signed = [f for f in d["facts"] if f["property"] == "sc:signatory"]
    assert {f["node"]["label"] for f in signed} == {"Askar Mamin", "Dmitry Rogozin"}
    assert all("signed a roadmap" in f["sentence"] for f in signed)
    assert {"person/askar-mamin", "state/KZ"} <= {e["id"] for e in d["entities"]}


def test_other_methods_are_405_with_the_full_allow_list(site):
    for path, allowed in [("/api/documents", "GET, HEAD, POST"),
                          ("/api/documents/" + site.doc_id(0), "GET, HEAD, DELETE")]:
        for method in ["PUT", "PATCH", "OPTIONS"]:
            r = site.client.request(method, path)
            assert r.status_code == 405 and r.headers["allow"] == allowed
            assert r.json()["error"]["message"].startswith("/api/documents")  # the path as requested
        head, get = site.client.head(path), site.client.get(path)
        assert head.status_code == get.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]


def test_unknown_or_malformed_document_ids(site):
    assert site.client.get("/api/documents/ffffffffffffffff").status_code == 404
    assert site.client.get("/api/documents/not-hex").status_code == 422


# -- writes ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def writable_site(folder):
    from kgraph.ingest import Ingestor

    with sample.site(folder, write_token=TOKEN) as s:
        s.app.state.ingestor = Ingestor(s.app.state.store, s.app.state.settings, extractor=sample.StubExtractor())
        yield s


@pytest.fixture
def writable(tmp_path):
    with writable_site(tmp_path) as s:
        yield s


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A writable server for tests that must not manage to write."""
    with writable_site(tmp_path_factory.mktemp("guarded")) as s:
        yield s


def test_writes_need_a_token(site, guarded):
    writable = guarded
    body = {"text": "Kazakhstan and Russia met."}
    assert site.client.post("/api/documents", json=body).status_code == 403  # read-only server
    assert writable.client.post("/api/documents", json=body).status_code == 401
    assert writable.client.post("/api/documents", json=body,
                                headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert writable.client.delete("/api/documents/" + writable.doc_id(0)).status_code == 401
    assert writable.app.state.store.has_graph(writable.documents[0])


def test_the_token_is_checked_and_the_body_capped_before_the_body_is_read(guarded, tmp_path):
    # FastAPI reads and parses a body before it solves dependencies: a client without the token made the
    # server parse a body of any size, and a body too long for any article was read whole
    before = guarded.app.state.store.named_graphs()
    r = guarded.client.post("/api/documents", content=b'{"text": ' + b"[" * 50_000,
                            headers={"Content-Type": "application/json"})
    assert r.status_code == 401, r.text                                   # not 400: the body was not read
    from kgraph.articles import MAX_FIELD_CHARS

    with sample.site(tmp_path, write_token=TOKEN, max_article_bytes=1_000) as small:
        cap = 1_000 * 6 + 12 * sum(MAX_FIELD_CHARS.values()) + 65_536    # an article at the limits, all escaped
        body = json.dumps({"text": "x" * (cap + 1)}).encode()

        def streamed():                                                   # no Content-Length: counted as read
            yield body[:cap // 2]
            yield body[cap // 2:]

        for content in (body, streamed()):
            r = small.client.post("/api/documents", content=content, headers={**AUTH, "Content-Type": "application/json"})
            assert r.status_code == 413 and r.json()["error"]["code"] == "limit-exceeded", r.text
        r = small.client.post("/api/documents", json={"text": "x" * 2_000}, headers=AUTH)
        assert r.status_code == 400 and "limit of 1000 bytes" in r.json()["error"]["message"]   # under the cap
        # an article at every limit, all escaped (an astral character is two escapes): under the cap
        widest = {"text": "\u00e9" * 500, **{f: "\U0001F680" * n for f, n in MAX_FIELD_CHARS.items() if f != "date"}}
        r = small.client.post("/api/documents", content=json.dumps(widest).encode(),
                              headers={**AUTH, "Content-Type": "application/json"})
        assert r.status_code in (400, 422), r.text               # read, then refused for its content (not 413)
    assert guarded.app.state.store.named_graphs() == before


def test_a_client_that_leaves_before_its_body_is_sent_is_a_400_not_a_500(guarded):
    # the body is read by the write route itself now; Starlette's ClientDisconnect reached the log as a 500
    import anyio

    app, sent = guarded.app, []
    scope = {"type": "http", "method": "POST", "path": "/api/documents", "raw_path": b"/api/documents",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "server": ("testserver", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"),
                         (b"authorization", AUTH["Authorization"].encode())]}
    messages = [{"type": "http.request", "body": b'{"text": "Kazakh', "more_body": True}, {"type": "http.disconnect"}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    anyio.run(app, scope, receive, send)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 400, sent[:1]


@pytest.mark.parametrize(("body", "status"), [
    ({"text": ""}, 422), ({}, 422), ({"text": "x", "color": "red"}, 422), ({"text": 5}, 422),
    ({"text": "abc\x00def ghi"}, 400), ({"text": "Real words here.", "date": "2019-02-30"}, 400),
    ({"text": "  \n  "}, 400), ({"text": "12 34 56"}, 400),
])
def test_bad_articles_are_refused_and_nothing_is_written(guarded, body, status):
    writable = guarded
    before = writable.app.state.store.named_graphs()
    r = writable.client.post("/api/documents", json=body, headers=AUTH)
    assert r.status_code == status, r.text
    assert r.json()["error"]["message"] if status == 400 else r.json()
    assert writable.app.state.store.named_graphs() == before


def test_posting_an_article_ingests_it_and_answers_what_was_extracted(writable):
    roadmap = sample.articles()[1].article
    store = writable.app.state.store
    store.drop_graph(roadmap.iri)
    writable.app.state.executor.notify_write()
    assert not writable.client.get("/api/search", params={"q": "rogozin"}).json()["data"]
    body = {"text": roadmap.text, "url": roadmap.url, "date": "2016-12-26", "outlet": "Kazinform", "title": "Roadmap"}
    r = writable.client.post("/api/documents", json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["iri"] == roadmap.iri and created["id"] == roadmap.key
    assert created["validation"]["conforms"] and not created["validation"]["quarantined"]
    assert {"person/dmitry-rogozin", "state/KZ"} <= {e["id"] for e in created["entities"]}
    signed = next(f for f in created["facts"] if f["property"] == "sc:signedOn")
    assert signed["node"]["value"] == "2016-12-26" and "roadmap" in signed["sentence"]
    assert created["statements"] == store.count(roadmap.iri) > 0
    # the write is visible at once: document, search index
    assert writable.client.get("/api/documents/" + roadmap.key).json()["title"] == "Roadmap"
    assert "person/dmitry-rogozin" in ids(writable.client.get("/api/search", params={"q": "rogozin"}).json())


def test_white_space_around_a_url_or_date_is_taken_away_as_when_read_from_a_file(writable):
    # the API refused " https://… " with a 422 while `kgraph ingest` read the same JSON line
    roadmap = sample.articles()[1].article
    writable.app.state.store.drop_graph(roadmap.iri)
    body = {"text": roadmap.text, "url": f"  {roadmap.url}\n", "date": " 2016-12-26 "}
    r = writable.client.post("/api/documents", json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["iri"] == roadmap.iri == article_from_mapping(body, where="line").iri


def test_violating_statements_are_quarantined_and_reported(writable):
    r = writable.client.post("/api/documents", json={"text": "Something to VIOLATE the shapes."}, headers=AUTH)
    assert r.status_code == 201, r.text
    v = r.json()["validation"]
    assert not v["conforms"] and v["violations"] and v["rejected_statements"] > 0 and v["quarantined"]
    assert all(i["severity"] for i in v["violations"])


def test_deleting_a_document_removes_exactly_its_statements(writable):
    store = writable.app.state.store
    gone, kept = writable.documents[2], writable.documents[:2]
    sizes = {d: store.count(d) for d in kept}
    union_before = store.count(None)
    r = writable.client.delete("/api/documents/" + writable.doc_id(2), headers=AUTH)
    assert r.status_code == 200 and r.json() == {"iri": gone, "id": writable.doc_id(2), "deleted": True}
    assert not store.has_graph(gone)
    assert {d: store.count(d) for d in kept} == sizes
    assert store.count(None) < union_before
    assert writable.client.get("/api/documents/" + writable.doc_id(2)).status_code == 404
    assert writable.client.get("/api/entities/agreement/memorandum-kz-fr-2021").status_code == 404
    assert "person/jean-yves-le-gall" not in ids(writable.client.get("/api/search", params={"q": "le gall"}).json())
    # what other documents say about shared entities stays
    assert writable.client.get("/api/entities/person/askar-mamin").status_code == 200
    assert writable.client.delete("/api/documents/" + writable.doc_id(2), headers=AUTH).status_code == 404


@pytest.mark.slow
def test_posting_a_real_article_through_the_real_pipeline(tmp_path):
    from shared_paths import SEEDS

    from kgraph.articles import read_path

    seed = next(iter(sorted(SEEDS.glob("*.txt"))), None) if SEEDS.exists() else None
    if seed is None:
        pytest.skip("the seed articles are not present")
    article = next(a for a in read_path(seed) if not isinstance(a, Exception))
    with sample.site(tmp_path, write_token=TOKEN) as s:
        r = s.client.post("/api/documents", headers=AUTH,
                          json={"text": article.text, "date": article.date.isoformat() if article.date else None})
        assert r.status_code == 201, r.text
        created = r.json()
        assert created["entities"] and created["facts"]
        assert s.client.get("/id/document/" + created["id"], headers={"Accept": "text/turtle"}).status_code == 200


# -- the OpenAPI description -------------------------------------------------------------------------------


def test_openapi_has_clean_operation_ids_and_a_model_for_every_answer(site):
    spec = site.client.get("/openapi.json").json()
    api_ops = {(path, method): op for path, ops in spec["paths"].items() if path.startswith("/api/")
               for method, op in ops.items()}
    assert {op["operationId"] for op in api_ops.values()} >= {
        "list_states", "list_officials", "list_organizations", "list_agreements", "list_projects", "list_meetings",
        "get_entity", "search", "list_documents", "get_document", "create_document", "delete_document_route"}
    for (path, method), op in api_ops.items():
        ok = op["responses"].get("201") or op["responses"]["200"]
        assert "$ref" in ok["content"]["application/json"]["schema"], (path, method)
    page = spec["components"]["schemas"]["Page_AgreementOut_"]
    assert set(page["properties"]) == {"data", "count", "next"}
    assert "DocumentIn" in spec["components"]["schemas"] and "DocumentCreated" in spec["components"]["schemas"]


def test_id_paths_match_minted_iris(site):
    e = site.client.get("/api/entities/state/KZ").json()
    assert e["iri"] == str(ID) + "state/KZ" and e["id"] == "state/KZ"


def test_an_entity_lists_its_newest_documents_and_counts_them_all(site, monkeypatch):
    """A hub (a state named in thousands of articles) lists the newest MAX_DOCUMENTS and says how many
    there are; the others are paged by /api/documents?mentions= and the /documents page."""
    from kgraph.server import queries

    everything = site.client.get("/api/documents", params={"mentions": "state/KZ"}).json()
    assert everything["count"] >= 2
    monkeypatch.setattr(queries, "MAX_DOCUMENTS", 1)
    site.app.state.executor.notify_write()  # responses computed with the former limit are not served again
    kz = site.client.get("/api/entities/state/KZ").json()
    assert kz["documents_count"] == everything["count"]
    assert [d["iri"] for d in kz["documents"]] == [everything["data"][0]["iri"]]
    assert not any(r["property"] == "sc:mentionedIn" for r in kz["relations_out"])
    page = site.client.get("/id/state/KZ", headers={"Accept": "text/html"}).text
    assert f'href="/documents?mentions=state/KZ">All {everything["count"]} documents naming it' in page
    listed = site.client.get("/documents", params={"mentions": "state/KZ"}, headers={"Accept": "text/html"})
    assert listed.status_code == 200 and "The news articles naming" in listed.text
    assert all(d["iri"].rsplit("/", 1)[-1] in listed.text for d in everything["data"])


def test_the_next_link_is_under_the_public_base_url(tmp_path):
    with sample.site(tmp_path, base_url="https://kg.example.org/") as s:
        page = s.client.get("/api/states", params={"limit": 2}).json()
        assert page["next"] == "https://kg.example.org/api/states?offset=2&limit=2"
        assert s.client.get(page["next"].removeprefix("https://kg.example.org")).json()["data"]


def test_the_openapi_description_declares_the_error_shape_the_server_sends(site):
    spec = site.client.get("/openapi.json").json()
    r = site.client.get("/api/states", params={"limit": 0})
    assert r.status_code == 422 and set(r.json()) == {"error"} and r.json()["error"]["errors"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "404", "422"):
                ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (path, method, status)
    assert "error" in spec["components"]["schemas"]["ErrorBody"]["required"]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_docs_load_their_scripts_from_the_app_itself(site, path):
    # FastAPI's pages load Swagger UI and ReDoc from cdn.jsdelivr.net: blank on a network without the internet
    import re

    page = site.client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assets = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)["\']', page.text)
    assert any(a.endswith(".js") for a in assets), assets
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), f"{path} loads {asset} from elsewhere"
        served = site.client.get(asset)
        assert served.status_code == 200 and len(served.content) > 1000, asset
    assert "/openapi.json" in page.text and site.client.get("/openapi.json").status_code == 200
