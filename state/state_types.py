"""What a state store is: the values it keeps, the operations every backend has, and the
capabilities that only some declare.

Two backends implement it: SQLite (state/sqlite_state.py, one machine) and Redis
(state/redis_state.py, a cluster's shared state). state/backends.py picks one from the
`[state] uri`; callers hold a `StateStore` and ask its `capabilities`, never its type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol


class StateError(Exception):
    """The state store cannot be opened or used."""


@dataclass(frozen=True)
class KnownArticle:
    article_id: str
    canonical_url: str
    source: str
    version: int
    content_hash: str


@dataclass(frozen=True)
class ArticleCommit:
    """What the dedup index learns when a record's part has been published."""

    article_id: str
    canonical_url: str
    source: str
    version: int
    content_hash: str
    simhash: str | None
    fetched_at: str
    run_id: str


@dataclass(frozen=True)
class Validators:
    """What a server said about a feed or sitemap it sent in full, to ask next time if it changed."""

    etag: str | None
    last_modified: str | None
    size: int  # bytes of that full response: what a 304 saves


@dataclass(frozen=True)
class Revisit:
    """What the state knows of an article URL fetched before: when it is due, and how to ask cheaply."""

    url: str  # canonical form of the URL the spider requested
    source: str
    rung: int  # index into the source's revisit ladder of the interval that set next_due
    next_due: str | None  # ISO UTC; None: never again
    last_fetched: str  # ISO UTC
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None  # of the raw body whose text is archived; None: fetch in full
    # transient failures in a row of a URL never fetched with success: it waits on the failure
    # backoff (pipelines/revisits.py FAILURE_BACKOFF) instead of the revisit ladder
    failures: int = 0


@dataclass(frozen=True)
class Claim:
    """What a shared state's `claim` decided, and the near-duplicate candidates it saw
    (seq, article id, source, fingerprint)."""

    verdict: str  # "new" | "version" | "same_url" | "same_text"
    version: int
    candidates: list[tuple[int, str, str, bytes]]


@dataclass(frozen=True)
class StateCapabilities:
    """What a backend can do beyond the common operations, declared by its class."""

    # Several machines use the store at once: dedup checks and reserves a record in one atomic step
    # (`SharedState.claim`), a run is alive while its process renews a lease (`run_alive`), and the
    # locks of the scheduler and of each source are leases in the store, not files on one machine.
    shared: bool
    # The store is a file on this machine (`database_path`): locks and the upload spool live beside it.
    local_file: bool


@dataclass(frozen=True)
class Delivery:
    """One event's delivery to one alert target, claimed from the outbox by one process."""

    event_id: str
    target: str
    body: str  # the event's JSON, exactly the bytes (UTF-8) that are sent and signed
    attempts: int  # failed attempts so far
    created_at: float  # epoch seconds: when the event was recorded
    claim: str  # the claim's token: only its holder settles the delivery


class Outbox(Protocol):
    """Alert events waiting for their targets (newsvault/alerts/): durable, each delivery claimed by one
    process at a time, so that of several processes flushing at once exactly one sends each event to
    each target. Times are epoch seconds of the process's clock (core/clock.py)."""

    def add(self, event_id: str, body: str, targets: Sequence[str], now: float) -> bool:
        """Record an event for these targets; False when this event id was recorded before (its
        deliveries are not made twice)."""
        ...

    def claim(self, target: str, *, now: float, due_only: bool, lease_s: float, limit: int) -> list[Delivery]:
        """Up to `limit` pending deliveries to `target`, oldest first, claimed for `lease_s` seconds (a
        claim whose holder died lapses); `due_only`: only those whose backoff has passed."""
        ...

    def delivered(self, delivery: Delivery, now: float) -> None: ...

    def retry(self, delivery: Delivery, error: str, next_attempt: float) -> None:
        """A failed attempt: counted, the error kept, the delivery pending again from `next_attempt`."""
        ...

    def release(self, delivery: Delivery) -> None:
        """Give a claimed delivery back untried (its target failed on an earlier one)."""
        ...

    def give_up(self, delivery: Delivery, error: str, now: float) -> None:
        """Stop trying (the event is too old): the delivery is closed, undelivered."""
        ...

    def pending(self, targets: Sequence[str]) -> dict[str, int]:
        """Deliveries still pending, per target."""
        ...

    def swap_source_flag(self, source: str, flagged: bool, now: float) -> bool | None:
        """Remember whether `source` is flagged; what was remembered before (None: nothing), atomically,
        so that each change of a source's health is alerted once."""
        ...


