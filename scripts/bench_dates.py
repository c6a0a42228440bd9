"""Benchmark parse_date: median and mean milliseconds per string, with dateparser alone for comparison.

Two corpora: the ``raw`` column of the shared ``id-dates-dev.tsv`` (when present)
and warta's own list of date strings below. Each string is parsed ``--repeat``
times after one warm-up pass (which also builds dateparser's parser), and the
per-string time is the mean over the repeats.

Example::

    .venv/bin/python scripts/bench_dates.py
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.dates import parse_date  # noqa: E402

DEV_FILE = ROOT.parent / "shared" / "datasets" / "id-dates-dev.tsv"
NOW = datetime(2024, 3, 15, 10, 0, tzinfo=timezone(timedelta(hours=7)))

#: warta's own corpus: the forms seen on Indonesian regional sites (written for this benchmark).
OWN_CORPUS = [
    "Jum'at, 01 Maret 2024 08:15 WIB",
    "Jum\u2019at, 1 Mar 2024 | 08.15 WITA",
    "JUMAT, 01 MARET 2024",
    "Ahad, 10 Maret 2024",
    "Minggu, 10/03/2024 - 21:30",
    "Diperbarui 14 Mar 2024, 18:20 WIB",
    "Dipublikasikan: 14 Maret 2024 pukul 18.20 WIT",
    "Kompas.com - 14/03/2024, 18:20 WIB",
    "Peristiwa | Kamis, 14 Maret 2024 18:20",
    "tanggal 3 Agt 2023",
    "5 Nop 2023",
    "5 Pebruari 2023",
    "12 Okt 2023 07:00",
    "on 14 Mar 2024 at 18:20 WIB",
    "March 14, 2024",
    "Thu, 14 Mar 2024 11:20:00 +0700",
    "2024-03-14T04:20:00Z",
    "2024-03-14 T04:20:00Z",
    "2024-03-14 11:20",
    "Kamis (14/3/24) pukul 9 pagi",
    "Kamis (14/3) pukul 8 malam",
    "Rabu (13/3/2024) sekitar pukul 15.45 WIB",
    "Kamis, 4 Ramadhan 1445 H / 14 Maret 2024",
    "5 menit lalu",
    "2 jam yang lalu",
    "kemarin",
    "sebulan yang lalu",
    "2 hours ago",
    "Senin, 11 Maret 2024 - 17:05 WIB | Dibaca 1.234 kali",
    "Rabu (13/3/224)",
]


def _time_per_string(func, strings: list[str], repeat: int) -> list[float]:
    for s in strings:  # warm-up: caches, lazily built parsers
        func(s)
    per_string = []
    for s in strings:
        start = time.perf_counter()
        for _ in range(repeat):
            func(s)
        per_string.append((time.perf_counter() - start) / repeat * 1000)
    return per_string


def _report(label: str, timings: list[float]) -> None:
    print(
        f"{label:38} n={len(timings):3}  median {statistics.median(timings):.3f} ms/string"
        f"  mean {statistics.mean(timings):.3f} ms/string"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="parses per string (default 50)")
    parser.add_argument("--no-dateparser", action="store_true", help="skip the dateparser-alone comparison")
    args = parser.parse_args(argv)

    corpora = {"own corpus": OWN_CORPUS}
    if DEV_FILE.exists():
        with DEV_FILE.open(encoding="utf-8", newline="") as fh:
            corpora["id-dates-dev.tsv"] = [row["raw"] for row in csv.DictReader(fh, delimiter="\t")]

    def warta(s: str):
        return parse_date(s, tz="Asia/Jakarta", now=NOW)

    dp = None
    if not args.no_dateparser:
        from dateparser.date import DateDataParser

        dp = DateDataParser(
            languages=["id", "en"],
            settings={"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": True},
        )

    for name, strings in corpora.items():
        _report(f"warta parse_date, {name}", _time_per_string(warta, strings, args.repeat))
        if dp is not None:
            timings = _time_per_string(dp.get_date_data, strings, max(1, args.repeat // 10))
            _report(f"dateparser alone, {name}", timings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
