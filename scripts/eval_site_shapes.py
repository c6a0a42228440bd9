"""The acceptance figures of `warta add-site`, `warta crawl URL` and `warta check`, one row per site shape.

It serves every site shape of crawler/demo/shapes.py on loopback (WordPress core and Yoast,
Blogger, a paginated portal with Google News sitemaps, feed only, index only, the three hosts of
a network), then runs the real commands, each in its own process:

1. ``warta add-site`` on every shape, then ``warta crawl`` of the profiles it wrote;
2. ``warta crawl --sites FILE`` of their bare URLs (discovery in memory, no profile written);
3. ``warta check`` three times: as added; after a template change (the body container the profile
   recorded is renamed) on every site and its first discovery source answering 404 (on a second
   copy of each profile, so both changes are seen separately); and after both are undone.

and prints, per shape: articles on the site; stored after add-site + crawl and after crawl URL
(articles of the site, other pages stored as articles, right zone = the stored instant and offset
equal the site's); and the check verdicts. ``--fast`` drops the politeness delays.

Usage::

    .venv/bin/python scripts/eval_site_shapes.py --fast
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "WARTA_RETRY_BACKOFF_BASE=0.05"]


def warta(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WARTA_SITES_DIR": str(cwd / "sites")}
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=cwd, env=env, capture_output=True, text=True)


def stored(db: Path, slug: str, site, origin: str) -> tuple[int, int, int]:
    """(articles of the site stored, other pages stored as articles, articles with the right instant and zone)."""
    truth = {origin + t["path"]: t["published"] for t in site.ground_truth()}
    conn = sqlite3.connect(db)
    rows = dict(conn.execute("select url, published from articles where site = ?", [slug]).fetchall())
    conn.close()
    return (len(set(rows) & set(truth)), len(set(rows) - set(truth)),
            sum(1 for u, p in rows.items() if truth.get(u) == p))


def verdicts(output: str) -> dict[str, str]:
    return {line.split()[0]: line.split()[1] for line in output.splitlines()[1:]
            if line and not line.startswith(" ") and len(line.split()) > 1 and line.split()[1] in ("ok", "degraded", "broken")}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true", help="no politeness delays")
    args = parser.parse_args(argv)
    speed = FAST if args.fast else []

    from crawler.demo.shapes import serve_shapes, shape_slugs
    from crawler.discovery import site_slug
    from pipelines.profiles import load_file

    work = Path(tempfile.mkdtemp(prefix="warta-shapes-"))
    with serve_shapes() as server:
        names = shape_slugs()
        origins = {name: server.origins[slug] for name, slug in names.items()}
        slugs = {name: site_slug(origins[name]) for name in names}
        sites = {name: server.sites[names[name]] for name in names}
        added = warta(work, "add-site", *(o + "/" for o in origins.values()), *speed)
        crawled = warta(work, "crawl", *slugs.values(), "--db", "added.db", *speed)
        (work / "urls.txt").write_text("".join(o + "/\n" for o in origins.values()))
        url_work = work / "urls"
        url_work.mkdir()
        (url_work / "urls.txt").write_text((work / "urls.txt").read_text())
        by_url = warta(url_work, "crawl", "--sites", "urls.txt", "--db", "urls.db", *speed)
        # a second copy of each profile, so that a template change and a discovery change are seen apart
        changes = {}
        for name, slug in slugs.items():
            text = (work / "sites" / f"{slug}.toml").read_text()
            (work / "sites" / f"{slug}-src.toml").write_text(text)
            profile = load_file(work / "sites" / f"{slug}.toml", (work / "sites",))[0][0]
            body = profile.check.get("body", "")
            m = re.match(r"(?:\w+)?\.([\w-]+)", body) or re.match(r"#([\w-]+)", body)
            container = (f'class="{m[1]}"', 'class="konten-baru"') if m and body.startswith(
                ("div", "article", "section")) else (f'id="{m[1]}"', 'id="konten-baru"') if m else None
            source = (profile.sitemaps or profile.feeds or profile.index_pages)[0]
            changes[name] = (container, source)
        check_slugs = [s for slug in slugs.values() for s in (slug, f"{slug}-src")]
        first = warta(work, "check", *check_slugs, *speed)
        for name, (container, _) in changes.items():
            if container:
                sites[name].rewrites[container[0]] = container[1]
        changed = warta(work, "check", *slugs.values(), *speed)
        for name, (container, source) in changes.items():
            if container:
                sites[name].rewrites.pop(container[0], None)
            sites[name].gone.add(source)
        gone = warta(work, "check", *(f"{s}-src" for s in slugs.values()), *speed)
        for name, (_, source) in changes.items():
            sites[name].gone.discard(source)
        back = warta(work, "check", *check_slugs, *speed)
        results = []
        for name in names:
            site, origin, slug = sites[name], origins[name], slugs[name]
            total = len(site.articles)
            a = stored(work / "added.db", slug, site, origin)
            u = stored(url_work / "urls.db", slug, site, origin)
            results.append((name, total, a, u, verdicts(first.stdout).get(slug), verdicts(changed.stdout).get(slug),
                            verdicts(gone.stdout).get(f"{slug}-src"), verdicts(back.stdout).get(slug),
                            changes[name][1]))
    print(f"add-site exit {added.returncode}, crawl exit {crawled.returncode}, crawl --sites exit {by_url.returncode}, "
          f"check exits {first.returncode}/{changed.returncode}/{gone.returncode}/{back.returncode} (work in {work})")
    print(f"{'shape':<19} {'articles':>8}  {'add-site+crawl':>22}  {'crawl URL':>22}  "
          "check: as added / template changed / source 404 / undone")
    print(f"{'':<19} {'':>8}  {'stored other zone':>22}  {'stored other zone':>22}")
    for name, total, a, u, c1, c2, c3, c4, source in results:
        print(f"{name:<19} {total:>8}  {a[0]:>8} {a[1]:>5} {a[2]:>6}  {u[0]:>8} {u[1]:>5} {u[2]:>6}  "
              f"{c1} / {c2} / {c3} ({source}) / {c4}")
    total = sum(r[1] for r in results)
    print(f"{'all':<19} {total:>8}  {sum(r[2][0] for r in results):>8} {sum(r[2][1] for r in results):>5} "
          f"{sum(r[2][2] for r in results):>6}  {sum(r[3][0] for r in results):>8} {sum(r[3][1] for r in results):>5} "
          f"{sum(r[3][2] for r in results):>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
