"""Page -> article on every core: a process pool fed in batches, with bounded work in flight.

A crawl and ``warta reprocess`` both hand their article candidates to a
:class:`DerivePool`. Each worker process runs :func:`pipelines.core.derive_article`
on a batch of candidates and sends back one small :class:`Outcome` per candidate;
in a crawl the worker also stores its batch (:class:`ArchiveTarget`), so the parent
(Scrapy's reactor thread, or the reprocess loop) only moves bytes. At most ``max_in_flight`` batches are queued at once:
callers that produce candidates faster than the workers derive them wait
(:meth:`DerivePool.imap`) or are told to (:attr:`DerivePool.saturated`), so
memory stays bounded whatever the size of the crawl.

Example usage::

    with DerivePool(workers=2) as pool:
        for candidate, outcome in pool.imap(candidates):
            print(candidate.key, outcome.kind, outcome.reason)
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import sqlite3
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from .article import Article
from .errors import ExtractionFailed, NotAnArticle
from .page import Page, precompressed
from .profiles import Profile

#: Candidates per batch sent to a worker. One 100 KB page costs ~0.1 ms to pickle
#: and a few ms to derive, so 16 pages amortise the IPC round trip (~0.3 ms) while
#: keeping the latency of one batch (and the pages it pins in memory) small.
#: In scripts/bench_crawl.py 8 and 16 crawl alike (within the noise of a shared machine).
DEFAULT_BATCH_SIZE = 16

#: Batches queued per worker: one being derived, one waiting, so a worker never
#: idles while the parent pickles the next batch.
IN_FLIGHT_PER_WORKER = 2

#: Outcome kinds. ``article``: derived; ``not-article``: NotAnArticle (an index,
#: tag or home page); ``failed``: ExtractionFailed (binary, empty); ``error``: a
#: bug in a rule, with its traceback in ``detail``; ``unchanged``: the derived
#: article equals the one given as ``Candidate.previous`` (reprocess only; the
#: article itself is not sent back).
KINDS = ("article", "not-article", "failed", "error", "unchanged")


def default_workers() -> int:
    """Worker processes when none are configured: ``WARTA_WORKERS`` or every core.

    >>> default_workers() >= 0
    True
    """
    value = os.environ.get("WARTA_WORKERS")
    if value not in (None, ""):
        return max(0, int(value))
    return os.cpu_count() or 1


@dataclass
class Candidate:
    """One article candidate: its pages (page 1, then 2..n) and its profile slug.

    Either ``pages`` holds the pages, or ``page_ids`` names rows of ``pages`` in the
    archive file ``archive_path``; the worker then reads and decompresses them
    itself, so the parent does not pay for it (reprocess). ``key`` is returned
    untouched. ``previous`` (optional) is the stored ``articles`` row to compare
    with: when the derived row equals it, the outcome is ``unchanged``.
    """

    site: str | None
    pages: list[Page] = field(default_factory=list)
    page_ids: list[int] = field(default_factory=list)
    archive_path: str | None = None
    key: object = None
    previous: dict | None = None
    #: The site's profile when the caller has it (a crawl); else it is looked up by ``site``.
    profile: Profile | None = None

    @property
    def size(self) -> int:
        return sum(len(p.body) for p in self.pages)


@dataclass
class Outcome:
    """What page -> article made of one candidate (see :data:`KINDS`).

    ``record`` is the article's ``articles`` row (``archive.article_record``) when
    a ``previous`` row was compared; ``derive_ms`` is the worker's time in
    ``derive_article``, for the benchmark's per-stage figures. ``decision`` is the
    article decision with its evidence (``validate.Decision.to_dict()``), for an
    article as for a page that is not one; None where page -> article crashed.
    """

    kind: str
    article: Article | None = None
    reason: str | None = None
    detail: str = ""
    derive_ms: float = 0.0
    record: dict | None = None
    #: Set when the worker stored the outcome (see :class:`ArchiveTarget`): for an
    #: article ``inserted``, ``updated``, ``unchanged`` or ``over-limit``, else ``skipped``.
    action: str | None = None
    canonical_url: str | None = None
    store_ms: float = 0.0
    decision: dict | None = None


@dataclass
class ArchiveTarget:
    """Tells the workers to store what they derive, as a crawl does.

    Each batch is written by the worker that derived it, in one transaction
    (pages that were not articles, then articles with their pages, then the
    extraction failures), so a failed write stores nothing of it. The parent then receives only the small
    outcomes, never the compressed pages. ``room`` is the most new or changed
    articles this batch may store (``WARTA_MAX_ARTICLES``); None is no limit.
    """

    archive_path: str
    crawl_id: int | None = None
    room: int | None = None


# --- the worker side ----------------------------------------------------------------------

_READERS: dict[str, sqlite3.Connection] = {}


#: Seconds between a worker's checks that its parent is still alive.
ORPHAN_CHECK_INTERVAL = 0.5

#: Modules a worker never needs but would load anyway: sqlite-utils imports pandas
#: (and with it numpy and pyarrow) whenever they are installed, which costs ~80 MB
#: of RSS in each worker for nothing (measured with scripts/bench_crawl.py).
WORKER_BLOCKED_MODULES = ("pandas", "numpy", "pyarrow")

#: Environment variables a worker takes from the pool's creator (WARTA_SITES_PATH ...).
ENV_PREFIX = "WARTA_"


def _warm(parent: int | None = None, environ: dict[str, str] | None = None) -> None:
    """Worker initializer: exit with the parent, take its WARTA_* environment (profile
    folders), skip unneeded modules, import the stages once."""
    if environ is not None:
        # The forkserver keeps the environment it started with; a pool created later
        # (after WARTA_SITES_PATH changed) must still see the caller's current one.
        for key in [k for k in os.environ if k.startswith(ENV_PREFIX)]:
            del os.environ[key]
        os.environ.update(environ)
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="warta-orphan-check").start()
    keep_heavy_modules_out()
    import pipelines.core  # noqa: F401


def keep_heavy_modules_out() -> None:
    """Make ``import pandas``/``numpy``/``pyarrow`` fail in this process, unless already imported.

    For processes that only crawl or derive articles (workers, ``warta crawl``): sqlite-utils
    would load them whenever installed, ~80 MB for nothing. Never call it in a process
    that may want them later (a notebook, ``warta export``).
    """
    for name in WORKER_BLOCKED_MODULES:
        sys.modules.setdefault(name, None)  # `import pandas` now raises ImportError


def _exit_with_parent(parent: int) -> None:
    # A parent killed with SIGKILL cannot shut the pool down. Its workers would wait
    # on their queue forever, and so would the forkserver they came from, which
    # only exits once the parent and every worker are gone.
    while _alive(parent):
        time.sleep(ORPHAN_CHECK_INTERVAL)
    os._exit(0)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, killed but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _ping() -> int:
    time.sleep(0.05)  # long enough for the next ping to go to another worker
    return os.getpid()


def _load_pages(archive_path: str, page_ids: list[int]) -> dict[int, Page]:
    """The stored pages ``page_ids`` (those that exist), decompressed, by id."""
    from .archive import row_to_page

    conn = _READERS.get(archive_path)
    if conn is None:
        conn = sqlite3.connect(f"file:{archive_path}?mode=ro", uri=True, timeout=30)
        conn.row_factory = sqlite3.Row
        _READERS[archive_path] = conn
    marks = ",".join("?" * len(page_ids))
    return {r["id"]: row_to_page(dict(r)) for r in conn.execute(f"select * from pages where id in ({marks})",
                                                               page_ids)}


#: Columns of ``articles`` that page -> article decides (the rest is crawl bookkeeping).
DERIVED_COLUMNS = (
    "canonical_url", "url", "site", "title", "author", "published", "published_utc", "published_raw",
    "published_source", "published_offset_source", "updated", "updated_utc", "updated_raw", "updated_source",
    "updated_offset_source", "section", "tags",
    "image", "language", "description", "body", "word_count", "page_count", "content_hash", "provenance",
    "extractor_version",
)


def derive_candidate(candidate: Candidate) -> Outcome:
    """Run page -> article on one candidate and say what came of it; never raises.

    :param candidate: the pages (or page ids) of one article candidate
    """
    from .archive import article_record
    from .core import derive_with_decision
    from .profiles import resolve_profile

    started = time.perf_counter()
    pages = candidate.pages
    try:
        if not pages and candidate.page_ids:
            found = _load_pages(candidate.archive_path, candidate.page_ids)
            pages = [found[i] for i in candidate.page_ids if i in found]
        if not pages:
            return Outcome("failed", reason="no-pages", detail="the candidate's pages are missing")
        # A slug whose file is gone (or a site crawled from its URL alone) falls back on the
        # URL's profile: stored pages must always be derivable again, never dropped.
        profile = candidate.profile or resolve_profile(candidate.site, pages[0].url, missing_ok=True)
        article, decision = derive_with_decision(pages, profile)
    except NotAnArticle as e:
        return Outcome("not-article", reason=e.reason, detail=str(e), derive_ms=_ms(started),
                       decision=e.decision.to_dict() if e.decision is not None else None)
    except ExtractionFailed as e:
        return Outcome("failed", reason=e.reason, detail=str(e), derive_ms=_ms(started))
    except Exception as e:  # a bug in a rule must cost one page, not the run
        return Outcome("error", reason=type(e).__name__, detail=f"{e}\n{traceback.format_exc()}",
                       derive_ms=_ms(started))
    took = _ms(started)
    decided = decision.to_dict()
    if candidate.previous is not None:
        record = article_record(article)
        if all(record.get(c) == candidate.previous.get(c) for c in DERIVED_COLUMNS):
            return Outcome("unchanged", derive_ms=took, decision=decided)
        return Outcome("article", article=article, record=record, derive_ms=took, decision=decided)
    return Outcome("article", article=article, derive_ms=took, decision=decided)


def _preload(candidates: list[Candidate]) -> None:
    """Read the pages of every candidate given by ``page_ids`` with one query per archive."""
    by_path: dict[str, list[Candidate]] = {}
    for c in candidates:
        if not c.pages and c.page_ids and c.archive_path:
            by_path.setdefault(c.archive_path, []).append(c)
    for path, group in by_path.items():
        pages = _load_pages(path, [i for c in group for i in c.page_ids])
        for c in group:
            if all(i in pages for i in c.page_ids):
                c.pages = [pages[i] for i in c.page_ids]


def derive_batch(candidates: list[Candidate], target: ArchiveTarget | None = None) -> list[Outcome]:
    """Worker entry point: :func:`derive_candidate` on each candidate, in order, then
    :func:`store_outcomes` when a ``target`` is given."""
    _preload(candidates)
    outcomes = [derive_candidate(c) for c in candidates]
    if target is not None:
        store_outcomes(_writer(target.archive_path), candidates, outcomes, target.crawl_id, target.room)
    return outcomes


_WRITERS: dict[str, object] = {}


def _writer(path: str):
    from .archive import open_archive

    db = _WRITERS.get(path)
    if db is None:
        db = _WRITERS[path] = open_archive(path)
        # WAL with synchronous=NORMAL: a commit does not wait for fsync; a power cut
        # may lose the last batches, never corrupt the archive (a crawl refetches them).
        db.conn.execute("PRAGMA synchronous = NORMAL")
    return db


def store_outcomes(db, candidates: list[Candidate], outcomes: list[Outcome], crawl_id: int | None = None,
                   room: int | None = None) -> None:
    """Store one batch as a crawl does, in one transaction, and note on each outcome what was done.

    Pages that were not articles are kept with their ``skip_reason`` (``error``
    for a crashed rule) and the decision's evidence, articles are stored with all their pages
    (``archive.archive_articles``), and extraction failures and crashes are
    recorded in ``failures`` (stage ``extract``), all in one transaction.

    :param db: the archive
    :param room: most articles to store (the rest get the action ``over-limit``)
    """

    started = time.perf_counter()
    articles: list[tuple[Outcome, Article, list[Page]]] = []
    failed: list[tuple[str, Outcome]] = []
    conn = db.conn
    bodies = [p.body for c, o in zip(candidates, outcomes, strict=True)
              for p in (c.pages if o.kind == "article" else c.pages[:1])]
    with precompressed(bodies):
        # IMMEDIATE: take the write lock now (waiting up to the busy timeout for
        # other writers), not at the first write, where SQLite would give up at once.
        conn.execute("BEGIN IMMEDIATE")
        results = _store_locked(db, candidates, outcomes, crawl_id, room, articles, failed)
    for (outcome, _, _), result in zip(articles, results, strict=True):
        outcome.action, outcome.canonical_url = result.action, result.canonical_url
    took = (time.perf_counter() - started) * 1000.0
    for outcome in outcomes:
        outcome.store_ms = took / len(outcomes)
        outcome.article = None  # stored: no need to send it back


def _store_locked(db, candidates, outcomes, crawl_id, room, articles, failed) -> list:
    """The writes of :func:`store_outcomes`, in the transaction it opened; commits or rolls back."""
    from . import archive

    conn = db.conn
    try:
        for candidate, outcome in zip(candidates, outcomes, strict=True):
            first = candidate.pages[0] if candidate.pages else None
            if outcome.kind == "article":
                if room is not None and len(articles) >= room:
                    outcome.action, outcome.canonical_url = "over-limit", outcome.article.canonical_url
                else:
                    articles.append((outcome, outcome.article, candidate.pages))
                continue
            outcome.action = "skipped"
            if first is None:
                continue
            skip = "error" if outcome.kind == "error" else (outcome.reason or "error")
            archive.store_page(db, first, crawl_id, skip_reason=skip, article_url=None, part=None,
                               decision=archive.decision_json(outcome.decision))
            if outcome.kind != "not-article":
                failed.append((first.url, outcome))
        results = archive.archive_articles(db, [(a, p, o.decision) for o, a, p in articles], crawl_id)
        # In the same transaction: a batch is stored with its failures, or not at all.
        for url, outcome in failed:
            detail = outcome.detail.split("\n", 1)[0] if outcome.kind == "error" else outcome.detail
            archive.record_failure(db, url, "extract", outcome.reason or "error", detail, crawl_id)
        if conn.in_transaction:
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return results


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


# --- the parent side ----------------------------------------------------------------------


def _warta_environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX)}


def _context():
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Nothing is preloaded (the default would import the caller's __main__).
        context.set_forkserver_preload([])
        return context
    return multiprocessing.get_context("spawn")


class _InlineExecutor:
    """``workers=0``: derive in the calling thread (debugging, profiling, tiny runs)."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as e:  # pragma: no cover - derive_batch does not raise
            future.set_exception(e)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


