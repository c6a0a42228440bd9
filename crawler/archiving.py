"""The Scrapy item pipeline that runs page -> article and writes the archive."""

from __future__ import annotations

import logging

from pipelines.core import derive_article
from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.items import ArticlePages, FetchFailure
from pipelines import archive
from pipelines.errors import ExtractionFailed, NotAnArticle
from pipelines.profiles import load_profile

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Turns each :class:`ArticlePages` into an Article and stores it with its pages.

    Failures (:class:`FetchFailure`, extraction errors) go to ``failures``; pages
    that are not articles are kept in ``pages`` with their ``skip_reason`` and
    dropped at DEBUG level. Settings: ``WARTA_ARCHIVE``, ``WARTA_CRAWL_ID``,
    ``WARTA_MAX_ARTICLES``.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.archive_path = settings.get("WARTA_ARCHIVE")
        self.crawl_id = settings.getint("WARTA_CRAWL_ID") or None
        self.owns_crawl_row = self.crawl_id is None
        self.max_articles = settings.getint("WARTA_MAX_ARTICLES")
        self.stored = 0
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider):
        self.db = archive.open_archive(self.archive_path)
        if self.crawl_id is None:
            self.crawl_id = archive.start_crawl(self.db, [spider.site], {"archive": self.archive_path})

    def spider_closed(self, spider, reason):
        if self.db is None:
            return
        if self.owns_crawl_row:
            stats = {k: v for k, v in self.stats.get_stats().items() if isinstance(v, int | float | str)}
            archive.finish_crawl(self.db, self.crawl_id, stats, status=reason)
        self.db.close()
        self.db = None

    def process_item(self, item, spider):
        if isinstance(item, FetchFailure):
            archive.record_failure(self.db, item.url, item.stage, item.reason, item.detail, self.crawl_id)
            self.stats.inc_value(f"warta/failures/{item.stage}")
            raise DropItem(f"{item.url}: {item.stage} failed ({item.reason})", log_level="DEBUG")
        if not isinstance(item, ArticlePages):
            return item
        profile = load_profile(item.site)
        first = item.pages[0]
        try:
            article = derive_article(item.pages, profile)
        except NotAnArticle as e:
            archive.archive_skipped_page(self.db, first, e.reason, self.crawl_id)
            self.stats.inc_value("warta/not_article")
            raise DropItem(str(e), log_level="DEBUG") from None
        except ExtractionFailed as e:
            archive.archive_skipped_page(self.db, first, e.reason, self.crawl_id)
            archive.record_failure(self.db, first.url, "extract", e.reason, str(e), self.crawl_id)
            self.stats.inc_value("warta/failures/extract")
            raise DropItem(str(e)) from None
        except Exception as e:  # a bug in a rule must cost one page, not the crawl
            logger.exception("page -> article crashed on %(url)s", {"url": first.url})
            archive.archive_skipped_page(self.db, first, "error", self.crawl_id)
            archive.record_failure(self.db, first.url, "extract", type(e).__name__, str(e), self.crawl_id)
            self.stats.inc_value("warta/failures/extract")
            raise DropItem(f"{first.url}: {e!r}") from None
        result = archive.archive_article(self.db, article, item.pages, self.crawl_id)
        self.stats.inc_value(f"warta/articles_{result.action}")
        if result.action != "unchanged":
            self.stored += 1
        if self.max_articles and self.stored >= self.max_articles:
            self.crawler.engine.close_spider(spider, "max_articles")
        return {"canonical_url": article.canonical_url, "action": result.action}
