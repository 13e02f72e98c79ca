"""Feed discovery: article URLs from RSS 2.0/0.9x, Atom, RDF (RSS 1.0) and JSON Feed bodies.

XML feeds go through feedparser, which copes with ill-formed documents (it falls back to a loose
parser and reports why in ``bozo_exception``); JSON Feed, which feedparser does not read, is parsed
here. Both are pure functions of the body, so they never touch the network or the file system.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from w3lib.html import remove_tags, replace_entities

from spiders.sitemaps import parse_w3c_datetime

# Media types that only ever carry feeds; generic XML/JSON types need a look at the body.
_FEED_MEDIA_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/x-rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "text/rss+xml",
        "text/atom+xml",
    }
)
_SNIFF_BYTES = 4096
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
# XML 1.0 appendix F: the encoding family of an unmarked document from its first bytes.
_XML_AUTODETECT = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_XML_ROOT = re.compile(
    r"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*<([A-Za-z_][\w.:-]*)",
    re.DOTALL | re.IGNORECASE,
)
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_JSONFEED_VERSION = re.compile(r"jsonfeed\.org\\?/version\\?/")


@dataclass(frozen=True)
class FeedEntry:
    url: str
    published: datetime | None
    updated: datetime | None
    title: str | None


@dataclass(frozen=True)
class FeedResult:
    entries: list[FeedEntry]
    format: str  # feedparser's version ("rss20", "atom10", "rss10", ...), "json", or "unknown"
    bozo: str | None  # why the document was ill-formed; its salvageable entries are still returned


def looks_like_feed(body: bytes, content_type: str | None) -> bool:
    """Whether a response is a feed, from its media type or, for generic types, its first bytes."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in _FEED_MEDIA_TYPES:
        return True
    head = _decode_head(body)
    if head.lstrip().startswith("{"):
        return bool(_JSONFEED_VERSION.search(head))
    match = _XML_ROOT.match(head)
    return bool(match) and match[1].rsplit(":", 1)[-1].lower() in _FEED_ROOTS


def parse_feed(body: bytes, url: str, headers: Mapping[str, str] | None = None) -> FeedResult:
    """The entries of a feed body fetched from ``url``; never raises.

    ``headers`` are the HTTP response headers: their charset overrides the XML declaration, as
    RFC 3023 requires. Entry URLs are made absolute against ``url``, kept only when http(s), and
    deduplicated in feed order.
    """
    if not body or not body.strip():
        return FeedResult(entries=[], format="unknown", bozo="empty document")
    if _decode_head(body).lstrip().startswith("{"):
        return _parse_json_feed(body, url)
    return _parse_xml_feed(body, url, headers)


def _decode_head(body: bytes) -> str:
    head = body[:_SNIFF_BYTES]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, "ignore")
    for first_bytes, encoding in _XML_AUTODETECT:
        if head.startswith(first_bytes):
            return head.decode(encoding, "ignore")
    return head.decode("utf-8", "ignore")


def _parse_xml_feed(body: bytes, url: str, headers: Mapping[str, str] | None) -> FeedResult:
    # feedparser matches header names in lower case; passing no headers at all (rather than an
    # empty dict) keeps its "no HTTP involved" encoding rules for bodies read from disk.
    response_headers = {name.lower(): value for name, value in (headers or {}).items()} or None
    try:
        # A BytesIO, never raw bytes: feedparser treats a bytes/str argument that looks like a path
        # or URL as something to open. Sanitising and URI rewriting of content is not needed here.
        parsed = feedparser.parse(
            BytesIO(body),
            response_headers=response_headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser on hostile input: report, never crash the crawl
        return FeedResult(
            entries=[], format="unknown", bozo=f"feedparser failed: {type(exc).__name__}: {exc}"
        )

    version = parsed.get("version") or ""
    bozo = _describe(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    raw_entries = parsed.get("entries") or []
    if not version and not raw_entries and bozo is None:
        bozo = "document is not an RSS, Atom or RDF feed"

    entries = _unique(
        FeedEntry(
            url=link,
            # dict.get bypasses FeedParserDict's aliasing of a missing "updated" to "published".
            published=_struct_to_datetime(dict.get(entry, "published_parsed")),
            updated=_struct_to_datetime(dict.get(entry, "updated_parsed")),
            title=_entry_title(entry),
        )
        for entry in raw_entries
        if (link := _absolute_http_url(url, _entry_link(entry))) is not None
    )
    return FeedResult(entries=entries, format=version or "unknown", bozo=bozo)


def _entry_link(entry: Mapping[str, Any]) -> str | None:
    # feedparser already promotes a permalink <guid> to ``link``; Atom entries may carry only
    # typed <link> elements, of which the alternate one is the article.
    if link := entry.get("link"):
        return str(link)
    for candidate in entry.get("links") or []:
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return str(candidate["href"])
    return None


def _entry_title(entry: Mapping[str, Any]) -> str | None:
    title = entry.get("title")
    detail = entry.get("title_detail") or {}
    # With sanitising off, feedparser hands over HTML titles as markup (craigslist's <sup>, &#x24;).
    if isinstance(title, str) and detail.get("type") in ("text/html", "application/xhtml+xml"):
        title = replace_entities(remove_tags(title))
    return _clean_title(title)


def _parse_json_feed(body: bytes, url: str) -> FeedResult:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return FeedResult(entries=[], format="json", bozo=f"invalid JSON: {exc}")
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        return FeedResult(entries=[], format="json", bozo="JSON document is not a JSON Feed: no items list")
    bozo = None
    version = document.get("version")
    if not (isinstance(version, str) and _JSONFEED_VERSION.search(version)):
        bozo = f"JSON Feed without a jsonfeed.org version (version={version!r})"

    entries = _unique(
        FeedEntry(
            url=link,
            published=_json_date(item.get("date_published")),
            updated=_json_date(item.get("date_modified")),
            title=_clean_title(item.get("title")),
        )
        for item in document["items"]
        if isinstance(item, dict)
        and (link := _absolute_http_url(url, item.get("url") or item.get("external_url"))) is not None
    )
    return FeedResult(entries=entries, format="json", bozo=bozo)


def _json_date(value: object) -> datetime | None:
    return parse_w3c_datetime(value) if isinstance(value, str) else None


def _absolute_http_url(base: str, link: object) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        absolute = urljoin(base, link.strip())
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return absolute


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    # feedparser normalises every date format it knows to a UTC struct_time.
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _clean_title(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _describe(exc: object) -> str:
    if isinstance(exc, BaseException):
        return f"{type(exc).__name__}: {exc}"
    return "ill-formed feed"


def _unique(entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    seen: set[str] = set()
    result: list[FeedEntry] = []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            result.append(entry)
    return result
