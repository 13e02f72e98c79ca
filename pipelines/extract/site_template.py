"""A source's template, learned from its own articles: the short blocks its pages repeat.

No per-page extractor can tell a site's newsletter box or author bio box from a paragraph when the
theme gives them neutral class names and puts them inside the article container. newsvault sees
every article of the source, though, and those boxes are the same text on page after page, while
the articles are not.

The same counts find the site's name in its titles when the page does not declare it (no
og:site_name, a host that says something else): the outer segments of each article's titles
("Headline | Morning Ledger") are counted as blocks too (`affix_key`), and a segment that recurs the
way a box does is the site's, cut from the titles and never taken for an author.

So each article's short blocks (lines of the extracted text up to BLOCK_MAX_CHARS, normalised: case
and spaces folded, and digits too in the shortest, so "3 min read" and "5 min read" are one block)
are counted per source, once per article (its canonical URL: a live blog refetched ten times, or an
updated story, counts once). A block is the template's when
- at least MIN_ARTICLES distinct articles held it, and
- it was in at least MIN_SHARE of the source's articles since it first appeared (a sentence quoted
  by four stories out of hundreds is not; a box on every page since the redesign is);
and then it never reaches `text`. A page that the learned blocks would strip of more than half of
its text keeps it all: that is a page of a series or a re-run, not a template.

The memory is bounded (MAX_BLOCKS blocks, MAX_TEXTS text keys per source), kept in the state store
between runs (SQLite or Redis: `load_template` / `save_template`), and used by the extraction
workers as a plain set of block keys.
"""

from __future__ import annotations

import hashlib
import logging
import re
import struct
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

logger = logging.getLogger(__name__)

# a sign-up box or a bio box is a paragraph of up to a few sentences; an article's paragraph may be
# as short, which the share rule tells apart
BLOCK_MAX_CHARS = 400
FOLD_DIGITS_MAX_CHARS = 80
MIN_ARTICLES = 4
MIN_SHARE = 0.25
MAX_BLOCKS = 4000
MAX_TEXTS = 4000
KEEP_AT_LEAST = 0.5

_DIGITS = re.compile(r"\d+")
_FORMAT = b"NVT1"


def block_key(line: str) -> int:
    """The block's 64-bit key, the same however its case and spacing (and, short, its digits) vary."""
    text = " ".join(unicodedata.normalize("NFKC", line).casefold().split())
    if len(text) <= FOLD_DIGITS_MAX_CHARS:
        text = _DIGITS.sub("0", text)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def affix_key(segment: str) -> int:
    """A title segment's key: counted like a block, never equal to a line of text's."""
    return block_key("§title§ " + segment)


def text_key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def page_blocks(lines: Sequence[str]) -> list[int]:
    """The keys of a page's short blocks, each once."""
    return list(dict.fromkeys(block_key(line) for line in lines if len(line) <= BLOCK_MAX_CHARS))


def without_template(lines: Sequence[str], template: frozenset[int]) -> list[str]:
    """The lines that are not the template's; all of them when it would take most of the text."""
    if not template:
        return list(lines)
    kept = [line for line in lines if len(line) > BLOCK_MAX_CHARS or block_key(line) not in template]
    if sum(map(len, kept)) < KEEP_AT_LEAST * sum(map(len, lines)):
        return list(lines)
    return kept


