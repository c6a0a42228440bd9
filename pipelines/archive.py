"""The archive: warta's SQLite schema, its migrations, and the functions that write to it.

This is the only module that writes SQL DDL. Tables:

- ``pages``: every fetched article candidate, raw bytes zlib-compressed, with its
  fetch metadata; pages that were not articles keep the reason in ``skip_reason``.
- ``articles``: one row per canonical URL, the cleaned article.
- ``article_versions``: earlier contents of articles whose text changed on a refresh.
- ``crawls``: one row per run, with its settings and stats.
- ``failures``: every fetch or processing failure, with URL, stage and reason.
- ``articles_fts``: FTS5 over title and body (unicode61, diacritics removed, no
  stemmer), kept in sync by triggers, so ``sqlite-utils search`` and Datasette's
  search box work.
- ``articles_stem_fts``: FTS5 over the *stems* of title and body (contentless),
  and ``articles.dup_group`` / ``earliest_copy`` with the ``article_lsh`` bands:
  derived by Python (Sastrawi, MinHash), so plain-SQL triggers only queue each
  changed article in ``stem_changes`` and ``group_changes``, and :mod:`pipelines.derived`
  brings them up to date in warta's write path (see :mod:`pipelines.derived`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from .article import Article, iso, utc_iso
from .errors import ArchiveError
from .page import Page, compress_body, decompress_body

#: Bumped by every migration; stored in ``PRAGMA user_version``.
SCHEMA_VERSION = 4

#: unicode61 folds case and, with remove_diacritics 2, accents; no stemmer, since
#: Porter is English-only and would mangle Indonesian affixes.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

#: The articles columns of schema 1 (migration 1 creates them; later migrations add to them).
ARTICLE_COLUMNS = {
    "canonical_url": str,
    "url": str,
    "site": str,
    "title": str,
    "author": str,
    "published": str,
    "published_utc": str,
    "published_raw": str,
    "published_source": str,
    "updated": str,
    "updated_utc": str,
    "updated_raw": str,
    "updated_source": str,
    "section": str,
    "tags": str,
    "image": str,
    "language": str,
    "description": str,
    "body": str,
    "word_count": int,
    "page_count": int,
    "content_hash": str,
    "provenance": str,
    "extractor_version": str,
    "page_id": int,
    "crawl_id": int,
    "first_seen": str,
    "last_seen": str,
}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _migrate_1(db: sqlite_utils.Database) -> None:
    db["crawls"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "sites": str,
            "settings": str,
            "stats": str,
        },
        pk="id",
    )
    db["pages"].create(
        {
            "id": int,
            "url": str,
            "final_url": str,
            "status": int,
            "headers": str,
            "fetched_at": str,
            "site": str,
            "crawl_id": int,
            "body": bytes,
            "body_size": int,
            "body_sha256": str,
            "article_url": str,
            "part": int,
            "skip_reason": str,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id")],
    )
    db["pages"].create_index(["url"])
    db["pages"].create_index(["article_url"])
    db["pages"].create_index(["url", "body_sha256"], unique=True)
    db["articles"].create(ARTICLE_COLUMNS, pk="canonical_url", not_null={"url", "body"})
    db["articles"].create_index(["site", "published_utc"])
    db["articles"].create_index(["url"])
    db["articles"].create_index(["published_utc"])
    db["article_versions"].create(
        {
            "id": int,
            "canonical_url": str,
            "archived_at": str,
            "content_hash": str,
            "title": str,
            "author": str,
            "published": str,
            "body": str,
            "page_id": int,
            "extractor_version": str,
        },
        pk="id",
    )
    db["article_versions"].create_index(["canonical_url"])
    db["failures"].create(
        {
            "id": int,
            "crawl_id": int,
            "url": str,
            "stage": str,
            "reason": str,
            "detail": str,
            "at": str,
        },
        pk="id",
    )
    db["failures"].create_index(["crawl_id"])
    _create_fts(db)


def _create_fts(db: sqlite_utils.Database) -> None:
    """FTS5 over articles(title, body) with sync triggers, named as sqlite-utils names them,
    so ``sqlite-utils search`` and Datasette find it. Written as plain statements because
    ``Table.enable_fts`` runs ``executescript``, which would commit a migration half-way."""
    db.execute(
        "CREATE VIRTUAL TABLE [articles_fts] USING FTS5 ([title], [body], "
        f"tokenize='{FTS_TOKENIZE}', content=[articles])"
    )
    db.execute(
        "CREATE TRIGGER [articles_ai] AFTER INSERT ON [articles] BEGIN "
        "INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.rowid, new.[title], new.[body]); END"
    )
    db.execute(
        "CREATE TRIGGER [articles_ad] AFTER DELETE ON [articles] BEGIN "
        "INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body]) "
        "VALUES('delete', old.rowid, old.[title], old.[body]); END"
    )
    db.execute(
        "CREATE TRIGGER [articles_au] AFTER UPDATE ON [articles] BEGIN "
        "INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body]) "
        "VALUES('delete', old.rowid, old.[title], old.[body]); "
        "INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.rowid, new.[title], new.[body]); END"
    )


def _migrate_2(db: sqlite_utils.Database) -> None:
    """Where each date's offset came from (docs/dates.md): ``stated``, ``corrected``,
    ``profile``, ``indonesian``, ``fetch`` or ``unknown`` (a local time of unknown zone,
    stored without offset and with a NULL ``*_utc``). NULL for a day-only or missing
    date, and for rows stored before this column (``warta reprocess`` fills them)."""
    db.execute("ALTER TABLE articles ADD COLUMN published_offset_source TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN updated_offset_source TEXT")


def _migrate_3(db: sqlite_utils.Database) -> None:
    """The stemmed search index, the near-duplicate groups, and the queues that keep both in step.

    Both are computed in Python (Sastrawi stems, MinHash), which SQL triggers
    cannot call without breaking every other program that writes to the archive.
    So the triggers here are plain SQL: they put each inserted, changed or deleted
    article in ``stem_changes`` and ``group_changes`` (with the text the index
    and the groups were built from, which a contentless FTS5 table needs to remove
    an entry), and warta drains the queues (:mod:`pipelines.derived`): the stems in
    every write, the groups wherever numpy can be loaded (a crawl's process keeps it
    out, so a crawl groups its articles when it ends). ``derived_versions`` records
    which stemmer and grouping parameters built them, so a new version rebuilds
    them; it starts empty, so they are built from the articles already there.
    """
    db.execute(
        "CREATE VIRTUAL TABLE [articles_stem_fts] USING FTS5 ([title], [body], "
        f"tokenize='{FTS_TOKENIZE}', content='')"
    )
    db.execute(
        "CREATE TABLE [stem_changes] ([article_rowid] INTEGER PRIMARY KEY, [indexed] INTEGER NOT NULL, "
        "[old_title] TEXT, [old_body] TEXT)"
    )
    db.execute(
        "CREATE TABLE [group_changes] ([article_rowid] INTEGER PRIMARY KEY, [indexed] INTEGER NOT NULL, "
        "[old_body] TEXT)"
    )
    db.execute("CREATE TABLE [derived_versions] ([name] TEXT PRIMARY KEY, [version] TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE [article_lsh] ([band_key] INTEGER NOT NULL, [article_rowid] INTEGER NOT NULL, "
        "PRIMARY KEY ([band_key], [article_rowid])) WITHOUT ROWID"
    )
    db.execute("ALTER TABLE [articles] ADD COLUMN [dup_group] INTEGER")
    db.execute("ALTER TABLE [articles] ADD COLUMN [earliest_copy] TEXT")
    db.execute("CREATE INDEX [idx_articles_dup_group] ON [articles] ([dup_group])")
    # The exact index's update trigger fired on every update (last_seen, the groups)
    # and re-indexed the text each time; now only when the text or the rowid changes.
    db.execute("DROP TRIGGER [articles_au]")
    db.execute(
        "CREATE TRIGGER [articles_au] AFTER UPDATE ON [articles] "
        "WHEN old.[title] IS NOT new.[title] OR old.[body] IS NOT new.[body] OR old.rowid IS NOT new.rowid BEGIN "
        "INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body]) "
        "VALUES('delete', old.rowid, old.[title], old.[body]); "
        "INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.rowid, new.[title], new.[body]); END"
    )
    # "or ignore": the first change since the last sync holds what the index has.
    queue_new = ("INSERT OR IGNORE INTO [stem_changes] ([article_rowid], [indexed]) VALUES (new.rowid, 0); "
                 "INSERT OR IGNORE INTO [group_changes] ([article_rowid], [indexed]) VALUES (new.rowid, 0); ")
    queue_old = ("INSERT OR IGNORE INTO [stem_changes] ([article_rowid], [indexed], [old_title], [old_body]) "
                 "VALUES (old.rowid, 1, old.[title], old.[body]); "
                 "INSERT OR IGNORE INTO [group_changes] ([article_rowid], [indexed], [old_body]) "
                 "VALUES (old.rowid, 1, old.[body]); ")
    db.execute(f"CREATE TRIGGER [articles_changes_ai] AFTER INSERT ON [articles] BEGIN {queue_new}END")
    db.execute(
        "CREATE TRIGGER [articles_changes_au] AFTER UPDATE OF [title], [body], [published_utc] ON [articles] "
        "WHEN old.[title] IS NOT new.[title] OR old.[body] IS NOT new.[body] "
        f"OR old.[published_utc] IS NOT new.[published_utc] OR old.rowid IS NOT new.rowid BEGIN {queue_old}"
        f"{queue_new}END"
    )
    db.execute(f"CREATE TRIGGER [articles_changes_ad] AFTER DELETE ON [articles] BEGIN {queue_old}END")


def _migrate_4(db: sqlite_utils.Database) -> None:
    """Pages keep what the crawl knew (``via``: sitemap, feed, index, link, next-page) and the
    article decision with its evidence (``decision``, JSON), for kept and skipped pages alike."""
    db.execute("ALTER TABLE [pages] ADD COLUMN [via] TEXT")
    db.execute("ALTER TABLE [pages] ADD COLUMN [decision] TEXT")


#: Migration n brings a database from schema n-1 to n. Append, never edit.
MIGRATIONS = [_migrate_1, _migrate_2, _migrate_3, _migrate_4]


def open_archive(path: str | Path = "archive.db", *, create: bool = True,
                 read_only: bool = False) -> sqlite_utils.Database:
    """Open (and create or migrate) the archive at ``path``, in WAL mode; or only read it.

    A writable open creates a missing file (unless ``create=False``), runs the
    migrations it lacks and switches it to WAL. A read-only open
    (``read_only=True``, what the read commands use) does none of that: it opens
    the file with SQLite's ``mode=ro``, never creates, converts or migrates it,
    and works on a file or folder nobody may write (a read-only mount, a
    ``chmod 0444`` copy).

    :param path: file path, or ``":memory:"``
    :param create: when False, a missing file raises instead of being created
    :param read_only: read without writing anything (implies ``create=False``)
    :raises ArchiveError: when the file is missing, is not a SQLite database, has
        a schema newer than this warta knows (or, read-only, older), or cannot
        be written by a writable open.

    Example usage::

        db = open_archive("archive.db")
        db["articles"].count
        reader = open_archive("archive.db", read_only=True)
    """
    if str(path) != ":memory:":
        p = Path(path)
        if (read_only or not create) and not p.exists():
            raise ArchiveError(f"no archive at {p} (run `warta crawl` or `warta demo` first)")
        if p.exists() and p.is_dir():
            raise ArchiveError(f"{p} is a directory, not an archive file")
        if not p.parent.exists():
            raise ArchiveError(f"folder {p.parent} does not exist")
        if read_only:
            return _open_read_only(p)
        _check_writable(p)
    try:
        conn = sqlite3.connect(str(path), timeout=30)
        db = sqlite_utils.Database(conn)
        conn.execute("PRAGMA busy_timeout = 30000")
        if str(path) != ":memory:":
            db.enable_wal()
        ensure_schema(db)
    except sqlite3.DatabaseError as e:
        if _is_read_only_error(e):
            raise ArchiveError(_read_only_message(Path(path), str(e))) from None
        raise ArchiveError(f"{path}: not a warta archive ({e})") from None
    return db


def _read_only_message(path: Path, why: str) -> str:
    return (f"{path} is read-only ({why}): read commands (search, export, stats, failures, serve) work, "
            f"write commands need write access to the file and its folder")


def _is_read_only_error(error: Exception) -> bool:
    text = str(error).lower()
    return "readonly" in text or "read-only" in text


def _check_writable(path: Path) -> None:
    """Refuse a writable open that could only fail later, half-way through a command.

    ``os.access`` answers for this process (root passes chmod, not a read-only mount).
    """
    if path.exists() and not os.access(path, os.W_OK):
        raise ArchiveError(_read_only_message(path, "the file is not writable"))
    if not os.access(path.parent, os.W_OK):
        if not path.exists():
            raise ArchiveError(f"cannot create {path}: folder {path.parent} is not writable")
        raise ArchiveError(_read_only_message(path, "its folder is not writable"))


def _open_read_only(path: Path) -> sqlite_utils.Database:
    """Open an existing archive with ``mode=ro``: no file is created, converted or migrated.

    A WAL archive needs its ``-shm`` file, which SQLite creates next to it; in a
    folder nobody may write, the file is opened ``immutable`` instead, which is
    safe only when no write-ahead log waits to be applied (nothing can write
    there anyway).
    """
    if path.stat().st_size == 0:
        raise ArchiveError(f"{path}: not a warta archive (an empty file)")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = _probe(uri)
    except sqlite3.OperationalError as e:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise ArchiveError(f"{path}: cannot read it ({e}); its write-ahead log holds changes that only "
                               f"a writable open can apply") from None
        try:
            conn = _probe(uri + "&immutable=1")
        except sqlite3.DatabaseError as e2:
            raise ArchiveError(f"{path}: not a warta archive ({e2})") from None
    except sqlite3.DatabaseError as e:
        raise ArchiveError(f"{path}: not a warta archive ({e})") from None
    db = sqlite_utils.Database(conn)
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        conn.close()
        raise ArchiveError(f"archive schema {version} is newer than this warta ({SCHEMA_VERSION}); upgrade warta")
    if version == 0:
        conn.close()
        raise ArchiveError(f"{path}: not a warta archive (no warta schema)")
    if version < SCHEMA_VERSION:
        conn.close()
        raise ArchiveError(f"{path}: archive schema {version} is older than this warta's ({SCHEMA_VERSION}); "
                           f"a write command (e.g. `warta compact`) upgrades it")
    return db


def _probe(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA query_only = 1")
        conn.execute("select count(*) from sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def refresh_derived(db: sqlite_utils.Database, path: str | Path | None = None) -> dict[str, int]:
    """For a read command: bring the derived indexes (stems, near-duplicate groups) up to date
    when another program left articles they do not know; returns what is still pending.

    The read command's own connection stays read-only; the sync is a short write of
    its own, made only where it converts nothing: an archive of this schema, already
    in WAL mode, that this process may write at ``path``. Elsewhere (a read-only copy
    or mount, a rollback-journal file), or with no ``path`` (only ``db`` itself may
    write, if it can), the archive is read as it is.
    """
    from .derived import pending, sync_derived_if_possible

    try:
        waiting = pending(db.conn)
    except sqlite3.OperationalError:
        return {}  # an archive without these tables: the query itself reports it
    if not any(waiting.values()):
        return {}
    if path is None:  # only this connection: a query_only one reads the archive as it is
        return sync_derived_if_possible(db)
    p = Path(path)
    if (db.execute("pragma journal_mode").fetchone()[0] == "wal" and os.access(p, os.W_OK)
            and os.access(p.parent, os.W_OK)):
        try:
            writer = open_archive(p, create=False)
        except ArchiveError:
            return {name: n for name, n in waiting.items() if n}  # read as it is
        try:
            sync_derived_if_possible(writer)
        finally:
            writer.close()
    return {name: n for name, n in pending(db.conn).items() if n}


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the write lock at once (``BEGIN IMMEDIATE``).

    A plain ``BEGIN`` takes the lock at its first write; in WAL mode, when another
    writer committed since, SQLite then fails at once with "database is locked"
    instead of waiting (the busy timeout does not apply). Nested in an open
    transaction it is a savepoint.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():  # a savepoint
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the schema or run the migrations it lacks, each in a transaction.

    :raises ArchiveError: when the file's schema is newer than this code.
    """
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise ArchiveError(f"archive schema {current} is newer than this warta ({SCHEMA_VERSION}); upgrade warta")
    for number in range(current + 1, SCHEMA_VERSION + 1):
        with write_transaction(db):
            if schema_version(db) >= number:  # another process migrated it while we waited
                continue
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
    if current < SCHEMA_VERSION:
        from .derived import sync_derived

        with write_transaction(db):  # the derived indexes of the articles already there
            sync_derived(db.conn)


