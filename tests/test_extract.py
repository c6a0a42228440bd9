"""Page -> article: the public contract (extract_article, derive_article, next_page_urls)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipelines import derive_article, extract_article
from pipelines.article import EXTRACTOR_VERSION
from pipelines.core import next_page_urls
from pipelines.dedupe import canonical_url, normalize_url
from pipelines.errors import NotAnArticle
from pipelines.page import MAX_PARSE_BYTES, Page
from pipelines.profiles import Profile

FETCHED = datetime(2019, 11, 28, 10, 0, tzinfo=UTC)

PARAS = [
    "Dinas Koperasi UKM Kabupaten Lebak melaksanakan seminar koperasi bertema reformasi total koperasi "
    "di era revolusi industri, bertempat di Gedung Sugri Rangkasbitung, Kamis (28/11/2019).",
    "Kepala Dinas Koperasi Babay Imroni mengatakan, seminar dilaksanakan untuk memotivasi pelaku usaha, "
    "khususnya anggota koperasi dan UKM di seluruh kecamatan.",
    "Menurut Babay, koperasi bukan sekadar simpan pinjam, tetapi usaha bersama yang hasilnya bisa dirasakan "
    "setiap hari oleh anggotanya.",
    "Di Lebak ada 835 koperasi, dan 520 di antaranya sudah menunjukkan perubahan, termasuk KPRI yang tersebar "
    "di setiap kecamatan.",
]


def _page_html(*, title="Pemkab Lebak Gelar Seminar Reformasi Koperasi", head="", byline="", body=None,
               before_body="", after_body="", h="h1") -> str:
    body = body if body is not None else "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{title} | Banten Ekspres</title>"
            f"{head}</head><body><header><nav><a href='/'>Beranda</a> <a href='/daerah'>Daerah</a></nav></header>"
            f"<div class='ticker'>BREAKING NEWS</div><div class='container'><main><article>"
            f"<{h} class='entry-title'>{title}</{h}>{byline}"
            f"<div class='date'>Kamis, 28 November 2019 14:30 WIB</div>{before_body}"
            f"<div class='entry-content'>{body}</div>{after_body}</article></main>"
            f"<aside class='sidebar'><h3>Berita Terbaru</h3><ul>"
            + "".join("<li><img alt='Skeleton Image'><span>Skeleton Image</span></li>" for _ in range(6))
            + "</ul></aside></div><footer>Copyright © 2019 Banten Ekspres. All Rights Reserved.</footer>"
            "</body></html>")


def _extract(html, url="https://bantenekspres.example/2019/11/28/seminar-koperasi/", **kw):
    return extract_article(html, url, fetched_at=FETCHED, **kw)


# ------------------------------------------------------------------------------------ the seed's boilerplate


def test_seed_boilerplate_is_removed():
    body = (f"<p>{PARAS[0]}</p><p>Baca juga: <a href='/x'>Banjir Rendam 300 Rumah di Cibadak</a></p>"
            f"<figure><img src='a.jpg'><figcaption>Suasana seminar koperasi. (Foto: Istimewa)</figcaption></figure>"
            f"<p>{PARAS[1]}</p><div class='share-buttons'><a>Facebook</a><a>WhatsApp</a></div>"
            f"<p>{PARAS[2]}</p><p>{PARAS[3]} (do)</p>")
    article = _extract(_page_html(body=body))
    assert article.body == "\n\n".join(PARAS)
    for junk in ("BREAKING NEWS", "Berita Terbaru", "Skeleton Image", "Baca juga", "Facebook", "Suasana seminar",
                 "(do)", "Copyright"):
        assert junk not in article.body


def test_article_fields_and_provenance():
    head = ("<link rel='canonical' href='/2019/11/28/seminar-koperasi/?utm_source=wa#top'>"
            "<meta property='og:image' content='/img/koperasi.jpg'><meta name='description' content='Seminar koperasi.'>"
            "<meta property='article:section' content='Daerah'><meta name='keywords' content='koperasi, Lebak'>")
    article = _extract(_page_html(head=head, byline="<div class='byline'>Oleh Ujang Suryana</div>"))
    assert article.title == "Pemkab Lebak Gelar Seminar Reformasi Koperasi"
    assert article.author == "Ujang Suryana"
    assert article.canonical_url == "https://bantenekspres.example/2019/11/28/seminar-koperasi/"
    assert article.image == "https://bantenekspres.example/img/koperasi.jpg"
    assert article.section == "Daerah" and article.tags == ["koperasi", "Lebak"]
    assert article.description == "Seminar koperasi." and article.language == "id"
    assert article.site is None and article.page_count == 1
    assert article.extractor_version == EXTRACTOR_VERSION
    assert article.provenance["title"] == "visible" and article.provenance["author"] == "visible"
    assert article.provenance["body"] == "generic" and article.provenance["image"] == "meta"


def test_title_is_the_headline_not_the_title_tag_suffix():
    article = _extract(_page_html())
    assert article.title == "Pemkab Lebak Gelar Seminar Reformasi Koperasi"
    assert "|" not in article.title


def test_section_name_in_h1_loses_to_headline_in_h2():
    html = _page_html(h="h2").replace("<main>", "<main><h1>Daerah</h1>")
    assert _extract(html).title == "Pemkab Lebak Gelar Seminar Reformasi Koperasi"


def test_title_falls_back_to_meta_title_without_suffix():
    html = _page_html(h="div")
    assert _extract(html).title == "Pemkab Lebak Gelar Seminar Reformasi Koperasi"


SEO_TITLE = "Seminar Koperasi Lebak 2019: Reformasi Total di Era Industri 4.0"


def test_sole_headline_beats_an_seo_title_when_the_page_declares_nothing_else():
    """No JSON-LD, no OpenGraph: a <title> written for search engines that the page's one h1 does
    not repeat is not the headline the page shows."""
    html = _page_html().replace("<title>Pemkab Lebak Gelar Seminar Reformasi Koperasi |", f"<title>{SEO_TITLE} |")
    assert _extract(html).title == "Pemkab Lebak Gelar Seminar Reformasi Koperasi"


def test_a_logo_in_the_one_h1_is_no_headline():
    """The one h1 is the site's name (three words, none of them the story's besides the site's):
    <title> stays the headline."""
    html = (_page_html(h="div").replace("<title>Pemkab Lebak Gelar Seminar Reformasi Koperasi |", f"<title>{SEO_TITLE} |")
            .replace("<div class='container'>", "<div class='container'><h1>Banten Ekspres Online</h1>"))
    assert _extract(html).title == SEO_TITLE


def test_sole_headline_is_found_beside_a_logo_and_a_section_link_in_h1s():
    """Mechanism 5 without metadata: the site's logo and a section link repeating <title> are h1s
    too; neither reads as this page's headline (a link to another page, the site's name), so the
    story's h1 is still the one headline the page shows."""
    html = (_page_html().replace("<title>Pemkab Lebak Gelar Seminar Reformasi Koperasi |", f"<title>{SEO_TITLE} |")
            .replace("<div class='container'>", "<div class='container'><h1><a href='/'>Banten Ekspres</a></h1>"
                     f"<div class='kanal'><h1><a href='/daerah'>{SEO_TITLE}</a></h1></div>"))
    assert _extract(html).title == "Pemkab Lebak Gelar Seminar Reformasi Koperasi"


DECLARED = "Koperasi Lebak: Pemkab Gelar Seminar Reformasi Koperasi"


def _declared_head(ld=DECLARED, og=DECLARED) -> str:
    head = ""
    if ld is not None:
        head += ("<script type='application/ld+json'>"
                 + json.dumps({"@type": "NewsArticle", "headline": ld}) + "</script>")
    if og is not None:
        head += f"<meta property='og:title' content='{og}'>"
    return head


@pytest.mark.parametrize("ld, og, expected, source", [
    # both machine fields state the same headline, the page shows a variant: the declared one wins
    (DECLARED, DECLARED, DECLARED, "declared"),
    # a site-name tail on either field is not part of the headline
    (DECLARED + " - Banten Ekspres", DECLARED + " | Banten Ekspres", DECLARED, "declared"),
    (DECLARED, DECLARED + " | bantenekspres.example", DECLARED, "declared"),
    # the two fields disagree, or one is missing: one field alone does not overrule the page
    (DECLARED, "Seminar Koperasi di Lebak, Ini Kata Kadis", "Pemkab Lebak Gelar Seminar Reformasi Koperasi", "visible"),
    (DECLARED, None, "Pemkab Lebak Gelar Seminar Reformasi Koperasi", "visible"),
    (None, DECLARED, "Pemkab Lebak Gelar Seminar Reformasi Koperasi", "visible"),
])
def test_headline_declared_twice_overrules_a_shown_variant(ld, og, expected, source):
    article = _extract(_page_html(head=_declared_head(ld, og)))
    assert article.title == expected
    assert article.provenance["title"] == source


def test_declared_headline_keeps_a_tail_that_is_not_the_site():
    declared = "Pemkab Lebak Gelar Seminar Koperasi - Hasilnya Mengejutkan"
    article = _extract(_page_html(head=_declared_head(declared, declared)))
    assert article.title == declared


def test_declared_headline_equal_to_the_shown_one_keeps_the_shown_typography():
    shown = "Pemkab Lebak Gelar Seminar Reformasi Koperasi"
    article = _extract(_page_html(head=_declared_head(shown + " - Banten Ekspres", shown)))
    assert article.title == shown and article.provenance["title"] == "visible"


