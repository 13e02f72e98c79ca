"""A labelled set of near-duplicate pairs built from real pages, and how pipelines/neardup scores on it.

Every pair is compared on EXTRACTED text: each page, real or generated, goes through
pipelines.extract.fields.extract_fields exactly as in a crawl.

Positives: an article's own page against a republished copy. The copy is the article's body placed
into another publisher's real page (that page's paragraphs swapped for ours, its headline rewritten,
its navigation, teasers and footer kept), with realistic edits: one or more of a paragraph added, a
paragraph cut, the last paragraphs trimmed, a correction line, a republication credit. Half the
articles get a second copy in a third template, and the two copies form a pair too.

Negatives:
- same_template: two different articles placed in the same publisher's template (shared boilerplate);
- same_site: two real pages of one publisher (fundus_evaluation has 2-5 per publisher);
- same_topic: the most similar pairs of different articles by TF-IDF cosine over their expected text
  (shared names, places, vocabulary: articles on one subject or event);
- random: pairs of different articles.

Run `python tests/neardup_eval.py [--articles N]` to print the set's make-up and the precision/recall
curve of MinHash (Jaccard threshold) and of the record's unigram Simhash (Hamming distance) beside it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import lxml.html

from pipelines import neardup
from pipelines.extract.fields import ExtractOptions, NotAnArticle, extract_fields

FOLDERS = ("zyte_article_extraction_benchmark", "fundus_evaluation", "fundus_publisher_tests", "newspaper4k_tests")
HTML = {"Content-Type": "text/html; charset=utf-8"}
OPTIONS = ExtractOptions()
# Positives need a body long enough to be a story (short texts are never near-duplicates by rule,
# and tests/test_neardup.py checks that rule on its own).
MIN_BODY_WORDS = 120
CORRECTIONS = (
    "Correction: An earlier version of this story misstated the date of the announcement.",
    "Correction: This article has been updated to correct the spelling of a name.",
    "Editor's note: This story has been updated with additional reporting.",
)
CREDITS = (
    "This story was originally published by {name}. It is republished here with permission.",
    "{name} contributed to this report.",
    "Reporting by {name}; editing by the news desk.",
)


@dataclass(frozen=True)
class CorpusArticle:
    key: str
    publisher: str
    url: str
    html: bytes
    paragraphs: tuple[str, ...]
    title: str

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass(frozen=True)
class Page:
    """A page as the pipeline sees it after extraction."""

    name: str
    text: str | None

    @cached_property
    def fingerprint(self) -> neardup.Fingerprint | None:
        return neardup.fingerprint(self.text) if self.text else None


@dataclass(frozen=True)
class Pair:
    kind: str
    label: bool
    a: Page
    b: Page


# -- the corpora -------------------------------------------------------------------------------------


def load_articles(corpora: Path) -> list[CorpusArticle]:
    articles = []
    for folder in FOLDERS:
        for line in (corpora / folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            paragraphs = _expected_paragraphs(row.get("expected") or {})
            if not paragraphs:
                continue
            expected = row["expected"]
            html = gzip.decompress((corpora / folder / row["html_path"]).read_bytes())
            publisher = row.get("publisher") or _host(row.get("url")) or f"{folder}/{row['id']}"
            url = row.get("url") or f"https://{folder.replace('_', '-')}.example/{row['id']}"
            articles.append(CorpusArticle(f"{folder}/{row['id']}", publisher, url, html, paragraphs,
                                          str(expected.get("title") or _page_title(html) or row["id"])))
    return articles


def _expected_paragraphs(expected: dict[str, Any]) -> tuple[str, ...]:
    if isinstance(expected.get("body_paragraphs"), list):
        parts = expected["body_paragraphs"]
    else:
        text = expected.get("articleBody") or expected.get("body_text") or expected.get("text") or ""
        parts = text.split("\n") if isinstance(text, str) else []
    return tuple(p.strip() for p in parts if isinstance(p, str) and p.strip())


def _host(url: str | None) -> str | None:
    match = re.match(r"https?://(?:www\.)?([^/]+)", url or "")
    return match.group(1) if match else None


def _page_title(html: bytes) -> str | None:
    doc = lxml.html.document_fromstring(html)
    found = doc.xpath("//title//text()")
    return " ".join(" ".join(found).split()) or None


def extract(url: str, html: bytes) -> str | None:
    try:
        return str(extract_fields(url, html, HTML, OPTIONS)["text"])
    except NotAnArticle:
        return None


# -- templates: another publisher's page around our text ---------------------------------------------


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


class Template:
    """A real article page whose body paragraphs can be swapped for another article's."""

    def __init__(self, host: CorpusArticle) -> None:
        self.host = host
        doc = lxml.html.document_fromstring(host.html)
        body = _norm(" ".join(host.paragraphs))
        own = [p for p in doc.iter("p") if len(_norm(p.text_content())) >= 40 and _norm(p.text_content()) in body]
        parents = Counter(p.getparent() for p in own)
        if not parents or parents.most_common(1)[0][1] < 2:
            raise ValueError(f"{host.key}: no block of body paragraphs to replace")
        self.usable = True

    def render(self, title: str, paragraphs: Sequence[str]) -> bytes:
        doc = lxml.html.document_fromstring(self.host.html)
        body = _norm(" ".join(self.host.paragraphs))
        own = [p for p in doc.iter("p") if len(_norm(p.text_content())) >= 40 and _norm(p.text_content()) in body]
        parent = Counter(p.getparent() for p in own).most_common(1)[0][0]
        mine = [p for p in own if p.getparent() is parent]
        anchor = mine[0]
        for paragraph in paragraphs:
            new = lxml.html.Element("p")
            new.text = paragraph
            anchor.addprevious(new)
        for p in own:  # the host's own story goes, wherever its paragraphs sat
            p.drop_tree()
        for heading in doc.iter("h1"):
            heading.clear()
            heading.text = title
        for node in doc.xpath("//title | //meta[@property='og:title' or @name='twitter:title']"):
            if node.tag == "title":
                node.text = title
            else:
                node.set("content", title)
        for script in doc.xpath("//script[@type='application/ld+json']"):
            script.drop_tree()  # the host's structured data describes the host's story
        return lxml.html.tostring(doc, encoding="utf-8", method="html", doctype="<!DOCTYPE html>")


