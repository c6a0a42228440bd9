"""The shared frontier of Redis workers: scrapy-redis with leased pops, so a dead worker's work is handed on.

scrapy-redis pops a request by removing it from the frontier: a worker killed
while downloading it, or before its articles reached Redis, takes it to the
grave. Here the pop *moves* the request, in one Lua call, from the frontier into
the worker's lease hash (``warta:<site>:leases:<worker>``), and the worker
deletes it from there only once Scrapy is done with the request: its response
parsed, every request it led to queued and every record it produced pushed to
the writer. A worker that dies leaves its leases behind; any live worker of the
site (or the dead one restarted) moves them back into the frontier once the
dead worker's liveness key has expired, or at once when the dead worker ran on
the same host and its PID is gone. Doing a request twice is harmless (the
duplicate filter drops its links, the writer is idempotent); losing one is not.

A new request's fingerprint is added to the duplicate filter and the request to
the frontier in one Lua call, so no kill can leave a URL "seen" but never queued.

Requests are stored as data-only JSON (:mod:`crawler.wire`); a frontier entry
that does not decode to a request of this spider (a pickle, another warta
version, a callback the spider does not have, a non-HTTP URL) goes to the
dead-letter list ``warta:<site>:dead`` and becomes a recorded failure.

Components (set by :func:`crawler.scaleout.worker_settings`):

- :class:`FrontierQueue`: scrapy-redis ``SCHEDULER_QUEUE_CLASS`` with leases.
- :class:`FrontierScheduler`: scrapy-redis's scheduler, acknowledging finished requests.
- :class:`FrontierWorker`: extension for a worker's membership, liveness and stop.

Lua scripts name keys built from prefixes, so this runs on a single Redis
server (or a primary with replicas), not on Redis Cluster.
"""

from __future__ import annotations

import logging
import re
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.request import request_from_dict
from scrapy_redis import picklecompat
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler import scaleout, wire
from pipelines.page import Page

logger = logging.getLogger(__name__)

#: Format of a frontier entry (a request dict). Workers of another format
#: dead-letter each other's entries instead of misreading them.
FRONTIER_VERSION = 1

#: Milliseconds a worker's liveness key lives; refreshed every HEARTBEAT seconds.
#: A worker on another host whose key expired is dead and its leases are handed
#: on: long enough that a busy reactor (a slow page) is not taken for dead.
ALIVE_TTL_MS = 10000
HEARTBEAT = 1.0
#: Seconds between looks at the shared frontier while this worker is idle (Scrapy's
#: own heartbeat is 5 s, which would leave a worker idle while others fill the queue).
IDLE_POLL = 0.25

#: Callbacks a frontier entry may name: the spider's parse* and on_* methods, nothing else.
_CALLBACK_NAME = re.compile(r"(parse|on_)\w*")
#: Request classes a frontier entry may name (``_class``); anything else would be an import.
_REQUEST_CLASSES = frozenset({"scrapy.http.request.Request", "scrapy.http.request.form.FormRequest",
                              "scrapy.http.request.json_request.JsonRequest"})
#: Type of each request field a frontier entry may carry (Request.to_dict's keys).
_REQUEST_FIELDS = {"url": str, "callback": str | None, "errback": str | None, "method": str, "headers": dict,
                   "body": bytes, "cookies": dict | list, "meta": dict, "encoding": str, "priority": int,
                   "dont_filter": bool, "flags": list, "cb_kwargs": dict}

# --- Lua: every step that must not be cut in half by a kill ---------------------------------

#: reap(workers, queue, alive_prefix, leases_prefix, me, dead): hand the leases of
#: dead workers (alive key gone, or named in ``dead``) back to the frontier.
_REAP = """
local function reap(workers, queue, alive, leases, me, dead)
  local moved = 0
  for _, w in ipairs(redis.call('SMEMBERS', workers)) do
    if w ~= me and (dead[w] or redis.call('EXISTS', alive .. w) == 0) then
      local held = redis.call('HGETALL', leases .. w)
      for i = 1, #held, 2 do
        redis.call('ZADD', queue, held[i + 1], held[i])
        moved = moved + 1
      end
      redis.call('DEL', leases .. w, alive .. w)
      redis.call('SREM', workers, w)
    end
  end
  return moved
end
local function dead_set(from)
  local dead = {}
  for i = from, #ARGV do dead[ARGV[i]] = true end
  return dead
end
"""

