"""Main text and metadata of one fetched page: a pure function of (url, body, headers, options).

No Scrapy object crosses into this module, so ``extract_fields`` runs in worker processes and over
responses replayed from WARC snapshots. The page is decoded once (w3lib), parsed once (lxml), and
the same tree serves trafilatura and the JSON-LD / OpenGraph fallbacks.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import lxml.html
import trafilatura
import trafilatura.utils
from lxml.html import HtmlElement
from trafilatura.deduplication import LRUCache
from trafilatura.utils import load_html
from w3lib.encoding import html_to_unicode, http_content_type_encoding

from newsvault.record import canonicalize_url, content_hash, normalise_text, simhash_hex
from pipelines.extract_options import ExtractOptions
from pipelines.extract_worker import NotAnArticle
from pipelines.lxml_classes import use_c_level_lookup

# trafilatura parses pages with its own parser and fragments (readability) with lxml.html's default
use_c_level_lookup((trafilatura.utils.HTML_PARSER, lxml.html.html_parser))


def extract_fields(
    url: str, body: bytes, headers: Mapping[str, str], options: ExtractOptions
) -> dict[str, Any]:
    """The record fields that depend on the page alone; raises NotAnArticle when it holds no article."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"extract_fields needs the absolute http(s) URL of the page, got {url!r}")
    content_type = _header(headers, "content-type")
    _sniff_html(body, content_type)
    html = _decode(body, content_type)
    tree = load_html(html)
    if tree is None or len(tree) == 0:
        raise NotAnArticle("not_html", "lxml found no document")
    page = _PageMeta.from_tree(tree)
    language = page.language or _language_tag(_header(headers, "content-language"))
    if options.target_language and language and language.split("-")[0] != options.target_language:
        raise NotAnArticle("wrong_language", f"page declares {language}")

    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        include_tables=options.include_tables,
        include_comments=options.include_comments,
        include_links=options.include_links,
        deduplicate=LRUCache(maxsize=4096) if options.deduplicate else False,
        # the language check is ours (above): trafilatura's needs an optional language detector
        target_language=None,
    )
    if doc is None:
        raise NotAnArticle("extraction_empty", "trafilatura found no main text")
    meta: dict[str, Any] = doc.as_dict()
    title = _title(_clean(meta.get("title")), page.title)
    text = _clean_text(meta.get("text") or "", title)
    if _prose_chars(text) < max(options.min_prose_chars, 1):
        raise NotAnArticle("extraction_empty", "no paragraph of running text")
    words = len(text.split())
    if words < options.min_words:
        raise NotAnArticle("too_short", f"{words} words < {options.min_words}")

    return {
        "canonical_url": _canonical_url(url, page),
        "title": title,
        "authors": _authors(_split_trafilatura_list(meta.get("author")) or page.authors),
        "published_at": _published_at(meta.get("date"), page.published),
        "modified_at": _first_time(page.modified),
        "language": _language_tag(meta.get("language")) or language,
        "description": _clean(meta.get("description")) or page.description,
        "site_name": _clean(meta.get("sitename")) or page.site_name,
        "tags": _dedupe(_clean_list(meta.get("tags")) or page.tags),
        "categories": _dedupe(_clean_list(meta.get("categories")) or page.categories),
        "image": _absolute(url, _clean(meta.get("image")) or page.image),
        "text": text,
        "word_count": words,
        "content_hash": content_hash(text),
        "simhash": simhash_hex(text),
        "extractor": {
            "name": "trafilatura",
            "version": trafilatura.__version__,
            "options": options.as_dict(),
        },
    }


# --- bytes to tree -------------------------------------------------------------------------------