class SharedState(Protocol):
    """The operations of a state shared by several machines (`capabilities.shared`)."""

    def claim(self, run_id: str, article_id: str, source: str, content_hash: str,
              fingerprint: bytes | None, band_keys: Sequence[int], per_bucket: int) -> Claim: ...

    def run_alive(self, run_id: str) -> bool: ...


class StateStore(Protocol):
    """Dedup index, near-duplicate buckets, feed validators, revisits, templates and run history."""

    capabilities: ClassVar[StateCapabilities]

    @property
    def uri(self) -> str: ...

    def shared(self) -> SharedState | None:
        """The store's shared operations when `capabilities.shared`, else None."""
        ...

    def close(self) -> None: ...

    def check(self) -> None: ...

    def outbox(self) -> Outbox:
        """The alert events waiting for delivery (newsvault/alerts/), kept in this store."""
        ...

    def load_template(self, source: str) -> bytes | None: ...

    def save_template(self, source: str, data: bytes) -> None: ...

    def get_article(self, article_id: str) -> KnownArticle | None: ...

    def find_text(self, source: str, content_hash: str) -> str | None: ...

    def commit_articles(self, commits: Sequence[ArticleCommit]) -> None: ...

    def count_articles(self) -> int: ...

    def neardup_candidates(self, buckets: Sequence[int], per_bucket: int) -> list[tuple[int, str, str, bytes]]: ...

    def add_fingerprints(self, entries: Sequence[tuple[str, str, bytes, Sequence[int]]]) -> None: ...

    def count_fingerprints(self) -> int: ...

    def get_validators(self, url: str) -> Validators | None: ...

    def put_validators(self, entries: Sequence[tuple[str, str, Validators, str]]) -> None: ...

    def get_revisit(self, url: str) -> Revisit | None: ...

    def due_revisits(self, source: str, now: str, limit: int) -> list[Revisit]: ...

    def put_revisits(self, revisits: Sequence[Revisit]) -> None: ...

    def start_run(self, run_id: str, kind: str, sources: Sequence[str], started_at: str) -> None: ...

    def add_run_files(self, run_id: str, files: Iterable[dict[str, Any]]) -> None: ...

    def run_files(self, run_id: str) -> list[dict[str, Any]]: ...

    def finish_run(self, manifest: dict[str, Any]) -> None: ...

    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]: ...

    def running_runs(self, limit: int = 1000) -> list[dict[str, Any]]:
        """The runs still journaled as running, newest first, as `list_runs` gives them; no manifest is
        read (who looks for dead runs does so before every crawl)."""
        ...


class StateBackend(Protocol):
    """A backend's class: its URIs, its capabilities, and how to open it."""

    capabilities: ClassVar[StateCapabilities]
    usage: ClassVar[str]  # how its URIs are written, for error messages

    @classmethod
    def from_uri(cls, uri: str) -> StateStore: ...

    @staticmethod
    def normalise_uri(uri: str, base: Path) -> str:
        """The URI as the config keeps it (relative paths resolved against `base`); ValueError with
        what is wrong when it is malformed."""
        ...

    @staticmethod
    def database_path(uri: str) -> Path | None:
        """The file the store lives in, for a `local_file` backend; else None."""
        ...
