"""The title chosen from every signal the page gives, ranked, and the site's names.

A page says its headline several times: JSON-LD `headline`, `og:title`, the `<h1>`, the `<title>`.
The last two usually carry the site's name ("Headline | Example Zeitung", "Headline - Example.de"),
and JSON-LD headlines are sometimes cut short for search engines. So every candidate is stripped of
the site's name first (whatever the separator, full-width bars included), then the first present in
that order wins, unless the `<h1>` is the same headline uncut. A JSON-LD headline or og:title that is
the story's first paragraph or the page's description (a CMS filling it so) is none.

The site's names (`site_names`, `is_site`: its declared name, its host, a name its host abbreviates, a
part of its declared name) are told here, for the titles and for author_ranking.py.
Authors: author_ranking.py; the publication time: publication_time.py.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from pipelines.extract.bylines import BY_PREFIX
from pipelines.extract.line_keys import alnum_key
from pipelines.extract.literal_gate import gated

# Separators between a headline and the site's name. Spaces around the ASCII ones: "COVID-19" is a word.
# A bar needs no spaces ("NEWS WEB EASY|Headline"); Korean sites write it as the letter ㅣ, which
# Korean text never holds alone.
# (the unspaced "_" and "--" of Chinese CMSs' titles: DedeCMS writes "Headline_Example Weekly", "Headline--Section--Site")
_SEPARATORS = gated(re.compile(r"\s+[|\-–—:·•»«›‹/]{1,2}\s+|\s*[|｜‖│ㅣ]\s*|\s+::\s+|(?<=\S)(?:_|--)(?=\S)"))
# the site's name before the headline and a colon, as a kicker stands ("Example Site: Headline"): taken
# off only when the part before the colon is the site's name itself (a kicker holding the host's name,
# "Skibergsteigen: ..." on bergsteigen.com, is the headline's)
_SITE_COLON = re.compile(r"^([^:|]{2,40}):\s+(?=\S)")
# the words a site's name adds to its host's label ("RNZ News" of rnz.co.nz, "Example Online")
_NAME_WORDS = frozenset({"news", "online", "digital", "tv", "radio", "live", "today", "nachrichten", "noticias",
                         "notizie", "nieuws", "nyheter", "uutiset"})
# an article opening the site's name, which its host leaves out ("The New York Example" of nyexample.com)
_ARTICLES = frozenset({"the", "der", "die", "das", "le", "la", "les", "el", "il", "lo", "o", "a", "de", "het"})

# the author after the headline with no separator: "Mandarinen-Schmand-Kuchen von jesusfreak"
_BYLINE_TAIL = re.compile(r"\s+(?i:by|von|par|por)\s+([\w.'’-]+(?:\s+[\w.'’-]+){0,2})")
# the site's name in brackets closing the title: "Headline (example news)"
_SITE_ASIDE = re.compile(r"\s+\(([^()]{2,40})\)$")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
# "28.04.2023", "2023-04-28 10:00": a date after the headline is the page's, not the headline's
_DATE_SEGMENT = re.compile(r"^[\d\s./:-]{6,}$")


def site_names(url: str, *declared: str | None) -> list[str]:
    """The names a site goes by: what it declares (og:site_name, its publisher) and its host's name."""
    names = [d for d in declared if d]
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = [label for label in host.split(".") if label]
    if labels:
        # "derstandard.at" -> "derstandard"; "bbc.co.uk" -> "bbc"
        main = labels[-3] if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else \
            labels[-2] if len(labels) >= 2 else labels[0]
        names += [host, main]
    return names


def is_site(segment: str, names: Sequence[str]) -> bool:
    key = alnum_key(segment)
    if not key:
        return False
    words: list[str] | None = None
    for name in names:
        other = alnum_key(name)
        if not other:
            continue
        if key == other:
            return True
        # "LN" of "LN - Lübecker Nachrichten": a part of the declared name between its separators; "EN"
        # of "Example News": its initials
        if " " in name and (any(alnum_key(part) == key for part in _SEPARATORS.split(name))
                            or (len(key) >= 2 and key == "".join(w[0] for w in map(alnum_key, _WORDS.findall(name)) if w))):
            return True
        # "Deutsche Welle (www.dw.com)": the site's host after the name
        if "(" in segment and "." in name and " " not in name and re.search(
                rf"\((?:https?://)?(?:www\.)?{re.escape(name.casefold())}/?\)", segment.casefold()):
            return True
        if " " not in name and "." not in name:
            # the host's label made from the name: its initials ("dw", Deutsche Welle) or the first
            # letters of each word ("lestimes", Lesotho Times)
            words = words if words is not None else [alnum_key(w) for w in _WORDS.findall(segment)]
            if len(words) >= 2 and len(other) >= 2 and (_abbreviates(other, words) or (
                    len(words) >= 3 and words[0] in _ARTICLES and _abbreviates(other, words[1:]))):
                return True
            # "RNZ News": the host's label and a word a site's name adds
            if _label_and_name_word(key, other):
                return True
        # "Example DIGITAL", "EXAMPLE.de": the site's name and a word or two of its own
        if len(other) >= 5 and other in key and len(segment.split()) <= 4 and len(key) <= len(other) + 12:
            return True
        if len(key) >= 6 and key in other and len(key) >= 0.8 * len(other):  # "Standard" for "Der Standard"
            return True
    return False


