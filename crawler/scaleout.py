"""Scale-out on Redis: workers share a scrapy-redis frontier; articles reach one archive writer through Redis.

Keys, all on the Redis given by ``--redis redis://HOST:PORT/DB``:

- ``warta:<site>:requests`` (sorted set): the shared frontier (scrapy-redis PriorityQueue).
- ``warta:<site>:dupefilter`` (set): request fingerprints every worker checks before queueing.
- ``warta:<site>:workers`` (set) and ``warta:<site>:alive:<worker>`` (expiring keys): who is crawling.
- ``warta:<site>:archived`` (set): article URLs the archive holds, kept by ``warta ingest``;
  workers skip them (incremental crawling without access to the archive).
- ``warta:archive:queue`` (list): records waiting for the writer (articles with their
  compressed pages, non-article pages, failures, worker stats).
- ``warta:archive:processing`` (list): records the writer took but has not committed yet
  (the reliable-queue pattern: BLMOVE, write, then LREM).
- ``warta:archive:writer`` (expiring key): held by the one running ``warta ingest``.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import time
import uuid
import warnings
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured

from crawler.items import ArticlePages, FetchFailure
from pipelines.errors import RedisUnavailable, WriterBusy

logger = logging.getLogger(__name__)

# scrapy-redis 0.9.1 still passes spider= to the stats collector; Scrapy 2.19 warns on every request.
warnings.filterwarnings("ignore", message="Passing a 'spider' argument to StatsCollector", module="scrapy_redis")

ARCHIVE_QUEUE = "warta:archive:queue"
PROCESSING = "warta:archive:processing"
WRITER_LOCK = "warta:archive:writer"

#: Milliseconds a worker's liveness key lives; refreshed every HEARTBEAT seconds.
ALIVE_TTL_MS = 5000
HEARTBEAT = 1.0
#: Seconds between looks at the shared frontier while this worker is idle (Scrapy's
#: own heartbeat is 5 s, which would leave a worker idle while others fill the queue).
IDLE_POLL = 0.25
#: Milliseconds the writer lock lives; refreshed at least every second while ingesting.
WRITER_TTL_MS = 15000

RECORD_VERSION = 1


def queue_key(site: str) -> str:
    return f"warta:{site}:requests"


def dupefilter_key(site: str) -> str:
    return f"warta:{site}:dupefilter"


def archived_key(site: str) -> str:
    return f"warta:{site}:archived"


def workers_key(site: str) -> str:
    return f"warta:{site}:workers"


def alive_prefix(site: str) -> str:
    return f"warta:{site}:alive:"


def connect(redis_url: str):
    """A Redis client for ``redis_url`` (bytes responses).

    :raises RedisUnavailable: when the URL is not a redis:// URL or the server does not answer.
    """
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=10, socket_timeout=60)
        client.ping()
    except (ValueError, redis.RedisError) as e:
        raise RedisUnavailable(f"cannot use Redis at {redis_url}: {e}") from None
    return client


def check_redis_url(redis_url: str) -> None:
    """Fail early, with one line, when ``redis_url`` cannot be used.

    :raises RedisUnavailable: as :func:`connect`.
    """
    connect(redis_url).close()


def archived_urls(redis_url: str, site: str | None) -> set[str]:
    """Article URLs ``warta ingest`` has archived for ``site`` (for incremental crawling)."""
    if not site:
        return set()
    client = connect(redis_url)
    try:
        return {m.decode("utf-8") for m in client.sscan_iter(archived_key(site), count=5000)}
    finally:
        client.close()


def worker_settings(redis_url: str, site: str, base) -> dict:
    """Settings that turn one site's crawler into a worker of the shared Redis frontier."""
    pipelines = {k: v for k, v in base.getdict("ITEM_PIPELINES").items()
                 if not str(k).startswith("crawler.archiving.")}
    pipelines.update({"crawler.archiving.ArchivePipeline": None, "crawler.scaleout.RedisArchivePipeline": 300})
    extensions = dict(base.getdict("EXTENSIONS"))
    extensions.update({"crawler.incremental.CrawlState": None, "crawler.scaleout.FrontierWorker": 520})
    per_domain = base.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # Without it, the first worker to finish would wipe the shared queue and filter.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": queue_key(site),
        "SCHEDULER_DUPEFILTER_KEY": dupefilter_key(site),
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor on a pop; FrontierWorker waits instead
        "REDIS_URL": redis_url,
        "WARTA_REDIS_URL": redis_url,
        "WARTA_REDIS_SITE": site,
        "JOBDIR": None,
        "ITEM_PIPELINES": pipelines,
        "EXTENSIONS": extensions,
        # Take a few requests at a time from the shared frontier, not a whole
        # downloader's worth, so the other workers get their share.
        "CONCURRENT_REQUESTS": max(2, 2 * per_domain),
    }


