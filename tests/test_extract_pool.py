"""The extraction process pool: how many workers, how much in flight, and what a dying worker costs."""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pool_tasks import KILL_MARKER, extract_or_die, slow_echo
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from core.items import PageItem
from newsvault.config import load_config
from newsvault.runner import open_run
from pipelines.extract.pipeline import ExtractionPool, ExtractPipeline
from pipelines.extract.server import default_workers, extract_workers, pool_context

ZYTE = "corpora/zyte_article_extraction_benchmark"


def _config(tmp_path: Path, crawl: str = "") -> Any:
    path = tmp_path / "newsvault.toml"
    path.write_text(f"""
[archive]
uri = "{tmp_path / 'archive'}"
[state]
uri = "sqlite:///{tmp_path / 'state.db'}"
[crawl]
{crawl}
[[sources]]
id = "daily"
name = "The Daily"
feeds = ["http://127.0.0.2/feed.xml"]
""")
    return load_config(path)


def _pipeline(tmp_path: Path, crawl: str = "", **settings: Any) -> ExtractPipeline:
    config = _config(tmp_path, crawl)
    run = open_run(config, config.sources)
    return ExtractPipeline.from_crawler(get_crawler(settings_dict={"NEWSVAULT_RUN": run, **settings}))


def _pages(shared_dir: Path, n: int) -> list[PageItem]:
    rows = [json.loads(line) for line in (shared_dir / ZYTE / "index.jsonl").read_text().splitlines()[:n]]
    return [
        PageItem(source="daily", url=f"http://127.0.0.2/2024/05/story-{i}.html", status=200,
                 headers={"content-type": "text/html; charset=utf-8"},
                 body=gzip.decompress((shared_dir / ZYTE / row["html_path"]).read_bytes()),
                 fetched_at=datetime(2024, 5, 20, 9, 0, tzinfo=UTC), snapshot=None)
        for i, row in enumerate(rows)
    ]


async def _process(pipeline: ExtractPipeline, items: list[PageItem]) -> list[dict[str, Any] | str]:
    async def one(item: PageItem) -> dict[str, Any] | str:
        try:
            return await pipeline.process_item(item)
        except DropItem as dropped:
            return str(dropped)

    return list(await asyncio.gather(*(one(item) for item in items)))


def test_a_page_that_kills_its_worker_is_counted_and_the_crawl_goes_on(shared_dir: Path, tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path, NEWSVAULT_EXTRACT_WORKERS=2)
    pipeline.pool = ExtractionPool(2, function=extract_or_die)
    pages = _pages(shared_dir, 9)
    killer = pages[2]
    killer.body = killer.body.replace(b"<body", KILL_MARKER + b"<body", 1)
    try:
        # the killer is in flight with three other pages, which its crash takes down with it
        first = asyncio.run(_process(pipeline, pages[:6]))
        later = asyncio.run(_process(pipeline, pages[6:]))
    finally:
        pipeline.pool.close()

    assert first[2] == f"{killer.url}: the extraction worker died"
    innocent = first[:2] + first[3:]
    assert all(isinstance(r, dict) and r["url"] == p.url for r, p in zip(innocent, pages[:2] + pages[3:6], strict=True))
    assert all(isinstance(r, dict) and r["text"] for r in later)
    stats = pipeline.crawler.stats
    assert stats.get_value("newsvault/errors/extraction_crash") == 1
    assert stats.get_value("newsvault/source/daily/errors/extraction_crash") == 1


def test_at_most_two_pages_per_worker_are_in_flight() -> None:
    pool = ExtractionPool(1, function=slow_echo)
    seen: list[int] = []

    async def crawl() -> list[int]:
        async def watch() -> None:
            while True:
                seen.append(pool.in_flight)
                await asyncio.sleep(0.01)

        watcher = asyncio.ensure_future(watch())
        results = await asyncio.gather(*(pool.run(i, 0.05) for i in range(8)))
        watcher.cancel()
        return list(results)

    try:
        assert asyncio.run(crawl()) == list(range(8))
    finally:
        pool.close()
    assert pool.max_in_flight == 2
    assert max(seen) == 2
    assert pool.in_flight == 0


def test_zero_workers_extract_inline() -> None:
    pool = ExtractionPool(0, function=slow_echo)
    assert asyncio.run(pool.run(7, 0)) == 7


