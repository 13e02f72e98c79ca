"""Notices the site prints around a story, and lines of its machinery: not the article's words.

A finance page's risk notice, a reprint rule, a placeholder asking consent to load an embed, the
reader's log-in state, how long a broadcaster keeps the video, the programme a story ran in, an
advertisement's label leading its text, a script's settings printed as text. Each is tested on the
line's own words, with a length bound: an article that reports on such a rule says more, or says it
otherwise.

Where the phrases come from: the lines of this kind that the corpora's reference texts leave out
(fundus_publisher_tests' German, French and Polish pages; trafilatura_eval's "without" snippets,
which its annotators marked as not the article's), and their usual English counterparts.
"""

from __future__ import annotations

import re

# "Aktien, Immobilien und andere Investments sind grundsätzlich mit einem Risiko verbunden." (Funke's
# money pages), "This article does not constitute investment advice."
_INVESTMENT_NOTICE = re.compile(
    r"\b(?:investments?|geldanlagen?|kapitalanlagen?|wertpapiere) .{0,60}grundsätzlich mit (?:einem )?risiko verbunden|"
    r"\b(?:this|the) (?:article|content|information|post) (?:is|does) not (?:constitute |intended as |represent )?"
    r"(?:financial|investment) advice|\bstellt keine (?:anlage|finanz)beratung dar"
)
# "Written permission must be obtained before reprint", "Materiał chroniony prawem autorskim - zasady
# przedruków określa regulamin." (the copyright line itself stays: reference texts keep it as often as not)
_REPRINT_RULE = re.compile(
    r"\bwritten permission (?:must be obtained|is required)\b.{0,40}\b(?:reprint|republi|reproduc)|"
    r"\bzasady przedruków określa\b|\bnachdruck nur mit (?:schriftlicher )?genehmigung\b"
)
# a consent box standing in for an embed: "Klicken Sie auf den unteren Button, um den Inhalt von
# www.komoot.de zu laden.", "Click the button below to load the content from www.youtube.com."
_EMBED_CONSENT = re.compile(
    r"\bum den inhalt von \S+ zu laden\b|\bclick (?:on )?the button below to load the content (?:from|of)\b"
)
# the reader's log-in state: "Sie sind aktuell nicht eingeloggt.", "You are not logged in."
_LOGIN_STATE = re.compile(
    r"^(?:sie sind|du bist|you are|you're) (?:aktuell |derzeit |momentan |noch |currently )?"
    r"(?:nicht (?:eingeloggt|angemeldet)|not (?:logged|signed) in)[.!]?$"
)
# how long a broadcaster keeps the video: "Video verfügbar bis 28.02.2021"
_AVAILABLE_UNTIL = re.compile(r"^(?:video|audio|sendung|beitrag) (?:verfügbar|abrufbar) bis\b")
# the programme a broadcaster's story ran in, closing it: "Sendung: Antenne Brandenburg, 24.04.2024,
# 15:10 Uhr" (the ARD stations' pages of fundus_publisher_tests)
_BROADCAST_LINE = re.compile(r"^(?:sendung|sendetermin|ausstrahlung)\s*:\s*[^.!?]{0,80}?\d{1,2}\.\d{1,2}\.(?:\d{2,4})?")
# an advertisement's label leading its text: "ANZEIGE - Heute mal ausgehen?", "Advertisement: ..."
_AD_LABEL = re.compile(r"^(?:anzeige|werbung|advertisement|publicidad|publicité|pubblicità|reklama)\s*[-–—:|]\s+\S")
# a script's settings the template printed as text ("showPaywall:", "false"): an identifier of a program
# or its value alone on a line, which no sentence is (matched on the line as printed: case matters)
_SCRIPT_SETTING = re.compile(r"^(?:[-•*]\s+)?(?:[a-z]+(?:[A-Z][a-z0-9]*)+\s*:|true|false|null|undefined)$")
_MAX_CHARS = 300
_SHORT_MAX_CHARS = 200


def is_site_notice(line: str, key: str) -> bool:
    """Whether the line (`key`: its casefolded form, as line_keys.line_key spells it) is a notice of
    the site or a line of its machinery."""
    if _SCRIPT_SETTING.match(line):
        return True
    if len(line) > _MAX_CHARS:
        return False
    if _INVESTMENT_NOTICE.search(key) or _REPRINT_RULE.search(key) or _EMBED_CONSENT.search(key):
        return True
    return len(line) <= _SHORT_MAX_CHARS and bool(
        _LOGIN_STATE.match(key) or _AVAILABLE_UNTIL.match(key) or _BROADCAST_LINE.match(key) or _AD_LABEL.match(key))
