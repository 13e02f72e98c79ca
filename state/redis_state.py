"""The state store in Redis, shared by every worker of a cluster: dedup index, near-duplicate buckets,
validators, run history, and the claims that make dedup atomic across workers.

It is a `StateStore` (state/state_types.py) with the shared operations (`SharedState`): `claim`,
the check *and* the reservation of a record in one Lua script, so that of two workers archiving the
same article (or two copies of one syndicated story) at the same moment, exactly one sees the other.

A reservation names its run; it counts only while that run is alive: a run keeps `alive:<run_id>`
set with a lease (renewed by a thread of the crawl process, so it lapses within the lease when the
process or its machine dies). A dead run's reservations are then ignored, and its redelivered run
archives those articles again. Reservations are deleted when their record is committed.

Keys (all under ``nv:``): ``article:<id>`` hash; ``text:<source>:<hash>`` -> article id;
``res:article:<id>`` / ``res:text:<source>:<hash>`` reservations; ``nd:fp:<id>`` / ``nd:b:<band>``
archived fingerprints and their buckets (sorted by archive sequence), ``nd:rfp:<id>`` / ``nd:rb:<band>``
reserved ones; ``run:<id>`` hash, ``runs`` and ``runs:<source>`` sorted by start; ``run_files:<id>``;
``validators:<url>``; ``template:<source>`` (the source's learned template, a blob); ``revisit:<url>`` and ``revisits:<source>`` (by due time); ``lock:*`` (scheduler/leases.py);
``scheduler:jobs`` / ``scheduler:run_times`` (the scheduler's job store) and the ``scheduler:wakeup`` channel
(scheduler/jobs.py); ``pending:<source>``, the task of its scheduled run in flight (scheduler/celery_app.py);
``alert:*``, the alert outbox (state/redis_outbox.py).
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from state.redis_outbox import RedisOutbox
from state.state_types import (
    ArticleCommit,
    Claim,
    KnownArticle,
    Outbox,
    Revisit,
    SharedState,
    StateCapabilities,
    StateError,
    Validators,
)

PREFIX = "nv:"
DEFAULT_LEASE_S = 30.0
# A reservation outlives any run (it is deleted at commit, or ignored once its run is dead): the TTL
# only keeps Redis from collecting the reservations of runs that died.
RESERVATION_TTL_MS = 2 * 24 * 3600 * 1000

_LUA_ALIVE = """
local P = '""" + PREFIX + """'
local function alive(owner, me)
  return owner == me or redis.call('EXISTS', P .. 'alive:' .. owner) == 1
end
"""

# ARGV: run_id, article_id, source, content_hash, ttl_ms, per_bucket, fingerprint ('' for none),
#       band keys joined by ','
# -> {verdict, version, [seq, article_id, source, fingerprint]...}
CLAIM = _LUA_ALIVE + """
local run, aid, source, digest = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local ttl, per, fp, bands = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7], ARGV[8]
local latest_v, latest_h
local known = redis.call('HMGET', P .. 'article:' .. aid, 'version', 'content_hash')
if known[1] then latest_v, latest_h = tonumber(known[1]), known[2] end
local res = redis.call('GET', P .. 'res:article:' .. aid)
if res then
  local v, h, owner = string.match(res, '^(%d+)|([^|]*)|(.*)$')
  if v and alive(owner, run) and (latest_v == nil or tonumber(v) > latest_v) then
    latest_v, latest_h = tonumber(v), h
  end
end
if latest_h == digest then return {'same_url', latest_v} end
local textkey = source .. ':' .. digest
local other = redis.call('GET', P .. 'text:' .. textkey)
if not other then
  local rt = redis.call('GET', P .. 'res:text:' .. textkey)
  if rt then
    local o, owner = string.match(rt, '^([^|]*)|(.*)$')
    if o and alive(owner, run) then other = o end
  end
