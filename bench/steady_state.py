"""What a steady-state crawl costs against the first crawl of the same sources, in the same bench run.

    .venv/bin/python bench/steady_state.py [--pages-per-site 40]

Serves the test news network (tests/newsnet/: real corpus pages on loopback, 3 sites), then runs
`run_crawl` in child processes over one state and archive:
  1. the first crawl: every article is new, fetched and extracted;
  2. a steady-state crawl: the network is unchanged and no article is due for a revisit, so the run
     asks for robots.txt, feeds and sitemaps (conditionally: 304s) and listing pages, and nothing else;
     as the first run extracted pages, this one starts extraction's server early, as `newsvault
     crawl` does (pipelines/extract/server.py), and pays for it;
  2b. the same again: the last run extracted nothing, so this one starts no server;
  3. the same, with the clock (NEWSVAULT_NOW) past the first revisit interval: every article is due and
     answers 304 (what a revisit round costs).
Each child measures the crawl itself in-process (wall time; CPU of the process and its extraction
workers) after its imports; interpreter start-up and imports, which every process pays whatever it
crawls, are reported apart. Prints the figures, and the steady and revisit runs as shares of the first.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SHARED_DIR = REPO.parent / "shared"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "tests"))
from measure import Meter, emit, last_json_line, stop_forkserver  # noqa: E402


def child_main(config_path: str) -> None:
    """One crawl, measured from after the imports."""
    start = Meter()
    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object

    from newsvault.config import load_config
    from pipelines.extract.server import start_early_if_expected

    config = load_config(config_path)
    # as `newsvault crawl` does, before Scrapy loads: its CPU is counted with the run's (reaped below)
    start_early_if_expected(config, [source.id for source in config.sources])
    from newsvault.runner import run_crawl

    # Scrapy imports its components (download handlers, middlewares, extensions) while it builds the
    # crawler: module loading that every process pays once, whatever it crawls, so it goes with imports.
    settings = Settings()
    components = [*settings.getdict("DOWNLOAD_HANDLERS_BASE").values()]
    for name in ("DOWNLOADER_MIDDLEWARES_BASE", "SPIDER_MIDDLEWARES_BASE", "EXTENSIONS_BASE"):
        components += settings.getdict(name)
    for path in components:
        if isinstance(path, str):
            load_object(path)
    imports = start.report()
    meter = Meter()
    manifest = run_crawl(config)
    stop_forkserver()  # reaps the extraction workers, so their CPU is counted
    counts = manifest["counts"]
    emit(meter.report(import_wall_s=imports["wall_s"], import_cpu_s=imports["cpu_s"], status=manifest["status"],
                      **{k: counts[k] for k in ("fetched", "new", "revisited", "unchanged", "archived",
                                                "not_modified", "known_skipped") if k in counts}))


def crawl(config: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", str(config)], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, **(env or {})}, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"crawl failed ({done.returncode}):\n{done.stderr[-4000:]}")
    report = last_json_line(done.stdout)
    report["process_wall_s"] = time.perf_counter() - started
    return report


def line(name: str, run: dict[str, Any], first: dict[str, Any] | None = None) -> str:
    text = (f"{name:<18} crawl wall {run['wall_s']:7.2f} s  crawl CPU {run['cpu_s']:7.2f} s  "
            f"(fetched {run.get('fetched', 0)}, new {run.get('new', 0)}, revisited {run.get('revisited', 0)}, "
            f"unchanged {run.get('unchanged', 0)}, archived {run.get('archived', 0)}, "
            f"feeds/sitemaps 304 {run.get('not_modified', 0)}, known skipped {run.get('known_skipped', 0)})")
    if first is not None:
        text += (f"\n{'':<18} = {run['wall_s'] / first['wall_s']:.1%} of the first crawl's wall time, "
                 f"{run['cpu_s'] / first['cpu_s']:.1%} of its CPU")
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", metavar="CONFIG", help=argparse.SUPPRESS)
    parser.add_argument("--pages-per-site", type=int, default=40)
    args = parser.parse_args()
    if args.child:
        child_main(args.child)
        return
    from newsnet import NewsNetwork

    with tempfile.TemporaryDirectory(prefix="nv-steady-") as tmp, \
            NewsNetwork(SHARED_DIR, pages_per_site=args.pages_per_site) as network:
        root = Path(tmp)
        config = root / "newsvault.toml"
        config.write_text(network.config_toml(root / "archive", f"sqlite:///{root / 'state.db'}",
                                              max_articles_per_run=1000))
        first = crawl(config)
        steady = crawl(config)
        steady_again = crawl(config)
        later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
        revisit = crawl(config, {"NEWSVAULT_NOW": later})
    print(f"network: {len(network.articles)} articles on 3 sites; state and archive on local disk")
    print(line("first crawl", first))
    print(line("steady state", steady, first))
    print(line("steady again", steady_again, first))
    print(line("revisit round (304)", revisit, first))
    startup = [r["process_wall_s"] - r["wall_s"] for r in (first, steady, steady_again, revisit)]
    print(f"process start-up + imports (paid by every crawl process, not counted above): "
          f"wall {min(startup):.2f}-{max(startup):.2f} s, imports CPU {steady['import_cpu_s']:.2f} s")


if __name__ == "__main__":
    main()
