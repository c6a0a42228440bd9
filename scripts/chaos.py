"""A bounded fault campaign on loopback: SIGKILL warta mid-run, over and over, and count what was lost.

For each kind of run (a crawl, a reprocess, an export; and the scale-out worker and
ingester kinds of ``scripts/chaos_scaleout.py`` when that file exists) the campaign
SIGKILLs the command at random moments, lets the next run pick up where it died,
finishes with one uninterrupted run, and compares the archive (or the export) with
an uninterrupted reference. It prints one line per kind:

- ``kills``: runs SIGKILLed while still running;
- ``lost``: reference articles (rows) missing at the end;
- ``duplicated``: articles stored twice (an URL under two keys, a page stored twice,
  a spurious earlier version; a row exported twice);
- ``different``: articles present in both whose content differs;
- ``robots_violations``: requests for paths robots.txt disallows.

Everything runs on 127.0.0.1 against the bundled demo sites (no internet), in a
temporary folder. The exit status is 1 when any of those figures is not 0.

    .venv/bin/python scripts/chaos.py                      # 20 kills of each kind, a few minutes
    .venv/bin/python scripts/chaos.py --kills 5 --kinds crawl,export --seed 7

Kinds are pluggable: :data:`KINDS` maps a name to ``run(kills, workdir, seed) -> dict``
with at least the keys above (extra keys are printed too).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.demo import demo_site, demo_sites, serve_demo  # noqa: E402

WARTA = [sys.executable, "-m", "crawler"]

#: Figures every kind reports, in the order printed.
FIGURES = ("kills", "lost", "duplicated", "different", "robots_violations")

#: Loopback politeness: short delays, so a demo crawl lasts a few seconds and kills land inside it.
LOOPBACK = {"DOWNLOAD_DELAY": "0.05", "AUTOTHROTTLE_START_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
            "WARTA_PROGRESS": "log", "WARTA_PROGRESS_INTERVAL": "0.5"}

#: Attempts per kill asked for (10 at least): a run that finishes before its kill moment does not count.
MAX_TRIES_PER_KILL = 3


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def run_to_end(command: list[str], cwd: Path, env: dict | None = None, ok=(0,)) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env or _env(), capture_output=True, text=True, timeout=600)
    if result.returncode not in ok:
        raise SystemExit(f"{' '.join(command[3:])} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def kill_at_random(command: list[str], kills: int, rng: random.Random, window: float, cwd: Path,
                   env: dict | None = None, after_each: Callable[[], None] | None = None,
                   busy: Callable[[], bool] | None = None) -> dict:
    """Start ``command`` and SIGKILL it ``kills`` times at random moments.

    Every other run is killed at a moment drawn from ``[0.1, window]`` s (start-up
    included); with ``busy`` (true once the run does its work: fetching, writing),
    the others are killed a random moment after ``busy`` turned true, so that
    kills land inside the work too; those are counted as ``mid_work``. Runs that
    end before their moment are counted as ``finished_first``; ``after_each`` (a
    consistency check) runs after every run.
    """
    killed = finished = mid_work = 0
    for attempt in range(max(10, kills * MAX_TRIES_PER_KILL)):
        if killed >= kills:
            break
        proc = subprocess.Popen(command, cwd=cwd, env=env or _env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        started = time.monotonic()
        deadline = started + rng.uniform(0.1, window)
        if busy is not None and attempt % 2:
            while proc.poll() is None and not busy() and time.monotonic() < started + 3 * window:
                time.sleep(0.01)
            deadline = time.monotonic() + rng.uniform(0, window / 3)
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            finished += 1
            window = max(0.3, 0.9 * (time.monotonic() - started))  # runs get shorter as work is done
        except subprocess.TimeoutExpired:
            mid_work += bool(busy and busy())
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed += 1
        if after_each:
            after_each()
    return {"kills": killed, "finished_first": finished, **({"mid_work": mid_work} if busy else {})}


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _articles(path: Path) -> dict[str, tuple]:
    return {url: rest for url, *rest in _rows(path, "select canonical_url, content_hash, title, published, body "
                                                    "from articles")}


def _integrity(path: Path) -> bool:
    return not path.exists() or _rows(path, "pragma integrity_check")[0][0] == "ok"


def compare_archives(reference: Path, archive: Path) -> dict:
    """lost, duplicated and different articles of ``archive`` against ``reference``."""
    ref, got = _articles(reference), _articles(archive)
    duplicated = sum(n - 1 for (n,) in _rows(archive, "select count(*) from articles group by site, url "
                                                      "having count(*) > 1"))
    duplicated += sum(n - 1 for (n,) in _rows(archive, "select count(*) from pages where article_url is not null "
                                                      "group by url, part having count(*) > 1"))
    duplicated += _rows(archive, "select count(*) from article_versions")[0][0] \
        - _rows(reference, "select count(*) from article_versions")[0][0]
    return {"lost": len(set(ref) - set(got)), "duplicated": duplicated + len(set(got) - set(ref)),
            "different": sum(1 for url in set(ref) & set(got) if ref[url] != got[url])}


# --- crawl ------------------------------------------------------------------------------


def robots_violations(server) -> int:
    """Requests the demo sites' robots.txt disallows (every site says ``User-agent: *``)."""
    rules = {slug: demo_site(slug).disallowed for slug in demo_sites()}
    return sum(1 for slug, path in list(server.requests) if any(path.startswith(p) for p in rules.get(slug, ())))


