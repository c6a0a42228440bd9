"""`warta reprocess`: re-derive archived articles from stored pages, with the counts and the atomic swap."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.demo import demo_articles
from pipelines import reprocess as reprocess_module
from pipelines.archive import open_archive
from pipelines.errors import BadFilter
from pipelines.profiles import BUNDLED_SITES_DIR
from pipelines.reprocess import reprocess_archive

MULTI_PAGE = [a for a in demo_articles() if a.get("page_count", 1) > 1]


@pytest.fixture
def archive_copy(demo_archive, tmp_path):
    path = tmp_path / "archive.db"
    shutil.copy(demo_archive, path)
    db = open_archive(path)
    yield db
    db.close()


def rows(db) -> dict[str, dict]:
    return {r["canonical_url"]: r for r in db["articles"].rows}


def with_rule(tmp_path, monkeypatch, slug: str, drop_line: str):
    """A copy of a bundled profile with one more ``drop_lines`` regex, first on WARTA_SITES_PATH."""
    assert "'" not in drop_line
    folder = tmp_path / "sites"
    folder.mkdir(exist_ok=True)
    text = (BUNDLED_SITES_DIR / f"{slug}.toml").read_text(encoding="utf-8")
    if re.search(r"^drop_lines\s*=\s*\[", text, re.M):
        text = re.sub(r"^(drop_lines\s*=\s*\[)", lambda m: f"{m[1]}'{drop_line}', ", text, count=1, flags=re.M)
    elif "[boilerplate]" in text:
        text = text.replace("[boilerplate]", f"[boilerplate]\ndrop_lines = ['{drop_line}']", 1)
    else:
        text += f"\n[boilerplate]\ndrop_lines = ['{drop_line}']\n"
    (folder / f"{slug}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("WARTA_SITES_PATH", str(folder))


def test_nothing_changes_with_the_same_rules(archive_copy):
    before = rows(archive_copy)
    report = reprocess_archive(archive_copy, workers=2)
    assert report.counts() == {"changed": 0, "unchanged": len(before), "dropped": 0, "new": 0,
                               "still_skipped": 0, "duplicates": 0, "conflicts": 0}
    assert report.pages == len(before) == len(demo_articles())
    assert rows(archive_copy) == before


def test_multi_page_articles_are_rebuilt_from_all_their_pages(archive_copy):
    assert MULTI_PAGE, "the demo has multi-page stories"
    before = rows(archive_copy)
    report = reprocess_archive(archive_copy, workers=0)
    assert report.changed == 0
    multi = {u: r for u, r in before.items() if r["page_count"] > 1}
    assert multi
    after = rows(archive_copy)
    for url, row in multi.items():
        assert after[url]["page_count"] == row["page_count"]
        assert after[url]["body"] == row["body"]
    # and the candidates carried every stored page of those stories
    path = archive_copy.execute("PRAGMA database_list").fetchone()[2]
    reader = sqlite3.connect(path)
    sizes = {c.key[1]: len(c.page_ids) for c in reprocess_module._candidates(reader, path, archive_copy, None, None)}
    reader.close()
    for url in multi:
        stored = archive_copy.execute("select count(distinct part) from pages where article_url = ?", [url]).fetchone()[0]
        assert sizes[url] == stored >= 2


def fts_is_consistent(db) -> bool:
    try:
        db.execute("insert into articles_fts(articles_fts) values('integrity-check')")
    except sqlite3.DatabaseError:
        return False
    return True


def test_a_new_drop_line_changes_the_bodies_it_matches(archive_copy, tmp_path, monkeypatch):
    before = rows(archive_copy)
    lebak = sorted((u, r) for u, r in before.items() if r["site"] == "kabar-lebak")
    # the first paragraph of one article becomes "boilerplate" for the site
    target_url, target = next((u, r) for u, r in lebak if "'" not in r["body"].split("\n\n")[0][:40])
    first = target["body"].split("\n\n")[0]
    with_rule(tmp_path, monkeypatch, "kabar-lebak", "^" + re.escape(first[:40]))
    report = reprocess_archive(archive_copy, workers=2)
    after = rows(archive_copy)
    changed = {u for u in before if before[u]["body"] != after[u]["body"]}
    assert target_url in changed
    assert report.changed == len(changed)
    assert report.unchanged == len(before) - len(changed)
    assert first not in after[target_url]["body"]
    assert after[target_url]["content_hash"] != target["content_hash"]
    assert set(after) == set(before)
    assert fts_is_consistent(archive_copy)


def test_articles_dropped_by_a_rule_come_back_as_newly_found(archive_copy, tmp_path, monkeypatch):
    before = rows(archive_copy)
    papua = {u for u, r in before.items() if r["site"] == "kabar-papua"}
    with_rule(tmp_path, monkeypatch, "kabar-papua", ".*")  # every line is boilerplate
    report = reprocess_archive(archive_copy, site="kabar-papua", workers=2)
    assert report.dropped == len(papua) and report.changed == report.new == 0
    assert not papua & set(rows(archive_copy))
    skipped = archive_copy.execute("select count(*) from pages where site = 'kabar-papua' "
                                   "and skip_reason is not null").fetchone()[0]
    assert skipped == len(papua)
    assert fts_is_consistent(archive_copy)

    monkeypatch.delenv("WARTA_SITES_PATH")
    report = reprocess_archive(archive_copy, workers=2)
    assert report.new == len(papua)
    assert report.unchanged == len(before) - len(papua)
    after = rows(archive_copy)
    assert set(after) == set(before)
    for url in papua:
        assert after[url]["body"] == before[url]["body"]
        assert after[url]["first_seen"] == before[url]["first_seen"]


def test_site_and_since_narrow_the_run(archive_copy):
    n_lebak = archive_copy.execute("select count(*) from articles where site = 'kabar-lebak'").fetchone()[0]
    assert reprocess_archive(archive_copy, site="kabar-lebak", workers=0).pages == n_lebak
    since = "2020-01-01"
    n_since = archive_copy.execute("select count(*) from articles where coalesce(published_utc, first_seen) >= ?",
                                   [since]).fetchone()[0]
    assert 0 < n_since < len(demo_articles())
    assert reprocess_archive(archive_copy, since=since, workers=0).pages == n_since
    with pytest.raises(BadFilter):
        reprocess_archive(archive_copy, since="1/1/2020")


def test_the_swap_is_atomic(archive_copy, tmp_path, monkeypatch):
    before = rows(archive_copy)
    with_rule(tmp_path, monkeypatch, "warta-celebes", ".*")
    reprocess_archive(archive_copy, site="warta-celebes", workers=0)
    dropped = rows(archive_copy)
    monkeypatch.delenv("WARTA_SITES_PATH")
    calls = 0
    real_insert = reprocess_module._insert_article

    def failing_insert(*args):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk full")
        real_insert(*args)

    monkeypatch.setattr(reprocess_module, "_insert_article", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        reprocess_archive(archive_copy, workers=0)
    assert rows(archive_copy) == dropped  # nothing of the failed run is visible
    assert len(dropped) < len(before)


def test_reprocess_from_an_archive_built_by_the_archive_functions(fresh_db):
    from urllib.parse import parse_qsl

    from crawler.demo import demo_site
    from crawler.demo.site import Request
    from pipelines import archive
    from pipelines.core import derive_article
    from pipelines.page import Page
    from pipelines.profiles import load_profile

    for truth in demo_articles("suara-pantura")[:3]:
        site = demo_site("suara-pantura")
        bare, _, query = truth["path"].partition("?")
        body = site.resolve(Request(bare, dict(parse_qsl(query)), "http://127.0.0.1:9")).body
        page = Page(url=truth["url"], body=body, site="suara-pantura")
        archive.archive_article(fresh_db, derive_article([page], load_profile("suara-pantura")), [page])
    report = reprocess_archive(fresh_db, workers=0)  # in memory: this process loads the pages
    assert report.counts()["unchanged"] == 3


def test_cli_reprocess(archive_copy, tmp_path):
    path = archive_copy.execute("PRAGMA database_list").fetchone()[2]
    runner = CliRunner()
    result = runner.invoke(cli, ["reprocess", "--db", path, "--site", "kabar-papua", "--workers", "0"])
    assert result.exit_code == 0, result.output
    n = sum(1 for a in demo_articles() if a["site"] == "kabar-papua")
    assert result.output.startswith(f"reprocessed {n} pages in ")
    assert result.output.endswith(f": 0 changed, {n} unchanged, 0 dropped, 0 newly found, 0 still not articles\n")


def test_cli_errors_are_one_line(tmp_path):
    runner = CliRunner()
    missing = tmp_path / "none.db"
    result = runner.invoke(cli, ["reprocess", "--db", str(missing)])
    assert result.exit_code == 1
    assert result.output == f"Error: no archive at {missing} (run `warta crawl` or `warta demo` first)\n"
    open_archive(tmp_path / "a.db").close()
    result = runner.invoke(cli, ["reprocess", "--db", str(tmp_path / "a.db"), "--since", "kemarin"])
    assert result.exit_code == 1
    assert result.output == "Error: --since: expected a day as YYYY-MM-DD, got 'kemarin'\n"
    result = runner.invoke(cli, ["reprocess", "--db", str(tmp_path / "a.db"), "--site", "tidak-ada"])
    assert result.exit_code == 1
    assert result.output == "Error: no site profile named 'tidak-ada' (see `warta sites`)\n"


def test_a_crawl_keeps_what_it_knew_and_the_decision_with_every_page(demo_archive):
    conn = sqlite3.connect(f"file:{demo_archive}?mode=ro", uri=True)
    firsts = conn.execute("select via, decision from pages where part = 1").fetchall()
    assert firsts and {via for via, _ in firsts} <= {"sitemap", "feed", "index"}
    assert all(json.loads(decision)["verdict"] == "article" for _, decision in firsts)
    later = conn.execute("select distinct via from pages where part > 1").fetchall()
    assert later == [("next-page",)]
    conn.close()


WEAK_STORY = ("<html><head><title>Warta Pesisir</title></head><body><div class='main'><b>Nelayan Tak Melaut</b>"
              "<div class='text'><p>Nelayan di pesisir utara tidak melaut selama sepekan karena gelombang tinggi "
              "mencapai tiga meter, kata ketua kelompok nelayan setempat.</p><p>Mereka memperbaiki jaring sambil "
              "menunggu cuaca membaik, sementara harga ikan di pasar naik dua kali lipat.</p></div></div>"
              "<div class='side'><ul>" + "".join(
                  f"<li><a href='/berita/{i}'>Harga Gabah Kering Naik Lagi Menjelang Musim Tanam {i}</a></li>"
                  for i in range(30)) + "</ul></div></body></html>").encode()


def test_a_page_is_re_derived_from_what_the_crawl_knew(fresh_db):
    from pipelines import archive
    from pipelines.core import derive_with_decision
    from pipelines.errors import NotAnArticle
    from pipelines.page import Page

    listed = Page(url="https://wartapesisir.example/berita/2019/nelayan", body=WEAK_STORY, via="sitemap")
    linked = Page(url="https://wartapesisir.example/berita/2019/nelayan-2", body=WEAK_STORY, via="index")
    article, decision = derive_with_decision([listed])
    assert decision.reason == "crawl-knew"
    archive.archive_article(fresh_db, article, [listed], decision=decision)
    with pytest.raises(NotAnArticle) as caught:
        derive_with_decision([linked])
    archive.archive_skipped_page(fresh_db, linked, caught.value.reason, decision=caught.value.decision)

    report = reprocess_archive(fresh_db, workers=0)
    assert (report.unchanged, report.still_skipped, report.new, report.dropped) == (1, 1, 0, 0)
    decisions = {r["via"]: json.loads(r["decision"]) for r in fresh_db["pages"].rows}
    assert decisions["sitemap"]["reason"] == "crawl-knew" and decisions["index"]["verdict"] == "not-article"


def test_rows_a_refresh_rewrote_meanwhile_are_not_overwritten(archive_copy, tmp_path, monkeypatch):
    """Reprocess racing `crawl --refresh`: the crawl's fresh text wins and the clash is counted."""
    from datetime import UTC, datetime

    from pipelines import archive
    from pipelines.core import derive_article
    from pipelines.profiles import load_profile

    before = rows(archive_copy)
    lebak = sorted(u for u, r in before.items() if r["site"] == "kabar-lebak")
    refreshed = lebak[:3]
    path = archive_copy.execute("PRAGMA database_list").fetchone()[2]
    with_rule(tmp_path, monkeypatch, "kabar-lebak", "^Kabarlebak")  # changes every kabar-lebak body
    real_apply = reprocess_module._apply

    def crawl_refresh_then_apply(db, changes, report):
        # Between reprocess's read and its write, a crawl stores newer pages of three articles.
        crawl = open_archive(path)
        for url in refreshed:
            old_page = archive.load_page(crawl, before[url]["page_id"])
            body = old_page.body.replace(b'<div class="entry-content">', b'<div class="entry-content"><p>Pembaruan: '
                                         b"jalan sudah dibuka kembali sore ini, kata petugas kepada wartawan.</p>", 1)
            assert body != old_page.body
            page = archive.Page(url=old_page.url, body=body, fetched_at=datetime.now(UTC), site="kabar-lebak")
            stored = archive.archive_article(crawl, derive_article([page], load_profile("kabar-lebak")), [page])
            assert stored.action == "updated"
        crawl.close()
        return real_apply(db, changes, report)

    monkeypatch.setattr(reprocess_module, "_apply", crawl_refresh_then_apply)
    report = reprocess_archive(archive_copy, site="kabar-lebak", workers=0)
    after = rows(archive_copy)
    assert report.conflicts == 3
    assert sorted(report.conflict_urls) == refreshed
    assert "3 not written: changed by another writer" in report.summary()
    for url in refreshed:
        assert "Pembaruan: jalan sudah dibuka kembali" in after[url]["body"]  # the crawl's text, kept
        assert after[url]["page_id"] != before[url]["page_id"]
    assert report.changed == len(lebak) - 3
    assert fts_is_consistent(archive_copy)


