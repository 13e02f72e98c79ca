"""same_site_path reads plain absolute addresses with a regex of its own: it must read every address
as urlsplit (after urljoin, for a relative one) does, the ill-formed ones included."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from pipelines.extract.site_paths import SitePaths, same_site_path

URL = "https://www.example.com/world/story?page=2"
HOST = "example.com"


def _by_urlsplit(href: str) -> str | None:
    try:
        target = urlsplit(href if href.startswith(("http://", "https://")) else urljoin(URL, href))
        target_host = target.hostname
    except ValueError:
        return None
    return target.path if (target_host or "").removeprefix("www.") == HOST else None


@pytest.mark.parametrize("href", [
    "https://www.example.com/politics/other-story",
    "https://WWW.Example.COM:8080/a/b?x=1#top",
    "http://example.com",
    "https://example.com?x=1",
    "https://example.com#part/two",
    "https://example.com:/a",
    "https://example.com./a",
    "https://example.com/a;",
    "https://www./a",
    "https://other.example/a",
    "https://user@example.com/a",
    "https://[example.com/a",
    "https://[::1]/a",
    "https://example.com:80x/a",
    "https://exa\tmple.com/a",
    "https://example.com/a\nb",
    "https://ex ample.com/a",
    "https://exämple.com/a",
    "https://\u017fexample.com/a",
    "HTTPS://example.com/a",
    "//www.example.com/a;b",
    "/world/other?x#y",
    "other-story.html",
    "#comments",
    "javascript:void(0)",
    "",
])
def test_reads_an_address_as_urlsplit_does(href: str) -> None:
    assert same_site_path(href, URL, HOST) == _by_urlsplit(href)
    assert SitePaths(URL).of(href) == _by_urlsplit(href)


def test_site_paths_knows_the_page() -> None:
    site = SitePaths(URL)
    assert (site.url, site.host, site.path) == (URL, HOST, "/world/story")