@dataclass
class SiteTemplate:
    """One source's counts. `articles` numbers the distinct texts observed, oldest first."""

    articles: int = 0
    counts: dict[int, int] = field(default_factory=dict)  # block -> distinct articles holding it
    first: dict[int, int] = field(default_factory=dict)  # block -> `articles` when first seen
    last: dict[int, int] = field(default_factory=dict)  # block -> `articles` when last seen
    texts: dict[int, None] = field(default_factory=dict)  # article keys observed, oldest first

    def observe(self, article: int, blocks: Iterable[int]) -> bool:
        """Count a page's blocks, once per article; whether the article was new."""
        if article in self.texts:
            return False
        self.texts[article] = None
        if len(self.texts) > MAX_TEXTS:
            del self.texts[next(iter(self.texts))]
        self.articles += 1
        for block in blocks:
            self.counts[block] = self.counts.get(block, 0) + 1
            self.first.setdefault(block, self.articles)
            self.last[block] = self.articles
        if len(self.counts) > MAX_BLOCKS:
            self._forget()
        return True

    def _forget(self) -> None:
        """Drop the blocks least likely to matter: seen once, longest ago first."""
        excess = len(self.counts) - int(MAX_BLOCKS * 0.9)
        for block in sorted(self.counts, key=lambda b: (self.counts[b] >= MIN_ARTICLES, self.last[b]))[:excess]:
            del self.counts[block], self.first[block], self.last[block]

    def is_template(self, block: int) -> bool:
        count = self.counts.get(block, 0)
        return count >= MIN_ARTICLES and count >= MIN_SHARE * (self.articles - self.first[block] + 1)

    def blocks(self) -> frozenset[int]:
        """The template: the blocks that recur across the source's articles."""
        return frozenset(block for block in self.counts if self.is_template(block))

    # -- storage ----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        keys = list(self.counts)
        parts = [
            _FORMAT, struct.pack("<III", self.articles, len(keys), len(self.texts)),
            array("Q", keys).tobytes(),
            array("I", (self.counts[k] for k in keys)).tobytes(),
            array("I", (self.first[k] for k in keys)).tobytes(),
            array("I", (self.last[k] for k in keys)).tobytes(),
            array("Q", self.texts).tobytes(),
        ]
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes | None) -> SiteTemplate:
        """The stored template; an empty one for nothing stored, or for bytes it cannot read."""
        if not data or not data.startswith(_FORMAT) or len(data) < 16:
            return cls()
        articles, n_blocks, n_texts = struct.unpack_from("<III", data, 4)
        offset = 16

        def take(code: str, n: int) -> list[int]:
            nonlocal offset
            values = array(code)
            size = values.itemsize * n
            values.frombytes(data[offset:offset + size])
            offset += size
            return values.tolist()

        try:
            keys, counts, first, last = take("Q", n_blocks), take("I", n_blocks), take("I", n_blocks), take("I", n_blocks)
            texts = take("Q", n_texts)
        except ValueError:
            return cls()
        if offset != len(data):
            return cls()
        return cls(articles=articles, counts=dict(zip(keys, counts, strict=True)),
                   first=dict(zip(keys, first, strict=True)), last=dict(zip(keys, last, strict=True)),
                   texts=dict.fromkeys(texts))


class TemplateStore(Protocol):
    """Where templates live between runs: the state store (SQLite or Redis)."""

    def load_template(self, source: str) -> bytes | None: ...

    def save_template(self, source: str, data: bytes) -> None: ...


class SourceTemplates:
    """The templates of one run's sources: each loaded when its first page comes, saved at the end.

    The set of template blocks handed to the workers grows as soon as a page's block becomes the
    template's; it is recomputed whole (blocks whose share fell leave it) every REFRESH new texts.
    """

    REFRESH = 64

    def __init__(self, store: TemplateStore) -> None:
        self.store = store
        self._templates: dict[str, SiteTemplate] = {}
        self._blocks: dict[str, frozenset[int]] = {}
        self._new: dict[str, int] = {}
        self._unreadable: set[str] = set()

    def _template(self, source: str) -> SiteTemplate:
        template = self._templates.get(source)
        if template is None:
            try:
                template = SiteTemplate.from_bytes(self.store.load_template(source))
            except Exception as exc:  # the crawl goes on without; the stored one is not overwritten
                logger.warning("cannot load the template of %s: %s", source, exc)
                template = SiteTemplate()
                self._unreadable.add(source)
            self._templates[source] = template
        return template

    def blocks(self, source: str) -> frozenset[int]:
        cached = self._blocks.get(source)
        if cached is None or self._new.get(source, 0) >= self.REFRESH:
            cached = self._blocks[source] = self._template(source).blocks()
            self._new[source] = 0
        return cached

    def articles(self, source: str) -> int:
        """How many of the source's articles the template has learned from, in this run and before."""
        return self._template(source).articles

    def observe(self, source: str, article: str, blocks: Iterable[int]) -> None:
        """Count the blocks of a page of `source`; `article` names it (its canonical URL)."""
        template, blocks = self._template(source), list(blocks)
        if not template.observe(text_key(article), blocks):
            return
        self._new[source] = self._new.get(source, 0) + 1
        known = self.blocks(source)
        joined = [b for b in blocks if b not in known and template.is_template(b)]
        if joined:
            self._blocks[source] = known | frozenset(joined)

    def save(self) -> None:
        for source, template in self._templates.items():
            if not template.articles or source in self._unreadable:
                continue
            try:
                self.store.save_template(source, template.to_bytes())
            except Exception as exc:  # learning lost for this run, nothing else
                logger.warning("cannot save the template of %s: %s", source, exc)
