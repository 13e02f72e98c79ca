"""trafilatura's author selectors (`trafilatura.xpaths.AUTHOR_XPATHS` and `AUTHOR_DISCARD_XPATHS`),
evaluated in one walk over the tree in Python.

The XPaths test class and id names with EXSLT regular expressions (`re:test`), which lxml evaluates
by calling back into Python for every element: the five of them take about 9 ms on an average
corpus page. The same tests on each element's attributes in one Python walk take about 2.5 ms and
select the same elements in the same order (tests/test_library_metadata.py checks this on every
corpus page, and holds the XPaths' text to the one translated here, so a trafilatura release that
changes a selector fails the tests).

Each test depends on the element's own tag and attributes only (but `rel='me'`, a child element's
text), so pruning the discarded elements changes which elements are selected only by removing them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

# the XPaths translated here, whitespace collapsed (tests/test_library_metadata.py compares them)
TRANSLATED_DISCARD = (
    ".//*[self::a or self::div or self::section or self::span][ @id='comments' or @class='comments' or "
    "@class='title' or @class='date' or re:test(@id, '^comments|comment-?list|ProductReviews') or "
    "re:test(@class, '^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    "article-(?:share|support)|print|category|meta-date|meta-reviewer') or contains(@data-component, 'Figure')]",
    "//time|//figure",
)
TRANSLATED_AUTHOR = (
    "//*[self::a or self::address or self::div or self::link or self::p or self::span or self::strong][ "
    "@rel='author' or @id='author' or @class='author' or @itemprop='author name' or rel='me' or "
    "@data-testid='AuthorCard' or @data-testid='AuthorURL' or re:test(@class, 'author-?name|AuthorName|authorName')]"
    "|//author",
    "//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][ @class='byline' or "
    "@class='username' or @class='byl' or @class='BBL' or contains(@itemprop, 'author') or "
    "re:test(@id, 'author|zuozhe|bianji|xiaobian') or re:test(@class, 'author|channel-name|zuozhe|bianji|"
    "xiaobian|submitted-by|posted-by|journalist-name')]",
    "//*[ contains(@data-component, 'Byline') or contains(@itemprop, 'author') or re:test(@id, '[Aa]uthor') or "
    "re:test(@class, '[Aa]uthor|screenname|writer|[Bb]yline')]",
)

_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_CLASSES = frozenset({"comments", "title", "date"})
_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
                            r"article-(?:share|support)|print|category|meta-date|meta-reviewer")
_SPECIFIC_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_SPECIFIC_TEST_IDS = frozenset({"AuthorCard", "AuthorURL"})
_SPECIFIC_CLASS = re.compile(r"author-?name|AuthorName|authorName")
_GENERIC_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_GENERIC_CLASSES = frozenset({"byline", "username", "byl", "BBL"})
_GENERIC_ID = re.compile(r"author|zuozhe|bianji|xiaobian")
_GENERIC_CLASS = re.compile(r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_ANY_ID = re.compile(r"[Aa]uthor")
_ANY_CLASS = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")


@dataclass
class AuthorSelection:
    """What the selectors select in a tree, in document order."""

    discarded: list[HtmlElement] = field(default_factory=list)  # both discard XPaths' elements
    # per author XPath, in trafilatura's order
    selected: tuple[list[HtmlElement], ...] = field(default_factory=lambda: ([], [], []))

    def kept(self) -> list[list[HtmlElement]]:
        """Per author XPath, what it selects in the tree pruned of the discarded elements."""
        gone = set(self.discarded)
        return [[e for e in found if e not in gone and not any(a in gone for a in e.iterancestors())]
                for found in self.selected]


def select(tree: HtmlElement) -> AuthorSelection:
    """The elements of `tree` (its root and everything under it) each selector selects."""
    selection = AuthorSelection()
    discarded = selection.discarded
    specific, generic, anywhere = selection.selected
    for element in tree.iter(etree.Element):
        tag = element.tag
        get = element.get
        classes, ident, itemprop, component = get("class"), get("id"), get("itemprop"), get("data-component")
        if tag in _DISCARD_TAGS:
            if ident == "comments" or classes in _DISCARD_CLASSES or (ident is not None and _DISCARD_ID.search(ident)) or (
                    classes is not None and _DISCARD_CLASS.search(classes)) or (component is not None and "Figure" in component):
                discarded.append(element)
        elif tag in ("time", "figure"):
            discarded.append(element)
        if tag == "author" or (tag in _SPECIFIC_TAGS and (
                get("rel") == "author" or ident == "author" or classes == "author" or itemprop == "author name"
                or get("data-testid") in _SPECIFIC_TEST_IDS or (classes is not None and _SPECIFIC_CLASS.search(classes))
                or any(child.xpath("string()") == "me" for child in element.iterchildren("rel")))):
            specific.append(element)
        if tag in _GENERIC_TAGS and (classes in _GENERIC_CLASSES or (itemprop is not None and "author" in itemprop) or (
                ident is not None and _GENERIC_ID.search(ident)) or (classes is not None and _GENERIC_CLASS.search(classes))):
            generic.append(element)
        if (component is not None and "Byline" in component) or (itemprop is not None and "author" in itemprop) or (
                ident is not None and _ANY_ID.search(ident)) or (classes is not None and _ANY_CLASS.search(classes)):
            anywhere.append(element)
    return selection
