"""Scale-out on Redis: where things live, how to reach the server, and what workers send the writer.

Workers share a scrapy-redis frontier (:mod:`crawler.frontier`); their articles reach
the one archive writer (:mod:`crawler.ingest`) through Redis. Keys, all on the
Redis given by ``--redis redis[s]://[:PASSWORD@]HOST[:PORT][/DB]``:

- ``warta:<site>:requests`` (sorted set): the shared frontier (scrapy-redis, ordered by priority).
- ``warta:<site>:dupefilter`` (set): request fingerprints every worker checks before queueing.
- ``warta:<site>:leases:<worker>`` (hash): requests a worker took and has not finished;
  given back to the frontier when the worker dies (see :mod:`crawler.frontier`).
- ``warta:<site>:workers`` (set) and ``warta:<site>:alive:<worker>`` (expiring keys): who is crawling.
- ``warta:<site>:dead`` (list): frontier entries no worker could read (dead letters).
- ``warta:<site>:archived`` (set): article URLs the archive holds, kept by ``warta ingest``;
  workers skip them (incremental crawling without access to the archive).
- ``warta:archive:queue`` (list): records waiting for the writer (articles with their
  pages, non-article pages, failures, worker stats).
- ``warta:archive:processing`` (list): records the writer took but has not committed yet.
- ``warta:archive:dead`` (list): records the writer could not read (dead letters).
- ``warta:archive:writer`` (expiring key): the lease of the one running ``warta ingest``.

Everything crossing Redis is data-only (:mod:`crawler.wire`): no pickle, so a value
pushed by someone else can fail to decode but never runs code.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import uuid
import warnings
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from scrapy.exceptions import DropItem, NotConfigured

from crawler import wire
from crawler.items import ArticlePages, FetchFailure
from pipelines.article import Article
from pipelines.errors import RedisUnavailable
from pipelines.page import Page

logger = logging.getLogger(__name__)

# scrapy-redis 0.9.1 still passes spider= to the stats collector; Scrapy 2.19 warns on every request.
warnings.filterwarnings("ignore", message="Passing a 'spider' argument to StatsCollector", module="scrapy_redis")

ARCHIVE_QUEUE = "warta:archive:queue"
PROCESSING = "warta:archive:processing"
DEAD_LETTERS = "warta:archive:dead"
WRITER_LOCK = "warta:archive:writer"

#: Environment variable holding the Redis password when the URL has none, so it
#: appears neither on a command line nor in a shell history.
PASSWORD_ENV = "WARTA_REDIS_PASSWORD"

#: Format of the records workers send the writer. 1 was a pickle (warta before
#: 0.2, refused now); 2 is zlib-compressed data-only JSON (crawler.wire).
RECORD_VERSION = 2

#: Records larger than this once decompressed are dead-lettered unread: 50 pages
#: (the most one article may have) of 10 MB (DOWNLOAD_MAXSIZE), base64-encoded.
MAX_RECORD_BYTES = 50 * 10 * 1024 * 1024 * 4 // 3 + (1 << 20)


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


def leases_prefix(site: str) -> str:
    return f"warta:{site}:leases:"


def frontier_dead_key(site: str) -> str:
    return f"warta:{site}:dead"


# --- reaching Redis ------------------------------------------------------------------------

_USAGE = f"expected redis://[:PASSWORD@]HOST[:PORT][/DB] or rediss://… (TLS); the password may come from {PASSWORD_ENV}"


@dataclass(frozen=True)
class RedisTarget:
    """A parsed ``--redis`` URL: ``url`` has no password (safe to show and store), ``password`` is apart.

    >>> target = parse_redis_url("rediss://:rahasia@10.0.0.5:6380/1")
    >>> target.url, target.password
    ('rediss://10.0.0.5:6380/1', 'rahasia')
    """

    url: str
    password: str | None = None

    def client(self, **options):
        """A redis-py client for this target (bytes responses)."""
        import redis

        return redis.Redis.from_url(self.url, password=self.password, **options)

    def scrapy_redis_settings(self) -> dict:
        """``REDIS_URL`` and ``REDIS_PARAMS`` for scrapy-redis (the password outside the URL)."""
        params = {"socket_timeout": 60, "socket_connect_timeout": 10, "retry_on_timeout": True}
        if self.password is not None:
            params["password"] = self.password
        return {"REDIS_URL": self.url, "REDIS_PARAMS": params}


def redact(text: str) -> str:
    """``text`` with the password of any URL in it replaced by ``***``.

    >>> redact("cannot use redis://:rahasia@10.0.0.5:6379/0")
    'cannot use redis://:***@10.0.0.5:6379/0'
    """
    return re.sub(r"(\w+://[^:/@\s]*):[^@/\s]*@", r"\1:***@", text)


def parse_redis_url(text: str, environ=None) -> RedisTarget:
    """Check a ``--redis`` URL and take its password out (or from ``WARTA_REDIS_PASSWORD``).

    :param environ: where to look for the password (default: ``os.environ``)
    :raises RedisUnavailable: when ``text`` is not a redis:// or rediss:// URL with a host,
        a port number and a database number

    >>> parse_redis_url("redis://redis-host/0", environ={"WARTA_REDIS_PASSWORD": "s3cret"}).password
    's3cret'
    >>> parse_redis_url("http://redis-host:6379")
    Traceback (most recent call last):
    ...
    pipelines.errors.RedisUnavailable: not a Redis URL: 'http://redis-host:6379' (expected redis://[:PASSWORD@]HOST[:PORT][/DB] or rediss://… (TLS); the password may come from WARTA_REDIS_PASSWORD)
    """
    from redis.connection import parse_url

    environ = os.environ if environ is None else environ
    bad = RedisUnavailable(f"not a Redis URL: {redact(str(text))!r} ({_USAGE})")
    try:
        parts = urlsplit(str(text).strip())
        port = parts.port
    except ValueError:
        raise bad from None
    if parts.scheme not in ("redis", "rediss") or not parts.hostname or port == 0:
        raise bad
    if parts.path not in ("", "/") and not re.fullmatch(r"/\d+", parts.path):
        raise bad
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, has_password, password = userinfo.partition(":")
    netloc = f"{user}@{hostport}" if user else hostport
    url = parts._replace(netloc=netloc).geturl()
    try:
        parse_url(url)
    except ValueError:
        raise bad from None
    password = unquote(password) if has_password else environ.get(PASSWORD_ENV) or None
    return RedisTarget(url, password)


def connect(redis_url: str):
    """A Redis client for ``redis_url`` (bytes responses), checked with a PING.

    :raises RedisUnavailable: when the URL is malformed, the server does not answer
        or refuses the password
    """
    import redis

    target = parse_redis_url(redis_url)
    try:
        client = target.client(socket_connect_timeout=10, socket_timeout=60)
        client.ping()
    except redis.AuthenticationError:
        hint = "wrong password" if target.password else f"a password is needed: give it in the URL or {PASSWORD_ENV}"
        raise RedisUnavailable(f"Redis at {target.url} refused the connection ({hint})") from None
    except redis.ResponseError as e:
        if "NOAUTH" in str(e) or "AUTH" in str(e).upper():
            raise RedisUnavailable(f"Redis at {target.url} needs a password: give it in the URL or "
                                   f"{PASSWORD_ENV}") from None
        raise RedisUnavailable(f"cannot use Redis at {target.url}: {redact(str(e))}") from None
    except (ValueError, redis.RedisError) as e:
        raise RedisUnavailable(f"cannot use Redis at {target.url}: {redact(str(e))}") from None
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
        return {m.decode("utf-8", "replace") for m in client.sscan_iter(archived_key(site), count=5000)}
    finally:
        client.close()


# --- which process holds a lease --------------------------------------------------------


def _host_identity() -> str:
    """This host and PID namespace: two processes with the same identity see each other's PIDs."""
    try:
        namespace = os.readlink("/proc/self/ns/pid").strip("pid:[]")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()}/{namespace}" if namespace else socket.gethostname()


