"""Interface blocks out of the article text, on the first page of a site as on the thousandth.

trafilatura keeps a block when the markup around it looks like content. Themes put share buttons,
comment forms, newsletter boxes, "read more" teasers and reading-time widgets in plain `<div>`s and
`<p>`s inside the article container, where no class name gives them away. What gives them away is
what they say, and that they say it in a short block of its own: an article sentence that mentions a
newsletter is long and reads as prose; the sign-up box is a short call to action.

So each line of the extracted text (trafilatura's blocks) is tested on its words alone:
- the whole line is an interface phrase ("Share this article", "Leave a Reply", "Advertisement",
  "3 Min Read", in the languages of the corpora);
- the line starts like a teaser ("Read more:", "Lesen Sie auch:", "Lire aussi :") and is short;
- the line is a short prompt built from two interface words (a newsletter word and a sign-up verb, a
  comment word and a moderation or log-in word, an affiliate word and an earning word);
- the line is a contact line (an e-mail address or a social handle with few words around it), bare
  metadata (a date or time alone, a URL alone, the site's name alone);
- the author's bio box, wherever the theme put it (author_bios.py);
- the headline repeated at the top, alone, behind or under its kicker or breadcrumbs (leading_headline.py);
- a "related stories" heading takes the list of other headlines under it along;
- the markup of the page tells the rest: a paragraph that is one link to another story of the site,
  a photo caption, the page's own address (linked_teasers.py; datelines are in date_lines.py);
- the line is a notice of the site or a line of its machinery: a cookie banner's text, a reprint rule,
  a finance page's risk notice (also a paragraph long), an embed's consent placeholder, the log-in
  state, a script's settings (site_notices.py);
- the line is a call to action or a credit: "click here", "Subscribe to ...", "Follow us on ...", a
  contact line opening with "Email"/"Reach"/"Have a tip?", "Credit: ...", "Filed under: ...", or a
  sign-up widget's confirmation or error ("Thanks for signing up!");
- a teaser card's headline printed twice ("Headline Headline", the image's alt text and the link);
- a bio among the last lines goes with the short lines after it (the box's links, a teaser).

Where the phrases come from:
- English, and the translations of the comment form: WordPress core's own strings ("Leave a Reply",
  "Your email address will not be published. Required fields are marked *", "Cancel reply") and their
  translations on translate.wordpress.org (de, fr, es, it, pt, nl, pl, ru, tr, sv, da, nb, fi, cs);
  WordPress runs most of the blogs and many of the news sites that trafilatura leaves these in.
- The share, newsletter, teaser, reading-time and advertisement words: the labels of those widgets
  as they appear on the pages of ../shared/corpora (fundus_publisher_tests covers 41 countries) and
  in the class and id vocabulary trafilatura's own discard rules match on (trafilatura/xpaths.py:
  share, newsletter, related, teaser, comments, ad), translated to the visible labels.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence

from pipelines.extract.author_bios import BIO_TAIL_LINES, is_bio, person_keys, tail_bio_start
from pipelines.extract.call_to_action import EMAIL as _EMAIL
from pipelines.extract.call_to_action import HANDLE as _HANDLE
from pipelines.extract.call_to_action import LIST_ITEM as _LIST_ITEM
from pipelines.extract.call_to_action import (
    TAG_LABELS,
    closes_with_follow_prompt,
    is_call_to_action,
    is_long_pitch,
    is_sign_off,
)
from pipelines.extract.date_lines import is_date_line
from pipelines.extract.leading_headline import without_leading_headline
from pipelines.extract.line_keys import SENTENCE_BREAK as _SENTENCE_BREAK
from pipelines.extract.line_keys import line_key
from pipelines.extract.site_notices import AD_WORDS, is_long_notice, is_site_notice

# Headings of lists of other stories, in the languages of the corpora.
_RELATED = [
    r"related(?: articles| stories| posts| content| news| topics)?|read more|read next|more stories|"
    r"you may also like|you might also like|recommended(?: for you| stories| videos)?|most read|most popular|"
    r"more from .{1,40}|more on this story|top stories|trending(?: now)?|more|popular(?: (?:now|on .{1,40}))?|"
    r"don'?t miss|editor'?s picks|"
    r"(?:ähnliche|verwandte|weitere|passende) (?:artikel|beiträge|themen|nachrichten)|articles (?:similaires|liés)|"
    r"(?:artículos|noticias|artigos|notícias|articoli|notizie) (?:relacionad[oa]s|correlat[ie]|simil[ai]r?es)|"
    r"gerelateerde (?:artikelen|berichten)|похожие (?:статьи|материалы|новости)|связанные (?:статьи|материалы)",
    r"das (?:thema )?könnte (?:sie|dich|euch) auch interessieren|mehr zum thema(?: (?:auf|bei) .{1,40})?|weitere artikel|"
    r"meistgelesen|empfohlene artikel|top[- ]themen(?: (?:bei|auf|von) .{1,40})?|"
    r"weitere (?:artikel|beiträge|nachrichten) (?:zum thema|aus .{1,40})|empfohlene beiträge|mehr themen|schon gelesen|"
    r"meist[- ]?(?:gelesen|diskutiert|kommentiert)|contenido relacionado|"
    r"lesen sie auch(?: (?:die|diese) (?:folgenden )?(?:beiträge|artikel))?|auch interessant|weiterlesen|mehr lesen|"
    r"zum thema|ähnliche artikel",
    r"[àa] lire aussi|lire aussi|sur le même sujet|les plus lus|articles similaires|lire la suite|voir aussi",
    r"te puede interesar|noticias relacionadas|lo más leído|leer más|lee también|seguir leyendo",
    r"leggi anche|potrebbe interessarti|articoli correlati|i più letti|leggi di più|continua a leggere",
    r"leia também|veja também|leia mais|notícias relacionadas|mais lidas",
    r"lees ook|lees meer|meest gelezen|gerelateerde artikelen|zie ook",
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|najczęściej czytane",
    r"читайте также|читать далее|смотрите также|по теме",
    r"ayrıca okuyun|ilginizi çekebilir|devamını oku|en çok okunanlar",
    r"läs (?:också|mer)|mest läst|les også|les mer|læs også|læs mere|lue myös|lue lisää",
    r"関連記事|相关文章|相关阅读|관련 기사",
    # the headings of "more stories" boxes in the corpora's East Asian and German pages (fundus_publisher_tests)
    r"(?:\S+ )?주요\s?뉴스|많이 본 뉴스|관련\s?뉴스|おすすめ(?:情報|記事)|関連(?:ニュース|キーワード)|人気記事|注目記事|"
    r"相关新闻|推荐阅读|热门文章|ähnliche|weiterführende links|beiträge aus dem forum",
    # the post's tags, a label alone over their list
    TAG_LABELS,

]
# "More Must-Reads From TIME", "More Top Stories from Example": in title case, as English headings are
# set; "More students from the region enrolled" is a sentence
_MORE_FROM = re.compile(r"^More (?:[A-Z][\w'’-]*\s){1,2}[Ff]rom \S[^.!?]{0,40}$")

# Whole-line interface phrases, matched after casefolding and trimming punctuation at the ends.
_WHOLE_LINE = [
    # share
    r"share(?: (?:this|the))?(?: article| story| post| page| on| via)?(?: (?:facebook|twitter|x|linkedin|whatsapp|e-?mail))?",
    r"tweet|e-?mail|print|copy link|link copied|copied|facebook|twitter|linkedin|whatsapp|pinterest|reddit|telegram",
    # share, copy-link and error-report buttons of Japanese, Korean, Chinese and Hindi news sites
    r"(?:この(?:ニュース|記事)を)?シェア|記事(?:を)?保存|(?:기사 )?url(?:이|을)? 복사(?:되었습니다|하기)?|공유하기|"
    r"分享(?:到)?|纠错|打印|收藏|कॉपी लिंक|शेयर करें|责任编辑\s*[:：].{1,20}",
    r"(?:artikel |beitrag )?teilen|(?:diesen )?artikel teilen|auf facebook teilen|teilen mit|drucken|link kopieren",
    r"partager(?: cet article| sur facebook| sur twitter)?|imprimer|copier le lien",
    r"compart(?:ir|e|a)(?: este artículo| esta noticia| en facebook| en twitter)?|compartilhe?(?: este artigo)?|"
    r"partilhar|imprimir",
    r"condividi(?: questo articolo| su facebook)?|stampa",
    r"del(?:en)?(?: dit artikel)?|deel(?: dit artikel| dit bericht)?|udostępnij|поделиться(?: стать[её]й| новостью)?|"
    r"paylaş|dela(?: artikeln)?|jaa|sdílet|megosztás",
    # comment forms and notices
    r"leave a (?:comment|reply)|add a comment|post a comment|post comment|submit comment|cancel reply|reply",
    r"\d+\s+comments?|comments?|no comments(?: yet)?|keine kommentare|aucun commentaire|sin comentarios|nessun commento|geen reacties|be the first to comment|show comments|view comments|"
    r"load comments|comments are closed|join the (?:conversation|discussion)",
    r"your email address will not be published.*|required fields are marked.*",
    r"schreibe einen kommentar|kommentar schreiben|kommentar abgeben|kommentare?|comentar|commenter|antworten|antwort abbrechen|"
    r"(?:deine|ihre) e-mail-adresse wird nicht veröffentlicht.*|erforderliche felder sind .*markiert",
    r"laisser un commentaire|commentaires?|répondre|annuler la réponse|"
    r"votre adresse (?:e-mail|de messagerie) ne sera pas publiée.*",
    r"deja un comentario|deja una respuesta|comentarios?|responder|cancelar respuesta|"
    r"tu dirección de correo electrónico no será publicada.*",
    r"lascia un commento|lascia un commento|commenti|rispondi|annulla risposta|"
    r"il tuo indirizzo email non sarà pubblicato.*",
    r"deixe um comentário|deixe uma resposta|comentários|cancelar resposta|"
    r"o seu endereço de e-?mail não será publicado.*",
    r"geef een reactie|laat een reactie achter|reacties?|"
    r"je e-?mailadres wordt niet gepubliceerd.*",
    r"dodaj komentarz|skomentuj|komentarze|"
    r"twój adres e-?mail nie zostanie opublikowany.*",
    r"добавить комментарий|комментарии|ответить|"
    r"ваш адрес (?:email|электронной почты) не будет опубликован.*",
    r"yorum yap|yorumlar|bir yanıt yazın|e-posta adresiniz yayınlanmayacak(?: gerekli alanlar)?.*",
    r"lämna en kommentar|kommentarer|skriv en kommentar|din e-postadress kommer inte publiceras.*",
    r"kommenter|skriv en kommentar|din e-mailadresse vil ikke blive publiceret.*|"
    r"din e-postadresse vil ikke bli publisert.*",
    r"kommentoi|kommentit|sähköpostiosoitettasi ei julkaista.*",
    r"přidat komentář|komentáře|vaše e-mailová adresa nebude zveřejněna.*",
    # advertising
    AD_WORDS + r"|sponsored by .{1,40}",
    *_RELATED,
    # newsletter and sign-up calls to action
    r"subscribe|sign up|sign in|log in|register|subscribe now|sign up now|newsletter|get the newsletter",
    r"jetzt abonnieren|abonnieren|anmelden|newsletter abonnieren|s'abonner|s'inscrire|abonnez-vous|"
    r"suscríbete|suscribirse|iscriviti|abbonati|assine|inscreva-se|abonneer|aanmelden|zapisz się|"
    r"подписаться|abone ol|prenumerera|tilaa",
    # what sign-up and sharing widgets print when their script did not run: confirmations, errors
    # (the English strings of the corpora's newsletter boxes, fundus_publisher_tests and the Zyte benchmark)
    r"thanks? (?:you )?for (?:signing up|subscribing|registering)|you(?:'re| are) (?:now )?(?:signed up|subscribed)|"
    r"there was an error processing your (?:subscription|request)|an error (?:has )?occurred.{0,40}|"
    r"keep an eye on your inbox.*|check your inbox.{0,60}|this (?:article|story) has been sent to.*|"
    r"(?:order|purchase) reprints|print article|reprints?( & permissions)?",
    # placeholders of embeds waiting for consent, rating and error-report widgets, "continues below"
    # (the German consent boxes of fundus_publisher_tests' sites, and their English counterparts)
    r"empfohlener redaktioneller inhalt|externer inhalt|ein klick für (?:den|mehr) datenschutz|link zum [\w-]+-inhalt|"
    r"an dieser stelle finden sie (?:einen|einen von unseren redakteuren ausgewählten)?,? externen inhalt.*|"
    r"ich bin damit einverstanden,? dass mir (?:der )?externe(?:r)? inhalte? angezeigt (?:wird|werden).*|"
    r"(?:to view|to see) this content,? (?:please )?(?:enable|accept|allow) .{0,60}",
    r"fehler gefunden\??\s*jetzt melden|found an? (?:error|mistake|typo)\??\s*(?:report it|let us know).{0,30}|"
    r"wie hat ihnen (?:dieser|der) artikel gefallen|war dieser artikel hilfreich|was this article helpful|"
    r"how would you rate this article|hinweis|bitte beachten|article content|"
    r"(?:average|durchschnittliche) (?:rating|bewertung)\s*:?\s*[\d.,]+(?:\s*/\s*\d+)?|"
    r"(?:liked?|enjoy(?:ed)?) this (?:story|article)\?? share it.{0,30}|tell us what you think.{0,20}|"
    r"(?:advertisement\s*\d*\s*)?(?:the )?(?:story|article) continues below(?: (?:this )?advertisement)?|"
    r"\d+ (?:wochen|tage|monate|weeks|days|months) (?:kostenlos|gratis|free) (?:testen|lesen|trial)",
    # a newsletter's name as the heading of its sign-up box ("Pick Six Newsletter"); the link to the
    # outlet's editorial standards under every story ("Our Standards: ...", "Why you can trust Example News")
    r"(?:[\w’&+-]+ ){1,3}(?:newsletter|nieuwsbrief|nyhetsbrev)|"
    r"(?:our|unsere) (?:editorial |redaktionellen )?(?:standards|grundsätze)(?: .{1,60} (?:principles|grundsätze|policy|guidelines))?|why you can trust [\w ]{1,30}|"
    r"editorial (?:standards|guidelines|policy)",
    # cookies
    r"(?:accept|allow|reject)(?: all)? cookies|cookie (?:policy|settings|preferences)|manage cookies",
    # photo galleries and media widgets left as text
    r"(?:view|open) (?:gallery|slideshow)|\d+ (?:photos|images|bilder|fotos)|play video|watch(?: the)? video|"
    r"listen(?: to (?:this|the) article)?|audio|video|foto|photo|bild anzeigen|wird geladen|loading",
    # a table of contents' heading (its entries are the article's own subheadings, which follow)
    r"inhaltsverzeichnis|table of contents|sommaire|índice|indice|spis treści",
]
_WHOLE_LINE_RE = re.compile(r"^(?:" + "|".join(_WHOLE_LINE) + r")$")

# Teasers: a line starting like this, short, is another story's headline behind a label.
_TEASER_PREFIX = re.compile(
    r"^(?:(?:related|recommended|more|watch|listen)\s*[:：»>|]\s*\S)|"
    # "Also on example.com Another headline": a teaser naming the site it links to
    r"^also on \S+\.[a-z]{2,}\s+\S|"
    r"^(?:read (?:more|also|next)|see (?:also|more)|also read|related (?:post|story|article)|don'?t miss|"
    r"lesen sie (?:auch|mehr|hier)|mehr lesen|weiterlesen|mehr zum thema|auch interessant|mehr dazu|siehe auch|zum thema|"
    r"(?:[àa] )?lire aussi|voir aussi|[àa] voir aussi|sur le même sujet|"
    r"lee también|leer más|te puede interesar|ver también|relacionad[ao]s?|lea (?:también|además|más)|"
    r"(?:le|te) puede interesar|(?:también )?(?:le|te) puede (?:interesar|gustar)|mire también|nota relacionada|"
    r"leggi anche(?: su)?|vedi anche|potrebbe interessarti|"
    r"leia também|veja também|leia mais|"
    r"lees ook|zie ook|lees meer|"
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|"
    r"читайте также|смотрите также|читать также|"
    r"ayrıca (?:okuyun|bakınız)|ilginizi çekebilir|"
    r"läs (?:också|mer)|les også|læs også|lue myös|"
    r"関連記事|相关阅读)(?:\s*[:：»>|]|\s+[–—-])\s*\S",
)
_TEASER_MAX_CHARS = 200
# another story's headline with a teaser's label after it in brackets: "Ferry strike: unions reject the
# offer [INSIGHT]", "... final decision [VIDEO]" (the labels of the corpora's teasers, in their
# languages; a caption's source, "[AFP]", a transcript's "[APPLAUSE]", an aggregator's "[Bloomberg]"
# are no teaser's)
_TEASER_LABEL_AFTER = re.compile(
    r"\s\[(?:VIDEOS?|VIDÉOS?|VÍDEOS?|WIDEO|PHOTOS?|FOTOS?|ZDJĘCIA|PICTURES|PICS|GALLERY|GALERIE|GALERÍA|LIVE|"
    r"EN DIRECT|EN VIVO|INSIGHT|ANALYSIS|ANALYSE|OPINION|PODCAST|AUDIO|INTERVIEW|EXCLUSIVE|EXKLUSIV|UPDATE|"
    r"LATEST|REACTION|REVEALED|POLL|QUIZ|WATCH|LISTEN)\]$")
_TEASER_LABEL_MAX_CHARS = 150

# Two interface words in one short line: a prompt, not a sentence of the article.
_NEWSLETTER = re.compile(
    r"newsletter|nieuwsbrief|bolet[ií]n|lettre d'information|infolettre|rassegna|рассылк|b[uü]lten|"
    r"nyhetsbrev|uutiskirje|h[ií]rlev[eé]l|biuletyn|inbox|posteingang|e-?mail updates|daily (?:digest|briefing)|"
    # the edition sent by mail, offered: "Get The Example Times's Daily Edition by email and never miss our
    # top stories" ("Subscribers who sign up receive the print edition by email" is a story's)
    r"^get (?:the |our )?\S.{0,50}(?:edition|top stories|headlines) by e-?mail"
)
# a messenger channel is the site's own only when the line says so ("our", "unseren")
_CHANNEL = re.compile(r"(?:whatsapp|telegram)[- ]?(?:kanal|channel|canal)")
_SIGN_UP = re.compile(
    r"(?:subscrib(?:e|ing)|sign(?:ing)? up|sign-up)\b|\b(?:join|receive|abonn\w*|anmelden|anmeldung|melden sie sich|erhalten sie|"
    r"register|registrieren|registrati|registrate|regístrate|registreer|inscri(?:vez|bete|bir|ba)\w*|"
    r"inscreva|suscr[ií]b\w*|iscriv\w*|assine|assinar|inschrijven|aanmelden|meld (?:je|u) aan|ontvang|"
    r"recevez|recib\w*|receba|ricev\w*|zapisz|подпи[сш]\w*|получа\w*|abone|prenumerera|tilaa|feliratkoz\w*|"
    r"get(?=.*\b(?:in|to) your inbox))\b"
)
_OUR = re.compile(r"\b(?:our|unser\w*|notre|nos|nuestr\w*|nostr\w*|noss\w*|onze|nasz\w*|наш\w*|vårt|vores|"
                  r"free|kostenlos\w*|gratuit\w*|gratis|daily|weekly|täglich\w*|inbox|posteingang|postfach)\b")
# the notices of comment systems, never a journalist's "declined to comment" or a politician's comments
_COMMENT_NOTICE = re.compile(
    r"comments? (?:are|is) (?:closed|moderated|disabled|turned off)|comments? (?:policy|guidelines|rules)|"
    r"(?:log(?:ged)? in|sign(?:ed)? in|register(?:ed)?) to (?:post a |leave a |add a )?(?:comment|reply)|"
    r"to (?:post|leave|write|add) a comment|display name|community (?:guidelines|standards|rules)|"
    r"kommentarfunktion|kommentare? (?:sind|ist|wird|werden) (?:geschlossen|deaktiviert|moderiert)|"
    r"(?:um|zum) (?:zu )?kommentieren|kommentare erscheinen erst nach (?:unserer |der )?(?:freigabe|prüfung)|"
    r"les commentaires sont (?:fermés|modérés)|"
    r"los comentarios (?:están cerrados|son moderados)|i commenti sono (?:chiusi|moderati)|netiquette"
)
# Notices that need a second word to be a comment system's: "Melden Sie sich an, um einen Kommentar
# abzugeben" (a spokeswoman was unavailable "um einen Kommentar abzugeben" in the news), "Los comentarios
# son opinión de los usuarios" (a survey measures "la opinión de los lectores")
_COMMENT_NOTICE_PAIRS = (
    (re.compile(r"um (?:einen )?kommentare? (?:abzugeben|zu schreiben|zu verfassen)"),
     re.compile(r"melden sie sich|anmelden|angemeldet|einloggen|eingeloggt|registrier|log-?in")),
    (re.compile(r"opini[oó]n de los (?:usuarios|lectores|internautas)|opinião dos (?:leitores|usuários)|"
                r"opinion of (?:the )?(?:readers|users|commenters)"),
     re.compile(r"coment[aá]rios?|comments?")),
    # the site's right to delete comments, said by the site ("we", its name, its newsroom): a law giving
    # a platform the right to remove comments is news
    (re.compile(r"(?:\bwe|\bnos|\bwir|\bnous|\bci|\S+\.[a-z]{2,6}|\bredaktion|\bredacción|\bla redazione|\bla rédaction) "
                r"(?:reserve the right to (?:delete|remove|edit|moderate|refuse|reject)|"
                r"(?:se )?reserva(?:mos)? el derecho (?:de|a) (?:eliminar|borrar|editar|moderar|rechazar|no publicar)|"
                r"reserva(?:-se|mo-nos) o direito de (?:eliminar|apagar|remover|editar|não publicar)|"
                r"(?:si )?riserva(?:mo)? il diritto di (?:cancellare|rimuovere|eliminare|moderare)|"
                r"(?:se|nous) réserv(?:e|ons) le droit de (?:supprimer|modérer|refuser|retirer)|"
                r"behält sich .{0,30}(?:löschen|entfernen|kürzen|zu löschen|zu entfernen|zu kürzen) vor|"
                r"behalten uns .{0,30}(?:löschen|entfernen|kürzen|zu löschen|zu entfernen|zu kürzen) vor)"),
     re.compile(r"\b(?:comments?|coment[aá]rios?|commenti|commentaires?|kommentare?)\b")),
)
_AFFILIATE = re.compile(
    r"affiliate[ -]links?|(?:enlaces?|links?) (?:de )?afiliad\w*|liens? affiliés?|link di affiliazione|"
    r"partnerlinks?\b|werbelinks?\b|provisionslinks?\b|sponsored links?|"
    r"\b(?:we|i) (?:may )?(?:earn|receive|get) (?:a )?(?:small )?(?:commission|share of (?:the )?(?:sales|revenue))|"
    r"\b(?:we|i) may (?:earn|receive|get) compensation\b|"
    r"(?:erhalten|bekommen) wir (?:eine )?provision|affiliate commission|earn (?:us )?an? commission"
)
_METADATA_BARS = (" | ", " - ", " • ", " · ")
_METADATA_PART_MAX_CHARS = 80
_PROMPT_MAX_CHARS = 300
_LONGEST_BLOCK = 400
_INNER_PUNCTUATION = re.compile(r"[.!?,;:]+(?=\s)")
_PROMPT_MAX_WORDS = 45

_READING_TIME = re.compile(
    r"^(?:(?:reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo di lettura|"
    r"tempo de leitura|leestijd|czas czytania|время (?:чтения|на чтение)|okuma süresi|lästid|lesetid|"
    r"lukuaika)\s*[:：]?\s*(?:ca\.?\s*|~\s*)?\d+(?:[.,]\d+)?\s*\w*\.?"
    r"|(?:ca\.?\s*|~\s*)?\d+(?:[.,]\d+)?\s*(?:-|–)?\s*(?:min(?:ute)?s?|minuten|minutes|minutos|minuti|minuty|"
    r"минут[аы]?|мин|dakika|minuter|minutter|minuuttia|分)\.?\s*(?:read|reading|lesezeit|lesen|de lecture|"
    r"de lectura|di lettura|de leitura|leestijd|leesduur|czytania|чтения|okuma|läsning|lesing|lukuaika|阅读)?"
    # "Ten tekst przeczytasz w mniej niż minutę" (you read this text in under a minute)
    r"|ten tekst przeczytasz (?:w|w ciągu|w mniej niż) .{1,20})$"
)

_CONTACT_WORDS = re.compile(r"follow|contact|e-?mail|reached|erreichbar|erreichen|joindre|contacto|contatto|twitter|x\.com|instagram|facebook|mastodon|bluesky|"
                            r"threads|linkedin|folgen|kontakt|suivez|síguel|segui|siga|volg|obserwuj|"
                            r"reach (?:him|her|them|the author)|write to|schreiben sie|tips?\b")

# an image's address left as text (a logo, a photo whose <img> the theme wrote out as a link)
_IMAGE_URL_ONLY = re.compile(r"^(?:https?://|www\.|/)\S+\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?$|^(?:https?://)\S*logo\S*$")
_RELATED_HEADING = re.compile(r"^(?:" + "|".join(_RELATED) + r")$")
# closing quotation marks of every convention: "”" and "»", and the German "“", "‘" and "«"
_SENTENCE_END = re.compile(r"[.!?…。！？।॥။؟۔\"”’»“‘«›)\]:;]\s*$")
_BYLINE_MAX_CHARS = 80
# a post's tags run together after their label: "stock car 2018, stock car brasil, interlagos"
_PHRASE_LIST_MIN_ITEMS = 3
_PHRASE_MAX_WORDS = 6


def _without_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def is_interface_line(line: str, *, site_name: str | None = None) -> bool:
    """Whether this line, standing alone as a block, is interface rather than article."""
    if len(line) > _LONGEST_BLOCK:  # a paragraph of the article: every interface block is shorter
        return False
    return _is_interface(line, line_key(line), site_name)


def _is_interface(line: str, key: str, site_name: str | None) -> bool:
    """is_interface_line for a line no longer than _LONGEST_BLOCK, given its _key."""
    if not key:
        return True
    # sentence punctuation inside a phrase is spelled both ways ("published. Required", "published, required")
    if _WHOLE_LINE_RE.match(_INNER_PUNCTUATION.sub("", key)) or _READING_TIME.match(key):
        return True
    if site_name and key == line_key(site_name):
        return True
    if len(line) <= _TEASER_MAX_CHARS and _TEASER_PREFIX.match(key):
        return True
    if len(line) <= _TEASER_LABEL_MAX_CHARS and "[" in line and _TEASER_LABEL_AFTER.search(line.rstrip(" |.")):
        return True
    if _IMAGE_URL_ONLY.match(key) or is_site_notice(line, key):
        return True
    words = key.split()
    # a teaser card's headline written twice (the image's alt text and the link): "Headline Headline"
    half = len(words) // 2
    if len(words) >= 6 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return True
    if is_date_line(line, key):
        return True
    if len(line) <= _PROMPT_MAX_CHARS and len(words) <= _PROMPT_MAX_WORDS:
        if _NEWSLETTER.search(key):
            plain = _without_accents(key)
            if (_SIGN_UP.search(key) or _SIGN_UP.search(plain)) and (len(words) <= 15 or _OUR.search(plain)):
                return True
        if _CHANNEL.search(key) and _SIGN_UP.search(key) and _OUR.search(_without_accents(key)):
            return True
        if len(words) <= 30 and (_COMMENT_NOTICE.search(key) or any(
                notice.search(key) and second.search(key) for notice, second in _COMMENT_NOTICE_PAIRS)):
            return True
        if _AFFILIATE.search(key):
            return True
    # a bar of the post's metadata, each part interface: "January 13, 2020 at 08:45 AM | categories: Python |
    # View Comments" (a table's row, "| 2019 | 12 |", opens with its bar; dates alone are a dateline, or
    # the period the article gives: "29 November 2018 | 20 January 2019")
    if not line.startswith("|") and (bar := next((b for b in _METADATA_BARS if b in line), None)):
        parts = [part.strip() for part in line.split(bar)]
        # each part a label's few words: a sentence with a dash in it is not looked at again part by part
        if len(parts) >= 2 and all(0 < len(part) <= _METADATA_PART_MAX_CHARS for part in parts):
            keyed = [(part, line_key(part)) for part in parts]
            if all(_is_interface(part, part_key, site_name) for part, part_key in keyed) and (
                    not all(is_date_line(part, part_key) for part, part_key in keyed)):
                return True
    if len(words) <= 15 and _EMAIL.search(key) and _CONTACT_WORDS.search(_EMAIL.sub(" ", key)):
        return True
    if len(words) <= 12 and _HANDLE.search(key) and _CONTACT_WORDS.search(key):
        return True
    return is_call_to_action(line, key, words)


def clean_lines(lines: Iterable[str], *, headlines: Sequence[str | None] = (), site_name: str | None = None,
                authors: Sequence[str] = (), story_links: Collection[str] = (),
                teasers: Collection[str] = ()) -> list[str]:
    """The article's lines without interface blocks (see the module docstring). `story_links`: the
    texts of links to the site's other stories, listed in the page as lists of nothing else (story_lists.py);
    `teasers`: paragraphs of the page that are one such link, and its photo captions (linked_teasers.py)."""
    kept: list[str] = []
    in_related_list = False
    people = person_keys(authors)
    bio_at = None  # where the last bio of an author was, in `kept`
    for line in lines:
        if is_bio(line, people):
            bio_at = len(kept)
            continue
        # headlines end in a question mark as often as in nothing; an item ending in a full stop is a sentence
        if in_related_list and _LIST_ITEM.match(line) and (line.endswith("?") or not _SENTENCE_END.search(line)):
            continue
        if in_related_list and _is_phrase_list(line):  # the tags under their label, run together
            in_related_list = False
            continue
        if story_links and _LIST_ITEM.match(line) and line_key(_LIST_ITEM.sub("", line)) in story_links:
            continue
        if len(line) > _LONGEST_BLOCK:  # a paragraph of the article: no interface block is that long
            in_related_list = False
            long_key = line_key(line)
            # but a notice or a pitch that runs on, opening like one
            if not (is_long_notice(line, long_key) or is_long_pitch(line, long_key)):
                kept.append(line)
            continue
        key = line_key(line)
        in_related_list = len(line) <= _TEASER_MAX_CHARS and bool(_RELATED_HEADING.match(key) or _MORE_FROM.match(line))
        if in_related_list or (len(line) <= _TEASER_MAX_CHARS and key in teasers) or _is_interface(line, key, site_name):
            continue
        kept.append(line)
    # bios close the article: dropped from the end only, with the short lines after them (the bio
    # box's links, another story's teaser)
    start = tail_bio_start(kept, _TEASER_MAX_CHARS)
    # (the bio box under the story: the story comes before it)
    if bio_at is not None and len(kept) - bio_at <= min(BIO_TAIL_LINES, bio_at) and all(
            len(after) <= _TEASER_MAX_CHARS for after in kept[bio_at:]):
        start = bio_at if start is None else min(start, bio_at)
    if start is not None:
        del kept[start:]
    while kept and (is_bio(kept[-1], people, last=True) or closes_with_follow_prompt(kept[-1]) or is_sign_off(kept[-1])):
        kept.pop()
    # the byline printed as a paragraph of its own ("<p><strong>Jane Doe</strong></p>") opening or
    # closing the article
    names = {line_key(a) for a in authors if a}
    if names and len(kept) > 1 and len(kept[-1]) <= _BYLINE_MAX_CHARS and line_key(kept[-1]) in names:
        kept.pop()
    if names and len(kept) > 1 and len(kept[0]) <= _BYLINE_MAX_CHARS and line_key(kept[0]) in names:
        kept.pop(0)
    # the headline (the record's title, or an SEO title beside the visible <h1>) repeated at the top
    return without_leading_headline(kept, headlines)


def _is_phrase_list(line: str) -> bool:
    """"stock car 2018, stock car brasil, interlagos": short phrases separated by commas, no sentence."""
    parts = line.rstrip(", ").split(",")
    return (len(parts) >= _PHRASE_LIST_MIN_ITEMS and not _SENTENCE_END.search(line)
            and all(0 < len(part.split()) <= _PHRASE_MAX_WORDS for part in parts))


def prose_chars(text: str) -> int:
    """Characters in lines that read as sentences: ending like one, or holding several."""
    return sum(
        len(line)
        for line in text.splitlines()
        if _SENTENCE_END.search(line) or len(_SENTENCE_BREAK.findall(line)) >= 2
    )


def text_lines(raw: str) -> list[str]:
    """trafilatura's text as its blocks: one a line, NFC, spaces collapsed, empty lines dropped, without
    the hints a link gives screen readers ("Investoren(öffnet im neuen Fenster)")."""
    lines = [" ".join(ln.split()) for ln in (unicodedata.normalize("NFC", line) for line in raw.splitlines())]
    return [_LINK_HINT.sub("", line) if "(" in line else line for line in lines if line]


def clean_text(raw: str, *, headlines: Sequence[str | None] = (), site_name: str | None = None,
               authors: Sequence[str] = (), story_links: Collection[str] = (), teasers: Collection[str] = ()) -> str:
    return "\n".join(clean_lines(text_lines(raw), headlines=headlines, site_name=site_name, authors=authors,
                                 story_links=story_links, teasers=teasers))


# what a link tells screen readers, left in the sentence: "(öffnet im neuen Fenster)", "(opens in a new tab)"
_LINK_HINT = re.compile(
    r" ?\((?:öffnet|opens?|s'ouvre|se abre|si apre|abre|otwiera się)\b[^()]{0,30}\b(?:neue[mn]?|new|nouvel(?:le)?|"
    r"nueva|nuova|nova|nowym|externen)\s(?:fenster|tab|window|fenêtre|onglet|ventana|pestaña|finestra|scheda|janela|"
    r"aba|oknie|karcie)\)", re.IGNORECASE)
