"""Read an article's fields from structured data (JSON-LD, OpenGraph, meta tags) and the visible page."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

# JSON-LD @type values that describe the article itself.
ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "socialmediaposting", "liveblogposting",
    "scholarlyarticle", "techarticle", "report",
})
# JSON-LD @type values that say "this page is a list of things", not one story.
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "website"})

# Separators between a headline and the site name in <title> and og:title.
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ")

# Whitespace runs, and control characters that pages smuggle into text, become one space.
_WS = re.compile(r"[\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")
# The control characters of _WS that are not whitespace (str.split() splits on exactly what \s matches).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_NAME_URL = re.compile(r"^(https?:)?//|^www\.", re.I)


def norm_space(text: str | None) -> str:
    """Whitespace (including NBSP and zero-width spaces) collapsed to single spaces, trimmed.

    >>> norm_space("  Kamis,\\xa028/11/2019 \\n ")
    'Kamis, 28/11/2019'
    """
    if not text:
        return ""
    text = text.replace("\u200b", "").replace("\ufeff", "")
    if _CONTROL.search(text) is None:
        return " ".join(text.split())  # the common case, several times faster than the regex
    return _WS.sub(" ", text).strip()


@dataclass
class Metadata:
    """What the page says about itself in machine-readable form."""

    jsonld: dict = field(default_factory=dict)  # the article object of the JSON-LD, if any
    jsonld_types: set[str] = field(default_factory=set)  # every @type seen, lower case
    meta: dict[str, str] = field(default_factory=dict)  # first value of each meta name/property, lower-case key
    meta_all: dict[str, list[str]] = field(default_factory=dict)
    title_tag: str = ""
    canonical: str = ""
    lang: str = ""
    next_links: list[str] = field(default_factory=list)  # <link rel=next>
    jsonld_elsewhere: bool = False  # article markup present, but it describes other pages
    # As read, for the dates stage (so that it reads neither again): each script typed exactly
    # "application/ld+json" as (stripped text, its JSON, or ... when the text needed the cleanup
    # of _load_json), and each <meta> as (property, name, itemprop, content), in document order.
    ld_scripts: list[tuple[str, object]] = field(default_factory=list, repr=False, compare=False)
    meta_tags: list[tuple] = field(default_factory=list, repr=False, compare=False)

    def first(self, *keys: str) -> str:
        for key in keys:
            value = norm_space(self.meta.get(key))
            if value:
                return value
        return ""


def _iter_jsonld_objects(data, depth: int = 0):
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _iter_jsonld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data and isinstance(data[key], list | dict):
                yield from _iter_jsonld_objects(data[key], depth + 1)


def _types(obj: dict) -> list[str]:
    t = obj.get("@type", [])
    if isinstance(t, str):
        t = [t]
    return [str(x).lower() for x in t if isinstance(x, str)]


_TRAILING_COMMA = re.compile(r",\s*([\]}])")


def _load_json(text: str):
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.strip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", text), strict=False)
    except ValueError:
        return None


def read_metadata(tree, url: str | None = None) -> Metadata:
    """Collect JSON-LD (incl. ``@graph``), meta/OpenGraph tags, ``<title>``, canonical and language.

    >>> import lxml.html
    >>> t = lxml.html.fromstring('<html lang="id"><head><title>Banjir di Lebak - Kabar Lebak</title>'
    ...   '<meta property="og:title" content="Banjir di Lebak">'
    ...   '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "headline": "Banjir di Lebak"}]}'
    ...   '</script></head><body></body></html>')
    >>> md = read_metadata(t)
    >>> md.jsonld["headline"], md.meta["og:title"], md.lang
    ('Banjir di Lebak', 'Banjir di Lebak', 'id')
    """
    md = Metadata()
    articles = []
    for script in tree.iter("script"):
        kind = script.get("type")
        if (kind or "").strip().lower() != "application/ld+json":
            continue
        raw = script.text or ""
        data = _load_json(raw)
        if kind == "application/ld+json":
            text = raw.strip()
            plain = not (text.startswith("<!--") or text.endswith(("-->", ";")))
            md.ld_scripts.append((text, data if plain else ...))
        if data is None:
            continue
        for obj in _iter_jsonld_objects(data):
            types = _types(obj)
            md.jsonld_types.update(types)
            if ARTICLE_TYPES.intersection(types):
                articles.append(obj)
    for el in tree.iter("meta"):
        prop, name, itemprop, value = el.get("property"), el.get("name"), el.get("itemprop"), el.get("content")
        md.meta_tags.append((prop, name, itemprop, value))
        key = (prop or name or itemprop or el.get("http-equiv") or "").strip().lower()
        if not key or value is None:
            continue
        md.meta_all.setdefault(key, []).append(value)
        if key not in md.meta or not md.meta[key].strip():
            md.meta[key] = value
    title = tree.find(".//title")
    if title is not None:
        md.title_tag = norm_space(title.text_content())
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if not href:
            continue
        if "canonical" in rel and not md.canonical:
            md.canonical = urljoin(url, href) if url else href
        elif "next" in rel:
            md.next_links.append(urljoin(url, href) if url else href)
    html = tree if tree.tag == "html" else tree.getroottree().getroot()
    md.lang = (html.get("lang") or html.get("xml:lang") or "").strip()
    # the article object that describes this page: one whose URL names another page (a featured
    # story's markup on a home page, the items of a listing) describes that page instead
    own = [obj for obj in articles if not _describes_elsewhere(obj, url, md.canonical)]
    md.jsonld = own[0] if own else {}
    md.jsonld_elsewhere = bool(articles) and not own
    return md


def _jsonld_url(obj: dict) -> str:
    for key in ("mainEntityOfPage", "url", "@id"):
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.strip() and not value.strip().startswith("#"):
            return value.strip()
    return ""


def _url_path(url: str, base: str) -> str:
    if not url.startswith(("/", "http://", "https://", "//")) and "." in url.split("/", 1)[0]:
        url = "//" + url  # "site.example/path": a host without a scheme
    path = unquote(urlsplit(urljoin(base, url)).path)
    return re.sub(r"/(?:index|default)\.\w{2,5}$", "", path).rstrip("/")  # /section/index.html is /section


def _describes_elsewhere(obj: dict, url: str | None, canonical: str) -> bool:
    """True when a JSON-LD article object names another page: a URL whose path is neither the
    page's (or its canonical URL's) nor one above it (publishers often name their home or section
    page there; hosts, schemes, queries and fragments aside).

    >>> _describes_elsewhere({"url": "https://kabar.example/2019/11/28/banjir/"}, "https://kabar.example/", "")
    True
    >>> _describes_elsewhere({"url": "https://kabar.example/daerah/"}, "https://kabar.example/daerah/banjir", "")
    False
    """
    named = _jsonld_url(obj)
    if not named or not url:
        return False
    path = _url_path(named, url)
    for own in {_url_path(u, url) for u in (url, canonical) if u}:
        if own == path or own.startswith(path + "/") or path.startswith(own + "/amp") or own.startswith(path + "/amp"):
            return False
    return True


# ----------------------------------------------------------------------------------- field readers


def _ld_text(value) -> str:
    if isinstance(value, str):
        return norm_space(value)
    if isinstance(value, dict):
        return norm_space(str(value.get("name") or value.get("@value") or ""))
    if isinstance(value, list):
        return ", ".join(t for t in (_ld_text(v) for v in value) if t)
    return ""


def site_name(md: Metadata, url: str | None) -> str:
    """The publisher's name from og:site_name / JSON-LD publisher, else the host without www."""
    name = md.first("og:site_name", "application-name", "twitter:site")
    if not name and isinstance(md.jsonld.get("publisher"), dict):
        name = _ld_text(md.jsonld["publisher"])
    if not name and url:
        name = (urlsplit(url).hostname or "").removeprefix("www.")
    return name.lstrip("@")


def _title_key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


_SEPARATOR_CHARS = re.compile(r"[\s\-|ㅣ–—:·•»«]+$")


