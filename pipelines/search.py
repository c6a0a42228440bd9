"""Full-text search of archived articles: Indonesian stems, exact forms, bm25 ranking, highlighted snippets.

A plain word matches every form of its stem: ``banjir`` finds *kebanjiran*,
``koperasi`` finds *perkoperasian* and *berkoperasi*, ``ditanami`` finds *tanam*
and *penanaman* (Sastrawi stems, see :mod:`pipelines.stem`), through the stemmed
FTS5 index ``articles_stem_fts``. A quoted phrase or a prefix (``"kebanjiran"``,
``pelabuh*``) matches the exact form, through ``articles_fts``; ``exact=True``
(``warta search --exact``) makes every word exact. The rest of FTS5's syntax
works as in SQLite (``OR``, ``NOT``, ``NEAR``, parentheses, ``title:banjir``),
see :mod:`pipelines.fts_query`.

When the query is not valid syntax (an unbalanced quote, a lone ``-``, a trailing
``AND``, ``*`` alone, an unknown column) its words are searched *literally*:
each word as a plain word, bare operators and punctuation dropped. User text only
ever reaches SQLite as a bound parameter.

Snippets are cut from the body around the best cluster of matched words; every
word that matched (any form of a searched stem, or the exact form) is marked.

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

from . import fts_query
from .errors import ArchiveError, BadQuery
from .notebook import ArticleFilter
from .stem import WORD

#: bm25 weights of the FTS columns (title, body): a word in the title counts five
#: times one in the body, so "banjir" ranks a story *about* a flood above one
#: that mentions a flood in passing.
BM25_WEIGHTS = (5.0, 1.0)

#: Words in a snippet (as FTS5's snippet(), at most 64).
SNIPPET_TOKENS = 16

#: Default markers around matched words in snippets.
MARKS = ("[", "]")

#: The FTS5 operators, dropped from a literal search where they cannot be operators.
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_WORD = re.compile(r"\w", re.UNICODE)
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?\n]")
_CLOSING = re.compile(r"[^\s\w(\[{\"'“‘-]*")


@dataclass
class SearchHit:
    """One matching article: where it is, when it was published, and a snippet.

    ``score`` is the bm25 relevance with its sign flipped: higher is better.
    ``earliest_copy`` is the canonical URL of the first published copy of the
    story (the article's own URL unless it is a syndicated copy).
    """

    canonical_url: str
    site: str | None
    title: str | None
    published: str | None
    snippet: str
    score: float
    earliest_copy: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    """The hits of a search, best first, and the FTS5 query that was run.

    ``literal`` is True when the query was not valid FTS5 syntax and was
    searched word by word instead. ``fts_query`` is the FTS5 text given to the
    index that ranked the hits (stems for the stemmed index). ``pending`` counts
    articles changed by another program and not yet in the stemmed index (see
    :func:`pipelines.derived.sync_derived`).
    """

    query: str
    fts_query: str
    literal: bool
    hits: list[SearchHit] = field(default_factory=list)
    exact: bool = False
    pending: int = 0
    #: How the words were matched: "in any form", "in its exact form", or both (see :func:`describe`).
    matching: str = "in any form"


def literal_query(query: str) -> str:
    """The query's words, quoted (as the note shows them), operators and punctuation dropped.

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
    return " ".join('"' + w.replace('"', '""') + '"' for w in _literal_words(query))


def _literal_words(query: str) -> list[str]:
    found = []
    for token in query.split():
        token = token.strip('"')
        if token.upper() in _OPERATORS or not _WORD.search(token):
            continue
        found.append(token)
    if not found:
        raise BadQuery(f"nothing to search for in {query!r}")
    return found


def _literal_tree(query: str):
    terms = [fts_query.Phrase([fts_query.Term(w)]) for w in _literal_words(query) if WORD.search(w)]
    if not terms:
        raise BadQuery(f"nothing to search for in {query!r}")
    return terms[0] if len(terms) == 1 else fts_query.BoolOp("AND", terms)


def plan_search(query: str, *, exact: bool = False) -> tuple[fts_query.Plan, bool]:
    """The plan of ``query`` and whether it was read literally (not FTS5 syntax).

    :raises BadQuery: when the query is empty or holds no word.
    """
    text = (query or "").strip()
    if not text:
        raise BadQuery("empty search query")
    if not _WORD.search(text):
        raise BadQuery(f"nothing to search for in {text!r}")
    try:
        return fts_query.compile_query(fts_query.parse(text), exact=exact), False
    except fts_query.ParseError:
        return fts_query.compile_query(_literal_tree(text), exact=exact), True


def search_articles(db, query: str, where: ArticleFilter | None = None, *, limit: int = 20,
                    marks: tuple[str, str] = MARKS, exact: bool = False) -> SearchResult:
    """Search title and body of the archived articles, best match first.

    Ranking is bm25 (:data:`BM25_WEIGHTS`); the snippet is the passage of the
    body with the most matched words, each between ``marks``.

    :param db: an open archive
    :param query: FTS5 syntax or plain words (see the module docstring)
    :param where: site, local-day and unique-story filter
    :param limit: at most this many hits
    :param marks: text put before and after each matched word
    :param exact: match every word in its exact form only (no stemming)
    :raises BadQuery: when the query is empty or holds no word at all.
    :raises ArchiveError: when SQLite fails for another reason (a locked or damaged archive).

    Example usage::

        search_articles(db, 'kebanjiran OR genangan', ArticleFilter.make(site="kabar-lebak"))
    """
    if limit < 1:
        raise BadQuery(f"limit must be at least 1, got {limit}")
    plan, literal = plan_search(query, exact=exact)
    from .archive import refresh_derived

    pending = refresh_derived(db).get("stems", 0)
    try:
        hits = _run(db, plan, where, limit, marks)
    except sqlite3.OperationalError as e:
        raise ArchiveError(f"search failed: {e}") from None
    shown = literal_query(query) if literal else plan.match
    return SearchResult(query.strip(), shown, literal, hits, exact=exact, pending=pending,
                        matching=describe(plan, exact))


def describe(plan: fts_query.Plan, exact: bool = False) -> str:
    """How a plan matches the words, for people.

    >>> describe(plan_search('"kebanjiran"')[0]), describe(plan_search('banjir "rob"')[0])
    ('in its exact form', 'in any form (quoted words exactly)')
    """
    if exact or (plan.single and plan.table == fts_query.EXACT_TABLE):
        return "in its exact form"
    return "in any form" if plan.single else "in any form (quoted words exactly)"


def _run(db, plan: fts_query.Plan, where: ArticleFilter | None, limit: int,
         marks: tuple[str, str]) -> list[SearchHit]:
    condition, params = (where or ArticleFilter()).sql("a")
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    t = plan.table
    if plan.single:
        # Rank first, joining articles only for the filter (without a filter the
        # ranking never touches the articles table: half the time on a common word).
        ranked = (
            f"select {t}.rowid as id, bm25({t}, {weights}) as score from {t} "
            + (f"join articles a on a.rowid = {t}.rowid where {t} match ? and {condition}"
               if condition else f"where {t} match ?")
            + " order by score limit ?"
        )
        args = [plan.match, *params, limit]
    else:
        # A query mixing stems and exact forms: the rows come from set operations of
        # both indexes, ranked by the stemmed index on all the query's (positive) words.
        ranked = (
            f"select {t}.rowid as id, bm25({t}, {weights}) as score from {t} "
            + (f"join articles a on a.rowid = {t}.rowid " if condition else "")
            + f"where {t} match ? and {t}.rowid in ({plan.sql})"
            + (f" and {condition}" if condition else "") + " order by score limit ?"
        )
        args = [plan.match, *plan.params, *params, limit]
    sql = (f"with ranked as materialized ({ranked}) "
           "select a.canonical_url, a.site, a.title, a.published, a.body, a.earliest_copy, ranked.score "
           "from ranked join articles a on a.rowid = ranked.id order by ranked.score")
    matcher = plan.highlight.matcher()
    return [
        SearchHit(url, site, title, published, make_snippet(body or "", matcher, marks), round(-score, 4), earliest)
        for url, site, title, published, body, earliest, score in db.conn.execute(sql, args)
    ]


def make_snippet(text: str, highlight, marks: tuple[str, str] = MARKS, size: int = SNIPPET_TOKENS) -> str:
    """The passage of ``size`` words of ``text`` holding the most matched words, each between ``marks``.

    Like FTS5's ``snippet()``: "…" where the passage is cut; the start of the
    text when nothing in it matched (a match in the title only).

    ``highlight`` is a :class:`pipelines.fts_query.Highlight` or, to share what
    it learnt of words across texts, its :class:`pipelines.stem.Matcher`.

    >>> h = fts_query.Highlight(stems={"banjir"})
    >>> make_snippet("Warga di Antang kebanjiran lagi setelah hujan deras semalam.", h, size=5)
    '…Antang [kebanjiran] lagi setelah hujan…'
    """
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    if not spans:
        return ""
    matcher = highlight.matcher() if isinstance(highlight, fts_query.Highlight) else highlight
    hit_spans = {span for span in spans if matcher.matches(text[span[0]:span[1]])}
    matched = [n for n, span in enumerate(spans) if span in hit_spans]
    start = 0
    if matched:
        best = None
        for m in matched:
            # The match a quarter into the passage, or the passage from the start of its sentence.
            firsts = {max(0, min(m - size // 4, len(spans) - size))}
            sentence = m
            while sentence > 0 and m - sentence < size - 2 and not _SENTENCE_END.search(
                    text[spans[sentence - 1][1]:spans[sentence][0]]):
                sentence -= 1
            if m - sentence < size - 2:
                firsts.add(sentence)
            for first in firsts:
                inside = [n for n in matched if first <= n < first + size]
                opens = first == 0 or bool(_SENTENCE_END.search(text[spans[first - 1][1]:spans[first][0]]))
                score = (len({text[spans[n][0]:spans[n][1]].lower() for n in inside}), len(inside), opens, -first)
                if best is None or score > best[0]:
                    best = (score, first)
        start = best[1]
    end = min(len(spans), start + size)
    pieces = []
    cursor = spans[start][0]
    for n in range(start, end):
        a, b = spans[n]
        pieces.append(text[cursor:a])
        pieces.append(marks[0] + text[a:b] + marks[1] if spans[n] in hit_spans else text[a:b])
        cursor = b
    # Keep the punctuation that closes the last word (a full stop, a quote), not what leads the next one.
    pieces.append(_CLOSING.match(text, cursor).group())
    snippet = _SPACE.sub(" ", "".join(pieces)).strip()
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(spans) else "")
