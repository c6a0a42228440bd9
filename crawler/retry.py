"""Fetch faults: retries with backoff on 429/5xx and network errors (honouring Retry-After), redirect loops and off-site redirects."""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

logger = logging.getLogger(__name__)


def parse_retry_after(value: str | bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    :param value: the header value
    :param now: the current Unix time, for the HTTP-date form (default: the clock)
    :returns: seconds (never negative), or None when the header is absent or unreadable

    >>> parse_retry_after("120")
    120.0
    >>> parse_retry_after(b"Thu, 28 Nov 2019 07:00:05 GMT", now=1574924400.0)
    5.0
    >>> parse_retry_after("besok pagi") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def backoff_delay(retry_number: int, base: float, cap: float) -> float:
    """Seconds to wait before retry ``retry_number`` (1, 2, …): ``base * 2**(n-1)``, at most ``cap``.

    >>> [backoff_delay(n, 1.0, 5.0) for n in (1, 2, 3, 4)]
    [1.0, 2.0, 4.0, 5.0]
    """
    return min(cap, base * 2 ** max(0, retry_number - 1))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, waiting before each retry instead of retrying at once.

    The wait is ``WARTA_RETRY_BACKOFF_BASE * 2**(n-1)`` seconds (capped at
    ``WARTA_RETRY_BACKOFF_MAX``), or the response's ``Retry-After`` when that is
    longer. A ``Retry-After`` above ``WARTA_RETRY_AFTER_MAX`` is not waited for:
    the response is given up on at once, so the spider's errback records it in
    ``failures``. Requests that run out of retries go the same way (HTTP codes via
    HttpErrorMiddleware, exceptions re-raised), so every final failure reaches the
    errback. Stats: ``warta/retry/waited`` (seconds) and ``warta/retry/retry_after``.

    Replace Scrapy's own middleware with it::

        DOWNLOADER_MIDDLEWARES = {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.retry.BackoffRetryMiddleware": 550,
        }
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("WARTA_RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("WARTA_RETRY_BACKOFF_MAX")
        self.retry_after_max = settings.getfloat("WARTA_RETRY_AFTER_MAX")
        for name, value in (("WARTA_RETRY_BACKOFF_BASE", self.backoff_base),
                            ("WARTA_RETRY_BACKOFF_MAX", self.backoff_max),
                            ("WARTA_RETRY_AFTER_MAX", self.retry_after_max)):
            if value < 0:
                raise NotConfigured(f"{name} must be >= 0, got {value!r}")

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry_after = parse_retry_after(response.headers.get(b"Retry-After"))
        if retry_after is not None and retry_after > self.retry_after_max:
            self.crawler.stats.inc_value("warta/retry/retry_after_too_long")
            logger.warning("%(url)s asks to come back in %(s).0f s (> WARTA_RETRY_AFTER_MAX): giving up",
                           {"url": request.url, "s": retry_after})
            return response
        retry = self._retry(request, f"{response.status}")
        if retry is None:
            return response
        delay = backoff_delay(retry.meta["retry_times"], self.backoff_base, self.backoff_max)
        if retry_after is not None:
            self.crawler.stats.inc_value("warta/retry/retry_after")
            delay = max(delay, retry_after)
        await self._wait(delay, request)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await self._wait(backoff_delay(retry.meta["retry_times"], self.backoff_base, self.backoff_max), request)
        return retry

    async def _wait(self, seconds: float, request: Request) -> None:
        if seconds <= 0:
            return
        logger.debug("waiting %(s).2f s before retrying %(url)s", {"s": seconds, "url": request.url})
        self.crawler.stats.inc_value("warta/retry/waited", seconds)
        from twisted.internet import reactor  # the installed one (asyncio), never imported too early

        await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


class RedirectLoop(IgnoreRequest):
    """Raised by :class:`RedirectLoopMiddleware` when a redirect points back to a URL of its own chain.

    The spider's errback records it in ``failures`` with reason ``redirect-loop``.
    """


class OffsiteRedirect(IgnoreRequest):
    """Raised by :class:`RedirectLoopMiddleware` for a redirect to a host outside the site.

    The spider's errback records it in ``failures`` with reason ``redirect-offsite``
    and the target in the detail.
    """


class RedirectLoopMiddleware:
    """Sees every redirect before Scrapy follows it: loops fail, other sites are recorded, mirrors kept.

    - A chain that comes back to a URL it already visited (a -> b -> a) fails
      with :class:`RedirectLoop`; without it Scrapy's duplicate filter silently
      drops the second request for ``a``.
    - A redirect to a host outside the spider's ``allowed_domains`` (the
      profile's domains and the origin fetched) fails with
      :class:`OffsiteRedirect`, recorded in ``failures``; Scrapy would drop it
      without a trace (or follow it, for a request that is not filtered).
    - A redirect to the site's public address while a mirror (``--origin``) is
      fetched goes to the same path on the mirror (the spider's ``to_fetch``).

    It must see responses before RedirectMiddleware (600), so its order number is higher (650).
    """

    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if not (300 <= response.status < 400 and b"Location" in response.headers):
            return response
        spider = getattr(self.crawler, "spider", None) or spider
        target = urljoin(request.url, response.headers[b"Location"].decode("latin-1"))
        to_fetch = getattr(spider, "to_fetch", None)
        if to_fetch is not None:
            mapped = to_fetch(target)
            if mapped != target:
                headers = response.headers.copy()
                headers[b"Location"] = mapped.encode("latin-1")
                response, target = response.replace(headers=headers), mapped
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        allowed = getattr(spider, "allowed_domains", None)
        host = (urlsplit(target).hostname or "").lower()
        if request.meta.get("allow_offsite"):  # robots.txt may live on another host
            return response
        if allowed and host and not any(host == d or host.endswith("." + d) for d in allowed):
            raise OffsiteRedirect(f"redirect to another site: {request.url} -> {target}")
        return response
