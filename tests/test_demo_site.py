"""The bundled demo sites: served over real loopback HTTP, and their ground truth."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from crawler import check
from crawler.demo import demo_articles, demo_non_articles, demo_site, demo_sites, serve_demo
from pipelines.profiles import load_profile

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"

# What the seed document shows around the article, and what the templates add; none of it belongs in a body.
SEED_BOILERPLATE = [*check.SEED_BOILERPLATE, re.compile(r"ADVERTISEMENT|Foto:|Komentar", re.I)]


@pytest.fixture(scope="module")
def demo():
    with serve_demo() as server:
        yield server


def fetch(url: str):
    """(status, headers, text) of a GET, 4xx/5xx included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_urls(demo, slug: str, url: str) -> set[str]:
    """Every <loc> reachable from a sitemap or sitemap index, followed over HTTP."""
    status, _, text = fetch(url)
    assert status == 200, url
    root = ET.fromstring(text)
    if root.tag == f"{SM}sitemapindex":
        found: set[str] = set()
        for loc in root.iter(f"{SM}loc"):
            assert loc.text.startswith(demo.origins[slug] + "/"), loc.text
            found |= sitemap_urls(demo, slug, loc.text)
        return found
    return {loc.text for loc in root.iter(f"{SM}loc")}


def feed_urls(text: str) -> set[str]:
    root = ET.fromstring(text)
    if root.tag == f"{ATOM}feed":
        return {link.get("href") for e in root.iter(f"{ATOM}entry") for link in e.iter(f"{ATOM}link")}
    return {link.text for link in root.iter("link") if link.text and "/" in link.text.rstrip("/").split("//")[-1]}


def test_ground_truth_has_enough_articles_on_distinct_sites():
    articles = demo_articles()
    assert len(articles) >= 40
    urls = [a["url"] for a in articles]
    assert len(urls) == len(set(urls))
    assert {a["site"] for a in articles} == set(demo_sites())
    assert len(demo_sites()) >= 3
    for a in articles:
        assert a["url"] == load_profile(a["site"]).base_url + a["path"]
        assert a["title"] and a["body"].count("\n\n") >= 2, a["url"]
        assert "\n\n\n" not in a["body"] and a["body"] == a["body"].strip()


def test_ground_truth_offsets_per_zone():
    offsets = {"kabar-lebak": "+07:00", "suara-pantura": "+07:00", "warta-celebes": "+08:00", "kabar-papua": "+09:00",
               "nusantara-bandung": "+07:00", "nusantara-semarang": "+07:00", "nusantara-makassar": "+08:00"}
    seen = set()
    for a in demo_articles():
        if "T" in a["published"]:
            assert a["published"].endswith(offsets[a["site"]]), a["url"]
            seen.add(a["published"][-6:])
        else:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["published"]), a["url"]
    assert seen == {"+07:00", "+08:00", "+09:00"}
    assert any("T" not in a["published"] for a in demo_articles()), "some page shows only the day"
    assert any(a["published"] >= "2026" for a in demo_articles()), "a few recent articles"
    years = {a["published"][:4] for a in demo_articles()}
    assert {"2019", "2020"} <= years


def test_ground_truth_is_clean_and_varied():
    articles = demo_articles()
    for a in articles:
        for pattern in SEED_BOILERPLATE:
            assert not pattern.search(a["body"]), (a["url"], pattern.pattern)
    assert any(a["author"] is None for a in articles), "some pages name no author"
    assert len({a["author"] for a in articles if a["author"]}) >= 8
    assert any(a["page_count"] > 1 for a in articles), "a multi-page story"
    lebak = demo_articles("kabar-lebak")
    assert all(a["body"].startswith("Kabarlebak.example - ") for a in lebak)
    assert any(re.search(r"\b\w+ \(\d{1,2}/\d{1,2}/\d{4}\)", a["body"].split("\n\n")[0]) for a in lebak)


def test_non_articles_are_not_articles():
    article_paths = {a["path"] for a in demo_articles()}
    for slug in demo_sites():
        paths = demo_non_articles(slug)
        assert "/" in paths and len(paths) >= 5, slug
        assert not article_paths & set(paths)


def test_every_site_serves_home_robots_and_404(demo):
    for slug, origin in demo.origins.items():
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", origin)
        status, headers, html = fetch(origin + "/")
        assert status == 200 and headers["Content-Type"].startswith("text/html"), slug
        assert parsedate_to_datetime(headers["Last-Modified"]).tzinfo is not None
        status, headers, robots = fetch(origin + "/robots.txt")
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        disallowed = re.findall(r"^Disallow: (\S+)", robots, re.M)
        assert disallowed, slug
        assert re.search(rf"^Sitemap: {re.escape(origin)}/", robots, re.M), slug
        # what robots.txt forbids exists and is linked from the site
        for rule in disallowed:
            assert any(p.startswith(rule) for p in demo_non_articles(slug)), (slug, rule)
        status, _, text = fetch(origin + "/tidak-ada-halaman-ini/")
        assert status == 404 and "tidak ditemukan" in text


def test_sitemaps_and_feeds_list_every_article(demo):
    for slug in demo_sites():
        profile = load_profile(slug)
        origin = demo.origins[slug]
        listed: set[str] = set()
        for sitemap in profile.sitemaps:
            listed |= sitemap_urls(demo, slug, origin + sitemap)
        for feed in profile.feeds:
            status, headers, text = fetch(origin + feed)
            assert status == 200 and ("rss" in headers["Content-Type"] or "atom" in headers["Content-Type"])
            urls = feed_urls(text)
            assert urls and all(u.startswith(origin + "/") for u in urls), slug
            listed |= urls
        expected = {origin + a["path"] for a in demo_articles(slug)}
        assert expected <= listed, (slug, expected - listed)


