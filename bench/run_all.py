"""newsvault's performance figures, each against its baseline measured in the same run.

    .venv/bin/python bench/run_all.py            # everything (about 25 minutes on 2 cores)
    .venv/bin/python bench/run_all.py --quick    # 300 pages, dedup up to 10^5 articles

Starts the bench network (bench/benchnet.py: the real corpus pages on loopback), then runs, each in
its own process so CPU and memory are its own:
  (a) a plain Scrapy spider calling trafilatura.extract in its callback (bench/baseline_spider.py),
  (b) `newsvault crawl` end to end over the same pages (bench/crawl_child.py),
  (c) bare trafilatura.extract over the same pages (bench/extract_bare.py),
  (d) the same on every core at once,
taking turns (--repeat) and comparing each turn's runs with each other; then newsvault's worker
function against bare extraction page by page (bench/side_by_side.py); then it times dedup lookups
in SQLite states of 10^4..10^6 synthetic known articles and the crawl's memory against the smallest
and the largest. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import dedup_bench  # noqa: E402
import side_by_side  # noqa: E402
from benchnet import BenchNetwork  # noqa: E402
from measure import last_json_line  # noqa: E402

CONCURRENCY_PER_DOMAIN = 4


def child(script: str, *args: str, timeout: float = 1800) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"{script} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return last_json_line(done.stdout)


def write_config(network: BenchNetwork, folder: Path, state: Path | None = None) -> Path:
    doc = tomlkit.document()
    doc["archive"] = {"uri": str(folder / "archive")}
    doc["state"] = {"uri": f"sqlite:///{state or folder / 'state.db'}"}
    doc["crawl"] = {"user_agent": "newsvault-bench", "obey_robots": True,
                    "concurrency_per_domain": CONCURRENCY_PER_DOMAIN, "download_delay": 0, "timeout": 60,
                    "max_articles_per_run": 100_000}
    sources = tomlkit.aot()
    for site in network.sites:
        sources.append(tomlkit.item({"id": site["id"], "name": site["id"], "sitemaps": [site["sitemap"]],
                                     "allowed_domains": [site["host"]]}))
    doc["sources"] = sources
    config = folder / "newsvault.toml"
    config.write_text(tomlkit.dumps(doc))
    return config


def newsvault_crawl(network: BenchNetwork, work: Path, name: str, *args: str,
                    state: Path | None = None) -> dict[str, Any]:
    folder = work / name
    folder.mkdir()
    return child("crawl_child.py", str(write_config(network, folder, state)), *args)


def _median_run(runs: list[dict[str, Any]], numerator: str, denominator: str) -> dict[str, Any]:
    """The run with the median numerator/denominator."""
    ordered = sorted(runs, key=lambda r: r[numerator] / r[denominator])
    return ordered[len(ordered) // 2]


def line(label: str, text: str) -> None:
    print(f"{label:<34} {text}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="300 pages, dedup up to 10^5, no worker sweep")
    parser.add_argument("--pages", type=int, default=None, help="crawl the first N corpus pages (default all)")
    parser.add_argument("--workers", default=None,
                        help="comma-separated extraction worker counts to compare (default: 1,2,3)")
    parser.add_argument("--dedup-max", type=int, default=None, help="largest known-article count (10^6)")
    parser.add_argument("--skip-dedup", action="store_true", help="no dedup lookups nor memory crawls")
    parser.add_argument("--skip-throughput", action="store_true", help="only the dedup figures")
    parser.add_argument("--repeat", type=int, default=1, help="take this many turns of the four runs (medians of the turns' ratios)")
    parser.add_argument("--profile", default=None, help="also write a cProfile of a crawl to this file")
    args = parser.parse_args()
    pages = args.pages or (300 if args.quick else None)
    sweep = [int(w) for w in args.workers.split(",")] if args.workers else ([] if args.quick else [1, 2, 3])
    dedup_max = args.dedup_max or (10**5 if args.quick else 10**6)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    line("machine", f"{cores} cores, load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="newsvault-bench-") as tmp, BenchNetwork(pages) as network:
        work = Path(tmp)
        n_pages = len(network.urls)
        line("pages", f"{n_pages} real pages on {len(network.sites)} loopback hosts")

        if not args.skip_throughput:
            # Each turn runs the baseline, newsvault, bare extraction and bare extraction on every core
            # back to back, and each ratio is taken within its turn: a change in the load other
            # processes put on the machine hits both sides of a ratio alike. Figures are medians of
            # the turns' ratios, with every turn's value after them.
            limit = ["--pages", str(pages)] if pages else []
            bases, nvs, bares, busies = [], [], [], []
            for turn in range(args.repeat):
                bases.append(child("baseline_spider.py",
                                   *(a for s in network.sites for a in ("--sitemap", s["sitemap"])),
                                   "--out", str(work / f"baseline-{turn}.jsonl"),
                                   "--concurrency-per-domain", str(CONCURRENCY_PER_DOMAIN)))
                nvs.append(newsvault_crawl(network, work, f"newsvault-{turn}", "--time-archive",
                                           *(["--profile", args.profile] if args.profile and turn == 0 else [])))
                bares.append(child("extract_bare.py", *limit))
                # the CPU a page costs when every core is busy, as during a crawl (on shared or SMT
                # cores more than on an idle machine), and the rate no pipeline can beat here
                busies.append(child("extract_bare.py", "--processes", str(cores), *limit))

            def rate(run: dict[str, Any]) -> float:
                return run["pages"] / run["wall_s"]

            def cpu(run: dict[str, Any]) -> float:
                return run["cpu_s"] / run["pages"]

            def per_turn(ratio: Callable[[int], float], fmt: str = ".2f", unit: str = "x") -> tuple[str, str]:
                """The median of a ratio over the turns, and every turn's value."""
                values = [ratio(t) for t in range(args.repeat)]
                turns = f" (turns: {', '.join(format(v, fmt) + unit for v in values)})" if args.repeat > 1 else ""
                return format(statistics.median(values), fmt) + unit, turns

            base = _median_run(bases, "pages", "wall_s")
            nv = _median_run(nvs, "pages", "wall_s")
            line("baseline Scrapy+trafilatura", f"{rate(base):.1f} pages/s ({base['pages']} pages, "
                 f"{base['wall_s']:.1f} s, {1000 * cpu(base):.1f} ms CPU/page); turns: "
                 f"{', '.join(f'{rate(r):.1f}' for r in bases)}")
            line("newsvault crawl", f"{rate(nv):.1f} pages/s ({nv['pages']} pages, {nv['wall_s']:.1f} s, "
                 f"archived {nv['archived']}, not articles {nv['not_article']}, duplicates {nv['duplicates']}, "
                 f"errors {sum(nv['errors'].values())}); turns: {', '.join(f'{rate(r):.1f}' for r in nvs)}")
            median, turns = per_turn(lambda t: rate(nvs[t]) / rate(bases[t]))
            line("throughput ratio", f"{median} the baseline (target >= 1.9x){turns}")
            line("bare trafilatura.extract", f"{1000 * statistics.median(cpu(r) for r in bares):.1f} ms CPU/page "
                 f"({bares[0]['pages']} pages)")
            line("newsvault CPU/page", f"{1000 * cpu(nv):.1f} ms (crawl process {1000 * nv['cpu_self_s'] / nv['pages']:.1f}"
                 f" + workers {1000 * nv['cpu_children_s'] / nv['pages']:.1f})")
            median, turns = per_turn(lambda t: cpu(nvs[t]) / cpu(bares[t]))
            line("CPU ratio", f"{median} bare extraction on an idle machine (target <= 1.15x){turns}")
            line("bare, every core busy", f"{1000 * statistics.median(cpu(r) for r in busies):.1f} ms CPU/page "
                 f"({cores} processes)")
            median, turns = per_turn(lambda t: cpu(nvs[t]) / cpu(busies[t]))
            line("CPU ratio, every core busy", f"{median} bare extraction (target <= 1.15x){turns}")
            # What no pipeline can beat on this machine: bare extraction alone on every core, with
            # nothing fetched, stored or compared.
            ceiling, _ = per_turn(lambda t: rate(busies[t]) / rate(bases[t]))
            share, turns = per_turn(lambda t: rate(nvs[t]) / rate(busies[t]), ".0%", "")
            line("ceiling: bare on every core", f"{statistics.median(rate(r) for r in busies):.1f} pages/s = {ceiling} "
                 f"the baseline; newsvault reaches {share} of it{turns}")
            # The worker's own function against trafilatura.extract, page by page in two processes
            # taking turns: splits the CPU ratio into what the worker adds to (or saves on)
            # trafilatura and what the crawl process adds.
            ours = side_by_side.run(pages, rounds=1)
            line("newsvault's worker function", f"{ours['ms_per_page']['newsvault']:.1f} ms CPU/page against "
                 f"bare extraction's {ours['ms_per_page']['bare']:.1f}, page by page: {ours['ratio']:.2f}x")
            # On a machine kept busy by extraction, run time is core time: CPU the reactor spends
            # writing the archive is CPU taken from extraction.
            line("archive writing", f"{100 * nv['archive_cpu_s'] / nv['cpu_s']:.1f}% of the run's CPU time "
                 f"({nv['archive_cpu_s']:.2f} s of {nv['cpu_s']:.1f} s; target <= 5%); reactor thread: "
                 f"{100 * nv['archive_cpu_s'] / nv['crawl_wall_s']:.1f}% of the wall time in CPU, "
                 f"{100 * nv['archive_s'] / nv['crawl_wall_s']:.1f}% including waits for a core")

            for workers in sweep:
                run = newsvault_crawl(network, work, f"workers-{workers}", "--workers", str(workers))
                line(f"newsvault, {workers} worker(s)",
                     f"{rate(run):.1f} pages/s = {rate(run) / rate(base):.2f}x "
                     f"baseline, {1000 * run['cpu_s'] / run['pages']:.1f} ms CPU/page")

        if not args.skip_dedup:
            sizes = tuple(n for n in (10**4, 10**5, 10**6) if n <= dedup_max)
            memory: dict[int, dict[str, Any]] = {}
            for size, pcts, copy in dedup_bench.run(work, sizes, keep=(sizes[0], sizes[-1])):
                (k50, k99), (n50, n99) = pcts["known"], pcts["new"]
                line(f"dedup lookup, {size:.0e} known", f"known p50 {k50:.3f} ms p99 {k99:.3f} ms; "
                     f"new p50 {n50:.3f} ms p99 {n99:.3f} ms (target p50 <= 1 ms at 1e+06)")
                if copy is not None:
                    memory[size] = copy
            rss = {size: newsvault_crawl(network, work, f"memory-{size}", state=copy)
                   for size, copy in memory.items()}
            small, large = sizes[0], sizes[-1]
            line("crawl memory vs known articles",
                 f"max RSS {rss[small]['maxrss_kb'] / 1024:.0f} MB at {small:.0e} known, "
                 f"{rss[large]['maxrss_kb'] / 1024:.0f} MB at {large:.0e} known "
                 f"({rss[large]['maxrss_kb'] / rss[small]['maxrss_kb']:.2f}x)")
    line("load average at end", f"{os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
