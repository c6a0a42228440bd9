"""The Scrapy item pipeline that runs page -> article in worker processes and writes the archive."""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, reactor, threads
from twisted.python.failure import Failure
from twisted.python.threadpool import ThreadPool

from crawler.items import ArticlePages, FetchFailure
from pipelines import archive
from pipelines.parallel import Candidate, DerivePool

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
    _POOL_USERS += 1
    return _POOL


def _release_pool() -> None:
    global _POOL, _POOL_USERS
    _POOL_USERS -= 1
    if _POOL_USERS <= 0 and _POOL is not None:
        _POOL.close()
        _POOL, _POOL_USERS = None, 0


class ArchivePipeline:
    """Turns each :class:`ArticlePages` into an Article and stores it with its pages.

    Page -> article runs in a :class:`~pipelines.parallel.DerivePool` of
    ``WARTA_WORKERS`` processes, fed in batches of up to ``WARTA_BATCH_SIZE``
    candidates; the archive is written by one writer thread, one transaction per
    batch. The reactor thread only hands bytes around, so fetching goes on while
    pages are processed. ``process_item`` returns a Deferred that fires once the
    article is stored: Scrapy holds the response until then and stops fetching
    when ``SCRAPER_SLOT_MAX_ACTIVE_SIZE`` bytes are pending, so memory stays
    bounded however slow processing is.

    Failures (:class:`FetchFailure`, extraction errors) go to ``failures``; pages
    that are not articles are kept in ``pages`` with their ``skip_reason`` and
    dropped at DEBUG level. Settings: ``WARTA_ARCHIVE``, ``WARTA_BATCH_SIZE``,
    ``WARTA_CRAWL_ID``, ``WARTA_MAX_ARTICLES``, ``WARTA_WORKERS``.

    Timing stats (floats, summed over the run): ``warta/time/derive_ms`` (in the
    workers) and ``warta/time/store_ms`` (in the writer thread), with the counts
    ``warta/time/derived`` and ``warta/time/stored``.
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
        self.db = None  # used by the writer thread only
        self.pool: DerivePool | None = None
        self.writer: ThreadPool | None = None
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
        # One writer thread: SQLite takes one writer at a time anyway, and a single
        # thread keeps failures, skips and articles in the order they were handed over.
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
        if self.db is None:
            return
        if stats is not None:
            archive.finish_crawl(self.db, self.crawl_id, stats, status=reason)
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

    # --- items ------------------------------------------------------------------------

    async def process_item(self, item):
        if isinstance(item, FetchFailure):
            self._write(self._store_failure, item).addErrback(self._log_write_error)
            self.stats.inc_value(f"warta/failures/{item.stage}")
            raise DropItem(f"{item.url}: {item.stage} failed ({item.reason})", log_level="DEBUG")
        if not isinstance(item, ArticlePages):
            return item
        d = defer.Deferred()
        self.waiting.append((item, d))
        self._pump()
        return await maybe_deferred_to_future(d)

    def _store_failure(self, item: FetchFailure) -> None:
        archive.record_failure(self.db, item.url, item.stage, item.reason, item.detail, self.crawl_id)

    @staticmethod
    def _log_write_error(failure: Failure) -> None:
        logger.error("archive write failed: %(error)s", {"error": failure.getErrorMessage()},
                     exc_info=(failure.type, failure.value, failure.getTracebackObject()))

    def _pump(self) -> None:
        """Send waiting candidates to the workers while fewer than the limit are in flight.

        An idle pool gets a candidate at once (small batches, low latency); a busy
        one lets candidates gather into full batches (fewer round trips).
        """
        while self.waiting and self.pool is not None and not self.pool.saturated:
            taken, self.waiting = self.waiting[: self.batch_size], self.waiting[self.batch_size:]
            batch = [Candidate(site=item.site, pages=item.pages) for item, _ in taken]
            future = self.pool.submit(batch)
            future.add_done_callback(lambda f, taken=taken: reactor.callFromThread(self._derived, taken, f))

    def _derived(self, taken, future) -> None:
        try:
            outcomes = future.result()
        except Exception as e:  # the pool itself broke (a worker was killed)
            logger.error("page -> article workers failed: %(error)r", {"error": e})
            for _item, d in taken:
                d.errback(Failure(DropItem(f"page -> article workers failed: {e!r}")))
            self._pump_all()
            return
        self.stats.inc_value("warta/time/derive_ms", sum(o.derive_ms for o in outcomes), start=0.0)
        self.stats.inc_value("warta/time/derived", len(outcomes))
        d = self._write(self._store_batch, [(item, o) for (item, _), o in zip(taken, outcomes, strict=True)])
        d.addCallbacks(self._stored, self._store_failed, callbackArgs=(taken,), errbackArgs=(taken,))
        self._pump_all()

    def _pump_all(self) -> None:
        for pipeline in [self, *(p for p in _PIPELINES if p is not self)]:
            pipeline._pump()

    def _store_batch(self, pairs) -> tuple[list[tuple[str, object]], float]:
        """Writer thread: store one batch in one transaction; say what happened to each item.

        Pages that were not articles and articles go in one transaction
        (``archive.archive_articles`` commits it); extraction failures, which are
        rare, are recorded after it.
        """
        started = time.perf_counter()
        results: list[tuple[str, object] | None] = [None] * len(pairs)
        articles, failed = [], []
        room = (self.max_articles - self.stored) if self.max_articles else len(pairs)
        conn = self.db.conn
        # IMMEDIATE: take the write lock now (waiting up to busy_timeout for the
        # writers of other sites), not on the first write, where SQLite gives up at once.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for n, (item, outcome) in enumerate(pairs):
                first = item.pages[0]
                if outcome.kind == "article":
                    if len(articles) < room:
                        articles.append((n, outcome.article, item.pages))
                    else:
                        results[n] = ("over-limit", outcome)
                    continue
                skip = "error" if outcome.kind == "error" else (outcome.reason or "error")
                archive.store_page(self.db, first, self.crawl_id, skip_reason=skip, article_url=None, part=None)
                results[n] = (outcome.kind, outcome)
                if outcome.kind != "not-article":
                    failed.append((first.url, outcome))
            stored = archive.archive_articles(self.db, [(a, p) for _, a, p in articles], self.crawl_id)
            if conn.in_transaction:
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        for (n, _, _), result in zip(articles, stored, strict=True):
            if result.action != "unchanged":
                self.stored += 1
            results[n] = ("stored", result)
        for url, outcome in failed:
            detail = outcome.detail.split("\n", 1)[0] if outcome.kind == "error" else outcome.detail
            archive.record_failure(self.db, url, "extract", outcome.reason or "error", detail, self.crawl_id)
        return results, (time.perf_counter() - started) * 1000.0

    def _stored(self, written, taken) -> None:
        results, store_ms = written
        self.stats.inc_value("warta/time/store_ms", store_ms, start=0.0)
        self.stats.inc_value("warta/time/stored", len(results))
        for (item, d), (what, detail) in zip(taken, results, strict=True):
            first = item.pages[0]
            if what == "stored":
                self.stats.inc_value(f"warta/articles_{detail.action}")
                d.callback({"canonical_url": detail.canonical_url, "action": detail.action})
            elif what == "not-article":
                self.stats.inc_value("warta/not_article")
                d.errback(Failure(DropItem(detail.detail or f"{first.url}: not an article", log_level="DEBUG")))
            elif what == "over-limit":
                d.errback(Failure(DropItem(f"{first.url}: WARTA_MAX_ARTICLES reached", log_level="DEBUG")))
            else:
                self.stats.inc_value("warta/failures/extract")
                if what == "error":
                    logger.error("page -> article crashed on %(url)s: %(detail)s",
                                 {"url": first.url, "detail": detail.detail})
                    d.errback(Failure(DropItem(f"{first.url}: {detail.reason}: {detail.detail.splitlines()[0]}")))
                else:
                    d.errback(Failure(DropItem(detail.detail or f"{first.url}: extraction failed")))
        if self.max_articles and self.stored >= self.max_articles and not self.closing:
            self.closing = True
            self.crawler.engine.close_spider(self.spider, "max_articles")

    def _store_failed(self, failure: Failure, taken) -> None:
        self._log_write_error(failure)
        for item, d in taken:
            d.errback(Failure(DropItem(f"{item.url}: archive write failed ({failure.getErrorMessage()})")))
