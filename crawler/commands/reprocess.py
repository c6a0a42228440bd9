"""`warta reprocess`: re-derive archived articles from their stored pages with the current rules."""

from __future__ import annotations

import click

from crawler.cli import db_option


@click.command()
@db_option
@click.option("--site", help="Only this site (profile slug).")
@click.option("--since", help="Only articles published (skipped pages fetched) on or after this day, YYYY-MM-DD.")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: WARTA_WORKERS, else one per core; 0: none).")
def reprocess(db_path, site, since, workers):
    """Re-derive every stored article from its raw pages, with no network.

    Pages that were not articles are tried again too. The new rows replace the
    old ones in one transaction; the counts say what changed.

    Example:

        warta reprocess --site kabar-lebak --since 2019-11-01
    """
    from pipelines.archive import open_archive
    from pipelines.profiles import load_profile
    from pipelines.reprocess import parse_since, reprocess_archive

    if site:
        load_profile(site)
    since = parse_since(since)
    db = open_archive(db_path, create=False)
    try:
        report = reprocess_archive(db, site=site, since=since, workers=workers)
    finally:
        db.close()
    click.echo(report.summary())


COMMANDS = [reprocess]
