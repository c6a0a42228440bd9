"""Template of ``suara-pantura``: a big portal of the north Java coast, with multi-page stories."""

from __future__ import annotations

import json
from datetime import date, time

from .data import DemoArticle, slugify
from .site import DemoSite, Request, Response, esc

INDEX_PAGE_SIZE = 6  # stories per /indeks/ page
EDITOR_INITIALS = {"Agus Salim": "ags", "Rina Kartika": "rin"}

#: A story still under embargo: it exists and is linked, but robots.txt forbids its folder.
PREVIEW = DemoArticle(
    site="suara-pantura", number=999, title="[PRATINJAU] Draf: Pemkab Batang Siapkan Lahan Relokasi Pedagang Alun-alun",
    section="Pratinjau", day=date(2020, 3, 2), clock=time(7, 0), modified=None, author="Wahyu Hidayat",
    initials="why", editor="Agus Salim", tags=["Batang"], caption="", comments=[],
    pages=[[
        "Naskah ini masih dalam penyuntingan dan belum boleh diterbitkan sebelum embargo dicabut.",
        "Pemerintah Kabupaten Batang menyiapkan lahan seluas dua hektare untuk merelokasi pedagang yang "
        "selama ini berjualan di sekitar alun-alun. Rencana itu akan dibahas bersama paguyuban pedagang.",
        "Kepala Dinas Perdagangan menyebut relokasi ditargetkan selesai sebelum Ramadan.",
    ]],
)
PREVIEW_PATH = "/berita/pratinjau/99001/pemkab-batang-siapkan-lahan-relokasi-pedagang-alun-alun"


class SuaraPantura(DemoSite):
    slug = "suara-pantura"
    name = "Suara Pantura"
    base_url = "https://www.suarapantura.example"
    timezone = "Asia/Jakarta"
    disallowed = ("/cari/", "/berita/pratinjau/")
    sitemaps = ("/sitemap.xml",)

    def story_id(self, a: DemoArticle) -> int:
        return 10040 + a.number * 113

    def article_path(self, a: DemoArticle) -> str:
        return f"/berita/{a.section_slug}/{self.story_id(a)}/{a.slug}"

    def dateline(self, a: DemoArticle) -> str:
        return f"SUARAPANTURA.EXAMPLE, {self._place(a)} - "

    def _place(self, a: DemoArticle) -> str:
        for place in ("Brebes", "Tegal", "Pemalang", "Pekalongan", "Batang", "Kendal", "Indramayu", "Cirebon"):
            if place in a.tags or place in a.title:
                return place.upper()
        return "TEGAL"

    def date_line(self, a: DemoArticle) -> str:
        return f"{self.long_date(a)} | {a.clock:%H:%M} WIB"

    def initials(self, a: DemoArticle) -> str:
        editor = EDITOR_INITIALS.get(a.editor or "", "red")
        return f"({a.initials}/{editor})" if a.author else f"({editor})"

    def _sections(self) -> list[str]:
        return sorted({a.section for a in self.articles})

    def _tags(self) -> list[str]:
        return sorted({t for a in self.articles for t in a.tags})

    # -- frame -----------------------------------------------------------------------
    def frame(self, title: str, main: str, *, head: str = "", current: DemoArticle | None = None) -> str:
        nav = "".join(f'<li><a href="/berita/{slugify(s)}/">{esc(s)}</a></li>' for s in self._sections())
        popular = "".join(
            f'<li><span class="num">{k}</span><a href="{self.article_path(a)}">{esc(a.title)}</a>'
            f'<time>{self.date_line(a)}</time></li>'
            for k, a in enumerate(self.popular(current, n=5), 1)
        )
        return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="alternate" type="application/rss+xml" href="/rss/" title="RSS Suara Pantura">
{head}
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
</head>
<body>
<header class="header">
  <div class="header__top"><a class="logo" href="/"><img src="/assets/img/logo-suarapantura.svg" alt="Suara Pantura"></a>
    <form class="search" action="/cari/" method="get"><input name="q" placeholder="Cari berita..."></form></div>
  <nav class="nav"><ul><li><a href="/">Home</a></li>{nav}<li><a href="/indeks/">Indeks</a></li></ul></nav>
