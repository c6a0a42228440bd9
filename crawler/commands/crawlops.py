"""Crawl operations commands: `warta failures` (what went wrong) and `warta ingest` (the Redis writer)."""

from __future__ import annotations

import time

import click

from crawler.cli import db_option

#: Seconds between progress lines of `warta ingest` (on stderr).
PROGRESS_EVERY = 10.0


def list_failures(db, crawl_id: int | None = None, limit: int | None = None) -> list[dict]:
    """Rows of ``failures`` (newest crawl first, then in the order they happened).

    :param crawl_id: only this crawl's failures (default: every crawl's)
    :param limit: at most this many rows
    """
    where, params = ("where crawl_id = ?", [crawl_id]) if crawl_id is not None else ("", [])
    sql = f"select id, crawl_id, at, stage, reason, url, detail from failures {where} order by crawl_id desc, id"
    if limit:
        sql += f" limit {int(limit)}"
    cursor = db.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]


@click.command()
@db_option
@click.option("--crawl", "crawl_id", type=int, help="Only this crawl's failures (see the crawl summary).")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most N failures.")
def failures(db_path, crawl_id, limit):
    """List fetch and processing failures: crawl, time, stage, reason, URL.

    Stages: discover (sitemap, feed, index page), fetch, robots, extract.

    Example:

        warta failures --crawl 3
    """
    from pipelines.archive import open_archive

    db = open_archive(db_path, create=False)
    try:
        rows = list_failures(db, crawl_id, limit)
    finally:
        db.close()
    for row in rows:
        click.echo(f"{row['crawl_id'] or '-':>4}  {row['at']}  {row['stage']:<8}  {row['reason']:<16}  {row['url']}")
    click.echo(f"{len(rows)} failure{'' if len(rows) == 1 else 's'}")


@click.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="The workers' Redis: redis://HOST:PORT/DB.")
@db_option
@click.option("--idle-exit", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="SECONDS",
              help="Stop once the queue has been empty this long.")
@click.option("--follow", is_flag=True, help="Never stop; wait for more (Ctrl-C ends).")
def ingest(redis_url, db_path, idle_exit, follow):
    """Write what Redis workers crawled into the archive (the one writer of a scale-out crawl).

    Run one `warta ingest` next to the archive and any number of
    `warta crawl --redis URL SITE` workers on other machines.

    Example:

        warta ingest --redis redis://10.0.0.5:6379/0 --db archive.db --follow
    """
    from crawler.scaleout import ingest as run_ingest

    last = [time.monotonic()]

    def show(report):
        if time.monotonic() - last[0] >= PROGRESS_EVERY:
            last[0] = time.monotonic()
            click.echo(f"  {sum(report.counts.get(k, 0) for k in ('inserted', 'updated', 'unchanged'))} articles, "
                       f"{report.count('skipped')} other pages, {report.count('failure')} failures so far",
                       err=True)

    report = run_ingest(redis_url, db_path, idle_exit=idle_exit, follow=follow, progress=show)
    c = report.count
    click.echo(f"ingest (crawl {report.crawl_id}): {c('inserted')} new, {c('updated')} changed, "
               f"{c('unchanged')} unchanged articles, {c('skipped')} pages that were not articles, "
               f"{c('failure')} failures from {len(report.workers)} worker runs into {report.archive_path} "
               f"in {report.elapsed:.1f} s")


COMMANDS = [failures, ingest]