class Templates:
    """A pool of `size` usable templates from the corpus pages (checked lazily, in random order), so
    that each template hosts several stories and same-template pairs exist."""

    def __init__(self, articles: Sequence[CorpusArticle], size: int, rng: random.Random) -> None:
        self.pool: list[Template] = []
        for article in rng.sample(list(articles), len(articles)):
            try:
                self.pool.append(Template(article))
            except ValueError:
                continue
            if len(self.pool) == size:
                break

    def draw(self, rng: random.Random, n: int, exclude_publisher: str) -> list[Template]:
        return rng.sample([t for t in self.pool if t.host.publisher != exclude_publisher], n)


# -- realistic edits ---------------------------------------------------------------------------------


def republish(article: CorpusArticle, rng: random.Random, filler: Sequence[str], outlet: str) -> tuple[str, list[str]]:
    """(new headline, edited paragraphs): a rewritten headline and one to three edits."""
    lead_words = article.paragraphs[0].split()
    title = " ".join(lead_words[: rng.randint(6, 11)]).rstrip(",;:") + (" | " + outlet if rng.random() < 0.5 else "")
    paragraphs = list(article.paragraphs)
    edits = rng.sample(("add", "cut", "trim", "correction", "credit"), rng.randint(1, 3))
    for edit in edits:
        if edit == "add":
            paragraphs.insert(rng.randint(1, len(paragraphs)), rng.choice(filler))
        elif edit == "cut" and len(paragraphs) > 3:
            del paragraphs[rng.randint(1, len(paragraphs) - 1)]
        elif edit == "trim" and len(paragraphs) > 6:
            del paragraphs[-rng.randint(1, 2):]
        elif edit == "correction":
            line = rng.choice(CORRECTIONS)
            if rng.random() < 0.5:
                paragraphs.insert(0, line)
            else:
                paragraphs.append(line)
        elif edit == "credit":
            paragraphs.append(rng.choice(CREDITS).format(name=article.publisher))
    return title, paragraphs


