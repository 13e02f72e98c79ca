"""A fetched page's bytes as the tree every part of extraction reads: refused when not HTML, decoded,
parsed once.

The parse is trafilatura's `load_html` (utils.py) for a decoded page, step by step, with one step
skipped where it cannot change anything: `repair_faulty_html` first deletes the control characters
XML forbids, with a regex substitution over the whole page: about 1 ms for an average page (265
KiB), over 5% of extraction's CPU, on pages that hardly ever hold one (2 of the 1104 corpus pages).
A page decoded straight from UTF-8 is looked at as bytes instead, with numpy (about 0.15 ms); only a
page that holds one, or that was decoded another way, goes through the substitution. Everything
else is trafilatura's, in its order, with its own parser and patterns (tests/test_hooks.py names
them).

One step is added: a `<script ... />` or `<style ... />` is opened, not closed, as browsers read it
(HTML has no self-closing script or style: the slash is ignored), so the code up to its
`</script>` stays code. libxml2 closes it on the slash, and the code became the page's text
("document.addEventListener(..." in a recipe's record).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import charset_normalizer
import numpy as np
from lxml.html import HtmlElement, fromstring
from trafilatura.utils import (
    DOCTYPE_TAG,
    FAULTY_HTML,
    HTML_PARSER,
    fromstring_bytes,
    is_dubious_html,
    repair_faulty_html,
)
from w3lib.encoding import html_to_unicode, http_content_type_encoding

from pipelines.extract.result import NotAnArticle


def page_tree(body: bytes, content_type: str | None) -> HtmlElement:
    """The page's tree; raises NotAnArticle when the bytes are no HTML document or decode to none."""
    _sniff_html(body, content_type)
    html, scrubbed = _decode(body, content_type)
    tree = _load_html(html, scrubbed)
    if tree is None or len(tree) == 0:
        raise NotAnArticle("not_html", "lxml found no document")
    return tree


# "<script src=... />": a start tag to a browser, an empty element to libxml2
_SELF_CLOSED_RAW_TEXT = re.compile(r"<(script|style)\b([^>]*?)\s*/>", re.IGNORECASE)


def _load_html(html: str, scrubbed: bool) -> HtmlElement | None:
    """trafilatura.utils.load_html(html) for a decoded page; `scrubbed`: the page is known to hold none
    of the characters repair_faulty_html deletes."""
    html = _SELF_CLOSED_RAW_TEXT.sub(r"<\1\2>", html)
    beginning = html[:50].lower()
    check_flag = is_dubious_html(beginning)
    html = _repair_markup(html, beginning) if scrubbed else repair_faulty_html(html, beginning)
    fallback_parse = False
    tree = None
    try:
        tree = fromstring(html, parser=HTML_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = fromstring_bytes(html)
        fallback_parse = True
    except Exception:  # noqa: BLE001  (trafilatura logs and goes on to the bytes)
        pass
    if (tree is None or len(tree) < 1) and not fallback_parse:
        tree = fromstring_bytes(html)
    if tree is not None and check_flag and len(tree) < 2:
        return None
    return tree


def _repair_markup(html: str, beginning: str) -> str:
    """repair_faulty_html without its first step, the deletion of forbidden characters."""
    if "doctype" in beginning:
        firstline, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", html, count=1)
    return html


def _holds_forbidden_characters(utf8: bytes) -> bool:
    """Whether UTF-8 text holds a character repair_faulty_html deletes (the controls but tab, newline and
    carriage return; U+FFFE, U+FFFF): a control byte, or the bytes EF BF BE or EF BF BF. (A few numpy
    passes over the bytes cost a sixth of the substitution; bytes.count and `in` cost as much as it.)"""
    codes = np.frombuffer(utf8, dtype=np.uint8)
    allowed = np.count_nonzero(codes == 0x09) + np.count_nonzero(codes == 0x0A) + np.count_nonzero(codes == 0x0D)
    if np.count_nonzero(codes < 0x20) != allowed:
        return True
    lead = np.flatnonzero(codes[:-2] == 0xEF)
    return bool(lead.size and ((codes[lead + 1] == 0xBF) & (codes[lead + 2] >= 0xBE)).any())


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


def header(headers: Mapping[str, Any], name: str) -> str | None:
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


def _decode(body: bytes, content_type: str | None) -> tuple[str, bool]:
    """HTTP charset first; then a body that is valid UTF-8 is UTF-8; then BOM, <meta charset> and
    detection, as w3lib orders them. And whether the text is known to hold no character XML forbids
    (a UTF-8 page, looked at as bytes)."""
    # Templates often keep a stale <meta charset="gb2312"> or "iso-8859-1" after a site moved to
    # UTF-8, while text in a legacy multi-byte or 8-bit encoding is practically never valid UTF-8.
    declared = http_content_type_encoding(content_type)
    if declared and not _valid_in(body, declared):
        # A server-wide "charset=utf-8" in front of a legacy page: bytes invalid in the declared
        # encoding prove it wrong, so BOM, <meta> and detection decide instead.
        content_type, declared = None, None
    if not declared and not body.startswith(_BOMS[1:]):
        try:
            text = body.decode("utf-8").removeprefix("\ufeff")
            return text, not _holds_forbidden_characters(body)
        except UnicodeDecodeError:
            pass
    try:
        encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect_encoding)
    except (LookupError, ValueError) as err:
        raise NotAnArticle("decode_error", str(err)) from err
    sample = text[:20000]
    if sample and sample.count("\ufffd") > max(20, len(sample) // 10):
        raise NotAnArticle("decode_error", "mostly undecodable bytes")
    return text, encoding in _UTF8 and not _holds_forbidden_characters(body)


_UTF8 = {"utf-8", "utf8", "utf-8-sig"}


