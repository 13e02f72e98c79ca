"""Many quiet sources on a schedule: a process per run (the old way) against the crawl host, in one bench run.

    .venv/bin/python bench/scale.py [--sources 1000] [--ticks 3] [--old-runs 20] [--memory-runs 1000]

A loopback network serves N sources (default 1,000), each its own feed on one of up to 250 loopback
addresses (so that their requests do not all wait on one host's politeness); every feed answers 304
to a conditional request, as an unchanged site does. It runs in a process of its own, so serving costs
neither side CPU. Then:

1. old mode: `newsvault crawl SOURCE --json --time-limit ...`, one process per source run (what the
   scheduler and the workers ran before the crawl host), over --old-runs of the quiet sources, two at
   a time; CPU of those processes and their children;
2. new mode: `newsvault scheduler` with every source due every minute (cron `* * * * *`), for
   --ticks minutes after a warm-up tick; CPU of the scheduler and its crawl host(s) over the measured
   ticks (from /proc: their own time and that of their waited-for children), source runs completed
   in that window (from the state), the scheduling delay of each source run (due to started, from
   the scheduler's log lines), and the peak memory of the scheduler and its hosts;
3. memory of one long-lived host over --memory-runs quiet runs of one source each, sent through the
   dispatcher: resident memory after run 100 and after the last.

Prints source runs per CPU-second for both modes and their ratio, delay p50/p99, peak memory, and the
host's memory at run 100 and at the end. `--json FILE` writes every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>'
        b'<link>http://example.invalid/</link><description>nothing new</description></channel></rss>')
ETAG = '"' + hashlib.sha256(FEED).hexdigest()[:16] + '"'
ROBOTS = b"User-agent: *\nAllow: /\n"


# -- the network --------------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self._send(200, ROBOTS, "text/plain")
        elif self.path.startswith("/feed/"):
            if self.headers.get("If-None-Match") == ETAG:
                self._send(304, b"", None)
            else:
                self._send(200, FEED, "application/rss+xml")
        else:
            self._send(404, b"", None)

    def _send(self, status: int, body: bytes, content_type: str | None) -> None:
        self.send_response(status)
        self.send_header("ETag", ETAG)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512


def _addresses(count: int) -> list[str]:
    """127.0.0.2, .3, ... where loopback routes them (Linux); else 127.0.0.1 alone."""
    hosts = [f"127.0.{(2 + i) // 250}.{2 + (2 + i) % 250}" for i in range(count)]
    try:
        for host in hosts[:2]:
            with socket.socket() as probe:
                probe.bind((host, 0))
    except OSError:
        return ["127.0.0.1"]
    return hosts


def serve_network(hosts: int) -> None:
    """In the network's own process: serve, print the base URLs, exit when stdin closes."""
    servers = [_Server((address, 0), _Handler) for address in _addresses(hosts)]
    for server in servers:
        threading.Thread(target=server.serve_forever, args=(0.5,), daemon=True).start()
    print(json.dumps([f"http://{s.server_address[0]}:{s.server_address[1]}" for s in servers]), flush=True)
    sys.stdin.read()


@contextlib.contextmanager
def network(hosts: int) -> Iterator[list[str]]:
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(hosts)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdin is not None
    bases = json.loads(process.stdout.readline())
    try:
        yield bases
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def write_config(root: Path, bases: list[str], sources: int, *, schedule: str | None) -> Path:
    lines = [f'[archive]\nuri = "{root / "archive"}"\n', f'[state]\nuri = "sqlite:///{root / "state.db"}"\n',
             '[crawl]\nuser_agent = "newsvault-bench"\ntimeout = 10\n',
             '[scheduler]\nmisfire_grace_time = "1m"\n']
    for n in range(sources):
        base = bases[n % len(bases)]
        lines.append(f'[[sources]]\nid = "q{n:04d}"\nfeeds = ["{base}/feed/{n}.xml"]\n'
                     + (f'schedule = "{schedule}"\n' if schedule else ""))
    path = root / "newsvault.toml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def newsvault(config: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsvault", "--config", str(config), *args], cwd=REPO,
                          capture_output=True, text=True, **kwargs)


