"""Decode page bytes and parse them once with lxml, whatever the markup, charset or size."""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from .errors import ExtractionFailed
from .page import MAX_PARSE_BYTES, decode_html, looks_binary

# One parser for every page: comments and processing instructions are dropped at
# parse time (ad-slot comments such as "<!--DFP EXPOSER 1 CODE-->" never reach the
# text), and the input is always UTF-8 bytes, so an XML encoding declaration left
# in the text can never contradict the real encoding. ``huge_tree`` lets the tree be 2048
# elements deep instead of 256: a template that leaves one <div> open per teaser nests everything
# after a long list that deep, and libxml2 stops parsing at its limit (see _flattened_markup).
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, default_doctype=False,
                           collect_ids=False, huge_tree=True)


class PageElement(lxml.html.HtmlElement):
    """An lxml.html element whose ``text_content()`` skips XPath.

    lxml.html reads an element's text with the XPath ``string()``, which sets up an XPath context
    on every call (1-2 µs; the stages call it ~250 times a page). The text serializer walks the
    same text nodes with the same libxml2 function (``xmlNodeGetContent``), and an element without
    children is its ``.text``: the same string, two to ten times faster.
    """

    __slots__ = ()

    def text_content(self) -> str:
        """The text of the element and its descendants (not its tail), as lxml.html gives it."""
        if not len(self):  # only text below (comments and PIs are dropped at parse time)
            return self.text or ""
        return _tostring(self, method="text", encoding=str, with_tail=False)


_tostring = etree.tostring
# Every element is a PageElement (an lxml.html HtmlElement: text_content, cssselect), chosen by a
# C-level default lookup instead of lxml.html's per-element Python lookup (~1 ms on a news page).
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(element=PageElement,
                                                                 comment=lxml.html.HtmlComment))

# NUL is the one control character lxml does not keep (it turns it into U+FFFD); the others
# survive parsing and are removed from the extracted text (see metadata.norm_space).

# A feed announces itself in its first element: <rss>, <feed> (Atom) or <rdf:RDF>.
_FEED_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<\?xml-stylesheet[^>]*>\s*|<!--.*?-->\s*)*"
                         r"<(?:rss|feed|rdf:RDF)\b", re.I | re.S)


def decode_page(data: bytes | str, content_type: str = "") -> str:
    """Page bytes (or text) -> text, cut at :data:`MAX_PARSE_BYTES`, NUL characters removed.

    :raises ExtractionFailed: ``binary`` for bytes that are not text.

    >>> decode_page("Kamis, 28/11/2019 10:08 WIB".encode("cp1252"))
    'Kamis, 28/11/2019 10:08 WIB'
    """
    text = _decoded(data, content_type)
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


def decode_for_parsing(data: bytes | str, content_type: str = "") -> tuple[str, bytes]:
    """:func:`decode_page`, and the text's UTF-8 bytes for :func:`parse_html` (one encoding pass).

    NUL is looked for in the bytes: a byte search, where a search of a text holding any
    non-ASCII character walks it character by character (a tenth of a millisecond a page).

    >>> decode_for_parsing("Kamis\\x00, 28/11/2019")
    ('Kamis, 28/11/2019', b'Kamis, 28/11/2019')
    """
    text = _decoded(data, content_type)
    raw = text.encode("utf-8", "replace")
    if b"\x00" in raw:  # UTF-8 writes NUL, and only NUL, as a zero byte
        text, raw = text.replace("\x00", ""), raw.replace(b"\x00", b"")
    return text, raw


def _decoded(data: bytes | str, content_type: str) -> str:
    if isinstance(data, bytes):
        # UTF-16 text is full of NUL bytes: its byte order mark tells it from binary data
        if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and looks_binary(data):
            raise ExtractionFailed(None, "binary")
        text = decode_html(data, content_type)
    else:
        text = data
    if len(text) > MAX_PARSE_BYTES:
        text = text[:MAX_PARSE_BYTES]
    return text


def looks_like_feed(text: str) -> bool:
    """True when the text is an RSS, Atom or RDF feed rather than an HTML page.

    >>> looks_like_feed('<?xml version="1.0" encoding="iso-8859-1"?>\\n<rss version="2.0"><channel>')
    True
    >>> looks_like_feed("<!DOCTYPE html><html><body><p>Berita Terbaru</p>")
    False
    """
    return bool(_FEED_START.match(text[:2048]))


def parse_html(text: str, utf8: bytes | None = None) -> lxml.html.HtmlElement:
    """Parse decoded page text into an lxml tree (the ``<html>`` element).

    ``utf8``: the text's UTF-8 bytes when the caller has them already (:func:`decode_for_parsing`).

    :raises ExtractionFailed: ``empty`` when there is no markup or text at all.

    >>> parse_html("<p>Rangkasbitung, Kamis (28/11/2019)</p>").findtext(".//p")
    'Rangkasbitung, Kamis (28/11/2019)'
    """
    if not text or not text.strip():
        raise ExtractionFailed(None, "empty")
    try:
        root = etree.fromstring(utf8 if utf8 is not None else text.encode("utf-8", "replace"), _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError) as e:
        raise ExtractionFailed(None, "empty") from e
    if root is not None and _too_deep(_PARSER.error_log):
        # libxml2 stopped at its depth limit: the rest of the page would be lost
        root = etree.fromstring(_flattened_markup(text).encode("utf-8", "replace"), _PARSER)
    if root is None:
        raise ExtractionFailed(None, "empty")
    return root


