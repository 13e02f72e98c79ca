"""Teasers set in the article as paragraphs of their own: one link to another story of the site;
and photo captions.

Sites break up their articles with links to their other stories, each a paragraph or a heading that
holds nothing but the link ("<p><strong><a href="/politics/other-story">SENATE PASSES BILL</a></strong></p>"),
or the link behind a short label in the site's language ("Lesetipp: <a>...</a>", "Le puede interesar:
<a>...</a>", "FUNDA OLUNYE UDABA LAPHA | <a>...</a>"). In the extracted text such a line reads like a
subheading, and no phrase list covers every language's label; the markup tells them apart. A sentence
of the article that links a few of its words has text outside the link; a link to another site is a
source, not a teaser; a label is a few words ending like one (a colon, a bar, a guillemet, a dash).

Photo captions are told by their markup too: a line of the text that is a <figcaption> of the page
(short: some listicles set each item's text as its picture's caption) says what a picture shows.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from pipelines.extract.line_keys import line_key

# the tags a theme wraps a link in inside its paragraph: the paragraph holds nothing else
_INLINE = frozenset({"strong", "b", "em", "i", "span", "u", "font", "mark", "small", "big"})
_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6"})
_MIN_LINK_WORDS = 3
# "Lesetipp:", "Mehr dazu lesen Sie hier:", "READ MORE |", "Related »", "See also –"
_LABEL = re.compile(r"^[^.!?]{1,60}(?:[:|»>]|\s[–—-])$")
_LABEL_MAX_WORDS = 5


def linked_teaser_texts(tree: HtmlElement, url: str) -> set[str]:
    """The texts (as `line_key` spells them) of paragraphs and headings that are one link to another
    page of the same site, alone or after a short label."""
    fetched = urlsplit(url)
    host = (fetched.hostname or "").removeprefix("www.")
    found: set[str] = set()
    block_texts: dict[HtmlElement, str] = {}  # a paragraph of many links is read once
    for link in tree.iter("a"):
        href = link.get("href")
        block = link.getparent()
        while block is not None and block.tag in _INLINE:
            block = block.getparent()
        if not href or block is None or block.tag not in _BLOCKS:
            continue
        text = " ".join(link.text_content().split())
        if len(text.split()) < _MIN_LINK_WORDS:
            continue
        try:
            target = urlsplit(urljoin(url, href))
        except ValueError:  # an ill-formed address ("http://[name]/") links nowhere
            continue
        if (target.hostname or "").removeprefix("www.") != host or target.path in ("", "/", fetched.path):
            continue
        block_text = block_texts.get(block)
        if block_text is None:
            block_text = block_texts[block] = " ".join(block.text_content().split())
        label = block_text[: -len(text)].strip() if block_text.endswith(text) else None
        if label == "" or (label and len(label.split()) <= _LABEL_MAX_WORDS and _LABEL.match(label)):
            found.add(line_key(block_text))
    return found


# --- captions ------------------------------------------------------------------------------------

# A caption of this length is a photo's; longer figcaptions are how some listicles set their items
_CAPTION_MAX_CHARS = 150


def caption_texts(tree: HtmlElement) -> set[str]:
    """The texts (as `line_key` spells them) of the page's figure captions and of their parts (the
    caption and the credit, often in elements of their own): photo captions of galleries and
    inline images, which trafilatura writes out as lines of the text."""
    found: set[str] = set()
    for caption in tree.iter("figcaption"):
        for part in caption.iter(etree.Element):  # not its comments, which have no text_content
            text = " ".join(part.text_content().split())
            if text and len(text) <= _CAPTION_MAX_CHARS:
                found.add(line_key(text))
    return found