def test_workers_default_to_the_usable_cpus() -> None:
    assert extract_workers(None, None, environ={}) == default_workers() >= 1


def test_crawl_extract_workers_sets_the_pool_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSVAULT_EXTRACT_WORKERS", raising=False)
    assert _pipeline(tmp_path, "extract_workers = 3").pool.workers == 3


def test_environment_overrides_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSVAULT_EXTRACT_WORKERS", "1")
    assert _pipeline(tmp_path, "extract_workers = 3").pool.workers == 1


def test_scrapy_setting_overrides_the_environment() -> None:
    assert extract_workers(0, 3, environ={"NEWSVAULT_EXTRACT_WORKERS": "1"}) == 0


def test_a_bad_worker_count_in_the_environment_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="NEWSVAULT_EXTRACT_WORKERS must be a whole number"):
        extract_workers(None, None, environ={"NEWSVAULT_EXTRACT_WORKERS": "many"})


def test_the_forkserver_warm_up_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    # The forkserver imports pipelines.extract.warmup: an exception there would kill every pool.
    import pipelines.extract.warmup as warmup

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("extraction is broken")

    monkeypatch.setattr(warmup, "extract_fields", broken)
    monkeypatch.setattr(warmup, "extract_domain", broken)
    warmup.warm_up()


def test_the_warm_up_page_is_an_article() -> None:
    # It has to go through the whole of extraction, metadata included, to warm all of it up.
    from pipelines.extract.fields import extract_fields
    from pipelines.extract.options import ExtractOptions
    from pipelines.extract.sample_page import SAMPLE_HEADERS, SAMPLE_URL, sample_page

    fields = extract_fields(SAMPLE_URL, sample_page(), SAMPLE_HEADERS, ExtractOptions())
    assert fields["title"].startswith("Harbour workers return")
    assert fields["authors"] == ["Jane Doe"] and fields["published_at"].startswith("2026-03-02")
    assert "Share on Facebook" not in fields["text"]


def test_workers_start_with_the_servers_objects_frozen_out_of_garbage_collection() -> None:
    # Collections in a worker then skip the libraries' long-lived objects, and full ones no longer
    # write to every one of them (which copied their memory pages into each worker).
    pool = ExtractionPool(1, function=gc.get_freeze_count)
    try:
        frozen = asyncio.run(pool.run())
    finally:
        pool.close()
    assert frozen > 10_000


def test_pages_waiting_for_a_worker_are_not_extracted_once_the_pool_is_stopped() -> None:
    from pipelines.extract.pipeline import PoolStopped

    pool = ExtractionPool(1, function=slow_echo)

    async def crawl() -> list[object]:
        pages = [asyncio.ensure_future(pool.run(i, 0.3)) for i in range(6)]
        await asyncio.sleep(0.1)  # two pages are with the worker, four wait for a slot
        pool.stop("the extractor is broken")
        return list(await asyncio.gather(*pages, return_exceptions=True))

    try:
        results = asyncio.run(crawl())
    finally:
        pool.close()
    assert results[:2] == [0, 1]
    assert all(isinstance(r, PoolStopped) for r in results[2:])


def test_a_page_handed_to_a_pool_a_worker_just_broke_goes_to_quarantine_not_a_failed_run() -> None:
    # The pool is marked broken the moment its worker dies; a page whose turn comes before the
    # broken executor is replaced must be retried, not taken for workers that cannot start.
    from concurrent.futures.process import BrokenProcessPool

    from pipelines.extract.pipeline import _Pool

    pool = _Pool(1)

    async def crawl() -> object:
        with pytest.raises(BrokenProcessPool):
            await pool.call(os._exit, 70)
        broken = pool._executor = ProcessPoolExecutor(1, mp_context=pool_context())
        with pytest.raises(BrokenProcessPool):
            await asyncio.wrap_future(broken.submit(os._exit, 70))
        pool._executor = broken  # the gap: broken, not yet replaced
        with pytest.raises(BrokenProcessPool):
            await pool.call(slow_echo, 1, 0)
        return await pool.call(slow_echo, 2, 0)  # a fresh pool

    try:
        assert asyncio.run(crawl()) == 2
    finally:
        pool.close()
