"""What every demo site shares: routing, ground truth, feeds, sitemaps and robots.txt."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime

from .data import OFFSETS, ZONE_ABBREV, DemoArticle, tanggal_kurung, tanggal_panjang

esc = html.escape

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
ATOM = "application/atom+xml; charset=UTF-8"
TEXT = "text/plain; charset=UTF-8"

#: A 1x1 transparent GIF, what lazy-loading themes put in ``src`` before the real image.
BLANK_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


@dataclass
class Request:
    """What a page handler needs from the HTTP request."""

    path: str
    query: dict[str, str]
    origin: str  # "http://127.0.0.1:8123": feeds and sitemaps are absolute on it


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    last_modified: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Response]


class DemoSite:
    """One fictional news site. Subclasses provide the template; this class the plumbing.

    Routes are keyed by path, or by ``path?page=N`` for paginated views; other
    query parameters are ignored (as most CMSs do), except by the search page.
    """

    slug = ""
    name = ""
    base_url = ""  # public origin, e.g. https://www.kabarlebak.example
    timezone = "Asia/Jakarta"
    #: Paths robots.txt disallows; each is linked from some page and really exists.
    disallowed: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()

    def __init__(self, articles: list[DemoArticle]):
        # newest first, as every index shows them
        self.articles = sorted(articles, key=DemoArticle.sort_key, reverse=True)
        self.by_number = {a.number: a for a in self.articles}
        self._routes: dict[str, Handler] | None = None
        #: Paths that answer 404 for now (a sitemap the site dropped), for `warta check` tests.
        self.gone: set[str] = set()
        #: Text replaced in every HTML page (a template change: a renamed body container).
        self.rewrites: dict[str, str] = {}

    # -- what templates override -------------------------------------------------------
    def article_path(self, a: DemoArticle) -> str:
        raise NotImplementedError

    def dateline(self, a: DemoArticle) -> str:
        """Text that opens the first paragraph, e.g. ``Kabarlebak.example - ``."""
        return ""

    def article_page(self, a: DemoArticle, page: int | None, req: Request) -> str:
        """HTML of page ``page`` (1-based) of ``a``; None: every page in one view."""
        raise NotImplementedError

    def page_count(self, a: DemoArticle) -> int:
        """Pages the template splits ``a`` into (default: the pages of ``articles.txt``)."""
        return len(a.pages)

    def site_routes(self) -> dict[str, Handler]:
        """Non-article pages of the template: home, indexes, feeds, sitemaps..."""
        return {}

    def non_article_paths(self) -> list[str]:
        """Pages (path or ``path?query``) that exist and are not articles."""
        return []

    # -- shared ----------------------------------------------------------------------
    @property
    def zone(self) -> str:
        return ZONE_ABBREV[self.timezone]

    @property
    def tz(self) -> timezone:
        return timezone(timedelta(hours=OFFSETS[self.timezone]))

    def url(self, a: DemoArticle) -> str:
        return self.base_url + self.article_path(a)

    def published(self, a: DemoArticle) -> datetime | date:
        return a.published(self.timezone)

    def published_dt(self, a: DemoArticle) -> datetime:
        """Publication as an aware datetime (midnight when the page shows only the day)."""
        return datetime.combine(a.day, a.clock or time(0, 0), tzinfo=self.tz)

    def modified_dt(self, a: DemoArticle) -> datetime:
        if a.modified:
            return a.modified.replace(tzinfo=self.tz)
        return self.published_dt(a)

    def latest_dt(self) -> datetime:
        return max(self.modified_dt(a) for a in self.articles)

    def paragraphs(self, a: DemoArticle) -> list[list[str]]:
        """Clean paragraphs per page: ``{tanggal}`` filled in, dateline on the first one."""
        pages = [[p.replace("{tanggal}", tanggal_kurung(a.day)) for p in page] for page in a.pages]
        pages[0][0] = self.dateline(a) + pages[0][0]
        return pages

    def body(self, a: DemoArticle) -> str:
        return "\n\n".join(p for page in self.paragraphs(a) for p in page)

    def excerpt(self, a: DemoArticle, words: int = 24) -> str:
        text = a.pages[0][0].replace("{tanggal}", tanggal_kurung(a.day)).split()
        return " ".join(text[:words]) + (" ..." if len(text) > words else "")

    def popular(self, exclude: DemoArticle | None = None, n: int = 5) -> list[DemoArticle]:
        """A stable "most read" list: other articles, in an order that is not by date."""
        pool = [a for a in self.articles if a is not exclude]
        pool.sort(key=lambda a: hashlib.sha1(a.slug.encode()).hexdigest())
        return pool[:n]

    def related(self, a: DemoArticle, n: int = 2) -> list[DemoArticle]:
        """Neighbours in time, for "Baca juga" and "Berita Terkait"."""
        if a not in self.articles:
            return self.articles[:n]
        i = self.articles.index(a)
        pool = self.articles[i + 1:] + self.articles[:i]
        return pool[:n]

    def long_date(self, a: DemoArticle) -> str:
        return tanggal_panjang(a.day)

    def ground_truth(self) -> list[dict]:
        out = []
        for a in sorted(self.articles, key=DemoArticle.sort_key):
            pub = self.published(a)
            out.append({
                "site": self.slug,
                "url": self.url(a),
                "path": self.article_path(a),
                "title": a.title,
                "author": a.author,
                "published": pub.isoformat(),
                "body": self.body(a),
                "page_count": len(a.pages),
                "section": a.section,
                "tags": list(a.tags),
            })
        return out

    def routes(self) -> dict[str, Handler]:
        if self._routes is None:
            routes: dict[str, Handler] = {"/robots.txt": self._robots}
            for a in self.articles:
                path = self.article_path(a)
                routes[path] = self._article_handler(a, 1)
                if self.page_count(a) > 1:
                    routes[f"{path}?page=1"] = self._article_handler(a, 1)
                    routes[f"{path}?page=all"] = self._article_handler(a, None)
                    for n in range(2, self.page_count(a) + 1):
                        routes[f"{path}?page={n}"] = self._article_handler(a, n)
            routes.update(self.site_routes())
            self._routes = routes
        return self._routes

    def _article_handler(self, a: DemoArticle, page: int | None) -> Handler:
        def handler(req: Request) -> Response:
            return self.html(self.article_page(a, page, req), self.modified_dt(a))

        return handler

    def resolve(self, req: Request) -> Response:
        """The response for a request: a page, a WordPress-style slash redirect, or 404."""
        routes = self.routes()
        if req.path in self.gone:
            return self.not_found()
        key = req.path
        if "page" in req.query:
            key = f"{req.path}?page={req.query['page']}"
        handler = routes.get(key)
        if handler is not None:
            return handler(req)
        if not req.path.endswith("/") and req.path + "/" in routes and "page" not in req.query:
            return Response(301, HTML, b"", headers={"Location": req.path + "/"})
        return self.not_found()

    def not_found(self) -> Response:
        body = (f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
                f"<title>Halaman tidak ditemukan - {esc(self.name)}</title></head><body>"
                f"<h1>404</h1><p>Maaf, halaman yang Anda cari tidak ditemukan.</p>"
                f"<p><a href=\"/\">Kembali ke beranda</a></p></body></html>")
        return Response(404, HTML, body.encode("utf-8"))

    def html(self, text: str, last_modified: datetime | None = None) -> Response:
        for old, new in self.rewrites.items():
            text = text.replace(old, new)
        return Response(200, HTML, text.encode("utf-8"), last_modified or self.latest_dt())

    def _robots(self, req: Request) -> Response:
        lines = ["User-agent: *", *(f"Disallow: {p}" for p in self.disallowed), ""]
        lines += [f"Sitemap: {req.origin}{s}" for s in self.sitemaps]
        return Response(200, TEXT, ("\n".join(lines) + "\n").encode(), self.latest_dt())

    # -- feeds and sitemaps --------------------------------------------------------------
    def rss(self, req: Request, title: str, articles: list[DemoArticle], feed_path: str) -> Response:
        items = []
        for a in articles:
            link = req.origin + self.article_path(a)
            author = f"<dc:creator><![CDATA[{a.author or 'Redaksi'}]]></dc:creator>"
            cats = "".join(f"<category><![CDATA[{t}]]></category>" for t in a.tags)
            items.append(
                f"<item><title>{esc(a.title)}</title><link>{esc(link)}</link>"
                f"{author}<pubDate>{format_datetime(self.published_dt(a))}</pubDate>{cats}"
                f"<guid isPermaLink=\"false\">{esc(self.url(a))}</guid>"
                f"<description><![CDATA[{self.excerpt(a)}]]></description></item>"
            )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>'
            f"<title>{esc(title)}</title><link>{req.origin}/</link>"
            f'<atom:link href="{req.origin}{feed_path}" rel="self" type="application/rss+xml"/>'
            f"<description>{esc(self.name)} - berita terkini</description><language>id</language>"
            f"<lastBuildDate>{format_datetime(self.latest_dt())}</lastBuildDate>\n"
            + "\n".join(items) + "\n</channel>\n</rss>\n"
        )
        return Response(200, RSS, body.encode("utf-8"), self.latest_dt())

    def atom(self, req: Request, title: str, articles: list[DemoArticle], feed_path: str) -> Response:
        entries = []
        for a in articles:
            link = req.origin + self.article_path(a)
            post = f"{req.origin}/feeds/{a.number}"
            # as Blogger writes them: the comments feed and the edit link come before the page
            entries.append(
                f"<entry><title>{esc(a.title)}</title>"
                f"<link rel=\"replies\" type=\"application/atom+xml\" href=\"{post}/comments/default\"/>"
                f"<link rel=\"edit\" type=\"application/atom+xml\" href=\"{post}\"/>"
                f"<link rel=\"alternate\" type=\"text/html\" href=\"{esc(link)}\"/>"
                f"<id>{esc(self.url(a))}</id><published>{self.published_dt(a).isoformat()}</published>"
                f"<updated>{self.modified_dt(a).isoformat()}</updated>"
                f"<author><name>{esc(a.author or 'Redaksi')}</name></author>"
                f"<summary>{esc(self.excerpt(a))}</summary></entry>"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">'
            f"<title>{esc(title)}</title><link rel=\"alternate\" href=\"{req.origin}/\"/>"
            f"<link rel=\"self\" href=\"{req.origin}{feed_path}\"/><id>{self.base_url}/</id>"
            f"<updated>{self.latest_dt().isoformat()}</updated>\n" + "\n".join(entries) + "\n</feed>\n"
        )
        return Response(200, ATOM, body.encode("utf-8"), self.latest_dt())

    def urlset(self, req: Request, entries: list[tuple[str, datetime | None]]) -> Response:
        urls = []
        for path, lastmod in entries:
            mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
            urls.append(f"<url><loc>{esc(req.origin + path)}</loc>{mod}</url>")
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + "\n".join(urls) + "\n</urlset>\n")
        return Response(200, XML, body.encode("utf-8"), self.latest_dt())

    def sitemapindex(self, req: Request, paths: list[str]) -> Response:
        maps = "\n".join(
            f"<sitemap><loc>{esc(req.origin + p)}</loc><lastmod>{self.latest_dt().isoformat()}</lastmod></sitemap>"
            for p in paths
        )
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + maps + "\n</sitemapindex>\n")
        return Response(200, XML, body.encode("utf-8"), self.latest_dt())
