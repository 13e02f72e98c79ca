"""Alerts, end to end: real crawls of a loopback site, a loopback webhook receiver and an SMTP server
(aiosmtpd), and what they receive when the site goes away and comes back, when the receiver is down,
and when two processes deliver from one Redis outbox."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jsonschema
import pytest
import tomlkit
from alertreceivers import HttpReceiver, SmtpReceiver
from e2e import REPO, newsvault
from pagesite import HARBOUR_STORY, PageSite
from s3server import S3Server, new_bucket
from sitecustom import dying_before_the_manifest

from newsvault.alerts.events import event_schema

SECRET = "s3cr3t-signing-key-4d1f"
URL_TOKEN = "hook-token-9b7e2c"  # part of the webhook's URL, which comes from the environment too
PASSWORD = "smtp-pass-77aa"  # never used by the loopback SMTP server, but must never be printed
FAST_RETRIES = {"NEWSVAULT_RETRY_AFTER_MAX": 1, "NEWSVAULT_BACKOFF_BASE": 0.1}
PARAGRAPHS = HARBOUR_STORY[:3]


def article(title: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in [*PARAGRAPHS, f"This is the story the site calls {title}."])
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="article:published_time" content="2026-11-20T08:00:00+00:00"></head><body>'
            f'<main><article><h1>{title}</h1><p class="byline">By Ann Lee</p>{body}</article></main></body></html>')


def publish(site: PageSite, *paths: str) -> None:
    """Articles at `paths`, listed in /feed.xml."""
    for path in paths:
        site.html(path, article(f"Harbour story {path.strip('/')}"))
    feed(site, *paths)


def feed(site: PageSite, *paths: str) -> None:
    items = "".join(f"<item><title>{p}</title><link>{site.url(p)}</link></item>" for p in paths)
    site.xml("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>{items}</channel></rss>')


def write_config(root: Path, site_port: int, alerts: list[dict[str, Any]], *, state: str | None = None,
                 sources: tuple[str, ...] = ("harbour",), schedule: str | None = None,
                 archive: dict[str, str] | None = None) -> Path:
    doc = tomlkit.document()
    doc["archive"] = archive or {"uri": str(root / "archive")}
    doc["state"] = {"uri": state or f"sqlite:///{root}/state.db"}
    doc["crawl"] = {"user_agent": "newsvault-test", "download_delay": 0, "timeout": 5, "revisit": ["0s"]}
    table = tomlkit.aot()
    for source in sources:
        table.append(tomlkit.item({"id": source, "feeds": [f"http://127.0.0.1:{site_port}/feed.xml"],
                                   "allowed_domains": ["127.0.0.1"], **({"schedule": schedule} if schedule else {})}))
    doc["sources"] = table
    entries = tomlkit.aot()
    for entry in alerts:
        entries.append(tomlkit.item(entry))
    doc["alerts"] = entries
    root.mkdir(parents=True, exist_ok=True)
    path = root / "newsvault.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def environment(hooks: HttpReceiver, **extra: str) -> dict[str, str]:
    return {**os.environ, "HOOK_URL": hooks.url(f"/hook/{URL_TOKEN}"), "HOOK_SECRET": SECRET,
            "SMTP_PASSWORD": PASSWORD, "NEWSVAULT_EXTRACT_WORKERS": "1",
            "NEWSVAULT_SCRAPY_SETTINGS": json.dumps(FAST_RETRIES), **extra}


WEBHOOK = {"kind": "webhook", "name": "ops-hook", "url_env": "HOOK_URL", "secret_env": "HOOK_SECRET",
           "events": ["run_failed", "source_flagged", "source_recovered", "store_degraded", "run_published"]}


@dataclass
class Outputs:
    """Everything the commands printed, to look for secrets in."""

    texts: list[str]

    def add(self, done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
        self.texts += [done.stdout, done.stderr]
        return done

    def crawl(self, config: Path, env: dict[str, str], *sources: str) -> dict[str, Any]:
        done = self.add(newsvault("-v", "crawl", "--json", *sources, config=config, env=env))
        assert done.stdout.strip(), done.stderr[-3000:]
        manifest: dict[str, Any] = json.loads(done.stdout)
        assert done.returncode == (0 if manifest["status"] in ("ok", "degraded") else 1)
        return manifest


def verified(received: Any) -> dict[str, Any]:
    """The event, once its signature checks out as a receiver would check it."""
    expected = "sha256=" + hmac.new(SECRET.encode(), received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(received.headers["X-Newsvault-Signature-256"], expected)
    event: dict[str, Any] = received.event
    jsonschema.validate(event, event_schema())
    assert received.headers["X-Newsvault-Event"] == event["type"]
    assert received.headers["X-Newsvault-Event-Id"] == event["id"]
    return event


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def manifest_path(event: dict[str, Any]) -> Path:
    return Path(url2pathname(urlsplit(event["data"]["manifest"]["uri"]).path))


@dataclass
class Outage:
    """Four runs of one source: ok, unreachable twice, ok again; what the receivers got."""

    runs: list[dict[str, Any]]
    hooks: HttpReceiver
    mail: SmtpReceiver
    outputs: Outputs
    config: Path


@pytest.fixture(scope="module")
def outage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outage]:
    root = tmp_path_factory.mktemp("outage")
    with HttpReceiver() as hooks, SmtpReceiver() as mail:
        site = PageSite().__enter__()
        publish(site, "/a")
        port = site._server.server_address[1]
        email = {"kind": "email", "host": "127.0.0.1", "port": mail.port, "tls": "none", "from": "newsvault@test",
                 "to": ["ops@test"], "events": ["run_failed", "source_flagged", "source_recovered"]}
        config = write_config(root, port, [WEBHOOK, email])
        env = environment(hooks)
        outputs = Outputs([])
        runs = [outputs.crawl(config, env)]
        site.__exit__()  # the site goes away: nothing listens on its port
        runs += [outputs.crawl(config, env), outputs.crawl(config, env)]
        site = PageSite(port).__enter__()  # and comes back where its source looks for it
        publish(site, "/a", "/b")
        runs.append(outputs.crawl(config, env))
        site.__exit__()
        yield Outage(runs, hooks, mail, outputs, config)


def test_an_unreachable_source_sends_one_run_failed_per_failed_run_and_one_flag_and_recovery(outage: Outage) -> None:
    ok, down, still_down, back = outage.runs
    assert [r["status"] for r in outage.runs] == ["ok", "failed", "failed", "ok"]
    events = [verified(r) for r in outage.hooks.received]

    failed = of_type(events, "run_failed")
    assert [e["data"]["run_id"] for e in failed] == [down["run_id"], still_down["run_id"]]
    assert all(e["data"]["failure"].startswith("no site could be reached") and e["sources"] == ["harbour"]
               for e in failed)
    # the health changed twice: flagged with the first failure (not again with the second), then recovered
    flagged, recovered = of_type(events, "source_flagged"), of_type(events, "source_recovered")
    assert [(e["data"]["source"], e["data"]["run_id"]) for e in flagged] == [("harbour", down["run_id"])]
    assert "failed" in flagged[0]["data"]["reasons"][0]
    assert [(e["data"]["source"], e["data"]["run_id"]) for e in recovered] == [("harbour", back["run_id"])]
    assert recovered[0]["data"]["flagged"] is False and recovered[0]["data"]["reasons"] == []
    assert not of_type(events, "store_degraded")  # a folder archive never spools
    assert len({e["id"] for e in events}) == len(events)  # nothing arrived twice

    # the same changes by email, each once, the event attached
    mailed = outage.mail.events()
    assert Counter(e["type"] for e in mailed) == {"run_failed": 2, "source_flagged": 1, "source_recovered": 1}
    assert {e["id"] for e in mailed} == {e["id"] for e in failed + flagged + recovered}
    subjects = [m["Subject"] for m in outage.mail.messages]
    assert any(s.startswith("[newsvault] source harbour flagged: last run") for s in subjects)


def test_every_run_sends_one_run_published_whose_manifest_exists(outage: Outage) -> None:
    published = of_type([verified(r) for r in outage.hooks.received], "run_published")
    assert [e["data"]["run_id"] for e in published] == [r["run_id"] for r in outage.runs]
    for event, manifest in zip(published, outage.runs, strict=True):
        data = event["data"]
        assert data["manifest"]["key"] == f"runs/{manifest['run_id']}.json"
        assert json.loads(manifest_path(event).read_text()) == manifest
        assert data["status"] == manifest["status"] and data["counts"] == manifest["counts"]
        assert data["files"]["records"] == manifest["counts"]["archived"]
    assert [e["data"]["files"]["records"] for e in published] == [1, 0, 0, 1]  # /b is new in the last run


def test_secrets_never_appear_in_what_the_commands_print(outage: Outage) -> None:
    printed = "\n".join(outage.outputs.texts)
    assert "alert run_failed:" in printed  # -v logs the deliveries...
    for secret in (SECRET, URL_TOKEN, PASSWORD):  # ...and never a secret
        assert secret not in printed


def test_a_receiver_down_during_a_run_gets_its_events_from_alerts_flush_or_the_next_run_once(tmp_path: Path) -> None:
    with HttpReceiver() as hooks, PageSite() as site:
        publish(site, "/a")
        config = write_config(tmp_path, site._server.server_address[1], [WEBHOOK])
        env = environment(hooks)
        outputs = Outputs([])
        # a run that died before this test: the next crawl closes it as crashed, and says so
        dead = _plant_dead_run(tmp_path / "state.db", "harbour")
        hooks.stop()
        started = time.monotonic()
        first = outputs.crawl(config, env)
        assert first["status"] == "ok"  # the receiver's being down changes nothing for the crawl
        assert time.monotonic() - started < 60
        assert hooks.received == []
        # the crashed run flagged its source, which the first run's success recovered
        first_ids = {f"run_failed:{dead}", f"run_published:{dead}", f"source_flagged:harbour:{dead}",
                     f"run_published:{first['run_id']}", f"source_recovered:harbour:{first['run_id']}"}

        hooks.start()
        flushed = outputs.add(newsvault("alerts", "flush", "--json", config=config, env=env))
        assert flushed.returncode == 0, flushed.stderr
        assert {e["id"] for e in hooks.events(f"/hook/{URL_TOKEN}")} == first_ids
        crashed = next(e for e in map(verified, hooks.received) if e["type"] == "run_failed")
        assert crashed["data"]["status"] == "crashed" and crashed["data"]["run_id"] == dead
        again = outputs.add(newsvault("alerts", "flush", "--json", config=config, env=env))
        assert json.loads(again.stdout)["delivered"] == [] and len(hooks.received) == 5

        hooks.stop()
        second = outputs.crawl(config, env)
        hooks.start()
        # the next run, past the backoff, delivers the events held since the last one, and its own
        later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        third = outputs.crawl(config, {**env, "NEWSVAULT_NOW": later})
        ids = [e["id"] for e in map(verified, hooks.received)]
        assert sorted(ids[5:]) == sorted([f"run_published:{second['run_id']}", f"run_published:{third['run_id']}"])
        assert len(ids) == len(set(ids))
    printed = "\n".join(outputs.texts)
    assert "not delivered (attempt 1)" in printed and "cannot reach the receiver" in printed
    assert SECRET not in printed and URL_TOKEN not in printed


def _plant_dead_run(database: Path, source: str) -> str:
    """A run journaled as running by a process that is gone (the pid of one that has just exited)."""
    from state.sqlite_state import SQLiteState

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    run_id = "20260101T000000Z-dead01"
    SQLiteState(database).start_run(run_id, "crawl", [source], "2026-01-01T00:00:00Z")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE runs SET pid = ? WHERE run_id = ?", (int(gone.stdout), run_id))
    return run_id


def test_parts_an_unreachable_store_spooled_alert_store_degraded_and_run_published_waits_for_the_manifest(
        tmp_path: Path, s3_server: S3Server) -> None:
    with S3Server() as s3, HttpReceiver() as hooks, PageSite() as site:
        publish(site, "/a")
        bucket = new_bucket(s3, "alerts")
        config = write_config(tmp_path, site._server.server_address[1], [WEBHOOK],
                              archive={"uri": f"s3://{bucket}/news", "endpoint_url": s3.endpoint_url})
        env = environment(hooks)
        s3.stop()
        run = Outputs([]).crawl(config, env)
        assert run["status"] == "degraded"
        degraded = [verified(r) for r in hooks.received]
        assert [e["type"] for e in degraded] == ["store_degraded"]  # no run_published: its manifest waits too
        data = degraded[0]["data"]
        assert data["run_id"] == run["run_id"] and data["archive"].rstrip("/") == f"s3://{bucket}/news"
        assert data["run_parts"] == len(run["files"]) + 1 == data["waiting"]["parts"]  # its parts and manifest

        s3.start()
        flushed = newsvault("flush", config=config, env=env)
        assert flushed.returncode == 0, flushed.stderr
        published = verified(hooks.received[-1])
        assert published["type"] == "run_published" and published["data"]["run_id"] == run["run_id"]
        assert published["data"]["manifest"]["uri"] == f"s3://{bucket}/news/runs/{run['run_id']}.json"
        stored = s3.client().get_object(Bucket=bucket, Key=f"news/runs/{run['run_id']}.json")["Body"].read()
        assert json.loads(stored)["run_id"] == run["run_id"] and len(hooks.received) == 2


def test_a_scheduled_crawl_whose_process_dies_is_alerted_by_the_scheduler(tmp_path: Path) -> None:
    with HttpReceiver() as hooks, PageSite() as site:
        publish(site, "/a")
        config = write_config(tmp_path, site._server.server_address[1], [WEBHOOK], schedule="every 1h")
        env = {**environment(hooks), "PYTHONPATH": dying_before_the_manifest(tmp_path / "site")["PYTHONPATH"]}
        # no scheduler is running: `schedule run` dispatches the crawl process itself, as the scheduler does
        done = newsvault("schedule", "run", "harbour", "--json", config=config, env=env)

        assert done.returncode == 1, done.stderr[-3000:]
        closed = json.loads(done.stdout)
        assert closed["status"] == "crashed" and closed["closed_by"] == "scheduler"
        events = {e["type"]: e for e in map(verified, hooks.received)}
        assert set(events) == {"run_failed", "run_published", "source_flagged"}
        assert events["run_failed"]["data"]["run_id"] == closed["run_id"] and events["run_failed"]["data"]["status"] == "crashed"
        assert manifest_path(events["run_published"]).is_file()


def test_alerts_test_reaches_every_kind_of_target_and_names_the_one_that_failed(tmp_path: Path) -> None:
    with HttpReceiver() as hooks, SmtpReceiver() as mail:
        down = HttpReceiver().start()
        down.stop()
        slack = {"kind": "slack", "url_env": "SLACK_URL", "events": ["run_failed"]}
        email = {"kind": "email", "host": "127.0.0.1", "port": mail.port, "tls": "none", "from": "nv@test",
                 "to": ["ops@test"], "password_env": "SMTP_PASSWORD", "events": ["run_failed"]}
        email_no_login = {k: v for k, v in email.items() if k != "password_env"}
        gone = {"kind": "webhook", "name": "gone", "url": down.url("/x"), "events": ["run_failed"]}
        config = write_config(tmp_path, 9, [WEBHOOK, slack, email_no_login, gone])
        env = {**environment(hooks), "SLACK_URL": hooks.url(f"/slack/{URL_TOKEN}")}
        done = newsvault("alerts", "test", "--json", config=config, env=env)

        assert done.returncode == 1
        results = {r["target"]: r for r in json.loads(done.stdout)["targets"]}
        assert [name for name, r in results.items() if r["ok"]] == ["ops-hook", "slack:SLACK_URL", "email:ops@test"]
        assert results["gone"]["error"].startswith("gone: cannot reach the receiver")
        test_event = verified(hooks.received[0])
        assert test_event["type"] == "test" and test_event["data"]["target"] == "ops-hook"
        slack_message = json.loads(hooks.received[1].body)
        assert hooks.received[1].path == f"/slack/{URL_TOKEN}" and "test event for slack:SLACK_URL" in slack_message["text"]
        assert [e["data"]["target"] for e in mail.events()] == ["email:ops@test"]
        assert SECRET not in done.stdout + done.stderr and URL_TOKEN not in done.stdout + done.stderr

        # a secret that is not set is named, not guessed at
        unset = newsvault("alerts", "test", config=config, env={k: v for k, v in env.items() if k != "HOOK_SECRET"})
        assert "ops-hook: the environment variable HOOK_SECRET (the signing secret) is not set" in unset.stdout


def test_the_readme_receiver_accepts_signed_events_and_refuses_forged_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    from http.server import HTTPServer

    code = re.search(r"```python\n(# receiver\.py\n.*?)```", (REPO / "README.md").read_text(), re.S)
    assert code, "README.md has no receiver example"
    monkeypatch.setenv("NEWSVAULT_HOOK_SECRET", SECRET)
    example: dict[str, Any] = {"__name__": "readme_receiver"}
    exec(compile(code.group(1), "README.md receiver.py", "exec"), example)
    server = HTTPServer(("127.0.0.1", 0), example["Receiver"])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        config = write_config(tmp_path, 9, [{**WEBHOOK, "url_env": "README_RECEIVER", "secret_env": "NEWSVAULT_HOOK_SECRET"}])
        signed = newsvault("alerts", "test", config=config, env={**os.environ, "README_RECEIVER": url})
        assert signed.returncode == 0, signed.stdout
        forged = newsvault("alerts", "test", config=config,
                           env={**os.environ, "README_RECEIVER": url, "NEWSVAULT_HOOK_SECRET": "not-the-secret"})
        assert forged.returncode == 1 and "HTTP 401" in forged.stdout
        assert len(example["seen"]) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_two_processes_flushing_one_sqlite_outbox_deliver_each_event_once(tmp_path: Path) -> None:
    # The first delivery is answered only once the other process's first is in: however late one
    # process starts, the other has not flushed everything by then (it holds one batch, sent one at a time).
    with HttpReceiver(delay_s=0.03, hold_first=True) as hooks:
        config = write_config(tmp_path, 9, [{**WEBHOOK, "timeout": 60}])
        ids = _seed_outbox(config, 60)
        env = environment(hooks)
        flushes = [_start(["alerts", "flush", "--json"], config, env, tmp_path / f"flush{n}") for n in range(2)]
        reports = [json.loads(_finish(p)) for p in flushes]

        assert hooks.overlapped.is_set()  # the second process sent while the first waited for its reply
        assert Counter(e["id"] for e in hooks.events(f"/hook/{URL_TOKEN}")) == dict.fromkeys(ids, 1)
        assert sum(len(r["delivered"]) for r in reports) == 60 and all(r["delivered"] for r in reports)
        after = json.loads(newsvault("alerts", "flush", "--json", config=config, env=env).stdout)
        assert after["delivered"] == [] and after["pending"] == {"ops-hook": 0}


def test_two_workers_on_a_redis_state_deliver_each_event_once(tmp_path: Path, redis_uri: str) -> None:
    with HttpReceiver(delay_s=0.05) as hooks, PageSite() as site:
        publish(site, "/a", "/b")
        config = write_config(tmp_path, site._server.server_address[1], [WEBHOOK], state=redis_uri,
                              sources=("harbour", "quay"))
        seeded = _seed_outbox(config, 40)
        env = environment(hooks)
        # what two `newsvault worker`s run: one crawl process each, on the same shared state
        crawls = [_start(["-v", "crawl", "--json", source], config, env, tmp_path / f"crawl-{source}")
                  for source in ("harbour", "quay")]
        logs = [_finish(p, stderr=True) for p in crawls]

    received = Counter(e["id"] for e in hooks.events(f"/hook/{URL_TOKEN}"))
    assert set(seeded) <= set(received) and set(received.values()) == {1}
    assert sorted(k.split(":")[0] for k in set(received) - set(seeded)) == ["run_published", "run_published"]
    # both processes delivered, none of them an event the other did
    by_process = [set(re.findall(r"alert (\S+) delivered to ops-hook", log)) for log in logs]
    assert all(by_process) and not by_process[0] & by_process[1]


def _seed_outbox(config: Path, count: int) -> list[str]:
    """`count` events waiting in the config's outbox, as runs whose receiver was down leave them."""
    from newsvault.alerts.delivery import record
    from newsvault.alerts.events import run_published
    from newsvault.config import load_config
    from state.backends import open_state

    loaded = load_config(config)
    state = open_state(loaded.state.uri)
    store = type("Store", (), {"uri": "file:///archive", "spool": None})()
    manifests = [{"run_id": f"20260101T0000{i:02d}Z-seed{i:02d}", "kind": "crawl", "status": "ok",
                  "sources": ["harbour"], "started_at": "2026-01-01T00:00:00Z",
                  "finished_at": "2026-01-01T00:01:00Z", "files": [], "counts": {}} for i in range(count)]
    try:
        assert record(loaded, state, [run_published(m, store) for m in manifests]) == count  # type: ignore[arg-type]
    finally:
        state.close()
    return [f"run_published:{m['run_id']}" for m in manifests]


@dataclass
class _Running:
    process: subprocess.Popen[str]
    output: Path


def _start(args: list[str], config: Path, env: dict[str, str], output: Path) -> _Running:
    # its output to files under `output`, not to pipes: two run at once and one is waited for while the
    # other writes, which a full pipe would stop mid-run
    output.mkdir(parents=True)
    with (output / "stdout").open("w") as out, (output / "stderr").open("w") as err:
        process = subprocess.Popen([sys.executable, "-m", "newsvault", "--config", str(config), *args], cwd=REPO,
                                   env=env, stdout=out, stderr=err, text=True)
    return _Running(process, output)


def _finish(running: _Running, *, stderr: bool = False) -> str:
    running.process.wait(timeout=240)
    out, err = ((running.output / name).read_text() for name in ("stdout", "stderr"))
    assert running.process.returncode == 0, err[-3000:]
    return err if stderr else out
