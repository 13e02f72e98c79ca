"""A line of text as the phrase lists, the headline and name comparisons spell it."""

from __future__ import annotations

import unicodedata


def line_key(line: str) -> str:
    """The line as the phrase lists spell it: NFKC, casefolded, spaces collapsed, end punctuation off."""
    text = " ".join(unicodedata.normalize("NFKC", line).casefold().split())
    return text.strip(" \t.:;!?*·•|–—-_»«›‹>()[]【】\"'“”‘’…")
