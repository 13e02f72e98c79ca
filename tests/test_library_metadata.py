"""trafilatura's metadata, taken step by step: what bare_extraction's extract_metadata gives, on every
corpus page, but the license (no record holds it) and the author's fallback, which `fallback_author`
gives when it is asked for; and trafilatura's author selectors, walked in Python, select what its
XPaths select."""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Iterator
from copy import copy
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from trafilatura.metadata import extract_author, extract_metadata
from trafilatura.settings import DEFAULT_CONFIG, Document, Extractor
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS, CATEGORIES_XPATHS, TAGS_XPATHS

import pipelines.extract.fields  # noqa: F401  (the worker's parser set-up: element classes looked up in C)
from pipelines.extract.author_selectors import TRANSLATED_AUTHOR, TRANSLATED_DISCARD, select
from pipelines.extract.library_metadata import fallback_author, library_metadata
from pipelines.extract.page_tree import page_tree
from pipelines.extract.result import NotAnArticle

URL = "https://news.example.org/2024/05/story.html"
# every field a record reads (fields.py): all but the license, the hostname and the author
COMPARED = ("title", "url", "description", "sitename", "date", "categories", "tags", "image", "pagetype", "filedate")

PAGES = {
    "author in a class, a comment's author discarded": """<html><head><title>Story - Site</title></head><body>
        <div class="comments"><span class="author">Comment Writer</span></div>
        <article><h1>Story</h1><p class="byline">By <a class="author-name">Jane Doe</a></p>
        <p>Text of the story, long enough to be read as one.</p></article></body></html>""",
    "a discarded element inside the byline gives its tail to its neighbour": """<html><body><article>
        <div class="author">Jane<time>10:00</time>Doe<figure>x</figure> Smith</div></article></body></html>""",
    "the byline element of its own": "<html><body><author>Max Mustermann</author><p>Text.</p></body></html>",
    "only the last resort selector": """<html><body><section data-component="ArticleByline">
        <span>Von Erika Musterfrau</span></section></body></html>""",
    "an author's id, a writer's class": """<html><body><div id="postAuthor">A. Writer</div>
        <p class="writer-box">Bo Writer</p></body></html>""",
    "too long a text, then a short one": f"""<html><body><div class="author">{"word " * 40}</div>
        <span class="byline">Short Name</span></body></html>""",
    "no author anywhere": "<html><body><p>Nothing here.</p></body></html>",
    "a child rel of me": "<html><body><span><rel>me</rel>Rel Me Person</span></body></html>",
    "an e-mail address for an author": "<html><body><div class='author'>jane@example.org</div></body></html>",
    "categories and tags in a post's meta": """<html><head><meta property="article:section" content="Sport">
        </head><body><div class="entry-meta"><a href="/category/politik/">Politik</a>
        <a href="/tag/wahl/">Wahl</a></div><div class="tags"><a href="/tags/berlin/">Berlin</a></div>
        <p>Text.</p></body></html>""",
    "a section declared, no taxonomy link": """<html><head><meta name="dc.subject" content="Wirtschaft">
        <meta property="article:section" content=" Sport "></head><body><div class="entry-meta">
        <a href="/tagesschau/">Tagesschau</a><a href="/categories-overview">All</a></div></body></html>""",
    "a second html after the first": """<html><body><p>First document.</p></body></html>
        <html><body><div class="author">Second Root Writer</div></body></html>""",
}


def _trimmed_extract_author(tree: etree._Element) -> str | None:
    """extract_metadata's author when it falls back: on bare_extraction's copy, trimmed."""
    found = Document(author=extract_author(copy(tree)))
    found.clean_and_trim()
    return found.author


def _xpath_selection(tree: etree._Element) -> list[list[etree._Element]]:
    """What the XPaths select in the document bare_extraction reads (its copy of the root element),
    mapped back to the tree's own elements."""
    copied = copy(tree)
    originals = list(tree.iter(etree.Element))
    index = {element: at for at, element in enumerate(copied.iter(etree.Element))}
    return [[originals[index[e]] for e in expression(copied)] for expression in (*AUTHOR_DISCARD_XPATHS, *AUTHOR_XPATHS)]


def _walk_selection(tree: etree._Element) -> list[list[etree._Element]]:
    selection = select(tree)
    discarded = set(selection.discarded)
    first = [e for e in selection.discarded if e.tag not in ("time", "figure")]
    second = [e for e in selection.discarded if e.tag in ("time", "figure")]
    assert set(first) | set(second) == discarded
    return [first, second, *selection.selected]


@pytest.mark.parametrize("name", PAGES)
def test_the_fallback_author_is_extract_authors(name: str) -> None:
    tree = lxml.html.document_fromstring(PAGES[name])
    assert fallback_author(tree) == _trimmed_extract_author(tree)


