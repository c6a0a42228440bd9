"""Incremental and resumable crawling: skip archived articles, keep a crash-safe crawl state per site."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured

from pipelines.archive import known_urls, open_archive
from pipelines.errors import CrawlLocked

logger = logging.getLogger(__name__)

#: Files of ours in a JOBDIR; everything else there belongs to Scrapy's scheduler.
STATE_FILE = "warta-state.json"
LOCK_FILE = "warta.lock"


@dataclass
class JobState:
    """What :func:`prepare_jobdir` found in a site's crawl state folder.

    ``outcome`` is ``fresh`` (no earlier state), ``resumed`` (an earlier run was
    stopped cleanly, e.g. Ctrl-C: its queue and seen-requests are reused as they
    are) or ``recovered`` (an earlier run died, e.g. ``kill -9`` or a power cut:
    its scheduler files are discarded and discovery starts over, while articles
    the archive already holds are skipped). ``previous_crawl_id`` is the
    ``crawls`` row of the run that left the state.
    """

    jobdir: str
    outcome: str
    previous_crawl_id: int | None = None


_held_locks: dict[str, int] = {}
_prepared: dict[str, JobState] = {}
_archives: dict[str, str | None] = {}


def _write_state(jobdir: Path, **state) -> None:
    tmp = jobdir / (STATE_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, jobdir / STATE_FILE)


def _read_state(jobdir: Path) -> dict:
    try:
        return json.loads((jobdir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _clear_scheduler_files(jobdir: Path) -> None:
    for child in jobdir.iterdir():
        if child.name in (STATE_FILE, LOCK_FILE):
            continue
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def prepare_jobdir(jobdir: str | Path, crawl_id: int | None = None, archive: str | Path | None = None) -> JobState:
    """Lock a site's crawl state folder and make its Scrapy state safe to load.

    Scrapy's JOBDIR is written consistently only when a crawl stops cleanly: its
    disk queue header, ``active.json`` and the buffered ``requests.seen`` are
    stale after a ``kill -9``, and requests that were being downloaded are in
    ``requests.seen`` but in no queue, so reusing them would lose articles. So a
    state left by a run that did not stop cleanly is discarded: discovery starts
    again, and the archive (transactional, so never half-written) tells the
    crawl which articles it already has. The folder stays locked (``flock``)
    until the process ends, so two crawls never share it.

    :param jobdir: the folder (created if missing)
    :param crawl_id: the ``crawls`` row of the run taking the folder over
    :param archive: the archive the run writes; a paused state left by a crawl
        into another archive is not resumed (it is discarded, as after a crash)
    :raises CrawlLocked: when another process holds the folder

    Example usage::

        state = prepare_jobdir("crawls/kabar-lebak", crawl_id=7)
        state.outcome  # "fresh", "resumed" or "recovered"
    """
    path = Path(jobdir)
    path.mkdir(parents=True, exist_ok=True)
    key = str(path.resolve())
    if key in _prepared:  # the runner prepared it before Scrapy's extension asked
        return _prepared[key]
    if key not in _held_locks:
        fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise CrawlLocked(path) from None
        _held_locks[key] = fd
    previous = _read_state(path)
    has_scheduler_files = any(c.name not in (STATE_FILE, LOCK_FILE) for c in path.iterdir())
    archive_key = str(Path(archive).resolve()) if archive else None
    outcome = "fresh"
    if previous.get("state") == "paused" and archive_key and previous.get("archive") not in (None, archive_key):
        logger.warning("%(jobdir)s: the paused crawl there wrote to %(other)s, not %(this)s; starting afresh",
                       {"jobdir": path, "other": previous.get("archive"), "this": archive_key})
        _clear_scheduler_files(path)
    elif previous.get("state") == "paused" and has_scheduler_files:
        outcome = "resumed"
    elif previous.get("state") == "running" or (has_scheduler_files and previous.get("state") != "paused"):
        outcome = "recovered"
        _clear_scheduler_files(path)
        logger.warning(
            "%(jobdir)s: the previous crawl (crawl %(crawl)s) did not stop cleanly; its queue is discarded, "
            "discovery starts again and articles already archived are skipped",
            {"jobdir": path, "crawl": previous.get("crawl_id", "?")},
        )
    elif has_scheduler_files:
        _clear_scheduler_files(path)
    _write_state(path, state="running", crawl_id=crawl_id, archive=archive_key, pid=os.getpid(),
                 started_at=datetime.now(UTC).isoformat(timespec="seconds"))
    _archives[key] = archive_key
    _prepared[key] = JobState(str(path), outcome, previous.get("crawl_id"))
    return _prepared[key]


def release_jobdir(jobdir: str | Path, reason: str, crawl_id: int | None = None) -> str:
    """Mark a site's crawl state after its spider closed, and return the state written.

    ``finished`` and ``max_articles`` end the crawl: Scrapy's files are removed,
    so the next run discovers anew (incrementally). Any other reason (Ctrl-C's
    ``shutdown``, a close-spider limit) leaves a ``paused`` state the next run
    resumes exactly.
    """
    path = Path(jobdir)
    if reason in ("finished", "max_articles"):
        _clear_scheduler_files(path)
        state = "done"
    else:
        state = "paused"
    _write_state(path, state=state, crawl_id=crawl_id, archive=_archives.pop(str(path.resolve()), None),
                 reason=reason, stopped_at=datetime.now(UTC).isoformat(timespec="seconds"))
    _prepared.pop(str(path.resolve()), None)
    fd = _held_locks.pop(str(path.resolve()), None)
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)
    return state


class CrawlState:
    """Extension that keeps a site's JOBDIR safe across crashes (see :func:`prepare_jobdir`).

    Off (``NotConfigured``) when ``JOBDIR`` is not set. Sets the stat
    ``warta/resume`` to fresh, resumed or recovered.
    """

    def __init__(self, crawler, jobdir: str):
        self.crawler = crawler
        self.jobdir = jobdir
        self.crawl_id = crawler.settings.getint("WARTA_CRAWL_ID") or None
        self.state = prepare_jobdir(jobdir, self.crawl_id, crawler.settings.get("WARTA_ARCHIVE"))

    @classmethod
    def from_crawler(cls, crawler):
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured  # simply off, as Scrapy's own components: no warning
        ext = cls(crawler, jobdir)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        self.crawler.stats.set_value("warta/resume", self.state.outcome)
        if self.state.outcome == "resumed":
            logger.info("%(site)s: resuming the crawl paused in %(jobdir)s",
                        {"site": getattr(spider, "site", "?"), "jobdir": self.jobdir})

    def spider_closed(self, spider, reason):
        state = release_jobdir(self.jobdir, reason, self.crawl_id)
        if state == "paused":
            logger.info("%(site)s: crawl paused (%(reason)s); run the same command to resume",
                        {"site": getattr(spider, "site", "?"), "reason": reason})


class SkipArchivedMiddleware:
    """Spider middleware that drops requests for article URLs the archive already holds.

    Off when ``WARTA_REFRESH`` is true. The set of known URLs is read once when the
    spider opens: from the archive (one indexed query), or, for a Redis worker
    (``WARTA_REDIS_URL``), from the set ``warta ingest`` keeps in Redis. Dropped
    URLs are counted (once each) in the stat ``warta/skipped_archived`` and logged at
    DEBUG, since they are expected.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive_path = crawler.settings.get("WARTA_ARCHIVE")
        self.redis_url = crawler.settings.get("WARTA_REDIS_URL")
        self.known: set[str] = set()
        self.skipped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getbool("WARTA_REFRESH"):
            raise NotConfigured  # simply off, as Scrapy's own components: no warning
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider):
        site = getattr(spider, "site", None)
        if self.redis_url:
            from crawler.scaleout import archived_urls

            self.known = archived_urls(self.redis_url, site)
        else:
            db = open_archive(self.archive_path)
            try:
                self.known = known_urls(db, site)
            finally:
                db.close()
        logger.info("%(site)s: %(n)d article URLs already archived will not be fetched again",
                    {"site": site or "?", "n": len(self.known)})

    def _keep(self, obj) -> bool:
        if isinstance(obj, Request) and obj.meta.get("warta_article") and not obj.meta.get("warta_pages"):
            url = obj.meta.get("warta_public_url")
            if url in self.known:
                if url not in self.skipped:  # a URL listed by the sitemap, the feed and an index counts once
                    self.skipped.add(url)
                    self.stats.inc_value("warta/skipped_archived")
                    logger.debug("already archived: %(url)s", {"url": url})
                return False
        return True

    async def process_spider_output(self, response, result):
        async for obj in result:
            if self._keep(obj):
                yield obj
