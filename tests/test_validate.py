"""The article decision on its own: named evidence with weights, decisive signs, reason codes."""

from __future__ import annotations

import json

import lxml.html
import pytest

from pipelines.metadata import read_metadata
from pipelines.parse import looks_like_feed
from pipelines.validate import (
    THRESHOLD,
    Decision,
    Evidence,
    PageSignals,
    article_markup,
    content_shape,
    decide,
    url_shape,
)

STORY_URL = "https://kabar.example/read/2019/11/28/banjir-rendam-300-rumah-di-lebak"


def _signals(**kw) -> PageSignals:
    base = dict(url=STORY_URL, body_chars=1500, body_paragraphs=8, title="Banjir Rendam 300 Rumah di Lebak",
                title_matched=True, has_date=True, has_author=True, near_headline=True, headline_links=20)
    base.update(kw)
    return PageSignals(**base)


def test_an_ordinary_article_passes_on_evidence():
    d = decide(_signals())
    assert (d.verdict, d.reason) == ("article", "evidence")
    assert d.score >= THRESHOLD
    assert {e.name for e in d.evidence} >= {"headline-matched", "date", "byline", "story-url", "body-chars"}


def test_the_decision_round_trips_through_json():
    d = decide(_signals(has_article_markup=True))
    again = Decision.from_dict(json.loads(d.to_json()))
    assert again == d
    assert again.get("article-markup") is True


@pytest.mark.parametrize("url", [
    "https://kabar.example/", "https://kabar.example/tag/banjir/", "https://kabar.example/kategori/ekonomi",
    "https://kabar.example/search?q=banjir", "https://kabar.example/?s=banjir", "https://kabar.example/indeks",
    "https://kabar.example/author/ujang/", "https://kabar.example/berita/page/3/", "https://kabar.example/topik/pilkada",
    "https://kabar.example/2019/06/", "https://kabar.example/kanal/ekonomi",
])
def test_listing_urls_are_decisive(url):
    d = decide(_signals(url=url))  # a matched headline, a date, a long body: the URL still decides
    assert d.reason == "index-page"
    assert [e.name for e in d.evidence if e.decisive] == ["listing-url"]


@pytest.mark.parametrize("url", [
    "https://kabar.example/kanal/ekonomi/12345/harga-gabah-naik",  # a story below a channel path
    "https://kabar.example/category/ekonomi/2019/11/28/harga-gabah-naik/",
    "https://kabar.example/?p=1207",  # WordPress without pretty permalinks
    "https://kabar.example/kanal/pemkab-lebak-gelar-pelatihan-kopi-robusta",
    "https://kabar.example/index.php?id=88",
])
def test_story_urls_below_listing_words_are_not_listings(url):
    assert url_shape(url) != "listing"
    assert decide(_signals(url=url)).is_article


@pytest.mark.parametrize("url", ["https://kabar.example/redaksi/", "https://kabar.example/pedoman-media-siber/",
                                 "https://kabar.example/tentang-kami", "https://kabar.example/kontak.html"])
def test_site_pages_are_static_pages_even_from_a_sitemap(url):
    assert decide(_signals(url=url)).reason == "static-page"
    assert decide(_signals(url=url, via="sitemap")).reason == "static-page"  # page sitemaps list these


@pytest.mark.parametrize("title", ["Kategori: Budaya", "Tag: Brebes", "Arsip 2019/06", "Berita oleh Nur Aini",
                                   "Label: Jayapura", "Hasil pencarian: banjir"])
def test_listing_titles_are_decisive(title):
    assert decide(_signals(url=None, title=title)).reason == "index-page"


def test_listing_markup_without_article_markup_is_decisive():
    d = decide(_signals(has_listing_markup=True, via="sitemap"))
    assert d.reason == "index-page" and d.get("listing-markup") is True


def test_excerpt_lists_are_decisive():
    assert decide(_signals(body_paragraphs=4, excerpt_paragraphs=3)).reason == "index-page"
    assert decide(_signals(body_chars=170, body_paragraphs=1, excerpt_paragraphs=1)).reason == "index-page"
    assert decide(_signals(body_paragraphs=12, excerpt_paragraphs=1)).is_article


