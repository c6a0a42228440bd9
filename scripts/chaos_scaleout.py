"""SIGKILL Redis workers and the ingester mid-run; count what the archive lost (a measurement, not a test).

Starts a throw-away redis-server (with a password) on a free loopback port and
the demo sites, makes a reference archive from an uninterrupted run, then:

- ``worker``: rounds of two `warta crawl --redis` workers with a `warta ingest
  --follow` beside them; a worker is SIGKILLed while it holds leased requests,
  and restarted at once, a few times per round. Hostile frontier entries (a
  pickle that would create a marker file, another format version, a foreign
  callback, a file:// URL) are pushed into the frontier first.
- ``ingester``: the records of the reference run are pushed again with hostile
  ones among them (pickles, another version, wrong shapes, a truncated record),
  and `warta ingest` is SIGKILLed mid-write and restarted at once, a few times
  per round.

After each round the archive is compared with the reference: articles lost,
duplicated (an article or article page stored twice) and different (same
canonical URL, other content); robots.txt violations are requests the demo
sites saw for paths their robots.txt disallows. Poison survived counts hostile
records that did not end up dead-lettered with a recorded failure; executed
counts marker files the hostile pickles created (must stay 0).

    .venv/bin/python scripts/chaos_scaleout.py                       # 20 worker kills, 20 ingester kills
    .venv/bin/python scripts/chaos_scaleout.py --kind worker --kills 5 --seed 7

``scripts/chaos.py`` imports :data:`KINDS`: each ``fn(kills, workdir, seed)``
returns a dict with at least kills, lost, duplicated, different and
robots_violations.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler import scaleout, wire  # noqa: E402
from crawler.demo import demo_site, demo_sites, serve_demo  # noqa: E402

WARTA = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main())"]
PASSWORD = "chaos-" + os.urandom(6).hex()
#: Polite enough that a worker holds leases for a while, fast enough for many kills.
WORKER_SETTINGS = {"DOWNLOAD_DELAY": "0.25", "RANDOMIZE_DOWNLOAD_DELAY": "False", "AUTOTHROTTLE_ENABLED": "False",
                   "CONCURRENT_REQUESTS_PER_DOMAIN": "2", "WARTA_REDIS_IDLE_CLOSE": "1", "LOG_LEVEL": "WARNING",
                   "WARTA_PROGRESS": "log"}
#: Columns of `articles` that say when or by which run a row was written, not what it holds.
VOLATILE = {"page_id", "crawl_id", "first_seen", "last_seen"}
#: Most kills in one round before the round is left to finish (then a fresh one starts).
KILLS_PER_ROUND = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rig:
    """A redis-server with a password and the demo sites, for one chaos kind."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        (workdir / "redis").mkdir(parents=True, exist_ok=True)
        conf = workdir / "redis" / "redis.conf"
        conf.write_text(f"bind 127.0.0.1\nport {self.port}\nrequirepass {PASSWORD}\nsave \"\"\nappendonly no\n"
                        f"dir {workdir / 'redis'}\n")
        conf.chmod(0o600)
        self.redis = subprocess.Popen(["redis-server", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.env = {**os.environ, scaleout.PASSWORD_ENV: PASSWORD, "PYTHONPATH": str(ROOT)}
        self.client = None
        for _ in range(500):
            try:
                self.client = scaleout.connect(f"redis://:{PASSWORD}@127.0.0.1:{self.port}/0")
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.01)
        if self.client is None:
            raise SystemExit("redis-server did not start")
        self.demo = serve_demo()
        self.procs: list[subprocess.Popen] = []
        self.logs = workdir / "logs"
        self.logs.mkdir(exist_ok=True)

    def spawn(self, args: list[str], name: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}-{time.time_ns()}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([*WARTA, *args], stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT)
        proc.log = log
        self.procs.append(proc)
        return proc

    def worker(self) -> subprocess.Popen:
        sets = {**WORKER_SETTINGS, "WARTA_SITE_ORIGINS": json.dumps(self.demo.origins)}
        return self.spawn(["crawl", *demo_sites(), "--redis", self.url,
                           *[a for k, v in sets.items() for a in ("--set", f"{k}={v}")]], "worker")

    def ingest(self, db: Path, *extra: str) -> subprocess.Popen:
        return self.spawn(["ingest", "--redis", self.url, "--db", str(db), *extra], "ingest")

    def fresh(self) -> None:
        self.client.flushdb()

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.log.close()
        self.client.close()
        self.demo.close()
        self.redis.terminate()
        self.redis.wait(timeout=30)


@contextmanager
def rig(workdir: Path):
    r = Rig(workdir)
    try:
        yield r
    finally:
        r.close()


def finish(proc: subprocess.Popen, timeout: float = 300) -> int:
    try:
        return proc.wait(timeout=timeout)
    finally:
        proc.log.flush()


def sigkill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()


# --- what an archive holds, against the reference ----------------------------------------


def article_rows(db: Path) -> dict[str, tuple]:
    """Each article's row without the columns that say when or in which order it was written;
    ``dup_group`` (the rowid of a group's first copy) becomes the group's canonical URLs."""
    conn = sqlite3.connect(db)
    try:
        cursor = conn.execute("select * from articles")
        names = [c[0] for c in cursor.description]
        records = [dict(zip(names, row, strict=True)) for row in cursor]
    finally:
        conn.close()
    groups: dict = {}
    for r in records:
        if r.get("dup_group") is not None:
            groups.setdefault(r["dup_group"], []).append(r["canonical_url"])
    return {r["canonical_url"]: tuple(tuple(sorted(groups[v])) if n == "dup_group" and v is not None else v
                                      for n, v in r.items() if n not in VOLATILE)
            for r in records}


def duplicated(db: Path) -> int:
    """Article pages stored twice, plus fetched URLs that became two articles, plus article versions
    (an article whose content changed during the run)."""
    conn = sqlite3.connect(db)
    try:
        pages = conn.execute("select count(*) from (select url, part from pages where article_url is not null "
                             "group by url, part having count(*) > 1)").fetchone()[0]
        urls = conn.execute("select count(*) from (select url from articles group by url having count(*) > 1)"
                            ).fetchone()[0]
        versions = conn.execute("select count(*) from article_versions").fetchone()[0]
        return pages + urls + versions
    finally:
        conn.close()


def compare(reference: dict[str, tuple], db: Path) -> dict:
    got = article_rows(db)
    return {"lost": len(set(reference) - set(got)), "extra": len(set(got) - set(reference)),
            "different": sum(1 for url, row in got.items() if url in reference and reference[url] != row),
            "duplicated": duplicated(db)}


def robots_violations(demo, start: int = 0) -> int:
    rules = {slug: demo_site(slug).disallowed for slug in demo_sites()}
    return sum(1 for slug, path in demo.requests[start:] if any(path.startswith(p) for p in rules.get(slug, ())))


def failures_named(db: Path, names: list[str]) -> int:
    conn = sqlite3.connect(db)
    try:
        return sum(1 for name in names
                   if conn.execute("select 1 from failures where stage = 'queue' and url like ?",
                                   [f"%#{name}"]).fetchone())
    finally:
        conn.close()


def crawl_rows(db: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select id, status from crawls order by id").fetchall()
    finally:
        conn.close()


# --- hostile values ---------------------------------------------------------------------


class Touch:
    """Unpickling this creates ``path``: the proof that a pickle ran."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def hostile_requests(marker: Path) -> list[bytes]:
    """Frontier entries no worker may run: a pickle, another version, a foreign callback, a local file."""
    good = {"url": "https://www.kabarlebak.example/", "callback": "parse_index", "errback": "on_error",
            "headers": {}, "method": "GET", "body": b"", "cookies": {}, "meta": {}, "encoding": "utf-8",
            "priority": 0, "dont_filter": True, "flags": [], "cb_kwargs": {}, "v": 1}
    return [pickle.dumps(Touch(marker)),
            wire.dumps({**good, "v": 99}),
            wire.dumps({**good, "callback": "__init__"}),
            wire.dumps({**good, "url": "file:///etc/passwd"}),
            wire.dumps({**good, "_class": "os.system"}),
            b"\x00not json"]


def hostile_records(marker: Path) -> list[bytes]:
    """Archive-queue records the writer must dead-letter: pickles, another version, wrong shapes, truncated."""
    article = zlib.compress(wire.dumps({"v": scaleout.RECORD_VERSION, "id": "x", "at": "2019-11-28T00:00:00Z",
                                        "kind": "article", "site": "kabar-lebak", "pages": [], "article": 1}))
    return [pickle.dumps(Touch(marker)),
            zlib.compress(pickle.dumps(Touch(marker))),  # what warta before 0.2 sent
            zlib.compress(wire.dumps({"v": 99, "kind": "article"})),
            article,
            zlib.compress(wire.dumps(["not", "a", "record"])),
            scaleout.encode_record({"kind": "failure", "id": "t", "at": "2019-11-28T00:00:00Z", "site": None,
                                    "url": "https://x.example/", "stage": "fetch", "reason": "x", "detail": ""})[:-7]]


def hostile_pickle_ran(marker: Path) -> int:
    return int(marker.exists())


# --- the two kinds -------------------------------------------------------------------------


def _reference(r: Rig, workdir: Path) -> tuple[dict, list[bytes]]:
    """An uninterrupted run: two workers, then ingest; returns its articles and the raw records it ingested."""
    r.fresh()
    workers = [r.worker() for _ in range(2)]
    for w in workers:
        if finish(w) != 0:
            raise SystemExit(f"reference worker failed, see {r.logs}")
    records = r.client.lrange(scaleout.ARCHIVE_QUEUE, 0, -1)[::-1]  # oldest first
    db = workdir / "reference.db"
    if finish(r.ingest(db, "--idle-exit", "0.5")) != 0:
        raise SystemExit(f"reference ingest failed, see {r.logs}")
    return article_rows(db), records


def _figures(kind: str, *extra: str) -> dict:
    keys = ["kills", *extra, "rounds", "lost", "duplicated", "different", "extra", "robots_violations",
            "poison_injected", "poison_survived", "poison_executed", "rows_left_running", "failed_processes"]
    return {"kind": kind, **dict.fromkeys(keys, 0)}


def _score_round(out: dict, reference: dict, db: Path, poison: list[bytes], dead: list[bytes], marker: Path,
                 stuck: int = 0) -> None:
    """Add one round's figures: the archive against the reference, and where the hostile values went."""
    found = compare(reference, db)
    for key in ("lost", "duplicated", "different", "extra"):
        out[key] += found[key]
    out["rows_left_running"] += sum(1 for _, status in crawl_rows(db) if status == "running")
    recorded = failures_named(db, [scaleout.fingerprint(e) for e in poison])
    in_dead = sum(1 for e in poison if e in set(dead))
    out["poison_injected"] += len(poison)
    out["poison_survived"] += len(poison) - min(recorded, in_dead) + stuck
    out["poison_executed"] += hostile_pickle_ran(marker)


def _leases_of(client, pid: int) -> int:
    return sum(client.hlen(k) for k in client.scan_iter(match=f"warta:*:leases:*:{pid}:*"))


def _campaign(kind: str, extra: list[str], kills: int, workdir: Path, seed: int, play_round) -> dict:
    """Rounds of ``play_round(rig, figures, rng, reference, records, budget, name)`` until ``kills`` SIGKILLs."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    out = _figures(kind, *extra)
    started = time.monotonic()
    with rig(workdir) as r:
        reference, records = _reference(r, workdir)
        out["reference_articles"] = len(reference)
        out["robots_violations"] += robots_violations(r.demo)
        while out["kills"] < kills:
            out["rounds"] += 1
            r.fresh()
            play_round(r, out, rng, reference, records, min(KILLS_PER_ROUND, kills - out["kills"]),
                       workdir / f"{kind}-round-{out['rounds']}")
    out["seconds"] = round(time.monotonic() - started, 1)
    return out


def _worker_round(r: Rig, out: dict, rng, reference, records, budget: int, name: Path) -> None:
    marker = name.with_suffix(".pwned")
    site = rng.choice(demo_sites())
    poison = hostile_requests(marker)
    for n, entry in enumerate(poison):
        r.client.zadd(scaleout.queue_key(site), {entry: -n})
    db = name.with_suffix(".db")
    seen = len(r.demo.requests)
    ingest = r.ingest(db, "--follow")
    workers = [r.worker() for _ in range(2)]
    while any(w.poll() is None for w in workers):
        running = [i for i, w in enumerate(workers) if w.poll() is None]
        if budget and running:
            slot = rng.choice(running)
            victim = workers[slot]
            deadline = time.monotonic() + 15
            while victim.poll() is None and time.monotonic() < deadline and not _leases_of(r.client, victim.pid):
                time.sleep(0.02)
            time.sleep(rng.uniform(0, 0.5))
            if victim.poll() is None:
                holding = _leases_of(r.client, victim.pid)
                sigkill(victim)
                out["kills"] += 1
                out["kills_holding_leases"] += holding > 0
                budget -= 1
                workers[slot] = r.worker()
                continue
        for i, w in enumerate(workers):
            if w.poll() is not None and w.returncode not in (0, -signal.SIGKILL):
                out["failed_processes"] += 1
                workers[i] = r.worker()  # keep two workers, as an operator's supervisor would
        time.sleep(0.1)
    # Let the writer drain, then stop it as a supervisor would: SIGTERM.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (r.client.llen(scaleout.ARCHIVE_QUEUE) or r.client.llen(scaleout.PROCESSING)):
        time.sleep(0.1)
    ingest.send_signal(signal.SIGTERM)
    if finish(ingest, 60) not in (0, 3):
        out["failed_processes"] += 1
    out["robots_violations"] += robots_violations(r.demo, seen)
    _score_round(out, reference, db, poison, r.client.lrange(scaleout.frontier_dead_key(site), 0, -1), marker)


def _ingester_round(r: Rig, out: dict, rng, reference, records, budget: int, name: Path) -> None:
    marker = name.with_suffix(".pwned")
    poison = hostile_records(marker)
    queue = list(records)
    for entry in poison:
        queue.insert(rng.randrange(len(queue) + 1), entry)
    r.client.lpush(scaleout.ARCHIVE_QUEUE, *queue)  # LPUSH: the first of `queue` is taken first
    db = name.with_suffix(".db")
    while True:
        proc = r.ingest(db, "--idle-exit", "0.3")
        if not budget:
            code = finish(proc)
            break
        # Wait until it is writing (records leave the queue), then kill it a little later.
        before = r.client.llen(scaleout.ARCHIVE_QUEUE)
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline and r.client.llen(scaleout.ARCHIVE_QUEUE) >= before:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.06))
        if proc.poll() is not None:
            code = proc.returncode
            if code == 1 and "another warta ingest" in Path(proc.log.name).read_text():
                out["refused_restarts"] += 1
                continue
            break
        writing = r.client.llen(scaleout.ARCHIVE_QUEUE) + r.client.llen(scaleout.PROCESSING)
        sigkill(proc)
        out["kills"] += 1
        out["kills_mid_write"] += writing > 0
        budget -= 1
    if code not in (0, 3):
        out["failed_processes"] += 1
    stuck = r.client.llen(scaleout.ARCHIVE_QUEUE) + r.client.llen(scaleout.PROCESSING)
    _score_round(out, reference, db, poison, r.client.lrange(scaleout.DEAD_LETTERS, 0, -1), marker, stuck)


def kill_workers(kills: int, workdir: Path, seed: int) -> dict:
    """SIGKILL Redis workers while they hold leased requests; restart each at once."""
    return _campaign("worker", ["kills_holding_leases"], kills, workdir, seed, _worker_round)


def kill_ingester(kills: int, workdir: Path, seed: int) -> dict:
    """SIGKILL `warta ingest` mid-write and restart it at once, with hostile records in the queue."""
    return _campaign("ingester", ["kills_mid_write", "refused_restarts"], kills, workdir, seed, _ingester_round)


KINDS = {"worker": kill_workers, "ingester": kill_ingester}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=[*KINDS, "all"], default="all")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs of each kind (default 20)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workdir", type=Path, help="keep archives and logs here (default: a temporary folder)")
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not installed")
    kinds = list(KINDS) if args.kind == "all" else [args.kind]
    with tempfile.TemporaryDirectory(prefix="warta-chaos-") as tmp:
        base = args.workdir or Path(tmp)
        results = [KINDS[kind](args.kills, base / kind, args.seed) for kind in kinds]
    for result in results:
        print(json.dumps(result))
    print()
    for r in results:
        during = (f"{r['kills_holding_leases']} while it held leased requests" if r["kind"] == "worker"
                  else f"{r['kills_mid_write']} with records still to write")
        print(f"{r['kind']:>9}: {r['kills']} SIGKILLs ({during}) in {r['rounds']} rounds ({r['seconds']} s), reference "
              f"{r['reference_articles']} articles; lost {r['lost']}, duplicated {r['duplicated']}, "
              f"different {r['different']}, extra {r['extra']}; robots violations {r['robots_violations']}; "
              f"poison {r['poison_injected']} injected, {r['poison_survived']} survived, "
              f"{r['poison_executed']} executed; crawls rows left running {r['rows_left_running']}"
              + (f"; restarts refused {r['refused_restarts']}" if "refused_restarts" in r else "")
              + f"; processes failed {r['failed_processes']}")
    bad = sum(r[k] for r in results for k in ("lost", "duplicated", "different", "robots_violations",
                                               "poison_survived", "poison_executed", "rows_left_running"))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
