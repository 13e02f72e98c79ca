"""End to end: `newsvault scheduler` processes firing crawls of the local news network.

Schedules are second-level intervals ("every 2s") so that each behaviour shows in seconds. Nothing
here asserts how fast anything is: only what happened, and in which order.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from e2e import REPO, manifest_records, newsvault
from newsnet import NewsNetwork

from state.backends import open_state

NAV_ONLY = b"""<!doctype html><html><head><title>The Daily Ledger</title></head><body>
<nav><a href="/">Home</a> <a href="/about.html">About</a> <a href="/tag/world/">World</a></nav>
<footer>Copyright The Daily Ledger</footer></body></html>"""


def write_config(network: NewsNetwork, root: Path, schedules: dict[str, str | None], *, timeout: float = 10,
                 **scheduler: str) -> Path:
    """A config crawling the named sites of the network (every page on every run: revisit 0s); `timeout`
    is the crawl's download timeout, which a stopping crawl waits for when a response hangs."""
    doc = tomlkit.parse(network.config_toml(root / "archive", "sqlite:///state.db", sources=list(schedules),
                                            extract_workers=1, revisit=["0s"], timeout=timeout))
    doc["scheduler"] = {"run_time_limit": "60s", "misfire_grace_time": "1m", **scheduler}
    for entry in doc["sources"]:
        if schedules[entry["id"]] is not None:
            entry["schedule"] = schedules[entry["id"]]
    path = root / "newsvault.toml"
    path.write_text(tomlkit.dumps(doc))
    return path


class Scheduler:
    """A `newsvault scheduler` process, its output in a log file (so that no pipe ever fills up)."""

    def __init__(self, config: Path, *args: str) -> None:
        self.config = config
        self.log = config.parent / f"scheduler-{time.monotonic_ns()}.log"
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "newsvault", "--config", str(config), "scheduler", *args],
                stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        wait_for(lambda: "scheduler started" in self.output(), what="the scheduler to start")
        self.started_at = datetime.now(UTC)

    def output(self) -> str:
        if self.process.poll() is not None and "scheduler started" not in self.log.read_text():
            raise AssertionError(f"the scheduler exited ({self.process.returncode}):\n{self.log.read_text()}")
        return self.log.read_text()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=90)

    def due_times(self, source: str) -> list[list[datetime]]:
        """For each run the scheduler started, the fire times it stood for, from its log."""
        marker = f"{source}: starting the run due at "
        return [[when(t) for t in line.split(marker, 1)[1].strip().split(", ")]
                for line in self.log.read_text().splitlines() if marker in line]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def schedulers() -> Iterator[list[Scheduler]]:
    started: list[Scheduler] = []
    yield started
    for scheduler in started:
        scheduler.kill()