def test_strong_evidence_outweighs_headline_links_and_a_teaser_box():
    # mechanism 1: the story plus a related list in the content area, markup, matched headline, dated byline
    d = decide(_signals(has_article_markup=True, teasers=10, prose_blocks=9, longest_run_chars=1200, teaser_chars=600,
                        headline_links=140))
    assert d.is_article
    assert d.get("teasers-in-content") == 10


def test_a_content_area_of_teasers_without_a_story_is_decisive():
    d = decide(_signals(title_matched=False, teasers=40, prose_blocks=40, longest_run_chars=180, teaser_chars=2400))
    assert d.reason == "index-page" and d.get("teaser-list")


def test_a_tag_page_with_a_long_intro_reads_as_a_list():
    # the intro is a run of prose, but shorter than the teasers' headlines together
    d = decide(_signals(url="https://kabar.example/banjir-lebak", has_date=False, has_author=False, body_chars=1400,
                        teasers=14, prose_blocks=15, longest_run_chars=620, teaser_chars=900, headline_links=60))
    assert not d.is_article and d.reason == "index-page"
    assert any(e.name == "teasers-in-content" and e.weight < 0 for e in d.evidence)


def test_no_story_text_at_all_is_decisive():
    d = decide(_signals(body_chars=0, body_paragraphs=0, has_article_markup=False))
    assert d.reason == "no-body" and d.get("story-text") == 0


def test_a_photo_story_without_text_is_an_article_with_an_empty_body():
    d = decide(_signals(body_chars=0, body_paragraphs=0, has_article_markup=True, media_items=25))
    assert (d.verdict, d.reason) == ("article", "text-less-story")


def test_a_gallery_without_markup_is_gallery_only():
    d = decide(_signals(body_chars=0, body_paragraphs=0, media_items=12))
    assert d.reason == "gallery-only"


def test_short_text_far_from_the_headline_is_not_a_story():
    d = decide(_signals(body_chars=140, body_paragraphs=1, near_headline=False, has_author=False,
                        url="https://kabar.example/video"))
    assert d.reason == "no-body"


def test_a_photo_story_with_a_short_description_is_an_article():
    assert decide(_signals(body_chars=149, body_paragraphs=1, media_items=25)).is_article


def test_a_home_page_without_headline_match_is_an_index_page():
    d = decide(_signals(url=None, title_matched=False, near_headline=None, has_author=False, headline_links=141,
                        body_chars=6000, body_paragraphs=49, teasers=30, prose_blocks=49, longest_run_chars=450,
                        teaser_chars=2100))
    assert d.reason == "index-page"


def test_an_undated_story_without_byline_is_still_an_article():
    # site pages are told by their paths; the lack of a date or byline alone proves nothing
    assert decide(_signals(url=None, has_date=False, has_author=False, headline_links=3)).is_article


def test_a_sitemap_or_feed_entry_is_an_article_unless_the_page_says_otherwise():
    weak = dict(url="https://kabar.example/tag/banjir-lebak-hari-ini", title_matched=False, has_date=False,
                has_author=False, near_headline=None, body_chars=400, headline_links=60)
    assert decide(_signals(**weak)).reason == "index-page"
    for via in ("sitemap", "feed"):
        d = decide(_signals(**weak, via=via))
        assert (d.verdict, d.reason) == ("article", "crawl-knew")
        assert d.get("via") == via
    assert decide(_signals(**weak, via="index")).reason == "index-page"  # an index link says nothing
    # the page itself still decides: listing markup, a listing title, no text at all
    assert decide(_signals(**weak, via="sitemap", has_listing_markup=True)).reason == "index-page"
    assert decide(_signals(**{**weak, "body_chars": 0}, via="feed", body_paragraphs=0)).reason == "no-body"


