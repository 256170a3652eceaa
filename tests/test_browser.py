"""The UI in a real browser: search → entity page → article view, with a screenshot.

Needs Debian's chromium (/usr/bin/chromium; `.ci/run` installs it) and the Python package
playwright (its driver only: the browser is the system one, nothing is downloaded).
"""
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from rasid import extract, extract_text
from rasid.kb.store import KnowledgeBase
from tests_paths import ARTICLES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from rasid.api.app import create_app

    db = str(tmp_path_factory.mktemp("ui") / "kb.db")
    with KnowledgeBase(db) as kb:
        for d in extract([str(ARTICLES)]):
            kb.store(d)
        evil = extract_text("<script>window.__pwned = 1; alert(1)</script> عنوان\n\n"
                            "قال العقيد أحمد الحسن إن \"<img src=x onerror=window.__pwned=2>\" "
                            "'; DROP TABLE documents; -- لن يمر.", doc_id="hostile")
        kb.store(evil)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(5)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium")),  # a fresh --user-data-dir
            executable_path=CHROMIUM, headless=True, viewport={"width": 1280, "height": 900},
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"])
        pg = browser.new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.dialogs = dialogs
        yield pg
        browser.close()


def test_browser_search_entity_article_flow(server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + "/")
    page.fill("#q", "السلاح")
    page.press("#q", "Enter")
    page.wait_for_selector(".hit mark")
    assert "السـ.لاح" in page.inner_text("#results")
    page.screenshot(path=str(SHOTS / "search.png"))
    page.goto(server + "/#/?q=" + "بكور")
    page.click("a.entity-link")
    page.wait_for_selector("#network")
    body = page.inner_text("#view")
    assert "مصطفى البكور" in body and "public_relations_head" in body and "عقيد" in body
    page.screenshot(path=str(SHOTS / "entity.png"), full_page=True)
    page.click(".quote a")
    page.wait_for_selector("#article-text .hl-PER")
    assert page.locator("#article-text .hl-ORG").count() > 3
    page.screenshot(path=str(SHOTS / "article.png"))
    page.click("#article-text .hl-ORG >> nth=0")
    page.wait_for_selector("#network")


def test_browser_events_map_and_timeline(server, page):
    page.goto(server + "/#/events")
    page.wait_for_selector("#map circle")
    assert page.locator("#timeline rect").count() >= 3
    page.screenshot(path=str(SHOTS / "events.png"), full_page=True)


def test_browser_article_text_is_escaped(server, page):
    page.goto(server + "/#/article/hostile")
    page.wait_for_selector("#article-text")
    assert "<img src=x" in page.inner_text("#article-text")
    assert page.evaluate("window.__pwned") is None
    assert not page.dialogs
