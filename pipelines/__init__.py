"""Scrapy item pipelines: extract -> deduplicate -> archive."""
