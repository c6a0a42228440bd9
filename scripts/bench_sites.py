"""Many-sites benchmark: `warta crawl --sites FILE` over hundreds of loopback hosts, with memory over time.

It serves N small news sites (default 200) in a child process, each on its own loopback
address (127.0.1.1, 127.0.1.2, ... : a host of its own, as real sites are, so each gets
its own politeness slot), in the shapes of crawler/demo/shapes.py taken in turn
(WordPress core and Yoast, Blogger, a paginated portal, feed only, index only, a network
host), each with its own public address and 5 articles. It writes a sites file of their
URLs (plus one dead address, which must fail alone), runs
``warta crawl --sites FILE`` in a child process with warta's default politeness
(sites are discovered in memory, WARTA_SITES_AT_ONCE at a time), and prints:

- wall time and CPU time (user + system of the crawl and its workers);
- the peak memory of the crawl's process tree (crawl process + page -> article workers) as PSS
  (pages shared between processes, as a freshly forked worker shares its parent's, count once),
  and the highest memory when 10 %, 25 %, 50 %, 75 % and 100 % of the sites were done: flat
  memory means the last ones stay near the first ones;
- the summary check: one line per site, articles stored against the sites' ground truth,
  and the exit code (1: the dead site).

Usage::

    .venv/bin/python scripts/bench_sites.py                 # 200 sites, polite
    .venv/bin/python scripts/bench_sites.py --sites 50 --fast   # no politeness delays

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_crawl import _kb, _tree  # noqa: E402

ARTICLES_PER_SITE = 5


def build_sites(n: int):
    """``n`` sites of the shapes in turn, each with its own slug, public address and 5 articles."""
    from crawler.demo.shapes import shape_sites

    sites = []
    for k in range(n):
        shapes = list(shape_sites().values())
        site = shapes[k % len(shapes)]
        site.slug = f"situs-{k + 1:03d}"
        site.base_url = f"https://situs{k + 1:03d}.example"
        offset = (k // len(shapes)) % max(1, len(site.articles) - ARTICLES_PER_SITE + 1)
        site.articles = site.articles[offset:offset + ARTICLES_PER_SITE]
        site.by_number = {a.number: a for a in site.articles}
        sites.append(site)
    return sites


def address(k: int) -> str:
    return f"127.0.{1 + k // 250}.{1 + k % 250}"


def serve(n: int, out: str) -> None:
    """Child process: serve the sites, write their origins and ground truth as JSON, wait."""
    from crawler.demo.server import DemoServer

    sites = build_sites(n)
    server = DemoServer(sites, hosts={s.slug: address(k) for k, s in enumerate(sites)})
    truth = {server.origins[s.slug]: len(s.articles) for s in sites}
    Path(out).write_text(json.dumps(truth))
    try:
        while True:
            time.sleep(3600)
    finally:
        server.close()


class Memory(threading.Thread):
    """Samples the summed PSS (kB; RSS where PSS cannot be read) of a process tree every 0.2 s, as (seconds, kB) pairs."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.done = pid, [], threading.Event()
        self.started = time.monotonic()
        #: pid -> (first kB, highest kB, last kB) of each process of the tree, to tell which one grows
        self.per_process: dict[int, tuple[int, int, int]] = {}

    def run(self) -> None:
        while not self.done.is_set():
            rss = 0
            for p in _tree(self.pid):
                # PSS: pages a forked worker still shares with the crawl process count once, not twice
                kb = _kb(f"/proc/{p}/smaps_rollup", "Pss:") or _kb(f"/proc/{p}/status", "VmRSS:")
                rss += kb
                if kb:
                    first, high, _ = self.per_process.get(p, (kb, 0, 0))
                    self.per_process[p] = (first, max(high, kb), kb)
            self.samples.append((time.monotonic() - self.started, rss))
            self.done.wait(0.2)



