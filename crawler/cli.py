"""The `warta` command line: each command parses arguments and calls one library function."""

from __future__ import annotations

import json
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import click

from pipelines.errors import WartaError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class WartaGroup(click.Group):
    """Turns every WartaError into a one-line message and a non-zero exit."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except WartaError as e:
            raise click.ClickException(str(e)) from None


@click.group(cls=WartaGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="warta")
def cli():
    """warta: crawl Indonesian regional news, keep every page, archive clean dated articles."""


def db_option(f):
    return click.option(
        "--db", "db_path", default="archive.db", show_default=True, type=click.Path(dir_okay=False),
        help="Archive file (SQLite).",
    )(f)


def _use_sites_dir(ctx, param, value):
    if value:
        import os

        from pipelines.profiles import SITES_DIR_ENV, reload_profiles

        os.environ[SITES_DIR_ENV] = str(value)  # worker processes read profiles there too
        reload_profiles()
    return value


def sites_dir_option(f):
    """``--sites-dir DIR``: the user's sites folder (default ``$WARTA_SITES_DIR``, else ``./sites``)."""
    return click.option(
        "--sites-dir", type=click.Path(file_okay=False), expose_value=False, is_eager=True, callback=_use_sites_dir,
        help="Your sites folder: profiles read first, written by add-site (default: $WARTA_SITES_DIR or ./sites).",
    )(f)


def set_option(f):
    return click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
                        help="Override a Scrapy/warta setting.")(f)


def origin_option(f):
    return click.option("--origin", "origins", multiple=True, metavar="SITE=URL",
                        help="Fetch SITE from another origin (a mirror, the local demo); stored URLs stay public.")(f)


def parse_origins(origins) -> dict[str, str]:
    """``SITE=URL`` pairs as a dict; a malformed pair is a usage error."""
    fetch_from = {}
    for pair in origins:
        slug, sep, url = pair.partition("=")
        if not sep or not url.startswith(("http://", "https://")):
            raise click.BadParameter(f"expected SITE=http://HOST:PORT, got {pair!r}", param_hint="--origin")
        fetch_from[slug] = url.rstrip("/")
    return fetch_from


@cli.command()
@click.argument("source")
@click.option("--url", help="The page's URL, when SOURCE is a file.")
@click.option("--site", help="Profile slug to use (default: found from the URL's domain).")
@click.option("--fetched-at", help="When the page was fetched (ISO 8601); anchors relative dates.")
def extract(source, url, site, fetched_at):
    """Turn one page (a file or a URL) into an article and print it as JSON.

    Example:

        warta extract page.html --url https://www.kabarlebak.example/2019/11/28/koperasi/
    """
    from pipelines.core import extract_article

    when = None
    if fetched_at:
        try:
            when = datetime.fromisoformat(fetched_at)
        except ValueError:
            raise click.BadParameter(f"not an ISO 8601 time: {fetched_at!r}", param_hint="--fetched-at") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    if source.startswith(("http://", "https://")):
        html = _fetch(source)
        url = url or source
    else:
        path = Path(source)
        if not path.is_file():
            raise click.ClickException(f"no such file: {source}")
        html = path.read_bytes()
        url = url or path.resolve().as_uri()
    article = extract_article(html, url, fetched_at=when, site=site)
    if article is None:
        raise click.ClickException(f"{url}: not an article")
    click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))


def _fetch(url: str) -> bytes:
    from crawler import settings

    try:
        request = urllib.request.Request(url, headers={"User-Agent": settings.USER_AGENT})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read(settings.DOWNLOAD_MAXSIZE)
    except (OSError, ValueError) as e:  # ValueError: a malformed URL (http://[::1)
        raise click.ClickException(f"{url}: cannot fetch ({e})") from None


@cli.command()
@click.argument("site_slugs", metavar="[SITE|URL]...", nargs=-1)
@click.option("--sites", "sites_file", type=click.Path(dir_okay=False),
              help="A file of sites, one slug or URL per line (# comments); hundreds are fine.")
@db_option
@click.option("--since", help="Skip pages older than this date (YYYY-MM-DD).")
@click.option("--max-articles", type=click.IntRange(min=0), default=0, help="Stop a site after N new articles.")
@click.option("--refresh", is_flag=True, help="Fetch archived articles again; keep earlier versions.")
@click.option("--timezone", help="Zone of sites given by URL, if their pages do not state it (WIB, WITA, WIT).")
@click.option("--jobdir", type=click.Path(file_okay=False),
              help="Folder of the per-site resumable state (default: crawls/ next to the archive; '' for none).")
@click.option("--redis", "redis_url", metavar="URL",
              help="Run as a worker of a shared frontier on redis://[:PASSWORD@]HOST[:PORT][/DB] (rediss:// "
                   "for TLS; or the password in WARTA_REDIS_PASSWORD); `warta ingest` archives.")
@origin_option
@sites_dir_option
@set_option
@click.option("-v", "--verbose", count=True,
              help="More log on stderr: -v adds Scrapy's INFO lines, -vv DEBUG (default: warnings, errors, progress).")
