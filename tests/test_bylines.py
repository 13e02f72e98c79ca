"""A writer named only in print ("By Jane Doe", "Von: Götz Warnke") is the record's author when no
markup names a person; words that only start like a byline are not."""

from __future__ import annotations

import lxml.html
import pytest

from pipelines.extract.bylines import not_a_name, split_names
from pipelines.extract.fields import extract_fields
from pipelines.extract.marked_authors import marked_authors
from pipelines.extract.options import ExtractOptions
from pipelines.extract.printed_bylines import bold_name_paragraphs, visible_bylines

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
    # "and" where it is also part of a name: two writers only between two full names
    ("<p>Par Jeanne Dupont et Marc Lefèvre</p>", ["Jeanne Dupont", "Marc Lefèvre"]),
    ("<p>Por Juana Pérez y Carlos Ruiz</p>", ["Juana Pérez", "Carlos Ruiz"]),
    ("<p>Por José Ortega y Gasset</p>", ["José Ortega y Gasset"]),
    ("<p>Autorzy: Anna Kowalska i Jan Nowak</p>", ["Anna Kowalska", "Jan Nowak"]),
    # labels in Cyrillic, Hungarian, Turkish; German "Beitrag von"
    ("<p>Автор: Иван Петров</p>", ["Иван Петров"]),
    ("<p>Текст: Олена Коваленко</p>", ["Олена Коваленко"]),
    ("<p>Szerző: Kovács Anna</p>", ["Kovács Anna"]),
    ("<p>Yazar: Ayşe Yılmaz</p>", ["Ayşe Yılmaz"]),
    ("<p>Blog Beitrag von Margarita Koreneva</p>", ["Margarita Koreneva"]),
    # the writer's social handle after the name
    ("<p>By Jane Doe @janedoe</p>", ["Jane Doe"]),
    # Korean and Japanese: the post after the name
    ("<p>홍길동 기자 hong@example.co.kr</p>", ["홍길동"]), ("<p>[서울=뉴시스] 김철수 특파원 =</p>", ["김철수"]),
    ("<p>山田太郎記者</p>", ["山田太郎"]), ("<p>기자 회견</p>", []),
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
                                  "Art Edwards says", "On August 3", "red.", "Agenturen", "Nachrichten", "News"])
def test_accounts_roles_commenters_dates_and_generic_words_are_no_names(text: str) -> None:
    assert not_a_name(text)


@pytest.mark.parametrize("text", ["Jane Doe", "Redaktion", "dpa", "Sebastian Drescher", "Red Smith", "Fox News"])
def test_names_and_newsrooms_are_names(text: str) -> None:
    assert not not_a_name(text)


@pytest.mark.parametrize("text", [
    "Martin Doe Martin is a full-stack engineer",  # a bio's sentence
    "Kundin ist ein Partner-Service von example ch",
    "Has Worked As A Professional Python Developer Since",  # a title-cased line
    "Фото из Инстаграма Джейн Доу", "Photo courtesy of Jane Doe",  # a photo's credit
    "Projektleiterin der Example-Stiftung", "Head of Communications",  # a post
    "Co. KG",  # the end of "Example GmbH & Co. KG"
])
def test_a_phrase_a_credit_or_a_post_taken_for_a_name_is_none(text: str) -> None:
    assert not_a_name(text)


@pytest.mark.parametrize("text", [
    "Les Membres du Choeur de Radio France", "Bundesverband der Energie- und Wasserwirtschaft",
    "Museum of Fine Arts", "María del Carmen García de la Fuente", "Die Redaktion von Example News",
    "Leiter Jane",  # a name that only starts like a post
])
def test_long_names_of_people_and_organisations_are_names(text: str) -> None:
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


# --- the writer as the markup marks them -------------------------------------------------------------


def _marked(body: str) -> list[str]:
    return marked_authors(lxml.html.document_fromstring(f"<html><body>{body}</body></html>"))


