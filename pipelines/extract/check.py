"""`newsvault check`'s extraction check: the bundled page through the worker path a crawl uses.

A crawl extracts in worker processes forked from extraction's server, which imports trafilatura and
everything under it; an installation missing one of those modules fails there and nowhere else. So
the check starts that same pool, hands it the bundled page and compares the fields with what the page
says (pipelines/extract/sample_page.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from pipelines.extract.failures import unavailable_reason
from pipelines.extract.options import ExtractOptions
from pipelines.extract.pipeline import ExtractionPool
from pipelines.extract.sample_page import SAMPLE_EXPECTED, SAMPLE_HEADERS, SAMPLE_URL, sample_page

# The versions an operator (or a bug report) needs to know about extraction and crawling.
REPORTED = ("trafilatura", "lxml", "lxml_html_clean", "Scrapy")
TIMEOUT_S = 120.0


@dataclass
class ExtractionCheck:
    ok: bool
    detail: str
    versions: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail, "versions": self.versions}


def versions() -> dict[str, str]:
    found = {}
    for name in REPORTED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def mismatches(fields: dict[str, Any]) -> list[str]:
    """How the extracted fields differ from what the bundled page says."""
    wrong = []
    if fields.get("title") != SAMPLE_EXPECTED["title"]:
        wrong.append(f"title {fields.get('title')!r}")
    if fields.get("authors") != SAMPLE_EXPECTED["authors"]:
        wrong.append(f"authors {fields.get('authors')!r}")
    if not str(fields.get("published_at") or "").startswith(SAMPLE_EXPECTED["published_day"]):
        wrong.append(f"published_at {fields.get('published_at')!r}")
    if SAMPLE_EXPECTED["text_holds"] not in str(fields.get("text") or ""):
        wrong.append(f"text {str(fields.get('text'))[:60]!r}")
    return wrong


def check_extraction(workers: int = 1) -> ExtractionCheck:
    """Extract the bundled page with `workers` worker processes (0: in this process); never raises."""
    pool = ExtractionPool(workers)
    found = versions()
    try:
        fields = asyncio.run(asyncio.wait_for(
            pool.run(SAMPLE_URL, sample_page(), SAMPLE_HEADERS, ExtractOptions()), TIMEOUT_S))
    except Exception as exc:
        reason = unavailable_reason(exc) or f"extracting the bundled page failed: {type(exc).__name__}: {exc}"
        return ExtractionCheck(False, reason, found)
    finally:
        pool.close()
    wrong = mismatches(fields)
    if wrong:
        return ExtractionCheck(False, "the bundled page extracted wrong: " + "; ".join(wrong), found)
    where = f"{workers} worker process" if workers else "in process"
    return ExtractionCheck(True, f"bundled page extracted ({fields['word_count']} words, {where})", found)
