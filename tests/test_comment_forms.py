"""A comment system's lines never reach a record, in the languages of the corpora, under any markup;
an article's sentences about logging in, browsers and comments stay.

The lines are WordPress core's comment-form strings, Jetpack's subscription check boxes and
Akismet's notice as translate.wordpress.org gives them, and the links to the thread news pages print.
"""

from __future__ import annotations

from html import escape

import pytest

from pipelines.extract.comment_forms import is_comment_form_line
from pipelines.extract.fields import ExtractOptions, extract_fields
from pipelines.extract.line_keys import line_key
from pipelines.extract.text_cleanup import is_interface_line

HTML = {"Content-Type": "text/html; charset=utf-8"}

COMMENT_SYSTEM = [
    # the check box that keeps the commenter's details
    "Save my name, email, and website in this browser for the next time I comment.",
    "Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser speichern, bis ich wieder kommentiere.",
    "Enregistrer mon nom, mon e-mail et mon site dans le navigateur pour mon prochain commentaire.",
    "Guarda mi nombre, correo electrónico y web en este navegador para la próxima vez que comente.",
    "Salva il mio nome, email e sito web in questo browser per la prossima volta che commento.",
    "Salvar meus dados neste navegador para a próxima vez que eu comentar.",
    "Mijn naam, e-mail en site bewaren in deze browser voor de volgende keer wanneer ik een reactie plaats.",
    "Zapisz moje dane, adres e-mail i witrynę w przeglądarce aby wypełnić dane podczas pisania kolejnych komentarzy.",
    # the subscription check boxes
    "Notify me of follow-up comments by email.", "Notify me of new posts by email.",
    "Benachrichtige mich über nachfolgende Kommentare via E-Mail.",
    "Prévenez-moi de tous les nouveaux commentaires par e-mail.",
    "Recibir un correo electrónico con los siguientes comentarios a esta entrada.",
    "Notifique-me sobre novos comentários por e-mail.",
    # the log-in notices
    "You must be logged in to post a comment.",
    "Sie müssen angemeldet sein, um einen Kommentar zu veröffentlichen.",
    "Vous devez être connecté pour publier un commentaire.",
    "Debes iniciar sesión para publicar un comentario.",
    "Devi essere connesso per inviare un commento.",
    "Você precisa fazer o login para publicar um comentário.",
    "Je moet ingelogd zijn om een reactie te plaatsen.",
    "Musisz się zalogować, aby móc dodać komentarz.",
    "Logged in as Jane Doe. Edit your profile. Log out?", "Angemeldet als jane. Profil bearbeiten. Abmelden?",
    # the spam filter's notice, the thread's heading
    "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
    "Diese Website verwendet Akismet, um Spam zu reduzieren.",
    "2 thoughts on “Council decides on the tram line”", "Ein Gedanke zu „Der Rat entscheidet“",
    "3 réflexions sur « Le conseil décide »",
    # the links to the thread, the invitations to write in it
    "Comments (12)", "Kommentare (5)", "View comments", "Voir les commentaires", "Ver comentarios", "Mostra commenti",
    "Zu den Kommentaren", "Diskutieren Sie mit!", "Jetzt kommentieren", "Réagir à cet article", "Have your say",
    "What do you think? Let us know in the comments below.",
    "Schreiben Sie es uns in die Kommentare!",
    "Verraten Sie gerne in den Kommentaren: Was bedeutet ein Award für Sie?",
]

ARTICLE = [
    "Users must log in to comment, the company said in a statement on Tuesday.",
    "Google declined to comment on the new browser features it plans to release next year.",
    "The council will save money by moving its website to a new browser-based system, officials said.",
    "Notify me when the council votes, she asked the clerk.",
    "The 2 responses to “the plan” were both negative, the survey found.",
    "Comments may be submitted to the agency until March 31.",
    "By commenting on the draft, citizens can shape the final law.",
    "Die Kommentare werden von der Redaktion geprüft, sagte der Chefredakteur.",
    "He would not comment on whether he had logged in to the account that night.",
]


@pytest.mark.parametrize("line", COMMENT_SYSTEM)
def test_a_comment_systems_line_is_interface(line: str) -> None:
    assert is_interface_line(line)


@pytest.mark.parametrize("line", ARTICLE)
def test_a_sentence_about_logging_in_browsers_or_comments_stays(line: str) -> None:
    assert not is_comment_form_line(line, line_key(line))
    assert not is_interface_line(line)


STORY = [f"Paragraph {n} of the story tells what the council decided late in the evening about the tram "
         f"line, the budget and the timetable for the works." for n in range(6)]


@pytest.mark.parametrize("wrap", ["<div class='f3'>{}</div>", "<p>{}</p>", "<label><span>{}</span></label>"])
def test_a_comment_form_inside_the_article_container_leaves_nothing_in_the_text(wrap: str) -> None:
    form = [
        "Leave a Reply", "Cancel reply", "You must be logged in to post a comment.",
        "Your email address will not be published. Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Notify me of follow-up comments by email.", "Notify me of new posts by email.",
        "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
    ]
    body = "".join(f"<p>{escape(p)}</p>" for p in STORY) + "<div class='x9'>" + "".join(
        wrap.format(escape(line)) for line in form) + "</div>"
    page = (f"<html lang='en'><head><title>Council decides</title></head>"
            f"<body><article><h1>Council decides</h1>{body}</article></body></html>").encode()

    text = extract_fields("https://news.example/2024/council-decides", page, HTML, ExtractOptions())["text"]

    assert text.split("\n") == STORY
