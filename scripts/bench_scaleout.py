"""Wall time of a demo crawl with one Redis worker vs two (a measurement, not a test).

Starts a throw-away redis-server on a free loopback port and the demo sites, then for
each worker count: flushes Redis, starts the workers at once, waits for them, and runs
`warta ingest` into a fresh archive. Prints one line per run and a summary: wall times,
and the CPU time (user + system) the workers and the writer used, which is what to
compare on a shared machine.

    .venv/bin/python scripts/bench_scaleout.py                 # DOWNLOAD_DELAY 1 s, 1 and 2 workers
    .venv/bin/python scripts/bench_scaleout.py --delay 0 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.demo import demo_articles, demo_sites, serve_demo  # noqa: E402

WARTA = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main())"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(workers: int, redis_url: str, origins: dict, args, tmp: Path) -> dict:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    sets = {"DOWNLOAD_DELAY": str(args.delay), "AUTOTHROTTLE_START_DELAY": str(max(args.delay, 0.01)),
            "RANDOMIZE_DOWNLOAD_DELAY": "False", "WARTA_REDIS_IDLE_CLOSE": str(args.idle_close),
            "WARTA_SITE_ORIGINS": json.dumps(origins), "LOG_LEVEL": "WARNING"}
    command = [*WARTA, "crawl", *demo_sites(), "--redis", redis_url,
               *[a for k, v in sets.items() for a in ("--set", f"{k}={v}")]]
    started = time.perf_counter()
    cpu_before = _children_cpu()
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for _ in range(workers)]
    outs = [p.communicate() for p in procs]
    crawl = time.perf_counter() - started
    crawl_cpu = _children_cpu() - cpu_before
    if any(p.returncode for p in procs):
        raise SystemExit("a worker failed:\n" + "\n".join(err[-2000:] for _, err in outs))
    db_path = tmp / f"archive-{workers}-{time.time_ns()}.db"
    t = time.perf_counter()
    cpu_before = _children_cpu()
    subprocess.run([*WARTA, "ingest", "--redis", redis_url, "--db", str(db_path), "--idle-exit", "0.5"],
                   check=True, capture_output=True, cwd=ROOT)
    ingest = time.perf_counter() - t
    ingest_cpu = _children_cpu() - cpu_before
    # Each worker reports its own crawl time (without Python start-up and imports).
    own = [float(m) for out, _ in outs for m in re.findall(r"pages fetched in ([0-9.]+) s", out)]
    conn = sqlite3.connect(db_path)
    stored = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    return {"workers": workers, "crawl_s": crawl, "ingest_s": ingest, "articles": stored,
            "worker_s": max(own, default=0.0), "crawl_cpu": crawl_cpu, "ingest_cpu": ingest_cpu}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=1.0, help="DOWNLOAD_DELAY per worker (s)")
    parser.add_argument("--idle-close", type=float, default=1.0, help="WARTA_REDIS_IDLE_CLOSE (s)")
    parser.add_argument("--runs", type=int, default=1, help="runs per worker count")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not installed")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmpdir:
        server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", tmpdir], stdout=subprocess.DEVNULL)
        try:
            time.sleep(0.3)
            redis_url = f"redis://127.0.0.1:{port}/0"
            results = []
            with serve_demo() as demo:
                for n in [int(x) for x in args.workers.split(",")]:
                    for _ in range(args.runs):
                        r = run(n, redis_url, demo.origins, args, Path(tmpdir))
                        results.append(r)
                        print(f"{r['workers']} worker(s): wall {r['crawl_s']:.2f} s from launch to the last "
                              f"exit (slowest worker's own crawl {r['worker_s']:.2f} s, incl. {args.idle_close:.1f} s "
                              f"idle wait), ingest {r['ingest_s']:.2f} s, {r['articles']}/{len(demo_articles())} "
                              f"articles; CPU: workers {r['crawl_cpu']:.2f} s, ingest {r['ingest_cpu']:.2f} s")
            print(f"\ndemo: {len(demo_articles())} articles on {len(demo_sites())} sites, DOWNLOAD_DELAY "
                  f"{args.delay} s per worker, {os.cpu_count()} CPUs")
            for n in sorted({r["workers"] for r in results}):
                mine = [r for r in results if r["workers"] == n]
                print(f"  {n} worker(s): best wall time {min(r['crawl_s'] for r in mine):.2f} s, "
                      f"best worker crawl time {min(r['worker_s'] for r in mine):.2f} s, median CPU "
                      f"{statistics.median(r['crawl_cpu'] for r in mine):.2f} s (workers) + "
                      f"{statistics.median(r['ingest_cpu'] for r in mine):.2f} s (ingest)")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