@pytest.mark.parametrize(("byline", "names"), [
    # WordPress: hCard and rel=author, inside the post's wrapper named after its categories
    ("<div class='post-7 category-politik'><h1>Headline</h1><div class='entry-meta'><span class='by-author'>by "
     "<span class='author vcard'><a class='url fn n' rel='author' href='/author/marc/'>marc</a></span></span>"
     f"</div>{STORY}</div>", ["marc"]),
    # the link in a byline's short container, though the address spells another account
    ("<article><h1>Headline</h1><span class='author vcard'>von <a class='url fn n' href='/author/zanjar/'>"
     f"Christian Spließ</a></span>{STORY}</article>", ["Christian Spließ"]),
    # microdata: the author's itemprop=name
    ("<article><h1>Headline</h1><div itemprop='author' itemscope><span itemprop='name'>Joachim Hamberger</span>"
     f"<span>Redakteur</span></div>{STORY}</article>", ["Joachim Hamberger"]),
    # a class naming the writer, its label and the date around the name
    (f"<article><h1>Headline</h1><div class='byline__author'>Von Jane Doe am 21. April 2020</div>{STORY}</article>",
     ["Jane Doe"]),
    # links to the writers' pages, the names spelled in their addresses
    ("<article><h1>Headline</h1><p><a href='/autoren/joerg-mueller'>Jörg Müller</a> und "
     f"<a href='/autoren/jane-doe'>Jane Doe</a></p>{STORY}</article>", ["Jörg Müller", "Jane Doe"]),
    # every writer of one list, each with an affiliation
    ("<article><h1>Headline</h1><div>" + "".join(
        f"<a class='author-name' href='#'>{n}, PhD</a><div class='author-info'>University of Somewhere, "
        f"Department of Economics, Somewhere, California</div>" for n in ("Ann Lee", "Bo Chen", "Cy Diaz"))
     + f"</div>{STORY}</article>", ["Ann Lee", "PhD", "Bo Chen", "Cy Diaz"]),
    # a name's own particle is no label; a whole page in one <form> (ASP.NET) is still the page
    (f"<article><h1>Headline</h1><span class='author-name'>Moritz von Uslar</span>{STORY}</article>",
     ["Moritz von Uslar"]),
    (f"<article><h1>Headline</h1><div class='author'>Pressemitteilung von Jane Doe</div>{STORY}</article>",
     ["Jane Doe"]),
    (f"<form id='aspnetForm'><article><h1>Headline</h1><a rel='author' href='/a/u'>Ursula von der Leyen</a>{STORY}"
     "</article></form>", ["Ursula von der Leyen"]),
    # a forum's thread: the first post's writer
    ("<h1>Thread</h1><article class='message' data-author='Tiberius'>Patch notes</article>"
     "<article class='message' data-author='Bibi Blocksberg'>Thanks!</article>", ["Tiberius"]),
])
def test_the_writer_the_markup_marks(byline: str, names: list[str]) -> None:
    assert _marked(byline) == names


@pytest.mark.parametrize("where", [
    "<div class='comment-author vcard'><a class='url fn n' rel='author' href='/u/x'>Angry Reader</a></div>",
    "<aside><a rel='author' href='/author/jane'>Other Writer</a></aside>",
    "<div class='widget recent-posts'><span class='author'>Other Writer</span></div>",
    # a teaser of another story: a link around much more than the name
    "<a href='/other-story'><h3>Another story about the harbour, its long history and its boats</h3>"
    "<span class='author'>Other Writer</span></a>",
    # a picture's credit
    "<figure><img src='x.jpg'><figcaption><span class='author'>Photo Grapher</span></figcaption></figure>",
    "<div class='image-author'>© Getty Images</div>",
    # a link to the writers' pages that names none of them, a label where a name belongs
    "<div class='author-box'><a href='/autoren/gathmann-moritz'>Zur Artikelübersicht</a></div>",
    "<span class='meta-prep-author'>Posted on</span>",
    # who a pull quote quotes
    "<blockquote>Imagination is more important.<cite class='quote-author'>Albert Einstein</cite></blockquote>",
    "<div class='pullquote'><p>Imagination is more important.</p><span class='author'>Albert Einstein</span></div>",
])
def test_what_the_markup_marks_outside_the_story_or_names_nobody_is_no_writer(where: str) -> None:
    assert _marked(f"<article><h1>Headline</h1>{where}{STORY}</article>") == []


