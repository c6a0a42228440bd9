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
    is_hidden_by_class,
    item_groups,
    item_list_blocks,
    reads_as_sentence,
    teaser_items,
    teaser_lists,
)

TEXT = "Kepala Dinas Koperasi Lebak Babay Imroni mengatakan seminar itu digelar untuk memotivasi pelaku usaha."


def _el(html: str):
    return lxml.html.fragment_fromstring(html, create_parent="div")[0]


# ------------------------------------------------------------------------------------ lines


@pytest.mark.parametrize("line", [
    "Lesen Sie auch: Hochwasser in Sachsen – die Lage am Morgen",
    "Mehr zum Thema",
    "À lire aussi : La natalité russe menacée d’effondrement",
    "Lea también: El Gobierno aprueba la reforma",
    "Leia também: Chuva forte atinge São Paulo",
    "Leggi anche: Il governo approva la riforma",
])
def test_read_also_lines_in_other_languages_are_dropped(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "Lesen Sie auch, was der Minister dazu sagte.",
    "Mehr zum Thema Klima lesen Sie in unserem Dossier über die Folgen der Dürre.",
])
def test_read_also_words_in_a_sentence_are_kept(line):
    assert not is_boilerplate_line(line)


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
    # a timestamp after a label, and a byline with the outlet after it, in other languages too
    "Stand: 08.07.2026 05:00 Uhr",
    "Diperbarui: 14.06.2021 pukul 16:20 WIB",
    "von Engin Haupt, MDR SACHSEN-ANHALT",
    "Por Juan Pérez",
    "By John Smith, Reuters",
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
    "Par ailleurs, le ministre a dit",
    "Por fin, llegó la lluvia",
    "Von der Leyen sagte am Montag, es sei gut.",
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


@pytest.mark.parametrize("paragraph", ["<div>{}</div>", "<div><span class='css-1x2y3z'>{}</span></div>"])
def test_a_block_of_component_paragraphs_is_kept_whatever_its_class(paragraph):
    """A component template's story: each paragraph a <div> of inline text, no <p>, in a layout
    block whose class names a sidebar ("l-sidebar-fixed l-article-body-segment"): its paragraphs
    protect it as <p>s would. A sidebar of short teaser lines stays boilerplate."""
    story = "".join(paragraph.format(f"{TEXT} {TEXT}") for _ in range(6))
    assert not is_boilerplate_element(_el(f'<div class="l-sidebar-fixed l-article-body-segment">{story}</div>'))
    teasers = "".join(paragraph.format("Banjir Rendam 300 Rumah di Lebak") for _ in range(6))
    assert is_boilerplate_element(_el(f'<div class="l-sidebar-fixed">{teasers}</div>'))


def test_caption_box():
    assert is_caption_box(_el('<div><img src="a.jpg"><span>Jembatan Cibadak yang putus (ist)</span></div>'))
    assert not is_caption_box(_el(f'<div><img src="a.jpg"><p>{TEXT}</p></div>'))


@pytest.mark.parametrize("credit", ["(Foto: Dok. Humas Pemkab Lebak)", "(Photo: AP)", "[Bild: dpa]",
                                    "(ANTARA FOTO/Asep Fathulrahman)", "(NASA via AP, File)",
                                    "(AP Photo/Evan Vucci, File)"])
def test_long_caption_in_a_paragraph_closed_by_a_photo_credit_is_a_caption_box(credit):
    """A caption set as a <p> beside its image, longer than a short caption, in a box whose class
    says nothing ("media"): its closing photo credit tells it from a story's one-paragraph block."""
    caption = f"{TEXT} {TEXT} Warga memadati alun-alun Rangkasbitung sejak pagi. {credit}"
    assert is_caption_box(_el(f'<div class="media"><img src="a.jpg"><p>{caption}</p></div>'))
    assert not is_caption_box(_el(f'<div class="media"><img src="a.jpg"><p>{caption}</p><p>{TEXT}</p></div>'))


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


# ------------------------------------------------------------------------------------ shapes (issue 10)

TEASER = "<li><a href='/2019/11/{n}/x'>Jembatan Cibadak Putus Diterjang Banjir Bandang {n}</a></li>"


def test_teaser_list_is_found_by_link_density_whatever_its_class_and_heading():
    root = _el(f"<div><p>{TEXT}</p><div class='box-x'><h3>Lesen Sie auch</h3><ul>"
               + "".join(TEASER.format(n=n) for n in range(4)) + f"</ul></div><p>{TEXT}</p></div>")
    found = teaser_lists(root)
    assert [el.get("class") for el in found] == ["box-x"]


def test_links_inside_sentences_are_no_teaser_list():
    link = "<a href='/x'>Kepala Badan Penanggulangan Bencana Daerah</a>"
    root = _el(f"<div><p>Kata {link} kepada wartawan di lokasi banjir, Kamis sore, sambil menunjuk rumah.</p>" * 4
               + "</div>")
    assert teaser_lists(root) == []


