"""robots.txt obeyed for every request: each request waits for its host's rules, whatever Scrapy's version."""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class RobotsDisallowed(IgnoreRequest):
    """Raised for a request that robots.txt does not let warta fetch.

    ``reason`` is recorded in ``failures`` (stage ``robots``): ``disallowed``
    (a rule forbids the URL) or ``robots-unreachable`` (robots.txt answered 5xx
    or could not be fetched, which RFC 9309 says to read as "disallow all").
    """

    def __init__(self, message: str, reason: str = "disallowed"):
        super().__init__(message)
        self.reason = reason


class _Unreachable:
    """The rules of a host whose robots.txt could not be read: everything is disallowed (RFC 9309 2.3.1.4).

    ``error`` is the network error (refused, DNS, timeout) when there was no answer at
    all: each request of the host then fails with it, not fetched, so that the failure
    says what really happened.
    """

    def __init__(self, why: str, error: BaseException | None = None):
        self.why = why
        self.error = error


class RobotsTxtGuard:
    """Downloader middleware that replaces Scrapy's RobotsTxtMiddleware.

    Every request to a host waits until that host's robots.txt has been fetched
    and parsed, then is checked against it. Scrapy 2.19's own middleware hands
    "allowed" to the third and later requests that wait while robots.txt
    downloads (its waiters share one Deferred chain; scrapy/scrapy#6802); here
    each waiter has a Deferred of its own, so the answer cannot leak.

    What robots.txt answers decides, as RFC 9309 says: 2xx, its rules
    (``ROBOTSTXT_PARSER``, Scrapy's default Protego); 4xx, no rules (all
    allowed; too many redirects too); 5xx or 429 after the retries, everything
    disallowed for this run (recorded as ``robots-unreachable``); no answer at all
    (refused, DNS, timeout), every request of the host fails with that error,
    unfetched. Stats keep Scrapy's names
    (``robotstxt/request_count``, ``robotstxt/forbidden`` ...).

    Enable it in place of Scrapy's own (``crawler/settings.py`` does)::

        DOWNLOADER_MIDDLEWARES = {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.robots.RobotsTxtGuard": 100,
        }
    """

    DOWNLOAD_PRIORITY = 1000

    def __init__(self, crawler):
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        self.default_useragent = settings.get("USER_AGENT")
        self.robots_useragent = settings.get("ROBOTSTXT_USER_AGENT")
        self.parser_class = load_object(settings.get("ROBOTSTXT_PARSER"))
        self.rules: dict[str, object] = {}  # "scheme://host:port" -> parser, None (no rules) or _Unreachable
        self.waiting: dict[str, list[Deferred]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request, spider=None) -> None:
        if request.meta.get("dont_obey_robotstxt") or request.url.startswith(("data:", "file:")):
            return
        rules = await self.rules_for(request)
        if rules is None:
            return
        if isinstance(rules, _Unreachable):
            self.stats.inc_value("robotstxt/forbidden")
            if rules.error is not None:  # the host does not answer: no retries, the same error
                request.meta["dont_retry"] = True
                raise rules.error
            raise RobotsDisallowed(f"robots.txt unreachable ({rules.why}): nothing may be fetched",
                                   "robots-unreachable")
        useragent = self.robots_useragent or request.headers.get(b"User-Agent", self.default_useragent)
        if not rules.allowed(request.url, useragent):
            logger.debug("Forbidden by robots.txt: %(request)s", {"request": request})
            self.stats.inc_value("robotstxt/forbidden")
            raise RobotsDisallowed("Forbidden by robots.txt")

    async def rules_for(self, request: Request):
        """The robots.txt rules of the request's origin; the first request fetches them, the others wait."""
        url = urlparse_cached(request)
        origin = f"{url.scheme}://{url.netloc}"
        if origin in self.rules:
            return self.rules[origin]
        if origin in self.waiting:
            waiter: Deferred = Deferred()
            self.waiting[origin].append(waiter)
            return await maybe_deferred_to_future(waiter)
        self.waiting[origin] = []
        try:
            rules = await self._fetch(origin)
        except Exception as e:  # never leave the waiters hanging
            rules = _Unreachable(f"{type(e).__name__}: {e}")
        self.rules[origin] = rules
        for waiter in self.waiting.pop(origin):
            waiter.callback(rules)
        return rules

    async def _fetch(self, origin: str):
        # allow_offsite: robots.txt may redirect to another host (RFC 9309 follows up to five redirects)
        robots = Request(f"{origin}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                         meta={"dont_obey_robotstxt": True, "allow_offsite": True, "warta_stage": "robots"})
        self.stats.inc_value("robotstxt/request_count")
        engine = self.crawler.engine
        try:
            if hasattr(engine, "download_async"):  # Scrapy >= 2.14
                response = await engine.download_async(robots)
            else:
                response = await maybe_deferred_to_future(engine.download(robots))
        except IgnoreRequest as e:  # too many redirects: "unavailable", as a 4xx (RFC 9309 2.3.1.2)
            logger.warning("%(url)s: %(error)s; no robots.txt rules for %(origin)s",
                           {"url": robots.url, "error": e or "ignored", "origin": origin})
            return None
        except Exception as e:
            logger.warning("%(url)s could not be fetched (%(error)s): nothing of %(origin)s will be fetched",
                           {"url": robots.url, "error": e, "origin": origin})
            self.stats.inc_value(f"robotstxt/exception_count/{type(e)}")
            return _Unreachable(f"{type(e).__name__}: {e}", e)
        self.stats.inc_value("robotstxt/response_count")
        self.stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        if 200 <= response.status < 300:
            return self.parser_class.from_crawler(self.crawler, response.body)
        if response.status < 500 and response.status != 429:
            return None  # 3xx left after the redirects, 4xx: "unavailable", no rules apply
        logger.warning("%(url)s answered HTTP %(status)d: nothing of %(origin)s will be fetched",
                       {"url": robots.url, "status": response.status, "origin": origin})
        return _Unreachable(f"HTTP {response.status}")
