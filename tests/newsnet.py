"""A local news network for end-to-end tests and benchmarks.

Three fake news sites built from real publisher pages, served over real HTTP on loopback. Each site
gets its own loopback address (127.0.0.2, .3, .4) because Scrapy keys download slots, politeness and
robots.txt on the host name: sites sharing 127.0.0.1 would look like one host. Where those addresses
cannot be bound (macOS only routes 127.0.0.1 by default) every site falls back to 127.0.0.1 on its own
port, and `NewsNetwork.distinct_hosts` is False.

Sites:
- "daily": RSS 2.0, a homepage with article links, a tracking-parameter duplicate link, non-article
  pages, a robots.txt that disallows /private/ (with an article there, also listed in the RSS), and the
  seed article rendered as a WordPress post surrounded by share, comment and cookie boilerplate.
- "wire": an Atom feed, a sitemap index -> Google News sitemap + gzipped sitemap, Crawl-delay 0.
- "blog": JSON Feed 1.1 and RSS 1.0 (RDF), recent posts on the homepage and older posts reachable only
  through /archive/ (two hops), no robots.txt (404, so everything is allowed).

Article pages are real pages from the corpora, served byte for byte. Every request is logged, pages can be
edited, replaced or removed while the network runs, and responses carry ETag / Last-Modified, honour
conditional requests with 304 and are gzip-encoded when the client accepts it.

Free of pytest so that bench/ can use it too.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import html
import json
import random
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Self
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape as xml_escape

import lxml.html
import tomlkit
from loopback import ClosesItsConnections

CORPUS_FOLDERS = ("zyte_article_extraction_benchmark", "newspaper4k_tests")
SEED_FILE = Path("seed") / "azerbaijan-balancing-act.txt"
SEED_PATH = "/2024/05/azerbaijan-balancing-act.html"
SECRET_PATH = "/private/2024/05/secret.html"
TRACKING_QUERY = "utm_source=rss&utm_medium=feed"
# The seed's trailing lines are page chrome, not article text: they are rendered only in the boilerplate.
SEED_BOILERPLATE = (
    "Share This Article",
    "Leave a comment",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
)
SEED_AUTHOR = "Aylin Karimova"
SEED_PUBLISHED = "2024-05-20T09:30:00+00:00"
_NEWEST = datetime(2024, 5, 20, 8, 0, tzinfo=UTC)
_READING_TIME = re.compile(r"^\d+\s+min(ute)?s?\s+read$", re.IGNORECASE)
_HTML_TYPE = "text/html; charset=utf-8"


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


@dataclass(frozen=True)
class PageRef:
    """A served path that is not an article to archive; kind is page, feed, sitemap or robots."""

    site_id: str
    path: str
    url: str
    kind: str


class LoggedRequest(NamedTuple):
    """One request as the server saw it: path is the raw target (with its query string), header names
    are Title-Cased so that lookups do not depend on the client's spelling."""

    site_id: str
    method: str
    path: str
    headers: dict[str, str]
    time: float


@dataclass
class _Page:
    body: bytes
    content_type: str = _HTML_TYPE
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime = _NEWEST
    delay: float = 0.0


@dataclass(frozen=True)
class _Story:
    """An article chosen at construction, before the network knows its ports."""

    site_id: str
    path: str
    corpus_id: str
    body: bytes
    encoding: str
    expected_text: str | None
    title: str
    listed_at: datetime
    authors: tuple[str, ...] = ()
    published_at: str | None = None


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


