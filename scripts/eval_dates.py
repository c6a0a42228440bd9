"""Evaluate warta's dates on the shared dev data: string level and page level, beside peers.

String level: every row of ``id-dates-dev.tsv`` (category trap-mislabelled-zone
excluded; those are page-level traps) is parsed with ``now`` =
2019-11-28T12:00:00+07:00 and the zone of its ``site_tz`` column; a row is right
when the ISO text matches exactly (a date for a date, a datetime with the same
offset and seconds for a datetime; REJECT means None).

Page level, ``id-news-dev``: every article's published time must equal
ground-truth ``published`` to the minute, with the same offset.

Page level, ``world-news-dev`` (its README: judge the instant, anchor relative
dates at ``fetched_at``); per page:

* right instant: the UTC instants agree to the minute. A truth without offset
  (3 pages) is right when the answer's wall clock or its UTC clock shows it; a
  day-only truth (7 pages) can only be judged by its day, and is.
* right day: the answer's day (in the offset it is written in) is the truth's
  day in that offset; a day-only or zone-less answer is compared with the
  truth's own day.
* stated offset, other instant: pages whose markup states the true instant
  with an offset (a structured value that reads, with its own offset, as the
  truth), where the answer is another instant. Target: none.

Both modes are scored: ``direct`` (lxml parse, :func:`pipelines.dates.page_dates`
without an article root) and ``extractor`` (``pipelines.extract_article``, which
depends on extraction: a page it refuses counts as wrong and is reported apart).
Peers in the same run, when installed: htmldate 1.x ``find_date`` (fast and
extensive search, time and offset kept, ``original_date=True``) and
trafilatura's date (``bare_extraction`` with the same date settings).

Example::

    .venv/bin/python scripts/eval_dates.py            # figures and failures
    .venv/bin/python scripts/eval_dates.py --check    # exit 1 below target (CI)
    .venv/bin/python scripts/eval_dates.py --no-peers # warta only (faster)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.dates import gather_date_candidates, page_dates, parse_date  # noqa: E402

DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
#: The anchor of the dev file's relative and year-less rows.
DEV_NOW = datetime(2019, 11, 28, 12, 0, tzinfo=timezone(timedelta(hours=7)))
SITE_TZ = {"+07:00": "Asia/Jakarta", "+08:00": "Asia/Makassar", "+09:00": "Asia/Jayapura"}
#: Page-level string rows: they need the page's other dates to be read right.
PAGE_LEVEL_CATEGORIES = {"trap-mislabelled-zone"}
#: Targets (fractions right); below them ``--check`` fails.
STRING_TARGET = 1.0
ID_PAGE_TARGET = 1.0
WORLD_INSTANT_TARGET = 0.90
WORLD_DAY_TARGET = 0.97
WORLD_STATED_WRONG_MAX = 0
#: The structured sources: a value read from them with its own offset is "stated by the markup".
STRUCTURED_SOURCES = {"jsonld", "meta", "time", "microformat"}
#: htmldate/trafilatura output format: time and offset when the page gives them.
PEER_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def _iso(value) -> str:
    return "REJECT" if value is None else value.isoformat()


def eval_strings(path: Path, verbose: bool) -> tuple[int, int]:
    """Parse every row; print failures; return (right, total)."""
    right = total = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["category"] in PAGE_LEVEL_CATEGORIES:
                continue
            total += 1
            got = _iso(parse_date(row["raw"], tz=SITE_TZ[row["site_tz"]], now=DEV_NOW))
            if got == row["expected_iso"]:
                right += 1
            else:
                print(
                    f"  string FAIL [{row['category']}] {row['raw']!r}: got {got}, want {row['expected_iso']}"
                )
    return right, total


# -- answers of one page ----------------------------------------------------------------------


class _NoArticle(Exception):
    """The extractor said the page is not an article (its own figure, not a date failure)."""


def _read_html(folder: Path, page_id: str) -> bytes:
    plain = folder / "html" / f"{page_id}.html"
    if plain.exists():
        return plain.read_bytes()
    return gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())


def _parse_tree(html: bytes):
    from pipelines.parse import decode_page, parse_html

    return parse_html(decode_page(html, None))


def _direct(html: bytes, url: str | None, now: datetime | None, tree=None) -> str | None:
    published, _ = page_dates(tree if tree is not None else _parse_tree(html), url, now=now)
    return None if published.value is None else published.value.isoformat()


def _extractor(html: bytes, url: str | None, now: datetime | None) -> str | None:
    from pipelines.core import extract_article

    article = extract_article(html, url, fetched_at=now)
    if article is None:
        raise _NoArticle
    return None if article.published is None else article.published.isoformat()


def _htmldate(html: bytes, url: str | None, extensive: bool) -> str | None:
    import htmldate

    got = htmldate.find_date(
        html.decode("utf-8", "replace"), url=url, extensive_search=extensive,
        outputformat=PEER_FORMAT, original_date=True,
    )  # fmt: skip
    return _peer_iso(got)


def _trafilatura(html: bytes, url: str | None) -> str | None:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html.decode("utf-8", "replace"), url=url, with_metadata=True,
        date_extraction_params={"outputformat": PEER_FORMAT, "original_date": True, "extensive_search": True},
    )  # fmt: skip
    return _peer_iso(getattr(doc, "date", None) if doc is not None else None)


def _peer_iso(got: str | None) -> str | None:
    """A peer's answer as ISO text: its midnight-without-offset means "only the day"."""
    if not got:
        return None
    value = datetime.strptime(got, PEER_FORMAT) if got[-5:-4] in "+-" else datetime.fromisoformat(got)
    if value.tzinfo is None and (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    return value.isoformat()


# -- judging ----------------------------------------------------------------------------------


def _read(text: str | None):
    """ISO text as a date, a naive datetime or an aware datetime (None when absent or broken)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return None


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def instant_right(got_text: str | None, want_text: str) -> bool:
    """The world-news-dev instant rule (see the module docstring)."""
    got, want = _read(got_text), _read(want_text)
    if got is None or want is None:
        return False
    if not isinstance(want, datetime):
        return day_right(got_text, want_text)
    if not isinstance(got, datetime):
        return False
    if want.tzinfo is None:  # a truth without offset: local or UTC wall clock
        walls = {_minute(got.replace(tzinfo=None))}
        if got.tzinfo is not None:
            walls.add(_minute(got.astimezone(UTC).replace(tzinfo=None)))
        return _minute(want) in walls
    if got.tzinfo is None:
        return False  # no instant given
    return _minute(got.astimezone(UTC)) == _minute(want.astimezone(UTC))


def day_right(got_text: str | None, want_text: str) -> bool:
    got, want = _read(got_text), _read(want_text)
    if got is None or want is None:
        return False
    if isinstance(got, datetime) and got.tzinfo is not None and isinstance(want, datetime) and want.tzinfo:
        return got.date() == want.astimezone(got.tzinfo).date()
    got_day = got.date() if isinstance(got, datetime) else got
    want_day = want.date() if isinstance(want, datetime) else want
    return got_day == want_day


def stated_by_markup(tree, url: str | None, want_text: str, now: datetime | None) -> bool:
    """True when a structured value of the page, read with its own offset, is the true instant."""
    want = _read(want_text)
    if not isinstance(want, datetime) or want.tzinfo is None:
        return False
    for cand in gather_date_candidates(tree, url):
        if cand.source not in STRUCTURED_SOURCES:
            continue
        value = parse_date(cand.raw, tz="UTC", now=now)
        if isinstance(value, datetime) and _has_offset(cand.raw) and instant_right(value.isoformat(), want_text):
            return True
    return False


def _has_offset(raw: str) -> bool:
    """The string itself names its offset (Z, +hh:mm, GMT, a zone word)."""
    return parse_date(raw, tz="Asia/Tokyo") == parse_date(raw, tz="America/Denver")


# -- scoring a dataset ------------------------------------------------------------------------


@dataclass
class Score:
    """Counts of one answerer on one dataset."""

    name: str
    total: int = 0
    instant: int = 0
    day: int = 0
    stated: int = 0
    stated_wrong: int = 0
    no_article: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        ms = self.seconds / max(self.total, 1) * 1000
        text = (f"  {self.name:26} instant {self.instant:3}/{self.total} ({self.instant / self.total:.3f})"
                f"  day {self.day:3}/{self.total} ({self.day / self.total:.3f})"
                f"  stated-offset pages given another instant: {self.stated_wrong}/{self.stated}"
                f"  {ms:6.1f} ms/page")  # fmt: skip
        if self.no_article:
            text += f"  ({self.no_article} not extracted as articles)"
        return text


def eval_world(folder: Path, answerers: dict, verbose: bool) -> dict[str, Score]:
    """Score every answerer on world-news-dev; return their scores by name."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    scores = {name: Score(name) for name in answerers}
    for page_id, label in sorted(truth.items()):
        want = label.get("published")
        if not label.get("is_article") or not want:
            continue
        html = _read_html(folder, page_id)
        url = label.get("url")
        now = datetime.fromisoformat(label["fetched_at"]) if label.get("fetched_at") else None
        tree = _parse_tree(html)
        stated = stated_by_markup(tree, url, want, now)
        for name, answer in answerers.items():
            score = scores[name]
            score.total += 1
            score.stated += stated
            start = time.process_time()
            try:
                got = answer(html, url, now)
            except _NoArticle:
                got = None
                score.no_article += 1
            except Exception as exc:  # report and go on: one page must not hide the others
                got = f"error: {type(exc).__name__}: {exc}"
            score.seconds += time.process_time() - start
            ok_instant, ok_day = instant_right(got, want), day_right(got, want)
            score.instant += ok_instant
            score.day += ok_day
            if stated and not ok_instant:
                score.stated_wrong += 1
            if not ok_instant or verbose:
                mark = "ok  " if ok_instant else ("day " if ok_day else "FAIL")
                score.failures.append(f"    {mark} {page_id}: got {got}, want {want}")
    return scores


def eval_id_pages(folder: Path, mode: str, verbose: bool) -> tuple[int, int, int]:
    """Score the published time of every id-news-dev article; return (right, total, pages without article)."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    right = total = no_article = 0
    for page_id, label in sorted(truth.items()):
        if not label.get("is_article") or not label.get("published"):
            continue
        total += 1
        html = _read_html(folder, page_id)
        try:
            if mode == "extractor":
                got = _extractor(html, label.get("url"), None)
            else:
                got = _direct(html, label.get("url"), None)
        except _NoArticle:
            no_article += 1
            print(f"  page: extractor returned no article for {page_id} (counted as wrong)")
            continue
        except Exception as exc:  # report and go on: one page must not hide the others
            got = f"error: {type(exc).__name__}: {exc}"
        want = label["published"]
        if got and len(got) > 16 and got[:16] == want[:16] and got[-6:] == want[-6:]:
            right += 1
            if verbose:
                print(f"  page ok   {page_id}: {got}")
        else:
            print(f"  page FAIL ({mode}) {page_id}: got {got}, want {want}")
    return right, total, no_article


def _answerers(peers: bool) -> dict:
    out = {"warta direct": _direct}
    if importlib.util.find_spec("pipelines.core") is not None:
        out["warta extract_article"] = _extractor
    if peers and importlib.util.find_spec("htmldate") is not None:
        out["htmldate (fast)"] = lambda html, url, now: _htmldate(html, url, False)
        out["htmldate (extensive)"] = lambda html, url, now: _htmldate(html, url, True)
    if peers and importlib.util.find_spec("trafilatura") is not None:
        out["trafilatura"] = lambda html, url, now: _trafilatura(html, url)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS, help="the shared datasets folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when a figure is below its target")
    parser.add_argument("--no-peers", action="store_true", help="score warta only (no htmldate, trafilatura)")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list the rows and pages that are right"
    )
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the peers log every page they find no date on

    strings_path = args.datasets / "id-dates-dev.tsv"
    pages_path = args.datasets / "id-news-dev"
    world_path = args.datasets / "world-news-dev"
    if not any(p.exists() for p in (strings_path, pages_path, world_path)):
        print(f"no dev data under {args.datasets}; nothing to evaluate")
        return 0

    ok = True
    if strings_path.exists():
        right, total = eval_strings(strings_path, args.verbose)
        print(f"string level: {right}/{total} rows right ({right / total:.1%}), now={DEV_NOW.isoformat()}")
        ok &= right >= STRING_TARGET * total
    if pages_path.exists():
        modes = ["direct"]
        if importlib.util.find_spec("pipelines.core") is not None:
            modes.append("extractor")
        for mode in modes:
            right, total, no_article = eval_id_pages(pages_path, mode, args.verbose)
            line = (f"id-news-dev ({mode}): {right}/{total} articles right to the minute with their offset"
                    f" ({right / total:.1%})")  # fmt: skip
            if mode == "extractor":
                line += f"; {no_article} not extracted as articles, {total - no_article - right} wrong dates"
            print(line)
            # The gate is on dates: pages the extractor refuses are scored by its own evaluation.
            ok &= right >= ID_PAGE_TARGET * (total - no_article)
    if world_path.exists():
        scores = eval_world(world_path, _answerers(not args.no_peers), args.verbose)
        for score in scores.values():
            if score.failures:
                print(f"  {score.name}:")
                print("\n".join(score.failures))
        print(f"world-news-dev (targets: instant >= {WORLD_INSTANT_TARGET}, day >= {WORLD_DAY_TARGET}, "
              f"stated-offset pages given another instant <= {WORLD_STATED_WRONG_MAX}; CPU ms/page include"
              f" each answerer's own decoding and parsing; the dates stage alone: scripts/bench_dates.py):")  # fmt: skip
        for score in scores.values():
            print(score.line())
        direct = scores["warta direct"]
        ok &= direct.instant >= WORLD_INSTANT_TARGET * direct.total
        ok &= direct.day >= WORLD_DAY_TARGET * direct.total
        ok &= direct.stated_wrong <= WORLD_STATED_WRONG_MAX
    if args.check and not ok:
        print("below target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
