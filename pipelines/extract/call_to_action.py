"""Calls to action, credits and the post's taxonomy: lines the site adds around every story.

"Click here to get the app", "Subscribe to Example Premium", "Already a subscriber? Log in", "Follow us on Instagram", "Email Jane
Doe at ...", "Credit: Jane Doe/Agency", "Jane Doe contributed to this report.", "Filed under: Politics".
Each family is tested on the line's own words, with a length bound: the article's sentences that
mention a subscription or a photographer are longer, or do not open like these.

Where the phrases come from: the labels of the corpora's pages (the Zyte benchmark's English pages,
fundus_evaluation, fundus_publisher_tests' 41 countries for the credits and taxonomy labels), and
the translations of "click here" and "follow us" the same widgets print in the corpora's languages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipelines.extract.literal_gate import gated, holds_any

# an address, or the placeholder Cloudflare's e-mail protection prints where the script did not run
# (the lookbehind starts an address only where its run of characters starts: tried from every
# character of a long word, the run would be read to its end again from each)
EMAIL = gated(re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[email\s?protected\]"))
HANDLE = gated(re.compile(r"(?:^|\s)@\w{2,}"))
LIST_ITEM = re.compile(r"^[-•*·▪►]\s+")

# Calls to action: "Click here to get the app", "Subscribe to Example Premium to bookmark this article",
# "Follow us on Twitter", "Follow her on Twitter @janedoe or on Facebook" (the labels of the Zyte
# benchmark's and fundus_evaluation's pages, and the translations of "click here" the same widgets use)
_CLICK_HERE = gated(re.compile(r"\bclick(?:ing)? here\b|\bhier klicken\b|\bklicken sie hier\b|\bcliquez ici\b|"
                               r"\bhaga clic aquí\b|\bhaz clic aquí\b|\bclicca qui\b|\bclique aqui\b|\bklik hier\b"))
_CLICK_HERE_MAX_CHARS = 150
# the same as a link's label closing the line in Japanese, Chinese, Korean: "詳しくはこちら" (details:
# here), "会員の方はこちら", "点击查看"; inside a sentence it is quoted, news of a scam's text message.
# Looked for only in lines holding one of its first characters: the common case costs a substring test.
_CLICK_HERE_CJK = re.compile(r"(?:こちら|点击(?:这里|此处|查看)|여기를 (?:클릭|눌러)\w*)\W{0,3}$")
_CLICK_HERE_CJK_MARKS = ("こちら", "点击", "여기를")
_IMPERATIVE_SIGN_UP = re.compile(r"^(?:subscribe|sign up|join (?:our|us)|start your (?:\w+ )?(?:subscription|trial)|"
                                 r"download (?:our|the) (?:free )?app|get (?:our|the) (?:free )?app)\b")
# the membership calls of the corpora's Spanish, French, Polish pages, in a box's few words ("Hazte
# miembro y disfruta de beneficios exclusivos"): in a longer line they are a quote
_MEMBERSHIP_CALL = re.compile(r"^(?:hazte (?:miembro|suscriptor)|suscríbete|abonnez-vous|wesprzyj nas)\b")
_MEMBERSHIP_CALL_MAX_WORDS = 8
# the site's app pitched for the phones, in its own words: "For the latest stories and breaking news
# updates download the Example apps for iOS and Android.", "Download our app"; a sign-up box's closing
# link: "... our actions? Sign up here"
_APP_PITCH = gated(re.compile(r"^for (?:the )?latest\b.{0,100}\bdownload (?:the|our) (?:[\w-]+ ){0,3}apps?\b|"
                              r"\bdownload our (?:[\w-]+ ){0,3}apps?\b"))
_SIGN_UP_HERE = gated(re.compile(r"\bsign up here[.!]?$"))
_SHORT_PROMPT_MAX_CHARS = 200
_SOCIAL = gated(re.compile(r"\b(?:twitter|facebook|instagram|youtube|tiktok|linkedin|threads|bluesky|mastodon|telegram|"
                           r"whatsapp|snapchat|x\.com|twitter\.com|google news|(?:on|auf|sur|en|su) x(?![\w-]))\b"))
_FOLLOW = re.compile(r"^(?:follow|folgen sie|folge|folgst du|suivez|síguenos|seguici|segui|siga|volg|obserwuj|"
                     r"подписывайтесь|are you following|do you follow)\b")
_URL = gated(re.compile(r"https?://\S+|\bwww\.\S+"))
_CONTACT_MAX_WORDS = 40
_CONTACT_START = re.compile(r"^(?:follow|reach|contact|e-?mail|write to|have a tip|got a tip|tips?\b|"
                            r"you can (?:reach|contact|follow|e-?mail))")
# Credit lines: "Credit: Jane Doe/Agency", "Photo: AFP", "Quelle: dpa" (the captions' credits of the
# corpora's pages in their languages), and any German picture's label before a copyright sign
# ("Rubriklistenbild: © KCNA/dpa", "Symbolgrafik:© Jane Doe - stock.adobe.com"), and "Copyright:" as such a
# label ("Copyright: Jane Doe"). Copyright notices stay ("© Reuters", "Copyright 2019 Example News. All
# rights reserved."): human-made reference texts (the Zyte benchmark's) keep them as often as not.
_CREDIT = re.compile(r"^(?:photo|photos|photograph|foto|fotos|fotografie|image|images|picture|pictures|bild|bilder|credit|credits|crédit|"
                     r"titelbild|titelfoto|beitragsbild|aufmacherbild|image illustrative|fotocredits?|bildcredits?|bildnachweis|fotonachweis|"
                     r"crédits|photo credit|image credits?|picture credits?|bildquelle|fotoquelle|crédit photo|copyright|quelle|source|fuente|fonte|bron|źródło|источник|来源|出典|출처|提供|配信元)\s*(?:by)?\s*[:：]\s*\S|"
                     r"^[^\W\d_]+(?:bild|foto|grafik)\s*[:：]\s*(?:©|\(c\))")
# a caption closing with its credit: "Snímek z jednání. foto: ČTK", "Imagem de arquivo — Foto: Reuters" (the
# credit a name or an agency: "Das zeigt das Foto: ein Hund im Schnee" is a sentence)
_CREDIT_AT_END = re.compile(r"(?:^|[\s—–-])(?:[Ff]oto|FOTO|[Pp]hoto|[Ii]magem|[Ii]magen|[Zz]djęcie|[Bb]ild)\s*:\s*"
                            r"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w.’'-]*|dpa|afp|epa|imago)(?:[\s,/]+(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w.’'-]*|dpa|afp))"
                            r"{0,5}$")
_CREDIT_MAX_CHARS = 120
# The newsrooms' credit lines closing a story: "Jane Doe contributed to this report.", "With files
# from ...", "Additional reporting by ...", "Mit Agenturmaterial." (wire copy of the corpora: AP,
# Postmedia, NZZ). Reuters' own "Reporting by ...; Editing by ..." stays: human reference texts keep it.
_CONTRIBUTORS = gated(re.compile(
    r"^(?:additional reporting (?:by|from)|with (?:files|reporting) (?:from|by)|"
    r"mit agenturmaterial|mit material (?:von|der|des)|mit informationen (?:von|der|des))\b"
    r"|\bcontributed (?:reporting|to (?:this|the) (?:report|story|article))\b"
))
_CONTRIBUTORS_MAX_CHARS = 300
# "Filed under: Politics |", "Tags: economy, trade", "Posted in News": the post's taxonomy
TAG_LABELS = r"tags?|etiketler|schlagw(?:ö|o)rte?r?|etiquetas|étiquettes|mots-clés|tagi|теги|тэги|keywords"
_TAXONOMY = re.compile(r"^(?:filed under|posted in|tagged(?: with)?|topics?|categor(?:y|ies)|themen|kategorien?|categorias?|"
                       r"categorías?|argomenti|categorie|" + TAG_LABELS + r")\s*[:：]"
                       # without the colon, a few labels alone ("Filed under Politics, Local"; "Filed under seal, the
                       # documents were released" is a sentence)
                       r"|^filed under [^\W\d_][\w&'-]*(?:,? [^\W\d_][\w&'-]*){0,3}$")
_TAXONOMY_MAX_CHARS = 250
# Paywall and registration prompts: "This article is for subscribers only", "Already a subscriber? Log
# in", "Log in or create an account to continue", and their counterparts in the corpora's languages
# (the Japanese and Korean ones from fundus_publisher_tests' and newspaper4k's pages)
_PAYWALL = gated(re.compile(
    r"\b(?:this|the) (?:article|story|content|feature) is (?:only )?(?:available )?(?:to|for) (?:paying )?subscribers\b|"
    r"\bsubscribers?[ -]only (?:content|article|story)|"
    r"\balready (?:a )?subscriber\s?\?|\balready have an account\s?\?|\b(?:log|sign) in or (?:create|register|sign up|subscribe)|"
    r"\bstart your (?:[\w-]+ ){0,3}(?:subscription|trial)\b|"
    # the share of the story left behind the wall: "Il vous reste 57.09% de cet article à lire. La suite est
    # réservée aux abonnés." (Le Monde, fundus_publisher_tests), "You have 77% of this article left to read"
    r"\bil vous reste [\d.,]+\s?% de cet article à lire|\byou have [\d.,]+\s?% of this article left to read|"
    r"\bthe rest is (?:reserved )?for subscribers\b|^pour (?:lire la suite|accéder en illimité)(?: de cet article)?\W*$|"
    r"nur für abonnenten|abonnenten vorbehalten|(?:bereits|schon) abonnent(?:in)?\s?\?|"
    # the story's rest or the article itself reserved, not a car park or a fare ("... réservé aux abonnés")
    r"(?:cet article|ce contenu|cette (?:page|vidéo)|la suite|l'article) est réservée? aux abonnés|"
    r"^(?:article )?réservée? aux abonnés\W*$|"
    r"déjà abonné\s?\?|exclusivo para (?:suscriptores|assinantes)|ya eres suscriptor|riservato agli abbonati|"
    r"già abbonato\s?\?|já é assinante|alleen voor abonnees|al abonnee\s?\?"
))
# ... signing in or subscribing to read on ("Melden Sie sich an, um weiterzulesen", "Connectez-vous pour
# lire la suite", "Continue reading with a subscription"), and the offer ("Get unlimited access to Example
# News for just $1 a week."): patterns of their own, each few strings for the literal gate
_READ_ON = gated(re.compile(
    r"^(?:jetzt )?(?:abonnieren|anmelden|registrieren|einloggen|melden sie sich an|connectez-vous|abonnez-vous|"
    r"inscrivez-vous|inicia sesión|suscríbete|regístrate|accedi|abbonati|registrati|assine|entre|abonneer|log in|"
    r"meld je aan|wykup subskrypcję|zaloguj się|zarejestruj się)\b[^.]{0,30}(?:weiter(?:zu)?lesen|lire la suite|"
    r"seguir leyendo|continuar leyendo|continuare a leggere|continuar lendo|verder (?:te )?lezen|czytać dalej)|"
    r"^(?:jetzt )?weiterlesen (?:für|mit|ab) .{1,40}$|\bcontinue reading with (?:a |an |your )?(?:[\w-]+ ){0,2}"
    r"(?:subscription|account|membership)\b"
))
_PAYWALL_OFFER = gated(re.compile(
    r"^(?:get|enjoy|unlock) unlimited (?:digital |online )?access\b|^unlimited online access to\b|"
    r"^(?:jetzt )?unbegrenzte?n? zugang\b|exklusiv für abonnent|"
    # "Jetzt für 1 € testen", "Alle Plus-Artikel lesen – 1 Monat für nur 1 €", "Lesen Sie diesen Artikel und alle
    # weiteren Plus-Inhalte mit dem Digital-Abo.", "Create an account or sign in to continue with your reading experience."
    r"^jetzt (?:für (?:nur )?[\d,.]+ ?(?:€|euro) )?testen$|^alle (?:plus-?)?(?:artikel|inhalte|beiträge) .{0,40}lesen\b|"
    r"^lesen sie diesen artikel und alle weiteren .{0,40}mit (?:dem|einem|unserem) .{0,30}abo|"
    r"^create an account or sign in to continue\b|"
    r"^accédez (?:en illimité )?à (?:tous nos|l'ensemble de nos) (?:articles|contenus)|^accede (?:a todo|sin límites)"
))
# the meter and the wall's buttons: "You have reached your limit of free articles", "You've read 3 of 5
# free articles this month", "Create a free account to continue reading", "Iscriviti per continuare a
# leggere" (a pattern of its own: with the list above, it asks for too many strings for the literal gate)
_PAYWALL_METER = gated(re.compile(
    r"\byou(?:'ve| have) (?:reached|used) (?:your|the) (?:limit|maximum|number) of free (?:articles|stories)|"
    r"\byou(?:'ve| have) read \d+ (?:of|out of) (?:your )?\d+ free (?:articles|stories)|"
    r"^(?:create|register for) (?:a )?free(?: account)? to (?:continue reading|keep reading|read (?:this|the full) (?:article|story))|"
    r"^register for free to (?:continue reading|keep reading|read (?:this|the full) (?:article|story))|"
    r"^unlock (?:this|the full) (?:article|story)|\byou have \d+ gift (?:articles|links|stories) (?:left|remaining)|^(?:sie haben|du hast) (?:bereits|schon) ein abo\s?\?|"
    r"^weiterlesen mit \w+$|^(?:jetzt )?\d+ wochen (?:gratis|kostenlos) testen|"
    r"^(?:iscriviti|abbonati) per continuare a leggere|^assine para continuar lendo|^word abonnee en lees verder|"
    r"^zaloguj się,? aby czytać dalej|dostępny tylko dla (?:subskrybentów|prenumeratorów)"
))
# ... and in the corpora's other languages, with the offer's price for a first month and the wall's buttons:
# "Vous avez envie de lire la suite ?", "Débloquez tous les articles", "Le débat est ouvert aux abonnés",
# "Esta funcionalidad es exclusiva para suscriptores", "Naviga senza limiti su tutti i contenuti del sito",
# "Denne artikel er forbeholdt abonnenter", "Ten artykuł jest dostępny dla subskrybentów", "Få adgang til alle
# artikler for 1 kr. den første måned.", "Kup prenumeratę Zaloguj się"
_PAYWALL_ELSEWHERE = gated(re.compile(
    r"^vous avez envie de lire la suite\b|^débloquez tous les articles\b|^le débat est ouvert aux abonnés|"
    r"^esta funcionalidad es exclusiva para suscriptores|^naviga senza limiti su tutti i contenuti|"
    r"^(?:denne|dette|denna|detta) (?:artikel|artikkel|artikeln) (?:er|är) (?:forbeholdt|reservert for|förbehållen) "
    r"(?:abonnenter|prenumeranter)|dostępny (?:tylko |wyłącznie )?dla (?:subskrybentów|prenumeratorów)|"
    r"^przeczytaj (?:ten|cały) artykuł\b.{0,40}subskrypcj|^wykup subskrypcję|^kup (?:prenumeratę|subskrypcję)|"
    r"^(?:køb|kjøp|köp) (?:abonnement|prenumeration)|^abbonati a [\d,.]+ ?€"
))
# the offer's price for a period: "... for 1 kr. den første måned", "... za 1 zł przez pierwszy miesiąc"
_OFFER_PERIOD = gated(re.compile(r"first month|premier mois|primer mes|primo mese|primeiro mês|pierwszy miesiąc|første måned|"
                                 r"första månaden|ersten monat|al mese|per month|pro monat|par mois|al mes"))
# ... offering the reader the site: a fee or a rate the story reports ("3 € per month for each resident") offers none
_OFFER_WORDS = re.compile(r"\b(?:access|zugang|zugriff|accès|acceso|accesso|acesso|dostęp|adgang|tilgang|åtkomst|toegang|"
                          r"read|lesen|lire|leer|leggere|ler|czytaj|læs|les|läs|lees|subscri\w*|abonn\w*|abbon\w*|"
                          r"suscri\w*|assin\w*|prenumer\w*|subskryp\w*|test(?:en|ez)?|essai|prueba|prova)\b")
_PRICE = re.compile(r"\b(?:for|für|pour|por|per|za|fra|från|voor|ab|from|dès|desde|da)\s+(?:only |just |nur |seulement |solo |"
                    r"apenas |tylko )?(?:[€$£] ?\d|\d(?:[\d,.]*\d)? ?(?:€|zł|kr\b|euro|\$|£))")
_PAYWALL_MAX_CHARS = 160
# Japanese, Korean and Chinese paywall prompts (those of fundus_publisher_tests' and newspaper4k's
# pages): "members only" is always one ("この記事は会員限定です"); "paid member" and "sign-up" are news
# too ("有料会員数は100万人を突破した", paid members passed a million) unless the line addresses the reader
# ("...お読みいただけます", you can read; "...が必要です", is needed) or is a button's few characters;
# "read all you like" ("会員向け記事が読み放題", a subscription's perks listed) is one in a short line
_PAYWALL_CJK_ONLY = re.compile(r"会員限定|読み放題|회원 전용|仅限会员|会员专享")
_PAYWALL_CJK = re.compile(r"会員限定|有料会員|会員登録|회원 ?전용|유료 ?회원|회원 ?가입|仅限会员|会员专享")
_PAYWALL_CJK_ADDRESS = re.compile(r"お読み|ご利用|ご覧|いただけ|できます|必要です|すると|になると|하세요|하시면|가능합니다|阅读|登录")
_PAYWALL_CJK_MAX_CHARS = 100
_PAYWALL_CJK_ONLY_MAX_CHARS = 25
_PAYWALL_CJK_BUTTON_MAX_CHARS = 12
# The newsroom asking for tips and letters at an address: "Got a story? Get in touch at news@example.com",
# "Ihre Meinung ist uns wichtig. Senden Sie uns Ihr Feedback an: ...", "Submit a letter to the editor or
# write to letters@example.com" (the tip lines and letter boxes of the corpora's pages)
_READER_PROMPT = gated(re.compile(
    r"\bget in touch\b|\be-?mail us\b|\bsend us\b|\bcontact us\b|\b(?:got|have) a (?:story|tip)\b|\bwe want to hear\b|"
    r"\bletters? to the editor\b|senden sie uns|schreiben sie uns|ihre meinung|écrivez-nous|escríbenos|scriveteci"
))
_READER_PROMPT_MAX_WORDS = 40
# A byline on a line of its own, "By Jane Doe", "von Katja Muster": a name of two to four capitalised
# words, none an article ("By The Numbers" is a subheading)
_BYLINE = re.compile(
    # the label may say the person posted it, "Posted by", or published it on the site, with a colon:
    # "Publicado por: Ana Souza" ("Published by Penguin Random House" is a book's credit in a review)
    r"^(?:(?i:posted\s+by)\s+|(?i:(?:published|publicado|publicada|publié|publiée|veröffentlicht)\s+"
    r"(?:by|por|par|von))\s*:\s+|(?i:by|von|par|por|di|door|av|af)\s+)"
    r"(?!(?i:the|a|an|der|die|das|den|dem|le|la|les|el|los|las|il|lo|het|een)\s)"
    r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w.’'-]+(?:\s+[A-ZÀ-ÖØ-ÞĀ-Ž][\w.’'-]+){1,3}$"
)
_BYLINE_MAX_CHARS = 60
# The membership pitch after the story ("If you enjoyed this article, we have a proposition for you:
# Join ..."; the donation pitch is reader_support.py's), a reprint notice ("This copy is for your
# personal, non-commercial use only.") and a sign-up box's small print ("Read our Privacy Policy"), as the corpora's English and
# German pages print them, and the pitch's counterparts in French, Spanish, Italian
_PITCH_OPENING_EN = (r"^if you (?:enjoyed|liked|value|appreciate|appreciated) (?:this|our|reading) (?:article|story|post|"
                     r"piece|journalism|work|reporting)\b")
_PITCH_OPENING_DE = r"^wenn ihnen (?:dieser|der) (?:artikel|beitrag|text) gefallen hat\b"
_PITCH = re.compile(
    rf"{_PITCH_OPENING_EN}|{_PITCH_OPENING_DE}|"
    r"^si (?:vous avez aimé cet article|te ha gustado este artículo|ti è piaciuto questo articolo)\b|"
    r"^this copy is for your personal,? non-commercial use only\b|"
    # a sign-up box's small print: "Mit der Registrierung akzeptieren Sie unsere Datenschutz- und
    # Nutzungsbedingungen.", "By signing up, you agree to our Terms"
    r"^mit (?:der|ihrer) (?:registrierung|anmeldung) (?:akzeptieren|bestätigen) sie (?:unsere|die) "
    r"(?:datenschutz|nutzungs|agb|allgemeinen)|"
    r"^by (?:signing up|subscribing|registering|submitting),? you (?:agree|accept|consent) to (?:our|the) "
    r"(?:terms|privacy|use of)|"
    # "By clicking Sign Up, you confirm that you agree to our privacy policy."
    r"^by clicking (?:on )?[\"“]?[\w' -]{1,25}[\"”]?,? you (?:agree|accept|confirm|consent|acknowledge)"
)
_LONG_PITCH = re.compile(
    rf"{_PITCH_OPENING_EN}[^.!?]{{0,80}}\b(?:join|support|subscribe|become a (?:member|subscriber)|donate)\b|"
    rf"{_PITCH_OPENING_DE}[^.!?]{{0,80}}\b(?:unterstützen|abonnieren|spenden|mitglied)"
)
# ... and names what the reader would join ("Join EXAMPLEPLUS. Members get ..."): an invitation to join
# the walkers of a charity run is a feature's
_MEMBERSHIP_WORDS = re.compile(r"\bmembers?(?:hip)?\b|subscri|paywall|ad-free|support (?:us|our)|donat|mitglied|abonn|spende")
# the small print closing a sign-up box: "... You can check out at any time. Read our Privacy Policy"
_SMALL_PRINT = re.compile(r"(?:^|[.!] )(?:read|see|view) our privacy (?:policy|notice)[.!]?$")
_PITCH_MAX_CHARS = 300
# the writer's or agency's initials closing a German or Swiss story: "(dmk)", "(dpa/afp)", "(NTB)", or a
# wire story: "aja/PAP", "SDA/sep"
_SIGN_OFF = re.compile(r"^\((?:[a-z]{2,5}|[A-Z]{2,5})(?:\s*[/,;]\s*(?:[a-z]{2,5}|[A-Z]{2,5})){0,3}\)$"
                       # unbracketed, the editors' initials then the agency: "aja/PAP", "mw/ mhr/ PAP"
                       r"|^(?:[a-z]{2,4}\s*/\s*){1,3}[A-Z]{2,5}$"
                       # or the agency then the editor's initials: "SDA/sep", "DPA/abc/def"
                       r"|^[A-Z]{2,5}(?:\s*/\s*[a-z]{2,4}){1,3}$"
                       # or the agency in lower case, with its regional service or the editor: "dpa/lnw", "afp/jd"
                       r"|^(?:dpa|afp|apa|sda|kna|epd|dts|ddp)(?:\s*/\s*[a-z]{2,4}){1,3}$")
# a WordPress shortcode the theme did not render ("[button link=...]Send us your review[/button]")
_SHORTCODE = re.compile(r"^\[(\w+)[^\]]*\].*\[/\1\]$")


# The author's box closing a story ends by pointing to the author's or the site's accounts: "... is out
# now. Follow him on Twitter @janedoe.", "Jane Doe covers politics. Follow Jane on Twitter @jdoe."
# (case matters for the name: "Follow the match on X from 8pm" is the article's)
_FOLLOW_CLOSING = re.compile(
    r"(?:^|[.!?]\s+)(?i:follow) (?:(?i:him|her|them|us)|[A-Z][\w'’-]+)(?: [A-Z][\w'’-]+)? (?:(?i:on) "
    r"(?i:twitter|x|instagram|facebook|threads|bluesky|linkedin|tiktok|mastodon)\b|@\w)"
    "[^.!?\"”’]{0,120}[.!?]?$",
)
_FOLLOW_CLOSING_MAX_CHARS = 400


# a membership pitch runs on for several sentences of perks ("If you enjoyed this article, we have a
# proposition for you: Join ... Members get all of our content ..., no paywalls ...")
_LONG_PITCH_MAX_CHARS = 1000


def is_long_pitch(line: str, key: str) -> bool:
    """Whether a line too long for a short pitch (`key`: its casefolded form) is the site's membership
    pitch running on: it opens like one, asks to join and names the membership ("If you enjoyed this
    article, ... Join EXAMPLEPLUS. Members get ...")."""
    return len(line) <= _LONG_PITCH_MAX_CHARS and bool(_LONG_PITCH.match(key)) and bool(_MEMBERSHIP_WORDS.search(key))


def is_sign_off(line: str) -> bool:
    """The writer's or agency's initials in brackets, a line of their own: "(dmk)", "(dpa/afp)"; the
    desk's editor, as Chinese sites close a story in English too: "(Editor: Lisa Zhou)". Only where a
    story ends: at its start "(AP)" is a dateline's, inside it "(sic)" or "(iii)" the text's."""
    line = line.strip()
    return bool(_SIGN_OFF.match(line) or _EDITOR_CREDIT.match(line))


_EDITOR_CREDIT = re.compile(r"^\(?(?:Editor|Edited by|Web editor|Responsible editor)\s*:?\s+"
                            r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\)?$")


def closes_with_follow_prompt(line: str) -> bool:
    """Whether a paragraph (the last of the article) ends with a sentence asking to follow its author
    or the site on a social network: the author's box, whatever it says before."""
    return len(line) <= _FOLLOW_CLOSING_MAX_CHARS and bool(_FOLLOW_CLOSING.search(line))


def is_call_to_action(line: str, key: str, words: Sequence[str]) -> bool:
    """Whether a line (of at most 400 characters; `key` its casefolded form, `words` the key's words)
    is a promotion, credit or notice of the site: click here, subscribe, follow us, photo credit."""
    if len(line) <= _CLICK_HERE_MAX_CHARS and (_CLICK_HERE.search(key) or (
            holds_any(key, _CLICK_HERE_CJK_MARKS) and _CLICK_HERE_CJK.search(key))):
        return True
    if len(line) <= _CREDIT_MAX_CHARS and (_CREDIT.match(key) or _CREDIT_AT_END.search(line)):
        return True
    if len(line) <= _TAXONOMY_MAX_CHARS and _TAXONOMY.match(key):
        return True
    if len(line) <= _CONTRIBUTORS_MAX_CHARS and _CONTRIBUTORS.search(key):
        return True
    if len(line) <= _BYLINE_MAX_CHARS and _BYLINE.match(line):
        return True
    if len(line) <= _PITCH_MAX_CHARS and (_PITCH.match(key) or ("privacy" in key and _SMALL_PRINT.search(key))):
        return True
    if len(line) > _PITCH_MAX_CHARS and is_long_pitch(line, key):
        return True
    if len(line) <= _PAYWALL_MAX_CHARS and (_PAYWALL.search(key) or _PAYWALL_METER.search(key) or _READ_ON.search(key)
                                         or _PAYWALL_OFFER.search(key) or _PAYWALL_ELSEWHERE.search(key)
                                         or (_OFFER_PERIOD.search(key) and _PRICE.search(key) and _OFFER_WORDS.search(key))):
        return True
    if len(line) <= _SHORT_PROMPT_MAX_CHARS and (_APP_PITCH.search(key) or _SIGN_UP_HERE.search(key)):
        return True
    if len(line) <= _PAYWALL_CJK_MAX_CHARS and _PAYWALL_CJK.search(key) and (
            _PAYWALL_CJK_ADDRESS.search(key) or len(line) <= _PAYWALL_CJK_BUTTON_MAX_CHARS
            or (len(line) <= _PAYWALL_CJK_ONLY_MAX_CHARS and _PAYWALL_CJK_ONLY.search(key))):
        return True
    if len(words) <= _READER_PROMPT_MAX_WORDS and EMAIL.search(key) and _READER_PROMPT.search(key):
        return True
    if len(line) <= _TAXONOMY_MAX_CHARS and _SHORTCODE.match(line.strip()):
        return True
    # a list item saying "Sign up for ..." is a step of the article's instructions
    if len(words) <= 25 and _IMPERATIVE_SIGN_UP.match(key) and not LIST_ITEM.match(line):
        return True
    if len(words) <= _MEMBERSHIP_CALL_MAX_WORDS and _MEMBERSHIP_CALL.match(key):
        return True
    if len(words) > _CONTACT_MAX_WORDS:
        return False
    # "Follow us on Instagram", "Follow AP's coverage at https://...", "Email Jane at j@example.com or
    # follow her @jane": where to find the author or the site elsewhere, not what happened
    elsewhere = bool(_SOCIAL.search(key) or HANDLE.search(key) or _URL.search(key))
    if _FOLLOW.match(key) and elsewhere:
        return True
    # "Have a tip? Jane Doe may be reached at ...": opening like a contact line, not a sentence that
    # quotes an address
    return bool((EMAIL.search(key) or HANDLE.search(key) or _URL.search(key)) and _SOCIAL.search(key)
                and _CONTACT_START.match(key))
