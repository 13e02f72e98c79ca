"""`newsvault runs [--source ID] [--json]`: the run history."""

from __future__ import annotations

import argparse
from typing import Any

from newsvault.commands.common import EXIT_OK, UsageError, errors_text, load, print_json, table


def register(commands: Any) -> None:
    runs = commands.add_parser("runs", help="run history")
    runs.add_argument("--source", metavar="ID")
    runs.add_argument("--limit", type=int, default=20)
    runs.add_argument("--json", action="store_true")
    runs.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newsvault.state import open_state

    config = load(args)
    if args.source is not None and args.source not in {s.id for s in config.sources}:
        raise UsageError(f"unknown source {args.source!r}")
    runs = open_state(config.state.uri).list_runs(source=args.source, limit=args.limit)
    if args.json:
        print_json(runs)
        return EXIT_OK
    if not runs:
        print("no runs yet")
        return EXIT_OK
    rows = []
    for r in runs:
        c = r.get("counts") or {}
        rows.append([r["run_id"], ",".join(r["sources"]), r["status"], r["started_at"],
                     r.get("finished_at") or "-", c.get("fetched", "-"), c.get("archived", "-"),
                     c.get("duplicates", "-"), errors_text(c.get("errors", {}))])
    print(table(rows, ["run_id", "sources", "status", "started", "finished", "fetched", "archived",
                       "duplicates", "errors"]))
    return EXIT_OK