def test_a_class_of_the_stories_wrapper_that_only_looks_like_a_box_is_the_story() -> None:
    # "commentary", "sidebar-1": what holds the headline is the story, whatever its class says
    for wrapper in ("full news commentary article", "sidebar-1"):
        page = (f"<div class='{wrapper}'><h1>Headline</h1><span class='author'>Jane Doe</span>{STORY}</div>")
        assert _marked(page) == ["Jane Doe"]
        assert _bylines(page.replace("<span class='author'>Jane Doe", "<span>By Jane Doe")) == ["Jane Doe"]


@pytest.mark.parametrize(("byline", "names"), [
    ("<p class='postmetadata'>Von R. R. am <a href='/2013/08/07/'>7. August 2013</a></p>", ["R. R"]),
    ("<span class='category'>Posted by Konstantin</span>", ["Konstantin"]),
    ("<span>Geschrieben von <a href='/userinfo.php?uid=6'>Cooper</a></span>", ["Cooper"]),
    ("<p>Autoren Jelko Djuren und Jutta Klaukien</p>", ["Jelko Djuren", "Jutta Klaukien"]),
    # the label in the tail of a <br>, the name after it
    ("<div>Quelle: Gericht<br><br>Autor: <a href='/rechtsanwalt/'>Rechtsanwalt</a> Jane Doe</div>",
     ["Rechtsanwalt Jane Doe"]),
    ("<div class='edit'>(作者：牛镛、岳弘彬)</div>", ["牛镛", "岳弘彬"]),
    # the label in an element of its own, as DedeCMS prints it: the names in the text after it
    ("<div class='info'><small>来源:</small>新华社 <small>作者:</small>牛镛 岳弘彬 <small>点击:</small></div>",
     ["牛镛", "岳弘彬"]),
    # particles inside a name ("Le", "El", "Op") end it only before a date
    ("<p>Par Marie Claire Le Goff</p>", ["Marie Claire Le Goff"]),
    ("<p>Door Jan Peter Op den Brink</p>", ["Jan Peter Op den Brink"]),
    ("<p>Par Jean Dupont le 3 mai 2020</p>", ["Jean Dupont"]),
])
def test_more_printed_bylines(byline: str, names: list[str]) -> None:
    assert _bylines(f"<article><h1>Headline</h1>{byline}{STORY}</article>") == names


def test_an_editor_and_a_teasers_byline_name_no_writer_of_the_story() -> None:
    assert _bylines(f"<article><h1>Headline</h1>{STORY}<div>【责任编辑:张樵苏】</div></article>") == []
    # "about the author", "more by the author": headings, no names
    assert _bylines(f"<article><h1>Headline</h1>{STORY}<h3>作者简介</h3><h3>作者其他文章</h3></article>") == []
    teaser = ("<a href='/other'><p>A story about another harbour and the boats that sail from it every day</p>"
              "<h6>By Ben Blanchard and Yimou Lee</h6></a>")
    assert _bylines(f"<article><h1>Headline</h1>{STORY}{teaser}</article>") == []


def test_two_writers_in_bold_after_a_standfirst_in_italics() -> None:
    body = ("<p><em>Communities cry foul over lost livelihoods</em></p>"
            "<p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p>" + STORY)
    tree = lxml.html.document_fromstring(f"<html><body><article>{body}</article></body></html>")
    assert bold_name_paragraphs(tree) == ["Mathatisi Sebusi", "Mohalenyane Phakela"]


def test_names_lose_what_is_no_part_of_them() -> None:
    assert split_names(["Mat\xadthi\xadas Lauerer", "Elena Oberholzer (obe)", "'Luana Patriolino",
                        "Mathias Hagen / Journalist", "The Washington Times https://www.washingtontimes.com"]) == [
        "Matthias Lauerer", "Elena Oberholzer", "Luana Patriolino", "Mathias Hagen", "The Washington Times"]
    assert all(not_a_name(t) for t in ("By", "von", "Letzte Aktualisierung", "Copyright Example GmbH", "oacute"))