def test_reprocess_offers_compact_and_compact_reclaims_the_space(archive_copy, tmp_path, monkeypatch):
    from crawler.commands import reprocess as command
    from pipelines.archive import archive_bytes, fts_bytes

    path = archive_copy.execute("PRAGMA database_list").fetchone()[2]
    runner = CliRunner()
    with_rule(tmp_path, monkeypatch, "kabar-lebak", "^Kabarlebak")
    # 10 % is the policy for a real archive; here any growth of the index is to be offered
    monkeypatch.setattr(command, "COMPACT_AT", 0.0)
    result = runner.invoke(cli, ["reprocess", "--db", path, "--workers", "0", "--no-compact"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^the full-text index grew by -?\d+ % \(.*\), \d+ % of the file is free pages$",
                     result.output, re.M), result.output
    assert f"`warta compact --db {path}` reclaims the space" in result.output
    before, index_before = archive_bytes(path), fts_bytes(archive_copy)
    result = runner.invoke(cli, ["compact", "--db", path])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"compacted {re.escape(path)}: [\d.]+ MB -> [\d.]+ MB on disk \([\d.]+ MB reclaimed\); "
                        r"full-text index [\d.]+ MB -> [\d.]+ MB\n", result.output), result.output
    assert archive_bytes(path) < before and fts_bytes(archive_copy) < index_before
    assert archive_copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert fts_is_consistent(archive_copy)
