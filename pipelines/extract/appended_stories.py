"""Other stories the page appends to its own: the next article of an endless scroll, set server-side.

Some sites render the next story (or the next few) below the article, so that a reader scrolling on
never waits for a page to load. trafilatura, seeing one long body of running text, keeps both
stories: the record of an article about North Korea goes on into a football story. Each story is then
an <article> of its own with its own <h1>; the page's story is the one whose <h1> is the headline the
page declares (og:title, JSON-LD, <title>). The others are removed from the tree before extraction.

It must never cut the page's own story: only when two or more outermost <article>s hold an <h1>, and
exactly one of them is the declared headline, are the others dropped, and of those only the ones
that come after the page's story and link to another page of the site (the next story's own address,
in its headline or share links). An article's comments, quoted posts and embedded cards are
<article>s too, but without an <h1> of their own, and are kept; a live blog's posts may have an <h1>
each, but link under the page's own address, and are kept too.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from pipelines.extract.line_keys import line_key
from pipelines.extract.site_paths import same_site_path

_MIN_HEADLINE_CHARS = 10


def drop_appended_stories(headlines: Iterable[HtmlElement], titles: Iterable[str | None], url: str) -> None:
    """Remove from their tree the outermost <article>s headed by one of the page's <h1>s
    (`headlines`, in document order) that is not the page's headline, when exactly one such <article>
    is headed by it: those after it that link to another page of the site than `url`'s."""
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
    in_order = list(stories)
    after = in_order[in_order.index(own[0]) + 1:]
    page = urlsplit(url)
    host, own_parts = (page.hostname or "").removeprefix("www."), page.path.rstrip("/") + "/"
    for story in after:
        if _links_elsewhere_on_site(story, url, host, own_parts):
            story.drop_tree()


def _links_elsewhere_on_site(story: HtmlElement, url: str, host: str, own_parts: str) -> bool:
    """Whether the story links to a page of the site (host) that is not the page itself or one of its
    parts (a live blog's post under its address)."""
    for href in story.xpath(".//a/@href"):
        path = same_site_path(href, url, host)
        if path is not None and (path := path.rstrip("/") + "/") != "/" and not path.startswith(own_parts):
            return True
    return False


def _is_declared(headline: str, declared: list[str]) -> bool:
    """The <h1> makes most of a declared title (which may add the site's name to it)."""
    return len(headline) >= _MIN_HEADLINE_CHARS and any(
        headline in title and 2 * len(headline) >= len(title) for title in declared)
