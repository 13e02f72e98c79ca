"""Publishing a run's parts off the reactor: one thread of its own, batches in the order rotated.

An upload to S3 takes as long as the store makes it take; on the reactor thread it would stall every
download and every item of the crawl meanwhile. Scrapy's feed exports hand their uploads to a thread
(`deferToThread`) for the same reason. Here the thread pool has exactly one thread, so batches are
published in the order they were rotated (a JSONL part never before the WARC part it points into,
even across batches), and their results come back to the reactor in that order too, where the files
are listed and the records reported (archive/run_archive.py).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from twisted.internet.defer import Deferred, succeed
from twisted.internet.threads import deferToThreadPool
from twisted.python.failure import Failure
from twisted.python.threadpool import ThreadPool

logger = logging.getLogger(__name__)

T = TypeVar("T")


class ThreadPublisher:
    """A `Publisher` (archive/run_archive.py) on one thread; `on_error` hears what stopped a batch."""

    def __init__(self, on_error: Callable[[BaseException], None]) -> None:
        self.on_error = on_error
        self._pool = ThreadPool(minthreads=1, maxthreads=1, name="newsvault-publish")
        # A daemon thread: a crawl stopped at once (a second Ctrl-C, the scheduler's second SIGTERM)
        # stops its reactor before the pipelines close; the process must still exit, and what the
        # thread had not published is not reported as archived, so the next run fetches it again.
        self._pool.threadFactory = functools.partial(threading.Thread, daemon=True)
        self._pool.start()
        self._stopped = False
        self._last: Deferred[Any] = succeed(None)
        self.pending = 0
        self.failures = 0  # batches that did not publish, since the publisher started

    def submit(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        # the running reactor, imported only now: importing it earlier would install the default one
        from twisted.internet import reactor

        self.pending += 1
        published = deferToThreadPool(reactor, self._pool, job)
        published.addCallback(done)
        published.addErrback(self._failed)
        published.addBoth(self._settled)
        self._last = published

    def _failed(self, failure: Failure) -> None:
        self.failures += 1
        self.on_error(failure.value)

    def _settled(self, result: Any) -> None:
        self.pending -= 1

    def drained(self) -> Deferred[None]:
        """Fires once every batch submitted so far is published and reported."""
        drained: Deferred[None] = Deferred()

        def fire(result: Any) -> Any:
            drained.callback(None)
            return result

        self._last.addBoth(fire)
        return drained

    def stop(self) -> None:
        """Let the thread go; call after `drained` fired (it waits for a batch still running)."""
        if not self._stopped:
            self._stopped = True
            self._pool.stop()
