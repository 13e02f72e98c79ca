"""Lines the site adds around a story that are neither its words nor a call to action.

Its notices: a cookie banner's text, a finance page's risk notice, a reprint rule, a placeholder
asking consent to load an embed, the reader's log-in state, how long a broadcaster keeps the video,
the programme a story ran in, an advertisement's label leading its text. And what its machinery
leaves as text: a script's settings. Each is tested on the line's own words, with a length bound and the form a notice takes
(a label and a dash, a sentence of its own): an article that reports on such a rule says more, or
says it otherwise.

Where the phrases come from: the lines of this kind that the corpora's reference texts leave out
(fundus_publisher_tests' German, French and Polish pages; trafilatura_eval's "without" snippets,
which its annotators marked as not the article's), and their usual English counterparts.
"""

from __future__ import annotations

import re

from pipelines.extract.literal_gate import holds_any
from pipelines.extract.reported_speech import REPORTED, SAID

# the label of an advertisement, in the languages of the corpora (text_cleanup takes it as a line of
# its own too)
AD_WORDS = (r"advertisement|advertising|sponsored(?: content)?|ad|anzeige|werbung|publicité|publicidad|pubblicità|"
            r"publicidade|advertentie|reklama|реклама|reklam|annons|annonse|annonce|mainos|hirdetés|"
            r"διαφήμιση|広告|广告|광고|إعلان")

# "Aktien, Immobilien und andere Investments sind grundsätzlich mit einem Risiko verbunden.", "This article
# does not constitute investment advice.", "Dieser Beitrag stellt keine Anlageberatung dar."
_RISK = r"(?:investments?|geldanlagen?|kapitalanlagen?|wertpapiere) .{0,60}grundsätzlich mit (?:einem )?risiko verbunden"
_NOT_ADVICE = (r"(?:this|the) (?:article|content|information|post) (?:is|does) not (?:constitute |intended as |represent )?"
               r"(?:financial|investment) advice")
_NO_ADVICE_DE = r"(?:dieser|der|diese|die|das) (?:artikel|beitrag|inhalt|text|informationen?) stellt keine (?:anlage|finanz)beratung dar"
_INVESTMENT_NOTICE = re.compile(rf"\b{_RISK}|\b{_NOT_ADVICE}|^{_NO_ADVICE_DE}")
_INVESTMENT_MARKS = ("risiko", "advice", "beratung")
# "Written permission must be obtained before reprint", "Materiał chroniony prawem autorskim - zasady
# przedruków określa regulamin." (the copyright line itself stays: reference texts keep it as often as not)
_REPRINT_RULE = re.compile(
    r"\bwritten permission (?:must be obtained|is required)\b.{0,40}\b(?:reprint|republi|reproduc)|"
    r"\bzasady przedruków określa\b|\bnachdruck nur mit (?:schriftlicher )?genehmigung\b"
)
_REPRINT_MARKS = ("permission", "przedruk", "nachdruck")
# a consent box standing in for an embed: "Klicken Sie auf den unteren Button, um den Inhalt von
# www.example.org zu laden.", "Click the button below to load the content from www.example.org."
_EMBED_CONSENT = re.compile(
    r"\bum den inhalt von \S+ zu laden\b|\bclick (?:on )?the button below to load the content (?:from|of)\b"
)
_EMBED_MARKS = ("laden", "load the content")
# the reader's log-in state: "Sie sind aktuell nicht eingeloggt.", "You are not logged in."
_LOGIN_STATE = re.compile(
    r"^(?:sie sind|du bist|you are|you're) (?:aktuell |derzeit |momentan |noch |currently )?"
    r"(?:nicht (?:eingeloggt|angemeldet)|not (?:logged|signed) in)[.!]?$"
)
# how long a broadcaster keeps the video: "Video verfügbar bis 28.02.2021"
_AVAILABLE_UNTIL = re.compile(r"^(?:video|audio|sendung|beitrag) (?:verfügbar|abrufbar) bis\b")
# the programme a broadcaster's story ran in, closing it: "Sendung: Example Radio, 24.04.2024, 15:10 Uhr"
# (the ARD stations' pages of fundus_publisher_tests)
_BROADCAST_LINE = re.compile(r"^(?:sendung|sendetermin|ausstrahlung)\s*:\s*[^.!?]{0,80}?\d{1,2}\.\d{1,2}\.(?:\d{2,4})?")
# an advertisement's label in capitals, and a dash or a bar before its text: "ANZEIGE - Heute mal
# ausgehen?" ("Anzeige - Polizei ermittelt", a complaint filed, and "Annonce - ...", an announcement,
# are news)
_AD_LABEL = re.compile(rf"^({AD_WORDS})\s+[-–—|]\s+\S")
# a script's settings the template printed as text ("showPaywall:", "false"): a flag's name as programs
# spell it (is, has, show... and a capitalised word: not "easyJet:" or "iOS:", a guide's subheadings) or
# its value alone on a line, which no sentence is (matched on the line as printed: case matters)
_SCRIPT_SETTING = re.compile(r"^(?:[-•*]\s+)?(?:(?:is|has|show|hide|enable|disable|use|can|should|allow)"
                             r"(?:[A-Z][a-z0-9]+)+\s*:|true|false|null|undefined)$")
