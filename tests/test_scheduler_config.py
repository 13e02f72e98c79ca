"""newsvault.toml's [scheduler] table: what loads, what is refused, and where."""

from __future__ import annotations

import pytest
from test_config import MINIMAL_SOURCE, problem_at, write

from newsvault.config import SchedulerConfig, load_config


def test_an_omitted_scheduler_table_takes_the_documented_defaults(tmp_path) -> None:
    config = load_config(write(tmp_path, MINIMAL_SOURCE))

    assert config.scheduler == SchedulerConfig(run_time_limit=3600.0, misfire_grace_time=600.0,
                                               max_concurrent_runs=16, batch_size=100, host_max_runs=2000,
                                               host_memory_growth_mb=512, host_memory_limit_mb=4096)


def test_scheduler_durations_are_read_in_seconds(tmp_path) -> None:
    path = write(tmp_path, '[scheduler]\nrun_time_limit = "1h30m"\nmisfire_grace_time = "45s"\n'
                           "max_concurrent_runs = 2\n" + MINIMAL_SOURCE)

    assert load_config(path).scheduler == SchedulerConfig(5400.0, 45.0, 2)


@pytest.mark.parametrize(
    ("setting", "key", "message"),
    [
        ("run_time_limit = 30", "scheduler.run_time_limit", "expected a duration"),
        ('run_time_limit = "30 minutes"', "scheduler.run_time_limit", "bad duration"),
        ('misfire_grace_time = "0s"', "scheduler.misfire_grace_time", "must be longer than 0s"),
        ("max_concurrent_runs = 0", "scheduler.max_concurrent_runs", "must be at least 1"),
        ('max_concurrent_runs = "2"', "scheduler.max_concurrent_runs", "expected an integer"),
        ('run_time_limt = "1h"', "scheduler.run_time_limt", "did you mean 'run_time_limit'"),
    ],
)
def test_a_bad_scheduler_setting_is_refused_on_its_line(tmp_path, setting: str, key: str, message: str) -> None:
    path = write(tmp_path, f"[scheduler]\n{setting}\n" + MINIMAL_SOURCE)

    problem = problem_at(path, key)
    assert problem.line == 2
    assert message in problem.message
