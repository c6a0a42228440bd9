"""Site discovery: from a site's address to its profile (sources, article URL patterns, zone, whole-story view).

:func:`discover` is the procedure `warta add-site` and `warta crawl URL` run. It
fetches through an ``async fetch(url) -> Fetched`` callable: in a crawl that is
:class:`crawler.spiders.probe.DiscoverySpider`, so every request goes through
Scrapy's downloader (robots.txt obeyed, per-host politeness, retries, size limits
and time-outs); tests may give any other fetcher. The steps, in order:

1. the start page (its final URL is the site's base) and ``robots.txt`` (``Sitemap:`` lines);
2. sitemaps: robots' and the usual locations (``sitemap.xml``, ``sitemap_index.xml``,
   ``wp-sitemap.xml``, news sitemaps, gzipped ones); an index's children, newest first;
3. feeds: ``<link rel="alternate">`` on the start page, else ``/feed/``, ``/rss``,
   Blogger's ``/feeds/posts/default``;
4. index pages (``/indeks``, the start page and their next pages) only when 2-3 found too few
   article-like URLs;
5. ``article_urls``: the discovered URLs grouped by shape (date paths, ids, slugs), each
   group a readable regex, kept when its sample pages extract as articles;
6. the samples: their zone (WIB/WITA/WIT words and offsets on the pages), a whole-story
   view when stories are split over pages, and the element holding the text (for `warta check`).

Nothing here writes files; :func:`render_profile` turns a :class:`Discovery` into TOML.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from pipelines.page import UnpackError, gunzip_capped, is_gzip
from pipelines.profiles import ZONES, Profile, apply_whole_story, normalize_zone

#: Where sitemaps usually are, after robots.txt's ``Sitemap:`` lines.
USUAL_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap-news.xml",
                  "/news-sitemap.xml", "/sitemap_news.xml", "/sitemap.xml.gz", "/sitemap_index.xml.gz")
#: Where feeds usually are, when the start page announces none.
USUAL_FEEDS = ("/feed/", "/rss", "/rss.xml", "/feeds/posts/default")
#: Listing pages tried when sitemaps and feeds give too few article URLs.
USUAL_INDEX_PAGES = ("/indeks", "/index-news", "/berita", "/terkini")
#: Whole-story views tried on a story split over pages, in this order.
WHOLE_STORY_VARIANTS = ("?page=all", "?single=1", "/all", "?showpage=all")

#: Children of a sitemap index read (newest first); enough to learn URL shapes.
MAX_SITEMAP_CHILDREN = 8
#: Next pages followed per index page during discovery.
MAX_INDEX_FOLLOW = 2
#: Fewer article-like URLs than this from sitemaps and feeds: try index pages too.
MIN_ARTICLE_URLS = 5
#: URL groups sampled, and samples fetched per group in the first round.
MAX_GROUPS = 4
SAMPLES_PER_GROUP = 2
#: A slug of this many words or more reads as a headline (when the URL has no date or id).
MIN_HEADLINE_WORDS = 4

Fetch = Callable[[str], Awaitable["Fetched"]]


# ----------------------------------------------------------------------------------- results


@dataclass
class Fetched:
    """One response as discovery sees it (or why there was none)."""

    url: str
    final_url: str = ""
    status: int = 0
    body: bytes = b""
    content_type: str = ""
    error: str = ""  # "disallowed", "timeout", "dns", "refused", ... when there is no response

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 300 and bool(self.body)

    @property
    def reason(self) -> str:
        """Why the response is not usable: ``http-404``, ``disallowed`` ..., or "" when it is."""
        if self.error:
            return self.error
        if not 200 <= self.status < 300:
            return f"http-{self.status}"
        return "" if self.body else "empty"


@dataclass
class Source:
    """A sitemap, feed or index page discovery tried, and what it gave."""

    kind: str  # sitemap, feed, index
    url: str
    status: str = "ok"  # ok, or why not: http-404, not-a-sitemap, not-a-feed, disallowed ...
    found: int = 0  # URLs of the site it listed
    articles: int = 0  # of those, URLs the learned patterns accept
    note: str = ""  # "robots.txt", "announced by the start page", "index of 5 sitemaps" ...
    urls: set[str] = field(default_factory=set, repr=False)


@dataclass
class UrlPattern:
    """A learned ``article_urls`` regex and how it fared."""

    regex: str
    count: int  # discovered URLs it matches
    example: str
    dated: bool = False  # the URL shape carries a date or a numeric id
    samples: int = 0  # sample pages fetched
    articles: int = 0  # of those, pages that extracted as articles
    exclude: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.articles >= 1 and 2 * self.articles >= self.samples


@dataclass
class Sample:
    """A sample page: what page -> article made of it."""

    url: str
    article: bool
    title: str = ""
    published: str = ""  # ISO 8601 as stored
    body_chars: int = 0
    reason: str = ""  # not an article: why
    zone: str = ""  # WIB/WITA/WIT the page states, if any
    container: str = ""  # CSS selector of the element holding the text
    html: str = field(default="", repr=False)
    body: str = field(default="", repr=False)


@dataclass
class Discovery:
    """Everything discovery found about one site; ``profile`` is None when it failed (see ``error``)."""

    start_url: str
    slug: str = ""
    name: str = ""
    base_url: str = ""
    error: str = ""
    robots: str = ""  # what robots.txt said, in words
    sources: list[Source] = field(default_factory=list)
    urls_seen: int = 0
    patterns: list[UrlPattern] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    timezone: str = "Asia/Jakarta"
    zone_note: str = ""
    whole_story: str = ""
    whole_story_note: str = ""
    body_container: str = ""
    checked: date | None = None
    profile: Profile | None = None

    @property
    def articles(self) -> list[Sample]:
        return [s for s in self.samples if s.article]


# ----------------------------------------------------------------------------------- URLs


def normalize_start(url: str) -> str:
    """An http(s) start URL: a scheme added when missing, a path of at least ``/``.

    :raises ValueError: when ``url`` is not a web address.

    >>> normalize_start("kabarlebak.example")
    'https://kabarlebak.example/'
    >>> normalize_start("http://127.0.0.1:8080")
    'http://127.0.0.1:8080/'
    """
    text = (url or "").strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text:
        raise ValueError(f"not a web address: {url!r}")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


#: Second-level names under which Indonesian (and other) sites register: ``.co.id``, ``.or.id`` ...
_SECOND_LEVEL = {"co", "or", "go", "ac", "web", "my", "sch", "net", "com", "org", "gov", "biz", "ponpes", "desa"}


def site_slug(url: str) -> str:
    """A profile slug for a site address: its host without ``www.`` and public suffix.

    >>> site_slug("https://www.bantenekspose.com/")
    'bantenekspose'
    >>> site_slug("https://jogja.tribunnews.com")
    'jogja-tribunnews'
    >>> site_slug("https://kabar.co.id/"), site_slug("http://127.0.0.5:8080/")
    ('kabar', '127-0-0-5-8080')
    >>> site_slug("https://www.detik.com/jatim")
    'detik-jatim'
    """
    parts = urlsplit(normalize_start(url))
    host = (parts.hostname or "").removeprefix("www.")
    if _is_ip(host):
        labels = host.split(".") + ([str(parts.port)] if parts.port else [])
    else:
        labels = host.split(".")
        if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
            labels = labels[:-2]
        elif len(labels) >= 2:
            labels = labels[:-1]
        if parts.port:
            labels.append(str(parts.port))
    labels += [p for p in parts.path.split("/") if p][:2]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(labels).lower()).strip("-")
    return slug or "site"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _site_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _on_site(url: str, host: str, prefix: str = "") -> bool:
    parts = urlsplit(url)
    return (parts.scheme in ("http", "https") and (parts.hostname or "").lower().removeprefix("www.") == host
            and parts.path.startswith(prefix))


def _relative(url: str, base_url: str) -> str:
    """``url`` as a path when it is on ``base_url``'s origin (profiles write paths)."""
    if _origin(url) == _origin(base_url):
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url


