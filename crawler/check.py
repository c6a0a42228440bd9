"""`warta check`: probe site profiles against their live sites and keep a history of the verdicts.

A profile is **broken** when it no longer describes its site (a crawl would lose
articles): a discovery source fails or gives no article URL at all, the sample
pages no longer extract as articles, or the template changed (the body container
the profile expects is gone). It is **degraded** when it works with something to
look at (a sample without a time and offset, a boilerplate line in a body, a
source listing no article for now). Otherwise it is **ok**.

:func:`check_site` fetches through the same ``async fetch(url)`` as discovery (in a
crawl, :class:`crawler.spiders.probe.CheckSpider`: robots.txt obeyed, polite).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin

from pipelines.profiles import Profile

from .discovery import Fetch, Fetched, container_present, read_feed, read_sitemap

#: Lines of the seed's boilerplate kinds that must never be part of an article body.
SEED_BOILERPLATE = [
    re.compile(r"BREAKING NEWS", re.I),
    re.compile(r"^Berita Terbaru$", re.I | re.M),
    re.compile(r"Skeleton Image", re.I),
    re.compile(r"^\s*Baca( juga)?\s*:", re.I | re.M),
    re.compile(r"\((?:[a-z]{2,4}/){0,3}[a-z]{2,4}\)\s*$", re.I),  # trailing initials such as (do)
    re.compile(r"^(Bagikan|Share on Facebook|Tweet)\b", re.I | re.M),
]

STATUSES = ("ok", "degraded", "broken")
#: Children of a sitemap index read by a check (newest first).
CHECK_SITEMAP_CHILDREN = 3
#: A body shorter than this reads as a teaser, not an article.
MIN_BODY_CHARS = 200
#: The default history file, in the user's sites folder.
HISTORY_FILE = "check-history.jsonl"


@dataclass
class CheckResult:
    """One site's verdict: ``status`` (ok, degraded, broken) and the reasons, with what was seen."""

    site: str
    status: str = "ok"
    reasons: list[str] = field(default_factory=list)
    family: str = ""
    base_url: str = ""
    article_urls: int = 0
    sources: list[dict] = field(default_factory=list)
    samples: list[dict] = field(default_factory=list)
    checked_at: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))

    def worse(self, status: str, reason: str) -> None:
        """Record ``reason`` and lower the status to ``status`` if that is worse."""
        self.reasons.append(reason)
        if STATUSES.index(status) > STATUSES.index(self.status):
            self.status = status

    @property
    def articles_ok(self) -> int:
        return sum(1 for s in self.samples if s.get("article"))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def boilerplate_lines(body: str) -> list[str]:
    """Lines of ``body`` of the seed's boilerplate kinds.

    >>> boilerplate_lines("Banjir merendam 300 rumah.\\n\\nBaca juga: Jembatan putus")
    ['Baca juga: Jembatan putus']
    """
    out = []
    for line in (body or "").split("\n"):
        if line.strip() and any(p.search(line) for p in SEED_BOILERPLATE):
            out.append(line.strip()[:80])
    return out


def _has_time_and_offset(published: str) -> bool:
    return bool(re.search(r"T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$", published or ""))


async def check_site(fetch: Fetch, profile: Profile, *, sample_size: int = 3,
                     to_fetch: Callable[[str], str] = lambda u: u,
                     to_public: Callable[[str], str] = lambda u: u) -> CheckResult:
    """Probe one profile against its site: discovery, then the newest ``sample_size`` articles.

    :param to_fetch: maps a public URL to the one fetched (a mirror, the local demo)
    :param to_public: the inverse, for URLs read from fetched sitemaps and feeds
    """
    from .discovery import _gather, extract_sample

    result = CheckResult(site=profile.slug, family=profile.family, base_url=profile.base_url)
    days: dict[str, date | None] = {}

    def keep(url: str, day: date | None, source: dict) -> None:
        if profile.owns(url) or not profile.domains:
            if profile.is_article_url(url):
                source["articles"] += 1
                if url not in days or (day and (days[url] or date.min) < day):
                    days[url] = day

    starts = ([("sitemap", u) for u in profile.sitemaps] + [("feed", u) for u in profile.feeds]
              + [("index", u) for u in profile.index_pages])
    if not starts:
        result.worse("broken", "the profile names no sitemap, feed or index page")
    responses = await _gather(fetch, [to_fetch(profile.absolute(u)) for _, u in starts])
    for (kind, url), response in zip(starts, responses, strict=True):
        source = {"kind": kind, "url": url, "status": "ok", "articles": 0}
        result.sources.append(source)
        if not response.ok:
            source["status"] = response.reason
            result.worse("broken", f"{kind} {url}: {_said(response)}")
            continue
        if kind == "sitemap":
            await _check_sitemap(fetch, response, source, keep, result, to_fetch, to_public)
        elif kind == "feed":
            items = read_feed(response.body)
            if items is None:
                source["status"] = "not-a-feed"
                result.worse("broken", f"feed {url}: not RSS or Atom any more")
                continue
            for link, day in items:
                keep(to_public(urljoin(response.final_url or response.url, link)), day, source)
        else:
            from .discovery import _decode, page_links

            for link in page_links(_decode(response), response.final_url or response.url):
                keep(to_public(link), None, source)
        if source["status"] == "ok" and not source["articles"]:
            result.worse("degraded", f"{kind} {url}: lists no article URL the profile accepts")
    result.article_urls = len(days)
    if starts and not days:
        result.worse("broken", "discovery yields no article URL")
        return result

    ordered = sorted(days, key=lambda u: (days[u] or date.min), reverse=True)
    newest: list[str] = []
    fetched: list[Fetched] = []
    while ordered and len(newest) < sample_size:
        batch, ordered = ordered[: sample_size - len(newest)], ordered[sample_size - len(newest):]
        for url, response in zip(batch, await _gather(fetch, [to_fetch(profile.whole_story_url(u)) for u in batch]),
                                 strict=True):
            if response.error != "disallowed":  # robots.txt keeps us out: neither a sample nor a fault
                newest.append(url)
                fetched.append(response)
    expected = profile.check.get("body") or profile.selectors.get("body") or ""
    gone = 0
    for url, response in zip(newest, fetched, strict=True):
        sample = extract_sample(response, url, profile)
        problems = []
        entry = {"url": url, "article": sample.article, "title": sample.title, "published": sample.published,
                 "body_chars": sample.body_chars, "problems": problems}
        result.samples.append(entry)
        if not response.ok:
            problems.append(f"fetch: {_said(response)}")
            continue
        if expected and not container_present(sample.html, expected):
            gone += 1
            problems.append(f"body container {expected} is gone")
        if not sample.article:
            problems.append(f"not an article ({sample.reason})")
            continue
        if not sample.title:
            problems.append("no headline")
        if not _has_time_and_offset(sample.published):
            problems.append("no time with offset" + (f" (only {sample.published})" if sample.published else ""))
        if sample.body_chars < MIN_BODY_CHARS:
            problems.append(f"body of {sample.body_chars} characters")
        for line in boilerplate_lines(sample.body)[:2]:
            problems.append(f"boilerplate line {line!r}")
    template_changed = gone and 2 * gone >= len(newest)
    if template_changed:
        result.worse("broken", f"template changed: the body container {expected} is gone on {gone} of "
                               f"{len(newest)} sample pages")
    if newest and not result.articles_ok:
        result.worse("broken", f"none of {len(newest)} sample pages extracts as an article")
    for entry in result.samples:
        for problem in entry["problems"]:
            if not (template_changed and problem.startswith("body container")):
                result.worse("degraded", f"{entry['url']}: {problem}")
    return result


