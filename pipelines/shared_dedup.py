"""The dedup index of a cluster: every decision is one atomic claim in the shared (Redis) state.

With the embedded SQLite state one crawl process decides alone, and the records it has written but not
yet published are kept in its memory (pipelines/dedup.py). Workers of a cluster decide concurrently, so
checking the index and then reserving would let two of them pass the check with the same article, or
with two copies of one syndicated story, before either reserved it. Here the check and the reservation
are one atomic step (`SharedState.claim`: a Lua script in Redis): whichever worker claims first archives the article; the other
finds its reservation and drops the record (same URL or text) or marks it `duplicate_of` (a near copy).
Reservations become index entries when their part is published (`RedisState.commit_articles`).
"""

from __future__ import annotations

from typing import Any

from pipelines.neardup import BUCKET_READ_LIMIT, Fingerprint, Indexed, TextFingerprints, earliest_match
from state.state_types import SharedState


class SharedDedupIndex:
    """DedupIndex's interface (classify, duplicate_of, reserve, published) over atomic claims."""

    def __init__(self, state: SharedState, run_id: str, fingerprints: TextFingerprints | None = None) -> None:
        self.state = state
        self.run_id = run_id
        self.fingerprints = fingerprints if fingerprints is not None else TextFingerprints()
        self._matches: dict[str, str | None] = {}

    def classify(self, record: dict[str, Any]) -> tuple[str, int]:
        """Check and reserve in one step: ("new" | "version" | "same_url" | "same_text", version)."""
        fp = self.fingerprints.of(record)
        claim = self.state.claim(
            self.run_id, record["article_id"], record["source"], record["content_hash"],
            fp.to_bytes() if fp is not None else None, fp.band_keys() if fp is not None else (),
            BUCKET_READ_LIMIT)
        if fp is not None and claim.verdict in ("new", "version"):
            candidates = (Indexed(aid, source, Fingerprint.from_bytes(blob), seq)
                          for seq, aid, source, blob in claim.candidates)
            match = earliest_match(fp, candidates, record["article_id"])
            self._matches[record["article_id"]] = match.article_id if match is not None else None
        return claim.verdict, claim.version

    def duplicate_of(self, record: dict[str, Any]) -> str | None:
        return self._matches.pop(record["article_id"], None)

    def reserve(self, record: dict[str, Any]) -> None:
        """Nothing left to do: `classify` reserved the record in the same atomic step."""

    def published(self, records: list[dict[str, Any]]) -> None:
        """Nothing left to do: committing the records turned their reservations into index entries."""
