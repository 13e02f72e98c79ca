"""The archive layer: stores, JSONL and WARC parts, run archives, manifests, reader.

Every test that is about the ArchiveStore contract takes the store from the ``store`` fixture, which
runs it on a local folder and on an S3 bucket (moto's server over HTTP): both backends pass the same
specification.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from s3server import S3Server, new_bucket
from warcio.archiveiterator import ArchiveIterator

from archive import (
    RUN_STATUSES,
    ArchiveStore,
    FSStore,
    JsonlPart,
    RunArchive,
    S3Store,
    StoreError,
    WarcPart,
    build_manifest,
    iter_manifests,
    iter_records,
    manifest_key,
    new_run_id,
    open_store,
    read_snapshot,
    safe_key,
    write_manifest,
)
from archive.warc import payload_digest

T0 = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)
RUN_ID = "20261126T100000Z-abc123"


@pytest.fixture(params=["fs", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ArchiveStore:
    if request.param == "fs":
        return FSStore(tmp_path / "archive")
    if request.param == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        return S3Store(new_bucket(server), "archive/v1", endpoint_url=server.endpoint_url,
                       spool_dir=tmp_path / "spool")
    raise AssertionError(request.param)


class RecordingStore:
    """Delegates to a real store and logs publications, so tests can check their order."""

    def __init__(self, inner: ArchiveStore, events: list[tuple]) -> None:
        self.inner = inner
        self.uri = inner.uri
        self.events = events

    def staging_path(self, key: str) -> Path:
        return self.inner.staging_path(key)

    def publish(self, staged: Path, key: str, *, sha256: str | None = None) -> None:
        self.inner.publish(staged, key, sha256=sha256)
        self.events.append(("publish", key))

    def put_bytes(self, key: str, data: bytes) -> None:
        self.inner.put_bytes(key, data)
        self.events.append(("publish", key))

    def get_bytes(self, key: str) -> bytes:
        return self.inner.get_bytes(key)

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        return self.inner.get_range(key, offset, length)

    def exists(self, key: str) -> bool:
        return self.inner.exists(key)

    def list(self, prefix: str) -> Iterator[str]:
        return self.inner.list(prefix)

    def check(self) -> None:
        self.inner.check()

    def cleanup_staging(self, older_than_s: float = 0) -> int:
        return self.inner.cleanup_staging(older_than_s)


def exchange(url: str, fetched_at: datetime = T0, body: bytes | None = None) -> dict:
    return {
        "url": url,
        "fetched_at": fetched_at,
        "status": 200,
        "reason": "OK",
        "response_headers": [("Content-Type", "text/html; charset=utf-8")],
        "body": body if body is not None else f"<html><body><p>page {url}</p></body></html>".encode(),
        "request_headers": [("User-Agent", "newsvault-test")],
    }


def make_record(url: str, source: str, pointer: dict, fetched_at: datetime = T0) -> dict:
    return {
        "schema_version": 1,
        "url": url,
        "source": source,
        "title": "Tätel",
        "text": "Some text\nwith two paragraphs",
        "fetched_at": fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "snapshot": pointer,
        "run_id": RUN_ID,
    }


def archive_page(archive: RunArchive, source: str, url: str, fetched_at: datetime = T0) -> dict:
    pointer = archive.snapshot(source, **exchange(url, fetched_at))
    record = make_record(url, source, pointer, fetched_at)
    archive.add_record(source, record)
    return record


def warc_records(data: bytes) -> list:
    out = []
    for rec in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
        body = rec.content_stream().read()
        out.append((rec, body))
    return out


# --- stores -------------------------------------------------------------------------------------


def test_open_store_maps_folders_and_file_uris_to_fsstore(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path / "a")), FSStore)
    by_uri = open_store((tmp_path / "b").as_uri())
    assert isinstance(by_uri, FSStore)
    assert by_uri.root == (tmp_path / "b").resolve()


def test_open_store_refuses_unknown_schemes_and_s3_options_on_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown archive uri scheme 'ftp'"):
        open_store("ftp://host/archive")
    with pytest.raises(ValueError, match="endpoint_url"):
        open_store(str(tmp_path), endpoint_url="http://127.0.0.1:9000")


def test_staged_file_is_invisible_until_published(store: ArchiveStore) -> None:
    key = "articles/source=a/date=2026-11-26/run-00000.jsonl.gz"
    staged = store.staging_path(key)
    staged.write_bytes(b"complete content")
    assert list(store.list("")) == []
    assert not store.exists(key)

    store.publish(staged, key)

    assert list(store.list("")) == [key]
    assert store.get_bytes(key) == b"complete content"


def test_fs_staging_file_is_hidden_next_to_its_final_name(tmp_path: Path) -> None:
    store = FSStore(tmp_path)
    staged = store.staging_path("articles/source=a/date=2026-11-26/x.jsonl.gz")
    assert staged.parent == tmp_path / "articles/source=a/date=2026-11-26"
    assert re.fullmatch(r"\.x\.jsonl\.gz\.[0-9a-f]{16}\.tmp", staged.name)
    staged.write_bytes(b"partial")
    assert list(tmp_path.glob("**/*.jsonl.gz")) == []


def test_fs_publish_moves_a_file_staged_elsewhere_into_place(tmp_path: Path) -> None:
    store = FSStore(tmp_path / "archive")
    elsewhere = tmp_path / "spool" / "part.jsonl.gz"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"data")
    store.publish(elsewhere, "articles/part.jsonl.gz")
    assert not elsewhere.exists()
    assert store.get_bytes("articles/part.jsonl.gz") == b"data"
    assert store.cleanup_staging() == 0


def test_list_returns_sorted_keys_under_the_prefix_only(store: ArchiveStore) -> None:
    for key in ("runs/b.json", "runs/a.json", "articles/source=x/date=2026-11-26/r-00000.jsonl.gz", "runsx/c"):
        store.put_bytes(key, b"{}")
    assert list(store.list("runs/")) == ["runs/a.json", "runs/b.json"]
    assert list(store.list("articles/source=x")) == ["articles/source=x/date=2026-11-26/r-00000.jsonl.gz"]
    assert list(store.list("nothing/")) == []


def test_open_read_streams_an_object_and_stat_gives_its_size_and_a_version_that_changes(store: ArchiveStore) -> None:
    data = bytes(range(256)) * 1000
    store.put_bytes("inputs/a.warc.gz", data)
    stream = store.open_read("inputs/a.warc.gz")
    try:
        assert stream.read(10) == data[:10] and stream.read() == data[10:]
    finally:
        stream.close()
    first = store.stat("inputs/a.warc.gz")
    assert first.size == len(data)
    store.put_bytes("inputs/a.warc.gz", data[::-1])
    assert store.stat("inputs/a.warc.gz").version != first.version
    with pytest.raises(FileNotFoundError):
        store.stat("inputs/missing.warc.gz")
    with pytest.raises(FileNotFoundError):
        store.open_read("inputs/missing.warc.gz")


def test_put_bytes_replaces_whole_objects_and_get_range_reads_exact_bytes(store: ArchiveStore) -> None:
    store.put_bytes("runs/r.json", b"first version")
    store.put_bytes("runs/r.json", b"0123456789")
    assert store.get_bytes("runs/r.json") == b"0123456789"
    assert store.get_range("runs/r.json", 3, 4) == b"3456"
    with pytest.raises(ValueError, match="past the end"):
        store.get_range("runs/r.json", 8, 5)
    with pytest.raises(FileNotFoundError):
        store.get_bytes("runs/missing.json")


def test_check_passes_on_a_writable_store_and_leaves_nothing_behind(store: ArchiveStore) -> None:
    store.check()
    assert list(store.list("")) == []
    assert store.cleanup_staging() == 0


def test_check_reports_an_unusable_folder_as_store_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_bytes(b"")
    with pytest.raises(StoreError, match="not writable"):
        FSStore(not_a_dir).check()
    with pytest.raises(StoreError, match="not writable"):
        FSStore(not_a_dir / "archive").check()


def test_cleanup_staging_removes_leftover_temp_files_only(store: ArchiveStore) -> None:
    store.put_bytes("runs/done.json", b"{}")
    for key in ("articles/source=a/date=2026-11-26/r-00000.jsonl.gz", "snapshots/x.warc.gz"):
        store.staging_path(key).write_bytes(b"left by a dead run")
    assert store.cleanup_staging(older_than_s=3600) == 0
    assert store.cleanup_staging() == 2
    assert store.cleanup_staging() == 0
    assert list(store.list("")) == ["runs/done.json"]


@pytest.mark.parametrize(
    "parts",
    [("../x",), ("/abs",), ("a/../../b",), ("articles", "..", "x"), ("a\x00b",), ("a\\b",), ("",), ("a//b",), ()],
)
def test_safe_key_refuses_anything_that_could_escape_the_root(parts: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        safe_key(*parts)


def test_safe_key_joins_parts_and_store_methods_refuse_escaping_keys(store: ArchiveStore) -> None:
    assert safe_key("articles", "source=a/date=2026-11-26", "f.jsonl.gz") == "articles/source=a/date=2026-11-26/f.jsonl.gz"
    with pytest.raises(ValueError):
        store.get_bytes("../outside")
    with pytest.raises(ValueError):
        store.staging_path("/etc/passwd")


def test_a_source_id_cannot_make_run_archive_keys_escape(store: ArchiveStore) -> None:
    archive = RunArchive(store, RUN_ID)
    for source in ("..", "../../etc", "a/b", "", "a\x00"):
        with pytest.raises(ValueError):
            archive.snapshot(source, **exchange("https://news.example.com/a"))


# --- JSONL parts --------------------------------------------------------------------------------


def test_jsonl_part_round_trips_records_and_reports_the_files_sha256_and_size(tmp_path: Path) -> None:
    records = [{"n": i, "text": "Grüße\nzweite Zeile", "tags": ["a", "b"], "x": None} for i in range(100)]
    part = JsonlPart(tmp_path / "p.jsonl.gz")
    for record in records:
        part.write(record)
    info = part.close()

    data = (tmp_path / "p.jsonl.gz").read_bytes()
    assert info.records == 100
    assert info.bytes == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert [orjson.loads(line) for line in gzip.decompress(data).splitlines()] == records


def test_jsonl_part_refuses_an_unserialisable_record_without_corrupting_the_file(tmp_path: Path) -> None:
    part = JsonlPart(tmp_path / "p.jsonl.gz")
    part.write({"ok": 1})
    with pytest.raises(TypeError):
        part.write({"bad": {1, 2}})
    info = part.close()
    assert info.records == 1
    assert gzip.decompress((tmp_path / "p.jsonl.gz").read_bytes()) == b'{"ok":1}\n'


# --- WARC parts ---------------------------------------------------------------------------------


def test_warc_pointers_address_each_response_record_exactly(store: ArchiveStore) -> None:
    key = "snapshots/source=a/date=2026-11-26/run-00000.warc.gz"
    staged = store.staging_path(key)
    part = WarcPart(staged, key, {"operator": "test"})
    pages = {f"https://news.example.com/2026/11/{i}": f"<html>{i}</html>".encode() * (i + 1) for i in range(50)}
    pointers = {
        url: part.write_exchange(**exchange(url, T0 + timedelta(seconds=i), body))
        for i, (url, body) in enumerate(pages.items())
    }
    info = part.close()
    store.publish(staged, key)

    for url, pointer in pointers.items():
        assert pointer["warc"] == key
        records = warc_records(store.get_range(key, pointer["offset"], pointer["length"]))
        assert len(records) == 1
        rec, body = records[0]
        assert rec.rec_type == "response"
        assert rec.rec_headers.get_header("WARC-Target-URI") == url
        assert rec.rec_headers.get_header("WARC-Record-ID") == pointer["record_id"]
        assert body == pages[url]

    whole = warc_records(store.get_bytes(key))
    assert len(whole) == 1 + 2 * 50 == info.records == part.records
    assert [rec.rec_type for rec, _ in whole[:3]] == ["warcinfo", "response", "request"]
    assert {rec.rec_headers.protocol for rec, _ in whole} == {"WARC/1.1"}
    assert all(rec.digest_checker.passed is not False for rec, _ in whole)
    assert info.sha256 == hashlib.sha256(store.get_bytes(key)).hexdigest()


def test_warcinfo_names_the_software_and_the_operator(tmp_path: Path) -> None:
    part = WarcPart(tmp_path / "w.warc.gz", "snapshots/w.warc.gz", {"operator": "Example Org"})
    part.close()
    (rec, body), = warc_records((tmp_path / "w.warc.gz").read_bytes())
    assert rec.rec_type == "warcinfo"
    assert rec.rec_headers.get_header("WARC-Filename") == "w.warc.gz"
    assert b"software: newsvault/" in body
    assert b"operator: Example Org" in body


def test_stored_http_message_matches_the_decoded_body(tmp_path: Path) -> None:
    part = WarcPart(tmp_path / "w.warc.gz", "snapshots/w.warc.gz", {})
    body = b"<html>decoded payload</html>"
    pointer = part.write_exchange(
        url="https://news.example.com/a?id=1",
        fetched_at=T0,
        status=200,
        reason="OK",
        response_headers=[
            ("Content-Type", "text/html"),
            ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Length", "17"),
            ("X-Injected", "a\r\nEvil: yes"),
        ],
        body=body,
        request_headers=[("Accept", "text/html")],
        metadata={"via": "feed https://news.example.com/rss.xml"},
        ip_address="192.0.2.1",
    )
    part.close()
    records = warc_records((tmp_path / "w.warc.gz").read_bytes())
    (response, stored_body), (request, _), (metadata, fields) = records[1:]

    headers = response.http_headers
    assert stored_body == body
    assert headers.get_header("Content-Length") == str(len(body))
    assert headers.get_header("Content-Encoding") is None
    assert headers.get_header("Transfer-Encoding") is None
    assert headers.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    assert headers.get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
    assert headers.get_header("X-Archive-Orig-Content-Length") == "17"
    assert headers.get_header("Evil") is None
    # warc_records checks every digest: a wrong one given by the writer raises
    assert response.rec_headers.get_header("WARC-Payload-Digest") == payload_digest(body)
    assert response.rec_headers.get_header("WARC-IP-Address") == "192.0.2.1"
    assert response.rec_headers.get_header("WARC-Date") == "2026-11-26T10:00:00Z"

    assert request.rec_type == "request"
    assert request.http_headers.protocol == "GET"
    assert request.http_headers.statusline == "/a?id=1 HTTP/1.1"
    assert request.http_headers.get_header("Host") == "news.example.com"
    assert request.rec_headers.get_header("WARC-Concurrent-To") == pointer["record_id"]

    assert metadata.rec_type == "metadata"
    assert metadata.rec_headers.get_header("WARC-Refers-To") == pointer["record_id"]
    assert fields == b"via: feed https://news.example.com/rss.xml\r\n"


def test_warc_part_refuses_bad_exchanges(tmp_path: Path) -> None:
    part = WarcPart(tmp_path / "w.warc.gz", "snapshots/w.warc.gz", {})
    with pytest.raises(ValueError, match="absolute http"):
        part.write_exchange(**exchange("/relative"))
    with pytest.raises(ValueError, match="time zone"):
        part.write_exchange(**exchange("https://a.example/", datetime(2026, 11, 26, 10)))
    with pytest.raises(ValueError, match="status"):
        part.write_exchange(**{**exchange("https://a.example/"), "status": 42})
    assert part.close().records == 1


# --- run archives -------------------------------------------------------------------------------


def test_rotation_publishes_the_warc_and_its_index_before_the_jsonl_and_reports_records_after_all(
    store: ArchiveStore,
) -> None:
    events: list[tuple] = []
    archive = RunArchive(
        RecordingStore(store, events),
        RUN_ID,
        max_records=3,
        on_segment_published=lambda source, records: events.append(("reported", source, len(records))),
    )
    for i in range(7):
        archive_page(archive, "example-news", f"https://news.example.com/{i}")
    archive.close()

    day = "source=example-news/date=2026-11-26"
    assert events == [
        ("publish", f"snapshots/{day}/{RUN_ID}-00000.warc.gz"),
        ("publish", f"snapshots/{day}/{RUN_ID}-00000.cdxj"),
        ("publish", f"articles/{day}/{RUN_ID}-00000.jsonl.gz"),
        ("reported", "example-news", 3),
        ("publish", f"snapshots/{day}/{RUN_ID}-00001.warc.gz"),
        ("publish", f"snapshots/{day}/{RUN_ID}-00001.cdxj"),
        ("publish", f"articles/{day}/{RUN_ID}-00001.jsonl.gz"),
        ("reported", "example-news", 3),
        ("publish", f"snapshots/{day}/{RUN_ID}-00002.warc.gz"),
        ("publish", f"snapshots/{day}/{RUN_ID}-00002.cdxj"),
        ("publish", f"articles/{day}/{RUN_ID}-00002.jsonl.gz"),
        ("reported", "example-news", 1),
    ]


def test_segments_are_per_source_and_utc_day_with_unique_part_numbers(store: ArchiveStore) -> None:
    archive = RunArchive(store, RUN_ID)
    # UTC decides the day, not the zone the time was given in
    late = datetime(2026, 11, 27, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # 2026-11-26 in UTC
    next_day_in_utc = datetime(2026, 11, 27, 0, 30, tzinfo=UTC)
    for source in ("alpha", "beta"):
        archive_page(archive, source, f"https://{source}.example/1", late)
        archive_page(archive, source, f"https://{source}.example/2", next_day_in_utc)
    files = archive.close()

    paths = sorted(f["path"] for f in files)
    pattern = re.compile(
        rf"(articles|snapshots)/source=(alpha|beta)/date=(2026-11-26|2026-11-27)/{RUN_ID}-(\d{{5}})\.(jsonl\.gz|warc\.gz|cdxj)"
    )
    matches = [pattern.fullmatch(p) for p in paths]
    assert all(matches)
    segments = {(m[2], m[3]): set() for m in matches if m}
    for m in matches:
        assert m is not None
        segments[(m[2], m[3])].add(m[4])
    assert len(segments) == 4
    assert all(len(numbers) == 1 for numbers in segments.values())  # WARC, index and JSONL share it
    assert len({n for numbers in segments.values() for n in numbers}) == 4  # unique across the run


def test_manifest_entries_match_the_published_files(store: ArchiveStore) -> None:
    archive = RunArchive(store, RUN_ID, max_records=2)
    for i in range(5):
        archive_page(archive, "example-news", f"https://news.example.com/{i}")
    files = archive.close()

    assert files == archive.files
    assert sorted(f["path"] for f in files) == sorted(store.list(""))
    for entry in files:
        data = store.get_bytes(entry["path"])
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        if entry["kind"] == "articles":
            assert entry["records"] == len(gzip.decompress(data).splitlines())
        elif entry["kind"] == "index":
            assert entry["records"] == len(data.splitlines())
        else:
            assert entry["kind"] == "snapshots"
            assert entry["records"] == len(warc_records(data))
    assert sum(f["records"] for f in files if f["kind"] == "articles") == 5


def test_rotate_due_publishes_segments_open_for_max_age(store: ArchiveStore) -> None:
    now = [1000.0]
    reported: list[int] = []
    archive = RunArchive(
        store,
        RUN_ID,
        max_age_s=60,
        clock=lambda: now[0],
        on_segment_published=lambda _source, records: reported.append(len(records)),
    )
    archive_page(archive, "example-news", "https://news.example.com/1")
    now[0] = 1059.0
    archive_page(archive, "example-news", "https://news.example.com/2")
    archive.rotate_due()
    assert reported == []
    assert list(store.list("")) == []

    now[0] = 1060.0
    archive.rotate_due()
    assert reported == [2]
    assert len(list(store.list("articles/"))) == 1

    archive_page(archive, "example-news", "https://news.example.com/3")
    now[0] = 1119.0
    archive.rotate_due()
    assert reported == [2]
    archive.close()
    assert reported == [2, 1]


def test_with_more_sources_open_than_allowed_the_segment_opened_first_is_published_first(
        store: ArchiveStore) -> None:
    reported: list[str] = []
    archive = RunArchive(store, RUN_ID, max_open_segments=2,
                         on_segment_published=lambda source, records: reported.append(source))
    for n, source in enumerate(("host-a", "host-b", "host-c", "host-a")):
        archive_page(archive, source, f"https://{source}.example/{n}")
    assert reported == ["host-a", "host-b"]  # c opened with a and b open; a again with b and c open
    archive.close()
    assert sorted(reported) == ["host-a", "host-a", "host-b", "host-c"]


def test_close_on_an_idle_archive_writes_nothing(store: ArchiveStore) -> None:
    reported: list[list[dict]] = []
    archive = RunArchive(store, RUN_ID, on_segment_published=lambda _s, records: reported.append(records))
    assert archive.close() == []
    assert list(store.list("")) == []
    assert store.cleanup_staging() == 0
    assert reported == []


def test_a_segment_with_snapshots_only_publishes_its_warc(store: ArchiveStore) -> None:
    reported: list[list[dict]] = []
    archive = RunArchive(store, RUN_ID, on_segment_published=lambda _s, records: reported.append(records))
    archive.snapshot("example-news", **exchange("https://news.example.com/rss.xml"))
    files = archive.close()
    assert [(f["kind"], f["records"]) for f in files] == [("snapshots", 3), ("index", 1)]
    assert reported == []
    assert store.cleanup_staging() == 0


def test_a_record_pointing_into_another_open_segment_publishes_that_warc_first(store: ArchiveStore) -> None:
    events: list[tuple] = []
    archive = RunArchive(RecordingStore(store, events), RUN_ID, max_records=1)
    before_midnight = datetime(2026, 11, 26, 23, 59, 59, tzinfo=UTC)
    pointer = archive.snapshot("example-news", **exchange("https://news.example.com/a", before_midnight))
    record = make_record("https://news.example.com/a", "example-news", pointer, before_midnight + timedelta(seconds=2))
    archive.add_record("example-news", record)  # lands on 2026-11-27, rotates at once (max_records=1)

    published = [key for _, key in events]
    assert published.index(pointer["warc"]) < published.index(
        f"articles/source=example-news/date=2026-11-27/{RUN_ID}-00001.jsonl.gz"
    )


class FailingWarcStore(RecordingStore):
    def publish(self, staged: Path, key: str, *, sha256: str | None = None) -> None:
        if key.endswith(".warc.gz"):
            raise StoreError("disk full")
        super().publish(staged, key, sha256=sha256)


def test_a_failed_warc_publication_publishes_and_reports_nothing_of_the_segment(store: ArchiveStore) -> None:
    events: list[tuple] = []
    archive = RunArchive(
        FailingWarcStore(store, events),
        RUN_ID,
        on_segment_published=lambda source, records: events.append(("reported", source, len(records))),
    )
    archive_page(archive, "example-news", "https://news.example.com/1")
    with pytest.raises(StoreError, match="disk full"):
        archive.close()
    assert events == []
    assert archive.files == []
    assert list(store.list("")) == []
    assert store.cleanup_staging() == 0


def test_a_closed_run_archive_refuses_more_writes(store: ArchiveStore) -> None:
    archive = RunArchive(store, RUN_ID)
    archive.close()
    with pytest.raises(ValueError, match="closed"):
        archive.snapshot("example-news", **exchange("https://news.example.com/a"))


def test_records_need_an_aware_fetched_at(store: ArchiveStore) -> None:
    archive = RunArchive(store, RUN_ID)
    with pytest.raises(ValueError, match="time zone"):
        archive.add_record("example-news", {"url": "https://a.example/", "fetched_at": "2026-11-26T10:00:00"})
    with pytest.raises(ValueError, match="fetched_at"):
        archive.add_record("example-news", {"url": "https://a.example/"})
    assert archive.close() == []


# --- manifests ----------------------------------------------------------------------------------


def test_run_ids_sort_by_start_time_and_are_unique() -> None:
    first = new_run_id(T0)
    assert re.fullmatch(r"20261126T100000Z-[0-9a-f]{6}", first)
    assert new_run_id(T0) != first
    assert new_run_id(T0 + timedelta(seconds=1)) > first
    assert manifest_key(first) == f"runs/{first}.json"
    with pytest.raises(ValueError):
        manifest_key("../escape")


def test_build_manifest_has_exactly_the_specified_keys() -> None:
    manifest = build_manifest(
        run_id=RUN_ID,
        kind="crawl",
        sources=["example-news"],
        status="ok",
        started_at=T0,
        finished_at=T0 + timedelta(minutes=3, seconds=12, microseconds=5),
        files=[],
        counts={"archived": 0},
        extra={"errors": []},
    )
    assert list(manifest) == [
        "run_id", "kind", "sources", "status", "started_at", "finished_at", "files", "counts", "errors",
    ]
    assert manifest["started_at"] == "2026-11-26T10:00:00Z"
    assert manifest["finished_at"] == "2026-11-26T10:03:12Z"
    assert "running" in RUN_STATUSES
    with pytest.raises(ValueError, match="status"):
        build_manifest(run_id=RUN_ID, kind="crawl", sources=[], status="fine", started_at=T0,
                       finished_at=T0, files=[], counts={})


# --- reader -------------------------------------------------------------------------------------


def run_crawl(store: ArchiveStore, run_id: str, pages: dict[str, list[str]]) -> dict:
    archive = RunArchive(store, run_id)
    for source, urls in pages.items():
        for url in urls:
            archive_page(archive, source, url)
    manifest = build_manifest(
        run_id=run_id, kind="crawl", sources=list(pages), status="ok", started_at=T0,
        finished_at=T0, files=archive.close(), counts={"archived": sum(map(len, pages.values()))},
    )
    write_manifest(store, manifest)
    return manifest


def test_reader_round_trips_runs_records_and_snapshots(store: ArchiveStore) -> None:
    first = run_crawl(store, "20261126T100000Z-aaaaaa", {"alpha": ["https://alpha.example/1"],
                                                        "beta": ["https://beta.example/1"]})
    run_crawl(store, "20261126T110000Z-bbbbbb", {"alpha": ["https://alpha.example/2"]})
    # a file of a run still going (or dead): not in any manifest, so never read
    store.put_bytes("articles/source=alpha/date=2026-11-26/stray-00000.jsonl.gz",
                    gzip.compress(b'{"url": "https://stray.example/"}\n'))

    assert [m["run_id"] for m in iter_manifests(store)] == ["20261126T100000Z-aaaaaa", "20261126T110000Z-bbbbbb"]
    assert [m["run_id"] for m in iter_manifests(store, since="20261126T100000Z-aaaaaa")] == ["20261126T110000Z-bbbbbb"]
    assert [m["run_id"] for m in iter_manifests(store, since="20261126T103000Z")] == ["20261126T110000Z-bbbbbb"]

    assert sorted(r["url"] for r in iter_records(store)) == [
        "https://alpha.example/1", "https://alpha.example/2", "https://beta.example/1",
    ]
    assert [r["url"] for r in iter_records(store, manifest=first, source="beta")] == ["https://beta.example/1"]

    for record in iter_records(store):
        snapshot = read_snapshot(store, record["snapshot"])
        assert snapshot.url == record["url"]
        assert snapshot.status == 200
        assert snapshot.fetched_at == T0
        assert snapshot.body == f"<html><body><p>page {record['url']}</p></body></html>".encode()
        assert ("Content-Type", "text/html; charset=utf-8") in snapshot.headers
        assert snapshot.record_id == record["snapshot"]["record_id"]


def test_reader_refuses_a_file_that_does_not_match_its_manifest(store: ArchiveStore) -> None:
    manifest = run_crawl(store, RUN_ID, {"alpha": ["https://alpha.example/1"]})
    article = next(f["path"] for f in manifest["files"] if f["kind"] == "articles")
    store.put_bytes(article, gzip.compress(b'{"url": "https://tampered.example/"}\n'))
    with pytest.raises(ValueError, match="does not match"):
        list(iter_records(store))


def test_read_snapshot_refuses_a_pointer_to_the_wrong_record(store: ArchiveStore) -> None:
    manifest = run_crawl(store, RUN_ID, {"alpha": ["https://alpha.example/1"]})
    pointer = next(iter_records(store, manifest))["snapshot"]
    with pytest.raises(ValueError, match="names record"):
        read_snapshot(store, {**pointer, "record_id": "<urn:uuid:00000000-0000-0000-0000-000000000000>"})
    with pytest.raises(ValueError):
        read_snapshot(store, {**pointer, "offset": 0})  # the warcinfo record is not a response
