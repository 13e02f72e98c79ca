"""The writer as the markup marks them: rel=author links, microdata (itemprop=author, its
itemprop=name), hCard (`<span class="author vcard"><a class="fn">`), class names ("author-name",
"byline__author", "autor"), links to the writer's page ("/author/jane-doe/", "/autoren/jane-doe"), a
forum post's data-author.

trafilatura's own author selectors miss many of these: they drop every element whose class holds
"category", and WordPress names the post's wrapper after its categories ("post-7997
category-politik"); and they take the first element named "author" anywhere, a comment widget's
included. Here the first marked byline in the story's container counts, outside comments, teasers,
widgets and pictures' credits.
"""

from __future__ import annotations

import re
import unicodedata

from lxml.html import HtmlElement

from core.record import normalise_text
from pipelines.extract.bylines import (
    _LABEL,
    _LEAD,
    _MAX_CHARS,
    _NOT_THE_STORY,
    _PAGE,
    _PARTICLE,
    _around_headline,
    first_h1,
    not_a_name,
    split_names,
    unique_casefold,
)

_AUTHOR_CLASS = (r"(?:^|\s)(?:[\w-]*[-_])?(?:author|autor|auteur|autore|byline|writer)"
                 r"(?:[-_]{0,2}(?:name|link|info|meta))?(?:\s|$)")
_AUTHOR_PATH = (r"/(?:authors?|autor(?:en|in|innen)?|auteurs?|autori?|autores|reporters?|journalist(?:en|s)?|"
                r"redakteur(?:e|in)?|columnists?)/[^/?#]")
_MARKED_TAGS = {"a", "span", "div", "p", "strong", "b", "em", "li", "address", "h3", "h4", "h5", "h6", "small", "cite"}
# the pages of a site's people, which also hold those its stories are about, or are a section's
# ("/themen/people/portraits") or a licence's ("/licenses/by/4.0"): a link there is the writer's only
# where its text is a full name whose surname the page's address spells, and it stands in an
# element of a byline's length ("/people/jane-doe", "/profile/jane-doe", "/staff/jane-doe", "/user/profile/jdoe")
_PERSON_PATH = r"/(?:people|staff|profiles?|contributors?|writers?|by|mitarbeiter(?:innen)?)/([^?#]+)"
_AUTHOR_CLASS_RE = re.compile(_AUTHOR_CLASS, re.IGNORECASE)
_PERSON_PATH_RE = re.compile(_PERSON_PATH, re.IGNORECASE)
_BYLINE_BESIDE_NAME = 60  # a byline's label and date beside the name ("By ... on Monday, November 18th, 2019")
_AUTHOR_PATH_RE = re.compile(_AUTHOR_PATH, re.IGNORECASE)


def _maybe_author_class(lowered: str) -> bool:
    return "aut" in lowered or "byline" in lowered or "writer" in lowered


def _marked_elements(tree: HtmlElement) -> list[HtmlElement]:
    """The elements marked as the writer's, in document order: rel=author, itemprop=author, an
    author's class, a link to the writer's page, a forum post's data-author. (One walk in Python:
    an XPath testing the class and the address of every element took several times as long.)"""
    found = []
    for element in tree.iter(_MARKED_TAGS | {"article"}):
        get = element.get
        tag = element.tag
        if tag == "article":
            if get("data-author"):
                found.append(element)
            continue
        rel, itemprop, classes = get("rel"), get("itemprop"), get("class")
        if (rel and "author" in rel.lower().split()) or itemprop in ("author", "creator") or (
                classes and _maybe_author_class(classes.lower()) and _AUTHOR_CLASS_RE.search(classes)):
            found.append(element)
        elif tag == "a":
            href = get("href")
            if href and (_AUTHOR_PATH_RE.search(href) or _persons_page(element, href)):
                found.append(element)
    return found


def _persons_page(link: HtmlElement, href: str) -> bool:
    """Whether the link leads to the page of the person it names, from a byline (_PERSON_PATH)."""
    found = _PERSON_PATH_RE.search(href)
    if found is None:
        return False
    name = normalise_text(link.text_content())
    words = name.split()
    parent = link.getparent()
    return 2 <= len(words) <= 5 and len(_fold(words[-1])) >= 3 and _fold(words[-1]) in _fold(found.group(1)) \
        and parent is not None and len(normalise_text(parent.text_content())) - len(name) <= _BYLINE_BESIDE_NAME


