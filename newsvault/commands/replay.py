"""`newsvault replay --since T --until T [--source ID] --to URI [--extractor-option K=V ...]`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsvault.commands.common import UsageError, load, log_level
from newsvault.commands.timearg import cli_time


def register(commands: Any) -> None:
    replay = commands.add_parser("replay", help="re-extract stored snapshots into another archive")
    replay.add_argument("--since", type=cli_time, required=True, metavar="TIME",
                        help="first fetch time replayed (ISO 8601; a date means its midnight UTC)")
    replay.add_argument("--until", type=cli_time, required=True, metavar="TIME",
                        help="fetch times before this one are replayed")
    replay.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable)")
    replay.add_argument("--to", required=True, metavar="URI", help="target archive: a folder or s3://bucket/prefix")
    replay.add_argument("--extractor-option", action="append", default=[], metavar="K=V",
                        help="override an extraction option, e.g. favor_recall=true (repeatable)")
    replay.add_argument("--json", action="store_true", help="print the replay's run manifest as JSON")
    replay.set_defaults(func=run)


def _options(pairs: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--extractor-option {pair!r} is not K=V")
        options[key.strip()] = value.strip()
    return options


def run(args: argparse.Namespace) -> int:
    from newsvault.commands.crawl import report_run, summary_text
    from newsvault.replayer import ReplayRefused, run_replay

    config = load(args)
    if args.source:
        config.select(args.source)  # unknown ids are a usage error
    try:
        manifest = run_replay(config, since=args.since, until=args.until, target_uri=args.to,
                              sources=set(args.source) if args.source else None,
                              extractor_options=_options(args.extractor_option),
                              progress=sys.stderr.isatty() and not args.quiet and not args.json,
                              log_level=log_level(args))
    except ReplayRefused as exc:
        raise UsageError(str(exc)) from None
    return report_run(args, manifest, f"{summary_text(manifest, 'replay')}\n"
                                      f"replayed runs: {', '.join(manifest['replay_of']) or 'none in the window'}")
