"""Scale-out: two workers share one Redis frontier, one writer ingests; every article once, no URL twice."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest

from crawler.demo import demo_articles, demo_sites, serve_demo

WARTA = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main())"]
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_START_DELAY": "0.01", "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
        "WARTA_REDIS_IDLE_CLOSE": "2", "WARTA_PROGRESS": "log"}

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server is not installed (apt-get install redis-server)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    import redis

    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(500):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.01)
    client.close()
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def demo():
    with serve_demo() as server:
        yield server


def worker_command(redis_url: str, origins: dict) -> list[str]:
    sets = {**FAST, "WARTA_SITE_ORIGINS": json.dumps(origins)}
    return [*WARTA, "crawl", *demo_sites(), "--redis", redis_url,
            *[a for k, v in sets.items() for a in ("--set", f"{k}={v}")]]


def run_workers(n: int, redis_url: str, origins: dict) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(worker_command(redis_url, origins), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(n)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    for r in results:
        assert r.returncode == 0, r.stderr[-3000:]
        assert "Traceback" not in r.stderr
    return results


def ingest(redis_url: str, db_path) -> subprocess.CompletedProcess:
    result = subprocess.run([*WARTA, "ingest", "--redis", redis_url, "--db", str(db_path), "--idle-exit", "1"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_two_workers_one_writer(redis_url, demo, tmp_path):
    import redis

    from crawler.scaleout import ARCHIVE_QUEUE, PROCESSING, dupefilter_key

    client = redis.Redis.from_url(redis_url)
    db_path = tmp_path / "archive.db"
    expected = {a["url"] for a in demo_articles()}
    before = len(demo.requests)

    # 1. Two workers crawl while no writer runs: the articles wait in Redis.
    workers = run_workers(2, redis_url, demo.origins)
    fetched = [(site, path) for site, path in demo.requests[before:] if path != "/robots.txt"]
    assert fetched, "the workers fetched nothing"
    twice = [key for key, n in Counter(fetched).items() if n > 1]
    assert twice == [], f"fetched more than once: {twice}"
    sent = sum(int(line.split(": ")[1].split()[0]) for r in workers for line in r.stdout.splitlines()
               if line.startswith("worker done"))
    assert sent == len(expected)
    waiting = client.llen(ARCHIVE_QUEUE)
    assert waiting >= len(expected)
    assert all(client.exists(dupefilter_key(site)) == 0 for site in demo_sites())  # last worker out cleared it

    # 2. A writer that died between taking a record and committing it left it in the
    #    processing list: the next writer stores it first, and only once.
    client.lmove(ARCHIVE_QUEUE, PROCESSING, "RIGHT", "LEFT")
    first = ingest(redis_url, db_path)
    assert f"{len(expected)} new, 0 changed, 0 unchanged articles" in first.stdout
    assert client.llen(ARCHIVE_QUEUE) == 0 and client.llen(PROCESSING) == 0

    conn = sqlite3.connect(db_path)
    stored = [url for (url,) in conn.execute("select canonical_url from articles")]
    assert sorted(stored) == sorted(expected)  # every article, exactly once
    assert conn.execute("select url, part, count(*) from pages where article_url is not null "
                        "group by url, part having count(*) > 1").fetchall() == []
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    # what the crawl knew (Page.via) and the article decision reach the archive through Redis too
    assert conn.execute("select count(*) from pages where part = 1 and (via is null or decision is null)"
                        ).fetchone()[0] == 0
    (stats,) = conn.execute("select stats from crawls where id = 1").fetchone()
    worker_runs = json.loads(stats)["workers"]
    assert len(worker_runs) == 2 * len(demo_sites())
    assert sum(s.get("downloader/response_count", 0) for s in worker_runs.values()) >= len(fetched)

    # 3. Ingesting again stores nothing twice.
    again = ingest(redis_url, db_path)
    assert "0 new, 0 changed, 0 unchanged articles" in again.stdout
    assert conn.execute("select count(*) from articles").fetchone()[0] == len(expected)

    # 4. The next run is incremental: the writer published what the archive holds.
    before = len(demo.requests)
    second = run_workers(1, redis_url, demo.origins)
    article_paths = {a["path"] for a in demo_articles()}
    refetched = [path for _, path in demo.requests[before:] if path.split("?")[0] in article_paths]
    assert refetched == []
    assert "0 articles sent" in second[0].stdout
    conn.close()
    client.close()


def test_a_second_writer_is_refused(redis_url, tmp_path):
    import redis

    from crawler.scaleout import WRITER_LOCK

    client = redis.Redis.from_url(redis_url)
    client.set(WRITER_LOCK, "elsewhere:1", px=60000)
    try:
        result = subprocess.run([*WARTA, "ingest", "--redis", redis_url, "--db", str(tmp_path / "a.db"),
                                 "--idle-exit", "0"], capture_output=True, text=True, timeout=120)
    finally:
        client.delete(WRITER_LOCK)
        client.close()
    assert result.returncode == 1
    assert result.stderr.strip() == (f"Error: {redis_url}: another warta ingest (elsewhere:1) is writing; "
                                     "one writer only")
