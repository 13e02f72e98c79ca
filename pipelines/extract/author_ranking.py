"""The authors chosen from every signal the page gives, ranked.

Authors are people, from the signals in this order (`AuthorSignals`): a JSON-LD `Person` (with the
people `<meta name=author>` names beside it), the byline the markup marks (rel=author, itemprop,
hCard, an author's class or page), the printed byline, `<meta name=author>`, trafilatura's pick, the
agency the text credits ("Hamburg (dpa) -"). The first that names a person wins. An organisation (a
JSON-LD `Organization`, a news agency) is kept only when the page names no person, a newsroom's
generic word ("Redaktion", "Agenturen") only when it names no organisation either, and the
publisher's own name is no author beside anyone: neither its declared name, nor its host inside a
name ("Deutsche Welle (www.dw.com)"), nor a name its host abbreviates ("dw", "lestimes"), nor a part
of it ("LN" of "LN - Lübecker Nachrichten"), nor the copyright holder; only when nothing else is
named (a personal blog's name is its writer's). What a byline prints after the site's or an organisation's
name is its address ("Jane Doe, Example News, New York"). Beside full names, a single word is the account that
posted, not a co-author; an account another signal spells in full ("jdoe" -> "Jane Doe") is written so.
A printed byline is passed over only where the JSON-LD names a person or an agency (an agency's teasers
print other stories' bylines); where it names the JSON-LD's writers and more, the co-writers join them.
Where no signal names anyone, the journalist's bio closing the story names its writer (fields.py,
author_bios.tail_bio_writer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.extract.bylines import describes, not_a_name, unique_casefold
from pipelines.extract.line_keys import alnum_key
from pipelines.extract.metadata_ranking import is_site

_AGENCIES = (r"\b(?:reuters|afp|dpa|apa|ansa|efe|epd|kna|sid|ap|upi|tass|xinhua|kyodo|yonhap|ritzau|ntb|tt|anp|"
             r"belga|pap|sda|ats|keystone)\b")
_ORGANISATION_WORDS = re.compile(
    r"\b(?:news|nachricht|noticia|notizi|nieuws|agenc|agentur|agence|press|prensa|media|medien|médias|redaktion|"
    r"rédaction|redacción|redazione|redactie|redakcja|редакци|staff|team|desk|editor|newsroom|online|digital|"
    r"group|gruppe|verlag|gmbh|ltd|inc|corp|marketing|communication|kommunikation|department|abteilung|project|projekt)\w*|"
    r"\bred\b|" + _AGENCIES,
    re.IGNORECASE,
)
_AGENCY = re.compile(_AGENCIES, re.IGNORECASE)
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Name:
    text: str
    organisation: bool = False  # declared so (JSON-LD Organization), or an agency's name


@dataclass(frozen=True)
class AuthorSignals:
    """The page's signals of who wrote it, strongest first."""

    jsonld: Sequence[Name] = ()  # JSON-LD author: Person or Organization
    marked: Sequence[Name] = ()  # rel=author, itemprop=author, hCard, a link to the writer's page
    printed: Sequence[Name] = ()  # "By Jane Doe" in print
    meta: Sequence[Name] = ()  # <meta name=author> and its kin
    extracted: Sequence[Name] = ()  # trafilatura's pick (its meta, JSON-LD, then any element named "author")
    credited: Sequence[Name] = ()  # the agency the text credits ("Hamburg (dpa) - ...")

    def ranked(self, names_of_site: Sequence[str]) -> list[Sequence[Name]]:
        """The signals in order. A printed byline is not looked at when the JSON-LD names a person or an
        agency: an agency's story ("author": Organization "dpa") often prints other stories' bylines in
        its teasers."""
        return [*self._ranked_before_extracted(names_of_site), _before_address(self.extracted, names_of_site),
                self.credited]

    def settled_before_extracted(self, names_of_site: Sequence[str]) -> bool:
        """Whether pick_authors' answer cannot depend on `extracted`: a signal ranked before it names a
        person, and each of its names is spelled in full (no account's name to look up elsewhere)."""
        groups = _candidates(self._ranked_before_extracted(names_of_site), names_of_site)[1]
        deciding = next((group for group in groups if any(_person(n) for n in group)), None)
        return deciding is not None and all(" " in n.text.strip() for n in deciding)

    def _ranked_before_extracted(self, names_of_site: Sequence[str]) -> list[Sequence[Name]]:
        # a person declared, or an agency: the bylines printed on an agency's story are often its teasers'
        declared = any(names_a_person(n, names_of_site) or (n.organisation and _AGENCY.search(n.text)) for n in self.jsonld)
        jsonld = list(self.jsonld)
        if any(not n.organisation and " " in n.text.strip() for n in jsonld):
            jsonld += [n for n in self.meta if " " in n.text.strip() and not _ORGANISATION_WORDS.search(n.text)]
        # the printed byline naming the declared writers and more: the JSON-LD left co-writers out
        printed_all = _before_address(self.printed, names_of_site)
        keys = {alnum_key(n.text) for n in jsonld if not n.organisation}
        printed_keys = {alnum_key(n.text) for n in printed_all}
        if keys and keys < printed_keys and all(names_a_person(n, names_of_site) for n in printed_all):
            jsonld += [n for n in printed_all if alnum_key(n.text) not in keys]
        printed = [] if declared else printed_all
        return [jsonld, _before_address(self.marked, names_of_site), printed, _before_address(self.meta, names_of_site)]


