"""Canonical URLs that point at a listing, the home page, a section or another site are not trusted."""

from __future__ import annotations

import pytest
from faultserver import BASE_URL, article_html

from pipelines import archive, extract_article
from pipelines.dedupe import canonical_url
from pipelines.page import Page

STORY = "https://www.kabar.example/ekonomi/2019/11/28/harga-beras-naik-jelang-natal/"


@pytest.mark.parametrize("canonical", [
    "https://www.kabar.example/",                       # the home page
    "/index.php",
    "https://www.kabar.example/ekonomi/",               # the story's section
    "/berita/daerah/",                                   # another section
    "/kategori/ekonomi/",                                # listings pipelines.validate knows
    "/tag/beras/",
    "/indeks/?page=2",
    "/page/3/",
    "/2019/11/",
    "/redaksi/",                                         # a static page
    "https://www.koran-lain.example/ekonomi/2019/11/28/harga-beras-naik-jelang-natal/",  # another site
    "ftp://www.kabar.example/x",
])
def test_untrusted_canonicals_fall_back_to_the_page_url(canonical):
    assert canonical_url(STORY + "?utm_source=wa", canonical) == STORY


@pytest.mark.parametrize(("page", "canonical"), [
    (STORY + "?page=2", STORY),                                                   # page 2 -> the story
    ("https://m.kabar.example/read/12/banjir/2", "https://www.kabar.example/read/12/banjir"),
    ("https://www.kabar.example/amp/kanal/pemkab-lebak-gelar-pelatihan-kopi", "/kanal/pemkab-lebak-gelar-pelatihan-kopi"),
    ("https://www.kabar.example/2019/11/28/banjir/", "https://www.kabar.example/?p=123"),
    ("https://www.kabar.example/tag/banjir/", "https://www.kabar.example/tag/banjir"),    # a listing of itself
])
def test_canonicals_naming_the_story_are_kept(page, canonical):
    from pipelines.dedupe import normalize_url

    assert canonical_url(page, canonical) == normalize_url(canonical if "://" in canonical
                                                           else "https://www.kabar.example" + canonical)


def test_the_profile_domains_decide_what_another_site_is():
    page = "https://kabar-lebak.jaringan.example/read/12/banjir"
    other = "https://kabar-garut.jaringan.example/read/12/banjir"
    assert canonical_url(page, other) == other  # same registered domain, no profile: trusted
    assert canonical_url(page, other, domains=("kabar-lebak.jaringan.example",)) == page


def test_a_site_whose_canonicals_all_point_at_a_section_keeps_every_article(fresh_db):
    """The hostile review's case: 5 articles stored, 1 row in ``articles``."""
    urls = []
    for n in range(5):
        slug = f"warga-desa-{n}-gelar-kerja-bakti-massal"
        html = article_html(slug, f"Warga Desa {n} Gelar Kerja Bakti Massal", paragraphs=[
            f"Warga desa nomor {n} bergotong royong membersihkan saluran air sepanjang dua kilometer pada Minggu pagi, "
            "sebelum musim hujan tiba, bersama aparat desa dan relawan dari berbagai kampung di sekitarnya."] * 3)
        html = html.replace(f'href="{BASE_URL}/berita/{slug}.html"', f'href="{BASE_URL}/berita/"')
        url = f"{BASE_URL}/berita/{slug}.html"
        article = extract_article(html.encode(), url)
        archive.archive_article(fresh_db, article, [Page(url=url, body=html.encode())])
        urls.append(url)
    assert sorted(r[0] for r in fresh_db.execute("select canonical_url from articles")) == sorted(urls)
    assert fresh_db.execute("select count(*) from article_versions").fetchone()[0] == 0
