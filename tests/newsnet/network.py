"""NewsNetwork: the stories chosen at construction, one server per site bound at start, the pages built
once the addresses are known, and the edits, replacements and removals tests make while it runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import tomlkit

from .corpus import SECRET_PATH, _choose_stories
from .editing import _add_paragraph
from .server import _HTML_TYPE, LoggedRequest, _later_than, _Page, _SiteServer
from .site_pages import PageRef, _build_pages
from .sites import SITE_SPECS, Site
from .syndication import _syndicate


@dataclass(frozen=True)
class Article:
    """An article page the crawler should archive, with what its record should contain where known."""

    site_id: str
    path: str
    url: str
    corpus_id: str
    expected_text: str | None
    title: str
    authors: tuple[str, ...] = ()
    published_at: str | None = None


class NewsNetwork:
    """Three fake news sites on loopback HTTP servers; see the package docstring for what they serve."""

    def __init__(self, shared_dir: Path, *, seed: int = 0, pages_per_site: int = 6, syndicated: int = 0) -> None:
        """syndicated: how many wire stories "daily" and "blog" each republish (see `syndicated`)."""
        if pages_per_site < 2:
            raise ValueError("pages_per_site must be at least 2 (wire and blog split theirs in two groups)")
        self.shared_dir = Path(shared_dir)
        self.seed = seed
        self.pages_per_site = pages_per_site
        self._stories = _choose_stories(self.shared_dir, seed, pages_per_site)
        self._copies = _syndicate(self._stories, syndicated)
        self._stories += [copy for _, copy in self._copies]
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self._base: dict[tuple[str, str], _Page] = {}
        self._overrides: dict[tuple[str, str], _Page | None] = {}
        self._edits: dict[tuple[str, str], str] = {}
        self._servers: list[tuple[_SiteServer, threading.Thread]] = []
        self._sites: dict[str, Site] = {}
        self._refs: list[PageRef] = []
        self.distinct_hosts = True

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._servers:
            raise RuntimeError("NewsNetwork is already started")
        try:
            servers = self._bind_servers()
        except OSError:
            servers = []
        if not servers:
            self.distinct_hosts = False
            servers = self._bind_servers(fallback_host="127.0.0.1")
        for spec, server in zip(SITE_SPECS, servers, strict=True):
            host, port = server.server_address[:2]
            self._sites[spec.site_id] = Site(
                spec.site_id, spec.name, str(host), int(port), spec.feed_paths, spec.sitemap_paths,
                spec.start_paths, spec.article_url_pattern, spec.follow_depth,
            )
        with self._lock:
            self._base, self._refs = _build_pages(self._sites, self._stories)
        for server in servers:
            # A short poll interval keeps stop() quick: shutdown() waits for the serve loop to notice.
            thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=f"newsnet-{server.site_id}",
                                      daemon=True)
            thread.start()
            self._servers.append((server, thread))
        return self

    def stop(self) -> None:
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            # Idle keep-alive connections would otherwise go on answering after stop().
            server.close_connections()
            thread.join(timeout=5)
        self._servers.clear()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _bind_servers(self, fallback_host: str | None = None) -> list[_SiteServer]:
        servers: list[_SiteServer] = []
        try:
            for spec in SITE_SPECS:
                servers.append(_SiteServer((fallback_host or spec.host, 0), self, spec.site_id))
        except OSError:
            for server in servers:
                server.server_close()
            raise
        return servers

    # -- what the network holds ------------------------------------------------------------------

    @property
    def sites(self) -> dict[str, Site]:
        self._require_started()
        return dict(self._sites)

    def url(self, site_id: str, path: str) -> str:
        return self.sites[site_id].url(path)

    @property
    def articles(self) -> list[Article]:
        """Every article a complete, polite crawl of the three sources should archive."""
        self._require_started()
        with self._lock:
            edits = dict(self._edits)
        out = []
        for story in self._stories:
            if story.path == SECRET_PATH:
                continue
            text = story.expected_text
            edit = edits.get((story.site_id, story.path))
            if edit is not None and text is not None:
                text = f"{text}\n{edit}"
            out.append(Article(
                story.site_id, story.path, self._sites[story.site_id].url(story.path), story.corpus_id,
                text, story.title, story.authors, story.published_at,
            ))
        return out

    @property
    def syndicated(self) -> list[tuple[Article, Article]]:
        """(wire original, copy) for every republished wire story: the copy is the story's text with a
        new headline, a paragraph cut, a paragraph and a correction added, inside a real article page
        of "daily" or "blog" (that site's template) at that site's own URL, listed in its feeds."""
        by_key = {(a.site_id, a.path): a for a in self.articles}
        return [(by_key[(o.site_id, o.path)], by_key[(c.site_id, c.path)]) for o, c in self._copies]

    @property
    def non_articles(self) -> list[PageRef]:
        """Served paths that must never become records: listing and about pages, feeds, sitemaps, robots."""
        self._require_started()
        return [ref for ref in self._refs if ref.path != SECRET_PATH]

    @property
    def disallowed(self) -> list[PageRef]:
        """Paths robots.txt forbids (served, and article-like, so a crawler ignoring robots is caught)."""
        self._require_started()
        return [ref for ref in self._refs if ref.path == SECRET_PATH]

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def _require_started(self) -> None:
        if not self._sites:
            raise RuntimeError("NewsNetwork is not started: call start() or use it as a context manager")

    # -- mutations -------------------------------------------------------------------------------

    def edit_article(self, site_id: str, path: str, new_paragraph: str) -> None:
        """Give the article one extra paragraph after its last text paragraph; a later edit replaces it.

        The page is re-serialised by lxml, so its bytes, ETag and Last-Modified all change."""
        story = next((s for s in self._stories if (s.site_id, s.path) == (site_id, path)), None)
        if story is None or path == SECRET_PATH:
            raise KeyError(f"no article at {site_id}:{path}")
        self._require_started()
        with self._lock:
            original = self._base[(site_id, path)].body
        body = _add_paragraph(original, story.encoding, story.expected_text, new_paragraph)
        with self._lock:
            previous = self._current(site_id, path)
            self._overrides[(site_id, path)] = _Page(
                body, f"text/html; charset={story.encoding}", last_modified=_later_than(previous)
            )
            self._edits[(site_id, path)] = new_paragraph

    def touch_article(self, site_id: str, path: str, when: datetime | None = None) -> datetime:
        """Date the article `when` (default: now) in its site's feeds and sitemaps and in its
        Last-Modified, as a publisher does when it updates a story; its bytes, and so its ETag, stay."""
        index = next((i for i, s in enumerate(self._stories) if (s.site_id, s.path) == (site_id, path)), None)
        if index is None or path == SECRET_PATH:
            raise KeyError(f"no article at {site_id}:{path}")
        self._require_started()
        with self._lock:
            page = self._current(site_id, path)
            when = when or _later_than(page)
            self._stories[index] = replace(self._stories[index], listed_at=when)
            rebuilt, _ = _build_pages(self._sites, self._stories)
            for key, fresh in rebuilt.items():
                old = self._base.get(key)
                if key == (site_id, path):
                    target = self._overrides if self._overrides.get(key) is not None else self._base
                    target[key] = replace(target[key], last_modified=when)  # type: ignore[arg-type]
                elif old is not None and old.body != fresh.body:
                    self._base[key] = replace(fresh, last_modified=_later_than(old))
        return when

    def set_page(
        self,
        site_id: str,
        path: str,
        html: bytes,
        content_type: str = _HTML_TYPE,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        wait_for: threading.Event | None = None,
    ) -> None:
        """Serve exactly these bytes at path (any status; headers are added, e.g. Location or Retry-After),
        each response after `delay` seconds (a slow page; other requests are served meanwhile) and, with
        wait_for, only once that Event is set (the request is logged when it arrives, as any other)."""
        self._check_site(site_id)
        with self._lock:
            previous = self._current(site_id, path)
            self._overrides[(site_id, path)] = _Page(
                bytes(html), content_type, status, dict(headers or {}), _later_than(previous), delay, wait_for
            )
            self._edits.pop((site_id, path), None)

    def remove_page(self, site_id: str, path: str) -> None:
        """Answer 404 at path from now on."""
        self._check_site(site_id)
        with self._lock:
            self._overrides[(site_id, path)] = None
            self._edits.pop((site_id, path), None)

    def _check_site(self, site_id: str) -> None:
        if site_id not in {spec.site_id for spec in SITE_SPECS}:
            raise KeyError(f"unknown site {site_id!r}")

    def _current(self, site_id: str, path: str) -> _Page | None:
        key = (site_id, path)
        if key in self._overrides:
            return self._overrides[key]
        return self._base.get(key)

    # -- serving (called from the server threads) ------------------------------------------------

    def _record(self, site_id: str, method: str, target: str, headers: Iterable[tuple[str, str]]) -> None:
        merged: dict[str, str] = {}
        for name, value in headers:
            key = "-".join(part.capitalize() for part in name.split("-"))
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        with self._lock:
            self._log.append(LoggedRequest(site_id, method, target, merged, time.monotonic()))

    def _lookup(self, site_id: str, path: str) -> _Page | None:
        with self._lock:
            page = self._current(site_id, path)
            if page is None and not path.endswith("/") and self._current(site_id, path + "/") is not None:
                # WordPress-style: a post path without its trailing slash redirects to the real one.
                return _Page(b"", _HTML_TYPE, 301, {"Location": path + "/"})
            return page

    # -- config ----------------------------------------------------------------------------------

    def config_toml(
        self,
        archive_uri: str | Path,
        state_uri: str,
        *,
        sources: Sequence[str] | None = None,
        **crawl_overrides: Any,
    ) -> str:
        """A complete newsvault.toml for the running network: one source per site (or those named in
        sources), crawl settings for fast tests; crawl_overrides replace [crawl] keys (None drops one)."""
        sites = self.sites
        chosen = list(sources) if sources is not None else [spec.site_id for spec in SITE_SPECS]
        unknown = [s for s in chosen if s not in sites]
        if unknown:
            raise KeyError(f"unknown sites {unknown}")
        crawl: dict[str, Any] = {
            "user_agent": "newsvault-test",
            "obey_robots": True,
            "concurrency_per_domain": 4,
            "download_delay": 0,
            "timeout": 10,
        }
        for key, value in crawl_overrides.items():
            if value is None:
                crawl.pop(key, None)
            else:
                crawl[key] = value
        doc = tomlkit.document()
        doc["archive"] = {"uri": str(archive_uri)}
        doc["state"] = {"uri": state_uri}
        doc["crawl"] = crawl
        table = tomlkit.aot()
        for site_id in chosen:
            site = sites[site_id]
            source: dict[str, Any] = {"id": site.site_id, "name": site.name}
            for key, paths in (("feeds", site.feed_paths), ("sitemaps", site.sitemap_paths),
                               ("start_urls", site.start_paths)):
                if paths:
                    source[key] = [site.url(p) for p in paths]
            source["allowed_domains"] = [site.host]
            if site.article_url_pattern is not None:
                source["article_url_pattern"] = site.article_url_pattern
            if site.follow_depth is not None:
                source["follow_depth"] = site.follow_depth
            table.append(tomlkit.item(source))
        doc["sources"] = table
        return tomlkit.dumps(doc)
