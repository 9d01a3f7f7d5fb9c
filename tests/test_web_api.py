"""The web app and REST API against a store filled by the real pipeline (tests/webcorpus.py): pagination, 404s,
filters, escaping of hostile articles, security headers, the upload token and CSRF, and a schemathesis run over
the OpenAPI description that no request makes the server fail."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webcorpus import build_store

from pressespiegel.config import Settings, Web
from pressespiegel.web import create_app
from pressespiegel.web.app import BodyLimit

TOKEN = "ein-langer-geheimer-schluessel-42"


@pytest.fixture(scope="module")
def web_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def app(web_db):
    return create_app(str(web_db))


@pytest.fixture(scope="module")
def client(app) -> TestClient:
    return TestClient(app)


@pytest.fixture
def writable(web_db, tmp_path) -> TestClient:
    """An app with a write token, over a copy of the store (uploads change it)."""
    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    return TestClient(create_app(str(db), Settings(web=Web(token=TOKEN))))


def _id_by_title(client: TestClient, start: str) -> int:
    items = client.get("/api/articles", params={"limit": 100}).json()["items"]
    return next(a["id"] for a in items if (a["title"] or "").startswith(start))


def _bridge_story(client: TestClient) -> int:
    return client.get(f"/api/articles/{_id_by_title(client, 'Risse im Pfeiler')}").json()["story_id"]


# -- lists, pagination, details, 404 -----------------------------------------------------------------------------------
def test_articles_paginate(client):
    first = client.get("/api/articles", params={"limit": 3}).json()
    second = client.get("/api/articles", params={"limit": 3, "offset": 3}).json()
    assert first["total"] == second["total"] == 8
    assert len(first["items"]) == 3 and first["limit"] == 3 and second["offset"] == 3
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}
    dates = [a["published"] for a in first["items"] + second["items"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    tail = client.get("/api/articles", params={"limit": 100, "offset": 6}).json()
    assert len(tail["items"]) == 2


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"},
                                    {"date_from": "2026-13-01"}, {"date_to": "gestern"}])
def test_bad_list_parameters_are_rejected(client, params):
    response = client.get("/api/articles", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_stories_ordered_by_size_with_outlets(client):
    page = client.get("/api/stories").json()
    sizes = [s["size"] for s in page["items"]]
    assert page["total"] == len(sizes) >= 3 and sizes == sorted(sizes, reverse=True)
    bridge = next(s for s in page["items"] if s["title"].startswith("Falkenrieder Talbrücke"))
    assert bridge["size"] == 3 == sizes[0]
    assert sum(o["articles"] for o in bridge["outlets"]) == 3
    recent = client.get("/api/stories", params={"sort": "recent"}).json()["items"]
    lasts = [s["last_published"] for s in recent]
    assert lasts == sorted(lasts, reverse=True)


def test_story_detail_answers_who_said_what_and_which_figures_differ(client):
    story = client.get(f"/api/stories/{_bridge_story(client)}").json()
    assert {a["title"][:20] for a in story["articles"]} == {"Risse im Pfeiler: Ta", "Talbrücke Falkenried",
                                                             "Falkenrieder Talbrüc"}
    said = [q for q in story["quotes"] if q["speaker"] == "Petra Lindholm" and q["text"].startswith("Die Sicherheit")]
    assert len(said) == 1 and len(said[0]["outlets"]) == 2 and len(said[0]["articles"]) == 2  # one statement, 2 outlets
    pendler = [c for c in story["conflicts"] if c["unit"] == "Pendler"]
    assert pendler and sorted({s["value"] for s in pendler[0]["sides"]}) == [1800.0, 2000.0]
    assert all(s["text"] in s["context"] for s in pendler[0]["sides"])
    assert [c["date"] for c in story["coverage"]] == ["2026-10-05", "2026-10-06", "2026-10-07"]
    assert any(t["date"] == "1968" for t in story["timeline"])
    assert any(e["canonical"] == "Falkenried" for e in story["entities"])


def test_article_detail_keeps_text_comments_and_provenance(client):
    doc_id = _id_by_title(client, "Streit um Parkgebühren")
    a = client.get(f"/api/articles/{doc_id}").json()
    assert "<script>window.__pwned='html-title'</script>" in a["title"]  # stored as written, escaped when shown
    assert a["url"] is None  # a javascript: address is never offered as a link
    assert [c["author"] for c in a["comments"]] == ["Skript_Kiddie", "Anwohner_B"]
    assert len(a["content_hash"]) == 64 and a["kind"] == "html" and a["published"] == "2026-10-08"
    assert all(a["text"][e["start"]:e["end"]] == e["text"] for e in a["entities"])


@pytest.mark.parametrize("path", ["/api/articles/999999", "/api/stories/999999", "/api/entities/per:nichtda"])
def test_api_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/articles/999999", "/stories/999999", "/entities/per:nichtda", "/nirgends"])
def test_page_404_is_a_page(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "Nicht gefunden" in response.text


# -- filters -----------------------------------------------------------------------------------------------------------
def test_article_filters(client):
    kb = client.get("/api/articles", params={"outlet": "kreisbote.de"}).json()
    assert kb["total"] == 2 and {a["outlet"] for a in kb["items"]} == {"kreisbote.de"}
    window = client.get("/api/articles", params={"date_from": "2026-10-05", "date_to": "2026-10-06"}).json()
    assert window["total"] == 2 and all("2026-10-05" <= a["published"] <= "2026-10-06" for a in window["items"])


def test_entities_and_entity_filter(client):
    found = client.get("/api/entities", params={"q": "lindholm"}).json()["items"]
    person = next(e for e in found if e["canonical"] == "Petra Lindholm")
    assert person["label"] == "PER" and person["documents"] >= 2
    stories = client.get("/api/stories", params={"entity": person["id"]}).json()
    assert stories["total"] == 1 and stories["items"][0]["id"] == _bridge_story(client)
    detail = client.get(f"/api/entities/{person['id']}").json()
    assert any(q["text"].startswith("Die Sicherheit") for q in detail["quotes_by"])
    assert any(c["canonical"] == "Falkenried" for c in detail["cooccurring"])
    assert sum(d["count"] for d in detail["coverage"]) == person["documents"]


def test_quote_search(client):
    hits = client.get("/api/quotes", params={"speaker": "lindholm"}).json()
    assert hits["total"] >= 2 and all("Lindholm" in q["speaker"] for q in hits["items"])
    words = client.get("/api/quotes", params={"q": "wohnzimmer"}).json()
    assert words["total"] == 2 and {q["outlet"] for q in words["items"]} == {"kreisbote.de", "abendzeitung-gw.de"}
    direct = client.get("/api/quotes", params={"kind": "direct", "speaker": "Vogt"}).json()
    assert direct["items"] and all(q["kind"] == "direct" for q in direct["items"])


def test_full_text_search_with_filters(client):
    hits = client.get("/api/search", params={"q": "Talbrücke Pfeiler"}).json()
    assert hits["total"] == 3 and all("**" in h["snippet"] for h in hits["items"])
    narrowed = client.get("/api/search", params={"q": "Talbrücke", "outlet": "kreisbote.de"}).json()
    assert [h["title"] for h in narrowed["items"]] == ["Talbrücke Falkenried: Gutachter prüfen Pfeiler"]
    by_date = client.get("/api/search", params={"q": "Talbrücke", "sort": "date"}).json()["items"]
    assert [h["published"] for h in by_date] == sorted((h["published"] for h in by_date), reverse=True)
    # FTS syntax in the query is taken as words, not as operators
    assert client.get("/api/search", params={"q": 'Talbrücke" OR NEAR(x'}).status_code == 200
    assert client.get("/api/search", params={"q": "Umleitung -Pfeiler*"}).status_code == 200


def test_query_length_and_page_limits(client):
    long = "a" * 201
    assert client.get("/api/search", params={"q": long}).status_code == 422
    assert client.get("/api/search", params={"q": ""}).status_code == 422
    assert client.get("/api/quotes", params={"q": long}).status_code == 422
    page = client.get("/search", params={"q": long})
    assert page.status_code == 400 and "Ungültige Angabe" in page.text
    assert client.get("/", params={"date_from": "bald"}).status_code == 400
    assert client.get("/", params={"page": 0}).status_code == 400


# -- pages: escaping, safe links ---------------------------------------------------------------------------------------
_SAFE_HREF = re.compile(r"^(/|#|https?://)")


def assert_inert(html: str) -> None:
    """No element or attribute that can run code: no script except the app's own files, no inline handlers, no
    frames or objects, links only to this app, anchors or http(s)."""
    tree = lxml.html.fromstring(html)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in ("iframe", "object", "embed", "img", "base", "form") or el.tag == "form" and \
            el.get("action", "").startswith("/"), lxml.html.tostring(el)[:200]
        if el.tag == "script":
            assert el.get("src", "").startswith("/") and not (el.text or "").strip()
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                assert _SAFE_HREF.match(value), (el.tag, name, value)
            assert "javascript:" not in value.lower() or name in ("title", "value", "aria-label"), (el.tag, name)


def test_hostile_article_is_shown_as_text(client):
    doc_id = _id_by_title(client, "Streit um Parkgebühren")
    page = client.get(f"/articles/{doc_id}")
    assert page.status_code == 200
    assert_inert(page.text)
    assert "&lt;script&gt;window.__pwned=&#39;html-title&#39;&lt;/script&gt;" in page.text
    assert "&lt;img src=x onerror=" in page.text and "&lt;a href=&#34;" in page.text  # markup shown as text
    assert "javascript:window.__pwned=&#39;html-link&#39;" in page.text
    comments = client.get(f"/articles/{doc_id}", params={"tab": "comments"})
    assert_inert(comments.text)
    assert "Skript_Kiddie" in comments.text and "&lt;script&gt;window.__pwned=&#39;html-comment&#39;" in comments.text


@pytest.mark.parametrize("path", ["/", "/?sort=recent", "/entities", "/quotes", "/quotes?q=Innenstadt",
                                  "/search?q=Parkgebühren", "/search?q=Stadtfest", "/search?q=script", "/upload",
                                  "/docs"])
def test_pages_are_inert(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_inert(response.text)


def test_story_and_entity_pages_are_inert(client):
    for a in client.get("/api/articles", params={"limit": 100}).json()["items"]:
        page = client.get(f"/articles/{a['id']}")
        assert page.status_code == 200
        assert_inert(page.text)
        if a["story_id"] is not None:
            story = client.get(f"/stories/{a['story_id']}")
            assert story.status_code == 200
            assert_inert(story.text)
    for e in client.get("/api/entities", params={"limit": 100}).json()["items"]:
        page = client.get(f"/entities/{e['id']}")
        assert page.status_code == 200, e
        assert_inert(page.text)


def test_story_page_shows_quotes_conflicts_and_charts(client):
    page = client.get(f"/stories/{_bridge_story(client)}").text
    assert "Wer sagt was" in page and "Petra Lindholm" in page and "in 2 Medien" in page
    assert "Abweichende Zahlen" in page and "2.000 Pendler" in page and "1.800 Pendler" in page
    assert page.count("<svg") >= 2 and "Zeitleiste" in page


def test_overview_filters_by_outlet_date_and_entity_name(client):
    page = client.get("/", params={"outlet": "abendzeitung-gw.de"}).text
    assert "Stadtbibliothek" in page and "Talbrücke gesperrt" not in page
    page = client.get("/", params={"entity": "Petra Lindholm"}).text
    assert "Talbrücke gesperrt" in page and "Stadtbibliothek" not in page
    assert client.get("/", params={"entity": "Niemand Bekanntes"}).status_code == 404
    page = client.get("/", params={"date_from": "2026-10-03", "date_to": "2026-10-04"}).text
    assert "Stadtbibliothek" in page and "Talbrücke gesperrt" not in page


# -- security ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/api/stories", "/api/articles/999999", "/static/style.css", "/docs"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_pages_and_api_cannot_write(app):
    from sqlalchemy import text

    with app.state.reader.engine.connect() as conn, pytest.raises(Exception, match="readonly|read-only"):
        conn.execute(text("DELETE FROM stories"))


def test_upload_disabled_without_configured_token(client):
    page = client.get("/upload")
    assert "Hochladen ist abgeschaltet" in page.text
    files = {"file": ("a.txt", "Ein Text über Falkenried. " * 20, "text/plain")}
    assert client.post("/api/documents", files=files, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 403
    csrf = page.cookies.get("pressespiegel_csrf") or "x" * 40
    response = client.post("/upload", files=files, data={"csrf": csrf, "token": TOKEN})
    assert response.status_code == 403


NEW_ARTICLE = ("Neuer Radweg in Falkenried\n\nDie Stadt Falkenried baut einen neuen Radweg entlang der Talstraße. "
               "Die Arbeiten beginnen am Montag und sollen bis zum Frühjahr dauern, sagte Baudezernentin Ina Krüger "
               "am Dienstag. Der Radweg kostet nach Angaben der Stadt rund 1,2 Millionen Euro.\n")


def test_api_upload_needs_the_token(writable):
    files = {"file": ("radweg.txt", NEW_ARTICLE, "text/plain")}
    assert writable.post("/api/documents", files=files).status_code == 403
    assert writable.post("/api/documents", files=files, headers={"Authorization": "Bearer falsch"}).status_code == 403
    response = writable.post("/api/documents", files=files, data={"published": "2026-10-09"},
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text
    result = response.json()
    assert len(result["stored"]) == 1 and not result["rejected"]
    article = writable.get(f"/api/articles/{result['stored'][0]}").json()
    assert article["title"] == "Neuer Radweg in Falkenried" and article["published"] == "2026-10-09"
    again = writable.post("/api/documents", files=files, headers={"X-Pressespiegel-Token": TOKEN}).json()
    assert again["stored"] == [] and again["skipped"] == 1  # the same content is stored once


def test_api_upload_rejects_bad_files_with_reasons(writable):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    empty = writable.post("/api/documents", files={"file": ("leer.txt", b"", "text/plain")}, headers=headers)
    assert empty.status_code == 400
    binary = writable.post("/api/documents", files={"file": ("x.pdf", b"%PDF-1.4\x00\x01", "application/pdf")},
                           headers=headers)
    assert binary.status_code == 201 and binary.json()["rejected"] and binary.json()["stored"] == []
    sneaky = writable.post("/api/documents", headers=headers,
                           files={"file": ("../../etc/passwd.txt", NEW_ARTICLE.replace("Radweg", "Fußweg"), "text/plain")})
    assert sneaky.status_code == 201 and ".." not in sneaky.json()["file"]
    assert sneaky.json()["file"].endswith("/passwd.txt") and sneaky.json()["file"].count("/") == 1


def test_html_upload_needs_csrf_and_token(writable):
    form = writable.get("/upload")
    assert form.status_code == 200
    csrf = lxml.html.fromstring(form.text).xpath("//input[@name='csrf']/@value")[0]
    assert writable.cookies.get("pressespiegel_csrf") == csrf
    files = {"file": ("radweg.txt", NEW_ARTICLE, "text/plain")}
    assert writable.post("/upload", files=files, data={"token": TOKEN}).status_code == 403  # no CSRF token
    assert writable.post("/upload", files=files, data={"token": TOKEN, "csrf": "x" * 43}).status_code == 403
    assert writable.post("/upload", files=files, data={"token": "falsch-falsch-falsch", "csrf": csrf}).status_code \
        == 403
    cross = writable.post("/upload", files=files, data={"token": TOKEN, "csrf": csrf},
                          headers={"Origin": "https://boese.example"})
    assert cross.status_code == 403
    ok = writable.post("/upload", files=files, data={"token": TOKEN, "csrf": csrf, "published": "2026-10-09"})
    assert ok.status_code == 200 and "1 neu gespeichert" in ok.text and "Neuer Radweg in Falkenried" in ok.text
    assert_inert(ok.text)


def test_request_bodies_need_a_declared_length_within_the_limit():
    async def ok(scope, receive, send):  # pragma: no cover - never reached for refused requests
        from starlette.responses import PlainTextResponse

        await PlainTextResponse("ok")(scope, receive, send)

    small = TestClient(BodyLimit(ok, limit=10))
    assert small.post("/", content=b"0123456789abc").status_code == 413
    assert small.post("/", content=b"0123").status_code == 200


# -- OpenAPI, docs, fuzzing ---------------------------------------------------------------------------------------------
def test_openapi_and_offline_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}",
                 "/api/entities", "/api/quotes", "/api/search"):
        assert path in spec["paths"]
    assert not any(p.startswith(("/stories", "/articles")) for p in spec["paths"])  # pages are not API
    docs = client.get("/docs").text
    assert "http://" not in docs and "https://" not in docs  # nothing from a CDN
    for src in re.findall(r'(?:src|href)="([^"]+)"', docs):
        assert client.get(src).status_code == 200, src


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_no_request_makes_the_api_fail(app, mode):
    """Schemathesis generates requests for every operation of /openapi.json (valid ones, then invalid ones); none
    may end in a server error. (Driven through hypothesis directly: schemathesis' pytest plugin does not run under
    pytest 9.)"""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:
        try:
            strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))
        except Exception:  # noqa: BLE001 - an operation with nothing to make invalid has no negative cases
            assert mode == "negative"
            continue

        @given(case=strategy)
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call()
            assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:300])
            if mode == "negative" and case.method == "GET":
                assert response.status_code in (200, 404, 422)

        check()


@given(value=st.text(max_size=60), param=st.sampled_from(["q", "entity", "outlet", "speaker", "date_from", "sort",
                                                           "page", "tab", "label", "kind"]),
       path=st.sampled_from(["/", "/search", "/quotes", "/entities", "/articles/1"]))
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_query_makes_a_page_fail(client, value, param, path):
    response = client.get(path, params={param: value, "q": value} if path == "/search" else {param: value})
    assert response.status_code in (200, 400, 404), (path, param, value, response.status_code)


# -- PostgreSQL ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pg_client(tmp_path_factory):
    """The same corpus in a PostgreSQL store (skipped without PRESSESPIEGEL_TEST_PG; .ci/run starts a server)."""
    from conftest import pg_database

    with pg_database() as url:
        build_store(tmp_path_factory.mktemp("webpg"), url)
        app = create_app(url)
        yield TestClient(app)
        app.state.reader.close()
        app.state.store.close()


def test_postgresql_store_serves_the_same_answers(pg_client, client):
    for path, params in [("/api/stories", {}), ("/api/stories", {"sort": "recent", "outlet": "kreisbote.de"}),
                         ("/api/articles", {"date_from": "2026-10-05", "date_to": "2026-10-06"}),
                         ("/api/quotes", {"speaker": "lindholm"}), ("/api/quotes", {"q": "Wohnzimmer"}),
                         ("/api/entities", {"q": "lindholm"})]:
        pg, lite = pg_client.get(path, params=params).json(), client.get(path, params=params).json()
        assert pg["total"] == lite["total"], (path, params)
    person = pg_client.get("/api/entities", params={"q": "lindholm"}).json()["items"][0]
    detail = pg_client.get(f"/api/entities/{person['id']}").json()
    assert any(q["text"].startswith("Die Sicherheit") for q in detail["quotes_by"])
    story_id = pg_client.get("/api/stories", params={"entity": person["id"]}).json()["items"][0]["id"]
    story = pg_client.get(f"/api/stories/{story_id}").json()
    assert any(c["unit"] == "Pendler" for c in story["conflicts"])
    hits = pg_client.get("/api/search", params={"q": "Talbrücken Pfeiler"}).json()  # stemmed: Talbrücken → Talbrück
    assert hits["total"] >= 3 and all("**" in h["snippet"] for h in hits["items"])
    narrowed = pg_client.get("/api/search", params={"q": "Talbrücke", "outlet": "kreisbote.de", "sort": "date"}).json()
    assert [h["outlet"] for h in narrowed["items"]] == ["kreisbote.de"]
    for path in ("/", f"/stories/{story_id}", f"/entities/{person['id']}", "/search?q=Parkgebühren",
                 "/quotes?q=Innenstadt"):
        page = pg_client.get(path)
        assert page.status_code == 200, path
        assert_inert(page.text)
    with pg_client.app.state.reader.engine.connect() as conn, pytest.raises(Exception, match="read-only"):
        from sqlalchemy import text

        conn.execute(text("DELETE FROM stories"))


# -- command line and settings -----------------------------------------------------------------------------------
def test_serve_command_refuses_a_missing_or_broken_database(tmp_path):
    from typer.testing import CliRunner

    from pressespiegel.cli import app as cli

    runner = CliRunner()
    missing = runner.invoke(cli, ["serve", "--db", str(tmp_path / "nichts.db")])
    assert missing.exit_code == 3 and "no database" in missing.output
    broken = tmp_path / "kaputt.db"
    broken.write_text("kein SQLite")
    result = runner.invoke(cli, ["serve", "--db", str(broken)])
    assert result.exit_code == 3 and "cannot open the database" in result.output
    assert runner.invoke(cli, ["serve", "--port", "0", "--db", str(broken)]).exit_code == 2


def test_web_token_setting(tmp_path):
    from pressespiegel.config import load_settings

    good = tmp_path / "good.toml"
    good.write_text('[web]\ntoken = "  ein-langer-geheimer-schluessel  "\n', encoding="utf-8")
    assert load_settings(good).web.token == "ein-langer-geheimer-schluessel"
    for body in ('[web]\ntoken = "kurz"\n', "[web]\ntoken = 12345678901234567\n", '[web]\ntokn = "x"\n'):
        bad = tmp_path / "bad.toml"
        bad.write_text(body, encoding="utf-8")
        with pytest.raises(ValueError, match=r"\[web\]"):
            load_settings(bad)