# outside the story: other stories' writers, commenters, widgets, and the credits of pictures; a class
# or id token naming such a box ("comment-author", "c-related__list", "media-box__gallery"), not one
# that only starts so ("commentary") or a layout's modifier ("with-sidebar")
# (a pull quote names who said it, with an author's class: "quote-author")
_NOT_THE_WRITERS_TAGS = (_NOT_THE_STORY - {"footer"}) | {"head", "figure", "figcaption", "blockquote"}
_NOT_THE_WRITERS = re.compile(
    r"(?:^|\s)(?![\w-]*(?:with|has|no|one|two|three|left|right|full|layout)[-_]sidebar)"
    r"(?![\w-]*sidebar[-_](?:on|off|left|right|none|top|bottom|active|enabled|disabled|first|second)(?:\s|$))"
    r"(?:[\w-]*[-_])?(?:comments?|commentlist|related|teasers?|sidebar|widgets?|recommend\w*|promo\w*|newsletter|gallery|"
    r"captions?|credits?|copyright|reply|respond|reviews?|more-from\w*|most-\w+|quotes?|pullquote)(?:[-_][\w-]*)?(?=\s|$)",
    re.IGNORECASE)
# a footer: the page's (the site's credits), or an article's own (where many themes put the byline)
_FOOTER = re.compile(r"(?:^|\s)(?:[\w-]*[-_])?footer(?=\s|$)", re.IGNORECASE)
_IN_STORY = ("article", "main")
# what precedes the name: a byline's label, or a source's ("Quelle: sid")
_MARKED_LABEL = re.compile(rf"^{_LEAD}(?i:{_LABEL}|quelle|source|fuente|fonte|bron)\s*:?\s+")
_LABEL_INSIDE = re.compile(r"(?<=\s)(?i:by|von|written by|posted by|geschrieben von|autor(?:in|innen|\*in|:in)?|author|auteur|autore"
                           r"|autora|escrito por|scritto da)\s*:?\s+(?=[^\W\d_])")
# a picture's credit, not a writer
_PICTURE_CREDIT = re.compile(r"^(?:fotos?|photos?|bild(?:er)?|images?|credits?|illustration|grafik|video)\b|©|\(c\)",
                             re.IGNORECASE)
# the end of a name in a marked element's text: a separator, a date, "on"/"am" before one
_END_OF_NAME = re.compile(r"\s*(?:[|•·–—/(]|\s-\s|,\s*\d|\s\d|\s(?i:on|am|le|el|il|op|at|um)\s+\d).*$")
_MAX_MARKED_BLOCK = 250  # a byline's length: the names marked in it are one byline's
_MAX_MARKED_LIST = 1000  # a list of the writers, with their roles or affiliations
_MAX_MARKED_NAME = 60


def marked_authors(tree: HtmlElement) -> list[str]:
    """The names of the first byline the markup marks: in the story's container (the <article> or
    <main> around the <h1>) when it holds one, else anywhere outside navigation, asides, comments,
    teasers, widgets and pictures' credits. Several names marked in one byline, or in one list of the
    writers, are all kept ("<a rel=author>A</a> and <a rel=author>B</a>")."""
    candidates = _marked_elements(tree)
    if not candidates:
        return []
    around_headline = _around_headline(tree)
    marked = [e for e in candidates if _writers_place(e, around_headline)]
    members = set(marked)
    story = _story(tree)
    fallback: list[str] = []
    for element in marked:
        if not _marked_names(element, members):
            continue
        if story is None or element is story or story in element.iterancestors():
            return _byline_names(element, marked, members)
        fallback = fallback or _byline_names(element, marked, members)
    return fallback


def _story(tree: HtmlElement) -> HtmlElement | None:
    """The story's container: the <article> or <main> around the first <h1>, else the first <article>
    or <main>; None when the page has neither."""
    headline = first_h1(tree)
    if headline is not None:
        for ancestor in headline.iterancestors():
            if ancestor.tag in _IN_STORY or ancestor.get("role") == "main":
                return ancestor
    for element in tree.iter("article", "main"):
        return element
    return None



def _writers_place(element: HtmlElement, around_headline: set[HtmlElement]) -> bool:
    """Whether the element stands where the story's writer is named: not in navigation, asides,
    comments, teasers, widgets or pictures' credits (whose class or id says so), nor in a footer but
    an article's own, nor inside a link that holds more than the name (a teaser of another story)."""
    own = len(element.text_content())
    in_footer = False
    for node in (element, *element.iterancestors()):
        tag = node.tag
        if tag == "article":
            in_footer = False  # <article><footer>: the story's own, where many themes put the byline
        # what holds the headline holds the story: a <form> around a whole ASP.NET page is no form
        if tag in _PAGE or node in around_headline:
            continue
        if tag in _NOT_THE_WRITERS_TAGS:
            return False
        if tag == "a" and node is not element and len(node.text_content()) > 2 * own + 40:
            return False
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if _NOT_THE_WRITERS.search(marks):
            return False
        in_footer = in_footer or tag == "footer" or bool(_FOOTER.search(marks))
    return not in_footer


