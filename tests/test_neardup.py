"""Near-duplicates: the same story across outlets and URLs gets `duplicate_of` = the earliest archived copy.

Specifications of the fingerprint, of the dedup index (archived and in-flight records), of the quality
measured on the labelled set of tests/neardup_eval.py, and of a crawl over a network where two sites
republish the wire's stories.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e import crawl, manifest_records, newsvault
from newsnet import NewsNetwork

from core.record import content_hash
from pipelines import neardup
from pipelines.dedup import DedupIndex
from pipelines.extract.fields import ExtractOptions
from pipelines.extract.worker import FINGERPRINT_KEY, extract_and_fingerprint
from pipelines.neardup import (
    Fingerprint,
    MemoryNearDupIndex,
    StateNearDupIndex,
    TextFingerprints,
    fingerprint,
)
from state.backends import SQLiteState

VOCABULARY = ("harbour council tender budget minister election river bridge court ruling union strike market "
         "shares energy prices school hospital storm flood police inquiry festival museum airport route "
         "railway station farmers harvest drought water treaty border talks summit trade exports")
WORDS = VOCABULARY.split()


def story(seed: int, paragraphs: int = 8, words: int = 40) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "." for _ in range(paragraphs)]


def record(article_id: str, source: str, paragraphs: list[str], version: int = 1) -> dict[str, Any]:
    text = "\n".join(paragraphs)
    return {"article_id": article_id, "source": source, "version": version, "text": text,
            "content_hash": content_hash(text), "duplicate_of": None}


def archive(index: DedupIndex, *records: dict[str, Any]) -> list[str | None]:
    """Run records through the index as the pipelines do, their part published at the end."""
    found = []
    for r in records:
        verdict, r["version"] = index.classify(r)
        assert verdict in ("new", "version")
        r["duplicate_of"] = index.duplicate_of(r)
        index.reserve(r)
        found.append(r["duplicate_of"])
    index.published(list(records))
    return found


@pytest.fixture
def state(tmp_path: Path) -> Iterator[SQLiteState]:
    db = SQLiteState(tmp_path / "state.db")
    yield db
    db.close()


# -- the fingerprint ---------------------------------------------------------------------------------


def test_a_copy_with_a_paragraph_cut_and_one_added_is_similar_a_different_story_is_not() -> None:
    original = story(1)
    copy = original[:3] + original[4:] + ["Correction: an earlier version misstated the date of the vote."]
    fa, fb, other = fingerprint("\n".join(original)), fingerprint("\n".join(copy)), fingerprint("\n".join(story(2)))
    assert fa is not None and fb is not None and other is not None
    assert fa.similarity(fb) >= neardup.THRESHOLD
    assert fa.similarity(other) < neardup.THRESHOLD


def test_texts_under_the_minimum_word_count_have_no_fingerprint() -> None:
    brief = " ".join(story(9, paragraphs=1, words=neardup.MIN_WORDS - 1))
    assert fingerprint(brief) is None
    assert fingerprint(brief + " extra") is not None


def test_a_fingerprint_round_trips_through_bytes_and_has_one_bucket_per_band() -> None:
    fp = fingerprint("\n".join(story(3)))
    assert fp is not None
    assert Fingerprint.from_bytes(fp.to_bytes()) == fp
    assert len(fp.band_keys()) == neardup.BANDS
    assert all(-(2**63) <= key < 2**63 for key in fp.band_keys())


def test_unspaced_scripts_are_compared_character_by_character() -> None:
    text = "东京电力公司周二表示将在下个月开始排放处理过的核污水当地渔民对此表示强烈反对并要求政府重新考虑" * 2
    assert fingerprint(text) is not None


# -- the index ---------------------------------------------------------------------------------------


def _fingerprint_by_definition(text: str) -> neardup.Fingerprint | None:
    """MinHash of the 5-word shingles of the whole text's first LEAD_WORDS tokens, one shingle at a time."""
    import hashlib

    words = neardup.tokens(text)
    if len(words) < neardup.MIN_WORDS:
        return None
    words = words[:neardup.LEAD_WORDS]
    mins = [1 << 64] * neardup.BINS
    shift = 64 - (neardup.BINS.bit_length() - 1)
    for i in range(len(words) - neardup.SHINGLE_WORDS + 1):
        shingle = " ".join(words[i:i + neardup.SHINGLE_WORDS]).encode()
        h = int.from_bytes(hashlib.blake2b(shingle, digest_size=8).digest(), "little")
        mins[h >> shift] = min(mins[h >> shift], h & ((1 << shift) - 1))
    return neardup.Fingerprint(neardup._densify(mins))