_NON_HTML_TYPES = re.compile(
    r"^(image|audio|video|font|model)/|^application/(pdf|json|.*\+json|zip|gzip|x-gzip|octet-stream|"
    r"javascript|x-javascript|ecmascript|msword|vnd\.|x-shockwave-flash|rss\+xml|atom\+xml)|^text/(css|javascript|csv|calendar)"
)
_BINARY_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"RIFF",
    b"OggS",
    b"\x00\x00\x01\x00",
)
_HTML_MARKERS = re.compile(
    rb"<(!doctype\s+html|html|head|body|title|meta|link|style|script|noscript|div|p|article|main|section|h1|h2|"
    rb"table|span|a|br|!--)[\s>/]",
    re.IGNORECASE,
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        key_text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key_text.lower() == name:
            if isinstance(value, list | tuple):
                value = value[0] if value else ""
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def _sniff_html(body: bytes, content_type: str | None) -> None:
    """Refuse what is not an HTML document, from the declared type and then the bytes themselves."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if _NON_HTML_TYPES.search(mime):
        raise NotAnArticle("not_html", f"Content-Type {mime}")
    head = body[:8192]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    start = head.lstrip()
    if not start:
        raise NotAnArticle("not_html", "empty body")
    if start.startswith(_BINARY_MAGIC) or start[:1] in (b"{", b"["):
        raise NotAnArticle("not_html", "binary or JSON body")
    if b"\x00" in head and not body.startswith(_BOMS[1:]):
        raise NotAnArticle("not_html", "binary body")
    if not _HTML_MARKERS.search(head if b"\x00" not in head else head.replace(b"\x00", b"")):
        raise NotAnArticle("not_html", "no HTML markup at the start of the body")


# charset_normalizer tells Latin single-byte code pages apart poorly (French in cp1252 comes back
# as Baltic cp1257); for those the WHATWG default for undeclared pages, windows-1252, is right more often.
_LATIN_SINGLE_BYTE = re.compile(
    r"^(cp125[0247]|latin_1|iso8859_(?:[1-49]|1[0345]|16)|mac_\w+|cp(?:437|850|858))$"
)


def _detect_encoding(body: bytes) -> str | None:
    """Used only when neither HTTP, BOM nor <meta> declares an encoding and the body is not UTF-8."""
    best = charset_normalizer.from_bytes(body[:20000]).best()
    if best is None or _LATIN_SINGLE_BYTE.match(best.encoding):
        return "cp1252"
    return best.encoding


def _valid_in(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    except LookupError:
        return True  # an unknown charset is html_to_unicode's to report
    return True


def _decode(body: bytes, content_type: str | None) -> str:
    """HTTP charset first; then a body that is valid UTF-8 is UTF-8; then BOM, <meta charset> and
    detection, as w3lib orders them."""
    # Templates often keep a stale <meta charset="gb2312"> or "iso-8859-1" after a site moved to
    # UTF-8, while text in a legacy multi-byte or 8-bit encoding is practically never valid UTF-8.
    declared = http_content_type_encoding(content_type)
    if declared and not _valid_in(body, declared):
        # A server-wide "charset=utf-8" in front of a legacy page: bytes invalid in the declared
        # encoding prove it wrong, so BOM, <meta> and detection decide instead.
        content_type, declared = None, None
    if not declared and not body.startswith(_BOMS[1:]):
        try:
            return body.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        _encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect_encoding)
    except (LookupError, ValueError) as err:
        raise NotAnArticle("decode_error", str(err)) from err
    sample = text[:20000]
    if sample and sample.count("\ufffd") > max(20, len(sample) // 10):
        raise NotAnArticle("decode_error", "mostly undecodable bytes")
    return text


# --- metadata from markup: JSON-LD, OpenGraph and <meta> ----------------------------------------

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
}


@dataclass
class _PageMeta:
    """What the page declares about itself, JSON-LD first, then OpenGraph / <meta>."""

    canonical: str | None = None
    og_url: str | None = None
    title: str | None = None
    authors: list[str] | None = None
    published: list[str] | None = None
    modified: list[str] | None = None
    language: str | None = None
    description: str | None = None
    site_name: str | None = None
    tags: list[str] | None = None
    categories: list[str] | None = None
    image: str | None = None

    @classmethod
    def from_tree(cls, tree: HtmlElement) -> _PageMeta:
        ld = _jsonld_article(tree)
        meta = _meta_tags(tree)

        def first(*keys: str) -> str | None:
            for key in keys:
                for value in meta.get(key, []):
                    if _clean(value):
                        return _clean(value)
            return None

        def every(*keys: str) -> list[str]:
            return [v for key in keys for v in (_clean(x) for x in meta.get(key, [])) if v]

        publisher = ld.get("publisher")
        return cls(
            canonical=_link_canonical(tree),
            og_url=first("og:url"),
            title=_clean(_text_of(ld.get("headline"))) or first("og:title", "twitter:title"),
            authors=_ld_names(ld.get("author"))
            or [
                a
                for a in every("article:author", "author", "byl", "dc.creator", "sailthru.author")
                if not _is_url(a)
            ],
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
            ),
            modified=[t for t in [_text_of(ld.get("dateModified"))] if t]
            + every("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified"),
            language=_language_tag(tree.get("lang") or tree.get("xml:lang"))
            or _language_tag(first("og:locale", "content-language", "dc.language"))
            or _language_tag(_text_of(ld.get("inLanguage"))),
            description=first("og:description", "description", "twitter:description")
            or _clean(_text_of(ld.get("description"))),
            site_name=first("og:site_name", "application-name")
            or (_clean(_text_of(publisher.get("name"))) if isinstance(publisher, dict) else None),
            tags=_keywords(ld.get("keywords")) or every("article:tag", "news_keywords"),
            categories=_string_list(ld.get("articleSection")) or every("article:section"),
            image=first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
            or _ld_image(ld.get("image")),
        )


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


def _jsonld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        raw = script.text.strip()
        # CMSs wrap JSON-LD in CDATA or HTML comments, and often leave a trailing semicolon
        raw = re.sub(r"^(<!\[CDATA\[|<!--)|(\]\]>|-->)$", "", raw).strip().rstrip(";")
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        yield from _walk_jsonld(data)


def _walk_jsonld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk_jsonld(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk_jsonld(data["@graph"])
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk_jsonld(main)


def _jsonld_types(obj: dict[str, Any]) -> set[str]:
    types = obj.get("@type")
    if isinstance(types, str):
        types = [types]
    return {t.lower().rsplit("/", 1)[-1] for t in types or [] if isinstance(t, str)}


def _jsonld_article(tree: HtmlElement) -> dict[str, Any]:
    objects = list(_jsonld_objects(tree))
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    for obj in objects:
        types = _jsonld_types(obj)
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


def _ld_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and _clean(name) and not _is_url(name):
            names.append(name)
    return names


def _ld_image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return _clean(value) if isinstance(value, str) else None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k for k in (_clean(part) for part in value.split(",")) if k]
    return _string_list(value)


def _string_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [c for c in (_clean(v) for v in items if isinstance(v, str)) if c]


# --- field assembly ------------------------------------------------------------------------------


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = normalise_text(value)
    return cleaned or None


def _clean_list(value: Any) -> list[str]:
    return _string_list(value)


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out


def _is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://", "//", "www."))


def _absolute(base: str, href: str | None) -> str | None:
    if not href:
        return None
    resolved = urljoin(base, href)
    return resolved if resolved.startswith(("http://", "https://")) else None


def _canonical_url(url: str, page: _PageMeta) -> str:
    fetched = urlsplit(url)
    for candidate in (page.canonical, page.og_url):
        resolved = _absolute(url, candidate)
        if not resolved:
            continue
        target = urlsplit(resolved)
        # a canonical pointing at a site root while we fetched a deeper page is a template bug
        # (every page of the site claims to be the homepage): not the article's identity
        if target.path in ("", "/") and not target.query and fetched.path not in ("", "/"):
            continue
        try:
            return canonicalize_url(resolved)
        except ValueError:
            continue
    return canonicalize_url(url)


def _title(found: str | None, declared: str | None) -> str | None:
    # trafilatura may take <title>, with the site's suffix ("Headline | CNN Politics"); the declared
    # headline is the same text without it
    if found and declared and len(declared) < len(found) and found.startswith(declared):
        return declared
    return found or declared


def _split_trafilatura_list(value: Any) -> list[str]:
    # trafilatura joins several authors with "; "
    return [part for part in (value or "").split(";") if part.strip()] if isinstance(value, str) else []


_BY_PREFIX = re.compile(r"^(?:by|von|par|por|door|di|av|af)\s*[:\-]?\s+", re.IGNORECASE)
# "y", "e", "et" are left out: they are also parts of names ("Ortega y Gasset")
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|&|\||\band\b|\bund\b)\s*", re.IGNORECASE)


def _authors(raw: list[str] | None) -> list[str]:
    """Clean person names: 'By A, B and C' gives ['A', 'B', 'C']; duplicates dropped, order kept."""
    names: list[str] = []
    for item in raw or []:
        cleaned = _clean(item)
        if not cleaned:
            continue
        cleaned = _BY_PREFIX.sub("", cleaned)
        for part in _AUTHOR_SEPARATORS.split(cleaned):
            name = _BY_PREFIX.sub("", part.strip(" .,:;-–—")).strip()
            if name and not _is_url(name) and len(name) <= 80 and any(ch.isalpha() for ch in name):
                names.append(name)
    return _dedupe(names)


def _parse_time(value: str) -> datetime | date | None:
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(
            value.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} ", value) else value
        )
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)  # RFC 2822, as some CMSs write it
    except (TypeError, ValueError, IndexError):
        return None


def _first_time(candidates: list[str] | None) -> str | None:
    for candidate in candidates or []:
        parsed = _parse_time(candidate)
        if parsed is not None:
            return parsed.isoformat()
    return None


def _published_at(trafilatura_date: Any, declared: list[str] | None) -> str | None:
    """trafilatura's day (htmldate weighs many signals), made precise by a declared timestamp that
    falls on the same day; a declared timestamp alone when trafilatura found no date."""
    full = _first_time(declared)
    day = trafilatura_date if isinstance(trafilatura_date, str) else None
    if day and _parse_time(day) is not None:
        if full and full[:10] == day[:10]:
            return full
        return day[:10]
    return full


def _language_tag(value: str | None) -> str | None:
    if not value:
        return None
    tag = value.strip().replace("_", "-").split(",")[0].strip()
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", tag):
        return None
    primary, *rest = tag.split("-")
    return "-".join([primary.lower(), *(r.upper() if len(r) == 2 else r for r in rest)])


# --- text ---------------------------------------------------------------------------------------

# Short lines that trafilatura keeps when a theme puts them in plain paragraphs next to the article.
# Matched case-insensitively against a whole line, and only among the first or last lines.
_BOILERPLATE_LINES = re.compile(
    r"^(?:"
    r"share(?: this)?(?: article| story| post| page)?(?: on| via)?(?: facebook| twitter| x| linkedin| whatsapp| e-?mail)?"
    r"|tweet|e-?mail|print|copy link|link copied"
    r"|leave a (?:comment|reply)|add a comment|post a comment|post comment|submit comment|cancel reply"
    r"|\d+\s+comments?|comments?|no comments(?: yet)?|be the first to comment|show comments|view comments"
    r"|join the (?:conversation|discussion)"
    r"|your email address will not be published\.?(?:\s*required fields are marked \*?)?"
    r"|required fields are marked \*?"
    r"|(?:accept|allow|reject)(?: all)? cookies|cookie (?:policy|settings|preferences)|manage cookies"
    r"|\d+\s*min(?:ute)?s?\.? read|reading time:?\s*\d+\s*min(?:ute)?s?\.?"
    r"|advertisement|related(?: articles| stories| posts)?|read more|you may also like|more from .{1,40}"
    r")[\s.:!*]*$",
    re.IGNORECASE,
)
_COOKIE_NOTICE = re.compile(
    r"^(?:this (?:web)?site|we) uses? cookies\b|\bby (?:continuing|using this site)\b.*\bcookies\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…。！？।॥။؟۔\"”’»)\]:;]\s*$")


def _is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE_LINES.match(line)) or (len(line) <= 300 and bool(_COOKIE_NOTICE.search(line)))


def _clean_text(raw: str, title: str | None) -> str:
    lines = [ln for ln in (unicodedata.normalize("NFC", line).strip() for line in raw.splitlines()) if ln]
    lines = [" ".join(line.split()) for line in lines]
    while lines and _is_boilerplate(lines[-1]):
        lines.pop()
    while lines and (
        _is_boilerplate(lines[0])
        # the headline is the record's title; repeated as the first paragraph it is not body text
        or (title is not None and lines[0].casefold() == title.casefold())
    ):
        lines.pop(0)
    return "\n".join(lines)


_SENTENCE_BREAK = re.compile(r"[.!?。！？](?:\s|$)")


def _prose_chars(text: str) -> int:
    """Characters in lines that read as sentences: ending like one, or holding several."""
    return sum(
        len(line)
        for line in text.splitlines()
        if _SENTENCE_END.search(line) or len(_SENTENCE_BREAK.findall(line)) >= 2
    )
