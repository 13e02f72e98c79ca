"""What a benchmark child process reports about itself: wall time, CPU, memory.

CPU counts the process and every descendant it has waited for (RUSAGE_CHILDREN), so a crawl's
figure includes its extraction workers once the pool and its forkserver are shut down and reaped.
"""

from __future__ import annotations

import json
import multiprocessing.forkserver
import resource
import sys
import time
from typing import Any


def stop_forkserver() -> None:
    """Reap the forkserver (and through it every worker it forked), so their CPU is counted."""
    server = multiprocessing.forkserver._forkserver  # type: ignore[attr-defined]
    if getattr(server, "_forkserver_pid", None) is not None:
        server._stop()


class Meter:
    def __init__(self) -> None:
        self.wall0 = time.perf_counter()
        self.self0 = resource.getrusage(resource.RUSAGE_SELF)
        self.children0 = resource.getrusage(resource.RUSAGE_CHILDREN)

    def report(self, **extra: Any) -> dict[str, Any]:
        wall = time.perf_counter() - self.wall0
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        self_cpu = (me.ru_utime + me.ru_stime) - (self.self0.ru_utime + self.self0.ru_stime)
        kids_cpu = (kids.ru_utime + kids.ru_stime) - (self.children0.ru_utime + self.children0.ru_stime)
        return {"wall_s": wall, "cpu_self_s": self_cpu, "cpu_children_s": kids_cpu,
                "cpu_s": self_cpu + kids_cpu, "maxrss_kb": me.ru_maxrss,
                "children_maxrss_kb": kids.ru_maxrss, **extra}


def emit(report: dict[str, Any]) -> None:
    """The last line of a child's stdout is its report."""
    sys.stdout.write("\n" + json.dumps(report) + "\n")
    sys.stdout.flush()


def last_json_line(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no report in the child's output:\n{text[-2000:]}")


def extract_article(args: tuple[str, bytes, dict[str, str]]) -> bool:
    """One page (url, body, headers) through `extract_fields` with the default options: whether it
    holds an article. A process pool's task, for the bare-extraction side of a bench."""
    from pipelines.extract.fields import ExtractOptions, NotAnArticle, extract_fields

    try:
        extract_fields(*args, ExtractOptions())
    except NotAnArticle:
        return False
    return True
