"""Benchmark the analyst tools on a generated archive of 100,000 articles.

Generates (once; reused when the file exists) an archive of synthetic
Indonesian articles across six sites in three zones, then prints:

- search latency p50/p95 in ms over a fixed mix of queries (single words common
  and rare, affixed forms matched by their stems, phrases, OR, prefixes, a mix of
  stems and exact forms, a site filter, a date filter, a literal fallback), each
  with bm25 ranking and snippets, limit 20; then the same queries with
  ``exact=True`` (no stemming);
- the size of the stemmed index (``articles_stem_fts``) against the rest of the
  archive (SQLite's ``dbstat``);
- export speed in rows/s for csv, jsonl and parquet, and the peak memory
  (RSS high-water mark of a fresh process per format, so one export does not
  hide another's peak).

Targets: search p50 <= 30 ms and p95 <= 150 ms, archive growth from the stemmed
index <= 30 % (issue 14); export >= 20,000 rows/s with flat memory (issue 6).
The machine is shared: CPU time per search is printed beside wall time.

Usage::

    .venv/bin/python scripts/bench_search.py [--articles 100000] [--db /tmp/warta-bench.db]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines import archive  # noqa: E402
from pipelines.article import Article  # noqa: E402

SITES = [
    ("kabar-lebak", 7), ("radar-banten", 7), ("warta-makassar", 8),
    ("bali-post", 8), ("suara-jayapura", 9), ("ambon-ekspres", 9),
]
COMMON = (
    "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena oleh sudah saat para "
    "warga pemerintah daerah kabupaten kota desa kecamatan provinsi masyarakat kepala dinas bupati wali "
    "camat tahun hari pagi malam minggu bulan polisi petugas jalan pasar harga rumah sekolah kantor"
).split()
TOPICS = (
    "banjir longsor gempa kebakaran koperasi pilkada anggaran jembatan sampah nelayan petani padi jagung "
    "kopi cengkih pinang sagu coto festival wisata pantai gunung pelabuhan bandara angkot ojek pete-pete "
    "vaksin puskesmas rumah-sakit stunting narkoba korupsi pelantikan camat dprd apbd beasiswa guru "
    "tawuran banjir-rob kekeringan inflasi beras cabai bawang listrik pdam internet sinyal tambang"
).split()
#: Affixed forms written in the bodies beside their roots (a search for either finds both).
AFFIXED = {
    "banjir": ["kebanjiran", "membanjiri"], "koperasi": ["perkoperasian", "berkoperasi"],
    "petani": ["pertanian", "bertani"], "pelantikan": ["dilantik", "melantik"], "sampah": ["persampahan"],
    "guru": ["berguru"], "anggaran": ["menganggarkan", "dianggarkan"], "jembatan": ["penjembatanan"],
    "kebakaran": ["terbakar", "membakar"], "korupsi": ["dikorupsi", "mengorupsi"],
}
RARE = [f"{a}{b}" for a in ("kam", "sen", "tol", "bar", "lim", "rak", "pur", "gor") for b in
        ("pung", "tani", "aran", "duk", "bong", "sari", "jaya", "wangi", "rejo", "mulyo")]

QUERIES = [
    ("banjir", {}), ("koperasi", {}), ("pemerintah", {}), ("warga desa", {}), ('"harga beras"', {}),
    ("gempa OR longsor", {}), ("pelabuh*", {}), ("kamsari", {}), ("torduk", {}), ("pete-pete", {}),
    ("stunting puskesmas", {}), ("banjir", {"site": "warta-makassar"}),
    ("kopi", {"since": "2021-01-01", "until": "2021-03-31"}), ('"banjir AND', {}), ("title:festival", {}),
    ("kebanjiran", {}), ("perkoperasian", {}), ("dilantik", {}), ('terbakar "harga beras"', {}),
    ("kebanjiran", {"site": "bali-post", "since": "2020-01-01"}),
]


def _topic_word(rng: random.Random, topic: str) -> str:
    forms = AFFIXED.get(topic)
    return rng.choice(forms) if forms and rng.random() < 0.3 else topic


def _body(rng: random.Random) -> tuple[str, list[str]]:
    topics = rng.sample(TOPICS, 3)
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        words = [rng.choice(COMMON) if rng.random() < 0.7 else _topic_word(rng, rng.choice(topics))
                 for _ in range(rng.randint(25, 50))]
        if rng.random() < 0.05:
            words.append(rng.choice(RARE))
        paragraphs.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(paragraphs), topics


def generate(path: Path, count: int, seed: int = 6) -> None:
    """Write ``count`` synthetic articles to a new archive at ``path``."""
    rng = random.Random(seed)
    db = archive.open_archive(path)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    batch = []
    for n in range(count):
        site, hours = SITES[n % len(SITES)]
        zone = timezone(timedelta(hours=hours))
        when = (start + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))).astimezone(zone)
        published = when.date() if rng.random() < 0.1 else when
        body, topics = _body(rng)
        url = f"https://{site}.example/{when:%Y/%m/%d}/berita-{n}/"
        title = f"{topics[0].capitalize()} di {rng.choice(['Lebak', 'Makassar', 'Denpasar', 'Jayapura', 'Ambon'])}: " \
                f"{rng.choice(COMMON)} {topics[1]} {rng.choice(COMMON)}"
        batch.append((Article(url=url, canonical_url=url, site=site, title=title, body=body, author="Redaksi",
                              published=published, section=rng.choice(["Daerah", "Ekonomi", "Peristiwa"]),
                              tags=topics[:2], language="id"), []))
        if len(batch) == 5000:
            archive.archive_articles(db, batch)
            batch = []
            print(f"  {n + 1} articles", file=sys.stderr)
    if batch:
        archive.archive_articles(db, batch)
    db.execute("insert into articles_fts(articles_fts) values ('optimize')")
    db.execute("insert into articles_stem_fts(articles_stem_fts) values ('optimize')")
    db.conn.commit()
    db.execute("analyze")
    db.close()


def bench_search(path: Path, rounds: int = 5, exact: bool = False) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each search (CPU time is less disturbed by other load)."""
    from pipelines.notebook import ArticleFilter
    from pipelines.search import search_articles

    db = archive.open_archive(path, create=False)
    search_articles(db, "warmup")
    wall, cpu = [], []
    for _ in range(rounds):
        for query, filters in QUERIES:
            started, started_cpu = time.perf_counter(), time.process_time()
            search_articles(db, query, ArticleFilter.make(**filters), limit=20, exact=exact)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    db.close()
    return wall, cpu


