"""Telling a page that cannot be extracted from an extractor that cannot extract.

A broken page (pathological markup, an encoding trafilatura chokes on) is the page's fault: it is
counted as an `extraction_error` and the crawl goes on. A broken extractor is the installation's
fault, and every page of the run would fail the same way: an archive that silently fills with
nothing is worse than a crawl that stops and says why. The run is failed early when

- the extractor cannot be imported (an ImportError is never a page's doing), or the worker processes
  cannot be started at all; or
- every page of the run so far, more than STREAK of them, failed with the same exception type (a
  worker that dies on every page is a BrokenProcessPool on every page);
- or, when the run ends, every page handed to extraction failed, at least CLOSING_MIN of them (a
  single broken page on a quiet day is the page's fault, not a broken run).

One page that extracts, or in which trafilatura ran and found no article, proves the extractor works:
from then on only the page-by-page counting applies. (A page refused before trafilatura runs, as not
HTML or in another language, proves nothing.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Pages failing the same way, with none extracted, before the extractor is judged broken: more than a
# run of broken pages from one bad template, fewer than the pages a real crawl would waste.
STREAK = 10
CLOSING_MIN = 3


class ExtractionUnavailable(Exception):
    """The extractor cannot run here; the message says why and what to do."""


def unavailable_reason(exc: BaseException) -> str | None:
    """Why the extractor cannot run, when ``exc`` says so; None when it may be the page's fault."""
    if isinstance(exc, ExtractionUnavailable):
        return str(exc)
    if isinstance(exc, ImportError):
        said = " ".join(str(exc).split())
        if not exc.name:
            return (f"the extractor cannot be imported: {said}. A package newsvault needs is missing or "
                    "broken in its environment: reinstall newsvault (`pip install newsvault`, or the wheel)")
        package = exc.name.split(".")[0]
        return (f"the extractor cannot be imported: module {package!r} is missing. Install it into "
                f"newsvault's environment: `pip install {package}` (newsvault declares it, so reinstalling "
                f"newsvault installs it too). The import error: {said}")
    return None


@dataclass
class FailureWatch:
    """Outcomes of the run's extractions so far; `page_failed` and `closing_verdict` say when they show
    a broken extractor."""

    streak: int = STREAK
    worked: bool = False  # a page extracted, or trafilatura ran on it and found no article
    failures: int = 0
    kinds: set[str] = field(default_factory=set)
    first_error: str = ""

    def page_worked(self) -> None:
        self.worked = True

    def page_failed(self, exc: BaseException) -> str | None:
        """Record a failed page; the reason to fail the run, or None to count it and go on."""
        reason = unavailable_reason(exc)
        if reason is not None:
            return reason
        if self.worked:
            return None
        self.failures += 1
        self.kinds.add(type(exc).__name__)
        if not self.first_error:
            self.first_error = f"{type(exc).__name__}: {exc}"
        if self.failures > self.streak and len(self.kinds) == 1:
            return (f"extraction failed on every page so far ({self.failures} pages, each with "
                    f"{type(exc).__name__}; the first: {self.first_error}); the extractor is broken, "
                    "not the pages: see the log for the traceback, and `newsvault check`")
        return None

    def closing_verdict(self) -> str | None:
        """At the end of the run: the reason to fail it when pages were handed over and none extracted."""
        if self.worked or self.failures < CLOSING_MIN:
            return None
        return (f"no page could be extracted: all {self.failures} failed "
                f"({', '.join(sorted(self.kinds))}; the first: {self.first_error}); see the log, and "
                "`newsvault check`")
