"""Read an article's fields from structured data (JSON-LD, OpenGraph, meta tags) and the visible page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

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
_NAME_URL = re.compile(r"^(https?:)?//|^www\.", re.I)


def norm_space(text: str | None) -> str:
    """Whitespace (including NBSP and zero-width spaces) collapsed to single spaces, trimmed.

    >>> norm_space("  Kamis,\\xa028/11/2019 \\n ")
    'Kamis, 28/11/2019'
    """
    if not text:
        return ""
    return _WS.sub(" ", text.replace("\u200b", "").replace("\ufeff", "")).strip()


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
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _load_json(script.text or "")
        if data is None:
            continue
        for obj in _iter_jsonld_objects(data):
            types = _types(obj)
            md.jsonld_types.update(types)
            if not md.jsonld and ARTICLE_TYPES.intersection(types):
                md.jsonld = obj
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").strip().lower()
        value = el.get("content")
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
    return md


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


def strip_site_suffix(title: str, site: str = "") -> str:
    """Remove a " | Site" / " - Site" suffix or a "Site: " prefix from a <title> or og:title.

    >>> strip_site_suffix("Banjir di Lebak, 300 Rumah Terendam | Kabar Lebak")
    'Banjir di Lebak, 300 Rumah Terendam'
    >>> strip_site_suffix("KabarLebak.com: Musik - Banjir di Lebak Rendam 300 Rumah", "kabarlebak.com")
    'Banjir di Lebak Rendam 300 Rumah'
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
    for sep in TITLE_SEPARATORS:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if len(tail) <= max(40, len(head) // 2) and len(head) >= 10:
                return head.strip()
    return title


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _heading_match(heading: str, metas: list[tuple[set, set]]) -> float:
    """How well a heading matches the best meta title: share of the (suffix-stripped) meta title
    it covers, 0 when it holds words the meta title lacks (a section name, a different story)."""
    h = set(_tokens(heading))
    if not h:
        return 0.0
    best = 0.0
    for full, stripped in metas:
        if len(h & full) < TITLE_MATCH_PRECISION * len(h) or not stripped:
            continue
        coverage = len(h & stripped) / len(stripped)
        if coverage >= TITLE_MATCH_COVERAGE:
            best = max(best, coverage)
    return best


#: A heading matches a meta title when this share of its words are in the meta title ...
TITLE_MATCH_PRECISION = 0.8
#: ... and it covers this share of the meta title's words (site suffix removed).
TITLE_MATCH_COVERAGE = 0.6
#: Failing that, an h1 holding this share of a meta title's words is its longer form.
TITLE_CONTAINS_COVERAGE = 0.9


def extract_title(tree, md: Metadata, url: str | None = None) -> tuple[str | None, str | None, object]:
    """The headline as shown on the page: ``(title, provenance, heading_element)``.

    Headings (h1, then h2/h3) are matched against the meta titles (JSON-LD
    headline, og:title, twitter:title, ``<title>``) by their words: the heading
    covering most of a meta title wins, so a section name in ``<h1>`` loses to the
    real headline in ``<h2>``. Without a match the meta title is used, its site suffix removed.

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
    """
    site = site_name(md, url)
    raw_metas = [t for t in (_ld_text(md.jsonld.get("headline")), md.first("og:title"), md.first("twitter:title"),
                             md.title_tag) if t]
    metas = [(set(_tokens(t)), set(_tokens(strip_site_suffix(t, site)))) for t in raw_metas]
    best = None
    best_score = 0.0
    for level, xpath in enumerate(("//h1", "//h2", "//h3")):
        for h in tree.xpath(xpath):
            text = norm_space(h.text_content())
            if len(text) < 3 or len(text) > 300:
                continue
            score = _heading_match(text, metas)
            if score > best_score + 0.05:
                best, best_score = (text, h), score
        if best is not None and level == 0 and best_score >= 0.9:
            break
    if best is not None:
        return best[0], "visible", best[1]
    # A shortened SEO <title> ("Nelayan Tak Melaut - Site") under a longer on-page headline
    # ("Nelayan Tak Melaut Sepekan Akibat Cuaca Buruk"): the h1 that holds every word of a
    # meta title is that headline, as shown.
    for h in tree.xpath("//h1"):
        text = norm_space(h.text_content())
        words = set(_tokens(text))
        if 3 <= len(words) and len(text) <= 300 and any(
            len(stripped) >= 3 and len(words & stripped) >= TITLE_CONTAINS_COVERAGE * len(stripped)
            for _, stripped in metas
        ):
            return text, "visible", h
    site_key = re.sub(r"\W+", "", f"{site} {(urlsplit(url).hostname or '') if url else ''}".lower())
    for t, source in ((_ld_text(md.jsonld.get("headline")), "jsonld"), (md.first("og:title"), "meta"),
                      (md.first("twitter:title"), "meta"), (md.title_tag, "meta")):
        if t:
            stripped = strip_site_suffix(t, site)
            key = re.sub(r"\W+", "", stripped.lower())
            if key and site_key and key in site_key:
                continue  # "Kabar Lebak" on kabarlebak.example: the site's name, not a headline
            return stripped, source, None
    # no meta title (or only the site's name): the first <h1> is the page's own headline
    h1 = tree.find(".//h1")
    if h1 is not None and norm_space(h1.text_content()):
        return norm_space(h1.text_content()), "visible", h1
    return None, None, None


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
#: Function-word hits needed before the text's own language overrides the declared one.
MIN_LANGUAGE_HITS = 8


def guess_language(text: str) -> str | None:
    """``id`` or ``en`` from function words in the first 3000 characters, None when unsure.

    >>> guess_language("Dinas Pertanian Kabupaten Lebak menggelar pelatihan yang diikuti petani dari 12 "
    ...                "kecamatan, dan mereka belajar menyangrai kopi untuk dijual ke pasar di Banten itu.")
    'id'
    """
    words = re.findall(r"[a-z]+", text[:3000].lower())
    ind = sum(1 for w in words if w in _ID_WORDS)
    eng = sum(1 for w in words if w in _EN_WORDS)
    if ind >= MIN_LANGUAGE_HITS and ind >= 3 * eng:
        return "id"
    if eng >= MIN_LANGUAGE_HITS and eng >= 3 * ind:
        return "en"
    return None


# ----------------------------------------------------------------------------------- author

# A byline label, then the name. Labels that name the writer (or photographer);
# "Editor", "Redaktur", "Sumber" and friends are not authors.
BYLINE_LABELS = (r"(?:pewarta|penulis|reporter|wartawan|fotografer|jurnalis|kontributor|ditulis oleh|diposting oleh|"
                 r"dikirim oleh|author|written by|posted by)")
_BYLINE_LABELLED = re.compile(r"^\s*" + BYLINE_LABELS + r"\s*[:：]\s*(?P<name>\S.{0,150})$", re.I | re.S)
_BYLINE_SOFT = re.compile(r"^\s*(?:diposting oleh|dikirim oleh|ditulis oleh|posted by|written by|oleh|by)\s*[:：]?\s+"
                          r"(?P<name>\S.{0,100})$", re.I | re.S)
# "Laporan Wartawan Warta Timur, Andi Makkasau" / "Laporan Reporter Kabar Medan / Tommy Simatupang"
_BYLINE_REPORT = re.compile(r"^\s*laporan\s+(?:wartawan|reporter|koresponden|kontributor)\s+[^,/|]{2,50}[,/]\s*"
                            r"(?P<name>[A-Z][^,|/]{2,60})$", re.I | re.S)
_LABEL_NODE = re.compile(r"^\s*(?:" + BYLINE_LABELS + r"|oleh|by|laporan)\b", re.I)
# Things that end a name: another credit, a date, a separator.
_NAME_STOP = re.compile(r"\s*(?:\||•|·|\bEditor\b|\bRedaktur\b|\bPenyunting\b|\bSumber\b|\bFoto\b\s*:|"
                        r"\bUpdate|\bDiperbarui\b|\bDiterbitkan\b|\bPublished\b|\bon\s+\d|\b\d{1,2}[/ ]|"
                        r"\b(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)\b).*$", re.S)
_NAME_PREFIX = re.compile(r"^(?:kontributor|koresponden|laporan wartawan|wartawan)\s+[^,]{2,60},\s*", re.I)
_NOT_A_NAME = re.compile(r"^(?:tim|redaksi|admin|administrator|editor|staff|staf|humas|web ?admin|"
                         r"anonymous|unknown|guest)\b", re.I)
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


def _label_parents(root, body_start=None):
    """``(element, text, after_body)`` for each text (or child's tail) that starts with a byline
    label, in document order. ``after_body`` is True once ``body_start`` has been passed."""
    match = _LABEL_NODE.match
    after = False
    for el in root.iter():
        if el is body_start:
            after = True
        if not isinstance(el.tag, str):
            continue
        text = el.text
        if text and match(text):
            yield el, text, after
        tail = el.tail
        if tail and match(tail):
            parent = el.getparent()
            if parent is not None:
                yield parent, tail, after


def _byline_match(text: str):
    """(name, labelled) from a byline text, or None."""
    m = _BYLINE_LABELLED.match(text) or _BYLINE_REPORT.match(text)
    if m:
        return m.group("name"), True
    m = _BYLINE_SOFT.match(text)
    if m:
        return m.group("name"), False
    return None


def clean_author(name: str, *, site: str = "", host: str = "", labelled: bool = False) -> str | None:
    """A byline's name as printed, or None when it names no person.

    >>> clean_author("Kontributor Garut, Ari Maulana", labelled=True)
    'Ari Maulana'
    >>> clean_author("Dewi Anggraini - kabarjabar", host="www.kabarjabar.example")
    'Dewi Anggraini'
    >>> clean_author("Tim Redaksi") is None
    True
    """
    name = norm_space(name).lstrip(":：").strip()
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
    if not name or len(name) > 80 or _NAME_URL.search(name):
        return None
    if _NOT_A_NAME.match(name) or _INITIALS_ONLY.match(name):
        return None
    words = name.split()
    if any(len(w) >= 3 and w.isalpha() and w.isupper() for w in words) and not name.isupper():
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


def extract_author(tree, md: Metadata, url: str | None = None, *, region=None,
                   body_start=None) -> tuple[str | None, str | None]:
    """The writer's name from a labelled byline ("Pewarta: …", "Penulis: …", "Oleh …", "By …"),
    JSON-LD, itemprop/rel=author or a byline-classed element, else meta author.

    :param region: the part of the page that holds the story (the element around the headline and
        the body); visible bylines are looked for there only, so a sidebar's "Oleh …" never wins.
        None searches the whole ``<body>``.
    :param body_start: the first element of the article body: a labelled byline above it wins over
        JSON-LD; one below it (a credit table after the story) comes after JSON-LD.
    :returns: ``(name, provenance)``, or ``(None, None)`` where the page names only an editor,
        a source or initials.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<html><body><h1>Banjir di Lebak</h1><div class='byline'>Pewarta: "
    ...   "<span>Nur Aisyah</span></div><p>Isi.</p><p>Editor: Hasan Basri</p></body></html>")
    >>> extract_author(t, read_metadata(t))
    ('Nur Aisyah', 'visible')
    """
    site = site_name(md, url)
    host = (urlsplit(url).hostname or "") if url else ""
    if region is None:
        region = tree.find("body")
        if region is None:
            region = tree
    # 1. labelled bylines in the visible page; one above the body wins outright
    later = None
    for el, node_text, after_body in _label_parents(region, body_start):
        if el.tag in ("script", "style", "a", "title", "option", "textarea"):
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
    # 2. JSON-LD
    a = md.jsonld.get("author") or md.jsonld.get("creator")
    if a:
        people = a if isinstance(a, list) else [a]
        names = []
        for p in people:
            if isinstance(p, dict) and "organization" in _types(p):
                continue
            n = clean_author(_ld_text(p), site=site, host=host, labelled=True)
            if n and n not in names:
                names.append(n)
        if names:
            return ", ".join(names), "jsonld"
    if later:
        return later, "visible"
    # 3. markup: itemprop=author, rel=author, byline classes
    for el in region.xpath(".//*[@itemprop='author' or @rel='author' or contains(@class,'author') or "
                           "contains(@class,'byline') or contains(@class,'penulis') or contains(@class,'reporter')]"):
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
        name = clean_author(m.group("name") if m else text, site=site, host=host, labelled=bool(m))
        if name and (m or len(name.split()) >= 2):
            return name, "generic"
    # 4. meta author, unless it names the publisher (a company, a newsroom, a site)
    for key in ("author", "article:author", "dc.creator", "twitter:creator"):
        v = md.first(key)
        if v and not _ORGANISATION.search(v):
            n = clean_author(v, site=site, host=host)
            if n:
                return n, "meta"
    return None, None
