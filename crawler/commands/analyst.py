"""The analyst's commands: search, export, stats, serve, export-warc, import-warc.

Each command opens the archive, calls one library function and prints. Bad
input (a missing archive, a malformed day, an unknown format, an unwritable
file, a query with no words) raises a ``WartaError`` in the library, which the
``warta`` group prints as one ``Error:`` line with exit code 1.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from crawler.cli import CONTEXT_SETTINGS, db_option

SEARCH_FORMATS = ("table", "json", "csv")


def _filter_options(what: str):
    def decorate(f):
        f = click.option("--until", metavar="YYYY-MM-DD", help=f"Only {what} up to this day (inclusive).")(f)
        f = click.option("--since", metavar="YYYY-MM-DD", help=f"Only {what} from this day on.")(f)
        return click.option("--site", metavar="SLUG", help="Only this site (profile slug).")(f)
    return decorate


def _open(db_path, *, create: bool = False, site: str | None = None):
    """The archive: read-only for the read commands (never created, migrated or switched to WAL).

    :param site: a ``--site`` given: refused unless a profile or the archive knows it.
    """
    from pipelines.archive import open_archive

    db = open_archive(db_path, create=True) if create else open_archive(db_path, read_only=True)
    if not create:
        from pipelines.archive import refresh_derived

        refresh_derived(db, db_path)  # the stems and groups of articles another program wrote
    if site is not None:
        try:
            check_site(db, site)
        except BaseException:
            db.close()
            raise
    return db


def check_site(db, site: str) -> None:
    """Refuse a ``--site`` that is neither a profile nor a site of the archive (a typo would give
    empty results and exit 0).

    :raises BadFilter: naming the slug.
    """
    from pipelines.errors import BadFilter
    from pipelines.profiles import list_profiles

    if site in {p.slug for p in list_profiles()}:
        return
    for table in ("articles", "pages"):  # articles is indexed by site; pages only for a site without one
        if db.execute(f"select 1 from {table} where site = ? limit 1", [site]).fetchone():
            return
    raise BadFilter(f"--site {site!r}: no such site in the profiles or in this archive (see `warta sites`)")


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("query")
@_filter_options("articles published (site's local day)")
@click.option("--limit", default=20, show_default=True, type=int, help="At most this many results.")
@click.option("--format", "fmt", default="table", show_default=True, metavar="table|json|csv",
              help="Output format.")
@click.option("--exact", is_flag=True, help="Match the words in the forms typed only (no stemming).")
@click.option("--unique", is_flag=True, help="Each story once: leave out syndicated copies of a story found earlier.")
@db_option
def search(query, site, since, until, limit, fmt, exact, unique, db_path):
    """Search the archived articles, best match first, with snippets.

    A word finds every form of its Indonesian stem (banjir finds kebanjiran,
    koperasi finds perkoperasian); a quoted word or phrase, a prefix (pelabuh*)
    or --exact keeps the exact form. QUERY is FTS5 syntax: OR, NOT, NEAR,
    parentheses, title:banjir; a query that is not valid syntax is searched word
    by word. Matched words are shown between [ and ].

    Example:

        warta search "kebanjiran" --site kabar-lebak --since 2019-11-01
    """
    from pipelines.errors import BadQuery
    from pipelines.notebook import ArticleFilter
    from pipelines.search import search_articles

    if fmt not in SEARCH_FORMATS:
        raise BadQuery(f"unknown output format {fmt!r} (choose from {', '.join(SEARCH_FORMATS)})")
    where = ArticleFilter.make(site, since, until, unique)
    db = _open(db_path, site=site)
    try:
        result = search_articles(db, query, where, limit=limit, exact=exact)
    finally:
        db.close()
    note = f"note: {query!r} is not FTS5 syntax; searched for the words {result.fts_query}"
    stale = (f"note: {result.pending} articles changed by another program are not in the stemmed index yet "
             "(the archive is read-only here)")
    if fmt in ("json", "csv"):
        if result.literal:
            click.echo(note, err=True)
        if result.pending:
            click.echo(stale, err=True)
    if fmt == "json":
        click.echo(json.dumps([h.to_dict() for h in result.hits], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["score", "published", "site", "title", "snippet", "canonical_url"])
        for h in result.hits:
            writer.writerow([h.score, h.published or "", h.site or "", h.title or "", h.snippet, h.canonical_url])
    else:
        click.echo(format_hits(result))


def format_hits(result) -> str:
    """The table a person reads: one block per hit, numbered."""
    lines = []
    if result.literal:
        lines.append(f"not FTS5 syntax; searched for the words {result.fts_query}")
    if result.pending:
        lines.append(f"{result.pending} articles changed by another program are not in the stemmed index yet")
    if not result.hits:
        lines.append(f"no articles match {result.query!r}")
        return "\n".join(lines)
    n = len(result.hits)
    lines.append(f"{n} result{'' if n == 1 else 's'} for {result.query!r} {result.matching}, best first:")
    for n, h in enumerate(result.hits, start=1):
        lines.append("")
        lines.append(f"{n:>2}. {h.title or '(no title)'}")
        lines.append(f"    {h.site or '-'} · {h.published or 'no date'} · score {h.score:.2f}")
        lines.append(f"    {h.snippet}")
        lines.append(f"    {h.canonical_url}")
    return "\n".join(lines)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("out", metavar="OUT")
@click.option("--format", "fmt", metavar="csv|jsonl|parquet",
              help="Output format (default: from OUT's extension; csv for -).")
@_filter_options("articles published (site's local day)")
@click.option("--unique", is_flag=True,
              help="Each story once: of a syndicated story's copies, only the earliest selected.")
@db_option
def export(out, fmt, site, since, until, unique, db_path):
    """Export articles to CSV, JSON Lines or Parquet, streaming (flat memory).

    OUT is a file, or - for standard output (csv, jsonl). Parquet keeps types:
    published_at is a UTC timestamp, published the ISO text with the site's
    offset, published_day the local day, tags a list of strings.

    Example:

        warta export articles.parquet --site kabar-lebak --since 2019-11-01
    """
    from pipelines.export import export_articles
    from pipelines.notebook import ArticleFilter

    fmt = fmt or _format_from_name(out)
    where = ArticleFilter.make(site, since, until, unique)
    db = _open(db_path, site=site)
    try:
        n = export_articles(db, out, fmt, where, stdout=sys.stdout)
    finally:
        db.close()
    noun = ("story" if n == 1 else "stories (unique)") if unique else ("article" if n == 1 else "articles")
    click.echo(f"exported {n} {noun} to {'standard output' if out == '-' else out} ({fmt})", err=out == "-")


def _format_from_name(out: str) -> str:
    from pipelines.export import FORMATS, OutputError

    if out == "-":
        return "csv"
    suffix = Path(out).suffix.lstrip(".").lower()
    if suffix in FORMATS:
        return suffix
    raise OutputError(f"cannot tell the format from {out!r}; give --format ({', '.join(FORMATS)})")


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--by", default="site", show_default=True, metavar="site|day|month",
              help="Group the counts by site, local day or local month.")
@click.option("--plot", "plot_path", metavar="FILE.png",
              help="Also draw articles per day per site and the site x day coverage heatmap into FILE.")
@click.option("--unique", is_flag=True, help="Count stories: each syndicated story once, not each copy.")
@db_option
def stats(by, plot_path, unique, db_path):
    """Article counts, date coverage, pages that were not articles, and failures.

    --plot draws articles per day per site (per week or month when the archive
    spans more than 150 days or 3 years, so the lines stay readable) above a
    site x day coverage heatmap in which crawl gaps (days without articles from a
    site that publishes nearly every day) are red; the gaps are listed too.
    --unique counts each story once (the earliest of its copies).

    Example:

        warta stats --by month --plot articles-per-day.png
    """
    from pipelines.stats import (
        archive_stats,
        coverage,
        daily_counts,
        format_gaps,
        format_stats,
        plot_articles_per_day,
    )

    db = _open(db_path)
    try:
        report = format_stats(archive_stats(db, by=by, unique=unique))
        if plot_path:  # drawn before printing, so a bad path prints only its error
            drawn = plot_articles_per_day(db, plot_path)
            report += f"\n\n{format_gaps(coverage(daily_counts(db)))}\nplot: {drawn}"
    finally:
        db.close()
    click.echo(report)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--port", default=8001, show_default=True, type=int, help="Port on 127.0.0.1 (0: any free port).")
@db_option
def serve(port, db_path):
    """Browse and search the archive in Datasette on 127.0.0.1.

    Opens on the search page: a word finds every form of its stem, quotes
    keep exact forms; results show headline, site, local time, a marked snippet
    and syndicated copies; facets on site, section and local publication month;
    the column glossary one click away. Canned queries: articles per site per
    month, latest articles, syndicated stories, failures.

    Example:

        warta serve --port 8001
    """
    from crawler.serve import serve_archive
    from pipelines.errors import WartaError

    if not 0 <= port <= 65535:
        raise WartaError(f"--port {port}: a port is a number from 0 to 65535")
    serve_archive(db_path, port, announce=click.echo)


@click.command("export-warc", context_settings=CONTEXT_SETTINGS)
@click.argument("out", metavar="OUT.warc.gz")
@_filter_options("pages fetched (UTC day)")
@db_option
def export_warc(out, site, since, until, db_path):
    """Write the stored raw pages as WARC response records (gzipped WARC/1.1).

    WARC-Date is the fetch time; the HTTP block holds the stored status and
    headers. Readable by pywb, warcio, Heritrix tools and `warta import-warc`.

    Example:

        warta export-warc kabar-lebak.warc.gz --site kabar-lebak
    """
    from pipelines.warc import PageFilter
    from pipelines.warc import export_warc as write_warc

    where = PageFilter.make(site, since, until)
    db = _open(db_path, site=site)
    try:
        n = write_warc(db, out, where)
    finally:
        db.close()
    click.echo(f"wrote {n} page{'' if n == 1 else 's'} to {out}")


@click.command("import-warc", context_settings=CONTEXT_SETTINGS)
@click.argument("files", metavar="FILE...", nargs=-1, required=True)
@db_option
def import_warc(files, db_path):
    """Derive articles from the HTML responses of WARC files and archive them.

    Works on WARCs from Heritrix, Browsertrix, Common Crawl news extracts or
    warta itself; the profile of each page is found from its URL. Pages that
    are not articles are kept with their reason; bad records are counted.
    The archive is created when missing.

    Example:

        warta import-warc CC-NEWS-20191128.warc.gz --db news.db
    """
    from pipelines.warc import check_warc_files, format_import_report
    from pipelines.warc import import_warc as read_warcs

    files = check_warc_files(files)  # before an archive is created for nothing
    db = _open(db_path, create=True)
    try:
        report = read_warcs(db, files)
    finally:
        db.close()
    click.echo(format_import_report(report, files))


COMMANDS = [search, export, stats, serve, export_warc, import_warc]