def chaos_crawl(kills: int, workdir: Path, seed: int) -> dict:
    """SIGKILL `warta crawl` of the demo sites mid-run, then resume it to the end (the same command)."""
    rng = random.Random(seed)
    with serve_demo() as server:
        sets = {**LOOPBACK, "WARTA_SITE_ORIGINS": json.dumps(server.origins)}
        args = [a for k, v in sets.items() for a in ("--set", f"{k}={v}")]
        ref_dir, chaos_dir = workdir / "reference", workdir / "chaos"
        ref_dir.mkdir(parents=True)
        chaos_dir.mkdir(parents=True)
        started = time.monotonic()
        run_to_end([*WARTA, "crawl", *demo_sites(), "--db", "archive.db", *args], ref_dir)
        window = 1.3 * (time.monotonic() - started)
        command = [*WARTA, "crawl", *demo_sites(), "--db", "archive.db", *args]
        corrupt = []
        report = kill_at_random(command, kills, rng, window, chaos_dir,
                                after_each=lambda: corrupt.append(not _integrity(chaos_dir / "archive.db")),
                                busy=lambda: _fetching(chaos_dir / "archive.db"))
        run_to_end(command, chaos_dir)
        statuses = [s for (s,) in _rows(chaos_dir / "archive.db", "select status from crawls")]
        report.update(compare_archives(ref_dir / "archive.db", chaos_dir / "archive.db"))
        report["robots_violations"] = robots_violations(server)
        report["corrupt"] = sum(corrupt)
        report["rows_left_running"] = statuses.count("running")
        return report


def _fetching(archive: Path) -> bool:
    """True once the running crawl has fetched pages (its last ``crawls`` row saved progress)."""
    try:
        row = _rows(archive, "select status, stats from crawls order by id desc limit 1")
    except sqlite3.Error:
        return False
    return bool(row) and row[0][0] == "running" and "downloader/response_count" in (row[0][1] or "")


# --- reprocess ----------------------------------------------------------------------------


def _rule_folder(workdir: Path, rule: str | None) -> Path:
    """A profile folder overriding kabar-lebak with one more drop_lines rule (or none)."""
    from pipelines.profiles import BUNDLED_SITES_DIR

    folder = workdir / f"sites-{'rule' if rule else 'plain'}"
    folder.mkdir(exist_ok=True)
    text = (BUNDLED_SITES_DIR / "kabar-lebak.toml").read_text(encoding="utf-8")
    if rule:
        text += f"\n[boilerplate]\ndrop_lines = ['{rule}']\n"
    (folder / "kabar-lebak.toml").write_text(text, encoding="utf-8")
    return folder


