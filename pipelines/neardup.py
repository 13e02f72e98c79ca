"""Near-duplicate detection: MinHash fingerprints of an article's text, found again through LSH bands.

A text becomes the set of the word 5-grams (shingles) of its lead. Two texts nearly repeat each other
when the Jaccard similarity of those sets is at least THRESHOLD: a syndicated story with a new
headline, a paragraph added or cut and a correction line keeps many of its 5-grams, while a different
article on the same event shares almost none (names repeat, sentences do not). The record's unigram
Simhash measured worse on the same set (at equal precision it finds far fewer copies): articles on
one subject share their vocabulary, and a long added or cut passage moves many of its bits.

The fingerprint is a one-permutation MinHash (one hash per shingle, the minimum per bin, empty bins
filled from their neighbour), so it costs one pass over the text in pure Python. Its bins are cut
into BANDS bands of ROWS bins; a band's values packed together are a bucket key, and two texts become
candidates when they share a bucket. Candidates are then verified on the whole fingerprint. A lookup
reads BANDS buckets by key (B-tree seeks, at most BUCKET_READ_LIMIT entries each), never a scan.

THRESHOLD, LEAD_WORDS and the band layout were chosen on the labelled evaluation set built by
tests/neardup_eval.py (run it to print precision and recall around the threshold): over 692 copies and
878 pairs of different articles, precision 0.972 and recall 0.958 at 0.2. 23 of the 29 missed copies
share nothing because extraction did not return the story from one of the two pages; all 19 false
alarms are different stories in one template whose extraction returned mostly its boilerplate; no
same-topic, same-site or random pair was taken for a copy. 32 bands of 2 bins make a pair at Jaccard
0.3 a candidate with probability 0.95, at 0.5 with 0.9999.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

SHINGLE_WORDS = 5
# Only the lead is fingerprinted: republishers keep a story's opening and cut, extend or credit its
# end, and extraction of the original often stops early (paywalls, "read more" splits). Comparing
# leads keeps those copies similar while different stories stay apart.
LEAD_WORDS = 500
BINS = 64
BANDS = 32
ROWS = BINS // BANDS
THRESHOLD = 0.2
# Below this many words a text has too few shingles for a stable estimate, and short texts (briefs,
# captions, "developing story" stubs) repeat each other by accident: they are never near-duplicates.
MIN_WORDS = 50
# The earliest entries of a bucket are the ones a lookup wants; a bucket grown huge (one story
# syndicated thousands of times) is read only this far, so a lookup stays cheap.
BUCKET_READ_LIMIT = 64

# A bucket key is a band's values packed into one 64-bit integer: two 32-bit values per band.
if ROWS != 2:
    raise ImportError("band keys pack exactly two 32-bit values: keep BINS == 2 * BANDS")
_BAND_SALTS = tuple(int.from_bytes(hashlib.blake2b(b"band %d" % b, digest_size=8).digest(), "little")
                    for b in range(BANDS))
_BIN_SHIFT = 64 - (BINS.bit_length() - 1)
_VALUE_MASK = (1 << _BIN_SHIFT) - 1
_EMPTY = 1 << 64
# Scripts written without spaces between words: each character counts as a word.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f\u1000-\u109f"
_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")


class Fingerprint(tuple[int, ...]):
    """BINS 32-bit MinHash values."""

    __slots__ = ()

    def to_bytes(self) -> bytes:
        return array("I", self).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        values = array("I")
        values.frombytes(data)
        if len(values) != BINS:
            raise ValueError(f"a fingerprint holds {BINS} values, got {len(values)}")
        return cls(values)

    def similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        return sum(a == b for a, b in zip(self, other, strict=True)) / BINS

    def band_keys(self) -> list[int]:
        """One signed 64-bit bucket key per band (SQLite integers are signed): the band's two 32-bit
        values side by side, salted by the band's number so that bands never share a bucket."""
        keys = []
        for band, salt in enumerate(_BAND_SALTS):
            key = ((self[2 * band] << 32) | self[2 * band + 1]) ^ salt
            keys.append(key - (1 << 64) if key >= 1 << 63 else key)
        return keys


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def fingerprint(text: str) -> Fingerprint | None:
    """The text's fingerprint, or None for a text too short to be a near-duplicate of anything."""
    words = _lead_tokens(text)
    if len(words) < MIN_WORDS:
        return None
    words = words[:LEAD_WORDS]
    # each shingle a slice of the lead's bytes, its words joined by single spaces: no join per shingle
    encoded = [word.encode() for word in words]
    lead = b" ".join(encoded)
    starts = [0]
    for word in encoded:
        starts.append(starts[-1] + len(word) + 1)
    mins = [_EMPTY] * BINS
    blake = hashlib.blake2b
    for i in range(len(words) - SHINGLE_WORDS + 1):
        h = int.from_bytes(blake(lead[starts[i]:starts[i + SHINGLE_WORDS] - 1], digest_size=8).digest(), "little")
        slot, value = h >> _BIN_SHIFT, h & _VALUE_MASK
        if value < mins[slot]:
            mins[slot] = value
    return Fingerprint(_densify(mins))


# Room for the lead's words in the corpora's languages (about 6 characters a word with its space, so
# 3,000 characters: none of the corpus texts needed the whole text read)
_LEAD_CHARS = 10 * LEAD_WORDS


