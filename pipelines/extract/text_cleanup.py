"""Interface blocks out of the article text, on the first page of a site as on the thousandth.

trafilatura keeps a block when the markup around it looks like content. Themes put share buttons,
comment forms, newsletter boxes, "read more" teasers and reading-time widgets in plain `<div>`s and
`<p>`s inside the article container, where no class name gives them away. What gives them away is
what they say, and that they say it in a short block of its own: an article sentence that mentions a
newsletter is long and reads as prose; the sign-up box is a short call to action.

So each line of the extracted text (trafilatura's blocks) is tested on its words alone (the phrase lists
are in interface_phrases.py):
- the whole line is an interface phrase ("Share this article", "Leave a Reply", "Advertisement",
  "3 Min Read", in the languages of the corpora);
- the line starts like a teaser ("Read more:", "Lesen Sie auch:", "Lire aussi :") and is short;
- the line is a short prompt built from two interface words (a newsletter word and a sign-up verb, a
  comment word and a moderation or log-in word, an affiliate word and an earning word);
- the line is a contact line (an e-mail address or a social handle with few words around it), bare
  metadata (a date or time alone, a URL alone, the site's name alone);
- the author's bio box, wherever the theme put it (author_bios.py);
- the headline repeated at the top, alone, behind or under its kicker or breadcrumbs (leading_headline.py);
- a "related stories" heading takes the list of other headlines under it along;
- the markup of the page tells the rest: a paragraph that is one link to another story of the site,
  a photo caption, the page's own address (linked_teasers.py; datelines are in date_lines.py);
- the line is a notice of the site or a line of its machinery: a cookie banner's text, a reprint rule,
  a finance page's risk notice (also a paragraph long), an embed's consent placeholder, the log-in
  state, a script's settings (site_notices.py);
- the line is the site asking its readers for money: to support "us", "our journalism", a donation
  box's heading or button (reader_support.py; also a paragraph long, when the pitch opens it);
- the line is what a comment system prints around its form: the check boxes under it, the log-in and
  spam-filter notices, the thread's heading, a link to the thread, an invitation to write in it
  (comment_forms.py);
- the line is what a form, a button or an embed prints when its script did not run: a form's prompt,
  outcome or error, the site's mail to the reader (form_messages.py), a comment count, a share, print,
  bookmark, "load more" or skip-ad button (also behind an icon font's ligature, "chat_bubble 0
  Kommentare"), a loading placeholder, an Instagram post's placeholder, a consent manager's switch
  (and a share button's label run into its pull quote, "...Click To Tweet", leaves the quote);
- a teaser label run into its headline ("À lire aussi La natalité ..."), a lead-in to a link ("Mehr zum
  Thema finden Sie ...:"), a wire's "More AP NBA: <link>";
- the line is a call to action or a credit: "click here", "Subscribe to ...", "Follow us on ...", a
  contact line opening with "Email"/"Reach"/"Have a tip?", "Credit: ...", "Filed under: ...", or a
  sign-up widget's confirmation or error ("Thanks for signing up!");
- the line is a web address and no words: the page's own under a label (a print footer), another page
  of the site alone, image files' addresses run together (address_lines.py);
- a teaser card's headline printed twice ("Headline Headline", the image's alt text and the link);
- a bio among the last lines goes with the short lines after it (the box's links, a teaser);
- a press contact box closing the text goes, its label alone ("Kontakt:", "Media contact:") and the
  short lines under it; an advertisement spelled with Cyrillic letters that look Latin, to pass word
  filters, goes wherever it stands (site_notices.is_disguised).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence

from pipelines.extract.address_lines import is_address_line, own_addresses
from pipelines.extract.author_bios import BIO_TAIL_LINES, is_bio, person_keys, tail_bio_start, tail_bio_writer
from pipelines.extract.bylines import ROLE, byline_names
from pipelines.extract.call_to_action import EMAIL as _EMAIL
from pipelines.extract.call_to_action import HANDLE as _HANDLE
from pipelines.extract.call_to_action import LIST_ITEM as _LIST_ITEM
from pipelines.extract.call_to_action import (
    closes_with_follow_prompt,
    is_call_to_action,
    is_long_pitch,
    is_sign_off,
)
from pipelines.extract.comment_forms import is_comment_form_line
from pipelines.extract.date_lines import is_date_line
from pipelines.extract.form_messages import is_form_message
from pipelines.extract.interface_phrases import (
    AFFILIATE,
    CHANNEL,
    COMMENT_NOTICE,
    COMMENT_NOTICE_PAIRS,
    CONTACT_WORDS,
    GLUED_TEASER,
    ICON_LIGATURE,
    LINK_LEAD_IN,
    LOADING,
    MORE_FROM,
    MORE_LINKS,
    NEWSLETTER,
    NEWSLETTER_CJK,
    OUR,
    READING_TIME,
    RELATED_HEADING,
    SIGN_UP,
    SIGN_UP_BUTTON,
    TEASER_LABEL_AFTER,
    TEASER_PREFIX,
    WHOLE_LINE,
)
from pipelines.extract.leading_headline import without_leading_headline
from pipelines.extract.line_keys import SENTENCE_BREAK as _SENTENCE_BREAK
from pipelines.extract.line_keys import line_key
from pipelines.extract.reader_support import is_support_pitch
from pipelines.extract.reported_speech import REPORTED
from pipelines.extract.site_notices import is_disguised, is_long_notice, is_site_notice

_TEASER_MAX_CHARS = 200
_TEASER_LABEL_MAX_CHARS = 150
_LOADING_MAX_CHARS = 80

_METADATA_BARS = (" | ", " - ", " • ", " · ")
_METADATA_PART_MAX_CHARS = 80
_PROMPT_MAX_CHARS = 300
_LONGEST_BLOCK = 400
_INNER_PUNCTUATION = re.compile(r"[.!?,;:]+(?=\s)")
_PROMPT_MAX_WORDS = 45

# an image's address left as text (a logo, a photo whose <img> the theme wrote out as a link)
_IMAGE_URL_ONLY = re.compile(r"^(?:https?://|www\.|/)?\S+\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?$|^(?:https?://)\S*logo\S*$")
# closing quotation marks of every convention: "”" and "»", and the German "“", "‘" and "«"
_SENTENCE_END = re.compile(r"[.!?…。！？।॥။؟۔\"”’»“‘«›)\]:;]\s*$")
_BYLINE_MAX_CHARS = 80
_BYLINE_LINE_MAX_CHARS = 120
_ROLE_LINE = re.compile(rf"^(?!staffs?$){ROLE}$")  # ("STAFF" alone: the references keep it)
# ... in the corpora's other languages, alone or with the desk or the place: "Redakteur in der Wirtschaft",
# "Korrespondentin in Paris", "Rédactrice en chef adjointe", "Periodista de la sección de Economía"
_ROLE_LINE_ELSEWHERE = re.compile(
    r"^(?:(?:stellvertretende[rn]? |leitende[rn]? )?(?:chef)?redakteur(?:in)?|korrespondent(?:in)?|reporterin|autorin|"
    r"volontär(?:in)?|ressortleiter(?:in)?|rédact(?:eur|rice)(?: en chef)?(?: adjointe?)?|journaliste|correspondante?|"
    r"envoyée? spéciale?|periodista|redactora?(?: jef[ea])?|corresponsal|redatt(?:ore|rice)|giornalista|corrispondente|"
    r"inviat[oa]|redacteur|redactrice|verslaggever|dziennikar(?:z|ka)|redaktor(?:ka)?|korespondent(?:ka)?|jornalista|"
    r"redator(?:a)?|correspondente)"
    r"(?: (?:in|im|für|bei|der|des|au|à|en|de|du|della|del|di|da|do|bij|van|voor|w|z|ds\.) [\w'’-]+(?: [\w'’-]+){0,3}"
    r"| [\w'’-]+)?$"
)
_ROLE_LINE_MAX_CHARS = 60
_QUESTION_MAX_CHARS = 80
# a post's tags run together after their label: "stock car 2018, stock car brasil, interlagos"
_PHRASE_LIST_MIN_ITEMS = 3
_PHRASE_MAX_WORDS = 6


def _without_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def is_interface_line(line: str, *, site_name: str | None = None) -> bool:
    """Whether this line, standing alone as a block, is interface rather than article."""
    if len(line) > _LONGEST_BLOCK:  # a paragraph of the article: every interface block is shorter
        return False
    return _is_interface(line, line_key(line), site_name)


def _is_interface(line: str, key: str, site_name: str | None) -> bool:
    """is_interface_line for a line no longer than _LONGEST_BLOCK, given its _key."""
    if not key:
        return True
    # sentence punctuation inside a phrase is spelled both ways ("published. Required", "published, required")
    if WHOLE_LINE.match(_INNER_PUNCTUATION.sub("", key)) or READING_TIME.match(key):
        return True
    if site_name and _is_site_name_line(key, line_key(site_name)):
        return True
    if len(line) <= _TEASER_MAX_CHARS and (TEASER_PREFIX.match(key) or GLUED_TEASER.match(line) or MORE_LINKS.match(line)
                                           or (line.rstrip().endswith(":") and LINK_LEAD_IN.match(key))):
        return True
    # (only a button's label after it: "is_active true" is a line of code)
    if (ligature := ICON_LIGATURE.match(key)) is not None and WHOLE_LINE.match(key[ligature.end():]):
        return True
    if len(line) <= _TEASER_LABEL_MAX_CHARS and "[" in line and TEASER_LABEL_AFTER.search(line.rstrip(" |.")):
        return True
    if (_IMAGE_URL_ONLY.match(key) or is_site_notice(line, key) or is_disguised(line) or is_form_message(line, key)
            or is_comment_form_line(line, key) or is_support_pitch(line, key)):
        return True
    if len(line) <= _LOADING_MAX_CHARS and LOADING.match(line):
        return True
    # a short question before the sign-up button: "Want the latest news? Subscribe now."
    if "? " in line and len(line) <= _QUESTION_MAX_CHARS and SIGN_UP_BUTTON.match(line_key(line.partition("? ")[2])):
        return True
    words = key.split()
    # a teaser card's headline written twice (the image's alt text and the link): "Headline Headline"
    half = len(words) // 2
    if len(words) >= 6 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return True
    if is_date_line(line, key):
        return True
    # a writer's role alone, under the name in a bio box or a byline: "Senior Reporter", "Staff Writer"
    if len(line) <= _ROLE_LINE_MAX_CHARS and (_ROLE_LINE.match(key) or _ROLE_LINE_ELSEWHERE.match(key)):
        return True
    if len(line) <= _PROMPT_MAX_CHARS and len(words) <= _PROMPT_MAX_WORDS:
        if NEWSLETTER.search(key) or NEWSLETTER_CJK.search(key):
            plain = _without_accents(key)
            if (SIGN_UP.search(key) or SIGN_UP.search(plain)) and (len(words) <= 15 or OUR.search(plain)):
                return True
        if CHANNEL.search(key) and SIGN_UP.search(key) and OUR.search(_without_accents(key)):
            return True
        if len(words) <= 30 and (COMMENT_NOTICE.search(key) or any(
                notice.search(key) and second.search(key) for notice, second in COMMENT_NOTICE_PAIRS)) \
                and not REPORTED.search(key):  # "Users must log in to comment, the company said"
            return True
        if AFFILIATE.search(key):
            return True
    # a bar of the post's metadata, each part interface: "January 13, 2020 at 08:45 AM | categories: Python |
    # View Comments" (a table's row, "| 2019 | 12 |", opens with its bar; dates alone are a dateline, or
    # the period the article gives: "29 November 2018 | 20 January 2019")
    if (keyed := _bar_parts(line)) and all(_is_interface(part, part_key, site_name) for part, part_key in keyed) \
            and not all(is_date_line(part, part_key) for part, part_key in keyed):
        return True
    if len(words) <= 15 and _EMAIL.search(key) and (
            CONTACT_WORDS.search(rest := _EMAIL.sub(" ", key)) or _HANDLE.search(rest)):  # "jane@example.com | @jane"
        return True
    if len(words) <= 12 and _HANDLE.search(key) and CONTACT_WORDS.search(key):
        return True
    return is_call_to_action(line, key, words)


def closing_bio_writer(text: str) -> str | None:
    """The writer a journalist's bio closing the text names (author_bios.tail_bio_writer)."""
    return tail_bio_writer(text_lines(text), _TEASER_MAX_CHARS)