@pytest.mark.parametrize("text", [
    " ".join(f"Wort{i} Größe naïve café" for i in range(2000)),  # long: only its lead is read
    "Ｆｕｌｌ　ｗｉｄｔｈ ﬁ ligatures and e\u0301 accents " * 400,  # NFKC changes characters and lengths
    "漢字とかなの文章です。" * 800 + " tail words",  # one token a character
    "short text " * 60,
])
def test_a_long_texts_fingerprint_reads_its_lead_only_and_equals_the_definition(text: str) -> None:
    assert neardup.fingerprint(text) == _fingerprint_by_definition(text)


def test_a_copy_in_the_same_run_points_at_the_record_archived_first(state: SQLiteState) -> None:
    index = DedupIndex(state)
    text = story(4)
    assert archive(index, record("wire-1", "wire", text), record("daily-1", "daily", text[1:] + ["More."])) == [
        None, "wire-1"]


def test_a_copy_in_a_later_run_finds_the_archived_original(tmp_path: Path) -> None:
    text = story(5)
    first = SQLiteState(tmp_path / "state.db")
    archive(DedupIndex(first), record("wire-1", "wire", text))
    first.close()
    reopened = SQLiteState(tmp_path / "state.db")
    assert reopened.count_fingerprints() == 1
    assert archive(DedupIndex(reopened), record("blog-1", "blog", ["Our headline."] + text)) == ["wire-1"]
    reopened.close()


def test_duplicate_of_names_the_earliest_article_even_when_a_later_copy_is_closer(state: SQLiteState) -> None:
    index = DedupIndex(state)
    text = story(6)
    archive(index, record("wire-1", "wire", text))
    archive(index, record("daily-1", "daily", text[:-1]))
    assert archive(index, record("blog-1", "blog", text[:-1])) == ["wire-1"]


def test_identical_text_from_another_source_is_a_near_duplicate_not_a_drop(state: SQLiteState) -> None:
    index = DedupIndex(state)
    text = story(7)
    archive(index, record("wire-1", "wire", text))
    copy = record("daily-1", "daily", text)
    assert index.classify(copy)[0] == "new"
    assert index.duplicate_of(copy) == "wire-1"


def test_short_texts_are_never_near_duplicates_of_each_other(state: SQLiteState) -> None:
    index = DedupIndex(state)
    brief = ["Markets closed higher on Friday after a quiet session.", "More to follow."]
    assert archive(index, record("wire-1", "wire", brief), record("daily-1", "daily", brief)) == [None, None]


def test_a_new_version_of_an_article_is_not_a_duplicate_of_itself(state: SQLiteState) -> None:
    index = DedupIndex(state)
    text = story(8)
    archive(index, record("wire-1", "wire", text))
    assert archive(index, record("wire-1", "wire", text + ["Update: the vote was postponed."])) == [None]


def test_different_stories_are_not_near_duplicates(state: SQLiteState) -> None:
    index = DedupIndex(state)
    assert archive(index, *(record(f"a-{n}", "wire", story(100 + n)) for n in range(20))) == [None] * 20


def test_the_memory_and_state_indexes_answer_alike(state: SQLiteState) -> None:
    stored, memory = StateNearDupIndex(state), MemoryNearDupIndex()
    entries = [neardup.Indexed(f"a-{n}", "wire", fp) for n in range(5)
               if (fp := fingerprint("\n".join(story(200 + n)))) is not None]
    for index in (stored, memory):
        index.add(entries)
    probe = fingerprint("\n".join(story(202)[1:]))
    assert probe is not None
    assert stored.lookup(probe, "x") is not None and memory.lookup(probe, "x") is not None
    assert stored.lookup(probe, "x").article_id == memory.lookup(probe, "x").article_id == "a-2"  # type: ignore[union-attr]
    memory.discard("a-2")
    assert memory.lookup(probe, "x") is None


# -- measured quality --------------------------------------------------------------------------------


