"""A cluster on one machine: a real redis-server (state, locks, Celery broker), moto's S3 server (the
shared archive) and `newsvault worker` processes crawling the local news network; with the
`newsvault scheduler` sending them the due runs, and Flower watching them."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from e2e import REPO, manifest_records, newsvault
from newsnet import NewsNetwork
from s3server import S3Server, new_bucket

from archive.stores import open_store
from state.redis_state import RedisState

# The test of a lost worker waits for the visibility timeout: short limits there (grace 2.5s, so the
# visibility timeout must exceed 12.5s; the rescuing run takes 3-5s of its 10, on a loaded machine);
# roomy ones elsewhere, so a loaded machine never hits them.
SHORT_LIMITS = (10, 13)
ROOMY_LIMITS = (120, 300)
LEASE = 2


class Cluster:
    def __init__(self, tmp_path: Path, net: NewsNetwork, redis_uri: str, s3: S3Server,
                 limits: tuple[int, int] = ROOMY_LIMITS) -> None:
        self.tmp_path = tmp_path
        self.net = net
        self.s3 = s3
        self.bucket = new_bucket(s3, "cluster")
        self.state_uri = f"{redis_uri}?lease={LEASE}"
        doc = tomlkit.parse(net.config_toml(f"s3://{self.bucket}/news", self.state_uri))
        doc["archive"]["endpoint_url"] = s3.endpoint_url  # type: ignore[index]
        self.run_time_limit, self.visibility_timeout = limits
        doc["scheduler"] = {"run_time_limit": f"{limits[0]}s", "visibility_timeout": f"{limits[1]}s",
                            "worker_concurrency": 1}
        self.config = tmp_path / "newsvault.toml"
        self.config.write_text(tomlkit.dumps(doc))
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.store = open_store(f"s3://{self.bucket}/news", endpoint_url=s3.endpoint_url,
                                spool_dir=tmp_path / "reader-spool")

    def schedule(self, schedules: dict[str, str], **crawl: Any) -> None:
        """Give the named sources a `schedule` in the config (and set these [crawl] keys)."""
        doc = tomlkit.parse(self.config.read_text())
        doc["crawl"].update(crawl)  # type: ignore[union-attr]
        for entry in doc["sources"]:  # type: ignore[union-attr]
            if entry["id"] in schedules:
                entry["schedule"] = schedules[entry["id"]]
        self.config.write_text(tomlkit.dumps(doc))

    def start_worker(self, name: str, env: dict[str, str] | None = None, *args: str) -> None:
        log = open(self.tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - the worker's stderr until it stops
        self.workers[name] = subprocess.Popen(
            [sys.executable, "-m", "newsvault", "--config", str(self.config), "worker", "--name", f"{name}@test",
             *args],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, **(env or {})})

    def wait_ready(self, *names: str, timeout: float = 60) -> None:
        """Until the workers take tasks (Celery logs "NAME@test ready.")."""
        deadline = time.monotonic() + timeout
        for name in names:
            while f"{name}@test ready." not in self.log(name):
                assert self.workers[name].poll() is None, f"worker {name} exited:\n{self.log(name)}"
                assert time.monotonic() < deadline, f"worker {name} not ready:\n{self.log(name)}"
                time.sleep(0.2)

    def pending(self) -> list[str]:
        """Sources whose scheduled run is still queued or running."""
        state = RedisState(self.state_uri)
        try:
            return sorted(k.decode().rsplit(":", 1)[1] for k in state.redis.keys("nv:pending:*"))
        finally:
            state.close()

    def kill_worker(self, name: str) -> None:
        """kill -9 of the worker and everything it started, as when its machine is lost."""
        process = self.workers.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for process in self.workers.values():
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.workers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.workers.clear()

    def enqueue(self, *sources: str) -> None:
        done = newsvault("enqueue", *sources, config=self.config)
        assert done.returncode == 0, done.stderr

    def runs(self) -> list[dict[str, Any]]:
        state = RedisState(self.state_uri)
        try:
            return state.list_runs(limit=100)
        finally:
            state.close()

    def wait_for(self, what: str, ready: Callable[[list[dict[str, Any]]], bool], timeout: float = 120) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            runs = self.runs()
            if ready(runs):
                return runs
            for name, process in self.workers.items():
                assert process.poll() is None, f"worker {name} exited:\n{self.log(name)}"
            time.sleep(0.5)
        logs = "\n".join(f"--- {n}\n{self.log(n)}" for n in self.workers)
        raise AssertionError(f"timed out waiting for {what}; runs: {json.dumps(runs, indent=1)[-3000:]}\n{logs}")

    def log(self, name: str) -> str:
        path = self.tmp_path / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def records(self, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for run in runs for r in manifest_records(self.store, run)]


def finished(runs: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    return [r for r in runs if source in r["sources"] and r["status"] not in ("running", "crashed")]


class Service:
    """A long-running `newsvault` command (scheduler, flower) of the cluster, its output in a log file."""

    def __init__(self, cluster: Cluster, *args: str, ready: str, env: dict[str, str] | None = None) -> None:
        self.log = cluster.tmp_path / f"{args[0]}-{time.monotonic_ns()}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "newsvault", "--config", str(cluster.config), *args], cwd=REPO,
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 60
        while ready not in self.output():
            assert self.process.poll() is None, f"{args[0]} exited ({self.process.returncode}):\n{self.output()}"
            assert time.monotonic() < deadline, f"{args[0]} did not start:\n{self.output()}"
            time.sleep(0.2)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM, as systemd stops it; its exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def services() -> Iterator[list[Service]]:
    started: list[Service] = []
    yield started
    for service in started:
        service.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], Any], *, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def schedule_list(cluster: Cluster) -> dict[str, dict[str, Any]]:
    done = newsvault("schedule", "list", "--json", config=cluster.config)
    assert done.returncode == 0, done.stderr
    return {row["source"]: row for row in json.loads(done.stdout)}


def _cluster(tmp_path: Path, shared_dir: Path, redis_uri: str, s3: S3Server,
             limits: tuple[int, int]) -> Iterator[Cluster]:
    with NewsNetwork(shared_dir, syndicated=1) as net:
        cluster = Cluster(tmp_path, net, redis_uri, s3, limits)
        try:
            yield cluster
        finally:
            cluster.stop()


@pytest.fixture
def cluster(tmp_path: Path, shared_dir: Path, redis_uri: str, s3_server: S3Server) -> Iterator[Cluster]:
    yield from _cluster(tmp_path, shared_dir, redis_uri, s3_server, ROOMY_LIMITS)


@pytest.fixture
def short_cluster(tmp_path: Path, shared_dir: Path, redis_uri: str, s3_server: S3Server) -> Iterator[Cluster]:
    yield from _cluster(tmp_path, shared_dir, redis_uri, s3_server, SHORT_LIMITS)


def test_two_workers_archive_every_article_exactly_once_and_flag_the_syndicated_copies(cluster: Cluster) -> None:
    cluster.start_worker("w1")
    cluster.start_worker("w2")
    cluster.enqueue()  # every source, on the backfill queue
    sources = [s for s in ("wire", "daily", "blog")]
    runs = cluster.wait_for("a finished run of every source",
                            lambda runs: all(finished(runs, s) for s in sources))
    assert {r["status"] for r in runs} == {"ok"}
    records = cluster.records(runs)
    ids = Counter(r["article_id"] for r in records)
    assert ids and max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]
    assert {r["url"] for r in records} >= {a.url for a in cluster.net.articles}
    # one story, three texts: whichever worker claimed first holds the original, the others point at it
    (original, daily_copy), (_, blog_copy) = cluster.net.syndicated
    story = [r for r in records if r["url"] in {original.url, daily_copy.url, blog_copy.url}]
    assert len(story) == 3
    firsts = [r for r in story if r["duplicate_of"] is None]
    assert len(firsts) == 1
    assert {r["duplicate_of"] for r in story if r is not firsts[0]} == {firsts[0]["article_id"]}
    # `newsvault runs` says which worker ran what
    assert {r["worker"] for r in runs} <= {"w1@test", "w2@test"}
    table = newsvault("runs", config=cluster.config).stdout
    assert "worker" in table.splitlines()[0] and "@test" in table


def test_a_worker_killed_mid_run_has_its_run_redelivered_and_completed(short_cluster: Cluster) -> None:
    cluster = short_cluster
    # parts of one record, published as they fill: the dead run leaves finished parts behind
    slow = {"NEWSVAULT_SCRAPY_SETTINGS": json.dumps({"NEWSVAULT_PART_MAX_RECORDS": 1, "DOWNLOAD_DELAY": 0.7})}
    cluster.start_worker("doomed", slow)
    cluster.enqueue("wire")
    runs = cluster.wait_for("a published part", lambda runs: any(r["status"] == "running" for r in runs)
                            and bool(RedisState(cluster.state_uri).run_files(runs[0]["run_id"])))
    dead_run = runs[0]["run_id"]
    cluster.kill_worker("doomed")
    cluster.start_worker("rescuer")
    runs = cluster.wait_for("the redelivered run", lambda runs: bool(finished(runs, "wire")),
                            timeout=cluster.visibility_timeout + 90)
    by_id = {r["run_id"]: r for r in runs}
    assert by_id[dead_run]["status"] == "crashed"  # closed by the redelivered run, its parts kept
    completed = finished(runs, "wire")[0]
    assert completed["status"] == "ok" and completed["worker"] == "rescuer@test"
    for entry in by_id[dead_run]["files"]:
        import hashlib

        assert hashlib.sha256(cluster.store.get_bytes(entry["path"])).hexdigest() == entry["sha256"]
    records = cluster.records([by_id[dead_run], completed])
    ids = Counter(r["article_id"] for r in records)
    assert max(ids.values()) == 1  # nothing archived twice
    wire = {a.url for a in cluster.net.articles if a.site_id == "wire"}
    assert {r["url"] for r in records} >= wire


def test_a_lost_workers_runs_are_sent_again_within_a_minute_not_after_the_visibility_timeout(
    cluster: Cluster, services: list[Service]
) -> None:
    sources = ("wire", "daily", "blog")
    cluster.schedule(dict.fromkeys(sources, "every 2s"), extract_workers=1)
    # the doomed worker is slow, so it is busy with a run when it dies
    cluster.start_worker("doomed", {"NEWSVAULT_SCRAPY_SETTINGS": json.dumps(
        {"NEWSVAULT_PART_MAX_RECORDS": 1, "DOWNLOAD_DELAY": 0.7})})
    cluster.wait_ready("doomed")
    services.append(scheduler := Service(cluster, "scheduler", ready="scheduler started"))
    runs = cluster.wait_for("a run on the doomed worker", lambda runs: any(
        r["status"] == "running" and r.get("worker") == "doomed@test" for r in runs))
    cluster.start_worker("rescuer")
    cluster.wait_ready("rescuer")
    cluster.kill_worker("doomed")
    killed_at = time.monotonic()
    dead = {r["run_id"] for r in cluster.runs() if r["status"] == "running" and r.get("worker") == "doomed@test"}

    # every source completes a run after the death, well before the visibility timeout (300 s)
    def completed_after_the_death(runs: list[dict[str, Any]]) -> bool:
        return all(any(r["status"] == "ok" and r.get("worker") == "rescuer@test" for r in finished(runs, s))
                   for s in sources)

    runs = cluster.wait_for("a completed run of every source", completed_after_the_death, timeout=90)
    assert time.monotonic() - killed_at < 90 < cluster.visibility_timeout
    by_id = {r["run_id"]: r for r in runs}
    assert dead and all(by_id[run_id]["status"] == "crashed" for run_id in dead), \
        [(run_id, by_id[run_id]["status"], by_id[run_id].get("worker")) for run_id in dead]
    assert "was lost; run sent again" in scheduler.output()
    records = cluster.records([r for r in runs if r["status"] in ("ok", "crashed", "degraded")])
    ids = Counter(r["article_id"] for r in records)
    assert ids and max(ids.values()) == 1  # nothing archived twice


def test_each_worker_serves_the_metrics_of_the_runs_it_ran(cluster: Cluster) -> None:
    ports = {name: free_port() for name in ("w1", "w2")}
    for name, port in ports.items():
        cluster.start_worker(name, None, "--metrics-port", str(port))
    cluster.wait_ready("w1", "w2")
    cluster.enqueue()
    runs = cluster.wait_for("a finished run of every source",
                            lambda runs: all(finished(runs, s) for s in ("wire", "daily", "blog")))

    def counted(port: int) -> Counter[tuple[str, str]]:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
        found = re.findall(r'^newsvault_runs_total\{source="(\w+)",status="(\w+)"\} (\d+)', text, re.MULTILINE)
        return Counter({(source, status): int(float(n)) for source, status, n in found})

    # scraped from both workers and summed, as Prometheus would: every run of the cluster, once
    expected = Counter((r["sources"][0], r["status"]) for r in runs if r["status"] != "running")
    total = wait_until(lambda: (found := +(counted(ports["w1"]) + counted(ports["w2"]))) == expected and found,
                       what="every run in the workers' metrics", timeout=15)
    assert total == expected
    by_worker = Counter(r["worker"] for r in runs)
    assert sum(counted(ports["w1"]).values()) == by_worker["w1@test"]


def test_one_source_never_runs_on_two_workers_at_once(cluster: Cluster) -> None:
    slow = {"NEWSVAULT_SCRAPY_SETTINGS": json.dumps({"DOWNLOAD_DELAY": 0.3})}
    cluster.start_worker("w1", slow)
    cluster.start_worker("w2", slow)
    # both take tasks before any is sent: one ready only after the first run ended would run it again
    cluster.wait_ready("w1", "w2")
    cluster.enqueue("wire")
    cluster.enqueue("wire")
    # both tasks end: one ran the source, the other found it locked and skipped it
    runs = cluster.wait_for("the first run", lambda runs: bool(finished(runs, "wire")))
    time.sleep(3)  # room for a second run, if the lock let one start
    runs = cluster.runs()
    assert len([r for r in runs if "wire" in r["sources"]]) == 1


# -- the scheduler of a cluster ----------------------------------------------------------------------


def test_the_scheduler_sends_due_runs_to_the_workers_which_archive_every_article_exactly_once(
    cluster: Cluster, services: list[Service]
) -> None:
    sources = ("wire", "daily", "blog")
    cluster.schedule(dict.fromkeys(sources, "every 1s"), extract_workers=1)
    cluster.start_worker("w1")
    cluster.start_worker("w2")
    cluster.wait_ready("w1", "w2")
    services.append(scheduler := Service(cluster, "scheduler", ready="scheduler started"))

    cluster.wait_for("two finished runs of every source",
                     lambda runs: all(len(finished(runs, s)) >= 2 for s in sources))
    assert scheduler.stop() == 0
    # what the scheduler sent before it stopped still runs, on the workers
    wait_until(lambda: not cluster.pending(), what="the runs sent before the scheduler stopped")
    runs = cluster.runs()

    log = scheduler.output()
    assert "runs go to Celery workers" in log
    assert {r["worker"] for r in runs} == {"w1@test", "w2@test"}
    assert {r["status"] for r in runs} == {"ok"}
    for source in sources:
        # every due run was sent as one task while none of the source's was in flight, and ran once:
        # fires while it was queued or running were dropped, not piled up in the queue
        sent = len(re.findall(rf"\b{source}: sent to the workers \(task ", log))
        own = sorted((r for r in runs if r["sources"] == [source]), key=lambda r: r["started_at"])
        assert len(own) == sent >= 2
        for earlier, later in zip(own, own[1:], strict=False):
            assert later["started_at"] >= earlier["finished_at"]  # never two runs of one source at once
    assert "is still queued or running" in log
    records = cluster.records(runs)
    ids = Counter(r["article_id"] for r in records)
    assert ids and max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]
    assert {r["url"] for r in records} >= {a.url for a in cluster.net.articles}


def test_the_schedule_commands_edit_the_cluster_schedules_and_reach_the_running_scheduler(
    cluster: Cluster, services: list[Service]
) -> None:
    cluster.schedule({"daily": "every 2s", "wire": "0 0 1 1 *"}, extract_workers=1)
    paused = newsvault("schedule", "pause", "daily", config=cluster.config)  # no scheduler yet
    cluster.start_worker("w1")
    cluster.wait_ready("w1")
    services.append(scheduler := Service(cluster, "scheduler", ready="scheduler started"))
    pid = scheduler.process.pid

    second = newsvault("scheduler", config=cluster.config, timeout=60)
    requested = newsvault("schedule", "run", "wire", config=cluster.config)
    (wire_run,) = cluster.wait_for("the requested run of wire", lambda runs: finished(runs, "wire"))
    listed = schedule_list(cluster)
    table = newsvault("schedule", "list", config=cluster.config).stdout
    resumed = newsvault("schedule", "resume", "daily", config=cluster.config)
    (daily_run, *_) = cluster.wait_for("a run of daily after its resume", lambda runs: finished(runs, "daily"))
    assert scheduler.stop() == 0

    assert paused.returncode == 0, paused.stderr
    assert second.returncode == 1
    assert "another scheduler is already running" in second.stderr and f"pid {pid}" in second.stderr
    assert requested.returncode == 0, requested.stderr
    assert f"wire: run requested from the scheduler (pid {pid})" in requested.stdout
    assert wire_run["status"] == "ok" and wire_run["worker"] == "w1@test"
    assert listed["daily"]["state"] == "paused" and listed["daily"]["next_run_time"] is None
    assert listed["daily"]["last_run"] is None
    assert listed["wire"]["state"] == "scheduled" and not listed["wire"]["run_requested"]
    assert listed["wire"]["next_run_time"].startswith(f"{time.gmtime().tm_year + 1}-01-01T00:00")
    assert listed["wire"]["last_run"]["run_id"] == wire_run["run_id"]
    assert "daily" in table and "paused" in table and "no scheduler is running" not in table
    assert resumed.returncode == 0, resumed.stderr
    assert "daily: scheduled, next run" in resumed.stdout
    assert daily_run["status"] == "ok" and daily_run["worker"] == "w1@test"
    assert "daily: sent to the workers" in scheduler.output()


def test_a_scheduler_whose_lease_another_scheduler_took_stops_instead_of_firing_alongside_it(
    cluster: Cluster, services: list[Service]
) -> None:
    cluster.schedule({"daily": "0 0 1 1 *"})
    services.append(scheduler := Service(cluster, "scheduler", ready="scheduler started"))
    state = RedisState(cluster.state_uri)
    # as when this scheduler stalled past its lease and a scheduler on another machine took over
    other = {"what": "the scheduler", "pid": 4242, "host": "elsewhere", "token": "theirs"}
    state.redis.set("nv:lock:scheduler", json.dumps(other), px=60_000)
    state.close()

    status = scheduler.process.wait(timeout=30)

    assert status == 1
    assert "another scheduler took over" in scheduler.output()
    assert "pid 4242 on elsewhere" in scheduler.output()


# -- Flower ------------------------------------------------------------------------------------------


def flower_get(port: int, path: str, auth: str | None = "ops:secret") -> tuple[int, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if auth is not None:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def heard_from(port: int) -> set[str]:
    """The workers on Flower's dashboard: those it has received events from."""
    status, page = flower_get(port, "/workers?json=1")
    return {w["hostname"] for w in page["data"]} if status == 200 else set()


