"""`newsvault sources add|list|test` against the local news network, as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e import newsvault
from newsnet import NewsNetwork

from newsvault.config import load_config

HEADER = "# newsvault config of the test newsroom\n"


@pytest.fixture
def config(newsnet: NewsNetwork, tmp_path: Path) -> Path:
    path = tmp_path / "newsvault.toml"
    text = newsnet.config_toml("archive", "sqlite:///state.db", sources=[]).replace("sources = []", "")
    path.write_text(HEADER + text.rstrip() + "\n# keep this comment\n")
    return path


def add(config: Path, url: str, source_id: str, *extra: str) -> dict:
    done = newsvault("sources", "add", url, "--id", source_id, "--yes", "--json", *extra, config=config)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_sources_add_discovers_each_sites_feeds_and_sitemaps(newsnet: NewsNetwork, config: Path) -> None:
    daily = add(config, newsnet.url("daily", "/"), "daily")
    assert [f["url"] for f in daily["feeds"]] == [newsnet.url("daily", "/rss.xml")]
    assert [(s["url"], s["via"]) for s in daily["sitemaps"]] == [(newsnet.url("daily", "/sitemap.xml"), "robots.txt")]
    assert newsnet.url("daily", "/2024/05/azerbaijan-balancing-act.html") in daily["sitemaps"][0]["sample"]

    wire = add(config, newsnet.url("wire", "/"), "wire")
    assert [f["format"] for f in wire["feeds"]] == ["atom10"]
    (index,) = wire["sitemaps"]  # the index only: its children are read through it
    assert index["url"] == newsnet.url("wire", "/sitemap_index.xml")
    assert index["kind"] == "sitemapindex" and index["news"] is True
    assert sorted(index["children"]) == sorted([newsnet.url("wire", "/sitemap-news.xml"),
                                                newsnet.url("wire", "/sitemap-2024.xml.gz")])

    blog = add(config, newsnet.url("blog", "/"), "blog")
    assert {f["url"]: f["format"] for f in blog["feeds"]} == {
        newsnet.url("blog", "/feed.json"): "json", newsnet.url("blog", "/index.rdf"): "rss10"}
    assert blog["sitemaps"] == []

    loaded = load_config(config)
    assert [s.id for s in loaded.sources] == ["daily", "wire", "blog"]
    assert loaded.source("wire").sitemaps == (newsnet.url("wire", "/sitemap_index.xml"),)
    text = config.read_text()
    assert text.startswith(HEADER) and "# keep this comment\n" in text  # the operator's file is kept


def test_sources_add_refuses_a_duplicate_id_and_leaves_the_file_alone(newsnet: NewsNetwork, config: Path) -> None:
    add(config, newsnet.url("daily", "/"), "daily")
    before = config.read_bytes()
    done = newsvault("sources", "add", newsnet.url("wire", "/"), "--id", "daily", "--yes", config=config)
    assert done.returncode == 2 and "already exists" in done.stderr
    assert config.read_bytes() == before


def test_dry_run_writes_nothing(newsnet: NewsNetwork, config: Path) -> None:
    before = config.read_bytes()
    done = newsvault("sources", "add", newsnet.url("blog", "/"), "--id", "blog", "--dry-run", config=config)
    assert done.returncode == 0, done.stderr
    assert "feed.json" in done.stdout and "[[sources]]" in done.stdout
    assert config.read_bytes() == before


def test_sources_list_and_test_a_dry_crawl(newsnet: NewsNetwork, config: Path) -> None:
    add(config, newsnet.url("wire", "/"), "wire")
    listed = json.loads(newsvault("sources", "list", "--json", config=config).stdout)
    assert [s["id"] for s in listed] == ["wire"]
    done = newsvault("sources", "test", "wire", "-n", "2", "--json", config=config)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(report["articles"]) == 2
    wire_urls = {a.url for a in newsnet.articles if a.site_id == "wire"}
    for article in report["articles"]:
        assert article["url"] in wire_urls and article["fields"]["word_count"] > 0
    assert not (config.parent / "archive").exists() and not (config.parent / "state.db").exists()