#: KEYS workers, queue; ARGV alive_prefix, leases_prefix, me, dead...
_REAP_SCRIPT = _REAP + "return reap(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], dead_set(4))"

#: Join the site's workers (KEYS workers, queue, dupefilter; ARGV alive_prefix,
#: leases_prefix, me, ttl, dead...). When no other worker is alive and the
#: frontier is empty (after taking back dead workers' leases) this starts a new
#: run: the previous run's duplicate filter is dropped so discovery starts over.
_JOIN = _REAP + """
local workers, queue, df = KEYS[1], KEYS[2], KEYS[3]
local alive, leases, me = ARGV[1], ARGV[2], ARGV[3]
local moved = reap(workers, queue, alive, leases, me, dead_set(5))
local others = 0
for _, w in ipairs(redis.call('SMEMBERS', workers)) do
  if w ~= me then others = others + 1 end
end
redis.call('SADD', workers, me)
redis.call('SET', alive .. me, 1, 'PX', ARGV[4])
if others == 0 and redis.call('ZCARD', queue) == 0 then
  redis.call('DEL', df)
  return {1, moved}
end
return {0, moved}
"""

#: Leave (same KEYS and ARGV as _JOIN): give back any lease still held, and the
#: last worker out of an empty frontier clears the duplicate filter, so the next
#: run discovers anew (archived articles are skipped through the archived set).
_LEAVE = _REAP + """
local workers, queue, df = KEYS[1], KEYS[2], KEYS[3]
local alive, leases, me = ARGV[1], ARGV[2], ARGV[3]
local held = redis.call('HGETALL', leases .. me)
for i = 1, #held, 2 do redis.call('ZADD', queue, held[i + 1], held[i]) end
redis.call('DEL', leases .. me, alive .. me)
redis.call('SREM', workers, me)
reap(workers, queue, alive, leases, me, dead_set(5))
if redis.call('SCARD', workers) == 0 and redis.call('ZCARD', queue) == 0 then
  redis.call('DEL', df)
  return 1
end
return 0
"""

#: Frontier size and leases held by all workers (KEYS workers, queue; ARGV leases_prefix).
_PENDING = """
local leased = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  leased = leased + redis.call('HLEN', ARGV[1] .. w)
end
return {redis.call('ZCARD', KEYS[2]), leased}
"""

#: Pop the best request into this worker's lease hash (KEYS queue, leases, workers,
#: alive; ARGV me, ttl). Popping proves the worker alive, and re-registers it if a
#: stall had it reaped, so its new lease is never orphaned.
_POP = """
local item = redis.call('ZPOPMIN', KEYS[1])
if #item == 0 then return false end
redis.call('HSET', KEYS[2], item[1], item[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SET', KEYS[4], 1, 'PX', ARGV[2])
return item[1]
"""

#: Add a new request (KEYS dupefilter, queue; ARGV fingerprint, score, entry):
#: queued if and only if its fingerprint was not seen, in one step.
_PUSH_NEW = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
  return 1
end
return 0
"""


def engine_slot(engine):
    """The engine's slot (requests in progress, the scheduler): ``_slot`` since Scrapy 2.13, ``slot`` before."""
    return getattr(engine, "_slot", None) or getattr(engine, "slot", None)


def _locally_dead(client, site: str, me: str) -> list[str]:
    """Workers of ``site`` that ran on this host and whose process is gone."""
    return [w for w in (m.decode("utf-8", "replace") for m in client.smembers(scaleout.workers_key(site)))
            if w != me and scaleout.process_is_gone(w)]


def reap(client, site: str, me: str) -> int:
    """Hand the leases of ``site``'s dead workers back to the frontier; return how many.

    A worker is dead when its liveness key expired, or at once when it ran on
    this host and its process is gone.
    """
    return int(client.eval(_REAP_SCRIPT, 2, scaleout.workers_key(site), scaleout.queue_key(site),
                           scaleout.alive_prefix(site), scaleout.leases_prefix(site), me,
                           *_locally_dead(client, site, me)))


