"""lxml.html's element classes, chosen in C for the parsers extraction uses.

An lxml.html parser picks the Python class of every element it hands to Python code through
``HtmlElementClassLookup``, whose ``lookup`` is a Python method. trafilatura walks a page's tree many
times over (cleaning, pruning, readability, justext), about 5,000 such calls a page, and on the bench
pages they cost about 4% of its CPU. lxml's own ``ElementNamespaceClassLookup``, given the same
table, picks the same class for every element without running Python: trafilatura's output stays
the same byte for byte (tests/test_lxml_classes.py compares it over the corpus pages).
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree, html

# lxml.html's own table (HtmlElementClassLookup._default_element_classes; a test checks the two
# agree). HTML parsers give lower-case tag names, so the lower-casing its lookup does is moot.
ELEMENT_CLASSES: dict[str, type[html.HtmlElement]] = {
    "form": html.FormElement,
    "input": html.InputElement,
    "select": html.SelectElement,
    "textarea": html.TextareaElement,
    "label": html.LabelElement,
}


def c_level_html_lookup() -> etree.ElementNamespaceClassLookup:
    """The class lookup of lxml.html's parsers, run by lxml's C code."""
    fallback = etree.ElementDefaultClassLookup(
        element=html.HtmlElement,
        comment=html.HtmlComment,
        pi=html.HtmlProcessingInstruction,
        entity=html.HtmlEntity,
    )
    lookup = etree.ElementNamespaceClassLookup(fallback)
    no_namespace = lookup.get_namespace(None)
    for tag, cls in ELEMENT_CLASSES.items():
        no_namespace[tag] = cls
    return lookup


def use_c_level_lookup(parsers: Iterable[etree.HTMLParser]) -> None:
    lookup = c_level_html_lookup()
    for parser in parsers:
        parser.set_element_class_lookup(lookup)
