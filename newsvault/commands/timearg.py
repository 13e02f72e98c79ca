"""Times on the command line: ISO 8601, a date alone meaning its midnight UTC, no zone meaning UTC."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime


def cli_time(text: str) -> datetime:
    """argparse ``type=`` for a time argument."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time (like 2026-11-26 or 2026-11-26T10:00:00Z)") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