@pytest.mark.parametrize("name", PAGES)
def test_the_walk_selects_what_the_xpaths_select(name: str) -> None:
    tree = copy(lxml.html.document_fromstring(PAGES[name]))
    assert _walk_selection(tree) == _xpath_selection(tree)


def test_the_fallback_reads_the_pruned_text() -> None:
    tree = lxml.html.document_fromstring(PAGES["a discarded element inside the byline gives its tail to its neighbour"])
    # the <time>'s tail is joined to the text before it ("JaneDoe"), as trafilatura's pruning joins it
    assert fallback_author(tree) == _trimmed_extract_author(tree) == "JaneDoe Smith"


def test_the_selectors_translated_are_trafilaturas() -> None:
    def collapsed(path: str) -> str:
        return re.sub(r"\s+", " ", path).strip()

    assert tuple(collapsed(x.path) for x in AUTHOR_DISCARD_XPATHS) == TRANSLATED_DISCARD, (
        "trafilatura's AUTHOR_DISCARD_XPATHS changed: translate them again in author_selectors.py")
    assert tuple(collapsed(x.path) for x in AUTHOR_XPATHS) == TRANSLATED_AUTHOR, (
        "trafilatura's AUTHOR_XPATHS changed: translate them again in author_selectors.py")


def test_every_category_and_tag_selector_selects_links() -> None:
    # so a page without a link whose address names a category or a tag gets none from them
    # (library_metadata.py looks for such a link first)
    for expression in (*CATEGORIES_XPATHS, *TAGS_XPATHS):
        assert expression.path.strip().endswith("//a[@href]"), expression.path


def test_the_date_parameters_are_bare_extractions() -> None:
    # library_metadata reads the configuration's EXTENSIVE_DATE_SEARCH, as bare_extraction's Extractor does
    assert Extractor().date_params["extensive_search"] == DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH")


@pytest.mark.parametrize("name", PAGES)
def test_the_metadata_is_extract_metadatas(name: str) -> None:
    tree = lxml.html.document_fromstring(PAGES[name])
    _assert_as_extract_metadata(tree)


def test_the_metadata_is_extract_metadatas_on_every_corpus_page(shared_dir: Path) -> None:
    trees = _corpus_trees(shared_dir)
    for tree in trees:
        _assert_as_extract_metadata(tree)
    assert len(trees) > 1000


def test_the_walk_selects_what_the_xpaths_select_on_every_corpus_page(shared_dir: Path) -> None:
    for tree in _corpus_trees(shared_dir):
        copied = copy(tree)
        assert _walk_selection(copied) == _xpath_selection(copied)


def _assert_as_extract_metadata(tree: etree._Element) -> None:
    expected = extract_metadata(copy(tree), URL)
    got, author_left = library_metadata(tree, URL)
    for name in COMPARED:
        assert getattr(got, name) == getattr(expected, name), name
    if author_left:
        assert got.author is None and fallback_author(tree) == expected.author
    else:
        assert got.author == expected.author


def _corpus_trees(shared_dir: Path) -> list[etree._Element]:
    trees = []
    for body in _corpus_pages(shared_dir):
        try:
            trees.append(page_tree(body, None))
        except NotAnArticle:
            continue
    return trees


def _corpus_pages(shared_dir: Path) -> Iterator[bytes]:
    for index in sorted((shared_dir / "corpora").glob("*/index.jsonl")):
        for line in index.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if not row.get("html_path"):
                continue
            body = (index.parent / row["html_path"]).read_bytes()
            yield gzip.decompress(body) if row.get("html_compression", "gzip") == "gzip" else body


def test_the_json_helpers_answer_as_trafilaturas() -> None:
    from trafilatura.json_metadata import JSON_AUTHOR_1, JSON_AUTHOR_2, extract_json_author
    from trafilatura.json_metadata import normalize_json as trafilaturas_normalize_json

    from pipelines.extract.library_metadata import json_author, normalize_json

    # JSON-LD the parser rejects, with many authors: each found once, in one pass
    pieces = ['"author"', '"author":', "{", "}", "[", "]", '"name":', '"nam":', '"name\\\\":', '"names"', '"Jo Do"',
              '"Al Bo"', '"Cy"', ",", '"Person"', '"person"', '"@type":', "\n", ":"]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(3, 30)))
        for pattern in (JSON_AUTHOR_1, JSON_AUTHOR_2):
            assert json_author(text, pattern) == extract_json_author(text, pattern), text
    many = ",".join(f'{{"@type":"Person","author":{{"name":"Writer {i} Doe"}}}}' for i in range(300))
    assert json_author(many, JSON_AUTHOR_1) == extract_json_author(many, JSON_AUTHOR_1)
    # escapes, lone surrogates among them, entities and tags
    for text in ['{"headline":"Caf\\u00e9 \\ud83d\\ude00 \\ud800 end"}', "plain", "a\\nb\\tc &amp; <b>d</b>",
                 '"\\u0041\\udfff\\u00e9"']:
        assert normalize_json(text) == trafilaturas_normalize_json(text)
