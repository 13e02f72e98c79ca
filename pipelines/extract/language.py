"""The language of an article, detected from its extracted text (py3langid: langid.py's model of
97 languages, shipped in its wheel, numpy only).

A page's own claim (`<html lang>`, Content-Language, og:locale) is often the template's, not the
story's: a site's English template around an isiXhosa or Swahili story. The record keeps the claim
apart (`language_declared`) and says how sure the detector was (`language_confidence`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.extract.language_scores import Classify

# The first characters decide: the detector's cost grows with the text and its answer stops
# changing long before the end of an article (under 0.5 ms a page for 3,000 characters with
# language_scores.py's fast path, 1 ms with py3langid's own classify).
SAMPLE_CHARS = 3000
# Below this probability the text does not say (a few words, a mix): the page's claim stands.
MIN_CONFIDENCE = 0.5
_NOT_LANGUAGE = {"zxx"}  # the model's "no linguistic content"


@functools.cache
def _identifier() -> Any:
    # loaded once (0.4 s), by the extraction forkserver before it forks the workers (warmup.py)
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.cache
def _classify() -> Classify:
    # built with the model, by the forkserver: the workers inherit the fast path's tables and checks
    from pipelines.extract.language_scores import fast_classify

    return fast_classify(_identifier())


def load_model() -> None:
    _classify()


def detect(text: str) -> tuple[str | None, float | None]:
    """The language code the text is written in and the detector's probability for it."""
    sample = text[:SAMPLE_CHARS]
    if not sample.strip():
        return None, None
    code, probability = _classify()(sample)
    if code in _NOT_LANGUAGE:
        return None, None
    return code, round(float(probability), 4)


def article_language(text: str, declared: str | None) -> tuple[str | None, float | None]:
    """The record's `language` and `language_confidence`: the detected language when the detector is
    sure enough, else the page's claim (its primary subtag) with the detector's confidence in it."""
    code, probability = detect(text)
    if code is not None and probability is not None and probability >= MIN_CONFIDENCE:
        return code, probability
    if declared:
        return declared.split("-")[0].lower(), probability if code == declared.split("-")[0].lower() else None
    return code, probability
