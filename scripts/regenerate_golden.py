#!/usr/bin/env python3
"""Regenerate the golden files of tests/golden/: expected.json from each page.html.gz and meta.json.

Each ``tests/golden/<name>/`` holds a page written to mimic a real Indonesian news template
(``page.html.gz``), its URL and fetch time (``meta.json``) and what page -> article must give
(``expected.json``). After a change to the extractor, run this script and review the diff
(``git diff tests/golden``) before committing: every changed line is a changed article.

Example:

    .venv/bin/python scripts/regenerate_golden.py              # rewrite every expected.json
    .venv/bin/python scripts/regenerate_golden.py kompas-like  # only one
    .venv/bin/python scripts/regenerate_golden.py --add new-site page.html --url https://...
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
sys.path.insert(0, str(REPO))

#: Article fields compared by tests/test_golden.py (the extractor version is left out on purpose).
FIELDS = ("url", "canonical_url", "site", "title", "author", "published", "published_source",
          "published_offset_source", "updated",
          "section", "tags", "image", "language", "description", "page_count", "provenance", "body")


def load_case(folder: Path):
    """(page, meta) of one golden folder."""
    from pipelines.page import Page

    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    body = gzip.decompress((folder / "page.html.gz").read_bytes())
    page = Page(url=meta["url"], body=body, fetched_at=datetime.fromisoformat(meta["fetched_at"]),
                site=meta.get("site"), headers=meta.get("headers", {}))
    return page, meta


def expected_for(folder: Path) -> dict:
    """What page -> article gives for one golden folder, in the expected.json shape."""
    from pipelines.core import derive_article
    from pipelines.errors import NotAnArticle

    page, _ = load_case(folder)
    try:
        article = derive_article(page)
    except NotAnArticle as e:
        return {"not_article": e.reason}
    data = article.to_dict()
    return {key: data[key] for key in FIELDS}


def write_page(folder: Path, html: bytes) -> None:
    """Store a page gzipped with a fixed timestamp, so the file only changes when the page does."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.html.gz").write_bytes(gzip.compress(html, compresslevel=9, mtime=0))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="golden folders to regenerate (default: all)")
    ap.add_argument("--add", nargs=2, metavar=("NAME", "HTML_FILE"), help="create a new golden folder from a page")
    ap.add_argument("--url", help="with --add: the page's URL")
    ap.add_argument("--fetched-at", default="2024-01-01T00:00:00+00:00", help="with --add: fetch time (ISO 8601)")
    args = ap.parse_args(argv)

    if args.add:
        name, html_file = args.add
        if not args.url:
            ap.error("--add needs --url")
        folder = GOLDEN / name
        write_page(folder, Path(html_file).read_bytes())
        (folder / "meta.json").write_text(json.dumps({"url": args.url, "fetched_at": args.fetched_at, "site": None},
                                                     indent=1) + "\n", encoding="utf-8")
        args.names = [name]
    folders = [GOLDEN / n for n in args.names] if args.names else sorted(p for p in GOLDEN.iterdir() if p.is_dir())
    for folder in folders:
        expected = expected_for(folder)
        out = folder / "expected.json"
        text = json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        old = out.read_text(encoding="utf-8") if out.exists() else None
        out.write_text(text, encoding="utf-8")
        print(f"{folder.name}: {'unchanged' if old == text else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
