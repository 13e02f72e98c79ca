"""The archive on S3 (moto's server over real HTTP): layout, multipart, faults, the spool, `flush`.

The ArchiveStore contract itself is specified once, for both backends, in test_archive_local.py;
these tests cover what only a remote store has: uploads that can fail half-way, a store that goes
away and comes back, throttling, and credentials that must never leak.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from e2e import REPO, newsvault
from newsnet import NewsNetwork
from s3server import SECRET_KEY, S3Server, new_bucket

from archive import (
    FSStore,
    RunArchive,
    S3Store,
    Spool,
    StoreError,
    build_manifest,
    iter_manifests,
    iter_records,
    open_store,
    read_snapshot,
)
from archive.spool import default_spool_root

T0 = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)
RUN_ID = "20261126T100000Z-abc123"
MiB = 2**20


def s3_store(server: S3Server, tmp_path: Path, prefix: str = "news/v1", **options: Any) -> S3Store:
    return S3Store(new_bucket(server), prefix, endpoint_url=server.endpoint_url, spool_dir=tmp_path / "spool",
                   **options)


def archive_page(archive: RunArchive, url: str, body: bytes | None = None, source: str = "example-news") -> None:
    pointer = archive.snapshot(
        source, url=url, fetched_at=T0, status=200, reason="OK",
        response_headers=[("Content-Type", "text/html")],
        body=body if body is not None else f"<html><p>{url}</p></html>".encode(),
        request_headers=[("User-Agent", "newsvault-test")],
    )
    archive.add_record(source, {"url": url, "source": source, "fetched_at": "2026-11-26T10:00:00Z",
                                "snapshot": pointer, "run_id": RUN_ID})


def write_run(archive: RunArchive, status: str = "ok") -> dict:
    files = archive.close()
    manifest = build_manifest(run_id=archive.run_id, kind="crawl", sources=["example-news"], status=status,
                              started_at=T0, finished_at=T0, files=files, counts={})
    archive.publish_manifest(manifest)
    return manifest


def raw_keys(server: S3Server, bucket: str) -> list[str]:
    pages = server.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def closed_port_url() -> str:
    server = S3Server()  # a free port nobody listens on
    return server.endpoint_url


class FaultyProxy:
    """A real HTTP proxy in front of the S3 server that answers some requests with an error itself."""

    def __init__(self, target: str, fault: Callable[[str, str, int], tuple[int, bytes] | None]) -> None:
        self.target = target.removeprefix("http://")
        self.fault = fault
        self.requests = 0
        self.faults = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy.requests += 1
                answer = proxy.fault(self.command, self.path, proxy.requests)
                if answer is not None:
                    proxy.faults += 1
                    status, payload = answer
                    self.send_response(status)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                upstream = http.client.HTTPConnection(proxy.target, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "expect")}
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                upstream.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def s3_error(code: str, message: str) -> bytes:
    return f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()


# --- layout and path safety ---------------------------------------------------------------------


def test_s3_uris_open_an_s3_store_with_the_local_layout_under_the_prefix(
    s3_server: S3Server, tmp_path: Path
) -> None:
    bucket = new_bucket(s3_server)
    store = open_store(f"s3://{bucket}/team/news/", endpoint_url=s3_server.endpoint_url, spool_dir=tmp_path)
    assert isinstance(store, S3Store) and store.uri == f"s3://{bucket}/team/news/"
    folder = FSStore(tmp_path / "folder")
    for backend in (store, folder):
        archive = RunArchive(backend, RUN_ID)
        archive_page(archive, "https://news.example.com/a")
        write_run(archive)

    day = "source=example-news/date=2026-11-26"
    assert f"team/news/articles/{day}/{RUN_ID}-00000.jsonl.gz" in raw_keys(s3_server, bucket)
    assert raw_keys(s3_server, bucket) == [f"team/news/{key}" for key in folder.list("")]
    # staged on local disk, never in the bucket, and gone once published
    assert list(store.staging_dir.iterdir()) == []


def test_no_source_id_or_url_makes_a_key_escape_the_prefix(s3_server: S3Server, tmp_path: Path) -> None:
    store = s3_store(s3_server, tmp_path, prefix="tenant-a")
    archive = RunArchive(store, RUN_ID)
    for source in ("..", "../tenant-b", "a/../../b", "/abs", "a\\b", "x\x00"):
        with pytest.raises(ValueError):
            archive_page(archive, "https://news.example.com/a", source=source)
    # URLs never become keys: one full of dot-segments still lands in this run's own files
    archive_page(archive, "https://news.example.com/../../tenant-b/runs/x.json?k=../../..")
    write_run(archive)
    for key in ("../tenant-b/runs/x.json", "/tenant-b/x", "runs/../../x", ""):
        with pytest.raises(ValueError):
            store.get_bytes(key)
        with pytest.raises(ValueError):
            store.staging_path(key)
    assert all(k.startswith("tenant-a/") for k in raw_keys(s3_server, store.bucket))
    assert all(".." not in k for k in raw_keys(s3_server, store.bucket))


# --- multipart ----------------------------------------------------------------------------------


def test_a_part_above_the_multipart_threshold_arrives_whole_with_the_manifest_sha256(
    s3_server: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSVAULT_S3_MULTIPART_THRESHOLD", str(5 * MiB))  # S3's smallest part size
    bucket = new_bucket(s3_server)
    store = open_store(f"s3://{bucket}/big", endpoint_url=s3_server.endpoint_url, spool_dir=tmp_path)
    archive = RunArchive(store, RUN_ID)
    big_page = os.urandom(11 * MiB)  # incompressible: the gzipped WARC part stays above 10 MiB
    archive_page(archive, "https://news.example.com/big", big_page)
    manifest = write_run(archive)

    warc = next(f for f in manifest["files"] if f["kind"] == "snapshots")
    assert warc["bytes"] > 10 * MiB
    head = s3_server.client().head_object(Bucket=bucket, Key=f"big/{warc['path']}")
    assert head["ETag"].strip('"').endswith("-3")  # uploaded in three parts
    data = store.get_bytes(warc["path"])
    assert len(data) == warc["bytes"]
    assert hashlib.sha256(data).hexdigest() == warc["sha256"] == head["Metadata"]["sha256"]
    record = next(iter_records(store, manifest))
    assert read_snapshot(store, record["snapshot"]).body == big_page
    assert s3_server.client().list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_a_failed_multipart_upload_leaves_no_object_and_no_parts(s3_server: S3Server, tmp_path: Path) -> None:
    def fail_second_part(method: str, path: str, _n: int) -> tuple[int, bytes] | None:
        if method == "PUT" and "partNumber=2" in path:
            return 500, s3_error("InternalError", "part 2 lost")
        return None

    proxy = FaultyProxy(s3_server.endpoint_url, fail_second_part)
    try:
        bucket = new_bucket(s3_server)
        store = S3Store(bucket, "big", endpoint_url=proxy.endpoint_url, spool_dir=tmp_path,
                        multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB, max_attempts=2)
        staged = store.staging_path("snapshots/big.warc.gz")
        staged.write_bytes(os.urandom(11 * MiB))
        with pytest.raises(StoreError, match="cannot publish 'snapshots/big.warc.gz'"):
            store.publish(staged, "snapshots/big.warc.gz")
    finally:
        proxy.close()
    assert proxy.faults >= 2  # retried before giving up
    assert staged.exists()  # the caller still has the part, to spool it
    assert raw_keys(s3_server, bucket) == []
    assert s3_server.client().list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_stale_multipart_uploads_under_the_prefix_are_aborted_others_kept(
    s3_server: S3Server, tmp_path: Path
) -> None:
    store = s3_store(s3_server, tmp_path, prefix="mine")
    client = s3_server.client()
    client.create_multipart_upload(Bucket=store.bucket, Key="mine/snapshots/left-by-a-killed-run.warc.gz")
    client.create_multipart_upload(Bucket=store.bucket, Key="elsewhere/not-ours.warc.gz")

    # moto dates every upload in 2010: only an age limit beyond that keeps it
    assert store.abort_stale_uploads(older_than_s=100 * 365 * 86400) == 0
    store.check()  # aborts uploads older than a day, under its own prefix only
    uploads = client.list_multipart_uploads(Bucket=store.bucket)["Uploads"]
    assert [u["Key"] for u in uploads] == ["elsewhere/not-ours.warc.gz"]


# --- retries and clear errors -------------------------------------------------------------------


def test_throttling_is_retried_with_backoff_until_the_upload_goes_through(
    s3_server: S3Server, tmp_path: Path
) -> None:
    def slow_down_twice(method: str, _path: str, n: int) -> tuple[int, bytes] | None:
        return (503, s3_error("SlowDown", "Please reduce your request rate.")) if method == "PUT" and n <= 2 else None

    proxy = FaultyProxy(s3_server.endpoint_url, slow_down_twice)
    try:
        store = S3Store(new_bucket(s3_server), "", endpoint_url=proxy.endpoint_url, spool_dir=tmp_path,
                        max_attempts=4)
        store.put_bytes("runs/r.json", b"{}")
        assert store.get_bytes("runs/r.json") == b"{}"
    finally:
        proxy.close()
    assert proxy.faults == 2


def test_check_says_what_is_wrong(s3_server: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = s3_store(s3_server, tmp_path)
    good.check()
    assert raw_keys(s3_server, good.bucket) == []  # the probe was deleted

    with pytest.raises(StoreError, match="bucket 'no-such-bucket-here' does not exist"):
        S3Store("no-such-bucket-here", endpoint_url=s3_server.endpoint_url, spool_dir=tmp_path).check()
    with pytest.raises(StoreError, match=r"cannot connect to http://127\.0\.0\.1:\d+ \(wrong endpoint_url"):
        S3Store(good.bucket, endpoint_url=closed_port_url(), spool_dir=tmp_path, max_attempts=1).check()

    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(StoreError, match="no AWS credentials found"):
        S3Store(good.bucket, endpoint_url=s3_server.endpoint_url, spool_dir=tmp_path).check()


def test_check_reports_access_denied(s3_server: S3Server, tmp_path: Path) -> None:
    def deny(method: str, _path: str, _n: int) -> tuple[int, bytes] | None:
        return (403, s3_error("AccessDenied", "Access Denied")) if method == "PUT" else None

    proxy = FaultyProxy(s3_server.endpoint_url, deny)
    try:
        store = S3Store(new_bucket(s3_server), endpoint_url=proxy.endpoint_url, spool_dir=tmp_path)
        with pytest.raises(StoreError, match="access denied to bucket"):
            store.check()
    finally:
        proxy.close()


def test_the_check_command_names_the_missing_bucket(s3_server: S3Server, tmp_path: Path) -> None:
    config = tmp_path / "newsvault.toml"
    config.write_text(
        f'[archive]\nuri = "s3://missing-bucket/news"\nendpoint_url = "{s3_server.endpoint_url}"\n'
        '[state]\nuri = "sqlite:///state.db"\n[[sources]]\nid = "example"\nfeeds = ["http://127.0.0.1:9/rss"]\n'
    )
    done = newsvault("check", config=config)
    assert done.returncode == 1
    assert "archive s3://missing-bucket/news" in done.stdout
    assert "bucket 'missing-bucket' does not exist" in done.stdout


# --- the spool ----------------------------------------------------------------------------------


def test_parts_the_store_refuses_are_spooled_counted_and_flushed_in_order(
    outage_server: S3Server, tmp_path: Path
) -> None:
    bucket = new_bucket(outage_server)
    down = S3Store(bucket, "news", endpoint_url=outage_server.endpoint_url, spool_dir=tmp_path / "spool",
                   max_attempts=1)
    outage_server.stop()
    errors: list[str] = []
    reported: list[int] = []
    archive = RunArchive(down, RUN_ID, max_records=2, spool=down.spool, on_store_error=errors.append,
                         on_segment_published=lambda _s, records: reported.append(len(records)))
    for i in range(5):
        archive_page(archive, f"https://news.example.com/{i}")
    manifest = write_run(archive, status="degraded")

    # safe on local disk: the records count as archived, and the run says something went wrong
    assert reported == [2, 2, 1]
    assert len(errors) == 1 and "cannot connect" in errors[0] and str(down.spool.root) in errors[0]
    waiting = down.spool.entries()
    assert [e.key for e in waiting] == [f["path"] for f in manifest["files"]] + [f"runs/{RUN_ID}.json"]
    assert all(e.run_id == RUN_ID for e in waiting)
    assert down.spool.summary()["parts"] == len(manifest["files"]) + 1
    assert [p for p in down.staging_dir.iterdir()] == []
    still_down = down.spool.flush(down)
    assert still_down.uploaded == [] and still_down.remaining == len(waiting)
    assert "cannot connect" in still_down.errors[0]
    assert down.spool.entries() == waiting

    outage_server.start()
    up = S3Store(bucket, "news", endpoint_url=outage_server.endpoint_url, spool_dir=tmp_path / "spool")
    assert up.spool.root == down.spool.root  # same archive, same spool
    report = up.spool.flush(up)
    assert report.errors == [] and report.remaining == 0
    assert report.uploaded == [e.key for e in waiting]  # in order: the manifest last
    assert up.spool.entries() == []
    assert [m["run_id"] for m in iter_manifests(up)] == [RUN_ID]
    assert sorted(r["url"] for r in iter_records(up)) == [f"https://news.example.com/{i}" for i in range(5)]
    assert up.spool.flush(up).uploaded == []


def test_a_flush_killed_after_uploading_uploads_nothing_twice(s3_server: S3Server, tmp_path: Path) -> None:
    store = s3_store(s3_server, tmp_path)
    spool = store.spool
    # (compressed once: gzip writes the time into its header, so two calls a second apart differ)
    part = gzip.compress(b'{"n": 1}\n')
    spool.add_bytes("articles/a.jsonl.gz", part, run_id=RUN_ID)
    spool.add_bytes(f"runs/{RUN_ID}.json", b"{}", run_id=RUN_ID)
    # the first entry was uploaded by a flush that died before forgetting it
    store.put_bytes("articles/a.jsonl.gz", part)

    report = spool.flush(store)
    assert report.already_there == ["articles/a.jsonl.gz"]
    assert report.uploaded == [f"runs/{RUN_ID}.json"]
    assert spool.entries() == []


def test_a_different_object_under_a_spooled_key_is_a_conflict_that_holds_back_its_run(
    s3_server: S3Server, tmp_path: Path
) -> None:
    store = s3_store(s3_server, tmp_path)
    store.put_bytes("articles/a.jsonl.gz", b"someone else's")
    store.spool.add_bytes("articles/a.jsonl.gz", b"ours", run_id="run-a")
    store.spool.add_bytes("runs/run-a.json", b"{}", run_id="run-a")
    store.spool.add_bytes("runs/run-b.json", b"{}", run_id="run-b")

    report = store.spool.flush(store)
    assert report.uploaded == ["runs/run-b.json"]
    assert report.remaining == 2 and "holds a different object" in report.errors[0]
    assert store.get_bytes("articles/a.jsonl.gz") == b"someone else's"
    assert not store.exists("runs/run-a.json")


def test_the_spool_lives_next_to_the_state_database(tmp_path: Path) -> None:
    assert default_spool_root(f"sqlite:///{tmp_path}/state/db.sqlite", None) == tmp_path / "state" / "spool"
    assert default_spool_root("sqlite:///rel/state.db", tmp_path) == tmp_path / "rel" / "spool"
    assert default_spool_root("redis://host:6379/0", tmp_path) == tmp_path / "spool"
    first = S3Store.archive_id("s3://bucket/a/", None)
    assert first != S3Store.archive_id("s3://bucket/b/", None)
    assert first != S3Store.archive_id("s3://bucket/a/", "http://127.0.0.1:9000")
    assert Spool(tmp_path / "empty").entries() == []


# --- an outage in the middle of a crawl ---------------------------------------------------------

def small_parts_crawl(config: Path, *sources: str) -> list[str]:
    """`newsvault -vv crawl --json` (debug logs: everything that could leak would be in them)."""
    return [sys.executable, "-m", "newsvault", "-vv", "--config", str(config), "crawl", "--json", *sources]


# Parts of one record each: a crawl publishes many parts, so an outage falls between them.
SMALL_PARTS_ENV = {"NEWSVAULT_SCRAPY_SETTINGS": json.dumps({"NEWSVAULT_PART_MAX_RECORDS": 1})}


class BucketWatcher:
    """Lists the bucket over and over during the crawl and fetches every object it sees, once."""

    def __init__(self, server: S3Server, bucket: str) -> None:
        import boto3
        from botocore.config import Config

        env = S3Server.env()
        self.client = boto3.session.Session(
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        ).client("s3", endpoint_url=server.endpoint_url,
                 config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=5))
        self.bucket = bucket
        self.seen: dict[str, str] = {}  # key -> sha256 of what was readable when first listed
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
                    for item in page.get("Contents", []):
                        if item["Key"] not in self.seen:
                            body = self.client.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()
                            self.seen[item["Key"]] = hashlib.sha256(body).hexdigest()
            except Exception:  # the server is down on purpose
                pass
            time.sleep(0.02)

    def __enter__(self) -> BucketWatcher:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


@pytest.fixture
def outage_server(s3_server: S3Server) -> Iterator[S3Server]:
    """A server of its own (the session's one must stay up), with the session's credentials."""
    with S3Server() as server:
        yield server


@pytest.mark.parametrize("recovery", ["flush", "next run"])
def test_an_outage_mid_crawl_spools_parts_and_loses_or_duplicates_no_record(
    shared_dir: Path, tmp_path: Path, outage_server: S3Server, recovery: str
) -> None:
    bucket = new_bucket(outage_server, "outage")
    uri = f"s3://{bucket}/news"
    with NewsNetwork(shared_dir) as network:
        doc = tomlkit.parse(network.config_toml(uri, "sqlite:///state/state.db", download_delay=0.2))
        doc["archive"]["endpoint_url"] = outage_server.endpoint_url  # type: ignore[index]
        config = tmp_path / "newsvault.toml"
        config.write_text(tomlkit.dumps(doc))
        store = S3Store.from_uri(uri, endpoint_url=outage_server.endpoint_url, spool_dir=tmp_path / "state" / "spool")

        with BucketWatcher(outage_server, bucket) as watcher:
            # its output to files: a pipe nobody reads while the crawl runs fills up with its debug
            # logs and stops it mid-crawl
            with (tmp_path / "crawl.out").open("w") as out_file, (tmp_path / "crawl.err").open("w") as err_file:
                crawl = subprocess.Popen(small_parts_crawl(config), cwd=REPO, env={**os.environ, **SMALL_PARTS_ENV},
                                         stdout=out_file, stderr=err_file, text=True)
                while not any(k.startswith("news/articles/") for k in watcher.seen) and crawl.poll() is None:
                    time.sleep(0.01)
                outage_server.stop()
                crawl.wait(timeout=300)
            out, err = (tmp_path / "crawl.out").read_text(), (tmp_path / "crawl.err").read_text()
            assert crawl.returncode == 0, err[-4000:]
            first = json.loads(out)

            assert first["status"] == "degraded"
            waiting = store.spool.entries()
            assert waiting and waiting[-1].key == f"runs/{first['run_id']}.json"
            if recovery == "flush":
                # what waits is local: `runs` shows it while the store is still down
                runs = newsvault("runs", config=config)
                assert f"waiting: {len(waiting)} part(s)" in runs.stdout
                listed = json.loads(newsvault("runs", "--json", config=config).stdout)
                assert listed[0]["run_id"] == first["run_id"] and listed[0]["waiting"] == len(waiting)
                out += runs.stdout + runs.stderr
                outage_server.start()
                done = newsvault("flush", config=config)
                assert done.returncode == 0, done.stderr
                assert f"uploaded {len(waiting)} spooled part(s)" in done.stdout
                out += done.stdout + done.stderr
            else:
                outage_server.start()
                # any run uploads what waits, whichever sources it crawls: one source is enough here
                second = json.loads(subprocess.run(
                    small_parts_crawl(config, "wire"), cwd=REPO, env={**os.environ, **SMALL_PARTS_ENV},
                    capture_output=True, text=True, check=True, timeout=300).stdout)
                assert second["status"] == "ok"
                assert second["counts"]["archived"] == 0  # the spooled records counted as archived
            time.sleep(0.2)  # one more look at the bucket
        assert store.spool.entries() == []

        manifests = {m["run_id"]: m for m in iter_manifests(store)}
        assert manifests[first["run_id"]] == first
        listed_files = {f["path"]: f for m in manifests.values() for f in m["files"]}
        # every object a reader could ever list was complete: it has the manifest's final sha256
        for key, sha256 in watcher.seen.items():
            relative = key.removeprefix("news/")
            if not relative.startswith("runs/"):
                assert listed_files[relative]["sha256"] == sha256, key
        assert {f"news/{p}" for p in listed_files} <= set(raw_keys(outage_server, bucket))

        records = list(iter_records(store))
        urls = [r["url"] for r in records]
        assert len(urls) == len(set(urls))  # none uploaded twice
        assert set(urls) == {a.url for a in network.articles}  # none lost
        assert first["counts"]["archived"] == len(records)

    # nothing wrote the secret key anywhere: outputs, logs, state, spool, archive
    assert SECRET_KEY not in out + err
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET_KEY.encode() not in path.read_bytes(), path
    for key in raw_keys(outage_server, bucket):
        assert SECRET_KEY.encode() not in outage_server.client().get_object(Bucket=bucket, Key=key)["Body"].read()


SLOW_PUT_S = 0.5


def test_a_slow_store_does_not_stall_fetching(shared_dir: Path, tmp_path: Path, s3_server: S3Server) -> None:
    """Uploads run on a thread of their own: the crawl fetches pages while a part is on its way."""
    bucket = new_bucket(s3_server, "slow")
    uploads: list[tuple[float, float]] = []
    # Set as the first part's upload starts. Half of the site's articles are found only then (the
    # front page, the one page linking them, is served once it is set), so that fetching is certainly
    # not over before uploading begins, however long the first extraction (a worker starting) takes.
    uploading = threading.Event()
    fetches_during_first = 2

    def daily_fetches_after(t: float) -> int:
        return sum(1 for r in network.requests if r.site_id == "daily" and r.time > t)

    # The store is slow to take each part of records (one a page): the parts' uploads, one after the
    # other on the publishing thread, last all through the fetching. (Slowing the WARC parts and their
    # indexes too would only add the time to drain them after the crawl's last fetch.) The first one
    # stays on its way until the crawl has fetched two pages well inside it (a crawl whose fetching
    # waited for uploads would fetch none, and fail below once this gives up after a minute).
    def slow_parts(method: str, path: str, n: int) -> None:
        if method == "PUT" and "/articles/" in path:
            started = time.monotonic()
            if not uploading.is_set():
                uploading.set()
                give_up = started + 60
                while daily_fetches_after(started + 0.1) < fetches_during_first and time.monotonic() < give_up:
                    time.sleep(0.02)
            time.sleep(SLOW_PUT_S)
            uploads.append((started, time.monotonic()))

    proxy = FaultyProxy(s3_server.endpoint_url, slow_parts)
    try:
        with NewsNetwork(shared_dir, pages_per_site=12) as network:
            daily = [a for a in network.articles if a.site_id == "daily"]
            found_late = {a.path for a in daily[len(daily) // 2:]}
            with urllib.request.urlopen(network.url("daily", "/rss.xml")) as response:
                feed = response.read().decode("utf-8")
            # the feed lists the first half only; the front page (all of them) waits for the first upload
            feed = re.sub(r"<item>(?:(?!</item>).)*</item>",
                          lambda m: "" if any(p in m.group(0) for p in found_late) else m.group(0),
                          feed, flags=re.S)
            assert feed.count("<item>") < len(daily)
            network.set_page("daily", "/rss.xml", feed.encode(), "application/rss+xml; charset=utf-8")
            with urllib.request.urlopen(network.url("daily", "/")) as response:
                front = response.read()
            network.set_page("daily", "/", front, wait_for=uploading)
            network.clear_log()
            # a timeout long enough for the front page to wait for the first upload
            doc = tomlkit.parse(network.config_toml(f"s3://{bucket}/news", "sqlite:///state/state.db",
                                                    sources=["daily"], download_delay=0.3, timeout=120))
            doc["archive"]["endpoint_url"] = proxy.endpoint_url  # type: ignore[index]
            config = tmp_path / "newsvault.toml"
            config.write_text(tomlkit.dumps(doc))
            done = subprocess.run(small_parts_crawl(config), cwd=REPO, env={**os.environ, **SMALL_PARTS_ENV},
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr[-4000:]
            fetches = [r.time for r in network.requests if r.site_id == "daily"]
            late = [r.time for r in network.requests if r.site_id == "daily" and r.path in found_late]
    finally:
        proxy.close()
    run = json.loads(done.stdout)
    assert run["status"] == "ok" and run["counts"]["archived"] >= 6, run["counts"]
    assert len(uploads) >= 6
    # pages were fetched while parts were being uploaded, well inside an upload, not at its edges
    during = [t for t in fetches if any(start + 0.1 < t < end - 0.1 for start, end in uploads)]
    assert len(during) >= 2, (len(fetches), uploads)
    assert len(late) == len(found_late) and min(late) > uploads[0][0]  # found from the waiting front page
    # and every part listed in the manifest is in the bucket whole (sha256 as written, never re-read)
    store = S3Store.from_uri(f"s3://{bucket}/news", endpoint_url=s3_server.endpoint_url,
                             spool_dir=tmp_path / "spool")
    for entry in run["files"]:
        assert hashlib.sha256(store.get_bytes(entry["path"])).hexdigest() == entry["sha256"]
        assert store.stored_sha256(entry["path"]) == entry["sha256"]
