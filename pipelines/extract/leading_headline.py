"""The headline printed again at the top of the text, with what themes set around it.

trafilatura's text often opens with the page's headline: the <h1> inside the article container, or an
SEO version of it (og:title, JSON-LD) printed as a heading. The record keeps it in `title`; in
`text` it is not body. Themes set things around it that go with it:
- a kicker, on a line of its own above it ("Review", "FAQ", "Hitzefolgen") or run into it, with a
  separator or none at all when the kicker is a <span> inside the <h1> ("Migration policy: <headline>",
  "Migration policy<headline>");
- a breadcrumb trail above it ("- Home", "- Local", "- Bihar").
A lede that ends by quoting the headline is no kicker and headline: the words before the headline are
then a sentence (a comma in them, more than a kicker's few words), and the line ends as sentences do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipelines.extract.call_to_action import LIST_ITEM
from pipelines.extract.line_keys import alnum_key, line_key

# a kicker: "Hitzefolgen", "Review", "SVP-Sonderparteitag zur Migration"
_KICKER_MAX_CHARS = 50
_KICKER_MAX_WORDS = 6
# a headline long enough that no sentence ends with it by chance (letters and digits counted)
_HEADLINE_MIN_SQUASHED = 20
_HEADLINE_MIN_SPACES = 3
_BREADCRUMB_MIN_ITEMS = 2
_LINE_MAX_CHARS = 400
_SENTENCE_STOP = re.compile(r"[.!?。！？]\s*$")
# a sentence's end, behind its closing quote or bracket
_ENDS_SENTENCE = re.compile(r"[.!?。！？][\"”’»“‘«›)\]]*\s*$")
# what separates a kicker from its headline, when anything does
_SEPARATOR = re.compile(r"^[\s:|\-–—»>/•·\"'“”‘’«]*$")
_SENTENCE_PUNCTUATION = re.compile(r"[.!?,;]")
# the dots of a date or a number are no sentence's: "27.01.2022MineralölINFO November 2021"
_DATE_PUNCTUATION = re.compile(r"(?<=\d)[.,](?=\d)")


def without_leading_headline(lines: list[str], headlines: Sequence[str | None]) -> list[str]:
    """The lines without the headline repeated at their top, and the kicker or breadcrumbs over it."""
    headline = _Headlines(headlines)
    start = 0
    while start < len(lines):
        if headline.is_repeated(lines[start]):
            start += 1
        elif start + 1 < len(lines) and _is_kicker(lines[start]) and headline.is_repeated(lines[start + 1]):
            start += 2
        elif (crumbs := _breadcrumb_items(lines, start)) and start + crumbs < len(lines) \
                and headline.is_repeated(lines[start + crumbs]):
            start += crumbs + 1
        else:
            break
    return lines[start:]


class _Headlines:
    """The page's versions of its headline, to know a line that repeats one."""

    def __init__(self, headlines: Sequence[str | None]) -> None:
        self.keys = {line_key(h) for h in headlines if h}
        # in a script that spaces its words: a Chinese wire story opens with its dateline and the
        # headline run together ("新华社北京4月24日电 题：<headline>"), and that line is the story's
        self.squashed = {(squashed, bool(_ENDS_SENTENCE.search(h))) for h in headlines
                         if h and h.count(" ") >= _HEADLINE_MIN_SPACES
                         and len(squashed := alnum_key(h)) >= _HEADLINE_MIN_SQUASHED}

    def is_repeated(self, line: str) -> bool:
        """The line is a headline, alone or behind a kicker."""
        if len(line) > _LINE_MAX_CHARS:
            return False
        if line_key(line) in self.keys:
            return True
        squashed = alnum_key(line)
        return any(squashed.endswith(h) and _is_kicker_before(line, len(squashed) - len(h))
                   and (stops or not _ENDS_SENTENCE.search(line)) for h, stops in self.squashed)


def _is_kicker_before(line: str, letters: int) -> bool:
    """Whether the line's first `letters` letters and digits (as _squashed counts them) are a kicker
    set before the headline that follows them."""
    counted, end = 0, 0
    while counted < letters and end < len(line):
        counted += len(alnum_key(line[end]))
        end += 1
    start = end
    while start < len(line) and not alnum_key(line[start]):
        start += 1
    prefix, separator = line[:end], line[end:start]
    if not _SEPARATOR.match(separator) or _SENTENCE_PUNCTUATION.search(_DATE_PUNCTUATION.sub("", prefix)):
        return False
    return len(prefix) <= _KICKER_MAX_CHARS and len(prefix.split()) <= _KICKER_MAX_WORDS


def _breadcrumb_items(lines: Sequence[str], start: int) -> int:
    """How many lines from `start` are a breadcrumb trail: list items of a few words each, two or more."""
    n = start
    while n < len(lines) and LIST_ITEM.match(lines[n]) and _is_kicker(LIST_ITEM.sub("", lines[n])):
        n += 1
    return n - start if n - start >= _BREADCRUMB_MIN_ITEMS else 0


def _is_kicker(line: str) -> bool:
    """A topic label set above a headline: a few words that end no sentence."""
    return len(line) <= _KICKER_MAX_CHARS and len(line.split()) <= _KICKER_MAX_WORDS and not _SENTENCE_STOP.search(line)
