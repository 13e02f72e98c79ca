"""The command line's contract: exit codes, config errors listed by key and line, `check`."""

from __future__ import annotations

import json
import os
from pathlib import Path

from e2e import newsvault

VALID = """\
[archive]
uri = "archive"

[state]
uri = "sqlite:///state.db"

[[sources]]
id = "example"
feeds = ["http://127.0.0.1:9/rss.xml"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsvault.toml"
    path.write_text(text)
    return path


def test_check_validates_the_config_and_reaches_both_stores(tmp_path: Path) -> None:
    config = write(tmp_path, VALID)
    done = newsvault("check", config=config)
    assert done.returncode == 0, done.stderr
    assert "archive" in done.stdout and "ok" in done.stdout
    report = json.loads(newsvault("check", "--json", config=config).stdout)
    assert report["ok"] and report["archive"]["ok"] and report["state"]["ok"]
    # A probe is written and removed: the archive is left as it was.
    assert [p for p in (tmp_path / "archive").rglob("*") if p.is_file()] == []


def test_unknown_key_is_refused_with_its_key_and_line(tmp_path: Path) -> None:
    config = write(tmp_path, VALID.replace('[state]', '[state]\nurl = "x"'))
    done = newsvault("check", config=config)
    assert done.returncode == 2
    assert "newsvault.toml:5: state.url: unknown key" in done.stderr


def test_bad_cron_is_refused(tmp_path: Path) -> None:
    config = write(tmp_path, VALID + 'schedule = "61 * * * *"\n')
    done = newsvault("crawl", config=config)
    assert done.returncode == 2
    assert "sources[0].schedule" in done.stderr and ":10:" in done.stderr


def test_duplicate_source_id_is_refused_at_the_second_one(tmp_path: Path) -> None:
    config = write(tmp_path, VALID + '\n[[sources]]\nid = "example"\nfeeds = ["http://127.0.0.1:9/b.xml"]\n')
    done = newsvault("check", config=config)
    assert done.returncode == 2
    assert "duplicate" in done.stderr and ":12:" in done.stderr


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    config = write(tmp_path, VALID.replace('[state]', '[crawl]\ntimeout = "slow"\nbogus = 1\n\n[state]'))
    done = newsvault("check", config=config)
    assert done.returncode == 2
    assert "crawl.timeout" in done.stderr and "crawl.bogus" in done.stderr


def test_missing_config_file_is_a_usage_error(tmp_path: Path) -> None:
    done = newsvault("check", config=tmp_path / "absent.toml")
    assert done.returncode == 2
    assert "absent.toml" in done.stderr


def test_config_is_found_through_the_environment(tmp_path: Path) -> None:
    config = write(tmp_path, VALID)
    done = newsvault("check", env={**os.environ, "NEWSVAULT_CONFIG": str(config)})
    assert done.returncode == 0, done.stderr
    assert str(config) in done.stdout


def test_unknown_source_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    config = write(tmp_path, VALID)
    done = newsvault("crawl", "nosuch", config=config)
    assert done.returncode == 2
    assert "nosuch" in done.stderr


def test_unwritable_archive_fails_check_with_exit_1(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file where the archive folder should be")
    config = write(tmp_path, VALID.replace('uri = "archive"', 'uri = "blocked/archive"'))
    done = newsvault("check", config=config)
    assert done.returncode == 1
    assert "FAILED" in done.stdout


def test_schema_prints_the_record_json_schema() -> None:
    done = newsvault("schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert "article_id" in schema["properties"] and "snapshot" in schema["required"]


def test_log_format_json_writes_one_object_per_line_with_the_run_id(newsnet, tmp_path: Path) -> None:
    config = tmp_path / "newsvault.toml"
    config.write_text(newsnet.config_toml(tmp_path / "archive", f"sqlite:///{tmp_path}/state.db",
                                          sources=["wire"]))
    done = newsvault("--log-format", "json", "-v", "crawl", "--json", config=config)
    assert done.returncode == 0, done.stderr[-3000:]
    run_id = json.loads(done.stdout)["run_id"]
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert lines, "a verbose crawl logs"
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    # Scrapy's own lines go through the same handler, and carry the run they belong to
    assert any(line["logger"].startswith("scrapy") and line.get("run_id") == run_id for line in lines)