def test_the_extraction_worker_fingerprints_the_text_it_extracted() -> None:
    page = ("<html><head><title>Storm</title></head><body><article><h1>Storm</h1>"
            + "".join(f"<p>{p}</p>" for p in story(7)) + "</article></body></html>").encode()
    fields = extract_and_fingerprint("https://news.example/storm", page, {"Content-Type": "text/html"},
                                     ExtractOptions())
    assert fields[FINGERPRINT_KEY] == fingerprint(fields["text"]).to_bytes()


def test_dedup_takes_a_fingerprint_computed_ahead_once_then_computes_its_own(state: SQLiteState) -> None:
    ahead = TextFingerprints()
    original, copy = record("wire-1", "wire", story(1)), record("daily-1", "daily", story(2))
    index = DedupIndex(state, fingerprints=ahead)
    archive(index, original)
    # as if the worker had fingerprinted the copy's text: the one computed ahead is what counts
    ahead.put(copy, fingerprint(original["text"]).to_bytes())
    assert archive(index, copy) == ["wire-1"]
    assert len(ahead) == 0  # taken, never kept: memory stays flat over a long crawl
    assert ahead.of(copy) == fingerprint(copy["text"])


def test_precision_and_recall_on_the_labelled_set_are_at_least_095(shared_dir: Path) -> None:
    # A subset keeps this to seconds: 24 republished stories, two pages per publisher for the same-site
    # pairs, the 10 closest same-topic pairs. `python tests/neardup_eval.py` runs the whole set.
    from neardup_eval import build_pairs, minhash_verdicts, score

    pairs = build_pairs(shared_dir / "corpora", articles=24)
    kinds = {p.kind for p in pairs}
    assert {"copy", "same_template", "same_site", "same_topic", "random"} <= kinds
    result = score(minhash_verdicts(pairs), neardup.THRESHOLD)
    assert result.tp + result.fn >= 40
    assert result.precision >= 0.95, result
    assert result.recall >= 0.95, result


# -- end to end --------------------------------------------------------------------------------------


def test_a_crawl_marks_syndicated_copies_with_the_earliest_archived_original(
        shared_dir: Path, tmp_path: Path) -> None:
    with NewsNetwork(shared_dir, syndicated=2) as network:
        config = tmp_path / "newsvault.toml"
        config.write_text(network.config_toml("archive", "sqlite:///state.db"))
        wire_run = crawl(config, "wire")
        copies_run = crawl(config, "daily", "blog")
        originals = {r["url"]: r for r in manifest_records(tmp_path / "archive", wire_run)}
        copies = {r["url"]: r for r in manifest_records(tmp_path / "archive", copies_run)}

        for original, copy in network.syndicated:
            assert originals[original.url]["duplicate_of"] is None
            assert copies[copy.url]["duplicate_of"] == originals[original.url]["article_id"], copy.url
        copy_urls = {copy.url for _, copy in network.syndicated}
        assert all(r["duplicate_of"] is None for r in originals.values())
        assert all(r["duplicate_of"] is None for url, r in copies.items() if url not in copy_urls)

        assert copies_run["counts"]["near_duplicates"] == len(network.syndicated)
        assert copies_run["per_source"]["daily"]["near_duplicates"] == 2
        assert copies_run["per_source"]["blog"]["near_duplicates"] == 2
        assert wire_run["counts"]["near_duplicates"] == 0
        listed = json.loads(newsvault("runs", "--json", config=config).stdout)
        assert listed[0]["counts"]["near_duplicates"] == 4
        assert "near_dups" in newsvault("runs", config=config).stdout

        # A fresh archive where the copies arrive in one run before the wire: the first copy archived
        # is the original of the second.
        fresh = tmp_path / "fresh.toml"
        fresh.write_text(network.config_toml("fresh-archive", "sqlite:///fresh.db"))
        together = {r["url"]: r for r in manifest_records(tmp_path / "fresh-archive", crawl(fresh, "daily", "blog"))}
        for original, _ in network.syndicated[::2]:
            pair = [together[c.url] for o, c in network.syndicated if o.url == original.url]
            marks = sorted((r["duplicate_of"] is None, r["duplicate_of"]) for r in pair)
            first = next(r for r in pair if r["duplicate_of"] is None)
            assert marks[0][1] == first["article_id"] and marks[1] == (True, None)
