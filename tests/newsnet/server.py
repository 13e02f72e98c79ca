"""The HTTP side: one threaded server per site, a handler that logs every request and answers from the
network's pages with ETag / Last-Modified, conditional GET (304) and gzip when the client accepts it."""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from loopback import ClosesItsConnections

from .corpus import _NEWEST

if TYPE_CHECKING:
    from .network import NewsNetwork

_HTML_TYPE = "text/html; charset=utf-8"


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
    wait_for: threading.Event | None = None


# how long a page given wait_for waits for its event at most before it is served anyway
WAIT_FOR_TIMEOUT_S = 60.0


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
        if page.wait_for is not None:
            page.wait_for.wait(WAIT_FOR_TIMEOUT_S)
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
