"""Per-source control: a source's extraction rules, the language read from the text, and the filters
on what a run keeps, on a loopback site whose pages have the shape each rule is for."""

from __future__ import annotations

import gzip
import json
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from e2e import crawl, manifest_records, newsvault, serving
from pagesite import HARBOUR_STORY as ENGLISH
from pagesite import PageSite
from warcio.archiveiterator import ArchiveIterator

GERMAN = [
    "Der Stadtrat hat am Dienstag beschlossen, die Nachtschichten im Hafen über den Winter zu verlängern, "
    "nachdem sich Dutzende Containerschiffe vor der Küste gestaut hatten.",
    "Die Hafenarbeiter hatten gewarnt, dass der Rückstand ohne zusätzliche Mannschaften weiter wachsen "
    "würde, und die Hafenbehörde will die Schichten aus ihren Rücklagen bezahlen.",
    "Die Reedereien begrüßten die Entscheidung, verlangten aber einen Zeitplan, weil sie ihre Routen nicht "
    "planen können, solange die Liegeplätze unsicher sind.",
    "Der Rat will die Regelung im März überprüfen, wenn die im vergangenen Jahr bestellten Kräne eingebaut "
    "und getestet sein sollen.",
]
# Other stories' teasers written as sentences, in a box under a class name that says nothing: the
# generic extractor takes them for more of the article.
RELATED = [
    "Farmers across the valley are bracing for a third dry summer as reservoirs fall to their lowest "
    "level in a decade.",
    "The regional rail operator has promised new trains on the coastal line by autumn, two years later "
    "than first planned.",
]
PRUNE_RELATED = "//div[@class='c-box']"
HIDDEN_BYLINE = "//div[@class='x9']/b"


def article(title: str, paragraphs: list[str], *, lang: str = "en", related: bool = False,
            byline: str | None = None, published: str = "2026-11-20T08:00:00+00:00") -> str:
    box = '<div class="c-box">' + "".join(f"<p>{p}</p>" for p in RELATED) + "</div>" if related else ""
    credit = f'<div class="x9"><span>Reporting</span> <b>{byline}</b></div>' if byline else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{published}"></head><body>'
            f'<header><a href="/">Home</a></header><main><article><h1>{title}</h1>{credit}'
            f'<div class="c-body">{body}{box}</div></article></main><footer>Contact us</footer></body></html>')