def strip_site_suffix(title: str, site: str = "") -> str:
    """Remove a " | Site" / " - Site" suffix or a "Site: " prefix from a <title> or og:title.

    >>> strip_site_suffix("Banjir di Lebak, 300 Rumah Terendam | Kabar Lebak")
    'Banjir di Lebak, 300 Rumah Terendam'
    >>> strip_site_suffix("KabarLebak.com: Musik - Banjir di Lebak Rendam 300 Rumah", "kabarlebak.com")
    'Banjir di Lebak Rendam 300 Rumah'
    >>> strip_site_suffix("Jadwal Liga 1 2019 | Kabar Bola | Sepak Bola | Liga 1")
    'Jadwal Liga 1 2019'
    >>> strip_site_suffix("Jembatan Cibadak Putus Diterjang Banjir-DaerahㅣKabarLebak", "KabarLebak")
    'Jembatan Cibadak Putus Diterjang Banjir'
    """
    title = norm_space(title)
    site_key = _title_key(site).replace(" ", "")
    # "Site: headline" prefixes
    m = re.match(r"^([\w.\- ]{2,40}?)\s*:\s+(.+)$", title)
    if m and site_key and site_key[:6] in _title_key(m.group(1)).replace(" ", ""):
        title = m.group(2)
        # "Section - headline" left after the site prefix
        m2 = re.match(r"^([\w ]{2,20}) - (.{20,})$", title)
        if m2:
            title = m2.group(2)
        return title
    # "Headline-Section|Site" written without spaces: the site's name ends the title, after
    # separator characters; it goes, with a short section name before it
    if site and len(title) > len(site) + 10 and title.lower().endswith(site.lower()) and not any(
            sep in title for sep in TITLE_SEPARATORS):
        head = title[: -len(site)]
        if _SEPARATOR_CHARS.search(head):
            head = _SEPARATOR_CHARS.sub("", head)
            m = re.match(r"^(.{10,}?)[\-|ㅣ–—:·•»«]([^\-|ㅣ–—:·•»«]{1,12})$", head)
            return (m.group(1) if m else head).strip()
    for sep in TITLE_SEPARATORS:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if len(tail) <= max(40, len(head) // 2) and len(head) >= 10:
                # "Headline | Site | Section | Tags": more short segments after the headline go too
                while sep in head:
                    rest, _, last = head.rpartition(sep)
                    if len(last) > 30 or len(rest) < 10 or len(last) > len(rest):
                        break
                    head = rest
                return head.strip()
    return title


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _heading_match(heading: str, metas: list[tuple[set, set]]) -> float:
    """How well a heading matches the best meta title, 0..1 (0: no match).

    A heading matches a meta title when nearly all its words are in it (a section name or another
    story's headline holds words the meta title lacks) and it covers most of the meta title's
    words. The score is the harmonic mean of the share of the heading's words in the meta title and
    the share of the meta title's words it covers, taken with and without the site suffix, so a
    heading that repeats ``<title>`` with its suffix scores below the headline, and a subheading
    that repeats the part before a " - " scores below the whole headline.
    """
    h = set(_tokens(heading))
    if not h:
        return 0.0
    best = 0.0
    for full, stripped in metas:
        if len(h & full) < TITLE_MATCH_PRECISION * len(h):
            continue
        for words in (full, stripped):
            if not words:
                continue
            shared = len(h & words)
            coverage = shared / len(words)
            if coverage >= TITLE_MATCH_COVERAGE:
                precision = shared / len(h)
                best = max(best, 2 * precision * coverage / (precision + coverage))
    return best


#: A heading matches a meta title when this share of its words are in the meta title ...
TITLE_MATCH_PRECISION = 0.8
#: ... and it covers this share of the meta title's words (site suffix removed).
TITLE_MATCH_COVERAGE = 0.6
#: Failing that, an h1 holding this share of a meta title's words is its longer form.
TITLE_CONTAINS_COVERAGE = 0.9
#: Matched headings whose scores differ by less than this are equally good: the one nearest the
#: story wins (checked on all three dev sets and the extra-h1s / h1-to-div variants).
TITLE_TIE = 0.1
#: Longest text of a headline element (characters).
MAX_HEADLINE_CHARS = 300

_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HEADING_RANK = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 4}
_ATTR_WORDS = re.compile(r"[a-z]+")
#: Class/id words of a headline shown in a non-heading element (<div class="judul">, <p class="title">),
#: "title" in the languages of the dev sets' and the region's templates.
_HEADLINE_WORDS = frozenset({"judul", "title", "headline", "heading", "headings", "tajuk", "titulo", "titre", "titel",
                             "titolo", "baslik"})
#: Elements a headline can be shown in besides h1-h6.
_HEADLINE_TAGS = frozenset({"div", "span", "p", "strong", "b", "header", "a", "td"})
#: Class/id words (and tags) of page furniture: a heading in there is not the story's headline.
_OFF_STORY_WORDS = frozenset({"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
                              "footer", "sidebar", "widget", "related", "terkait", "popular", "populer", "terpopuler",
                              "logo", "masthead", "brand", "topbar", "ticker", "trending", "rekomendasi", "recommended",
                              "lainnya", "teaser", "teasers"})
_OFF_STORY_TAGS = frozenset({"nav", "footer", "aside"})
def _attr_words(el) -> set[str]:
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return set(_ATTR_WORDS.findall(raw)) if raw.strip() else set()


#: Levels above a heading whose class/id words can put it off the story (higher up, layout
#: classes such as "layout-article-with-sidebar" say nothing about the heading).
OFF_STORY_LEVELS = 4


def _off_story(el) -> bool:
    """True when ``el`` sits in navigation, a footer, a sidebar or a teaser box: a ``nav``,
    ``footer`` or ``aside`` at any depth, or such class/id words within :data:`OFF_STORY_LEVELS`."""
    node, depth = el, 0
    while node is not None and node.tag not in ("body", "html"):
        if node.tag in _OFF_STORY_TAGS or (depth <= OFF_STORY_LEVELS and _attr_words(node) & _OFF_STORY_WORDS):
            return True
        node = node.getparent()
        depth += 1
    return False


#: A link target that names a story: a slug of three or more words, or a long numeric id.
_STORY_TARGET = re.compile(r"[^/-]+-[^/-]+-[^/]+|\d{5,}")


def _links_elsewhere(el, url: str | None, canonical: str = "", story: bool = False) -> bool:
    """True when ``el`` is, holds or sits in a link to another page (a section link, a teaser);
    with ``story``, only a link to another story's URL counts.

    A link to the page itself (its URL or canonical URL, any host or query: WordPress themes
    link their own headline) does not count.
    """
    links = [a for a in el.iter("a")]
    node = el.getparent()
    for _ in range(2):
        if node is None:
            break
        if node.tag == "a":
            links.append(node)
        node = node.getparent()
    own = {urlsplit(u).path.rstrip("/") for u in (url, canonical) if u}
    for a in links:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        target = urlsplit(urljoin(url or "", href))
        if target.path.rstrip("/") in own and target.path.strip("/"):
            continue
        if story and not _STORY_TARGET.search(target.path):
            continue
        return True
    return False


#: Typographic marks: quotes of every style, dashes, the ellipsis character, invisible spaces. Two
#: headlines differing only in these are one headline written two ways.
_QUOTE_MARKS = "\"'“”„‟‘’‚‛«»‹›「」『』〝〞″′"
_FANCY_MARKS = frozenset("“”„‟‘’‚‛«»‹›「」『』〝〞″′–—―‐‑‒…\u00a0\u200b\u200c\u200d\u2060\ufeff")
_FOLD = str.maketrans({**{c: None for c in _QUOTE_MARKS}, **{c: "-" for c in "–—―‐‑‒"},
                       **{c: None for c in "\u200b\u200c\u200d\u2060\ufeff"}, "…": "..."})


def _typography_key(text: str) -> str:
    """A headline without its typography: quotes left out, dashes as hyphens, invisible spaces
    gone, entities decoded, spaces collapsed."""
    return norm_space(html.unescape(text).translate(_FOLD)).lower()


def _plainest_form(text: str, metas: list[str]) -> str:
    """The shown headline as the publisher wrote it: among the shown text and the meta titles that
    are the same headline modulo typography (quote, apostrophe and dash styles, invisible
    characters, HTML entities), the one with the fewest typographic marks. A page's rendering adds
    them (WordPress turns ' into ’, a template sets a quote in „“), its metadata carries the
    headline as stored; the shown text wins a tie.

    >>> _plainest_form("Strava unveils ‘family’ plan", ["Strava unveils 'family' plan", "Strava | TechCrunch"])
    "Strava unveils 'family' plan"
    >>> _plainest_form("Banjir Rendam 300 Rumah", ["Banjir Rendam 300 Rumah di Lebak"])
    'Banjir Rendam 300 Rumah'
    """
    key = _typography_key(text)
    best, best_marks = text, None
    for form in [text, *metas]:
        form = norm_space(html.unescape(form))
        if form is not text and _typography_key(form) != key:
            continue
        marks = (sum(c in _FANCY_MARKS for c in form), sum(c in _QUOTE_MARKS for c in form))
        if best_marks is None or marks < best_marks:
            best, best_marks = form, marks
    return best