# --- records sent from workers to the writer ----------------------------------------------


def encode_record(record: dict) -> bytes:
    """Serialise a record for the archive queue (pickle, zlib-compressed).

    Records travel only between warta processes of one deployment (as scrapy-redis
    requests do), so pickle keeps pages and articles exact.

    >>> decode_record(encode_record({"kind": "failure", "url": "https://kabarlebak.example/x/"}))["url"]
    'https://kabarlebak.example/x/'
    """
    return zlib.compress(pickle.dumps({"v": RECORD_VERSION, **record}, protocol=pickle.HIGHEST_PROTOCOL), 6)


def decode_record(data: bytes) -> dict:
    """Inverse of :func:`encode_record`."""
    return pickle.loads(zlib.decompress(data))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RedisArchivePipeline:
    """Worker side of the archive: page -> article here, then the record goes to Redis.

    Each :class:`ArticlePages` becomes an ``article`` record (the Article and its
    pages), a ``skipped`` record (a page that is not an article, with the reason)
    or a ``failure``; each :class:`FetchFailure` becomes a ``failure``. They are
    LPUSHed to ``warta:archive:queue``, where ``warta ingest`` picks them up.
    Stats: ``warta/redis/articles_sent``, ``warta/not_article``, ``warta/failures/<stage>``.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.redis_url = crawler.settings.get("WARTA_REDIS_URL")
        self.max_articles = crawler.settings.getint("WARTA_MAX_ARTICLES")
        self.sent = 0
        self.client = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("WARTA_REDIS_URL"):
            raise NotConfigured  # simply off, as Scrapy's own components: no warning
        return cls(crawler)

    def open_spider(self):
        self.client = connect(self.redis_url)

    def close_spider(self):
        if self.client is not None:
            self.client.close()

    def _push(self, record: dict) -> None:
        record.setdefault("id", uuid.uuid4().hex)
        record.setdefault("at", _now())
        self.client.lpush(ARCHIVE_QUEUE, encode_record(record))

    def _failure(self, site, url, stage, reason, detail="") -> None:
        self._push({"kind": "failure", "site": site, "url": url, "stage": stage, "reason": reason,
                    "detail": detail[:2000]})
        self.stats.inc_value(f"warta/failures/{stage}")

    def process_item(self, item):
        # The same page -> article step, and the same outcome kinds, as the local crawl's pool.
        from pipelines.parallel import Candidate, derive_candidate

        if isinstance(item, FetchFailure):
            self._failure(item.site, item.url, item.stage, item.reason, item.detail)
            raise DropItem(f"{item.url}: {item.stage} failed ({item.reason})", log_level="DEBUG")
        if not isinstance(item, ArticlePages):
            return item
        first = item.pages[0]
        outcome = derive_candidate(Candidate(site=item.site, pages=item.pages))
        if outcome.kind == "not-article":
            self._push({"kind": "skipped", "site": item.site, "page": first, "reason": outcome.reason,
                        "decision": outcome.decision})
            self.stats.inc_value("warta/not_article")
            self.stats.inc_value(f"warta/not_article/{outcome.reason}")
            raise DropItem(outcome.detail, log_level="DEBUG")
        if outcome.kind != "article":  # "failed" (binary, empty) or "error" (a bug in a rule)
            if outcome.kind == "error":
                logger.error("page -> article crashed on %(url)s: %(detail)s", {"url": first.url, "detail": outcome.detail})
            skip_reason = "error" if outcome.kind == "error" else outcome.reason
            self._push({"kind": "skipped", "site": item.site, "page": first, "reason": skip_reason})
            self._failure(item.site, first.url, "extract", outcome.reason, outcome.detail.split("\n")[0])
            raise DropItem(f"{first.url}: extraction failed ({outcome.reason})")
        article = outcome.article
        self._push({"kind": "article", "site": item.site, "article": article, "pages": item.pages,
                    "decision": outcome.decision})
        self.stats.inc_value("warta/redis/articles_sent")
        self.sent += 1
        if self.max_articles and self.sent >= self.max_articles:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_articles"))
        return {"canonical_url": article.canonical_url, "action": "sent"}


# --- the worker's lifecycle on the shared frontier ------------------------------------------

#: Join the site's workers; when no other worker is alive this starts a new run, and
#: an empty frontier's stale duplicate filter (from the previous run) is dropped so
#: discovery starts over. A non-empty frontier (workers were killed) is resumed.
_JOIN = """
local workers, prefix, queue, df, me, ttl = KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2]
for _, w in ipairs(redis.call('SMEMBERS', workers)) do
  if w ~= me and redis.call('EXISTS', prefix .. w) == 1 then
    redis.call('SADD', workers, me)
    redis.call('SET', prefix .. me, 1, 'PX', ttl)
    return 0
  end
  redis.call('SREM', workers, w)