# -- same-topic pairs --------------------------------------------------------------------------------


def same_topic_pairs(articles: Sequence[CorpusArticle], n: int) -> list[tuple[CorpusArticle, CorpusArticle, float]]:
    """The n most similar pairs of different articles by TF-IDF cosine over their expected text."""
    docs = [Counter(t for t in neardup.tokens(" ".join(a.paragraphs)) if len(t) > 2) for a in articles]
    df = Counter(t for doc in docs for t in doc)
    limit = max(2, len(docs) // 20)  # terms in more than 5% of articles say nothing about the topic
    idf = {t: math.log(len(docs) / c) for t, c in df.items() if 1 < c <= limit}
    vectors = []
    for doc in docs:
        weights = {t: (1 + math.log(c)) * idf[t] for t, c in doc.items() if t in idf}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items()})
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for t, w in vector.items():
            postings[t].append((i, w))
    scores: dict[tuple[int, int], float] = defaultdict(float)
    for entries in postings.values():
        for x in range(len(entries)):
            i, wi = entries[x]
            for j, wj in entries[x + 1:]:
                scores[(i, j)] += wi * wj
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    out = []
    for (i, j), score in ranked:
        a, b = articles[i], articles[j]
        if a.url == b.url or _containment(a, b) > 0.5:  # the same article kept by two corpora
            continue
        out.append((a, b, score))
        if len(out) == n:
            break
    return out