@pytest.mark.parametrize("byline, author", [
    ("<div class='byline'>Pewarta: <span>Nur Aisyah</span></div>", "Nur Aisyah"),
    ("<p>Penulis: Yohanes Wenda dan Maria Kaize</p>", "Yohanes Wenda dan Maria Kaize"),
    ("<div>Reporter : <a href='/r/rahmi'> Rahmi Aulia</a></div>", "Rahmi Aulia"),
    ("<div class='author'>By <span>Dewi Lestari</span><p>on 16 Feb 2016 at 09:10 WIB</p></div>", "Dewi Lestari"),
    ("<div class='author'><strong>Asep Saepudin</strong> - bantenekspres</div>", "Asep Saepudin"),
    ("<table><tr><td>Penulis</td><td>: Kontributor Garut, Ari Maulana</td></tr></table>", "Ari Maulana"),
    ("<div>Penulis: Iwan Setiawan | Editor: Rahmawati</div>", "Iwan Setiawan"),
    ("<div>Editor: Rina Kurniasih</div><div>Sumber: Reuters</div>", None),
    ("<div class='author'>Tim Redaksi</div>", None),
    ("", None),
])
def test_author_from_indonesian_bylines(byline, author):
    assert _extract(_page_html(byline=byline)).author == author


def test_meta_author_naming_the_publisher_is_not_an_author():
    head = "<meta name='author' content='PT Banten Ekspres Media'>"
    assert _extract(_page_html(head=head)).author is None


def test_dateline_on_its_own_is_joined_and_kept():
    body = f"<strong>Rangkasbitung -</strong><p>{PARAS[0]}</p><p>{PARAS[1]} (rin/dwa)</p>"
    article = _extract(_page_html(body=body))
    assert article.body == f"Rangkasbitung - {PARAS[0]}\n\n{PARAS[1]}"


def test_published_date_is_read_when_the_dates_module_is_there():
    article = _extract(_page_html())
    assert article.published is not None
    assert article.published.isoformat().startswith("2019-11-28")


# ------------------------------------------------------------------------------------ not an article


def test_feed_is_not_an_article():
    rss = ('<?xml version="1.0" encoding="iso-8859-1"?>\n<rss version="2.0"><channel><title>Banten Ekspres</title>'
           "<item><title>Seminar koperasi</title><link>https://bantenekspres.example/a</link></item></channel></rss>")
    assert _extract(rss) is None
    with pytest.raises(NotAnArticle) as info:
        derive_article(Page(url="https://bantenekspres.example/feed", body=rss.encode(), fetched_at=FETCHED))
    assert info.value.reason == "feed"


def test_index_page_is_not_an_article():
    teasers = "".join(
        f"<article class='post'><h2><a href='/2019/11/{i:02d}/berita-{i}/'>Berita nomor {i} tentang koperasi dan "
        f"petani di Lebak hari ini</a></h2><p>Ringkasan berita nomor {i} tentang koperasi, petani dan pedagang di "
        f"Kabupaten Lebak.</p></article>" for i in range(1, 13))
    html = ("<html><head><title>Berita Daerah - Banten Ekspres</title><meta property='og:type' content='website'>"
            f"</head><body><h1>Daerah</h1><div class='post-list'>{teasers}</div></body></html>")
    with pytest.raises(NotAnArticle) as info:
        derive_article(Page(url="https://bantenekspres.example/kategori/daerah/", body=html.encode(),
                            fetched_at=FETCHED))
    assert info.value.reason == "index-page"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "binary"),
])
def test_empty_and_binary_input(data, reason):
    with pytest.raises(NotAnArticle) as info:
        derive_article(Page(url="https://bantenekspres.example/x", body=data, fetched_at=FETCHED))
    assert info.value.reason == reason
    assert extract_article(data, None) is None


def test_page_without_text_is_not_an_article():
    with pytest.raises(NotAnArticle) as info:
        derive_article(Page(url="https://bantenekspres.example/x", body=b"<html><body><div></div></body></html>",
                            fetched_at=FETCHED))
    assert info.value.reason == "no-body"


# ------------------------------------------------------------------------------------ bad input never raises


def test_lying_charset_declaration_utf8_bytes():
    html = _page_html(body="".join(f"<p>{p} Jum’at “kata” beliau.</p>" for p in PARAS))
    html = html.replace("<meta charset='utf-8'>", "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>")
    article = _extract(html.encode("utf-8"))
    assert "Jum’at “kata”" in article.body


def test_windows_1252_bytes():
    html = _page_html(body="".join(f"<p>{p} Jum’at – “kata” beliau.</p>" for p in PARAS))
    html = html.replace("<meta charset='utf-8'>", "<meta charset='windows-1252'>")
    article = _extract(html.encode("cp1252"))
    assert "Jum’at – “kata”" in article.body


def test_broken_markup():
    html = ("<html><head><title>Seminar | X</title><body><h1>Seminar koperasi di Lebak berjalan ramai"
            + "".join(f"<p>{p}<b><i>" for p in PARAS) + "</div></span><table><td>")
    article = _extract(html)
    assert article is not None and PARAS[3] in article.body


def test_xml_declaration_in_text_input():
    html = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + _page_html()
    assert _extract(html).title == "Pemkab Lebak Gelar Seminar Reformasi Koperasi"


def test_nul_bytes_and_control_characters():
    html = _page_html().replace("Babay Imroni", "Babay\x00 Imroni\x07")
    assert "Babay Imroni" in _extract(html.encode()).body


def test_ten_megabyte_page():
    filler = "<div class='widget'><a href='/x'>tautan</a></div>" * (10 * 1024 * 1024 // 45)
    html = _page_html(after_body=filler)
    assert len(html) > MAX_PARSE_BYTES
    article = _extract(html.encode())
    assert article is None or PARAS[0] in article.body


def test_url_may_be_none():
    article = extract_article(_page_html(), None)
    assert article.url == "" and article.canonical_url == ""


# ------------------------------------------------------------------------------------ multi-page


def _part(n: int, paras: list[str], pager: str = "") -> Page:
    html = _page_html(body="".join(f"<p>{p}</p>" for p in paras), after_body=pager)
    url = "https://bantenekspres.example/read/2019/11/28/seminar-koperasi" + (f"?page={n}" if n > 1 else "")
    return Page(url=url, body=html.encode(), fetched_at=FETCHED)


def test_pages_are_merged_in_order():
    pages = [_part(1, PARAS[:2]), _part(2, [PARAS[0], PARAS[2]]), _part(3, PARAS[3:])]
    article = derive_article(pages)
    assert article.body == "\n\n".join(PARAS)  # the lead repeated on page 2 is kept once
    assert article.page_count == 3
    assert article.url == pages[0].url


def test_a_broken_later_page_costs_only_its_text():
    pages = [_part(1, PARAS), Page(url="https://bantenekspres.example/read/x?page=2", body=b"", fetched_at=FETCHED)]
    assert derive_article(pages).body == "\n\n".join(PARAS)


PAGER = ("<div class='pagination'><a href='?page=2'>2</a> <a href='?page=3'>3</a> "
         "<a href='?page=2'>Selanjutnya »</a> <a href='/read/2019/11/27/banjir-cibadak'>Banjir di Cibadak</a>"
         "<a href='/read/2019/11/27/banjir-cibadak?page=2'>2</a></div>")


def test_next_page_urls_numbered_pages_of_this_article_only():
    page = _part(1, PARAS, PAGER)
    assert next_page_urls(page.body, page.url) == [
        "https://bantenekspres.example/read/2019/11/28/seminar-koperasi?page=2",
        "https://bantenekspres.example/read/2019/11/28/seminar-koperasi?page=3",
    ]


def test_next_page_urls_prefers_a_single_page_view():
    page = _part(1, PARAS, PAGER + "<a href='?page=all'>Lihat Semua</a>")
    assert next_page_urls(page.body, page.url) == [
        "https://bantenekspres.example/read/2019/11/28/seminar-koperasi?page=all"]


def test_next_page_urls_empty_for_a_single_page_article():
    page = _part(1, PARAS, "<a href='/read/2019/11/27/banjir-cibadak'>Berita sebelumnya</a>")
    assert next_page_urls(page.body, page.url) == []


def test_next_page_urls_from_a_later_page_lists_only_later_pages():
    page = _part(2, PARAS, PAGER.replace("?page=2'>2", "?page=1'>1"))
    assert next_page_urls(page.body, page.url) == [
        "https://bantenekspres.example/read/2019/11/28/seminar-koperasi?page=3"]


# ------------------------------------------------------------------------------------ profiles


def test_profile_selectors_and_rules_win():
    profile = Profile(slug="banten-ekspres", selectors={"body": "div.entry-content", "author": ".penulis"},
                      drop_selectors=("p.promo",), drop_lines=(r"^Ikuti Banten Ekspres di",))
    body = "".join(f"<p>{p}</p>" for p in PARAS) + "<p class='promo'>Promo langganan</p>" \
        "<p>Ikuti Banten Ekspres di Google News untuk kabar terbaru dari seluruh Banten setiap hari.</p>"
    html = _page_html(body=body, byline="<span class='penulis'>Ujang Suryana</span>")
    article = derive_article(Page(url="https://bantenekspres.example/a", body=html.encode(), fetched_at=FETCHED),
                             profile)
    assert article.body == "\n\n".join(PARAS)
    assert article.site == "banten-ekspres" and article.author == "Ujang Suryana"
    assert article.provenance["body"] == "profile" and article.provenance["author"] == "profile"


def test_a_bad_profile_selector_does_not_break_extraction():
    profile = Profile(slug="rusak", selectors={"body": "div[[[", "title": ":::"}, drop_selectors=("p((",))
    article = derive_article(Page(url="https://x.example/a", body=_page_html().encode(), fetched_at=FETCHED), profile)
    assert article.body == "\n\n".join(PARAS)


# ------------------------------------------------------------------------------------ canonical URL


@pytest.mark.parametrize("url, canonical, og, expected", [
    ("https://a.example/read/1/banjir?utm_source=fb&fbclid=x#komentar", None, None, "https://a.example/read/1/banjir"),
    ("https://a.example/read/1/banjir?page=2", None, None, "https://a.example/read/1/banjir"),
    ("https://a.example/read/1/banjir", "/read/1/banjir-lebak", None, "https://a.example/read/1/banjir-lebak"),
    ("https://a.example/read/1/banjir", None, "https://a.example/read/1/banjir?utm_medium=x",
     "https://a.example/read/1/banjir"),
    ("https://a.example/read/1/banjir", "https://a.example/", None, "https://a.example/read/1/banjir"),
    ("https://a.example/read/1/banjir", "https://other.example/x/y", None, "https://a.example/read/1/banjir"),
    ("https://a.example/?p=123", None, None, "https://a.example/?p=123"),
])
def test_canonical_url(url, canonical, og, expected):
    assert canonical_url(url, canonical, og) == expected


def test_normalize_url_keeps_article_ids():
    assert normalize_url("https://A.example:443/berita?id=7&page=3") == "https://a.example/berita?id=7"


def test_page_count_of_a_story_read_through_its_whole_story_view():
    first = _part(1, PARAS[:2], PAGER + "<a href='?page=all'>Lihat Semua</a>")
    whole = Page(url=first.url + "?page=all", body=_page_html().encode(), fetched_at=FETCHED)
    article = derive_article([first, whole])
    assert article.body == "\n\n".join(PARAS)
    assert article.page_count == 3  # the pager shows three pages; two fetches read them all


def test_utf16_page_with_bom():
    article = _extract(_page_html().encode("utf-16"))
    assert article.body == "\n\n".join(PARAS)


def test_page_without_title_tag_uses_its_h1():
    html = "<html><body><h1>Seminar Koperasi di Lebak</h1>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</body></html>"
    article = _extract(html)
    assert article.title == "Seminar Koperasi di Lebak" and article.provenance["title"] == "visible"


def test_absurdly_deep_markup_does_not_raise():
    html = "<html><body><h1>Seminar</h1>" + "<div>" * 5000 + f"<p>{PARAS[0]}</p>" + "</div>" * 5000
    assert _extract(html) is None or PARAS[0] in _extract(html).body


def test_story_split_by_ad_rails_is_read_whole():
    chunk = "<div class='grid'><div class='article__body'>{}</div><aside class='ad-rail'>Iklan</aside></div>"
    body = "".join(chunk.format(f"<p>{p}</p><p>{p}</p>") for p in PARAS)
    article = _extract(_page_html(body=body))
    assert article.body == "\n\n".join(p for p in PARAS for _ in range(2))


@pytest.mark.parametrize("byline, author", [
    ("<p><strong>Laporan Wartawan Warta Timur, Andi Makkasau</strong></p>", "Andi Makkasau"),
    ("<p>Laporan Reporter Kabar Medan / Tommy Simatupang</p>", "Tommy Simatupang"),
    ("<div>Penulis: Ari Maulana/Editor: Dedi</div>", "Ari Maulana"),
    ("<div>Reporter: Siti Rahma, Editor: Budi</div>", "Siti Rahma"),
    ("<div class='author'>Dadan Hermawan - Tribun Jabar</div>", "Dadan Hermawan"),
])
def test_more_byline_forms(byline, author):
    assert _extract(_page_html(byline=byline)).author == author


def test_byline_above_the_body_wins_over_a_contributor_credit_below():
    article = _extract(_page_html(byline="<div class='writer'>Diposting oleh Rizky Pratama</div>",
                                  after_body="<p>Kontributor : Welly Tanjung</p>"))
    assert article.author == "Rizky Pratama"


def test_json_ld_author_wins_over_a_credit_below_the_body():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x", '
            '"author": [{"@type": "Person", "name": "Rizky Pratama"}]}</script>')
    article = _extract(_page_html(head=head, after_body="<p>Kontributor : Welly Tanjung</p>"))
    assert (article.author, article.provenance["author"]) == ("Rizky Pratama", "jsonld")


