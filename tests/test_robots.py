"""robots.txt is obeyed for every request, with many start URLs per host waiting on it at once.

Scrapy 2.19's RobotsTxtMiddleware lets the third and later requests that wait for
robots.txt through (scrapy/scrapy#6802); warta's own middleware must not, whatever
Scrapy's version. Both sites below start with 6 or 7 requests on one host.
"""

from __future__ import annotations

import sqlite3

import pytest
from faultserver import BASE_URL, run_warta, serve_faults, settings_args, warta_env, write_profile

#: Seven start requests, every one forbidden by "Disallow: /".
CLOSED_STARTS = {
    "sitemaps": ("/sitemap.xml", "/peta/kontrol.xml", "/peta/html-rusak.xml"),
    "feeds": ("/feed.xml",),
    "index_pages": ("/", "/indeks/", "/berita/"),
}
#: Six start sitemaps: three forbidden (/peta/x-*), three allowed; one allowed sitemap
#: lists an article under the forbidden /berita/rahasia/.
PARTIAL_STARTS = {
    "sitemaps": ("/peta/x-satu.xml", "/peta/kontrol.xml", "/peta/x-dua.xml", "/peta/rahasia/dilarang.xml",
                 "/peta/x-tiga.xml", "/peta/html-rusak.xml"),
    "feeds": (),
}
PARTIAL_ROBOTS = "User-agent: *\nDisallow: /berita/rahasia/\nDisallow: /peta/x-\n"


@pytest.fixture(scope="module")
def robots_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robots")
    sites = tmp / "sites"
    sites.mkdir()
    write_profile(sites, "tertutup", **CLOSED_STARTS)
    write_profile(sites, "sebagian", **PARTIAL_STARTS)
    write_profile(sites, "tak-terjangkau", sitemaps=("/sitemap.xml",))
    db_path = tmp / "archive.db"
    with (serve_faults("User-agent: *\nDisallow: /\n") as closed, serve_faults(PARTIAL_ROBOTS) as partial,
          serve_faults(None) as unreachable):
        origins = {"tertutup": closed.origin, "sebagian": partial.origin, "tak-terjangkau": unreachable.origin}
        result = run_warta(["crawl", *origins, "--db", str(db_path), *settings_args(origins)], warta_env(sites), tmp)
        conn = sqlite3.connect(db_path)
        yield {"closed": closed.paths(), "partial": partial.paths(), "unreachable": unreachable.paths(),
               "result": result, "conn": conn}
        conn.close()


def test_disallow_all_lets_no_request_through(robots_crawl):
    assert robots_crawl["result"].returncode == 0, robots_crawl["result"].stderr[-3000:]
    assert robots_crawl["closed"] == ["/robots.txt"]


def test_partial_disallows_hold_for_every_waiting_request(robots_crawl):
    paths = robots_crawl["partial"]
    assert paths.count("/robots.txt") == 1
    assert not [p for p in paths if p.startswith(("/peta/x-", "/berita/rahasia/"))], paths
    assert {"/peta/kontrol.xml", "/peta/rahasia/dilarang.xml", "/peta/html-rusak.xml",
            "/berita/kontrol.html", "/berita/html-rusak.html"} <= set(paths)


def test_every_refused_request_is_a_recorded_robots_failure(robots_crawl):
    rows = robots_crawl["conn"].execute("select url, stage, reason from failures").fetchall()
    refused = {url for url, stage, reason in rows if (stage, reason) == ("robots", "disallowed")}
    closed = {BASE_URL + p for starts in CLOSED_STARTS.values() for p in starts}
    partial = {BASE_URL + p for p in PARTIAL_STARTS["sitemaps"] if p.startswith("/peta/x-")}
    assert refused == closed | partial | {BASE_URL + "/berita/rahasia/dilarang.html"}
    stored = {url for (url,) in robots_crawl["conn"].execute("select canonical_url from articles")}
    assert stored == {BASE_URL + "/berita/kontrol.html", BASE_URL + "/berita/html-rusak.html"}



def test_robots_txt_answering_5xx_disallows_everything(robots_crawl):
    """RFC 9309: robots.txt "unreachable" (5xx after the retries) means nothing may be fetched."""
    assert set(robots_crawl["unreachable"]) == {"/robots.txt"}
    rows = robots_crawl["conn"].execute("select url, reason from failures where stage = 'robots' "
                                        "and reason = 'robots-unreachable'").fetchall()
    assert {url for url, _ in rows} == {BASE_URL + "/sitemap.xml", BASE_URL + "/feed.xml"}

