"""A one-host news site on loopback whose pages a test writes itself: path -> (content type, body),
or an HTTP error status for a path that fails.

For behaviour that needs pages of a particular shape (a related-stories box, a hidden byline, a
German story under an English template, a sitemap of dated URLs) rather than the corpus pages of
tests/newsnet/. Every request is logged. Free of pytest so that bench/ can use it too.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from loopback import ClosesItsConnections

# A short news story in plain paragraphs, for pages a test builds around it.
HARBOUR_STORY = [
    "The city council voted on Tuesday to extend the harbour's night shifts through the winter, after a "
    "month of delays left dozens of container ships waiting offshore.",
    "Dock workers had warned that the backlog would grow without more crews, and the port authority said "
    "the extra shifts would be paid from its reserve fund.",
    "Shipping companies welcomed the decision but asked for a timetable, saying they could not plan routes "
    "while the berths remained uncertain.",
    "The council will review the arrangement in March, when the new cranes ordered last year are expected "
    "to be installed and tested.",
]


class _Server(ClosesItsConnections, ThreadingHTTPServer):
    daemon_threads = True


class PageSite:
    def __init__(self, port: int = 0) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.failing: dict[str, int] = {}  # path -> the status it answers with instead
        self.requests: list[str] = []
        self.request_times: list[float] = []  # time.monotonic() of each request, in step with `requests`
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.request_times.append(time.monotonic())
                site.requests.append(self.path)
                page = site.pages.get(self.path)
                if page is None or self.path in site.failing:
                    self.send_response(site.failing.get(self.path, 404))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                content_type, body = page
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        # a given port: the site back where its sources look for it, after a test took it down
        self._server = _Server(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def html(self, path: str, text: str) -> None:
        self.pages[path] = ("text/html; charset=utf-8", text.encode("utf-8"))

    def xml(self, path: str, text: str) -> None:
        self.pages[path] = ("application/xml", text.encode("utf-8"))
