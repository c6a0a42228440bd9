"""Golden files per site profile: every profile has a saved page whose article must not change unnoticed.

Regenerate with ``scripts/regenerate_profile_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipelines.core import derive_article
from pipelines.profiles import list_profiles, load_profile

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from regenerate_golden import FIELDS, load_case  # noqa: E402

GOLDEN = REPO / "tests" / "golden_profiles"
# Unverified starter profiles of real networks have no saved page yet: a page is saved (with
# --add) when the profile is checked against the live site.
PROFILES = [p.slug for p in list_profiles() if not p.unverified]


@pytest.mark.parametrize("slug", PROFILES)
def test_profile_has_golden_files(slug):
    folder = GOLDEN / slug
    missing = [f for f in ("page.html.gz", "expected.json", "meta.json") if not (folder / f).is_file()]
    assert not missing, f"profile {slug} lacks {missing}: run scripts/regenerate_profile_golden.py"


@pytest.mark.parametrize("slug", PROFILES)
def test_profile_golden_article(slug):
    folder = GOLDEN / slug
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    page, meta = load_case(folder)
    assert meta["site"] == slug
    got = derive_article(page, load_profile(slug)).to_dict()
    assert {k: got[k] for k in FIELDS} == expected
    # Complete, non-empty data: a profile's golden article has the fields a researcher relies on.
    for key in ("title", "published", "body", "canonical_url"):
        assert got[key], f"{slug}: empty {key}"