#: How a failed archive write is recorded (``failures.reason``, stage ``store``), by what SQLite said.
_WRITE_ERRORS = (
    ("disk is full", "disk-full"), ("no space left", "disk-full"), ("readonly", "read-only"),
    ("read-only", "read-only"), ("database is locked", "locked"), ("disk i/o error", "io-error"),
    ("malformed", "corrupt"), ("not a database", "corrupt"),
)


def write_error_reason(error: BaseException) -> str:
    """The reason code of a failed archive write, for ``failures`` and the crawl summary.

    >>> write_error_reason(sqlite3.OperationalError("database or disk is full"))
    'disk-full'
    >>> write_error_reason(sqlite3.OperationalError("attempt to write a readonly database"))
    'read-only'
    >>> write_error_reason(ValueError("boom"))
    'ValueError'
    """
    text = str(error).lower()
    for needle, reason in _WRITE_ERRORS:
        if needle in text:
            return reason
    if isinstance(error, sqlite3.Error):
        return "sqlite-error"
    return type(error).__name__


# --- compaction -------------------------------------------------------------------------


def archive_bytes(path: str | Path) -> int:
    """Bytes the archive takes on disk: the file and its write-ahead log."""
    return sum(Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal")
               if Path(f"{path}{suffix}").exists())


def fts_tables(db: sqlite_utils.Database) -> list[str]:
    """The archive's FTS5 indexes (``articles_fts``, the stemmed ``articles_stem_fts`` ...)."""
    return [name for (name,) in db.execute(
        "select name from sqlite_master where type = 'table' and sql like 'CREATE VIRTUAL TABLE%USING FTS5%' "
        "order by name")]


