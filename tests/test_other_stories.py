"""Other stories of the site never reach an article's text: the teaser cards set in and after it (a
link to the other story and its dek), and the next story a site renders below the article. The
article's own paragraphs stay, links and all."""

from __future__ import annotations

import lxml.html

from pipelines.extract.fields import ExtractOptions, extract_fields
from pipelines.extract.linked_teasers import linked_teaser_texts
from pipelines.extract.site_paths import SitePaths

URL = "https://harbourtimes.example/city/2024/03/01/harbour-reopens-after-storm"
HTML = {"Content-Type": "text/html; charset=utf-8"}
HEADLINE = "The harbour reopens after the storm"

PARAGRAPHS = [
    "The harbour of the old town reopened on Monday morning, three weeks after the storm tore two of its "
    "piers from their moorings and sank a dozen fishing boats that had stayed in port for the winter.",
    "Dock workers had cleared the last of the wreckage by Sunday night, the port authority said, and the "
    "first ferry to the islands left on time at seven, carrying commuters, two lorries and a school class.",
    "The repairs cost the city more than four million euros, most of it for the northern pier, which had "
    "to be rebuilt from the sea floor up after divers found its old wooden piles rotten through.",
    "Fishermen said they were relieved but worried about the next storm season, which forecasters expect "
    "to be harsher than usual, and asked the council to raise the breakwater before the autumn.",
]


def _page(body: str, *, og_title: str = HEADLINE) -> bytes:
    return (f"<html lang='en'><head><title>{HEADLINE} | Harbour Times</title>"
            f"<meta property='og:title' content='{og_title}'></head><body>{body}</body></html>").encode()


def _article(*inside: str) -> str:
    """The article with each of `inside` after a paragraph of its own (an empty string: nothing)."""
    body = "".join(f"<p>{paragraph}</p>{extra}" for paragraph, extra in zip(PARAGRAPHS, inside, strict=False))
    return f"<article><h1>{HEADLINE}</h1>{body}{''.join(f'<p>{p}</p>' for p in PARAGRAPHS[len(inside):])}</article>"


def _text(page: bytes) -> list[str]:
    return extract_fields(URL, page, HTML, ExtractOptions())["text"].split("\n")


# --- teaser cards ---------------------------------------------------------------------------------

PROMO = ("<div class='enhancement'><div class='promo'><div class='media'><a href='/life/2024/02/14/ease-anxiety'>"
         "<img src='/a.jpg' alt=''></a></div><div class='content'><p class='category'><a href='/life'>Life &amp; Style"
         "</a></p><h3><a href='/life/2024/02/14/ease-anxiety'>How to ease your anxiety when it is all too much</a></h3>"
         "<p>Experts say that putting worries in boxes can be a healthy tool to get through the day.</p>"
         "<p>Feb. 14, 2024</p></div></div></div>")


def test_the_dek_of_a_teaser_card_set_inside_the_article_is_not_article_text() -> None:
    assert _text(_page(_article("", PROMO))) == PARAGRAPHS


def test_the_deks_of_the_cards_of_more_stories_after_the_article_are_not_article_text() -> None:
    # cards as a site's "more stories" box sets them: a headline link as a bare <a> between the blocks of
    # the card, or as a heading with its dek as a second heading, the picture linking the same story
    cards = "".join(
        f"<div class='col'><div class='inner'><div class='kicker'><a href='/city'>City</a></div>"
        f"<a class='title' href='/city/2024/02/{day}/story-{day}'>Another story of the city, number {day}</a>"
        f"<div class='lead'><p>The first words of the other story number {day}, cut off where the card ends...</p>"
        f"</div></div></div>" for day in (10, 11))
    items = "".join(
        f"<li><a href='/sport/story-{day}/'><img src='/b.jpg' alt=''></a><div><h3><a href='/sport/story-{day}/'>"
        f"Rams top Bears as offenses struggle, game {day}</a></h3><h4>Neither side got much going on Sunday night"
        f" in game {day}</h4></div></li>" for day in (1, 2))
    more = f"<section><h2>More stories</h2>{cards}<ul>{items}</ul></section>"
    page = _page(f"<article><h1>{HEADLINE}</h1>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}{more}</article>")

    assert _text(page) == PARAGRAPHS


