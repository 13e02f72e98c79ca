"""Durations as the config writes them: "90s", "15m", "1h30m", "2d"."""

from __future__ import annotations

import re

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
