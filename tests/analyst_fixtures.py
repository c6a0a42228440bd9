"""Fixture archive for the analyst tools: Indonesian articles of three sites in three zones.

Built through ``pipelines.archive.archive_article`` with hand-written Article
objects, so the analyst tests do not depend on the crawler or the extractor.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from pipelines import archive
from pipelines.article import Article
from pipelines.page import Page

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))

SITES = {
    "kabar-lebak": "https://www.kabarlebak.example",
    "warta-makassar": "https://wartamakassar.example",
    "suara-jayapura": "https://suarajayapura.example",
}

# (site, slug, title, published, section, tags, body)
ARTICLES = [
    ("kabar-lebak", "banjir-rangkasbitung", "Banjir Rob Rendam Puluhan Rumah di Rangkasbitung",
     datetime(2019, 11, 28, 14, 30, tzinfo=WIB), "Peristiwa", ["banjir", "lebak"],
     "Puluhan rumah warga di Kecamatan Rangkasbitung terendam banjir setelah hujan deras sejak Kamis pagi.\n\n"
     "Kepala BPBD Lebak mengatakan ketinggian air mencapai satu meter di beberapa titik."),
    ("kabar-lebak", "seminar-koperasi", "Seminar Koperasi Digelar di Pendopo Lebak",
     datetime(2019, 11, 27, 3, 15, tzinfo=WIB), "Ekonomi", ["koperasi", "umkm"],
     "Dinas Koperasi dan UKM Kabupaten Lebak menggelar seminar bagi pelaku usaha mikro.\n\n"
     "Peserta diajak memanfaatkan pinjaman koperasi untuk modal usaha."),
    ("kabar-lebak", "jalan-rusak-cipanas", "Warga Cipanas Keluhkan Jalan Rusak",
     date(2019, 11, 20), "Daerah", ["infrastruktur"],
     "Jalan penghubung antardesa di Cipanas rusak parah dan belum diperbaiki.\n\n"
     "Warga berharap pemerintah daerah segera turun tangan."),
    ("kabar-lebak", "festival-seba-baduy", "Festival Seba Baduy Dipadati Wisatawan",
     datetime(2019, 12, 2, 9, 0, tzinfo=WIB), "Budaya", ["baduy", "wisata"],
     "Ribuan wisatawan memadati alun-alun Rangkasbitung untuk menyaksikan tradisi Seba Baduy.\n\n"
     "Tradisi tahunan ini menjadi daya tarik wisata budaya Lebak."),
    ("warta-makassar", "pete-pete-tarif", "Tarif Pete-pete di Makassar Naik Rp1.000",
     datetime(2019, 11, 28, 10, 5, tzinfo=WITA), "Ekonomi", ["transportasi", "makassar"],
     "Organda Makassar menaikkan tarif angkutan kota pete-pete sebesar Rp1.000 per penumpang.\n\n"
     "Kenaikan tarif berlaku mulai Senin depan."),
    ("warta-makassar", "banjir-antang", "Banjir Genangi Perumahan di Antang",
     datetime(2019, 11, 30, 22, 45, tzinfo=WITA), "Peristiwa", ["banjir"],
     "Hujan deras sepanjang malam membuat banjir menggenangi perumahan di Antang.\n\n"
     "Petugas pemadam kebakaran membantu evakuasi warga lanjut usia."),
    ("warta-makassar", "coto-festival", "Festival Coto Makassar Hadirkan Seratus Warung",
     datetime(2019, 12, 1, 0, 30, tzinfo=WITA), "Kuliner", ["kuliner", "coto"],
     "Seratus warung coto ikut memeriahkan festival kuliner di Pantai Losari.\n\n"
     "Pengunjung bisa mencicipi coto dengan harga khusus."),
    ("warta-makassar", "pelantikan-camat", "Wali Kota Lantik Lima Camat Baru",
     date(2019, 11, 25), "Pemerintahan", [],
     "Wali Kota Makassar melantik lima camat baru di Balai Kota.\n\n"
     "Pelantikan dihadiri para kepala dinas dan tokoh masyarakat."),
    ("suara-jayapura", "pon-papua", "Venue PON Papua Siap Digunakan",
     datetime(2019, 11, 29, 16, 0, tzinfo=WIT), "Olahraga", ["pon", "papua"],
     "Sejumlah venue Pekan Olahraga Nasional di Jayapura dinyatakan siap digunakan.\n\n"
     "Panitia memastikan stadion utama rampung sesuai jadwal."),
    ("suara-jayapura", "banjir-sentani", "Banjir Bandang Sentani, Warga Mengungsi",
     datetime(2019, 11, 26, 20, 10, tzinfo=WIT), "Peristiwa", ["banjir", "sentani"],
     "Banjir bandang kembali melanda Sentani dan memaksa ratusan warga mengungsi.\n\n"
     "Tim SAR gabungan mendirikan posko di gedung sekolah."),
    ("suara-jayapura", "harga-pinang", "Harga Pinang Melonjak Jelang Natal",
     datetime(2019, 12, 3, 8, 20, tzinfo=WIT), "Ekonomi", ["pasar"],
     "Harga pinang di Pasar Youtefa melonjak menjelang Natal.\n\n"
     "Pedagang mama-mama Papua mengaku permintaan meningkat tajam."),
    ("suara-jayapura", "tanpa-tanggal", "Pengumuman Seleksi Pegawai Kampung",
     None, "Pengumuman", [],
     "Pemerintah kampung membuka seleksi pegawai untuk tiga formasi.\n\n"
     "Berkas lamaran diterima di kantor kampung."),
]


def article_url(site: str, slug: str) -> str:
    return f"{SITES[site]}/berita/{slug}/"


def article_html(article: Article) -> bytes:
    """A plain article page for ``article`` (for page rows and WARC tests)."""
    paragraphs = "".join(f"<p>{p}</p>" for p in article.body.split("\n\n"))
    published = ""
    if article.published is not None:
        published = f'<meta property="article:published_time" content="{article.published.isoformat()}">'
    return (
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
        f"<title>{article.title}</title>"
        f'<link rel="canonical" href="{article.canonical_url}">{published}'
        "</head><body><article>"
        f"<h1>{article.title}</h1>{paragraphs}"
        "</article></body></html>"
    ).encode()


def make_articles() -> list[Article]:
    out = []
    for site, slug, title, published, section, tags, body in ARTICLES:
        url = article_url(site, slug)
        out.append(Article(
            url=url, canonical_url=url, site=site, title=title, body=body, author="Redaksi",
            published=published, published_raw=published.isoformat() if published else None,
            published_source="meta" if published else None, section=section, tags=list(tags),
            language="id",
        ))
    return out


def fetched_at(n: int) -> datetime:
    return datetime(2019, 12, 4, 1, 0, n, 123456, tzinfo=UTC)


def build_archive(db) -> list[Article]:
    """Fill ``db`` with the fixture articles (each with its page), a skipped page and two failures."""
    articles = make_articles()
    for n, article in enumerate(articles):
        page = Page(url=article.url, body=article_html(article), fetched_at=fetched_at(n), site=article.site,
                    headers={"Content-Type": "text/html; charset=utf-8", "Server": "nginx"})
        archive.archive_article(db, article, [page])
    tag_page = Page(url=SITES["kabar-lebak"] + "/tag/banjir/", body=b"<html><body><ul><li>banjir</li></ul></body></html>",
                    fetched_at=fetched_at(50), site="kabar-lebak", headers={"Content-Type": "text/html"})
    archive.archive_skipped_page(db, tag_page, "index-page")
    archive.record_failure(db, SITES["warta-makassar"] + "/berita/hilang/", "fetch", "http-404")
    archive.record_failure(db, SITES["suara-jayapura"] + "/berita/rusak/", "extract", "no-body")
    return articles


# --- a week of flood coverage, for the search page and the syndicated copies ----------------------

#: One wire story (Antara-style) and the copies three outlets ran of it: own dateline, a
#: "Baca juga" line, an editor's line, the last paragraph trimmed, an edited headline.
WIRE_STORY = [
    "Badan Penanggulangan Bencana Daerah mencatat sedikitnya 1.200 rumah di lima kecamatan terendam setelah "
    "hujan deras mengguyur sejak Rabu malam dan membuat sungai meluap.",
    "Kepala Pelaksana BPBD mengatakan petugas gabungan telah mengevakuasi ratusan warga yang kebanjiran ke "
    "posko pengungsian di gedung sekolah dan masjid terdekat.",
    "Menurut dia, ketinggian air di permukiman bervariasi antara 50 sentimeter hingga 1,5 meter, dan pompa "
    "air dikerahkan untuk mempercepat surutnya genangan di jalan utama.",
    "Pemerintah daerah menyiapkan bantuan logistik berupa beras, makanan siap saji, selimut dan obat-obatan "
    "bagi para pengungsi selama masa tanggap darurat tujuh hari.",
    "Warga diimbau tetap waspada karena hujan dengan intensitas tinggi diperkirakan masih turun hingga akhir "
    "pekan, terutama di wilayah bantaran sungai.",
]

# (site, slug, title, published, section, body paragraphs)
COVERAGE = [
    ("kabar-lebak", "kebanjiran-cibadak", "Ratusan Rumah di Cibadak Kebanjiran, Warga Dievakuasi",
     datetime(2019, 12, 10, 6, 45, tzinfo=WIB), "Peristiwa",
     ["Ratusan rumah di Kecamatan Cibadak kebanjiran setelah Sungai Ciujung meluap pada Selasa dini hari.",
      "Warga yang rumahnya terendam dievakuasi ke balai desa dengan perahu karet milik BPBD."]),
    ("kabar-lebak", "penanganan-banjir-dprd", "DPRD Lebak Minta Penanganan Banjir Dipercepat",
     datetime(2019, 12, 11, 13, 20, tzinfo=WIB), "Pemerintahan",
     ["Anggota DPRD Lebak meminta pemerintah daerah mempercepat penanganan banjir di wilayah selatan.",
      "Menurut dewan, tanggul yang jebol harus segera diperbaiki sebelum puncak musim hujan."]),
    ("warta-makassar", "banjir-manggala", "Banjir Rendam Permukiman di Manggala, Ratusan Warga Mengungsi",
     datetime(2019, 12, 10, 19, 5, tzinfo=WITA), "Peristiwa",
     ["Banjir kembali merendam permukiman di Kecamatan Manggala setelah hujan turun sepanjang hari.",
      "Ratusan warga mengungsi ke masjid dan sekolah yang tidak terendam."]),
    ("warta-makassar", "drainase-kebanjiran", "Drainase Tersumbat, Jalan Perintis Kebanjiran Lagi",
     datetime(2019, 12, 12, 8, 40, tzinfo=WITA), "Daerah",
     ["Jalan Perintis Kemerdekaan kembali kebanjiran karena saluran drainase tersumbat sampah.",
      "Pengendara memilih memutar lewat jalan lain untuk menghindari genangan."]),
    ("suara-jayapura", "banjir-kemiri", "Banjir di Kampung Kemiri, Jembatan Darurat Dibangun",
     datetime(2019, 12, 11, 16, 30, tzinfo=WIT), "Peristiwa",
     ["Warga Kampung Kemiri bergotong royong membangun jembatan darurat setelah banjir memutus akses jalan.",
      "Banjir di kawasan itu terjadi hampir setiap tahun ketika Danau Sentani meluap."]),
]


def add_flood_coverage(db) -> None:
    """Add a week of flood stories, and one wire story run by three sites (its copies are one group)."""
    articles = []
    for site, slug, title, published, section, paragraphs in COVERAGE:
        url = article_url(site, slug)
        articles.append(Article(url=url, canonical_url=url, site=site, title=title, body="\n\n".join(paragraphs),
                                author="Redaksi", published=published, section=section, tags=["banjir"],
                                language="id"))
    runs = [
        ("warta-makassar", "Banjir Rendam 1.200 Rumah di Lima Kecamatan", datetime(2019, 12, 13, 9, 0, tzinfo=WITA),
         "MAKASSAR, Wartamakassar.example - ", WIRE_STORY),
        ("kabar-lebak", "1.200 Rumah Terendam Banjir, Warga Diminta Waspada", datetime(2019, 12, 13, 10, 15, tzinfo=WIB),
         "Kabarlebak.example - ", WIRE_STORY[:-1] + ["Baca juga: Festival Seba Baduy Dipadati Wisatawan"]),
        ("suara-jayapura", "Ribuan Rumah Kebanjiran, BPBD Siagakan Posko", datetime(2019, 12, 13, 14, 30, tzinfo=WIT),
         "JAYAPURA, Suarajayapura.example - ", WIRE_STORY[:-1] + ["Editor: Markus Wenda"]),
    ]
    for site, title, published, dateline, paragraphs in runs:
        url = article_url(site, "wire-banjir-1200-rumah")
        body = "\n\n".join([dateline + paragraphs[0], *paragraphs[1:]])
        articles.append(Article(url=url, canonical_url=url, site=site, title=title, body=body, author="Antara",
                                published=published, section="Nasional", tags=["banjir"], language="id"))
    archive.archive_articles(db, [(a, []) for a in articles])
