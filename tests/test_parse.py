"""Broken markup parsed without losing what follows it: pages nested deeper than libxml2 allows."""

from __future__ import annotations

import pytest

from pipelines import extract_article
from pipelines.parse import _flattened_markup, parse_html

URL = "https://lebak.example/berita/2026/11/28/banjir-rendam-lebak"
STORY = [" ".join(f"Kalimat ke-{i} paragraf {n} tentang banjir yang merendam rumah warga di Lebak, Banten."
                  for i in range(10)) for n in range(4)]


def _page(teasers: int, teaser: str = '<div class="item"><a href="/berita/{i}">Judul berita lain {i}</a>',
          closing: str = "") -> str:
    """A template that leaves one ``<div>`` open per teaser, so the story nests below all of them."""
    sidebar = "".join(teaser.format(i=i) for i in range(teasers))
    return ("<html><head><title>Banjir rendam Lebak</title>"
            '<meta property="og:title" content="Banjir rendam Lebak"></head><body>'
            f'<div class="sidebar">{sidebar}{closing}'
            '<article><h1>Banjir rendam Lebak</h1><div class="date">Kamis, 28/11/2019 10:08 WIB</div>'
            + "".join(f"<p>{p}</p>" for p in STORY) + "</article></body></html>")


@pytest.mark.parametrize("teasers", [300, 1500, 3000, 20000])
@pytest.mark.parametrize("closing", ["", "</div>"])
def test_a_story_after_thousands_of_unclosed_teasers_is_kept(teasers, closing):
    article = extract_article(_page(teasers, closing=closing), URL)
    assert article is not None and article.title == "Banjir rendam Lebak"
    assert article.body.split("\n\n") == STORY


def test_elements_nested_deeper_than_the_limit_keep_their_text():
    html = ("<html><body>" + "<span>" * 3000 + "<h1>Judul</h1><p>" + "kata " * 50 + "</p>"
            + "</span>" * 3000 + "<p>sesudahnya</p></body></html>")
    root = parse_html(html)
    text = root.text_content()
    assert "Judul" in text and text.count("kata") == 50 and "sesudahnya" in text


def test_flattening_removes_only_elements_left_open():
    assert _flattened_markup("<div><div class=a><p>a</p><div class=b>b</div>") == "<p>a</p><div class=b>b</div>"
    # an outer element's end tag closes the ones left open inside it: those go, it stays
    assert (_flattened_markup("<section><div><div>x</section><p>y<p>z")
            == "<section>x</section><p>y<p>z")
    # comments, scripts and styles are not markup
    assert (_flattened_markup("<div><script>if (a<b) {}</script><style>p>a{}</style><!-- <div> -->t")
            == "<script>if (a<b) {}</script><style>p>a{}</style><!-- <div> -->t")


def test_a_page_of_ordinary_depth_parses_as_before():
    html = "<html><body><div><div><p>a</p></div></div><p>b</p></body></html>"
    assert [p.text for p in parse_html(html).iter("p")] == ["a", "b"]


def test_flattening_reads_quoted_values_and_stops_at_stray_brackets():
    # a ">" or "<" inside a quoted value is no end of the tag
    assert (_flattened_markup("<div><span class='a>b'>x</span><div title=\"if a<b\">y")
            == "<span class='a>b'>x</span>y")
    # broken tags ("<a<a", an unbalanced quote) are text to the parser, and left as they are
    assert _flattened_markup('<div><a<a "b</div>') == '<div><a<a "b</div>'


def test_a_hostile_page_past_the_depth_limit_is_parsed():
    html = "<html><body>" + "<div>" * 3000 + "<p>kata</p>" + '<a "' * 20000 + "<p>akhir</p>"
    text = parse_html(html).text_content()
    assert "kata" in text and "akhir" in text
