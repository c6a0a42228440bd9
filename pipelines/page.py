"""The Page record: fetched bytes with their fetch metadata, and how to decode them."""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

# A page larger than this is cut before parsing: real articles are < 1 MB of HTML,
# and lxml on 10+ MB of markup costs hundreds of ms for no text worth having.
MAX_PARSE_BYTES = 4 * 1024 * 1024

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
# Bytes that never occur in text: NUL and most C0 controls.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


@dataclass
class Page:
    """One fetched page: raw bytes plus what the fetch said about them.

    ``url`` is the page's public URL (the one requested), ``final_url`` the URL
    after redirects, ``fetched_at`` an aware UTC datetime. Relative dates on the
    page ("2 jam yang lalu") are anchored at ``fetched_at``, so re-deriving the
    article from a stored page gives the same answer.

    ``via`` is what the crawl knew about the page when it asked for it: ``sitemap``
    or ``feed`` (an entry of one), ``index`` (a link on an index page), ``link``
    (a link elsewhere), ``next-page`` (page 2..n of a story), or None (unknown).
    A sitemap or feed entry is an article unless the page itself says otherwise
    (see :func:`pipelines.validate.decide`).
    """

    url: str
    body: bytes
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    final_url: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    site: str | None = None
    via: str | None = None

    @property
    def content_type(self) -> str:
        for key, value in self.headers.items():
            if key.lower() == "content-type":
                return value
        return ""

    def text(self) -> str:
        """The body decoded to text (see :func:`decode_html`)."""
        return decode_html(self.body, self.content_type)


def looks_binary(data: bytes) -> bool:
    """True when the first 4 KB hold bytes that never occur in HTML text.

    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(range(256)) * 4)
    True
    >>> looks_binary("<p>Kamis (28/11/2019)</p>".encode())
    False
    """
    head = data[:4096]
    if not head:
        return False
    return len(_BINARY_BYTES.findall(head)) > max(4, len(head) // 200)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def decode_html(data: bytes | str, content_type: str = "") -> str:
    """Decode page bytes: BOM, then strict UTF-8, then the declared charset, then cp1252.

    UTF-8 is tried before any declaration because Indonesian sites often declare
    iso-8859-1 while sending UTF-8; a strict UTF-8 decode of real Latin-1 or
    cp1252 text almost always fails, so the order is safe.

    :param data: raw bytes (or text, returned as is)
    :param content_type: the HTTP Content-Type header, if known

    >>> decode_html("Jum’at".encode("utf-8"), "text/html; charset=iso-8859-1")
    'Jum’at'
    >>> decode_html("Jum’at".encode("cp1252"), "text/html; charset=windows-1252")
    'Jum’at'
    """
    if isinstance(data, str):
        return data
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = None
    m = _HEADER_CHARSET.search(content_type or "")
    if m:
        declared = _codec(m.group(1))
    if not declared:
        m = _META_CHARSET.search(data[:8192])
        if m:
            declared = _codec(m.group(1).decode("ascii", "ignore"))
    # Browsers read latin-1 declarations as windows-1252 (WHATWG); so do we.
    if declared in (None, "latin-1", "iso8859-1", "ascii"):
        declared = "cp1252"
    if declared == "utf-8":
        return data.decode("utf-8", errors="replace")
    return data.decode(declared, errors="replace")


#: zlib level for stored pages. Measured on the id-news-dev pages: level 6 keeps
#: 18.3 % of the bytes at ~1.6 ms per 100 KB page, level 9 18.1 % at ~2.8 ms.
COMPRESS_LEVEL = 6

# Bodies compressed ahead of time by `precompressed`: id(body) -> (body, compressed).
_PRECOMPRESSED: dict[int, tuple[bytes, bytes]] = {}


def compress_body(data: bytes) -> bytes:
    """Compress raw page bytes for the archive (zlib, level 6).

    >>> decompress_body(compress_body(b"<p>Berita Terbaru</p>"))
    b'<p>Berita Terbaru</p>'
    """
    hit = _PRECOMPRESSED.get(id(data))
    if hit is not None and hit[0] is data:
        return hit[1]
    return zlib.compress(data, COMPRESS_LEVEL)


@contextmanager
def precompressed(bodies: Iterable[bytes]) -> Iterator[None]:
    """Compress ``bodies`` now; inside the block :func:`compress_body` returns those results at no cost.

    A writer uses it to compress a batch of pages before it takes the archive's
    write lock, so that the lock is held for SQL only.

    >>> body = b"<p>Rangkasbitung, Kamis (28/11/2019)</p>" * 50
    >>> with precompressed([body]):
    ...     decompress_body(compress_body(body)) == body
    True
    """
    added = []
    for body in bodies:
        if id(body) not in _PRECOMPRESSED:
            _PRECOMPRESSED[id(body)] = (body, zlib.compress(body, COMPRESS_LEVEL))
            added.append(id(body))
    try:
        yield
    finally:
        for key in added:
            _PRECOMPRESSED.pop(key, None)


def decompress_body(data: bytes) -> bytes:
    """Inverse of :func:`compress_body`."""
    return zlib.decompress(data)