class NewsNetwork:
    """Three fake news sites on loopback HTTP servers; see the module docstring for what they serve."""

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
    ) -> None:
        """Serve exactly these bytes at path (any status; headers are added, e.g. Location or Retry-After),
        each response after `delay` seconds (a slow page; other requests are served meanwhile)."""
        self._check_site(site_id)
        with self._lock:
            previous = self._current(site_id, path)
            self._overrides[(site_id, path)] = _Page(
                bytes(html), content_type, status, dict(headers or {}), _later_than(previous), delay
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


# -- HTTP --------------------------------------------------------------------------------------------


class _SiteServer(ClosesItsConnections, ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], network: NewsNetwork, site_id: str) -> None:
        self.network = network
        self.site_id = site_id
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients (and stop()) hanging up mid-response are normal here, not worth a traceback.
        return


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newsnet/1.0"
    timeout = 30
    server: _SiteServer

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def do_POST(self) -> None:
        self.server.network._record(self.server.site_id, "POST", self.path, self.headers.items())
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._send(405, {"Content-Type": "text/plain; charset=utf-8", "Allow": "GET, HEAD"},
                   b"405 Method Not Allowed\n", True)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _respond(self, send_body: bool) -> None:
        network, site_id = self.server.network, self.server.site_id
        network._record(site_id, self.command, self.path, self.headers.items())
        page = network._lookup(site_id, urlsplit(self.path).path)
        if page is None:
            self._send(404, {"Content-Type": _HTML_TYPE}, b"<html><body><h1>404 Not Found</h1></body></html>\n",
                       send_body)
            return
        if page.delay > 0:
            time.sleep(page.delay)
        headers = {"Content-Type": page.content_type, **page.headers}
        body = page.body
        if page.status == 200:
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            headers["ETag"] = etag
            headers["Last-Modified"] = email.utils.format_datetime(page.last_modified, usegmt=True)
            headers["Cache-Control"] = "no-cache"
            if _not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"),
                             etag, page.last_modified):
                self._send(304, {k: headers[k] for k in ("ETag", "Last-Modified", "Cache-Control")}, b"", False)
                return
        if _compressible(page.content_type) and body:
            headers["Vary"] = "Accept-Encoding"
            if _accepts_gzip(self.headers.get("Accept-Encoding")):
                body = gzip.compress(body, mtime=0)
                headers["Content-Encoding"] = "gzip"
        self._send(page.status, headers, body, send_body)

    def _send(self, status: int, headers: Mapping[str, str], body: bytes, send_body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)


def _not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str,
                  last_modified: datetime) -> bool:
    # RFC 9110: If-None-Match wins when present, compared weakly; If-Modified-Since only otherwise.
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified <= since
    return False


