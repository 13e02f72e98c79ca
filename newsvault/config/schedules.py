"""Source schedules: an interval ("every 15m") or a crontab line, checked as APScheduler will read them."""

from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger

from core.config import Schedule
from core.durations import parse_duration

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
