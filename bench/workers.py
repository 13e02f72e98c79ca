"""Pages/s of a cluster with 1 vs 2 `newsvault worker` processes on this machine.

A real redis-server (state, locks, broker), a local-folder archive, the benchmark network's hosts as
sources (one sitemap each), every source enqueued at once; each worker runs one crawl at a time. The
figure is pages fetched by all runs / wall time from enqueue to the last finished run, and 2 workers
as a ratio of 1. On one machine both workers share its cores with their extraction pools, so the
ratio says how much of a crawl is waiting on the network (overlapped by a second worker) rather than
what a second machine would add.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomlkit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from benchnet import BenchNetwork  # noqa: E402
from measure import emit  # noqa: E402
from redisserver import RedisServer  # noqa: E402

from state.redis_state import RedisState  # noqa: E402


def config_for(sites: list[dict], archive: Path, state_uri: str) -> str:
    doc = tomlkit.document()
    doc["archive"] = {"uri": str(archive)}
    doc["state"] = {"uri": state_uri}
    doc["crawl"] = {"user_agent": "newsvault-bench", "obey_robots": True, "concurrency_per_domain": 4,
                    "download_delay": 0, "timeout": 20, "max_articles_per_run": 100000}
    doc["scheduler"] = {"run_time_limit": "30m", "worker_concurrency": 1}
    sources = tomlkit.aot()
    for site in sites:
        sources.append(tomlkit.item({"id": site["id"], "name": site["id"], "sitemaps": [site["sitemap"]],
                                     "allowed_domains": [site["host"]]}))
    doc["sources"] = sources
    return tomlkit.dumps(doc)


def measure(workers: int, sites: list[dict], redis: RedisServer, workdir: Path) -> dict:
    redis.flush()
    folder = workdir / f"w{workers}"
    folder.mkdir()
    config = folder / "newsvault.toml"
    config.write_text(config_for(sites, folder / "archive", redis.uri()))
    procs = [subprocess.Popen([sys.executable, "-m", "newsvault", "--config", str(config), "-q", "worker",
                               "--name", f"bench{n}@local"], cwd=REPO, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=open(folder / f"worker{n}.log", "wb"))  # noqa: SIM115
             for n in range(workers)]
    try:
        time.sleep(5)  # workers up before the clock starts
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "newsvault", "--config", str(config), "enqueue"], cwd=REPO,
                       check=True, capture_output=True)
        state = RedisState(redis.uri())
        while True:
            runs = state.list_runs(limit=100)
            if len(runs) == len(sites) and all(r["status"] != "running" for r in runs):
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        fetched = sum(int((r.get("counts") or {}).get("fetched", 0)) for r in runs)
        return {"workers": workers, "runs": len(runs), "pages": fetched, "seconds": round(elapsed, 1),
                "pages_per_s": round(fetched / elapsed, 2), "statuses": sorted({r["status"] for r in runs})}
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=400, help="pages served (default 400)")
    parser.add_argument("--hosts", type=int, default=4, help="hosts = sources (default 4)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, BenchNetwork(pages=args.pages, hosts=args.hosts) as net, \
            RedisServer(Path(tmp) / "redis") as redis:
        one = measure(1, net.sites, redis, Path(tmp))
        two = measure(2, net.sites, redis, Path(tmp))
        emit({"bench": "workers", "cpus": os.cpu_count(), "one_worker": one, "two_workers": two,
              "two_vs_one": round(two["pages_per_s"] / one["pages_per_s"], 2)})


if __name__ == "__main__":
    main()
