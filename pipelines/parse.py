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
# in the text can never contradict the real encoding.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, default_doctype=False,
                           collect_ids=False)


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
    if root is None:
        raise ExtractionFailed(None, "empty")
    return root


def parse_page(data: bytes | str, content_type: str = "") -> tuple[str, lxml.html.HtmlElement]:
    """Decode and parse in one call: ``(text, tree)``.

    :raises ExtractionFailed: ``binary`` or ``empty``.
    """
    text, raw = decode_for_parsing(data, content_type)
    return text, parse_html(text, raw)
