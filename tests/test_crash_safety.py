"""`kill -9` of `newsvault crawl` at random (seeded) moments, then a crawl that runs to its end.

After every kill, whatever a reader can see in the archive is complete; the next run marks the dead
one "crashed", lists in its manifest every part it had published, removes its temp files and goes
on without archiving any article twice.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from e2e import REPO, crawl, newsvault
from newsnet import NewsNetwork
from warcio.archiveiterator import ArchiveIterator

SEED = 20261126
KILLS = 4
MAX_ATTEMPTS = 3  # a kill that came after its run had ended is tried again, earlier
# Every record in a part of its own, published at once: many publications for a kill to land in.
QUICK_PARTS = {"NEWSVAULT_PART_MAX_RECORDS": 1, "NEWSVAULT_PART_MAX_AGE": 0.5}


@dataclass
class Killed:
    run_id: str | None
    after_parts: int
    extra_s: float
    # visible parts of the killed run right after the kill, path -> sha256
    parts: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    archive: Path
    config: Path
    network: NewsNetwork
    killed: list[Killed]
    final: dict[str, Any]


def visible_parts(archive: Path) -> dict[str, str]:
    """Every data file a reader can see (no hidden temp names), path -> sha256."""
    parts = {}
    for kind in ("articles", "snapshots"):
        for path in sorted((archive / kind).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                parts[path.relative_to(archive).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return parts


def visible_count(archive: Path) -> int:
    """How many data files a reader can see: counted, not read, so that a kill follows a publication
    closely (a run publishes its last parts in a burst, and hashing every file at each look lagged
    behind it by more than the burst on a loaded machine)."""
    return sum(1 for kind in ("articles", "snapshots") for path in (archive / kind).rglob("*")
               if path.is_file() and not path.name.startswith("."))


def temp_files(archive: Path) -> list[Path]:
    return [p for p in archive.rglob(".*") if p.is_file() and p.name.endswith(".tmp")]


def assert_complete(archive: Path, path: str) -> None:
    data = (archive / path).read_bytes()
    if path.endswith(".jsonl.gz"):
        lines = gzip.decompress(data).decode("utf-8").splitlines()
        assert lines and all(json.loads(line)["article_id"] for line in lines), path
    elif path.endswith(".cdxj"):
        lines = data.decode("utf-8").splitlines()
        assert lines and all(json.loads(line.split(" ", 2)[2])["filename"] for line in lines), path
    else:
        with open(archive / path, "rb") as raw:
            assert sum(1 for _ in ArchiveIterator(raw)) >= 3, path  # warcinfo, response, request


def records(archive: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted((archive / "articles").rglob("*.jsonl.gz")):
        if not path.name.startswith("."):
            out += [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    return out


def running_run(config: Path) -> str | None:
    runs = json.loads(newsvault("runs", "--json", config=config).stdout)
    return next((r["run_id"] for r in runs if r["status"] == "running"), None)


def crawl_then_kill(config: Path, archive: Path, parts: int, extra_s: float) -> None:
    """Start a crawl and SIGKILL it `extra_s` after it has published `parts` more files (or ended)."""
    env = {**os.environ, "NEWSVAULT_SCRAPY_SETTINGS": json.dumps(QUICK_PARTS)}
    before = visible_count(archive) if archive.exists() else 0
    # Its own session, so that the kill takes the extraction workers with it, as an OOM kill would.
    process = subprocess.Popen([sys.executable, "-m", "newsvault", "--config", str(config), "crawl"], cwd=REPO,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if archive.exists() and visible_count(archive) >= before + parts:
            break
        time.sleep(0.01)
    time.sleep(extra_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def world(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("crash")
    rng = random.Random(SEED)
    with NewsNetwork(shared_dir, pages_per_site=6) as network:
        config = root / "newsvault.toml"
        # revisit 0s, and every story edited before each crawl: every run has pages to archive (new
        # versions), so every kill lands in a run that is publishing
        config.write_text(network.config_toml(root / "archive", f"sqlite:///{root}/state.db", download_delay=0.1,
                                              revisit=["0s"]))
        killed = []
        for kill in range(KILLS):
            # A seeded moment: after some number of publications, plus a fraction of a second.
            parts, extra = rng.randint(0, 12), round(rng.uniform(0.0, 0.4), 3)
            for attempt in range(MAX_ATTEMPTS):
                for article in network.articles:
                    # (a line of its own in each story: one line in all of them is the site's template)
                    network.edit_article(article.site_id, article.path,
                                         f"Update {kill}.{attempt}: {article.path} goes on.")
                crawl_then_kill(config, root / "archive", parts, extra)
                victim = Killed(running_run(config), parts, extra)
                if victim.run_id is not None:
                    break
                # the run published its last parts in a burst and ended before the moment came (a
                # loaded machine): the same kill again, earlier in a run of the same kind
                parts, extra = parts // 2, extra / 2
            if victim.run_id is not None:
                victim.parts = {p: h for p, h in visible_parts(root / "archive").items()
                                if Path(p).name.startswith(victim.run_id)}
            # Invariant 1, checked right after each kill: what readers see is complete.
            for path in visible_parts(root / "archive"):
                assert_complete(root / "archive", path)
            killed.append(victim)
        final = crawl(config)
        yield World(root / "archive", config, network, killed, final)


def test_kills_landed_inside_runs(world: World) -> None:
    for victim in world.killed:
        print(f"killed {victim.run_id} {victim.extra_s}s after {victim.after_parts} publications: "
              f"{len(victim.parts)} of its files visible")
    assert sum(1 for k in world.killed if k.run_id) >= KILLS - 1
    assert any(k.parts for k in world.killed), "no kill came after a part was published"


def test_every_killed_run_is_marked_crashed(world: World) -> None:
    runs = {r["run_id"]: r for r in json.loads(newsvault("runs", "--json", config=world.config).stdout)}
    for victim in world.killed:
        if victim.run_id:
            assert runs[victim.run_id]["status"] == "crashed", victim
    assert world.final["status"] == "ok"


def test_parts_published_before_a_kill_are_intact_and_in_the_crashed_manifest(world: World) -> None:
    now = visible_parts(world.archive)
    for victim in world.killed:
        if not victim.run_id:
            continue
        manifest = json.loads((world.archive / "runs" / f"{victim.run_id}.json").read_text())
        listed = {f["path"]: f["sha256"] for f in manifest["files"]}
        assert listed == victim.parts, victim
        assert all(now[path] == digest for path, digest in victim.parts.items())
        articles = sum(f["records"] for f in manifest["files"] if f["kind"] == "articles")
        assert manifest["counts"]["archived"] == articles


def test_no_temp_file_outlives_the_runs(world: World) -> None:
    assert temp_files(world.archive) == []


def test_no_article_is_archived_twice_and_none_is_lost(world: World) -> None:
    archived = records(world.archive)
    twice = [key for key, n in Counter((r["article_id"], r["content_hash"]) for r in archived).items() if n > 1]
    assert twice == []
    urls = {r["url"] for r in archived}
    assert {a.url for a in world.network.articles} <= urls
