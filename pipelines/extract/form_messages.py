"""What a page's forms print as text: their prompts, confirmations and errors.

A newsletter box, a comment form, a log-in box and a paywall carry messages their script shows or
hides ("Please enter your e-mail address", "You have subscribed to our newsletter", "Your comment is
too long", "Your password has been changed", "Want to keep reading? Register for free"). Without the
script they are all text, and trafilatura keeps the ones inside the article container. Each message
speaks to the reader about the form, which no story does: the form's field ("your e-mail address"),
its outcome (signed up, failed, awaiting moderation), the site's own mail ("an e-mail from us"). A
story that quotes such a message quotes it, or reports it in the third person, and is longer.

Where the phrases come from: the messages of this kind on trafilatura_eval's pages (German, English),
WordPress core's comment-form strings ("Your comment is awaiting moderation.") and the usual wording of
the same messages in the corpora's other languages.
"""

from __future__ import annotations

import re

from pipelines.extract.literal_gate import gated, holds_any
from pipelines.extract.reported_speech import SAID

_MAX_CHARS = 200
_MAX_WORDS = 30
# the site speaking to the reader: a story about such a message quotes it
_QUOTED = re.compile(rf"[\"“”„«»]|\b(?:{SAID}|read|reads|reported|warned|berichte\w*|teilte\w* .{{0,40}}\bmit|"
                     r"monierte\w*|kritisierte\w*|warnte\w*)\b")
# a prompt or an outcome opens the line or a sentence of it: "the fake page asks the victim to enter
# their e-mail" and "if your password was reset without your request" report one
_OPENS = r"(?:^|[.!¡] )"

# the form's field: "Bitte geben Sie Ihre E-Mail-Adresse ein", "Please enter a valid email address"
_ENTER_ADDRESS = (
    r"bitte (?:geben sie|gib) (?:ihre|deine|eine)(?: gültige)? e-?mail(?:-?adresse)? ein|"
    r"please (?:enter|provide) (?:your|a)(?: valid)? e-?mail(?: address)?|"
    r"veuillez (?:saisir|entrer|indiquer) (?:votre|une) adresse (?:e-?mail|électronique|mail)|"
    rf"{_OPENS}(?:introduce|introduzca|ingresa|ingrese) (?:tu|su|un) (?:correo|e-?mail)|"
    r"inserisci (?:la tua|il tuo|un) (?:e-?mail|indirizzo)|vul (?:je|uw|een geldig) e-?mailadres in"
)
# its outcome: signed up, failed, to be confirmed, awaiting moderation
_OUTCOME = (
    r"(?:sie haben sich|du hast dich) (?:soeben |erfolgreich |gerade )?(?:zu|für) (?:unserem|unseren|den) .{0,40}"
    r"(?:newsletter|infobrief)\w* angemeldet|"
    rf"{_OPENS}(?:ihre|deine|your) (?:anmeldung|registrierung|subscription|sign-?up|registration) "
    r"(?:wurde nicht ausgeführt|ist fehlgeschlagen|konnte nicht|failed|could not be completed|was not successful)|"
    r"bitte überprüfen? (?:sie )?(?:die richtigkeit )?(?:ihrer|deiner|ihre|deine) e-?mail-?adresse|"
    r"please check your e-?mail address|"
    r"(?:ihr|dein|your|votre|tu|il tuo) (?:kommentar|comment|commentaire|comentario|commento) "
    r"(?:ist zu lang|is too long|est trop long|es demasiado largo|è troppo lungo|"
    r"is awaiting moderation|wartet auf (?:freischaltung|moderation)|est en attente de modération|"
    r"está esperando moderación|è in attesa di moderazione)|"
    r"beim (?:ab)?senden (?:ihres|deines|des) kommentars?|"
    rf"{_OPENS}(?:ihr|dein|your|votre) (?:passwort|password|kennwort|mot de passe) (?:wurde|has been|was|a été) "
    r"(?:erfolgreich |successfully )?(?:geändert|changed|zurückgesetzt|reset|updated|modifié|réinitialisé)"
)
# the site's own mail to the reader: "Du erhältst in Kürze eine E-Mail von uns", "you will receive an
# email from us" (a consumer story's "you will receive an e-mail with your ticket" names no sender)
_OUR_MAIL = gated(re.compile(r"(?:eine |an )?e-?mail (?:von uns|from us)\b|von uns (?:in kürze |umgehend |gleich )?eine e-?mail|"
                             r"un e-?mail de notre part"))
