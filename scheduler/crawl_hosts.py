"""The crawl hosts a scheduler or a worker runs its crawls in, seen from the process that starts them.

A crawl host (`python -m newsvault.crawl_host`) is a long-lived process running many runs on one
reactor (see that module for why and for the JSON lines it speaks). `HostPool` keeps one going:

- runs are sent to the current host, at most `runs_in_flight` at once; the others wait in order;
- a host is recycled, its runs in flight let finish while a new one takes the next runs, after
  `max_runs` runs or once its memory grew by `memory_growth` bytes past what it held after its first
  run (what a long-lived process leaks, it gives back by being replaced);
- a host over `memory_limit` bytes is killed; a host that dies however it dies (a segfault in a
  parser, the kernel's OOM killer, a kill -9) has the runs it had in flight closed from their
  journals by `on_dead` (status crashed, every published part and reported record kept: the same
  salvage as for a dead crawl process), and the next runs go to a new host;
- a run still going a grace period past its time limit is asked to stop; past a second grace its host
  is killed, as a crawl process ignoring its limit was;
- `stop()` passes SIGTERM to the hosts: their runs in flight finish their current items and close
  (status interrupted); a second `stop()` passes a second one, which stops them at once.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import IO, Any

logger = logging.getLogger(__name__)

# Past its time limit, a run gets this long to close by itself before it is asked to, and as long again
# before its host is killed.
BACKSTOP_GRACE_S = 60.0
WATCH_EVERY_S = 1.0


@dataclass(frozen=True)
class HostLimits:
    runs_in_flight: int = 16
    max_runs: int = 2000
    memory_growth: int = 512 * 2**20
    memory_limit: int = 4 * 2**30


@dataclass
class HostAnswer:
    """How one run sent to a host ended."""

    sources: tuple[str, ...]
    status: str  # the manifest's, "skipped" (another crawl holds the sources), "failed" or "crashed"
    pid: int
    manifest: dict[str, Any] | None = None
    detail: str = ""
    busy: dict[str, Any] = field(default_factory=dict)
    started_at: float | None = None  # epoch seconds, when the host opened the run


@dataclass
class _Request:
    id: str
    sources: tuple[str, ...]
    time_limit: float
    future: Future[HostAnswer]
    sent_at: float = 0.0  # monotonic
    run_id: str | None = None
    started_at: float | None = None
    asked_to_stop: bool = False


# Told of a host that died with runs open: (its pid, the status to close them with) -> their manifests.
DeadHostHook = Callable[[int, str], list[dict[str, Any]]]


class HostProcess:
    """One crawl host process and the runs it has in flight."""

    def __init__(self, command: Sequence[str], env: dict[str, str] | None, on_event: Callable[..., None]) -> None:
        # A session of its own: a Ctrl-C on the terminal reaches the scheduler only, which decides.
        self.process = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        env=env, start_new_session=True, bufsize=1)
        self.pid = self.process.pid
        self.requests: dict[str, _Request] = {}
        self.runs_done = 0
        self.baseline_rss: int | None = None
        self.retiring = False
        self.signalled = 0
        self.killed_for: str | None = None
        self._write = threading.Lock()
        self._on_event = on_event
        self._reader = threading.Thread(target=self._read, name=f"crawl-host-{self.pid}", daemon=True)
        self._reader.start()

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        with self._write, contextlib.suppress(OSError, ValueError):  # a dead host: its reader says so
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()

    def join(self, timeout: float | None) -> None:
        """Until the host's exit has been handled (its events read, its runs answered)."""
        self._reader.join(timeout)

    def signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signum)

    def _read(self) -> None:
        stream: IO[str] | None = self.process.stdout
        assert stream is not None
        for line in stream:
            try:
                event = json.loads(line)
            except ValueError:
                logger.warning("crawl host %d: not an event: %r", self.pid, line[:200])
                continue
            self._on_event(self, event)
        self.process.wait()
        self._on_event(self, {"event": "exit", "returncode": self.process.returncode})


