"""The not-an-article decision and its reason codes."""

from __future__ import annotations

import lxml.html
import pytest

from pipelines.metadata import read_metadata
from pipelines.parse import looks_like_feed
from pipelines.validate import PageSignals, article_markup, not_article_reason, teaser_link_count


def _signals(**kw) -> PageSignals:
    base = dict(url="https://kabar.example/read/2019/11/28/banjir-lebak", body_chars=1500, body_paragraphs=8,
                headline_links=20, title_matched=True, has_article_markup=False, has_listing_markup=False,
                has_date=True, media_items=0, root_headline_links=0, near_headline=True)
    base.update(kw)
    return PageSignals(**base)


def test_an_ordinary_article_passes():
    assert not_article_reason(_signals()) is None


@pytest.mark.parametrize("url", [
    "https://kabar.example/", "https://kabar.example/tag/banjir/", "https://kabar.example/kategori/ekonomi",
    "https://kabar.example/search?q=banjir", "https://kabar.example/?s=banjir", "https://kabar.example/indeks",
    "https://kabar.example/author/ujang/", "https://kabar.example/berita/page/3/", "https://kabar.example/topik/pilkada",
])
def test_listing_urls_are_index_pages(url):
    assert not_article_reason(_signals(url=url, title_matched=False, body_chars=900)) == "index-page"


@pytest.mark.parametrize("url", [
    "https://kabar.example/kanal/ekonomi/12345/harga-gabah-naik",  # a story below a channel path
    "https://kabar.example/category/ekonomi/2019/11/28/harga-gabah-naik/",
    "https://kabar.example/read/2015/11/05/100026/3062623/323/banjir-rendam-lebak",
    "https://kabar.example/?p=1207",  # WordPress without pretty permalinks
    "https://kabar.example/kanal/pemkab-lebak-gelar-pelatihan-kopi-robusta",
    "https://kabar.example/index.php?id=88",
])
def test_story_urls_below_listing_words_are_articles(url):
    assert not_article_reason(_signals(url=url)) is None


@pytest.mark.parametrize("url", ["https://kabar.example/2019/06/", "https://kabar.example/2019/06/28/",
                                 "https://kabar.example/kanal/ekonomi",
                                 "https://kabar.example/tag/kasus-korupsi-dana-desa-lebak"])
def test_archive_and_channel_urls_are_index_pages(url):
    assert not_article_reason(_signals(url=url)) == "index-page"


@pytest.mark.parametrize("url", ["https://kabar.example/redaksi/", "https://kabar.example/pedoman-media-siber/",
                                 "https://kabar.example/tentang-kami", "https://kabar.example/kontak.html"])
def test_site_pages_are_static_pages(url):
    assert not_article_reason(_signals(url=url)) == "static-page"


@pytest.mark.parametrize("title", ["Kategori: Budaya", "Tag: Brebes", "Arsip 2019/06", "Berita oleh Nur Aini",
                                   "Label: Jayapura", "Hasil pencarian: banjir"])
def test_listing_titles(title):
    assert not_article_reason(_signals(url=None, title=title)) == "index-page"


def test_excerpt_lists_are_index_pages():
    assert not_article_reason(_signals(body_paragraphs=4, excerpt_paragraphs=3)) == "index-page"
    assert not_article_reason(_signals(body_chars=170, body_paragraphs=1, excerpt_paragraphs=1)) == "index-page"
    assert not_article_reason(_signals(body_paragraphs=12, excerpt_paragraphs=1)) is None


def test_undated_story_without_byline_is_still_an_article():
    # site pages are told by their paths; the lack of a date or byline alone proves nothing
    signals = _signals(url=None, title_matched=False, has_date=False, headline_links=3)
    assert not_article_reason(signals) is None


def test_teaser_list_in_the_content_area_is_an_index_page():
    assert not_article_reason(_signals(root_headline_links=10, body_paragraphs=10)) == "index-page"


def test_a_few_related_links_inside_a_long_story_are_fine():
    assert not_article_reason(_signals(root_headline_links=6, body_paragraphs=46, body_chars=3175)) is None


def test_short_body():
    assert not_article_reason(_signals(body_chars=80, body_paragraphs=1)) == "no-body"


def test_photo_story_with_a_short_description_is_an_article():
    assert not_article_reason(_signals(body_chars=149, body_paragraphs=1, media_items=25)) is None


def test_gallery_without_text_is_gallery_only():
    assert not_article_reason(_signals(body_chars=30, body_paragraphs=1, media_items=12)) == "gallery-only"


def test_short_text_far_from_the_headline_is_not_a_story():
    assert not_article_reason(_signals(body_chars=140, body_paragraphs=1, near_headline=False)) == "no-body"


def test_home_page_without_headline_match():
    signals = _signals(url=None, title_matched=False, headline_links=141, body_chars=6000, body_paragraphs=49)
    assert not_article_reason(signals) == "index-page"


def test_listing_markup_without_article_markup():
    assert not_article_reason(_signals(has_listing_markup=True)) == "index-page"


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


def test_teaser_links_are_whole_blocks_not_links_in_sentences():
    root = lxml.html.fromstring(
        "<div><h2><a href='/a'>Banjir Rendam 300 Rumah di Lebak Selatan</a></h2>"
        "<p>Menurut <a href='/b'>laporan Badan Penanggulangan Bencana Daerah Lebak</a> yang dirilis Kamis, "
        "air mulai naik sejak sore dan merendam permukiman di tiga kecamatan.</p></div>")
    assert teaser_link_count(root) == 1


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
