"""A Datasette plugin for warta archives: the ``month`` facet (local publication month).

``published`` holds ISO 8601 text with the site's offset (or only the day), so
its first seven characters are the site's local month. Configured in the
metadata as ``facets: [{month: published}]`` or asked for with
``?_facet_month=published``; choosing a month filters with
``published__startswith=2019-11``.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


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