def rss(site: PageSite, paths: list[str]) -> str:
    items = "".join(f"<item><title>{p}</title><link>{site.url(p)}</link></item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title>{items}</channel></rss>'


def write_config(tmp_path: Path, site: PageSite, *, crawl_keys: dict[str, Any] | None = None,
                 source_keys: dict[str, Any] | None = None, extract: dict[str, Any] | None = None,
                 feeds: list[str] | None = None, sitemaps: list[str] | None = None) -> Path:
    doc = tomlkit.document()
    doc["archive"] = {"uri": str(tmp_path / "archive")}
    doc["state"] = {"uri": f"sqlite:///{tmp_path}/state.db"}
    doc["crawl"] = {"user_agent": "newsvault-test", "download_delay": 0, "timeout": 10, **(crawl_keys or {})}
    source: dict[str, Any] = {"id": "harbour", "allowed_domains": ["127.0.0.1"], **(source_keys or {})}
    if feeds is not None:
        source["feeds"] = [site.url(f) for f in feeds]
    if sitemaps is not None:
        source["sitemaps"] = [site.url(s) for s in sitemaps]
    if extract:
        source["extract"] = extract
    sources = tomlkit.aot()
    sources.append(tomlkit.item(source))
    doc["sources"] = sources
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "newsvault.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def site() -> Iterator[PageSite]:
    with PageSite() as running:
        yield running


def records(tmp_path: Path, manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["url"]: r for r in manifest_records(tmp_path / "archive", manifest)}


def test_a_related_stories_box_leaks_into_the_text_until_prune_xpath_removes_it(
        site: PageSite, tmp_path: Path) -> None:
    site.html("/a", article("Harbour shifts extended", ENGLISH, related=True))
    site.xml("/feed.xml", rss(site, ["/a"]))
    generic = records(tmp_path / "generic", crawl(write_config(tmp_path / "generic", site, feeds=["/feed.xml"])))
    ruled = records(tmp_path / "ruled", crawl(write_config(
        tmp_path / "ruled", site, feeds=["/feed.xml"], extract={"prune_xpath": [PRUNE_RELATED]})))

    assert RELATED[0] in generic[site.url("/a")]["text"]
    record = ruled[site.url("/a")]
    assert RELATED[0] not in record["text"] and RELATED[1] not in record["text"]
    assert all(p in record["text"] for p in ENGLISH)
    # the rules in force are part of the record, so a replay knows what made it
    assert record["extractor"]["options"]["prune_xpath"] == [PRUNE_RELATED]


def test_author_xpath_finds_the_byline_the_generic_extractor_misses(site: PageSite, tmp_path: Path) -> None:
    site.html("/a", article("Harbour shifts extended", ENGLISH, byline="Maria Schulz"))
    site.xml("/feed.xml", rss(site, ["/a"]))
    generic = records(tmp_path / "generic", crawl(write_config(tmp_path / "generic", site, feeds=["/feed.xml"])))
    ruled = records(tmp_path / "ruled", crawl(write_config(
        tmp_path / "ruled", site, feeds=["/feed.xml"], extract={"author_xpath": HIDDEN_BYLINE})))

    assert generic[site.url("/a")]["authors"] == []
    assert ruled[site.url("/a")]["authors"] == ["Maria Schulz"]


def test_a_german_story_under_an_english_template_is_german_and_languages_drops_it(
        site: PageSite, tmp_path: Path) -> None:
    site.html("/en", article("Harbour shifts extended", ENGLISH))
    site.html("/de", article("Hafen verlängert Nachtschichten", GERMAN, lang="en"))
    site.xml("/feed.xml", rss(site, ["/en", "/de"]))
    config = write_config(tmp_path, site, feeds=["/feed.xml"], crawl_keys={"languages": ["en"]})

    manifest = crawl(config)

    kept = records(tmp_path, manifest)
    assert list(kept) == [site.url("/en")]
    assert (kept[site.url("/en")]["language"], kept[site.url("/en")]["language_declared"]) == ("en", "en")
    assert kept[site.url("/en")]["language_confidence"] > 0.9
    assert manifest["counts"]["wrong_language"] == 1
    assert manifest["per_source"]["harbour"]["wrong_language"] == 1
    # its raw page is archived all the same: the WARC holds both responses
    captured = set()
    for part in (f["path"] for f in manifest["files"] if f["kind"] == "snapshots"):
        with gzip.open(tmp_path / "archive" / part) as warc:
            captured |= {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(warc)
                         if r.rec_type == "response"}
    assert site.url("/de") in captured
    # and it is remembered: the next run does not fetch it again
    site.requests.clear()
    again = crawl(config)
    assert "/de" not in site.requests and again["counts"]["archived"] == 0
    # the operator sees it in `runs` and on the dashboard
    shown = newsvault("runs", config=config)
    assert "wrong_language=1" in shown.stdout
    with serving(config) as base:
        runs_page = urllib.request.urlopen(base + "runs", timeout=10).read().decode()
        run_page = urllib.request.urlopen(f"{base}runs/{manifest['run_id']}", timeout=10).read().decode()
    assert "filtered out" in runs_page and "wrong language 1" in runs_page
    assert "wrong language 1" in run_page


def test_a_sitemap_of_old_urls_fetches_only_those_within_max_age(site: PageSite, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    urls = []
    for n in range(100):
        age = timedelta(days=1) if n < 10 else timedelta(days=30 + n)
        path = f"/story/{n}"
        own = f"This is story number {n} of the harbour series, and it says so in its own words."
        site.html(path, article(f"Story number {n}", [own, *ENGLISH], published=(now - age).isoformat()))
        urls.append(f"<url><loc>{site.url(path)}</loc><lastmod>{(now - age).date().isoformat()}</lastmod></url>")
    site.xml("/sitemap.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + "".join(urls) + "</urlset>")
    config = write_config(tmp_path, site, sitemaps=["/sitemap.xml"], source_keys={"max_age": "7d"})

    manifest = crawl(config)

    fetched = [p for p in site.requests if p.startswith("/story/")]
    assert sorted(fetched, key=lambda p: int(p.rsplit("/", 1)[1])) == [f"/story/{n}" for n in range(10)]
    assert manifest["counts"]["too_old"] == 90
    assert manifest["counts"]["archived"] == 10


def test_a_page_older_than_published_after_is_not_kept_and_undated_ones_go_with_require_date(
        site: PageSite, tmp_path: Path) -> None:
    site.html("/new", article("Harbour shifts extended", ENGLISH, published="2026-11-20T08:00:00+00:00"))
    site.html("/old", article("Harbour shifts extended in 2019", ENGLISH[:3], published="2019-03-02T08:00:00+00:00"))
    site.html("/undated", article("Harbour shifts undated", ENGLISH[1:], published="").replace(
        '<meta property="article:published_time" content="">', ""))
    site.xml("/feed.xml", rss(site, ["/new", "/old", "/undated"]))
    config = write_config(tmp_path, site, feeds=["/feed.xml"],
                          source_keys={"published_after": "2026-01-01", "require_date": True})

    manifest = crawl(config)

    assert list(records(tmp_path, manifest)) == [site.url("/new")]
    assert (manifest["counts"]["too_old"], manifest["counts"]["undated"]) == (1, 1)
    assert manifest["status"] == "ok"


def test_replay_with_a_changed_rule_changes_the_records(site: PageSite, tmp_path: Path) -> None:
    site.html("/a", article("Harbour shifts extended", ENGLISH, related=True))
    site.xml("/feed.xml", rss(site, ["/a"]))
    crawled = crawl(write_config(tmp_path, site, feeds=["/feed.xml"]))
    assert RELATED[0] in records(tmp_path, crawled)[site.url("/a")]["text"]

    config = write_config(tmp_path, site, feeds=["/feed.xml"], extract={"prune_xpath": [PRUNE_RELATED]})
    done = newsvault("replay", "--since", "2000-01-01", "--until", "2100-01-01", "--to", str(tmp_path / "replayed"),
                     "--json", config=config)
    assert done.returncode == 0, done.stderr[-3000:]
    replay = json.loads(done.stdout)
    record = {r["url"]: r for r in manifest_records(tmp_path / "replayed", replay)}[site.url("/a")]
    assert RELATED[0] not in record["text"] and all(p in record["text"] for p in ENGLISH)
    assert replay["source_extractor_options"]["harbour"]["prune_xpath"] == [PRUNE_RELATED]


def test_check_refuses_a_bad_xpath_at_its_key_and_line(site: PageSite, tmp_path: Path) -> None:
    config = write_config(tmp_path, site, feeds=["/feed.xml"],
                          extract={"prune_xpath": ["//aside", "//div[@class='x'"], "title_xpath": "h:h1"})
    lines = config.read_text().splitlines()

    done = newsvault("check", config=config)

    assert done.returncode == 2
    prune_line = next(i for i, line in enumerate(lines, 1) if "prune_xpath" in line)
    title_line = next(i for i, line in enumerate(lines, 1) if "title_xpath" in line)
    assert f"newsvault.toml:{prune_line}: sources[0].extract.prune_xpath[1]: " in done.stderr
    assert f"newsvault.toml:{title_line}: sources[0].extract.title_xpath: " in done.stderr
    assert "not a valid XPath expression" in done.stderr


def test_sources_test_shows_the_fields_with_and_without_the_sources_rules(site: PageSite, tmp_path: Path) -> None:
    site.html("/a", article("Harbour shifts extended", ENGLISH, byline="Maria Schulz", related=True))
    site.xml("/feed.xml", rss(site, ["/a"]))
    config = write_config(tmp_path, site, feeds=["/feed.xml"],
                          extract={"prune_xpath": [PRUNE_RELATED], "author_xpath": HIDDEN_BYLINE})

    report = json.loads(newsvault("sources", "test", "harbour", "--json", config=config).stdout)
    shown = newsvault("sources", "test", "harbour", config=config).stdout

    tried = report["articles"][0]
    assert tried["fields"]["authors"] == ["Maria Schulz"] and tried["without_rules"]["authors"] == []
    assert RELATED[0] not in tried["fields"]["text"] and RELATED[0] in tried["without_rules"]["text"]
    assert "with the rules" in shown and "without them" in shown
    assert any(line.startswith("* authors") and "Maria Schulz" in line for line in shown.splitlines())


def test_filtered_articles_are_dropped_by_replay_too(site: PageSite, tmp_path: Path) -> None:
    site.html("/en", article("Harbour shifts extended", ENGLISH))
    site.html("/de", article("Hafen verlängert Nachtschichten", GERMAN, lang="en"))
    site.xml("/feed.xml", rss(site, ["/en", "/de"]))
    crawl(write_config(tmp_path, site, feeds=["/feed.xml"]))
    config = write_config(tmp_path, site, feeds=["/feed.xml"], source_keys={"languages": ["de"]})

    done = newsvault("replay", "--since", "2000-01-01", "--until", "2100-01-01", "--to",
                     str(tmp_path / "replayed"), "--json", config=config)

    assert done.returncode == 0, done.stderr[-3000:]
    replay = json.loads(done.stdout)
    assert [r["url"] for r in manifest_records(tmp_path / "replayed", replay)] == [site.url("/de")]
    assert replay["counts"]["wrong_language"] == 1