_PLACE = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]{3,}")


def _before_address(names: Sequence[Name], names_of_site: Sequence[str]) -> Sequence[Name]:
    """A byline's names up to the site's or an organisation's after a person's: what follows is where
    it is ("Jane Doe, Example News, New York"), not who wrote; and the site's declared name with its
    address ("Example GmbH, Nürnberg, Germany") is the site's alone. An agency starts no address ("Jane
    Doe, dpa, John Roe"), nor a desk before initials ("EX, jdo"), but the place after it ("Reuters,
    Washington")."""
    if len(names) > 1 and alnum_key(", ".join(n.text for n in names)) in {alnum_key(s) for s in names_of_site}:
        return names[:1]
    # "Reuters, Washington": the agency, then where the story was filed (a capitalised word alone;
    # a person after it is a second writer, "dpa, Jane Doe", and initials the desk's, "srf, kesm")
    for index, name in enumerate(names[:-1]):
        if _AGENCY.search(name.text) and all(_PLACE.fullmatch(n.text.strip()) for n in names[index + 1:]):
            return names[:index + 1]
    for index, name in enumerate(names[1:-1], 1):
        if not _AGENCY.search(name.text) and (is_site(name.text, names_of_site) or not _person(name)) \
                and any(_person(n) for n in names[:index]):
            return names[:index + 1]
    return names


# the agency a story's text credits: in its dateline ("Hamburg (dpa/lno) - Trotz ...", "BERLIN (AFP).") or
# at its end ("... hieß es. (FR mit dpa)", "(dpa)")
_DATELINE = re.compile(r"^[^\W\d_][\w.'’ /-]{0,40}?\s*\(([^()\n]{2,30})\)\s*[-–—.:]")
_CLOSING_CREDIT = re.compile(r"\(([^()\n]{2,30})\)\s*$")


