"""A loopback news site that misbehaves on purpose: one URL per fault a crawl must survive.

Every fault lives under ``/berita/`` and is listed in ``/feed.xml`` (RSS) and
``/sitemap.xml``, so a crawl of the ``faultsite`` profile meets each of them.
The server records every request (path, time, user agent) so tests can check
what was fetched, how often and how politely.

Example usage::

    with serve_faults() as server:
        write_profile(tmp_path, server.origin)
        ...  # crawl it
        server.hits("/berita/flaky-500.html")  # -> 2
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: The public base URL of the fault site's profile; the crawl maps it onto the server.
BASE_URL = "https://faults.example"

PROFILE_SLUG = "faultsite"

#: Seconds the /timeout page sleeps before answering; tests set DOWNLOAD_TIMEOUT below it.
TIMEOUT_SLEEP = 4.0

#: 20 MB: above warta's DOWNLOAD_MAXSIZE, far above any real article page.
HUGE_SIZE = 20 * 1024 * 1024

_PARAGRAPHS = [
    "Pemerintah Kabupaten Lebak menggelar rapat koordinasi bersama para camat pada Kamis pagi "
    "untuk membahas kesiapan menghadapi musim hujan yang diperkirakan datang lebih awal tahun ini.",
    "Kepala Badan Penanggulangan Bencana Daerah mengatakan sedikitnya dua belas desa di wilayah "
    "selatan rawan banjir dan longsor, sehingga warga diminta waspada terhadap cuaca ekstrem.",
    "Menurutnya, tim gabungan sudah disiagakan di setiap kecamatan, lengkap dengan perahu karet, "
    "tenda darurat dan logistik yang cukup untuk kebutuhan warga selama satu pekan pertama.",
    "Sejumlah warga yang ditemui di Rangkasbitung menyambut baik langkah tersebut. Mereka berharap "
    "saluran air di permukiman segera dibersihkan agar genangan tidak kembali terjadi seperti tahun lalu.",
    "Rapat juga menyepakati jadwal kerja bakti serentak pada akhir pekan depan, yang akan melibatkan "
    "aparat desa, karang taruna, dan relawan dari berbagai organisasi kemasyarakatan setempat.",
]


def article_html(slug: str, title: str, *, day: str = "2019-11-28", extra: str = "", charset: str = "utf-8",
                 paragraphs: list[str] | None = None) -> str:
    """A plain, well-formed news article page (JSON-LD, OpenGraph and a dated body)."""
    paras = "\n".join(f"<p>{p}</p>" for p in (paragraphs or _PARAGRAPHS))
    return f"""<!DOCTYPE html>
