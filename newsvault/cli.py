"""The `newsvault` command line: global options, then one command from newsvault/commands/.

Exit status: 0 when the command did its job (a crawl with some failed pages still succeeded),
2 for a usage or config error, 1 when it could not do its job.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from archive.stores import StoreError
from newsvault import __version__
from newsvault.commands.common import EXIT_FAILED, EXIT_USAGE, CommandFailed, UsageError
from newsvault.config import ConfigError
from state.backends import StateError

# In the order `newsvault --help` lists them.
COMMAND_MODULES = ["crawl", "runs", "scheduler", "schedule", "check", "schema", "flush", "alerts", "sources", "export",
                   "serve", "replay", "import_", "snapshot", "history", "worker"]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="newsvault", description="Scheduled news crawling and archiving.")
    top.add_argument("--config", metavar="PATH",
                     help="newsvault.toml (default: $NEWSVAULT_CONFIG, else ./newsvault.toml)")
    top.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)")
    top.add_argument("-q", "--quiet", action="store_true", help="only errors")
    top.add_argument("--log-format", choices=("text", "json"), default="text",
                     help="json: one JSON object per log line on stderr, for log shippers")
    top.add_argument("--version", action="version", version=f"newsvault {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"newsvault.commands.{name}").register(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.log_format == "json":
        from newsvault.commands.common import log_level
        from newsvault.logjson import enable

        enable(log_level(args))
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"newsvault: invalid configuration:\n{exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"newsvault: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (CommandFailed, StoreError, StateError) as exc:
        print(f"newsvault: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
