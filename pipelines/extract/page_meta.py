"""What a page declares about itself: JSON-LD first, then OpenGraph and <meta>, and the headline
and publication time as the markup marks them. Read from the parsed tree, before trafilatura."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from htmldate.extractors import try_date_expr
from lxml import etree
from lxml.html import HtmlElement

from core.record import normalise_text
from pipelines.extract.author_ranking import Name, names_a_person
from pipelines.extract.bylines import is_url
from pipelines.extract.jsonld import jsonld_objects, jsonld_types
from pipelines.extract.marked_authors import marked_authors
from pipelines.extract.metadata_ranking import site_names
from pipelines.extract.printed_bylines import bold_name_paragraphs, visible_bylines
from pipelines.extract.text_dates import (
    day_in_words,
    ends_with_update_label,
    is_update_line,
    published_label_end,
)
from pipelines.extract.text_nodes import Piece, texts_after, texts_before


def clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = normalise_text(value)
    return cleaned or None


def language_tag(value: str | None) -> str | None:
    if not value:
        return None
    tag = value.strip().replace("_", "-").split(",")[0].strip()
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", tag):
        return None
    primary, *rest = tag.split("-")
    return "-".join([primary.lower(), *(r.upper() if len(r) == 2 else r for r in rest)])


_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
}


@dataclass
class PageMeta:
    """What the page declares about itself, JSON-LD first, then OpenGraph / <meta>."""

    canonical: str | None = None
    og_url: str | None = None
    ld_headline: str | None = None
    ld_body: str | None = None  # the JSON-LD articleBody as declared, its markup left in (jsonld.jsonld_text)
    og_title: str | None = None
    h1: str | None = None
    h2: str | None = None  # the story's first <h2>, where it has no <h1>: a theme that sets the headline so
    html_title: str | None = None
    ld_authors: list[Name] = field(default_factory=list)
    meta_authors: list[str] = field(default_factory=list)
    marked_authors: list[str] = field(default_factory=list)  # rel=author, itemprop=author, hCard, author links
    bylines: list[str] = field(default_factory=list)  # printed ("By Jane Doe"), not marked up
    publisher: str | None = None
    published: list[str] | None = None
    modified: list[str] | None = None
    shown_times: list[str] = field(default_factory=list)  # <time datetime> of the page, in their offsets
    dateline: str | None = None  # the date printed by the headline (or ending the title), YYYY-MM-DD
    dateline_clock: str | None = None  # the time of day printed with it, HH:MM on a 24-hour clock
    language: str | None = None
    description: str | None = None
    site_name: str | None = None
    owner: str | None = None  # the copyright holder (<meta name=copyright>, JSON-LD copyrightHolder)
    logo_name: str | None = None  # the alt text of the logo that links to the site's home page
    tags: list[str] | None = None
    categories: list[str] | None = None
    image: str | None = None
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # every JSON-LD object, flattened (jsonld.py)

    @classmethod
    def from_tree(cls, tree: HtmlElement, url: str = "") -> PageMeta:
        objects = list(jsonld_objects(tree))
        ld = _jsonld_article(objects)
        # schema.org's CreativeWork names its maker "creator" too; a few themes give only that
        ld_authors = _ld_authors(ld.get("author") or ld.get("creator"))
        meta = _meta_tags(tree)

        def first(*keys: str) -> str | None:
            for key in keys:
                for value in meta.get(key, []):
                    if clean(value):
                        return clean(value)
            return None

        def every(*keys: str) -> list[str]:
            return [v for key in keys for v in (clean(x) for x in meta.get(key, [])) if v]

        publisher = ld.get("publisher")
        publisher_name = clean(_text_of(publisher.get("name"))) if isinstance(publisher, dict) else None
        site = (first("og:site_name"), publisher_name)
        # the markup's writers are looked for only when the JSON-LD names no person in full ("admin", an
        # account's "jdoe", a newsroom's "Web Desk" and the site's own name in any spelling are none): it
        # wins over them; the printed byline always, for the co-writers the JSON-LD leaves out
        names_of_site = site_names(url, *site)
        names_person = any(names_a_person(n, names_of_site) for n in ld_authors)
        return cls(
            canonical=_link_canonical(tree),
            og_url=first("og:url"),
            ld_headline=clean(_text_of(ld.get("headline"))),
            ld_body=body if isinstance(body := ld.get("articleBody"), str) and body.strip() else None,
            og_title=first("og:title", "twitter:title"),
            h1=_h1(tree),
            h2=_story_h2(tree),
            html_title=clean(tree.findtext(".//title")),
            ld_authors=ld_authors,
            meta_authors=[a for a in every("article:author", "author", "byl", "dc.creator", "sailthru.author")
                          if not is_url(a)],
            marked_authors=[] if names_person else marked_authors(tree),
            bylines=visible_bylines(tree, site) or ([] if names_person else bold_name_paragraphs(tree)),
            publisher=publisher_name or first("dc.publisher", "dcterms.publisher"),
            published=[t for t in [_text_of(ld.get("datePublished"))] if t]
            + every(
                "article:published_time",
                "og:article:published_time",
                "datepublished",
                "pubdate",
                "publishdate",
                "dc.date.issued",
                "sailthru.date",
                "parsely-pub-date",
            )
            + _marked_publication_times(tree),
            shown_times=_shown_times(tree),
            **_dateline(tree, [t for t in (first("og:title"), clean(tree.findtext(".//title"))) if t],
                        month_first=_writes_month_first(tree.get("lang") or first("og:locale"))),
            modified=[t for t in [_text_of(ld.get("dateModified"))] if t]
            + every("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified"),
            language=language_tag(tree.get("lang") or tree.get("xml:lang"))
            or language_tag(first("og:locale", "content-language", "dc.language"))
            or language_tag(_text_of(ld.get("inLanguage"))),
            description=first("og:description", "description", "twitter:description")
            or clean(_text_of(ld.get("description"))),
            owner=_holder(first("copyright", "dc.rights") or _text_of(ld.get("copyrightHolder"))),
            logo_name=_logo_name(tree, url),
            site_name=first("og:site_name", "application-name")
            or (clean(_text_of(publisher.get("name"))) if isinstance(publisher, dict) else None),
            tags=_keywords(ld.get("keywords")) or every("article:tag", "news_keywords"),
            categories=string_list(ld.get("articleSection")) or every("article:section"),
            image=first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
            or _ld_image(ld.get("image")),
            jsonld=objects,
        )


def drop_cut_meta_values(tree: HtmlElement) -> None:
    """Take out the value of every <meta> an unescaped quote cut short, for this module and
    trafilatura alike: the parser ends the value at the quote and reads the rest as attribute names
    (content="Biden de "incapacitado"" is the content "Biden de " beside an attribute 'incapacitado""')."""
    for element in tree.iter("meta"):
        if "content" in element.attrib and any('"' in name for name in element.attrib):
            del element.attrib["content"]


def _meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = (
            element.get("property")
            or element.get("name")
            or element.get("itemprop")
            or element.get("http-equiv")
        )
        content = element.get("content")
        if key and content:
            found.setdefault(key.strip().lower(), []).append(content)
    return found


def _link_canonical(tree: HtmlElement) -> str | None:
    for element in tree.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and (element.get("href") or "").strip():
            return str(element.get("href")).strip()
    return None


def _jsonld_article(objects: list[dict[str, Any]]) -> dict[str, Any]:
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    for obj in objects:
        types = jsonld_types(obj)
        if types & _ARTICLE_TYPES or any(t.endswith("newsarticle") for t in types):
            # resolve @id references (Yoast-style graphs point at Person / Organization nodes)
            return {k: _resolve(v, by_id) for k, v in obj.items()}
    return {}


def _resolve(value: Any, by_id: Mapping[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_resolve(v, by_id) for v in value]
    if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in by_id:
        return by_id[value["@id"]]
    return value


def _text_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return _text_of(value[0])
    if isinstance(value, dict):
        return _text_of(value.get("@value") or value.get("name"))
    return None


def _ld_authors(value: Any) -> list[Name]:
    """JSON-LD authors with what they are: a Person (or untyped) or an Organization."""
    items = value if isinstance(value, list) else [value]
    found: list[Name] = []
    for item in items:
        name = _person_name(item) if isinstance(item, dict) else item
        if not isinstance(name, str) or not clean(name) or is_url(name):
            continue
        organisation = isinstance(item, dict) and bool(jsonld_types(item) & {"organization", "newsmediaorganization"})
        found.append(Name(name, organisation=organisation))
    return found


def _person_name(item: Mapping[str, Any]) -> Any:
    """The name a JSON-LD person gives: "name", or its given and family names where it has none."""
    name = item.get("name")
    if name or not isinstance(given := item.get("givenName"), str) or not isinstance(family := item.get("familyName"), str):
        return name
    return f"{given} {family}"


def _logo_name(tree: HtmlElement, url: str) -> str | None:
    """The alt text of the first image in a link to the site's home page: its logo, which names the
    site where no tag does ("China Business Weekly" on en.chinabizweekly.com, whose <title> ends
    "_China Business Weekly")."""
    host = urlsplit(url).netloc.lower()
    for link in _LINKS_AROUND_IMAGES(tree):
        if not _home_address(link.get("href") or "", host):
            continue
        image = next(link.iter("img"), None)
        if image is None:
            continue
        alt = _LOGO_WORD.sub("", normalise_text(image.get("alt") or "")).strip(" -|:")
        return alt if 2 < len(alt) <= _LOGO_NAME_MAX_CHARS and alt.casefold() not in _NO_NAME else None
    return None


def _home_address(href: str, host: str) -> bool:
    """"/", "./", "/index.html", "https://host/": string tests, as most links on a page are none."""
    href = href.strip()
    if href in _HOME_LINKS:
        return True
    if not host or "?" in href:
        return False
    address = href.lower().removeprefix("https:").removeprefix("http:")
    return address.removeprefix("//").rstrip("/") == host and address.startswith("//")


_LINKS_AROUND_IMAGES = etree.XPath(".//a[@href][.//img]")
_HOME_LINKS = frozenset({"/", "./", "/index.html", "/index.php", "index.html"})
_LOGO_WORD = re.compile(r"(?i)^(?:logo(?: of)?|the logo of)\s+|\s+(?:logo|home(?:page)?)$")
_NO_NAME = frozenset({"logo", "home", "homepage", "startseite", "accueil", "inicio", "site logo", "header logo"})
_LOGO_NAME_MAX_CHARS = 60


def _h1_element(tree: HtmlElement) -> HtmlElement | None:
    """The visible headline: the article's first <h1>, else the page's."""
    for path in (".//article//h1", ".//main//h1", ".//h1"):
        for element in tree.iterfind(path):
            text = clean(element.text_content())
            if text and len(text) <= 300:
                return element
    return None


_STORY_H2 = etree.XPath("(.//article//h2 | .//main//h2)[1]")
_HEADLINE_MAX_CHARS = 300


def _story_h2(tree: HtmlElement) -> str | None:
    """The first <h2> of the story's container (<article>, <main>), when the page has no <h1> there."""
    if next(tree.iterfind(".//article//h1"), None) is not None or next(tree.iterfind(".//main//h1"), None) is not None:
        return None
    found = _STORY_H2(tree)
    text = clean(_headline_text(found[0])) if found else None
    return text if text and len(text) <= _HEADLINE_MAX_CHARS else None