<html lang="id"><head>
<meta charset="{charset}">
<title>{title} - Kabar Gangguan</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{day}T09:30:00+07:00">
<link rel="canonical" href="{BASE_URL}/berita/{slug}.html">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{title}", "datePublished": "{day}T09:30:00+07:00", "author": {{"@type": "Person", "name": "Rina Marlina"}}}}</script>
</head><body>
<header><nav><a href="/">Beranda</a> <a href="/berita/">Berita</a></nav></header>
<article class="post">
<h1 class="entry-title">{title}</h1>
<div class="meta">Rina Marlina - Kamis, 28 November 2019 09:30 WIB</div>
<div class="entry-content">
{paras}
{extra}
</div>
</article>
<footer>&copy; 2019 Kabar Gangguan</footer>
</body></html>"""


@dataclass(frozen=True)
class Fault:
    """One URL of the fault site and what a correct crawl does with it.

    ``outcome`` is ``stored`` (an article in the archive), ``failure`` (a row in
    ``failures``) or ``not-article`` (kept in ``pages`` with a skip reason, or a
    failure at the extract stage).
    """

    path: str
    what: str
    outcome: str


FAULTS = [
    Fault("/berita/kontrol.html", "a healthy article (control)", "stored"),
    Fault("/berita/flaky-500.html", "HTTP 500 once, then the article", "stored"),
    Fault("/berita/flaky-503.html", "HTTP 503 twice, then the article", "stored"),
    Fault("/berita/hilang.html", "HTTP 404", "failure"),
    Fault("/berita/sibuk-429.html", "HTTP 429 with Retry-After: 2, then the article", "stored"),
    Fault("/berita/lambat-timeout.html", f"no answer for {TIMEOUT_SLEEP:.0f} s (a timeout)", "failure"),
    Fault("/berita/tetes-lambat.html", "the article dripped out in small pieces", "stored"),
    Fault("/berita/terpotong.html", "Content-Length larger than the body sent (truncated)", "failure"),
    Fault("/berita/putar-a.html", "a redirect loop (a -> b -> a)", "failure"),
    Fault("/berita/biner.html", "binary bytes served as text/html", "not-article"),
    Fault("/berita/raksasa.html", "a 20 MB page", "failure"),
    Fault("/berita/charset-salah.html", "UTF-8 text declared as ISO-8859-1", "stored"),
    Fault("/berita/html-rusak.html", "malformed HTML (unclosed tags, stray end tags)", "stored"),
    Fault("/berita/kosong.html", "an empty 200", "not-article"),
    Fault("/berita/rahasia/dilarang.html", "disallowed by robots.txt", "failure"),
    Fault("/berita/pindah-situs.html", "a redirect to another site", "failure"),
    Fault("/berita/pindah-alamat.html", "a redirect to the site's public address (a mirror is crawled)", "stored"),
    Fault("/berita/cp1252.html", "windows-1252 text declared UTF-8", "stored"),
]

#: Articles listed only in gzipped sitemaps (/peta-arsip.xml.gz as application/x-gzip,
#: /peta-lama as application/octet-stream); /peta-bom.xml.gz unpacks to 60 MB of nothing.
GZIP_ONLY = {"/peta-arsip.xml.gz": "/berita/arsip-gzip.html", "/peta-lama": "/berita/lama-gzip.html"}
GZIP_BOMB = "/peta-bom.xml.gz"
#: The sitemaps of the default profile: the plain one, the gzipped ones and the bomb.
SITEMAPS = ("/sitemap.xml", *GZIP_ONLY, GZIP_BOMB)

ROBOTS_TXT = "User-agent: *\nDisallow: /berita/rahasia/\n"


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, robots_txt: str | None = ROBOTS_TXT):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.robots_txt = robots_txt
        self.lock = threading.Lock()
        self.requests: list[tuple[str, float, str]] = []
        self.counts: dict[str, int] = {}
        self.stopping = threading.Event()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def hits(self, path: str) -> int:
        """How many times ``path`` was requested."""
        with self.lock:
            return sum(1 for p, _, _ in self.requests if p == path)

    def times(self, path: str) -> list[float]:
        with self.lock:
            return [t for p, t, _ in self.requests if p == path]

    def paths(self) -> list[str]:
        """Every path requested so far, in order."""
        with self.lock:
            return [p for p, _, _ in self.requests]

    def user_agents(self) -> set[str]:
        with self.lock:
            return {ua for _, _, ua in self.requests}

    def _count(self, path: str, ua: str) -> int:
        with self.lock:
            self.requests.append((path, time.monotonic(), ua))
            self.counts[path] = self.counts.get(path, 0) + 1
            return self.counts[path]


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _article(self, slug: str, title: str, **kw) -> None:
        self._send(200, article_html(slug, title, **kw).encode("utf-8"))

    def do_GET(self):  # noqa: C901 - one branch per fault, read top to bottom
        path = self.path.split("?", 1)[0]
        n = self.server._count(path, self.headers.get("User-Agent", ""))
        if path == "/robots.txt":
            if self.server.robots_txt is None:  # robots.txt "unreachable"
                return self._send(503, b"<h1>Service Unavailable</h1>")
            return self._send(200, self.server.robots_txt.encode(), "text/plain; charset=utf-8")
        if path == "/feed.xml":
            return self._send(200, feed_xml(self.server.origin).encode(), "application/rss+xml; charset=utf-8")
        if path == "/sitemap.xml":
            return self._send(200, sitemap_xml(self.server.origin).encode(), "application/xml; charset=utf-8")
        if path in GZIP_ONLY:
            body = gzip.compress(sitemap_xml(self.server.origin, [GZIP_ONLY[path]]).encode())
            return self._send(200, body, "application/x-gzip" if path.endswith(".gz") else "application/octet-stream")
        if path == GZIP_BOMB:
            return self._send(200, _gzip_bomb(), "application/x-gzip")
        if path.startswith("/peta/"):  # small sitemaps: /peta/<slug>.xml lists /berita/<slug>.html
            return self._send(200, sitemap_xml(self.server.origin, [f"/berita/{path[6:-4]}.html"]).encode(),
                              "application/xml; charset=utf-8")
        if path == "/berita/kontrol.html":
            return self._article("kontrol", "Pemkab Lebak Siapkan Posko Siaga Banjir")
        if path == "/berita/flaky-500.html":
            if n == 1:
                return self._send(500, b"<h1>Internal Server Error</h1>")
            return self._article("flaky-500", "Harga Beras di Pasar Rangkasbitung Naik")
        if path == "/berita/flaky-503.html":
            if n <= 2:
                return self._send(503, b"<h1>Service Unavailable</h1>")
            return self._article("flaky-503", "Jalan Provinsi Menuju Malingping Diperbaiki")
        if path == "/berita/hilang.html":
            return self._send(404, b"<h1>Halaman tidak ditemukan</h1>")
        if path == "/berita/sibuk-429.html":
            if n == 1:
                return self._send(429, b"<h1>Terlalu banyak permintaan</h1>", headers={"Retry-After": "2"})
            return self._article("sibuk-429", "Ribuan Warga Ikuti Jalan Sehat HUT Lebak")
        if path == "/berita/lambat-timeout.html":
            self.server.stopping.wait(TIMEOUT_SLEEP)
            with contextlib.suppress(OSError):
                self._article("lambat-timeout", "Artikel yang Terlambat")
            return None
        if path == "/berita/tetes-lambat.html":
            body = article_html("tetes-lambat", "Petani Cisimeut Panen Raya Padi Organik").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            step = max(1, len(body) // 8)
            for i in range(0, len(body), step):
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                if self.server.stopping.wait(0.1):
                    break
            return None
        if path == "/berita/terpotong.html":
            body = article_html("terpotong", "Berita yang Terpotong").encode()
            self._send(200, body[: len(body) // 3], length=len(body))
            self.close_connection = True
            return None
        if path == "/berita/putar-a.html":
            return self._send(302, b"", headers={"Location": "/berita/putar-b.html"})
        if path == "/berita/putar-b.html":
            return self._send(302, b"", headers={"Location": "/berita/putar-a.html"})
        if path == "/berita/biner.html":
            return self._send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(6000))
        if path == "/berita/raksasa.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(HUGE_SIZE))
            self.end_headers()
            chunk = b"<p>" + b"isi " * 16380 + b"</p>\n"
            sent = 0
            with contextlib.suppress(OSError):
                while sent < HUGE_SIZE and not self.server.stopping.is_set():
                    piece = chunk[: HUGE_SIZE - sent]
                    self.wfile.write(piece)
                    sent += len(piece)
            self.close_connection = True
            return None
        if path == "/berita/charset-salah.html":
            html = article_html("charset-salah", "Kafé Kopi Baduy Raih Penghargaan “Terbaik”",
                                charset="iso-8859-1")
            return self._send(200, html.encode("utf-8"), "text/html; charset=iso-8859-1")
        if path == "/berita/html-rusak.html":
            html = article_html("html-rusak", "Festival Seren Taun Digelar di Kasepuhan Ciptagelar",
                                extra="<div><p>Tanpa penutup <b>tebal <i>miring</p></div></span></td>")
            html = html.replace("</article>", "").replace("</body></html>", "")
            return self._send(200, html.encode("utf-8"))
        if path == "/berita/kosong.html":
            return self._send(200, b"")
        if path == "/berita/pindah-situs.html":  # another host: 127.0.0.2 is loopback, not this site
            port = self.server.server_address[1]
            return self._send(302, b"", headers={"Location": f"http://127.0.0.2:{port}/berita/kontrol.html"})
        if path == "/berita/pindah-alamat.html":  # the public address: a crawl of a mirror maps it back
            return self._send(301, b"", headers={"Location": f"{BASE_URL}/berita/alamat-baru.html"})
        if path == "/berita/alamat-baru.html":
            return self._article("pindah-alamat", "Kantor Samsat Rangkasbitung Pindah ke Gedung Baru")
        if path in ("/berita/arsip-gzip.html", "/berita/lama-gzip.html"):
            slug = path[len("/berita/"):-len(".html")]
            return self._article(slug, f"Arsip Lama Dibuka untuk Umum ({slug})")
        if path == "/berita/cp1252.html":
            html = article_html("cp1252", "Kafé Kopi Baduy Raih Penghargaan “Terbaik” – Jum’at Pagi")
            return self._send(200, html.encode("cp1252"), "text/html; charset=utf-8")
        if path.startswith("/berita/rahasia/"):
            return self._article("rahasia/dilarang", "Ini Tidak Boleh Diambil")
        return self._send(404, b"<h1>404</h1>")

    do_HEAD = do_GET


def feed_xml(origin: str) -> str:
    items = "\n".join(
        f"<item><title>{f.what}</title><link>{BASE_URL}{f.path}</link>"
        f"<pubDate>Thu, 28 Nov 2019 09:30:00 +0700</pubDate></item>"
        for f in FAULTS
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kabar Gangguan</title><link>{BASE_URL}/</link>
{items}
</channel></rss>"""


