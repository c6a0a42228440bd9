"""End to end on loopback: `warta add-site` then `warta crawl`, `warta crawl URL/--sites`, `warta check`, `warta sites`.

One site of every shape real regional outlets have (crawler/demo/shapes.py), each on its own
127.0.0.x address, crawled by real Scrapy processes into real SQLite files. These are the
issue's acceptance runs, so they take ~1 minute together: each `warta` run is a process of its own.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.demo.shapes import serve_shapes, shape_slugs
from crawler.discovery import site_slug

REPO = Path(__file__).resolve().parent.parent
#: Loopback needs no politeness delays, and a dead site no long backoff.
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "WARTA_RETRY_BACKOFF_BASE=0.05"]


def warta(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "WARTA_SITES_DIR": str(cwd / "sites")}
    env.pop("WARTA_SITES_PATH", None)
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def shapes():
    with serve_shapes(first_address=40) as server:
        yield server


@pytest.fixture(scope="module")
def added(shapes, tmp_path_factory):
    """`warta add-site` on every shape at once, into a fresh sites folder."""
    cwd = tmp_path_factory.mktemp("project")
    result = warta("add-site", *(shapes.origins[s] + "/" for s in shape_slugs().values()), *FAST, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return cwd, result


def slug_of(shapes, name: str) -> str:
    return site_slug(shapes.origins[shape_slugs()[name]])


def assert_archive_matches(db_path: Path, shapes, slugs: dict[str, str]) -> None:
    """Every article of every shape stored once under its site, none else, with the site's offsets."""
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("select site, url, published from articles").fetchall()
    finally:
        conn.close()
    by_site: dict[str, dict[str, str]] = {}
    for site, url, published in rows:
        by_site.setdefault(site, {})[url] = published
    for name, slug in slugs.items():
        site = shapes.sites[shape_slugs()[name]]
        origin = shapes.origins[site.slug]
        truth = {origin + t["path"]: t["published"] for t in site.ground_truth()}
        stored = by_site.get(slug, {})
        assert set(stored) == set(truth), (name, set(truth) ^ set(stored))  # 100 %, and 0 non-articles
        assert stored == truth, name  # the right instant in the right zone
    assert len(rows) == sum(len(shapes.sites[shape_slugs()[n]].articles) for n in slugs)


def test_add_site_writes_a_commented_profile_per_shape(shapes, added):
    cwd, result = added
    for name in shape_slugs():
        slug = slug_of(shapes, name)
        text = (cwd / "sites" / f"{slug}.toml").read_text()
        assert text.startswith("# ") and "checked = 20" in text and "article_urls = [" in text, name
    makassar = (cwd / "sites" / f"{slug_of(shapes, 'nusantara-makassar')}.toml").read_text()
    assert "timezone = 'Asia/Makassar'  # WITA: stated on" in makassar
    assert "whole_story = '?page=all'" in (cwd / "sites" / f"{slug_of(shapes, 'portal')}.toml").read_text()
    # what it prints: sources, URLs seen, samples with title, time and body length
    assert "URLs seen:" in result.stdout and "samples:" in result.stdout
    assert "+09:00" in result.stdout and "chars  Harga Pinang di Pasar Hamadi" in result.stdout
    listed = warta("sites", cwd=cwd)
    assert listed.returncode == 0
    line = next(x for x in listed.stdout.splitlines() if x.startswith(slug_of(shapes, "blogger")))
    assert " WITA " in line and " unverified " not in line
    assert "tribun-timur" in listed.stdout and "unverified" in listed.stdout
    again = warta("add-site", shapes.origins["portal"], *FAST, cwd=cwd)
    assert again.returncode == 1 and "pass --force" in again.stderr


