"""Crawl hosts: many runs in one long-lived process, each still its own run, and a host that dies
takes down only its runs in flight, which lose no record they reported.

Real hosts (`python -m newsvault.crawl_host`) started by the scheduler's dispatcher, crawling a
loopback site; what they did is read from the state and the archive as an operator would."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from e2e import REPO, manifest_records, newsvault
from pagesite import HARBOUR_STORY, PageSite
from wire_spacing import too_close

from newsvault.config import load_config
from scheduler.dispatch import Dispatcher, RunResult
from state.backends import open_state

SLOW = {"DOWNLOAD_DELAY": 0.4, "NEWSVAULT_PART_MAX_RECORDS": 1}


def article(n: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in [*HARBOUR_STORY[:3], f"This is harbour story number {n}."])
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour story {n}</title>'
            '<meta property="article:published_time" content="2026-11-20T08:00:00+00:00"></head><body>'
            f'<main><article><h1>Harbour story {n}</h1><p class="byline">By Ann Lee</p>{body}</article></main>'
            '</body></html>')


def publish(site: PageSite, count: int, feed: str = "/feed.xml", first: int = 1) -> None:
    paths = [f"/news/{n}" for n in range(first, first + count)]
    for n, path in enumerate(paths, first):
        site.html(path, article(n))
    items = "".join(f"<item><title>{p}</title><link>{site.url(p)}</link></item>" for p in paths)
    site.xml(feed, f'<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>{items}</channel></rss>')


def write_config(root: Path, site: PageSite, *, crawl: dict[str, Any] | None = None,
                 scheduler: dict[str, Any] | None = None, sources: dict[str, str] | None = None,
                 schedule: str | None = None) -> Path:
    doc = tomlkit.document()
    doc["archive"] = {"uri": str(root / "archive")}
    doc["state"] = {"uri": f"sqlite:///{root}/state.db"}
    doc["crawl"] = {"user_agent": "newsvault-test", "download_delay": 0, "timeout": 5, "revisit": ["0s"],
                    "extract_workers": 1, **(crawl or {})}
    if scheduler:
        doc["scheduler"] = scheduler
    table = tomlkit.aot()
    for source_id, feed in (sources or {"harbour": "/feed.xml"}).items():
        table.append(tomlkit.item({"id": source_id, "feeds": [site.url(feed)], "allowed_domains": ["127.0.0.1"],
                                   **({"schedule": schedule} if schedule else {})}))
    doc["sources"] = table
    root.mkdir(parents=True, exist_ok=True)
    path = root / "newsvault.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def dispatchers() -> Iterator[Callable[..., Dispatcher]]:
    started: list[Dispatcher] = []

    def start(config: Path, *, scrapy: dict[str, Any] | None = None) -> Dispatcher:
        env = {**os.environ, "NEWSVAULT_SCRAPY_SETTINGS": json.dumps(scrapy or {})}
        loaded = load_config(config)
        dispatcher = Dispatcher(loaded, time_limit=loaded.scheduler.run_time_limit, log_level="INFO", env=env)
        started.append(dispatcher)
        return dispatcher

    yield start
    for dispatcher in started:
        dispatcher.close(timeout=30)


def journal(config: Path) -> dict[str, dict[str, Any]]:
    state = open_state(load_config(config).state.uri)
    try:
        return {run["run_id"]: run for run in state.list_runs(limit=100)}
    finally:
        state.close()


def records(config: Path, results: list[RunResult]) -> list[dict[str, Any]]:
    archive = Path(load_config(config).archive.uri)
    return [r for result in results if result.manifest for r in manifest_records(archive, result.manifest)]


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_runs_in_one_host_each_take_the_config_as_it_is_then_and_share_no_state(tmp_path, dispatchers) -> None:
    with PageSite() as site:
        publish(site, 4)
        config = write_config(tmp_path, site, crawl={"max_articles_per_run": 1})
        dispatcher = dispatchers(config)
        first = dispatcher.run("harbour")
        # the operator edits the file between two runs; the host that ran the first runs the second
        write_config(tmp_path, site, crawl={"max_articles_per_run": 3, "user_agent": "newsvault-edited"})
        second = dispatcher.run("harbour")

    assert first is not None and second is not None
    assert (first.status, second.status) == ("ok", "ok")
    runs = journal(config)
    assert runs[first.manifest["run_id"]]["pid"] == runs[second.manifest["run_id"]]["pid"]  # one host
    assert first.manifest["run_id"] != second.manifest["run_id"]
    # each run's own settings and counts: one article, then the three left, nothing counted twice
    assert (first.source_counts["archived"], second.source_counts["archived"]) == (1, 3)
    assert second.source_counts["fetched"] == 3
    urls = Counter(r["url"] for r in records(config, [first, second]))
    assert len(urls) == 4 and max(urls.values()) == 1
    assert {f["path"] for f in first.manifest["files"]}.isdisjoint(f["path"] for f in second.manifest["files"])


def test_several_runs_at_once_in_one_host_each_with_its_own_manifest(tmp_path, dispatchers) -> None:
    with PageSite() as site:
        publish(site, 3, "/a.xml", first=1)
        publish(site, 3, "/b.xml", first=10)
        config = write_config(tmp_path, site, sources={"alpha": "/a.xml", "beta": "/b.xml"})
        dispatcher = dispatchers(config, scrapy={"DOWNLOAD_DELAY": 0.2})
        futures = [dispatcher.submit([source]) for source in ("alpha", "beta")]
        wait_until(lambda: len(dispatcher.running) == 2, "both runs in flight at once")
        alpha, beta = (future.result(timeout=120)[0] for future in futures)

    assert (alpha.status, beta.status) == ("ok", "ok")
    assert alpha.manifest["sources"] == ["alpha"] and beta.manifest["sources"] == ["beta"]
    assert (alpha.source_counts["archived"], beta.source_counts["archived"]) == (3, 3)
    assert {r["source"] for r in records(config, [alpha])} == {"alpha"}


def test_a_host_killed_mid_run_loses_no_reported_record_and_the_next_run_gets_a_new_host(
        tmp_path, dispatchers) -> None:
    with PageSite() as site:
        publish(site, 8)
        config = write_config(tmp_path, site)
        dispatcher = dispatchers(config, scrapy=SLOW)
        future = dispatcher.submit(["harbour"])
        state = open_state(load_config(config).state.uri)
        try:
            def part_published() -> bool:
                running = [r for r in state.list_runs(limit=5) if r["status"] == "running"]
                return bool(running) and bool(state.run_files(running[0]["run_id"]))

            wait_until(part_published, "a published part of the running run")
        finally:
            state.close()
        [host] = dispatcher.hosts.host_pids
        os.kill(host, signal.SIGKILL)  # a segfault, the OOM killer
        crashed = future.result(timeout=60)[0]
        again = dispatcher.run("harbour")

    assert crashed.status == "crashed" and crashed.manifest is not None
    assert f"crawl host (pid {host}) exited" in crashed.detail
    assert journal(config)[crashed.manifest["run_id"]]["status"] == "crashed"
    kept = records(config, [crashed])
    assert kept and len(kept) == crashed.manifest["counts"]["archived"]  # every reported record is there
    assert again is not None and again.status == "ok"
    assert journal(config)[again.manifest["run_id"]]["pid"] != host
    urls = Counter(r["url"] for r in records(config, [crashed, again]))
    assert len(urls) == 8 and max(urls.values()) == 1  # the rest archived by the next run, nothing twice


def test_stopping_interrupts_the_runs_in_flight_cleanly(tmp_path, dispatchers) -> None:
    with PageSite() as site:
        publish(site, 6, "/a.xml", first=1)
        publish(site, 6, "/b.xml", first=10)
        config = write_config(tmp_path, site, sources={"alpha": "/a.xml", "beta": "/b.xml"})
        dispatcher = dispatchers(config, scrapy=SLOW)
        futures = [dispatcher.submit([source]) for source in ("alpha", "beta")]
        wait_until(lambda: sum(r["status"] == "running" for r in journal(config).values()) == 2, "two runs")
        time.sleep(1.0)
        dispatcher.stop()  # what SIGTERM to the scheduler does
        results = [future.result(timeout=60)[0] for future in futures]

    for result in results:
        assert result.status == "interrupted" and result.manifest is not None
        assert "closed_by" not in result.manifest  # closed by its own run, not salvaged
        assert len(records(config, [result])) == result.source_counts["archived"]


def test_a_host_is_replaced_after_its_runs_and_killed_over_its_memory_limit(tmp_path, dispatchers) -> None:
    with PageSite() as site:
        publish(site, 1)
        config = write_config(tmp_path, site, scheduler={"host_max_runs": 2})
        dispatcher = dispatchers(config)
        results = [dispatcher.run("harbour") for _ in range(3)]
        runs = journal(config)
        pids = [runs[r.manifest["run_id"]]["pid"] for r in results if r is not None and r.manifest]
        assert len(pids) == 3 and pids[0] == pids[1] != pids[2]

        small = write_config(tmp_path / "small", site, scheduler={"host_memory_limit_mb": 64})
        over = dispatchers(small, scrapy=SLOW).run("harbour")

    # Scrapy alone takes more than 64 MiB: the host is killed, and its run closed as crashed
    assert over is not None and over.status == "crashed"
    assert "over its 64 MiB limit: killed" in over.detail


def test_quiet_sources_due_together_share_one_run_and_each_keeps_its_own_counts(tmp_path) -> None:
    with PageSite() as site:
        for name, first in (("a", 1), ("b", 10), ("c", 20)):
            publish(site, 1, f"/{name}.xml", first=first)
        config = write_config(tmp_path, site, crawl={"revisit": ["1h"]}, schedule="every 2s",
                              sources={"alpha": "/a.xml", "beta": "/b.xml", "gamma": "/c.xml"})
        log = tmp_path / "scheduler.log"
        with open(log, "w") as out:
            scheduler = subprocess.Popen([sys.executable, "-m", "newsvault", "--config", str(config), "scheduler"],
                                         stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            # first runs alone (a source never crawled is busy), then together once all are quiet
            batch = wait_until(lambda: next((r for r in journal(config).values() if r["status"] == "ok"
                                             and sorted(r["sources"]) == ["alpha", "beta", "gamma"]), None),
                               "a run of the three quiet sources", timeout=90)
        finally:
            scheduler.send_signal(signal.SIGTERM)
            assert scheduler.wait(timeout=60) == 0, log.read_text()[-3000:]

    assert set(batch["per_source"]) == {"alpha", "beta", "gamma"}
    assert all(counts["fetched"] == 0 for counts in batch["per_source"].values())
    assert "of 3 quiet sources: ok" in log.read_text()
    # each source's own history still shows it: one article archived each, all healthy
    check = newsvault("runs", "--check", config=config)
    assert check.returncode == 0, check.stdout + check.stderr
    for source in ("alpha", "beta", "gamma"):
        listed = json.loads(newsvault("runs", "--source", source, "--json", config=config).stdout)
        assert batch["run_id"] in {r["run_id"] for r in listed}
        assert sum(r.get("per_source", {}).get(source, r.get("counts", {})).get("archived", 0)
                   for r in listed if r["status"] == "ok") == 1


SHARED_DELAY = 0.5  # the site's download delay, which two runs of one host share


def test_two_runs_reaching_one_site_in_one_host_keep_its_delay_between_them(tmp_path, dispatchers) -> None:
    with PageSite() as site:
        publish(site, 3, "/a.xml", first=1)
        publish(site, 3, "/b.xml", first=10)
        config = write_config(tmp_path, site, crawl={"download_delay": SHARED_DELAY},
                              sources={"alpha": "/a.xml", "beta": "/b.xml"})
        dispatcher = dispatchers(config)
        futures = [dispatcher.submit([source]) for source in ("alpha", "beta")]
        results = [future.result(timeout=120)[0] for future in futures]
        times = sorted(t for t, path in zip(site.request_times, site.requests, strict=True)
                       if path.startswith("/news/"))

    assert [r.status for r in results] == ["ok", "ok"]
    assert len(times) == 6
    # one site, one pace: its six articles the delay apart, though two runs fetched them side by side
    gaps = [round(b - a, 3) for a, b in zip(times, times[1:], strict=False)]
    # (server-side times: a request held back on a busy machine makes the next one look close to it,
    # the two gaps around it still add up to two delays; two paces of their own come closer: < delay / 2)
    assert not too_close(gaps, SHARED_DELAY), gaps


def test_a_source_lock_taken_twice_in_one_process_stays_held_by_its_first_holder(tmp_path) -> None:
    from scheduler.file_locks import FileLock, holder_if_locked
    from scheduler.lock_types import LockBusy

    path = tmp_path / "source-harbour.lock"
    first = FileLock(path, "a crawl of harbour").acquire()
    # a second run of the source in the same crawl host is refused, as another process would be
    with pytest.raises(LockBusy) as busy:
        FileLock(path, "a crawl of harbour").acquire()
    assert busy.value.holder["pid"] == os.getpid()
    assert holder_if_locked(path)["what"] == "a crawl of harbour"
    # ... and asking did not drop the lock: another process still cannot take it
    probe = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from scheduler.file_locks import holder_if_locked; "
                            "sys.exit(0 if holder_if_locked(Path(sys.argv[1])) else 1)", str(path)],
                           cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert probe.returncode == 0
    first.release()
    assert holder_if_locked(path) is None
