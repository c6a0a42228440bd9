"""Site discovery: URL shapes, sitemaps and feeds, zones, whole-story views, and discover() on every site shape."""

from __future__ import annotations

import asyncio
import gzip
import re
import tomllib
from datetime import date

import pytest
from urlfetch import fetch

from crawler.demo.shapes import serve_shapes, shape_slugs
from crawler.discovery import (
    Sample,
    common_title_part,
    discover,
    feed_links,
    infer_zone,
    learn_patterns,
    normalize_start,
    page_zone,
    read_feed,
    read_sitemap,
    render_profile,
    robots_sitemaps,
    site_slug,
    whole_story_form,
)
from pipelines.profiles import profile_from_data


def regexes(urls):
    return [p.regex for p in learn_patterns(urls)]


def accepts(urls, url):
    return any(re.search(p.regex, url) and not any(re.search(x, url) for x in p.exclude)
               for p in learn_patterns(urls))


@pytest.mark.parametrize("articles, others", [
    # WordPress date permalinks beside pages, categories and paged archives
    (["https://k.example/2019/11/28/dinas-koperasi-dorong-usaha-bersama/",
      "https://k.example/2020/01/03/longsor-tutup-jalan-cipanas-lebakgedong/"],
     ["https://k.example/category/ekonomi/", "https://k.example/redaksi/", "https://k.example/page/2/",
      "https://k.example/2019/11/"]),
    # Yoast /%category%/%postname%/ beside tag and author pages with long names
    (["https://b.example/daerah/banjir-rob-rendam-ratusan-rumah-di-brebes/",
      "https://b.example/ekonomi/harga-bawang-merah-anjlok-petani-pilih-simpan/",
      "https://b.example/daerah/tanggul-laut-brebes-rampung-warga-berharap/"],
     ["https://b.example/tag/banjir-rob-brebes/", "https://b.example/tag/bawang-merah/",
      "https://b.example/author/arif-rahman/", "https://b.example/category/daerah/",
      "https://b.example/pedoman-media-siber/"]),
    # Blogger beside its static pages, month archives and labels
    (["https://w.example/2019/06/ribuan-warga-padati-pantai-losari.html",
      "https://w.example/2020/01/banjir-genangi-permukiman-di-antang.html"],
     ["https://w.example/p/tentang-kami.html", "https://w.example/2019/06/", "https://w.example/search/label/Makassar"]),
    # Pikiran Rakyat network, detik regional, Suara regional, Tribun's two shapes, slug-id.html
    (["https://bogor.pr.example/bogor/pr-7014237/pemkot-bogor-uji-coba-bus-listrik",
      "https://bogor.pr.example/nasional/pr-7014301/harga-beras-naik-jelang-lebaran"],
     ["https://bogor.pr.example/bogor", "https://bogor.pr.example/tag/bus-listrik"]),
    (["https://d.example/jatim/berita/d-7123456/banjir-rendam-ratusan-rumah-di-pasuruan",
      "https://d.example/jatim/berita/d-7123499/jembatan-putus-warga-menyeberang-rakit"],
     ["https://d.example/jatim/indeks", "https://d.example/jatim/berita"]),
    (["https://jabar.s.example/read/2026/07/24/120512/warga-garut-gotong-royong-bangun-jembatan",
      "https://jabar.s.example/read/2026/07/23/090000/harga-cabai-di-pasar-kosambi-turun"],
     ["https://jabar.s.example/indeks", "https://jabar.s.example/read"]),
    (["https://jogja.t.example/2026/07/24/gunung-merapi-luncurkan-awan-panas-guguran",
      "https://jogja.t.example/2026/07/23/pasar-beringharjo-ramai-jelang-libur-sekolah",
      "https://jogja.t.example/regional/9123456/bupati-sleman-resmikan-pasar-baru-di-godean",
      "https://jogja.t.example/regional/9123457/jalan-wonosari-diperlebar-mulai-agustus"],
     ["https://jogja.t.example/regional", "https://jogja.t.example/index-news"]),
    (["https://p.example/ribuan-pelari-ramaikan-lebak-multatuli-run-2026-4142.html",
      "https://p.example/pemkab-lebak-luncurkan-aplikasi-aduan-jalan-4139.html"],
     ["https://p.example/kategori/olahraga/", "https://p.example/tentang-kami"]),
])
def test_learned_patterns_accept_articles_and_no_look_alike(articles, others):
    found = [*articles, *others]
    for url in articles:
        assert accepts(found, url), (url, regexes(found))
    for url in others:
        assert not accepts(found, url), (url, regexes(found))


