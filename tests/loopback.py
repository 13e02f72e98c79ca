"""What the test servers on loopback share: they can cut every open connection when they stop.

Clients keep connections alive in pools; closing only the listening socket would leave them talking
to a server that is supposed to be down. Mixed into a socketserver-based server (http.server's or
werkzeug's) before it in the bases.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any


class ClosesItsConnections:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, address = super().get_request()  # type: ignore[misc]
        with self._connections_lock:
            self._connections.add(conn)
        return conn, address

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)  # type: ignore[misc]

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
