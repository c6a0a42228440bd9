"""Site shapes for discovery: fictional sites built the way real regional outlets are, on loopback.

`warta add-site`, `warta crawl URL` and `warta check` are tested (and benchmarked) on
one site of each shape real outlets have (``../shared/networks.md``):

- ``wp-core``: WordPress with the core ``wp-sitemap.xml`` and ``/feed/`` (the ``kabar-lebak`` demo site);
- ``wp-yoast``: WordPress with Yoast's ``sitemap_index.xml`` and ``/%category%/%postname%/`` permalinks;
- ``blogger``: a Blogger site, ``/feeds/posts/default``, WITA (the ``warta-celebes`` demo site);
- ``portal``: a network portal, Google News sitemaps per section, stories split over ``?page=N``
  with an unlinked ``?page=all`` view, and an RSS feed whose items all point at the home page;
- ``feed-only``: only an RSS feed at an unusual path, announced by ``<link rel="alternate">``;
- ``index-only``: neither sitemap nor feed, only a paginated ``/indeks``; WIT;
- ``nusantara-*``: the three hosts of the demo network, one template, one host in WITA.

Each shape serves on its own loopback address (127.0.0.x), so each is a host of its own.

Example usage::

    with serve_shapes() as server:
        print(server.origins["wp-yoast"])    # http://127.0.0.12:PORT
"""

from __future__ import annotations

from .data import DemoArticle, load_demo_articles, slugify
from .kabar_lebak import KabarLebak
from .nusantara import NETWORK_HOSTS, NusantaraHost
from .server import DemoServer
from .site import DemoSite, Request, Response, esc
from .timur import SmallSite, WartaCelebes

#: Paragraphs per page of a portal story (portals split every story, as Tribun does).
PORTAL_PARAGRAPHS_PER_PAGE = 3
INDEX_PAGE_SIZE = 3


def _articles(site: str) -> list[DemoArticle]:
    return [a for a in load_demo_articles() if a.site == site]


class YoastSite(KabarLebak):
    """WordPress with Yoast SEO: ``/sitemap_index.xml`` (``/sitemap.xml`` redirects there), one
    sitemap per post type and taxonomy, and ``/%category%/%postname%/`` permalinks."""

    slug = "wp-yoast"
    name = "Banten Terkini"
    base_url = "https://www.bantenterkini.example"
    sitemaps = ("/sitemap_index.xml",)

    def __init__(self, articles: list[DemoArticle]):
        super().__init__(articles)
        self.rewrites["Kabar Lebak"] = self.name  # the theme is Kabar Lebak's, the site is not

    def article_path(self, a: DemoArticle) -> str:
        return f"/{a.section_slug}/{a.slug}/"

    def dateline(self, a: DemoArticle) -> str:
        return "BantenTerkini.example - "

    def site_routes(self):
        routes = {k: v for k, v in super().site_routes().items() if not k.startswith("/wp-sitemap")}
        posts = [(self.article_path(a), self.modified_dt(a)) for a in self.articles]
        routes["/sitemap_index.xml"] = lambda req: self.sitemapindex(
            req, ["/post-sitemap.xml", "/page-sitemap.xml", "/category-sitemap.xml", "/post_tag-sitemap.xml",
                  "/author-sitemap.xml"])
        routes["/post-sitemap.xml"] = lambda req: self.urlset(req, posts)
        routes["/page-sitemap.xml"] = lambda req: self.urlset(req, [("/redaksi/", None), ("/pedoman-media-siber/", None)])
        routes["/category-sitemap.xml"] = lambda req: self.urlset(
            req, [(f"/category/{slugify(s)}/", None) for s in self._sections()])
        routes["/post_tag-sitemap.xml"] = lambda req: self.urlset(
            req, [(f"/tag/{slugify(t)}/", None) for t in self._tags()])
        routes["/author-sitemap.xml"] = lambda req: self.urlset(
            req, [(f"/author/{slugify(au)}/", None) for au in self._authors()])
        routes["/sitemap.xml"] = lambda req: Response(301, "text/html", b"", headers={"Location": "/sitemap_index.xml"})
        return routes


