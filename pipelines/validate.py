"""Decide whether a page is an article at all, with a reason code when it is not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .metadata import ARTICLE_TYPES, LISTING_TYPES, Metadata, norm_space

# Thresholds, tuned together on the 29 id-news-dev pages (20 articles, 9 index/home/feed pages).
#: An article body shorter than this (characters) is no article ...
MIN_BODY_CHARS = 200
#: ... unless the page shows its headline and a date: then one real paragraph is enough
#: (a photo story with a short description).
MIN_BODY_CHARS_DATED = 100
#: A content area holding this many headline links (teasers), at least one per two paragraphs, is a list.
MIN_TEASER_LINKS = 8
#: Links with at least this many words are headline links (teasers of other stories).
HEADLINE_LINK_WORDS = 5
#: Without article markup or a matched headline, a page with less body than this many characters
#: per headline link is a list of stories.
BODY_CHARS_PER_HEADLINE_LINK = 120
#: Index pages have at least this many headline links.
MIN_INDEX_HEADLINE_LINKS = 12

#: URL paths of listing pages: tag, category, search, index, author, page N.
LISTING_PATH = re.compile(
    r"^/?$"
    # a listing word, then at most one more segment: /tag/banjir/, /kategori/ekonomi, /author/ujang/
    r"|/(?:tag|tags|topik|topic|topics|kategori|category|categories|label|labels|search|cari|pencarian|indeks|"
    r"index|arsip|archive|archives|author|penulis|reporter|kanal|rubrik|section|feed|rss)(?P<last>/[^/]+)?/?$"
    r"|/(?:tag|tags|topik|label|search|cari|pencarian|author)/"  # never an article below these
    r"|/page/\d+/?$"  # page N of a listing
    r"|^/\d{4}/(?:\d{1,2}/){0,2}?\d{1,2}/?$",  # date archives: /2019/06/, /2019/06/28/
    re.I)
#: Listing words below which a story may still live, under a long slug: /kanal/pemkab-lebak-gelar-pelatihan-kopi.
_WEAK_LISTING = re.compile(r"/(?:kategori|category|categories|kanal|rubrik|section|index|indeks|arsip|archive|"
                           r"archives)/[^/]+/?$", re.I)
#: A story slug: five or more words.
_STORY_SLUG = re.compile(r"/[^/]*(?:[\w]+[-_]){4,}[\w]+(?:\.html?)?/?$")
#: Site pages that are not news: masthead, contact, policies (the Dewan Pers media guideline page).
STATIC_PATH = re.compile(
    r"/(?:redaksi|susunan-redaksi|tentang(?:-kami)?|about(?:-us)?|kontak(?:-kami)?|hubungi-kami|contact(?:-us)?|"
    r"pedoman(?:-pemberitaan)?(?:-media)?(?:-siber)?|kebijakan-privasi|privacy(?:-policy)?|disclaimer|"
    r"syarat-(?:dan-)?ketentuan|terms(?:-of-(?:use|service))?|info-iklan|pasang-iklan|karir|career|sitemap)"
    r"(?:\.\w+)?/?$", re.I)
#: <h1>/title openings of listing pages: "Kategori: Budaya", "Tag: Brebes", "Arsip 2019/06", "Berita oleh Nur Aini".
LISTING_TITLE = re.compile(r"^\s*(?:kategori|category|tag|tags|label|topik|topic|arsip|archives?|indeks|"
                           r"berita oleh|artikel oleh|tulisan oleh|posts? by|author|penulis|hasil pencarian|"
                           r"search results?|semua berita)\b\s*[:\-–]?", re.I)
#: A share of paragraphs ending in "..." at or above which the "body" is a list of excerpts.
EXCERPT_SHARE = 0.4
_STORY_QUERY = re.compile(r"(?:^|&)(?:p|page_id|id|news_id|newsid|berita_id|artikel_id)=\d+", re.I)
_SEARCH_QUERY = re.compile(r"(?:^|&)(?:s|q|query|keyword|search|cari)=", re.I)


@dataclass
class PageSignals:
    """Evidence gathered by the extractor for the article/not-article decision."""

    url: str | None
    body_chars: int
    body_paragraphs: int
    headline_links: int
    title_matched: bool  # a visible heading matched the page's meta title
    has_article_markup: bool  # og:type article, JSON-LD article type or article:published_time
    has_listing_markup: bool
    has_date: bool
    media_items: int  # figures/images in the content area (galleries)
    root_headline_links: int = 0  # headline links inside the content area (teaser lists)
    near_headline: bool = True  # the content area sits next to the headline
    title: str | None = None
    excerpt_paragraphs: int = 0  # paragraphs ending in "..." (teasers cut short)


def headline_link_count(tree) -> int:
    """Links whose text looks like a headline (>= HEADLINE_LINK_WORDS words)."""
    n = 0
    for a in tree.iter("a"):
        text = a.text_content()
        if len(text) >= 25 and len(text.split()) >= HEADLINE_LINK_WORDS:
            n += 1
    return n


_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "article", "td", "dd", "dt", "section"})


def teaser_link_count(root) -> int:
    """Headline links that make up (nearly) all of their block: teasers of other stories.

    A long link inside a sentence ("a study published in the journal") is not one.

    >>> import lxml.html
    >>> teaser_link_count(lxml.html.fromstring("<div><h2><a href='/a'>Banjir Rendam 300 Rumah di Lebak "
    ...   "Selatan</a></h2><p>Kata <a href='/b'>Kepala Badan Penanggulangan Bencana Daerah Lebak</a> "
    ...   "kepada wartawan di lokasi banjir, Kamis sore.</p></div>"))
    1
    """
    n = 0
    for a in root.iter("a"):
        text = a.text_content()
        if len(text) < 25 or len(text.split()) < HEADLINE_LINK_WORDS:
            continue
        block = a.getparent()
        while block is not None and block.tag not in _BLOCKS:
            block = block.getparent()
        if block is None or len(norm_space(text)) >= 0.6 * len(norm_space(block.text_content())):
            n += 1
    return n


def article_markup(md: Metadata) -> tuple[bool, bool]:
    """(article markup present, listing markup present)."""
    og_type = (md.meta.get("og:type") or "").strip().lower()
    # og:type "article" alone is no evidence: some home pages declare it too
    article = bool(md.jsonld) or bool(md.meta.get("article:published_time")) or bool(ARTICLE_TYPES & md.jsonld_types)
    listing = og_type == "website" and not md.jsonld and bool(LISTING_TYPES & md.jsonld_types)
    return article, listing


def not_article_reason(s: PageSignals) -> str | None:
    """The reason code when the page is not an article, else None.

    >>> not_article_reason(PageSignals("https://kabar.example/tag/banjir", 900, 4, 30, False, False, False, False, 0))
    'index-page'
    >>> not_article_reason(PageSignals("https://kabar.example/redaksi/", 900, 4, 3, True, False, False, False, 0))
    'static-page'
    >>> not_article_reason(PageSignals("https://kabar.example/read/1/banjir", 1500, 8, 25, True, True, False, True, 0))
    """
    path = urlsplit(s.url).path if s.url else None
    query = urlsplit(s.url).query if s.url else ""
    story_query = bool(_STORY_QUERY.search(query))  # WordPress "/?p=123": a story at the site's root
    listing = path is not None and (LISTING_PATH.search(path) or _SEARCH_QUERY.search(query))
    if listing and _WEAK_LISTING.search(path) and _STORY_SLUG.search(path):
        listing = False  # /kanal/<a long story slug>
    if listing and not story_query and not s.has_article_markup:
        return "index-page"
    if path is not None and STATIC_PATH.search(path) and not s.has_article_markup:
        return "static-page"
    if s.title and LISTING_TITLE.match(s.title) and not s.has_article_markup:
        return "index-page"
    if s.excerpt_paragraphs and (s.excerpt_paragraphs == s.body_paragraphs or (
            s.excerpt_paragraphs >= 2 and s.excerpt_paragraphs >= EXCERPT_SHARE * s.body_paragraphs)):
        return "index-page"
    short_ok = s.title_matched and s.has_date and s.near_headline
    min_chars = MIN_BODY_CHARS_DATED if short_ok else MIN_BODY_CHARS
    if s.body_chars < min_chars:
        if s.media_items >= 3 and s.title_matched:
            return "gallery-only"
        if not s.title_matched and s.headline_links >= MIN_INDEX_HEADLINE_LINKS:
            return "index-page"
        return "no-body"
    if s.root_headline_links >= MIN_TEASER_LINKS and s.root_headline_links * 2 >= s.body_paragraphs:
        return "index-page"
    if s.has_listing_markup and not s.has_article_markup:
        return "index-page"
    if not s.title_matched and not s.has_article_markup:
        if s.headline_links >= MIN_INDEX_HEADLINE_LINKS and s.body_chars < s.headline_links * BODY_CHARS_PER_HEADLINE_LINK:
            return "index-page"
        if not s.has_date and s.body_paragraphs < 3:
            return "index-page"
    return None
