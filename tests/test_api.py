"""The JSON API of `newsvault serve` and its token: served for real over crawls of a loopback site,
each answer compared with what the command line says about the same archive."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
from e2e import manifest_records, newsvault, serving
from openapi_spec_validator import validate as validate_openapi
from pagesite import PageSite
from test_alerts import article, feed, publish, write_config

TOKEN = "api-token-5e0f1c"
ENV = {**os.environ, "NEWSVAULT_API_TOKEN": TOKEN, "NEWSVAULT_EXTRACT_WORKERS": "1"}


@dataclass
class Served:
    url: str
    config: Path
    site: PageSite
    runs: list[dict[str, Any]]

    def get(self, path: str, token: str | None = TOKEN) -> Any:
        request = urllib.request.Request(self.url.rstrip("/") + path)
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read()) if "json" in response.headers["Content-Type"] else response.read()

    def cli(self, *args: str) -> Any:
        done = newsvault(*args, config=self.config, env=ENV)
        assert done.returncode in (0, 1), done.stderr
        return json.loads(done.stdout)

    def crawl(self) -> dict[str, Any]:
        run: dict[str, Any] = self.cli("crawl", "--json")
        self.runs.append(run)
        return run


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("api")
    with PageSite() as site:
        publish(site, "/a", "/b")
        config = write_config(root, site._server.server_address[1], [], sources=("harbour", "quay"))
        with serving(config, "--token-env", "NEWSVAULT_API_TOKEN", env=ENV) as url:
            served = Served(url, config, site, [])
            served.crawl()
            # an edit: a second version of /a
            site.html("/a", article("Harbour story a").replace("</article>", "<p>Correction: on Wednesday.</p></article>"))
            served.crawl()
            yield served


def status_of(served: Served, path: str, token: str | None) -> int:
    try:
        served.get(path, token)
    except urllib.error.HTTPError as refused:
        assert refused.headers["WWW-Authenticate"] == 'Bearer realm="newsvault"' or refused.code != 401
        return refused.code
    return 200


@pytest.mark.parametrize("path", ["/", "/runs", "/articles", "/static/dashboard.css", "/api/v1/runs",
                                  "/api/v1/sources", "/api/v1/openapi.json", "/api/v1/no-such-thing"])
def test_every_page_and_api_call_needs_the_token(served: Served, path: str) -> None:
    assert status_of(served, path, None) == 401
    assert status_of(served, path, "wrong") == 401
    assert status_of(served, path, TOKEN) == (404 if "no-such" in path else 200)


def test_api_runs_are_runs_json(served: Served) -> None:
    assert served.get("/api/v1/runs") == served.cli("runs", "--json")
    first = served.runs[0]
    assert served.get("/api/v1/runs?source=quay&limit=1") == served.cli("runs", "--source", "quay", "--limit", "1", "--json")
    since = served.get(f"/api/v1/runs?since={first['run_id']}")
    assert since == served.cli("runs", "--since", first["run_id"], "--json")
    assert [r["run_id"] for r in since] == [r["run_id"] for r in reversed(served.runs[1:])]
    listed = next(r for r in served.cli("runs", "--json") if r["run_id"] == first["run_id"])
    assert served.get(f"/api/v1/runs/{first['run_id']}") == listed
    assert {k: v for k, v in served.get(f"/api/v1/runs/{first['run_id']}").items() if k not in ("host", "pid")} == first
    for bad, code in (("/api/v1/runs?source=nope", 404), ("/api/v1/runs?limit=0", 400), ("/api/v1/runs?since=soon", 400),
                      ("/api/v1/runs/20200101T000000Z-000000", 404)):
        with pytest.raises(urllib.error.HTTPError) as refused:
            served.get(bad)
        assert refused.value.code == code and "error" in json.loads(refused.value.read())


def test_articles_come_page_by_page_each_once_and_the_cursor_resumes_after_new_runs(served: Served) -> None:
    archived = [r for run in served.runs for r in manifest_records(served.config.parent / "archive", run)]
    pages, cursor = [], ""
    while True:
        page = served.get(f"/api/v1/articles?limit=1{cursor}")
        pages.append(page)
        cursor = f"&cursor={page['next_cursor']}"
        if not page["more"]:
            break
    assert [r for p in pages for r in p["articles"]] == archived and all(len(p["articles"]) <= 1 for p in pages)
    quay = served.get("/api/v1/articles?source=quay")
    assert quay["articles"] == [r for r in archived if r["source"] == "quay"]

    # later: a new run's records, and only them, come after the last cursor
    served.site.html("/c", article("Harbour story c"))
    feed(served.site, "/a", "/b", "/c")
    third = served.crawl()
    later = served.get(f"/api/v1/articles?{cursor.lstrip('&')}")
    assert later["articles"] == manifest_records(served.config.parent / "archive", third) and later["articles"]
    nothing_yet = served.get(f"/api/v1/articles?since={third['run_id']}")
    assert nothing_yet["articles"] == [] and nothing_yet["more"] is False
    assert served.get(f"/api/v1/articles?cursor={nothing_yet['next_cursor']}")["articles"] == []


def test_api_history_is_history_json(served: Served) -> None:
    url = served.site.url("/a")
    versions = served.get(f"/api/v1/history?url={quote(url, safe='')}")
    assert versions == served.cli("history", url, "--json") and [v["version"] for v in versions] == [1, 2]
    with pytest.raises(urllib.error.HTTPError) as missing:
        served.get(f"/api/v1/history?url={quote(served.site.url('/nowhere'), safe='')}")
    assert missing.value.code == 404


def test_api_sources_judge_health_as_runs_check(served: Served) -> None:
    sources = served.get("/api/v1/sources")
    check = {h["source"]: h for h in served.cli("runs", "--check", "--json")}
    assert [s["id"] for s in sources] == ["harbour", "quay"]
    for source in sources:
        assert source["health"] == check[source["id"]] and source["flagged"] is False
        assert source["last_run"]["run_id"] == served.runs[-1]["run_id"] and source["next_run"] == "not scheduled"


def test_the_openapi_document_is_valid_and_describes_every_answer(served: Served) -> None:
    document = served.get("/api/v1/openapi.json")
    validate_openapi(document)
    first = served.runs[0]["run_id"]
    answers = {"/sources": "/api/v1/sources", "/runs": "/api/v1/runs", "/runs/{run_id}": f"/api/v1/runs/{first}",
               "/articles": "/api/v1/articles?limit=3",
               "/history": f"/api/v1/history?url={quote(served.site.url('/a'), safe='')}",
               "/openapi.json": "/api/v1/openapi.json"}
    assert set(document["paths"]) == set(answers)
    for path, url in answers.items():
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        jsonschema.validate(served.get(url), {**schema, "components": document["components"]})


def test_serve_refuses_a_public_address_without_a_token(tmp_path: Path) -> None:
    config = write_config(tmp_path, 9, [])
    public = newsvault("serve", "--host", "0.0.0.0", "--port", "0", config=config)
    assert public.returncode == 2 and "refusing to serve on 0.0.0.0 without a token" in public.stderr
    unset = newsvault("serve", "--token-env", "NEWSVAULT_NO_SUCH_TOKEN", "--port", "0", config=config)
    assert unset.returncode == 2 and "NEWSVAULT_NO_SUCH_TOKEN is not set" in unset.stderr


def test_the_dashboard_and_its_api_read_a_redis_state(tmp_path: Path, redis_uri: str) -> None:
    with PageSite() as site:
        publish(site, "/a")
        config = write_config(tmp_path, site._server.server_address[1], [], state=redis_uri)
        done = newsvault("crawl", "--json", config=config, env=ENV)
        assert done.returncode == 0, done.stderr[-2000:]
        with serving(config, "--token-env", "NEWSVAULT_API_TOKEN", env=ENV) as url:
            served = Served(url, config, site, [json.loads(done.stdout)])
            assert served.get("/api/v1/runs") == served.cli("runs", "--json")
            assert b"harbour" in served.get("/")
            assert served.get("/api/v1/sources")[0]["last_run"]["status"] == "ok"
