"""Site profiles: one TOML file per site, read by the spider and by page -> article alike."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from .errors import InvalidProfile, ProfileNotFound

#: Profiles shipped with warta.
BUNDLED_SITES_DIR = Path(__file__).resolve().parent.parent / "crawler" / "sites"

#: Extra profile folders, separated by os.pathsep; they win over bundled ones.
SITES_PATH_ENV = "WARTA_SITES_PATH"

ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@dataclass(frozen=True)
class Profile:
    """One site's declarative knowledge. See ``crawler/sites/README.md`` for every field.

    The defaults describe "a site we know nothing about", which is what the
    generic extractor gets for a URL with no profile.
    """

    slug: str
    name: str = ""
    base_url: str = ""
    domains: tuple[str, ...] = ()
    timezone: str | None = "Asia/Jakarta"
    language: str = "id"
    valid_until: date | None = None
    # discovery
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    index_pages: tuple[str, ...] = ()
    index_next: str = ""
    max_index_pages: int = 50
    article_urls: tuple[str, ...] = ()
    exclude_urls: tuple[str, ...] = ()
    # extraction
    selectors: dict[str, str] = field(default_factory=dict)
    drop_selectors: tuple[str, ...] = ()
    drop_lines: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def zone_abbrev(self) -> str:
        return ZONES.get(self.timezone, self.timezone)

    def absolute(self, url: str) -> str:
        """A profile URL made absolute against ``base_url`` (profiles may write paths)."""
        if "://" in url or not self.base_url:
            return url
        return self.base_url.rstrip("/") + "/" + url.lstrip("/")

    def is_article_url(self, url: str) -> bool:
        """True when ``url`` matches an ``article_urls`` pattern and no ``exclude_urls`` one.

        With no ``article_urls`` every URL of the site is a candidate (validation
        then decides from the page itself).
        """
        if any(re.search(p, url) for p in self.exclude_urls):
            return False
        if not self.article_urls:
            return True
        return any(re.search(p, url) for p in self.article_urls)

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)


#: A site we know nothing about: no zone is imposed; the page's own evidence decides
#: (a stated offset, WIB for an Indonesian page, else a local time of unknown zone).
GENERIC = Profile(slug="generic", name="Any site (generic extractor)", timezone=None)


def _sites_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(SITES_PATH_ENV, "").split(os.pathsep) if p]
    return [*extra, BUNDLED_SITES_DIR]


def _tuple(data: dict, key: str, where: Path) -> tuple[str, ...]:
    value = data.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidProfile(f"{where}: {key} must be a list of strings")
    return tuple(value)


def load_profile_file(path: Path) -> Profile:
    """Read one profile file.

    :raises InvalidProfile: when the TOML is broken or a field has a wrong type.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise InvalidProfile(f"{path}: {e}") from None
    disc = data.get("discovery", {})
    boiler = data.get("boilerplate", {})
    selectors = data.get("selectors", {})
    if not isinstance(selectors, dict) or not all(isinstance(v, str) for v in selectors.values()):
        raise InvalidProfile(f"{path}: [selectors] must map field names to CSS selectors")
    tz = data.get("timezone", "Asia/Jakarta")
    if tz in ("WIB", "WITA", "WIT"):
        tz = {v: k for k, v in ZONES.items()}[tz]
    valid_until = data.get("valid_until")
    if isinstance(valid_until, str):
        valid_until = date.fromisoformat(valid_until)
    for pattern in (*_tuple(disc, "article_urls", path), *_tuple(disc, "exclude_urls", path),
                    *_tuple(boiler, "drop_lines", path)):
        try:
            re.compile(pattern)
        except re.error as e:
            raise InvalidProfile(f"{path}: bad regular expression {pattern!r}: {e}") from None
    base_url = data.get("base_url", "")
    domains = _tuple(data, "domains", path)
    if not domains and base_url:
        # The registered name covers www. and other subdomains (m., amp.).
        domains = ((urlsplit(base_url).hostname or "").removeprefix("www."),)
    return Profile(
        slug=path.stem,
        name=data.get("name", path.stem),
        base_url=base_url,
        domains=domains,
        timezone=tz,
        language=data.get("language", "id"),
        valid_until=valid_until,
        sitemaps=_tuple(disc, "sitemaps", path),
        feeds=_tuple(disc, "feeds", path),
        index_pages=_tuple(disc, "index_pages", path),
        index_next=disc.get("index_next", ""),
        max_index_pages=int(disc.get("max_index_pages", 50)),
        article_urls=_tuple(disc, "article_urls", path),
        exclude_urls=_tuple(disc, "exclude_urls", path),
        selectors=dict(selectors),
        drop_selectors=_tuple(boiler, "drop_selectors", path),
        drop_lines=_tuple(boiler, "drop_lines", path),
        path=path,
    )


@cache
def _all_profiles(dirs: tuple[Path, ...]) -> dict[str, Profile]:
    found: dict[str, Profile] = {}
    for folder in reversed(dirs):  # later (user) folders override bundled ones
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found[path.stem] = load_profile_file(path)
    return dict(sorted(found.items()))


def list_profiles() -> list[Profile]:
    """Every known profile, sorted by slug.

    >>> "kabar-lebak" in [p.slug for p in list_profiles()]
    True
    """
    return list(_all_profiles(tuple(_sites_dirs())).values())


def load_profile(slug: str) -> Profile:
    """The profile named ``slug``.

    :raises ProfileNotFound: when no profile folder holds ``<slug>.toml``.
    """
    if slug == GENERIC.slug:
        return GENERIC
    profiles = _all_profiles(tuple(_sites_dirs()))
    if slug not in profiles:
        raise ProfileNotFound(slug)
    return profiles[slug]


def profile_for_url(url: str | None) -> Profile:
    """The profile whose domains own ``url``, else the generic profile."""
    if url:
        for profile in _all_profiles(tuple(_sites_dirs())).values():
            if profile.owns(url):
                return profile
    return GENERIC


def resolve_profile(site: str | None, url: str | None) -> Profile:
    """Profile by slug when given, else by the URL's domain, else generic."""
    if site:
        return load_profile(site)
    return profile_for_url(url)
