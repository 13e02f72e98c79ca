"""Settings module for plain `scrapy` commands run from the project root (see scrapy.cfg).

`scrapy shell URL` and `scrapy fetch` get newsvault's user agent and politeness from newsvault.toml.
Crawls go through `newsvault crawl`, which opens the run the pipelines write into.
"""

from newsvault.config import find_config_path, load_config
from newsvault.settings import scrapy_settings

_settings = scrapy_settings(load_config(find_config_path(None)))
_settings.pop("ITEM_PIPELINES")
_settings["DOWNLOADER_MIDDLEWARES"] = {
    k: v for k, v in _settings["DOWNLOADER_MIDDLEWARES"].items() if not k.startswith("pipelines.")
}
globals().update(_settings)