def _h1(tree: HtmlElement) -> str | None:
    element = _h1_element(tree)
    return clean(_headline_text(element)) if element is not None else None


# elements that break a headline's line where they stand ("Harbour plan<br>approved", "<div>Harbour
# plan</div><div>approved</div>"): a space, where text_content() runs the words together
_LINE_BREAKS = frozenset({"br", "div", "p", "small", "h1", "h2", "h3", "h4", "h5", "h6", "li"})


def _headline_text(element: HtmlElement) -> str:
    """The element's text as a browser shows it on one line: its line breaks as spaces."""
    parts: list[str] = []
    _add_headline_text(element, parts)
    return "".join(parts)


def _add_headline_text(element: HtmlElement, parts: list[str]) -> None:
    breaks = element.tag in _LINE_BREAKS
    if breaks:
        parts.append(" ")
    if isinstance(element.tag, str):  # (a comment's text is no text shown; its tail is)
        parts.append(element.text or "")
        for child in element:
            _add_headline_text(child, parts)
            parts.append(child.tail or "")
    if breaks:
        parts.append(" ")


def _marked_publication_times(tree: HtmlElement) -> list[str]:
    """<time> and other elements marked as the publication (microdata, the old pubdate attribute)."""
    times = []
    for element in tree.iter("time", "meta", "span", "div"):
        if element.get("itemprop") == "datePublished" or (element.tag == "time" and element.get("pubdate") is not None):
            value = element.get("datetime") or element.get("content")
            if value and value.strip():
                times.append(value.strip())
    return times


