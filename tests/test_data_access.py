"""Data teams read the archive a crawl wrote: DuckDB straight over the files, and `newsvault export`.

One network, two crawls (the second after an article was edited), exports in between. Each test
states one property a consumer relies on.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from e2e import crawl, manifest_records, newsvault
from newsnet import NewsNetwork

EDIT = "Update: the ministry has since confirmed the figures in a written statement."


@dataclass
class World:
    config: Path
    archive: Path
    root: Path
    first: dict[str, Any]
    second: dict[str, Any] | None = None


def export(world: World, *args: str) -> dict[str, Any]:
    done = newsvault("export", "--json", *args, config=world.config)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def network(shared_dir: Path) -> Iterator[NewsNetwork]:
    with NewsNetwork(shared_dir) as net:
        yield net


@pytest.fixture(scope="module")
def world(network: NewsNetwork, tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("data")
    config = root / "newsvault.toml"
    # revisit 0s: a later crawl fetches every page again, so it sees an edit
    config.write_text(network.config_toml("archive", "sqlite:///state.db", revisit=["0s"]))
    return World(config, root / "archive", root, crawl(config))


def by_key(records: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["article_id"], r["version"]): r for r in records}


def test_duckdb_reads_the_archive_with_the_readme_query(world: World) -> None:
    pattern = f"{world.archive}/articles/**/*.jsonl.gz"
    db = duckdb.connect()
    query = f"SELECT * FROM read_json_auto('{pattern}', hive_partitioning=true)"
    columns = {name: kind for name, kind, *_ in db.execute(f"DESCRIBE {query}").fetchall()}
    assert columns["source"] == "VARCHAR"  # from source=<id>/ in the path, and the record
    assert columns["date"] == "DATE"  # from date=<YYYY-MM-DD>/
    assert columns["authors"] == "VARCHAR[]"
    assert columns["tags"] == "VARCHAR[]"
    assert columns["word_count"] in ("BIGINT", "INTEGER")
    assert columns["language"] == columns["language_declared"] == "VARCHAR"
    assert columns["language_confidence"] == "DOUBLE"
    assert columns["snapshot"].startswith("STRUCT(")
    assert '"offset" BIGINT' in columns["snapshot"]

    counts = dict(db.execute(f"SELECT source, count(*) FROM ({query}) GROUP BY source").fetchall())
    archived = world.first["per_source"]
    assert counts == {source: c["archived"] for source, c in archived.items() if c["archived"]}
    assert sum(counts.values()) == world.first["counts"]["archived"]
    dates = db.execute(f"SELECT DISTINCT date = CAST(fetched_at AS DATE) FROM ({query})").fetchall()
    assert dates == [(True,)]  # the partition is the UTC day of the fetch


def test_export_jsonl_holds_exactly_the_archived_records(world: World) -> None:
    out = world.root / "all.jsonl"
    result = export(world, "--to", str(out))
    assert result["runs"] == [world.first["run_id"]]
    assert result["last_run"] == world.first["run_id"]
    exported = read_jsonl(out)
    assert result["records"] == len(exported) == world.first["counts"]["archived"]
    assert by_key(exported) == by_key(manifest_records(world.archive, world.first))


def test_export_parquet_round_trips_every_field(world: World) -> None:
    out = world.root / "all.parquet"
    result = export(world, "--format", "parquet", "--to", str(out))
    table = pq.read_table(out)
    assert pa.types.is_list(table.schema.field("authors").type)
    assert table.schema.field("authors").type.value_type == pa.string()
    assert str(table.schema.field("snapshot").type).startswith("struct<warc: string")
    assert table.num_rows == result["records"] == world.first["counts"]["archived"]
    assert by_key(table.to_pylist()) == by_key(manifest_records(world.archive, world.first))
    via_duckdb = duckdb.connect().execute(f"SELECT count(*), sum(word_count) FROM '{out}'").fetchone()
    records = manifest_records(world.archive, world.first)
    assert via_duckdb == (len(records), sum(r["word_count"] for r in records))


def test_export_of_one_source(world: World) -> None:
    out = world.root / "wire.jsonl.gz"
    result = export(world, "--source", "wire", "--to", str(out))
    exported = read_jsonl(out)
    assert {r["source"] for r in exported} == {"wire"}
    assert result["records"] == len(exported) == world.first["per_source"]["wire"]["archived"]


def test_export_since_the_last_run_continues_where_it_stopped(world: World, network: NewsNetwork) -> None:
    nothing_new = export(world, "--since", world.first["run_id"], "--to", str(world.root / "none.jsonl"))
    assert nothing_new == {**nothing_new, "records": 0, "runs": [], "last_run": world.first["run_id"]}
    assert read_jsonl(world.root / "none.jsonl") == []

    article = next(a for a in network.articles if a.site_id == "blog")
    network.edit_article("blog", article.path, EDIT)
    world.second = second = crawl(world.config)
    result = export(world, "--since", world.first["run_id"], "--format", "parquet",
                    "--to", str(world.root / "next.parquet"))
    assert result["runs"] == [second["run_id"]] and result["last_run"] == second["run_id"]
    exported = pq.read_table(world.root / "next.parquet").to_pylist()
    assert by_key(exported) == by_key(manifest_records(world.archive, second))
    assert any(r["url"] == article.url and r["version"] == 2 and EDIT in r["text"] for r in exported)


def test_export_since_a_time_means_runs_started_after_it(world: World) -> None:
    started = world.first["started_at"]
    before = export(world, "--since", "2000-01-01", "--to", str(world.root / "t0.jsonl"))
    assert before["runs"][0] == world.first["run_id"]
    after = export(world, "--since", "2999-01-01T00:00:00Z", "--to", str(world.root / "t1.jsonl"))
    assert after["runs"] == [] and after["records"] == 0
    assert started.endswith("Z")


def test_export_refuses_a_bad_since(world: World) -> None:
    done = newsvault("export", "--since", "yesterday", "--to", str(world.root / "x.jsonl"), config=world.config)
    assert done.returncode == 2
    assert "neither a run id" in done.stderr
    assert not (world.root / "x.jsonl").exists()