def _demo_archive(workdir: Path) -> Path:
    """A copy of an archive of the demo sites, crawled once per campaign (jobdir off)."""
    shared = workdir.parent / "demo-archive.db"
    path = workdir / "demo.db"
    if shared.exists():
        shutil.copy(shared, path)
        return path
    with serve_demo() as server:
        sets = {**LOOPBACK, "WARTA_SITE_ORIGINS": json.dumps(server.origins)}
        run_to_end([*WARTA, "crawl", *demo_sites(), "--db", str(path), "--jobdir", "",
                    *[a for k, v in sets.items() for a in ("--set", f"{k}={v}")]], workdir)
    conn = sqlite3.connect(path)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    shutil.copy(path, shared)
    return path


def chaos_reprocess(kills: int, workdir: Path, seed: int) -> dict:
    """SIGKILL `warta reprocess` while it re-derives articles under a changed rule.

    The rule flips on every run, so each run rewrites 14 articles; after every kill
    the archive must be wholly before or wholly after that run (all-or-nothing).
    """
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    base = _demo_archive(workdir)
    rules = {False: _rule_folder(workdir, None), True: _rule_folder(workdir, "^Kabarlebak")}
    states, window = {}, 1.0
    for flag, folder in rules.items():  # the reference archive under each rule
        path = workdir / f"reference-{int(flag)}.db"
        shutil.copy(base, path)
        started = time.monotonic()
        run_to_end([*WARTA, "reprocess", "--db", str(path)], workdir, _env(WARTA_SITES_PATH=str(folder)))
        window = 1.5 * (time.monotonic() - started)  # the rule's run rewrites 14 articles, as each chaos run
        states[flag] = _articles(path)
    archive = workdir / "chaos.db"
    shutil.copy(workdir / "reference-0.db", archive)
    half_applied, corrupt, killed, finished, flag = 0, 0, 0, 0, True
    for _ in range(max(10, kills * MAX_TRIES_PER_KILL)):
        if killed >= kills:
            break
        one = kill_at_random([*WARTA, "reprocess", "--db", str(archive)], 1, rng, window, workdir,
                             _env(WARTA_SITES_PATH=str(rules[flag])))
        killed += one["kills"]
        finished += one["finished_first"]
        corrupt += not _integrity(archive)
        now = _articles(archive)
        if now not in (states[False], states[True]):
            half_applied += 1
        flag = not flag if one["finished_first"] else flag
    run_to_end([*WARTA, "reprocess", "--db", str(archive)], workdir, _env(WARTA_SITES_PATH=str(rules[True])))
    report = {"kills": killed, "finished_first": finished, "half_applied": half_applied, "corrupt": corrupt,
              "robots_violations": 0}
    report.update(compare_archives(workdir / "reference-1.db", archive))
    return report


# --- export -----------------------------------------------------------------------------


#: Copies of each demo article in the export kind's archive, so an export lasts long enough to be hit.
EXPORT_COPIES = 150


def _big_archive(workdir: Path) -> Path:
    """The demo archive with every article stored EXPORT_COPIES times under other URLs."""
    path = _demo_archive(workdir)
    conn = sqlite3.connect(path)
    columns = [c[1] for c in conn.execute("pragma table_info(articles)")]
    rest = ", ".join(c for c in columns if c != "canonical_url")
    with conn:
        for n in range(1, EXPORT_COPIES):
            conn.execute(f"insert into articles (canonical_url, {rest}) "
                         f"select canonical_url || '#{n}', {rest} from articles where canonical_url not like '%#%'")
    conn.close()
    return path


