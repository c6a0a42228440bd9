"""Archive statistics: article counts, date coverage, failures, and a plot of articles per day.

Date coverage tells an analyst how far the dates can be trusted: how many
articles carry a publication time (with the site's offset), how many only a
day, and how many no date at all. Days and months are *local* (the day printed
in the site's zone), as everywhere in the analyst tools.

Example usage::

    from pipelines.stats import archive_stats, format_stats
    print(format_stats(archive_stats(db, by="month")))
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from .errors import BadGrouping

GROUPINGS = {
    "site": "site",
    "day": "substr(published, 1, 10)",
    "month": "substr(published, 1, 7)",
}

#: Image formats ``--plot`` can write (matplotlib's Agg backend).
PLOT_FORMATS = (".png", ".svg", ".pdf")

#: Longest span (days) drawn per day; beyond it the plot bins by week, and by
#: month beyond PLOT_WEEKS_MAX_DAYS. Chosen so that a line has at most ~150 points.
PLOT_DAYS_MAX = 150
PLOT_WEEKS_MAX_DAYS = 3 * 365

# A time-bearing ISO value is longer than a bare day (YYYY-MM-DD).
_WITH_TIME = "length(published) > 10"


@dataclass
class Group:
    """Counts of one site, day or month."""

    key: str | None
    articles: int
    with_time: int
    day_only: int
    first: str | None
    last: str | None


@dataclass
class ArchiveStats:
    """What :func:`archive_stats` found. Dates are ISO text as stored (local, with offset)."""

    articles: int
    sites: int
    with_time: int
    day_only: int
    undated: int
    first_published: str | None
    last_published: str | None
    pages: int
    not_articles: list[tuple[str, int]] = field(default_factory=list)
    failures: list[tuple[str, int]] = field(default_factory=list)
    by: str = "site"
    groups: list[Group] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def archive_stats(db, by: str = "site") -> ArchiveStats:
    """Count the archive's articles, their date coverage, skipped pages and failures.

    :param db: an open archive
    :param by: group the counts by ``site``, local ``day`` or local ``month``
    :raises BadGrouping: for any other ``by``

    Example usage::

        stats = archive_stats(db, by="day")
        stats.with_time / stats.articles
    """
    if by not in GROUPINGS:
        raise BadGrouping(f"cannot group by {by!r} (choose from {', '.join(GROUPINGS)})")
    conn = db.conn
    articles, sites, with_time, day_only, first, last = conn.execute(
        f"select count(*), count(distinct site), coalesce(sum({_WITH_TIME}), 0), "
        f"coalesce(sum(published is not null and not {_WITH_TIME}), 0), "
        "min(substr(published, 1, 10)), max(substr(published, 1, 10)) from articles"
    ).fetchone()
    key = GROUPINGS[by]
    groups = [
        Group(*row)
        for row in conn.execute(
            f"select {key} as k, count(*), coalesce(sum({_WITH_TIME}), 0), "
            f"coalesce(sum(published is not null and not {_WITH_TIME}), 0), "
            "min(substr(published, 1, 10)), max(substr(published, 1, 10)) "
            "from articles group by k order by k is null, k"
        )
    ]
    return ArchiveStats(
        articles=articles,
        sites=sites,
        with_time=with_time,
        day_only=day_only,
        undated=articles - with_time - day_only,
        first_published=first,
        last_published=last,
        pages=conn.execute("select count(*) from pages").fetchone()[0],
        not_articles=conn.execute(
            "select skip_reason, count(*) from pages where skip_reason is not null "
            "group by skip_reason order by 2 desc, 1"
        ).fetchall(),
        failures=conn.execute(
            "select stage, count(*) from failures group by stage order by 2 desc, 1"
        ).fetchall(),
        by=by,
        groups=groups,
    )


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _breakdown(counts: list[tuple[str, int]]) -> str:
    return " (" + ", ".join(f"{name} {n}" for name, n in counts) + ")" if counts else ""


def format_stats(stats: ArchiveStats) -> str:
    """The statistics as a plain-text report (what ``warta stats`` prints).

    >>> print(format_stats(ArchiveStats(0, 0, 0, 0, 0, None, None, 0)))
    articles      0
    published     -
    dates         0 with time (-), 0 day only (-), 0 none (-)
    pages         0 stored, 0 not articles
    failures      0
    """
    lines = [
        f"articles      {stats.articles}" + (f" from {stats.sites} sites" if stats.sites else ""),
        "published     " + (f"{stats.first_published} .. {stats.last_published} (local days)"
                            if stats.first_published else "-"),
        f"dates         {stats.with_time} with time ({_share(stats.with_time, stats.articles)}), "
        f"{stats.day_only} day only ({_share(stats.day_only, stats.articles)}), "
        f"{stats.undated} none ({_share(stats.undated, stats.articles)})",
        f"pages         {stats.pages} stored, {sum(n for _, n in stats.not_articles)} not articles"
        + _breakdown(stats.not_articles),
        f"failures      {sum(n for _, n in stats.failures)}" + _breakdown(stats.failures),
    ]
    if stats.groups:
        width = max(len(stats.by), *(len(g.key or "(no date)") for g in stats.groups))
        lines.append("")
        span = stats.by == "site"  # a day or month row is its own span
        lines.append(f"{stats.by:<{width}}  articles  with time  day only" + ("  first       last" if span else ""))
        for g in stats.groups:
            lines.append(
                f"{g.key or '(no date)':<{width}}  {g.articles:>8}  {g.with_time:>9}  {g.day_only:>8}"
                + (f"  {g.first or '-':<10}  {g.last or '-'}" if span else "")
            )
    return "\n".join(lines)


def daily_counts(db) -> dict[str, list[tuple[str, int]]]:
    """Articles per local day for each site: ``{site: [(day, count), ...]}``, days ascending."""
    out: dict[str, list[tuple[str, int]]] = {}
    for site, day, n in db.conn.execute(
        "select coalesce(site, '(no site)'), substr(published, 1, 10) as day, count(*) from articles "
        "where published is not null group by 1, 2 order by 1, 2"
    ):
        out.setdefault(site, []).append((day, n))
    return out


def _bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return date.fromordinal(day.toordinal() - day.weekday())  # Monday
    if unit == "month":
        return day.replace(day=1)
    return day


def _next_bin(start: date, unit: str) -> date:
    if unit == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date.fromordinal(start.toordinal() + (7 if unit == "week" else 1))


def plot_unit(first: date, last: date) -> str:
    """The bin of the plot: ``day`` for up to :data:`PLOT_DAYS_MAX` days, then ``week``, then ``month``.

    >>> plot_unit(date(2019, 11, 1), date(2019, 12, 31)), plot_unit(date(2019, 1, 1), date(2020, 6, 1))
    ('day', 'week')
    """
    span = (last - first).days
    return "day" if span <= PLOT_DAYS_MAX else "week" if span <= PLOT_WEEKS_MAX_DAYS else "month"


def binned_counts(series: dict[str, list[tuple[str, int]]]) -> tuple[str, list[date], dict[str, list[int]]]:
    """Daily counts summed into the plot's bins, every bin present (a bin without articles is a 0)."""
    known = [date.fromisoformat(day) for points in series.values() for day, _ in points]
    if not known:
        return "day", [], {}
    unit = plot_unit(min(known), max(known))
    bins = [_bin_start(min(known), unit)]
    while bins[-1] < _bin_start(max(known), unit):
        bins.append(_next_bin(bins[-1], unit))
    index = {b: n for n, b in enumerate(bins)}
    counts = {}
    for site, points in series.items():
        row = [0] * len(bins)
        for day, n in points:
            row[index[_bin_start(date.fromisoformat(day), unit)]] += n
        counts[site] = row
    return unit, bins, counts