def _containment(a: CorpusArticle, b: CorpusArticle) -> float:
    def grams(article: CorpusArticle) -> set[tuple[str, ...]]:
        words = neardup.tokens(" ".join(article.paragraphs))
        return {tuple(words[i:i + 8]) for i in range(len(words) - 7)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / max(1, min(len(ga), len(gb)))


# -- the set -----------------------------------------------------------------------------------------


def build_pairs(corpora: Path, *, articles: int | None = None, seed: int = 8,
                progress: Callable[[str], None] | None = None) -> list[Pair]:
    """The labelled pairs; `articles` caps how many stories are republished (None: all that qualify)."""
    rng = random.Random(seed)
    corpus = load_articles(corpora)
    stories = [a for a in corpus if a.words >= MIN_BODY_WORDS and a.paragraphs[0].split()]
    rng.shuffle(stories)
    if articles is not None:
        stories = stories[:articles]
    hosts = Templates(corpus, max(4, len(stories) // 3), rng)
    filler = [p for a in corpus for p in a.paragraphs if 40 <= len(p.split()) <= 90]
    cache: dict[str, Page] = {}

    def original(article: CorpusArticle) -> Page:
        if article.key not in cache:
            cache[article.key] = Page(article.key, extract(article.url, article.html))
        return cache[article.key]

    pairs: list[Pair] = []
    by_host: dict[str, list[tuple[CorpusArticle, Page]]] = defaultdict(list)
    for n, story in enumerate(stories):
        if progress and n % 25 == 0:
            progress(f"republishing {n}/{len(stories)}")
        copies = []
        for template in hosts.draw(rng, 2 if n % 2 == 0 else 1, story.publisher):
            title, paragraphs = republish(story, rng, [p for p in filler if p not in story.paragraphs][:500],
                                          template.host.publisher)
            url = f"{template.host.url.rstrip('/')}-republished-{n}"
            page = Page(f"{story.key} in {template.host.key}", extract(url, template.render(title, paragraphs)))
            copies.append(page)
            by_host[template.host.key].append((story, page))
            pairs.append(Pair("copy", True, original(story), page))
        if len(copies) == 2:
            pairs.append(Pair("copy_of_copy", True, copies[0], copies[1]))

    for placed in by_host.values():
        for (sa, pa), (sb, pb) in zip(placed, placed[1:], strict=False):
            if sa.key != sb.key:
                pairs.append(Pair("same_template", False, pa, pb))

    by_publisher: dict[str, list[CorpusArticle]] = defaultdict(list)
    for article in corpus:
        if article.key.startswith("fundus_evaluation/"):
            by_publisher[article.publisher].append(article)
    for group in by_publisher.values():
        if articles is not None:  # a subset: two pages per publisher
            group = group[:2]
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                pairs.append(Pair("same_site", False, original(a), original(b)))

    topic_n = 60 if articles is None else max(10, articles // 3)
    for a, b, _ in same_topic_pairs(corpus, topic_n):
        pairs.append(Pair("same_topic", False, original(a), original(b)))

    pool = stories or corpus
    for _ in range(len(stories)):
        a, b = rng.sample(pool, 2)
        pairs.append(Pair("random", False, original(a), original(b)))
    return pairs


# -- scoring -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    threshold: float
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def minhash_verdicts(pairs: Iterable[Pair], threshold: float = neardup.THRESHOLD) -> list[tuple[Pair, bool]]:
    """What the index would answer for each pair: same bucket somewhere, then similarity >= threshold."""
    out = []
    for pair in pairs:
        fa, fb = pair.a.fingerprint, pair.b.fingerprint
        found = (fa is not None and fb is not None and bool(set(fa.band_keys()) & set(fb.band_keys()))
                 and fa.similarity(fb) >= threshold)
        out.append((pair, found))
    return out


def score(verdicts: Iterable[tuple[Pair, bool]], threshold: float) -> Scores:
    tp = fp = fn = 0
    for pair, found in verdicts:
        tp += pair.label and found
        fp += (not pair.label) and found
        fn += pair.label and not found
    return Scores(threshold, tp, fp, fn)


def simhash_scores(pairs: Sequence[Pair], distance: int) -> Scores:
    from core.record import simhash_hex

    verdicts = []
    for pair in pairs:
        if pair.a.text is None or pair.b.text is None:
            verdicts.append((pair, False))
            continue
        d = (int(simhash_hex(pair.a.text), 16) ^ int(simhash_hex(pair.b.text), 16)).bit_count()
        verdicts.append((pair, d <= distance))
    return score(verdicts, distance)


def report(pairs: Sequence[Pair]) -> str:
    lines = ["pairs by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(p.kind for p in pairs).items())),
             f"pages with no extractable text: {sum(p.a.text is None or p.b.text is None for p in pairs)} pairs",
             "", f"MinHash/LSH (word {neardup.SHINGLE_WORDS}-grams of the first {neardup.LEAD_WORDS} words, {neardup.BINS} bins, "
             f"{neardup.BANDS} bands x {neardup.ROWS}), verified Jaccard estimate >= threshold:",
             "threshold  precision  recall   tp   fp   fn"]
    for t in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
        s = score(minhash_verdicts(pairs, t), t)
        mark = "  <- chosen" if t == neardup.THRESHOLD else ""
        lines.append(f"{t:9.2f}  {s.precision:9.3f}  {s.recall:6.3f}  {s.tp:3d}  {s.fp:3d}  {s.fn:3d}{mark}")
    lines += ["", "record simhash (trafilatura, word unigrams, 64 bits), Hamming distance <= d:",
              "        d  precision  recall   tp   fp   fn"]
    for d in (3, 6, 9, 12, 15, 18):
        s = simhash_scores(pairs, d)
        lines.append(f"{d:9d}  {s.precision:9.3f}  {s.recall:6.3f}  {s.tp:3d}  {s.fp:3d}  {s.fn:3d}")
    lines += ["", "misses and false alarms at the chosen threshold (estimated Jaccard):"]
    for pair, found in minhash_verdicts(pairs):
        if found != pair.label:
            fa, fb = pair.a.fingerprint, pair.b.fingerprint
            sim = fa.similarity(fb) if fa is not None and fb is not None else float("nan")
            lines.append(f"  {pair.kind:13s} {sim:.2f}  {pair.a.name}  ~  {pair.b.name}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpora")
    parser.add_argument("--articles", type=int, default=None, help="republish at most N stories (default: all)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    pairs = build_pairs(args.corpora, articles=args.articles, progress=lambda m: print(m, file=sys.stderr))
    print(report(pairs))
    print(f"\nbuilt and scored in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
