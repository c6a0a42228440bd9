"""Page -> article: parse once, read metadata, find and clean the body, date it, validate it."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from . import clean, content, dedupe, metadata, validate
from .article import EXTRACTOR_VERSION, Article
from .errors import ExtractionFailed, NotAnArticle
from .page import Page
from .parse import decode_for_parsing, decode_page, looks_like_feed, parse_html
from .profiles import Profile, resolve_profile

try:  # dates are written in parallel; without them an article simply has no date
    from . import dates as _dates
except ImportError:  # pragma: no cover
    _dates = None

logger = logging.getLogger(__name__)

__all__ = ["content_roots", "derive_article", "derive_with_decision", "extract_article", "next_page_urls"]


# ----------------------------------------------------------------------------------- one page


class _PageResult:
    """What one page contributes: its tree, metadata, body paragraphs and (page 1) dates and signals."""

    __slots__ = ("page", "text", "tree", "md", "title", "title_source", "title_el", "title_matched", "author",
                 "author_source",
                 "paragraphs", "body_source", "roots", "story_blocks", "embedded_pages", "published", "updated",
                 "shape", "media_items", "near_headline", "pager_pages")


def _refuse(page: Page, reason: str, sign: str) -> NotAnArticle:
    """NotAnArticle for a page refused on one sign before any evidence was gathered."""
    return NotAnArticle(page.url or None, reason, decision=validate.single_sign(reason, sign))


def _parse(page: Page, text: str | None = None) -> tuple[str, object]:
    data = text if text is not None else page.body
    if not data:
        raise _refuse(page, "empty", "empty")
    try:
        text, utf8 = decode_for_parsing(data, page.content_type)
    except ExtractionFailed as e:
        raise _refuse(page, e.reason, e.reason) from None
    if looks_like_feed(text):
        raise _refuse(page, "feed", "feed")
    try:
        tree = parse_html(text, utf8)
    except ExtractionFailed as e:
        raise _refuse(page, e.reason, e.reason) from None
    if tree.find(".//rss") is not None or tree.find(".//channel/item") is not None:
        raise _refuse(page, "feed", "feed")
    return text, tree


def _clean_body(roots: list, profile: Profile, title: str | None, lead: str | None = None,
                headlines: Sequence[str] = (), keep=frozenset()) -> tuple[list[str], int]:
    """(paragraphs, embedded page count) of the content roots; the roots are cleaned in place.
    ``lead`` is the page's description (a deck repeating it is dropped from the first root);
    ``headlines`` are the meta titles, a line repeating one of them is the headline shown;
    ``keep`` the blocks of the story's own paragraphs (see ContentResult.story_blocks)."""
    paragraphs: list[str] = []
    embedded = 0
    first: list = []  # the first root's blocks, when it gave one paragraph (a deck beside the story?)
    for i, root in enumerate(roots):
        embedded += clean.drop_elements(root, inside=True, extra_selectors=profile.drop_selectors, keep=keep,
                                        story_before=bool(paragraphs))
        blocks = clean.flatten(root)
        copies = clean.repeated_runs([b.text for b in blocks])  # the story printed twice in the root
        if copies:
            blocks = [b for i, b in enumerate(blocks) if i not in copies]
        kept = clean.clean_blocks(blocks, drop_lines=profile.drop_lines, title=title,
                                  lead=lead if i == 0 else None, root_sig=clean.block_sig(root), headlines=headlines)
        if i == 0 and len(kept) == 1 and len(blocks) == 1:
            first = blocks
        elif i == 1 and first and lead and blocks and not clean.CONTINUATION.match(blocks[0].text) and clean.is_deck(
                paragraphs[0], first[0].sig, [b.sig for b in blocks], lead):
            # the deck is a root of its own (a paragraph beside the story's container); a lead whose
            # sentence goes on in the story's block is the story's
            paragraphs.clear()
        paragraphs.extend(kept)
    # the cleaner runs per root; trailing initials/datelines may sit at a root boundary
    if len(roots) > 1:
        paragraphs = clean.clean_blocks([clean.Block(p) for p in paragraphs], drop_lines=profile.drop_lines,
                                        title=title)
    return paragraphs, embedded


