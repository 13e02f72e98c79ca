"""newsvault end to end in a child process of bench/run_all.py: `run_crawl`, measured.

Besides wall time and CPU (this process, its forkserver and its extraction workers), it can time the
archive writes on the reactor thread (--time-archive wraps RunArchive's entry points; the production
code carries no instrumentation) and profile the reactor thread (--profile FILE, cProfile).
Prints its measurements as the last line of stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Meter, emit, stop_forkserver  # noqa: E402

# on the reactor (writing, rotating, reporting a published batch) and on the publishing thread
ARCHIVE_ENTRY_POINTS = ("snapshot", "add_record", "_rotate", "close", "_batch_published", "_publish_batch")


def time_archive_writes() -> dict[str, float]:
    """Accumulate the wall and thread CPU time spent inside RunArchive's write paths (outermost calls)."""
    from archive.run_archive import RunArchive

    spent = {"s": 0.0, "cpu_s": 0.0}
    depth = threading.local()  # outermost calls per thread: the reactor's and the publisher's

    def timed(method: Any) -> Any:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            depth.n = getattr(depth, "n", 0) + 1
            start, start_cpu = time.perf_counter(), time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                depth.n -= 1
                if depth.n == 0:
                    spent["s"] += time.perf_counter() - start
                    spent["cpu_s"] += time.thread_time() - start_cpu
        return wrapper

    for name in ARCHIVE_ENTRY_POINTS:
        setattr(RunArchive, name, timed(getattr(RunArchive, name)))
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--time-archive", action="store_true")
    parser.add_argument("--profile", default=None, help="write a cProfile of the crawl process here")
    args = parser.parse_args()

    meter = Meter()
    from newsvault.config import load_config
    from pipelines.extract.server import start_early_if_expected

    archive_time = time_archive_writes() if args.time_archive else None
    settings: dict[str, Any] = {}
    if args.workers is not None:
        settings["NEWSVAULT_EXTRACT_WORKERS"] = args.workers
    config = load_config(args.config)
    # as `newsvault crawl` does, before Scrapy loads
    if args.workers != 0:
        start_early_if_expected(config, [source.id for source in config.sources])
    from newsvault.runner import run_crawl
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    if profiler is not None:
        profiler.enable()
    crawl_start = time.perf_counter()
    manifest = run_crawl(config, **settings)
    crawl_wall = time.perf_counter() - crawl_start
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    stop_forkserver()
    counts = manifest["counts"]
    emit(meter.report(
        crawl_wall_s=crawl_wall,
        pages=counts["fetched"],
        archived=counts["archived"],
        not_article=counts["not_article"],
        duplicates=counts["duplicates"],
        errors=counts["errors"],
        status=manifest["status"],
        archive_s=archive_time["s"] if archive_time is not None else None,
        archive_cpu_s=archive_time["cpu_s"] if archive_time is not None else None,
    ))


if __name__ == "__main__":
    main()
