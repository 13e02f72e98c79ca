"""Bylines: the words that introduce a writer's name, the names they introduce, and where a byline
stands in the story.

Three signals name the writers in markup declared for machines (JSON-LD, `<meta name=author>`,
trafilatura's author selectors); `marked_authors` reads the markup themes wrap around the byline they
print, and `printed_bylines` the bylines pages print ("By Jane Doe", "Von: Götz Warnke", "作者：张三").
Both read with what this module holds: the labels that introduce a writer and what may follow the
name (`_BYLINE`), the names themselves (`split_names`: "By A, B and C" is three, "Par A et B" two,
"José Ortega y Gasset" one; a role beside a name is no second writer, "By Jane Doe, Staff Writer"),
what themes print where a name belongs and is no name (`not_a_name`: a CMS account such as "admin", a
role such as "Journalist", a label such as "Posted on", a commenter's "Jane says"), and where the story
is (the elements around the page's <h1>, whatever their class says, "commentary", "sidebar-1"; never
navigation, asides, comments, teasers or pictures' credits). With no label, a name is a byline only
when the writer's role or agency follows it ("Jane Doe, Staff Writer", "Jane Doe | Reuters"; never a
picture's credit, "Jane Doe/AP"). `byline_names` tells whether a line of the text is a byline, for
text_cleanup to take it out.

The introducing words are those of trafilatura's author rules (metaxpaths.py: "by", "von", "par",
"por", "door", "di", "av", "af") and the labels of news sites' bylines in the languages of the
corpora (German "Autor/Autorin/Autoren", "Redaktion", "Ein Artikel von"; French "auteur"; Italian
"autore", "scritto da"; Spanish "escrito por"; Dutch "geschreven door"; English "written/posted/reported
by", "story by"; Portuguese and Spanish "texto", Dutch and Polish "tekst", Finnish "kirjoittanut",
Norwegian and Danish "skrevet av/af"; Russian and Ukrainian "Автор", "Текст"; Polish "Autorzy"; Hungarian
"Szerző"; Turkish "Yazar"; Chinese "作者", "记者").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from core.record import normalise_text
from pipelines.extract.literal_gate import first_characters

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
# (a lookahead of the labels' first letters: most text nodes fail on it, not on each label in turn)
_STARTS_LIKE_BYLINE = re.compile(rf"^{_LEAD}{first_characters(_LABEL) or ''}{_LABEL}\b", re.IGNORECASE)
_LABEL_ALONE = re.compile(rf"^{_LEAD}{_LABEL}\s*:?\s*$", re.IGNORECASE)
_PARTICLE = re.compile(rf"^{_PARTICLES}$")
_MAX_CHARS = 120
_MAX_NAME_CHARS = 80
# the dateline's label run on after the name, from the next element: "Le Figaro et AFP Publié le 22/11/2024"
_DATE_LABEL_AFTER = re.compile(r"\s+(?:Publié|Published|Posted|Veröffentlicht|Aktualisiert|Publicado|Actualizado|Pubblicato|"
                               r"Aggiornato|Updated|Mis à jour|Gepubliceerd|Opublikowano|Publicerad|Publisert)\b.*$")
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
# "신현주 기자", "山田太郎記者": the post after a Korean or Japanese name
_POST_SUFFIX = re.compile(r"(?<=[\uac00-\ud7a3\u4e00-\u9fff])\s?(?:선임)?(?:기자|특파원|記者)$")
# an address inside a name ("The Example Times https://www.example.com")
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
        found: list[str] = []
        for part in parts:
            part = _DATE_LABEL_AFTER.sub("", part)
            name = _ROLE_PREFIX.sub("", BY_PREFIX.sub("", _ADDRESS.sub("", part).strip(" .,:;-–—'\"“”‘’„«»"))).strip()
            name = _INITIALS_AFTER.sub("", name)
            name = _POST_SUFFIX.sub("", name) if len(name) > 4 else name
            if len(name) > _MAX_NAME_CHARS:
                # a sentence ("Jane Doe covers the courts and crime."): its tail after "and" is no writer
                found = []
                break
            if name and not is_url(name) and any(ch.isalpha() for ch in name):
                found.extend(_two_writers(name))
        names += found
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
