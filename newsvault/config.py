"""Loading and validating ``newsvault.toml``.

A bad config is refused before anything runs with *every* problem listed by key and line, so the
whole file is checked in one pass and problems are collected instead of raised one at a time.
Values are read with :mod:`tomllib`; neither it nor tomlkit keeps line numbers, so
:class:`_KeyLines` scans the same (already valid) text once to learn where each key is written.
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import math
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from apscheduler.triggers.cron import CronTrigger

from archive.stores import store_backend
from newsvault.state import StateError, state_backend
from pipelines.extract_options import ExtractOptions

CONFIG_FILENAME = "newsvault.toml"
CONFIG_ENV_VAR = "NEWSVAULT_CONFIG"
FILE_KEY = "<file>"

DEFAULT_ARCHIVE_URI = "data/archive"
DEFAULT_STATE_URI = "sqlite:///data/state.db"
DEFAULT_USER_AGENT = "newsvault/0.1 (+https://github.com/newsvault/newsvault)"
DEFAULT_REVISIT_TEXT = ("1h", "3h", "12h", "2d", "7d")

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?[smhd])+")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


def parse_duration(text: str) -> float:
    """Seconds in ``"30s"``, ``"30m"``, ``"1h"``, ``"2d"`` or a sum such as ``"1h30m"``."""
    if not isinstance(text, str):
        raise ValueError(f"bad duration {text!r}: expected a string such as '30m'")
    compact = text.strip().lower()
    if not _DURATION.fullmatch(compact):
        raise ValueError(
            f"bad duration {text!r}: expected a number and a unit (s, m, h or d), "
            "such as '30s', '30m', '1h' or '2d'"
        )
    return float(sum(float(number) * _UNIT_SECONDS[unit] for number, unit in _DURATION_PART.findall(compact)))


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
    extractor_options: dict[str, bool | int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class SchedulerConfig:
    """``[scheduler]``: how `newsvault scheduler` runs the sources' schedules (durations in seconds)."""

    run_time_limit: float = 3600.0  # a crawl still running then is stopped cleanly: status "timeout"
    misfire_grace_time: float = 600.0  # a run missed (scheduler down, busy) fires late within this
    max_concurrent_runs: int = 4  # crawl processes at once, each source at most one
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


@dataclass(frozen=True)
class Config:
    path: Path
    archive: ArchiveConfig
    state: StateConfig
    crawl: CrawlConfig
    sources: tuple[Source, ...]
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(_unknown_source_message(source_id, [s.id for s in self.sources]))

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


def find_config_path(
    cli_path: str | None, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Path:
    """``--config``, else ``$NEWSVAULT_CONFIG``, else ``./newsvault.toml``; relative to ``cwd``."""
    env = os.environ if env is None else env
    base = Path.cwd() if cwd is None else Path(cwd)
    chosen = cli_path or env.get(CONFIG_ENV_VAR) or CONFIG_FILENAME
    return base / Path(chosen).expanduser()


def load_config(path: Path | str) -> Config:
    """The validated config at ``path``; :class:`ConfigError` listing every problem otherwise."""
    given = Path(path).expanduser()
    absolute = Path(os.path.abspath(given))
    try:
        text = given.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [Problem(FILE_KEY, None, "config file not found (pass --config PATH or set $NEWSVAULT_CONFIG)")],
            given,
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(FILE_KEY, None, f"not UTF-8 text: {exc.reason}")], given) from None
    except OSError as exc:
        raise ConfigError(
            [Problem(FILE_KEY, None, f"cannot read the file: {exc.strerror or exc}")], given
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = _split_decode_error(str(exc), text)
        raise ConfigError([Problem(FILE_KEY, line, f"not valid TOML: {message}")], given) from None
    checker = _Checker(_KeyLines(text))
    config = checker.config(raw, absolute)
    if checker.problems:
        problems = sorted(checker.problems, key=lambda p: (p.line is None, p.line or 0))
        raise ConfigError(problems, given)
    return config


def _split_decode_error(message: str, text: str) -> tuple[str, int | None]:
    match = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if match:
        return message[: match.start()], int(match.group(1))
    match = re.search(r"\s*\(at end of document\)$", message)
    if match:
        return message[: match.start()], text.count("\n") + 1
    return message, None


# ---------------------------------------------------------------------------------------------------
# schedules

_CRON_MACROS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * sun",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_WEEKDAY_ITEM = re.compile(r"(\*|[0-7]|[a-z]{3})(?:-([0-7]|[a-z]{3}))?(?:/(\d+))?")


def parse_schedule(text: str) -> Schedule:
    """A 5-field crontab expression (or @hourly, @daily, ...), or ``"every 30m"`` (s, m, h, d)."""
    if not isinstance(text, str):
        raise ValueError(f"bad schedule {text!r}: expected a string such as '*/30 * * * *' or 'every 30m'")
    normal = " ".join(text.split())
    words = normal.lower().split(" ", 1)
    if words[0] == "every":
        try:
            seconds = parse_duration(words[1] if len(words) > 1 else "")
        except ValueError:
            raise ValueError(
                f"bad schedule {text!r}: 'every' takes a duration with a unit s, m, h or d, such as 'every 30m'"
            ) from None
        if seconds <= 0:
            raise ValueError(f"bad schedule {text!r}: the interval must be longer than 0s")
        return Schedule(text=text, cron=None, interval_seconds=seconds)
    fields = _CRON_MACROS.get(normal.lower(), normal).split()
    if len(fields) != 5:
        raise ValueError(
            f"bad schedule {text!r}: expected a 5-field cron expression (minute hour day month weekday) "
            "such as '*/30 * * * *', or an interval such as 'every 30m'"
        )
    fields[4] = _weekdays_by_name(fields[4])
    cron = " ".join(fields)
    try:
        CronTrigger.from_crontab(cron, timezone="UTC")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"bad cron expression {text!r}: {exc}") from None
    return Schedule(text=text, cron=cron, interval_seconds=None)


