"""A writer named only in print ("By Jane Doe", "Von: Götz Warnke") is the record's author when no
markup names a person; words that only start like a byline are not."""

from __future__ import annotations

import lxml.html
import pytest

from pipelines.extract.bylines import split_names, visible_bylines
from pipelines.extract.fields import extract_fields
from pipelines.extract.options import ExtractOptions

STORY = "".join(f"<p>Paragraph {n} of the story tells what the council decided and why it matters to the city.</p>"
                for n in range(6))


def _bylines(fragment: str) -> list[str]:
    return visible_bylines(lxml.html.document_fromstring(f"<html><body>{fragment}</body></html>"))


@pytest.mark.parametrize(("byline", "names"), [
    ("<span>By Jane Doe</span>", ["Jane Doe"]),
    ("<p>Von: Götz Warnke</p>", ["Götz Warnke"]),
    ("<div>Ein Artikel von Pamela Sladky | 27.01.2022 - 12:45</div>", ["Pamela Sladky"]),
    ("<li><strong>Autorin/Autor</strong> Roman Goncharenko</li>", ["Roman Goncharenko"]),
    ("<p class='x'>Par <a href='/a/mh'>Matthieu Hy</a></p>", ["Matthieu Hy"]),
    ("<p>By Emma Whitford and Daniel Parra</p>", ["Emma Whitford", "Daniel Parra"]),
    ("<p>By Dolores Chang for Example.com</p>", ["Dolores Chang"]),
    ("<p>By Amelie Marie Nishizawa Feb 8, 2020 5 min read</p>", ["Amelie Marie Nishizawa"]),
    ("<p>Redaktion: Eberhard Fuhr (Pressesprecher)</p>", ["Eberhard Fuhr"]),
    ("<p>By Ludwig van Beethoven.</p>", ["Ludwig van Beethoven"]),
])
def test_a_printed_byline_gives_its_names(byline: str, names: list[str]) -> None:
    assert _bylines(f"<article><h1>Headline</h1>{byline}{STORY}</article>") == names


@pytest.mark.parametrize("text", [
    "<p>Di Maio ha detto che il governo andrà avanti.</p>",
    "<p>Von der Leyen sagte am Montag in Brüssel</p>",
    "<p>By the way, the council met again.</p>",
    "<p>Von Risiken und Nebenwirkungen</p>",
    "<p>By Reuters</p>",  # one word: an agency, which the markup names if anyone does
])
def test_words_that_only_start_like_a_byline_name_nobody(text: str) -> None:
    assert _bylines(f"<article>{text}{STORY}</article>") == []


@pytest.mark.parametrize("where", [
    "<aside><p>By Other Writer</p></aside>",
    "<div class='comments'><p>By Angry Reader</p></div>",
    "<div class='related-stories'><p>By Other Writer</p></div>",
    "<footer><p>By Site Webmaster</p></footer>",
])
def test_bylines_of_other_stories_comments_and_credits_are_not_the_articles(where: str) -> None:
    assert _bylines(f"<article>{STORY}{where}</article>") == []


def test_the_articles_own_byline_wins_over_one_printed_before_it() -> None:
    page = "<div class='most-read'>By Popular Columnist</div><div><p>By Teaser Writer</p></div>" \
           f"<article><h1>Headline</h1><p>By Jane Doe</p>{STORY}</article>"
    assert _bylines(page) == ["Jane Doe"]


def _page(head: str, byline: str) -> bytes:
    return (f"<html><head><title>Council decides</title>{head}</head><body><article><h1>Council decides</h1>"
            f"<div class='meta'>{byline}</div>{STORY}</article></body></html>").encode()


def test_the_record_names_the_printed_writer_only_when_no_markup_names_a_person() -> None:
    def authors(page: bytes) -> list[str]:
        return extract_fields("https://news.example/council", page, {"content-type": "text/html; charset=utf-8"},
                              ExtractOptions())["authors"]

    assert authors(_page("", "By Jane Doe")) == ["Jane Doe"]
    person = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council decides", ' \
             '"author": {"@type": "Person", "name": "John Roe"}}</script>'
    assert authors(_page(person, "By Jane Doe")) == ["John Roe"]


def test_names_are_split_and_cleaned_once() -> None:
    assert split_names(["By A. Writer, B. Writer and C. Writer", "A. Writer", "https://x.example/a"]) == [
        "A. Writer", "B. Writer", "C. Writer"]
    assert split_names(["José Ortega y Gasset"]) == ["José Ortega y Gasset"]
