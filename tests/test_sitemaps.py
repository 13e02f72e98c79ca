"""Sitemap parsing: urlsets, indexes, Google News sitemaps and gzip bodies, with bad input refused calmly."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from spiders.sitemaps import (
    SitemapResult,
    SitemapUrl,
    parse_sitemap,
    parse_w3c_datetime,
    sitemap_urls_from_robots,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
FEEDS = SHARED / "corpora" / "feeds"
SITEMAP_URL = "https://www.sitemaps.org/sitemap.xml"

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example.com/2024/05/17/election-results</loc>
    <lastmod>2024-05-17T12:30:00Z</lastmod>
    <news:news>
      <news:publication><news:name>Example News</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-05-17T08:00:00+02:00</news:publication_date>
      <news:title>Election results:  a &amp; b</news:title>
    </news:news>
    <image:image><image:loc>https://img.example.com/a.jpg</image:loc></image:image>
  </url>
  <url>
    <loc>https://news.example.com/2024/05/16/weather</loc>
    <news:news>
      <news:publication_date>2024-05-16</news:publication_date>
      <news:title>Weather</news:title>
    </news:news>
  </url>
  <url><loc>https://news.example.com/about</loc></url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>/sitemaps/news.xml</loc><lastmod>2024-05-17</lastmod></sitemap>
  <sitemap><loc>https://cdn.example.com/sitemaps/archive-2023.xml.gz</loc></sitemap>
  <sitemap><loc>/sitemaps/news.xml</loc></sitemap>
  <sitemap><loc>ftp://example.com/old.xml</loc></sitemap>
</sitemapindex>"""


def _corpus_bytes(relative: str) -> bytes:
    path = FEEDS / relative
    if not path.is_file():
        pytest.skip(f"{path} not found: the feed corpus lives beside the repository in ../shared")
    return path.read_bytes()