def test_patterns_read_well():
    assert regexes(["https://k.example/2019/11/28/dinas-koperasi-dorong-usaha/",
                    "https://k.example/2019/12/03/longsor-tutup-jalan-cipanas/"]) == [
        r"^https?://[^/]+/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/$"]
    # a slug ending in a year beside a date is a slug, not a second shape
    assert len(regexes(["https://k.example/2026/11/27/lebak-multatuli-run-2026/",
                        "https://k.example/2026/11/24/pemkab-luncurkan-aplikasi-aduan/"])) == 1
    yoast = learn_patterns(["https://b.example/daerah/banjir-rob-rendam-ratusan-rumah-di-brebes/",
                            "https://b.example/ekonomi/harga-bawang-merah-anjlok-petani-simpan/",
                            "https://b.example/tag/banjir-rob-brebes/", "https://b.example/tag/rob-brebes-tegal/"])
    assert yoast[0].regex == r"^https?://[^/]+/[a-z0-9-]+/[a-z0-9]+(?:-[a-z0-9]+){3,}/$"
    assert yoast[0].exclude == (r"^https?://[^/]+/tag/",)


def test_sitemaps_feeds_and_robots():
    urlset = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
              b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://k.example/a</loc>'
              b"<news:news><news:publication_date>2026-07-24T12:40:00+07:00</news:publication_date></news:news>"
              b"</url></urlset>")
    assert read_sitemap(urlset) == ("urlset", [("https://k.example/a", date(2026, 7, 24))])
    assert read_sitemap(gzip.compress(urlset)) == read_sitemap(urlset)  # sitemap.xml.gz
    index = b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>'
    assert read_sitemap(index) == ("index", [("/s1.xml", None)])
    assert read_sitemap(b"<html><body>404</body></html>") == ("", [])
    assert read_sitemap(b"\x1f\x8bnot gzip") == ("", [])
    assert read_feed(b"<html></html>") is None
    rss = b"<rss><channel><item><link>https://k.example/b</link><pubDate>Thu, 28 Nov 2019 07:30:00 +0000</pubDate></item></channel></rss>"
    assert read_feed(rss) == [("https://k.example/b", date(2019, 11, 28))]
    assert robots_sitemaps(b"User-agent: *\nDisallow: /\n\nsitemap: https://k.example/s.xml\n") == ["https://k.example/s.xml"]
    assert robots_sitemaps(b"\xff\xfe garbage") == []
    html = ('<link rel="alternate" type="application/atom+xml" href="/feeds/posts/default">'
            '<link rel="alternate" hreflang="en" href="/en/">')
    assert feed_links(html, "https://w.example/") == ["https://w.example/feeds/posts/default"]


@pytest.mark.parametrize("html, zone", [
    ("<time>Kamis, 28 November 2019 - 14:30 WIB</time>", "WIB"),
    ("<span>Sabtu, 15 Juni 2019 | 19.30 Wita</span>", "WITA"),
    ("Senin (20/1/2020) pukul 08.15 WIT", "WIT"),
    ('"datePublished": "2026-07-24T12:40:00+08:00"', "WITA"),
    # words outweigh offsets: a network writing +07:00 for its WITA host
    ('"datePublished":"2026-07-24T12:40:00+07:00" <span>24 Juli 2026 13:40 WITA</span>', "WITA"),
    ('"datePublished":"2026-07-24T05:40:00Z"', ""),  # WIB labelled as UTC says nothing
    ("<p>Acara dimulai pukul 19.00.</p>", ""),
])
def test_page_zone(html, zone):
    assert page_zone(html) == zone


def test_zone_inferred_confirmed_or_overridden():
    wita = [Sample("u", True, zone="WITA"), Sample("v", True, zone="WITA"), Sample("w", True, zone="")]
    assert infer_zone(wita) == ("Asia/Makassar", "WITA: stated on 2 of 3 sample pages")
    assert infer_zone(wita, "WITA")[1].startswith("WITA: given with --timezone and stated")
    zone, note = infer_zone(wita, "Asia/Jakarta")
    assert zone == "Asia/Jakarta" and "although 2 of 3 sample pages state WITA" in note
    assert infer_zone([Sample("u", True)])[0] == "Asia/Jakarta"
    with pytest.raises(ValueError, match="not an Indonesian time zone"):
        infer_zone(wita, "Europe/Paris")