def _shown_text(el, metas: list[str]) -> str:
    """The headline text of a heading element.

    A heading split into a kicker and a title (``<h2><span>Kicker</span><span>Title</span></h2>``,
    shown as two lines) reads as one line in the meta title ("Kicker: Title"): when its words are
    a meta title's words, in order, the meta title's text is the headline; when only the part after
    the kicker is, the kicker is left out. Otherwise the text as shown, in the plainest typography
    the page's metadata gives it (see :func:`_plainest_form`).
    """
    text = norm_space(el.text_content())
    children = [c for c in el if isinstance(c.tag, str) and norm_space(c.text_content())]
    split = len(children) >= 2 or (len(children) == 1 and (children[0].tail or "").strip())
    if not split or (el.text or "").strip() or not metas:
        return _plainest_form(text, metas)
    by_words: dict[tuple, str] = {}
    for m in metas:  # JSON-LD headline first, then og:title, twitter:title, <title>
        by_words.setdefault(tuple(_tokens(m)), m)
    whole = tuple(_tokens(text))
    if whole in by_words:
        return by_words[whole]
    rest = tuple(_tokens(" ".join([children[0].tail or ""] + [c.text_content() + (c.tail or "")
                                                               for c in children[1:]])))
    if len(rest) >= 2 and rest in by_words:
        return by_words[rest]
    return _plainest_form(text, metas)


@dataclass
class Headline:
    """The page's headline as shown: its text, provenance, element, and whether it matched a meta title.

    ``ties`` are other visible elements that match a meta title as well as the chosen one; once
    the story is found, :func:`nearest_headline` takes the one nearest it.
    """

    text: str | None
    source: str | None
    element: object = None
    matched: bool = False
    ties: list = field(default_factory=list)
    metas: list = field(default_factory=list)  # the meta titles, site suffix removed, then as written
    markup_elsewhere: bool = False  # the JSON-LD article's headline is shown only as a link elsewhere


def _meta_titles(md: Metadata) -> list[str]:
    return [t for t in (_ld_text(md.jsonld.get("headline")), md.first("og:title"), md.first("twitter:title"),
                        md.title_tag) if t]


#: Class/id fragments that may mark a headline shown in a non-heading block (:func:`_candidates`
#: checks the words).
_CLASS_HINT = re.compile("itle|udul|eadline|eading|tajuk|itul|itre|itel|itolo|aslik")
_ID_HINT = re.compile("itle|udul|eadline")


def _classed(tree):
    """Elements of the page that may show a headline outside h1-h6, in document order: a block
    whose class or id holds a headline word's fragment, or ``itemprop=headline``. (Read in Python:
    an XPath ``contains()`` copies every class of the page once per fragment.)"""
    for el in tree.getroottree().getroot().iter(*_HEADLINE_TAGS):
        cls = el.get("class")
        if cls is not None and _CLASS_HINT.search(cls):
            yield el
            continue
        id_ = el.get("id")
        if (id_ is not None and _ID_HINT.search(id_)) or el.get("itemprop") == "headline":
            yield el


def _has_heading(el) -> bool:
    """True when ``el`` holds a heading or sits in one."""
    return (next(el.iterdescendants(*_HEADING_TAGS), None) is not None
            or next(el.iterancestors(*_HEADING_TAGS), None) is not None)


def _candidates(tree, headings: bool = True, classed: bool = True):
    """Headline candidates ``(element, text, rank)``: h1-h6 (rank 0-4, with ``headings``), then
    short blocks classed as a headline (rank 5, with ``classed``)."""
    out = []
    for el in tree.iter(*_HEADING_TAGS) if headings else ():
        text = norm_space(el.text_content())
        if 3 <= len(text) <= MAX_HEADLINE_CHARS:
            out.append((el, text, _HEADING_RANK[el.tag]))
    if not classed:
        return out
    blocks = []
    for el in _classed(tree):
        if el.get("itemprop") != "headline" and not any(
                w in _HEADLINE_WORDS or (w.endswith("title") and not w.startswith("sub")) for w in _attr_words(el)):
            continue
        text = norm_space(el.text_content())
        if len(text) < 3 or len(text) > MAX_HEADLINE_CHARS or _has_heading(el):
            continue  # too long or short, or a wrapper or part of a heading (the heading is the candidate)
        blocks.append((el, text, 5))
    # a classed block around another one with the same text (<div class="title"><div class="judul">)
    # gives way to it; one around the parts of a headline (kicker, title) stays
    inner = {(id(a), text) for el, text, _ in blocks for a in el.iterancestors()}
    return out + [c for c in blocks if (id(c[0]), c[1]) not in inner]


def find_headline(tree, md: Metadata, url: str | None = None) -> Headline:
    """The headline as shown on the page (see :func:`extract_title`), with the matches it beat."""
    site = site_name(md, url)
    raw_metas = _meta_titles(md)
    stripped_metas = [strip_site_suffix(t, site) for t in raw_metas]
    metas = [(set(_tokens(t)), set(_tokens(m))) for t, m in zip(raw_metas, stripped_metas, strict=True)]
    scored = []
    ld_headline = _ld_text(md.jsonld.get("headline"))
    ld_words = [(set(_tokens(ld_headline)), set(_tokens(ld_headline)))] if ld_headline else []
    ld_shown = ld_linked = False  # the JSON-LD headline shown as a heading, as a link elsewhere
    if metas:
        # a heading that links to another page (a section link repeating <title>, a teaser) is not
        # this story's headline
        for el, text, rank in _candidates(tree, classed=False):
            score = _heading_match(text, metas)
            if not score:
                continue
            elsewhere = _links_elsewhere(el, url, md.canonical)
            if ld_words and _heading_match(text, ld_words) >= 1.0 - TITLE_TIE:
                # a link to another story (a section link repeating <title> does not count)
                to_story = elsewhere and _links_elsewhere(el, url, md.canonical, story=True)
                ld_linked, ld_shown = ld_linked or to_story, ld_shown or not elsewhere
            if not elsewhere:
                scored.append((score, el, text, rank))
        # headline-classed blocks (<div class="judul">) are looked at when no heading matched well
        if not any(c[0] >= 1.0 - TITLE_TIE and not _off_story(c[1]) for c in scored):
            for el, text, rank in _candidates(tree, headings=False):
                score = _heading_match(text, metas)
                if score and not _links_elsewhere(el, url, md.canonical):
                    scored.append((score, el, text, rank))
    # article markup whose headline is shown only as a link to another page describes that page
    # (a featured story's markup on a home page)
    markup_elsewhere = ld_linked and not ld_shown
    # one in navigation, a footer or a sidebar only when nothing else matches
    if scored:
        on_story = [c for c in scored if not _off_story(c[1])] or scored
        best = max(c[0] for c in on_story)
        direct = [c for c in on_story if c[0] >= best - TITLE_TIE]
        # equally good: a real heading before a classed block, h1 before h2, then document order
        score, el, text, rank = min(direct, key=lambda c: (c[3] == 5, -round(c[0], 1), c[3]))
        forms = stripped_metas + raw_metas  # without the site suffix first
        return Headline(_shown_text(el, forms), "visible", el, True, [c[1] for c in direct], forms,
                        markup_elsewhere)
    # A shortened SEO <title> ("Nelayan Tak Melaut - Site") under a longer on-page headline
    # ("Nelayan Tak Melaut Sepekan Akibat Cuaca Buruk"): the h1 that holds every word of a
    # meta title is that headline, as shown.
    for h in tree.iter("h1"):
        text = norm_space(h.text_content())
        words = set(_tokens(text))
        if 3 <= len(words) and len(text) <= MAX_HEADLINE_CHARS and not _links_elsewhere(h, url, md.canonical) and any(
            len(stripped) >= 3 and len(words & stripped) >= TITLE_CONTAINS_COVERAGE * len(stripped)
            for _, stripped in metas
        ):
            return Headline(text, "visible", h, True, markup_elsewhere=markup_elsewhere)
    site_and_host = f"{site} {(urlsplit(url).hostname or '') if url else ''}"
    site_key = re.sub(r"\W+", "", site_and_host.lower())
    if md.title_tag and not ld_headline and not md.first("og:title") and not md.first("twitter:title"):
        # <title> is the page's only meta title: an SEO title that the page's one headline does not
        # repeat ("Stromausfall Berlin: Ampeln, S-Bahnen ..." over "Ampeln tot, S-Bahnen stoppen: ...");
        # that headline, shown in the story's area, is the article's when it is about the same
        # story: a word of four letters or more in common besides the site's name (not a logo)
        shown = _sole_headline(tree, url, md.canonical, site_key)
        if shown is not None:
            h1, text = shown
            words = {w for w in _tokens(text) if len(w) >= 4} - set(_tokens(site_and_host))
            if words & set(_tokens(strip_site_suffix(md.title_tag, site))):
                return Headline(text, "visible", h1, markup_elsewhere=markup_elsewhere)
    for t, source in ((_ld_text(md.jsonld.get("headline")), "jsonld"), (md.first("og:title"), "meta"),
                      (md.first("twitter:title"), "meta"), (md.title_tag, "meta")):
        if t:
            stripped = strip_site_suffix(t, site)
            key = re.sub(r"\W+", "", stripped.lower())
            if key and site_key and key in site_key:
                continue  # "Kabar Lebak" on kabarlebak.example: the site's name, not a headline
            if markup_elsewhere and source == "jsonld":
                continue
            return Headline(stripped, source, markup_elsewhere=markup_elsewhere)
    # no meta title (or only the site's name): the first <h1> is the page's own headline
    for h1 in tree.iter("h1"):
        if norm_space(h1.text_content()) and not _links_elsewhere(h1, url, md.canonical):
            return Headline(norm_space(h1.text_content()), "visible", h1, markup_elsewhere=markup_elsewhere)
    return Headline(None, None, markup_elsewhere=markup_elsewhere)


