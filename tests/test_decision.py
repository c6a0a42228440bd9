"""Page -> article decisions on fictional pages in the shapes real templates have.

Each page shows one mechanism that fooled warta on unseen sites (issue 10's list): a related list
inside the content area (1), a container never closed (2), a headline in a ``<div class="judul">``
(3), a photo story without text (4), three ``<h1>`` (5), bylines by position and shape (10); and
listing pages that must stay rejected, some of them tricky (a home page with a featured story's
article markup, a tag page with a long intro). The pages are made up; no real page is copied.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipelines.core import derive_with_decision
from pipelines.errors import NotAnArticle
from pipelines.page import Page

FETCHED = datetime(2019, 11, 28, 9, 0, tzinfo=UTC)
SITE = "Kabar Pesisir"
STORY_URL = "https://kabarpesisir.example/2019/11/28/banjir-rendam-300-rumah-di-rangkasbitung/"
HEADLINE = "Banjir Rendam 300 Rumah di Rangkasbitung"

PARAGRAPHS = [
    "LEBAK - Banjir merendam sedikitnya 300 rumah warga di Kecamatan Rangkasbitung, Kabupaten Lebak, Kamis "
    "(28/11/2019), setelah hujan deras mengguyur wilayah itu sejak Rabu sore.",
    "Kepala Pelaksana BPBD Lebak, Kaprawi, mengatakan air mulai naik sekitar pukul 17.00 WIB dan mencapai "
    "ketinggian satu meter di permukiman yang berada di bantaran Sungai Ciujung.",
    "\"Kami sudah mengerahkan perahu karet untuk mengevakuasi warga lanjut usia dan anak-anak ke tempat yang "
    "lebih aman,\" kata Kaprawi kepada wartawan di lokasi banjir.",
    "Sebagian warga memilih bertahan di lantai dua rumah mereka untuk menjaga barang berharga, sementara yang "
    "lain mengungsi ke balai desa dan masjid terdekat.",
    "Dinas Sosial Kabupaten Lebak telah mendirikan dapur umum di halaman kantor kecamatan untuk memenuhi "
    "kebutuhan makan para pengungsi selama beberapa hari ke depan.",
]
OTHER_HEADLINES = [
    "Harga Gabah Kering di Lebak Naik Menjelang Musim Tanam", "Pemkab Lebak Gelar Pelatihan Kopi Robusta untuk Petani",
    "Jembatan Cibadak Putus Diterjang Arus Sungai Ciujung", "Ratusan Pelajar Ikuti Lomba Pencak Silat di Rangkasbitung",
    "Dinas Kesehatan Lebak Catat Kenaikan Kasus Demam Berdarah", "Pasar Rangkasbitung Direnovasi Mulai Bulan Depan",
    "Warga Baduy Gelar Seba Bertemu Bupati Lebak dan Gubernur", "Bupati Lebak Resmikan Puskesmas Baru di Cileles",
    "Polres Lebak Amankan Tiga Pelaku Pencurian Sepeda Motor", "Festival Seni Budaya Lebak Digelar Akhir Pekan Ini",
    "Petani Cabai di Lebak Keluhkan Serangan Hama Patek", "Angkutan Kota Rangkasbitung Kembali Beroperasi Normal",
    "Sekolah di Lebak Selatan Kekurangan Guru Honorer", "Kantor Pos Lebak Layani Penyaluran Bantuan Tunai Warga",
    "Lomba Perahu Naga Meriahkan Hari Jadi Kabupaten Lebak",
]


def teaser_links(n: int, start: int = 0, wrap: str = "li") -> str:
    items = [f"<{wrap}><a href='/2019/11/{20 + i % 8}/{OTHER_HEADLINES[(start + i) % 15].lower().replace(' ', '-')}/'>"
             f"{OTHER_HEADLINES[(start + i) % 15]}</a></{wrap}>" for i in range(n)]
    return "".join(items)


def sidebar(n: int = 15) -> str:
    return (f"<aside class='col-md-4'><div class='widget'><h3>Terpopuler</h3><ul>{teaser_links(n, 3)}</ul></div>"
            f"</aside>")


def news_article_ld(headline=HEADLINE, url=STORY_URL, author="Ujang Suryana", **extra) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
            "mainEntityOfPage": url, "datePublished": "2019-11-28T10:08:00+07:00",
            "author": {"@type": "Person", "name": author}, **extra}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def html(*, title: str, body: str, head: str = "", og_title: str | None = None) -> str:
    og = f'<meta property="og:title" content="{og_title}">' if og_title else ""
    return (f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>{og}{head}</head>"
            f"<body><header class='site-header'><div class='logo'><a href='/'>{SITE}</a></div>"
            f"<nav class='menu'><a href='/kategori/daerah/'>Daerah</a> <a href='/kategori/ekonomi/'>Ekonomi</a></nav>"
            f"</header>{body}<footer class='site-footer'>© 2019 {SITE}</footer></body></html>")


def story_paragraphs(n: int = 5) -> str:
    return "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:n])


def derive(markup: str, url: str | None = STORY_URL, via: str | None = None):
    page = Page(url=url or "", body=markup.encode(), fetched_at=FETCHED, via=via)
    return derive_with_decision(page)


def rejected(markup: str, url: str | None, via: str | None = None) -> NotAnArticle:
    with pytest.raises(NotAnArticle) as caught:
        derive(markup, url, via)
    assert caught.value.decision is not None and not caught.value.decision.is_article
    return caught.value


# --------------------------------------------------------------------------------- articles

def test_mechanism_1_a_related_list_inside_the_content_area():
    page = html(title=f"{HEADLINE} - {SITE}", og_title=HEADLINE, head=news_article_ld(), body=(
        f"<main><article><h1 class='entry-title'>{HEADLINE}</h1>"
        "<div class='byline'>Oleh: <span>Ujang Suryana</span> - Kamis, 28 November 2019 10:08 WIB</div>"
        f"<div class='entry-content'>{story_paragraphs(3)}<div class='box'><h3>Berita Terkait</h3>"
        f"<ul>{teaser_links(10)}</ul></div>{story_paragraphs(5)[-400:] if False else ''}"
        f"<p>{PARAGRAPHS[3]}</p><p>{PARAGRAPHS[4]}</p></div></article>{sidebar()}</main>"))
    article, decision = derive(page)
    assert article.title == HEADLINE and article.author == "Ujang Suryana"
    assert decision.reason == "evidence" and decision.get("article-markup") is True
    assert PARAGRAPHS[4] in article.body


def test_mechanism_2_a_container_never_closed():
    # the story's <div> has no closing tag: the sidebar's lists parse inside it
    page = html(title=f"{HEADLINE} | {SITE}", og_title=HEADLINE, head=news_article_ld(), body=(
        f"<div class='container'><h1>{HEADLINE}</h1><div class='meta'>Penulis: Ujang Suryana</div>"
        f"<div class='isi-berita'>{story_paragraphs()}"
        f"<div class='col-md-4 box-side'><h3>Berita Lainnya</h3><ul>{teaser_links(12)}</ul></div>"
        f"<div class='wrap'><h3>Terpopuler</h3><ul>{teaser_links(10, 5)}</ul></div>"))
    article, decision = derive(page)
    assert article.title == HEADLINE and decision.is_article
    assert PARAGRAPHS[0] in article.body


def test_mechanism_3_a_headline_in_a_classed_div_without_markup():
    # no JSON-LD, no OpenGraph, headline links all over the sidebars
    page = html(title=f"{HEADLINE} - {SITE}", body=(
        f"<div class='row'><div class='col-8'><div class='judul'>{HEADLINE}</div>"
        "<div class='tanggal'>Kamis, 28 November 2019 | 10:08 WIB</div>"
        f"<div class='konten'>{story_paragraphs(4)}</div></div>"
        f"<div class='col-4'><ul>{teaser_links(15)}</ul><ul>{teaser_links(15, 7)}</ul></div></div>"))
    article, decision = derive(page)
    assert article.title == HEADLINE and article.provenance["title"] == "visible"
    assert decision.get("headline-matched") is True and decision.is_article


MORE_PARAGRAPHS = [
    "Camat Rangkasbitung, Iwan Setiawan, meminta warga yang tinggal di bantaran sungai tetap waspada karena "
    "hujan diperkirakan masih turun hingga akhir pekan dan debit Sungai Ciujung belum surut.",
    "Menurut catatan BPBD, banjir serupa pernah terjadi pada awal tahun ini dan merendam lebih dari seratus "
    "rumah di tiga desa, meski saat itu tidak ada warga yang harus mengungsi.",
    "Pemerintah desa bersama relawan membersihkan lumpur yang terbawa arus dari jalan desa agar kendaraan "
    "pengangkut bantuan logistik bisa masuk ke permukiman warga yang terdampak.",
    "Warga berharap pemerintah segera membangun tanggul permanen di sepanjang bantaran Sungai Ciujung agar "
    "banjir tidak lagi merendam rumah mereka setiap musim hujan tiba.",
]


def test_a_long_story_outweighs_many_headline_links_elsewhere():
    """No markup, a <title> that no heading repeats, no byline, a URL of no telling shape: a dated story
    of 1500 characters and more beside eighty teaser links in sidebars and a footer (a portal's
    template) is still an article. The links are weak evidence; the long body is strong."""
    boxes = "".join(f"<div class='box'><h3>{name}</h3><ul>{teaser_links(20, i)}</ul></div>"
                    for i, name in enumerate(("Terpopuler", "Terkini", "Pilihan", "Rekomendasi")))
    page = html(title=f"Ratusan Rumah Terendam, Warga Mengungsi - {SITE}", body=(
        f"<div class='row'><div class='col-8'><h2>{HEADLINE}</h2>"
        "<div class='tanggal'>Kamis, 28 November 2019 | 10:08 WIB</div>"
        f"<div class='konten'>{story_paragraphs(5)}{''.join(f'<p>{p}</p>' for p in MORE_PARAGRAPHS)}</div></div>"
        f"<div class='col-4'>{boxes}</div></div>"))
    article, decision = derive(page, url="https://kabarpesisir.example/baca.php?no=88")
    assert decision.is_article, decision.summary()
    assert decision.get("body-chars") >= 1500 and article.body.endswith(MORE_PARAGRAPHS[-1])


def test_a_paywalled_story_cut_after_its_first_paragraph_is_an_article():
    """A subscriber's story shows its first paragraph, cut with "...", then a sign-up prompt. One
    paragraph ending in "..." is what a list of excerpts is made of, but the page's article markup
    and its headline shown as a heading say whose excerpt it is: an article, its body the part shown."""
    first = PARAGRAPHS[0][:150].rsplit(" ", 1)[0] + " ..."
    page = html(title=f"{HEADLINE} - {SITE}", og_title=HEADLINE, head=news_article_ld(), body=(
        f"<main><article><h1>{HEADLINE}</h1><div class='byline'>Ujang Suryana | Kamis, 28 November 2019</div>"
        f"<div class='konten'><p>{first}</p><div class='paywall'><h3>Konten khusus pelanggan</h3>"
        "<p>Berlangganan untuk membaca berita ini selengkapnya.</p><a href='/langganan'>Langganan</a></div>"
        f"</div></article></main>{sidebar()}"))
    article, decision = derive(page)
    assert decision.is_article and article.body == first


def test_mechanism_4_a_photo_story_without_text_is_an_article_with_an_empty_body():
    photos = "".join(f"<figure><img src='/foto/banjir-{i}.jpg' alt=''></figure>" for i in range(10))
    page = html(title=f"FOTO: {HEADLINE} - {SITE}", og_title=f"FOTO: {HEADLINE}",
                head=news_article_ld(headline=f"FOTO: {HEADLINE}"), body=(
                    f"<article><h1>FOTO: {HEADLINE}</h1><div class='byline'>Fotografer: Ujang Suryana</div>"
                    "<time datetime='2019-11-28T10:08:00+07:00'>Kamis, 28 November 2019 10:08 WIB</time>"
                    f"<div class='gallery'>{photos}</div></article>{sidebar()}"))
    article, decision = derive(page)
    assert article.body == "" and article.title == f"FOTO: {HEADLINE}" and article.provenance["body"] == "none"
    assert (decision.verdict, decision.reason) == ("article", "text-less-story")


def test_a_gallery_without_markup_or_text_stays_out():
    photos = "".join(f"<figure><img src='/foto/{i}.jpg'></figure>" for i in range(10))
    page = html(title=f"Galeri - {SITE}", body=f"<h1>Galeri Foto</h1><div class='gallery'>{photos}</div>")
    assert rejected(page, "https://kabarpesisir.example/galeri").reason in ("no-body", "gallery-only")


def test_mechanism_5_three_h1s():
    title_tag = f"{HEADLINE} - {SITE}"
    page = html(title=title_tag, og_title=HEADLINE, body=(
        f"<div class='logo'><h1><a href='/'>{SITE}</a></h1></div>"
        f"<div class='kanal'><h1><a href='/kategori/daerah/'>{title_tag}</a></h1></div>"
        f"<div class='post'><h1>{HEADLINE}</h1><div class='entry'>{story_paragraphs()}</div></div>{sidebar()}"))
    article, _ = derive(page)
    assert article.title == HEADLINE


def test_a_kicker_and_title_heading_reads_as_its_meta_title():
    page = html(title=f"Banjir Lebak: 300 Rumah Terendam - {SITE}", og_title="Banjir Lebak: 300 Rumah Terendam",
                body=("<article><h1><span class='kicker'>Banjir Lebak</span><span class='judul'>300 Rumah "
                      f"Terendam</span></h1><div class='isi'>{story_paragraphs()}</div></article>"))
    assert derive(page)[0].title == "Banjir Lebak: 300 Rumah Terendam"


def test_the_heading_nearest_the_story_wins():
    # an SEO title in the breadcrumb matches og:title, the article's own heading matches JSON-LD
    seo = "Banjir Lebak: 300 Rumah di Rangkasbitung Terendam"
    page = html(title=seo, og_title=seo, head=news_article_ld(), body=(
        f"<nav class='breadcrumb'><ul><li><a href='/'>Beranda</a></li><li><h1>{seo}</h1></li></ul></nav>"
        f"<article><header><h2 class='headline'>{HEADLINE}</h2></header>"
        f"<div class='article-body'>{story_paragraphs()}</div></article>"))
    assert derive(page)[0].title == HEADLINE


def test_mechanism_10_an_unlabelled_name_with_its_role():
    page = html(title=f"{HEADLINE} - {SITE}", og_title=HEADLINE, body=(
        f"<article><h1>{HEADLINE}</h1><div class='info'><span>Ahmad Fauzi</span> / Jurnalis</div>"
        f"<div class='isi'>{story_paragraphs()}</div></article>{sidebar()}"))
    assert derive(page)[0].author == "Ahmad Fauzi"


def test_mechanism_10_a_reporter_in_capitals_as_the_last_line():
    page = html(title=f"{HEADLINE} - {SITE}", og_title=HEADLINE,
                head=news_article_ld(author="Redaksi Kabar Lebak"), body=(
                    f"<article><h1>{HEADLINE}</h1><div class='isi'>{story_paragraphs()}<p>DEWI NURITA</p></div>"
                    f"</article>{sidebar()}"))
    article, _ = derive(page)
    assert article.author == "DEWI NURITA"
    assert "DEWI NURITA" not in article.body and article.body.endswith(PARAGRAPHS[4])


def test_mechanism_10_the_json_ld_editor_does_not_beat_the_writer_on_the_page():
    page = html(title=f"{HEADLINE} - {SITE}", og_title=HEADLINE, head=news_article_ld(author="Hasan Basri"), body=(
        f"<article><h1>{HEADLINE}</h1><div class='isi'>{story_paragraphs()}</div>"
        "<div class='kredit'>Penulis: Nur Aisyah | Editor: Hasan Basri</div></article>"))
    assert derive(page)[0].author == "Nur Aisyah"


def test_a_json_ld_author_the_page_credits_as_editor_is_not_the_author():
    page = html(title=f"{HEADLINE} - {SITE}", og_title=HEADLINE, head=news_article_ld(author="Hasan Basri"), body=(
        f"<article><h1>{HEADLINE}</h1><div class='isi'>{story_paragraphs()}</div>"
        "<p class='editor'>Editor: Hasan Basri</p></article>"))
    assert derive(page)[0].author is None


# --------------------------------------------------------------------------------- listings


def home_page() -> str:
    featured = "https://kabarpesisir.example/2019/11/28/banjir-rendam-300-rumah-di-rangkasbitung/"
    items = "".join(
        f"<article class='post'><a href='/2019/11/{20 + i % 8}/berita-{i}/'><h2>{OTHER_HEADLINES[i]}</h2></a>"
        f"<span class='date'>Kamis, 28 November 2019</span><p>{PARAGRAPHS[i % 5][:150]}</p></article>"
        for i in range(15))
    return html(title=f"{SITE} - Berita Lebak Terkini", og_title=f"{SITE} - Berita Lebak Terkini",
                head=news_article_ld(url=featured), body=(
                    f"<main><div class='featured'><h1><a href='{featured}'>{HEADLINE}</a></h1>"
                    f"<p>{PARAGRAPHS[0]}</p></div><div class='latest'>{items}</div></main>{sidebar()}"))


@pytest.mark.parametrize("url", ["https://kabarpesisir.example/", "https://kabarpesisir.example/beranda", None])
def test_a_home_page_with_a_featured_storys_markup_stays_out(url):
    error = rejected(home_page(), url)
    assert error.reason == "index-page"
    assert not error.decision.get("article-markup")  # the markup names the featured story's URL


def test_a_home_page_stays_out_even_from_a_sitemap():
    assert rejected(home_page(), "https://kabarpesisir.example/beranda", via="sitemap").reason == "index-page"


def declared_home_page(*, welcome: bool = False) -> str:
    """A home page whose SEO plugin declares it a NewsArticle headlined with the site's title (no
    story's URL), lists of teasers and no story; a welcome text or a line of a few words."""
    title = f"{SITE} - Berita Lebak Terkini"
    heading = ("<div class='welcome'><p>Selamat datang di Kabar Pesisir, portal berita warga pesisir selatan Banten "
               "yang menyajikan kabar terbaru dari Lebak, Pandeglang dan sekitarnya setiap hari.</p></div>"
               if welcome else "<p>Kabar terbaru dari Lebak dan sekitarnya.</p>")
    items = "".join(f"<li><a href='/2019/11/{20 + i % 8}/berita-{i}/'>{OTHER_HEADLINES[i]}</a></li>" for i in range(8))
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
          "datePublished": "2019-11-28T10:08:00+07:00"}
    return html(title=title, head=f'<script type="application/ld+json">{json.dumps(ld)}</script>',
                body=f"<main>{heading}<div class='box'><h3>Berita Terkini</h3><ul>{items}</ul></div></main>")


