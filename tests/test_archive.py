"""The archive: schema, migrations, idempotent upserts, versions, FTS, pages."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from pipelines import archive
from pipelines.article import Article
from pipelines.errors import ArchiveError
from pipelines.page import Page

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))


def make_article(n: int = 1, body: str = "Warga Rangkasbitung menggelar seminar koperasi.", **kw) -> Article:
    fields = dict(
        url=f"https://www.kabarlebak.example/2019/11/28/berita-{n}/",
        canonical_url=f"https://www.kabarlebak.example/2019/11/28/berita-{n}/",
        site="kabar-lebak",
        title=f"Seminar Koperasi {n}",
        body=body,
        published=datetime(2019, 11, 28, 14, 30, tzinfo=WIB),
        published_raw="Kamis, 28 November 2019 - 14:30 WIB",
        published_source="visible",
    )
    fields.update(kw)
    return Article(**fields)


def make_page(n: int = 1, html: bytes = b"<html><h1>Seminar</h1></html>") -> Page:
    return Page(url=f"https://www.kabarlebak.example/2019/11/28/berita-{n}/", body=html,
                fetched_at=datetime(2019, 11, 28, 9, 0, tzinfo=UTC), site="kabar-lebak",
                headers={"Content-Type": "text/html; charset=utf-8"})


def test_schema_version_and_wal(db_path):
    db = archive.open_archive(db_path)
    assert archive.schema_version(db) == archive.SCHEMA_VERSION
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert {"pages", "articles", "article_versions", "crawls", "failures", "articles_fts"} <= set(db.table_names())
    db.close()
    # Opening again runs no migration and keeps the data.
    db = archive.open_archive(db_path)
    assert archive.schema_version(db) == archive.SCHEMA_VERSION


def test_newer_schema_is_refused(db_path):
    db = archive.open_archive(db_path)
    db.execute(f"pragma user_version = {archive.SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(ArchiveError, match="newer than this warta"):
        archive.open_archive(db_path)


def test_missing_and_corrupt_archives(tmp_path):
    with pytest.raises(ArchiveError, match="no archive at"):
        archive.open_archive(tmp_path / "none.db", create=False)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError, match="not a warta archive"):
        archive.open_archive(bad)
    with pytest.raises(ArchiveError, match="does not exist"):
        archive.open_archive(tmp_path / "no" / "such" / "dir.db")


def test_archive_article_is_idempotent_and_keeps_versions(fresh_db):
    article, page = make_article(), make_page()
    assert archive.archive_article(fresh_db, article, [page]).action == "inserted"
    assert archive.archive_article(fresh_db, article, [page]).action == "unchanged"
    changed = make_article(body=article.body + " Acara dihadiri 200 peserta.")
    assert archive.archive_article(fresh_db, changed, [make_page(html=b"<html>v2</html>")]).action == "updated"
    assert fresh_db["articles"].count == 1
    versions = list(fresh_db["article_versions"].rows)
    assert [v["body"] for v in versions] == [article.body]
    row = fresh_db["articles"].get(article.canonical_url)
    assert row["body"].endswith("200 peserta.")
    assert row["published"] == "2019-11-28T14:30:00+07:00"
    assert row["published_utc"] == "2019-11-28T07:30:00Z"
    # The same page bytes are stored once; the new bytes make a second page row.
    assert fresh_db["pages"].count == 2


def test_date_only_and_other_zones(fresh_db):
    archive.archive_article(fresh_db, make_article(1, published=date(2019, 11, 28)), [make_page(1)])
    archive.archive_article(fresh_db, make_article(2, published=datetime(2019, 6, 15, 19, 30, tzinfo=WITA)),
                            [make_page(2)])
    published = sorted((r["published"], r["published_utc"]) for r in fresh_db["articles"].rows)
    assert published == [("2019-06-15T19:30:00+08:00", "2019-06-15T11:30:00Z"), ("2019-11-28", "2019-11-28")]


def test_fts_search_folds_case_and_diacritics_without_stemming(fresh_db):
    archive.archive_article(fresh_db, make_article(1, body="Festival kuliner Café Rangkasbitung ramai."), [make_page(1)])
    archive.archive_article(fresh_db, make_article(2, body="Petani memanen padi di Cibadak."), [make_page(2)])
    hits = [r["canonical_url"] for r in fresh_db["articles"].search("cafe")]
    assert hits == [make_article(1).canonical_url]
    # No English stemmer: Porter would mangle Indonesian affixes.
    schema = fresh_db["articles_fts"].schema
    assert "unicode61 remove_diacritics 2" in schema and "porter" not in schema
    # Triggers keep FTS in sync on update.
    archive.archive_article(fresh_db, make_article(2, body="Petani menanam jagung."), [make_page(2, b"x")])
    assert list(fresh_db["articles"].search("padi")) == []
    assert len(list(fresh_db["articles"].search("jagung"))) == 1


def test_pages_round_trip_compressed(fresh_db):
    html = ("<html><body>" + "<p>Berita Terbaru dari Lebak.</p>" * 500 + "</body></html>").encode()
    page = make_page(html=html)
    page_id = archive.store_page(fresh_db, page)
    row = fresh_db["pages"].get(page_id)
    assert row["body_size"] == len(html) and len(row["body"]) < len(html) // 4
    back = archive.load_page(fresh_db, page_id)
    assert back.body == html and back.fetched_at == page.fetched_at and back.headers == page.headers


def test_skipped_pages_failures_and_known_urls(fresh_db):
    crawl_id = archive.start_crawl(fresh_db, ["kabar-lebak"], {"since": None})
    archive.archive_skipped_page(fresh_db, make_page(9), "index-page", crawl_id)
    archive.record_failure(fresh_db, "https://www.kabarlebak.example/x", "fetch", "http-404", "HTTP 404", crawl_id)
    archive.archive_article(fresh_db, make_article(1), [make_page(1)], crawl_id)
    archive.finish_crawl(fresh_db, crawl_id, {"pages": 3})
    assert archive.known_urls(fresh_db, "kabar-lebak") == {make_article(1).url}
    crawl = fresh_db["crawls"].get(crawl_id)
    assert crawl["status"] == "finished" and '"pages": 3' in crawl["stats"]
    assert fresh_db.execute("select skip_reason from pages where skip_reason is not null").fetchall() == [("index-page",)]


def test_integrity(db_path):
    db = archive.open_archive(db_path)
    archive.archive_article(db, make_article(), [make_page()])
    db.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_a_failed_store_leaves_nothing_half_written(fresh_db, monkeypatch):
    def broken_record(article):
        raise RuntimeError("disk full")

    monkeypatch.setattr(archive, "article_record", broken_record)
    with pytest.raises(RuntimeError):
        archive.archive_article(fresh_db, make_article(), [make_page()])
    # The page stored before the failure was rolled back with the article.
    assert fresh_db["pages"].count == 0 and fresh_db["articles"].count == 0
    assert not fresh_db.conn.in_transaction


def test_fts_is_found_by_sqlite_utils(fresh_db):
    assert fresh_db["articles"].detect_fts() == "articles_fts"


def test_pages_keep_what_the_crawl_knew_and_the_decision(fresh_db):
    from pipelines.validate import Decision, Evidence

    kept = Decision("article", "crawl-knew", 1.5, [Evidence("via", "sitemap"), Evidence("date", True, 1.0)])
    skipped = Decision("not-article", "index-page", 0.0, [Evidence("listing-url", "/tag/x/", decisive=True)])
    page = make_page(1)
    page.via = "sitemap"
    archive.archive_article(fresh_db, make_article(1), [page], decision=kept)
    archive.archive_skipped_page(fresh_db, make_page(9), "index-page", decision=skipped.to_dict())
    rows = {r["url"]: r for r in fresh_db["pages"].rows}
    first = rows[page.url]
    assert first["via"] == "sitemap" and archive.load_page(fresh_db, first["id"]).via == "sitemap"
    assert Decision.from_dict(json.loads(first["decision"])) == kept
    other = rows[make_page(9).url]
    assert other["via"] is None and json.loads(other["decision"])["reason"] == "index-page"


def test_migration_2_adds_via_and_decision_to_an_older_archive(tmp_path):
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    db = archive.sqlite_utils.Database(conn)
    archive.MIGRATIONS[0](db)
    conn.execute("pragma user_version = 1")
    conn.execute("insert into pages (url, final_url, status, headers, fetched_at, site, body, body_size, body_sha256) "
                 "values ('https://x.example/a', 'https://x.example/a', 200, '{}', '2019-11-28T09:00:00.000000Z', "
                 "'kabar-lebak', ?, 3, 'x')", [archive.compress_body(b"<p>")])
    conn.commit()
    conn.close()
    db = archive.open_archive(path)
    assert archive.schema_version(db) == archive.SCHEMA_VERSION
    assert {"via", "decision"} <= set(db["pages"].columns_dict)
    assert archive.load_page(db, 1).via is None  # pages stored before keep working
    db.close()
