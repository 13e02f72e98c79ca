"""Near-duplicate lookup cost as the index grows: p50/p99 of one lookup at 10^4, 10^5 and 10^6 fingerprints.

The index is the real one (pipelines.neardup.StateNearDupIndex over state.sqlite_state.SQLiteState, in a
temporary SQLite file), filled through the state's own add_fingerprints in batches. The fill runs with
a 1 GB SQLite page cache to save time; lookups are measured with SQLite's default cache, as in a
crawl, after a few hundred warm-up lookups. One in a hundred
indexed fingerprints is a near-copy of another, so buckets holding more than one entry exist. Half the
probes are near-copies of indexed fingerprints (hits), half are new texts (misses). Figures are printed
as ratios against the smallest size in the same run: a flat lookup keeps them near 1.

    python bench/neardup_lookup.py [--sizes 10000 100000 1000000] [--lookups 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pipelines import neardup
from pipelines.neardup import Fingerprint, Indexed, StateNearDupIndex
from state.backends import SQLiteState

BATCH = 20_000


def random_fingerprint(rng: random.Random) -> Fingerprint:
    return Fingerprint.from_bytes(rng.randbytes(4 * neardup.BINS))


def near_copy(fp: Fingerprint, rng: random.Random, changed: int = 12) -> Fingerprint:
    """fp with `changed` of its bins replaced: an estimated Jaccard of about 0.8."""
    values = list(fp)
    for i in rng.sample(range(neardup.BINS), changed):
        values[i] = rng.getrandbits(32)
    return Fingerprint(values)


def fill(index: StateNearDupIndex, start: int, stop: int, rng: random.Random, keep: list[Fingerprint]) -> None:
    for first in range(start, stop, BATCH):
        batch = []
        for n in range(first, min(stop, first + BATCH)):
            fp = near_copy(keep[-1], rng) if n % 100 == 99 and keep else random_fingerprint(rng)
            if len(keep) < 10_000:
                keep.append(fp)
            batch.append(Indexed(f"article-{n}", f"source-{n % 50}", fp))
        index.add(batch)


def measure(index: StateNearDupIndex, keep: list[Fingerprint], lookups: int, rng: random.Random) -> tuple[
        float, float, float]:
    """(p50 ms, p99 ms, share of hits found) over `lookups` probes."""
    times, found = [], 0
    for n in range(lookups):
        hit = n % 2 == 0
        probe = near_copy(rng.choice(keep), rng) if hit else random_fingerprint(rng)
        started = time.perf_counter()
        match = index.lookup(probe, "probe")
        times.append((time.perf_counter() - started) * 1000)
        found += hit and match is not None
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], found / (lookups / 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="near-duplicate lookup cost against index size")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args(argv)
    rng = random.Random(9)
    keep: list[Fingerprint] = []
    print(f"{'fingerprints':>12}  {'p50 ms':>7}  {'p99 ms':>7}  {'p50 x':>6}  {'p99 x':>6}  {'hits found':>10}  "
          f"{'db MB':>6}  {'fill s':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        state = SQLiteState(Path(tmp) / "state.db")
        index = StateNearDupIndex(state)
        default_cache = state._db.execute("PRAGMA cache_size").fetchone()[0]
        size, base = 0, None
        for target in sorted(args.sizes):
            started = time.monotonic()
            state._db.execute(f"PRAGMA cache_size={-2**20}")
            fill(index, size, target, rng, keep)
            state._db.execute(f"PRAGMA cache_size={default_cache}")
            filled = time.monotonic() - started
            size = target
            measure(index, keep, 200, rng)  # warm the page cache as a running crawl would have
            p50, p99, hits = measure(index, keep, args.lookups, rng)
            base = base or (p50, p99)
            mb = (Path(tmp) / "state.db").stat().st_size / 2**20
            print(f"{size:>12,}  {p50:7.3f}  {p99:7.3f}  {p50 / base[0]:6.2f}  {p99 / base[1]:6.2f}  "
                  f"{hits:10.3f}  {mb:6.0f}  {filled:6.0f}", flush=True)
        state.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