def _signature(element: HtmlElement) -> tuple[str, ...]:
    return (str(element.tag), element.get("class") or "", element.get("rel") or "", element.get("itemprop") or "")


def _byline_names(first: HtmlElement, marked: list[HtmlElement], members: set[HtmlElement]) -> list[str]:
    """The names marked in the byline around `first` (its largest ancestor of a byline's length), and
    in the elements marked as `first` is in the list of writers around it."""
    if first.get("data-author"):  # a forum's first post: its writer started the thread
        return _marked_names(first, members)
    block = scope = first
    for ancestor in first.iterancestors():
        if ancestor.tag in _PAGE:
            break
        length = len(normalise_text(ancestor.text_content()))
        if length > _MAX_MARKED_LIST:
            break
        scope = ancestor
        if length <= _MAX_MARKED_BLOCK:
            block = ancestor
    signature = _signature(first)
    names: list[str] = []
    for element in marked:
        if element is first or block in element.iterancestors() or (
                _signature(element) == signature and scope in element.iterancestors()):
            names += _marked_names(element, members)
    return unique_casefold(names)


def _only_by_address(element: HtmlElement) -> bool:
    """A link marked as the writer's only by where it leads."""
    return element.tag == "a" and element.get("rel") is None and element.get("itemprop") is None and not \
        _AUTHOR_CLASS_RE.search(element.get("class") or "")


def _marked_names(element: HtmlElement, members: set[HtmlElement], vouched: bool = False) -> list[str]:
    """The names one marked element gives: those of the marked elements inside it, else its text
    without a byline's label and what follows the name (a date, a separator). A link marked only by
    its address (to the writer's page) must spell a part of the name in it ("Zur Artikelübersicht" is
    no name)."""
    if element.tag == "article" and element.get("data-author"):  # a forum's post: <article data-author="jdoe">
        name = normalise_text(element.get("data-author") or "")
        return [name] if _marked_name(name) else []
    inner = [e for e in element.iterdescendants() if e in members]
    text = normalise_text(element.text_content())
    if inner:  # the container's own text holds its label, the date, a biography: the marked parts say it
        # a byline's short container vouches for the link to the writer's page in it
        vouched = len(text) <= _MAX_CHARS and not _only_by_address(element)
        return unique_casefold(n for e in inner for n in _marked_names(e, members, vouched))
    if _only_by_address(element) and not vouched and not _in_address(text, element.get("href") or ""):
        return []
    named = element.find(".//*[@itemprop='name']")
    if named is not None:
        text = normalise_text(named.get("content") or named.text_content())
    if not text or len(text) > _MAX_CHARS or _PICTURE_CREDIT.search(text):
        return []
    text = _MARKED_LABEL.sub("", text)
    # "Letzte Aktualisierung: 28.01.2022 Autorin Brit Weirich": the name after a label inside
    labelled = _LABEL_INSIDE.search(text)
    if labelled and (labelled[0].strip(" :").casefold() != "von" or _von_is_a_label(text, labelled)):
        text = text[labelled.end():]
    text = _END_OF_NAME.sub("", text).strip(" ,;:.-")
    names = split_names([text])
    # a list of names is names throughout: "University of Somewhere, Department of Economics" is none
    return names if all(_marked_name(n) for n in names) else []


def _von_is_a_label(text: str, von: re.Match[str]) -> bool:
    """Whether a "von" inside a marked text introduces the writer ("Pressemitteilung von Katja Kipping",
    "28.01.2022 von Brit Weirich": a full name after it, or a date before it) or is the name's own
    particle ("Moritz von Uslar", "Ursula von der Leyen": the surname alone after it)."""
    after = [w for w in text[von.end():].split() if w[:1].isupper()]
    return len(after) >= 2 or bool(re.search(r"[\d:]", text[:von.start()]))


def _marked_name(name: str) -> bool:
    """A name, or an account's: one to five words, each capitalised but the particles when more
    than one ("Posted on" is a label)."""
    words = name.split()
    if not 0 < len(words) <= 5 or len(name) > _MAX_MARKED_NAME or "@" in name or not name[0].isalpha():
        return False
    if len(words) > 1 and not all(w[0].isupper() or _PARTICLE.match(w) or "." in w for w in words):
        return False
    return not not_a_name(name)


def _in_address(name: str, href: str) -> bool:
    """Whether a word of the name is spelled in the address of its link ("Jörg Müller",
    "/autoren/joerg-mueller"; "Evan Tepest", "/author/evatepest")."""
    address = _fold(href)
    spelled_out = name.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return any(len(_fold(word)) >= 3 and _fold(word) in address for word in (*name.split(), *spelled_out.split()))


def _fold(text: str) -> str:
    """Letters and digits only, accents dropped, case folded."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))
