"""Throughput benchmark: a synthetic Indonesian news portal on loopback, bare Scrapy vs the full warta crawl.

One run generates a portal of N article pages (default 2,000, ~100 KB each:
inline styles and scripts, navigation, ticker, sidebars, related-link blocks,
ad slots, comments, like the regional portals warta crawls), serves it from
memory with an asyncio HTTP/1.1 server in its own process, and measures,
alternating the two for ``--repeats`` rounds and reporting medians:

(a) the ceiling: a bare Scrapy spider that follows the same index pages and
    article links with the same settings and stores nothing;
(b) the full warta crawl (``crawler.runner.run_crawl`` with a temporary profile
    on ``WARTA_SITES_PATH`` and ``WARTA_SITE_ORIGINS`` pointing at the server)
    into a fresh archive with FTS on.

It prints pages/s of both and their ratio, per-stage ms/page (a separate timing
pass over the same pages: parse, extract, clean, dates, the whole of
``derive_article``; plus the store time measured in the crawl's writer thread),
the peak memory of each crawl including its worker processes (sum of RSS, and
sum of PSS, which counts shared pages once), the stored raw page bytes against
their uncompressed size, and a reprocess of the (b) archive. ``--rss-pages``
adds one more full crawl of a bigger portal (default 10,000 pages) for memory.

Usage::

    .venv/bin/python scripts/bench_crawl.py                  # 2,000 pages, 3 rounds, + 10,000-page RSS run
    .venv/bin/python scripts/bench_crawl.py --pages 500 --repeats 1 --rss-pages 0
    .venv/bin/python scripts/bench_crawl.py --json bench.json

Speed is reported here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from html import escape
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SLUG = "bench-portal"
BASE_URL = "https://www.kabarnusantara.example"
PER_INDEX = 20
#: One article in MULTI_PAGE_EVERY is split over two pages (?page=2), as some portals do.
MULTI_PAGE_EVERY = 25
WIB = timezone(timedelta(hours=7))

# --- the synthetic portal -------------------------------------------------------------------

_PLACES = ["Rangkasbitung", "Serang", "Pandeglang", "Cilegon", "Tangerang", "Brebes", "Tegal", "Pekalongan",
           "Makassar", "Parepare", "Gowa", "Maros", "Jayapura", "Merauke", "Sorong", "Manokwari", "Kupang",
           "Mataram", "Palu", "Kendari", "Ambon", "Ternate", "Banjarmasin", "Samarinda", "Pontianak", "Jambi"]
_ACTORS = ["Bupati", "Wali Kota", "Kepala Dinas Pendidikan", "Kapolres", "Ketua DPRD", "Camat", "Kepala Desa",
           "Kepala BPBD", "Sekretaris Daerah", "Kepala Dinas Kesehatan", "Direktur RSUD", "Ketua KPU"]
_NAMES = ["Iti Octavia Jayabaya", "Ade Sumardi", "Budi Santoso", "Siti Nurhaliza", "Andi Mappanyukki",
          "Yohanis Wanma", "Made Wirawan", "Dewi Lestari", "Rahmat Hidayat", "Nur Aini", "La Ode Ahmad",
          "Maria Kambu", "Agus Salim", "Ratna Sari", "Hendra Gunawan", "Fitri Handayani"]
_TOPICS = ["banjir", "jalan rusak", "harga cabai", "vaksinasi", "pilkada", "stunting", "koperasi", "UMKM",
           "pupuk bersubsidi", "rob", "longsor", "sekolah rusak", "bantuan sosial", "air bersih", "pariwisata",
           "nelayan", "tambang ilegal", "inflasi", "beras", "listrik desa"]
_VERBS = ["meninjau", "meresmikan", "membahas", "menangani", "mengevaluasi", "mendata", "menyalurkan",
          "memperbaiki", "mengawasi", "menertibkan", "mendampingi", "menggelar"]
_WORDS = ("pemerintah daerah warga masyarakat program anggaran tahun kegiatan desa kecamatan kabupaten provinsi "
          "sejumlah ratusan puluhan petugas lokasi kondisi bantuan pembangunan pelayanan kesehatan pendidikan "
          "ekonomi pertanian perikanan perdagangan pasar harga kebutuhan pokok menjelang akhir pekan lalu "
          "kemarin sore pagi malam hari rencana target realisasi capaian persen miliar juta rupiah unit rumah "
          "jalan jembatan sekolah puskesmas rumah sakit terminal pelabuhan bandara kantor balai gedung").split()
_SECTIONS = ["daerah", "ekonomi", "politik", "hukum", "pendidikan", "kesehatan", "olahraga", "wisata",
             "peristiwa", "nasional", "opini", "teknologi"]
_HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        s = (f"{rng.choice(_ACTORS)} {rng.choice(_PLACES)}, {rng.choice(_NAMES)}, {rng.choice(_VERBS)} "
             f"{rng.choice(_TOPICS)} di {rng.choice(_PLACES)} {' '.join(rng.choices(_WORDS, k=rng.randint(4, 9)))}")
    elif kind < 0.5:
        s = (f"\"Kami akan {rng.choice(_VERBS)} {rng.choice(_TOPICS)} {' '.join(rng.choices(_WORDS, k=rng.randint(3, 8)))},"
             f"\" kata {rng.choice(_NAMES)} kepada wartawan")
    elif kind < 0.65:
        s = (f"Sebanyak {rng.randint(12, 4800)} {rng.choice(['warga', 'rumah', 'siswa', 'nelayan', 'petani'])} "
             f"{' '.join(rng.choices(_WORDS, k=rng.randint(4, 10)))} dengan anggaran Rp{rng.randint(1, 950)} "
             f"{rng.choice(['juta', 'miliar'])}")
    else:
        s = " ".join(rng.choices(_WORDS, k=rng.randint(9, 20)))
    return s[0].upper() + s[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


# Minified code reuses a small set of short names and a larger set of API and
# property names; CSS reuses its palette, units and class prefixes. Drawing from
# such pools (not from random letters) gives the page the redundancy of real
# portals: their HTML deflates to 15-25 % of its size.
_SHORT = [a + b for a in "abcdefghijklmnopqrstuvwxyz" for b in ["", "e", "t", "n", "r", "i", "o", "_"]][:90]
_PROPS = ("length push call apply prototype slice indexOf forEach querySelector addEventListener "
          "getAttribute setAttribute classList dataset innerHTML style display parentNode children "
          "createElement appendChild removeChild offsetTop scrollY innerHeight requestAnimationFrame "
          "googletag cmd pubads enableSingleRequest defineSlot addService display refresh dataLayer "
          "gtag config event_category event_label lazyload observe unobserve isIntersecting target "
          "src srcset sizes loading decoding width height naturalWidth complete onload onerror").split()
_CLASS_PREFIX = ["td", "jeg", "elementor", "wp-block", "sp", "read", "box", "nav", "ads", "widget", "post",
                 "entry", "header", "footer", "menu", "thumb", "list"]
_CLASS_PART = ["title", "meta", "item", "wrap", "inner", "content", "image", "label", "link", "icon", "grid",
               "col", "row", "small", "large", "active", "hidden", "sticky", "share", "related", "popular"]
_PALETTE = ["#fff", "#000", "#333", "#666", "#999", "#eee", "#f5f5f5", "#d32f2f", "#1565c0", "#0d47a1",
            "#ffc107", "#e0e0e0", "rgba(0,0,0,.5)", "transparent"]


def _ident(rng: random.Random, n: int = 0) -> str:
    return rng.choice(_SHORT)


def _css(rng: random.Random, rules: int) -> str:
    props = ["margin", "padding", "color", "background", "font-size", "line-height", "display", "width",
             "max-width", "border", "border-radius", "position", "top", "left", "z-index", "opacity",
             "transition", "transform", "flex", "grid-template-columns", "text-align", "font-weight"]
    values = [f"{v}px" for v in (0, 1, 2, 4, 5, 8, 10, 12, 14, 15, 16, 18, 20, 24, 30, 32, 40)] + _PALETTE + [
        "none", "block", "inline-block", "inherit", "100%", "50%", "auto", "flex", "relative", "absolute",
        "all .3s ease", "600", "700", "center", "1fr 1fr", "0 auto", "1px solid #eee"]
    out = []
    for _ in range(rules):
        sel = ",".join(f".{rng.choice(_CLASS_PREFIX)}-{rng.choice(_CLASS_PART)}"
                       f"{rng.choice(['', ' a', ':hover', ' img', '>li', '::before', ' .' + rng.choice(_CLASS_PART)])}"
                       for _ in range(rng.randint(1, 3)))
        decl = ";".join(f"{rng.choice(props)}:{rng.choice(values)}" for _ in range(rng.randint(2, 7)))
        out.append(f"{sel}{{{decl}}}")
    out.append("@media (max-width:768px){" + "".join(out[:rules // 5]) + "}")
    return "\n".join(out)


def _js(rng: random.Random, functions: int) -> str:
    """Minified-looking JavaScript: the bulk real portals inline for ads, analytics and lazy loading."""
    out = []
    for _ in range(functions):
        a, b, c = _ident(rng), _ident(rng), _ident(rng)
        p = rng.choice
        body = ";".join(rng.choice([
            f"var {_ident(rng)}={a}.{p(_PROPS)}({b},{rng.randint(0, 99)})",
            f"if({a}&&{b}.{p(_PROPS)}>{rng.randint(0, 64)}){{{c}.{p(_PROPS)}({{id:'{p(_CLASS_PART)}-{rng.randint(1, 9)}',t:{rng.randint(0, 999)}}})}}",
            f"{c}.{p(_PROPS)}[{rng.randint(0, 32)}]={a}.{p(_PROPS)}||{b}.{p(_PROPS)}",
            f"document.{p(_PROPS)}('.{p(_CLASS_PREFIX)}-{p(_CLASS_PART)}').{p(_PROPS)}('click',function(e){{{a}(e,'{p(_CLASS_PART)}')}})",
            f"window.dataLayer.push({{'event':'{p(_PROPS)}','{p(_PROPS)}':'{p(_CLASS_PART)}','value':{rng.randint(0, 99)}}})",
            f"for(var {a}=0;{a}<{b}.length;{a}++){{{c}[{a}].{p(_PROPS)}.{p(_PROPS)}='{p(_PALETTE)}'}}",
        ]) for _ in range(rng.randint(2, 6)))
        out.append(f"function {_ident(rng)}({a},{b},{c}){{{body}}}")
    return ";".join(out)


class Portal:
    """A deterministic synthetic portal: ``n`` articles, paginated index, sitemap, robots.txt."""

    def __init__(self, n: int, seed: int = 7):
        self.n = n
        self.seed = seed
        rng = random.Random(seed)
        # The site template: the same on every page, as on a real CMS.
        self.css = _css(rng, 260)
        self.head_js = [_js(rng, 28) for _ in range(3)]
        self.foot_js = _js(rng, 22)
        self.nav = "".join(f'<li class="menu-item"><a href="/kanal/{s}/">{s.title()}</a>'
                           f'<ul class="sub">{"".join(f"<li><a href=/kanal/{s}/{p.lower()}/>{p}</a></li>" for p in rng.sample(_PLACES, 6))}</ul></li>'
                           for s in _SECTIONS)
        self.footer = "".join(f'<li><a href="/halaman/{_ident(rng)}-{rng.randint(1, 99)}/">{" ".join(rng.choices(_WORDS, k=2)).title()}</a></li>'
                              for _ in range(60))
        start = datetime(2019, 1, 1, 6, 0, tzinfo=WIB)
        self.published = [start + timedelta(minutes=37 * i + rng.randint(0, 30)) for i in range(n)]
        self.titles = [self._title(random.Random(seed * 1_000_003 + i)) for i in range(n)]

    @staticmethod
    def _title(rng: random.Random) -> str:
        return (f"{rng.choice(_ACTORS)} {rng.choice(_PLACES)} {rng.choice(_VERBS).title()} "
                f"{rng.choice(_TOPICS).title()} di {rng.choice(_PLACES)}")

    def path(self, i: int) -> str:
        day = self.published[i]
        slug = re.sub(r"[^a-z0-9]+", "-", self.titles[i].lower()).strip("-")
        return f"/berita/{_SECTIONS[i % len(_SECTIONS)]}/{day:%Y/%m/%d}/{100000 + i}/{slug}"

    def _link_list(self, rng: random.Random, k: int, with_time: bool = True) -> str:
        items = []
        for j in rng.sample(range(self.n), min(k, self.n)):
            when = self.published[j]
            t = f'<span class="time">{_HARI[when.weekday()]}, {when.day} {_BULAN[when.month - 1]} {when.year}</span>' \
                if with_time else ""
            items.append(f'<li><div class="thumb"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
                         f'data-src="/foto/{100000 + j}.jpg" alt="Skeleton Image"></div>'
                         f'<a href="{self.path(j)}">{escape(self.titles[j])}</a>{t}</li>')
        return "".join(items)

    def _page(self, title: str, main: str, rng: random.Random, head_extra: str = "") -> bytes:
        ticker = self._link_list(rng, 6, with_time=False)
        page = f"""<!DOCTYPE html>
