"""trafilatura's metadata of a page, as `bare_extraction(with_metadata=True)` gives it, for less CPU.

`trafilatura.metadata.extract_metadata` costs about 8 ms of CPU an average corpus page, a quarter of
extraction. Two of its steps are half of that:
- the author's fallback, `extract_author`: when neither the meta tags nor the JSON-LD name one, it
  copies the whole tree, prunes it and tries its author selectors (about 6.5 ms on each of the 44% of
  pages that take it). Its answer is the weakest of the record's author signals
  (author_ranking.AuthorSignals), wanted only when none before it names a person in full; and when
  it is, its selectors are evaluated in one Python walk (author_selectors.py), about 4x faster;
- the license (about 0.6 ms), which no record field holds: not looked for.
And its JSON-LD step, `extract_meta_json`, is taken with two of trafilatura's helpers made linear, for
the same answer: `normalize_json` drops the surrogates a JSON text's escapes decode to one character
at a time in Python (2 ms on a page with 100 KiB of JSON-LD), and where the JSON does not parse,
`extract_json_author` takes each author the fallback's pattern finds by deleting it from the text and
searching again from the start: 1.5 s of CPU for a live blog's 800 KiB of JSON-LD (1,721 authors).
The categories and tags (`extract_catstags`, about 2.5 ms) are looked for by trafilatura's selectors
only on the quarter of pages with a link whose address names a category or a tag: its selectors
select only links, and it counts only those.

So `library_metadata` takes extract_metadata's other steps itself, in its order, with trafilatura's own
functions (tests/test_hooks.py names them; tests/test_library_metadata.py holds the result to
bare_extraction's on every corpus page), and `fallback_author` gives the fallback when it is wanted.
"""

from __future__ import annotations

import json
import logging
import re
from copy import copy, deepcopy
from html import unescape

from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import (
    JSON_AUTHOR_1,
    JSON_AUTHOR_2,
    JSON_AUTHOR_REMOVE,
    JSON_CATEGORY,
    JSON_OGTYPE_SCHEMA,
    JSON_PUBLISHER,
    JSON_SEQ,
    JSON_TYPE,
    JSON_UNICODE_REPLACE,
    extract_json,
    is_plausible_sitename,
    normalize_authors,
)
from trafilatura.metadata import (
    JSON_MINIFY,
    META_URL,
    examine_meta,
    extract_catstags,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params
from trafilatura.utils import HTML_STRIP_TAGS, line_processing, trim
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
        metadata = meta_json(tree, metadata)
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


# the JSON-LD scripts extract_meta_json reads
_JSON_SCRIPTS = etree.XPath('.//script[@type="application/ld+json" or @type="application/settings+json"]')


def meta_json(tree: HtmlElement, metadata: Document) -> Document:
    """trafilatura's extract_meta_json(tree, metadata), step by step, with its two helpers below."""
    for element in _JSON_SCRIPTS(tree):
        if not element.text:
            continue
        text = normalize_json(JSON_MINIFY.sub(r"\1", element.text))
        try:
            # (strict=False: as trafilatura reads it, control characters in strings and all)
            metadata = extract_json(json.loads(text, strict=False), metadata)
        except json.JSONDecodeError:
            metadata = _json_parse_error(text, metadata)
    return metadata


_SURROGATES = re.compile("[\ud800-\udfff]")


def normalize_json(string: str) -> str:
    """trafilatura.json_metadata.normalize_json, the surrogates dropped by one substitution."""
    if "\\" in string:
        string = string.replace("\\n", "").replace("\\r", "").replace("\\t", "")
        string = JSON_UNICODE_REPLACE.sub(lambda match: chr(int(match[1], 16)), string)
        string = _SURROGATES.sub("", string)
        string = unescape(string)
    return trim(HTML_STRIP_TAGS.sub("", string))


def _json_parse_error(text: str, metadata: Document) -> Document:
    """trafilatura.json_metadata.extract_json_parse_error, with json_author."""
    without_others = JSON_AUTHOR_REMOVE.sub("", text)
    author = json_author(without_others, JSON_AUTHOR_1) or json_author(without_others, JSON_AUTHOR_2)
    if author:
        metadata.author = author
    if "@type" in text and (found := JSON_TYPE.search(text)):
        candidate = normalize_json(found[1].lower())
        if candidate in JSON_OGTYPE_SCHEMA:
            metadata.pagetype = candidate
    if '"publisher"' in text and (found := JSON_PUBLISHER.search(text)) and "," not in found[1]:
        candidate = normalize_json(found[1])
        if is_plausible_sitename(metadata, candidate):
            metadata.sitename = candidate
    if '"articleSection"' in text and (found := JSON_CATEGORY.search(text)):
        metadata.categories = [normalize_json(found[1])]
    for key, pattern in JSON_SEQ:
        if key in text and not metadata.title and (found := pattern.search(text)):
            metadata.title = normalize_json(found[1])
            break
    return metadata


def json_author(text: str, pattern: re.Pattern[str]) -> str | None:
    """trafilatura.json_metadata.extract_json_author(text, pattern) in one pass. It takes the first
    match, deletes it from the text and searches the rest again from the start, until a match names
    no one with a space in the name. No match can start before a deleted one: every match of either
    pattern opens with '"author"' or '"Person"' and runs on to its name through text that holds no '}'
    (nor '[' for the first), so an opening before the deleted match with none of those between would
    have reached the deleted match's name and matched first (short of a deletion that joins its two
    sides into a new key: a fuzz test and every corpus page hold the two to the same answer). So each
    search after a deletion starts where the deleted match started, which is where the previous match
    ended in the original text: finditer's walk."""
    authors = None
    for found in pattern.finditer(text):
        name = next(filter(None, found.groups()), None)
        if not name or " " not in name:
            break
        authors = normalize_authors(authors, name)
    return authors or None


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
