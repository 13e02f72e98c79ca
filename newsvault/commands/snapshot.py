"""`newsvault snapshot URL [--at TIME] [--raw | --text] [--json]`: a page as it was stored at a time."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsvault.commands.common import EXIT_OK, CommandFailed, UsageError, load, print_json
from newsvault.commands.timearg import cli_time


def register(commands: Any) -> None:
    snapshot = commands.add_parser("snapshot", help="the stored page of URL as it was at a time")
    snapshot.add_argument("url", metavar="URL")
    snapshot.add_argument("--at", type=cli_time, metavar="TIME",
                          help="ISO 8601 time; the latest capture at or before it (default: the latest)")
    body = snapshot.add_mutually_exclusive_group()
    body.add_argument("--raw", action="store_true", help="only the HTTP body, byte for byte as stored")
    body.add_argument("--text", action="store_true", help="only the extracted text")
    snapshot.add_argument("--json", action="store_true", help="the capture and its body or text as JSON")
    snapshot.set_defaults(func=run)


def candidate_sources(config: Any, url: str) -> list[str] | None:
    """The sources whose domains hold ``url`` (so only their indexes are read); None: all of them."""
    from spiders.links import url_in_domains

    ids = [s.id for s in config.sources if url_in_domains(url, s.allowed_domains)]
    return ids or None


def extracted_text(index: Any, capture: Any, response: Any, config: Any) -> str:
    """The capture's record text when the crawl archived one, else an extraction now."""
    record = index.record_of(capture)
    if record is not None:
        return str(record["text"])
    from pipelines.extract.fields import ExtractOptions, NotAnArticle, extract_fields

    headers = {name.lower(): value for name, value in response.headers}
    try:
        fields = extract_fields(response.url, response.body, headers,
                                ExtractOptions.from_mapping(config.crawl.extractor_options))
    except NotAnArticle as exc:
        raise CommandFailed(f"the capture of {response.url} holds no article text ({exc.reason})") from None
    return str(fields["text"])


def _body_text(response: Any) -> str:
    from w3lib.encoding import html_to_unicode

    content_type = next((v for k, v in response.headers if k.lower() == "content-type"), None)
    return html_to_unicode(content_type, response.body)[1]


def run(args: argparse.Namespace) -> int:
    from archive.history import ArchiveIndex
    from archive.stores import open_archive
    from core.clock import iso_z
    from core.record import canonicalize_url

    if args.raw and args.json:
        raise UsageError("--raw prints the body bytes; it cannot be combined with --json")
    try:
        canonical = canonicalize_url(args.url)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    config = load(args)
    store = open_archive(config)
    sources = candidate_sources(config, canonical)
    index = ArchiveIndex(store, sources)
    capture = index.capture_at(canonical, args.at)
    if capture is None and sources is not None:  # imported into another source (`import --source`)
        index = ArchiveIndex(store)
        capture = index.capture_at(canonical, args.at)
    if capture is None:
        when = f" at or before {iso_z(args.at)}" if args.at else ""
        raise CommandFailed(f"no stored capture of {canonical}{when}")
    try:
        response = index.read(capture)
    except ValueError as exc:
        raise CommandFailed(f"the capture of {canonical} cannot be read: {exc}") from None
    pointer = {**capture.pointer, "record_id": response.record_id}
    if args.raw:
        sys.stdout.buffer.write(response.body)
        sys.stdout.buffer.flush()
        return EXIT_OK
    body = extracted_text(index, capture, response, config) if args.text else _body_text(response)
    if args.json:
        print_json({"url": response.url, "fetched_at": iso_z(response.fetched_at), "status": response.status,
                    "mime": capture.capture.mime, "kind": capture.capture.kind, "run_id": capture.run_id,
                    "snapshot": pointer, ("text" if args.text else "body"): body})
        return EXIT_OK
    if not args.text:
        print(f"url:        {response.url}\n"
              f"fetched_at: {iso_z(response.fetched_at)}\n"
              f"status:     {response.status}\n"
              f"warc:       {pointer['warc']} offset {pointer['offset']} length {pointer['length']}\n"
              f"record_id:  {pointer['record_id']}\n")
    print(body)
    return EXIT_OK
