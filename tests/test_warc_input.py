"""Reading other crawlers' WARC files for `newsvault import`, without a crawler: the forms a WARC comes
in, a file that ends early, revisits followed within the inputs, the inputs an argument names, and
which captures are imported into which source."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from ccnews import DAY1, DAY2, HOSTS, ccnews_pages, write_warc

from archive.revisit_index import PayloadIndex
from archive.stores import FSStore, open_store
from archive.warc_input import InputError, InputInvalid, InputReading, resolve_inputs
from newsvault.config import Source
from spiders.import_reading import Capture, InputCaptures
from spiders.import_selection import Selection, SourceAssigner, host_source_id


@pytest.fixture(scope="module")
def pages(shared_dir: Path) -> list:
    return ccnews_pages(shared_dir)


def read_all(paths: list[Path], tmp_path: Path, selection: Selection | None = None,
             assigner: SourceAssigner | None = None) -> tuple[list[Capture], Counter[str], list[InputReading]]:
    """What an import would take from these files, in order: captures, skips by reason, readings."""
    inputs = resolve_inputs([str(p) for p in paths], open_store)
    tmp_path.mkdir(parents=True, exist_ok=True)
    index = PayloadIndex(tmp_path / "payloads.db")
    readings = [InputReading(f, n, index) for n, f in enumerate(inputs)]
    captures: list[Capture] = []
    skipped: Counter[str] = Counter()
    for reading in readings:
        reader = InputCaptures(reading, readings, selection or Selection(),
                               assigner or SourceAssigner([], by_host=True), index)
        while not reader.finished:
            batch = reader.next_batch()
            captures += batch.captures
            skipped += batch.skipped
    return captures, skipped, readings


def test_a_warc_gzipped_per_record_plain_or_gzipped_whole_gives_the_same_captures(pages: list, tmp_path: Path) -> None:
    gz = write_warc(tmp_path / "cc.warc.gz", pages, truncate_last=False)
    plain = write_warc(tmp_path / "cc.warc", pages, gzipped=False, truncate_last=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.path.read_bytes()))
    results = [read_all([path], tmp_path / f"index-{path.name}") for path in (gz.path, plain.path, whole)]
    bodies = [[(c.url, c.payload.body) for c in captures] for captures, _, _ in results]
    assert bodies[0] == bodies[1] == bodies[2]
    assert [url for url, _ in bodies[0]] == [p.url for p in pages] + [gz.revisit.url]
    assert [r.whole_gzip for _, _, (r,) in results] == [False, False, True]
    assert all(r.records == gz.records for _, _, (r,) in results)


def test_the_body_is_the_page_as_served_before_its_encoding_and_chunks(pages: list, tmp_path: Path) -> None:
    cc = write_warc(tmp_path / "cc.warc.gz", pages)
    captures, _, _ = read_all([cc.path], tmp_path)
    encoded = next(p for p in pages if p.gzipped)
    capture = next(c for c in captures if c.url == encoded.url)
    assert capture.payload.body == encoded.body
    assert capture.payload.header("Content-Encoding") == "gzip"  # kept, the copy marks it as the original's
    assert capture.fetched_at == encoded.date and capture.ip_address == "192.0.2.7"


@pytest.mark.parametrize("gzipped", [True, False], ids=["gzip-per-record", "plain"])
def test_a_file_cut_short_keeps_what_came_before_and_says_where_it_breaks(pages: list, tmp_path: Path,
                                                                           gzipped: bool) -> None:
    cc = write_warc(tmp_path / ("cc.warc.gz" if gzipped else "cc.warc"), pages, gzipped=gzipped)
    (reading,) = resolve_inputs([str(cc.path)], open_store)
    input_reading = InputReading(reading, 0)
    urls = []
    with pytest.raises(InputInvalid, match="truncated") as broken:
        for record in input_reading:
            if record.rec_type == "response":
                urls.append(record.url)
    assert urls[:len(pages)] == [p.url for p in pages]
    assert broken.value.offset > 0
    data = cc.path.read_bytes()
    assert input_reading.size == len(data) and input_reading.sha256 == hashlib.sha256(data).hexdigest()


def test_trailing_bytes_after_the_last_whole_gzip_member_are_a_truncated_record(pages: list, tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "cc.warc.gz", pages[:2], extras=False, truncate_last=False).path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole + gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + b"x" * 5000)[:60])
    reading = InputReading(resolve_inputs([str(cut)], open_store)[0], 0)
    with pytest.raises(InputInvalid) as broken:
        list(reading)
    assert broken.value.offset == len(whole)


def test_not_a_warc_at_all_is_invalid_from_its_first_byte(tmp_path: Path) -> None:
    text = tmp_path / "saved-page.warc"
    text.write_text("<!doctype html>\n<html><body>a page saved by a browser</body></html>\n")
    with pytest.raises(InputInvalid) as broken:
        list(InputReading(resolve_inputs([str(text)], open_store)[0], 0))
    assert broken.value.offset == 0


def test_skipped_captures_are_counted_by_reason_and_the_rest_go_to_their_host_sources(pages: list,
                                                                                      tmp_path: Path) -> None:
    cc = write_warc(tmp_path / "cc.warc.gz", pages)
    captures, skipped, _ = read_all([cc.path], tmp_path)
    assert dict(skipped) == {"http_status": 1, "not_html": 1, "revisit_unresolved": 1, "warc_invalid": 1}
    assert {c.url: c.source.id for c in captures} == {p.url: HOSTS[p.host] for p in pages}
    revisit = [c for c in captures if c.url == cc.revisit.url]
    assert [c.fetched_at for c in revisit] == [cc.revisit.date, DAY2 + timedelta(hours=3)]
    assert revisit[0].payload.body == revisit[1].payload.body == cc.revisit.body


def test_host_and_window_are_judged_before_the_source(pages: list, tmp_path: Path) -> None:
    cc = write_warc(tmp_path / "cc.warc.gz", pages, extras=False, truncate_last=False)
    window = Selection(since=DAY1, until=DAY2)
    captures, skipped, _ = read_all([cc.path], tmp_path / "w", window, SourceAssigner([]))
    assert not captures and skipped == Counter({"out_of_window": len(cc.urls(day=DAY2)),
                                                "no_source": len(cc.urls(day=DAY1))})
    hosts = Selection(host=re.compile(r"dailyledger\.co\.uk$"))
    captures, skipped, _ = read_all([cc.path], tmp_path / "h", hosts)
    assert {c.url for c in captures} == cc.urls(host="dailyledger.co.uk")
    assert skipped == Counter({"host_filtered": len(pages) - len(captures)})


def test_a_revisit_follows_its_response_into_a_later_input_too(pages: list, tmp_path: Path) -> None:
    # the revisit comes first (inputs in name order), the response it repeats in the next file
    original = write_warc(tmp_path / "b-original.warc.gz", pages[:1], extras=False, truncate_last=False)
    later = write_warc(tmp_path / "a-with-revisit.warc.gz", pages[:1], truncate_last=False)
    # keep only the revisits of the second file: its copy of the page is not there
    kept = tmp_path / "a-revisits.warc.gz"
    _copy_records(later.path, kept, {"warcinfo", "revisit"})
    captures, skipped, readings = read_all([kept, original.path], tmp_path)
    assert [c.url for c in captures] == [pages[0].url, pages[0].url]
    assert captures[0].fetched_at == DAY2 + timedelta(hours=3)  # the revisit, resolved forward
    assert captures[0].payload.body == pages[0].body
    assert skipped == Counter({"revisit_unresolved": 1})
    assert all(r.indexed for r in readings)


def _copy_records(source: Path, target: Path, types: set[str]) -> None:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    with open(source, "rb") as read, open(target, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for record in ArchiveIterator(read):
            if record.rec_type in types:
                writer.write_record(record)


def test_inputs_are_files_folders_and_globs_in_order_each_once(tmp_path: Path) -> None:
    folder = tmp_path / "ccnews" / "2024" / "05"
    folder.mkdir(parents=True)
    for name in ("CC-NEWS-2.warc.gz", "CC-NEWS-1.warc.gz", "old.arc"):
        (folder / name).write_bytes(b"")
    (folder / "warc.paths").write_text("not an archive\n")
    (tmp_path / "single.warc").write_bytes(b"")
    found = resolve_inputs([str(tmp_path / "single.warc"), str(tmp_path / "ccnews"),
                            str(tmp_path / "ccnews" / "**" / "CC-NEWS-*.warc.gz")], open_store)
    assert [f.uri for f in found] == [str(tmp_path / "single.warc"),
                                      *(str(folder / n) for n in ("CC-NEWS-1.warc.gz", "CC-NEWS-2.warc.gz", "old.arc"))]
    assert all(isinstance(f.store, FSStore) for f in found)
    with pytest.raises(InputError, match="no such WARC or ARC file"):
        resolve_inputs([str(tmp_path / "missing.warc.gz")], open_store)
    with pytest.raises(InputError):
        resolve_inputs([str(tmp_path / "ccnews" / "*.arc.gz")], open_store)


def test_an_input_is_known_by_its_name_size_and_version(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    path.write_bytes(b"one")
    (before,) = resolve_inputs([str(path)], open_store)
    path.write_bytes(b"other")
    (after,) = resolve_inputs([str(path)], open_store)
    assert before.identity != after.identity and after.size == 5


def test_by_host_sources_are_registered_domains_written_as_source_ids() -> None:
    assert host_source_id("https://www.bbc.co.uk/news/x") == "bbc-co-uk"
    assert host_source_id("https://news.bbc.co.uk/") == "bbc-co-uk"
    assert host_source_id("https://user.github.io/post") == "user-github-io"  # a public suffix of its own
    assert host_source_id("http://127.0.0.2:8080/a") == "127-0-0-2"
    assert host_source_id("dns:www.example.com") is None


def test_a_capture_goes_to_the_configured_source_naming_its_host_most_closely() -> None:
    wide = Source(id="example", name="Example", allowed_domains=("example.com",))
    news = Source(id="example-news", name="Example News", allowed_domains=("news.example.com",))
    assigner = SourceAssigner([wide, news])
    assert assigner.source_of("https://news.example.com/a").id == "example-news"
    assert assigner.source_of("https://www.example.com/a").id == "example"
    assert assigner.source_of("https://elsewhere.org/a") is None
    by_host = SourceAssigner([wide], by_host=True)
    assert by_host.source_of("https://www.example.com/a").id == "example"
    assert by_host.source_of("https://elsewhere.org/a").id == "elsewhere-org"
    only = SourceAssigner([wide, news], only=news)
    assert only.source_of("https://elsewhere.org/a").id == "example-news"