def fts_bytes(db: sqlite_utils.Database) -> int:
    """Bytes of the full-text indexes (their ``_data`` blocks); rewrites grow them until they are merged."""
    return sum(db.execute(f"select coalesce(sum(length(block)), 0) from [{name}_data]").fetchone()[0]
               for name in fts_tables(db))


def free_bytes(db: sqlite_utils.Database) -> tuple[int, int]:
    """(bytes of free pages, bytes of all pages) of the archive: what ``VACUUM`` would give back, of what."""
    size = db.execute("pragma page_size").fetchone()[0]
    free = db.execute("pragma freelist_count").fetchone()[0]
    return free * size, db.execute("pragma page_count").fetchone()[0] * size


@dataclass
class CompactReport:
    """What :func:`compact_archive` did: bytes on disk and bytes of the full-text index, before and after."""

    bytes_before: int
    bytes_after: int
    fts_before: int
    fts_after: int

    def summary(self, path: str | Path) -> str:
        """One line for the CLI.

        >>> CompactReport(10_485_760, 7_340_032, 2_097_152, 1_048_576).summary("archive.db")
        'compacted archive.db: 10.0 MB -> 7.0 MB on disk (3.0 MB reclaimed); full-text index 2.0 MB -> 1.0 MB'
        """
        mb = 1024 * 1024
        return (f"compacted {path}: {self.bytes_before / mb:.1f} MB -> {self.bytes_after / mb:.1f} MB on disk "
                f"({max(0, self.bytes_before - self.bytes_after) / mb:.1f} MB reclaimed); "
                f"full-text index {self.fts_before / mb:.1f} MB -> {self.fts_after / mb:.1f} MB")