def wait_for(condition: Callable[[], Any], *, what: str, timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def runs_of(config: Path, source: str) -> list[dict[str, Any]]:
    """The source's runs, oldest first."""
    state = open_state(f"sqlite:///{config.parent / 'state.db'}")
    try:
        return list(reversed(state.list_runs(source=source, limit=100)))
    finally:
        state.close()


def finished_runs(config: Path, source: str) -> list[dict[str, Any]]:
    return [r for r in runs_of(config, source) if r["status"] != "running"]


def schedule_list(config: Path) -> dict[str, dict[str, Any]]:
    done = newsvault("schedule", "list", "--json", config=config)
    assert done.returncode == 0, done.stderr
    return {row["source"]: row for row in json.loads(done.stdout)}


def when(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def slow_article(network: NewsNetwork, delay: float = 0.0, wait_for: threading.Event | None = None) -> str:
    """Make one article of "daily" answer after `delay` seconds, or once `wait_for` is set; returns its path."""
    article = next(a for a in network.articles if a.site_id == "daily")
    with urllib.request.urlopen(article.url) as response:
        body, content_type = response.read(), response.headers["Content-Type"]
    network.set_page("daily", article.path, body, content_type=content_type, delay=delay, wait_for=wait_for)
    network.clear_log()
    return article.path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_lists_only_complete_files(archive: Path, manifest: dict[str, Any]) -> None:
    for entry in manifest["files"]:
        data = (archive / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]
        if entry["kind"] == "articles":
            assert len(gzip.decompress(data).splitlines()) == entry["records"]
    listed = {entry["path"] for entry in manifest["files"]}
    run_files = {p.relative_to(archive).as_posix() for kind in ("articles", "snapshots")
                 for p in (archive / kind).rglob("*") if p.is_file() and manifest["run_id"] in p.name}
    assert run_files == listed  # no partial or temporary file of the run is left behind


# -- firing ------------------------------------------------------------------------------------------


def test_runs_fire_on_their_schedule_and_show_in_schedule_list_and_metrics(
    newsnet: NewsNetwork, tmp_path: Path, schedulers: list[Scheduler]
) -> None:
    config = write_config(newsnet, tmp_path, {"daily": "every 2s", "wire": "*/30 * * * *"})
    port = free_port()
    schedulers.append(scheduler := Scheduler(config, "--metrics-port", str(port)))

    # the first run (a delayed look may find the second one finished too)
    run = wait_for(lambda: finished_runs(config, "daily"), what="a run of daily")[0]
    wait_for(lambda: len(scheduler.due_times("daily")) >= 2, what="a second run of daily")
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
    # the second run may have finished (in a fraction of a second) before the metrics were read; the
    # runs finished by now are all those the metrics can count
    finished = finished_runs(config, "daily")
    listed = schedule_list(config)
    assert scheduler.stop() == 0

    due = [times[0] for times in scheduler.due_times("daily")]
    assert all((later - earlier).total_seconds() % 2 == 0 for earlier, later in zip(due, due[1:], strict=False))
    assert when(run["started_at"]) >= due[0].replace(microsecond=0)
    assert run["status"] == "ok" and run["counts"]["archived"] > 0
    assert listed["daily"]["state"] == "scheduled"
    assert when(listed["daily"]["next_run_time"]) > due[0]
    assert listed["daily"]["last_run"]["run_id"] >= run["run_id"]  # run ids sort by start time
    assert listed["wire"]["state"] == "scheduled"
    assert when(listed["wire"]["next_run_time"]).minute in (0, 30)
    assert listed["wire"]["last_run"] is None
    assert all(r["status"] == "ok" for r in finished)
    assert 1 <= metric(metrics, 'newsvault_runs_total{source="daily",status="ok"}') <= len(finished)
    assert 'newsvault_last_success_timestamp_seconds{source="daily"}' in metrics
    # later runs only re-check the unchanged pages: the first run's articles are all there are
    assert [r["counts"]["archived"] for r in finished[1:]] == [0] * (len(finished) - 1)
    assert metric(metrics, 'newsvault_articles_archived_total{source="daily"}') == run["counts"]["archived"]


def metric(exposition: str, series: str) -> float:
    """The value of one series (name and labels as exposed) in a Prometheus text exposition."""
    values = [float(line.rsplit(" ", 1)[1]) for line in exposition.splitlines() if line.startswith(series + " ")]
    assert len(values) == 1, (series, exposition)
    return values[0]


def test_a_slow_source_never_overlaps_itself_not_even_with_a_manual_crawl(
    newsnet: NewsNetwork, tmp_path: Path, schedulers: list[Scheduler]
) -> None:
    # the slow article answers once the manual crawl is over and the scheduler has fired again meanwhile
    # (not after a fixed time a loaded machine might spend starting the manual crawl)
    seen_both = threading.Event()
    slow_path = slow_article(newsnet, wait_for=seen_both)
    # the download timeout outlasts the hold
    config = write_config(newsnet, tmp_path, {"daily": "every 1s"}, timeout=120)
    schedulers.append(scheduler := Scheduler(config))

    try:
        wait_for(lambda: any(r.path.startswith(slow_path) for r in newsnet.requests),
                 what="the scheduled crawl to reach the slow article")
        manual = newsvault("crawl", "daily", config=config)
        wait_for(lambda: "maximum number of running instances reached" in scheduler.log.read_text(),
                 what="a fire of daily while its run goes on")
    finally:
        seen_both.set()
    wait_for(lambda: len(runs_of(config, "daily")) >= 2, what="a second run of daily")
    assert scheduler.stop() == 0
    runs = runs_of(config, "daily")

    assert manual.returncode == 1
    assert "skipping daily: already being crawled by a crawl of daily (pid" in manual.stderr
    assert runs[0]["status"] == "ok"
    assert all(r["sources"] == ["daily"] for r in runs)
    for earlier, later in zip(runs, runs[1:], strict=False):
        assert when(later["started_at"]) >= when(earlier["finished_at"])
    assert "maximum number of running instances reached" in scheduler.log.read_text()


def test_a_second_scheduler_refuses_to_start_and_schedule_run_hands_the_run_to_the_first(
    newsnet: NewsNetwork, tmp_path: Path, schedulers: list[Scheduler]
) -> None:
    config = write_config(newsnet, tmp_path, {"daily": "0 0 1 1 *"})
    schedulers.append(first := Scheduler(config))

    second = newsvault("scheduler", config=config, timeout=60)
    requested = newsvault("schedule", "run", "daily", config=config)
    (run,) = wait_for(lambda: finished_runs(config, "daily"), what="the requested run of daily")
    listed = schedule_list(config)
    assert first.stop() == 0

    assert second.returncode == 1
    assert "another scheduler is already running" in second.stderr
    assert f"pid {first.process.pid}" in second.stderr
    assert requested.returncode == 0
    assert f"run requested from the scheduler (pid {first.process.pid})" in requested.stdout
    assert run["status"] == "ok"
    assert listed["daily"]["state"] == "scheduled" and not listed["daily"]["run_requested"]
    assert when(listed["daily"]["next_run_time"]).month == 1  # the schedule itself is untouched


# -- restarts ----------------------------------------------------------------------------------------


def test_a_restart_keeps_schedules_and_pauses_and_runs_missed_while_down_fire_once(
    newsnet: NewsNetwork, tmp_path: Path, schedulers: list[Scheduler]
) -> None:
    config = write_config(newsnet, tmp_path, {"daily": "every 5s", "wire": "every 5s"})
    # Paused before any scheduler runs: paused once one runs, wire could fire first (its first fire
    # comes 5s after the start, and a `schedule pause` on a loaded machine can take longer than that).
    paused = newsvault("schedule", "pause", "wire", config=config)
    schedulers.append(first := Scheduler(config))
    assert first.stop() == 0
    runs_before = len(runs_of(config, "daily"))
    before = schedule_list(config)
    missed = when(before["daily"]["next_run_time"])
    # Down across two fire times of daily, `missed` and `missed + 5s`: on restart they fire as one run.
    time.sleep(max(0.0, missed.timestamp() + 5.5 - time.time()))

    schedulers.append(second := Scheduler(config))
    wait_for(lambda: len(runs_of(config, "daily")) > runs_before, what="the missed run of daily")
    after = schedule_list(config)
    assert second.stop() == 0

    assert paused.returncode == 0, paused.stderr
    assert before["wire"]["state"] == after["wire"]["state"] == "paused"
    assert after["wire"]["next_run_time"] is None
    assert runs_of(config, "wire") == []
    assert after["daily"]["state"] == "scheduled"
    fired = second.due_times("daily")
    catch_up = fired[0]
    assert len(catch_up) == 1  # one run for all the fire times missed while down
    assert catch_up[0] >= missed + timedelta(seconds=5)
    assert (catch_up[0] - missed).total_seconds() % 5 == 0
    # One run for the catch-up. The schedule goes on meanwhile (every 5s, while `schedule list` runs):
    # a run of its next fire time starts at that time or later, never before.
    next_fire = fired[1][0] if len(fired) > 1 else None
    restarted = runs_of(config, "daily")[runs_before:]
    assert len([r for r in restarted if next_fire is None or when(r["started_at"]) < next_fire]) == 1
    assert when(after["daily"]["next_run_time"]) > catch_up[0]


# -- stopping ----------------------------------------------------------------------------------------


def test_sigterm_mid_crawl_gives_an_interrupted_run_listing_only_complete_files(
    newsnet: NewsNetwork, tmp_path: Path, schedulers: list[Scheduler]
) -> None:
    # The stop waits for the hanging response until the download timeout: a short one (4s), still far
    # longer than the second after which the stop comes, and the article never arrives in it.
    slow_path = slow_article(newsnet, delay=30)
    config = write_config(newsnet, tmp_path, {"daily": "every 1s"}, timeout=4)
    schedulers.append(scheduler := Scheduler(config))
    others = {a.path for a in newsnet.articles if a.site_id == "daily" and a.path != slow_path}
    wait_for(lambda: any(r.path.startswith(slow_path) for r in newsnet.requests),
             what="the crawl to reach the slow article")
    # and another article: a loaded machine may take more than a second to ask for one
    wait_for(lambda: any(r.path in others for r in newsnet.requests), what="the crawl to ask for another article")
    time.sleep(1)  # the other articles' responses are in

    assert scheduler.stop() == 0

    (run,) = runs_of(config, "daily")
    assert run["status"] == "interrupted"
    assert run["finish_reason"] == "shutdown"
    assert_lists_only_complete_files(tmp_path / "archive", run)
    urls = {r["url"] for r in manifest_records(tmp_path / "archive", run)}
    assert urls and newsnet.url("daily", slow_path) not in urls
    assert run["counts"]["archived"] == len(urls)
    assert "interrupted" in scheduler.log.read_text()


def test_a_run_past_its_time_limit_stops_cleanly_and_keeps_what_it_archived(
    newsnet: NewsNetwork, tmp_path: Path
) -> None:
    # A run stopped at its limit waits for the hanging response until the download timeout (4s: the
    # slow article never arrives in it)
    slow_path = slow_article(newsnet, delay=30)
    config = write_config(newsnet, tmp_path, {"daily": None}, timeout=4, run_time_limit="3s")

    done = newsvault("schedule", "run", "daily", "--json", config=config, timeout=120)

    run = json.loads(done.stdout)
    assert done.returncode == 1  # a timeout did not do the whole job
    assert run["status"] == "timeout"
    assert run["finish_reason"] == "closespider_timeout"
    assert_lists_only_complete_files(tmp_path / "archive", run)
    urls = {r["url"] for r in manifest_records(tmp_path / "archive", run)}
    assert urls and newsnet.url("daily", slow_path) not in urls


# -- health ------------------------------------------------------------------------------------------


def test_the_health_check_flags_a_source_that_starts_serving_pages_without_article_text(
    newsnet: NewsNetwork, tmp_path: Path
) -> None:
    config = write_config(newsnet, tmp_path, {"daily": None})
    dailies = [a for a in newsnet.articles if a.site_id == "daily"]
    for run in range(3):
        # a live site: every crawl finds its stories updated, and extracts them again
        for article in dailies:
            newsnet.edit_article("daily", article.path, f"Update {run}: the council met again.")
        assert newsvault("crawl", config=config).returncode == 0
    healthy = newsvault("runs", "--check", config=config)
    for article in dailies:
        newsnet.set_page("daily", article.path, NAV_ONLY)
    assert newsvault("crawl", config=config).returncode == 0

    check = newsvault("runs", "--check", "--json", config=config)
    listing = newsvault("runs", config=config)

    assert healthy.returncode == 0, healthy.stdout
    assert check.returncode == 1
    report = {r["source"]: r for r in json.loads(check.stdout)}
    assert report["daily"]["flagged"]
    assert report["daily"]["yielded"] == 0
    assert report["daily"]["reasons"][0].startswith("yield dropped: 0 articles")
    assert "FLAGGED daily: yield dropped" in listing.stdout
