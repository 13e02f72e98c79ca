"""A regex behind a substring test: the interface rules' patterns, tried only on lines that could match.

Most lines the interface rules read are the article's sentences, and most rules fail on them. A pattern
such as "(?:this|the) article is available to subscribers|already a subscriber?|..." has no literal
prefix for Python's `re` to skip ahead with, so a failing search tries every alternative at every
character: 5-35 µs a line. Yet every match of it holds one of a few strings ("subscri", "account", ...),
and testing those with `in` costs well under a microsecond a string.

`gated(pattern)` reads those strings off the pattern's own parse (one string each alternative must
contain, the longest it spells out, or one character of a class of a few) and returns an object with
the pattern's `search`, `match` and `split` that give the pattern's answer, asking the pattern only
when the text holds one of them. A pattern
that does not spell out such strings (an alternative of character classes only, a case-insensitive
part) is asked every time.

`first_characters(regex)` serves the same end for a pattern anchored at its start: the characters any
match may open with, for a lookahead before the pattern's alternatives (a case-insensitive
alternation of labels tries every alternative at the line's first character; one class rules most out).
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser behind re.compile: private, so a Python that moves it just goes ungated
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover
    _sre = _sre_parse = None  # type: ignore[assignment]

# Past this many strings the `in` tests cost about what the pattern does.
_MAX_NEEDLES = 24


class GatedPattern:
    """`pattern`'s search and match, skipped where no match can be: the text holds none of `needles`."""

    __slots__ = ("needles", "pattern")

    def __init__(self, pattern: re.Pattern[str], needles: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.needles = needles

    def search(self, text: str, *bounds: int) -> re.Match[str] | None:
        return self.pattern.search(text, *bounds) if holds_any(text, self.needles) else None

    def match(self, text: str, *bounds: int) -> re.Match[str] | None:
        return self.pattern.match(text, *bounds) if holds_any(text, self.needles) else None

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        return self.pattern.split(text, maxsplit) if holds_any(text, self.needles) else [text]

    def __getattr__(self, name: str) -> Any:  # sub, finditer, pattern text, flags: the pattern's own
        return getattr(self.pattern, name)


def holds_any(text: str, needles: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `needles`: the substring test the rules run before their patterns."""
    for needle in needles:  # noqa: SIM110  (any() over a generator costs twice as much a call)
        if needle in text:
            return True
    return False


def gated(pattern: re.Pattern[str]) -> re.Pattern[str] | GatedPattern:
    """The pattern behind a substring test when its parse names strings every match holds, else itself."""
    needles = required_strings(pattern)
    if needles:
        # a string holding another is never the only one found: the shorter one is tested anyway
        needles = frozenset(n for n in needles if not any(other != n and other in n for other in needles))
    if not needles or len(needles) > _MAX_NEEDLES:
        return pattern
    return GatedPattern(pattern, tuple(sorted(needles, key=len)))


def required_strings(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings of which every match of `pattern` holds at least one, or None when its parse does not say."""
    if _sre_parse is None or not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover  (a private parser may change its mind)
        return None
    return _required(list(parsed))


def _required(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """For a sequence the match runs through item by item: the best set of strings any one mandatory
    item requires (a run of literal characters, or a group, alternation or repeat that requires one)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            candidates.append(frozenset(["".join(run)]))
            run.clear()

    for op, value in items:
        if op is _sre.LITERAL:
            run.append(chr(value))
            continue
        end_run()
        found: frozenset[str] | None = None
        if op is _sre.SUBPATTERN:
            _group, add_flags, _del_flags, sub = value
            found = None if add_flags & re.IGNORECASE else _required(list(sub))
        elif op is _sre.BRANCH:
            found = _any_of([_required(list(alternative)) for alternative in value[1]])
        elif op is _sre.IN and all(kind is _sre.LITERAL for kind, _ in value):
            found = frozenset(chr(code) for _, code in value)  # a class of a few characters: one of them
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            low, _high, sub = value
            found = _required(list(sub)) if low >= 1 else None
        # anything else (a class, an anchor, a lookaround, an optional part) requires no string of its own
        if found:
            candidates.append(found)
    end_run()
    if not candidates:
        return None
    # strings of several characters (" to " and single letters are in most lines), then the fewest of
    # them, then the longest: the cheapest test that rules out the most lines
    return min(candidates, key=_weakness)


def _weakness(strings: frozenset[str]) -> tuple[int, int, int]:
    shortest = min(map(len, strings))
    return -min(shortest, 6), len(strings), -shortest


def _any_of(alternatives: list[frozenset[str] | None]) -> frozenset[str] | None:
    if any(not strings for strings in alternatives):
        return None
    return frozenset().union(*alternatives)  # type: ignore[arg-type]


def first_characters(regex: str) -> str | None:
    """The characters a match of `regex` (a pattern's text) may start with, when every match starts
    with one of a few literal characters, as a class for a lookahead: "(?=[ab])"; else None. The class
    is read under the same flags as the pattern, so it admits what the pattern's own letters admit."""
    if _sre_parse is None:
        return None
    try:
        starts, may_be_empty = _first(list(_sre_parse.parse(regex)))
    except (ValueError, re.error):  # a part whose first characters are not spelled out
        return None
    if may_be_empty or not starts:
        return None
    return "(?=[" + "".join(re.escape(ch) for ch in sorted(starts)) + "])"


def _first(items: list[tuple[Any, Any]]) -> tuple[set[str], bool]:
    """The literal characters the sequence may start with, and whether it may match nothing; ValueError
    for a start of any other kind (a class of ranges, a category, a backreference)."""
    found: set[str] = set()
    for op, value in items:
        if op is _sre.LITERAL:
            found.add(chr(value))
            return found, False
        if op is _sre.AT:  # an anchor takes no character
            continue
        if op is _sre.IN and all(kind is _sre.LITERAL for kind, _ in value):
            found.update(chr(code) for _, code in value)
            return found, False
        if op is _sre.SUBPATTERN:
            if (value[1] | value[2]) & re.IGNORECASE:  # a part of other case rules than the pattern's
                raise ValueError(op)
            alternatives, low = [list(value[3])], 1
        elif op is _sre.BRANCH:
            alternatives, low = [list(alternative) for alternative in value[1]], 1
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            alternatives, low = [list(value[2])], value[0]
        else:
            raise ValueError(op)
        empty = False
        for alternative in alternatives:
            starts, may_be_empty = _first(alternative)
            found |= starts
            empty = empty or may_be_empty
        if low >= 1 and not empty:
            return found, False
    return found, True