HOST_IDENTITY = _host_identity()


def process_id() -> str:
    """A new id for a worker or writer of this process: ``HOST/PIDNS:PID:RANDOM``."""
    return f"{HOST_IDENTITY}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def process_is_gone(holder: str) -> bool:
    """True when ``holder`` (a :func:`process_id`) names a process of this host that no longer runs.

    Holders on other hosts, or unreadable ones, are never called gone: only their
    lease's expiry can tell. A reused PID makes a dead holder look alive, which
    only delays the take-over until the lease expires.

    >>> process_is_gone(process_id()), process_is_gone("elsewhere:1")
    (False, False)
    """
    parts = holder.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != HOST_IDENTITY or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process, or no permission to ask: alive
        return False
    return False


# --- records sent from workers to the writer ----------------------------------------------

#: The fields of each record kind after the common ``v``, ``id``, ``at`` and ``kind``; a field
#: that may be None may also be absent (``decision``: the article decision's evidence, as a dict).
RECORD_SHAPES: dict[str, dict[str, object]] = {
    "article": {"site": str, "article": Article, "pages": list[Page], "decision": dict | None},
    "skipped": {"site": str, "page": Page, "reason": str, "decision": dict | None},
    "failure": {"site": str | None, "url": str | None, "stage": str, "reason": str, "detail": str},
    "stats": {"site": str, "worker": str, "reason": str, "stats": dict[str, int | float | str]},
}
_COMMON = {"v": int, "id": str, "at": str, "kind": str}


