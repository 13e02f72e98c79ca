"""Teasers set in the article as paragraphs of their own: one link to another story of the site;
the teaser cards of other stories; and photo captions.

Sites break up their articles with links to their other stories, each a paragraph or a heading that
holds nothing but the link ("<p><strong><a href="/politics/other-story">SENATE PASSES BILL</a></strong></p>"),
or the link behind a short label in the site's language ("Lesetipp: <a>...</a>", "Le puede interesar:
<a>...</a>", "FUNDA OLUNYE UDABA LAPHA | <a>...</a>"). In the extracted text such a line reads like a
subheading, and no phrase list covers every language's label; the markup tells them apart. A sentence
of the article that links a few of its words has text outside the link; a link to another site is a
source, not a teaser; a label is a few words ending like one (a colon, a bar, a guillemet, a dash).

A teaser card (in the article, or in a "more stories" box trafilatura keeps after it) holds more than
the link: the other story's headline as a link, and under it the story's dek, a sentence that is no
link ("Experts say that compartmentalizing can be a healthy..."), which reads like the article's
own. The markup tells it: the card is the largest element a few levels above the headline whose
links all go to that one story (a card's section and author links are shorter than a headline) and
whose text outside its links is a dek's length (300 characters), with a block of a few words after
the headline and in no link. Its lines go, the card printed as one line too. It must never take the
article's own text: a link inside a sentence (text or an inline tag with text beside it) heads no
card; an article's body says far more than a dek, and a part under the page's own address (a live
blog's post) or holding the <h1> (the page's header and standfirst) is no card; nor are a figure
(a listicle's item, its text in the caption) and a table (a recipe's ingredients). Only lines of
up to 200 characters are ever removed this way (text_cleanup.clean_lines).

A card set as one link (<a href=other-story><img><h3>headline</h3><p>dek</p></a>) says so without any
of that: an article's own paragraphs and headings are never inside a link, so every block inside a
link to another story of the site is the card's; unless the card is under the page's own headline (a
"similar articles" box listing this very story under another address, its dek the standfirst).

Photo captions are told by their markup too: a line of the text that is a <figcaption> of the page
(short: some listicles set each item's text as its picture's caption) says what a picture shows.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from pipelines.extract.element_text import element_text
from pipelines.extract.line_keys import line_key
from pipelines.extract.site_paths import SitePaths

# the tags a theme wraps a link in inside its paragraph: the paragraph holds nothing else
_INLINE = frozenset({"strong", "b", "em", "i", "span", "u", "font", "mark", "small", "big"})
# the tags a sentence is set in around its link
_RUNNING = _INLINE | {"a", "abbr", "cite", "code", "q", "s", "sub", "sup", "time"}
_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6"})
_MIN_LINK_WORDS = 3
# "Lesetipp:", "Mehr dazu lesen Sie hier:", "READ MORE |", "Related »", "See also –"; a list's dash or
# bullet set as text ("<p>- <a>headline</a></p>", a list of other stories written as paragraphs); a
# label set in capitals with no mark after it ("<strong>READ MORE</strong> <a>...</a>")
_LABEL = re.compile(r"^(?:[^.!?]{1,60}(?:[:|»>]|\s[–—-])|[-–—•·*►▪›»>])$")
_CAPITALS_LABEL_MAX_CHARS = 40
_LABEL_MAX_WORDS = 5
# what stands between the links of a paragraph that is only links: "<a>...</a><br><a>...</a>", "a | b"
_BETWEEN_LINKS = re.compile(r"^[\s|•·,;/–—-]*$")


def linked_teaser_texts(tree: HtmlElement, site: SitePaths, headlines_met: list[HtmlElement] | None = None) -> set[str]:
    """The texts (as `line_key` spells them) of paragraphs and headings that are one link to another
    page of the same site, alone or after a short label; and of the teaser cards of such links.
    `headlines_met` gets the page's <h1>s, met on the way (appended_stories.py: one pass, not two).
    `site`: the page's address and its links' paths, shared with story_lists."""
    # a live blog's posts and an article's parts are pages under the page's own address
    own_parts = site.path.rstrip("/") + "/"
    found: set[str] = set()
    block_texts: dict[HtmlElement, str] = {}  # a paragraph of many links is read once
    stories: dict[HtmlElement, str] = {}  # each element: the one story its links go to, "" for several
    headlines: list[tuple[HtmlElement, str]] = []  # a card's headline (its link, or the block of it), its story
    own_headlines: set[str] = set()  # the page's <h1>s, as line_key spells them
    one_link_cards: list[set[str]] = []  # the texts of each card set as one link
    link_runs: dict[HtmlElement, bool] = {}  # whether a paragraph is links to other stories and nothing else
    for link in tree.iter("a", "h1"):
        if link.tag == "h1":
            if headlines_met is not None:
                headlines_met.append(link)
            own_headlines.add(line_key(" ".join(element_text(link).split())))
            continue
        href = link.get("href")
        if not href:
            continue
        words = element_text(link).split()
        if len(words) < _MIN_LINK_WORDS:
            continue
        text = " ".join(words)
        path = site.of(href)
        if path is None or path in ("", "/", site.path):
            continue
        if not path.startswith(own_parts) and (texts := _wrapped_blocks(link)):
            one_link_cards.append(texts)
        block = link.getparent()
        while block is not None and block.tag in _INLINE:
            block = block.getparent()
        if block is None:
            continue
        headline = len(words) >= _HEADLINE_MIN_WORDS  # a section's or an author's name is shorter
        if headline:
            _mark_story(link, path, stories)
        card_headline = headline and not path.startswith(own_parts)
        if block.tag in _BLOCKS:
            block_text = block_texts.get(block)
            if block_text is None:
                block_text = block_texts[block] = " ".join(element_text(block).split())
            label = block_text[: -len(text)].strip() if block_text.endswith(text) else None
            if label == "" or (label and len(label.split()) <= _LABEL_MAX_WORDS and (
                    _LABEL.match(label) or (label.isupper() and len(label) <= _CAPITALS_LABEL_MAX_CHARS))):
                found.add(line_key(block_text))
            elif block not in link_runs:
                link_runs[block] = _links_only(block, site, own_parts)
            if link_runs.get(block):
                found.add(line_key(text))
            # a card's headline as a heading or paragraph of its own (a screen reader's copy aside)
            if card_headline and not block_text.replace(text, "").strip():
                headlines.append((block, path))
        # or standing between the blocks of a card (<div><a>headline</a><p>dek</p></div>), in no sentence
        elif card_headline and _stands_apart(link):
            headlines.append((link, path))
    cards: set[HtmlElement] = set()  # a card with two links to its story is read once
    for headline_element, story in headlines:
        found |= _card_texts(headline_element, story, stories, cards)
    # a card under the page's own headline, wherever the page sets it, teases this very story under
    # another address (a "similar articles" box listing it): its dek is the article's standfirst
    for texts in one_link_cards:
        if not texts & own_headlines:
            found |= texts
    return found


# --- teaser cards --------------------------------------------------------------------------------

# the blocks a card set as one link holds: the other story's headline, its date, its dek
_WRAPPED = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "li", "blockquote")


def _wrapped_blocks(link: HtmlElement) -> set[str]:
    """The texts (as line_key spells them) of the blocks inside a link to another story: a teaser
    card set as one link (<a href=other><h3>headline</h3><p>dek</p></a>), and the card as one line, as
    trafilatura writes it in a list item. An article's own paragraphs are never inside a link."""
    texts = {line_key(text) for block in link.iter(*_WRAPPED) if (text := " ".join(element_text(block).split()))}
    if texts:
        texts.add(line_key(" ".join(" ".join(link.itertext()).split())))
    return texts


