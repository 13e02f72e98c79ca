"""`newsvault alerts test|flush|schema`: try every alert target, deliver what waits, the events' shape."""

from __future__ import annotations

import argparse
import json
from typing import Any

from newsvault.commands.common import EXIT_FAILED, EXIT_OK, CommandFailed, load, print_json, table


def register(commands: Any) -> None:
    alerts = commands.add_parser("alerts", help="alert targets: send a test event, deliver held events")
    actions = alerts.add_subparsers(dest="action", metavar="ACTION", required=True)
    test = actions.add_parser("test", help="send a test event to every [[alerts]] target, now, and say how it went")
    test.add_argument("--json", action="store_true")
    test.set_defaults(func=run_test)
    flush = actions.add_parser("flush", help="deliver every event still waiting for its target, backoff or not")
    flush.add_argument("--json", action="store_true")
    flush.set_defaults(func=run_flush)
    schema = actions.add_parser("schema", help="print the events' JSON Schema")
    schema.set_defaults(func=run_schema)


def _targets(config: Any) -> None:
    if not config.alerts:
        raise CommandFailed(f"{config.path} has no [[alerts]] targets")


def run_test(args: argparse.Namespace) -> int:
    from newsvault.alerts.events import sample_event
    from newsvault.alerts.targets import DeliveryError, sender_for

    config = load(args)
    _targets(config)
    results = []
    for target in config.alerts:
        # straight to the target, not through the outbox: the operator wants the answer now
        event = sample_event(target.name)
        try:
            sender_for(target).send(event.document, event.body)
            results.append({"target": target.name, "kind": target.kind, "ok": True, "event": event.id})
        except DeliveryError as exc:
            results.append({"target": target.name, "kind": target.kind, "ok": False, "error": str(exc)})
    failed = any(not r["ok"] for r in results)
    if args.json:
        print_json({"targets": results, "ok": not failed})
    else:
        print(table([[r["target"], r["kind"], "ok" if r["ok"] else f"FAILED: {r['error']}"] for r in results],
                    ["target", "kind", "test event"]))
    return EXIT_FAILED if failed else EXIT_OK


def run_flush(args: argparse.Namespace) -> int:
    from newsvault.alerts.delivery import deliver
    from state.backends import open_state

    config = load(args)
    _targets(config)
    state = open_state(config.state.uri)
    try:
        report = deliver(config, state, due_only=False)
    finally:
        state.close()
    failed = bool(report.failed)
    if args.json:
        print_json({**report.as_dict(), "ok": not failed})
        return EXIT_FAILED if failed else EXIT_OK
    delivered: dict[str, int] = {}
    for target, _event in report.delivered:
        delivered[target] = delivered.get(target, 0) + 1
    print(table([[t.name, delivered.get(t.name, 0), report.pending.get(t.name, 0),
                  f"FAILED: {report.failed[t.name]}" if t.name in report.failed else "ok"] for t in config.alerts],
                ["target", "delivered", "waiting", "status"]))
    for target, event in report.given_up:
        print(f"given up: {event} to {target} (too old)")
    return EXIT_FAILED if failed else EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    from newsvault.alerts.events import event_schema

    print(json.dumps(event_schema(), indent=2))
    return EXIT_OK
