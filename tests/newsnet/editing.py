"""Editing an article page in place: one added paragraph, put where an extractor will see it as part of
the article (after its last body paragraph), so that a re-crawl finds changed text."""

from __future__ import annotations

import unicodedata
from typing import Any

import lxml.html

_EDIT_CLASS = "newsnet-edit"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _add_paragraph(body: bytes, encoding: str, expected_text: str | None, paragraph: str) -> bytes:
    doc = lxml.html.document_fromstring(body, parser=lxml.html.HTMLParser(encoding=encoding))
    for old in doc.find_class(_EDIT_CLASS):
        old.drop_tree()
    anchor = _edit_anchor(doc, expected_text)
    new = lxml.html.Element("p", {"class": _EDIT_CLASS})
    new.text = paragraph
    if anchor is None:
        doc.body.append(new)
    elif anchor[1]:
        new.tail = anchor[0].tail
        anchor[0].tail = None
        anchor[0].addnext(new)
    else:
        anchor[0].append(new)
    doctype = doc.getroottree().docinfo.doctype or None
    return lxml.html.tostring(doc, encoding=encoding, method="html", doctype=doctype)


def _edit_anchor(doc: Any, expected_text: str | None) -> tuple[Any, bool] | None:
    """Where the added paragraph goes, so that it lands inside the main content (where an extractor will
    see it) and not in a sidebar or footer: (element, True) to insert after it, (element, False) to append
    into it. Prefers the last <p> of the article body, i.e. one sharing its parent with other body
    paragraphs (a lone matching <p> is often a disclaimer); pages without <p> paragraphs get it appended
    to the block holding the last body line."""
    target = _norm(expected_text or "")
    matches = [p for p in doc.iter("p") if len(_norm(p.text_content())) >= 20 and _norm(p.text_content()) in target]
    if matches:
        parents = [p.getparent() for p in matches]
        in_body = [p for p, parent in zip(matches, parents, strict=True) if parents.count(parent) >= 2]
        return (in_body or matches)[-1], True
    lines = [_norm(line) for line in (expected_text or "").split("\n") if len(_norm(line)) >= 20]
    elements = [el for el in doc.body.iter() if isinstance(el.tag, str) and el.tag not in _NOT_CONTENT]
    for line in reversed(lines):
        holders = [el for el in elements if line[:60] in _norm(el.text_content())]
        if holders:
            holder = holders[-1]
            while holder.tag in _INLINE and holder.getparent() is not None:
                holder = holder.getparent()
            return (holder, True) if holder.tag == "p" else (holder, False)
    in_article = doc.xpath("//article//p")
    return (in_article[-1], True) if in_article else None


_NOT_CONTENT = frozenset({"script", "style", "noscript", "template", "svg"})
_INLINE = frozenset({"a", "span", "em", "strong", "b", "i", "u", "font", "small", "mark", "br", "time", "abbr"})
