"""Statistics: counts, date coverage, failures, grouping, and the articles-per-day plot."""

from __future__ import annotations

import pytest

from pipelines.archive import open_archive
from pipelines.export import OutputError
from pipelines.stats import (
    BadGrouping,
    Group,
    archive_stats,
    daily_counts,
    format_stats,
    plot_articles_per_day,
)


def test_counts_and_coverage(db):
    stats = archive_stats(db)
    assert (stats.articles, stats.sites) == (12, 3)
    assert (stats.with_time, stats.day_only, stats.undated) == (9, 2, 1)
    assert (stats.first_published, stats.last_published) == ("2019-11-20", "2019-12-03")
    assert stats.pages == 13
    assert stats.not_articles == [("index-page", 1)]
    assert stats.skipped_by_site == [("kabar-lebak", "index-page", 1)]
    assert stats.failures == [("extract", 1), ("fetch", 1)]
    assert stats.groups == [
        Group("kabar-lebak", 4, 3, 1, "2019-11-20", "2019-12-02"),
        Group("suara-jayapura", 4, 3, 0, "2019-11-26", "2019-12-03"),
        Group("warta-makassar", 4, 3, 1, "2019-11-25", "2019-12-01"),
    ]


def test_format_by_site(db):
    assert format_stats(archive_stats(db)) == """\
articles      12 from 3 sites
published     2019-11-20 .. 2019-12-03 (local days)
dates         9 with time (75.0%), 2 day only (16.7%), 1 none (8.3%)
pages         13 stored, 1 not articles (index-page 1)
failures      2 (extract 1, fetch 1)

skipped pages (not articles) per site; why: pages.decision
  kabar-lebak  1: index-page 1

site            articles  with time  day only  first       last
kabar-lebak            4          3         1  2019-11-20  2019-12-02
suara-jayapura         4          3         0  2019-11-26  2019-12-03
warta-makassar         4          3         1  2019-11-25  2019-12-01"""


def test_by_month_and_day_use_the_local_calendar(db):
    months = archive_stats(db, by="month").groups
    assert [(g.key, g.articles) for g in months] == [("2019-11", 8), ("2019-12", 3), (None, 1)]
    days = {g.key: g.articles for g in archive_stats(db, by="day").groups}
    # 2019-11-27T03:15+07:00 is the 26th in UTC; it counts on the 27th.
    assert days["2019-11-27"] == 1 and "2019-11-26" in days
    assert days["2019-11-28"] == 2  # 10:05 WITA and 14:30 WIB
    assert days[None] == 1
    assert format_stats(archive_stats(db, by="month")).endswith("""\
month      articles  with time  day only
2019-11           8          6         2
2019-12           3          3         0
(no date)         1          0         0""")


def test_bad_grouping(db):
    with pytest.raises(BadGrouping, match=r"^cannot group by 'week' \(choose from site, day, month\)$"):
        archive_stats(db, by="week")


def test_empty_archive(tmp_path):
    db = open_archive(tmp_path / "empty.db")
    stats = archive_stats(db)
    assert stats.articles == 0 and stats.groups == []
    assert format_stats(stats).splitlines()[0] == "articles      0"
    plot_articles_per_day(db, tmp_path / "empty.png")
    assert (tmp_path / "empty.png").stat().st_size > 0
    db.close()


def test_daily_counts(db):
    counts = daily_counts(db)
    assert counts["warta-makassar"] == [("2019-11-25", 1), ("2019-11-28", 1), ("2019-11-30", 1), ("2019-12-01", 1)]
    assert sum(n for points in counts.values() for _, n in points) == 11


def test_plot(db, tmp_path):
    import matplotlib.image

    out = plot_articles_per_day(db, tmp_path / "per-day.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = matplotlib.image.imread(out).shape[:2]
    assert (width, height) == (1650, 1089)  # the lines, and the coverage heatmap of 3 sites below
    svg = plot_articles_per_day(db, tmp_path / "per-day.svg").read_text()
    for text in ("Articles per day per site (11 dated articles)", "Publication day (site", "Articles",
                 "kabar-lebak (4)", "warta-makassar (4)", "suara-jayapura (3)",
                 "Coverage per site and day", "(0 gaps)", "articles per day"):
        assert text.replace("'", "&#39;") in svg or text in svg, text


def test_plot_bad_outputs(db, tmp_path):
    with pytest.raises(OutputError, match=r"^cannot draw .*per-day.txt: the plot must be a \.png, \.svg, \.pdf file$"):
        plot_articles_per_day(db, tmp_path / "per-day.txt")
    with pytest.raises(OutputError, match=r"^cannot write .*/nope/p.png: folder .*/nope does not exist$"):
        plot_articles_per_day(db, tmp_path / "nope" / "p.png")


def test_coverage_heatmap_shows_crawl_gaps(tmp_path):
    """A site that publishes every day and misses some days: the gaps are found, listed and drawn."""
    from datetime import datetime, timedelta, timezone

    from pipelines.archive import archive_articles
    from pipelines.article import Article
    from pipelines.stats import coverage, format_gaps

    db = open_archive(tmp_path / "daily.db")
    wib = timezone(timedelta(hours=7))
    batch = []
    for site, missing in (("harian", {5, 6, 12}), ("mingguan", None)):
        for day in range(20):
            if (missing is None and day % 7) or (missing and day in missing):
                continue
            when = datetime(2020, 1, 1, 23, 30, tzinfo=wib) + timedelta(days=day)  # 16:30 UTC: the local day counts
            url = f"https://{site}.example/{day}"
            batch.append((Article(url=url, canonical_url=url, site=site, title="t", body="isi", published=when), []))
    archive_articles(db, batch)
    grid = coverage(daily_counts(db))
    assert [d.isoformat() for d in grid.gaps["harian"]] == ["2020-01-06", "2020-01-07", "2020-01-13"]
    assert grid.gaps["mingguan"] == []  # a weekly site has quiet days, not gaps
    assert format_gaps(grid) == "gaps: harian 3 days without articles (2020-01-06, 2020-01-07, 2020-01-13)"
    svg = plot_articles_per_day(db, tmp_path / "gaps.svg").read_text()
    assert "(3 gaps)" in svg
    db.close()