def test_teaser_cards_set_each_as_one_link_are_found_whatever_they_hold() -> None:
    # the whole card is the link: the other story's picture, topic, headline, date and dek inside one <a>
    cards = "".join(
        f"<article class='pt-4'><a href='/article/1003{day}' class='flex group'><div class='w-32'>"
        f"<img src='/{day}.jpg' alt=''></div><div class='flex-1'><div class='items-center'><span>Demografie"
        f"</span></div><h3>Another story of the city, number {day}</h3><div class='date'>2024-02-{day}</div>"
        f"<p><font class='red'>KICKER: </font>The first words of the other story number {day}, which go on far "
        f"longer than any dek a card usually shows, sentence after sentence, until the card cuts them off at "
        f"its end, where a reader clicks to read the rest of the story on its own page</p></div></a></article>"
        for day in (10, 11))
    tree = lxml.html.document_fromstring(_page(_article("", f"<div class='flex flex-col'>{cards}</div>")))

    found = linked_teaser_texts(tree, SitePaths(URL))

    assert {"another story of the city, number 10", "another story of the city, number 11"} <= found
    assert any(key.startswith("kicker: the first words of the other story number 10") for key in found)
    assert not found & {p.casefold().rstrip(".") for p in PARAGRAPHS}


def test_a_card_of_this_very_story_under_another_address_keeps_the_standfirst() -> None:
    # a "similar articles" box lists the story itself, under another slug, with its standfirst as dek
    standfirst = "Three weeks after the storm, the first ferry to the islands left on time on Monday."
    card = (f"<div class='similar'><a href='/city/2024/03/01/harbour-storm-reopening?campaign=similar'>"
            f"<h5>{HEADLINE}</h5><p>{standfirst}</p></a></div>")
    article = f"<article><h1>{HEADLINE}</h1><h2>{standfirst}</h2>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article>"
    # the box after the article, or in a sidebar before it
    for page in (_page(article + card), _page(card + article)):
        tree = lxml.html.document_fromstring(page)
        assert standfirst.casefold().rstrip(".") not in linked_teaser_texts(tree, SitePaths(URL))


def test_a_teaser_card_is_found_by_its_markup_whatever_its_class_names() -> None:
    tree = lxml.html.document_fromstring(f"<html><body>{PROMO}</body></html>")
    assert "experts say that putting worries in boxes can be a healthy tool to get through the day" \
        in linked_teaser_texts(tree, SitePaths(URL))


def test_the_articles_own_paragraphs_with_links_to_the_site_stay() -> None:
    linked = [
        # a link inside a sentence, one set as <span>s around it, a paragraph that opens with its link
        "The council <a href='/city/2024/01/05/council-votes-budget'>voted the repair budget in January</a> "
        "after a long debate about who should pay for the piers.",
        "<span>Yet even after the </span><a href='/city/2024/02/02/storm-damage-report'><span>release of the "
        "storm damage report last month</span></a><span> some questions about the piers remain open.</span>",
        "<a href='/city/2024/02/20/mayor-visits-harbour'>The mayor visited the harbour on Tuesday</a>, and "
        "promised the fishermen a new breakwater before the autumn storms come back.",
    ]
    paragraphs = [*PARAGRAPHS[:2], *(lxml.html.fragment_fromstring(p, create_parent="p").text_content()
                                     for p in linked), *PARAGRAPHS[2:]]
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + "".join(
        f"<div class='para'><p>{p}</p></div>" for p in linked) + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])

    assert _text(_page(f"<article><h1>{HEADLINE}</h1>{body}</article>")) == paragraphs


def test_a_short_paragraph_under_a_linked_subheading_of_the_article_is_no_dek() -> None:
    short = "The old pier was built in 1880."
    body = (f"<p>{PARAGRAPHS[0]}</p><h2><a href='/topics/the-long-history-of-the-old-harbour'>The long history of "
            f"the old harbour</a></h2><p>{short}</p>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS[1:])}")
    tree = lxml.html.document_fromstring(_page(f"<article><h1>{HEADLINE}</h1><div class='body'>{body}</div></article>"))
    assert short.casefold().rstrip(".") not in linked_teaser_texts(tree, SitePaths(URL))


def test_a_linked_subheading_and_its_paragraph_in_a_wrapper_of_their_own_are_the_articles() -> None:
    # a block editor's group: no picture, no list, no cards of the same shape beside it
    short = "The repairs cost the city more than four million euros."
    group = (f"<div class='chunk'><p><strong><a href='/city/2024/02/08/storm-hits-the-coast'>Storm hits the coast "
             f"and sinks a dozen boats</a></strong></p><p>{short}</p></div>")
    assert short in _text(_page(_article("", group)))


