"""A crawl host: one long-lived process that runs many crawl runs on one running reactor.

Starting a crawl process costs more than a quiet run does (importing Scrapy and Twisted alone is
0.6 s and more of CPU), so the scheduler and the workers start runs here instead: Scrapy, Twisted and
the extraction server are loaded once, and each run is a new `Crawler` started by a `CrawlerRunner`
on the reactor that is already running, several at once. Each run is still its own: its own run id,
source locks, Scrapy settings (from the config as the file says now), stats, manifest, politeness and
time limit (CLOSESPIDER_TIMEOUT). What the runs share is only what holds no run's data: the loaded
modules, the extraction worker processes (`ExtractionProcesses`), the reactor, each site's pace
(`HostPaces`: two runs reaching one site keep its delay and Crawl-delay between them) and its
robots.txt (`SharedRobots`, kept an hour).

It speaks JSON lines: commands on stdin, one per line, from the process that started it
(scheduler/crawl_hosts.py); events on stdout. Logs go to stderr.

    {"op": "run", "id": ID, "sources": [...], "time_limit": SECONDS}   start a run
    {"op": "stop_run", "id": ID}                                        stop that run cleanly
    {"op": "drain"}                                                     take no more runs; exit when idle

    {"event": "ready", "pid": PID}
    {"event": "started", "id": ID, "run_id": RUN, "sources": [...], "at": EPOCH}
    {"event": "done", "id": ID, "result": MANIFEST | {"status": "skipped"|"failed", ...}, "rss": BYTES, "runs": N}

SIGTERM, or stdin closed (whoever started the host is gone), stops every run in flight cleanly (each
finishes its current items and closes its files: status "interrupted"), then the host exits; a second
SIGTERM stops the reactor at once (the runs left are then closed by whoever salvages the host's pid).
A worker's host is started with `--parent-gone die`: when its worker dies, it exits at once.

    python -m newsvault.crawl_host --config newsvault.toml [--log-level INFO]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.settings import Settings
from scrapy.settings.default_settings import TWISTED_REACTOR
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.reactor import install_reactor

from archive.salvage import close_dead_run
from core.clock import utc_now
from newsvault import logjson
from newsvault.config import Config, ConfigError, load_config
from scheduler.crawl_hosts import rss_bytes

logger = logging.getLogger("newsvault.crawl_host")

class ConfigFile:
    """The config as the file says now: read again when the file changed, the last good one kept
    (with the error logged) when the new one does not load."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._config: Config | None = None

    def current(self) -> Config:
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        if self._config is None or (stamp is not None and stamp != self._stamp):
            try:
                self._config = load_config(self.path)
                self._stamp = stamp
            except ConfigError as exc:
                if self._config is None:
                    raise
                logger.error("%s changed but does not load; runs go on with the config as it was:\n%s",
                             self.path, exc)
                self._stamp = stamp
        return self._config