end
redis.call('SADD', workers, me)
redis.call('SET', prefix .. me, 1, 'PX', ttl)
if redis.call('ZCARD', queue) == 0 then redis.call('DEL', df) end
return 1
"""

#: Leave; the last worker out of an empty frontier clears the duplicate filter, so
#: the next run discovers anew (archived articles are skipped through the archived set).
_LEAVE = """
local workers, prefix, queue, df, me = KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1]
redis.call('SREM', workers, me)
redis.call('DEL', prefix .. me)
for _, w in ipairs(redis.call('SMEMBERS', workers)) do
  if redis.call('EXISTS', prefix .. w) == 1 then return 0 end
  redis.call('SREM', workers, w)
end
if redis.call('ZCARD', queue) == 0 then redis.call('DEL', df) return 1 end
return 0
"""


class FrontierWorker:
    """Extension that makes a crawler a well-behaved worker of a shared Redis frontier.

    - joins the site's workers when built (before any request is queued): the first
      worker of a run drops the previous run's duplicate filter if the frontier is
      empty (see ``_JOIN``);
    - keeps a liveness key fresh every second;
    - while idle, looks at the shared frontier every 0.25 s instead of Scrapy's 5 s,
      and stops only once the frontier has been empty, and no other live worker has
      had a request in flight (their downloads may queue more), for
      ``WARTA_REDIS_IDLE_CLOSE`` seconds (``DontCloseSpider`` until then);
    - on close, sends its stats to the writer and, if it is the last worker, clears
      the duplicate filter (see ``_LEAVE``).

    :raises NotConfigured: without ``WARTA_REDIS_URL``, or with a negative
        ``WARTA_REDIS_IDLE_CLOSE``.
    """

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.site = settings.get("WARTA_REDIS_SITE")
        self.idle_close = settings.getfloat("WARTA_REDIS_IDLE_CLOSE")
        if self.idle_close < 0:
            raise NotConfigured(f"WARTA_REDIS_IDLE_CLOSE must be >= 0, got {self.idle_close!r}")
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.client = connect(settings.get("WARTA_REDIS_URL"))
        self.keys = [workers_key(self.site), alive_prefix(self.site), queue_key(self.site), dupefilter_key(self.site)]
        self.idle_since: float | None = None
        self.loop = None
        self.new_run = bool(self.client.eval(_JOIN, 4, *self.keys, self.worker_id, ALIVE_TTL_MS))
        logger.info("%(site)s: worker %(id)s %(what)s", {
            "site": self.site, "id": self.worker_id,
            "what": "starts a new run" if self.new_run else "joins the running workers"})

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("WARTA_REDIS_URL"):
            raise NotConfigured  # simply off, as Scrapy's own components: no warning
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        from twisted.internet import task

        self.crawler.stats.set_value("warta/redis/worker", self.worker_id)
        self.loop = task.LoopingCall(self.heartbeat)
        self.loop.start(HEARTBEAT, now=False)

    def _in_flight(self) -> int:
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        return len(getattr(downloader, "active", ())) if downloader is not None else 0

    def heartbeat(self, in_flight: int | None = None) -> None:
        """Refresh this worker's liveness key; its value is the number of requests in flight."""
        busy = self._in_flight() if in_flight is None else in_flight
        self.client.set(self.keys[1] + self.worker_id, busy, px=ALIVE_TTL_MS)
        self.client.sadd(self.keys[0], self.worker_id)

    def _others_busy(self) -> bool:
        """True when another live worker of this site has requests in flight (they may queue more)."""
        others = [w for w in self.client.smembers(self.keys[0]) if w.decode() != self.worker_id]
        if not others:
            return False
        values = self.client.mget([self.keys[1] + w.decode() for w in others])
        return any(v is not None and int(v) > 0 for v in values)

    def spider_idle(self, spider):
        now = time.monotonic()
        self.heartbeat(0)
        if self.client.zcard(self.keys[2]) > 0 or self._others_busy():
            self.idle_since = None
        elif self.idle_since is None:
            self.idle_since = now
        if self.idle_since is not None and now - self.idle_since >= self.idle_close:
            logger.info("%(site)s: the shared frontier has been empty and the other workers idle for %(s).0f s; "
                    "worker stops",
                        {"site": self.site, "s": now - self.idle_since})
            return
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule(IDLE_POLL)
        raise DontCloseSpider

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, int | float | str)}
        self.client.lpush(ARCHIVE_QUEUE, encode_record({
            "kind": "stats", "id": uuid.uuid4().hex, "at": _now(), "site": self.site,
            "worker": self.worker_id, "reason": reason, "stats": stats}))
        last = self.client.eval(_LEAVE, 4, *self.keys, self.worker_id)
        if last:
            logger.info("%(site)s: last worker out; the duplicate filter is cleared for the next run",
                        {"site": self.site})
        self.client.close()