</header>
<div class="ads ads--leaderboard"><span class="ads__label">ADVERTISEMENT</span><div class="ads__slot" id="div-gpt-ad-top"></div></div>
<div class="container">
<div class="column-main">
{main}
</div>
<aside class="column-side">
  <div class="ads ads--side"><span class="ads__label">ADVERTISEMENT</span><div class="ads__slot" id="div-gpt-ad-side"></div></div>
  <div class="box box--popular"><h3 class="box__title">Terpopuler</h3><ol>{popular}</ol></div>
</aside>
</div>
<footer class="footer">
  <ul class="footer__links"><li><a href="/redaksi/">Redaksi</a></li><li><a href="/indeks/">Indeks Berita</a></li>
  <li><a href="/rss/">RSS</a></li><li><a href="/cari/?q=pantura">Pencarian</a></li></ul>
  <p class="footer__copy">Copyright &copy; 2026 SuaraPantura.example &middot; PT Pantura Media Nusantara. All rights reserved.</p>
</footer>
</body>
</html>
"""

    # -- article -----------------------------------------------------------------------
    def jsonld(self, a: DemoArticle, url: str) -> str:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": a.title,
            "image": [f"{self.base_url}/foto/{a.day:%Y/%m}/{self.story_id(a)}.jpg"],
            "datePublished": self.published_dt(a).isoformat(),
            "dateModified": self.modified_dt(a).isoformat(),
            "articleSection": a.section,
            "keywords": ", ".join(a.tags),
            "publisher": {"@type": "Organization", "name": "Suara Pantura",
                          "logo": {"@type": "ImageObject", "url": f"{self.base_url}/assets/img/logo.png"}},
        }
        if a.author:
            data["author"] = {"@type": "Person", "name": a.author}
        crumbs = {
            "@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{self.base_url}/"},
                {"@type": "ListItem", "position": 2, "name": a.section,
                 "item": f"{self.base_url}/berita/{a.section_slug}/"},
            ],
        }
        return (f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>\n'
                f'<script type="application/ld+json">{json.dumps(crumbs, ensure_ascii=False)}</script>')

    def article_page(self, a: DemoArticle, page: int | None, req: Request, *, path: str | None = None) -> str:
        path = path or self.article_path(a)
        url = self.base_url + path
        pages = self.paragraphs(a)
        shown = [p for pg in pages for p in pg] if page is None else pages[page - 1]
        last = page is None or page == len(pages)
        related = self.related(a, 4)
        blocks = []
        for i, p in enumerate(shown):
            blocks.append(f"<p>{esc(p)}</p>")
            if i == 1 and len(shown) > 2 and related:
                r = related[(page or 1) % len(related)]
                blocks.append(f'<p>Baca juga: <a href="{self.article_path(r)}">{esc(r.title)}</a></p>')
            if i == 2 and len(shown) > 3:
                blocks.append('<div class="ads ads--inarticle"><span class="ads__label">ADVERTISEMENT</span>'
                              '<div class="ads__slot" id="div-gpt-ad-inarticle"></div></div>')
        if last:
            blocks.append(f"<p><strong>{esc(self.initials(a))}</strong></p>")
        pager = ""
        if len(pages) > 1:
            links = []
            for n in range(1, len(pages) + 1):
                cls = ' class="active"' if n == page else ""
                links.append(f'<a{cls} href="{path}?page={n}">{n}</a>')
            pager = '<div class="read__paging"><span>Halaman:</span> ' + " ".join(links)
            if page is not None and page < len(pages):
                pager += f' <a class="read__next" rel="next" href="{path}?page={page + 1}">Halaman selanjutnya</a>'
            pager += f' <a class="read__all" href="{path}?page=all">Tampilkan semua</a></div>'
        reporter = (f'<div class="read__reporter">Reporter: <a href="/tag/{slugify(a.author)}/">{esc(a.author)}</a></div>'
                    if a.author else "")
        editor = f'<div class="read__editor">Editor: {esc(a.editor)}</div>' if a.editor else ""
        caption = ""
        if a.caption and (page or 1) == 1:
            credit = a.author or "Dok. Suara Pantura"
            caption = (f'<figure class="read__photo"><img src="/foto/{a.day:%Y/%m}/{self.story_id(a)}.jpg" '
                       f'alt="{esc(a.title)}"><figcaption>{esc(a.caption)} '
                       f'<span class="credit">(Foto: SuaraPantura.example/{esc(credit)})</span></figcaption></figure>')
        tags = " ".join(f'<a href="/tag/{slugify(t)}/">{esc(t)}</a>' for t in a.tags)
        terkait = "".join(
            f'<li><a href="{self.article_path(r)}">{esc(r.title)}</a><time>{self.date_line(r)}</time></li>'
            for r in related[:3]
        )
        head = (
            f'<link rel="canonical" href="{url}">\n'
            f'<meta name="description" content="{esc(self.excerpt(a))}">\n'
            f'<meta property="og:type" content="article">\n<meta property="og:title" content="{esc(a.title)}">\n'
            f'<meta property="og:url" content="{url}">\n<meta property="og:site_name" content="Suara Pantura">\n'
            f'<meta name="content_PublishedDate" content="{self.published_dt(a):%Y-%m-%d %H:%M:%S}">\n'
            + self.jsonld(a, url)
        )
        main = f"""<div class="breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/berita/{a.section_slug}/">{esc(a.section)}</a></div>
