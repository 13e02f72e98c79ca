"""newsvault.toml: what loads, what is refused, and how refusals point at the file."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from newsvault.config import (
    ArchiveConfig,
    Config,
    ConfigError,
    CrawlConfig,
    Problem,
    Schedule,
    find_config_path,
    load_config,
    parse_duration,
    parse_schedule,
)

REPO_ROOT = Path(__file__).resolve().parents[1]

SPEC_EXAMPLE = r"""
[archive]
uri = "data/archive"                  # a folder, file:///abs/path, or s3://bucket/prefix
# endpoint_url = "http://127.0.0.1:9000"   # S3-compatible store (MinIO, Ceph, ...); credentials
#                                         # from the standard AWS chain, never from this file

[state]
uri = "sqlite:///data/state.db"        # dedup index, schedules, run history; redis://host:6379/0

[crawl]
user_agent = "newsvault (+https://example.org/bot)"
obey_robots = true
concurrency_per_domain = 2            # "domain" means host name, as Scrapy's download slots do
download_delay = 0.5                   # seconds, per host; robots.txt Crawl-delay wins when larger
timeout = 30
max_articles_per_run = 1000
max_page_bytes = 10_000_000
revisit = ["1h", "3h", "12h", "2d", "7d"]  # when a known article is fetched again to catch edits:
                                       # after each rung without change, the next; [] never;
                                       # ["0s"] on every run. A source may override it.

[[sources]]
id = "example-news"                    # [a-z0-9][a-z0-9_-]*, unique
name = "Example News"
feeds = ["https://news.example.com/rss.xml"]              # RSS, Atom, RDF, JSON Feed
sitemaps = ["https://news.example.com/sitemap-news.xml"]  # sitemap, sitemap index, news sitemap, .gz
start_urls = ["https://news.example.com/"]                # pages to discover article links from
allowed_domains = ["news.example.com"]
article_url_pattern = "/\\d{4}/\\d{2}/"                   # optional: links that are articles
follow_depth = 1                                          # link hops from start_urls
schedule = "*/30 * * * *"                                 # 5-field cron, or "every 30m" (s, m, h, d)
"""

MINIMAL_SOURCE = """
[[sources]]
id = "example-news"
feeds = ["https://news.example.com/rss.xml"]
"""


def write(tmp_path: Path, text: str, name: str = "newsvault.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def line_of(path: Path, snippet: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the n-th occurrence of ``snippet``."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if snippet in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{snippet!r} not in {path}")


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def problem_at(path: Path, key: str) -> Problem:
    problems = problems_of(path)
    matching = [p for p in problems if p.key == key]
    assert matching, f"no problem for {key}; got {problems}"
    return matching[0]


# -- a valid config ---------------------------------------------------------------------------------


def test_the_spec_example_loads_with_typed_values_and_paths_resolved_against_the_config_folder(
    tmp_path: Path,
) -> None:
    config = load_config(write(tmp_path, SPEC_EXAMPLE))

    assert isinstance(config, Config)
    assert config.path == tmp_path / "newsvault.toml"
    assert config.archive == ArchiveConfig(uri=str(tmp_path / "data" / "archive"))
    assert config.state.uri == f"sqlite:///{tmp_path / 'data' / 'state.db'}"
    crawl = config.crawl
    assert crawl.user_agent == "newsvault (+https://example.org/bot)"
    assert crawl.obey_robots is True
    assert crawl.concurrency_per_domain == 2
    assert crawl.download_delay == 0.5
    assert crawl.timeout == 30.0 and isinstance(crawl.timeout, float)
    assert crawl.max_articles_per_run == 1000
    assert crawl.max_page_bytes == 10_000_000
    assert crawl.revisit == (3600.0, 3 * 3600.0, 12 * 3600.0, 2 * 86400.0, 7 * 86400.0)
    assert crawl.extract_workers is None
    assert crawl.extractor_options == {}

    (source,) = config.sources
    assert source.id == "example-news"
    assert source.name == "Example News"
    assert source.feeds == ("https://news.example.com/rss.xml",)
    assert source.sitemaps == ("https://news.example.com/sitemap-news.xml",)
    assert source.start_urls == ("https://news.example.com/",)
    assert source.allowed_domains == ("news.example.com",)
    assert source.article_url_pattern == r"/\d{4}/\d{2}/"
    assert source.follow_depth == 1
    assert source.schedule == Schedule(text="*/30 * * * *", cron="*/30 * * * *", interval_seconds=None)
    assert source.revisit is None
    assert source.max_articles_per_run is None


def test_omitted_settings_take_the_documented_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL_SOURCE))

    assert config.archive == ArchiveConfig(
        uri=str(tmp_path / "data" / "archive"), endpoint_url=None, region=None
    )
    assert config.state.uri == f"sqlite:///{tmp_path / 'data' / 'state.db'}"
    assert config.crawl == CrawlConfig(
        user_agent="newsvault/0.1 (+https://github.com/newsvault/newsvault)",
        obey_robots=True,
        concurrency_per_domain=2,
        download_delay=0.5,
        timeout=30.0,
        max_articles_per_run=1000,
        max_page_bytes=10_000_000,
        revisit=(3600.0, 10800.0, 43200.0, 172800.0, 604800.0),
        extract_workers=None,
        extractor_options={},
    )
    (source,) = config.sources
    assert source.name == "example-news"
    assert source.follow_depth == 1
    assert source.schedule is None
    assert source.article_url_pattern is None


def test_allowed_domains_default_to_the_hosts_of_the_source_urls(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[sources]]
        id = "multi"
        feeds = ["https://feeds.example.com/rss.xml", "https://FEEDS.example.com/other.xml"]
        sitemaps = ["https://www.example.com/sitemap.xml"]
        start_urls = ["http://news.example.org/"]
        """,
    )
    (source,) = load_config(path).sources
    assert source.allowed_domains == ("feeds.example.com", "www.example.com", "news.example.org")