def _select_text(tree, selector: str | None):
    if not selector:
        return None
    try:
        return next((e for e in tree.cssselect(selector) if metadata.norm_space(e.text_content())), None)
    except Exception:  # a bad selector in a profile must not break extraction
        return None


def _one_page(page: Page, profile: Profile, *, first: bool = False, more_pages: bool = False,
              text: str | None = None) -> _PageResult:
    """Extract one page. For the first page, dates and validation signals are read too, before the
    body is cleaned (cleaning edits the tree in place)."""
    r = _PageResult()
    r.page = page
    r.text, r.tree = _parse(page, text)
    url = page.url or None
    r.md = metadata.read_metadata(r.tree, url)
    el = _select_text(r.tree, profile.selectors.get("title"))
    headline = None
    if el is not None:
        r.title, r.title_source, r.title_el = metadata.norm_space(el.text_content()), "profile", el
        r.title_matched = True
    else:
        headline = metadata.find_headline(r.tree, r.md, url)
        if headline.markup_elsewhere:
            # the JSON-LD article is a featured story's, linked from here: its fields are not this page's
            r.md.jsonld, r.md.jsonld_elsewhere = {}, True
        r.title, r.title_source, r.title_el, r.title_matched = (headline.text, headline.source, headline.element,
                                                                headline.matched)
    r.author = r.author_source = None
    el = _select_text(r.tree, profile.selectors.get("author"))
    if el is not None:
        name = metadata.clean_author(re.sub(r"^\s*(?:oleh|by|penulis|pewarta|reporter)\s*:?\s*", "",
                                            el.text_content(), flags=re.I),
                                     site=metadata.site_name(r.md, url), host=urlsplit(url or "").hostname or "",
                                     labelled=True)
        if name:
            r.author, r.author_source = name, "profile"
    found = content.find_content(r.tree, profile.selectors.get("body"), headline=r.title_el,
                                 headlines=headline.ties if headline is not None else (),
                                 other_stories=metadata.other_story_headlines(headline)
                                 if headline is not None else ())
    r.roots, r.body_source, r.story_blocks = found.roots, found.source, found.story_blocks
    if headline is not None:
        # the heading nearest the story, among equally good matches (or an h1 right above it)
        near = metadata.nearest_headline(headline, r.roots, r.md, url)
        if near is not headline:
            r.title, r.title_source, r.title_el, r.title_matched = near.text, near.source, near.element, near.matched
    if r.author is None:
        heads = set(r.title_el.iterancestors()) if r.title_el is not None else set()
        body_start = next((root for root in r.roots if root not in heads), None)
        r.author, r.author_source = metadata.extract_author(r.tree, r.md, url, body_start=body_start,
                                                            region=_story_region(r.title_el, r.roots))
    r.published = r.updated = None
    if first:
        r.published, r.updated = _dates_for(r, profile)
        r.media_items = sum(len(root.findall(".//img")) + len(root.findall(".//figure")) for root in r.roots)
        r.near_headline = _near(r.title_el, r.roots)
        # the pager of page 1 tells how many pages the story has, even when a whole-story view is fetched
        r.pager_pages = (max(_paging(r.tree, page.url, profile)[2].values(), default=1)
                         if more_pages and page.url else 1)
    r.paragraphs, r.embedded_pages = _clean_body(r.roots, profile, r.title, metadata.extract_description(r.md)[0],
                                                 _meta_headlines(r.md, url), r.story_blocks)
    if first:
        # teaser lists inside the story's container were removed with the boilerplate: the
        # content area is read as it is left (its teasers, its runs of prose)
        r.shape = validate.content_shape(r.roots)
    return r


def content_roots(page: Page, profile: Profile | None = None) -> tuple[object, list]:
    """``(tree, roots)``: the parsed page and the element(s) its article text is taken from.

    For `warta add-site`, which records the body's container so that `warta check`
    notices a template change. The roots are cleaned in place, as page -> article does.

    :raises NotAnArticle: for empty, binary or feed pages.
    """
    if profile is None:
        profile = resolve_profile(page.site, page.url or None)
    result = _one_page(page, profile)
    return result.tree, result.roots


