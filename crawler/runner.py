"""Run crawls in-process: one Scrapy crawler per site, one crawl row for the run."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from pipelines import archive
from pipelines.profiles import load_profile


@dataclass
class CrawlReport:
    """What a finished run did, per site and in total.

    ``crawl_id`` is None for a Redis worker (its articles reach the archive
    through ``warta ingest``, which keeps the ``crawls`` row); ``resume`` maps
    each site to fresh, resumed or recovered (see :mod:`crawler.incremental`).
    """

    crawl_id: int | None
    archive_path: str
    sites: list[str]
    stats: dict[str, dict] = field(default_factory=dict)
    status: str = "finished"
    elapsed: float = 0.0
    resume: dict[str, str] = field(default_factory=dict)
    redis_url: str | None = None

    def total(self, key: str) -> int:
        return sum(int(s.get(key, 0) or 0) for s in self.stats.values())

    def total_prefix(self, prefix: str) -> int:
        return sum(int(v or 0) for s in self.stats.values() for k, v in s.items() if k.startswith(prefix))

    @property
    def articles_stored(self) -> int:
        return self.total("warta/articles_inserted") + self.total("warta/articles_updated")

    @property
    def pages_fetched(self) -> int:
        return self.total("downloader/response_count")

    @property
    def failures(self) -> int:
        return self.total_prefix("warta/failures/")


def default_jobdir(archive_path: str | Path) -> Path:
    """Where per-site crawl state goes by default: ``crawls/`` next to the archive.

    >>> str(default_jobdir("/data/warta/archive.db"))
    '/data/warta/crawls'
    """
    return Path(archive_path).resolve().parent / "crawls"


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


def site_settings(base: Settings, slug: str, *, jobdir: Path | None, redis_url: str | None) -> Settings:
    """The settings of one site's crawler: its JOBDIR, or its share of a Redis frontier."""
    settings = base.copy()
    if redis_url:
        from crawler.scaleout import worker_settings

        settings.setdict(worker_settings(redis_url, slug, base), priority="cmdline")
    elif jobdir is not None:
        settings.set("JOBDIR", str(jobdir / slug), priority="cmdline")
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
    jobdir: str | Path | None = None,
    redis_url: str | None = None,
) -> CrawlReport:
    """Crawl ``sites`` (profile slugs) into the archive and return what was done.

    Each site keeps a resumable state in ``<jobdir>/<slug>/`` (default
    ``crawls/`` next to the archive; ``jobdir=""`` turns it off): run the same
    call again after Ctrl-C or a crash and it continues. With ``redis_url`` the
    process is one worker of a shared Redis frontier instead, and its articles
    go to Redis for ``warta ingest`` (the archive is not opened at all).

    Runs Twisted's reactor, so it can be called once per process (the CLI and
    tests run it in their own process).

    :raises ProfileNotFound: when a slug names no profile.
    :raises ArchiveError: when the archive cannot be opened.
    :raises CrawlLocked: when another crawl of a site is running on the same state folder.

    Example usage::

        report = run_crawl(["kabar-lebak"], "archive.db", since="2019-11-01")
        report.articles_stored
    """
    from crawler.incremental import prepare_jobdir
    from crawler.spiders.news import NewsSpider

    started = time.monotonic()
    for slug in sites:
        load_profile(slug)
    settings = crawl_settings(archive_path, since=since, max_articles=max_articles, refresh=refresh,
                              origins=origins, overrides=overrides)
    if jobdir is None:
        jobdir = settings.get("WARTA_JOBDIR")
    state_root = None if redis_url or jobdir == "" else (Path(jobdir) if jobdir else default_jobdir(archive_path))
    options = {"since": since, "max_articles": max_articles, "refresh": refresh, "origins": origins or {},
               "state_root": str(state_root.resolve()) if state_root else None, "redis": redis_url,
               **(overrides or {})}
    crawl_id = None
    resume: dict[str, str] = {}
    if redis_url:
        settings.set("WARTA_REDIS_URL", redis_url, priority="cmdline")
    else:
        db = archive.open_archive(archive_path)
        crawl_id = archive.start_crawl(db, sites, options)
        if state_root is not None:
            try:
                for slug in sites:
                    resume[slug] = prepare_jobdir(state_root / slug, crawl_id, archive_path).outcome
            except Exception:
                archive.finish_crawl(db, crawl_id, {}, status="refused")
                db.close()
                raise
            _close_dead_crawls(db, crawl_id, sites, options["state_root"])
        db.close()
        settings.set("WARTA_CRAWL_ID", crawl_id, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = {}
    for n, slug in enumerate(sites):
        crawler = Crawler(NewsSpider, site_settings(settings, slug, jobdir=state_root, redis_url=redis_url),
                          init_reactor=n == 0)  # the first crawler installs the (asyncio) reactor
        crawlers[slug] = crawler
        process.crawl(crawler, site=slug)
    status = "finished"
    try:
        process.start()
    except KeyboardInterrupt:
        status = "interrupted"
    report = CrawlReport(crawl_id=crawl_id, archive_path=str(archive_path), sites=list(sites), resume=resume,
                         redis_url=redis_url)
    for slug, crawler in crawlers.items():
        stats = crawler.stats.get_stats() if crawler.stats else {}
        report.stats[slug] = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
        reason = stats.get("finish_reason")
        if reason == "shutdown":
            status = "paused"
        elif reason not in (None, "finished", "max_articles") and status == "finished":
            status = str(reason)
    report.status = status
    report.elapsed = time.monotonic() - started
    if crawl_id is not None:
        db = archive.open_archive(archive_path)
        archive.finish_crawl(db, crawl_id, json.loads(json.dumps(report.stats, default=str)), status=status)
        db.close()
    return report


def _close_dead_crawls(db, crawl_id: int, sites: list[str], state_root: str) -> None:
    """Mark ``killed`` the ``running`` rows of earlier runs on these sites' state folders.

    This process now holds the lock of every one of these folders, so a run that
    used one of them and still says ``running`` died (``kill -9``, power cut)
    before it could close its row; the stats it had saved are kept.
    """
    for other, other_sites, other_settings, stats in db.execute(
        "select id, sites, settings, stats from crawls where status = 'running' and id != ?", [crawl_id]
    ).fetchall():
        try:
            same_root = json.loads(other_settings or "{}").get("state_root") == state_root
            shared = set(json.loads(other_sites or "[]")) & set(sites)
        except ValueError:
            continue
        if same_root and shared:
            archive.finish_crawl(db, other, json.loads(stats or "{}"), status="killed")
