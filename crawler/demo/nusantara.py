"""Template of the Kabar Nusantara network: three regional hosts on one template, one of them in WITA."""

from __future__ import annotations

import json

from .data import DemoArticle, slugify
from .site import XML, DemoSite, Request, Response, esc

#: Google News sitemap namespace, as the big portals publish it.
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class NusantaraHost(DemoSite):
    """One regional host of the network: ``/<kanal>/pr-<id>/<slug>``, a Google News sitemap, JSON-LD.

    Every host runs the same template; only the city, the zone and the story ids differ.
    """

    network = "Kabar Nusantara"
    city = ""
    id_base = 0
    disallowed = ("/cari", "/akun/")
    sitemaps = ("/sitemap.xml",)

    @property
    def host_label(self) -> str:
        return self.slug.removeprefix("nusantara-")

    def story_id(self, a: DemoArticle) -> int:
        return self.id_base + a.number * 37

    def article_path(self, a: DemoArticle) -> str:
        return f"/{a.section_slug}/pr-{self.story_id(a)}/{a.slug}"

    def dateline(self, a: DemoArticle) -> str:
        return f"KABARNUSANTARA - {self.city.upper()} - "

    def date_line(self, a: DemoArticle) -> str:
        return f"{self.long_date(a)} | {a.clock:%H:%M} {self.zone}"

    def _sections(self) -> list[str]:
        return sorted({a.section for a in self.articles})

    def frame(self, title: str, main: str, *, head: str = "", current: DemoArticle | None = None) -> str:
        nav = "".join(f'<li><a href="/{slugify(s)}">{esc(s)}</a></li>' for s in self._sections())
        popular = "".join(
            f'<li><a href="{self.article_path(a)}">{esc(a.title)}</a><span>{self.date_line(a)}</span></li>'
            for a in self.popular(current, n=3)
        )
        return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta property="og:site_name" content="{esc(self.name)}">
{head}
</head>
<body>
<header class="header"><a class="header__logo" href="/">{esc(self.name)}</a>
  <span class="header__network">Jaringan {esc(self.network)}</span>
  <nav class="nav"><ul><li><a href="/">Beranda</a></li>{nav}</ul></nav>
  <form class="search" action="/cari"><input name="q" placeholder="Cari"></form>
  <a class="header__search" href="/cari?q=banjir">Cari</a> <a class="header__login" href="/akun/masuk">Masuk</a></header>
<div class="ads ads--top"><span>ADVERTISEMENT</span></div>
<main class="main">
{main}
</main>
<aside class="sidebar"><h3>Terpopuler</h3><ol class="most">{popular}</ol></aside>
<footer class="footer"><a href="/redaksi">Redaksi</a> | <a href="/pedoman-media-siber">Pedoman Media Siber</a>
  <p>&copy; 2026 {esc(self.name)} &middot; Jaringan {esc(self.network)}</p></footer>
</body>
</html>
"""

    def story_blocks(self, a: DemoArticle, page: int | None) -> list[str]:
        """The ``<p>`` blocks of the story text on page ``page`` (None: the whole story)."""
        paras = [p for pg in self.paragraphs(a) for p in pg]
        related = self.related(a, 1)
        blocks = []
        for i, p in enumerate(paras):
            text = esc(p) + (f" ({esc(a.initials)})" if i == len(paras) - 1 and a.initials else "")
            blocks.append(f"<p>{text}</p>")
            if i == 0 and related:
                blocks.append(f'<p><strong>Baca Juga:</strong> <a href="{self.article_path(related[0])}">'
                              f"{esc(related[0].title)}</a></p>")
        return blocks

    def pager(self, a: DemoArticle, page: int | None) -> str:
        """The pager under the story (none: every story is on one page)."""
        return ""

    def article_page(self, a: DemoArticle, page: int | None, req: Request) -> str:
        blocks = self.story_blocks(a, page)
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
            "datePublished": self.published_dt(a).isoformat(), "dateModified": self.modified_dt(a).isoformat(),
            "author": {"@type": "Person", "name": a.author or "Tim Redaksi"},
            "publisher": {"@type": "Organization", "name": self.name},
            "mainEntityOfPage": self.url(a),
        }
        head = (f'<link rel="canonical" href="{self.url(a)}">\n'
                f'<meta property="og:type" content="article">\n<meta property="og:title" content="{esc(a.title)}">\n'
                f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
        tags = " ".join(f'<a href="/tag/{slugify(t)}">{esc(t)}</a>' for t in a.tags)
        byline = f'<div class="read__author">Penulis: {esc(a.author)}</div>' if a.author else ""
        figure = (f'<figure class="read__photo"><img src="/foto/{self.story_id(a)}.jpg" alt="">'
                  f"<figcaption>{esc(a.caption)}</figcaption></figure>" if a.caption else "")
        main = f"""<div class="breadcrumb"><a href="/">Beranda</a> / <a href="/{a.section_slug}">{esc(a.section)}</a></div>
<article class="read">
  <h1 class="read__title">{esc(a.title)}</h1>
  <div class="read__info">{byline}<div class="read__date">{self.date_line(a)}</div></div>
  {figure}
  <div class="read__content">
{chr(10).join(blocks)}
  </div>
  {self.pager(a, page)}
  <div class="read__tags">Tags: {tags}</div>
  <div class="read__share">Bagikan: <a href="https://wa.me/?text={self.url(a)}">WhatsApp</a>
    <a href="https://www.facebook.com/sharer.php?u={self.url(a)}">Facebook</a></div>
  <div class="comments"><h3>Komentar</h3><p>Masuk untuk menulis komentar. Komentar yang melanggar pedoman
    akan dihapus.</p></div>
