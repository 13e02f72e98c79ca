"""A source's template, learned from its own articles, keeps its boxes out of every later record.

The site here is built as a real one is: many corpus articles rendered into one template whose
newsletter box, author bio box (one per author) and list of other stories sit inside the article
container under class names that say nothing, in words no phrase list knows.
"""

from __future__ import annotations

import gzip
import json
import os
import random
from html import escape
from pathlib import Path

from e2e import crawl, manifest_records, newsvault
from newsnet import NewsNetwork

from pipelines.extract.fields import ExtractOptions, extract_fields
from pipelines.extract.site_template import (
    BLOCK_MAX_CHARS,
    MAX_BLOCKS,
    MIN_ARTICLES,
    SiteTemplate,
    SourceTemplates,
    block_key,
    page_blocks,
    without_template,
)
from pipelines.extract.worker import TEMPLATE_BLOCKS_KEY
from state.backends import SQLiteState, open_state

ZYTE = "corpora/zyte_article_extraction_benchmark"
NEWSLETTER = "The Morning Ledger: our editors pick the five stories that matter, every weekday at seven."
BIOS = {
    "Maria Lopez": "Maria Lopez covers city hall and transport for the Ledger since 2019.",
    "Tom Berg": "Tom Berg writes about energy, climate and the companies in between.",
    "Ana Silva": "Ana Silva edits the Ledger's weekend pages and its books coverage.",
}
OTHER_STORIES = ["Night buses return to the eastern suburbs", "Council votes on the new harbour bridge",
                 "Five places to eat near the old market"]


def _paragraphs(html: str) -> list[str]:
    import lxml.html

    texts = (" ".join(p.text_content().split()) for p in lxml.html.document_fromstring(html).iter("p"))
    return [p for p in texts if len(p) > 80]


def _site_page(paragraphs: list[str], author: str, n: int) -> bytes:
    """A corpus article's paragraphs in the Ledger's template, the boxes in the middle of the body."""
    boxes = (f"<div class='c-4f'><div class='x1'>{escape(NEWSLETTER)}</div></div>"
             f"<div class='c-9a'><p>{escape(BIOS[author])}</p></div>"
             "<div class='c-2b'>" + "".join(f"<div class='i'><a href='/{i}/'>{escape(s)}</a></div>"
                                         for i, s in enumerate(OTHER_STORIES)) + "</div>")
    half = len(paragraphs) // 2
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:half]) + boxes + "".join(
        f"<p>{escape(p)}</p>" for p in paragraphs[half:])
    return (f"<html lang='en'><head><title>Story {n} | The Ledger</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>Story number {n} of the day</h1>"
            f"<div class='c-1'><span class='c-3'>By {author}</span></div>{body}</article></body></html>").encode()


def _corpus_articles(shared_dir: Path, n: int) -> list[list[str]]:
    """The paragraphs of the first n corpus articles long enough to be news stories."""
    found = []
    for line in (shared_dir / ZYTE / "index.jsonl").read_text().splitlines():
        row = json.loads(line)
        paragraphs = _paragraphs(gzip.decompress((shared_dir / ZYTE / row["html_path"]).read_bytes())
                                 .decode("utf-8", "replace"))
        if len(paragraphs) >= 6:
            found.append(paragraphs)
        if len(found) == n:
            break
    return found


def _crawl(templates: SourceTemplates, pages: list[bytes]) -> list[str]:
    """What the extraction pipeline does per page: extract with the template so far, then learn."""
    texts = []
    for n, page in enumerate(pages):
        fields = extract_fields(f"https://ledger.example/news/story-{n}/", page,
                                {"content-type": "text/html; charset=utf-8"}, ExtractOptions(),
                                templates.blocks("ledger"))
        templates.observe("ledger", fields["canonical_url"], fields.pop(TEMPLATE_BLOCKS_KEY))
        texts.append(fields["text"])
    return texts


def test_the_sites_boxes_leave_the_records_once_learned_and_stay_out_in_later_runs(
        shared_dir: Path, tmp_path: Path) -> None:
    authors = list(BIOS)
    pages = [_site_page(p, authors[n % 3], n) for n, p in enumerate(_corpus_articles(shared_dir, 21))]
    state = open_state(f"sqlite:///{tmp_path}/state.db")
    templates = SourceTemplates(state)

    texts = _crawl(templates, pages[:20])
    templates.save()

    # each box is learned from MIN_ARTICLES pages (a bio from its author's pages), then never kept
    learned_after = MIN_ARTICLES * len(authors)
    for text in texts[learned_after:]:
        assert NEWSLETTER not in text and not any(bio in text for bio in BIOS.values())
        assert not any(story in text for story in OTHER_STORIES)
    # the article itself is untouched: every paragraph of the page's own text is still there
    for n, text in enumerate(texts[learned_after:], start=learned_after):
        alone = extract_fields(f"https://ledger.example/news/story-{n}/", pages[n],
                               {"content-type": "text/html; charset=utf-8"}, ExtractOptions())["text"]
        boxes = {NEWSLETTER, *BIOS.values(), *OTHER_STORIES}
        assert text.splitlines() == [line for line in alone.splitlines() if line not in boxes]

    # the next run starts from what this one learned: its first page is clean
    next_run = _crawl(SourceTemplates(open_state(f"sqlite:///{tmp_path}/state.db")), pages[20:21])
    assert NEWSLETTER not in next_run[0] and BIOS[authors[20 % 3]] not in next_run[0]


