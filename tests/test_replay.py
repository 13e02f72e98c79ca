"""For researchers: `snapshot`, `history` and `replay` over a network crawled twice, with an edit between.

The first crawl archives every article; before the second, one article gets an extra paragraph, so
the second crawl archives it again as version 2. Each test states one thing a researcher relies on.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e import REPO, by_capture, crawl, manifest_records, newsvault, past_the_second_of
from newsnet import SEED_PATH, NewsNetwork
from sitecustom import refusing_first_part_with

from archive.history import is_trivial_change

EDIT = "Correction: an earlier version of this article misstated the year of the offensive."


@dataclass
class World:
    network: NewsNetwork
    root: Path
    config: Path
    archive: Path
    first: dict[str, Any]
    second: dict[str, Any]
    edited_url: str

    def records(self, *manifests: dict[str, Any], archive: Path | None = None) -> list[dict[str, Any]]:
        return [r for m in manifests for r in manifest_records(archive or self.archive, m)]

    def run(self, *args: str) -> Any:
        return newsvault(*args, config=self.config)

    def replay(self, target: Path, *options: str) -> dict[str, Any]:
        done = self.run("replay", "--since", self.first["started_at"], "--until", "2100-01-01",
                        "--to", str(target), "--json", *options)
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout)


@pytest.fixture(scope="module")
def world(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("replay")
    with NewsNetwork(shared_dir) as network:
        config = root / "newsvault.toml"
        config.write_text(network.config_toml("archive", "sqlite:///state.db", revisit=["0s"]))
        first = crawl(config)
        past_the_second_of(first["finished_at"])  # the tests look at the archive as of that time
        edited = next(a for a in network.articles if a.site_id == "daily" and a.path != SEED_PATH)
        network.edit_article("daily", edited.path, EDIT)
        second = crawl(config)
        yield World(network, root, config, root / "archive", first, second, edited.url)


def test_every_warc_part_has_a_sorted_cdxj_index_listed_in_its_manifest(world: World) -> None:
    from archive.cdxj import index_warc, parse_line

    kinds: set[str | None] = set()
    for manifest in (world.first, world.second):
        files = {f["path"]: f for f in manifest["files"]}
        for path, entry in files.items():
            if entry["kind"] != "snapshots":
                continue
            index = files[path.removesuffix(".warc.gz") + ".cdxj"]
            assert index["kind"] == "index"
            lines = (world.archive / index["path"]).read_text().splitlines()
            assert lines == sorted(lines, key=str.encode)
            with open(world.archive / path, "rb") as warc:
                assert lines == index_warc(warc, path)
            kinds |= {parse_line(line).kind for line in lines}
    assert {"article", "feed", "sitemap"} <= kinds


def test_snapshot_between_the_crawls_is_the_first_version_and_after_them_the_second(world: World) -> None:
    between = world.first["finished_at"]
    before = world.run("snapshot", world.edited_url, "--at", between, "--text")
    after = world.run("snapshot", world.edited_url, "--text")
    assert before.returncode == 0 and after.returncode == 0, before.stderr + after.stderr
    assert EDIT not in before.stdout
    assert EDIT in after.stdout
    assert before.stdout.replace("\n", "") in after.stdout.replace("\n", "")


def test_snapshot_shows_the_capture_header_then_the_page(world: World) -> None:
    done = world.run("snapshot", world.edited_url, "--at", world.first["finished_at"])
    assert done.returncode == 0, done.stderr
    header, _, body = done.stdout.partition("\n\n")
    fields = dict(line.split(":", 1) for line in header.splitlines())
    assert fields["url"].strip() == world.edited_url
    assert fields["status"].strip() == "200"
    assert fields["fetched_at"].strip() <= world.first["finished_at"]
    assert fields["warc"].strip().startswith("snapshots/source=daily/")
    assert "<html" in body.lower() and EDIT not in body


def test_snapshot_raw_is_the_http_body_byte_for_byte(world: World) -> None:
    done = subprocess.run([sys.executable, "-m", "newsvault", "--config", str(world.config), "snapshot",
                           world.edited_url, "--raw"], capture_output=True, timeout=120, cwd=REPO)
    with urllib.request.urlopen(world.edited_url) as response:
        served = response.read()
    assert done.returncode == 0, done.stderr
    assert done.stdout == served


def test_snapshot_finds_the_capture_under_a_tracking_tagged_or_differently_cased_url(world: World) -> None:
    tagged = world.edited_url + "?utm_source=newsletter#comments"
    done = world.run("snapshot", tagged.replace("http://127", "HTTP://127"), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["url"] == world.edited_url


def test_snapshot_of_an_unknown_url_or_before_any_crawl_exits_1_saying_so(world: World) -> None:
    unknown = world.run("snapshot", world.edited_url.replace(".html", "-missing.html"))
    assert unknown.returncode == 1
    assert "no stored capture of" in unknown.stderr
    too_early = world.run("snapshot", world.edited_url, "--at", "2000-01-01")
    assert too_early.returncode == 1
    assert "at or before 2000-01-01T00:00:00Z" in too_early.stderr


def test_history_lists_both_versions_with_the_changed_paragraph(world: World) -> None:
    done = world.run("history", world.edited_url, "--json")
    assert done.returncode == 0, done.stderr
    versions = json.loads(done.stdout)
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["fetched_at"] < versions[1]["fetched_at"]
    assert versions[0]["content_hash"] != versions[1]["content_hash"]
    assert versions[0]["diff"] is None
    assert f"+{EDIT}" in versions[1]["diff"].splitlines()
    assert versions[1]["trivial"] is False
    text = world.run("history", world.edited_url)
    assert "version 1" in text.stdout and "version 2" in text.stdout and f"+{EDIT}" in text.stdout


def test_history_of_an_unchanged_article_has_one_version(world: World) -> None:
    seed = next(a for a in world.network.articles if a.path == SEED_PATH)
    versions = json.loads(world.run("history", seed.url, "--json").stdout)
    assert [v["version"] for v in versions] == [1]


def test_trivial_changes_are_whitespace_or_a_timestamp_line() -> None:
    text = "Storms hit the coast on Monday.\nThousands were left without power."
    assert is_trivial_change(text, text.replace(" the ", "  the ") + "\n")
    assert is_trivial_change("Updated 12 May 2024, 10:32 BST\n" + text, "Updated 13 May 2024, 08:01 BST\n" + text)
    assert is_trivial_change(text + "\n2024-05-12 10:32", text + "\n2024-05-13 08:01")
    assert not is_trivial_change(text, text + "\nThe mayor resigned on Tuesday.")
    assert not is_trivial_change(text, text.replace("Thousands", "Hundreds"))


def test_replay_into_a_second_archive_rebuilds_identical_records(world: World) -> None:
    target = world.root / "replayed"
    manifest = world.replay(target)
    assert manifest["kind"] == "replay" and manifest["status"] == "ok"
    assert manifest["replay_of"] == [world.first["run_id"], world.second["run_id"]]
    assert manifest["source_archive"] == world.archive.resolve().as_uri()
    assert {f["kind"] for f in manifest["files"]} == {"articles"}  # no re-snapshot: pointers go to the source
    replayed = world.records(manifest, archive=target)
    assert all(r["run_id"] == manifest["run_id"] for r in replayed)
    assert by_capture(replayed) == by_capture(world.records(world.first, world.second))
    assert manifest["counts"]["archived"] == len(replayed)
    assert manifest["counts"]["new_versions"] == 1


def test_replay_with_another_extractor_option_says_so_in_its_manifest(world: World) -> None:
    target = world.root / "recall"
    manifest = world.replay(target, "--extractor-option", "favor_recall=true")
    assert manifest["extractor"]["options"]["favor_recall"] is True
    records = world.records(manifest, archive=target)
    assert records and all(r["extractor"]["options"]["favor_recall"] is True for r in records)
    stored = json.loads((target / "runs" / f"{manifest['run_id']}.json").read_text())
    assert stored == manifest


def test_a_replay_killed_after_some_parts_resumes_without_writing_them_twice(world: World) -> None:
    target = world.root / "resumed"
    first = world.replay(target)
    # As if killed before its manifest: only the parts and the journal are left.
    (target / "runs" / f"{first['run_id']}.json").unlink()
    resumed = world.replay(target)
    assert resumed["resumes"] == [first["run_id"]]
    assert resumed["counts"]["archived"] == 0
    recovered = json.loads((target / "runs" / f"{first['run_id']}.json").read_text())
    assert recovered["status"] == "crashed" and recovered["kind"] == "replay"
    replayed = world.records(recovered, resumed, archive=target)
    assert by_capture(replayed) == by_capture(world.records(world.first, world.second))


def test_a_replay_part_that_could_not_be_archived_is_replayed_again_on_resume(world: World) -> None:
    target = world.root / "refused"
    env = refusing_first_part_with(world.root / "refusing", "articles/")
    failed = newsvault("replay", "--since", world.first["started_at"], "--until", "2100-01-01",
                       "--to", str(target), "--json", config=world.config, env=env)
    assert failed.returncode == 1, failed.stderr[-3000:]
    first = json.loads(failed.stdout)
    assert first["status"] == "failed" and first["finish_reason"] == "archive_failed"
    # the part whose records were refused is not journaled as done: the next replay does it again,
    # and every capture ends up archived exactly once
    again = world.replay(target)
    assert again["status"] == "ok"
    replayed = world.records(first, again, archive=target)
    assert len(replayed) == len(by_capture(replayed))
    assert by_capture(replayed) == by_capture(world.records(world.first, world.second))


def test_replay_refuses_bad_options_and_a_crawl_archive_as_target(world: World) -> None:
    bad = world.run("replay", "--since", "2000-01-01", "--until", "2100-01-01", "--to",
                    str(world.root / "bad"), "--extractor-option", "favor_speed=true")
    assert bad.returncode == 2 and "unknown extractor option" in bad.stderr
    crawled = world.root / "crawled-copy"
    shutil.copytree(world.archive, crawled)
    refused = world.run("replay", "--since", "2000-01-01", "--until", "2100-01-01", "--to", str(crawled))
    assert refused.returncode == 2 and "holds crawl run" in refused.stderr
