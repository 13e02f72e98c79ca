"""`newsvault import WARC_OR_URI ... [--source ID | --by-host] [--host REGEX] [--since T] [--until T] [--json]`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsvault.commands.common import (
    UsageError,
    counts_table,
    load,
    log_level,
    run_heading,
    table,
)
from newsvault.commands.timearg import cli_time


def register(commands: Any) -> None:
    command = commands.add_parser(
        "import", help="build records from existing WARC/ARC files (Common Crawl news, other crawlers)",
        description="Import the 2xx HTML captures of WARC/ARC files through the crawl's pipelines into the "
                    "configured archive, as a run of kind import.")
    command.add_argument("inputs", nargs="+", metavar="WARC_OR_URI",
                         help="a WARC or ARC file (gzipped or not), a folder, a glob, or s3://bucket/key (globs too)")
    where = command.add_mutually_exclusive_group()
    where.add_argument("--source", metavar="ID", help="put every capture in this configured source")
    where.add_argument("--by-host", action="store_true",
                       help="captures no configured source claims go to a source per registered domain")
    command.add_argument("--host", metavar="REGEX", help="only captures whose host name matches (re.search)")
    command.add_argument("--since", type=cli_time, metavar="TIME", help="only captures from this WARC-Date on")
    command.add_argument("--until", type=cli_time, metavar="TIME", help="only captures before this WARC-Date")
    command.add_argument("--json", action="store_true", help="print the import's run manifest as JSON")
    command.set_defaults(func=run)


def summary_text(manifest: dict[str, Any]) -> str:
    counts = manifest["counts"]
    columns = ["fetched", "archived", "duplicates", "new_versions", "not_article"]
    skipped = ", ".join(f"{reason} {n}" for reason, n in counts.get("skipped", {}).items() if n) or "none"
    inputs = manifest.get("inputs", [])
    input_rows = [[entry["uri"], entry.get("bytes"), entry.get("records", 0),
                   (entry.get("counts") or {}).get("fetched", 0), (entry.get("counts") or {}).get("archived", 0),
                   _input_status(entry)] for entry in inputs]
    return (f"{run_heading(manifest, 'import')}\n"
            f"{counts_table(manifest, columns)}\n"
            f"captures skipped: {skipped}\n"
            f"{table(input_rows, ['input', 'bytes', 'records', 'captures', 'archived', 'status'])}")


def _input_status(entry: dict[str, Any]) -> str:
    if entry["status"] == "already_imported":
        return f"already imported by {entry.get('imported_by')}"
    return entry["status"] + (f": {entry['error']}" if entry.get("error") else "")


def run(args: argparse.Namespace) -> int:
    from newsvault.commands.crawl import report_run
    from pipelines.extract.server import extract_workers, start_early

    config = load(args)
    if extract_workers(None, config.crawl.extract_workers) > 0:
        start_early()  # extraction's forkserver starts on another core while Scrapy loads
    from newsvault.importer import ImportRefused, run_import

    try:
        manifest = run_import(config, args.inputs, source=args.source, by_host=args.by_host, host=args.host,
                              since=args.since, until=args.until,
                              progress=sys.stderr.isatty() and not args.quiet and not args.json,
                              log_level=log_level(args))
    except ImportRefused as exc:
        raise UsageError(str(exc)) from None
    return report_run(args, manifest, summary_text(manifest))
