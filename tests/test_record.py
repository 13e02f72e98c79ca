"""The record's identity and fingerprint helpers, and its JSON Schema."""

from __future__ import annotations

import random
import re

import pytest

from core.record import (
    ADDED_FIELDS,
    RECORD_FIELDS,
    SCHEMA_VERSION,
    article_id,
    canonicalize_url,
    content_hash,
    normalise_text,
    record_schema,
    simhash_hex,
    text_digests,
)
from core.simhash import simhash


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.COM/World/Story", "https://news.example.com/World/Story"),
        ("https://news.example.com:443/a", "https://news.example.com/a"),
        ("http://news.example.com:80/a", "http://news.example.com/a"),
        ("http://news.example.com:8080/a", "http://news.example.com:8080/a"),
        ("https://news.example.com", "https://news.example.com/"),
        ("https://news.example.com/a#comments", "https://news.example.com/a"),
        (
            "https://news.example.com/a?utm_source=tw&utm_medium=social&UTM_Campaign=x",
            "https://news.example.com/a",
        ),
        (
            "https://news.example.com/a?fbclid=IwAR0abc&gclid=1&msclkid=2&mc_cid=3&mc_eid=4",
            "https://news.example.com/a",
        ),
        (
            "https://news.example.com/a?igshid=1&_ga=2&yclid=3&ref_src=twsrc&ocid=4&cmpid=5",
            "https://news.example.com/a",
        ),
        (
            "https://news.example.com/story.php?id=42&utm_source=x&page=2",
            "https://news.example.com/story.php?id=42&page=2",
        ),
        ("https://news.example.com/s?b=2&a=1", "https://news.example.com/s?b=2&a=1"),
        ("https://news.example.com/s?q=a%20b&fbclid=x", "https://news.example.com/s?q=a%20b"),
        ("https://news.example.com/a?", "https://news.example.com/a"),
        ("https://bücher.example/a", "https://xn--bcher-kva.example/a"),
    ],
)
def test_canonicalize_url_keeps_the_page_and_drops_only_tracking(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


def test_canonicalize_url_is_idempotent() -> None:
    once = canonicalize_url("HTTP://Example.com:80/x/?id=1&utm_term=y#top")
    assert canonicalize_url(once) == once


@pytest.mark.parametrize("url", ["", "/relative/path", "mailto:desk@example.com", "ftp://example.com/file"])
def test_canonicalize_url_refuses_what_is_not_an_http_url(url: str) -> None:
    with pytest.raises(ValueError):
        canonicalize_url(url)


def test_article_id_is_the_first_32_hex_digits_of_sha256_of_the_canonical_url() -> None:
    # sha256("https://example.com/") computed independently
    assert article_id("https://example.com/") == "0f115db062b7c0dd030b16878c99dea5"
    assert len(article_id("https://news.example.com/a")) == 32


def test_normalise_text_applies_nfc_and_collapses_whitespace() -> None:
    decomposed = "Cafe\u0301  au\tlait\n\n\u00a0 noir "
    assert normalise_text(decomposed) == "Caf\u00e9 au lait noir"


def test_normalise_text_collapses_every_unicode_whitespace_the_regex_s_knows() -> None:
    spaces = [chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))]
    assert len(spaces) > 20  # the no-break, ideographic and line-separator spaces among them
    for space in spaces:
        assert normalise_text(f"{space}a{space}{space}b{space}") == "a b"


def test_text_digests_are_content_hash_and_simhash_hex() -> None:
    text = "  Cafe\u0301 au lait.\n\nSecond\u00a0paragraph, with more words to hash.  "
    assert text_digests(text) == (content_hash(text), simhash_hex(text))


def test_content_hash_ignores_unicode_form_and_whitespace_layout() -> None:
    a = content_hash("Caf\u00e9 au lait.\nSecond paragraph.")
    b = content_hash("  Cafe\u0301   au lait.\n\n  Second\tparagraph.  ")
    assert a == b
    assert a.startswith("sha256:") and len(a) == len("sha256:") + 64
    assert content_hash("Café au lait. Other paragraph.") != a


def test_simhash_is_16_hex_digits_and_stable() -> None:
    text = "The central bank raised interest rates by a quarter point on Wednesday, citing inflation."
    first = simhash_hex(text)
    assert len(first) == 16 and all(c in "0123456789abcdef" for c in first)
    assert simhash_hex(text) == first
    assert simhash_hex("  " + text.replace(" ", "\n")) == first


