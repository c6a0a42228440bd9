"""End to end: `warta demo` crawls the bundled sites over loopback HTTP into a real SQLite file."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys

import pytest

# Everything the seed document shows that must never reach an article body (`warta check` looks for it too).
from crawler.check import SEED_BOILERPLATE
from crawler.demo import demo_articles, demo_non_articles


def run_demo(db_path):
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "demo", "--db", str(db_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("demo") / "archive.db"
    first = run_demo(db_path)
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    yield db_path, conn, first
    conn.close()


def test_every_demo_article_is_archived_once(crawled):
    _, conn, _ = crawled
    expected = {a["url"] for a in demo_articles()}
    stored = [r["canonical_url"] for r in conn.execute("select canonical_url from articles")]
    assert len(stored) == len(set(stored))
    assert set(stored) == expected


def test_fields_match_the_demo_ground_truth(crawled):
    _, conn, _ = crawled
    rows = {r["canonical_url"]: r for r in conn.execute("select * from articles")}
    for truth in demo_articles():
        row = rows[truth["url"]]
        assert row["site"] == truth["site"]
        assert row["title"] == truth["title"], truth["url"]
        assert row["author"] == truth["author"], truth["url"]
        assert row["published"] == truth["published"], truth["url"]
        assert row["body"] == truth["body"], truth["url"]
        assert row["page_count"] == truth.get("page_count", 1), truth["url"]


def test_offsets_of_all_three_zones_are_kept(crawled):
    _, conn, _ = crawled
    offsets = {r[0][-6:] for r in conn.execute("select published from articles where published like '%T%'")}
    assert {"+07:00", "+08:00", "+09:00"} <= offsets


def test_no_seed_boilerplate_in_any_body(crawled):
    _, conn, _ = crawled
    for url, body in conn.execute("select canonical_url, body from articles"):
        for pattern in SEED_BOILERPLATE:
            assert not pattern.search(body), (url, pattern.pattern)


def test_non_article_pages_are_not_articles(crawled):
    _, conn, _ = crawled
    paths = {re.sub(r"^https?://[^/]+", "", r[0]) for r in conn.execute("select url from articles")}
    for path in demo_non_articles():
        assert path not in paths


def test_raw_pages_are_kept_for_every_article(crawled):
    _, conn, _ = crawled
    missing = conn.execute(
        "select count(*) from articles a left join pages p on p.id = a.page_id where p.id is null"
    ).fetchone()[0]
    assert missing == 0
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_demo_prints_a_summary(crawled):
    _, _, first = crawled
    assert "articles per site:" in first.stdout
    assert "example search:" in first.stdout
    # the demo network is crawled as a family: one slug, three hosts, one of them in WITA
    assert ("family kabar-nusantara (network template kabar-nusantara): nusantara-bandung WIB, "
            "nusantara-semarang WIB, nusantara-makassar WITA") in first.stdout


def test_second_crawl_adds_no_duplicates(crawled):
    db_path, conn, _ = crawled
    before = conn.execute("select count(*) from articles").fetchone()[0]
    run_demo(db_path)
    after = conn.execute("select count(*) from articles").fetchone()[0]
    assert after == before
    stats = json.loads(conn.execute("select stats from crawls order by id desc limit 1").fetchone()[0])
    inserted = sum(s.get("warta/articles_inserted", 0) for s in stats.values())
    assert inserted == 0
