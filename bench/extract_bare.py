"""Bare extraction: trafilatura.extract over the bench pages, the baseline's call without Scrapy.

The CPU floor the whole pipeline is compared with. Prints its measurements as the last line.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline_spider import TRAFILATURA_OPTIONS  # noqa: E402
from benchnet import corpus_pages  # noqa: E402
from measure import emit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=None)
    args = parser.parse_args()
    pages = corpus_pages(limit=args.pages)
    trafilatura.extract("<html><body><p>warm up the imports</p></body></html>")
    cpu = 0.0
    extracted = 0
    for page in pages:
        html = page.body.decode(page.encoding or "utf-8", errors="replace")
        start = time.process_time()
        if trafilatura.extract(html, url="http://127.0.0.2/a.html", **TRAFILATURA_OPTIONS):
            extracted += 1
        cpu += time.process_time() - start
    emit({"pages": len(pages), "extracted": extracted, "cpu_s": cpu})


if __name__ == "__main__":
    main()
