"""Golden files: each fixture page in tests/golden/ must give exactly its expected article.

Regenerate with ``scripts/regenerate_golden.py`` after an intended change and review the diff.
"""

from __future__ import annotations

import gzip
import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.core import derive_article, next_page_urls
from pipelines.errors import NotAnArticle
from pipelines.page import Page

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
REQUIRED = ("page.html.gz", "expected.json", "meta.json")
sys.path.insert(0, str(GOLDEN.parent.parent / "scripts"))
from regenerate_golden import FIELDS  # noqa: E402

#: Templates the golden set must cover.
TEMPLATES = {"wordpress-regional", "detik-like", "kompas-like", "tribun-like", "antara-like", "multipage-hidden",
             "index-page", "rss-feed"}


def _page(name: str) -> Page:
    folder = GOLDEN / name
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return Page(url=meta["url"], body=gzip.decompress((folder / "page.html.gz").read_bytes()),
                fetched_at=datetime.fromisoformat(meta["fetched_at"]), site=meta.get("site"))


def test_every_template_has_a_golden_folder():
    assert TEMPLATES <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_golden_folder_is_complete(name):
    folder = GOLDEN / name
    missing = [f for f in REQUIRED if not (folder / f).is_file()]
    assert not missing, f"{name} lacks {missing}"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["url"].startswith("http") and datetime.fromisoformat(meta["fetched_at"]).tzinfo is not None


@pytest.mark.parametrize("name", CASES)
def test_golden_article(name):
    expected = json.loads((GOLDEN / name / "expected.json").read_text(encoding="utf-8"))
    page = _page(name)
    if "not_article" in expected:
        with pytest.raises(NotAnArticle) as info:
            derive_article(page)
        assert info.value.reason == expected["not_article"]
        return
    got = derive_article(page).to_dict()
    assert {k: got[k] for k in FIELDS} == expected


@pytest.mark.parametrize("name", [c for c in CASES if c not in ("index-page", "rss-feed")])
def test_golden_article_is_clean_and_complete(name):
    """Invariants that hold for every article fixture, whatever the expected file says."""
    article = derive_article(_page(name))
    assert article.title and article.body
    assert "\n\n\n" not in article.body and article.body == article.body.strip()
    for line in article.body.split("\n\n"):
        assert line == line.strip() and line
        assert not line.lower().startswith(("baca juga", "baca:", "editor", "copyright", "tags", "bagikan"))
    assert article.published is not None
    assert article.provenance["title"] and article.provenance["body"]


def test_multipage_hidden_blocks_are_merged_and_need_no_fetch():
    page = _page("multipage-hidden")
    article = derive_article(page)
    assert article.page_count == 4
    assert "4. Waspadai Hama" in article.body and "(skt/rau)" not in article.body
    assert next_page_urls(page.body, page.url) == []


def test_single_page_view_wins_over_next_links():
    page = _page("tribun-like")
    assert next_page_urls(page.body, page.url) == [page.url + "?page=all"]
