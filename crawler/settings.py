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
# (pipelines/parallel.py; 8..32 perform the same in scripts/bench_crawl.py).
WARTA_BATCH_SIZE = 16

# Default: "https://github.com/warta-project/warta". Contact URL put in the user agent,
# so a site operator can reach whoever runs the crawl. Set it to your own page.
WARTA_CONTACT_URL = "https://github.com/warta-project/warta"

# Default: None. Id of the row in `crawls` this run reports into (set by `warta crawl`).
WARTA_CRAWL_ID = None

# Default: 0 (no limit). Stop a site's crawl after this many articles were stored.
WARTA_MAX_ARTICLES = 0

# Default: False. Fetch article URLs already in the archive again; a changed article
# keeps its earlier content in `article_versions`.
WARTA_REFRESH = False

# Default: None. ISO date; discovery stops descending into sitemaps, feeds and index
# pages older than this, and older articles are not fetched.
WARTA_SINCE = None

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
# 25 MB: larger responses are cancelled and recorded as failures, never parsed.
DOWNLOAD_MAXSIZE = 25 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10

# --- Components ----------------------------------------------------------------------

ITEM_PIPELINES = {"crawler.archiving.ArchivePipeline": 300}
DOWNLOADER_MIDDLEWARES = {}
SPIDER_MIDDLEWARES = {"crawler.incremental.SkipArchivedMiddleware": 950}
EXTENSIONS = {}

# Scrapy's own defaults we rely on, made explicit.
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
