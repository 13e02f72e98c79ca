"""A story the page shows only to its scripts (a paywall's teaser over an app's empty shell) is still
archived when the page declares it whole in its JSON-LD (schema.org ``articleBody``): the record's text
is the declared body, cleaned as any extracted text is. Where the page shows the story, the page's
text is the article and the declared body is not read; a page that declares no article is none."""

from __future__ import annotations

import json

import pytest

from pipelines.extract.fields import ExtractOptions, NotAnArticle, extract_fields

URL = "https://harbourtimes.example/politics/2024/03/02/tram-line-approved"
HTML = {"Content-Type": "text/html; charset=utf-8"}
HEADLINE = "Council approves the tram line after a year of debate"
PARAGRAPHS = [
    "The regional council approved the new tram line on Friday evening, after a debate that has divided "
    "the town for more than a year and filled every public meeting since the plans were first shown.",
    "Construction is expected to begin next spring once the budget is settled, and the first trams "
    "should run between the station and the harbour by the summer of the year after.",
    "Shopkeepers on the high street, who had opposed the plans, said they would ask the council to keep "
    "the road open to deliveries during the works, which are expected to last eighteen months.",
]
# what such a page shows: the header of the story, its picture and the empty box a script fills
SHELL = (
    "<header><nav><a href='/'>Home</a> <a href='/politics/'>Politics</a></nav></header>"
    "<main><div class='article'><div class='image'><img src='/tram.jpg'><div class='caption'>Trams of the "
    "harbour line wait at the depot by the old station during the trial runs of last summer. Photo: Harbour "
    f"Times</div></div><div class='section'>Politics</div><h1>{HEADLINE}</h1>"
    "<div class='standfirst'>The vote ends a year of public meetings, and building starts next spring once the "
    "budget for the line is settled</div><div class='byline'>Jane Doe</div><div>Published: 7:30pm, 2 Mar, "
    "2024</div><div>Updated: 8:10pm, 2 Mar, 2024</div><div class='trust'>Why you can trust the Harbour Times: "
    "our standards and how we report</div><div id='article-body'></div></div></main>"
    "<footer>© 2024 Harbour Times</footer>"
)


def _page(body_html: str, declared: dict[str, object] | None) -> bytes:
    script = (f"<script type='application/ld+json'>{json.dumps(declared)}</script>"
              if declared is not None else "")
    return (f"<html lang='en'><head><title>{HEADLINE} | Harbour Times</title>{script}</head>"
            f"<body>{body_html}</body></html>").encode()


def _article(body: str, kind: str = "NewsArticle") -> dict[str, object]:
    return {"@context": "https://schema.org", "@type": kind, "headline": HEADLINE,
            "datePublished": "2024-03-02T19:30:00+01:00",
            "author": {"@type": "Person", "name": "Jane Doe"}, "articleBody": body}


def test_a_story_shown_only_to_scripts_is_archived_from_its_declared_body() -> None:
    fields = extract_fields(URL, _page(SHELL, _article(" ".join(PARAGRAPHS))), HTML, ExtractOptions())

    assert fields["text"] == " ".join(PARAGRAPHS)
    assert fields["title"] == HEADLINE
    assert fields["authors"] == ["Jane Doe"]
    assert fields["published_at"] == "2024-03-02T19:30:00+01:00"


@pytest.mark.parametrize("favor_precision", [False, True], ids=["balanced", "precision"])
def test_an_empty_app_shell_is_archived_from_its_declared_body(favor_precision: bool) -> None:
    # with favor_precision trafilatura runs no fallback of its own and finds nothing at all
    page = _page("<main><div id='app'></div></main>", _article(" ".join(PARAGRAPHS)))

    fields = extract_fields(URL, page, HTML, ExtractOptions(favor_precision=favor_precision))

    assert fields["text"] == " ".join(PARAGRAPHS)


def test_a_declared_body_in_markup_keeps_its_paragraphs_and_loses_its_interface_lines() -> None:
    body = ("".join(f"<p>{p.replace('and', '&amp;', 1)}</p>" for p in PARAGRAPHS)
            + "<p>Subscribe to our newsletter</p><p>Share This Article</p>")

    fields = extract_fields(URL, _page(SHELL, _article(body)), HTML, ExtractOptions())

    assert fields["text"].splitlines() == [p.replace("and", "&", 1) for p in PARAGRAPHS]


def test_a_story_the_page_shows_is_the_pages_text_not_the_declared_body() -> None:
    shown = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    declared = _article("An earlier edition of the story, which the page no longer shows to its readers, "
                        "said the vote had been put off until the council's next meeting in April.")

    fields = extract_fields(URL, _page(f"<article><h1>{HEADLINE}</h1>{shown}</article>", declared), HTML,
                            ExtractOptions())

    assert fields["text"].splitlines() == PARAGRAPHS


@pytest.mark.parametrize(
    "declared",
    [
        None,
        # a page's own description of itself is no article
        {"@context": "https://schema.org", "@type": "WebPage", "name": "Politics", "articleBody": " ".join(PARAGRAPHS)},
        # an article declared with a body of no running text: a paywall's label, no story
        _article("Subscribe to read"),
    ],
    ids=["no-json-ld", "not-an-article-type", "no-running-text"],
)
def test_without_a_declared_story_a_page_with_no_running_text_is_not_an_article(
    declared: dict[str, object] | None,
) -> None:
    with pytest.raises(NotAnArticle) as err:
        extract_fields(URL, _page(SHELL, declared), HTML, ExtractOptions())
    assert err.value.reason == "extraction_empty"