@pytest.mark.parametrize(("byline", "names"), [
    # more labels: "Story by", "Texto:", "Tekst:", Finnish "Kirjoittanut"
    ("<p>Story by Jane Doe</p>", ["Jane Doe"]),
    ("<p>Texto: Jane Doe</p>", ["Jane Doe"]),
    ("<p>Tekst: Jane Doe</p>", ["Jane Doe"]),
    ("<p>Kirjoittanut Jane Doe</p>", ["Jane Doe"]),
    # the writer's role after the name is no second writer
    ("<p>By Jane Doe, Staff Writer</p>", ["Jane Doe"]),
    ("<p>By Jane Doe and John Roe, Political Correspondents</p>", ["Jane Doe", "John Roe"]),
    # no label, but the role or the agency after the name
    ("<p>Jane Doe, Staff Writer</p>", ["Jane Doe"]),
    ("<p>Jane Doe | Reuters</p>", ["Jane Doe"]),
])
def test_bylines_with_more_labels_and_with_the_writers_role(byline: str, names: list[str]) -> None:
    assert _bylines(f"<article><h1>Headline</h1>{byline}{STORY}</article>") == names


@pytest.mark.parametrize("text", [
    # a photo's credit: the agency after a slash, or a caption's name and role
    "<figure><img src='/a.jpg'><figcaption>Jane Doe, Staff Photographer</figcaption></figure>",
    "<div class='image-credit'>Jane Doe | Reuters</div>",
    "<p>Jane Doe/AP</p>",
    # a name alone, and a sentence naming someone's role
    "<p>Jane Doe</p>",
    "<p>Jane Doe, the council's staff writer, said nothing.</p>",
])
def test_a_name_with_a_role_in_a_caption_or_a_sentence_is_no_byline(text: str) -> None:
    assert _bylines(f"<article><h1>Headline</h1>{text}{STORY}</article>") == []


@pytest.mark.parametrize("byline", ["<p>Written by Jane Doe</p>", "<p>Text: Jane Doe</p>", "<p>Jane Doe, Staff Writer</p>",
                                    "<p>Von Jane Doe, Berlin</p>", "<p>Autorin: Jane Doe, Projektleiterin der Stiftung</p>"])
def test_the_printed_byline_is_the_records_author_and_leaves_the_text(byline: str) -> None:
    page = f"<html><body><article><h1>Council decides</h1>{byline}{STORY}</article></body></html>".encode()

    fields = extract_fields("https://news.example/2024/council", page, {}, ExtractOptions())

    assert fields["authors"] == ["Jane Doe"]
    assert "Jane Doe" not in fields["text"]



@pytest.mark.parametrize(("bio", "writer"), [
    ("Jane Doe is a reporter covering city hall and transport.", ["Jane Doe"]),
    ("Korrespondent Ulrich Exner ist seit 2015 in Berlin für die Zeitung tätig.", ["Ulrich Exner"]),
    ("Jane Doe is a nurse at the harbour clinic.", []),  # a person the story ends on, no writer
    # the box's heading, the name alone, over a bio by the first name
    ("Jane Doe</p><p>Jane covers city hall and transport for the paper.", ["Jane Doe"]),
    ("Jane Doe</p><p>Jane was a nurse at the harbour clinic for thirty years.", []),
])
def test_without_a_byline_the_journalists_bio_closing_the_story_names_its_writer(bio: str, writer: list[str]) -> None:
    page = f"<html><body><article><h1>Council decides</h1>{STORY}<p>{bio}</p></article></body></html>".encode()
    bio = bio.replace("</p><p>", "\n")

    fields = extract_fields("https://news.example/2024/council", page, {}, ExtractOptions())

    assert fields["authors"] == writer
    assert all((line in fields["text"]) == (not writer) for line in bio.splitlines())


