"""The publication time, chosen from every signal the page gives.

The publication time is what the page declares (JSON-LD `datePublished`, `article:published_time`,
`<time datetime>` marked as the publication), kept in the page's own offset, so the day stays the
day of the edition; htmldate's guess, which may be the modified day, only when it declares none. A
date the CMS stored as its local midnight and wrote in UTC ("...T23:00:00Z") is written back at that
midnight, in its zone: the same instant, on the edition's day.
A UTC time the page's <time> elements, or another of its declarations, give in their own offset is
written in that offset; so is one the dateline prints, as a clock time, on another day than UTC's.
Where the page declares nothing, or a day far from htmldate's, what it shows decides: its <time>
elements and the date printed after the headline (page_meta.py's dateline).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit


def parse_time(value: str) -> datetime | date | None:
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(
            value.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} ", value) else value
        )
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)  # RFC 2822, as some CMSs write it
    except (TypeError, ValueError, IndexError):
        return None


def first_time(candidates: list[str] | None) -> str | None:
    for candidate in candidates or []:
        parsed = parse_time(candidate)
        if parsed is not None:
            return parsed.isoformat()
    return None


def _utc_time(value: str | None) -> datetime | None:
    """The time `value` gives, when it gives one in UTC (+00:00, Z, GMT)."""
    moment = parse_time(value) if value else None
    if not isinstance(moment, datetime) or moment.utcoffset() is None or moment.utcoffset():
        return None
    return moment


# midnight in Central Europe (UTC+1, +2) written in UTC; 20:00Z and 21:00Z are evening stories as often
_MIDNIGHT_EAST_OF_UTC = 22


def _local_midnight(value: str | None) -> str | None:
    """A UTC time at 22:00:00 or 23:00:00 is a date entered without a time, at midnight in
    the page's zone east of UTC, converted: "2021-11-04T23:00:00+00:00" is 5 November, 00:00 at
    +01:00. Written so, the instant is the same and the day is the edition's."""
    moment = _utc_time(value)
    if moment is None:
        return value
    if moment.minute or moment.second or moment.microsecond or moment.hour < _MIDNIGHT_EAST_OF_UTC:
        return value
    hours = 24 - moment.hour
    local = moment.astimezone(timezone(timedelta(hours=hours)))
    return local.isoformat()


def _in_local_offset(value: str | None, shown: Sequence[str]) -> str | None:
    """A UTC time written as the page shows the same instant elsewhere, in its own offset
    (`<time datetime="2022-05-03T23:37:37-04:00">` for "2022-05-04T03:37:37Z"): the edition's day."""
    moment = _utc_time(value)
    if moment is None:
        return value
    for other in shown:
        local = parse_time(other)
        if (isinstance(local, datetime) and local.utcoffset() and abs((local - moment).total_seconds()) < 60):
            return local.isoformat()
    return value


# the UTC offsets in use (IANA tz database): whole hours from -12:00 to +14:00, and these
_ZONE_OFFSETS = frozenset(
    [timedelta(hours=h) for h in range(-12, 15)]
    + [timedelta(minutes=m) for m in (-570, -210, -150, 210, 270, 330, 345, 390, 525, 570, 630, 765, 825)]
)


def _at_dateline_clock(value: str | None, dateline: str | None, clock: str | None) -> str | None:
    """A UTC time on another day than the dateline, which prints the same moment in the page's zone
    ("3/5/2022 22:41" for "2022-05-04T02:41:00Z"), written in that zone's offset (-04:00): the
    evening story stays on its edition's day, as the page shows it."""
    moment = _utc_time(value)
    if moment is None:
        return value
    if not dateline or not clock or dateline == moment.date().isoformat():
        return value
    try:
        local = datetime.fromisoformat(f"{dateline}T{clock}")
    except ValueError:
        return value
    offset = local - moment.replace(tzinfo=None, second=0, microsecond=0)
    if offset not in _ZONE_OFFSETS:  # another time than the declared one: the page's last update
        return value
    return moment.astimezone(timezone(offset)).isoformat()