def test_simhash_is_trafilaturas_bit_for_bit() -> None:
    from trafilatura.deduplication import Simhash

    rng = random.Random(7)
    vocabulary = [f"word{i}" for i in range(40)] + ["the", "a", "of", "Zürich", "naïve", "l'été", "—", "3.5%"]
    texts = ["", "a", "one two", "Rates rose.", "中央银行周三宣布加息。通胀仍然很高。", WIRE_STORY]
    # small vocabularies and short texts make ties (as many tokens with a bit as without) common
    texts += [" ".join(rng.choices(vocabulary, k=rng.randint(1, 400))) for _ in range(300)]
    texts.append(" ".join(["newsroom"] * 40_000 + ["printing"] * 40_000))  # past 65,535 tokens, a tie
    for text in texts:
        assert simhash(text) == Simhash(text, length=64).hash, text[:80]


WIRE_STORY = " ".join(
    [
        "Dock workers at the northern harbour walked out on Friday after negotiations over pay and shift"
        " patterns collapsed late on Thursday evening.",
        "The port authority said container traffic had been diverted to neighbouring terminals and that talks"
        " with the union would resume on Monday.",
        "Shipping companies warned of delays of up to a week for deliveries of fresh produce, fuel and"
        " building materials.",
        "Union leaders said the strike would continue until management returned with an improved offer"
        " covering overtime and safety equipment.",
    ]
)


def _hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def test_simhash_of_a_lightly_edited_text_is_near_the_original_and_far_from_another() -> None:
    edited = WIRE_STORY.replace("on Monday", "next Tuesday")
    unrelated = (
        "The football club confirmed the transfer of its veteran striker to a rival team, ending a"
        " decade-long association marked by two league titles and a cup victory."
    )
    near = _hamming(simhash_hex(WIRE_STORY), simhash_hex(edited))
    far = _hamming(simhash_hex(WIRE_STORY), simhash_hex(unrelated))
    assert near <= 8
    assert far >= 16


def test_schema_requires_every_record_field_in_spec_order() -> None:
    schema = record_schema()
    # fields added later are written in every new record but not required of the old ones
    assert schema["required"] == [f for f in RECORD_FIELDS if f not in ADDED_FIELDS]
    assert list(schema["properties"]) == list(RECORD_FIELDS)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["schema_version"] == {"const": SCHEMA_VERSION}


def _sample_record() -> dict[str, object]:
    canonical = "https://news.example.com/2024/05/03/harbour-strike"
    text = "Dock workers walked out on Friday.\nThe port authority said talks would resume."
    return {
        "schema_version": 1,
        "article_id": article_id(canonical),
        "version": 1,
        "url": canonical + "?utm_source=rss",
        "canonical_url": canonical,
        "source": "example-news",
        "title": "Harbour strike halts shipping",
        "authors": ["Jane Doe"],
        "published_at": "2024-05-03T08:15:00+02:00",
        "modified_at": None,
        "language": "en",
        "description": None,
        "site_name": "Example News",
        "tags": ["labour"],
        "categories": [],
        "image": None,
        "text": text,
        "word_count": len(text.split()),
        "fetched_at": "2024-05-03T09:00:00Z",
        "http_status": 200,
        "content_hash": content_hash(text),
        "simhash": simhash_hex(text),
        "duplicate_of": None,
        "snapshot": {
            "warc": "snapshots/source=example-news/date=2024-05-03/r1-00000.warc.gz",
            "offset": 0,
            "length": 2048,
            "record_id": "<urn:uuid:0b0c5a8e-6f3e-4c1e-9d52-2d7b8a4c1f00>",
        },
        "extractor": {"name": "trafilatura", "version": "2.0.0", "options": {"favor_precision": False}},
        "run_id": "20240503T090000Z-abc123",
    }


def test_schema_accepts_a_complete_record_and_rejects_broken_ones() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    validator = jsonschema.Draft202012Validator(record_schema())
    jsonschema.Draft202012Validator.check_schema(record_schema())
    record = _sample_record()
    assert list(validator.iter_errors(record)) == []
    assert validator.is_valid({**record, "published_at": "2024-05-03"})
    for broken in (
        {**record, "extra": 1},
        {**record, "authors": "Jane Doe"},
        {**record, "simhash": "123"},
        {**record, "content_hash": "md5:abc"},
        {**record, "article_id": "XYZ"},
        {**record, "version": 0},
        {**record, "schema_version": 2},
        {**record, "published_at": "May 3, 2024"},
        {**record, "snapshot": None},
        {k: v for k, v in record.items() if k != "title"},
    ):
        assert not validator.is_valid(broken), broken
