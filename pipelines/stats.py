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
    #: Skipped pages (not articles) per site and reason: ``(site, reason, pages)``, most first.
    skipped_by_site: list[tuple[str, str, int]] = field(default_factory=list)
    failures: list[tuple[str, int]] = field(default_factory=list)
    by: str = "site"
    groups: list[Group] = field(default_factory=list)
    #: Counts of stories (each syndicated story once) rather than articles; ``copies``
    #: is how many articles that left out.
    unique: bool = False
    copies: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def archive_stats(db, by: str = "site", unique: bool = False) -> ArchiveStats:
    """Count the archive's articles, their date coverage, skipped pages and failures.

    :param db: an open archive
    :param by: group the counts by ``site``, local ``day`` or local ``month``
    :param unique: count stories: each story once, at its earliest copy (in a
        group, among that group's articles), syndicated copies left out
    :raises BadGrouping: for any other ``by``

    Example usage::

        stats = archive_stats(db, by="day")
        stats.with_time / stats.articles
    """
    if by not in GROUPINGS:
        raise BadGrouping(f"cannot group by {by!r} (choose from {', '.join(GROUPINGS)})")
    conn = db.conn
    where, params = "", []
    if unique:
        from .archive import refresh_derived
        from .notebook import ArticleFilter

        refresh_derived(db)
    key = GROUPINGS[by]
    copies = 0
    if unique:
        condition, params = ArticleFilter(unique=True).sql("articles")
        where = f" where {condition}"
        # Per site, day or month, a story counts once within the row (its copies on other
        # days or sites count there): the filter runs within each group.
        copies = conn.execute("select count(*) from articles").fetchone()[0]
    articles, sites, with_time, day_only, first, last = conn.execute(
        f"select count(*), count(distinct site), coalesce(sum({_WITH_TIME}), 0), "
        f"coalesce(sum(published is not null and not {_WITH_TIME}), 0), "
        f"min(substr(published, 1, 10)), max(substr(published, 1, 10)) from articles{where}", params
    ).fetchone()
    copies = copies - articles if unique else 0
    groups = [
        Group(*row)
        for row in conn.execute(
            f"select {key} as k, count(*), coalesce(sum({_WITH_TIME}), 0), "
            f"coalesce(sum(published is not null and not {_WITH_TIME}), 0), "
            "min(substr(published, 1, 10)), max(substr(published, 1, 10)) "
            f"from ({_unique_within(key) if unique else 'select * from articles'}) "
            "group by k order by k is null, k"
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
        skipped_by_site=skipped_pages(db),
        failures=conn.execute(
            "select stage, count(*) from failures group by stage order by 2 desc, 1"
        ).fetchall(),
        by=by,
        groups=groups,
        unique=unique,
        copies=copies,
    )


def _unique_within(key: str) -> str:
    """The articles that are the earliest copy of their story among the articles of the same ``key``."""
    from .notebook import COPY_ORDER

    inner = key.replace("published", "_copy.published").replace("site", "_copy.site")
    outer = key.replace("published", "articles.published").replace("site", "articles.site")
    return (
        "select * from articles where articles.dup_group is null or not exists (select 1 from articles _copy "
        "where _copy.dup_group = articles.dup_group "
        f"and ({COPY_ORDER.format('_copy')}) < ({COPY_ORDER.format('articles')}) and {inner} is {outer})"
    )


def skipped_pages(db) -> list[tuple[str, str, int]]:
    """Pages kept as not articles, per site and reason: ``[(site, reason, pages), ...]``.

    Each such page keeps the evidence of its decision in ``pages.decision`` (JSON):
    ``select url, decision from pages where skip_reason = 'index-page'`` shows why.
    """
    return [tuple(row) for row in db.conn.execute(
        "select coalesce(site, '(no site)'), skip_reason, count(*) from pages where skip_reason is not null "
        "group by 1, 2 order by 1, 3 desc, 2")]


def format_skipped(rows: list[tuple[str, str, int]]) -> list[str]:
    """The "skipped pages" section of the report: one line per site, reasons by count.

    >>> format_skipped([("kabar-lebak", "index-page", 4), ("kabar-lebak", "no-body", 1), ("suara-pantura", "feed", 2)])
    ['skipped pages (not articles) per site; why: pages.decision', '  kabar-lebak    5: index-page 4, no-body 1', '  suara-pantura  2: feed 2']
    """
    if not rows:
        return []
    sites: dict[str, list[tuple[str, int]]] = {}
    for site, reason, n in rows:
        sites.setdefault(site, []).append((reason, n))
    width = max(len(site) for site in sites)
    lines = ["skipped pages (not articles) per site; why: pages.decision"]
    for site, reasons in sites.items():
        lines.append(f"  {site:<{width}}  {sum(n for _, n in reasons)}: " + ", ".join(f"{r} {n}" for r, n in reasons))
    return lines


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
        (f"stories       {stats.articles} unique ({stats.copies} syndicated copies left out)" if stats.unique
         else f"articles      {stats.articles}") + (f" from {stats.sites} sites" if stats.sites else ""),
        "published     " + (f"{stats.first_published} .. {stats.last_published} (local days)"
                            if stats.first_published else "-"),
        f"dates         {stats.with_time} with time ({_share(stats.with_time, stats.articles)}), "
        f"{stats.day_only} day only ({_share(stats.day_only, stats.articles)}), "
        f"{stats.undated} none ({_share(stats.undated, stats.articles)})",
        f"pages         {stats.pages} stored, {sum(n for _, n in stats.not_articles)} not articles"
        + _breakdown(stats.not_articles),
        f"failures      {sum(n for _, n in stats.failures)}" + _breakdown(stats.failures),
    ]
    skipped = format_skipped(stats.skipped_by_site)
    if skipped:
        lines += ["", *skipped]
    if stats.groups:
        width = max(len(stats.by), *(len(g.key or "(no date)") for g in stats.groups))
        lines.append("")
        span = stats.by == "site"  # a day or month row is its own span
        noun = " stories" if stats.unique else "articles"
        lines.append(f"{stats.by:<{width}}  {noun}  with time  day only" + ("  first       last" if span else ""))
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


