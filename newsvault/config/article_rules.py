"""The keys that decide what a source's articles are: the extractor's options and rules
(`[crawl.extractor]`, `[sources.extract]`) and the filters on what is kept (`languages`, `max_age`,
`published_after`, `require_date`, in `[crawl]` and per source). Checked with the rest of the file,
problems collected by the Checker (validate.py) at their key and line."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from newsvault.config.key_lines import KeyPath
from pipelines.extract.options import XPATH_OPTIONS, ExtractOptions, OptionError, check_xpath

if TYPE_CHECKING:
    from newsvault.config.validate import Checker

# The extraction options a deployment may set are exactly ExtractOptions' fields (one source of
# truth with the extractor and `replay --extractor-option`); their types come from the defaults.
EXTRACTOR_OPTIONS: dict[str, type] = {
    f.name: type(f.default) if f.default is not None else str for f in fields(ExtractOptions)
}
FILTER_KEYS = ("languages", "max_age", "published_after", "require_date")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def extractor_options(checker: Checker, value: Any, path: KeyPath, missing: Any) -> dict[str, Any]:
    """The options of one extractor table, as written; each checked, then all together."""
    table = checker.table(value, path, tuple(EXTRACTOR_OPTIONS)) if value is not missing else {}
    options: dict[str, Any] = {}
    for key, kind in EXTRACTOR_OPTIONS.items():
        if key not in table:
            continue
        if kind is bool:
            options[key] = checker.boolean(table, path, key, False)
        elif kind is int:
            options[key] = checker.integer(table, path, key, 0, 0)
        elif kind is tuple:
            options[key] = [text for _, text in checker.strings(table, path, key) or []]
        else:
            options[key] = checker.string(table, path, key, "") or ""
        if key in XPATH_OPTIONS:  # each expression at its own key, and only bad ones left out
            expressions = options[key] if isinstance(options[key], list) else [options[key]]
            good = []
            for index, expression in enumerate(expressions):
                try:
                    check_xpath(key, expression)
                    good.append(expression)
                except OptionError as exc:
                    checker.problem(path + ((key, index) if kind is tuple else (key,)), str(exc))
            options[key] = good if kind is tuple else (good[0] if good else "")
    # the rules between options (favor_precision or favor_recall, a language code, a valid XPath)
    # are the extractor's own, checked where it builds its options, once
    try:
        ExtractOptions.from_mapping(options)
    except OptionError as exc:  # at the option at fault, when it was written
        checker.problem(path + (exc.key,) if exc.key in options else path, str(exc))
    return options


def article_filters(checker: Checker, table: dict[str, Any], path: KeyPath, *, inherit: bool) -> dict[str, Any]:
    """languages, max_age, published_after, require_date of a [crawl] or [[sources]] table; with
    `inherit`, a key not written is None (the source takes [crawl]'s)."""
    values: dict[str, Any] = {}
    items = checker.strings(table, path, "languages")
    if items is None:
        values["languages"] = None if inherit else ()
    else:
        codes = []
        for item_path, code in items:
            code = code.strip().lower()
            if _LANGUAGE.fullmatch(code):
                codes.append(code)
            else:
                checker.problem(item_path, f"an ISO 639 language code like 'en' or 'de', not {code!r}")
        values["languages"] = tuple(dict.fromkeys(codes))
    values["max_age"] = checker.duration(table, path, "max_age", 0.0) or None
    values["published_after"] = _moment(checker, table, path, "published_after")
    values["require_date"] = checker.boolean(table, path, "require_date", False) if (
        "require_date" in table or not inherit) else None
    return values


def _moment(checker: Checker, table: dict[str, Any], path: KeyPath, key: str) -> datetime | None:
    """A TOML date or date-time, or an ISO 8601 string; a date alone is its midnight UTC."""
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            checker.problem(path + (key,), f"expected a date like 2026-01-31 or an ISO 8601 time, got {value!r}")
            return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    checker.problem(path + (key,), f"expected a date like 2026-01-31, got {type(value).__name__}")
    return None