def test_comment_thread_shape_is_an_item_list():
    item = "<div class='c'><b>Budi</b> <span>2 jam lalu</span><p>{}</p></div>"
    box = _el("<div><h3>3 Komentar</h3>" + "".join(item.format(TEXT) for _ in range(3)) + "</div>")
    assert [len(g) for g in item_groups(box)] == [3]


def test_items_whose_classes_differ_per_item_are_one_list():
    """WordPress's comment loop classes each item by its writer and parity ("comment byuser
    comment-author-budi even", "comment odd alt"): the loop's own word opens every class."""
    item = "<li class='{}'><b>Budi</b> <span>2 jam lalu</span><p>{}</p></li>"
    classes = ["comment byuser comment-author-budi even", "comment odd alt", "comment even by-siti",
               "comment odd alt by-anon"]
    box = _el("<ol>" + "".join(item.format(c, TEXT) for c in classes) + "</ol>")
    assert [len(g) for g in item_groups(box)] == [4]


@pytest.mark.parametrize("markup", [
    "<div><section><h2>Subjudul</h2><p>{t}</p><p>{t}</p></section>" * 3 + "</div>",  # story sections
    "<ul>" + "<li><b>Langkah 1:</b> {t}</li>" * 3 + "</ul>",  # a list with bold lead-ins
    "<div>" + "<div class='p'><p>{t}</p></div>" * 3 + "</div>",  # one wrapper per paragraph
])
def test_story_shapes_are_not_item_lists(markup):
    assert item_groups(_el(markup.format(t=TEXT))) == []


def test_item_lists_that_are_most_of_the_container_are_kept():
    item = "<div class='e'><time>10:15</time> <b>Dewi</b><p>{}</p></div>"
    live = _el("<div>" + "".join(item.format(TEXT) for _ in range(4)) + "</div>")
    assert item_list_blocks(live) == []


CARD_HEADLINE = "Ratusan Warga Pesisir Mengungsi ke Balai Desa Setelah Rob Merendam Rumah Mereka Sejak Kamis"


def _cards(href="/read/{n}/rob-pesisir", n=4, head="<a href='{href}'><h3>{h}</h3></a>"):
    """Other stories' cards: a linked headline longer than a name or a time, a summary, a date."""
    return "".join(f"<div class='card'>{head.format(href=href.format(n=i), h=CARD_HEADLINE)}<p>{TEXT}</p>"
                   f"<span>28/11/2019</span></div>" for i in range(n))


@pytest.mark.parametrize("head", [
    "<a href='{href}'><h3>{h}</h3></a>",  # a heading inside the link
    "<h3><a href='{href}'>{h}</a></h3>",  # a link inside the heading
])
def test_cards_with_long_linked_headlines_are_teaser_items(head):
    box = _el(f"<div><h2>Berita Lainnya</h2>{_cards(head=head)}</div>")
    (group,) = item_groups(box)
    assert len(group) == 4 and teaser_items(group)


def test_teaser_cards_go_even_when_they_are_most_of_the_container():
    """A short story (a photo story, a video's text) with more stories' cards after it in its
    container: the cards outweigh the story but are no live blog."""
    root = _el(f"<div><p>{TEXT}</p><div class='mt-6'><h2>Berita Lainnya</h2>{_cards()}</div></div>")
    assert [el.get("class") for el in item_list_blocks(root)] == ["mt-6"]


@pytest.mark.parametrize("href", [
    "#entry-{n}",  # a live blog's entries, linked to themselves
    "https://shop.example.org/item/{n}",  # a roundup's products, on another site than the page's
])
def test_items_linking_within_the_page_or_off_the_site_are_no_teasers(href):
    page = lxml.html.document_fromstring(
        "<html><head><link rel='canonical' href='https://www.bantenekspres.example/2019/11/28/x/'></head>"
        f"<body><div id='c'><p>{TEXT}</p>{_cards(href=href)}</div></body></html>")
    root = page.get_element_by_id("c")
    (group,) = item_groups(root)
    assert not teaser_items(group)
    assert item_list_blocks(root) == []  # most of the container: the story itself


BIO = ("<div class='{}'><img src='/a.jpg'><h4>Dewi Anggraini</h4><p>Dewi Anggraini meliput pemerintahan di "
       "Banten sejak 2012, setelah lima tahun menjadi guru di Lebak.</p></div>")


@pytest.mark.parametrize("cls", ["author-bio", "author-box", "box-writer", "contributor"])
def test_a_box_about_the_writer_is_boilerplate_inside_the_story(cls):
    assert is_boilerplate_element(_el(BIO.format(cls)), inside=True)


