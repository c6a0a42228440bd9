#!/usr/bin/env python3
"""Per-page account of warta on tests/fixtures/id-portals: decision, title, date, body, and what went wrong.

The fixture set is fictional pages in the shapes of Indonesian national portals and regional networks
(see tests/fixtures/id-portals/README.md). This script needs no ``../shared``: it scores bodies with the
same 4-token shingle measure as the shared scorer (``scripts/metamorphic.body_f1``) and prints, per page:

- the article decision and, for a wrong one, its evidence (``pipelines.core.derive_with_decision``);
- the title when it is not the gold headline exactly;
- the publication time when it is not the gold instant to the minute with the same UTC offset;
- body P/R/F1, and the gold paragraphs missing from the output / output paragraphs not in the gold.

The corpus figures (body P/R/F1 of the article pages, pooled over shingles) match what
``scripts/eval_extraction.py --dataset id-portals`` prints for warta.

Example::

    .venv/bin/python scripts/eval_id_portals.py              # failures only, then the totals
    .venv/bin/python scripts/eval_id_portals.py --all        # every page
    .venv/bin/python scripts/eval_id_portals.py --json out.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "id-portals"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from metamorphic import _shingles  # noqa: E402

from pipelines.core import derive_with_decision  # noqa: E402
from pipelines.errors import NotAnArticle  # noqa: E402
from pipelines.page import Page  # noqa: E402


def load() -> list[tuple[str, dict, bytes]]:
    """(id, gold entry, page bytes) of every fixture page, sorted by id."""
    gt = json.loads((FIXTURES / "ground-truth.json").read_text(encoding="utf-8"))
    return [(pid, gt[pid], gzip.decompress((FIXTURES / "html" / f"{pid}.html.gz").read_bytes())) for pid in sorted(gt)]


def fetched_at(item: dict) -> datetime:
    """When the page is taken to be fetched: an hour after the gold time (index pages: a fixed day)."""
    if item.get("published"):
        return datetime.fromisoformat(item["published"]) + timedelta(hours=1)
    return datetime.fromisoformat("2025-11-14T12:00:00+07:00")


def run(pid: str, item: dict, raw: bytes) -> dict:
    """warta on one page: the article (or the refusal) and its decision."""
    page = Page(url=item.get("url") or "", body=raw, fetched_at=fetched_at(item))
    try:
        art, decision = derive_with_decision(page)
    except NotAnArticle as e:
        return {"article": None, "decision": e.decision, "reason": e.reason}
    return {"article": art, "decision": decision, "reason": decision.reason}


def same_minute(gold: str | None, got) -> bool:
    """The gold instant to the minute, written with the same UTC offset."""
    if not gold:
        return got is None
    if not isinstance(got, datetime) or got.tzinfo is None:
        return False
    g = datetime.fromisoformat(gold)
    return got.utcoffset() == g.utcoffset() and got.replace(second=0, microsecond=0) == g.replace(second=0)


def prf(gold: str, got: str) -> tuple[int, int, int]:
    """(true-positive, predicted, gold) shingle counts."""
    g, p = _shingles(gold), _shingles(got)
    return sum((g & p).values()), sum(p.values()), sum(g.values())


def scores(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    """(precision, recall, F1) of shingle counts (empty gold and output: a perfect score)."""
    p = tp / pred if pred else (1.0 if not gold else 0.0)
    r = tp / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def body_diff(gold: str, got: str) -> tuple[list[str], list[str]]:
    """Gold paragraphs absent from the output, output paragraphs absent from the gold."""
    g = [norm(x) for x in gold.split("\n\n") if x.strip()]
    o = [norm(x) for x in got.split("\n\n") if x.strip()]
    gold_text, got_text = " ".join(g), " ".join(o)
    return [x for x in g if x not in got_text], [x for x in o if x not in gold_text]


def evaluate() -> list[dict]:
    rows = []
    for pid, item, raw in load():
        res = run(pid, item, raw)
        art = res["article"]
        body = art.body if art else ""
        row = {"id": pid, "is_article": item["is_article"], "kept": art is not None, "reason": res["reason"],
               "decision": res["decision"].summary() if res["decision"] else None,
               "score": round(res["decision"].score, 2) if res["decision"] else None}
        if item["is_article"]:
            row["counts"] = prf(item["articleBody"], body)
            row["title_ok"] = art is not None and norm(art.title) == norm(item["title"])
            row["title"] = art.title if art else None
            row["date_ok"] = art is not None and same_minute(item["published"], art.published)
            row["date"] = art.published.isoformat() if art and art.published else None
            row["author"] = art.author if art else None
            row["author_ok"] = art is not None and (art.author or None) == item.get("author")
            row["missing"], row["extra"] = body_diff(item["articleBody"], body) if art else ([], [])
        else:
            row["body_chars"] = len(body)
        rows.append(row)
    return rows


def totals(rows: list[dict]) -> dict:
    arts = [r for r in rows if r["is_article"]]
    listings = [r for r in rows if not r["is_article"]]
    tp, pred, gold = (sum(r["counts"][i] for r in arts) for i in range(3))
    p, r, f = scores(tp, pred, gold)
    return {"articles": len(arts), "listings": len(listings), "precision": p, "recall": r, "f1": f,
            "rejected": [x["id"] for x in arts if not x["kept"]],
            "listings_kept": [x["id"] for x in listings if x["kept"]],
            "titles_wrong": [x["id"] for x in arts if not x["title_ok"]],
            "dates_wrong": [x["id"] for x in arts if not x["date_ok"]],
            "authors_wrong": [x["id"] for x in arts if not x["author_ok"]]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--all", action="store_true", help="print every page, not only those with a failure")
    ap.add_argument("--json", type=Path, help="write the rows and totals here")
    args = ap.parse_args(argv)
    gt = {pid: item for pid, item, _ in load()}
    rows = evaluate()
    for r in rows:
        item = gt[r["id"]]
        if not r["is_article"]:
            if r["kept"] or args.all:
                print(f"{'KEPT (index page)' if r['kept'] else 'ok refused'} {r['id']}: {r['decision']}")
            continue
        p, rc, f = scores(*r["counts"])
        bad = (not r["kept"]) or not r["title_ok"] or not r["date_ok"] or f < 0.98
        if not (bad or args.all):
            continue
        print(f"\n{r['id']}  F1 {f:.3f} (P {p:.3f} R {rc:.3f})  score {r['score']}")
        if not r["kept"]:
            print(f"  REJECTED: {r['decision']}")
            continue
        if not r["title_ok"]:
            print(f"  title: {r['title']!r}  gold {item['title']!r}")
        if not r["date_ok"]:
            print(f"  published: {r['date']}  gold {item['published']}")
        if not r["author_ok"]:
            print(f"  author: {r['author']!r}  gold {item['author']!r}")
        for x in r["missing"]:
            print(f"  - missing: {x[:110]}")
        for x in r["extra"]:
            print(f"  + extra:   {x[:110]}")
    t = totals(rows)
    print(f"\n{t['articles']} articles, {t['listings']} index pages: body P {t['precision']:.3f} "
          f"R {t['recall']:.3f} F1 {t['f1']:.3f}")
    for key in ("rejected", "listings_kept", "titles_wrong", "dates_wrong", "authors_wrong"):
        print(f"{key}: {len(t[key])} {' '.join(t[key])}")
    reasons = Counter(r["reason"] for r in rows if not r["is_article"])
    print("index-page reasons:", dict(reasons))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "totals": t}, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