def _accepts_gzip(accept_encoding: str | None) -> bool:
    for item in (accept_encoding or "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().removeprefix("q=")
            try:
                return not params or float(q) > 0
            except ValueError:
                return True
    return False


def _compressible(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith("text/") or kind.endswith(("xml", "json"))


def _later_than(previous: _Page | None) -> datetime:
    """Now, to the second, but always after the page it replaces, so that If-Modified-Since sees a
    change even when two edits fall within the same second."""
    now = datetime.now(UTC).replace(microsecond=0)
    if previous is not None and now <= previous.last_modified:
        return previous.last_modified + timedelta(seconds=1)
    return now


# -- content chosen at construction ------------------------------------------------------------------


def _choose_stories(shared_dir: Path, seed: int, pages_per_site: int) -> list[_Story]:
    pool = _corpus_pool(shared_dir / "corpora")
    needed = pages_per_site * len(SITE_SPECS)
    if needed > len(pool):
        raise ValueError(f"pages_per_site={pages_per_site} needs {needed} corpus articles, only {len(pool)} exist")
    picked = random.Random(seed).sample(pool, needed)
    stories = [_seed_story(shared_dir / SEED_FILE)]
    used: set[str] = set()
    for index, (folder, row) in enumerate(picked):
        spec = SITE_SPECS[index // pages_per_site]
        rank = index % pages_per_site
        stories.append(_corpus_story(shared_dir / "corpora" / folder, folder, row, spec.site_id, rank, used))
    stories.append(_secret_story())
    return stories


def _corpus_pool(corpora: Path) -> list[tuple[str, dict[str, Any]]]:
    pool: list[tuple[str, dict[str, Any]]] = []
    for folder in CORPUS_FOLDERS:
        index = corpora / folder / "index.jsonl"
        if not index.is_file():
            raise FileNotFoundError(f"corpus index missing: {index}")
        for line in index.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if _expected_text(row):
                pool.append((folder, row))
    pool.sort(key=lambda item: (item[0], item[1]["id"]))
    return pool


def _expected_text(row: Mapping[str, Any]) -> str | None:
    expected = row.get("expected") or {}
    text = expected.get("articleBody") or expected.get("text")
    return text if isinstance(text, str) and text.strip() else None


def _corpus_story(
    folder_dir: Path, folder: str, row: Mapping[str, Any], site_id: str, rank: int, used: set[str]
) -> _Story:
    body = gzip.decompress((folder_dir / row["html_path"]).read_bytes())
    encoding = row.get("html_encoding") or "utf-8"
    expected = row.get("expected") or {}
    title = expected.get("title") or _page_title(body, encoding) or row["id"]
    slug = _unique_slug(title, str(row["id"]), used)
    path = {"daily": f"/2024/05/{slug}.html", "wire": f"/news/{slug}.html", "blog": f"/posts/{slug}/"}[site_id]
    hours = 7 * rank + {"daily": 0, "wire": 2, "blog": 4}[site_id]
    published = expected.get("publish_date")
    return _Story(
        site_id, path, f"{folder}/{row['id']}", body, encoding, _expected_text(row), title.strip(),
        _NEWEST - timedelta(hours=hours), tuple(expected.get("authors") or ()),
        published if isinstance(published, str) else None,
    )


def _page_title(body: bytes, encoding: str) -> str | None:
    doc = lxml.html.document_fromstring(body, parser=lxml.html.HTMLParser(encoding=encoding))
    for xpath in ('//meta[@property="og:title"]/@content', "//title//text()", "//h1//text()"):
        found = " ".join(" ".join(str(v) for v in doc.xpath(xpath)).split())
        if found:
            return found
    return None


def _unique_slug(title: str, fallback: str, used: set[str]) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    if len(slug) < 8:  # titles in other scripts lose everything to ASCII folding
        slug = "story-" + re.sub(r"[^a-z0-9]+", "-", fallback.lower())[:12].strip("-")
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


def _seed_story(seed_file: Path) -> _Story:
    if not seed_file.is_file():
        raise FileNotFoundError(f"seed article missing: {seed_file}")
    lines = [line.strip() for line in seed_file.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    title, rest = lines[0], lines[1:]
    if SEED_BOILERPLATE[0] not in rest:
        raise ValueError(f"{seed_file}: expected the article to end with {SEED_BOILERPLATE[0]!r}")
    paragraphs = [p for p in rest[: rest.index(SEED_BOILERPLATE[0])] if not _READING_TIME.match(p)]
    return _Story(
        "daily", SEED_PATH, "seed/azerbaijan-balancing-act", b"", "utf-8", "\n".join(paragraphs), title,
        datetime.fromisoformat(SEED_PUBLISHED), (SEED_AUTHOR,), SEED_PUBLISHED,
    )


_SECRET_PARAGRAPHS = (
    "The council's internal review of the harbour contract was never meant to leave the building, and "
    "this page exists only to prove that a polite crawler never fetches it.",
    "Anyone reading this text in an archive has found a crawler that ignored robots.txt: the path sits "
    "under /private/, which the site's robots file disallows for every user agent.",
    "The review describes three rounds of bidding, a late change to the tender rules and a consultant "
    "whose fees were paid from a budget line reserved for maintenance of the old quay.",
)


_LOCAL_ANGLE = (
    "Local officials said on Tuesday that they were following the developments closely and would brief "
    "residents at the next council meeting, where questions from the public will be taken."
)
_CORRECTION = "Correction: An earlier version of this story misstated the day of the announcement."


def _syndicate(stories: Sequence[_Story], count: int) -> list[tuple[_Story, _Story]]:
    """The first `count` long wire stories, each republished by "daily" and by "blog"."""
    wire = [s for s in stories if s.site_id == "wire" and len((s.expected_text or "").split()) >= 150
            and len((s.expected_text or "").split("\n")) >= 4]
    if count > len(wire):
        raise ValueError(f"syndicated={count}, but the network has only {len(wire)} long wire stories")
    copies = []
    for n, original in enumerate(wire[:count]):
        paragraphs = (original.expected_text or "").split("\n")
        del paragraphs[len(paragraphs) // 2]
        paragraphs.insert(2, _LOCAL_ANGLE)
        paragraphs.append(_CORRECTION)
        headline = " ".join(paragraphs[0].split()[:9]).rstrip(",;:")
        for site_id, path in (("daily", f"/2024/05/syndicated-{n}.html"), ("blog", f"/posts/syndicated-{n}/")):
            host = next(s for s in stories if s.site_id == site_id and s.body and _body_block(s) is not None)
            copies.append((original, _Story(
                site_id, path, f"{original.corpus_id} via {site_id}", _rehost(host, headline, paragraphs),
                host.encoding, "\n".join(paragraphs), headline, original.listed_at + timedelta(minutes=30),
            )))
    return copies


def _body_block(story: _Story) -> list[Any] | None:
    """The <p> elements of the page that hold its article text, when most of them share a parent."""
    doc = lxml.html.document_fromstring(story.body, parser=lxml.html.HTMLParser(encoding=story.encoding))
    return _body_paragraphs(doc, story.expected_text)


def _body_paragraphs(doc: Any, expected_text: str | None) -> list[Any] | None:
    target = _norm(expected_text or "")
    own = [p for p in doc.iter("p") if len(_norm(p.text_content())) >= 40 and _norm(p.text_content()) in target]
    parents = [p.getparent() for p in own]
    best = max(parents, key=parents.count, default=None)
    return own if best is not None and parents.count(best) >= 2 else None


def _rehost(host: _Story, headline: str, paragraphs: Sequence[str]) -> bytes:
    """Another story's text inside host's page: its body paragraphs swapped, its headline replaced, and
    its canonical link and structured data dropped (they name the host story's address)."""
    doc = lxml.html.document_fromstring(host.body, parser=lxml.html.HTMLParser(encoding=host.encoding))
    own = _body_paragraphs(doc, host.expected_text) or []
    parents = [p.getparent() for p in own]
    anchor = next(p for p in own if parents.count(p.getparent()) == max(map(parents.count, parents)))
    for text in paragraphs:
        new = lxml.html.Element("p")
        new.text = text
        anchor.addprevious(new)
    for p in own:
        p.drop_tree()
    for heading in doc.iter("h1"):
        heading.clear()
        heading.text = headline
    for node in doc.xpath("//title"):
        node.text = headline
    for node in doc.xpath("//meta[@property='og:title' or @name='twitter:title']"):
        node.set("content", headline)
    for node in doc.xpath("//link[@rel='canonical'] | //meta[@property='og:url'] | "
                          "//script[@type='application/ld+json']"):
        node.drop_tree()
    doctype = doc.getroottree().docinfo.doctype or None
    return lxml.html.tostring(doc, encoding=host.encoding, method="html", doctype=doctype)


def _secret_story() -> _Story:
    return _Story(
        "daily", SECRET_PATH, "newsnet/secret", b"", "utf-8", "\n".join(_SECRET_PARAGRAPHS),
        "Harbour contract review, internal draft", _NEWEST - timedelta(hours=1),
    )


# -- pages built at start, once the addresses are known ---------------------------------------------


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


def _newest(stories: Sequence[_Story]) -> datetime:
    return max(s.listed_at for s in stories)


def _summary(story: _Story) -> str:
    text = " ".join((story.expected_text or "").split())
    return text[:197] + "..." if len(text) > 200 else text


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
    index = "".join(
        f"<sitemap><loc>{xml_escape(site.url(p))}</loc><lastmod>{_iso(when)}</lastmod></sitemap>\n"
        for p, when in (("/sitemap-news.xml", newest), ("/sitemap-2024.xml.gz", _newest(older)))
    )
    put(site.site_id, "/sitemap_index.xml", _Page(
        ('<?xml version="1.0" encoding="UTF-8"?>\n'
         f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{index}</sitemapindex>\n').encode(),
        "application/xml; charset=utf-8", last_modified=newest), "sitemap")


def _blog_pages(site: Site, stories: list[_Story], put: Any) -> None:
    # Older posts are linked only from /archive/: reaching them takes follow_depth 2.
    half = (len(stories) + 1) // 2
    recent, older = stories[:half], stories[half:]
    newest = _newest(stories)
    links = [(s.path, s.title) for s in recent] + [("/archive/", "Older posts")]
    put(site.site_id, "/", _html_page(site, site.name, _link_list("Recent posts", links), newest))
    put(site.site_id, "/archive/", _html_page(
        site, "Archive", _link_list("Archive", [(s.path, s.title) for s in older]), newest))
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.name,
        "home_page_url": site.url("/"),
        "feed_url": site.url("/feed.json"),
        "language": "en",
        "items": [
            {"id": site.url(s.path), "url": site.url(s.path), "title": s.title, "summary": _summary(s),
             "date_published": _iso(s.listed_at)}
            for s in recent
        ],
    }
    put(site.site_id, "/feed.json", _Page(json.dumps(feed, ensure_ascii=False, indent=1).encode(),
                                          "application/feed+json; charset=utf-8", last_modified=newest), "feed")
    put(site.site_id, "/index.rdf", _Page(_rdf(site, recent).encode(), "application/rdf+xml; charset=utf-8",
                                          last_modified=newest), "feed")


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def _link_list(heading: str, links: Sequence[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>\n' for href, text in links)
    return f"<section><h2>{html.escape(heading)}</h2>\n<ul>\n{items}</ul></section>\n"


def _html_page(site: Site, title: str, body: str, modified: datetime) -> _Page:
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {html.escape(site.name)}</title></head>
<body><header><a href="/">{html.escape(site.name)}</a>
<nav><a href="/">Home</a> <a href="/about.html">About</a></nav></header>
<main>{body}</main>
<footer><p>&copy; 2024 {html.escape(site.name)}</p></footer></body></html>
"""
    return _Page(doc.encode("utf-8"), _HTML_TYPE, last_modified=modified)


def _rss(site: Site, items: Sequence[tuple[_Story, str]]) -> str:
    entries = "".join(
        f"""<item><title>{xml_escape(s.title)}</title><link>{xml_escape(site.url(s.path) + query)}</link>
<guid isPermaLink="true">{xml_escape(site.url(s.path))}</guid>
<pubDate>{email.utils.format_datetime(s.listed_at, usegmt=True)}</pubDate>
<description>{xml_escape(_summary(s))}</description></item>
"""
        for s, query in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>{xml_escape(site.name)}</title><link>{site.url("/")}</link><description>Latest news</description>
<atom:link href="{site.url("/rss.xml")}" rel="self" type="application/rss+xml"/>
<language>en</language>
{entries}</channel></rss>
"""


def _atom(site: Site, stories: Sequence[_Story]) -> str:
    entries = "".join(
        f"""<entry><title>{xml_escape(s.title)}</title><id>{xml_escape(site.url(s.path))}</id>
<link rel="alternate" type="text/html" href="{xml_escape(site.url(s.path))}"/>
<published>{_iso(s.listed_at)}</published><updated>{_iso(s.listed_at)}</updated>
<author><name>{xml_escape(", ".join(s.authors) or site.name)}</name></author>
<summary>{xml_escape(_summary(s))}</summary></entry>
"""
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{xml_escape(site.name)}</title>
<id>{site.url("/")}</id><updated>{_iso(_newest(stories))}</updated>
<link rel="self" href="{site.url("/feed.atom")}"/><link rel="alternate" href="{site.url("/")}"/>
{entries}</feed>
"""


def _rdf(site: Site, stories: Sequence[_Story]) -> str:
    seq = "".join(f'<rdf:li rdf:resource="{xml_escape(site.url(s.path))}"/>' for s in stories)
    items = "".join(
        f"""<item rdf:about="{xml_escape(site.url(s.path))}"><title>{xml_escape(s.title)}</title>
<link>{xml_escape(site.url(s.path))}</link><dc:date>{_iso(s.listed_at)}</dc:date>
<description>{xml_escape(_summary(s))}</description></item>
"""
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{site.url("/index.rdf")}"><title>{xml_escape(site.name)}</title>
<link>{site.url("/")}</link><description>Notes from the field</description>
<items><rdf:Seq>{seq}</rdf:Seq></items></channel>
{items}</rdf:RDF>
"""


def _urlset(site: Site, stories: Sequence[_Story]) -> str:
    urls = "".join(
        f"<url><loc>{xml_escape(site.url(s.path))}</loc><lastmod>{_iso(s.listed_at)}</lastmod></url>\n"
        for s in stories
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n')


def _news_sitemap(site: Site, stories: Sequence[_Story]) -> str:
    urls = "".join(
        f"""<url><loc>{xml_escape(site.url(s.path))}</loc><news:news>
<news:publication><news:name>{xml_escape(site.name)}</news:name><news:language>en</news:language></news:publication>
<news:publication_date>{_iso(s.listed_at)}</news:publication_date><news:title>{xml_escape(s.title)}</news:title>
</news:news></url>
"""
        for s in stories
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{urls}</urlset>\n")


def _secret_html(site: Site, story: _Story) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in _SECRET_PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(story.title)}</title>
<link rel="canonical" href="{site.url(story.path)}"></head>
<body><article><h1>{html.escape(story.title)}</h1>
<time datetime="{story.listed_at.isoformat()}">{story.listed_at:%B %d, %Y}</time>
{paragraphs}
</article></body></html>
"""


def _seed_html(site: Site, story: _Story) -> str:
    """The seed article as a WordPress single post: the article plus every kind of boilerplate that must
    not reach a record (navigation, share buttons, comment links and form, cookie banner, footer)."""
    e = html.escape
    url = site.url(story.path)
    title = story.title
    published = datetime.fromisoformat(SEED_PUBLISHED)
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in (story.expected_text or "").split("\n"))
    ld = json.dumps({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "author": {"@type": "Person", "name": SEED_AUTHOR},
        "datePublished": SEED_PUBLISHED,
        "dateModified": SEED_PUBLISHED,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": site.name},
    }, ensure_ascii=False)
    q_url, q_title = quote(url, safe=""), quote(title, safe="")
    share = {
        "Facebook": f"https://www.facebook.com/sharer/sharer.php?u={q_url}",
        "X": f"https://twitter.com/intent/tweet?url={q_url}&text={q_title}",
        "LinkedIn": f"https://www.linkedin.com/sharing/share-offsite/?url={q_url}",
        "Email": f"mailto:?subject={q_title}&body={q_url}",
    }
    buttons = "\n".join(
        f'<li class="share-{name.lower()}"><a href="{e(href)}" rel="nofollow noopener" target="_blank">'
        f'<span class="screen-reader-text">Share on </span>{name}</a></li>'
        for name, href in share.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} &#8211; {e(site.name)}</title>
<link rel="canonical" href="{e(url)}">
<link rel="alternate" type="application/rss+xml" title="{e(site.name)} &raquo; Feed" href="{site.url("/rss.xml")}">
<meta name="description" content="{e(_summary(story))}">
<meta name="author" content="{e(SEED_AUTHOR)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(title)}">
<meta property="og:url" content="{e(url)}">
<meta property="og:site_name" content="{e(site.name)}">
<meta property="article:published_time" content="{SEED_PUBLISHED}">
<meta property="article:section" content="World">
<meta property="article:tag" content="Azerbaijan">
<script type="application/ld+json">{ld}</script>
<link rel="stylesheet" href="/wp-content/themes/ledger/style.css?ver=6.5.3" media="all">
</head>
<body class="post-template-default single single-post postid-1042 single-format-standard">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
<div class="site-branding"><p class="site-title"><a href="/" rel="home">{e(site.name)}</a></p>
<p class="site-description">Independent news and analysis</p></div>
<nav id="site-navigation" class="main-navigation" aria-label="Primary menu">
<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<ul id="primary-menu" class="menu">
<li class="menu-item"><a href="/">Home</a></li>
<li class="menu-item"><a href="/tag/politics/">Politics</a></li>
<li class="menu-item"><a href="/tag/world/">World</a></li>
<li class="menu-item"><a href="/tag/business/">Business</a></li>
<li class="menu-item"><a href="/about.html">About</a></li>
</ul></nav>
</header>
<div id="content" class="site-content">
<main id="primary" class="site-main">
<article id="post-1042" class="post-1042 post type-post status-publish format-standard hentry category-world tag-azerbaijan">
<header class="entry-header">
<span class="cat-links"><a href="/tag/world/" rel="category tag">World</a></span>
<h1 class="entry-title">{e(title)}</h1>
<div class="entry-meta">
<span class="byline">By <span class="author vcard"><a class="url fn n" href="/author/aylin-karimova/">{e(SEED_AUTHOR)}</a></span></span>
<span class="posted-on"><time class="entry-date published updated" datetime="{SEED_PUBLISHED}">{published:%B} {published.day}, {published.year}</time></span>
<span class="reading-time">3 Min Read</span>
</div>
</header>
<div class="entry-content">
{paragraphs}
</div>
<footer class="entry-footer">
<div class="share-this-article">
<h4 class="share-title">Share This Article</h4>
<ul class="share-buttons">
{buttons}
</ul>
</div>
<span class="comments-link"><a href="{e(story.path)}#respond">Leave a comment</a></span>
<span class="tags-links">Tagged <a href="/tag/politics/" rel="tag">Politics</a></span>
</footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts">
<div class="nav-links"><div class="nav-previous"><a href="/" rel="prev">Previous post</a></div></div>
</nav>
<div id="comments" class="comments-area">
<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">Leave a Reply <small><a rel="nofollow" id="cancel-comment-reply-link" href="#respond" style="display:none;">Cancel reply</a></small></h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>
<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>
<p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>
<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required></p>
<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" autocomplete="email" required></p>
<p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url"></p>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes"> <label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"> <input type="hidden" name="comment_post_ID" value="1042" id="comment_post_ID"> <input type="hidden" name="comment_parent" id="comment_parent" value="0"></p>
</form>
</div>
</div>
</main>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2>
<ul><li><a href="/">Front page</a></li></ul></section>
</aside>
</div>
<footer id="colophon" class="site-footer">
<nav class="footer-navigation"><ul>
<li><a href="/about.html">About</a></li><li><a href="/privacy-policy/">Privacy Policy</a></li>
<li><a href="/contact/">Contact</a></li><li><a href="/rss.xml">RSS</a></li></ul></nav>
<div class="site-info">&copy; 2024 {e(site.name)}. All rights reserved. Proudly powered by WordPress.</div>
</footer>
</div>
<div id="cookie-notice" class="cookie-notice" role="dialog" aria-label="Cookie consent">
<p class="cookie-notice-text">We use cookies to give you the best experience on our website. By continuing to browse, you agree to our use of cookies. <a href="/privacy-policy/">Read our privacy policy</a>.</p>
<button id="cn-accept-cookie" class="cn-button" type="button">Accept</button>
</div>
<script src="/wp-includes/js/comment-reply.min.js?ver=6.5.3" id="comment-reply-js" async></script>
</body>
</html>
"""


# -- edits -------------------------------------------------------------------------------------------

_EDIT_CLASS = "newsnet-edit"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _add_paragraph(body: bytes, encoding: str, expected_text: str | None, paragraph: str) -> bytes:
    doc = lxml.html.document_fromstring(body, parser=lxml.html.HTMLParser(encoding=encoding))
    for old in doc.find_class(_EDIT_CLASS):
        old.drop_tree()
    anchor = _edit_anchor(doc, expected_text)
    new = lxml.html.Element("p", {"class": _EDIT_CLASS})
    new.text = paragraph
    if anchor is None:
        doc.body.append(new)
    elif anchor[1]:
        new.tail = anchor[0].tail
        anchor[0].tail = None
        anchor[0].addnext(new)
    else:
        anchor[0].append(new)
    doctype = doc.getroottree().docinfo.doctype or None
    return lxml.html.tostring(doc, encoding=encoding, method="html", doctype=doctype)


def _edit_anchor(doc: Any, expected_text: str | None) -> tuple[Any, bool] | None:
    """Where the added paragraph goes, so that it lands inside the main content (where an extractor will
    see it) and not in a sidebar or footer: (element, True) to insert after it, (element, False) to append
    into it. Prefers the last <p> of the article body, i.e. one sharing its parent with other body
    paragraphs (a lone matching <p> is often a disclaimer); pages without <p> paragraphs get it appended
    to the block holding the last body line."""
    target = _norm(expected_text or "")
    matches = [p for p in doc.iter("p") if len(_norm(p.text_content())) >= 20 and _norm(p.text_content()) in target]
    if matches:
        parents = [p.getparent() for p in matches]
        in_body = [p for p, parent in zip(matches, parents, strict=True) if parents.count(parent) >= 2]
        return (in_body or matches)[-1], True
    lines = [_norm(line) for line in (expected_text or "").split("\n") if len(_norm(line)) >= 20]
    elements = [el for el in doc.body.iter() if isinstance(el.tag, str) and el.tag not in _NOT_CONTENT]
    for line in reversed(lines):
        holders = [el for el in elements if line[:60] in _norm(el.text_content())]
        if holders:
            holder = holders[-1]
            while holder.tag in _INLINE and holder.getparent() is not None:
                holder = holder.getparent()
            return (holder, True) if holder.tag == "p" else (holder, False)
    in_article = doc.xpath("//article//p")
    return (in_article[-1], True) if in_article else None


_NOT_CONTENT = frozenset({"script", "style", "noscript", "template", "svg"})
_INLINE = frozenset({"a", "span", "em", "strong", "b", "i", "u", "font", "small", "mark", "br", "time", "abbr"})
