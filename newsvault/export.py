"""Incremental export of complete runs: which runs, and their records as JSON lines or Parquet.

Runs are read through their manifests only (archive.reader), so an export never holds part of a
file. The watermark ``last_run`` is the newest run such that no earlier run is still going: runs
are exported in run-id (start) order and the export stops at the first one still running, so a
nightly ``--since <last_run>`` sees every run exactly once even when crawls overlap.
(``--format wacz``, a package of captures rather than records, is archive/wacz.py.)
"""

from __future__ import annotations

import gzip
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import orjson

from archive.reader import iter_manifests, iter_records
from archive.stores import ArchiveStore
from pipelines.extract.options import ExtractOptions

Written = TypeVar("Written")
_RUN_ID = re.compile(r"^\d{8}T\d{6}Z[-.\w]*$")
FORMATS = ("jsonl", "parquet", "wacz")


def since_key(since: str | None) -> str | None:
    """The run-id bound for ``--since``: a run id as given, or an ISO 8601 time as a run-id prefix.

    Run ids start with their UTC start time (``20261126T100000Z-3fa2c1``), so "runs started after T"
    is "run ids greater than T's prefix". A date alone means its midnight UTC.
    """
    if since is None:
        return None
    text = since.strip()
    if _RUN_ID.match(text):
        return text
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValueError(f"--since {since!r} is neither a run id (20261126T100000Z-3fa2c1) "
                         "nor an ISO 8601 time (2026-11-26 or 2026-11-26T10:00:00Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass
class Selection:
    runs: list[dict[str, Any]] = field(default_factory=list)  # complete runs to export, in order
    waiting_on: str | None = None  # the earliest run still going, which holds the watermark back


def select_runs(store: ArchiveStore, since: str | None, running: Iterable[str] = ()) -> Selection:
    """Complete runs after ``since``, stopping before the first one still running.

    ``running`` are run ids the state store knows as running but which may have no manifest yet.
    """
    still_running = sorted(r for r in running if since is None or r > since)
    selection = Selection()
    for manifest in iter_manifests(store, since=since):
        first_running = still_running[0] if still_running else None
        if first_running is not None and first_running < manifest["run_id"]:
            selection.waiting_on = first_running
            break
        if manifest.get("status") == "running":
            selection.waiting_on = manifest["run_id"]
            break
        selection.runs.append(manifest)
    else:
        if still_running and selection.waiting_on is None:
            selection.waiting_on = still_running[0]
    return selection


def records_of(store: ArchiveStore, runs: Iterable[dict[str, Any]], source: str | None,
               on_run: Callable[[dict[str, Any], int], None] | None = None) -> Iterator[dict[str, Any]]:
    for manifest in runs:
        count = 0
        for record in iter_records(store, manifest, source=source):
            count += 1
            yield record
        if on_run is not None:
            on_run(manifest, count)


# -- writing ----------------------------------------------------------------------------------------


def write_atomically(path: Path, write: Callable[[BinaryIO], Written]) -> Written:
    """Run ``write`` on a temporary file next to ``path``, then rename it over ``path``; what
    ``write`` returns. When it raises, ``path`` is as it was and no temporary file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            count = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return count


def jsonl_writer(records: Iterable[dict[str, Any]], *, compress: bool) -> Callable[[BinaryIO], int]:
    def write(out: BinaryIO) -> int:
        stream: Any = gzip.GzipFile(fileobj=out, mode="wb", mtime=0) if compress else out
        count = 0
        for record in records:
            stream.write(orjson.dumps(record) + b"\n")
            count += 1
        if compress:
            stream.close()
        return count

    return write


def parquet_writer(records: Iterable[dict[str, Any]], batch_size: int = 2000) -> Callable[[BinaryIO], int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema()

    def write(out: BinaryIO) -> int:
        count = 0
        with pq.ParquetWriter(out, schema, compression="zstd") as writer:
            batch: list[dict[str, Any]] = []
            for record in records:
                batch.append(record)
                if len(batch) >= batch_size:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    count += len(batch)
                    batch = []
            if batch or count == 0:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
        return count

    return write


# -- the Arrow schema, from the record's JSON Schema -----------------------------------------------


def arrow_schema() -> Any:
    """The Parquet schema of a record, field by field from core/record_schema.json.

    Lists of strings are ``list<string>``; ``snapshot`` and ``extractor`` are structs;
    ``extractor.options`` is a struct of the extraction options (ExtractOptions' fields). Times stay
    ISO 8601 strings: ``published_at`` may be a date alone or carry the page's offset, which a
    timestamp column would lose.
    """
    import pyarrow as pa

    from core.record import record_schema

    schema = record_schema()
    defs = schema.get("$defs", {})
    return pa.schema([
        pa.field(name, *_arrow_type(name, prop, defs))
        for name, prop in schema["properties"].items()
    ])


def _arrow_type(name: str, prop: dict[str, Any], defs: dict[str, Any]) -> tuple[Any, bool]:
    """(Arrow type, nullable) of one JSON Schema property."""
    import pyarrow as pa

    if "$ref" in prop:
        return _arrow_type(name, defs[prop["$ref"].rsplit("/", 1)[-1]], defs)
    if "oneOf" in prop:
        kinds = [_arrow_type(name, option, defs) for option in prop["oneOf"]]
        concrete = [k for k in kinds if k[0] != pa.null()]
        return concrete[0][0], True
    if "const" in prop:
        return (pa.int64() if isinstance(prop["const"], int) else pa.string()), False
    types = prop.get("type")
    types = types if isinstance(types, list) else [types]
    nullable = "null" in types
    kind = next((t for t in types if t != "null"), "null")
    if kind == "null":
        return pa.null(), True
    if kind == "string":
        return pa.string(), nullable
    if kind == "integer":
        return pa.int64(), nullable
    if kind == "number":
        return pa.float64(), nullable
    if kind == "boolean":
        return pa.bool_(), nullable
    if kind == "array":
        item_type, _ = _arrow_type(name, prop.get("items", {"type": "string"}), defs)
        return pa.list_(item_type), nullable
    if kind == "object":
        if name == "options":
            return _options_struct(), nullable
        required = set(prop.get("required", ()))
        return pa.struct([
            pa.field(key, *_nullable(_arrow_type(key, sub, defs), key in required))
            for key, sub in prop.get("properties", {}).items()
        ]), nullable
    raise ValueError(f"record field {name}: no Arrow type for JSON Schema type {kind!r}")


def _nullable(kind: tuple[Any, bool], required: bool) -> tuple[Any, bool]:
    return kind[0], kind[1] or not required


def _options_struct() -> Any:
    import pyarrow as pa

    by_default = {bool: pa.bool_(), int: pa.int64(), str: pa.string(), type(None): pa.string(),
                  tuple: pa.list_(pa.string())}
    return pa.struct([pa.field(f.name, by_default[type(f.default)]) for f in fields(ExtractOptions)])
