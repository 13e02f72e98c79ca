"""Scrapy settings derived from `newsvault.toml`.

Everything newsvault adds to Scrapy is wired here by name, the way a Scrapy project's settings.py
wires its components; `[crawl]` keys map onto Scrapy's own settings.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import default_settings

from newsvault.config import Config

SPIDER_MODULES = ["spiders.news"]

DOWNLOADER_MIDDLEWARES = {
    # Crawl-delay on top of Scrapy's robots.txt handling.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "spiders.politeness.RobotsCrawlDelayMiddleware": 100,
    # In a crawl host: each host's pace shared by all the runs of the process.
    "spiders.shared_politeness.SharedPolitenessMiddleware": 110,
    # Retries that honour Retry-After and back off exponentially, per host.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.retry.BackoffRetryMiddleware": 550,
    # If-None-Match / If-Modified-Since for feeds and sitemaps; sees final, decoded responses.
    "spiders.conditional.ConditionalFetchMiddleware": 580,
    # Redirect loops counted as such instead of silently dropped by the dupe filter.
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "spiders.redirects.LoopAwareRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "spiders.redirects.HeadMetaRefreshMiddleware": 581,
    # Inside decompression and redirects: the WARC gets each final response, decoded.
    "pipelines.snapshot.WarcSnapshotMiddleware": 585,
}

EXTENSIONS = {
    # AutoThrottle that keeps each host's robots.txt Crawl-delay as its floor.
    "scrapy.extensions.throttle.AutoThrottle": None,
    "spiders.politeness.PoliteAutoThrottle": 0,
    # when each known article is due again (crawl runs only: NotConfigured in a replay)
    "pipelines.revisits.RevisitLedger": 10,
}

# Scrapy 2.19's RemoteControl serves an HTTP endpoint that runs Python code sent to it; a crawl daemon
# has no use for one. It is dropped from the base list rather than disabled in EXTENSIONS, because
# Scrapy imports every listed component, disabled or not, and importing this one (aiohttp) costs each
# crawl process about 0.15 s.
_REMOTE_CONTROL = "scrapy.extensions.remote_control.RemoteControl"
EXTENSIONS_BASE = {k: v for k, v in default_settings.EXTENSIONS_BASE.items() if k != _REMOTE_CONTROL}

ITEM_PIPELINES = {
    "pipelines.extract.pipeline.ExtractPipeline": 100,
    "pipelines.filters.FilterPipeline": 150,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.archive.ArchivePipeline": 300,
}


def scrapy_settings(config: Config, **overrides: Any) -> dict[str, Any]:
    crawl = config.crawl
    settings: dict[str, Any] = {
        "BOT_NAME": "newsvault",
        "SPIDER_MODULES": SPIDER_MODULES,
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS": max(16, 4 * crawl.concurrency_per_domain),
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "DOWNLOAD_DELAY": crawl.download_delay,
        # The configured delay is a floor; Scrapy's default jitter would go below it.
        "DOWNLOAD_DELAY_JITTER": 0,
        # AutoThrottle adapts each host's delay to its latency; Scrapy 2.19 uses DOWNLOAD_DELAY as
        # its minimum, so the configured delay stays a floor.
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": crawl.download_delay,
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_domain),
        "EXTENSIONS": EXTENSIONS,
        "EXTENSIONS_BASE": EXTENSIONS_BASE,
        # One queue per host, the next request taken from the least busy one: a source with a huge
        # sitemap cannot hold back the other sources' requests.
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        # Retry-After above this is not waited for (the URL is given up); backoff doubles from the
        # base up to the max (spiders/retry.py).
        "NEWSVAULT_RETRY_AFTER_MAX": 300.0,
        "NEWSVAULT_BACKOFF_BASE": 1.0,
        "NEWSVAULT_BACKOFF_MAX": 60.0,
        "REDIRECT_MAX_TIMES": 10,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "DOWNLOADER_MIDDLEWARES": DOWNLOADER_MIDDLEWARES,
        "ITEM_PIPELINES": ITEM_PIPELINES,
        # Scrapy starts this many asyncio tasks for every callback's output; an article callback
        # yields one item and the extraction pool bounds the work in flight anyway, so Scrapy's 100
        # only cost the reactor ~8 ms of task churn per page (profiled in bench/).
        "CONCURRENT_ITEMS": 4,
        # A check for spider authors: Scrapy re-reads and parses each callback's source on every
        # response to warn about `return value` in a generator (its cache misses bound methods),
        # about 1 ms of the reactor per page for callbacks that are ours and never change.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        # News sites set consent and session cookies that change nothing we archive.
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "DEFAULT_DROPITEM_LOG_LEVEL": "DEBUG",
        "LOGSTATS_INTERVAL": 0,
        "RETRY_TIMES": 2,
        # Listing pages per source (0: as many as the source's max_articles_per_run, at least 10).
        "NEWSVAULT_MAX_PAGES_PER_SOURCE": 0,
    }
    settings.update(overrides)
    return settings
