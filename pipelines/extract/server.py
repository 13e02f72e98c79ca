"""The server the extraction pool forks its workers from, how many workers, and starting it early.

Light to import (no Scrapy, no trafilatura): `newsvault crawl` calls `start_early` before it loads
Scrapy. The server imports and warms up extraction (pipelines/extract/warmup.py), about a second of
one core. Started with the first page to extract, that second is spent while the crawl process,
having filled the pool's queue, waits. Started with the run, it is spent on another core while the
crawl process loads Scrapy and reads its feeds, and the first pages are extracted as soon as they
arrive. A run that extracts nothing, though, would pay for it for nothing: the run starts it early
only when the last run of one of its sources extracted pages (or there was none).

The server, and every worker forked from it, allocates memory with jemalloc when the machine has it
(Debian: libjemalloc2): trafilatura and lxml build and drop hundreds of thousands of small objects a
page, and jemalloc does that for about 5% less CPU than glibc's malloc (measured page by page on
the corpus, each page extracted by both in turn). NEWSVAULT_EXTRACT_ALLOCATOR=system keeps glibc's;
a library's path preloads that one instead; an LD_PRELOAD already set is left as it is.
"""

from __future__ import annotations

import ctypes.util
import functools
import logging
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from archive.source_runs import source_runs
from state.backends import open_state

if TYPE_CHECKING:
    from core.config import Config

logger = logging.getLogger(__name__)

WORKERS_ENV_VAR = "NEWSVAULT_EXTRACT_WORKERS"
ALLOCATOR_ENV_VAR = "NEWSVAULT_EXTRACT_ALLOCATOR"


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract_workers(setting: int | None, configured: int | None, environ: Mapping[str, str] = os.environ) -> int:
    """How many extraction processes: the NEWSVAULT_EXTRACT_WORKERS Scrapy setting, else the
    environment variable of that name, else `[crawl] extract_workers`, else one per usable CPU."""
    if setting is not None and setting >= 0:
        return setting
    raw = environ.get(WORKERS_ENV_VAR, "").strip()
    if raw:
        if not raw.isdigit():
            raise ValueError(f"{WORKERS_ENV_VAR} must be a whole number of processes (0: inline), not {raw!r}")
        return int(raw)
    return configured if configured is not None else default_workers()


@functools.cache
def _find_jemalloc() -> str | None:
    return ctypes.util.find_library("jemalloc")


def allocator_preload(environ: Mapping[str, str] = os.environ) -> str | None:
    """The shared library the server preloads as its malloc, or None for the system's."""
    if environ.get("LD_PRELOAD", "").strip() or not sys.platform.startswith("linux"):
        return None
    choice = environ.get(ALLOCATOR_ENV_VAR, "").strip() or "jemalloc"
    if choice == "system":
        return None
    if choice == "jemalloc":
        return _find_jemalloc()
    if "/" in choice and not os.path.isfile(choice):
        logger.warning("%s=%s: no such file; extraction uses the system's allocator", ALLOCATOR_ENV_VAR, choice)
        return None
    return choice


def pool_context() -> multiprocessing.context.BaseContext:
    """The pool's multiprocessing context, its server running (started now if it was not)."""
    # forkserver: workers never inherit the reactor's threads, sockets or SQLite handle, and the
    # preloaded extraction modules make each new worker cheap to start.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["pipelines.extract.warmup"])
    # The pool would start the server with its first worker; started here, it gets the allocator.
    # The resource tracker, which the server would start first, is not extraction: it keeps glibc's.
    multiprocessing.resource_tracker.ensure_running()
    preload = allocator_preload()
    if preload is None:
        multiprocessing.forkserver.ensure_running()
        return ctx
    before = os.environ.get("LD_PRELOAD")
    os.environ["LD_PRELOAD"] = preload
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        # for the server only: whatever else this process starts keeps its own environment
        if before is None:
            del os.environ["LD_PRELOAD"]
        else:
            os.environ["LD_PRELOAD"] = before
    return ctx


def start_early() -> None:
    """Start the server now, in the background: this returns as soon as its process is spawned."""
    pool_context()


def start_early_if_expected(config: Config, source_ids: Sequence[str]) -> bool:
    """start_early when the run will likely extract pages (see the module's docstring); whether it did.

    Never raises: a state it cannot read now, the run reports itself; the server then starts with
    the first page to extract, as it always could.
    """
    try:
        if extract_workers(None, config.crawl.extract_workers) == 0:
            return False
        state = open_state(config.state.uri)
        try:
            expected = last_runs_extracted(state, source_ids)
        finally:
            state.close()
        if expected:
            start_early()
        return expected
    except Exception as exc:
        logger.debug("extraction server not started early: %s", exc)
        return False


class RunHistory(Protocol):
    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]: ...


def last_runs_extracted(state: RunHistory, sources: Sequence[str]) -> bool:
    """Whether the last crawl of any of the sources extracted a page, or one of them has none yet
    (a first run extracts everything it finds)."""
    for source in sources:
        # a few runs back: the newest may be a replay, which extracts nothing of the source's own
        last = source_runs(state.list_runs(source=source, limit=5), source)
        if not last or last[0].fetched > 0:
            return True
    return False


def exit_with(pid: int, every_s: float = 1.0) -> None:
    """In an extraction worker: exit once process `pid` (the crawl that started the pool) is gone.

    A worker holds both ends of its task queue and the forkserver's liveness pipe, so neither it nor
    the server notices by itself when the crawl process dies without shutting its pool down (a kill -9,
    a crash of a crawl host whose pool outlives its runs); they would linger, holding the terminal's
    or the caller's stderr open. The pool's initializer; a daemon thread looks once a second."""
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(every_s)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # alive, another user's: cannot be ours, though
                continue

    threading.Thread(target=watch, name="exit-with-crawl", daemon=True).start()