def crawl(site_slugs, sites_file, db_path, since, max_articles, refresh, timezone, jobdir, redis_url, origins,
          overrides, verbose):
    """Crawl sites into the archive (incremental, resumable, polite).

    A SITE is a profile slug (`warta sites`) or a family slug (all its hosts). A
    URL with no profile is discovered first, in memory, as `warta add-site` does.
    Sites run WARTA_SITES_AT_ONCE at a time, each at its own polite pace; a site
    that fails never stops the others, and the command exits 1 when one did.

    Articles already archived are not fetched again (unless --refresh). Stop it
    with Ctrl-C, or lose it to a crash: the same command continues.

    Example:

        warta crawl kabar-lebak --since 2019-11-01

        warta crawl https://www.kabarbaru.example/

        warta crawl --sites banten.txt

        warta crawl kabar-lebak --redis redis://redis-host:6379/0

    \b
    Exit status:
      0  finished: every page found was fetched and stored (or is not an article)
      1  error: nothing crawled (bad setting, unknown site, archive not writable),
         or a site could not be crawled at all (its line says why)
      3  finished with losses: pages fetched but not stored (disk full, read-only
         archive ...), listed in the log and, when it can be written, `warta failures`
      4  finished, but some pages could not be fetched (HTTP errors, timeouts);
         they are in `warta failures` and the next run tries them again
      5  stopped before the end (Ctrl-C, SIGTERM): run the same command to continue
         (a --redis worker stopped cleanly exits 0: its work went back to the frontier)
    """
    from crawler.runner import plan_sites, read_sites_file, run_crawl

    names = list(site_slugs)
    if sites_file:
        names += read_sites_file(sites_file)
    if not names:
        raise click.UsageError("name the sites to crawl: SITE or URL arguments, or --sites FILE")
    plan_sites(names)  # unknown slugs and bad addresses: one line, before anything starts
    if since:
        try:
            datetime.strptime(since, "%Y-%m-%d")
        except ValueError:
            raise click.BadParameter(f"expected YYYY-MM-DD, got {since!r}", param_hint="--since") from None
    if timezone:
        from pipelines.profiles import normalize_zone

        try:
            normalize_zone(timezone)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--timezone") from None
    if redis_url:
        from crawler.scaleout import check_redis_url

        check_redis_url(redis_url)
    settings = _parse_overrides(overrides)
    if "LOG_LEVEL" not in settings:
        # Quiet by default: the progress table or lines say what Scrapy's INFO lines would.
        settings["LOG_LEVEL"] = {0: "WARNING", 1: "INFO"}.get(verbose, "DEBUG")
    fetch_from = parse_origins(origins)
    from pipelines.parallel import keep_heavy_modules_out

    keep_heavy_modules_out()  # this process only crawls now: ~80 MB less (see docs/throughput.md)
    report = run_crawl(names, db_path, since=since, max_articles=max_articles, refresh=refresh,
                       origins=fetch_from or None, overrides=settings, jobdir=jobdir, redis_url=redis_url,
                       timezone=timezone)
    _print_report(report)
    sys.exit(report.exit_code)


def _parse_overrides(pairs) -> dict:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--set")
        out[name.strip()] = value
    return out


def _print_report(report) -> None:
    from crawler.progress import skip_reasons

    if report.redis_url:
        from crawler.scaleout import redact

        click.echo(f"worker done ({report.status}): {report.total('warta/redis/articles_sent')} articles sent to "
                   f"{redact(report.redis_url)} for `warta ingest`, {report.pages_fetched} pages fetched "
                   f"in {report.elapsed:.1f} s")
    else:
        status = report.status + (" with losses" if report.not_stored or report.unrecorded else "")
        click.echo(f"crawl {report.crawl_id} {status}: {report.articles_stored} articles stored in "
                   f"{report.archive_path}, {report.pages_fetched} pages fetched in {report.elapsed:.1f} s")
    for slug in report.sites:
        if slug in report.site_errors:
            click.echo(f"  {slug}: not crawled: {report.site_errors[slug]}")
        if slug not in report.stats:
            continue
        stats = report.stats[slug]
        resumed = report.resume.get(slug)
        if slug in report.discovered:
            click.echo(f"  {slug}: {report.discovered[slug]}")
        if report.redis_url:
            click.echo(f"  {slug}: {stats.get('warta/redis/articles_sent', 0)} articles sent, "
                       f"{stats.get('warta/not_article', 0)} not articles{skip_reasons(stats)}, "
                       f"{stats.get('warta/skipped_archived', 0)} already archived, "
                       f"{sum(v for k, v in stats.items() if k.startswith('warta/failures/'))} failures, "
                       f"{stats.get('retry/count', 0)} retries")
            continue
        click.echo(
            f"  {slug}: {stats.get('warta/articles_inserted', 0)} new, {stats.get('warta/articles_updated', 0)} changed, "
            f"{stats.get('warta/articles_unchanged', 0)} unchanged, "
            f"{stats.get('warta/not_article', 0)} not articles{skip_reasons(stats)}, "
            f"{stats.get('warta/skipped_archived', 0)} already archived, "
            f"{sum(v for k, v in stats.items() if k.startswith('warta/failures/'))} failures, "
            f"{stats.get('retry/count', 0)} retries"
            + (f", {stats['warta/failures/store']} NOT STORED" if stats.get("warta/failures/store") else "")
            + (f" ({resumed} crawl state)" if resumed and resumed != "fresh" else "")
        )
    if report.not_stored:
        causes = ", ".join(f"{cause} {n}" for cause, n in sorted(report.store_causes().items()))
        click.echo(f"  LOST: {report.not_stored} fetched pages could not be stored ({causes}); "
                   f"the next run fetches them again once the archive can be written")
    if report.unrecorded:
        click.echo(f"  {report.unrecorded} failures could not be recorded in the archive: "
                   f"they are in the log above")
    if report.save_error:
        click.echo(f"  the run's stats could not be saved in `crawls`: {report.save_error}")
    if (report.failures or report.site_errors) and report.crawl_id is not None:
        click.echo(f"  see them with: warta failures --crawl {report.crawl_id} --db {report.archive_path}")
    if report.not_started:
        click.echo(f"  not started: {', '.join(report.not_started)}")
    if report.total("warta/not_article") and report.crawl_id is not None:
        click.echo(f"  why pages were skipped: warta stats --db {report.archive_path} (evidence in pages.decision)")
    if report.status == "paused":
        click.echo("  paused: run the same command again to resume")
    elif report.status == "interrupted":
        click.echo("  interrupted: run the same command again to continue")
    elif report.status == "failed":
        click.echo("  a site's crawl could not run: see the errors above")