def _lead_tokens(text: str) -> list[str]:
    """tokens(text), or as many of its first ones as the lead needs: a long text is tokenized up to a
    space past _LEAD_CHARS. No normalisation joins characters across a space, so those tokens are the
    text's first ones; the whole text is read when they are too few."""
    cut = text.find(" ", _LEAD_CHARS)
    if cut > 0:
        words = tokens(text[:cut])
        if len(words) >= LEAD_WORDS:
            return words
    return tokens(text)


class TextFingerprints:
    """Fingerprints computed ahead of the dedup pipeline, by (article_id, content_hash).

    The extraction workers fingerprint each text next to extracting it, so the MinHash (a few ms of
    CPU per article) runs on every core instead of on the reactor's thread. `of` takes the one
    computed ahead, or computes it for a record that came without (a test, or a pool of 0 workers).
    """

    def __init__(self) -> None:
        self._ahead: dict[tuple[str, str], bytes | None] = {}

    def put(self, record: dict, blob: bytes | None) -> None:
        self._ahead[(record["article_id"], record["content_hash"])] = blob

    def forget(self, record: dict) -> None:
        self._ahead.pop((record["article_id"], record["content_hash"]), None)

    def of(self, record: dict) -> Fingerprint | None:
        key = (record["article_id"], record["content_hash"])
        if key in self._ahead:
            blob = self._ahead.pop(key)
            return Fingerprint.from_bytes(blob) if blob is not None else None
        return fingerprint(record.get("text") or "")

    def __len__(self) -> int:
        return len(self._ahead)


def _densify(mins: list[int]) -> list[int]:
    # An empty bin borrows the value of the next filled bin to its right (rotation densification),
    # tagged with the distance so that borrowed and own values do not collide by accident.
    out = [0] * BINS
    for i in range(BINS):
        for step in range(BINS):
            value = mins[(i + step) % BINS]
            if value != _EMPTY:
                out[i] = (value + step * 0x9E3779B1) & 0xFFFFFFFF
                break
    return out


@dataclass(frozen=True)
class Indexed:
    """A fingerprint in an index: `order` is when it was archived, smaller is earlier."""

    article_id: str
    source: str
    fingerprint: Fingerprint
    order: int = 0


def earliest_match(fp: Fingerprint, candidates: Iterable[Indexed], exclude: str) -> Indexed | None:
    """The earliest candidate whose text fp nearly repeats (never the article `exclude` itself)."""
    best: Indexed | None = None
    for candidate in candidates:
        if candidate.article_id == exclude or (best is not None and candidate.order >= best.order):
            continue
        if fp.similarity(candidate.fingerprint) >= THRESHOLD:
            best = candidate
    return best


class NearDupIndex(Protocol):
    """Where archived fingerprints are kept: SQLite by default; a shared store in distributed mode."""

    def lookup(self, fp: Fingerprint, exclude: str) -> Indexed | None:
        """The earliest indexed article (other than `exclude`) whose text fp nearly repeats."""
        ...

    def add(self, entries: Sequence[Indexed]) -> None:
        """Index the fingerprints of archived articles, in the order they were archived."""
        ...


class MemoryNearDupIndex:
    """Bands in a dict: the records of this run not yet archived, in the order they were reserved."""

    def __init__(self) -> None:
        self._buckets: dict[int, list[str]] = {}
        self._entries: dict[str, Indexed] = {}
        self._next = 0

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, fp: Fingerprint, exclude: str) -> Indexed | None:
        seen = {aid for key in fp.band_keys() for aid in self._buckets.get(key, ())}
        return earliest_match(fp, (self._entries[aid] for aid in seen if aid in self._entries), exclude)

    def add(self, entries: Sequence[Indexed]) -> None:
        for entry in entries:
            self._next += 1
            self._entries[entry.article_id] = Indexed(entry.article_id, entry.source, entry.fingerprint, self._next)
            for key in entry.fingerprint.band_keys():
                self._buckets.setdefault(key, []).append(entry.article_id)

    def discard(self, article_id: str) -> None:
        entry = self._entries.pop(article_id, None)
        if entry is None:
            return
        for key in entry.fingerprint.band_keys():
            bucket = self._buckets.get(key)
            if bucket is not None and article_id in bucket:
                bucket.remove(article_id)
                if not bucket:
                    del self._buckets[key]


class NearDupStore(Protocol):
    """The part of a state store that holds fingerprints and their buckets."""

    def neardup_candidates(self, band_keys: Sequence[int], per_bucket: int) -> list[tuple[int, str, str, bytes]]:
        ...

    def add_fingerprints(self, entries: Sequence[tuple[str, str, bytes, Sequence[int]]]) -> None:
        ...


class StateNearDupIndex:
    """The persistent index, in the state store's bucket table."""

    def __init__(self, store: NearDupStore) -> None:
        self.store = store

    def lookup(self, fp: Fingerprint, exclude: str) -> Indexed | None:
        rows = self.store.neardup_candidates(fp.band_keys(), BUCKET_READ_LIMIT)
        return earliest_match(
            fp, (Indexed(aid, source, Fingerprint.from_bytes(blob), order) for order, aid, source, blob in rows),
            exclude,
        )

    def add(self, entries: Sequence[Indexed]) -> None:
        self.store.add_fingerprints(
            [(e.article_id, e.source, e.fingerprint.to_bytes(), e.fingerprint.band_keys()) for e in entries]
        )
