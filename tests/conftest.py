"""Fixtures shared by the whole suite: the real test data and the local news network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from newsnet import NewsNetwork
from redisserver import redis_server, redis_uri  # noqa: F401  (the redis-server fixtures)
from s3server import s3_server  # noqa: F401  (the moto S3 server fixture)

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared next to the repository: corpora and the seed article, never copied into the repo."""
    if not (SHARED_DIR / "corpora").is_dir() or not (SHARED_DIR / "seed").is_dir():
        pytest.skip("needs ../shared (corpora and seed); absent in this checkout")
    return SHARED_DIR


@pytest.fixture
def newsnet(shared_dir: Path) -> Iterator[NewsNetwork]:
    """A started news network, stopped after the test (function-scoped: tests may mutate it)."""
    with NewsNetwork(shared_dir) as network:
        yield network
