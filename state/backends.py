"""The state store, chosen once from the `[state] uri`: one registry, like Scrapy's
`FilesPipeline.STORE_SCHEMES`.

The interface and its values are in state/state_types.py; the backends are SQLite
(state/sqlite_state.py, the embedded default) and Redis (state/redis_state.py, shared by the
machines of a cluster). Nothing else looks at the URI's scheme: callers ask `state_backend(uri)` for
the backend's class (its capabilities, its database file) or `open_state(uri)` for a store.
"""

from __future__ import annotations

from state.redis_state import RedisState
from state.sqlite_state import SQLiteState, sqlite_path
from state.state_types import (
    ArticleCommit,
    Claim,
    KnownArticle,
    Revisit,
    SharedState,
    StateBackend,
    StateCapabilities,
    StateError,
    StateStore,
    Validators,
)

__all__ = [
    "STATE_SCHEMES", "ArticleCommit", "Claim", "KnownArticle", "RedisState", "Revisit", "SQLiteState",
    "SharedState", "StateBackend", "StateCapabilities", "StateError", "StateStore", "Validators",
    "open_existing_state", "open_state", "sqlite_path", "state_backend",
]

STATE_SCHEMES: dict[str, type[StateBackend]] = {
    "sqlite": SQLiteState,
    "redis": RedisState,
    "rediss": RedisState,
}


def _usage() -> str:
    return " or ".join(dict.fromkeys(backend.usage for backend in STATE_SCHEMES.values()))


def state_backend(uri: str) -> type[StateBackend]:
    """The backend class for `uri`, by its scheme; StateError naming the supported ones."""
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    backend = STATE_SCHEMES.get(scheme)
    if backend is None:
        what = f"unsupported scheme '{scheme}'" if scheme else f"expected a URI, got {uri!r}"
        raise StateError(f"{what}: use {_usage()}")
    return backend


def open_state(uri: str) -> StateStore:
    return state_backend(uri).from_uri(uri)


def open_existing_state(uri: str) -> StateStore | None:
    """open_state, except that a state file not created yet is not created: None (readers that
    must leave the configured state as they found it)."""
    backend = state_backend(uri)
    database = backend.database_path(uri)
    if database is not None and not database.exists():
        return None
    return backend.from_uri(uri)
