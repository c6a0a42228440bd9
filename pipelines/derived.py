"""The indexes derived from articles in Python, kept in step: the stemmed search index and the near-duplicate groups.

SQL triggers cannot compute Sastrawi stems or MinHash signatures without a
Python function, and a trigger calling one breaks every other program that
writes to the archive (sqlite3, sqlite-utils, Datasette's write plugins). So the
archive's triggers are plain SQL that queue each inserted, changed or deleted
article in ``stem_changes`` and ``group_changes``, and this module brings
``articles_stem_fts`` and the groups up to date from the queues, in the caller's
transaction:

- warta's write path (``archive_article(s)``, reprocess) syncs both;
- a process that keeps numpy out (a crawl, to save memory) syncs the stems only;
  a crawl groups its new articles when it ends (:func:`sync_after_crawl`);
- search, stats, export and ``warta serve`` sync what is pending first, so an
  article another program wrote is picked up by the next warta command.

``derived_versions`` records the stemmer and the grouping parameters that built
them; when either changes (a new Sastrawi dictionary, new thresholds), the index
or the groups are rebuilt from all articles.

Example usage::

    with db.atomic():
        sync_derived(db.conn)

From a shell: ``python -m pipelines.derived archive.db``.
"""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys

from .stem import STEMMER_VERSION, stem_text

logger = logging.getLogger(__name__)

#: Queued articles handled per round trip.
SYNC_CHUNK = 500

STEM_TABLE = "articles_stem_fts"


def _versions(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("select name, version from derived_versions"))


def _set_version(conn: sqlite3.Connection, name: str, value: str) -> None:
    conn.execute("insert or replace into derived_versions (name, version) values (?, ?)", [name, value])


def _grouping():
    """The near-duplicate module, or None in a process that keeps numpy out."""
    try:
        from . import neardup

        neardup.version()
        return neardup
    except ImportError:
        return None


def pending(conn: sqlite3.Connection) -> dict[str, int]:
    """Articles not yet in the stemmed index (``stems``) and not yet grouped (``groups``).

    A stale version counts every article.
    """
    versions = _versions(conn)
    everything = None
    out = {}
    for name, table, current in (("stems", "stem_changes", versions.get("stem") == STEMMER_VERSION),
                                 ("groups", "group_changes", _groups_current(versions))):
        if current is False:
            if everything is None:
                everything = conn.execute("select count(*) from articles").fetchone()[0]
            out[name] = everything
        else:
            out[name] = conn.execute(f"select count(*) from {table}").fetchone()[0]
    return out


def _groups_current(versions: dict[str, str]) -> bool | None:
    neardup = _grouping()
    if neardup is None:
        return None if versions.get("neardup") else False
    return versions.get("neardup") == neardup.version()


def sync_stems(conn: sqlite3.Connection) -> int:
    """Bring ``articles_stem_fts`` up to date with ``articles``; returns the articles handled."""
    if _versions(conn).get("stem") != STEMMER_VERSION:
        conn.execute("delete from stem_changes")
        handled = rebuild_stem_index(conn)
        _set_version(conn, "stem", STEMMER_VERSION)
        return handled
    handled = 0
    while rows := conn.execute(
            "select c.article_rowid, c.indexed, c.old_title, c.old_body, a.rowid is not null, a.title, a.body "
            "from stem_changes c left join articles a on a.rowid = c.article_rowid "
            "order by c.article_rowid limit ?", [SYNC_CHUNK]).fetchall():
        for rowid, indexed, old_title, old_body, exists, title, body in rows:
            if indexed:  # a contentless index forgets an entry given the very stems it holds
                conn.execute(f"insert into {STEM_TABLE} ({STEM_TABLE}, rowid, title, body) "
                             "values ('delete', ?, ?, ?)", [rowid, stem_text(old_title), stem_text(old_body)])
            if exists:
                conn.execute(f"insert into {STEM_TABLE} (rowid, title, body) values (?, ?, ?)",
                             [rowid, stem_text(title), stem_text(body)])
        conn.executemany("delete from stem_changes where article_rowid = ?", [(r[0],) for r in rows])
        handled += len(rows)
    return handled


