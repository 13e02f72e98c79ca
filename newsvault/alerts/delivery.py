"""The outbox's two ends: events recorded in the state store when they happen, delivered to their
targets afterwards, retried with backoff until they arrive.

Recording is one write to the state (state/state_types.py `Outbox`), made for each target that wants
the event, so an event is never lost with the process that saw it. Delivery claims a target's pending
events (a lease: of processes flushing at once, each event goes out through one), sends them oldest
first, and settles each: delivered, or failed and due again after a backoff. A target that fails is
left alone for the rest of the pass (its other events are released untried), so a receiver that is
down costs one timeout per pass, not one per event. Nothing here raises into a crawl: the callers
in newsvault/alerts/run_events.py log and go on.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.clock import utc_now
from core.config import Config
from newsvault.alerts.events import Event
from newsvault.alerts.targets import DeliveryError, sender_for
from state.state_types import StateStore

logger = logging.getLogger("newsvault.alerts")

# A claim outlives any attempt (a target's timeout is at most a minute): a lapsed claim means its
# holder died, and only then does another process send the event again.
LEASE_S = 300.0
BATCH = 20
# After the n-th failed attempt, the next is due BACKOFF_BASE_S * 2**(n-1) later, at most BACKOFF_MAX_S.
BACKOFF_BASE_S = 30.0
BACKOFF_MAX_S = 1800.0
# An event undelivered this long is given up (logged as an error): a week-old alert helps nobody.
GIVE_UP_AFTER_S = 7 * 24 * 3600.0


def backoff(attempts: int) -> float:
    """Seconds until the next attempt after `attempts` failed ones."""
    return min(BACKOFF_BASE_S * 2 ** max(attempts - 1, 0), BACKOFF_MAX_S)


def _now() -> float:
    return utc_now().timestamp()


def record(config: Config, state: StateStore, events: Iterable[Event]) -> int:
    """Put each event in the outbox for the targets that want it; how many were new."""
    if not config.alerts:
        return 0
    outbox = state.outbox()
    added = 0
    for event in events:
        targets = [t.name for t in config.alerts if t.wants(event.type, event.sources)]
        if targets and outbox.add(event.id, event.body, targets, _now()):
            added += 1
            logger.info("alert %s recorded for %s", event.id, ", ".join(targets))
    return added


@dataclass
class DeliveryReport:
    delivered: list[tuple[str, str]] = field(default_factory=list)  # (target, event id)
    failed: dict[str, str] = field(default_factory=dict)  # target -> why its last attempt failed
    given_up: list[tuple[str, str]] = field(default_factory=list)
    pending: dict[str, int] = field(default_factory=dict)  # target -> deliveries still waiting

    def as_dict(self) -> dict[str, Any]:
        return {"delivered": [{"target": t, "event": e} for t, e in self.delivered],
                "failed": self.failed, "given_up": [{"target": t, "event": e} for t, e in self.given_up],
                "pending": self.pending}


def deliver(config: Config, state: StateStore, *, due_only: bool = True, budget_s: float | None = None,
            env: Mapping[str, str] | None = None) -> DeliveryReport:
    """Send what is pending to every configured target: those whose backoff has passed, or all of
    them (`due_only=False`: `newsvault alerts flush`); stop starting attempts after `budget_s`."""
    report = DeliveryReport()
    if not config.alerts:
        return report
    outbox = state.outbox()
    deadline = time.monotonic() + budget_s if budget_s is not None else None

    def out_of_time() -> bool:
        return deadline is not None and time.monotonic() >= deadline

    for target in config.alerts:
        sender = sender_for(target, env)
        failed = False
        while not failed and not out_of_time():
            batch = outbox.claim(target.name, now=_now(), due_only=due_only, lease_s=LEASE_S, limit=BATCH)
            if not batch:
                break
            for delivery in batch:
                now = _now()
                if failed or out_of_time():
                    outbox.release(delivery)
                elif now - delivery.created_at > GIVE_UP_AFTER_S:
                    why = f"undelivered for {GIVE_UP_AFTER_S / 86400:g} days; last attempts failed"
                    outbox.give_up(delivery, why, now)
                    report.given_up.append((target.name, delivery.event_id))
                    logger.error("alert %s to %s given up: %s", delivery.event_id, target.name, why)
                else:
                    try:
                        sender.send(json.loads(delivery.body), delivery.body)
                    except Exception as exc:  # whatever a sender raises is this target's failure
                        if not isinstance(exc, DeliveryError):  # its text is not checked for secrets: not shown
                            exc = DeliveryError(f"{target.name}: unexpected {type(exc).__name__}")
                        failed = True
                        wait = backoff(delivery.attempts + 1)
                        outbox.retry(delivery, str(exc), now + wait)
                        report.failed[target.name] = str(exc)
                        logger.warning("alert %s not delivered (attempt %d): %s; next attempt in %gs, or "
                                       "`newsvault alerts flush`", delivery.event_id, delivery.attempts + 1, exc, wait)
                        continue
                    outbox.delivered(delivery, _now())
                    report.delivered.append((target.name, delivery.event_id))
                    logger.info("alert %s delivered to %s", delivery.event_id, target.name)
    report.pending = outbox.pending([t.name for t in config.alerts])
    return report