def main(argv: list[str]) -> int:
    if argv[:1] == ["_serve"]:
        serve(int(argv[1]), argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=200, help="how many sites (default 200)")
    parser.add_argument("--fast", action="store_true", help="no politeness delays (default: warta's defaults)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="warta-bench-sites-"))
    truth_file = work / "truth.json"
    server = subprocess.Popen([sys.executable, __file__, "_serve", str(args.sites), str(truth_file)], cwd=ROOT)
    try:
        for _ in range(600):
            if truth_file.exists() and truth_file.stat().st_size:
                break
            time.sleep(0.1)
        truth = json.loads(truth_file.read_text())
        (work / "sites.txt").write_text("# bench: one site per line\n" + "".join(f"{o}/\n" for o in truth)
                                        + "http://127.0.0.1:9/  # a dead site: must fail alone\n")
        cmd = [sys.executable, "-m", "crawler", "crawl", "--sites", "sites.txt", "--db", "bench.db",
               "--set", "WARTA_PROGRESS=log"]
        if args.fast:
            cmd += ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False"]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "WARTA_SITES_DIR": str(work / "sites")}
        print(f"{args.sites} sites on 127.0.1.x, {sum(truth.values())} articles; "
              f"{'fast' if args.fast else 'polite (warta defaults)'}; crawl in {work}", flush=True)
        started, started_wall = time.monotonic(), time.time()
        before = os.times()
        with open(work / "crawl.log", "w") as log:
            crawl = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
            memory = Memory(crawl.pid)
            memory.start()
            output, _ = crawl.communicate()
        elapsed = time.monotonic() - started
        memory.done.set()
        memory.join()
        after = os.times()
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # when each site finished (seconds into the crawl), from the progress log lines
    finished = []
    for line in (work / "crawl.log").read_text(errors="replace").splitlines():
        if "[crawler.progress] INFO: finished" in line:
            stamp = re.match(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})", line)
            if stamp:
                finished.append(time.mktime(time.strptime(stamp[1], "%Y-%m-%d %H:%M:%S")) - started_wall + 1)
    finished.sort()
    import sqlite3

    conn = sqlite3.connect(work / "bench.db")
    stored = conn.execute("select count(*) from articles").fetchone()[0]
    per_site = dict(conn.execute("select site, count(*) from articles group by site").fetchall())
    conn.close()
    summary_lines = [x for x in output.splitlines() if re.match(r"  \S+: \d+ new,", x)]
    failed_lines = [x for x in output.splitlines() if ": not crawled:" in x]
    peak = max((kb for _, kb in memory.samples), default=0)
    print(f"wall {elapsed:.0f} s, CPU {cpu:.0f} s (crawl + workers), exit code {crawl.returncode}")
    print(f"summary: {len(summary_lines)} site lines, {len(failed_lines)} not crawled "
          f"({failed_lines[0].strip() if failed_lines else '-'})")
    from crawler.discovery import site_slug

    complete = sum(1 for origin, n in truth.items() if per_site.get(site_slug(origin)) == n)
    print(f"articles stored {stored} of {sum(truth.values())}; sites with all their articles {complete} of "
          f"{len(truth)}; the run ended {elapsed - (finished[-1] if finished else 0):.0f} s after the last site "
          "finished (the dead site's retries)")
    print(f"peak memory (PSS) of the crawl's process tree: {peak / 1024:.0f} MB")
    previous = 0.0
    for share in (0.1, 0.25, 0.5, 0.75, 1.0):
        if not finished:
            break
        moment = finished[max(0, round(share * len(finished)) - 1)]
        window = max((kb for t, kb in memory.samples if previous < t <= moment), default=0)
        print(f"  {share:>4.0%} of sites done after {moment:5.0f} s; highest memory since the previous line "
              f"{window / 1024:4.0f} MB")
        previous = moment
    for pid, (first, high, last) in sorted(memory.per_process.items()):
        role = "crawl" if pid == crawl.pid else "worker"
        print(f"  process {pid} ({role}): PSS first seen {first / 1024:.0f} MB, highest {high / 1024:.0f} MB, "
              f"last {last / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