def _meta_headlines(md: metadata.Metadata, url: str | None) -> list[str]:
    """The headlines the page's metadata gives (JSON-LD, OpenGraph, ``<title>`` without the site):
    a body line repeating one is the headline as shown, whichever heading was taken as the title."""
    site = metadata.site_name(md, url)
    headline = md.jsonld.get("headline")
    raw = [headline if isinstance(headline, str) else "", md.first("og:title"), md.first("twitter:title"),
           md.title_tag]
    return [metadata.strip_site_suffix(t, site) for t in raw if t]


def _dates_for(first: _PageResult, profile: Profile):
    """(published pick, updated pick) from the dates module, or (None, None).

    The profile's zone is passed only when a profile names one: without a profile the
    page's own evidence decides (docs/dates.md).
    """
    page_dates = getattr(_dates, "page_dates", None)
    if page_dates is None:
        return None, None
    page = first.page
    root = first.roots[0] if first.roots else None
    if root is not None and root.getparent() is not None:
        root = root.getparent()
    try:
        return page_dates(first.tree, page.url or None, tz=profile.timezone, now=page.fetched_at,
                          article_root=root, headline=first.title_el,
                          profile_selector=profile.selectors.get("date"), metadata=first.md)
    except Exception:  # a date bug must cost the date, not the article
        logger.warning("date extraction failed for %s", page.url, exc_info=True)
        return None, None


def _story_region(headline, roots):
    """The element holding the headline and every body root (their nearest common ancestor), or None."""
    if headline is None or not roots:
        return None
    node = headline
    for other in roots:
        ancestors = {other, *other.iterancestors()}
        while node is not None and node not in ancestors:
            node = node.getparent()
        if node is None:
            return None
    return None if node.tag == "html" else node


def _near(headline, roots, levels: int = 3) -> bool:
    """True when a content root and the headline share an ancestor within ``levels`` levels of the root."""
    if headline is None or not roots:
        return False
    heads = set(headline.iterancestors())
    for root in roots:
        if root in heads:
            return True
        node = root
        for _ in range(levels):
            node = node.getparent()
            if node is None:
                break
            if node in heads:
                return True
    return False


def _html_paragraphs(fragment: str, profile: Profile, title: str | None) -> list[str]:
    """Paragraphs of an HTML fragment carried as data (JSON-LD ``articleBody``, a script's state),
    cleaned like the visible text."""
    try:
        root = parse_html(f"<div>{fragment}</div>").find(".//body/div")
    except ExtractionFailed:
        return []
    if root is None:
        return []
    clean.drop_elements(root, inside=True, extra_selectors=profile.drop_selectors)
    return clean.clean_blocks(clean.flatten(root), drop_lines=profile.drop_lines, title=title)


def _jsonld_body(md: metadata.Metadata, profile: Profile, title: str | None) -> list[str]:
    """Paragraphs of the JSON-LD ``articleBody`` (plain text or HTML), cleaned like visible text."""
    raw = md.jsonld.get("articleBody")
    if not isinstance(raw, str) or not raw.strip():
        return []
    if "<" in raw and ">" in raw:
        return _html_paragraphs(raw, profile, title)
    blocks = [clean.Block(metadata.norm_space(p)) for p in re.split(r"\n\s*\n|\r?\n", raw) if p.strip()]
    return clean.clean_blocks(blocks, drop_lines=profile.drop_lines, title=title)


def _longer_body(first: _PageResult, profile: Profile, paragraphs: list[str]) -> list[str] | None:
    """The story's text from the page's data when the visible page holds much less of it: a page
    whose text is drawn by JavaScript still carries it in JSON-LD ``articleBody`` or in the
    state a script hands to the browser (Next.js, Nuxt, React Query)."""
    shown = sum(map(len, paragraphs))
    raw = first.md.jsonld.get("articleBody")
    # cleaning never lengthens a text (markup, entities and boilerplate only go): an articleBody
    # no longer than the bar cannot pass it, and is not cleaned for nothing
    could_pass = isinstance(raw, str) and len(raw) > 2 * shown + validate.MIN_BODY_CHARS
    ld = _jsonld_body(first.md, profile, first.title) if could_pass else []
    if ld and sum(map(len, ld)) > 2 * shown + validate.MIN_BODY_CHARS:
        first.body_source = "jsonld"
        return ld
    if shown >= validate.MIN_BODY_CHARS:
        return None
    fragment = content.script_html_body(first.text)
    if fragment:
        found = _html_paragraphs(fragment, profile, first.title)
        if sum(map(len, found)) > 2 * shown + validate.MIN_BODY_CHARS:
            first.body_source = "script"
            return found
    return None


