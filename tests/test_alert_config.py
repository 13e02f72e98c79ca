"""`[[alerts]]` in newsvault.toml: what loads, and every mistake refused at its key and line, secrets
above all (they come from the environment, never from the file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_config import MINIMAL_SOURCE, line_of, problem_at, problems_of, write

from newsvault.config import AlertTarget, load_config

WEBHOOK = """
[[alerts]]
kind = "webhook"
url_env = "NEWSVAULT_HOOK_URL"
secret_env = "NEWSVAULT_HOOK_SECRET"
events = ["run_failed", "source_flagged", "source_recovered", "store_degraded", "run_published"]
"""


def test_webhook_slack_and_email_targets_load_with_their_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + WEBHOOK + """
[[alerts]]
kind = "slack"
url_env = "SLACK_HOOK"
events = ["source_flagged", "source_recovered"]
sources = ["example-news"]

[[alerts]]
kind = "email"
host = "smtp.example.org"
from = "newsvault@example.org"
to = ["ops@example.org", "data@example.org"]
password_env = "SMTP_PASSWORD"
events = ["run_failed"]

[[alerts]]
name = "ingest"
kind = "webhook"
url = "https://ingest.example.org/newsvault"
events = ["run_published"]
timeout = 5
""")
    hook, slack, email, ingest = load_config(path).alerts
    assert hook == AlertTarget(kind="webhook", name="webhook:NEWSVAULT_HOOK_URL", url_env="NEWSVAULT_HOOK_URL",
                               secret_env="NEWSVAULT_HOOK_SECRET", events=(
                                   "run_failed", "source_flagged", "source_recovered", "store_degraded",
                                   "run_published"))
    assert (slack.name, slack.sources) == ("slack:SLACK_HOOK", ("example-news",))
    assert (email.name, email.host, email.port, email.tls, email.sender) == (
        "email:ops@example.org,data@example.org", "smtp.example.org", 587, "starttls", "newsvault@example.org")
    assert (ingest.name, ingest.url, ingest.timeout, ingest.secret_env) == (
        "ingest", "https://ingest.example.org/newsvault", 5.0, None)
    # which events go where: by type, and by source when the target names sources
    assert slack.wants("source_flagged", ["example-news"]) and not slack.wants("source_flagged", ["other"])
    assert not slack.wants("run_failed", ["example-news"]) and hook.wants("run_published", ["other"])


def test_no_alerts_table_means_no_targets(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, MINIMAL_SOURCE)).alerts == ()


@pytest.mark.parametrize(("entry", "key", "message"), [
    ('kind = "webhok"\nurl = "https://x.example/"\nevents = ["run_failed"]', "alerts[0].kind",
     "unknown kind 'webhok' (did you mean 'webhook'?); use webhook, slack, email"),
    ('url = "https://x.example/"\nevents = ["run_failed"]', "alerts[0].kind", "missing: every alert target needs a kind"),
    ('kind = "webhook"\nevents = ["run_failed"]', "alerts[0].url", "missing: a webhook needs url"),
    ('kind = "webhook"\nurl = "https://x.example/"\nurl_env = "X"\nevents = ["run_failed"]', "alerts[0].url",
     "give url or url_env, not both"),
    ('kind = "webhook"\nurl = "ftp://x.example/"\nevents = ["run_failed"]', "alerts[0].url", "not an http(s) URL"),
    ('kind = "webhook"\nurl = "https://x.example/"', "alerts[0].events", "missing: name the events to send"),
    ('kind = "webhook"\nurl = "https://x.example/"\nevents = []', "alerts[0].events", "at least one event"),
    ('kind = "webhook"\nurl = "https://x.example/"\nevents = ["run_failed", "run_fail"]', "alerts[0].events[1]",
     "unknown event 'run_fail' (did you mean 'run_failed'?)"),
    ('kind = "webhook"\nurl = "https://x.example/"\nevents = ["run_failed"]\nsources = ["example-nws"]',
     "alerts[0].sources[0]", "unknown source 'example-nws' (did you mean 'example-news'?)"),
    ('kind = "webhook"\nurl_env = "MY HOOK"\nevents = ["run_failed"]', "alerts[0].url_env",
     "not an environment variable name"),
    ('kind = "webhook"\nurl = "https://x.example/"\nevents = ["run_failed"]\nhost = "smtp.x"', "alerts[0].host",
     "only applies to email targets, not to webhook"),
    ('kind = "slack"\nurl = "https://hooks.slack.com/services/T/B/X"\nevents = ["run_failed"]', "alerts[0].url_env",
     "a Slack webhook URL is a secret"),
    ('kind = "email"\nfrom = "nv@x.example"\nto = ["ops@x.example"]\nevents = ["run_failed"]', "alerts[0].host",
     "missing: an email target needs the SMTP server's host"),
    ('kind = "email"\nhost = "smtp.x"\nfrom = "nv@x.example"\nto = ["ops"]\nevents = ["run_failed"]',
     "alerts[0].to[0]", "not an email address: 'ops'"),
    ('kind = "email"\nhost = "smtp.x"\nfrom = "nv@x.example"\nto = ["o@x.example"]\ntls = "tls"\nevents = ["run_failed"]',
     "alerts[0].tls", "unknown tls 'tls'"),
    ('kind = "webhook"\nurl = "https://x.example/"\nevents = ["run_failed"]\ntimeout = 600', "alerts[0].timeout",
     "must be at most 60 seconds"),
])
def test_a_bad_alert_target_is_refused_at_its_key_and_line(tmp_path: Path, entry: str, key: str, message: str) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + "\n[[alerts]]\n" + entry + "\n")
    problem = problem_at(path, key)
    assert message in problem.message
    written = key.split(".")[-1].split("[")[0]
    assert problem.line == (line_of(path, f"{written} =") if f"\n{written} =" in path.read_text() else
                            line_of(path, "[[alerts]]"))


@pytest.mark.parametrize("key", ["secret", "password", "token", "url"])
def test_a_secret_written_in_the_file_is_refused_pointing_at_the_environment(tmp_path: Path, key: str) -> None:
    value = "https://user:hunter2@x.example/hook" if key == "url" else "hunter2"
    target = 'kind = "webhook"\nevents = ["run_failed"]\n' + ("" if key == "url" else 'url_env = "X"\n')
    path = write(tmp_path, MINIMAL_SOURCE + "\n[[alerts]]\n" + target + f'{key} = "{value}"\n')
    problem = problem_at(path, f"alerts[0].{key}")
    assert "environment" in problem.message and problem.line == line_of(path, f"{key} =")
    assert all("hunter2" not in p.message for p in problems_of(path))


def test_two_targets_with_one_name_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + WEBHOOK + WEBHOOK)
    problem = problem_at(path, "alerts[1]")
    assert "two alert targets are named 'webhook:NEWSVAULT_HOOK_URL'" in problem.message
    assert problem.line == line_of(path, "[[alerts]]", 2)
