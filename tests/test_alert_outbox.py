"""The alert outbox of both state backends (SQLite, a real redis-server): each event recorded once,
each delivery held by one claim at a time, retried with backoff, settled only by its claim's holder;
and the delivery loop that drives it against a receiver that is down, then up."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alertreceivers import HttpReceiver
from test_alerts import write_config

from newsvault.alerts.delivery import BACKOFF_BASE_S, backoff, deliver, record
from newsvault.alerts.events import Event
from newsvault.config import load_config
from state.backends import open_state
from state.state_types import StateStore

NOW = 1_800_000_000.0


@pytest.fixture(params=["sqlite", "redis"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], StateStore]]:
    """Opens the same state again, as another process would: one connection each."""
    uri = f"sqlite:///{tmp_path}/state.db" if request.param == "sqlite" else request.getfixturevalue("redis_uri")
    opened: list[StateStore] = []

    def opener() -> StateStore:
        opened.append(open_state(uri))
        return opened[-1]

    yield opener
    for state in opened:
        state.close()


def test_an_event_recorded_twice_is_delivered_once(open_store: Callable[[], StateStore]) -> None:
    outbox = open_store().outbox()
    assert outbox.add("run_failed:r1", '{"id": "run_failed:r1"}', ["hook", "mail"], NOW)
    assert not open_store().outbox().add("run_failed:r1", '{"id": "run_failed:r1"}', ["hook"], NOW)
    assert outbox.pending(["hook", "mail", "other"]) == {"hook": 1, "mail": 1, "other": 0}
    [delivery] = outbox.claim("hook", now=NOW, due_only=True, lease_s=60, limit=10)
    assert (delivery.event_id, delivery.body, delivery.attempts) == ("run_failed:r1", '{"id": "run_failed:r1"}', 0)
    outbox.delivered(delivery, NOW)
    assert outbox.pending(["hook", "mail"]) == {"hook": 0, "mail": 1}
    assert outbox.claim("hook", now=NOW, due_only=False, lease_s=60, limit=10) == []


def test_a_claimed_delivery_is_nobody_elses_until_its_claim_lapses(open_store: Callable[[], StateStore]) -> None:
    first, second = open_store().outbox(), open_store().outbox()
    now = time.time()
    first.add("e2", "{}", ["hook"], now)
    [held] = first.claim("hook", now=now, due_only=True, lease_s=0.3, limit=10)
    assert second.claim("hook", now=now, due_only=False, lease_s=0.3, limit=10) == []
    time.sleep(0.4)  # the holder died mid-send: its claim lapses and another process takes the delivery
    [taken] = second.claim("hook", now=time.time(), due_only=True, lease_s=60, limit=10)
    first.delivered(held, time.time())  # the stale holder settles nothing
    assert second.pending(["hook"]) == {"hook": 1}
    second.delivered(taken, time.time())
    assert second.pending(["hook"]) == {"hook": 0}


def test_a_failed_attempt_is_counted_and_waits_for_its_backoff_unless_flushed(open_store: Callable[[], StateStore]) -> None:
    outbox = open_store().outbox()
    outbox.add("e1", "{}", ["hook"], NOW)
    outbox.add("e2", "{}", ["hook"], NOW)
    e1, e2 = outbox.claim("hook", now=NOW, due_only=True, lease_s=60, limit=10)
    outbox.retry(e1, "HTTP 503", NOW + backoff(1))
    outbox.release(e2)  # given back untried: not an attempt
    [taken] = outbox.claim("hook", now=NOW + 1, due_only=True, lease_s=60, limit=10)
    assert taken.event_id == "e2"
    outbox.delivered(taken, NOW + 1)
    [again] = outbox.claim("hook", now=NOW + 1, due_only=False, lease_s=60, limit=10)  # `alerts flush`
    assert (again.event_id, again.attempts) == ("e1", 1)
    outbox.retry(again, "HTTP 503", NOW + 1 + backoff(2))
    assert outbox.claim("hook", now=NOW + backoff(2), due_only=True, lease_s=60, limit=10) == []
    [due] = outbox.claim("hook", now=NOW + 1 + backoff(2), due_only=True, lease_s=60, limit=10)
    assert (due.event_id, due.attempts) == ("e1", 2)


def test_backoff_doubles_from_thirty_seconds_up_to_half_an_hour() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4, 7, 20)] == [30, 60, 120, 240, 1800, 1800]
    assert BACKOFF_BASE_S == 30


def test_concurrent_claimers_share_the_deliveries_without_overlap(open_store: Callable[[], StateStore]) -> None:
    seed = open_store().outbox()
    for i in range(200):
        seed.add(f"e{i:03d}", "{}", ["hook"], NOW)
    claimed: list[list[str]] = []
    outboxes = [open_store().outbox() for _ in range(4)]

    def drain(index: int) -> None:
        mine = []
        while batch := outboxes[index].claim("hook", now=NOW, due_only=True, lease_s=60, limit=7):
            for delivery in batch:
                outboxes[index].delivered(delivery, NOW)
            mine += [d.event_id for d in batch]
        claimed.append(mine)

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [event for mine in claimed for event in mine]
    assert sorted(everything) == [f"e{i:03d}" for i in range(200)]  # each once, by one claimer


def test_a_source_flag_is_swapped_atomically_and_remembered(open_store: Callable[[], StateStore]) -> None:
    outbox = open_store().outbox()
    assert outbox.swap_source_flag("harbour", False, NOW) is None
    assert outbox.swap_source_flag("harbour", True, NOW) is False
    assert open_store().outbox().swap_source_flag("harbour", True, NOW) is True


def test_delivery_stops_at_a_down_target_and_sends_everything_once_it_is_back(
        open_store: Callable[[], StateStore], tmp_path: Path) -> None:
    receiver = HttpReceiver().start()
    config = load_config(write_config(tmp_path, 9, [{"kind": "webhook", "name": "hook", "url": receiver.url(),
                                                     "events": ["run_published"], "timeout": 2}]))
    state = open_store()
    events = [Event(f"run_published:r{i}", "run_published", ("harbour",),
                    {"id": f"run_published:r{i}", "type": "run_published", "summary": "s", "host": "h", "data": {}})
              for i in range(3)]
    assert record(config, state, events) == 3
    receiver.stop()
    down = deliver(config, state, env=os.environ)
    assert down.delivered == [] and down.failed["hook"].startswith("hook: cannot reach the receiver")
    assert down.pending == {"hook": 3}  # one attempt, the other two released untried
    attempts = {d.event_id: d.attempts for d in state.outbox().claim("hook", now=time.time(), due_only=False,
                                                                      lease_s=0.01, limit=10)}
    assert sorted(attempts.values()) == [0, 0, 1]
    time.sleep(0.02)
    receiver.start()
    # the two never tried go now; the one that failed waits for its backoff...
    assert deliver(config, state).delivered == [("hook", "run_published:r1"), ("hook", "run_published:r2")]
    # ...unless flushed
    back = deliver(config, state, due_only=False)
    assert back.delivered == [("hook", "run_published:r0")] and back.pending == {"hook": 0}
    assert [r.event["id"] for r in receiver.received] == [e.id for e in events[1:] + events[:1]]
    receiver.stop()


def test_a_target_whose_url_cannot_be_used_fails_alone_and_never_shows_the_url(
        open_store: Callable[[], StateStore], tmp_path: Path) -> None:
    # http.client refuses this URL with an error that quotes a piece of it, the password included
    secret_url = "http://user:s3cretTOKEN@127.0.0.1/hook"
    with HttpReceiver() as receiver:
        config = load_config(write_config(tmp_path, 9, [
            {"kind": "webhook", "name": "broken", "url_env": "BROKEN_URL", "events": ["run_published"]},
            {"kind": "webhook", "name": "good", "url": receiver.url(), "events": ["run_published"]},
        ]))
        state = open_store()
        event = Event("run_published:r9", "run_published", ("harbour",),
                      {"id": "run_published:r9", "type": "run_published", "summary": "line one\nline two",
                       "host": "h", "data": {}})
        assert record(config, state, [event]) == 1

        report = deliver(config, state, env={**os.environ, "BROKEN_URL": secret_url})

    assert report.delivered == [("good", "run_published:r9")]
    assert "s3cretTOKEN" not in report.failed["broken"] and report.failed["broken"].startswith("broken: ")
    assert report.pending == {"broken": 1, "good": 0}  # retried later, like any failed attempt
