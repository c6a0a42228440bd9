"""Run crawls in-process: one Scrapy crawler per site, one crawl row for the run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from pipelines import archive
from pipelines.profiles import load_profile


@dataclass
class CrawlReport:
    """What a finished run did, per site and in total."""

    crawl_id: int
    archive_path: str
    sites: list[str]
    stats: dict[str, dict] = field(default_factory=dict)

    def total(self, key: str) -> int:
        return sum(int(s.get(key, 0) or 0) for s in self.stats.values())

    @property
    def articles_stored(self) -> int:
        return self.total("warta/articles_inserted") + self.total("warta/articles_updated")


def crawl_settings(
    archive_path: str | Path = "archive.db",
    *,
    since: str | None = None,
    max_articles: int = 0,
    refresh: bool = False,
    origins: dict[str, str] | None = None,
    overrides: dict | None = None,
) -> Settings:
    """Scrapy settings for a warta crawl: the project's defaults plus these options."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    values = {
        "WARTA_ARCHIVE": str(archive_path),
        "WARTA_SINCE": since,
        "WARTA_MAX_ARTICLES": max_articles,
        "WARTA_REFRESH": refresh,
        "WARTA_SITE_ORIGINS": origins or {},
    }
    settings.setdict(values, priority="cmdline")
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    contact = settings.get("WARTA_CONTACT_URL")
    if "USER_AGENT" not in (overrides or {}):
        settings.set("USER_AGENT", f"warta/0.1 (+{contact})", priority="cmdline")
    return settings


def run_crawl(
    sites: list[str],
    archive_path: str | Path = "archive.db",
    *,
    since: str | None = None,
    max_articles: int = 0,
    refresh: bool = False,
    origins: dict[str, str] | None = None,
    overrides: dict | None = None,
) -> CrawlReport:
    """Crawl ``sites`` (profile slugs) into the archive and return what was done.

    Runs Twisted's reactor, so it can be called once per process (the CLI and
    tests run it in their own process).

    :raises ProfileNotFound: when a slug names no profile.
    :raises ArchiveError: when the archive cannot be opened.
    """
    for slug in sites:
        load_profile(slug)
    db = archive.open_archive(archive_path)
    options = {"since": since, "max_articles": max_articles, "refresh": refresh, "origins": origins or {},
               **(overrides or {})}
    crawl_id = archive.start_crawl(db, sites, options)
    db.close()
    settings = crawl_settings(archive_path, since=since, max_articles=max_articles, refresh=refresh,
                              origins=origins, overrides=overrides)
    settings.set("WARTA_CRAWL_ID", crawl_id, priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=settings.getbool("WARTA_LOG_TO_STDERR", True))
    crawlers = {}
    for slug in sites:
        crawler = process.create_crawler("news")
        crawlers[slug] = crawler
        process.crawl(crawler, site=slug)
    status = "finished"
    try:
        process.start()
    except KeyboardInterrupt:
        status = "interrupted"
    report = CrawlReport(crawl_id=crawl_id, archive_path=str(archive_path), sites=list(sites))
    for slug, crawler in crawlers.items():
        stats = crawler.stats.get_stats() if crawler.stats else {}
        report.stats[slug] = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
        if stats.get("finish_reason") not in (None, "finished", "max_articles"):
            status = str(stats.get("finish_reason"))
    db = archive.open_archive(archive_path)
    archive.finish_crawl(db, crawl_id, json.loads(json.dumps(report.stats, default=str)), status=status)
    db.close()
    return report