def clean_lines(lines: Iterable[str], *, headlines: Sequence[str | None] = (), site_name: str | None = None,
                authors: Sequence[str] = (), story_links: Collection[str] = (),
                list_headings: Mapping[str, Collection[str]] | None = None, teasers: Collection[str] = (),
                page_urls: Sequence[str | None] = ()) -> list[str]:
    """The article's lines without interface blocks (see the module docstring). `story_links`: the
    texts of links to the site's other stories, listed in the page as lists of nothing else, and
    `list_headings` the headings boxed with such lists, each with its list's items (story_lists.py);
    `teasers`: paragraphs of the page that are one such link, and its photo captions (linked_teasers.py);
    `page_urls`: the page's own addresses, which tell its address lines (address_lines.py)."""
    own = own_addresses(page_urls)
    kept: list[str] = []
    in_related_list = in_signup_box = False
    people = person_keys(authors)
    bio_at = None  # where the last bio of an author was, in `kept`
    blocks = list(lines)
    headings = _list_headings_in(blocks, list_headings or {})
    for at, line in enumerate(blocks):
        if is_bio(line, people):
            # the box's head: the author's name alone on the line above ("Jane Doe" / "Senior Reporter" / bio)
            if kept and line_key(kept[-1]) in people:
                kept.pop()
            bio_at = len(kept)
            continue
        # headlines end in a question mark as often as in nothing; an item ending in a full stop is a sentence
        if in_related_list and _LIST_ITEM.match(line) and (line.endswith("?") or not _SENTENCE_END.search(line)):
            continue
        # a sign-up box's perks, listed under its prompt ("Subscribe now to read the latest news" / "- Exclusive
        # articles from our local reporting team ...")
        if in_signup_box and _LIST_ITEM.match(line) and len(line) <= _TEASER_MAX_CHARS:
            continue
        in_signup_box = False
        if in_related_list and _is_phrase_list(line):  # the tags under their label, run together
            in_related_list = False
            continue
        if story_links and _is_story_link(line, story_links):
            continue
        if at in headings:
            continue
        if len(line) > _LONGEST_BLOCK:  # a paragraph of the article: no interface block is that long
            in_related_list = False
            long_key = line_key(line)
            # but a notice or a pitch that runs on, opening like one
            if not (is_long_notice(line, long_key) or is_long_pitch(line, long_key) or is_support_pitch(line, long_key)
                    or is_disguised(line)):
                kept.append(line)
            continue
        key = line_key(line)
        in_related_list = len(line) <= _TEASER_MAX_CHARS and bool(RELATED_HEADING.match(key) or MORE_FROM.match(line))
        if in_related_list or (len(line) <= _TEASER_MAX_CHARS and key in teasers) or is_address_line(line, own):
            continue
        if _is_interface(line, key, site_name):
            in_signup_box = bool(SIGN_UP.search(key))
            continue
        kept.append(line)
    # bios close the article: dropped from the end only, with the short lines after them (the bio
    # box's links, another story's teaser)
    start = tail_bio_start(kept, _TEASER_MAX_CHARS)
    # (the bio box under the story: the story comes before it)
    if bio_at is not None and len(kept) - bio_at <= min(BIO_TAIL_LINES, bio_at) and all(
            len(after) <= _TEASER_MAX_CHARS for after in kept[bio_at:]):
        start = bio_at if start is None else min(start, bio_at)
    if start is not None:
        del kept[start:]
    while kept and (is_bio(kept[-1], people, last=True) or closes_with_follow_prompt(kept[-1]) or is_sign_off(kept[-1])):
        kept.pop()
    if (box := _closing_contact_box(kept)) is not None:
        del kept[box:]
    if (box := _closing_author_box(kept, people)) is not None:
        del kept[box:]
    # the byline printed as a paragraph of its own ("<p><strong>Jane Doe</strong></p>") opening or
    # closing the article; anywhere, a byline line naming the record's authors and no one else ("By
    # Jane Doe", "Text: Jane Doe", "Jane Doe, Staff Writer")
    names = {line_key(a) for a in authors if a}
    if names:
        kept = [line for line in kept if not _byline_of(line, names) and not _author_link(line, people)
                and not _names_on_metadata_bar(line, names, site_name)]
    if _is_name_line(kept, -1, names):
        kept.pop()
    if _is_name_line(kept, 0, names):
        kept.pop(0)
    # the headline (the record's title, or an SEO title beside the visible <h1>) repeated at the top, and
    # the name under it
    kept = without_leading_headline(kept, headlines)
    if _is_name_line(kept, 0, names):
        kept.pop(0)
    return kept


