"""`newsvault export --since RUN_ID|TIME --format jsonl|parquet --to PATH`: complete runs, incrementally;
`newsvault export --format wacz --to FILE.wacz [--since T] [--until T] [--source ID] [--url-prefix P]`:
the selected captures as one WACZ package (archive/wacz.py)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from newsvault.commands.common import EXIT_OK, CommandFailed, UsageError, load, print_json
from newsvault.commands.timearg import cli_time

if TYPE_CHECKING:
    from archive.capture_selection import CaptureFilter, CaptureSelection
    from archive.wacz import PackageInfo


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export", help="records of complete runs as JSON lines or Parquet; or captures as a WACZ package")
    export.add_argument("--since", metavar="RUN_ID|TIME",
                        help="jsonl/parquet: only runs after this run id, or started after this ISO 8601 time "
                             "(default: every run); pass the last run printed by the previous export. "
                             "wacz: only captures fetched at or after this ISO 8601 time")
    export.add_argument("--until", metavar="TIME",
                        help="wacz: only captures fetched before this ISO 8601 time")
    export.add_argument("--format", choices=("jsonl", "parquet", "wacz"), default=None,
                        help="default: from --to's extension (.parquet, .wacz, else jsonl; .gz compresses)")
    export.add_argument("--to", required=True, metavar="PATH", help="the file to write (replaced atomically)")
    export.add_argument("--source", metavar="ID", help="one source's records (or captures) only")
    export.add_argument("--url-prefix", metavar="P",
                        help="wacz: only captures whose URL starts with P (http://... or https://...)")
    export.add_argument("--json", action="store_true",
                        help='print {"last_run": ..., "records": n, "runs": [...]} on stdout '
                             '(wacz: {"to": ..., "captures": n, "pages": n, "bytes": n, ...})')
    export.set_defaults(func=run)


class _Progress:
    """A status line on a terminal: steps (runs, or WARC parts) and items exported so far."""

    def __init__(self, total: int, enabled: bool, steps: str = "runs", items: str = "records") -> None:
        self.total = total
        self.enabled = enabled
        self.steps, self.items = steps, items
        self.done = 0
        self.count = 0

    def run_done(self, manifest: dict[str, Any], count: int) -> None:
        self.step(manifest["run_id"], self.count + count)

    def step(self, label: str, count_so_far: int) -> None:
        self.done += 1
        self.count = count_so_far
        if self.enabled:
            width = 30
            filled = width * self.done // max(self.total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {self.steps}, "
                             f"{self.count} {self.items}  {label}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()


def _format(args: argparse.Namespace, to: Path) -> str:
    if args.format:
        return str(args.format)
    if to.name.endswith(".wacz"):
        return "wacz"
    return "parquet" if to.name.endswith(".parquet") else "jsonl"


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

    to = Path(args.to).expanduser()
    if to.is_dir():
        raise UsageError(f"--to {to} is a folder; name the file to write")
    fmt = _format(args, to)
    if fmt == "wacz":
        return _export_wacz(args, to)
    if args.until is not None or args.url_prefix is not None:
        raise UsageError("--until and --url-prefix select captures: they apply to --format wacz only")
    config = load(args)
    if args.source is not None and args.source not in {s.id for s in config.sources}:
        raise UsageError(f"unknown source {args.source!r}")
    try:
        since = since_key(args.since)
    except ValueError as exc:
        raise UsageError(str(exc)) from None

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


# -- --format wacz ----------------------------------------------------------------------------------


def _capture_time(option: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return cli_time(text)
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"{option} with --format wacz is a capture time: {exc}") from None


def _capture_filter(args: argparse.Namespace, to: Path) -> CaptureFilter:
    from archive.capture_selection import CaptureFilter

    if not to.name.endswith(".wacz"):
        raise UsageError(f"--to {to}: a WACZ file's name ends in .wacz (replay tools go by it)")
    prefix = args.url_prefix
    if prefix is not None and not prefix.lower().startswith(("http://", "https://")):
        raise UsageError(f"--url-prefix {prefix!r} must start with http:// or https:// "
                         "(captures are matched on their URL as fetched)")
    try:
        return CaptureFilter(since=_capture_time("--since", args.since), until=_capture_time("--until", args.until),
                             source=args.source, url_prefix=prefix)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _selection_words(wanted: CaptureFilter, configured: set[str]) -> str:
    from core.clock import iso_z

    words = []
    if wanted.source is not None:
        unknown = "" if wanted.source in configured else ", not a configured source"
        words.append(f"of source {wanted.source}{unknown}")
    if wanted.url_prefix is not None:
        words.append(f"under {wanted.url_prefix}")
    if wanted.since is not None:
        words.append(f"fetched at or after {iso_z(wanted.since)}")
    if wanted.until is not None:
        words.append(f"fetched before {iso_z(wanted.until)}")
    return " ".join(words) or "at all"


def _package_info(selection: CaptureSelection, wanted: CaptureFilter) -> PackageInfo:
    from archive.wacz import PackageInfo
    from core.clock import iso_z, utc_now
    from newsvault import __version__

    sources = sorted({part.source for part in selection.parts if part.source})
    stamps = sorted(c.capture.timestamp for part in selection.parts for c in part.captures)
    first, last = (f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z" for t in (stamps[0], stamps[-1]))
    runs = [m["run_id"] for m in selection.manifests]
    named = ", ".join(sources) or "every source"
    return PackageInfo(
        title=f"newsvault captures of {named}, {first[:10]} to {last[:10]}",
        description=(f"{selection.captures} captures from {len(runs)} newsvault runs (sources: {named}), "
                     f"fetched {first} to {last}. pages/pages.jsonl lists the archived article records among "
                     "them, with their extracted title and text."),
        software=f"newsvault {__version__}",
        created=utc_now(),
        extra={"newsvault": {
            "selection": {"since": iso_z(wanted.since) if wanted.since else None,
                          "until": iso_z(wanted.until) if wanted.until else None,
                          "source": wanted.source, "url_prefix": wanted.url_prefix},
            "runs": runs,
        }},
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _export_wacz(args: argparse.Namespace, to: Path) -> int:
    from archive.capture_selection import select_captures
    from archive.stores import open_archive
    from archive.wacz import WaczSummary, write_wacz
    from newsvault.export import write_atomically

    wanted = _capture_filter(args, to)
    config = load(args)
    store = open_archive(config)
    try:
        selection = select_captures(store, wanted)
    except ValueError as exc:  # a manifest or index that does not check out
        raise CommandFailed(f"export stopped, nothing written: {exc}") from None
    if not selection.parts:
        only = (f" other than {selection.not_modified} answered 304 Not Modified, which hold no page"
                if selection.not_modified else "")
        raise CommandFailed(f"no complete run holds captures {_selection_words(wanted, {s.id for s in config.sources})}"
                            f"{only}: {to} not written")
    info = _package_info(selection, wanted)
    progress = _Progress(len(selection.parts), sys.stderr.isatty() and not args.quiet and not args.json,
                         steps="WARC parts", items="captures")

    def write(out: BinaryIO) -> WaczSummary:
        return write_wacz(out, store, selection, info, on_part=lambda part, n: progress.step(part.key, n))

    try:
        summary = write_atomically(to, write)
    except ValueError as exc:  # a stored file that does not hold what its manifest and index say
        raise CommandFailed(f"export stopped, {to} not written: {exc}") from None
    except OSError as exc:
        raise CommandFailed(f"cannot write {to}: {exc}") from None
    finally:
        progress.close()

    result = {
        "format": "wacz", "to": str(to), "bytes": to.stat().st_size,
        "captures": summary.captures, "warc_records": summary.warc_records, "warcs": len(summary.warcs),
        "pages": summary.pages, "not_modified": selection.not_modified,
        "runs": [m["run_id"] for m in selection.manifests],
        "sources": sorted({part.source for part in selection.parts if part.source}),
        **info.extra["newsvault"]["selection"],
    }
    if args.json:
        print_json(result)
        return EXIT_OK
    print(f"wrote {to}: {_count(summary.captures, 'capture')} ({summary.warc_records} WARC records in "
          f"{_count(len(summary.warcs), 'file')}) from {_count(len(result['runs']), 'run')}, "
          f"{_count(summary.pages, 'article page')}, {result['bytes']:,} bytes")
    if selection.not_modified:
        print(f"left out {selection.not_modified} captures answered 304 Not Modified: they hold no page")
    return EXIT_OK