def test_reporter_after_a_line_break():
    article = _extract(_page_html(after_body="<div class='editor'>Redaktur : Soetomo<br>Reporter : Cuy Sudaryanto</div>"))
    assert article.author == "Cuy Sudaryanto"


def test_outlet_name_is_not_an_author():
    assert _extract(_page_html(byline="<div class='author'>CNN Indonesia</div>")).author is None


def test_title_tag_with_only_the_site_name_gives_way_to_the_h1():
    html = _page_html().replace("<title>Pemkab Lebak Gelar Seminar Reformasi Koperasi | Banten Ekspres</title>",
                                "<title>Banten Ekspres</title>")
    assert _extract(html).title == "Pemkab Lebak Gelar Seminar Reformasi Koperasi"


def test_text_drawn_by_javascript_is_read_from_json_ld():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pemkab Lebak Gelar Seminar '
          'Reformasi Koperasi", "datePublished": "2019-11-28T14:30:00+07:00", "articleBody": "'
          + "\\n\\n".join(PARAS) + '\\n\\nBaca juga: Banjir di Cibadak"}</script>')
    html = _page_html(head=ld, body="<div id='app'></div>")
    article = _extract(html)
    assert article.body == "\n\n".join(PARAS) and article.provenance["body"] == "jsonld"


# ------------------------------------------------------------------------------------ whole stories (issue 10)
# Fictional pages in the shapes unseen templates have; each test names the mechanism it covers.

STORY = [
    "Pemerintah Kota Serang mulai memperbaiki 14 ruas jalan yang rusak akibat banjir pekan lalu, dengan anggaran "
    "Rp 12 miliar dari dana tanggap darurat, kata Kepala Dinas PUPR Serang, Rahmat Hidayat, Senin (2/12/2019).",
    "Menurut Rahmat, perbaikan dimulai dari ruas Jalan Raya Cilegon yang paling parah, karena dilalui ribuan "
    "kendaraan setiap hari dan menjadi jalur utama distribusi barang ke pelabuhan.",
    "Warga di sekitar Kampung Kaujon menyambut baik perbaikan itu. Selama dua pekan terakhir mereka harus memutar "
    "sejauh enam kilometer untuk mencapai pasar dan sekolah anak-anak mereka.",
    "Dinas PUPR menargetkan seluruh perbaikan rampung sebelum akhir Desember, sebelum puncak musim hujan yang "
    "diperkirakan BMKG jatuh pada pertengahan Januari tahun depan.",
    "Rahmat meminta warga melapor melalui kanal pengaduan resmi bila menemukan lubang baru, agar petugas dapat "
    "menambalnya sebelum membahayakan pengendara sepeda motor pada malam hari.",
    "Selain jalan, dinas juga memeriksa tiga jembatan kecil yang fondasinya tergerus arus sungai saat banjir, "
    "termasuk jembatan penghubung Kecamatan Walantaka dan Kecamatan Cipocok Jaya.",
]
STORY_TITLE = "Pemkot Serang Perbaiki 14 Ruas Jalan Rusak Akibat Banjir"
TEASERS = ["Harga Cabai Rawit di Pasar Rau Naik Dua Kali Lipat", "Tiga Desa di Lebak Terisolasi Longsor Susulan",
           "Bupati Pandeglang Resmikan Pasar Rakyat Baru di Labuan", "Ribuan Penonton Padati Festival Budaya Baduy",
           "Dua Pelajar Serang Juara Olimpiade Sains Nasional", "Kereta Rangkasbitung Tambah Jadwal Akhir Pekan",
           "Nelayan Binuangeun Mengeluh Solar Langka Sepekan", "Polisi Tangkap Pencuri Sepeda Motor di Ciruas"]


def _story_page(body: str, *, head: str = "", after: str = "", h: str = "h1", ld: bool = True,
                sidebar: bool = True) -> str:
    """A news template: header, headline, byline, the body as given, then what comes after the story,
    and a sidebar of teasers."""
    data = {"@type": "NewsArticle", "headline": STORY_TITLE, "datePublished": "2019-12-02T10:00:00+07:00"}
    jsonld = f"<script type='application/ld+json'>{json.dumps(data)}</script>" if ld else ""
    side = ("<aside class='col-md-4'><h3>Terpopuler</h3><ul>" + "".join(
        f"<li><a href='/berita/{i}/teaser'>{t}</a></li>" for i, t in enumerate(TEASERS)) + "</ul></aside>"
        if sidebar else "")
    return (f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{STORY_TITLE} - Kabar Serang</title>"
            f"<meta property='og:title' content='{STORY_TITLE}'>{jsonld}{head}</head><body>"
            "<nav><a href='/'>Beranda</a> <a href='/daerah'>Daerah</a></nav><div class='container'><div class='row'>"
            f"<main class='col-md-8'><{h} class='post-title'>{STORY_TITLE}</{h}>"
            "<div class='byline'>Oleh Dewi Anggraini | Senin, 2 Desember 2019 10:00 WIB</div>"
            f"{body}{after}</main>{side}</div></div><footer>Hak cipta Kabar Serang</footer></body></html>")


def _story(html: str, url: str = "https://kabarserang.example/2019/12/02/perbaikan-jalan/"):
    article = _extract(html, url)
    assert article is not None, "the story was rejected"
    return article


def _paras(items) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