_NOT_THE_HOLDER = re.compile(r"copyright|\(c\)|©|all rights reserved|\d{4}(?:\s*[-–]\s*\d{4})?", re.IGNORECASE)


def _holder(notice: str | None) -> str | None:
    """"Copyright (c) Example Media Group 2023. All rights reserved." -> "Example Media Group"."""
    if not notice:
        return None
    holder = " ".join(_NOT_THE_HOLDER.sub(" ", notice).split()).strip(" .,;:-")
    return holder if 2 <= len(holder) <= 60 else None


_MAX_SHOWN_TIMES = 20


_UPDATED_CLASS = re.compile(r"updated|modified", re.IGNORECASE)


def _shown_times(tree: HtmlElement) -> list[str]:
    """The machine-readable times of the page's <time> elements (the first few) that may be the story's
    publication: not the last change ("Updated <time>", itemprop=dateModified, class "updated"), not
    a list of other stories' teasers with their days (_outside_the_story)."""
    times = []
    for element in tree.iter("time"):
        value = (element.get("datetime") or "").strip()
        if not value or _changed_time(element) or _outside_the_story(element):
            continue
        times.append(value)
        if len(times) >= _MAX_SHOWN_TIMES:
            break
    return times


def _outside_the_story(element: HtmlElement) -> bool:
    """In a list of other stories' teasers, each with its day: an aside, the navigation or the page's
    footer holding several <time>s (an <article>'s own footer is the story's, and an aside with one
    <time> is the story's box of facts: themes print the post's day in both)."""
    ancestors = list(element.iterancestors())
    in_article = any(a.tag == "article" for a in ancestors)
    return any((a.tag in ("aside", "nav") or (a.tag == "footer" and not in_article)) and _SEVERAL_TIMES(a)
               for a in ancestors)


