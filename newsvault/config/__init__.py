"""Loading and validating ``newsvault.toml``.

A bad config is refused before anything runs with *every* problem listed by key and line, so the
whole file is checked in one pass and problems are collected instead of raised one at a time.

The loaded config's model (one frozen dataclass per table; Problem, ConfigError) and the duration
parser are in core/config.py and core/durations.py, where every layer may read them; they are
re-exported here.

- loading.py     find_config_path, load_config: the file, its TOML, its validation
- validate.py    every table checked, problems collected, values normalised
- key_lines.py   where each key is written, for the messages
- schedules.py   intervals and crontab lines
- article_rules.py  extractor tables and the filter keys
- alerts.py      the [[alerts]] entries: targets, events, secrets named by environment variable
"""

from core.config import (
    ALERT_EVENTS,
    ALERT_KINDS,
    CONFIG_ENV_VAR,
    CONFIG_FILENAME,
    DEFAULT_ARCHIVE_URI,
    DEFAULT_REVISIT,
    DEFAULT_REVISIT_TEXT,
    DEFAULT_STATE_URI,
    DEFAULT_USER_AGENT,
    FILE_KEY,
    AlertTarget,
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
from core.durations import parse_duration
from newsvault.config.loading import find_config_path, load_config
from newsvault.config.schedules import parse_schedule

__all__ = [
    "ALERT_EVENTS", "ALERT_KINDS", "AlertTarget", "CONFIG_ENV_VAR", "CONFIG_FILENAME", "DEFAULT_ARCHIVE_URI", "DEFAULT_REVISIT", "DEFAULT_REVISIT_TEXT",
    "DEFAULT_STATE_URI", "DEFAULT_USER_AGENT", "FILE_KEY", "ArchiveConfig", "Config", "ConfigError", "CrawlConfig",
    "Problem", "Schedule", "SchedulerConfig", "Source", "StateConfig", "find_config_path", "load_config",
    "parse_duration", "parse_schedule",
]
