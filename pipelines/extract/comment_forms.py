"""What a comment system prints around its form when it stands inside the article container.

A blog's or a news site's comment box carries more than its "Leave a Reply" heading (interface_phrases.py):
the check boxes under the form ("Save my name, email, and website in this browser for the next time I
comment.", "Notify me of follow-up comments by email."), the log-in notice ("You must be logged in to
post a comment.", "Logged in as Jane. Log out?"), the spam filter's notice ("This site uses Akismet to
reduce spam."), the thread's heading ("2 thoughts on “Headline”"), the links to the thread ("View
comments", "Kommentare (5)", "Zu den Kommentaren") and the invitation to write ("Diskutieren Sie mit!",
"Let us know in the comments below."). Each is tested on the line's own words: the words a check box,
a notice or a link of this kind is made of, several of them together, in a short line. A story about a
browser or a log-in says more, and otherwise.

Where the phrases come from: WordPress core's comment-form strings, Jetpack's subscription check boxes
and Akismet's privacy notice, in English and in their translations on translate.wordpress.org (de, fr,
es, it, pt, nl, pl, sv, da, nb, fi, ru, tr, cs); the links to the comments and the invitations as the
corpora's German, French, Spanish and English news pages print them.
"""

from __future__ import annotations

import re

from pipelines.extract.literal_gate import gated
from pipelines.extract.reported_speech import REPORTED

_MAX_CHARS = 200
_MAX_WORDS = 35
# a story about a site's rules quotes them or reports them: "Users must log in to comment, the company said"

# the form's check box that keeps the commenter's details: "Save my name, email, and website in this
# browser for the next time I comment." (a save verb, the browser and commenting, all three)
_SAVE = gated(re.compile(r"\b(?:save|remember|speichern|enregistrer|guarda|salva|salvar|bewaren|opslaan|zapisz|zapamiętaj|"
                         r"сохранить|kaydet|spara|lagre|gem|tallenna|uložit)\b"))
_BROWSER = gated(re.compile(r"\b(?:browser|navigateur|navegador|przeglądar\w*|браузер\w*|tarayıcı\w*|webbläsare\w*|"
                            r"nettleser\w*|selain\w*|prohlížeč\w*)"))
_COMMENTING = re.compile(r"\b(?:comment\w*|kommentier\w*|komment\w*|coment\w*|reactie\w*|komentarz\w*|коммент\w*|"
                         r"yorum\w*|kommentoi\w*|komentář\w*|kommentar\w*)")
# the subscription check boxes: "Notify me of follow-up comments by email", "Benachrichtige mich über
# neue Beiträge via E-Mail", "Recibir un correo electrónico con los siguientes comentarios a esta entrada"
_NOTIFY_ME = re.compile(  # (anchored: its literal openings are tried at the start only)
    r"^(?:notify me|benachrichtig(?:e|en sie) mich|prévenez-moi|avertissez-moi|avvisami|notificami|notifique-me|"
    r"notificar-me|recibir un correo(?: electrónico)?|stuur (?:mij|me)|houd me op de hoogte|powiadom mnie|"
    r"powiadamiaj mnie|уведомлять меня|уведомить меня|beni .{0,30}bilgilendir|meddela mig|giv mig besked|"
    r"varsle meg|ilmoita minulle|upozornit mě)\b")
_BY_MAIL = re.compile(r"e-?mail|correo|courriel|sähköpost|e-?post|почт")
# the log-in notice: "You must be logged in to post a comment.", "Sie müssen angemeldet sein, um einen
# Kommentar abzugeben.", "Debes iniciar sesión para publicar un comentario."
_LOGGED_IN = gated(re.compile(
    r"\b(?:logged in|log in|signed in|sign in|angemeldet|anmelden|eingeloggt|einloggen|connecté|connecter|"
    r"iniciar sesión|conectado|registrado|connesso|autenticato|fazer (?:o )?login|logado|ingelogd|inloggen|"
    r"zalogować|zalogowany|войти|авторизоваться|giriş yap\w*|inloggad|logga in|logget inn|logge ind|"
    r"kirjautu\w*|přihlášen\w*)\b"))
