"""moto's S3 server on 127.0.0.1, over real HTTP, that a test can stop and start again.

The server runs in the test process (moto's WSGI app on werkzeug's threaded server), so its data lives
in moto's in-process backends: a stop/start keeps every bucket and object, like a real store coming
back after an outage. ``stop`` closes the listening socket *and* every open connection, so clients
with pooled keep-alive connections see the outage too; ``start`` binds the same port again.

Clients reach it only through ``endpoint_url`` with the fake credentials of ``env()``; nothing here
patches boto3.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
from collections.abc import Iterator
from typing import Any, Self

import pytest
from loopback import ClosesItsConnections
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

ACCESS_KEY = "AKIANEWSVAULTTEST000"
SECRET_KEY = "newsvault-test-secret-7f3a9c1e5b2d4f60a8e1"  # grepped for: must never be written anywhere


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server(ClosesItsConnections, ThreadedWSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: Any) -> None:
        pass


class S3Server:
    """``with S3Server() as s3: s3.endpoint_url``; ``stop()``/``start()`` for an outage."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or _free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self._app = DomainDispatcherApplication(create_backend_app)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._client: Any = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("the S3 server is already running")
        self._server = _Server("127.0.0.1", self.port, self._app, handler=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto-s3", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join(timeout=10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @staticmethod
    def env() -> dict[str, str]:
        """Environment for processes talking to this server: fake credentials, no host AWS config."""
        return {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/nonexistent/newsvault-test-aws-config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/newsvault-test-aws-credentials",
            "AWS_EC2_METADATA_DISABLED": "true",
            # Fail over to the spool within seconds when the server is stopped on purpose.
            "NEWSVAULT_S3_MAX_ATTEMPTS": "2",
        }

    def client(self) -> Any:
        import boto3

        if self._client is not None:
            return self._client
        env = self.env()
        self._client = boto3.session.Session(
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        ).client("s3", endpoint_url=self.endpoint_url)
        return self._client

    def create_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One moto S3 server for the session; tests isolate themselves with a bucket each.

    The fake credentials go into this process's environment (so into the CLI processes it starts):
    clients find them through the standard AWS chain, as they would in production.
    """
    with pytest.MonkeyPatch.context() as patch:
        for name, value in S3Server.env().items():
            patch.setenv(name, value)
        with S3Server() as server:
            yield server


_buckets = itertools.count()


def new_bucket(server: S3Server, stem: str = "test") -> str:
    return server.create_bucket(f"{stem}-{os.getpid()}-{next(_buckets)}")
