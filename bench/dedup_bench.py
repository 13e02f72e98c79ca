"""Dedup state lookups against a growing SQLite state of synthetic known articles.

The state is grown in place (10^4, then 10^5, then 10^6 articles by default) and, at each size,
the two lookups the dedup pipeline makes per record are timed: `get_article` (by article_id) and
`find_text` (by source + content hash), for known articles (hits) and new ones (misses, which is
what most records of a crawl are).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from state.backends import ArticleCommit, SQLiteState

SOURCES = ("bench0", "bench1", "bench2", "bench3")
BATCH = 50_000


def synthetic(i: int) -> ArticleCommit:
    url = f"https://news{i % 97}.example/{i // 97}/story-{i}.html"
    return ArticleCommit(
        article_id=hashlib.sha256(url.encode()).hexdigest()[:32],
        canonical_url=url,
        source=SOURCES[i % len(SOURCES)],
        version=1,
        content_hash="sha256:" + hashlib.sha256(f"text {i}".encode()).hexdigest(),
        simhash=f"{i * 0x9E3779B97F4A7C15 % 2**64:016x}",
        fetched_at="2024-05-20T08:00:00Z",
        run_id="20240520T080000Z-bench",
    )


def grow(state: SQLiteState, start: int, stop: int) -> None:
    for first in range(start, stop, BATCH):
        state.commit_articles([synthetic(i) for i in range(first, min(first + BATCH, stop))])


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def time_lookups(state: SQLiteState, known: int, samples: int = 2000) -> dict[str, tuple[float, float]]:
    """(p50, p99) in milliseconds of one record's dedup lookups, for known and new articles."""
    rng = random.Random(known)
    hits, misses = [], []
    for _ in range(samples):
        for pool, i in ((hits, rng.randrange(known)), (misses, known + 10**7 + rng.randrange(10**6))):
            commit = synthetic(i)
            start = time.perf_counter()
            state.get_article(commit.article_id)
            state.find_text(commit.source, commit.content_hash)
            pool.append((time.perf_counter() - start) * 1000)
    return {"known": _percentiles(hits), "new": _percentiles(misses)}


def run(workdir: Path, sizes: tuple[int, ...], keep: tuple[int, ...] = ()) -> Iterator[tuple[int, dict, Path | None]]:
    """Yield (size, lookup percentiles, copy of the state file if size is in keep) as the state grows."""
    path = workdir / "dedup-state.db"
    path.unlink(missing_ok=True)
    state = SQLiteState(path)
    have = 0
    try:
        for size in sizes:
            grow(state, have, size)
            have = size
            state._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            copy = None
            if size in keep:
                copy = workdir / f"state-{size}.db"
                shutil.copyfile(path, copy)
            yield size, time_lookups(state, size), copy
    finally:
        state.close()