def test_flower_shows_the_workers_and_the_runs_they_ran(cluster: Cluster, services: list[Service]) -> None:
    cluster.start_worker("w1")
    cluster.wait_ready("w1")
    port = free_port()
    # FLOWER_BASIC_AUTH asks for a login, which also opens Flower's HTTP API
    services.append(flower := Service(cluster, "flower", "--port", str(port), ready="Visit me at",
                                      env={"FLOWER_BASIC_AUTH": "ops:secret"}))
    workers = wait_until(lambda: (got := flower_get(port, "/api/workers?refresh=1"))[0] == 200
                         and "w1@test" in got[1] and got[1], what="Flower to see the worker")
    # Flower knows the tasks it saw the events of: it listens to them before the run is sent
    wait_until(lambda: "w1@test" in heard_from(port), what="the worker's heartbeat events in Flower")
    cluster.enqueue("wire")
    (run,) = cluster.wait_for("the run of wire", lambda runs: finished(runs, "wire"))
    tasks = wait_until(lambda: [t for t in (flower_get(port, "/api/tasks")[1] or {}).values()
                                if t["state"] == "SUCCESS"], what="the finished task in Flower")
    unauthenticated = flower_get(port, "/api/workers", auth=None)[0]
    assert flower.stop() == 0

    assert sorted(q["name"] for q in workers["w1@test"]["active_queues"]) == ["backfill", "scheduled"]
    (task,) = tasks
    assert task["name"] == "newsvault.crawl_source" and task["worker"] == "w1@test"
    assert "wire" in task["args"]
    assert run["run_id"] in task["result"]
    assert unauthenticated == 401
    assert "127.0.0.1" in flower.output()  # only on this machine unless --address says otherwise