def test_taxonomy_words_of_a_wordpress_post_are_no_box_words():
    """post_class() names the post's author and tags beside its type and status: the post itself."""
    cls = "post-7816 post type-post status-publish format-standard hentry author-jdoe tag-koperasi"
    assert not is_boilerplate_element(_el(BIO.format(cls)), inside=True)


def test_hidden_by_utility_class():
    assert is_hidden_by_class(_el("<div class='paywall hidden'>x</div>"))
    assert is_hidden_by_class(_el("<div class='visually-hidden'>Isi artikel</div>"))
    assert not is_hidden_by_class(_el("<div class='hidden md:block'>x</div>"))
    assert not is_hidden_by_class(_el("<div class='hidden-xs'>x</div>"))


def test_drop_elements_keeps_a_collapsed_story_part_and_drops_a_hidden_pitch():
    root = _el(f"<div><p>{TEXT}</p><div class='more' hidden><p>{TEXT} Dua.</p><p>{TEXT} Tiga.</p></div>"
               "<div class='pitch hidden'><p class='pitch__text'>Berlangganan sekarang untuk membaca semua artikel "
               "premium kami tanpa batas di semua perangkat.</p><form><input type='email'></form></div></div>")
    drop_elements(root)
    assert [b.text for b in flatten(root)] == [TEXT, f"{TEXT} Dua.", f"{TEXT} Tiga."]


def test_a_collapsed_story_part_holding_a_newsletter_box_is_kept_without_the_box():
    """A form in a hidden block marks a paywall's pitch, unless it sits in a prompt box of its own
    beside more story paragraphs than a prompt holds: the later part collapsed behind "Lanjutkan
    Membaca", with a newsletter sign-up between its paragraphs."""
    box = ("<div class='inline-box'><h4>Newsletter</h4><p>Dapatkan berita pilihan setiap pagi langsung di email "
           "Anda.</p><form action='/subscribe'><input type='email'><button>Berlangganan</button></form></div>")
    rest = [f"{TEXT} {n}." for n in ("Dua", "Tiga", "Empat", "Lima", "Enam")]
    root = _el(f"<div><p>{TEXT}</p><div class='read__more-content' style='display:none'><p>{rest[0]}</p>{box}"
               + "".join(f"<p>{p}</p>" for p in rest[1:]) + "</div></div>")
    drop_elements(root)
    assert [b.text for b in flatten(root)] == [TEXT, *rest]


def test_drop_elements_removes_a_sign_up_box_around_a_form():
    root = _el(f"<div><p>{TEXT}</p><div><h4>Newsletter</h4><p>Dapatkan berita pilihan setiap pagi di email Anda."
               f"</p><form><input type='email'><button>Daftar</button></form></div><p>{TEXT}</p></div>")
    drop_elements(root)
    assert [b.text for b in flatten(root)] == [TEXT, TEXT]


def test_a_form_holding_the_page_is_not_a_box():
    root = _el(f"<div><form id='aspnetForm'>{''.join(f'<p>{TEXT}</p>' for _ in range(6))}"
               "<input type='text' name='q'></form></div>")
    drop_elements(root)
    assert len(flatten(root)) == 6


@pytest.mark.parametrize("text, expected", [
    ("Banjir merendam 300 rumah di Lebak sejak Kamis sore. (rin/dwa)", True),
    ("一方で、軍は13日、北部の戦闘で兵5人が死亡したと発表した。約100人の人質が拘束されている。【エルサレム松岡大地】", True),
    ("पुलिस ने चोरी कांड का खुलासा किया और दो आरोपियों को गिरफ्तार किया।", True),
    ("Reporter: Andi Makkasau", False),
    ("Tags: banjir, Lebak, musim hujan, BPBD, jalan rusak, jembatan", False),
])
def test_reads_as_sentence(text, expected):
    assert reads_as_sentence(text) is expected


def test_deck_is_dropped_only_when_styled_apart():
    deck = "Empat belas ruas jalan rusak mulai diperbaiki dengan dana darurat pemerintah kota."
    styled = [Block(deck, sig=("p", "lead")), Block(TEXT, sig=("p", None)), Block(TEXT, sig=("p", None))]
    plain = [Block(deck, sig=("p", None)), Block(TEXT, sig=("p", None)), Block(TEXT, sig=("p", None))]
    assert clean_blocks(styled, lead=deck) == [TEXT, TEXT]
    assert clean_blocks(plain, lead=deck) == [deck, TEXT, TEXT]


# ------------------------------------------------------------------------------------ issue 10, round 3