_SEVERAL_TIMES = etree.XPath("count(.//time) > 1")


def _changed_time(element: HtmlElement) -> bool:
    """Whether the <time> gives the day the page was last changed."""
    classes = element.get("class") or ""
    # (WordPress marks a post never changed "entry-date published updated": both at once)
    if element.get("itemprop") == "dateModified" or (_UPDATED_CLASS.search(classes) and "published" not in classes):
        return True
    previous = element.getprevious()
    parent = element.getparent()
    before = (previous.tail if previous is not None else parent.text if parent is not None else None) or ""
    if not before.strip() and previous is not None:  # "<span>Updated</span> <time>"
        before = previous.text_content()
    return ends_with_update_label(before.strip())


# the few text pieces after the headline: where a page prints its dateline ("Stand: 28.04.2020 18:00",
# "By Jane Doe | 29 April 2020"), before the story and the teasers of other stories, which carry theirs
_AFTER_HEADLINE = 8
# or just above it, beside the kicker ("Politik | 28.04.2020")
_BEFORE_HEADLINE = 2
_EARLIEST = datetime(1995, 1, 1)
# "Headline | Europe | DW | 28.04.2023": a title ending in the day of the story
_TITLE_DATE = re.compile(r"\s[|\-–—·•/]\s*(\d{1,4}[./-]\d{1,2}[./-]\d{1,4})\s*$")


def _around(headline: HtmlElement) -> Iterator[Piece]:
    yield from texts_after(headline, _AFTER_HEADLINE)
    yield from texts_before(headline, _BEFORE_HEADLINE)  # looked through only when no date follows


def _headline_element(tree: HtmlElement, titles: list[str]) -> HtmlElement | None:
    """The first <h1> or <h2> that makes most of the og:title or the <title>: the story's headline,
    where the first <h1> is the site's logo or the section's name; else the first <h1>."""
    folded = [" ".join(t.split()).casefold() for t in titles]
    for element in tree.iter("h1", "h2"):
        text = " ".join(element.text_content().split()).casefold()
        # most of the title: not the site's name or a section's, which titles hold too
        if len(text) >= 10 and any(text in title and 2 * len(text) >= len(title) for title in folded):
            return element
    return _h1_element(tree)


_SENTENCE_MIN_WORDS = 6
_CLOCK_HALF_AT_END = re.compile(r"\s[ap]\.m\.$", re.IGNORECASE)


