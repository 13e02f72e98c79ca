"""Lists of other stories in the page, found by their markup before trafilatura prunes the tree.

A list whose every item is one link to another page of the same site is a "related", "most read" or
"more from the section" box, whatever its class names say; its items' texts never reach the record's
text (text_cleanup.clean_lines takes them as `story_links`), nor does the heading boxed with the
list ("Interessante Links"; a section's heading over a list and then the section's paragraphs is the
article's). A teaser card's picture and headline link the same story, a kicker may stand before the
link and a dek after it. A list of sources links elsewhere, a list of facts has text outside its
links: both stay.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlElement

from pipelines.extract.element_text import element_text
from pipelines.extract.line_keys import line_key
from pipelines.extract.site_notices import AD_WORDS
from pipelines.extract.site_paths import SitePaths

_STORY_LIST_MIN_ITEMS = 3
# two items are a list of other stories when both read as headlines ("Read More": two linked headlines)
_HEADLINE_PAIR_ITEMS = 2
_HEADLINE_PAIR_MIN_WORDS = 5
_LINK_SHARE = 0.8
# an ad slot among the items: a script, a frame or an ad's element holding no link, or the ad's label alone
_AD_SLOT_LABEL = re.compile(rf"^(?:{AD_WORDS})\W*\d*\W*$", re.IGNORECASE)
_AD_SLOT_ELEMENTS = etree.XPath(".//script | .//iframe | .//ins")


# a teaser card's linked headline is at least this share of its text, the dek the rest
_DEK_SHARE = 0.25
# a kicker before the linked headline: a label, not a sentence ("Politik:", "KI in der Schule?", "Crónica")
_KICKER = re.compile(r"^[^.!]{1,60}$")


def _kicker_before(text: str, link_text: str) -> bool:
    return bool(link_text) and text.endswith(link_text) and bool(_KICKER.match(text[: -len(link_text)].strip()))


def _headline_then_dek(text: str, link_text: str) -> bool:
    """A teaser card: the linked headline (three words or more) first, then a line of its own (the dek)."""
    return len(link_text.split()) >= 3 and text.startswith(link_text) and len(link_text) >= _DEK_SHARE * len(text)



# a list's heading: a heading element, or a paragraph of a label's few words, not a sentence
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_BOLD_TAGS = frozenset({"strong", "b"})
_LABEL_TAGS = frozenset({"p", "div", "span"}) | _BOLD_TAGS
_HEADING_MAX_WORDS = 12
# a paragraph as a label: a few words, or set in bold as a whole ("He called the deal “a betrayal”" is a
# sentence without its full stop)
_LABEL_MAX_WORDS = 4
_BOLD_LABEL_MAX_WORDS = 8
# a sentence, or a lead-in closing with its colon ("Lesen Sie dazu auch die Pressemitteilungen:"), which
# the reference texts keep as the article's own words
_SENTENCE_END = (".", "!", "?", ":", "…")
_CLOSING_MARKS = "\"'”’»«“)]"


class StoryLists(NamedTuple):
    """What the page's lists of other stories put in the text: their items' texts, and their headings'
    (each with its list's items)."""

    items: set[str]
    headings: dict[str, frozenset[str]]


def _has_text(element: HtmlElement) -> bool:
    return isinstance(element.tag, str) and bool(element_text(element).strip())


def _bold_as_a_whole(element: HtmlElement) -> bool:
    """"<p><strong>More from the region</strong></p>": the element's text is one bold child's."""
    return (len(element) == 1 and element[0].tag in _BOLD_TAGS and not (element.text or "").strip()
            and not (element[0].tail or "").strip())


def _heading_before(lst: HtmlElement) -> str | None:
    """The key of the heading set right before the list (or before the box that holds only the list),
    with no text between them, where the two close their container: nothing with text follows the
    list in it. A section's heading followed by a list and then the section's paragraphs is the
    article's ("Why it matters", three links, "The first report ..."). None where there is none."""
    element = lst
    previous = element.getprevious()
    if previous is None and (parent := element.getparent()) is not None and not (parent.text or "").strip():
        element, previous = parent, parent.getprevious()
    if previous is None or not isinstance(previous.tag, str) or (previous.tail or "").strip():
        return None
    if previous.tag not in _HEADING_TAGS and previous.tag not in _LABEL_TAGS:
        return None
    if any(_has_text(after) or (after.tail or "").strip() for after in element.itersiblings()):
        return None
    text = " ".join(element_text(previous).split())
    if previous.tag in _HEADING_TAGS:
        most = _HEADING_MAX_WORDS
    elif previous.tag in _BOLD_TAGS or _bold_as_a_whole(previous):
        most = _BOLD_LABEL_MAX_WORDS
    else:
        most = _LABEL_MAX_WORDS
    if not text or len(text.split()) > most or text.rstrip(_CLOSING_MARKS).endswith(_SENTENCE_END) or "://" in text:
        return None
    # a paragraph is a heading only when it is one short label (a box's title, not a line of the story)
    if previous.tag in _LABEL_TAGS and len(previous) > 1:
        return None
    return line_key(text)


def _item_texts(item: HtmlElement, links: list[HtmlElement]) -> tuple[str, str]:
    """The item's text and its links', spaces collapsed. Most items are one link with nothing but text
    around it: the item's text is the link's with that text, not read from the tree a second time."""
    if len(links) == 1 and len(item) == 1 and (link := links[0]).getparent() is item:
        link_text = element_text(link)
        return " ".join(((item.text or "") + link_text + (link.tail or "")).split()), " ".join(link_text.split())
    text = " ".join(element_text(item).split())
    return text, " ".join(" ".join(element_text(link).split()) for link in links).strip()


def story_lists(tree: HtmlElement, site: SitePaths) -> StoryLists:
    """The texts of list items that are each one link to another page of the same site (a teaser
    card's picture and headline link the same page; a kicker may stand before the link, a dek after
    it), in lists of at least three such items and nothing else: related stories, most read, more
    from the section; or of two, each a headline. A list of sources links elsewhere; a list of facts has
    text outside its links. And the headings boxed with such lists, each with its list's items.
    `site`: the page's address and its links' paths, shared with linked_teaser_texts."""
    found: set[str] = set()
    headings: dict[str, frozenset[str]] = {}
    for lst in tree.iter("ul", "ol"):
        items = list(lst.iterchildren("li"))
        if len(items) < _HEADLINE_PAIR_ITEMS:
            continue
        texts, link_texts = [], []
        for li in items:
            # the cheap tests on its links first: most lists that are no story list fail them at their first item
            links = list(li.iter("a"))
            if not links:
                if _AD_SLOT_ELEMENTS(li) or _AD_SLOT_LABEL.match(" ".join(element_text(li).split())):
                    continue
                break
            # a teaser card links its picture and its headline to the same story
            href = links[0].get("href")
            if len(links) > 1 and any(link.get("href") != href for link in links[1:]):
                break
            if site.of(href or "") in (None, "", "/"):
                break
            text, link_text = _item_texts(li, links)
            if not text:
                break
            if len(link_text) < _LINK_SHARE * len(text) and not _kicker_before(text, link_text) \
                    and not _headline_then_dek(text, link_text):
                break
            texts.append(text)
            link_texts.append(link_text)
        else:
            if len(texts) >= _STORY_LIST_MIN_ITEMS or (len(texts) == _HEADLINE_PAIR_ITEMS and all(
                    len(link_text.split()) >= _HEADLINE_PAIR_MIN_WORDS for link_text in link_texts)):
                keys = [line_key(text) for text in texts]  # keyed only once the list is one
                found.update(keys)
                if (heading := _heading_before(lst)) is not None:
                    headings[heading] = frozenset(keys)
    return StoryLists(found, headings)