# ----------------------------------------------------------------------------------- documents


def _day(text: str | None) -> date | None:
    """A day from a sitemap lastmod, news:publication_date, RSS pubDate or Atom updated."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    try:
        return date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        return None


def _xml_root(body: bytes):
    if is_gzip(body):  # a gzipped sitemap (sitemap.xml.gz); a bomb stops at the bound, unpacked no further
        try:
            body = gunzip_capped(body)
        except UnpackError:
            return None
    try:
        parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(body.lstrip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def read_sitemap(body: bytes) -> tuple[str, list[tuple[str, date | None]]]:
    """``(kind, entries)`` of a sitemap: kind ``index`` or ``urlset`` ("" when not a sitemap),
    entries ``(loc, day)`` with the day of ``lastmod`` or ``news:publication_date``. Gzipped
    bodies are read too.

    >>> read_sitemap(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
    ...              b'<loc>https://k.example/a</loc><lastmod>2026-07-24T10:00:00+07:00</lastmod></url></urlset>')
    ('urlset', [('https://k.example/a', datetime.date(2026, 7, 24))])
    """
    root = _xml_root(body)
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        return "", []
    entries = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc, day = None, None
        for child in node.iter():
            name = _local(child.tag)
            if name == "loc" and loc is None and child.text:
                loc = child.text.strip()
            elif name in ("lastmod", "publication_date") and child.text:
                day = max(filter(None, [day, _day(child.text)]), default=None)
        if loc:
            entries.append((loc, day))
    return ("index" if _local(root.tag) == "sitemapindex" else "urlset"), entries


def read_feed(body: bytes) -> list[tuple[str, date | None]] | None:
    """``(link, day)`` of each item of an RSS or Atom feed; None when ``body`` is not a feed.

    Atom entries link their page with ``rel="alternate"`` (Blogger lists replies,
    edit and self links too).

    >>> read_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="replies" href="/c"/>'
    ...           b'<link rel="alternate" href="https://b.example/2019/06/x.html"/>'
    ...           b'<published>2019-06-15T19:30:00+08:00</published></entry></feed>')
    [('https://b.example/2019/06/x.html', datetime.date(2019, 6, 15))]
    """
    root = _xml_root(body)
    if root is None or _local(root.tag) not in ("rss", "feed", "RDF"):
        return None
    items = []
    for node in root.iter():
        if _local(node.tag) not in ("item", "entry"):
            continue
        link, day = None, None
        for child in node:
            name = _local(child.tag)
            if name == "link":
                rel = child.get("rel", "alternate")
                href = child.get("href") or (child.text or "").strip()
                if href and rel == "alternate" and link is None:
                    link = href
            elif name in ("pubDate", "published", "updated", "date") and child.text and day is None:
                day = _day(child.text)
        if link:
            items.append((link, day))
    return items


def robots_sitemaps(body: bytes) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt (read with Protego, Scrapy's own robots parser).

    >>> robots_sitemaps(b"User-agent: *\\nDisallow: /cari/\\nSitemap: https://k.example/wp-sitemap.xml\\n")
    ['https://k.example/wp-sitemap.xml']
    """
    from protego import Protego

    try:
        return [s.strip() for s in Protego.parse(body.decode("utf-8", "replace")).sitemaps if s.strip()]
    except Exception:  # a hostile robots.txt must cost its sitemaps, not the discovery
        return []


def _selector(html: str, base_url: str):
    from parsel import Selector

    return Selector(text=html or "<html></html>", base_url=base_url)


def feed_links(html: str, base_url: str) -> list[str]:
    """Feeds a page announces with ``<link rel="alternate" type="application/rss+xml">`` (or Atom).

    >>> feed_links('<link rel="alternate" type="application/rss+xml" href="/berita/rss">', "https://k.example/")
    ['https://k.example/berita/rss']
    """
    sel = _selector(html, base_url)
    out = []
    for link in sel.css('link[rel~="alternate"]'):
        kind = (link.attrib.get("type") or "").lower()
        href = link.attrib.get("href")
        if href and ("rss" in kind or "atom" in kind):
            url = urljoin(base_url, href.strip())
            if url not in out:
                out.append(url)
    return out