def credited_agencies(text: str) -> list[str]:
    """The agency named in the dateline of the text's first paragraph or in parentheses at its end."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return []
    for found in (_DATELINE.match(lines[0].strip()), _CLOSING_CREDIT.search(lines[-1])):
        credit = re.sub(r"^(?i:quelle|source|fuente|fonte|bron)\s*:\s*", "", found.group(1).strip()) if found else ""
        if credit and _AGENCY.search(credit) and len(credit.split()) <= 4:
            return [credit]
    return []


def _spelled_in_full(name: str, groups: Sequence[Sequence[Name]]) -> str:
    """An account's name ("arianschlichenmayer", "christian.stadtfeld") as another signal spells it
    in full ("Arian Schlichenmayer")."""
    if " " in name.strip():
        return name
    key = alnum_key(name)
    return next((n.text for g in groups for n in g if " " in n.text.strip() and alnum_key(n.text) == key), name)


def _candidates(groups: Iterable[Sequence[Name]], names_of_site: Sequence[str]) -> tuple[list[list[Name]], list[list[Name]]]:
    """The signals' names that are names, and of those the ones that are not the site's own."""
    named = [[n for n in g if not not_a_name(n.text)] for g in groups]
    return named, [[n for n in g if not is_site(n.text, names_of_site)] for g in named]


def _person(n: Name) -> bool:
    return not n.organisation and not _ORGANISATION_WORDS.search(n.text)


def names_a_person(n: Name, names_of_site: Sequence[str]) -> bool:
    """Whether the name is a person's in full: not an organisation, a newsroom's word ("Web Desk", "Staff
    Reporter"), an account's one word, or the site's name in any spelling ("Example News Staff", "EN")."""
    return _person(n) and " " in n.text.strip() and not not_a_name(n.text) and not is_site(n.text, names_of_site)


def pick_authors(groups: AuthorSignals | Iterable[Sequence[Name]], names_of_site: Sequence[str]) -> list[str]:
    """The names of the first signal that names a person (agencies credited beside them kept, a
    newsroom's generic word and the site's own name dropped); when none names a person, the first
    that names an organisation, then a generic word; the site's own name only when nothing else is."""
    if isinstance(groups, AuthorSignals):
        groups = groups.ranked(names_of_site)
    named, groups = _candidates(groups, names_of_site)

    def generic(n: Name) -> bool:  # "Redaktion", "Red.", "Agenturen", "Staff": a newsroom's word, no name
        return not _AGENCY.search(n.text) and all(_ORGANISATION_WORDS.fullmatch(w) for w in _WORDS.findall(n.text))

    for group in groups:
        if any(_person(n) for n in group):
            # beside the people an agency stays ("dpa", "Associated Press", a declared Organization),
            # a newsroom's generic word goes
            chosen = [n for n in group if not generic(n)]
            # one word beside full names is the account that posted ("jdoe"), not a co-author, and
            # words in lower case describe the writer; an agency ("dpa") is no person and stays
            if any(" " in n.text.strip() and _person(n) and not describes(n.text) for n in chosen):
                chosen = [n for n in chosen if (" " in n.text.strip() and not describes(n.text)) or not _person(n)]
            return unique_casefold(_spelled_in_full(n.text, groups) for n in chosen)
    # then an organisation, a newsroom's generic word ("Red.", "Agenturen") after a name; the site's
    # own name only when nothing else is named (a personal blog's name is its writer's)
    for group in groups:
        specific = [n for n in group if not generic(n)]
        if specific:
            return unique_casefold(n.text for n in specific)
    for group in (*groups, *named):
        if group:
            return unique_casefold(_unmangled(n.text, names_of_site) for n in group)
    return []


# a host an extractor title-cased into words ("Www Example Com" of www.example.com)
_MANGLED_HOST = re.compile(r"^(?:www\s)?[^\W_]+(?:\s[^\W_]+)*?\s(?:com|net|org|info|de|at|ch|fr|es|it|nl|pl|co\s\w\w|"
                           r"co|uk|eu|ru|jp|kr|cn|br|mx|ar|ca|au|in|tv|news)$", re.IGNORECASE)


def _unmangled(name: str, names_of_site: Sequence[str]) -> str:
    """The site's name for a host title-cased into words: its declared name, else its host."""
    if not _MANGLED_HOST.match(name):
        return name
    key = alnum_key(name).removeprefix("www")
    for site in names_of_site:
        if alnum_key(site).removeprefix("www") == key:
            return next((n for n in names_of_site if "." not in n), site)
    return name