class DerivePool:
    """A pool of worker processes running page -> article on batches of candidates.

    :param workers: worker processes; ``None`` means :func:`default_workers`, 0 runs
        everything in the calling thread
    :param batch_size: most candidates per batch
    :param max_in_flight: most batches submitted and not yet done (default:
        ``IN_FLIGHT_PER_WORKER`` per worker)

    Workers are forked from a fresh ``forkserver`` process that imports nothing of
    the caller's: a fork of the crawl process would carry (and count in RSS) all of
    Scrapy, and ``spawn`` would import the caller's ``__main__`` (the whole CLI) in
    each worker. They import the stages before the first batch arrives.

    Example usage::

        pool = DerivePool(workers=2)
        future = pool.submit([Candidate(site="kabar-lebak", pages=[page])])
        outcome, = future.result()
        pool.close()
    """

    def __init__(self, workers: int | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 max_in_flight: int | None = None):
        self.workers = default_workers() if workers is None else max(0, int(workers))
        self.batch_size = max(1, int(batch_size))
        self.max_in_flight = max_in_flight or max(1, self.workers) * IN_FLIGHT_PER_WORKER
        self._futures: set[Future] = set()
        if self.workers == 0:
            self._executor = _InlineExecutor()
        else:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_warm,
                                                 initargs=(os.getpid(), _warta_environ()))

    def start(self) -> None:
        """Start every worker and wait until each has imported the stages (~1 s), so
        that a crawl's first pages do not wait for it."""
        futures = [self._executor.submit(_ping) for _ in range(self.workers)]
        for future in futures:
            future.result()

    @property
    def in_flight(self) -> int:
        """Batches submitted whose outcomes are not ready yet."""
        self._futures = {f for f in self._futures if not f.done()}
        return len(self._futures)

    @property
    def saturated(self) -> bool:
        """True when ``max_in_flight`` batches are queued: submit no more for now."""
        return self.in_flight >= self.max_in_flight

    def submit(self, batch: list[Candidate], target: ArchiveTarget | None = None) -> Future:
        """Queue one batch; the future's result is the list of Outcomes, in order.

        :param target: store the batch in this archive, in the worker
        """
        future = self._executor.submit(derive_batch, batch, target)
        self._futures.add(future)
        return future

    def imap(self, candidates: Iterable[Candidate]) -> Iterator[tuple[Candidate, Outcome]]:
        """Derive every candidate, yielding ``(candidate, outcome)`` in input order.

        Reads ``candidates`` lazily: at most ``max_in_flight`` batches are pending,
        so a generator over a million stored pages runs in constant memory.
        """
        pending: collections.deque[tuple[list[Candidate], Future]] = collections.deque()
        batch: list[Candidate] = []
        for candidate in candidates:
            batch.append(candidate)
            if len(batch) >= self.batch_size:
                pending.append((batch, self.submit(batch)))
                batch = []
                while len(pending) >= self.max_in_flight:
                    yield from self._collect(pending.popleft())
        if batch:
            pending.append((batch, self.submit(batch)))
        while pending:
            yield from self._collect(pending.popleft())

    @staticmethod
    def _collect(entry: tuple[list[Candidate], Future]) -> Iterator[tuple[Candidate, Outcome]]:
        batch, future = entry
        yield from zip(batch, future.result(), strict=True)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers, after the batches already queued (``cancel``: after those already running)."""
        self._executor.shutdown(wait=True, cancel_futures=cancel)

    def __enter__(self) -> DerivePool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
