"""Redirects: loops counted as such, and meta refreshes read from the head of the page only.

Scrapy follows a redirect back to an address it already fetched only to have the dupe filter drop
it without a word, and reports a chain longer than REDIRECT_MAX_TIMES as a generic "ignored". Both
are a redirect loop; these subclasses raise them as one, so the URL is counted as `redirect_loop`.

Scrapy's meta-refresh check reads the first 4096 characters of `response.text`, which decodes the
whole body first: about 1 ms of the reactor for a 250 kB article. Ours decodes the head only.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.response import get_meta_refresh

# Scrapy looks for the refresh in the first 4096 characters; 4 bytes a character at most in UTF-8.
META_REFRESH_HEAD_BYTES = 4 * 4096


class RedirectLoop(IgnoreRequest):
    """A redirect chain came back to an address it had visited, or never ended."""


class _LoopAware:
    max_redirect_times: int

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        visited = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in visited:
            raise RedirectLoop(f"redirect loop: {request.url} -> {redirected.url}, visited before")
        try:
            return super()._redirect(redirected, request, reason)  # type: ignore[misc]
        except IgnoreRequest as exc:
            raise RedirectLoop(f"redirect loop: more than {self.max_redirect_times} redirects "
                               f"from {visited[0]}") from exc


class LoopAwareRedirectMiddleware(_LoopAware, RedirectMiddleware):
    pass


class HeadMetaRefreshMiddleware(_LoopAware, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, loop-aware, given only the head of a large page.

    A page that refreshes to its own address (a live blog reloading every minute) is the page itself,
    not a redirect: Scrapy would request it again only for the dupe filter to drop it, losing it.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if not isinstance(response, HtmlResponse):
            return super().process_response(request, response)
        head = response
        if len(response.body) > META_REFRESH_HEAD_BYTES:
            head = response.replace(body=response.body[:META_REFRESH_HEAD_BYTES])
        _interval, url = get_meta_refresh(head, ignore_tags=self._ignore_tags)
        if url is not None and url in (request.url, response.url):
            return response
        followed = super().process_response(request, head)
        return response if followed is head else followed
