"""`newsvault sources add URL | list | test ID`: onboard a site, list the sources, dry-run one."""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from newsvault.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    CommandFailed,
    UsageError,
    load,
    print_json,
    table,
)
from newsvault.config import ConfigError, CrawlConfig, find_config_path, load_config

_SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")


def register(commands: Any) -> None:
    sources = commands.add_parser("sources", help="add a site as a source (discovers feeds and sitemaps), "
                                                   "list sources, dry-run one")
    actions = sources.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="discover a site's feeds and sitemaps and add it to newsvault.toml")
    add.add_argument("url", metavar="URL", help="the site's homepage")
    add.add_argument("--id", dest="source_id", metavar="ID", help="source id (default: from the host name)")
    add.add_argument("--name", metavar="NAME", help="display name (default: the homepage's title)")
    add.add_argument("--schedule", metavar="CRON", help="e.g. '*/30 * * * *' or 'every 1h'")
    add.add_argument("--no-common-paths", action="store_true",
                     help="only what the site declares (link rel=alternate, robots.txt), no guessing")
    add.add_argument("--no-start-url", action="store_true",
                     help="do not discover article links from the homepage")
    mode = add.add_mutually_exclusive_group()
    mode.add_argument("-y", "--yes", action="store_true", help="write without asking")
    mode.add_argument("--dry-run", action="store_true", help="show the entry, write nothing")
    add.add_argument("--json", action="store_true", help="print what was found as JSON")
    add.set_defaults(func=run_add)

    listing = actions.add_parser("list", help="the configured sources")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)

    test = actions.add_parser("test", help="fetch and extract a few articles of a source, with and without "
                                           "its extraction rules; writes nothing")
    test.add_argument("source_id", metavar="ID")
    test.add_argument("-n", "--articles", type=int, default=3, help="articles to try (default 3)")
    test.add_argument("--json", action="store_true")
    test.set_defaults(func=run_test)


# -- add --------------------------------------------------------------------------------------------