def index_sizes(path: Path) -> tuple[int, int]:
    """Bytes of the stemmed index's tables, and of everything else in the archive (``dbstat``)."""
    import sqlite3

    conn = sqlite3.connect(path)
    stem = conn.execute("select coalesce(sum(pgsize), 0) from dbstat where name like 'articles_stem_fts%'").fetchone()[0]
    total = conn.execute("select coalesce(sum(pgsize), 0) from dbstat").fetchone()[0]
    conn.close()
    return stem, total - stem


_EXPORT_CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from pipelines.archive import open_archive
from pipelines.export import export_articles
from pipelines.notebook import ArticleFilter
db = open_archive({db!r}, create=False)
started = time.perf_counter()
n = export_articles(db, {out!r}, {fmt!r}, ArticleFilter.make(site={site!r}))
elapsed = time.perf_counter() - started
print(n, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_export(path: Path, fmt: str, out: Path, site: str | None = None) -> tuple[int, float, int]:
    """Export in a fresh process; return rows, seconds and peak RSS in KB."""
    code = _EXPORT_CHILD.format(root=str(Path(__file__).resolve().parents[1]), db=str(path), out=str(out), fmt=fmt,
                                site=site)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rows, seconds, peak = result.stdout.split()
    return int(rows), float(seconds), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/warta-bench-100k.db"))
    args = parser.parse_args()
    if not args.db.exists():
        print(f"generating {args.articles} articles into {args.db} ...", file=sys.stderr)
        started = time.perf_counter()
        generate(args.db, args.articles)
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    db = archive.open_archive(args.db, create=False)
    total = db.execute("select count(*) from articles").fetchone()[0]
    db.close()
    size_mb = args.db.stat().st_size / 1e6
    print(f"archive: {args.db} ({total} articles, {size_mb:.0f} MB)")

    for exact in (False, True):
        wall, cpu = bench_search(args.db, exact=exact)
        p50, p95 = statistics.median(wall), statistics.quantiles(wall, n=20)[18]
        cpu50, cpu95 = statistics.median(cpu), statistics.quantiles(cpu, n=20)[18]
        print(f"search{' --exact' if exact else ''}: {len(wall)} queries, p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
              f"max {max(wall):.1f} ms (CPU p50 {cpu50:.1f} ms, p95 {cpu95:.1f} ms; load average "
              f"{os.getloadavg()[0]:.1f}) (targets p50 <= 30 ms: {'met' if p50 <= 30 else 'MISSED'} "
              f"[CPU {'met' if cpu50 <= 30 else 'MISSED'}], p95 <= 150 ms: {'met' if p95 <= 150 else 'MISSED'} "
              f"[CPU {'met' if cpu95 <= 150 else 'MISSED'}])")
    stem, rest = index_sizes(args.db)
    print(f"stemmed index: {stem / 1e6:.0f} MB = {100 * stem / rest:.1f} % growth over the archive without it "
          f"({rest / 1e6:.0f} MB) (target <= 30 %: {'met' if stem <= 0.3 * rest else 'MISSED'})")

    for fmt in ("csv", "jsonl", "parquet"):
        out = args.db.with_suffix(f".export.{fmt}")
        # One site (a sixth of the rows) first: flat memory means the same peak for all rows.
        _, _, small_peak_kb = bench_export(args.db, fmt, out, site=SITES[0][0])
        rows, seconds, peak_kb = bench_export(args.db, fmt, out)
        rate = rows / seconds
        print(f"export {fmt:<7}: {rows} rows in {seconds:.1f} s = {rate:,.0f} rows/s, peak RSS {peak_kb / 1024:.0f} MB "
              f"(one site, 1/6 of the rows: {small_peak_kb / 1024:.0f} MB), file {out.stat().st_size / 1e6:.0f} MB "
              f"(target >= 20,000 rows/s: {'met' if rate >= 20000 else 'MISSED'})")
        out.unlink()
    print(f"bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          f"(measured on {date.today()})")


if __name__ == "__main__":
    main()
