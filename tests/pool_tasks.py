"""Functions the extraction pool tests run in worker processes (module-level, so they pickle)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from pipelines.extract.fields import extract_fields
from pipelines.extract.options import ExtractOptions

KILL_MARKER = b"<!-- this page kills its extraction worker -->"


def extract_or_die(url: str, body: bytes, headers: Mapping[str, str], options: ExtractOptions,
                   template: frozenset[int] = frozenset()) -> dict[str, Any]:
    """extract_fields, except that a page carrying KILL_MARKER kills the process extracting it, the way
    a segfault in a C extension or the kernel's OOM killer would."""
    if KILL_MARKER in body:
        os._exit(70)
    return extract_fields(url, body, headers, options, template)


def slow_echo(value: int, seconds: float) -> int:
    time.sleep(seconds)
    return value
