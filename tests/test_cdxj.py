"""CDXJ indexes: pywb's format, sorted, written next to every WARC part, and a clear error on bad WARCs."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cdxj import CdxjError, index_warc, parse_line, surt_key
from archive.run_archive import RunArchive
from archive.stores import FSStore

T0 = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)
RUN_ID = "20261126T100000Z-c0ffee"


def corpus_warcs(shared_dir: Path) -> list[tuple[Path, dict]]:
    base = shared_dir / "corpora" / "warc"
    entries = [json.loads(line) for line in (base / "index.jsonl").read_text().splitlines() if line.strip()]
    return [(base / e["path"], e["expected"]) for e in entries]


def assert_sorted_and_parsable(lines: list[str]) -> None:
    encoded = [line.encode("utf-8") for line in lines]
    assert encoded == sorted(encoded)
    for line in lines:
        capture = parse_line(line)
        assert line.startswith(f"{surt_key(capture.url)} {capture.timestamp} ")


def test_every_valid_corpus_warc_is_indexed_into_sorted_parsable_lines(shared_dir: Path) -> None:
    valid = [(path, expected) for path, expected in corpus_warcs(shared_dir) if expected["warcio_parse_ok"]]
    assert valid
    for path, expected in valid:
        with open(path, "rb") as stream:
            lines = index_warc(stream, path.name)
        assert_sorted_and_parsable(lines)
        types = expected["record_types"]
        assert len(lines) == sum(types.get(t, 0) for t in ("response", "revisit", "resource")), path
        for line in lines:
            assert parse_line(line).filename == path.name


def test_every_broken_corpus_warc_gives_an_error_naming_the_file(shared_dir: Path) -> None:
    broken = [path for path, expected in corpus_warcs(shared_dir) if not expected["warcio_parse_ok"]]
    assert broken
    for path in broken:
        with open(path, "rb") as stream, pytest.raises(CdxjError, match=f"cannot index {path.name}"):
            index_warc(stream, path.name)


def test_a_stream_that_is_not_a_warc_is_refused_clearly() -> None:
    with pytest.raises(CdxjError, match="cannot index junk.warc"):
        index_warc(io.BytesIO(b"<html>not a warc</html>\n" * 10), "junk.warc")


def test_lines_have_pywbs_fields_as_strings() -> None:
    store_lines = index_warc(io.BytesIO(_one_page_warc()), "w.warc.gz")
    (line,) = store_lines
    key, timestamp, blob = line.split(" ", 2)
    fields = json.loads(blob)
    assert key == "com,example,news)/2026/11/story.html?a=1&b=2"
    assert timestamp == "20261126100000"
    assert list(fields) == ["url", "mime", "status", "digest", "length", "offset", "filename", "kind"]
    assert all(isinstance(v, str) for v in fields.values())
    assert fields["mime"] == "text/html" and fields["status"] == "200" and fields["kind"] == "article"
    assert not fields["digest"].startswith("sha1:") and len(fields["digest"]) == 32


def test_bad_lines_are_refused_with_the_reason() -> None:
    with pytest.raises(CdxjError, match="not a CDXJ line"):
        parse_line("com,example)/ 20261126100000 not-json")
    with pytest.raises(CdxjError, match="14 digits"):
        parse_line('com,example)/ 2026 {"url": "http://example.com/"}')
    with pytest.raises(CdxjError, match="bad CDXJ line"):
        parse_line('com,example)/ 20261126100000 {"url": "http://example.com/"}')


def _one_page_warc() -> bytes:
    return _archive_pages(["https://news.example.com/2026/11/story.html?b=2&a=1"])[0]


def _archive_pages(urls: list[str], kinds: tuple[str, ...] = ("article",)) -> tuple[bytes, bytes, dict]:
    import tempfile

    with tempfile.TemporaryDirectory() as root:
        store = FSStore(root)
        archive = RunArchive(store, RUN_ID)
        for i, url in enumerate(urls):
            archive.snapshot(
                "news", url=url, fetched_at=T0, status=200, reason="OK",
                response_headers=[("Content-Type", "text/html; charset=utf-8")],
                body=f"<html><body><p>page {i}</p></body></html>".encode(),
                request_headers=[("User-Agent", "newsvault-test")],
                metadata={"newsvault-kind": kinds[i % len(kinds)]},
            )
        files = archive.close()
        warc = next(f for f in files if f["kind"] == "snapshots")
        index = next(f for f in files if f["kind"] == "index")
        return store.get_bytes(warc["path"]), store.get_bytes(index["path"]), {"warc": warc, "index": index}


def test_the_run_archive_publishes_the_index_of_each_warc_part_as_pywb_would_index_it() -> None:
    urls = [f"https://news.example.com/2026/11/{n}.html" for n in ("zeta", "alpha", "mid")] + [
        "https://news.example.com/rss.xml"]
    warc, index, files = _archive_pages(urls, kinds=("article", "article", "article", "feed"))
    lines = index.decode("utf-8").splitlines()
    assert files["index"]["path"] == files["warc"]["path"].removesuffix(".warc.gz") + ".cdxj"
    assert files["index"]["records"] == len(lines) == 4
    assert_sorted_and_parsable(lines)
    assert lines == index_warc(io.BytesIO(warc), files["warc"]["path"])
    kinds = {parse_line(line).url: parse_line(line).kind for line in lines}
    assert kinds["https://news.example.com/rss.xml"] == "feed"
    for line in lines:
        capture = parse_line(line)
        assert capture.filename == files["warc"]["path"]
        record = warc[capture.offset:capture.offset + capture.length]
        assert record[:2] == b"\x1f\x8b"  # a whole gzip member: one ranged read gets the record
