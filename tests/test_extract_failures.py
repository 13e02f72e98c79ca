"""Which extraction failures are a page's fault (count it, go on) and which a broken extractor's (stop)."""

from __future__ import annotations

import pickle
from concurrent.futures.process import BrokenProcessPool

from pipelines.extract.failures import (
    CLOSING_MIN,
    STREAK,
    ExtractionUnavailable,
    FailureWatch,
    unavailable_reason,
)
from pipelines.extract.worker import missing_module_error


def test_a_missing_module_fails_the_run_at_once_and_says_what_to_install() -> None:
    reason = FailureWatch().page_failed(ModuleNotFoundError("No module named 'lxml_html_clean'", name="lxml_html_clean"))
    assert reason is not None and "pip install lxml_html_clean" in reason


def test_a_missing_module_fails_the_run_even_after_pages_extracted() -> None:
    watch = FailureWatch()
    watch.page_worked()
    assert watch.page_failed(ImportError("cannot import name 'x' from 'y'", name="y")) is not None


def test_workers_that_cannot_start_fail_the_run() -> None:
    reason = FailureWatch().page_failed(ExtractionUnavailable("the extraction worker processes cannot start: OSError()"))
    assert reason == "the extraction worker processes cannot start: OSError()"


def test_the_same_error_on_every_page_beyond_the_streak_fails_the_run() -> None:
    watch = FailureWatch()
    verdicts = [watch.page_failed(TypeError("unsupported operand")) for _ in range(STREAK + 1)]
    assert verdicts[:STREAK] == [None] * STREAK
    assert verdicts[-1] is not None and "TypeError" in verdicts[-1] and f"{STREAK + 1} pages" in verdicts[-1]


def test_workers_dying_on_every_page_fail_the_run() -> None:
    watch = FailureWatch()
    assert [watch.page_failed(BrokenProcessPool("died")) for _ in range(STREAK + 1)][-1] is not None


def test_broken_pages_after_one_that_extracted_are_only_counted() -> None:
    watch = FailureWatch()
    watch.page_worked()
    assert all(watch.page_failed(ValueError("bad page")) is None for _ in range(3 * STREAK))
    assert watch.closing_verdict() is None


def test_different_errors_on_every_page_are_judged_when_the_run_ends() -> None:
    watch = FailureWatch()
    errors = [ValueError("a"), KeyError("b"), RecursionError("c")] * (STREAK // 3 + 1)
    assert all(watch.page_failed(e) is None for e in errors)
    verdict = watch.closing_verdict()
    assert verdict is not None and verdict.startswith("no page could be extracted")


def test_a_single_broken_page_on_a_quiet_day_does_not_fail_the_run() -> None:
    watch = FailureWatch()
    for _ in range(CLOSING_MIN - 1):
        watch.page_failed(ValueError("bad page"))
    assert watch.closing_verdict() is None


def test_a_run_that_extracted_nothing_and_failed_nothing_is_not_judged_here() -> None:
    assert FailureWatch().closing_verdict() is None


def test_page_errors_are_not_the_extractors_fault() -> None:
    assert unavailable_reason(ValueError("bad markup")) is None


def test_the_module_really_missing_is_found_down_the_chain_and_survives_the_pool() -> None:
    # lxml.html.clean re-raises the missing lxml_html_clean as an ImportError without a name
    try:
        try:
            raise ModuleNotFoundError("No module named 'lxml_html_clean'", name="lxml_html_clean")
        except ImportError:
            raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean.") from None
    except ImportError as exc:
        found = missing_module_error(exc)
    crossed = pickle.loads(pickle.dumps(found))
    assert crossed.name == "lxml_html_clean"
    assert "pip install lxml_html_clean" in (unavailable_reason(crossed) or "")


def test_an_import_error_without_any_name_still_says_to_reinstall() -> None:
    reason = unavailable_reason(ImportError("something\nbroke"))
    assert reason is not None and "reinstall newsvault" in reason and "\n" not in reason