class NewsPortal(NusantaraHost):
    """A big portal: ``/YYYY/MM/DD/<slug>``, every story split over ``?page=N``, an unlinked
    ``?page=all`` view, Google News sitemaps per section, and a useless ``/rss``."""

    slug = "portal"
    name = "Warta Pesisir"
    base_url = "https://www.wartapesisir.example"
    timezone = "Asia/Jakarta"
    city = "Cirebon"
    network = "Warta Pesisir"
    sitemaps = ("/sitemap.xml",)

    def article_path(self, a: DemoArticle) -> str:
        return f"/{a.day:%Y/%m/%d}/{a.slug}"

    def dateline(self, a: DemoArticle) -> str:
        return "WARTAPESISIR.EXAMPLE - "

    def _chunks(self, a: DemoArticle) -> list[list[str]]:
        paras = [p for pg in self.paragraphs(a) for p in pg]
        n = PORTAL_PARAGRAPHS_PER_PAGE
        return [paras[i:i + n] for i in range(0, len(paras), n)]

    def page_count(self, a: DemoArticle) -> int:
        return len(self._chunks(a))

    def story_blocks(self, a: DemoArticle, page: int | None) -> list[str]:
        chunks = self._chunks(a)
        shown = [p for c in chunks for p in c] if page is None else chunks[page - 1]
        blocks = [f"<p>{esc(p)}</p>" for p in shown]
        if (page is None or page == len(chunks)) and a.initials:
            blocks[-1] = blocks[-1].removesuffix("</p>") + f" ({esc(a.initials)})</p>"
        return blocks

    def pager(self, a: DemoArticle, page: int | None) -> str:
        chunks = self._chunks(a)
        if len(chunks) < 2 or page is None:
            return ""
        path = self.article_path(a)
        active = ' class="active"'
        links = " ".join(f'<a{active if n == page else ""} href="{path}?page={n}">{n}</a>'
                         for n in range(1, len(chunks) + 1))
        nxt = f' <a rel="next" href="{path}?page={page + 1}">Selanjutnya</a>' if page < len(chunks) else ""
        return f'<div class="paging"><span>Halaman</span> {links}{nxt}</div>'

    def _useless_rss(self, req: Request) -> Response:
        """Every item links to the home page, as some portals' /rss does."""
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                f"<title>{esc(self.name)}</title><link>{req.origin}/</link>"
                + "".join(f"<item><title>{esc(a.title)}</title><link>{req.origin}/</link></item>"
                          for a in self.articles) + "</channel></rss>\n")
        return Response(200, "application/rss+xml; charset=UTF-8", body.encode("utf-8"), self.latest_dt())

    def site_routes(self):
        routes = super().site_routes()
        sections = self._sections()
        routes["/sitemap.xml"] = lambda req: self.sitemapindex(
            req, [f"/{slugify(s)}/sitemap-{kind}.xml" for s in sections for kind in ("news", "web")])
        for s in sections:
            mine = [a for a in self.articles if a.section == s]
            routes[f"/{slugify(s)}/sitemap-news.xml"] = lambda req, mine=mine: self.news_sitemap(req, mine)
            routes[f"/{slugify(s)}/sitemap-web.xml"] = lambda req, s=s: self.urlset(req, [(f"/{slugify(s)}", None)])
        del routes["/sitemap-news.xml"], routes["/sitemap-kanal.xml"]
        routes["/rss"] = self._useless_rss
        return routes


class FeedOnlySite(SmallSite):
    """A small site with nothing but an RSS feed at ``/berita/rss``, announced in ``<head>``."""

    slug = "feed-only"
    name = "Kabar Pandeglang"
    base_url = "https://kabarpandeglang.example"
    timezone = "Asia/Jakarta"
    tagline = "Berita Pandeglang dan sekitarnya"
    places = ("Pandeglang", "Labuan", "Menes", "Carita")
    about_text = ("Kabar Pandeglang dikelola wartawan lokal sejak 2020.",)

    def article_path(self, a: DemoArticle) -> str:
        return f"/{slugify(a.title, 7)}-{4100 + a.number * 3}.html"

    def dateline(self, a: DemoArticle) -> str:
        return f"{self._place(a)}, KabarPandeglang - "

    def short_date(self, a: DemoArticle) -> str:
        return f"{self.long_date(a)} - {a.clock:%H:%M} WIB" if a.clock else self.long_date(a)

    def info_line(self, a: DemoArticle) -> str:
        by = f'<span class="oleh">{esc(a.author)}</span> &middot; ' if a.author else ""
        return f'{by}<span class="tanggal">{self.short_date(a)}</span>'

    def frame(self, title: str, main: str, *, head: str = "", current: DemoArticle | None = None) -> str:
        head += '\n<link rel="alternate" type="application/rss+xml" title="Kabar Pandeglang" href="/berita/rss">'
        return super().frame(title, main, head=head, current=current)

    def site_routes(self):
        routes = self.common_routes()
        routes["/berita/rss"] = lambda req: self.rss(req, self.name, self.articles, "/berita/rss")
        return routes

    def non_article_paths(self) -> list[str]:
        return self.common_non_articles()


#: A draft under embargo, linked from the home page and shaped like an article: only robots.txt
#: keeps discovery and crawls out of it.
DRAFT_PATH = "/read/999001/draf-pemkab-merauke-siapkan-relokasi-pedagang-pasar-mopah"