def _merge_paragraphs(parts: list[list[str]]) -> list[str]:
    """Paragraphs of pages 1..n in order; a paragraph repeated on a later page (a recap lead) is kept once."""
    if len(parts) == 1:
        return list(parts[0])  # one page: nothing to repeat
    seen: set[str] = set()
    out: list[str] = []
    for i, paras in enumerate(parts):
        for p in paras:
            key = re.sub(r"\W+", " ", p).strip().lower()
            if i > 0 and key in seen:
                continue
            seen.add(key)
            out.append(p)
    return out


def _decide(first: _PageResult, profile: Profile, body: str, paragraphs: list[str]) -> validate.Decision:
    """The article decision for page 1 of a candidate (see :func:`pipelines.validate.decide`)."""
    page = first.page
    url = page.url or None
    has_article, has_listing = validate.article_markup(first.md)
    tree = first.tree
    signals = validate.PageSignals(
        url=url,
        body_chars=len(body),
        body_paragraphs=len(paragraphs),
        title=first.title,
        title_matched=first.title_matched,
        has_article_markup=has_article,
        has_listing_markup=has_listing,
        has_date=first.published is not None and getattr(first.published, "value", None) is not None,
        has_author=first.author is not None,
        near_headline=first.near_headline if first.title_el is not None else None,
        media_items=first.media_items,
        teasers=first.shape.teasers,
        prose_blocks=first.shape.prose_blocks,
        longest_run_chars=first.shape.longest_run_chars,
        teaser_chars=first.shape.teaser_chars,
        excerpt_paragraphs=sum(1 for p in paragraphs if validate.is_excerpt(p)),
        headline_links=lambda: validate.headline_link_count(tree),
        via=page.via,
        profile_article_url=bool(url and profile.article_urls and profile.is_article_url(url)),
    )
    return validate.decide(signals)


def derive_article(pages: Page | Sequence[Page], profile: Profile | None = None) -> Article:
    """Turn the page(s) of one story into an :class:`Article` (a pure function of pages and profile).

    ``pages[0]`` is the article's first page; pages 2..n (from next-page links)
    are merged in order. Pages 2..n embedded in page 1 as hidden blocks are
    included from page 1 itself.

    :param pages: one :class:`Page` or the pages of a multi-page article
    :param profile: the site profile; None resolves it from ``page.site`` or the URL
    :raises NotAnArticle: for index/home/tag/search/archive pages, site pages (masthead,
        guidelines), gallery-only pages, feeds, and empty or binary input, with a reason code
        (``index-page``, ``static-page``, ``gallery-only``, ``no-body``, ``feed``, ``binary``,
        ``empty``). Nothing else is raised for bad input: broken markup, lying or missing
        charsets, 10 MB pages and binary bytes give an article or ``NotAnArticle``.

    Example usage::

        article = derive_article(Page(url=url, body=html_bytes, fetched_at=fetched_at))
    """
    return _derive(pages, profile)[0]


def derive_with_decision(pages: Page | Sequence[Page],
                         profile: Profile | None = None) -> tuple[Article, validate.Decision]:
    """:func:`derive_article`, and the :class:`~pipelines.validate.Decision` that kept the page.

    :raises NotAnArticle: as :func:`derive_article`; its ``decision`` holds the evidence.
    """
    return _derive(pages, profile)


