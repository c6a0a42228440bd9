"""Evaluate Indonesian-aware search on root/affixed word pairs: recall and false matches, through warta's search.

Builds a throwaway archive with one article per affixed form (and one per
"false friend", a root that only looks affixed: *berita*, *beras*, *perahu*),
then searches each root with :func:`pipelines.search.search_articles` and prints:

- recall: the share of (root, affixed form) pairs where the root's search finds
  the affixed form's article (target >= 0.95);
- false matches: the share of searches that find an article they should not:
  a root finding the affixed form of another root, and a look-alike finding a
  false friend (target <= 2 %);
- the same with ``exact=True`` (no stemming), for comparison;
- each miss and false match, so the figures can be checked.

The pairs are ``tests/data/id_affix_pairs.tsv`` (me-/di-/ber-/ter-/pe-/per-/ke-…-an,
-kan, -i, -nya, reduplication) and ``tests/data/id_false_friends.tsv``.

Usage::

    .venv/bin/python scripts/eval_stem.py
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines import archive  # noqa: E402
from pipelines.article import Article  # noqa: E402
from pipelines.search import search_articles  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "id_affix_pairs.tsv"
FALSE_FRIENDS = ROOT / "tests" / "data" / "id_false_friends.tsv"


def read_tsv(path: Path) -> list[list[str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return [row for row in csv.reader(lines[1:], delimiter="\t")]


def evaluate(db, pairs, friends, *, exact: bool = False) -> dict:
    """Search every root and look-alike; count what is found where."""
    found_by: dict[str, set[str]] = {}
    for query in sorted({root for root, *_ in pairs} | {alike for _, alike in friends}):
        hits = search_articles(db, query, limit=500, exact=exact).hits
        found_by[query] = {h.title for h in hits}
    misses = [(root, form) for root, form, *_ in pairs if f"form {form}" not in found_by[root]]
    roots = {root for root, *_ in pairs}
    forms_of = {}
    for root, form, *_ in pairs:
        forms_of.setdefault(root, set()).add(form)
    wrong = []
    negatives = 0
    for root in sorted(roots):
        for other, form, *_ in pairs:
            if form in forms_of[root] or other == root:
                continue
            negatives += 1
            if f"form {form}" in found_by[root]:
                wrong.append((root, form))
    cross = len(wrong)
    for word, alike in friends:
        negatives += 1
        if f"friend {word}" in found_by[alike]:
            wrong.append((alike, word))
    return {"pairs": len(pairs), "misses": misses, "negatives": negatives, "wrong": wrong,
            "cross_negatives": negatives - len(friends), "cross_wrong": cross,
            "friends": len(friends), "friends_wrong": len(wrong) - cross, "searches": len(found_by)}


def build(path: Path, pairs, friends):
    db = archive.open_archive(path)
    articles = []
    words = [("form", form) for _, form, *_ in pairs] + [("friend", word) for word, _ in friends]
    for n, (kind, word) in enumerate(dict.fromkeys(words)):
        url = f"https://uji.example/{n}"
        # A title naming the form (what the script looks for) in words the index will not
        # confuse with any root of the set, and the word itself in the body.
        articles.append((Article(url=url, canonical_url=url, site="uji", title=f"{kind} {word}",
                                 body=f"Dokumen uji nomor {n} memuat {word}."), []))
    archive.archive_articles(db, articles)
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    pairs, friends = read_tsv(PAIRS), read_tsv(FALSE_FRIENDS)
    with tempfile.TemporaryDirectory(prefix="warta-stem-eval-") as folder:
        db = build(Path(folder) / "stem.db", pairs, friends)
        results = {mode: evaluate(db, pairs, friends, exact=mode == "exact") for mode in ("stems", "exact")}
        db.close()
    print(f"set: {len(pairs)} root/affixed pairs ({len({r for r, *_ in pairs})} roots), "
          f"{len(friends)} false friends; {PAIRS.relative_to(ROOT)}, {FALSE_FRIENDS.relative_to(ROOT)}")
    for mode, r in results.items():
        recall = 1 - len(r["misses"]) / r["pairs"]
        false_rate = len(r["wrong"]) / r["negatives"]
        target = (f" (targets recall >= 0.95: {'met' if recall >= 0.95 else 'MISSED'}, false matches <= 2 %: "
                  f"{'met' if false_rate <= 0.02 else 'MISSED'})") if mode == "stems" else ""
        print(f"{mode:<6} recall {recall:.3f} ({r['pairs'] - len(r['misses'])}/{r['pairs']}), false matches "
              f"{false_rate:.2%} ({len(r['wrong'])}/{r['negatives']}: {r['cross_wrong']}/{r['cross_negatives']} "
              f"roots finding another root's form, {r['friends_wrong']}/{r['friends']} look-alikes finding a "
              f"false friend){target}")
        if mode == "stems":
            for root, form in r["misses"]:
                print(f"  missed: {root} -> {form}")
            for query, word in r["wrong"]:
                print(f"  false match: {query} -> {word}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
