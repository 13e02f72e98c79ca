"""A writer named only in print ("By Jane Doe", "Von: Götz Warnke") is the record's author when no
markup names a person; words that only start like a byline are not."""

from __future__ import annotations

import lxml.html
import pytest

from pipelines.extract.bylines import bold_name_paragraphs, not_a_name, split_names, visible_bylines
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


@pytest.mark.parametrize(("byline", "names"), [
    # a separator before the label, from the line the byline shares with the date
    ("<div>05.02.2020 <span>-&nbsp;Redaktion: Eberhard Fuhr (Pressesprecher)</span></div>", ["Eberhard Fuhr"]),
    # the label alone in its element, the name after it
    ("<div><h5>Autor: </h5>Peter Maahn/SP-X<br><span>a</span><span>b</span><span>c</span><span>d</span></div>",
     ["Peter Maahn"]),
    ("<div><span>| By </span> <span>Cara Stiles</span> | <time>April 13, 2020</time><i>x</i><i>y</i><i>z</i></div>",
     ["Cara Stiles"]),
    # the byline's own line ends at its <br>: what follows is a dateline
    ("<p>Von <strong><a href='/a'>Roland Brockmann</a></strong> und <strong><a href='/b'>Sebastian Drescher</a>"
     "</strong><br> Kakuma /Kenia</p>", ["Roland Brockmann", "Sebastian Drescher"]),
])
def test_a_byline_split_over_elements_gives_its_names(byline: str, names: list[str]) -> None:
    assert _bylines(f"<article><h1>Headline</h1>{byline}{STORY}</article>") == names


def test_a_wrapper_named_after_the_pages_layout_is_no_sidebar() -> None:
    page = (f"<div class='panel-display zen-one-sidebar-second'><div class='content-featured-sidebar'>"
            f"<h1>Headline</h1><p>Par <a href='/a'>Matthieu Hy</a></p>{STORY}</div></div>")
    tree = lxml.html.document_fromstring(f"<html><body class='with-sidebar'>{page}</body></html>")
    assert visible_bylines(tree) == ["Matthieu Hy"]


def test_a_byline_naming_the_site_itself_is_passed_over() -> None:
    page = f"<article><h1>Headline</h1><div>By The Example Press</div><p>Written by: Julie Mollins</p>{STORY}</article>"
    tree = lxml.html.document_fromstring(f"<html><body>{page}</body></html>")
    assert visible_bylines(tree, ["The Example Press"]) == ["Julie Mollins"]


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_name_in_bold_opening_or_closing_the_article_is_its_byline(where: str) -> None:
    name = "<p><strong>Mohloai Mpesi</strong></p>"
    body = name + STORY if where == "first" else STORY + name
    tree = lxml.html.document_fromstring(f"<html><body><article>{body}</article></body></html>")
    assert bold_name_paragraphs(tree) == ["Mohloai Mpesi"]


@pytest.mark.parametrize("bold", ["<p><strong>Weitere Links:</strong></p>", "<p><b>Monday, Thursday</b></p>",
                                  "<p><b>the next step</b></p>"])
def test_a_bold_heading_or_a_bold_paragraph_inside_the_story_names_nobody(bold: str) -> None:
    middle = STORY + "<p><b>Jane Doe</b></p>" + STORY
    for body in (bold + STORY, middle):
        tree = lxml.html.document_fromstring(f"<html><body><article>{body}</article></body></html>")
        assert bold_name_paragraphs(tree) == []


@pytest.mark.parametrize("text", ["admin", "Wordpressadmin", "Super User", "Journalist", "Autor", "Posted",
                                  "Art Edwards says", "On August 3"])
def test_accounts_roles_commenters_and_dates_are_no_names(text: str) -> None:
    assert not_a_name(text)


@pytest.mark.parametrize("text", ["Jane Doe", "Redaktion", "dpa", "Sebastian Drescher"])
def test_names_and_newsrooms_are_names(text: str) -> None:
    assert not not_a_name(text)


def test_the_copyright_holder_named_as_author_beside_a_person_is_not_one() -> None:
    head = ('<meta name="author" content="Example Media Group"><meta name="copyright" '
            'content="Copyright (c) Example Media Group 2023"><meta property="article:author" content="Jane Doe">')
    fields = extract_fields("https://news.example/council", _page(head, ""),
                            {"content-type": "text/html; charset=utf-8"}, ExtractOptions())
    assert fields["authors"] == ["Jane Doe"]


def test_a_bylines_label_left_before_the_name_and_entities_escaped_twice_are_cleaned() -> None:
    assert split_names(["Autor Monika Bolliger", "Interview: Julia Lauter", "Auteur Anna Kubišta"]) == [
        "Monika Bolliger", "Julia Lauter", "Anna Kubišta"]
    assert split_names(["Redacci&oacute;n Diario Example"]) == ["Redacción Diario Example"]
    assert split_names(["Text"]) == ["Text"]  # a label alone is left to not_a_name
