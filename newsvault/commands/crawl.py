"""`newsvault crawl [SOURCE ...]`: crawl now, in the foreground."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsvault.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    counts_table,
    load,
    log_level,
    print_json,
    run_heading,
)


def register(commands: Any) -> None:
    crawl = commands.add_parser("crawl", help="crawl now in the foreground")
    crawl.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all)")
    crawl.add_argument("--json", action="store_true", help="print the run manifest as JSON")
    crawl.add_argument("--time-limit", type=_seconds, metavar="SECONDS",
                       help="stop cleanly after this long, keeping what was archived (status timeout)")
    crawl.set_defaults(func=run)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return value


def summary_text(manifest: dict[str, Any], what: str = "run") -> str:
    columns = ["discovered", "fetched", "new", "revisited", "unchanged", "archived", "duplicates", "new_versions",
               "not_article"]
    files = manifest["files"]
    return (f"{run_heading(manifest, what)}\n"
            f"{counts_table(manifest, columns)}\n"
            f"{sum(f['kind'] == 'articles' for f in files)} article parts, "
            f"{sum(f['kind'] == 'snapshots' for f in files)} WARC parts written")


def report_failure(manifest: dict[str, Any]) -> None:
    """Why a failed run failed, on stderr, for the operator at the terminal or in the cron mail."""
    if manifest.get("failure"):
        print(f"newsvault: run {manifest['run_id']} failed: {manifest['failure']}", file=sys.stderr)


def report_run(args: argparse.Namespace, manifest: dict[str, Any], text: str) -> int:
    """A finished run (a crawl's, an import's, a replay's) as the command's output: its manifest with
    --json, else `text`; why it failed on stderr; the exit status its status calls for."""
    if args.json:
        print_json(manifest)
    else:
        print(text)
    report_failure(manifest)
    return EXIT_OK if manifest["status"] in ("ok", "degraded") else EXIT_FAILED


def run(args: argparse.Namespace) -> int:
    from pipelines.extract.server import start_early_if_expected
    from scheduler.locks import describe_holder, hold_sources

    config = load(args)
    sources = config.select(args.sources)  # unknown ids are a usage error before anything starts
    # One crawl per source at a time, across processes: the scheduler's runs take the same locks.
    with hold_sources(config, [s.id for s in sources]) as locks:
        for source_id, holder in locks.busy.items():
            print(f"newsvault: skipping {source_id}: already being crawled by {describe_holder(holder)}",
                  file=sys.stderr)
        if not locks.held:
            if args.json:
                print_json({"status": "skipped", "sources": [s.id for s in sources], "busy": locks.busy})
            return EXIT_FAILED
        # before Scrapy loads, so that extraction's start-up runs on another core meanwhile
        start_early_if_expected(config, locks.held)
        from newsvault.runner import run_crawl  # Scrapy loads only once there is something to crawl

        extra = {"CLOSESPIDER_TIMEOUT": args.time_limit} if args.time_limit else {}
        manifest = run_crawl(config, locks.held, progress=sys.stderr.isatty() and not args.quiet,
                             log_level=log_level(args), **extra)
    return report_run(args, manifest, summary_text(manifest))