def test_the_articles_own_header_with_its_standfirst_is_no_card() -> None:
    standfirst = "Three weeks after the storm, the first ferry left on time."
    header = (f"<header><a href='/city/2024/02/08/storm-hits-the-coast'>Read our coverage of the storm</a>"
              f"<h1>{HEADLINE}</h1><p>{standfirst}</p></header>")
    page = _page(f"<article>{header}{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article>")
    tree = lxml.html.document_fromstring(page)
    assert standfirst.casefold().rstrip(".") not in linked_teaser_texts(tree, SitePaths(URL))


def test_the_posts_of_a_live_blog_linking_their_own_address_stay() -> None:
    posts = "".join(f"<div class='post'><h3><a href='{URL}/post-{i}'>Update from the harbour, number {i}</a></h3>"
                    f"<p>{p}</p></div>" for i, p in enumerate(PARAGRAPHS))
    tree = lxml.html.document_fromstring(_page(f"<article><h1>{HEADLINE}</h1>{posts}</article>"))
    assert not linked_teaser_texts(tree, SitePaths(URL)) & {p.casefold().rstrip(".") for p in PARAGRAPHS}


# --- a story appended below the article ------------------------------------------------------------

OTHER = [
    "The football club confirmed on Tuesday that its former manager is in talks about a return to the "
    "club he left three years ago, after a string of defeats cost his successor the job last week.",
    "Supporters gathered outside the stadium in the evening, singing his name, while the club's board met "
    "to discuss the terms of a short contract that would run until the end of the season.",
]


def test_the_next_story_a_site_renders_below_the_article_is_not_part_of_it() -> None:
    # the next story links to its own address, in its headline or its share buttons
    other = (f"<article class='next'><h1><a href='/sport/2024/02/08/manager-return'>Former manager in talks about a "
             f"return</a></h1>{''.join(f'<p>{p}</p>' for p in OTHER)}</article>")
    page = _page(f"<main><div class='article-content'>{_article()}{other}</div></main>", og_title=f"- {HEADLINE}")

    assert _text(page) == PARAGRAPHS


def test_a_live_blogs_posts_with_headlines_of_their_own_stay() -> None:
    posts = "".join(f"<article class='post'><h1>Update {i}: the ferry is late</h1><p>{p}</p>"
                    f"<a href='{URL}#post-{i}'>Link to this post</a></article>" for i, p in enumerate(OTHER))
    page = _page(f"<main>{_article()}{posts}</main>")

    assert set(OTHER) <= set(_text(page))


def test_a_story_with_comments_and_quotes_in_articles_of_their_own_keeps_them_all() -> None:
    quote = "<article class='quote'><p>We waited three weeks for this morning, said the ferry's captain.</p></article>"
    comments = "".join(f"<article class='comment'><h4>Reader {i}</h4><p>{p}</p></article>"
                       for i, p in enumerate(OTHER))
    page = _page(f"<article><h1>{HEADLINE}</h1>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}{quote}"
                 f"<section class='comments'>{comments}</section></article>")
    with_everything = _text(page)

    assert with_everything[:len(PARAGRAPHS)] == PARAGRAPHS
    assert "We waited three weeks for this morning, said the ferry's captain." in with_everything


def test_two_stories_neither_of_which_is_the_declared_headline_are_both_kept() -> None:
    other = f"<article><h1>Former manager in talks about a return</h1>{''.join(f'<p>{p}</p>' for p in OTHER)}</article>"
    page = _page(f"<main><div class='article-content'>{_article()}{other}</div></main>",
                 og_title="Harbour news of the week")

    assert set(PARAGRAPHS) <= set(_text(page))


def test_a_listicles_items_and_a_recipes_table_are_no_teaser_cards() -> None:
    # each item's heading links the site's page of the item; its text is the article's, in a caption
    items = "".join(f"<figure><div><h2><a href='/gallery/costumes/photo-{i}'>{i}. A costume for the party, number {i}"
                    f"</a></h2></div><img src='/{i}.jpg'><figcaption><p>What you need: {p}</p></figcaption></figure>"
                    for i, p in enumerate(OTHER))
    ingredients = ("<table><tr><th><h3>For the pastry:</h3></th></tr><tr><td>125 g</td><td>flour</td></tr>"
                   "<tr><td>1</td><td><a href='/magazine/eggs-the-quiet-star-of-the-kitchen'>egg, the quiet star of the "
                   "kitchen</a></td></tr></table>")
    tree = lxml.html.document_fromstring(_page(f"<article><h1>{HEADLINE}</h1>{items}{ingredients}</article>"))
    found = linked_teaser_texts(tree, SitePaths(URL))
    assert not any(key.startswith("what you need") for key in found)
    assert "for the pastry" not in found and "125 g flour" not in found