def _sole_headline(tree, url: str | None, canonical: str | None, site_key: str) -> tuple | None:
    """``(h1, its text)`` for the page's one ``<h1>`` that reads as a headline: three words or more,
    not the site's name, not a link to another page, not in navigation, a footer or a sidebar (a
    logo's or a section link's h1 is none). Headline-classed blocks (``<div class="title">``) are
    not looked at: without a meta title to match, a card's title is as likely."""
    found = None
    for h1 in tree.iter("h1"):
        text = norm_space(h1.text_content())
        key = re.sub(r"\W+", "", text.lower())
        if (len(_tokens(text)) < 3 or len(text) > MAX_HEADLINE_CHARS or (site_key and key in site_key)
                or _links_elsewhere(h1, url, canonical) or _off_story(h1)):
            continue
        if found is not None:
            return None  # several: which one is the story's is for the meta titles to say
        found = (h1, text)
    return found


def declared_headline(md: Metadata, url: str | None, shown: str | None) -> str | None:
    """The headline the publisher declares, when it overrides the one shown; else None.

    A page whose JSON-LD ``headline`` and ``og:title`` (with or without its site suffix) give the
    same words has stated its headline of record twice, in the two fields written for machines;
    a shown heading with other words is then a display variant (a longer "live" headline, a sticky
    bar, the headline without its kicker), and the declared one is the article's title. Where the
    two fields disagree, or either is missing, the shown headline stands. Checked on id-news-dev,
    world-news-dev and the id-portals fixtures together (docs/extraction.md).

    >>> md = Metadata(jsonld={"headline": "Nach Rückzug: Anwältin soll Ministerin werden"},
    ...               meta={"og:title": "Nach Rückzug: Anwältin soll Ministerin werden | Site"})
    >>> declared_headline(md, None, "Anwältin soll Ministerin werden")
    'Nach Rückzug: Anwältin soll Ministerin werden'
    >>> declared_headline(md, None, "Nach Rückzug: Anwältin soll Ministerin werden") is None
    True
    """
    ld = _ld_text(md.jsonld.get("headline"))
    og = md.first("og:title")
    if not ld or not og or not shown:
        return None
    site = site_name(md, url)
    written = norm_space(html.unescape(ld))
    # either field may end in the site's name ("Headline - Site"): each is compared with and without it
    lds = [written, strip_site_suffix(ld, site)]
    ogs = [norm_space(html.unescape(og)), strip_site_suffix(og, site)]
    if any(_tokens(f) == _tokens(shown) for f in lds + ogs):
        return None
    for form in lds:
        words = _tokens(form)
        same = [f for f in ogs if words and _tokens(f) == words]
        if not same:
            continue
        bare = lds[1]
        if form == written and bare != written and written.startswith(bare) and _names_site(
                written[len(bare):], site, url):
            # both fields end in the site's name; a tail that is not it ("– ”kritiskt”") stays
            return _plainest_form(bare, [f for f in ogs if _tokens(f) == _tokens(bare)])
        return _plainest_form(form, same)
    return None


def _names_site(tail: str, site: str, url: str | None) -> bool:
    """True when a title's tail ("- Ilanga News") is the site's name or host, not words of the
    headline ("– ”kritiskt”")."""
    key = re.sub(r"\W+", "", tail.lower())
    names = [re.sub(r"\W+", "", site.lower()), re.sub(r"\W+", "", (urlsplit(url).hostname or "").lower()) if url else ""]
    return bool(key) and any(n and (key in n or n in key) for n in names)


def _depth(el) -> int:
    return sum(1 for _ in el.iterancestors())


def _distance(a, b) -> int:
    """Edges between two elements of one tree."""
    ancestors = {x: i for i, x in enumerate([a, *a.iterancestors()])}
    for j, x in enumerate([b, *b.iterancestors()]):
        if x in ancestors:
            return ancestors[x] + j
    return 10**6


#: An unmatched h1 counts as the story's headline when it is this close (tree edges) to the story.
NEAR_STORY_EDGES = 6


def _after_story_start(el, roots) -> bool:
    """True when ``el`` sits inside a content root after the root's first paragraph of text (a
    subheading of the story, not its headline)."""
    for root in roots:
        if root is el or root not in set(el.iterancestors()):
            continue
        for node in root.iter():
            if node is el:
                return False
            if node.tag == "p" and len(norm_space(node.text_content())) >= LEAD_PARAGRAPH_CHARS:
                return True
    return False


#: A paragraph this long starts the story (a heading after it is a subheading).
LEAD_PARAGRAPH_CHARS = 60


def _linked(el) -> bool:
    """True when ``el`` holds a link or sits in one (two levels up at most)."""
    if el.find(".//a[@href]") is not None:
        return True
    parent = el.getparent()
    grandparent = parent.getparent() if parent is not None else None
    return any(node is not None and node.tag == "a" for node in (parent, grandparent))


#: An h1 after the headline and after a paragraph of the story, sharing less than this share of its
#: words with the page's titles, heads another story. Checked on id-news-dev, world-news-dev,
#: scrapinghub-aeb and id-portals together, their metamorphic variants and the next-story probe.
OTHER_STORY_SHARED_WORDS = 0.5
#: ... a paragraph of the story: a run of text of this many characters or more, outside scripts
#: and styles (a deck set as an h1 right under the headline, tagDiv's "tdb_single_subtitle",
#: follows none).
OTHER_STORY_PARAGRAPH_CHARS = 80
_SCRIPT_TAGS = frozenset(("script", "style"))


def other_story_headlines(headline: Headline) -> list:
    """The ``<h1>`` elements after the headline that head other stories: less than
    OTHER_STORY_SHARED_WORDS of their words are in the page's meta titles and headline (an endless
    page draws the next story, h1 and all, after this one; a logo or section h1 sits above the
    headline, and this story's h1 with a kicker, "Premier League Rückschlag im Titelkampf", shares
    most of its words; a linked h1 is a teaser card, which a story may embed between its
    paragraphs; an h1 before the story's first paragraph is a deck). Empty unless the page's
    headline matched a meta title: without it, which story is the page's is unknown."""
    if not headline.matched or headline.element is None or not headline.metas:
        return []
    words = set(_tokens(headline.text or "")).union(*(_tokens(t) for t in headline.metas))
    own = {headline.element, *headline.ties}
    out = []
    start = None
    for el in headline.element.getroottree().iter("h1"):  # (the few h1s, not the following:: axis)
        if el in own or any(a in own for a in el.iterancestors()) or _linked(el):
            continue
        if start is None:
            start = document_position(headline.element)
        if document_position(el) < start:
            continue
        heading = set(_tokens(el.text_content()))
        if not heading or len(heading & words) >= OTHER_STORY_SHARED_WORDS * len(heading):
            continue
        if _story_text_between(headline.element, el):  # not a deck set as an h1
            out.append(el)
    return out


def document_position(el) -> list[int]:
    """Sort key putting elements in document order: the child indexes on the path from the root."""
    path = []
    parent = el.getparent()
    while parent is not None:
        path.append(parent.index(el))
        el, parent = parent, parent.getparent()
    path.reverse()
    return path


