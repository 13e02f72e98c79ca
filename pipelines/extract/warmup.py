"""Extraction's one-time set-up, done by the extraction pool's forkserver before it forks any worker.

trafilatura and the libraries under it build tables on first use: justext's stoplists of 100
languages, the public suffix list behind domain names, htmldate's and courlan's patterns; and the
language detector loads its model. That is about 1 s of CPU, which every worker process would spend
on its first page, and a crawl process starts two or more workers. Built once in the forkserver, the tables reach every worker through fork.

Everything the server holds then is frozen out of the garbage collector (`gc.freeze`, as CPython
recommends before forking). A worker's collections no longer walk the libraries' 50,000-odd
long-lived objects: garbage collection fell from 5.0 to 2.7 ms of a worker's CPU a page (about 3%
of it) on the corpus pages. Nor does a full collection write to every one of those objects'
headers, which would copy each memory page holding one into every worker.
"""

from __future__ import annotations

import contextlib
import gc

from courlan import extract_domain
from trafilatura import external

from pipelines.extract.fields import extract_fields
from pipelines.extract.language import load_model
from pipelines.extract.options import ExtractOptions
from pipelines.extract.sample_page import SAMPLE_HEADERS, SAMPLE_URL, sample_page


def warm_up() -> None:
    """Run each lazily built part of extraction once.

    Never raises: an exception while the forkserver imports this module would kill the forkserver
    and every pool with it, while a part left cold only costs the first page its set-up.
    """
    with contextlib.suppress(Exception):
        extract_domain("https://www.example.co.uk/news/")
    # justext's stoplists are loaded the first time trafilatura falls back to it, which few pages do
    init = getattr(external, "jt_stoplist_init", None)
    if callable(init) and not getattr(external, "JT_STOPLIST", None):
        with contextlib.suppress(Exception):
            init()
    with contextlib.suppress(Exception):  # the language detector's model: 0.4 s to load
        load_model()
    with contextlib.suppress(Exception):  # NotAnArticle included
        extract_fields(SAMPLE_URL, sample_page(), SAMPLE_HEADERS, ExtractOptions())


def freeze_for_workers() -> None:
    """What is alive now lives as long as the process: out of every later collection's way."""
    gc.collect()
    gc.freeze()


warm_up()
freeze_for_workers()
