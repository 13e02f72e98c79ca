"""The site asking its readers for money: the donation and support pitch under the story.

"Unterstütze unsere Arbeit und abonniere das Magazin!", "Deshalb unterstütze uns (monatlich oder auch
einmalig) ...", "Um unabhängiger von Werbeeinnahmen zu sein, brauchen wir deine Unterstützung.",
"Independent journalism needs your support.", "We need your help ... Donate", "Wesprzyj nas darowizną",
"Tú también puedes hacer periodismo incómodo.", "Enjoying our latest content?", "❤ Example unterstützen".
Independent and small sites print it in a plain box after the article, where trafilatura keeps it.

A pitch asks the reader, in the second person, to support the site, which speaks of itself in the
first person ("us", "our magazine") and names itself in its own words: its journalism, its newsroom,
its subscription, "our newspaper". A charity, the police or a party asks for money, for "our work" and
on "our website" too, but names no newsroom; a story that quotes or reports an appeal says who made
it ("sagte", "said", "bittet der Verein"), and keeps it.

Where the phrases come from: the pitches on the corpora's pages (trafilatura_eval's German, Spanish,
Polish and English blogs and magazines, whose annotators marked them as not the article's;
fundus_publisher_tests' German sites), and the same calls in the corpora's other languages as
donation boxes word them ("soutenez-nous", "sostienici", "apoie o nosso jornalismo", "steun ons").
"""

from __future__ import annotations

import re

from pipelines.extract.call_to_action import LIST_ITEM
from pipelines.extract.literal_gate import gated, holds_any
from pipelines.extract.reported_speech import SAID

_MAX_CHARS = 400
_MAX_WORDS = 80
# a pitch opening a paragraph may run on for several sentences
_LONG_MAX_CHARS = 1000
# a question alone on its line, the box's heading
_OPENER_ALONE_MAX_WORDS = 8

# where a call opens: the line or a sentence; the du-form also after "bitte", "deshalb" ("Deshalb
# unterstützen sie uns" and "So unterstützt uns die Stadt" are statements, and so is Konjunktiv after a
# comma: "Die Förderung, so die Ministerin, sichere unabhängigen Journalismus")
_SENTENCE = r"(?:^|[.!?…] |: )"
_START = r"(?:^|[.!?…] |: |\b(?:bitte|jetzt|deshalb|darum|daher|please|donc|alors|por eso|perciò|dus) )"
# what the site is, in its own words: its journalism, its newsroom, its subscription; a newspaper, its
# readers or a portal only as "our newspaper" ("... outside the newspaper's office" is a place; a
# website or the site's "work" is a charity's too)
_SITE_WORDS = (r"journalis|periodis|giornalis|jornalis|dziennikar|журналист|magazin|redaktion|newsroom|rédaction|"
               r"redacción|redazione|redação|redactie|redakcj|редакц|\bblog|podcast|inhalte|paywall|bezahlschranke|"
               r"\babos?\b|abonn|subscri|suscri|assinatur|werbe|advertis|"
               r"\b(?:our|unser\w*|notre|nos|nuestr\w*|il nostro|la nostra|o nosso|a nossa|onze|nasz\w*|наш\w*) "
               r"(?:[\w-]+ )?(?:portal\w*|zeitung|newspaper|journal|krant|gazet\w*|periódico|giornale|jornal|"
               r"readers|leser\w*|lectores|lecteurs|lettori|leitores|lezers|czytelni\w*)\b")
_SITE = re.compile(_SITE_WORDS)
# "our", in the corpora's languages
_POSSESSIVE = (r"(?:unser(?:e|en|em|er|es)?|our|notre|nos|nuestr[oa]s?|il nostro|la nostra|o nosso|a nossa|onze|"
               r"nasz\w*|наш\w*)")
# the site's work named as the object: "unser Magazin", "unseren Journalismus", "our reporting"
_OUR_WORK = (_POSSESSIVE + r" (?:[\w-]+ )?(?:\w*magazin\w*|journalismus|journalism|journalisme|periodismo|"
             r"giornalismo|jornalismo|journalistiek|dziennikarstw\w*|журналистик\w*|redaktion|newsroom|rédaction|"
             r"redacción|redazione|redação|redactie|redakcj\w*|редакци\w*|zeitung|newspaper|blog|podcast|"
             r"reporting|coverage)\b")
# "us" alone, or "our" something else ("unsere Arbeit"): the site's other words must say it is the site;
# a newspaper's own charity drive ("Unterstützen Sie unsere Weihnachtsaktion") is the story's
_US = (rf"(?:uns|us|nous|ons|nas|нас|{_POSSESSIVE}(?! [\w-]*(?:aktion|kampagne|stiftung|appeal|campaign|charity|fundraiser|"
       r"foundation|campagne|campaña|campagna|campanha|actie|akcj|акци)))\b")