<html lang="id-ID">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - Kabar Nusantara</title>
{head_extra}
<style id="theme-css">{self.css}</style>
<script>{self.head_js[0]}</script>
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>window.googletag=window.googletag||{{cmd:[]}};{self.head_js[1]}</script>
<script>{self.head_js[2]}</script>
</head>
<body class="post-template single">
<div class="breaking"><strong>BREAKING NEWS</strong><ul class="ticker">{ticker}</ul></div>
<header class="site-header"><a class="logo" href="/"><img src="/logo.svg" alt="Kabar Nusantara"></a>
<nav class="main-nav"><ul class="menu">{self.nav}</ul></nav>
<form class="search" action="/cari/"><input name="q" placeholder="Cari berita"></form></header>
<div class="ads ads-top"><span>ADVERTISEMENT</span><div id="div-gpt-ad-{rng.randrange(10**12)}"></div></div>
<div class="container">
<main class="content">{main}</main>
<aside class="sidebar">
<div class="widget"><h3 class="widget-title">Berita Terbaru</h3><ul class="list-news">{self._link_list(rng, 18)}</ul></div>
<div class="ads ads-side"><span>ADVERTISEMENT</span><div id="div-gpt-ad-{rng.randrange(10**12)}"></div></div>
<div class="widget"><h3 class="widget-title">Terpopuler</h3><ol class="list-popular">{self._link_list(rng, 10)}</ol></div>
<div class="widget"><h3 class="widget-title">Pilihan Redaksi</h3><ul class="list-news">{self._link_list(rng, 8)}</ul></div>
</aside>
</div>
<footer class="site-footer"><ul class="footer-links">{self.footer}</ul>
<p>Copyright &copy; 2026 Kabar Nusantara. All rights reserved.</p></footer>
<script>{self.foot_js}</script>
</body>
</html>
"""
        return page.encode("utf-8")

    def is_multi_page(self, i: int) -> bool:
        return i % MULTI_PAGE_EVERY == 7

    def article(self, i: int, part: int = 1) -> bytes:
        rng = random.Random(self.seed * 7919 + i + 1_000_000 * (part - 1))
        when = self.published[i]
        title = self.titles[i]
        author = rng.choice(_NAMES)
        url = BASE_URL + self.path(i)
        section = _SECTIONS[i % len(_SECTIONS)]
        paragraphs = [_paragraph(rng) for _ in range(rng.randint(7, 14))]
        place = rng.choice(_PLACES).upper()
        paragraphs[0] = f"KABARNUSANTARA.EXAMPLE, {place} - {paragraphs[0]}"
        related = rng.randrange(self.n)
        body = []
        for k, p in enumerate(paragraphs):
            body.append(f"<p>{escape(p)}</p>")
            if k == 2:
                body.append(f'<p><strong>Baca juga:</strong> <a href="{self.path(related)}">{escape(self.titles[related])}</a></p>')
            if k == 4:
                body.append(f'<div class="ads ads-inarticle"><span>ADVERTISEMENT</span><div id="div-gpt-ad-{rng.randrange(10**12)}"></div></div>')
        paging = ""
        if self.is_multi_page(i):
            here = self.path(i)
            nxt = f'<a rel="next" href="{here}?page=2">Selanjutnya</a>' if part == 1 else ""
            paging = (f'<div class="pagination"><span>Halaman:</span> <a href="{here}">1</a> '
                      f'<a href="{here}?page=2">2</a> {nxt}</div>')
        if part == 2 or not self.is_multi_page(i):
            initials = rng.choice(["(do)", "(rin)", "(ant)", "(asp/hnd)"])
            body.append(f"<p>{initials}</p>")
        body.append(paging)
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                         "datePublished": when.isoformat(), "dateModified": (when + timedelta(hours=1)).isoformat(),
                         "author": {"@type": "Person", "name": author}, "articleSection": section.title(),
                         "mainEntityOfPage": url, "image": [f"{BASE_URL}/foto/{100000 + i}.jpg"],
                         "publisher": {"@type": "Organization", "name": "Kabar Nusantara"}}, ensure_ascii=False)
        head = (f'<link rel="canonical" href="{url}">\n<meta property="og:type" content="article">\n'
                f'<meta property="og:title" content="{escape(title)}">\n<meta property="og:url" content="{url}">\n'
                f'<meta property="og:site_name" content="Kabar Nusantara">\n'
                f'<meta property="article:published_time" content="{when.isoformat()}">\n'
                f'<meta name="description" content="{escape(paragraphs[0][:150])}">\n'
                f'<script type="application/ld+json">{ld}</script>')
        tags = "".join(f'<a href="/tag/{t.replace(" ", "-")}/">{t}</a>' for t in rng.sample(_TOPICS, 4))
        share = "".join(f'<a class="share-{s.lower()}" href="https://{s.lower()}.example/share?u={url}">{s}</a>'
                        for s in ("Facebook", "Twitter", "WhatsApp", "Telegram"))
        comments = "".join(f'<li class="comment"><b>{rng.choice(_NAMES)}</b><p>{escape(_sentence(rng))}</p></li>'
                           for _ in range(rng.randint(2, 8)))
        main = f"""<div class="breadcrumb"><a href="/">Home</a> &raquo; <a href="/kanal/{section}/">{section.title()}</a></div>
