"""The text pieces around an element are XPath's following:: and preceding:: text nodes, nearest first."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from pipelines.extract.text_nodes import texts_after, texts_before

PAGE = """<html><body>
<header><a href="/">Site</a> <!-- logo --> after the comment <span>Politik</span> | 28.04.2020</header>
<main><article>
  opening words
  <p class="kicker">Kicker<!-- c -->tail of a comment</p>
  <h1>The <em>headline</em> itself</h1>
  <div class="meta">By <a href="/a">Jane Doe</a><br>  <time>28.04.2020 18:00</time></div>
  <script>var x = 1;</script>after the script
  <p>First paragraph.</p><?pi data?>tail of a processing instruction
  <p>Second <b>bold</b> paragraph.</p>
  <p>   </p>
</article>
<aside><p>Teaser one</p><p>Teaser two</p></aside></main>
<footer>Footer text</footer>
</body></html>"""


def _xpath(axis: str, element: etree._Element, count: int) -> list[tuple[str, etree._Element]]:
    pieces = etree.XPath(f"{axis}::text()[normalize-space()][position() <= {count}]")(element)
    if axis == "preceding":
        pieces = list(reversed(pieces))  # nearest first
    return [(str(piece), piece.getparent()) for piece in pieces]


@pytest.mark.parametrize("count", [1, 2, 8, 50])
def test_every_element_sees_what_xpath_sees_around_it(count: int) -> None:
    tree = lxml.html.document_fromstring(PAGE)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert texts_after(element, count) == _xpath("following", element, count), element.tag
        assert texts_before(element, count) == _xpath("preceding", element, count), element.tag


def test_the_headline_has_its_dateline_after_and_its_kicker_before() -> None:
    headline = lxml.html.document_fromstring(PAGE).find(".//h1")
    after = [text.strip() for text, _ in texts_after(headline, 3)]
    assert after == ["By", "Jane Doe", "28.04.2020 18:00"]
    before = texts_before(headline, 2)
    assert [text.strip() for text, _ in before] == ["tail of a comment", "Kicker"]
    # a comment's tail is held by the comment, as lxml's smart strings say
    assert not isinstance(before[0][1].tag, str)


def test_a_page_nested_thousands_deep_is_walked_without_recursion() -> None:
    # (built, not parsed: libxml2's HTML parser stops nesting at 256)
    body = lxml.html.document_fromstring("<html><body><h1>Headline</h1></body></html>").find("body")
    headline, node = body[0], body
    for _ in range(5000):
        node = etree.SubElement(node, "div")
    node.text = "deep text"
    assert [text for text, _ in texts_after(headline, 1)] == ["deep text"]
    # and backwards: the same chain before a headline
    body.append(headline)
    assert [text for text, _ in texts_before(headline, 1)] == ["deep text"]