# lines that are the form's button or link alone
_CONTROL = re.compile(
    r"^(?:(?:möchten sie )?(?:eingeloggt|angemeldet) bleiben|stay (?:logged|signed) in|keep me (?:logged|signed) in|"
    r"rester connecté|"
    r"(?:passwort|kennwort) (?:vergessen|zurücksetzen)|(?:forgot|reset) (?:your )?password|mot de passe oublié|"
    r"¿?olvidaste (?:tu|su) contraseña|password dimenticata|"
    r"(?:log-?in|anmelden|einloggen|sign in|log in|se connecter|connexion|iniciar sesión|accedi) (?:oder|or|ou|o) "
    r"(?:neu )?(?:registrieren|registrierung|sign up|register|create an account|anlage eines benutzerkontos|"
    r"konto erstellen|s'inscrire|créer un compte|regístrate|crear una cuenta|registrati)|"
    # a paywall's prompt: "Sie möchten gerne weiterlesen?", "Registrieren Sie sich jetzt kostenlos"
    r"(?:sie möchten|du möchtest|möchten sie|möchtest du) (?:gerne |gern )?weiterlesen|"
    r"(?:want|like) to (?:keep|continue) reading|vous souhaitez lire la suite|"
    r"(?:jetzt )?(?:kostenlos )?registrieren(?: und weiterlesen)?|registrieren sie sich(?: jetzt)?(?: kostenlos)?|"
    r"hier (?:anmelden|einloggen|registrieren)|"
    r"this is a preview of subscription content.{0,60}|log in to (?:check access|continue reading|read more)|"
    # a notice's dismissal: "Do not show this message again"
    r"(?:.{0,120}[.!?] )?(?:do not|don't) show (?:this|the) (?:message|notice) again|"
    r"(?:diese (?:meldung|nachricht|hinweis) )?nicht (?:mehr|erneut) anzeigen)"
    # and what the box says in brackets after it: "Möchten Sie eingeloggt bleiben? (Es wird ein Cookie gesetzt.)"
    r"(?:\?? \(.{1,60})?$"
)
_MESSAGE = gated(re.compile(rf"{_ENTER_ADDRESS}|{_OUTCOME}"))
# ... that the reader is told to expect ("Auf eine E-Mail von uns antwortete sie nicht" reports one)
_RECEIVE = gated(re.compile(r"\b(?:sie erhalten|erhalten sie|du erhältst|erhältst du|you(?:'ll| will)? (?:receive|get)|"
                            r"vous (?:allez )?recev\w*)\b"))
_MARKS = ("mail", "correo", "indirizzo", "adresse", "newsletter", "gemeldet", "kommentar", "comment", "coment", "passw", "kennw", "mot de passe", "anmeld", "regist",
          "subscri", "sign", "log", "weiterles", "reading", "la suite", "show", "anzeigen", "remember",
          "connect", "contraseña", "accedi", "bleiben")


def is_form_message(line: str, key: str) -> bool:
    """Whether the line (`key`: its casefolded form, as line_keys.line_key spells it) is what a form
    prints: its prompt, its outcome, the site's mail to the reader, or its button."""
    if len(line) > _MAX_CHARS or not holds_any(key, _MARKS):
        return False
    if _CONTROL.match(key):
        return True
    if len(key.split()) > _MAX_WORDS or _QUOTED.search(key):
        return False
    return bool(_MESSAGE.search(key)) or bool(_OUR_MAIL.search(key) and _RECEIVE.search(key))
