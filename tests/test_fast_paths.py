"""Fast paths of page -> article give what their plain definitions give (issue 10's speed work).

Each fast path below replaced a slower way of computing the same thing; these tests hold it to
the slower way on fictional inputs shaped like the pages that exercise it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import lxml.html
import pytest

from pipelines import dates, metadata
from pipelines.parse import decode_for_parsing, decode_page, parse_html

FETCHED = datetime(2024, 3, 15, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", [
    "Kamis, 28/11/2019 10:08 WIB",
    "Kamis\x00, 28/11/2019\x00 — 10:08 WIB ✓ 😀",
    "\x00",
    "Rangkasbitung\udcff",  # a lone surrogate: written as "?" both ways
])
def test_decode_for_parsing_is_decode_page_and_its_utf8(text):
    got, raw = decode_for_parsing(text)
    assert got == decode_page(text)
    assert raw == got.encode("utf-8", "replace")
    assert b"\x00" not in raw


@pytest.mark.parametrize("text", [
    "  Kamis,\xa028/11/2019 \n ",
    "a\x00b\x1b c\x7f\td",
    "x\u200by\ufeff \u3000 z\u2028w\x85v",
    "\x1c\x1d\x1e\x1f lines \x0b\x0c end",
    "",
    " \n\t ",
])
def test_norm_space_is_the_regex_definition(text):
    plain = re.sub(r"[\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+", " ", text.replace("\u200b", "").replace("\ufeff", ""))
    assert metadata.norm_space(text) == plain.strip()


def test_byline_label_after_long_layout_whitespace():
    # tails of forty spaces and tabs are skipped at once, a label after them still counts
    page = lxml.html.fromstring("<html><body><h1>Banjir di Lebak</h1><div>" + "<span>x</span>\n\t\t" * 40
                                + "<p>\n" + " " * 40 + "Pewarta: Nur Aisyah</p><p>Isi berita.</p></div></body></html>")
    assert metadata.extract_author(page, metadata.read_metadata(page)) == ("Nur Aisyah", "visible")


def test_role_after_byline_found_on_the_label_walk():
    page = lxml.html.fromstring("<html><body><h1>Banjir di Lebak</h1><div class='info'><span>Ahmad Fauzi / "
                                "Jurnalis</span></div><div class='isi'><p>Warga mengungsi ke balai desa.</p>"
                                "<p>Rina Marlina, Kontributor</p></div></body></html>")
    body_start = page.find(".//div[@class='isi']")
    assert metadata.extract_author(page, metadata.read_metadata(page), body_start=body_start) == (
        "Ahmad Fauzi", "visible")


def test_author_marked_elements_are_the_xpath_ones():
    page = lxml.html.fromstring(
        "<html><body><div class='post'><span itemprop='author'>A B</span><a rel='author' href='/u'>C D</a>"
        "<div class='entry-author-name'>E F</div><p class='Author'>not lower case</p><p class='bylines'>G H</p>"
        "<!-- class='author' --><span class='reporter-x penulis'>I J</span></div></body></html>")
    region = page.find("body")
    expected = region.xpath(".//*[@itemprop='author' or @rel='author' or contains(@class,'author') or "
                            "contains(@class,'byline') or contains(@class,'penulis') or contains(@class,'reporter')]")
    assert list(metadata._author_marked(region)) == expected


def test_headline_classed_blocks_are_the_xpath_ones():
    page = lxml.html.fromstring(
        "<html><body><div class='judul-berita'>Satu</div><span id='mainTitle'>Dua</span><p itemprop='headline'>"
        "Tiga</p><td class='x' id='heading'>Empat</td><section class='title'>not a headline tag</section>"
        "<b class='Subtitle'>Lima</b><a class='titre'>Enam</a><div class='none'>Tujuh</div></body></html>")
    xpath = page.xpath(
        "//@class[contains(., 'itle') or contains(., 'udul') or contains(., 'eadline') or contains(., 'eading') or "
        "contains(., 'tajuk') or contains(., 'itul') or contains(., 'itre') or contains(., 'itel') or "
        "contains(., 'itolo') or contains(., 'aslik')] | //@id[contains(., 'itle') or contains(., 'udul') or "
        "contains(., 'eadline')] | //@itemprop[. = 'headline']")
    expected = []
    for attr in xpath:
        el = attr.getparent()
        if el.tag in metadata._HEADLINE_TAGS and el not in expected:
            expected.append(el)
    assert list(metadata._classed(page)) == expected


#: A page whose JSON-LD the metadata reader cleans up (comment markers, a trailing semicolon, a
#: type written with spaces) and whose meta tags name dates under several attributes.
MARKUP_PAGE = """<html lang="id"><head>
<script type="application/ld+json"><!-- {"@type": "NewsArticle", "datePublished": "2024-03-14T09:41:27+07:00"} --></script>
<script type="application/ld+json">{"@type": "NewsArticle", "dateModified": "2024-03-14T10:00:00+07:00",}</script>
<script type=" Application/LD+JSON ">{"@type": "NewsArticle", "dateCreated": "2024-03-13T08:00:00+07:00"}</script>
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-14T09:41:00+07:00"};</script>
<meta property="article:published_time" content="2024-03-14T09:41:27+07:00">
<meta name=" PubDate " content=" 2024-03-14 09:41 ">
<meta itemprop="dateModified" content="2024-03-14T11:00:00+07:00"><meta name="date" content="">
</head><body><h1>Banjir rendam 300 rumah di Lebak</h1><div class="tanggal">Kamis, 14/03/2024 09:41 WIB</div>
<p>Hujan deras sejak sore merendam rumah warga di tiga kecamatan, kata petugas.</p></body></html>"""


@pytest.mark.parametrize("parse", [parse_html, lxml.html.document_fromstring])
def test_dates_from_read_metadata_are_the_dates_read_again(parse):
    tree = parse(MARKUP_PAGE)
    md = metadata.read_metadata(tree, "https://kabar.example/2024/03/14/banjir/")
    url = "https://kabar.example/2024/03/14/banjir/"
    with_md = dates._gather(tree, url, None, None, None, dates._Memo(), md)
    assert with_md == dates.gather_date_candidates(tree, url)
    assert {c.source for c in with_md} >= {"jsonld", "meta", "visible", "url"}
    assert dates.page_dates(tree, url, now=FETCHED, metadata=md) == dates.page_dates(tree, url, now=FETCHED)


def test_a_page_reads_each_date_string_once():
    memo = dates._Memo()
    anchor = datetime(2024, 3, 15, tzinfo=UTC)
    first = dates._parse("Kamis, 14/03/2024 09:41 WIB", UTC, anchor, anchor, False, memo)
    again = dates._parse("Kamis, 14/03/2024 09:41 WIB", None, anchor, anchor, False, memo)
    assert first == again == dates._parse("Kamis, 14/03/2024 09:41 WIB", None, anchor, anchor)
    assert list(memo.found) == [("Kamis, 14/03/2024 09:41 WIB", False)]


_SHAPES_PAGE = (
    "<!DOCTYPE html><html lang='id'><head><title>Banjir &amp; Longsor | Kabar</title>"
    "<script type='application/ld+json'>{\"headline\": \"Banjir <b>Lebak</b>\"}</script>"
    "<style>p { color: red; }</style></head><body><header><a href='/'>Kabar</a></header>"
    "<article><h1>Banjir &amp; Longsor <small>di Lebak</small></h1><div class='meta'>Kamis, 28/11/2019"
    "<br>10:08 WIB</div><div class='isi'><p><b>LEBAK</b> - Banjir merendam 300 rumah &#8212; "
    "kata <a href='/tag/bpbd'>BPBD</a>.</p><p></p><p>   </p><p>Ünïcödé ✓ 😀 <i><b><u>dalam</u></b></i> "
    "teks.</p><table><tr><td>a</td><td>b<br>c</td></tr></table><ul><li>satu</li><li><a>dua</a> tiga</li>"
    "</ul><div><img src='a.jpg'><span>Foto: ist</span></div><!-- iklan --><p>akhir<wbr>kata</p>"
    "<script>var s = '<p>bukan teks</p>';</script><noscript><img src='b.jpg'></noscript>"
    "<pre>  baris\n  kedua  </pre><textarea>isi form</textarea></div></article>"
    "<footer>© 2019 Kabar</footer></body></html>")


def test_text_content_is_the_xpath_string_of_lxml_html():
    # PageElement.text_content reads text nodes without XPath; lxml.html reads them with string()
    xpath_text = lxml.html.HtmlElement.text_content
    tree = parse_html(_SHAPES_PAGE)
    assert isinstance(tree, lxml.html.HtmlElement)
    elements = list(tree.iter())
    assert len(elements) > 40
    for el in elements:
        got = el.text_content()
        assert type(got) is str and got == xpath_text(el), el.tag
    # and after cleaning edits the tree in place: removed elements, tails moved, text set
    for el in list(tree.iter("img", "small", "script")):
        el.getparent().remove(el)
    tree.find(".//li").text = None
    tree.find(".//pre").tail = " ekor"
    detached = tree.find(".//table")
    detached.getparent().remove(detached)
    for el in [*tree.iter(), *detached.iter()]:
        assert el.text_content() == xpath_text(el), el.tag


def _plain_skip(el, long_paragraphs, protect):
    """content._skip as first written: every rule asked of the element itself."""
    from pipelines.clean import (
        _HIDDEN_STYLE,
        NON_TEXT_TAGS,
        is_boilerplate_element,
        is_comment_element,
        is_paging_block,
    )
    from pipelines.content import PROTECT_SHARE
    if ((el.get("style") and _HIDDEN_STYLE.search(el.get("style"))) or el.get("hidden") is not None
            or el.get("aria-hidden") in ("true", "TRUE", "True")) and not is_paging_block(el):
        return True
    if not is_boilerplate_element(el, inside=False) or el in protect:
        return False
    if el.tag in NON_TEXT_TAGS or el.find(".//p") is None or is_comment_element(el):
        return True
    found = long_paragraphs.get()
    if not found:
        return True
    cls = el.get("class")
    parts = [s for s in el.getparent() if s.tag == el.tag and s.get("class") == cls] if cls else [el]
    return sum(1 for part in parts for p in part.iter("p") if p in found) < len(found) * PROTECT_SHARE


def test_skip_reads_the_verdict_once():
    from pipelines.clean import LongParagraphs
    from pipelines.content import _skip
    story = "<p>" + "Warga mengungsi ke balai desa sejak Kamis sore, kata kepala desa setempat. " * 2 + "</p>"
    page = parse_html(
        "<html><body><nav class='menu'><a href='/'>Beranda</a></nav><div id='comments' class='komentar'>" + story
        + "</div><div class='sidebar widget'><p>Terpopuler</p></div><aside role='complementary'>" + story
        + "</aside><div class='related-posts'>" + story * 3 + "</div><span class='tag share'><a>x</a></span>"
        "<p class='share'>Bagikan <a class='share'>ke teman</a> sekarang juga ya.</p><div class='post-body'>"
        + story * 4 + "</div><div class='body_overlay'>" + story * 5 + "</div><div style='display:none'>"
        "<p>tersembunyi</p></div><div hidden class='page-2'>" + story + "</div><div aria-hidden='true'>x</div>"
        "<form class='search'><p>Cari</p></form><div class='ads'><img src='a.jpg'></div></body></html>")
    body = page.find("body")
    headline_branch = {page.find(".//aside")}
    for protect in (set(), headline_branch):
        fast_paragraphs, plain_paragraphs = LongParagraphs(body), LongParagraphs(body)
        decisions = [(_skip(el, fast_paragraphs, protect), _plain_skip(el, plain_paragraphs, protect))
                     for el in body.iter() if el.attrib or el.tag == "form"]
        assert len(decisions) > 10 and any(fast for fast, _ in decisions) and not all(fast for fast, _ in decisions)
        assert all(fast == plain for fast, plain in decisions), decisions


def _plain_added_parts(child, depth, blocks, story_part):
    """content._added_parts as first written: every element visited, a set of the subtrees left out."""
    from pipelines import clean, content
    full = len(child.text_content().strip())
    if not full:
        return 0, 0, 0, 0, False
    anchors = [len(a.text_content().strip()) for a in child.iter("a")]
    if len(anchors) >= clean.MIN_LINK_ROW_LINKS and sum(anchors) >= clean.LINK_ROW_SHARE * full:
        return 0, 0, 0, 0, False
    dropped = dropped_links = story = story_blocks = heading = 0
    prose, pruned = False, set()
    for el in child.iter():
        if not isinstance(el.tag, str):
            continue
        if el.getparent() in pruned:
            pruned.add(el)
            continue
        if el is not child and (el.attrib or el.tag in clean.DROP_TAGS or el.tag == "figure") and (
                clean.is_boilerplate_element(el, inside=True) or clean.is_hidden(el) or clean.is_caption_box(el)):
            pruned.add(el)
            dropped += len(el.text_content().strip())
            dropped_links += sum(len(a.text_content().strip()) for a in el.iter("a"))
            continue
        if el.tag in ("h2", "h3", "h4", "h5", "h6"):
            pruned.add(el)
            length = len(el.text_content().strip())
            heading = length if length <= content.MAX_SUBHEADING_CHARS and el.find(".//a") is None else 0
            continue
        if el.tag in ("p", "h2", "h3", "h4", "pre"):
            pruned.add(el)
        n = blocks.get(el)
        if n:
            d, node = depth, el
            while node is not child:
                d, node = d + 1, node.getparent()
            if story_part(el, d):
                linked = sum(len(a.text_content().strip()) for a in el.iter("a"))
                if linked < content.TEASER_SHARE * n:
                    story, story_blocks = story + n + heading, story_blocks + 1
                    prose = prose or clean.reads_as_sentence(metadata.norm_space(el.text_content()))
                    dropped_links += linked
            heading = 0
    return full - dropped, sum(anchors) - dropped_links, story, story_blocks, prose


def test_added_parts_leaves_out_subtrees_without_visiting_them():
    from pipelines import content
    para = "<p>Warga mengungsi ke balai desa sejak Kamis sore, kata kepala desa setempat.</p>"
    page = parse_html(
        "<html><body><div id='wrap'><div class='story'>" + para * 3 + "</div><div class='story'><h3>Banjir "
        "Susulan</h3>" + para * 2 + "<div class='share'><p>Bagikan</p><div><a>fb</a><a>x</a></div></div>"
        "<figure><img src='a.jpg'><figcaption>Foto: ist</figcaption></figure><h2><a href='/x'>Berita "
        "lain</a></h2><p>Pendek</p><div style='display:none'><p>tersembunyi sekali di sini ya</p></div>"
        "<ul><li><a href='/1'>Satu</a></li><li><a href='/2'>Dua</a></li></ul><pre>kode\n  di sini</pre>"
        + para + "</div><aside class='related'><ul>" + "<li><a href='/y'>Judul berita lain di sini</a></li>" * 4
        + "</ul></aside><div>" + para + "<span class='tag'><a>Lebak</a></span></div></div></body></html>")
    scores, _, _, blocks = content.score_blocks(page)
    assert blocks
    wrap = page.find(".//div[@id='wrap']")
    for child in wrap:
        for part in (content._any_part, lambda el, d: d <= 4):
            assert content._added_parts(child, 3, blocks, part) == _plain_added_parts(child, 3, blocks, part)
