"""A live blog's posts that the page shows and trafilatura's text lacks, from the page's JSON-LD.

A live blog lists its posts in schema.org ``LiveBlogPosting.liveBlogUpdate``
(https://schema.org/LiveBlogPosting). trafilatura picks one container of the page as the article;
on a live blog that is sometimes the introduction, and the posts shown below it, under other
markup, are lost. A post whose text the page shows and the extracted text lacks is added from the
JSON-LD, after the extracted text, in the JSON-LD's order.

Only the page's own live blog counts: the LiveBlogPosting whose address is the page's, or whose
headline is its title (a ticker of another story in the page's sidebar declares its own). Posts the
JSON-LD lists but the page does not show (a blog's older pages, hundreds of them on some sites) are
not this page's, and stay out; so does text the page hides (a <template>, a hidden element).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from core.record import canonicalize_url
from pipelines.extract.jsonld import jsonld_text, jsonld_types
from pipelines.extract.line_keys import alnum_key

Post = tuple[str, str]  # (headline, text)

# the posts looked at: a page shows a few dozen; the JSON-LD of some lists thousands
_MAX_POSTS = 300
# the start of a post's text, without spaces, enough to find it in the page's text
_KEY_CHARS = 60
_VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
    " or ancestor::*[@hidden] or ancestor::*[@aria-hidden='true'])]")


def _squeezed(text: str) -> str:
    """The text without spaces, casefolded: the page and the JSON-LD space and break lines differently."""
    return "".join(text.split()).casefold()


def _key(text: str) -> str:
    """A post's start, as _squeezed spells it."""
    return _squeezed(text)[:_KEY_CHARS]


def _addresses(value: Any) -> Iterable[str]:
    """The addresses a JSON-LD object gives itself: url, @id, mainEntityOfPage (a string or an object)."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from (v for v in (item.get("@id"), item.get("url")) if isinstance(v, str))


def _address_key(address: str | None) -> str | None:
    """The address as the page's and the blog's are compared: canonical, no trailing slash; None when
    it is no absolute http(s) address."""
    if not address:
        return None
    try:
        return canonicalize_url(address).rstrip("/")  # (canonicalize_url drops the fragment)
    except ValueError:
        return None


def _own_blog(objects: Iterable[dict[str, Any]], page_urls: Sequence[str | None],
              titles: Sequence[str | None]) -> dict[str, Any] | None:
    """The page's own LiveBlogPosting: at the page's address, or headed with the page's title."""
    page = {key for key in map(_address_key, page_urls) if key}
    title_keys = {alnum_key(t) for t in titles if t}
    for obj in objects:
        if "liveblogposting" not in jsonld_types(obj):
            continue
        addresses = [*_addresses(obj.get("url")), *_addresses(obj.get("@id")), *_addresses(obj.get("mainEntityOfPage"))]
        headline = obj.get("headline")
        if any(_address_key(a) in page for a in addresses) or (isinstance(headline, str) and alnum_key(headline) in title_keys):
            return obj
    return None


def _posts(blog: dict[str, Any]) -> list[Post]:
    updates = blog.get("liveBlogUpdate")
    updates = updates if isinstance(updates, list) else [updates]
    return [(jsonld_text(update.get("headline")), body) for update in updates[:_MAX_POSTS]
            if isinstance(update, dict) and (body := jsonld_text(update.get("articleBody")))]


def missed_lines(objects: Iterable[dict[str, Any]], tree: HtmlElement, text: str, *,
                 page_urls: Sequence[str | None], titles: Sequence[str | None]) -> list[str]:
    """The lines of the page's live blog's posts that the page shows and `text` lacks: each post's
    headline, unless its text begins with it, then its paragraphs. The page's visible text is read
    only when a post is missing from `text`."""
    blog = _own_blog(objects, page_urls, titles)
    if blog is None:
        return []
    have = _squeezed(text)
    missing: dict[str, Post] = {}
    for headline, body in _posts(blog):
        key = _key(body)
        if key and key not in have:
            missing.setdefault(key, (headline, body))  # a post the JSON-LD lists twice is added once
    if not missing:
        return []
    visible = _squeezed("".join(_VISIBLE_TEXT(tree)))
    lines: list[str] = []
    for key, (headline, body) in missing.items():
        if key not in visible:
            continue
        if headline and not key.startswith(_key(headline)):
            lines.append(headline)
        lines.extend(paragraph for paragraph in body.splitlines() if paragraph.strip())
    return lines
