"""The cleaner: element rules, flattening and the Indonesian line rules."""

from __future__ import annotations

import lxml.html
import pytest

from pipelines.clean import (
    Block,
    attr_tokens,
    clean_blocks,
    drop_elements,
    flatten,
    is_boilerplate_element,
    is_boilerplate_line,
    is_caption_box,
)

TEXT = "Kepala Dinas Koperasi Lebak Babay Imroni mengatakan seminar itu digelar untuk memotivasi pelaku usaha."


def _el(html: str):
    return lxml.html.fragment_fromstring(html, create_parent="div")[0]


# ------------------------------------------------------------------------------------ lines


@pytest.mark.parametrize("line", [
    "Baca juga: Banjir Rendam 300 Rumah di Lebak",
    "Baca Juga",
    "BACA JUGA:",
    "Baca: Jawaban Soal SMP Belajar dari Rumah",
    "Baca Selanjutnya: Kakak Kelas",
    "Berita Terkait",
    "Jangan Lewatkan!",
    "Lihat juga video pilihan redaksi",
    "Halaman selanjutnya",
    "Halaman 1 dari 3 2 3 Selanjutnya Lihat Semua",
    "1 2 3 4",
    "Selenngkapnya",
    "ADVERTISEMENT",
    "SCROLL TO CONTINUE WITH CONTENT",
    "Iklan - Geser ke atas untuk melanjutkan.",
    "[Gambas:Video kabarjabar]",
    "Simak Video \"Detik-detik Truk Terperosok\"",
    "BREAKING NEWS",
    "Skeleton Image",
    "Berita Terbaru",
    "Bagikan:",
    "Share on Facebook",
    "Tweet",
    "Ikuti kami di Google News",
    "Dapatkan update berita pilihan dan breaking news setiap hari dari Kabar.com",
    "Pewarta: Nur Aisyah",
    "Editor: Hasan Basri",
    "Reporter : Rahmi Aulia",
    "Penulis: iwan Setiawan | Editor: rahmawati",
    "Sumber: Kantor Berita Nusa",
    "Laporan Wartawan Warta Timur, Andi Makkasau",
    "Tim Redaksi",
    "COPYRIGHT © KBN 2016",
    "Ilustrasi sakit kepala. ©www.dailymail.co.uk",
    "Copyright @ 2023 kabarjabar. All right reserved",
    "Kamis, 28 November 2019 14:30 WIB",
    "KabarNusa.com - 14/06/2021, 16:20 WIB",
    "Tags: koperasi, Lebak",
    "#JernihBerkomentar",
    "Komentar Pembaca",
    "Leave a Reply",
])
def test_boilerplate_lines(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    TEXT,
    "Baca tulis menjadi syarat utama, kata Kepala Sekolah SDN 1 Rangkasbitung, Kamis (28/11/2019).",
    "Oleh karena itu, pemerintah daerah akan menambah anggaran koperasi pada 2020.",
    "Pada 2020 ada 3 dari 5 desa yang ikut program itu.",
    "Editor senior majalah itu, Budi, mengatakan bahwa tiras turun.",
    "Persaingan",
    "LEBAK – Dinas Pertanian Kabupaten Lebak menggelar pelatihan.",
])
def test_article_lines_are_kept(line):
    assert not is_boilerplate_line(line)


def test_profile_drop_lines_are_applied_on_top():
    import re

    assert is_boilerplate_line("Ikuti Lebak Pos di Google News", [re.compile("^Ikuti Lebak Pos")])


# ------------------------------------------------------------------------------------ blocks


def test_related_list_after_label_is_dropped():
    blocks = [Block(TEXT), Block("Baca Juga"), Block("Banjir di Lebak Rendam 300 Rumah", link_chars=31),
              Block("Jembatan Putus di Cibadak", link_chars=25, tag="li"), Block(TEXT + " Lagi.")]
    assert clean_blocks(blocks) == [TEXT, TEXT + " Lagi."]


@pytest.mark.parametrize("last, expected", [
    (TEXT + " (do)", TEXT),
    (TEXT + " (rin/dwa)", TEXT),
    (TEXT + " (kbn/sar/tio)", TEXT),
    (TEXT + " (Ani/Rud)", TEXT),
    (TEXT + " (*/Dul)", TEXT),
    (TEXT + " (*)", TEXT),
    (TEXT + " [skt/yud]", TEXT),
    (TEXT + " dari Asian Development Bank (ADB)", TEXT + " dari Asian Development Bank (ADB)"),
])
def test_trailing_initials(last, expected):
    assert clean_blocks([Block(TEXT), Block(last)]) == [TEXT, expected]


