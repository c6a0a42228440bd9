#!/usr/bin/env python3
"""Measure warta's page -> article extraction beside trafilatura, on the shared development sets.

For each dataset it prints, for warta and trafilatura in one run: body precision/recall/F1 (the
benchmark's 4-token shingle method, taken from ``../shared/tools/extraction_eval.py``), title and
author accuracy, not-an-article accuracy, boilerplate lines left in the output, the article pages
that were rejected, and ms/page.

trafilatura runs in the two configurations its published figures use: ``favor_precision=True``
(``trafilatura-prec``; world-news-dev 0.941, id-news-dev 0.91 in the issue) and
``include_comments=False`` (``trafilatura``; scrapinghub-aeb 0.960). Each set is gated against the
better of the two.

Example:

    .venv/bin/python scripts/eval_extraction.py                    # all datasets, print the tables
    .venv/bin/python scripts/eval_extraction.py --check            # exit 1 when a quality target is missed (CI)
    .venv/bin/python scripts/eval_extraction.py --check --speed    # ... or a speed target
    .venv/bin/python scripts/eval_extraction.py --dataset world-news-dev --pages   # per-page F1, worst first

Targets (issue 10; issue 3's floors kept):
- no article rejected: every page labelled an article with a non-empty gold body gives an article,
  on every set; the index/feed pages of id-news-dev are all rejected;
- body F1 (article pages) >= the better trafilatura configuration's + 0.02, on every set, and never
  below issue 3's floors (id-news-dev 0.97, scrapinghub-aeb 0.96);
- id-news-dev: body precision >= 0.98 and 0 boilerplate lines; title exact 100 % of the articles;
  author >= 90 %;
- world-news-dev: title exact >= 90 %;
- speed (``--speed``): median CPU ms/page on world-news-dev <= 4 and >= 4x faster than trafilatura
  (either configuration) in the same run.

``--check`` gates the quality targets, which do not depend on the machine (CI runs it); add
``--speed`` to gate the speed targets too.

Timing: each page is extracted ``--repeat`` times (default 3) and its fastest run is kept, for
every system alike, and the systems take turns page by page, so that other processes on the
machine and a drifting clock speed disturb the comparison less. Both
the wall time and the CPU time of the calling thread are reported; speed is judged on the CPU
time (a shared machine's load inflates wall time), or on the wall time with ``--wall-clock``.
The HTML is decoded before timing (as the shared scorer does) and both systems get the same text.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SCORER = SHARED / "tools" / "extraction_eval.py"
BOILERPLATE_TSV = SHARED / "datasets" / "id-boilerplate.tsv"
DATASETS = {
    "id-news-dev": SHARED / "datasets" / "id-news-dev",
    "world-news-dev": SHARED / "datasets" / "world-news-dev",
    "scrapinghub-aeb": SHARED / "datasets" / "scrapinghub-aeb",
    # fictional pages in the shapes of Indonesian portals and regional networks (in the repo; no ../shared)
    "id-portals": REPO / "tests" / "fixtures" / "id-portals",
}

#: trafilatura configurations run beside warta: name -> keyword arguments of ``trafilatura.extract``.
TRAFILATURA_CONFIGS = {
    "trafilatura-prec": {"favor_precision": True},
    "trafilatura": {"include_comments": False},
}

# Targets.
#: warta's body F1 must beat the better trafilatura configuration by this much, on every set.
F1_MARGIN = 0.02
#: Floors from issue 3 (a set's F1 never drops below these, whatever trafilatura scores).
F1_FLOOR = {"id-news-dev": 0.97, "scrapinghub-aeb": 0.96}
#: Body precision on the Indonesian articles.
TARGET_PRECISION = {"id-news-dev": 0.98}
#: Exact-title share of the article pages.
TARGET_TITLE = {"id-news-dev": 1.0, "world-news-dev": 0.90}
TARGET_AUTHOR = {"id-news-dev": 0.90}
#: Sets whose boilerplate lines (id-boilerplate.tsv patterns) must be 0.
ZERO_LEAKS = ("id-news-dev",)
#: The set the speed targets are measured on.
SPEED_SET = "world-news-dev"
TARGET_MEDIAN_MS = 4.0
TARGET_SPEEDUP = 4.0

sys.path.insert(0, str(REPO))


def _load_scorer():
    if not SCORER.is_file():
        raise SystemExit(f"{SCORER} not found: this script needs the shared evaluation folder")
    spec = importlib.util.spec_from_file_location("extraction_eval", SCORER)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["extraction_eval"] = mod
    spec.loader.exec_module(mod)
    return mod


def _boilerplate_patterns() -> list[re.Pattern]:
    """Regex rows of the boilerplate catalogue (CSS-selector rows are skipped)."""
    out = []
    if not BOILERPLATE_TSV.is_file():
        return out
    with BOILERPLATE_TSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            pattern = (row.get("pattern") or "").strip()
            if not pattern or pattern.startswith(("div.", "div[")):
                continue
            try:
                out.append(re.compile(pattern))
            except re.error:
                continue
    return out


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _leaks(output: str | None, gold: str | None, patterns: list[re.Pattern]) -> list[str]:
    """Output lines that match a catalogue pattern and are not part of the gold text."""
    gold_norm = _norm(gold)
    found = []
    for line in (output or "").splitlines():
        line = line.strip()
        if not line or _norm(line) in gold_norm:
            continue
        if any(p.search(line) for p in patterns):
            found.append(line)
    return found


def _timed(fn, repeat: int):
    """(result, fastest wall ms, fastest CPU ms) over ``repeat`` runs."""
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        c0, t0 = time.thread_time(), time.perf_counter()
        result = fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.thread_time() - c0)
    return result, wall * 1000, cpu * 1000


def _run_warta(page, repeat: int) -> dict:
    from pipelines import extract_article

    article, ms, cpu = _timed(lambda: extract_article(page.html, page.url), repeat)
    if article is None:
        return {"none": True, "body": "", "title": None, "author": None, "ms": ms, "cpu": cpu}
    return {"none": False, "body": article.body, "title": article.title, "author": article.author, "ms": ms,
            "cpu": cpu}


def _trafilatura_runner(kwargs: dict):
    def run(page, repeat: int) -> dict:
        import trafilatura

        text, ms, cpu = _timed(lambda: trafilatura.extract(page.html, **kwargs), repeat)
        meta = trafilatura.extract_metadata(page.html)  # untimed: only for title/author accuracy
        return {"none": text is None, "body": text or "", "title": getattr(meta, "title", None) if meta else None,
                "author": getattr(meta, "author", None) if meta else None, "ms": ms, "cpu": cpu}

    return run


def evaluate(root: Path, ev, patterns, repeat: int, systems: list[str]) -> dict:
    """Figures of each system on one dataset (see :func:`print_table` for what they are)."""
    _, pages = ev.load_dataset(root)
    gt = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for p in pages:  # read + decode outside the timed region
        _ = p.raw, p.html
    runners = {"warta": _run_warta, **{name: _trafilatura_runner(kw) for name, kw in TRAFILATURA_CONFIGS.items()}}
    for system in systems:
        runners[system](pages[0], 1)  # warm-up
    # the systems take turns on each page, so that a machine whose speed drifts during the run
    # (other tenants, frequency changes) weighs on all of them alike
    outputs = {system: [] for system in systems}
    for p in pages:
        for system in systems:
            outputs[system].append(runners[system](p, repeat))
    results = {}
    for system in systems:
        rows = [(p, gt[p.pid], o) for p, o in zip(pages, outputs[system], strict=True)]
        article_rows = [r for r in rows if r[1].get("is_article", True)]
        listing_rows = [r for r in rows if not r[1].get("is_article", True)]

        def page_score(it, o):
            return ev.PageScore(*ev.match_counts(ev.units(ev.word_tokens(it.get("articleBody")), 4),
                                                 ev.units(ev.word_tokens(o["body"]), 4)))

        res = {"pages": len(rows), "articles": len(article_rows)}
        res["all"] = ev.corpus_prf([page_score(it, o) for _, it, o in rows])
        res["articles_prf"] = ev.corpus_prf([page_score(it, o) for _, it, o in article_rows])
        res["page_f1"] = {p.pid: page_score(it, o).f1 for p, it, o in article_rows}
        titled = [(it, o) for _, it, o in article_rows if it.get("title")]
        if titled:
            res["title"] = sum(_norm(o["title"]) == _norm(it["title"]) for it, o in titled) / len(titled)
        if article_rows and "author" in article_rows[0][1]:
            res["author"] = sum((o["author"] or None) == (it.get("author") or None)
                                for _, it, o in article_rows) / len(article_rows)
        if listing_rows:
            res["not_article"] = sum(o["none"] for _, _, o in listing_rows) / len(listing_rows)
            res["listings_kept"] = [p.pid for p, _, o in listing_rows if not o["none"]]
        leaks = [(p.pid, line) for p, it, o in rows for line in _leaks(o["body"], it.get("articleBody"), patterns)]
        res["leaks"] = len(leaks)
        res["leak_lines"] = leaks[:20]
        ms = [o["ms"] for _, _, o in rows]
        res["median_ms"] = statistics.median(ms)
        res["mean_ms"] = statistics.fmean(ms)
        res["cpu_median_ms"] = statistics.median(o["cpu"] for _, _, o in rows)
        res["misses"] = [p.pid for p, it, o in article_rows if o["none"] and (it.get("articleBody") or "").strip()]
        results[system] = res
    return results


def _fmt(v, pct=False):
    if v is None:
        return "   -  "
    return f"{v * 100:5.1f}%" if pct else f"{v:6.3f}"


def _best_trafilatura(results: dict) -> tuple[str, dict] | None:
    """The trafilatura configuration with the higher article-page F1 on this set."""
    found = [(name, results[name]) for name in TRAFILATURA_CONFIGS if name in results]
    return max(found, key=lambda x: x[1]["articles_prf"]["f1"]) if found else None


def print_table(name: str, results: dict, pages: int = 0) -> None:
    print(f"\n== {name} (body scores on the article pages)")
    print(f"{'system':<17} {'P':>6} {'R':>6} {'F1':>6} {'title':>6} {'author':>6} {'notart':>6} {'missed':>6} "
          f"{'leaks':>5} {'med_ms':>7} {'cpu_med':>7}")
    for system, r in results.items():
        a = r["articles_prf"]
        print(f"{system:<17} {_fmt(a['precision'])} {_fmt(a['recall'])} {_fmt(a['f1'])} "
              f"{_fmt(r.get('title'), True)} {_fmt(r.get('author'), True)} {_fmt(r.get('not_article'), True)} "
              f"{len(r['misses']):>6} {r['leaks']:>5} {r['median_ms']:7.2f} {r['cpu_median_ms']:7.2f}")
    w = results.get("warta")
    for tname in TRAFILATURA_CONFIGS:
        t = results.get(tname)
        if w and t:
            print(f"warta is {t['cpu_median_ms'] / max(w['cpu_median_ms'], 1e-9):.1f}x faster than {tname} "
                  f"(median CPU ms/page; wall {t['median_ms'] / max(w['median_ms'], 1e-9):.1f}x)")
    for system, r in results.items():
        for pid, line in r["leak_lines"]:
            print(f"  leak [{system}] {pid}: {line[:100]}")
        if system == "warta" and r["misses"]:
            print(f"  warta gave no article for: {', '.join(r['misses'])}")
        if system == "warta" and r.get("listings_kept"):
            print(f"  warta kept these non-articles: {', '.join(r['listings_kept'])}")
    if pages and w:
        best = _best_trafilatura(results)
        print(f"  worst pages (warta F1{' vs ' + best[0] if best else ''}):")
        for pid, f1 in sorted(w["page_f1"].items(), key=lambda x: x[1])[:pages]:
            other = f"  {best[1]['page_f1'][pid]:.3f}" if best else ""
            print(f"    {f1:.3f}{other}  {pid}")


def check(all_results: dict, speed: bool, wall: bool = False) -> list[str]:
    """The missed targets, as one line each."""
    failed = []
    for name, results in all_results.items():
        w = results.get("warta")
        if w is None:
            continue
        prf = w["articles_prf"]
        if w["misses"]:
            failed.append(f"{name}: {len(w['misses'])} article page(s) rejected: {', '.join(w['misses'][:5])}")
        if w.get("not_article", 1.0) < 1.0:
            failed.append(f"{name}: not-an-article pages kept: {', '.join(w.get('listings_kept', []))}")
        best = _best_trafilatura(results)
        if best is not None and prf["f1"] < best[1]["articles_prf"]["f1"] + F1_MARGIN:
            failed.append(f"{name}: body F1 {prf['f1']:.3f} < {best[0]} {best[1]['articles_prf']['f1']:.3f} "
                          f"+ {F1_MARGIN}")
        if name in F1_FLOOR and prf["f1"] < F1_FLOOR[name]:
            failed.append(f"{name}: body F1 {prf['f1']:.3f} < {F1_FLOOR[name]}")
        if name in TARGET_PRECISION and prf["precision"] < TARGET_PRECISION[name]:
            failed.append(f"{name}: body precision {prf['precision']:.3f} < {TARGET_PRECISION[name]}")
        if name in ZERO_LEAKS and w["leaks"]:
            failed.append(f"{name}: {w['leaks']} boilerplate lines left")
        if name in TARGET_TITLE and w.get("title", 1.0) < TARGET_TITLE[name]:
            failed.append(f"{name}: title exact {w['title']:.3f} < {TARGET_TITLE[name]}")
        if name in TARGET_AUTHOR and w.get("author", 1.0) < TARGET_AUTHOR[name]:
            failed.append(f"{name}: author accuracy {w['author']:.3f} < {TARGET_AUTHOR[name]}")
        if speed and name == SPEED_SET:
            key = "median_ms" if wall else "cpu_median_ms"
            if w[key] > TARGET_MEDIAN_MS:
                failed.append(f"{name}: median {w[key]:.2f} ms/page > {TARGET_MEDIAN_MS} ({key})")
            for tname in TRAFILATURA_CONFIGS:
                t = results.get(tname)
                if t is not None and t[key] < TARGET_SPEEDUP * w[key]:
                    failed.append(f"{name}: only {t[key] / w[key]:.1f}x faster than {tname} ({key})")
    if speed and SPEED_SET not in all_results:
        failed.append(f"{SPEED_SET}: not measured (the speed targets are judged on it)")
    return failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", action="append", choices=sorted(DATASETS), help="default: all")
    ap.add_argument("--check", action="store_true", help="exit 1 when a quality target is missed")
    ap.add_argument("--speed", action="store_true", help="with --check: also gate the speed targets")
    ap.add_argument("--wall-clock", action="store_true",
                    help="with --check: judge speed on wall time instead of CPU time of this thread")
    ap.add_argument("--no-trafilatura", action="store_true", help="run warta only (no comparison, no F1 margin)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per page; the fastest is kept (default 3)")
    ap.add_argument("--pages", type=int, default=0, metavar="N", help="list the N worst article pages per set")
    ap.add_argument("--without-dates", action="store_true",
                    help="switch the dates stage off (published/updated stay empty) to time the rest alone")
    ap.add_argument("--json", type=Path, help="write all figures here")
    args = ap.parse_args(argv)
    if args.without_dates:
        import pipelines.core

        pipelines.core._dates = None  # the stage's own guard: an absent dates module means "no dates"

    ev = _load_scorer()
    patterns = _boilerplate_patterns()
    systems = ["warta"] + ([] if args.no_trafilatura else list(TRAFILATURA_CONFIGS))
    all_results = {}
    for name in args.dataset or list(DATASETS):
        root = DATASETS[name]
        if not root.is_dir():
            print(f"skip {name}: {root} not found", file=sys.stderr)
            continue
        all_results[name] = evaluate(root, ev, patterns, max(1, args.repeat), systems)
        print_table(name, all_results[name], args.pages)
    if args.json:
        args.json.write_text(json.dumps(all_results, indent=1, default=str), encoding="utf-8")
    if args.check:
        failed = check(all_results, speed=args.speed, wall=args.wall_clock)
        for line in failed:
            print(f"TARGET MISSED: {line}")
        if failed:
            return 1
        print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
