"""Replay throughput against bare extraction, on this machine's cores.

Builds a source archive from the corpus pages (one crawl run: WARC parts, their CDXJ indexes and a
manifest, as `newsvault crawl` writes them), then measures in the same run:

- bare: `extract_fields` over the same bodies in a process pool with every core (no Scrapy, no I/O,
  no archive): the ceiling;
- replay: `newsvault replay` into a fresh archive, as a user runs it (process start, index reads,
  WARC parsing, pipelines, dedup, archive writes included).

Prints pages/s of each and their ratio.

    python bench/replay.py [--pages N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchnet import corpus_pages  # noqa: E402
from measure import extract_article  # noqa: E402

from archive.manifest import build_manifest, new_run_id, write_manifest  # noqa: E402
from archive.run_archive import RunArchive  # noqa: E402
from archive.stores import FSStore  # noqa: E402
from pipelines.extract.server import default_workers  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def build_source(root: Path, pages: list) -> list[tuple[str, bytes, dict[str, str]]]:
    store = FSStore(root)
    run_id = new_run_id(T0)
    archive = RunArchive(store, run_id)
    inputs = []
    for i, page in enumerate(pages):
        url = f"http://bench.example/{i:05d}/article.html"
        headers = {"content-type": page.content_type}
        archive.snapshot("bench", url=url, fetched_at=T0 + timedelta(seconds=i), status=200, reason="OK",
                         response_headers=[("Content-Type", page.content_type)], body=page.body,
                         request_headers=[("User-Agent", "bench")], metadata={"newsvault-kind": "article"})
        inputs.append((url, page.body, headers))
    files = archive.close()
    write_manifest(store, build_manifest(run_id=run_id, kind="crawl", sources=["bench"], status="ok",
                                         started_at=T0, finished_at=T0 + timedelta(hours=1), files=files,
                                         counts={}))
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=400)
    args = parser.parse_args()
    pages = corpus_pages(limit=args.pages)
    workers = default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = build_source(root / "source", pages)
        config = root / "newsvault.toml"
        config.write_text(f'[archive]\nuri = "{root / "source"}"\n[state]\nuri = "sqlite:///{root / "state.db"}"\n'
                          '[[sources]]\nid = "bench"\nname = "Bench"\nstart_urls = ["http://bench.example/"]\n'
                          'allowed_domains = ["bench.example"]\n')

        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(extract_article, inputs[:workers]))  # start the workers and import trafilatura
            start = time.perf_counter()
            articles = sum(pool.map(extract_article, inputs, chunksize=4))
            bare_s = time.perf_counter() - start

        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "newsvault", "--config", str(config), "replay",
                               "--since", "2026-11-26", "--until", "2026-11-27", "--to", str(root / "target"),
                               "--json"], capture_output=True, text=True, cwd=REPO, check=False)
        replay_s = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"replay failed:\n{done.stderr[-3000:]}")
        manifest = json.loads(done.stdout)

    bare_rate = len(inputs) / bare_s
    replay_rate = len(inputs) / replay_s
    print(f"pages {len(inputs)} ({articles} articles), {workers} extraction workers")
    print(f"bare extraction (process pool):  {bare_rate:7.1f} pages/s  ({bare_s:.1f} s)")
    print(f"newsvault replay (end to end):   {replay_rate:7.1f} pages/s  ({replay_s:.1f} s), "
          f"{manifest['counts']['archived']} records archived, "
          f"{manifest['counts']['archived'] / replay_s:.1f} records/s")
    print(f"replay / bare: {replay_rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
