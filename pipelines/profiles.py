"""Site profiles: one TOML file per site or family of sites, read by the spider and by page -> article alike."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import InvalidProfile, ProfileNotFound

#: Profiles shipped with warta.
BUNDLED_SITES_DIR = Path(__file__).resolve().parent.parent / "crawler" / "sites"

#: The user's sites folder: where `warta add-site` writes, read before the bundled one.
SITES_DIR_ENV = "WARTA_SITES_DIR"
#: Its default, relative to the current folder (beside ``archive.db`` and ``crawls/``).
DEFAULT_SITES_DIR = "sites"

#: Extra profile folders, separated by os.pathsep; read after the user's sites folder.
SITES_PATH_ENV = "WARTA_SITES_PATH"

#: Network templates live in this subfolder of any profile folder; a family ``extends`` one.
NETWORKS_SUBDIR = "networks"

ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
#: Other IANA names of the three zones, as users write them.
ZONE_ALIASES = {"Asia/Pontianak": "Asia/Jakarta", "Asia/Ujung_Pandang": "Asia/Makassar"}

#: Whole-story views warta knows how to apply to an article URL (see ``Profile.whole_story_url``).
WHOLE_STORY_FORMS = re.compile(r"^(\?[a-z_]+=[a-z0-9]+|/[a-z0-9]+)$")

#: Keys a family's ``[[hosts]]`` entry may set for one host (tables merge key by key).
HOST_KEYS = {"slug", "name", "base_url", "domains", "timezone", "language", "valid_until", "checked",
             "discovery", "selectors", "boilerplate", "check"}


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
    #: The day the profile was last checked against the live site; None: unverified.
    checked: date | None = None
    #: Slug of the family (a file with ``[[hosts]]``) this profile is a host of, else "".
    family: str = ""
    #: The network template the profile extends (``extends = "..."``), else "".
    network: str = ""
    # discovery
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    index_pages: tuple[str, ...] = ()
    index_next: str = ""
    max_index_pages: int = 50
    article_urls: tuple[str, ...] = ()
    exclude_urls: tuple[str, ...] = ()
    #: How to ask for the whole story on one page: "?page=all", "?single=1", "/all" ...
    whole_story: str = ""
    # extraction
    selectors: dict[str, str] = field(default_factory=dict)
    drop_selectors: tuple[str, ...] = ()
    drop_lines: tuple[str, ...] = ()
    #: What `warta check` expects of the template: {"body": CSS selector of the article text}.
    check: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    @property
    def zone_abbrev(self) -> str:
        return ZONES.get(self.timezone, self.timezone)

    @property
    def unverified(self) -> bool:
        """True while the profile has never been checked against its live site."""
        return self.checked is None

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

    def whole_story_url(self, url: str) -> str:
        """The URL of the whole-story view of article ``url`` (``url`` itself without ``whole_story``).

        >>> p = Profile("x", whole_story="?page=all")
        >>> p.whole_story_url("https://kabar.example/2026/07/24/banjir?page=2")
        'https://kabar.example/2026/07/24/banjir?page=all'
        >>> Profile("x", whole_story="/all").whole_story_url("https://kabar.example/read/12/banjir/")
        'https://kabar.example/read/12/banjir/all'
        """
        return apply_whole_story(url, self.whole_story)


def apply_whole_story(url: str, whole_story: str) -> str:
    """``url`` with the whole-story form (``?name=value`` or ``/suffix``) applied; unchanged for ""."""
    if not whole_story:
        return url
    parts = urlsplit(url)
    if whole_story.startswith("?"):
        name, _, value = whole_story[1:].partition("=")
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
        query.append((name, value))
        return urlunsplit(parts._replace(query=urlencode(query), fragment=""))
    path = parts.path.rstrip("/") + whole_story
    return urlunsplit(parts._replace(path=path, fragment=""))


#: A site we know nothing about: no zone is imposed; the page's own evidence decides
#: (a stated offset, WIB for an Indonesian page, else a local time of unknown zone).
GENERIC = Profile(slug="generic", name="Any site (generic extractor)", timezone=None)


def normalize_zone(value: str) -> str:
    """The IANA name of an Indonesian zone written as WIB/WITA/WIT or an IANA name.

    :raises ValueError: for anything else.

    >>> normalize_zone("wita"), normalize_zone("Asia/Jayapura"), normalize_zone("Asia/Pontianak")
    ('Asia/Makassar', 'Asia/Jayapura', 'Asia/Jakarta')
    """
    text = (value or "").strip()
    by_abbrev = {v: k for k, v in ZONES.items()}
    if text.upper() in by_abbrev:
        return by_abbrev[text.upper()]
    if text in ZONES:
        return text
    if text in ZONE_ALIASES:
        return ZONE_ALIASES[text]
    raise ValueError(f"not an Indonesian time zone: {value!r} (WIB, WITA, WIT or Asia/Jakarta, "
                     "Asia/Makassar, Asia/Jayapura)")


def user_sites_dir() -> Path:
    """The user's sites folder: ``WARTA_SITES_DIR``, else ``./sites``.

    >>> user_sites_dir().name
    'sites'
    """
    return Path(os.environ.get(SITES_DIR_ENV) or DEFAULT_SITES_DIR).expanduser().absolute()


def _sites_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(SITES_PATH_ENV, "").split(os.pathsep) if p]
    return [user_sites_dir(), *extra, BUNDLED_SITES_DIR]


def _tuple(data: dict, key: str, where: Path | str) -> tuple[str, ...]:
    value = data.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidProfile(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _day(data: dict, key: str, where: Path | str) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidProfile(f"{where}: {key} must be a day such as 2026-12-01, got {value!r}")


def _table(data: dict, key: str, where: Path | str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise InvalidProfile(f"{where}: [{key}] must be a table")
    return value


def _merge(base: dict, over: dict) -> dict:
    """``over`` on top of ``base``; tables (``[discovery]`` ...) merge key by key."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def profile_from_data(data: dict, slug: str, path: Path | None = None, *, family: str = "") -> Profile:
    """A :class:`Profile` from parsed TOML (one site: no ``hosts``).

    :raises InvalidProfile: when a field has a wrong type or a regex does not compile.
    """
    where = f"{path}" + (f" (host {slug})" if family else "") if path else slug
    disc = _table(data, "discovery", where)
    boiler = _table(data, "boilerplate", where)
    selectors = _table(data, "selectors", where)
    check = _table(data, "check", where)
    for name, table in (("selectors", selectors), ("check", check)):
        if not all(isinstance(v, str) for v in table.values()):
            raise InvalidProfile(f"{where}: [{name}] must map field names to CSS selectors")
    try:
        tz = normalize_zone(data.get("timezone", "Asia/Jakarta"))
    except ValueError as e:
        raise InvalidProfile(f"{where}: timezone: {e}") from None
    for pattern in (*_tuple(disc, "article_urls", where), *_tuple(disc, "exclude_urls", where),
                    *_tuple(boiler, "drop_lines", where)):
        try:
            re.compile(pattern)
        except re.error as e:
            raise InvalidProfile(f"{where}: bad regular expression {pattern!r}: {e}") from None
    whole_story = disc.get("whole_story", "")
    if not isinstance(whole_story, str) or (whole_story and not WHOLE_STORY_FORMS.match(whole_story)):
        raise InvalidProfile(f"{where}: whole_story must look like '?page=all' or '/all', got {whole_story!r}")
    base_url = data.get("base_url", "")
    if not isinstance(base_url, str):
        raise InvalidProfile(f"{where}: base_url must be a string")
    domains = _tuple(data, "domains", where)
    if not domains and base_url:
        # The registered name covers www. and other subdomains (m., amp.).
        domains = ((urlsplit(base_url).hostname or "").removeprefix("www."),)
    try:
        max_index_pages = int(disc.get("max_index_pages", 50))
    except (TypeError, ValueError):
        raise InvalidProfile(f"{where}: max_index_pages must be a whole number") from None
    network = data.get("extends", "")
    return Profile(
        slug=slug,
        name=data.get("name", slug),
        base_url=base_url,
        domains=domains,
        timezone=tz,
        language=data.get("language", "id"),
        valid_until=_day(data, "valid_until", where),
        checked=_day(data, "checked", where),
        family=family,
        network=network if isinstance(network, str) else "",
        sitemaps=_tuple(disc, "sitemaps", where),
        feeds=_tuple(disc, "feeds", where),
        index_pages=_tuple(disc, "index_pages", where),
        index_next=disc.get("index_next", ""),
        max_index_pages=max_index_pages,
        article_urls=_tuple(disc, "article_urls", where),
        exclude_urls=_tuple(disc, "exclude_urls", where),
        whole_story=whole_story,
        selectors=dict(selectors),
        drop_selectors=_tuple(boiler, "drop_selectors", where),
        drop_lines=_tuple(boiler, "drop_lines", where),
        check=dict(check),
        path=path,
    )