@pytest.mark.parametrize("byline", ["<p>By Lena Fischer</p>", ""])
def test_the_tail_of_a_bio_box_after_its_and_is_no_writer(byline: str) -> None:
    # the box's class says "author", and trafilatura and the markup both read its text as a byline
    box = ("<div class='c-author'><p>Lena Fischer</p><p>Lena Fischer edits the business desk. Send her tips on "
           "local companies and start-ups.</p></div>")
    page = f"<html><body><article><h1>Council decides</h1>{byline}{STORY}{box}</article></body></html>".encode()

    fields = extract_fields("https://news.example/2024/council", page, {}, ExtractOptions())

    assert fields["authors"] == (["Lena Fischer"] if byline else [])
    # the box's whole text, as its marked container gives it: a part longer than a name makes it no list of names
    assert split_names(["Lena Fischer Lena Fischer edits the business desk. Send her tips on local companies and "
                        "start-ups."]) == []


def test_a_sentence_naming_the_writer_stays_in_the_text() -> None:
    ld = '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}'
    page = (f"<html><head><script type='application/ld+json'>{ld}</script></head><body><article><h1>Council decides</h1>"
            f"{STORY}<p>Jane Doe, who wrote this story, sat in the council's gallery until midnight.</p>"
            f"</article></body></html>").encode()

    fields = extract_fields("https://news.example/2024/council", page, {}, ExtractOptions())

    assert fields["authors"] == ["Jane Doe"]
    assert "Jane Doe, who wrote this story, sat in the council's gallery until midnight." in fields["text"]


@pytest.mark.parametrize(("byline", "names"), [
    ("<div><span>Sehernur Karsu &nbsp;|</span> <span>05.04.2025 - Güncelleme : 05.04.2025</span></div>",
     ["Sehernur Karsu"]),
    ("<div>Jane Doe · 12 March 2024</div>", ["Jane Doe"]),
    ("<div><span>Jane Doe</span></div><div><time datetime='2024-03-12'>12 March 2024</time></div>", ["Jane Doe"]),
    ("<div><img src='/jd.jpg' alt=''><span>Jane Doe</span><span>Senior Reporter</span></div>", ["Jane Doe"]),
    ("<small>04.02.2022 | 13:10 Uhr | Uta Helkenberg</small>", ["Uta Helkenberg"]),
    # a section, a day without its year, a label in capitals: no byline
    ("<div>Politik | Jane Doe</div>", []), ("<div>30.11. | Buch der Woche</div>", []),
    ("<div>12.03.2024 | PAID CONTENT</div>", []),
    # a section's name is a link; a kicker before the date is no name; nor is the last of a row of names
    ("<div><a href='/world/middle-east'>Middle East</a> | <span>12 March 2024</span></div>", []),
    ("<div>Middle East | the war's second year</div>", []),
    ("<div><span>Jane Doe</span> <span>John Roe</span></div><div><time datetime='2024-03-12'>12 March 2024</time></div>",
     []),
])
def test_a_name_without_label_before_its_date_or_role_under_the_headline_is_the_byline(byline: str, names: list[str]) -> None:
    assert _bylines(f"<article><h1>Headline</h1>{byline}{STORY}</article>") == names
    # far from the headline, the same line is some other story's
    assert _bylines(f"<article><h1>Headline</h1>{STORY}{STORY}{byline}</article>") == []


def test_names_given_in_parts_with_a_role_or_as_creator() -> None:
    assert split_names(["By Jane Doe | Staff Writer", "Staff"]) == ["Jane Doe", "Staff"]
    # the dateline's label run on from the next element is no part of the name
    assert split_names(["Le Figaro et AFP Publié le 22/11/2024 à 07:22", "Reuters Updated: January 5, 2024",
                        "Jane Doe Published 11:46 p.m. ET"]) == ["Le Figaro et AFP", "Reuters", "Jane Doe"]
    assert split_names(["신현주 기자", "山田太郎記者"]) == ["신현주", "山田太郎"]

    def authors(ld: str) -> list[str]:
        head = f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Council decides", {ld}}}</script>'
        return extract_fields("https://news.example/council", _page(head, ""), {}, ExtractOptions())["authors"]

    assert authors('"author": [{"@type": "Person", "givenName": "Jane", "familyName": "Doe"}]') == ["Jane Doe"]
    assert authors('"creator": ["Jane Doe", "John Roe"]') == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize(("link", "names"), [
    ("<p class='meta'>By <a href='/truth-o-meter/staff/louis-jacobson/'>Louis Jacobson</a> on Monday</p>",
     ["Louis Jacobson"]),
    ("<div><a href='/people/jane-doe'>Jane Doe</a></div>", ["Jane Doe"]),
    ("<div><a href='/user/profile/rmonge'>Rebeca Monge</a></div>", ["Rebeca Monge"]),
    ("<div><a href='/by/jane-doe'>Jane Doe</a></div>", ["Jane Doe"]),
    # a section under "people", a licence's "/by/", a person the story is about: no writer
    ("<ul><li><a href='/themen/people/portraits'>Portraits</a></li></ul>", []),
    ("<p><a href='https://creativecommons.org/licenses/by/4.0/'>Creative Commons Attribution</a></p>", []),
    ("<p>The mayor, <a href='/people/john-roe'>John Roe</a>, said the plan was long overdue and thanked the council "
     "for two years of work on it.</p>", []),
])
def test_a_link_to_a_persons_page_standing_alone_names_the_writer(link: str, names: list[str]) -> None:
    assert _marked(f"<article><h1>Headline</h1>{link}{STORY}{STORY}</article>") == names