def test_initials_alone_on_the_last_line():
    assert clean_blocks([Block(TEXT), Block("(skt/ank)")]) == [TEXT]


@pytest.mark.parametrize("dateline", ["Jakarta -", "JAKARTA, KABARNUSA.com —", "Kabar6.com, Jakarta -",
                                      "ISTANBUL, 23 Februari 2016 (KBN/PRWire) --"])
def test_dateline_alone_is_joined_to_the_next_paragraph(dateline):
    assert clean_blocks([Block(dateline), Block(TEXT)]) == [f"{dateline} {TEXT}"]


def test_headline_and_kicker_before_it_are_dropped():
    blocks = [Block("Ekonomi"), Block("Seminar Koperasi di Lebak"), Block(TEXT)]
    assert clean_blocks(blocks, title="Seminar Koperasi di Lebak") == [TEXT]


def test_photo_caption_with_credit_is_dropped():
    caption = "Warga memadati pantai saat festival budaya di Makassar. (REUTERS/Andi Baso)"
    assert clean_blocks([Block(caption), Block(TEXT)]) == [TEXT]


def test_inline_baca_juga_glued_into_a_paragraph_is_cut():
    text = ("Empat mahasiswa dipulangkan pada Kamis malam. Baca juga: LBH minta polisi menangkap pelaku "
            "“Saya mendampingi mereka,” katanya.")
    assert clean_blocks([Block(text)]) == ["Empat mahasiswa dipulangkan pada Kamis malam. “Saya mendampingi "
                                           "mereka,” katanya."]


# ------------------------------------------------------------------------------------ elements


def test_attr_tokens_split_bem_and_camel_case():
    assert attr_tokens(_el('<div class="read__content shareBar" id="main-body"></div>')) == {
        "read", "content", "share", "bar", "main", "body"}


@pytest.mark.parametrize("html", [
    '<div class="share-buttons">x</div>', '<div class="baca-juga">x</div>', '<ins class="adsbygoogle"></ins>',
    '<div id="div-gpt-ad-123"></div>', '<div class="related-posts">x</div>', '<nav>x</nav>',
    '<div class="widget_recent_entries">x</div>', '<div class="skeleton">x</div>', '<div id="disqus_thread"></div>',
    '<div class="news-ticker">x</div>', '<div role="navigation">x</div>',
])
def test_boilerplate_elements(html):
    assert is_boilerplate_element(_el(html))


@pytest.mark.parametrize("html", [
    '<div class="entry-content">x</div>', '<div class="read__content">x</div>', '<div class="article-body">x</div>',
    '<article class="post tag-koperasi category-ekonomi">x</article>', '<div class="has-sidebar">x</div>',
    '<div class="content-related-wrap">x</div>',
])
def test_content_elements_are_kept(html):
    assert not is_boilerplate_element(_el(html))


def test_container_rules_only_inside_the_article():
    el = _el('<div class="post-tags">koperasi, Lebak</div>')
    assert not is_boilerplate_element(el) and is_boilerplate_element(el, inside=True)


def test_furniture_holding_the_story_is_kept():
    paras = "".join(f"<p>{TEXT}</p>" for _ in range(6))
    assert not is_boilerplate_element(_el(f'<form id="aspnetForm">{paras}</form>'))


def test_caption_box():
    assert is_caption_box(_el('<div><img src="a.jpg"><span>Jembatan Cibadak yang putus (ist)</span></div>'))
    assert not is_caption_box(_el(f'<div><img src="a.jpg"><p>{TEXT}</p></div>'))


def test_drop_elements_keeps_hidden_paging_blocks_and_tails():
    root = _el('<div><p>Satu.</p><div style="display:none" class="paging-content" data-paging_num="2">'
               '<p>Dua.</p></div><p style="display:none">Baca juga:</p><span class="share">Bagikan</span>'
               ' ekor teks.</div>')
    drop_elements(root)
    assert [b.text for b in flatten(root)] == ["Satu.", "Dua.", "ekor teks."]


def test_flatten_blocks_and_links():
    root = _el("<div>Teks <a href='#'>tautan</a> di sini.<br><br><ul><li><a href='#'>Judul berita lain</a></li>"
               "</ul><table><tr><td>Penulis</td><td>: Ari Maulana</td></tr></table></div>")
    blocks = flatten(root)
    assert [b.text for b in blocks] == ["Teks tautan di sini.", "Judul berita lain", "Penulis : Ari Maulana"]
    assert blocks[1].link_density == 1.0 and blocks[1].tag == "li"