class CrawlHost:
    def __init__(self, config_path: Path, log_level: str, events: IO[str]) -> None:
        from pipelines.extract.pipeline import ExtractionProcesses
        from pipelines.extract.server import extract_workers
        from spiders.politeness import SharedRobots
        from spiders.shared_politeness import HostPaces

        self.config_file = ConfigFile(config_path)
        self.log_level = log_level
        self.events = events
        config = self.config_file.current()
        self.processes = ExtractionProcesses(extract_workers(None, config.crawl.extract_workers))
        self.paces = HostPaces()  # each site's pace, across the runs (spiders/shared_politeness.py)
        self.robots = SharedRobots()  # each site's robots.txt, for an hour (spiders/politeness.py)
        self.runner = CrawlerRunner()
        self.crawlers: dict[str, Crawler] = {}
        self.in_flight: set[str] = set()
        self.runs = 0
        self.draining = False
        self.stopping = False
        self._write_lock = threading.Lock()

    # -- commands ---------------------------------------------------------------------------------

    def command(self, line: str) -> None:
        try:
            message = json.loads(line)
            op = message["op"]
        except (ValueError, KeyError, TypeError):
            logger.error("crawl host: not a command: %r", line[:200])
            return
        if op == "run":
            self.start_run(str(message["id"]), list(message["sources"]), float(message["time_limit"]))
        elif op == "stop_run":
            crawler = self.crawlers.get(str(message["id"]))
            if crawler is not None:
                logger.warning("run %s: stopping it, as asked", message["id"])
                _stop_crawl(crawler)
        elif op == "drain":
            self.draining = True
            self._exit_when_idle()
        else:
            logger.error("crawl host: unknown command %r", op)

    def start_run(self, request_id: str, source_ids: list[str], time_limit: float) -> None:
        from twisted.internet.defer import Deferred

        if self.stopping or self.draining:
            self._send({"event": "done", "id": request_id,
                        "result": {"status": "failed", "detail": "the crawl host is stopping"}})
            return
        self.in_flight.add(request_id)
        Deferred.fromCoroutine(self._run(request_id, source_ids, time_limit))

    async def _run(self, request_id: str, source_ids: list[str], time_limit: float) -> None:
        try:
            result = await self._crawl(request_id, source_ids, time_limit)
        except Exception as exc:  # one run's failure is that run's, never the host's
            logger.exception("run of %s failed in the crawl host", ", ".join(source_ids))
            result = {"status": "failed", "detail": f"{type(exc).__name__}: {exc}"}
        finally:
            self.in_flight.discard(request_id)
            self.crawlers.pop(request_id, None)
            logjson.RUN_ID.set(None)
        self.runs += 1
        self._send({"event": "done", "id": request_id, "result": result, "rss": rss_bytes(), "runs": self.runs})
        self._exit_when_idle()

    async def _crawl(self, request_id: str, source_ids: list[str], time_limit: float) -> dict[str, Any]:
        from scrapy import signals
        from twisted.internet.threads import deferToThread

        from newsvault.alerts.run_events import deliver_pending
        from newsvault.runner import open_run, prepare_run, run_settings, watch_manifest
        from pipelines.extract.pipeline import PROCESSES_SETTING
        from scheduler.locks import SourceLocks
        from spiders.news import NewsSpider
        from spiders.politeness import ROBOTS_SETTING
        from spiders.shared_politeness import PACES_SETTING

        config = self.config_file.current()
        sources = config.select(source_ids)
        # One crawl per source at a time, across processes and machines, as `newsvault crawl` does.
        locks = SourceLocks(config, [s.id for s in sources], "a crawl")
        try:
            if not locks.held:
                return {"status": "skipped", "busy": locks.busy}
            run = open_run(config, config.select(locks.held))
            try:
                # as `newsvault crawl` does, each run first closes the runs of dead processes (the
                # journal's running runs only: no manifest is read)
                prepare_run(config, run)
                logjson.RUN_ID.set(run.run_id)
                self._send({"event": "started", "id": request_id, "run_id": run.run_id,
                            "sources": list(locks.held), "at": time.time()})
                settings = run_settings(config, run, log_level=self.log_level, CLOSESPIDER_TIMEOUT=time_limit,
                                        **{PROCESSES_SETTING: self.processes, PACES_SETTING: self.paces,
                                           ROBOTS_SETTING: self.robots})
                crawler = Crawler(NewsSpider, Settings(settings))
                manifests = watch_manifest(crawler, config, run)
                # Nothing above waits: a SIGTERM is handled on the reactor only once the crawl is
                # registered here, where `stop` finds it. A stop that comes while the spider opens
                # finds no engine running: it is made again when the engine starts.
                self.crawlers[request_id] = crawler
                crawler.signals.connect(lambda: self._stop_if_stopping(crawler), signal=signals.engine_started,
                                        weak=False)
                await self.runner.crawl(crawler)
                if not manifests:
                    return self._close_unfinished(run, "the crawl ended without a manifest; see the log")
                await deferToThread(deliver_pending, config, run.state)  # webhooks, mail: off the reactor
                return manifests[0] | ({"busy": locks.busy} if locks.busy else {})
            except Exception as exc:
                logger.exception("run %s failed in the crawl host", run.run_id)
                return self._close_unfinished(run, f"{type(exc).__name__}: {exc}")
            finally:
                run.state.close()
        finally:
            locks.release()

    def _stop_if_stopping(self, crawler: Crawler) -> None:
        # At engine_started the engine is starting, not yet running, so Crawler.stop_async would do
        # nothing; stopping the engine itself is what Scrapy's start checks for right after this
        # signal (and closes the spider with "shutdown", as a stop of a running crawl does).
        if self.stopping:
            deferred_from_coro(crawler.engine.stop_async())

    @staticmethod
    def _close_unfinished(run: Any, why: str) -> dict[str, Any]:
        """A run that ended without its manifest is closed from its journal, as a dead one is."""
        journal = next((r for r in run.state.running_runs() if r["run_id"] == run.run_id), None)
        if journal is None:
            return {"status": "failed", "run_id": run.run_id, "detail": why}
        manifest = close_dead_run(run.store, run.state, journal, utc_now(), status="failed",
                                  extra={"failure": why})
        return manifest or {"status": "failed", "run_id": run.run_id, "detail": why}

    # -- lifecycle --------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop every run in flight cleanly, then exit; a second call stops the reactor at once."""
        from twisted.internet import reactor

        if self.stopping:
            if reactor.running:  # type: ignore[attr-defined]
                logger.warning("crawl host: second stop: the runs in flight stop now")
                reactor.stop()  # type: ignore[attr-defined]
            return
        self.stopping = True
        for crawler in list(self.crawlers.values()):
            _stop_crawl(crawler)
        self._exit_when_idle()

    def _exit_when_idle(self) -> None:
        from twisted.internet import reactor

        if (self.stopping or self.draining) and not self.in_flight and reactor.running:  # type: ignore[attr-defined]
            self.processes.close()
            reactor.stop()  # type: ignore[attr-defined]

    def _send(self, event: dict[str, Any]) -> None:
        line = json.dumps(event, default=str) + "\n"
        with self._write_lock:
            try:
                self.events.write(line)
                self.events.flush()
            except (BrokenPipeError, ValueError, OSError):  # whoever started the host is gone
                pass