def test_archive_uri_accepts_absolute_file_uris_and_keeps_s3_uris(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere" / "archive"
    file_config = write(tmp_path, f'[archive]\nuri = "file://{folder}"\n' + MINIMAL_SOURCE, "file.toml")
    assert load_config(file_config).archive.uri == str(folder)

    s3_config = write(
        tmp_path,
        '[archive]\nuri = "s3://news-bucket/archive/prod"\nendpoint_url = "http://127.0.0.1:9000"\n'
        'region = "eu-west-1"\n' + MINIMAL_SOURCE,
        "s3.toml",
    )
    assert load_config(s3_config).archive == ArchiveConfig(
        uri="s3://news-bucket/archive/prod", endpoint_url="http://127.0.0.1:9000", region="eu-west-1"
    )


def test_an_absolute_archive_folder_is_kept_and_a_relative_one_follows_the_config_file(
    tmp_path: Path,
) -> None:
    nested = tmp_path / "etc"
    nested.mkdir()
    absolute = write(nested, f'[archive]\nuri = "{tmp_path / "abs"}"\n' + MINIMAL_SOURCE, "a.toml")
    assert load_config(absolute).archive.uri == str(tmp_path / "abs")
    relative = write(nested, '[archive]\nuri = "../store/archive"\n' + MINIMAL_SOURCE, "b.toml")
    assert load_config(relative).archive.uri == str(tmp_path / "store" / "archive")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("sqlite:///state/news.db", "sqlite:///{dir}/state/news.db"),
        ("sqlite:////var/lib/newsvault/state.db", "sqlite:////var/lib/newsvault/state.db"),
        ("redis://cache.internal:6379/0", "redis://cache.internal:6379/0"),
    ],
)
def test_state_uri_is_sqlite_relative_to_the_config_or_absolute_or_redis(
    tmp_path: Path, written: str, expected: str
) -> None:
    path = write(tmp_path, f'[state]\nuri = "{written}"\n' + MINIMAL_SOURCE)
    assert load_config(path).state.uri == expected.format(dir=tmp_path)


