"""A CC-NEWS-like WARC, written with warcio from real corpus pages, for the import tests.

Like a Common Crawl news WARC it mixes many hosts over a few days, and around each response it has
the request and a metadata record. It also holds what an import must pass over or follow: a 404 page,
an image, a revisit of an earlier page (identical payload, WARC-Refers-To), a revisit of a page no
input holds, one page sent gzip-encoded and chunked, and, last, a response record cut in half, as a
download that stopped early leaves it.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

CORPUS = "zyte_article_extraction_benchmark"
DAY1 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
DAY2 = datetime(2024, 5, 2, 6, 0, tzinfo=UTC)
# host -> the source --by-host makes of it (its registered domain)
HOSTS = {
    "www.dailyledger.co.uk": "dailyledger-co-uk",
    "news.dailyledger.co.uk": "dailyledger-co-uk",
    "www.wirewatch.com": "wirewatch-com",
    "fieldnotes.example.org": "example-org",
}


@dataclass(frozen=True)
class Page:
    url: str
    host: str
    date: datetime
    body: bytes  # the HTML as served (before any Content-Encoding)
    corpus_id: str
    gzipped: bool = False  # sent with Content-Encoding: gzip and chunked


@dataclass(frozen=True)
class CcNews:
    path: Path
    pages: list[Page]  # the 2xx HTML responses, each once
    revisit: Page  # the page revisited on day 2 (its revisit is imported too, as a duplicate)
    records: int  # every record written, the truncated one included

    def urls(self, *, host: str | None = None, day: datetime | None = None) -> set[str]:
        return {p.url for p in self.pages
                if (host is None or p.host.endswith(host)) and (day is None or p.date.date() == day.date())}


def corpus_pages(shared_dir: Path, count: int) -> Iterator[tuple[str, bytes]]:
    """(corpus id, HTML) of the first pages of the corpus that have an expected article body."""
    folder = shared_dir / "corpora" / CORPUS
    n = 0
    for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("html_encoding") not in (None, "utf-8") or not (row.get("expected") or {}).get("articleBody"):
            continue
        yield row["id"], gzip.decompress((folder / row["html_path"]).read_bytes())
        n += 1
        if n == count:
            return


def _chunked(data: bytes, size: int = 4096) -> bytes:
    out = b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size]) for i in range(0, len(data), size))
    return out + b"0\r\n\r\n"


class _Writer:
    def __init__(self, out: io.BufferedIOBase, gzipped: bool) -> None:
        self.writer = WARCWriter(out, gzip=gzipped, warc_version="1.1")
        self.records = 0

    def write(self, record: object) -> None:
        self.writer.write_record(record)
        self.records += 1

    def warcinfo(self, name: str) -> None:
        self.write(self.writer.create_warcinfo_record(name, {"software": "newsvault tests (CC-NEWS-like)",
                                                             "isPartOf": "CC-NEWS-TEST"}))

    def exchange(self, url: str, date: datetime, status: str, headers: list[tuple[str, str]], payload: bytes,
                 *, metadata: bool = False) -> str:
        warc_date = date.strftime("%Y-%m-%dT%H:%M:%SZ")
        response = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), length=len(payload),
            warc_headers_dict={"WARC-Date": warc_date, "WARC-IP-Address": "192.0.2.7"},
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"))
        request = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0,
            warc_headers_dict={"WARC-Date": warc_date,
                               "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
            http_headers=StatusAndHeaders(f"GET /{url.split('/', 3)[3]} HTTP/1.1",
                                          [("Host", url.split("/")[2]), ("User-Agent", "CCBot/2.0")],
                                          is_http_request=True))
        self.write(request)
        self.write(response)
        if metadata:
            fields = b"fetchTimeMs: 212\r\ncharset-detected: UTF-8\r\n"
            self.write(self.writer.create_warc_record(
                url, "metadata", payload=io.BytesIO(fields), length=len(fields),
                warc_content_type="application/warc-fields",
                warc_headers_dict={"WARC-Date": warc_date,
                                   "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")}))
        return str(response.rec_headers.get_header("WARC-Record-ID"))

    def revisit(self, url: str, date: datetime, refers_to: str | None, digest: str, headers: list[tuple[str, str]],
                original_url: str, original_date: datetime) -> None:
        revisit = self.writer.create_revisit_record(
            url, digest, original_url, original_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"))
        revisit.rec_headers.replace_header("WARC-Date", date.strftime("%Y-%m-%dT%H:%M:%SZ"))
        if refers_to:
            revisit.rec_headers.add_header("WARC-Refers-To", refers_to)
        self.write(revisit)


def _digest(body: bytes) -> str:
    import base64
    import hashlib

    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def ccnews_pages(shared_dir: Path, count: int = 8) -> list[Page]:
    """`count` corpus pages spread over the hosts, the first half on day 1, the third one gzip-encoded."""
    hosts = list(HOSTS)
    pages = []
    for n, (corpus_id, body) in enumerate(corpus_pages(shared_dir, count)):
        host = hosts[n % len(hosts)]
        day = DAY1 if n < count // 2 else DAY2  # every host on both days
        pages.append(Page(f"https://{host}/2024/05/story-{n:02d}.html", host, day + timedelta(minutes=7 * n), body,
                          corpus_id, gzipped=n == 2))
    return pages


def write_warc(path: Path, pages: list[Page], *, extras: bool = True, truncate_last: bool = True,
               gzipped: bool = True) -> CcNews:
    """The pages as a WARC at `path`; with `extras` the 404, the image and the revisits too, and with
    `truncate_last` a last response record cut in half."""
    buffer = io.BytesIO()
    writer = _Writer(buffer, gzipped)
    writer.warcinfo(path.name)
    ids: dict[str, str] = {}
    for n, page in enumerate(pages):
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Server", "nginx")]
        payload = page.body
        if page.gzipped:
            payload = _chunked(gzip.compress(page.body))
            headers += [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
        else:
            headers.append(("Content-Length", str(len(payload))))
        ids[page.url] = writer.exchange(page.url, page.date, "200 OK", headers, payload, metadata=n % 3 == 0)
    revisited = pages[0]
    if extras:
        first = pages[0]
        writer.exchange(f"https://{first.host}/2024/05/gone.html", DAY1 + timedelta(hours=1), "404 Not Found",
                        [("Content-Type", "text/html"), ("Content-Length", "22")], b"<html>not found</html>")
        png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
        writer.exchange(f"https://{first.host}/logo.png", DAY1 + timedelta(hours=1), "200 OK",
                        [("Content-Type", "image/png"), ("Content-Length", str(len(png)))], png)
        # Day 2: the first page again, unchanged, as a crawler with dedup writes it; and a revisit of
        # a page from a crawl the inputs do not hold.
        writer.revisit(revisited.url, DAY2 + timedelta(hours=3), ids[revisited.url], _digest(revisited.body),
                       [("Content-Type", "text/html; charset=utf-8")], revisited.url, revisited.date)
        writer.revisit(f"https://{first.host}/2023/old-story.html", DAY2 + timedelta(hours=3), None,
                       _digest(b"a page of another crawl"), [("Content-Type", "text/html")],
                       f"https://{first.host}/2023/old-story.html", DAY1 - timedelta(days=300))
    data = buffer.getvalue()
    if truncate_last:
        before = len(data)
        last = pages[-1]
        writer.exchange(f"https://{last.host}/2024/05/cut-short.html", DAY2 + timedelta(hours=4), "200 OK",
                        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(last.body)))],
                        last.body)
        data = buffer.getvalue()
        data = data[: before + (len(data) - before) // 2]  # the download stopped in the middle of it
    path.write_bytes(data)
    return CcNews(path, list(pages), revisited, writer.records)