def plot_articles_per_day(db, path: str | Path) -> Path:
    """Draw articles per local day, one line per site, into an image file.

    An archive spanning more than :data:`PLOT_DAYS_MAX` days is drawn per week
    (per month beyond :data:`PLOT_WEEKS_MAX_DAYS` days), so that the lines stay
    readable; the title and axis say which.

    :param db: an open archive
    :param path: the image to write (``.png``, ``.svg`` or ``.pdf``)
    :raises OutputError: when the format is not supported or the file cannot be written.

    Example usage::

        plot_articles_per_day(db, "articles-per-day.png")
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from .export import OutputError

    path = Path(path)
    if path.suffix.lower() not in PLOT_FORMATS:
        raise OutputError(f"cannot draw {path}: the plot must be a {', '.join(PLOT_FORMATS)} file")
    if not path.parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {path.parent} does not exist")
    series = daily_counts(db)
    fig, ax = plt.subplots(figsize=(11, 5.5), layout="constrained")
    try:
        unit, bins, counts = binned_counts(series)
        for site, row in counts.items():
            style = "-o" if len(bins) <= 62 else "-"
            ax.plot(bins, row, style, markersize=4, linewidth=1.4, label=f"{site} ({sum(row)})")
        total = sum(sum(row) for row in counts.values())
        ax.set_title(f"Articles per {unit} per site ({total} dated articles)")
        ax.set_xlabel(f"Publication {unit} (site's local time)")
        ax.set_ylabel(f"Articles per {unit}")
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        if series:
            ax.legend(title="site (articles)", loc="upper left", bbox_to_anchor=(1.01, 1))
        else:
            ax.text(0.5, 0.5, "no dated articles", transform=ax.transAxes, ha="center", va="center")
        try:
            fig.savefig(path, dpi=150)
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        plt.close(fig)
    return path
