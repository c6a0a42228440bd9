"""The archive writer of a scale-out crawl: records from Redis into the archive, one writer at a time.

``warta ingest`` takes each record with BLMOVE from ``warta:archive:queue`` onto
``warta:archive:processing``, writes it in one SQLite transaction, then removes
it: a writer killed at any point loses nothing (the next one writes the
leftovers first, idempotently). A record it cannot read (a pickle, another
format version, a wrong shape) goes to ``warta:archive:dead`` with a row in
``failures``, and the writer carries on. The single-writer rule is a lease
(``warta:archive:writer``) renewed every second: a live writer keeps it, a
killed one's successor takes it at once (same host: its PID is gone) or
within :data:`WRITER_TTL_MS` (another host).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from dataclasses import dataclass, field

from crawler import scaleout
from crawler.wire import WireError
from pipelines.errors import ArchiveError, WriterBusy

logger = logging.getLogger(__name__)

#: Milliseconds the writer lease lives without renewal; renewed every WRITER_RENEW seconds
#: by a thread, so a busy writer keeps it and a dead one's lease ends within 5 s.
WRITER_TTL_MS = 5000
WRITER_RENEW = 1.0

# Compare-and-set on the lease: only its holder renews or releases it, and a
# dead holder's lease is taken only if nobody took it in between.
_RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"
_TAKE = ("if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) "
         "return 1 end return 0")
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class WriterLease:
    """The one-writer lease on ``warta:archive:writer`` for ``holder`` (a :func:`~crawler.scaleout.process_id`).

    :meth:`acquire` takes it, or takes it over from a dead writer, or raises
    :class:`WriterBusy`; :meth:`start` renews it every second from a thread;
    :attr:`lost` is set if it was lost anyway (this process stalled past the TTL);
    :meth:`release` gives it up.
    """

    def __init__(self, client, holder: str, key: str = scaleout.WRITER_LOCK):
        self.client = client
        self.holder = holder
        self.key = key
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self, where: str) -> str | None:
        """Take the lease; return the id of a dead writer whose lease was taken over, if any.

        A holder on this host whose process is gone is taken over at once. A
        holder elsewhere is watched for one renewal period: if it renews, it is
        alive and this writer is refused; if its lease runs out, it is taken.

        :param where: the Redis, for messages
        :raises WriterBusy: when a live writer holds the lease
        """
        watch_until = None
        last_ttl = None
        while True:
            if self.client.set(self.key, self.holder, nx=True, px=WRITER_TTL_MS):
                return None
            raw = self.client.get(self.key)
            ttl = self.client.pttl(self.key)
            if raw is None:
                continue  # it ran out between the two calls
            other = raw.decode("utf-8", "replace")
            busy = WriterBusy(f"{where}: another warta ingest ({other}) is writing; one writer only")
            if scaleout.process_is_gone(other):
                if self.client.eval(_TAKE, 1, self.key, raw, self.holder, WRITER_TTL_MS):
                    logger.warning("took over the writer lease of %(other)s, which is no longer running",
                                   {"other": other})
                    return other
                continue
            host = other.rsplit(":", 2)[0]
            if ttl < 0 or ttl > WRITER_TTL_MS or host == scaleout.HOST_IDENTITY:
                raise busy  # a lease that never ends is not a warta writer's; a local holder is alive
            if watch_until is None:
                watch_until = time.monotonic() + WRITER_TTL_MS / 1000 + WRITER_RENEW
            elif ttl > last_ttl + 100:
                raise busy  # it renewed: alive
            if time.monotonic() > watch_until:
                raise busy
            last_ttl = ttl
            time.sleep(0.2)

    def start(self) -> None:
        """Renew the lease every WRITER_RENEW seconds until :meth:`release`."""
        self._thread = threading.Thread(target=self._renew, name="warta-writer-lease", daemon=True)
        self._thread.start()

    def _renew(self) -> None:
        while not self._stop.wait(WRITER_RENEW):
            try:
                if not self.client.eval(_RENEW, 1, self.key, self.holder, WRITER_TTL_MS):
                    self.lost.set()
                    return
            except Exception as e:  # noqa: BLE001 - Redis unreachable: the main loop will say so
                logger.warning("cannot renew the writer lease: %(e)s", {"e": e})

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            self.client.eval(_RELEASE, 1, self.key, self.holder)
        except Exception as e:  # noqa: BLE001 - it expires on its own
            logger.warning("cannot release the writer lease: %(e)s", {"e": e})


@dataclass
class IngestReport:
    """What one ``warta ingest`` session stored.

    ``counts`` maps what was done to how many records: ``inserted``, ``updated``,
    ``unchanged`` (articles), ``skipped`` (pages that are not articles),
    ``failure``, ``stats``, and ``dead-letter`` (records that could not be read or
    written, moved to ``warta:archive:dead`` and recorded in ``failures``).
    """

    crawl_id: int
    archive_path: str
    counts: dict[str, int] = field(default_factory=dict)
    workers: dict[str, dict] = field(default_factory=dict)
    elapsed: float = 0.0
    status: str = "finished"
    took_over_from: str | None = None

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


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
            if _failure_seen(db, record["url"], record["stage"], record["reason"], record["at"]):
                return "failure-seen"
            db["failures"].insert({"crawl_id": crawl_id, "url": record["url"], "stage": record["stage"],
                                   "reason": record["reason"], "detail": record.get("detail", ""),
                                   "at": record["at"]})
        return "failure"
    if kind == "stats":
        return "stats"
    raise ValueError(f"unknown record kind {kind!r}")


def _failure_seen(db, url, stage, reason, at=None) -> bool:
    sql = "select 1 from failures where url is ? and stage = ? and reason = ?"
    params = [url, stage, reason]
    if at is not None:
        sql += " and at = ?"
        params.append(at)
    return db.execute(sql, params).fetchone() is not None


def _seed_archived(client, db) -> int:
    from pipelines import archive

    sites = [r[0] for r in db.execute("select distinct site from articles where site is not null")]
    total = 0
    for site in sites:
        urls = sorted(archive.known_urls(db, site))
        for i in range(0, len(urls), 1000):
            client.sadd(scaleout.archived_key(site), *urls[i:i + 1000])
        total += len(urls)
    return total


def _close_dead_ingests(db, crawl_id: int, redis_url: str) -> int:
    """Mark ``killed`` the ``running`` rows of earlier ingests from the same Redis.

    This process holds that Redis's writer lease, so an ingest of it that still
    says ``running`` died (``kill -9``, power cut) before it could close its row.
    """
    from pipelines import archive

    rows = db.execute("select id, stats from crawls where status = 'running' and id != ? "
                      "and json_valid(settings) and json_extract(settings, '$.ingest') = ?",
                      [crawl_id, redis_url]).fetchall()
    for other, stats in rows:
        archive.finish_crawl(db, other, _json_or_empty(stats), status="killed")
    return len(rows)


def _json_or_empty(text) -> dict:
    import json

    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def requeue_dead_letters(client) -> int:
    """Move every dead-lettered record back onto the archive queue (after an upgrade); return how many."""
    moved = 0
    while client.lmove(scaleout.DEAD_LETTERS, scaleout.ARCHIVE_QUEUE, "RIGHT", "LEFT") is not None:
        moved += 1
    return moved


def ingest(redis_url: str, archive_path: str, *, idle_exit: float | None = 10.0, follow: bool = False,
           progress=None, stop: threading.Event | None = None, retry_dead: bool = False) -> IngestReport:
    """Move records from Redis into the archive until the queue stays empty (or forever).

    The one writer of a scale-out crawl: see the module docstring for the
    guarantees. Its ``crawls`` row ends ``finished``, ``interrupted`` (Ctrl-C,
    SIGTERM, a lost lease) or ``failed``; a row left ``running`` by a killed
    writer is marked ``killed`` by the next one.

    :param redis_url: the workers' Redis
    :param archive_path: the archive file
    :param idle_exit: stop after the queue has been empty this many seconds
    :param follow: never stop (Ctrl-C ends it cleanly)
    :param progress: called with the report after each record, if given
    :param stop: when set (e.g. by a SIGTERM handler), stop after the current record
    :param retry_dead: first move the dead-lettered records back onto the queue
    :raises RedisUnavailable: when Redis cannot be used
    :raises WriterBusy: when another live ingest holds the writer lease
    :raises ArchiveError: when the archive cannot be opened or written (the
        record being written stays in Redis for the next ingest)

    Example usage::

        report = ingest("redis://127.0.0.1:6379/0", "archive.db", idle_exit=30)
        report.count("inserted")
    """
    from pipelines import archive

    target = scaleout.parse_redis_url(redis_url)
    client = scaleout.connect(redis_url)
    try:
        db = archive.open_archive(archive_path)  # before the lease: a failed start holds nothing
    except BaseException:
        client.close()
        raise
    me = scaleout.process_id()
    lease = WriterLease(client, me)
    try:
        took_over = lease.acquire(target.url)
    except BaseException:
        db.close()
        client.close()
        raise
    started = time.monotonic()
    crawl_id = archive.start_crawl(db, [], {"ingest": target.url, "writer": me})
    report = IngestReport(crawl_id=crawl_id, archive_path=str(archive_path), took_over_from=took_over)
    stop = stop or threading.Event()
    try:
        lease.start()
        _close_dead_ingests(db, crawl_id, target.url)
        if retry_dead:
            report.add("requeued", requeue_dead_letters(client))
        report.counts["archived_urls_published"] = _seed_archived(client, db)
        # Leftovers of a writer that died between BLMOVE and its commit come first.
        for raw in client.lrange(scaleout.PROCESSING, 0, -1):
            _write(client, db, raw, crawl_id, report)
        idle_from = time.monotonic()
        while not stop.is_set():
            if lease.lost.is_set():
                report.status = "interrupted"
                raise WriterBusy(f"{target.url}: this ingest lost its writer lease (it stalled for more than "
                                 f"{WRITER_TTL_MS / 1000:.0f} s) and stopped, so that one writer remains")
            raw = client.blmove(scaleout.ARCHIVE_QUEUE, scaleout.PROCESSING, 1, "RIGHT", "LEFT")
            if raw is None:
                if not follow and idle_exit is not None and time.monotonic() - idle_from >= idle_exit:
                    break
                continue
            _write(client, db, raw, crawl_id, report)
            idle_from = time.monotonic()
            if progress is not None:
                progress(report)
        if stop.is_set():
            report.status = "interrupted"
    except KeyboardInterrupt:
        report.status = "interrupted"
    except BaseException:
        if report.status == "finished":
            report.status = "failed"
        raise
    finally:
        report.elapsed = time.monotonic() - started
        try:
            archive.finish_crawl(db, crawl_id, {"ingest": report.counts, "workers": report.workers},
                                 status=report.status)
        except sqlite3.Error as e:  # the archive is what failed: say so, keep the first error
            logger.error("cannot close crawl %(id)s in %(path)s: %(e)s", {"id": crawl_id, "path": archive_path, "e": e})
        finally:
            db.close()
            lease.release()
            client.close()
    return report


def _write(client, db, raw: bytes, crawl_id: int, report: IngestReport) -> None:
    """Write one raw record taken onto the processing list, then take it off."""
    try:
        record = scaleout.decode_record(raw)
    except WireError as e:
        _dead_letter(client, db, raw, e.reason, str(e), crawl_id, report)
        return
    try:
        action = archive_record(db, record, crawl_id)
    except sqlite3.OperationalError as e:  # disk full, read-only, locked: not the record's fault
        raise ArchiveError(f"{report.archive_path}: cannot write ({e}); the record waits in Redis "
                           f"({scaleout.PROCESSING}) for the next ingest") from None
    except Exception as e:  # noqa: BLE001 - a record that decodes but cannot be stored
        _dead_letter(client, db, raw, "unwritable", f"{type(e).__name__}: {e}", crawl_id, report)
        return
    report.add(action)
    if record["kind"] == "article":
        article = record["article"]
        client.sadd(scaleout.archived_key(record["site"]), article.url, article.canonical_url)
    elif record["kind"] == "stats":
        report.workers[f"{record['site']}@{record['worker']}"] = record["stats"]
    client.lrem(scaleout.PROCESSING, 1, raw)


def _dead_letter(client, db, raw: bytes, reason: str, detail: str, crawl_id: int, report: IngestReport) -> None:
    """Record why ``raw`` cannot be archived, then move it to the dead-letter list (in that order:
    a kill in between leaves it on the processing list, and the failure is not recorded twice)."""
    url = f"redis:{scaleout.ARCHIVE_QUEUE}#{scaleout.fingerprint(raw)}"
    with db.atomic():
        if not _failure_seen(db, url, "queue", reason):
            db["failures"].insert({"crawl_id": crawl_id, "url": url, "stage": "queue", "reason": reason,
                                   "detail": f"{detail[:1500]} (moved to {scaleout.DEAD_LETTERS})",
                                   "at": scaleout.now_iso()})
    pipe = client.pipeline(transaction=True)
    pipe.lpush(scaleout.DEAD_LETTERS, raw)
    pipe.lrem(scaleout.PROCESSING, 1, raw)
    pipe.execute()
    report.add("dead-letter")
    logger.error("record %(url)s cannot be archived (%(reason)s: %(detail)s); moved to %(dead)s",
                 {"url": url, "reason": reason, "detail": detail[:300], "dead": scaleout.DEAD_LETTERS})
