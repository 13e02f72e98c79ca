"""A line of text as the phrase lists, the headline and name comparisons spell it."""

from __future__ import annotations

import unicodedata

# the punctuation and bullets a line's key drops at its ends
END_PUNCTUATION = " \t.:;!?*·•|–—-_»«›‹>()[]【】\"'“”‘’…"


def line_key(line: str) -> str:
    """The line as the phrase lists spell it: NFKC, casefolded, spaces collapsed, end punctuation off."""
    text = " ".join(unicodedata.normalize("NFKC", line).casefold().split())
    return text.strip(END_PUNCTUATION)
