"""Link discovery: article links and links worth following, on the source's own domains only."""

from __future__ import annotations

import re

import pytest

from spiders.links import article_links, url_in_domains

BASE = "https://news.example.com/"
DOMAINS = ["news.example.com"]


def _links(
    html: bytes | str, *, base: str = BASE, domains: list[str] | None = None, pattern: str | None = None
) -> tuple[list[str], list[str]]:
    return article_links(
        html,
        base,
        allowed_domains=DOMAINS if domains is None else domains,
        pattern=re.compile(pattern) if pattern else None,
    )


def test_relative_links_are_made_absolute_against_the_page_url() -> None:
    html = '<a href="/2024/05/17/story">a</a> <a href="world/2024/05/18/other">b</a> <a href="../x/y">c</a>'
    articles, others = _links(html, base="https://news.example.com/section/index.html")
    assert articles + others == [
        "https://news.example.com/2024/05/17/story",
        "https://news.example.com/section/world/2024/05/18/other",
        "https://news.example.com/x/y",
    ]


def test_base_href_decides_how_relative_links_resolve() -> None:
    html = """<html><head><base href="https://news.example.com/archive/"></head>
      <body><a href="2024/01/02/story">s</a><a href="/top/level">t</a></body></html>"""
    articles, _ = _links(html, base="https://news.example.com/some/page")
    assert articles == [
        "https://news.example.com/archive/2024/01/02/story",
        "https://news.example.com/top/level",
    ]


def test_relative_base_href_is_itself_resolved_against_the_page_url() -> None:
    html = '<head><base href="/en/"></head><a href="politics/vote-count-begins-tonight">v</a>'
    articles, _ = _links(html)
    assert articles == ["https://news.example.com/en/politics/vote-count-begins-tonight"]


def test_links_to_other_domains_are_dropped() -> None:
    html = """<a href="https://other.org/2024/05/17/story">o</a>
      <a href="https://example.com.evil.net/2024/05/17/story">e</a>
      <a href="https://notnews.example.com/2024/05/17/story">n</a>
      <a href="//news.example.com/2024/05/17/mine">m</a>"""
    articles, others = _links(html)
    assert articles == ["https://news.example.com/2024/05/17/mine"]
    assert others == []


def test_subdomains_of_an_allowed_domain_are_allowed() -> None:
    html = """<a href="https://live.example.com/2024/05/17/blog">l</a>
      <a href="http://example.com/2024/05/17/root">r</a>
      <a href="https://badexample.com/2024/05/17/x">b</a>"""
    articles, _ = _links(html, domains=["example.com"])
    assert articles == ["https://live.example.com/2024/05/17/blog", "http://example.com/2024/05/17/root"]


def test_pattern_selects_articles_on_path_and_query_and_the_rest_is_followable() -> None:
    html = """<a href="/2024/05/17/story">dated</a>
      <a href="/politics/long-read-without-a-date-in-it">undated</a>
      <a href="/article.php?id=42">by id</a>
      <a href="/article.php?id=43">another id</a>
      <a href="/section/politics">section</a>"""
    articles, others = _links(html, pattern=r"/\d{4}/\d{2}/\d{2}/|[?&]id=\d+")
    assert articles == [
        "https://news.example.com/2024/05/17/story",
        "https://news.example.com/article.php?id=42",
        "https://news.example.com/article.php?id=43",
    ]
    assert others == [
        "https://news.example.com/politics/long-read-without-a-date-in-it",
        "https://news.example.com/section/politics",
    ]


def test_pattern_is_searched_in_the_path_not_the_host() -> None:
    html = '<a href="https://news.example.com/about">about</a>'
    articles, others = _links(html, pattern=r"news")
    assert articles == []
    assert others == ["https://news.example.com/about"]


def test_without_a_pattern_the_url_shape_heuristic_decides() -> None:
    html = """<a href="/">home</a>
      <a href="/2024/05/17/story">nested dated path</a>
      <a href="/20240517-flood">date-like segment</a>
      <a href="/storm-hits-the-coast-overnight">long slug</a>
      <a href="/world/asia">two segments</a>
      <a href="/about">single short segment</a>
      <a href="/tag/politics/">tag page</a>
      <a href="/category/world/">category page</a>
      <a href="/page/2/">pagination</a>
      <a href="/login">login</a>
      <a href="/contact">contact</a>"""
    articles, others = _links(html)
    assert articles == [
        "https://news.example.com/2024/05/17/story",
        "https://news.example.com/20240517-flood",
        "https://news.example.com/storm-hits-the-coast-overnight",
        "https://news.example.com/world/asia",
    ]
    assert others == [
        "https://news.example.com/",
        "https://news.example.com/about",
        "https://news.example.com/tag/politics/",
        "https://news.example.com/category/world/",
        "https://news.example.com/page/2/",
        "https://news.example.com/login",
        "https://news.example.com/contact",
    ]


