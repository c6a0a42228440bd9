"""Resuming: a crawl of the demo sites SIGKILLed at random points, resumed with the same command each
time, ends with the archive an uninterrupted crawl makes; a Ctrl-C'd crawl resumes its saved queue."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultserver import query_now

from crawler.demo import demo_articles, demo_sites, serve_demo
from crawler.runner import EXIT_INTERRUPTED

WARTA = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main())"]

#: Kill trials per run. Override with WARTA_CRASH_TRIALS; WARTA_CRASH_SEED replays a run.
TRIALS = int(os.environ.get("WARTA_CRASH_TRIALS", "6"))
SEED = int(os.environ.get("WARTA_CRASH_SEED", str(random.SystemRandom().randrange(10**6))))

#: Loopback settings: small delays so a crawl lasts a few seconds and kills land mid-way.
FAST = {
    "DOWNLOAD_DELAY": "0.2",
    "AUTOTHROTTLE_START_DELAY": "0.2",
    "WARTA_PROGRESS": "log",
    "WARTA_PROGRESS_INTERVAL": "0.5",
}


def crawl_command(db_path: Path, origins: dict) -> list[str]:
    sets = {**FAST, "WARTA_SITE_ORIGINS": json.dumps(origins)}
    return [*WARTA, "crawl", *demo_sites(), "--db", str(db_path),
            *[a for k, v in sets.items() for a in ("--set", f"{k}={v}")]]


def articles(db_path: Path) -> dict[str, str]:
    conn = sqlite3.connect(db_path)
    try:
        return dict(conn.execute("select canonical_url, content_hash from articles"))
    finally:
        conn.close()


def count_articles(db_path: Path) -> int:
    return (query_now(db_path, "select count(*) from articles") or [(0,)])[0][0]


def assert_clean_archive(db_path: Path, expected: dict[str, str], context: str) -> None:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok", context
        stored = dict(conn.execute("select canonical_url, content_hash from articles"))
        assert stored == expected, context  # same articles, same content: nothing lost
        # Nothing stored twice: one page row per article page, no spurious versions.
        dupes = conn.execute("select url, count(*) from pages where article_url is not null "
                             "group by url, part having count(*) > 1").fetchall()
        assert dupes == [], context
        assert conn.execute("select count(*) from article_versions").fetchone()[0] == 0, context
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo():
    with serve_demo() as server:
        yield server


@pytest.fixture(scope="module")
def uninterrupted(demo, tmp_path_factory):
    db_path = tmp_path_factory.mktemp("straight") / "archive.db"
    result = subprocess.run(crawl_command(db_path, demo.origins), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    stored = articles(db_path)
    assert set(stored) == {a["url"] for a in demo_articles()}
    return stored


def test_kill_9_at_random_points_then_resume_loses_and_duplicates_nothing(demo, uninterrupted, tmp_path):
    rng = random.Random(SEED)
    context = f"WARTA_CRASH_SEED={SEED}"
    db_path = tmp_path / "archive.db"
    command = crawl_command(db_path, demo.origins)
    total = len(uninterrupted)
    kills = []
    for trial in range(TRIALS):
        before = count_articles(db_path)
        # A third of the trials kill at a random moment (start-up, discovery, mid-write);
        # the others once a random number of further articles has been stored, spread
        # so that kills keep landing inside the crawl.
        by_time = trial % 3 == 0
        wait = rng.uniform(0.3, 4.0)
        target = min(total, before + rng.randint(1, max(1, 2 * (total - before) // (TRIALS - trial + 1))))
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        while proc.poll() is None:
            if (by_time and time.monotonic() - started >= wait) or (not by_time and count_articles(db_path) >= target):
                break
            time.sleep(0.01)
        if not by_time:
            time.sleep(rng.uniform(0, 0.2))  # land somewhere inside the next article's write
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills.append((round(time.monotonic() - started, 2), count_articles(db_path), "finished" if finished else "killed"))
        assert_partial(db_path, uninterrupted, f"{context} trial {trial} {kills[-1]}")
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{context} {kills}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, context
    assert_clean_archive(db_path, uninterrupted, f"{context} kills={kills}")
    conn = sqlite3.connect(db_path)
    statuses = [s for (s,) in conn.execute("select status from crawls order by id")]
    conn.close()
    assert statuses[-1] == "finished", statuses
    assert "running" not in statuses, statuses  # every killed run was closed as killed on resume
    # Killed runs kept the stats they had saved while running (every 0.5 s here).
    conn = sqlite3.connect(db_path)
    saved = [json.loads(stats) for (stats,) in conn.execute("select stats from crawls where status = 'killed'")]
    conn.close()
    assert any(site_stats.get("downloader/response_count") for s in saved for site_stats in s.values()), saved
    assert sum(1 for k in kills if k[2] == "killed") >= TRIALS // 2, kills
    print(f"\n{context}: {len(kills)} trials (elapsed s, articles so far, outcome): {kills}")


def assert_partial(db_path: Path, expected: dict[str, str], context: str) -> None:
    """After a kill: intact, and everything stored so far is right (a subset, same content)."""
    if not db_path.exists():
        return
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok", context
        stored = dict(conn.execute("select canonical_url, content_hash from articles"))
    finally:
        conn.close()
    assert all(expected.get(url) == h for url, h in stored.items()), context


def test_ctrl_c_pauses_and_the_same_command_resumes_the_saved_queue(demo, uninterrupted, tmp_path):
    db_path = tmp_path / "archive.db"
    command = crawl_command(db_path, demo.origins)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None and count_articles(db_path) < 5:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, EXIT_INTERRUPTED), err[-3000:]
    if "paused" not in out:
        pytest.skip("the crawl finished before Ctrl-C reached it")
    states = {p.parent.name: json.loads(p.read_text())["state"]
              for p in (tmp_path / "crawls").glob("*/warta-state.json")}
    assert "paused" in states.values(), states
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "resumed crawl state" in result.stdout
    assert_clean_archive(db_path, uninterrupted, "ctrl-c")
    states = {p.parent.name: json.loads(p.read_text())["state"]
              for p in (tmp_path / "crawls").glob("*/warta-state.json")}
    assert set(states.values()) == {"done"}, states


def test_two_crawls_of_one_site_do_not_share_its_state(demo, tmp_path):
    db_path = tmp_path / "archive.db"
    command = crawl_command(db_path, demo.origins)
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while first.poll() is None and not list((tmp_path / "crawls").glob("*/warta-state.json")):
            time.sleep(0.01)
        second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    finally:
        first.wait(timeout=300)
    if first.returncode == 0 and "another crawl" not in second.stderr:
        pytest.skip("the first crawl ended before the second one started")
    assert second.returncode == 1
    assert "another crawl of this site is running" in second.stderr
    assert "Traceback" not in second.stderr
