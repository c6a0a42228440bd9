"""Re-derive stored articles from their raw pages with the current rules, and swap them in atomically.

No network: every candidate is rebuilt from the ``pages`` table. An article is
re-derived from the very pages it came from (page 1 is ``articles.page_id``,
pages 2..n are the latest rows whose ``article_url`` is the article, by
``part``); a page that was kept as not-an-article (``skip_reason``)
is tried again, so a better rule can find new articles. Each page is re-derived
from what the crawl knew about it (``pages.via``), as the crawl derived it, and its
``decision`` (the evidence of the article decision) is rewritten. The work runs on every
core through :class:`pipelines.parallel.DerivePool` (the crawl's path); the
workers read and decompress the pages themselves.

Changes are first written to a temporary file and then applied to
``articles`` and ``pages`` in one transaction: readers see either the old
archive or the new one, and an interrupted run changes nothing.

Example usage::

    db = open_archive("archive.db")
    report = reprocess_archive(db, site="kabar-lebak")
    print(report.summary())
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlite_utils

from . import archive, derived
from .errors import ArchiveError
from .notebook import parse_day
from .parallel import DERIVED_COLUMNS, Candidate, DerivePool

#: Counted outcomes, in the order the summary prints them.
COUNTS = ("changed", "unchanged", "dropped", "new", "still_skipped", "duplicates", "conflicts")

#: The columns of an ``articles`` row that any writer changes when it stores the article
#: again; reprocess writes a row only if they still hold what it read.
GUARD_COLUMNS = ("content_hash", "page_id", "last_seen")

#: Conflicting URLs kept in the report, to name a few in the summary.
CONFLICTS_SHOWN = 5


@dataclass
class ReprocessReport:
    """What :func:`reprocess_archive` did.

    ``changed``: articles whose derived fields differ now; ``unchanged``: the
    same; ``dropped``: articles that are no longer articles (their page keeps the
    reason in ``skip_reason``); ``new``: pages skipped before that are articles
    now; ``still_skipped``: skipped pages that still are not articles;
    ``duplicates``: newly found articles whose canonical URL was already archived
    from another page (left as they are); ``conflicts``: rows another writer (a
    ``crawl --refresh``) changed after reprocess read them, left as that writer
    made them (run reprocess again to re-derive them).
    """

    pages: int = 0
    seconds: float = 0.0
    changed: int = 0
    unchanged: int = 0
    dropped: int = 0
    new: int = 0
    still_skipped: int = 0
    duplicates: int = 0
    conflicts: int = 0
    conflict_urls: list[str] = field(default_factory=list)
    #: Bytes of the full-text index before and after (see ``archive.fts_bytes``).
    fts_before: int = 0
    fts_after: int = 0
    #: Free pages of the file after the run, and all its pages, in bytes (see ``archive.free_bytes``).
    free_bytes: int = 0
    file_bytes: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    #: Milliseconds spent in ``derive_article`` by the workers, summed.
    derive_ms: float = 0.0
    #: Articles placed in near-duplicate groups anew (None where numpy is kept out).
    groups: int | None = None

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        """One line for the CLI.

        >>> ReprocessReport(pages=3, seconds=1.5, changed=1, unchanged=1, new=1).summary()
        'reprocessed 3 pages in 1.5 s (2 pages/s): 1 changed, 1 unchanged, 0 dropped, 1 newly found, 0 still not articles'
        """
        line = (f"reprocessed {self.pages} pages in {self.seconds:.1f} s ({self.pages_per_second:.0f} pages/s): "
                f"{self.changed} changed, {self.unchanged} unchanged, {self.dropped} dropped, {self.new} newly found, "
                f"{self.still_skipped} still not articles")
        if self.duplicates:
            line += f", {self.duplicates} already archived from another page"
        if self.conflicts:
            shown = ", ".join(self.conflict_urls[:CONFLICTS_SHOWN]) + (", ..." if self.conflicts > CONFLICTS_SHOWN else "")
            line += (f"\n{self.conflicts} not written: changed by another writer (a crawl) after reprocess read "
                     f"them, left as it wrote them; run reprocess again for them: {shown}")
        return line

    @property
    def fts_growth(self) -> float:
        """How much the full-text index grew, as a fraction (0.12: +12 %)."""
        return (self.fts_after - self.fts_before) / self.fts_before if self.fts_before else 0.0

    @property
    def free_share(self) -> float:
        """The share of the file that is free pages (what ``VACUUM`` gives back)."""
        return self.free_bytes / self.file_bytes if self.file_bytes else 0.0


def parse_since(value: str | date | None) -> str | None:
    """``--since`` as the ISO day compared with ``published_utc`` and ``fetched_at``.

    :raises BadFilter: when the value is not YYYY-MM-DD.

    >>> parse_since("2019-11-28")
    '2019-11-28'
    >>> parse_since("28 November 2019")
    Traceback (most recent call last):
    ...
    pipelines.errors.BadFilter: --since: expected a day as YYYY-MM-DD, got '28 November 2019'
    """
    day = parse_day(value, "--since")
    return day.isoformat() if day else None


def _archive_file(db: sqlite_utils.Database) -> str | None:
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return path or None
    return None


# Articles, each with the page it was derived from; and skipped pages (the latest
# fetch of a URL that is no article's page 1).
_ARTICLES_SQL = """
select a.*, p.id as _page_id, p.site as _page_site
from articles a join pages p on p.id = a.page_id
where (:site is null or a.site = :site)
  and (:since is null or coalesce(a.published_utc, a.first_seen) >= :since)
