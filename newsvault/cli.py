"""The `newsvault` command line.

Exit status: 0 when the command did its job (a crawl with some failed pages still succeeded),
2 for a usage or config error, 1 when it could not do its job.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from archive.stores import StoreError
from newsvault import __version__
from newsvault.config import Config, ConfigError, find_config_path, load_config
from newsvault.state import StateError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsvault", description="Scheduled news crawling and archiving.")
    parser.add_argument("--config", metavar="PATH", help="newsvault.toml (default: $NEWSVAULT_CONFIG, "
                        "else ./newsvault.toml)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.add_argument("--version", action="version", version=f"newsvault {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    crawl = commands.add_parser("crawl", help="crawl now in the foreground")
    crawl.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all)")
    crawl.add_argument("--json", action="store_true", help="print the run manifest as JSON")

    runs = commands.add_parser("runs", help="run history")
    runs.add_argument("--source", metavar="ID")
    runs.add_argument("--limit", type=int, default=20)
    runs.add_argument("--json", action="store_true")

    check = commands.add_parser("check", help="validate the config and reach the archive and state stores")
    check.add_argument("--json", action="store_true")

    commands.add_parser("schema", help="print the record's JSON Schema")
    return parser


def _load(args: argparse.Namespace) -> Config:
    return load_config(find_config_path(args.config))


def _log_level(args: argparse.Namespace) -> str:
    if args.quiet:
        return "ERROR"
    return {0: "WARNING", 1: "INFO"}.get(args.verbose, "DEBUG")


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


def _errors_text(errors: dict[str, int]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in sorted(errors.items()) if n) or "-"


def summary_text(manifest: dict[str, Any]) -> str:
    counts = manifest["counts"]
    rows = []
    for source, c in manifest.get("per_source", {}).items():
        rows.append([source, c.get("discovered", 0), c.get("fetched", 0), c.get("archived", 0),
                     c.get("duplicates", 0), c.get("new_versions", 0), c.get("not_article", 0),
                     _errors_text(c.get("errors", {}))])
    rows.append(["total", counts["discovered"], counts["fetched"], counts["archived"], counts["duplicates"],
                 counts["new_versions"], counts["not_article"], _errors_text(counts["errors"])])
    table = _table([[str(c) for c in r] for r in rows],
                   ["source", "discovered", "fetched", "archived", "duplicates", "new_versions",
                    "not_article", "errors"])
    files = manifest["files"]
    return (f"run {manifest['run_id']}: {manifest['status']} "
            f"({manifest['started_at']} .. {manifest['finished_at']})\n{table}\n"
            f"{sum(f['kind'] == 'articles' for f in files)} article parts, "
            f"{sum(f['kind'] == 'snapshots' for f in files)} WARC parts written")


def cmd_crawl(args: argparse.Namespace) -> int:
    from newsvault.runner import run_crawl

    config = _load(args)
    config.select(args.sources)  # unknown ids are a usage error before anything starts
    manifest = run_crawl(config, args.sources, progress=sys.stderr.isatty() and not args.quiet,
                         log_level=_log_level(args))
    if args.json:
        _print_json(manifest)
    else:
        print(summary_text(manifest))
    return EXIT_OK if manifest["status"] in ("ok", "degraded") else EXIT_FAILED


def cmd_runs(args: argparse.Namespace) -> int:
    from newsvault.state import open_state

    config = _load(args)
    if args.source is not None and args.source not in {s.id for s in config.sources}:
        raise UsageError(f"unknown source {args.source!r}")
    runs = open_state(config.state.uri).list_runs(source=args.source, limit=args.limit)
    if args.json:
        _print_json(runs)
        return EXIT_OK
    if not runs:
        print("no runs yet")
        return EXIT_OK
    rows = []
    for run in runs:
        c = run.get("counts") or {}
        rows.append([run["run_id"], ",".join(run["sources"]), run["status"], run["started_at"],
                     run.get("finished_at") or "-", str(c.get("fetched", "-")), str(c.get("archived", "-")),
                     str(c.get("duplicates", "-")), _errors_text(c.get("errors", {}))])
    print(_table(rows, ["run_id", "sources", "status", "started", "finished", "fetched", "archived",
                        "duplicates", "errors"]))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from archive.stores import open_store
    from newsvault.state import open_state

    config = _load(args)
    results: dict[str, Any] = {"config": str(config.path), "sources": [s.id for s in config.sources]}
    ok = True
    try:
        open_store(config.archive.uri, endpoint_url=config.archive.endpoint_url,
                   region=config.archive.region).check()
        results["archive"] = {"uri": config.archive.uri, "ok": True}
    except (StoreError, OSError, ValueError) as exc:
        ok = False
        results["archive"] = {"uri": config.archive.uri, "ok": False, "error": str(exc)}
    try:
        open_state(config.state.uri).check()
        results["state"] = {"uri": config.state.uri, "ok": True}
    except StateError as exc:
        ok = False
        results["state"] = {"uri": config.state.uri, "ok": False, "error": str(exc)}
    if args.json:
        _print_json({**results, "ok": ok})
    else:
        print(f"config  {results['config']}: ok ({len(config.sources)} sources)")
        for name in ("archive", "state"):
            r = results[name]
            print(f"{name:<7} {r['uri']}: " + ("ok" if r["ok"] else f"FAILED: {r['error']}"))
    return EXIT_OK if ok else EXIT_FAILED


def cmd_schema(args: argparse.Namespace) -> int:
    from newsvault.record import record_schema

    _print_json(record_schema())
    return EXIT_OK


COMMANDS = {"crawl": cmd_crawl, "runs": cmd_runs, "check": cmd_check, "schema": cmd_schema}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"newsvault: invalid configuration:\n{exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"newsvault: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, StateError) as exc:
        print(f"newsvault: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