def page_links(html: str, base_url: str) -> list[str]:
    """Every ``<a href>`` of a page, absolute, without fragment, in page order, once each."""
    sel = _selector(html, base_url)
    out, seen = [], set()
    for href in sel.css("a::attr(href)").getall():
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base_url, href).split("#")[0]
        if url not in seen:
            seen.add(url)
            out.append(url)
    return out


def next_page_link(html: str, base_url: str) -> str | None:
    """The "next page" link of a listing: ``rel="next"`` or a link saying next / berikutnya / selanjutnya."""
    sel = _selector(html, base_url)
    href = sel.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').get()
    if not href:
        for link in sel.css("a"):
            text = " ".join(link.css("::text").getall()).strip()
            if re.match(r"^(next|berikutnya|selanjutnya|lanjut|older)\b", text, re.I) or text in ("»", "›"):
                href = link.attrib.get("href")
                break
    return urljoin(base_url, href.strip()) if href else None


def site_name(html: str, host: str) -> str:
    """The site's name: ``og:site_name``, else the part of the start page's title that reads
    like the host ("Berita Terbaru | Warta Celebes" on wartacelebes.example: "Warta Celebes").

    >>> site_name("<title>Berita Terbaru | Warta Celebes</title>", "wartacelebes.example")
    'Warta Celebes'
    """
    sel = _selector(html, "http://x/")
    name = (sel.css('meta[property="og:site_name"]::attr(content)').get() or "").strip()
    if not name:
        title = " ".join((sel.css("title::text").get() or "").split())
        parts = [p for p in re.split(r"\s+[-|–—:•»]\s+", title) if p]
        label = re.sub(r"[^a-z0-9]", "", host.split(".")[0].lower())

        def likeness(part: str) -> int:
            squashed = re.sub(r"[^a-z0-9]", "", part.lower())
            return len(squashed) if squashed and (squashed in label or label in squashed) else 0

        name = max(parts, key=likeness) if parts and any(map(likeness, parts)) else (parts[0] if parts else "")
    return name[:80] or host


def common_title_part(htmls: list[str]) -> str:
    """The part every page's ``<title>`` shares ("... | Warta Celebes"): the site's name, or "".

    >>> common_title_part(["<title>Banjir di Antang | Warta Celebes</title>",
    ...                    "<title>PSM Tahan Imbang | Warta Celebes</title>"])
    'Warta Celebes'
    """
    shared = None
    for html in htmls:
        title = " ".join((_selector(html, "http://x/").css("title::text").get() or "").split())
        parts = {p for p in re.split(r"\s+[-|–—:•»]\s+", title) if p}
        shared = parts if shared is None else shared & parts
    return sorted(shared, key=len)[0] if shared and len(htmls) >= 2 else ""


def is_blogger(html: str) -> bool:
    return bool(re.search(r'<meta[^>]+content=["\']Blogger["\']', html or "", re.I))


# ----------------------------------------------------------------------------------- URL shapes

_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_TWO = re.compile(r"^\d{1,2}$")
_NUM = re.compile(r"^\d{3,}$")
_PREFIXED_ID = re.compile(r"^([a-z]{1,4})-(\d{3,})$")
_SLUG_ID_EXT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-\d{3,}\.(html?|php)$")
_SLUG_EXT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.(html?|php)$")
_SLUG_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+-\d{4,}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+){2,}$")


@dataclass(frozen=True)
class _Token:
    kind: str  # year, two, num, pid, slug-id-ext, slug-ext, slug-id, slug, word
    regex: str
    literal: str = ""  # the segment itself (word) or its fixed part (pid prefix, extension)
    words: int = 0  # words of a slug


def _token(segment: str, previous: str) -> _Token:
    if _YEAR.match(segment):
        return _Token("year", r"\d{4}")
    if _TWO.match(segment) and previous in ("year", "two"):
        return _Token("two", r"\d{2}" if len(segment) == 2 else r"\d{1,2}")
    if _NUM.match(segment):
        return _Token("num", r"\d+")
    m = _PREFIXED_ID.match(segment)
    if m:
        return _Token("pid", re.escape(m[1]) + r"-\d+", literal=m[1])
    m = _SLUG_ID_EXT.match(segment)
    if m:
        return _Token("slug-id-ext", r"[a-z0-9-]+-\d+\." + m[1], literal=m[1], words=segment.count("-"))
    m = _SLUG_EXT.match(segment)
    if m:
        return _Token("slug-ext", r"[a-z0-9-]+\." + m[1], literal=m[1], words=segment.count("-") + 1)
    if _SLUG_ID.match(segment):
        return _Token("slug-id", r"[a-z0-9-]+-\d+", words=segment.count("-"))
    if _SLUG.match(segment):
        return _Token("slug", r"[a-z0-9-]+", words=segment.count("-") + 1)
    return _Token("word", "", literal=segment)


def _tokens(url: str) -> tuple[tuple[_Token, ...], bool] | None:
    """The path of ``url`` as tokens, and whether it ends with ``/``; None for a URL with a query."""
    parts = urlsplit(url)
    if parts.query:
        return None
    segments = [s for s in parts.path.split("/") if s]
    out: list[_Token] = []
    for seg in segments:
        out.append(_token(seg, out[-1].kind if out else ""))
    if any(t.kind == "year" for t in out):
        # beside a date, "...-run-2026" is a slug that ends in a number, not an id
        out = [_Token("slug", r"[a-z0-9-]+", words=t.words + 1) if t.kind == "slug-id" else t for t in out]
    return tuple(out), parts.path.endswith("/") and bool(segments)


