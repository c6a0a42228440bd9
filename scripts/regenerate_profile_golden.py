#!/usr/bin/env python3
"""Regenerate the per-profile golden files of tests/golden_profiles/<slug>/ (one saved page per site profile).

Each site profile in ``crawler/sites/`` must have a folder with a saved article page
(``page.html.gz``), its URL and fetch time (``meta.json``) and the article that page ->
article gives with that profile (``expected.json``); ``tests/test_profile_golden.py`` fails
for a profile without one. Pages of the bundled demo sites are taken from the demo server;
for a real site, save one article page and pass it with ``--add``. Review the diff
(``git diff tests/golden_profiles``) before committing.

Example:

    .venv/bin/python scripts/regenerate_profile_golden.py                 # every profile
    .venv/bin/python scripts/regenerate_profile_golden.py kabar-lebak     # one
    .venv/bin/python scripts/regenerate_profile_golden.py --add my-site page.html --url https://...
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden_profiles"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from regenerate_golden import FIELDS, write_page  # noqa: E402

#: A fixed fetch time, so relative dates on saved pages stay reproducible.
FETCHED_AT = "2026-11-28T00:00:00+00:00"


def expected_for(folder: Path, slug: str) -> dict:
    """What page -> article gives for the saved page with the profile ``slug``."""
    from regenerate_golden import load_case

    from pipelines.core import derive_article
    from pipelines.errors import NotAnArticle
    from pipelines.profiles import load_profile

    page, _ = load_case(folder)
    try:
        article = derive_article(page, load_profile(slug))
    except NotAnArticle as e:
        return {"not_article": e.reason}
    data = article.to_dict()
    return {key: data[key] for key in FIELDS}


def save_case(slug: str, html: bytes, url: str, fetched_at: str = FETCHED_AT) -> Path:
    folder = GOLDEN / slug
    write_page(folder, html)
    meta = {"url": url, "fetched_at": fetched_at, "site": slug}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return folder


def write_expected(folder: Path, slug: str) -> None:
    data = expected_for(folder, slug)
    (folder / "expected.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def save_demo_pages(slugs: list[str]) -> list[str]:
    """Fetch the first single-page article of each demo profile from the demo server."""
    from crawler.demo import demo_articles, demo_sites, serve_demo

    done = []
    with serve_demo() as server:
        for slug in slugs:
            if slug not in demo_sites():
                continue
            truth = next(a for a in demo_articles(slug) if a.get("page_count", 1) == 1)
            with urllib.request.urlopen(server.origins[slug] + truth["path"], timeout=30) as response:
                html = response.read()
            save_case(slug, html, truth["url"])
            done.append(slug)
    return done


def main(argv: list[str] | None = None) -> int:
    from pipelines.profiles import list_profiles

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("slugs", nargs="*", help="profiles to regenerate (default: all)")
    ap.add_argument("--add", nargs=2, metavar=("SLUG", "HTML_FILE"), help="save a page of a real site for SLUG")
    ap.add_argument("--url", help="with --add: the page's URL")
    ap.add_argument("--fetched-at", default=datetime.now(UTC).isoformat(timespec="seconds"),
                    help="with --add: when the page was fetched (ISO 8601)")
    args = ap.parse_args(argv)
    if args.add:
        slug, html_file = args.add
        if not args.url:
            ap.error("--add needs --url")
        folder = save_case(slug, Path(html_file).read_bytes(), args.url, args.fetched_at)
        write_expected(folder, slug)
        print(f"wrote {folder}")
        return 0
    slugs = args.slugs or [p.slug for p in list_profiles()]
    save_demo_pages(slugs)
    for slug in slugs:
        folder = GOLDEN / slug
        if not (folder / "page.html.gz").exists():
            print(f"{slug}: no saved page; save one with --add {slug} PAGE.html --url URL", file=sys.stderr)
            continue
        write_expected(folder, slug)
        print(f"wrote {folder / 'expected.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