def rebuild_stem_index(conn: sqlite3.Connection) -> int:
    """Write the stemmed index anew from every article; returns the articles indexed."""
    conn.execute(f"insert into {STEM_TABLE} ({STEM_TABLE}) values ('delete-all')")
    n = 0
    cursor = conn.execute("select rowid, title, body from articles")
    while rows := cursor.fetchmany(SYNC_CHUNK):
        conn.executemany(f"insert into {STEM_TABLE} (rowid, title, body) values (?, ?, ?)",
                         [(rowid, stem_text(title), stem_text(body)) for rowid, title, body in rows])
        n += len(rows)
    return n


def sync_groups(conn: sqlite3.Connection, *, workers: int | None = 0) -> int | None:
    """Bring the near-duplicate groups up to date; returns the articles handled, None without numpy.

    ``workers`` processes compute fingerprints when every group must be
    re-derived (a new version); 0 computes them here.
    """
    neardup = _grouping()
    if neardup is None:
        return None
    if _versions(conn).get("neardup") != neardup.version():
        return regroup(conn, workers=workers)
    grouper = neardup.Grouper(conn)
    handled = 0
    while rows := conn.execute(
            "select c.article_rowid, c.indexed, c.old_body, a.rowid is not null, a.body "
            "from group_changes c left join articles a on a.rowid = c.article_rowid "
            "order by c.article_rowid limit ?", [SYNC_CHUNK]).fetchall():
        for rowid, indexed, old_body, exists, body in rows:
            if indexed:
                grouper.remove(rowid, old_body)
            if exists:
                grouper.add(neardup.fingerprint(rowid, body))
        conn.executemany("delete from group_changes where article_rowid = ?", [(r[0],) for r in rows])
        handled += len(rows)
    return handled


def regroup(conn: sqlite3.Connection, *, workers: int | None = None) -> int | None:
    """Re-derive every group from scratch (``warta reprocess``); None without numpy.

    Incremental grouping never splits a group whose link article changed or went
    away; this does.
    """
    neardup = _grouping()
    if neardup is None:
        return None
    conn.execute("delete from group_changes")
    handled = neardup.regroup_all(conn, workers=workers)
    _set_version(conn, "neardup", neardup.version())
    return handled


def sync_derived(conn: sqlite3.Connection, *, workers: int | None = 0) -> int:
    """Sync the stems, and the groups where numpy can be loaded; returns the articles handled."""
    return max(sync_stems(conn), sync_groups(conn, workers=workers) or 0)


def sync_derived_if_possible(db) -> dict[str, int]:
    """Sync before reading when something is pending; returns what is still pending (empty normally).

    A read-only or busy archive is read as it is: the caller can tell the user
    how many articles the stemmed index or the groups do not know yet.
    """
    conn = db.conn
    try:
        waiting = pending(conn)
    except sqlite3.OperationalError:
        return {}  # an archive without these tables: the query itself reports it
    if not any(waiting.values()):
        return {}
    try:
        with db.atomic():
            sync_derived(conn)
    except sqlite3.OperationalError:
        pass
    return {name: n for name, n in pending(conn).items() if n}


def sync_after_crawl(path) -> None:
    """Group a finished crawl's articles: here when numpy can be loaded, else in a fresh process.

    A failure only leaves the articles queued (the next search, stats, export or
    serve groups them); it is logged, never raised over a crawl that succeeded.
    """
    try:
        if _grouping() is not None:
            from .archive import open_archive

            db = open_archive(path, create=False)
            try:
                with db.atomic():
                    sync_derived(db.conn)
            finally:
                db.close()
            return
        result = subprocess.run([sys.executable, "-m", "pipelines.derived", str(path)], capture_output=True,
                                text=True)
        if result.returncode:
            raise RuntimeError((result.stderr or result.stdout).strip()[-500:])
    except Exception as e:  # noqa: BLE001 - logged; the articles stay queued
        logger.warning("near-duplicate groups not updated after the crawl (they will be on the next search, "
                       "stats or serve): %s", e)


def main(argv: list[str] | None = None) -> int:
    from .archive import open_archive

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m pipelines.derived ARCHIVE.db", file=sys.stderr)
        return 2
    db = open_archive(args[0], create=False)
    try:
        with db.atomic():
            stems = sync_stems(db.conn)
            groups = sync_groups(db.conn, workers=None)
    finally:
        db.close()
    print(f"search index: {stems} articles stemmed; near-duplicates: {groups} articles grouped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
