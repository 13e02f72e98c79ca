"""The config's validation: every table checked in one pass, every problem collected with its key
and line, each value normalised (paths and URIs resolved against the config's folder)."""

from __future__ import annotations

import contextlib
import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive.stores import STORE_SCHEMES, store_backend, uri_scheme
from core.config import (
    DEFAULT_ARCHIVE_URI,
    DEFAULT_STATE_URI,
    ArchiveConfig,
    Config,
    CrawlConfig,
    Problem,
    SchedulerConfig,
    Source,
    StateConfig,
)
from core.durations import parse_duration
from newsvault.config.alerts import alert_targets
from newsvault.config.article_rules import article_filters, extractor_options
from newsvault.config.key_lines import KeyLines, KeyPath, format_key
from newsvault.config.schedules import parse_schedule
from state.backends import StateError, state_backend


def _keys(cls: type, *, named: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The keys of a config table: its dataclass's fields, in order, some named otherwise in the file."""
    return tuple((named or {}).get(f.name, f.name) for f in fields(cls))


# Each table takes exactly the fields of the dataclass it becomes (one source of truth); the file
# says [crawl.extractor] for CrawlConfig.extractor_options, and [[sources]] for Config.sources.
_TOP_KEYS = tuple(k for k in _keys(Config) if k != "path")
_SCHEDULER_KEYS = _keys(SchedulerConfig)
_ARCHIVE_KEYS = _keys(ArchiveConfig)
_STATE_KEYS = _keys(StateConfig)
_CRAWL_KEYS = _keys(CrawlConfig, named={"extractor_options": "extractor"})
_SOURCE_KEYS = _keys(Source)
_CREDENTIAL_WORDS = ("access_key", "secret", "password", "token", "credential")
_SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_HOSTNAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
_MISSING: Any = object()


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date/time"


def _http_url_problem(url: str) -> str | None:
    try:
        split = urlsplit(url)
        host = split.hostname
    except ValueError:
        host = None
        split = None
    if (
        split is None
        or split.scheme.lower() not in ("http", "https")
        or not host
        or any(c.isspace() for c in url)
    ):
        return f"not an http(s) URL with a host: {url!r}"
    return None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Checker:
    """Builds a :class:`Config` from parsed TOML, collecting every problem on the way.

    Getters report a wrong value and return the default, so checking carries on past it.
    """

    def __init__(self, lines: KeyLines) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(format_key(path), self.lines.line(path), message))

    # -- generic getters -------------------------------------------------------------------------

    def table(self, value: Any, path: KeyPath, known: Sequence[str]) -> dict[str, Any]:
        if value is _MISSING:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"expected a table, got {_describe(value)}")
            return {}
        for key in value:
            if key not in known:
                self.unknown(path + (key,), key, known)
        return value

    def unknown(self, path: KeyPath, key: str, known: Sequence[str]) -> None:
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(known)}"
        self.problem(path, f"unknown key{hint}")

    def string(self, table: dict[str, Any], path: KeyPath, key: str, default: str | None) -> str | None:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.problem(path + (key,), f"expected a string, got {_describe(value)}")
            return default
        if not value.strip():
            self.problem(path + (key,), "must not be empty")
            return default
        return value

    def boolean(self, table: dict[str, Any], path: KeyPath, key: str, default: bool) -> bool:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.problem(path + (key,), f"expected true or false, got {_describe(value)}")
            return default
        return value

    def integer(self, table: dict[str, Any], path: KeyPath, key: str, default: Any, minimum: int) -> Any:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path + (key,), f"expected an integer, got {_describe(value)}")
            return default
        if value < minimum:
            self.problem(path + (key,), f"must be at least {minimum}, got {value}")
            return default
        return value

    def number(
        self, table: dict[str, Any], path: KeyPath, key: str, default: float, *, positive: bool
    ) -> float:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.problem(path + (key,), f"expected a number of seconds, got {_describe(value)}")
            return default
        if positive and value <= 0:
            self.problem(path + (key,), f"must be greater than 0, got {value}")
            return default
        if value < 0:
            self.problem(path + (key,), f"must be 0 or more, got {value}")
            return default
        return float(value)

    def strings(self, table: dict[str, Any], path: KeyPath, key: str) -> list[tuple[KeyPath, str]] | None:
        """``(item path, item)`` for each string of an array; None when the key is absent."""
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            hint = f' (write ["{value}"])' if isinstance(value, str) else ""
            self.problem(path + (key,), f"expected an array of strings, got {_describe(value)}{hint}")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                items.append((path + (key, index), item))
            else:
                self.problem(path + (key, index), f"expected a string, got {_describe(item)}")
        return items

    def duration(self, table: dict[str, Any], path: KeyPath, key: str, default: float) -> float:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.problem(path + (key,), f"expected a duration such as \"30m\", got {_describe(value)}")
            return default
        try:
            seconds = parse_duration(value)
        except ValueError as exc:
            self.problem(path + (key,), str(exc))
            return default
        if seconds <= 0:
            self.problem(path + (key,), f"must be longer than 0s, got {value!r}")
            return default
        return seconds

    def durations(
        self, table: dict[str, Any], path: KeyPath, key: str, default: tuple[float, ...] | None
    ) -> tuple[float, ...] | None:
        items = self.strings(table, path, key)
        if items is None:
            return default
        rungs = []
        for item_path, text in items:
            try:
                rungs.append(parse_duration(text))
            except ValueError as exc:
                self.problem(item_path, str(exc))
        if len(rungs) == len(items) and any(b <= a for a, b in zip(rungs, rungs[1:], strict=False)):
            self.problem(path + (key,), "each revisit interval must be longer than the one before it")
        return tuple(rungs)

    # -- sections --------------------------------------------------------------------------------

    def config(self, raw: dict[str, Any], path: Path) -> Config:
        for key in raw:
            if key not in _TOP_KEYS:
                self.unknown((key,), key, _TOP_KEYS)
        base = path.parent
        archive = self.archive(raw.get("archive", _MISSING), base)
        state = self.state(raw.get("state", _MISSING), base)
        crawl = self.crawl(raw.get("crawl", _MISSING))
        scheduler = self.scheduler(raw.get("scheduler", _MISSING))
        sources = self.sources(raw.get("sources", _MISSING))
        alerts = alert_targets(self, raw.get("alerts", _MISSING), _MISSING, tuple(s.id for s in sources))
        return Config(path=path, archive=archive, state=state, crawl=crawl, sources=sources, scheduler=scheduler,
                      alerts=alerts)

    def archive(self, value: Any, base: Path) -> ArchiveConfig:
        path: KeyPath = ("archive",)
        if isinstance(value, dict):
            for key in value:
                if key not in _ARCHIVE_KEYS and self._is_credential(key):
                    self.problem(
                        path + (key,),
                        "credentials are never read from the config file: they come from the standard AWS "
                        "chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/credentials, "
                        "instance or pod roles)",
                    )
            value = {k: v for k, v in value.items() if k in _ARCHIVE_KEYS or not self._is_credential(k)}
        table = self.table(value, path, _ARCHIVE_KEYS)
        uri = self.archive_uri(
            self.string(table, path, "uri", DEFAULT_ARCHIVE_URI) or DEFAULT_ARCHIVE_URI, base
        )
        endpoint_url = self.string(table, path, "endpoint_url", None)
        if endpoint_url is not None:
            if _http_url_problem(endpoint_url):
                self.problem(path + ("endpoint_url",), f"must be an http(s) URL, got {endpoint_url!r}")
            elif uri_scheme(uri) in STORE_SCHEMES and not store_backend(uri).capabilities.remote:
                self.problem(path + ("endpoint_url",), "only applies to an s3:// archive")
        region = self.string(table, path, "region", None)
        return ArchiveConfig(uri=uri, endpoint_url=endpoint_url, region=region)

    @staticmethod
    def _is_credential(key: str) -> bool:
        return any(word in key.lower() for word in _CREDENTIAL_WORDS)

    def archive_uri(self, uri: str, base: Path) -> str:
        path: KeyPath = ("archive", "uri")
        try:
            backend = store_backend(uri)
        except ValueError:
            scheme = uri.split("://", 1)[0]
            self.problem(path, f"unsupported scheme '{scheme}': use a folder path, file:///abs/path or "
                               "s3://bucket/prefix")
            return uri
        try:
            return str(backend.normalise_uri(uri, base))
        except ValueError as exc:
            self.problem(path, f"{exc}; got {uri!r}")
            return uri

    def state(self, value: Any, base: Path) -> StateConfig:
        path: KeyPath = ("state",)
        table = self.table(value, path, _STATE_KEYS)
        uri = self.string(table, path, "uri", DEFAULT_STATE_URI) or DEFAULT_STATE_URI
        return StateConfig(uri=self.state_uri(uri, base))

    def state_uri(self, uri: str, base: Path) -> str:
        path: KeyPath = ("state", "uri")
        try:
            backend = state_backend(uri)
        except StateError as exc:
            self.problem(path, str(exc))
            return uri
        try:
            return backend.normalise_uri(uri, base)
        except ValueError as exc:
            self.problem(path, f"{exc}: use {backend.usage}; got {uri!r}")
            return uri

    def crawl(self, value: Any) -> CrawlConfig:
        path: KeyPath = ("crawl",)
        table = self.table(value, path, _CRAWL_KEYS)
        defaults = CrawlConfig()
        return CrawlConfig(
            user_agent=self.string(table, path, "user_agent", defaults.user_agent) or defaults.user_agent,
            obey_robots=self.boolean(table, path, "obey_robots", defaults.obey_robots),
            concurrency_per_domain=self.integer(
                table, path, "concurrency_per_domain", defaults.concurrency_per_domain, 1
            ),
            download_delay=self.number(
                table, path, "download_delay", defaults.download_delay, positive=False
            ),
            timeout=self.number(table, path, "timeout", defaults.timeout, positive=True),
            max_articles_per_run=self.integer(
                table, path, "max_articles_per_run", defaults.max_articles_per_run, 1
            ),
            max_page_bytes=self.integer(table, path, "max_page_bytes", defaults.max_page_bytes, 1024),
            revisit=self.durations(table, path, "revisit", defaults.revisit) or (),
            extract_workers=self.integer(table, path, "extract_workers", None, 1),
            extractor_options=extractor_options(self, table.get("extractor", _MISSING), path + ("extractor",), _MISSING),
            **article_filters(self, table, path, inherit=False),
        )

    def scheduler(self, value: Any) -> SchedulerConfig:
        path: KeyPath = ("scheduler",)
        table = self.table(value, path, _SCHEDULER_KEYS)
        defaults = SchedulerConfig()
        broker = self.string(table, path, "broker", None)
        if broker is not None and not broker.startswith(("redis://", "rediss://")):
            self.problem(path + ("broker",), f"the Celery broker is a redis:// URI, got {broker!r}")
        config = SchedulerConfig(
            run_time_limit=self.duration(table, path, "run_time_limit", defaults.run_time_limit),
            misfire_grace_time=self.duration(table, path, "misfire_grace_time", defaults.misfire_grace_time),
            max_concurrent_runs=self.integer(
                table, path, "max_concurrent_runs", defaults.max_concurrent_runs, 1
            ),
            batch_size=self.integer(table, path, "batch_size", defaults.batch_size, 1),
            host_max_runs=self.integer(table, path, "host_max_runs", defaults.host_max_runs, 1),
            host_memory_growth_mb=self.integer(table, path, "host_memory_growth_mb",
                                               defaults.host_memory_growth_mb, 16),
            host_memory_limit_mb=self.integer(table, path, "host_memory_limit_mb", defaults.host_memory_limit_mb, 64),
            worker_concurrency=self.integer(table, path, "worker_concurrency", defaults.worker_concurrency, 1),
            broker=broker,
            visibility_timeout=self.duration(table, path, "visibility_timeout", 0.0) or None,
        )
        hard = config.run_time_limit + config.run_grace
        if config.visibility_timeout is not None and config.visibility_timeout <= hard:
            # a run still going when its task is redelivered would be run twice at once
            self.problem(path + ("visibility_timeout",),
                         f"must be longer than run_time_limit plus its grace ({hard:g}s), got "
                         f"{config.visibility_timeout:g}s")
        return config

    def sources(self, value: Any) -> tuple[Source, ...]:
        path: KeyPath = ("sources",)
        if value is _MISSING or value == []:
            self.problem(path, "no sources: add at least one [[sources]] table")
            return ()
        if not isinstance(value, list):
            self.problem(path, f"expected an array of tables ([[sources]]), got {_describe(value)}")
            return ()
        sources: list[Source] = []
        first_index: dict[str, int] = {}
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.problem(path + (index,), f"expected a table, got {_describe(entry)}")
                continue
            source = self.source(entry, path + (index,))
            if source is None:
                continue
            if source.id in first_index:
                first = path + (first_index[source.id], "id")
                where = f", line {self.lines.line(first)}" if self.lines.line(first) else ""
                self.problem(
                    path + (index, "id"),
                    f"duplicate source id '{source.id}' (first used in {format_key(first)}{where})",
                )
            else:
                first_index[source.id] = index
            sources.append(source)
        return tuple(sources)

    def source(self, entry: dict[str, Any], path: KeyPath) -> Source | None:
        table = self.table(entry, path, _SOURCE_KEYS)
        source_id = self.string(table, path, "id", None)
        if "id" not in table:
            self.problem(path + ("id",), "missing: every source needs an id")
        elif source_id is not None and not _SOURCE_ID.fullmatch(source_id):
            self.problem(
                path + ("id",),
                f"'{source_id}' is not a valid source id: use lowercase letters, digits, '_' and '-', "
                "starting with a letter or digit",
            )
            source_id = None
        urls: dict[str, tuple[str, ...]] = {}
        for key in ("feeds", "sitemaps", "start_urls"):
            good = []
            for item_path, url in self.strings(table, path, key) or []:
                problem = _http_url_problem(url)
                if problem:
                    self.problem(item_path, problem)
                else:
                    good.append(url.strip())
            urls[key] = tuple(good)
        if not any(table.get(key) for key in urls):
            self.problem(path, "a source needs at least one of feeds, sitemaps or start_urls")
        pattern = self.string(table, path, "article_url_pattern", None)
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                self.problem(path + ("article_url_pattern",), f"not a valid regular expression: {exc}")
        schedule = None
        schedule_text = self.string(table, path, "schedule", None)
        if schedule_text is not None:
            try:
                schedule = parse_schedule(schedule_text)
            except ValueError as exc:
                self.problem(path + ("schedule",), str(exc))
        all_urls = urls["feeds"] + urls["sitemaps"] + urls["start_urls"]
        allowed = self.domains(table, path, all_urls)
        source = Source(
            id=source_id or "",
            name=self.string(table, path, "name", None) or source_id or "",
            feeds=urls["feeds"],
            sitemaps=urls["sitemaps"],
            start_urls=urls["start_urls"],
            allowed_domains=allowed,
            article_url_pattern=pattern,
            follow_depth=self.integer(table, path, "follow_depth", 1, 0),
            schedule=schedule,
            revisit=self.durations(table, path, "revisit", None),
            max_articles_per_run=self.integer(table, path, "max_articles_per_run", None, 1),
            extract=extractor_options(self, table.get("extract", _MISSING), path + ("extract",), _MISSING),
            **article_filters(self, table, path, inherit=True),
        )
        return source if source_id else None

    def domains(self, table: dict[str, Any], path: KeyPath, urls: tuple[str, ...]) -> tuple[str, ...]:
        items = self.strings(table, path, "allowed_domains")
        if items is None:
            return tuple(dict.fromkeys(_host(url) for url in urls))
        if not items and isinstance(table.get("allowed_domains"), list):
            self.problem(
                path + ("allowed_domains",),
                "must name at least one domain (leave it out to allow the hosts of the source's URLs)",
            )
        domains = []
        for item_path, domain in items:
            name = domain.strip().lower().rstrip(".")
            with contextlib.suppress(UnicodeError):
                name = name.encode("idna").decode("ascii")
            if "/" in name or ":" in name:
                self.problem(item_path, f"a domain name, not a URL: write '{_host(domain) or name}'")
            elif not _HOSTNAME.fullmatch(name):
                self.problem(item_path, f"not a domain name: {domain!r}")
            else:
                domains.append(name)
        return tuple(dict.fromkeys(domains))