def _said(response: Fetched) -> str:
    return f"HTTP {response.status}" if response.reason.startswith("http-") else response.reason


async def _check_sitemap(fetch: Fetch, response: Fetched, source: dict, keep, result: CheckResult,
                         to_fetch, to_public) -> None:
    from .discovery import _gather

    kind, entries = read_sitemap(response.body)
    if not kind:
        source["status"] = "not-a-sitemap"
        result.worse("broken", f"sitemap {source['url']}: not a sitemap any more")
        return
    base = response.final_url or response.url
    if kind == "urlset":
        for loc, day in entries:
            keep(to_public(urljoin(base, loc)), day, source)
        return
    children = sorted(entries, key=lambda e: (e[1] or date.min), reverse=True)
    # the children most likely to list articles first: news and post sitemaps, then the newest
    children.sort(key=lambda e: 0 if re.search(r"news|post|berita|article|artikel", e[0], re.I) else 1)
    read = [urljoin(base, loc) for loc, _ in children[:CHECK_SITEMAP_CHILDREN]]
    for child, got in zip(read, await _gather(fetch, [to_fetch(to_public(u)) for u in read]), strict=True):
        child_kind, child_entries = read_sitemap(got.body) if got.ok else ("", [])
        if child_kind != "urlset":
            result.worse("degraded", f"sitemap {to_public(child)} (in {source['url']}): "
                                     f"{_said(got) if not got.ok else 'not a sitemap'}")
            continue
        for loc, day in child_entries:
            keep(to_public(urljoin(child, loc)), day, source)


# ----------------------------------------------------------------------------------- history


def history_path(sites_dir: Path) -> Path:
    """The default history file: ``check-history.jsonl`` in the user's sites folder."""
    return sites_dir / HISTORY_FILE


def append_history(path: Path, results: list[CheckResult]) -> None:
    """Append one JSON line per result to ``path`` (created with its folder when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        for result in results:
            f.write(result.to_json() + "\n")


def last_checks(path: Path) -> dict[str, dict]:
    """The latest check of each site in a history file, and the latest *ok* one under ``"<site>/ok"``.

    Lines that are not JSON (a file cut by a crash) are skipped.
    """
    out: dict[str, dict] = {}
    try:
        with path.open(encoding="utf-8") as f:
            for line in f:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict) and isinstance(row.get("site"), str):
                    out[row["site"]] = row
                    if row.get("status") == "ok":
                        out[row["site"] + "/ok"] = row
    except OSError:
        pass
    return out


def format_table(results: list[CheckResult]) -> str:
    """The verdicts as a plain-text table, one line per site (then indented reasons)."""
    width = max([len(r.site) for r in results] + [4])
    lines = [f"{'site':<{width}}  {'status':<8}  {'article URLs':>12}  {'samples ok':>10}  reason"]
    for r in results:
        first = r.reasons[0] if r.reasons else ""
        lines.append(f"{r.site:<{width}}  {r.status:<8}  {r.article_urls:>12}  "
                     f"{f'{r.articles_ok}/{len(r.samples)}':>10}  {first}")
        lines.extend(f"{'':<{width}}  {'':<8}  {'':>12}  {'':>10}  {reason}" for reason in r.reasons[1:])
    return "\n".join(lines)
