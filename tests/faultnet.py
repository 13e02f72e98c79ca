"""A news site that fails in every way the web does, for robustness tests and benchmarks.

One site on its own loopback address (127.0.0.9; 127.0.0.1 on its own port where that cannot be
bound) serves real article pages from the corpora interleaved with faults. Each fault gets its own
source in `config_toml`: a feed at /feeds/<fault>.xml listing the faulty URL and one good article,
so a crawl's per-source counts say which reason each fault produced and whether the good page next
to it was archived. The faults:

- rate limits and overload: 429 with Retry-After then success, 429 forever, 503 bursts then success,
  503 forever;
- slow responses past the crawl timeout, connections reset before and in the middle of a response,
  a refused port and a host that does not resolve;
- redirect loops (A -> B -> A) and endless redirect chains;
- pages over `max_page_bytes` with and without Content-Length, a gzip bomb, the brotli and zstd
  bombs and the corrupt gzip files of ../shared/corpora/feeds/scrapy/compressed, served with the
  Content-Encoding they are in whether or not the client asked for it;
- binary bodies served as text/html, a PDF, a 404, a page robots.txt disallows;
- the ill-formed and badly-encoded feeds of ../shared/corpora/feeds/feedparser, served with their
  `serve_with_headers`;
- article pages in legacy encodings: Latin-1 without any declaration, UTF-8 and UTF-16 with a BOM
  contradicting <meta>, KOI8-R with and without <meta>, an HTTP charset that is wrong, a <meta>
  charset that is wrong (`encoding_articles`, which must be archived with the right text);
- crawler traps on the homepage: an endless calendar (/calendar/YYYY/MM/ links to the next month)
  and a session id (?sid=random) on every link.

Every request is logged with its time. Free of pytest so that bench/ can use it too.
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import hashlib
import html
import json
import random
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

import tomlkit
from loopback import ClosesItsConnections
from newsnet import LoggedRequest, _corpus_pool, _expected_text, _page_title

FAULT_HOST = "127.0.0.9"
_LAST_MODIFIED = datetime(2024, 5, 20, 8, 0, tzinfo=UTC)
_HTML = "text/html; charset=utf-8"
COMPRESSED = Path("corpora") / "feeds" / "scrapy" / "compressed"
FEEDS_INDEX = Path("corpora") / "feeds" / "index.jsonl"


@dataclass(frozen=True)
class GoodPage:
    """A real article page that must be archived; `expected_text` is what its record's text holds."""

    path: str
    url: str
    corpus_id: str
    title: str
    expected_text: str


@dataclass(frozen=True)
class Fault:
    """One faulty URL; `reason` is the error it must be counted as, "not_article" when it is counted
    as a page without an article, None when it must be archived."""

    name: str
    path: str
    reason: str | None
    what: str


Behaviour = Callable[["_Handler", int], None]