def parse_page(data: bytes | str, content_type: str = "") -> tuple[str, lxml.html.HtmlElement]:
    """Decode and parse in one call: ``(text, tree)``.

    :raises ExtractionFailed: ``binary`` or ``empty``.
    """
    text, raw = decode_for_parsing(data, content_type)
    return text, parse_html(text, raw)


def _too_deep(error_log) -> bool:
    return any(error.type_name == "ERR_RESOURCE_LIMIT" for error in error_log) if error_log else False


#: How deep :func:`_flattened_markup` lets elements nest: Chromium's HTML tree builder limit
#: (kMaximumHTMLParserDOMTreeDepth), below libxml2's 2048.
MAX_NESTING = 512
_VOID_TAGS = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
_SELF_CLOSING = frozenset("p li dt dd option tr td th".split())  # a second one closes the first
_KEPT_OPEN = _SELF_CLOSING | {"html", "head", "body"}  # never removed as left open
# Possessive runs that stop at "<" (a quoted value may hold one within 200 characters): each try
# ends at the next tag, so a hostile page of "<a<a<a" or of unbalanced quotes costs one pass.
_MARKUP_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|textarea)\b[^<>]*+>.*?(?:</\1\s*>|\Z)"
                           r"""|<(/?)([A-Za-z][^\s/<>"']*+)(?:[^<>"']++|"(?:[^"<]*+"|[^"]{0,200}+")"""
                           r"""|'(?:[^'<]*+'|[^']{0,200}+'))*+>""", re.I | re.S)


def _flattened_markup(text: str, limit: int = MAX_NESTING) -> str:
    """The markup of a page nested too deep for libxml2, made shallow without losing text.

    Deep nesting comes from elements that are opened and never closed (a teaser template missing
    its ``</div>``): their start tags are removed, so what they held follows as siblings. Any
    element still deeper than ``limit`` loses its start and end tags, as in a browser, which
    attaches what lies deeper than its limit to the element at the limit. Nesting is read from
    the tags alone: an end tag closes the nearest open element of its name and all opened inside it.

    >>> _flattened_markup("<div><div class=a><p>a</p><div class=b>b</div>")
    '<p>a</p><div class=b>b</div>'
    >>> _flattened_markup("<div><div><p>a</p></div><div>b</div></div>", limit=1)
    '<div>ab</div>'
    """
    tags = []  # (match, name, is an end tag) of the start and end tags that open or close elements
    for match in _MARKUP_TOKEN.finditer(text):
        name = match.group(3)
        if name is not None and (name := name.lower()) not in _VOID_TAGS:
            tags.append((match, name, bool(match.group(2))))
    never_closed = {tags[i][0].start() for i in _left_open(tags)
                    if tags[i][1] not in _KEPT_OPEN}
    out: list[str] = []
    open_tags: list[tuple[str, bool]] = []  # (name, kept) of every open element, outermost first
    open_count: dict[str, int] = {}
    kept = last = 0
    for match, name, is_end in tags:
        if is_end:
            if not open_count.get(name):
                continue  # a stray end tag, left for the parser to ignore
            while True:
                closed, was_kept = open_tags.pop()
                open_count[closed] -= 1
                kept -= was_kept
                if closed == name:
                    break
            if was_kept:
                continue
        elif match.start() not in never_closed:
            if name in _SELF_CLOSING and open_tags and open_tags[-1][0] == name:
                kept -= open_tags.pop()[1]
                open_count[name] -= 1
            open_count[name] = open_count.get(name, 0) + 1
            open_tags.append((name, kept < limit))
            if kept < limit:
                kept += 1
                continue
        out.append(text[last:match.start()])
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _left_open(tags: list) -> list[int]:
    """Indexes in ``tags`` of the start tags whose elements no end tag of their own closes (an outer
    element's end tag or the end of the page does), leaving aside those HTML lets stay open."""
    open_tags: list[int] = []
    open_count: dict[str, int] = {}
    left_open = []
    for i, (_, name, is_end) in enumerate(tags):
        if is_end:
            if open_count.get(name):
                while True:
                    index = open_tags.pop()
                    closed = tags[index][1]
                    open_count[closed] -= 1
                    if closed == name:
                        break
                    left_open.append(index)
        else:
            if name in _SELF_CLOSING and open_tags and tags[open_tags[-1]][1] == name:
                open_tags.pop()
                open_count[name] -= 1
            open_count[name] = open_count.get(name, 0) + 1
            open_tags.append(i)
    return left_open + open_tags