def _story_text_between(start, stop) -> bool:
    """True when a run of text of OTHER_STORY_PARAGRAPH_CHARS or more, outside scripts and styles,
    comes after ``start`` (and its content) and before ``stop``, in document order. Walks from
    ``start`` and ends at the first such run: the story's first paragraph is near its headline."""
    around_stop = set(stop.iterancestors())

    def long(text) -> bool:
        return bool(text) and len(text) >= OTHER_STORY_PARAGRAPH_CHARS and len(text.strip()) >= OTHER_STORY_PARAGRAPH_CHARS

    if long(start.tail):
        return True
    node = start
    while node is not None:
        for sibling in node.itersiblings():
            for el in sibling.iter():
                if el is stop:
                    return False
                if el.tag not in _SCRIPT_TAGS and long(el.text):
                    return True
                if el not in around_stop and el is not sibling and long(el.tail):
                    return True
            if sibling not in around_stop and long(sibling.tail):
                return True
        node = node.getparent()  # (it does not hold ``stop``: that would have ended the walk)
        if node is not None and long(node.tail):
            return True
    return False


def nearest_headline(headline: Headline, roots, md: Metadata | None = None, url: str | None = None) -> Headline:
    """Once the story's content ``roots`` are known: among equally good matches, the one nearest
    the story; and, where no heading matched a meta title and the meta titles disagree with each
    other (JSON-LD, og:title and ``<title>`` written for search engines and social media), an h1
    right above the story is the headline the page shows."""
    if not roots:
        return headline
    root = roots[0]
    # a subheading inside the story is not its headline
    ties = [e for e in headline.ties if not _after_story_start(e, roots)] or headline.ties
    if len(headline.ties) > 1:
        el = min(ties, key=lambda e: _distance(e, root))
        if el is not headline.element:
            return Headline(_shown_text(el, headline.metas), "visible", el, True, headline.ties, headline.metas)
        return headline
    if headline.text is None:
        # no heading matched and the page names no headline (no meta title, no h1): a headline-
        # classed block right above the story is it (an old portal's <div class="judul">)
        return _heading_near_story(roots, md, url) or headline
    if headline.matched or headline.source not in ("jsonld", "meta"):
        return headline
    # only where the meta titles disagree with each other does the page's own h1 decide
    site = site_name(md, url) if md else ""
    forms = {frozenset(_tokens(strip_site_suffix(t, site))) for t in (_meta_titles(md) if md else [])}
    if len(forms) < 2:
        return headline
    return _heading_near_story(roots, md, url) or headline


def _heading_near_story(roots, md: Metadata | None, url: str | None) -> Headline | None:
    """An h1 or headline-classed block of three words or more within NEAR_STORY_EDGES of the
    story, above its first paragraph, in no navigation or sidebar and linking nowhere: an h1
    first, then the nearest."""
    root = roots[0]
    site_key = re.sub(r"\W+", "", (site_name(md, url) if md else "").lower())
    canonical = md.canonical if md else ""
    above = set(root.iterancestors())
    best = None
    for h, text, rank in _candidates(root.getroottree().getroot()):
        if rank not in (0, 5) or len(text.split()) < 3 or h in above or _after_story_start(h, roots):
            continue
        if (site_key and re.sub(r"\W+", "", text.lower()) in site_key) or _off_story(h) or _links_elsewhere(
                h, url, canonical):
            continue
        d = _distance(h, root)
        if d <= NEAR_STORY_EDGES and (best is None or (rank != 0, d) < best[0]):
            best = ((rank != 0, d), h, text)  # an h1 first, then the nearest
    if best is None:
        return None
    return Headline(best[2], "visible", best[1], False)


def extract_title(tree, md: Metadata, url: str | None = None) -> tuple[str | None, str | None, object]:
    """The headline as shown on the page: ``(title, provenance, heading_element)``.

    Headings (h1-h6, and blocks classed as a headline: ``<div class="judul">``) are matched
    against the meta titles (JSON-LD headline, og:title, twitter:title, ``<title>``) by their
    words: the heading covering most of a meta title wins, so a section name in ``<h1>`` loses
    to the real headline in ``<h2>``; headings in navigation, footers or sidebars, and headings
    that link to another page (a section link repeating ``<title>``), lose to the story's own.
    A heading split into kicker and title reads as its meta title (see :func:`_shown_text`).
    Without a match the meta title is used, its site suffix removed.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<html><head><title>Polres Garut Serahkan Tersangka ke Kejaksaan - "
    ...   "Kabar.com Regional</title></head><body><h1>Regional</h1>"
    ...   "<h2>Polres Garut Serahkan Tersangka ke Kejaksaan</h2></body></html>")
    >>> extract_title(t, read_metadata(t))[:2]
    ('Polres Garut Serahkan Tersangka ke Kejaksaan', 'visible')
    >>> t = lxml.html.fromstring("<html><head><title>Nelayan Tak Melaut - Kabar Pesisir</title></head>"
    ...   "<body><h1>Nelayan Tak Melaut Sepekan Akibat Cuaca Buruk</h1></body></html>")
    >>> extract_title(t, read_metadata(t))[:2]
    ('Nelayan Tak Melaut Sepekan Akibat Cuaca Buruk', 'visible')
    >>> t = lxml.html.fromstring("<html><head><title>Jembatan Cibadak Putus Diterjang Banjir - Kabar Lebak"
    ...   "</title></head><body><div class='kanal'><h1><a href='/daerah'>Jembatan Cibadak Putus Diterjang "
    ...   "Banjir - Kabar Lebak</a></h1></div><div class='judul-berita'>Jembatan Cibadak Putus Diterjang Banjir"
    ...   "</div></body></html>")
    >>> extract_title(t, read_metadata(t), "https://kabarlebak.example/2019/11/28/jembatan-putus/")[:2]
    ('Jembatan Cibadak Putus Diterjang Banjir', 'visible')
    """
    h = find_headline(tree, md, url)
    return h.text, h.source, h.element


def extract_description(md: Metadata) -> tuple[str | None, str | None]:
    d = _ld_text(md.jsonld.get("description"))
    if d:
        return d, "jsonld"
    d = md.first("og:description", "description", "twitter:description")
    return (d, "meta") if d else (None, None)


def extract_image(md: Metadata, url: str | None) -> tuple[str | None, str | None]:
    img = md.jsonld.get("image")
    if isinstance(img, list):
        img = img[0] if img else None
    if isinstance(img, dict):
        img = img.get("url") or img.get("contentUrl")
    if isinstance(img, str) and img.strip():
        return (urljoin(url, img.strip()) if url else img.strip()), "jsonld"
    img = md.first("og:image", "og:image:url", "twitter:image", "twitter:image:src", "image")
    if img:
        return (urljoin(url, img) if url else img), "meta"
    return None, None


def extract_section(md: Metadata) -> tuple[str | None, str | None]:
    s = _ld_text(md.jsonld.get("articleSection"))
    if s:
        return s.split(",")[0].strip(), "jsonld"
    s = md.first("article:section", "section", "category")
    return (s, "meta") if s else (None, None)


def extract_tags(md: Metadata) -> tuple[list[str], str | None]:
    """Tags from JSON-LD keywords, article:tag or news_keywords/keywords, de-duplicated in order.

    >>> extract_tags(Metadata(meta={"keywords": "koperasi, Lebak, koperasi ,"}))
    (['koperasi', 'Lebak'], 'meta')
    """
    raw: list[str] = []
    source = None
    kw = md.jsonld.get("keywords")
    if kw:
        raw = kw if isinstance(kw, list) else str(kw).split(",")
        source = "jsonld"
    elif md.meta_all.get("article:tag"):
        raw = [t for v in md.meta_all["article:tag"] for t in v.split(",")]
        source = "meta"
    else:
        v = md.first("news_keywords", "keywords")
        if v:
            raw = v.split(",")
            source = "meta"
    seen: dict[str, str] = {}
    for t in raw:
        t = norm_space(str(t))
        if t and t.lower() not in seen and len(t) <= 80:
            seen[t.lower()] = t
    return list(seen.values()), (source if seen else None)


def extract_language(md: Metadata, default: str | None = None) -> tuple[str | None, str | None]:
    lang = _ld_text(md.jsonld.get("inLanguage"))
    source = "jsonld"
    if not lang:
        lang, source = md.lang, "generic"
    if not lang:
        lang, source = md.first("og:locale", "content-language", "language"), "meta"
    if not lang:
        return default, ("profile" if default else None)
    return lang.replace("_", "-").split("-")[0].lower()[:3], source