end
if other and other ~= aid then return {'same_text', 0} end
local verdict, version = 'new', 1
if latest_v then verdict, version = 'version', latest_v + 1 end
redis.call('SET', P .. 'res:article:' .. aid, version .. '|' .. digest .. '|' .. run, 'PX', ttl)
redis.call('SET', P .. 'res:text:' .. textkey, aid .. '|' .. run, 'PX', ttl)
local out = {verdict, version}
if fp == '' then return out end
local seen = {}
for band in string.gmatch(bands, '[^,]+') do
  for _, cand in ipairs(redis.call('ZRANGE', P .. 'nd:b:' .. band, 0, per - 1)) do
    if not seen[cand] then
      seen[cand] = true
      local e = redis.call('HMGET', P .. 'nd:fp:' .. cand, 'seq', 'source', 'fp')
      if e[1] then table.insert(out, e[1]); table.insert(out, cand); table.insert(out, e[2]); table.insert(out, e[3]) end
    end
  end
  local rb = P .. 'nd:rb:' .. band
  for _, cand in ipairs(redis.call('ZRANGE', rb, 0, per - 1)) do
    local e = redis.call('HMGET', P .. 'nd:rfp:' .. cand, 'seq', 'source', 'fp', 'run')
    if not e[1] or not alive(e[4], run) then
      redis.call('ZREM', rb, cand)
    elseif not seen[cand] then
      seen[cand] = true
      table.insert(out, e[1]); table.insert(out, cand); table.insert(out, e[2]); table.insert(out, e[3])
    end
  end
end
if redis.call('EXISTS', P .. 'nd:fp:' .. aid) == 0 then
  local seq = redis.call('INCR', P .. 'nd:seq')
  redis.call('HSET', P .. 'nd:rfp:' .. aid, 'seq', seq, 'source', source, 'fp', fp, 'run', run, 'bands', bands)
  redis.call('PEXPIRE', P .. 'nd:rfp:' .. aid, ttl)
  for band in string.gmatch(bands, '[^,]+') do
    redis.call('ZADD', P .. 'nd:rb:' .. band, seq, aid)
  end
end
return out
"""

# ARGV: article_id, canonical_url, source, version, content_hash, simhash, fetched_at, run_id
COMMIT = """
local P = '""" + PREFIX + """'
local aid, url, source, version, digest, simhash, fetched, run = unpack(ARGV)
local key = P .. 'article:' .. aid
local current = redis.call('HGET', key, 'version')
if not current then
  redis.call('HSET', key, 'canonical_url', url, 'source', source, 'version', version, 'content_hash', digest,
             'simhash', simhash, 'first_seen', fetched, 'last_fetched', fetched, 'last_run', run)
  redis.call('INCR', P .. 'count:articles')
elseif tonumber(version) > tonumber(current) then
  redis.call('HSET', key, 'version', version, 'content_hash', digest, 'simhash', simhash,
             'last_fetched', fetched, 'last_run', run)
