"""Running one source's crawl in its own process, under a time limit.

Each run is `python -m newsvault crawl SOURCE --json --time-limit N`: the crawl takes the source's
lock itself (so it never overlaps another crawl of that source, whoever started it), stops itself
cleanly at the limit (Scrapy's CLOSESPIDER_TIMEOUT: status "timeout", finished parts kept), and prints
its manifest. A crawl that crashes takes only its own process down; its run is closed as "crashed",
and whoever started the dispatcher hears of it (`on_dead_run`: the CLI records the run's alerts).
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archive.salvage import close_dead_run, pid_alive
from archive.stores import StoreError, open_archive
from core.clock import utc_now
from core.config import Config
from state.backends import StateError, open_state

logger = logging.getLogger(__name__)

# Past the time limit, the crawl gets this long to close by itself before it is signalled.
BACKSTOP_GRACE_S = 60.0


@dataclass
class RunResult:
    source: str
    status: str  # the manifest's status, "skipped" (another crawl holds the source) or "crashed"
    duration_s: float
    manifest: dict[str, Any] | None = None
    detail: str = ""

    @property
    def source_counts(self) -> dict[str, Any]:
        if self.manifest is None:
            return {}
        return (self.manifest.get("per_source") or {}).get(self.source) or self.manifest.get("counts") or {}

    def summary(self) -> str:
        text = f"{self.source}: {self.status} in {self.duration_s:.1f}s"
        if self.manifest is not None:
            counts = self.source_counts
            errors = ", ".join(f"{r} {n}" for r, n in sorted((counts.get("errors") or {}).items()) if n)
            text += (f" (run {self.manifest['run_id']}: archived {counts.get('archived', 0)}, "
                     f"duplicates {counts.get('duplicates', 0)}, errors {errors or '-'})")
        detail = self.detail or (self.manifest or {}).get("failure")
        return text + (f": {detail}" if detail else "")


# Told of a run whose process died, once it is closed: (the config in force, the run's manifest).
DeadRunHook = Callable[[Config, dict[str, Any]], None]


class Dispatcher:
    """Starts crawl processes and stops them; safe to call from the scheduler's worker threads."""

    def __init__(self, config: Config, *, time_limit: float, python: str = sys.executable,
                 log_args: tuple[str, ...] = (), on_dead_run: DeadRunHook | None = None) -> None:
        self.config = config
        self.time_limit = time_limit
        self.python = python
        self.log_args = log_args
        self.on_dead_run = on_dead_run
        self._lock = threading.Lock()
        self._running: dict[str, subprocess.Popen[str]] = {}
        self._stopping = False

    def command(self, source_id: str) -> list[str]:
        return [self.python, "-m", "newsvault", "--config", str(self.config.path), *self.log_args,
                "crawl", source_id, "--json", "--time-limit", f"{self.time_limit:g}"]

    @property
    def running(self) -> dict[str, int]:
        with self._lock:
            return {source: process.pid for source, process in self._running.items()}

    def run(self, source_id: str) -> RunResult | None:
        """Crawl ``source_id`` and wait for it; None when the dispatcher is stopping."""
        started = time.monotonic()
        with self._lock:
            if self._stopping:
                return None
            # A session of its own: a Ctrl-C on the scheduler's terminal reaches the scheduler only,
            # which forwards exactly one SIGTERM (a second one makes Scrapy stop uncleanly).
            process = subprocess.Popen(self.command(source_id), stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                       text=True, start_new_session=True)
            self._running[source_id] = process
        try:
            stdout = self._wait(process)
        finally:
            with self._lock:
                self._running.pop(source_id, None)
        return self._result(source_id, process, stdout, time.monotonic() - started)

    def _wait(self, process: subprocess.Popen[str]) -> str:
        try:
            stdout, _ = process.communicate(timeout=self.time_limit + BACKSTOP_GRACE_S)
            return stdout
        except subprocess.TimeoutExpired:
            logger.warning("crawl pid %d ignored its time limit; sending SIGTERM", process.pid)
        _signal(process, signal.SIGTERM)
        try:
            stdout, _ = process.communicate(timeout=BACKSTOP_GRACE_S)
            return stdout
        except subprocess.TimeoutExpired:
            logger.error("crawl pid %d did not stop; killing it", process.pid)
        process.kill()
        stdout, _ = process.communicate()
        return stdout

    def _result(self, source_id: str, process: subprocess.Popen[str], stdout: str,
                duration: float) -> RunResult:
        try:
            document = json.loads(stdout) if stdout.strip() else None
        except ValueError:
            document = None
        if isinstance(document, dict) and document.get("status") == "skipped":
            busy = (document.get("busy") or {}).get(source_id) or {}
            return RunResult(source_id, "skipped", duration,
                             detail=f"already being crawled (pid {busy.get('pid', '?')})")
        if isinstance(document, dict) and "run_id" in document:
            return RunResult(source_id, document["status"], duration, manifest=document)
        # Stopped by our SIGTERM before Scrapy's own handler was in place: an interruption, not a crash.
        stopped = self._stopping and process.returncode == -signal.SIGTERM
        status = "interrupted" if stopped else "crashed"
        manifest = close_dead_runs(self.config, process.pid, status)
        if manifest is not None and self.on_dead_run is not None:
            try:
                self.on_dead_run(self.config, manifest)
            except Exception as exc:  # what hears of the run must not lose the scheduler its result
                logger.error("after closing the run of dead crawl pid %d: %s", process.pid, exc)
        return RunResult(source_id, status, duration, manifest=manifest,
                         detail=f"crawl process exited with status {process.returncode}")

    def stop(self) -> dict[str, int]:
        """Start no more crawls; ask the running ones to finish their current items and close."""
        with self._lock:
            self._stopping = True
            processes = dict(self._running)
        for process in processes.values():
            _signal(process, signal.SIGTERM)
        return {source: process.pid for source, process in processes.items()}


def _signal(process: subprocess.Popen[str], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signum)


def close_dead_runs(config: Config, pid: int, status: str = "crashed") -> dict[str, Any] | None:
    """Close the run(s) a dead crawl process left "running" with ``status``, its published files kept."""
    try:
        state = open_state(config.state.uri)
        store = open_archive(config)  # with its spool: the manifest waits behind the run's parts
    except (StateError, StoreError, OSError) as exc:
        logger.error("cannot close the runs of dead crawl pid %d: %s", pid, exc)
        return None
    closed = None
    try:
        for old in state.list_runs(limit=200):
            if (old["status"] != "running" or old.get("pid") != pid
                    or old.get("host") != socket.gethostname() or pid_alive(pid)):
                continue
            closed = close_dead_run(store, state, old, utc_now(), status=status, extra={"closed_by": "scheduler"})
    except Exception as exc:  # salvage reads what a dead process left: whatever it finds, the job goes on
        logger.error("cannot close the runs of dead crawl pid %d: %s", pid, exc)
    finally:
        state.close()
    return closed
