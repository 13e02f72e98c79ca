"""A cluster on one machine: a real redis-server (state, locks, Celery broker), moto's S3 server (the
shared archive) and `newsvault worker` processes crawling the local news network."""

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
from newsnet import NewsNetwork
from s3server import S3Server, new_bucket

from archive.stores import open_store
from newsvault.redis_state import RedisState

# The test of a lost worker waits for the visibility timeout: short limits there (grace 3s, so the
# visibility timeout must exceed 15s); roomy ones elsewhere, so a loaded machine never hits them.
SHORT_LIMITS = (12, 18)
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

    def start_worker(self, name: str, env: dict[str, str] | None = None) -> None:
        log = open(self.tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - the worker's stderr until it stops
        self.workers[name] = subprocess.Popen(
            [sys.executable, "-m", "newsvault", "--config", str(self.config), "worker", "--name", f"{name}@test"],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, **(env or {})})

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
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")[-4000:]

    def records(self, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for run in runs for r in manifest_records(self.store, run)]


def finished(runs: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    return [r for r in runs if source in r["sources"] and r["status"] not in ("running", "crashed")]


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


def test_one_source_never_runs_on_two_workers_at_once(cluster: Cluster) -> None:
    slow = {"NEWSVAULT_SCRAPY_SETTINGS": json.dumps({"DOWNLOAD_DELAY": 0.3})}
    cluster.start_worker("w1", slow)
    cluster.start_worker("w2", slow)
    cluster.enqueue("wire")
    cluster.enqueue("wire")
    # both tasks end: one ran the source, the other found it locked and skipped it
    runs = cluster.wait_for("the first run", lambda runs: bool(finished(runs, "wire")))
    time.sleep(3)  # room for a second run, if the lock let one start
    runs = cluster.runs()
    assert len([r for r in runs if "wire" in r["sources"]]) == 1
