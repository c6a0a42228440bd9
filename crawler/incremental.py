"""Incremental crawling: article URLs already in the archive are not fetched again."""

from __future__ import annotations

import logging

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured

from pipelines.archive import known_urls, open_archive

logger = logging.getLogger(__name__)


class SkipArchivedMiddleware:
    """Spider middleware that drops requests for article URLs the archive already holds.

    Off when ``WARTA_REFRESH`` is true. The set of known URLs is read once when the
    spider opens (one indexed query); dropped requests are counted in the stat
    ``warta/skipped_archived`` and logged at DEBUG, since they are expected.
    """

    def __init__(self, archive_path: str, stats):
        self.archive_path = archive_path
        self.stats = stats
        self.known: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getbool("WARTA_REFRESH"):
            raise NotConfigured("WARTA_REFRESH is on: archived articles are fetched again")
        mw = cls(crawler.settings.get("WARTA_ARCHIVE"), crawler.stats)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider):
        db = open_archive(self.archive_path)
        try:
            self.known = known_urls(db, getattr(spider, "site", None))
        finally:
            db.close()
        logger.info("%(site)s: %(n)d article URLs already archived will not be fetched again",
                    {"site": getattr(spider, "site", "?"), "n": len(self.known)})

    def _keep(self, obj) -> bool:
        if isinstance(obj, Request) and obj.meta.get("warta_article") and not obj.meta.get("warta_pages"):
            if obj.meta.get("warta_public_url") in self.known:
                self.stats.inc_value("warta/skipped_archived")
                logger.debug("already archived: %(url)s", {"url": obj.meta.get("warta_public_url")})
                return False
        return True

    def process_spider_output(self, response, result, spider):
        for obj in result:
            if self._keep(obj):
                yield obj

    async def process_spider_output_async(self, response, result, spider):
        async for obj in result:
            if self._keep(obj):
                yield obj
