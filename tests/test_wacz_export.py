"""Researchers hand a set of captures to a colleague as one WACZ file: `newsvault export --format wacz`.

One network, crawled twice a day apart (the clock moved with NEWSVAULT_NOW), an article edited in
between. Each test states one property of the package: it passes py-wacz's `wacz validate`, pywb
replays each version of the article from it, its index points at every copied record, its pages are
the archived records, and --since/--until/--source/--url-prefix pick exactly the captures the
archive's own indexes say they should. What a test expects is computed from the archive (its
manifests, CDXJ indexes and records), never from the package under test.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from e2e import as_store, crawl, manifest_records, newsvault, read_file
from newsnet import SEED_PATH, NewsNetwork
from newsnet.network import Article
from s3server import S3Server, new_bucket
from warcio.archiveiterator import ArchiveIterator
from webarchive_tools import tools_bin, wayback

from archive import S3Store
from archive.capture_selection import READ_BLOCK_BYTES, CaptureFilter, iter_exchanges, select_captures
from archive.cdxj import Capture, iter_index
from archive.reader import read_snapshot
from archive.wacz import PackageInfo, write_wacz

EDIT = "Correction: the committee published its findings on Thursday, not Wednesday."


@dataclass
class World:
    root: Path
    config: Path
    archive: Path
    network: NewsNetwork
    runs: list[dict[str, Any]]  # the two crawls' manifests
    edited: Article
    between: datetime  # after every capture of the first crawl, before every one of the second


@pytest.fixture(scope="module")
def world(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("wacz")
    first_clock = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    with NewsNetwork(shared_dir) as network:
        config = root / "newsvault.toml"
        config.write_text(network.config_toml("archive", "sqlite:///state.db", revisit=["0s"]))
        first = crawl(config, env={**os.environ, "NEWSVAULT_NOW": first_clock.isoformat()})
        edited = next(a for a in network.articles if a.site_id == "daily" and a.path != SEED_PATH)
        network.edit_article("daily", edited.path, EDIT)
        second = crawl(config, env={**os.environ, "NEWSVAULT_NOW": (first_clock + timedelta(days=1)).isoformat()})
        yield World(root, config, root / "archive", network, [first, second], edited,
                    first_clock + timedelta(hours=12))


@pytest.fixture(scope="session")
def tools() -> Path:
    return tools_bin()


class Package:
    """A written WACZ, read with zipfile."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def index_lines(self) -> list[bytes]:
        return self.read("indexes/index.cdx").splitlines()

    def captures(self) -> list[Capture]:
        return list(iter_index(self.read("indexes/index.cdx")))

    def pages(self) -> list[dict[str, Any]]:
        header, *pages = [json.loads(line) for line in self.read("pages/pages.jsonl").splitlines()]
        assert header["format"] == "json-pages-1.0" and header["hasText"] is True
        return pages

    def datapackage(self) -> dict[str, Any]:
        return json.loads(self.read("datapackage.json"))


def export(world: World, name: str, *args: str) -> tuple[dict[str, Any], Package]:
    target = world.root / name
    done = newsvault("export", "--format", "wacz", "--to", str(target), "--json", *args, config=world.config)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), Package(target)


@pytest.fixture(scope="module")
def everything(world: World) -> tuple[dict[str, Any], Package]:
    return export(world, "everything.wacz")


# -- what the archive itself says --------------------------------------------------------------------


def archive_captures(archive: Path) -> list[tuple[Capture, str]]:
    """Every capture the archive's run manifests index, with the run that made it."""
    found = []
    for run in sorted((archive / "runs").glob("*.json")):
        manifest = json.loads(run.read_text())
        for entry in manifest["files"]:
            if entry["kind"] == "index":
                found += [(c, manifest["run_id"]) for c in iter_index(read_file(archive, entry["path"]))]
    return found


def capture_keys(captures: list[Capture]) -> set[tuple[str, str, str | None]]:
    return {(c.url, c.timestamp, c.digest) for c in captures}


def page_captures(captures: list[tuple[Capture, str]], run: dict[str, Any] | None = None) -> list[Capture]:
    """The captures holding a page (all but 304 Not Modified answers), of one run or all."""
    return [c for c, run_id in captures if c.status != 304 and (run is None or run_id == run["run_id"])]


def archived_records(world: World) -> list[dict[str, Any]]:
    return [r for run in world.runs for r in manifest_records(world.archive, run)]


def page_keys(pages: list[dict[str, Any]]) -> set[tuple[str, str, str | None, str]]:
    return {(p["url"], p["ts"], p.get("title"), p["text"]) for p in pages}


