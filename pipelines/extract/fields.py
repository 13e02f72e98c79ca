"""Main text and metadata of one fetched page: a pure function of (url, body, headers, options).

No Scrapy object crosses into this module, so ``extract_fields`` runs in worker processes and over
responses replayed from WARC snapshots. The page is decoded once (w3lib), parsed once (lxml), and
the same tree serves trafilatura and the JSON-LD / OpenGraph fallbacks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import lxml.html
import trafilatura
import trafilatura.utils
from trafilatura.deduplication import LRUCache
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html
from w3lib.encoding import html_to_unicode, http_content_type_encoding

from core.record import canonicalize_url, text_digests
from pipelines.extract import rules
from pipelines.extract.appended_stories import drop_appended_stories
from pipelines.extract.bylines import ENTITY_FRAGMENT, split_names, unique_casefold
from pipelines.extract.language import article_language
from pipelines.extract.line_keys import line_key
from pipelines.extract.linked_teasers import caption_texts, linked_teaser_texts
from pipelines.extract.live_blog import missed_lines
from pipelines.extract.lxml_classes import use_c_level_lookup
from pipelines.extract.metadata_ranking import (
    AuthorSignals,
    Name,
    TitleSignals,
    best_title,
    credited_agencies,
    holds_title_headline,
    pick_authors,
    site_names,
    title_affixes,
)
from pipelines.extract.options import ExtractOptions
from pipelines.extract.page_meta import PageMeta, clean, language_tag, string_list
from pipelines.extract.publication_time import first_time, published_at
from pipelines.extract.result import TEMPLATE_BLOCKS_KEY, NotAnArticle
from pipelines.extract.site_template import affix_key, page_blocks, without_template
from pipelines.extract.story_lists import story_lists
from pipelines.extract.text_cleanup import clean_lines, prose_chars, text_lines

# trafilatura parses pages with its own parser and fragments (readability) with lxml.html's default
use_c_level_lookup((trafilatura.utils.HTML_PARSER, lxml.html.html_parser))


def extract_fields(
    url: str, body: bytes, headers: Mapping[str, str], options: ExtractOptions,
    template: frozenset[int] = frozenset(),
) -> dict[str, Any]:
    """The record fields that depend on the page and its source's template (block keys learned from
    the source's articles, pipelines/extract/site_template.py); raises NotAnArticle when it holds no article.
    Also returns, under TEMPLATE_BLOCKS_KEY, the page's own short blocks, for the template to learn."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"extract_fields needs the absolute http(s) URL of the page, got {url!r}")
    content_type = _header(headers, "content-type")
    _sniff_html(body, content_type)
    html = _decode(body, content_type)
    tree = load_html(html)
    if tree is None or len(tree) == 0:
        raise NotAnArticle("not_html", "lxml found no document")
    if options.prune_xpath:
        rules.prune(tree, options.prune_xpath)
    page = PageMeta.from_tree(tree)
    # before trafilatura, which prunes the tree it is given
    headlines: list[Any] = []
    lists = story_lists(tree, url)
    teasers = linked_teaser_texts(tree, url, headlines) | caption_texts(tree)
    drop_appended_stories(headlines, (page.og_title, page.ld_headline, page.html_title), url)
    # the page's own address printed as a line (a print footer, a share box without its script)
    teasers |= {line_key(address) for address in (url, page.canonical, page.og_url) if address}
    declared = page.language or language_tag(_header(headers, "content-language"))
    meta = _trafilatura_fields(tree, url, options)
    site_name = clean(meta.get("sitename"))
    # trafilatura reads the site's name from the <title> too, where it is sometimes the headline: the
    # page's headline, or the headline part of "Headline | Example" (whose short part is the name)
    if site_name and (site_name.casefold() in {h.casefold() for h in (page.h1, page.ld_headline, page.og_title) if h}
                      or holds_title_headline(site_name, page.html_title, site_names(url))):
        site_name = None
    site_name = site_name or page.site_name
    affixes = list(dict.fromkeys(a for t in (page.html_title, page.og_title) for a in title_affixes(t)))
    learned = [a for a in affixes if affix_key(a) in template]  # the site's name, learned from its titles
    # the copyright holder (a publisher's parent company) is no author beside a person either
    names = site_names(url, site_name, page.publisher, page.owner, *learned)
    authors = pick_authors(AuthorSignals(
        jsonld=[Name(a, n.organisation) for n in page.ld_authors for a in split_names([n.text])],
        marked=[Name(a) for a in page.marked_authors],
        printed=[Name(a) for a in page.bylines],
        meta=[Name(a) for a in split_names(page.meta_authors)],
        extracted=[Name(a) for a in _at_most(split_names(_split_trafilatura_list(meta.get("author"))), 6)],
        credited=[Name(a, organisation=True) for a in credited_agencies(meta.get("text") or "")],
    ), names)
    title = best_title(TitleSignals(jsonld=page.ld_headline, og=page.og_title, h1=page.h1,
                                    html_title=page.html_title, extracted=clean(meta.get("title"))),
                       names, authors)
    ruled = _ruled_fields(tree, options)
    authors = ruled.get("authors") or authors
    title = ruled.get("title") or title
    extracted = meta.get("text") or ""
    # a live blog's posts shown below the part trafilatura took for the article (live_blog.py)
    live_posts = missed_lines(page.jsonld, tree, extracted, page_urls=(url, page.canonical, page.og_url),
                              titles=(page.ld_headline, page.og_title, page.h1, page.html_title))
    lines = clean_lines(text_lines("\n".join([extracted, *live_posts])),
                        headlines=[title, page.h1, page.ld_headline, page.og_title],
                        site_name=site_name, authors=authors, story_links=lists.items,
                        list_headings=lists.headings, teasers=teasers)
    text = "\n".join(without_template(lines, template))
    if prose_chars(text) < max(options.min_prose_chars, 1):
        raise NotAnArticle("extraction_empty", "no paragraph of running text")
    words = len(text.split())
    if words < options.min_words:
        raise NotAnArticle("too_short", f"{words} words < {options.min_words}")
    language, confidence = article_language(text, declared)
    if options.target_language and language and language != options.target_language:
        raise NotAnArticle("wrong_language", f"written in {language}, not {options.target_language}")
    digest, simhash = text_digests(text)

    return {
        "canonical_url": _canonical_url(url, page),
        "title": title,
        "authors": authors,
        "published_at": ruled.get("published_at") or published_at(meta.get("date"), page.published,
                                                                     page.shown_times, page.dateline, url),
        "modified_at": first_time(page.modified),
        "language": language,
        "language_declared": declared or language_tag(meta.get("language")),
        "language_confidence": confidence,
        "description": clean(meta.get("description")) or page.description,
        "site_name": site_name,
        "tags": unique_casefold(string_list(meta.get("tags")) or page.tags),
        "categories": unique_casefold(string_list(meta.get("categories")) or page.categories),
        "image": _absolute(url, clean(meta.get("image")) or page.image),
        "text": text,
        "word_count": words,
        "content_hash": digest,
        "simhash": simhash,
        TEMPLATE_BLOCKS_KEY: page_blocks(lines) + [affix_key(a) for a in affixes],
        "extractor": {
            "name": "trafilatura",
            "version": trafilatura.__version__,
            "options": options.as_dict(),
        },
    }