class HostPool:
    def __init__(self, command: Callable[[], Sequence[str]], limits: HostLimits, *,
                 on_dead: DeadHostHook, env: dict[str, str] | None = None) -> None:
        self.command = command  # called for each new host: the config path may have changed
        self.limits = limits
        self.on_dead = on_dead
        self.env = env
        # Reentrant: a run's future may be resolved with the lock held, and whoever waits on it (the
        # scheduler's executor) asks the pool what is running from the same thread.
        self._lock = threading.RLock()
        self._hosts: list[HostProcess] = []
        self._current: HostProcess | None = None
        self._waiting: deque[_Request] = deque()
        self._ids = itertools.count(1)
        self._stopping = 0
        self._closed = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="crawl-host-watch", daemon=True)
        self._watcher.start()

    # -- what callers use -------------------------------------------------------------------------

    def submit(self, sources: Sequence[str], time_limit: float) -> Future[HostAnswer]:
        future: Future[HostAnswer] = Future()
        request = _Request(str(next(self._ids)), tuple(sources), time_limit, future)
        with self._lock:
            if self._stopping:
                future.set_result(HostAnswer(request.sources, "interrupted", 0, detail="not started: stopping"))
                return future
            self._waiting.append(request)
            self._send_waiting()
        return future

    @property
    def running(self) -> dict[str, int]:
        """The sources of the runs in flight, and the pid of the host running each."""
        with self._lock:
            return {source: host.pid for host in self._hosts for request in host.requests.values()
                    for source in request.sources}

    @property
    def host_pids(self) -> list[int]:
        with self._lock:
            return [host.pid for host in self._hosts]

    def stop(self) -> dict[str, int]:
        """No new runs; SIGTERM to the hosts (a second call: a second SIGTERM, which stops them at once).
        Returns the runs that were in flight."""
        with self._lock:
            self._stopping += 1
            waiting = list(self._waiting)
            self._waiting.clear()
            hosts = list(self._hosts)
        for request in waiting:
            request.future.set_result(HostAnswer(request.sources, "interrupted", 0, detail="not started: stopping"))
        for host in hosts:
            host.signalled += 1
            host.signal(signal.SIGTERM)
        return self.running

    def close(self, timeout: float | None = None) -> None:
        """Stop (unless stopping already), and wait for the hosts to exit."""
        if not self._stopping:
            self.stop()
        deadline = None if timeout is None else time.monotonic() + timeout

        def left() -> float | None:
            return None if deadline is None else max(0.1, deadline - time.monotonic())

        for host in list(self._hosts):
            try:
                host.process.wait(left())
            except subprocess.TimeoutExpired:
                host.process.kill()
            host.join(left())  # its runs' salvage, if it died with runs open
        self._closed.set()

    # -- inside -----------------------------------------------------------------------------------

    def _send_waiting(self) -> None:
        """With the lock held: send waiting runs while there is room."""
        while self._waiting and self._in_flight_locked() < self.limits.runs_in_flight:
            request = self._waiting.popleft()
            try:
                host = self._host_locked()
            except OSError as exc:  # no process can be started now (memory, process limits)
                logger.error("cannot start a crawl host: %s", exc)
                request.future.set_result(HostAnswer(request.sources, "failed", 0,
                                                     detail=f"cannot start a crawl host: {exc}"))
                continue
            request.sent_at = time.monotonic()
            host.requests[request.id] = request
            host.send({"op": "run", "id": request.id, "sources": list(request.sources),
                       "time_limit": request.time_limit})

    def _in_flight_locked(self) -> int:
        return sum(len(host.requests) for host in self._hosts)

    def _host_locked(self) -> HostProcess:
        host = self._current
        if host is None or host.retiring or host.process.poll() is not None:
            host = HostProcess(self.command(), self.env, self._event)
            logger.info("crawl host started (pid %d)", host.pid)
            self._hosts.append(host)
            self._current = host
        return host

    def _event(self, host: HostProcess, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "started":
            with self._lock:
                request = host.requests.get(str(event.get("id")))
                if request is not None:
                    request.run_id = event.get("run_id")
                    request.started_at = event.get("at")
        elif kind == "done":
            self._done(host, event)
        elif kind == "exit":
            self._exited(host, int(event.get("returncode") or 0))

    def _done(self, host: HostProcess, event: dict[str, Any]) -> None:
        with self._lock:
            request = host.requests.pop(str(event.get("id")), None)
            host.runs_done = int(event.get("runs") or host.runs_done + 1)
            rss = int(event.get("rss") or 0)
            if host.baseline_rss is None and rss:
                host.baseline_rss = rss
            self._maybe_retire(host, rss)
            self._send_waiting()
        if request is not None:
            request.future.set_result(_answer(request, host.pid, event.get("result") or {}))

    def _maybe_retire(self, host: HostProcess, rss: int) -> None:
        if host.retiring:
            return
        why = None
        if host.runs_done >= self.limits.max_runs:
            why = f"{host.runs_done} runs"
        elif host.baseline_rss is not None and rss - host.baseline_rss >= self.limits.memory_growth:
            why = f"its memory grew by {(rss - host.baseline_rss) / 2**20:.0f} MiB"
        if why is None:
            return
        logger.info("crawl host pid %d is recycled after %s; a new one takes the next runs", host.pid, why)
        host.retiring = True
        host.send({"op": "drain"})
        if self._current is host:
            self._current = None

    def _exited(self, host: HostProcess, returncode: int) -> None:
        # The host's runs count as running until they are closed below: whoever waits for the
        # running runs to end (the scheduler stopping) waits for their salvage too.
        with self._lock:
            orphans = list(host.requests.values())
            if self._current is host:
                self._current = None
            stopping = self._stopping > 0
        if orphans:
            interrupted = stopping and host.signalled and returncode in (0, -signal.SIGTERM) and not host.killed_for
            status = "interrupted" if interrupted else "crashed"
            why = host.killed_for or (f"the crawl host (pid {host.pid}) exited with status {returncode}")
            log = logger.info if interrupted else logger.error
            log("%s with %d run(s) in flight; they are closed as %s", why, len(orphans), status)
            try:
                manifests = {m.get("run_id"): m for m in self.on_dead(host.pid, status)}
            except Exception as exc:  # salvage reads what a dead process left: whatever it finds, runs go on
                logger.error("cannot close the runs of crawl host pid %d: %s", host.pid, exc)
                manifests = {}
            for request in orphans:
                manifest = manifests.get(request.run_id)
                answer = HostAnswer(request.sources, status, host.pid, manifest=manifest,
                                    detail=why if manifest is not None or request.run_id is None else
                                    f"{why}; run {request.run_id} could not be closed",
                                    started_at=request.started_at)
                request.future.set_result(answer)
        elif returncode not in (0, -signal.SIGTERM):
            logger.warning("crawl host pid %d exited with status %d", host.pid, returncode)
        with self._lock:
            host.requests.clear()
            with contextlib.suppress(ValueError):
                self._hosts.remove(host)
            if not self._stopping:
                self._send_waiting()

    def _watch(self) -> None:
        """Memory ceilings and time limits, once a second."""
        while not self._closed.wait(WATCH_EVERY_S):
            with self._lock:
                hosts = [(host, list(host.requests.values())) for host in self._hosts]
            now = time.monotonic()
            for host, requests in hosts:
                if host.killed_for is not None:
                    continue
                rss = rss_bytes(host.pid)
                if rss > self.limits.memory_limit:
                    self._kill(host, f"crawl host pid {host.pid} used {rss / 2**20:.0f} MiB, over its "
                                     f"{self.limits.memory_limit / 2**20:.0f} MiB limit: killed")
                    continue
                for request in requests:
                    late = now - request.sent_at - request.time_limit
                    if late > 2 * BACKSTOP_GRACE_S:
                        self._kill(host, f"run {request.run_id or request.id} of {', '.join(request.sources)} "
                                         f"ignored its time limit and its stop: crawl host pid {host.pid} killed")
                        break
                    if late > BACKSTOP_GRACE_S and not request.asked_to_stop:
                        request.asked_to_stop = True
                        logger.warning("run %s of %s ran past its time limit: stopping it",
                                       request.run_id or request.id, ", ".join(request.sources))
                        host.send({"op": "stop_run", "id": request.id})

    def _kill(self, host: HostProcess, why: str) -> None:
        logger.error("%s", why)
        host.killed_for = why
        host.signal(signal.SIGKILL)


def _answer(request: _Request, pid: int, result: dict[str, Any]) -> HostAnswer:
    status = str(result.get("status") or "failed")
    manifest = ({k: v for k, v in result.items() if k != "busy"}
                if "run_id" in result and "files" in result else None)
    return HostAnswer(request.sources, status, pid, manifest=manifest,
                      detail=str(result.get("detail") or (manifest or {}).get("failure") or ""),
                      busy=dict(result.get("busy") or {}), started_at=request.started_at)


def rss_bytes(pid: int | str = "self") -> int:
    """The resident memory of a process of this machine, 0 when it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