# the reader asked to support the site, named in the first person: "Unterstütze unser Magazin",
# "Helfen Sie mit, unseren Journalismus ...", "Sie können das unterstützen", "support us", "wesprzyj nas"
_VERB_SIE = r"(?:unterstützen sie|helfen sie mit|helfen sie uns)(?: doch| jetzt| auch)?,?"
_VERB_DU = (r"(?:(?:hilf|helfen sie) mit,? und )?(?:unterstütze|hilf mit|hilf uns)(?: doch| jetzt| auch| mit)?,?|"
            r"(?:please )?(?:consider )?(?:support(?:ing)?|help(?:ing)? fund|fund)|"
            r"soutenez|apoya|sostieni|apoie|steun|wesprzyj|поддержите")
_ASK = gated(re.compile(
    rf"{_SENTENCE}{_VERB_SIE} (?:(?P<work_sie>{_OUR_WORK})|{_US})|"
    rf"{_START}(?:{_VERB_DU}) (?:(?P<work>{_OUR_WORK})|{_US})|"
    rf"{_START}(?:soutenez-nous|apóyanos|sostienici)\b|"
    rf"{_START}(?:sie können|du kannst|ihr könnt) (?:uns (?:\w+ ){{0,3}}|das |unsere arbeit (?:\w+ ){{0,3}})unterstützen\b|"
    rf"{_START}help us (?:continue|keep|stay|remain)\b"
))
# ... or to give, subscribe or join: "junge Welt abonnieren für die Pressefreiheit!", "Tú también puedes
# hacer periodismo incómodo.", "become a member" (and the site's word after the call)
_ASK_GIVE = gated(re.compile(
    _START + r"(?:"
    r"\S+(?: \S+)? abonnieren für\b|donate (?:now|today|here)\b|become a (?:patron|supporter|member|donor|subscriber)\b|"
    r"make a (?:one-(?:time|off) |monthly |regular )?(?:donation|contribution)\b|chip in\b|"
    r"faites un don\b|(?:tú|usted|ustedes) también (?:puedes?|pueden) (?:hacer|apoyar|sostener)(?= (?:el |este |nuestro )?periodismo\b)|haz una donación\b|"
    r"fai una donazione\b|faça uma doação\b|doneer (?:nu|hier)\b|word (?:lid|donateur|abonnee)\b"
    r")"
))
# the site saying it lives on its readers' support: "Um unabhängiger von Werbeeinnahmen zu sein, brauchen
# wir deine Unterstützung", "we need your support" (and its word for itself)
_NEED = gated(re.compile(
    r"\b(?:brauchen|benötigen) wir (?:deine|eure) (?:unterstützung|hilfe)|\bwir (?:brauchen|benötigen) (?:deine|eure) "
    r"(?:unterstützung|hilfe)|\b(?:nur|ausschliesslich) (?:mit|dank|durch) (?:deiner|eurer|deine|eure) "
    r"(?:unterstützung|hilfe)\b|"
    # (a callout is no pitch: "We need your photos of the storm", "We need your help to identify the man")
    r"\bwe (?:need|rely on|depend on) your (?:support|donations?|contributions?|generosity)\b|"
    r"\bwe (?:need|rely on|depend on) your help\b(?! to (?!keep|continue|sustain|fund|support))|"
    r"\bwe (?:rely on|depend on) (?:our )?readers\b(?! to)|\bwe(?:'re| are) (?:reader|member)[- ](?:funded|supported)\b|"
    r"\bnous avons besoin de (?:vous|votre (?:soutien|aide))\b|\bnecesitamos (?:tu|su|vuestro) (?:apoyo|ayuda)\b|"
    r"\babbiamo bisogno (?:di te|di voi|del tuo (?:sostegno|aiuto))\b|\bprecisamos (?:do seu|de você)\b|"
    r"\bwe hebben (?:je|uw) (?:steun|hulp) nodig\b|\bpotrzebujemy (?:twojego|waszego|twojej|waszej) (?:wsparcia|pomocy)\b|"
    r"\bнам (?:нужна|необходима) ваша (?:помощь|поддержка)\b"
))
# ... the German formal "Ihre", told from "ihre" (their, her) by its capital, on the line as printed
_NEED_SIE = gated(re.compile(r"\b(?:[Bb]rauchen|[Bb]enötigen) wir Ihre (?:Unterstützung|Hilfe)\b|\b[Ww]ir (?:brauchen|benötigen) "
                             r"Ihre (?:Unterstützung|Hilfe)\b|\b(?:[Nn]ur|[Aa]usschließlich) (?:mit|dank|durch) Ihrer? "
                             r"(?:Unterstützung|Hilfe)\b"))
