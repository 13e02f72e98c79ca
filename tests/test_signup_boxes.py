"""A box around a form asking for the reader's e-mail address never reaches the text, whatever its
words say; the story's own lines stay, even where a menu or a contact form beside such a field
repeats them."""

from __future__ import annotations

import pytest

from pipelines.extract.fields import ExtractOptions, extract_fields

STORY = [
    "The city council approved the new harbour plan on Monday after a long debate that lasted well into the evening.",
    "Residents had asked for years for a safer pier, and the plan now sets aside money for repairs and new lighting.",
    "Opponents argued that the costs were too high and that the work would disturb the fishing season in spring.",
    "Work on the first stage is expected to begin in the autumn and should be finished before the end of next year.",
]


def _text(inside: str, at: int = 2) -> str:
    paragraphs = [f"<p>{p}</p>" for p in STORY]
    paragraphs.insert(at, inside)
    page = (f"<html><head><title>Harbour plan approved</title></head><body><article><h1>Harbour plan approved</h1>"
            f"{''.join(paragraphs)}</article></body></html>").encode()
    return extract_fields("https://ledger.example/news/harbour", page, {}, ExtractOptions())["text"]


@pytest.mark.parametrize("form", [
    "<form action='/subscribe'><input type='email' placeholder='Email'><button>Count me in</button></form>",
    "<form><input name='EMAIL'><input type='submit' value='Go'></form>",
    "<form><input type='text' placeholder='Ihre E-Mail-Adresse'><button>Los</button></form>",
    "<iframe src='https://example.us1.list-manage.com/subscribe?u=1'></iframe>",
])
@pytest.mark.parametrize("at", [2, 4])
def test_the_heading_and_pitch_of_a_box_asking_for_an_email_address_or_embedding_a_sign_up_form_go(form: str, at: int) -> None:
    box = (f"<div class='b1'><h3>Stay in the loop</h3><p>Jeden Morgen die wichtigsten Geschichten aus der Region.</p>"
           f"{form}<p><small>Read our <a href='/privacy'>privacy policy</a>.</small></p></div>")

    assert _text(box, at).splitlines() == STORY


def test_a_menu_around_a_field_for_the_address_takes_no_heading_of_the_story_with_it() -> None:
    story_heading = "<h2>Harbour Platforms</h2>"
    menu = ("<div class='side'><ul>" + "".join(f"<li><a href='/p/{n}'>{name}</a></li>" for n, name in
            enumerate(["About", "Team", "Harbour Platforms", "Contact"])) + "</ul>"
            "<form><input type='email' placeholder='Email'></form></div>")

    text = _text(story_heading + menu)

    assert "Harbour Platforms" in text.splitlines()


def test_a_contact_forms_subjects_take_no_heading_of_the_story_with_them() -> None:
    form = ("<div class='c'><form><select><option>Request</option><option>Editing</option></select>"
            "<input type='email' name='email'><textarea></textarea></form></div>")

    text = _text("<h2>Editing</h2>" + form)

    assert "Editing" in text.splitlines()


def test_a_field_standing_in_the_story_itself_takes_none_of_the_story() -> None:
    assert _text("<form><input type='email'></form>").splitlines() == STORY
