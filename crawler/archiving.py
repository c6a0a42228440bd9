"""The Scrapy item pipeline that runs page -> article and the archive writes in worker processes."""

from __future__ import annotations

import logging
import sqlite3
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, reactor, threads
from twisted.python.failure import Failure
from twisted.python.threadpool import ThreadPool

from crawler.items import ArticlePages, FetchFailure
from pipelines import archive
from pipelines.parallel import ArchiveTarget, Candidate, DerivePool

logger = logging.getLogger(__name__)

# One pool per process, shared by the crawlers of a multi-site run, so that
# `warta crawl a b c` starts WARTA_WORKERS processes, not three times as many.
_POOL: DerivePool | None = None
_POOL_USERS = 0
_PIPELINES: set[ArchivePipeline] = set()


def _acquire_pool(workers: int | None, batch_size: int) -> DerivePool:
    global _POOL, _POOL_USERS
    if _POOL is None:
        _POOL = DerivePool(workers, batch_size=batch_size)
        _POOL.start()
    _POOL_USERS += 1
    return _POOL


def stop_after_forced_shutdown() -> None:
    """Stop what a crawl stopped by force (a second Ctrl-C) left running, so the process can exit.

    The spiders never closed, so their pipelines did not stop the pool and writer
    threads. Batches already in a worker are finished (each is one transaction),
    queued ones cancelled: the next run fetches those pages again. After a run
    that ended cleanly there is nothing left, and this does nothing.
    """
    global _POOL, _POOL_USERS
    for pipeline in list(_PIPELINES):
        _PIPELINES.discard(pipeline)
        if pipeline.writer is not None:
            pipeline.writer.stop()
            pipeline.writer = None
        pipeline.pool = None
    if _POOL is not None:
        _POOL.close(cancel=True)
        _POOL, _POOL_USERS = None, 0


def _release_pool() -> None:
    global _POOL, _POOL_USERS
    _POOL_USERS -= 1
    if _POOL_USERS <= 0 and _POOL is not None:
        _POOL.close()
        _POOL, _POOL_USERS = None, 0


def hold_pool(settings) -> None:
    """Start the shared worker pool now and keep it until :func:`release_held_pool`.

    For a run whose sites start one after another (``warta crawl --sites``): without
    it the pool would stop whenever no site happens to be crawling and start again
    (a second each time) for the next one.
    """
    workers = settings.get("WARTA_WORKERS")
    _acquire_pool(None if workers in (None, "") else settings.getint("WARTA_WORKERS"),
                  settings.getint("WARTA_BATCH_SIZE") or 16)


def release_held_pool() -> None:
    """Let go of the pool taken by :func:`hold_pool` (it stops once no site uses it)."""
    _release_pool()