def compact_archive(db: sqlite_utils.Database, path: str | Path) -> CompactReport:
    """Merge each full-text index into one segment (FTS5 ``optimize``) and rebuild the file (``VACUUM``).

    Rewrites (refreshes, ``warta reprocess``) leave the FTS index in many
    segments and free pages in the file; this reclaims both. It needs as much
    free disk as the archive takes and waits for (then blocks) other writers.

    :raises ArchiveError: when the archive is busy or the disk too full to rebuild it.

    Example usage::

        report = compact_archive(open_archive("archive.db"), "archive.db")
    """
    before, fts_before = archive_bytes(path), fts_bytes(db)
    try:
        with write_transaction(db):
            for name in fts_tables(db):
                db.execute(f"INSERT INTO [{name}]([{name}]) VALUES('optimize')")
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as e:
        raise ArchiveError(f"{path}: cannot compact it ({e})") from None
    return CompactReport(before, archive_bytes(path), fts_before, fts_bytes(db))


# --- crawls and failures --------------------------------------------------------------


def start_crawl(db: sqlite_utils.Database, sites: Iterable[str], settings: dict | None = None) -> int:
    """Insert a ``crawls`` row for a new run and return its id."""
    with write_transaction(db):
        table = db["crawls"].insert(
            {
                "started_at": _now(),
                "status": "running",
                "sites": json.dumps(list(sites)),
                "settings": json.dumps(settings or {}, default=str, sort_keys=True),
                "stats": "{}",
            }
        )
    return table.last_pk


