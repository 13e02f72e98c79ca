"""The job store follows the config, while an operator's pause survives syncs and restarts."""

from __future__ import annotations

from pathlib import Path

from newsvault.config import Config, load_config
from scheduler.jobs import is_paused, opened_store, sync_jobs


def config_with(tmp_path: Path, schedules: dict[str, str | None], **scheduler: str) -> Config:
    lines = ['[state]\nuri = "sqlite:///state.db"\n']
    if scheduler:
        lines.append("[scheduler]\n" + "".join(f'{k} = "{v}"\n' for k, v in scheduler.items()))
    for source_id, schedule in schedules.items():
        lines.append(f'[[sources]]\nid = "{source_id}"\nfeeds = ["https://{source_id}.example/rss"]\n')
        if schedule is not None:
            lines.append(f'schedule = "{schedule}"\n')
    path = tmp_path / "newsvault.toml"
    path.write_text("".join(lines))
    return load_config(path)


def jobs(config: Config) -> dict[str, object]:
    with opened_store(config) as scheduler:
        return {job.id: job for job in scheduler.get_jobs()}


def test_each_scheduled_source_gets_one_job_with_its_cron_or_interval_trigger(tmp_path: Path) -> None:
    config = config_with(tmp_path, {"daily": "*/30 * * * 1-5", "wire": "every 90s", "blog": None})
    with opened_store(config) as scheduler:
        report = sync_jobs(scheduler, config)

    assert sorted(report.added) == ["daily", "wire"]
    stored = jobs(config)
    assert sorted(stored) == ["daily", "wire"]
    assert str(stored["daily"].trigger) == (
        "cron[month='*', day='*', day_of_week='mon,tue,wed,thu,fri', hour='*', minute='*/30']")
    assert str(stored["wire"].trigger) == "interval[0:01:30]"
    assert stored["wire"].max_instances == 1 and stored["wire"].coalesce is True
    assert stored["wire"].misfire_grace_time == 600


def test_a_sync_changes_edited_schedules_removes_dropped_ones_and_leaves_the_rest(tmp_path: Path) -> None:
    config = config_with(tmp_path, {"daily": "every 1h", "wire": "every 90s", "blog": "every 2h"})
    with opened_store(config) as scheduler:
        sync_jobs(scheduler, config)
    before = jobs(config)

    edited = config_with(tmp_path, {"daily": "every 1h", "wire": "every 5m", "blog": None},
                         misfire_grace_time="30s")
    with opened_store(edited) as scheduler:
        report = sync_jobs(scheduler, edited)

    after = jobs(edited)
    assert report.removed == ["blog"]
    assert sorted(report.changed) == ["daily", "wire"]  # wire's trigger, both jobs' grace time
    assert str(after["wire"].trigger) == "interval[0:05:00]"
    assert after["daily"].next_run_time == before["daily"].next_run_time  # unchanged trigger, same phase
    assert after["daily"].misfire_grace_time == 30


def test_a_paused_job_stays_paused_through_a_restart_and_a_changed_schedule(tmp_path: Path) -> None:
    config = config_with(tmp_path, {"daily": "every 1h"})
    with opened_store(config) as scheduler:
        sync_jobs(scheduler, config)
        scheduler.pause_job("daily")

    edited = config_with(tmp_path, {"daily": "*/10 * * * *"})
    with opened_store(edited) as scheduler:  # a new scheduler process on the same store
        report = sync_jobs(scheduler, edited)

    assert report.paused == ["daily"]
    job = jobs(edited)["daily"]
    assert is_paused(job)
    assert str(job.trigger).startswith("cron[")
    with opened_store(edited) as scheduler:
        scheduler.resume_job("daily")
    resumed = jobs(edited)["daily"]
    assert not is_paused(resumed) and resumed.next_run_time.minute % 10 == 0
