"""Link discovery on start pages: which links are articles, which are worth following further.

A pure function of the HTML so the spider, ``sources test`` and the tests share one behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from courlan import is_navigation_page, is_not_crawlable
from w3lib.encoding import html_to_unicode
from w3lib.url import safe_url_string

# Links that never lead to an HTML page worth extracting or exploring.
_ASSET_PATH = re.compile(
    r"\.(?:css|js|mjs|json|xml|rss|atom|rdf|jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|pdf|docx?|xlsx?|pptx?|"
    r"odt|ods|zip|gz|tgz|bz2|xz|7z|rar|tar|exe|dmg|apk|mp3|m4a|aac|ogg|oga|wav|flac|mp4|m4v|mov|avi|mkv|"
    r"webm|flv|wmv|woff2?|ttf|otf|eot|txt|csv|ics)$",
    re.IGNORECASE,
)
# Feed endpoints without an extension (WordPress /feed/, /rss, /atom): feeds are configured, not crawled.
_FEED_PATH = re.compile(r"/(?:feed|feeds|rss|atom)(?:/(?:rss2?|atom|rdf))?/?$", re.IGNORECASE)
# A full date opening a single segment (/20240517-flood, /2024-05-17.html); year-only segments are archives.
_DATE_SEGMENT = re.compile(r"^(?:19|20)\d{2}[-_]?(?:0[1-9]|1[0-2])[-_]?(?:0[1-9]|[12]\d|3[01])(?:\D|$)")
_SLUG_WORD_SEPARATOR = re.compile(r"[-_]+")
_MIN_SLUG_WORDS = 4
_ALLOWED_SCHEMES = frozenset({"http", "https"})


def article_links(
    html: bytes | str,
    base_url: str,
    *,
    allowed_domains: Sequence[str],
    pattern: re.Pattern[str] | None,
    encoding: str | None = None,
) -> tuple[list[str], list[str]]:
    """``(article_urls, other_followable_urls)`` linked from a page fetched at ``base_url``.

    Both lists hold absolute http(s) URLs in document order, without fragments, each URL once and in
    one list only, restricted to ``allowed_domains`` and their subdomains. Articles are links whose
    path (with its query) matches ``pattern``; without a pattern, a URL-shape heuristic decides.
    Assets, feeds, ``mailto:`` and ``javascript:`` links appear in neither list. ``encoding`` is the
    HTTP charset, which wins over what the page declares.
    """
    articles: list[str] = []
    others: list[str] = []
    seen: set[str] = set()
    for url in _page_links(html, base_url, encoding):
        if url in seen or not url_in_domains(url, allowed_domains):
            continue
        seen.add(url)
        path = urlsplit(url).path
        if _ASSET_PATH.search(path) or _FEED_PATH.search(path):
            continue
        (articles if _is_article(url, pattern) else others).append(url)
    return articles, others


def url_in_domains(url: str, allowed_domains: Sequence[str]) -> bool:
    """Whether the URL's host is one of ``allowed_domains`` or a subdomain of one.

    As Scrapy's OffsiteMiddleware does, ``example.com`` admits ``news.example.com``; an entry written
    as a URL or with a port counts by its host name. No allowed domain admits nothing: a source
    without a domain list must not wander the whole web.
    """
    return matched_domain(url, allowed_domains) is not None


def matched_domain(url: str, allowed_domains: Sequence[str]) -> str | None:
    """The longest of ``allowed_domains`` that holds the URL's host (as ``url_in_domains`` admits
    it), or None: an import gives a capture to the source that names its host most closely."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return None
    if not host:
        return None
    best: str | None = None
    for entry in allowed_domains:
        domain = _domain_of(entry)
        if domain and (host == domain or host.endswith("." + domain)) and len(domain) > len(best or ""):
            best = domain
    return best


def _domain_of(entry: str) -> str:
    entry = entry.strip().lower()
    if "://" in entry:
        try:
            return (urlsplit(entry).hostname or "").rstrip(".")
        except ValueError:
            return ""
    domain = entry.split("/", 1)[0].rsplit(":", 1)[0].strip(".")
    # Links are percent/IDNA-encoded like Scrapy's requests, so compare in the same (ASCII) form.
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def _page_links(html: bytes | str, base_url: str, encoding: str | None) -> Iterator[str]:
    document = _parse_html(html, encoding)
    if document is None:
        return
    base = base_url
    base_hrefs = document.xpath("//base[@href]/@href")
    if base_hrefs:
        base = urljoin(base_url, str(base_hrefs[0]).strip())
    for href in document.xpath("//a[@href]/@href | //area[@href]/@href"):
        if url := _absolute_url(base, str(href)):
            yield url


def _parse_html(html: bytes | str, encoding: str | None) -> lxml.html.HtmlElement | None:
    if isinstance(html, bytes):
        # w3lib applies the browser precedence: BOM, then HTTP charset, then <meta>, then UTF-8.
        _, html = html_to_unicode(f"text/html; charset={encoding}" if encoding else None, html)
    if not html.strip():
        return None
    try:
        # Re-encoded bytes with a declared parser encoding: lxml refuses str input that carries an
        # XML encoding declaration, which some XHTML pages do.
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
        return lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None


def _absolute_url(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    try:
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in _ALLOWED_SCHEMES or not parts.hostname:
        return None
    # Percent-encode what browsers would (spaces, non-ASCII) so the URL is the one Scrapy requests.
    return safe_url_string(parts._replace(fragment="").geturl())


def _is_article(url: str, pattern: re.Pattern[str] | None) -> bool:
    parts = urlsplit(url)
    if pattern is not None:
        return bool(pattern.search(parts.path + (f"?{parts.query}" if parts.query else "")))
    if is_navigation_page(url) or is_not_crawlable(url):
        return False
    segments = [segment for segment in parts.path.split("/") if segment]
    return (
        len(segments) >= 2
        or any(_DATE_SEGMENT.match(segment) for segment in segments)
        or any(_is_long_slug(segment) for segment in segments)
    )


def _is_long_slug(segment: str) -> bool:
    stem = segment.rsplit(".", 1)[0]
    return len([word for word in _SLUG_WORD_SEPARATOR.split(stem) if word]) >= _MIN_SLUG_WORDS
