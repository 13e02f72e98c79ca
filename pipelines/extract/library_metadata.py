"""trafilatura's metadata of a page, as `bare_extraction(with_metadata=True)` gives it, for less CPU.

`trafilatura.metadata.extract_metadata` costs about 8 ms of CPU an average corpus page, a quarter of
extraction. Two of its steps are half of that:
- the author's fallback, `extract_author`: when neither the meta tags nor the JSON-LD name one, it
  copies the whole tree, prunes it and tries its author selectors (about 6.5 ms on each of the 44% of
  pages that take it). Its answer is the weakest of the record's author signals
  (author_ranking.AuthorSignals), wanted only when none before it names a person in full; and when
  it is, its selectors are evaluated in one Python walk (author_selectors.py), about 4x faster;
- the license (about 0.6 ms), which no record field holds: not looked for.
The categories and tags (`extract_catstags`, about 2.5 ms) are looked for by trafilatura's selectors
only on the quarter of pages with a link whose address names a category or a tag: its selectors
select only links, and it counts only those.

So `library_metadata` takes extract_metadata's other steps itself, in its order, with trafilatura's own
functions (tests/test_hooks.py names them; tests/test_library_metadata.py holds the result to
bare_extraction's on every corpus page), and `fallback_author` gives the fallback when it is wanted.
"""

from __future__ import annotations

import logging
import re
from copy import copy, deepcopy

from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params
from trafilatura.utils import line_processing, trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS

from pipelines.extract.author_selectors import select

_LOG = logging.getLogger(__name__)


def library_metadata(tree: HtmlElement, url: str) -> tuple[Document, bool]:
    """bare_extraction's extract_metadata(tree, url) without the license, and without the author when
    only the fallback would give it; and whether it would (then `fallback_author` gives it)."""
    tree = _as_bare_extraction_sees(tree)
    # the date parameters bare_extraction's Extractor passes (extract_metadata's own default is the same)
    date_config = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as exc:  # noqa: BLE001  (bugs in trafilatura's JSON reader: it logs them and goes on)
        _LOG.warning("error in JSON metadata extraction: %s", exc)
    if not metadata.title:
        metadata.title = extract_title(tree)
    needs_fallback = not metadata.author
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    date_config["url"] = metadata.url
    metadata.date = find_date(tree, **date_config)
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")  # a Twitter handle
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url and (host := META_URL.match(metadata.url)):
        metadata.sitename = host[1]
    if not metadata.categories or not metadata.tags:
        addresses = _TAXONOMY_LINKS(tree)
        if not metadata.categories:
            metadata.categories = (extract_catstags("category", tree) if _links_to("category", addresses)
                                   else _declared_sections(tree))
        if not metadata.tags:
            metadata.tags = extract_catstags("tag", tree) if _links_to("tag", addresses) else []
    metadata.filedate = date_config.get("max_date")
    metadata.clean_and_trim()
    return metadata, needs_fallback


def fallback_author(tree: HtmlElement) -> str | None:
    """The author extract_metadata falls back to (`extract_author`), trimmed as it trims it: the text of
    the first element its selectors select, in the tree pruned of what they discard, of 3 to 119
    characters."""
    for found in select(_as_bare_extraction_sees(tree)).kept():
        for element in found:
            # the element's text as in the pruned tree: a discarded element's tail joins its neighbour's
            content = trim(" ".join(prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS).itertext()))
            if content and 2 < len(content) < _AUTHOR_MAX_CHARS:
                author = Document(author=normalize_authors(None, content))
                author.clean_and_trim()
                return author.author
    return None


_AUTHOR_MAX_CHARS = 120  # extract_author's len_limit

# extract_catstags' selectors (CATEGORIES_XPATHS, TAGS_XPATHS) each end in "//a[@href]", and of what
# they select it keeps the links whose address matches its pattern, "/categor(?:y|ies|s)?/" or
# "/tag(?:y|ies|s)?/": these hold "/categor" or "/tag"
_TAXONOMY_LINKS = etree.XPath("//a[contains(@href, '/categor') or contains(@href, '/tag')]/@href", smart_strings=False)
_DECLARED_SECTIONS = etree.XPath('.//head//meta[@property="article:section" or contains(@name, "subject")][@content]')


def _links_to(metatype: str, addresses: list[str]) -> bool:
    """Whether extract_catstags(metatype, ...) counts one of these links (its pattern, spelled as it does)."""
    pattern = "/" + metatype.rstrip("y") + "(?:y|ies|s)?/"
    return any(re.search(pattern, address) for address in addresses)


def _declared_sections(tree: HtmlElement) -> list[str]:
    """extract_catstags("category", tree) for a page where its selectors count no link: its fallback,
    the sections the <meta> tags declare."""
    found = (element.attrib["content"] for element in _DECLARED_SECTIONS(tree))
    return [r for r in dict.fromkeys(line_processing(x) for x in found if x) if r]


def _as_bare_extraction_sees(tree: HtmlElement) -> HtmlElement:
    """The tree, or bare_extraction's copy of it where they differ: a copy of the root element holds
    none of its element siblings (a second <html> after the first), which XPath's "//" would see."""
    if next(tree.itersiblings(etree.Element), None) is None and next(
            tree.itersiblings(etree.Element, preceding=True), None) is None:
        return tree
    return copy(tree)