#: Longest span (days) the coverage heatmap draws one column per day; beyond, one per week.
HEATMAP_DAYS_MAX = 2 * 366

#: A site "publishes every day" (every week, for a weekly heatmap) when it has articles
#: in at least this share of the days between its first and last article; only then
#: is a day without articles a gap. A site that writes twice a week has no gaps.
REGULAR_SHARE = 0.6


@dataclass
class Coverage:
    """Articles per site per bin (day, or week for long spans), and the gaps in it.

    A gap is a bin without articles between the first and last article of a site
    that publishes in nearly every bin (:data:`REGULAR_SHARE`): for a site that
    publishes daily, a day the crawl missed (or the site was down).
    """

    unit: str
    bins: list[date]
    sites: list[str]
    counts: list[list[int]]
    gaps: dict[str, list[date]]


def coverage(series: dict[str, list[tuple[str, int]]]) -> Coverage:
    """The coverage grid of :func:`daily_counts`' series.

    >>> daily = [(f"2019-11-{d:02}", 3) for d in range(1, 11) if d != 6]
    >>> grid = coverage({"a": daily, "b": [("2019-11-02", 5), ("2019-11-09", 1)]})
    >>> grid.unit, len(grid.bins), grid.counts[1], grid.gaps
    ('day', 10, [0, 5, 0, 0, 0, 0, 0, 0, 1, 0], {'a': [datetime.date(2019, 11, 6)], 'b': []})
    """
    days = [date.fromisoformat(day) for points in series.values() for day, _ in points]
    if not days:
        return Coverage("day", [], [], [], {})
    first, last = min(days), max(days)
    unit = "day" if (last - first).days <= HEATMAP_DAYS_MAX else "week"
    bins = [_bin_start(first, unit)]
    while bins[-1] < _bin_start(last, unit):
        bins.append(_next_bin(bins[-1], unit))
    index = {b: n for n, b in enumerate(bins)}
    sites = sorted(series)
    counts, gaps = [], {}
    for site in sites:
        row = [0] * len(bins)
        for day, n in series[site]:
            row[index[_bin_start(date.fromisoformat(day), unit)]] += n
        active = [n for n, count in enumerate(row) if count]
        regular = bool(active) and len(active) >= REGULAR_SHARE * (active[-1] - active[0] + 1)
        gaps[site] = [bins[n] for n in range(active[0], active[-1] + 1) if not row[n]] if regular else []
        counts.append(row)
    return Coverage(unit, bins, sites, counts, gaps)