</article>"""
        return self.frame(f"{a.title} - {self.name}", main, head=head, current=a)

    def cards(self, articles: list[DemoArticle]) -> str:
        return "".join(
            f'<div class="latest__item"><h2 class="latest__title"><a href="{self.article_path(a)}">{esc(a.title)}'
            f'</a></h2><span class="latest__date">{self.date_line(a)}</span></div>'
            for a in articles
        )

    def _listing(self, heading: str, articles: list[DemoArticle], path: str):
        def handler(req: Request) -> Response:
            main = f'<h1 class="page__title">{esc(heading)}</h1><div class="latest">{self.cards(articles)}</div>'
            return self.html(self.frame(f"{heading} - {self.name}", main,
                                        head=f'<link rel="canonical" href="{self.base_url}{path}">'))

        return handler

    def _static(self, title: str, text: str, path: str):
        def handler(req: Request) -> Response:
            main = f'<h1 class="page__title">{esc(title)}</h1><div class="static"><p>{esc(text)}</p></div>'
            return self.html(self.frame(f"{title} - {self.name}", main,
                                        head=f'<link rel="canonical" href="{self.base_url}{path}">'))

        return handler

    def _search(self, req: Request) -> Response:
        q = req.query.get("q", "")
        hits = [a for a in self.articles if q and q.lower() in (a.title + " " + self.body(a)).lower()]
        main = f'<h1 class="page__title">Hasil pencarian: {esc(q)}</h1><div class="latest">{self.cards(hits)}</div>'
        return self.html(self.frame(f"Cari: {q} - {self.name}", main, head='<meta name="robots" content="noindex">'))

    def news_sitemap(self, req: Request, articles: list[DemoArticle] | None = None) -> Response:
        """A Google News sitemap of ``articles`` (default: all): ``news:publication_date`` with the
        host's own offset."""
        urls = "\n".join(
            f"<url><loc>{esc(req.origin + self.article_path(a))}</loc><news:news><news:publication>"
            f"<news:name>{esc(self.name)}</news:name><news:language>id</news:language></news:publication>"
            f"<news:publication_date>{self.published_dt(a).isoformat()}</news:publication_date>"
            f"<news:title>{esc(a.title)}</news:title></news:news></url>"
            for a in (self.articles if articles is None else articles)
        )
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="{NEWS_NS}">\n'
                + urls + "\n</urlset>\n")
        return Response(200, XML, body.encode("utf-8"), self.latest_dt())

    def site_routes(self):
        routes = {
            "/": self._listing("Berita Terkini", self.articles, "/"),
            "/redaksi": self._static("Redaksi", f"{self.name} adalah bagian dari Jaringan {self.network}. "
                                     f"Kantor biro: Jalan Merdeka 17, {self.city}.", "/redaksi"),
            "/pedoman-media-siber": self._static(
                "Pedoman Media Siber", "Redaksi menjunjung tinggi kode etik jurnalistik dan menerima hak jawab.",
                "/pedoman-media-siber"),
            "/cari": self._search,
            "/akun/masuk": self._static("Masuk", "Masuk dengan akun Kabar Nusantara Anda.", "/akun/masuk"),
            "/sitemap.xml": lambda req: self.sitemapindex(req, ["/sitemap-news.xml", "/sitemap-kanal.xml"]),
            "/sitemap-news.xml": self.news_sitemap,
            "/sitemap-kanal.xml": lambda req: self.urlset(
                req, [("/", None), *((f"/{slugify(s)}", None) for s in self._sections())]),
        }
        for s in self._sections():
            routes[f"/{slugify(s)}"] = self._listing(s, [a for a in self.articles if a.section == s], f"/{slugify(s)}")
        for t in sorted({t for a in self.articles for t in a.tags}):
            routes[f"/tag/{slugify(t)}"] = self._listing(f"Tag: {t}", [a for a in self.articles if t in a.tags],
                                                          f"/tag/{slugify(t)}")
        return routes

    def non_article_paths(self) -> list[str]:
        return ["/", "/redaksi", "/pedoman-media-siber", "/cari?q=banjir", "/akun/masuk",
                *(f"/{slugify(s)}" for s in self._sections()),
                *(f"/tag/{slugify(t)}" for t in sorted({t for a in self.articles for t in a.tags}))]


class NusantaraBandung(NusantaraHost):
    slug = "nusantara-bandung"
    name = "Kabar Nusantara Bandung"
    base_url = "https://bandung.kabarnusantara.example"
    timezone = "Asia/Jakarta"
    city = "Bandung"
    id_base = 7_014_200


class NusantaraSemarang(NusantaraHost):
    slug = "nusantara-semarang"
    name = "Kabar Nusantara Semarang"
    base_url = "https://semarang.kabarnusantara.example"
    timezone = "Asia/Jakarta"
    city = "Semarang"
    id_base = 7_015_300


class NusantaraMakassar(NusantaraHost):
    slug = "nusantara-makassar"
    name = "Kabar Nusantara Makassar"
    base_url = "https://makassar.kabarnusantara.example"
    timezone = "Asia/Makassar"
    city = "Makassar"
    id_base = 7_016_400


NETWORK_HOSTS = (NusantaraBandung, NusantaraSemarang, NusantaraMakassar)
