"""Publication days on fictional pages in the shapes of common templates, warta beside htmldate.

``tests/fixtures/date-templates/`` holds pages written for this project in the shapes real
templates produce (WordPress themes, Blogger, Drupal, Ghost, Medium-like, Hugo/Jekyll, magazines
and news sites in a dozen languages) with the traps they carry: sidebar and comment dates,
"updated" lines, archive and calendar widgets, copyright years, dates in body sentences. Each
page's ground truth is the day it was published (its README says how the pages were made).

A page is right when the answer's day, in the offset it is written in (a day-only answer: its
day), is the true day. Answerers: warta's dates stage alone (``direct``: lxml parse and
:func:`pipelines.dates.page_dates`), warta through ``pipelines.extract_article`` (a page it
refuses counts as wrong), htmldate 1.x ``find_date`` (extensive search, ``original_date=True``)
when installed.

Example::

    .venv/bin/python scripts/eval_dates_templates.py            # figures and failures
    .venv/bin/python scripts/eval_dates_templates.py --check    # exit 1 below the target (CI)
    .venv/bin/python scripts/eval_dates_templates.py -v         # every page, right or wrong
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures" / "date-templates"
#: Fraction of pages warta's dates stage must date right for ``--check``.
TARGET = 1.0


def load_pages(folder: Path = FIXTURES) -> list[tuple[str, dict, bytes]]:
    """``(page id, label, html bytes)`` of every fixture page, in id order."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [(pid, label, (folder / "html" / f"{pid}.html").read_bytes()) for pid, label in sorted(truth.items())]


def day_of(value) -> date | None:
    """The day of an answer (ISO text, date or datetime) in the offset it is written in."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            return None
    return value.date() if isinstance(value, datetime) else value


def warta_direct(html: bytes, url: str, now: datetime):
    from pipelines.dates import page_dates
    from pipelines.parse import decode_page, parse_html

    return page_dates(parse_html(decode_page(html, None)), url, now=now)[0].value


def warta_extractor(html: bytes, url: str, now: datetime):
    from pipelines.core import extract_article

    article = extract_article(html, url, fetched_at=now)
    return None if article is None else article.published


def htmldate_extensive(html: bytes, url: str, now: datetime):
    import htmldate

    return htmldate.find_date(html.decode("utf-8", "replace"), url=url, extensive_search=True,
                              original_date=True, outputformat="%Y-%m-%d")


def answerers(peers: bool) -> dict:
    out = {"warta direct": warta_direct, "warta extract_article": warta_extractor}
    if peers and importlib.util.find_spec("htmldate") is not None:
        out["htmldate (extensive)"] = htmldate_extensive
    return out


def evaluate(pages, who: dict) -> dict[str, dict[str, object]]:
    """``{answerer: {page id: the answer's day or an error text}}``."""
    out: dict[str, dict[str, object]] = {name: {} for name in who}
    for pid, label, html in pages:
        now = datetime.fromisoformat(label["fetched_at"])
        for name, answer in who.items():
            try:
                out[name][pid] = day_of(answer(html, label["url"], now))
            except Exception as exc:  # one page must not hide the others
                out[name][pid] = f"error: {type(exc).__name__}: {exc}"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when warta direct is below the target")
    parser.add_argument("--no-peers", action="store_true", help="warta only")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every page")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    pages = load_pages()
    results = evaluate(pages, answerers(not args.no_peers))
    names = list(results)
    for pid, label, _ in pages:
        want = date.fromisoformat(label["published_day"])
        got = {name: results[name][pid] for name in names}
        if args.verbose or any(value != want for value in got.values()):
            cells = "  ".join(f"{name.split()[0][:1]}{'x' if 'extract' in name else ''}="
                              f"{'ok' if got[name] == want else got[name]}" for name in names)
            print(f"  {pid:42} want {want}  {cells}")
    total = len(pages)
    print(f"date-templates: {total} fictional pages, right publication day:")
    for name in names:
        right = sum(results[name][pid] == date.fromisoformat(label["published_day"]) for pid, label, _ in pages)
        print(f"  {name:24} {right:3}/{total} ({right / total:.3f})")
    direct = sum(results["warta direct"][pid] == date.fromisoformat(label["published_day"])
                 for pid, label, _ in pages)
    if args.check and direct < TARGET * total:
        print("below target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