def _closing_author_box(kept: Sequence[str], people: Sequence[str]) -> int | None:
    """Where the writer's box closing the text begins: one of the record's authors (a person) alone on
    a line under the story, then a few short lines, whatever they say ("Maria Lopez" / "Before joining
    the Ledger in 2019, she covered oil and gas." or "Senior Reporter · Since 2019"). A name alone
    heading more lines, another name alone after it (an interview's speakers) or a footnote, is the
    story's."""
    if not people:
        return None
    for at in range(max(1, len(kept) - 1 - BIO_TAIL_LINES), len(kept) - 1):
        if len(kept[at]) > _BYLINE_MAX_CHARS or line_key(kept[at]) not in people:
            continue
        after = kept[at + 1:]
        # under the story, which is longer than the box (the name under the headline heads the story)
        if len(after) >= BIO_TAIL_LINES or sum(map(len, kept[:at])) <= 2 * sum(map(len, after)):
            continue
        first, rest = after[0], after[1:]
        if len(first) <= _LONGEST_BLOCK and first[:1] not in _FOOTNOTE_MARKS and not _NAME_ALONE.match(first) and all(
                len(line) <= _TEASER_MAX_CHARS and not _NAME_ALONE.match(line) for line in rest):
            return at
    return None


_FOOTNOTE_MARKS = "*†‡¹²³("  # the story's note under the writer's signature: "*Le prénom a été modifié"
_NAME_ALONE = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]+){1,3}:?$")


