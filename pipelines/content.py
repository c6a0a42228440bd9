"""Find the element(s) holding the article text: profile selector first, else block scoring."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .clean import (
    _COMMENT,
    _HIDDEN_STYLE,
    _WIDGET,
    _WRAPPER_WORDS,
    CONTINUATION,
    DROP_TAGS,
    LINK_ROW_SHARE,
    MAX_ITEM_LIST_SHARE,
    MIN_LINK_ROW_LINKS,
    MIN_TEASER_ITEMS,
    NON_TEXT_TAGS,
    PROTECT_SHARE,
    LongParagraphs,
    _depth,
    attr_tokens,
    block_names,
    boilerplate_by_verdict,
    element_verdict,
    is_boilerplate_element,
    is_caption_box,
    is_comment_element,
    is_hidden,
    is_paging_block,
    item_list_blocks,
    item_lists,
    item_share,
    outer_box,
    reads_as_sentence,
    teaser_items,
    teaser_lists,
    wraps_only,
)
from .metadata import document_position, norm_space

# Scoring constants. Each was checked on id-news-dev, world-news-dev and scrapinghub-aeb together
# (scripts/eval_extraction.py) and on the metamorphic variants of all three (scripts/metamorphic.py);
# docs/extraction.md gives the body F1 of each set with every issue-10 constant moved both ways.
# Changing one shifts the balance of the others: re-run both scripts after a change.
#: A text block shorter than this (characters) does not vote for its container.
MIN_BLOCK_CHARS = 25
#: Points per 100 characters of a block, capped at MAX_LENGTH_POINTS.
MAX_LENGTH_POINTS = 3
#: Bonus/malus for class or id tokens that say content / boilerplate.
CLASS_WEIGHT = 25
#: A block whose text earned less than this gets no bonus for a content class.
MIN_BONUS_SCORE = 2
#: A sibling of the best container joins it when its score is at least this share of the best.
SIBLING_SHARE = 0.2
#: ... and its own text blocks must have earned at least this (not just a class bonus).
MIN_SIBLING_SCORE = 3
# An element that holds at least PROTECT_SHARE of the page's long paragraphs (LONG_PARAGRAPH_CHARS
# or more) is never skipped as boilerplate (both constants are clean.py's: the cleaning holds the
# same line inside the story's container).
#: Text split by <br>s in one block longer than this is an article container, not a paragraph.
BR_CONTAINER_CHARS = 400
#: A same-class part of a split story must have fewer links than this share of its text.
MAX_PART_LINK_DENSITY = 0.3
#: A list item or heading with at least this share of its text in links is a teaser and does not vote.
TEASER_SHARE = 0.6
#: Below this link density a candidate holds no teaser list worth looking for.
MIN_TEASER_ITEMS_DENSITY = 0.1
#: When the best container scores less than this, the page is scored again without class rules.
FALLBACK_MIN_SCORE = 8
#: The story's container may grow this many levels above the best-scoring block (a story split
#: into blocks), checked on id-news-dev, world-news-dev and scrapinghub-aeb together ...
MAX_CLIMB_LEVELS = 3
#: ... when the level adds at least this much of the story's own paragraphs (characters) ...
MIN_CLIMB_PROSE_CHARS = 80
#: ... in two blocks or more, or one holding at least this share of the best block's text (one
#: paragraph beside a long story is a deck or an author's note more often than a part) ...
MIN_CLIMB_PART_SHARE = 0.15
#: ... making at least this share of the text it adds ...
CLIMB_STORY_SHARE = 0.3
#: (the story's own paragraphs: text blocks of a tag and class word holding at least this share of
#: the best block's text)
DOMINANT_SIGNATURE_SHARE = 0.2
#: ... with links making at most this share of its text (a page column of teasers stops the climb).
MAX_CLIMB_LINK_DENSITY = 0.4
#: A block inside the best one scoring at least this share of it is preferred (the tighter block).
TIGHTER_BLOCK_SHARE = 0.9
#: A best block with at least this share of its text in lists of items (clean.item_lists) ...
ITEM_LIST_BEST_SHARE = 0.5
#: ... yields to a plain block scoring at least this share of it.
ITEM_LIST_YIELD = 0.3
#: ... or, opening before the lists, holds at least this many characters of text outside them and
#: ITEM_LIST_YIELD_ITEMS times an item's mean: a story of five paragraphs above a long thread of
#: comments (the story above 34 comments of 380 characters on average; a live blog's lead entry
#: of 1400 characters is one more entry of 1300). Checked on the four development sets and their
#: variants (no record changed) and on pages whose class names are hashed.
ITEM_LIST_YIELD_CHARS = 1000
ITEM_LIST_YIELD_ITEMS = 3
#: How many top candidates get the (costly) link-density check.
TOP_CANDIDATES = 12

#: Elements whose text is a paragraph of their parent container.
PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "h2", "h3", "h4", "li"})
#: Elements that may hold text directly (text + <br>, as many old templates do).
CONTAINER_TAGS = frozenset({"div", "article", "section", "main", "td", "span", "font", "center", "dd", "body"})
#: Inline elements whose text counts as the container's own text.
INLINE_TAGS = frozenset({"a", "b", "strong", "em", "i", "u", "span", "font", "small", "sup", "sub", "q", "cite",
                         "mark", "abbr", "time", "big", "del", "ins", "s"})

_POSITIVE = frozenset({"article", "artikel", "content", "body", "entry", "story", "text", "detail", "isi", "post",
                       "berita", "news", "read", "paragraph", "main", "konten", "naskah", "txt"})
_NEGATIVE = frozenset({"comment", "komentar", "sidebar", "widget", "footer", "related", "terkait", "popular",
                       "populer", "terpopuler", "share", "social", "ad", "ads", "iklan", "banner", "menu", "nav",
                       "breadcrumb", "tag", "tags", "caption", "promo", "sponsor", "list", "index", "indeks",
                       "headline", "more", "lainnya", "rekomendasi", "recommendation", "thumb", "teaser"})
_TEXT_PARENTS = PARAGRAPH_TAGS
# Blocks that hold only inline content (the parser closes a <p> at the next block): their
# descendants are counted with them and not visited.
_LEAF_BLOCKS = frozenset({"p", "h2", "h3", "h4", "pre"})
_UNCHECKED = frozenset({"a", "img", "b", "strong", "i", "em", "u", "br", "small", "sup", "sub", "abbr", "time",
                        "picture", "source", "wbr", "hr", "cite", "q", "mark"})

def _commas(text: str) -> int:
    """Commas of a text, Latin and CJK (str.count is several times faster than a regex here)."""
    return text.count(",") + text.count("，") + text.count("、")
_DIGITS = re.compile(r"\d+")


@dataclass
class ContentResult:
    """The chosen container(s) in reading order, and how they were found."""

    roots: list = field(default_factory=list)
    source: str = "generic"  # "profile" or "generic"
    score: float = 0.0
    paragraphs: int = 0  # text blocks that voted for the chosen container(s)
    #: the blocks holding the story's own paragraphs inside a grown container (the best block and
    #: the parts of its tag and class): the cleaning keeps them whatever their class says
    story_blocks: frozenset = frozenset()


def _own_text_len(el) -> int:
    """Characters of text directly in ``el`` (its text, its children's tails, and the text of inline
    children when there is direct text at all)."""
    text = el.text
    n = len(text.strip()) if text else 0
    for child in el:
        tail = child.tail
        if tail:
            n += len(tail.strip())
    if n < 5:
        return n
    for child in el:
        if child.tag in INLINE_TAGS and len(child) < 4:
            n += len(child.text_content().strip())
    return n


def _class_weight(el) -> int:
    tokens = attr_tokens(el)
    if not tokens:
        return 0
    w = 0
    if tokens & _POSITIVE:
        w += CLASS_WEIGHT
    negative = tokens & _NEGATIVE
    if negative and not (negative == _WIDGET and tokens & _WRAPPER_WORDS):
        # (a CMS's frame around every widget, text ones too: "elementor-widget-container")
        w -= CLASS_WEIGHT
    return w


def _class_bonus(el, score: float) -> int:
    """The class weight; a content class earns nothing on a block whose text earned less than
    MIN_BONUS_SCORE (a one-line deck styled "text-body", a wrapper that text votes for only from
    far below: the class says which of two text blocks is the story, it does not make one)."""
    w = _class_weight(el)
    return 0 if w > 0 and score < MIN_BONUS_SCORE else w


def _skip(el, long_paragraphs: LongParagraphs, protect: set) -> bool:
    get = el.get
    names = el.keys()  # one call; most elements have none of the hiding attributes
    if ("style" in names or "hidden" in names or "aria-hidden" in names) and (
            ((style := get("style")) and _HIDDEN_STYLE.search(style)) or get("hidden") is not None
            or get("aria-hidden") in _TRUE) and not is_paging_block(el):
        return True
    tag = el.tag
    role = get("role") if "role" in names else None
    verdict = element_verdict(el, tag, get("class"), block_names(el, get("id"), names), role.lower() if role else "",
                              False)
    if not verdict:
        return False  # most elements: one cached lookup
    # is_boilerplate_element(el) and is_comment_element(el), from the verdict read once
    if tag not in NON_TEXT_TAGS and not boilerplate_by_verdict(el, tag, verdict):
        return False
    if el in protect:
        return False  # it holds the headline: the story is in here
    if tag in NON_TEXT_TAGS or next(el.iterdescendants("p"), None) is None or verdict == _COMMENT:
        return True
    # a class rule that would hide most of the page's paragraphs misfired ("body_overlay", "modal-enabled")
    found = long_paragraphs.get()
    if not found:
        return True
    cls = el.get("class")
    # a story cut into blocks of one class (ad slots between them) holds them all together
    parts = [sib for sib in el.getparent() if sib.tag == tag and sib.get("class") == cls] if cls else [el]
    held = sum(1 for part in parts for p in part.iter("p") if p in found)
    return held < len(found) * PROTECT_SHARE


_TRUE = frozenset({"true", "TRUE", "True"})


def link_density(el) -> float:
    """Share of an element's text that sits inside links (whitespace-trimmed character counts)."""
    text_len = len(el.text_content().strip())
    if not text_len:
        return 1.0
    links = sum(len(a.text_content().strip()) for a in el.iter("a"))
    return min(1.0, links / text_len)


