"""What a loaded config is: frozen dataclasses, one per table, and the problems of a refused one."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core.durations import parse_duration

CONFIG_FILENAME = "newsvault.toml"
CONFIG_ENV_VAR = "NEWSVAULT_CONFIG"
FILE_KEY = "<file>"

DEFAULT_ARCHIVE_URI = "data/archive"
DEFAULT_STATE_URI = "sqlite:///data/state.db"
DEFAULT_USER_AGENT = "newsvault/0.1 (+https://github.com/newsvault/newsvault)"
DEFAULT_REVISIT_TEXT = ("1h", "3h", "12h", "2d", "7d")
DEFAULT_REVISIT = tuple(parse_duration(rung) for rung in DEFAULT_REVISIT_TEXT)


@dataclass(frozen=True)
class Problem:
    key: str
    line: int | None
    message: str


class ConfigError(Exception):
    """A refused config; ``problems`` holds every problem found, in file order."""

    def __init__(self, problems: Sequence[Problem], path: Path | str | None = None) -> None:
        self.problems = list(problems)
        self.path = Path(path) if path is not None else None
        super().__init__(self._render())

    def _render(self) -> str:
        where = str(self.path) if self.path is not None else CONFIG_FILENAME
        return "\n".join(
            f"{where}:{p.line}: {p.key}: {p.message}"
            if p.line is not None
            else f"{where}: {p.key}: {p.message}"
            for p in self.problems
        )

    def __str__(self) -> str:
        return self._render()


@dataclass(frozen=True)
class ArchiveConfig:
    uri: str
    endpoint_url: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class StateConfig:
    uri: str


@dataclass(frozen=True)
class CrawlConfig:
    user_agent: str = DEFAULT_USER_AGENT
    obey_robots: bool = True
    concurrency_per_domain: int = 2
    download_delay: float = 0.5
    timeout: float = 30.0
    max_articles_per_run: int = 1000
    max_page_bytes: int = 10_000_000
    revisit: tuple[float, ...] = DEFAULT_REVISIT  # seconds
    extract_workers: int | None = None  # None: as many as the machine has CPUs
    extractor_options: dict[str, Any] = field(default_factory=dict)
    # which extracted articles are kept (pipelines/filters.py); a source may override each
    languages: tuple[str, ...] = ()  # detected language codes; empty: every language
    max_age: float | None = None  # seconds since publication
    published_after: datetime | None = None  # aware, UTC
    require_date: bool = False


@dataclass(frozen=True)
class SchedulerConfig:
    """``[scheduler]``: how `newsvault scheduler` runs the sources' schedules (durations in seconds)."""

    run_time_limit: float = 3600.0  # a crawl still running then is stopped cleanly: status "timeout"
    misfire_grace_time: float = 600.0  # a run missed (scheduler down, busy) fires late within this
    max_concurrent_runs: int = 16  # runs at once in the crawl host, each source in at most one
    batch_size: int = 100  # quiet sources due together run as one crawl of up to this many (1: never)
    host_max_runs: int = 2000  # a crawl host is replaced after this many runs
    host_memory_growth_mb: int = 512  # ... or once its memory grew this much past its first run's
    host_memory_limit_mb: int = 4096  # a crawl host over this is killed: its runs are closed as crashed
    # Distributed mode (a redis:// state): Celery workers run the crawls.
    worker_concurrency: int = 2  # crawl processes per `newsvault worker`
    broker: str | None = None  # Celery broker; None: the Redis state URI
    visibility_timeout: float | None = None  # None: run_time_limit + its grace + 5 minutes

    @property
    def run_grace(self) -> float:
        """Past the run time limit, how long a crawl has to close before its task is ended."""
        return min(60.0, max(2.0, self.run_time_limit / 4))

    @property
    def broker_visibility_timeout(self) -> float:
        """An unacknowledged task is redelivered after this long: longer than any run may take."""
        if self.visibility_timeout is not None:
            return self.visibility_timeout
        return self.run_time_limit + self.run_grace + 300.0


@dataclass(frozen=True)
class Schedule:
    """Exactly one of ``cron`` and ``interval_seconds`` is set.

    ``cron`` follows crontab's weekday numbering (0 and 7 are Sunday) but spells weekdays by name,
    because APScheduler 3's ``CronTrigger.from_crontab`` counts 0 as Monday.
    """

    text: str
    cron: str | None
    interval_seconds: float | None


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    article_url_pattern: str | None = None
    follow_depth: int = 1
    schedule: Schedule | None = None
    revisit: tuple[float, ...] | None = None  # None: crawl.revisit
    max_articles_per_run: int | None = None  # None: crawl.max_articles_per_run
    extract: dict[str, Any] = field(default_factory=dict, hash=False)  # over crawl.extractor_options
    # None: as in [crawl]
    languages: tuple[str, ...] | None = None
    max_age: float | None = None
    published_after: datetime | None = None
    require_date: bool | None = None


# What `[[alerts]]` can send (newsvault/alerts/events.py builds them) and where.
ALERT_EVENTS = ("run_failed", "source_flagged", "source_recovered", "store_degraded", "run_published")
ALERT_KINDS = ("webhook", "slack", "email")
SMTP_TLS = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class AlertTarget:
    """One ``[[alerts]]`` entry: where events go and which. Secrets are never held here, only the names
    of the environment variables that hold them, read when an event is sent."""

    kind: str  # one of ALERT_KINDS
    name: str  # stable: the outbox keeps each event's delivery to a target under this name
    events: tuple[str, ...]
    sources: tuple[str, ...] | None = None  # None: every source
    url: str | None = None  # webhook: a URL that is no secret
    url_env: str | None = None  # webhook, slack: the variable holding the URL
    secret_env: str | None = None  # webhook: the variable holding the HMAC-SHA256 signing secret
    host: str | None = None  # email: the SMTP server
    port: int | None = None
    tls: str = "starttls"  # one of SMTP_TLS
    username: str | None = None
    password_env: str | None = None
    sender: str | None = None  # written `from` in the file
    to: tuple[str, ...] = ()
    timeout: float = 10.0  # seconds, per delivery attempt

    def wants(self, event_type: str, sources: Sequence[str]) -> bool:
        """Whether an event of this type about these sources goes to this target."""
        if event_type not in self.events:
            return False
        return self.sources is None or not sources or bool(set(sources) & set(self.sources))


@dataclass(frozen=True)
class Config:
    path: Path
    archive: ArchiveConfig
    state: StateConfig
    crawl: CrawlConfig
    sources: tuple[Source, ...]
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)
    alerts: tuple[AlertTarget, ...] = ()

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(_unknown_source_message(source_id, [s.id for s in self.sources]))

    def extractor_options_for(self, source: Source) -> dict[str, Any]:
        """[crawl.extractor] with the source's [sources.extract] over it, key by key."""
        return {**self.crawl.extractor_options, **source.extract}

    def select(self, ids: Sequence[str]) -> tuple[Source, ...]:
        """The sources named by ``ids`` (each once, in that order); all of them when ``ids`` is empty."""
        if not ids:
            return self.sources
        by_id = {source.id: source for source in self.sources}
        unknown = [i for i in dict.fromkeys(ids) if i not in by_id]
        if unknown:
            raise ConfigError(
                [Problem("sources", None, _unknown_source_message(i, list(by_id))) for i in unknown],
                self.path,
            )
        return tuple(by_id[i] for i in dict.fromkeys(ids))


def _unknown_source_message(source_id: str, known: list[str]) -> str:
    close = difflib.get_close_matches(source_id, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown source '{source_id}'{hint}; known sources: {', '.join(known) or 'none'}"
