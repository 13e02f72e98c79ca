"""The sign-up box: the texts around a form that asks for the reader's e-mail address.

A newsletter box is a heading, a line of pitch and a form ("Stay informed" / "Start your day with the
news that matters." / [e-mail] [Count me in]). trafilatura drops the form, but the heading and the
pitch are plain text in the article's container, and their words need not be a newsletter's ("Stay
in the loop", "Jeden Morgen die wichtigsten Geschichten aus der Region."). The form says what they
are, or the address of the sign-up form the box embeds from a mailing service: the box is the
form's largest container that holds little more than it (no story's paragraphs, not the headline),
and each of its texts is interface wherever it shows up as a line of the text.
A comment form asks for the address too; its heading and notices go the same way.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from pipelines.extract.bylines import _around_headline
from pipelines.extract.element_text import element_text
from pipelines.extract.line_keys import line_key

# a box's heading, its pitch, its button and its small print; a story's paragraphs make it longer
_BOX_MAX_CHARS = 500
_TEXT_MAX_CHARS = 200
_BOX_MAX_LINKS = 3  # its privacy policy, its terms
_ADDRESS_FIELD = re.compile(r"e-?mail|correo|courriel|newsletter|subscri", re.IGNORECASE)
# a sign-up form the box embeds from the mailing service: "newsletter.example/form", Mailchimp, Substack
_SIGNUP_FRAME = re.compile(r"newsletter|subscri|sign-?up|list-manage\.com|mailchimp|substack\.com/embed|convertkit|"
                           r"beehiiv|sendinblue|brevo|klaviyo|cleverreach|rapidmail|mailerlite", re.IGNORECASE)
_NOT_A_BOX = frozenset({"body", "html", "article", "main"})
_NOT_ITS_WORDS = frozenset({"a", "select", "option", "textarea", "script", "style"})


def signup_box_texts(tree: HtmlElement) -> set[str]:
    """The texts (as `line_key` spells them) of the boxes around the page's e-mail fields and the
    sign-up forms it embeds."""
    found: set[str] = set()
    around_headline: set[HtmlElement] | None = None  # looked for at the first field: most pages have none
    for field in tree.iter("input", "iframe"):
        if not (_asks_for_address(field) if field.tag == "input" else _SIGNUP_FRAME.search(field.get("src") or "")):
            continue
        if around_headline is None:
            around_headline = _around_headline(tree)
        box = _box(field, around_headline)
        if box is None:
            continue
        for part in _box_texts(box):
            text = " ".join(element_text(part).split())
            if text and len(text) <= _TEXT_MAX_CHARS:
                found.add(line_key(text))
    return found


def _box_texts(element: HtmlElement) -> list[HtmlElement]:
    """The box's elements that print its own words: not its links (a menu's items, which the page's
    headings may repeat), nor a select's options (a contact form's subjects)."""
    found = [] if next(element.iter("a"), None) is not None else [element]
    for child in element.iterchildren(etree.Element):  # not its comments, which have no text_content
        if child.tag not in _NOT_ITS_WORDS:
            found += _box_texts(child)
    return found


def _asks_for_address(field: HtmlElement) -> bool:
    kind = (field.get("type") or "text").lower()
    if kind == "email":
        return True
    return kind == "text" and any(_ADDRESS_FIELD.search(field.get(a) or "") for a in ("name", "id", "placeholder"))


def _box(field: HtmlElement, around_headline: set[HtmlElement]) -> HtmlElement | None:
    """The field's largest container of a box's length that holds neither the headline (is none of
    the elements `around_headline`) nor the page, nor the links of a menu."""
    box = None
    for ancestor in field.iterancestors():
        if ancestor.tag in _NOT_A_BOX or ancestor in around_headline:
            break
        if len(" ".join(ancestor.text_content().split())) > _BOX_MAX_CHARS:
            break
        if sum(1 for _ in ancestor.iter("a")) > _BOX_MAX_LINKS:  # a menu, a footer, a sidebar
            break
        box = ancestor
    return box
