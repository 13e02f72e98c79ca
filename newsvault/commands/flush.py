"""`newsvault flush`: upload archive parts spooled while the store was unreachable."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsvault.commands.common import EXIT_FAILED, EXIT_OK, load, print_json


def register(commands: Any) -> None:
    flush = commands.add_parser("flush", help="upload archive parts spooled while the store was unreachable")
    flush.add_argument("--json", action="store_true")
    flush.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from archive.spool import flush_store
    from archive.stores import open_archive

    config = load(args)
    store = open_archive(config)
    report = flush_store(store)
    _alert_published(config, store, report)
    aborted = 0
    failed = False
    if report is not None and not report.errors and store.capabilities.remote:
        # Uploads of processes killed mid-multipart: invisible, but billed until aborted.
        aborted = store.abort_stale_uploads()
    result: dict[str, Any] = {"archive": config.archive.uri, "aborted_uploads": aborted}
    if report is None:
        result.update(uploaded=[], already_there=[], remaining=0, errors=[])
        message = f"{config.archive.uri} is a local folder: nothing is ever spooled"
    else:
        result.update(report.as_dict(), spool=str(store.spool.root) if store.spool is not None else None)
        failed = bool(report.errors)
        done = len(report.uploaded) + len(report.already_there)
        message = (f"uploaded {done} spooled part(s) to {config.archive.uri}"
                   + (f" ({len(report.already_there)} were already there)" if report.already_there else "")
                   + (f"; {report.remaining} still waiting in {result['spool']}" if report.remaining else ""))
        if aborted:
            message += f"; aborted {aborted} unfinished multipart upload(s) older than a day"
    if args.json:
        print_json({**result, "ok": not failed})
    else:
        print(message)
        for error in result["errors"]:
            print(f"error: {error}")
    return EXIT_FAILED if failed else EXIT_OK


def _alert_published(config: Any, store: Any, report: Any) -> None:
    """The manifests uploaded now make their runs readable: run_published goes out for each."""
    if not config.alerts or report is None:
        return
    from newsvault.alerts.run_events import deliver_pending, record_flushed_manifests
    from state.backends import StateError, open_state

    try:
        state = open_state(config.state.uri)
    except StateError as exc:  # the parts are uploaded all the same: only their alerts wait
        print(f"warning: cannot record the alerts of the runs uploaded: {exc}", file=sys.stderr)
        return
    try:
        record_flushed_manifests(config, state, store, report)
        deliver_pending(config, state)
    finally:
        state.close()
