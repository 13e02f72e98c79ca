"""The schema.org objects a page declares in its JSON-LD scripts, flattened: each script's objects,
its @graph's and its mainEntity's, in document order; a script that is not JSON is passed over. And a
text the objects declare (an articleBody) read as lines, without the markup some CMSs leave in it."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

# a "\ud83d" escape: a text cut in the middle of an emoji leaves half of its pair, which json.loads
# turns into a lone surrogate that no UTF-8 writer takes (the record could not be written)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_WRAPPER = re.compile(r"^(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)$")
_MARKUP = re.compile(r"<[a-zA-Z/!][^>]*>")
# where a text's markup breaks a line: its paragraphs, list items, headings and <br>s
_LINE_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|section)\s*>", re.IGNORECASE)


def jsonld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every object of the page's JSON-LD scripts, flattened (see the module docstring)."""
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        raw = script.text.strip()
        # CMSs wrap JSON-LD in CDATA (behind a script comment, "//<![CDATA[", too) or HTML comments, and
        # often leave a trailing semicolon
        raw = _WRAPPER.sub("", raw).strip().rstrip(";")
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):  # not JSON; nested past the parser's depth
            continue
        if _SURROGATE_ESCAPE.search(raw):
            data = _repaired(data)
        yield from _walk(data)


def _repaired(data: Any) -> Any:
    """The data without the lone surrogates in its strings (json.loads has joined every whole pair)."""
    if isinstance(data, str):
        return _LONE_SURROGATE.sub("", data)
    if isinstance(data, list):
        return [_repaired(item) for item in data]
    if isinstance(data, dict):
        return {key: _repaired(value) for key, value in data.items()}
    return data


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk(data["@graph"])
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk(main)


def jsonld_types(obj: dict[str, Any]) -> set[str]:
    """An object's types, lower case, without a vocabulary's address ("https://schema.org/NewsArticle")."""
    types = obj.get("@type")
    if isinstance(types, str):
        types = [types]
    return {t.lower().rsplit("/", 1)[-1] for t in types or [] if isinstance(t, str)}


def jsonld_text(value: Any) -> str:
    """A JSON-LD text (an articleBody) as lines, without the markup some CMSs leave in it."""
    if not isinstance(value, str):
        return ""
    if _MARKUP.search(value):
        try:
            value = lxml.html.fragment_fromstring(_LINE_BREAK.sub("\n", value), create_parent="div").text_content()
        except (etree.ParserError, ValueError):
            value = _MARKUP.sub(" ", value)
    elif "&" in value:
        value = html.unescape(value)
    return unicodedata.normalize("NFC", value).strip()
