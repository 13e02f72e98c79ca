"""What the commands share: exit codes, config loading, output helpers."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from newsvault.config import Config, find_config_path, load_config

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit 2)."""


class CommandFailed(Exception):
    """The command could not do its job (exit 1); the message says why."""


def load(args: argparse.Namespace) -> Config:
    return load_config(find_config_path(args.config))


def log_level(args: argparse.Namespace) -> str:
    if args.quiet:
        return "ERROR"
    return {0: "WARNING", 1: "INFO"}.get(args.verbose, "DEBUG")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def table(rows: list[list[Any]], header: list[str]) -> str:
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                     for row in [header, *cells])


def errors_text(errors: dict[str, int]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in sorted(errors.items()) if n) or "-"


def run_heading(manifest: dict[str, Any], what: str = "run") -> str:
    """The first line of a run's summary: "import <run id>: ok (<start> .. <end>)"."""
    return f"{what} {manifest['run_id']}: {manifest['status']} ({manifest['started_at']} .. {manifest['finished_at']})"


def counts_table(manifest: dict[str, Any], columns: list[str]) -> str:
    """The run's counts by source and in total, as the crawl and import summaries print them."""
    counts = manifest["counts"]
    rows = [[source, *(c.get(name, 0) for name in columns), errors_text(c.get("errors", {}))]
            for source, c in manifest.get("per_source", {}).items()]
    rows.append(["total", *(counts.get(name, 0) for name in columns), errors_text(counts.get("errors", {}))])
    return table(rows, ["source", *columns, "errors"])
