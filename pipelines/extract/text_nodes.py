"""The page's text pieces just after or just before an element, nearest first, walked in Python.

These are XPath's `following::text()[normalize-space()][position() <= n]` and its `preceding::`
counterpart, for the few pieces around a headline. libxml2 builds those axes' whole node-sets (every
text node after the headline, every one before it) before taking the first few: 0.2 ms a page. Walking
from the element outwards stops at the n-th piece.

Each piece comes with the element that holds it, as lxml's smart strings' `getparent()` gives it: the
element whose text it is, or the element whose tail it is (and which of the two, as their `is_tail`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from lxml.html import HtmlElement

_XML_SPACE = " \t\n\r"  # what XPath's normalize-space() strips


class Piece(NamedTuple):
    text: str
    holder: HtmlElement  # the element whose text or tail it is
    is_tail: bool

    def stands_in(self) -> HtmlElement | None:
        """The element the piece stands in: its holder for its text, the holder's parent for its tail."""
        return self.holder.getparent() if self.is_tail else self.holder


def texts_after(element: HtmlElement, count: int, max_chars: int | None = None) -> list[Piece]:
    """The first `count` non-blank text pieces after the element's end, in document order; with
    `max_chars`, of those shorter than it (XPath's `[string-length(.) < max_chars]` before the position)."""
    return _first_non_blank(_following(element), count, max_chars)


def texts_before(element: HtmlElement, count: int, max_chars: int | None = None) -> list[Piece]:
    """The last `count` non-blank text pieces before the element's start, nearest first (an enclosing
    element's text before its first child among them, as in XPath's preceding axis); `max_chars` as
    texts_after's."""
    return _first_non_blank(_preceding(element), count, max_chars)


def _first_non_blank(pieces: Iterator[Piece], count: int, max_chars: int | None) -> list[Piece]:
    found: list[Piece] = []
    for piece in pieces:
        if (max_chars is None or len(piece.text) < max_chars) and piece.text.strip(_XML_SPACE):
            found.append(piece)
            if len(found) == count:
                break
    return found


def _following(element: HtmlElement) -> Iterator[Piece]:
    node: HtmlElement | None = element
    while node is not None:
        if node.tail:
            yield Piece(node.tail, node, True)
        for sibling in node.itersiblings():
            yield from _subtree(sibling)
        node = node.getparent()


def _preceding(element: HtmlElement) -> Iterator[Piece]:
    node = element
    while True:
        for sibling in node.itersiblings(preceding=True):
            yield from _subtree_backwards(sibling)
        parent = node.getparent()
        if parent is None:
            return
        if parent.text:
            yield Piece(parent.text, parent, False)
        node = parent


def _subtree(top: HtmlElement) -> Iterator[Piece]:
    """The text pieces of `top` and its descendants, then its tail, in document order (a comment's or
    processing instruction's own text is no text node; its tail is). A stack, not recursion: some
    pages nest thousands deep. (etree.iterwalk would pass over comments, and their tails with them.)"""
    stack: list[tuple[HtmlElement, bool]] = [(top, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node.tail:
                yield Piece(node.tail, node, True)
            continue
        if node.text and isinstance(node.tag, str):
            yield Piece(node.text, node, False)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))


def _subtree_backwards(top: HtmlElement) -> Iterator[Piece]:
    """_subtree(top) from its end: the tail first, the children last to first, the element's own text
    last. (A walk of its own, not the forward list reversed: the page's header before a headline is a
    large subtree, of which only the last pieces are wanted.)"""
    stack: list[tuple[HtmlElement, bool]] = [(top, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            if node.text and isinstance(node.tag, str):
                yield Piece(node.text, node, False)
            continue
        if node.tail:
            yield Piece(node.tail, node, True)
        stack.append((node, True))
        stack.extend((child, False) for child in node)  # popped last child first
