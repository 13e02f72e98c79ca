"""Running a replay: stored responses of one archive re-extracted into another, through the pipelines.

The replay is a run of kind "replay" in the target archive. Its dedup state is fresh: a SQLite file
in a temporary folder, seeded only from the records the target already holds (none for a new
target; on a resumed replay, those of the runs it continues), so the replayed versions are numbered
as the crawls numbered them. Nothing is written to the configured state database or archive.

Each source's template (pipelines/extract/site_template.py) is built before the first page is replayed:
what the crawls learned (read from the configured state, when it can be read), then the texts of
the replayed runs' records, so the first stored page of a source is cleaned as well as its last.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from twisted.internet import task

from archive.manifest import new_run_id
from archive.reader import iter_manifests, iter_records
from archive.replay import ReplayJournal, ReplayPart, plan_replay, window_of
from archive.stores import ArchiveStore, open_archive, open_store, store_backend
from core.clock import iso_z, utc_now
from core.counts import run_counts
from core.run import CrawlRun
from newsvault.config import Config, Source
from newsvault.settings import scrapy_settings
from pipelines.extract.options import ExtractOptions
from pipelines.signals import run_finished
from spiders.replay import ReplaySpider
from state.sqlite_state import SQLiteState
from state.state_types import ArticleCommit, StateStore

logger = logging.getLogger(__name__)


class ReplayRefused(ValueError):
    """The replay cannot be run as asked (a target that is not a replay of this archive, ...)."""


def _extractor(options: ExtractOptions) -> dict[str, Any]:
    import trafilatura

    return {"name": "trafilatura", "version": trafilatura.__version__, "options": options.as_dict()}


def _check_target(target: ArchiveStore, source: ArchiveStore) -> None:
    if target.uri.rstrip("/") == source.uri.rstrip("/"):
        raise ReplayRefused(f"--to {target.uri} is the configured archive itself; replay into another one")
    for manifest in iter_manifests(target):
        if manifest.get("kind") != "replay":
            raise ReplayRefused(f"--to {target.uri} holds crawl run {manifest['run_id']}; "
                                "replay into a new folder or bucket prefix")


def _seed_templates(state: StateStore, config: Config, source_store: ArchiveStore, replay_of: list[str],
                    sources: tuple[Source, ...]) -> None:
    from pipelines.extract.site_template import SiteTemplate, page_blocks, text_key
    from state.backends import open_existing_state

    templates = {s.id: SiteTemplate() for s in sources}
    try:
        live = open_existing_state(config.state.uri)
        if live is not None:
            try:
                templates = {s.id: SiteTemplate.from_bytes(live.load_template(s.id)) for s in sources}
            finally:
                live.close()
    except Exception as exc:  # an unreachable state: the records below still teach the templates
        logger.warning("replay learns the templates from the stored records alone: %s", exc)
    wanted = set(replay_of)
    for manifest in iter_manifests(source_store):
        if manifest["run_id"] not in wanted:
            continue
        for record in iter_records(source_store, manifest):
            template = templates.get(record.get("source"))
            if template is not None and record.get("text"):
                template.observe(text_key(record["canonical_url"]), page_blocks(record["text"].splitlines()))
    for source, template in templates.items():
        if template.articles:
            state.save_template(source, template.to_bytes())


def _seed(state: StateStore, target: ArchiveStore) -> None:
    for manifest in iter_manifests(target):
        state.commit_articles([
            ArticleCommit(article_id=r["article_id"], canonical_url=r["canonical_url"], source=r["source"],
                          version=r["version"], content_hash=r["content_hash"], simhash=r["simhash"],
                          fetched_at=r["fetched_at"], run_id=r["run_id"])
            for r in iter_records(target, manifest)
        ])


class ReplayProgress:
    """One status line on a terminal: captures replayed out of the plan, and what became of them."""

    def __init__(self, crawler: Any, spider_ref: list[ReplaySpider], total: int, stream: Any = sys.stderr) -> None:
        self.crawler = crawler
        self.spider_ref = spider_ref
        self.total = total
        self.stream = stream
        self.loop = task.LoopingCall(self.show)

    def start(self) -> None:
        self.loop.start(1.0, now=False)

    def show(self) -> None:
        counts, _ = run_counts(self.crawler.stats)
        done = self.spider_ref[0].replayed if self.spider_ref else 0
        width = 30
        filled = int(width * done / self.total) if self.total else width
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} captures  "
                          f"archived {counts['archived']}  duplicates {counts['duplicates']}  "
                          f"not_article {counts['not_article']}")
        self.stream.flush()

    def stop(self) -> None:
        if self.loop.running:
            self.loop.stop()
            self.stream.write("\r" + " " * 110 + "\r")
            self.stream.flush()


def _sources(config: Config, parts: list[ReplayPart]) -> tuple[Source, ...]:
    known = {s.id: s for s in config.sources}
    ids = sorted({p.source for p in parts})
    return tuple(known.get(i) or Source(id=i, name=i) for i in ids)


def run_replay(config: Config, *, since: datetime, until: datetime, target_uri: str,
               sources: set[str] | None = None, extractor_options: Mapping[str, str] | None = None,
               progress: bool = False, log_level: str = "WARNING", **settings: Any) -> dict[str, Any]:
    """Replay the captures of [since, until) into ``target_uri``; returns the replay's run manifest."""
    try:
        options = ExtractOptions.from_mapping({**config.crawl.extractor_options, **(extractor_options or {})})
    except ValueError as exc:
        raise ReplayRefused(str(exc)) from None
    if until <= since:
        raise ReplayRefused(f"--until {iso_z(until)} is not after --since {iso_z(since)}")
    source_store = open_archive(config)
    # The configured endpoint and region belong to the configured archive's kind of store: a bucket
    # replayed into a local folder takes neither.
    try:
        same_kind = store_backend(target_uri) is store_backend(config.archive.uri)
        target = open_store(target_uri, endpoint_url=config.archive.endpoint_url if same_kind else None,
                            region=config.archive.region if same_kind else None)
    except ValueError as exc:
        raise ReplayRefused(f"--to {target_uri}: {exc}") from None
    target.check()
    _check_target(target, source_store)
    parts = plan_replay(source_store, since, until, sources)
    replay_of = sorted({p.run_id for p in parts})
    extractor = _extractor(options)
    # a source's own rules apply as in a crawl, and --extractor-option over them
    replayed = tuple(dataclasses.replace(s, extract={**s.extract, **(extractor_options or {})})
                     for s in _sources(config, parts))
    try:
        source_rules = {s.id: ExtractOptions.from_mapping(config.extractor_options_for(s)).as_dict()
                        for s in replayed if s.extract}
    except ValueError as exc:
        raise ReplayRefused(str(exc)) from None

    started = utc_now()
    run_id = new_run_id(started)
    identity = {"source_archive": source_store.uri, "extractor_options": extractor["options"],
                **window_of(since, until, sources)}
    manifest_extra = {"replay_of": replay_of, "source_archive": source_store.uri, "extractor": extractor,
                      "window": window_of(since, until, sources)}
    if source_rules:
        identity["source_extractor_options"] = source_rules
        manifest_extra["source_extractor_options"] = source_rules
    journal = ReplayJournal(target, run_id, identity, header={
        "started_at": iso_z(started), "sources": [s.id for s in replayed],
        "manifest_extra": manifest_extra})
    resumed = journal.resume()
    if resumed:
        manifest_extra["resumes"] = resumed

    with tempfile.TemporaryDirectory(prefix="newsvault-replay-") as workdir:
        state = SQLiteState(Path(workdir) / "state.db")
        _seed(state, target)
        _seed_templates(state, config, source_store, replay_of, replayed)
        replay_config = dataclasses.replace(
            config, crawl=dataclasses.replace(config.crawl, extractor_options=options.as_dict()))
        run = CrawlRun(config=replay_config, sources=replayed, store=target, state=state,
                       run_id=run_id, started_at=started, kind="replay", manifest_extra=manifest_extra)
        state.start_run(run_id, "replay", [s.id for s in run.sources], iso_z(started))
        process = CrawlerProcess(scrapy_settings(replay_config, NEWSVAULT_RUN=run, LOG_LEVEL=log_level,
                                                 **settings))
        crawler = process.create_crawler(ReplaySpider)
        manifests: list[dict[str, Any]] = []
        crawler.signals.connect(lambda manifest: manifests.append(manifest), signal=run_finished, weak=False)
        spider_ref: list[ReplaySpider] = []
        crawler.signals.connect(lambda spider: spider_ref.append(spider), signal=signals.spider_opened, weak=False)
        if progress:
            bar = ReplayProgress(crawler, spider_ref, sum(len(p.captures) for p in parts))
            crawler.signals.connect(bar.start, signal=signals.engine_started)
            crawler.signals.connect(bar.stop, signal=signals.spider_closed)
        process.crawl(crawler, parts=parts, source_store=source_store, journal=journal)
        process.start()
        state.close()
    if not manifests:
        raise RuntimeError(f"replay {run_id} ended without a manifest; see the log above")
    return manifests[0]
