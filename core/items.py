"""What the spider hands to the pipelines: one fetched page, before extraction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass
class PageItem:
    source: str
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    snapshot: dict[str, Any] | None