def _derive(pages: Page | Sequence[Page], profile: Profile | None = None,
            first_text: str | None = None) -> tuple[Article, validate.Decision]:
    """The body of :func:`derive_article`; ``first_text`` is page 1 already decoded (saves a round trip)."""
    if isinstance(pages, Page):
        pages = [pages]
    pages = list(pages)
    if not pages:
        raise NotAnArticle(None, "empty", decision=validate.single_sign("empty", "empty"))
    first_page = pages[0]
    if profile is None:
        profile = resolve_profile(first_page.site, first_page.url or None)
    first = _one_page(first_page, profile, first=True, more_pages=len(pages) > 1, text=first_text)
    rest: list[_PageResult] = []
    for p in pages[1:]:
        try:
            rest.append(_one_page(p, profile))
        except NotAnArticle:
            continue  # a broken later page costs its text, not the article
    paragraphs = clean.without_repeated_runs(_merge_paragraphs([first.paragraphs] + [r.paragraphs for r in rest]))
    # a byline printed as a line of the body (a reporter's name in capitals at the end, Tempo-style):
    # the writer named on the page, and no part of the story
    byline, line = metadata.body_byline(paragraphs, first.roots)
    if line is not None:
        del paragraphs[line]
        if byline and first.author_source not in ("profile", "visible"):
            first.author, first.author_source = byline, "visible"
    # a note about the writer closing the story (a biography, a contact line) is no part of it
    for line in reversed(metadata.writer_notes(paragraphs, first.author,
                                               metadata.site_name(first.md, first_page.url or None))):
        del paragraphs[line]
    paragraphs = _longer_body(first, profile, paragraphs) or paragraphs
    body = "\n\n".join(paragraphs)
    url = first_page.url or None

    md = first.md
    decision = _decide(first, profile, body, paragraphs)
    if not decision.is_article:
        raise NotAnArticle(url, decision.reason, decision.summary(), decision=decision)

    provenance: dict[str, str] = {}

    def note(field: str, source: str | None) -> None:
        if source:
            provenance[field] = source

    title, title_source = first.title, first.title_source
    if title_source == "visible":
        declared = metadata.declared_headline(md, url, title)
        if declared:
            title, title_source = declared, "declared"
    note("title", title_source)
    note("author", first.author_source)
    # a text-less story (a photo or video story) is an article with an empty body, marked as such
    note("body", first.body_source if body else "none")
    description, src = metadata.extract_description(md)
    note("description", src)
    image, src = metadata.extract_image(md, url)
    note("image", src)
    section, src = metadata.extract_section(md)
    note("section", src)
    tags, src = metadata.extract_tags(md)
    note("tags", src)
    language, src = metadata.extract_language(md, profile.language if profile.slug != "generic" else None)
    guessed = metadata.guess_language(body)
    if guessed and guessed != language:
        language, src = guessed, "generic"  # the text itself outweighs a template's lang attribute
    note("language", src)
    og_url = md.first("og:url")
    canonical = dedupe.canonical_url(url, md.canonical, og_url, profile.domains)
    note("canonical_url", "meta" if canonical and (md.canonical or og_url) and canonical != (
        dedupe.normalize_url(url) if url else None) else "url")

    def pick_fields(pick):
        if pick is None or getattr(pick, "value", None) is None:
            return None, None, None, None
        return pick.value, getattr(pick, "raw", None), getattr(pick, "source", None), getattr(pick, "zone", None)

    pub, pub_raw, pub_src, pub_zone = pick_fields(first.published)
    upd, upd_raw, upd_src, upd_zone = pick_fields(first.updated)
    note("published", pub_src)
    note("updated", upd_src)
    page_count = max(len(rest) + 1, first.embedded_pages + 1, first.pager_pages)
    article = Article(
        url=url or "",
        canonical_url=canonical or "",
        site=profile.slug if profile.slug != "generic" else None,
        title=title,
        body=body,
        author=first.author,
        published=pub,
        published_raw=pub_raw,
        published_source=pub_src,
        published_offset_source=pub_zone,
        updated=upd,
        updated_raw=upd_raw,
        updated_source=upd_src,
        updated_offset_source=upd_zone,
        section=section,
        tags=tags,
        image=image,
        language=language,
        description=description,
        page_count=page_count,
        provenance=provenance,
        extractor_version=EXTRACTOR_VERSION,
    )
    return article, decision


