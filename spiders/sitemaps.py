"""Sitemap discovery: urlsets, sitemap indexes, Google News sitemaps, gzip bodies, robots.txt.

Parsing is a pure function of the body so it can be tested without Scrapy's engine; the XML is read
by Scrapy's ``Sitemap`` (lxml in recover mode, entities not resolved, no huge trees).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from urllib.parse import urljoin, urlsplit

import lxml.etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from scrapy.utils.sitemap import sitemap_urls_from_robots as _scrapy_sitemap_urls_from_robots

GOOGLE_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_GZIP_MAGIC = b"\x1f\x8b\x08"
_UTF8_BOM = b"\xef\xbb\xbf"
_YEAR_OR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class SitemapUrl:
    url: str
    lastmod: datetime | None
    news_published: datetime | None
    news_title: str | None


@dataclass(frozen=True)
class SitemapResult:
    kind: str  # "urlset" | "sitemapindex" | "invalid"
    urls: list[SitemapUrl]
    sitemaps: list[str]
    error: str | None


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """A W3C datetime (the ISO 8601 profile sitemaps and JSON Feed use) as a UTC-aware datetime.

    A value without a time (``2005-01-01``, ``2005-01``, ``2005``) means its midnight UTC; a time
    without an offset is taken as UTC. Unparseable values give None: a bad date must not lose the URL.
    """
    if not value:
        return None
    text = value.strip()
    if match := _YEAR_OR_MONTH.match(text):
        try:
            return datetime(int(match[1]), int(match[2] or 1), 1, tzinfo=UTC)
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_sitemap(body: bytes, url: str, max_size: int = 50_000_000) -> SitemapResult:
    """The URLs (urlset) or child sitemaps (sitemapindex) of a sitemap body; never raises.

    Gzip is recognised by its magic bytes, not the URL, because servers disagree on whether a
    ``.xml.gz`` is sent compressed, pre-decompressed, or with Content-Encoding. A body that is
    neither XML sitemap nor plain-text URL list gives ``kind="invalid"`` with the reason.
    """
    if body[:3] == _GZIP_MAGIC:
        try:
            body = gunzip(body, max_size=max_size)
        except ValueError as exc:  # Scrapy's size-exceeded error is a ValueError
            return _invalid(f"gzip body of {url} decompresses to more than {max_size} bytes: {exc}")
        except Exception as exc:  # gzip, zlib, EOF and struct errors: a corrupt archive
            return _invalid(f"corrupt gzip body of {url}: {type(exc).__name__}: {exc}")
    elif max_size and len(body) > max_size:
        return _invalid(f"sitemap {url} is {len(body)} bytes, more than the limit of {max_size}")
    if not body.strip():
        return _invalid(f"sitemap {url} is empty")
    if not body.removeprefix(_UTF8_BOM).lstrip().startswith(b"<") and b"\x00" not in body[:4]:
        return _parse_text_sitemap(body.removeprefix(_UTF8_BOM), url)
    return _parse_xml_sitemap(body, url)


def sitemap_urls_from_robots(robots_txt: str | bytes, base_url: str) -> list[str]:
    """The ``Sitemap:`` locations declared in a robots.txt, absolute, http(s) only, deduplicated."""
    data = robots_txt.encode("utf-8") if isinstance(robots_txt, str) else robots_txt
    return _unique_http_urls(_scrapy_sitemap_urls_from_robots(data, base_url=base_url))


def _invalid(error: str) -> SitemapResult:
    return SitemapResult(kind="invalid", urls=[], sitemaps=[], error=error)


def _parse_xml_sitemap(body: bytes, url: str) -> SitemapResult:
    try:
        sitemap = Sitemap(body)
        entries = list(sitemap)
    except (lxml.etree.LxmlError, StopIteration) as exc:
        return _invalid(f"sitemap {url} is not parseable XML: {str(exc) or type(exc).__name__}")
    if sitemap.type == "sitemapindex":
        locations = _unique_http_urls(urljoin(url, entry["loc"]) for entry in entries if entry.get("loc"))
        return SitemapResult(kind="sitemapindex", urls=[], sitemaps=locations, error=None)
    if sitemap.type != "urlset":
        return _invalid(f"sitemap {url} has root element <{sitemap.type}>, not <urlset> or <sitemapindex>")

    # Scrapy's Sitemap keeps only direct children of <url>, so the nested <news:news> fields are
    # read in a second, equally safe pass when the news namespace is present at all.
    news = _news_fields(body) if GOOGLE_NEWS_NS.encode() in body else {}
    urls: list[SitemapUrl] = []
    seen: set[str] = set()
    for entry in entries:
        loc = _http_url(urljoin(url, entry.get("loc", "")))
        if loc is None or loc in seen:
            continue
        seen.add(loc)
        published, title = news.get(entry["loc"], (None, None))
        urls.append(
            SitemapUrl(
                url=loc,
                lastmod=parse_w3c_datetime(entry.get("lastmod")),
                news_published=published,
                news_title=title,
            )
        )
    return SitemapResult(kind="urlset", urls=urls, sitemaps=[], error=None)


def _news_fields(body: bytes) -> dict[str, tuple[datetime | None, str | None]]:
    """``loc -> (news:publication_date, news:title)`` for every <url> carrying a <news:news>."""
    fields: dict[str, tuple[datetime | None, str | None]] = {}
    try:
        for elem in _iter_url_elements(body):
            loc = _child_text(elem, "loc")
            news = next((child for child in elem if _qname(child) == (GOOGLE_NEWS_NS, "news")), None)
            if loc and news is not None:
                published = parse_w3c_datetime(_child_text(news, "publication_date", GOOGLE_NEWS_NS))
                title = " ".join(_child_text(news, "title", GOOGLE_NEWS_NS).split())
                fields[loc] = (published, title or None)
            elem.clear()
    except lxml.etree.LxmlError:
        pass  # recover mode already salvaged what it could; keep the fields read so far
    return fields


def _iter_url_elements(body: bytes) -> Iterator[lxml.etree._Element]:
    # Same hardening as Scrapy's Sitemap: no entity expansion, no network, default tree limits.
    parser = lxml.etree.iterparse(
        BytesIO(body),
        events=("end",),
        recover=True,
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    for _, elem in parser:
        if isinstance(elem.tag, str) and _qname(elem)[1] == "url":
            yield elem


def _qname(elem: lxml.etree._Element) -> tuple[str | None, str]:
    tag = elem.tag
    if not isinstance(tag, str):
        return None, ""
    qname = lxml.etree.QName(tag)
    return qname.namespace, qname.localname


def _child_text(elem: lxml.etree._Element, localname: str, namespace: str | None = None) -> str:
    for child in elem:
        ns, name = _qname(child)
        if name == localname and (namespace is None or ns == namespace):
            return (child.text or "").strip()
    return ""


def _parse_text_sitemap(body: bytes, url: str) -> SitemapResult:
    """The sitemaps.org plain-text form: one absolute URL per line, UTF-8."""
    lines = [line.strip() for line in body.decode("utf-8", "replace").splitlines() if line.strip()]
    if not all(_http_url(line) for line in lines):
        return _invalid(f"sitemap {url} is neither XML nor a plain-text list of URLs")
    urls = [
        SitemapUrl(url=loc, lastmod=None, news_published=None, news_title=None)
        for loc in _unique_http_urls(lines)
    ]
    return SitemapResult(kind="urlset", urls=urls, sitemaps=[], error=None)


def _http_url(candidate: str) -> str | None:
    candidate = candidate.strip()
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


def _unique_http_urls(candidates: Iterable[str]) -> list[str]:
    result: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        valid = _http_url(candidate)
        if valid is not None and valid not in seen:
            seen.add(valid)
            result.append(valid)
    return result