@functools.cache
def _gzip_bomb() -> bytes:
    """60 MB of spaces in ~60 KB of gzip: more than any sitemap may unpack to."""
    return gzip.compress(b'<?xml version="1.0"?><urlset>' + b" " * (60 * 1024 * 1024) + b"</urlset>", 9)


def sitemap_xml(origin: str, paths: list[str] | None = None) -> str:
    paths = [f.path for f in FAULTS] if paths is None else paths
    urls = "\n".join(f"<url><loc>{BASE_URL}{p}</loc><lastmod>2019-11-28</lastmod></url>" for p in paths)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>"""


def write_profile(folder: Path, slug: str = PROFILE_SLUG, *, sitemaps: tuple[str, ...] = SITEMAPS,
                  feeds: tuple[str, ...] = ("/feed.xml",), index_pages: tuple[str, ...] = (),
                  domains: tuple[str, ...] = ("faults.example",)) -> Path:
    """Write a profile of the fault site into ``folder`` (put it on WARTA_SITES_PATH).

    The default is the ``faultsite`` profile (the feed and the sitemap listing every fault).
    """
    path = Path(folder) / f"{slug}.toml"
    path.write_text(
        f'''name = "Kabar Gangguan (fault server)"
base_url = "{BASE_URL}"
domains = {json.dumps(list(domains))}
timezone = "Asia/Jakarta"

[discovery]
feeds = {json.dumps(list(feeds))}
sitemaps = {json.dumps(list(sitemaps))}
index_pages = {json.dumps(list(index_pages))}
article_urls = ['/berita/.+\\.html$']
''',
        encoding="utf-8",
    )
    return path


#: ``warta`` run from this checkout in a child process (a crawl runs Twisted's reactor once per process).
WARTA = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main())"]

#: Fast but otherwise default settings: the server is on loopback, so politeness
#: delays would only slow a test; retries, robots and size limits stay as shipped.
FAST = {
    "DOWNLOAD_TIMEOUT": "1",
    "RETRY_TIMES": "2",
    "WARTA_RETRY_BACKOFF_BASE": "0.1",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_START_DELAY": "0.01",
    "WARTA_PROGRESS": "log",
    "WARTA_PROGRESS_INTERVAL": "1",
}


def settings_args(origins: dict[str, str], extra: dict | None = None) -> list[str]:
    """``--set`` arguments: :data:`FAST`, the sites' origins and ``extra``."""
    values = {**FAST, "WARTA_SITE_ORIGINS": json.dumps(origins), **(extra or {})}
    return [arg for name, value in values.items() for arg in ("--set", f"{name}={value}")]


def run_warta(args: list[str], env: dict, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``warta ARGS`` in a child process and wait for it."""
    return subprocess.run([*WARTA, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def warta_env(sites: Path, **extra: str) -> dict[str, str]:
    """The environment of a child ``warta``: profiles from ``sites``, this checkout importable."""
    return {**os.environ, "WARTA_SITES_PATH": str(sites), "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
            **extra}


def query_now(db_path: Path, sql: str) -> list[tuple]:
    """Rows of ``sql`` on an archive a running crawl may be writing (read-only; [] when not readable yet)."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


@contextlib.contextmanager
def serve_faults(robots_txt: str | None = ROBOTS_TXT):
    """Run a :class:`FaultServer` on a free loopback port for the ``with`` block.

    :param robots_txt: what /robots.txt says; None answers 503 there.
    """
    server = FaultServer(robots_txt)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


if __name__ == "__main__":  # pragma: no cover - manual poking: python tests/faultserver.py
    with serve_faults() as s:
        print(f"fault server at {s.origin} (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
