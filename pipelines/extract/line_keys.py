"""A line of text as the phrase lists, the headline and name comparisons spell it, and where its sentences end."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# the punctuation and bullets a line's key drops at its ends
# where a sentence ends inside a line
SENTENCE_BREAK = re.compile(r"[.!?。！？](?:\s|$)")
END_PUNCTUATION = " \t.:;!?*·•|–—-_»«›‹>()[]【】\"'“”‘’…→➔➜"


def line_key(line: str) -> str:
    """The line as the phrase lists spell it: NFKC, casefolded, spaces collapsed, end punctuation off."""
    text = " ".join(unicodedata.normalize("NFKC", line).casefold().split())
    return text.strip(END_PUNCTUATION)


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() and "_"


@lru_cache(maxsize=4096)  # the site's names and the page's few candidates, compared with each other many times
def alnum_key(text: str) -> str:
    """Only the letters and digits, NFKC and casefolded: "Example-Zeitung" and "example zeitung" are one."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())