@pytest.mark.parametrize("separator", [
    "<div class='ads-inline'><span>ADVERTISEMENT</span><div id='div-gpt-ad-12'></div></div>",
    "<figure class='wp-block-image'><img src='/a.jpg'><figcaption>Jalan rusak di Serang. (Foto: Dok)</figcaption>"
    "</figure>",
    "<div class='mb-4 text-center'><small>Advertisement</small><div id='slot-7'></div></div>",
])
def test_story_cut_into_blocks_by_ads_or_figures_is_kept_whole(separator):
    """Mechanism 6: a story whose paragraphs sit in several wrappers between ad slots or figures."""
    body = (f"<div class='article-body'>{_paras(STORY[:2])}</div>{separator}<div>{_paras(STORY[2:4])}</div>"
            f"{separator}<div>{_paras(STORY[4:])}</div>")
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


def test_story_with_one_wrapper_per_paragraph_and_subheadings_is_kept_whole():
    """Mechanism 6: generated templates wrap each paragraph (and each subheading) in its own block."""
    blocks = [f"<div class='sc-1x2 Blk'><p class='sc-9z Par'>{p}</p></div>" for p in STORY]
    blocks.insert(3, "<div class='sc-7q Sub'><h2>Jembatan juga diperiksa</h2></div>")
    body = "<article><div class='sc-4k Col'>" + "".join(blocks) + "</div></article>"
    got = _story(_story_page(body)).body.split("\n\n")
    assert got == [*STORY[:3], "Jembatan juga diperiksa", *STORY[3:]]


def test_collapsed_later_part_of_the_story_is_kept():
    """Mechanism 6: later paragraphs hidden behind a "continue reading" button are story text."""
    body = (f"<div class='entry-content'>{_paras(STORY[:3])}<button class='btn-more'>Baca selengkapnya</button>"
            f"<div class='article-more' style='display:none'>{_paras(STORY[3:])}</div></div>")
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


def test_hidden_subscription_pitch_inside_the_story_is_dropped():
    """Mechanism 8: a paywall box hidden by a utility class, with sentences of its own style and a form."""
    pitch = ("<div class='article-block hidden'><div class='h2'>KONTEN INI KHUSUS PELANGGAN</div>"
             "<p class='pitch__description'>Nikmati berita lokal, nasional dan internasional tanpa batas setiap hari.</p>"
             "<ul><li>Akses tanpa batas ke semua artikel premium kami di semua perangkat Anda.</li>"
             "<li>Edisi digital harian yang bisa dibaca kapan saja dan di mana saja.</li></ul>"
             "<form action='/masuk'><input type='email' name='email'><button>Lanjut</button></form></div>"
             "<div class='visually-hidden'>Isi artikel</div>")
    body = f"<div class='entry-content'>{_paras(STORY[:3])}{pitch}{_paras(STORY[3:])}</div>"
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


@pytest.mark.parametrize("cls", ["newsletter-box", "inline-box", "", "box-cta"])
def test_sign_up_prompt_inside_the_story_is_dropped(cls):
    """Mechanism 8: a newsletter prompt around a form, whatever its class and language."""
    attr = f" class='{cls}'" if cls else ""
    box = (f"<div{attr}><h4>Newsletter</h4><p>Dapatkan berita pilihan setiap pagi langsung di email Anda. Daftar "
           "gratis, bisa berhenti kapan saja.</p><form action='/daftar'><input type='email'><button>Daftar"
           "</button></form></div>")
    body = f"<div class='entry-content'>{_paras(STORY[:3])}{box}{_paras(STORY[3:])}</div>"
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


@pytest.mark.parametrize("heading", ["Berita Terkait", "Mehr zum Thema", "You may also like", ""])
def test_related_list_inside_the_container_is_removed_and_does_not_reject(heading):
    """Mechanism 1: a teaser list inside the story's container (any language, any heading) is neither
    body text nor a reason to call the page a list of stories."""
    head = f"<h3>{heading}</h3>" if heading else ""
    related = (f"<div class='box'>{head}<ul>" + "".join(f"<li><a href='/2019/11/{i}/x'>{t}</a></li>"
                                                          for i, t in enumerate(TEASERS)) + "</ul></div>")
    body = f"<div class='entry-content'>{_paras(STORY[:3])}{related}{_paras(STORY[3:])}</div>"
    article = _story(_story_page(body, ld=False))
    assert article.body == "\n\n".join(STORY)


@pytest.mark.parametrize("word", ["photo", "time", "comments", "related"])
def test_slides_anchored_by_a_slug_of_their_title_are_kept(word):
    """A slideshow story whose slides carry an anchor made from their title: a word of the title
    ("photo", "time", ...) is not the slide's kind, and no slide is dropped for it."""
    titles = [f"Warga menyambut perbaikan jalan yang lama ditunggu di Kaujon sejak {word} banjir {i}"
              for i in range(len(STORY))]
    slides = "".join(
        f"<div class='slide' id='{'-'.join(t.lower().split())}-{i + 1}'><h2>{t}</h2><p>{p}</p></div>"
        "<div class='ad-slot'><small>Advertisement</small></div>"
        for i, (t, p) in enumerate(zip(titles, STORY, strict=True)))
    article = _story(_story_page(f"<div class='slideshow'>{slides}</div>"))
    for t, p in zip(titles, STORY, strict=True):
        assert p in article.body and t in article.body


def test_lead_paragraph_cut_mid_sentence_by_a_paywall_block_is_kept():
    """The template shows the lead in a paragraph of its own and the rest in a (paywall) block that
    opens with the end of the lead's sentence: the lead is the story's, the lone "." is not a line."""
    lead, rest = STORY[0].rstrip("."), STORY[1:]
    body = (f"<p class='lead-x'>{lead}</p><div class='paywallBlockedContent'>.{_paras(rest)}</div>")
    article = _story(_story_page(body))
    assert article.body == "\n\n".join([lead, *rest])


def _teaser_box() -> str:
    return ("<div class='box-side'><h3>Baca Juga</h3><ul>" + "".join(
        f"<li><a href='/berita/{i}/teaser'>{t}</a></li>" for i, t in enumerate(TEASERS)) + "</ul></div>")


def _comment_thread() -> str:
    return ("<div class='box-3'><h3>4 Komentar</h3>" + "".join(
        f"<div class='item'><b>{name}</b> <span>{n} jam lalu</span><p>{STORY[n % len(STORY)]} Semoga cepat "
        "selesai dan tidak asal tambal seperti tahun lalu, warga sudah lelah menunggu.</p></div>"
        for n, name in enumerate(["Budi", "Siti", "Dewi", "Yusuf"])) + "</div>")


@pytest.mark.parametrize("extra", ["teasers", "comments", "both"])
def test_story_split_by_ads_with_a_teaser_box_or_comments_beside_the_parts(extra):
    """A story cut into parts by ad slots, whose last part holds a "Baca juga" box of teasers and is
    followed by a comment thread (unclassed): what the cleaning removes (the teaser list, the
    thread's items) does not stop the container from growing over the parts."""
    ad = "<div class='ads-inline'><span>ADVERTISEMENT</span><div id='div-gpt-ad-12'></div></div>"
    box = _teaser_box() if extra in ("teasers", "both") else ""
    thread = _comment_thread() if extra in ("comments", "both") else ""
    body = (f"<div class='article-content'>{_paras(STORY[:2])}</div>{ad}<div>{_paras(STORY[2:4])}</div>{ad}"
            f"<div>{_paras(STORY[4:])}{box}</div>{thread}")
    article = _story(_story_page(body))
    assert article.body == "\n\n".join(STORY)


#: A story drawn one paragraph per block: its opening in the page's stage, the rest in the column.
STAGED_STORY = [
    "Banjir kembali merendam tiga desa di Kecamatan Cibadak, Kabupaten Lebak, sejak Kamis malam, "
    "kata Kepala BPBD Lebak, Febby Rizki, Jumat (6/12/2019).",
    "Air setinggi satu meter masuk ke 240 rumah warga, sekolah, dan masjid, setelah tanggul Sungai "
    "Ciberang jebol diterjang arus, menurut data sementara BPBD.",
    "Petugas gabungan dari BPBD, TNI, Polri, dan relawan mengevakuasi 600 warga, termasuk lansia, "
    "balita, dan ibu hamil, ke balai desa, masjid, dan gedung sekolah yang tidak terendam, kata Febby, "
    "yang memimpin evakuasi sejak tengah malam.",
    "Dapur umum didirikan di tiga titik, di Desa Cibadak, Desa Tanjungsari, dan Desa Kaduagung, dengan "
    "bantuan beras, mi instan, air bersih, selimut, dan obat-obatan dari Dinas Sosial, PMI, dan warga.",
    "BPBD meminta warga di bantaran Sungai Ciberang, Ciujung, dan Cisimeut tetap waspada, karena hujan "
    "deras, menurut BMKG, masih akan turun hingga pekan depan, terutama pada sore dan malam hari.",
]


def test_part_of_a_split_story_holding_a_related_list_is_kept():
    """A story drawn one paragraph per block, its opening blocks in the page's stage above the
    columns and the rest in the main column, with a related list put inside one paragraph's block:
    the list goes with the cleaning, the block's paragraph stays (the list's links made the part
    look like a page of links)."""
    related = ("<div class='card'><ul>" + "".join(
        f"<li><a href='/berita/{i}/teaser'>{t}</a></li>" for i, t in enumerate(TEASERS[:6])) + "</ul></div>")

    def item(p, extra=""):
        return f"<div class='article-text px-4'><p>{p}</p>{extra}</div>"

    html = _story_page("<div class='stream'>" + "".join(item(p) for p in STAGED_STORY[2:]) + "</div>")
    stage = ("<div class='stage'><div class='stream'>" + item(STAGED_STORY[0]) + item(STAGED_STORY[1], related)
             + "</div></div>")
    html = html.replace("<div class='row'>", f"{stage}<div class='row'>")
    assert _story(html).body == "\n\n".join(STAGED_STORY)


