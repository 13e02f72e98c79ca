"""A live blog keeps every post the page shows, also where trafilatura takes the introduction above
them for the whole article: the posts the page's JSON-LD lists (schema.org LiveBlogPosting) and the
page shows are added to the text. Posts the JSON-LD lists but the page does not show stay out."""

from __future__ import annotations

import json

from pipelines.extract.fields import ExtractOptions, extract_fields

URL = "https://harbourtimes.example/sport/2024/03/02/harbour-fc-v-city-live"
HTML = {"Content-Type": "text/html; charset=utf-8"}
HEADLINE = "Harbour FC v City: live updates from the cup final"

INTRO = [
    "Harbour FC meet City in the cup final at the old stadium this afternoon, the first final the club has "
    "reached in forty years, and the town has been decorated in blue and white since the semi-final.",
    "City arrive as favourites after an unbeaten run of eleven games, but their captain is missing with a "
    "knee injury and their manager said on Friday that his side would have to earn every yard of the pitch.",
]
POSTS = [
    ("Full time: Harbour 2 City 1", "The whistle goes and the old stadium erupts. Harbour hold on through six "
     "minutes of added time and the cup is theirs for the first time in the club's history."),
    ("Goal! Harbour 2 City 1", "A corner from the left is headed back across goal and the substitute scrambles "
     "the ball over the line from a yard out, to the delight of the home end behind that goal."),
    ("Half time", "City have had most of the ball but Harbour have had the better chances, and the keeper has "
     "kept his side level with two fine saves from the visitors' striker before the break."),
    ("Teams are out", "Both sides are unchanged from the semi-finals. The home captain leads his team out to a "
     "wall of noise, and the visitors' fans answer from the far corner of the ground."),
]
OLDER = ("Preview", "Yesterday's preview of the final: the two managers spoke to the press about their plans, "
         "the injuries in both squads and the weather expected for the afternoon of the match.")


def _jsonld(posts: list[tuple[str, str]]) -> str:
    blog = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": HEADLINE,
            "liveBlogUpdate": [{"@type": "BlogPosting", "headline": h, "articleBody": b} for h, b in posts]}
    return f"<script type='application/ld+json'>{json.dumps(blog)}</script>"


def _post(headline: str, body: str) -> str:
    return f"<div class='live-post'><div class='post-meta'><h2>{headline}</h2></div><div><p>{body}</p></div></div>"


def _page(shown: list[tuple[str, str]], listed: list[tuple[str, str]]) -> bytes:
    # the introduction under the class name trafilatura looks for first, the posts in a stream of their own
    intro = "".join(f"<p>{p}</p>" for p in INTRO)
    return (f"<html lang='en'><head><title>{HEADLINE}</title>{_jsonld(listed)}</head><body><main><article>"
            f"<h1>{HEADLINE}</h1><div class='article-body'>{intro}</div>"
            f"<div class='tabs'><div class='live-stream'>{''.join(_post(*p) for p in shown)}</div></div>"
            f"</article></main></body></html>").encode()


def _text(page: bytes) -> str:
    return extract_fields(URL, page, HTML, ExtractOptions())["text"]


def test_the_posts_a_live_blog_shows_below_its_introduction_are_in_the_text() -> None:
    text = _text(_page(POSTS, POSTS))
    for paragraph in INTRO:
        assert paragraph in text
    for headline, body in POSTS:
        assert headline in text.split("\n")
        assert body in text
    # in the order the blog lists them, after the introduction
    assert text.index(INTRO[-1]) < text.index(POSTS[0][1]) < text.index(POSTS[-1][1])


def test_a_post_is_not_repeated_when_the_text_already_holds_it() -> None:
    text = _text(_page(POSTS, POSTS))
    assert all(text.count(body) == 1 for _, body in POSTS)


def test_posts_the_json_ld_lists_but_the_page_does_not_show_stay_out() -> None:
    # a blog's older posts, listed in its JSON-LD but on another page of the blog
    text = _text(_page(POSTS, [*POSTS, OLDER]))
    assert OLDER[1] not in text
    assert POSTS[-1][1] in text


