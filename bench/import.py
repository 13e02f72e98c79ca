"""Import throughput against bare extraction, on this machine's cores, side by side.

Writes a CC-NEWS-like WARC of the corpus pages (gzipped per record, a request and a response record
per page, several hosts), then takes turns, each running two child processes of this script:

- bare: newsvault's `extract_fields` over the same bodies in a pool of as many workers as the import
  uses, forked from the same warmed-up forkserver with the same allocator (pipelines/extract/server.py
  pool_context): extraction and nothing else (no Scrapy, no WARC reading, no dedup, no archive), timed
  once the workers are warm: the ceiling;
- import: `newsvault import --source bench WARC` into a fresh archive and state, in-process as the
  command runs it, timed end to end (start-up, WARC reading and gunzip, the copy into newsvault's
  WARC parts, the pipelines, dedup, archive writes).

Each child reports wall time and CPU (its own, its forkserver's and its workers': bench/measure.py).
The two go first in turn and each ratio is taken within its turn, so a change in the load other
processes put on this shared machine hits both sides alike. Prints per turn and as medians: pages/s
(import / bare, target >= 0.9x) and CPU per page (the same work measured without the waits for a
core that other processes cause).

    python bench/import.py [--pages N] [--repeat R]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))
from benchnet import Page, corpus_pages  # noqa: E402
from measure import Meter, emit, extract_article, last_json_line, stop_forkserver  # noqa: E402

T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
HOSTS = 8


def url_of(n: int) -> str:
    return f"https://news{n % HOSTS}.bench.example/2024/05/{n:05d}.html"


def write_warc(path: Path, pages: list[Page]) -> None:
    """The pages as a CC-NEWS WARC holds them: a request and a response record per page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsvault bench"}))
        for n, page in enumerate(pages):
            date = (T0 + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
            response = writer.create_warc_record(
                url_of(n), "response", payload=io.BytesIO(page.body), length=len(page.body),
                warc_headers_dict={"WARC-Date": date},
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", page.content_type),
                                                         ("Content-Length", str(len(page.body)))],
                                              protocol="HTTP/1.1"))
            request = writer.create_warc_record(
                url_of(n), "request", payload=io.BytesIO(b""), length=0,
                warc_headers_dict={"WARC-Date": date,
                                   "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
                http_headers=StatusAndHeaders(f"GET /2024/05/{n:05d}.html HTTP/1.1",
                                              [("Host", url_of(n).split("/")[2])], is_http_request=True))
            writer.write_record(request)
            writer.write_record(response)


# -- the children ------------------------------------------------------------------------------------


def child_bare(pages: int) -> dict[str, Any]:
    from concurrent.futures import ProcessPoolExecutor

    from pipelines.extract.server import default_workers, pool_context

    inputs = [(url_of(n), page.body, {"content-type": page.content_type})
              for n, page in enumerate(corpus_pages(limit=pages))]
    meter = Meter()
    workers = default_workers()
    with ProcessPoolExecutor(workers, mp_context=pool_context()) as pool:
        list(pool.map(extract_article, inputs[:workers]))  # start the workers: their start-up is not extraction
        start = time.perf_counter()
        articles = sum(pool.map(extract_article, inputs, chunksize=4))
        seconds = time.perf_counter() - start
    stop_forkserver()
    return meter.report(pages=len(inputs), timed_s=seconds, articles=articles, workers=workers)


def child_import(warc: Path, folder: Path) -> dict[str, Any]:
    import contextlib

    from newsvault.cli import main as newsvault

    folder.mkdir(parents=True)
    config = folder / "newsvault.toml"
    config.write_text(f'[archive]\nuri = "{folder / "archive"}"\n[state]\nuri = "sqlite:///{folder / "state.db"}"\n'
                      '[[sources]]\nid = "bench"\nname = "Bench"\nstart_urls = ["https://bench.example/"]\n'
                      'allowed_domains = ["bench.example"]\n')
    meter = Meter()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = newsvault(["--config", str(config), "import", "--json", "--source", "bench", str(warc)])
    stop_forkserver()
    report = meter.report()
    if status != 0:
        raise SystemExit(f"import exited {status}")
    counts = json.loads(out.getvalue())["counts"]
    return {**report, "timed_s": report["wall_s"], "pages": counts["fetched"], "archived": counts["archived"],
            "not_article": counts["not_article"]}


def child(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench/import.py {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return last_json_line(done.stdout)


# -- the turns ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3, help="turns of (bare, import)")
    parser.add_argument("--child", choices=("bare", "import"), help=argparse.SUPPRESS)
    parser.add_argument("--warc", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bare":
        emit(child_bare(args.pages))
        return
    if args.child == "import":
        emit(child_import(Path(args.warc), Path(args.folder)))
        return

    with tempfile.TemporaryDirectory(prefix="newsvault-bench-import-") as tmp:
        root = Path(tmp)
        warc = root / "CC-NEWS-bench.warc.gz"
        write_warc(warc, corpus_pages(limit=args.pages))
        print(f"{args.pages} corpus pages in one {warc.stat().st_size / 2**20:.1f} MiB WARC", flush=True)
        rate_ratios, cpu_ratios, rates = [], [], {"bare": [], "import": []}
        for turn in range(args.repeat):
            runs = {}
            for side in (("bare", "import") if turn % 2 == 0 else ("import", "bare")):
                runs[side] = (child("--child", "bare", "--pages", str(args.pages)) if side == "bare" else
                              child("--child", "import", "--warc", str(warc), "--folder", str(root / f"import-{turn}")))
            bare, imported = runs["bare"], runs["import"]
            rate = {side: run["pages"] / run["timed_s"] for side, run in runs.items()}
            cpu = {side: 1000 * run["cpu_s"] / run["pages"] for side, run in runs.items()}
            for side in rates:
                rates[side].append(rate[side])
            rate_ratios.append(rate["import"] / rate["bare"])
            cpu_ratios.append(cpu["import"] / cpu["bare"])
            print(f"turn {turn + 1}: bare {rate['bare']:5.1f} pages/s ({bare['timed_s']:.1f} s, {cpu['bare']:.1f} ms "
                  f"CPU/page, {bare['workers']} workers); import {rate['import']:5.1f} pages/s "
                  f"({imported['timed_s']:.1f} s end to end, {cpu['import']:.1f} ms CPU/page, {imported['archived']} "
                  f"archived): {rate_ratios[-1]:.2f}x the pages/s, {cpu_ratios[-1]:.2f}x the CPU", flush=True)
    print(f"bare extraction:  {statistics.median(rates['bare']):6.1f} pages/s (median)")
    print(f"newsvault import: {statistics.median(rates['import']):6.1f} pages/s (median, end to end)")
    print(f"import / bare:    {statistics.median(rate_ratios):.2f}x the pages/s (turns: "
          f"{', '.join(f'{r:.2f}x' for r in rate_ratios)}; target >= 0.9x), "
          f"{statistics.median(cpu_ratios):.2f}x the CPU per page (turns: {', '.join(f'{r:.2f}x' for r in cpu_ratios)})")


if __name__ == "__main__":
    main()