<article class="post">
<h1 class="entry-title">{escape(title)}</h1>
<div class="entry-meta"><span class="author">Penulis: <a href="/penulis/{author.lower().replace(' ', '-')}/">{author}</a></span>
<span class="date">{_HARI[when.weekday()]}, {when.day} {_BULAN[when.month - 1]} {when.year} | {when:%H:%M} WIB</span></div>
<figure class="featured"><img src="/foto/{100000 + i}.jpg" alt="{escape(title)}"><figcaption>Ilustrasi {escape(title.lower())}. (Foto: Dok. Kabar Nusantara)</figcaption></figure>
<div class="share-top">Bagikan: {share}</div>
<div class="entry-content">{"".join(body)}</div>
<div class="tags">Tag: {tags}</div>
<div class="share-bottom">Bagikan: {share}</div>
<div class="related"><h3>Berita Terkait</h3><ul>{self._link_list(rng, 10)}</ul></div>
<div class="comments"><h3>Komentar</h3><ul>{comments}</ul></div>
</article>"""
        return self._page(title, main, rng, head)

    def index(self, page: int) -> bytes:
        rng = random.Random(self.seed * 31 + page)
        first = (page - 1) * PER_INDEX
        items = []
        for i in range(self.n - 1 - first, max(self.n - 1 - first - PER_INDEX, -1), -1):
            when = self.published[i]
            items.append(f'<li class="index-item"><h2><a href="{self.path(i)}">{escape(self.titles[i])}</a></h2>'
                         f'<span class="date">{_HARI[when.weekday()]}, {when.day} {_BULAN[when.month - 1]} {when.year}</span></li>')
        pages = (self.n + PER_INDEX - 1) // PER_INDEX
        nxt = f'<a class="next" rel="next" href="/indeks/?page={page + 1}">Berikutnya</a>' if page < pages else ""
        main = f'<h1>Indeks Berita</h1><ul class="index-list">{"".join(items)}</ul><div class="pagination">{nxt}</div>'
        return self._page(f"Indeks Berita - Halaman {page}", main, rng)

    def files(self) -> dict[bytes, bytes]:
        """Every path (bytes, with query) -> response body, rendered once."""
        out = {b"/robots.txt": b"User-agent: *\nDisallow: /cari/\n"}
        for i in range(self.n):
            out[self.path(i).encode()] = self.article(i)
            if self.is_multi_page(i):
                out[f"{self.path(i)}?page=2".encode()] = self.article(i, 2)
        pages = (self.n + PER_INDEX - 1) // PER_INDEX
        for p in range(1, pages + 1):
            body = self.index(p)
            out[f"/indeks/?page={p}".encode()] = body
            if p == 1:
                out[b"/indeks/"] = body
        return out


def profile_toml(n: int) -> str:
    return f"""# Synthetic portal of scripts/bench_crawl.py (never a real site).
