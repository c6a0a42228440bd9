"""Remove boilerplate from the article container (elements) and from its text (lines), Indonesian-aware."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

from .metadata import norm_space

# ----------------------------------------------------------------------------------- element rules
# The shape constants below (teaser lists, item lists, prompts, collapsed parts, notes after the story)
# were checked like content.py's: on the three development sets together and their metamorphic
# variants, each moved both ways (docs/extraction.md).

#: Tags whose content is never text.
NON_TEXT_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "object", "embed", "button", "input", "select", "textarea", "svg",
    "canvas", "video", "audio", "template", "head", "link", "meta",
})
#: Tags whose content is page furniture, unless they hold the article's paragraphs (ASP.NET wraps whole
#: pages in <form>; some themes put the story in an <aside>).
DROP_TAGS = frozenset(NON_TEXT_TAGS | {"form", "nav", "aside", "footer", "figcaption", "label", "dialog", "menu"})
#: An element matched by tag or class but holding at least this many paragraphs is kept (the rule misfired).
PROTECT_PARAGRAPHS = 5
#: Tags that end a paragraph when the text is flattened.
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "blockquote", "pre", "ul", "ol", "li", "dl", "dt",
    "dd", "table", "thead", "tbody", "tfoot", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figure",
    "hr", "br", "center", "address", "details", "summary", "caption",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# class/id tokens (split on "-", "_", space, camelCase kept whole) that mark a boilerplate element.
# Grouped by purpose; matched as whole tokens so "ad" never hits "read" or "header".
_AD_TOKENS = {"ad", "ads", "adv", "advert", "advertisement", "iklan", "banner", "dfp", "gpt", "adsbygoogle",
              "sponsor", "sponsored", "promo", "parallax", "taboola", "outbrain", "mgid", "adsense", "billboard",
              "leaderboard", "skyscraper"}
_SHARE_TOKENS = {"share", "sharing", "shares", "social", "sosmed", "medsos", "sharebar", "bagikan", "addthis",
                 "sharethis", "socmed", "follow", "sharedaddy", "addtoany", "a2a", "heateor", "shareaholic", "essb"}
_CHROME_TOKENS = {"sidebar", "breadcrumb", "breadcrumbs", "menu", "navbar", "nav", "navigation",
                  "footer", "masthead", "topbar", "ticker", "newsticker", "marquee", "skeleton",
                  "placeholder", "modal", "popup", "overlay", "cookie", "subscribe", "newsletter", "login",
                  "signup", "pagination", "pager", "toolbar", "rating", "reaction", "reactions", "polling",
                  "emoji", "nocontent"}
_COMMENT_TOKENS = {"comment", "comments", "komentar", "disqus", "respond", "discussion"}
_RELATED_TOKENS = {"related", "terkait", "bacajuga", "linksisip", "recommendation", "rekomendasi",
                   "recommended", "popular", "populer", "terpopuler", "trending", "terbaru", "latest",
                   "terkini", "lainnya", "readmore", "editorpick", "nextread", "selanjutnya", "relatedposts",
                   "yarpp", "pilihan"}
_META_TOKENS = {"tag", "tags", "topik", "topic", "topics", "keyword", "keywords", "label", "labels", "meta",
                "author", "byline", "penulis", "reporter", "editor", "writer", "bio", "contributor", "wartawan",
                "jurnalis", "date", "time", "timestamp", "datetime",
                "credit", "credits", "source", "sumber", "kategori", "category", "categories",
                # the deck / kicker above the story is not its text
                "subtitle", "subjudul", "deck", "dek", "standfirst", "kicker", "excerpt"}
#: Meta tokens that mark a deck: dropped however sentence-like it reads.
_DECK_TOKENS = frozenset({"subtitle", "subjudul", "deck", "dek", "standfirst", "kicker", "excerpt"})
_MEDIA_TOKENS = {"caption", "captions", "keterangan", "figcaption", "photo", "foto", "gallery", "galeri",
                 "video", "embed", "instagram", "twitter", "tiktok", "youtube", "facebook", "fb", "thumb",
                 "thumbnail", "imageinfo", "img", "image", "pic", "picture"}

#: Tokens that end an element wherever it is (inside or outside the article container).
HARD_TOKENS = frozenset(_AD_TOKENS | _SHARE_TOKENS | _CHROME_TOKENS | _COMMENT_TOKENS)
#: Tokens that end an element unless a content token says otherwise ("related-list" yes, "content-related" no;
#: "widget" is chrome in a sidebar, but CMS frameworks also wrap the story in a "container-widget-content").
SOFT_TOKENS = frozenset(_RELATED_TOKENS | {"widget"})
# Inside the chosen container only: _META_TOKENS end an element (a date or tag row is legit around
# the story, not in it) and _MEDIA_TOKENS end it when its text is short (a caption box).
#: Tokens that say "this is the article text"; they protect an element from the soft rules above.
CONTENT_TOKENS = frozenset({"content", "body", "entry", "article", "artikel", "isi", "story", "text", "detail",
                            "post", "berita", "news", "main", "read", "paragraph", "desc", "description",
                            "txt", "naskah", "konten", "page", "paging"})
# Layout words that travel with "sidebar" on page wrappers ("has-sidebar", "sidebar-right").
_LAYOUT_WORDS = frozenset({"has", "with", "no", "left", "right", "layout", "container", "wrapper", "wrap", "col",
                           "column", "site", "template", "theme", "full", "width", "grid", "row"})

#: Text beside an image shorter than this (characters) is a caption.
MAX_CAPTION_CHARS = 250

_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


#: Attributes in which component templates (React, CSS-in-JS) name a block for their tests, where
#: the class is a generated hash ("Viewweb__StyledView-sc-b0snvl-0 eXvbQw"): data-testid="byline",
#: data-qa-id="comment-section" say what the block is as a class would.
TEST_ID_ATTRS = frozenset({"data-testid", "data-test-id", "data-test", "data-qa", "data-qa-id", "data-component",
                           "data-cy"})


def block_names(el, id_: str | None, names=None) -> str | None:
    """``id_`` (the element's id) with the element's test ids after it (see :data:`TEST_ID_ATTRS`):
    the names the class and id rules read besides the class. ``names`` is ``el.keys()`` when read.

    >>> import lxml.html
    >>> block_names(lxml.html.fromstring('<div id="x" data-qa-id="author-name"></div>'), "x")
    'x author-name'
    """
    if names is None:
        names = el.keys()
    if TEST_ID_ATTRS.isdisjoint(names):
        return id_
    extra = " ".join(v for k, v in el.items() if k in TEST_ID_ATTRS and v)
    if not extra:
        return id_
    return f"{id_} {extra}" if id_ else extra


def attr_tokens(el) -> frozenset[str]:
    """Lower-case class and id tokens of an element (the words a class bonus and the paging rule
    read; test ids, see :func:`block_names`, name furniture well but say little about which text
    block is the story: data-component="text-block" is on every paragraph of some templates).

    >>> sorted(attr_tokens(__import__("lxml.html").html.fromstring('<div class="read__baca-juga shareBar" id="x"></div>')))
    ['baca', 'bar', 'juga', 'read', 'share', 'x']
    """
    cls = el.get("class")
    id_ = el.get("id")
    if not cls and not id_:
        return frozenset()
    return _tokens_of(f"{cls or ''} {id_ or ''}")


@lru_cache(maxsize=65536)
def _tokens_of(raw: str) -> frozenset[str]:
    raw = _CAMEL.sub(" ", raw)
    return frozenset(t for t in _TOKEN_SPLIT.split(raw.lower().replace("__", " ")) if t)


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def is_hidden(el) -> bool:
    """True for elements a reader never sees (style display:none, hidden attribute, aria-hidden)."""
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    return el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true"


#: Class words of CSS utility classes that hide an element ("hidden md:block" is shown on wide screens).
HIDDEN_CLASSES = frozenset({"hidden", "hide", "is-hidden", "d-none", "visually-hidden", "visuallyhidden", "sr-only",
                            "screen-reader-text", "screen-reader-only", "element-invisible", "invisible",
                            "u-hidden", "u-visually-hidden"})


def is_hidden_by_class(el) -> bool:
    """True when a utility class hides the element from sighted readers (a paywall box shown by
    script, a screen-reader label such as "Article content").

    >>> import lxml.html
    >>> is_hidden_by_class(lxml.html.fromstring('<div class="article-block hidden">x</div>'))
    True
    >>> is_hidden_by_class(lxml.html.fromstring('<div class="hidden md:block">x</div>'))
    False
    """
    cls = el.get("class")
    return _hides(cls) if cls else False


@lru_cache(maxsize=65536)
def _hides(cls: str) -> bool:
    words = cls.lower().split()
    return not any(":" in w for w in words) and any(w in HIDDEN_CLASSES for w in words)


#: A hidden block inside the story with at least this much prose is a collapsed part of it
#: ("continue reading"), not furniture.
MIN_COLLAPSED_STORY_CHARS = 150
#: ... and links make less than this share of its text.
MAX_STORY_LINK_DENSITY = 0.3
_FORM_CONTROLS = ("form", "input", "select", "textarea")


def paragraph_styles(root) -> frozenset:
    """(tag, class) of the ``<p>`` elements holding at least a fifth of ``root``'s paragraph text:
    how the story's paragraphs are styled."""
    chars: dict = {}
    for p in root.iter("p"):
        key = _style_class(p.get("class"))
        chars[key] = chars.get(key, 0) + len(p.text_content())
    total = sum(chars.values())
    return frozenset(k for k, n in chars.items() if n and n >= 0.2 * total)


def holds_story_text(el, styles: frozenset = frozenset()) -> bool:
    """True when a hidden block is a collapsed part of the story: long, no form (but in a prompt box
    beside story paragraphs, see :func:`_story_around_prompts`), and its paragraphs
    styled like the story's (``styles``, see :func:`paragraph_styles`; a paywall's hidden pitch
    has sentences too, in paragraphs of its own style), or, without paragraphs, prose with few links.

    >>> import lxml.html
    >>> holds_story_text(lxml.html.fromstring("<div><p>" + "Warga mengungsi ke balai desa. " * 6 + "</p></div>"))
    True
    """
    text = norm_space(el.text_content())
    if len(text) < MIN_COLLAPSED_STORY_CHARS:
        return False
    if any(True for _ in el.iter(*_FORM_CONTROLS)) and not _story_around_prompts(el, styles):
        return False
    own = [(_style_class(p.get("class")), len(p.text_content())) for p in el.iter("p")] if styles else []
    if own:
        # paragraphs styled like the story's are the story, whatever they say (a list of places)
        return sum(n for k, n in own if k in styles) >= 0.5 * sum(n for _, n in own)
    if not reads_as_sentence(text) and not any(reads_as_sentence(norm_space(p.text_content())) for p in el.iter("p")):
        return False
    links = sum(len(norm_space(a.text_content())) for a in el.iter("a"))
    return links < MAX_STORY_LINK_DENSITY * len(text)


def _story_around_prompts(el, styles: frozenset) -> bool:
    """True when every form in hidden block ``el`` sits in a prompt box of its own (see
    :func:`interaction_boxes`) and the block holds, besides those boxes, more text than a prompt
    can (MAX_PROMPT_BOX_CHARS) in two sentence paragraphs or more styled like the story's: a
    collapsed later part with a newsletter box in it, not a paywall's hidden pitch and form."""
    inside = {node for box in interaction_boxes(el) for node in box.iter()}
    if any(ctl not in inside for ctl in el.iter(*_FORM_CONTROLS)):
        return False
    prose = [text for p in el.iter("p") if p not in inside and (not styles or _style_class(p.get("class")) in styles)
             and reads_as_sentence(text := norm_space(p.text_content()))]
    return len(prose) >= 2 and sum(map(len, prose)) > MAX_PROMPT_BOX_CHARS


#: An interaction box (a newsletter or sign-in prompt around a form) holds at most this much text ...
MAX_PROMPT_BOX_CHARS = 500
#: ... and grows around its form one block at a time, each adding at most this much (a heading and
#: a pitch; a block that adds more holds story paragraphs around the box).
MAX_PROMPT_STEP_CHARS = 200


def interaction_boxes(root) -> list:
    """The smallest blocks around each form inside ``root`` whose text stays short: a sign-up,
    subscription or log-in prompt with its heading and pitch, whatever its class or language.
    A form holding much text (an ASP.NET page inside one <form>) is not a box."""
    boxes = []
    for ctl in root.iter(*_FORM_CONTROLS):
        if ctl.tag == "input" and (ctl.get("type") or "").lower() == "hidden":
            continue
        if len(norm_space(ctl.text_content())) > MAX_PROMPT_BOX_CHARS:
            continue
        box, held = ctl, len(norm_space(ctl.text_content()))
        while True:
            parent = box.getparent()
            if parent is None or parent is root:
                break
            size = len(norm_space(parent.text_content()))
            if size > MAX_PROMPT_BOX_CHARS or size - held > MAX_PROMPT_STEP_CHARS:
                break  # the parent holds more than a prompt: story paragraphs around the box
            box, held = parent, size
        if not any(box is b or box in b.iterdescendants() for b in boxes):
            boxes.append(box)
    return boxes


#: A link with at least this much text reads as a headline: another story's teaser (when it is
#: most of its block; a long link inside a sentence is not one).
MIN_TEASER_LINK_CHARS = 20
#: ... and it is most of its block when it holds at least this share of the block's text.
TEASER_LINK_SHARE = 0.6
#: A block holding at least this many teasers ...
MIN_TEASER_ITEMS = 3
#: ... whose text is at least this share links is a teaser list (related, popular, a sidebar that the
#: parser put inside the story because its container was never closed).
TEASER_LIST_LINK_DENSITY = 0.4
#: An inline element whose text is at least this share links, holding MIN_TEASER_ITEMS headline-long
#: links, is a card of teasers inside a sentence (a hover card); a block this much links, in
#: MIN_LINK_ROW_LINKS links or more, is a row of links to content.py's climb.
LINK_ROW_SHARE = 0.9
#: A teaser counts for its block and this many ancestors above it.
TEASER_LIST_LEVELS = 6
_INLINE = frozenset({"a", "b", "strong", "em", "i", "u", "span", "font", "small", "mark", "time", "sup", "sub"})
_INLINE_OR_BREAK = _INLINE | {"br"}


def _teaser_block(a):
    """The block around link ``a`` when the link is most of its text (a teaser), else None."""
    link_len = len(a.text_content().strip())
    if link_len < MIN_TEASER_LINK_CHARS:
        return None
    block = a.getparent()
    while block is not None and block.tag in _INLINE:
        block = block.getparent()
    if block is None:
        return None
    return block if link_len >= TEASER_LINK_SHARE * len(block.text_content().strip()) else None


def _depth(el) -> int:
    return sum(1 for _ in el.iterancestors())


_LIST_TAGS = frozenset({"ul", "ol", "dl"})


def _solid_len(text: str) -> int:
    """Characters of a text that are not white space (markup indentation is no text)."""
    return len(text) - sum(map(text.count, (" ", "\n", "\t", "\r", "\xa0")))


def _labelled(el) -> bool:
    """True when a list opens with a label of its own ("Baca Juga:", a "Related" heading): the
    heading before it is then the story's subheading, not the list's label."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        text = child.text_content().strip()
        if not text:
            continue
        return child.tag in HEADING_TAGS or (len(text) < 60 and child.find(".//a") is None
                                             and child.tag not in ("ul", "ol") and not reads_as_sentence(text))
    return False


def teaser_lists(root) -> list:
    """The outermost blocks inside ``root`` made of teaser links: at least :data:`MIN_TEASER_ITEMS`
    teasers, at least :data:`TEASER_LIST_LINK_DENSITY` of the text in links. The story around
    them has few links, so the list never grows into it. A heading right before a list (its
    label, "Related", "Mehr zum Thema") goes with it.

    >>> import lxml.html
    >>> root = lxml.html.fromstring("<div><p>Warga mengungsi ke balai desa sejak Kamis sore, kata kepala desa.</p>"
    ...   "<h3>Berita Terkait</h3><ul>" + "<li><a href='/x'>Jembatan Cibadak Putus Diterjang Banjir</a></li>" * 4
    ...   + "</ul></div>")
    >>> [el.tag for el in teaser_lists(root)]
    ['h3', 'ul']
    """
    counts: dict = {}
    teasers = set()  # the blocks of the teaser links
    inline: dict = {}  # inline element -> headline-long links right in it that are not teasers
    for a in root.iter("a"):
        block = _teaser_block(a)
        if block is not None:
            teasers.add(block)
        elif (parent := a.getparent()) is not None and parent.tag in _INLINE and parent.tag != "a" and len(
                a.text_content().strip()) >= MIN_TEASER_LINK_CHARS:
            inline[parent] = inline.get(parent, 0) + 1
        node = block
        for _ in range(TEASER_LIST_LEVELS):
            if node is None or node is root:
                break
            counts[node] = counts.get(node, 0) + 1
            node = node.getparent()
    candidates = [el for el, n in counts.items() if n >= MIN_TEASER_ITEMS]
    # other stories' headlines strung in an inline element inside a sentence: a hover card of a
    # name or a topic ("Ilhan Omar" showing three of her stories), all link
    cards = [el for el, n in inline.items() if n >= MIN_TEASER_ITEMS
             and sum(_solid_len(a.text_content()) for a in el.iter("a")) >= LINK_ROW_SHARE * _solid_len(el.text_content())]
    if not candidates:
        return cards
    lists = {}  # list element -> (text, link) characters, spaces left out
    for el in candidates:
        text = len(el.text_content().strip())
        links = sum(len(a.text_content().strip()) for a in el.iter("a"))
        if text and links >= TEASER_LIST_LINK_DENSITY * text:
            lists[el] = (_solid_len(el.text_content()), sum(_solid_len(a.text_content()) for a in el.iter("a")))
    # A block holding, besides its teasers and the lists in it, more than a label of prose with few
    # links is the story around them, not a list (a related list dropped between two paragraphs, a
    # paragraph's link counted as a teaser, teaser lines closing the story's own block: the line
    # rules take those). Inner blocks first, so that a story block inside another candidate counts
    # as prose there.
    units = {t: [a for a in t.iterancestors() if a in lists] for t in teasers if t not in lists}
    units.update({el: [a for a in el.iterancestors() if a in lists] for el in lists})
    for el in sorted(lists, key=_depth, reverse=True):
        if el.tag in _LIST_TAGS:
            continue  # a list's items are items, whatever some of them say besides their links
        text, links = lists[el]
        for unit, anc in units.items():
            # the teasers and lists right inside el (none of the remaining lists between them)
            if el in anc and (unit in lists or unit in teasers) and not any(
                    a in lists for a in anc[:anc.index(el)]):
                if unit in lists:
                    text -= lists[unit][0]
                    links -= lists[unit][1]
                else:
                    text -= _solid_len(unit.text_content())
                    links -= sum(_solid_len(a.text_content()) for a in unit.iter("a"))
        if text > MAX_LIST_LABEL_CHARS and links < TEASER_LIST_LINK_DENSITY * text:
            del lists[el]
    out = [el for el in cards if not any(anc in lists for anc in el.iterancestors())]
    for el in lists:
        if any(anc in lists for anc in el.iterancestors()):
            continue
        label = el.getprevious()
        if (label is not None and isinstance(label.tag, str) and not (label.tail or "").strip() and not _labelled(el)
                and (label.tag in HEADING_TAGS or len(label.text_content().strip()) < 60)
                and label.find(".//img") is None and not reads_as_sentence(norm_space(label.text_content()))):
            out.append(label)
        out.append(el)
    return out


#: Siblings of one tag and class, at least this many, ...
MIN_LIST_ITEMS = 3
#: ... this share of them opening with a short head (a name and a time, a linked headline: at
#: most MAX_ITEM_HEAD_CHARS, not a sentence, not a subheading) before a text of their own, are a
#: list of items: a comment thread or teaser cards, whatever their classes say.
LIST_ITEM_SHARE = 0.75
MAX_ITEM_HEAD_CHARS = 60
#: ... or, for a head that is a link, at most this (a teaser's headline: news headlines run to 150
#: characters; a link that long opening a block with a text of its own is no story sentence).
MAX_LINKED_HEAD_CHARS = 150
#: The text after an item's head is at least this long.
MIN_ITEM_TEXT_CHARS = 25
_ITEM_TAGS = frozenset({"div", "li", "article", "section", "dl"})


def _in_link(node, stop) -> bool:
    """True when ``node`` is a link or sits in one below ``stop``."""
    while node is not None and node is not stop:
        if node.tag == "a":
            return True
        node = node.getparent()
    return False


_PLAIN_ITEM, _TEASER_ITEM = 1, 2


def _item_kind(el) -> int:
    """0 unless ``el`` opens with a short head held by one element and goes on with a text in
    a block of its own: ``<b>Name</b> <span>2 hours ago</span><p>comment</p>`` (a plain item),
    ``<h3><a href="/read/..">headline</a></h3><p>summary</p>`` (a teaser item: its head is a link
    to another page of the site). A subheading over paragraphs is a story section, a bold lead-in
    before the text of a list item is the story's list."""
    head = None
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            holder, text = node, node.text
        else:
            if node is el:
                break
            holder, text = node.getparent(), node.tail
        if not text or not text.strip():
            continue
        text = text.strip()
        if head is None:
            if _in_link(holder, el):
                # a linked head is another story's headline, however it is set (<a><h3>..</h3></a>)
                if len(text) > MAX_LINKED_HEAD_CHARS:
                    return 0
            elif len(text) > MAX_ITEM_HEAD_CHARS or reads_as_sentence(text) or holder.tag in HEADING_TAGS:
                return 0
            head = holder
        elif holder is not head and len(text) >= MIN_ITEM_TEXT_CHARS:
            # the text sits in a block of its own: "<li><b>Step 1:</b> text</li>" is a list in the story
            if holder is el or (holder.tag in _INLINE and not _in_link(holder, el)):
                return 0
            return _TEASER_ITEM if _links_to_site_page(head, el) else _PLAIN_ITEM
    return 0


def _is_item(el) -> bool:
    return bool(_item_kind(el))


def _links_to_site_page(node, stop) -> bool:
    """True when ``node`` sits in a link (below ``stop``) to another page of the page's own site:
    a relative address, or one on the host of the page's canonical address (when it has one). A
    jump within the page (``#post-3``, a live blog's entry) or a shop's address is none."""
    while node is not None and node is not stop and node.tag != "a":
        node = node.getparent()
    if node is None or node is stop:
        return False
    href = (node.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    host = urlsplit(href).hostname
    if host is None:
        return True
    site = _canonical_host(node.getroottree().getroot())
    return site is None or host.removeprefix("www.") == site


def _canonical_host(root) -> str | None:
    """Host of the page's ``<link rel="canonical">`` or ``og:url`` (without "www.")."""
    head = root.find("head")
    if head is None:
        return None
    for el in head:
        if el.tag == "link" and (el.get("rel") or "").lower() == "canonical" or (
                el.tag == "meta" and el.get("property") == "og:url"):
            host = urlsplit((el.get("href") or el.get("content") or "").strip()).hostname
            if host:
                return host.removeprefix("www.")
    return None


def teaser_items(members: list) -> bool:
    """True when a list of items (see :func:`item_groups`) is other stories' teaser cards."""
    return sum(_item_kind(m) == _TEASER_ITEM for m in members) >= LIST_ITEM_SHARE * len(members)


def item_groups(el) -> list[list]:
    """Groups of children of ``el`` that form a list of items (see :data:`MIN_LIST_ITEMS`).

    >>> import lxml.html
    >>> box = lxml.html.fromstring("<div><h3>3 Komentar</h3>" + "<div class='item'><b>Budi</b> <span>2 jam "
    ...   "lalu</span><p>Semoga banjir cepat surut dan warga bisa kembali ke rumah.</p></div>" * 3 + "</div>")
    >>> [len(g) for g in item_groups(box)]
    [3]
    """
    if len(el) < MIN_LIST_ITEMS:
        return []
    by_sig: dict = {}
    for child in el:
        if child.tag in _ITEM_TAGS:
            by_sig.setdefault((child.tag, _loop_class(child.get("class"))), []).append(child)
    out = [members for members in by_sig.values() if _item_list(members)]
    if len(by_sig) > len(out) + 1:
        # a loop whose items' classes differ beyond numbers and taxonomy words ("comment even
        # thread-even", "comment odd alt thread-odd", a word hashed per item) still opens every
        # item's class with the loop's own word, numbers and all ("cmp-misc023" and "cmp-misc010"
        # are two components)
        grouped = {m for members in out for m in members}
        by_base: dict = {}
        for child in el:
            words = (child.get("class") or "").split(None, 1)
            if words and child.tag in _ITEM_TAGS and child not in grouped:
                by_base.setdefault((child.tag, words[0]), []).append(child)
        for members in by_base.values():
            if len({_loop_class(m.get("class")) for m in members}) > 1 and _item_list(members):
                out.append(members)
    return out


def _item_list(members: list) -> bool:
    """True when siblings grouped as one loop's items are a list of items (see :func:`item_groups`)."""
    return len(members) >= MIN_LIST_ITEMS and sum(map(_is_item, members)) >= LIST_ITEM_SHARE * len(members)


@lru_cache(maxsize=65536)
def _loop_class(cls: str | None) -> str | None:
    """The class a CMS loop gives every item: its class without numbers and without the words
    naming the item's own post, format and categories (WordPress writes "postbox post-7816
    format-link category-deus" for one post, "postbox post-7908 format-standard category-familia"
    for the next)."""
    if not cls:
        return cls
    return " ".join(w for w in _style_class(cls).split() if not _TAXONOMY_CLASS.match(w))


def item_lists(root) -> list[list]:
    """Every list of items inside ``root`` (outermost lists first; nested ones are left out)."""
    found = []
    taken: set = set()
    for el in root.iter(*_ITEM_TAGS, "ul", "ol"):
        if len(el) < MIN_LIST_ITEMS or el in taken:
            continue
        if taken and any(anc in taken for anc in el.iterancestors()):
            continue
        for members in item_groups(el):
            found.append(members)
            taken.update(members)
    return found


#: Lists of items holding less than this share of the container's text are not the story (a comment
#: thread or teaser cards after it); more, they are the story itself (a live blog, a slideshow),
#: unless they are teaser cards (see teaser_items).
MAX_ITEM_LIST_SHARE = 0.6
#: A list's parent left with less text than this besides the items (its "3 Comments" heading) goes too.
MAX_LIST_LABEL_CHARS = 80


def item_share(root, lists: list[list] | None = None) -> float:
    """Share of ``root``'s text held by lists of items."""
    total = len(root.text_content().strip())
    if not total:
        return 0.0
    lists = item_lists(root) if lists is None else lists
    return sum(len(m.text_content().strip()) for members in lists for m in members) / total


def item_list_blocks(root, keep=frozenset()) -> list:
    """The lists of items inside ``root`` to remove (when they are not most of it, or are teaser
    cards), each with the block around it when that holds nothing else but a label. Blocks known to hold the story's
    paragraphs (``keep``) are no list of items, however their parts open."""
    lists = [members for members in item_lists(root) if not keep or not any(m in keep for m in members)]
    if lists and item_share(root, lists) >= MAX_ITEM_LIST_SHARE:
        # most of the root: the story itself (a live blog, a slideshow), unless they are teaser
        # cards (a short story with more stories' cards after it in its container)
        lists = [members for members in lists if teaser_items(members)]
    if not lists:
        return []
    out = []
    for members in lists:
        parent = members[0].getparent()
        held = sum(len(m.text_content().strip()) for m in members)
        if parent is not root and len(parent.text_content().strip()) - held < MAX_LIST_LABEL_CHARS:
            out.append(parent)
        else:
            out.extend(members)
    return out


#: Attribute hints of hidden blocks that are the article's later pages (shown by a paging script).
PAGING_TOKENS = frozenset({"page", "paging", "halaman", "pagination-content", "paging-content", "part"})


#: A hidden paging block with less text than this is not counted as a page (an empty loader, a pager).
MIN_PAGE_CHARS = 100


def is_paging_block(el) -> bool:
    """A hidden block that holds a later page of the article (kept, not dropped)."""
    if any(k.startswith("data-pag") or k in ("data-page", "data-halaman") for k in el.attrib):
        return True
    return bool(attr_tokens(el) & PAGING_TOKENS) and el.tag in ("div", "section", "article")


def is_boilerplate_element(el, *, inside: bool = False) -> bool:
    """True when an element's tag, class/id or role marks it as boilerplate.

    ``inside`` applies the stricter set used within the chosen article container
    (captions, tag lists, date and author rows). An element that holds several long
    paragraphs is never boilerplate, whatever its class says, except a comment thread
    (readers write long paragraphs too; :func:`pipelines.content.find_content` keeps one
    that holds the headline). A paragraph that reads as a sentence is text whatever its
    class says (CMS editors name their paragraph classes ``editor-p``).

    >>> import lxml.html
    >>> is_boilerplate_element(lxml.html.fromstring('<div class="baca-juga"><a>Banjir</a></div>'))
    True
    >>> tags = lxml.html.fromstring('<div class="post-tags"><a>Lebak</a></div>')
    >>> is_boilerplate_element(tags), is_boilerplate_element(tags, inside=True)
    (False, True)
    >>> is_boilerplate_element(lxml.html.fromstring('<p class="editor-p">Banjir merendam 300 rumah di '
    ...                        'Rangkasbitung sejak Kamis sore.</p>'), inside=True)
    False
    >>> p = lxml.html.fromstring('<p>Menteri Perhubungan <a class="tag-link" href="/tag/x">Budi Karya</a> '
    ...                          'meninjau bandara.</p>')
    >>> is_boilerplate_element(p.find("a"), inside=True)
    False
    """
    tag = el.tag
    if not isinstance(tag, str):
        return True
    if tag in NON_TEXT_TAGS:
        return True
    verdict = element_verdict(el, tag, el.get("class"), block_names(el, el.get("id")), (el.get("role") or "").lower(),
                              inside)
    if not verdict:
        if not (inside and el.get("itemprop") in META_ITEMPROPS):
            return False
        verdict = _META  # microdata says so: the date, the author, the keywords of the page
    return boilerplate_by_verdict(el, tag, verdict)


def boilerplate_by_verdict(el, tag: str, verdict: int) -> bool:
    """:func:`is_boilerplate_element` for a text element whose (non-zero) :func:`_verdict` is known."""
    if verdict == _COMMENT:
        return True
    if verdict >= _SOFT and tag in _INLINE and (_in_running_text(el) or _heading_anchor(el, tag)):
        return False  # a tag link or a date inside a sentence is words of the sentence
    if verdict == _IF_SHORT and len(el.text_content()) >= MAX_CAPTION_CHARS * 2:
        return False
    if verdict == _META and tag == "p" and reads_as_sentence(norm_space(el.text_content())):
        return False
    return not _holds_paragraphs(el)


def _jump_target(a) -> bool:
    """An ``<a name=...>`` or ``<a id=...>`` without href: the target of a table of contents' jump,
    not a link (its text is the words around it)."""
    return a.get("href") is None and (a.get("name") is not None or a.get("id") is not None)


def _heading_anchor(el, tag: str) -> bool:
    """A jump target (``<a name=... class="jumpLabel">``) in a subheading: the heading's own words,
    whatever the class of a table-of-contents script calls it."""
    if tag != "a" or not _jump_target(el):
        return False
    parent = el.getparent()
    return parent is not None and parent.tag in _SUBHEADINGS


_SUBHEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


#: Microdata properties of a page's metadata: an element inside the story carrying one is a date,
#: byline or keyword row, not story text (schema.org CreativeWork).
META_ITEMPROPS = frozenset({"datePublished", "dateModified", "dateCreated", "uploadDate", "author", "creator",
                            "publisher", "keywords", "articleSection", "copyrightHolder", "copyrightYear"})


def _in_running_text(el) -> bool:
    """True when text sits right before or after an inline element in its block."""
    if (el.tail or "").strip():
        return True
    prev = el.getprevious()
    if prev is not None:
        return bool((prev.tail or "").strip())
    parent = el.getparent()
    return parent is not None and bool((parent.text or "").strip())


def is_comment_element(el) -> bool:
    """True when the class/id/role marks a comment thread (or one comment)."""
    tag = el.tag
    return isinstance(tag, str) and element_verdict(el, tag, el.get("class"), block_names(el, el.get("id")),
                                                    (el.get("role") or "").lower(), False) == _COMMENT


#: A paragraph at least this long that ends like a sentence is story text, whatever its class.
MIN_SENTENCE_CHARS = 40
_SENTENCE_END = re.compile(r"[.!?。！？…:;।؟]['\"’”»)\]」』]*$")
# a credit in brackets after the last sentence: "(rin/dwa)", "(Reuters)", "【エルサレム松岡大地】"
_TRAILING_CREDIT = re.compile(r"\s*[(\[【（][^()\[\]【】（）]{1,60}[)\]】）]\s*$")


def reads_as_sentence(text: str) -> bool:
    """True for text shaped like prose: long enough and ending with sentence punctuation.

    >>> reads_as_sentence("Reporter: Andi"), reads_as_sentence("Banjir merendam 300 rumah sejak Kamis sore.")
    (False, True)
    """
    if len(text) < MIN_SENTENCE_CHARS:
        return False
    # both patterns end at the text's end: a search over the whole text tries every position
    tail = text[-120:]
    return bool(_SENTENCE_END.search(tail) or _SENTENCE_END.search(_TRAILING_CREDIT.sub("", tail)))


def _holds_paragraphs(el) -> bool:
    """At least PROTECT_PARAGRAPHS paragraphs of 80 characters: ``<p>`` elements, ``<div>``s of
    inline text that read as sentences (a component template's paragraphs, ``<div><span>...``), or
    runs of text between ``<br>`` pairs (an old template's story, or a CMS's rich-text field,
    without ``<p>``)."""
    n = 0
    for p in el.iter("p"):
        if len(p.text_content()) >= 80:
            n += 1
            if n >= PROTECT_PARAGRAPHS:
                return True
    for div in el.iterdescendants("div"):
        for child in div:
            if child.tag not in _INLINE_OR_BREAK:
                break  # a block of blocks: its leaves are counted
        else:
            text = div.text_content()
            if len(text) >= 80 and reads_as_sentence(text.strip()):
                n += 1
                if n >= PROTECT_PARAGRAPHS:
                    return True
    if next(el.iterdescendants("br"), None) is None:
        return False
    runs = run = 0
    for node in el.iter():
        if node.tag == "br":
            if run >= 80:
                runs += 1
                if runs >= PROTECT_PARAGRAPHS:
                    return True
            run = len(node.tail.strip()) if node.tail else 0
            continue
        if node.tag != "p":  # paragraphs were counted above
            run += len(node.text.strip()) if node.text else 0
        run += len(node.tail.strip()) if node.tail and node is not el else 0
    return run >= 80 and runs + 1 >= PROTECT_PARAGRAPHS


# _verdict codes: keep, boilerplate, a comment thread (boilerplate however long), boilerplate by a
# soft token ("related" without a content word), boilerplate when short (a media box), a meta row
# (boilerplate unless it is a sentence paragraph). From _SOFT on, an inline element inside a
# sentence is kept (<a class="tag">Kemenhub</a> is a word of the sentence).
_KEEP, _DROP, _COMMENT, _SOFT, _IF_SHORT, _META = 0, 1, 2, 3, 4, 5


@lru_cache(maxsize=65536)
def _verdict(tag: str, cls: str | None, id_: str | None, role: str, inside: bool) -> int:
    """One of the codes above, from the tag, class, id and role alone."""
    if tag in DROP_TAGS:
        return _DROP
    if role in ("navigation", "complementary", "banner", "contentinfo", "search", "dialog", "alert"):
        return _DROP
    if tag in ("html", "body", "main", "article") or (not cls and not id_):
        return _KEEP
    tokens = _tokens_of(f"{cls or ''} {id_ or ''}")
    low = (cls or "").lower()
    if "baca-juga" in low or "baca_juga" in low or "bacajuga" in low:
        return _DROP
    hard = tokens & HARD_TOKENS
    if hard:
        if hard <= {"sidebar", "footer", "menu", "nav"} and tokens & _LAYOUT_WORDS and tag in ("div", "section"):
            return _KEEP  # a page wrapper that merely has a sidebar
        return _COMMENT if hard & _COMMENT_TOKENS else _DROP
    soft = tokens & SOFT_TOKENS
    if soft == _WIDGET and tokens & _WRAPPER_WORDS:
        soft = frozenset()  # the frame a CMS puts around every widget, text ones too ("widget-container")
    if inside:
        # WordPress puts taxonomy on the post itself ("tag-koperasi category-ekonomi"): not a tag row
        # ... and what the post has ("has-post-thumbnail"): not a media box
        words = _without_taxonomy(cls)
        own = _tokens_of(f"{words} {id_ or ''}")
        meta = own & _META_TOKENS
        if meta:
            return _DROP if meta & _DECK_TOKENS else _META
        if own & _MEDIA_TOKENS and not soft:
            return _IF_SHORT
    return _SOFT if soft and not tokens & CONTENT_TOKENS else _KEEP


def element_verdict(el, tag: str, cls: str | None, id_: str | None, role: str, inside: bool) -> int:
    """:func:`_verdict` of an element, leaving out an id that is its own opening text as a slug.

    Anchors of slides, sections and subheadings are made from their text
    (``id="the-actor-stunned-during-a-photo-shoot-in-paris-9"``): their words say what the story
    block is about, not what kind of block it is, and "photo", "time" or "comments" in them must
    not drop it. Only a verdict that the id changes is checked (rare), so most elements cost one
    cached lookup.
    """
    verdict = _verdict(tag, cls, id_, role, inside)
    if verdict and id_ and id_.count("-") + id_.count("_") >= MIN_SLUG_WORDS - 1 and _is_text_slug(id_, el):
        return _verdict(tag, cls, None, role, inside)
    return verdict


#: An id of this many words or more, nearly all of them the element's opening words, is a slug
#: of its text. Shorter ids ("related-posts", "comment-list") are a template's names even when the
#: block's heading repeats them.
MIN_SLUG_WORDS = 6
#: ... share of the id's words found among the opening words of the element's text.
SLUG_WORD_SHARE = 0.8
_SLUG_SPLIT = re.compile(r"[-_]+")
_TEXT_WORD = re.compile(r"\w+")


def _is_text_slug(id_: str, el) -> bool:
    """True when ``id_`` spells (most of) the first words of ``el``'s text (see :func:`element_verdict`).

    >>> import lxml.html
    >>> el = lxml.html.fromstring('<div id="the-actor-stunned-during-a-photo-shoot-in-paris-9"><h2>The actor '
    ...                           'stunned during a photo shoot in Paris.</h2><p>She wore white.</p></div>')
    >>> _is_text_slug(el.get("id"), el)
    True
    >>> _is_text_slug("related-posts-you-may-also-like-sidebar-box", el)
    False
    """
    words = [w for w in _SLUG_SPLIT.split(id_.lower()) if w and not w.isdigit()]
    if len(words) < MIN_SLUG_WORDS:
        return False
    text = el.text_content()[: len(id_) * 3].lower().replace("'", "").replace("\u2019", "")
    opening = set(_TEXT_WORD.findall(text))
    return sum(w in opening for w in words) >= SLUG_WORD_SHARE * len(words)


_WIDGET = frozenset({"widget"})
#: Words of a structural frame: "elementor-widget-container" wraps a text widget as much as a list.
_WRAPPER_WORDS = frozenset({"container", "wrapper", "wrap", "inner"})
_TAXONOMY_CLASS = re.compile(r"^(?:tag|category|kategori|format|post_format|type|status|author|postid|topic|has)-[\w-]+$",
                             re.I)


#: Words that only WordPress's post_class() writes ("type-post", "status-publish", "post-7816",
#: "hentry"): beside them, "author-jdoe" and "tag-koperasi" name the post's taxonomy.
_WP_POST_CLASS = re.compile(r"(?:^|\s)(?:hentry|type-[\w-]+|status-[\w-]+|post-\d+|postid-\d+)(?=\s|$)")


def _without_taxonomy(cls: str | None) -> str:
    """The class without the taxonomy words WordPress puts on a post ("tag-koperasi category-ekonomi
    author-jdoe", "has-post-thumbnail": not a tag row, a byline, a media box). Only beside the
    words of a post's class: alone, "author-bio" or "author-box" is a box about the writer."""
    if not cls:
        return ""
    if _WP_POST_CLASS.search(cls):
        return " ".join(w for w in cls.split() if not _TAXONOMY_CLASS.match(w))
    return " ".join(w for w in cls.split() if not w.startswith("has-"))


_CAPTION_BOX_TAGS = frozenset({"div", "figure", "span", "table", "center", "section"})


def is_caption_box(el) -> bool:
    """An image with a line of text beside it (a caption or photo credit), not a paragraph.

    >>> import lxml.html
    >>> is_caption_box(lxml.html.fromstring('<div><img src="a.jpg"><span>Jembatan Cibadak yang putus (ist)</span></div>'))
    True
    """
    if el.tag not in ("div", "figure", "span", "table", "center", "section"):
        return False
    if next(el.iterdescendants("img"), None) is None:
        return False  # (el.find(".//img") without ElementPath)
    paragraphs = el.iterdescendants("p")
    if next(paragraphs, None) is None:
        return len(norm_space(el.text_content())) < MAX_CAPTION_CHARS
    # one paragraph beside the image, closed by a photo credit, is the image's caption however
    # long ("... warga memadati alun-alun. (Foto: Dok. Humas)"); a story's paragraph ends otherwise
    if next(paragraphs, None) is not None:
        return False
    text = norm_space(el.text_content())
    return len(text) < 2 * MAX_CAPTION_CHARS and bool(CAPTION_CREDIT_END.search(text) or PHOTO_CREDIT_END.search(text))


#: A caption's closing credit: "(Foto: Dok. Humas)", "(Photo: AP)", "(Bild: dpa)", and the agencies'
#: "(NASA via AP, File)", "(AP Photo/Evan Vucci, File)".
CAPTION_CREDIT_END = re.compile(r"(?:[(\[](?:foto|photo|bild|image|dok|dokumentasi|ilustrasi|sumber foto|credit|"
                                r"kredit)\s*[:.]\s*[^()\[\]]{1,80}[)\]]|\([^()]{0,60}(?:\bvia (?:AP|AFP|Reuters|"
                                r"Getty Images)|\b(?:AP|AFP|Reuters|ANTARA) (?:Photo|FOTO)\b)[^()]{0,40}\))\s*\.?\s*$",
                                re.I)


#: Same-class blocks that together hold at least this share of the page's (or container's) long
#: paragraphs, LONG_PARAGRAPH_CHARS or more, are the story whatever their class says: a class
#: rule that would drop most of the story misfired ("body_overlay", a page builder that boxes
#: every paragraph in an "elementor-widget-text-editor"). Checked on id-news-dev, world-news-dev and
#: scrapinghub-aeb together and on their metamorphic variants.
PROTECT_SHARE = 0.5
LONG_PARAGRAPH_CHARS = 60


def wraps_only(node, child) -> bool:
    """True when ``child`` is the only element in ``node`` and ``node`` has no text of its own (a
    box around one block, which is the block itself)."""
    if node is None or len(node) != 1 or (node.text and not node.text.isspace()):
        return False
    return node[0] is child and not (child.tail and not child.tail.isspace())


def outer_box(el, stop=None):
    """``el`` with the boxes around it alone (see :func:`wraps_only`), below ``stop``."""
    box, parent = el, el.getparent()
    while parent is not None and parent is not stop and wraps_only(parent, box):
        box, parent = parent, parent.getparent()
    return box


class LongParagraphs:
    """The ``<p>``s of LONG_PARAGRAPH_CHARS or more under an element, collected on first use (most
    pages never need them)."""

    def __init__(self, root):
        self.root = root
        self.found: set | None = None

    def get(self) -> set:
        if self.found is None:
            self.found = {p for p in self.root.iter("p") if len(p.text_content()) >= LONG_PARAGRAPH_CHARS}
        return self.found


def _story_run(el, root, long_paragraphs: LongParagraphs) -> bool:
    """True when ``el`` (or the box around it alone) and its siblings of the same tag and class (one
    at least) hold at least PROTECT_SHARE of the long paragraphs in ``root``, or each boxes one
    sentence paragraph and nothing else."""
    if not el.get("class") or next(el.iterdescendants("p"), None) is None or is_comment_element(el):
        return False
    box = outer_box(el, root)
    parent = box.getparent()
    if parent is None:
        return False
    long_paragraphs = long_paragraphs.get()
    if not long_paragraphs:
        return False
    tag, cls = box.tag, box.get("class")
    parts = [part for part in parent if part.tag == tag and part.get("class") == cls]
    if len(parts) < 2:
        return False  # one block holding several paragraphs is kept by is_boilerplate_element already
    held = sum(1 for part in parts for p in part.iter("p") if p in long_paragraphs)
    return held >= PROTECT_SHARE * len(long_paragraphs) or all(_boxes_a_sentence(part) for part in parts)


def _boxes_a_sentence(part) -> bool:
    """True when ``part`` holds one long paragraph that reads as a sentence, and nothing else."""
    paragraphs = list(part.iter("p"))
    if len(paragraphs) != 1:
        return False
    text = norm_space(paragraphs[0].text_content())
    return (len(text) >= LONG_PARAGRAPH_CHARS and len(norm_space(part.text_content())) == len(text)
            and reads_as_sentence(text))


def drop_elements(root, *, inside: bool = True, extra_selectors: Sequence[str] = (), keep=frozenset(),
                  story_before: bool = False) -> int:
    """Remove boilerplate elements (and hidden non-paging ones) from ``root`` in place; tails are kept.

    With ``inside`` (``root`` is the story's container), hidden blocks that read as story prose
    stay (a later part collapsed behind "continue reading"), and interaction boxes (a prompt
    around a form) go.

    ``keep`` are blocks known to hold the story's paragraphs (no class rule drops them).
    ``story_before``: ``root`` is a later part of a story split into parts (its opening heading is
    a subheading, not the deck).

    :returns: how many hidden paging blocks (pages 2..n embedded in the page) were kept.
    """
    doomed = interaction_boxes(root) + teaser_lists(root) + item_list_blocks(root, keep) if inside else []
    styles = None  # the story's paragraph styles, read when a hidden block needs them
    long_paragraphs = LongParagraphs(root)  # read when a class rule would drop a box of them
    paging = 0
    stack = list(reversed(root))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag.__class__ is not str:
            doomed.append(el)
            continue
        if (el.attrib or tag in DROP_TAGS) and el not in keep:
            if is_boilerplate_element(el, inside=inside) and not (
                    inside and (_subheading_after_prose(el, root, story_before)
                                or (tag not in DROP_TAGS and _story_run(el, root, long_paragraphs)))):
                doomed.append(el)
                continue
            hidden = is_hidden(el) or (inside and is_hidden_by_class(el))
            if hidden:
                if is_paging_block(el):
                    if len(el.text_content().strip()) >= MIN_PAGE_CHARS:
                        paging += 1  # a later page of the story, shown by a paging script
                else:
                    if inside and styles is None:
                        styles = paragraph_styles(root)
                    if not (inside and holds_story_text(el, styles)):
                        doomed.append(el)
                        continue
        if inside and tag in _CAPTION_BOX_TAGS and is_caption_box(el) and not (
                tag in _INLINE and _in_running_text(el)):  # an inline element in a sentence is its words
            doomed.append(el)
            continue
        if len(el):
            stack.extend(reversed(el))
    for sel in extra_selectors:
        try:
            doomed.extend(root.cssselect(sel))
        except Exception:  # a bad selector in a profile must not break extraction
            continue
    for el in doomed:
        remove_keep_tail(el)
    return paging


def _subheading_after_prose(el, root, story_before: bool = False) -> bool:
    """A heading classed as a deck ("subtitle", "dek") with the story's prose before it in ``root``:
    a subheading of the story, not the deck above it (MDR, for one, classes both "subtitle")."""
    if el.tag not in _SUBHEADINGS:
        return False
    tokens = attr_tokens(el)
    if not tokens & _DECK_TOKENS or tokens & (HARD_TOKENS | SOFT_TOKENS) or (tokens & _META_TOKENS) - _DECK_TOKENS:
        return False
    node = el
    while node is not root and node is not None:
        for sib in node.itersiblings(preceding=True):
            if sib.tag.__class__ is str and sib.tag not in _HEADINGS_AND_HEADERS and reads_as_sentence(
                    norm_space(sib.text_content())):
                return True
        node = node.getparent()
    return story_before


_HEADINGS_AND_HEADERS = HEADING_TAGS | {"header", "hgroup"}


def remove_keep_tail(el) -> None:
    """Detach ``el`` but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# ----------------------------------------------------------------------------------- flattening


@dataclass
class Block:
    """One paragraph of flattened text, with the share of it that sat inside links."""

    text: str
    link_chars: int = 0
    tag: str = "p"
    strong: bool = False  # the whole block is bold/heading text
    #: (tag, class without digits) of the block element: paragraphs styled alike share it
    sig: tuple | None = None
    link_count: int = 0  # how many links the paragraph holds

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


_DIGITS = re.compile(r"\d+")


def block_sig(el) -> tuple:
    """The Block.sig of text held by ``el``: its tag and its class without numbers."""
    return el.tag, _style_class(el.get("class"))


@lru_cache(maxsize=4096)
def _style_class(cls: str | None) -> str | None:
    """A class attribute without its numbers: "par1" and "par2" style paragraphs alike."""
    return _DIGITS.sub("", cls) if cls else cls


def flatten(root) -> list[Block]:
    """Text of ``root`` as paragraphs: block elements and ``<br>`` end a paragraph.

    >>> import lxml.html
    >>> [b.text for b in flatten(lxml.html.fromstring("<div><b>Jakarta -</b> Hujan turun.<br><br>Banjir <a href='#'>datang</a>.</div>"))]
    ['Jakarta - Hujan turun.', 'Banjir datang.']
    """
    blocks: list[Block] = []
    buf: list[str] = []
    links = strong_chars = anchors = 0  # characters of the current paragraph in links / in bold; its links
    in_link = in_strong = 0  # open <a> / bold elements around the current position
    block_tag = "p"
    block_el = root

    def flush():
        nonlocal links, strong_chars, anchors, block_tag
        if buf:
            text = norm_space("".join(buf))
            if text:
                sig = block_sig(block_el) if block_el is not None else None
                blocks.append(Block(text, min(links, len(text)), block_tag, strong_chars >= len(text) * 0.9, sig,
                                    anchors))
            buf.clear()
            links = strong_chars = anchors = 0
        block_tag = "p"

    block_tags, heading_tags, strong_tags = BLOCK_TAGS, HEADING_TAGS, _STRONG_TAGS
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if tag.__class__ is not str:
            tag = ""
        if event == "start":
            if tag in block_tags:
                flush()
                block_el = el
                if tag in heading_tags or tag == "li":
                    block_tag = tag
            elif tag == "td" or tag == "th":
                buf.append(" ")
            if tag == "a" and not _jump_target(el):
                in_link += 1
                anchors += 1
            if tag in strong_tags:
                in_strong += 1
            text = el.text
        else:
            if tag in block_tags:
                flush()
                block_el = el.getparent()
            if tag == "a" and not _jump_target(el):
                in_link -= 1
            if tag in strong_tags:
                in_strong -= 1
            if el is root:
                break  # the root's tail is not part of it
            text = el.tail  # a tail belongs to the parent's link/strong context
        if text:
            buf.append(text)
            if in_link or in_strong:
                n = len(text.strip())
                if in_link:
                    links += n
                if in_strong:
                    strong_chars += n
    flush()
    return blocks


_STRONG_TAGS = frozenset({"b", "strong"} | HEADING_TAGS)


# ----------------------------------------------------------------------------------- line rules

#: "Read also" in German, French, Spanish, Portuguese, Italian, Dutch and the Scandinavian languages.
_FOREIGN_READ_ALSO = (r"(?:lesen sie (?:auch|mehr)|auch interessant|mehr zum thema|(?:à )?lire (?:aussi|également)|"
                      r"voir aussi|le[ae] (?:también|además)|leer también|te puede interesar|leia (?:também|mais)|"
                      r"veja também|leggi anche|lees ook|l[eæ]s også|läs (?:också|mer))")

# Lines that are dropped wherever they are. Grouped by purpose; each is a whole-line pattern.
_RELATED_LINES = [
    r"(?:baca|lihat|simak|cek)\s+(?:juga|pula|lagi|selengkapnya|berita\s+lainnya|artikel\s+lainnya)\b.*",
    r"baca(?:\s+selanjutnya)?\s*[:：].*",
    r"(?:berita|artikel|topik|video|foto)\s+(?:terkait|lainnya|pilihan|populer|terpopuler|terbaru|menarik|rekomendasi|untukmu)\b.{0,80}",
    r"(?:kumpulan\s+)?berita\s+terkait\s*:?",
    r"jangan\s+lewatkan\b.{0,80}",
    r"(?:terpopuler|terkini|rekomendasi|rekomendasi untuk anda|terkini lainnya|berita terbaru|indeks(?: berita)?|"
    r"terkomentari|headline|populer|pilihan editor|pilihan redaksi|editor'?s? pick|most popular|trending)\s*[:!]*",
    r"silakan baca\b.*", r"baca berita\b.*",
    r"(?:related|read also|read more|see also|also read|more stories?)\s*:?.{0,120}",
    # the same label in the other languages of the world's news sites: "Lesen Sie auch: <headline>"
    _FOREIGN_READ_ALSO + r"\s*(?:[:：|»›>]\s*.{0,120})?",
    r"(?:artikel|berita) ini telah (?:tayang|terbit|dimuat) di\b.*",
]
_PAGING_LINES = [
    r"(?:halaman|laman|page)\s*(?:selanjutnya|berikutnya|sebelumnya|next|prev(?:ious)?)\b.{0,120}",
    r"»\s*selanjutnya", r"selen+gkapnya\s*[:»>]*", r"(?:next|previous|prev|berikutnya|sebelumnya)\s*[»›>]*",
    r"(?:halaman|page|hal\.?)\s*\d+\s*(?:(?:dari|of|/)\s*\d+)?",
    r"(?:[«‹<]\s*)?(?:\d+\s*){2,}(?:[»›>]\s*)?",
    r"(?:lihat|tampilkan)\s+(?:semua|semuanya|seluruhnya)\b.{0,40}", r"single\s*page", r"show all",
    # a pager flattened into one line: "Halaman 1 dari 3 2 3 Selanjutnya Lihat Semua"
    r"(?:(?:halaman|hal\.?|laman|page|dari|of|selanjutnya|berikutnya|sebelumnya|next|prev|previous|lihat semua|"
    r"tampilkan semua|first|last|pertama|terakhir|[«»‹›<>|/…]|\.\.\.|\d{1,3})\s*){3,}",
]
_AD_LINES = [
    r"advertisement", r"advertorial", r"scroll to continue with content", r"scroll (?:down )?to (?:continue|read)\b.*",
    r"iklan\s*-\s*geser ke atas untuk melanjutkan\.?", r"(?:info iklan|iklan baris|informasi pemasangan iklan|iklan|"
    r"sponsored|konten bersponsor|ads?|advert|anzeige|publicidad|publicité)", r"\[gambas:[^\]]*\]", r"gambas\s*:.*",
    # a CMS shortcode that was never rendered: "[button link=...]Send us your review[/button]"
    r"\[(?P<shortcode>\w+)\b[^\]]*\].{0,300}\[/(?P=shortcode)\]", r"this (?:slideshow|content|video) requires javascript\.?",
    r"(?:simak|tonton|saksikan|lihat)\s+(?:juga\s+)?(?:video|foto|galeri)\b.*",
    r"(?:video|foto|infografis)\s*:\s*.{0,100}?\(\s*\w+\s*/\s*\w+\s*\)",
    r"skeleton(?: image)?", r"loading\.*", r"memuat\.*",
    r"(?:more|other|related)\s+(?:photos?|videos?|stories|galleries|news)", r"(?:foto|video|galeri|berita)\s+lainnya",
    r"rate (?:artikel|this|berita) ini", r"(?:form\s+)?(?:rating|vote|voting)\b.{0,30}", r"(?:beri|berikan) (?:rating|nilai)\b.{0,40}",
    r"(?:breaking news|total tayangan halaman|berita terbaru|newsticker)",
]
_SHARE_LINES = [
    r"(?:share|bagikan|sebarkan)(?:\s+(?:on|ke|di|artikel ini|berita ini|melalui)\b.*)?\s*:?",
    r"(?:tweet|tweets by @\w+|whatsapp|facebook|twitter|telegram|line|linkedin|pinterest|email|copy link|salin tautan|"
    r"tautan telah disalin|salin link)(?:\s*[|·•]\s*\w+)*",
    # a share bar flattened into one line: "Whatsapp Facebook Twitter Salin Link"
    r"(?:(?:whatsapp|wa|facebook|fb|twitter|x|telegram|line|linkedin|pinterest|pint|email|e-mail|tweet|share|google|"
    r"bagikan|salin|copy|link|print|cetak|download|unduh|kirim)\b[\s|·•,:/+]*){2,7}",
    r"(?:ikuti|follow)\s+(?:kami|us)\b.{0,80}", r"(?:dapatkan|gabung|bergabung|ikuti|follow|simak|pantau)\b.{0,80}"
    r"(?:update|channel|telegram|whatsapp|newsletter|google news)\b.{0,200}",
    r"jangan sampai ketinggalan berita.{0,200}", r"dapatkan (?:informasi|update|berita)\b.{0,200}",
    r"(?:cek|simak) berita\b.{0,120}", r"(?:klik|click) (?:di ?sini|here)\b.{0,80}",
]
#: Pitches that may open with any sentence, tried only on lines holding their hint word (a leading
#: ".{0,200}" tried on every line would cost more than all the other line rules together).
_PITCH_LINES = {
    # a newsletter pitch: "Sign up for the free daily newsletter", "Subscribe to NJ.com's newsletters"
    "newsletter": re.compile(r"^.{0,200}\b(?:(?:sign up|subscribe|register|abonnieren|berlangganan)\b.{0,120}"
                             r"\bnewsletters?|newsletters?\b.{0,120}\b(?:sign up|subscribe|abonnieren|berlangganan))"
                             r"\b.{0,120}$", re.I | re.S),
    # a pitch closing on its call to act: "12 issues for £11.99. Click here for more information."
    "click here": re.compile(r"^.{0,200}\bclick here (?:for|to)\b.{0,60}$", re.I | re.S),
    "klik di": re.compile(r"^.{0,200}\bklik di ?sini untuk\b.{0,60}$", re.I | re.S),
    "share": re.compile(r"^.{0,40}\bshare (?:it|this(?: story| article)?) with (?:a friend|your friends)\b.{0,20}$",
                        re.I | re.S),
    # a paywall's pitch about this very story: "Berlangganan untuk membaca berita ini selengkapnya",
    # "Subscribe to continue reading", "Jetzt abonnieren und den ganzen Artikel lesen"
    "langganan": re.compile(r"^.{0,60}\b(?:ber)?langganan\b.{0,60}\buntuk (?:membaca|mengakses|menikmati)\b.{0,40}"
                            r"\b(?:berita|artikel|konten|selengkapnya)\b.{0,80}$", re.I | re.S),
    "subscri": re.compile(r"^.{0,60}\b(?:subscribe|subscription|sign in|log in|register)\b.{0,40}\bto (?:continue "
                          r"reading|keep reading|read (?:the|this) (?:full |whole |rest of the )?(?:story|article)|"
                          r"unlock (?:this|the) (?:story|article))\b.{0,80}$", re.I | re.S),
    "abonn": re.compile(r"^.{0,60}\b(?:abonnieren|abonnenten|abonnent|abo)\b.{0,80}\b(?:weiterlesen|(?:ganzen|vollständigen) "
                      r"artikel|artikel (?:zu )?lesen)\b.{0,80}$", re.I | re.S),
}
# the same pitch opening with another call to act
_PITCH_LINES.update({hint: _PITCH_LINES["subscri"] for hint in ("sign in", "log in", "register")})
_PITCH_LINES["abo "] = _PITCH_LINES["abonn"]  # ("about" holds "abo")
_CREDIT_LINES = [
    r"(?:pewarta|editor|penulis|reporter|redaktur|penyunting|kontributor|sumber|fotografer|foto|ilustrasi|"
    r"wartawan|jurnalis|editing|penerjemah|translator|writer|ditulis oleh|laporan wartawan)\s*[:：].{0,150}",
    r"(?:penulis|reporter)\s*:.*\|\s*editor\s*:.*",
    r"laporan\s+(?:wartawan|reporter|koresponden|kontributor)\b.{0,100}",
    # a date line, alone or after the outlet's name or a label: "KabarNusa.com - 14/06/2021, 16:20 WIB",
    # "Stand: 08.07.2026 05:00 Uhr"
    r"[\w.]{0,30}\s*[-–|,:]?\s*(?:\w+,\s*)?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},?\s*(?:(?:um|at|pukul|à|a las)\s+)?"
    r"(?:\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?)?\s*(?:wib|wita|wit|uhr|h|gmt|utc|cet|cest)?",
    r"(?:editor|photographer|fotografer|penulis|reporter|pewarta|redaktur|credits?|kredit|sumber|source)"
    r"\s*(?:\(\d+\))?\s*:?",
    r"(?:on\s+)?\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}(?:\s*(?:at|pukul|,|\|)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?"
    r"(?:\s*(?:wib|wita|wit|gmt|utc)\b.*)?",
    r"tim redaksi",
    # a byline, with the outlet after a comma: "Oleh Dewi Anggraini", "von Engin Haupt, MDR SACHSEN-ANHALT"
    r"(?:oleh|by)\s*:?\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,4}",
    r"(?:oleh|by|von|par|por|door|av|af)\s*:?\s*(?-i:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,4}\s*,\s*[A-Z][\w.' -]{1,40})",
    r"(?:von|par|por|door|av|af)\s*:?\s*(?-i:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,4})",
    r"(?:©|\(c\)|copyright|hak cipta)\b.{0,200}", r".{0,200}all rights? reserved\.?",
    # a caption or photo credit ending with its owner: "Ilustrasi sakit kepala. ©www.dailymail.co.uk",
    # "... installation views, photos © Inexhibit, 2018"
    r".{0,250}©\s*[\w.@&' -]{1,40}®?(?:\s*/\s*[\w.' -]{1,40})?(?:,\s*\d{4})?\.?",
    r"(?:published|diterbitkan|diperbarui|updated?|dipublikasikan)\s*(?:on|pada)?\s*:?\s*(?:\w+,?\s*)?\d.{0,50}",
    r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)\s*,?\s*\d{1,2}[\s/.-]\w+[\s/.-]\d{2,4}.{0,40}",
    r"\d{1,2}\s+\w+\s+\d{4}\s*[,|]?\s*\d{1,2}[:.]\d{2}(?:\s*(?:wib|wita|wit))?",
    # a month-first date line: "May 2, 2024", "Nov. 18, 2019 at 10:15 am"
    r"(?:(?:updated|published)\s*:?\s*)?[A-Za-z]{3,9}\.?\s+\d{1,2},\s+\d{4}(?:\s*(?:at|,|\||-)?\s*\d{1,2}[:.]\d{2}"
    r"\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*[A-Z]{2,4})?)?",
]
_COMMENT_LINES = [
    r"(?:komentar(?: pembaca)?|\d+ komentar|berikan komentar anda|login untuk komentar|komentari artikel ini|"
    r"tulis komentar|#jernihberkomentar|leave a reply|click to comment|continue reading|published|on)",
    r"you must be logged in to post a comment.*", r"(?:\d+\s+)?comments?|(?:\d+\s+)?komentar",
    r"(?:ingatlah untuk menjaga komentar tetap hormat|disclaimer\s*:\s*komentar adalah tanggapan pribadi).*",
]
_TAG_LINES = [
    r"(?:tags?|topik|topic|kata kunci|keywords?|label)\s*[:：].{0,200}", r"(?:tags?|topik terkait|topik)",
    r"#\w+(?:\s+#\w+)*",
]

# A paywall's label: "Konten khusus pelanggan", "Subscriber-only", "Exklusiv für Abonnenten".
_PAYWALL_LINES = [
    r"(?:konten|artikel|berita)\s+(?:khusus|eksklusif)\s+(?:untuk\s+)?(?:pelanggan|member|anggota|premium)",
    r"(?:for\s+)?(?:subscribers?|members?)[- ]only(?:\s+(?:content|article|story))?|for\s+(?:subscribers|members)",
    r"(?:exklusiv\s+|nur\s+)?für\s+abonnenten",
]

#: Line patterns (matched against the whole paragraph, case-insensitive) that are never article text.
DROP_LINE_PATTERNS = (_RELATED_LINES + _PAGING_LINES + _AD_LINES + _SHARE_LINES + _CREDIT_LINES + _COMMENT_LINES
                      + _TAG_LINES + _PAYWALL_LINES)
# All of them in one alternation: one match call per paragraph instead of sixty.
_DROP_LINE = re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for p in DROP_LINE_PATTERNS) + r")\s*$", re.I | re.S)

#: Longest line a pitch pattern is tried on.
MAX_PITCH_CHARS = 400

#: A link whose text is an address (press-release contact lines) is text, not a related-article link.
_URL_TEXT = re.compile(r"^(?:https?://|www\.)\S+$|^[\w.-]+\.(?:com|id|net|org|co\.id|go\.id|ac\.id)(?:/\S*)?$",
                       re.I)

#: Text before the headline inside the container (kicker, section label) shorter than this is dropped.
MAX_PRE_HEADLINE_CHARS = 400

#: Labels after which the following link lines are a related-articles list.
RELATED_LABEL = re.compile(r"^\s*(?:baca|lihat|simak|tonton)\s+(?:juga|pula|selanjutnya|berita lainnya|"
                           r"artikel lainnya)\b|^\s*baca\s*:|"
                           r"^\s*(?:berita|artikel|video|foto)\s+(?:terkait|lainnya|terbaru|terpopuler|pilihan)|"
                           r"^\s*(?:pilihan redaksi|rekomendasi|terpopuler|populer|terkini)\b|^\s*jangan\s+lewatkan|"
                           r"^\s*(?:related|read also|see also|read more)\b|^\s*" + _FOREIGN_READ_ALSO, re.I)

#: Inline boilerplate cut out of a paragraph.
INLINE_PATTERNS = (
    re.compile(r"\s*\b(?i:baca)(?:\xa0|\s)+(?i:juga)\s*:\s*[^.!?\n]{5,160}?(?=\s+[\"“A-Z])"),
    re.compile(r"\s*\((?:foto|sumber|ilustrasi)\s*:\s*[^)]{1,80}\)\s*$", re.I),
    re.compile(r"\s*\b(?:artikel|berita) ini telah (?:tayang|terbit|dimuat) di\s+\S+.*?dengan judul\s+.*$", re.I),
)

# A word each inline pattern needs, to skip the regex on most paragraphs.
_INLINE_HINTS = ("juga", "(", "dengan judul")
_NON_WORD = re.compile(r"\W+")

#: Writer/editor initials closing the article: "(rin/dwa)", "(kbn/sar/tio)", "(Ani/Rud)", "(do)", "(*/Dul)",
#: and the bare end mark "(*)" of regional news.
TRAILING_INITIALS = re.compile(
    r"\s*[\[(](?:\*|\*/[A-Za-z]{1,5}|[a-z]{1,4}(?:/[a-z]{1,5}){0,3}|[A-Z][a-z]{1,3}(?:/[A-Z][a-z]{1,3}){1,3}|"
    r"[A-Za-z]{1,4}(?:/[A-Za-z]{1,5}){1,3}|[a-z]{2,4}\*?)[)\]]\s*\.?\s*$")
#: A photo caption ends with its credit: "(REUTERS / Andi Baso)", "(Kabar6.com/Rudi Hartono)".
PHOTO_CREDIT_END = re.compile(r"\((?:foto|photo|dok|ilustrasi)?\s*:?\s*[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)*\s*/\s*"
                              r"[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)+\)\s*$")
#: The editor's mark closing a story: writer/editor initials with a slash, or "(*)".
END_MARK = re.compile(r"\s[\[(](?:\*|\*/[A-Za-z]{1,5}|[A-Za-z]{1,5}(?:/[A-Za-z]{1,5}){1,3})[)\]]\s*\.?\s*$")
#: A paragraph that is nothing but initials or an agency code.
ONLY_INITIALS = re.compile(r"^\s*[\[(](?:\*/)?[A-Za-z*]{1,5}(?:/[A-Za-z]{1,5}){0,3}[)\]]\s*\.?\s*$")

#: A dateline printed on its own: "Jakarta -", "ISTANBUL, 23 Februari 2016 (KBN/PRWire) --".
DATELINE_ALONE = re.compile(r"^[A-Z][\w.'’ ]{1,40}(?:,[^!?]{0,60})?\s*(?:\([^)]{2,40}\))?\s*[-–—]{1,2}\s*$")


def _compile_extra(lines: Iterable[str]) -> list[re.Pattern]:
    out = []
    for p in lines:
        try:
            out.append(re.compile(p, re.I))
        except re.error:
            continue
    return out


def is_boilerplate_line(text: str, extra: Sequence[re.Pattern] = (), low: str | None = None) -> bool:
    """True when a whole paragraph is boilerplate.

    >>> is_boilerplate_line("Baca juga: Banjir Rendam 300 Rumah di Lebak")
    True
    >>> is_boilerplate_line("Editor: Rina Kurniasih")
    True
    >>> is_boilerplate_line("Babay menjelaskan, Pemkab Lebak sudah melakukan promosi.")
    False
    """
    if len(text) > 400:
        return any(p.search(text) for p in extra)
    if _DROP_LINE.match(text):
        return True
    if len(text) <= MAX_PITCH_CHARS:
        low = text.lower() if low is None else low
        if any(hint in low and pattern.match(text) for hint, pattern in _PITCH_LINES.items()):
            return True
    return any(p.search(text) for p in extra)


#: A paragraph of at least this many links that is at least 80 % links is a row of links (tags,
#: topics, navigation) when it is not styled like the story's paragraphs.
MIN_LINK_ROW_LINKS = 3


#: A first paragraph whose opening words (at least MIN_LEAD_WORDS, and LEAD_MATCH_SHARE of the
#: shorter of the two) are the page's description repeats it.
MIN_LEAD_WORDS = 5
LEAD_MATCH_SHARE = 0.8
_WORD = re.compile(r"\w+")


#: Punctuation that ends or continues a sentence: a block opening with one carries on the text before it.
CONTINUATION = re.compile(r"^\s*[.,;:!?。，、！？।]")


def is_deck(text: str, sig: tuple | None, story_sigs: Sequence, lead: str) -> bool:
    """The deck: a first paragraph repeating the page's description (``lead``), of the story
    paragraphs' tag but a class of its own (a story whose description is its first paragraph keeps
    it); ``story_sigs`` are the :attr:`Block.sig` of the paragraphs after it."""
    if not story_sigs or not sig or not sig[1] or not _repeats_lead(text, lead):
        return False
    common = Counter(story_sigs).most_common(1)[0][0]
    return bool(common) and sig[0] == common[0] and sig[1] != common[1]


def _repeats_lead(text: str, lead: str) -> bool:
    """True when ``text`` opens with the page's description (or the description with ``text``)."""
    a, b = _WORD.findall(text.lower()), _WORD.findall(lead.lower())
    k = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        k += 1
    return k >= MIN_LEAD_WORDS and k >= LEAD_MATCH_SHARE * min(len(a), len(b))


#: The story's paragraph style is the one of at least this many of its paragraphs ...
MIN_STYLED_PARAGRAPHS = 3
#: ... and at most this many paragraphs styled otherwise after the last of them are notes after the
#: story's end (a newsletter pitch, a feedback address, a tag row, "Ihre Meinung ist uns wichtig").
MAX_TRAILING_NOTES = 3


#: A styled-components class word that names the component, not its style ("sc-66bf5539-0",
#: "Viewweb__StyledView-sc-b0snvl-0", digits left out as in Block.sig): every block the one
#: component draws has it, story paragraph and link row alike; the word beside it is the style.
_COMPONENT_WORD = re.compile(r"(?:^|[_-])sc-[A-Za-z]*-?$")


def _same_style(a: tuple | None, b: tuple | None) -> bool:
    """Two Block.sig values style alike: same tag, and no class or a class word in common (a
    styled-components component word aside).

    >>> _same_style(("div", "Viewweb__StyledView-sc-bsnvl- ffSTmv"), ("div", "Viewweb__StyledView-sc-bsnvl- lNqRsT"))
    False
    """
    if a is None or b is None or a[0] != b[0]:
        return False
    if not a[1] or not b[1]:
        return not a[1] and not b[1]
    common = set(a[1].split()) & set(b[1].split())
    return any(not _COMPONENT_WORD.search(w) for w in common) if common else False


def _drop_trailing_notes(out: list[str], sigs: list, root_sig: tuple | None = None) -> None:
    """Drop (in place) the paragraphs after the story's last paragraph styled like its paragraphs."""
    if len(out) <= MIN_STYLED_PARAGRAPHS:
        return
    chars: Counter = Counter()
    for text, sig in zip(out, sigs, strict=True):
        chars[sig] += len(text)
    story = chars.most_common(1)[0][0]  # the style holding most of the text
    if story is None or sigs.count(story) < MIN_STYLED_PARAGRAPHS:
        return
    tail = 0
    while tail < len(out) and not _same_style(sigs[len(out) - 1 - tail], story):
        first = out[len(out) - 1 - tail][:1]
        if first.islower() or first in ",;:)":
            return  # it goes on with the sentence before it: the story has not ended
        if sigs[len(out) - 1 - tail] == root_sig:
            return  # the text of the story's container itself
        tail += 1
    if 0 < tail <= MAX_TRAILING_NOTES:
        del out[-tail:], sigs[-tail:]


def _drop_link_rows(out: list[str], sigs: list, rows: list[int]) -> None:
    """Drop (in place) the rows of links (``rows``: their indices) not styled like the story's
    paragraphs: a tag row, a topic or navigation bar. A story paragraph of linked words (a list of
    places each linked to its topic page) keeps the story's style."""
    chars: Counter = Counter()
    for text, sig in zip(out, sigs, strict=True):
        chars[sig] += len(text)
    story = chars.most_common(1)[0][0]
    for i in reversed(rows):
        if i < len(out) and not _same_style(sigs[i], story):
            del out[i], sigs[i]


_WORD_CHAR = re.compile(r"\w")


def clean_blocks(blocks: list[Block], *, drop_lines: Sequence[str] = (), title: str | None = None,
                 lead: str | None = None, root_sig: tuple | None = None, headlines: Sequence[str] = ()) -> list[str]:
    """Line-level cleaning of flattened paragraphs; returns the article's paragraphs.

    Drops boilerplate lines, the link lists that follow a "Baca juga" label,
    repeated headline, link-only lines, a deck
    repeating ``lead`` (the page's description) and trailing initials; joins a dateline
    printed on its own to the paragraph after it.

    >>> clean_blocks([Block("Jakarta -"), Block("Hujan deras sejak pagi. (rin/dwa)"), Block("Baca Juga"),
    ...               Block("Banjir di Lebak", link_chars=15)])
    ['Jakarta - Hujan deras sejak pagi.']
    """
    extra = _compile_extra(drop_lines)
    title_keys = {k for k in (_NON_WORD.sub(" ", t or "").strip().lower() for t in (title, *headlines)) if k}
    # a line longer than this cannot reduce to a headline (spares the regex on most lines)
    longest_title = 2 * max(map(len, title_keys), default=0) + 10
    out: list[str] = []
    sigs: list = []  # the Block.sig of each kept paragraph
    rows: list[int] = []  # kept paragraphs that are rows of links
    in_related = False
    for b in blocks:
        text = b.text
        if in_related:
            # the list after a "Baca juga" label: link lines (or short bold headlines) continue it
            if b.link_density >= 0.6 or (b.tag == "li" and len(text) < 200):
                continue
            in_related = False
        if RELATED_LABEL.match(text) and (len(text) < 40 or b.link_density >= 0.4):
            in_related = True
            continue
        low = text.lower()
        if is_boilerplate_line(text, extra, low) or (PHOTO_CREDIT_END.search(text) and len(text) < 500):
            continue
        if b.link_density >= 0.8 and not _URL_TEXT.match(text):
            # a line that is all link is another story's headline; a printed address is text; a
            # row of links is tags, topics or navigation, however long
            if (len(text) < 160 and b.tag != "p") or (b.link_density >= 0.95 and len(text) < 120):
                continue
            if b.link_count >= MIN_LINK_ROW_LINKS:
                rows.append(len(out))
        if title_keys and len(text) <= longest_title and _NON_WORD.sub(" ", text).strip().lower() in title_keys:
            # the headline: what precedes it in the container is kicker, section or date
            if sum(len(p) for p in out) < MAX_PRE_HEADLINE_CHARS:
                out.clear()
                sigs.clear()
                rows.clear()
            continue
        for hint, pat in zip(_INLINE_HINTS, INLINE_PATTERNS, strict=True):
            if hint in low:
                text = pat.sub("", text)
        text = text.strip()
        if text and _WORD_CHAR.search(text):  # a line of punctuation alone ("." cut off its sentence, "***")
            out.append(text)
            sigs.append(b.sig)
    if rows:
        _drop_link_rows(out, sigs, rows)
    if lead and len(out) >= 2 and is_deck(out[0], sigs[0], sigs[1:], lead):
        del out[0], sigs[0]
    # the editor's end mark ("(mdk/rka)", "(*)") closes the story: a few lines after it (a call to
    # readers, a list's label) are not story text
    for i in range(len(out) - 2, max(-1, len(out) - 2 - MAX_TRAILING_NOTES), -1):
        if END_MARK.search(out[i]):
            del out[i + 1:], sigs[i + 1:]
            break
    # trailing initials, agency codes and empty tails
    while out:
        last = out[-1]
        if ONLY_INITIALS.match(last):
            out.pop()
            sigs.pop()
            continue
        stripped = TRAILING_INITIALS.sub("", last).strip()
        if stripped != last:
            if stripped:
                out[-1] = stripped
            else:
                out.pop()
                sigs.pop()
        break
    _drop_trailing_notes(out, sigs, root_sig)
    # datelines printed on their own line are joined to the next paragraph
    joined: list[str] = []
    i = 0
    while i < len(out):
        if i + 1 < len(out) and len(out[i]) <= 80 and DATELINE_ALONE.match(out[i]):
            joined.append(out[i] + " " + out[i + 1])
            i += 2
            continue
        joined.append(out[i])
        i += 1
    return joined


#: The story rendered twice (a copy for small screens beside the one for large ones, a reader or
#: print copy) reads as a run of paragraphs coming again later in the body that repeats most of
#: the text before it: such a run goes when it holds REPEATED_RUN_SHARE of the characters before
#: it, at least REPEATED_RUN_PARAGRAPHS paragraphs, REPEATED_RUN_CHARS characters and a paragraph
#: of LONG_PARAGRAPH_CHARS (one paragraph printed twice may be meant so). Runs that a
#: story repeats itself are a small part of it (a meal plan per day, an interview's question, a
#: quoted post: 5 pages of the gold bodies of id-news-dev, world-news-dev and scrapinghub-aeb,
#: checked together, repeat such runs, the longest a quarter of the text before it).
REPEATED_RUN_SHARE = 0.5
REPEATED_RUN_PARAGRAPHS = 2
REPEATED_RUN_CHARS = 100


def without_repeated_runs(paragraphs: list[str]) -> list[str]:
    """The paragraphs with every later copy of a run of them removed (see :func:`repeated_runs`).

    >>> story = ["Hujan deras sejak pagi merendam ratusan rumah warga di Lebak. " * 4, "Warga mengungsi. " * 20]
    >>> without_repeated_runs(story + ["Tags: banjir"] + story) == story + ["Tags: banjir"]
    True
    >>> without_repeated_runs(["Apa kabar?", "Baik.", "Apa kabar?", "Baik.", "Selesai."])
    ['Apa kabar?', 'Baik.', 'Apa kabar?', 'Baik.', 'Selesai.']
    >>> without_repeated_runs(["PLN mengoperasikan gardu induk baru.", "PLN mengoperasikan gardu induk baru."])
    ['PLN mengoperasikan gardu induk baru.']
    """
    copies = repeated_runs(paragraphs)
    return [p for i, p in enumerate(paragraphs) if i not in copies] if copies else list(paragraphs)


def repeated_runs(texts: Sequence[str]) -> set[int]:
    """Indexes of the texts that are a later copy of a run of earlier ones: a run of at least
    REPEATED_RUN_PARAGRAPHS texts holding REPEATED_RUN_SHARE of the characters before it, or the
    second half of texts that are one text twice."""
    if len(set(texts)) == len(texts):
        return set()  # nothing printed twice (a copy is the same markup: the same text)
    keys = [_NON_WORD.sub(" ", p).strip().lower() for p in texts]
    first_at: dict[str, int] = {}
    copies: set[int] = set()
    j = before = 0  # (characters of the texts before j, copies left out)
    while j < len(keys):
        i = first_at.get(keys[j])
        if i is not None:
            run = 0
            while j + run < len(keys) and i + run < j and keys[i + run] == keys[j + run]:
                run += 1
            copy = texts[j:j + run]
            chars = sum(map(len, copy))
            whole = i == 0 and j == run == len(keys) - j  # one text twice, however short
            if whole or (run >= REPEATED_RUN_PARAGRAPHS and chars >= REPEATED_RUN_SHARE * before
                         and chars >= REPEATED_RUN_CHARS and max(map(len, copy)) >= LONG_PARAGRAPH_CHARS):
                copies.update(range(j, j + run))
                j += run
                continue
        first_at.setdefault(keys[j], j)
        before += len(texts[j])
        j += 1
    return copies