def test_the_live_blog_of_another_story_in_the_sidebar_stays_out() -> None:
    ticker = [("Storm latest", "The storm reached the coast at noon and the ferries to the islands were cancelled "
                               "for the rest of the day, the port authority said in a short statement."),
              ("Roads closed", "Police closed the coast road between the two harbours after a tree fell across "
                               "both lanes near the lighthouse, and asked drivers to stay at home tonight."),
              ("Schools", "All schools of the district will stay closed tomorrow, the council said, and "
                          "parents should check its website for the latest news before the morning.")]
    other = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": "Storm: live",
             "url": "https://harbourtimes.example/weather/storm-live",
             "liveBlogUpdate": [{"@type": "BlogPosting", "headline": h, "articleBody": b} for h, b in ticker]}
    article = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE}
    page = (f"<html lang='en'><head><title>{HEADLINE}</title>"
            f"<script type='application/ld+json'>{json.dumps(article)}</script>"
            f"<script type='application/ld+json'>{json.dumps(other)}</script></head><body><main><article>"
            f"<h1>{HEADLINE}</h1>{''.join(f'<p>{p}</p>' for p in INTRO)}</article>"
            f"<aside><h2>Storm: live</h2>{''.join(_post(*post) for post in ticker)}</aside></main></body></html>")
    text = _text(page.encode())
    assert all(paragraph in text for paragraph in INTRO)
    assert not any(body in text for _, body in ticker)


def test_the_live_blog_at_the_pages_address_is_its_own_whatever_its_headline() -> None:
    blog = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": "Cup final: as it happened",
            "url": URL + "#top",
            "liveBlogUpdate": [{"@type": "BlogPosting", "headline": h, "articleBody": b} for h, b in POSTS]}
    intro = "".join(f"<p>{p}</p>" for p in INTRO)
    page = (f"<html lang='en'><head><title>{HEADLINE}</title><script type='application/ld+json'>{json.dumps(blog)}"
            f"</script></head><body><main><article><h1>{HEADLINE}</h1><div class='article-body'>{intro}</div>"
            f"<div class='tabs'><div class='live-stream'>{''.join(_post(*p) for p in POSTS)}</div></div>"
            f"</article></main></body></html>")
    text = _text(page.encode())
    assert all(body in text for _, body in POSTS)


def test_a_posts_markup_in_the_json_ld_keeps_its_paragraphs_apart() -> None:
    first, second = POSTS[0][1].split(". ", 1)
    listed = [(POSTS[0][0], f"<p>{first}.</p><p>{second}</p>"), *POSTS[1:]]
    shown = [(POSTS[0][0], f"{first}.</p><p>{second}"), *POSTS[1:]]
    text = _text(_page(shown, listed))
    lines = text.split("\n")
    assert f"{first}." in lines and second in lines


def test_a_post_listed_twice_is_added_once_and_a_hidden_one_not_at_all() -> None:
    hidden = ("Hidden", "A post the page keeps in a template for later, which no reader sees on the page until "
                        "the script of the blog decides to show it to them at some point in the afternoon.")
    page = _page(POSTS, [*POSTS, POSTS[0], hidden]).replace(
        b"</div></div></article>", f"<template>{_post(*hidden)}</template></div></div></article>".encode())
    text = _text(page)
    assert text.count(POSTS[0][1]) == 1
    assert hidden[1] not in text


def test_half_an_emoji_in_the_json_ld_is_dropped_not_a_failure() -> None:
    body = POSTS[0][1]
    # json.dumps writes the lone half as its escape, as a CMS that cut the text there does
    listed = [(POSTS[0][0], body + " \ud83d"), *POSTS[1:]]
    shown = [(POSTS[0][0], body + " 😀"), *POSTS[1:]]
    record_text = _text(_page(shown, listed))
    record_text.encode("utf-8")  # a lone surrogate would not encode
    assert body in record_text


def test_a_live_blog_whose_posts_trafilatura_takes_keeps_them_once_in_their_place() -> None:
    posts = "".join(f"<h2>{h}</h2><p>{b}</p>" for h, b in POSTS)
    page = (f"<html lang='en'><head><title>{HEADLINE}</title>{_jsonld(POSTS)}</head><body><article>"
            f"<h1>{HEADLINE}</h1>{''.join(f'<p>{p}</p>' for p in INTRO)}{posts}</article></body></html>").encode()
    text = _text(page)
    assert [line for line in text.split("\n") if line not in INTRO] == [x for post in POSTS for x in post]
