"""Syndication: long wire stories republished by "daily" and "blog", each copy the story's text lightly
rewritten (a new headline, a paragraph cut, a local angle and a correction added) inside a real article
page of the republishing site, so that near-duplicate detection has true positives to find."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import lxml.html

from .corpus import _Story
from .editing import _norm

_LOCAL_ANGLE = (
    "Local officials said on Tuesday that they were following the developments closely and would brief "
    "residents at the next council meeting, where questions from the public will be taken."
)
_CORRECTION = "Correction: An earlier version of this story misstated the day of the announcement."


def _syndicate(stories: Sequence[_Story], count: int) -> list[tuple[_Story, _Story]]:
    """The first `count` long wire stories, each republished by "daily" and by "blog"."""
    wire = [s for s in stories if s.site_id == "wire" and len((s.expected_text or "").split()) >= 150
            and len((s.expected_text or "").split("\n")) >= 4]
    if count > len(wire):
        raise ValueError(f"syndicated={count}, but the network has only {len(wire)} long wire stories")
    copies = []
    for n, original in enumerate(wire[:count]):
        paragraphs = (original.expected_text or "").split("\n")
        del paragraphs[len(paragraphs) // 2]
        paragraphs.insert(2, _LOCAL_ANGLE)
        paragraphs.append(_CORRECTION)
        headline = " ".join(paragraphs[0].split()[:9]).rstrip(",;:")
        for site_id, path in (("daily", f"/2024/05/syndicated-{n}.html"), ("blog", f"/posts/syndicated-{n}/")):
            host = next(s for s in stories if s.site_id == site_id and s.body and _body_block(s) is not None)
            copies.append((original, _Story(
                site_id, path, f"{original.corpus_id} via {site_id}", _rehost(host, headline, paragraphs),
                host.encoding, "\n".join(paragraphs), headline, original.listed_at + timedelta(minutes=30),
            )))
    return copies


def _body_block(story: _Story) -> list[Any] | None:
    """The <p> elements of the page that hold its article text, when most of them share a parent."""
    doc = lxml.html.document_fromstring(story.body, parser=lxml.html.HTMLParser(encoding=story.encoding))
    return _body_paragraphs(doc, story.expected_text)


def _body_paragraphs(doc: Any, expected_text: str | None) -> list[Any] | None:
    target = _norm(expected_text or "")
    own = [p for p in doc.iter("p") if len(_norm(p.text_content())) >= 40 and _norm(p.text_content()) in target]
    parents = [p.getparent() for p in own]
    best = max(parents, key=parents.count, default=None)
    return own if best is not None and parents.count(best) >= 2 else None


def _rehost(host: _Story, headline: str, paragraphs: Sequence[str]) -> bytes:
    """Another story's text inside host's page: its body paragraphs swapped, its headline replaced, and
    its canonical link and structured data dropped (they name the host story's address)."""
    doc = lxml.html.document_fromstring(host.body, parser=lxml.html.HTMLParser(encoding=host.encoding))
    own = _body_paragraphs(doc, host.expected_text) or []
    parents = [p.getparent() for p in own]
    anchor = next(p for p in own if parents.count(p.getparent()) == max(map(parents.count, parents)))
    for text in paragraphs:
        new = lxml.html.Element("p")
        new.text = text
        anchor.addprevious(new)
    for p in own:
        p.drop_tree()
    for heading in doc.iter("h1"):
        heading.clear()
        heading.text = headline
    for node in doc.xpath("//title"):
        node.text = headline
    for node in doc.xpath("//meta[@property='og:title' or @name='twitter:title']"):
        node.set("content", headline)
    for node in doc.xpath("//link[@rel='canonical'] | //meta[@property='og:url'] | "
                          "//script[@type='application/ld+json']"):
        node.drop_tree()
    doctype = doc.getroottree().docinfo.doctype or None
    return lxml.html.tostring(doc, encoding=host.encoding, method="html", doctype=doctype)
