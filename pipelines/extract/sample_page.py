"""The article page bundled with the package: warm-up extracts it, `newsvault check` proves it extracts.

What extracting it must give (title, author, date, words) is stated here, next to the page, so the
check compares with the page it has rather than with a copy.
"""

from __future__ import annotations

from importlib import resources

SAMPLE_URL = "https://www.example.co.uk/news/harbour"
SAMPLE_HEADERS = {"content-type": "text/html; charset=utf-8"}
SAMPLE_EXPECTED = {
    "title": "Harbour workers return after a week-long strike",
    "authors": ["Jane Doe"],
    "published_day": "2026-03-02",
    "text_holds": "Dock workers at the northern harbour returned to work on Monday",
}


def sample_page() -> bytes:
    return resources.files("pipelines.extract").joinpath("sample_article.html").read_bytes()
