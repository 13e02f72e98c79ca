"""What an extraction returns besides record fields, and how it says a page is no article: shared by
the worker function (pipelines/extract/worker.py), the extractor (pipelines/extract/fields.py) and the
pipeline that reads the result (pipelines/extract/pipeline.py)."""

from __future__ import annotations

# The keys of extract_and_fingerprint's result that are not record fields.
FINGERPRINT_KEY = "neardup_fingerprint"
TEMPLATE_BLOCKS_KEY = "template_blocks"  # the page's short blocks, for its source's template to learn


class NotAnArticle(Exception):
    """The page holds no article. ``reason`` is one of: not_html, decode_error, extraction_empty,
    wrong_language, too_short."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[NotAnArticle], tuple[str, str]]:
        # crosses the process-pool boundary: keep both attributes through pickling
        return (NotAnArticle, (self.reason, self.detail))
