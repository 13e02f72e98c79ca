"""Bare extraction: trafilatura.extract over the bench pages, the baseline's call without Scrapy.

The CPU floor the whole pipeline is compared with. Prints its measurements as the last line.

    --processes N   hand the pages one at a time to N processes running at once: the CPU a page
                    costs while every core is busy, as during a crawl (on shared or SMT cores it is
                    higher than with the other cores idle), and the pages/s no pipeline can beat
    --newsvault     time newsvault's worker function (pipelines.extract.worker.extract_and_fingerprint:
                    extraction with metadata, our own meta/JSON-LD reading, hashes and the
                    near-duplicate fingerprint) instead of trafilatura.extract, on the allocator and
                    garbage collector settings of newsvault's workers (jemalloc when installed)
    --serve         warm up, print "ready" and the number of pages, then extract the page of each
                    index read from stdin and print its CPU seconds (bench/side_by_side.py has two of
                    these take turns)
"""

from __future__ import annotations

import argparse
import functools
import gc
import multiprocessing
import os
import sys
import time
from pathlib import Path

import lxml.html
import trafilatura
import trafilatura.utils

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from baseline_spider import TRAFILATURA_OPTIONS  # noqa: E402
from benchnet import Page, corpus_pages  # noqa: E402
from measure import emit  # noqa: E402

URL = "http://127.0.0.2/a.html"


# The pages, loaded before the pool forks: every process reads them without pickling.
_PAGES: list[Page] = []


def _warm_up(newsvault: bool) -> None:
    """Imports and the libraries' first-use set-up (justext's stoplists, the public suffix list),
    kept out of the figures alike for both functions."""
    import pipelines.extract.warmup  # noqa: F401

    if not newsvault:
        # trafilatura as shipped: back to lxml.html's Python class lookup (pipelines/extract/lxml_classes.py)
        for parser in (trafilatura.utils.HTML_PARSER, lxml.html.html_parser):
            parser.set_element_class_lookup(lxml.html.HtmlElementClassLookup())
        # and to a garbage collector that walks every object (pipelines/extract/warmup.py)
        gc.unfreeze()


def _ping(_: int) -> None:
    time.sleep(0.05)


def _extract_one(index: int, newsvault: bool) -> tuple[float, bool]:
    """CPU seconds spent extracting page `index` in this process, and whether it gave an article."""
    page = _PAGES[index]
    start = time.process_time()
    if newsvault:
        from pipelines.extract.options import ExtractOptions
        from pipelines.extract.worker import NotAnArticle, extract_and_fingerprint

        headers = {"Content-Type": f"text/html; charset={page.encoding}"} if page.encoding else {}
        try:
            extract_and_fingerprint(URL, page.body, headers, ExtractOptions())
            extracted = True
        except NotAnArticle:
            extracted = False
    else:
        html = page.body.decode(page.encoding or "utf-8", errors="replace")
        extracted = bool(trafilatura.extract(html, url=URL, **TRAFILATURA_OPTIONS))
    return time.process_time() - start, extracted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=None)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--newsvault", action="store_true")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    if args.newsvault:
        from pipelines.extract.server import allocator_preload

        preload = allocator_preload()
        if preload:  # None once it is loaded: LD_PRELOAD is then set
            os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "LD_PRELOAD": preload})
    _PAGES.extend(corpus_pages(limit=args.pages))
    work = functools.partial(_extract_one, newsvault=args.newsvault)
    if args.serve:
        _warm_up(args.newsvault)
        print(f"ready {len(_PAGES)}", flush=True)
        for line in sys.stdin:
            print(work(int(line))[0], flush=True)
        return
    if args.processes <= 1:
        _warm_up(args.newsvault)
        start = time.perf_counter()
        results = [work(i) for i in range(len(_PAGES))]
        wall = time.perf_counter() - start
    else:
        with multiprocessing.get_context("fork").Pool(args.processes, _warm_up, (args.newsvault,)) as pool:
            pool.map(_ping, range(4 * args.processes), chunksize=1)  # every process started and warm
            # one page at a time to whichever process is free: no process idles while another
            # still has a long share to go
            start = time.perf_counter()
            results = list(pool.imap_unordered(work, range(len(_PAGES)), chunksize=1))
            wall = time.perf_counter() - start
    cpu = sum(r[0] for r in results)
    extracted = sum(r[1] for r in results)
    emit({"pages": len(_PAGES), "extracted": extracted, "cpu_s": cpu, "wall_s": wall, "processes": args.processes,
          "function": "newsvault" if args.newsvault else "trafilatura.extract"})


if __name__ == "__main__":
    main()
