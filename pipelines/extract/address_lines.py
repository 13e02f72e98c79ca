"""Lines of the text that are web addresses, not the article's words.

- The page's own address under a short label: a print footer's "Publikacja dostępna na stronie:
  https://example.pl/gospodarka/123-story", "Permalink: <the page>". An article never points to itself.
- Another page of the site alone on a line: a list of the site's other posts printed as bare links.
  The site's address alone ("www.example.com") is not taken: a reference text keeps a theatre's
  address closing its ticket details.
- Image files' addresses run together with a caption's name between them: the data of a gallery or of
  a related-posts widget that trafilatura reads as text ("https://.../photo.jpg12802560Jane Doehttps://...").

A link to another site, or to the site's other page with words around it ("AP NFL: https://apnews.com/hub/nfl",
"Mehr über das Projekt auf https://example.at/projekt/"), is the article's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\[\]]+", re.IGNORECASE)
_IMAGE_URL = re.compile(r"(?:https?://|www\.)\S+?\.(?:jpe?g|png|gif|webp|avif)", re.IGNORECASE)
_LABEL_MAX_WORDS = 6
_GLUED_IMAGES_MIN = 2
_GLUED_IMAGES_SHARE = 0.6


@dataclass(frozen=True)
class OwnAddresses:
    """The page's host (without "www.") and its own addresses (host and path, no scheme, query or
    trailing slash): the URL it was fetched from, its canonical and og:url."""

    host: str
    pages: frozenset[str]


def own_addresses(urls: Iterable[str | None]) -> OwnAddresses | None:
    parts = [part for url in urls if url and (part := _host_and_path(url)) is not None]
    if not parts:
        return None
    return OwnAddresses(host=parts[0][0], pages=frozenset(f"{host}{path}" for host, path in parts))


def _host_and_path(url: str) -> tuple[str, str] | None:
    try:
        split = urlsplit(url if url.lower().startswith(("http://", "https://")) else f"http://{url}")
        host = (split.hostname or "").removeprefix("www.")
    except ValueError:  # "http://[broken" is no address of anything
        return None
    return (host, split.path.rstrip("/")) if host else None


def is_address_line(line: str, own: OwnAddresses | None) -> bool:
    """Whether the line is the page's own address under a label, another page of the site alone, or
    image addresses run together (see the module docstring)."""
    if "http" not in line and "www." not in line:
        return False
    images = _IMAGE_URL.findall(line)
    if len(images) >= _GLUED_IMAGES_MIN and sum(map(len, images)) >= _GLUED_IMAGES_SHARE * len(line.strip()):
        return True
    if own is None:
        return False
    found = list(_URL.finditer(line))
    if len(found) != 1:
        return False
    parts = _host_and_path(found[0].group(0).rstrip(".,;:)"))
    if parts is None:
        return False
    label = (line[:found[0].start()] + line[found[0].end():]).split()
    # (the page's own address on whichever host it names: its canonical may be on another)
    if f"{parts[0]}{parts[1]}" in own.pages:
        return len(label) <= _LABEL_MAX_WORDS
    return parts[0] == own.host and not label and bool(parts[1])