def test_the_profiles_article_urls_count_as_what_the_crawl_knew():
    d = decide(_signals(url="https://kabar.example/kanal/ekonomi", title_matched=False, profile_article_url=True))
    assert (d.verdict, d.reason) == ("article", "crawl-knew")


def test_headline_links_are_counted_only_when_they_could_matter():
    counted = []

    def count():
        counted.append(1)
        return 200

    assert decide(_signals(has_article_markup=True, headline_links=count)).is_article
    assert counted == []  # markup, headline, dated byline, long body: 200 links could not change it
    d = decide(_signals(url=None, title_matched=False, near_headline=None, has_author=False, body_chars=900,
                        headline_links=count))
    assert counted == [1] and d.get("headline-links") == 200


def test_the_summary_names_the_evidence():
    d = decide(_signals(url="https://kabar.example/tag/banjir/"))
    assert d.summary() == "not-article (index-page): listing-url=/tag/banjir/ (decisive)"
    assert "headline-matched +2" in decide(_signals()).summary()
    assert Evidence("x", 1, 0.5).to_dict() == {"name": "x", "value": 1, "weight": 0.5}


def test_article_markup_reading():
    page = lxml.html.fromstring(
        '<html><head><meta property="og:type" content="article">'
        '<script type="application/ld+json">{"@type": "CollectionPage"}</script></head><body></body></html>')
    assert article_markup(read_metadata(page)) == (False, False)  # og:type alone is no evidence
    page = lxml.html.fromstring(
        '<html><head><meta property="og:type" content="website">'
        '<script type="application/ld+json">{"@type": "CollectionPage"}</script></head><body></body></html>')
    assert article_markup(read_metadata(page)) == (False, True)
    page = lxml.html.fromstring(
        '<html><head><script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
        '[{"@type": "WebPage"}, {"@type": ["NewsArticle"], "headline": "Banjir"}]}</script></head><body></body></html>')
    assert article_markup(read_metadata(page))[0] is True


def test_article_markup_about_another_page_is_not_this_pages():
    html = ('<html><head><link rel="canonical" href="https://kabar.example/"><script type="application/ld+json">'
            '{"@type": "NewsArticle", "headline": "Banjir", "mainEntityOfPage": '
            '"https://kabar.example/2019/11/28/banjir-rendam-rumah/"}</script></head><body></body></html>')
    md = read_metadata(lxml.html.fromstring(html), "https://kabar.example/")
    assert md.jsonld == {} and md.jsonld_elsewhere
    assert article_markup(md) == (False, False)
    # the same markup on the story's own page (any host, a trailing slash, a query) is its own
    md = read_metadata(lxml.html.fromstring(html), "https://m.kabar.example/2019/11/28/banjir-rendam-rumah?utm=x")
    assert md.jsonld["headline"] == "Banjir"


def test_content_shape_reads_teasers_and_runs_of_prose():
    story = lxml.html.fromstring(
        "<div>" + "<p>" + "Hujan deras merendam ratusan rumah warga di Lebak sejak Kamis malam. " * 3 + "</p>" * 1
        + "<p>Baca juga: <a href='/x'>Jembatan Cibadak Putus Diterjang Banjir Bandang</a></p>"
        + "<p>" + "Warga mengungsi ke balai desa dan masjid terdekat, kata kepala desa. " * 3 + "</p>"
        + "<ul>" + "<li><a href='/y'>Harga Gabah di Lebak Naik Menjelang Musim Panen</a></li>" * 9 + "</ul></div>")
    shape = content_shape([story])
    assert shape.teasers == 9 and shape.prose_blocks == 2
    assert shape.longest_run_chars > 400  # "Baca juga" between paragraphs does not break the story


@pytest.mark.parametrize("text, feed", [
    ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>', True),
    ('<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="/rss.xsl"?>\n<rss>', True),
    ('<feed xmlns="http://www.w3.org/2005/Atom"><title>Kabar</title>', True),
    ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', True),
    ("<!DOCTYPE html><html><head><title>RSS Kabar Lebak</title></head>", False),
    ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">', False),
])
def test_feeds_are_recognised(text, feed):
    assert looks_like_feed(text) is feed