# journalism that costs and wants the reader's money: "Online-Journalismus kostet!", "Sichere diesen
# Journalismus!", "sichern Sie kritischen, unabhängigen Journalismus", "Support independent journalism",
# "Independent journalism needs your support." ("Guter Journalismus kostet Geld." and "Das Grundgesetz
# sichert freien Journalismus" are statements)
_JOURNALISM = gated(re.compile(
    r"\bjournalismus kostet!|(?:^|[.!?] |, )(?:sichere|sichern sie) (?:diesen|unseren|kritischen|unabhängigen)\b"
    r"[\w ,-]{0,40}\bjournalismus\b|"
    r"^(?:independent |unabhängiger |quality |good )?journalism(?:us)? (?:needs|braucht|kostet) (?:your|deine|ihre) "
    r"(?:support|unterstützung|hilfe)$"
    # "Your subscription supports independent journalism."
    r"|^your (?:subscription|support|membership|donation|contribution) (?:supports|makes|keeps|funds|helps)\b.{0,40}"
    r"\bjournalism\b"
))
# ... and a heading asking it: "Support independent journalism", "Unterstützen Sie unabhängigen Journalismus!"
# (the call whole, ending its sentence: "Support local journalism: that's the message of a new tax
# credit" is news)
_SUPPORT_JOURNALISM = gated(re.compile(
    r"(?:^|[.!?] )(?:unterstütze|unterstützen sie|support|soutenez|apoya|sostieni|apoie|steun) (?:(?:[\w-]+ )?"
    r"(?:unabhängigen|freien|kritischen|lokalen|independent|quality|local|le|el|il|o|de|onafhankelijke) )?"
    r"(?:journalismus|journalism|journalisme|periodismo|giornalismo|jornalismo|journalistiek)\b"
    r"(?: [\w-]+)?(?:$|[.!] )"
))
_SUPPORT_JOURNALISM_MAX_WORDS = 12
# the box's heading, a question about the site's work: "Gefällt dir unser Klettermagazin?", "Hat dir
# dieser Artikel gefallen?", "Ihnen gefällt unser Programm?", "Enjoying our latest content?" (the key has
# lost its last "?"; "Gefällt Ihnen diese Rolle?" and "Did you enjoy this tour?" are an interviewer's)
# (what "our" names: the site's work; what "this" names: a piece of it, "dieses Angebot" is a coalition's)
_OUR_NOUN = (r"(?:[\w-]+ )?(?:\w*magazin\w*|artikel|beitrag|text|podcast|newsletter|programm|angebot|journalismus|"
             r"inhalte?|seite|article|story|stories|post|content|journalism|reporting|coverage|site|website|work|"
             r"contenu|travail|journalisme|artículo|contenido|periodismo)")
_THIS_NOUN = r"(?:artikel|beitrag|article|story|post|newsletter|podcast|artículo)"
_OPENER = re.compile(
    rf"^(?:gefällt (?:dir|ihnen|euch) (?:(?:unser|unsere) {_OUR_NOUN}|(?:dieser|dieses) {_THIS_NOUN})|"
    rf"(?:dir|ihnen|euch) gefällt (?:unser|unsere) {_OUR_NOUN}|"
    r"hat (?:dir|ihnen|euch) (?:dieser|unser) (?:artikel|beitrag|podcast)\b[^?.!]{0,20} gefallen|"
    rf"(?:did you )?(?:enjoy(?:ing|ed)?|lik(?:e|ed|ing)|lov(?:e|ed|ing)) (?:our {_OUR_NOUN}|this {_THIS_NOUN})|"
    rf"vous (?:aimez|avez aimé) (?:notre|nos) {_OUR_NOUN}|vous avez aimé cet article|"
    rf"¿?te (?:gusta|ha gustado) (?:nuestro|nuestra) {_OUR_NOUN}|¿?te ha gustado este {_THIS_NOUN})(?:\?|$)"
)
# a button: "❤ Example unterstützen", "Jetzt mit wenigen Klicks unterstützen!", "Unterstütze Example
# bereits mit 2,50!"
_BUTTON = gated(re.compile(
    r"^unterstütze \S+(?: \S+)? (?:bereits|schon) (?:ab |mit )[\d,.]+(?: ?(?:€|euro))?$|"
    r"^[❤♥♡💙💚🧡💛]\ufe0f?\s*\S.{0,40}\b(?:unterstützen|spenden|support|soutenir|apoyar|sostenere|steunen|wesprzyj)$|"
    r"(?:^|[.!?] )jetzt (?:mit wenigen klicks |einfach |hier )?(?:unterstützen|spenden)$|"
    r"^(?:jetzt|hier) spenden$|^donate(?: now| today)?$|^support us$|^unterstütze uns$|^unterstützen sie uns$|"
    r"^sostienici$|^steun ons$|^поддержите нас$|^soutenez-nous$|^apóyanos$"
))
_DONATE_BUTTON = gated(re.compile(r"\b(?:donate|spenden|faire un don|donar|donare|doneren)$"))
_SUPPORT_WORD = gated(re.compile(r"unterstütz|support|soutien|apoyo|sostegno|apoio|steun|wsparci|поддерж"))
# a story reporting an appeal says who made it; a quotation opens with its mark (the key is casefolded:
# "heißt" is "heisst")
_REPORTED = re.compile(
    r"^[\"“”„«»‚‘]|, so (?!können|kann|bleiben|geht)\w+|"
    r"\bteilte\w* .{0,40}\bmit\b|\bsteht (?:auf|in|unter)\b|\bso lautete\b|"
    rf"\b(?:{SAID}|say|asks|asked|urged?s?|wrote|writes|reads|pleads?|explained|chant\w*|shout\w*|skandiert\w*|"
    r"bittet|bat|baten|wirbt|warb|schreibt|schrieb|rief|ruft|forder\w*|appelliert\w*|demande|escribió|pide|pidió|"
    r"ha scritto|chiede|pede|schreef|vraagt|napisal\w*|apeluj\w*|prosi|просит)\b")
