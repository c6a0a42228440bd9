"""The analyst's Python API: open an archive, select articles with filters, get a DataFrame.

Every analyst tool (search, export, stats, WARC export) selects articles the same
way, through an :class:`ArticleFilter`: a site slug and an inclusive range of
*local* publication days, that is the day printed in the site's own zone (an
article published on ``2019-11-28T03:00:00+07:00`` belongs to 28 November even
though its UTC instant falls on the 27th). Articles without a date fall outside
any date range.

Example usage (in a notebook)::

    from pipelines.notebook import Archive

    with Archive("archive.db") as archive:
        for article in archive.articles(site="kabar-lebak", since="2019-11-01"):
            print(article["published"], article["title"])
        df = archive.to_dataframe()          # needs pandas (optional)
        hits = archive.search("banjir rob")
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from .archive import open_archive
from .errors import BadFilter, MissingDependency

#: Rows fetched from SQLite per round trip when streaming articles.
FETCH_BATCH = 1000

#: Columns whose text holds JSON, decoded when rows are read with ``decode=True``.
JSON_COLUMNS = ("tags", "provenance")


def parse_day(value: str | date | None, name: str = "date") -> date | None:
    """Read a filter day given as ``YYYY-MM-DD`` (or a ``date``).

    :param value: the text given by the user, a date, or None
    :param name: the option's name, used in the error message
    :raises BadFilter: when the text is not a calendar day

    >>> parse_day("2019-11-28")
    datetime.date(2019, 11, 28)
    >>> parse_day("28 November 2019", "--since")
    Traceback (most recent call last):
    ...
    pipelines.errors.BadFilter: --since: expected a day as YYYY-MM-DD, got '28 November 2019'
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise BadFilter(f"{name}: expected a day as YYYY-MM-DD, got {value!r}")


