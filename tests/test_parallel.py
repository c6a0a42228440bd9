"""The parallel page -> article path: the process pool, its batches and bounds, worker-side stores, the crawl."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import pytest

from crawler.demo import demo_articles, demo_non_articles, demo_site
from crawler.demo.site import Request
from pipelines import archive, parallel
from pipelines.article import Article
from pipelines.core import derive_article
from pipelines.page import Page
from pipelines.parallel import ArchiveTarget, Candidate, DerivePool, derive_candidate, store_outcomes
from pipelines.profiles import load_profile

FETCHED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def demo_page(slug: str, path: str) -> Page:
    """A demo page rendered in-process, as the spider would have fetched it."""
    site = demo_site(slug)
    bare, _, query = path.partition("?")
    response = site.resolve(Request(bare, dict(parse_qsl(query)), "http://127.0.0.1:9"))
    assert response.status == 200, path
    return Page(url=site.base_url + path, body=response.body, fetched_at=FETCHED, site=slug,
                headers={"Content-Type": response.content_type})


def article_candidates(n: int = 12) -> list[Candidate]:
    out = []
    for truth in demo_articles()[:n]:
        pages = [demo_page(truth["site"], truth["path"])]
        out.append(Candidate(site=truth["site"], pages=pages, key=truth["url"]))
    return out


def test_workers_derive_what_derive_article_derives():
    candidates = article_candidates()
    with DerivePool(workers=2, batch_size=3) as pool:
        results = list(pool.imap(candidates))
    assert [c.key for c, _ in results] == [c.key for c in candidates]  # input order kept
    for candidate, outcome in results:
        expected = derive_article(candidate.pages, load_profile(candidate.site))
        assert outcome.kind == "article"
        assert outcome.article.to_dict() == expected.to_dict()
        assert outcome.derive_ms > 0


def test_a_page_that_is_not_an_article_is_an_outcome_not_an_exception():
    path = demo_non_articles("kabar-lebak")[0]
    outcome = derive_candidate(Candidate(site="kabar-lebak", pages=[demo_page("kabar-lebak", path)]))
    assert outcome.kind == "not-article"
    assert outcome.reason
    assert outcome.article is None


def test_a_crash_in_a_rule_is_an_error_outcome_with_its_traceback(monkeypatch):
    import pipelines.core

    def broken(pages, profile):
        raise ZeroDivisionError("a rule divided by zero")

    monkeypatch.setattr(pipelines.core, "derive_with_decision", broken)
    outcome = derive_candidate(article_candidates(1)[0])
    assert outcome.kind == "error"
    assert outcome.reason == "ZeroDivisionError"
    assert outcome.detail.startswith("a rule divided by zero\n")
    assert "Traceback" in outcome.detail


def test_imap_reads_its_input_lazily_with_bounded_work_in_flight():
    pulled = 0
    most_ahead = 0
    done = 0
    base = article_candidates(4)

    def source():
        nonlocal pulled, most_ahead
        for i in range(60):
            pulled += 1
            most_ahead = max(most_ahead, pulled - done)
            yield Candidate(site=base[i % 4].site, pages=base[i % 4].pages, key=i)

    with DerivePool(workers=2, batch_size=4, max_in_flight=3) as pool:
        keys = []
        for candidate, _ in pool.imap(source()):
            done += 1
            keys.append(candidate.key)
    assert keys == list(range(60))
    # at most max_in_flight full batches pending, plus the batch being filled
    assert most_ahead <= 4 * 3 + 4


def test_zero_workers_runs_in_this_process():
    pool = DerivePool(workers=0)
    (outcome,) = pool.submit(article_candidates(1)).result()
    pool.close()
    assert outcome.kind == "article"


def test_default_workers_follows_the_environment(monkeypatch):
    monkeypatch.setenv("WARTA_WORKERS", "3")
    assert parallel.default_workers() == 3
    monkeypatch.delenv("WARTA_WORKERS")
    assert parallel.default_workers() == (os.cpu_count() or 1)


def test_a_worker_stores_its_batch_skips_failures_and_articles(tmp_path):
    path = str(tmp_path / "archive.db")
    archive.open_archive(path).close()
    candidates = article_candidates(3)
    index = demo_page("kabar-lebak", demo_non_articles("kabar-lebak")[0])
    binary = Page(url="https://www.kabarlebak.example/foto.png", body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
                  fetched_at=FETCHED, site="kabar-lebak")
    candidates += [Candidate(site="kabar-lebak", pages=[index]), Candidate(site="kabar-lebak", pages=[binary])]
    with DerivePool(workers=2) as pool:
        outcomes = pool.submit(candidates, ArchiveTarget(path, crawl_id=None)).result()
    assert [o.action for o in outcomes] == ["inserted"] * 3 + ["skipped", "skipped"]
    assert all(o.article is None for o in outcomes)  # not sent back once stored
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from articles").fetchone()[0] == 3
    skipped = dict(conn.execute("select url, skip_reason from pages where skip_reason is not null").fetchall())
    assert set(skipped) == {index.url, binary.url}
    assert conn.execute("select count(*) from articles_fts where articles_fts match 'lebak'").fetchone()[0] >= 1
    # a second delivery of the same pages changes nothing
    with DerivePool(workers=0) as pool:
        again = pool.submit(candidates[:3], ArchiveTarget(path)).result()
    assert [o.action for o in again] == ["unchanged"] * 3
    assert conn.execute("select count(*) from pages").fetchone()[0] == 5


def test_a_batch_is_one_transaction(fresh_db):
    good = article_candidates(2)
    skipped = Candidate(site="kabar-lebak", pages=[demo_page("kabar-lebak", demo_non_articles("kabar-lebak")[0])])
    batch = [*good, skipped]
    outcomes = [derive_candidate(c) for c in batch]
    broken = Article(url="https://www.kabarlebak.example/x/", canonical_url="https://www.kabarlebak.example/x/",
                     site="kabar-lebak", title="Rusak", body=None)  # violates articles.body NOT NULL
    outcomes[1].article = broken
    with pytest.raises(sqlite3.IntegrityError):
        store_outcomes(fresh_db, batch, outcomes)
    assert fresh_db.execute("select count(*) from pages").fetchone()[0] == 0
    assert fresh_db.execute("select count(*) from articles").fetchone()[0] == 0


def test_room_limits_the_articles_a_batch_stores(fresh_db):
    batch = article_candidates(4)
    outcomes = [derive_candidate(c) for c in batch]
    store_outcomes(fresh_db, batch, outcomes, room=2)
    assert [o.action for o in outcomes] == ["inserted", "inserted", "over-limit", "over-limit"]
    assert fresh_db.execute("select count(*) from articles").fetchone()[0] == 2


def test_workers_exit_when_their_parent_is_killed(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent("""
        import os, sys
        from pipelines.parallel import DerivePool
        if __name__ == "__main__":
            pool = DerivePool(workers=2)
            pool.start()
            print(" ".join(str(p) for p in pool._executor._processes), flush=True)
            os.kill(os.getpid(), 9)
    """))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=os.getcwd())
    pids = [int(p) for p in result.stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 60  # a liveness bound, not a speed assertion
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") and _alive(p) for p in pids):
        time.sleep(0.2)
    assert not any(os.path.exists(f"/proc/{p}") and _alive(p) for p in pids)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


# --- the crawl: real Scrapy crawls of the demo sites, in subprocesses -----------------------------


def crawl_demo(db_path, *settings: str) -> subprocess.CompletedProcess:
    code = textwrap.dedent(f"""
        import sys
        from crawler.demo import demo_sites, serve_demo
        from crawler.runner import run_crawl
        overrides = dict(s.split("=", 1) for s in sys.argv[1:])
        overrides.update({{"AUTOTHROTTLE_START_DELAY": 0.01, "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "WARNING"}})
        with serve_demo() as server:
            report = run_crawl(demo_sites(), {str(db_path)!r}, origins=server.origins, overrides=overrides)
        print(report.articles_stored)
    """)
    result = subprocess.run([sys.executable, "-c", code, *settings], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def archived(db_path) -> dict[str, tuple]:
    conn = sqlite3.connect(db_path)
    rows = {r[0]: r[1:] for r in conn.execute(
        "select canonical_url, title, author, published, body, page_count from articles")}
    conn.close()
    return rows


def test_a_crawl_through_the_pool_archives_what_an_inline_crawl_does(tmp_path):
    pooled, inline = tmp_path / "pooled.db", tmp_path / "inline.db"
    crawl_demo(pooled, "WARTA_WORKERS=2", "WARTA_BATCH_SIZE=3")
    crawl_demo(inline, "WARTA_WORKERS=0")
    assert archived(pooled) == archived(inline)
    assert set(archived(pooled)) == {a["url"] for a in demo_articles()}
    conn = sqlite3.connect(pooled)
    stats = conn.execute("select stats from crawls").fetchone()[0]
    assert "warta/time/derive_ms" in stats


def test_max_articles_is_exact_with_workers(tmp_path):
    db = tmp_path / "capped.db"
    crawl_demo(db, "WARTA_WORKERS=2", "WARTA_MAX_ARTICLES=3")
    conn = sqlite3.connect(db)
    per_site = dict(conn.execute("select site, count(*) from articles group by site").fetchall())
    assert per_site and all(n == 3 for n in per_site.values())