def story_link_density(el) -> float:
    """:func:`link_density` leaving out list items that are all link: a related list inside the
    story's container is removed by the cleaning, so it does not make the container look like a
    page of links (the teaser items do not vote either, see score_blocks)."""
    text = len(el.text_content().strip())
    if not text:
        return 1.0
    links = sum(len(a.text_content().strip()) for a in el.iter("a"))
    if links < MIN_TEASER_ITEMS_DENSITY * text:
        return links / text
    teasers = 0
    for child in el:  # lists in the container or one block down: a related list put in the story
        for lst in (child, *child) if child.tag.__class__ is str else ():
            if lst.tag not in ("ul", "ol"):
                continue
            for li in lst.iter("li"):
                length = len(li.text_content().strip())
                if length and sum(len(a.text_content().strip()) for a in li.iter("a")) >= TEASER_SHARE * length:
                    teasers += length
    return min(1.0, max(0, links - teasers) / max(1, text - teasers))


def _text_container(el, body, length: int):
    """The container that text sitting directly in ``el`` votes for.

    Text in a ``<span>``/``<font>`` belongs to the nearest block around it. A block
    holding only inline content is a paragraph (it votes for its parent), unless it is
    long and split by ``<br>``s: then it is itself the article container.
    """
    block = el
    while block.tag in INLINE_TAGS and block is not body:
        parent = block.getparent()
        if parent is None:
            break
        block = parent
    if block is body:
        return block
    brs = 0
    for child in block:
        tag = child.tag
        if tag == "br":
            brs += 1
        elif tag.__class__ is str and tag not in INLINE_TAGS:
            return block  # mixed content: the block is a container
    if length >= BR_CONTAINER_CHARS and brs >= 2:
        return block
    parent = block.getparent()
    return parent if parent is not None else block


