"""The story's lead stays in the text when its CMS classes it "teaser" (TYPO3's news extension); other
stories' teasers still go."""

from __future__ import annotations

from pipelines.extract.fields import ExtractOptions, extract_fields

LEAD = ("Iran hat seine Drohung wahr gemacht und Israel direkt angegriffen. Mehr als 300 Drohnen und Raketen "
        "sind auf Israel abgefeuert worden; der grösste Teil davon konnte abgefangen werden.")
STORY = [
    "Die israelische Regierung berät seit dem Morgen über eine Antwort, wie ein Sprecher in Jerusalem sagte.",
    "Die Vereinigten Staaten haben Israel zur Zurückhaltung aufgerufen und ihre Unterstützung bekräftigt.",
    "Beobachter in der Region rechnen damit, dass die Lage in den kommenden Tagen angespannt bleiben wird.",
]
OTHER = "Ein anderer Bericht erzählt von den Wahlen in der Nachbarstadt und den Stimmen, die dort ausgezählt wurden."


def _text(description: str) -> str:
    page = (f"<html><head><title>Angriff auf Israel</title><meta name='description' content='{description}'></head>"
            f"<body><div class='news news-single'><div class='article'><h1>Angriff auf Israel</h1>"
            f"<div class='teaser-text' itemprop='description'><p>{LEAD}</p></div>"
            + "".join(f"<div class='news-text-wrap'><p>{p}</p></div>" for p in STORY)
            + f"<div class='news-related teaser'><p>{OTHER}</p></div></div></div></body></html>")
    return extract_fields("https://www.example.de/aktuelles/detail/angriff", page.encode(), {}, ExtractOptions())["text"]


def test_a_teaser_classed_block_that_opens_as_the_description_is_the_storys_lead() -> None:
    lines = _text(LEAD[:150] + "...").splitlines()

    assert lines[0] == LEAD
    assert OTHER not in lines


def test_without_a_description_that_agrees_a_teaser_classed_block_goes_as_trafilatura_drops_it() -> None:
    assert LEAD not in _text("Alles zum Angriff auf Israel und seinen Folgen für die Region lesen Sie hier.")
