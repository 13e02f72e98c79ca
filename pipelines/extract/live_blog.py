"""A live blog's posts that the page shows and trafilatura's text lacks, from the page's JSON-LD.

A live blog lists its posts in schema.org ``LiveBlogPosting.liveBlogUpdate``
(https://schema.org/LiveBlogPosting). trafilatura picks one container of the page as the article;
on a live blog that is sometimes the introduction, and the posts shown below it, under other
markup, are lost. A post whose text the page shows and the extracted text lacks is added from the
JSON-LD, in its order. Posts the JSON-LD lists but the page does not show (a blog's older pages,
hundreds of them on some sites) are not this page's and stay out.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from pipelines.extract.jsonld import jsonld_types

# fewer listed posts are a page's related items, not a blog
_MIN_POSTS = 3
# the start of a post's text, enough to find it in the page's text
_KEY_CHARS = 60
_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]")
_MARKUP = re.compile(r"<[a-zA-Z/][^>]*>")


def _plain(value: Any) -> str:
    """A JSON-LD text, without the markup some CMSs leave in articleBody."""
    if not isinstance(value, str):
        return ""
    if _MARKUP.search(value):
        try:
            value = lxml.html.fragment_fromstring(value, create_parent="div").text_content()
        except (etree.ParserError, ValueError):
            value = _MARKUP.sub(" ", value)
    elif "&" in value:
        value = html.unescape(value)
    return unicodedata.normalize("NFC", value).strip()


def _key(text: str) -> str:
    return " ".join(text.split())[:_KEY_CHARS].casefold()


def _posts(objects: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(headline, body) of each post the page's first live blog lists."""
    for obj in objects:
        if "liveblogposting" not in jsonld_types(obj):
            continue
        updates = obj.get("liveBlogUpdate")
        updates = updates if isinstance(updates, list) else [updates]
        return [(_plain(u.get("headline")), body) for u in updates
                if isinstance(u, dict) and (body := _plain(u.get("articleBody")))]
    return []


def shown_posts(objects: Iterable[dict[str, Any]], tree: HtmlElement) -> list[tuple[str, str]]:
    """(headline, text) of each post of the page's live blog whose text the page shows."""
    posts = _posts(objects)
    if len(posts) < _MIN_POSTS:
        return []
    # inline markup splits a sentence into text nodes: joined as they stand, spaces and all
    visible = " ".join("".join(_VISIBLE_TEXT(tree)).split()).casefold()
    return [(headline, body) for headline, body in posts if _key(body) in visible]


def missed_lines(posts: Iterable[tuple[str, str]], text: str) -> list[str]:
    """The lines of the posts the text lacks: each one's headline, unless its text begins with it,
    then its paragraphs."""
    have = " ".join(text.split()).casefold()
    lines: list[str] = []
    for headline, body in posts:
        if _key(body) in have:
            continue
        if headline and not _key(body).startswith(_key(headline)):
            lines.append(headline)
        lines.extend(paragraph for paragraph in body.splitlines() if paragraph.strip())
    return lines