@pytest.mark.parametrize("url", ["https://kabarpesisir.example/", "https://kabarpesisir.example/beranda"])
def test_a_home_page_declared_a_news_article_with_no_story_shown_stays_out(url):
    """Markup and a date with next to no text and no headline shown: nothing on the page is a story."""
    assert rejected(declared_home_page(), url).reason == "no-body"


def test_a_section_name_shown_as_the_headline_makes_no_text_less_story():
    """The text-less story (a video, a photo story) needs a story's headline shown: "Indeks Berita"
    matching the title of an index page that an SEO plugin declares a NewsArticle is a section's."""
    items = "".join(f"<li><a href='/2019/11/{20 + i % 8}/berita-{i}/'>{OTHER_HEADLINES[i]}</a></li>" for i in range(8))
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Indeks Berita",
          "datePublished": "2019-11-28T10:08:00+07:00"}
    page = html(title="Indeks Berita", head=f'<script type="application/ld+json">{json.dumps(ld)}</script>',
                body=f"<main><h1>Indeks Berita</h1><ul class='list'>{items}</ul></main>")
    assert rejected(page, "https://kabarpesisir.example/berita?page=2").reason == "no-body"


def test_article_markup_on_a_listing_address_weighs_less():
    """A home page's address beside article markup: the markup and a date do not carry a short
    welcome text into the archive."""
    error = rejected(declared_home_page(welcome=True), "https://kabarpesisir.example/")
    assert error.decision.get("listing-url") == "/" and error.decision.score < error.decision.threshold


