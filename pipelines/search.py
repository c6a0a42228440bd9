"""Full-text search of archived articles: FTS5, bm25 ranking, highlighted snippets.

The query is first tried as FTS5 syntax (phrases, ``OR``, ``NOT``, prefixes
``ban*``, ``title:banjir``), so analysts keep its power. When SQLite rejects it
(an unbalanced quote, a lone ``-``, a trailing ``AND``, ``*`` alone, a column
filter naming an unknown column, ``Tanjung-Priok`` read as a column filter) the
query is searched *literally*: every word is quoted as a phrase, and bare
operators and punctuation are dropped. User text only ever reaches SQLite as a
bound parameter.

Example usage::

    from pipelines.search import search_articles
    result = search_articles(db, "banjir rob", limit=10)
    for hit in result.hits:
        print(hit.title, hit.snippet)
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass, field

from .errors import ArchiveError, BadQuery
from .notebook import ArticleFilter

#: bm25 weights of the FTS columns (title, body): a word in the title counts five
#: times one in the body, so "banjir" ranks a story *about* a flood above one
#: that mentions a flood in passing.
BM25_WEIGHTS = (5.0, 1.0)

#: Tokens around the match in a snippet (SQLite allows at most 64).
SNIPPET_TOKENS = 16

#: Default markers around matched words in snippets.
MARKS = ("[", "]")

#: The FTS5 operators, dropped from a literal search where they cannot be operators.
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_WORD = re.compile(r"\w", re.UNICODE)
_SPACE = re.compile(r"\s+")


@dataclass
class SearchHit:
    """One matching article: where it is, when it was published, and a snippet.

    ``score`` is the bm25 relevance with its sign flipped: higher is better.
    """

    canonical_url: str
    site: str | None
    title: str | None
    published: str | None
    snippet: str
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    """The hits of a search, best first, and the FTS5 query that was run.

    ``literal`` is True when the query was not valid FTS5 syntax and was
    searched word by word instead.
    """

    query: str
    fts_query: str
    literal: bool
    hits: list[SearchHit] = field(default_factory=list)


def literal_query(query: str) -> str:
    """The query as a safe FTS5 expression: each word quoted, operators and punctuation dropped.

    :raises BadQuery: when no word is left to search for.

    >>> literal_query('banjir "rob')
    '"banjir" "rob"'
    >>> literal_query('Tanjung-Priok AND')
    '"Tanjung-Priok"'
    >>> literal_query('*')
    Traceback (most recent call last):
    ...
    pipelines.errors.BadQuery: nothing to search for in '*'
    """
    words = []
    for token in query.split():
        token = token.strip('"')
        if token.upper() in _OPERATORS or not _WORD.search(token):
            continue
        words.append('"' + token.replace('"', '""') + '"')
    if not words:
        raise BadQuery(f"nothing to search for in {query!r}")
    return " ".join(words)


def search_articles(db, query: str, where: ArticleFilter | None = None, *, limit: int = 20,
                    marks: tuple[str, str] = MARKS) -> SearchResult:
    """Search title and body of the archived articles, best match first.

    Ranking is bm25 (:data:`BM25_WEIGHTS`); the snippet is the passage of the
    body that matches best, with matched words between ``marks``.

    :param db: an open archive
    :param query: FTS5 syntax or plain words (see the module docstring)
    :param where: site and local-day filter
    :param limit: at most this many hits
    :param marks: text put before and after each matched word
    :raises BadQuery: when the query is empty or holds no word at all.
    :raises ArchiveError: when SQLite fails for another reason (a locked or damaged archive).

    Example usage::

        search_articles(db, '"banjir rob" OR genangan', ArticleFilter.make(site="kabar-lebak"))
    """
    text = (query or "").strip()
    if not text:
        raise BadQuery("empty search query")
    if not _WORD.search(text):
        raise BadQuery(f"nothing to search for in {text!r}")
    if limit < 1:
        raise BadQuery(f"limit must be at least 1, got {limit}")
    try:
        return SearchResult(text, text, False, _run(db, text, where, limit, marks))
    except sqlite3.OperationalError as e:
        if not _is_query_error(e):
            raise ArchiveError(f"search failed: {e}") from None
    fts = literal_query(text)
    try:
        return SearchResult(text, fts, True, _run(db, fts, where, limit, marks))
    except sqlite3.OperationalError as e:
        if not _is_query_error(e):
            raise ArchiveError(f"search failed: {e}") from None
        raise BadQuery(f"cannot search for {text!r}: {e}") from None


def _is_query_error(error: sqlite3.OperationalError) -> bool:
    message = str(error)
    return any(
        sign in message
        for sign in ("fts5", "syntax error", "unterminated string", "no such column", "unknown special query")
    )


def _run(db, fts: str, where: ArticleFilter | None, limit: int, marks: tuple[str, str]) -> list[SearchHit]:
    condition, params = (where or ArticleFilter()).sql("a")
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    # Rank first, joining articles only for the filter, then build snippets for
    # the few rows kept.
    # Without a filter the ranking never touches the articles table (half the time
    # on a common word).
    ranked = (
        "select articles_fts.rowid as id, bm25(articles_fts, " + weights + ") as score from articles_fts "
        + (f"join articles a on a.rowid = articles_fts.rowid where articles_fts match ? and {condition}"
           if condition else "where articles_fts match ?")
        + " order by score limit ?"
    )
    # The snippet is built per kept row by a rowid lookup (":=M" plan); joining the
    # ranked rows back to articles_fts instead would run the whole MATCH again.
    sql = (
        f"with ranked as materialized ({ranked}) "
        "select a.canonical_url, a.site, a.title, a.published, "
        "(select snippet(articles_fts, 1, ?, ?, '…', ?) from articles_fts "
        " where articles_fts match ? and articles_fts.rowid = ranked.id) as snippet, ranked.score "
        "from ranked join articles a on a.rowid = ranked.id order by ranked.score"
    )
    args = [fts, *params, limit, marks[0], marks[1], SNIPPET_TOKENS, fts]
    return [
        SearchHit(url, site, title, published, _SPACE.sub(" ", snippet or "").strip(), round(-score, 4))
        for url, site, title, published, snippet, score in db.conn.execute(sql, args)
    ]
