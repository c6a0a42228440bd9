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
    profiles.reload_profiles()
    yield tmp_path
    profiles.reload_profiles()


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
    profiles.reload_profiles()
    bundled = profiles.list_profiles()
    assert bundled, "warta ships site profiles"
    for p in bundled:
        assert p.timezone in profiles.ZONES, p.slug
        assert p.base_url.startswith("http"), p.slug
        assert p.sitemaps or p.feeds or p.index_pages, f"{p.slug} has no discovery start point"


TEMPLATE = """
name = "Jaringan Contoh"
timezone = "WIB"
[discovery]
sitemaps = ["/sitemap.xml"]
article_urls = ['^https?://[^/]+/berita/\\\\d+/[a-z0-9-]+$']
whole_story = "?page=all"
[selectors]
author = "span.penulis"
"""

FAMILY = """
extends = "contoh"
name = "Jaringan Contoh"
checked = ""

[[hosts]]
base_url = "https://jogja.contoh.example"

[[hosts]]
slug = "contoh-timur"
base_url = "https://makassar.contoh.example"
timezone = "WITA"
[hosts.discovery]
sitemaps = ["/sitemap_news.xml"]
"""


def test_family_extends_a_network_template_with_per_host_overrides(user_sites):
    (user_sites / "networks").mkdir()
    (user_sites / "networks" / "contoh.toml").write_text(TEMPLATE)
    (user_sites / "contoh.toml").write_text(FAMILY)
    assert profiles.expand_slugs(["contoh"]) == ["contoh-jogja", "contoh-timur"]
    jogja, timur = (profiles.load_profile(s) for s in ("contoh-jogja", "contoh-timur"))
    assert jogja.family == timur.family == "contoh" and jogja.network == "contoh"
    assert jogja.timezone == "Asia/Jakarta" and timur.timezone == "Asia/Makassar"  # the zone above all
    assert jogja.sitemaps == ("/sitemap.xml",) and timur.sitemaps == ("/sitemap_news.xml",)
    assert timur.article_urls == jogja.article_urls and timur.whole_story == "?page=all"
    assert timur.selectors == {"author": "span.penulis"}
    assert jogja.domains == ("jogja.contoh.example",) and timur.owns("https://makassar.contoh.example/berita/1/x")
    assert jogja.unverified and jogja.name == "Jaringan Contoh (jogja.contoh.example)"
    assert profiles.profile_for_url("https://makassar.contoh.example/berita/1/x").slug == "contoh-timur"
    with pytest.raises(ProfileNotFound, match="'contoh' is a family of 2 sites"):
        profiles.load_profile("contoh")
    assert "contoh" in [f.slug for f in profiles.list_families()]


@pytest.mark.parametrize("text, message", [
    ('extends = "nope"\n[[hosts]]\nbase_url = "https://a.example"\n', "no networks/nope.toml"),
    ("[[hosts]]\nslug = 'a'\n", "needs a base_url"),
    ("[[hosts]]\nbase_url = 'https://a.example'\nselector = 'x'\n", "unknown key"),
    ("[[hosts]]\nbase_url = 'https://a.example'\nslug = 'A B'\n", "slug must be"),
    ("hosts = 3\n", "hosts must be a list"),
    ("timezone = 'Europe/Paris'\n", "not an Indonesian time zone"),
    ("[discovery]\nwhole_story = 'page=all'\n", "whole_story"),
    ("checked = 'kemarin'\n", "checked must be a day"),
])
def test_bad_families_give_one_line_errors(user_sites, text, message):
    (user_sites / "kabar-bad.toml").write_text(text)
    with pytest.raises(InvalidProfile, match=message):
        profiles.list_profiles()


def test_user_sites_dir_comes_first(tmp_path, monkeypatch):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "kabar-lebak.toml").write_text('name = "Mine"\nbase_url = "https://www.kabarlebak.example"\n'
                                          '[discovery]\nfeeds = ["/feed/"]\n')
    monkeypatch.setenv(profiles.SITES_DIR_ENV, str(mine))
    profiles.reload_profiles()
    try:
        assert profiles.load_profile("kabar-lebak").name == "Mine"
        assert profiles.user_sites_dir() == mine
    finally:
        profiles.reload_profiles()


def test_a_removed_profile_still_derives(user_sites):
    p = profiles.resolve_profile("gone-site", "https://kabar.example/x", missing_ok=True)
    assert p.slug == "gone-site" and p.timezone is None  # the generic zone policy: the page decides
    with pytest.raises(ProfileNotFound):
        profiles.resolve_profile("gone-site", "https://kabar.example/x")


def test_starter_families_are_unverified_and_complete():
    profiles.reload_profiles()
    starters = [p for p in profiles.list_profiles() if p.unverified]
    networks = {p.network for p in starters}
    assert {"tribun", "pikiran-rakyat", "promedia", "suara", "jawapos-radar", "detik-regional", "antara", "inews",
            "kompas", "okezone", "sindonews"} <= networks
    for p in starters:
        assert p.base_url.startswith("https://") and (p.sitemaps or p.feeds or p.index_pages), p.slug
        assert p.article_urls, p.slug
    assert profiles.load_profile("tribun-timur").zone_abbrev == "WITA"
    assert profiles.load_profile("tribun-papua").zone_abbrev == "WIT"
    assert profiles.load_profile("detik-sulsel").absolute("/sitemap_news.xml") == \
        "https://www.detik.com/sulsel/sitemap_news.xml"
    demo = [p for p in profiles.list_profiles() if p.base_url.endswith(".example")]
    assert demo and all(not p.unverified for p in demo)


def test_pages_of_a_site_with_no_profile_file_are_derived_not_dropped(user_sites):
    """A site crawled from its URL alone (or a profile since removed): the worker falls back on
    the URL's profile, so `warta reprocess` keeps its articles."""
    from pipelines.page import Page
    from pipelines.parallel import Candidate, derive_candidate

    html = ("<html><head><title>Banjir Rendam 300 Rumah di Lebak</title></head><body><h1>Banjir Rendam 300 Rumah "
            "di Lebak</h1><div class='entry-content'><p>LEBAK - Banjir merendam 300 rumah di Rangkasbitung, Kamis "
            "(28/11/2019), setelah hujan deras sejak sore hari.</p><p>Kepala BPBD Lebak mengatakan air mulai naik "
            "pukul 17.00 dan warga mengungsi ke masjid serta balai desa terdekat.</p></div></body></html>")
    page = Page(url="https://kabarbaru.example/2019/11/28/banjir/", body=html.encode(), site="kabarbaru")
    outcome = derive_candidate(Candidate(site="kabarbaru", pages=[page]))
    assert outcome.kind == "article" and outcome.article.site == "kabarbaru"