def pending(client, site: str) -> tuple[int, int]:
    """(requests in the frontier, requests leased by workers) of ``site``."""
    queued, leased = client.eval(_PENDING, 2, scaleout.workers_key(site), scaleout.queue_key(site),
                                 scaleout.leases_prefix(site))
    return int(queued), int(leased)


def check_request(entry, spider) -> dict:
    """``entry`` if it is a request dict this spider may run, else :class:`~crawler.wire.WireError`.

    Only what :func:`scrapy.utils.request.request_from_dict` would turn into
    code is refused: a request class outside Scrapy's own, a callback that is
    not one of the spider's ``parse*``/``on_*`` methods, a URL that is not
    http(s) (``file://`` would read this machine's files), and fields of the
    wrong type. Unknown extra keys (a newer Scrapy's) are left for Scrapy to ignore.
    """
    if not isinstance(entry, dict):
        raise wire.WireError("bad-shape", f"a JSON {type(entry).__name__}, not a request")
    version = entry.pop("v", None)
    if version != FRONTIER_VERSION:
        raise wire.WireError("version-skew", f"frontier entry format {version!r}; this warta reads format "
                                             f"{FRONTIER_VERSION}: run the same warta version on every worker")
    for name, hint in _REQUEST_FIELDS.items():
        if name in entry and not wire.conforms(entry[name], hint):
            raise wire.WireError("bad-shape", f"request {name} holds a {type(entry[name]).__name__}")
    url = entry.get("url")
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise wire.WireError("bad-shape", f"request URL {str(url)[:80]!r} is not http(s)")
    if entry.get("_class", "scrapy.http.request.Request") not in _REQUEST_CLASSES:
        raise wire.WireError("bad-shape", f"request class {str(entry['_class'])[:80]!r} is not one of Scrapy's")
    for name in ("callback", "errback"):
        method = entry.get(name)
        if method is not None and not (_CALLBACK_NAME.fullmatch(method) and callable(getattr(type(spider), method, None))):
            raise wire.WireError("bad-shape", f"{name} {method[:80]!r} is not a parse/on_ method of the spider")
    pages = entry.get("meta", {}).get("warta_pages", [])
    if not wire.conforms(pages, list[Page]):
        raise wire.WireError("bad-shape", "meta warta_pages holds something else than pages")
    return entry


class FrontierQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pops are leases, acknowledged when the request is done.

    ``pop`` moves the best request into this worker's lease hash and remembers
    it; :meth:`acknowledge` deletes the leases of requests Scrapy has finished;
    :meth:`give_back` returns the rest to the frontier. An entry that cannot be
    read becomes a dead letter and a ``failure`` record (stage ``queue``).
    """

    def __init__(self, server, spider, key, serializer=None):
        if serializer is None or serializer is picklecompat:
            raise NotConfigured("SCHEDULER_SERIALIZER must be data-only (crawler.wire), never pickle")
        super().__init__(server, spider, key, serializer)
        settings = spider.crawler.settings
        self.site = settings.get("WARTA_REDIS_SITE")
        self.worker = settings.get("WARTA_REDIS_WORKER")
        self.leases_key = scaleout.leases_prefix(self.site) + self.worker
        self.alive_key = scaleout.alive_prefix(self.site) + self.worker
        self.dead_key = scaleout.frontier_dead_key(self.site)
        self.leased: dict = {}  # Request -> its frontier entry

    def _encode_request(self, request) -> bytes:
        entry = request.to_dict(spider=self.spider)
        entry["v"] = FRONTIER_VERSION
        return self.serializer.dumps(entry)

    def _decode_request(self, encoded_request):
        entry = check_request(self.serializer.loads(encoded_request), self.spider)
        return request_from_dict(entry, spider=self.spider)

    def push_new(self, request, fingerprint: str) -> bool:
        """Queue ``request`` unless its fingerprint was seen; both in one step. True when queued."""
        return bool(self.server.eval(_PUSH_NEW, 2, scaleout.dupefilter_key(self.site), self.key,
                                     fingerprint, -request.priority, self._encode_request(request)))

    def pop(self, timeout=0):
        while True:
            entry = self.server.eval(_POP, 4, self.key, self.leases_key, scaleout.workers_key(self.site),
                                     self.alive_key, self.worker, ALIVE_TTL_MS)
            if entry is None:
                return None
            try:
                request = self._decode_request(entry)
            except Exception as e:  # noqa: BLE001 - whatever is in Redis, the worker carries on
                self._dead_letter(entry, e)
                continue
            self.leased[request] = entry
            return request

    def _dead_letter(self, entry: bytes, error: Exception) -> None:
        reason = error.reason if isinstance(error, wire.WireError) else "bad-shape"
        name = scaleout.fingerprint(entry)
        pipe = self.server.pipeline(transaction=True)
        pipe.lpush(self.dead_key, entry)
        pipe.hdel(self.leases_key, entry)
        pipe.execute()
        scaleout.push_record(self.server, {
            "kind": "failure", "site": self.site, "url": f"redis:{self.key}#{name}", "stage": "queue",
            "reason": reason, "detail": f"{str(error)[:500]} (moved to {self.dead_key})"})
        self.spider.crawler.stats.inc_value("warta/failures/queue")
        logger.error("%(site)s: unreadable frontier entry %(name)s (%(reason)s: %(error)s) moved to %(dead)s",
                     {"site": self.site, "name": name, "reason": reason, "error": error, "dead": self.dead_key})

    def acknowledge(self, in_progress) -> int:
        """Delete the leases of requests no longer ``in_progress``; return how many."""
        done = [r for r in self.leased if r not in in_progress]
        if done:
            self.server.hdel(self.leases_key, *{self.leased.pop(r) for r in done})
        return len(done)

    def give_back(self) -> int:
        """Return every lease still held to the frontier (the worker is stopping); return how many."""
        held = self.server.hgetall(self.leases_key)
        if held:
            pipe = self.server.pipeline(transaction=True)
            for entry, score in held.items():
                pipe.zadd(self.key, {entry: float(score)})
            pipe.delete(self.leases_key)
            pipe.execute()
        self.leased.clear()
        return len(held)


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler on a :class:`FrontierQueue`: leases are acknowledged when Scrapy is done.

    A request is done when it has left the engine's in-progress set: by then
    its download, its callback, the requests it yielded (queued in Redis) and
    the records its items became (pushed to Redis) are all behind it. Before
    each pop the scheduler acknowledges what finished since the last one.
    """

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    def open(self, spider):
        super().open(spider)
        if not isinstance(self.queue, FrontierQueue):
            raise NotConfigured(f"SCHEDULER_QUEUE_CLASS must be crawler.frontier.FrontierQueue, got {self.queue_cls}")
        if getattr(engine_slot(self.crawler.engine), "inprogress", None) is None:
            raise NotConfigured("this Scrapy's engine has no in-progress set; the Redis frontier cannot "
                                "tell when a request is done (use a Scrapy version warta supports)")

    def acknowledge(self) -> int:
        slot = engine_slot(self.crawler.engine)
        return self.queue.acknowledge(slot.inprogress if slot is not None else ())

    def enqueue_request(self, request):
        try:
            if request.dont_filter:
                self.queue.push(request)
                added = True
            else:
                added = self.queue.push_new(request, self.df.request_fingerprint(request))
        except (TypeError, ValueError) as e:  # a meta value with no data-only form
            scaleout.push_record(self.server, {
                "kind": "failure", "site": self.queue.site, "url": request.url, "stage": "queue",
                "reason": "unserializable", "detail": str(e)[:500]})
            self.stats.inc_value("warta/failures/queue")
            logger.error("%(url)s cannot be queued in Redis: %(error)s", {"url": request.url, "error": e})
            return False
        if not added:
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        self.acknowledge()
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def close(self, reason):
        # The engine has drained its in-progress set by now: everything left is done.
        self.acknowledge()
        returned = self.queue.give_back()
        if returned:
            logger.info("%(site)s: %(n)d unfinished requests given back to the frontier",
                        {"site": self.queue.site, "n": returned})


