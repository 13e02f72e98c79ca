"""`newsvault check`: validate the config, reach the archive and the state store, extract a page."""

from __future__ import annotations

import argparse
from typing import Any

from newsvault.commands.common import EXIT_FAILED, EXIT_OK, load, print_json


def register(commands: Any) -> None:
    check = commands.add_parser("check", help="validate the config, reach the archive and state stores, and extract "
                                  "a bundled page as a crawl would")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from archive.stores import StoreError, open_archive
    from state.backends import StateError, open_state

    config = load(args)
    results: dict[str, Any] = {"config": str(config.path), "sources": [s.id for s in config.sources]}
    ok = True
    try:
        open_archive(config).check()
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
    extraction = _check_extraction(config)
    results["extraction"] = extraction.as_dict()
    ok = ok and extraction.ok
    if args.json:
        print_json({**results, "ok": ok})
    else:
        print(f"config  {results['config']}: ok ({len(config.sources)} sources)")
        for name in ("archive", "state"):
            r = results[name]
            print(f"{name:<7} {r['uri']}: " + ("ok" if r["ok"] else f"FAILED: {r['error']}"))
        print("extract " + (extraction.detail if extraction.ok else f"FAILED: {extraction.detail}"))
        print("versions " + ", ".join(f"{name} {version}" for name, version in extraction.versions.items()))
    return EXIT_OK if ok else EXIT_FAILED


def _check_extraction(config: Any) -> Any:
    from pipelines.extract.check import check_extraction
    from pipelines.extract.server import extract_workers

    # one worker, forked from extraction's server as in a crawl; inline when crawls extract inline
    return check_extraction(workers=min(extract_workers(None, config.crawl.extract_workers), 1))