def finish_crawl(db: sqlite_utils.Database, crawl_id: int, stats: dict, status: str = "finished") -> None:
    """Store a run's stats and end time."""
    with write_transaction(db):
        db["crawls"].update(
            crawl_id,
            {"finished_at": _now(), "status": status, "stats": json.dumps(stats, default=str, sort_keys=True)},
        )


def record_failure(
    db: sqlite_utils.Database, url: str | None, stage: str, reason: str, detail: str = "", crawl_id: int | None = None
) -> None:
    """Record one failure: ``stage`` is discover, fetch, robots, extract or store."""
    with write_transaction(db):
        db["failures"].insert(
            {"crawl_id": crawl_id, "url": url, "stage": stage, "reason": reason, "detail": detail[:2000], "at": _now()}
        )


# --- pages ------------------------------------------------------------------------------


def page_record(page: Page, crawl_id: int | None = None) -> dict:
    """The ``pages`` row of a Page (body compressed)."""
    return {
        "url": page.url,
        "final_url": page.final_url or page.url,
        "status": page.status,
        "headers": json.dumps(page.headers, sort_keys=True),
        "fetched_at": page.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "site": page.site,
        "crawl_id": crawl_id,
        "body": compress_body(page.body),
        "body_size": len(page.body),
        "body_sha256": hashlib.sha256(page.body).hexdigest(),
        "via": page.via,
    }