def _corpus_records() -> list[dict[str, Any]]:
    index = FEEDS / "index.jsonl"
    if not index.is_file():
        pytest.skip(f"feed corpus index not found at {index}")
    return [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_urlset_gives_every_url_with_its_lastmod_as_utc_midnight() -> None:
    result = parse_sitemap(_corpus_bytes("trafilatura/sitemap.xml"), SITEMAP_URL)
    assert result.kind == "urlset"
    assert result.error is None
    assert result.sitemaps == []
    assert len(result.urls) == 84
    assert result.urls[0] == SitemapUrl(
        url="https://www.sitemaps.org/",
        lastmod=datetime(2016, 11, 21, tzinfo=UTC),
        news_published=None,
        news_title=None,
    )
    assert result.urls[1].url == "https://www.sitemaps.org/protocol.html"


def test_gzipped_sitemap_is_recognised_by_magic_bytes_and_equals_the_plain_one() -> None:
    plain = parse_sitemap(_corpus_bytes("trafilatura/sitemap.xml"), SITEMAP_URL)
    # The URL has no .gz: detection must not depend on the name.
    compressed = parse_sitemap(_corpus_bytes("trafilatura/sitemap.xml.gz"), SITEMAP_URL)
    assert compressed == plain


def test_sitemap_index_from_corpus_lists_child_sitemaps() -> None:
    result = parse_sitemap(_corpus_bytes("trafilatura/sitemap2.xml"), "http://www.example.com/sitemap.xml")
    assert result == SitemapResult(
        kind="sitemapindex",
        urls=[],
        sitemaps=["http://www.example.com/sitemap1.xml.gz", "http://www.example.com/sitemap2.xml.gz"],
        error=None,
    )


def test_sitemap_index_locations_are_absolute_http_and_deduplicated() -> None:
    result = parse_sitemap(SITEMAP_INDEX, "https://example.com/sitemap_index.xml")
    assert result.kind == "sitemapindex"
    assert result.sitemaps == [
        "https://example.com/sitemaps/news.xml",
        "https://cdn.example.com/sitemaps/archive-2023.xml.gz",
    ]


def test_news_sitemap_gives_publication_date_and_title() -> None:
    result = parse_sitemap(NEWS_SITEMAP, "https://news.example.com/sitemap-news.xml")
    assert result.kind == "urlset"
    assert result.urls == [
        SitemapUrl(
            url="https://news.example.com/2024/05/17/election-results",
            lastmod=datetime(2024, 5, 17, 12, 30, tzinfo=UTC),
            news_published=datetime(2024, 5, 17, 6, 0, tzinfo=UTC),
            news_title="Election results: a & b",
        ),
        SitemapUrl(
            url="https://news.example.com/2024/05/16/weather",
            lastmod=None,
            news_published=datetime(2024, 5, 16, tzinfo=UTC),
            news_title="Weather",
        ),
        SitemapUrl(url="https://news.example.com/about", lastmod=None, news_published=None, news_title=None),
    ]


def test_gzipped_news_sitemap_keeps_its_news_fields() -> None:
    plain = parse_sitemap(NEWS_SITEMAP, "https://news.example.com/sitemap-news.xml")
    assert parse_sitemap(gzip.compress(NEWS_SITEMAP), "https://news.example.com/sitemap-news.xml.gz") == plain


def test_google_news_sitemap_excerpt_from_corpus_has_dates_and_titles() -> None:
    records = [
        record
        for record in _corpus_records()
        if "news" in str(record.get("format", "")).lower() or str(record["path"]).startswith("news_sitemaps/")
    ]
    present = [record for record in records if (FEEDS / record["path"]).is_file()]
    if not present:
        pytest.skip("no Google News sitemap excerpt in this split of the feed corpus")
    for record in present:
        result = parse_sitemap(
            (FEEDS / record["path"]).read_bytes(), "https://www.washingtonpost.com/news-sitemap.xml"
        )
        assert result.kind == "urlset", result.error
        news_items = [item for item in result.urls if item.news_published is not None]
        assert news_items, "no URL carried a news:publication_date"
        assert all(urlsplit(item.url).scheme in ("http", "https") for item in result.urls)
        assert all(item.news_published.utcoffset() is not None and item.news_title for item in news_items)


def test_relative_and_non_http_locations_are_resolved_or_dropped() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc> /a/story-one </loc></url><url><loc>mailto:x@example.com</loc></url>
      <url><loc>https://example.com/a/story-one</loc></url><url><lastmod>2024-01-01</lastmod></url>
    </urlset>"""
    result = parse_sitemap(body, "https://example.com/sitemap.xml")
    assert [item.url for item in result.urls] == ["https://example.com/a/story-one"]


def test_plain_text_sitemap_lists_its_urls() -> None:
    body = b"https://example.com/a\n\nhttps://example.com/b\r\nhttps://example.com/a\n"
    result = parse_sitemap(body, "https://example.com/sitemap.txt")
    assert result.kind == "urlset"
    assert [item.url for item in result.urls] == ["https://example.com/a", "https://example.com/b"]


def test_gzip_bomb_over_max_size_is_invalid_with_a_clear_error() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 3_000_000 + b"</urlset>")
    result = parse_sitemap(bomb, "https://example.com/sitemap.xml.gz", max_size=1_000_000)
    assert result.kind == "invalid"
    assert result.urls == [] and result.sitemaps == []
    assert result.error is not None and "1000000" in result.error


def test_plain_body_over_max_size_is_invalid() -> None:
    result = parse_sitemap(
        b"<urlset>" + b" " * 2000 + b"</urlset>", "https://example.com/s.xml", max_size=1000
    )
    assert result.kind == "invalid"
    assert result.error is not None and "1000" in result.error


@pytest.mark.parametrize(
    "relative",
    [
        "scrapy/compressed/truncated-crc-error.gz",
        "scrapy/compressed/truncated-crc-error-short.gz",
        "scrapy/compressed/unexpected-eof.gz",
        "scrapy/compressed/bomb-br.bin",
        "scrapy/compressed/bomb-zstd.bin",
        "scrapy/compressed/feed-sample1.xml.bz2",
        "scrapy/compressed/feed-sample1.tar",
        "scrapy/feeds/feed-sample1.xml",
        "scrapy/feeds/feed-sample2.xml",
        "scrapy/feeds/feed-sample3.csv",
    ],
)
def test_corrupt_compressed_and_non_sitemap_corpus_files_are_invalid(relative: str) -> None:
    result = parse_sitemap(_corpus_bytes(relative), "https://example.com/sitemap.xml.gz", max_size=1_000_000)
    assert result.kind == "invalid"
    assert result.error


def test_every_corpus_file_parses_without_raising() -> None:
    for record in _corpus_records():
        result = parse_sitemap(
            (FEEDS / record["path"]).read_bytes(), "https://example.com/sitemap.xml", max_size=5_000_000
        )
        assert result.kind in ("urlset", "sitemapindex", "invalid"), record["id"]
        assert (result.kind == "invalid") == (result.error is not None), record["id"]


def test_gzip_that_yields_nothing_is_reported_as_corrupt() -> None:
    result = parse_sitemap(b"\x1f\x8b\x08\x00garbage-after-the-magic", "https://example.com/s.xml.gz")
    assert result.kind == "invalid"
    assert result.error is not None and "corrupt gzip" in result.error


@pytest.mark.parametrize(
    "body", [b"", b"  \n", b"<<<>>>", b"\x00\x01\x02binary", b"<html><body>404</body></html>"]
)
def test_empty_or_garbage_body_is_invalid_never_an_exception(body: bytes) -> None:
    result = parse_sitemap(body, "https://example.com/sitemap.xml")
    assert result.kind == "invalid"
    assert result.error


def test_external_entities_are_not_resolved() -> None:
    body = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.com/a/&xxe;</loc></url>
  <url><loc>https://example.com/a/b</loc>
    <news:news xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><news:title>&xxe;</news:title></news:news>
  </url>
</urlset>"""
    result = parse_sitemap(body, "https://example.com/sitemap.xml")
    assert all("root:" not in item.url and "root:" not in (item.news_title or "") for item in result.urls)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2005-01-01", datetime(2005, 1, 1, tzinfo=UTC)),
        ("2005-01", datetime(2005, 1, 1, tzinfo=UTC)),
        ("2005", datetime(2005, 1, 1, tzinfo=UTC)),
        ("2004-12-23T18:00:15+00:00", datetime(2004, 12, 23, 18, 0, 15, tzinfo=UTC)),
        ("1997-07-16T19:20+01:00", datetime(1997, 7, 16, 18, 20, tzinfo=UTC)),
        ("1997-07-16T19:20:30.45Z", datetime(1997, 7, 16, 19, 20, 30, 450000, tzinfo=UTC)),
        ("2024-05-17T08:00:00", datetime(2024, 5, 17, 8, 0, tzinfo=UTC)),
        ("yesterday", None),
        ("2024-13-01", None),
        ("", None),
        (None, None),
    ],
)
def test_w3c_datetimes_become_utc_aware(value: str | None, expected: datetime | None) -> None:
    assert parse_w3c_datetime(value) == expected


def test_robots_txt_sitemaps_are_absolute_http_and_deduplicated() -> None:
    robots = (
        "User-agent: *\nDisallow: /private\n"
        "Sitemap: https://example.com/sitemap_index.xml\n"
        "sitemap: /sitemap-news.xml\n"
        "SITEMAP:https://example.com/sitemap_index.xml\n"
        "Sitemap: ftp://example.com/s.xml\n"
    )
    expected = ["https://example.com/sitemap_index.xml", "https://example.com/sitemap-news.xml"]
    assert sitemap_urls_from_robots(robots, "https://example.com/robots.txt") == expected
    assert sitemap_urls_from_robots(robots.encode(), "https://example.com/robots.txt") == expected


def test_robots_txt_without_sitemaps_gives_none() -> None:
    assert (
        sitemap_urls_from_robots(b"User-agent: *\nDisallow:\n\xff\xfe", "https://example.com/robots.txt")
        == []
    )
