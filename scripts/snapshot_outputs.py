#!/usr/bin/env python3
"""Snapshot page -> article on every development page, and compare a later run with it.

A change meant to make extraction faster (or tidier) must not change what it extracts. Write a
snapshot before the change and compare after it: every ``Article.to_dict()`` and decision (or
the refusal and its decision) of every page of the dev sets, read both from the page's bytes
and from its decoded text (as ``scripts/eval_extraction.py`` reads it), with each page's fetch
time from its ground truth so that relative dates do not depend on the day of the run. With
``--variants``, also every metamorphic variant of ``scripts/metamorphic.py`` and the golden
fixtures (a few minutes).

Example::

    .venv/bin/python scripts/snapshot_outputs.py --write /tmp/before.json
    # ... change the code ...
    .venv/bin/python scripts/snapshot_outputs.py --compare /tmp/before.json   # exit 1 on any difference
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: The fetch time of pages whose ground truth gives none.
DEFAULT_FETCHED = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
from eval_extraction import DATASETS, _load_scorer  # noqa: E402  (the same sets, the same scorer)


def snapshot(names: list[str]) -> dict[str, dict]:
    """``{"<set>/<page>/<bytes|text>": {"article": ..., "decision": ...} or {"refused": ..., ...}}``."""
    from pipelines.core import _derive  # derive_with_decision, with page 1's text decoded as the scorer does
    from pipelines.errors import NotAnArticle
    from pipelines.page import Page

    ev = _load_scorer()
    out: dict[str, dict] = {}
    for name in names:
        root = DATASETS[name]
        if not root.is_dir():
            print(f"skip {name}: {root} not found", file=sys.stderr)
            continue
        truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
        for page in ev.load_dataset(root)[1]:
            stamp = truth[page.pid].get("fetched_at")
            fetched = datetime.fromisoformat(stamp) if stamp else DEFAULT_FETCHED
            fetched = fetched if fetched.tzinfo else fetched.replace(tzinfo=UTC)
            for mode in ("bytes", "text"):
                data = page.raw if mode == "bytes" else b""
                try:
                    article, decision = _derive(Page(url=page.url or "", body=data, fetched_at=fetched), None,
                                                page.html if mode == "text" else None)
                    record = {"article": article.to_dict(), "decision": decision.to_dict()}
                except NotAnArticle as e:
                    record = {"refused": str(e), "decision": e.decision.to_dict() if e.decision else None}
                out[f"{name}/{page.pid}/{mode}"] = json.loads(json.dumps(record, default=str))
    return out


def variant_snapshot(names: list[str]) -> dict[str, dict]:
    """``{"<set>/<page>/<kind>": ...}`` for the golden fixtures and the metamorphic variants of the sets'
    article pages (``orig`` for the page itself), read from text with :data:`DEFAULT_FETCHED`."""
    sys.path.insert(0, str(REPO / "scripts"))
    import metamorphic

    from pipelines.core import _derive
    from pipelines.errors import NotAnArticle
    from pipelines.page import Page

    def run(html: str, url: str | None) -> dict:
        try:
            article, decision = _derive(Page(url=url or "", body=b"", fetched_at=DEFAULT_FETCHED), None, html)
            return {"article": article.to_dict(), "decision": decision.to_dict()}
        except NotAnArticle as e:
            return {"refused": str(e), "decision": e.decision.to_dict() if e.decision else None}

    cases = [("golden", case) for case in metamorphic.golden_cases()]
    for name in names:
        if name in metamorphic.DATASETS and metamorphic.DATASETS[name].is_dir():
            cases += [(name, case) for case in metamorphic.dataset_cases(name)]
    out: dict[str, dict] = {}
    for name, case in cases:
        out[f"{name}/{case.pid}/orig"] = json.loads(json.dumps(run(case.html, case.url), default=str))
        for kind in metamorphic.VARIANTS:
            made = metamorphic.make_variant(case.html, case.gold, kind, title=case.title, seed=case.pid)
            if made is not None:
                out[f"{name}/{case.pid}/{kind}"] = json.loads(json.dumps(run(made[0].html, case.url), default=str))
    return out


def compare(before: dict, after: dict, show: int = 10) -> int:
    """Print the records that differ (the fields that changed); return how many differ."""
    differing = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
    for key in differing[:show]:
        old, new = before.get(key) or {}, after.get(key) or {}
        print(f"DIFF {key}")
        a, b = old.get("article") or {}, new.get("article") or {}
        for field in sorted(set(a) | set(b)):
            if a.get(field) != b.get(field):
                print(f"  {field}: {str(a.get(field))[:120]!r} -> {str(b.get(field))[:120]!r}")
        if old.get("refused") != new.get("refused"):
            print(f"  refused: {old.get('refused')!r} -> {new.get('refused')!r}")
        if old.get("decision") != new.get("decision"):
            print("  the decision differs")
    print(f"{len(differing)} of {len(set(before) | set(after))} records differ")
    return len(differing)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, metavar="FILE", help="write the snapshot here")
    group.add_argument("--compare", type=Path, metavar="FILE", help="compare this run with a snapshot")
    ap.add_argument("--dataset", action="append", choices=sorted(DATASETS), help="default: all")
    ap.add_argument("--variants", action="store_true", help="also the golden fixtures and metamorphic variants")
    ap.add_argument("--show", type=int, default=10, metavar="N", help="differing records to print (default 10)")
    args = ap.parse_args(argv)
    names = args.dataset or list(DATASETS)
    now = snapshot(names)
    if args.variants:
        now.update({f"variants:{key}": value for key, value in variant_snapshot(names).items()})
    if args.write:
        args.write.write_text(json.dumps(now, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        print(f"{len(now)} records written to {args.write}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    before = {key: value for key, value in before.items()
              if key.split("/", 1)[0].removeprefix("variants:") in names + ["golden"]
              and (args.variants or not key.startswith("variants:"))}
    return 1 if compare(before, now, args.show) else 0


if __name__ == "__main__":
    sys.exit(main())
