"""Scale-out: workers share one Redis frontier, one writer ingests; nothing lost, nothing run, whatever is killed."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

import pytest

from crawler import scaleout, wire
from crawler.demo import demo_articles, demo_sites, serve_demo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from chaos_scaleout import Touch, article_rows, duplicated  # noqa: E402

WARTA = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main())"]
PASSWORD = "kata-sandi-uji"
ENV = {**os.environ, "WARTA_REDIS_PASSWORD": PASSWORD}
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_START_DELAY": "0.01", "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
        "WARTA_REDIS_IDLE_CLOSE": "2", "WARTA_PROGRESS": "log"}
#: Slow enough that a worker holds leased requests long enough to be killed while it does.
SLOW = {**FAST, "DOWNLOAD_DELAY": "0.25", "RANDOMIZE_DOWNLOAD_DELAY": "False", "AUTOTHROTTLE_ENABLED": "False"}

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server is not installed (apt-get install redis-server)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(directory, *args: str):
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--requirepass", PASSWORD, "--dir", str(directory), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    import redis

    port = free_port()
    proc = start_redis(tmp_path_factory.mktemp("redis"), "--port", str(port))
    client = redis.Redis(port=port, password=PASSWORD)
    for _ in range(500):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.01)
    client.close()
    yield port
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def redis_url(redis_port):
    """The Redis URL the commands get (the password comes from WARTA_REDIS_PASSWORD); emptied first."""
    import redis

    client = redis.Redis(port=redis_port, password=PASSWORD)
    client.flushdb()
    client.close()
    return f"redis://127.0.0.1:{redis_port}/0"


@pytest.fixture
def client(redis_url):
    import redis

    c = redis.Redis.from_url(redis_url, password=PASSWORD)
    yield c
    c.close()


@pytest.fixture(scope="module")
def demo():
    with serve_demo() as server:
        yield server


def worker_command(redis_url: str, origins: dict, sites=None, settings=FAST) -> list[str]:
    sets = {**settings, "WARTA_SITE_ORIGINS": json.dumps(origins)}
    return [*WARTA, "crawl", *(sites or demo_sites()), "--redis", redis_url,
            *[a for k, v in sets.items() for a in ("--set", f"{k}={v}")]]


def start_worker(redis_url, origins, sites=None, settings=FAST) -> subprocess.Popen:
    return subprocess.Popen(worker_command(redis_url, origins, sites, settings), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV)


def run_workers(n: int, redis_url: str, origins: dict, sites=None) -> list[subprocess.CompletedProcess]:
    procs = [start_worker(redis_url, origins, sites) for _ in range(n)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    for r in results:
        assert r.returncode == 0, r.stderr[-3000:]
        assert "Traceback" not in r.stderr
    return results


def ingest(redis_url: str, db_path, *extra: str, code: int = 0) -> subprocess.CompletedProcess:
    result = subprocess.run([*WARTA, "ingest", "--redis", redis_url, "--db", str(db_path), "--idle-exit", "1", *extra],
                            capture_output=True, text=True, timeout=300, env=ENV)
    assert result.returncode == code, result.stdout + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


def wait_for(predicate, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def leases_of(client, pid: int) -> int:
    return sum(client.hlen(k) for k in client.scan_iter(match=f"warta:*:leases:*:{pid}:*"))


def test_two_workers_one_writer(redis_url, client, demo, tmp_path):
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
    waiting = client.llen(scaleout.ARCHIVE_QUEUE)
    assert waiting >= len(expected)
    assert all(client.exists(scaleout.dupefilter_key(site)) == 0 for site in demo_sites())  # last worker out cleared it
    assert list(client.scan_iter(match="warta:*:leases:*")) == []  # every lease acknowledged

    # 2. A writer that died between taking a record and committing it left it in the
    #    processing list: the next writer stores it first, and only once.
    client.lmove(scaleout.ARCHIVE_QUEUE, scaleout.PROCESSING, "RIGHT", "LEFT")
    first = ingest(redis_url, db_path)
    assert f"{len(expected)} new, 0 changed, 0 unchanged articles" in first.stdout
    assert client.llen(scaleout.ARCHIVE_QUEUE) == 0 and client.llen(scaleout.PROCESSING) == 0

    conn = sqlite3.connect(db_path)
    stored = [url for (url,) in conn.execute("select canonical_url from articles")]
    assert sorted(stored) == sorted(expected)  # every article, exactly once
    assert duplicated(db_path) == 0
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    # what the crawl knew (Page.via) and the article decision reach the archive through Redis too
    assert conn.execute("select count(*) from pages where part = 1 and (via is null or decision is null)"
                        ).fetchone()[0] == 0
    (status, stats) = conn.execute("select status, stats from crawls where id = 1").fetchone()
    assert status == "finished"
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


def test_a_killed_worker_loses_nothing(redis_url, client, demo, tmp_path):
    """SIGKILL a worker while it holds requests, restart it, SIGTERM the restarted one, finish:
    the archive equals an uninterrupted run's. Two sites, one with multi-page stories (whose pages travel
    in the frontier). (~15 s: four crawls, two of them polite.)"""
    sites = ["kabar-lebak", "suara-pantura"]
    reference_db = tmp_path / "reference.db"
    run_workers(1, redis_url, demo.origins, sites)
    ingest(redis_url, reference_db)
    reference = article_rows(reference_db)
    assert len(reference) == sum(len(demo_articles(site)) for site in sites)
    client.flushdb()

    # Killed while its leased requests are being fetched or parsed.
    first = start_worker(redis_url, demo.origins, sites, settings=SLOW)
    wait_for(lambda: first.poll() is not None or leases_of(client, first.pid) >= 2, what="the first worker's leases")
    assert first.poll() is None, first.communicate()[1][-3000:]
    first.send_signal(signal.SIGKILL)
    first.communicate()
    assert leases_of(client, first.pid) >= 1  # its work, not lost: still leased

    # The restarted worker takes the dead one's leases back at once (same host, PID gone).
    second = start_worker(redis_url, demo.origins, sites, settings=SLOW)
    wait_for(lambda: second.poll() is not None or leases_of(client, second.pid) >= 1, what="the second worker")
    assert leases_of(client, first.pid) == 0
    # SIGTERM: it finishes what it holds, gives the rest back, exits cleanly.
    second.send_signal(signal.SIGTERM)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err[-3000:]
    assert out.startswith("worker done (paused)")
    assert leases_of(client, second.pid) == 0

    run_workers(1, redis_url, demo.origins, sites)
    db_path = tmp_path / "archive.db"
    ingest(redis_url, db_path)
    assert article_rows(db_path) == reference  # nothing lost, nothing different
    assert duplicated(db_path) == 0  # nothing stored twice
    conn = sqlite3.connect(db_path)
    (stats,) = conn.execute("select stats from crawls").fetchone()
    conn.close()
    reclaimed = [s.get("warta/redis/leases_reclaimed", 0) for w, s in json.loads(stats)["workers"].items()
                 if f":{second.pid}:" in w]
    assert sum(reclaimed) >= 1


def test_hostile_pickles_in_every_key_run_nothing(redis_url, client, demo, tmp_path):
    site = "kabar-papua"
    marker = tmp_path / "pwned"
    hostile = pickle.dumps(Touch(marker))
    dead_worker = "elsewhere:4242:abcdef"  # its liveness key is gone: dead
    client.zadd(scaleout.queue_key(site), {hostile: -1000})
    client.sadd(scaleout.workers_key(site), dead_worker, hostile)
    client.hset(scaleout.leases_prefix(site) + dead_worker, hostile + b"lease", 0)
    client.sadd(scaleout.archived_key(site), hostile)
    client.lpush(scaleout.ARCHIVE_QUEUE, hostile, zlib.compress(hostile))
    client.rpush(scaleout.PROCESSING, hostile + b"processing")

    run_workers(1, redis_url, demo.origins, sites=[site])
    db_path = tmp_path / "archive.db"
    result = ingest(redis_url, db_path, code=3)
    assert not marker.exists()
    assert "3 records could not be archived and wait in warta:archive:dead" in result.stdout
    conn = sqlite3.connect(db_path)
    failures = conn.execute("select url, reason from failures where stage = 'queue' order by url").fetchall()
    assert sorted(failures) == sorted(
        [(f"redis:{scaleout.queue_key(site)}#{scaleout.fingerprint(v)}", "pickle-refused")
         for v in (hostile, hostile + b"lease")]
        + [(f"redis:{scaleout.ARCHIVE_QUEUE}#{scaleout.fingerprint(v)}", "pickle-refused")
           for v in (hostile, zlib.compress(hostile), hostile + b"processing")])
    assert conn.execute("select count(*) from articles where site = ?", [site]).fetchone()[0] == \
        len(demo_articles(site))
    conn.close()
    assert set(client.lrange(scaleout.frontier_dead_key(site), 0, -1)) == {hostile, hostile + b"lease"}
    assert client.llen(scaleout.DEAD_LETTERS) == 3


def _records() -> list[dict]:
    from faultserver import article_html

    from pipelines.core import extract_article
    from pipelines.page import Page

    url = "https://www.kabarlebak.example/2019/11/28/rapat-koordinasi-musim-hujan/"
    html = article_html("rapat", "Rapat Koordinasi Musim Hujan di Lebak").encode()
    page = Page(url=url, body=html, headers={"Content-Type": "text/html"}, site="kabar-lebak")
    article = extract_article(html, url, fetched_at=page.fetched_at, site="kabar-lebak")
    assert article is not None
    index = Page(url="https://www.kabarlebak.example/", body=b"<html>indeks</html>", site="kabar-lebak")
    return [{"kind": "article", "site": "kabar-lebak", "article": article, "pages": [page]},
            {"kind": "skipped", "site": "kabar-lebak", "page": index, "reason": "index-page"},
            {"kind": "failure", "site": "kabar-lebak", "url": url + "2/", "stage": "fetch", "reason": "http-404",
             "detail": "HTTP 404"}]


def test_poison_records_go_to_dead_letters_and_ingest_carries_on(redis_url, client, tmp_path):
    good = _records()
    poison = {
        "version-skew": zlib.compress(wire.dumps({"v": scaleout.RECORD_VERSION + 1, "kind": "article"})),
        "bad-shape": zlib.compress(wire.dumps({"v": scaleout.RECORD_VERSION, "kind": "article", "id": "1",
                                               "at": "2019-11-28T00:00:00Z", "site": "kabar-lebak",
                                               "article": {"title": "x"}, "pages": []})),
        "unreadable": scaleout.encode_record(dict(good[2]))[:-5],
        "pickle-refused": zlib.compress(pickle.dumps(good[2])),  # what warta before 0.2 sent
    }
    for record in good[:2]:
        scaleout.push_record(client, record)
    client.lpush(scaleout.ARCHIVE_QUEUE, *poison.values())
    scaleout.push_record(client, good[2])
    db_path = tmp_path / "archive.db"

    result = ingest(redis_url, db_path, code=3)
    assert "1 new, 0 changed, 0 unchanged articles, 1 pages that were not articles, 1 failures" in result.stdout
    assert (f"  4 records could not be archived and wait in warta:archive:dead; see them with: "
            f"warta failures --crawl 1 --db {db_path}") in result.stdout
    conn = sqlite3.connect(db_path)
    rows = conn.execute("select reason, url from failures where stage = 'queue'").fetchall()
    assert sorted(rows) == sorted((reason, f"redis:{scaleout.ARCHIVE_QUEUE}#{scaleout.fingerprint(raw)}")
                                  for reason, raw in poison.items())
    assert set(client.lrange(scaleout.DEAD_LETTERS, 0, -1)) == set(poison.values())

    # After an upgrade they can be tried again; still unreadable, they go back, recorded once.
    again = ingest(redis_url, db_path, "--retry-dead", code=3)
    assert "4 dead-lettered records put back on the queue" in again.stderr
    assert conn.execute("select count(*) from failures where stage = 'queue'").fetchone()[0] == 4
    assert client.llen(scaleout.DEAD_LETTERS) == 4 and client.llen(scaleout.PROCESSING) == 0
    conn.close()

    listed = subprocess.run([*WARTA, "failures", "--db", str(db_path)], capture_output=True, text=True)
    assert "queue     version-skew" in listed.stdout


def test_the_writer_lease(redis_url, client, tmp_path):
    db_path = tmp_path / "archive.db"
    # A failed start holds nothing: the next ingest starts at once.
    not_an_archive = tmp_path / "notes.db"
    not_an_archive.write_text("catatan rapat\n" * 100)
    failed = ingest(redis_url, not_an_archive, code=1)
    assert failed.stderr.count("\n") == 1 and "Error:" in failed.stderr
    assert client.exists(scaleout.WRITER_LOCK) == 0
    ingest(redis_url, db_path)

    # A live writer excludes a second one.
    live = subprocess.Popen([*WARTA, "ingest", "--redis", redis_url, "--db", str(db_path), "--follow"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    wait_for(lambda: client.exists(scaleout.WRITER_LOCK), what="the writer lease")
    holder = client.get(scaleout.WRITER_LOCK).decode()
    refused = ingest(redis_url, tmp_path / "other.db", code=1)
    assert refused.stderr.strip() == f"Error: {redis_url}: another warta ingest ({holder}) is writing; one writer only"

    # Killed, it is taken over at once, and its crawls row is closed as killed.
    live.send_signal(signal.SIGKILL)
    live.communicate()
    started = time.monotonic()
    successor = ingest(redis_url, db_path, "--idle-exit", "0")
    assert time.monotonic() - started < 10
    assert f"took over from a writer that was killed ({holder})" in successor.stderr

    # SIGTERM: it stops after the record in hand and closes its row as interrupted.
    term = subprocess.Popen([*WARTA, "ingest", "--redis", redis_url, "--db", str(db_path), "--follow"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    wait_for(lambda: client.exists(scaleout.WRITER_LOCK), what="the writer lease")
    term.send_signal(signal.SIGTERM)
    out, err = term.communicate(timeout=30)
    assert term.returncode == 0, err
    assert out.startswith("ingest (crawl 4) interrupted:")
    assert client.exists(scaleout.WRITER_LOCK) == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("select id, status from crawls order by id").fetchall() == [
        (1, "finished"), (2, "killed"), (3, "finished"), (4, "interrupted")]
    conn.close()


def test_a_second_writer_is_refused(redis_url, client, tmp_path):
    client.set(scaleout.WRITER_LOCK, "elsewhere:1", px=60000)
    result = ingest(redis_url, tmp_path / "a.db", "--idle-exit", "0", code=1)
    assert result.stderr.strip() == (f"Error: {redis_url}: another warta ingest (elsewhere:1) is writing; "
                                     "one writer only")


@pytest.mark.parametrize(("url", "env", "message"), [
    ("http://127.0.0.1:6379", {}, "Error: not a Redis URL: 'http://127.0.0.1:6379' (expected "),
    ("redis://:salah@127.0.0.1:{port}/0", {}, "Error: Redis at redis://127.0.0.1:{port}/0 refused the connection "
                                              "(wrong password)"),
    ("redis://127.0.0.1:{port}/0", {"WARTA_REDIS_PASSWORD": ""}, "Error: Redis at redis://127.0.0.1:{port}/0 "),
])
def test_redis_url_and_password_errors_are_one_line(redis_port, tmp_path, url, env, message):
    from click.testing import CliRunner

    from crawler.cli import cli

    url, message = url.format(port=redis_port), message.format(port=redis_port)
    for command in (["ingest", "--redis", url, "--db", str(tmp_path / "a.db")],
                    ["crawl", "kabar-lebak", "--redis", url]):
        result = CliRunner(env=env).invoke(cli, command)
        assert result.exit_code == 1
        assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr
        assert "salah" not in result.stderr


def _self_signed(directory):
    from datetime import UTC, datetime, timedelta
    from ipaddress import ip_address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "warta test redis")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return directory / "cert.pem", directory / "key.pem"


def test_rediss_with_a_password(tmp_path):
    pytest.importorskip("cryptography")
    import redis

    cert, key = _self_signed(tmp_path)
    port = free_port()
    proc = start_redis(tmp_path, "--port", "0", "--tls-port", str(port), "--tls-cert-file", str(cert),
                       "--tls-key-file", str(key), "--tls-ca-cert-file", str(cert), "--tls-auth-clients", "no")
    try:
        url = f"rediss://:{PASSWORD}@127.0.0.1:{port}/0?ssl_ca_certs={cert}"
        client = scaleout.parse_redis_url(url).client()
        for _ in range(500):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None:
                    pytest.skip("this redis-server has no TLS support")
                time.sleep(0.01)
        result = subprocess.run([*WARTA, "ingest", "--redis", url, "--db", str(tmp_path / "a.db"), "--idle-exit", "0"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("ingest (crawl 1) finished: 0 new")
        client.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
