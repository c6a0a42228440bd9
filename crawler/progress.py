"""Live crawl progress: a rich table on a terminal, plain log lines elsewhere, stats saved as the run goes."""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass

from scrapy import signals
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

#: Seconds between redraws of the rich table (the log interval is a setting).
RICH_REFRESH = 0.5

PROGRESS_MODES = ("auto", "rich", "log", "off")

#: Rows of the live table beyond which finished sites are folded into one line.
MAX_TABLE_ROWS = 20


@dataclass
class SiteProgress:
    """The counters shown for one site, read from its crawler's stats."""

    site: str
    pages: int = 0
    stored: int = 0
    unchanged: int = 0
    skipped: int = 0
    not_articles: int = 0
    failures: int = 0
    retries: int = 0
    elapsed: float = 0.0
    done: bool = False

    @property
    def rate(self) -> float:
        """Pages fetched per minute."""
        return 60.0 * self.pages / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        return (f"{self.site}: {self.pages} pages fetched, {self.stored} articles stored, "
                f"{self.unchanged} unchanged, {self.skipped} skipped (already archived), "
                f"{self.not_articles} not articles, {self.failures} failures, {self.rate:.0f} pages/min")


NOT_ARTICLE_PREFIX = "warta/not_article/"


def skip_reasons(stats: dict) -> str:
    """The pages skipped as not articles, by reason, from a crawler's stats ("" when none).

    >>> skip_reasons({"warta/not_article": 3, "warta/not_article/index-page": 2, "warta/not_article/no-body": 1})
    ' (index-page 2, no-body 1)'
    """
    reasons = sorted(((k[len(NOT_ARTICLE_PREFIX):], int(v or 0)) for k, v in stats.items()
                      if k.startswith(NOT_ARTICLE_PREFIX)), key=lambda x: (-x[1], x[0]))
    return " (" + ", ".join(f"{r} {n}" for r, n in reasons) + ")" if reasons else ""


def site_progress(site: str, stats: dict, elapsed: float) -> SiteProgress:
    """Progress counters from a crawler's stats dict.

    >>> p = site_progress("kabar-lebak", {"downloader/response_count": 30, "warta/articles_inserted": 12,
    ...                                   "warta/failures/fetch": 2, "warta/failures/robots": 1}, 60.0)
    >>> (p.pages, p.stored, p.failures, round(p.rate))
    (30, 12, 3, 30)
    """
    stored = int(stats.get("warta/articles_inserted", 0) or 0) + int(stats.get("warta/articles_updated", 0) or 0)
    stored += int(stats.get("warta/redis/articles_sent", 0) or 0)
    return SiteProgress(
        site=site,
        pages=int(stats.get("downloader/response_count", 0) or 0),
        stored=stored,
        unchanged=int(stats.get("warta/articles_unchanged", 0) or 0),
        skipped=int(stats.get("warta/skipped_archived", 0) or 0),
        not_articles=int(stats.get("warta/not_article", 0) or 0),
        failures=sum(int(v or 0) for k, v in stats.items() if k.startswith("warta/failures/")),
        retries=int(stats.get("retry/count", 0) or 0),
        elapsed=elapsed,
    )