def _trafilatura_fields(tree: Any, url: str, options: ExtractOptions) -> dict[str, Any]:
    """trafilatura's text and metadata; with a body rule, the text of the body it selects (the
    metadata still from the whole page)."""
    body = rules.body_page(tree, options.body_xpath) if options.body_xpath else None
    doc = trafilatura.bare_extraction(
        body if body is not None else tree,
        url=url,
        with_metadata=body is None,
        # the elements a body rule names are the article: every paragraph of them is wanted
        favor_precision=options.favor_precision and body is None,
        favor_recall=options.favor_recall or body is not None,
        include_tables=options.include_tables,
        include_comments=options.include_comments,
        include_links=options.include_links,
        deduplicate=LRUCache(maxsize=4096) if options.deduplicate else False,
        # the language is ours, detected from the text (language.py)
        target_language=None,
    )
    if doc is None:
        raise NotAnArticle("extraction_empty", "trafilatura found no main text")
    meta: dict[str, Any] = doc.as_dict()
    if body is not None:
        meta = {**extract_metadata(tree, default_url=url).as_dict(), "text": meta.get("text")}
    return meta


def _ruled_fields(tree: Any, options: ExtractOptions) -> dict[str, Any]:
    """What the source's title, author and date rules find; a rule that finds nothing is left out."""
    found: dict[str, Any] = {}
    if options.title_xpath:
        found["title"] = rules.first_text(tree, options.title_xpath)
    if options.author_xpath:
        found["authors"] = split_names(rules.texts(tree, options.author_xpath))
    if options.date_xpath:
        found["published_at"] = rules.rule_date(tree, options.date_xpath)
    return {key: value for key, value in found.items() if value}


# --- bytes to tree -------------------------------------------------------------------------------

