"""For researchers, on an S3 archive: `snapshot`, `history` and `replay` read a bucket as they read a
folder (moto's S3 server over HTTP), and a single capture costs one ranged GET, never a whole WARC.

The network is crawled twice into a bucket, with an edit in between, as in tests/test_replay.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from e2e import REPO, by_capture, crawl, manifest_records, newsvault, past_the_second_of
from newsnet import SEED_PATH, NewsNetwork
from s3server import S3Server, new_bucket

from archive import S3Store
from archive.reader import read_snapshot

EDIT = "Correction: an earlier version of this article misstated the year of the offensive."


@dataclass
class World:
    root: Path
    config: Path
    store: S3Store
    s3: S3Server
    first: dict[str, Any]
    second: dict[str, Any]
    edited_url: str

    def run(self, *args: str) -> Any:
        return newsvault(*args, config=self.config)

    def replay(self, target: str) -> dict[str, Any]:
        done = self.run("replay", "--since", self.first["started_at"], "--until", "2100-01-01",
                        "--to", target, "--json")
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout)


@pytest.fixture(scope="module")
def world(shared_dir: Path, s3_server: S3Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("replay-s3")
    uri = f"s3://{new_bucket(s3_server, 'replay')}/news"
    with NewsNetwork(shared_dir) as network:
        doc = tomlkit.parse(network.config_toml(uri, "sqlite:///state.db", revisit=["0s"]))
        doc["archive"]["endpoint_url"] = s3_server.endpoint_url  # type: ignore[index]
        config = root / "newsvault.toml"
        config.write_text(tomlkit.dumps(doc))
        first = crawl(config)
        past_the_second_of(first["finished_at"])  # the tests look at the archive as of that time
        edited = next(a for a in network.articles if a.site_id == "daily" and a.path != SEED_PATH)
        network.edit_article("daily", edited.path, EDIT)
        second = crawl(config)
        store = S3Store.from_uri(uri, endpoint_url=s3_server.endpoint_url, spool_dir=root / "spool")
        yield World(root, config, store, s3_server, first, second, edited.url)


def test_snapshot_reads_the_version_current_at_a_time_from_the_bucket(world: World) -> None:
    before = world.run("snapshot", world.edited_url, "--at", world.first["finished_at"], "--text")
    after = world.run("snapshot", world.edited_url, "--text")
    assert before.returncode == 0 and after.returncode == 0, before.stderr + after.stderr
    assert EDIT not in before.stdout and EDIT in after.stdout


def test_snapshot_raw_from_the_bucket_is_the_http_body_byte_for_byte(world: World) -> None:
    done = subprocess.run([sys.executable, "-m", "newsvault", "--config", str(world.config), "snapshot",
                           world.edited_url, "--raw"], capture_output=True, timeout=120, cwd=REPO)
    with urllib.request.urlopen(world.edited_url) as response:
        served = response.read()
    assert done.returncode == 0, done.stderr
    assert done.stdout == served


def test_a_single_capture_is_one_ranged_get_never_the_whole_warc(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    record = next(r for r in manifest_records(world.store, world.second) if r["url"] == world.edited_url)
    pointer = record["snapshot"]
    whole_warc = len(world.store.get_bytes(pointer["warc"]))

    def no_whole_files(key: str) -> bytes:
        raise AssertionError(f"fetched the whole of {key}")

    ranges: list[int] = []
    get_range = world.store.get_range

    def counted(key: str, offset: int, length: int) -> bytes:
        data = get_range(key, offset, length)
        ranges.append(len(data))
        return data

    monkeypatch.setattr(world.store, "get_bytes", no_whole_files)
    monkeypatch.setattr(world.store, "get_range", counted)
    response = read_snapshot(world.store, pointer)
    assert response.url == world.edited_url and EDIT.encode() in response.body
    assert ranges == [pointer["length"]] and pointer["length"] < whole_warc


def test_history_from_the_bucket_lists_both_versions_with_the_changed_paragraph(world: World) -> None:
    done = world.run("history", world.edited_url, "--json")
    assert done.returncode == 0, done.stderr
    versions = json.loads(done.stdout)
    assert [v["version"] for v in versions] == [1, 2]
    assert f"+{EDIT}" in versions[1]["diff"].splitlines()


def test_replay_from_a_bucket_into_a_bucket_rebuilds_identical_records(world: World) -> None:
    target_uri = f"s3://{new_bucket(world.s3, 'replayed')}/again"
    manifest = world.replay(target_uri)
    assert manifest["kind"] == "replay" and manifest["status"] == "ok"
    assert manifest["replay_of"] == [world.first["run_id"], world.second["run_id"]]
    target = S3Store.from_uri(target_uri, endpoint_url=world.s3.endpoint_url, spool_dir=world.root / "spool2")
    replayed = manifest_records(target, manifest)
    originals = manifest_records(world.store, world.first) + manifest_records(world.store, world.second)
    assert by_capture(replayed) == by_capture(originals)
    # the replayed records point into the source bucket, and their captures read back from it
    record = replayed[0]
    assert read_snapshot(world.store, record["snapshot"]).url == record["url"]


def test_replay_from_a_bucket_into_a_local_folder_rebuilds_identical_records(world: World) -> None:
    target = world.root / "replayed-locally"
    manifest = world.replay(str(target))
    assert manifest["status"] == "ok"
    originals = manifest_records(world.store, world.first) + manifest_records(world.store, world.second)
    assert by_capture(manifest_records(target, manifest)) == by_capture(originals)
