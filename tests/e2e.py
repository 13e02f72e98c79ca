"""Helpers for end-to-end tests: run the real `newsvault` command, read what it archived."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def newsvault(*args: str, config: Path | None = None, timeout: float = 300,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in its own process."""
    command = [sys.executable, "-m", "newsvault"]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO, env=env)


def crawl(config: Path, *sources: str) -> dict[str, Any]:
    """`newsvault crawl --json`, which must succeed; returns the run manifest it printed."""
    done = newsvault("crawl", "--json", *sources, config=config)
    assert done.returncode == 0, f"crawl failed ({done.returncode}):\n{done.stderr[-4000:]}"
    return json.loads(done.stdout)


def manifest_records(archive: Path, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    records = []
    for entry in manifest["files"]:
        if entry["kind"] == "articles":
            with gzip.open(archive / entry["path"], "rt", encoding="utf-8") as lines:
                records += [json.loads(line) for line in lines]
    return records


def archive_files(archive: Path) -> Iterator[Path]:
    for kind in ("articles", "snapshots"):
        yield from (p for p in (archive / kind).rglob("*") if p.is_file())