# A press contact box closing the text: its label alone ("Kontakt:", "Media contact:", "Ansprechpartner
# Presse bei Example SE"), then names, offices, telephone numbers and addresses, each a short line
_CONTACT_LABEL = re.compile(
    r"^(?:(?:press|media|presse|medien)[ -]?)?(?:kontakt|contacts?|contacto|contatto|ansprechpartner(?:in|innen)?|"
    r"pressekontakt|medienkontakt)(?: (?:für|for|pour|para|per) (?:rückfragen|medien|journalisten|(?:the )?media|"
    r"(?:la )?(?:presse|prensa|stampa)))?(?: (?:presse|press))?(?: (?:bei|at|chez|en|di) [^.!?]{1,40})?$")
_CONTACT_BOX_LINES = 8
_CONTACT_LINE_MAX_CHARS = 100  # a name, an office, a number, an address: no sentence of the story


def _closing_contact_box(kept: Sequence[str]) -> int | None:
    """Where a press contact box begins among the last lines, when only short lines follow its label."""
    for at in range(max(1, len(kept) - _CONTACT_BOX_LINES), len(kept)):
        if len(kept[at]) <= _CONTACT_LINE_MAX_CHARS and _CONTACT_LABEL.match(line_key(kept[at])) \
                and all(len(line) <= _CONTACT_LINE_MAX_CHARS for line in kept[at + 1:]):
            return at
    return None