def store_page(db: sqlite_utils.Database, page: Page, crawl_id: int | None = None, **fields) -> int:
    """Store a page (idempotent on URL + body hash) and return its id.

    Extra ``fields`` (``article_url``, ``part``, ``skip_reason``, ``decision``) are set on the row.
    """
    record = page_record(page, crawl_id)
    existing = db.execute(
        "select id from pages where url = ? and body_sha256 = ?", [record["url"], record["body_sha256"]]
    ).fetchone()
    if existing:
        if fields:
            db["pages"].update(existing[0], fields)
        return existing[0]
    record.update(fields)
    return db["pages"].insert(record).last_pk


def load_page(db: sqlite_utils.Database, page_id: int) -> Page:
    """Rebuild the Page stored under ``page_id`` (body decompressed)."""
    row = db["pages"].get(page_id)
    return row_to_page(row)


def row_to_page(row: dict) -> Page:
    return Page(
        url=row["url"],
        body=decompress_body(row["body"]),
        fetched_at=datetime.fromisoformat(row["fetched_at"].replace("Z", "+00:00")),
        final_url=row["final_url"],
        status=row["status"],
        headers=json.loads(row["headers"] or "{}"),
        site=row["site"],
        via=row.get("via"),
    )


# --- articles ---------------------------------------------------------------------------


def article_record(article: Article) -> dict:
    """The ``articles`` row of an Article."""
    return {
        "canonical_url": article.canonical_url,
        "url": article.url,
        "site": article.site,
        "title": article.title,
        "author": article.author,
        "published": iso(article.published),
        "published_utc": utc_iso(article.published),
        "published_raw": article.published_raw,
        "published_source": article.published_source,
        "published_offset_source": article.published_offset_source,
        "updated": iso(article.updated),
        "updated_utc": utc_iso(article.updated),
        "updated_raw": article.updated_raw,
        "updated_source": article.updated_source,
        "updated_offset_source": article.updated_offset_source,
        "section": article.section,
        "tags": json.dumps(article.tags, ensure_ascii=False),
        "image": article.image,
        "language": article.language,
        "description": article.description,
        "body": article.body,
        "word_count": article.word_count,
        "page_count": article.page_count,
        "content_hash": article.content_hash,
        "provenance": json.dumps(article.provenance, sort_keys=True),
        "extractor_version": article.extractor_version,
    }


@dataclass
class StoreResult:
    """What :func:`archive_article` did: ``inserted``, ``updated`` (content changed,
    old version kept), or ``unchanged``."""

    action: str
    canonical_url: str


def decision_json(decision) -> str | None:
    """The ``pages.decision`` text of a :class:`pipelines.validate.Decision` (or its dict), or None.

    >>> decision_json({"verdict": "article", "reason": "evidence", "score": 6.5})
    '{"reason": "evidence", "score": 6.5, "verdict": "article"}'
    """
    if decision is None:
        return None
    if hasattr(decision, "to_dict"):
        decision = decision.to_dict()
    return json.dumps(decision, ensure_ascii=False, sort_keys=True)


