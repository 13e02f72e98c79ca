"""Feed parsing: RSS, Atom, RDF and JSON Feed bodies become article URLs, never exceptions."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from spiders.feeds import FeedEntry, FeedResult, looks_like_feed, parse_feed

SHARED = Path(__file__).resolve().parents[2] / "shared"
FEEDS = SHARED / "corpora" / "feeds"
FEED_FORMATS = {"rss", "atom", "rss1.0/rdf", "jsonfeed"}
_HAS_LINKED_ITEM = re.compile(rb"<(?:item|entry)\b.*?<(?:link|guid)\b", re.DOTALL)


def _corpus() -> list[dict[str, Any]]:
    index = FEEDS / "index.jsonl"
    if not index.is_file():
        pytest.skip(f"feed corpus not found at {FEEDS} (it lives beside the repository in ../shared)")
    return [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines() if line.strip()]


def _headers(record: dict[str, Any]) -> dict[str, str] | None:
    lines = record.get("serve_with_headers") or []
    return dict(line.split(":", 1) for line in lines) or None


def _parse_corpus_file(relative: str, headers: dict[str, str] | None = None) -> FeedResult:
    path = FEEDS / relative
    if not path.is_file():
        pytest.skip(f"{path} is not in the feed corpus")
    return parse_feed(path.read_bytes(), "https://feeds.example.org/feed.xml", headers)


def _assert_clean_entries(result: FeedResult) -> None:
    urls = [entry.url for entry in result.entries]
    assert len(urls) == len(set(urls))
    for entry in result.entries:
        assert urlsplit(entry.url).scheme in ("http", "https")
        for moment in (entry.published, entry.updated):
            assert moment is None or moment.utcoffset() is not None


def test_every_corpus_file_parses_without_raising_and_gives_clean_entries() -> None:
    for record in _corpus():
        body = (FEEDS / record["path"]).read_bytes()
        result = parse_feed(body, "https://feeds.example.org/feed.xml", _headers(record))
        assert isinstance(result, FeedResult), record["id"]
        _assert_clean_entries(result)


def test_every_well_formed_feed_with_linked_items_yields_entries() -> None:
    checked = 0
    for record in _corpus():
        body = (FEEDS / record["path"]).read_bytes()
        if record["format"] not in FEED_FORMATS or record.get("malformed"):
            continue
        if record["format"] != "jsonfeed" and not _HAS_LINKED_ITEM.search(body):
            continue  # e.g. encoding fixtures whose items have only a description
        result = parse_feed(body, "https://feeds.example.org/feed.xml", _headers(record))
        assert result.entries, f"{record['id']}: no entries ({result.bozo})"
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    ("relative", "feed_format", "count", "first_url"),
    [
        (
            "rss_parser/input/guardian.rss",
            "rss20",
            55,
            "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord",
        ),
        (
            "rss_parser/input/craigslist.rss",
            "rss10",
            25,
            "http://sfbay.craigslist.org/eby/apa/6186664607.html",
        ),
        (
            "rss_parser/input/heise.atom",
            "atom10",
            15,
            "http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html"
            "?wt_mc=rss.developer.beitrag.atom",
        ),
        ("trafilatura/feed1.atom", "atom10", 1, "http://example.org/2003/12/13/atom03"),
        ("trafilatura/feed2.rss", "rss20", 1, "http://www.example.com/blog/post/1"),
    ],
)
def test_known_feeds_give_their_known_article_urls(
    relative: str, feed_format: str, count: int, first_url: str
) -> None:
    result = _parse_corpus_file(relative)
    assert result.format == feed_format
    assert result.bozo is None
    assert len(result.entries) == count
    assert result.entries[0].url == first_url


def test_rss_entry_carries_publication_date_in_utc_and_title() -> None:
    entry = _parse_corpus_file("rss_parser/input/guardian.rss").entries[0]
    assert entry.published == datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC)
    assert entry.title == "Trump State of the Union address promised unity but emphasized discord"


def test_html_titles_are_reduced_to_text() -> None:
    entry = _parse_corpus_file("rss_parser/input/craigslist.rss").entries[0]
    assert entry.title == "Bright, Spacious Beautiful Victorian (oakland north / temescal) $4300 3bd 1930ft2"


def test_atom_entry_without_published_keeps_its_updated_date() -> None:
    entry = _parse_corpus_file("trafilatura/feed1.atom").entries[0]
    assert entry.published is None
    assert entry.updated == datetime(2003, 12, 13, 18, 30, 2, tzinfo=UTC)


def test_trafilatura_json_feed_parses_as_json_feed() -> None:
    result = _parse_corpus_file("trafilatura/feed.json")
    assert result.format == "json"
    assert result.bozo is None
    assert len(result.entries) == 25
    first = result.entries[0]
    assert first.url == (
        "https://www.npr.org/2021/10/29/1050315385/keller-rinaudo-how-can-delivery-drones-save-lives"
        "?utm_medium=JSONFeed&utm_campaign=technology"
    )
    assert first.published == datetime(2021, 10, 29, 14, 26, tzinfo=UTC)
    assert first.updated == datetime(2021, 10, 29, 15, 59, tzinfo=UTC)
    assert first.title == "Keller Rinaudo: How can delivery drones save lives?"


def test_every_ill_formed_corpus_feed_with_linked_items_still_yields_entries() -> None:
    checked = 0
    for record in _corpus():
        body = (FEEDS / record["path"]).read_bytes()
        if (
            record["format"] not in FEED_FORMATS
            or not record.get("malformed")
            or not _HAS_LINKED_ITEM.search(body)
        ):
            continue
        result = parse_feed(body, "https://feeds.example.org/feed.xml", _headers(record))
        assert result.entries, f"{record['id']}: no entries ({result.bozo})"
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize(
    ("relative", "url"),
    [
        ("feedparser/illformed/rss_item_link_corrupted_ampersands.xml", "http://link/get?a=1&b=2"),
        (
            "rss_parser/input/itunes-keywords-array.rss",
            "https://www.swr.de/swr2/wissen/Hungersnot-Ostafrika-stellt-sich-auf-die-naechste-Heuschreckenplage-ein,"
            "ostafrika-stellt-sich-auf-naechste-heuschreckenplage-ein-100.html",
        ),
    ],
)
def test_ill_formed_feeds_still_yield_their_entries_and_say_why(relative: str, url: str) -> None:
    result = _parse_corpus_file(relative)
    assert result.bozo
    assert [entry.url for entry in result.entries] == [url]


def test_http_charset_decides_the_encoding_of_the_feed() -> None:
    body = (
        b'<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><item>'
        b"<title>\x93Quoted\x94 \x80 news</title><link>/2024/01/02/story</link></item></channel></rss>"
    )
    with_header = parse_feed(
        body, "https://news.example.com/rss.xml", {"Content-Type": "text/xml; charset=windows-1252"}
    )
    assert with_header.entries[0].title == "\u201cQuoted\u201d \u20ac news"


def test_corpus_feed_served_with_a_non_xml_media_type_is_flagged_but_parsed() -> None:
    result = _parse_corpus_file(
        "feedparser/encoding/bozo_http_text_plain.xml", {"Content-type": "text/plain"}
    )
    assert result.format == "rss20"
    assert result.bozo is not None and "text/plain" in result.bozo


def test_entry_urls_are_resolved_against_the_feed_url_and_deduplicated() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel>
      <item><link>/2024/01/02/first</link></item>
      <item><link>second.html</link></item>
      <item><link>https://news.example.com/2024/01/02/first</link></item>
      <item><link>mailto:desk@example.com</link></item>
      <item><link>javascript:alert(1)</link></item>
      <item><title>no link at all</title></item>
    </channel></rss>"""
    result = parse_feed(body, "https://news.example.com/feeds/rss.xml")
    assert [entry.url for entry in result.entries] == [
        "https://news.example.com/2024/01/02/first",
        "https://news.example.com/feeds/second.html",
    ]


