"""Bylines: the words that introduce a writer's name, and the names they introduce.

Three signals name the writers in markup (JSON-LD, `<meta name=author>`, trafilatura's author
selectors); many pages name them only in print: "By Jane Doe", "Von: Götz Warnke", "Ein Artikel von
Pamela Sladky", "Autorin/Autor Roman Goncharenko". `visible_bylines` finds those, the last resort
when no markup names a person. A byline may be split over elements ("<h5>Autor:</h5> Jane Doe",
"<span>By</span> <span>Jane Doe</span>"), end at a <br>, or be a name in bold alone in the article's
first or last paragraph (`bold_name_paragraphs`). What themes print where a name belongs (a CMS
account such as "admin", a role such as "Journalist", a commenter's "Jane says") is no name
(`not_a_name`).

The introducing words are those of trafilatura's author rules (metaxpaths.py: "by", "von", "par",
"por", "door", "di", "av", "af") and the labels of news sites' bylines in the languages of the
corpora (German "Autor/Autorin", "Redaktion", "Ein Artikel von"; French "auteur"; Italian "autore",
"scritto da"; Spanish "escrito por"; Dutch "geschreven door"; English "written/posted/reported by").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from core.record import normalise_text

# "By ", "Von: ", "par " before a name; shared with title cleaning ("Headline | by A. Writer")
BY_PREFIX = re.compile(r"^(?:by|von|par|por|door|di|av|af)\s*[:\-]?\s+", re.IGNORECASE)

_LABEL = (
    r"(?:(?:written|posted|reported|text|words)\s+by|by|von|par|por|door|di|av|af|"
    r"ein\s+(?:artikel|beitrag|text)\s+von|geschrieben\s+von|escrito\s+por|scritto\s+da|geschreven\s+door|"
    r"(?:autor(?:in)?|author|auteur|autore|autora)(?:\s*/\s*(?:autor(?:in)?))?|text|texte|redaktion|reporter)"
)
# a name: two to five capitalised words, particles ("von", "de", "van der") between them
_PARTICLES = r"(?:von|van|der|den|de|da|del|della|di|du|le|la|y|zu|bin|al|el)"
_WORD = r"[^\W\d_][\w'’.-]*"
_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLES}\s+)*{_WORD}){{1,4}}?"
# what may follow the name: nothing, a separator, a date ("By Jane Doe Feb 8, 2020", "| 27.01.2022")
_MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez)[a-zäé]*\.?\s+\d"
# "By Jane Doe for Example.com", "Von Max Muster aus Berlin"
_AFTER_NAME = rf"(?:$|[,|/•·(–—]|\s-\s|\s\d|\s{_MONTH}|\s(?i:for|in|at|from|aus|für|in|à|en|da)\s)"
_AND = r"\s*(?:,|&|\s(?i:and|und|et|e|y)\s)\s*"
# "- Redaktion: Jane Doe", "| By Jane Doe": a separator left of the label, from the line it shares
_LEAD = r"[\s|•·–—\-]*"
_BYLINE = re.compile(rf"^{_LEAD}(?i:{_LABEL})\s*:?\s+({_NAME}(?:{_AND}{_NAME})*)\s*{_AFTER_NAME}")
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
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|&|\||\band\b|\bund\b)\s*", re.IGNORECASE)


# What themes print where a name belongs: the default accounts of WordPress ("admin") and Joomla ("Super
# User"), role labels ("Journalist", "Autor"), a commenter's "Jane says", a date ("On August 3").
_NOT_A_NAME = re.compile(
    r"^(?:admin|administrator|wordpressadmin|wpadmin|webmaster|site ?admin|super ?user|user|guest|editor|editors|"
    r"author|autor|autorin|auteur|autore|journalist|journalistin|reporter|reporterin|redakteur|redakteurin|"
    r"posted|datum|date|text|anonymous|anonym|none|null|undefined)$"
    r"|\s(?:says|said|sagt|schreibt|dit|dice)$"
    r"|^(?:on|am|le|el|il)\s+(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez)[a-zäé]*\.?\s+\d)",
    re.IGNORECASE,
)


# the label of a byline left before the name: "Autor Jane Doe", "Interview: Jane Doe", "Text Jane Doe"
_ROLE_PREFIX = re.compile(r"^(?:autor(?:in)?|author|auteur|autore|autora|text|texte|interview|fotos?|photos?)"
                          r"(?:\s*:\s*|\s+)(?=\S+\s+\S)", re.IGNORECASE)


def not_a_name(text: str) -> bool:
    """Whether this 'author' is a CMS account, a role label, a commenter's line or a date."""
    return bool(_NOT_A_NAME.search(text.strip(" .:")))


def describes(text: str) -> bool:
    """Words describing someone rather than naming them ("Professor at the Faculty of Humanities of
    the University"): two words or more in lower case that are no particles of a name."""
    return sum(1 for w in text.split() if w[0].islower() and not _PARTICLE.match(w)) >= 2