def _ld(author: str) -> str:
    return ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council decides", '
            f'"author": {author}}}</script><meta property="og:site_name" content="Example News">')


@pytest.mark.parametrize("head", [
    # the site's name in another spelling, a newsroom's word, an organisation that is no agency:
    # none is a person, and the printed byline names the writer
    _ld('{"@type": "Person", "name": "Example News Staff"}'),
    _ld('{"@type": "Person", "name": "Example News Desk"}'),
    _ld('{"@type": "Person", "name": "EN"}'),
    _ld('{"@type": "Person", "name": "Web Desk"}'),
    _ld('{"@type": "Person", "name": "Staff Reporter"}'),
    _ld('{"@type": "Person", "name": "Redaktion"}'),
    _ld('{"@type": "Organization", "name": "Example Broadcasting Corporation"}'),
    "<meta property='og:site_name' content='Example News'><meta name='author' content='Example News Digital'>",
])
def test_a_json_ld_author_that_is_no_person_leaves_the_byline_to_name_the_writer(head: str) -> None:
    page = (f"<html><head><title>Council decides</title>{head}</head><body><article><h1>Council decides</h1>"
            f"<p>By Jane Doe</p>{STORY}</article></body></html>").encode()

    assert extract_fields("https://www.examplenews.com/2024/council", page, {}, ExtractOptions())["authors"] == ["Jane Doe"]


def test_a_class_named_the_bem_way_marks_the_writer_and_a_place_after_an_agency_is_none() -> None:
    assert _marked(f"<article><h1>Headline</h1><span class='byline__name'>Jane Doe</span>{STORY}</article>") == [
        "Jane Doe"]
    head = _ld('"Reuters"')
    byline = ("<div><a class='article-author__name' href='/author/reuters'>Reuters, </a>"
              "<span class='article-author__name'> Washington, </span></div>")
    page = (f"<html><head><title>Council decides</title>{head}</head><body><article><h1>Council decides</h1>"
            f"{byline}{STORY}</article></body></html>").encode()

    assert extract_fields("https://www.examplenews.com/2024/council", page, {}, ExtractOptions())["authors"] == ["Reuters"]


@pytest.mark.parametrize(("byline", "names"), [
    # the JSON-LD names the first writer only, the byline both
    ("<p>By Jane Doe and John Roe</p>", ["Jane Doe", "John Roe"]),
    # a department after the declared writer is no co-writer
    ("<p>Posted by Jane Doe, Project Marketing, Example</p>", ["Jane Doe"]),
    # another story's byline is no list of this one's writers
    ("<p>By John Roe</p>", ["Jane Doe"]),
])
def test_the_printed_byline_adds_the_writers_the_json_ld_left_out(byline: str, names: list[str]) -> None:
    head = _ld('{"@type": "Person", "name": "Jane Doe"}')
    page = (f"<html><head><title>Council decides</title>{head}</head><body><article><h1>Council decides</h1>"
            f"{byline}{STORY}</article></body></html>").encode()

    assert extract_fields("https://www.examplenews.com/2024/council", page, {}, ExtractOptions())["authors"] == names
