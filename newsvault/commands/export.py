"""`newsvault export --since RUN_ID|TIME --format jsonl|parquet --to PATH`: complete runs, incrementally."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsvault.commands.common import EXIT_OK, CommandFailed, UsageError, load, print_json


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export", help="records of complete runs, as JSON lines or Parquet, for incremental consumers")
    export.add_argument("--since", metavar="RUN_ID|TIME",
                        help="only runs after this run id, or started after this ISO 8601 time "
                             "(default: every run); pass the last run printed by the previous export")
    export.add_argument("--format", choices=("jsonl", "parquet"), default=None,
                        help="default: from --to's extension (.parquet, else jsonl; .gz compresses)")
    export.add_argument("--to", required=True, metavar="PATH", help="the file to write (replaced atomically)")
    export.add_argument("--source", metavar="ID", help="one source's records only")
    export.add_argument("--json", action="store_true",
                        help='print {"last_run": ..., "records": n, "runs": [...]} on stdout')
    export.set_defaults(func=run)


class _Progress:
    """A status line on a terminal: runs and records exported so far."""

    def __init__(self, total_runs: int, enabled: bool) -> None:
        self.total_runs = total_runs
        self.enabled = enabled
        self.runs = 0
        self.records = 0

    def run_done(self, manifest: dict[str, Any], count: int) -> None:
        self.runs += 1
        self.records += count
        if self.enabled:
            width = 30
            filled = width * self.runs // max(self.total_runs, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.runs}/{self.total_runs} runs, "
                             f"{self.records} records  {manifest['run_id']}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from archive.stores import open_store
    from newsvault.export import (
        jsonl_writer,
        parquet_writer,
        records_of,
        select_runs,
        since_key,
        write_atomically,
    )
    from state.backends import StateError, open_state

    config = load(args)
    if args.source is not None and args.source not in {s.id for s in config.sources}:
        raise UsageError(f"unknown source {args.source!r}")
    try:
        since = since_key(args.since)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    to = Path(args.to).expanduser()
    if to.is_dir():
        raise UsageError(f"--to {to} is a folder; name the file to write")
    fmt = args.format or ("parquet" if to.name.endswith(".parquet") else "jsonl")

    store = open_store(config.archive.uri, endpoint_url=config.archive.endpoint_url, region=config.archive.region)
    try:
        running = [r["run_id"] for r in open_state(config.state.uri).list_runs(limit=100_000)
                   if r["status"] == "running"]
    except StateError:
        running = []  # the manifests alone still say which runs are complete
    try:
        selection = select_runs(store, since, running)
        progress = _Progress(len(selection.runs), sys.stderr.isatty() and not args.quiet and not args.json)
        records = records_of(store, selection.runs, args.source, on_run=progress.run_done)
        writer = (parquet_writer(records) if fmt == "parquet"
                  else jsonl_writer(records, compress=to.name.endswith(".gz")))
        try:
            count = write_atomically(to, writer)
        finally:
            progress.close()
    except ValueError as exc:  # a manifest or data file that does not check out
        raise CommandFailed(f"export stopped, nothing written: {exc}") from None

    last_run = selection.runs[-1]["run_id"] if selection.runs else args.since
    result = {"last_run": last_run, "records": count, "runs": [m["run_id"] for m in selection.runs],
              "format": fmt, "to": str(to)}
    if selection.waiting_on:
        result["waiting_on"] = selection.waiting_on
    if args.json:
        print_json(result)
        return EXIT_OK
    print(f"exported {count} records from {len(selection.runs)} runs to {to} ({fmt})")
    if selection.waiting_on:
        print(f"stopped before run {selection.waiting_on}, still running: later runs wait for it")
    if last_run:
        print(f"last run: {last_run}   (next time: newsvault export --since {last_run} ...)")
    else:
        print("no complete run yet")
    return EXIT_OK