def _stop_crawl(crawler: Crawler) -> None:
    """Stop a crawl gracefully. Crawler.stop_async stops only a running engine, and marks the crawl
    stopped either way: made while the spider opens, it would be lost, and would turn the stop made
    again at engine_started into nothing. Until the engine runs, that later stop does the work."""
    if crawler.crawling and _engine_running(crawler):
        deferred_from_coro(crawler.stop_async())


def _engine_running(crawler: Crawler) -> bool:
    try:
        return bool(crawler.engine.running)
    except RuntimeError:  # no engine yet: the spider is being made
        return False


def _read_commands(host: CrawlHost, stream: IO[str], parent_gone: str) -> None:
    from twisted.internet import reactor

    for line in stream:
        if line.strip():
            reactor.callFromThread(host.command, line)  # type: ignore[attr-defined]
    # stdin closed: whoever started the host is gone
    if parent_gone == "die":
        # A worker's host dies with its worker, as a killed worker's crawls always did: the lost runs
        # are closed as crashed and sent again to a live worker, never overlapped by these.
        logger.error("crawl host: the worker that started it is gone; exiting now")
        os._exit(1)
    reactor.callFromThread(host.stop)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsvault.crawl_host")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--parent-gone", choices=("stop", "die"), default="stop",
                        help="when stdin closes: stop the runs cleanly (default), or exit at once")
    args = parser.parse_args(argv)
    # The events have stdout to themselves: whatever else writes there goes to stderr instead.
    events = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    install_reactor(TWISTED_REACTOR)
    from scrapy.utils.log import configure_logging
    from twisted.internet import reactor

    if logjson.enabled():
        logjson.apply(args.log_level)
    else:
        configure_logging({"LOG_LEVEL": args.log_level})
    host = CrawlHost(args.config, args.log_level, events)

    def on_signal(signum: int, frame: object) -> None:
        reactor.callFromThread(host.stop)  # type: ignore[attr-defined]

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal's Ctrl-C is for whoever started the host
    threading.Thread(target=_read_commands, args=(host, sys.stdin, args.parent_gone), name="host-commands",
                     daemon=True).start()
    host._send({"event": "ready", "pid": os.getpid()})
    reactor.run(installSignalHandlers=False)  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
