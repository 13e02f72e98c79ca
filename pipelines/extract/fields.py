"""Main text and metadata of one fetched page: a pure function of (url, body, headers, options).

No Scrapy object crosses into this module, so ``extract_fields`` runs in worker processes and over
responses replayed from WARC snapshots. The page is decoded once (w3lib) and parsed once (lxml:
page_tree.py), and the same tree serves trafilatura and the JSON-LD / OpenGraph fallbacks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
import trafilatura.utils
from trafilatura.deduplication import LRUCache

from core.record import canonicalize_url, text_digests
from pipelines.extract import rules
from pipelines.extract.appended_stories import drop_appended_stories
from pipelines.extract.author_ranking import AuthorSignals, Name, credited_agencies, pick_authors
from pipelines.extract.bylines import ENTITY_FRAGMENT, split_names, unique_casefold
from pipelines.extract.jsonld import jsonld_text
from pipelines.extract.language import article_language
from pipelines.extract.layout_tables import unwrap_layout_tables
from pipelines.extract.library_metadata import fallback_author, library_metadata
from pipelines.extract.linked_teasers import caption_texts, linked_teaser_texts
from pipelines.extract.live_blog import missed_lines
from pipelines.extract.lxml_classes import use_c_level_lookup
from pipelines.extract.metadata_ranking import (
    TitleSignals,
    best_title,
    holds_title_headline,
    names_the_site,
    site_names,
    title_affixes,
)
from pipelines.extract.options import ExtractOptions
from pipelines.extract.own_lead import keep_own_lead
from pipelines.extract.page_meta import PageMeta, clean, drop_cut_meta_values, language_tag, string_list
from pipelines.extract.page_tree import header, page_tree
from pipelines.extract.publication_time import first_time, published_at
from pipelines.extract.result import TEMPLATE_BLOCKS_KEY, NotAnArticle
from pipelines.extract.signup_boxes import signup_box_texts
from pipelines.extract.site_paths import SitePaths
from pipelines.extract.site_template import affix_key, page_blocks, without_template
from pipelines.extract.story_lists import story_lists
from pipelines.extract.text_cleanup import clean_lines, closing_bio_writer, prose_chars, text_lines

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
    tree = page_tree(body, header(headers, "content-type"))
    if options.prune_xpath:
        rules.prune(tree, options.prune_xpath)
    drop_cut_meta_values(tree)
    page = PageMeta.from_tree(tree, url)
    # before trafilatura, which prunes the tree it is given
    headlines: list[Any] = []
    site = SitePaths(url)  # the lists and the teasers read the same links
    lists = story_lists(tree, site)
    teasers = linked_teaser_texts(tree, site, headlines) | caption_texts(tree) | signup_box_texts(tree)
    drop_appended_stories(headlines, (page.og_title, page.ld_headline, page.html_title), url)
    declared = page.language or language_tag(header(headers, "content-language"))
    unwrap_layout_tables(tree)  # the story's paragraphs in a table's cell: lines, not one row
    keep_own_lead(tree, page.description, body)  # the story's lead in a block classed "teaser"
    meta, author_left = _trafilatura_fields(tree, url, options, body_declared=page.ld_body is not None)
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
    names = site_names(url, site_name, page.publisher, page.owner, page.logo_name, *learned)
    signals = AuthorSignals(
        jsonld=[Name(a, n.organisation) for n in page.ld_authors for a in split_names([n.text])],
        marked=[Name(a) for a in page.marked_authors],
        printed=[Name(a) for a in page.bylines],
        meta=[Name(a) for a in split_names(page.meta_authors)],
        extracted=_extracted_authors(meta.get("author")),
        credited=[Name(a, organisation=True) for a in credited_agencies(meta.get("text") or "")],
    )
    # trafilatura's fallback for the author (library_metadata.py) only when its answer can count
    if author_left and not signals.settled_before_extracted(names):
        signals = replace(signals, extracted=_extracted_authors(fallback_author(tree)))
    authors = pick_authors(signals, names)
    if not authors and (writer := closing_bio_writer(meta.get("text") or "")):
        authors = [writer]  # no byline on the page: the bio box under the story names its writer
    # (the text's first two lines: the first is often the headline itself)
    ledes = [line for line in (meta.get("text") or "").splitlines()[:4] if line.strip()][:2]
    title = best_title(TitleSignals(jsonld=page.ld_headline, og=page.og_title, h1=page.h1,
                                    html_title=page.html_title, extracted=clean(meta.get("title")), h2=page.h2,
                                    standfirsts=tuple(t for t in (*ledes, page.description) if t)),
                       names, authors)
    ruled = _ruled_fields(tree, options)
    authors = ruled.get("authors") or authors
    title = ruled.get("title") or title
    extracted = meta.get("text") or ""
    # a live blog's posts shown below the part trafilatura took for the article (live_blog.py)
    live_posts = missed_lines(page.jsonld, tree, extracted, page_urls=(url, page.canonical, page.og_url),
                              titles=(page.ld_headline, page.og_title, page.h1, page.html_title))
    page_lines = partial(clean_lines, headlines=[title, page.h1, page.ld_headline, page.og_title],
                         site_name=_shown_site_name(site_name, affixes, url), authors=authors, story_links=lists.items,
                         list_headings=lists.headings, teasers=teasers, page_urls=(url, page.canonical, page.og_url))
    lines = page_lines(text_lines("\n".join([extracted, *live_posts])))
    text = "\n".join(without_template(lines, template))
    min_prose = max(options.min_prose_chars, 1)
    if prose_chars(text) < min_prose and page.ld_body:
        # the page shows its story to scripts only (a paywall's teaser, an app's empty shell), and
        # declares it whole in its JSON-LD: the article is that
        lines = page_lines(text_lines(jsonld_text(page.ld_body)))
        text = "\n".join(without_template(lines, template))
    if prose_chars(text) < min_prose:
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
        "published_at": ruled.get("published_at") or published_at(
            meta.get("date"), page.published, page.shown_times, page.dateline, url, page.dateline_clock),
        "modified_at": first_time(page.modified),
        "language": language,
        "language_declared": declared or language_tag(meta.get("language")),
        "language_confidence": confidence,
        "description": clean(meta.get("description")) or page.description,
        "site_name": site_name,
        "tags": unique_casefold(_one_by_one(meta.get("tags")) or page.tags),
        "categories": unique_casefold(_one_by_one(meta.get("categories")) or page.categories),
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


def _trafilatura_fields(
    tree: Any, url: str, options: ExtractOptions, *, body_declared: bool
) -> tuple[dict[str, Any], bool]:
    """trafilatura's text and metadata, and whether the author was left to its fallback
    (library_metadata.py); with a body rule, the text of the body it selects (the metadata still from
    the whole page). Where trafilatura finds no main text, the text is empty if the page declares its
    article's body in JSON-LD (``body_declared``), and NotAnArticle is raised if it does not."""
    body = rules.body_page(tree, options.body_xpath) if options.body_xpath else None
    doc = trafilatura.bare_extraction(
        body if body is not None else tree,
        url=url,
        # the metadata is library_metadata's, below: trafilatura's steps but two
        with_metadata=False,
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
    if doc is None and not body_declared:
        raise NotAnArticle("extraction_empty", "trafilatura found no main text")
    metadata, author_left = library_metadata(tree, url)
    return {**metadata.as_dict(), "text": doc.text if doc is not None else ""}, author_left


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


# --- field assembly ------------------------------------------------------------------------------


# trafilatura joins what one <meta> lists (keywords, tags, sections) with commas, as the page wrote it
_LISTED = re.compile(r"\s*[,，]\s*")


def _one_by_one(value: Any) -> list[str]:
    """trafilatura's tags or categories one an item: "Carrie Lam, Taiwan" of a keywords <meta> is two."""
    return [part for item in string_list(value) for part in (clean(p) for p in _LISTED.split(item)) if part]


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


def _shown_site_name(site_name: str | None, title_affixes: Sequence[str], url: str) -> str | None:
    """The site's name as the page prints it alone on a line: where the page declares none and only its
    host is known, the part of its title that names the host ("Example News" of news.example.com)."""
    if site_name and not ("." in site_name and " " not in site_name):
        return site_name
    return next((affix for affix in title_affixes if names_the_site(affix, site_names(url))), site_name)


def _extracted_authors(value: Any) -> list[Name]:
    parts = _split_trafilatura_list(value)
    # trafilatura splits the text of a bio box it took for the byline at its "and"s: a sentence's
    # tail ("... tips on local companies; Start-Ups") is no second writer
    if any(len(part.split()) > _MAX_NAME_WORDS for part in parts):
        return []
    return [Name(a) for a in _at_most(split_names(parts), 6)]


_MAX_NAME_WORDS = 6


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
