"""A Datasette plugin for warta archives: the search page, Indonesian-aware search, and the ``month`` facet.

- ``?_q=`` on the articles table searches through the stemmed index
  (:mod:`pipelines.search`: a word finds every form of its stem, quotes and
  prefixes keep exact forms; ``&_exact=1`` makes every word exact). Datasette's
  own ``?_search=`` stays the exact-form FTS search it always was.
- The articles table page (``templates/table.html``) is the search page: the box,
  facets by site, section and month, and each article as a result with its
  headline (linked to the archived row and to the original URL), site, local
  publication time, highlighted snippet and syndicated copies; ``?_table=1``
  shows Datasette's own table.
- The ``month`` facet counts rows per ``YYYY-MM`` of an ISO date column:
  ``published`` holds ISO 8601 text with the site's offset (or only the day), so
  its first seven characters are the site's local month. Configured in the
  metadata as ``facets: [{month: published}]``; choosing a month filters with
  ``published__startswith=2019-11``.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import (
    escape_sqlite,
    path_from_row_pks,
    path_with_added_args,
    path_with_removed_args,
)
from markupsafe import Markup

from pipelines.errors import BadQuery
from pipelines.fts_query import Highlight
from pipelines.search import describe, make_snippet, plan_search

#: The table the search page and ``_q`` serve.
ARTICLES = "articles"

#: Words of the lead shown for an article when nothing is searched.
LEAD_WORDS = 32

#: Site zones by UTC offset (Indonesia's three time zones).
ZONES = {"+07:00": "WIB", "+08:00": "WITA", "+09:00": "WIT"}
MONTHS = "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split()

# Markers that cannot occur in article text, replaced by <mark> after escaping.
_OPEN, _CLOSE = "\x02", "\x03"


class MonthFacet(Facet):
    """Counts rows per month (``YYYY-MM``) of an ISO date column, newest month first."""

    type = "month"

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            sql = (
                f"select substr({col}, 1, 7) as value, count(*) as count from ({self.sql}) "
                f"where {col} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
                f"group by value order by value desc limit {size + 1}"
            )
            try:
                rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                             custom_time_limit=self.ds.setting("facet_time_limit_ms"))
            except QueryInterrupted:
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows.rows[:size]:
                selected = args.get(key) == row["value"]
                toggle = (path_with_removed_args(self.request, {key: row["value"]}) if selected
                          else path_with_added_args(self.request, {key: row["value"]}))
                values.append({
                    "value": row["value"],
                    "label": row["value"],
                    "count": row["count"],
                    "toggle_url": self.ds.absolute_url(self.request, toggle),
                    "selected": selected,
                })
            results.append({
                "name": column,
                "type": self.type,
                "results": values,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": path_with_removed_args(self.request, {"_facet_month": column}),
                "truncated": len(rows) > size,
            })
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [MonthFacet]


def _search_args(request) -> tuple[str, bool]:
    return (request.args.get("_q") or "").strip(), request.args.get("_exact") in ("1", "on", "true")


@hookimpl
def filters_from_request(request, database, table, datasette):
    """``?_q=``: the stemmed search, as a ``rowid in (...)`` condition on the articles table."""
    if table != ARTICLES:
        return None
    query, exact = _search_args(request)
    if not query:
        return None
    try:
        plan, literal = plan_search(query, exact=exact)
    except BadQuery as e:
        return FilterArguments(["0"], {}, [str(e)], {"warta_error": str(e)})
    params = {}
    pieces = plan.sql.split("?")
    sql = pieces[0]
    for n, (value, piece) in enumerate(zip(plan.params, pieces[1:], strict=True)):
        params[f"warta_q{n}"] = value
        sql += f":warta_q{n}" + piece
    how = describe(plan, exact)
    note = " (not FTS5 syntax: searched word by word)" if literal else ""
    return FilterArguments([f"rowid in ({sql})"], params, [f'search matches "{query}" {how}{note}'],
                           {"warta_query": query, "warta_exact": exact, "warta_literal": literal})


def local_time(published: str | None) -> str:
    """A stored publication time as a reader says it, in the site's zone.

    >>> local_time("2019-11-28T14:30:00+07:00"), local_time("2019-11-20"), local_time(None)
    ('28 Nov 2019, 14:30 WIB', '20 Nov 2019', 'no date')
    """
    if not published or len(published) < 10:
        return "no date"
    year, month, day = published[:4], int(published[5:7]), int(published[8:10])
    text = f"{day} {MONTHS[month - 1]} {year}"
    if len(published) > 10:
        offset = published[19:] or "Z"
        text += f", {published[11:16]} {ZONES.get(offset, 'UTC' + offset if offset != 'Z' else 'UTC')}"
    return text


def _marked(text: str, matcher) -> Markup:
    """``text`` escaped, with the words the query matched in ``<mark>``."""
    out, cursor = [], 0
    for start, end in matcher.spans(text):
        out.append(html.escape(text[cursor:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>")
        cursor = end
    out.append(html.escape(text[cursor:]))
    return Markup("".join(out))


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    """Helpers for the search page: snippets, row links, local times, syndicated copies."""
    if view_name != "table" or table != ARTICLES:
        return {}
    query, exact = _search_args(request)
    highlight = Highlight()
    how = ""
    if query:
        try:
            plan = plan_search(query, exact=exact)[0]
            highlight, how = plan.highlight, describe(plan, exact)
        except BadQuery:
            pass

    matcher = highlight.matcher()

    def snippet(body: str | None) -> Markup:
        if not body:
            return Markup("")
        if not query:
            return Markup(html.escape(make_snippet(body, matcher, size=LEAD_WORDS)))
        text = html.escape(make_snippet(body, matcher, marks=(_OPEN, _CLOSE)))
        return Markup(text.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))

    def headline(title: str | None) -> Markup:
        return _marked(title, matcher) if title else Markup("(no title)")

    def row_url(row) -> str:
        return datasette.urls.row(database, table, path_from_row_pks(row, ["canonical_url"], False))

    async def copies(rows) -> dict:
        """``{dup_group: (copies, sites)}`` of the groups on the page that have more than one article."""
        groups = sorted({row["dup_group"] for row in rows if row["dup_group"] is not None})
        if not groups:
            return {}
        marks = ", ".join("?" * len(groups))
        result = await datasette.get_database(database).execute(
            f"select dup_group, count(*), count(distinct site) from articles where dup_group in ({marks}) "
            "group by dup_group having count(*) > 1", groups)
        return {group: (n, sites) for group, n, sites in result.rows}

    args = [(k, v) for k in request.args.keys() for v in request.args.getlist(k)]

    def with_args(**changes) -> str:
        """This page's path with some arguments set (None removes one)."""
        pairs = [(k, v) for k, v in args if k not in changes and k != "_next"]
        pairs += [(k, v) for k, v in changes.items() if v is not None]
        return request.path + ("?" + urlencode(pairs) if pairs else "")

    def facets(results) -> list:
        """Site, section and month first (the order an analyst narrows by), then any other."""
        order = {"site": 0, "section": 1, "published": 2}
        return sorted(results, key=lambda f: (order.get(f["name"], 3), f["name"]))

    return {
        "warta_facets": facets,
        "warta_query": query,
        "warta_how": how,
        "warta_exact": exact,
        "warta_snippet": snippet,
        "warta_headline": headline,
        "warta_row_url": row_url,
        "warta_local_time": local_time,
        "warta_copies": copies,
        "warta_with_args": with_args,
        "warta_table_view": request.args.get("_table") in ("1", "on", "true"),
        # Filters and facets kept when the box searches again.
        "warta_kept_args": [(k, v) for k, v in args if k not in ("_q", "_exact", "_next", "_search")],
    }


@hookimpl
def register_routes():
    """``/`` opens the search page of the (first) archive."""
    from datasette.utils.asgi import Response

    async def home(datasette):
        names = [name for name in datasette.databases if name != "_internal"]
        if not names:
            return Response.text("no archive", status=404)
        return Response.redirect(datasette.urls.table(names[0], ARTICLES))

    return [(r"^/$", home)]