# a permalink's date: /2017/7/12/, /2020-01-23-, /20200123/
_URL_DATE = re.compile(r"/((?:19|20)\d{2})(?:[/_-](\d{1,2})[/_-](\d{1,2})|(\d{2})(\d{2}))(?:[/_.-]|$)")


def _url_day(url: str) -> str | None:
    match = _URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2] or match[4]), int(match[3] or match[5])).isoformat()
    except ValueError:
        return None


def _days(values: Iterable[str]) -> list[str]:
    return [parsed.isoformat()[:10] for parsed in map(parse_time, values) if parsed is not None]


def _shown_time(guess: str | None, shown: Sequence[str], dateline: str | None, url: str) -> str | None:
    """With nothing declared: the day two of htmldate's guess, the page's first <time>, the date
    printed after the headline and the permalink's agree on; else the <time>, the dateline, the guess,
    the permalink's, in that order. htmldate weighs a <meta name=date>, often the day the page was last
    changed, over both."""
    first = next((p.isoformat() for p in map(parse_time, shown) if p is not None), None)
    candidates = [c for c in (first, dateline, guess, _url_day(url)) if c]
    for candidate in candidates:
        if sum(other[:10] == candidate[:10] for other in candidates) >= 2:
            return candidate
    return candidates[0] if candidates else None


def _page_shows(declared_day: str, guess: str, shown: Sequence[str], dateline: str | None, url: str) -> bool:
    """Whether the page shows the declared day rather than htmldate's: printed after the headline,
    or in its <time> elements where the guess is not; unless the guess is the permalink's date."""
    if _url_day(url) == guess:
        return False
    shown_days = _days(shown)
    return dateline == declared_day or (declared_day in shown_days and guess not in shown_days)


def _copyright_year(day: str, shown: Sequence[str], dateline: str | None, url: str) -> bool:
    """Whether htmldate's day is its last resort, the year of the page's copyright notice as its
    1 January ("© 2023" -> 2023-01-01), which nothing the page shows or its permalink gives: no day."""
    return day.endswith("-01-01") and dateline != day and _url_day(url) != day and day not in _days(shown)


def published_at(trafilatura_date: Any, declared: list[str] | None, shown: Sequence[str] = (),
                 dateline: str | None = None, url: str = "", dateline_clock: str | None = None) -> str | None:
    """The publication time the page declares, in its own offset, checked against htmldate's day
    (through trafilatura), which reads what the page displays:

    - the same day: the declared time;
    - a day apart, and the declared time is UTC within four hours of the midnight between them: the
      page shows its local day, which htmldate read (an evening story is not the next day's);
    - a day apart otherwise: the declared time (htmldate misread a date);
    - further apart: htmldate's day (a declared date days or months off is a template's, not the
      story's; measured on the corpora's labelled dates), unless the page shows the declared day
      (its dateline, its <time>s) and not htmldate's;
    - nothing declared: what the page shows (`_shown_time`).

    htmldate's guess of the copyright's year (its 1 January, where the page shows no such day) is no
    guess: a page without a date gets none rather than that one.

    The same instant declared or shown elsewhere in a local offset, or printed by the dateline, is
    written in that offset.
    """
    full = _in_local_offset(first_time(declared), [*shown, *(declared or [])])
    full = _local_midnight(_at_dateline_clock(full, dateline, dateline_clock))
    day = trafilatura_date[:10] if isinstance(trafilatura_date, str) and parse_time(trafilatura_date) else None
    if day and _copyright_year(day, shown, dateline, url):
        day = None
    if not full:
        return _shown_time(day, shown, dateline, url)
    if not day or full[:10] == day:
        return full
    seen, shown_day = date.fromisoformat(full[:10]), date.fromisoformat(day)
    apart = (shown_day - seen).days
    if abs(apart) > 1:
        return full if _page_shows(full[:10], day, shown, dateline, url) else day
    moment = _utc_time(full)
    if moment is not None:
        hour = moment.hour + moment.minute / 60
        if (apart == 1 and hour >= 20) or (apart == -1 and hour < 4):
            return day
    return full
