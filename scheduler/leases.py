"""Locks of a cluster: Redis keys with a lease, for when the lock holders are on different machines.

A file lock (scheduler/file_locks.py) is dropped by the kernel when its process dies; across machines
nothing does that, so a Redis lock is a lease instead: ``SET key value NX PX lease`` takes it, a thread
of the holder extends it every third of the lease, and it lapses by itself within one lease when the
holder dies (kill -9, a lost machine). Extending and releasing compare the holder's random token
first, in one Lua script each, so a holder whose lease lapsed can never extend or drop the lock that
another holder took since.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
from datetime import UTC, datetime
from typing import Any

from scheduler.lock_types import LockBusy
from state.redis_state import PREFIX, connect, lease_seconds

logger = logging.getLogger(__name__)

_EXTEND = """
local value = redis.call('GET', KEYS[1])
if value and cjson.decode(value)['token'] == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
local value = redis.call('GET', KEYS[1])
if value and cjson.decode(value)['token'] == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisLease:
    """FileLock's interface (acquire raising LockBusy, release, held) on a Redis key with a lease."""

    def __init__(self, state_uri: str, name: str, what: str, *, lease_s: float | None = None) -> None:
        self.path = f"{PREFIX}lock:{name}"  # what LockBusy and the messages call the lock
        self.what = what
        self.lease_ms = int((lease_s if lease_s is not None else lease_seconds(state_uri)) * 1000)
        self.redis = connect(state_uri)
        self._extend = self.redis.register_script(_EXTEND)
        self._release = self.redis.register_script(_RELEASE)
        self._token: str | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None
        self.lost = threading.Event()

    @property
    def held(self) -> bool:
        return self._token is not None

    def acquire(self) -> RedisLease:
        token = secrets.token_hex(16)
        holder = {"what": self.what, "pid": os.getpid(), "host": socket.gethostname(), "token": token,
                  "since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        if os.environ.get("NEWSVAULT_WORKER"):
            holder["worker"] = os.environ["NEWSVAULT_WORKER"]
        if not self.redis.set(self.path, json.dumps(holder), nx=True, px=self.lease_ms):
            raise LockBusy(self.path, self.holder() or {})
        self._token = token
        self._stop.clear()
        self.lost.clear()
        self._renewer = threading.Thread(target=self._renew, name=f"lease {self.path}", daemon=True)
        self._renewer.start()
        return self

    def holder(self) -> dict[str, Any] | None:
        """Who holds the lock (without the token), or None when nobody does."""
        raw = self.redis.get(self.path)
        if raw is None:
            return None
        try:
            holder = json.loads(raw)
        except ValueError:
            return {}
        holder.pop("token", None)
        return holder

    def extend(self) -> bool:
        """Renew the lease; False when it had lapsed and someone else (or nobody) holds the lock now."""
        return self._token is not None and bool(self._extend(keys=[self.path], args=[self._token, self.lease_ms]))

    def _renew(self) -> None:
        while not self._stop.wait(self.lease_ms / 3000):
            try:
                if not self.extend():
                    logger.error("lost the lock %s: its lease lapsed before it was renewed", self.path)
                    self.lost.set()
                    return
            except Exception as exc:  # Redis unreachable for a moment: try again at the next beat
                logger.warning("cannot renew the lease of %s: %s", self.path, exc)

    def release(self) -> None:
        if self._token is None:
            return
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
        try:
            self._release(keys=[self.path], args=[self._token])
        except Exception as exc:  # it lapses by itself within the lease
            logger.warning("cannot release %s (it lapses within the lease): %s", self.path, exc)
        self._token = None

    def __enter__(self) -> RedisLease:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
