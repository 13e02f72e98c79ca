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


def _xpath(axis: str, element: etree._Element, count: int, max_chars: int | None = None,
           ) -> list[tuple[str, etree._Element, bool]]:
    shorter = f"[string-length(.) < {max_chars}]" if max_chars else ""
    pieces = etree.XPath(f"{axis}::text()[normalize-space()]{shorter}[position() <= {count}]")(element)
    if axis == "preceding":
        pieces = list(reversed(pieces))  # nearest first
    return [(str(piece), piece.getparent(), piece.is_tail) for piece in pieces]


@pytest.mark.parametrize("max_chars", [None, 12])
@pytest.mark.parametrize("count", [1, 2, 8, 50])
def test_every_element_sees_what_xpath_sees_around_it(count: int, max_chars: int | None) -> None:
    tree = lxml.html.document_fromstring(PAGE)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert texts_after(element, count, max_chars) == _xpath("following", element, count, max_chars), element.tag
        assert texts_before(element, count, max_chars) == _xpath("preceding", element, count, max_chars), element.tag


def test_a_piece_stands_in_its_holder_or_after_it() -> None:
    headline = lxml.html.document_fromstring(PAGE).find(".//h1")
    by, name = texts_after(headline, 2)
    assert (by.is_tail, by.stands_in().get("class")) == (False, "meta")
    assert (name.holder.tag, name.stands_in().tag) == ("a", "a")
    (opening,) = texts_before(headline.getparent().find("p"), 1)
    assert opening.text.strip() == "opening words" and opening.stands_in().tag == "article"
    (tail,) = texts_after(headline.getparent().find("script"), 1)
    assert (tail.text.strip(), tail.is_tail, tail.stands_in().tag) == ("after the script", True, "article")


def test_the_headline_has_its_dateline_after_and_its_kicker_before() -> None:
    headline = lxml.html.document_fromstring(PAGE).find(".//h1")
    after = [piece.text.strip() for piece in texts_after(headline, 3)]
    assert after == ["By", "Jane Doe", "28.04.2020 18:00"]
    before = texts_before(headline, 2)
    assert [piece.text.strip() for piece in before] == ["tail of a comment", "Kicker"]
    # a comment's tail is held by the comment, as lxml's smart strings say
    assert not isinstance(before[0].holder.tag, str)


def test_a_page_nested_thousands_deep_is_walked_without_recursion() -> None:
    # (built, not parsed: libxml2's HTML parser stops nesting at 256)
    body = lxml.html.document_fromstring("<html><body><h1>Headline</h1></body></html>").find("body")
    headline, node = body[0], body
    for _ in range(5000):
        node = etree.SubElement(node, "div")
    node.text = "deep text"
    assert [piece.text for piece in texts_after(headline, 1)] == ["deep text"]
    # and backwards: the same chain before a headline
    body.append(headline)
    assert [piece.text for piece in texts_before(headline, 1)] == ["deep text"]
