"""A crawl's exit status, summary and ``crawls`` row tell the truth: losses, bad settings, signals."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from faultserver import WARTA, query_now, warta_env

from crawler.cli import cli
from crawler.demo import demo_articles, demo_sites, serve_demo
from crawler.runner import EXIT_INTERRUPTED, EXIT_LOSSES
from pipelines.archive import open_archive

#: Put on PYTHONPATH, this makes every SQLite connection of the crawl and of its worker
#: processes (forked from a fresh interpreter, which imports it too) refuse to grow the
#: database past DISK_FULL_PAGES pages. SQLite reports that exactly as it reports a
#: write that fails with ENOSPC, a full disk: SQLITE_FULL, "database or disk is full",
#: raised by the statement that needs the page, its transaction rolled back. A real tiny
#: filesystem would need mount rights the tests do not have; this is the same failure at
#: the same boundary (the archive's SQLite calls), with nothing of warta's code replaced.
SITECUSTOMIZE = '''
import os, sqlite3
_pages = int(os.environ["DISK_FULL_PAGES"])
_connect = sqlite3.connect
def connect(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    conn.execute(f"PRAGMA max_page_count = {_pages}")
    return conn
sqlite3.connect = connect
'''


@pytest.fixture(scope="module")
def demo():
    with serve_demo() as server:
        yield server


#: No politeness delays on loopback.
LOOPBACK = ("--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_START_DELAY=0.01", "--set",
            "CONCURRENT_REQUESTS_PER_DOMAIN=4")


def demo_crawl(db_path: Path, origins: dict, *extra: str) -> list[str]:
    return [*WARTA, "crawl", *demo_sites(), "--db", str(db_path), "--set", "WARTA_SITE_ORIGINS=" + json.dumps(origins),
            *extra]


def test_a_full_disk_is_a_loss_counted_per_site_and_exit_3(demo, tmp_path):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)  # the schema fits; a few articles more, and the "disk" is full
    pages = db.execute("pragma page_count").fetchone()[0]
    db.close()
    env = warta_env(tmp_path, DISK_FULL_PAGES=str(pages + 12))
    env["PYTHONPATH"] = f"{hook}:{env['PYTHONPATH']}"
    result = subprocess.run(demo_crawl(db_path, demo.origins, "--jobdir", "", *LOOPBACK),
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == EXIT_LOSSES, result.stdout + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert re.search(r"^crawl 1 finished with losses: ", out, re.M), out
    lost = int(re.search(r"LOST: (\d+) fetched pages could not be stored \(disk-full \d+\)", out)[1])
    per_site = [int(n) for n in re.findall(r", (\d+) NOT STORED", out)]
    assert sum(per_site) == lost and lost > 0
    conn = sqlite3.connect(db_path)
    stored = {url for (url,) in conn.execute("select canonical_url from articles")}
    conn.close()
    # Every demo article is stored or named in an ERROR line with its cause: nothing lost silently.
    not_stored = set(re.findall(r"ERROR: Dropped: (\S+): not stored \(disk-full: ", result.stderr))
    assert len(not_stored) == lost
    assert {a["url"] for a in demo_articles()} <= stored | not_stored


def test_invalid_settings_are_refused_before_the_crawl_starts(tmp_path, monkeypatch):
    runner = CliRunner()
    db_path = tmp_path / "archive.db"
    cases = {
        ("--set", "DOWNLOAD_DELAY=abc"): "--set DOWNLOAD_DELAY=abc: expected a number",
        ("--set", "WARTA_PROGRES=log"): "--set WARTA_PROGRES=log: no such setting (did you mean WARTA_PROGRESS?)",
        ("--set", "WARTA_NO_SUCH=1"): "--set WARTA_NO_SUCH=1: no such setting",
        ("--set", "CONCURRENT_REQUESTS=0"): "CONCURRENT_REQUESTS must be >= 1",
        ("--origin", "kabar-papua=http://127.0.0.1:9"): "'kabar-papua' is not a site of this crawl (kabar-lebak)",
    }
    for args, message in cases.items():
        result = runner.invoke(cli, ["crawl", "kabar-lebak", "--db", str(db_path), *args])
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("Error: ") and message in result.output, result.output
        assert result.output.count("\n") == 1
    monkeypatch.setenv("WARTA_WORKERS", "two")
    result = runner.invoke(cli, ["crawl", "kabar-lebak", "--db", str(db_path)])
    assert result.output == "Error: environment variable WARTA_WORKERS='two': expected a whole number >= 0\n"
    assert not db_path.exists()  # refused before anything was created


def crawl_statuses(db_path: Path) -> list[str]:
    return [s for (s,) in query_now(db_path, "select status from crawls order by id")]


def articles_stored(db_path: Path) -> int:
    return (query_now(db_path, "select count(*) from articles") or [(0,)])[0][0]


@pytest.mark.parametrize("when", ["start-up", "mid-crawl, twice"])
def test_sigterm_never_leaves_the_crawl_row_running(demo, tmp_path, when):
    db_path = tmp_path / "archive.db"
    proc = subprocess.Popen(demo_crawl(db_path, demo.origins, "--set", "DOWNLOAD_DELAY=0.2",
                                       "--set", "AUTOTHROTTLE_START_DELAY=0.2"),
                            env=warta_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready = (lambda: crawl_statuses(db_path)) if when == "start-up" else (lambda: articles_stored(db_path))
        while proc.poll() is None and not ready():
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM)
        if when != "start-up":
            time.sleep(0.3)
            proc.send_signal(signal.SIGTERM)  # the second one forces the stop
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == EXIT_INTERRUPTED, out + err[-3000:]
    assert "Traceback" not in err
    assert crawl_statuses(db_path) == ["interrupted" if "twice" in when else crawl_statuses(db_path)[0]]
    assert crawl_statuses(db_path)[0] in ("interrupted", "paused")
    assert "run the same command again" in out
