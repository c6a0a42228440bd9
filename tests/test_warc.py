"""WARC export and import: records as written, round trip, foreign WARCs, bad records."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from io import BytesIO

import pytest
from analyst_fixtures import article_html, fetched_at, make_articles
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines import archive
from pipelines.archive import open_archive
from pipelines.errors import WartaError
from pipelines.page import Page
from pipelines.warc import PageFilter, export_warc, import_warc

COMPARED = ("canonical_url, url, site, title, author, published, published_utc, published_raw, section, tags, "
            "body, word_count, page_count, content_hash, first_seen")


def read_records(path):
    with open(path, "rb") as f:
        return [
            (r.rec_type, dict(r.rec_headers.headers), r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(f)
        ]


def test_export_writes_response_records(db, tmp_path):
    out = tmp_path / "archive.warc.gz"
    assert export_warc(db, out) == 13
    with open(out, "rb") as f:
        assert f.read(2) == b"\x1f\x8b"
    records = read_records(out)
    assert records[0][0] == "warcinfo"
    responses = [r for r in records if r[0] == "response"]
    assert len(responses) == 13
    by_uri = {h["WARC-Target-URI"]: (h, http, body) for _, h, http, body in responses}
    headers, http, body = by_uri["https://www.kabarlebak.example/berita/banjir-rangkasbitung/"]
    assert headers["WARC-Date"] == "2019-12-04T01:00:00.123456Z"  # the fetch time
    assert headers["WARC-Warta-Site"] == "kabar-lebak"
    assert headers["WARC-Warta-Article-URL"] == "https://www.kabarlebak.example/berita/banjir-rangkasbitung/"
    assert headers["WARC-Warta-Part"] == "1"
    assert http.protocol == "HTTP/1.1" and http.statusline == "200 OK"
    assert http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert http.get_header("Server") == "nginx"
    assert body == article_html(make_articles()[0])
    tag_headers, _, _ = by_uri["https://www.kabarlebak.example/tag/banjir/"]
    assert tag_headers["WARC-Warta-Skip-Reason"] == "index-page"
    assert "WARC-Warta-Article-URL" not in tag_headers


def test_export_drops_encoding_headers_of_decoded_bodies(tmp_path):
    db = open_archive(tmp_path / "a.db")
    page = Page(url="https://www.kabarlebak.example/berita/x/", body=b"<html><p>Halo</p></html>",
                fetched_at=datetime(2019, 12, 1, tzinfo=UTC), status=200,
                headers={"Content-Type": "text/html", "Content-Encoding": "gzip", "Transfer-Encoding": "chunked",
                         "Content-Length": "9"})
    archive.archive_skipped_page(db, page, "no-body")
    export_warc(db, tmp_path / "x.warc.gz")
    (_, _, http, body), = [r for r in read_records(tmp_path / "x.warc.gz") if r[0] == "response"]
    assert body == b"<html><p>Halo</p></html>"
    assert http.get_header("Content-Encoding") is None and http.get_header("Transfer-Encoding") is None
    assert http.get_header("Content-Length") == str(len(body))
    db.close()


def test_export_filters(db, tmp_path):
    assert export_warc(db, tmp_path / "lebak.warc.gz", PageFilter.make(site="kabar-lebak")) == 5
    assert export_warc(db, tmp_path / "none.warc.gz", PageFilter.make(until="2019-12-03")) == 0


def test_export_to_missing_folder(db, tmp_path):
    from pipelines.export import OutputError

    with pytest.raises(OutputError, match="^cannot write .*/nope/a.warc.gz: No such file or directory$"):
        export_warc(db, tmp_path / "nope" / "a.warc.gz")


def derived_archive(path):
    """An archive made the way a crawl makes it: page -> article by pipelines.core."""
    from pipelines.core import derive_article
    from pipelines.errors import NotAnArticle

    db = open_archive(path)
    for n, article in enumerate(make_articles()):
        page = Page(url=article.url, body=article_html(article), fetched_at=fetched_at(n),
                    headers={"Content-Type": "text/html; charset=utf-8"})
        try:
            archive.archive_article(db, derive_article([page]), [page])
        except NotAnArticle as e:
            archive.archive_skipped_page(db, page, e.reason)
    return db


def test_round_trip_gives_the_same_articles(tmp_path):
    pytest.importorskip("pipelines.core")
    source = derived_archive(tmp_path / "source.db")
    assert source["articles"].count >= 10
    out = tmp_path / "source.warc.gz"
    assert export_warc(source, out) == source["pages"].count

    target = open_archive(tmp_path / "target.db")
    report = import_warc(target, [out])
    assert report.bad_records == 0 and report.passed_over == 0
    assert report.inserted == source["articles"].count
    query = f"select {COMPARED} from articles order by canonical_url"
    assert target.execute(query).fetchall() == source.execute(query).fetchall()
    pages = "select url, fetched_at, status, body_sha256, article_url, part, skip_reason from pages order by url"
    assert target.execute(pages).fetchall() == source.execute(pages).fetchall()

    # Importing again changes nothing.
    again = import_warc(target, [out])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, report.inserted)
    assert target["pages"].count == source["pages"].count
    source.close()
    target.close()


def _response(writer, url, body, *, status="200 OK", content_type="text/html; charset=utf-8", extra=(),
              date="2019-11-28T08:00:00Z"):
    headers = [("Content-Type", content_type), *extra]
    return writer.create_warc_record(
        url, "response", payload=BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": date},
    )


def foreign_warc(path):
    """A WARC like another crawler writes: requests, redirects, images, gzip bodies, metadata."""
    articles = make_articles()
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "Heritrix/3.4"}))
        request = writer.create_warc_record(
            articles[4].url, "request", payload=BytesIO(b""), length=0,
            http_headers=StatusAndHeaders("GET /berita/pete-pete-tarif/ HTTP/1.1", [("Host", "wartamakassar.example")],
                                          is_http_request=True))
        writer.write_record(request)
        writer.write_record(_response(writer, articles[4].url, article_html(articles[4])))
        # A gzip-encoded body (as Common Crawl keeps it).
        writer.write_record(_response(writer, articles[8].url, gzip.compress(article_html(articles[8])),
                                      extra=[("Content-Encoding", "gzip")], date="2019-11-30T01:02:03Z"))
        writer.write_record(_response(writer, "https://wartamakassar.example/lama/", b"", status="301 Moved Permanently",
                                      extra=[("Location", "https://wartamakassar.example/baru/")]))
        writer.write_record(_response(writer, "https://wartamakassar.example/logo.png", b"\x89PNG\r\n\x1a\n....",
                                      content_type="image/png"))
        writer.write_record(_response(writer, "https://wartamakassar.example/tag/banjir/",
                                      b"<html><body><ul><li><a href='/a'>Banjir</a></li></ul></body></html>"))
        writer.write_record(writer.create_warc_record(
            "metadata:crawl", "metadata", payload=BytesIO(b"outlinks: 3"), length=11,
            warc_content_type="text/plain"))


def test_import_foreign_warc(tmp_path):
    pytest.importorskip("pipelines.core")
    path = tmp_path / "crawl.warc.gz"
    foreign_warc(path)
    db = open_archive(tmp_path / "a.db")
    report = import_warc(db, [path])
    assert report.files == 1 and report.records == 8
    assert report.pages == 3
    assert report.inserted == 2 and report.not_articles == 1
    assert report.passed_over == 2 and report.reasons == {"not-html": 1, "status-301": 1}
    assert report.bad_records == 0
    titles = {r[0] for r in db.execute("select title from articles")}
    assert titles == {"Tarif Pete-pete di Makassar Naik Rp1.000", "Venue PON Papua Siap Digunakan"}
    pon = db.execute("select published_utc, body from articles where title like 'Venue%'").fetchone()
    assert pon[0] == "2019-11-29T07:00:00Z"  # 16:00 WIT (the zone shown depends on the site's profile)
    assert pon[1].startswith("Sejumlah venue Pekan Olahraga Nasional")  # gzip body was decoded
    fetched = db.execute("select fetched_at from pages where url like '%pon-papua%'").fetchone()[0]
    assert fetched == "2019-11-30T01:02:03.000000Z"  # WARC-Date is the fetch time
    skipped = db.execute("select url, skip_reason from pages where skip_reason is not null").fetchall()
    assert [url for url, _ in skipped] == ["https://wartamakassar.example/tag/banjir/"]
    crawl = db["crawls"].get(report.crawl_id)
    assert str(path) in crawl["settings"]
    db.close()


def test_corrupt_data_is_counted_not_fatal(tmp_path):
    pytest.importorskip("pipelines.core")
    good = tmp_path / "good.warc.gz"
    foreign_warc(good)
    broken = tmp_path / "broken.warc.gz"
    data = good.read_bytes()
    broken.write_bytes(data[: len(data) // 2] + b"garbage that is not gzip" * 20)
    db = open_archive(tmp_path / "a.db")
    report = import_warc(db, [broken, good])
    assert report.files == 2
    assert report.bad_records >= 1
    assert report.inserted == 2  # the good file was still read entirely
    failures = db.execute("select stage, reason from failures where stage = 'import'").fetchall()
    assert failures and failures[0][1] in ("bad-warc", "bad-record")
    db.close()


def test_missing_file_is_an_error(tmp_path):
    db = open_archive(tmp_path / "a.db")
    with pytest.raises(WartaError, match=f"^no such WARC file: {tmp_path}/nope.warc.gz$"):
        import_warc(db, [tmp_path / "nope.warc.gz"])
    assert db["crawls"].count == 0
    db.close()


def test_what_the_crawl_knew_travels_in_the_warc(tmp_path):
    articles = make_articles()[:2]
    source = open_archive(tmp_path / "source.db")
    for n, (article, via) in enumerate(zip(articles, ("sitemap", None), strict=True)):
        page = Page(url=article.url, body=article_html(article), fetched_at=fetched_at(n), via=via,
                    headers={"Content-Type": "text/html; charset=utf-8"})
        archive.archive_skipped_page(source, page, "index-page")
    out = tmp_path / "a.warc.gz"
    export_warc(source, out)
    headers = [h for kind, h, _, _ in read_records(out) if kind == "response"]
    assert [h.get("WARC-Warta-Via") for h in headers] == ["sitemap", None]
    target = open_archive(tmp_path / "target.db")
    import_warc(target, [out])
    got = dict(target.execute("select url, via from pages").fetchall())
    assert got == {articles[0].url: "sitemap", articles[1].url: None}
    assert target.execute("select count(*) from pages where decision is null").fetchone()[0] == 0
    source.close()
    target.close()
