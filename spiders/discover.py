"""Finding a site's feeds and sitemaps from its homepage, for ``newsvault sources add``.

Plain functions over a small synchronous HTTP client: discovery runs once, by hand, before a source
is crawled, so it needs no reactor. Candidates come from where sites declare them (``<link
rel=alternate>`` in the homepage, ``Sitemap:`` lines of robots.txt), then from the paths that
publishing systems use by convention; every candidate is fetched and validated with the same
parsers the spider uses (spiders.feeds.parse_feed, spiders.sitemaps.parse_sitemap), so what is
proposed is what the crawl will read. Convention paths that robots.txt disallows are not probed.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
from protego import Protego

from spiders.feeds import looks_like_feed, parse_feed
from spiders.sitemaps import parse_sitemap, sitemap_urls_from_robots

# Where publishing systems put feeds (WordPress, Ghost, Hugo, Jekyll, Drupal, Movable Type, ...).
COMMON_FEED_PATHS = (
    "/feed", "/feed/", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/feed.atom", "/index.xml",
    "/feed.json", "/index.rdf", "/rss/index.xml",
)
COMMON_SITEMAP_PATHS = (
    "/sitemap.xml", "/sitemap_index.xml", "/sitemap-index.xml", "/sitemap-news.xml", "/news-sitemap.xml",
    "/sitemap_news.xml", "/sitemap.xml.gz",
)
_FEED_LINK_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
    "application/json", "text/xml", "application/xml",
})
# <a href> targets that name a feed, for sites that link their feed without declaring it.
_FEED_HREF = re.compile(r"(?:/feed/?|/rss/?|\.rss|\.atom|\.rdf|/feed\.json|/atom\.xml|/rss\.xml)$", re.I)
SAMPLE_SIZE = 5
MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes


Fetcher = Callable[[str], "Fetched | None"]


def http_fetcher(user_agent: str, timeout: float = 15.0, max_bytes: int = MAX_BYTES) -> Fetcher:
    """A GET that returns the (decoded) response, also for error statuses; None when unreachable."""

    def fetch(url: str) -> Fetched | None:
        request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept-Encoding": "gzip"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
                return _read(response, max_bytes)
        except urllib.error.HTTPError as exc:
            return _read(exc, max_bytes)
        except (urllib.error.URLError, OSError, ValueError):
            return None

    return fetch


def _read(response: object, max_bytes: int) -> Fetched:
    body = response.read(max_bytes + 1)  # type: ignore[attr-defined]
    headers = {k.lower(): v for k, v in response.headers.items()}  # type: ignore[attr-defined]
    if headers.get("content-encoding", "").lower() in ("gzip", "x-gzip"):
        # bounded, so a small compressed body cannot expand past max_bytes in memory
        with contextlib.suppress(zlib.error):
            body = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, max_bytes)
    return Fetched(response.geturl(), int(response.status), headers, body[:max_bytes])  # type: ignore[attr-defined]


@dataclass(frozen=True)
class FoundFeed:
    url: str
    format: str
    entries: int
    sample: list[str]
    via: str  # "link", "page link" or "common path"


@dataclass(frozen=True)
class FoundSitemap:
    url: str
    kind: str  # "urlset" or "sitemapindex"
    urls: int  # URLs in it, or in the children read for a sample
    children: list[str]
    news: bool
    sample: list[str]
    via: str  # "robots.txt" or "common path"


@dataclass
class Discovery:
    homepage: str
    final_url: str | None = None
    title: str | None = None
    feeds: list[FoundFeed] = field(default_factory=list)
    sitemaps: list[FoundSitemap] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (url, why) of declared candidates

    @property
    def host(self) -> str:
        return (urlsplit(self.final_url or self.homepage).hostname or "").lower()


def site_root(url: str) -> str:
    split = urlsplit(url)
    return urlunsplit((split.scheme, split.netloc, "/", "", ""))


def declared_feeds(html: bytes, base_url: str) -> tuple[list[str], list[str]]:
    """``(link_feeds, anchor_feeds)``: feeds declared with <link rel=alternate>, and <a> links to feeds."""
    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return [], []
    linked = []
    for link in doc.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if ("alternate" in rel or "feed" in rel) and (kind in _FEED_LINK_TYPES or "feed" in rel):
            linked.append(urljoin(base_url, link.get("href").strip()))
    anchors = [urljoin(base_url, a.get("href").strip()) for a in doc.xpath("//a[@href]")
               if _FEED_HREF.search(urlsplit(a.get("href").strip()).path)]
    return _unique_http(linked), _unique_http(anchors)


def page_title(html: bytes) -> str | None:
    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None
    for xpath in ('//meta[@property="og:site_name"]/@content', "//title//text()"):
        found = " ".join(" ".join(str(v) for v in doc.xpath(xpath)).split())
        if found:
            # "Home | Example News", "Example News - Latest": the site's name is the longest part
            # that is not a generic word; a homepage title repeats it often ("X | X").
            parts = [p.strip() for p in re.split(r"\s+[|\u2013\u2014:-]\s+", found) if p.strip()]
            named = [p for p in parts if p.lower() not in ("home", "homepage", "front page", "latest")]
            return max(named or parts, key=len)
    return None


def _unique_http(urls: Iterable[str]) -> list[str]:
    out: list[str] = []
    for url in urls:
        clean = url.split("#", 1)[0]
        if urlsplit(clean).scheme in ("http", "https") and clean not in out:
            out.append(clean)
    return out


def discover(homepage: str, fetch: Fetcher, *, user_agent: str = "*", probe_common_paths: bool = True,
             sample_size: int = SAMPLE_SIZE) -> Discovery:
    """The valid feeds and sitemaps of the site whose homepage is ``homepage``."""
    found = Discovery(homepage)
    home = fetch(homepage)
    root = site_root(homepage)
    link_feeds: list[str] = []
    anchor_feeds: list[str] = []
    if home is not None and home.status == 200:
        found.final_url = home.url
        root = site_root(home.url)
        found.title = page_title(home.body)
        link_feeds, anchor_feeds = declared_feeds(home.body, home.url)
    elif home is not None:
        found.rejected.append((homepage, f"HTTP {home.status}"))
    else:
        found.rejected.append((homepage, "unreachable"))

    robots_txt = fetch(urljoin(root, "/robots.txt"))
    robots_body = robots_txt.body if robots_txt is not None and robots_txt.status == 200 else b""
    robots = Protego.parse(robots_body.decode("utf-8", "replace"))
    robots_sitemaps = sitemap_urls_from_robots(robots_body, root) if robots_body else []

    def allowed(url: str) -> bool:
        return robots.can_fetch(url, user_agent)

    seen_bodies: set[str] = set()
    candidates = [(u, "link") for u in link_feeds] + [(u, "page link") for u in anchor_feeds]
    if probe_common_paths:
        candidates += [(urljoin(root, p), "common path") for p in COMMON_FEED_PATHS]
    for url, via in candidates:
        if via == "common path" and not allowed(url):
            continue
        feed = _check_feed(url, via, fetch, seen_bodies, sample_size)
        if isinstance(feed, FoundFeed):
            found.feeds.append(feed)
        elif feed is not None and via != "common path":
            found.rejected.append((url, feed))

    sitemap_candidates = [(u, "robots.txt") for u in robots_sitemaps]
    if probe_common_paths:
        sitemap_candidates += [(urljoin(root, p), "common path") for p in COMMON_SITEMAP_PATHS]
    covered: set[str] = set()  # sitemaps already reachable through an index found earlier
    for url, via in sitemap_candidates:
        if url in covered or (via == "common path" and not allowed(url)):
            continue
        sitemap = _check_sitemap(url, via, fetch, seen_bodies, sample_size)
        if isinstance(sitemap, FoundSitemap):
            found.sitemaps.append(sitemap)
            covered.update(sitemap.children)
        elif sitemap is not None and via != "common path":
            found.rejected.append((url, sitemap))
    # An index found after one of its children makes that child redundant in the config.
    found.sitemaps = [s for s in found.sitemaps if s.url not in covered]
    return found


def _fingerprint(fetched: Fetched) -> str:
    return hashlib.sha256(fetched.body).hexdigest()


def _check_feed(url: str, via: str, fetch: Fetcher, seen: set[str], sample_size: int) -> FoundFeed | str | None:
    """A FoundFeed, the reason a declared candidate is not one, or None (absent, or seen already)."""
    fetched = fetch(url)
    if fetched is None:
        return "unreachable"
    if fetched.status != 200:
        return f"HTTP {fetched.status}"
    if not looks_like_feed(fetched.body, fetched.headers.get("content-type")):
        return "not a feed"
    digest = _fingerprint(fetched)
    if digest in seen:  # /feed and /feed/ and /rss are often one document
        return None
    result = parse_feed(fetched.body, fetched.url, fetched.headers)
    if not result.entries:
        return f"a {result.format} feed without entries" + (f" ({result.bozo})" if result.bozo else "")
    seen.add(digest)
    return FoundFeed(fetched.url if via == "common path" else url, result.format, len(result.entries),
                     [e.url for e in result.entries[:sample_size]], via)


def _check_sitemap(url: str, via: str, fetch: Fetcher, seen: set[str],
                   sample_size: int) -> FoundSitemap | str | None:
    fetched = fetch(url)
    if fetched is None:
        return "unreachable"
    if fetched.status != 200:
        return f"HTTP {fetched.status}"
    digest = _fingerprint(fetched)
    if digest in seen:
        return None
    result = parse_sitemap(fetched.body, fetched.url)
    if result.kind == "invalid" or not (result.urls or result.sitemaps):
        return result.error or "an empty sitemap"
    seen.add(digest)
    if result.kind == "urlset":
        return FoundSitemap(url, "urlset", len(result.urls), [], _is_news(result.urls),
                            [u.url for u in result.urls[:sample_size]], via)
    # A sitemap index: read its children until the sample is full, so the operator sees articles.
    sample: list[str] = []
    total, news = 0, False
    for child_url in result.sitemaps:
        child = fetch(child_url)
        if child is None or child.status != 200:
            continue
        parsed = parse_sitemap(child.body, child.url)
        total += len(parsed.urls)
        news = news or _is_news(parsed.urls)
        sample += [u.url for u in parsed.urls[: sample_size - len(sample)]]
        if len(sample) >= sample_size:
            break
    return FoundSitemap(url, "sitemapindex", total, list(result.sitemaps), news, sample, via)


def _is_news(urls: list) -> bool:
    return any(u.news_published is not None or u.news_title for u in urls)


def suggest_id(discovery: Discovery) -> str:
    """A source id from the host name: ``www.example-news.co.uk`` -> ``example-news``."""
    host = discovery.host.removeprefix("www.")
    labels = [label for label in host.split(".") if label]
    if all(label.isdigit() for label in labels):  # an IP address
        name = "-".join(labels)
    else:
        generic = {"com", "org", "net", "co", "news", "info", "gov", "ac", "edu"}
        meaningful = [label for label in labels[:-1] if label not in generic] or labels[:1]
        name = max(meaningful, key=len) if meaningful else "source"
    name = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")
    return name if re.match(r"[a-z0-9]", name or "") else f"s-{name}" if name else "source"
