"""Scrapy settings for warta, with every WARTA_* setting documented in one place.

Defaults are polite: robots.txt obeyed, AutoThrottle on, at most two requests
at a time per domain, a user agent that names warta and a contact URL.
Override any of them with ``-s NAME=VALUE`` (scrapy) or ``--set NAME=VALUE`` (warta crawl).
"""

BOT_NAME = "warta"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- WARTA_* settings, alphabetical -------------------------------------------------

# Default: "archive.db". Path of the SQLite archive a crawl writes to.
WARTA_ARCHIVE = "archive.db"

# Default: 16. Most article candidates sent to a page -> article worker in one batch
# (pipelines/parallel.py; 8 and 16 crawl alike in scripts/bench_crawl.py).
WARTA_BATCH_SIZE = 16

# Default: "https://github.com/warta-project/warta". Contact URL put in the user agent,
# so a site operator can reach whoever runs the crawl. Set it to your own page.
WARTA_CONTACT_URL = "https://github.com/warta-project/warta"

# Default: None. Id of the row in `crawls` this run reports into (set by `warta crawl`).
WARTA_CRAWL_ID = None

# Default: None (``crawls/`` next to the archive). Folder holding one resumable crawl
# state per site (``<folder>/<slug>/``, a Scrapy JOBDIR); "" turns resuming off.
WARTA_JOBDIR = None

# Default: 0 (no limit). Stop a site's crawl after this many articles were stored.
WARTA_MAX_ARTICLES = 0

# Default: "auto". Live progress: "rich" (a table redrawn in place), "log" (plain log
# lines), "off"; "auto" picks rich when stdout is a terminal, else log lines.
WARTA_PROGRESS = "auto"

# Default: 10 (seconds). How often progress is logged (log mode) and the run's stats
# are saved into its `crawls` row, so a killed run still shows how far it got.
WARTA_PROGRESS_INTERVAL = 10

# Default: 5 (seconds). A Redis worker stops once the shared frontier has been empty,
# and no worker of the site has held a leased request, for this long.
WARTA_REDIS_IDLE_CLOSE = 5

# Default: None. Redis URL (redis://[:PASSWORD@]HOST[:PORT][/DB], rediss:// for TLS; the
# password may come from WARTA_REDIS_PASSWORD) of a shared frontier: the crawl runs as
# one scale-out worker and sends articles to `warta ingest` through Redis.
WARTA_REDIS_URL = None

# Default: False. Fetch article URLs already in the archive again; a changed article
# keeps its earlier content in `article_versions`.
WARTA_REFRESH = False

# Default: 300 (seconds). A Retry-After longer than this is not waited for: the
# request is given up at once and recorded in `failures`.
WARTA_RETRY_AFTER_MAX = 300

# Default: 2.0 (seconds). Wait before retry n is BASE * 2**(n-1), or the response's
# Retry-After when longer; 2, 4, 8 s with RETRY_TIMES = 3.
WARTA_RETRY_BACKOFF_BASE = 2.0

# Default: 60 (seconds). Upper bound of the exponential backoff between retries.
WARTA_RETRY_BACKOFF_MAX = 60.0

# Default: None. ISO date; discovery stops descending into sitemaps, feeds and index
# pages older than this, and older articles are not fetched.
WARTA_SINCE = None

# Default: 16. Sites crawled (or discovered, or checked) at the same time by one run;
# the others wait their turn. Politeness is per site either way; this bounds the
# memory and sockets of a run over hundreds of sites (`warta crawl --sites FILE`).
WARTA_SITES_AT_ONCE = 16

# Default: {}. Maps a profile slug to the origin actually fetched (e.g. a mirror or the
# bundled demo on 127.0.0.1). Stored URLs keep the profile's public base_url.
WARTA_SITE_ORIGINS = {}

# Default: None (the WARTA_WORKERS environment variable, else one per core). Worker
# processes running page -> article beside the crawl; 0 runs it on the reactor thread.
WARTA_WORKERS = None

# --- Politeness ----------------------------------------------------------------------

ROBOTSTXT_OBEY = True
USER_AGENT = f"warta/0.1 (+{WARTA_CONTACT_URL})"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# 10 MB: real article pages are well under 1 MB; larger responses are cancelled and
# recorded as failures (reason too-large), never parsed.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A request that runs out of retries is recorded in `failures`; a warning is enough.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
REDIRECT_MAX_TIMES = 10

# --- Components ----------------------------------------------------------------------

ITEM_PIPELINES = {"crawler.archiving.ArchivePipeline": 300}
DOWNLOADER_MIDDLEWARES = {
    # Every request waits for its host's robots.txt (Scrapy 2.19's own middleware lets the
    # third and later waiting requests through: scrapy/scrapy#6802).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsTxtGuard": 100,
    # Backoff between retries, honouring Retry-After (replaces Scrapy's RetryMiddleware).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.BackoffRetryMiddleware": 550,
    # Sees 3xx responses before RedirectMiddleware (600): fails a -> b -> a loops and redirects
    # to other sites (recorded), keeps redirects to the site's public address on a mirror.
    "crawler.retry.RedirectLoopMiddleware": 650,
}
SPIDER_MIDDLEWARES = {"crawler.incremental.SkipArchivedMiddleware": 950}
EXTENSIONS = {
    "crawler.progress.CrawlProgress": 500,
    "crawler.incremental.CrawlState": 510,
}

# Default here: 8 MB (Scrapy's is 5 MB). Bytes of responses whose items are still in the
# item pipelines; past it Scrapy stops fetching (back-pressure). Page -> article runs in
# worker processes, so an item waits ~0.3 s for its batch: at 100 pages/s of 100 KB that
# is ~3 MB in flight, which 5 MB covers with too little room for a slow batch. Tuned with
# scripts/bench_crawl.py: 8 and 16 MB crawl alike, 16 MB costs RSS when workers lag.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 8_000_000

# Scrapy's own defaults we rely on, made explicit.
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote-control server runs Python sent over HTTP and writes job files
# into the home folder; a long crawl on a shared machine needs neither.
REMOTE_CONTROL_ENABLED = False
