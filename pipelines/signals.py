"""newsvault's own Scrapy signals (connected with ``crawler.signals.connect``, as Scrapy's are).

- ``records_published(source, records)``: the part holding ``records`` is published, so they are
  archived; sent by ArchivePipeline on the reactor, in publication order. The dedup index and the
  revisit ledger commit what they had kept pending.
- ``run_finished(manifest)``: the run's manifest is written; sent by ArchivePipeline at
  ``spider_closed``. Whoever started the crawl reads its outcome here.
"""

records_published = object()
run_finished = object()
