"""Incremental crawls fetch only what is new; --refresh fetches again and keeps earlier versions; --since."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from faultserver import _PARAGRAPHS, article_html

from crawler.demo import demo_articles, demo_sites, serve_demo

WARTA = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main())"]
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_START_DELAY": "0.01", "WARTA_PROGRESS": "log"}

CHANGING_BASE = "https://berubah.example"
CHANGING_SLUGS = ["satu", "dua", "tiga"]


def run_crawl(args: list[str], origins: dict, env: dict | None = None) -> subprocess.CompletedProcess:
    sets = {**FAST, "WARTA_SITE_ORIGINS": json.dumps(origins)}
    command = [*WARTA, "crawl", *[a for k, v in sets.items() for a in ("--set", f"{k}={v}")], *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


# --- a site whose articles change between crawls ------------------------------------------


class ChangingSite(ThreadingHTTPServer):
    """Three articles listed in an RSS feed; ``corrections[slug]`` appends a paragraph to one."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _ChangingHandler)
        self.corrections: dict[str, str] = {}
        self.paths: list[str] = []

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ChangingHandler(BaseHTTPRequestHandler):
    server: ChangingSite

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.server.paths.append(self.path)
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
        elif self.path == "/feed.xml":
            items = "".join(f"<item><title>{s}</title><link>{CHANGING_BASE}/berita/{s}.html</link>"
                            f"<pubDate>Thu, 28 Nov 2019 09:30:00 +0700</pubDate></item>" for s in CHANGING_SLUGS)
            body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()
            ctype = "application/rss+xml"
        elif self.path.startswith("/berita/") and self.path[8:-5] in CHANGING_SLUGS:
            slug = self.path[8:-5]
            paragraphs = [f"{p} ({slug})" for p in _PARAGRAPHS]
            if slug in self.server.corrections:
                paragraphs.append(self.server.corrections[slug])
            html = article_html(slug, f"Kabar {slug.title()} dari Rangkasbitung", paragraphs=paragraphs)
            body, ctype = html.replace("https://faults.example", CHANGING_BASE).encode(), "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def changing(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "berubah.toml").write_text(f'''name = "Kabar Berubah"
base_url = "{CHANGING_BASE}"
timezone = "Asia/Jakarta"

