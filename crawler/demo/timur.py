"""Templates of the small eastern sites: ``warta-celebes`` (WITA, Blogger) and ``kabar-papua`` (WIT)."""

from __future__ import annotations

from .data import DemoArticle, slugify, tanggal_kurung
from .site import DemoSite, Request, Response, esc


class SmallSite(DemoSite):
    """A plain template: no JSON-LD, no article meta tags, the date only as visible text."""

    places: tuple[str, ...] = ()
    tagline = ""
    search_path = "/cari"
    about_path = "/tentang-kami"
    about_text: tuple[str, ...] = ()

    def _place(self, a: DemoArticle) -> str:
        for place in self.places:
            if place in a.tags or place in a.title:
                return place.upper()
        return self.places[0].upper()

    def section_path(self, section: str) -> str:
        return f"/kategori/{slugify(section)}/"

    def tag_path(self, tag: str) -> str:
        return f"/tag/{slugify(tag)}"

    def _sections(self) -> list[str]:
        return sorted({a.section for a in self.articles})

    def _tags(self) -> list[str]:
        return sorted({t for a in self.articles for t in a.tags})

    def short_date(self, a: DemoArticle) -> str:
        return self.long_date(a)

    def info_line(self, a: DemoArticle) -> str:
        raise NotImplementedError

    def author_line(self, a: DemoArticle) -> str:
        return ""

    def frame(self, title: str, main: str, *, head: str = "", current: DemoArticle | None = None) -> str:
        menu = "".join(f'<li><a href="{self.section_path(s)}">{esc(s)}</a></li>' for s in self._sections())
        popular = "".join(
            f'<li><a href="{self.article_path(a)}">{esc(a.title)}</a><br><small>{self.short_date(a)}</small></li>'
            for a in self.popular(current, n=4)
        )
        return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
{head}
<link rel="stylesheet" href="/style.css">
</head>
<body>
<div id="wrap">
<div id="header">
  <div class="logo"><a href="/">{esc(self.name)}</a></div>
  <div class="tagline">{esc(self.tagline)}</div>
  <ul id="menu"><li><a href="/">Beranda</a></li>{menu}<li><a href="{self.about_path}">Tentang Kami</a></li>
  <li><a href="{self.search_path}?q=banjir">Cari</a></li></ul>
</div>
<div id="content">
{main}
</div>
<div id="sidebar">
  <h3>Terpopuler</h3><ul class="populer">{popular}</ul>
  <h3>Kategori</h3><ul>{menu}</ul>
</div>
<div id="footer">&copy; 2019&ndash;2026 {esc(self.name)}. Dilarang mengutip tanpa menyebut sumber.</div>
</div>
</body>
</html>
"""

    def article_page(self, a: DemoArticle, page: int | None, req: Request) -> str:
        paras = [p for pg in self.paragraphs(a) for p in pg]
        dl = self.dateline(a)
        blocks = [f"<p><b>{esc(dl.rstrip(' -–'))}</b> {esc(dl[len(dl.rstrip(' -–')):].strip())} "
                  f"{esc(paras[0][len(dl):])}</p>"]
        blocks += [f"<p>{esc(p)}</p>" for p in paras[1:]]
        comments = "".join(
            f'<div class="komen"><b>{esc(n)}</b> <small>{self.short_date(a)}</small><p>{esc(t)}</p></div>'
            for n, t in a.comments
        )
        tags = ", ".join(f'<a href="{self.tag_path(t)}">{esc(t)}</a>' for t in a.tags)
        main = f"""<div class="post">
  <h1 class="judul">{esc(a.title)}</h1>
  <div class="info">{self.info_line(a)}</div>
  <div class="isi">
{chr(10).join(blocks)}
  </div>
  {self.author_line(a)}
  <div class="label">Label: {tags}</div>
  <div class="bagikan">Bagikan: <a href="https://www.facebook.com/sharer.php?u={self.url(a)}">Facebook</a>
   | <a href="https://wa.me/?text={self.url(a)}">WhatsApp</a></div>
