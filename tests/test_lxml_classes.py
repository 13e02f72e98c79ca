"""Extraction's HTML parsers pick element classes in C, with the classes and output of lxml.html's own lookup."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import lxml.html
import pytest
import trafilatura
import trafilatura.utils
from lxml import etree

import pipelines.extract.fields  # noqa: F401  (installs the C-level lookup, as in every extraction worker)
from pipelines.extract.lxml_classes import ELEMENT_CLASSES, c_level_html_lookup

REPO = Path(__file__).resolve().parents[1]
EXTRACTION_PARSERS = (trafilatura.utils.HTML_PARSER, lxml.html.html_parser)

MARKUP = b"""<!doctype html><html><head><title>t</title><?php echo 1 ?></head><body>
<!-- a comment --><form action="/s"><label for="q">Search</label><input name="q">
<select name="s"><option>a</option></select><textarea name="t">x</textarea></form>
<article><h1>Head</h1><p>Body &amp; <b>bold</b> &copy;</p><table><tr><td>1</td></tr></table></article>
</body></html>"""


@contextmanager
def lookup_of_extraction(lookup: etree.CustomElementClassLookup | etree.ElementNamespaceClassLookup) -> Iterator[None]:
    for parser in EXTRACTION_PARSERS:
        parser.set_element_class_lookup(lookup)
    try:
        yield
    finally:  # back to what importing pipelines.extract.fields installed
        for parser in EXTRACTION_PARSERS:
            parser.set_element_class_lookup(c_level_html_lookup())


def _classes(root: lxml.html.HtmlElement) -> list[tuple[str, type]]:
    return [(str(node.tag), type(node)) for node in root.iter()]


def test_the_table_is_lxml_htmls_own() -> None:
    assert lxml.html.HtmlElementClassLookup._default_element_classes == ELEMENT_CLASSES


def test_every_node_gets_the_class_lxml_html_would_give_it() -> None:
    with lookup_of_extraction(lxml.html.HtmlElementClassLookup()):
        expected = _classes(trafilatura.utils.load_html(MARKUP))
    got = _classes(trafilatura.utils.load_html(MARKUP))
    assert got == expected
    assert {cls for _, cls in got} >= {lxml.html.FormElement, lxml.html.InputElement, lxml.html.SelectElement,
                                       lxml.html.TextareaElement, lxml.html.LabelElement, lxml.html.HtmlElement}
    fragment = lxml.html.fragment_fromstring("<div><!-- c --><input name='a'></div>")
    assert [type(node) for node in fragment.iter()] == [lxml.html.HtmlElement, lxml.html.HtmlComment,
                                                         lxml.html.InputElement]


def test_importing_extraction_installs_the_c_level_lookup() -> None:
    # In a fresh interpreter, as in a worker: the other tests here set and reset the lookup themselves.
    # The one case the two lookups tell apart is a mixed-case tag made by code, never by an HTML
    # parser (which lower-cases every tag): lxml.html's lookup lower-cases it, the C lookup does not.
    probe = """
import lxml.html, trafilatura.utils
import pipelines.extract.fields
for parser in (trafilatura.utils.HTML_PARSER, lxml.html.html_parser):
    root = lxml.html.fromstring(b"<html><body><p>x</p></body></html>", parser=parser)
    print(type(root.makeelement("Form", {})).__name__)
"""
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["HtmlElement", "HtmlElement"]
    with lookup_of_extraction(lxml.html.HtmlElementClassLookup()):
        root = trafilatura.utils.load_html(b"<html><body><p>x</p></body></html>")
        assert type(root.makeelement("Form", {})) is lxml.html.FormElement


def _corpus_pages(shared_dir: Path, per_corpus: int) -> list[str]:
    pages = []
    for name in ("zyte_article_extraction_benchmark", "fundus_publisher_tests", "newspaper4k_tests"):
        folder = shared_dir / "corpora" / name
        for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines()[:per_corpus]:
            entry = json.loads(line)
            body = gzip.decompress((folder / entry["html_path"]).read_bytes())
            pages.append(body.decode(entry.get("html_encoding") or "utf-8", errors="replace"))
    return pages


def test_trafilatura_output_is_unchanged_on_real_pages(shared_dir: Path) -> None:
    pages = _corpus_pages(shared_dir, per_corpus=12)
    options = {"with_metadata": True, "include_comments": False, "include_tables": True, "output_format": "json"}
    with lookup_of_extraction(lxml.html.HtmlElementClassLookup()):
        expected = [trafilatura.extract(page, url="https://example.org/a", **options) for page in pages]
    got = [trafilatura.extract(page, url="https://example.org/a", **options) for page in pages]
    assert sum(1 for text in expected if text) >= len(pages) * 0.8
    assert got == expected


@pytest.mark.parametrize("markup", [MARKUP, b"<html><body><p>just a paragraph</p></body></html>",
                                    b"<html><body></body></html>"])
def test_documents_serialise_the_same(markup: bytes) -> None:
    with lookup_of_extraction(lxml.html.HtmlElementClassLookup()):
        expected = lxml.html.tostring(trafilatura.utils.load_html(markup))
    assert lxml.html.tostring(trafilatura.utils.load_html(markup)) == expected
