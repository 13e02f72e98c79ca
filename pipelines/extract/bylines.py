"""Bylines: the words that introduce a writer's name, the names they introduce, and the names the
markup marks as the writer's.

Three signals name the writers in markup declared for machines (JSON-LD, `<meta name=author>`,
trafilatura's author selectors); `marked_authors` reads the markup themes wrap around the byline they
print: rel=author links, microdata (itemprop=author), hCard (`<span class="author vcard">`), an
author's class ("author-name", "byline__author"), links to the writer's page ("/author/jane-doe/"),
a forum post's data-author; in the story's container, outside comments, teasers, widgets and pictures'
credits. Many pages name the writers only in print: "By Jane Doe", "Von: Götz Warnke", "Ein Artikel
von Pamela Sladky", "Autorin/Autor Roman Goncharenko", "Posted by jdoe", "作者：张三". `visible_bylines`
finds those. A byline may be split over elements ("<h5>Autor:</h5> Jane Doe", "<span>By</span>
<span>Jane Doe</span>", "<br>Autor: <a>Dr.</a> Jane Doe"), end at a <br>, or be a name in bold alone
in the article's first or last paragraph, or after a standfirst in italics (`bold_name_paragraphs`).
What themes print where a name belongs (a CMS account such as "admin", a role such as "Journalist", a
label such as "Posted on", a commenter's "Jane says") is no name (`not_a_name`). The elements around
the page's <h1> are the story, whatever their class says ("commentary", "sidebar-1"). With no label,
a name is a byline only when the writer's role or agency follows it ("Jane Doe, Staff Writer", "Jane Doe
| Reuters"; never a picture's credit, "Jane Doe/AP"), and a role after a labelled name is no second
writer ("By Jane Doe, Staff Writer"). `byline_names` tells whether a line of the text is such a byline,
for text_cleanup to take it out.

The introducing words are those of trafilatura's author rules (metaxpaths.py: "by", "von", "par",
"por", "door", "di", "av", "af") and the labels of news sites' bylines in the languages of the
corpora (German "Autor/Autorin/Autoren", "Redaktion", "Ein Artikel von"; French "auteur"; Italian
"autore", "scritto da"; Spanish "escrito por"; Dutch "geschreven door"; English "written/posted/reported
by", "story by"; Portuguese and Spanish "texto", Dutch and Polish "tekst", Finnish "kirjoittanut",
Norwegian and Danish "skrevet av/af"; Russian and Ukrainian "Автор", "Текст"; Polish "Autorzy"; Hungarian
"Szerző"; Turkish "Yazar"; Chinese "作者", "记者"). With no label, a name is a byline when its date
follows it under the headline ("Jane Doe | 12.03.2024"), or its role ("Senior Reporter"): `_unlabelled_byline`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from core.record import normalise_text
from pipelines.extract.date_lines import is_date_line

# "By ", "Von: ", "par " before a name; shared with title cleaning ("Headline | by A. Writer")
BY_PREFIX = re.compile(r"^(?:by|von|par|por|door|di|av|af)\s*[:\-]?\s+", re.IGNORECASE)

_LABEL = (
    r"(?:(?:written|posted|reported|text|words|story)\s+by|(?:verfasst|veröffentlicht)\s+von|(?:écrit|publié)\s+par|"
    r"by|von|par|por|door|di|av|af|"
    r"(?:ein\s+)?(?:blog\s*-?\s*)?(?:artikel|beitrag)\s+von|ein\s+text\s+von|geschrieben\s+von|escrito\s+por|"
    r"scritto\s+da|geschreven\s+door|автор(?:ы)?|текст|autorzy|autorki|szerző|yazar|"
    r"(?:autor(?:in|innen|en|\*in|:in|_in)?|authors?|auteurs?|autore|autori|autora|autores)(?:\s*/\s*(?:autor(?:in)?))?|"
    r"text|texte|redaktion|reporter|texto|tekst|testo(?:\s+di)?|kirjoittanut|"
    r"skrevet\s+a[fv]|skriven\s+av|a\s+cura\s+di)"
)
# a name: two to five capitalised words, particles ("von", "de", "van der") between them
_PARTICLES = r"(?:von|van|der|den|de|da|del|della|di|du|le|la|y|zu|bin|al|el)"
_WORD = r"[^\W\d_][\w'’.-]*"
_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLES}\s+)*{_WORD}){{1,4}}?"
# what may follow the name: nothing, a separator, a date ("By Jane Doe Feb 8, 2020", "| 27.01.2022")
_MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez)[a-zäé]*\.?\s+\d"
# "By Jane Doe for Example.com", "Von Max Muster aus Berlin", "By Jane Doe @janedoe"
# "on"/"am"/"le" end the name only before a date: "Le", "El", "Op" are also a name's own ("Marie Le Goff")
_AFTER_NAME = (rf"(?:$|[,|/•·(–—]|\s-\s|\s\d|\s@\w|\s{_MONTH}|\s(?i:for|in|at|from|aus|für|in|à|en|da)\s|"
               rf"\s(?i:on|am|um|le|el|il|op)\s+(?:\d|{_MONTH}))")
_AND = r"\s*(?:,|&|\s(?i:and|und|et|e|y|i|og|och|és|и)\s)\s*"
# "- Redaktion: Jane Doe", "| By Jane Doe": a separator left of the label, from the line it shares
_LEAD = r"[\s|•·–—\-]*"
# (at most six names: a name's particle and "and" are one word in Spanish and Italian, "y", "e", and each
# more name multiplies the ways to read a line that only starts like a byline)
_BYLINE = re.compile(rf"^{_LEAD}(?i:{_LABEL})\s*:?\s+({_NAME}(?:{_AND}{_NAME}){{0,5}})\s*{_AFTER_NAME}")
# labels that only ever introduce a writer: after them one word is a name too, the account that
# posted ("Posted by Konstantin", "Geschrieben von Cooper")
_WRITER_LABEL = (r"(?:posted|written)\s+by|(?:geschrieben|verfasst|veröffentlicht)\s+von|escrito\s+por|scritto\s+da|"
                 r"(?:écrit|publié)\s+par")
_ACCOUNT_BYLINE = re.compile(rf"^{_LEAD}(?i:{_WRITER_LABEL})\s*:?\s+({_WORD})\s*{_AFTER_NAME}")
_STARTS_LIKE_BYLINE = re.compile(rf"^{_LEAD}{_LABEL}\b", re.IGNORECASE)
_LABEL_ALONE = re.compile(rf"^{_LEAD}{_LABEL}\s*:?\s*$", re.IGNORECASE)
_PARTICLE = re.compile(rf"^{_PARTICLES}$")
_MAX_CHARS = 120
# outside the story: other stories' bylines, comment authors, the site's credits
_NOT_THE_STORY = {"nav", "footer", "aside", "form", "script", "style", "noscript", "select", "button", "template"}
# a class token naming such a box ("comments", "c-related__list", "article-teaser"), not a layout's
# modifier on a wrapper of the whole page ("with-sidebar", "zen-one-sidebar-second")
_NOT_THE_STORY_CLASS = re.compile(
    r"(?:^|\s)(?!(?:with|has|no|one|two|three|left|right|full|layout)[-_])(?:[a-z0-9]+[-_])?"
    r"(?:comment|related|teaser|recommend|sidebar|footer|promo|newsletter)", re.IGNORECASE)
_PAGE = {"html", "body"}
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
# soft hyphens and zero-width characters inside a name ("Mat\xadthi\xadas")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# the writer's initials after the name, as the paper signs its short items: "Elena Oberholzer (obe)"
_INITIALS_AFTER = re.compile(r"(?<=\w)\s*\(\s*[a-zäöü]{2,5}\.?\s*\)$")
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|&|\||\band\b|\bund\b)\s*|\s+/\s+", re.IGNORECASE)
# "and" in the languages where it is also part of a name ("Ortega y Gasset"): it separates two writers
# only between two names of two words or more ("Par Jeanne Dupont et Marc Lefèvre")
_AND_BETWEEN_NAMES = re.compile(r"\s+(?:et|e|y|i|og|och|és|и)\s+")
# an address inside a name ("The Example Times https://www.example.com")
# "신현주 기자", "山田太郎記者": the post after a Korean or Japanese name
_POST_SUFFIX = re.compile(r"(?<=[\uac00-\ud7a3\u4e00-\u9fff])\s?(?:선임)?(?:기자|특파원|記者)$")
_ADDRESS = re.compile(r"\s*(?:https?://|www\.)\S+")


# a fragment of an entity a name was split at ("Redacci&oacute;n" read as "Redacci", "oacute")
ENTITY_FRAGMENT = r"[a-z](?:acute|grave|uml|circ|tilde|cedil|ring|slash)|[a-z]{2}lig|amp|nbsp|quot|apos|szlig"

# A writer's role as bylines print it after the name ("Staff Writer", "Political Correspondent", "Senior Editor")
ROLE = (r"(?:(?:senior|chief|deputy|associate|assistant|political|business|sports?|foreign|staff|contributing|freelance|"
        r"special|managing|news|digital|national|international|local|city|investigative|science|health|tech(?:nology)?|"
        r"education|environment(?:al)?|crime|courts?|royal|fashion|food|travel|arts?|culture|music|film|entertainment|"
        r"economics|economy|finance|markets|energy|climate|europe|us|uk|washington|white house|legal|social media|"
        r"breaking news|weekend|night|features?)\s+)*"
        r"(?:writer|reporter|correspondent|editor|contributor|columnist|journalist|producer|photographer|critic|"
        r"analyst|intern|staff|editor-at-large|bureau chief)s?")
# a byline with no label: the name, then the writer's role or agency after a comma or a bar ("Jane
# Doe, Staff Writer", "Jane Doe | Reuters"); a name alone is no byline, and "Jane Doe/AP" is a photo's credit
_AGENCY = r"reuters|ap|afp|dpa|apa|sda|ansa|efe|epa|epd|kna|bloomberg|associated press|agence france-presse|pa media"
_ROLE_BYLINE = re.compile(rf"^({_NAME})\s*(?:,|\||\s[-–—])\s*(?i:{ROLE}|{_AGENCY})\s*$")
_ROLE_ENDINGS = frozenset(
    {f"{w}{s}" for w in ("writer", "reporter", "correspondent", "editor", "contributor", "columnist", "journalist",
                         "producer", "photographer", "critic", "analyst", "intern", "editor-at-large", "chief")
     for s in ("", "s")} | {"staff", "press", "media", "france-presse"} | set(_AGENCY.split("|")))
# the writer's role after the name, where a second name would be: "By Jane Doe, Staff Writer"
_ROLE_ONLY = re.compile(rf"^{ROLE}$", re.IGNORECASE)
_ROLE_BYLINE_MAX_CHARS = 80
_BYLINE_TAIL_MAX_WORDS = 3
# What themes print where a name belongs: the default accounts of WordPress ("admin") and Joomla ("Super
# User"), role labels ("Journalist", "Autor"), a commenter's "Jane says", a date ("On August 3").
_NOT_A_NAME = re.compile(
    r"^(?:admin|administrator|wordpressadmin|wpadmin|webmaster|site ?admin|super ?user|user|guest|editor|editors|"
    r"author|autor|autorin|auteur|autore|автор|journalist|journalistin|reporter|reporterin|redakteur|redakteurin|"
    r"posted|datum|date|text|anonymous|anonym|anónimo|none|null|undefined|publisher|herausgeber|"
    r"by|von|par|por|door|di|av|af|de|da|"
    # a newsroom's generic words, no one's name: "red." (Redaktion), "Agenturen", "Nachrichten" (a desk's
    # own name, "Redaktion", "Staff", stays: labels keep it where the page names no one else)
    r"red|agenturen|agencies|agencias|agences|agenzie|nachrichten|news|noticias|nouvelles|notizie|nieuws)$"
    r"|^(?:copyright|©|\(c\))"
    r"|^co\.?\s*kg$"  # the end of "Example GmbH & Co. KG", split at its "&"
    r"|^(?:letzte|zuletzt|last|updated?|aktualisiert|veröffentlicht|published|publié|publicado|pubblicato|"
    r"lesezeit|reading time|mis à jour)\b"
    r"|\s(?:says|said|sagt|schreibt|dit|dice)$"
    # a photo's credit ("Фото из Инстаграма ...", "Photo courtesy of ..."), a post held somewhere
    # ("Projektleiterin der Stiftung", "Head of Communications"): no one's name
    r"|^(?:фото|photo|foto|bild)\s+(?:из|с|from|courtesy|aus|de|di|von|via)\b"
    r"|^\w*(?:leiter|referent|sprecher|direktor|präsident|vorsitzende|geschäftsführer|koordinator)(?:in|r)?\s+"
    r"(?:der|des|für|bei|im|am|vom|von)\s"
    r"|^(?:head|director|chair|president|spokes(?:wo)?man|spokesperson|manager|coordinator)\s+(?:of|at|for)\s"
    rf"|^(?:{ENTITY_FRAGMENT})$"
    r"|^(?:on|am|le|el|il)\s+(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez)[a-zäé]*\.?\s+\d)",
    re.IGNORECASE,
)


# the label of a byline left before the name: "Autor Jane Doe", "Interview: Jane Doe", "Text Jane Doe"
_ROLE_PREFIX = re.compile(r"^(?:autor(?:in)?|author|auteur|autore|autora|автор|text|texte|текст|interview|fotos?|photos?)"
                          r"(?:\s*:\s*|\s+)(?=\S+\s+\S)", re.IGNORECASE)


def not_a_name(text: str) -> bool:
    """Whether this 'author' is a CMS account, a role label, a commenter's line, a date, a credit, a
    post, or a phrase an extractor took from the page (`_is_phrase`)."""
    text = text.strip(" .:")
    return bool(_NOT_A_NAME.search(text)) or _is_phrase(text)


# words that join an organisation's name and are no sentence's ("Bundesverband der Energie- und
# Wasserwirtschaft", "Museum of Fine Arts")
_JOINING = frozenset({"und", "and", "of", "for", "für", "the", "des", "et", "e", "y", "du", "dei", "degli",
                      "delle", "och", "og", "en", "i", "na", "и", "для"})
_PHRASE_MIN_LOWER = 3
_PHRASE_MIN_CAPITALISED = 6


def _is_phrase(text: str) -> bool:
    """A sentence or a title-cased line an extractor took for a name: three words or more in lower case
    that neither a name's particles nor an organisation's joining words are ("Martin is a full-stack
    engineer", "Kundin ist ein Partner-Service von example ch"), or six capitalised words ("Has Worked As
    A Professional Python Developer Since"); a name has at most five ("Les Membres du Choeur de Radio
    France")."""
    words = text.split()
    if len(words) < _PHRASE_MIN_LOWER:
        return False
    lower = sum(1 for w in words if w[0].islower() and not _PARTICLE.match(w) and w not in _JOINING)
    capitalised = sum(1 for w in words if w[0].isupper())
    return lower >= _PHRASE_MIN_LOWER or capitalised >= _PHRASE_MIN_CAPITALISED


def describes(text: str) -> bool:
    """Words describing someone rather than naming them ("Professor at the Faculty of Humanities of
    the University"): two words or more in lower case that are no particles of a name."""
    return sum(1 for w in text.split() if w[0].islower() and not _PARTICLE.match(w)) >= 2


def split_names(raw: Iterable[str] | None) -> list[str]:
    """Clean person names: 'By A, B and C' gives ['A', 'B', 'C']; duplicates dropped, order kept.
    ("y", "e", "et" do not separate: they are parts of names, "Ortega y Gasset".)"""
    names: list[str] = []
    for item in raw or []:
        cleaned = normalise_text(_INVISIBLE.sub("", item)) if isinstance(item, str) else ""
        if not cleaned:
            continue
        # an entity the CMS escaped twice ("Redacci&oacute;n") would be split at its ";"
        if _ENTITY.search(cleaned):
            cleaned = html.unescape(cleaned)
        cleaned = BY_PREFIX.sub("", cleaned)
        parts = _AUTHOR_SEPARATORS.split(cleaned)
        # the writer's role beside the name is no second writer ("Jane Doe | Staff Writer"); alone it
        # is what the page gives ("Staff")
        if len(parts) > 1 and not all(_ROLE_ONLY.match(p.strip(" .")) for p in parts):
            parts = [p for p in parts if not _ROLE_ONLY.match(p.strip(" ."))]
        for part in parts:
            name = _ROLE_PREFIX.sub("", BY_PREFIX.sub("", _ADDRESS.sub("", part).strip(" .,:;-–—'\"“”‘’„«»"))).strip()
            name = _INITIALS_AFTER.sub("", name)
            name = _POST_SUFFIX.sub("", name) if len(name) > 4 else name
            if name and not is_url(name) and len(name) <= 80 and any(ch.isalpha() for ch in name):
                names.extend(_two_writers(name))
    return unique_casefold(names)


def _two_writers(name: str) -> list[str]:
    """The names "and" joins, when each is a name of its own (_AND_BETWEEN_NAMES); else the name."""
    parts = _AND_BETWEEN_NAMES.split(name)
    return parts if len(parts) > 1 and all(_capitalised(p) for p in parts) else [name]


def unique_casefold(items: Iterable[str]) -> list[str]:
    """Each item once, whatever its case, in its first spelling and place ("JANE DOE" is "Jane Doe")."""
    seen: set[str] = set()
    return [item for item in items if not (item.casefold() in seen or seen.add(item.casefold()))]


def letters(text: str) -> str:
    """The name's letters and digits, casefolded: "Example-Zeitung" and "example zeitung" are one."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://", "//", "www."))


def visible_bylines(tree: HtmlElement, site: Iterable[str | None] = ()) -> list[str]:
    """The names of the first printed byline: in the article's container when it holds one, else
    anywhere in the page outside navigation, footers, asides, comments and teasers. A byline naming
    the `site` itself (a theme's "By" before the account that posted) is passed over."""
    site_keys = {letters(s) for s in site if s}
    fallback: list[str] = []
    around_headline = _around_headline(tree)
    texts = _SHORT_TEXTS(tree)  # one walk over the page's text for both kinds of byline
    for text in texts:
        if not _STARTS_LIKE_BYLINE.match(text):  # (tested here too: most text nodes are no byline)
            continue
        names, in_article = _byline_at(text, around_headline)
        if site_keys and all(letters(n) in site_keys for n in names):
            continue
        if names and in_article:
            return names
        fallback = fallback or names
    return (fallback or _cjk_byline(texts, around_headline) or _role_byline(texts, around_headline)
            or _unlabelled_byline(tree, around_headline))


def byline_names(line: str) -> list[str]:
    """The names a line of the text introduces when the whole line is a printed byline ("By Jane Doe",
    "Text: Jane Doe", "Jane Doe, Staff Writer", "Von Jane Doe, Berlin"); [] for any other line."""
    line = normalise_text(line).rstrip(" .")
    if len(line) > _MAX_CHARS:
        return []
    found = _BYLINE.match(line) if _STARTS_LIKE_BYLINE.match(line) else None
    if found is None and len(line) <= _ROLE_BYLINE_MAX_CHARS:
        found = _ROLE_BYLINE.match(line)
    if found is None:
        return []
    # after the names a place or a date, not who the writer is ("Autor: Jane Doe, Landesanstalt für
    # Landwirtschaft, Köllitsch": a reference text keeps that line)
    if sum(1 for word in line[found.end(1):].split() if any(ch.isalpha() for ch in word)) > _BYLINE_TAIL_MAX_WORDS:
        return []
    names = _writers(found.group(1))
    if not names or not all(_capitalised(name) for name in names):
        return []
    # the post after the name is none ("Jane Doe, Projektleiterin der Stiftung")
    return [name for name in names if not not_a_name(name)]


def _writers(names: str) -> list[str]:
    """The names a byline gives, without the role printed after them ("Jane Doe, Staff Writer")."""
    return [name for name in split_names([names]) if not _ROLE_ONLY.match(name)]


def _role_byline(texts: Sequence[Any], around_headline: set[HtmlElement]) -> list[str]:
    """The name of the first byline printed without a label, with the role or the agency after it, in
    the story (_ROLE_BYLINE); where no labelled byline was found."""
    for text in texts:
        # (the role or the agency is the line's last word: most text nodes are passed over on that alone)
        if len(text) > _ROLE_BYLINE_MAX_CHARS or not (words := text.rstrip(" .").split()) \
                or words[-1].casefold() not in _ROLE_ENDINGS:
            continue
        line = normalise_text(str(text))
        found = _ROLE_BYLINE.match(line)
        if found is None or not _capitalised(found.group(1)) or not_a_name(found.group(1)):
            continue
        holder = text.getparent()
        element = holder if holder is None or text.is_text else holder.getparent()
        if element is None or _outside_story(element, around_headline) or _in_caption(element):
            continue
        return split_names([found.group(1)])
    return []


# A name without a label, then the date or the writer's role, under the headline: "Sehernur Karsu |
# 05.04.2025", "Jane Doe · March 12, 2024", "<span>Jane Doe</span> <time>12 March 2024</time>", "<span>Jane
# Doe</span><span>Senior Reporter</span>": the date or the role is what tells the name from any other two
# capitalised words (a section's name is a link, and passed over)
_NAME_THEN_SEPARATOR = re.compile(rf"^({_NAME})\s*(?:[|·•]\s*(.*))?$")
# ... or the date first, the name closing the bar: "04.02.2022 | 13:10 Uhr | Uta Helkenberg", over the headline too
_DATE_THEN_NAME = re.compile(rf"^(.{{4,40}}?)\s*[|·•]\s*({_NAME})$")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_BEFORE_HEADLINE = etree.XPath(f"preceding::text()[normalize-space(.)][string-length(.) < {_MAX_CHARS}][position() <= 2]")
_DATE_PART = re.compile(r"\s+[-–—|·•]\s+")
_AFTER_HEADLINE = etree.XPath(f"following::text()[normalize-space(.)][string-length(.) < {_MAX_CHARS}][position() <= 12]")


def _unlabelled_byline(tree: HtmlElement, around_headline: set[HtmlElement]) -> list[str]:
    """The name of a byline printed without a label, before its date or its role, in the few lines
    after the page's first <h1> (_NAME_THEN_SEPARATOR), or closing a bar of the date just before or
    after it (_DATE_THEN_NAME); where no other byline was found."""
    headline = first_h1(tree)
    if headline is None:
        return []
    texts = _AFTER_HEADLINE(headline)
    for text in (*texts, *_BEFORE_HEADLINE(headline)):
        dated = _DATE_THEN_NAME.match(normalise_text(text))
        # (a whole date, with its year: "30.11. | Buch der Woche" is a column's; a label in capitals,
        # "PAID CONTENT", no one's name)
        if dated and _YEAR.search(dated.group(1)) and is_date_line(dated.group(1), dated.group(1).casefold()) \
                and _capitalised(dated.group(2)) and not dated.group(2).isupper() and not not_a_name(dated.group(2)) \
                and not _in_link_or_box(text, around_headline):
            return split_names([dated.group(2)])
    for index, text in enumerate(texts):
        found = _NAME_THEN_SEPARATOR.match(normalise_text(text))
        if found is None or not _capitalised(found.group(1)) or not_a_name(found.group(1)):
            continue
        if _in_link_or_box(text, around_headline):
            continue
        element = text.getparent() if text.is_text else text.getparent().getparent()
        date = found.group(2)
        following = str(texts[index + 1]) if index + 1 < len(texts) else ""
        if date is None and _ROLE_ONLY.match(normalise_text(following).rstrip(" .")):
            return split_names([found.group(1)])
        if date is None:
            # no separator: the date must be in a <time> of its own, and the name alone in its element
            # (the last of a row of names is no byline of its own)
            if not following or texts[index + 1].getparent().tag != "time" or _has_sibling_text(element):
                continue
            date = following
        date = _DATE_PART.split(normalise_text(date or following))[0]
        if date and is_date_line(date, date.casefold()):
            return split_names([found.group(1)])
    return []


def _in_link_or_box(text: Any, around_headline: set[HtmlElement]) -> bool:
    """Whether the text node stands in a link (a section's name), outside the story or in a caption."""
    holder = text.getparent()
    element = holder if text.is_text else holder.getparent()
    return element is None or any(a.tag == "a" for a in (element, *element.iterancestors())) \
        or _outside_story(element, around_headline) or _in_caption(element)


def _has_sibling_text(element: HtmlElement) -> bool:
    parent = element.getparent()
    return parent is not None and any(e is not element and normalise_text(e.text_content()) for e in parent)


# The text nodes a byline may start: short ones, from XPath (in C), opening with a label, tested in
# Python (an EXSLT regex in the XPath would call back into Python for every node and cost a third more)
_SHORT_TEXTS = etree.XPath(f".//text()[string-length(.) < {_MAX_CHARS * 2}][normalize-space(.)]")


# Chinese bylines: "作者：张三", "记者 李四 王五": a label, a colon or a space, then names of two to four
# characters ("作者简介", about the author, is a heading; the responsible editor, "责任编辑", is no writer).
_CJK_NAME = r"[\u4e00-\u9fff]{2,4}"
_CJK_BYLINE = re.compile(rf"(?:作者|记者)(?:\s*[:：]\s*|\s+)({_CJK_NAME}(?:\s*[、，,\s]\s*{_CJK_NAME})*)\s*(?:[)）\]】]|$)")
_CJK_MAX_CHARS = 60
# Korean and Japanese bylines put the post after the name: "홍길동 기자" (reporter), "김철수 특파원"
# (correspondent), "山田太郎記者"; a name of two to four syllables or five characters
_POST_AFTER_NAME = re.compile(r"(?:^|(?<=[\s=\]】)(]))([\uac00-\ud7a3]{2,4}\s?(?=(?:선임)?(?:기자|특파원))|"
                              r"[\u4e00-\u9fff]{2,5}(?=記者))(?:선임)?(?:기자|특파원|記者)(?=$|[\s=,·)）】])")
_POSTS_AFTER_NAME = ("기자", "특파원", "記者")


def _cjk_byline(texts: Sequence[Any], around_headline: set[HtmlElement]) -> list[str]:
    """The names of the first Chinese byline among the page's short text nodes (_SHORT_TEXTS), else
    of the first Korean or Japanese one (_POST_AFTER_NAME)."""
    for text in texts:
        if len(text) >= _CJK_MAX_CHARS or ("作者" not in text and "记者" not in text):
            continue
        holder = text.getparent()
        if holder is None or _outside_story(holder, around_headline):
            continue
        found = _CJK_BYLINE.search(normalise_text(str(text)))
        if found:
            return unique_casefold(re.split(r"\s*[、，,\s]\s*", found.group(1)))
    for text in texts:
        if len(text) >= _CJK_MAX_CHARS or not any(post in text for post in _POSTS_AFTER_NAME):
            continue
        holder = text.getparent()
        if holder is None or _outside_story(holder, around_headline):
            continue
        names = [m.group(1).strip() for m in _POST_AFTER_NAME.finditer(normalise_text(str(text)))]
        if names:
            return unique_casefold(names)
    return []


def first_h1(tree: HtmlElement) -> HtmlElement | None:
    """The first <h1> under `tree`, in document order. (lxml's walk stops there; the XPath "(.//h1)[1]"
    collects every <h1> of the page first.)"""
    for element in tree.iter("h1"):
        if element is not tree:
            return element
    return None


def _around_headline(tree: HtmlElement) -> set[HtmlElement]:
    """The elements around the page's first <h1>: the story or the page's wrappers, whatever their class
    says ("commentary", "sidebar-1": a layout's name for its main column)."""
    headline = first_h1(tree)
    return set(headline.iterancestors()) if headline is not None else set()


_CAPTION_CLASS = re.compile(r"caption|credit|copyright|byline-photo|photo", re.IGNORECASE)


def _in_caption(element: HtmlElement) -> bool:
    """Whether the element is a picture's caption or credit ("Jane Doe, Staff Photographer")."""
    return any(a.tag in ("figure", "figcaption") or _CAPTION_CLASS.search(a.get("class") or "")
               for a in (element, *element.iterancestors()))


def _outside_story(element: HtmlElement, around_headline: set[HtmlElement]) -> bool:
    """Whether the element stands in navigation, an aside, a footer, comments or a teaser (whose
    class says so, or a link holding more than the byline: the teaser of another story)."""
    own = len(element.text_content())
    return any(a.tag in _NOT_THE_STORY or (a.tag not in _PAGE and a not in around_headline
                                           and _NOT_THE_STORY_CLASS.search(a.get("class") or ""))
               or (a.tag == "a" and a is not element and len(a.text_content()) > 2 * own + 40)
               for a in (element, *element.iterancestors()))


def _byline_at(text: Any, around_headline: set[HtmlElement]) -> tuple[list[str], bool]:
    """The names of the byline this text node starts, and whether it stands in the article."""
    if not _STARTS_LIKE_BYLINE.match(text):
        return [], False
    holder = text.getparent()  # the element whose text (or tail) this is
    element = holder if holder is None or text.is_text else holder.getparent()
    if element is None:
        return [], False
    if _outside_story(element, around_headline):
        return [], False
    in_article = any(a.tag in ("article", "main") or a.get("role") == "main"
                     for a in (element, *element.iterancestors()))
    # "By <a>Jane Doe</a>": the name is in the element that holds the label; "<b>Autor</b> Jane
    # Doe": in the element around it
    lines = [str(text)]
    if text.is_text:
        # the element's first line: "Von Jane Doe und John Roe<br>Kakuma" names two, not a place
        lines[:0] = [_first_line(element)]
        around = element.getparent()
        if around is not None and len(around) <= 4:
            lines.append(" ".join(around.itertext()))
        # "<h5>Autor:</h5> Jane Doe", "<span>By</span> <span>Jane Doe</span>": the label alone in
        # its element, the name after it
        label = element.text_content()
        if _LABEL_ALONE.match(label):
            after = (element.tail or "").strip() or (
                element.getnext().text_content() if element.getnext() is not None else "")
            lines.append(f"{label} {after}")
    elif _LABEL_ALONE.match(text) and holder is not None:
        # "<br>Autor: <a>Rechtsanwalt</a> Jane Doe</div>": the label in a tail, the name in the
        # elements and text after it, up to the next <br>
        parts = [str(text)]
        for sibling in holder.itersiblings():
            if sibling.tag == "br" or len(parts) > 8:
                break
            parts += [sibling.text_content(), sibling.tail or ""]
        lines.append(" ".join(parts))
    for line in lines:
        line = normalise_text(line).rstrip(" .")
        found = _BYLINE.match(line) if len(line) <= _MAX_CHARS else None
        if found:
            names = _writers(found.group(1))
            if names and all(_capitalised(name) for name in names):
                return names, in_article
        account = _ACCOUNT_BYLINE.match(line) if len(line) <= _MAX_CHARS else None
        if account and not not_a_name(account.group(1)):
            return split_names([account.group(1)]), in_article
    return [], False


# A paragraph that is nothing but a name in bold, first or last in the article: how many sites print
# the byline ("<p><strong>Jane Doe</strong></p>")
_BOLD_PARAGRAPHS = etree.XPath(".//p[count(*) = 1][b or strong][string-length(normalize-space(.)) < 60]")
_MIN_PARAGRAPHS = 3
_NOT_IN_A_NAME = re.compile(r"[\d:,;!?()|/]")


def bold_name_paragraphs(tree: HtmlElement) -> list[str]:
    """The names of a bold-only paragraph opening or closing the paragraphs of its container (at least
    three of them; opening them after a standfirst in italics), outside navigation, asides, comments
    and teasers. Two writers share one: "Jane Doe/John Roe", "Jane Doe and John Roe"."""
    around_headline = _around_headline(tree)
    for paragraph in _BOLD_PARAGRAPHS(tree):
        text = normalise_text(paragraph.text_content())
        if text != normalise_text(paragraph[0].text_content()):
            continue
        names = [n.strip() for n in _TWO_WRITERS.split(text)]
        if not all(2 <= len(n.split()) <= 4 and not _NOT_IN_A_NAME.search(n) and _capitalised(n)
                   and not not_a_name(n) for n in names):
            continue
        container = paragraph.getparent()
        if container is None:
            continue
        siblings = [p for p in container if p.tag == "p" and normalise_text(p.text_content())]
        if len(siblings) < _MIN_PARAGRAPHS or paragraph not in siblings:
            continue
        position = siblings.index(paragraph)
        if position != len(siblings) - 1 and not (
                position <= _MAX_STANDFIRST and all(_standfirst(p) for p in siblings[:position])):
            continue
        if _outside_story(container, around_headline):
            continue
        return names
    return []


_TWO_WRITERS = re.compile(r"\s*/\s*|\s+(?:and|und|et|&)\s+")
_MAX_STANDFIRST = 2


def _standfirst(paragraph: HtmlElement) -> bool:
    """A paragraph wholly in italics, as the summary above a story is printed."""
    text = normalise_text(paragraph.text_content())
    italic = "".join(e.text_content() for e in paragraph if e.tag in ("em", "i"))
    return bool(text) and len(normalise_text(italic)) >= len(text) - 3 and len(text) < 300


def _first_line(element: HtmlElement) -> str:
    """The element's text up to its first <br>."""
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                break
            if isinstance(node.tag, str):
                parts.append(node.text or "")
        elif node is not element:
            parts.append(node.tail or "")
    return " ".join(parts)


def _capitalised(name: str) -> bool:
    """Two words or more, each capitalised but the particles ("Ludwig van Beethoven")."""
    words = name.split()
    return len(words) >= 2 and not _PARTICLE.match(words[0]) and all(w[0].isupper() for w in words if not _PARTICLE.match(w))