def tag_page() -> str:
    intro = ("Kumpulan berita terbaru tentang banjir di Kabupaten Lebak: genangan di permukiman warga, evakuasi, "
             "bantuan bagi pengungsi dan upaya pemerintah daerah menangani sungai yang meluap setiap musim hujan. "
             "Ikuti perkembangan terkini dari para jurnalis Kabar Lebak di seluruh kecamatan, dari Rangkasbitung "
             "hingga Malingping, lengkap dengan foto dan video dari lokasi kejadian.")
    items = "".join(f"<div class='item'><h3><a href='/2019/11/{20 + i % 8}/banjir-{i}/'>{OTHER_HEADLINES[i]}</a></h3>"
                    f"<p>{PARAGRAPHS[i % 5][:120]}</p></div>" for i in range(14))
    return html(title=f"Banjir Lebak - {SITE}", og_title="Banjir Lebak", body=(
        f"<main><h1>Banjir Lebak</h1><div class='content'><p>{intro}</p>{items}</div></main>{sidebar()}"))


def test_a_tag_page_with_a_long_intro_stays_out():
    assert rejected(tag_page(), "https://kabarpesisir.example/banjir-lebak").reason == "index-page"


def test_a_category_page_in_a_sitemap_stays_out():
    items = "".join(f"<article><h2><a href='/x/{i}/'>{OTHER_HEADLINES[i]}</a></h2><p>{PARAGRAPHS[i % 5]}</p>"
                    f"</article>" for i in range(6))
    page = html(title=f"Kategori: Ekonomi - {SITE}", body=f"<main><h1>Kategori: Ekonomi</h1>{items}</main>")
    error = rejected(page, "https://kabarpesisir.example/kategori/ekonomi/", via="sitemap")
    assert error.reason == "index-page" and error.decision.get("via") == "sitemap"


