"""A page that keeps failing does not cost every run its retries: it waits on a backoff across runs
(the next run, then hours, then days), is tried once per run after a run whose retries failed, is
counted as `retry_later` while it waits, and starts over when its feed dates it after the last
failure."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import tomlkit
from e2e import crawl, manifest_records
from pagesite import PageSite

from state.sqlite_state import SQLiteState

PARAGRAPHS = [
    "The harbour master said on Monday that the new pier would open to ferries in the spring, once the "
    "last inspections of its foundations are complete.",
    "Engineers found that the old pier's wooden piles had rotted faster than expected, and the council "
    "decided to rebuild it in concrete rather than repair it again.",
]
RETRIES = 2  # newsvault/settings.py RETRY_TIMES: three attempts in a run


def page(title: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in [f"{title}: the story as the harbour office told it.", *PARAGRAPHS])
    return (f'<!doctype html><html lang="en"><head><title>{title}</title></head><body><article><h1>{title}</h1>'
            f"{body}</article></body></html>")


def feed(site: PageSite, dated: datetime) -> str:
    items = "".join(f"<item><title>{p}</title><link>{site.url(p)}</link><pubDate>{format_datetime(dated)}</pubDate>"
                    "</item>" for p in ("/ok", "/flaky"))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Pier</title>{items}</channel></rss>'


@pytest.fixture
def site() -> Iterator[PageSite]:
    with PageSite() as running:
        yield running


def config_for(tmp_path: Path, site: PageSite) -> Path:
    doc = tomlkit.document()
    doc["archive"] = {"uri": str(tmp_path / "archive")}
    doc["state"] = {"uri": f"sqlite:///{tmp_path}/state.db"}
    doc["crawl"] = {"user_agent": "newsvault-test", "download_delay": 0, "timeout": 10}
    sources = tomlkit.aot()
    sources.append(tomlkit.item({"id": "pier", "feeds": [site.url("/feed.xml")], "allowed_domains": ["127.0.0.1"]}))
    doc["sources"] = sources
    path = tmp_path / "newsvault.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def run(config: Path, site: PageSite, at: datetime) -> tuple[dict, int]:
    """A crawl with the clock at `at`; returns its manifest and how often it asked for /flaky."""
    site.requests.clear()
    env = {**os.environ, "NEWSVAULT_NOW": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
           "NEWSVAULT_SCRAPY_SETTINGS": json.dumps({"NEWSVAULT_BACKOFF_BASE": 0.05})}
    manifest = crawl(config, env=env)
    return manifest, site.requests.count("/flaky")


def test_a_failing_page_backs_off_across_runs_and_is_archived_when_it_answers(
        site: PageSite, tmp_path: Path) -> None:
    start = datetime.now(UTC) + timedelta(minutes=1)
    site.html("/ok", page("The pier opens in spring"))
    site.html("/flaky", page("Ferries return to the pier"))
    site.failing["/flaky"] = 503
    site.xml("/feed.xml", feed(site, start - timedelta(days=1)))
    config = config_for(tmp_path, site)

    first, asked = run(config, site, start)
    assert asked == 1 + RETRIES and first["counts"]["errors"]["http_5xx"] == 1
    # its retries failed: due again at the next run, for one attempt
    second, asked = run(config, site, start + timedelta(minutes=5))
    assert asked == 1
    # failed in two runs: it waits an hour, counted as waiting, not as an error
    third, asked = run(config, site, start + timedelta(minutes=10))
    assert asked == 0
    assert third["counts"]["retry_later"] == 1 and third["counts"]["errors"] == {}
    # when due, one attempt without retries
    fourth, asked = run(config, site, start + timedelta(hours=1, minutes=15))
    assert asked == 1
    state = SQLiteState(tmp_path / "state.db")
    row = state.get_revisit(site.url("/flaky"))
    state.close()
    assert row is not None and row.failures == 3 and row.next_due > (start + timedelta(hours=7)).isoformat()[:19]

    # it answers, and its feed says it changed: fetched at once, archived as a new article
    del site.failing["/flaky"]
    site.xml("/feed.xml", feed(site, start + timedelta(hours=2)))
    fifth, asked = run(config, site, start + timedelta(hours=2, minutes=5))
    assert asked == 1
    archived = [r["url"] for r in manifest_records(tmp_path / "archive", fifth)]
    assert archived == [site.url("/flaky")]
    assert fifth["counts"]["new"] == 1  # /flaky, never fetched with success before (the re-dated /ok is a revisit)
    state = SQLiteState(tmp_path / "state.db")
    row = state.get_revisit(site.url("/flaky"))
    state.close()
    assert row is not None and row.failures == 0 and row.body_sha256 is not None


def test_a_state_file_from_before_the_backoff_gains_its_column(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "state.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE revisits (url TEXT PRIMARY KEY, source TEXT NOT NULL, rung INTEGER NOT NULL, "
                "next_due TEXT, last_fetched TEXT NOT NULL, etag TEXT, last_modified TEXT, body_sha256 TEXT) "
                "WITHOUT ROWID")
    old.execute("INSERT INTO revisits VALUES ('https://a.example/x', 'a', 1, NULL, '2026-01-01T00:00:00Z', "
                "NULL, NULL, 'abc')")
    old.commit()
    old.close()

    state = SQLiteState(path)
    row = state.get_revisit("https://a.example/x")
    state.close()
    assert row is not None and row.failures == 0 and row.body_sha256 == "abc"