def test_crawl_of_added_profiles_stores_every_article_in_its_zone(shapes, added):
    cwd, _ = added
    slugs = {name: slug_of(shapes, name) for name in shape_slugs()}
    result = warta("crawl", *slugs.values(), "--db", "added.db", *FAST, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_archive_matches(cwd / "added.db", shapes, slugs)


def test_crawl_sites_file_of_urls_discovers_in_memory(shapes, tmp_path):
    """`warta crawl URL…` and `--sites FILE` take the same path: a URL with no profile is discovered in memory."""
    lines = ["# every shape, by its address only", *(shapes.origins[s] + "/" for s in shape_slugs().values()),
             "http://127.0.0.1:9/  # a dead site"]
    (tmp_path / "sites.txt").write_text("\n".join(lines) + "\n")
    result = warta("crawl", "--sites", "sites.txt", "--db", "urls.db", *FAST, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr  # one site failed, the others went on
    assert not (tmp_path / "sites").exists(), "nothing written to the sites folder"
    slugs = {name: slug_of(shapes, name) for name in shape_slugs()}
    assert_archive_matches(tmp_path / "urls.db", shapes, slugs)
    out = result.stdout
    assert "127-0-0-1-9: not crawled: http://127.0.0.1:9/: refused" in out
    for slug in slugs.values():
        assert f"  {slug}: discovered " in out and out.count(f"  {slug}: ") == 2, slug
    assert f"{slugs['portal']}: discovered sitemaps /sitemap.xml; zone WIB; whole story ?page=all" in out


def test_check_turns_broken_on_a_template_or_discovery_change_and_back(shapes, added):
    cwd, _ = added
    names = ["portal", "wp-core", "feed-only"]
    slugs = [slug_of(shapes, n) for n in names]
    first = warta("check", *slugs, *FAST, cwd=cwd)
    assert first.returncode == 0, first.stdout + first.stderr
    assert [line.split()[1] for line in first.stdout.splitlines()[1:4]] == ["ok", "ok", "ok"]
    portal, core = shapes.sites[shape_slugs()["portal"]], shapes.sites[shape_slugs()["wp-core"]]
    portal.rewrites['class="read__content"'] = 'class="konten-artikel"'  # the body container changed
    core.gone.add("/wp-sitemap.xml")  # the sitemap now answers 404
    try:
        broken = warta("check", *slugs, *FAST, cwd=cwd)
    finally:
        del portal.rewrites['class="read__content"']
        core.gone.clear()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    rows = {line.split()[0]: line for line in broken.stdout.splitlines()[1:] if line and not line.startswith(" ")}
    assert " broken " in rows[slugs[0]] and "template changed: the body container div.read__content is gone" in rows[slugs[0]]
    assert " broken " in rows[slugs[1]] and "sitemap /wp-sitemap.xml: HTTP 404" in rows[slugs[1]]
    assert " ok " in rows[slugs[2]]
    again = warta("check", *slugs, *FAST, cwd=cwd)
    assert again.returncode == 0, again.stdout
    history = [json.loads(line) for line in (cwd / "sites" / "check-history.jsonl").read_text().splitlines()]
    assert [h["status"] for h in history if h["site"] == slugs[0]] == ["ok", "broken", "ok"]
    assert [h["status"] for h in history if h["site"] == slugs[1]] == ["ok", "broken", "ok"]
    assert all(h["samples"] and h["checked_at"].endswith("Z") for h in history if h["status"] == "ok")


def test_bad_input_gives_one_line_errors(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from crawler.cli import cli
    from pipelines.profiles import reload_profiles

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WARTA_SITES_DIR", str(tmp_path / "sites"))
    reload_profiles()
    (tmp_path / "bad.txt").write_text("kabar-lebak\nno such site\ntidak-ada\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["crawl", "--sites", "bad.txt"])
    assert result.exit_code != 0
    assert "line 2: not a site slug or a web address" in result.output and "line 3: no site profile" in result.output
    for args, message in [(["add-site", "ftp://x.example"], "not a web address"),
                          (["add-site", "kabar.example", "--timezone", "CET"], "not an Indonesian time zone"),
                          (["add-site", "a.example", "b.example", "--slug", "x"], "--slug names one site"),
                          (["check"], "no profile in your sites folder"),
                          (["crawl"], "name the sites to crawl"),
                          (["crawl", "kabar-nusantara-x"], "no site profile named"),
                          (["crawl", "--sites", "missing.txt"], "cannot read the sites file")]:
        result = runner.invoke(cli, args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
        assert not result.exception or isinstance(result.exception, SystemExit), (args, result.exception)
    reload_profiles()


def test_nothing_robots_txt_disallows_was_fetched(shapes, added):
    """Every run above (add-site, crawls, checks) obeyed robots.txt; the index-only site links a
    draft shaped like an article that only robots.txt keeps out."""
    for name, slug in shape_slugs().items():
        site = shapes.sites[slug]
        for path in shapes.requested_paths(slug):
            assert not any(path.startswith(rule) for rule in site.disallowed), (name, path)
    assert shapes.requested_paths(shape_slugs()["index-only"]), "the index-only site was crawled"


def test_check_a_family_on_the_demo_server(tmp_path):
    from crawler.demo import serve_demo

    with serve_demo() as demo:
        origins = [f"--origin={slug}={origin}" for slug, origin in demo.origins.items()]
        result = warta("check", "kabar-nusantara", *origins, "--history", "h.jsonl", *FAST, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()[1:4]] == [
        ["nusantara-bandung", "ok"], ["nusantara-semarang", "ok"], ["nusantara-makassar", "ok"]]