def test_atom_entry_uses_its_alternate_link() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>A</title><link rel="enclosure" href="/a.mp3"/><link rel="alternate" href="/a.html"/>
      <published>2024-03-01T10:00:00+01:00</published></entry></feed>"""
    result = parse_feed(body, "https://example.com/atom")
    assert result.format == "atom10"
    assert result.entries == [
        FeedEntry(
            url="https://example.com/a.html",
            published=datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
            updated=None,
            title="A",
        )
    ]


def test_truncated_feed_yields_the_entries_before_the_damage() -> None:
    body = (
        b'<rss version="2.0"><channel><item><link>https://e.com/a/one</link></item>'
        b"<item><link>https://e.com/a/two?x=1&y=2</link></item><item><title>cut he"
    )
    result = parse_feed(body, "https://e.com/rss")
    assert result.bozo
    assert [entry.url for entry in result.entries] == ["https://e.com/a/one", "https://e.com/a/two?x=1&y=2"]


def test_json_feed_1_1_uses_external_url_when_there_is_no_url() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "t",
            "items": [
                {
                    "id": "1",
                    "external_url": "https://elsewhere.example/story",
                    "date_published": "2024-05-01",
                },
                {"id": "2", "url": "/posts/2", "date_modified": "2024-05-02T08:00:00-04:00"},
                {"id": "3", "content_text": "no url"},
                "not an item",
            ],
        }
    ).encode()
    result = parse_feed(body, "https://blog.example/feed.json")
    assert result.format == "json"
    assert result.bozo is None
    assert result.entries == [
        FeedEntry("https://elsewhere.example/story", datetime(2024, 5, 1, tzinfo=UTC), None, None),
        FeedEntry("https://blog.example/posts/2", None, datetime(2024, 5, 2, 12, 0, tzinfo=UTC), None),
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"\x00\xff\xfe garbage \x13",
        b"<html><body>Not a feed</body></html>",
        b"{not json",
        b"[1, 2]",
    ],
)
def test_empty_or_garbage_input_gives_an_empty_result_with_a_reason(body: bytes) -> None:
    result = parse_feed(body, "https://example.com/feed")
    assert result.entries == []
    assert result.bozo


def test_a_path_like_body_is_parsed_as_data_never_opened_as_a_file() -> None:
    result = parse_feed(b"/etc/passwd", "https://example.com/feed")
    assert result.entries == []
    assert result.bozo


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html></html>", "application/rss+xml; charset=utf-8"),
        (b'<?xml version="1.0"?>\n<!-- generator --><rss version="2.0"><channel/></rss>', "text/xml"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', None),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', "application/xml"),
        (b'{"version": "https:\\/\\/jsonfeed.org\\/version\\/1", "items": []}', "application/json"),
        ('<?xml version="1.0" encoding="utf-16"?><rss/>'.encode("utf-16"), None),
    ],
)
def test_feeds_are_recognised_by_media_type_or_first_bytes(body: bytes, content_type: str | None) -> None:
    assert looks_like_feed(body, content_type)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<!DOCTYPE html><html><head><title>rss</title></head></html>", "text/html"),
        (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', "text/xml"),
        (b'{"items": []}', "application/json"),
        (b"", None),
    ],
)
def test_pages_sitemaps_and_plain_json_are_not_feeds(body: bytes, content_type: str | None) -> None:
    assert not looks_like_feed(body, content_type)
