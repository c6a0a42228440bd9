"""A crawl follows a story's pager to the end, also when each page links only the next one."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PARAGRAPHS = {
    1: "Kabarpesisir.example - Nelayan di Pelabuhan Karangantu, Kota Serang, mengeluhkan cuaca buruk "
       "yang membuat mereka tidak melaut selama sepekan, Senin (13/1/2020).",
    2: "Ketua kelompok nelayan setempat, Darsono, mengatakan gelombang setinggi tiga meter membuat "
       "perahu kecil tidak berani keluar dari dermaga sejak pekan lalu.",
    3: "Dinas Kelautan dan Perikanan Banten berjanji menyalurkan bantuan beras bagi keluarga nelayan "
       "yang terdampak hingga cuaca kembali normal.",
}
STORY = "/berita/2020/01/13/nelayan-karangantu-tak-melaut"


def story_page(n: int) -> bytes:
    pager = f'<div class="pagination"><a href="{STORY}?page={n + 1}">Selanjutnya</a></div>' if n < 3 else ""
    filler = " ".join([PARAGRAPHS[n]] * 2)
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Nelayan Karangantu Tak Melaut - Kabar Pesisir</title>
<link rel="canonical" href="{{origin}}{STORY}"></head><body>
<nav><a href="/">Beranda</a> <a href="/kategori/daerah/">Daerah</a></nav>
<article><h1>Nelayan Karangantu Tak Melaut Sepekan Akibat Cuaca Buruk</h1>
<div class="byline">Oleh: Siti Rahmawati | Senin, 13 Januari 2020 | 10:15 WIB</div>
<div class="entry-content"><p>{PARAGRAPHS[n]}</p><p>{filler}</p></div>{pager}</article>
<footer>© 2020 Kabar Pesisir</footer></body></html>""".encode()


class Handler(BaseHTTPRequestHandler):
    requested: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        origin = f"http://{self.headers['Host']}"
        self.requested.append(self.path)
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        elif self.path == "/feed.xml":
            body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Kabar Pesisir</title>'
                    f"<item><title>Nelayan</title><link>{origin}{STORY}</link>"
                    "<pubDate>Mon, 13 Jan 2020 03:15:00 GMT</pubDate></item></channel></rss>").encode()
            kind = "application/rss+xml"
        elif self.path.startswith(STORY):
            n = int(self.path.partition("?page=")[2] or 1)
            body, kind = story_page(n).replace(b"{origin}", origin.encode()), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_next_only_pager_is_followed_to_the_last_page(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "kabar-pesisir.toml").write_text(
        f'name = "Kabar Pesisir (test)"\nbase_url = "{origin}"\ntimezone = "Asia/Jakarta"\n'
        '[discovery]\nfeeds = ["/feed.xml"]\narticle_urls = [\'/berita/\\d{4}/\']\n'
    )
    env = {**os.environ, "WARTA_SITES_PATH": str(sites), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    db_path = tmp_path / "archive.db"
    fast = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_START_DELAY": "0.01", "WARTA_PROGRESS": "off"}
    args = [arg for k, v in fast.items() for arg in ("--set", f"{k}={v}")]
    try:
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "crawl", "kabar-pesisir", "--db", str(db_path), "--jobdir", "", *args],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    conn = sqlite3.connect(db_path)
    rows = conn.execute("select title, author, published, body, page_count from articles").fetchall()
    assert len(rows) == 1
    title, author, published, body, page_count = rows[0]
    assert title == "Nelayan Karangantu Tak Melaut Sepekan Akibat Cuaca Buruk"
    assert author == "Siti Rahmawati"
    assert published == "2020-01-13T10:15:00+07:00"
    assert page_count == 3
    for text in PARAGRAPHS.values():
        assert text in body
    assert [r[0] for r in conn.execute("select part from pages order by part")] == [1, 2, 3]
    assert json.loads(conn.execute("select stats from crawls").fetchone()[0])
    story_fetches = [p for p in Handler.requested if p.startswith(STORY)]
    assert len(story_fetches) == len(set(story_fetches)) == 3