</div>
<div id="komentar"><h3>Komentar ({len(a.comments)})</h3>{comments}
  <p class="tulis">Tulis komentar Anda. Komentar yang mengandung SARA tidak akan ditampilkan.</p></div>"""
        head = (f'<link rel="canonical" href="{self.url(a)}">\n'
                f'<meta name="description" content="{esc(self.excerpt(a))}">\n'
                f'<meta property="og:title" content="{esc(a.title)}">')
        return self.frame(f"{a.title} | {self.name}", main, head=head, current=a)

    def listing(self, heading: str, articles: list[DemoArticle]) -> str:
        items = "".join(
            f'<div class="ringkas"><h2><a href="{self.article_path(a)}">{esc(a.title)}</a></h2>'
            f'<small>{self.short_date(a)}</small><p>{esc(self.excerpt(a))}</p>'
            f'<a href="{self.article_path(a)}">Baca selengkapnya &raquo;</a></div>'
            for a in articles
        )
        return f'<h2 class="halaman">{esc(heading)}</h2>{items}'

    def _list(self, heading: str, articles: list[DemoArticle], path: str):
        def handler(req: Request) -> Response:
            return self.html(self.frame(f"{heading} | {self.name}", self.listing(heading, articles),
                                        head=f'<link rel="canonical" href="{self.base_url}{path}">'))

        return handler

    def _search(self, req: Request) -> Response:
        q = req.query.get("q", "")
        hits = [a for a in self.articles if q and q.lower() in (a.title + " " + self.body(a)).lower()]
        return self.html(self.frame(f"Cari: {q} | {self.name}", self.listing(f"Hasil pencarian: {q}", hits),
                                    head='<meta name="robots" content="noindex">'))

    def _about(self, req: Request) -> Response:
        main = '<div class="post"><h1 class="judul">Tentang Kami</h1><div class="isi">' + "".join(
            f"<p>{esc(p)}</p>" for p in self.about_text) + "</div></div>"
        return self.html(self.frame(f"Tentang Kami | {self.name}", main,
                                    head=f'<link rel="canonical" href="{self.base_url}{self.about_path}">'))

    def common_routes(self) -> dict:
        routes = {
            "/": self._list("Berita Terbaru", self.articles[:10], "/"),
            self.search_path: self._search,
            self.about_path: self._about,
        }
        for s in self._sections():
            routes[self.section_path(s)] = self._list(
                f"Kategori: {s}", [a for a in self.articles if a.section == s], self.section_path(s))
        for t in self._tags():
            routes[self.tag_path(t)] = self._list(
                f"Label: {t}", [a for a in self.articles if t in a.tags], self.tag_path(t))
        return routes

    def common_non_articles(self) -> list[str]:
        return ["/", f"{self.search_path}?q=banjir", self.about_path,
                *(self.section_path(s) for s in self._sections()), *(self.tag_path(t) for t in self._tags())]


class WartaCelebes(SmallSite):
    """A Blogger-hosted site from Makassar: ``/YYYY/MM/slug.html``, Atom feed, ``/search`` disallowed."""

    slug = "warta-celebes"
    name = "Warta Celebes"
    base_url = "https://wartacelebes.example"
    timezone = "Asia/Makassar"
    tagline = "Kabar Sulawesi Selatan, dari Makassar untuk Indonesia"
    places = ("Makassar", "Gowa", "Maros", "Bone", "Parepare", "Palopo", "Bulukumba", "Toraja")
    search_path = "/search"
    about_path = "/p/tentang-kami.html"
    disallowed = ("/search",)
    sitemaps = ("/sitemap.xml",)
    about_text = (
        "Warta Celebes adalah blog berita warga yang dikelola sukarelawan jurnalis di Makassar sejak 2018.",
        "Kontak redaksi: wartacelebes@mail.example. Kami menerima tulisan warga tentang Sulawesi Selatan.",
    )

    def article_path(self, a: DemoArticle) -> str:
        return f"/{a.day:%Y/%m}/{slugify(a.title, 6)}.html"

    def section_path(self, section: str) -> str:
        return f"/search/label/{section.replace(' ', '%20')}"

    def tag_path(self, tag: str) -> str:
        return f"/search/label/{tag.replace(' ', '%20')}"

    def dateline(self, a: DemoArticle) -> str:
        return f"{self._place(a)}, WartaCelebes.example - "

    def short_date(self, a: DemoArticle) -> str:
        return f"{self.long_date(a)} | {a.clock:%H.%M} WITA" if a.clock else self.long_date(a)

    def info_line(self, a: DemoArticle) -> str:
        by = f'<span class="oleh">Oleh: {esc(a.author)}</span> &middot; ' if a.author else ""
        return f'{by}<span class="tanggal">{self.short_date(a)}</span>'

    def _months(self) -> list[str]:
        return sorted({f"/{a.day:%Y/%m}/" for a in self.articles})

    def site_routes(self):
        routes = self.common_routes()
        for m in self._months():
            routes[m] = self._list(f"Arsip {m.strip('/')}", [a for a in self.articles if f"/{a.day:%Y/%m}/" == m], m)
        routes["/feeds/posts/default"] = lambda req: self.atom(req, self.name, self.articles, "/feeds/posts/default")
        routes["/sitemap.xml"] = lambda req: self.urlset(
            req, [(self.article_path(a), self.modified_dt(a)) for a in self.articles])
        return routes

    def frame(self, title: str, main: str, *, head: str = "", current: DemoArticle | None = None) -> str:
        head += ('\n<link rel="alternate" type="application/atom+xml" title="Warta Celebes - Atom" '
                 'href="/feeds/posts/default">\n<meta name="generator" content="Blogger">')
        return super().frame(title, main, head=head, current=current)

    def non_article_paths(self) -> list[str]:
        return [*self.common_non_articles(), *self._months()]


class KabarPapua(SmallSite):
    """A home-made CMS from Jayapura: dates like ``Senin (20/1/2020) pukul 08.15 WIT``, author at the end."""

    slug = "kabar-papua"
    name = "Kabar Papua"
    base_url = "https://www.kabarpapua.example"
    timezone = "Asia/Jayapura"
    tagline = "Suara dari Tanah Papua"
    places = ("Jayapura", "Sentani", "Merauke", "Wamena", "Biak", "Timika", "Nabire", "Keerom")
    disallowed = ("/cari", "/admin/")
    sitemaps = ("/sitemap.xml",)
    about_text = (
        "Kabar Papua adalah media daring independen yang berkantor di Abepura, Kota Jayapura.",
        "Redaksi: Yohanes Wenda (pemimpin redaksi), Maria Rumbiak, Elias Kogoya.",
    )

    def article_path(self, a: DemoArticle) -> str:
        return f"/{a.section_slug}/{a.day:%Y/%m/%d}/{a.slug}"

    def section_path(self, section: str) -> str:
        return f"/{slugify(section)}"

    def dateline(self, a: DemoArticle) -> str:
        return f"{self._place(a)} (KabarPapua) - "

    def short_date(self, a: DemoArticle) -> str:
        when = tanggal_kurung(a.day)
        return f"{when} pukul {a.clock:%H.%M} WIT" if a.clock else when

    def info_line(self, a: DemoArticle) -> str:
        return (f'<span class="kategori"><a href="{self.section_path(a.section)}">{esc(a.section)}</a></span> '
                f'&mdash; <span class="waktu">{self.short_date(a)}</span>')

    def author_line(self, a: DemoArticle) -> str:
        return f'<p class="penulis">Penulis: {esc(a.author)}</p>' if a.author else ""

    def _admin(self, req: Request) -> Response:
        return self.html('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Login Admin</title></head>'
                         '<body><form method="post"><input name="user"><input type="password" name="pass">'
                         '<button>Masuk</button></form></body></html>')

    def frame(self, title: str, main: str, *, head: str = "", current: DemoArticle | None = None) -> str:
        head += '\n<link rel="alternate" type="application/rss+xml" title="Kabar Papua" href="/rss.xml">'
        main += '\n<p class="admin-link"><a href="/admin/">Admin</a></p>'
        return super().frame(title, main, head=head, current=current)

    def site_routes(self):
        routes = self.common_routes()
        routes["/admin/"] = self._admin
        routes["/rss.xml"] = lambda req: self.rss(req, self.name, self.articles, "/rss.xml")
        routes["/sitemap.xml"] = lambda req: self.urlset(
            req, [(self.article_path(a), self.modified_dt(a)) for a in self.articles])
        return routes

    def non_article_paths(self) -> list[str]:
        return [*self.common_non_articles(), "/admin/"]