def run_add(args: argparse.Namespace) -> int:
    from spiders.discover import discover, http_fetcher, suggest_id

    path = find_config_path(args.config)
    known, user_agent, timeout = _current_config(path)
    if args.source_id is not None and not _SOURCE_ID.fullmatch(args.source_id):
        raise UsageError(f"bad source id {args.source_id!r}: lower-case letters, digits, '-' and '_'")
    if args.source_id in known:
        raise UsageError(f"source {args.source_id!r} already exists in {path}")
    if not args.url.lower().startswith(("http://", "https://")):
        raise UsageError(f"expected the http(s) URL of a homepage, got {args.url!r}")

    fetch = http_fetcher(user_agent, timeout=min(timeout, 30))
    found = discover(args.url, fetch, user_agent=user_agent,
                     probe_common_paths=not args.no_common_paths)
    if found.final_url is None and not (found.feeds or found.sitemaps):
        raise CommandFailed(f"{args.url}: {found.rejected[0][1] if found.rejected else 'unreachable'}")
    source_id = args.source_id or suggest_id(found)
    if source_id in known:
        raise UsageError(f"source {source_id!r} already exists in {path}; pass --id to choose another")
    entry = _source_entry(found, source_id, args.name, args.schedule, start_url=not args.no_start_url)

    if args.json:
        print_json({"source": entry, "feeds": [vars(f) for f in found.feeds],
                    "sitemaps": [vars(s) for s in found.sitemaps],
                    "rejected": [{"url": u, "reason": r} for u, r in found.rejected],
                    "written": False if args.dry_run else None})
    else:
        print(_discovery_text(found))
        print(f"\n[[sources]] entry for {path}:\n{_entry_toml(entry)}")
    if not (found.feeds or found.sitemaps):
        print("note: no feed or sitemap found; articles will be discovered from the homepage's links only",
              file=sys.stderr)
    if args.dry_run:
        return EXIT_OK
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("not writing without confirmation: pass --yes (or --dry-run to only look)")
        answer = input(f"Add source {source_id!r} to {path}? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("nothing written")
            return EXIT_OK
    append_source(path, entry)
    print(f"added source {source_id!r} to {path}; try it with: newsvault sources test {source_id}",
          file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


def _current_config(path: Path) -> tuple[set[str], str, float]:
    """(source ids, user agent, timeout) of the config at ``path``, refused if broken.

    A config whose only problem is having no source yet is fine here: adding one is the cure.
    """
    try:
        config = load_config(path)
    except ConfigError as exc:
        if not all(p.key == "sources" and p.message.startswith("no sources") for p in exc.problems):
            raise
        crawl = tomllib.loads(path.read_text(encoding="utf-8")).get("crawl", {})
        defaults = CrawlConfig()
        return set(), crawl.get("user_agent", defaults.user_agent), float(crawl.get("timeout", defaults.timeout))
    return {s.id for s in config.sources}, config.crawl.user_agent, config.crawl.timeout


def _source_entry(found: Any, source_id: str, name: str | None, schedule: str | None, *,
                  start_url: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": source_id, "name": name or found.title or found.host}
    if found.feeds:
        entry["feeds"] = [f.url for f in found.feeds]
    if found.sitemaps:
        entry["sitemaps"] = [s.url for s in found.sitemaps]
    if start_url and found.final_url:
        entry["start_urls"] = [found.final_url]
    entry["allowed_domains"] = [found.host]
    if schedule:
        entry["schedule"] = schedule
    return entry


def _discovery_text(found: Any) -> str:
    lines = [f"{found.homepage}: {found.title or '(no title)'}"]
    if found.feeds:
        lines.append(f"\nfeeds ({len(found.feeds)}):")
        for feed in found.feeds:
            lines.append(f"  {feed.url}  [{feed.format}, {feed.entries} entries, via {feed.via}]")
            lines += [f"      {url}" for url in feed.sample]
    else:
        lines.append("\nfeeds: none found")
    if found.sitemaps:
        lines.append(f"\nsitemaps ({len(found.sitemaps)}):")
        for sm in found.sitemaps:
            what = (f"index of {len(sm.children)} sitemaps" if sm.kind == "sitemapindex" else "urlset")
            news = ", news sitemap" if sm.news else ""
            lines.append(f"  {sm.url}  [{what}{news}, {sm.urls} URLs read, via {sm.via}]")
            lines += [f"      {url}" for url in sm.sample]
    else:
        lines.append("\nsitemaps: none found")
    for url, reason in found.rejected:
        lines.append(f"skipped {url}: {reason}")
    return "\n".join(lines)


def _entry_toml(entry: dict[str, Any]) -> str:
    import tomlkit

    doc = tomlkit.document()
    aot = tomlkit.aot()
    aot.append(tomlkit.item(entry))
    doc["sources"] = aot
    return tomlkit.dumps(doc).strip()


def append_source(path: Path, entry: dict[str, Any]) -> None:
    """Append ``entry`` as a [[sources]] table, keeping the file's comments and layout.

    The new text is validated as a whole config before it replaces the file (temp file + rename), so
    a failed add leaves the old file untouched and a reader never sees half a file.
    """
    import tomlkit

    text = path.read_text(encoding="utf-8")
    existing = tomlkit.parse(text).get("sources", [])
    if any(s.get("id") == entry["id"] for s in existing):
        raise UsageError(f"source {entry['id']!r} already exists in {path}")
    # Appended as text: every byte of the file stays as the operator wrote it; a [[sources]] header
    # adds an entry wherever it appears, and the whole result is validated below anyway.
    new_text = text.rstrip("\n") + "\n\n" + _entry_toml(entry) + "\n"
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(new_text)
            out.flush()
            os.fsync(out.fileno())
        load_config(temp)  # same folder, so relative paths resolve as they will in the real file
        os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


# -- list -------------------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    config = load(args)
    if args.json:
        print_json([{
            "id": s.id, "name": s.name, "feeds": list(s.feeds), "sitemaps": list(s.sitemaps),
            "start_urls": list(s.start_urls), "allowed_domains": list(s.allowed_domains),
            "article_url_pattern": s.article_url_pattern, "follow_depth": s.follow_depth,
            "schedule": s.schedule.text if s.schedule else None,
        } for s in config.sources])
        return EXIT_OK
    if not config.sources:
        print(f"no sources in {config.path}; add one with: newsvault sources add URL")
        return EXIT_OK
    rows = [[s.id, s.name, len(s.feeds), len(s.sitemaps), len(s.start_urls),
             s.schedule.text if s.schedule else "-"] for s in config.sources]
    print(table(rows, ["id", "name", "feeds", "sitemaps", "start_urls", "schedule"]))
    return EXIT_OK


# -- test -------------------------------------------------------------------------------------------


def run_test(args: argparse.Namespace) -> int:
    from newsvault.dry_run import try_source

    config = load(args)
    try:
        source = config.source(args.source_id)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    if args.articles < 1:
        raise UsageError("--articles must be at least 1")
    report = try_source(config, source, args.articles)
    if args.json:
        print_json(report)
    else:
        print(_test_text(report))
    return EXIT_OK if any(a.get("fields") and not a.get("filtered") for a in report["articles"]) else EXIT_FAILED


_TEST_FIELDS = ("title", "authors", "published_at", "modified_at", "language", "site_name", "canonical_url",
                "tags", "categories", "image", "word_count")


def _shown(value: Any) -> str:
    shown = ", ".join(value) if isinstance(value, list) else value
    return "-" if shown in (None, "") else str(shown)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return f"{text[:300]}{'...' if len(text) > 300 else ''}"


def _test_text(report: dict[str, Any]) -> str:
    lines = [f"source {report['source']}: {report['candidates']} candidate article URLs from "
             + (", ".join(f"{kind} {n}" for kind, n in report["found_by"].items()) or "nothing")]
    lines += [f"  problem: {p}" for p in report["problems"]]
    if report.get("rules"):
        lines.append("  extraction rules: " + "; ".join(f"{k} = {v}" for k, v in report["rules"].items()))
    for article in report["articles"]:
        lines.append(f"\n{article['url']}")
        without = article.get("without_rules")
        if article.get("error"):
            lines.append(f"  NOT ARCHIVED: {article['error']}")
            if without and "error" not in without:
                lines.append("  (without the source's rules it would be: "
                             f"{_shown(without.get('title'))}, {without.get('word_count')} words)")
            continue
        if article.get("filtered"):
            lines.append(f"  NOT KEPT by the filters: {article['filtered']}")
        fields = article["fields"]
        if without is None:
            lines += [f"  {key:<13} {_shown(fields.get(key))}" for key in _TEST_FIELDS]
            lines.append(f"  {'text':<13} {_excerpt(fields['text'])}")
            continue
        generic = without if "error" not in without else {}
        width = max(12, *(len(_shown(fields.get(key))[:48]) for key in _TEST_FIELDS))
        lines.append(f"  {'':<13} {'with the rules':<{width}}  without them"
                     + (f" ({without['error']})" if "error" in without else ""))
        for key in _TEST_FIELDS:
            mine, theirs = _shown(fields.get(key))[:48], _shown(generic.get(key))[:48]
            mark = " " if mine == theirs else "*"
            lines.append(f"{mark} {key:<13} {mine:<{width}}  {theirs if generic else '-'}")
        lines.append(f"  {'text':<13} {_excerpt(fields['text'])}")
        if generic:
            mark = " " if generic.get("text") == fields["text"] else "*"
            lines.append(f"{mark} {'text without':<13} {_excerpt(generic['text'])}")
    ok = sum(1 for a in report["articles"] if a.get("fields") and not a.get("filtered"))
    lines.append(f"\n{ok} of {len(report['articles'])} tried would be archived (nothing was written)")
    return "\n".join(lines)
