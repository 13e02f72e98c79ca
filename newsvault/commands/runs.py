"""`newsvault runs [--source ID] [--since RUN_ID|T] [--json]`: the run history."""

from __future__ import annotations

import argparse
from typing import Any

from core.counts import FILTERED
from newsvault.commands.common import EXIT_FAILED, EXIT_OK, UsageError, errors_text, load, print_json, table


def register(commands: Any) -> None:
    runs = commands.add_parser("runs", help="run history")
    runs.add_argument("--source", metavar="ID")
    runs.add_argument("--since", metavar="RUN_ID|T", help="only runs started after this run id or ISO 8601 time")
    runs.add_argument("--limit", type=int, default=20)
    runs.add_argument("--json", action="store_true")
    runs.add_argument("--check", action="store_true",
                      help="per-source health instead: exit 1 when a source's yield or completeness dropped "
                           "sharply against its own recent runs, or its last run failed (for cron/monitoring)")
    runs.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newsvault.runs_view import listed_runs
    from state.backends import open_state

    config = load(args)
    if args.source is not None and args.source not in {s.id for s in config.sources}:
        raise UsageError(f"unknown source {args.source!r}")
    state = open_state(config.state.uri)
    if args.check:
        return _check(args, state, [args.source] if args.source else [s.id for s in config.sources])
    waiting = _waiting(config)
    try:
        runs = listed_runs(state, waiting, source=args.source, since=args.since, limit=args.limit)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(runs)
        return EXIT_OK
    if waiting and waiting["parts"]:
        print(f"waiting: {waiting['parts']} part(s), {waiting['bytes']} bytes, in {waiting['spool']} "
              "(the archive store was unreachable); `newsvault flush` uploads them")
    if not runs:
        print("no runs yet")
        return EXIT_OK
    rows = []
    for r in runs:
        c = r.get("counts") or {}
        rows.append([r["run_id"], ",".join(r["sources"]), r["status"], r["started_at"],
                     r.get("finished_at") or "-", c.get("fetched", "-"),
                     *(c.get(name, "-") for name in ("new", "revisited", "unchanged", "new_versions")),
                     c.get("archived", "-"),
                     c.get("duplicates", "-"), c.get("near_duplicates", "-"), _filtered(c),
                     errors_text(c.get("errors", {})), _worker(r)])
    print(table(rows, ["run_id", "sources", "status", "started", "finished", "fetched", "new", "revisited",
                       "unchanged", "new_versions", "archived",
                       "duplicates", "near_dups", "filtered", "errors", "worker"]))
    from scheduler.health import source_health

    for health in source_health(state, [args.source] if args.source else [s.id for s in config.sources]):
        if health.flagged:
            print(f"FLAGGED {health.source}: {'; '.join(health.reasons)} (see `newsvault runs --check`)")
    return EXIT_OK


def _filtered(counts: dict[str, Any]) -> str:
    """Articles the filters did not keep, by reason: "too_old=90 wrong_language=2"."""
    kept_out = [f"{name}={counts[name]}" for name in FILTERED if counts.get(name)]
    return " ".join(kept_out) or "-"


def _worker(run: dict[str, Any]) -> str:
    """Who ran it: the Celery worker's name in a cluster, else the crawl process as pid@host."""
    if run.get("worker"):
        return str(run["worker"])
    return f"{run['pid']}@{run['host']}" if run.get("host") else "-"


def _check(args: argparse.Namespace, state: Any, source_ids: list[str]) -> int:
    from scheduler.health import source_health

    reports = source_health(state, source_ids)
    flagged = any(r.flagged for r in reports)
    if args.json:
        print_json([r.as_dict() for r in reports])
        return EXIT_FAILED if flagged else EXIT_OK
    share = lambda v: f"{v:.0%}" if v is not None else "-"  # noqa: E731
    rows = [[r.source, "FLAGGED" if r.flagged else "ok", r.judged_run or "-",
             r.yielded if r.yielded is not None else "-",
             f"{r.baseline_yield:g}" if r.baseline_yield is not None else "-",
             share(r.completeness), share(r.baseline_completeness), "; ".join(r.reasons) or "-"]
            for r in reports]
    print(table(rows, ["source", "health", "judged run", "yield", "usual", "complete", "usual",
                       "why"]))
    return EXIT_FAILED if flagged else EXIT_OK


def _waiting(config: Any) -> dict[str, Any] | None:
    """What the archive's local spool holds, per run; None for a folder archive (it never spools)."""
    from archive.stores import open_archive

    spool = open_archive(config).spool
    return spool.summary() if spool is not None else None
