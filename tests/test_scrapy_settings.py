"""The Scrapy settings a crawl runs with, derived from newsvault.toml."""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list

from newsvault.config import load_config
from newsvault.settings import scrapy_settings


def _settings(tmp_path: Path) -> Settings:
    config_path = tmp_path / "newsvault.toml"
    config_path.write_text('[[sources]]\nid = "a"\nname = "A"\nfeeds = ["https://a.example/rss"]\n')
    return Settings(scrapy_settings(load_config(config_path)))


def test_a_crawl_serves_no_remote_code_execution_endpoint(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    extensions = build_component_list(settings.getwithbase("EXTENSIONS"))
    assert not any("remote_control" in str(e) for e in extensions)
    assert "scrapy.extensions.corestats.CoreStats" in extensions
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False


def test_meta_refreshes_and_redirects_are_loop_aware(tmp_path: Path) -> None:
    middlewares = build_component_list(_settings(tmp_path).getwithbase("DOWNLOADER_MIDDLEWARES"))
    assert "spiders.redirects.HeadMetaRefreshMiddleware" in middlewares
    assert "spiders.redirects.LoopAwareRedirectMiddleware" in middlewares
    assert not any(str(m).startswith("scrapy.downloadermiddlewares.redirect.") for m in middlewares)
