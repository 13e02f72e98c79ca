"""Redirects that go round in circles are failures with a name, not silently dropped requests.

Scrapy follows a redirect back to an address it already fetched only to have the dupe filter drop
it without a word, and reports a chain longer than REDIRECT_MAX_TIMES as a generic "ignored". Both
are a redirect loop; this subclass raises them as one, so the URL is counted as `redirect_loop`.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest


class RedirectLoop(IgnoreRequest):
    """A redirect chain came back to an address it had visited, or never ended."""


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        visited = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in visited:
            raise RedirectLoop(f"redirect loop: {request.url} -> {redirected.url}, visited before")
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest as exc:
            raise RedirectLoop(f"redirect loop: more than {self.max_redirect_times} redirects "
                               f"from {visited[0]}") from exc
