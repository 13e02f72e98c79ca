"""The process's clock, in UTC, and the one time format of the archive's metadata."""

from __future__ import annotations

import functools
import os
import time
from datetime import UTC, datetime, timedelta

# A fake clock for tests and backfills: with NEWSVAULT_NOW=<ISO time> the process's clock starts at that
# time and runs on from there, so revisit due times, fetch times and run ids all see one consistent
# "now" (a test jumps past a revisit interval without sleeping; run ids stay unique and in order).
NOW_ENV_VAR = "NEWSVAULT_NOW"
_PROCESS_START = time.monotonic()


@functools.cache
def _clock_offset(fake_now: str) -> timedelta:
    try:
        start = datetime.fromisoformat(fake_now.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{NOW_ENV_VAR} must be an ISO time such as 2026-01-31T12:00:00Z, not {fake_now!r}") from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    return start - (datetime.now(UTC) - timedelta(seconds=time.monotonic() - _PROCESS_START))


def utc_now() -> datetime:
    fake = os.environ.get(NOW_ENV_VAR, "").strip()
    now = datetime.now(UTC)
    return now + _clock_offset(fake) if fake else now


def iso_z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
