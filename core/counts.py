"""Run counters kept in Scrapy's stats collector, run-wide and per source.

Keys are `newsvault/<name>` and `newsvault/source/<id>/<name>`; errors are `errors/<reason>`, captures
an import passed over are `skipped/<reason>`. The run manifest's `counts` and `per_source` are read
back from them, so every component just increments.
"""

from __future__ import annotations

from typing import Any

from scrapy.statscollectors import StatsCollector

PREFIX = "newsvault/"
# articles the run's filters did not keep, by reason (pipelines/filters.py)
FILTERED = ("wrong_language", "too_old", "undated")
COUNTERS = ("discovered", "fetched", "archived", "duplicates", "near_duplicates", "new_versions", "not_article",
            # incremental crawling (pipelines/revisits.py): fetched = new + revisited; a revisit is unchanged
            # by a 304, by the same raw bytes or by the same extracted text; known_skipped: not due yet
            "new", "revisited", "unchanged", "unchanged_304", "unchanged_bytes", "unchanged_text",
            "known_skipped",
            # a URL that failed transiently, waiting on its backoff across runs
            "retry_later", *FILTERED)


def count(stats: StatsCollector, source: str | None, name: str, n: int = 1) -> None:
    stats.inc_value(f"{PREFIX}{name}", n)
    if source is not None:
        stats.inc_value(f"{PREFIX}source/{source}/{name}", n)


def count_error(stats: StatsCollector, source: str | None, reason: str) -> None:
    count(stats, source, f"errors/{reason}")


def count_skipped(stats: StatsCollector, reason: str, n: int = 1) -> None:
    """A capture of an import's input passed over, for this reason (run-wide: it has no source yet)."""
    count(stats, None, f"skipped/{reason}", n)


def _nested(flat: dict[str, int]) -> dict[str, Any]:
    counts: dict[str, Any] = {name: 0 for name in COUNTERS}
    errors: dict[str, int] = {}
    skipped: dict[str, int] = {}
    for key, value in flat.items():
        if key.startswith("errors/"):
            errors[key.removeprefix("errors/")] = value
        elif key.startswith("skipped/"):
            skipped[key.removeprefix("skipped/")] = value
        else:
            counts[key] = value
    counts["errors"] = dict(sorted(errors.items()))
    if skipped:  # imports only
        counts["skipped"] = dict(sorted(skipped.items()))
    return counts


def run_counts(stats: StatsCollector) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(run-wide counts, counts per source) in the manifest's shape."""
    total: dict[str, int] = {}
    per_source: dict[str, dict[str, int]] = {}
    for key, value in stats.get_stats().items():
        if not key.startswith(PREFIX) or not isinstance(value, int):
            continue
        name = key.removeprefix(PREFIX)
        if name.startswith("source/"):
            source, _, counter = name.removeprefix("source/").partition("/")
            per_source.setdefault(source, {})[counter] = value
        else:
            total[name] = value
    return _nested(total), {source: _nested(flat) for source, flat in sorted(per_source.items())}


# Why the run failed, when a component decided it did (the manifest's `failure`): a string stat, so
# the component that decides and the one that writes the manifest need not know each other.
FAILURE_KEY = "newsvault_failure"


def set_failure(stats: StatsCollector, reason: str) -> None:
    """Fail the run for this reason; the first reason given is the one kept."""
    if not stats.get_value(FAILURE_KEY):
        stats.set_value(FAILURE_KEY, reason)


def run_failure(stats: StatsCollector) -> str | None:
    value = stats.get_value(FAILURE_KEY)
    return str(value) if value else None


# Keys a component adds to the run manifest (an import: its inputs), kept as stats for the same
# reason: the spider that knows them and the pipeline that writes the manifest need not know each other.
MANIFEST_PREFIX = "newsvault_manifest/"


def set_manifest_value(stats: StatsCollector, key: str, value: Any) -> None:
    stats.set_value(f"{MANIFEST_PREFIX}{key}", value)


def manifest_values(stats: StatsCollector) -> dict[str, Any]:
    return {key.removeprefix(MANIFEST_PREFIX): value for key, value in stats.get_stats().items()
            if key.startswith(MANIFEST_PREFIX)}