_WORDS = re.compile(r"[^\W_]+")


def names_the_site(segment: str, names: Sequence[str]) -> bool:
    """Whether the segment is one of the site's names, or its host's label and a word a name adds."""
    key = alnum_key(segment)
    others = [other for name in names if (other := alnum_key(name))]
    return bool(key) and any(key == other or _label_and_name_word(key, other) for other in others)


def _label_and_name_word(key: str, label: str) -> bool:
    """Whether `key` is the host's `label` with a word a site's name adds, before or after it ("rnznews")."""
    return len(label) >= 2 and any(key in (label + word, word + label) for word in _NAME_WORDS)


def _abbreviates(label: str, words: Sequence[str]) -> bool:
    """Whether `label` is a beginning of each word, in order: "dw" of Deutsche Welle, "lestimes"."""
    if not words:
        return not label
    first = words[0]
    return any(label[:k] == first[:k] and _abbreviates(label[k:], words[1:])
               for k in range(min(len(first), len(label)), 0, -1))


def title_affixes(title: str | None) -> list[str]:
    """The outer segments of a title split at its separators, the headline (its longest part) left out:
    where a site puts its name, its section or a kicker ("Headline | Politics | Example Gazette")."""
    parts = [p.strip() for p in _SEPARATORS.split(title or "")]
    if len(parts) < 2:
        return []
    longest = max(parts, key=len)
    return [p for p in dict.fromkeys((parts[0], parts[-1])) if p and p is not longest and not BY_PREFIX.match(p)]


def holds_title_headline(name: str, title: str | None, names: Sequence[str]) -> bool:
    """Whether `name` (what an extractor took for the site's name) is the headline part of the title
    (its longest part between separators that is not one of the site's `names`): "Headline" of
    "Headline | Example"; or holds it and a sentence's end, which no site's name does ("A sentence.
    Another? - Magazin" of "... | Example"). In "Wahl | Example Zeitung" the headline is "Wahl"."""
    parts = [p.strip() for p in _SEPARATORS.split(title or "")]
    headlines = [p for p in parts if p and not is_site(p, names)]
    if len(parts) < 2 or not headlines:
        return False
    headline = max(headlines, key=len).casefold()
    name = name.casefold()
    return name == headline or (headline in name and bool(_SENTENCE_END_INSIDE.search(name)))


_SENTENCE_END_INSIDE = re.compile(r"\w[.?!]\s+\w")


def strip_site_affix(title: str, names: Sequence[str], authors: Sequence[str] = ()) -> str:
    """The headline without the site's name (and a "by Author" part) before or after it."""
    aside = _SITE_ASIDE.search(title)
    if aside and is_site(aside.group(1), names):
        title = title[:aside.start()]
    colon = _SITE_COLON.match(title)
    if colon and names_the_site(colon.group(1), names) and len(title) - colon.end() > len(colon.group(1)):
        title = title[colon.end():]
    parts = _SEPARATORS.split(title)
    split_into = len(parts)
    if split_into < 2:
        return title
    author_keys = {alnum_key(a) for a in authors if a}

    def removable(segment: str, *, byline: bool = True) -> bool:
        segment = segment.strip()
        if is_site(segment, names) or _DATE_SEGMENT.match(segment):
            return True
        if not byline:  # before the headline, "Von der Leyen", "Di Maio", "Por la paz" are no bylines
            return False
        return (bool(author_keys) and alnum_key(BY_PREFIX.sub("", segment)) in author_keys) or (
            bool(BY_PREFIX.match(segment)) and len(segment.split()) <= 5)

    # the site's name after the headline takes what follows it along: its slogan, a section, a page
    # number, however long ("Headline – Example News – Die Nachrichten aus der Region")
    site_at = next((i for i, p in enumerate(parts) if i and is_site(p.strip(), names)), None)
    if site_at is not None and not is_site(parts[0].strip(), names):
        parts = parts[:site_at + 1]
    # the headline is the longest part that is not the site's name ("example-verbraucher.de | Gaspreise"):
    # never taken for the site's name
    longest = max((p for p in parts if not is_site(p.strip(), names)), key=len, default=None)
    if longest is None:
        return title
    while len(parts) > 1 and parts[-1] is not longest and removable(parts[-1]):
        parts.pop()
    while len(parts) > 1 and parts[0] is not longest and removable(parts[0], byline=False):
        parts.pop(0)
    if len(parts) == split_into:
        return title
    # put back what the split took between the parts that stay
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else title