# Function words that tell Indonesian from English text (declared languages are often the
# template's default: many Indonesian sites ship <html lang="en">).
_ID_WORDS = frozenset("yang dan di ini itu dengan untuk dari tidak akan pada juga dalam ke karena bisa "
                      "sudah kata ada oleh saat atau mereka kami kita telah menjadi".split())
_EN_WORDS = frozenset("the and of to is that for with was on are as it by be this from have at not "
                      "which were has but".split())
_LATIN_WORD = re.compile(r"[a-z]+")
#: Function-word hits needed before the text's own language overrides the declared one.
MIN_LANGUAGE_HITS = 8


def guess_language(text: str) -> str | None:
    """``id`` or ``en`` from function words in the first 3000 characters, None when unsure.

    >>> guess_language("Dinas Pertanian Kabupaten Lebak menggelar pelatihan yang diikuti petani dari 12 "
    ...                "kecamatan, dan mereka belajar menyangrai kopi untuk dijual ke pasar di Banten itu.")
    'id'
    """
    words = _LATIN_WORD.findall(text[:3000].lower())
    ind = sum(map(_ID_WORDS.__contains__, words))
    eng = sum(map(_EN_WORDS.__contains__, words))
    if ind >= MIN_LANGUAGE_HITS and ind >= 3 * eng:
        return "id"
    if eng >= MIN_LANGUAGE_HITS and eng >= 3 * ind:
        return "en"
    return None


# ----------------------------------------------------------------------------------- author

# A byline label, then the name. Labels that name the writer (or photographer);
# "Editor", "Redaktur", "Sumber" and friends are not authors.
_WRITER_LABELS = (r"(?:pewarta|penulis|reporter|wartawan|fotografer|jurnalis|kontributor|ditulis oleh|diposting oleh|"
                  r"dikirim oleh|author|written by|posted by)")
# One person credited in two roles, one of them the writer's: "Redaktur & Reporter : Name" (jpnn),
# "Penulis/Editor: Name", "Reporter dan Editor: Name".
_ROLE_JOIN = r"\s*(?:&|\+|/|,|\bdan\b|\band\b)\s*"
_OTHER_ROLES = r"(?:editor|redaktur|penyunting)"
BYLINE_LABELS = (rf"(?:(?:{_OTHER_ROLES}{_ROLE_JOIN})?{_WRITER_LABELS}"
                 rf"(?:{_ROLE_JOIN}(?:{_OTHER_ROLES}|{_WRITER_LABELS})(?![\w-]))?)")
# "Laporan: Name" (a report by) is a label only with its colon: "Laporan keuangan ..." is a sentence.
_BYLINE_LABELLED = re.compile(r"^\s*(?:" + BYLINE_LABELS + r"|laporan)\s*[:：]\s*(?P<name>\S.{0,150})$", re.I | re.S)
# A label left at the start of a name read from a byline-marked element ("Laporan: Name").
_LEADING_LABEL = re.compile(r"^(?:" + BYLINE_LABELS + r"|laporan)\s*[:：]\s*", re.I)
_BYLINE_SOFT = re.compile(r"^\s*(?:diposting oleh|dikirim oleh|ditulis oleh|posted by|written by|oleh|by)"
                          r"\s*[:：]?\s+(?P<name>\S.{0,100})$", re.I | re.S)
# "Laporan Wartawan Warta Timur, Andi Makkasau" / "Laporan Reporter Kabar Medan / Tommy Simatupang"
_BYLINE_REPORT = re.compile(r"^\s*laporan\s+(?:wartawan|wartawati|reporter|koresponden|kontributor|jurnalis|pewarta)\s+[^,/|]{2,50}[,/]\s*"
                            r"(?P<name>[A-Z][^,|/]{2,60})$", re.I | re.S)
# (\s*+: no label starts with a space, so giving spaces back is never worth trying; on a tail of
# forty spaces the plain \s* retries every label at every space.)
_LABEL_NODE = re.compile(r"^\s*+(?:" + BYLINE_LABELS + r"|oleh|by|laporan)\b", re.I)
# An unlabelled name with its role after it: "Ahmad Fauzi / Jurnalis", "Rina Marlina, Kontributor".
_BYLINE_ROLE_AFTER = re.compile(r"^\s*(?P<name>[^/|,:]{3,60}?)\s*[/|,–-]\s*(?:jurnalis|wartawan|wartawati|reporter|"
                                r"kontributor|koresponden|pewarta|penulis|journalist|correspondent)\b\.?\s*$", re.I)
_ROLE_AFTER_NODE = re.compile(r"(?:jurnalis|wartawan|wartawati|reporter|kontributor|koresponden|pewarta|penulis|"
                              r"journalist|correspondent)\b\.?\s*$", re.I)
# A job title after a name in a byline box: "Daniel Großert Redakteur", "Emma Mackenzie Lifestyle Writer".
_TRAILING_ROLE = re.compile(r"\s+(?:(?:Senior|Lifestyle|Staff|Chief|Political|Sports?|News|Deputy|Associate)\s+)?"
                            r"(?:Redakteur(?:in)?|Korrespondent(?:in)?|Autor(?:in)?|Writer|Reporter|Correspondent|"
                            r"Editor|Journalist|Jurnalis|Wartawan|Kontributor)$", re.I)
# Things that end a name: another credit, a date, a separator.
_NAME_STOP = re.compile(r"\s*(?:\||•|·|\bEditor\b|\bRedaktur\b|\bPenyunting\b|\bSumber\b|\bFoto\b\s*:|"
                        r"\bUpdate|\bDiperbarui\b|\bDiterbitkan\b|\bPublished\b|\bon\s+\d|\b\d{1,2}[/ :]|,\s+in\s|,\s+in$|"
                        r"\b(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)\b).*$", re.S)
# "Kontributor Garut, Name", "Laporan Wartawan Tribun Jateng, Name": the role and the outlet or place.
_NAME_PREFIX = re.compile(r"^(?:laporan\s+)?(?:kontributor|koresponden|wartawan|wartawati|reporter|jurnalis|pewarta)"
                          r"\s+[^,]{2,60},\s*", re.I)
_NOT_A_NAME = re.compile(r"^(?:tim|redaksi|admin|administrator|editor|staff|staf|humas|web ?admin|"
                         r"anonymous|unknown|guest|quelle|source|sumber)\b", re.I)
_INITIALS_ONLY = re.compile(r"^\(?[a-z*]{1,4}(?:/[a-z]{1,5}){0,3}\)?$", re.I)
# Words of an organisation's name: a meta author holding one names the publisher, not a writer.
_ORGANISATION = re.compile(r"\b(?:PT|CV|Tbk|Media|Group|Grup|Network|Digital|Corp|Corporation|Inc|Ltd|News|Redaksi|"
                           r"Online|TV|Radio|Pers|Press|Official|Newsroom|Desk|Portal)\b|\.(?:com|id|net|org|co)\b",
                           re.I)
_NAME_OUTLET = re.compile(r"^(.{3,80}?)\s+[-–—/]\s+(\S+(?:\s\S+){0,2})$")
# Two to four capitalised words (initials allowed): the shape of a person's printed name.
_PERSON = re.compile(r"^(?:[A-Z][\w.'’]*\.?\s+){1,3}[A-Z][\w.'’]*$")
_MEDIA_CLASS = re.compile(r"(?:^|[\s_-])(?:photo|foto|image|img|pic|caption|gallery|galeri|thumb|figure|media)"
                          r"(?:$|[\s_-])", re.I)
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:author|byline|penulis|reporter|writer|wartawan|pewarta)(?:$|[\s_-])", re.I)


def _label_parents(root, body_start=None, role_after: list | None = None):
    """``(element, text, after_body)`` for each text (or child's tail) that starts with a byline
    label, in document order. ``after_body`` is True once ``body_start`` has been passed.

    ``role_after``, when given, receives on the same walk ``(text, holder)`` for each text above
    the body that ends with a role ("Ahmad Fauzi / Jurnalis", see :func:`_role_after`); it is
    complete once the generator is exhausted.
    """
    match = _LABEL_NODE.match
    search = _ROLE_AFTER_NODE.search
    after = False
    for el in root.iter(etree.Element):  # elements only: comments and processing instructions hold no byline
        if el is body_start:
            after = True
        text = el.text
        if text and not text.isspace():  # layout whitespace holds no byline
            if match(text):
                yield el, text, after
            if role_after is not None and not after and search(text[-40:]) and el.tag not in _NO_BYLINE_TAGS:
                role_after.append((text, el))
        tail = el.tail
        if tail and not tail.isspace():
            if match(tail):
                parent = el.getparent()
                if parent is not None:
                    yield parent, tail, after
            if role_after is not None and not after and search(tail[-40:]) and el.tag not in _NO_BYLINE_TAGS:
                parent = el.getparent()
                if parent is not None:
                    role_after.append((tail, parent))


