"""Template of ``kabar-lebak``: a WordPress news theme from Banten, like the seed page."""

from __future__ import annotations

from .data import DemoArticle, slugify
from .site import BLANK_GIF, DemoSite, Request, Response, esc

POSTS_PER_PAGE = 10  # home and archive pages, as WordPress "Blog pages show at most"
POSTS_PER_SITEMAP = 8  # small on purpose, so the sitemap index has several children


class KabarLebak(DemoSite):
    slug = "kabar-lebak"
    name = "Kabar Lebak"
    base_url = "https://www.kabarlebak.example"
    timezone = "Asia/Jakarta"
    disallowed = ("/wp-admin/", "/cari/")
    sitemaps = ("/wp-sitemap.xml",)

    def article_path(self, a: DemoArticle) -> str:
        return f"/{a.day:%Y/%m/%d}/{a.slug}/"

    def dateline(self, a: DemoArticle) -> str:
        return "Kabarlebak.example - "

    def post_id(self, a: DemoArticle) -> int:
        return 1200 + a.number * 7

    def byline_date(self, a: DemoArticle) -> str:
        return f"{self.long_date(a)} - {a.clock:%H:%M} WIB"

    # -- page frame --------------------------------------------------------------------
    def _sections(self) -> list[str]:
        return sorted({a.section for a in self.articles})

    def _tags(self) -> list[str]:
        return sorted({t for a in self.articles for t in a.tags})

    def _authors(self) -> list[str]:
        return sorted({a.author for a in self.articles if a.author})

    def frame(self, title: str, main: str, *, head: str = "", body_class: str = "home",
              current: DemoArticle | None = None) -> str:
        nav = "".join(
            f'<li class="menu-item"><a href="/category/{slugify(s)}/">{esc(s)}</a></li>' for s in self._sections()
        )
        ticker = "".join(
            f'<li><a href="{self.article_path(a)}">{esc(a.title)}</a></li>' for a in self.articles[:5]
        )
        popular = "".join(
            f'<li><a href="{self.article_path(a)}">{esc(a.title)}</a>'
            f'<span class="post-date">{self.long_date(a)}</span></li>'
            for a in self.popular(current, n=5)
        )
        return f"""<!DOCTYPE html>
<html lang="id-ID">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<meta name="generator" content="WordPress 5.3">
<link rel="alternate" type="application/rss+xml" title="Kabar Lebak &raquo; Feed" href="/feed/">
<link rel="stylesheet" id="newsup-style-css" href="/wp-content/themes/newsup/style.css?ver=5.3" media="all">
{head}
<script>window._wpemojiSettings = {{"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/12.0.0-1\\/72x72\\/"}};</script>
</head>
<body class="{body_class}">
<div id="page" class="site">
<header id="masthead" class="site-header">
  <div class="top-bar"><span class="top-date">Portal Berita Lebak dan Banten</span>
    <a class="top-login" href="/wp-admin/">Masuk</a></div>
  <div class="site-branding"><a href="/" rel="home" class="custom-logo-link">
    <img src="/wp-content/uploads/2019/01/logo-kabarlebak.png" alt="Kabar Lebak" class="custom-logo"></a>
    <p class="site-description">Kabar Terkini dari Bumi Multatuli</p></div>
  <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
    <li class="menu-item"><a href="/">Beranda</a></li>{nav}
    <li class="menu-item"><a href="/redaksi/">Redaksi</a></li></ul>
    <form role="search" method="get" class="search-form" action="/cari/">
      <input type="search" name="q" placeholder="Cari berita &hellip;"><button type="submit">Cari</button></form>
  </nav>
</header>
<div class="breaking-news-bar"><span class="bn-label">BREAKING NEWS</span>
  <div class="bn-ticker"><ul>{ticker}</ul></div></div>
<div id="content" class="site-content">
<main id="primary" class="site-main">
{main}
</main>
<aside id="secondary" class="widget-area">
  <section class="widget widget_popular"><h2 class="widget-title">Terpopuler</h2><ol>{popular}</ol></section>
  <section class="widget widget_text"><h2 class="widget-title">Iklan</h2>
    <div class="textwidget"><p>Pasang iklan Anda di sini. Hubungi redaksi.</p></div></section>
</aside>
</div>
<footer id="colophon" class="site-footer">
  <ul class="footer-menu"><li><a href="/redaksi/">Redaksi</a></li><li><a href="/pedoman-media-siber/">Pedoman Media Siber</a></li>
  <li><a href="/cari/?q=lebak">Arsip Pencarian</a></li><li><a href="/wp-admin/">Login</a></li></ul>
  <div class="site-info">&copy; 2019-2026 Kabar Lebak. Seluruh hak cipta dilindungi undang-undang.
  | Tema: Newsup oleh Themeansar.</div>
</footer>
</div>
<script src="/wp-content/themes/newsup/js/skeleton-loader.js?ver=1.0"></script>
</body>
</html>
"""

    def skeleton_widget(self) -> str:
        """The "Berita Terbaru" widget as the server sends it: placeholders a script fills later."""
        rows = "".join(
            '<li class="skeleton-item"><div class="skeleton"><img class="skeleton-img" '
            f'src="{BLANK_GIF}" alt="Skeleton Image" width="90" height="60"></div>'
            '<span class="skeleton-line">Skeleton Image</span></li>'
            for _ in range(6)
        )
        return (
            '<div class="widget-berita-terbaru" data-source="/wp-json/wp/v2/posts?per_page=6">'
            f'<h3 class="widget-title">Berita Terbaru</h3><ul class="skeleton-list">{rows}</ul></div>'
        )

    def share_buttons(self, a: DemoArticle, where: str) -> str:
        url = esc(self.url(a))
        return (
            f'<div class="post-share post-share-{where}"><span class="share-label">Bagikan</span>'
            f'<a class="share-facebook" href="https://www.facebook.com/sharer.php?u={url}">Share on Facebook</a>'
            f'<a class="share-twitter" href="https://twitter.com/share?url={url}">Tweet</a>'
            f'<a class="share-whatsapp" href="https://api.whatsapp.com/send?text={url}">WhatsApp</a></div>'
        )

    def article_page(self, a: DemoArticle, page: int | None, req: Request) -> str:
        paras = [p for pg in self.paragraphs(a) for p in pg]
        blocks = []
        if a.caption:
            blocks.append(
                '<figure class="wp-block-image size-large">'
                f'<img src="/wp-content/uploads/{a.day:%Y/%m}/{a.slug[:30]}.jpg" alt="{esc(a.title)}" '
                f'width="760" height="430"><figcaption>{esc(a.caption)} (Foto: Kabarlebak.example)</figcaption></figure>'
            )
        rel = self.related(a, 1)
        for i, p in enumerate(paras):
            text = esc(p)
            if i == len(paras) - 1 and a.initials:
                text += f" ({esc(a.initials)})"
            blocks.append(f"<p>{text}</p>")
            if i == 1 and len(paras) > 3 and rel:
                blocks.append(
                    f'<p><strong>Baca juga:</strong> <a href="{self.article_path(rel[0])}">{esc(rel[0].title)}</a></p>'
                )
        blocks.append(self.skeleton_widget())
        content = "\n".join(blocks)
        tags = ", ".join(f'<a href="/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in a.tags)
        byline = ""
        if a.author:
            byline = (
                '<span class="byline">Oleh <span class="author vcard"><a class="url fn n" '
                f'href="/author/{slugify(a.author)}/">{esc(a.author)}</a></span></span> '
            )
        comments = "".join(
            f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
            f'<b class="fn">{esc(name)}</b> <span class="says">berkata:</span>'
            f'<div class="comment-metadata"><time>{self.long_date(a)} pukul 21:0{k}</time></div></footer>'
            f'<div class="comment-content"><p>{esc(text)}</p></div></article></li>'
            for k, (name, text) in enumerate(a.comments)
        )
        n_comments = f"{len(a.comments)} Komentar" if a.comments else "Komentar"
        head = (
            f'<link rel="canonical" href="{self.url(a)}">\n'
            f'<meta name="description" content="{esc(self.excerpt(a))}">\n'
            '<meta property="og:locale" content="id_ID">\n<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{esc(a.title)}">\n'
            f'<meta property="og:url" content="{self.url(a)}">\n'
            '<meta property="og:site_name" content="Kabar Lebak">\n'
            f'<meta property="og:image" content="{self.base_url}/wp-content/uploads/{a.day:%Y/%m}/{a.slug[:30]}.jpg">\n'
            f'<meta property="article:section" content="{esc(a.section)}">\n'
            + "".join(f'<meta property="article:tag" content="{esc(t)}">\n' for t in a.tags)
            + f'<meta property="article:published_time" content="{self.published_dt(a).isoformat()}">\n'
            f'<meta property="article:modified_time" content="{self.modified_dt(a).isoformat()}">'
        )
        main = f"""<div class="breadcrumbs"><a href="/">Beranda</a> &raquo;
  <a href="/category/{a.section_slug}/">{esc(a.section)}</a> &raquo; <span>{esc(a.title)}</span></div>
<article id="post-{self.post_id(a)}" class="post-{self.post_id(a)} post type-post status-publish format-standard has-post-thumbnail">
<header class="entry-header">
  <span class="cat-links"><a href="/category/{a.section_slug}/" rel="category tag">{esc(a.section)}</a></span>
  <h1 class="entry-title">{esc(a.title)}</h1>
  <div class="entry-meta">{byline}<span class="posted-on"><time class="entry-date published"
    datetime="{self.published_dt(a).isoformat()}">{self.byline_date(a)}</time></span></div>
</header>
{self.share_buttons(a, "top")}
<div class="entry-content">
{content}
</div>
<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>
{self.share_buttons(a, "bottom")}
</article>
<nav class="navigation post-navigation"><h2 class="screen-reader-text">Navigasi pos</h2>
{self._post_nav(a)}</nav>
<div id="comments" class="comments-area"><h2 class="comments-title">{n_comments}</h2>
<ol class="comment-list">{comments}</ol>
<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Tinggalkan Balasan</h3>
<form action="/wp-comments-post.php" method="post" id="commentform"><p class="comment-notes">Alamat email Anda tidak
akan dipublikasikan.</p><textarea name="comment"></textarea><input type="submit" value="Kirim Komentar"></form></div>
</div>"""
        return self.frame(f"{a.title} - Kabar Lebak", main, head=head, current=a,
                          body_class=f"post-template-default single single-post postid-{self.post_id(a)}")

    def _post_nav(self, a: DemoArticle) -> str:
        i = self.articles.index(a)
        links = []
        if i + 1 < len(self.articles):
            older = self.articles[i + 1]
            links.append(f'<div class="nav-previous"><a href="{self.article_path(older)}" rel="prev">'
                         f'<span>Sebelumnya</span> {esc(older.title)}</a></div>')
        if i > 0:
            newer = self.articles[i - 1]
            links.append(f'<div class="nav-next"><a href="{self.article_path(newer)}" rel="next">'
                         f'<span>Selanjutnya</span> {esc(newer.title)}</a></div>')
        return "".join(links)

    # -- archive pages -----------------------------------------------------------------
    def listing(self, heading: str, articles: list[DemoArticle], *, older: str = "", newer: str = "") -> str:
        cards = "".join(
            f'<article class="post type-post"><div class="post-thumb"><div class="skeleton"><img alt="Skeleton Image" '
            f'src="{BLANK_GIF}" data-src="/wp-content/uploads/{a.day:%Y/%m}/{a.slug[:30]}.jpg"></div></div>'
            f'<span class="cat-links"><a href="/category/{a.section_slug}/">{esc(a.section)}</a></span>'
            f'<h2 class="entry-title"><a href="{self.article_path(a)}" rel="bookmark">{esc(a.title)}</a></h2>'
            f'<div class="entry-meta"><time class="entry-date">{self.byline_date(a)}</time></div>'
            f'<div class="entry-summary"><p>{esc(self.excerpt(a))}</p></div>'
            f'<a class="more-link" href="{self.article_path(a)}">Selengkapnya</a></article>'
            for a in articles
        )
        nav = ""
        if older or newer:
            nav = '<nav class="navigation pagination"><div class="nav-links">'
            if newer:
                nav += f'<a class="prev page-numbers" href="{newer}">&laquo; Sebelumnya</a>'
            if older:
                nav += f'<a class="next page-numbers" href="{older}">Berikutnya &raquo;</a>'
            nav += "</div></nav>"
        return f'<header class="page-header"><h1 class="page-title">{esc(heading)}</h1></header>{cards}{nav}{self.skeleton_widget()}'

    def _home(self, page: int):
        pages = max(1, -(-len(self.articles) // POSTS_PER_PAGE))

        def handler(req: Request) -> Response:
            chunk = self.articles[(page - 1) * POSTS_PER_PAGE: page * POSTS_PER_PAGE]
            older = f"/page/{page + 1}/" if page < pages else ""
            newer = ("/" if page == 2 else f"/page/{page - 1}/") if page > 1 else ""
            canonical = "/" if page == 1 else f"/page/{page}/"
            main = self.listing("Berita Terkini", chunk, older=older, newer=newer)
            head = f'<link rel="canonical" href="{self.base_url}{canonical}">\n<meta property="og:type" content="website">'
            return self.html(self.frame("Kabar Lebak - Kabar Terkini dari Bumi Multatuli", main, head=head))

        return handler

    def _archive(self, heading: str, articles: list[DemoArticle], path: str, body_class: str):
        def handler(req: Request) -> Response:
            head = f'<link rel="canonical" href="{self.base_url}{path}">'
            return self.html(self.frame(f"{heading} - Kabar Lebak", self.listing(heading, articles),
                                        head=head, body_class=body_class))

        return handler

    def _static(self, path: str, title: str, paragraphs: list[str]):
        def handler(req: Request) -> Response:
            text = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
            main = (f'<article class="page type-page"><header class="entry-header"><h1 class="entry-title">'
                    f'{esc(title)}</h1></header><div class="entry-content">{text}</div></article>')
            head = f'<link rel="canonical" href="{self.base_url}{path}">'
            return self.html(self.frame(f"{title} - Kabar Lebak", main, head=head, body_class="page-template-default page"))

        return handler

    def _search(self, req: Request) -> Response:
        q = req.query.get("q", "")
        hits = [a for a in self.articles if q and q.lower() in (a.title + " " + self.body(a)).lower()]
        main = self.listing(f"Hasil pencarian untuk: {q}", hits) if hits else (
            f'<h1 class="page-title">Hasil pencarian untuk: {esc(q)}</h1><p>Maaf, tidak ada berita yang cocok.</p>')
        return self.html(self.frame(f"Hasil pencarian untuk “{q}” - Kabar Lebak", main,
                                    head='<meta name="robots" content="noindex, follow">', body_class="search"))

    def _login(self, req: Request) -> Response:
        body = ('<!DOCTYPE html><html lang="id-ID"><head><meta charset="UTF-8"><title>Masuk &lsaquo; Kabar Lebak'
                '</title><meta name="robots" content="noindex, nofollow"></head><body class="login"><div id="login">'
                '<h1><a href="/">Kabar Lebak</a></h1><form name="loginform" method="post"><p><label>Nama Pengguna'
                '<input type="text" name="log"></label></p><p><label>Kata Sandi<input type="password" name="pwd">'
                '</label></p><p><input type="submit" value="Masuk"></p></form></div></body></html>')
        return self.html(body)

    def site_routes(self):
        routes = {}
        pages = max(1, -(-len(self.articles) // POSTS_PER_PAGE))
        routes["/"] = self._home(1)
        for n in range(2, pages + 1):
            routes[f"/page/{n}/"] = self._home(n)
        for s in self._sections():
            path = f"/category/{slugify(s)}/"
            routes[path] = self._archive(f"Kategori: {s}", [a for a in self.articles if a.section == s], path,
                                         "archive category")
        for t in self._tags():
            path = f"/tag/{slugify(t)}/"
            routes[path] = self._archive(f"Tag: {t}", [a for a in self.articles if t in a.tags], path, "archive tag")
        for au in self._authors():
            path = f"/author/{slugify(au)}/"
            routes[path] = self._archive(f"Penulis: {au}", [a for a in self.articles if a.author == au], path,
                                         "archive author")
        routes["/redaksi/"] = self._static("/redaksi/", "Redaksi", [
            "Kabar Lebak adalah media daring yang menyajikan berita seputar Kabupaten Lebak dan Provinsi Banten "
            "sejak 2017, diterbitkan oleh PT Multatuli Media Banten.",
            "Pemimpin Redaksi: Hasan Basri. Redaktur Pelaksana: Lilis Suryani. Reporter: Doni Oktaviandi, "
            "Siti Rohmah, Ahmad Fauzi, Rizki Maulana.",
            "Alamat redaksi: Jalan Multatuli No. 17, Rangkasbitung, Lebak, Banten. Surel: redaksi@kabarlebak.example.",
        ])
        routes["/pedoman-media-siber/"] = self._static("/pedoman-media-siber/", "Pedoman Pemberitaan Media Siber", [
            "Kemerdekaan berpendapat, kemerdekaan berekspresi, dan kemerdekaan pers adalah hak asasi manusia "
            "yang dilindungi Pancasila, Undang-Undang Dasar 1945, dan Deklarasi Universal Hak Asasi Manusia PBB.",
            "Setiap berita harus melalui verifikasi. Berita yang dapat merugikan pihak lain memerlukan "
            "verifikasi pada berita yang sama untuk memenuhi prinsip akurasi dan keberimbangan.",
        ])
        routes["/cari/"] = self._search
        routes["/wp-admin/"] = self._login
        routes["/feed/"] = lambda req: self.rss(req, "Kabar Lebak", self.articles[:10], "/feed/")
        # wp-sitemap.xml (WordPress 5.5+): an index, then posts, pages and taxonomies
        oldest_first = list(reversed(self.articles))
        chunks = [oldest_first[i:i + POSTS_PER_SITEMAP] for i in range(0, len(oldest_first), POSTS_PER_SITEMAP)]
        children = [f"/wp-sitemap-posts-post-{k}.xml" for k in range(1, len(chunks) + 1)]
        children += ["/wp-sitemap-posts-page-1.xml", "/wp-sitemap-taxonomies-category-1.xml",
                     "/wp-sitemap-taxonomies-post_tag-1.xml", "/wp-sitemap-users-1.xml"]
        routes["/wp-sitemap.xml"] = lambda req: self.sitemapindex(req, children)
        for k, chunk in enumerate(chunks, 1):
            entries = [(self.article_path(a), self.modified_dt(a)) for a in chunk]
            routes[f"/wp-sitemap-posts-post-{k}.xml"] = lambda req, e=entries: self.urlset(req, e)
        routes["/wp-sitemap-posts-page-1.xml"] = lambda req: self.urlset(
            req, [("/redaksi/", None), ("/pedoman-media-siber/", None)])
        routes["/wp-sitemap-taxonomies-category-1.xml"] = lambda req: self.urlset(
            req, [(f"/category/{slugify(s)}/", None) for s in self._sections()])
        routes["/wp-sitemap-taxonomies-post_tag-1.xml"] = lambda req: self.urlset(
            req, [(f"/tag/{slugify(t)}/", None) for t in self._tags()])
        routes["/wp-sitemap-users-1.xml"] = lambda req: self.urlset(
            req, [(f"/author/{slugify(au)}/", None) for au in self._authors()])
        return routes

    def non_article_paths(self) -> list[str]:
        pages = max(1, -(-len(self.articles) // POSTS_PER_PAGE))
        return [
            "/", *(f"/page/{n}/" for n in range(2, pages + 1)),
            *(f"/category/{slugify(s)}/" for s in self._sections()),
            *(f"/tag/{slugify(t)}/" for t in self._tags()),
            *(f"/author/{slugify(au)}/" for au in self._authors()),
            "/redaksi/", "/pedoman-media-siber/", "/cari/?q=lebak", "/wp-admin/",
        ]
