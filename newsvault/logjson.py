"""`--log-format json`: one JSON object per log line on stderr, for log shippers.

Each line has time, level, logger and message, plus run_id and source when known (the run being
crawled, or a ``source``/``run_id`` passed in a log call's ``extra``). Scrapy installs its own root
handler when a crawl starts; with JSON on, the runner tells it not to (``LOG_INSTALL_ROOT_HANDLER = False``)
so that Scrapy's lines go through the JSON handler too.
"""

from __future__ import annotations

import logging
import os
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

ENV_VAR = "NEWSVAULT_LOG_FORMAT"  # inherited by the crawl processes a scheduler starts
CONTEXT: dict[str, Any] = {}  # run_id of the run in progress, set by the runner
# In a crawl host, several runs share the process: each run's coroutine sets its id here, and the
# asyncio tasks and reactor callbacks it starts inherit it.
RUN_ID: ContextVar[str | None] = ContextVar("newsvault_run_id", default=None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("run_id", "source"):
            value = getattr(record, key, None) or (RUN_ID.get() if key == "run_id" else None) or CONTEXT.get(key)
            if value is not None:
                line[key] = value
        spider = getattr(record, "spider", None)
        if spider is not None and "source" not in line and getattr(spider, "name", None):
            line["spider"] = spider.name
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def enable(level: str) -> None:
    """JSON lines on stderr from now on, in this process and the processes it starts."""
    os.environ[ENV_VAR] = "json"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def enabled() -> bool:
    return os.environ.get(ENV_VAR) == "json"


def apply(level: str) -> None:
    """In a process started with JSON logging on (a scheduled crawl), install the JSON handler."""
    if enabled() and not any(isinstance(h.formatter, JsonFormatter) for h in logging.getLogger().handlers):
        enable(level)
