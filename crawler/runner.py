"""Run crawls in-process: one Scrapy crawler per site, one crawl row for the run."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import signal
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from pipelines import archive
from pipelines.errors import ArchiveError, InvalidSetting, WartaError
from pipelines.profiles import Profile

logger = logging.getLogger(__name__)


#: Exit status of ``warta crawl``: every page found was fetched and stored, or is a
#: page that is not an article (robots.txt refusals are obeyed, not failures).
EXIT_OK = 0
#: An error stopped the run or kept it from starting (a one-line ``Error:`` message;
#: click uses 2 for a bad command line), or a site could not be crawled at all.
EXIT_ERROR = 1
#: Finished with losses: at least one fetched page or article could not be stored
#: (disk full, read-only or broken archive), or its failure could not be recorded.
EXIT_LOSSES = 3
#: Finished, but some pages could not be fetched (HTTP errors, timeouts, too large);
#: they are in ``failures`` and the next run tries them again.
EXIT_INCOMPLETE = 4
#: Stopped before the end (Ctrl-C, SIGTERM): run the same command to continue. (A Redis
#: worker stopped cleanly exits 0: its leased requests went back to the shared frontier.)
EXIT_INTERRUPTED = 5

#: Failure stages that mean a page was not fetched (robots refusals are not counted).
FETCH_STAGES = ("discover", "fetch")


@dataclass
class CrawlReport:
    """What a finished run did, per site and in total.

    ``crawl_id`` is None for a Redis worker (its articles reach the archive
    through ``warta ingest``, which keeps the ``crawls`` row); ``resume`` maps
    each site to fresh, resumed or recovered (see :mod:`crawler.incremental`).
    ``save_error`` says why the run's stats could not be saved in ``crawls``.
    """

    crawl_id: int | None
    archive_path: str
    sites: list[str]
    stats: dict[str, dict] = field(default_factory=dict)
    status: str = "finished"
    elapsed: float = 0.0
    resume: dict[str, str] = field(default_factory=dict)
    redis_url: str | None = None
    #: Sites discovered from their address in this run, with what was found.
    discovered: dict[str, str] = field(default_factory=dict)
    #: Sites that could not be crawled at all (nothing discovered, a crash), with why.
    site_errors: dict[str, str] = field(default_factory=dict)
    #: Sites not started because the run was stopped first.
    not_started: list[str] = field(default_factory=list)
    save_error: str | None = None

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

    @property
    def not_stored(self) -> int:
        """Fetched pages and articles that are not in the archive because the write failed."""
        return self.total("warta/failures/store")

    @property
    def unrecorded(self) -> int:
        """Failures that could not even be written to ``failures``."""
        return self.total("warta/unrecorded_failures")

    @property
    def not_fetched(self) -> int:
        return sum(self.total(f"warta/failures/{stage}") for stage in FETCH_STAGES)

    def store_causes(self) -> dict[str, int]:
        """Failed stores by cause (``disk-full``, ``read-only`` ...)."""
        causes: dict[str, int] = {}
        for site_stats in self.stats.values():
            for key, value in site_stats.items():
                if key.startswith("warta/store_failed/"):
                    cause = key.rsplit("/", 1)[1]
                    causes[cause] = causes.get(cause, 0) + int(value or 0)
        return causes

    @property
    def exit_code(self) -> int:
        """The exit status of the run (see :data:`EXIT_OK` and the codes after it)."""
        if self.not_stored or self.unrecorded or self.save_error:
            return EXIT_LOSSES
        if self.status == "failed" or self.site_errors:
            return EXIT_ERROR
        if self.status == "paused" and self.redis_url:
            return EXIT_OK  # a worker that left cleanly handed its work back to the shared frontier
        if self.status in ("paused", "interrupted") or self.not_started:
            return EXIT_INTERRUPTED
        return EXIT_INCOMPLETE if self.not_fetched else EXIT_OK


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
    timezone: str | None = None,
) -> CrawlReport:
    """Crawl ``sites`` into the archive and return what was done.

    Each entry of ``sites`` is a profile slug, a family slug (all its hosts), or a
    site's address: a URL that no profile owns is discovered first, in memory, as
    `warta add-site` would (``timezone`` is then the zone to assume; see
    :func:`crawler.discovery.discover`). At most ``WARTA_SITES_AT_ONCE`` sites run
    at a time, each with its own politeness (per-host slots, AutoThrottle); a site
    that fails (nothing discovered, its host unreachable) is reported in
    ``report.site_errors`` and never stops the others.

    Each site keeps a resumable state in ``<jobdir>/<slug>/`` (default
    ``crawls/`` next to the archive; ``jobdir=""`` turns it off): run the same
    call again after Ctrl-C or a crash and it continues. With ``redis_url`` the
    process is one worker of a shared Redis frontier instead, and its articles
    go to Redis for ``warta ingest`` (the archive is not opened at all).

    Runs Twisted's reactor, so it can be called once per process (the CLI and
    tests run it in their own process).

    :raises ProfileNotFound: when a slug names no profile or family.
    :raises BadSiteList: when an entry is neither a slug nor a web address.
    :raises InvalidSetting: when a setting, a WARTA_* environment variable or an
        origin is wrong (nothing has started yet).
    :raises ArchiveError: when the archive cannot be opened or written.
    :raises CrawlLocked: when another crawl of a site is running on the same state folder.

    Example usage::

        report = run_crawl(["kabar-lebak"], "archive.db", since="2019-11-01")
        report.articles_stored
    """
    from crawler.config import check_environment, check_settings

    started = time.monotonic()
    plans = plan_sites(sites)
    slugs = [p.slug for p in plans]
    if redis_url and any(p.profile is None for p in plans):
        raise BadSiteList("a site given by its address has no profile the other workers could read: "
                          "add it with `warta add-site URL` first")
    check_environment()
    check_settings(overrides)
    unknown = sorted(set(origins or {}) - set(slugs))
    if unknown:
        raise InvalidSetting(f"--origin {unknown[0]}=...: {unknown[0]!r} is not a site of this crawl "
                             f"({', '.join(slugs)})")
    settings = crawl_settings(archive_path, since=since, max_articles=max_articles, refresh=refresh,
                              origins=origins, overrides=overrides)
    if jobdir is None:
        jobdir = settings.get("WARTA_JOBDIR")
    state_root = None if redis_url or jobdir == "" else (Path(jobdir) if jobdir else default_jobdir(archive_path))
    options = {"since": since, "max_articles": max_articles, "refresh": refresh, "origins": origins or {},
               "state_root": str(state_root.resolve()) if state_root else None, "redis": redis_url,
               **(overrides or {})}
    report = CrawlReport(crawl_id=None, archive_path=str(archive_path), sites=slugs, redis_url=redis_url)
    with _signals_held() as release:
        try:
            if redis_url:
                settings.set("WARTA_REDIS_URL", redis_url, priority="cmdline")
            else:
                report.crawl_id = _open_crawl(archive_path, slugs, options, state_root, report.resume)
                settings.set("WARTA_CRAWL_ID", report.crawl_id, priority="cmdline")
            _crawl_sites(report, plans, settings, state_root, redis_url, timezone, release)
        except KeyboardInterrupt:
            report.status = "interrupted"
        except Exception:
            report.status = "failed"
            raise
        finally:
            report.elapsed = time.monotonic() - started
            if report.crawl_id is not None:
                report.save_error = _close_crawl(archive_path, report)
    if report.crawl_id is not None:
        from pipelines.derived import sync_after_crawl

        sync_after_crawl(archive_path)  # the new articles join their stories' near-duplicate groups
    return report


def _crawl_sites(report: CrawlReport, plans: list[SitePlan], settings: Settings, state_root: Path | None,
                 redis_url: str | None, timezone: str | None, release) -> None:
    """Run the crawlers of ``plans`` and fill ``report`` (stats, status) from them."""
    archive_path, crawl_id = report.archive_path, report.crawl_id
    finish_reasons: dict[str, str] = {}
    # the crawlers still running: one that finished leaves (its stats are copied into the report),
    # so a crawl of many sites does not keep every finished site's spider, settings and stats alive
    running: list[Crawler] = []

    def job(plan: SitePlan):
        async def run(process: _Process):
            from crawler.spiders.news import NewsSpider
            from crawler.spiders.probe import DiscoverySpider

            profile = plan.profile
            if profile is None:
                crawler = Crawler(DiscoverySpider, probe_settings(settings))
                await process.crawl(crawler, url=plan.url, slug=plan.slug, timezone=timezone)
                found = crawler.spider.result if crawler.spider else None
                if found is None or found.profile is None:
                    why = found.error if found is not None else "discovery failed (see the log)"
                    report.site_errors[plan.slug] = why
                    _record_site_failure(archive_path, crawl_id, plan.url, "discover", "no-profile", why)
                    return
                profile = found.profile
                report.discovered[plan.slug] = describe_discovery(found)
            if process.interrupted:
                return
            crawler = Crawler(NewsSpider, site_settings(settings, plan.slug, jobdir=state_root, redis_url=redis_url))
            running.append(crawler)
            await process.crawl(crawler, site=plan.slug, profile=profile)
            running.remove(crawler)
            stats = crawler.stats.get_stats() if crawler.stats else {}
            report.stats[plan.slug] = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
            finish_reasons[plan.slug] = str(stats.get("finish_reason"))

        return run

    try:
        interrupted = _run_jobs(settings, [(p.slug, job(p)) for p in plans], report.site_errors,
                                keep_pool=not redis_url, on_start=release)
    finally:
        from crawler.archiving import stop_after_forced_shutdown

        # After a forced stop the spiders never closed: their pool and writer threads
        # would keep the process from exiting. (Nothing is left after a clean end.)
        stop_after_forced_shutdown()
        forced = any(c.stats and c.stats.get_value("finish_reason") is None for c in running)
        if forced:
            for crawler in running:  # what they had done so far
                slug = getattr(crawler.spider, "site", None)
                if slug and slug not in report.stats and crawler.stats:
                    report.stats[slug] = {k: v for k, v in crawler.stats.get_stats().items()
                                          if isinstance(v, int | float | str)}
    report.not_started = [s for s in report.sites if s not in report.stats and s not in report.site_errors]
    status = "finished"
    for reason in finish_reasons.values():
        if reason == "shutdown":
            status = "paused"
        elif reason not in ("None", "finished", "max_articles") and status == "finished":
            status = reason
    if forced:  # stopped by force mid-crawl: its state is that of a crash
        status = "interrupted"
    elif interrupted and status == "finished":
        status = "paused" if report.not_started else "interrupted"
    report.status = status


class BadSiteList(WartaError):
    """Raised when a site list names something that is neither a profile slug nor a web address."""


@dataclass
class SitePlan:
    """One site of a run: its profile, or the address to discover it from."""

    slug: str
    profile: Profile | None = None
    url: str | None = None


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def looks_like_url(text: str) -> bool:
    """True for a site's address (``https://...``, ``kabar.example``), False for a slug.

    >>> looks_like_url("https://jogja.tribunnews.com"), looks_like_url("kabarlebak.com"), looks_like_url("kabar-lebak")
    (True, True, False)
    """
    return "://" in text or "." in text


def plan_sites(names: list[str]) -> list[SitePlan]:
    """The sites of a run: slugs (a family slug stands for its hosts) and addresses, once each.

    An address owned by a profile (its host is in the profile's ``domains``) uses that
    profile; any other is discovered when its turn comes.

    :raises ProfileNotFound: for a slug that names no profile or family.
    :raises BadSiteList: for an entry that is neither.
    """
    from crawler.discovery import normalize_start, site_slug
    from pipelines.profiles import GENERIC, expand_slugs, load_profile, profile_for_url

    plans: dict[str, SitePlan] = {}
    for name in names:
        name = name.strip()
        if looks_like_url(name):
            try:
                url = normalize_start(name)
            except ValueError as e:
                raise BadSiteList(str(e)) from None
            owner = profile_for_url(url)
            if owner is not GENERIC:
                plans.setdefault(owner.slug, SitePlan(owner.slug, owner))
            else:
                slug = site_slug(url)
                plans.setdefault(slug, SitePlan(slug, url=url))
        elif _SLUG.match(name):
            for slug in expand_slugs([name]):
                plans.setdefault(slug, SitePlan(slug, load_profile(slug)))
        else:
            raise BadSiteList(f"not a site slug or a web address: {name!r}")
    return list(plans.values())


def read_sites_file(path: str | Path) -> list[str]:
    """The entries of a sites file: one slug or address per line; blank lines and ``#`` comments skipped.

    Every line is checked before anything is crawled, so that a typo on line 180
    is known at once, not after hours.

    :raises BadSiteList: when the file cannot be read or a line is neither a slug nor an address
        (all bad lines are named, with their numbers).
    :raises ProfileNotFound: never: unknown slugs are reported as a BadSiteList too.
    """
    from pipelines.errors import ProfileNotFound

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BadSiteList(f"{path}: cannot read the sites file ({e})") from None
    entries, bad = [], []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split(" #")[0].strip()
        if not entry or entry.startswith("#"):
            continue
        try:
            plan_sites([entry])
        except (BadSiteList, ProfileNotFound) as e:
            bad.append(f"line {number}: {e}")
            continue
        entries.append(entry)
    if bad:
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise BadSiteList(f"{path}: " + "; ".join(bad[:5]) + more)
    if not entries:
        raise BadSiteList(f"{path}: no site in the file")
    return entries


def describe_discovery(found) -> str:
    """One line saying what discovery found: the sources used, the zone and the whole-story view."""
    p = found.profile
    parts = [f"{kind} {', '.join(urls)}" for kind, urls in (("sitemaps", p.sitemaps), ("feeds", p.feeds),
                                                           ("index pages", p.index_pages)) if urls]
    parts.append(f"zone {found.zone_note.split(':')[0]}")
    if p.whole_story:
        parts.append(f"whole story {p.whole_story}")
    return "discovered " + "; ".join(parts)


def probe_settings(base: Settings) -> Settings:
    """Settings of a discovery or check crawler: the crawl's politeness, none of its archive machinery."""
    settings = base.copy()
    settings.setdict({
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {"crawler.progress.CrawlProgress": None, "crawler.incremental.CrawlState": None},
        "SPIDER_MIDDLEWARES": {"crawler.incremental.SkipArchivedMiddleware": None},
        "JOBDIR": None,
    }, priority="cmdline")
    return settings


def _record_site_failure(archive_path, crawl_id: int | None, url: str | None, stage: str, reason: str,
                         detail: str) -> None:
    if crawl_id is None:
        return
    db = archive.open_archive(archive_path)
    try:
        archive.record_failure(db, url or "", stage, reason, detail, crawl_id)
    finally:
        db.close()


class _Process(CrawlerProcess):
    """A CrawlerProcess that remembers a Ctrl-C, so that no new site starts after one."""

    interrupted = False

    def _signal_shutdown(self, signum, _):
        self.interrupted = True
        super()._signal_shutdown(signum, _)

    def _signal_kill(self, signum, _):
        self.interrupted = True
        super()._signal_kill(signum, _)


def _run_jobs(settings: Settings, jobs: list[tuple[str, object]], errors: dict[str, str], *,
              keep_pool: bool = False, on_start=None) -> str:
    """Run ``jobs`` (``(name, async run(process))``), ``WARTA_SITES_AT_ONCE`` at a time, on one reactor.

    A job that raises is logged and its name put in ``errors``; the others go on.
    ``on_start`` is called once the reactor runs (Scrapy's signal handlers are in place then).
    :returns: "" when every job ran, "interrupted" after a Ctrl-C (no new job was started).
    """
    from scrapy.utils.reactor import install_reactor, is_reactor_installed

    if not is_reactor_installed():
        install_reactor(settings["TWISTED_REACTOR"], settings.get("ASYNCIO_EVENT_LOOP"))
    from twisted.internet import defer, reactor

    process = _Process(settings)
    at_once = max(1, settings.getint("WARTA_SITES_AT_ONCE") or 1)
    semaphore = defer.DeferredSemaphore(at_once)

    def start(name: str, run) -> defer.Deferred:
        if process.interrupted:
            return defer.succeed(None)

        def failed(failure):
            logger.error("%(site)s failed: %(error)s", {"site": name, "error": failure.getErrorMessage()},
                         exc_info=(failure.type, failure.value, failure.getTracebackObject()))
            errors[name] = f"failed: {failure.getErrorMessage()}"

        return defer.ensureDeferred(run(process)).addErrback(failed)

    def stop(_):
        try:
            reactor.stop()
        except RuntimeError:  # already stopping (Ctrl-C)
            pass

    everything = defer.DeferredList([semaphore.run(start, name, run) for name, run in jobs])
    everything.addBoth(stop)
    if on_start is not None:
        reactor.addSystemEventTrigger("after", "startup", reactor.callLater, 0, on_start)
    if keep_pool:
        from crawler.archiving import hold_pool

        hold_pool(settings)
    try:
        if not everything.called:
            process.start(stop_after_crawl=False)
    except KeyboardInterrupt:
        process.interrupted = True
    finally:
        if keep_pool:
            from crawler.archiving import release_held_pool

            release_held_pool()
    return "interrupted" if process.interrupted else ""


def run_discovery(urls: list[str], *, slug: str | None = None, timezone: str | None = None, sample_size: int = 5,
                  overrides: dict | None = None) -> list:
    """Discover each site of ``urls`` (as `warta add-site` does) and return its :class:`~crawler.discovery.Discovery`.

    Sites are probed ``WARTA_SITES_AT_ONCE`` at a time, each politely; nothing is written.
    Runs Twisted's reactor: once per process.

    :param slug: the slug of the (single) site
    :raises ValueError: for a malformed URL or zone, or a slug given with several URLs.
    """
    from crawler.discovery import Discovery, normalize_start, site_slug
    from crawler.spiders.probe import DiscoverySpider
    from pipelines.profiles import normalize_zone

    if slug and len(urls) != 1:
        raise ValueError("a slug names one site: give one URL with --slug")
    if timezone:
        normalize_zone(timezone)
    starts = [normalize_start(u) for u in urls]
    settings = probe_settings(crawl_settings(overrides=overrides))
    results: dict[str, Discovery] = {}

    def job(url: str, name: str):
        async def run(process):
            crawler = Crawler(DiscoverySpider, settings)
            await process.crawl(crawler, url=url, slug=name, timezone=timezone, sample_size=sample_size)
            found = crawler.spider.result if crawler.spider else None
            results[url] = found or Discovery(start_url=url, slug=name, error="discovery failed (see the log)")

        return run

    errors: dict[str, str] = {}
    _run_jobs(settings, [(u, job(u, slug or site_slug(u))) for u in starts], errors)
    return [results.get(u) or Discovery(start_url=u, slug=slug or site_slug(u), error=errors.get(u, "not run"))
            for u in starts]


def run_check(profiles: list[Profile], *, origins: dict[str, str] | None = None, sample_size: int = 3,
              overrides: dict | None = None) -> list:
    """Check each profile against its live site (see :mod:`crawler.check`); results in the given order.

    Runs Twisted's reactor: once per process.
    """
    from crawler.check import CheckResult
    from crawler.spiders.probe import CheckSpider

    settings = probe_settings(crawl_settings(origins=origins, overrides=overrides))
    results: dict[str, CheckResult] = {}

    def job(profile: Profile):
        async def run(process):
            crawler = Crawler(CheckSpider, settings)
            await process.crawl(crawler, profile=profile, sample_size=sample_size)
            results[profile.slug] = crawler.spider.result if crawler.spider and crawler.spider.result else None

        return run

    errors: dict[str, str] = {}
    _run_jobs(settings, [(p.slug, job(p)) for p in profiles], errors)
    out = []
    for p in profiles:
        result = results.get(p.slug)
        if result is None:
            result = CheckResult(site=p.slug, family=p.family, base_url=p.base_url)
            result.worse("broken", errors.get(p.slug, "the check could not run (see the log)"))
        out.append(result)
    return out


#: The signals that stop a crawl.
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held():
    """Hold Ctrl-C and SIGTERM back from now until Scrapy's own handlers can stop the crawl cleanly.

    Yields the function that passes a held signal on to the handler then in
    place (Scrapy's, once the reactor runs: it stops the crawl cleanly). Without
    it, a SIGTERM during start-up killed the process at once and left the run's
    ``crawls`` row ``running``.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    held: list[int] = []

    def hold(signum, frame):
        held.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in STOP_SIGNALS}

    def release():
        for signum in held[:1]:
            handler = signal.getsignal(signum)
            if callable(handler) and handler is not hold:
                handler(signum, None)
        held.clear()

    try:
        yield release
    finally:
        for signum, handler in previous.items():
            if signal.getsignal(signum) is hold:
                signal.signal(signum, handler)


def _open_crawl(archive_path, sites: list[str], options: dict, state_root: Path | None,
                resume: dict[str, str]) -> int:
    """Start the run's ``crawls`` row and take the sites' state folders; return the row's id."""
    from crawler.incremental import prepare_jobdir

    db = archive.open_archive(archive_path)
    try:
        try:
            crawl_id = archive.start_crawl(db, sites, options)
        except sqlite3.Error as e:
            raise ArchiveError(f"{archive_path}: cannot start a crawl ({e})") from None
        if state_root is not None:
            try:
                for slug in sites:
                    resume[slug] = prepare_jobdir(state_root / slug, crawl_id, archive_path).outcome
            except BaseException as e:
                with contextlib.suppress(sqlite3.Error):
                    archive.finish_crawl(db, crawl_id, {}, status="interrupted" if isinstance(e, KeyboardInterrupt)
                                         else "refused")
                raise
            _close_dead_crawls(db, crawl_id, sites, options["state_root"])
        return crawl_id
    finally:
        db.close()


def _close_crawl(archive_path, report: CrawlReport) -> str | None:
    """Save the run's stats and status in its ``crawls`` row; the error, when that fails.

    Ctrl-C and SIGTERM are ignored meanwhile, so the row is never left ``running``.
    """
    stats = json.loads(json.dumps(report.stats, default=str))
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in STOP_SIGNALS} \
        if threading.current_thread() is threading.main_thread() else {}
    try:
        db = archive.open_archive(archive_path)
        try:
            archive.finish_crawl(db, report.crawl_id, stats, status=report.status)
        finally:
            db.close()
    except (sqlite3.Error, ArchiveError) as e:
        return str(e)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return None


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
