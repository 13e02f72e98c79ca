"""The `[[alerts]]` entries: where events go (a webhook, a Slack incoming webhook, an email address)
and which events about which sources. Checked with the rest of the file, problems collected by the
Checker (validate.py) at their key and line.

Secrets never come from the file: a signing secret, an SMTP password and a Slack webhook URL (which
is itself the credential) are named by the environment variable that holds them (`*_env`), and read
only when an event is sent.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import fields
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core.config import ALERT_EVENTS, ALERT_KINDS, SMTP_TLS, AlertTarget
from newsvault.config.key_lines import KeyPath, format_key

if TYPE_CHECKING:
    from newsvault.config.validate import Checker

ALERT_KEYS = tuple("from" if f.name == "sender" else f.name for f in fields(AlertTarget))
# The keys that only mean something for some kinds: written for another kind, they are a mistake.
_KIND_KEYS = {
    "webhook": ("url", "url_env", "secret_env"),
    "slack": ("url_env",),
    "email": ("host", "port", "tls", "username", "password_env", "from", "to"),
}
_SECRET_WORDS = ("secret", "password", "token", "credential")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+")
_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
MAX_TIMEOUT_S = 60.0


def _suggest(word: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def alert_targets(checker: Checker, value: Any, missing: Any, source_ids: tuple[str, ...]) -> tuple[AlertTarget, ...]:
    """Every ``[[alerts]]`` entry, each checked; entries with problems are left out."""
    path: KeyPath = ("alerts",)
    if value is missing:
        return ()
    if not isinstance(value, list):
        checker.problem(path, "expected an array of tables ([[alerts]])")
        return ()
    targets: list[AlertTarget] = []
    first: dict[str, KeyPath] = {}
    for index, entry in enumerate(value):
        entry_path = path + (index,)
        if not isinstance(entry, dict):
            checker.problem(entry_path, "expected a table")
            continue
        target = _target(checker, entry, entry_path, source_ids)
        if target is None:
            continue
        if target.name in first:
            where = format_key(first[target.name])
            checker.problem(entry_path + (("name",) if "name" in entry else ()),
                            f"two alert targets are named '{target.name}' (the other is {where}): "
                            "give one a distinct name = \"...\"")
            continue
        first[target.name] = entry_path
        targets.append(target)
    return tuple(targets)


def _target(checker: Checker, entry: dict[str, Any], path: KeyPath, source_ids: tuple[str, ...]) -> AlertTarget | None:
    problems_before = len(checker.problems)
    for key in list(entry):
        if key not in ALERT_KEYS and any(word in key.lower() for word in _SECRET_WORDS):
            checker.problem(path + (key,), "secrets are never read from the config file: name the environment "
                                           "variable that holds it (secret_env, password_env, url_env)")
    table = checker.table({k: v for k, v in entry.items() if k in ALERT_KEYS
                           or not any(w in k.lower() for w in _SECRET_WORDS)}, path, ALERT_KEYS)
    kind = checker.string(table, path, "kind", None)
    if "kind" not in table:
        checker.problem(path + ("kind",), f"missing: every alert target needs a kind ({', '.join(ALERT_KINDS)})")
        return None
    if kind not in ALERT_KINDS:
        if kind is not None:
            checker.problem(path + ("kind",), f"unknown kind '{kind}'{_suggest(kind, ALERT_KINDS)}; "
                                              f"use {', '.join(ALERT_KINDS)}")
        return None
    for key in table:
        owners = [other for other, keys in _KIND_KEYS.items() if key in keys]
        if owners and kind not in owners:
            checker.problem(path + (key,), f"only applies to {' and '.join(owners)} targets, not to {kind}")
    events = _events(checker, table, path)
    sources = _sources(checker, table, path, source_ids)
    env = {key: _env_name(checker, table, path, key) for key in ("url_env", "secret_env", "password_env")}
    url = _url(checker, table, path, kind, env["url_env"])
    email = _email(checker, table, path) if kind == "email" else {}
    timeout = checker.number(table, path, "timeout", 10.0, positive=True)
    if timeout > MAX_TIMEOUT_S:  # an attempt must end well within a delivery's claim (alerts/delivery.py)
        checker.problem(path + ("timeout",), f"must be at most {MAX_TIMEOUT_S:g} seconds, got {timeout:g}")
    if len(checker.problems) > problems_before:
        return None
    name = checker.string(table, path, "name", None) or _default_name(kind, url, env["url_env"], email)
    return AlertTarget(kind=kind, name=name, events=events, sources=sources, url=url, url_env=env["url_env"],
                       secret_env=env["secret_env"], password_env=env["password_env"], timeout=timeout, **email)


def _events(checker: Checker, table: dict[str, Any], path: KeyPath) -> tuple[str, ...]:
    items = checker.strings(table, path, "events")
    if items is None:
        checker.problem(path + ("events",), f"missing: name the events to send, from {', '.join(ALERT_EVENTS)}")
        return ()
    if not items and isinstance(table.get("events"), list):
        checker.problem(path + ("events",), f"must name at least one event, from {', '.join(ALERT_EVENTS)}")
    events = []
    for item_path, event in items:
        if event not in ALERT_EVENTS:
            checker.problem(item_path, f"unknown event '{event}'{_suggest(event, ALERT_EVENTS)}; events: "
                                       f"{', '.join(ALERT_EVENTS)}")
        else:
            events.append(event)
    return tuple(dict.fromkeys(events))


def _sources(checker: Checker, table: dict[str, Any], path: KeyPath,
             source_ids: tuple[str, ...]) -> tuple[str, ...] | None:
    items = checker.strings(table, path, "sources")
    if items is None:
        return None
    if not items and isinstance(table.get("sources"), list):
        checker.problem(path + ("sources",), "must name at least one source (leave it out for every source)")
    for item_path, source in items:
        if source not in source_ids:
            checker.problem(item_path, f"unknown source '{source}'{_suggest(source, source_ids)}; known sources: "
                                       f"{', '.join(source_ids) or 'none'}")
    return tuple(dict.fromkeys(source for _, source in items))


def _env_name(checker: Checker, table: dict[str, Any], path: KeyPath, key: str) -> str | None:
    name = checker.string(table, path, key, None)
    if name is not None and not _ENV_NAME.fullmatch(name):
        checker.problem(path + (key,), f"not an environment variable name: {name!r} (name the variable, "
                                       "never write its value here)")
        return None
    return name


def _url(checker: Checker, table: dict[str, Any], path: KeyPath, kind: str, url_env: str | None) -> str | None:
    url = checker.string(table, path, "url", None)
    if kind == "email":
        return None
    if kind == "slack":
        if url_env is None and "url_env" not in table:
            checker.problem(path + ("url_env",), "missing: a Slack webhook URL is a secret, so it comes from the "
                                                 "environment: url_env = \"NAME_OF_THE_VARIABLE\"")
        return None
    if url is not None and "url_env" in table:
        checker.problem(path + ("url",), "give url or url_env, not both")
    elif url is None and "url_env" not in table:
        checker.problem(path + ("url",), "missing: a webhook needs url = \"https://...\" or url_env = \"VARIABLE\"")
    elif url is not None:
        try:
            split = urlsplit(url)
            good = split.scheme in ("http", "https") and bool(split.hostname)
            credentials = split.username is not None or split.password is not None
        except ValueError:
            good, credentials = False, False
        if credentials:
            checker.problem(path + ("url",), "credentials in a URL are a secret: put the URL in an environment "
                                             "variable and name it in url_env")
        elif not good:
            checker.problem(path + ("url",), "not an http(s) URL with a host")
    return url


def _email(checker: Checker, table: dict[str, Any], path: KeyPath) -> dict[str, Any]:
    host = checker.string(table, path, "host", None)
    if "host" not in table:
        checker.problem(path + ("host",), "missing: an email target needs the SMTP server's host")
    tls = checker.string(table, path, "tls", "starttls") or "starttls"
    if tls not in SMTP_TLS:
        checker.problem(path + ("tls",), f"unknown tls '{tls}'{_suggest(tls, SMTP_TLS)}; use {', '.join(SMTP_TLS)}")
        tls = "starttls"
    port = checker.integer(table, path, "port", _DEFAULT_PORTS[tls], 1)
    if port > 65535:
        checker.problem(path + ("port",), f"not a port number: {port}")
    sender = checker.string(table, path, "from", None)
    if "from" not in table:
        checker.problem(path + ("from",), "missing: an email target needs from = \"newsvault@example.org\"")
    elif sender is not None and not _ADDRESS.fullmatch(sender):
        checker.problem(path + ("from",), f"not an email address: {sender!r}")
    to = []
    items = checker.strings(table, path, "to")
    if items is None:
        checker.problem(path + ("to",), "missing: an email target needs to = [\"ops@example.org\"]")
    elif not items and isinstance(table.get("to"), list):
        checker.problem(path + ("to",), "must name at least one address")
    for item_path, address in items or []:
        if not _ADDRESS.fullmatch(address):
            checker.problem(item_path, f"not an email address: {address!r}")
        to.append(address)
    return {"host": host, "port": port, "tls": tls, "username": checker.string(table, path, "username", None),
            "sender": sender, "to": tuple(to)}


def _default_name(kind: str, url: str | None, url_env: str | None, email: dict[str, Any]) -> str:
    """A readable name that holds no secret: the variable's name, the URL's host, the recipients."""
    if kind == "email":
        return f"email:{','.join(email['to'])}"
    if url_env is not None:
        return f"{kind}:{url_env}"
    return f"{kind}:{urlsplit(url or '').hostname}"
