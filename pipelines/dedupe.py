"""The canonical URL of an article: one key per story, whatever link or tracking tag led to it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

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


def canonical_url(url: str | None, canonical: str | None = None, og_url: str | None = None) -> str | None:
    """The article's canonical URL: ``rel=canonical``, else ``og:url``, else the page URL, normalised.

    A canonical that points at the site's home page, or at another site, is ignored
    (broken templates do both), as is one that is not http(s).

    >>> canonical_url("https://kabar.example/read/12/banjir?utm_medium=wa", "/read/12/banjir")
    'https://kabar.example/read/12/banjir'
    >>> canonical_url("https://kabar.example/read/12/banjir", "https://kabar.example/")
    'https://kabar.example/read/12/banjir'
    """
    base = url.strip() if url else None
    page_path = urlsplit(base).path if base else ""
    for cand in (canonical, og_url):
        if not cand or not cand.strip():
            continue
        cand = cand.strip()
        absolute = urljoin(base, cand) if base else cand
        try:
            parts = urlsplit(absolute)
        except ValueError:
            continue
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            continue
        if parts.path in ("", "/") and page_path not in ("", "/"):
            continue
        if base:
            host = urlsplit(base).hostname or ""
            if host and _registrable(host) != _registrable(parts.hostname):
                continue
        return normalize_url(absolute)
    return normalize_url(base) if base else None
