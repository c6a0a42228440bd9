"""Full-text search: bm25 ranking, snippets, filters, and queries that are not valid FTS5."""

from __future__ import annotations

import pytest

from pipelines.errors import BadQuery
from pipelines.notebook import ArticleFilter, BadFilter
from pipelines.search import literal_query, search_articles

FLOOD_TITLES = {
    "Banjir Bandang Sentani, Warga Mengungsi",
    "Banjir Genangi Perumahan di Antang",
    "Banjir Rob Rendam Puluhan Rumah di Rangkasbitung",
}


def titles(result):
    return [h.title for h in result.hits]


def test_word_search_ranks_and_highlights(db):
    result = search_articles(db, "banjir")
    assert not result.literal
    assert set(titles(result)) == FLOOD_TITLES
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)
    antang = next(h for h in result.hits if "Antang" in h.title)
    assert antang.snippet == (
        "Hujan deras sepanjang malam membuat [banjir] menggenangi perumahan di Antang. "
        "Petugas pemadam kebakaran membantu evakuasi warga…"
    )
    assert antang.published == "2019-11-30T22:45:00+08:00"
    assert antang.site == "warta-makassar"
    assert antang.canonical_url == "https://wartamakassar.example/berita/banjir-antang/"


def test_title_match_outranks_body_match(db):
    # "koperasi" is in the seminar's title and body; "festival" is in two titles.
    assert titles(search_articles(db, "koperasi")) == ["Seminar Koperasi Digelar di Pendopo Lebak"]
    result = search_articles(db, "wisata")
    assert titles(result)[0] == "Festival Seba Baduy Dipadati Wisatawan"


def test_fts5_syntax_is_honoured(db):
    assert titles(search_articles(db, '"banjir bandang"')) == ["Banjir Bandang Sentani, Warga Mengungsi"]
    assert set(titles(search_articles(db, "coto OR pinang"))) == {
        "Festival Coto Makassar Hadirkan Seratus Warung", "Harga Pinang Melonjak Jelang Natal"}
    assert set(titles(search_articles(db, "banjir NOT sentani"))) == FLOOD_TITLES - {
        "Banjir Bandang Sentani, Warga Mengungsi"}
    assert titles(search_articles(db, "pelanti*")) == ["Wali Kota Lantik Lima Camat Baru"]
    assert set(titles(search_articles(db, "title:festival"))) == {
        "Festival Coto Makassar Hadirkan Seratus Warung", "Festival Seba Baduy Dipadati Wisatawan"}


def test_search_is_case_and_accent_insensitive(db):
    from datetime import UTC, datetime

    from pipelines.archive import archive_article
    from pipelines.article import Article

    url = "https://www.kabarlebak.example/berita/kafe/"
    archive_article(db, Article(url=url, canonical_url=url, site="kabar-lebak", title="Kafé Baru di Rangkasbitung",
                                body="Sebuah kafé dibuka di pusat kota.", published=datetime(2019, 11, 1, tzinfo=UTC)))
    assert titles(search_articles(db, "KAFE")) == ["Kafé Baru di Rangkasbitung"]


@pytest.mark.parametrize(
    ("query", "fts"),
    [
        ('"banjir', '"banjir"'),                 # unbalanced quote
        ("banjir AND", '"banjir"'),              # trailing AND
        ("banjir -", '"banjir"'),                # lone -
        ("banjir OR", '"banjir"'),
        ("NEAR( banjir", '"NEAR(" "banjir"'),
        ("judul:banjir", '"judul:banjir"'),      # column filter, unknown column
        ("banjir^", '"banjir^"'),
        ("(banjir", '"(banjir"'),
    ],
)
def test_invalid_fts5_falls_back_to_a_literal_search(db, query, fts):
    result = search_articles(db, query)
    assert result.literal
    assert result.fts_query == fts
    if fts == '"banjir"':
        assert set(titles(result)) == FLOOD_TITLES


