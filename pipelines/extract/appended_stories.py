"""Other stories the page appends to its own: the next article of an endless scroll, set server-side.

Some sites render the next story (or the next few) below the article, so that a reader scrolling on
never waits for a page to load. trafilatura, seeing one long body of running text, keeps both
stories: the record of an article about North Korea goes on into a football story. Each story is then
an <article> of its own with its own <h1>; the page's story is the one whose <h1> is the headline the
page declares (og:title, JSON-LD, <title>). The others are removed from the tree before extraction.

It must never cut the page's own story: only when two or more outermost <article>s hold an <h1>, and
exactly one of them is the declared headline, are the others dropped. An article's comments, quoted
posts and embedded cards are <article>s too, but without an <h1> of their own, and are kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml.html import HtmlElement

from pipelines.extract.line_keys import line_key

_MIN_HEADLINE_CHARS = 10


def drop_appended_stories(headlines: Iterable[HtmlElement], titles: Iterable[str | None]) -> None:
    """Remove from their tree the outermost <article>s headed by one of the page's <h1>s
    (`headlines`) that is not the page's headline, when exactly one such <article> is headed by it."""
    stories: dict[HtmlElement, str] = {}  # each outermost <article> with an <h1>: its first <h1>
    for heading in headlines:
        story = None
        for ancestor in heading.iterancestors("article"):
            story = ancestor  # the last one met is the outermost
        if story is not None and story not in stories:
            stories[story] = line_key(heading.text_content())
    if len(stories) < 2:
        return
    declared = [key for key in (line_key(title) for title in titles if title) if key]
    own = [story for story, headline in stories.items() if _is_declared(headline, declared)]
    if len(own) != 1:
        return
    for story in stories:
        if story is not own[0]:
            story.drop_tree()


def _is_declared(headline: str, declared: list[str]) -> bool:
    """The <h1> makes most of a declared title (which may add the site's name to it)."""
    return len(headline) >= _MIN_HEADLINE_CHARS and any(
        headline in title and 2 * len(headline) >= len(title) for title in declared)