# --- the writer ------------------------------------------------------------------------------


@dataclass
class IngestReport:
    """What one ``warta ingest`` session stored."""

    crawl_id: int
    archive_path: str
    counts: dict[str, int] = field(default_factory=dict)
    workers: dict[str, dict] = field(default_factory=dict)
    elapsed: float = 0.0

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)


def archive_record(db, record: dict, crawl_id: int | None) -> str:
    """Write one record from the archive queue; return what was done.

    Idempotent, so a record written again after a writer crash changes nothing:
    articles are upserted on the canonical URL (the same content is ``unchanged``),
    pages on URL + body hash, and a failure is skipped when the same URL, stage,
    reason and worker time are already recorded.
    """
    from pipelines import archive

    kind = record.get("kind")
    if kind == "article":
        return archive.archive_article(db, record["article"], record["pages"], crawl_id,
                                       record.get("decision")).action
    if kind == "skipped":
        archive.archive_skipped_page(db, record["page"], record["reason"], crawl_id, record.get("decision"))
        return "skipped"
    if kind == "failure":
        with db.atomic():
            seen = db.execute("select 1 from failures where url is ? and stage = ? and reason = ? and at = ?",
                              [record["url"], record["stage"], record["reason"], record["at"]]).fetchone()
            if seen:
                return "failure-seen"
            db["failures"].insert({"crawl_id": crawl_id, "url": record["url"], "stage": record["stage"],
                                   "reason": record["reason"], "detail": record.get("detail", ""),
                                   "at": record["at"]})
        return "failure"
    if kind == "stats":
        return "stats"
    raise ValueError(f"unknown record kind {kind!r}")


