"""Indonesian-aware search: stems, the query parser, exact forms, snippets, and the stemmed index kept in step."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import fts_query
from pipelines.archive import archive_article, open_archive
from pipelines.article import Article
from pipelines.search import search_articles
from pipelines.stem import stem_text, stem_word

REPO = Path(__file__).resolve().parents[1]


def titles(result):
    return [h.title for h in result.hits]


@pytest.mark.parametrize(("word", "stem"), [
    ("kebanjiran", "banjir"), ("perkoperasian", "koperasi"), ("berkoperasi", "koperasi"),
    ("penanaman", "tanam"), ("ditanami", "tanam"), ("rumah-rumah", "rumah"), ("bermain-main", "main"),
    ("dikatakannya", "kata"), ("Sentani", "sentani"), ("2019", "2019"), ("di", "di")])
def test_stems(word, stem):
    assert stem_word(word) == stem


def test_stemmed_text_splits_like_fts5():
    assert stem_text("Warga_Antang kebanjiran, rumah-rumah terendam.") == "warga antang banjir rumah rendam"


def _add(db, slug, title, body, site="kabar-lebak"):
    url = f"https://www.kabarlebak.example/berita/{slug}/"
    archive_article(db, Article(url=url, canonical_url=url, site=site, title=title, body=body))


@pytest.fixture
def forms(db):
    _add(db, "kebanjiran", "Cibadak Kebanjiran Lagi", "Ratusan rumah kebanjiran setelah sungai meluap malam itu.")
    _add(db, "perkoperasian", "Hari Perkoperasian", "Dinas merayakan hari perkoperasian bersama warga berkoperasi.")
    _add(db, "penanaman", "Penanaman Mangrove", "Sawah yang ditanami padi dan penanaman mangrove di pesisir.")
    return db


def test_a_word_finds_every_form(forms):
    assert "Cibadak Kebanjiran Lagi" in titles(search_articles(forms, "banjir"))
    assert "Hari Perkoperasian" in titles(search_articles(forms, "koperasi"))
    assert titles(search_articles(forms, "tanam")) == ["Penanaman Mangrove"]
    # and any form finds the root
    assert "Banjir Genangi Perumahan di Antang" in titles(search_articles(forms, "kebanjiran"))


def test_quotes_and_exact_keep_the_form(forms):
    assert titles(search_articles(forms, '"kebanjiran"')) == ["Cibadak Kebanjiran Lagi"]
    assert titles(search_articles(forms, "kebanjiran", exact=True)) == ["Cibadak Kebanjiran Lagi"]
    assert "Cibadak Kebanjiran Lagi" not in titles(search_articles(forms, "banjir", exact=True))
    # A prefix is a prefix of the exact form.
    assert titles(search_articles(forms, "perkop*")) == ["Hari Perkoperasian"]


def test_mixed_query_of_stems_and_exact_forms(forms):
    # "sungai" by stem, AND the exact word "kebanjiran"
    assert titles(search_articles(forms, 'sungai "kebanjiran"')) == ["Cibadak Kebanjiran Lagi"]
    # OR across the two indexes; NOT of an exact form
    assert set(titles(search_articles(forms, 'mangrove OR "perkoperasian"'))) == {
        "Penanaman Mangrove", "Hari Perkoperasian"}
    assert "Cibadak Kebanjiran Lagi" not in titles(search_articles(forms, 'banjir NOT "kebanjiran"'))
    assert "Banjir Genangi Perumahan di Antang" in titles(search_articles(forms, 'banjir NOT "kebanjiran"'))


def test_snippets_mark_every_matched_form(forms):
    hit = next(h for h in search_articles(forms, "banjir").hits if h.title == "Cibadak Kebanjiran Lagi")
    assert hit.snippet == "Ratusan rumah [kebanjiran] setelah sungai meluap malam itu."
    hit = search_articles(forms, "koperasi", marks=("<b>", "</b>")).hits[0]
    assert "<b>perkoperasian</b>" in hit.snippet and "<b>berkoperasi</b>" in hit.snippet


@pytest.mark.parametrize(("query", "stemmed"), [
    ("kebanjiran", '"banjir"'),
    ('title:kebanjiran OR "harga beras"', 'title : "banjir" OR "harga beras"'),
    ("NEAR(kebanjiran warga, 5)", 'NEAR("banjir" "warga", 5)'),
    ("(banjir OR longsor) NOT rob", '("banjir" OR "longsor") NOT "rob"'),
    ("-body:banjir", '- body : "banjir"'),
    ("{title body}:pelantikan", '{title body} : "lantik"'),
])
def test_parser_renders_stems(query, stemmed):
    assert fts_query.render(fts_query.parse(query), stemmed=True) == stemmed


@pytest.mark.parametrize("query", ['"banjir', "banjir AND", "judul:banjir", "(banjir", "banjir^", "NEAR(banjir)"])
def test_parser_rejects_bad_syntax(query):
    with pytest.raises(fts_query.ParseError):
        fts_query.parse(query)


def test_index_follows_other_programs_writes(db, db_path):
    """sqlite3 (or sqlite-utils, Datasette) may write to the archive: plain-SQL triggers queue the
    changes, and the next warta search indexes them."""
    other = sqlite3.connect(db_path)
    other.execute("insert into articles (canonical_url, url, title, body) values (?, ?, ?, ?)",
                  ["https://x.example/1", "https://x.example/1", "Warga Kebanjiran", "Rumah warga kebanjiran."])
    other.execute("update articles set body = 'Perumahan terendam air.' "
                  "where canonical_url = 'https://wartamakassar.example/berita/banjir-antang/'")
    other.execute("delete from articles where canonical_url = 'https://suarajayapura.example/berita/banjir-sentani/'")
    other.commit()
    other.close()
    found = titles(search_articles(db, "banjir"))
    assert "Warga Kebanjiran" in found
    assert "Banjir Bandang Sentani, Warga Mengungsi" not in found
    assert "Banjir Genangi Perumahan di Antang" in found  # still in its title
    assert titles(search_articles(db, "padam")) == []  # the old body's "pemadam" is gone from the index
    assert "Banjir Genangi Perumahan di Antang" in titles(search_articles(db, "rendam"))  # the new "terendam"
    assert db.execute("select count(*) from stem_changes").fetchone()[0] == 0
    # The archive stays consistent for FTS5's own check.
    db.execute("insert into articles_stem_fts(articles_stem_fts, rank) values ('integrity-check', 0)")


def test_sqlite_utils_cli_still_writes_and_searches(db, db_path):
    """Other tools need no warta function to write: the sqlite-utils CLI inserts and searches."""
    sqlite_utils = [sys.executable, "-m", "sqlite_utils"]
    subprocess.run([*sqlite_utils, "insert", str(db_path), "articles", "-", "--pk", "canonical_url"],
                   input='{"canonical_url": "https://y.example/1", "url": "https://y.example/1", '
                         '"title": "Petani Berkoperasi", "body": "Petani kopi berkoperasi."}',
                   text=True, check=True, capture_output=True)
    out = subprocess.run([*sqlite_utils, "search", str(db_path), "articles", "berkoperasi"],
                         text=True, check=True, capture_output=True).stdout
    assert "Petani Berkoperasi" in out
    assert "Petani Berkoperasi" in titles(search_articles(db, "koperasi"))


def test_read_only_archive_searches_what_it_has(db, db_path):
    other = sqlite3.connect(db_path)
    other.execute("insert into articles (canonical_url, url, title, body) values ('https://z', 'https://z', "
                  "'Kebanjiran', 'Kampung kebanjiran.')")
    other.commit()
    other.close()
    reader = open_archive(db_path, create=False)
    reader.conn.execute("pragma query_only = 1")
    result = search_articles(reader, "banjir")
    assert result.pending == 1 and "Kebanjiran" not in titles(result)
    reader.close()


def test_migrated_archive_gets_its_stemmed_index(tmp_path):
    """An archive of schema 1 (before this index) is indexed when warta opens it."""
    from pipelines import archive

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    db = archive.sqlite_utils.Database(conn)
    archive.MIGRATIONS[0](db)
    conn.execute("pragma user_version = 1")
    conn.execute("insert into articles (canonical_url, url, title, body, published_utc) values "
                 "('https://a', 'https://a', 'Kebanjiran', 'Desa kebanjiran lagi hari ini.', '2019-11-01T00:00:00Z')")
    conn.commit()
    conn.close()
    db = open_archive(path)
    assert titles(search_articles(db, "banjir")) == ["Kebanjiran"]
    assert db.execute("select dup_group is not null from articles").fetchone()[0] == 1
    db.close()


def test_eval_script_meets_the_targets():
    """scripts/eval_stem.py: recall and false matches on the root/affix set (the figures are for people;
    the targets are the issue's)."""
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "eval_stem.py")], capture_output=True, text=True,
                         check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("stems"))
    assert "recall >= 0.95: met" in line and "false matches <= 2 %: met" in line
