"""The author's bio box: who wrote the story, not the story.

Themes print a box saying who the writer is ("Jane Doe is a senior editor at the Daily Example, based
in Washington.", "Jane Doe covers city hall and transport.") under the story, above it beside the
byline, or between its paragraphs, in markup that looks like the story's own. Two kinds are told:
- a paragraph opening with one of the record's authors (a person's full name) and saying they write:
  a newsroom role or "covers", "writes", "reports". Anywhere in the text; as the last line, any
  "is"/"was" after the name will do. Before the end the role is required, because an author taken
  wrongly from the page may be the story's subject, and "Jane Doe was born in..." is then the story's;
- among the last lines, any person named and said to be a journalist in the first sentence ("Example's
  John Roe is the author of ..."), whoever the record's authors are.
The box also opens "About Jane Doe:" or "The author, Jane Doe, is ...", names the author by the first
name with a role or a writing verb ("Jane covers transport"), or is the name and a handle alone
("Jane Doe @janedoe"); text_cleanup takes the name alone on the line above it with it. Among the last
lines, a name alone over a bio that names that person by the first name is such a box too, whoever
the record's authors are.
The roles are the newsroom titles of the corpora's pages in their languages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipelines.extract.line_keys import END_PUNCTUATION, SENTENCE_BREAK, line_key

# A name of two to four capitalised words (after an outlet's possessive), then "is a", "ist", "est"...
_BIO_OPENING = re.compile(
    r"^(?:[A-Z][\w.&-]*(?:'s|’s)\s+)?(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),?\s+"
    r"(?:is|was|has been|serves as|ist|war|est|es|è|é|jest)\s"
)
# the roles of the people who write news, in the languages of the corpora
_BIO_ROLE = re.compile(
    r"\b(?:editor|writer|reporter|correspondent|journalist|columnist|contributor|author|curator|critic|producer|"
    r"anchor|photographer|freelancer?|redakteur(?:in)?|korrespondent(?:in)?|journalistin|autorin|autor|reporterin|"
    r"rédact(?:eur|rice)|journaliste|correspondant(?:e)?|periodista|redactor(?:a)?|corresponsal|giornalista|"
    r"redattore|redattrice|corrispondente|jornalista|redator(?:a)?|verslaggever|redacteur|redactrice|"
    r"dziennikar(?:z|ka|ką|zem)|redaktor(?:ka|ką|em)?)\b",
    re.IGNORECASE,
)
_BIO_VERB = re.compile(r"^(?:is|was|ist|war|est|es|è|é|is een|jest|является|covers|writes|reports|edits|"
                       r"hosts|has been|has written|has reported|has covered|joined|arbeitet|schreibt)\b")
# the verbs that say the person writes, without a role
_WRITING_VERBS = frozenset({"covers", "writes", "reports", "edits", "hosts", "joined", "schreibt", "has written",
                            "has reported", "has covered"})
# what opens a bio box before the name: "About Jane Doe:", "The author, Jane Doe, is ..."
_ABOUT = re.compile(r"^(?:about|über|à propos de|sobre|su|over)\s+")
_THE_AUTHOR = re.compile(r"^(?:the author|der autor|die autorin|l'auteur|l'autrice|el autor|la autora|l'autore|"
                         r"o autor|a autora|de auteur)\s*,?\s+")
# the author's handle after the name, and nothing else: "Jane Doe @janedoe"
_HANDLE_ONLY = re.compile(r"^@[\w.]{2,30}$")
_BIO_MAX_CHARS = 700
_OPENING_CHARS = 120
_ROLE_WORDS = 5
BIO_TAIL_LINES = 4


def person_keys(authors: Sequence[str]) -> list[str]:
    """The record's authors that are people's full names (two words or more), as line_key spells them."""
    return [name for name in map(line_key, authors) if len(name.split()) >= 2]


def is_bio(line: str, people: Sequence[str], *, last: bool = False) -> bool:
    """Whether the line is the bio of one of `people` (person_keys of the record's authors); `last`:
    the line closes the text."""
    if not people or len(line) > _BIO_MAX_CHARS:
        return False
    first = line.lstrip(END_PUNCTUATION)[:1].casefold()
    # most lines: a look at one letter ("About ...", "The author, ..." open with one of a few)
    if not any(name.startswith(first) for name in people) and first not in "atüsolde":
        return False
    opening = line_key(line[:_OPENING_CHARS])
    about = _ABOUT.match(opening)
    the_author = _THE_AUTHOR.match(opening) if about is None else None
    if about is not None or the_author is not None:
        opening = opening[(about or the_author).end():]  # type: ignore[union-attr]
    for name in people:
        if opening.startswith(name) and opening[len(name):len(name) + 1] in ("", " ", ":", ","):
            after = opening[len(name):].lstrip(" ,")
            # "About Jane Doe: ...", "The author, Jane Doe, is ...": the box says whose it is
            if (about is not None and after.startswith(":")) or (the_author is not None and _BIO_VERB.match(after)):
                return True
            if _HANDLE_ONLY.match(after):
                return True
            verb = _BIO_VERB.match(after)
            if verb and (last or verb.group() in _WRITING_VERBS or _says_role(after[verb.end():])):
                return True
        # "Jane is a reporter at the Ledger", "Jane covers transport": the first name alone, and a
        # newsroom role or a writing verb always
        given = name.split()[0]
        if opening.startswith(given + " ") and not opening.startswith(name):
            verb = _BIO_VERB.match(opening[len(given) + 1:])
            if verb and (verb.group() in _WRITING_VERBS or _says_role(opening[len(given) + 1 + verb.end():])):
                return True
    return False


def is_journalist_bio(line: str) -> bool:
    """"Jane Doe is a senior editor at the Example Times", "Example's Jane Doe is the author of...":
    a person named and said to be a journalist in the few words after the verb."""
    if len(line) > _BIO_MAX_CHARS:
        return False
    first = SENTENCE_BREAK.split(line, maxsplit=1)[0]
    opening = _BIO_OPENING.match(first)
    # the role before the name as a title ("Korrespondent Ulrich Exner ist ..."), or after the verb
    return bool(opening and (_BIO_ROLE.search(opening.group()) or _says_role(first[opening.end():])))


def _says_role(after_verb: str) -> bool:
    """A newsroom role in the few words after the verb: "is a senior editor at", "is the author of";
    "was held ... before the editor of the Example secured her release" says no role of hers."""
    return bool(_BIO_ROLE.search(" ".join(after_verb.split()[:_ROLE_WORDS])))


def tail_bio_writer(lines: Sequence[str], short: int) -> str | None:
    """The person the journalist's bio among the last lines names (tail_bio_start): where the page prints
    no byline, the box under the story names its writer ("Jane Doe is a reporter covering city hall.")."""
    start = tail_bio_start(lines, short)
    if start is None:
        return None
    if _named_bio(lines, start):
        return lines[start].strip()
    opening = _BIO_OPENING.match(SENTENCE_BREAK.split(lines[start], maxsplit=1)[0])
    if opening is None:
        return None
    # the role before the name as a title: "Korrespondent Ulrich Exner ist ..."
    words = opening.group("name").split()
    if len(words) > 2 and _BIO_ROLE.fullmatch(words[0]):
        words = words[1:]
    return " ".join(words)


def tail_bio_start(lines: Sequence[str], short: int) -> int | None:
    """Where a journalist's bio begins among the last lines, when only lines of at most `short`
    characters (the box's links, another story's teaser) or other bios follow it."""
    for i in range(max(1, len(lines) - BIO_TAIL_LINES), len(lines)):
        box = 2 if _named_bio(lines, i) else 1 if is_journalist_bio(lines[i]) else 0
        if box and all(len(after) <= short or is_journalist_bio(after) for after in lines[i + box:]):
            return i
    return None


# a person's name alone on a line: the heading of a bio box
_NAME_LINE = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}$")


def _named_bio(lines: Sequence[str], i: int) -> bool:
    """Whether line `i` is a name alone and the line under it that person's bio, by the first name
    too ("Jane Doe" / "Jane covers city hall and transport.")."""
    return i + 1 < len(lines) and bool(_NAME_LINE.match(lines[i].strip())) \
        and is_bio(lines[i + 1], person_keys([lines[i].strip()]))
