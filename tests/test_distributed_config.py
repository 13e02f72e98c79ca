"""The [scheduler] keys of the distributed mode: what loads, what is refused, and where."""

from __future__ import annotations

import pytest
from test_config import MINIMAL_SOURCE, problem_at, write

from newsvault.config import load_config
from scheduler.celery_app import app, broker_uri, configure


def test_the_cluster_defaults_derive_from_the_run_time_limit(tmp_path) -> None:
    scheduler = load_config(write(tmp_path, '[scheduler]\nrun_time_limit = "20m"\n' + MINIMAL_SOURCE)).scheduler
    assert (scheduler.worker_concurrency, scheduler.broker, scheduler.visibility_timeout) == (2, None, None)
    assert scheduler.run_grace == 60
    assert scheduler.broker_visibility_timeout == 1200 + 60 + 300


def test_celery_takes_its_broker_and_delivery_guarantees_from_the_config(tmp_path) -> None:
    path = write(tmp_path, '[state]\nuri = "redis://db.internal:6379/2?lease=20"\n[scheduler]\n'
                           'run_time_limit = "10m"\nvisibility_timeout = "1h"\n' + MINIMAL_SOURCE)
    config = load_config(path)
    assert broker_uri(config) == "redis://db.internal:6379/2"
    conf = configure(config, app).conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == 3600
    # a run's time limit is kept by the worker's crawl host; a run still going is never redelivered
    assert conf.broker_transport_options["visibility_timeout"] > config.scheduler.run_time_limit + config.scheduler.run_grace


def test_a_sqlite_state_without_a_broker_cannot_run_celery(tmp_path) -> None:
    with pytest.raises(ValueError, match="Redis broker"):
        broker_uri(load_config(write(tmp_path, MINIMAL_SOURCE)))


@pytest.mark.parametrize(
    ("setting", "key", "message"),
    [
        ("worker_concurrency = 0", "scheduler.worker_concurrency", "must be at least 1"),
        ('broker = "amqp://rabbit"', "scheduler.broker", "redis:// URI"),
        ('visibility_timeout = "30m"', "scheduler.visibility_timeout", "longer than run_time_limit plus its grace"),
    ],
)
def test_a_bad_cluster_setting_is_refused_on_its_line(tmp_path, setting: str, key: str, message: str) -> None:
    path = write(tmp_path, f'[scheduler]\n{setting}\nrun_time_limit = "1h"\n' + MINIMAL_SOURCE)

    problem = problem_at(path, key)
    assert problem.line == 2
    assert message in problem.message