def test_the_sites_name_in_its_titles_is_learned_and_never_an_author(shared_dir: Path) -> None:
    """A site that declares no name (no og:site_name, a host that says something else) still has its
    name cut from its titles once they have shown it to be the site's."""
    templates = SourceTemplates(open_state("sqlite:///:memory:"))
    titles, authors = [], []
    pages = _corpus_articles(shared_dir, MIN_ARTICLES + 3)
    for n, paragraphs in enumerate(pages):
        # the last page credits the site beside its writer
        credit = "<meta name='author' content='The Morning Ledger, Jane Doe'>" if n == len(pages) - 1 else ""
        # (a headline as long as the name: no part of the title alone tells which is the headline)
        page = (f"<html><head><title>Council vote, day {n} | The Morning Ledger</title>{credit}"
                "</head><body><article>"
                + "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + "</article></body></html>").encode()
        fields = extract_fields(f"https://ml-7.example/news/{n}/", page, {"content-type": "text/html; charset=utf-8"},
                                ExtractOptions(), templates.blocks("ledger"))
        templates.observe("ledger", fields["canonical_url"], fields.pop(TEMPLATE_BLOCKS_KEY))
        titles.append(fields["title"])
        authors.append(fields["authors"])
    assert titles[0] == "Council vote, day 0 | The Morning Ledger"
    assert titles[MIN_ARTICLES:] == [f"Council vote, day {n}" for n in range(MIN_ARTICLES, len(titles))]
    assert authors[-1] == ["Jane Doe"]


def test_a_writer_in_every_title_of_a_one_writer_blog_stays_its_author() -> None:
    templates = SourceTemplates(open_state("sqlite:///:memory:"))
    story = "".join(f"<p>Entry paragraph {k} on gardening, in sentences long enough to be a post.</p>" for k in range(5))
    for n in range(MIN_ARTICLES + 2):
        page = (f"<html><head><title>Tomatoes in week {n} - by Jane Gardener</title>"
                f"<meta name='author' content='Jane Gardener'></head><body><article>{story}"
                f"<p>Week {n} was different.</p></article></body></html>").encode()
        fields = extract_fields(f"https://blog.example/{n}/", page, {"content-type": "text/html; charset=utf-8"},
                                ExtractOptions(), templates.blocks("blog"))
        templates.observe("blog", fields["canonical_url"], fields.pop(TEMPLATE_BLOCKS_KEY))
    assert fields["authors"] == ["Jane Gardener"] and fields["title"] == f"Tomatoes in week {n}"


def test_a_sentence_four_stories_of_hundreds_quote_is_not_the_template() -> None:
    template = SiteTemplate()
    quote = block_key("'We will not give up,' the mayor said.")
    for n in range(200):
        template.observe(n, [block_key(f"paragraph {n} of its own"), *([quote] if n % 50 == 0 else [])])
    assert quote not in template.blocks()


def test_a_box_on_every_page_since_a_redesign_is_the_template() -> None:
    template = SiteTemplate()
    box = block_key("Get the Ledger app")
    for n in range(500):
        template.observe(n, [block_key(f"paragraph {n}"), *([box] if n >= 480 else [])])
    assert box in template.blocks()


def test_an_article_fetched_again_counts_once_however_its_text_changed() -> None:
    template = SiteTemplate()
    box = block_key("Get the Ledger app")
    for _ in range(MIN_ARTICLES + 2):
        template.observe(7, [box])
    assert template.articles == 1 and box not in template.blocks()


def test_a_box_of_a_few_sentences_is_a_block_and_an_articles_long_paragraph_is_not() -> None:
    box = ("The Morning Ledger lands before breakfast: five stories our editors chose, one chart that explains "
           "the day, and the week's best reads on Saturday. It is free, it takes three minutes, and you can leave "
           "whenever you like. Tell us where to send it and we will do the rest, every weekday at seven.")
    assert 250 < len(box) <= BLOCK_MAX_CHARS and block_key(box) in page_blocks([box])
    paragraph = "The council met on Monday. " * 20
    assert not page_blocks([paragraph])


def test_digits_and_case_do_not_make_a_new_block() -> None:
    assert block_key("3 Min Read") == block_key("12 min  read")


def test_a_page_the_template_would_empty_keeps_its_text() -> None:
    lines = ["A short line.", "Another short line."]
    assert without_template(lines, frozenset(map(block_key, lines))) == lines


def test_memory_stays_bounded_and_keeps_the_template() -> None:
    template = SiteTemplate()
    box = block_key("Get the Ledger app")
    rng = random.Random(1)
    for n in range(3000):
        template.observe(n, [box, *(rng.getrandbits(64) for _ in range(5))])
    assert len(template.counts) <= MAX_BLOCKS and box in template.blocks()


def test_a_template_survives_storage_and_unreadable_bytes_start_afresh(tmp_path: Path) -> None:
    template = SiteTemplate()
    for n in range(10):
        template.observe(n, [block_key("box"), block_key(f"p {n}")])
    assert SiteTemplate.from_bytes(template.to_bytes()) == template
    assert SiteTemplate.from_bytes(b"NVT1garbage") == SiteTemplate()
    state = SQLiteState(tmp_path / "state.db")
    state.save_template("ledger", template.to_bytes())
    assert SiteTemplate.from_bytes(state.load_template("ledger")).blocks() == template.blocks()
    assert state.load_template("other") is None


def test_templates_are_shared_through_redis(redis_uri: str) -> None:
    template = SiteTemplate()
    for n in range(10):
        template.observe(n, [block_key("box")])
    one, other = open_state(redis_uri), open_state(redis_uri)
    one.save_template("ledger", template.to_bytes())
    assert SiteTemplate.from_bytes(other.load_template("ledger")).blocks() == {block_key("box")}



def _boxed_site(newsnet: NewsNetwork, tmp_path: Path, **crawl: object) -> tuple[Path, list[str]]:
    """The "daily" site with the box in every article; its config, and the texts of its articles."""
    site = "daily"
    articles = [a for a in newsnet.articles if a.site_id == site and a.expected_text]
    for article in articles:
        newsnet.edit_article(site, article.path, NEWSLETTER)
    config = tmp_path / "newsvault.toml"
    config.write_text(newsnet.config_toml(tmp_path / "archive", f"sqlite:///{tmp_path}/state.db", sources=[site],
                                          **crawl))
    return config, [a.path for a in articles]


def test_a_new_sources_first_pages_wait_for_its_template_and_no_record_keeps_the_box(
        newsnet: NewsNetwork, tmp_path: Path) -> None:
    config, articles = _boxed_site(newsnet, tmp_path)
    assert len(articles) >= MIN_ARTICLES + 1
    run = crawl(config, env={**os.environ, "NEWSVAULT_EXTRACT_WORKERS": "1"})
    records = manifest_records(tmp_path / "archive", run)
    # the pages extracted before the template had learned from MIN_ARTICLES articles were held back,
    # then extracted again with it: the source's very first record is as clean as its last
    assert len(records) >= MIN_ARTICLES + 1
    assert not any(NEWSLETTER in r["text"] for r in records)
    assert all(len(r["text"]) > 500 for r in records)  # the articles themselves are all there


def test_a_run_too_short_to_learn_keeps_the_box_and_the_next_run_and_replay_leave_it_out(
        newsnet: NewsNetwork, tmp_path: Path) -> None:
    config, _ = _boxed_site(newsnet, tmp_path, max_articles_per_run=MIN_ARTICLES - 1)
    env = {**os.environ, "NEWSVAULT_EXTRACT_WORKERS": "1"}
    first = crawl(config, env=env)
    early = manifest_records(tmp_path / "archive", first)
    # fewer articles than the template learns from: the run waited for no more and kept the box
    assert len(early) == MIN_ARTICLES - 1 and first["status"] == "ok"
    assert all(NEWSLETTER in r["text"] for r in early)

    config.write_text(config.read_text().replace(f"max_articles_per_run = {MIN_ARTICLES - 1}\n", ""))
    second = crawl(config, env=env)
    later = manifest_records(tmp_path / "archive", second)
    # the next run goes on learning where this one stopped, and its first pages wait for it too
    assert later and not any(NEWSLETTER in r["text"] for r in later)

    done = newsvault("replay", "--since", first["started_at"], "--until", "2100-01-01",
                     "--to", str(tmp_path / "replayed"), "--json", config=config)
    assert done.returncode == 0, done.stderr[-3000:]
    replayed = manifest_records(tmp_path / "replayed", json.loads(done.stdout))
    # the template is built from the stored pages first: the records archived with the box lose it
    assert len(replayed) == len(early) + len(later)
    assert not any(NEWSLETTER in r["text"] for r in replayed)
