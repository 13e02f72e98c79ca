"""Feeds and sitemaps as documents: RSS 2.0, Atom, RSS 1.0 (RDF), JSON Feed 1.1, sitemaps (plain, Google
News, index), each built from a site and its stories."""

from __future__ import annotations

import email.utils
import json
from collections.abc import Sequence
from datetime import datetime
from xml.sax.saxutils import escape as xml_escape

from .corpus import _Story
from .sites import Site


def _newest(stories: Sequence[_Story]) -> datetime:
    return max(s.listed_at for s in stories)


def _summary(story: _Story) -> str:
    text = " ".join((story.expected_text or "").split())
    return text[:197] + "..." if len(text) > 200 else text


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def _rss(site: Site, items: Sequence[tuple[_Story, str]]) -> str:
    entries = "".join(
        f"""<item><title>{xml_escape(s.title)}</title><link>{xml_escape(site.url(s.path) + query)}</link>
<guid isPermaLink="true">{xml_escape(site.url(s.path))}</guid>
<pubDate>{email.utils.format_datetime(s.listed_at, usegmt=True)}</pubDate>
<description>{xml_escape(_summary(s))}</description></item>
"""
        for s, query in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>{xml_escape(site.name)}</title><link>{site.url("/")}</link><description>Latest news</description>
<atom:link href="{site.url("/rss.xml")}" rel="self" type="application/rss+xml"/>
<language>en</language>
{entries}</channel></rss>
"""


def _atom(site: Site, stories: Sequence[_Story]) -> str:
    entries = "".join(
        f"""<entry><title>{xml_escape(s.title)}</title><id>{xml_escape(site.url(s.path))}</id>
<link rel="alternate" type="text/html" href="{xml_escape(site.url(s.path))}"/>
<published>{_iso(s.listed_at)}</published><updated>{_iso(s.listed_at)}</updated>
<author><name>{xml_escape(", ".join(s.authors) or site.name)}</name></author>
<summary>{xml_escape(_summary(s))}</summary></entry>
"""
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{xml_escape(site.name)}</title>
<id>{site.url("/")}</id><updated>{_iso(_newest(stories))}</updated>
<link rel="self" href="{site.url("/feed.atom")}"/><link rel="alternate" href="{site.url("/")}"/>
{entries}</feed>
"""


def _rdf(site: Site, stories: Sequence[_Story]) -> str:
    seq = "".join(f'<rdf:li rdf:resource="{xml_escape(site.url(s.path))}"/>' for s in stories)
    items = "".join(
        f"""<item rdf:about="{xml_escape(site.url(s.path))}"><title>{xml_escape(s.title)}</title>
<link>{xml_escape(site.url(s.path))}</link><dc:date>{_iso(s.listed_at)}</dc:date>
<description>{xml_escape(_summary(s))}</description></item>
"""
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{site.url("/index.rdf")}"><title>{xml_escape(site.name)}</title>
<link>{site.url("/")}</link><description>Notes from the field</description>
<items><rdf:Seq>{seq}</rdf:Seq></items></channel>
{items}</rdf:RDF>
"""


def _json_feed(site: Site, stories: Sequence[_Story]) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.name,
        "home_page_url": site.url("/"),
        "feed_url": site.url("/feed.json"),
        "language": "en",
        "items": [
            {"id": site.url(s.path), "url": site.url(s.path), "title": s.title, "summary": _summary(s),
             "date_published": _iso(s.listed_at)}
            for s in stories
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)


def _urlset(site: Site, stories: Sequence[_Story]) -> str:
    urls = "".join(
        f"<url><loc>{xml_escape(site.url(s.path))}</loc><lastmod>{_iso(s.listed_at)}</lastmod></url>\n"
        for s in stories
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n')


def _news_sitemap(site: Site, stories: Sequence[_Story]) -> str:
    urls = "".join(
        f"""<url><loc>{xml_escape(site.url(s.path))}</loc><news:news>
<news:publication><news:name>{xml_escape(site.name)}</news:name><news:language>en</news:language></news:publication>
<news:publication_date>{_iso(s.listed_at)}</news:publication_date><news:title>{xml_escape(s.title)}</news:title>
</news:news></url>
"""
        for s in stories
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{urls}</urlset>\n")


def _sitemap_index(site: Site, children: Sequence[tuple[str, datetime]]) -> str:
    """children: (path, lastmod) of each child sitemap."""
    index = "".join(
        f"<sitemap><loc>{xml_escape(site.url(p))}</loc><lastmod>{_iso(when)}</lastmod></sitemap>\n"
        for p, when in children
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{index}</sitemapindex>\n')