def archive_article(
    db: sqlite_utils.Database,
    article: Article,
    pages: Iterable[Page] = (),
    crawl_id: int | None = None,
    decision=None,
) -> StoreResult:
    """Store an article and the pages it came from, in one transaction.

    Idempotent: keyed on the canonical URL. When the stored article's content
    hash differs, the stored row is copied to ``article_versions`` first.
    ``decision`` (a :class:`pipelines.validate.Decision` or its dict) is kept
    with page 1, so a reader can see why the page was taken for an article.

    Example usage::

        db = open_archive(":memory:")
        archive_article(db, article, [page])
    """
    pages = list(pages)
    _warm_stems([article])
    with write_transaction(db):
        result = _archive_article(db, article, pages, crawl_id, decision)
        _sync_derived(db)
        return result


def archive_articles(
    db: sqlite_utils.Database, batch: Iterable[tuple], crawl_id: int | None = None
) -> list[StoreResult]:
    """Store many ``(article, pages)`` or ``(article, pages, decision)`` tuples in a single
    transaction (fast path for crawls)."""
    batch = list(batch)
    _warm_stems([item[0] for item in batch])
    with write_transaction(db):
        results = [_archive_article(db, item[0], item[1], crawl_id, item[2] if len(item) > 2 else None)
                   for item in batch]
        _sync_derived(db)
        return results


def _warm_stems(articles: list[Article]) -> None:
    """Stem the articles' words before the write lock is taken (the stems are cached), so that
    the transaction, which other writers wait for, only writes them."""
    from .stem import stem_text

    for article in articles:
        stem_text(article.title)
        stem_text(article.body)


def _sync_derived(db: sqlite_utils.Database) -> None:
    from .derived import sync_derived

    sync_derived(db.conn)


def _archive_article(db, article: Article, pages: list[Page], crawl_id: int | None, decision=None) -> StoreResult:
    page_ids = [
        store_page(db, page, crawl_id, article_url=article.canonical_url, part=n, skip_reason=None,
                   **({"decision": decision_json(decision)} if n == 1 else {}))
        for n, page in enumerate(pages, start=1)
    ]
    record = article_record(article)
    seen = pages[0].fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if pages else _now()
    record.update({"page_id": page_ids[0] if page_ids else None, "crawl_id": crawl_id, "last_seen": seen})
    old = db.execute(
        "select content_hash, title, author, published, body, page_id, extractor_version, first_seen "
        "from articles where canonical_url = ?",
        [article.canonical_url],
    ).fetchone()
    if old is None:
        record["first_seen"] = seen
        db["articles"].insert(record)
        return StoreResult("inserted", article.canonical_url)
    record["first_seen"] = old[7]
    if old[0] == record["content_hash"]:
        db["articles"].update(article.canonical_url, {"last_seen": seen, "crawl_id": crawl_id})
        return StoreResult("unchanged", article.canonical_url)
    db["article_versions"].insert(
        {
            "canonical_url": article.canonical_url,
            "archived_at": _now(),
            "content_hash": old[0],
            "title": old[1],
            "author": old[2],
            "published": old[3],
            "body": old[4],
            "page_id": old[5],
            "extractor_version": old[6],
        }
    )
    db["articles"].update(article.canonical_url, record)
    return StoreResult("updated", article.canonical_url)


def archive_skipped_page(
    db: sqlite_utils.Database, page: Page, reason: str, crawl_id: int | None = None, decision=None
) -> int:
    """Keep a fetched page that was not an article, with the reason it was skipped and the
    decision's evidence (a :class:`pipelines.validate.Decision` or its dict)."""
    with write_transaction(db):
        return store_page(db, page, crawl_id, skip_reason=reason, article_url=None, part=None,
                          decision=decision_json(decision))


def known_urls(db: sqlite_utils.Database, site: str | None = None) -> set[str]:
    """URLs already archived as articles (fetched URL and canonical URL), for incremental crawls."""
    where, params = ("where site = ?", [site]) if site else ("", [])
    urls: set[str] = set()
    for url, canonical in db.execute(f"select url, canonical_url from articles {where}", params):
        urls.add(url)
        urls.add(canonical)
    for (url,) in db.execute(
        f"select url from pages {where + ' and' if where else 'where'} article_url is not null", params
    ):
        urls.add(url)
    return urls
