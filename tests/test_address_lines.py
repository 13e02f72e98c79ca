"""Lines of the text that are web addresses: the page's own, another page of the site alone, image
files run together. Links to other sites and addresses inside the article's words stay."""

from __future__ import annotations

import pytest

from pipelines.extract.address_lines import is_address_line, own_addresses
from pipelines.extract.fields import ExtractOptions, extract_fields

PAGE = "https://www.example.pl/gospodarka/549052-story"
OWN = own_addresses([PAGE, "https://example.pl/gospodarka/549052-story/", None])
PARAGRAPHS = "".join(f"<p>The council met on Monday {n} and spoke at length about the harbour, the budget and the "
                     f"plans for the new pier, which residents have long asked for.</p>" for n in range(6))


@pytest.mark.parametrize("line", [
    "Publikacja dostępna na stronie: https://example.pl/gospodarka/549052-story",  # a print footer
    "Permalink: https://www.example.pl/gospodarka/549052-story/",
    "https://example.pl/gospodarka/549052-story",
    "https://example.pl/2016/06/21/another-post/",  # another post of the site, alone on its line
    "https://example.pl/uploads/a.jpg7201280Jane Doehttps://example.pl/uploads/logo-300x165.png",
])
def test_the_pages_own_address_another_page_alone_and_glued_image_addresses_are_no_article(line: str) -> None:
    assert is_address_line(line, OWN)


@pytest.mark.parametrize("line", [
    "www.example.pl",  # the site's address alone closes a theatre's ticket details
    "AP NFL: https://example.pl/hub/nfl",  # a link to a section with its label
    "Mehr über das Projekt auf https://example.pl/projekt/ und im Bericht.",
    "https://other.example.com/2016/06/21/a-source/",  # another site: a source
    "The council published https://example.pl/gospodarka/549052-story in its minutes, the mayor said today.",
])
def test_links_to_other_sites_sections_and_addresses_inside_sentences_stay(line: str) -> None:
    assert not is_address_line(line, OWN)


def test_the_pages_canonical_address_on_another_host_is_its_own_too() -> None:
    own = own_addresses(["https://m.example.pl/story-1", "https://www.example.pl/gospodarka/story-1"])
    assert is_address_line("https://www.example.pl/gospodarka/story-1", own)
    assert not is_address_line("https://www.example.pl/gospodarka/story-2", own)  # another host's other page


def test_without_the_pages_address_only_glued_images_are_told() -> None:
    assert not is_address_line("https://example.pl/2016/06/21/another-post/", own_addresses([]))
    assert is_address_line("https://a.example/x.jpg12Jane https://a.example/y.png", None)


def test_the_print_footers_address_of_the_page_leaves_the_record() -> None:
    footer = f"<p>Publikacja dostępna na stronie: {PAGE}</p>"
    html = f"<html><body><article><h1>Harbour</h1>{PARAGRAPHS}{footer}</article></body></html>".encode()

    text = extract_fields(PAGE, html, {}, ExtractOptions())["text"]

    assert "Publikacja" not in text and "harbour" in text
