"""Syndicated copies: near-duplicate groups, their earliest copy, --unique counts, and the ways groups stay current."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from analyst_fixtures import WIRE_STORY, add_flood_coverage, article_url
from click.testing import CliRunner

from crawler.cli import cli
from pipelines import neardup
from pipelines.archive import archive_article
from pipelines.article import Article
from pipelines.notebook import Archive, ArticleFilter, select_articles
from pipelines.stats import archive_stats

REPO = Path(__file__).resolve().parents[1]
WIRE = "wire-banjir-1200-rumah"


@pytest.fixture
def flood(db):
    add_flood_coverage(db)
    return db


def groups(db) -> dict[str, tuple[int, str]]:
    return {url: (group, first) for url, group, first in
            db.execute("select canonical_url, dup_group, earliest_copy from articles")}


def test_copies_share_a_group_and_the_earliest_copy(flood):
    found = groups(flood)
    first = article_url("warta-makassar", WIRE)  # 09:00 WITA is the earliest instant of the three
    copies = [article_url(site, WIRE) for site in ("warta-makassar", "kabar-lebak", "suara-jayapura")]
    assert {found[url] for url in copies} == {(found[first][0], first)}
    others = [g for url, g in found.items() if url not in copies]
    assert all(first_copy == url for url, (_, first_copy) in found.items() if url not in copies)
    assert len({g for g, _ in others}) == len(others)  # every other story alone
    assert flood.execute("select rowid from articles where canonical_url = ?", [first]).fetchone()[0] == found[first][0]


def test_an_earlier_copy_arriving_later_becomes_the_earliest(flood):
    url = article_url("kabar-lebak", "wire-first")
    from datetime import UTC, datetime

    archive_article(flood, Article(url=url, canonical_url=url, site="kabar-lebak", title="Banjir (Antara)",
                                   body="\n\n".join(WIRE_STORY), published=datetime(2019, 12, 12, 23, 0, tzinfo=UTC)))
    found = groups(flood)
    assert found[article_url("suara-jayapura", WIRE)][1] == url
    assert len({found[article_url(s, WIRE)] for s in ("warta-makassar", "kabar-lebak", "suara-jayapura")}) == 1


def test_removed_earliest_copy_hands_the_group_on(flood, db_path):
    other = sqlite3.connect(db_path)  # another program deletes the earliest copy
    other.execute("delete from articles where canonical_url = ?", [article_url("warta-makassar", WIRE)])
    other.commit()
    other.close()
    with flood.atomic():
        from pipelines.derived import sync_derived

        sync_derived(flood.conn)
    found = groups(flood)
    lebak, jayapura = found[article_url("kabar-lebak", WIRE)], found[article_url("suara-jayapura", WIRE)]
    assert lebak == jayapura and lebak[1] == article_url("kabar-lebak", WIRE)


def test_changed_text_leaves_the_group(flood):
    url = article_url("suara-jayapura", WIRE)
    flood.execute("update articles set body = ? where canonical_url = ?",
                  ["Sebuah berita lain sama sekali tentang pasar ikan. " * 8, url])
    with flood.atomic():
        from pipelines.derived import sync_derived

        sync_derived(flood.conn)
    group, first = groups(flood)[url]
    assert first == url
    assert flood.execute("select count(*) from articles where dup_group = ?", [group]).fetchone()[0] == 1


def test_unique_counts_each_story_once(flood, db_path):
    assert flood.execute("select count(*) from articles").fetchone()[0] == 20
    rows = list(select_articles(flood, ArticleFilter.make(unique=True), columns="canonical_url"))
    assert len(rows) == 18
    # Among one site's articles its copy is the only one: it stays.
    lebak = list(select_articles(flood, ArticleFilter.make(site="kabar-lebak", unique=True), columns="canonical_url"))
    assert article_url("kabar-lebak", WIRE) in {r["canonical_url"] for r in lebak}
    stats = archive_stats(flood, unique=True)
    assert (stats.articles, stats.copies) == (18, 2)
    with Archive(db_path) as archive:
        assert archive.count(unique=True) == 18 and archive.count() == 20
    runner = CliRunner()
    out = runner.invoke(cli, ["stats", "--unique", "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0] == "stories       18 unique (2 syndicated copies left out) from 3 sites"
    out = runner.invoke(cli, ["export", str(db_path.parent / "u.csv"), "--unique", "--db", str(db_path)])
    assert out.exit_code == 0 and out.output.startswith("exported 18 stories (unique) to ")


def test_regroup_is_what_reprocess_runs(flood):
    before = groups(flood)
    with flood.atomic():
        from pipelines.derived import regroup

        assert regroup(flood.conn, workers=0) == 20
    assert groups(flood) == before


def test_a_process_without_numpy_leaves_groups_queued(db_path, db):
    """A crawl keeps numpy out: stems are indexed at once, groups when the crawl ends (here: the next sync)."""
    code = f"""
import sys
sys.path.insert(0, {str(REPO / 'tests')!r})
from pipelines.parallel import keep_heavy_modules_out
keep_heavy_modules_out()
from pipelines.archive import open_archive
from analyst_fixtures import add_flood_coverage
db = open_archive({str(db_path)!r})
add_flood_coverage(db)
print(db.execute("select count(*) from group_changes").fetchone()[0],
      db.execute("select count(*) from stem_changes").fetchone()[0])
db.close()
from pipelines.derived import sync_after_crawl
sync_after_crawl({str(db_path)!r})
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.split() == ["8", "0"]
    assert db.execute("select count(*) from group_changes").fetchone()[0] == 0
    first = article_url("warta-makassar", WIRE)
    assert groups(db)[article_url("kabar-lebak", WIRE)][1] == first


def test_short_bodies_are_not_grouped():
    assert not neardup.fingerprint(1, "Singkat saja.").keys
    assert neardup.same_story(neardup.shingles(" ".join(WIRE_STORY)), neardup.shingles(" ".join(WIRE_STORY[:-1])))


def test_benchmark_script_runs_small():
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "bench_neardup.py"), "--stories", "60",
                          "--workers", "0"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("set: 60 stories")
    assert "copies grouped with their original" in out
