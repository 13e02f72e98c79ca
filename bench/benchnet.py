"""The benchmark network: every real page of the corpora on loopback, one sitemap per host.

Unlike tests/newsnet/ (three small sites shaped to exercise discovery), this serves as many real
pages as the corpora hold, so a benchmark crawl lasts long enough for start-up to be noise. It runs
in its own process (`python bench/benchnet.py`), so serving costs neither crawler a CPU second it
would be charged for. Pages are spread over several hosts because Scrapy's download slots, like
newsvault's politeness, are per host.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
# News pages first (the issue's ~170 zyte + newspaper4k + fundus pages), then the trafilatura eval
# pages (many are blogs and forums, which is what a crawler also meets).
CORPUS_FOLDERS = (
    "zyte_article_extraction_benchmark",
    "newspaper4k_tests",
    "fundus_publisher_tests",
    "fundus_evaluation",
    "trafilatura_eval",
)
SITEMAP_PATH = "/sitemap.xml"


@dataclass(frozen=True)
class Page:
    corpus_id: str
    body: bytes
    encoding: str | None

    @property
    def content_type(self) -> str:
        return f"text/html; charset={self.encoding}" if self.encoding else "text/html"


def corpus_pages(shared_dir: Path = SHARED_DIR, limit: int | None = None) -> list[Page]:
    """The real pages, in a fixed order: the same pages for every crawler and every run."""
    pages: list[Page] = []
    for folder in CORPUS_FOLDERS:
        index = shared_dir / "corpora" / folder / "index.jsonl"
        for line in index.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            body = (shared_dir / "corpora" / folder / row["html_path"]).read_bytes()
            if row.get("html_compression", "gzip") == "gzip":
                body = gzip.decompress(body)
            pages.append(Page(f"{folder}/{row['id']}", body, row.get("html_encoding")))
            if limit is not None and len(pages) >= limit:
                return pages
    return pages


def _host_addresses(count: int) -> list[str]:
    """127.0.0.2, .3, ... where loopback routes them (Linux); else all on 127.0.0.1."""
    hosts = [f"127.0.0.{2 + i}" for i in range(count)]
    try:
        for host in hosts:
            with socket.socket() as probe:
                probe.bind((host, 0))
    except OSError:
        return ["127.0.0.1"] * count
    return hosts


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], responses: dict[str, tuple[bytes, bytes]]) -> None:
        super().__init__(address, _Handler)
        self.responses = responses


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        found = self.server.responses.get(self.path.split("?")[0])
        if found is None:
            self.send_error(404)
            return
        head, body = found
        self.wfile.write(head)
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _response(body: bytes, content_type: str) -> tuple[bytes, bytes]:
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Cache-Control: max-age=3600\r\n\r\n").encode("latin-1")
    return head, body


def _sitemap(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>2024-05-20</lastmod></url>" for u in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>').encode()


@contextlib.contextmanager
def serve(pages: list[Page], hosts: int) -> Iterator[list[dict[str, Any]]]:
    """Start one server per host; yields the sites (base URL, sitemap, article URLs) while they run."""
    addresses = _host_addresses(hosts)
    servers: list[_Server] = []
    for address in addresses:
        servers.append(_Server((address, 0), {}))
    sites = []
    for n, server in enumerate(servers):
        host, port = server.server_address[:2]
        base = f"http://{host}:{port}"
        urls = []
        for i, page in enumerate(pages[n::hosts]):
            path = f"/a/{n}-{i}.html"
            server.responses[path] = _response(page.body, page.content_type)
            urls.append(base + path)
        server.responses[SITEMAP_PATH] = _response(_sitemap(urls), "application/xml")
        server.responses["/robots.txt"] = _response(b"User-agent: *\nAllow: /\n", "text/plain")
        sites.append({"id": f"bench{n}", "host": str(host), "base_url": base,
                      "sitemap": base + SITEMAP_PATH, "urls": urls})
    threads = [threading.Thread(target=s.serve_forever, args=(0.1,), daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield sites
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


class BenchNetwork:
    """The benchmark network in a child process; `sites` as `serve` yields them."""

    def __init__(self, pages: int | None = None, hosts: int = 4) -> None:
        self.pages = pages
        self.hosts = hosts
        self.sites: list[dict[str, Any]] = []
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> BenchNetwork:
        command = [sys.executable, str(Path(__file__).resolve()), "--hosts", str(self.hosts)]
        if self.pages is not None:
            command += ["--pages", str(self.pages)]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the bench network did not start")
        self.sites = json.loads(line)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()  # the server exits when its stdin closes
            self._process.wait(timeout=30)

    @property
    def urls(self) -> list[str]:
        return [u for site in self.sites for u in site["urls"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=None, help="serve only the first N pages")
    parser.add_argument("--hosts", type=int, default=4)
    args = parser.parse_args()
    pages = corpus_pages(limit=args.pages)
    with serve(pages, args.hosts) as sites:
        print(json.dumps(sites), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
