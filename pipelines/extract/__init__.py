"""Extraction: a fetched page to its record's fields, in worker processes off the reactor.

This file imports nothing, so a light module of the package (`options`, which the config reads)
comes without Scrapy or trafilatura. The pipeline is `pipelines.extract.pipeline.ExtractPipeline`;
trafilatura is imported by `fields`, in the worker processes.
"""