# the country, which casefolding makes "us": "support US industry"
_COUNTRY_US = re.compile(r"\bUS\b")
_MARKS = ("unterst", "hilf", "helf", "abonnieren", "support", "help", "fund", "donat", "donor", "member", "contribut",
          "chip in", "souten", "un don", "apoy", "también", "sosten", "sostien", "apoie", "doação", "steun", "doneer",
          "word lid", "word abon", "word don", "wesprzyj", "поддерж", "brauchen", "benötigen", "nur ", "need",
          "rely", "depend", "funded", "besoin", "necesitamos", "bisogno", "precisamos", "nodig", "potrzebujemy",
          "нужна", "необходима", "journalis", "gefällt", "gefallen", "enjoy", "like", "liking", "love", "loving",
          "aimez", "aimé", "gusta", "spenden", "können", "kannst", "könnt", "sichere", "sichern")


def _asking_opener(line: str, key: str) -> re.Match[str] | None:
    """The box's heading opening the line, a question: "Love our magazine" is a subheading."""
    opener = _OPENER.match(key)
    if opener is None:
        return None
    asked = line.rstrip().endswith("?") if opener.end() == len(key) else opener.group().endswith("?")
    return opener if asked else None


def _first_sentences(key: str, count: int = 2) -> str:
    end = 0
    for _ in range(count):
        found = [i for i in (key.find(". ", end), key.find("! ", end), key.find("? ", end)) if i >= 0]
        if not found:
            return key
        end = min(found) + 2
    return key[:end]


def _asks(line: str, key: str) -> bool:
    """A call to support the site, to give to it, or the site saying it needs the reader's support, each
    with the site's word for itself (the site's work named as what to support is one)."""
    if (ask := _ASK.search(key)) is not None and not (_COUNTRY_US.search(line) and " us" in ask.group()) and (
            ask.group("work") or ask.group("work_sie") or _SITE.search(key)):
        return True
    if (give := _ASK_GIVE.search(key)) is not None and (_SITE.search(key, give.end()) or _SITE.search(key, 0, give.start())):
        return True
    # (or the box's button closing the line: "We need your help ... Donate")
    return bool((_NEED.search(key) or _NEED_SIE.search(line)) and (_SITE.search(key) or _DONATE_BUTTON.search(key)))


def is_support_pitch(line: str, key: str) -> bool:
    """Whether a line (`key`: its casefolded form, as line_keys.line_key spells it) is the site asking
    its readers for money: asking for support of "us", saying it needs it, a button or the box's
    heading. A line longer than a block counts only when the pitch opens it."""
    if len(line) > _LONG_MAX_CHARS or not holds_any(key, _MARKS):
        return False
    # a list's item is one of several ways to help ("- hilf mit, unsere Dokumentation zu übersetzen")
    if LIST_ITEM.match(line) or _REPORTED.search(key):
        return False
    opener = _asking_opener(line, key)
    if len(line) > _MAX_CHARS:
        # the pitch opens the paragraph: its heading and a call or the site's word in what follows
        opening = _first_sentences(key)
        return bool((opener and (_SITE.search(opening, opener.end()) or _SUPPORT_WORD.search(opening, opener.end())))
                    or _JOURNALISM.search(opening))
    words = len(key.split())
    if words > _MAX_WORDS:
        return False
    if opener:
        return (words <= _OPENER_ALONE_MAX_WORDS and opener.end() == len(key)) or bool(
            _SITE.search(key, opener.end()) or _SUPPORT_WORD.search(key, opener.end()))
    if words <= _SUPPORT_JOURNALISM_MAX_WORDS and _SUPPORT_JOURNALISM.search(key):
        return True
    return bool(_BUTTON.search(key) or _JOURNALISM.search(key) or _asks(line, key))