# a cookie banner's text left in the page: "Wir verwenden Cookies, die unser Angebot nutzerfreundlicher
# machen. Durch die Nutzung unserer Dienste stimmen Sie der Verwendung von Cookies zu." (the site says
# it uses them, and asks for the reader's consent or tells what continuing means; a story about a
# site's cookies reports it in the third person)
_COOKIE_NOTICE = re.compile(
    r"^(?:wir (?:verwenden|nutzen|setzen)|diese (?:web)?(?:seite|site) (?:verwendet|nutzt|benutzt)|"
    r"unsere (?:web)?(?:seite|site) (?:verwendet|nutzt)|"
    r"we(?: and our partners)? use|this (?:web)?site uses|our (?:web)?site uses|"
    r"nous utilisons|ce site (?:web )?utilise|utilizamos|este sitio(?: web)? (?:utiliza|usa)|usamos|"
    r"utilizziamo|questo sito(?: web)? (?:utilizza|usa)|este site (?:utiliza|usa)|wij gebruiken|"
    r"deze (?:web)?site gebruikt|używamy|ta strona (?:używa|wykorzystuje)|мы используем|этот сайт использует)\b"
    r".{0,40}\bcookies?\b"
)
# ... and asks for the reader's consent, or says what going on means, or points to its policy
_COOKIE_CONSENT = re.compile(
    r"stimmen sie|zustimm|einverstanden|akzeptier|einwillig|weitere informationen|mehr erfahren|"
    r"you (?:agree|accept|consent)|(?:agree|consent) to|(?:by|if you) continu|continu(?:e|ing) (?:to use|browsing|using)|"
    r"you(?:'re| are) (?:ok|happy|fine) with|opt[- ]out|learn more|read more|more info|"
    r"si vous continuez|vous acceptez|en savoir plus|si continúa|acepta(?:s)? (?:su|el) uso|más información|"
    r"accetti|continuando|maggiori informazioni|ga je akkoord|meer informatie|wyrażasz zgod|akceptujesz|"
    r"соглашаетесь|принимаете"
)
# a story quoting the site ("We use cookies sparingly, the privacy chief said") is the story's
_MAX_CHARS = 300
_SHORT_MAX_CHARS = 200
_COOKIE_MAX_CHARS = 400
# ... or says so in one short sentence alone: "This site uses cookies.", "We use cookies to improve your
# experience."
_COOKIE_SENTENCE_MAX_CHARS = 100