def _styled_page(*, split: bool) -> str:
    """A CSS-in-JS (styled-components) template: every block is drawn by one View component whose
    class words are its component id and a style hash; only test ids say what a block is."""
    view, text = "Viewweb__StyledView-sc-k2x9q1-0", "Textweb__StyledText-sc-7mq2zd-0"

    def part(items):
        return (f"<div class='{view} hpYgOZ' data-testid='story-body'>" + "".join(
            f"<div class='{view} ffSTmv' data-testid='story-paragraph'><span class='{text} gnNlnN'>{p}</span></div>"
            for p in items) + "</div>")

    ad = f"<div class='{view} kdwsSa'><span class='{text} fMlXYK'>Advertisement</span><div id='div-gpt-ad-3'></div></div>"
    story = (part(STORY[:2]) + ad + part(STORY[2:4]) + ad + part(STORY[4:])) if split else part(STORY)
    picks = "".join(f"<a href='/berita/{i}/teaser'><span class='{text}'>{t}</span></a>" for i, t in enumerate(TEASERS))
    return (f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{STORY_TITLE} | Kabar</title>"
            f"<meta property='og:title' content='{STORY_TITLE}'></head><body><div id='__next'>"
            f"<div class='{view} ccQAzL'><div class='{view} jPBgmq'>"
            f"<h1 class='{text} cgKbVu' data-testid='story-title'>{STORY_TITLE}</h1>"
            f"<div class='{view} eXvbQw' data-testid='byline'><span class='{text} dCzrzW' data-testid='author-name'>"
            f"Dewi Anggraini</span> <span class='{text} hYpIgo' data-testid='date'>2 Desember 2019 10:00 WIB</span></div>"
            f"{story}<div class='{view} kmQzLb' data-testid='comment-section'><span class='{text}'>Komentar</span>"
            f"<span class='{text}'>Tulis komentar...</span></div>"
            f"<div class='{view} lNqRsT'><span class='{text}'>Konten Pilihan</span>{picks}</div>"
            "</div></div></div></body></html>")


@pytest.mark.parametrize("split", [False, True])
def test_css_in_js_template_named_by_test_ids(split):
    """Hashed classes say nothing; the test ids (data-testid, data-qa-id) name the byline and the
    comment box as a class would, and a row of links drawn by the story's own component (its class
    word "...-sc-...-0" on every block) is no paragraph of the story."""
    article = _story(_styled_page(split=split))
    assert article.body == "\n\n".join(STORY)


LEGAL = [
    "Informasi di situs ini disediakan untuk tujuan edukasi dan tidak dimaksudkan sebagai pengganti nasihat "
    "medis, hukum, atau keuangan dari tenaga profesional yang berwenang.",
    "Hasil dapat berbeda bagi setiap orang, tergantung pada kondisi awal, tujuan, dan usaha masing-masing; "
    "olahraga dan pola makan yang baik diperlukan untuk mencapai hasil tersebut.",
    "Pernyataan di situs ini belum dievaluasi oleh badan pengawas, dan produk yang disebutkan tidak "
    "dimaksudkan untuk mendiagnosis, mengobati, atau mencegah penyakit apa pun.",
    "Konsultasikan dengan dokter Anda sebelum memulai program latihan atau menggunakan suplemen, terutama bila "
    "Anda sedang hamil, menyusui, atau memiliki kondisi kesehatan tertentu.",
    "Hak cipta 2019 Kabar Serang. Seluruh merek dagang yang disebutkan di situs ini adalah milik pemiliknya "
    "masing-masing dan digunakan hanya untuk keperluan identifikasi.",
    "Dilarang mengutip, menyalin, atau menyebarluaskan sebagian atau seluruh isi situs ini tanpa izin tertulis "
    "dari redaksi, kecuali untuk keperluan pribadi dan nonkomersial.",
]


def test_page_footer_of_legal_paragraphs_is_no_part_of_a_split_story():
    """The story's later paragraphs sit right in the page's main column after an ad slot, so the
    container grows; the page's <footer> holds six long paragraphs of legal text (which the rule
    protecting paragraphs from class rules would keep): a landmark is never a part of the story."""
    ad = "<div class='ads-inline'><span>ADVERTISEMENT</span><div id='div-gpt-ad-12'></div></div>"
    html = _story_page(f"<div class='entry-content'>{_paras(STORY[:2])}</div>{ad}{_paras(STORY[2:])}")
    footer = "<footer class='site-footer'><div class='footer-copy'>" + _paras(LEGAL) + "</div></footer>"
    html = html.replace("</div></div><footer>Hak cipta Kabar Serang</footer>", f"</div>{footer}</div>")
    assert _story(html).body == "\n\n".join(STORY)


def test_unclosed_container_with_a_sidebar_parsed_inside_it():
    """Mechanism 2: the story's container is never closed, so the sidebar list parses inside it."""
    html = _story_page(f"<div class='entry-content'>{_paras(STORY)}", sidebar=True).replace("</main>", "")
    article = _story(html)
    assert article.body == "\n\n".join(STORY)


@pytest.mark.parametrize("cls", ["comments-area", "box-3"])
def test_comment_thread_after_the_story_is_not_body(cls):
    """Mechanism 7: readers' comments (long paragraphs of prose) after the story, classed or not."""
    item = "comment-body" if cls == "comments-area" else "item"
    comments = (f"<div class='{cls}'><h3>3 Komentar</h3>" + "".join(
        f"<div class='{item}'><b>{name}</b> <span>{n} jam lalu</span><p>{text}</p></div>"
        for name, n, text in (
            ("Budi Santoso", 2, "Akhirnya diperbaiki juga, sudah dua minggu kami harus memutar jauh setiap pagi "
                                "untuk mengantar anak ke sekolah. Semoga kualitas aspalnya lebih baik."),
            ("anak_rantau88", 5, "Jangan cuma ditambal, pak. Tahun lalu juga begitu dan dua bulan kemudian "
                                 "lubangnya kembali lagi setelah hujan pertama turun di Serang."),
            ("Siti Rahma", 9, "Jembatan di Walantaka itu memang sudah lama berbahaya, semoga benar-benar "
                              "diperiksa dan diperbaiki sebelum ada korban jiwa di sana."))) + "</div>")
    article = _story(_story_page(f"<div class='entry-content'>{_paras(STORY[:3])}</div>", after=comments))
    assert article.body == "\n\n".join(STORY[:3])


def test_comment_thread_longer_than_the_story_does_not_win_the_page():
    """Mechanism 7: a comment thread with more prose than the story is still not the story."""
    comments = ("<div class='comments-list'>" + "".join(
        f"<div class='comment'><p>{p} {p}</p></div>" for p in STORY) + "</div>")
    article = _story(_story_page(f"<div class='entry-content'>{_paras(STORY[:2])}</div>", after=comments))
    assert article.body == "\n\n".join(STORY[:2])


def test_long_captions_between_the_paragraphs_are_not_body():
    """Two captions of three sentences each, set as a <p> beside the image in a box classed "media"
    (no caption word): their closing photo credit makes them captions, not story paragraphs."""
    def figure(n):
        return (f"<div class='media'><img src='/img/{n}.jpg'><p>{STORY[n]} Warga menyaksikan perbaikan itu "
                f"dari pinggir jalan sejak pagi. (Foto: Dok. Humas Pemkot Serang)</p></div>")
    body = f"<div class='entry-content'>{_paras(STORY[:2])}{figure(1)}{_paras(STORY[2:4])}{figure(3)}" \
           f"{_paras(STORY[4:])}</div>"
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


@pytest.mark.parametrize("note", [
    "Dewi Anggraini adalah jurnalis Kabar Serang yang meliput pemerintahan dan lingkungan sejak 2012.",
    "Hubungi Dewi Anggraini di dewi@kabarserang.example atau ikuti dia di media sosial.",
])
def test_a_note_about_the_writer_closing_the_story_is_not_body(note):
    """The byline names Dewi Anggraini; the story's last line is about her (a biography, a contact
    line): a note about the writer, no part of the story."""
    article = _story(_story_page(f"<div class='entry-content'>{_paras(STORY)}<p>{note}</p></div>"))
    assert article.author == "Dewi Anggraini"
    assert article.body == "\n\n".join(STORY)


def test_a_closing_sentence_naming_the_writer_late_stays():
    """A story's last sentence may name the writer as the one spoken to: late in the sentence, it
    is the story's."""
    last = "Perbaikan itu akan diawasi langsung oleh wali kota, kata Rahmat kepada Dewi Anggraini di Serang."
    article = _story(_story_page(f"<div class='entry-content'>{_paras(STORY)}<p>{last}</p></div>"))
    assert article.body == "\n\n".join([*STORY, last])


COMMENTERS = ["Budi Santoso", "anak_rantau88", "Siti Rahma", "Dedi K", "warga_kaujon", "Rina Marlina",
              "Agus Salim", "Yuli", "pengendara_malam", "Hendra W", "Lilis", "Tono Sutono"]


