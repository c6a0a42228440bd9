"""Decide whether a page is an article: named evidence weighed together, and the few signs that decide alone.

Strong positive evidence (article markup, a visible headline matching the meta title, a dated
byline, a long body, an article-shaped URL) outweighs weak negative evidence (headline links
elsewhere on the page, a teaser list inside the content area). A few signs are decisive on their
own: listing markup or a listing title without article markup, a list of excerpts, a listing or
site-page URL, and a page with no story text at all. A page the crawl reached through a sitemap
or feed entry, or through the profile's ``article_urls``, is an article unless the page itself
decisively says otherwise.

Every weight and threshold below is named and says on which data it was checked: all three
development sets together (id-news-dev: 20 articles and 9 index/home/feed pages; world-news-dev:
116 articles of 87 publishers; scrapinghub-aeb: 181 articles), the fictional fixture pages of
``tests/test_decision.py`` and the metamorphic variants of ``scripts/metamorphic.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from .metadata import ARTICLE_TYPES, LISTING_TYPES, Metadata, norm_space

# --------------------------------------------------------------------------------- weights
# Checked together on id-news-dev (29), world-news-dev (116), scrapinghub-aeb (181), the fixture
# pages and the metamorphic variants. The scale: THRESHOLD is reached by a headline that matches
# the meta title alone; markup, a dated byline and a long body each add to it.
# Measured with these weights: the lowest score of an article is 4.5 on id-news-dev and on
# world-news-dev and 3.0 on scrapinghub-aeb (every article of the three sets is taken but one
# world-news-dev page whose text exists only in a script, decided by "no story text"); the 9
# index/home/feed pages of id-news-dev are refused by decisive signs (feed, listing title, teaser
# list, no story text), also when a sitemap listed them; the fixture tag page with a long intro
# scores 1.0; of the metamorphic variants, at least 99 % of each kind on each set stay articles.

#: A page whose evidence sums to at least this is an article.
THRESHOLD = 2.0
#: JSON-LD article type or article:published_time (og:type alone is no evidence: home pages declare it).
W_ARTICLE_MARKUP = 3.0
#: A listing's address (the home page, a tag, search or section page) beside article markup: SEO
#: plugins declare every page a NewsArticle, so the markup alone does not make the page a story.
W_LISTING_URL = -2.0
#: A visible heading (h1..h6 or a headline-classed block) matches the page's meta title ...
W_HEADLINE_MATCHED = 2.0
#: ... a heading of this many words or fewer is a topic's or section's name more often than a
#: story's headline ("Banjir Lebak" over a tag page): it counts less.
TOPIC_NAME_WORDS = 2
W_TOPIC_MATCHED = 1.0
#: The page states a publication date ...
W_DATE = 1.0
#: ... and names a writer.
W_BYLINE = 1.0
#: The content area sits next to the headline; far from it (a sidebar chosen), it counts against.
W_NEAR_HEADLINE = 1.0
W_FAR_FROM_HEADLINE = -1.0
#: The URL has the shape of a story: a long slug, a long numeric id, a date path with a slug.
W_STORY_URL = 1.5
#: Body length: a long story, an ordinary one, a short brief, next to nothing.
LONG_BODY_CHARS = 1500
W_LONG_BODY = 2.0
MIN_BODY_CHARS = 200
W_BODY = 1.0
#: A body shorter than this counts against the page (a photo story's caption is 100-200 characters).
SHORT_BODY_CHARS = 100
W_SHORT_BODY = -1.0
W_TINY_BODY = -2.0
#: Links with at least this many words (and 25 characters) are headline links: teasers of other stories.
HEADLINE_LINK_WORDS = 5
#: Many headline links elsewhere on the page and little body per link: weak evidence of a listing
#: (not counted where the body's shortness or a teaser list in the content area already counted:
#: the same weakness, measured twice, would outweigh a matched headline and article markup).
MIN_INDEX_HEADLINE_LINKS = 12
BODY_CHARS_PER_HEADLINE_LINK = 120
W_LISTING_LINKS = -2.0
#: ... beside a long body (LONG_BODY_CHARS) they cost less than the body earns: strong evidence
#: outweighs weak (a portal's story of 2500 characters and a date, with 80 teaser links in its
#: sidebars and footer, was refused; the one index page on which this weight decides, an old
#: portal's section page, has 1100 characters of excerpts).
W_LISTING_LINKS_LONG_BODY = -1.0
#: A content area holding this many teasers, at least one per two prose blocks, and no run of prose
#: this long (a story's paragraphs in a row) nor as long as the teasers' headlines, reads as a list
#: of stories; without article markup, and with a teaser for every prose block, that is decisive.
MIN_TEASER_LINKS = 8
LISTING_RUN_CHARS = 400
W_TEASERS_IN_CONTENT = -4.0
#: A text block this long, mostly outside links, is prose.
PROSE_BLOCK_CHARS = 60

# --------------------------------------------------------------------------------- decisive signs
#: Below this many characters of text the page holds no story at all (decisive, unless the page
#: is a text-less story: article markup, a matched headline and a date, e.g. a photo story).
MIN_STORY_CHARS = 1
#: A share of paragraphs ending in "..." at or above which the "body" is a list of excerpts.
EXCERPT_SHARE = 0.4
#: Figures/images in the content area from which a page without text is a gallery.
GALLERY_MEDIA = 3

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
#: ... or under a story id: /archive/63076, /arsip/2019112800123.
_STORY_ID_LAST = re.compile(r"/\d{5,}(?:\.\w{2,5})?/?$")
#: A story slug: five or more words.
_STORY_SLUG = re.compile(r"/[^/]*(?:[\w]+[-_]){4,}[\w]+(?:\.\w{2,5})?/?$")
#: A story id: a run of five or more digits in the path (/read/2436773/..., /article409956720/, /A2026012914320005196).
_STORY_ID = re.compile(r"(?:^|[/_.-]|[a-z])\d{5,}(?:[/_.-]|$)", re.I)
#: A dated path with something after the date: /2019/11/28/banjir/, /2024/0424/c1001-40223222.html.
_DATED_PATH = re.compile(r"/(?:19|20)\d{2}/\d{1,4}/(?:\d{1,2}/)?[^/]+")
#: Site pages that are not news: masthead, contact, policies (the Dewan Pers media guideline page).
STATIC_PATH = re.compile(
    r"/(?:redaksi|susunan-redaksi|tentang(?:-kami)?|about(?:-us)?|kontak(?:-kami)?|hubungi-kami|contact(?:-us)?|"
    r"pedoman(?:-pemberitaan)?(?:-media)?(?:-siber)?|kebijakan-privasi|privacy(?:-policy)?|disclaimer|"
    r"syarat-(?:dan-)?ketentuan|terms(?:-of-(?:use|service))?|info-iklan|pasang-iklan|karir|career|sitemap)"
    r"(?:\.\w+)?/?$", re.I)
#: Headline openings of listing pages: "Kategori: Budaya", "Tag: Brebes", "Arsip 2019/06", "Berita oleh Nur Aini".
LISTING_TITLE = re.compile(r"^\s*(?:kategori|category|tag|tags|label|topik|topic|arsip|archives?|indeks|"
                           r"berita oleh|artikel oleh|tulisan oleh|posts? by|author|penulis|hasil pencarian|"
                           r"search results?|semua berita)\b\s*[:\-–]?", re.I)
_STORY_QUERY = re.compile(r"(?:^|&)(?:p|page_id|id|news_id|newsid|berita_id|artikel_id)=\d+", re.I)
_SEARCH_QUERY = re.compile(r"(?:^|&)(?:s|q|query|keyword|search|cari)=", re.I)
#: Paragraph endings of an excerpt cut short: "...", "…", WordPress' "[…]".
_EXCERPT_END = ("...", "…", "[…]", "[...]", "[&hellip;]")

#: How the crawl reached a page (``Page.via``) that makes it an article unless the page says otherwise.
KNOWING_VIAS = frozenset({"sitemap", "feed"})


# --------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Evidence:
    """One named piece of evidence: its measured value and what it added to the score.

    ``weight`` is 0 for items recorded for the reader only; ``decisive`` marks the item that
    decided the verdict alone.
    """

    name: str
    value: object
    weight: float = 0.0
    decisive: bool = False

    def to_dict(self) -> dict:
        out = {"name": self.name, "value": self.value, "weight": self.weight}
        if self.decisive:
            out["decisive"] = True
        return out


@dataclass
class Decision:
    """The article decision: ``verdict`` (``article`` or ``not-article``), a ``reason`` code, the
    summed ``score`` and the evidence behind it.

    Reasons of a not-article verdict: ``index-page``, ``static-page``, ``no-body``, ``gallery-only``,
    ``feed``, ``binary``, ``empty``. Reasons of an article verdict: ``evidence`` (the score reached
    :data:`THRESHOLD`), ``strong-evidence`` (below it, but article markup about this page, a matched
    headline and a date together), ``crawl-knew`` (a sitemap or feed entry, or the profile's
    ``article_urls``), ``text-less-story`` (a photo or video story: markup, headline and date, no text).

    >>> d = Decision("not-article", "index-page", 0.0, [Evidence("listing-url", "/tag/banjir", decisive=True)])
    >>> d.summary()
    'not-article (index-page): listing-url=/tag/banjir (decisive)'
    >>> Decision.from_dict(d.to_dict()) == d
    True
    """

    verdict: str
    reason: str
    score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    threshold: float = THRESHOLD

    @property
    def is_article(self) -> bool:
        return self.verdict == "article"

    def get(self, name: str, default=None):
        """The value of the evidence item ``name``."""
        return next((e.value for e in self.evidence if e.name == name), default)

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "reason": self.reason, "score": round(self.score, 2),
                "threshold": self.threshold, "evidence": [e.to_dict() for e in self.evidence]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> Decision:
        return cls(data["verdict"], data["reason"], float(data.get("score", 0.0)),
                   [Evidence(e["name"], e.get("value"), float(e.get("weight", 0.0)), bool(e.get("decisive")))
                    for e in data.get("evidence", [])], float(data.get("threshold", THRESHOLD)))

    def summary(self) -> str:
        """One line: the verdict, its reason and the evidence that counted."""
        decisive = [e for e in self.evidence if e.decisive]
        if decisive:
            why = ", ".join(f"{e.name}={e.value} (decisive)" for e in decisive)
        else:
            why = f"score {self.score:g} vs {self.threshold:g}: " + ", ".join(
                f"{e.name} {e.weight:+g}" for e in self.evidence if e.weight)
        return f"{self.verdict} ({self.reason}): {why}"


def single_sign(reason: str, name: str, value: object = True) -> Decision:
    """A not-article decision taken on one decisive sign before any evidence was gathered (a feed,
    binary bytes, an empty response)."""
    return Decision("not-article", reason, 0.0, [Evidence(name, value, decisive=True)])


@dataclass
class PageSignals:
    """What page -> article measured on a page, for :func:`decide`.

    ``headline_links`` may be a callable: it is counted only when it could change the verdict
    (it costs a pass over every link of the page).
    """

    url: str | None
    body_chars: int
    body_paragraphs: int
    title: str | None = None
    title_matched: bool = False  # a visible heading matched the page's meta title
    has_article_markup: bool = False  # JSON-LD article type or article:published_time
    has_listing_markup: bool = False
    has_date: bool = False
    has_author: bool = False
    near_headline: bool | None = True  # the content area sits next to the headline (None: no headline seen)
    media_items: int = 0  # figures/images in the content area
    teasers: int = 0  # teaser blocks inside the content area (see content_shape)
    prose_blocks: int = 0
    longest_run_chars: int = 0  # the content area's longest run of prose, in characters (-1: not read)
    teaser_chars: int = 0  # characters of the teasers' headlines in the content area
    excerpt_paragraphs: int = 0  # paragraphs ending in "..." (teasers cut short)
    headline_links: int | Callable[[], int] | None = None  # headline links on the whole page
    via: str | None = None  # how the crawl reached the page (Page.via)
    profile_article_url: bool = False  # the URL matches the profile's article_urls


# --------------------------------------------------------------------------------- measuring


def headline_link_count(tree) -> int:
    """Links whose text looks like a headline (>= HEADLINE_LINK_WORDS words)."""
    n = 0
    for a in tree.iter("a"):
        text = a.text_content()
        if len(text) >= 25 and len(text.split()) >= HEADLINE_LINK_WORDS:
            n += 1
    return n


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "article", "td", "dd", "dt", "section",
                     "blockquote", "ul", "ol", "table", "tr", "tbody", "figure", "header", "footer", "aside", "main"})


@dataclass(frozen=True)
class ContentShape:
    """How the content area reads: teaser blocks, prose blocks, and its longest run of prose.

    A story reads as paragraphs in a row; a listing as excerpts, each after a teaser headline.
    """

    teasers: int = 0  # blocks that are (nearly) all a headline link: teasers of other stories
    prose_blocks: int = 0
    longest_run_chars: int = 0  # characters of the longest run of prose blocks with no teaser between
    teaser_chars: int = 0  # characters of the teasers' headlines

    # With fewer than MIN_TEASER_LINKS long links in the area, ``teasers`` is that count (an upper
    # bound) and the prose is not measured (-1): no listing reads that way.


#: The label of a cross-link set between a story's paragraphs.
_READ_ALSO = re.compile(r"^\s*(?:baca(?:\s+juga)?|lihat\s+juga|simak(?:\s+juga)?|artikel\s+terkait|berita\s+terkait|"
                        r"read\s+(?:more|also)|see\s+also|related|lesen\s+sie\s+auch|mehr\s+zum\s+thema|lire\s+aussi)"
                        r"\b\s*[:.»>-]?", re.I)
_LONG_LINKS = etree.XPath("count(.//a[string-length(normalize-space(.)) >= 25])")


def _is_headline_link(text: str) -> bool:
    return len(text) >= 25 and len(text.split()) >= HEADLINE_LINK_WORDS


def content_shape(roots, quick: bool = True) -> ContentShape:
    """Read the content area block by block: teasers, prose, and the longest run of prose.

    A teaser is a block that is (nearly) all a headline link, a linked heading, or a heading
    inside a link. Prose is a block with at least :data:`PROSE_BLOCK_CHARS` characters of text
    mostly outside links. Short lines (datelines, captions) neither extend nor break a run.

    >>> import lxml.html
    >>> story = lxml.html.fromstring("<div><p>" + "Hujan deras merendam rumah warga di Lebak. " * 4 + "</p>"
    ...   "<p>" + "Warga mengungsi ke balai desa sejak Kamis malam. " * 4 + "</p><ul>"
    ...   + "<li><a href='/x'>Banjir Rendam 300 Rumah di Lebak Selatan</a></li>" * 8 + "</ul></div>")
    >>> shape = content_shape([story])
    >>> shape.teasers, shape.prose_blocks, shape.longest_run_chars
    (8, 2, 366)
    >>> content_shape([lxml.html.fromstring("<div><h2><a href='/a'>Banjir Rendam 300 Rumah di Lebak "
    ...   "Selatan</a></h2><p>Kata <a href='/b'>Kepala Badan Penanggulangan Bencana Daerah Lebak</a> "
    ...   "kepada wartawan di lokasi banjir, Kamis sore.</p></div>")], quick=False).teasers
    1
    """
    # a content area with fewer long links than a listing needs is read no further (a pass in C)
    long_links = sum(int(_LONG_LINKS(root)) for root in roots)
    if quick and long_links < MIN_TEASER_LINKS:
        return ContentShape(teasers=long_links, prose_blocks=-1, longest_run_chars=-1)
    teasers = prose = best = run = teaser_chars = 0
    for root in roots:
        for el in root.iter():
            tag = el.tag
            if tag not in _BLOCKS:
                continue
            children = [c for c in el if c.tag in _BLOCKS]
            if children:
                # a container: only its own text (text and tails around the blocks) reads as prose
                own = norm_space(" ".join([el.text or ""] + [c.tail or "" for c in el]))
                if len(own) >= PROSE_BLOCK_CHARS:
                    prose += 1
                    run += len(own)
                    best = max(best, run)
                continue
            text = norm_space(el.text_content())
            if not text:
                continue
            linked = [norm_space(a.text_content()) for a in el.iter("a")]
            if linked and _READ_ALSO.match(text):
                continue  # "Baca juga: <link>" between paragraphs: a cross-link of the story itself
            in_link = any(a.tag == "a" for a in el.iterancestors())
            heading = tag in _HEADINGS
            if (heading and (in_link or linked)) or (in_link and _is_headline_link(text)) or any(
                    _is_headline_link(t) and len(t) >= 0.6 * len(text) for t in linked):
                teasers += 1
                teaser_chars += len(text)
                run = 0
                continue
            if len(text) >= PROSE_BLOCK_CHARS and sum(map(len, linked)) < 0.5 * len(text):
                prose += 1
                run += len(text)
                best = max(best, run)
    return ContentShape(teasers, prose, best, teaser_chars)


def article_markup(md: Metadata) -> tuple[bool, bool]:
    """(article markup present, listing markup present)."""
    og_type = (md.meta.get("og:type") or "").strip().lower()
    # og:type "article" alone is no evidence: some home pages declare it too; and an article
    # object that names another page's URL (a featured story on a home page) is that page's
    article = bool(md.jsonld) or bool(md.meta.get("article:published_time")) or bool(
        ARTICLE_TYPES & md.jsonld_types and not md.jsonld_elsewhere)
    listing = og_type == "website" and not md.jsonld and bool(LISTING_TYPES & md.jsonld_types)
    return article, listing


def is_excerpt(paragraph: str) -> bool:
    """True for a paragraph cut short with "..." or "[…]" (a teaser's excerpt)."""
    return paragraph.rstrip().endswith(_EXCERPT_END)


def url_shape(url: str | None) -> str:
    """``listing``, ``static``, ``story`` or ``other``: what the URL's path says about the page.

    >>> [url_shape(u) for u in ("https://kabar.example/tag/banjir/", "https://kabar.example/redaksi/",
    ...   "https://kabar.example/2019/11/28/banjir-rendam-300-rumah-di-lebak/", "https://kabar.example/video")]
    ['listing', 'static', 'story', 'other']
    """
    if not url:
        return "other"
    parts = urlsplit(url)
    path, query = parts.path, parts.query
    story_query = bool(_STORY_QUERY.search(query))  # WordPress "/?p=123": a story at the site's root
    listing = bool(LISTING_PATH.search(path) or _SEARCH_QUERY.search(query))
    if listing and _WEAK_LISTING.search(path) and (_STORY_SLUG.search(path) or _STORY_ID_LAST.search(path)):
        listing = False  # /kanal/<a long story slug>, /archive/<a story id>
    if listing and not story_query:
        return "listing"
    if STATIC_PATH.search(path):
        return "static"
    if story_query or _STORY_SLUG.search(path) or _STORY_ID.search(path) or _DATED_PATH.search(path):
        return "story"
    return "other"


# --------------------------------------------------------------------------------- deciding


def _body_weight(chars: int) -> float:
    if chars >= LONG_BODY_CHARS:
        return W_LONG_BODY
    if chars >= MIN_BODY_CHARS:
        return W_BODY
    if chars >= SHORT_BODY_CHARS:
        return W_SHORT_BODY
    return W_TINY_BODY


def _is_excerpt_list(s: PageSignals) -> bool:
    return bool(s.excerpt_paragraphs) and (s.excerpt_paragraphs == s.body_paragraphs or (
        s.excerpt_paragraphs >= 2 and s.excerpt_paragraphs >= EXCERPT_SHARE * s.body_paragraphs))


def decide(s: PageSignals) -> Decision:
    """Weigh the evidence of a page and return the :class:`Decision`.

    >>> decide(PageSignals("https://kabar.example/tag/banjir", 900, 4)).reason
    'index-page'
    >>> decide(PageSignals("https://kabar.example/redaksi/", 900, 4, title_matched=True)).reason
    'static-page'
    >>> d = decide(PageSignals("https://kabar.example/read/1/banjir-rendam-300-rumah-lebak", 1500, 8,
    ...                        title="Banjir Rendam 300 Rumah di Lebak", title_matched=True,
    ...                        has_article_markup=True, has_date=True, headline_links=25))
    >>> d.verdict, d.reason, d.score  # 25 headline links elsewhere beside 1500 characters of body: -1
    ('article', 'evidence', 9.5)
    """
    ev: list[Evidence] = []
    markup = s.has_article_markup
    shape = url_shape(s.url)
    crawl_knew = s.via in KNOWING_VIAS or s.profile_article_url
    if s.via:
        ev.append(Evidence("via", s.via))
    if s.profile_article_url:
        ev.append(Evidence("profile-article-url", True))

    def no(reason: str, name: str, value) -> Decision:
        ev.append(Evidence(name, value, decisive=True))
        return Decision("not-article", reason, 0.0, ev)

    # Decisive signs on the page itself: they hold whatever the crawl knew.
    if s.has_listing_markup and not markup:
        return no("index-page", "listing-markup", True)
    if s.title and LISTING_TITLE.match(s.title) and not markup:
        return no("index-page", "listing-title", s.title)
    if _is_excerpt_list(s) and not (markup and s.title_matched):
        # (an article whose markup and shown headline say so, cut short by a paywall after its
        # first paragraph ("..."), is weighed like any page)
        return no("index-page", "excerpt-list", f"{s.excerpt_paragraphs}/{s.body_paragraphs}")
    if (not markup and not s.title_matched and s.longest_run_chars >= 0 and s.teasers >= MIN_TEASER_LINKS
            and s.teasers >= s.prose_blocks and s.longest_run_chars < LISTING_RUN_CHARS):
        # teaser after teaser, each with at most an excerpt, and no story anywhere in the area
        return no("index-page", "teaser-list", f"{s.teasers} teasers, longest prose {s.longest_run_chars} chars")
    path = urlsplit(s.url).path if s.url else ""
    # Decisive signs of the URL: a listing path yields to what the crawl knew (a sitemap or feed
    # entry names a story whatever its path); a site page (masthead, policies) does not, since
    # page sitemaps list those too.
    if shape == "listing" and not markup and not crawl_knew:
        return no("index-page", "listing-url", path or "/")
    if shape == "static" and not markup:
        return no("static-page", "static-url", path)
    topic = len((s.title or "").split()) <= TOPIC_NAME_WORDS
    # a headline shown, markup about it and a date: a video's or a photo story's page, even with no
    # text (a section's name shown, "Indeks Berita", is no story's headline)
    text_less_story = markup and s.title_matched and s.has_date and not topic
    if s.body_chars < MIN_STORY_CHARS and not text_less_story:
        gallery = s.media_items >= GALLERY_MEDIA and s.title_matched
        return no("gallery-only" if gallery else "no-body", "story-text", s.body_chars)
    if s.body_chars < SHORT_BODY_CHARS and not s.title_matched and not crawl_knew:
        # next to no text and no headline shown: nothing on the page is a story, whatever the
        # markup says (an SEO plugin declares every page a NewsArticle, a home page too)
        return no("no-body", "story-text", s.body_chars)

    # Weighed evidence.
    def add(name: str, value, weight: float) -> None:
        ev.append(Evidence(name, value, weight))

    if shape == "listing":  # only reached with crawl knowledge or article markup
        # markup on a home, tag or search page is a template's default more often than a story's
        add("listing-url", path or "/", 0.0 if crawl_knew else W_LISTING_URL)
    if markup:
        add("article-markup", True, W_ARTICLE_MARKUP)
    add("headline-matched", s.title_matched,
        0.0 if not s.title_matched else W_TOPIC_MATCHED if topic else W_HEADLINE_MATCHED)
    add("date", s.has_date, W_DATE if s.has_date else 0.0)
    add("byline", s.has_author, W_BYLINE if s.has_author else 0.0)
    if s.near_headline is not None:
        add("near-headline", s.near_headline, W_NEAR_HEADLINE if s.near_headline else W_FAR_FROM_HEADLINE)
    if shape == "story":
        add("story-url", True, W_STORY_URL)
    add("body-chars", s.body_chars, _body_weight(s.body_chars))
    # teasers at least every other block, and no run of prose as long as the teasers' headlines
    # together (a tag page's intro paragraph above its list is no story)
    listing_shape = (s.longest_run_chars >= 0 and s.teasers >= MIN_TEASER_LINKS and s.teasers * 2 >= s.prose_blocks
                     and s.longest_run_chars < max(LISTING_RUN_CHARS, s.teaser_chars))
    add("teasers-in-content", s.teasers, W_TEASERS_IN_CONTENT if listing_shape else 0.0)
    if s.longest_run_chars >= 0:
        add("longest-prose-run", s.longest_run_chars, 0.0)
    score = sum(e.weight for e in ev)
    # Headline links elsewhere cost a pass over the page: count them only when they could matter.
    links = s.headline_links
    links_weight = W_LISTING_LINKS_LONG_BODY if s.body_chars >= LONG_BODY_CHARS else W_LISTING_LINKS
    if listing_shape or s.body_chars < MIN_BODY_CHARS:
        links = None  # already counted: a teaser list in the content area, a short body
    elif callable(links) and THRESHOLD <= score + links_weight:
        links = None
    elif callable(links):
        links = links()
    if links is not None:
        listing_links = links >= MIN_INDEX_HEADLINE_LINKS and s.body_chars < links * BODY_CHARS_PER_HEADLINE_LINK
        add("headline-links", links, links_weight if listing_links else 0.0)
        score += ev[-1].weight
    if s.body_chars < MIN_STORY_CHARS:  # only a text-less story gets here
        return Decision("article", "text-less-story", score, ev)
    if crawl_knew:
        return Decision("article", "crawl-knew", score, ev)
    if markup and s.title_matched and s.has_date and not topic:
        # markup about this very page, its headline shown as a heading, a date: together strong
        # enough that no weak evidence (a body the finder missed, teasers around it) outweighs them
        return Decision("article", "strong-evidence" if score < THRESHOLD else "evidence", score, ev)
    if score >= THRESHOLD:
        return Decision("article", "evidence", score, ev)
    if s.body_chars < MIN_BODY_CHARS:
        reason = "gallery-only" if s.media_items >= GALLERY_MEDIA and s.title_matched else "no-body"
    else:
        reason = "index-page"
    return Decision("not-article", reason, score, ev)
