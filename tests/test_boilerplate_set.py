"""bench/accuracy.py's boilerplate set, a slice of it: real article pages with a block of interface
text injected under neutral markup, inside and after the body, in every language of the set. None
of the block may reach the record, and the article's text must come out as it does without it."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from e2e import bench_module

from pipelines.extract.fields import ExtractOptions, extract_fields


@pytest.fixture(scope="module")
def accuracy(shared_dir: Path) -> ModuleType:
    return bench_module("accuracy")


def _text(url: str, body: bytes) -> str:
    return extract_fields(url, body, {"content-type": "text/html; charset=utf-8"}, ExtractOptions())["text"]


def test_no_injected_block_leaks_in_any_language_style_or_position(accuracy: ModuleType) -> None:
    pages = accuracy.load_corpus(accuracy.ZYTE, 40)
    variants = accuracy.all_variants()  # 8 languages x 4 markups x 2 positions
    leaks, drops = [], []
    for page, variant in zip(pages * 2, variants, strict=False):
        encoding = page.encoding or "utf-8"
        clean, _ = accuracy.rewrite_page(accuracy.read_html(page), encoding, page.text, None)
        injected, _ = accuracy.rewrite_page(accuracy.read_html(page), encoding, page.text, variant)
        without, with_block = _text(page.url, clean), _text(page.url, injected)
        if leaked := accuracy.count_leaks(with_block, without, variant.language):
            leaks.append(f"{page.page_id} {variant.name}: {leaked}")
        before, after = (accuracy.text_scores(page.text, t)["text_f1"][0] for t in (without, with_block))
        if after < before - 0.01:
            drops.append(f"{page.page_id} {variant.name}: {before:.3f} -> {after:.3f}")
    assert not leaks, leaks
    assert not drops, drops