def split_names(raw: Iterable[str] | None) -> list[str]:
    """Clean person names: 'By A, B and C' gives ['A', 'B', 'C']; duplicates dropped, order kept.
    ("y", "e", "et" do not separate: they are parts of names, "Ortega y Gasset".)"""
    names: list[str] = []
    for item in raw or []:
        cleaned = normalise_text(item) if isinstance(item, str) else ""
        if not cleaned:
            continue
        # an entity the CMS escaped twice ("Redacci&oacute;n") would be split at its ";"
        if _ENTITY.search(cleaned):
            cleaned = html.unescape(cleaned)
        cleaned = BY_PREFIX.sub("", cleaned)
        for part in _AUTHOR_SEPARATORS.split(cleaned):
            name = _ROLE_PREFIX.sub("", BY_PREFIX.sub("", part.strip(" .,:;-–—"))).strip()
            if name and not is_url(name) and len(name) <= 80 and any(ch.isalpha() for ch in name):
                names.append(name)
    return unique_casefold(names)


def unique_casefold(items: Iterable[str]) -> list[str]:
    """Each item once, whatever its case, in its first spelling and place ("JANE DOE" is "Jane Doe")."""
    seen: set[str] = set()
    return [item for item in items if not (item.casefold() in seen or seen.add(item.casefold()))]


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://", "//", "www."))


def visible_bylines(tree: HtmlElement, site: Iterable[str | None] = ()) -> list[str]:
    """The names of the first printed byline: in the article's container when it holds one, else
    anywhere in the page outside navigation, footers, asides, comments and teasers. A byline naming
    the `site` itself (a theme's "By" before the account that posted) is passed over."""
    site_keys = {_letters(s) for s in site if s}
    fallback: list[str] = []
    for text in _CANDIDATES(tree):
        names, in_article = _byline_at(text)
        if site_keys and all(_letters(n) in site_keys for n in names):
            continue
        if names and in_article:
            return names
        fallback = fallback or names
    return fallback


# the first words of the labels, for XPath to find the candidate text nodes without Python per node
_FIRST_WORDS = ("by", "von", "par", "por", "door", "di", "av", "af", "written", "posted", "reported", "text",
                "words", "ein", "geschrieben", "escrito", "scritto", "geschreven", "autor", "author", "auteur",
                "autore", "autora", "redaktion", "reporter")
_CANDIDATES = etree.XPath(
    f".//text()[string-length(.) < {_MAX_CHARS * 2}][normalize-space(.)][re:test(., '^[\\s|•·–—-]*(" + "|".join(_FIRST_WORDS) + ")', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)


def _byline_at(text: Any) -> tuple[list[str], bool]:
    """The names of the byline this text node starts, and whether it stands in the article."""
    if not _STARTS_LIKE_BYLINE.match(text):
        return [], False
    holder = text.getparent()  # the element whose text (or tail) this is
    element = holder if holder is None or text.is_text else holder.getparent()
    if element is None:
        return [], False
    in_article = False
    for ancestor in (element, *element.iterancestors()):
        if ancestor.tag in _NOT_THE_STORY or (
                ancestor.tag not in _PAGE and _NOT_THE_STORY_CLASS.search(ancestor.get("class") or "")):
            return [], False
        in_article = in_article or ancestor.tag in ("article", "main") or ancestor.get("role") == "main"
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
    for line in lines:
        line = normalise_text(line).rstrip(" .")
        found = _BYLINE.match(line) if len(line) <= _MAX_CHARS else None
        if found:
            names = split_names([found.group(1)])
            if names and all(_capitalised(name) for name in names):
                return names, in_article
    return [], False


# A paragraph that is nothing but a name in bold, first or last in the article: how many sites print
# the byline ("<p><strong>Jane Doe</strong></p>")
_BOLD_PARAGRAPHS = etree.XPath(".//p[count(*) = 1][b or strong][string-length(normalize-space(.)) < 60]")
_MIN_PARAGRAPHS = 3
_NOT_IN_A_NAME = re.compile(r"[\d:,;!?()|/]")


def bold_name_paragraphs(tree: HtmlElement) -> list[str]:
    """The name of a bold-only paragraph opening or closing the paragraphs of its container (at least
    three of them), outside navigation, asides, comments and teasers."""
    for paragraph in _BOLD_PARAGRAPHS(tree):
        text = normalise_text(paragraph.text_content())
        if text != normalise_text(paragraph[0].text_content()) or not 2 <= len(text.split()) <= 4:
            continue
        if _NOT_IN_A_NAME.search(text) or not _capitalised(text) or not_a_name(text):
            continue
        container = paragraph.getparent()
        if container is None:
            continue
        siblings = [p for p in container if p.tag == "p" and normalise_text(p.text_content())]
        if len(siblings) < _MIN_PARAGRAPHS or paragraph not in (siblings[0], siblings[-1]):
            continue
        if any(a.tag in _NOT_THE_STORY or (a.tag not in _PAGE and _NOT_THE_STORY_CLASS.search(a.get("class") or ""))
               for a in paragraph.iterancestors()):
            continue
        return [text]
    return []


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
