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