class FaultNetwork:
    """The faulty site; see the module docstring. `timeout` is the crawl timeout the slow page beats."""

    def __init__(self, shared_dir: Path, *, seed: int = 0, timeout: float = 2.0,
                 max_page_bytes: int = 2_000_000, bomb_bytes: int = 1 << 30) -> None:
        self.shared_dir = Path(shared_dir)
        self.timeout = timeout
        self.max_page_bytes = max_page_bytes
        self.bomb_bytes = bomb_bytes
        self.rng = random.Random(seed)
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self._attempts: dict[str, int] = {}
        self._routes: dict[str, Behaviour] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.host = FAULT_HOST
        self.port = 0
        self._pool = _corpus_pool(self.shared_dir / "corpora")
        self.rng.shuffle(self._pool)
        self.faults: list[Fault] = []
        self.good: dict[str, GoodPage] = {}  # fault name (or source id) -> its good neighbour
        self.encoding_articles: list[GoodPage] = []
        self.illformed_feeds: list[str] = []
        self.trap_pages: list[GoodPage] = []

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> Self:
        try:
            self._server = _Server((FAULT_HOST, 0), self)
        except OSError:
            self._server = _Server(("127.0.0.1", 0), self)
        self.host, self.port = self._server.server_address[:2]
        self._build()
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True,
                                        name="faultnet")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def fault(self, name: str) -> Fault:
        return next(f for f in self.faults if f.name == name)

    # -- config ----------------------------------------------------------------------------------

    def config_toml(self, archive_uri: str | Path, state_uri: str, *, sources: Iterable[str] | None = None,
                    **crawl_overrides: Any) -> str:
        """newsvault.toml with one source per fault (named after it), plus "encodings",
        "illformed-feeds" and "traps"; `sources` picks some of them."""
        crawl: dict[str, Any] = {"user_agent": "newsvault-faults", "obey_robots": True,
                                 "concurrency_per_domain": 4, "download_delay": 0,
                                 "timeout": self.timeout, "max_page_bytes": self.max_page_bytes}
        crawl.update({k: v for k, v in crawl_overrides.items() if v is not None})
        table = tomlkit.aot()
        for source in self._sources():
            if sources is None or source["id"] in set(sources):
                table.append(tomlkit.item(source))
        doc = tomlkit.document()
        doc["archive"] = {"uri": str(archive_uri)}
        doc["state"] = {"uri": state_uri}
        doc["crawl"] = crawl
        doc["sources"] = table
        return tomlkit.dumps(doc)

    def source_ids(self) -> list[str]:
        return [s["id"] for s in self._sources()]

    def _sources(self) -> list[dict[str, Any]]:
        sources: list[dict[str, Any]] = []
        for fault in self.faults:
            source: dict[str, Any] = {"id": fault.name, "name": fault.what,
                                      "feeds": [self.url(f"/feeds/{fault.name}.xml")],
                                      "allowed_domains": [self.host]}
            if fault.name == "dns":
                source["allowed_domains"] = [self.host, "nonexistent.invalid"]
            sources.append(source)
        sources.append({"id": "encodings", "name": "Legacy encodings",
                        "feeds": [self.url("/feeds/encodings.xml")], "allowed_domains": [self.host]})
        sources.append({"id": "illformed-feeds", "name": "Ill-formed feeds",
                        "feeds": [self.url(p) for p in ("/feeds/illformed.xml", *self.illformed_feeds)],
                        "sitemaps": [self.url("/sitemap.xml"), self.url("/sitemap-corrupt.xml.gz")],
                        "allowed_domains": [self.host]})
        sources.append({"id": "traps", "name": "Calendar and session-id traps",
                        "start_urls": [self.url("/")], "allowed_domains": [self.host],
                        "article_url_pattern": "/news/", "follow_depth": 40, "max_articles_per_run": 12})
        return sources

    # -- serving ---------------------------------------------------------------------------------

    def _serve(self, handler: _Handler) -> None:
        target = handler.path
        path = urlsplit(target).path
        with self._lock:
            self._log.append(LoggedRequest("faulty", handler.command, target,
                                           {k.title(): v for k, v in handler.headers.items()}, time.monotonic()))
            attempt = self._attempts[path] = self._attempts.get(path, 0) + 1
        behaviour = self._routes.get(path)
        if behaviour is None and path.startswith("/calendar/"):
            behaviour = self._calendar
        if behaviour is None and path.startswith("/sid/"):
            behaviour = self._session_page
        if behaviour is None:
            handler.send(404, {"Content-Type": _HTML}, b"<html><body><h1>404 Not Found</h1></body></html>")
            return
        behaviour(handler, attempt)

    def attempts(self, path: str) -> int:
        with self._lock:
            return self._attempts.get(path, 0)

    # -- building the site -----------------------------------------------------------------------

    def _take_story(self) -> tuple[str, dict[str, Any]]:
        return self._pool.pop()

    def _good_page(self, path: str, edit: Callable[[bytes], bytes] | None = None) -> GoodPage:
        folder, row = self._take_story()
        body = gzip.decompress((self.shared_dir / "corpora" / folder / row["html_path"]).read_bytes())
        if edit is not None:
            body = edit(body)
        encoding = row.get("html_encoding") or "utf-8"
        title = (row.get("expected") or {}).get("title") or _page_title(body, encoding) or row["id"]
        page = GoodPage(path, self.url(path), f"{folder}/{row['id']}", title, _expected_text(row) or "")
        self._static(path, body, f"text/html; charset={encoding}")
        return page

    def _static(self, path: str, body: bytes, content_type: str | None, status: int = 200,
                headers: dict[str, str] | None = None) -> None:
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        modified = email.utils.format_datetime(_LAST_MODIFIED, usegmt=True)

        def serve(handler: _Handler, _attempt: int) -> None:
            extra = {"Content-Type": content_type} if content_type else {}
            if status == 200:
                extra |= {"ETag": etag, "Last-Modified": modified}
                if handler.headers.get("If-None-Match") == etag or (
                        handler.headers.get("If-None-Match") is None
                        and handler.headers.get("If-Modified-Since") == modified):
                    handler.send(304, {"ETag": etag, "Last-Modified": modified}, b"")
                    return
            handler.send(status, {**extra, **(headers or {})}, body)

        self._routes[path] = serve

    def _add_fault(self, name: str, reason: str | None, what: str, behaviour: Behaviour | None = None,
                   path: str | None = None) -> Fault:
        fault = Fault(name, path or f"/news/{name}.html", reason, what)
        if behaviour is not None:
            self._routes[fault.path] = behaviour
        self.faults.append(fault)
        return fault

    def _build(self) -> None:
        self._static("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
        self._build_faults()
        for fault in self.faults:
            good = self._good_page(f"/news/good-next-to-{fault.name}.html")
            self.good[fault.name] = good
            url = fault.path if fault.path.startswith("http") else self.url(fault.path)
            self._static(f"/feeds/{fault.name}.xml", _rss(f"Fault: {fault.name}", [
                (good.title, good.url), (f"Faulty: {fault.what}", url)]), "application/rss+xml")
        self._build_encodings()
        self._build_feeds()
        self._build_traps()

    def _build_faults(self) -> None:
        self.retry_pages: dict[str, GoodPage] = {}

        def then_good(name: str, first_failures: int, status: int, headers: dict[str, str]) -> Behaviour:
            # The article itself answers after the failures: it must end up archived.
            story = self._good_page(f"/news/{name}.html")
            self.retry_pages[name] = story
            article = self._routes[story.path]

            def serve(handler: _Handler, attempt: int) -> None:
                if attempt <= first_failures:
                    handler.send(status, {"Content-Type": _HTML, **headers}, b"<html><body>busy</body></html>")
                else:
                    article(handler, attempt)
            return serve

        def always(status: int, headers: dict[str, str]) -> Behaviour:
            return lambda handler, _a: handler.send(status, {"Content-Type": _HTML, **headers},
                                                    b"<html><body>go away</body></html>")

        self._add_fault("retry-after-429", None, "429 with Retry-After: 1, then the article",
                        then_good("retry-after-429", 1, 429, {"Retry-After": "1"}))
        self._add_fault("burst-503", None, "two 503s, then the article", then_good("burst-503", 2, 503, {}))
        self._add_fault("always-429", "http_4xx", "429 with Retry-After: 1 on every attempt",
                        always(429, {"Retry-After": "1"}))
        self._add_fault("retry-after-too-long", "http_4xx", "429 asking to come back in an hour",
                        always(429, {"Retry-After": "3600"}))
        self._add_fault("always-503", "http_5xx", "503 on every attempt", always(503, {}))
        self._add_fault("not-found", "http_4xx", "404", always(404, {}))
        self._add_fault("slow", "timeout", "answers after the crawl timeout", self._slow)
        self._add_fault("reset", "connection", "connection reset before any byte", self._reset)
        self._add_fault("reset-midway", "connection", "connection closed in the middle of the body",
                        self._reset_midway)
        self._add_fault("refused", "connection", "nothing listens on the port",
                        path=f"http://{self.host}:{_closed_port(self.host)}/news/refused.html")
        self._add_fault("dns", "dns", "host name that does not resolve",
                        path="http://nonexistent.invalid/news/dns.html")
        self._add_fault("redirect-loop", "redirect_loop", "A -> B -> A", self._redirect("/news/redirect-loop-b.html"))
        self._routes["/news/redirect-loop-b.html"] = self._redirect("/news/redirect-loop.html")
        self._add_fault("redirect-chain", "redirect_loop", "an endless chain of new addresses", self._endless)
        # A moved article announced by <meta http-equiv="refresh"> in the head of a long page.
        self.refresh_target = self._good_page("/news/meta-refresh-target.html")
        self._add_fault("meta-refresh", None, "a long page whose head refreshes to the article",
                        self._meta_refresh("/news/meta-refresh-target.html"))
        self._add_fault("meta-refresh-loop", "redirect_loop", "meta refreshes from A to B and back to A",
                        self._meta_refresh("/news/meta-refresh-loop-b.html"))
        self._routes["/news/meta-refresh-loop-b.html"] = self._meta_refresh("/news/meta-refresh-loop.html")
        # A live page that reloads itself every minute is an article, not a redirect.
        live = f'<meta http-equiv="refresh" content="60; url={self.url("/news/live-page.html")}">'.encode()

        def reloading(body: bytes) -> bytes:
            edited, found = re.subn(rb"<head[^>]*>", lambda m: m.group(0) + live, body, count=1,
                                    flags=re.IGNORECASE)
            return edited if found else live + body
        self.live_page = self._good_page("/news/live-page.html", reloading)
        self._add_fault("live-page", None, "an article that refreshes itself every minute")
        self._add_fault("robots", "robots", "disallowed by robots.txt", always(200, {}),
                        path="/private/news/robots.html")
        self._add_fault("oversized", "too_large", "over max_page_bytes, with Content-Length",
                        self._oversized(with_length=True))
        self._add_fault("oversized-streamed", "too_large", "over max_page_bytes, no Content-Length",
                        self._oversized(with_length=False))
        bomb = _gzip_bomb(self.bomb_bytes)
        self._add_fault("bomb-gzip", "too_large", f"gzip bomb ({len(bomb)} B -> {self.bomb_bytes} B)",
                        self._encoded(bomb, "gzip"))
        compressed = self.shared_dir / COMPRESSED
        self._add_fault("bomb-br", "too_large", "brotli bomb (scrapy corpus)",
                        self._encoded((compressed / "bomb-br.bin").read_bytes(), "br"))
        self._add_fault("bomb-zstd", "too_large", "zstd bomb (scrapy corpus)",
                        self._encoded((compressed / "bomb-zstd.bin").read_bytes(), "zstd"))
        # Scrapy's gunzip keeps what decompressed before the CRC error: a page with no article.
        self._add_fault("corrupt-gzip", "not_article", "gzip with a bad CRC (scrapy corpus)",
                        self._encoded((compressed / "truncated-crc-error.gz").read_bytes(), "gzip"))
        self._add_fault("binary", "not_html", "random bytes served as text/html",
                        always_body(_binary(self.rng), _HTML))
        self._add_fault("pdf", "not_html", "a PDF", always_body(b"%PDF-1.4\n" + _binary(self.rng), "application/pdf"))

    def _build_encodings(self) -> None:
        german = [_corpus_text(self.shared_dir, "fundus_publisher_tests", corpus_id) for corpus_id in (
            "at/DerStandard_2024_05_03", "at/DiePresse_2025_06_05", "at/SalzburgerNachrichten_2025_06_05",
            "de/BR_2024_08_27", "de/BSZ_2024_05_16")]
        # One Russian article, cut in three: the dedup index would merge three copies of one text.
        title, text = _corpus_text(self.shared_dir, "fundus_publisher_tests", "ru/Kommersant_2025_05_14")
        lines = [line for line in text.split("\n") if line.strip()]
        third = len(lines) // 3
        russian = [(f"{title} ({n + 1})", "\n".join(lines[n * third:(n + 1) * third])) for n in range(3)]
        cases = (
            # name, text, body encoding, HTTP charset, <meta> charset, BOM
            ("latin1-undeclared", german[0], "latin-1", None, None, b""),
            ("cp1252-wrong-http-charset", german[1], "cp1252", "utf-8", None, b""),
            ("utf8-wrong-meta", german[2], "utf-8", None, "windows-1251", b""),
            ("utf8-bom-conflicting-meta", german[3], "utf-8", None, "iso-8859-1", b"\xef\xbb\xbf"),
            ("utf16-bom", german[4], "utf-16-le", None, None, b"\xff\xfe"),
            ("koi8r-meta", russian[0], "koi8-r", None, "koi8-r", b""),
            ("koi8r-http", russian[1], "koi8-r", "koi8-r", None, b""),
            ("koi8r-undeclared", russian[2], "koi8-r", None, None, b""),
        )
        items = []
        for name, (title, text), encoding, http_charset, meta_charset, bom in cases:
            kept = "".join(ch for ch in text if _encodable(ch, encoding))
            title = "".join(ch for ch in title if _encodable(ch, encoding))
            path = f"/news/encoding-{name}.html"
            body = bom + _article_html(title, kept, meta_charset).encode(encoding)
            content_type = f"text/html; charset={http_charset}" if http_charset else "text/html"
            self._static(path, body, content_type)
            page = GoodPage(path, self.url(path), name, title, kept)
            self.encoding_articles.append(page)
            items.append((title, page.url))
        self._static("/feeds/encodings.xml", _rss("Encodings", items), "application/rss+xml")

    def _build_feeds(self) -> None:
        good = self._good_page("/news/good-next-to-illformed-feeds.html")
        self.good["illformed-feeds"] = good
        self._static("/feeds/illformed.xml", _rss("Good feed", [(good.title, good.url)]), "application/rss+xml")
        for line in (self.shared_dir / FEEDS_INDEX).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if not row["id"].startswith("feedparser/") or not row.get("malformed"):
                continue
            path = "/feeds/" + row["id"]
            headers = dict(h.split(": ", 1) for h in row.get("serve_with_headers") or [])
            content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
            body = (self.shared_dir / "corpora" / "feeds" / row["path"]).read_bytes()
            self._static(path, body, content_type)
            self.illformed_feeds.append(path)
        sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                   '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                   f"<url><loc>{xml_escape(good.url)}</loc></url>\n</urlset>\n")
        self._static("/sitemap.xml", sitemap.encode(), "application/xml")
        corrupt = (self.shared_dir / COMPRESSED / "truncated-crc-error.gz").read_bytes()
        self._static("/sitemap-corrupt.xml.gz", corrupt, "application/x-gzip")

    def _build_traps(self) -> None:
        self.trap_pages = [self._good_page(f"/news/trap-neighbour-{n}.html") for n in range(3)]
        links = [(p.path, p.title) for p in self.trap_pages]
        links += [("/calendar/2024/01/", "Events calendar"), ("/sid/section/?sid=" + _sid(self.rng), "Sections")]
        home = _listing("Traps and neighbours", links)
        self._static("/", home.encode(), _HTML)

    # -- behaviours ------------------------------------------------------------------------------

    def _calendar(self, handler: _Handler, _attempt: int) -> None:
        parts = [p for p in urlsplit(handler.path).path.split("/") if p]
        try:
            year, month = int(parts[1]), int(parts[2])
        except (IndexError, ValueError):
            year, month = 2024, 1
        nxt = (year + month // 12, month % 12 + 1)
        prev = (year - (month == 1), (month - 2) % 12 + 1)
        body = _listing(f"Events {year}-{month:02d}", [
            (f"/calendar/{nxt[0]}/{nxt[1]:02d}/", "Next month"), (f"/calendar/{prev[0]}/{prev[1]:02d}/", "Previous"),
        ])
        handler.send(200, {"Content-Type": _HTML}, body.encode())

    def _session_page(self, handler: _Handler, _attempt: int) -> None:
        # Every link carries a fresh session id: without canonical URLs each visit is a new page.
        links = [(f"/sid/{name}/?sid={_sid(self.rng)}", name) for name in ("section", "world", "sport")]
        body = _listing("Sections", links)
        handler.send(200, {"Content-Type": _HTML}, body.encode())

    def _slow(self, handler: _Handler, _attempt: int) -> None:
        time.sleep(self.timeout + 1.0)
        with contextlib.suppress(OSError):
            handler.send(200, {"Content-Type": _HTML}, b"<html><body><p>too late</p></body></html>")

    @staticmethod
    def _reset(handler: _Handler, _attempt: int) -> None:
        _abort(handler)

    @staticmethod
    def _reset_midway(handler: _Handler, _attempt: int) -> None:
        body = b"<!doctype html><html><head><title>Cut</title></head><body><p>" + b"x" * 4000
        handler.send_response(200)
        handler.send_header("Content-Type", _HTML)
        handler.send_header("Content-Length", str(len(body) * 3))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        _abort(handler)

    @staticmethod
    def _redirect(location: str) -> Behaviour:
        return lambda handler, _a: handler.send(302, {"Location": location, "Content-Type": _HTML}, b"")

    @staticmethod
    def _meta_refresh(location: str) -> Behaviour:
        body = (f'<!doctype html><html><head><meta http-equiv="refresh" content="0; url={location}">'
                "<title>Moved</title></head><body>" + "<p>This story has moved.</p>\n" * 2000
                + "</body></html>").encode()
        return lambda handler, _a: handler.send(200, {"Content-Type": _HTML}, body)

    def _endless(self, handler: _Handler, attempt: int) -> None:
        handler.send(302, {"Location": f"/news/redirect-chain.html?hop={attempt}", "Content-Type": _HTML}, b"")

    def _oversized(self, *, with_length: bool) -> Behaviour:
        size = self.max_page_bytes * 5
        chunk = b"<p>" + b"filler text " * 5000 + b"</p>\n"

        def serve(handler: _Handler, _attempt: int) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", _HTML)
            if with_length:
                handler.send_header("Content-Length", str(size))
            else:
                handler.send_header("Connection", "close")
                handler.close_connection = True
            handler.end_headers()
            sent = 0
            with contextlib.suppress(OSError):
                handler.wfile.write(b"<!doctype html><html><body>")
                while sent < size:
                    handler.wfile.write(chunk)
                    sent += len(chunk)
        return serve

    @staticmethod
    def _encoded(body: bytes, encoding: str) -> Behaviour:
        def serve(handler: _Handler, _attempt: int) -> None:
            handler.send(200, {"Content-Type": _HTML, "Content-Encoding": encoding}, body)
        return serve


def always_body(body: bytes, content_type: str) -> Behaviour:
    return lambda handler, _a: handler.send(200, {"Content-Type": content_type}, body)


# -- HTTP --------------------------------------------------------------------------------------------


class _Server(ClosesItsConnections, ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], network: FaultNetwork) -> None:
        self.network = network
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # resets and clients giving up are what this server is for


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faultnet/1.0"
    timeout = 30
    server: _Server

    def do_GET(self) -> None:
        self.server.network._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


def _abort(handler: _Handler) -> None:
    """Close with RST: SO_LINGER 0 drops the connection instead of a clean FIN."""
    with contextlib.suppress(OSError):
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
    handler.close_connection = True


def _closed_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


# -- content -----------------------------------------------------------------------------------------

_BOMB_CACHE: dict[int, bytes] = {}


def _gzip_bomb(size: int) -> bytes:
    """`size` zero bytes gzipped, as one gzip member per MiB (a valid multi-member gzip file)."""
    if size not in _BOMB_CACHE:
        _BOMB_CACHE[size] = gzip.compress(b"\0" * (1 << 20), compresslevel=9, mtime=0) * (size >> 20)
    return _BOMB_CACHE[size]


def _binary(rng: random.Random) -> bytes:
    return rng.randbytes(20000)


def _sid(rng: random.Random) -> str:
    return f"{rng.getrandbits(64):016x}"


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _corpus_text(shared_dir: Path, folder: str, corpus_id: str) -> tuple[str, str]:
    for line in (shared_dir / "corpora" / folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == corpus_id:
            expected = row["expected"]
            return expected["title"], expected.get("body_text") or expected.get("articleBody")
    raise KeyError(f"{corpus_id} not in {folder}")


def _article_html(title: str, text: str, meta_charset: str | None) -> str:
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return f"""<!DOCTYPE html>
<html><head>{meta}<title>{html.escape(title)}</title></head>
<body><header><nav><a href="/">Home</a></nav></header>
<main><article><h1>{html.escape(title)}</h1>
{paragraphs}
</article></main><footer><p>Faulty Times</p></footer></body></html>
"""


def _listing(title: str, links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>\n' for href, text in links)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><ul>\n{items}</ul></body></html>\n")


def _rss(title: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<item><title>{xml_escape(t)}</title><link>{xml_escape(u)}</link></item>\n" for t, u in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{xml_escape(title)}'
            f"</title><link>http://faulty.example/</link><description>faults</description>\n{entries}"
            "</channel></rss>\n").encode()
