"""Site profiles: the loader, user folders, bad files, URL rules."""

from __future__ import annotations

import pytest

from pipelines import profiles
from pipelines.errors import InvalidProfile, ProfileNotFound

PROFILE = """
name = "Kabar Test"
base_url = "https://www.kabartest.example"
timezone = "WITA"

[discovery]
sitemaps = ["/sitemap.xml"]
feeds = ["https://www.kabartest.example/feed/"]
article_urls = ['/\\d{4}/\\d{2}/\\d{2}/[^/]+/$']
exclude_urls = ['/tag/']

[selectors]
title = "h1.judul"

[boilerplate]
drop_lines = ['(?i)^iklan$']
"""


@pytest.fixture
def user_sites(tmp_path, monkeypatch):
    monkeypatch.setenv(profiles.SITES_PATH_ENV, str(tmp_path))
    profiles._all_profiles.cache_clear()
    yield tmp_path
    profiles._all_profiles.cache_clear()


def test_user_profile_is_loaded(user_sites):
    (user_sites / "kabar-test.toml").write_text(PROFILE)
    p = profiles.load_profile("kabar-test")
    assert p.name == "Kabar Test"
    assert p.timezone == "Asia/Makassar" and p.zone_abbrev == "WITA"
    assert p.domains == ("kabartest.example",)
    assert p.owns("https://m.kabartest.example/x") and not p.owns("https://kabartest.example.evil/x")
    assert p.absolute("/sitemap.xml") == "https://www.kabartest.example/sitemap.xml"
    assert p.is_article_url("https://www.kabartest.example/2020/01/20/banjir-makassar/")
    assert not p.is_article_url("https://www.kabartest.example/tag/2020/01/20/banjir/")
    assert not p.is_article_url("https://www.kabartest.example/kategori/daerah/")
    assert p.selectors == {"title": "h1.judul"}
    assert profiles.profile_for_url("https://www.kabartest.example/x").slug == "kabar-test"
    assert profiles.profile_for_url("https://unknown.example/x") is profiles.GENERIC
    assert "kabar-test" in [q.slug for q in profiles.list_profiles()]


def test_unknown_slug(user_sites):
    with pytest.raises(ProfileNotFound, match="no site profile named 'nope'"):
        profiles.load_profile("nope")


@pytest.mark.parametrize(
    "text, message",
    [
        ("name = ", "kabar-bad.toml"),
        ("[discovery]\narticle_urls = ['(']\n", "bad regular expression"),
        ("[selectors]\ntitle = 3\n", "selectors"),
        ("[discovery]\nfeeds = 3\n", "feeds must be a list"),
    ],
)
def test_bad_profiles_give_one_line_errors(user_sites, text, message):
    (user_sites / "kabar-bad.toml").write_text(text)
    with pytest.raises(InvalidProfile, match=message):
        profiles.load_profile("kabar-bad")


def test_bundled_profiles_load():
    profiles._all_profiles.cache_clear()
    bundled = profiles.list_profiles()
    assert bundled, "warta ships site profiles"
    for p in bundled:
        assert p.timezone in profiles.ZONES, p.slug
        assert p.base_url.startswith("http"), p.slug
        assert p.sitemaps or p.feeds or p.index_pages, f"{p.slug} has no discovery start point"