def _byline_match(text: str):
    """(name, labelled) from a byline text, or None."""
    m = _BYLINE_LABELLED.match(text) or _BYLINE_REPORT.match(text)
    if m:
        return m.group("name"), True
    m = _BYLINE_SOFT.match(text)
    if m:
        return m.group("name"), False
    return None


def clean_author(name: str, *, site: str = "", host: str = "", labelled: bool = False,
                 person: bool = False) -> str | None:
    """A byline's name as printed, or None when it names no person.

    ``person``: the source says this is a person (a JSON-LD ``Person``), so a surname printed in
    capitals ("André Oliver KLEIN") is not taken for an outlet's acronym.

    >>> clean_author("Kontributor Garut, Ari Maulana", labelled=True)
    'Ari Maulana'
    >>> clean_author("Dewi Anggraini - kabarjabar", host="www.kabarjabar.example")
    'Dewi Anggraini'
    >>> clean_author("Tim Redaksi") is None
    True
    """
    name = norm_space(name).lstrip(":：").strip()
    name = _LEADING_LABEL.sub("", name)
    name = _NAME_STOP.sub("", name).strip(" ,;-–—/")
    name = _NAME_PREFIX.sub("", name).strip()
    # "Name - outletword": keep the name when the trailing word is the outlet (shares the host's letters)
    # "Name - outlet": the outlet ("kabarjabar", "Warta Jabar", this site's name) is not part of the name
    m = _NAME_OUTLET.match(name)
    if m and _PERSON.match(m.group(1)):
        name = m.group(1)
    elif m:
        outlet = re.sub(r"\W", "", m.group(2).lower())
        host_key = re.sub(r"\W", "", (host + " " + site).lower())
        labels = [p for p in re.split(r"[\W_]+", (host + " " + site).lower()) if len(p) >= 4]
        if outlet and (outlet in host_key or any(lab in outlet for lab in labels)):
            name = m.group(1)
    name = name.strip(" ,;-–—/")
    name = _TRAILING_ROLE.sub("", name) if len(name.split()) > 2 else name
    if not name or len(name) > 80 or _NAME_URL.search(name):
        return None
    if _NOT_A_NAME.match(name) or _INITIALS_ONLY.match(name):
        return None
    words = name.split()
    if not person and any(len(w) >= 3 and w.isalpha() and w.isupper() for w in words) and not name.isupper():
        return None  # "CNN Indonesia", "KBN News": an outlet, not a person
    site_key = re.sub(r"\W", "", site.lower())
    if site_key and re.sub(r"\W", "", name.lower()) in (site_key, site_key.removesuffix("com")):
        return None
    if not labelled and not re.match(r"^[A-Z\u00C0-\u024F]", name):
        return None
    if len(name.split()) > 8:
        return None
    return name


def _short_text(el, limit: int = 200) -> str | None:
    """The element's text (pieces joined by spaces, so "Name</span><p>on 16 Feb" stays apart), if short."""
    parts = list(el.itertext())
    if sum(len(p) for p in parts) > limit * 3:
        return None
    text = norm_space(" ".join(parts))
    return text if len(text) <= limit else None


def _people_of(el, site: str, host: str) -> str | None:
    """Names held in separate child elements of a byline box (``<a>A</a><a>B</a>``), joined by ", ",
    looking through boxes around the names alone (``<div class="byline"><div class="origins"><span>A
    </span><span>B</span></div></div>``); only elements alike are names."""
    kids = [c for c in el if isinstance(c.tag, str)]
    while len(kids) == 1 and not (el.text or "").strip() and not (kids[0].tail or "").strip():
        el = kids[0]
        kids = [c for c in el if isinstance(c.tag, str)]
    # the names are elements alike (three <span class="simple">, two <a>); a link and a
    # <span class="job-title"> beside it are one person's name and role
    kinds = Counter((c.tag, c.get("class")) for c in kids)
    kind, count = kinds.most_common(1)[0] if kinds else (None, 0)
    if count < 2:
        return None
    parts = [norm_space(c.text_content()) for c in kids if (c.tag, c.get("class")) == kind]
    names = [clean_author(p, site=site, host=host) for p in parts if _PERSON.match(p)]
    names = [n for n in names if n]
    return ", ".join(names) if len(names) >= 2 else None


_EDITOR_BEFORE = re.compile(r"(?:editor|redaktur|penyunting|editing)\s*[:：]?\s*$", re.I)


def _named_as_editor(region_text: str, name: str) -> bool:
    """True when the page credits ``name`` as editor ("Editor: Name", "Redaktur: Name")."""
    start = region_text.find(name)
    while start >= 0:
        if _EDITOR_BEFORE.search(region_text[max(0, start - 30):start]):
            return True
        start = region_text.find(name, start + 1)
    return False


#: Elements whose text is never a byline.
_NO_BYLINE_TAGS = frozenset({"script", "style", "a", "title", "option", "textarea"})


def _role_after(hits: list, site: str, host: str) -> str | None:
    """An unlabelled byline with the role after the name, above the body: "Ahmad Fauzi / Jurnalis"
    (one in the body's first or last line is :func:`body_byline`'s). ``hits`` are the texts ending
    with a role, with their elements, as :func:`_label_parents` found them."""
    for _, holder in hits:
        for _ in range(3):  # climb until the element holds name and role
            text = _short_text(holder, 100)
            if text is None:
                break
            m = _BYLINE_ROLE_AFTER.match(text)
            if m:
                return clean_author(m.group("name"), site=site, host=host)
            holder = holder.getparent()
            if holder is None:
                break
    return None


def _author_marked(region):
    """Elements below ``region`` marked as an author's, in document order: ``itemprop=author``,
    ``rel=author``, or a class holding "author", "byline", "penulis" or "reporter". (A walk in
    Python, stopped at the first byline found: libxml2 copies the class of every element once
    per ``contains()``, which costs milliseconds on a large page.)"""
    for el in region.iterdescendants(etree.Element):
        cls = el.get("class")
        if (cls is not None and ("author" in cls or "byline" in cls or "penulis" in cls or "reporter" in cls)) or (
                el.get("itemprop") == "author" or el.get("rel") == "author"):
            yield el