def test_long_thread_of_comments_without_class_words_yields_to_the_story():
    """Mechanism 7 on a template whose class names say nothing (hashed or per-item): 36 comments
    holding six times the story's prose, each item classed by its writer ("c-x7 by-budi odd"), so
    few share a class. The items still open with the loop's own class word; the story above them is
    several times longer than one comment: the story is the body, the thread is not."""
    comments = "<ol class='k2'>" + "".join(
        f"<li class='c-x7 by-{name.split()[0].lower()} {'odd' if i % 2 else 'even'}'><div><b>{name}</b> "
        f"<span>{i + 1} jam lalu</span></div><p>{STORY[i % len(STORY)]}</p></li>"
        for i, name in enumerate(COMMENTERS * 3)) + "</ol>"
    body = f"<div class='f3'>{_paras(STORY)}</div>"
    html = _story_page(body, after=f"<div class='q9'><h3>36 Tanggapan</h3>{comments}</div>", sidebar=False)
    assert _story(html.replace("post-title", "t1")).body == "\n\n".join(STORY)


def test_teaser_cards_with_summaries_inside_the_story_area_are_removed():
    """Mechanism 1/7: cards of other stories (headline link and summary), not link-dense, after the story."""
    cards = ("<div class='more-news'>" + "".join(
        f"<article class='card'><span class='kicker'>Daerah</span><h3><a href='/x/{i}'>{t}</a></h3>"
        f"<p>Ringkasan berita ini ditulis oleh redaksi untuk pembaca yang ingin tahu lebih banyak.</p></article>"
        for i, t in enumerate(TEASERS[:5])) + "</div>")
    article = _story(_story_page(f"<div class='entry-content'>{_paras(STORY)}{cards}</div>"))
    assert article.body == "\n\n".join(STORY)


def test_story_in_one_paragraph_split_by_breaks_outweighs_a_list_without_classes():
    """An old template: the whole story in one <p> whose paragraphs are split by <br><br>, beside a
    ranked list of ten dated teasers laid out on indented lines, and no class names anywhere to
    tell them apart. Each paragraph of the <p> earns its length points, as in a <div> split by
    <br> pairs; counted as one paragraph, the story lost to the list."""
    story = "<br><br>".join(STORY)
    indent = "\n" + " " * 8
    ranked = "<ul>" + "".join(
        f"<li>{indent}<div>0{i + 1}</div>{indent}<div>{indent}<span>Senin, 02/12/2019 0{i % 10}:15 WIB</span>"
        f"<h6>FotoSERANG</h6>{indent}<h5><a href='/berita/{i}/{i}'>{t}</a></h5>{indent}</div>{indent}</li>"
        for i, t in enumerate((TEASERS * 2)[:10])) + "</ul>"
    html = (f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{STORY_TITLE} - Kabar Serang</title>"
            f"</head><body><div><div><h1>{STORY_TITLE}</h1><div>Senin, 02 Des 2019 10:00 WIB</div>"
            f"<div><strong>Serang</strong> - <p>{story}</p></div></div><div><h4>Terpopuler</h4>{ranked}</div></div>"
            "</body></html>")
    assert _story(html).body.split("\n\n") == ["Serang - " + STORY[0], *STORY[1:]]


@pytest.mark.parametrize("cls", ["box-writer", "author-bio", "contributor", "info-wartawan"])
def test_writer_box_after_the_story_is_not_body(cls):
    """A box about the writer closes the story's container: a photo, the name, a sentence or two of
    biography (prose, so only the box's class words tell it from the story)."""
    box = (f"<div class='{cls}'><img src='/a.jpg' alt=''><h4>Dewi Anggraini</h4><p>Dewi Anggraini meliput "
           "pemerintahan dan lingkungan di Banten sejak 2012, setelah lima tahun menjadi guru di Lebak.</p></div>")
    body = f"<div class='entry-content'>{_paras(STORY)}{box}</div>"
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


def test_story_split_by_breaks_in_a_field_classed_meta_is_kept():
    """A CMS's rich-text field ("hs_cos_wrapper_meta_field") holds the story as text split by
    <br><br>, no <p>: its paragraphs protect it from the meta-class rule as <p>s would."""
    field = ("<span class='hs_cos_wrapper hs_cos_wrapper_meta_field hs_cos_wrapper_type_rich_text'>"
             + "<br><br>".join(STORY) + "</span>")
    body = f"<div class='post__column'><div class='wysiwyg'>{field}</div></div>"
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


def _summary_cards(n: int = 4) -> str:
    """More stories' cards: a long headline inside its link, a summary, a date."""
    return "".join(
        f"<div class='card'><a href='/berita/{i}/{i}'><h3>{t}, Warga Diminta Waspada Hingga Akhir Pekan Ini</h3></a>"
        f"<p>{STORY[(i + 3) % len(STORY)]}</p><span>0{i + 1}/12/2019</span></div>" for i, t in enumerate(TEASERS[:n]))


def test_short_story_with_more_cards_than_text_in_its_container_keeps_only_the_story():
    """A story's two paragraphs, and more stories' cards (with summaries, more text than the story)
    after them in the same container: the cards go, and the story's container is not traded for its
    header (headline, photographer, date), which a content class scores high."""
    body = (f"<div class='detail__body-text'>{_paras(STORY[:2])}"
            f"<div class='mt-6'><h2>Berita Lainnya</h2>{_summary_cards(6)}</div></div>")
    html = _story_page(body).replace(
        f"<h1 class='post-title'>{STORY_TITLE}</h1>",
        f"<div class='detail__header'><h1 class='detail__title'>{STORY_TITLE}</h1>"
        "<div class='detail__author'>Fotografer: Andi Setiawan - Kabar Serang</div>"
        "<div class='detail__date'>Senin, 2 Desember 2019 10:00 WIB</div></div>")
    assert _story(html).body == "\n\n".join(STORY[:2])


def test_live_blog_made_of_entries_is_the_story():
    """A list of items that is most of the container is the story itself (a live blog), not a teaser list."""
    entries = "".join(f"<div class='entry'><time>10:{10 + i}</time> <b>Dewi</b><p>{p}</p></div>"
                      for i, p in enumerate(STORY))
    article = _story(_story_page(f"<div class='live-blog'>{entries}</div>"))
    assert [p for p in STORY if p in article.body] == STORY


def test_class_with_a_meta_word_on_story_paragraphs():
    """A CMS names its paragraph class "editor-p": a sentence is story text whatever its class says."""
    body = "<div class='article-view'>" + "".join(f"<p class='editor-p'>{p}</p>" for p in STORY) + "</div>"
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


def test_tag_link_inside_a_sentence_keeps_its_words():
    """Mechanism 9: an in-text link classed "tag" is a word of the sentence, not a tag list."""
    first = ("Menteri Perhubungan <a class='tag-link' href='/tag/budi-karya'>Budi Karya Sumadi</a> meninjau "
             "perbaikan jalan di Serang bersama Wali Kota, Senin (2/12/2019), sebelum kembali ke Jakarta.")
    body = f"<div class='entry-content'><p>{first}</p>{_paras(STORY[1:])}<div class='post-tags'><a>jalan</a> " \
           "<a>banjir</a></div></div>"
    article = _story(_story_page(body))
    assert article.body.split("\n\n")[0].startswith("Menteri Perhubungan Budi Karya Sumadi meninjau")
    assert "banjir\n" not in article.body and not article.body.endswith("banjir")


@pytest.mark.parametrize("split", [False, True])
def test_subheadings_classed_subtitle_after_the_prose_are_story_text(split):
    """A template that classes the deck and the story's subheadings alike ("subtitle"), and puts a
    table of contents' jump target (``<a name>``, no href) in each subheading: the deck under the
    headline goes, the subheadings after the prose stay; with ``split`` each section is a box of
    its own (the story cut into same-class parts)."""
    deck = "Empat belas ruas jalan yang rusak akibat banjir mulai diperbaiki"
    subs = ["Warga menyambut baik", "Target rampung Desember"]

    def section(i, sub, paras):
        head = f"<h3 class='subtitle'><a name='sprung{i}' class='jumpLabel'>{sub}</a></h3>" if sub else ""
        return f"<div class='box'>{head}{_paras(paras)}</div>"

    if split:
        body = (f"<h2 class='subtitle'>{deck}</h2>" + section(0, None, STORY[:2]) + section(1, subs[0], STORY[2:4])
                + section(2, subs[1], STORY[4:]))
    else:
        body = (f"<h2 class='subtitle'>{deck}</h2><div class='box'>{_paras(STORY[:2])}"
                f"<h3 class='subtitle'><a name='s1' class='jumpLabel'>{subs[0]}</a></h3>{_paras(STORY[2:4])}"
                f"<h3 class='subtitle'><a name='s2' class='jumpLabel'>{subs[1]}</a></h3>{_paras(STORY[4:])}</div>")
    article = _story(_story_page(f"<div class='article-text'>{body}</div>"))
    assert article.body == "\n\n".join([*STORY[:2], subs[0], *STORY[2:4], subs[1], *STORY[4:]])


def test_deck_repeating_the_description_is_not_body():
    """The deck (standfirst) styled apart from the story's paragraphs and repeating the description."""
    deck = "Empat belas ruas jalan yang rusak akibat banjir pekan lalu mulai diperbaiki dengan dana darurat."
    body = f"<div class='entry-content'><p class='article-lead'>{deck}</p>{_paras(STORY)}</div>"
    article = _story(_story_page(body, head=f"<meta name='description' content='{deck}'>"))
    assert article.body == "\n\n".join(STORY)


def test_first_paragraph_that_is_also_the_description_stays():
    head = f"<meta name='description' content='{STORY[0][:120]}'>"
    assert _story(_story_page(f"<div class='entry-content'>{_paras(STORY)}</div>", head=head)).body == \
        "\n\n".join(STORY)