def format_gaps(grid: Coverage, shown: int = 5) -> str:
    """One line per site with gaps: how many, and the first few.

    >>> print(format_gaps(coverage({"a": [("2019-11-01", 2), ("2019-11-02", 1), ("2019-11-04", 1)]})))
    gaps: a 1 day without articles (2019-11-03)
    """
    lines = []
    for site in grid.sites:
        found = grid.gaps.get(site) or []
        if found:
            listed = ", ".join(d.isoformat() for d in found[:shown]) + (", ..." if len(found) > shown else "")
            lines.append(f"{site} {len(found)} {grid.unit}{'s' if len(found) != 1 else ''} without articles "
                         f"({listed})")
    return "gaps: " + ("\n      ".join(lines) if lines else f"none (no {grid.unit} without articles amid a "
                       f"site's regular {grid.unit}s)")


def plot_articles_per_day(db, path: str | Path) -> Path:
    """Draw articles per local day, one line per site, and the site x day coverage heatmap, into an image file.

    The top panel draws one line per site; an archive spanning more than
    :data:`PLOT_DAYS_MAX` days is drawn per week (per month beyond
    :data:`PLOT_WEEKS_MAX_DAYS` days), so that the lines stay readable. The
    bottom panel is the coverage heatmap: one row per site, one column per day
    (per week beyond :data:`HEATMAP_DAYS_MAX` days), the colour the number of
    articles, and the gaps (no article between a site's first and last) in red,
    so that the days a crawl missed stand out.

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
    grid = coverage(series)
    rows = max(1, len(grid.sites))
    fig, (ax, heat) = plt.subplots(2, 1, figsize=(11, 5.5 + 0.8 + 0.32 * rows), layout="constrained",
                                   height_ratios=[5.5, 0.8 + 0.32 * rows], sharex=True)
    try:
        unit, bins, counts = binned_counts(series)
        for site, row in counts.items():
            style = "-o" if len(bins) <= 62 else "-"
            ax.plot(bins, row, style, markersize=4, linewidth=1.4, label=f"{site} ({sum(row)})")
        total = sum(sum(row) for row in counts.values())
        ax.set_title(f"Articles per {unit} per site ({total} dated articles)")
        ax.set_xlabel(f"Publication {unit} (site's local time)")
        ax.xaxis.set_tick_params(labelbottom=True)
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
        _draw_heatmap(fig, heat, grid)
        try:
            fig.savefig(path, dpi=150)
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        plt.close(fig)
    return path


def _draw_heatmap(fig, ax, grid: Coverage) -> None:
    import matplotlib
    import matplotlib.dates as mdates
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.ticker import MaxNLocator

    if not grid.bins:
        ax.set_axis_off()
        return
    counts = np.array(grid.counts, dtype=float)
    shown = np.where(counts > 0, counts, np.nan)
    start = mdates.date2num(grid.bins[0])
    step = 7 if grid.unit == "week" else 1
    extent = (start, start + step * len(grid.bins), len(grid.sites) - 0.5, -0.5)
    # No article (not a gap): before a site's first, after its last, or a quiet day.
    cmap = matplotlib.colormaps["YlGnBu"].with_extremes(bad="#f4f4f4")
    image = ax.imshow(shown, aspect="auto", interpolation="nearest", cmap=cmap, extent=extent,
                      vmin=0, vmax=max(2.0, float(np.nanmax(shown)) if np.isfinite(shown).any() else 2.0))
    gap = np.zeros(counts.shape)
    for n, site in enumerate(grid.sites):
        for day in grid.gaps[site]:
            gap[n, grid.bins.index(day)] = 1
    ax.imshow(np.where(gap > 0, 1.0, np.nan), aspect="auto", interpolation="nearest", extent=extent,
              cmap=ListedColormap(["#d62728"]), vmin=0, vmax=1)
    ax.set_yticks(range(len(grid.sites)), grid.sites)
    total_gaps = sum(len(g) for g in grid.gaps.values())
    ax.set_title(f"Coverage per site and {grid.unit}: red = a {grid.unit} without articles from a site that "
                 f"publishes nearly every {grid.unit} ({total_gaps} gap{'s' if total_gaps != 1 else ''})", fontsize=10)
    ax.set_xlabel(f"Publication {grid.unit} (site's local time)")
    bar = fig.colorbar(image, ax=ax, label=f"articles per {grid.unit}", pad=0.01, aspect=12)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