def test_every_article_page_is_served_with_its_canonical_url(demo):
    for a in demo_articles():
        status, headers, html = fetch(demo.origins[a["site"]] + a["path"])
        assert status == 200, a["url"]
        assert headers["Content-Type"] == "text/html; charset=UTF-8"
        assert f'<link rel="canonical" href="{a["url"]}">' in html
        assert "Terpopuler" in html and "Komentar" in html and "&copy;" in html


def test_kabar_lebak_page_has_the_seed_boilerplate(demo):
    a = demo_articles("kabar-lebak")[0]
    _, _, html = fetch(demo.origins["kabar-lebak"] + a["path"])
    for text in ("BREAKING NEWS", "Berita Terbaru", 'alt="Skeleton Image"', "Bagikan", "Share on Facebook",
                 "Tweet", "<figcaption>", "Baca juga:", a["published"]):
        assert text in html, text
    assert html.count("Skeleton Image") >= 6
    assert re.search(r"\d{1,2} \w+ \d{4} - \d{2}:\d{2} WIB", html)
    last = a["body"].split("\n\n")[-1]
    assert re.search(re.escape(last.replace('"', "&quot;")) + r" \([a-z]{2,3}\)</p>", html)
    for text in ("BREAKING NEWS", "Berita Terbaru", "Skeleton Image", "Share on Facebook"):
        assert text not in a["body"]


def test_suara_pantura_multi_page_story_and_paginated_index(demo):
    origin = demo.origins["suara-pantura"]
    story = next(a for a in demo_articles("suara-pantura") if a["page_count"] > 1)
    _, _, page1 = fetch(origin + story["path"])
    assert f'href="{story["path"]}?page=2"' in page1 and "Halaman selanjutnya" in page1
    assert '"datePublished": "' + story["published"] + '"' in page1
    assert "Baca juga: <a" in page1 and "ADVERTISEMENT" in page1 and "Berita Terkait" in page1
    assert "Editor: " in page1
    for n in range(2, story["page_count"] + 1):
        status, _, html = fetch(f"{origin}{story['path']}?page={n}")
        assert status == 200 and f'<link rel="canonical" href="{story["url"]}">' in html
    status, _, _ = fetch(f"{origin}{story['path']}?page={story['page_count'] + 1}")
    assert status == 404
    _, _, whole = fetch(f"{origin}{story['path']}?page=all")
    for para in story["body"].split("\n\n")[-2:]:
        assert para.replace('"', "&quot;") in whole
    # /indeks/ paginates with a.next until every story was listed
    seen, url, pages = set(), origin + "/indeks/", 0
    while url:
        _, _, html = fetch(url)
        pages += 1
        seen |= set(re.findall(r'class="card__title" href="([^"]+)"', html))
        nxt = re.search(r'<a class="next" href="([^"]+)"', html)
        url = origin + nxt.group(1) if nxt else None
    assert pages >= 2
    assert seen == {a["path"] for a in demo_articles("suara-pantura")}


def test_eastern_sites_print_wita_and_wit_dates(demo):
    for slug, pattern in (("warta-celebes", r"\w+, \d{1,2} \w+ \d{4} \| \d{2}\.\d{2} WITA"),
                          ("kabar-papua", r"\w+ \(\d{1,2}/\d{1,2}/\d{4}\)( pukul \d{2}\.\d{2} WIT)?")):
        for a in demo_articles(slug):
            _, _, html = fetch(demo.origins[slug] + a["path"])
            assert re.search(pattern, html), a["url"]
            assert "application/ld+json" not in html and "article:published_time" not in html
            if a["author"]:
                assert re.search(rf"(Oleh|Penulis): {re.escape(a['author'])}", html)


def test_wordpress_adds_the_trailing_slash(demo):
    a = demo_articles("kabar-lebak")[0]
    req = urllib.request.Request(demo.origins["kabar-lebak"] + a["path"].rstrip("/"), method="HEAD")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.build_opener(NoRedirect).open(req, timeout=10)
    assert err.value.code == 301 and err.value.headers["Location"] == a["path"]


def test_server_records_requests(demo):
    fetch(demo.origins["warta-celebes"] + "/robots.txt")
    assert "/robots.txt" in demo.requested_paths("warta-celebes")
    assert set(demo.public_to_origin()) == {demo_site(s).base_url for s in demo_sites()}


def test_robots_disallowed_pages_are_linked_from_home(demo):
    for slug, origin in demo.origins.items():
        _, _, robots = fetch(origin + "/robots.txt")
        _, _, home = fetch(origin + "/")
        hrefs = re.findall(r'href="(/[^"]*)"', home) + re.findall(r'action="(/[^"]*)"', home)
        for rule in re.findall(r"^Disallow: (\S+)", robots, re.M):
            assert any(h.startswith(rule) for h in hrefs), (slug, rule)


def test_conditional_get_and_gzip(demo):
    a = demo_articles("kabar-papua")[0]
    url = demo.origins["kabar-papua"] + a["path"]
    _, headers, html = fetch(url)
    req = urllib.request.Request(url, headers={"If-Modified-Since": headers["Last-Modified"]})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 304
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(r.read()).decode("utf-8") == html


@pytest.mark.parametrize("module", ["crawler.demo", "crawler.demo.data"])
def test_doctests(module):
    # crawler/ is outside the doctest paths of pytest.ini_options; run the demo's doctests here
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and not result.failed
