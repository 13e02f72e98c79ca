"""Extraction's server: started with the run when its sources' last runs extracted pages, on jemalloc."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsvault.config import load_config
from pipelines.extract.server import allocator_preload, last_runs_extracted, start_early_if_expected
from state.backends import SQLiteState

REPO = Path(__file__).resolve().parents[1]


def _run(state: SQLiteState, run_id: str, started_at: str, per_source: dict[str, dict[str, Any]],
         kind: str = "crawl") -> None:
    state.start_run(run_id, kind, list(per_source), started_at)
    state.finish_run({"run_id": run_id, "kind": kind, "sources": list(per_source), "status": "ok",
                      "started_at": started_at, "finished_at": started_at, "per_source": per_source})


@pytest.fixture
def state(tmp_path: Path) -> SQLiteState:
    return SQLiteState(tmp_path / "state.db")


def test_a_source_never_crawled_expects_extraction(state: SQLiteState) -> None:
    assert last_runs_extracted(state, ["wire"])


def test_a_source_whose_last_run_only_revisited_unchanged_pages_does_not(state: SQLiteState) -> None:
    _run(state, "r1", "2026-11-01T00:00:00Z", {"wire": {"fetched": 40, "archived": 40}})
    # every page answered 304 or came back byte for byte: nothing reached extraction
    _run(state, "r2", "2026-11-01T00:15:00Z", {"wire": {"fetched": 7, "unchanged_304": 5, "unchanged_bytes": 2}})
    assert not last_runs_extracted(state, ["wire"])


def test_any_page_extracted_last_time_counts_even_if_nothing_was_archived(state: SQLiteState) -> None:
    _run(state, "r1", "2026-11-01T00:00:00Z", {"wire": {"fetched": 3, "unchanged_304": 2, "not_article": 1}})
    assert last_runs_extracted(state, ["wire"])


def test_one_busy_source_among_quiet_ones_is_enough(state: SQLiteState) -> None:
    _run(state, "r1", "2026-11-01T00:00:00Z", {"wire": {"fetched": 0}, "daily": {"fetched": 12, "archived": 9}})
    assert not last_runs_extracted(state, ["wire"])
    assert last_runs_extracted(state, ["wire", "daily"])


def test_a_replay_run_does_not_hide_the_last_crawl(state: SQLiteState) -> None:
    _run(state, "r1", "2026-11-01T00:00:00Z", {"wire": {"fetched": 12, "archived": 12}})
    _run(state, "r2", "2026-11-01T01:00:00Z", {"wire": {}}, kind="replay")
    assert last_runs_extracted(state, ["wire"])


def _config(tmp_path: Path, state_uri: str) -> Any:
    path = tmp_path / "newsvault.toml"
    path.write_text(f'[archive]\nuri = "{tmp_path / "archive"}"\n[state]\nuri = "{state_uri}"\n'
                    '[[sources]]\nid = "wire"\nname = "Wire"\nfeeds = ["http://127.0.0.1:9/feed.xml"]\n')
    return load_config(path)


def test_no_early_start_when_extraction_runs_inline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSVAULT_EXTRACT_WORKERS", "0")
    assert not start_early_if_expected(_config(tmp_path, f"sqlite:///{tmp_path / 'state.db'}"), ["wire"])


def test_an_unreadable_state_never_stops_the_run_from_starting(tmp_path: Path) -> None:
    # nothing listens on port 9: the run itself reports the state; the server starts later if needed
    assert not start_early_if_expected(_config(tmp_path, "redis://127.0.0.1:9/0"), ["wire"])


def test_the_early_server_is_the_one_the_pool_forks_from(tmp_path: Path) -> None:
    probe = """
import multiprocessing.forkserver, os
from pipelines.extract.server import start_early
from pipelines.extract.pipeline import ExtractionPool
start_early()
server = multiprocessing.forkserver._forkserver._forkserver_pid
assert server is not None
import asyncio
pool = ExtractionPool(1, function=os.getppid)
parent = asyncio.run(pool.run())
pool.close()
print(parent == server, multiprocessing.forkserver._forkserver._forkserver_pid == server)
"""
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "True"]


# --- the allocator the server and its workers run on ------------------------------------------------

JEMALLOC = ctypes.util.find_library("jemalloc")
needs_jemalloc = pytest.mark.skipif(JEMALLOC is None or not sys.platform.startswith("linux"),
                                    reason="jemalloc is not installed (Debian: libjemalloc2), or not on Linux")


@needs_jemalloc
def test_workers_allocate_with_jemalloc_when_the_machine_has_it() -> None:
    assert allocator_preload({}) == JEMALLOC


def test_the_operator_can_keep_the_system_allocator() -> None:
    assert allocator_preload({"NEWSVAULT_EXTRACT_ALLOCATOR": "system"}) is None


def test_an_ld_preload_the_operator_set_is_left_alone() -> None:
    assert allocator_preload({"LD_PRELOAD": "/opt/profiler.so"}) is None


def test_another_allocator_is_named_by_its_library(tmp_path: Path) -> None:
    library = tmp_path / "libmimalloc.so.2"
    library.write_bytes(b"")
    assert allocator_preload({"NEWSVAULT_EXTRACT_ALLOCATOR": str(library)}) == str(library)


def test_a_missing_allocator_library_falls_back_to_the_system_one(caplog: pytest.LogCaptureFixture) -> None:
    assert allocator_preload({"NEWSVAULT_EXTRACT_ALLOCATOR": "/nowhere/libtcmalloc.so"}) is None
    assert "no such file" in caplog.text


_MAPS_PROBE = """
import asyncio, os, pathlib
from pipelines.extract.pipeline import ExtractionPool
pool = ExtractionPool(1, function=pathlib.Path("/proc/self/maps").read_text)
maps = asyncio.run(pool.run())
pool.close()
print("jemalloc" in maps, "LD_PRELOAD" in os.environ)
"""


@needs_jemalloc
@pytest.mark.parametrize(("allocator", "expected"), [("", "True"), ("system", "False")])
def test_the_workers_run_on_the_chosen_allocator_and_the_crawl_process_keeps_its_environment(
        allocator: str, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    env["NEWSVAULT_EXTRACT_ALLOCATOR"] = allocator
    result = subprocess.run([sys.executable, "-c", _MAPS_PROBE], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == [expected, "False"]