def _is_name_line(kept: Sequence[str], at: int, names: Collection[str]) -> bool:
    """Whether the line at `at` is one of the record's authors alone (and not the text's only line)."""
    return bool(names) and len(kept) > 1 and len(kept[at]) <= _BYLINE_MAX_CHARS and line_key(kept[at]) in names


# the site's name with its newsroom's word, its team's article, its copyright sign and year, its logo's
# alt text: "Example News Staff", "The Example News Team", "© 2024 Example News", "Example News Logo" (a
# copyright naming someone else, "© Reuters" under a photo, stays: the references keep it)
_SITE_NAME_AROUND = re.compile(r"^(?:the |logo |(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?)?(.+?)"
                               r"(?: (?:staff|desk|team|newsroom|editors|editorial team|redaktion|rédaction|redacción|"
                               r"redazione|redactie|redakcja|logo))?$")


def _is_site_name_line(key: str, site_key: str) -> bool:
    if key == site_key:
        return True
    if site_key not in key:  # most lines
        return False
    around = _SITE_NAME_AROUND.match(key)
    return around is not None and around.group(1) == site_key and around.group(1) != key


def _byline_of(line: str, names: Collection[str]) -> bool:
    """Whether the line is a byline naming these authors and no one else."""
    if len(line) > _BYLINE_LINE_MAX_CHARS:
        return False
    found = byline_names(line)
    return bool(found) and all(line_key(name) in names for name in found)


