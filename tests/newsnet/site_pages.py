"""What each site serves besides its articles, built at start once the addresses are known: homepages,
listing and about pages, robots.txt, feeds and sitemaps of "daily", "wire" and "blog"."""

from __future__ import annotations

import gzip
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .corpus import SECRET_PATH, SEED_PATH, _Story
from .feeds import _atom, _json_feed, _newest, _news_sitemap, _rdf, _rss, _sitemap_index, _urlset
from .html_pages import _html_page, _link_list, _secret_html, _seed_html
from .server import _Page
from .sites import SITE_SPECS, Site

TRACKING_QUERY = "utm_source=rss&utm_medium=feed"


@dataclass(frozen=True)
class PageRef:
    """A served path that is not an article to archive; kind is page, feed, sitemap or robots."""

    site_id: str
    path: str
    url: str
    kind: str


def _build_pages(sites: Mapping[str, Site], stories: Sequence[_Story]) -> tuple[dict[tuple[str, str], _Page],
                                                                              list[PageRef]]:
    pages: dict[tuple[str, str], _Page] = {}
    refs: list[PageRef] = []

    def put(site_id: str, path: str, page: _Page, kind: str | None = "page") -> None:
        pages[(site_id, path)] = page
        if kind is not None:
            refs.append(PageRef(site_id, path, sites[site_id].url(path), kind))

    by_site = {spec.site_id: [s for s in stories if s.site_id == spec.site_id] for spec in SITE_SPECS}
    for story in stories:
        site = sites[story.site_id]
        if story.path == SEED_PATH:
            body = _seed_html(site, story).encode("utf-8")
        elif story.path == SECRET_PATH:
            body = _secret_html(site, story).encode("utf-8")
        else:
            body = story.body
        put(story.site_id, story.path, _Page(body, f"text/html; charset={story.encoding}",
                                             last_modified=story.listed_at), None)
    refs.append(PageRef("daily", SECRET_PATH, sites["daily"].url(SECRET_PATH), "page"))
    _daily_pages(sites["daily"], [s for s in by_site["daily"] if s.path != SECRET_PATH],
                 next(s for s in stories if s.path == SECRET_PATH), put)
    _wire_pages(sites["wire"], by_site["wire"], put)
    _blog_pages(sites["blog"], by_site["blog"], put)
    return pages, refs


def _daily_pages(site: Site, stories: list[_Story], secret: _Story, put: Any) -> None:
    newest = _newest(stories)
    corpus = [s for s in stories if s.path != SEED_PATH]
    put(site.site_id, "/robots.txt", _Page(
        f"User-agent: *\nDisallow: /private/\n\nSitemap: {site.url('/sitemap.xml')}\n".encode(),
        "text/plain; charset=utf-8", last_modified=newest), "robots")
    links = [(s.path, s.title) for s in stories]
    links.append((f"{corpus[0].path}?{TRACKING_QUERY}", f"{corpus[0].title} (from our newsletter)"))
    links.append((SECRET_PATH, "Staff only: harbour contract review"))
    body = _link_list("Latest news", links) + _link_list("More", [("/tag/politics/", "Politics"),
                                                                  ("/about.html", "About us")])
    put(site.site_id, "/", _html_page(site, site.name, body, newest))
    put(site.site_id, "/about.html", _html_page(site, "About", "<h1>About</h1><p>A small newsroom.</p>", newest))
    put(site.site_id, "/tag/politics/", _html_page(
        site, "Politics", _link_list("Tagged: politics", [(s.path, s.title) for s in stories[:3]]), newest))
    feed_items = [(s, f"?{TRACKING_QUERY}" if i % 2 else "") for i, s in enumerate(stories)]
    feed_items.insert(1, (secret, ""))
    put(site.site_id, "/rss.xml", _Page(_rss(site, feed_items).encode(), "application/rss+xml; charset=utf-8",
                                        last_modified=newest), "feed")
    put(site.site_id, "/sitemap.xml", _Page(_urlset(site, stories).encode(), "application/xml; charset=utf-8",
                                            last_modified=newest), "sitemap")


def _wire_pages(site: Site, stories: list[_Story], put: Any) -> None:
    # Recent stories are in the news sitemap and the Atom feed; older ones only in the gzipped sitemap.
    half = (len(stories) + 1) // 2
    recent, older = stories[:half], stories[half:]
    newest = _newest(stories)
    put(site.site_id, "/robots.txt", _Page(
        f"User-agent: *\nAllow: /\nCrawl-delay: 0\n\nSitemap: {site.url('/sitemap_index.xml')}\n".encode(),
        "text/plain; charset=utf-8", last_modified=newest), "robots")
    put(site.site_id, "/", _html_page(site, site.name, _link_list("Wire", [(s.path, s.title) for s in recent]),
                                      newest))
    put(site.site_id, "/feed.atom", _Page(_atom(site, recent).encode(), "application/atom+xml; charset=utf-8",
                                          last_modified=newest), "feed")
    put(site.site_id, "/sitemap-news.xml", _Page(_news_sitemap(site, recent).encode(),
                                                 "application/xml; charset=utf-8", last_modified=newest), "sitemap")
    put(site.site_id, "/sitemap-2024.xml.gz", _Page(gzip.compress(_urlset(site, older).encode(), mtime=0),
                                                    "application/x-gzip", last_modified=_newest(older)), "sitemap")
    index = _sitemap_index(site, (("/sitemap-news.xml", newest), ("/sitemap-2024.xml.gz", _newest(older))))
    put(site.site_id, "/sitemap_index.xml", _Page(index.encode(), "application/xml; charset=utf-8",
                                                  last_modified=newest), "sitemap")


def _blog_pages(site: Site, stories: list[_Story], put: Any) -> None:
    # Older posts are linked only from /archive/: reaching them takes follow_depth 2.
    half = (len(stories) + 1) // 2
    recent, older = stories[:half], stories[half:]
    newest = _newest(stories)
    links = [(s.path, s.title) for s in recent] + [("/archive/", "Older posts")]
    put(site.site_id, "/", _html_page(site, site.name, _link_list("Recent posts", links), newest))
    put(site.site_id, "/archive/", _html_page(
        site, "Archive", _link_list("Archive", [(s.path, s.title) for s in older]), newest))
    put(site.site_id, "/feed.json", _Page(_json_feed(site, recent).encode(),
                                          "application/feed+json; charset=utf-8", last_modified=newest), "feed")
    put(site.site_id, "/index.rdf", _Page(_rdf(site, recent).encode(), "application/rdf+xml; charset=utf-8",
                                          last_modified=newest), "feed")
