"""Receivers of alerts on loopback, as a deployment's would be: an HTTP server logging every POST (a
webhook or a Slack incoming webhook) and an SMTP server (aiosmtpd) keeping every message.

The HTTP receiver can go down and come back on the same port: while down, nothing listens there, so
a delivery meets a refused connection, as when the receiving service is stopped.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from loopback import ClosesItsConnections


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.body)
        return document


class _Server(ClosesItsConnections, ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


# how long HttpReceiver(hold_first=True) holds its first reply at most (below a target's longest timeout)
HOLD_S = 45.0


class HttpReceiver:
    """``with HttpReceiver() as hooks: hooks.url("/hook")``; ``hooks.received`` in arrival order."""

    def __init__(self, delay_s: float = 0.0, *, hold_first: bool = False) -> None:
        """hold_first: the first POST is answered only once a second one is in (or after HOLD_S), so
        that a sender sending one at a time is still waiting when another sender's first comes in;
        `overlapped` tells whether one did."""
        self.received: list[Received] = []
        self.delay_s = delay_s
        self.hold_first = hold_first
        self.overlapped = threading.Event()
        self._arrived = 0
        self.port = 0
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver._arrived += 1
                    first = receiver._arrived == 1
                if receiver.hold_first and first:
                    receiver.overlapped.wait(HOLD_S)
                elif receiver.hold_first and not receiver.overlapped.is_set():
                    receiver.overlapped.set()  # the first one is still held: this one came alongside
                if receiver.delay_s:
                    time.sleep(receiver.delay_s)
                with receiver._lock:
                    receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def start(self) -> Self:
        self._server = _Server(("127.0.0.1", self.port), self._handler())
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Nothing listens on the port until `start` again."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def events(self, path: str = "/hook") -> list[dict[str, Any]]:
        with self._lock:
            return [r.event for r in self.received if r.path == path]


class SmtpReceiver:
    """An SMTP server on loopback (aiosmtpd), without TLS or login: ``messages`` as parsed emails."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        receiver = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                receiver.messages.append(message)  # type: ignore[arg-type]
                return "250 OK"

        with socket.socket() as probe:  # aiosmtpd connects to its port to see it ready: name one
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Self:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    def events(self) -> list[dict[str, Any]]:
        """The event.json attached to each message."""
        found = []
        for message in self.messages:
            for part in message.iter_attachments():
                if part.get_filename() == "event.json":
                    found.append(json.loads(part.get_content()))
        return found
