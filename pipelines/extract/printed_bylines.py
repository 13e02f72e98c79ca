"""Where a page prints its byline, and the names it prints there.

`visible_bylines` finds the first printed byline: a label and the names after it ("By Jane Doe",
"Von: Götz Warnke", "Ein Artikel von Pamela Sladky", "Autorin/Autor Roman Goncharenko", "Posted by
jdoe"), in the article's container when it holds one, else anywhere outside navigation, footers,
asides, comments and teasers; a byline may be split over elements ("<h5>Autor:</h5> Jane Doe",
"<span>By</span> <span>Jane Doe</span>") or end at a <br> (bylines.py reads the line). Where no
labelled byline is printed: a Chinese one ("作者：张三"), a Korean or Japanese one with the post after
the name ("홍길동 기자", "山田太郎記者"), a name with the writer's role or agency after it ("Jane Doe,
Staff Writer", "Jane Doe | Reuters"; never a picture's credit, "Jane Doe/AP"), a name before its date
or role under the headline ("Sehernur Karsu | 05.04.2025"), a date bar closing with the name
("04.02.2022 | 13:10 Uhr | Uta Helkenberg"). `bold_name_paragraphs`: a name in bold alone in the
article's first or last paragraph, or after a standfirst in italics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from core.record import normalise_text
from pipelines.extract.bylines import (
    _MAX_CHARS,
    _NAME,
    _ROLE_BYLINE,
    _ROLE_BYLINE_MAX_CHARS,
    _ROLE_ENDINGS,
    _ROLE_ONLY,
    _STARTS_LIKE_BYLINE,
    _around_headline,
    _byline_at,
    _capitalised,
    _in_caption,
    _outside_story,
    first_h1,
    letters,
    not_a_name,
    split_names,
    unique_casefold,
)
from pipelines.extract.date_lines import YEAR, is_date_line
from pipelines.extract.text_nodes import texts_after, texts_before

# The text nodes a byline may start: short ones, from XPath (in C), opening with a label, tested in
# Python (an EXSLT regex in the XPath would call back into Python for every node and cost a third more)
_SHORT_TEXTS = etree.XPath(f".//text()[string-length(.) < {_MAX_CHARS * 2}][normalize-space(.)]")


def visible_bylines(tree: HtmlElement, site: Iterable[str | None] = ()) -> list[str]:
    """The names of the first printed byline: in the article's container when it holds one, else
    anywhere in the page outside navigation, footers, asides, comments and teasers. A byline naming
    the `site` itself (a theme's "By" before the account that posted) is passed over."""
    site_keys = {letters(s) for s in site if s}
    fallback: list[str] = []
    around_headline = _around_headline(tree)
    texts = _SHORT_TEXTS(tree)  # one walk over the page's text for both kinds of byline
    for text in texts:
        if not _STARTS_LIKE_BYLINE.match(text):  # (tested here too: most text nodes are no byline)
            continue
        names, in_article = _byline_at(text, around_headline)
        if site_keys and all(letters(n) in site_keys for n in names):
            continue
        if names and in_article:
            return names
        fallback = fallback or names
    return (fallback or _cjk_byline(texts, around_headline) or _role_byline(texts, around_headline)
            or _unlabelled_byline(tree, around_headline))


def _role_byline(texts: Sequence[Any], around_headline: set[HtmlElement]) -> list[str]:
    """The name of the first byline printed without a label, with the role or the agency after it, in
    the story (_ROLE_BYLINE); where no labelled byline was found."""
    for text in texts:
        # (the role or the agency is the line's last word: most text nodes are passed over on that alone)
        if len(text) > _ROLE_BYLINE_MAX_CHARS or not (words := text.rstrip(" .").split()) \
                or words[-1].casefold() not in _ROLE_ENDINGS:
            continue
        line = normalise_text(str(text))
        found = _ROLE_BYLINE.match(line)
        if found is None or not _capitalised(found.group(1)) or not_a_name(found.group(1)):
            continue
        if not _in_story(_text_element(text), around_headline):
            continue
        return split_names([found.group(1)])
    return []


# A name without a label, then the date or the writer's role, under the headline: "Sehernur Karsu |
# 05.04.2025", "Jane Doe · March 12, 2024", "<span>Jane Doe</span> <time>12 March 2024</time>", "<span>Jane
# Doe</span><span>Senior Reporter</span>": the date or the role is what tells the name from any other two
# capitalised words (a section's name is a link, and passed over)
_NAME_THEN_SEPARATOR = re.compile(rf"^({_NAME})\s*(?:[|·•]\s*(.*))?$")
# ... or the date first, the name closing the bar: "04.02.2022 | 13:10 Uhr | Uta Helkenberg", over the headline too
_DATE_THEN_NAME = re.compile(rf"^(.{{4,40}}?)\s*[|·•]\s*({_NAME})$")
_BEFORE_HEADLINE = 2  # text pieces, each shorter than a byline's _MAX_CHARS
_DATE_PART = re.compile(r"\s+[-–—|·•]\s+")
_AFTER_HEADLINE = 12  # (texts_after, texts_before: the walk stops at the last one wanted)


def _unlabelled_byline(tree: HtmlElement, around_headline: set[HtmlElement]) -> list[str]:
    """The name of a byline printed without a label, before its date or its role, in the few lines
    after the page's first <h1> (_NAME_THEN_SEPARATOR), or closing a bar of the date just before or
    after it (_DATE_THEN_NAME); where no other byline was found."""
    headline = first_h1(tree)
    if headline is None:
        return []
    texts = texts_after(headline, _AFTER_HEADLINE, _MAX_CHARS)
    for piece in (*texts, *reversed(texts_before(headline, _BEFORE_HEADLINE, _MAX_CHARS))):
        dated = _DATE_THEN_NAME.match(normalise_text(piece.text))
        # (a whole date, with its year: "30.11. | Buch der Woche" is a column's; a label in capitals,
        # "PAID CONTENT", no one's name)
        if dated and YEAR.search(dated.group(1)) and is_date_line(dated.group(1), dated.group(1).casefold()) \
                and _capitalised(dated.group(2)) and not dated.group(2).isupper() and not not_a_name(dated.group(2)) \
                and _in_story_not_linked(piece.stands_in(), around_headline):
            return split_names([dated.group(2)])
    for index, piece in enumerate(texts):
        found = _NAME_THEN_SEPARATOR.match(normalise_text(piece.text))
        if found is None or not _capitalised(found.group(1)) or not_a_name(found.group(1)):
            continue
        element = piece.stands_in()
        if element is None or not _in_story_not_linked(element, around_headline):
            continue
        date = found.group(2)
        following = texts[index + 1].text if index + 1 < len(texts) else ""
        if date is None and _ROLE_ONLY.match(normalise_text(following).rstrip(" .")):
            return split_names([found.group(1)])
        if date is None:
            # no separator: the date must be in a <time> of its own, and the name alone in its element
            # (the last of a row of names is no byline of its own)
            if not following or texts[index + 1].holder.tag != "time" or _has_sibling_text(element):
                continue
            date = following
        date = _DATE_PART.split(normalise_text(date or following))[0]
        if date and is_date_line(date, date.casefold()):
            return split_names([found.group(1)])
    return []


def _text_element(text: Any) -> HtmlElement | None:
    """The element a text node stands in: its parent's for its text, the one around the element it
    follows for a tail."""
    holder = text.getparent()
    return holder if holder is None or text.is_text else holder.getparent()


def _in_story(element: HtmlElement | None, around_headline: set[HtmlElement]) -> bool:
    """Whether the element stands in the story: not outside it (navigation, asides, comments, teasers)
    nor in a picture's caption."""
    return element is not None and not _outside_story(element, around_headline) and not _in_caption(element)


def _in_story_not_linked(element: HtmlElement | None, around_headline: set[HtmlElement]) -> bool:
    """In the story, and in no link (a section's name is one)."""
    if element is None or not _in_story(element, around_headline):
        return False
    return not any(a.tag == "a" for a in (element, *element.iterancestors()))


def _has_sibling_text(element: HtmlElement) -> bool:
    parent = element.getparent()
    return parent is not None and any(e is not element and normalise_text(e.text_content()) for e in parent)


# Chinese bylines: "作者：张三", "记者 李四 王五": a label, a colon or a space, then names of two to four
# characters ("作者简介", about the author, is a heading; the responsible editor, "责任编辑", is no writer).
_CJK_NAME = r"[\u4e00-\u9fff]{2,4}"
_CJK_LABEL_ALONE = re.compile(r"^(?:作者|记者)\s*[:：]?$")
_CJK_BYLINE = re.compile(rf"(?:作者|记者)(?:\s*[:：]\s*|\s+)({_CJK_NAME}(?:\s*[、，,\s]\s*{_CJK_NAME})*)\s*(?:[)）\]】]|$)")
_CJK_MAX_CHARS = 60
# Korean and Japanese bylines put the post after the name: "홍길동 기자" (reporter), "김철수 특파원"
# (correspondent), "山田太郎記者"; a name of two to four syllables or five characters
_POST_AFTER_NAME = re.compile(r"(?:^|(?<=[\s=\]】)(]))([\uac00-\ud7a3]{2,4}\s?(?=(?:선임)?(?:기자|특파원))|"
                              r"[\u4e00-\u9fff]{2,5}(?=記者))(?:선임)?(?:기자|특파원|記者)(?=$|[\s=,·)）】])")
_POSTS_AFTER_NAME = ("기자", "특파원", "記者")


def _cjk_byline(texts: Sequence[Any], around_headline: set[HtmlElement]) -> list[str]:
    """The names of the first Chinese byline among the page's short text nodes (_SHORT_TEXTS), else
    of the first Korean or Japanese one (_POST_AFTER_NAME)."""
    post_after_name: list[str] = []  # the first Korean or Japanese byline, kept while a Chinese one may come
    for at, text in enumerate(texts):
        if len(text) >= _CJK_MAX_CHARS:
            continue
        chinese = "作者" in text or "记者" in text
        if not chinese and (post_after_name or not any(post in text for post in _POSTS_AFTER_NAME)):
            continue
        holder = text.getparent()
        if holder is None or _outside_story(holder, around_headline):
            continue
        line = normalise_text(str(text))
        # the label in an element of its own, the names after it: "<small>作者:</small>牛镛 岳弘彬"
        if chinese and _CJK_LABEL_ALONE.match(line) and at + 1 < len(texts):
            line = f"{line} {normalise_text(str(texts[at + 1]))}"
        if chinese and (found := _CJK_BYLINE.search(line)):
            return unique_casefold(re.split(r"\s*[、，,\s]\s*", found.group(1)))
        post_after_name = post_after_name or [m.group(1).strip() for m in _POST_AFTER_NAME.finditer(line)]
    return unique_casefold(post_after_name)


# A paragraph that is nothing but a name in bold, first or last in the article: how many sites print
# the byline ("<p><strong>Jane Doe</strong></p>")
_BOLD_PARAGRAPHS = etree.XPath(".//p[count(*) = 1][b or strong][string-length(normalize-space(.)) < 60]")
_MIN_PARAGRAPHS = 3
_NOT_IN_A_NAME = re.compile(r"[\d:,;!?()|/]")


def bold_name_paragraphs(tree: HtmlElement) -> list[str]:
    """The names of a bold-only paragraph opening or closing the paragraphs of its container (at least
    three of them; opening them after a standfirst in italics), outside navigation, asides, comments
    and teasers. Two writers share one: "Jane Doe/John Roe", "Jane Doe and John Roe"."""
    around_headline = _around_headline(tree)
    for paragraph in _BOLD_PARAGRAPHS(tree):
        text = normalise_text(paragraph.text_content())
        if text != normalise_text(paragraph[0].text_content()):
            continue
        names = [n.strip() for n in _TWO_WRITERS.split(text)]
        if not all(2 <= len(n.split()) <= 4 and not _NOT_IN_A_NAME.search(n) and _capitalised(n)
                   and not not_a_name(n) for n in names):
            continue
        container = paragraph.getparent()
        if container is None:
            continue
        siblings = [p for p in container if p.tag == "p" and normalise_text(p.text_content())]
        if len(siblings) < _MIN_PARAGRAPHS or paragraph not in siblings:
            continue
        position = siblings.index(paragraph)
        if position != len(siblings) - 1 and not (
                position <= _MAX_STANDFIRST and all(_standfirst(p) for p in siblings[:position])):
            continue
        if _outside_story(container, around_headline):
            continue
        return names
    return []


_TWO_WRITERS = re.compile(r"\s*/\s*|\s+(?:and|und|et|&)\s+")
_MAX_STANDFIRST = 2


def _standfirst(paragraph: HtmlElement) -> bool:
    """A paragraph wholly in italics, as the summary above a story is printed."""
    text = normalise_text(paragraph.text_content())
    italic = "".join(e.text_content() for e in paragraph if e.tag in ("em", "i"))
    return bool(text) and len(normalise_text(italic)) >= len(text) - 3 and len(text) < 300