# a risk notice runs on for several sentences ("Aktien, Immobilien und andere Investments sind
# grundsätzlich mit einem Risiko verbunden. Auch ein Totalverlust ... ersetzen keine fachliche
# Beratung."): taken whole, up to this length, when its first sentence is the notice and nothing
# else, a later sentence names a second of its points, and no one is quoted saying it (a story about
# a disclaimer quotes it: "... reads the small print", "steht unter jedem Beitrag", "sagte")
_LONG_NOTICE_MAX_CHARS = 1000
# the notice's own sentence, and nothing else: a few words before the risk ("Aktien, Immobilien und
# andere"), or the advice disclaimer whole
_NOTICE_SENTENCE = re.compile(rf"^(?:(?:[\w,-]+ ){{0,6}}{_RISK}|{_NOT_ADVICE}|{_NO_ADVICE_DE})[.!]?$")
_SECOND_POINT = re.compile(
    r"totalverlust|keine (?:anlage|finanz|fachliche |individuelle )?beratung|keine aufforderung zum (?:kauf|verkauf)|"
    r"not (?:a )?(?:recommendation|solicitation)|(?:financial|investment) advice|loss of (?:the )?(?:entire|invested) capital"
)
_QUOTED = re.compile(rf"[\"“”„«»]|\b(?:{SAID}|reads?|steht (?:unter|auf|in))\b")
_FIRST_SENTENCE = re.compile(r"^.+?[.!?](?=\s|$)")


# An advertisement spelled with Cyrillic letters that look Latin ("Аdvеrtіѕе wіth thе most visited news
# site"), to pass the filters that read its words: words mixing the two alphabets, which no language
# writes (a Latin abbreviation joins a Russian word with a hyphen, "IT-компания", and stays one word of each)
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_MIXED_WORD = re.compile("(?<![\\w-])(?=[\\w]*[a-zA-Z])(?=[\\w]*[\u0400-\u04ff])\\w+")
_MIXED_MIN_WORDS = 3
_MIXED_MIN_SHARE = 0.2


def is_disguised(line: str) -> bool:
    """Whether the line's words are spelled in two alphabets at once, as a disguised advertisement's."""
    if not _CYRILLIC.search(line):
        return False
    mixed = len(_MIXED_WORD.findall(line))
    return mixed >= _MIXED_MIN_WORDS and mixed >= _MIXED_MIN_SHARE * len(line.split())


def is_long_notice(line: str, key: str) -> bool:
    """Whether a line longer than an interface block (`key`: its casefolded form) is a finance page's
    risk notice running on: its first sentence is the notice, a later one names a second of its
    points, and no one is quoted saying it."""
    if len(line) > _LONG_NOTICE_MAX_CHARS or _QUOTED.search(key):
        return False
    first = _FIRST_SENTENCE.match(key)
    return (first is not None and any(mark in first.group() for mark in _INVESTMENT_MARKS)
            and bool(_NOTICE_SENTENCE.match(first.group())) and bool(_SECOND_POINT.search(key, first.end())))


def is_site_notice(line: str, key: str) -> bool:
    """Whether the line (`key`: its casefolded form, as line_keys.line_key spells it) is a notice of
    the site or a line of its machinery."""
    if _SCRIPT_SETTING.match(line):
        return True
    if len(line) <= _COOKIE_MAX_CHARS and "cookie" in key and _COOKIE_NOTICE.match(key) and not REPORTED.search(key) \
            and (_COOKIE_CONSENT.search(key) or (len(line) <= _COOKIE_SENTENCE_MAX_CHARS and ". " not in key)):
        return True
    if len(line) > _MAX_CHARS:
        return False
    # the searches scan the whole line: each runs only where a word of it is there
    if (holds_any(key, _INVESTMENT_MARKS) and _INVESTMENT_NOTICE.search(key)) or (
            holds_any(key, _REPRINT_MARKS) and _REPRINT_RULE.search(key)) or (
            holds_any(key, _EMBED_MARKS) and _EMBED_CONSENT.search(key)):
        return True
    return len(line) <= _SHORT_MAX_CHARS and bool(
        _LOGIN_STATE.match(key) or _AVAILABLE_UNTIL.match(key) or _BROADCAST_LINE.match(key)
        or ((label := _AD_LABEL.match(key)) is not None and line[:label.end(1)].isupper()))
