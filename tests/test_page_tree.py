"""A page's bytes become the tree trafilatura's own load_html would build, whatever they hold."""

from __future__ import annotations

import random

import lxml.html
import pytest
from trafilatura.utils import INVALID_XML_CHARS, load_html

import pipelines.extract.fields  # noqa: F401  (the worker's parser set-up: element classes looked up in C)
from pipelines.extract.page_tree import _decode, _holds_forbidden_characters, _load_html, page_tree
from pipelines.extract.result import NotAnArticle

MARKUP = [
    "<html><head><title>T</title></head><body><p>Plain page.</p></body></html>",
    "<!DOCTYPE html/>\n<html><body><p>a doctype closed like XML</p></body></html>",
    "<!doctype html><html><body><p>no newline at all</p></body></html>",
    "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN' 'http://www.w3.org/TR/x.dtd'>\n<html><body>k</body></html>",
    "<html lang='en'/>\n<body><p>a self-closed html tag</p></body>",
    "<?xml version='1.0' encoding='utf-8'?><html><body><p>an XML declaration</p></body></html>",
    "<html><body><p>controls \x07 and \x1b and \x0c in the text</p></body></html>",
    "<html><body><p>noncharacters \ufffe and \uffff</p></body></html>",
    "<html><body><p>tab\there, crlf\r\nthere, and ünïcödé ﬁ 漢字 🙂</p></body></html>",
    "<p>a fragment</p>", "", "   ", "<html/><p>a</p>",
]


@pytest.mark.parametrize("markup", MARKUP)
def test_the_tree_is_load_htmls(markup: str) -> None:
    expected = load_html(markup)
    got = _load_html(markup, scrubbed=not _holds_forbidden_characters(markup.encode("utf-8", "surrogatepass")))
    assert (got is None) == (expected is None)
    if expected is not None:
        assert lxml.html.tostring(got) == lxml.html.tostring(expected)


def test_the_byte_test_finds_exactly_the_characters_load_html_deletes() -> None:
    rng = random.Random(3)
    points = [*range(0x800), *range(0xD7F0, 0xD800), *range(0xE000, 0xE010), *range(0xFFF0, 0x10000),
              *(rng.randrange(0x10000, 0x110000) for _ in range(2000))]
    for point in points:
        char = chr(point)
        text = f"<p>a{char}b</p>"
        assert _holds_forbidden_characters(text.encode("utf-8")) == bool(INVALID_XML_CHARS.search(text)), hex(point)
    # at the very start and end, and two of them
    assert _holds_forbidden_characters(b"\x01abc") and _holds_forbidden_characters("abc\uffff".encode())
    assert not _holds_forbidden_characters(b"") and not _holds_forbidden_characters(b"\xef\xbf")


def test_a_utf8_page_with_a_control_character_is_scrubbed_like_load_html_does() -> None:
    body = b"<html><body><p>before\x0bafter</p></body></html>"
    html, scrubbed = _decode(body, "text/html; charset=utf-8")
    assert not scrubbed
    assert lxml.html.tostring(page_tree(body, "text/html")) == lxml.html.tostring(load_html(html))
    assert b"\x0b" not in lxml.html.tostring(page_tree(body, None))


def test_a_page_in_a_legacy_encoding_goes_through_load_htmls_own_steps() -> None:
    body = "<html><body><p>Café crème, déjà vu.</p></body></html>".encode("cp1252")
    html, scrubbed = _decode(body, "text/html; charset=windows-1252")
    assert not scrubbed and "Café" in html
    assert page_tree(body, "text/html; charset=windows-1252").findtext(".//p") == "Café crème, déjà vu."


def test_bytes_that_are_no_document_are_refused() -> None:
    with pytest.raises(NotAnArticle, match="not_html|empty body"):
        page_tree(b"   ", "text/html")
    with pytest.raises(NotAnArticle):
        page_tree(b"%PDF-1.7 ...", None)