class IndexOnlySite(SmallSite):
    """No sitemap, no feed: only the home page and a paginated ``/indeks?page=N``; ``/read/<id>/<slug>``."""

    slug = "index-only"
    name = "Suara Merauke"
    base_url = "https://www.suaramerauke.example"
    timezone = "Asia/Jayapura"
    disallowed = ("/read/999001/", "/cari")
    tagline = "Dari ujung timur Indonesia"
    places = ("Merauke", "Jayapura", "Sentani", "Wamena", "Biak", "Timika", "Nabire", "Keerom")
    about_text = ("Suara Merauke adalah media daring warga Papua Selatan.",)

    def article_path(self, a: DemoArticle) -> str:
        return f"/read/{880_000 + a.number * 11}/{a.slug}"

    def dateline(self, a: DemoArticle) -> str:
        return f"{self._place(a)}, SuaraMerauke - "

    def short_date(self, a: DemoArticle) -> str:
        return f"{self.long_date(a)} | {a.clock:%H:%M} WIT" if a.clock else self.long_date(a)

    def info_line(self, a: DemoArticle) -> str:
        return f'<span class="waktu">{self.short_date(a)}</span>'

    def _pages(self) -> int:
        return max(1, -(-len(self.articles) // INDEX_PAGE_SIZE))

    def _index(self, page: int):
        def handler(req: Request) -> Response:
            chunk = self.articles[(page - 1) * INDEX_PAGE_SIZE: page * INDEX_PAGE_SIZE]
            nav = ""
            if page < self._pages():
                nav = f'<div class="paging"><a rel="next" href="/indeks?page={page + 1}">Berikutnya</a></div>'
            main = self.listing(f"Indeks Berita - Halaman {page}", chunk) + nav
            return self.html(self.frame(f"Indeks - {self.name}", main))

        return handler

    def frame(self, title: str, main: str, *, head: str = "", current: DemoArticle | None = None) -> str:
        main += ('\n<p class="indeks-link"><a href="/indeks">Indeks berita</a></p>'
                 f'\n<p class="segera">Segera: <a href="{DRAFT_PATH}">Draf: Pemkab Merauke Siapkan Relokasi '
                 "Pedagang Pasar Mopah</a></p>")
        return super().frame(title, main, head=head, current=current)

    def _draft(self, req: Request) -> Response:
        main = ('<div class="post"><h1 class="judul">Draf: Pemkab Merauke Siapkan Relokasi Pedagang Pasar Mopah</h1>'
                '<div class="isi"><p>Naskah ini masih disunting dan belum boleh diterbitkan sebelum embargo dicabut. '
                "Pemerintah Kabupaten Merauke menyiapkan lahan baru bagi pedagang Pasar Mopah yang selama ini "
                "berjualan di bahu jalan.</p><p>Rencana itu akan dibahas bersama paguyuban pedagang pekan depan, "
                "kata seorang pejabat dinas perdagangan yang enggan disebut namanya.</p></div></div>")
        return self.html(self.frame("Draf | Suara Merauke", main, head='<meta name="robots" content="noindex">'))

    def site_routes(self):
        routes = self.common_routes()
        routes["/"] = self._list("Berita Terbaru", self.articles[:INDEX_PAGE_SIZE], "/")
        routes[DRAFT_PATH] = self._draft
        routes["/indeks"] = self._index(1)
        for n in range(1, self._pages() + 1):
            routes[f"/indeks?page={n}"] = self._index(n)
        return routes

    def non_article_paths(self) -> list[str]:
        return [*self.common_non_articles(), "/indeks", *(f"/indeks?page={n}" for n in range(2, self._pages() + 1)),
                DRAFT_PATH]


def shape_sites() -> dict[str, DemoSite]:
    """One fresh site of every shape, by shape name (fresh: tests may change them)."""
    sites: list[DemoSite] = [
        KabarLebak(_articles("kabar-lebak")),
        YoastSite(_articles("suara-pantura")),
        WartaCelebes(_articles("warta-celebes")),
        NewsPortal(_articles("warta-celebes")),
        FeedOnlySite(_articles("kabar-lebak")),
        IndexOnlySite(_articles("kabar-papua")),
        *(cls(_articles(cls.slug)) for cls in NETWORK_HOSTS),
    ]
    names = ["wp-core", "wp-yoast", "blogger", "portal", "feed-only", "index-only",
             *(cls.slug for cls in NETWORK_HOSTS)]
    return dict(zip(names, sites, strict=True))


def serve_shapes(first_address: int = 10) -> DemoServer:
    """Serve every shape on its own loopback address, 127.0.0.<first_address> onwards.

    The returned server's ``origins`` and ``sites`` are keyed by the sites' slugs; the
    shape names of :func:`shape_sites` map to them through :func:`shape_slugs`.
    """
    sites = list(shape_sites().values())
    hosts = {s.slug: f"127.0.0.{first_address + n}" for n, s in enumerate(sites)}
    return DemoServer(sites, hosts=hosts)


def shape_slugs() -> dict[str, str]:
    """Shape name -> the slug its site is served under."""
    return {name: site.slug for name, site in shape_sites().items()}


__all__ = ["FeedOnlySite", "IndexOnlySite", "NewsPortal", "YoastSite", "serve_shapes",
           "shape_sites", "shape_slugs"]