_TO_COMMENT = re.compile(
    r"\b(?:to (?:post|leave|write|add|submit) (?:a |your )?(?:comment|reply)|to comment|"
    r"um (?:einen )?kommentare? (?:abzugeben|zu schreiben|zu verfassen|zu hinterlassen|zu veröffentlichen|zu posten)|"
    r"um (?:zu )?kommentieren|(?:pour|afin de) (?:publier|poster|laisser|écrire|rédiger) un commentaire|pour commenter|"
    r"para (?:publicar|dejar|escribir|enviar|poder) (?:un |um )?coment\w*|para comentar|"
    r"per (?:inviare|pubblicare|lasciare|scrivere) un commento|per commentare|"
    r"om (?:een )?reactie (?:te )?(?:plaatsen|geven)|om te reageren|"
    r"aby (?:móc )?(?:dodać|napisać|opublikować) komentarz|aby (?:móc )?komentować|"
    r"(?:чтобы|для того чтобы) (?:оставить|написать|добавить) комментари\w*|чтобы комментировать|"
    r"yorum (?:yapmak|yazmak|göndermek)|för att (?:kommentera|skriva en kommentar)|"
    r"for at (?:kommentere|skrive en kommentar)|for å (?:kommentere|skrive en kommentar)|"
    r"kommentoidaksesi|kommentoimiseen|pro (?:přidání komentáře|komentování))\b")
# the stems every log-in notice's comment word holds
_COMMENT_STEM = re.compile(r"comment|komment|koment|coment|reactie|reageren|коммент|yorum|komentář")
# how the thread's heading opens: a count in figures or in words
_COUNT_OPENINGS = ("one ", "two ", "three ", "ein ", "eine ", "zwei ", "drei ", "un ", "une ", "dos ", "tres ", "um ",
                   "uma ", "due ", "tre ", "één ", "twee ", "drie ")
# "Logged in as Jane. Log out?", "Angemeldet als Jane. Profil bearbeiten. Abmelden?"
_LOGGED_IN_AS = re.compile(
    r"^(?:logged in as|angemeldet als|eingeloggt als|connecté en tant que|conectado como|collegato come|"
    r"connesso come|ingelogd als|zalogowany jako|вы вошли как|inloggad som|logget inn som|logget ind som|"
    r"kirjautuneena)\s\S.{0,80}(?:log out|abmelden|ausloggen|se déconnecter|déconnexion|salir|cerrar sesión|"
    r"esci|disconnetti|sair|uitloggen|afmelden|wyloguj|выйти|logga ut|logg ut|log ud|kirjaudu ulos)\??$")
# the spam filter's notice under the form
_AKISMET = gated(re.compile(r"\bakismet\b.{0,80}\b(?:spam|indésirables|ongewenste)"))
# the thread's heading: "2 thoughts on “Headline”", "Ein Gedanke zu „Headline“", "3 réflexions sur « Headline »"
_THREAD_HEADING = re.compile(
    r"^(?:\d+|one|two|three|ein|eine|zwei|drei|une?|dos|tres|um|uma|due|tre|één|twee|drie)\s+"
    r"(?:thoughts?|responses?|repl(?:y|ies)|comments?|gedanken?|kommentare?|antworten|réflexions?|réponses?|"
    r"commentaires?|comentarios?|respuestas?|pensamientos?|comentários?|respostas?|pensieri|commenti|risposte|"
    r"reacties?|gedachten?|komentarz[ey]?|odpowied\w+)\s+(?:on|to|zu|zum|sur|à|en|a|em|para|su|a|op|do|na)\s+"
    r"[\"“”„«‘'].+[\"“”»’']$")