def test_story_drawn_by_javascript_is_read_from_the_script_state():
    """A page whose visible body is an empty mount point carries the story's HTML in a script's JSON."""
    state = json.dumps({"article": {"contentHtml": _paras(STORY)}}).replace("<", "\\u003c").replace(">", "\\u003e")
    body = f"<div id='root'></div><script>window.__STATE__ = {state};</script>"
    article = _story(_story_page(body))
    assert article.body == "\n\n".join(STORY) and article.provenance["body"] == "script"


def test_deck_beside_the_story_container_is_not_body():
    """The deck as a paragraph of its own class beside the story's container (so a content root of
    its own), repeating og:description: not story text."""
    deck = "Empat belas ruas jalan yang rusak akibat banjir pekan lalu mulai diperbaiki dengan dana darurat."
    body = (f"<div class='article-content'><p class='article__teaser'>{deck}</p>"
            f"<div class='article-content__child'>{_paras(STORY)}</div></div>")
    article = _story(_story_page(body, head=f"<meta property='og:description' content='{deck}'>"))
    assert article.body == "\n\n".join(STORY)


def test_one_line_deck_styled_as_text_does_not_outscore_the_story():
    """A content class ("text-body") is no bonus for a block whose text earned almost nothing."""
    body = (f"<div class='text-body article-lead'>Jalan rusak diperbaiki.</div>"
            f"<div class='g55 col'><div class='article-body'>{_paras(STORY[:2])}</div><h2>Jembatan</h2>"
            f"<div class='article-body'>{_paras(STORY[2:])}</div></div>")
    assert STORY[5] in _story(_story_page(body)).body


# ------------------------------------------------------------------------------------ issue 10, round 3


def test_related_posts_loop_after_a_short_story_is_not_body():
    """Teaser cards of a CMS loop (one <article> per post, classes naming each post's id, format and
    categories) score higher than a one-paragraph story: the block holding the headline is the story."""
    cards = "".join(
        f"<article class='fundo postbox post-{70 + i} post type-post status-publish format-{fmt} hentry "
        f"category-{cat}'><div><a class='baixar'>Whatsapp</a> <a class='baixar'>Facebook</a></div>"
        f"<p>{p} {p}</p></article>"
        for i, (fmt, cat, p) in enumerate(zip(["link", "standard", "image", "standard", "standard"],
                                              ["daerah", "ekonomi", "hukum", "daerah", "olahraga"], STORY[1:],
                                              strict=True)))
    html = (f"<html><head><title>{STORY_TITLE}</title></head><body><div id='primary'>"
            f"<article class='fundo articlebox post-9 post type-post status-publish'><h1>{STORY_TITLE}</h1>"
            f"<p>{STORY[0]}</p></article><article class='fundo postbox post-9'><h3>Baca juga</h3>{cards}</article>"
            "</div></body></html>")
    assert _story(html).body == STORY[0]


def test_story_part_holding_a_rail_of_teasers_keeps_its_paragraphs():
    """A block of the story holding a related rail (and a short paragraph that is mostly a link) is
    the story around a list, not a list: the rail goes, the paragraphs stay."""
    rail = ("<div class='rail'><div class='swiper'>" + "".join(
        f"<div class='slide'><a href='/2019/11/{i}/x'>{t}</a></div>" for i, t in enumerate(TEASERS[:4]))
        + "</div></div>")
    linked = "<p>Simak <a href='/2019/12/01/banjir-serang'>laporan lengkap banjir Serang pekan lalu</a>.</p>"
    body = (f"<div class='article__content'>{_paras(STORY[:3])}</div><h2>Jembatan juga diperiksa</h2>"
            f"<div>{_paras(STORY[3:5])}{linked}{rail}</div><div>{_paras(STORY[5:])}</div>")
    got = _story(_story_page(body)).body
    assert all(p in got for p in STORY) and not any(t in got for t in TEASERS[:4])


def test_story_split_beside_rows_of_topic_buttons_and_captions_is_read_whole():
    """The climb counts what the cleaning keeps: rows of topic links, captions and meta rows do not
    stop the story's container from growing over its parts."""
    buttons = "".join(
        "<div class='article-mtl'><div class='mtl'>" + "".join(f"<a href='/topik/{w}'>{w}</a>" for w in words)
        + "</div></div>"
        for words in (["Serang", "Banjir", "Jalan", "PUPR", "Cilegon"], ["Walantaka", "Jembatan", "BMKG", "Hujan"]))
    html = _story_page(
        f"<article><div class='article-body'>{_paras(STORY[:2])}</div>"
        "<figure class='photo'><img src='/a.jpg'><figcaption>Jalan rusak di Serang (Foto: Dok)</figcaption></figure>"
        f"<div>{_paras(STORY[2:4])}</div><div class='author'>Dewi Anggraini</div>"
        f"<div>{_paras(STORY[4:])}</div>{buttons}</article>")
    got = _story(html).body
    assert got == "\n\n".join(STORY)


def test_story_parts_whose_class_names_furniture_are_kept():
    """Same-class parts of a story cut by ad slots stay, whatever their class says ("overlay" is a
    furniture word, the template uses it for the story's body)."""
    cls = "article__body article-overlay-handle"
    ad = "<div class='mb-4 text-center'><small>Advertisement</small><div id='slot-7'></div></div>"
    body = (f"<div class='{cls}'>{_paras(STORY[:2])}</div>{ad}<div class='{cls}'>{_paras(STORY[2:4])}</div>{ad}"
            f"<div class='{cls}'>{_paras(STORY[4:])}</div>")
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


def test_story_in_a_text_widget_frame_is_kept():
    """CMS page builders frame every widget, text ones too ("elementor-widget-container"): a short
    story in such frames is no widget."""
    frame = "<div class='elementor-element elementor-widget elementor-widget-theme-post-content'>" \
            "<div class='elementor-widget-container'>{}</div></div>"
    body = frame.format(_paras(STORY[:2])) + "<div class='iklan'><ins class='adsbygoogle'></ins></div>" + \
        frame.format(_paras(STORY[2:4]))
    assert _story(_story_page(body)).body == "\n\n".join(STORY[:4])


_TEXT_WIDGET = ("<div class='elementor-element elementor-widget elementor-widget-text-editor'><div "
                "class='elementor-widget-container'><div class='elementor-text-editor'>{}</div></div></div>")


@pytest.mark.parametrize("box", [
    "<div><div><div>{}</div></div></div>",
    "<div class='block block-text'><div class='inner'><div class='text-body'>{}</div></div></div>",
    "<section><div class='col'>{}</div></section>",
    _TEXT_WIDGET,
])
def test_story_whose_every_paragraph_is_boxed_is_read_whole(box):
    """Component and page-builder templates box each paragraph in <div>s of its own: a box around one
    paragraph is that paragraph. Its vote reaches the story's container undiminished, its class names
    a paragraph style (no container bonus), and the page builder's "widget" boxes of the story's
    paragraphs are no sidebar widgets."""
    related = "<ul class='related'>" + "".join(
        f"<li><a href='/berita/{i}/baca'>{t}</a></li>" for i, t in enumerate(TEASERS[:5])) + "</ul>"
    body = "<div class='content-inner'>" + "".join(box.format(f"<p>{p}</p>") for p in STORY) + related + "</div>"
    html = _story_page(body).replace("</main>", "</main><div class='col-md-4'><div class='intro'>"
                                     f"<p class='lead'>{LONG_NOTE}</p><p class='lead'>{LONG_NOTE}</p></div></div>")
    assert _story(html).body == "\n\n".join(STORY)


LONG_NOTE = ("Kabar Serang adalah media daring yang terbit sejak 2012 di Kota Serang, dikelola oleh para "
             "wartawan yang lama meliput di Banten, Tangerang, Cilegon dan sekitarnya.")


def test_one_widget_holding_the_containers_only_paragraph_elements_still_goes():
    """The run rule needs boxes side by side: one call-to-action widget holding the only <p>s of a
    container whose story paragraphs are <div>s is furniture still."""
    letter = ("<div class='zone-widget zone-widget-cta-letter'><h3>Sepatah Kata untuk Pembaca Setia</h3>"
              "<p>Tim kami terdiri atas wartawan, editor dan fotografer yang tinggal di kota-kota kecil di "
              "seluruh provinsi.</p><p>Kami percaya berita daerah yang akurat membantu warga mengambil keputusan "
              "yang baik bagi keluarganya.</p></div>")
    half = "".join(f"<div class='paragraph'>{p}</div>" for p in STORY[:3])
    rest = "".join(f"<div class='paragraph'>{p}</div>" for p in STORY[3:])
    body = _story(_story_page(f"<div class='content'>{half}{letter}{rest}</div>")).body
    assert body == "\n\n".join(STORY)


def test_story_in_a_page_builders_content_widget_is_kept():
    """Elementor's post-content widget: "elementor-widget-container" is a frame, not a sidebar widget, so
    its class does not weigh against the story."""
    body = ("<div class='elementor-element elementor-element-a81c0d2 elementor-widget "
            "elementor-widget-theme-post-content' data-widget_type='theme-post-content.default'>"
            f"<div class='elementor-widget-container'>{_paras(STORY[:4])}</div></div>")
    html = _story_page(body).replace("</main>", "</main><div class='col-md-4'><div class='intro'>"
                                     f"<p class='lead'>{LONG_NOTE}</p><p class='lead'>{LONG_NOTE}</p></div></div>")
    assert _story(html).body == "\n\n".join(STORY[:4])