@dataclass(frozen=True)
class Family:
    """A file listing several hosts of one network (``[[hosts]]``), each its own profile."""

    slug: str
    name: str
    network: str
    hosts: tuple[str, ...]
    checked: date | None = None
    path: Path | None = None


def _network_template(name: str, dirs: tuple[Path, ...], where: Path) -> dict:
    """The parsed network template ``networks/<name>.toml`` of the first folder that has it."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name or ""):
        raise InvalidProfile(f"{where}: extends must name a network template, got {name!r}")
    for folder in dirs:
        path = folder / NETWORKS_SUBDIR / f"{name}.toml"
        if path.is_file():
            data = _read_toml(path)
            if "extends" in data or "hosts" in data:
                raise InvalidProfile(f"{path}: a network template cannot extend another or list hosts")
            return data
    raise InvalidProfile(f"{where}: extends {name!r}, but no {NETWORKS_SUBDIR}/{name}.toml exists")


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise InvalidProfile(f"{path}: {e}") from None


def host_slug(family: str, base_url: str) -> str:
    """The default slug of a family's host: the family slug and the host's first label.

    >>> host_slug("tribun", "https://makassar.tribunnews.com")
    'tribun-makassar'
    """
    label = (urlsplit(base_url).hostname or "").removeprefix("www.").split(".")[0]
    return f"{family}-{label}" if label else family


def load_file(path: Path, dirs: tuple[Path, ...] | None = None) -> tuple[list[Profile], Family | None]:
    """Read one profile file: a site, or a family whose hosts each become a profile.

    Values merge in this order, later winning: the network template named by
    ``extends``, the file's own fields, then each ``[[hosts]]`` entry.

    :raises InvalidProfile: when the TOML is broken or a field has a wrong type.
    """
    dirs = tuple(_sites_dirs()) if dirs is None else dirs
    data = _read_toml(path)
    base = {}
    if "extends" in data:
        base = _network_template(data["extends"], dirs, path)
    merged = _merge(base, {k: v for k, v in data.items() if k != "hosts"})
    hosts = data.get("hosts")
    if hosts is None:
        return [profile_from_data(merged, path.stem, path)], None
    if not isinstance(hosts, list) or not hosts or not all(isinstance(h, dict) for h in hosts):
        raise InvalidProfile(f"{path}: hosts must be a list of tables ([[hosts]])")
    profiles = []
    for n, host in enumerate(hosts, 1):
        unknown = set(host) - HOST_KEYS
        if unknown:
            raise InvalidProfile(f"{path}: host {n}: unknown key(s) {', '.join(sorted(unknown))}")
        if not host.get("base_url"):
            raise InvalidProfile(f"{path}: host {n} needs a base_url")
        slug = host.get("slug") or host_slug(path.stem, host["base_url"])
        if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
            raise InvalidProfile(f"{path}: host {n}: slug must be lower-case letters, digits and '-', got {slug!r}")
        host_data = _merge(merged, {k: v for k, v in host.items() if k != "slug"})
        if "domains" not in host:
            host_data.pop("domains", None)  # the family's domains are not this host's
        if "name" not in host:
            host_data["name"] = f"{merged.get('name', path.stem)} ({urlsplit(host['base_url']).hostname})"
        profiles.append(profile_from_data(host_data, slug, path, family=path.stem))
    family = Family(slug=path.stem, name=merged.get("name", path.stem), network=merged.get("extends", ""),
                    hosts=tuple(p.slug for p in profiles), checked=_day(merged, "checked", path), path=path)
    return profiles, family


def load_profile_file(path: Path) -> Profile:
    """Read one single-site profile file.

    :raises InvalidProfile: when the TOML is broken, a field has a wrong type, or the file is a family.
    """
    profiles, family = load_file(path)
    if family is not None:
        raise InvalidProfile(f"{path}: a family of {len(profiles)} hosts, not one profile")
    return profiles[0]


@dataclass(frozen=True)
class _Catalogue:
    profiles: dict[str, Profile]
    families: dict[str, Family]


@cache
def _catalogue(dirs: tuple[Path, ...]) -> _Catalogue:
    profiles: dict[str, Profile] = {}
    families: dict[str, Family] = {}
    for folder in reversed(dirs):  # earlier (user) folders override bundled ones
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            found, family = load_file(path, dirs)
            # a file replaces whatever an earlier folder had under its name, family or not
            old = families.pop(path.stem, None)
            for slug in old.hosts if old else ():
                profiles.pop(slug, None)
            profiles.pop(path.stem, None)
            for profile in found:
                profiles[profile.slug] = profile
            if family is not None:
                families[family.slug] = family
    return _Catalogue(dict(sorted(profiles.items())), dict(sorted(families.items())))


def _current() -> _Catalogue:
    return _catalogue(tuple(_sites_dirs()))


def reload_profiles() -> None:
    """Forget the profiles read so far (after a profile file was written or changed)."""
    _catalogue.cache_clear()


def list_profiles() -> list[Profile]:
    """Every known profile (family hosts included), sorted by slug.

    >>> "kabar-lebak" in [p.slug for p in list_profiles()]
    True
    """
    return list(_current().profiles.values())


def list_families() -> list[Family]:
    """Every family file, sorted by slug."""
    return list(_current().families.values())


def load_profile(slug: str) -> Profile:
    """The profile named ``slug``.

    :raises ProfileNotFound: when no profile folder holds ``<slug>.toml`` or a family host of that slug.
    """
    if slug == GENERIC.slug:
        return GENERIC
    catalogue = _current()
    if slug not in catalogue.profiles:
        if slug in catalogue.families:
            raise ProfileNotFound(slug, family_hosts=catalogue.families[slug].hosts)
        raise ProfileNotFound(slug)
    return catalogue.profiles[slug]


def expand_slugs(names: list[str]) -> list[str]:
    """Profile slugs of ``names``, a family slug standing for all its hosts, in order, once each.

    :raises ProfileNotFound: when a name is neither a profile nor a family.
    """
    catalogue = _current()
    out: list[str] = []
    for name in names:
        if name in catalogue.families and name not in catalogue.profiles:
            slugs = list(catalogue.families[name].hosts)
        else:
            load_profile(name)
            slugs = [name]
        out.extend(s for s in slugs if s not in out)
    return out


def profile_for_url(url: str | None) -> Profile:
    """The profile whose domains own ``url``, else the generic profile.

    Several profiles may share a host (a network's regional channels at
    ``www.detik.com/jateng``, ``www.detik.com/bali``): the one whose ``base_url`` path is the
    longest prefix of the URL's path wins, a profile of the whole host comes next, and a URL
    outside every channel's path belongs to none of them.

    >>> profile_for_url("https://www.detik.com/jateng/berita/d-7123456/banjir-rob").slug
    'detik-jateng'
    >>> profile_for_url("https://www.detik.com/sulsel/berita/d-7123457/pasar").timezone
    'Asia/Makassar'
    >>> profile_for_url("https://www.detik.com/edu/d-7123458/beasiswa").slug
    'generic'
    """
    if not url:
        return GENERIC
    parts = urlsplit(url)  # once, not once per profile
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    best, best_len = GENERIC, -1
    for profile in _current().profiles.values():
        if not any(host == d or host.endswith("." + d) for d in profile.domains):
            continue
        prefix = urlsplit(profile.base_url).path.rstrip("/") if profile.base_url else ""
        if prefix and not (path == prefix or path.startswith(prefix + "/")):
            continue  # another channel of the same host
        if len(prefix) > best_len:
            best, best_len = profile, len(prefix)
    return best


def resolve_profile(site: str | None, url: str | None, *, missing_ok: bool = False) -> Profile:
    """Profile by slug when given, else by the URL's domain, else generic.

    :param missing_ok: a slug that names no profile (a site crawled from its URL
        alone, or a profile since removed) falls back to the URL's profile instead
        of raising, so stored pages can always be derived again.
    :raises ProfileNotFound: when ``site`` names no profile and not ``missing_ok``.
    """
    if site:
        try:
            return load_profile(site)
        except ProfileNotFound:
            if not missing_ok:
                raise
            found = profile_for_url(url)
            return found if found is not GENERIC else replace(GENERIC, slug=site, name=site)
    return profile_for_url(url)
