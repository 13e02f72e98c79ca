"""Bare extraction: trafilatura.extract over the bench pages, the baseline's call without Scrapy.

The CPU floor the whole pipeline is compared with. Prints its measurements as the last line.

    --processes N   split the pages over N processes running at once: the CPU a page costs while
                    every core is busy, as during a crawl (on shared or SMT cores it is higher than
                    with the other cores idle)
    --newsvault     time newsvault's worker function (pipelines.extract_worker.extract_and_fingerprint:
                    extraction with metadata, our own meta/JSON-LD reading, hashes and the
                    near-duplicate fingerprint) instead of trafilatura.extract
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from baseline_spider import TRAFILATURA_OPTIONS  # noqa: E402
from benchnet import Page, corpus_pages  # noqa: E402
from measure import emit  # noqa: E402

URL = "http://127.0.0.2/a.html"


def _extract_share(pages: list[Page], newsvault: bool) -> tuple[float, int]:
    """CPU seconds spent extracting `pages` in this process, and how many gave an article."""
    if newsvault:
        from pipelines.extract_options import ExtractOptions
        from pipelines.extract_worker import NotAnArticle, extract_and_fingerprint

        options = ExtractOptions()
    trafilatura.extract("<html><body><p>warm up the imports</p></body></html>")
    cpu = 0.0
    extracted = 0
    for page in pages:
        start = time.process_time()
        if newsvault:
            headers = {"Content-Type": f"text/html; charset={page.encoding}"} if page.encoding else {}
            try:
                extract_and_fingerprint(URL, page.body, headers, options)
                extracted += 1
            except NotAnArticle:
                pass
        else:
            html = page.body.decode(page.encoding or "utf-8", errors="replace")
            if trafilatura.extract(html, url=URL, **TRAFILATURA_OPTIONS):
                extracted += 1
        cpu += time.process_time() - start
    return cpu, extracted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=None)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--newsvault", action="store_true")
    args = parser.parse_args()
    pages = corpus_pages(limit=args.pages)
    start = time.perf_counter()
    if args.processes <= 1:
        cpu, extracted = _extract_share(pages, args.newsvault)
    else:
        shares = [(pages[i::args.processes], args.newsvault) for i in range(args.processes)]
        with multiprocessing.get_context("fork").Pool(args.processes) as pool:
            results = pool.starmap(_extract_share, shares)
        cpu, extracted = sum(r[0] for r in results), sum(r[1] for r in results)
    wall = time.perf_counter() - start
    emit({"pages": len(pages), "extracted": extracted, "cpu_s": cpu, "wall_s": wall, "processes": args.processes,
          "function": "newsvault" if args.newsvault else "trafilatura.extract"})


if __name__ == "__main__":
    main()