def _seed_archived(client, db) -> int:
    from pipelines import archive

    sites = [r[0] for r in db.execute("select distinct site from articles where site is not null")]
    total = 0
    for site in sites:
        urls = sorted(archive.known_urls(db, site))
        for i in range(0, len(urls), 1000):
            client.sadd(archived_key(site), *urls[i:i + 1000])
        total += len(urls)
    return total


def ingest(redis_url: str, archive_path: str, *, idle_exit: float | None = 10.0, follow: bool = False,
           progress=None) -> IngestReport:
    """Move records from Redis into the archive until the queue stays empty (or forever).

    The one writer of a scale-out crawl. Records are taken with BLMOVE onto a
    processing list, written in a transaction, then removed from it, so a writer
    killed mid-way loses nothing: the next ``ingest`` writes the leftovers first,
    idempotently. While no writer runs, records wait in Redis.

    :param redis_url: the workers' Redis
    :param archive_path: the archive file
    :param idle_exit: stop after the queue has been empty this many seconds
    :param follow: never stop (Ctrl-C ends it cleanly)
    :param progress: called with the report after each record, if given
    :raises RedisUnavailable: when Redis cannot be used
    :raises WriterBusy: when another ingest holds the writer lock

    Example usage::

        report = ingest("redis://127.0.0.1:6379/0", "archive.db", idle_exit=30)
        report.count("inserted")
    """
    from pipelines import archive

    client = connect(redis_url)
    me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    if not client.set(WRITER_LOCK, me, nx=True, px=WRITER_TTL_MS):
        holder = client.get(WRITER_LOCK)
        raise WriterBusy(f"{redis_url}: another warta ingest ({(holder or b'?').decode()}) is writing; one writer only")
    started = time.monotonic()
    db = archive.open_archive(archive_path)
    crawl_id = archive.start_crawl(db, [], {"ingest": redis_url})
    report = IngestReport(crawl_id=crawl_id, archive_path=str(archive_path))
    status = "finished"
    try:
        report.counts["archived_urls_published"] = _seed_archived(client, db)
        # Leftovers of a writer that died between BLMOVE and LREM come first.
        for raw in client.lrange(PROCESSING, 0, -1):
            _write(client, db, raw, crawl_id, report)
            client.lrem(PROCESSING, 1, raw)
        idle_from = time.monotonic()
        while True:
            client.set(WRITER_LOCK, me, px=WRITER_TTL_MS)
            raw = client.blmove(ARCHIVE_QUEUE, PROCESSING, 1, "RIGHT", "LEFT")
            if raw is None:
                if not follow and idle_exit is not None and time.monotonic() - idle_from >= idle_exit:
                    break
                continue
            _write(client, db, raw, crawl_id, report)
            client.lrem(PROCESSING, 1, raw)
            idle_from = time.monotonic()
            if progress is not None:
                progress(report)
    except KeyboardInterrupt:
        status = "interrupted"
    finally:
        report.elapsed = time.monotonic() - started
        archive.finish_crawl(db, crawl_id, {"ingest": report.counts, "workers": report.workers}, status=status)
        db.close()
        if client.get(WRITER_LOCK) == me.encode():
            client.delete(WRITER_LOCK)
        client.close()
    return report


def _write(client, db, raw: bytes, crawl_id: int, report: IngestReport) -> None:
    try:
        record = decode_record(raw)
    except Exception as e:  # noqa: BLE001 - a bad record must not stop the writer
        logger.error("unreadable record in %(q)s dropped: %(e)r", {"q": ARCHIVE_QUEUE, "e": e})
        report.counts["unreadable"] = report.counts.get("unreadable", 0) + 1
        return
    action = archive_record(db, record, crawl_id)
    report.counts[action] = report.counts.get(action, 0) + 1
    if record["kind"] == "article":
        article = record["article"]
        client.sadd(archived_key(record["site"]), article.url, article.canonical_url)
    elif record["kind"] == "stats":
        report.workers[f"{record['site']}@{record['worker']}"] = record["stats"]
