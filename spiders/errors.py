"""Why a URL failed, as one short reason word for the run manifest and `newsvault runs`."""

from __future__ import annotations

import gzip
import zlib

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_error
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed

from spiders.redirects import RedirectLoop

_BY_TYPE: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, twisted_error.TimeoutError, twisted_error.TCPTimedOutError), "timeout"),
    ((CannotResolveHostError, twisted_error.DNSLookupError), "dns"),
    ((DownloadConnectionRefusedError, twisted_error.ConnectionRefusedError, twisted_error.ConnectError,
      twisted_error.ConnectionLost, twisted_error.ConnectionDone, ResponseFailed, ResponseDataLossError,
      DownloadFailedError), "connection"),
)

_DECODE_ERRORS: tuple[type[BaseException], ...] = (zlib.error, EOFError, gzip.BadGzipFile)
try:  # Scrapy decodes brotli only when a brotli module is installed
    import brotli

    _DECODE_ERRORS += (brotli.error,)
except ImportError:
    pass


def failure_reason(failure: Failure | BaseException) -> str:
    exc = failure.value if isinstance(failure, Failure) else failure
    if isinstance(exc, HttpError):
        status = exc.response.status
        return "http_5xx" if status >= 500 else "http_4xx" if status >= 400 else "http_other"
    if isinstance(exc, DownloadCancelledError) or "max size" in str(exc) or "DOWNLOAD_MAXSIZE" in str(exc):
        return "too_large"
    if isinstance(exc, RedirectLoop):
        return "redirect_loop"
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "robots"
        if "Offsite" in text or "offsite" in text:
            return "offsite"
        return "ignored"
    for types, reason in _BY_TYPE:
        if isinstance(exc, types):
            return reason
    if isinstance(exc, _DECODE_ERRORS):
        # a corrupt gzip / deflate / brotli body, raised by HttpCompressionMiddleware
        return "decode_error"
    return "other"
