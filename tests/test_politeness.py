"""Politeness, measured on the wire: what the news network saw of a crawl's requests per host."""

from __future__ import annotations

import email.utils
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from e2e import newsvault
from newsnet import LoggedRequest, NewsNetwork
from wire_spacing import too_close

from newsvault.config import load_config
from newsvault.settings import scrapy_settings
from spiders.retry import retry_after_seconds


def crawl(config: Path, **settings: Any) -> dict[str, Any]:
    env = {**os.environ, "NEWSVAULT_SCRAPY_SETTINGS": json.dumps(settings)}
    done = newsvault("crawl", "--json", config=config, env=env, timeout=240)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout)


def by_site(requests: list[LoggedRequest]) -> dict[str, list[LoggedRequest]]:
    sites: dict[str, list[LoggedRequest]] = defaultdict(list)
    for request in sorted(requests, key=lambda r: r.time):
        sites[request.site_id].append(request)
    return sites


def gaps(requests: list[LoggedRequest]) -> list[float]:
    return [b.time - a.time for a, b in zip(requests, requests[1:], strict=False)]


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    assert retry_after_seconds(b"120") == 120.0
    in_a_minute = email.utils.formatdate(1_000_060, usegmt=True)
    assert retry_after_seconds(in_a_minute, now=1_000_000) == pytest.approx(60.0)
    assert retry_after_seconds(email.utils.formatdate(999_000, usegmt=True), now=1_000_000) == 0.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None


def test_configured_delay_is_autothrottles_floor_and_start(tmp_path: Path) -> None:
    config_path = tmp_path / "newsvault.toml"
    config_path.write_text('[crawl]\ndownload_delay = 1.5\nuser_agent = "polite-bot/1.0"\n'
                           '[[sources]]\nid = "a"\nname = "A"\nfeeds = ["https://a.example/rss"]\n')
    settings = scrapy_settings(load_config(config_path))
    assert settings["USER_AGENT"] == "polite-bot/1.0"
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    # AutoThrottle never goes below DOWNLOAD_DELAY and starts at max(DOWNLOAD_DELAY, start delay).
    assert settings["DOWNLOAD_DELAY"] == settings["AUTOTHROTTLE_START_DELAY"] == 1.5
    assert settings["DOWNLOAD_DELAY_JITTER"] == 0
    assert settings["SCHEDULER_PRIORITY_QUEUE"] == "scrapy.pqueues.DownloaderAwarePriorityQueue"


def test_requests_to_each_host_are_spaced_by_the_delay_or_its_crawl_delay(
        shared_dir: Path, tmp_path: Path) -> None:
    with NewsNetwork(shared_dir, pages_per_site=3) as net:
        net.set_page("daily", "/robots.txt", b"User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n",
                     "text/plain")
        config = tmp_path / "newsvault.toml"
        config.write_text(net.config_toml(tmp_path / "archive", f"sqlite:///{tmp_path}/state.db",
                                          download_delay=0.3, user_agent="polite-bot/1.0 (+mailto:ops@x)"))
        manifest = crawl(config)
        sites = by_site(net.requests)
    assert manifest["status"] == "ok" and manifest["counts"]["archived"] >= 9
    assert all(r.headers.get("User-Agent") == "polite-bot/1.0 (+mailto:ops@x)" for r in net.requests)
    for site_id, requests in sites.items():
        # robots.txt is read before anything else of the host, and once.
        assert requests[0].path == "/robots.txt" and [r.path for r in requests].count("/robots.txt") == 1
        floor = 1.0 if site_id == "daily" else 0.3
        # From the first request after robots.txt (the Crawl-delay is known from then on).
        spacing = gaps(requests[1:])
        assert len(spacing) >= 3, site_id
        assert not too_close(spacing, floor), (site_id, spacing)


def test_a_huge_sitemap_does_not_hold_back_the_other_sources(shared_dir: Path, tmp_path: Path) -> None:
    with NewsNetwork(shared_dir, pages_per_site=3) as net:
        wire = net.sites["wire"]
        urls = "".join(f"<url><loc>{wire.url(f'/news/archive-{n}.html')}</loc></url>\n" for n in range(60))
        net.set_page("wire", "/sitemap_index.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n').encode(),
            "application/xml")
        config = tmp_path / "newsvault.toml"
        config.write_text(net.config_toml(tmp_path / "archive", f"sqlite:///{tmp_path}/state.db",
                                          download_delay=0.05))
        manifest = crawl(config)
        requests = sorted(net.requests, key=lambda r: r.time)
    assert manifest["status"] == "ok"
    wire_articles = [i for i, r in enumerate(requests) if r.site_id == "wire" and "/archive-" in r.path]
    others = [i for i, r in enumerate(requests) if r.site_id != "wire"]
    assert len(wire_articles) == 60
    # The other sources are done while most of the huge sitemap's articles are still queued.
    assert max(others) < wire_articles[len(wire_articles) // 3]
