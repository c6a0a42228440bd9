"""The one generic spider: discovers and fetches the article pages of any site profile."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionLost, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.discovery import read_feed, read_sitemap
from crawler.items import ArticlePages, FetchFailure
from crawler.retry import OffsiteRedirect, RedirectLoop
from crawler.robots import RobotsDisallowed
from pipelines.errors import WartaError
from pipelines.page import Page, UnpackError, gunzip_capped, is_gzip
from pipelines.profiles import Profile, load_profile

logger = logging.getLogger(__name__)

# Priorities: newest discovery first; article pages before more index pages so a
# crawl with --max-articles stops early and memory stays small.
PRIORITY_ARTICLE = 100
PRIORITY_NEXT_PAGE = 200
PRIORITY_INDEX = 0
# A story split over more pages than this is cut (and a pager that loops is stopped).
MAX_ARTICLE_PAGES = 50

#: Reason codes recorded in ``failures`` for download errors, checked in order.
_FAILURE_REASONS = [
    ("timeout", (DownloadTimeoutError, TimeoutError, TCPTimedOutError)),
    ("dns", (CannotResolveHostError, DNSLookupError)),
    ("refused", (DownloadConnectionRefusedError,)),
    ("too-large", (DownloadCancelledError,)),
    ("truncated", (ResponseDataLossError,)),
    ("connection-lost", (ConnectionLost, ResponseFailed, ResponseNeverReceived)),
    ("redirect-loop", (RedirectLoop,)),
    ("redirect-offsite", (OffsiteRedirect,)),
    ("ignored", (IgnoreRequest,)),
]

_NEXT_LINK_TEXT = re.compile(r"^\s*(next|berikutnya|selanjutnya|lanjut|older|sebelumnya|›|»|>)\s*[›»>]*\s*$", re.I)


class NewsSpider(scrapy.Spider):
    """Crawl one site profile: sitemaps, feeds and paginated index pages, newest first.

    Run it with ``scrapy crawl news -a site=kabar-lebak`` or ``warta crawl kabar-lebak``.
    Settings it reads: ``WARTA_SITE_ORIGINS`` (fetch a mirror of the site),
    ``WARTA_SINCE`` (stop at older pages).
    """

    name = "news"

    def __init__(self, site: str | None = None, profile: Profile | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not site and not isinstance(profile, Profile):
            raise ValueError("NewsSpider needs a site: scrapy crawl news -a site=SLUG")
        # A profile object: a site discovered in memory (`warta crawl URL`), with no file.
        self.profile: Profile = profile if isinstance(profile, Profile) else load_profile(site)
        self.site = self.profile.slug
        self.origin = ""
        self.since: date | None = None
        self.index_pages_seen = 0
        # Article URLs a sitemap or feed dated before WARTA_SINCE: an undated link to
        # one of them (from an index page) is not followed either.
        self.too_old_urls: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        origins = crawler.settings.getdict("WARTA_SITE_ORIGINS")
        spider.origin = (origins.get(spider.site) or "").rstrip("/")
        since = crawler.settings.get("WARTA_SINCE")
        spider.since = date.fromisoformat(str(since)[:10]) if since else None
        hosts = set(spider.profile.domains)
        if spider.origin:
            hosts.add(urlsplit(spider.origin).hostname or "")
        spider.allowed_domains = sorted(h for h in hosts if h)
        return spider

    # --- URL mapping between the public site and the origin fetched -------------------

    def to_fetch(self, url: str) -> str:
        """The URL to request: the profile URL with its base moved onto the origin, if any."""
        url = self.profile.absolute(url)
        base = self.profile.base_url.rstrip("/")
        if self.origin and base and url.startswith(base):
            return self.origin + url[len(base):]
        return url

    def to_public(self, url: str) -> str:
        """The public URL of a fetched URL (inverse of :meth:`to_fetch`)."""
        base = self.profile.base_url.rstrip("/")
        if self.origin and base and url.startswith(self.origin):
            return base + url[len(self.origin):]
        return url

    # --- discovery -------------------------------------------------------------------

    async def start(self):
        for url in self.profile.sitemaps:
            yield Request(self.to_fetch(url), callback=self.parse_sitemap, errback=self.on_error,
                          priority=PRIORITY_INDEX + 10, meta={"warta_stage": "discover"})
        for url in self.profile.feeds:
            yield Request(self.to_fetch(url), callback=self.parse_feed, errback=self.on_error,
                          priority=PRIORITY_INDEX + 10, meta={"warta_stage": "discover"})
        # Index page 1 is asked again when a paused crawl resumes (it may list new
        # articles); on a shared Redis frontier only the first worker asks for it.
        shared = bool(self.settings.get("WARTA_REDIS_URL"))
        for url in self.profile.index_pages:
            yield Request(self.to_fetch(url), callback=self.parse_index, errback=self.on_error,
                          priority=PRIORITY_INDEX, dont_filter=not shared, meta={"warta_stage": "discover"})

    def _too_old(self, day: date | None) -> bool:
        return bool(self.since and day and day < self.since)

    def article_request(self, url: str, *, day: date | None = None, referer: str | None = None,
                        via: str | None = None):
        """A request for an article candidate, or None when the URL is not one.

        ``via`` (``sitemap``, ``feed``, ``index``, ``link``) is what the crawl knows of the
        URL; it travels to the Page (``Page.via``), where a sitemap or feed entry counts as
        evidence that the page is an article.
        """
        public = self.to_public(urljoin(referer, url) if referer else url)
        fetch_url = self.to_fetch(public)  # links may name the public site or the origin fetched
        if not self.profile.is_article_url(public):
            return None
        if self._too_old(day):
            self.too_old_urls.add(public)
            return None
        if day is None and public in self.too_old_urls:
            return None
        # Newer articles get a higher priority, so the crawl works newest first.
        priority = PRIORITY_ARTICLE + (day.toordinal() - 730000 if day else 0)
        meta = {"warta_article": True, "warta_public_url": public, "warta_stage": "fetch", "warta_via": via}
        if self.profile.whole_story:
            # the whole story on one page: no pages 2..n to fetch
            fetch_url = self.profile.whole_story_url(fetch_url)
            meta["warta_whole_story"] = True
        return Request(fetch_url, callback=self.parse_article, errback=self.on_error, priority=priority, meta=meta)

    def _xml(self, response: Response, what: str) -> bytes | FetchFailure:
        """The body of a sitemap or feed, unpacked when it is a gzip file (``.xml.gz``,
        served as application/x-gzip or octet-stream); a bomb is refused."""
        if not is_gzip(response.body):
            return response.body
        try:
            return gunzip_capped(response.body)
        except UnpackError as e:
            reason = "too-large" if e.reason == "too-large" else f"bad-{what}"
            return FetchFailure(self.to_public(response.url), "discover", reason, str(e), self.site)

    def parse_sitemap(self, response: Response):
        """Sitemap index or urlset (incl. Google News sitemaps, gzipped or not); children newest first."""
        body = self._xml(response, "sitemap")
        if isinstance(body, FetchFailure):
            yield body
            return
        kind, entries = read_sitemap(body)
        if not kind:
            yield FetchFailure(self.to_public(response.url), "discover", "bad-sitemap", "not a sitemap", self.site)
            return
        entries.sort(key=lambda e: e[1] or date.min, reverse=True)
        for loc, day in entries:
            if kind == "index":
                if not self._too_old(day):
                    yield response.follow(self.to_fetch(self.to_public(response.urljoin(loc))),
                                          callback=self.parse_sitemap, errback=self.on_error,
                                          priority=PRIORITY_INDEX + 10, meta={"warta_stage": "discover"})
            else:
                request = self.article_request(loc, day=day, referer=response.url, via="sitemap")
                if request:
                    yield request

    def parse_feed(self, response: Response):
        """RSS 2.0 or Atom (gzipped or not): item links with their dates."""
        body = self._xml(response, "feed")
        if isinstance(body, FetchFailure):
            yield body
            return
        items = read_feed(body)
        if items is None:
            yield FetchFailure(self.to_public(response.url), "discover", "bad-feed", "not a feed", self.site)
            return
        for link, day in items:
            request = self.article_request(link, day=day, referer=response.url, via="feed")
            if request:
                yield request

    def parse_index(self, response: Response):
        """An index page: article links, then the next index page."""
        self.index_pages_seen += 1
        if not isinstance(response, scrapy.http.TextResponse):
            return
        found = 0
        for href in response.css("a::attr(href)").getall():
            request = self.article_request(href, referer=response.url, via="index")
            if request:
                found += 1
                yield request
        if found == 0 or self.index_pages_seen >= self.profile.max_index_pages:
            return
        next_url = self._next_index_url(response)
        if next_url:
            yield response.follow(self.to_fetch(self.to_public(response.urljoin(next_url))), callback=self.parse_index, errback=self.on_error,
                                  priority=PRIORITY_INDEX - self.index_pages_seen, meta={"warta_stage": "discover"})

    def _next_index_url(self, response: Response) -> str | None:
        if self.profile.index_next:
            return response.css(self.profile.index_next).get()
        rel = response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').get()
        if rel:
            return rel
        for link in response.css("a"):
            if _NEXT_LINK_TEXT.match(" ".join(link.css("::text").getall())):
                return link.attrib.get("href")
        return None

    # --- fetching articles -----------------------------------------------------------

    def _page(self, response: Response, public_url: str) -> Page:
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        # pages 2..n of a story are reached through page 1's pager, whatever led to page 1
        via = "next-page" if response.meta.get("warta_pages") else response.meta.get("warta_via")
        return Page(
            url=public_url,
            body=response.body,
            fetched_at=datetime.now(UTC),
            final_url=self.to_public(response.url),
            status=response.status,
            headers=headers,
            site=self.site,
            via=via,
        )

    def parse_article(self, response: Response):
        """Keep the page; fetch pages 2..n of a multi-page article, then hand all on."""
        public = response.meta.get("warta_public_url") or self.to_public(response.url)
        page = self._page(response, public)
        pages = [*response.meta.get("warta_pages", []), page]
        pending = response.meta.get("warta_pending")
        if not pending and len(pages) < MAX_ARTICLE_PAGES and not response.meta.get("warta_whole_story"):
            # Page 1 lists the pages its pager shows; a "next"-only pager shows one at a
            # time, so each later page is asked for the pages after it too.
            fetched = {p.url for p in pages} | {p.final_url for p in pages}
            pending = [u for u in self._next_pages(page, response) if self.to_public(u) not in fetched]
            pending = pending[: MAX_ARTICLE_PAGES - len(pages)]
        if pending:
            next_url, rest = pending[0], pending[1:]
            yield Request(next_url, callback=self.parse_article, errback=self.on_next_page_error,
                          priority=PRIORITY_NEXT_PAGE,
                          meta={"warta_pages": pages, "warta_pending": rest, "warta_public_url": self.to_public(next_url),
                                "warta_stage": "fetch"})
            return
        yield ArticlePages(site=self.site, pages=pages)

    def _next_pages(self, page: Page, response: Response) -> list[str]:
        from pipelines.core import next_page_urls  # heavy import kept out of spider loading

        try:
            urls = next_page_urls(page.body, page.url, self.profile)
        except WartaError:
            return []
        return [self.to_fetch(u) for u in urls[:MAX_ARTICLE_PAGES]]

    def on_next_page_error(self, failure):
        """A page 2..n failed: keep what we have and record the failure."""
        request = failure.request
        yield self._failure(failure)
        pages = request.meta.get("warta_pages") or []
        if pages:
            yield ArticlePages(site=self.site, pages=pages)

    def on_error(self, failure):
        yield self._failure(failure)

    def _failure(self, failure) -> FetchFailure:
        """The :class:`FetchFailure` for a request that ended in ``failure``."""
        request = failure.request
        url = request.meta.get("warta_public_url") or self.to_public(request.url)
        stage = request.meta.get("warta_stage", "fetch")
        exc = failure.value
        detail = str(exc)[:500]
        if failure.check(HttpError):
            status = exc.response.status
            return FetchFailure(url, stage, f"http-{status}", f"HTTP {status}", self.site)
        if failure.check(RobotsDisallowed) or (failure.check(IgnoreRequest) and "robots.txt" in detail):
            return FetchFailure(url, "robots", getattr(exc, "reason", "disallowed"), detail, self.site)
        if failure.check(DownloadCancelledError) and "max size" not in detail:
            return FetchFailure(url, stage, "cancelled", detail, self.site)
        for reason, types in _FAILURE_REASONS:
            if failure.check(*types):
                return FetchFailure(url, stage, reason, detail or type(exc).__name__, self.site)
        return FetchFailure(url, stage, type(exc).__name__, detail, self.site)