def _shape_key(tokens: tuple[_Token, ...]) -> tuple:
    return tuple((t.kind, t.literal if t.kind in ("pid", "slug-ext", "slug-id-ext") else "") for t in tokens)


def _dated(tokens: tuple[_Token, ...]) -> bool:
    """True when the shape carries a date or an id: what sets an article URL apart from a page's."""
    kinds = {t.kind for t in tokens}
    return "year" in kinds or bool(kinds & {"num", "pid", "slug-id", "slug-id-ext"})


def _headline_words(tokens: tuple[_Token, ...]) -> int:
    return max((t.words for t in tokens if t.kind.startswith("slug")), default=0)


def _article_like(tokens: tuple[_Token, ...], words: list[int]) -> bool:
    kinds = {t.kind for t in tokens}
    has_slug = any(k.startswith("slug") for k in kinds)
    if _dated(tokens) and (has_slug or "num" in kinds or "pid" in kinds):
        return True
    words = sorted(words)
    return has_slug and bool(words) and words[len(words) // 2] >= MIN_HEADLINE_WORDS


def learn_patterns(urls: list[str]) -> list[UrlPattern]:
    """``article_urls`` candidates from discovered URLs of one site, largest group first.

    URLs are grouped by the shape of their path (dates, ids, slugs, fixed words); a
    group whose shape reads as an article's becomes one regex over the path. A word
    that varies within the group (a section) becomes ``[a-z0-9-]+``; without a date
    or id in the shape, the slug must have :data:`MIN_HEADLINE_WORDS` words, and
    look-alike pages sharing the shape (``/tag/...``, ``/author/...``) become exclusions.

    >>> [p.regex for p in learn_patterns([
    ...     "https://k.example/2019/11/28/dinas-koperasi-dorong-usaha-bersama/",
    ...     "https://k.example/2019/12/03/longsor-tutup-jalan-cipanas/",
    ...     "https://k.example/category/ekonomi/", "https://k.example/redaksi/"])]
    ['^https?://[^/]+/\\\\d{4}/\\\\d{2}/\\\\d{2}/[a-z0-9-]+/$']
    """
    groups: dict[tuple, list[tuple[str, tuple[_Token, ...], bool]]] = {}
    for url in dict.fromkeys(urls):
        parsed = _tokens(url)
        if parsed is None or not parsed[0]:
            continue
        tokens, slash = parsed
        groups.setdefault(_shape_key(tokens), []).append((url, tokens, slash))
    patterns = []
    for members in groups.values():
        # sub-groups by the fixed words of the shape: /ekonomi/<slug>/ apart from /author/<name>/
        subgroups: dict[tuple, list] = {}
        for member in members:
            words_key = tuple(t.literal for t in member[1] if t.kind == "word")
            subgroups.setdefault(words_key, []).append(member)
        good, bad = [], []
        for key, sub in subgroups.items():
            like = _article_like(sub[0][1], [_headline_words(m[1]) for m in sub])
            (good if like else bad).append((key, sub))
        if not good:
            continue
        kept = [m for _, sub in good for m in sub]
        tokens = kept[0][1]
        dated = _dated(tokens)
        parts = []
        word_positions = [i for i, t in enumerate(tokens) if t.kind == "word"]
        variable = set()
        for i, t in enumerate(tokens):
            if t.kind == "word":
                values = {m[1][i].literal for m in kept}
                if len(values) == 1:
                    parts.append(re.escape(t.literal))
                else:
                    variable.add(i)
                    plain = all(re.fullmatch(r"[a-z0-9-]+", v) for v in values)
                    parts.append(r"[a-z0-9-]+" if plain else r"[^/]+")
            elif t.kind == "slug" and not dated:
                parts.append(rf"[a-z0-9]+(?:-[a-z0-9]+){{{MIN_HEADLINE_WORDS - 1},}}")
            else:
                parts.append(t.regex)
        slashes = {m[2] for m in kept}
        tail = "/$" if slashes == {True} else ("$" if slashes == {False} else "/?$")
        regex = r"^https?://[^/]+/" + "/".join(parts) + tail
        exclude = []
        for key, _sub in bad:
            # a look-alike: the same shape with another fixed word where the regex lets any word through
            for pos, word in zip(word_positions, key, strict=True):
                if pos in variable and all(m[1][pos].literal != word for m in kept):
                    exclude.append(r"^https?://[^/]+/" + "/".join(
                        [*(re.escape(tokens[j].literal) if j not in variable else r"[^/]+" for j in range(pos)),
                         re.escape(word)]) + "/")
                    break
        pattern = UrlPattern(regex=regex, count=0, example=kept[0][0], dated=dated,
                             exclude=tuple(dict.fromkeys(exclude)))
        pattern.count = sum(1 for m in members if _matches(pattern, m[0]))
        patterns.append(pattern)
    patterns.sort(key=lambda p: (-p.count, p.regex))
    # a shape whose URLs a larger pattern already matches adds nothing
    kept_patterns: list[UrlPattern] = []
    for pattern in patterns:
        mine = [m[0] for members in groups.values() for m in members if _matches(pattern, m[0])]
        if not any(all(_matches(k, u) for u in mine) for k in kept_patterns):
            kept_patterns.append(pattern)
    return kept_patterns


def _matches(pattern: UrlPattern, url: str) -> bool:
    return bool(re.search(pattern.regex, url)) and not any(re.search(x, url) for x in pattern.exclude)


# ----------------------------------------------------------------------------------- zones

_ZONE_WORD = re.compile(r"(?<![\w:.])\d{1,2}[.:]\d{2}(?:[.:]\d{2})?\s*(?:\)\s*)?(WIB|WITA|WIT)\b", re.I)
_ISO_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*([+-]\d{2}):?(\d{2})")
_OFFSET_ZONE = {"+07": "WIB", "+08": "WITA", "+09": "WIT"}


def page_zone(html: str) -> str:
    """The zone a page states: WIB, WITA or WIT written after a time ("19.30 WITA"), else the
    offset of its ISO times (+07:00, +08:00, +09:00), else "".

    Words outweigh offsets: some templates write every host's times with the
    network's +07:00, and some label WIB times as UTC.

    >>> page_zone('<span>Sabtu, 15 Juni 2019 | 19.30 WITA</span>'), page_zone('"datePublished":"2026-07-24T12:40:00+09:00"')
    ('WITA', 'WIT')
    """
    words = Counter(m.upper() for m in _ZONE_WORD.findall(html or ""))
    if words:
        return words.most_common(1)[0][0]
    offsets = Counter(_OFFSET_ZONE[h] for h, mm in _ISO_OFFSET.findall(html or "") if h in _OFFSET_ZONE and mm == "00")
    return offsets.most_common(1)[0][0] if offsets else ""


def infer_zone(samples: list[Sample], asked: str | None = None) -> tuple[str, str]:
    """``(IANA zone, note)`` from what the sample pages state, confirmed or overridden by ``asked``.

    :raises ValueError: when ``asked`` is not an Indonesian zone.
    """
    by_abbrev = {v: k for k, v in ZONES.items()}
    votes = Counter(s.zone for s in samples if s.zone)
    found = votes.most_common(1)[0][0] if votes else ""
    pages = f"{votes[found]} of {len(samples)} sample pages" if found else ""
    if asked:
        zone = normalize_zone(asked)
        wanted = ZONES[zone]
        if not found:
            return zone, f"{wanted}: given with --timezone (the pages state no zone)"
        if found == wanted:
            return zone, f"{wanted}: given with --timezone and stated on {pages}"
        return zone, f"{wanted}: given with --timezone, although {pages} state {found}"
    if found:
        return by_abbrev[found], f"{found}: stated on {pages}"
    return "Asia/Jakarta", "WIB: assumed, the pages state no zone (pass --timezone when the site is not in WIB)"


# ----------------------------------------------------------------------------------- samples


def _decode(fetched: Fetched) -> str:
    from pipelines.parse import decode_page

    try:
        return decode_page(fetched.body, fetched.content_type)
    except Exception:  # not text: nothing to read
        return ""


def _page(fetched: Fetched, url: str):
    from pipelines.page import Page

    headers = {"Content-Type": fetched.content_type} if fetched.content_type else {}
    return Page(url=url, body=fetched.body, fetched_at=datetime.now(UTC), final_url=fetched.final_url or url,
                status=fetched.status or 200, headers=headers)


def _iso(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def extract_sample(fetched: Fetched, url: str, profile: Profile) -> Sample:
    """What page -> article makes of one fetched sample (never raises)."""
    from pipelines.core import derive_article
    from pipelines.errors import WartaError

    if not fetched.ok:
        return Sample(url=url, article=False, reason=fetched.reason)
    html = _decode(fetched)
    sample = Sample(url=url, article=False, zone=page_zone(html), html=html)
    try:
        article = derive_article(_page(fetched, url), profile)
    except WartaError as e:
        sample.reason = getattr(e, "reason", "") or type(e).__name__
        return sample
    except Exception as e:  # a bug in a rule costs this sample, not the discovery
        sample.reason = f"error: {type(e).__name__}"
        return sample
    sample.article = True
    sample.title = article.title or ""
    sample.published = _iso(article.published)
    sample.body = article.body or ""
    sample.body_chars = len(sample.body)
    sample.container = body_container(fetched, url, profile)
    return sample


def css_selector(tree, element) -> str:
    """A short CSS selector that matches ``element`` and nothing else in ``tree`` ("" if none).

    Ids and classes with digits (``post-1207``) are left out: they change from page to page.
    """
    def simple(el) -> list[str]:
        out = []
        ident = el.get("id") or ""
        if ident and re.fullmatch(r"[A-Za-z][\w-]*", ident) and not re.search(r"\d", ident):
            out.append(f"#{ident}")
        classes = [c for c in (el.get("class") or "").split() if re.fullmatch(r"[A-Za-z_][\w-]*", c)
                   and not re.search(r"\d", c)]
        if classes:
            out.append(el.tag + "".join(f".{c}" for c in classes[:2]))
        return out

    def unique(selector: str) -> bool:
        try:
            found = tree.cssselect(selector)
        except Exception:
            return False
        return len(found) == 1 and found[0] is element

    for candidate in simple(element):
        if unique(candidate):
            return candidate
    parent = element.getparent()
    if parent is not None:
        for outer in simple(parent):
            for inner in [*simple(element), element.tag]:
                if unique(f"{outer} > {inner}"):
                    return f"{outer} > {inner}"
    return ""


def body_container(fetched: Fetched, url: str, profile: Profile) -> str:
    """CSS selector of the (first) element page -> article took the body from ("" when none)."""
    from pipelines.core import content_roots

    try:
        tree, roots = content_roots(_page(fetched, url), profile)
    except Exception:
        return ""
    return css_selector(tree, roots[0]) if roots else ""


def container_present(html: str, selector: str) -> bool:
    """True when ``selector`` matches an element with text in ``html``."""
    from pipelines.parse import parse_html

    try:
        tree = parse_html(html)
        return any(" ".join(el.text_content().split()) for el in tree.cssselect(selector))
    except Exception:
        return False


def common_container(articles: list[Sample]) -> str:
    """The body container of the template: the selector most samples' text was in, kept only
    when at least two samples agree and it holds text on every sample page."""
    votes = Counter(s.container for s in articles if s.container)
    if not votes:
        return ""
    selector, n = votes.most_common(1)[0]
    if n < 2 or not all(container_present(s.html, selector) for s in articles):
        return ""
    return selector


def whole_story_form(article_url: str, view_url: str) -> str:
    """The whole-story form (``?page=all``, ``/all`` ...) that turns ``article_url`` into ``view_url``.

    >>> whole_story_form("https://k.example/read/1/banjir", "https://k.example/read/1/banjir?page=all")
    '?page=all'
    >>> whole_story_form("https://k.example/read/1/banjir", "https://k.example/read/1/banjir/all")
    '/all'
    """
    a, v = urlsplit(article_url), urlsplit(view_url)
    if a.netloc != v.netloc:
        return ""
    if v.path.rstrip("/") == a.path.rstrip("/"):
        from urllib.parse import parse_qsl

        extra = [(k, val) for k, val in parse_qsl(v.query) if (k, val) not in parse_qsl(a.query)]
        if len(extra) == 1 and re.fullmatch(r"[a-z_]+", extra[0][0]) and re.fullmatch(r"[a-z0-9]+", extra[0][1]):
            return f"?{extra[0][0]}={extra[0][1]}"
        return ""
    suffix = v.path[len(a.path.rstrip("/")):] if v.path.startswith(a.path.rstrip("/")) else ""
    return suffix if re.fullmatch(r"/[a-z]+", suffix) else ""


# ----------------------------------------------------------------------------------- the procedure


class _Pool:
    """Discovered URLs of the site, with the day a sitemap or feed gave them and where they came from."""

    def __init__(self):
        self.days: dict[str, date | None] = {}
        self.order: dict[str, int] = {}

    def add(self, url: str, day: date | None, source: Source) -> None:
        source.urls.add(url)
        if url not in self.order:
            self.order[url] = len(self.order)
            self.days[url] = day
        elif day and (self.days[url] is None or day > self.days[url]):
            self.days[url] = day

    def newest(self, urls) -> list[str]:
        """``urls`` newest first: dated ones by day, then undated ones in the order found."""
        return sorted(urls, key=lambda u: (-(self.days[u] or date.min).toordinal(), self.order[u]))


async def _gather(fetch: Fetch, urls: list[str]) -> list[Fetched]:
    return list(await asyncio.gather(*(fetch(u) for u in urls)))


async def discover(fetch: Fetch, start_url: str, *, slug: str | None = None, timezone: str | None = None,
                   sample_size: int = 5) -> Discovery:
    """Discover the site at ``start_url`` and build its profile (``result.profile``).

    :param fetch: ``async fetch(url) -> Fetched``; discovery asks it for at most a few dozen URLs
    :param slug: the profile's slug (default: from the site's host, see :func:`site_slug`)
    :param timezone: the site's zone as the user knows it (WIB/WITA/WIT or an IANA name);
        confirmed against, or put above, what the pages state
    :param sample_size: article pages fetched and extracted to check the patterns
    :returns: a :class:`Discovery`; when nothing usable was found, ``profile`` is None and
        ``error`` says why (never raises for a site's failure)
    :raises ValueError: when ``start_url`` or ``timezone`` is malformed
    """
    start = normalize_start(start_url)
    if timezone:
        normalize_zone(timezone)
    found = Discovery(start_url=start, slug=slug or site_slug(start), checked=date.today())
    home = await fetch(start)
    if not home.ok:
        found.error = f"{start}: {home.reason}"
        return found
    final = home.final_url or start
    prefix = urlsplit(start).path.rstrip("/")
    found.base_url = _origin(final) + prefix
    host = _site_host(final)
    home_html = _decode(home)
    found.name = site_name(home_html, host)
    pool = _Pool()
    origin = _origin(final)

    def probes(paths) -> list[str]:
        out = [found.base_url + p for p in paths]
        return out + ([origin + p for p in paths] if prefix else [])

    # robots.txt and sitemaps
    robots = await fetch(origin + "/robots.txt")
    listed = robots_sitemaps(robots.body) if robots.ok else []
    found.robots = (f"robots.txt lists {len(listed)} sitemap{'s' if len(listed) != 1 else ''}" if robots.ok
                    else f"no robots.txt ({robots.reason})")
    seen_final: dict[str, Source] = {}
    candidates = list(dict.fromkeys([*listed, *probes(USUAL_SITEMAPS)]))
    for url, response in zip(candidates, await _gather(fetch, candidates), strict=True):
        if url not in listed and not response.ok:
            continue  # a usual location that does not exist is no news
        source = Source("sitemap", url, note="robots.txt" if url in listed else "usual location")
        await _read_sitemap(fetch, response, source, pool, host, prefix, seen_final)
        found.sources.append(source)

    # feeds
    announced = [u for u in feed_links(home_html, final) if _on_site(u, host)]
    feeds = list(announced)
    if is_blogger(home_html):
        feeds = list(dict.fromkeys([*feeds, found.base_url + "/feeds/posts/default"]))
    probe_feeds = not feeds
    if probe_feeds:
        feeds = probes(USUAL_FEEDS)
    for url, response in zip(feeds, await _gather(fetch, feeds), strict=True):
        if probe_feeds and not response.ok:
            continue
        source = Source("feed", url, note="announced by the start page" if url in announced else "usual location")
        items = read_feed(response.body) if response.ok else None
        if not response.ok:
            source.status = response.reason
        elif items is None:
            source.status = "not-a-feed"
        else:
            for link, day in items:
                link = urljoin(response.final_url or url, link)
                if _on_site(link, host, prefix):
                    pool.add(link, day, source)
            source.found = len(source.urls)
        found.sources.append(source)

    patterns = learn_patterns(list(pool.order))
    if sum(p.count for p in patterns) < MIN_ARTICLE_URLS:
        await _read_index_pages(fetch, found, home, home_html, probes(USUAL_INDEX_PAGES), pool, host, prefix)
        patterns = learn_patterns(list(pool.order))
    found.urls_seen = len(pool.order)
    if not patterns:
        found.error = f"found {found.urls_seen} URLs on the site, none shaped like an article's"
        return found

    # samples: each candidate pattern is checked on its newest pages
    # no zone imposed before it is known: the pages' own evidence decides (docs/dates.md)
    probe_profile = Profile(slug=found.slug, base_url=found.base_url, domains=(host,),
                            timezone=normalize_zone(timezone) if timezone else None)
    sampled: set[str] = set()
    samples: list[Sample] = []

    async def take(pattern: UrlPattern, n: int) -> None:
        urls = [u for u in pool.newest(pool.order) if u not in sampled and _matches(pattern, u)][:n]
        sampled.update(urls)
        for url, response in zip(urls, await _gather(fetch, urls), strict=True):
            sample = extract_sample(response, url, probe_profile)
            if sample.reason in ("disallowed", "ignored"):
                continue  # robots.txt keeps us out: says nothing about the pattern
            pattern.samples += 1
            pattern.articles += sample.article
            samples.append(sample)

    candidates_p = patterns[:MAX_GROUPS]
    for pattern in candidates_p:
        await take(pattern, SAMPLES_PER_GROUP)
    accepted = [p for p in candidates_p if p.accepted]
    while accepted and len([s for s in samples if s.article]) < sample_size:
        before = len(samples)
        for pattern in accepted:
            await take(pattern, 1)
        if len(samples) == before:
            break
    found.patterns = candidates_p
    found.samples = samples
    if not accepted:
        found.error = (f"none of the {len(candidates_p)} URL shapes found gave articles "
                       f"({sum(p.samples for p in candidates_p)} sample pages tried)")
        return found

    articles = found.articles
    if not re.search(r'property=["\']og:site_name', home_html):
        found.name = common_title_part([s.html for s in articles]) or found.name
    found.timezone, found.zone_note = infer_zone(articles, timezone)
    probe_profile = Profile(slug=found.slug, base_url=found.base_url, domains=(host,), timezone=found.timezone)
    await _whole_story(fetch, found, articles, probe_profile)
    found.body_container = common_container(articles)
    for source in found.sources:
        source.articles = sum(1 for u in source.urls if any(_matches(p, u) for p in accepted))
    found.profile = build_profile(found, host)
    # what a reader sees: the samples as the crawl will extract them (the whole story, the zone)
    views = [apply_whole_story(s.url, found.whole_story) for s in articles] if found.whole_story else []
    fetched = await _gather(fetch, views) if views else [None] * len(articles)
    for sample, view in zip(articles, fetched, strict=True):
        if view is None or not view.ok:
            view = Fetched(sample.url, status=200, body=sample.html.encode("utf-8"),
                           content_type="text/html; charset=utf-8")
        again = extract_sample(view, sample.url, found.profile)
        if again.article:
            sample.published, sample.body_chars, sample.body = again.published, again.body_chars, again.body
    return found


async def _read_sitemap(fetch: Fetch, response: Fetched, source: Source, pool: _Pool, host: str, prefix: str,
                        seen_final: dict[str, Source]) -> None:
    if not response.ok:
        source.status = response.reason
        return
    final = response.final_url or source.url
    if final in seen_final and seen_final[final] is not source:
        source.status = "duplicate"
        source.note = f"same as {seen_final[final].url}"
        return
    seen_final[final] = source
    if final != source.url:
        source.note += f"; redirects to {final}"
        source.url = final
    kind, entries = read_sitemap(response.body)
    if not kind:
        source.status = "not-a-sitemap"
        return
    if kind == "index":
        children = sorted(entries, key=lambda e: (e[1] or date.min), reverse=True)
        children = [urljoin(final, loc) for loc, _ in children if _on_site(urljoin(final, loc), host)]
        source.note += f"; index of {len(children)} sitemaps"
        read = children[:MAX_SITEMAP_CHILDREN]
        for child, got in zip(read, await _gather(fetch, read), strict=True):
            if got.ok:
                child_kind, child_entries = read_sitemap(got.body)
                if child_kind == "urlset":
                    for loc, day in child_entries:
                        url = urljoin(child, loc)
                        if _on_site(url, host, prefix):
                            pool.add(url, day, source)
    else:
        for loc, day in entries:
            url = urljoin(final, loc)
            if _on_site(url, host, prefix):
                pool.add(url, day, source)
    source.found = len(source.urls)


async def _read_index_pages(fetch: Fetch, found: Discovery, home: Fetched, home_html: str, probes: list[str],
                            pool: _Pool, host: str, prefix: str) -> None:
    """The last resort: the links of the start page and the usual index pages, and a few of their next pages."""
    pages: list[tuple[str, Fetched, str]] = [(found.start_url, home, home_html)]
    for url, response in zip(probes, await _gather(fetch, probes), strict=True):
        if response.ok:
            pages.append((url, response, _decode(response)))
    for url, response, html in pages:
        source = Source("index", url, note="start page" if response is home else "usual location")
        final = response.final_url or url
        for _ in range(MAX_INDEX_FOLLOW + 1):
            for link in page_links(html, final):
                if _on_site(link, host, prefix):
                    pool.add(link, None, source)
            nxt = next_page_link(html, final)
            if not nxt or not _on_site(nxt, host):
                break
            following = await fetch(nxt)
            if not following.ok:
                break
            final, html = following.final_url or nxt, _decode(following)
        source.found = len(source.urls)
        found.sources.append(source)


async def _whole_story(fetch: Fetch, found: Discovery, articles: list[Sample], profile: Profile) -> None:
    """Find how the site shows a story split over pages on one page (``found.whole_story``)."""
    from pipelines.core import SINGLE_PAGE_HREF, derive_article, next_page_urls
    from pipelines.errors import WartaError

    for sample in articles:
        following = next_page_urls(sample.html, sample.url, profile)
        if not following:
            continue
        if len(following) == 1 and (SINGLE_PAGE_HREF.search(following[0]) or following[0].rstrip("/").endswith("/all")):
            form = whole_story_form(sample.url, following[0])
            if form:
                found.whole_story = form
                found.whole_story_note = (f"stories are split over pages; {urlsplit(sample.url).path} links its "
                                          "whole-story view")
                return
        page2 = await fetch(following[0])
        if not page2.ok:
            continue
        page1 = Fetched(sample.url, status=200, body=sample.html.encode("utf-8"), content_type="text/html; charset=utf-8")
        try:
            merged = derive_article([_page(page1, sample.url), _page(page2, following[0])], profile).body
        except WartaError:
            continue
        last = merged.split("\n\n")[-1][:80]
        for form in WHOLE_STORY_VARIANTS:
            view = await fetch(apply_whole_story(sample.url, form))
            if not view.ok:
                continue
            try:
                body = derive_article(_page(view, sample.url), profile).body
            except WartaError:
                continue
            if last and last in body and len(body) >= 0.9 * len(merged):
                found.whole_story = form
                found.whole_story_note = (f"stories are split over pages; {form} shows all "
                                          f"{len(following) + 1} pages of {urlsplit(sample.url).path} at once")
                return
        found.whole_story_note = (f"stories are split over pages ({urlsplit(sample.url).path}); no whole-story "
                                  f"view answered ({', '.join(WHOLE_STORY_VARIANTS)}): the crawl follows the pager")
        return


def build_profile(found: Discovery, host: str) -> Profile:
    """The :class:`Profile` of a successful discovery: sources that gave article URLs, accepted patterns."""
    accepted = [p for p in found.patterns if p.accepted]
    sitemaps, covered = [], set()
    for source in sorted((s for s in found.sources if s.kind == "sitemap" and s.articles),
                         key=lambda s: -s.articles):
        mine = {u for u in source.urls if any(_matches(p, u) for p in accepted)}
        if mine - covered:
            sitemaps.append(_relative(source.url, found.base_url))
            covered |= mine
    feeds = [_relative(s.url, found.base_url) for s in found.sources if s.kind == "feed" and s.articles]
    index_pages = []
    if not sitemaps and not feeds:
        index_pages = [_relative(s.url, found.base_url) for s in found.sources if s.kind == "index" and s.articles]
    return Profile(
        slug=found.slug,
        name=found.name,
        base_url=found.base_url,
        domains=(host,),
        timezone=found.timezone,
        checked=found.checked,
        sitemaps=tuple(sitemaps),
        feeds=tuple(feeds),
        index_pages=tuple(index_pages),
        article_urls=tuple(p.regex for p in accepted),
        exclude_urls=tuple(dict.fromkeys(x for p in accepted for x in p.exclude)),
        whole_story=found.whole_story,
        check={"body": found.body_container} if found.body_container else {},
    )


# ----------------------------------------------------------------------------------- TOML


def toml_string(value: str) -> str:
    """A TOML string: a literal '...' string when it can be one (regexes read best), else a basic one.

    >>> print(toml_string(r"^https?://[^/]+/\\d{4}/"), toml_string("Kabar 'Lebak'"))
    '^https?://[^/]+/\\d{4}/' "Kabar 'Lebak'"
    """
    if "'" not in value and "\n" not in value and not re.search(r"[\x00-\x1f\x7f]", value):
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)


def _list(values, indent: str = "") -> str:
    if not values:
        return "[]"
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def render_profile(found: Discovery, command: str = "") -> str:
    """The profile of a discovery as commented TOML (what `warta add-site` writes)."""
    p = found.profile
    if p is None:
        raise ValueError(f"{found.start_url}: nothing to write ({found.error})")
    lines = [
        f"# {p.name}: site profile written by `{command or 'warta add-site ' + found.start_url}` on {found.checked}.",
        "# Check it against the live site any time with `warta check " + p.slug + "`; edit it freely",
        "# (crawler/sites/README.md in warta documents every field).",
        f"name = {toml_string(p.name)}",
        f"base_url = {toml_string(p.base_url)}",
        f"domains = {_list(p.domains)}",
        f"timezone = {toml_string(p.timezone)}  # {found.zone_note}",
        'language = "id"',
        f"checked = {found.checked}  # the day add-site checked this profile against the live site",
        "",
        "[discovery]",
        f"# {found.robots}; {found.urls_seen} URLs of the site seen in sitemaps, feeds and index pages.",
    ]
    for kind, chosen in (("sitemap", p.sitemaps), ("feed", p.feeds), ("index", p.index_pages)):
        for source in (s for s in found.sources if s.kind == kind):
            used = _relative(source.url, p.base_url) in chosen
            state = "used" if used else ("not used" if source.status == "ok" else f"not used: {source.status}")
            lines.append(f"# {kind} {_relative(source.url, p.base_url)} ({source.note.lstrip('; ')}): "
                         f"{source.found} URL{'' if source.found == 1 else 's'}, {source.articles} of them "
                         f"article{'' if source.articles == 1 else 's'}; {state}")
    lines.append(f"sitemaps = {_list(p.sitemaps)}")
    lines.append(f"feeds = {_list(p.feeds)}")
    if p.index_pages:
        lines.append(f"index_pages = {_list(p.index_pages)}")
    accepted = [x for x in found.patterns if x.accepted]
    lines.append("# Article URLs, learned from the URLs seen and checked on sample pages:")
    lines.append("article_urls = [")
    for pattern in accepted:
        lines.append(f"    {toml_string(pattern.regex)},  # {pattern.count} URLs, {pattern.articles} of "
                     f"{pattern.samples} samples articles; e.g. {urlsplit(pattern.example).path}")
    lines.append("]")
    for pattern in (x for x in found.patterns if not x.accepted):
        lines.append(f"# not articles: {pattern.regex} ({pattern.articles} of {pattern.samples} samples; "
                     f"e.g. {urlsplit(pattern.example).path})")
    if p.exclude_urls:
        lines.append("# Pages shaped like articles that are not (tags, authors ...):")
        lines.append(f"exclude_urls = {_list(p.exclude_urls)}")
    if found.whole_story_note:
        lines.append(f"# {found.whole_story_note}")
    if p.whole_story:
        lines.append(f"whole_story = {toml_string(p.whole_story)}")
    if p.check:
        lines += [
            "",
            "[check]",
            "# The element holding the article text on every sample page. `warta check` reports the",
            "# template changed when it is gone; extraction does not use it.",
            f"body = {toml_string(p.check['body'])}",
        ]
    return "\n".join(lines) + "\n"