def warm_up(config: Path) -> None:
    """Every source crawled once, together: each has a history (quiet) and its feed's ETag."""
    done = newsvault(config, "crawl", "--json")
    if done.returncode != 0:
        raise RuntimeError(f"warm-up crawl failed:\n{done.stderr[-3000:]}")


# -- measuring processes --------------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def tree(pid: int) -> list[int]:
    """`pid` and its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds of `pid`, its live descendants, and the descendants they have reaped."""
    total = 0
    for member in tree(pid):
        fields = _stat(member)
        if fields is not None:  # utime, stime, cutime, cstime
            total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return total / TICK


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def runs_started(config: Path, since: datetime, until: datetime) -> list[dict[str, Any]]:
    sys.path.insert(0, str(REPO))
    from newsvault.config import load_config
    from state.backends import open_state

    state = open_state(load_config(config).state.uri)
    try:
        runs = state.list_runs(limit=100000)
    finally:
        state.close()
    return [r for r in runs if r.get("kind") == "crawl" and r["status"] not in ("running",)
            and since <= datetime.fromisoformat(r["started_at"].replace("Z", "+00:00")) < until]


# -- the modes ----------------------------------------------------------------------------------------

def old_mode(config: Path, runs: int, sources: int) -> dict[str, Any]:
    """A process per source run, two at a time, as the scheduler's dispatcher ran them."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    ids = [f"q{n:04d}" for n in range(0, sources, max(1, sources // runs))][:runs]
    statuses: list[str] = []
    for pair in range(0, len(ids), 2):
        processes = [subprocess.Popen([sys.executable, "-m", "newsvault", "--config", str(config), "crawl", source,
                                       "--json", "--time-limit", "3600"], cwd=REPO, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, text=True) for source in ids[pair:pair + 2]]
        for process in processes:
            out, _ = process.communicate()
            statuses.append(json.loads(out).get("status", "?") if out.strip() else "crashed")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"runs": len(ids), "cpu_s": cpu, "wall_s": time.perf_counter() - started,
            "runs_per_cpu_s": len(ids) / cpu, "statuses": sorted(set(statuses)),
            "peak_rss_mb": after.ru_maxrss / 1024}


DELAY_LINE = re.compile(r"(?:of (\d+) quiet sources: \w+|: \w+) in [\d.]+s[^,]*, started (-?[\d.]+)s after due")


def new_mode(config: Path, ticks: int) -> dict[str, Any]:
    log = config.parent / "scheduler.log"
    with open(log, "w") as out:
        scheduler = subprocess.Popen([sys.executable, "-m", "newsvault", "--config", str(config), "scheduler"],
                                     cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    try:
        peak = {"scheduler": 0.0, "hosts": 0.0}

        def sample_until(deadline: float) -> None:
            while time.time() < deadline:
                members = tree(scheduler.pid)
                peak["scheduler"] = max(peak["scheduler"], rss_mb(scheduler.pid))
                peak["hosts"] = max([peak["hosts"], *(rss_mb(p) for p in members[1:])])
                if scheduler.poll() is not None:
                    raise RuntimeError(f"the scheduler exited:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)

        # the warm-up tick: the first minute boundary after start, runs settle
        first = (int(time.time()) // 60 + 1) * 60
        sample_until(first + 55)
        window_start = datetime.fromtimestamp(first + 58, UTC)
        cpu_start = tree_cpu(scheduler.pid)
        lines_before = len(log.read_text().splitlines())
        sample_until(first + 58 + 60 * ticks)
        cpu = tree_cpu(scheduler.pid) - cpu_start
        window_end = datetime.fromtimestamp(first + 58 + 60 * ticks, UTC)
        lines = log.read_text().splitlines()[lines_before:]
    finally:
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=120)
    runs = runs_started(config, window_start, window_end)
    source_runs = sum(len(r["sources"]) for r in runs)
    delays: list[float] = []
    for line in lines:
        if (match := DELAY_LINE.search(line)) is not None:
            delays += [float(match.group(2))] * int(match.group(1) or 1)
    delays.sort()
    return {"ticks": ticks, "runs": len(runs), "source_runs": source_runs, "cpu_s": cpu,
            "runs_per_cpu_s": source_runs / cpu if cpu else 0.0,
            "statuses": sorted({r["status"] for r in runs}),
            "delay_p50_s": statistics.median(delays) if delays else None,
            "delay_p99_s": delays[min(len(delays) - 1, int(0.99 * len(delays)))] if delays else None,
            "delays": len(delays), "peak_rss_mb": peak}


def host_memory(config: Path, runs: int) -> dict[str, Any]:
    """One host, `runs` quiet single-source runs: its resident memory along the way."""
    from newsvault.config import load_config
    from scheduler.dispatch import Dispatcher

    loaded = load_config(config)
    dispatcher = Dispatcher(loaded, time_limit=600, log_level="ERROR")
    samples: dict[int, float] = {}
    try:
        ids = [s.id for s in loaded.sources]
        done = 0
        for start in range(0, runs, 16):
            futures = [dispatcher.submit([ids[(start + i) % len(ids)]]) for i in range(min(16, runs - start))]
            for future in futures:
                future.result()
            done += len(futures)
            [pid] = dispatcher.hosts.host_pids or [0]
            samples[done] = rss_mb(pid)
    finally:
        dispatcher.close(timeout=60)
    at_100 = samples[min(samples, key=lambda n: abs(n - 100))]
    last = samples[max(samples)]
    return {"runs": runs, "rss_mb_at_100": at_100, "rss_mb_at_end": last,
            "growth": (last - at_100) / at_100 if at_100 else None}


def compare_modes(config: Path, args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """Old mode and new mode over the same sources: runs per CPU-second, delay, memory."""
    print(f"old mode: a process per run, {args.old_runs} runs...", flush=True)
    figures["old"] = old = old_mode(config, args.old_runs, args.sources)
    print(f"  {old['runs']} runs, {old['cpu_s']:.1f} CPU-s: {old['runs_per_cpu_s']:.2f} runs per CPU-s "
          f"({old['cpu_s'] / old['runs']:.2f} CPU-s a run), statuses {old['statuses']}", flush=True)
    print(f"new mode: `newsvault scheduler`, every source due every minute, {args.ticks} measured ticks...",
          flush=True)
    figures["new"] = new = new_mode(config, args.ticks)
    print(f"  {new['source_runs']} source runs in {new['runs']} runs, {new['cpu_s']:.1f} CPU-s: "
          f"{new['runs_per_cpu_s']:.1f} source runs per CPU-s, statuses {new['statuses']}", flush=True)
    ratio = new["runs_per_cpu_s"] / old["runs_per_cpu_s"]
    figures["ratio"] = ratio
    print(f"  source runs per CPU-second: {ratio:.1f}x the process-per-run mode (target >= 20x)")
    if new["delays"]:
        print(f"  scheduling delay (due to started) over {new['delays']} source runs: "
              f"p50 {new['delay_p50_s']:.2f}s, p99 {new['delay_p99_s']:.2f}s (target p99 < 5s)")
    print(f"  peak memory: scheduler {new['peak_rss_mb']['scheduler']:.0f} MB, largest crawl host "
          f"{new['peak_rss_mb']['hosts']:.0f} MB; a crawl process of the old mode {old['peak_rss_mb']:.0f} MB",
          flush=True)



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--ticks", type=int, default=3)
    parser.add_argument("--old-runs", type=int, default=20)
    parser.add_argument("--memory-runs", type=int, default=1000)
    parser.add_argument("--memory-only", action="store_true", help="only the host's memory over its runs")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_network(args.serve)
        return
    figures: dict[str, Any] = {"sources": args.sources}
    with network(min(args.sources, 250)) as bases, tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = write_config(root, bases, args.sources, schedule="* * * * *")
        print(f"{args.sources} quiet sources on {len(bases)} loopback hosts; warming up (one crawl of all)...",
              flush=True)
        warm_up(config)
        if not args.memory_only:
            compare_modes(config, args, figures)
        if args.memory_runs:
            print(f"one host over {args.memory_runs} quiet runs...", flush=True)
            figures["memory"] = memory = host_memory(config, args.memory_runs)
            print(f"  resident memory after run 100: {memory['rss_mb_at_100']:.0f} MB, after run "
                  f"{memory['runs']}: {memory['rss_mb_at_end']:.0f} MB ({memory['growth']:+.1%}; target within 10%)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