def test_sources_may_override_revisit_and_the_article_cap_and_use_interval_schedules(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL_SOURCE
        + """
        revisit = []
        max_articles_per_run = 5
        follow_depth = 0
        schedule = "every 45m"
        """,
    )
    (source,) = load_config(path).sources
    assert source.revisit == ()
    assert source.max_articles_per_run == 5
    assert source.follow_depth == 0
    assert source.schedule == Schedule(text="every 45m", cron=None, interval_seconds=2700.0)


def test_extractor_options_are_passed_through_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [crawl]
        extract_workers = 3

        [crawl.extractor]
        favor_precision = true
        include_tables = false
        target_language = "en"
        """
        + MINIMAL_SOURCE,
    )
    crawl = load_config(path).crawl
    assert crawl.extract_workers == 3
    assert crawl.extractor_options == {
        "favor_precision": True,
        "include_tables": False,
        "target_language": "en",
    }


def test_the_bundled_example_config_loads_cleanly() -> None:
    config = load_config(REPO_ROOT / "newsvault.toml")
    assert len(config.sources) >= 3
    assert config.crawl.max_articles_per_run == 25
    assert config.archive.uri == str(REPO_ROOT / "data" / "archive")
    assert config.state.uri == f"sqlite:///{REPO_ROOT / 'data' / 'state.db'}"
    for source in config.sources:
        assert source.feeds or source.sitemaps or source.start_urls
        assert source.schedule is not None


# -- refusals: every problem has the key and the line it is written on -------------------------------


def test_an_unknown_key_is_refused_with_the_closest_known_key_suggested(tmp_path: Path) -> None:
    path = write(tmp_path, "[crawl]\nobey_robots = true\ntimout = 30\n" + MINIMAL_SOURCE)
    problem = problem_at(path, "crawl.timout")
    assert problem.line == 3
    assert "unknown key" in problem.message
    assert "timeout" in problem.message


def test_unknown_top_level_tables_and_unknown_source_keys_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + 'feed = "https://x.example/rss"\n\n[crawler]\ntimeout = 3\n')
    crawler = problem_at(path, "crawler")
    assert crawler.line == line_of(path, "[crawler]")
    assert "unknown key" in crawler.message
    feed = problem_at(path, "sources[0].feed")
    assert feed.line == line_of(path, "feed = ")
    assert "did you mean 'feeds'" in feed.message


def test_unknown_keys_in_a_nested_extractor_table_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[crawl.extractor]\nfavour_precision = true\n" + MINIMAL_SOURCE)
    problem = problem_at(path, "crawl.extractor.favour_precision")
    assert problem.line == 2
    assert "favor_precision" in problem.message


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ('concurrency_per_domain = "2"', "crawl.concurrency_per_domain"),
        ("concurrency_per_domain = true", "crawl.concurrency_per_domain"),
        ("concurrency_per_domain = 2.5", "crawl.concurrency_per_domain"),
        ('obey_robots = "yes"', "crawl.obey_robots"),
        ('timeout = "30s"', "crawl.timeout"),
        ("user_agent = 7", "crawl.user_agent"),
        ('revisit = "1h"', "crawl.revisit"),
        ("max_page_bytes = 1e7", "crawl.max_page_bytes"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(tmp_path: Path, setting: str, key: str) -> None:
    path = write(tmp_path, f"[crawl]\n{setting}\n" + MINIMAL_SOURCE)
    problem = problem_at(path, key)
    assert problem.line == 2
    assert "expected" in problem.message


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("concurrency_per_domain = 0", "crawl.concurrency_per_domain"),
        ("timeout = 0", "crawl.timeout"),
        ("timeout = -5", "crawl.timeout"),
        ("download_delay = -0.1", "crawl.download_delay"),
        ("max_articles_per_run = 0", "crawl.max_articles_per_run"),
        ("max_page_bytes = 1000", "crawl.max_page_bytes"),
        ("extract_workers = 0", "crawl.extract_workers"),
    ],
)
def test_a_value_out_of_its_range_is_refused(tmp_path: Path, setting: str, key: str) -> None:
    path = write(tmp_path, f"[crawl]\n{setting}\n" + MINIMAL_SOURCE)
    problem = problem_at(path, key)
    assert problem.line == 2
    assert "must be" in problem.message


def test_zero_download_delay_and_zero_follow_depth_are_allowed(tmp_path: Path) -> None:
    path = write(tmp_path, "[crawl]\ndownload_delay = 0\n" + MINIMAL_SOURCE + "follow_depth = 0\n")
    config = load_config(path)
    assert config.crawl.download_delay == 0.0
    assert config.sources[0].follow_depth == 0


def test_a_negative_follow_depth_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + "follow_depth = -1\n")
    assert problem_at(path, "sources[0].follow_depth").line == line_of(path, "follow_depth")


def test_a_bad_cron_schedule_is_refused_on_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL_SOURCE
        + '\n[[sources]]\nid = "second"\nfeeds = ["https://b.example/rss"]\nschedule = "61 * * * *"\n',
    )
    problem = problem_at(path, "sources[1].schedule")
    assert problem.line == line_of(path, "schedule =")
    assert "61" in problem.message


def test_a_bad_every_schedule_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + 'schedule = "every fortnight"\n')
    problem = problem_at(path, "sources[0].schedule")
    assert problem.line == line_of(path, "schedule =")
    assert "every 30m" in problem.message


def test_a_bad_revisit_duration_is_refused_on_the_line_of_that_item(tmp_path: Path) -> None:
    path = write(tmp_path, '[crawl]\nrevisit = [\n  "1h",\n  "3 hours",\n  "2d",\n]\n' + MINIMAL_SOURCE)
    problem = problem_at(path, "crawl.revisit[1]")
    assert problem.line == 4
    assert "3 hours" in problem.message


def test_revisit_intervals_must_grow(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + 'revisit = ["2d", "1h"]\n')
    assert problem_at(path, "sources[0].revisit").line == line_of(path, "revisit")


@pytest.mark.parametrize("bad_id", ["Example", "-news", "news site", "news.site", ""])
def test_a_source_id_outside_the_allowed_alphabet_is_refused(tmp_path: Path, bad_id: str) -> None:
    path = write(tmp_path, f'[[sources]]\nid = "{bad_id}"\nfeeds = ["https://a.example/rss"]\n')
    assert problem_at(path, "sources[0].id").line == 2


def test_a_duplicate_source_id_is_reported_on_the_second_definition(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + "\n" + MINIMAL_SOURCE)
    problem = problem_at(path, "sources[1].id")
    assert problem.line == line_of(path, 'id = "example-news"', occurrence=2)
    assert "duplicate" in problem.message
    assert f"line {line_of(path, 'id = ')}" in problem.message


def test_a_source_without_an_id_is_refused_at_its_table(tmp_path: Path) -> None:
    path = write(
        tmp_path, MINIMAL_SOURCE + '\n[[sources]]\nname = "Anonymous"\nfeeds = ["https://a.example/rss"]\n'
    )
    assert problem_at(path, "sources[1].id").line == line_of(path, "[[sources]]", occurrence=2)


def test_a_source_with_nothing_to_crawl_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '[[sources]]\nid = "empty"\nfeeds = []\n')
    problem = problem_at(path, "sources[0]")
    assert problem.line == 1
    assert "feeds, sitemaps or start_urls" in problem.message


@pytest.mark.parametrize(
    "url", ["ftp://news.example.com/rss", "news.example.com/rss", "https:///rss.xml", "file:///x"]
)
def test_source_urls_must_be_http_with_a_host(tmp_path: Path, url: str) -> None:
    path = write(
        tmp_path, f'[[sources]]\nid = "s"\nstart_urls = [\n  "https://ok.example/",\n  "{url}",\n]\n'
    )
    problem = problem_at(path, "sources[0].start_urls[1]")
    assert problem.line == 5
    assert url in problem.message


def test_allowed_domains_must_be_domain_names(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + 'allowed_domains = ["https://news.example.com/"]\n')
    problem = problem_at(path, "sources[0].allowed_domains[0]")
    assert "news.example.com" in problem.message


def test_an_article_url_pattern_that_is_not_a_regex_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL_SOURCE + "article_url_pattern = '/(\\d{4}/'\n")
    problem = problem_at(path, "sources[0].article_url_pattern")
    assert problem.line == line_of(path, "article_url_pattern")
    assert "regular expression" in problem.message


@pytest.mark.parametrize(
    "uri", ["ftp://host/archive", "file://relative/path", "s3://", "http://example.com/a"]
)
def test_archive_uris_other_than_a_folder_file_or_s3_are_refused(tmp_path: Path, uri: str) -> None:
    path = write(tmp_path, f'# archive\n[archive]\nuri = "{uri}"\n' + MINIMAL_SOURCE)
    assert problem_at(path, "archive.uri").line == 3


def test_an_endpoint_url_must_be_http(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[archive]\nuri = "s3://bucket/news"\nendpoint_url = "minio:9000"\n' + MINIMAL_SOURCE
    )
    assert problem_at(path, "archive.endpoint_url").line == 3


def test_an_unknown_archive_scheme_with_an_endpoint_is_a_listed_problem_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, '[archive]\nuri = "gs://bucket/news"\nendpoint_url = "http://127.0.0.1:9000"\n'
                 + MINIMAL_SOURCE)
    assert problem_at(path, "archive.uri").line == 2


@pytest.mark.parametrize(
    "uri", ["postgresql://db/newsvault", "state.db", "sqlite://host/state.db", "redis://"]
)
def test_state_uris_other_than_sqlite_or_redis_are_refused(tmp_path: Path, uri: str) -> None:
    path = write(tmp_path, f'[state]\nuri = "{uri}"\n' + MINIMAL_SOURCE)
    assert problem_at(path, "state.uri").line == 2


@pytest.mark.parametrize("key", ["aws_access_key_id", "aws_secret_access_key", "secret", "aws_session_token"])
def test_credentials_in_the_archive_table_are_refused_pointing_at_the_aws_chain(
    tmp_path: Path, key: str
) -> None:
    path = write(tmp_path, f'[archive]\nuri = "s3://bucket/news"\n{key} = "AKIA..."\n' + MINIMAL_SOURCE)
    problem = problem_at(path, f"archive.{key}")
    assert problem.line == 3
    assert "AWS chain" in problem.message


def test_line_numbers_stay_right_past_multiline_strings_crlf_and_inline_tables(tmp_path: Path) -> None:
    path = tmp_path / "newsvault.toml"
    text = (
        '[crawl]\nuser_agent = """\n[fake]\ntimeout = 1\n"""  # not a table\ntimeout = 0\n'
        "[[sources]]\n"
        "id = 'a' # comment with [brackets]\n"
        'feeds = ["https://a.example/#frag", "bad"]\n'
        "\n"
        "[[sources]]\n"
        'id = "b"\n'
        'sitemaps = ["https://b.example/s.xml"]\n'
        "follow_depth = { depth = 1 }\n"
    )
    path.write_bytes(text.replace("\n", "\r\n").encode())
    found = {p.key: p.line for p in problems_of(path)}
    assert found == {"crawl.timeout": 6, "sources[0].feeds[1]": 9, "sources[1].follow_depth": 14}


def test_a_config_without_sources_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[crawl]\ntimeout = 10\n")
    assert [p.key for p in problems_of(path)] == ["sources"]


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [archive]
        uri = "ftp://x/y"

        [crawl]
        timeout = 0
        colour = "blue"

        [[sources]]
        id = "a"
        feeds = ["https://a.example/rss"]
        schedule = "every now and then"

        [[sources]]
        id = "a"
        sitemaps = ["https://a.example/sitemap.xml"]
        """,
    )
    problems = problems_of(path)
    assert [(p.key, p.line) for p in problems] == [
        ("archive.uri", 2),
        ("crawl.timeout", 5),
        ("crawl.colour", 6),
        ("sources[0].schedule", 11),
        ("sources[1].id", 14),
    ]