@pytest.mark.parametrize("line", [
    "Advert",
    "Anzeige",
    "[button link=”https://kabar.example/kirim/” type=”big”] Kirim ulasan Anda[/button]",
    "This slideshow requires JavaScript.",
    "Start your day with the Morning Brief. Sign up for the free daily newsletter.",
    "Get the latest updates right in your inbox. Subscribe to our newsletters.",
    "Get Kabar Motor delivered to your door every month. 12 issues for Rp 120.000. Click here for more information.",
    "Like this story? Share it with a friend!",
    "Facebook Twitter Google+ Whatsapp",
    # a paywall's label and pitch
    "Konten khusus pelanggan",
    "Subscriber-only",
    "Exklusiv für Abonnenten",
    "Berlangganan untuk membaca berita ini selengkapnya.",
    "Subscribe to continue reading.",
    "Sign in to read the full article",
    "Jetzt abonnieren und den ganzen Artikel lesen.",
])
def test_pitches_labels_and_unrendered_widgets_are_boilerplate_lines(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "The newsletter was sent to 300 subscribers last week, the company said in a statement on Monday.",
    "Google plans to open a data centre in Serang next year, the regional government said.",
    "Warga diminta klik tautan resmi pemerintah untuk mendaftar bantuan, bukan pesan berantai.",
    "Warga yang berlangganan air PDAM mengeluh karena meteran sulit dibaca petugas.",
    "Netflix subscribers in Indonesia rose 20 percent, the company said.",
    "Members",
])
def test_story_sentences_about_newsletters_and_links_stay(line):
    assert not is_boilerplate_line(line)


def test_cards_of_a_cms_loop_are_one_list_whatever_each_post_is_called():
    """WordPress gives every post of a loop its id, format and categories as classes."""
    box = _el("<div>" + "".join(
        f"<article class='postbox post-{n} post type-post status-publish format-{f} category-{c}'>"
        f"<div><a>Whatsapp</a> <a>Facebook</a></div><p>{TEXT} {TEXT}</p></article>"
        for n, f, c in ((101, "link", "daerah"), (102, "standard", "ekonomi"), (103, "image", "hukum"))) + "</div>")
    assert [len(g) for g in item_groups(box)] == [3]


def test_a_story_block_holding_a_teaser_rail_is_not_the_list():
    """The rail inside the block is the list; the block with its paragraphs (one of which is mostly a
    link) is the story around it."""
    rail = "<div class='rail'>" + "".join(
        f"<div><a href='/x/{i}'>Jembatan Cibadak Putus Diterjang Banjir {i}</a></div>" for i in range(4)) + "</div>"
    root = _el(f"<div><div class='part'><p>{TEXT}</p><p>Simak <a href='/y'>laporan lengkap banjir Serang pekan "
               f"lalu</a>.</p><p>{TEXT}</p>{rail}</div></div>")
    assert [el.get("class") for el in teaser_lists(root)] == ["rail"]


def test_a_list_element_of_teasers_is_a_list_even_with_a_sentence_in_it():
    """A <ul> whose items are teasers stays a list when one item says more besides its link."""
    root = _el("<div><p>" + TEXT + "</p><ul>" + "".join(
        f"<li><a href='/x/{i}'>Jembatan Cibadak Putus Diterjang Banjir {i}</a></li>" for i in range(4))
        + "<li><a href='/z'>Pasar Rau</a> kini juga menjual cabai dengan harga lebih murah daripada pekan lalu, "
          "kata pedagang.</li></ul></div>")
    assert [el.tag for el in teaser_lists(root)] == ["ul"]


def test_story_blocks_known_to_the_container_finder_are_kept():
    """drop_elements keeps the blocks ``keep`` names whatever their class says."""
    root = _el(f"<div><div class='article-overlay'><p>{TEXT}</p></div><div class='overlay'><p>{TEXT}</p></div></div>")
    keep = frozenset([root[0]])
    drop_elements(root, keep=keep)
    assert [el.get("class") for el in root] == ["article-overlay"]


def test_subheading_before_a_labelled_related_box_is_story_text():
    """A "Baca Juga:" box with its own label: the heading before it is the story's subheading."""
    root = _el(f"<div><p>{TEXT}</p><h2>Peternak Untung</h2><div class='box'><p><strong>Baca Juga:</strong></p><ul>"
               + "".join(f"<li><a href='/x/{i}'>Jembatan Cibadak Putus Diterjang Banjir {i}</a></li>" for i in range(3))
               + f"</ul></div><p>{TEXT}</p></div>")
    assert "h2" not in [el.tag for el in teaser_lists(root)]


def test_the_editors_end_mark_closes_the_story():
    """What follows "(mdk/rka)" (a call to readers) is not story text; the mark goes too."""
    blocks = [Block(TEXT), Block(f"{TEXT} (mdk/rka)"),
              Block("Banyak orang hebat di sekitar kita. Yuk daftarkan mereka sebagai Sosok Pilihan!")]
    assert clean_blocks(blocks) == [TEXT, TEXT]
