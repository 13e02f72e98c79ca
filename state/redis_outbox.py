"""The alert outbox in a cluster's Redis: every worker records its events here and delivers what is
pending, and each event reaches each target once, whichever workers flush at the same moment.

Each step is one Lua script, so it is atomic: an event is recorded once (``seen:<id>`` set only if
absent), a delivery is claimed by whoever sets its claim key first (``SET NX PX``: a lease, which
lapses if its holder dies mid-send), and only the claim's holder settles it.

Keys (under ``nv:alert:``): ``seen:<event id>`` (30 days: an event recorded twice, say by two workers
closing the same crashed run, is delivered once); ``event:<event id>`` hash (body, created_at, open:
deliveries not settled yet; deleted with the last); ``pending:<target>`` sorted set of event ids by
next attempt (epoch seconds); ``attempts:<target>`` / ``error:<target>`` hashes by event id;
``claim:<target>:<event id>`` the claim's token; ``health`` hash, source -> "1" flagged / "0".
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from state.state_types import Delivery

PREFIX = "nv:alert:"
SEEN_TTL_S = 30 * 24 * 3600
# How far down a target's pending list a claim looks past deliveries other processes hold.
CLAIM_SCAN = 200

_P = f"local P = '{PREFIX}'\n"

# ARGV: event id, body, now, seen ttl (s), targets...
ADD = _P + """
local id, body, now, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
if not redis.call('SET', P .. 'seen:' .. id, 1, 'NX', 'EX', ttl) then return 0 end
redis.call('HSET', P .. 'event:' .. id, 'body', body, 'created_at', now, 'open', #ARGV - 4)
for i = 5, #ARGV do redis.call('ZADD', P .. 'pending:' .. ARGV[i], now, id) end
return 1
"""

# ARGV: target, highest next-attempt score ('+inf': due or not), lease (ms), limit, token, scan
# -> {event id, body, created_at, attempts}...
CLAIM = _P + """
local target, highest, lease, limit, token, scan = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local pending = P .. 'pending:' .. target
local out, got = {}, 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', pending, '-inf', highest, 'LIMIT', 0, scan)) do
  if got >= limit then break end
  local event = redis.call('HMGET', P .. 'event:' .. id, 'body', 'created_at')
  if not event[1] then
    redis.call('ZREM', pending, id)
  elseif redis.call('SET', P .. 'claim:' .. target .. ':' .. id, token, 'NX', 'PX', lease) then
    got = got + 1
    table.insert(out, id); table.insert(out, event[1]); table.insert(out, event[2])
    table.insert(out, redis.call('HGET', P .. 'attempts:' .. target, id) or '0')
  end
end
return out
"""

# ARGV: target, event id, token, action (delivered | given_up | retry | release), error, next attempt
SETTLE = _P + """
local target, id, token, action = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local claim = P .. 'claim:' .. target .. ':' .. id
if redis.call('GET', claim) ~= token then return 0 end
redis.call('DEL', claim)
if action == 'retry' then
  redis.call('HINCRBY', P .. 'attempts:' .. target, id, 1)
  redis.call('HSET', P .. 'error:' .. target, id, ARGV[5])
  redis.call('ZADD', P .. 'pending:' .. target, 'XX', ARGV[6], id)
elseif action ~= 'release' then
  redis.call('ZREM', P .. 'pending:' .. target, id)
  redis.call('HDEL', P .. 'attempts:' .. target, id)
  redis.call('HDEL', P .. 'error:' .. target, id)
  local event = P .. 'event:' .. id
  if redis.call('EXISTS', event) == 1 and redis.call('HINCRBY', event, 'open', -1) <= 0 then
    redis.call('DEL', event)
  end
end
return 1
"""

# ARGV: source, "1" | "0" -> what was there before (nil: nothing)
SWAP_FLAG = _P + """
local old = redis.call('HGET', P .. 'health', ARGV[1])
redis.call('HSET', P .. 'health', ARGV[1], ARGV[2])
return old
"""


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RedisOutbox:
    def __init__(self, client: Any) -> None:
        self.redis = client
        self._add = client.register_script(ADD)
        self._claim = client.register_script(CLAIM)
        self._settle = client.register_script(SETTLE)
        self._swap = client.register_script(SWAP_FLAG)

    def add(self, event_id: str, body: str, targets: Sequence[str], now: float) -> bool:
        return bool(self._add(args=[event_id, body, repr(now), SEEN_TTL_S, *dict.fromkeys(targets)]))

    def claim(self, target: str, *, now: float, due_only: bool, lease_s: float, limit: int) -> list[Delivery]:
        token = secrets.token_hex(8)
        reply = self._claim(args=[target, repr(now) if due_only else "+inf", int(lease_s * 1000), limit, token,
                                  CLAIM_SCAN])
        return [Delivery(event_id=_text(reply[i]), target=target, body=_text(reply[i + 1]),
                         attempts=int(reply[i + 3]), created_at=float(reply[i + 2]), claim=token)
                for i in range(0, len(reply), 4)]

    def _settle_as(self, delivery: Delivery, action: str, error: str = "", next_attempt: float = 0.0) -> None:
        self._settle(args=[delivery.target, delivery.event_id, delivery.claim, action, error, repr(next_attempt)])

    def delivered(self, delivery: Delivery, now: float) -> None:
        self._settle_as(delivery, "delivered")

    def retry(self, delivery: Delivery, error: str, next_attempt: float) -> None:
        self._settle_as(delivery, "retry", error, next_attempt)

    def release(self, delivery: Delivery) -> None:
        self._settle_as(delivery, "release")

    def give_up(self, delivery: Delivery, error: str, now: float) -> None:
        self._settle_as(delivery, "given_up", error)

    def pending(self, targets: Sequence[str]) -> dict[str, int]:
        with self.redis.pipeline(transaction=False) as pipe:
            for target in targets:
                pipe.zcard(f"{PREFIX}pending:{target}")
            counts = pipe.execute()
        return {target: int(n) for target, n in zip(targets, counts, strict=True)}

    def swap_source_flag(self, source: str, flagged: bool, now: float) -> bool | None:
        old = self._swap(args=[source, "1" if flagged else "0"])
        return None if old is None else _text(old) == "1"