end
redis.call('SETNX', P .. 'text:' .. source .. ':' .. digest, aid)
local res = redis.call('GET', P .. 'res:article:' .. aid)
if res and string.sub(res, 1, #version + #digest + 2) == version .. '|' .. digest .. '|' then
  redis.call('DEL', P .. 'res:article:' .. aid)
end
local rt = redis.call('GET', P .. 'res:text:' .. source .. ':' .. digest)
if rt and string.sub(rt, 1, #aid + 1) == aid .. '|' then
  redis.call('DEL', P .. 'res:text:' .. source .. ':' .. digest)
end
local r = redis.call('HMGET', P .. 'nd:rfp:' .. aid, 'seq', 'source', 'fp', 'bands')
if r[1] then
  local fresh = redis.call('HSETNX', P .. 'nd:fp:' .. aid, 'seq', r[1]) == 1
  if fresh then
    redis.call('HSET', P .. 'nd:fp:' .. aid, 'source', r[2], 'fp', r[3])
    redis.call('INCR', P .. 'count:fingerprints')
  end
  for band in string.gmatch(r[4], '[^,]+') do
    if fresh then redis.call('ZADD', P .. 'nd:b:' .. band, tonumber(r[1]), aid) end
    redis.call('ZREM', P .. 'nd:rb:' .. band, aid)
  end
  redis.call('DEL', P .. 'nd:rfp:' .. aid)
end
return 1
"""

# ARGV: article_id, source, fingerprint, band keys joined by ','
ADD_FINGERPRINT = """
local P = '""" + PREFIX + """'
local aid, source, fp, bands = unpack(ARGV)
if redis.call('EXISTS', P .. 'nd:fp:' .. aid) == 1 then return 0 end
local seq = redis.call('INCR', P .. 'nd:seq')
redis.call('HSET', P .. 'nd:fp:' .. aid, 'seq', seq, 'source', source, 'fp', fp)
redis.call('INCR', P .. 'count:fingerprints')
for band in string.gmatch(bands, '[^,]+') do redis.call('ZADD', P .. 'nd:b:' .. band, seq, aid) end
return 1
"""


def lease_seconds(uri: str) -> float:
    """``?lease=N`` of a redis state URI: how long a dead worker's locks and reservations stay held."""
    query = dict(parse_qsl(urlsplit(uri).query))
    try:
        lease = float(query.get("lease", DEFAULT_LEASE_S))
    except ValueError:
        raise StateError(f"lease in {uri!r} is not a number of seconds") from None
    if not lease > 0:
        raise StateError(f"lease in {uri!r} must be more than 0 seconds")
    return lease


def connection_uri(uri: str) -> str:
    """The URI without newsvault's own query keys, for the redis client and Celery."""
    split = urlsplit(uri)
    query = [(k, v) for k, v in parse_qsl(split.query) if k != "lease"]
    return urlunsplit((split.scheme, split.netloc, split.path, urlencode(query), ""))


def connect(uri: str) -> Any:
    import redis

    return redis.Redis.from_url(connection_uri(uri), socket_timeout=30, socket_connect_timeout=10,
                                health_check_interval=30)


def _text(value: bytes | str | None) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


class RunHeartbeat:
    """Keeps ``alive:<run_id>`` set while this process lives; it lapses within a lease when it dies."""

    def __init__(self, client: Any, run_id: str, lease_s: float) -> None:
        self.client = client
        self.key = f"{PREFIX}alive:{run_id}"
        self.lease_ms = int(lease_s * 1000)
        self._stop = threading.Event()
        self.client.set(self.key, os.getpid(), px=self.lease_ms)
        self._thread = threading.Thread(target=self._renew, name=f"heartbeat-{run_id}", daemon=True)
        self._thread.start()

    def _renew(self) -> None:
        while not self._stop.wait(self.lease_ms / 3000):
            try:
                self.client.set(self.key, os.getpid(), px=self.lease_ms)
            except Exception:  # Redis unreachable for a moment: the next beat retries
                continue

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            self.client.delete(self.key)
        except Exception:  # the key lapses by itself within the lease
            return


class RedisState:
    """The state store in Redis; see the module docstring for the keys."""

    capabilities: ClassVar[StateCapabilities] = StateCapabilities(shared=True, local_file=False)
    usage: ClassVar[str] = "redis://host:6379/0"

    @classmethod
    def from_uri(cls, uri: str) -> RedisState:
        return cls(uri)

    @staticmethod
    def normalise_uri(uri: str, base: Path) -> str:
        try:
            split = urlsplit(uri)
            host, _port = split.hostname, split.port
        except ValueError as exc:
            raise ValueError(f"bad redis URI: {exc}") from None
        if not host or not re.fullmatch(r"/?\d*", split.path):
            raise ValueError("a redis URI names a host and optionally a database number")
        return uri

    @staticmethod
    def database_path(uri: str) -> Path | None:
        return None

    def shared(self) -> SharedState:
        return self

    def outbox(self) -> Outbox:
        return RedisOutbox(self.redis)

    def __init__(self, uri: str) -> None:
        self._uri = uri
        self.lease_s = lease_seconds(uri)
        try:
            self.redis = connect(uri)
            self._claim = self.redis.register_script(CLAIM)
            self._commit = self.redis.register_script(COMMIT)
            self._add_fp = self.redis.register_script(ADD_FINGERPRINT)
        except Exception as exc:
            raise StateError(f"cannot open the Redis state {uri}: {exc}") from exc
        self._heartbeats: dict[str, RunHeartbeat] = {}

    @property
    def uri(self) -> str:
        return self._uri

    def close(self) -> None:
        for beat in self._heartbeats.values():
            beat.stop()
        self._heartbeats.clear()
        self.redis.close()

    def check(self) -> None:
        import redis

        try:
            self.redis.ping()
            self.redis.set(f"{PREFIX}check", "ok", px=10_000)
        except redis.RedisError as exc:
            raise StateError(f"Redis state {self._uri} is not usable: {exc}") from exc

    # -- source templates --------------------------------------------------------------------

    def load_template(self, source: str) -> bytes | None:
        data = self.redis.get(f"{PREFIX}template:{source}")
        return bytes(data) if data is not None else None

    def save_template(self, source: str, data: bytes) -> None:
        # one crawl of a source at a time (scheduler/locks.py): the last run's counts are the source's
        self.redis.set(f"{PREFIX}template:{source}", data)

    # -- dedup index -------------------------------------------------------------------------

    def get_article(self, article_id: str) -> KnownArticle | None:
        url, source, version, digest = self.redis.hmget(
            f"{PREFIX}article:{article_id}", "canonical_url", "source", "version", "content_hash")
        if version is None:
            return None
        return KnownArticle(article_id, _text(url) or "", _text(source) or "", int(version), _text(digest) or "")

    def find_text(self, source: str, content_hash: str) -> str | None:
        return _text(self.redis.get(f"{PREFIX}text:{source}:{content_hash}"))

    def claim(self, run_id: str, article_id: str, source: str, content_hash: str,
              fingerprint: bytes | None, band_keys: Sequence[int], per_bucket: int) -> Claim:
        """Classify a record and, unless it is a duplicate, reserve it for ``run_id``: atomically."""
        reply = self._claim(args=[run_id, article_id, source, content_hash, RESERVATION_TTL_MS, per_bucket,
                                  fingerprint or b"", ",".join(map(str, band_keys))])
        rest = reply[2:]
        candidates = [(int(rest[i]), _text(rest[i + 1]) or "", _text(rest[i + 2]) or "", bytes(rest[i + 3]))
                      for i in range(0, len(rest), 4)]
        return Claim(_text(reply[0]) or "", int(reply[1]), candidates)

    def commit_articles(self, commits: Sequence[ArticleCommit]) -> None:
        if not commits:
            return
        with self.redis.pipeline(transaction=False) as pipe:
            for c in commits:
                self._commit(args=[c.article_id, c.canonical_url, c.source, c.version, c.content_hash,
                                   c.simhash or "", c.fetched_at, c.run_id], client=pipe)
            pipe.execute()

    def count_articles(self) -> int:
        return int(self.redis.get(f"{PREFIX}count:articles") or 0)

    # -- near-duplicate index (pipelines.neardup.NearDupStore) ------------------------------

    def neardup_candidates(self, buckets: Sequence[int], per_bucket: int) -> list[tuple[int, str, str, bytes]]:
        if not buckets:
            return []
        with self.redis.pipeline(transaction=False) as pipe:
            for bucket in buckets:
                pipe.zrange(f"{PREFIX}nd:b:{bucket}", 0, per_bucket - 1)
            ids = sorted({_text(aid) or "" for members in pipe.execute() for aid in members})
        with self.redis.pipeline(transaction=False) as pipe:
            for aid in ids:
                pipe.hmget(f"{PREFIX}nd:fp:{aid}", "seq", "source", "fp")
            rows = pipe.execute()
        return [(int(seq), aid, _text(source) or "", bytes(fp))
                for aid, (seq, source, fp) in zip(ids, rows, strict=True) if seq is not None]

    def add_fingerprints(self, entries: Sequence[tuple[str, str, bytes, Sequence[int]]]) -> None:
        if not entries:
            return
        with self.redis.pipeline(transaction=False) as pipe:
            for article_id, source, blob, buckets in entries:
                self._add_fp(args=[article_id, source, blob, ",".join(map(str, buckets))], client=pipe)
            pipe.execute()

    def count_fingerprints(self) -> int:
        return int(self.redis.get(f"{PREFIX}count:fingerprints") or 0)

    # -- conditional re-fetch validators -----------------------------------------------------

    def get_validators(self, url: str) -> Validators | None:
        etag, modified, size = self.redis.hmget(f"{PREFIX}validators:{url}", "etag", "last_modified", "size")
        if size is None:
            return None
        return Validators(_text(etag) or None, _text(modified) or None, int(size))

    def put_validators(self, entries: Sequence[tuple[str, str, Validators, str]]) -> None:
        if not entries:
            return
        with self.redis.pipeline(transaction=False) as pipe:
            for url, source, v, at in entries:
                key = f"{PREFIX}validators:{url}"
                pipe.delete(key)
                pipe.hset(key, mapping={"source": source, "etag": v.etag or "",
                                        "last_modified": v.last_modified or "", "size": v.size,
                                        "fetched_at": at})
            pipe.execute()

    # -- revisit schedule (pipelines/revisits.py) ------------------------------------------

    _REVISIT_FIELDS = ("source", "rung", "next_due", "last_fetched", "etag", "last_modified", "body_sha256",
                       "failures")

    def get_revisit(self, url: str) -> Revisit | None:
        values = self.redis.hmget(f"{PREFIX}revisit:{url}", *self._REVISIT_FIELDS)
        return self._revisit(url, values)

    def _revisit(self, url: str, values: Sequence[Any]) -> Revisit | None:
        source, rung, due, fetched, etag, modified, body, failures = (_text(v) for v in values)
        if source is None:
            return None
        return Revisit(url, source, int(rung or 0), due or None, fetched or "", etag or None, modified or None,
                       body or None, int(failures or 0))

    def due_revisits(self, source: str, now: str, limit: int) -> list[Revisit]:
        """Up to `limit` URLs of `source` due at `now` (ISO UTC), the longest overdue first."""
        if limit <= 0:
            return []
        urls = [_text(u) or "" for u in
                self.redis.zrangebyscore(f"{PREFIX}revisits:{source}", "-inf", _epoch(now), start=0, num=limit)]
        with self.redis.pipeline(transaction=False) as pipe:
            for url in urls:
                pipe.hmget(f"{PREFIX}revisit:{url}", *self._REVISIT_FIELDS)
            rows = pipe.execute()
        return [r for url, values in zip(urls, rows, strict=True) if (r := self._revisit(url, values)) is not None]

    def put_revisits(self, revisits: Sequence[Revisit]) -> None:
        if not revisits:
            return
        with self.redis.pipeline() as pipe:
            for r in revisits:
                pipe.hset(f"{PREFIX}revisit:{r.url}", mapping={
                    "source": r.source, "rung": r.rung, "next_due": r.next_due or "", "last_fetched": r.last_fetched,
                    "etag": r.etag or "", "last_modified": r.last_modified or "", "body_sha256": r.body_sha256 or "",
                    "failures": r.failures})
                if r.next_due is None:
                    pipe.zrem(f"{PREFIX}revisits:{r.source}", r.url)
                else:
                    pipe.zadd(f"{PREFIX}revisits:{r.source}", {r.url: _epoch(r.next_due)})
            pipe.execute()

    # -- run history -------------------------------------------------------------------------

    def start_run(self, run_id: str, kind: str, sources: Sequence[str], started_at: str) -> None:
        fields = {"run_id": run_id, "kind": kind, "sources": json.dumps(list(sources)), "status": "running",
                  "started_at": started_at, "host": socket.gethostname(), "pid": os.getpid(),
                  "worker": os.environ.get("NEWSVAULT_WORKER", "")}
        score = _epoch(started_at)
        # alive before it is listed: no one may see it running and not alive, and close it as dead
        self._heartbeats[run_id] = RunHeartbeat(self.redis, run_id, self.lease_s)
        with self.redis.pipeline() as pipe:
            pipe.hset(f"{PREFIX}run:{run_id}", mapping=fields)
            pipe.zadd(f"{PREFIX}runs", {run_id: score})
            for source in sources:
                pipe.zadd(f"{PREFIX}runs:{source}", {run_id: score})
            pipe.execute()

    def run_alive(self, run_id: str) -> bool:
        """Whether the process of a "running" run still renews its lease (on whatever machine)."""
        return bool(self.redis.exists(f"{PREFIX}alive:{run_id}"))

    def add_run_files(self, run_id: str, files: Iterable[dict[str, Any]]) -> None:
        mapping = {f["path"]: json.dumps({k: f[k] for k in ("path", "kind", "records", "bytes", "sha256")})
                   for f in files}
        if mapping:
            self.redis.hset(f"{PREFIX}run_files:{run_id}", mapping=mapping)

    def run_files(self, run_id: str) -> list[dict[str, Any]]:
        entries = self.redis.hgetall(f"{PREFIX}run_files:{run_id}")
        return sorted((json.loads(v) for v in entries.values()), key=lambda f: f["path"])

    def finish_run(self, manifest: dict[str, Any]) -> None:
        run_id = manifest["run_id"]
        self.redis.hset(f"{PREFIX}run:{run_id}", mapping={
            "status": manifest["status"], "finished_at": manifest["finished_at"], "manifest": json.dumps(manifest)})
        beat = self._heartbeats.pop(run_id, None)
        if beat is not None:
            beat.stop()

    def running_runs(self, limit: int = 1000) -> list[dict[str, Any]]:
        names = ("run_id", "kind", "sources", "status", "started_at", "host", "pid", "worker")
        ids = [_text(i) or "" for i in self.redis.zrevrange(f"{PREFIX}runs", 0, limit - 1)]
        with self.redis.pipeline(transaction=False) as pipe:
            for run_id in ids:
                pipe.hmget(f"{PREFIX}run:{run_id}", names)
            rows = pipe.execute()
        runs = []
        for row in rows:
            fields = dict(zip(names, (_text(v) for v in row), strict=True))
            if fields["status"] == "running":
                runs.append({**fields, "sources": json.loads(fields["sources"] or "[]"), "finished_at": None,
                             "files": [], "counts": {}, "pid": int(fields["pid"] or 0)})
        return runs

    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first: finished runs as their manifest, running ones as what is known so far."""
        index = f"{PREFIX}runs:{source}" if source is not None else f"{PREFIX}runs"
        ids = [_text(i) or "" for i in self.redis.zrevrange(index, 0, limit - 1)]
        with self.redis.pipeline(transaction=False) as pipe:
            for run_id in ids:
                pipe.hgetall(f"{PREFIX}run:{run_id}")
            rows = pipe.execute()
        runs = []
        for row in rows:
            fields = {_text(k): _text(v) for k, v in row.items()}
            if not fields:
                continue
            if fields.get("manifest"):
                run = json.loads(fields["manifest"] or "{}")
            else:
                run = {"run_id": fields["run_id"], "kind": fields["kind"],
                       "sources": json.loads(fields["sources"] or "[]"), "status": fields["status"],
                       "started_at": fields["started_at"], "finished_at": fields.get("finished_at"),
                       "files": [], "counts": {}}
            run.setdefault("host", fields.get("host"))
            run.setdefault("pid", int(fields.get("pid") or 0))
            if fields.get("worker"):
                run.setdefault("worker", fields["worker"])
            runs.append(run)
        return runs
