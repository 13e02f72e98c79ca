"""Incremental crawling: a recurring run fetches only what is new, due for a revisit, or said to have changed.

One network and one state, crawled in sequence: a first crawl; a second over the unchanged network;
a third with the clock past the first revisit rung; a fourth after a feed re-dated one article; a
fifth, later still, after an article was edited. The clock is moved with NEWSVAULT_NOW, never slept.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import tomlkit
from e2e import crawl, manifest_records
from newsnet import SECRET_PATH, SEED_PATH, LoggedRequest, NewsNetwork

from core.record import canonicalize_url
from pipelines.revisits import next_due, plan_revisits
from state.backends import Revisit, open_state

HOUR = 3600.0
LADDER = ["1h", "3h", "12h"]
EDIT = "Update: the ministry confirmed the figures on Tuesday."


@dataclass
class World:
    network: NewsNetwork
    root: Path
    config: Path
    manifests: dict[str, dict[str, Any]] = field(default_factory=dict)
    logs: dict[str, list[LoggedRequest]] = field(default_factory=dict)

    def crawl(self, name: str, *, clock: timedelta = timedelta(0)) -> dict[str, Any]:
        self.network.clear_log()
        now = datetime.now(UTC) + clock
        env = {**os.environ, "NEWSVAULT_NOW": now.isoformat()}
        self.manifests[name] = crawl(self.config, env=env)
        self.logs[name] = self.network.requests
        return self.manifests[name]

    def article_requests(self, name: str) -> list[LoggedRequest]:
        paths = {(a.site_id, a.path) for a in self.network.articles}
        return [r for r in self.logs[name] if (r.site_id, r.path.split("?")[0]) in paths]

    def revisit(self, site_id: str, path: str) -> Revisit:
        state = open_state(f"sqlite:///{self.root / 'state.db'}")
        try:
            row = state.get_revisit(canonicalize_url(self.network.url(site_id, path)))
        finally:
            state.close()
        assert row is not None
        return row


def _config(network: NewsNetwork, root: Path, **crawl: Any) -> Path:
    doc = tomlkit.parse(network.config_toml(root / "archive", "sqlite:///state.db", revisit=LADDER,
                                            extract_workers=1, **crawl))
    path = root / "newsvault.toml"
    path.write_text(tomlkit.dumps(doc))
    return path


@pytest.fixture(scope="module")
def world(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("incremental")
    with NewsNetwork(shared_dir) as network:
        world = World(network, root, _config(network, root))
        world.crawl("first")
        world.crawl("unchanged")
        world.crawl("first rung due", clock=timedelta(hours=2))
        # the feed re-dates a story after that revisit (on the fake clock: an hour later)
        touched = next(a for a in network.articles if a.site_id == "daily" and a.path != SEED_PATH)
        network.touch_article("daily", touched.path, datetime.now(UTC) + timedelta(hours=3))
        world.crawl("touched", clock=timedelta(hours=3, minutes=1))
        edited = next(a for a in network.articles if a.site_id == "wire")
        network.edit_article("wire", edited.path, EDIT)
        world.crawl("edited", clock=timedelta(hours=6))
        world.touched, world.edited = touched, edited  # type: ignore[attr-defined]
        yield world


def test_the_first_crawl_fetches_every_article_as_new(world: World) -> None:
    counts = world.manifests["first"]["counts"]
    assert counts["archived"] == len(world.network.articles)
    assert counts["new"] == counts["fetched"] > 0
    assert counts["revisited"] == counts["unchanged"] == 0


def test_a_second_run_over_an_unchanged_network_fetches_only_feeds_sitemaps_and_listing_pages(world: World) -> None:
    assert world.article_requests("unchanged") == []
    # what it asks for is robots.txt, the feeds and sitemaps (conditionally) and the listing pages
    requested = {(r.site_id, r.path) for r in world.logs["unchanged"]}
    listings = {(r.site_id, r.path) for r in world.logs["first"]} - {
        (r.site_id, r.path) for r in world.article_requests("first")}
    assert requested and requested <= listings
    feeds = {(ref.site_id, ref.path) for ref in world.network.non_articles if ref.kind in ("feed", "sitemap")}
    assert all("If-None-Match" in r.headers for r in world.logs["unchanged"] if (r.site_id, r.path) in feeds)
    counts = world.manifests["unchanged"]["counts"]
    assert counts["fetched"] == counts["new"] == counts["revisited"] == counts["archived"] == 0
    assert counts["known_skipped"] > 0  # links on listing pages, recognised without a request
    assert manifest_records(world.root / "archive", world.manifests["unchanged"]) == []


def test_a_feed_entry_dated_after_the_last_fetch_is_fetched_at_once(world: World) -> None:
    fetched = [r.path for r in world.article_requests("touched")]
    assert fetched == [world.touched.path]  # type: ignore[attr-defined]
    counts = world.manifests["touched"]["counts"]
    assert counts["revisited"] == 1 and counts["new"] == 0
    # Re-dated, not rewritten: the page answers the conditional request with 304, nothing is written.
    assert counts["unchanged_304"] == 1 and counts["archived"] == 0


def test_past_the_first_rung_every_article_is_revisited_once_conditionally_and_nothing_is_written(
    world: World,
) -> None:
    requests = world.article_requests("first rung due")
    paths = [(r.site_id, r.path) for r in requests]
    assert sorted(paths) == sorted((a.site_id, a.path) for a in world.network.articles)
    assert all("If-None-Match" in r.headers or "If-Modified-Since" in r.headers for r in requests)
    counts = world.manifests["first rung due"]["counts"]
    assert counts["revisited"] == counts["unchanged"] == counts["unchanged_304"] == len(paths)
    assert counts["new"] == counts["archived"] == counts["duplicates"] == 0
    assert manifest_records(world.root / "archive", world.manifests["first rung due"]) == []


def test_an_unchanged_revisit_moves_the_article_one_rung_up(world: World) -> None:
    article = next(a for a in world.network.articles if a.site_id == "blog")
    row = world.revisit("blog", article.path)
    assert row.rung == 2  # unchanged at +2h (rung 0 -> 1) and at +6h (1 -> 2)
    fetched = datetime.fromisoformat(row.last_fetched.replace("Z", "+00:00"))
    assert row.next_due == next_due([HOUR, 3 * HOUR, 12 * HOUR], 2, fetched)


def test_an_edited_article_found_on_a_revisit_becomes_version_2_and_goes_back_to_the_first_rung(
    world: World,
) -> None:
    records = manifest_records(world.root / "archive", world.manifests["edited"])
    assert [(r["url"], r["version"]) for r in records] == [(world.edited.url, 2)]  # type: ignore[attr-defined]
    assert EDIT in records[0]["text"]
    counts = world.manifests["edited"]["counts"]
    assert counts["new_versions"] == 1 and counts["archived"] == 1
    assert counts["unchanged"] == counts["revisited"] - 1
    row = world.revisit("wire", world.edited.path)  # type: ignore[attr-defined]
    assert row.rung == 0
    assert row.next_due == next_due([HOUR], 0, datetime.fromisoformat(records[0]["fetched_at"].replace("Z", "+00:00")))


def test_runs_lists_new_revisited_and_unchanged_counts(world: World) -> None:
    from e2e import newsvault

    done = newsvault("runs", config=world.config)
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split()
    for column in ("new", "revisited", "unchanged", "new_versions"):
        assert column in header


# -- the ladder and the budget, as functions -----------------------------------------------------


def test_the_ladder_decays_then_stops_and_0s_means_every_run() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    ladder = (HOUR, 3 * HOUR)
    assert next_due(ladder, 0, at) == "2026-01-01T01:00:00Z"
    assert next_due(ladder, 1, at) == "2026-01-01T03:00:00Z"
    assert next_due(ladder, 2, at) is None
    assert next_due((), 0, at) is None
    assert next_due((0.0,), 5, at) == "2026-01-01T00:00:00Z"


def test_revisits_within_the_budget_go_longest_overdue_first() -> None:
    due = [("2026-01-01T05:00:00Z", "e"), ("2026-01-01T01:00:00Z", "a"), ("2026-01-01T03:00:00Z", "c"),
           ("2026-01-01T01:00:00Z", "b")]
    assert plan_revisits(due, 3) == ["a", "b", "c"]
    assert plan_revisits(due, 0) == []


def test_max_articles_per_run_takes_new_articles_first_then_the_longest_overdue_revisits(
    shared_dir: Path, tmp_path: Path,
) -> None:
    with NewsNetwork(shared_dir) as network:
        world = World(network, tmp_path, _config(network, tmp_path))
        world.crawl("first")
        # one new story, linked from the homepage; then a run with room for it and one revisit
        fresh = "/2024/05/harbour-strike-ends.html"
        network.set_page("daily", fresh, b"<html><head><title>Strike ends</title></head><body><article><p>"
                         + b"The harbour strike ended on Monday after nine days. " * 30 + b"</p></article></body></html>")
        home = urllib.request.urlopen(network.url("daily", "/")).read()
        network.set_page("daily", "/", home.replace(b"</ul>", f'<li><a href="{fresh}">Strike</a></li></ul>'.encode(), 1))
        # the longest overdue URL is one robots.txt forbids: refused before the site is asked, it leaves
        # its place in the budget to the next overdue article
        state = open_state(f"sqlite:///{tmp_path / 'state.db'}")
        forbidden = state.get_revisit(canonicalize_url(network.url("daily", SECRET_PATH)))
        assert forbidden is not None
        state.put_revisits([replace(forbidden, next_due="2000-01-01T00:00:00Z")])
        oldest = state.due_revisits("daily", "2100-01-01T00:00:00Z", 2)[1].url
        state.close()
        doc = tomlkit.parse(world.config.read_text())
        next(s for s in doc["sources"] if s["id"] == "daily")["max_articles_per_run"] = 2
        world.config.write_text(tomlkit.dumps(doc))
        world.crawl("budget", clock=timedelta(hours=2))
        daily = [r.path for r in world.logs["budget"] if r.site_id == "daily" and r.path.startswith(("/2024/", "/private/"))]
        counts = world.manifests["budget"]["per_source"]["daily"]
        assert counts["new"] == 1 and counts["revisited"] == 1
        assert sorted(daily) == sorted([fresh, urlsplit(oldest).path])
        state = open_state(f"sqlite:///{tmp_path / 'state.db'}")
        refused = state.get_revisit(forbidden.url)
        state.close()
        assert refused is not None and refused.rung == forbidden.rung + 1  # still on its ladder