def test_lead_paragraph_apart_from_the_rest_of_the_story_is_kept():
    """The lead in a block of the story's class, the rest one level apart: a single paragraph is no
    reason to grow the container, but no reason to stop either."""
    body = (f"<section class='zn-body'><div class='l-container'><div class='zn-body__paragraph speakable'>"
            f"{STORY[0]}</div></div><div class='wrap'><div class='zn-body__paragraph'>{STORY[1]}</div>"
            "<div class='zn-body__read-all'>"
            + "".join(f"<div class='zn-body__paragraph'>{p}</div>" for p in STORY[2:]) + "</div></div></section>")
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


def test_microdata_date_inside_the_story_is_not_body():
    body = (f"<div class='articleBody'><span class='data' itemprop='datePublished'>segunda-feira, 2 de dezembro de "
            f"2019 às 10:00</span>{_paras(STORY)}</div>")
    assert _story(_story_page(body)).body == "\n\n".join(STORY)


def test_row_of_tag_links_goes_but_a_story_paragraph_of_linked_places_stays():
    """A row of three or more links styled unlike the story is tags; a story paragraph whose place
    names are each linked to their topic page is text."""
    places = ("<p><a href='/area/banten'>Banten</a>: <a href='/topik/serang'>Serang</a>, "
              "<a href='/topik/cilegon'>Cilegon</a></p>")
    tags = ("<div class='keywords-box'><strong>Tags</strong> " + ", ".join(
        f"<a href='/tag/{w}'>{w} banjir serang</a>" for w in ("jalan", "jembatan", "pupr", "walantaka")) + "</div>")
    body = f"<div class='entry-content'>{_paras(STORY[:3])}{places}{_paras(STORY[3:])}{tags}</div>"
    got = _story(_story_page(body)).body.split("\n\n")
    assert got == [*STORY[:3], "Banten: Serang, Cilegon", *STORY[3:]]


def test_hover_card_of_a_name_inside_a_sentence_is_not_body():
    """A name in a sentence carries a hover card listing the person's latest stories (all links)."""
    card = ("<span class='rollover-people'><a href='/people/rahmat'>Rahmat Hidayat</a><span class='rollover-block'>"
            "<img src='/r.jpg'><a href='/people/rahmat'>Rahmat Hidayat</a>" + "".join(
                f"<a href='/2019/11/{i}/x'>{t}</a> " for i, t in enumerate(TEASERS[:3]))
            + "<a class='more' href='/people/rahmat'>MORE</a></span></span>")
    first = (f"Pemerintah Kota Serang mulai memperbaiki 14 ruas jalan, kata Kepala Dinas PUPR {card} "
             "kepada wartawan, Senin (2/12/2019).")
    body = f"<div class='entry-content'><p>{first}</p>{_paras(STORY[1:])}</div>"
    got = _story(_story_page(body)).body.split("\n\n")
    assert got[0] == ("Pemerintah Kota Serang mulai memperbaiki 14 ruas jalan, kata Kepala Dinas PUPR Rahmat Hidayat "
                      "kepada wartawan, Senin (2/12/2019).")
    assert got[1:] == STORY[1:]


@pytest.mark.parametrize(("shown", "meta", "expected"), [
    # a theme's typography (curly quotes) over the headline as stored: the stored form
    ("Serang Siapkan ‘Jalan Mulus’ Sebelum Musim Hujan", "Serang Siapkan 'Jalan Mulus' Sebelum Musim Hujan",
     "Serang Siapkan 'Jalan Mulus' Sebelum Musim Hujan"),
    ("“Kami Tidak Menyerah” – Warga Serang Tambal Jalan Sendiri", "Kami Tidak Menyerah - Warga Serang Tambal Jalan Sendiri",
     "Kami Tidak Menyerah - Warga Serang Tambal Jalan Sendiri"),
    # other words: the headline as shown
    ("Serang Siapkan Jalan Mulus Sebelum Musim Hujan Tiba", "Serang Siapkan Jalan Mulus Sebelum Musim Hujan",
     "Serang Siapkan Jalan Mulus Sebelum Musim Hujan Tiba"),
])
def test_title_in_the_plainest_typography_the_page_gives_it(shown, meta, expected):
    html = (f"<html><head><title>{meta} - Kabar Serang</title><meta property='og:title' content=\"{meta}\"></head>"
            f"<body><h1>{shown}</h1><div class='entry-content'>{_paras(STORY)}</div></body></html>")
    assert _story(html).title == expected


def test_titles_of_the_pages_of_a_story_in_one_html_are_kept():
    """A multi-page story whose pages are blocks of one class, each after its own title heading."""
    pages = [STORY[:2], STORY[2:4], STORY[4:]]
    titles = ["Perbaikan Dimulai", "Warga Menyambut Baik", "Jembatan Juga Diperiksa"]
    hidden = " style='display:none'"
    body = "".join(
        f"<div class='page-item' data-page='{i + 1}'{'' if i == 0 else hidden}>"
        f"<div class='page-item__title'><h2>{t}</h2></div><div class='page-item__content'>{_paras(p)}</div></div>"
        for i, (t, p) in enumerate(zip(titles, pages, strict=True)))
    got = _story(_story_page(body)).body.split("\n\n")
    assert got == [titles[0], *pages[0], titles[1], *pages[1], titles[2], *pages[2]]


def test_headline_in_a_classed_block_of_a_page_without_metadata():
    """No h1, no og:title, no JSON-LD, a <title> that is the site's name: the headline-classed block
    right above the story is the headline, and no line of the body."""
    html = ("<html><head><title>Kabar Serang</title></head><body><table><tr><td><div class='judul'>"
            f"{STORY_TITLE}</div><div class='isi'>{'<br><br>'.join(STORY)}</div></td><td class='side'>"
            + "".join(f"<a href='/index.php?id={i}'>{t}</a><br>" for i, t in enumerate(TEASERS)) + "</td></tr></table>"
            "</body></html>")
    article = _story(html, "https://kabarserang.example/index.php?mod=berita&id=4871")
    assert article.title == STORY_TITLE and article.body == "\n\n".join(STORY)


@pytest.mark.parametrize("paragraphs", [PARAS, PARAS[:1]])
def test_a_story_rendered_twice_is_kept_once(paragraphs):
    """A template printing the story for wide screens and again for small ones (one copy hidden by a
    CSS class a stylesheet defines): the body holds it once, however long it is."""
    copy = "".join(f"<p>{p}</p>" for p in paragraphs)
    body = f"<div class='d-none d-md-block'>{copy}</div><div class='d-block d-md-none'>{copy}</div>"
    assert _extract(_page_html(body=body)).body.split("\n\n") == paragraphs


def test_runs_a_story_repeats_itself_stay():
    """A plan printed per day repeats its lines; only a run repeating most of the text before it is a copy."""
    day = ["Sarapan: dua butir telur rebus, satu gelas susu, dan setengah cangkir ubi rebus tanpa gula.",
           "Makan siang: nasi merah, sayur bening bayam, tempe bacem, dan sepotong pepaya."]
    plan = [PARAS[0], PARAS[1], "Hari pertama", *day, PARAS[2], "Hari kedua", *day, PARAS[3]]
    body = "".join(f"<p>{p}</p>" for p in plan)
    assert _extract(_page_html(body=body)).body.split("\n\n") == plan


NEXT_STORY = [
    "Pemerintah Kabupaten Pandeglang mulai memperbaiki jalan provinsi yang rusak di Kecamatan Labuan sepanjang "
    "tujuh kilometer, Kamis (28/11/2019), setelah warga berbulan-bulan mengeluhkan lubang di jalur itu.",
    "Kepala Dinas PUPR Pandeglang mengatakan perbaikan ditargetkan selesai sebelum libur akhir tahun, agar arus "
    "wisatawan menuju pantai Carita dan Tanjung Lesung tidak terganggu.",
    "Warga berharap perbaikan kali ini memakai beton, bukan aspal tipis yang kembali rusak setelah musim hujan "
    "datang dan truk pasir melintas setiap hari.",
]


@pytest.mark.parametrize("inside_article", [False, True])
def test_the_next_story_of_an_endless_page_is_not_this_one(inside_article):
    """An endless page draws the next story after this one in the same template (its h1, date and
    an entry-content block of the same class): the body is this story's alone."""
    nxt = ("<div class='next-article' data-url='/2019/11/28/jalan-labuan'><article>"
           "<h1 class='entry-title'>Jalan Provinsi di Labuan Mulai Diperbaiki</h1>"
           "<div class='date'>Kamis, 28 November 2019 15:10 WIB</div><div class='entry-content'>"
           + "".join(f"<p>{p}</p>" for p in NEXT_STORY) + "</div></article></div>")
    html = _page_html(after_body=nxt) if inside_article else _page_html().replace("</article></main>",
                                                                                 f"</article>{nxt}</main>")
    article = _extract(html)
    assert article.title == "Pemkab Lebak Gelar Seminar Reformasi Koperasi"
    assert article.body == "\n\n".join(PARAS)


def test_an_h1_under_the_headline_or_a_linked_one_is_no_other_story():
    """A deck set as an h1 right under the headline (no story text before it yet) and a linked h1
    of a teaser card between the story's paragraphs head no other story: the story stays whole."""
    deck = "<h1 class='tdb-subtitle'>Ratusan pelaku usaha hadir, pemateri dari kementerian</h1>"
    assert _extract(_page_html(before_body=deck)).body == "\n\n".join(PARAS)
    card = ("<div class='embed-card'><h1 class='entry-title'><a href='/2019/11/20/pasar-murah'>Pasar Murah "
            "Digelar di Alun-alun Rangkasbitung</a></h1></div>")
    body = f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p></div>{card}<div class='entry-content'><p>{PARAS[2]}</p><p>{PARAS[3]}</p>"
    article = _extract(_page_html(body=body))
    assert all(p in article.body for p in PARAS)