class ArchivePipeline:
    """Turns each :class:`ArticlePages` into an Article and stores it with its pages.

    Page -> article and the archive writes run in a
    :class:`~pipelines.parallel.DerivePool` of ``WARTA_WORKERS`` processes, fed
    batches of up to ``WARTA_BATCH_SIZE`` candidates; each worker stores the
    batch it derived in one transaction. The reactor thread only hands pages
    over, so fetching goes on while pages are processed. ``process_item`` waits
    (without blocking the reactor) until its article is stored: Scrapy holds the
    response until then and stops fetching while ``SCRAPER_SLOT_MAX_ACTIVE_SIZE``
    bytes are pending, so memory stays bounded however slow processing is.

    Failures (:class:`FetchFailure`, extraction errors) go to ``failures``; pages
    that are not articles are kept in ``pages`` with their ``skip_reason`` and
    decision, counted per reason (``warta/not_article/<reason>``) and dropped at
    DEBUG level. Settings: ``WARTA_ARCHIVE``, ``WARTA_BATCH_SIZE``,
    ``WARTA_CRAWL_ID``, ``WARTA_MAX_ARTICLES``, ``WARTA_WORKERS``.

    Timing stats (floats summed over the run, for ``scripts/bench_crawl.py``):
    ``warta/time/derive_ms`` and ``warta/time/store_ms`` (both in the workers),
    over ``warta/time/derived`` candidates.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.archive_path = settings.get("WARTA_ARCHIVE")
        self.crawl_id = settings.getint("WARTA_CRAWL_ID") or None
        self.owns_crawl_row = self.crawl_id is None
        self.max_articles = settings.getint("WARTA_MAX_ARTICLES")
        workers = settings.get("WARTA_WORKERS")
        self.workers = None if workers in (None, "") else settings.getint("WARTA_WORKERS")
        self.batch_size = settings.getint("WARTA_BATCH_SIZE") or 16
        self.stored = 0
        self.in_flight = 0
        self.pool: DerivePool | None = None
        self.writer: ThreadPool | None = None
        self.db = None  # the writer thread's connection (fetch failures, the crawl row)
        self.waiting: list[tuple[ArticlePages, defer.Deferred]] = []
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    # --- lifecycle --------------------------------------------------------------------

    def open_spider(self):
        spider = self.crawler.spider
        db = archive.open_archive(self.archive_path)
        try:
            if self.crawl_id is None:
                self.crawl_id = archive.start_crawl(db, [spider.site], {"archive": self.archive_path})
        finally:
            db.close()
        self.pool = _acquire_pool(self.workers, self.batch_size)
        # Fetch failures and the crawl row are written by one thread of our own, so
        # that a busy archive (a worker's transaction) never blocks the reactor.
        self.writer = ThreadPool(minthreads=1, maxthreads=1, name="warta-archive-writer")
        self.writer.start()
        self.spider = spider
        _PIPELINES.add(self)

    async def spider_closed(self, spider, reason):
        if self.writer is None:
            return
        self.closing = True
        _PIPELINES.discard(self)
        stats = None
        if self.owns_crawl_row:
            stats = {k: v for k, v in self.stats.get_stats().items() if isinstance(v, int | float | str)}
        d = self._write(self._finish, stats, reason)
        d.addBoth(self._shutdown)
        await maybe_deferred_to_future(d)

    def _finish(self, stats, reason):
        try:
            if stats is not None:
                archive.finish_crawl(self.db, self.crawl_id, stats, status=reason)
        except sqlite3.Error as e:
            logger.error("could not save the stats of crawl %(id)s: %(error)s", {"id": self.crawl_id, "error": e})
        finally:
            self.db.close()
            self.db = None

    def _shutdown(self, result):
        if self.pool is not None:
            self.pool = None
            _release_pool()
        if self.writer is not None:
            self.writer.stop()
            self.writer = None
        return result

    # --- the writer thread ------------------------------------------------------------

    def _write(self, fn, *args) -> defer.Deferred:
        return threads.deferToThreadPool(reactor, self.writer, self._in_writer, fn, *args)

    def _in_writer(self, fn, *args):
        if self.db is None:
            self.db = archive.open_archive(self.archive_path)
        return fn(*args)

    def _store_failure(self, item: FetchFailure) -> None:
        archive.record_failure(self.db, item.url, item.stage, item.reason, item.detail, self.crawl_id)

    def record(self, item: FetchFailure) -> None:
        """Record a failure in ``failures`` (on the writer thread); when even that write fails,
        count it in ``warta/unrecorded_failures`` and say so in the log."""
        self._write(self._store_failure, item).addErrback(self._unrecorded, item)

    def _unrecorded(self, failure: Failure, item: FetchFailure) -> None:
        self.stats.inc_value("warta/unrecorded_failures")
        logger.error("could not record in the archive that %(url)s failed (%(stage)s, %(reason)s): %(error)s",
                     {"url": item.url, "stage": item.stage, "reason": item.reason, "error": failure.getErrorMessage()})


    # --- items ------------------------------------------------------------------------

    async def process_item(self, item):
        if isinstance(item, FetchFailure):
            self.record(item)
            self.stats.inc_value(f"warta/failures/{item.stage}")
            raise DropItem(f"{item.url}: {item.stage} failed ({item.reason})", log_level="DEBUG")
        if not isinstance(item, ArticlePages):
            return item
        d = defer.Deferred()
        self.waiting.append((item, d))
        self._pump()
        return await maybe_deferred_to_future(d)

    def _pump(self) -> None:
        """Send waiting candidates to the workers while fewer than the limit are in flight.

        An idle pool gets a candidate at once (small batches, low latency); a busy
        one lets candidates gather into full batches (fewer round trips). With
        ``WARTA_MAX_ARTICLES`` one batch at a time is in flight, so that the room
        left is exact.
        """
        while self.waiting and self.pool is not None and not self.pool.saturated:
            if self.max_articles and self.in_flight:
                return
            taken, self.waiting = self.waiting[: self.batch_size], self.waiting[self.batch_size:]
            room = max(0, self.max_articles - self.stored) if self.max_articles else None
            target = ArchiveTarget(self.archive_path, self.crawl_id, room)
            # The spider's profile travels with its pages: a site discovered in memory
            # (`warta crawl URL`) has no file for the workers to read it from.
            profile = getattr(self.spider, "profile", None)
            future = self.pool.submit([Candidate(site=item.site, pages=item.pages, profile=profile)
                                       for item, _ in taken], target)
            self.in_flight += 1
            future.add_done_callback(lambda f, taken=taken: reactor.callFromThread(self._done, taken, f))

    def _done(self, taken, future) -> None:
        self.in_flight -= 1
        try:
            outcomes = future.result()
        except Exception as e:  # the archive write failed (disk full, read-only ...) or a worker died
            self._not_stored(taken, e)
            self._pump_all()
            return
        self.stats.inc_value("warta/time/derive_ms", sum(o.derive_ms for o in outcomes), start=0.0)
        self.stats.inc_value("warta/time/store_ms", sum(o.store_ms for o in outcomes), start=0.0)
        self.stats.inc_value("warta/time/derived", len(outcomes))
        for (item, d), outcome in zip(taken, outcomes, strict=True):
            self._settle(item, d, outcome)
        if self.max_articles and self.stored >= self.max_articles and not self.closing:
            self.closing = True
            self.crawler.engine.close_spider(self.spider, "max_articles")
        self._pump_all()

    def _not_stored(self, taken, error: BaseException) -> None:
        """Count, record and log every candidate of a batch whose store failed: each is a loss."""
        reason = "worker-died" if isinstance(error, BrokenProcessPool) else archive.write_error_reason(error)
        detail = f"{type(error).__name__}: {error}"
        for item, d in taken:
            self.stats.inc_value("warta/failures/store")
            self.stats.inc_value(f"warta/store_failed/{reason}")
            self.record(FetchFailure(item.url, "store", reason, detail, item.site))
            d.errback(Failure(DropItem(f"{item.url}: not stored ({reason}: {error})", log_level="ERROR")))

    def _settle(self, item: ArticlePages, d: defer.Deferred, outcome) -> None:
        """Count one stored outcome and fire its item's Deferred (a DropItem for a skip)."""
        url = item.url
        if outcome.kind == "article" and outcome.action == "over-limit":
            d.errback(Failure(DropItem(f"{url}: WARTA_MAX_ARTICLES reached", log_level="DEBUG")))
        elif outcome.kind == "article":
            self.stats.inc_value(f"warta/articles_{outcome.action}")
            if outcome.action != "unchanged":
                self.stored += 1
            d.callback({"canonical_url": outcome.canonical_url, "action": outcome.action})
        elif outcome.kind == "not-article":
            self.stats.inc_value("warta/not_article")
            self.stats.inc_value(f"warta/not_article/{outcome.reason}")
            d.errback(Failure(DropItem(outcome.detail or f"{url}: not an article", log_level="DEBUG")))
        else:
            self.stats.inc_value("warta/failures/extract")
            if outcome.kind == "error":
                logger.error("page -> article crashed on %(url)s: %(detail)s", {"url": url, "detail": outcome.detail})
                d.errback(Failure(DropItem(f"{url}: {outcome.reason}: {outcome.detail.splitlines()[0]}")))
            else:
                d.errback(Failure(DropItem(outcome.detail or f"{url}: extraction failed")))

    def _pump_all(self) -> None:
        for pipeline in [self, *(p for p in _PIPELINES if p is not self)]:
            pipeline._pump()
