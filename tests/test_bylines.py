"""Byline labels of Indonesian templates, on warta's own fictional pages: the writer's name, never the label.

jpnn-style credits name one person in two roles ("Redaktur & Reporter : Name"): that person wrote the
story. "Laporan: Name" and "Laporan Wartawan <outlet>, Name" are labels around a name; they must not stay
in the author. A label naming only an editor is not an author.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines import extract_article

STORY = ("Ratusan tenaga honorer mengikuti seleksi pegawai pemerintah dengan perjanjian kerja di gedung olahraga "
         "kota sejak pagi, sebagian datang dari kecamatan yang jauh dan menunggu sejak subuh.",
         "Panitia menyiapkan tiga sesi ujian berbasis komputer setiap hari, dan peserta diminta datang satu jam "
         "sebelum jadwal untuk pemeriksaan berkas.",
         "Kepala badan kepegawaian daerah mengatakan hasil seleksi diumumkan dua pekan setelah ujian terakhir.")


def page(*, above: str = "", below: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return ("<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>Ratusan Honorer Ikuti Seleksi PPPK "
            "| Kabar Kota</title></head><body><div class='container'><article><h1>Ratusan Honorer Ikuti Seleksi "
            f"PPPK</h1>{above}<div class='date'>Rabu, 11 Desember 2024 10:08 WIB</div>"
            f"<div class='entry-content'>{paragraphs}</div>{below}</article></div></body></html>")


def author_of(html: str) -> str | None:
    article = extract_article(html, "https://kabarkota.example/berita/18342/ratusan-honorer-ikuti-seleksi-pppk",
                              fetched_at=datetime(2024, 12, 12, tzinfo=UTC))
    return article.author


@pytest.mark.parametrize("credit", [
    "<div class='page-editor'>Redaktur &amp; Reporter : Arif Budi Santoso</div>",
    "<p>Reporter &amp; Redaktur: Arif Budi Santoso</p>",
    "<p>Penulis/Editor: Arif Budi Santoso</p>",
    "<p>Editor dan Penulis : Arif Budi Santoso</p>",
])
def test_one_person_in_the_writers_role_and_another_is_the_author(credit):
    assert author_of(page(below=credit)) == "Arif Budi Santoso"


@pytest.mark.parametrize("byline", [
    "<div class='penulis'><font size='1'>Laporan: Hendri Saputra</font></div>",
    "<p>Laporan : Hendri Saputra</p>",
    "<p><strong>Laporan Wartawan Kabar Kota, Hendri Saputra</strong></p>",
    "<p>Laporan Kontributor Kabar Kota, Hendri Saputra</p>",
    "<div class='author'>Laporan Jurnalis Kabar Kota, Hendri Saputra</div>",
    "<div class='author'>Penulis: Hendri Saputra</div>",
])
def test_report_labels_are_not_kept_in_the_author(byline):
    assert author_of(page(above=byline)) == "Hendri Saputra"


@pytest.mark.parametrize("credit", [
    "<div class='page-editor'>Redaktur : Arif Budi Santoso</div>",
    "<div class='penulis'>Laporan: Tim Redaksi</div>",
])
def test_an_editor_or_a_newsroom_alone_is_not_an_author(credit):
    assert author_of(page(below=credit)) is None


@pytest.mark.parametrize("byline", [
    "<div class='article-byline'><div class='article-origins'><span class='simple'>Hendri Saputra</span> "
    "<span class='simple'>Dewi Lestari</span></div></div>",
    "<div class='byline'><a href='/penulis/hendri'>Hendri Saputra</a> <a href='/penulis/dewi'>Dewi Lestari</a></div>",
])
def test_names_in_elements_of_their_own_are_joined_with_commas(byline):
    """Writers named in elements of their own, in a byline box or a box inside it, are two names,
    not one run of four words."""
    assert author_of(page(above=byline)) == "Hendri Saputra, Dewi Lestari"


def test_a_name_and_its_role_in_elements_of_their_own_are_one_writer():
    """A link to the writer and a <span> with the role beside it are one person, not two names."""
    byline = ("<div class='byline'><span class='byline__details'><a href='/penulis/hendri' rel='author'>Hendri "
              "Saputra</a> <span class='byline__job-title'>Political Correspondent</span></span></div>")
    assert author_of(page(above=byline)) == "Hendri Saputra"