def _is_sentence(text: str) -> bool:
    text = _CLOCK_HALF_AT_END.sub("", text.strip())  # "... at 6:45 p.m." ends a dateline, not a sentence
    return text.endswith((".", "!", "?", "。")) and len(text.split()) >= _SENTENCE_MIN_WORDS


# "22:41", "5:45 PM", "10:07 a.m.": a clock time, seconds and all; "15.59" and "3.5" are not told from dates,
# but "12.05am" (Nine's Australian papers) and "18.45 Uhr" say what they are
_CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?![\d:])(?:\s*([ap])\.?\s?m\b\.?)?|"
                    r"(?<![\d.:])([01]?\d|2[0-3])\.([0-5]\d)(?![\d.])(?:\s*([ap])\.?\s?m\b\.?|(?=\s*(?:uhr|h)\b))", re.I)


def _clock(piece: str) -> str | None:
    """The clock time the dateline prints: the publication's where it also prints the update's ("Updated
    May 25, 2026 — 2.22am, first published May 25, 2026 — 12.05am")."""
    if not (match := _CLOCK.search(piece, published_label_end(piece)) or _CLOCK.search(piece)):
        return None
    hour, minute, half = (int(match[1]), match[2], match[3]) if match[1] else (int(match[4]), match[5], match[6])
    half = (half or "").lower()
    if half and not 1 <= hour <= 12:
        return None
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    return f"{hour:02d}:{minute}"


# "03/12/2024": the 12th of March in the United States, the 3rd of December everywhere else (and in
# htmldate, which reads day first where both numbers could be the month)
_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")


def _writes_month_first(locale: str | None) -> bool:
    return (locale or "").strip().casefold().replace("_", "-") == "en-us"


def _month_first_day(piece: str) -> str | None:
    """The day of a slash date that could be read either way, read month first."""
    if not (match := _SLASH_DATE.search(piece)) or int(match[2]) > 12:
        return None
    try:
        return date(int(match[3]), int(match[1]), int(match[2])).isoformat()
    except ValueError:
        return None


def _dateline(tree: HtmlElement, titles: list[str], month_first: bool = False) -> dict[str, str | None]:
    """The first date written in the text right after the headline, or just before it, as htmldate
    reads dates in text (numbers, month first on a page in American English, or a month's name in
    several languages; none after today), with the
    time of day printed beside it; else a date that ends the page's title: the day the page shows."""
    headline = _headline_element(tree, titles)
    latest = datetime.now().replace(hour=23, minute=59, second=59, microsecond=0)  # a key htmldate's cache reuses
    before = ""
    for piece, holder, _ in _around(headline) if headline is not None else ():
        # the day after an update's label in the text before it ("Updated <time>May 25, 2026 — 2.22am</time>,
        # first published <time>...")
        after_update, before = ends_with_update_label(before), piece
        # (a tail's holder is the element it follows: text after a </script> is passed over too)
        if not isinstance(holder.tag, str) or holder.tag in ("script", "style", "noscript"):
            continue
        # (another story's teaser in a list of them, with its day)
        if _outside_the_story(holder):
            continue
        # a sentence of the article ("Am 11. März 2011 bebte die Erde in Japan.") tells of another
        # day; a dateline is short, or a list of labels ("29.11.2022 | Bioenergie, Politik, ...")
        if _is_sentence(piece):
            continue
        # the day the page was last changed is not the day it was published
        if is_update_line(piece) or after_update:
            continue
        # the quick parsers only: dateparser, htmldate's extensive search, costs milliseconds a piece
        day = (month_first and _month_first_day(piece)) or try_date_expr(piece, "%Y-%m-%d", False, _EARLIEST, latest) \
            or day_in_words(piece, _EARLIEST, latest)
        if day:
            return {"dateline": day, "dateline_clock": _clock(piece)}
    for title in titles:
        if match := _TITLE_DATE.search(title):
            return {"dateline": try_date_expr(match[1], "%Y-%m-%d", False, _EARLIEST, latest)}
    return {}


def _ld_image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return clean(value) if isinstance(value, str) else None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k for k in (clean(part) for part in value.split(",")) if k]
    return string_list(value)


def string_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [c for c in (clean(v) for v in items if isinstance(v, str)) if c]
