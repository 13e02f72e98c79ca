"""Which captures of an import's inputs are imported, and into which source.

Pure functions of a record's URL, date, HTTP status, type and body, so they are tested without a
crawler. The checks run cheapest first, on the WARC headers alone before a body is read: the window
(``out_of_window``), the host pattern (``host_filtered``), the source (``no_source``); then, with
the response (a revisit's is the one it repeats; ``revisit_unresolved`` when it is not in the
inputs), a 2xx status (``http_status``) and an HTML body (``not_html``, as the crawl decides it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from courlan import extract_domain

from core.config import Source
from spiders.links import matched_domain

__all__ = ["SKIP_REASONS", "Selection", "SourceAssigner", "host_source_id"]

SKIP_REASONS = ("out_of_window", "host_filtered", "no_source", "revisit_unresolved", "http_status", "not_html",
                "warc_invalid")

_NOT_ID = re.compile(r"[^a-z0-9_-]+")


def _host(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host.rstrip(".").lower() or None


def host_source_id(url: str) -> str | None:
    """The source id ``--by-host`` gives a URL: its registered domain (``www.bbc.co.uk`` and
    ``news.bbc.co.uk`` -> ``bbc-co-uk``; an IP address or a single-label host as it is), written
    as a configured source id would be ([a-z0-9][a-z0-9_-]*), so it can be configured as one."""
    host = _host(url)
    if host is None:
        return None
    domain = extract_domain(url) or host
    source_id = _NOT_ID.sub("-", domain.lower()).strip("-_")
    return source_id or None


@dataclass
class SourceAssigner:
    """``--source ID``: every capture into that source; else the configured source whose
    allowed_domains hold the host (the most specific); with ``by_host``, the others into a source of
    their registered domain."""

    configured: Sequence[Source]
    only: Source | None = None
    by_host: bool = False
    created: dict[str, Source] = field(default_factory=dict)  # --by-host's sources, by id

    def source_of(self, url: str) -> Source | None:
        if _host(url) is None:
            return None
        if self.only is not None:
            return self.only
        best: tuple[int, Source] | None = None
        for source in self.configured:
            domain = matched_domain(url, source.allowed_domains)
            if domain is not None and (best is None or len(domain) > best[0]):
                best = (len(domain), source)
        if best is not None:
            return best[1]
        if not self.by_host:
            return None
        source_id = host_source_id(url)
        if source_id is None:
            return None
        source = self.created.get(source_id)
        if source is None:
            domain = extract_domain(url) or _host(url) or source_id
            source = self.created[source_id] = Source(id=source_id, name=domain, allowed_domains=(domain,))
        return source

    def identity(self) -> dict[str, Any]:
        """What decides where captures go, for the import journal."""
        if self.only is not None:
            return {"source": self.only.id}
        return {"by_host": self.by_host,
                "sources": {s.id: sorted(s.allowed_domains) for s in self.configured}}


@dataclass(frozen=True)
class Selection:
    """The window [since, until) of WARC-Dates and the host pattern (``re.search`` on the host name)."""

    since: datetime | None = None
    until: datetime | None = None
    host: re.Pattern[str] | None = None

    def skip_reason(self, url: str, date: datetime) -> str | None:
        if (self.since is not None and date < self.since) or (self.until is not None and date >= self.until):
            return "out_of_window"
        if self.host is not None and not self.host.search(_host(url) or ""):
            return "host_filtered"
        return None

    def identity(self) -> dict[str, Any]:
        return {"since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "host": self.host.pattern if self.host else None}
