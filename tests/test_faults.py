"""`newsvault crawl` over a site that fails in every way the web does (tests/faultnet.py).

One network, two crawls: the first meets every fault once; the second, over the unchanged site,
re-fetches feeds and sitemaps conditionally. Each fault has its own source whose feed lists the
faulty URL next to a good article, so each test reads one fault's reason from its source's counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e import REPO, manifest_records, newsvault
from faultnet import FaultNetwork

from core.record import normalise_text
from spiders.news import SETTLED_FAILURES

# Waits of a second or less keep the crawl short; the faults ask for 1 s (and one for an hour). Every
# backoff slows the one host all faults share, so the whole crawl: a small base keeps it short.
BACKOFF_BASE = 0.1
FAST_RETRIES = {"NEWSVAULT_RETRY_AFTER_MAX": 1, "NEWSVAULT_BACKOFF_BASE": BACKOFF_BASE}


def crawl_env(**settings: Any) -> dict[str, str]:
    return {**os.environ, "NEWSVAULT_SCRAPY_SETTINGS": json.dumps({**FAST_RETRIES, **settings})}


def run_crawl(config: Path, *sources: str) -> dict[str, Any]:
    done = newsvault("crawl", "--json", *sources, config=config, env=crawl_env(), timeout=240)
    assert done.returncode == 0, f"crawl failed ({done.returncode}):\n{done.stderr[-4000:]}"
    return json.loads(done.stdout)


@dataclass
class World:
    net: FaultNetwork
    config: Path
    archive: Path
    first: dict[str, Any]
    second: dict[str, Any]
    first_requests: list[Any]
    second_requests: list[Any]

    def source(self, source_id: str, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
        return (manifest or self.first)["per_source"].get(source_id, {})

    def archived_urls(self) -> set[str]:
        return {r["url"] for r in manifest_records(self.archive, self.first)}

    def record(self, url: str) -> dict[str, Any]:
        return next(r for r in manifest_records(self.archive, self.first) if r["url"] == url)

    def times(self, path: str) -> list[float]:
        return [r.time for r in self.first_requests if r.path == path]


@pytest.fixture(scope="module")
def world(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("faults")
    with FaultNetwork(shared_dir, timeout=2.0) as net:
        config = root / "newsvault.toml"
        config.write_text(net.config_toml(root / "archive", f"sqlite:///{root}/state.db"))
        first = run_crawl(config)
        first_requests = net.requests
        net.clear_log()
        second = run_crawl(config)
        yield World(net, config, root / "archive", first, second, first_requests, net.requests)


FAULTS = ["retry-after-429", "burst-503", "always-429", "retry-after-too-long", "always-503", "not-found",
          "slow", "reset", "reset-midway", "refused", "dns", "redirect-loop", "redirect-chain", "meta-refresh",
          "meta-refresh-loop", "live-page", "robots",
          "oversized", "oversized-streamed", "bomb-gzip", "bomb-br", "bomb-zstd", "corrupt-gzip", "binary",
          "pdf"]


def test_every_fault_has_a_source(world: World) -> None:
    assert [f.name for f in world.net.faults] == FAULTS


def test_the_crawl_completes(world: World) -> None:
    assert world.first["status"] == "ok"
    assert world.second["status"] == "ok"


@pytest.mark.parametrize("name", FAULTS)
def test_each_fault_is_counted_by_its_reason_and_its_neighbour_archived(world: World, name: str) -> None:
    fault = world.net.fault(name)
    counts = world.source(name)
    errors = counts.get("errors", {})
    if fault.reason is None:
        assert errors == {}, f"{name}: {fault.what}"
    elif fault.reason == "not_article":
        assert errors == {} and counts["not_article"] == 1, f"{name}: {counts}"
    else:
        assert errors == {fault.reason: 1}, f"{name}: {fault.what}"
    assert world.net.good[name].url in world.archived_urls(), f"the good page next to {name} was lost"


def test_faults_are_counted_in_the_run_totals_and_in_newsvault_runs(world: World) -> None:
    totals = world.first["counts"]["errors"]
    for reason in ("http_4xx", "http_5xx", "timeout", "connection", "dns", "redirect_loop", "robots",
                   "too_large", "not_html", "feed_invalid", "trap"):
        assert totals.get(reason, 0) > 0, reason
    done = newsvault("runs", "--json", config=world.config)
    runs = {r["run_id"]: r for r in json.loads(done.stdout)}
    assert runs[world.first["run_id"]]["counts"]["errors"] == totals
    table = newsvault("runs", config=world.config).stdout
    assert "too_large" in table and "redirect_loop" in table


def test_a_meta_refresh_in_the_head_of_a_long_page_leads_to_the_article(world: World) -> None:
    assert world.net.refresh_target.url in world.archived_urls()


def test_a_page_that_refreshes_itself_is_archived_not_followed(world: World) -> None:
    assert world.net.live_page.url in world.archived_urls()


def test_pages_that_answer_after_429_and_503_are_archived(world: World) -> None:
    for name, page in world.net.retry_pages.items():
        assert page.url in world.archived_urls(), name


def test_retry_after_is_waited_for(world: World) -> None:
    for path in (world.net.fault("retry-after-429").path, world.net.fault("always-429").path):
        times = world.times(path)
        assert len(times) >= 2
        assert all(b - a >= 0.95 for a, b in zip(times, times[1:], strict=False)), (path, times)


def test_retry_after_beyond_the_cap_is_given_up_not_retried(world: World) -> None:
    assert len(world.times(world.net.fault("retry-after-too-long").path)) == 1


def test_retries_back_off_exponentially(world: World) -> None:
    for name in ("always-503", "slow"):
        times = world.times(world.net.fault(name).path)
        assert len(times) == 3, name  # RETRY_TIMES = 2
        first_gap, second_gap = times[1] - times[0], times[2] - times[1]
        assert first_gap >= BACKOFF_BASE - 0.02 and second_gap >= 2 * BACKOFF_BASE - 0.02, (name, times)


def test_oversized_and_bomb_bodies_never_reach_the_archive(world: World) -> None:
    limit = world.net.max_page_bytes
    for path in world.archive.rglob("*.gz"):
        if path.parts[-4] == "snapshots":
            assert path.stat().st_size < 2 * limit + 10**6
    urls = world.archived_urls()
    for name in ("oversized", "oversized-streamed", "bomb-gzip", "bomb-br", "bomb-zstd", "binary", "pdf"):
        assert world.net.url(world.net.fault(name).path) not in urls


def test_legacy_encodings_give_the_right_text(world: World) -> None:
    for page in world.net.encoding_articles:
        record = world.record(page.url)
        text = normalise_text(record["text"])
        assert "\ufffd" not in text, page.corpus_id
        paragraphs = [normalise_text(p) for p in page.expected_text.split("\n") if len(p.strip()) > 80]
        found = [p for p in paragraphs if p in text]
        assert len(found) >= len(paragraphs) * 0.8, f"{page.corpus_id}: {text[:300]}"


def test_ill_formed_feeds_are_counted_and_the_good_feed_still_read(world: World) -> None:
    counts = world.source("illformed-feeds")
    assert set(counts["errors"]) <= {"feed_invalid", "sitemap_invalid"}
    assert counts["errors"]["sitemap_invalid"] == 1  # the corrupt gzip sitemap
    assert 0 < counts["errors"]["feed_invalid"] <= len(world.net.illformed_feeds)
    assert world.net.good["illformed-feeds"].url in world.archived_urls()


def test_an_endless_calendar_stops_at_the_page_limit(world: World) -> None:
    calendar = [r for r in world.first_requests if r.path.startswith("/calendar/")]
    assert 0 < len(calendar) <= 12  # max_articles_per_run of the source bounds its listing pages
    assert world.source("traps")["errors"]["trap"] > 0
    for page in world.net.trap_pages:
        assert page.url in world.archived_urls()


def test_session_ids_do_not_multiply_pages(world: World) -> None:
    paths = [r.path.split("?")[0] for r in world.first_requests if r.path.startswith("/sid/")]
    assert sorted(paths) == sorted(set(paths)) == ["/sid/section/", "/sid/sport/", "/sid/world/"]


def test_unchanged_feeds_and_sitemaps_cost_a_304(world: World) -> None:
    feeds = [r for r in world.second_requests if r.path.startswith(("/feeds/", "/sitemap"))]
    assert feeds and all("If-None-Match" in r.headers for r in feeds)
    counts = world.second["counts"]
    assert counts["not_modified"] == len(feeds)
    full = sum(world.first["per_source"][s].get("bytes_saved", 0) for s in world.first["per_source"])
    assert full == 0 and counts["bytes_saved"] > 10_000
    # Nothing behind an unchanged feed is fetched again, but for the pages that failed transiently:
    # they are tried again on their backoff's first rung (tests/test_failure_backoff.py), without
    # Scrapy's retries (Twisted still repeats a request once whose kept-alive connection was reset).
    again = [r.path for r in world.second_requests
             if r.path.startswith("/news/") and not r.path.startswith("/news/trap-neighbour")]
    transient = {f.path for f in world.net.faults if f.reason and f.reason not in SETTLED_FAILURES}
    first = [r.path for r in world.first_requests]
    assert set(again) <= transient
    assert all(again.count(path) < first.count(path) for path in set(again))
    assert world.second["counts"]["archived"] == 0


# Runs the command as its own child and prints that child's peak RSS (KiB) to stderr. The indirection
# matters: Linux carries the spawning process's high-water RSS into a vfork()ed child across exec, so
# wait4() on a crawl spawned straight from pytest reports pytest's own peak (540 MiB once in CI).
# Spawned from this small interpreter instead, the figure is the crawl's.
PEAK_RSS_OF_CHILD = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_pid, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss, file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_memory_stays_bounded_over_oversized_pages_and_bombs(shared_dir: Path, tmp_path: Path) -> None:
    with FaultNetwork(shared_dir, bomb_bytes=1 << 30) as net:
        config = tmp_path / "newsvault.toml"
        config.write_text(net.config_toml(tmp_path / "archive", f"sqlite:///{tmp_path}/state.db"))
        sources = ["oversized", "oversized-streamed", "bomb-gzip", "bomb-br", "bomb-zstd"]
        done = subprocess.run([sys.executable, "-c", PEAK_RSS_OF_CHILD, sys.executable, "-m", "newsvault",
                               "--config", str(config), "crawl", "--json", *sources],
                              cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-4000:]
    manifest = json.loads(done.stdout)
    assert manifest["counts"]["errors"] == {"too_large": 5}
    peak_mib = int(done.stderr.strip().splitlines()[-1]) / 1024
    print(f"peak RSS of the crawl over oversized pages and bombs: {peak_mib:.0f} MiB")
    # 1 GiB of gzip bomb and 10 MB pages against a 2 MB limit: the crawl holds about the limit.
    assert peak_mib < 512


def test_session_ids_are_not_part_of_an_articles_identity() -> None:
    from core.record import canonicalize_url

    assert canonicalize_url("http://a.example/story.html;jsessionid=0A1B?id=7&sid=99&PHPSESSID=x") == \
        "http://a.example/story.html?id=7"
    assert canonicalize_url("http://a.example/s?SessionId=1&page=2") == "http://a.example/s?page=2"


def test_binary_bodies_are_told_from_text() -> None:
    from spiders.news import looks_binary

    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert looks_binary(bytes(range(1, 32)) * 10 + b"<html>")
    assert not looks_binary("<html><body><p>Grüße – привет</p></body></html>".encode())
    assert not looks_binary("<html>".encode("utf-16"))  # a BOM says it is text
