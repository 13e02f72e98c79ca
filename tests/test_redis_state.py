"""The Redis state store: what SQLiteState does, plus atomic claims and leases shared by a cluster."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from redisserver import RedisServer

from pipelines.neardup import StateNearDupIndex, fingerprint
from pipelines.shared_dedup import SharedDedupIndex
from scheduler.leases import RedisLease
from scheduler.locks import LockBusy
from state.backends import ArticleCommit, StateError, Validators, open_state
from state.redis_state import RedisState, connection_uri, lease_seconds

STORY = " ".join(f"word{i} of the wire story about the harbour" for i in range(80))


def record(aid: str, source: str, text: str = STORY, digest: str = "h1") -> dict[str, Any]:
    return {"article_id": aid, "source": source, "content_hash": digest, "text": text}


def commit(state: RedisState, rec: dict[str, Any], version: int, run_id: str) -> None:
    state.commit_articles([ArticleCommit(rec["article_id"], f"http://x/{rec['article_id']}", rec["source"],
                                         version, rec["content_hash"], None, "2024-05-01T00:00:00Z", run_id)])


def test_open_state_dispatches_on_the_scheme(redis_uri: str) -> None:
    state = open_state(redis_uri + "?lease=5")
    assert isinstance(state, RedisState)
    assert state.lease_s == 5
    state.check()
    assert connection_uri(redis_uri + "?lease=5") == redis_uri


def test_a_bad_lease_is_a_clear_error() -> None:
    with pytest.raises(StateError, match="lease"):
        lease_seconds("redis://h:1/0?lease=soon")


def test_an_unreachable_redis_is_reported_by_check() -> None:
    with pytest.raises(StateError, match="not usable"):
        RedisState("redis://127.0.0.1:1/0").check()


def test_articles_texts_and_validators_round_trip(redis_uri: str) -> None:
    state = RedisState(redis_uri)
    assert state.get_article("a1") is None
    commit(state, record("a1", "wire"), 1, "r1")
    commit(state, record("a1", "wire", digest="h0"), 1, "r0")  # an older version never overwrites
    known = state.get_article("a1")
    assert known is not None and (known.version, known.content_hash) == (1, "h1")
    assert state.find_text("wire", "h1") == "a1" and state.find_text("daily", "h1") is None
    assert state.count_articles() == 1
    state.put_validators([("http://x/feed", "wire", Validators('"e1"', None, 123), "2024-05-01T00:00:00Z")])
    assert state.get_validators("http://x/feed") == Validators('"e1"', None, 123)
    assert state.get_validators("http://x/other") is None


def test_run_history_newest_first_with_files_and_worker(redis_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSVAULT_WORKER", "w1@box")
    state = RedisState(redis_uri)
    state.start_run("r1", "crawl", ["wire"], "2024-05-01T00:00:00Z")
    state.start_run("r2", "crawl", ["daily"], "2024-05-01T00:05:00Z")
    assert state.run_alive("r1")
    state.add_run_files("r1", [{"path": "articles/p1", "kind": "articles", "records": 2, "bytes": 10,
                                "sha256": "ab"}])
    assert [f["path"] for f in state.run_files("r1")] == ["articles/p1"]
    state.finish_run({"run_id": "r1", "status": "ok", "finished_at": "2024-05-01T00:01:00Z",
                      "sources": ["wire"], "files": [], "counts": {}})
    assert not state.run_alive("r1")
    runs = state.list_runs()
    assert [r["run_id"] for r in runs] == ["r2", "r1"]
    assert runs[1]["status"] == "ok" and runs[0]["status"] == "running"
    assert runs[0]["worker"] == "w1@box"
    assert [r["run_id"] for r in state.list_runs(source="wire")] == ["r1"]
    state.close()


def test_the_neardup_index_behind_the_shared_interface(redis_uri: str) -> None:
    state = RedisState(redis_uri)
    index = StateNearDupIndex(state)
    fp = fingerprint(STORY)
    assert fp is not None
    from pipelines.neardup import Indexed

    index.add([Indexed("a1", "wire", fp)])
    index.add([Indexed("a1", "wire", fp)])  # an article keeps its first place
    assert state.count_fingerprints() == 1
    match = index.lookup(fp, "a2")
    assert match is not None and match.article_id == "a1"
    assert index.lookup(fp, "a1") is None


def test_a_claim_reserves_so_the_next_claim_sees_it(redis_uri: str) -> None:
    state = RedisState(redis_uri)
    state.start_run("r1", "crawl", ["wire"], "2024-05-01T00:00:00Z")
    state.start_run("r2", "crawl", ["wire"], "2024-05-01T00:00:00Z")
    first, second = SharedDedupIndex(state, "r1"), SharedDedupIndex(state, "r2")
    assert first.classify(record("a1", "wire")) == ("new", 1)
    assert second.classify(record("a1", "wire")) == ("same_url", 1)  # reserved by the live run r1
    assert second.classify(record("a2", "wire")) == ("same_text", 0)
    assert second.classify(record("a1", "wire", digest="h2")) == ("version", 2)
    state.close()


def test_the_reservations_of_a_dead_run_are_ignored(redis_uri: str, redis_server: RedisServer) -> None:
    state = RedisState(redis_uri)
    assert SharedDedupIndex(state, "dead-run").classify(record("a1", "wire")) == ("new", 1)  # never alive
    assert SharedDedupIndex(state, "r2").classify(record("a1", "wire")) == ("new", 1)


def test_committing_turns_a_reservation_into_an_index_entry(redis_uri: str) -> None:
    state = RedisState(redis_uri)
    state.start_run("r1", "crawl", ["wire"], "2024-05-01T00:00:00Z")
    index = SharedDedupIndex(state, "r1")
    rec = record("a1", "wire")
    assert index.classify(rec) == ("new", 1)
    commit(state, rec, 1, "r1")
    state.finish_run({"run_id": "r1", "status": "ok", "finished_at": "2024-05-01T00:01:00Z"})
    assert state.count_fingerprints() == 1
    assert not state.redis.keys("nv:res:*") and not state.redis.keys("nv:nd:r*")
    later = SharedDedupIndex(state, "r9")
    assert later.classify(record("a1", "wire")) == ("same_url", 1)
    assert later.classify(record("b1", "daily", digest="h7")) == ("new", 1)
    assert later.duplicate_of(record("b1", "daily")) == "a1"


@pytest.mark.parametrize("copies", [2, 6])
def test_concurrent_claims_of_one_syndicated_story_archive_it_once(redis_uri: str, copies: int) -> None:
    """Workers claiming copies of one story at the same moment: one original, every other a duplicate_of it."""
    state = RedisState(redis_uri)
    for n in range(copies):
        state.start_run(f"r{n}", "crawl", [f"site{n}"], "2024-05-01T00:00:00Z")
    start = threading.Barrier(copies)
    results: dict[int, tuple[str, int, str | None]] = {}

    def worker(n: int) -> None:
        index = SharedDedupIndex(RedisState(redis_uri), f"r{n}")
        rec = record(f"copy{n}", f"site{n}", digest=f"h{n}")
        start.wait()
        verdict, version = index.classify(rec)
        results[n] = (verdict, version, index.duplicate_of(rec))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(copies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(verdict == "new" for verdict, _, _ in results.values())
    originals = [n for n, (_, _, dup) in results.items() if dup is None]
    assert len(originals) == 1
    assert {dup for n, (_, _, dup) in results.items() if n not in originals} == {f"copy{originals[0]}"}
    state.close()


def test_concurrent_claims_of_one_url_let_exactly_one_worker_archive_it(redis_uri: str) -> None:
    state = RedisState(redis_uri)
    for n in range(8):
        state.start_run(f"r{n}", "crawl", ["wire"], "2024-05-01T00:00:00Z")
    start = threading.Barrier(8)
    verdicts: list[str] = []

    def worker(n: int) -> None:
        index = SharedDedupIndex(RedisState(redis_uri), f"r{n}")
        start.wait()
        verdicts.append(index.classify(record("a1", "wire"))[0])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(verdicts) == ["new"] + ["same_url"] * 7
    state.close()


def test_a_lease_lock_is_exclusive_and_lapses_when_its_holder_stops_renewing(redis_uri: str) -> None:
    first = RedisLease(redis_uri, "source:wire", "a crawl of wire", lease_s=0.6)
    second = RedisLease(redis_uri, "source:wire", "a crawl of wire", lease_s=0.6)
    first.acquire()
    time.sleep(1.0)  # renewed meanwhile: still held past its lease
    with pytest.raises(LockBusy) as busy:
        second.acquire()
    assert busy.value.holder["what"] == "a crawl of wire" and "token" not in busy.value.holder
    # A holder that dies stops renewing: stop the renewal thread without releasing the key.
    first._stop.set()
    assert first._renewer is not None
    first._renewer.join()
    deadline = time.monotonic() + 5
    while second.holder() is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    second.acquire()
    # The old holder can neither extend nor release the lock it lost.
    assert not first.extend()
    first.release()
    assert second.holder() is not None
    second.release()
    assert second.holder() is None


def test_revisits_come_due_longest_overdue_first(redis_uri: str) -> None:
    from state.backends import Revisit

    state = RedisState(redis_uri)
    state.put_revisits([
        Revisit("http://x/a", "wire", 0, "2024-05-01T02:00:00Z", "2024-05-01T01:00:00Z", '"e"', None, "b1"),
        Revisit("http://x/b", "wire", 1, "2024-05-01T01:30:00Z", "2024-05-01T01:00:00Z"),
        Revisit("http://x/c", "wire", 4, None, "2024-05-01T01:00:00Z"),
    ])
    assert state.get_revisit("http://x/a") == Revisit("http://x/a", "wire", 0, "2024-05-01T02:00:00Z",
                                                      "2024-05-01T01:00:00Z", '"e"', None, "b1")
    assert [r.url for r in state.due_revisits("wire", "2024-05-01T03:00:00Z", 10)] == ["http://x/b", "http://x/a"]
    assert [r.url for r in state.due_revisits("wire", "2024-05-01T01:45:00Z", 10)] == ["http://x/b"]
    assert state.due_revisits("daily", "2024-05-01T03:00:00Z", 10) == []
    assert state.get_revisit("http://x/c").next_due is None  # type: ignore[union-attr]
    # a URL that only ever failed keeps its count of failing runs
    failing = Revisit("http://x/d", "wire", 0, "2024-05-01T02:00:00Z", "2024-05-01T01:00:00Z", failures=2)
    state.put_revisits([failing])
    assert state.get_revisit("http://x/d") == failing


def test_the_redis_state_has_every_method_of_the_sqlite_state() -> None:
    """Everything the pipelines, commands and scheduler call works on either store."""
    from state.backends import SQLiteState

    public = {name for name in vars(SQLiteState) if not name.startswith("_")}
    assert public - set(dir(RedisState)) == set()
