"""The language of an article is read from its text: on every page of ../shared/corpora whose language
is labelled (bench/language.py), the record's `language` agrees with the label on at least 97 %."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from e2e import bench_module

from pipelines.extract.language import article_language, detect


@pytest.fixture(scope="module")
def language_bench(shared_dir: Path) -> ModuleType:
    return bench_module("language")


def test_the_detected_language_agrees_with_the_labels_of_the_corpora(language_bench: ModuleType) -> None:
    results = [language_bench.measure(corpus) for corpus in language_bench.LABELLED]
    pages = sum(r["pages"] for r in results)
    agreed = sum(r["agreement"] * r["pages"] for r in results)
    assert pages > 150, "the labelled pages were not found"
    assert agreed / pages >= 0.97, [miss for r in results for miss in r["disagree"]]


def test_a_short_or_mixed_text_leaves_the_pages_claim_standing() -> None:
    assert detect("") == (None, None)
    language, confidence = article_language("OK", "pt-BR")  # two letters say nothing
    assert language == "pt"
    assert confidence is None or confidence >= 0.5


def test_a_confident_detection_wins_over_the_claim() -> None:
    text = ("Der Stadtrat hat am Dienstag beschlossen, die Nachtschichten im Hafen über den Winter zu "
            "verlängern, nachdem sich Dutzende Containerschiffe vor der Küste gestaut hatten.")
    language, confidence = article_language(text, "en")
    assert language == "de" and confidence is not None and confidence > 0.9
