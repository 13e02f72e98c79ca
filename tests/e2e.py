"""Helpers for end-to-end tests: run the real `newsvault` command, read what it archived."""

from __future__ import annotations

import contextlib
import gzip
import importlib.util
import json
import re
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from archive import ArchiveStore, FSStore

REPO = Path(__file__).resolve().parents[1]


def shipped_packages() -> tuple[str, ...]:
    """The top-level packages the wheel ships, as pyproject.toml declares them."""
    find = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    return tuple(pattern.removesuffix("*") for pattern in find["include"])


def bench_module(name: str) -> ModuleType:
    """A script of bench/ loaded as a module, for tests that check its figures or reuse its pages."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def newsvault(*args: str, config: Path | None = None, timeout: float = 300,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in its own process."""
    command = [sys.executable, "-m", "newsvault"]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO, env=env)


@contextlib.contextmanager
def serving(config: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`newsvault serve --port 0 [options]` running; yields its base URL, stops it after."""
    # its logs to a file beside the config: a pipe nobody reads while it serves would fill and stop it
    log = config.parent / "serve.log"
    with log.open("w") as err:
        server = subprocess.Popen([sys.executable, "-m", "newsvault", "--config", str(config), "serve", "--port",
                                   "0", *options], cwd=REPO, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    try:
        line = server.stdout.readline() if server.stdout else ""
        match = re.search(r"http://[\d.]+:\d+/", line)
        assert match, f"serve did not start: {line!r} {log.read_text()}"
        yield match.group()
    finally:
        server.terminate()
        server.wait(timeout=10)


def past_the_second_of(stamp: str) -> None:
    """Wait until the clock is past the whole second `stamp` (an archive time, e.g. a run's
    finished_at) names: the archive's times have whole seconds, so a page fetched sooner than that
    could carry the same time as `stamp`, and `--at stamp` could not tell it from what came before."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    time.sleep(max(0.0, moment + 1 - time.time()))


def crawl(config: Path, *sources: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """`newsvault crawl --json`, which must succeed; returns the run manifest it printed."""
    done = newsvault("crawl", "--json", *sources, config=config, env=env)
    assert done.returncode == 0, f"crawl failed ({done.returncode}):\n{done.stderr[-4000:]}"
    return json.loads(done.stdout)


def as_store(archive: Path | ArchiveStore) -> ArchiveStore:
    """Tests read the archive through the store interface, so they hold for every backend."""
    return FSStore(archive) if isinstance(archive, Path) else archive


def read_file(archive: Path | ArchiveStore, key: str) -> bytes:
    return as_store(archive).get_bytes(key)


def read_range(archive: Path | ArchiveStore, key: str, offset: int, length: int) -> bytes:
    return as_store(archive).get_range(key, offset, length)


def manifest_records(archive: Path | ArchiveStore, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    records = []
    for entry in manifest["files"]:
        if entry["kind"] == "articles":
            lines = gzip.decompress(read_file(archive, entry["path"])).decode("utf-8").splitlines()
            records += [json.loads(line) for line in lines if line.strip()]
    return records


def by_capture(records: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    """Records by the raw response they were extracted from, without their run_id: replayed records
    compare equal to the originals."""
    return {(r["snapshot"]["warc"], r["snapshot"]["offset"]): {k: v for k, v in r.items() if k != "run_id"}
            for r in records}


def archive_files(archive: Path | ArchiveStore) -> Iterator[str]:
    """Keys of the data files present (complete or not: a folder's hidden temp files included)."""
    store = as_store(archive)
    if isinstance(store, FSStore):
        for kind in ("articles", "snapshots"):
            yield from sorted(p.relative_to(store.root).as_posix()
                              for p in (store.root / kind).rglob("*") if p.is_file())
        return
    for kind in ("articles/", "snapshots/"):
        yield from store.list(kind)