def extract_article(html: bytes | str, url: str | None, *, fetched_at: datetime | None = None,
                    site: str | None = None) -> Article | None:
    """Extract the article of one page, or None when the page is not an article.

    :param html: the page as fetched (bytes, any charset) or decoded text
    :param url: the page's URL (None for pages of unknown origin)
    :param fetched_at: when the page was fetched (anchors "2 jam lalu"); default now
    :param site: a profile slug; default: the profile owning ``url``, else generic
    :raises ProfileNotFound: when ``site`` names no profile

    >>> html = ('<html><head><title>Banjir Rendam 300 Rumah di Lebak | Kabar Lebak</title></head><body>'
    ...   '<h1>Banjir Rendam 300 Rumah di Lebak</h1><div class="byline">Penulis: Ujang Suryana</div>'
    ...   '<div class="entry-content"><p><b>LEBAK</b> - Banjir merendam 300 rumah di Rangkasbitung, Kamis '
    ...   '(28/11/2019), setelah hujan deras sejak sore.</p><p>Baca juga: Jembatan Putus di Cibadak</p>'
    ...   '<p>"Air mulai naik pukul 17.00," kata Kepala BPBD Lebak, Kaprawi, kepada wartawan di lokasi, '
    ...   'sambil menunjuk rumah-rumah yang terendam. (do)</p></div></body></html>')
    >>> a = extract_article(html, "https://kabarlebak.example/2019/11/28/banjir/")
    >>> a.title, a.author
    ('Banjir Rendam 300 Rumah di Lebak', 'Ujang Suryana')
    >>> print(a.body)
    LEBAK - Banjir merendam 300 rumah di Rangkasbitung, Kamis (28/11/2019), setelah hujan deras sejak sore.
    <BLANKLINE>
    "Air mulai naik pukul 17.00," kata Kepala BPBD Lebak, Kaprawi, kepada wartawan di lokasi, sambil menunjuk rumah-rumah yang terendam.
    """
    # text input is parsed as given: its bytes would only be encoded to be decoded again
    data = b"" if isinstance(html, str) else (html or b"")
    page = Page(url=url or "", body=data, fetched_at=fetched_at or datetime.now(UTC), site=site)
    try:
        return _derive(page, None, html if isinstance(html, str) else None)[0]
    except NotAnArticle as e:
        logger.debug("%s", e)
        return None


# ----------------------------------------------------------------------------------- multi-page

#: Link texts of a "whole article on one page" view.
SINGLE_PAGE_TEXT = re.compile(r"^\s*(?:lihat|tampilkan|baca)\s+(?:semua|semuanya|seluruhnya|selengkapnya\s+di\s+"
                              r"satu\s+halaman)|^\s*(?:single\s*page|satu\s+halaman|show\s+all|view\s+all|"
                              r"halaman\s+penuh|all\s+pages?)\s*$", re.I)
SINGLE_PAGE_HREF = re.compile(r"[?&](?:page|halaman|hal|showpage|view)=(?:all|semua|full|single)\b|[?&]single=1\b",
                              re.I)
#: Link texts of "next page" within the article.
NEXT_TEXT = re.compile(r"^\s*(?:halaman\s+)?(?:selanjutnya|berikutnya|next(?:\s+page)?|lanjut|»|›|>|>>)\s*[»›>]*\s*$",
                       re.I)
_PAGE_NUM = re.compile(r"(?:[?&](?:page|halaman|hal|pg|paged|p)=(\d+))|(?:/(\d{1,2})/?$)|(?:-(\d{1,2})(?:\.html?)?$)",
                       re.I)


def _article_key(url: str) -> tuple[str, str]:
    """(host, path stem) of a URL with paging removed, to tell pages of one article from other articles."""
    parts = urlsplit(url)
    path = re.sub(r"(?:/\d{1,2}/?|/all/?|/page/\d+/?)$", "", parts.path.rstrip("/") or "/")
    path = re.sub(r"\.html?$", "", path)
    path = re.sub(r"-\d{1,2}$", "", path) if re.search(r"-\d{1,2}$", path) and "/" in path else path
    return (parts.hostname or "").lower(), path.rstrip("/")