def encode_record(record: dict) -> bytes:
    """Serialise a record for the archive queue: data-only JSON, zlib-compressed, with its format version.

    >>> decode_record(encode_record({"kind": "failure", "id": "1", "at": "2019-11-28T07:00:00Z", "site": None,
    ...     "url": "https://kabarlebak.example/x/", "stage": "fetch", "reason": "http-404", "detail": ""}))["url"]
    'https://kabarlebak.example/x/'
    """
    return zlib.compress(wire.dumps({"v": RECORD_VERSION, **record}), 6)


def decode_record(data: bytes) -> dict:
    """Inverse of :func:`encode_record`, checking the version and every field's type.

    :raises WireError: with reason ``pickle-refused``, ``unreadable``, ``too-large``,
        ``version-skew`` or ``bad-shape`` (see :class:`crawler.wire.WireError`)
    """
    if data[:1] == wire.PICKLE_PREFIX:
        raise wire.WireError("pickle-refused", "a pickle; refused, never loaded")
    inflate = zlib.decompressobj()
    try:
        text = inflate.decompress(data, MAX_RECORD_BYTES)
    except zlib.error as e:
        raise wire.WireError("unreadable", f"not a warta record (not zlib data: {e})") from None
    if inflate.unconsumed_tail:
        raise wire.WireError("too-large", f"over {MAX_RECORD_BYTES} bytes once decompressed")
    if not inflate.eof:
        raise wire.WireError("unreadable", "a truncated warta record")
    if text[:1] == wire.PICKLE_PREFIX:
        raise wire.WireError("pickle-refused", "a pickled record (warta before 0.2 or someone else); "
                                               "refused, never loaded")
    record = wire.loads(text)
    if not isinstance(record, dict):
        raise wire.WireError("bad-shape", f"a JSON {type(record).__name__}, not a record")
    version = record.get("v")
    if version != RECORD_VERSION:
        side = "newer" if isinstance(version, int) and version > RECORD_VERSION else "older or unknown"
        raise wire.WireError("version-skew", f"record format {version!r} ({side}); this warta reads "
                                             f"format {RECORD_VERSION}: run the same warta version everywhere")
    shape = RECORD_SHAPES.get(record.get("kind"))
    if shape is None:
        raise wire.WireError("bad-shape", f"unknown record kind {str(record.get('kind'))[:40]!r}")
    for name, hint in {**_COMMON, **shape}.items():
        if name not in record:
            if wire.conforms(None, hint):
                continue
            raise wire.WireError("bad-shape", f"{record['kind']} record without {name!r}")
        if not wire.conforms(record[name], hint):
            raise wire.WireError("bad-shape", f"{record['kind']} record: {name} holds a {type(record[name]).__name__}")
    if record["kind"] == "article" and not record["pages"]:
        raise wire.WireError("bad-shape", "article record without pages")
    return record