_BAR_OPENING = re.compile(r"^[-–—•·]\s+")


def _bar_parts(line: str) -> list[tuple[str, str]] | None:
    """The parts of a bar of metadata ("January 13, 2020 | categories: Python | View Comments") with their
    keys; None for a line that is none (a table's row, "| 2019 | 12 |", opens with its bar)."""
    if line.startswith("|"):
        return None
    line = _BAR_OPENING.sub("", line)  # "- 5 minuti di lettura - 977 parole": the bar before its first part
    if (bar := next((b for b in _METADATA_BARS if b in line), None)) is None:
        return None
    parts = [part.strip() for part in line.split(bar)]
    # each part a label's few words: a sentence with a dash in it is not looked at again part by part
    if len(parts) < 2 or not all(0 < len(part) <= _METADATA_PART_MAX_CHARS for part in parts):
        return None
    return [(part, line_key(part)) for part in parts]


def _names_on_metadata_bar(line: str, names: Collection[str], site_name: str | None) -> bool:
    """Whether the line is a bar of the post's metadata that names the record's authors among its parts:
    "Jane Doe · 14 March 2024 · 3 min read" (each other part interface, as _is_interface's bar)."""
    if len(line) > _BYLINE_LINE_MAX_CHARS or not (keys := _bar_parts(line)):
        return False
    named = [key in names for _, key in keys]
    return any(named) and not all(named) and all(
        is_name or _is_interface(part, key, site_name) for (part, key), is_name in zip(keys, named, strict=True))


# the words around a writer's name on a link to the writer's page, box or mail: "Read more from Jane Doe",
# "Mehr von Jane Doe", "Email Jane Doe", "About Jane Doe"
_AUTHOR_LINK_WORDS = frozenset({
    "read", "more", "from", "by", "all", "articles", "stories", "posts", "view", "see", "email", "e-mail", "mail",
    "contact", "about", "profile", "and", "&", "mehr", "von", "alle", "artikel", "beiträge", "texte", "autorenprofil",
    "und", "plus", "de", "d'articles", "tous", "les", "et", "más", "artículos", "y", "altri", "articoli", "di", "e",
    "meer", "van", "artikelen", "en", "więcej", "od", "artykuły", "wszystkie", "i", "mais", "artigos",
})
_AUTHOR_LINK_MAX_CHARS = 80


def _author_link(line: str, people: Sequence[str]) -> bool:
    """Whether the line names some of the record's authors (`people`, person_keys) and says nothing
    else but a link's words to their page, box or mail. The name alone is not enough: a subheading
    taken for a byline would go with it (the name alone opening or closing the text goes, below)."""
    if not people or len(line) > _AUTHOR_LINK_MAX_CHARS:
        return False
    key = line_key(line)
    named = False
    for name in people:
        if name in key:
            key, named = key.replace(name, " "), True
    words = key.split()
    return named and bool(words) and all(word in _AUTHOR_LINK_WORDS for word in words)


