"""The HTML pages the network writes itself (article pages from the corpora are served as they are):
the shell of listing and about pages, the page behind robots.txt and the seed article as a WordPress
post. Their markup is in templates/, filled with string.Template; values are escaped here, before they go in."""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from string import Template
from urllib.parse import quote

from .corpus import _SECRET_PARAGRAPHS, SEED_AUTHOR, SEED_PUBLISHED, _Story
from .feeds import _summary
from .server import _HTML_TYPE, _Page
from .sites import Site

_TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def _template(name: str) -> Template:
    return Template((_TEMPLATES / name).read_text(encoding="utf-8"))


def _link_list(heading: str, links: Sequence[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>\n' for href, text in links)
    return f"<section><h2>{html.escape(heading)}</h2>\n<ul>\n{items}</ul></section>\n"


def _html_page(site: Site, title: str, body: str, modified: datetime) -> _Page:
    doc = _template("page.html").substitute(title=html.escape(title), site_name=html.escape(site.name), body=body)
    return _Page(doc.encode("utf-8"), _HTML_TYPE, last_modified=modified)


def _secret_html(site: Site, story: _Story) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in _SECRET_PARAGRAPHS)
    return _template("secret_page.html").substitute(
        title=html.escape(story.title),
        url=site.url(story.path),
        datetime=story.listed_at.isoformat(),
        date=f"{story.listed_at:%B %d, %Y}",
        paragraphs=paragraphs,
    )


def _seed_html(site: Site, story: _Story) -> str:
    """The seed article as a WordPress single post: the article plus every kind of boilerplate that must
    not reach a record (navigation, share buttons, comment links and form, cookie banner, footer)."""
    e = html.escape
    url = site.url(story.path)
    title = story.title
    published = datetime.fromisoformat(SEED_PUBLISHED)
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in (story.expected_text or "").split("\n"))
    ld = json.dumps({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "author": {"@type": "Person", "name": SEED_AUTHOR},
        "datePublished": SEED_PUBLISHED,
        "dateModified": SEED_PUBLISHED,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": site.name},
    }, ensure_ascii=False)
    q_url, q_title = quote(url, safe=""), quote(title, safe="")
    share = {
        "Facebook": f"https://www.facebook.com/sharer/sharer.php?u={q_url}",
        "X": f"https://twitter.com/intent/tweet?url={q_url}&text={q_title}",
        "LinkedIn": f"https://www.linkedin.com/sharing/share-offsite/?url={q_url}",
        "Email": f"mailto:?subject={q_title}&body={q_url}",
    }
    buttons = "\n".join(
        f'<li class="share-{name.lower()}"><a href="{e(href)}" rel="nofollow noopener" target="_blank">'
        f'<span class="screen-reader-text">Share on </span>{name}</a></li>'
        for name, href in share.items()
    )
    return _template("seed_post.html").substitute(
        title=e(title),
        site_name=e(site.name),
        url=e(url),
        feed_url=site.url("/rss.xml"),
        description=e(_summary(story)),
        author=e(SEED_AUTHOR),
        published=SEED_PUBLISHED,
        published_date=f"{published:%B} {published.day}, {published.year}",
        ld_json=ld,
        paragraphs=paragraphs,
        share_buttons=buttons,
        path=e(story.path),
    )