class FrontierWorker:
    """Extension that makes a crawler a well-behaved worker of a shared Redis frontier.

    - joins the site's workers when built (before any request is queued): the first
      worker of a run drops the previous run's duplicate filter if the frontier is
      empty (see ``_JOIN``), after taking back dead workers' leases;
    - every second refreshes its liveness key and hands dead workers' leases back
      to the frontier (a restarted worker resumes the work of the one it replaces);
    - while idle, looks at the shared frontier every 0.25 s instead of Scrapy's 5 s,
      and stops only once the frontier has been empty and no worker has held a
      lease (a request whose links may still come) for ``WARTA_REDIS_IDLE_CLOSE``
      seconds (``DontCloseSpider`` until then);
    - on close, sends its stats to the writer and, if it is the last worker, clears
      the duplicate filter (see ``_LEAVE``).

    Stats: ``warta/redis/worker`` (its id), ``warta/redis/leases_reclaimed``.

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
        self.worker_id = settings.get("WARTA_REDIS_WORKER") or scaleout.process_id()
        self.client = scaleout.connect(settings.get("WARTA_REDIS_URL"))
        self.keys = [scaleout.workers_key(self.site), scaleout.queue_key(self.site), scaleout.dupefilter_key(self.site)]
        self.prefixes = [scaleout.alive_prefix(self.site), scaleout.leases_prefix(self.site)]
        self.idle_since: float | None = None
        self.loop = None
        new_run, reclaimed = self.client.eval(_JOIN, 3, *self.keys, *self.prefixes, self.worker_id, ALIVE_TTL_MS,
                                              *_locally_dead(self.client, self.site, self.worker_id))
        self.new_run = bool(new_run)
        crawler.stats.inc_value("warta/redis/leases_reclaimed", int(reclaimed))
        logger.info("%(site)s: worker %(id)s %(what)s%(reclaimed)s", {
            "site": self.site, "id": self.worker_id,
            "what": "starts a new run" if self.new_run else "joins the running workers",
            "reclaimed": f"; {reclaimed} requests of dead workers back in the frontier" if reclaimed else ""})

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

    def heartbeat(self) -> None:
        """Refresh this worker's liveness key and take back dead workers' leases."""
        self.client.set(self.prefixes[0] + self.worker_id, 1, px=ALIVE_TTL_MS)
        self.client.sadd(self.keys[0], self.worker_id)
        reclaimed = reap(self.client, self.site, self.worker_id)
        if reclaimed:
            self.crawler.stats.inc_value("warta/redis/leases_reclaimed", reclaimed)
            logger.info("%(site)s: %(n)d requests of a dead worker back in the frontier",
                        {"site": self.site, "n": reclaimed})
            slot = engine_slot(self.crawler.engine)
            if slot is not None:
                slot.nextcall.schedule()

    def spider_idle(self, spider):
        now = time.monotonic()
        self.heartbeat()
        scheduler = getattr(engine_slot(self.crawler.engine), "scheduler", None)
        if isinstance(scheduler, FrontierScheduler):
            scheduler.acknowledge()
        queued, leased = pending(self.client, self.site)
        if queued or leased:
            self.idle_since = None
        elif self.idle_since is None:
            self.idle_since = now
        if self.idle_since is not None and now - self.idle_since >= self.idle_close:
            logger.info("%(site)s: the shared frontier has been empty and no worker has held a request for "
                        "%(s).0f s; worker stops", {"site": self.site, "s": now - self.idle_since})
            return
        slot = engine_slot(self.crawler.engine)
        if slot is not None:
            slot.nextcall.schedule(IDLE_POLL)
        raise DontCloseSpider

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        stats = {k: v for k, v in self.crawler.stats.get_stats().items()
                 if isinstance(v, int | float | str) and v == v}  # v == v: no NaN in JSON
        scaleout.push_record(self.client, {"kind": "stats", "site": self.site, "worker": self.worker_id,
                                           "reason": str(reason), "stats": stats})
        last = self.client.eval(_LEAVE, 3, *self.keys, *self.prefixes, self.worker_id, ALIVE_TTL_MS,
                                *_locally_dead(self.client, self.site, self.worker_id))
        if last:
            logger.info("%(site)s: last worker out; the duplicate filter is cleared for the next run",
                        {"site": self.site})
        self.client.close()
