"""A dateline written in words in any of the corpora's languages gives the day the page was published;
an update's label, a caption naming another day, another story's <time> and the copyright year do not."""

from __future__ import annotations

from datetime import datetime

import pytest

from pipelines.extract.fields import ExtractOptions, extract_fields
from pipelines.extract.text_dates import day_in_words, is_update_line

EARLIEST, LATEST = datetime(1995, 1, 1), datetime(2026, 12, 31)


@pytest.mark.parametrize(("line", "day"), [
    ("Publicado el 12 de marzo de 2024", "2024-03-12"),
    ("martes, 12 de marzo de 2024 - 18:30", "2024-03-12"),
    ("Publicado em 12 de março de 2024", "2024-03-12"),
    ("12 marzo 2024", "2024-03-12"),
    ("12 maart 2024", "2024-03-12"),
    ("12 marca 2024", "2024-03-12"),
    ("12. maaliskuuta 2024", "2024-03-12"),
    ("12 марта 2024 г.", "2024-03-12"),
    # the Associated Press' months, abbreviated with a full stop, in a byline's line
    ("By Jane Doe | Mar. 12, 2024 at 6:45 p.m.", "2024-03-12"),
    ("Sept. 5, 2024", "2024-09-05"),
    ("March 12th, 2024", "2024-03-12"),
])
def test_a_dateline_in_words_gives_its_day(line: str, day: str) -> None:
    assert day_in_words(line, EARLIEST, LATEST) == day


@pytest.mark.parametrize("line", [
    "Ukrainische Kriegstechnik bei den Kämpfen um Bachmut, 24. April 2023",  # a caption: a sentence's length
    "31 de febrero de 2024",  # no such day
    "12 de marzo de 2031",  # after the latest day
    "Capítulo 12 de la serie",
    "Mar. 32, 2024",
])
def test_no_day_where_no_dateline_names_a_real_one(line: str) -> None:
    assert day_in_words(line, EARLIEST, LATEST) is None


@pytest.mark.parametrize(("line", "update"), [
    ("Updated March 15, 2024", True), ("Aktualisiert am 15.03.2024", True), ("Mis à jour le 15 mars 2024", True),
    ("Last updated: 15/03/2024", True), ("Published 12.03.2024 | Updated 15.03.2024", False),
    ("Published March 12, 2024", False), ("March 12, 2024", False),
])
def test_an_update_line_is_told_from_a_publication_line(line: str, update: bool) -> None:
    assert is_update_line(line) is update


STORY = "".join(f"<p>Paragraph {n} of the story tells what the council decided late in the evening about the tram "
                f"line and the budget.</p>" for n in range(6))


@pytest.mark.parametrize("dateline", [
    "<div>Publicado el 12 de marzo de 2024</div>",
    "<p>Updated March 15, 2024</p><p>Published March 12, 2024</p>",
    "<p>By Jane Doe | Mar. 12, 2024 at 6:45 p.m.</p>",
    # the <time> after an update's label, or marked as the change, is the last change's
    "<p>Updated <time datetime='2024-03-15T10:00:00Z'>March 15</time> · Published "
    "<time datetime='2024-03-12T10:00:00Z'>March 12</time></p>",
    "<p><time class='updated' datetime='2024-03-15T10:00:00Z'>March 15</time> "
    "<time class='entry-date published' datetime='2024-03-12T10:00:00Z'>March 12</time></p>",
    # the <time>s of other stories' teasers, in an aside, come first in the page
    "<aside><p><a href='/a'>Other story</a> <time datetime='2024-02-01'>Feb 1, 2024</time></p>"
    "<p><a href='/b'>Another story</a> <time datetime='2024-01-20'>Jan 20, 2024</time></p></aside>"
    "<p><time datetime='2024-03-12T18:45:00+01:00'>12 March 2024</time></p>",
])
def test_the_page_shows_its_day_and_the_record_has_it(dateline: str) -> None:
    page = (f"<html><head><title>Council decides</title></head><body><article><h1>Council decides</h1>"
            f"{dateline}{STORY}<p>© 2025 Example News</p></article></body></html>").encode()

    fields = extract_fields("https://news.example/news/council-decides", page, {}, ExtractOptions())

    assert fields["published_at"][:10] == "2024-03-12"


def test_a_post_never_changed_is_marked_published_and_updated_at_once() -> None:
    page = (f"<html><head><title>Council decides</title></head><body><article><h1>Council decides</h1>{STORY}"
            "<footer><time class='entry-date published updated' datetime='2024-03-12T18:45:00+01:00'>March 12</time>"
            "</footer></article><footer>© 2025 Example News</footer></body></html>").encode()

    assert extract_fields("https://news.example/news/council-decides", page, {}, ExtractOptions())["published_at"] == \
        "2024-03-12T18:45:00+01:00"


@pytest.mark.parametrize(("url", "day"), [
    ("https://news.example/news/council-decides", None),  # the copyright's year is no day of the story
    ("https://news.example/news/20240312/council-decides", "2024-03-12"),  # the permalink's compact day
])
def test_a_page_that_shows_no_day_gets_none_or_its_permalinks(url: str, day: str | None) -> None:
    page = (f"<html><head><title>Council decides</title></head><body><article><h1>Council decides</h1>{STORY}"
            "</article><footer>© 2023 Example News</footer></body></html>").encode()

    published = extract_fields(url, page, {}, ExtractOptions())["published_at"]

    assert (published[:10] if published else None) == day


@pytest.mark.parametrize(("lang", "day"), [("en-US", "2024-03-12"), ("en-GB", "2024-12-03"), ("fr", "2024-12-03")])
def test_a_slash_date_read_either_way_is_read_month_first_on_a_page_in_american_english(lang: str, day: str) -> None:
    page = (f"<html lang='{lang}'><head><title>Council decides</title></head><body><article><h1>Council decides</h1>"
            f"<p>Published 03/12/2024 6:45 PM</p>{STORY}</article></body></html>").encode()

    assert extract_fields("https://news.example/news/council-decides", page, {}, ExtractOptions())["published_at"][:10] \
        == day
