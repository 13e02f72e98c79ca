"""The stories the network serves, chosen at construction from the corpora in ../shared/corpora: real
publisher pages picked at random (seeded), the seed article, and the article hidden behind robots.txt."""

from __future__ import annotations

import gzip
import json
import random
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import lxml.html

from .sites import SITE_SPECS

CORPUS_FOLDERS = ("zyte_article_extraction_benchmark", "newspaper4k_tests")
SEED_FILE = Path("seed") / "azerbaijan-balancing-act.txt"
SEED_PATH = "/2024/05/azerbaijan-balancing-act.html"
SECRET_PATH = "/private/2024/05/secret.html"
# The seed's trailing lines are page chrome, not article text: they are rendered only in the boilerplate.
SEED_BOILERPLATE = (
    "Share This Article",
    "Leave a comment",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
)
SEED_AUTHOR = "Aylin Karimova"
SEED_PUBLISHED = "2024-05-20T09:30:00+00:00"
_NEWEST = datetime(2024, 5, 20, 8, 0, tzinfo=UTC)
_READING_TIME = re.compile(r"^\d+\s+min(ute)?s?\s+read$", re.IGNORECASE)


@dataclass(frozen=True)
class _Story:
    """An article chosen at construction, before the network knows its ports."""

    site_id: str
    path: str
    corpus_id: str
    body: bytes
    encoding: str
    expected_text: str | None
    title: str
    listed_at: datetime
    authors: tuple[str, ...] = ()
    published_at: str | None = None


def _choose_stories(shared_dir: Path, seed: int, pages_per_site: int) -> list[_Story]:
    pool = _corpus_pool(shared_dir / "corpora")
    needed = pages_per_site * len(SITE_SPECS)
    if needed > len(pool):
        raise ValueError(f"pages_per_site={pages_per_site} needs {needed} corpus articles, only {len(pool)} exist")
    picked = random.Random(seed).sample(pool, needed)
    stories = [_seed_story(shared_dir / SEED_FILE)]
    used: set[str] = set()
    for index, (folder, row) in enumerate(picked):
        spec = SITE_SPECS[index // pages_per_site]
        rank = index % pages_per_site
        stories.append(_corpus_story(shared_dir / "corpora" / folder, folder, row, spec.site_id, rank, used))
    stories.append(_secret_story())
    return stories


def _corpus_pool(corpora: Path) -> list[tuple[str, dict[str, Any]]]:
    pool: list[tuple[str, dict[str, Any]]] = []
    for folder in CORPUS_FOLDERS:
        index = corpora / folder / "index.jsonl"
        if not index.is_file():
            raise FileNotFoundError(f"corpus index missing: {index}")
        for line in index.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if _expected_text(row):
                pool.append((folder, row))
    pool.sort(key=lambda item: (item[0], item[1]["id"]))
    return pool


def _expected_text(row: Mapping[str, Any]) -> str | None:
    expected = row.get("expected") or {}
    text = expected.get("articleBody") or expected.get("text")
    return text if isinstance(text, str) and text.strip() else None


def _corpus_story(
    folder_dir: Path, folder: str, row: Mapping[str, Any], site_id: str, rank: int, used: set[str]
) -> _Story:
    body = gzip.decompress((folder_dir / row["html_path"]).read_bytes())
    encoding = row.get("html_encoding") or "utf-8"
    expected = row.get("expected") or {}
    title = expected.get("title") or _page_title(body, encoding) or row["id"]
    slug = _unique_slug(title, str(row["id"]), used)
    path = {"daily": f"/2024/05/{slug}.html", "wire": f"/news/{slug}.html", "blog": f"/posts/{slug}/"}[site_id]
    hours = 7 * rank + {"daily": 0, "wire": 2, "blog": 4}[site_id]
    published = expected.get("publish_date")
    return _Story(
        site_id, path, f"{folder}/{row['id']}", body, encoding, _expected_text(row), title.strip(),
        _NEWEST - timedelta(hours=hours), tuple(expected.get("authors") or ()),
        published if isinstance(published, str) else None,
    )


def _page_title(body: bytes, encoding: str) -> str | None:
    doc = lxml.html.document_fromstring(body, parser=lxml.html.HTMLParser(encoding=encoding))
    for xpath in ('//meta[@property="og:title"]/@content', "//title//text()", "//h1//text()"):
        found = " ".join(" ".join(str(v) for v in doc.xpath(xpath)).split())
        if found:
            return found
    return None


def _unique_slug(title: str, fallback: str, used: set[str]) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    if len(slug) < 8:  # titles in other scripts lose everything to ASCII folding
        slug = "story-" + re.sub(r"[^a-z0-9]+", "-", fallback.lower())[:12].strip("-")
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


def _seed_story(seed_file: Path) -> _Story:
    if not seed_file.is_file():
        raise FileNotFoundError(f"seed article missing: {seed_file}")
    lines = [line.strip() for line in seed_file.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    title, rest = lines[0], lines[1:]
    if SEED_BOILERPLATE[0] not in rest:
        raise ValueError(f"{seed_file}: expected the article to end with {SEED_BOILERPLATE[0]!r}")
    paragraphs = [p for p in rest[: rest.index(SEED_BOILERPLATE[0])] if not _READING_TIME.match(p)]
    return _Story(
        "daily", SEED_PATH, "seed/azerbaijan-balancing-act", b"", "utf-8", "\n".join(paragraphs), title,
        datetime.fromisoformat(SEED_PUBLISHED), (SEED_AUTHOR,), SEED_PUBLISHED,
    )


_SECRET_PARAGRAPHS = (
    "The council's internal review of the harbour contract was never meant to leave the building, and "
    "this page exists only to prove that a polite crawler never fetches it.",
    "Anyone reading this text in an archive has found a crawler that ignored robots.txt: the path sits "
    "under /private/, which the site's robots file disallows for every user agent.",
    "The review describes three rounds of bidding, a late change to the tender rules and a consultant "
    "whose fees were paid from a budget line reserved for maintenance of the old quay.",
)


def _secret_story() -> _Story:
    return _Story(
        "daily", SECRET_PATH, "newsnet/secret", b"", "utf-8", "\n".join(_SECRET_PARAGRAPHS),
        "Harbour contract review, internal draft", _NEWEST - timedelta(hours=1),
    )