<div class="read">
  <h1 class="read__title">{esc(a.title)}</h1>
  <div class="read__meta">{reporter}{editor}<time class="read__time">{self.date_line(a)}</time></div>
  {caption}
  <div class="read__content" id="isi">
{chr(10).join(blocks)}
  </div>
  {pager}
  <div class="read__tags">Tag: {tags}</div>
  <div class="read__share">Bagikan: <a href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a>
    <a href="https://twitter.com/intent/tweet?url={url}">Twitter</a> <a href="https://wa.me/?text={url}">WhatsApp</a></div>
  <div class="box box--related"><h3 class="box__title">Berita Terkait</h3><ul>{terkait}</ul></div>
  <div class="ads ads--bottom"><span class="ads__label">ADVERTISEMENT</span><div class="ads__slot"></div></div>
  <div class="komentar"><h3>Komentar</h3><p>Gunakan bahasa yang santun. Komentar menjadi tanggung jawab pengirim.</p>
    <div id="disqus_thread"></div></div>
</div>"""
        return self.frame(f"{a.title} | Suara Pantura", main, head=head, current=a)

    # -- other pages -------------------------------------------------------------------
    def cards(self, articles: list[DemoArticle]) -> str:
        return "".join(
            f'<div class="card"><a class="card__title" href="{self.article_path(a)}">{esc(a.title)}</a>'
            f'<div class="card__meta"><a href="/berita/{a.section_slug}/">{esc(a.section)}</a> &middot; '
            f'<time>{self.date_line(a)}</time></div><p class="card__lead">{esc(self.excerpt(a))}</p></div>'
            for a in articles
        )

    def _index(self, page: int, pages: int):
        def handler(req: Request) -> Response:
            chunk = self.articles[(page - 1) * INDEX_PAGE_SIZE: page * INDEX_PAGE_SIZE]
            nav = '<div class="paging">'
            if page > 1:
                nav += f'<a class="prev" href="/indeks/?page={page - 1}">&laquo; Sebelumnya</a> '
            nav += f"<span>Halaman {page} dari {pages}</span>"
            if page < pages:
                nav += f' <a class="next" href="/indeks/?page={page + 1}">Selanjutnya &raquo;</a>'
            nav += "</div>"
            main = f'<h1 class="page-title">Indeks Berita</h1><div class="list">{self.cards(chunk)}</div>{nav}'
            head = f'<link rel="canonical" href="{self.base_url}/indeks/?page={page}">'
            return self.html(self.frame(f"Indeks Berita - Halaman {page} | Suara Pantura", main, head=head))

        return handler

    def _list(self, heading: str, articles: list[DemoArticle], path: str):
        def handler(req: Request) -> Response:
            main = f'<h1 class="page-title">{esc(heading)}</h1><div class="list">{self.cards(articles)}</div>'
            return self.html(self.frame(f"{heading} | Suara Pantura", main,
                                        head=f'<link rel="canonical" href="{self.base_url}{path}">'))

        return handler

    def _home(self, req: Request) -> Response:
        top, rest = self.articles[0], self.articles[1:9]
        main = (
            f'<div class="headline"><a href="{self.article_path(top)}"><h2>{esc(top.title)}</h2></a>'
            f'<p>{esc(self.excerpt(top, 40))}</p><time>{self.date_line(top)}</time></div>'
            f'<div class="embargo"><span>Segera terbit:</span> <a href="{PREVIEW_PATH}">{esc(PREVIEW.title)}</a></div>'
            f'<h2 class="section-title">Berita Terkini</h2><div class="list">{self.cards(rest)}</div>'
            '<a class="more" href="/indeks/">Indeks berita lainnya &raquo;</a>'
        )
        head = (f'<link rel="canonical" href="{self.base_url}/">\n<meta property="og:type" content="website">\n'
                '<script type="application/ld+json">{"@context":"https://schema.org","@type":"WebSite",'
                f'"name":"Suara Pantura","url":"{self.base_url}/"}}</script>')
        return self.html(self.frame("Suara Pantura - Berita Pantai Utara Jawa Terkini", main, head=head))

    def _search(self, req: Request) -> Response:
        q = req.query.get("q", "")
        hits = [a for a in self.articles if q and q.lower() in (a.title + " " + self.body(a)).lower()]
        main = f'<h1 class="page-title">Hasil pencarian: {esc(q)}</h1><div class="list">{self.cards(hits)}</div>'
        return self.html(self.frame(f"Cari: {q} | Suara Pantura", main,
                                    head='<meta name="robots" content="noindex">'))

    def _preview(self, req: Request) -> Response:
        html = self.article_page(PREVIEW, 1, req, path=PREVIEW_PATH)
        return self.html(html.replace('<meta property="og:type" content="article">',
                                      '<meta name="robots" content="noindex, nofollow">\n'
                                      '<meta property="og:type" content="article">'))

    def _redaksi(self, req: Request) -> Response:
        main = ('<h1 class="page-title">Redaksi</h1><div class="static">'
                "<p>Suara Pantura diterbitkan oleh PT Pantura Media Nusantara, Jalan Pantura Km 4, Tegal, Jawa Tengah.</p>"
                "<p>Pemimpin Redaksi: Hadi Prasetyo. Redaktur: Agus Salim, Rina Kartika. Reporter: Arif Rahman "
                "(Brebes), Nur Aini (Tegal), Bambang Sutejo (Pemalang), Wahyu Hidayat (Batang dan Pekalongan).</p>"
                "<p>Redaksi menerima hak jawab dan koreksi melalui surel redaksi@suarapantura.example.</p></div>")
        return self.html(self.frame("Redaksi | Suara Pantura", main,
                                    head=f'<link rel="canonical" href="{self.base_url}/redaksi/">'))

    def _index_pages(self) -> int:
        return max(1, -(-len(self.articles) // INDEX_PAGE_SIZE))

    def site_routes(self):
        routes = {"/": self._home, "/cari/": self._search, "/redaksi/": self._redaksi, PREVIEW_PATH: self._preview}
        pages = self._index_pages()
        routes["/indeks/"] = self._index(1, pages)
        for n in range(1, pages + 1):
            routes[f"/indeks/?page={n}"] = self._index(n, pages)
        for s in self._sections():
            path = f"/berita/{slugify(s)}/"
            routes[path] = self._list(f"Berita {s}", [a for a in self.articles if a.section == s], path)
        for t in self._tags():
            path = f"/tag/{slugify(t)}/"
            routes[path] = self._list(f"Tag: {t}", [a for a in self.articles if t in a.tags], path)
        for au in {a.author for a in self.articles if a.author}:
            path = f"/tag/{slugify(au)}/"
            routes[path] = self._list(f"Berita oleh {au}", [a for a in self.articles if a.author == au], path)
        routes["/rss/"] = lambda req: self.rss(req, "Suara Pantura - Berita Terkini", self.articles[:10], "/rss/")
        routes["/sitemap.xml"] = lambda req: self.sitemapindex(req, ["/sitemap-berita.xml", "/sitemap-halaman.xml"])
        routes["/sitemap-berita.xml"] = lambda req: self.urlset(
            req, [(self.article_path(a), self.modified_dt(a)) for a in self.articles])
        routes["/sitemap-halaman.xml"] = lambda req: self.urlset(
            req, [("/", None), ("/indeks/", None), ("/redaksi/", None),
                  *((f"/berita/{slugify(s)}/", None) for s in self._sections())])
        return routes

    def non_article_paths(self) -> list[str]:
        return [
            "/", "/indeks/", *(f"/indeks/?page={n}" for n in range(1, self._index_pages() + 1)),
            *(f"/berita/{slugify(s)}/" for s in self._sections()),
            *(f"/tag/{slugify(t)}/" for t in self._tags()),
            *(f"/tag/{slugify(au)}/" for au in sorted({a.author for a in self.articles if a.author})),
            "/redaksi/", "/cari/?q=pantura", PREVIEW_PATH,
        ]
