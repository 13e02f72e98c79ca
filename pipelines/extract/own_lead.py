"""The story's own lead in a block its CMS classes "teaser".

trafilatura drops every block whose class or id holds "teaser" (TEASER_DISCARD_XPATH): on most pages
those are other stories' teasers. But several CMSs class the story's own lead so: TYPO3's news
extension prints it as `<div class="teaser-text" itemprop="description">`, Bayerischer Rundfunk as
"ArticleModuleTeaser", Nature as "c-article-teaser-text". The page's description tells it from
another story's teaser, for the CMS fills one from the other: a "teaser" block whose text opens as the
description does is the story's lead, and loses the word before trafilatura reads the tree.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

# the elements whose class or id says teaser, found through the attributes (in C: a test of every
# element's attributes in XPath costs twice as much)
_SAY_TEASER = etree.XPath("//@class[contains(., 'easer') or contains(., 'EASER')]/..|//@id[contains(., 'easer')]/..")
_BLOCKS = frozenset({"div", "p", "section", "span"})  # those trafilatura's TEASER_DISCARD_XPATH drops
_OPENING_CHARS = 60  # a description is the lead, often cut short: their openings agree
_STOP = frozenset({"body", "html", "article", "main"})


def keep_own_lead(tree: HtmlElement, description: str | None, page: bytes) -> None:
    """Take "teaser" out of the class and id of the block holding the story's lead (and of the blocks
    around it, up to the story's container), so trafilatura keeps it. `page`: the page's bytes, which
    on most pages never spell the word (a test in C, where the tree's walk would cost half a millisecond)."""
    opening = _opening(description or "")
    if len(opening) < _OPENING_CHARS or not (b"easer" in page or b"EASER" in page):
        return
    for block in _SAY_TEASER(tree):
        if block.tag not in _BLOCKS or _opening(block.text_content()) != opening \
                or next(block.iterancestors("a"), None) is not None:
            continue
        for node in (block, *block.iterancestors()):
            if node.tag in _STOP:
                break
            for attribute in ("class", "id"):
                value = node.get(attribute)
                if value and "teaser" in value.lower():
                    node.set(attribute, " ".join(w for w in value.split() if "teaser" not in w.lower()))
        return


def _opening(text: str) -> str:
    return " ".join(text.split())[:_OPENING_CHARS].casefold()
