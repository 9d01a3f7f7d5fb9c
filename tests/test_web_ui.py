"""The web app in a real browser: Debian's chromium driven by Playwright against a real uvicorn server on a free
port, over a store filled by the real pipeline (tests/webcorpus.py). Loads the overview, opens a story, searches,
opens the hostile articles and checks that none of their planted scripts ran; takes screenshots.

Needs /usr/bin/chromium (`.ci/run` installs Debian's package); skipped without it, except under CI."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from webcorpus import build_store

from pressespiegel.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI needs /usr/bin/chromium for the browser tests (.ci/run installs it)", pytrace=False)
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A uvicorn server in a thread, serving the app over the test store; yields its base URL and the app."""
    db = build_store(tmp_path_factory.mktemp("webui"))
    app = create_app(str(db), allowed_hosts=["127.0.0.1", "localhost"])
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it should not: dialogs (alert), page errors, CSP violations, requests leaving the app."""

    def __init__(self, page, base: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.csp: list[str] = []
        self.external: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.csp.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("request", lambda r: None if r.url.startswith((base, "data:")) else self.external.append(r.url))


@pytest.fixture
def page(browser, server):
    base, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    pg = context.new_page()
    pg.watch = Watch(pg, base)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def _snap(page, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000


def _article_id(server, title_start: str) -> int:
    _, app = server
    _, rows = app.state.reader.articles(limit=100)
    return next(r["id"] for r in rows if (r["title"] or "").startswith(title_start))


def test_overview_story_search(page, server, shots):
    base, _ = server
    page.goto(base + "/")
    assert page.title() == "Themen – Pressespiegel"
    cards = page.locator("ol.stories > li")
    assert cards.count() >= 3
    _snap(page, shots, "overview")

    first = page.locator("ol.stories > li h2 a", has_text="Talbrücke gesperrt")  # the story with a figure conflict
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("h1").inner_text() == title
    assert page.locator("#zitate .speaker").count() >= 1
    assert page.locator("svg.chart").count() >= 2
    assert page.get_by_text("Abweichende Zahlen").count() >= 1
    _snap(page, shots, "story")

    page.fill("header input[name=q]", "Talbrücke Umleitung")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?*")
    assert page.locator("ol.hits > li").count() >= 1 and page.locator("ol.hits mark").count() >= 1
    _snap(page, shots, "search")
    page.locator("ol.hits > li h3 a").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("article.text a.ent").count() >= 1
    _snap(page, shots, "article")
    assert not page.watch.dialogs and not page.watch.errors and not page.watch.csp and not page.watch.external


@pytest.mark.parametrize("title_start, planted", [
    ("Streit um Parkgebühren", "<script>window.__pwned='html-title'</script>"),  # HTML: title, text, comment
    ("Stadtfest", "<script>window.__pwned='jsonl-title'</script>"),  # JSON Lines: title, javascript: URL
    ("Lokales Region", "<script>window.__pwned='text';alert('text')</script>"),  # text dump: text, comments
])
def test_planted_scripts_do_not_run(page, server, shots, title_start, planted):
    base, _ = server
    doc_id = _article_id(server, title_start)
    page.goto(f"{base}/articles/{doc_id}")
    page.wait_for_timeout(300)  # time for anything that would run on load
    assert page.locator("body").inner_text().count(planted) >= 1  # shown as text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() != "PWNED" and page.title().endswith("– Pressespiegel")
    assert page.locator("article.text script, article.text img, article.text iframe").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert all(h.startswith(("/", "#", "http://", "https://")) for h in hrefs), hrefs
    _snap(page, shots, f"hostile-{doc_id}")

    page.click("nav.tabs >> text=Leserkommentare")
    page.wait_for_url("**tab=comments")
    page.wait_for_timeout(300)
    comments = page.locator("ul.comments li")
    if title_start != "Stadtfest":  # JSON Lines records carry no comments
        assert comments.count() >= 2
        assert "<script>window.__pwned=" in page.locator("ul.comments").inner_text()
    for link in page.locator("ul.comments a, article.text a").all():  # clicking what looks like a link runs nothing
        href = link.get_attribute("href") or ""
        assert not href.lower().startswith(("javascript:", "data:"))
    assert page.evaluate("typeof window.__pwned") == "undefined"
    _snap(page, shots, f"hostile-{doc_id}-comments")
    assert not page.watch.dialogs, page.watch.dialogs
    assert not page.watch.errors and not page.watch.csp and not page.watch.external


def test_entity_quotes_and_docs_pages(page, server, shots):
    base, _ = server
    page.goto(base + "/quotes?speaker=Lindholm")
    assert page.locator("ol.hits > li").count() >= 2
    page.locator("ol.hits > li .meta a").first.click()  # the speaker's entity page
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text() == "Petra Lindholm"
    assert page.locator("svg.chart").count() == 1
    _snap(page, shots, "entity")
    page.goto(base + "/docs")  # Swagger UI from the package, started by a script file: works under the CSP
    page.wait_for_selector(".swagger-ui .information-container", timeout=20_000)
    assert page.locator(".opblock").count() >= 8
    _snap(page, shots, "docs")
    assert not page.watch.errors and not page.watch.csp and not page.watch.external, (page.watch.csp,
                                                                                        page.watch.external)
