"""A crawl of the fault server completes, and every fault is stored, retried or recorded."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from faultserver import (
    BASE_URL,
    FAULTS,
    GZIP_BOMB,
    GZIP_ONLY,
    PROFILE_SLUG,
    run_warta,
    serve_faults,
    settings_args,
    warta_env,
    write_profile,
)

from crawler.runner import EXIT_INCOMPLETE

#: The failure each failing fault must leave in ``failures``: (stage, reason).
EXPECTED_FAILURES = {
    "/berita/hilang.html": ("fetch", "http-404"),
    "/berita/lambat-timeout.html": ("fetch", "timeout"),
    "/berita/terpotong.html": ("fetch", "truncated"),
    "/berita/putar-a.html": ("fetch", "redirect-loop"),
    "/berita/raksasa.html": ("fetch", "too-large"),
    "/berita/rahasia/dilarang.html": ("robots", "disallowed"),
    "/berita/pindah-situs.html": ("fetch", "redirect-offsite"),
    GZIP_BOMB: ("discover", "too-large"),
}


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    sites = tmp / "sites"
    sites.mkdir()
    write_profile(sites)
    env = warta_env(sites)
    db_path = tmp / "archive.db"
    with serve_faults() as server:
        result = run_warta(["crawl", PROFILE_SLUG, "--db", str(db_path), *settings_args({PROFILE_SLUG: server.origin})], env, tmp)
        conn = sqlite3.connect(db_path)
        conn.row_factory = sqlite3.Row
        yield {"server": server, "result": result, "conn": conn, "db": db_path, "env": env, "tmp": tmp}
        conn.close()


def test_the_crawl_completes_without_a_traceback(fault_crawl):
    result = fault_crawl["result"]
    assert result.returncode == EXIT_INCOMPLETE, result.stderr[-3000:]  # pages the server never gave
    assert "Traceback" not in result.stderr
    assert "crawl 1 finished" in result.stdout
    row = fault_crawl["conn"].execute("select status, stats from crawls where id = 1").fetchone()
    assert row["status"] == "finished"
    stats = json.loads(row["stats"])[PROFILE_SLUG]
    assert stats["finish_reason"] == "finished"
    assert "spider_exceptions" not in json.dumps(stats)
    assert stats.get("log_count/ERROR", 0) == 0


def test_off_a_terminal_the_log_is_quiet_but_shows_progress(fault_crawl):
    stderr = fault_crawl["result"].stderr
    # Quiet by default: no Scrapy INFO lines (hundreds for a small crawl), warnings and progress only.
    assert "] INFO: " not in stderr.replace("[crawler.progress] INFO: ", "")
    assert len(stderr.splitlines()) < 40, stderr
    assert "[crawler.progress] INFO: progress faultsite: " in stderr
    assert re.search(r"\[crawler\.progress\] INFO: finished \(finished\) faultsite: \d+ pages fetched, "
                     r"11 articles stored, 0 unchanged, 0 skipped \(already archived\), 2 not articles, "
                     r"8 failures, \d+ pages/min", stderr)


def test_every_fault_is_accounted_for(fault_crawl):
    conn = fault_crawl["conn"]
    stored = {r["canonical_url"] for r in conn.execute("select canonical_url from articles")}
    failed = {r["url"]: (r["stage"], r["reason"]) for r in conn.execute("select * from failures")}
    skipped = {r["url"]: r["skip_reason"] for r in conn.execute("select url, skip_reason from pages "
                                                                "where skip_reason is not null")}
    for fault in FAULTS:
        url = BASE_URL + fault.path
        if fault.outcome == "stored":
            assert url in stored, f"{fault.what}: not stored"
            assert url not in failed, f"{fault.what}: stored yet recorded as failed"
        elif fault.outcome == "failure":
            assert failed.get(url) == EXPECTED_FAILURES[fault.path], fault.what
        else:
            assert url in skipped or (url in failed and failed[url][0] == "extract"), fault.what
            assert url not in stored, fault.what
    listed = {BASE_URL + f.path for f in FAULTS}
    gzipped = {BASE_URL + path for path in GZIP_ONLY.values()}
    assert failed[BASE_URL + GZIP_BOMB] == EXPECTED_FAILURES[GZIP_BOMB]
    assert set(failed) <= listed | {BASE_URL + GZIP_BOMB} and stored <= listed | gzipped


def test_gzipped_sitemaps_are_read_and_a_gzip_bomb_is_refused(fault_crawl):
    stored = {r["canonical_url"] for r in fault_crawl["conn"].execute("select canonical_url from articles")}
    # listed only in /peta-arsip.xml.gz (application/x-gzip) and /peta-lama (application/octet-stream)
    assert {BASE_URL + path for path in GZIP_ONLY.values()} <= stored
    detail = fault_crawl["conn"].execute("select detail from failures where url = ?", [BASE_URL + GZIP_BOMB]).fetchone()
    assert "more than 52428800 bytes" in detail[0]


def test_redirects_to_another_site_are_recorded_and_to_the_public_address_followed(fault_crawl):
    server, conn = fault_crawl["server"], fault_crawl["conn"]
    detail = conn.execute("select detail from failures where reason = 'redirect-offsite'").fetchone()[0]
    assert "-> http://127.0.0.2:" in detail
    # the article moved to the site's public address: fetched from the mirror crawled
    assert server.hits("/berita/alamat-baru.html") == 1
    row = conn.execute("select url, final_url from pages where url = ?", [BASE_URL + "/berita/pindah-alamat.html"]).fetchone()
    assert row["final_url"] == BASE_URL + "/berita/alamat-baru.html"


def test_5xx_and_429_are_retried_until_they_succeed(fault_crawl):
    server = fault_crawl["server"]
    assert server.hits("/berita/flaky-500.html") == 2
    assert server.hits("/berita/flaky-503.html") == 3
    assert server.hits("/berita/sibuk-429.html") == 2
    # The timeout and the truncated body are retried RETRY_TIMES (2) times, then recorded.
    assert server.hits("/berita/lambat-timeout.html") == 3
    assert server.hits("/berita/terpotong.html") == 3
    # A 404 is final: asked once.
    assert server.hits("/berita/hilang.html") == 1


def test_retry_after_is_honoured(fault_crawl):
    first, second = fault_crawl["server"].times("/berita/sibuk-429.html")
    assert second - first >= 2.0  # the server said Retry-After: 2; the backoff alone would be 0.1 s
    stats = json.loads(fault_crawl["conn"].execute("select stats from crawls").fetchone()[0])[PROFILE_SLUG]
    assert stats["warta/retry/retry_after"] == 1


def test_robots_txt_is_obeyed_and_the_user_agent_names_warta(fault_crawl):
    server = fault_crawl["server"]
    assert server.hits("/berita/rahasia/dilarang.html") == 0
    assert server.hits("/robots.txt") == 1
    agents = server.user_agents()
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("warta/") and "+https://" in agent


def test_odd_but_readable_pages_become_clean_articles(fault_crawl):
    rows = {r["canonical_url"]: r for r in fault_crawl["conn"].execute("select * from articles")}
    charset = rows[BASE_URL + "/berita/charset-salah.html"]
    assert charset["title"] == "Kafé Kopi Baduy Raih Penghargaan “Terbaik”"
    assert "Ã" not in charset["body"]
    assert "Festival Seren Taun" in rows[BASE_URL + "/berita/html-rusak.html"]["title"]
    assert rows[BASE_URL + "/berita/tetes-lambat.html"]["body"].count("\n\n") >= 4
    assert rows[BASE_URL + "/berita/sibuk-429.html"]["published"] == "2019-11-28T09:30:00+07:00"
    declared_wrong = rows[BASE_URL + "/berita/cp1252.html"]  # windows-1252 bytes declared UTF-8
    assert declared_wrong["title"] == "Kafé Kopi Baduy Raih Penghargaan “Terbaik” – Jum’at Pagi"
    assert "\ufffd" not in declared_wrong["title"] + declared_wrong["body"]


def test_nothing_too_large_or_binary_is_kept_as_text(fault_crawl):
    conn = fault_crawl["conn"]
    sizes = [r[0] for r in conn.execute("select body_size from pages")]
    assert max(sizes) < 1_000_000
    assert conn.execute("select count(*) from pages where url like '%raksasa%'").fetchone()[0] == 0


def test_the_archive_is_intact(fault_crawl):
    assert fault_crawl["conn"].execute("pragma integrity_check").fetchone()[0] == "ok"


def test_warta_failures_lists_each_failure(fault_crawl):
    result = run_warta(["failures", "--db", str(fault_crawl["db"]), "--crawl", "1"], fault_crawl["env"],
                       fault_crawl["tmp"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for path, (stage, reason) in EXPECTED_FAILURES.items():
        assert any(BASE_URL + path in line and stage in line and reason in line for line in lines), path
    assert lines[-1] == f"{len(EXPECTED_FAILURES)} failures"


def test_failures_command_prints_one_line_per_failure(db_path):
    from click.testing import CliRunner

    from crawler.cli import cli
    from pipelines.archive import open_archive

    db = open_archive(db_path)
    db["failures"].insert_all([
        {"crawl_id": 1, "url": "https://www.kabarlebak.example/2019/11/28/hilang/", "stage": "fetch",
         "reason": "http-404", "detail": "HTTP 404", "at": "2019-11-28T02:00:00Z"},
        {"crawl_id": 2, "url": "https://www.kabarlebak.example/wp-admin/", "stage": "robots",
         "reason": "disallowed", "detail": "Forbidden by robots.txt", "at": "2019-11-29T02:00:00Z"},
    ])
    db.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["failures", "--db", str(db_path), "--crawl", "1"])
    assert result.exit_code == 0
    assert result.output == (
        "   1  2019-11-28T02:00:00Z  fetch     http-404          https://www.kabarlebak.example/2019/11/28/hilang/\n"
        "1 failure\n"
    )
    everything = runner.invoke(cli, ["failures", "--db", str(db_path)])
    assert everything.output.splitlines()[0].startswith("   2  2019-11-29T02:00:00Z  robots    disallowed")
    assert everything.output.endswith("2 failures\n")
    missing = runner.invoke(cli, ["failures", "--db", str(db_path.parent / "nope.db")])
    assert missing.exit_code == 1
    assert missing.output == f"Error: no archive at {db_path.parent / 'nope.db'} (run `warta crawl` or `warta demo` first)\n"
