"""Site commands: `warta sites` (the profiles), `warta add-site` (discover a site, write its profile), `warta check`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from crawler.cli import _parse_overrides, origin_option, parse_origins, set_option, sites_dir_option


def _history_file(value: str | None) -> Path:
    from crawler.check import history_path
    from pipelines.profiles import user_sites_dir

    return Path(value) if value else history_path(user_sites_dir())


@click.command()
@sites_dir_option
@click.option("--history", "history_file", type=click.Path(dir_okay=False),
              help="History file of `warta check` (default: check-history.jsonl in your sites folder).")
def sites(history_file):
    """List the site profiles: zone, when each was checked against its live site, base URL.

    A profile never checked against its live site is "unverified" (the starter
    family profiles shipped for the big networks are, until `warta check` passes).

    Example:

        warta sites
    """
    from crawler.check import last_checks
    from pipelines.profiles import list_families, list_profiles, user_sites_dir

    history = last_checks(_history_file(history_file))
    profiles = list_profiles()
    rows = []
    for p in profiles:
        last = history.get(p.slug)
        passed = history.get(p.slug + "/ok")
        checked = max(filter(None, [p.checked.isoformat() if p.checked else None,
                                    passed["checked_at"][:10] if passed else None]), default="unverified")
        state = f"{last['status']} {last['checked_at'][:10]}" if last else "-"
        family = f"  [family {p.family}]" if p.family else ""
        rows.append((p.slug, p.zone_abbrev, checked, state, p.base_url or ",".join(p.domains), p.name + family))
    header = ("slug", "zone", "checked", "last check", "base URL", "name")
    widths = [max([len(r[i]) for r in rows] + [len(h)]) for i, h in enumerate(header[:5])]
    for row in [header, *rows]:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row[:5], widths, strict=True)) + f"  {row[5]}")
    unverified = [r[0] for r in rows if r[2] == "unverified"]
    families = list_families()
    click.echo(f"{len(rows)} profiles ({len(families)} famil{'y' if len(families) == 1 else 'ies'}) from "
               f"{user_sites_dir()} and the bundled ones; {len(unverified)} unverified (never checked against "
               "their live site: run `warta check SITE`)")


@click.command(name="add-site")
@click.argument("urls", metavar="URL...", nargs=-1, required=True)
@click.option("--slug", help="The profile's name (default: from the site's host, e.g. bantenekspose).")
@click.option("--timezone", help="The site's zone (WIB, WITA, WIT): confirmed against, or put above, what its pages say.")
@click.option("--samples", type=click.IntRange(min=2, max=20), default=5, show_default=True,
              help="Article pages fetched and extracted to check what was found.")
@click.option("--force", is_flag=True, help="Replace a profile file that already exists.")
@click.option("--dry-run", is_flag=True, help="Print what was found and the profile; write nothing.")
@sites_dir_option
@set_option
def add_site(urls, slug, timezone, samples, force, dry_run, overrides):
    """Discover a site from its address and write its profile into your sites folder.

    Discovery reads robots.txt's Sitemap lines, the usual sitemap locations (WordPress,
    Yoast, news sitemaps, gzipped ones), the feeds the site announces or keeps at the
    usual paths (WordPress, Blogger), and index pages as a last resort. It learns which
    URLs are articles, checks that on sample pages, reads the zone the pages state
    (--timezone confirms or overrides it), and finds a whole-story view of stories
    split over pages. It obeys robots.txt and is as polite as a crawl.

    Several URLs are discovered side by side; the command exits 1 when one failed.

    Example:

        warta add-site https://www.bantenekspose.com/

        warta add-site makassar.tribunnews.com --slug tribun-timur --timezone WITA
    """
    from crawler.discovery import render_profile
    from crawler.runner import run_discovery
    from pipelines.profiles import normalize_zone, reload_profiles, user_sites_dir

    if slug and len(urls) > 1:
        raise click.UsageError("--slug names one site: give a single URL with it")
    if slug:
        import re

        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
            raise click.BadParameter("lower-case letters, digits and '-' only", param_hint="--slug")
    if timezone:
        try:
            normalize_zone(timezone)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--timezone") from None
    folder = user_sites_dir()
    if not dry_run and not force:
        from crawler.discovery import normalize_start, site_slug

        for url in urls:
            try:
                name = slug or site_slug(normalize_start(url))
            except ValueError as e:
                raise click.BadParameter(str(e), param_hint="URL") from None
            if (folder / f"{name}.toml").exists():
                raise click.ClickException(f"{folder / (name + '.toml')} exists: pass --force to replace it, "
                                           "or --slug to add the site under another name")
    settings = {"LOG_LEVEL": "WARNING", **_parse_overrides(overrides)}
    try:
        results = run_discovery(list(urls), slug=slug, timezone=timezone, sample_size=samples, overrides=settings)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    failed = 0
    for found in results:
        click.echo(describe(found))
        if found.profile is None:
            failed += 1
            click.echo(f"  no profile written: {found.error}")
            continue
        text = render_profile(found, command=f"warta add-site {found.start_url}")
        if dry_run:
            click.echo("")
            click.echo(text)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{found.profile.slug}.toml"
        path.write_text(text, encoding="utf-8")
        shown = os.path.relpath(path) if path.is_relative_to(Path.cwd()) else path
        click.echo(f"  wrote {shown}: crawl it with `warta crawl {found.profile.slug}`")
    reload_profiles()
    if failed:
        sys.exit(1)


def describe(found) -> str:
    """What discovery found, as the lines `warta add-site` prints."""
    from crawler.discovery import _relative

    p = found.profile
    base = found.base_url or found.start_url
    lines = [f"{found.name or found.start_url}  {base}  (slug {found.slug})"]
    if found.robots:
        lines.append(f"  {found.robots}")
    used = set((p.sitemaps + p.feeds + p.index_pages) if p else ())
    for source in found.sources:
        where = _relative(source.url, base)
        if source.status != "ok":
            state = f"not used: {source.status}"
        else:
            state = (f"{source.found} URL{'' if source.found == 1 else 's'}, {source.articles} of them "
                     f"article{'' if source.articles == 1 else 's'}: " + ("used" if where in used else "not used"))
        lines.append(f"  {source.kind:<7} {where} ({source.note.lstrip('; ')}): {state}")
    if found.urls_seen:
        lines.append(f"  URLs seen: {found.urls_seen}")
    for pattern in found.patterns:
        verdict = "articles" if pattern.accepted else "not articles: not used"
        lines.append(f"  article URLs: {pattern.regex}  ({pattern.count} URLs; {pattern.articles} of "
                     f"{pattern.samples} samples {verdict})")
    if p is not None:
        lines.append(f"  zone: {found.zone_note}")
        lines.append(f"  whole story: {found.whole_story or 'none'}"
                     + (f" ({found.whole_story_note})" if found.whole_story_note else ""))
        if found.body_container:
            lines.append(f"  body container: {found.body_container}")
    if found.samples:
        lines.append("  samples:")
        for s in found.samples:
            if s.article:
                lines.append(f"    {s.published or 'no date':<25} {s.body_chars:>5} chars  {s.title[:70]}")
            else:
                lines.append(f"    not an article ({s.reason}): {_relative(s.url, base)}")
    return "\n".join(lines)


@click.command()
@click.argument("site_slugs", metavar="[SITE]...", nargs=-1)
@click.option("--samples", type=click.IntRange(min=1, max=20), default=3, show_default=True,
              help="Newest articles fetched and extracted per site.")
@click.option("--history", "history_file", type=click.Path(dir_okay=False),
              help="Append the verdicts here (default: check-history.jsonl in your sites folder).")
@origin_option
@sites_dir_option
@set_option
def check(site_slugs, samples, history_file, origins, overrides):
    """Check profiles against their live sites: ok, degraded or broken, with the reason.

    For each site: its sitemaps, feeds and index pages must still answer and list
    article URLs the profile accepts; its newest articles must still extract with a
    headline, a time with its offset and a body free of boilerplate, from the body
    container the profile expects. A JSON line per site is appended to the history
    file. Exits 1 when any site is broken, so it can run from cron.

    With no SITE, every profile of your sites folder (and WARTA_SITES_PATH) is checked;
    a family slug stands for all its hosts.

    Example:

        warta check

        warta check tribun-jogja kabar-lebak --history /var/log/warta-check.jsonl
    """
    from crawler.check import append_history, format_table
    from crawler.runner import run_check
    from pipelines.profiles import BUNDLED_SITES_DIR, expand_slugs, list_profiles, load_profile

    if site_slugs:
        profiles = [load_profile(s) for s in expand_slugs(list(site_slugs))]
    else:
        profiles = [p for p in list_profiles() if p.path and BUNDLED_SITES_DIR not in p.path.resolve().parents]
        if not profiles:
            raise click.ClickException("no profile in your sites folder: name the sites to check "
                                       "(`warta sites` lists them) or add one with `warta add-site URL`")
    settings = {"LOG_LEVEL": "WARNING", **_parse_overrides(overrides)}
    results = run_check(profiles, origins=parse_origins(origins) or None, sample_size=samples, overrides=settings)
    click.echo(format_table(results))
    path = _history_file(history_file)
    try:
        append_history(path, results)
    except OSError as e:
        raise click.ClickException(f"{path}: cannot write the history ({e})") from None
    broken = [r.site for r in results if r.status == "broken"]
    click.echo(f"{len(results)} checked: {sum(r.status == 'ok' for r in results)} ok, "
               f"{sum(r.status == 'degraded' for r in results)} degraded, {len(broken)} broken; history in {path}")
    if broken:
        sys.exit(1)


COMMANDS = [sites, add_site, check]