[discovery]
feeds = ["/feed.xml"]
article_urls = ['/berita/[a-z]+\\.html$']
''', encoding="utf-8")
    server = ChangingSite()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = {**os.environ, "WARTA_SITES_PATH": str(sites)}
    try:
        yield server, env, tmp_path / "archive.db"
    finally:
        server.shutdown()
        server.server_close()


def article_fetches(server: ChangingSite) -> list[str]:
    return [p for p in server.paths if p.startswith("/berita/")]


def test_a_second_crawl_fetches_no_archived_article(changing):
    server, env, db_path = changing
    origins = {"berubah": server.origin}
    first = run_crawl(["berubah", "--db", str(db_path)], origins, env)
    assert "3 new" in first.stdout
    assert len(article_fetches(server)) == 3
    server.paths.clear()
    second = run_crawl(["berubah", "--db", str(db_path)], origins, env)
    assert article_fetches(server) == []
    assert "0 new, 0 changed, 0 unchanged, 0 not articles, 3 already archived" in second.stdout
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from articles").fetchone()[0] == 3
    assert conn.execute("select count(*) from pages").fetchone()[0] == 3


def test_refresh_fetches_again_and_keeps_the_earlier_version_of_a_changed_article(changing):
    server, env, db_path = changing
    origins = {"berubah": server.origin}
    run_crawl(["berubah", "--db", str(db_path)], origins, env)
    conn = sqlite3.connect(db_path)
    url = f"{CHANGING_BASE}/berita/dua.html"
    (old_body, old_hash), = conn.execute("select body, content_hash from articles where canonical_url = ?", [url])
    correction = "Ralat: jumlah desa rawan banjir yang benar adalah empat belas, bukan dua belas."
    server.corrections["dua"] = correction
    # Without --refresh the change is not even seen: nothing is fetched again.
    server.paths.clear()
    run_crawl(["berubah", "--db", str(db_path)], origins, env)
    assert article_fetches(server) == []
    server.paths.clear()
    refreshed = run_crawl(["berubah", "--db", str(db_path), "--refresh"], origins, env)
    assert sorted(article_fetches(server)) == ["/berita/dua.html", "/berita/satu.html", "/berita/tiga.html"]
    assert "0 new, 1 changed, 2 unchanged" in refreshed.stdout
    body, new_hash = conn.execute("select body, content_hash from articles where canonical_url = ?", [url]).fetchone()
    assert body.endswith(correction) and new_hash != old_hash
    versions = conn.execute("select body, content_hash from article_versions where canonical_url = ?", [url]).fetchall()
    assert versions == [(old_body, old_hash)]
    assert conn.execute("select count(*) from article_versions").fetchone()[0] == 1
    assert conn.execute("select count(*) from articles").fetchone()[0] == 3
    # The changed page is kept next to the old one; the unchanged pages are not stored twice.
    assert conn.execute("select count(*) from pages where url = ?", [url]).fetchone()[0] == 2
    assert conn.execute("select count(*) from pages").fetchone()[0] == 4
    conn.close()


def test_rich_progress_ends_with_the_final_table(changing):
    server, env, db_path = changing
    result = run_crawl(["berubah", "--db", str(db_path), "--set", "WARTA_PROGRESS=rich"], {"berubah": server.origin},
                       env)
    table = result.stdout.split("crawl 1 finished")[0]
    assert "warta crawl" in table
    (row,) = [line.split() for line in table.splitlines() if line.strip().startswith("berubah")]
    assert row[:6] == ["berubah", "5", "3", "0", "0", "0"] and row[-1] == "done"


# --- the demo sites ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    with serve_demo() as server:
        yield server


def test_demo_second_crawl_fetches_no_article_page_again(demo, tmp_path):
    db_path = tmp_path / "archive.db"
    run_crawl([*demo_sites(), "--db", str(db_path)], demo.origins)
    article_paths = {a["path"] for a in demo_articles()}
    before = len(demo.requests)
    second = run_crawl([*demo_sites(), "--db", str(db_path)], demo.origins)
    again = [path for _, path in demo.requests[before:] if path.split("?")[0] in article_paths]
    assert again == []
    assert f"crawl 2 finished: 0 articles stored in {db_path}" in second.stdout
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from articles").fetchone()[0] == len(demo_articles())
    conn.close()


@pytest.mark.parametrize("since", ["2020-01-01"])
def test_since_skips_articles_dated_before_it(demo, tmp_path, since):
    db_path = tmp_path / "archive.db"
    run_crawl([*demo_sites(), "--db", str(db_path), "--since", since], demo.origins)
    conn = sqlite3.connect(db_path)
    stored = {url for (url,) in conn.execute("select canonical_url from articles")}
    conn.close()
    newer = {a["url"] for a in demo_articles() if a["published"][:10] >= since}
    assert newer <= stored
    # Sites discovered through sitemaps and feeds only (their dates are known before fetching):
    older = {a["url"] for a in demo_articles() if a["published"][:10] < since and a["site"] != "suara-pantura"}
    assert older and not (older & stored)


def test_a_locked_state_folder_is_one_line_error(tmp_path):
    from crawler.incremental import prepare_jobdir, release_jobdir

    folder = tmp_path / "crawls" / "kabar-lebak"
    state = prepare_jobdir(folder, crawl_id=1)
    assert state.outcome == "fresh"
    code = ("import sys; from crawler.incremental import prepare_jobdir, CrawlLocked\n"
            f"try:\n    prepare_jobdir({str(folder)!r})\nexcept CrawlLocked as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    assert out == f"{folder}: another crawl of this site is running (its state folder is locked)"
    assert release_jobdir(folder, "shutdown", 1) == "paused"
    assert prepare_jobdir(folder, 2).outcome == "fresh"  # paused, but no Scrapy files: nothing to resume
    release_jobdir(folder, "finished", 2)
    assert json.loads(Path(folder, "warta-state.json").read_text())["state"] == "done"
