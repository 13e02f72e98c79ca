"""`newsvault crawl [SOURCE ...]`: crawl now, in the foreground."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsvault.commands.common import EXIT_FAILED, EXIT_OK, errors_text, load, log_level, print_json, table


def register(commands: Any) -> None:
    crawl = commands.add_parser("crawl", help="crawl now in the foreground")
    crawl.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all)")
    crawl.add_argument("--json", action="store_true", help="print the run manifest as JSON")
    crawl.set_defaults(func=run)


def summary_text(manifest: dict[str, Any]) -> str:
    counts = manifest["counts"]
    columns = ["discovered", "fetched", "archived", "duplicates", "new_versions", "not_article"]
    rows = [[source, *(c.get(name, 0) for name in columns), errors_text(c.get("errors", {}))]
            for source, c in manifest.get("per_source", {}).items()]
    rows.append(["total", *(counts.get(name, 0) for name in columns), errors_text(counts.get("errors", {}))])
    files = manifest["files"]
    return (f"run {manifest['run_id']}: {manifest['status']} "
            f"({manifest['started_at']} .. {manifest['finished_at']})\n"
            f"{table(rows, ['source', *columns, 'errors'])}\n"
            f"{sum(f['kind'] == 'articles' for f in files)} article parts, "
            f"{sum(f['kind'] == 'snapshots' for f in files)} WARC parts written")


def run(args: argparse.Namespace) -> int:
    from newsvault.runner import run_crawl

    config = load(args)
    config.select(args.sources)  # unknown ids are a usage error before anything starts
    manifest = run_crawl(config, args.sources, progress=sys.stderr.isatty() and not args.quiet,
                         log_level=log_level(args))
    if args.json:
        print_json(manifest)
    else:
        print(summary_text(manifest))
    return EXIT_OK if manifest["status"] in ("ok", "degraded") else EXIT_FAILED
