"""`newsvault history URL [--json]`: every stored version of an article, with what changed."""

from __future__ import annotations

import argparse
from typing import Any

from newsvault.commands.common import EXIT_OK, CommandFailed, UsageError, load, print_json
from newsvault.commands.snapshot import candidate_sources


def register(commands: Any) -> None:
    history = commands.add_parser("history", help="every stored version of an article, with what changed")
    history.add_argument("url", metavar="URL")
    history.add_argument("--json", action="store_true", help="a list of versions, oldest first")
    history.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from archive.history import ArchiveIndex, article_versions
    from archive.stores import open_archive
    from core.record import canonicalize_url

    try:
        canonical = canonicalize_url(args.url)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    config = load(args)
    store = open_archive(config)
    sources = candidate_sources(config, canonical)
    versions = article_versions(ArchiveIndex(store, sources), canonical)
    if not versions and sources is not None:  # imported into another source (`import --source`)
        versions = article_versions(ArchiveIndex(store), canonical)
    if not versions:
        raise CommandFailed(f"no archived version of {canonical}")
    if args.json:
        print_json([v.as_json() for v in versions])
        return EXIT_OK
    for v in versions:
        r = v.record
        change = "" if v.trivial is None else "  (trivial change)" if v.trivial else "  (changed)"
        print(f"version {r['version']}  {r['fetched_at']}  {r['content_hash']}  {r['word_count']} words  "
              f"run {r['run_id']}{change}")
        if v.diff and not v.trivial:
            print(v.diff.rstrip("\n"))
        print()
    return EXIT_OK