def record_keys(records: list[dict[str, Any]]) -> set[tuple[str, str, str | None, str]]:
    return {(r["url"], r["fetched_at"], r["title"], r["text"]) for r in records}


def ts14(iso: str) -> str:
    return "".join(ch for ch in iso if ch.isdigit())[:14]


# -- the package --------------------------------------------------------------------------------------


@pytest.mark.timeout(600)  # a first run builds the tools' venv
def test_the_package_passes_wacz_validate(everything: tuple[dict[str, Any], Package], tools: Path) -> None:
    _, package = everything
    done = subprocess.run([str(tools / "wacz"), "validate", "-f", str(package.path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation succeeded" in done.stdout


@pytest.mark.timeout(600)  # a first run builds the tools' venv
def test_pywb_replays_each_version_of_the_article_from_the_package(
        world: World, everything: tuple[dict[str, Any], Package], tools: Path, tmp_path: Path) -> None:
    _, package = everything
    for command in (["wb-manager", "init", "news"], ["wb-manager", "add", "--unpack-wacz", "news", str(package.path)]):
        done = subprocess.run([str(tools / command[0]), *command[1:]], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    versions = sorted((r for r in archived_records(world) if r["url"] == world.edited.url),
                      key=lambda r: r["version"])
    assert [r["version"] for r in versions] == [1, 2]
    original = read_snapshot(as_store(world.archive), versions[0]["snapshot"]).body
    # an article the second crawl found unchanged: its server answered 304, which holds no page
    unchanged = next(r for r in manifest_records(world.archive, world.runs[0])
                     if r["source"] == "daily" and r["url"] != world.edited.url)
    refetch = next(c for c, run in archive_captures(world.archive)
                   if run == world.runs[1]["run_id"] and c.url == unchanged["url"])
    assert refetch.status == 304

    with wayback(tools, tmp_path) as base:
        def get(mode: str, record: dict[str, Any]) -> bytes:
            with urllib.request.urlopen(f"{base}/news/{ts14(record['fetched_at'])}{mode}/{record['url']}",
                                        timeout=30) as response:
                return bytes(response.read())

        assert get("id_", versions[0]) == original  # the page as first crawled, byte for byte
        assert EDIT.encode() in get("id_", versions[1])
        assert EDIT.encode() in get("mp_", versions[1])  # pywb's rewritten page, as a browser sees it
        # at the time of the 304, the page it confirmed
        unchanged_body = read_snapshot(as_store(world.archive), unchanged["snapshot"]).body
        assert get("id_", {**unchanged, "fetched_at": refetch.timestamp}) == unchanged_body


def test_every_file_is_listed_with_its_hash_and_the_digest_verifies_the_list(
        everything: tuple[dict[str, Any], Package]) -> None:
    _, package = everything
    datapackage = package.datapackage()
    assert datapackage["profile"] == "data-package" and datapackage["wacz_version"] == "1.1.1"
    assert datapackage["created"].endswith("Z") and datapackage["software"].startswith("newsvault ")
    names = set(package.zip.namelist())
    listed = {resource["path"]: resource for resource in datapackage["resources"]}
    assert set(listed) == names - {"datapackage.json", "datapackage-digest.json"}
    assert {"indexes/index.cdx", "pages/pages.jsonl"} <= set(listed)
    for path, resource in listed.items():
        data = package.read(path)
        assert resource["hash"] == f"sha256:{sha256(data).hexdigest()}" and resource["bytes"] == len(data), path
    digest = json.loads(package.read("datapackage-digest.json"))
    assert digest == {"path": "datapackage.json", "hash": f"sha256:{sha256(package.read('datapackage.json')).hexdigest()}"}
    warcs = [info for info in package.zip.infolist() if info.filename.startswith("archive/")]
    assert warcs and all(info.filename.endswith(".warc.gz") for info in warcs)
    assert all(info.compress_type == zipfile.ZIP_STORED for info in warcs)  # replay tools seek into them


def test_the_index_is_sorted_and_points_at_each_copied_response(
        world: World, everything: tuple[dict[str, Any], Package]) -> None:
    result, package = everything
    lines = package.index_lines()
    assert lines == sorted(lines)
    captures = package.captures()
    assert capture_keys(captures) == capture_keys(page_captures(archive_captures(world.archive)))
    assert result["captures"] == len(captures)
    for capture in captures:
        warc = package.read(f"archive/{capture.filename}")
        record = next(iter(ArchiveIterator(io.BytesIO(warc[capture.offset:capture.offset + capture.length]))))
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == capture.url
        assert record.rec_headers.get_header("WARC-Payload-Digest") == f"sha1:{capture.digest}"


def test_each_capture_comes_with_its_request_and_metadata_records(
        everything: tuple[dict[str, Any], Package]) -> None:
    result, package = everything
    by_type: dict[str, int] = {}
    concurrent: dict[str, set[str]] = {}
    for name in (n for n in package.zip.namelist() if n.startswith("archive/")):
        for record in ArchiveIterator(io.BytesIO(package.read(name))):
            by_type[record.rec_type] = by_type.get(record.rec_type, 0) + 1
            if record.rec_type in ("request", "metadata"):
                concurrent.setdefault(record.rec_headers.get_header("WARC-Concurrent-To"), set()).add(record.rec_type)
    assert by_type == {"warcinfo": result["warcs"], "response": result["captures"],
                       "request": result["captures"], "metadata": result["captures"]}
    assert result["warc_records"] == sum(by_type.values()) - result["warcs"]
    assert all(kinds == {"request", "metadata"} for kinds in concurrent.values())
    assert len(concurrent) == result["captures"]


def test_pages_are_the_archived_records_with_their_title_and_text(
        world: World, everything: tuple[dict[str, Any], Package]) -> None:
    result, package = everything
    pages = package.pages()
    records = archived_records(world)
    assert page_keys(pages) == record_keys(records)
    assert result["pages"] == len(pages) == len(records)
    assert len({p["id"] for p in pages}) == len(pages)
    edited = sorted((p for p in pages if p["url"] == world.edited.url), key=lambda p: p["version"])
    assert [p["version"] for p in edited] == [1, 2] and EDIT in edited[1]["text"] and EDIT not in edited[0]["text"]


class RangeLog:
    """An archive store that notes every read of a WARC part."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.whole: list[str] = []
        self.ranges: list[tuple[str, int, int]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def get_bytes(self, key: str) -> bytes:
        if key.endswith(".warc.gz"):
            self.whole.append(key)
        return bytes(self.store.get_bytes(key))

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        self.ranges.append((key, offset, length))
        return bytes(self.store.get_range(key, offset, length))


def test_warc_parts_are_read_by_ranges_of_bounded_size_never_whole(world: World) -> None:
    store = RangeLog(as_store(world.archive))
    selection = select_captures(store, CaptureFilter())  # type: ignore[arg-type]
    info = PackageInfo("t", "d", "newsvault test", datetime.now(UTC))
    write_wacz(io.BytesIO(), store, selection, info)  # type: ignore[arg-type]
    assert store.whole == []
    largest = max(c.exchange_length for part in selection.parts for c in part.captures)
    assert all(length <= max(READ_BLOCK_BYTES, largest) for _, _, length in store.ranges)
    # adjacent exchanges come in one read: a part whose captures all hold pages is read in two
    # (its warcinfo, then the rest), however many captures it has
    first_run = [p for p in selection.parts if p.run_id == world.runs[0]["run_id"]]
    assert len([r for r in store.ranges if r[0] in {p.key for p in first_run}]) == 2 * len(first_run)

    # read exchange by exchange instead, the same records come back
    for part in selection.parts:
        assert [records for _, records in iter_exchanges(store, part, block_bytes=1)] == \
               [records for _, records in iter_exchanges(store, part)]  # type: ignore[arg-type]


# -- selection ------------------------------------------------------------------------------------------


def test_since_and_until_select_by_capture_time(world: World) -> None:
    captures = archive_captures(world.archive)
    boundary = world.between.strftime("%Y-%m-%dT%H:%M:%SZ")
    later, package = export(world, "later.wacz", "--since", boundary)
    assert capture_keys(package.captures()) == capture_keys(page_captures(captures, world.runs[1]))
    assert later["runs"] == [world.runs[1]["run_id"]]
    assert later["not_modified"] == sum(1 for c, run in captures if run == world.runs[1]["run_id"] and c.status == 304) > 0
    # the second crawl fetched every article again; only the edited one got a record (version 2)
    assert [(p["url"], p["version"]) for p in package.pages()] == [(world.edited.url, 2)]

    earlier, package = export(world, "earlier.wacz", "--until", boundary)
    assert capture_keys(package.captures()) == capture_keys(page_captures(captures, world.runs[0]))
    assert page_keys(package.pages()) == record_keys(manifest_records(world.archive, world.runs[0]))
    assert earlier["since"] is None and earlier["until"] == boundary


def test_source_selects_that_sources_captures_and_records(world: World) -> None:
    result, package = export(world, "wire.wacz", "--source", "wire")
    wire_host = world.network.sites["wire"].base_url
    expected = [c for c in page_captures(archive_captures(world.archive)) if c.filename.split("/")[1] == "source=wire"]
    assert expected and capture_keys(package.captures()) == capture_keys(expected)
    assert all(c.url.startswith(wire_host) for c in package.captures())
    assert page_keys(package.pages()) == record_keys([r for r in archived_records(world) if r["source"] == "wire"])
    assert result["sources"] == ["wire"]


def test_url_prefix_selects_the_captures_under_it(world: World) -> None:
    prefix = world.network.sites["blog"].base_url + "/posts/"
    _, package = export(world, "posts.wacz", "--url-prefix", prefix)
    expected = [c for c in page_captures(archive_captures(world.archive)) if c.url.startswith(prefix)]
    assert expected and capture_keys(package.captures()) == capture_keys(expected)
    assert page_keys(package.pages()) == record_keys([r for r in archived_records(world) if r["url"].startswith(prefix)])


def test_an_empty_selection_fails_and_writes_nothing(world: World) -> None:
    target = world.root / "nothing.wacz"
    done = newsvault("export", "--format", "wacz", "--to", str(target), "--since", "2100-01-01", config=world.config)
    assert done.returncode == 1
    assert "no complete run holds captures fetched at or after 2100-01-01T00:00:00Z" in done.stderr
    assert not target.exists()


def test_a_damaged_warc_part_stops_the_export_and_leaves_the_old_file_alone(world: World, tmp_path: Path) -> None:
    shutil.copytree(world.archive, tmp_path / "archive")
    config = tmp_path / "newsvault.toml"
    config.write_text(world.config.read_text())
    part = next(entry["path"] for entry in world.runs[0]["files"] if entry["kind"] == "snapshots")
    damaged = tmp_path / "archive" / part
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    target = tmp_path / "out" / "collection.wacz"
    target.parent.mkdir()
    target.write_bytes(b"the previous package")

    done = newsvault("export", "--to", str(target), config=config)
    assert done.returncode == 1
    assert "not written" in done.stderr and part in done.stderr
    assert target.read_bytes() == b"the previous package"
    assert sorted(p.name for p in target.parent.iterdir()) == ["collection.wacz"]  # no temporary file left


def test_an_unwritable_target_fails_with_exit_1(world: World, tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("a file")
    done = newsvault("export", "--to", str(tmp_path / "not-a-folder" / "c.wacz"), config=world.config)
    assert done.returncode == 1
    assert "cannot write" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


@pytest.mark.parametrize(("to", "args", "message"), [
    ("collection.zip", ["--format", "wacz"], "ends in .wacz"),
    ("c.wacz", ["--since", "last tuesday"], "--since with --format wacz is a capture time"),
    ("c.wacz", ["--since", "2026-03-02", "--until", "2026-03-01"], "is not before"),
    ("c.wacz", ["--url-prefix", "example.com/news/"], "must start with http:// or https://"),
    ("records.jsonl", ["--until", "2026-03-01"], "apply to --format wacz only"),
])
def test_a_bad_selection_is_a_usage_error(world: World, to: str, args: list[str], message: str) -> None:
    done = newsvault("export", "--to", str(world.root / to), *args, config=world.config)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert not (world.root / to).exists()


def test_an_s3_archive_gives_the_same_package(
        world: World, everything: tuple[dict[str, Any], Package], s3_server: S3Server, tmp_path: Path) -> None:
    uri = f"s3://{new_bucket(s3_server, 'wacz')}/news"
    store = S3Store.from_uri(uri, endpoint_url=s3_server.endpoint_url, spool_dir=tmp_path / "spool")
    for path in sorted(p for p in world.archive.rglob("*") if p.is_file()):
        store.put_bytes(path.relative_to(world.archive).as_posix(), path.read_bytes())
    doc = tomlkit.parse(world.config.read_text())
    doc["archive"] = {"uri": uri, "endpoint_url": s3_server.endpoint_url}
    config = tmp_path / "newsvault.toml"
    config.write_text(tomlkit.dumps(doc))
    target = tmp_path / "from-s3.wacz"

    done = newsvault("export", "--to", str(target), config=config)
    assert done.returncode == 0, done.stderr
    _, local = everything
    remote = Package(target)
    assert remote.zip.namelist() == local.zip.namelist()
    for name in remote.zip.namelist():
        if name != "datapackage.json" and name != "datapackage-digest.json":
            assert remote.read(name) == local.read(name), name
