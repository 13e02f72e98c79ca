"""A source's extraction rules (`[sources.extract]`) applied to a parsed page: subtrees pruned, the
body, title, authors and date read where the site writes them.

The expressions were compiled and tried when the config was loaded (options.check_xpath); an
expression that matches nothing on a page leaves the generic extractor's answer in place, so a
redesigned site degrades to the generic extraction instead of to empty records.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any

from htmldate.extractors import try_date_expr
from lxml import etree, html

from pipelines.extract.publication_time import parse_time

_SPACE = re.compile(r"\s+")
_EARLIEST = datetime(1995, 1, 1)


@functools.lru_cache(maxsize=256)
def _compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression)


def _matches(tree: Any, expression: str) -> list[Any]:
    try:
        found = _compiled(expression)(tree)
    except etree.XPathError:  # valid, but not on this page (a function given a node-set, ...)
        return []
    return found if isinstance(found, list) else [found]


def prune(tree: Any, expressions: tuple[str, ...]) -> int:
    """Remove every element the expressions match, keeping the text that follows each (its tail);
    returns how many were removed."""
    removed = 0
    for expression in expressions:
        for element in _matches(tree, expression):
            if not isinstance(element, etree._Element) or element.getparent() is None:
                continue
            _drop_keeping_tail(element)
            removed += 1
    return removed


def _drop_keeping_tail(element: Any) -> None:
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def texts(tree: Any, expression: str) -> list[str]:
    """The non-empty texts the expression selects: strings as they are (an attribute, text()), an
    element's whole text; whitespace collapsed."""
    found = []
    for match in _matches(tree, expression):
        if isinstance(match, etree._Element):
            value = match.text_content() if hasattr(match, "text_content") else "".join(match.itertext())
        elif isinstance(match, str | bytes):
            value = match.decode() if isinstance(match, bytes) else str(match)
        else:  # a number or a boolean: an expression that computes, not one that selects
            continue
        value = _SPACE.sub(" ", value).strip()
        if value:
            found.append(value)
    return found


def first_text(tree: Any, expression: str) -> str | None:
    found = texts(tree, expression)
    return found[0] if found else None


def body_page(tree: Any, expression: str) -> Any | None:
    """A page holding only the elements the expression selects (copies, in document order), for
    trafilatura to take the text from; None when it selects no element."""
    elements = [m for m in _matches(tree, expression) if isinstance(m, etree._Element)]
    if not elements:
        return None
    page = html.Element("html")
    body = etree.SubElement(page, "body")
    for element in elements:
        copy = html.fromstring(etree.tostring(element, encoding="unicode", with_tail=False))
        body.append(copy)
    return page


def rule_date(tree: Any, expression: str) -> str | None:
    """The publication time the expression finds: an ISO or RFC 2822 time as written (with its
    offset), else the day htmldate reads in the text ("12 March 2025", "12.03.2025")."""
    for value in texts(tree, expression):
        parsed = parse_time(value)
        if parsed is not None:
            return parsed.isoformat()
        day = try_date_expr(value, "%Y-%m-%d", True, _EARLIEST, datetime.now())
        if day:
            return day
    return None
