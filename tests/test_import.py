"""`newsvault import`, as a user runs it: other crawlers' WARC files become records of the archive.

Over the WARC and ARC files in ../shared/corpora/warc (broken ones among them) and over a CC-NEWS-like
WARC written from corpus pages (tests/ccnews.py: four hosts, two days, revisits, a 404, an image, a
record cut short), from a folder and from the loopback S3 server. Each test states what a user
relies on.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from ccnews import DAY1, DAY2, HOSTS, CcNews, ccnews_pages, write_warc
from e2e import REPO, by_capture, manifest_records, newsvault
from s3server import S3Server, new_bucket
from sitecustom import dying_after_first_imported_input, interrupting_import_after

from archive import S3Store

LEDGER = {"id": "ledger", "name": "The Daily Ledger", "start_urls": ["https://www.dailyledger.co.uk/"],
          "allowed_domains": ["dailyledger.co.uk"]}
WIRE = {"id": "wire", "name": "Wire Watch", "start_urls": ["https://www.wirewatch.com/"],
        "allowed_domains": ["wirewatch.com"]}
ELSEWHERE = {"id": "elsewhere", "name": "Elsewhere", "start_urls": ["https://elsewhere.example/"],
             "allowed_domains": ["elsewhere.example"]}


def write_config(root: Path, *, sources: list[dict[str, Any]] | None = None, archive: str | None = None,
                 endpoint_url: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    doc = tomlkit.document()
    doc["archive"] = {"uri": archive or "archive", **({"endpoint_url": endpoint_url} if endpoint_url else {})}
    doc["state"] = {"uri": "sqlite:///state.db"}
    doc["crawl"] = {"user_agent": "newsvault-test"}
    table = tomlkit.aot()
    for source in [LEDGER] if sources is None else sources:
        table.append(tomlkit.item(source))
    doc["sources"] = table
    config = root / "newsvault.toml"
    config.write_text(tomlkit.dumps(doc))
    return config


def run_import(config: Path, *args: str, env: dict[str, str] | None = None,
               expect: int = 0) -> dict[str, Any]:
    done = newsvault("import", "--json", *args, config=config, env=env)
    assert done.returncode == expect, f"import exited {done.returncode}:\n{done.stderr[-4000:]}"
    return json.loads(done.stdout)


def by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["url"]: r for r in records}


@dataclass
class World:
    root: Path
    shared: Path
    pages: list
    ccnews: CcNews


@pytest.fixture(scope="module")
def world(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("import")
    pages = ccnews_pages(shared_dir)
    folder = root / "ccnews" / "2024" / "05"
    folder.mkdir(parents=True)
    return World(root, shared_dir, pages, write_warc(folder / "CC-NEWS-20240501060000-00001.warc.gz", pages))


# -- the shared corpus of WARC and ARC files --------------------------------------------------------


def test_the_shared_warc_corpus_is_read_as_its_index_says_and_a_broken_file_stops_nothing(
        world: World, tmp_path: Path) -> None:
    corpus = world.shared / "corpora" / "warc"
    rows = [json.loads(line) for line in (corpus / "index.jsonl").read_text().splitlines() if line.strip()]
    config = write_config(tmp_path, sources=[ELSEWHERE])
    manifest = run_import(config, "--by-host", *(str(corpus / row["path"]) for row in rows))
    assert manifest["kind"] == "import" and manifest["status"] == "ok"
    entries = {Path(e["uri"]).relative_to(corpus).as_posix(): e for e in manifest["inputs"]}
    assert list(entries) == [row["path"] for row in rows]
    for row in rows:
        entry, expected = entries[row["path"]], row["expected"]
        assert entry["bytes"] == (corpus / row["path"]).stat().st_size
        if expected["warcio_parse_ok"]:
            assert entry["status"] == "imported", entry
            assert (entry["records"], entry["record_types"]) == (expected["n_records"], expected["record_types"])
    # warcio refuses one gzip stream over a whole WARC; import reads it as the WARC it holds
    whole = entries["pywb/warcs/example-bad.warc.gz.bad"]
    plain = entries["pywb/warcs/example.warc"]
    assert whole["status"] == "imported"
    assert (whole["records"], whole["record_types"], whole["counts"]["fetched"]) == \
           (plain["records"], plain["record_types"], plain["counts"]["fetched"])
    # a record whose gzip member ends before its Content-Length: counted, said, and the next file read
    broken = entries["warcio/example-wrong-chunks.warc.gz"]
    assert broken["status"] == "invalid" and "truncated" in broken["error"]
    assert broken["counts"]["skipped"] == {"warc_invalid": 1}
    assert entries["warcio/example.arc"]["status"] == "imported"
    # what was imported are the HTML responses the index lists, revisits of them included
    html = {url for row in rows for url in row["expected"]["html_response_urls"]}
    records = manifest_records(tmp_path / "archive", manifest)
    assert records and {r["url"] for r in records} <= html
    assert manifest["counts"]["skipped"]["revisit_unresolved"] == 0  # dupes.warc.gz's iana.org revisit: in iana.warc.gz
    assert manifest["counts"]["fetched"] == sum(e["counts"].get("fetched", 0) for e in entries.values())
    print("\ncounts by reason over ../shared/corpora/warc:", json.dumps(manifest["counts"]["skipped"]),
          "fetched", manifest["counts"]["fetched"], "archived", manifest["counts"]["archived"])


# -- a CC-NEWS-like WARC ----------------------------------------------------------------------------


def test_source_puts_every_capture_in_one_source_with_its_warc_date_and_a_copy_of_its_bytes(
        world: World, tmp_path: Path) -> None:
    config = write_config(tmp_path, sources=[LEDGER, WIRE])
    cc = world.ccnews
    manifest = run_import(config, "--source", "ledger", str(cc.path))
    assert manifest["status"] == "ok" and manifest["sources"] == ["ledger"]
    counts = manifest["counts"]
    assert counts["fetched"] == len(cc.pages) + 1  # and the revisit of the first page
    assert {k: v for k, v in counts["skipped"].items() if v} == \
           {"http_status": 1, "not_html": 1, "revisit_unresolved": 1, "warc_invalid": 1}
    assert counts["archived"] + counts["not_article"] == len(cc.pages) and counts["duplicates"] == 1
    (entry,) = manifest["inputs"]
    data = cc.path.read_bytes()
    assert (entry["uri"], entry["bytes"], entry["sha256"]) == (str(cc.path), len(data), hashlib.sha256(data).hexdigest())
    assert entry["status"] == "invalid" and "truncated" in entry["error"] and entry["records"] == cc.records
    assert manifest["captured"] == {"first": DAY1.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                    "last": "2024-05-02T09:00:00Z"}
    archive = tmp_path / "archive"
    records = by_url(manifest_records(archive, manifest))
    dates = {p.url: p.date.strftime("%Y-%m-%dT%H:%M:%SZ") for p in cc.pages}
    assert records and all(r["fetched_at"] == dates[url] and r["source"] == "ledger" for url, r in records.items())
    # the snapshot is a copy in newsvault's own WARC parts, listed in the manifest with its CDXJ index
    files = {f["path"]: f["kind"] for f in manifest["files"]}
    assert all(files.get(r["snapshot"]["warc"]) == "snapshots" for r in records.values())
    assert all(r["snapshot"]["warc"].removesuffix(".warc.gz") + ".cdxj" in files for r in records.values())

    encoded = next(p for p in cc.pages if p.gzipped)  # on www.wirewatch.com: found in "ledger" all the same
    raw = subprocess.run([sys.executable, "-m", "newsvault", "--config", str(config), "snapshot", encoded.url, "--raw"],
                         capture_output=True, timeout=120, cwd=REPO)
    assert raw.returncode == 0, raw.stderr
    assert raw.stdout == encoded.body  # the page as served, its gzip and chunks undone
    shown = json.loads(newsvault("snapshot", cc.pages[1].url, "--json", config=config).stdout)
    assert shown["fetched_at"] == dates[cc.pages[1].url] and shown["status"] == 200
    history = newsvault("history", cc.revisit.url, "--json", config=config)
    assert history.returncode == 0, history.stderr
    assert [v["version"] for v in json.loads(history.stdout)] == [1]  # the unchanged revisit is a duplicate

    # imported captures replay like crawled ones: found by their WARC-Dates, rebuilt field for field
    replayed = newsvault("replay", "--since", "2024-05-01", "--until", "2024-05-03", "--to", str(tmp_path / "replayed"),
                         "--json", config=config)
    assert replayed.returncode == 0, replayed.stderr[-3000:]
    replay = json.loads(replayed.stdout)
    assert by_capture(manifest_records(tmp_path / "replayed", replay)) == by_capture(list(records.values()))

    # the same inputs again: nothing read, nothing written, and the run says why
    again = run_import(config, "--source", "ledger", str(cc.path))
    assert again["status"] == "ok" and again["counts"]["archived"] == 0 and again["files"] == []
    assert [e["status"] for e in again["inputs"]] == ["already_imported"]
    assert again["inputs"][0]["imported_by"] == manifest["run_id"]
    assert again["inputs"][0]["sha256"] == entry["sha256"]


def test_host_keeps_matching_hosts_and_others_without_a_configured_source_are_no_source(
        world: World, tmp_path: Path) -> None:
    cc = world.ccnews
    manifest = run_import(write_config(tmp_path), "--host", r"dailyledger\.co\.uk$|wirewatch", str(cc.path))
    ledger = cc.urls(host="dailyledger.co.uk")
    records = manifest_records(tmp_path / "archive", manifest)
    assert {r["url"] for r in records} <= ledger and {r["source"] for r in records} == {"ledger"}
    skipped = manifest["counts"]["skipped"]
    assert skipped["host_filtered"] == len(cc.urls(host="example.org"))
    assert skipped["no_source"] == len(cc.urls(host="wirewatch.com"))
    assert manifest["counts"]["fetched"] == len(ledger) + 1 and manifest["sources"] == ["ledger"]


def test_by_host_makes_a_source_per_registered_domain_within_the_window(world: World, tmp_path: Path) -> None:
    cc = world.ccnews
    manifest = run_import(write_config(tmp_path, sources=[ELSEWHERE]), "--by-host", "--since", "2024-05-01",
                          "--until", DAY2.strftime("%Y-%m-%dT%H:%M:%SZ"), str(cc.path))
    day1 = cc.urls(day=DAY1)
    assert manifest["sources"] == sorted(set(HOSTS.values()))
    records = manifest_records(tmp_path / "archive", manifest)
    assert {r["url"] for r in records} <= day1 and len(records) >= len(day1) - 1
    assert all(r["source"] == HOSTS[r["url"].split("/")[2]] for r in records)
    # day 2's pages and revisits, but not the 404 and the image of day 1
    assert manifest["counts"]["skipped"]["out_of_window"] == len(cc.urls(day=DAY2)) + 2
    assert manifest["counts"]["skipped"]["http_status"] == 1 and manifest["counts"]["skipped"]["not_html"] == 1
    assert manifest["selection"]["by_host"] is True and manifest["selection"]["since"].startswith("2024-05-01")


def test_an_import_that_imports_nothing_fails_and_says_what_to_do(world: World, tmp_path: Path) -> None:
    done = newsvault("import", str(world.ccnews.path), config=write_config(tmp_path, sources=[ELSEWHERE]))
    assert done.returncode == 1
    assert "failed" in done.stdout and "--by-host" in done.stderr
    missing = newsvault("import", str(tmp_path / "nothing-here.warc.gz"), config=write_config(tmp_path))
    assert missing.returncode == 2 and "no such WARC or ARC file" in missing.stderr


def test_an_import_killed_after_its_first_input_resumes_with_the_second(world: World, tmp_path: Path) -> None:
    half = len(world.pages) // 2
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    first = write_warc(inputs / "a.warc.gz", world.pages[:half], extras=False, truncate_last=False)
    second = write_warc(inputs / "b.warc.gz", world.pages[half:], extras=False, truncate_last=False)
    config = write_config(tmp_path)
    died = subprocess.run([sys.executable, "-m", "newsvault", "--config", str(config), "import", "--source", "ledger",
                           str(inputs)], capture_output=True, text=True, timeout=300, cwd=REPO,
                          env=dying_after_first_imported_input(tmp_path / "dying"), start_new_session=True)
    assert died.returncode == -9, died.stderr[-3000:]
    resumed = run_import(config, "--source", "ledger", str(inputs))
    assert [(e["uri"], e["status"]) for e in resumed["inputs"]] == \
           [(str(first.path), "already_imported"), (str(second.path), "imported")]
    runs = [json.loads(p.read_text()) for p in (tmp_path / "archive" / "runs").glob("*.json")]
    (crashed,) = [m for m in runs if m["run_id"] != resumed["run_id"]]
    assert crashed["status"] == "crashed" and crashed["kind"] == "import"
    before = [r["url"] for r in manifest_records(tmp_path / "archive", crashed)]
    after = [r["url"] for r in manifest_records(tmp_path / "archive", resumed)]
    assert set(before) == {p.url for p in world.pages[:half]} and set(after) == {p.url for p in world.pages[half:]}
    assert len(before + after) == len(set(before + after))


def test_an_import_stopped_by_ctrl_c_says_so_and_the_next_one_finishes_the_input(world: World,
                                                                                  tmp_path: Path) -> None:
    config = write_config(tmp_path)
    cc = world.ccnews
    stopped = newsvault("import", "--json", "--source", "ledger", str(cc.path), config=config,
                        env=interrupting_import_after(tmp_path / "ctrl-c", 3))
    assert stopped.returncode == 1, stopped.stderr[-3000:]
    first = json.loads(stopped.stdout)
    assert first["status"] == "interrupted" and [e["status"] for e in first["inputs"]] == ["interrupted"]
    again = run_import(config, "--source", "ledger", str(cc.path))
    assert [e["status"] for e in again["inputs"]] == ["invalid"]  # read whole this time (its last record is cut)
    before = [r["url"] for r in manifest_records(tmp_path / "archive", first)]
    after = [r["url"] for r in manifest_records(tmp_path / "archive", again)]
    assert before and len(before + after) == len(set(before + after))
    assert first["counts"]["archived"] + again["counts"]["archived"] == len(cc.pages) - again["counts"]["not_article"]


# -- from S3 ----------------------------------------------------------------------------------------


def test_the_same_warc_imports_from_a_bucket_into_a_bucket_as_from_a_folder(
        world: World, s3_server: S3Server, tmp_path: Path) -> None:
    inputs = new_bucket(s3_server, "ccnews")
    key = "crawl-data/CC-NEWS/2024/05/" + world.ccnews.path.name
    s3_server.client().put_object(Bucket=inputs, Key=key, Body=world.ccnews.path.read_bytes())
    archive = f"s3://{new_bucket(s3_server, 'imported')}/news"
    config = write_config(tmp_path / "s3", archive=archive, endpoint_url=s3_server.endpoint_url)
    manifest = run_import(config, "--source", "ledger", f"s3://{inputs}/crawl-data/CC-NEWS/2024/*/*.warc.gz")
    assert [e["uri"] for e in manifest["inputs"]] == [f"s3://{inputs}/{key}"]
    local = run_import(write_config(tmp_path / "local"), "--source", "ledger", str(world.ccnews.path))
    assert manifest["inputs"][0]["sha256"] == local["inputs"][0]["sha256"]
    store = S3Store.from_uri(archive, endpoint_url=s3_server.endpoint_url, spool_dir=tmp_path / "spool")
    from_s3 = by_url(manifest_records(store, manifest))
    from_folder = by_url(manifest_records(tmp_path / "local" / "archive", local))
    fields = ("text", "title", "published_at", "fetched_at", "content_hash", "version")
    assert from_s3 and {u: [r[f] for f in fields] for u, r in from_s3.items()} == \
           {u: [r[f] for f in fields] for u, r in from_folder.items()}
    page = world.pages[1]
    raw = subprocess.run([sys.executable, "-m", "newsvault", "--config", str(config), "snapshot", page.url, "--raw"],
                         capture_output=True, timeout=120, cwd=REPO)
    assert raw.returncode == 0 and raw.stdout == page.body


# -- against a crawl --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crawled(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path, dict]]:
    from e2e import crawl
    from newsnet import NewsNetwork

    root = tmp_path_factory.mktemp("crawled")
    with NewsNetwork(shared_dir) as network:
        config = root / "newsvault.toml"
        config.write_text(network.config_toml("archive", "sqlite:///state.db"))
        yield network, root, crawl(config)


def test_records_imported_from_a_warc_of_the_pages_equal_the_records_of_a_crawl(
        crawled: tuple[Any, Path, dict], tmp_path: Path) -> None:
    import urllib.request

    from warcio.capture_http import capture_http

    network, root, manifest = crawled
    records = manifest_records(root / "archive", manifest)
    # another crawler fetches the same pages, in the order the crawl did (a source's template learns
    # from its pages in order), and writes its WARC
    ordered = sorted(records, key=lambda r: (r["source"], r["snapshot"]["warc"], r["snapshot"]["offset"]))
    warc = tmp_path / "other-crawler.warc.gz"
    with capture_http(str(warc)):
        for record in ordered:
            with urllib.request.urlopen(record["url"]) as response:
                response.read()
    config = tmp_path / "newsvault.toml"
    config.write_text(network.config_toml("archive", "sqlite:///state.db"))
    imported = run_import(config, str(warc))
    assert imported["status"] == "ok"
    fields = ("canonical_url", "source", "title", "authors", "published_at", "modified_at", "text", "content_hash")
    crawled_records = {r["url"]: [r[f] for f in fields] for r in records}
    imported_records = {r["url"]: [r[f] for f in fields] for r in manifest_records(tmp_path / "archive", imported)}
    assert len(crawled_records) >= 15 and imported_records == crawled_records



def test_an_import_meets_the_sources_filters_and_sends_its_run_published(world: World, tmp_path: Path) -> None:
    import os

    from alertreceivers import HttpReceiver

    # no captured page is written in Japanese: every article the import extracts is filtered out
    config = write_config(tmp_path, sources=[{**LEDGER, "languages": ["ja"]}])
    doc = tomlkit.parse(config.read_text())
    alerts = tomlkit.aot()
    alerts.append(tomlkit.item({"kind": "webhook", "url_env": "HOOK_URL", "events": ["run_published"]}))
    doc["alerts"] = alerts
    config.write_text(tomlkit.dumps(doc))
    with HttpReceiver() as hooks:
        manifest = run_import(config, "--source", "ledger", str(world.ccnews.path),
                              env={**os.environ, "HOOK_URL": hooks.url()})
        events = hooks.events()

    counts = manifest["counts"]
    assert counts["wrong_language"] > 0 and counts["archived"] == 0
    assert manifest_records(tmp_path / "archive", manifest) == []
    assert [(e["type"], e["data"]["run_id"], e["data"]["kind"]) for e in events] == [
        ("run_published", manifest["run_id"], "import")]
