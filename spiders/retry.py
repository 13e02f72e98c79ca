"""Retries that back off: Retry-After honoured for 429 and 503, exponential backoff otherwise.

Scrapy's RetryMiddleware re-queues a failed request at once. Here every retry first slows the host
down: its download slot's delay is raised to the server's Retry-After (capped by
NEWSVAULT_RETRY_AFTER_MAX) or to NEWSVAULT_BACKOFF_BASE * 2**(attempt - 1) (capped by
NEWSVAULT_BACKOFF_MAX), so the retry and every other request to that host wait, while the other
hosts' slots are untouched. AutoThrottle brings the delay back down as the host answers again.
A Retry-After longer than the cap is not waited for: the URL is given up (and counted) instead.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.response import response_status_message

RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or bad."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("NEWSVAULT_RETRY_AFTER_MAX", 300.0)
        self.backoff_base = settings.getfloat("NEWSVAULT_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("NEWSVAULT_BACKOFF_MAX", 60.0)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = None
        if response.status in RETRY_AFTER_STATUSES:
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is not None and wait > self.retry_after_max:
                self._slow_down(request, self.retry_after_max)
                self.crawler.stats.inc_value("newsvault/retry_after_too_long")
                return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self._slow_down(request, wait if wait is not None else self._backoff(retry))
        return retry

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Request | None:
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            self._slow_down(request, self._backoff(retry))
        return retry

    def _backoff(self, retry: Request) -> float:
        attempt = int(retry.meta.get("retry_times", 1))
        return min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max)

    def _slow_down(self, request: Request, seconds: float) -> None:
        if seconds <= 0:
            return
        _key, slot = self.crawler.engine.downloader._get_slot(request)
        slot.delay = max(slot.delay, seconds)
        # The slot spaces requests from the last one sent; the wait runs from this failure instead,
        # which for a timeout came long after that request left.
        slot.lastseen = max(slot.lastseen, time.monotonic())