@dataclass(frozen=True)
class TitleSignals:
    jsonld: str | None = None
    og: str | None = None
    h1: str | None = None
    html_title: str | None = None
    extracted: str | None = None  # trafilatura's pick
    h2: str | None = None  # the story's first <h2>, where it has no <h1>
    # the story's first paragraph and the page's description: a CMS that fills the JSON-LD headline or
    # the og:title with them names no headline there
    standfirsts: tuple[str, ...] = ()


def _unescaped(value: str | None) -> str | None:
    """A title whose entities were escaped twice by the CMS ("R&amp;uuml;ckbau") decoded once more."""
    if not value:
        return None
    return " ".join(html.unescape(value).split()) if _ENTITY.search(value) else value


def _without_tail_of_another(candidate: str, others: Sequence[str | None], authors: Sequence[str] = ()) -> str:
    """`candidate` cut to another of the page's headline signals when it is that signal plus a
    separator and a tail: the tail is the site's name, a section or a date, whatever it says ("Headline
    › Example Blog"); or plus the page's author ("Headline von jane", where "Rücktritt von Olaf Scholz"
    goes on past an <h1> "Rücktritt")."""
    author_keys = {alnum_key(a) for a in authors if a}
    for other in others:
        if other and len(other) < len(candidate) and candidate.startswith(other):
            rest = candidate[len(other):]
            if _SEPARATORS.match(rest):
                return other
            byline = _BYLINE_TAIL.fullmatch(rest)
            if byline and alnum_key(byline.group(1)) in author_keys:
                return other
    return candidate


def best_title(signals: TitleSignals, names: Sequence[str], authors: Sequence[str] = ()) -> str | None:
    raw = [_unescaped(v) for v in (signals.jsonld, signals.og, signals.h1, signals.html_title, signals.extracted)]

    def clean(value: str | None) -> str | None:
        if not value:
            return None
        # an og:title the <h1> repeats word for word is the headline as the page shows it, whatever
        # name it starts with ("Welpen kaufen – Tipps zu jeder Hunderasse" of a site named "Welpen")
        if not (raw[1] and raw[1] == raw[2] == value):
            value = strip_site_affix(value, names, authors)
        # not trafilatura's pick: a <title> fallback cut at a colon is half a headline, not a whole one
        return _without_tail_of_another(value, [r for r in raw[:4] if r and r != value], authors)

    cleaned = [clean(v) for v in raw]
    if signals.standfirsts and (cleaned[2] or cleaned[3]):
        cleaned[:2] = [None if _is_standfirst(c, signals.standfirsts) else c for c in cleaned[:2]]
    # a signal that is the site's name alone ("og:title" = "Example Blog") names no story; nor does the
    # <title> then, and the story's <h2> is its headline (a theme with no <h1> in the story)
    story = _first_headline([c if c and not is_site(c, names) else None for c in cleaned], raw[3])
    if story is None and (h2 := _unescaped(signals.h2)) and not is_site(h2, names):
        return h2
    return story or _first_headline(cleaned, raw[3])


# a sentence of the story as long as this is no headline cut short
_STANDFIRST_MIN_CHARS = 60
# a paragraph's end, not a question's or an exclamation's: headlines end so as often, and the
# description of many sites repeats them
_SENTENCE_END = re.compile(r"[.…][\"”’»)]?\s*$")


def _is_standfirst(candidate: str | None, standfirsts: Sequence[str]) -> bool:
    """Whether a headline signal is the story's first paragraph or the page's description, or their start
    cut with an ellipsis (a description that goes on from the headline is no reason: many do)."""
    # (a sentence's end: the text's first line, and the description, are often the headline itself)
    if not candidate or len(candidate) < _STANDFIRST_MIN_CHARS or not _SENTENCE_END.search(candidate):
        return False
    cut = bool(_TRUNCATED.search(candidate))
    key = alnum_key(_TRUNCATED.sub("", candidate))
    return any(key == (other := alnum_key(text)) or (cut and other.startswith(key)) for text in standfirsts if text)