_NON_HTML_TYPES = re.compile(
    r"^(image|audio|video|font|model)/|^application/(pdf|json|.*\+json|zip|gzip|x-gzip|octet-stream|"
    r"javascript|x-javascript|ecmascript|msword|vnd\.|x-shockwave-flash|rss\+xml|atom\+xml)|^text/(css|javascript|csv|calendar)"
)
_BINARY_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"RIFF",
    b"OggS",
    b"\x00\x00\x01\x00",
)
_HTML_MARKERS = re.compile(
    rb"<(!doctype\s+html|html|head|body|title|meta|link|style|script|noscript|div|p|article|main|section|h1|h2|"
    rb"table|span|a|br|!--)[\s>/]",
    re.IGNORECASE,
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        key_text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key_text.lower() == name:
            if isinstance(value, list | tuple):
                value = value[0] if value else ""
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def _sniff_html(body: bytes, content_type: str | None) -> None:
    """Refuse what is not an HTML document, from the declared type and then the bytes themselves."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if _NON_HTML_TYPES.search(mime):
        raise NotAnArticle("not_html", f"Content-Type {mime}")
    head = body[:8192]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    start = head.lstrip()
    if not start:
        raise NotAnArticle("not_html", "empty body")
    if start.startswith(_BINARY_MAGIC) or start[:1] in (b"{", b"["):
        raise NotAnArticle("not_html", "binary or JSON body")
    if b"\x00" in head and not body.startswith(_BOMS[1:]):
        raise NotAnArticle("not_html", "binary body")
    if not _HTML_MARKERS.search(head if b"\x00" not in head else head.replace(b"\x00", b"")):
        raise NotAnArticle("not_html", "no HTML markup at the start of the body")


# charset_normalizer tells Latin single-byte code pages apart poorly (French in cp1252 comes back
# as Baltic cp1257); for those the WHATWG default for undeclared pages, windows-1252, is right more often.
_LATIN_SINGLE_BYTE = re.compile(
    r"^(cp125[0247]|latin_1|iso8859_(?:[1-49]|1[0345]|16)|mac_\w+|cp(?:437|850|858))$"
)


def _detect_encoding(body: bytes) -> str | None:
    """Used only when neither HTTP, BOM nor <meta> declares an encoding and the body is not UTF-8."""
    best = charset_normalizer.from_bytes(body[:20000]).best()
    if best is None or _LATIN_SINGLE_BYTE.match(best.encoding):
        return "cp1252"
    return best.encoding


def _valid_in(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    except LookupError:
        return True  # an unknown charset is html_to_unicode's to report
    return True


def _decode(body: bytes, content_type: str | None) -> str:
    """HTTP charset first; then a body that is valid UTF-8 is UTF-8; then BOM, <meta charset> and
    detection, as w3lib orders them."""
    # Templates often keep a stale <meta charset="gb2312"> or "iso-8859-1" after a site moved to
    # UTF-8, while text in a legacy multi-byte or 8-bit encoding is practically never valid UTF-8.
    declared = http_content_type_encoding(content_type)
    if declared and not _valid_in(body, declared):
        # A server-wide "charset=utf-8" in front of a legacy page: bytes invalid in the declared
        # encoding prove it wrong, so BOM, <meta> and detection decide instead.
        content_type, declared = None, None
    if not declared and not body.startswith(_BOMS[1:]):
        try:
            return body.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        _encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect_encoding)
    except (LookupError, ValueError) as err:
        raise NotAnArticle("decode_error", str(err)) from err
    sample = text[:20000]
    if sample and sample.count("\ufffd") > max(20, len(sample) // 10):
        raise NotAnArticle("decode_error", "mostly undecodable bytes")
    return text


# --- field assembly ------------------------------------------------------------------------------


def _absolute(base: str, href: str | None) -> str | None:
    if not href:
        return None
    resolved = urljoin(base, href)
    return resolved if resolved.startswith(("http://", "https://")) else None


def _canonical_url(url: str, page: PageMeta) -> str:
    fetched = urlsplit(url)
    for candidate in (page.canonical, page.og_url):
        resolved = _absolute(url, candidate)
        if not resolved:
            continue
        target = urlsplit(resolved)
        # a canonical pointing at a site root while we fetched a deeper page is a template bug
        # (every page of the site claims to be the homepage): not the article's identity
        if target.path in ("", "/") and not target.query and fetched.path not in ("", "/"):
            continue
        try:
            return canonicalize_url(resolved)
        except ValueError:
            continue
    return canonicalize_url(url)


def _at_most(names: list[str], count: int) -> list[str]:
    """The names, unless there are more: a list of a site's writers, which trafilatura's
    selectors take from a team page or a sidebar, names none of the story's."""
    return names if len(names) <= count else []


_ENTITY_NAME = re.compile(ENTITY_FRAGMENT, re.IGNORECASE)


def _split_trafilatura_list(value: Any) -> list[str]:
    """trafilatura joins several authors with "; ". It also splits a name at an entity's ";"
    ("Redacci&oacute;n" gives "Redacci; Oacute"): both halves go."""
    parts = [part.strip() for part in value.split(";") if part.strip()] if isinstance(value, str) else []
    broken = {i for i, part in enumerate(parts) if _ENTITY_NAME.fullmatch(part.split()[0])}
    return [part for i, part in enumerate(parts) if i not in broken and i + 1 not in broken]


# --- text ---------------------------------------------------------------------------------------
