"""The baseline: a plain Scrapy spider that calls trafilatura.extract in its callback.

What a Scrapy user writes first: a SitemapSpider whose callback extracts the page, on the reactor
thread, with the same trafilatura options newsvault uses by default, writing a JSON-lines feed.
Run as a child of bench/run_all.py; prints its measurements as the last line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import scrapy
import trafilatura
from scrapy.crawler import CrawlerProcess
from scrapy.spiders import SitemapSpider

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Meter, emit  # noqa: E402

# newsvault's default ExtractOptions, in trafilatura's words.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "with_metadata": True,
    "include_tables": True,
    "include_comments": False,
    "include_links": False,
    "favor_precision": False,
    "favor_recall": False,
    "deduplicate": False,
}


class BaselineSpider(SitemapSpider):
    name = "baseline"

    def parse(self, response: scrapy.http.Response) -> Any:
        self.crawler.stats.inc_value("bench/pages")
        text = trafilatura.extract(response.text, url=response.url, **TRAFILATURA_OPTIONS)
        if text:
            yield {"url": response.url, "text": text}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sitemap", action="append", required=True)
    parser.add_argument("--out", required=True, help="the JSON-lines feed")
    parser.add_argument("--concurrency-per-domain", type=int, default=4)
    args = parser.parse_args()
    meter = Meter()
    process = CrawlerProcess({
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": max(16, 4 * args.concurrency_per_domain),
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency_per_domain,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "FEEDS": {args.out: {"format": "jsonlines"}},
    })
    crawler = process.create_crawler(BaselineSpider)
    process.crawl(crawler, sitemap_urls=args.sitemap)
    process.start()
    stats = crawler.stats.get_stats()
    emit(meter.report(pages=stats.get("bench/pages", 0), items=stats.get("item_scraped_count", 0)))


if __name__ == "__main__":
    main()