def _first_headline(candidates: Sequence[str | None], raw_title: str | None) -> str | None:
    jsonld, og, h1, html_title, extracted = candidates
    for candidate in (jsonld, og):
        if not candidate:
            continue
        if h1 and _TRUNCATED.search(candidate) and alnum_key(h1).startswith(alnum_key(_TRUNCATED.sub("", candidate))):
            return h1
        # (the cleaned JSON-LD headline may be the og:title's own string: asked by value, not identity)
        if not jsonld and h1 and _shown_headline(h1, og, html_title, raw_title):
            return h1
        return candidate
    # an <h1> of a few words that the <title> does not hold is a section's or a column's label
    # ("Politics" over a story whose <title> is "Headline | Example")
    if h1 and html_title and len(h1.split()) <= _KICKER_MAX_WORDS and not _words(h1) & _words(html_title) \
            and len(_words(_headline_part(html_title))) > _KICKER_MAX_WORDS:
        return _headline_part(html_title)
    if h1:
        return h1
    return _headline_part(html_title) if html_title else extracted


# the parts of a <title> that no other signal backs: its bars, dashes, guillemets and slashes (a colon
# ends a kicker, which is the headline's own: "Brexit: Talks resume")
_TITLE_PARTS = re.compile(r"\s+(?:[|\-–—»›/•·]{1,2}\s+)+|\s*[|｜‖│]\s*")
_RANGE = re.compile(r"\d\.?\s+[-–—]\s+\d")  # "14. - 20. Januar": one part
_HEADLINE_PART_MIN_WORDS = 3
_HEADLINE_PART_LEAD = 1.5


def _headline_part(title: str) -> str:
    """A <title> that is the page's only headline, cut to its headline where it has one: the part far
    longer than every other (at least three words, half as many again as any other part), the others
    being the site's, its section's and its forum's names, which the site's own name did not match
    ("EFC Example Fans - Club wins the cup final - Club News - News"). Otherwise the whole title."""
    if _RANGE.search(title):
        return title
    parts = [p.strip() for p in _TITLE_PARTS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    counts = [len(p.split()) for p in parts]
    longest = max(range(len(parts)), key=counts.__getitem__)
    others = counts[:longest] + counts[longest + 1:]
    if counts[longest] >= _HEADLINE_PART_MIN_WORDS and all(counts[longest] >= _HEADLINE_PART_LEAD * n for n in others):
        return parts[longest]
    return title


_HEADLINE_WORD = re.compile(r"[^\W\d_]{4,}")
_KICKER_MAX_WORDS = 3
# the <h1> tells the story the og:title or the <title> tells: it holds at least this share of its words
_SAME_STORY_SHARE = 0.5


def _words(text: str | None) -> set[str]:
    return set(_HEADLINE_WORD.findall(text.casefold())) if text else set()


def _shown_headline(h1: str, og: str, html_title: str | None, raw_title: str | None) -> bool:
    """Whether the page's <h1>, where no JSON-LD headline is declared, is its headline over the
    og:title: the og:title is written for sharing ("Receita de X" over the recipe's "X", an SEO
    phrasing over the printed question), the <h1> is what the reader sees. Not when the <h1> only adds
    words to the og:title (a kicker, the site's name, the rest a shared title cut), when it is a few
    words the og:title goes on from (a kicker), when it holds fewer than half the words of the
    og:title and of the <title> (a topic's label, a column's name, the site's logo, an advertisement:
    "Krieg in der Ukraine" over "Ukraine: Selenskyj fordert mehr Flugabwehr"), or when the <title>
    holds it beside the og:title (the blog's name: "Headline | Example Blog")."""
    og_words, h1_words = _words(og), _words(h1)
    og_key, h1_key = alnum_key(og), alnum_key(h1)
    if og_words <= h1_words or og_key in h1_key:
        return False
    if not any(words and len(h1_words & words) >= _SAME_STORY_SHARE * len(words)
               for words in (og_words, _words(html_title))):
        return False
    # an <h1> of a few words that the og:title goes on from is its kicker ("Brexit" over "Brexit: What
    # happens next")
    if og_key.startswith(h1_key) and len(h1.split()) <= _KICKER_MAX_WORDS:
        return False
    if raw_title and (at := (title_key := alnum_key(raw_title)).find(og_key)) >= 0:
        return h1_key not in title_key[:at] + " " + title_key[at + len(og_key):]
    return True
