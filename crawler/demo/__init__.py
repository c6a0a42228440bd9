"""The bundled demo: fictional Indonesian regional news sites served on loopback, with ground truth.

Four sites with different templates and one network of three hosts, all rendered from ``articles.txt``:

- ``kabar-lebak`` (WIB): WordPress, BREAKING NEWS ticker, skeleton "Berita Terbaru" widget, wp-sitemap.xml, /feed/.
- ``suara-pantura`` (WIB): a portal with JSON-LD, "Baca juga" links, ads, multi-page stories, /indeks/?page=N.
- ``warta-celebes`` (WITA): a Blogger site, Atom feed, dates like "Sabtu, 15 Juni 2019 | 19.30 WITA".
- ``kabar-papua`` (WIT): a small CMS, RSS, dates like "Senin (20/1/2020) pukul 08.15 WIT".
- ``nusantara-bandung``, ``nusantara-semarang`` (WIB) and ``nusantara-makassar`` (WITA): the hosts of
  the Kabar Nusantara network, one template, ``/<kanal>/pr-<id>/<slug>``, Google News sitemaps;
  one family profile (``crawler/sites/kabar-nusantara.toml``) extending a network template.

``crawler.demo.shapes`` adds test sites in the other shapes real outlets have (Yoast, feed only,
index only, a paginated portal) for `warta add-site` and `warta check`.

Example usage::

    from crawler.demo import serve_demo, demo_articles
    with serve_demo() as demo:
        origin = demo.origins["kabar-lebak"]   # http://127.0.0.1:PORT
"""

from __future__ import annotations

from functools import lru_cache

from .data import load_demo_articles
from .kabar_lebak import KabarLebak
from .nusantara import NETWORK_HOSTS
from .server import DemoServer
from .site import DemoSite
from .suara_pantura import SuaraPantura
from .timur import KabarPapua, WartaCelebes

__all__ = ["DemoServer", "DemoSite", "demo_articles", "demo_non_articles", "demo_site", "demo_sites", "serve_demo"]

_TEMPLATES = (KabarLebak, SuaraPantura, WartaCelebes, KabarPapua, *NETWORK_HOSTS)


@lru_cache(maxsize=1)
def _sites() -> tuple[DemoSite, ...]:
    articles = load_demo_articles()
    return tuple(cls([a for a in articles if a.site == cls.slug]) for cls in _TEMPLATES)


def demo_sites() -> list[str]:
    """Slugs of the demo sites (each has a profile in ``crawler/sites/``), in a fixed order.

    >>> demo_sites()  # doctest: +NORMALIZE_WHITESPACE
    ['kabar-lebak', 'suara-pantura', 'warta-celebes', 'kabar-papua', 'nusantara-bandung',
     'nusantara-semarang', 'nusantara-makassar']
    """
    return [s.slug for s in _sites()]


def demo_site(slug: str) -> DemoSite:
    """The demo site object (template and articles) of one slug.

    :raises KeyError: when ``slug`` is not a demo site.
    """
    for site in _sites():
        if site.slug == slug:
            return site
    raise KeyError(slug)


def serve_demo(host: str = "127.0.0.1") -> DemoServer:
    """Start every demo site on its own free port of ``host``, in background threads.

    :param host: the loopback address to bind.
    :returns: a running :class:`DemoServer`; use it as a context manager, or call ``close()``.

    Example usage::

        >>> import urllib.request
        >>> with serve_demo() as demo:
        ...     html = urllib.request.urlopen(demo.origins["kabar-lebak"] + "/").read().decode()
        >>> "BREAKING NEWS" in html
        True
    """
    return DemoServer(list(_sites()), host=host)


def demo_articles(site: str | None = None) -> list[dict]:
    """The ground truth: every demo article as a reader would copy it.

    Each dict has ``site``, ``url`` (public canonical URL), ``path``, ``title``,
    ``author`` (None where the page names none), ``published`` (ISO 8601 with the
    site's offset, or ``YYYY-MM-DD`` where the page shows only a day), ``body``
    (paragraphs separated by one blank line, dateline kept; no captions, "Baca
    juga", initials or share text), ``page_count``, ``section`` and ``tags``.

    :param site: only this site's articles.

    >>> koperasi = next(a for a in demo_articles("kabar-lebak") if "Koperasi" in a["title"])
    >>> koperasi["published"], koperasi["author"]
    ('2019-11-28T14:30:00+07:00', 'Doni Oktaviandi')
    >>> koperasi["body"][:55]
    'Kabarlebak.example - Ratusan pengurus koperasi dari 28 '
    >>> [a["published"] for a in demo_articles("kabar-papua") if "T" not in a["published"]]
    ['2019-11-11', '2020-02-17']
    """
    out = [row for s in _sites() for row in s.ground_truth()]
    return [row for row in out if site is None or row["site"] == site]


def demo_non_articles(site: str | None = None) -> list[str]:
    """Paths (with query, if any) of demo pages that exist and must not become articles.

    Home, category, tag, author and index pages, "redaksi"/about pages, search
    pages and the pages robots.txt disallows.

    :param site: only this site's paths (else all sites', which may repeat ``/``).

    >>> "/redaksi/" in demo_non_articles("kabar-lebak")
    True
    """
    return [p for s in _sites() if site is None or s.slug == site for p in s.non_article_paths()]