def _export_rows(path: Path, fmt: str) -> list[tuple[str, str]]:
    """(canonical_url, the row as JSON) of every row of an export file."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(path).to_pylist()
    elif fmt == "csv":
        import csv

        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    else:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r["canonical_url"], json.dumps(r, default=str, sort_keys=True)) for r in rows]


def chaos_export(kills: int, workdir: Path, seed: int) -> dict:
    """SIGKILL `warta export` over a previous complete export: the file must stay whole, old or new."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    archive = _big_archive(workdir)
    report = {"kills": 0, "finished_first": 0, "lost": 0, "duplicated": 0, "different": 0, "robots_violations": 0,
              "partial_files": 0}
    for i, fmt in enumerate(("jsonl", "csv", "parquet")):
        n = kills // 3 + (i < kills % 3)  # the kills, spread over the formats
        if not n:
            continue
        reference = workdir / f"reference.{fmt}"
        started = time.monotonic()
        run_to_end([*WARTA, "export", str(reference), "--db", str(archive)], workdir)
        window = 1.5 * (time.monotonic() - started)
        expected = dict(_export_rows(reference, fmt))
        out = workdir / "out" / f"articles.{fmt}"
        out.parent.mkdir(exist_ok=True)

        def check(out=out, expected=expected, fmt=fmt):
            if not out.exists():
                return
            try:
                rows = _export_rows(out, fmt)
            except Exception:  # unreadable: a partial file under the real name
                report["different"] += 1
                return
            got = dict(rows)
            report["lost"] += len(set(expected) - set(got))
            report["duplicated"] += len(rows) - len(got)
            report["different"] += sum(1 for url in set(expected) & set(got) if expected[url] != got[url])

        one = kill_at_random([*WARTA, "export", str(out), "--db", str(archive)], n, rng, window, workdir,
                             after_each=check, busy=lambda out=out: any(out.parent.glob(f".{out.name}.*.partial")))
        for key in ("kills", "finished_first", "mid_work"):
            report[key] = report.get(key, 0) + one[key]
        report["partial_files"] += sum(1 for p in out.parent.iterdir() if p.name.endswith(".partial"))
        run_to_end([*WARTA, "export", str(out), "--db", str(archive)], workdir)
        check()
        report["partial_files_after_last_run"] = sum(1 for p in out.parent.iterdir() if p.name.endswith(".partial"))
    return report


#: kind -> run(kills, workdir, seed) -> dict with at least FIGURES.
KINDS: dict[str, Callable[[int, Path, int], dict]] = {
    "crawl": chaos_crawl,
    "reprocess": chaos_reprocess,
    "export": chaos_export,
}


#: The scale-out kinds (Redis workers, the ingester) live there, with the same contract.
SCALEOUT_KINDS = Path(__file__).with_name("chaos_scaleout.py")


def load_scaleout_kinds(path: Path = SCALEOUT_KINDS) -> dict:
    """The ``KINDS`` of scripts/chaos_scaleout.py (worker and ingester kills), when it exists."""
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location("chaos_scaleout", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(getattr(module, "KINDS", {}))


def format_row(kind: str, figures: dict) -> str:
    extra = " ".join(f"{k}={v}" for k, v in figures.items() if k not in FIGURES)
    return f"{kind:<12}" + "".join(f"{figures.get(k, '-'):>{len(k) + 2}}" for k in FIGURES) + f"  {extra}"


def main(argv=None) -> int:
    kinds = {**KINDS, **load_scaleout_kinds(SCALEOUT_KINDS)}
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs per kind (default 20)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new one, printed)")
    parser.add_argument("--kinds", default=",".join(kinds), help=f"comma-separated kinds (default {','.join(kinds)})")
    parser.add_argument("--workdir", type=Path, help="keep the archives here (default: a temporary folder)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    chosen = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in chosen if k not in kinds]
    if unknown:
        parser.error(f"unknown kind {unknown[0]!r} (choose from {', '.join(kinds)})")
    root = args.workdir or Path(tempfile.mkdtemp(prefix="warta-chaos-"))
    print(f"chaos: seed {seed}, {args.kills} kills per kind, in {root}", flush=True)
    print(f"{'kind':<12}" + "".join(f"{k:>{len(k) + 2}}" for k in FIGURES), flush=True)
    started, bad = time.monotonic(), False
    try:
        for kind in chosen:
            t = time.monotonic()
            figures = kinds[kind](args.kills, root / kind, seed)
            figures["seconds"] = round(time.monotonic() - t)
            bad |= any(figures.get(k, 0) for k in FIGURES[1:])
            print(format_row(kind, figures), flush=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"chaos: {'FAILED' if bad else 'nothing lost'} in {time.monotonic() - started:.0f} s "
          f"(replay with --seed {seed})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