def extract_author(tree, md: Metadata, url: str | None = None, *, region=None,
                   body_start=None) -> tuple[str | None, str | None]:
    """The writer's name from a labelled byline ("Pewarta: …", "Penulis: …", "Oleh …", "By …",
    "Laporan: …", "Laporan Wartawan <outlet>, …", and one person in two roles such as jpnn's
    "Redaktur & Reporter : …"), an unlabelled "Name / Jurnalis" line, JSON-LD,
    itemprop/rel=author or a byline-classed element, else meta author. The label never stays in
    the name.

    A byline above the body wins outright. A JSON-LD author comes next, unless the page credits
    that person as its editor ("Editor: …": publishing systems often put the editor there), and
    then a credit below the body ("Penulis: …" in a credit box) names the writer.

    :param region: the part of the page that holds the story (the element around the headline and
        the body); visible bylines are looked for there only, so a sidebar's "Oleh …" never wins.
        None searches the whole ``<body>``.
    :param body_start: the first element of the article body, to tell bylines above it from
        credits below it.
    :returns: ``(name, provenance)``, or ``(None, None)`` where the page names only an editor,
        a source or initials.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<html><body><h1>Banjir di Lebak</h1><div class='byline'>Pewarta: "
    ...   "<span>Nur Aisyah</span></div><p>Isi.</p><p>Editor: Hasan Basri</p></body></html>")
    >>> extract_author(t, read_metadata(t))
    ('Nur Aisyah', 'visible')
    >>> t = lxml.html.fromstring('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
    ...   '"author": {"@type": "Person", "name": "Hasan Basri"}}</script></head><body><h1>Banjir di Lebak</h1>'
    ...   '<p>Isi berita.</p><p>Penulis: Nur Aisyah | Editor: Hasan Basri</p></body></html>')
    >>> extract_author(t, read_metadata(t))
    ('Nur Aisyah', 'visible')
    """
    site = site_name(md, url)
    host = (urlsplit(url).hostname or "") if url else ""
    if region is None:
        region = tree.find("body")
        if region is None:
            region = tree
    # 1. labelled bylines in the visible page; one above the body, or a writer's label anywhere, wins
    later = None
    role_hits: list = []
    for el, node_text, after_body in _label_parents(region, body_start, role_hits):
        if el.tag in _NO_BYLINE_TAGS:
            continue
        name = None
        # the text node alone ("Reporter : Cuy Sudaryanto" after a <br>), else the element around it
        found = _byline_match(norm_space(node_text))
        if found and len(found[0].strip(" :")) >= 2:
            name = clean_author(found[0], site=site, host=host, labelled=found[1])
        else:
            for _ in range(3):  # climb until the element holds label and name
                text = _short_text(el)
                if text is None:
                    break
                found = _byline_match(text)
                if found and len(found[0].strip(" :")) >= 2:
                    name = clean_author(found[0], site=site, host=host, labelled=found[1])
                    break
                el = el.getparent()
                if el is None:
                    break
        if name:
            if not after_body:
                return name, "visible"
            later = later or name
    # 2. an unlabelled "Name / Jurnalis" line
    name = _role_after(role_hits, site, host)
    if name:
        return name, "visible"
    # 3. JSON-LD, unless the page credits that person as its editor
    a = md.jsonld.get("author") or md.jsonld.get("creator")
    if a:
        people = a if isinstance(a, list) else [a]
        names = []
        for p in people:
            if isinstance(p, dict) and "organization" in _types(p):
                continue
            is_person = isinstance(p, dict) and "person" in _types(p)
            n = clean_author(_ld_text(p), site=site, host=host, labelled=True, person=is_person)
            if n and n not in names:
                names.append(n)
        if names:
            region_text = region.text_content()
            names = [n for n in names if not _named_as_editor(region_text, n)]
        if names:
            return ", ".join(names), "jsonld"
    if later:
        return later, "visible"
    # 4. markup: itemprop=author, rel=author, byline classes
    for el in _author_marked(region):
        if el.tag in ("meta", "link", "script", "style"):
            continue
        cls = el.get("class") or ""
        if not (el.get("itemprop") == "author" or el.get("rel") == "author" or _BYLINE_CLASS.search(cls)):
            continue
        if any(_MEDIA_CLASS.search(f"{a.get('class') or ''} {a.get('id') or ''}")
               for a, _ in zip(el.iterancestors(), range(4), strict=False)):
            continue  # a photo credit, not a byline
        text = _short_text(el, 120)
        if not text:
            continue
        m = _BYLINE_SOFT.match(text) or _BYLINE_LABELLED.match(text)
        name = (None if m else _people_of(el, site, host)) or clean_author(
            m.group("name") if m else text, site=site, host=host, labelled=bool(m))
        if name and (m or len(name.split()) >= 2):
            return name, "generic"
    # 5. meta author, unless it names the publisher (a company, a newsroom, a site)
    for key in ("author", "article:author", "dc.creator", "twitter:creator"):
        v = md.first(key)
        if v and not _ORGANISATION.search(v):
            n = clean_author(v, site=site, host=host)
            if n:
                return n, "meta"
    return None, None


# A reporter's name printed in capitals as a line of its own (Tempo-style), with an optional
# agency after it: "FRISKI RIANA", "ANDITA RAHMA | ANTARA".
_CAPS_NAME = re.compile(r"^(?P<name>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]*){1,3})(?:\s*[|/]\s*[A-Z][\w .]{1,30})?$")
# Names joined in one byline line: "Mathatisi Sebusi/Mohalenyane Phakela", "A and B".
_NAME_JOIN = re.compile(r"\s*(?:/|&|,|\band\b|\bdan\b|\bund\b)\s*")
#: Words that make a capitalised line something else than a name.
_NOT_NAME_WORDS = frozenset("""baca juga simak video foto lihat berita terkait advertisement scroll continue content
halaman selanjutnya editor redaksi sumber copyright hak cipta reporter penulis tags tag the end""".split())
#: Longest byline line taken from the body (characters).
MAX_BODY_BYLINE_CHARS = 60


def _looks_like_names(line: str) -> bool:
    names = [n for n in _NAME_JOIN.split(line) if n]
    return bool(names) and all(_PERSON.match(n) and not set(_tokens(n)) & _NOT_NAME_WORDS for n in names)


def _bold_line(roots, line: str) -> bool:
    """True when ``line`` is a paragraph of the content roots whose whole text is bold."""
    for root in roots:
        for p in root.iter("p", "div"):
            if norm_space(p.text_content()) != line:
                continue
            bold = "".join(norm_space(b.text_content()) for b in p.iter("strong", "b"))
            if bold.replace(" ", "") == line.replace(" ", ""):
                return True
    return False


#: A note about the writer closes the story: one of its last lines ...
MAX_WRITER_NOTES = 3
#: ... of at most this many characters ...
MAX_WRITER_NOTE_CHARS = 400
#: ... naming the writer within its first characters ("Eric Song is IGN's deal curator ...", "Email
#: Tariq Malik at ...", "Der Berliner Imam Abdul Adhim Kamouss ist Gründer ..."); a story's last
#: sentence that names a writer does so later ("..., he told The Associated Press", "Kauert sagte
#: deswegen im Gespräch mit MDR SACHSEN-ANHALT").
WRITER_NOTE_NAME_START = 25


def writer_notes(paragraphs: list[str], author: str | None, site: str = "") -> list[int]:
    """Indexes of the story's closing lines that are notes about its writer: a biography, a contact
    line, "... contributed to this report", the name alone. ``author`` is the page's byline; only a
    name of two words or more, written as a person's (not in capitals), and not named in the story
    before its closing lines, counts: a one-word name ("Antara") or a broadcaster's ("MDR
    SACHSEN-ANHALT") is also a story's words, and a name the story speaks of is its subject's.

    >>> writer_notes(["Banjir merendam 300 rumah.", "Warga mengungsi ke balai desa.", "Eric Song is IGN's "
    ...     "deal curator."], "Eric Song")
    [2]
    >>> writer_notes(["Flood waters rose overnight.", "Residents fled.", "The water is still rising, the "
    ...     "district chief told Eric Song of Radar Lebak."], "Eric Song")
    []
    """
    if not author or len(paragraphs) < 3:
        return []
    site = site.lower()
    names = [n for n in (norm_space(n) for n in _NAME_JOIN.split(author)) if len(n.split()) >= 2 and
             n.lower() != site and not n.isupper()]
    start = max(1, len(paragraphs) - MAX_WRITER_NOTES)
    # a name the story itself speaks of before its closing lines is the story's subject (or a byline
    # read from the story by mistake), not its writer
    story = " ".join(paragraphs[:start])
    names = [n for n in names if n not in story]
    if not names:
        return []
    notes = []
    for index in range(len(paragraphs) - 1, start - 1, -1):
        line = paragraphs[index]
        if len(line) > MAX_WRITER_NOTE_CHARS:
            continue
        if any(0 <= line.find(n) <= WRITER_NOTE_NAME_START for n in names):
            notes.append(index)
    return sorted(notes)


def body_byline(paragraphs: list[str], roots=()) -> tuple[str | None, int | None]:
    """A byline printed as a line of the body: ``(name, index of the line)``, or ``(None, None)``.

    The line is the last paragraph (or the first, when it stands out in bold) and is a person's
    name and nothing else: in capitals (Tempo-style "FRISKI RIANA", "ANDITA RAHMA | ANTARA"), in
    bold ("**Mohloai Mpesi**"), or with the role after it ("Ahmad Fauzi / Jurnalis"). page ->
    article takes it as the author and drops the line from the body.

    >>> body_byline(["Banjir merendam 300 rumah di Lebak.", "Warga mengungsi.", "FRISKI RIANA | ANTARA"])
    ('FRISKI RIANA', 2)
    >>> body_byline(["Ahmad Fauzi / Jurnalis", "Banjir merendam 300 rumah di Lebak."])
    ('Ahmad Fauzi', 0)
    >>> body_byline(["Banjir merendam 300 rumah di Lebak.", "BACA JUGA"])
    (None, None)
    """
    if len(paragraphs) < 2:
        return None, None
    for index in (len(paragraphs) - 1, 0):
        line = paragraphs[index].strip()
        if len(line) > MAX_BODY_BYLINE_CHARS or line[-1:] in ".!?:;\"”":
            continue
        m = _BYLINE_ROLE_AFTER.match(line)
        if m and _looks_like_names(norm_space(m.group("name"))):
            return clean_author(m.group("name")), index
        m = _CAPS_NAME.match(line)
        if m and (index > 0 or _bold_line(roots, line)) and _looks_like_names(m.group("name").title()):
            return ", ".join(n for n in _NAME_JOIN.split(m.group("name")) if n), index
        if _looks_like_names(line) and _bold_line(roots, line):
            return line, index
    return None, None
