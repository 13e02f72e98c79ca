"""Where a page's links go on its own site: the path of each link's address, or None for another site."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

# an absolute address urlsplit reads just so: host, port, path, then query or fragment, with no character it
# would strip, decode or reject (half a page's links, read at a fifth of the cost)
_PLAIN_ADDRESS = re.compile(r"https?://([-A-Za-z0-9.]*)(?::[0-9]*)?(/[^?#\t\r\n]*)?(?:[?#][^\t\r\n]*)?")


def same_site_path(href: str, url: str, host: str) -> str | None:
    """The path a link goes to on the page's site (None: another site, or no address at all). Most
    links of a page are written from its root ("/world/story"): read without joining them to it."""
    if href.startswith("/") and not href.startswith("//"):
        return href.partition("#")[0].partition("?")[0]
    if (plain := _PLAIN_ADDRESS.fullmatch(href)) is not None:
        return (plain[2] or "") if plain[1].lower().removeprefix("www.") == host else None
    try:
        target = urlsplit(href if href.startswith(("http://", "https://")) else urljoin(url, href))
        target_host = target.hostname
    except ValueError:  # an ill-formed address ("http://[name]/") links nowhere
        return None
    return target.path if (target_host or "").removeprefix("www.") == host else None


class SitePaths:
    """One page's address, and the same-site path of each of its links' addresses, each read once: the
    page's story lists and its teasers read the same links, many more than once (a card links its
    story from its picture and its headline; a menu comes again in the footer)."""

    __slots__ = ("url", "host", "path", "_paths")

    def __init__(self, url: str) -> None:
        self.url = url
        fetched = urlsplit(url)
        self.host = (fetched.hostname or "").removeprefix("www.")
        self.path = fetched.path
        self._paths: dict[str, str | None] = {}

    def of(self, href: str) -> str | None:
        """same_site_path of the link's address."""
        try:
            return self._paths[href]
        except KeyError:
            path = self._paths[href] = same_site_path(href, self.url, self.host)
            return path
