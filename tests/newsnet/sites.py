"""The three sites: what each one is (SITE_SPECS) and, once its server is bound, where it answers (Site)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """One running site: where it answers and how it is meant to be crawled."""

    site_id: str
    name: str
    host: str
    port: int
    feed_paths: tuple[str, ...]
    sitemap_paths: tuple[str, ...]
    start_paths: tuple[str, ...]
    article_url_pattern: str | None
    follow_depth: int | None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path


@dataclass(frozen=True)
class _SiteSpec:
    site_id: str
    name: str
    host: str
    feed_paths: tuple[str, ...]
    sitemap_paths: tuple[str, ...]
    start_paths: tuple[str, ...]
    article_url_pattern: str | None
    follow_depth: int | None


SITE_SPECS = (
    _SiteSpec("daily", "The Daily Ledger", "127.0.0.2", ("/rss.xml",), (), ("/",), r"/\d{4}/\d{2}/", 1),
    _SiteSpec("wire", "Loopback Wire", "127.0.0.3", ("/feed.atom",), ("/sitemap_index.xml",), (), None, None),
    _SiteSpec("blog", "Field Notes", "127.0.0.4", ("/feed.json", "/index.rdf"), (), ("/",), "/posts/", 2),
)