def _list_headings_in(blocks: Sequence[str], list_headings: Mapping[str, Collection[str]]) -> set[int]:
    """Where the headings boxed with lists of other stories stand: right above their list's first item,
    or anywhere when trafilatura left the list out (the same words above a paragraph, the list shown
    elsewhere, are the article's)."""
    if not list_headings:
        return set()
    keys = [line_key(_LIST_ITEM.sub("", block)) if _LIST_ITEM.match(block) else None for block in blocks]
    shown = {key for key in keys if key}
    found = set()
    for at, block in enumerate(blocks):
        items = list_headings.get(line_key(block)) if len(block) <= _TEASER_MAX_CHARS else None
        if items is None:
            continue
        above_its_list = at + 1 < len(blocks) and keys[at + 1] in items
        if above_its_list or not shown & set(items):
            found.add(at)
    return found


def _is_story_link(line: str, story_links: Collection[str]) -> bool:
    return bool(_LIST_ITEM.match(line)) and line_key(_LIST_ITEM.sub("", line)) in story_links


def _is_phrase_list(line: str) -> bool:
    """"stock car 2018, stock car brasil, interlagos": short phrases separated by commas, no sentence."""
    parts = line.rstrip(", ").split(",")
    return (len(parts) >= _PHRASE_LIST_MIN_ITEMS and not _SENTENCE_END.search(line)
            and all(0 < len(part.split()) <= _PHRASE_MAX_WORDS for part in parts))


def prose_chars(text: str) -> int:
    """Characters in lines that read as sentences: ending like one, or holding several."""
    return sum(
        len(line)
        for line in text.splitlines()
        if _SENTENCE_END.search(line) or len(_SENTENCE_BREAK.findall(line)) >= 2
    )


def text_lines(raw: str) -> list[str]:
    """trafilatura's text as its blocks: one a line, NFC, spaces collapsed, empty lines dropped, without
    the hints a link gives screen readers ("Investoren(öffnet im neuen Fenster)") and the share label run
    into a pull quote ("...Click To Tweet")."""
    lines = [" ".join(ln.split()) for ln in (unicodedata.normalize("NFC", line) for line in raw.splitlines())]
    lines = [_TWEET_LABEL.sub("", line) if "weet" in line else line for line in lines]
    return [_LINK_HINT.sub("", line) if "(" in line else line for line in lines if line]


def clean_text(raw: str, *, headlines: Sequence[str | None] = (), site_name: str | None = None,
               authors: Sequence[str] = (), story_links: Collection[str] = (),
               list_headings: Mapping[str, Collection[str]] | None = None, teasers: Collection[str] = ()) -> str:
    return "\n".join(clean_lines(text_lines(raw), headlines=headlines, site_name=site_name, authors=authors,
                                 story_links=story_links, list_headings=list_headings, teasers=teasers))


# a share button's label run into the pull quote it shares: "Every business exists in time.Click To Tweet"
# (WordPress's Better Click To Tweet plugin; the quote is the article's words, and stays). Only as the
# plugin prints it, glued to the quote or after its closing mark: "He told his followers to tweet this"
# is a sentence.
_TWEET_LABEL = re.compile(r"(?:(?<=\S)|(?<=[.!?\"”’] ))(?:Click To Tweet|CLICK TO TWEET|Tweet This(?: Quote)?|TWEET THIS)$")
# what a link tells screen readers, left in the sentence: "(öffnet im neuen Fenster)", "(opens in a new tab)"
_LINK_HINT = re.compile(
    r" ?\((?:öffnet|opens?|s'ouvre|se abre|si apre|abre|otwiera się)\b[^()]{0,30}\b(?:neue[mn]?|new|nouvel(?:le)?|"
    r"nueva|nuova|nova|nowym|externen)\s(?:fenster|tab|window|fenêtre|onglet|ventana|pestaña|finestra|scheda|janela|"
    r"aba|oknie|karcie)\)", re.IGNORECASE)