def test_hyphenated_word_is_one_word(db):
    # FTS5 alone reads "pete-pete" as a column filter; warta's parser reads a word.
    result = search_articles(db, "pete-pete")
    assert not result.literal
    assert titles(result) == ["Tarif Pete-pete di Makassar Naik Rp1.000"]
    assert "[pete-pete]" in result.hits[0].snippet


@pytest.mark.parametrize("query", ["*", "-", "AND", '""', "( )", "NOT OR"])
def test_query_without_words_is_a_clear_error(db, query):
    with pytest.raises(BadQuery, match=r"^nothing to search for in "):
        search_articles(db, query)


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query(db, query):
    with pytest.raises(BadQuery, match="^empty search query$"):
        search_articles(db, query)


def test_user_input_never_becomes_sql(db):
    for query in ["'; drop table articles; --", "banjir'); delete from articles; --", "x\" OR 1=1 --"]:
        search_articles(db, query)
    assert db["articles"].count == 12


def test_filters_by_site_and_local_day(db):
    result = search_articles(db, "banjir", ArticleFilter.make(site="suara-jayapura"))
    assert titles(result) == ["Banjir Bandang Sentani, Warga Mengungsi"]
    # 2019-11-30T22:45+08:00 is 14:45 UTC the same day; 2019-11-28T14:30+07:00 is the 28th.
    result = search_articles(db, "banjir", ArticleFilter.make(since="2019-11-28", until="2019-11-30"))
    assert set(titles(result)) == {"Banjir Genangi Perumahan di Antang",
                                   "Banjir Rob Rendam Puluhan Rumah di Rangkasbitung"}
    # Local day, not UTC: 2019-11-27T03:15+07:00 is 26 November in UTC but the 27th in Lebak.
    result = search_articles(db, "koperasi", ArticleFilter.make(since="2019-11-27", until="2019-11-27"))
    assert titles(result) == ["Seminar Koperasi Digelar di Pendopo Lebak"]
    assert titles(search_articles(db, "koperasi", ArticleFilter.make(until="2019-11-26"))) == []


def test_limit(db):
    assert len(search_articles(db, "warga", limit=2).hits) == 2
    with pytest.raises(BadQuery, match="^limit must be at least 1, got 0$"):
        search_articles(db, "warga", limit=0)


def test_bad_filter_days():
    with pytest.raises(BadFilter, match=r"^--until: expected a day as YYYY-MM-DD, got '30/11/2019'$"):
        ArticleFilter.make(until="30/11/2019")
    with pytest.raises(BadFilter, match="^--since 2019-12-01 is after --until 2019-11-01$"):
        ArticleFilter.make(since="2019-12-01", until="2019-11-01")


def test_literal_query_quotes_embedded_quotes():
    assert literal_query('kata "pete"pete') == '"kata" "pete""pete"'


def test_archive_without_fts_index_is_a_clear_error(db):
    db.execute("drop table articles_stem_fts")
    from pipelines.errors import ArchiveError

    with pytest.raises(ArchiveError, match="^search failed: no such table: articles_stem_fts$"):
        search_articles(db, "banjir")


def test_benchmark_script_runs_on_a_small_archive(tmp_path):
    """scripts/bench_search.py keeps working (its figures are for people, not asserted)."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "bench_search.py"
    result = subprocess.run([sys.executable, str(script), "--articles", "60", "--db", str(tmp_path / "bench.db")],
                            capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"archive: {tmp_path / 'bench.db'} (60 articles")
    assert lines[1].startswith("search: 100 queries, p50 ")
    assert lines[2].startswith("search --exact: 100 queries, p50 ")
    assert lines[3].startswith("stemmed index: ")
    assert [line.split(":")[0].strip() for line in lines[4:7]] == ["export csv", "export jsonl", "export parquet"]
    assert all(" 60 rows in " in line for line in lines[4:7])
