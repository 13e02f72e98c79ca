"""How the page's JSON-LD scripts are read (pipelines/extract/jsonld.py): as the CMSs write them,
wrapped in CDATA (also behind a script comment) or an HTML comment and ending in a semicolon; a
script that is not JSON is passed over and the others still read; @graph and mainEntity flattened
in document order. A declared text (articleBody) reads as lines without its markup."""

from __future__ import annotations

import json

import lxml.html
import pytest

from pipelines.extract.jsonld import jsonld_objects, jsonld_text

ARTICLE = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Tram line approved"})


def _types(*scripts: str) -> list[str]:
    head = "".join(f"<script type='application/ld+json'>{s}</script>" for s in scripts)
    tree = lxml.html.fromstring(f"<html><head>{head}</head><body><p>Text.</p></body></html>")
    return [str(obj.get("@type")) for obj in jsonld_objects(tree)]


@pytest.mark.parametrize(
    "script",
    [
        ARTICLE,
        f"<![CDATA[{ARTICLE}]]>",
        f"\n//<![CDATA[\n{ARTICLE}\n//]]>\n",
        f"// <![CDATA[\n{ARTICLE}\n// ]]>",
        f"<!-- {ARTICLE} -->",
        f"{ARTICLE};",
    ],
    ids=["bare", "cdata", "cdata-behind-script-comments", "spaced-script-comments", "html-comment", "semicolon"],
)
def test_a_script_is_read_however_the_cms_wraps_it(script: str) -> None:
    assert _types(script) == ["NewsArticle"]


def test_a_script_that_is_not_json_is_passed_over_and_the_next_is_read() -> None:
    broken = '{"@type": "NewsArticle", "headline": "Senator calls the mayor "unfit""}'
    assert _types(broken, ARTICLE) == ["NewsArticle"]


def test_graphs_and_main_entities_are_flattened_in_document_order() -> None:
    graph = json.dumps({"@graph": [{"@type": "WebPage", "mainEntity": {"@type": "NewsArticle"}},
                                   {"@type": "Person"}]})
    assert _types(graph) == ["None", "WebPage", "NewsArticle", "Person"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("<p>One &amp; two.</p><p>Three.</p>", "One & two.\nThree."),
        ("Line one<br/>line two", "Line one\nline two"),
        ("Fish &amp; chips", "Fish & chips"),
        ("Plain text.", "Plain text."),
        (None, ""),
        (["a list"], ""),
    ],
)
def test_a_declared_text_reads_as_lines_without_its_markup(value: object, text: str) -> None:
    assert jsonld_text(value) == text