name = "Kabar Nusantara (benchmark)"
base_url = "{BASE_URL}"
domains = ["kabarnusantara.example"]
timezone = "Asia/Jakarta"

[discovery]
index_pages = ["/indeks/"]
max_index_pages = {n // PER_INDEX + 10}
article_urls = ['^https?://[^/]+/berita/[a-z]+/\\d{{4}}/\\d{{2}}/\\d{{2}}/\\d+/[a-z0-9-]+$']
"""


# --- the server ------------------------------------------------------------------------------


def serve(n: int, seed: int, ready_fd: int) -> None:
    """Serve the portal from memory (HTTP/1.1, keep-alive) until killed; write the port to ``ready_fd``."""
    files = Portal(n, seed).files()
    total = sum(len(v) for v in files.values())
    headers = {}
    for path, body in files.items():
        ctype = b"text/plain" if path == b"/robots.txt" else b"text/html; charset=UTF-8"
        headers[path] = (b"HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Type: " + ctype +
                         b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    not_found = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1]
                if b"://" in target:
                    target = b"/" + target.split(b"/", 3)[3]
                body = files.get(target)
                if body is None:
                    writer.write(not_found)
                else:
                    writer.write(headers[target])
                    writer.write(body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
        port = server.sockets[0].getsockname()[1]
        os.write(ready_fd, json.dumps({"port": port, "files": len(files), "bytes": total}).encode() + b"\n")
        os.close(ready_fd)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


class PortalServer:
    """Run :func:`serve` in a child process; ``origin`` is its http://127.0.0.1:PORT."""

    def __init__(self, n: int, seed: int = 7):
        self.n, self.seed = n, seed

    def __enter__(self) -> PortalServer:
        r, w = os.pipe()
        self.proc = subprocess.Popen([sys.executable, __file__, "_serve", str(self.n), str(self.seed), str(w)],
                                     pass_fds=(w,))
        os.close(w)
        with os.fdopen(r) as f:
            line = f.readline()
        if not line:
            self.proc.kill()
            raise RuntimeError("benchmark server did not start")
        info = json.loads(line)
        self.origin = f"http://127.0.0.1:{info['port']}"
        self.files, self.bytes = info["files"], info["bytes"]
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


# --- the crawls (each in its own process: Twisted's reactor runs once per process) ------------


class BenchClock:
    """Scrapy extension: crawl time from spider_opened to spider_closed, in the stats."""

    def __init__(self, crawler):
        from scrapy import signals

        self.crawler = crawler
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def opened(self, spider):
        self.started = time.perf_counter()
        self.cpu = time.process_time()

    def closed(self, spider, reason):
        self.crawler.stats.set_value("bench/elapsed_s", time.perf_counter() - self.started)
        self.crawler.stats.set_value("bench/main_cpu_s", time.process_time() - self.cpu)


def bench_overrides(full: bool) -> dict:
    """Settings of (a) and (b): loopback needs no politeness delays; robots.txt still obeyed.

    (b) keeps every warta component (extensions, middlewares, pipeline); (a) has
    none of them, only Scrapy's own.
    """
    from crawler import settings as project

    extensions = {**project.EXTENSIONS, "__main__.BenchClock": 0} if full else {"__main__.BenchClock": 0}
    return {
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "LOG_LEVEL": "WARNING",
        "EXTENSIONS": extensions,
        **dict(pair.split("=", 1) for pair in os.environ.get("WARTA_BENCH_SET", "").split() if pair),
    }


def _run_bare(origin: str, n: int) -> dict:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from crawler.runner import crawl_settings

    article = re.compile(r"^/berita/[a-z]+/\d{4}/\d{2}/\d{2}/\d+/[a-z0-9-]+$")

    class BareSpider(scrapy.Spider):
        """Same discovery as warta's spider (index pages, then article links), nothing stored."""

        name = "bare"
        pages_seen = 0

        async def start(self):
            yield scrapy.Request(origin + "/indeks/", callback=self.parse_index, priority=0, dont_filter=True)

        def parse_index(self, response):
            self.pages_seen += 1
            for href in response.css("a::attr(href)").getall():
                url = response.urljoin(href)
                if article.match(url[len(origin):]):
                    yield scrapy.Request(url, callback=self.parse_article, priority=100)
            nxt = response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').get()
            if nxt:
                yield response.follow(nxt, callback=self.parse_index, priority=0 - self.pages_seen)

        def parse_article(self, response):
            # Pages 2..n of a multi-page article: links to the same path with another query.
            here = response.url.split("?")[0]
            for href in response.css("a::attr(href)").getall():
                url = response.urljoin(href)
                if url.startswith(here + "?page=") and url != response.url and not response.meta.get("part"):
                    yield scrapy.Request(url, callback=self.parse_article, priority=200, meta={"part": 2})

    settings = crawl_settings(tempfile.mktemp(suffix=".db"), overrides=bench_overrides(full=False))
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set("SPIDER_MIDDLEWARES", {}, priority="cmdline")
    settings.set("DOWNLOADER_MIDDLEWARES", {}, priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    return {k: v for k, v in stats.items() if isinstance(v, int | float | str)}


#: Markup without which a page has no pages 2..n (the --cheap-next-pages experiment).
_PAGER_HINTS = (b'rel="next"', b"rel='next'", b"?page=", b"/page/", b"selanjutnya", b"Selanjutnya", b"halaman=")


def _cheap_next_pages() -> None:
    import pipelines.core

    real = pipelines.core.next_page_urls

    def next_page_urls(html, url, profile=None):
        data = html if isinstance(html, bytes) else html.encode("utf-8", "replace")
        if not any(hint in data for hint in _PAGER_HINTS):
            return []
        return real(html, url, profile)

    pipelines.core.next_page_urls = next_page_urls


def _run_full(origin: str, n: int, db_path: str) -> dict:
    from crawler.runner import run_crawl

    if os.environ.get("WARTA_BENCH_CHEAP_NEXT"):
        _cheap_next_pages()

    report = run_crawl([SLUG], db_path, origins={SLUG: origin}, overrides=bench_overrides(full=True))
    return report.stats[SLUG]


# --- memory of a process tree ------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out.extend(int(c) for c in f.read().split())
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo.extend(_children(p))
    return pids


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _role(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read()
    except OSError:
        return "gone"
    if b"resource_tracker" in cmd:
        return "resource tracker"
    if b"spawn_main" in cmd or b"forkserver" in cmd:
        return "worker"  # (or the forkserver the workers are forked from)
    return "crawl process"


class TreeMemory(threading.Thread):
    """Samples a process and its descendants every 50 ms: peak of the summed RSS and PSS (kB)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = self.peak_pss = self.peak_procs = 0
        self.hwm: dict[int, int] = {}
        self.roles: dict[str, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pids = _tree(self.pid)
            rss = pss = 0
            for p in pids:
                one = _kb(f"/proc/{p}/status", "VmRSS:")
                rss += one
                role = _role(p)
                self.roles[role] = max(self.roles.get(role, 0), one)
                pss += _kb(f"/proc/{p}/smaps_rollup", "Pss:")
                self.hwm[p] = max(self.hwm.get(p, 0), _kb(f"/proc/{p}/status", "VmHWM:"))
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self.done.wait(0.05)


def run_child(kind: str, origin: str, n: int, db_path: str = "", env: dict | None = None) -> dict:
    """Run one crawl in a child process; its stats plus the memory of its process tree."""
    out = tempfile.mktemp(suffix=".json")
    proc = subprocess.Popen([sys.executable, __file__, kind, origin, str(n), db_path, out],
                            env={**os.environ, **(env or {})}, cwd=str(ROOT))
    mem = TreeMemory(proc.pid)
    mem.start()
    rc = proc.wait()
    mem.done.set()
    mem.join()
    if rc != 0:
        raise RuntimeError(f"{kind} crawl failed with exit code {rc}")
    stats = json.loads(Path(out).read_text())
    os.unlink(out)
    stats["bench/peak_rss_mb"] = mem.peak_rss / 1024
    stats["bench/peak_pss_mb"] = mem.peak_pss / 1024
    stats["bench/sum_hwm_mb"] = sum(mem.hwm.values()) / 1024
    stats["bench/processes"] = mem.peak_procs
    stats["bench/roles_mb"] = {k: v / 1024 for k, v in mem.roles.items()}
    return stats


# --- per-stage timing pass ------------------------------------------------------------------------


def stage_times(portal: Portal, sample: int) -> dict[str, float]:
    """Median ms/page of each page -> article stage on ``sample`` bench article pages, in this process.

    ``derive_article`` runs whole; its stages are timed by wrapping the stage
    functions of ``pipelines.core`` it calls (``_parse``, ``_clean_body``,
    ``_dates_for``), so nothing in the pipeline is changed for the benchmark;
    ``extract`` is the rest (metadata, finding the body, validation, dedupe).
    Also timed: ``next_page_urls`` (the spider calls it on the reactor thread for
    every article page) and the bare spider's per-page link scan.
    """
    import parsel

    from pipelines import core
    from pipelines.page import Page
    from pipelines.profiles import load_profile

    profile = load_profile(SLUG)
    fetched = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    step = max(1, portal.n // sample)
    pages = [Page(url=BASE_URL + portal.path(i), body=portal.article(i), fetched_at=fetched, site=SLUG,
                  headers={"Content-Type": "text/html; charset=UTF-8"}) for i in range(0, portal.n, step)][:sample]
    for page in pages[:5]:  # warm caches (regexes, dateparser) as a long crawl would
        core.derive_article([page], profile)
    wrapped = {"parse": "_parse", "clean": "_clean_body", "dates": "_dates_for"}
    spent: dict[str, float] = {}
    originals = {}

    def timer(stage, fn):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] = spent.get(stage, 0.0) + (time.perf_counter() - t0) * 1000

        return timed

    for stage, name in wrapped.items():
        if callable(getattr(core, name, None)):
            originals[name] = getattr(core, name)
            setattr(core, name, timer(stage, originals[name]))
    times: dict[str, list[float]] = {}
    try:
        for page in pages:
            spent.clear()
            t0 = time.perf_counter()
            core.derive_article([page], profile)
            total = (time.perf_counter() - t0) * 1000
            for stage in wrapped:
                if stage in spent:
                    times.setdefault(stage, []).append(spent[stage])
            times.setdefault("extract", []).append(max(0.0, total - sum(spent.values())))
            times.setdefault("derive_article", []).append(total)
    finally:
        for name, fn in originals.items():
            setattr(core, name, fn)
    for page in pages:
        if hasattr(core, "next_page_urls"):
            t0 = time.perf_counter()
            core.next_page_urls(page.body, page.url, profile)
            times.setdefault("next_page_urls", []).append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        here = page.url.split("?")[0]
        for href in parsel.Selector(text=page.body.decode("utf-8")).css("a::attr(href)").getall():
            urljoin(page.url, href).startswith(here + "?page=")
        times.setdefault("bare_link_scan", []).append((time.perf_counter() - t0) * 1000)
    return {k: statistics.median(v) for k, v in times.items() if v}


# --- the report -------------------------------------------------------------------------------------


def _pages_per_s(stats: dict) -> float:
    return stats.get("response_received_count", 0) / max(stats.get("bench/elapsed_s", 0), 1e-9)


def _articles_per_s(stats: dict, n: int) -> float:
    return n / max(stats.get("bench/elapsed_s", 0), 1e-9)


def reprocess_figures(db_path: str) -> dict:
    from pipelines.archive import open_archive
    from pipelines.reprocess import reprocess_archive

    db = open_archive(db_path)
    started = time.perf_counter()
    report = reprocess_archive(db)
    elapsed = time.perf_counter() - started
    db.close()
    return {"pages": report.pages, "seconds": elapsed, "pages_per_s": report.pages / elapsed,
            "counts": report.counts(), "derive_ms": report.derive_ms / max(report.pages, 1)}


def storage_figures(db_path: str) -> dict:
    import sqlite3

    conn = sqlite3.connect(db_path)
    stored, raw, rows = conn.execute("select sum(length(body)), sum(body_size), count(*) from pages").fetchone()
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    return {"pages": rows, "articles": articles, "stored_bytes": stored or 0, "raw_bytes": raw or 0,
            "ratio": (stored or 0) / max(raw or 1, 1), "db_bytes": os.path.getsize(db_path)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages of the portal (default 2000)")
    parser.add_argument("--repeats", type=int, default=3, help="(a)/(b) rounds, medians reported (default 3)")
    parser.add_argument("--rss-pages", type=int, default=10000,
                        help="pages of the extra memory run, 0 to skip (default 10000)")
    parser.add_argument("--sample", type=int, default=200, help="pages in the per-stage timing pass")
    parser.add_argument("--workers", type=int, default=None, help="WARTA_WORKERS for (b) (default: cores)")
    parser.add_argument("--json", help="also write every figure to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (archives, profile)")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy/warta setting for both crawls (repeatable)")
    parser.add_argument("--cheap-next-pages", action="store_true",
                        help="experiment: in (b), skip the spider's next-page parse of pages without pager markup")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="warta-bench-"))
    try:
        return _bench(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _bench(args, work: Path) -> int:
    sites = work / "sites"
    sites.mkdir()
    (sites / f"{SLUG}.toml").write_text(profile_toml(max(args.pages, args.rss_pages)), encoding="utf-8")
    os.environ["WARTA_SITES_PATH"] = str(sites)
    env = {"WARTA_SITES_PATH": str(sites)}
    if args.settings:
        os.environ["WARTA_BENCH_SET"] = " ".join(args.settings)
    if args.cheap_next_pages:
        env["WARTA_BENCH_CHEAP_NEXT"] = "1"
    if args.workers is not None:
        env["WARTA_WORKERS"] = str(args.workers)
    figures: dict = {"pages": args.pages, "repeats": args.repeats, "cores": os.cpu_count(), "rounds": [],
                     "load_before": os.getloadavg()[0], "work": str(work), "settings": args.settings,
                     "cheap_next_pages": args.cheap_next_pages}

    print(f"generating and serving a {args.pages}-page portal ...", flush=True)
    with PortalServer(args.pages) as server:
        avg = server.bytes / server.files
        print(f"  {server.files} files, {server.bytes / 1e6:.1f} MB, {avg / 1024:.0f} KB/page on {server.origin}")
        figures["page_kb"] = avg / 1024
        last_db = None
        for r in range(args.repeats):
            bare = run_child("_bare", server.origin, args.pages)
            (work / f"round-{r}").mkdir()
            db = str(work / f"round-{r}" / "archive.db")  # own folder: the runner keeps crawl state beside it
            full = run_child("_full", server.origin, args.pages, db, env)
            last_db = db
            row = {
                "bare_pages_s": _pages_per_s(bare), "full_pages_s": _pages_per_s(full),
                "bare_articles_s": _articles_per_s(bare, args.pages),
                "full_articles_s": _articles_per_s(full, args.pages),
                "bare_rss_mb": bare["bench/peak_rss_mb"], "full_rss_mb": full["bench/peak_rss_mb"],
                "bare_pss_mb": bare["bench/peak_pss_mb"], "full_pss_mb": full["bench/peak_pss_mb"],
                "full_processes": full["bench/processes"],
                "full_roles_mb": full["bench/roles_mb"], "bare_roles_mb": bare["bench/roles_mb"],
                "bare_cpu_s": bare.get("bench/main_cpu_s"), "full_main_cpu_s": full.get("bench/main_cpu_s"),
                "stored": full.get("warta/articles_inserted", 0),
                "derive_ms": full.get("warta/time/derive_ms", 0) / max(full.get("warta/time/derived", 1), 1),
                "store_ms": full.get("warta/time/store_ms", 0) / max(full.get("warta/time/derived", 1), 1),
                "bare_main_cpu_ms": 1000 * bare.get("bench/main_cpu_s", 0) / max(bare.get("response_received_count", 1), 1),
                "full_main_cpu_ms": 1000 * full.get("bench/main_cpu_s", 0) / max(full.get("response_received_count", 1), 1),
            }
            row["ratio"] = row["full_pages_s"] / row["bare_pages_s"]
            figures["rounds"].append(row)
            print(f"  round {r + 1}: bare {row['bare_pages_s']:.0f} pages/s, full {row['full_pages_s']:.0f} pages/s "
                  f"(ratio {row['ratio']:.2f}); {row['stored']} articles stored; RSS bare {row['bare_rss_mb']:.0f} MB, "
                  f"full {row['full_rss_mb']:.0f} MB", flush=True)
        rounds = figures["rounds"]

        def med(key):
            return statistics.median(r[key] for r in rounds)

        summary = {k: med(k) for k in rounds[0] if isinstance(rounds[0][k], int | float)}
        figures["median"] = summary
        print("timing pass over the bench pages ...", flush=True)
        figures["stages_ms"] = stage_times(Portal(args.pages), args.sample)
        figures["storage"] = storage_figures(last_db)
        print("reprocess of the last (b) archive ...", flush=True)
        figures["reprocess"] = reprocess_figures(last_db)

    if args.rss_pages:
        print(f"memory run: a {args.rss_pages}-page portal ...", flush=True)
        with PortalServer(args.rss_pages) as server:
            (work / "rss").mkdir()
            big = run_child("_full", server.origin, args.rss_pages, str(work / "rss" / "archive.db"), env)
            figures["rss_run"] = {"pages": args.rss_pages, "rss_mb": big["bench/peak_rss_mb"],
                                  "roles_mb": big["bench/roles_mb"],
                                  "pss_mb": big["bench/peak_pss_mb"], "pages_s": _pages_per_s(big),
                                  "stored": big.get("warta/articles_inserted", 0)}

    figures["load_after"] = os.getloadavg()[0]
    print(report_text(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


def _roles(roles: dict) -> str:
    return ", ".join(f"{name} {mb:.0f}" for name, mb in sorted(roles.items(), key=lambda kv: -kv[1]))


def report_text(f: dict) -> str:
    m = f["median"]
    s = f["stages_ms"]
    lines = [
        "",
        *([f"settings for both crawls: {' '.join(f['settings'])}"] if f.get("settings") else []),
        *(["(b) ran with a pager pre-check before the spider's next_page_urls"] if f.get("cheap_next_pages") else []),
        f"warta throughput benchmark: {f['pages']} article pages of {f['page_kb']:.0f} KB, {f['cores']} cores, "
        f"medians of {f['repeats']} alternating rounds (load average {f['load_before']:.1f} before, "
        f"{f['load_after']:.1f} after)",
        f"  (a) bare Scrapy ceiling   {m['bare_pages_s']:7.1f} pages/s   peak RSS {m['bare_rss_mb']:6.0f} MB "
        f"(PSS {m['bare_pss_mb']:.0f} MB)",
        f"  (b) full warta crawl      {m['full_pages_s']:7.1f} pages/s   peak RSS {m['full_rss_mb']:6.0f} MB "
        f"(PSS {m['full_pss_mb']:.0f} MB, {m['full_processes']:.0f} processes)",
        f"      per process (peak RSS, MB): {_roles(f['rounds'][-1]['full_roles_mb'])}",
        f"  ratio (b)/(a)             {m['ratio']:7.2f}            (target >= 0.80)",
        "  page -> article, ms/page (median over the timing pass; in-crawl mean in brackets):",
    ]
    for key, what in (("parse", "decode + lxml"), ("extract", "metadata, body finding, validation: the rest"),
                      ("clean", "boilerplate"), ("dates", "gather + pick")):
        if key in s:
            lines.append(f"    {key:<16} {s[key]:6.2f}   ({what})")
    lines.append(f"    {'derive_article':<16} {s['derive_article']:6.2f}   [{m['derive_ms']:.2f} in the workers]"
                 "   (target <= 5)")
    lines.append(f"    {'store':<16} {m['store_ms']:6.2f}   (in the workers, per page, one transaction per batch)")
    if "next_page_urls" in s:
        lines.append(f"    {'next_page_urls':<16} {s['next_page_urls']:6.2f}   (the spider, on the reactor thread, every article page)")
    if "bare_link_scan" in s:
        lines.append(f"    {'bare link scan':<16} {s['bare_link_scan']:6.2f}   ((a)'s per-page next-page scan, parsel)")
    lines.append(f"  reactor-process CPU per fetched page: bare {m['bare_main_cpu_ms']:.2f} ms, full {m['full_main_cpu_ms']:.2f} ms")
    st = f["storage"]
    lines.append(f"  raw pages stored: {st['stored_bytes'] / 1e6:.1f} MB of {st['raw_bytes'] / 1e6:.1f} MB "
                 f"uncompressed = {st['ratio'] * 100:.1f} % (target <= 25 %); {st['articles']} articles, "
                 f"archive file {st['db_bytes'] / 1e6:.1f} MB")
    rp = f.get("reprocess")
    if rp:
        lines.append(f"  reprocess: {rp['pages']} pages in {rp['seconds']:.1f} s = {rp['pages_per_s']:.0f} pages/s "
                     f"(target >= 300; derive_article {rp['derive_ms']:.2f} ms/page in the workers); {rp['counts']}")
    rr = f.get("rss_run")
    if rr:
        ratio = rr["rss_mb"] / m["full_rss_mb"]
        lines.append(f"  {rr['pages']}-page crawl: peak RSS {rr['rss_mb']:.0f} MB (PSS {rr['pss_mb']:.0f} MB) = "
                     f"{ratio:.2f} x the {f['pages']}-page figure (targets <= 250 MB, <= 1.20 x); "
                     f"{rr['pages_s']:.0f} pages/s, {rr['stored']} stored; per process: {_roles(rr['roles_mb'])}")
    return "\n".join(lines)


def _child(argv: list[str]) -> int:
    kind = argv[0]
    if kind == "_serve":
        serve(int(argv[1]), int(argv[2]), int(argv[3]))
        return 0
    origin, n, db_path, out = argv[1], int(argv[2]), argv[3], argv[4]
    if kind != "_bare":
        from pipelines.parallel import keep_heavy_modules_out

        keep_heavy_modules_out()  # as `warta crawl` does
    stats = _run_bare(origin, n) if kind == "_bare" else _run_full(origin, n, db_path)
    Path(out).write_text(json.dumps(stats, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        sys.exit(_child(sys.argv[1:]))
    sys.exit(main())
