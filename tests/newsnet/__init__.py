"""A local news network for end-to-end tests and benchmarks.

Three fake news sites built from real publisher pages, served over real HTTP on loopback. Each site
gets its own loopback address (127.0.0.2, .3, .4) because Scrapy keys download slots, politeness and
robots.txt on the host name: sites sharing 127.0.0.1 would look like one host. Where those addresses
cannot be bound (macOS only routes 127.0.0.1 by default) every site falls back to 127.0.0.1 on its own
port, and `NewsNetwork.distinct_hosts` is False.

Sites:
- "daily": RSS 2.0, a homepage with article links, a tracking-parameter duplicate link, non-article
  pages, a robots.txt that disallows /private/ (with an article there, also listed in the RSS), and the
  seed article rendered as a WordPress post surrounded by share, comment and cookie boilerplate.
- "wire": an Atom feed, a sitemap index -> Google News sitemap + gzipped sitemap, Crawl-delay 0.
- "blog": JSON Feed 1.1 and RSS 1.0 (RDF), recent posts on the homepage and older posts reachable only
  through /archive/ (two hops), no robots.txt (404, so everything is allowed).

Article pages are real pages from the corpora, served byte for byte. Every request is logged, pages can be
edited, replaced or removed while the network runs, and responses carry ETag / Last-Modified, honour
conditional requests with 304 and are gzip-encoded when the client accepts it.

Modules: network (NewsNetwork, which ties the rest together), sites (the three sites), corpus (the
stories, chosen from ../shared/corpora), syndication (wire stories republished), editing (an added
paragraph), site_pages (each site's listings, robots.txt, feeds and sitemaps), feeds (feed and sitemap
documents), html_pages (the pages rendered from templates/) and server (HTTP, 304 and gzip).

Free of pytest so that bench/ can use it too.
"""

from .corpus import SECRET_PATH, SEED_BOILERPLATE, SEED_PATH, _corpus_pool, _expected_text, _page_title
from .network import NewsNetwork
from .server import LoggedRequest
from .site_pages import TRACKING_QUERY

__all__ = [
    "SECRET_PATH",
    "SEED_BOILERPLATE",
    "SEED_PATH",
    "TRACKING_QUERY",
    "LoggedRequest",
    "NewsNetwork",
    "_corpus_pool",
    "_expected_text",
    "_page_title",
]