# the links to the thread and the invitations to write in it
_THREAD_LINK = re.compile(
    r"^(?:(?:comments?|kommentare?|commentaires?|comentarios?|comentários|commenti|reacties|komentarz[ey]?|"
    r"комментари[йяев]?|yorumlar?|kommentarer)\s*[(\[]\d+[)\]]?|"
    r"(?:show|view|see|read|hide|open|zeige|alle|voir|afficher|lire|ver|mostra(?:re)?|leggi|visualizza|bekijk|toon|"
    r"zobacz|pokaż|показать|смотреть) (?:all |the |alle |les |los |i |os |de |tous les |todos los )?(?:\d+ )?"
    r"(?:comments|kommentare|commentaires|comentarios|commenti|comentários|reacties|komentarze|комментарии)|"
    r"kommentare (?:anzeigen|lesen|einblenden|ausblenden|öffnen)|"
    r"(?:zu den|zum) kommentar(?:en)?|(?:kommentar|leserbrief) (?:verfassen|schreiben|senden)|"
    r"jetzt (?:mit)?(?:kommentieren|diskutieren)|diskutier(?:en sie|e) mit|mitdiskutieren|"
    r"réagi(?:r|ssez)(?: à (?:cet |l')article)?|have your say|join the debate|"
    r"(?:deja|escribe|déjanos) (?:tu|un) comentario|(?:¿qué opinas\? )?déjanos tu (?:comentario|opinión)|comenta(?: (?:esta|la) noticia)?|opina|lascia il tuo commento|"
    r"deixe (?:o )?seu comentário|laat (?:je|uw) reactie achter|reageer|skomentuj|napisz komentarz)$")
# "What do you think? Let us know in the comments below.", "Schreiben Sie es uns in die Kommentare!"
_ASK_IN_COMMENTS = gated(re.compile(
    r"\b(?:let (?:us|me) know|tell us|share your (?:thoughts|views|opinion)|sound off|leave (?:us )?a comment|"
    r"drop (?:us )?a comment)\b.{0,40}\bin the comments?(?: section)?(?: below)?$|"
    r"\b(?:schreiben sie|schreibt|schreib) (?:es )?(?:uns )?(?:gerne )?(?:in die|in den) kommentar(?:e|en|spalte)\b|"
    r"^(?:verraten|erzählen|sagen) sie (?:uns )?(?:es )?(?:gerne |gern )?in den kommentaren\b|"
    r"\bdites-(?:le )?nous (?:tout )?(?:en|dans les) commentaires?\b|"
    r"\b(?:déjanos|cuéntanos|dinos) .{0,30}\ben (?:los )?comentarios\b|\bdiccelo nei commenti\b"))


def is_comment_form_line(line: str, key: str) -> bool:
    """Whether the line (`key`: its casefolded form, as line_keys.line_key spells it) is one a comment
    system prints around its form: a check box, a log-in or spam notice, the thread's heading, a link
    to the thread or an invitation to write in it."""
    if len(line) > _MAX_CHARS or len(key.split()) > _MAX_WORDS:
        return False
    # (the rarest word of each rule is looked for first: most lines hold none of them)
    if _BROWSER.search(key) and _SAVE.search(key) and _COMMENTING.search(key):
        return True
    if _NOTIFY_ME.match(key) and _BY_MAIL.search(key):
        return True
    if _COMMENT_STEM.search(key) and _LOGGED_IN.search(key) and _TO_COMMENT.search(key) \
            and not REPORTED.search(key):
        return True
    # (on the line as printed: the key has lost the closing quotation mark)
    if (key[:1].isdigit() or key.startswith(_COUNT_OPENINGS)) and _THREAD_HEADING.match(line.strip().casefold()):
        return True
    return bool(_AKISMET.search(key) or _LOGGED_IN_AS.match(key) or _THREAD_LINK.match(key)
                or _ASK_IN_COMMENTS.search(key))