def test_a_search_page_stays_out():
    items = "".join(f"<li><a href='/x/{i}/'>{OTHER_HEADLINES[i]}</a> {PARAGRAPHS[i % 5][:90]}...</li>"
                    for i in range(10))
    page = html(title=f"Hasil pencarian: banjir - {SITE}", body=f"<h1>Hasil pencarian: banjir</h1><ul>{items}</ul>")
    assert rejected(page, "https://kabarpesisir.example/?s=banjir").reason == "index-page"


# --------------------------------------------------------------------------------- what the crawl knew


def weak_story() -> str:
    # no markup, no date, a headline in a <b>, a short story and many headline links around it
    return html(title=SITE, body=(
        f"<div class='main'><b>{HEADLINE}</b><div class='text'>{story_paragraphs(2)}</div></div>"
        f"<div class='side'><ul>{teaser_links(15)}</ul><ul>{teaser_links(15, 4)}</ul></div>"))


def test_a_weak_page_is_an_article_when_a_sitemap_or_feed_listed_it():
    url = "https://kabarpesisir.example/berita/2019/banjir"
    assert rejected(weak_story(), url).reason == "index-page"
    for via in ("sitemap", "feed"):
        article, decision = derive(weak_story(), url, via=via)
        assert decision.reason == "crawl-knew" and PARAGRAPHS[0] in article.body
    assert rejected(weak_story(), url, via="index").reason == "index-page"


def test_the_decision_travels_with_the_exception_and_the_article():
    error = rejected(tag_page(), "https://kabarpesisir.example/tag/banjir/")
    assert error.decision.summary().startswith("not-article (index-page): listing-url=/tag/banjir/")
    _, decision = derive(home_page().replace("<main>", "<main>" + story_paragraphs()), STORY_URL)
    assert decision.to_dict()["evidence"]
