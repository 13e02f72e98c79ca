"""The inputs an import has finished, journaled in the archive, so that no input is imported twice.

``imports/<run_id>.json`` is rewritten after each input whose records are all published: the
selection the import ran with (its `identity`: source, hosts, window, the configured sources'
domains) and, per input, its identity (path or URI, size, version), size, sha256 and counts. An
import run with the same selection skips the inputs any earlier one finished, whatever became of
that run: an interrupted import resumes with the input it was reading, and a second import of the
same files archives nothing. Another selection reads them again (the dedup index then keeps what
was archived from being archived twice).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import orjson

from archive.manifest import format_time
from archive.store_types import ArchiveStore, StoreError, safe_key

__all__ = ["JOURNAL_PREFIX", "ImportJournal"]

logger = logging.getLogger(__name__)

JOURNAL_PREFIX = "imports/"


class ImportJournal:
    """This import's journal, and the inputs earlier imports with the same selection finished."""

    def __init__(self, store: ArchiveStore, run_id: str, identity: dict[str, Any], started_at: datetime) -> None:
        self.store = store
        self.run_id = run_id
        self.identity = identity
        self.started_at = started_at
        self.inputs: dict[str, dict[str, Any]] = {}  # this run's finished inputs
        self.earlier: dict[str, dict[str, Any]] = {}  # identity -> entry, with the run that finished it

    @property
    def key(self) -> str:
        return safe_key(JOURNAL_PREFIX + f"{self.run_id}.json")

    def load(self) -> None:
        """Read what earlier imports with this selection finished."""
        for key in sorted(self.store.list(JOURNAL_PREFIX)):
            if not key.endswith(".json") or key == self.key:
                continue
            try:
                journal = orjson.loads(self.store.get_bytes(key))
            except (orjson.JSONDecodeError, FileNotFoundError) as exc:
                logger.warning("import journal %s cannot be read, its inputs will be read again: %s", key, exc)
                continue
            if not isinstance(journal, dict) or journal.get("identity") != self.identity:
                continue
            for identity, entry in (journal.get("inputs") or {}).items():
                self.earlier.setdefault(identity, {**entry, "run_id": journal.get("run_id")})

    def finished_before(self, identity: str) -> dict[str, Any] | None:
        return self.earlier.get(identity)

    def input_done(self, identity: str, entry: dict[str, Any]) -> None:
        """Journal an input whose records are all published (a store that refuses it is logged)."""
        self.inputs[identity] = entry
        document = {"run_id": self.run_id, "started_at": format_time(self.started_at),
                    "updated_at": format_time(datetime.now(UTC)), "identity": self.identity,
                    "inputs": self.inputs}
        try:
            self.store.put_bytes(self.key, orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        except StoreError as exc:
            # the records are archived (or spooled) all the same; the input is read again next time
            logger.error("the import journal %s could not be written; %s will be read again by the next "
                         "import: %s", self.key, entry.get("uri"), exc)
