"""Loading and validating ``newsvault.toml``.

A bad config is refused before anything runs with *every* problem listed by key and line, so the
whole file is checked in one pass and problems are collected instead of raised one at a time.

- model.py       the loaded config: one frozen dataclass per table; Problem, ConfigError
- loading.py     find_config_path, load_config: the file, its TOML, its validation
- validate.py    every table checked, problems collected, values normalised
- key_lines.py   where each key is written, for the messages
- durations.py   "90s", "1h30m", "2d"
- schedules.py   intervals and crontab lines
"""

from newsvault.config.durations import parse_duration
from newsvault.config.loading import find_config_path, load_config
from newsvault.config.model import (
    CONFIG_ENV_VAR,
    CONFIG_FILENAME,
    DEFAULT_ARCHIVE_URI,
    DEFAULT_REVISIT,
    DEFAULT_REVISIT_TEXT,
    DEFAULT_STATE_URI,
    DEFAULT_USER_AGENT,
    FILE_KEY,
    ArchiveConfig,
    Config,
    ConfigError,
    CrawlConfig,
    Problem,
    Schedule,
    SchedulerConfig,
    Source,
    StateConfig,
)
from newsvault.config.schedules import parse_schedule

__all__ = [
    "CONFIG_ENV_VAR", "CONFIG_FILENAME", "DEFAULT_ARCHIVE_URI", "DEFAULT_REVISIT", "DEFAULT_REVISIT_TEXT",
    "DEFAULT_STATE_URI", "DEFAULT_USER_AGENT", "FILE_KEY", "ArchiveConfig", "Config", "ConfigError", "CrawlConfig",
    "Problem", "Schedule", "SchedulerConfig", "Source", "StateConfig", "find_config_path", "load_config",
    "parse_duration", "parse_schedule",
]