def fingerprint(data: bytes) -> str:
    """A short, stable name for a raw Redis value (shown in ``failures`` for dead letters)."""
    return hashlib.sha256(data).hexdigest()[:16]


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def push_record(client, record: dict) -> None:
    """LPUSH one record onto the archive queue, with an id and a time if it has none."""
    record.setdefault("id", uuid.uuid4().hex)
    record.setdefault("at", now_iso())
    client.lpush(ARCHIVE_QUEUE, encode_record(record))


# --- worker settings -----------------------------------------------------------------------


def worker_settings(redis_url: str, site: str, base) -> dict:
    """Settings that turn one site's crawler into a worker of the shared Redis frontier."""
    target = parse_redis_url(redis_url)
    pipelines = {k: v for k, v in base.getdict("ITEM_PIPELINES").items()
                 if not str(k).startswith("crawler.archiving.")}
    pipelines.update({"crawler.archiving.ArchivePipeline": None, "crawler.scaleout.RedisArchivePipeline": 300})
    extensions = dict(base.getdict("EXTENSIONS"))
    extensions.update({"crawler.incremental.CrawlState": None, "crawler.frontier.FrontierWorker": 520})
    per_domain = base.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    return {
        # scrapy-redis's scheduler, with a queue that leases what it hands out (crawler.frontier).
        "SCHEDULER": "crawler.frontier.FrontierScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "crawler.frontier.FrontierQueue",
        # scrapy-redis pickles requests by default; ours is data-only JSON.
        "SCHEDULER_SERIALIZER": "crawler.wire",
        # Without it, the first worker to finish would wipe the shared queue and filter.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": queue_key(site),
        "SCHEDULER_DUPEFILTER_KEY": dupefilter_key(site),
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor on a pop; FrontierWorker waits instead
        **target.scrapy_redis_settings(),
        "WARTA_REDIS_URL": redis_url,
        "WARTA_REDIS_SITE": site,
        "WARTA_REDIS_WORKER": process_id(),
        "JOBDIR": None,
        "ITEM_PIPELINES": pipelines,
        "EXTENSIONS": extensions,
        # Take a few requests at a time from the shared frontier, not a whole
        # downloader's worth, so the other workers get their share.
        "CONCURRENT_REQUESTS": max(2, 2 * per_domain),
    }


class RedisArchivePipeline:
    """Worker side of the archive: page -> article here, then the record goes to Redis.

    Each :class:`ArticlePages` becomes an ``article`` record (the Article and its
    pages), a ``skipped`` record (a page that is not an article, with the reason)
    or a ``failure``; each :class:`FetchFailure` becomes a ``failure``. They are
    LPUSHed to ``warta:archive:queue`` before the request that produced them is
    acknowledged (:mod:`crawler.frontier`), so a worker killed at any point loses
    nothing: what it had not sent is crawled again by another worker.
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

    def _failure(self, site, url, stage, reason, detail="") -> None:
        push_record(self.client, {"kind": "failure", "site": site, "url": url, "stage": stage, "reason": reason,
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
            push_record(self.client, {"kind": "skipped", "site": item.site, "page": first, "reason": outcome.reason,
                                      "decision": outcome.decision})
            self.stats.inc_value("warta/not_article")
            self.stats.inc_value(f"warta/not_article/{outcome.reason}")
            raise DropItem(outcome.detail, log_level="DEBUG")
        if outcome.kind != "article":  # "failed" (binary, empty) or "error" (a bug in a rule)
            if outcome.kind == "error":
                logger.error("page -> article crashed on %(url)s: %(detail)s", {"url": first.url, "detail": outcome.detail})
            skip_reason = "error" if outcome.kind == "error" else outcome.reason
            push_record(self.client, {"kind": "skipped", "site": item.site, "page": first, "reason": skip_reason})
            self._failure(item.site, first.url, "extract", outcome.reason, outcome.detail.split("\n")[0])
            raise DropItem(f"{first.url}: extraction failed ({outcome.reason})")
        article = outcome.article
        push_record(self.client, {"kind": "article", "site": item.site, "article": article, "pages": item.pages,
                                  "decision": outcome.decision})
        self.stats.inc_value("warta/redis/articles_sent")
        self.sent += 1
        if self.max_articles and self.sent >= self.max_articles:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_articles"))
        return {"canonical_url": article.canonical_url, "action": "sent"}
