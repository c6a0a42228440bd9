"""`warta reprocess` (re-derive archived articles with the current rules) and `warta compact`."""

from __future__ import annotations

import sys

import click

from crawler.cli import db_option

#: Growth of the full-text index, or share of free pages in the file, past which
#: reprocess offers `warta compact`.
COMPACT_AT = 0.10

#: Exit status of reprocess when rows were left as another writer made them.
EXIT_CONFLICTS = 4


@click.command()
@db_option
@click.option("--site", help="Only this site (profile slug).")
@click.option("--since", help="Only articles published (skipped pages fetched) on or after this day, YYYY-MM-DD.")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: WARTA_WORKERS, else one per core; 0: none).")
@click.option("--compact/--no-compact", "compact", default=None,
              help="Compact the archive afterwards when the full-text index grew (default: ask on a terminal).")
def reprocess(db_path, site, since, workers, compact):
    """Re-derive every stored article from its raw pages, with no network.

    Pages that were not articles are tried again too. The new rows replace the
    old ones in one transaction; the counts say what changed. A row that a
    crawl changed while reprocess ran is left as the crawl wrote it, and
    counted (exit status 4: run reprocess again). When the rewrite grew the
    full-text index, or left free pages, by more than 10 %, it offers
    `warta compact`.

    Example:

        warta reprocess --site kabar-lebak --since 2019-11-01
    """
    from pipelines.archive import compact_archive, open_archive
    from pipelines.profiles import load_profile
    from pipelines.reprocess import parse_since, reprocess_archive

    if site:
        load_profile(site)
    since = parse_since(since)
    db = open_archive(db_path, create=False)
    try:
        report = reprocess_archive(db, site=site, since=since, workers=workers)
        click.echo(report.summary())
        if report.fts_growth > COMPACT_AT or report.free_share > COMPACT_AT:
            mb = 1024 * 1024
            click.echo(f"the full-text index grew by {100 * report.fts_growth:.0f} % "
                       f"({report.fts_before / mb:.1f} MB -> {report.fts_after / mb:.1f} MB), "
                       f"{100 * report.free_share:.0f} % of the file is free pages")
            if compact is None and sys.stdin.isatty() and sys.stdout.isatty():
                compact = click.confirm("compact the archive now (`warta compact`)?", default=True)
            if compact:
                click.echo(compact_archive(db, db_path).summary(db_path))
            else:
                click.echo(f"  `warta compact --db {db_path}` reclaims the space")
    finally:
        db.close()
    if report.conflicts:
        sys.exit(EXIT_CONFLICTS)


@click.command()
@db_option
def compact(db_path):
    """Reclaim the space rewrites left: merge the full-text index and rebuild the file.

    Refreshes and reprocess runs leave the FTS5 index in many segments and free
    pages in the file; this runs FTS5 `optimize` and `VACUUM` and reports the
    bytes on disk before and after. It needs free disk space about the size of
    the archive, and waits for a running crawl's writes.

    Example:

        warta compact --db archive.db
    """
    from pipelines.archive import compact_archive, open_archive

    db = open_archive(db_path, create=False)
    try:
        click.echo(compact_archive(db, db_path).summary(db_path))
    finally:
        db.close()


COMMANDS = [reprocess, compact]