def test_assets_feeds_mail_and_script_links_are_neither_articles_nor_followable() -> None:
    html = """<a href="/img/2024/05/photo.JPG">i</a><a href="/static/site.css">c</a>
      <a href="/static/app.js">j</a><a href="/2024/05/17/report.pdf">p</a>
      <a href="/feed/">f</a><a href="/rss.xml">r</a><a href="/news/atom">a</a>
      <a href="mailto:desk@example.com">m</a><a href="javascript:void(0)">js</a><a href="tel:+123">t</a>
      <a href="ftp://news.example.com/files/x">ftp</a><a href="data:text/html,hi">d</a>
      <a href="/2024/05/17/story.html">the only page</a>"""
    articles, others = _links(html)
    assert articles == ["https://news.example.com/2024/05/17/story.html"]
    assert others == []


def test_fragments_are_dropped_and_urls_deduplicated_in_document_order() -> None:
    html = """<a href="#top">top</a>
      <a href="/2024/05/17/story#comments">c</a>
      <a href="/about#team">a</a>
      <a href="https://news.example.com/2024/05/17/story">again</a>
      <a href="/2024/05/17/story#">again</a>
      <a href="/about">again</a>"""
    articles, others = _links(html)
    assert articles == ["https://news.example.com/2024/05/17/story"]
    assert others == ["https://news.example.com/about"]


def test_query_strings_that_distinguish_articles_are_kept() -> None:
    html = (
        '<a href="/story?id=1">1</a><a href="/story?id=2">2</a><a href="/story?id=1&amp;utm_source=x">1b</a>'
    )
    articles, _ = _links(html, pattern=r"id=\d")
    assert articles == [
        "https://news.example.com/story?id=1",
        "https://news.example.com/story?id=2",
        "https://news.example.com/story?id=1&utm_source=x",
    ]


def test_area_links_count_and_whitespace_around_hrefs_is_ignored() -> None:
    html = '<map><area href=" /2024/05/17/map-story " shape="rect"></map>'
    articles, _ = _links(html)
    assert articles == ["https://news.example.com/2024/05/17/map-story"]


def test_bytes_are_decoded_with_the_http_charset_first() -> None:
    html = '<meta charset="utf-8"><a href="/2024/05/17/caf\u00e9-cr\u00e8me">x</a>'.encode("latin-1")
    articles, _ = article_links(html, BASE, allowed_domains=DOMAINS, pattern=None, encoding="latin-1")
    assert articles == ["https://news.example.com/2024/05/17/caf%C3%A9-cr%C3%A8me"]


def test_bytes_without_http_charset_use_the_meta_declaration() -> None:
    html = '<meta charset="windows-1252"><a href="/2024/05/17/\u201cquoted\u201d">x</a>'.encode("cp1252")
    articles, _ = article_links(html, BASE, allowed_domains=DOMAINS, pattern=None)
    assert articles == ["https://news.example.com/2024/05/17/%E2%80%9Cquoted%E2%80%9D"]


def test_xhtml_with_an_xml_declaration_is_read() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body><a href="/a/b">x</a></body></html>'
    articles, _ = _links(html)
    assert articles == ["https://news.example.com/a/b"]


@pytest.mark.parametrize("html", [b"", "", "   ", b"\x00\x00", "<<<>>>", "<html></html>"])
def test_empty_or_garbage_html_gives_no_links(html: bytes | str) -> None:
    assert _links(html) == ([], [])


@pytest.mark.parametrize(
    ("url", "domains", "expected"),
    [
        ("https://example.com/x", ["example.com"], True),
        ("https://www.example.com/x", ["example.com"], True),
        ("https://WWW.Example.COM./x", ["example.com"], True),
        ("https://example.com:8443/x", ["example.com"], True),
        ("https://badexample.com/x", ["example.com"], False),
        ("https://example.com.evil.net/x", ["example.com"], False),
        ("https://example.com/x", ["www.example.com"], False),
        ("https://a.b.example.org/x", ["other.net", "b.example.org"], True),
        ("https://example.com/x", ["https://example.com/"], True),
        ("https://example.com/x", [".example.com"], True),
        ("https://xn--bcher-kva.example/x", ["b\u00fccher.example"], True),
        ("https://example.com/x", [], False),
        ("not a url", ["example.com"], False),
        ("http://[::1/", ["example.com"], False),
    ],
)
def test_url_in_domains_matches_hosts_and_their_subdomains(
    url: str, domains: list[str], expected: bool
) -> None:
    assert url_in_domains(url, domains) is expected