def _page_number(url: str) -> int | None:
    m = _PAGE_NUM.search(url)
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def _paging(tree, url: str, profile: Profile) -> tuple[bool, str | None, dict[str, int]]:
    """What page 1 says about the article's other pages.

    :returns: ``(embedded, single_view, numbered)``: pages 2..n are hidden blocks in this page;
        the URL of a whole-story view; same-article page URLs with their page numbers.
    """
    for el in tree.iter("div", "section", "article"):
        if clean.is_hidden(el) and clean.is_paging_block(el) and len(metadata.norm_space(el.text_content())) > 100:
            return True, None, {}
    key = _article_key(url)
    here = url.split("#")[0]

    def same_article(u: str) -> bool:
        return _article_key(u) == key and u != here and (
            dedupe.normalize_url(u) != dedupe.normalize_url(url) or u.split("?")[0] == here.split("?")[0])

    sel = profile.selectors.get("next_page")
    if sel:
        try:
            anchors = list(tree.cssselect(sel))
        except Exception:  # a bad selector in a profile must not break extraction
            anchors = []
        anchors = [a if a.tag == "a" else (a.find(".//a") if a.find(".//a") is not None else a) for a in anchors]
    else:
        anchors = list(tree.iter("a"))
    single_view = None
    found: dict[str, int] = {}
    for link in tree.iter("link"):
        if "next" in (link.get("rel") or "").lower().split() and link.get("href"):
            a_url = urljoin(url, link.get("href").strip()).split("#")[0]
            if same_article(a_url):
                found.setdefault(a_url, _page_number(a_url) or 2)
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        # Cheap tests first: only a page number, a next or a whole-story link can be a
        # pager link, and resolving every link of a portal costs milliseconds.
        text = metadata.norm_space(a.text_content())
        is_single = SINGLE_PAGE_TEXT.match(text) or SINGLE_PAGE_HREF.search(href)
        is_next = NEXT_TEXT.match(text) or "next" in (a.get("rel") or "").lower()
        if not (is_single or is_next or text.isdigit()):
            continue
        absolute = urljoin(url, href).split("#")[0]
        if not same_article(absolute):
            continue
        if single_view is None and is_single:
            single_view = absolute
            continue
        num = _page_number(absolute)
        if text.isdigit() and num == int(text) and num >= 2:
            found.setdefault(absolute, num)
        elif is_next:
            found.setdefault(absolute, num or 2)
    return False, single_view, found


def next_page_urls(html: bytes | str, url: str, profile: Profile | None = None) -> list[str]:
    """URLs of pages 2..n of a multi-page article, for the spider.

    A "single page / lihat semua" view wins (one URL). Links must lead to the same
    article (same host and path stem); embedded hidden pages need no fetching.

    >>> html = ('<div class="entry-content"><p>Halaman pertama.</p></div><div class="pagination">'
    ...         '<a href="?page=2">2</a><a href="?page=3">3</a><a href="?page=2">Selanjutnya</a>'
    ...         '<a href="/berita/lain">Berita lain</a></div>')
    >>> next_page_urls(html, "https://kabar.example/read/1/banjir")
    ['https://kabar.example/read/1/banjir?page=2', 'https://kabar.example/read/1/banjir?page=3']

    A single-page view is the whole story, even when it keeps the pager:

    >>> next_page_urls(html, "https://kabar.example/read/1/banjir?page=all")
    []
    """
    if SINGLE_PAGE_HREF.search(url or ""):
        return []
    try:
        text = decode_page(html)
        if looks_like_feed(text):
            return []
        tree = parse_html(text)
    except ExtractionFailed:
        return []
    if profile is None:
        profile = resolve_profile(None, url)
    embedded, single_view, found = _paging(tree, url, profile)
    if embedded:
        return []
    if single_view:
        return [single_view]
    current = _page_number(url) or 1
    out: list[str] = []
    seen_nums: set[int] = set()
    for n, u in sorted(((n, u) for u, n in found.items() if n > current), key=lambda x: x[0]):
        if n not in seen_nums:
            seen_nums.add(n)
            out.append(u)
    return out