def test_small_helpers():
    assert whole_story_form("https://k.example/a/1/b", "https://k.example/a/1/b?single=1") == "?single=1"
    assert whole_story_form("https://k.example/a/1/b", "https://k.example/a/1/b?page=2") == "?page=2"  # caller filters
    assert whole_story_form("https://k.example/a", "https://x.example/a?page=all") == ""
    assert site_slug("http://127.0.0.1:8123/") == "127-0-0-1-8123"
    with pytest.raises(ValueError):
        normalize_start("ftp://k.example/")
    with pytest.raises(ValueError):
        normalize_start("not a url")
    assert common_title_part(["<title>A | Kabar</title>"]) == ""


@pytest.fixture(scope="module")
def shapes():
    with serve_shapes() as server:
        yield server


@pytest.fixture(scope="module")
def discovered(shapes):
    async def all_shapes():
        return {name: await discover(fetch, shapes.origins[slug], slug=name)
                for name, slug in shape_slugs().items()}

    return asyncio.run(all_shapes())


ZONES = {"wp-core": "Asia/Jakarta", "wp-yoast": "Asia/Jakarta", "blogger": "Asia/Makassar",
         "portal": "Asia/Jakarta", "feed-only": "Asia/Jakarta", "index-only": "Asia/Jayapura",
         "nusantara-bandung": "Asia/Jakarta", "nusantara-semarang": "Asia/Jakarta",
         "nusantara-makassar": "Asia/Makassar"}


@pytest.mark.parametrize("name", list(ZONES))
def test_discover_every_shape(shapes, discovered, name):
    found = discovered[name]
    site = shapes.sites[shape_slugs()[name]]
    origin = shapes.origins[site.slug]
    assert found.profile is not None, found.error
    p = found.profile
    assert p.timezone == ZONES[name], found.zone_note
    assert p.sitemaps or p.feeds or p.index_pages
    # every article of the site is accepted, no page that is not an article is
    for a in site.articles:
        assert p.is_article_url(origin + site.article_path(a)), (name, site.article_path(a), p.article_urls)
    for path in site.non_article_paths():
        if not any(path.startswith(rule) for rule in site.disallowed):  # robots.txt keeps those out
            assert not p.is_article_url(origin + path), (name, path, p.article_urls)
    assert len(found.articles) >= min(3, len(site.articles))
    assert all(s.title and s.body_chars > 200 for s in found.articles)
    assert found.body_container, "the body container is recorded for `warta check`"
    assert found.name not in ("", "Berita Terbaru")


def test_discovery_details(discovered):
    assert discovered["portal"].profile.whole_story == "?page=all"
    assert all(not discovered[n].profile.whole_story for n in discovered if n != "portal")
    portal = discovered["portal"]
    rss = next(s for s in portal.sources if s.kind == "feed")
    assert rss.articles == 0 and not portal.profile.feeds, "a feed linking every item to the home page is not used"
    assert discovered["wp-yoast"].profile.sitemaps == ("/sitemap_index.xml",)
    assert discovered["wp-core"].profile.sitemaps == ("/wp-sitemap.xml",)
    assert discovered["blogger"].profile.feeds == ("/feeds/posts/default",)
    assert discovered["feed-only"].profile.feeds == ("/berita/rss",) and not discovered["feed-only"].profile.sitemaps
    index_only = discovered["index-only"].profile
    assert "/indeks" in index_only.index_pages and not index_only.sitemaps and not index_only.feeds


def test_rendered_profile_reads_back(discovered):
    for found in discovered.values():
        text = render_profile(found, "warta add-site test")
        back = profile_from_data(tomllib.loads(text), found.slug)
        mine = found.profile
        for field in ("name", "base_url", "domains", "timezone", "checked", "sitemaps", "feeds", "index_pages",
                      "article_urls", "exclude_urls", "whole_story", "check"):
            assert getattr(back, field) == getattr(mine, field), (found.slug, field)
        assert text.count("\n#") >= 3, "the profile says what was found"


def test_discovery_fails_plainly(shapes):
    async def run():
        dead = await discover(fetch, "http://127.0.0.1:9/")
        site = shapes.sites["feed-only"]
        site.gone.add("/berita/rss")
        try:
            nothing = await discover(fetch, shapes.origins["feed-only"])
        finally:
            site.gone.clear()
        return dead, nothing

    dead, nothing = asyncio.run(run())
    assert dead.profile is None and dead.error.startswith("http://127.0.0.1:9/: ")
    # no sitemap, the feed gone: the start page's links are still read, and give articles
    assert nothing.profile is not None and nothing.profile.index_pages == ("/",)