#: The order of a story's copies: by publication instant (the fetch time when
#: the page gave none), then by rowid; the first is the story's earliest copy.
COPY_ORDER = "coalesce({0}.published_utc, {0}.first_seen, '9999'), {0}.rowid"


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a tool works on: one site and/or a range of local publication days, and
    with ``unique`` each story once.

    Build it with :meth:`make`, which validates user input. ``unique`` keeps, of
    the copies of one story (a syndicated story's near-duplicates, see
    :mod:`pipelines.neardup`) among the selected articles, only the earliest.

    >>> ArticleFilter.make(site="kabar-lebak", since="2019-11-01").sql("a")
    ('a.site = ? and substr(a.published, 1, 10) >= ?', ['kabar-lebak', '2019-11-01'])
    >>> ArticleFilter().sql()
    ('', [])
    """

    site: str | None = None
    since: date | None = None
    until: date | None = None
    unique: bool = False

    @classmethod
    def make(cls, site: str | None = None, since: str | date | None = None,
             until: str | date | None = None, unique: bool = False) -> ArticleFilter:
        """A filter from user input.

        :raises BadFilter: on a malformed day or an empty range.
        """
        start, end = parse_day(since, "--since"), parse_day(until, "--until")
        if start and end and start > end:
            raise BadFilter(f"--since {start} is after --until {end}")
        return cls(site=site or None, since=start, until=end, unique=bool(unique))

    def sql(self, table: str = "articles") -> tuple[str, list]:
        """A SQL condition (without ``where``) and its bound parameters.

        User values only ever travel as parameters; ``table`` is the alias
        chosen by the calling code.
        """
        parts: list[str] = []
        params: list = []
        if self.site:
            parts.append(f"{table}.site = ?")
            params.append(self.site)
        if self.since:
            parts.append(f"substr({table}.published, 1, 10) >= ?")
            params.append(self.since.isoformat())
        if self.until:
            parts.append(f"substr({table}.published, 1, 10) <= ?")
            params.append(self.until.isoformat())
        if self.unique:
            # No earlier copy of the same story among the selected articles.
            same, same_params = ArticleFilter(self.site, self.since, self.until).sql("_copy")
            parts.append(
                f"({table}.dup_group is null or not exists (select 1 from articles _copy "
                f"where _copy.dup_group = {table}.dup_group "
                f"and ({COPY_ORDER.format('_copy')}) < ({COPY_ORDER.format(table)})"
                + (f" and {same}" if same else "") + "))")
            params.extend(same_params)
        return " and ".join(parts), params


def parse_utc(value: str | None) -> datetime | None:
    """The aware UTC datetime of an archive ``*_utc`` value; None for a day-only value.

    >>> parse_utc("2019-11-28T07:30:00Z")
    datetime.datetime(2019, 11, 28, 7, 30, tzinfo=datetime.timezone.utc)
    >>> parse_utc("2019-11-28") is None
    True
    """
    if not value or len(value) <= 10:
        return None
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def select_articles(db, where: ArticleFilter | None = None, *, columns: str = "*",
                    decode: bool = True) -> Iterator[dict]:
    """Stream the articles matching ``where``, oldest first, with constant memory.

    Rows come from a cursor in batches of :data:`FETCH_BATCH`; nothing is
    collected, so an archive of any size can be iterated.

    :param db: an open archive (``sqlite_utils.Database``)
    :param where: the filter, or None for every article
    :param columns: the SQL column list (code-chosen, never user input)
    :param decode: decode the JSON text of ``tags`` and ``provenance``

    Example usage::

        for row in select_articles(db, ArticleFilter.make(site="kabar-lebak")):
            row["title"]
    """
    condition, params = (where or ArticleFilter()).sql("articles")
    sql = f"select {columns} from articles" + (f" where {condition}" if condition else "")
    # published_utc is indexed, so this order streams from the index without a sort.
    sql += " order by articles.published_utc, articles.rowid"
    cursor = db.conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    decoded = [n for n in JSON_COLUMNS if n in names] if decode else []
    while True:
        rows = cursor.fetchmany(FETCH_BATCH)
        if not rows:
            break
        for row in rows:
            record = dict(zip(names, row, strict=True))
            for name in decoded:
                if record[name] is not None:
                    record[name] = json.loads(record[name])
            yield record


def articles_dataframe(db, where: ArticleFilter | None = None):
    """A pandas DataFrame of the articles matching ``where``.

    ``published_at`` and ``updated_at`` are timezone-aware UTC timestamps (NaT
    for day-only or missing dates); ``published`` keeps the ISO text with the
    site's offset; ``published_day`` is the local day; ``tags`` holds lists.

    :raises MissingDependency: when pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError:
        raise MissingDependency("to_dataframe needs pandas: pip install pandas") from None
    rows = []
    for row in select_articles(db, where):
        row["published_at"] = parse_utc(row["published_utc"])
        row["updated_at"] = parse_utc(row["updated_utc"])
        row["published_day"] = date.fromisoformat(row["published"][:10]) if row["published"] else None
        rows.append(row)
    columns = [*_article_columns(db), "published_at", "updated_at", "published_day"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in ("published_at", "updated_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def _article_columns(db) -> list[str]:
    return [row[1] for row in db.conn.execute("pragma table_info(articles)")]


class Archive:
    """A warta archive opened for reading, with filters, search, statistics and DataFrames.

    :param path: the archive file (it must exist)
    :raises ArchiveError: when there is no archive at ``path``

    Example usage::

        archive = Archive("archive.db")
        archive.count(site="kabar-lebak")
    """

    def __init__(self, path: str | Path = "archive.db"):
        from .archive import refresh_derived

        self.path = Path(path)
        self.db = open_archive(self.path, read_only=True)
        #: What the stemmed index and the groups do not know yet (another program
        #: wrote to a read-only archive); empty normally.
        self.pending = refresh_derived(self.db, self.path)

    def articles(self, site: str | None = None, since: str | date | None = None,
                 until: str | date | None = None, unique: bool = False) -> Iterator[dict]:
        """Articles (dicts, tags as lists) of one site and/or local day range, oldest first;
        ``unique``: each story once (its earliest copy)."""
        return select_articles(self.db, ArticleFilter.make(site, since, until, unique))

    def count(self, site: str | None = None, since: str | date | None = None,
              until: str | date | None = None, unique: bool = False) -> int:
        """How many articles (``unique``: stories) match the filters."""
        condition, params = ArticleFilter.make(site, since, until, unique).sql("articles")
        sql = "select count(*) from articles" + (f" where {condition}" if condition else "")
        return self.db.conn.execute(sql, params).fetchone()[0]

    def search(self, query: str, site: str | None = None, since: str | date | None = None,
               until: str | date | None = None, limit: int = 20, exact: bool = False, unique: bool = False):
        """Search by stems, or exact forms with ``exact`` (see :func:`pipelines.search.search_articles`)."""
        from .search import search_articles

        return search_articles(self.db, query, ArticleFilter.make(site, since, until, unique), limit=limit,
                               exact=exact)

    def stats(self, by: str = "site", unique: bool = False):
        """Counts and date coverage (see :func:`pipelines.stats.archive_stats`)."""
        from .stats import archive_stats

        return archive_stats(self.db, by=by, unique=unique)

    def to_dataframe(self, site: str | None = None, since: str | date | None = None,
                     until: str | date | None = None, unique: bool = False):
        """The matching articles as a pandas DataFrame (see :func:`articles_dataframe`)."""
        return articles_dataframe(self.db, ArticleFilter.make(site, since, until, unique))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