def test_the_error_message_lists_each_problem_as_path_line_key_message(tmp_path: Path) -> None:
    path = write(tmp_path, "[crawl]\ntimeout = 0\nobey_robots = 1\n" + MINIMAL_SOURCE)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:2: crawl.timeout: ")
    assert lines[1].startswith(f"{path}:3: crawl.obey_robots: ")


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "nowhere.toml")
    assert [p.key for p in problems] == ["<file>"]
    assert "not found" in problems[0].message


def test_a_file_that_is_not_toml_is_a_config_error_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[crawl]\ntimeout = 30\nuser_agent = "unterminated\n')
    (problem,) = problems_of(path)
    assert problem.key == "<file>"
    assert problem.line == 3
    assert "not valid TOML" in problem.message


# -- choosing sources ----------------------------------------------------------------------------


def two_sources(tmp_path: Path) -> Config:
    return load_config(
        write(
            tmp_path, MINIMAL_SOURCE + '\n[[sources]]\nid = "other-news"\nfeeds = ["https://o.example/rss"]\n'
        )
    )


def test_select_returns_all_sources_for_no_ids_and_the_named_ones_otherwise(tmp_path: Path) -> None:
    config = two_sources(tmp_path)
    assert [s.id for s in config.select([])] == ["example-news", "other-news"]
    assert [s.id for s in config.select(["other-news", "other-news"])] == ["other-news"]
    assert config.source("example-news").feeds == ("https://news.example.com/rss.xml",)


