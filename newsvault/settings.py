"""Scrapy settings derived from `newsvault.toml`.

Everything newsvault adds to Scrapy is wired here by name, the way a Scrapy project's settings.py
wires its components; `[crawl]` keys map onto Scrapy's own settings.
"""

from __future__ import annotations

from typing import Any

from newsvault.config import Config

SPIDER_MODULES = ["spiders.news"]

DOWNLOADER_MIDDLEWARES = {
    # Crawl-delay on top of Scrapy's robots.txt handling.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "spiders.politeness.RobotsCrawlDelayMiddleware": 100,
    # Inside decompression and redirects: the WARC gets each final response, decoded.
    "pipelines.snapshot.WarcSnapshotMiddleware": 585,
}

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
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
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "DOWNLOADER_MIDDLEWARES": DOWNLOADER_MIDDLEWARES,
        "ITEM_PIPELINES": ITEM_PIPELINES,
        # News sites set consent and session cookies that change nothing we archive.
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "DEFAULT_DROPITEM_LOG_LEVEL": "DEBUG",
        "LOGSTATS_INTERVAL": 0,
        "RETRY_TIMES": 2,
    }
    settings.update(overrides)
    return settings
