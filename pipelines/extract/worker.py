"""What crosses the extraction pool's process boundary, light to import (no trafilatura).

The crawl process hands pages to `extract_and_fingerprint` by reference and catches `NotAnArticle`
coming back; trafilatura itself is imported only where pages are extracted (the workers, preloaded by
their forkserver). A crawl process that never imports it starts about 0.4 s of CPU faster, which is
a large share of a short scheduled run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipelines.extract.options import ExtractOptions
from pipelines.extract.result import FINGERPRINT_KEY, TEMPLATE_BLOCKS_KEY, NotAnArticle
from pipelines.neardup import fingerprint

__all__ = ["FINGERPRINT_KEY", "TEMPLATE_BLOCKS_KEY", "NotAnArticle", "extract_and_fingerprint", "missing_module_error"]

def extract_and_fingerprint(url: str, body: bytes, headers: Mapping[str, str],
                            options: ExtractOptions, template: frozenset[int] = frozenset()) -> dict[str, Any]:
    """extract_fields plus the text's near-duplicate fingerprint: what a worker process computes."""
    try:
        from pipelines.extract.fields import extract_fields
    except ImportError as exc:
        raise missing_module_error(exc) from exc

    fields = extract_fields(url, body, headers, options, template)
    fp = fingerprint(fields["text"])
    fields[FINGERPRINT_KEY] = fp.to_bytes() if fp is not None else None
    return fields


def missing_module_error(exc: ImportError) -> ImportError:
    """``exc`` with the name of the module that is really missing, found down its chain.

    Libraries re-raise a missing optional module as an ImportError of their own, without its name
    (lxml.html.clean does, for lxml_html_clean); and only the exception itself crosses the process
    pool, not its chain. The name is what tells the operator what to install.
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ImportError) and seen.name:
            if seen is exc:
                return exc
            return ImportError(f"{exc} (missing module: {seen.name})", name=seen.name)
        seen = seen.__cause__ or seen.__context__
    return exc
