"""A real `redis-server` process on a free loopback port, for the tests of the distributed mode.

No persistence (``--save "" --appendonly no``): each server starts empty and leaves nothing behind.
Tests that need it skip, with the reason, when the binary is not installed (.ci/run installs the
Debian package; a developer machine may not have it).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

import pytest

BINARY = "redis-server"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """``with RedisServer(tmp) as redis: redis.uri``."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.binary = shutil.which(BINARY)
        if self.binary is None:
            raise FileNotFoundError(f"{BINARY} is not installed (Debian: apt-get install redis-server)")
        self.workdir = workdir
        self.port = port or _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def uri(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> Self:
        self.workdir.mkdir(parents=True, exist_ok=True)
        assert self.binary is not None
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}; see "
                                   f"{self.workdir / 'redis.log'}")
            try:
                if self.client().ping():
                    return self
            except Exception:  # not listening yet
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer PING on port {self.port} within 10s")

    def client(self, db: int = 0) -> Any:
        import redis

        return redis.Redis.from_url(self.uri(db), socket_timeout=5)

    def flush(self) -> None:
        self.client().flushall()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One redis-server for the session; tests isolate themselves with `redis_uri` (flushed per test)."""
    if shutil.which(BINARY) is None:
        pytest.skip(f"needs the {BINARY} binary (Debian package redis-server); not installed here")
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def redis_uri(redis_server: RedisServer) -> str:
    """An empty Redis database for one test."""
    redis_server.flush()
    return redis_server.uri()
