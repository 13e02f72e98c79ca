"""A line of text as the phrase lists, the headline and name comparisons spell it, and where its sentences end."""

from __future__ import annotations

import re
import unicodedata

# the punctuation and bullets a line's key drops at its ends
# where a sentence ends inside a line
SENTENCE_BREAK = re.compile(r"[.!?。！？](?:\s|$)")
END_PUNCTUATION = " \t.:;!?*·•|–—-_»«›‹>()[]【】\"'“”‘’…"


def line_key(line: str) -> str:
    """The line as the phrase lists spell it: NFKC, casefolded, spaces collapsed, end punctuation off."""
    text = " ".join(unicodedata.normalize("NFKC", line).casefold().split())
    return text.strip(END_PUNCTUATION)
