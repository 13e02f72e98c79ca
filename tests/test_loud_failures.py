"""A crawl that cannot do its job says so: status `failed`, exit 1, the cause and the fix.

Each test breaks one thing for real: the extractor's imports (a sitecustomize blocking a module in
every process, as an install by an old pip leaves it), the network (every site refusing
connections), or a single page (extraction raising on it). Only the last is the page's fault, and
only that crawl succeeds.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from e2e import newsvault, serving
from newsnet import NewsNetwork
from sitecustom import breaking_pages_with, without_module

BROKEN_MARKER = b"newsvault-test: this paragraph breaks the extractor"
WORKERS = 2
FAST_RETRIES = {"NEWSVAULT_RETRY_AFTER_MAX": 1, "NEWSVAULT_BACKOFF_BASE": 0.1}


def _config(network: NewsNetwork, root: Path) -> Path:
    config = root / "newsvault.toml"
    config.write_text(network.config_toml(root / "archive", f"sqlite:///{root}/state.db"))
    return config


def _manifest(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    return json.loads(done.stdout)


def _dashboard_health(config: Path) -> str:
    with serving(config) as url, urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def test_a_crawl_whose_extractor_cannot_be_imported_fails_and_names_the_package(
        newsnet: NewsNetwork, tmp_path: Path) -> None:
    config = _config(newsnet, tmp_path)
    env = without_module(tmp_path / "site", "lxml_html_clean")
    done = newsvault("crawl", "--json", config=config, env=env)

    assert done.returncode == 1, done.stderr[-3000:]
    manifest = _manifest(done)
    assert manifest["status"] == "failed" and manifest["counts"]["archived"] == 0
    assert "lxml_html_clean" in manifest["failure"] and "pip install lxml_html_clean" in manifest["failure"]
    assert "lxml_html_clean" in done.stderr.splitlines()[-1]
    # stopped at once: only the pages already handed to the workers (two each) were tried
    assert 1 <= manifest["counts"]["errors"]["extraction_error"] <= 2 * WORKERS

    # the operator's views flag it, although the source has no earlier run to compare with
    check = newsvault("runs", "--check", "--json", config=config)
    assert check.returncode == 1
    flagged = {r["source"]: r["reasons"] for r in json.loads(check.stdout) if r["flagged"]}
    assert set(flagged) == {s for s in manifest["sources"]}
    assert all("failed" in reasons[0] and "lxml_html_clean" in reasons[0] for reasons in flagged.values())
    page = _dashboard_health(config)
    assert page.count("lxml_html_clean") >= len(flagged) and 'class="status-ok"' not in page


def test_newsvault_check_extracts_and_fails_on_a_broken_extractor(newsnet: NewsNetwork, tmp_path: Path) -> None:
    config = _config(newsnet, tmp_path)
    good = newsvault("check", config=config)
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"^extract bundled page extracted \(\d+ words", good.stdout, re.M)
    assert re.search(r"^versions trafilatura [\d.]+, lxml [\d.]+, .*Scrapy [\d.]+$", good.stdout, re.M)

    broken = newsvault("check", "--json", config=config, env=without_module(tmp_path / "site", "lxml_html_clean"))
    assert broken.returncode == 1
    report = json.loads(broken.stdout)
    assert report["ok"] is False and report["archive"]["ok"] and report["state"]["ok"]
    assert "pip install lxml_html_clean" in report["extraction"]["detail"]


def test_a_crawl_that_reaches_no_site_fails(shared_dir: Path, tmp_path: Path) -> None:
    with NewsNetwork(shared_dir) as network:
        config = _config(network, tmp_path)
    # the network is down now: every address in the config refuses connections
    done = newsvault("crawl", "--json", config=config, timeout=240,
                     env={**os.environ, "NEWSVAULT_SCRAPY_SETTINGS": json.dumps(FAST_RETRIES)})

    assert done.returncode == 1, done.stderr[-3000:]
    manifest = _manifest(done)
    assert manifest["status"] == "failed" and manifest["counts"]["fetched"] == 0
    assert manifest["failure"].startswith("no site could be reached")
    assert "connection" in manifest["failure"]


def test_one_broken_page_is_counted_and_the_crawl_succeeds(newsnet: NewsNetwork, tmp_path: Path) -> None:
    article = newsnet.articles[0]
    newsnet.edit_article(article.site_id, article.path, BROKEN_MARKER.decode())
    config = _config(newsnet, tmp_path)
    done = newsvault("crawl", "--json", config=config, env=breaking_pages_with(tmp_path / "site", BROKEN_MARKER))

    assert done.returncode == 0, done.stderr[-3000:]
    manifest = _manifest(done)
    assert manifest["status"] == "ok" and "failure" not in manifest
    assert manifest["counts"]["errors"]["extraction_error"] == 1
    assert manifest["per_source"][article.site_id]["errors"]["extraction_error"] == 1
    assert manifest["counts"]["archived"] >= len(newsnet.articles) - 1


@pytest.fixture(autouse=True)
def _quiet_extraction_server(monkeypatch: pytest.MonkeyPatch) -> None:
    # each crawl here starts its own extraction server; two workers keep them small
    monkeypatch.setenv("NEWSVAULT_EXTRACT_WORKERS", str(WORKERS))