def test_unknown_source_ids_are_refused_all_together(tmp_path: Path) -> None:
    config = two_sources(tmp_path)
    with pytest.raises(ConfigError) as caught:
        config.select(["example-news", "exmaple-news", "missing"])
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2
    assert "did you mean 'example-news'" in messages[0]
    assert "'missing'" in messages[1]
    with pytest.raises(KeyError, match="unknown source 'missing'"):
        config.source("missing")


# -- finding the file ----------------------------------------------------------------------------


def test_the_config_option_wins_over_the_environment_and_the_working_directory(tmp_path: Path) -> None:
    env = {"NEWSVAULT_CONFIG": "/etc/newsvault/env.toml"}
    assert find_config_path("/srv/cli.toml", env=env, cwd=tmp_path) == Path("/srv/cli.toml")
    assert find_config_path("rel/cli.toml", env=env, cwd=tmp_path) == tmp_path / "rel" / "cli.toml"
    assert find_config_path(None, env=env, cwd=tmp_path) == Path("/etc/newsvault/env.toml")
    assert find_config_path(None, env={}, cwd=tmp_path) == tmp_path / "newsvault.toml"
    assert find_config_path(None, env={"NEWSVAULT_CONFIG": ""}, cwd=tmp_path) == tmp_path / "newsvault.toml"


