"""`newsvault serve` in a real headless browser, over an archive a crawl wrote.

Needs Debian's chromium (/usr/bin/chromium) and Playwright's Python package; CI installs both. The
health page's screenshot is kept as docs/dashboard.png for the README.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e import REPO, crawl, serving
from newsnet import NewsNetwork

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
EVIL_TITLE = "<script>alert(1)</script> Harbour budget approved"
EVIL_PATH = "/2024/05/harbour-budget-approved.html"
EVIL_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>&lt;script&gt;alert(1)&lt;/script&gt; Harbour budget approved</title>
<meta property="og:title" content="&lt;script&gt;alert(1)&lt;/script&gt; Harbour budget approved">
<script>alert(2)</script></head><body><article>
<h1>&lt;script&gt;alert(1)&lt;/script&gt; Harbour budget approved</h1>
<p>The city council approved the harbour budget on Tuesday after a debate that lasted well into the
evening, with a majority of members backing the plan to rebuild the old quay.</p>
<p>Opponents said the cost of the dredging work had been underestimated, and asked for an independent
review of the tender before any contract is signed with the builders.</p>
<p>The mayor said work would start in the spring and that the quay would reopen to ferries within two
years, provided the weather allows the divers to finish the survey in time.</p>
</article></body></html>"""

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")


@dataclass
class Dashboard:
    url: str
    network: NewsNetwork


@pytest.fixture(scope="module")
def dashboard(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    root = tmp_path_factory.mktemp("dashboard")
    with NewsNetwork(shared_dir) as network:
        with urllib.request.urlopen(network.url("daily", "/")) as response:
            home = response.read()
        network.set_page("daily", "/", home.replace(b"</main>", f'<a href="{EVIL_PATH}">Budget</a></main>'.encode()))
        network.set_page("daily", EVIL_PATH, EVIL_PAGE.encode())
        config = root / "newsvault.toml"
        # revisit 0s: the second crawl fetches every page again, so it sees the edit
        config.write_text(network.config_toml("archive", "sqlite:///state.db", revisit=["0s"]))
        crawl(config)
        network.edit_article("daily", next(a.path for a in network.articles if a.site_id == "daily"),
                             "Correction: the vote took place on Wednesday, not on Tuesday.")
        crawl(config)
        with serving(config) as url:
            yield Dashboard(url, network)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright (pip install playwright)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 700})  # type: ignore[attr-defined]
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def test_health_page_shows_every_source_with_charts(dashboard: Dashboard, page: object) -> None:
    response = page.goto(dashboard.url)
    assert response.status == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    for site in ("daily", "wire", "blog"):
        row = page.locator(f"#source-{site}")
        assert row.locator("text=ok").count() >= 1
        sparklines = row.locator("svg.sparkline")
        assert sparklines.count() == 2
        assert sparklines.first.get_attribute("data-points") == "2"  # two crawls, one point each
        assert sparklines.first.locator("circle.point").count() == 2
    assert "not scheduled" in page.inner_text("#health")
    docs = REPO / "docs"
    docs.mkdir(exist_ok=True)
    page.screenshot(path=str(docs / "dashboard.png"), full_page=False)


def test_runs_page_links_each_manifest(dashboard: Dashboard, page: object) -> None:
    page.goto(dashboard.url + "runs")
    links = page.locator("#runs a")
    assert links.count() == 2
    links.first.click()
    assert '"status": "ok"' in page.inner_text("#manifest")
    assert page.locator("text=articles/source=daily").count() >= 1


def test_crawled_markup_is_shown_as_text_never_run(dashboard: Dashboard, page: object) -> None:
    page.goto(dashboard.url + "articles?source=daily")
    link = page.locator("#articles a", has_text="Harbour budget approved")
    assert link.count() == 1
    assert EVIL_TITLE in link.inner_text()  # the markup, literally, as text
    link.click()
    assert page.inner_text("#article-title") == EVIL_TITLE
    page.locator("text=stored page").first.click()
    raw = page.inner_text("#raw-body")
    assert "<script>alert(2)</script>" in raw
    assert page.dialogs == []  # no script from the crawled page ever ran
    assert page.locator("script").count() == 0


def test_an_edited_article_shows_its_versions_and_the_diff(dashboard: Dashboard, page: object) -> None:
    edited = next(a for a in dashboard.network.articles if a.site_id == "daily")
    page.goto(dashboard.url + "article?url=" + urllib.request.quote(edited.url, safe=""))
    assert page.locator("section.version").count() == 2
    assert "+Correction: the vote took place on Wednesday" in page.inner_text("pre.diff")


def test_nothing_but_get_and_head_is_accepted(dashboard: Dashboard) -> None:
    for path in ("", "runs", "articles"):
        request = urllib.request.Request(dashboard.url + path, data=b"x=1", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 405
    head = urllib.request.Request(dashboard.url, method="HEAD")
    with urllib.request.urlopen(head) as response:
        assert response.status == 200

