"""Per-source health: a source is flagged when it stops yielding what its own recent runs yielded."""

from __future__ import annotations

from typing import Any

from scheduler.health import judge, source_runs


def run(n: int, *, status: str = "ok", fetched: int = 10, archived: int = 0, duplicates: int = 0,
        complete: int | None = None, errors: dict[str, int] | None = None, source: str = "daily",
        other: str | None = None) -> dict[str, Any]:
    counts = {"fetched": fetched, "archived": archived, "duplicates": duplicates,
              "complete": archived if complete is None else complete, "errors": errors or {}}
    per_source = {source: counts}
    if other:
        per_source[other] = {"fetched": 99, "archived": 99, "duplicates": 0, "complete": 99, "errors": {}}
    return {"run_id": f"run{n:02d}", "kind": "crawl", "sources": list(per_source), "status": status,
            "finished_at": f"2026-11-26T10:{n:02d}:00Z", "counts": counts, "per_source": per_source}


def health(*runs: dict[str, Any]):
    newest_first = list(reversed(runs))
    return judge("daily", source_runs(newest_first, "daily"))


def test_a_steady_source_is_healthy() -> None:
    report = health(run(1, archived=10), run(2, archived=3, duplicates=7), run(3, duplicates=10),
                    run(4, archived=2, duplicates=8))
    assert not report.flagged
    assert report.yielded == 10 and report.baseline_yield == 10


def test_yield_below_a_quarter_of_the_usual_median_is_flagged() -> None:
    report = health(run(1, archived=8), run(2, duplicates=8), run(3, duplicates=9),
                    run(4, duplicates=1, fetched=9))
    assert report.flagged
    assert report.reasons == ["yield dropped: 1 articles in run run04, against a median of 8 in its 3 runs before"]


def test_completeness_falling_by_more_than_point_three_is_flagged() -> None:
    report = health(run(1, archived=10), run(2, archived=10, complete=9), run(3, archived=10),
                    run(4, archived=10, complete=5))
    assert report.flagged
    assert report.completeness == 0.5 and report.baseline_completeness == 1.0
    assert "completeness dropped" in report.reasons[0]


def test_fewer_than_three_earlier_runs_are_no_baseline() -> None:
    assert not health(run(1, archived=10), run(2, archived=10), run(3, fetched=10)).flagged


def test_quiet_and_interrupted_runs_are_not_judged() -> None:
    report = health(run(1, archived=10), run(2, archived=10), run(3, archived=10),
                    run(4, fetched=0), run(5, status="interrupted", fetched=3))
    assert not report.flagged
    assert report.judged_run == "run03"


def test_a_run_with_errors_and_nothing_fetched_is_judged() -> None:
    report = health(run(1, archived=10), run(2, archived=10), run(3, archived=10),
                    run(4, fetched=0, errors={"http_5xx": 3}))
    assert report.flagged and report.yielded == 0


def test_a_failed_or_crashed_last_run_is_flagged() -> None:
    report = health(run(1, archived=10), run(2, status="crashed", fetched=0))
    assert report.flagged and report.reasons == ["last run run02 crashed"]


def test_a_source_whose_only_run_failed_is_flagged_with_the_cause() -> None:
    failed = {**run(1, status="failed", fetched=0), "failure": "no site could be reached: all 3 requests failed"}
    report = health(failed)
    assert report.flagged
    assert report.reasons == ["last run run01 failed: no site could be reached: all 3 requests failed"]


def test_the_source_is_judged_on_its_own_share_of_runs_of_several_sources() -> None:
    report = health(run(1, archived=10, other="wire"), run(2, archived=10), run(3, archived=10),
                    run(4, fetched=10, other="wire"))
    assert report.flagged and report.yielded == 0