# -- durations and schedules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0s", 0.0), ("30s", 30.0), ("30m", 1800.0), ("1h", 3600.0), ("2d", 172800.0), ("1h30m", 5400.0)],
)
def test_durations_are_read_in_seconds(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "30", "1w", "-1h", "h", "1 hour", "1h 30m"])
def test_durations_without_a_known_unit_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "cron", "interval"),
    [
        ("*/30 * * * *", "*/30 * * * *", None),
        ("0  6 * * *", "0 6 * * *", None),
        ("every 30m", None, 1800.0),
        ("every 2d", None, 172800.0),
        ("@daily", "0 0 * * *", None),
    ],
)
def test_schedules_are_cron_expressions_or_intervals(
    text: str, cron: str | None, interval: float | None
) -> None:
    schedule = parse_schedule(text)
    assert (schedule.text, schedule.cron, schedule.interval_seconds) == (text, cron, interval)


@pytest.mark.parametrize(
    ("weekday", "named"),
    [
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("sat,0", "sun,sat"),
        ("*/3", "sun,wed,sat"),
    ],
)
def test_cron_weekdays_count_from_sunday_as_in_crontab(weekday: str, named: str) -> None:
    assert parse_schedule(f"0 9 * * {weekday}").cron == f"0 9 * * {named}"


@pytest.mark.parametrize(
    "text",
    ["", "* * * *", "* * * * * *", "61 * * * *", "0 25 * * *", "every", "every 0s", "every 10 minutes"],
)
def test_bad_schedules_are_refused_with_a_message_naming_them(text: str) -> None:
    with pytest.raises(ValueError, match="schedule|cron"):
        parse_schedule(text)