@cli.command()
@db_option
@click.option("--keep-serving", is_flag=True, help="Leave the demo sites running after the crawl (Ctrl-C ends).")
def demo(db_path, keep_serving):
    """Serve the bundled demo news sites on loopback, crawl them, and summarise the archive.

    Example:

        warta demo
    """
    from crawler.demo import demo_sites, serve_demo
    from crawler.runner import run_crawl
    from pipelines.archive import open_archive
    from pipelines.profiles import load_profile

    started = time.perf_counter()
    # A family is crawled by its slug, which stands for all its hosts.
    families = list(dict.fromkeys(load_profile(s).family for s in demo_sites() if load_profile(s).family))
    names = [s for s in demo_sites() if not load_profile(s).family] + families
    with serve_demo() as server:
        click.echo("demo sites: " + ", ".join(f"{s} at {o}" for s, o in server.origins.items()))
        report = run_crawl(
            names, db_path, origins=server.origins,
            # The demo runs on loopback: politeness delays would only make it slow.
            overrides={"AUTOTHROTTLE_START_DELAY": 0.01, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
                       "LOG_LEVEL": "WARNING"},
            # Demo ports change on every run, so a saved request queue could never be resumed.
            jobdir="",
        )
        elapsed = time.perf_counter() - started
        _print_report(report)
        for family in families:
            hosts = [load_profile(s) for s in demo_sites() if load_profile(s).family == family]
            network = hosts[0].network
            click.echo(f"family {family}" + (f" (network template {network})" if network else "") + ": "
                       + ", ".join(f"{p.slug} {p.zone_abbrev}" for p in hosts))
        db = open_archive(db_path)
        click.echo(archive_summary(db, db_path))
        click.echo(f"demo crawl took {elapsed:.1f} s")
        db.close()
        if keep_serving:
            click.echo("serving; Ctrl-C to stop")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    sys.exit(report.exit_code)


def archive_summary(db, db_path: str = "archive.db") -> str:
    """Articles per site, date range, failures, and an example search, as text."""
    lines = ["", "articles per site:"]
    for site, n, first, last in db.execute(
        "select site, count(*), min(coalesce(published_utc, published)), max(coalesce(published_utc, published)) "
        "from articles group by site order by site"
    ):
        lines.append(f"  {site:<20} {n:>4}  {first} .. {last}")
    total = db.execute("select count(*) from articles").fetchone()[0]
    failures = db.execute("select stage, reason, count(*) from failures group by stage, reason order by 3 desc").fetchall()
    skipped = db.execute(
        "select skip_reason, count(*) from pages where skip_reason is not null group by skip_reason order by 2 desc"
    ).fetchall()
    lines.append(f"  {'total':<20} {total:>4}")
    lines.append("pages that were not articles: " + (", ".join(f"{r} {n}" for r, n in skipped) or "none"))
    lines.append("failures: " + (", ".join(f"{s}/{r} {n}" for s, r, n in failures) or "none"))
    word = "koperasi"
    hits = db.execute(
        "select articles.title from articles_fts join articles on articles.rowid = articles_fts.rowid "
        "where articles_fts match ? order by bm25(articles_fts) limit 3",
        [word],
    ).fetchall()
    lines.append(f"example search: sqlite-utils search {db_path} articles {word}")
    lines.extend(f"  - {title}" for (title,) in hits)
    return "\n".join(lines)


def main(argv=None):
    """Console entry point."""
    return cli.main(args=argv, prog_name="warta")


# Commands defined in crawler/commands/*.py join the group here, after the helpers
# above exist (those modules import them).
from crawler.commands import register  # noqa: E402

register(cli)
