"""The local news network that end-to-end tests and benchmarks crawl: what it serves and how it answers."""

from __future__ import annotations

import gzip
import http.client
import json
import tomllib
import urllib.robotparser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import lxml.html
import pytest
import trafilatura
from newsnet import SECRET_PATH, SEED_BOILERPLATE, SEED_PATH, TRACKING_QUERY, NewsNetwork

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
              "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None,
          ) -> tuple[int, http.client.HTTPMessage, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def get(url: str) -> bytes:
    status, _, body = fetch(url)
    assert status == 200, url
    return body


def urls_of(net: NewsNetwork, site_id: str) -> set[str]:
    return {a.url for a in net.articles if a.site_id == site_id}


def strip_query(url: str) -> str:
    return url.split("?", 1)[0]


def visible_text(body: bytes) -> str:
    return " ".join(lxml.html.document_fromstring(body).text_content().split())


def test_each_site_answers_on_its_own_host(newsnet: NewsNetwork) -> None:
    sites = newsnet.sites
    assert set(sites) == {"daily", "wire", "blog"}
    assert len({s.base_url for s in sites.values()}) == 3
    if newsnet.distinct_hosts:
        assert [sites[s].host for s in ("daily", "wire", "blog")] == ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
    for site in sites.values():
        assert site.name.encode() in get(site.url("/"))
    assert [r.site_id for r in newsnet.requests] == list(sites)


def test_every_request_is_logged_with_its_raw_target_and_headers(newsnet: NewsNetwork) -> None:
    fetch(newsnet.url("daily", "/about.html?x=1"), headers={"user-agent": "newsvault-test"})
    fetch(newsnet.url("wire", "/nowhere"), method="HEAD")
    first, second = newsnet.requests
    assert (first.site_id, first.method, first.path) == ("daily", "GET", "/about.html?x=1")
    assert first.headers["User-Agent"] == "newsvault-test"
    assert (second.site_id, second.method, second.path) == ("wire", "HEAD", "/nowhere")
    assert first.time <= second.time
    newsnet.clear_log()
    assert newsnet.requests == []


def test_daily_robots_disallows_private_and_names_its_sitemap(newsnet: NewsNetwork) -> None:
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(get(newsnet.url("daily", "/robots.txt")).decode().splitlines())
    [secret] = newsnet.disallowed
    assert not robots.can_fetch("newsvault-test", secret.url)
    assert all(robots.can_fetch("newsvault-test", a.url) for a in newsnet.articles if a.site_id == "daily")
    assert robots.site_maps() == [newsnet.url("daily", "/sitemap.xml")]
    # The forbidden page exists and looks like an article, so a crawler ignoring robots would archive it.
    assert b"<article>" in get(secret.url)


def test_wire_robots_allows_everything_without_a_crawl_delay(newsnet: NewsNetwork) -> None:
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(get(newsnet.url("wire", "/robots.txt")).decode().splitlines())
    assert robots.crawl_delay("newsvault-test") == 0
    assert all(robots.can_fetch("newsvault-test", u) for u in urls_of(newsnet, "wire"))
    assert fetch(newsnet.url("blog", "/robots.txt"))[0] == 404


def test_daily_rss_lists_its_articles_the_forbidden_one_and_tracking_links(newsnet: NewsNetwork) -> None:
    feed = feedparser.parse(get(newsnet.url("daily", "/rss.xml")))
    assert not feed.bozo
    links = [e.link for e in feed.entries]
    assert {strip_query(link) for link in links} == urls_of(newsnet, "daily") | {newsnet.url("daily", SECRET_PATH)}
    assert any(link.endswith("?" + TRACKING_QUERY) for link in links)
    assert all(e.published_parsed for e in feed.entries)


def test_wire_atom_and_blog_feeds_list_the_recent_articles(newsnet: NewsNetwork) -> None:
    atom = feedparser.parse(get(newsnet.url("wire", "/feed.atom")))
    rdf = feedparser.parse(get(newsnet.url("blog", "/index.rdf")))
    json_feed = json.loads(get(newsnet.url("blog", "/feed.json")))
    assert (atom.version, rdf.version) == ("atom10", "rss10")
    assert json_feed["version"] == "https://jsonfeed.org/version/1.1"
    wire_links = {e.link for e in atom.entries}
    blog_links = {item["url"] for item in json_feed["items"]}
    assert wire_links and wire_links < urls_of(newsnet, "wire")
    assert blog_links and blog_links < urls_of(newsnet, "blog")
    assert {e.link for e in rdf.entries} == blog_links


def test_older_blog_posts_are_reachable_only_through_the_archive_page(newsnet: NewsNetwork) -> None:
    home = get(newsnet.url("blog", "/")).decode()
    archive = get(newsnet.url("blog", "/archive/")).decode()
    feed_urls = {item["url"] for item in json.loads(get(newsnet.url("blog", "/feed.json")))["items"]}
    older = [a for a in newsnet.articles if a.site_id == "blog" and a.url not in feed_urls]
    assert older
    assert 'href="/archive/"' in home
    for article in older:
        assert f'href="{article.path}"' in archive
        assert article.path not in home


def test_sitemap_index_leads_to_a_news_sitemap_and_a_gzipped_sitemap(newsnet: NewsNetwork) -> None:
    index = ElementTree.fromstring(get(newsnet.url("wire", "/sitemap_index.xml")))
    children = [loc.text or "" for loc in index.iterfind("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert [urlsplit(c).path for c in children] == ["/sitemap-news.xml", "/sitemap-2024.xml.gz"]

    news = ElementTree.fromstring(get(children[0]))
    entries = news.findall("sm:url", SITEMAP_NS)
    assert entries
    for entry in entries:
        assert entry.findtext("news:news/news:publication_date", namespaces=SITEMAP_NS)
        assert entry.findtext("news:news/news:title", namespaces=SITEMAP_NS)

    status, headers, body = fetch(children[1], headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Type"] in ("application/gzip", "application/x-gzip")
    assert "Content-Encoding" not in headers
    older = ElementTree.fromstring(gzip.decompress(body))
    found = {loc.text for doc in (news, older) for loc in doc.iterfind("sm:url/sm:loc", SITEMAP_NS)}
    assert found == urls_of(newsnet, "wire")


def test_seed_page_is_a_wordpress_post_full_of_boilerplate(newsnet: NewsNetwork) -> None:
    [seed] = [a for a in newsnet.articles if a.path == SEED_PATH]
    body = get(seed.url)
    text = visible_text(body)
    for boilerplate in (*SEED_BOILERPLATE, "We use cookies", "Accept", "Facebook", "LinkedIn", "Email"):
        assert boilerplate in text
    assert seed.title == "Azerbaijan’s Balancing Act In Israel-Turkey Rift"
    assert f"<h1 class=\"entry-title\">{seed.title}</h1>" in body.decode()
    assert seed.expected_text is not None
    for paragraph in seed.expected_text.split("\n"):
        assert paragraph in text
    doc = lxml.html.document_fromstring(body)
    [ld] = [json.loads(s) for s in doc.xpath('//script[@type="application/ld+json"]/text()')]
    assert (ld["@type"], ld["headline"], ld["author"]["name"]) == ("NewsArticle", seed.title, seed.authors[0])
    assert doc.xpath("//time/@datetime") == [seed.published_at]
    form_fields = doc.xpath('//form[@id="commentform"]//*[@name]/@name')
    assert {"comment", "author", "email", "url", "submit"} <= set(form_fields)
    assert doc.xpath("//nav//a") and doc.xpath("//footer//a")


def test_seed_expected_text_leaves_out_the_boilerplate_and_reading_time(newsnet: NewsNetwork) -> None:
    [seed] = [a for a in newsnet.articles if a.path == SEED_PATH]
    assert seed.expected_text is not None
    assert seed.expected_text.startswith("Azerbaijan, a secular Muslim-majority country")
    for boilerplate in (*SEED_BOILERPLATE, "Min Read"):
        assert boilerplate not in seed.expected_text


def test_homepage_links_one_article_twice_once_with_tracking_parameters(newsnet: NewsNetwork) -> None:
    home = lxml.html.document_fromstring(get(newsnet.url("daily", "/")))
    hrefs = home.xpath("//a/@href")
    tracked = [h for h in hrefs if h.endswith("?" + TRACKING_QUERY)]
    assert len(tracked) == 1
    assert strip_query(tracked[0]) in hrefs
    assert {"/about.html", "/tag/politics/", SECRET_PATH} <= set(hrefs)
    about = [r for r in newsnet.non_articles if r.path == "/about.html"]
    assert about and len(visible_text(get(about[0].url)).split()) < 40


def test_article_pages_are_the_corpus_pages_byte_for_byte(newsnet: NewsNetwork, shared_dir: Path) -> None:
    article = next(a for a in newsnet.articles if a.corpus_id.startswith("zyte_"))
    folder, page_id = article.corpus_id.split("/")
    index = (shared_dir / "corpora" / folder / "index.jsonl").read_text(encoding="utf-8").splitlines()
    row = next(r for r in map(json.loads, index) if r["id"] == page_id)
    assert get(article.url) == gzip.decompress((shared_dir / "corpora" / folder / row["html_path"]).read_bytes())
    assert article.expected_text == row["expected"]["articleBody"]


def test_responses_carry_type_length_etag_and_last_modified(newsnet: NewsNetwork) -> None:
    status, headers, body = fetch(newsnet.url("daily", "/rss.xml"))
    assert status == 200
    assert headers["Content-Type"].startswith("application/rss+xml")
    assert int(headers["Content-Length"]) == len(body)
    assert headers["ETag"].strip('"')
    assert headers["Last-Modified"].endswith("GMT")


def test_conditional_get_with_a_known_etag_or_date_is_304(newsnet: NewsNetwork) -> None:
    url = next(a.url for a in newsnet.articles)
    _, headers, _ = fetch(url)
    for conditional in ({"If-None-Match": headers["ETag"]}, {"If-Modified-Since": headers["Last-Modified"]}):
        status, answer, body = fetch(url, headers=conditional)
        assert (status, body, answer["ETag"]) == (304, b"", headers["ETag"])
    assert fetch(url, headers={"If-None-Match": '"stale"'})[0] == 200
    assert fetch(url, headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200


def test_bodies_are_gzipped_only_for_clients_that_accept_it(newsnet: NewsNetwork) -> None:
    url = newsnet.url("daily", SEED_PATH)
    _, plain_headers, plain = fetch(url)
    status, headers, body = fetch(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert status == 200
    assert "Content-Encoding" not in plain_headers
    assert headers["Content-Encoding"] == "gzip"
    assert int(headers["Content-Length"]) == len(body)
    assert gzip.decompress(body) == plain


def test_head_answers_with_the_get_headers_and_no_body(newsnet: NewsNetwork) -> None:
    url = newsnet.url("blog", "/feed.json")
    _, get_headers, _ = fetch(url)
    status, headers, body = fetch(url, method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == get_headers["Content-Length"]
    assert headers["ETag"] == get_headers["ETag"]


def test_unknown_paths_are_404_and_posts_without_trailing_slash_redirect(newsnet: NewsNetwork) -> None:
    assert fetch(newsnet.url("daily", "/no/such/page.html"))[0] == 404
    post = next(a for a in newsnet.articles if a.site_id == "blog")
    status, headers, _ = fetch(newsnet.url("blog", post.path.rstrip("/")))
    assert (status, headers["Location"]) == (301, post.path)


def test_edit_article_changes_body_etag_and_extracted_text(newsnet: NewsNetwork) -> None:
    [seed] = [a for a in newsnet.articles if a.path == SEED_PATH]
    _, before_headers, before = fetch(seed.url)
    newsnet.edit_article("daily", SEED_PATH, "Update: Baku announced new talks with Ankara on Friday.")
    _, after_headers, after = fetch(seed.url)
    assert after != before
    assert after_headers["ETag"] != before_headers["ETag"]
    assert fetch(seed.url, headers={"If-None-Match": before_headers["ETag"]})[0] == 200
    assert fetch(seed.url, headers={"If-Modified-Since": before_headers["Last-Modified"]})[0] == 200
    extracted = trafilatura.extract(after) or ""
    assert "Baku announced new talks with Ankara" in extracted
    assert "Leave a Reply" not in extracted

    newsnet.edit_article("daily", SEED_PATH, "Correction: the talks were postponed.")
    text = visible_text(get(seed.url))
    assert "Correction: the talks were postponed." in text
    assert "Baku announced new talks" not in text
    [edited] = [a for a in newsnet.articles if a.path == SEED_PATH]
    assert edited.expected_text == f"{seed.expected_text}\nCorrection: the talks were postponed."


def test_edit_article_refuses_paths_that_are_not_articles(newsnet: NewsNetwork) -> None:
    with pytest.raises(KeyError):
        newsnet.edit_article("daily", "/about.html", "more")
    with pytest.raises(KeyError):
        newsnet.edit_article("daily", SECRET_PATH, "more")


def test_set_page_serves_given_bytes_status_and_headers_and_remove_page_404s(newsnet: NewsNetwork) -> None:
    newsnet.set_page("wire", "/down.html", b"busy", content_type="text/plain", status=503,
                     headers={"Retry-After": "1"})
    status, headers, body = fetch(newsnet.url("wire", "/down.html"))
    assert (status, headers["Retry-After"], body) == (503, "1", b"busy")
    newsnet.set_page("wire", "/", b"<html><body>replaced</body></html>")
    assert get(newsnet.url("wire", "/")) == b"<html><body>replaced</body></html>"
    newsnet.remove_page("wire", "/")
    assert fetch(newsnet.url("wire", "/"))[0] == 404
    with pytest.raises(KeyError):
        newsnet.set_page("nosuchsite", "/", b"")


def test_config_toml_has_one_source_per_site_and_fast_crawl_settings(newsnet: NewsNetwork) -> None:
    config = tomllib.loads(newsnet.config_toml("data/archive", "sqlite:///data/state.db", download_delay=0.25))
    assert config["archive"]["uri"] == "data/archive"
    assert config["state"]["uri"] == "sqlite:///data/state.db"
    assert config["crawl"] == {"user_agent": "newsvault-test", "obey_robots": True, "concurrency_per_domain": 4,
                               "download_delay": 0.25, "timeout": 10}
    daily, wire, blog = config["sources"]
    sites = newsnet.sites
    assert daily["feeds"] == [sites["daily"].url("/rss.xml")]
    assert daily["start_urls"] == [sites["daily"].url("/")]
    assert daily["article_url_pattern"] == r"/\d{4}/\d{2}/"
    assert wire["sitemaps"] == [sites["wire"].url("/sitemap_index.xml")]
    assert wire["feeds"] == [sites["wire"].url("/feed.atom")]
    assert blog["feeds"] == [sites["blog"].url("/feed.json"), sites["blog"].url("/index.rdf")]
    assert (blog["article_url_pattern"], blog["follow_depth"]) == ("/posts/", 2)
    only_blog = tomllib.loads(newsnet.config_toml("a", "sqlite:///s.db", sources=["blog"], timeout=None))
    assert [s["id"] for s in only_blog["sources"]] == ["blog"]
    assert "timeout" not in only_blog["crawl"]


def test_the_same_seed_builds_the_same_network(shared_dir: Path) -> None:
    def picked(seed: int) -> list[tuple[str, str, str]]:
        with NewsNetwork(shared_dir, seed=seed, pages_per_site=3) as net:
            return [(a.site_id, a.path, a.corpus_id) for a in net.articles]

    assert picked(7) == picked(7)
    assert picked(7) != picked(8)
    assert len(picked(7)) == 1 + 3 * 3  # the seed article plus pages_per_site from the corpora per site


def test_stop_closes_the_sites_even_for_open_connections(shared_dir: Path) -> None:
    net = NewsNetwork(shared_dir, pages_per_site=2).start()
    site = net.sites["daily"]
    conn = http.client.HTTPConnection(site.host, site.port, timeout=5)
    conn.request("GET", "/")
    conn.getresponse().read()
    net.stop()
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        conn.request("GET", "/")
        conn.getresponse()
    conn.close()
    with pytest.raises(OSError):
        fetch(site.url("/"))


def test_a_network_needs_two_pages_per_site_and_a_started_server(shared_dir: Path) -> None:
    with pytest.raises(ValueError):
        NewsNetwork(shared_dir, pages_per_site=1)
    with pytest.raises(RuntimeError):
        _ = NewsNetwork(shared_dir, pages_per_site=2).articles
