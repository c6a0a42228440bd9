"""Crawl operations commands: `warta failures` (what went wrong) and `warta ingest` (the Redis writer)."""

from __future__ import annotations

import sys
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

    Stages: discover (sitemap, feed, index page), fetch, robots, extract, queue
    (a scale-out record or frontier entry that could not be read; kept in Redis's
    dead-letter lists).

    Example:

        warta failures --crawl 3
    """
    from pipelines.archive import open_archive

    db = open_archive(db_path, read_only=True)
    try:
        rows = list_failures(db, crawl_id, limit)
    finally:
        db.close()
    for row in rows:
        click.echo(f"{row['crawl_id'] or '-':>4}  {row['at']}  {row['stage']:<8}  {row['reason']:<16}  {row['url']}")
    click.echo(f"{len(rows)} failure{'' if len(rows) == 1 else 's'}")


#: Exit status of `warta ingest` when it finished but some records could not be
#: archived (dead letters, each recorded in `failures`).
EXIT_WITH_LOSSES = 3


@click.command()
@click.option("--redis", "redis_url", required=True, metavar="URL",
              help="The workers' Redis: redis://[:PASSWORD@]HOST[:PORT][/DB], or rediss:// for TLS; "
                   "the password may come from WARTA_REDIS_PASSWORD instead.")
@db_option
@click.option("--idle-exit", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="SECONDS",
              help="Stop once the queue has been empty this long.")
@click.option("--follow", is_flag=True, help="Never stop; wait for more (Ctrl-C or SIGTERM ends).")
@click.option("--retry-dead", is_flag=True,
              help="First put the dead-lettered records back on the queue (after upgrading warta).")
def ingest(redis_url, db_path, idle_exit, follow, retry_dead):
    """Write what Redis workers crawled into the archive (the one writer of a scale-out crawl).

    Run one `warta ingest` next to the archive and any number of
    `warta crawl --redis URL SITE` workers on other machines. Records it cannot
    read go to a dead-letter list and into `warta failures`; it then exits with
    status 3.

    Example:

        WARTA_REDIS_PASSWORD=... warta ingest --redis redis://10.0.0.5:6379/0 --db archive.db --follow
    """
    import signal
    import threading

    from crawler.ingest import ingest as run_ingest

    last = [time.monotonic()]

    def show(report):
        if time.monotonic() - last[0] >= PROGRESS_EVERY:
            last[0] = time.monotonic()
            click.echo(f"  {sum(report.counts.get(k, 0) for k in ('inserted', 'updated', 'unchanged'))} articles, "
                       f"{report.count('skipped')} other pages, {report.count('failure')} failures so far",
                       err=True)

    stop = threading.Event()

    def finish_current_record(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt  # asked twice: stop now (the record stays in Redis)
        stop.set()

    previous = {sig: signal.signal(sig, finish_current_record) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        report = run_ingest(redis_url, db_path, idle_exit=idle_exit, follow=follow, progress=show, stop=stop,
                            retry_dead=retry_dead)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    c = report.count
    if report.took_over_from:
        click.echo(f"took over from a writer that was killed ({report.took_over_from})", err=True)
    if c("requeued"):
        click.echo(f"{c('requeued')} dead-lettered records put back on the queue", err=True)
    click.echo(f"ingest (crawl {report.crawl_id}) {report.status}: {c('inserted')} new, {c('updated')} changed, "
               f"{c('unchanged')} unchanged articles, {c('skipped')} pages that were not articles, "
               f"{c('failure')} failures from {len(report.workers)} worker runs into {report.archive_path} "
               f"in {report.elapsed:.1f} s")
    if c("dead-letter"):
        one = c("dead-letter") == 1
        click.echo(f"  {c('dead-letter')} record{'' if one else 's'} could not be archived and wait{'s' if one else ''} "
                   f"in warta:archive:dead; "
                   f"see them with: warta failures --crawl {report.crawl_id} --db {report.archive_path}")
        sys.exit(EXIT_WITH_LOSSES)


COMMANDS = [failures, ingest]
