"""`sources test`: what a crawl of one source would archive, without archive, state or Scrapy.

Candidate article URLs come from the source's feeds, sitemaps (one level of index) and start pages,
read with the spider's own parsers; a few are fetched synchronously and run through the crawl's
extraction function. Nothing is written anywhere.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from protego import Protego

from newsvault.config import Config, Source
from pipelines.extract.options import ExtractOptions
from spiders.discover import Fetched, http_fetcher, site_root
from spiders.feeds import parse_feed
from spiders.links import article_links, url_in_domains
from spiders.sitemaps import parse_sitemap


def candidate_urls(source: Source, fetch: Any, problems: list[str]) -> tuple[list[str], dict[str, int]]:
    """Article URLs of the source, freshest-first per kind as its documents list them."""
    urls: list[str] = []
    found_by: dict[str, int] = {}

    def add(kind: str, new: list[str]) -> None:
        fresh = [u for u in new if u not in urls and url_in_domains(u, source.allowed_domains or [u])]
        urls.extend(fresh)
        found_by[kind] = found_by.get(kind, 0) + len(fresh)

    for feed_url in source.feeds:
        got = _get(fetch, feed_url, problems)
        if got is not None:
            result = parse_feed(got.body, got.url, got.headers)
            if not result.entries:
                problems.append(f"{feed_url}: no entries ({result.bozo or result.format})")
            add("feeds", [e.url for e in result.entries])
    for sitemap_url in source.sitemaps:
        got = _get(fetch, sitemap_url, problems)
        if got is None:
            continue
        result = parse_sitemap(got.body, got.url)
        if result.kind == "invalid":
            problems.append(f"{sitemap_url}: {result.error}")
        add("sitemaps", [u.url for u in result.urls])
        for child_url in result.sitemaps:
            child = _get(fetch, child_url, problems)
            if child is not None:
                add("sitemaps", [u.url for u in parse_sitemap(child.body, child.url).urls])
    pattern = re.compile(source.article_url_pattern) if source.article_url_pattern else None
    for start_url in source.start_urls:
        got = _get(fetch, start_url, problems)
        if got is not None:
            articles, _ = article_links(got.body, got.url, allowed_domains=source.allowed_domains,
                                        pattern=pattern)
            add("start_urls", articles)
    return urls, found_by


def _get(fetch: Any, url: str, problems: list[str]) -> Fetched | None:
    got = fetch(url)
    if got is None:
        problems.append(f"{url}: unreachable")
        return None
    if got.status != 200:
        problems.append(f"{url}: HTTP {got.status}")
        return None
    return got


def try_source(config: Config, source: Source, articles: int) -> dict[str, Any]:
    """Fetch and extract up to ``articles`` articles of ``source``; a report of what came out: the
    fields with the source's own extraction rules and, when it has some, without them (the generic
    extraction, for comparison), and whether the run's filters would keep each."""
    from core.clock import utc_now
    from pipelines.extract.fields import NotAnArticle, extract_fields
    from pipelines.extract.worker import TEMPLATE_BLOCKS_KEY
    from pipelines.filters import ArticleFilter

    fetch = http_fetcher(config.crawl.user_agent, timeout=config.crawl.timeout,
                         max_bytes=config.crawl.max_page_bytes)
    problems: list[str] = []
    urls, found_by = candidate_urls(source, fetch, problems)
    options = ExtractOptions.from_mapping(config.extractor_options_for(source))
    generic = ExtractOptions.from_mapping(config.crawl.extractor_options) if source.extract else None
    article_filter = ArticleFilter.of(config.crawl, source)

    def fields_of(got: Fetched, chosen: ExtractOptions) -> dict[str, Any] | str:
        try:
            fields = extract_fields(got.url, got.body, got.headers, chosen)
        except NotAnArticle as exc:
            return f"not an article ({exc})"
        return {k: v for k, v in fields.items() if k not in ("extractor", TEMPLATE_BLOCKS_KEY)}

    robots: dict[str, Protego] = {}
    tried: list[dict[str, Any]] = []
    for url in urls:
        if len(tried) >= articles:
            break
        if config.crawl.obey_robots and not _robots(robots, url, fetch).can_fetch(url, config.crawl.user_agent):
            tried.append({"url": url, "error": "disallowed by robots.txt"})
            continue
        got = fetch(url)
        if got is None or got.status != 200:
            tried.append({"url": url, "error": "unreachable" if got is None else f"HTTP {got.status}"})
            continue
        fields = fields_of(got, options)
        article: dict[str, Any] = {"url": got.url, "http_status": got.status}
        if isinstance(fields, str):
            article["error"] = fields
        else:
            article["fields"] = fields
            verdict = article_filter.verdict(fields, utc_now())
            article["filtered"] = verdict[0] if verdict else None
        if generic is not None:
            without = fields_of(got, generic)
            article["without_rules"] = without if isinstance(without, dict) else {"error": without}
        tried.append(article)
    return {"source": source.id, "candidates": len(urls), "found_by": found_by, "problems": problems,
            "rules": {k: v for k, v in options.as_dict().items() if k in source.extract},
            "articles": tried}


def _robots(cache: dict[str, Protego], url: str, fetch: Any) -> Protego:
    root = site_root(url)
    if root not in cache:
        got = fetch(urljoin(root, "/robots.txt"))
        body = got.body.decode("utf-8", "replace") if got is not None and got.status == 200 else ""
        cache[root] = Protego.parse(body)
    return cache[root]
