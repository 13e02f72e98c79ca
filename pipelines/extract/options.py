"""The extraction options: one settings object, light to import (no trafilatura), shared by the
config validation, the extractor, and `replay --extractor-option`.

Besides trafilatura's switches it holds a source's rules (`[sources.extract]`): XPath expressions
for what the generic extractor gets wrong on that site. They are compiled and tried here, so a bad
one is refused by `newsvault check` at its key and line, never met halfway through a crawl."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from lxml import etree


class OptionError(ValueError):
    """A bad extractor option; ``key`` names the option at fault, for the config's message."""

    def __init__(self, key: str | None, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class ExtractOptions:
    """The extraction settings a source or the CLI may change; recorded in every record.

    - favor_precision / favor_recall: trafilatura's bias (mutually exclusive); default balanced.
    - include_tables: keep the text of tables inside the article (on: results tables, figures).
    - include_comments: keep reader comments; off, since a record holds the article only.
    - include_links: render links as Markdown ``[text](url)`` in the text; off, the text stays plain.
    - deduplicate: drop paragraphs repeated within the page (a scoped cache per call, so the result
      never depends on pages extracted before).
    - target_language: an ISO 639-1 code; pages written in another language (detected from the
      text, language.py) are not articles. The `languages` filter (pipelines/filters.py) is the
      counted, per-source way to keep a set of languages.
    - min_words: fewer whitespace-separated words is not an article; 0 disables it (word counts
      are meaningless for Chinese or Japanese text).
    - min_prose_chars: the text must hold at least this many characters of sentence-like lines
      (lines ending like a sentence); what tells an article from a menu or a list of headlines.
    - prune_xpath: subtrees removed from the page before anything reads it (a related-stories box).
    - body_xpath: the element(s) holding the article body, when the generic extractor picks wrong.
    - title_xpath, author_xpath, date_xpath: where the page writes them (an element's text or an
      attribute, e.g. ``//meta[@name='byl']/@content``); they win over every other signal.
    """

    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False
    include_links: bool = False
    deduplicate: bool = False
    target_language: str | None = None
    min_words: int = 0
    min_prose_chars: int = 100
    prune_xpath: tuple[str, ...] = field(default=(), metadata={"xpath": True})
    body_xpath: str | None = field(default=None, metadata={"xpath": True})
    title_xpath: str | None = field(default=None, metadata={"xpath": True})
    author_xpath: str | None = field(default=None, metadata={"xpath": True})
    date_xpath: str | None = field(default=None, metadata={"xpath": True})

    def __post_init__(self) -> None:
        if self.favor_precision and self.favor_recall:
            raise OptionError("favor_recall", "favor_precision and favor_recall are mutually exclusive")
        if self.min_words < 0 or self.min_prose_chars < 0:
            raise OptionError("min_words" if self.min_words < 0 else "min_prose_chars",
                              "min_words and min_prose_chars must be >= 0")
        if self.target_language is not None and not re.fullmatch(r"[a-z]{2,3}", self.target_language):
            raise OptionError(
                "target_language",
                f"target_language must be an ISO 639 code like 'en', not {self.target_language!r}"
            )
        for name in XPATH_OPTIONS:
            value = getattr(self, name)
            for expression in value if isinstance(value, tuple) else (value,) if value else ():
                check_xpath(name, expression)

    @property
    def has_rules(self) -> bool:
        return any(getattr(self, name) for name in XPATH_OPTIONS)

    def as_dict(self) -> dict[str, Any]:
        # lists, as JSON gives them back: a recorded option compares equal to the one in force
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_mapping(cls, m: Mapping[str, object]) -> ExtractOptions:
        """Build from config or ``--extractor-option K=V`` pairs: strings are coerced to the field type."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(m) - set(known))
        if unknown:
            raise OptionError(unknown[0], f"unknown extractor option(s) {', '.join(unknown)}; known: {', '.join(known)}")
        values: dict[str, Any] = {}
        for key, raw in m.items():
            default = known[key].default
            if key in XPATH_OPTIONS:
                values[key] = _to_xpaths(key, raw) if isinstance(default, tuple) else _to_xpath(key, raw)
            elif isinstance(default, bool):
                values[key] = _to_bool(key, raw)
            elif isinstance(default, int):
                values[key] = _to_int(key, raw)
            else:
                values[key] = _to_optional_str(key, raw)
        return cls(**values)


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _to_bool(key: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise OptionError(key, f"extractor option {key} must be true or false, not {raw!r}")


def _to_int(key: str, raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\s*\d+\s*", raw):
        return int(raw)
    raise OptionError(key, f"extractor option {key} must be a non-negative integer, not {raw!r}")


def _to_optional_str(key: str, raw: object) -> str | None:
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"", "none", "null"}):
        return None
    if isinstance(raw, str):
        return raw.strip().lower()
    raise OptionError(key, f"extractor option {key} must be a string, not {raw!r}")


XPATH_OPTIONS = tuple(f.name for f in fields(ExtractOptions) if f.metadata.get("xpath"))
_EMPTY_PAGE = etree.fromstring("<html><head/><body/></html>")


def check_xpath(key: str, expression: str) -> etree.XPath:
    """The compiled expression; OptionError when lxml cannot compile or run it (an unknown function
    or namespace prefix only shows when it runs, so it is tried once on an empty page)."""
    try:
        compiled = etree.XPath(expression)
        compiled(_EMPTY_PAGE)
    except (etree.XPathError, TypeError, ValueError) as exc:
        raise OptionError(key, f"{key} is not a valid XPath expression ({exc}): {expression!r}") from None
    return compiled


def _to_xpath(key: str, raw: object) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str):
        return raw.strip()  # never lower-cased: class names and attribute values are case-sensitive
    raise OptionError(key, f"extractor option {key} must be an XPath expression (a string), not {raw!r}")


def _to_xpaths(key: str, raw: object) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else None
    if items is None:
        raise OptionError(key, f"extractor option {key} must be a list of XPath expressions, not {raw!r}")
    return tuple(x for x in (_to_xpath(key, item) for item in items) if x is not None)
