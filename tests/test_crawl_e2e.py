"""End to end: `newsvault crawl` over the local news network, as a user runs it.

One network, three crawls: a first crawl, a second over the unchanged network, and a third after an
article was edited, with the clock (NEWSVAULT_NOW) moved past the first revisit interval. Each test below states one property of what those crawls archived, and holds for
both archive backends: a local folder and an S3 bucket (moto's server over HTTP), read through the
same ArchiveStore interface.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomlkit
from e2e import archive_files, crawl, manifest_records, newsvault, read_file, read_range
from newsnet import SECRET_PATH, SEED_BOILERPLATE, SEED_PATH, TRACKING_QUERY, NewsNetwork
from s3server import S3Server
from warcio.archiveiterator import ArchiveIterator

from archive import ArchiveStore, FSStore, S3Store
from core.record import RECORD_FIELDS, canonicalize_url, record_schema

# A page at an article address that holds no article: it must be counted, never archived.
GALLERY_PATH = "/2024/05/photo-gallery.html"
GALLERY_HTML = b"""<!doctype html><html><head><title>Gallery</title></head><body>
<nav><a href="/">Home</a> <a href="/about.html">About</a></nav>
<div class="gallery"><img src="/a.jpg"><img src="/b.jpg"></div>
<footer>Copyright The Daily Ledger</footer></body></html>"""
EDIT = "Correction: an earlier version of this article misstated the year of the offensive."


@dataclass
class World:
    backend: str
    network: NewsNetwork
    config: Path
    archive: ArchiveStore
    first: dict[str, Any]
    second: dict[str, Any]
    third: dict[str, Any]
    first_requests: list[Any]
    edited_path: str
    second_requests: list[Any]

    def records(self, manifest: dict[str, Any]) -> list[dict[str, Any]]:
        return manifest_records(self.archive, manifest)


def _add_gallery_link(network: NewsNetwork) -> None:
    home = network.url("daily", "/")
    with urllib.request.urlopen(home) as response:
        html = response.read()
    html = html.replace(b"</body>", f'<a href="{GALLERY_PATH}">Photos</a></body>'.encode())
    network.set_page("daily", "/", html)
    network.set_page("daily", GALLERY_PATH, GALLERY_HTML)


# Records of each backend's first crawl, made comparable: the identical-records test reads both.
FIRST_RECORDS: dict[str, list[dict[str, Any]]] = {}


def _archive(backend: str, request: pytest.FixtureRequest, root: Path) -> tuple[str, dict[str, str], ArchiveStore]:
    if backend == "folder":
        return "archive", {}, FSStore(root / "archive")
    server: S3Server = request.getfixturevalue("s3_server")
    bucket = server.create_bucket(f"e2e-{root.name.lower().replace('_', '-')}")
    uri = f"s3://{bucket}/news/archive"
    return uri, {"endpoint_url": server.endpoint_url}, S3Store.from_uri(
        uri, endpoint_url=server.endpoint_url, spool_dir=root / "spool")


@pytest.fixture(scope="module", params=["folder", "s3"])
def world(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[World]:
    root = tmp_path_factory.mktemp(f"e2e-{request.param}")
    uri, archive_options, store = _archive(request.param, request, root)
    with NewsNetwork(shared_dir) as network:
        _add_gallery_link(network)
        config = root / "newsvault.toml"
        doc = tomlkit.parse(network.config_toml(uri, "sqlite:///state.db"))
        doc["archive"].update(archive_options)  # type: ignore[union-attr]
        config.write_text(tomlkit.dumps(doc))
        network.clear_log()
        first = crawl(config)
        first_requests = list(network.requests)
        second = crawl(config)
        second_requests = list(network.requests)[len(first_requests):]
        edited = next(a for a in network.articles if a.site_id == "daily" and a.path != SEED_PATH)
        network.edit_article("daily", edited.path, EDIT)
        # an hour and more later (a fake clock): every known article is due for its first revisit
        later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
        third = crawl(config, env={**os.environ, "NEWSVAULT_NOW": later})
        world = World(request.param, network, config, store, first, second, third, first_requests, edited.path,
                      second_requests)
        FIRST_RECORDS[request.param] = comparable(world.records(first), network)
        yield world


def comparable(records: list[dict[str, Any]], network: NewsNetwork) -> list[dict[str, Any]]:
    """Records without what differs between two crawls of two networks: hosts and ports, run ids,
    fetch times and WARC file names; article ids (hashes of URLs) become the URLs they stand for."""
    bases = {site.url("/").rstrip("/"): f"site:{site_id}" for site_id, site in network.sites.items()}

    def local(value: Any) -> Any:
        if isinstance(value, str):
            for base, name in bases.items():
                value = value.replace(base, name)
            return value
        if isinstance(value, list):
            return [local(v) for v in value]
        if isinstance(value, dict):
            return {k: local(v) for k, v in value.items()}
        return value

    urls = {r["article_id"]: local(r["canonical_url"]) for r in records}
    out = []
    for record in records:
        same = {k: local(v) for k, v in record.items() if k not in ("run_id", "fetched_at", "snapshot")}
        same["article_id"] = urls[record["article_id"]]
        same["duplicate_of"] = urls.get(record["duplicate_of"], record["duplicate_of"])
        out.append(same)
    return sorted(out, key=lambda r: r["url"])


def test_first_crawl_archives_every_article_of_every_source(world: World) -> None:
    records = world.records(world.first)
    archived_urls = {r["url"] for r in records}
    for article in world.network.articles:
        assert article.url in archived_urls, f"{article.corpus_id} at {article.url} was not archived"
    assert world.first["status"] == "ok"
    assert world.first["counts"]["archived"] == len(records)
    assert {r["source"] for r in records} == {"daily", "wire", "blog"}


def test_every_record_has_every_spec_field_with_the_right_type(world: World) -> None:
    schema = record_schema()
    for record in world.records(world.first):
        assert tuple(record) == RECORD_FIELDS
        jsonschema.validate(record, schema)
        assert record["run_id"] == world.first["run_id"]
        assert record["word_count"] == len(record["text"].split())
        assert record["fetched_at"].endswith("Z")
        assert record["http_status"] == 200
        assert record["extractor"]["name"] == "trafilatura"


def test_seed_article_text_is_free_of_share_and_comment_boilerplate(world: World) -> None:
    seed = next(r for r in world.records(world.first) if r["url"].endswith(SEED_PATH))
    for phrase in (*SEED_BOILERPLATE, "Your email address will not be published", "cookies"):
        assert phrase not in seed["text"]
    expected = next(a for a in world.network.articles if a.path == SEED_PATH).expected_text
    for paragraph in expected.split("\n"):
        assert paragraph.strip() in seed["text"]
    assert seed["title"] == "Azerbaijan’s Balancing Act In Israel-Turkey Rift"
    assert seed["authors"] == ["Aylin Karimova"]
    assert seed["published_at"].startswith("2024-05-20")


def test_non_article_pages_are_counted_not_archived(world: World) -> None:
    records = world.records(world.first)
    urls = {r["url"] for r in records}
    assert world.network.url("daily", GALLERY_PATH) not in urls
    for page in world.network.non_articles:
        assert page.url not in urls
    assert world.first["counts"]["not_article"] >= 1
    assert world.first["per_source"]["daily"]["not_article"] >= 1


def test_pages_disallowed_by_robots_are_never_fetched(world: World) -> None:
    fetched = {(r.site_id, r.path.split("?")[0]) for r in world.first_requests}
    assert ("daily", SECRET_PATH) not in fetched
    assert world.first["counts"]["errors"].get("robots", 0) >= 1
    assert all(r.headers.get("User-Agent") == "newsvault-test" for r in world.first_requests)


def test_tracking_tagged_links_become_one_record(world: World) -> None:
    tagged = [a for a in world.network.articles if a.site_id == "daily"]
    records = world.records(world.first)
    for article in tagged:
        same = [r for r in records if canonicalize_url(r["url"]) == canonicalize_url(article.url)]
        assert len(same) == 1, article.url
    assert not any(TRACKING_QUERY in r["url"] for r in records)
    assert len({r["article_id"] for r in records}) == len(records)


def test_second_crawl_of_an_unchanged_network_writes_no_record(world: World) -> None:
    assert world.second["status"] == "ok"
    assert world.second["counts"]["archived"] == 0
    assert world.records(world.second) == []
    # Unchanged feeds and sitemaps answer 304; the articles listing pages link to are known and not
    # yet due for a revisit: no article is requested at all.
    assert world.second["counts"]["not_modified"] > 0
    assert world.second["counts"]["fetched"] == world.second["counts"]["duplicates"] == 0
    articles = {(a.site_id, a.path) for a in world.network.articles}
    assert not [r for r in world.second_requests if (r.site_id, r.path.split("?")[0]) in articles]


def test_an_edited_article_is_archived_again_as_version_2(world: World) -> None:
    records = world.records(world.third)
    assert [r["url"] for r in records] == [world.network.url("daily", world.edited_path)]
    edited = records[0]
    original = next(r for r in world.records(world.first) if r["url"] == edited["url"])
    assert edited["version"] == 2 and original["version"] == 1
    assert edited["article_id"] == original["article_id"]
    assert EDIT in edited["text"] and EDIT not in original["text"]
    assert edited["content_hash"] != original["content_hash"]
    assert world.third["counts"]["new_versions"] == 1


def test_every_snapshot_pointer_opens_with_warcio_as_that_urls_response(world: World) -> None:
    for manifest in (world.first, world.third):
        for record in world.records(manifest):
            pointer = record["snapshot"]
            data = read_range(world.archive, pointer["warc"], pointer["offset"], pointer["length"])
            response = next(iter(ArchiveIterator(io.BytesIO(data))))
            assert response.rec_type == "response"
            assert response.rec_headers.get_header("WARC-Target-URI") == record["url"]
            assert response.rec_headers.get_header("WARC-Record-ID") == pointer["record_id"]
            assert response.http_headers.get_statuscode() == "200"
            assert len(response.content_stream().read()) > 0


def test_warc_files_hold_requests_and_responses_of_every_fetch(world: World) -> None:
    for entry in world.first["files"]:
        if entry["kind"] != "snapshots":
            continue
        records = list(ArchiveIterator(io.BytesIO(read_file(world.archive, entry["path"]))))
        types = [r.rec_type for r in records]
        assert types[0] == "warcinfo"
        assert types.count("request") == types.count("response") > 0
        assert len(records) == entry["records"]
        assert all(r.rec_headers.protocol == "WARC/1.1" for r in records)


def test_manifests_list_exactly_the_files_present_with_matching_sha256(world: World) -> None:
    listed = {}
    for manifest in (world.first, world.second, world.third):
        stored = json.loads(read_file(world.archive, f"runs/{manifest['run_id']}.json"))
        assert stored == manifest
        for entry in manifest["files"]:
            listed[entry["path"]] = entry
    present = set(archive_files(world.archive))
    assert present == set(listed)
    for path, entry in listed.items():
        data = read_file(world.archive, path)
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_no_temporary_file_is_left_behind(world: World) -> None:
    if isinstance(world.archive, FSStore):
        leftovers = [p for p in world.archive.root.rglob("*") if p.is_file() and p.name.startswith(".")]
    else:
        assert isinstance(world.archive, S3Store)
        leftovers = [k for k in world.archive.list("") if any(s.startswith(".") for s in k.split("/"))]
        leftovers += [p for p in world.archive.staging_dir.glob("*") if p.is_file()]
        assert world.archive.spool.entries() == []
    assert leftovers == []


@pytest.mark.parametrize("world", ["s3"], indirect=True)  # runs once, after the folder's world
def test_both_backends_archive_identical_records(world: World) -> None:
    if "folder" not in FIRST_RECORDS:
        pytest.skip("compares with the folder backend's crawl; run the whole module")
    assert FIRST_RECORDS["s3"] == FIRST_RECORDS["folder"]
    assert len(FIRST_RECORDS["s3"]) == len(world.network.articles)


def test_runs_lists_every_run_newest_first_with_its_counts(world: World) -> None:
    done = newsvault("runs", "--json", config=world.config)
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)
    assert [r["run_id"] for r in runs] == [world.third["run_id"], world.second["run_id"],
                                         world.first["run_id"]]
    for run in runs:
        assert {"run_id", "sources", "status", "started_at", "finished_at", "counts"} <= set(run)
    table = newsvault("runs", "--source", "daily", config=world.config)
    assert table.returncode == 0 and world.first["run_id"] in table.stdout


def test_crawl_prints_a_summary_table(world: World) -> None:
    done = newsvault("crawl", "wire", config=world.config)
    assert done.returncode == 0, done.stderr
    assert "wire" in done.stdout and "archived" in done.stdout and "total" in done.stdout