def _weekdays_by_name(spec: str) -> str:
    """Crontab's weekday field as names, so that 0/7 mean Sunday whatever counts from Monday.

    Anything this does not understand is returned unchanged for APScheduler to judge.
    """
    days: set[int] = set()
    for item in spec.lower().split(","):
        match = _WEEKDAY_ITEM.fullmatch(item)
        if not match:
            return spec
        first, last, step_text = match.groups()
        step = int(step_text) if step_text else 1
        if first == "*":
            if last:
                return spec
            start, end = 0, 6
        else:
            start = _weekday_number(first)
            end = _weekday_number(last) if last else (6 if step_text else start)
        if start is None or end is None or end < start or step == 0:
            return spec
        days.update(day % 7 for day in range(start, end + 1, step))
    if len(days) == 7:
        return "*"
    return ",".join(_WEEKDAYS[day] for day in sorted(days))


def _weekday_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _WEEKDAYS.index(text) if text in _WEEKDAYS else None


# ---------------------------------------------------------------------------------------------------
# where keys are written

KeyPath = tuple[str | int, ...]


def _format_key(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _ScanError(Exception):
    pass


class _KeyLines:
    """The line each key of a valid TOML text is written on, by key path.

    Array-of-tables entries and array items get an index in the path (``("sources", 1, "id")``).
    A path not written in the file (a missing key) falls back to its closest written parent.
    """

    _BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
    _SCALAR = re.compile(r"[^,\]}\r\n#]*")

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines = [i for i, c in enumerate(text) if c == "\n"]
        self._lines: dict[KeyPath, int] = {}
        # line numbers are a courtesy: keep what was learnt, never fail the load over them
        with contextlib.suppress(_ScanError, IndexError, ValueError, tomllib.TOMLDecodeError):
            self._scan()

    def line(self, path: KeyPath) -> int | None:
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None

    def _line_at(self, index: int) -> int:
        return bisect.bisect_left(self._newlines, index) + 1

    def _record(self, path: KeyPath, index: int) -> None:
        self._lines.setdefault(path, self._line_at(index))

    def _record_key(self, table: KeyPath, keys: KeyPath, index: int) -> None:
        for depth in range(1, len(keys) + 1):
            self._record(table + keys[:depth], index)

    def _scan(self) -> None:
        text, end = self._text, len(self._text)
        table: KeyPath = ()
        arrays: dict[KeyPath, int] = {}
        i = self._skip(0, newlines=True)
        while i < end:
            start = i
            if text.startswith("[[", i):
                keys, i = self._key(i + 2)
                table = self._resolve(keys, arrays, array=True)
                self._record(table, start)
                i = text.index("]]", i) + 2
            elif text[i] == "[":
                keys, i = self._key(i + 1)
                table = self._resolve(keys, arrays, array=False)
                self._record(table, start)
                i = text.index("]", i) + 1
            else:
                keys, i = self._key(i)
                i = self._expect(i, "=")
                self._record_key(table, keys, start)
                i = self._value(self._skip(i), table + keys)
            if i <= start:
                raise _ScanError
            i = self._skip(i, newlines=True)

    @staticmethod
    def _resolve(keys: KeyPath, arrays: dict[KeyPath, int], *, array: bool) -> KeyPath:
        resolved: KeyPath = ()
        for depth, key in enumerate(keys):
            resolved += (key,)
            if array and depth == len(keys) - 1:
                arrays[resolved] = arrays.get(resolved, 0) + 1
                resolved += (arrays[resolved] - 1,)
            elif resolved in arrays:  # [sources.x] after [[sources]] belongs to the latest entry
                resolved += (arrays[resolved] - 1,)
        return resolved

    def _skip(self, i: int, *, newlines: bool = False) -> int:
        text, end = self._text, len(self._text)
        while i < end:
            c = text[i]
            if c in " \t" or (newlines and c in "\r\n"):
                i += 1
            elif c == "#" and newlines:
                j = text.find("\n", i)
                i = end if j < 0 else j
            else:
                break
        return i

    def _expect(self, i: int, char: str) -> int:
        i = self._skip(i)
        if self._text[i] != char:
            raise _ScanError
        return i + 1

    def _key(self, i: int) -> tuple[KeyPath, int]:
        parts: list[str | int] = []
        while True:
            i = self._skip(i)
            if self._text[i] in "\"'":
                j = self._string_end(i)
                parts.append(tomllib.loads(f"k = {self._text[i:j]}")["k"])
            else:
                match = self._BARE_KEY.match(self._text, i)
                if not match:
                    raise _ScanError
                parts.append(match.group())
                j = match.end()
            i = self._skip(j)
            if self._text[i] != ".":
                return tuple(parts), i
            i += 1

    def _string_end(self, i: int) -> int:
        text = self._text
        quote = text[i]
        if text.startswith(quote * 3, i):
            j = i + 3
            while not text.startswith(quote * 3, j):
                j += 2 if quote == '"' and text[j] == "\\" else 1
            j += 3
            for _ in range(2):  # up to two quotes may end the content just before the delimiter
                if j < len(text) and text[j] == quote:
                    j += 1
            return j
        j = i + 1
        while text[j] != quote:
            j += 2 if quote == '"' and text[j] == "\\" else 1
        return j + 1

    def _value(self, i: int, path: KeyPath) -> int:
        text = self._text
        c = text[i]
        if c in "\"'":
            return self._string_end(i)
        if c == "[":
            i += 1
            index = 0
            while True:
                i = self._skip(i, newlines=True)
                if text[i] == "]":
                    return i + 1
                self._record(path + (index,), i)
                start = i
                i = self._skip(self._value(i, path + (index,)), newlines=True)
                if i <= start:
                    raise _ScanError
                if text[i] == ",":
                    i += 1
                    index += 1
        if c == "{":
            i += 1
            while True:
                i = self._skip(i, newlines=True)
                if text[i] == "}":
                    return i + 1
                start = i
                keys, i = self._key(i)
                i = self._skip(self._expect(i, "="))
                self._record_key(path, keys, start)
                i = self._skip(self._value(i, path + keys), newlines=True)
                if text[i] == ",":
                    i += 1
        match = self._SCALAR.match(text, i)
        assert match is not None  # the pattern matches the empty string
        return match.end()


# ---------------------------------------------------------------------------------------------------
# validation

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
# The extraction options a deployment may set are exactly ExtractOptions' fields (one source of
# truth with the extractor and `replay --extractor-option`); their types come from the defaults.
_EXTRACTOR_OPTIONS: dict[str, type] = {
    f.name: type(f.default) if f.default is not None else str for f in fields(ExtractOptions)
}
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


class _Checker:
    """Builds a :class:`Config` from parsed TOML, collecting every problem on the way.

    Getters report a wrong value and return the default, so checking carries on past it.
    """

    def __init__(self, lines: _KeyLines) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(_format_key(path), self.lines.line(path), message))

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
        return Config(
            path=path,
            archive=self.archive(raw.get("archive", _MISSING), base),
            state=self.state(raw.get("state", _MISSING), base),
            crawl=self.crawl(raw.get("crawl", _MISSING)),
            scheduler=self.scheduler(raw.get("scheduler", _MISSING)),
            sources=self.sources(raw.get("sources", _MISSING)),
        )

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
            elif not store_backend(uri).capabilities.remote:
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
            extractor_options=self.extractor(table.get("extractor", _MISSING)),
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

    def extractor(self, value: Any) -> dict[str, bool | int | str]:
        path: KeyPath = ("crawl", "extractor")
        table = self.table(value, path, tuple(_EXTRACTOR_OPTIONS))
        options: dict[str, bool | int | str] = {}
        for key, kind in _EXTRACTOR_OPTIONS.items():
            if key not in table:
                continue
            if kind is bool:
                options[key] = self.boolean(table, path, key, False)
            elif kind is int:
                options[key] = self.integer(table, path, key, 0, 0)
            else:
                options[key] = self.string(table, path, key, "") or ""
        # the rules between options (favor_precision or favor_recall, a language code) are the
        # extractor's own, checked where it builds its options, once
        try:
            ExtractOptions.from_mapping(options)
        except ValueError as exc:
            self.problem(path, str(exc))
        return options

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
                    f"duplicate source id '{source.id}' (first used in {_format_key(first)}{where})",
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