def score_blocks(tree, use_classes: bool = True, protect: frozenset | set = frozenset()):
    """Readability-style scores: each text block votes for its container and, less, for its ancestors.

    Returns ``(scores, votes, skipped, blocks)``: element -> score, element -> number of blocks
    that voted, the elements left out (hidden, non-text, and, with ``use_classes``,
    boilerplate by tag or class), and block element -> characters of each text block that voted.
    """
    body = tree.find("body")
    if body is None:
        body = tree
    long_paragraphs = LongParagraphs(body)
    skipped: set = set()  # the roots of the subtrees left out
    scores: dict = {}
    votes: dict = {}
    blocks: dict = {}
    # locals: this loop runs once per element of the page
    unchecked, drop_tags, leaf_blocks, paragraph_tags = _UNCHECKED, DROP_TAGS, _LEAF_BLOCKS, PARAGRAPH_TAGS
    container_tags, inline_tags, text_parents = CONTAINER_TAGS, INLINE_TAGS, _TEXT_PARENTS
    stack = [body]
    pop, push = stack.pop, stack.extend
    while stack:
        el = pop()
        tag = el.tag
        if tag.__class__ is not str:
            continue
        # only an element with attributes or a furniture tag can be boilerplate or hidden, and
        # inline elements (links, images, <b>) are judged with the block around them
        if tag not in unchecked and el is not body and (tag in drop_tags or el.attrib):
            if _skip(el, long_paragraphs, protect) if use_classes else (
                    tag in NON_TEXT_TAGS or (is_hidden(el) and not is_paging_block(el))
                    or (is_comment_element(el) and el not in protect)):
                skipped.add(el)
                continue  # its whole subtree is left out
        if tag in leaf_blocks:
            pass
        elif len(el):
            push(el[::-1])
        cap = MAX_LENGTH_POINTS
        if tag in paragraph_tags:
            text = el.text_content().strip()
            length = len(text)
            if length < MIN_BLOCK_CHARS:
                continue
            commas = _commas(text)
            container = el.getparent()
            if tag == "p" and length > 100 * cap:
                # one <p> of paragraphs split by <br> pairs (old templates): each may earn the
                # length points, as in a <div> (below)
                cap *= 1 + sum(1 for c in el if c.tag == "br") // 2
        elif tag in container_tags:
            if tag in inline_tags and el.getparent().tag in text_parents:
                continue  # a <span> inside a paragraph: the paragraph counts it
            length = _own_text_len(el)
            if length < MIN_BLOCK_CHARS:
                continue
            commas = _commas(el.text or "") + sum(_commas(c.tail) for c in el if c.tail)
            container = _text_container(el, body, length)
            # text split by <br> pairs is several paragraphs: each may earn the length points
            cap *= 1 + sum(1 for c in el if c.tag == "br") // 2
        else:
            continue
        if tag in ("li", "h2", "h3", "h4"):
            # a list item or heading that is all link is another story's teaser: no vote
            if next(el.iterdescendants("a"), None) is not None and sum(
                    len(a.text_content()) for a in el.iter("a")) >= TEASER_SHARE * length:
                continue
            points = 0.5 * (1 + commas + min(length // 100, cap))
            inner = None  # (a list of one item is no paragraph's box)
        else:
            points = 1 + commas + min(length // 100, cap)
            inner = el
        blocks[el] = length
        node, weight = container, 1.0
        # a wrapper around this one paragraph alone (a template that boxes each paragraph in its
        # own <div>s) is the paragraph itself: it neither takes a level nor weakens the vote
        while inner is not None and node is not body and wraps_only(node, inner):
            scores[node] = scores.get(node, 0.0) + points
            votes[node] = votes.get(node, 0) + 1
            inner, node = node, node.getparent()
        for _ in range(3):
            if node is None:
                break
            scores[node] = scores.get(node, 0.0) + points * weight
            votes[node] = votes.get(node, 0) + 1
            node = node.getparent()
            weight = 0.5 if weight == 1.0 else weight / 1.5
    return scores, votes, skipped, blocks


def find_content(tree, selector: str | None = None, headline=None, headlines: Sequence = (),
                 other_stories: Sequence = ()) -> ContentResult:
    """The article container(s) of a page.

    :param selector: a profile's CSS body selector; used first when it matches text.
    :param headline: the headline element, if known; class rules never hide its ancestors.
    :param headlines: other elements that show the headline as well (a title repeated in a page
        header and a story header): the branches holding them are the story's header.
    :param other_stories: headlines of other stories drawn on the page (see
        :func:`pipelines.metadata.other_story_headlines`): a block that one of them heads, between
        the headline and the block, is that story's.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<html><body><div class='sidebar'><p>Berita Terbaru, Berita Populer, "
    ...   "Indeks</p></div><div class='entry-content'><p>Pemerintah Kabupaten Lebak, melalui Dinas Koperasi, "
    ...   "melaksanakan seminar.</p><p>Kepala Dinas Koperasi, Babay Imroni, mengatakan seminar itu penting.</p>"
    ...   "</div></body></html>")
    >>> find_content(t).roots[0].get("class")
    'entry-content'
    """
    if selector:
        try:
            found = [el for el in tree.cssselect(selector) if norm_space(el.text_content())]
        except Exception:  # a bad selector in a profile must not break extraction
            found = []
        if found:
            # keep outermost matches only
            outer = [el for el in found if not any(o is not el and el in o.iterancestors() for o in found)]
            return ContentResult(outer, "profile", 0.0, len(outer))
    protect = set(headline.iterancestors()) if headline is not None else set()
    scores, votes, skipped, blocks = score_blocks(tree, protect=protect)
    top_raw = max(scores.values(), default=0.0)
    if top_raw < FALLBACK_MIN_SCORE:
        # the class rules may have hidden the story itself (a Blogger post inside "widget Blog"):
        # score again with tags and visibility only, and keep that when it finds much more text
        alt = score_blocks(tree, use_classes=False, protect=protect)
        alt_raw = max(alt[0].values(), default=0.0)
        if alt_raw >= FALLBACK_MIN_SCORE and alt_raw >= 2 * max(top_raw, 1.0):
            scores, votes, skipped, blocks = alt
    if not scores:
        return ContentResult([], "generic", 0.0, 0)
    # rank by the best each candidate could reach (no links), then check link density in that order
    bounds = sorted(((s + _class_bonus(el, s), s, el) for el, s in scores.items()), key=lambda x: x[0], reverse=True)
    others = [document_position(h) for h in other_stories] if headline is not None else []
    if others:
        bounds = [b for b in bounds if not _other_story(b[2], headline, others)]
    best, best_score = None, float("-inf")
    final: dict = {}
    for bound, s, el in bounds[:TOP_CANDIDATES]:
        weight = bound - s
        if bound <= best_score:
            continue  # cannot win even with no links: spare the link-density pass
        f = (s + weight) * (1.0 - story_link_density(el))
        final[el] = f
        if f > best_score:
            best, best_score = el, f
    if best is None:
        return ContentResult([], "generic", 0.0, 0)
    # a wrapper that barely outscores a block inside it wins on its wrapping: the tighter block is
    # the story (the climb below grows it again when the story is cut into parts)
    for el, f in sorted(final.items(), key=lambda x: x[1], reverse=True):
        if f < TIGHTER_BLOCK_SHARE * best_score:
            break
        if el is not best and best in el.iterancestors():
            best, best_score = el, f
    # (a thread its class words left out of the scoring, "comment even thread-even", outscored nothing)
    lists = [members for members in item_lists(best) if not _left_out(members[0], best, skipped)]
    if lists and item_share(best, lists) >= ITEM_LIST_BEST_SHARE:
        items = {m for members in lists for m in members}
        # a comment thread or teaser cards outscored the story: a plain block scoring at least
        # ITEM_LIST_YIELD of it, and not one of the items, is the story; a block holding the
        # headline first (the story with its headline, other stories' cards after it)
        story_chars = max(ITEM_LIST_YIELD_CHARS, ITEM_LIST_YIELD_ITEMS * sum(
            len(m.text_content()) for m in items) / len(items))

        def story_above(el) -> bool:  # a long plain block before the lists
            return _plain_chars(el, blocks, items) >= story_chars and _opens_before(el, lists[0][0])

        for bound, _raw, el in bounds[:TOP_CANDIDATES]:
            # spared above (the best outscored it before links counted): the headline's block, or
            # a story above the lists
            if el not in final and (el in protect or story_above(el)):
                final[el] = bound * (1.0 - story_link_density(el))
        ranked = sorted(final.items(), key=lambda x: (x[0] in protect, x[1]), reverse=True)
        # a short story with teaser cards after it in its container (which the cleaning removes, see
        # clean.teaser_items) stays the story: a block elsewhere must hold more text besides lists
        # than the best does, and a block around it is only the story's header and page furniture
        kept = _plain_chars(best, blocks, items)
        cards_only = kept > 0 and all(teaser_items(members) for members in lists)
        for el, f in ranked:
            # (a block whose lists of items the cleaning removes: less than MAX_ITEM_LIST_SHARE of it)
            if (el is not best and item_share(el) < MAX_ITEM_LIST_SHARE
                    and (f >= ITEM_LIST_YIELD * best_score or story_above(el))
                    and el not in items and not any(a in items for a in el.iterancestors())):
                if best not in el.iterancestors():  # (a block inside the best is a tighter one)
                    if el in best.iterancestors():
                        if cards_only:
                            continue
                    elif _plain_chars(el, blocks, items) <= kept:
                        continue
                best, best_score = el, f
                break
    region, parts = _climb(best, skipped, blocks, [headline, *headlines] if headline is not None else headlines,
                           other_stories)
    if region is not best:
        return ContentResult(_add_split_parts(tree, best, [region], scores, headline, others), "generic", best_score,
                             votes.get(best, 0), parts)
    # Siblings of the best container that carry text of their own (a story split in several
    # blocks, a lead paragraph beside the body <div>) join it, in document order.
    roots = [best]
    parent = best.getparent()
    if parent is not None and parent.tag != "body" and parent not in skipped:
        threshold = max(10.0, best_score * SIBLING_SHARE)
        best_cls = best.get("class")
        roots = []
        for sib in parent:
            if not isinstance(sib.tag, str) or sib in skipped:
                continue
            if sib is best:
                roots.append(sib)
                continue
            if others and _other_story(sib, headline, others):
                continue
            same_kind = best_cls is not None and sib.tag == best.tag and sib.get("class") == best_cls
            if not same_kind and (is_boilerplate_element(sib, inside=True) or is_caption_box(sib)):
                continue
            raw = scores.get(sib, 0.0)
            enough = raw >= max(MIN_SIBLING_SCORE, scores[best] * SIBLING_SHARE)
            s = final.get(sib)
            if s is None and enough:
                s = (raw + _class_bonus(sib, raw)) * (1.0 - story_link_density(sib))
            if enough and s is not None and s >= threshold:
                if item_share(sib) < ITEM_LIST_BEST_SHARE:  # other stories' cards beside the story
                    roots.append(sib)
            elif same_kind and scores.get(sib, 0) > 0:
                roots.append(sib)
            elif sib.tag == "p":
                text = norm_space(sib.text_content())
                if len(text) > 80 and link_density(sib) < 0.25 and (
                        reads_as_sentence(text) or _sentence_goes_on(sib)):
                    roots.append(sib)
    roots = _add_split_parts(tree, best, roots, scores, headline, others)
    return ContentResult(roots, "generic", best_score, votes.get(best, 0))


def _opens_before(el, other) -> bool:
    """True when ``el`` opens before ``other`` in the page (it precedes or holds it)."""
    for node in el.getroottree().iter():
        if node is el:
            return True
        if node is other:
            return False
    return False


def _left_out(el, top, skipped: set) -> bool:
    """True when ``el`` or one of its ancestors below ``top`` was left out of the scoring."""
    while el is not None and el is not top:
        if el in skipped:
            return True
        el = el.getparent()
    return False


def _plain_chars(el, blocks: dict, items: set) -> int:
    """Characters of the text blocks in ``el`` that voted (``blocks``), outside the ``items``."""
    total = 0
    stack = [el]
    while stack:
        node = stack.pop()
        if node in items:
            continue
        total += blocks.get(node, 0)
        stack.extend(node)
    return total


def _sentence_goes_on(p) -> bool:
    """True when the block right after paragraph ``p`` opens with the end of ``p``'s sentence (a
    paywall or "read more" template cut the story mid-sentence: "... gave chase" | ". The two ...")."""
    nxt = p.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if nxt is None or (p.tail or "").strip():
        return bool(CONTINUATION.match(p.tail or ""))
    return bool(CONTINUATION.match(nxt.text_content()[:20]))


def _style_keys(el) -> tuple:
    """(tag, class word) pairs of a text block ((tag, None) without a class): blocks styled alike
    share one ("zn-body__paragraph" and "zn-body__paragraph speakable"). The tag counts: CSS-in-JS
    templates give one component class to every text of the page, headline, byline and story."""
    cls = el.get("class")
    if not cls or not cls.strip():
        return ((el.tag, None),)
    return tuple((el.tag, w) for w in _DIGITS.sub("", cls).split())


def _climb(best, skipped: set, blocks: dict, headlines: Sequence = (), other_stories: Sequence = ()) -> tuple:
    """``(region, story blocks)``: the story's container, the best-scoring block grown by up to
    :data:`MAX_CLIMB_LEVELS` ancestors to take in the other parts of a story cut into blocks,
    and, when it grew, the blocks in it that hold the story's own paragraphs.

    A story cut by ad slots, subheadings, figures or "continue reading" buttons, or a template
    that wraps each paragraph, lives in an ancestor of the best block. A level is taken when
    what it adds holds more of the story's own paragraphs: text blocks of the tag and class
    that carry the best block's text, no deeper in the page than those (a comment thread or
    teaser cards nest their paragraphs deeper), with few links. A level that adds only other
    text (a teaser column) ends the climb, as does a level holding another story's headline
    (``other_stories``); a level that adds nothing but a label (a bare wrapper, a box's title) is
    passed.
    What a taken level adds besides (captions, ad labels, teaser lists) is removed by the
    cleaning that follows; a branch holding the headline (header, deck) is not counted.
    """
    own: dict = {}
    shallowest: dict = {}  # style -> depth of its shallowest block in ``best``
    total = 0
    base = _depth(best)
    for el in best.iter():
        n = blocks.get(el)
        if n:
            total += n
            depth = base
            node = el
            while node is not best:
                depth += 1
                node = node.getparent()
            for key in _style_keys(el):
                own[key] = own.get(key, 0) + n
                if depth < shallowest.get(key, depth + 1):
                    shallowest[key] = depth
    if not total:
        return best, frozenset()
    top = max(own.values())
    # the story's own paragraph styles, each with the depth of its shallowest block in ``best``
    story_depth = {key: shallowest[key] for key, n in own.items() if n >= min(top, DOMINANT_SIGNATURE_SHARE * total)}

    def story_part(el, depth: int) -> bool:
        """A text block (at ``depth``) styled as the story's paragraphs and no deeper in the page
        than they are."""
        for key in _style_keys(el):
            limit = story_depth.get(key)
            if limit is not None and depth <= limit:
                return True
        return False

    heads = {el for h in headlines for el in (h, *h.iterancestors())}
    best_class = best.get("class")
    region = node = best
    depth = base  # of the children of the level's parent
    box = best  # the best block with the boxes around it alone: same-class boxes beside it are parts

    def measure(parent, node, depth: int, removed) -> tuple[int, int, int, int]:
        """(story, story blocks, text, links) that taking ``parent`` adds, leaving ``removed`` out."""
        story = story_blocks = text = links = 0
        before = [0, 0, False]  # story, story blocks, prose of the parts before the story's block
        ahead = True
        for child in parent:
            if child is node:
                ahead = False
                continue
            if child.tag.__class__ is not str or child in skipped or child in heads or child in removed:
                continue
            # a block of the best one's tag and class is a part of it, whatever its class says
            same_kind = (best_class is not None and child.tag == best.tag and child.get("class") == best_class) or (
                node is box and box is not best and child.tag == box.tag and child.get("class") is not None
                and child.get("class") == box.get("class"))
            if child.tag in NON_TEXT_TAGS or is_hidden(child) or (not same_kind and (
                    child.tag in _LANDMARKS or is_boilerplate_element(child, inside=False))):
                continue
            parts = _added_parts(child, depth, blocks, _any_part if same_kind else story_part, removed)
            text += parts[0]
            links += parts[1]
            if ahead:
                before = [before[0] + parts[2], before[1] + parts[3], before[2] or parts[4]]
            else:
                story += parts[2]
                story_blocks += parts[3]
        if before[2]:
            # before the story's block, parts count when one reads as a sentence: a byline and a
            # date in the story's style (one component class for every text) are no part of it
            story += before[0]
            story_blocks += before[1]
        return story, story_blocks, text, links

    def too_little_story(story: int, text: int, links: int) -> bool:
        return story < MIN_CLIMB_PROSE_CHARS or story < CLIMB_STORY_SHARE * text or links > MAX_CLIMB_LINK_DENSITY * text

    levels = 0
    while levels < MAX_CLIMB_LEVELS:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html") or parent in skipped:
            break
        if any(parent in h.iterancestors() for h in other_stories):
            break  # a level holding another story's headline holds that story
        if node is box and wraps_only(parent, node):
            box = node = parent  # a box around the best block alone is that block: no level taken
            depth -= 1
            continue
        levels += 1
        story, story_blocks, text, links = measure(parent, node, depth, ())
        if (story or text >= MIN_CLIMB_PROSE_CHARS) and too_little_story(story, text, links):
            # lists of items the cleaning removes from the level (a comment thread, teaser cards) are
            # no reason to stop: measured again without them (only here: it costs a pass over the level)
            own_blocks = frozenset(el for el in best.iter() if el in blocks)  # a list holding one is the story
            removed = set(item_list_blocks(parent, keep=own_blocks))
            if removed:
                story, story_blocks, text, links = measure(parent, node, depth, removed)
        node = parent
        depth -= 1
        if not story and text < MIN_CLIMB_PROSE_CHARS:
            continue  # a wrapper that adds nothing but a label: look one level higher
        if too_little_story(story, text, links):
            break
        if story_blocks < 2 and story < MIN_CLIMB_PART_SHARE * total:
            continue  # one paragraph alone (a deck, a note) is no reason to grow; the rest may be higher
        region = parent
    if region is best:
        return region, frozenset()
    # the blocks holding the story's own paragraphs in the grown container: the best block and the
    # parts of its tag and class (a part whose class says "overlay" is still the story)
    parts = {best}
    if best_class is not None:
        parts.update(el for el in region.iter(best.tag) if el.get("class") == best_class)
    return region, frozenset(parts)


#: A subheading (h2-h6) this long or shorter, right before a story part, is the story's text too.
MAX_SUBHEADING_CHARS = 150
_SUBHEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# A part whose text is at least LINK_ROW_SHARE links, in MIN_LINK_ROW_LINKS links or more, is a row
# or column of links (tags, teasers, navigation): the cleaning drops it, so it neither counts
# against a level of the climb nor for it (both constants are clean.py's).


#: Landmarks that are never a part of the story beside it, whatever they hold: the page's footer
#: with paragraphs of legal text (which the paragraph rule would protect), a sidebar, a menu.
_LANDMARKS = frozenset({"footer", "aside", "nav"})


def _any_part(el, depth: int) -> bool:
    return True


def _added_parts(child, depth: int, blocks: dict, story_part, removed=frozenset()) -> tuple[int, int, int, int, bool]:
    """What a sibling adds to the story's container when the climb takes its parent: ``(text,
    links, story, story blocks, prose)`` in characters, leaving out what the cleaning will remove
    (page furniture by tag or class, captions, hidden blocks, rows of links), counting a subheading
    right before a story part as story, and links only outside the story parts; ``prose``: a story
    part reads as a sentence."""
    full = len(child.text_content().strip())
    if not full:
        return 0, 0, 0, 0, False
    anchors = [len(a.text_content().strip()) for a in child.iter("a")]
    link_chars = sum(anchors)
    if len(anchors) >= MIN_LINK_ROW_LINKS and link_chars >= LINK_ROW_SHARE * full:
        return 0, 0, 0, 0, False
    dropped = dropped_links = story = story_blocks = 0
    prose = False  # a story part reads as a sentence
    # teaser lists inside the part ("Baca juga" boxes) go with the cleaning: neither text nor links
    teasers = set(teaser_lists(child)) if len(anchors) >= MIN_TEASER_ITEMS else ()
    heading = 0  # a subheading waiting for the block after it
    # in document order, leaving out the subtrees of dropped blocks, and of headings and
    # paragraphs (counted whole)
    stack = [child]
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag.__class__ is not str:
            continue
        if el is not child and (el in teasers or el in removed or (el.attrib or tag in DROP_TAGS or tag == "figure") and (
                is_boilerplate_element(el, inside=True) or is_hidden(el) or is_caption_box(el))):
            dropped += len(el.text_content().strip())
            dropped_links += sum(len(a.text_content().strip()) for a in el.iter("a"))
            continue
        if tag in _SUBHEADING_TAGS:
            length = len(el.text_content().strip())
            heading = length if length <= MAX_SUBHEADING_CHARS and next(el.iterdescendants("a"), None) is None else 0
            continue
        if tag not in _LEAF_BLOCKS and len(el):
            stack.extend(reversed(el))
        n = blocks.get(el)
        if n:
            d = depth
            node = el
            while node is not child:
                d += 1
                node = node.getparent()
            if story_part(el, d):
                linked = sum(len(a.text_content().strip()) for a in el.iter("a"))
                if linked < TEASER_SHARE * n:  # a line that is mostly link is another story's headline
                    story += n + heading
                    story_blocks += 1
                    if not prose and reads_as_sentence(norm_space(el.text_content())):
                        prose = True
                    # links in the story's own paragraphs are its words: they do not make the
                    # level a column of links
                    dropped_links += linked
            heading = 0
    return full - dropped, link_chars - dropped_links, story, story_blocks, prose


def _add_split_parts(tree, best, roots: list, scores: dict, headline=None, others=()) -> list:
    """Roots plus the other parts of a story split into same-class blocks in different parents
    (the body cut into chunks by ad rails), in document order. A block with another story's
    headline between it and the best is that story's (the next story of an endless page, drawn
    with the same template)."""
    cls = best.get("class")
    if not cls:
        return roots
    # a part boxing one paragraph scores as a paragraph does (a short one too)
    floor = 1.0 if _paragraph_box(best) else max(MIN_SIBLING_SCORE, scores[best] * SIBLING_SHARE)
    taken = set(roots)
    extra = []
    for el, score in scores.items():
        if el in taken or score < floor or el.tag != best.tag or el.get("class") != cls:
            continue
        ancestors = set(el.iterancestors())
        if taken & ancestors or any(el in set(r.iterancestors()) for r in taken):
            continue
        if _part_link_density(el) > MAX_PART_LINK_DENSITY:
            continue
        if others and _other_story(el, headline, others):
            continue
        extra.append(el)
        taken.add(el)
    if not extra:
        return roots
    # each part's own title right before it (the h2 of a page of a multi-page story) is its text
    titles = [t for t in map(_part_title, [best, *extra])
              if t is not None and t not in taken and not any(a in taken for a in t.iterancestors())]
    return sorted([*roots, *extra, *titles], key=document_position)


def _other_story(el, headline, others: list[list[int]]) -> bool:
    """True when another story's headline (document positions ``others``) stands between the
    page's ``headline`` and the first paragraph of ``el``: ``el`` is that story's."""
    if headline is None or el in headline.iterancestors():
        return False
    start = next(el.iter("p"), el)
    first, last = sorted((document_position(headline), document_position(start)))
    return any(first < h < last for h in others)


def _paragraph_box(el) -> bool:
    """True when ``el`` boxes one paragraph, alone or with other boxes around it, and a sibling box
    has the same tag and class: a template that boxes every paragraph ("elementor-text-editor",
    "text-body"), where each box of the class is a part of the story, however short."""
    paragraphs = el.iterdescendants("p")
    if next(paragraphs, None) is None or next(paragraphs, None) is not None:
        return False
    box = outer_box(el)
    parent = box.getparent()
    if parent is None:
        return False
    tag, cls = box.tag, box.get("class")
    return any(sib is not box and sib.tag == tag and sib.get("class") == cls for sib in parent)


def _part_link_density(part) -> float:
    """Link density of a part of a split story, leaving out the teaser lists in it (a related list
    put inside a paragraph's block goes with the cleaning; the paragraph is the story's)."""
    text = len(part.text_content().strip())
    links = sum(len(a.text_content().strip()) for a in part.iter("a"))
    if not text or links <= MAX_PART_LINK_DENSITY * text:
        return links / text if text else 1.0
    for block in teaser_lists(part):
        text -= len(block.text_content().strip())
        links -= sum(len(a.text_content().strip()) for a in block.iter("a"))
    return max(0, links) / text if text > 0 else 1.0


def _part_title(part):
    """The heading block right before a part of a split story (a heading, or a block holding only
    one), short and without links, or None."""
    prev = part.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None:
        return None
    heading = prev if prev.tag in _SUBHEADING_TAGS else (prev[0] if len(prev) == 1 and prev[0].tag in
                                                          _SUBHEADING_TAGS else None)
    if heading is None or heading.find(".//a") is not None:
        return None
    text = heading.text_content().strip()
    if not text or len(text) > MAX_SUBHEADING_CHARS or len(prev.text_content().strip()) != len(text):
        return None
    return prev


# A JSON string literal of some length (the state a script hands to the browser).
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.){200,})"')
_ESCAPED_P = ("\\u003cp", "\\u003Cp", "<p")
#: A script's string holding at least this many paragraph tags is the story's HTML.
MIN_SCRIPT_PARAGRAPHS = 2


def script_html_body(page_text: str) -> str | None:
    """The longest HTML fragment with paragraphs that an inline script of the page carries as a JSON
    string (``"contentHtml": "\u003cp\u003e..."``): the story of a page drawn by JavaScript. Reads
    the page's text (the tree's scripts are gone once the body is cleaned).

    >>> script_html_body('<html><body><div id="root"></div><script>window.__STATE__ = {"body": "'
    ...   + '\\u003cp\\u003eWarga mengungsi ke balai desa sejak Kamis sore.\\u003c/p\\u003e' * 5 + '"}</script></body></html>')[:60]
    '<p>Warga mengungsi ke balai desa sejak Kamis sore.</p><p>War'
    """
    best = None
    for text in _inline_scripts(page_text):
        if not any(marker in text for marker in _ESCAPED_P):
            continue
        for m in _JSON_STRING.finditer(text):
            raw = m.group(1)
            if best is not None and len(raw) <= len(best):
                continue
            if sum(raw.count(marker) for marker in _ESCAPED_P) >= MIN_SCRIPT_PARAGRAPHS:
                best = raw
    if best is None:
        return None
    try:
        return json.loads(f'"{best}"')
    except ValueError:
        return None


def _inline_scripts(text: str):
    """The contents of the page's inline scripts that are not JSON-LD (found with str.find: fast)."""
    find, pos = text.find, 0
    while True:
        start = find("<script", pos)
        if start < 0:
            return
        close = find(">", start)
        end = find("</script", close)
        if close < 0 or end < 0:
            return
        opening = text[start:close]
        if "src=" not in opening and "ld+json" not in opening:
            yield text[close + 1:end]
        pos = end