order by a.page_id
"""
_SKIPPED_SQL = """
select p.id, p.site from pages p
where p.skip_reason is not null
  and p.id = (select max(q.id) from pages q where q.url = p.url)
  and p.url not in (select p1.url from articles a1 join pages p1 on p1.id = a1.page_id)
  and (:site is null or p.site = :site)
  and (:since is null or p.fetched_at >= :since)
order by p.id
"""
_PARTS_SQL = """
select part, max(id) from pages where article_url = ? and part >= 2 group by part order by part
"""


def _candidates(reader: sqlite3.Connection, archive_path: str | None, db: sqlite_utils.Database,
                site: str | None, since: str | None) -> Iterator[Candidate]:
    params = {"site": site, "since": since}
    cursor = reader.execute(_ARTICLES_SQL, params)
    columns = [c[0] for c in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        page_id, page_site = row.pop("_page_id"), row.pop("_page_site")
        ids = [page_id]
        if (row.get("page_count") or 1) > 1:
            ids += [pid for _, pid in reader.execute(_PARTS_SQL, [row["canonical_url"]])]
        yield _candidate(db, archive_path, row.get("site") or page_site, ids, row)
    for page_id, page_site in reader.execute(_SKIPPED_SQL, params):
        yield _candidate(db, archive_path, page_site, [page_id], None)


def _candidate(db, archive_path, site, ids, previous) -> Candidate:
    key = (ids[0], previous["canonical_url"] if previous else None)
    if archive_path:
        return Candidate(site=site, page_ids=ids, archive_path=archive_path, key=key, previous=previous)
    pages = [archive.load_page(db, i) for i in ids]  # in-memory archive: workers cannot open it
    return Candidate(site=site, pages=pages, key=key, previous=previous)


def reprocess_archive(
    db: sqlite_utils.Database,
    *,
    site: str | None = None,
    since: str | date | None = None,
    workers: int | None = None,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ReprocessReport:
    """Re-derive every stored article (and every skipped page) with the current rules.

    :param db: the archive (a file, or ``:memory:``, which is derived in this process' pool too)
    :param site: only this profile slug
    :param since: only articles published (pages fetched, for skipped ones) on or after this day
    :param workers: worker processes (default ``WARTA_WORKERS`` or one per core; 0: in this process)
    :param batch_size: candidates per worker batch
    :param progress: called with the number of candidates done, every batch or so
    :raises BadFilter: for a malformed ``since``
    :raises ArchiveError: when another writer holds the archive past the busy timeout

    Example usage::

        report = reprocess_archive(open_archive("archive.db"), since="2019-11-01")
        report.counts()   # {'changed': 12, 'unchanged': 1988, 'dropped': 0, 'new': 3, ...}
    """
    since = parse_since(since)
    started = time.perf_counter()
    report = ReprocessReport()
    path = _archive_file(db)
    if path:
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        candidates = _candidates(reader, path, db, site, since)
    else:
        reader = None
        candidates = iter(list(_candidates(db.conn, None, db, site, since)))
    pool_args = {} if batch_size is None else {"batch_size": batch_size}
    # Changes wait in a temporary file (constant memory at any archive size) until
    # every candidate is derived; then they are applied in one transaction.
    with tempfile.TemporaryFile(prefix="warta-reprocess-") as stash:
        try:
            with DerivePool(workers, **pool_args) as pool:
                for candidate, outcome in pool.imap(candidates):
                    report.pages += 1
                    report.derive_ms += outcome.derive_ms
                    change = _classify(candidate, outcome, report)
                    if change:
                        pickle.dump(change, stash, protocol=pickle.HIGHEST_PROTOCOL)
                    if progress and report.pages % 100 == 0:
                        progress(report.pages)
        finally:
            if reader is not None:
                reader.close()
        stash.seek(0)
        report.fts_before = archive.fts_bytes(db)
        _apply(db, _unstash(stash), report)
        report.fts_after = archive.fts_bytes(db)
        report.free_bytes, report.file_bytes = archive.free_bytes(db)
    report.seconds = time.perf_counter() - started
    if progress:
        progress(report.pages)
    return report


def _classify(candidate: Candidate, outcome, report: ReprocessReport) -> tuple | None:
    """The change to make for one candidate, as a stashed tuple
    ``(action, page_id, old canonical URL, record JSON, reason, detail JSON, decision JSON, guard)``.

    ``guard`` is what the article row held when it was read (:data:`GUARD_COLUMNS`):
    :func:`_apply` writes only if it still does.
    """
    page_id, old = candidate.key
    decision = archive.decision_json(outcome.decision)
    previous = candidate.previous or {}
    guard = [previous.get(c) for c in GUARD_COLUMNS] if old else None
    if outcome.kind in ("article", "unchanged"):
        if outcome.kind == "unchanged":
            report.unchanged += 1
            # the article is the same, but the evidence behind it is re-weighed with today's rules
            return ("decision", page_id, old, None, None, None, decision, None)
        record = outcome.record if outcome.record is not None else archive.article_record(outcome.article)
        action = "update" if old else "insert"
        return (action, page_id, old, json.dumps(record, ensure_ascii=False), None, None, decision, guard)
    reason = "error" if outcome.kind == "error" else (outcome.reason or "error")
    report.reasons[reason] = report.reasons.get(reason, 0) + 1
    detail = outcome.detail.split("\n", 1)[0] if outcome.kind == "error" else outcome.detail
    failure = outcome.reason if outcome.kind in ("failed", "error") else None
    if old:
        return ("drop", page_id, old, None, reason, json.dumps([failure, detail]), decision, guard)
    report.still_skipped += 1
    return ("skip", page_id, None, None, reason, json.dumps([failure, detail]), decision, None)


def _changed_since_read(conn, action: str, page_id: int, old: str | None, guard: list | None) -> bool:
    """True when another writer changed the row since reprocess read it (a ``crawl --refresh``).

    An article is compared on :data:`GUARD_COLUMNS`; a skipped page must still be
    a skipped page, not claimed by an article meanwhile. A re-weighed decision of an
    unchanged article only annotates its page: never a conflict.
    """
    if action == "decision":
        return False
    if action in ("update", "drop"):
        now = conn.execute(f"select {', '.join(GUARD_COLUMNS)} from articles where canonical_url = ?",
                           [old]).fetchone()
        return now is None or list(now) != list(guard)
    now = conn.execute("select skip_reason, article_url from pages where id = ?", [page_id]).fetchone()
    return now is None or now[0] is None or now[1] is not None


def _unstash(stash) -> Iterator[tuple]:
    while True:
        try:
            yield pickle.load(stash)
        except EOFError:
            return


def _apply(db: sqlite_utils.Database, changes: Iterator[tuple], report: ReprocessReport) -> None:
    """Apply the changes to ``articles`` and ``pages`` in one transaction.

    A row another writer changed since it was read is left as that writer made it
    and counted in ``report.conflicts``: fresh text is never replaced by text
    derived from an older page.
    """
    conn = db.conn
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    cols = list(DERIVED_COLUMNS)
    set_sql = ", ".join(f"[{c}] = ?" for c in cols)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        raise ArchiveError(f"archive is busy, try again when the crawl ends ({e})") from None
    try:
        for action, page_id, old, record_json, reason, detail, decision, guard in changes:
            if _changed_since_read(conn, action, page_id, old, guard):
                report.conflicts += 1
                if len(report.conflict_urls) < CONFLICTS_SHOWN:
                    report.conflict_urls.append(old or conn.execute("select url from pages where id = ?",
                                                                    [page_id]).fetchone()[0])
                if action == "skip":
                    report.still_skipped -= 1
                continue
            conn.execute("update pages set decision = ? where id = ?", [decision, page_id])
            if action == "decision":
                continue
            if action == "update":
                record = json.loads(record_json)
                new = record["canonical_url"]
                if new == old:
                    conn.execute(f"update articles set {set_sql} where canonical_url = ?",
                                 [record[c] for c in cols] + [old])
                else:
                    kept = conn.execute("select page_id, crawl_id, first_seen, last_seen from articles "
                                        "where canonical_url = ?", [old]).fetchone()
                    conn.execute("delete from articles where canonical_url = ?", [old])
                    conn.execute("delete from articles where canonical_url = ?", [new])
                    _insert_article(conn, record, *kept)
                    conn.execute("update pages set article_url = ? where article_url = ?", [new, old])
                report.changed += 1
            elif action == "insert":
                record = json.loads(record_json)
                if conn.execute("select 1 from articles where canonical_url = ?",
                                [record["canonical_url"]]).fetchone():
                    report.duplicates += 1
                    continue
                crawl_id, fetched_at = conn.execute("select crawl_id, fetched_at from pages where id = ?",
                                                    [page_id]).fetchone()
                seen = fetched_at[:19] + "Z"
                _insert_article(conn, record, page_id, crawl_id, seen, seen)
                conn.execute("update pages set article_url = ?, part = 1, skip_reason = null where id = ?",
                             [record["canonical_url"], page_id])
                report.new += 1
            else:
                failure, text = json.loads(detail)
                if action == "drop":
                    conn.execute("delete from articles where canonical_url = ?", [old])
                    conn.execute("update pages set skip_reason = ?, article_url = null, part = null where id = ?",
                                 [reason, page_id])
                    report.dropped += 1
                else:
                    conn.execute("update pages set skip_reason = ? where id = ?", [reason, page_id])
                if failure:
                    url = conn.execute("select url from pages where id = ?", [page_id]).fetchone()[0]
                    conn.execute("insert into failures (crawl_id, url, stage, reason, detail, at) "
                                 "values (null, ?, 'extract', ?, ?, ?)", [url, failure, (text or "")[:2000], now])
        # The stemmed index follows the changes; the near-duplicate groups are re-derived whole.
        derived.sync_stems(conn)
        report.groups = derived.regroup(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _insert_article(conn, record: dict, page_id, crawl_id, first_seen, last_seen) -> None:
    row = {**record, "page_id": page_id, "crawl_id": crawl_id, "first_seen": first_seen, "last_seen": last_seen}
    names = list(row)
    conn.execute(f"insert into articles ({', '.join(f'[{n}]' for n in names)}) "
                 f"values ({', '.join('?' * len(names))})", [row[n] for n in names])
