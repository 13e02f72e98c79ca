"""`newsvault schema`: the record's JSON Schema."""

from __future__ import annotations

import argparse
from typing import Any

from newsvault.commands.common import EXIT_OK, print_json


def register(commands: Any) -> None:
    commands.add_parser("schema", help="print the record's JSON Schema").set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.record import record_schema

    print_json(record_schema())
    return EXIT_OK
