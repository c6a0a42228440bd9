"""Spiders that probe a site rather than crawl it: discovery (`warta add-site`, `warta crawl URL`) and `warta check`.

They fetch with Scrapy's downloader (``engine.download_async``): every request goes
through the same downloader middlewares as a crawl (robots.txt obeyed, retries with
backoff, redirects, decompression, size limit and time-out) and the same per-host
slots (download delay, AutoThrottle, concurrency per domain). Their logic lives in
:mod:`crawler.discovery` and :mod:`crawler.check`, which only see an ``async fetch``.
"""

from __future__ import annotations

import logging

import scrapy
from scrapy.http import Request

from crawler.discovery import Discovery, Fetched, discover
from crawler.spiders.news import NewsSpider
from pipelines.profiles import Profile

logger = logging.getLogger(__name__)


def failure_reason(exc: BaseException) -> str:
    """A short reason code for a download exception (the same codes a crawl records)."""
    from scrapy.exceptions import IgnoreRequest

    from crawler.spiders.news import _FAILURE_REASONS  # the codes a crawl records

    if isinstance(exc, IgnoreRequest) and "robots.txt" in str(exc):
        return "disallowed"
    for reason, types in _FAILURE_REASONS:
        if isinstance(exc, types):
            return reason
    return type(exc).__name__


class ProbeSpider(scrapy.Spider):
    """A spider whose work is one ``async`` procedure run from :meth:`start` with :meth:`fetch`.

    The engine keeps the spider open while ``start()`` runs, so the procedure
    may await as many fetches as it needs; it stores its outcome in ``result``.
    """

    name = ""  # an abstract base: not listed by `scrapy list`
    result = None

    async def fetch(self, url: str) -> Fetched:
        """GET ``url`` through the downloader; HTTP errors come back as responses, others as ``error``."""
        request = Request(url, dont_filter=True, meta={"warta_stage": "discover"})
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as e:  # every download error becomes a reason code, as in a crawl
            return Fetched(url, error=failure_reason(e))
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        return Fetched(url, final_url=response.url, status=response.status, body=response.body,
                       content_type=content_type)

    async def probe(self):
        raise NotImplementedError

    async def start(self):
        try:
            self.result = await self.probe()
        except Exception:  # the run goes on with the other sites; the caller reports this one
            logger.exception("%(spider)s failed", {"spider": self.name})
        return
        yield  # an async generator that sends no request: the work is done in probe()


class DiscoverySpider(ProbeSpider):
    """Discover one site from its address; ``result`` is a :class:`~crawler.discovery.Discovery`."""

    name = "discover"

    def __init__(self, url: str = "", slug: str | None = None, timezone: str | None = None,
                 sample_size: int = 5, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url
        self.site = slug or ""
        self.timezone = timezone
        self.sample_size = int(sample_size)

    async def probe(self) -> Discovery:
        return await discover(self.fetch, self.url, slug=self.site or None, timezone=self.timezone,
                              sample_size=self.sample_size)


class CheckSpider(ProbeSpider, NewsSpider):
    """Check one profile against its site; ``result`` is a :class:`~crawler.check.CheckResult`.

    It takes from the news spider what a crawl of the profile would do: its allowed
    hosts, and ``WARTA_SITE_ORIGINS`` (check a mirror or the local demo) with the
    mapping between public and fetched URLs.
    """

    name = "check"

    def __init__(self, site: str | None = None, profile: Profile | None = None, sample_size: int = 3,
                 *args, **kwargs):
        super().__init__(site, profile, *args, **kwargs)
        self.sample_size = int(sample_size)

    async def probe(self):
        from crawler.check import check_site

        return await check_site(self.fetch, self.profile, sample_size=self.sample_size,
                                to_fetch=self.to_fetch, to_public=self.to_public)