class _Board:
    """The one display of a process: every site's crawler registers a row in it."""

    def __init__(self):
        self.rows: dict[str, CrawlProgress] = {}
        self.live = None
        self.loop = None
        self._swapped: list = []

    def add(self, ext: CrawlProgress) -> None:
        self.rows[ext.site] = ext
        if ext.mode == "rich" and self.live is None:
            self._start_rich()

    def remove(self, ext: CrawlProgress) -> None:
        if self.live is not None:
            self.redraw()
        if all(e.closed for e in self.rows.values()):
            self._stop_rich()

    def table(self):
        from rich.table import Table

        table = Table(title="warta crawl", title_justify="left", box=None, padding=(0, 1))
        table.add_column("site", no_wrap=True)
        for name in ("pages", "stored", "skipped", "failures", "retries", "pages/min"):
            table.add_column(name, justify="right", no_wrap=True)
        table.add_column("", no_wrap=True)
        rows = [(ext.progress(), ext.closed) for ext in self.rows.values()]
        # with many sites (`warta crawl --sites`), finished ones fold into one line
        fold = len(rows) > MAX_TABLE_ROWS
        for p, closed in rows:
            if not (fold and closed):
                table.add_row(p.site, str(p.pages), str(p.stored), str(p.skipped + p.unchanged + p.not_articles),
                              str(p.failures), str(p.retries), f"{p.rate:.0f}", "done" if closed else "…")
        done = [p for p, closed in rows if closed]
        if fold and done:
            table.add_row(f"{len(done)} sites done", *(str(sum(getattr(p, f) for p in done)) for f in ("pages", "stored")),
                          str(sum(p.skipped + p.unchanged + p.not_articles for p in done)),
                          *(str(sum(getattr(p, f) for p in done)) for f in ("failures", "retries")), "", "done")
        if len(rows) > 1:
            table.add_row("total", *(str(sum(getattr(p, f) for p, _ in rows)) for f in ("pages", "stored")),
                          str(sum(p.skipped + p.unchanged + p.not_articles for p, _ in rows)),
                          *(str(sum(getattr(p, f) for p, _ in rows)) for f in ("failures", "retries")),
                          f"{sum(p.rate for p, _ in rows):.0f}", "", style="bold")
        return table

    def redraw(self) -> None:
        if self.live is not None:
            self.live.update(self.table(), refresh=True)

    def _start_rich(self) -> None:
        from rich.console import Console
        from rich.live import Live
        from twisted.internet import task

        self.live = Live(self.table(), console=Console(), auto_refresh=False, redirect_stdout=False,
                         redirect_stderr=True, transient=False)
        self.live.start()
        # Scrapy's log handler still writes to the real stderr; point it at the live
        # display's proxy so log lines print above the table instead of through it.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.__stderr__:
                self._swapped.append(handler)
                handler.setStream(sys.stderr)
        self.loop = task.LoopingCall(self.redraw)
        self.loop.start(RICH_REFRESH, now=False)

    def _stop_rich(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.loop = None
        if self.live is not None:
            self.live.stop()
            self.live = None
        for handler in self._swapped:
            handler.setStream(sys.__stderr__)
        self._swapped.clear()


BOARD = _Board()


def _show_progress_lines(settings) -> None:
    """Let this module's INFO lines through when the crawl is quiet (``LOG_LEVEL`` above INFO).

    Quiet is warta's default (``warta crawl`` without ``-v``): Scrapy's own INFO
    lines are hidden, and the progress lines, one per interval and site, are all
    that a crawl off a terminal prints besides warnings and errors.
    """
    level = settings.get("LOG_LEVEL")
    number = logging.getLevelName(str(level).upper()) if not isinstance(level, int) else level
    if not isinstance(number, int) or number <= logging.INFO or logger.handlers:
        return
    log_file = settings.get("LOG_FILE")
    handler = (logging.FileHandler(log_file, encoding=settings.get("LOG_ENCODING") or "utf-8") if log_file
               else logging.StreamHandler(sys.stderr))
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    handler.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


class CrawlProgress:
    """Extension showing a crawl's progress and saving its stats into ``crawls`` as it runs.

    ``WARTA_PROGRESS`` picks the display (``auto``: rich on a terminal, else log
    lines every ``WARTA_PROGRESS_INTERVAL`` seconds; ``off``: none). With a
    ``WARTA_CRAWL_ID`` and an archive, the stats are saved into that ``crawls``
    row every interval, so a crawl that is killed still shows how far it got.

    :raises NotConfigured: when ``WARTA_PROGRESS`` is not one of auto, rich, log, off.
    """

    def __init__(self, crawler):
        settings = crawler.settings
        mode = str(settings.get("WARTA_PROGRESS") or "auto").lower()
        if mode not in PROGRESS_MODES:
            raise NotConfigured(f"WARTA_PROGRESS must be one of {', '.join(PROGRESS_MODES)}, got {mode!r}")
        if mode == "auto":
            mode = "rich" if sys.stdout.isatty() else "log"
        self.mode = mode
        if mode == "log":
            _show_progress_lines(settings)
        self.interval = settings.getfloat("WARTA_PROGRESS_INTERVAL")
        if self.interval <= 0:
            raise NotConfigured(f"WARTA_PROGRESS_INTERVAL must be > 0, got {self.interval!r}")
        self.crawler = crawler
        self.crawl_id = settings.getint("WARTA_CRAWL_ID") or None
        self.archive_path = None if settings.get("WARTA_REDIS_URL") else settings.get("WARTA_ARCHIVE")
        self.site = "?"
        self.started = time.monotonic()
        self.closed = False
        self.closed_at: float | None = None
        self.loop = None
        #: The counters at the close; the crawler is let go then (a run over hundreds of
        #: sites keeps a row per site, not every finished crawler).
        self.final: SiteProgress | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def progress(self) -> SiteProgress:
        if self.final is not None:
            return self.final
        end = self.closed_at if self.closed_at is not None else time.monotonic()
        p = site_progress(self.site, self.crawler.stats.get_stats(), end - self.started)
        p.done = self.closed
        return p

    def spider_opened(self, spider):
        from twisted.internet import task

        self.site = getattr(spider, "site", spider.name)
        self.started = time.monotonic()
        if self.mode != "off":
            BOARD.add(self)
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def tick(self) -> None:
        if self.mode == "log":
            logger.info("progress %(line)s", {"line": self.progress().line()})
        self.checkpoint()

    def checkpoint(self) -> None:
        """Save the stats so far into this run's ``crawls`` row (nothing else is touched)."""
        if not (self.crawl_id and self.archive_path):
            return
        import sqlite3

        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, int | float | str)}
        try:
            conn = sqlite3.connect(self.archive_path, timeout=5)
            try:
                with conn:
                    row = conn.execute("select stats from crawls where id = ?", [self.crawl_id]).fetchone()
                    if row is None:
                        return
                    merged = json.loads(row[0] or "{}")
                    merged[self.site] = stats
                    conn.execute("update crawls set stats = ? where id = ?",
                                 [json.dumps(merged, default=str, sort_keys=True), self.crawl_id])
            finally:
                conn.close()
        except sqlite3.Error as e:  # progress must never break a crawl
            logger.debug("could not save progress of crawl %(id)s: %(e)s", {"id": self.crawl_id, "e": e})

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.closed = True
        self.closed_at = time.monotonic()
        self.final = self.progress()
        self.crawler = None
        if self.mode == "log":
            logger.info("finished (%(reason)s) %(line)s", {"reason": reason, "line": self.progress().line()})
        if self.mode != "off":
            BOARD.remove(self)