def _links_only(block: HtmlElement, site: SitePaths, own_parts: str) -> bool:
    """Whether a paragraph or heading holds two or more links to other stories of the site (headlines,
    of a few words each) and nothing else but the marks between them: a list of other stories set as
    lines of one paragraph. A paragraph that links parts of the page itself is its table of contents."""
    rest = " ".join(element_text(block).split())
    links = 0
    for link in block.iter("a"):
        words = element_text(link).split()
        path = site.of(link.get("href") or "")
        if len(words) < _MIN_LINK_WORDS or path is None or path in ("", "/", site.path) or path.startswith(own_parts):
            return False
        text = " ".join(words)
        at = rest.find(text)
        if at < 0:
            return False
        rest = rest[:at] + " " + rest[at + len(text):]
        links += 1
    return links >= 2 and bool(_BETWEEN_LINKS.match(rest))


# A card's headline link sits a few levels under the card: <li><div><h3><a>
_CARD_LEVELS = 4
# Another story's headline; the shorter links of a card name its section, its author, its topic
_HEADLINE_MIN_WORDS = 5
# What a card says outside its links: the other story's dek, its date, its kicker
_CARD_MAX_OWN_CHARS = 300
_DEK_MIN_WORDS = 3
# tags trafilatura prints as part of a line, or that hold no text
_NO_LINE = _RUNNING | {"img", "picture", "source", "svg", "br", "hr", "script", "style", "noscript", "button", "input"}
_NO_CARD = frozenset({"figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "td", "th"})


def _mark_story(link: HtmlElement, story: str, stories: dict[HtmlElement, str]) -> None:
    """Record, on the link's ancestors, that they hold a link to this story ("" once they hold two).
    An ancestor already marked for this story, or for several, has ancestors marked so too: the walk
    stops there, and each element changes at most twice over the page."""
    for ancestor in link.iterancestors():
        marked = stories.get(ancestor)
        if marked == story or marked == "":
            return
        stories[ancestor] = story if marked is None else ""


def _stands_apart(link: HtmlElement) -> bool:
    """Whether no text stands right before or after the link (or the inline tags around it), in the
    text between tags or in an inline neighbour (a sentence set as <span>s around its link)."""
    element = link
    while True:
        parent = element.getparent()
        if parent is None or (element.tail or "").strip():
            return False
        previous, following = element.getprevious(), element.getnext()
        if ((previous.tail if previous is not None else parent.text) or "").strip():
            return False
        for neighbour in (previous, following):
            if neighbour is not None and neighbour.tag in _RUNNING and element_text(neighbour).strip():
                return False
        if parent.tag not in _INLINE:
            return True
        element = parent


def _looks_like_a_card(card: HtmlElement, story: str, stories: dict[HtmlElement, str]) -> bool:
    """A card shows its story's picture, is an item of a list, or stands among cards of the same shape
    that link to other stories. A lone link and a paragraph in a wrapper of the article (a block
    editor's group) are the article's: its subheading and its text."""
    if card.tag == "li" or next(card.iter("img", "picture"), None) is not None:
        return True
    parent = card.getparent()
    if parent is None:
        return False
    shape = (card.tag, card.get("class"))
    return any(sibling is not card and (sibling.tag, sibling.get("class")) == shape
               and stories.get(sibling) not in (None, "", story) for sibling in parent)


def _card_texts(headline: HtmlElement, story: str, stories: dict[HtmlElement, str],
                cards: set[HtmlElement]) -> set[str]:
    """The texts of the card around a headline (a link to the story, or the heading holding only it):
    the largest element a few levels up whose links all go to that one story and whose own text
    (outside links) is a dek's length; none when no dek follows the headline, or when the card holds
    an <h1> (the page's own headline and standfirst). A figure (a listicle's item with its caption)
    and a table (a recipe's ingredients) are no card."""
    card: HtmlElement | None = None
    room = False  # whether anything stands beside the headline yet: most links are a menu's, alone
    own = 0  # the card's text outside links, in characters, counted as the walk takes in more of it
    child, element = None, headline
    for _ in range(_CARD_LEVELS + 2):
        if element is None or element.tag in _NO_CARD or stories.get(element, story) != story:
            break
        if child is not None:
            room = room or len(element) > 1 or bool((element.text or "").strip()) or bool((child.tail or "").strip())
            if room:
                own += _own_chars_beside(element, child)
                if own > _CARD_MAX_OWN_CHARS:
                    break
        card, child, element = element, element, element.getparent()
    if card is None or not room or card in cards or card.tag == "h1" or next(card.iter("h1"), None) is not None:
        return set()
    if not _looks_like_a_card(card, story, stories):
        return set()
    cards.add(card)
    around = {headline}  # the card, and what holds the headline in it
    for ancestor in headline.iterancestors():
        around.add(ancestor)
        if ancestor is card:
            break
    parts = list(card.iter(etree.Element))  # in document order; not comments, which have no text_content
    start = parts.index(headline)
    # a kicker above the headline, a product's name over its link, are no dek; what holds it is no card
    not_dek = around.union(*(link.iter() for link in card.iter("a")), headline.iter())
    if not any(part not in not_dek and next(part.iter("a"), None) is None
               and len(element_text(part).split()) >= _DEK_MIN_WORDS for part in parts[start + 1:]):
        return set()
    lines: set[str] = set()  # a block and its wrapper say the same: keyed once
    for part in [part for part in parts[:start] if part in around] + parts[start:]:
        if part.tag in _NO_LINE and part is not headline:  # a line's words, or no words at all
            continue
        text = " ".join(element_text(part).split())
        if text.count(" ") >= _DEK_MIN_WORDS - 1:  # its words, one space between each two
            lines.add(text)
            if len(part):  # trafilatura writes a card set as one line with a space between its blocks
                lines.add(" ".join(" ".join(part.itertext()).split()))
    return {line_key(line) for line in lines}


def _own_chars_beside(element: HtmlElement, child: HtmlElement) -> int:
    """What the element says outside its links and outside this child of it (whose tail it holds).
    Characters of the words, roughly: the bound it is held to is loose."""
    chars = len((element.text or "").strip()) + len((child.tail or "").strip())
    for other in element:
        if other is child or not isinstance(other.tag, str):
            continue
        chars += len((other.tail or "").strip())
        if other.tag != "a":
            chars += _chars(other)
            if len(other):  # an element holding only text holds no link
                chars -= sum(_chars(link) for link in other.iter("a"))
    return chars


def _chars(element: HtmlElement) -> int:
    return len(" ".join(element_text(element).split()))


# --- captions ------------------------------------------------------------------------------------

# A caption of this length is a photo's; longer figcaptions are how some listicles set their items
_CAPTION_MAX_CHARS = 150


def caption_texts(tree: HtmlElement) -> set[str]:
    """The texts (as `line_key` spells them) of the page's figure captions and of their parts (the
    caption and the credit, often in elements of their own): photo captions of galleries and
    inline images, which trafilatura writes out as lines of the text."""
    found: set[str] = set()
    for caption in tree.iter("figcaption"):
        for part in caption.iter(etree.Element):  # not its comments, which have no text_content
            text = " ".join(element_text(part).split())
            if text and len(text) <= _CAPTION_MAX_CHARS:
                found.add(line_key(text))
    if found:
        # a caption repeating a paragraph of the story (its lead under the second photo) leaves the paragraph
        for paragraph in tree.iterdescendants("p"):
            # a figure's own paragraphs are not the story's (a walk up in C, twice as fast as XPath's ancestor axis)
            if next(paragraph.iterancestors("figure", "figcaption"), None) is not None:
                continue
            text = " ".join(element_text(paragraph).split())
            if len(text) <= _CAPTION_MAX_CHARS:
                found.discard(line_key(text))
    return found
