"""The canonical URL of an article: one key per story, whatever link or tracking tag led to it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .validate import _STORY_QUERY, _STORY_SLUG, _WEAK_LISTING, LISTING_PATH, STATIC_PATH

#: Query parameters that only say where a click came from.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ref", "ref_src",
    "referrer", "source", "src", "from", "via", "cmp", "campaign", "share", "shared", "amp", "amp_js_v",
    "ocid", "spm", "rcm", "tracking", "trk", "cid", "s_cid", "xtor", "__twitter_impression",
})
TRACKING_PREFIXES = ("utm_", "utm-", "pk_", "mtm_", "hsa_", "wt_")
#: Query parameters that select a page of a multi-page article (the article is one, whatever the page).
PAGING_PARAMS = frozenset({"page", "halaman", "hal", "pg", "paged", "showpage", "single", "all", "view",
                           "page_num", "pagenum"})

_HOSTLESS = re.compile(r"^https?:///", re.I)


def _registrable(host: str) -> str:
    parts = host.lower().removeprefix("www.").split(".")
    if len(parts) >= 3 and parts[-2] in ("co", "or", "go", "ac", "web", "my", "sch", "net", "com", "org", "gov"):
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def normalize_url(url: str) -> str:
    """A URL without fragment, tracking or paging parameters; scheme and host lower case.

    >>> normalize_url("HTTPS://Kabar.Example/2019/11/28/koperasi/?utm_source=fb&page=2&id=7#komentar")
    'https://kabar.example/2019/11/28/koperasi/?id=7'
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
             and k.lower() not in PAGING_PARAMS]
    netloc = parts.netloc.lower()
    if netloc.endswith(":80") and parts.scheme.lower() == "http":
        netloc = netloc[:-3]
    elif netloc.endswith(":443") and parts.scheme.lower() == "https":
        netloc = netloc[:-4]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


#: Paths of a site's home page.
_HOME_PATH = re.compile(r"^/?(?:index\.\w+|home|beranda|default\.\w+)?/?$", re.I)
#: A path that names one story: an id (digits), a slug of three words or more, or an .html page.
_STORY_PATH = re.compile(r"\d|[^/\W_]+(?:[-_][^/\W_]+){2,}|\.html?$", re.I)


def _listing(path: str) -> bool:
    """A listing or static page by the paths pipelines.validate knows (tag, category, search, page N ...)."""
    if STATIC_PATH.search(path):
        return True
    if not LISTING_PATH.search(path):
        return False
    return not (_WEAK_LISTING.search(path) and _STORY_SLUG.search(path))  # /kanal/<a long story slug>


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _untrusted(candidate: str, page: str | None, domains: tuple[str, ...]) -> bool:
    """True when ``candidate``, a page's canonical URL, cannot be the URL of the page's story.

    Broken templates point every article's canonical at the home page, a section
    or tag page, or another site's page; trusting them collapses a whole site
    into one row. A canonical is kept when the page itself is such a page, or
    when it names a story (an id, a long slug) as specific as the page does.
    """
    cand = urlsplit(candidate)
    if cand.scheme.lower() not in ("http", "https") or not cand.hostname:
        return True
    if not page:
        return False
    here = urlsplit(page)
    host, other = (here.hostname or "").lower(), cand.hostname.lower()
    if host and other != host:
        if domains:
            if not any(other == d or other.endswith("." + d) for d in domains):
                return True
        elif _registrable(host) != _registrable(other):
            return True
    page_path, cand_path = here.path or "/", cand.path or "/"
    if _STORY_QUERY.search(cand.query):  # WordPress "/?p=123": a story at the site's root
        return False
    if _HOME_PATH.match(cand_path) and not _HOME_PATH.match(page_path):
        return True
    if _listing(cand_path) and not _listing(page_path):
        return True
    page_story = bool(_STORY_PATH.search(page_path) or _STORY_QUERY.search(here.query))
    cand_story = bool(_STORY_PATH.search(cand_path))
    # a section ("/ekonomi/", "/berita/daerah/") for a story's page
    return page_story and not cand_story and len(_segments(cand_path)) <= 2


def canonical_url(url: str | None, canonical: str | None = None, og_url: str | None = None,
                  domains: tuple[str, ...] = ()) -> str | None:
    """The article's canonical URL: ``rel=canonical``, else ``og:url``, else the page URL, normalised.

    A canonical is ignored when it points at the home page, a listing (tag,
    category, search, index, page N), a section page, or another site (one
    outside ``domains``, the profile's, when given; else another registered
    domain); broken templates do all of these. So is one that is not http(s).

    >>> canonical_url("https://kabar.example/read/12/banjir?utm_medium=wa", "/read/12/banjir")
    'https://kabar.example/read/12/banjir'
    >>> canonical_url("https://kabar.example/read/12/banjir", "https://kabar.example/")
    'https://kabar.example/read/12/banjir'
    >>> canonical_url("https://kabar.example/ekonomi/harga-beras-naik-lagi", "https://kabar.example/ekonomi/")
    'https://kabar.example/ekonomi/harga-beras-naik-lagi'
    >>> canonical_url("https://kabar.example/read/12/banjir", "https://kabar.example/tag/banjir/")
    'https://kabar.example/read/12/banjir'
    >>> canonical_url("https://m.kabar.example/read/12/banjir", "https://www.kabar.example/read/12/banjir")
    'https://www.kabar.example/read/12/banjir'
    """
    base = url.strip() if url else None
    for cand in (canonical, og_url):
        if not cand or not cand.strip():
            continue
        cand = cand.strip()
        try:
            absolute = urljoin(base, cand) if base else cand
            if _untrusted(absolute, base, tuple(domains)):
                continue
        except ValueError:
            continue
        return normalize_url(absolute)
    return normalize_url(base) if base else None
