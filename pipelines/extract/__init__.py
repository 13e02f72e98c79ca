"""Extraction: a fetched page to its record's fields, in worker processes off the reactor.

Kept light: importing a module of this package imports nothing else of it (the config reads
`options` without Scrapy or trafilatura). The pipeline is `pipelines.extract.pipeline.ExtractPipeline`.
"""
