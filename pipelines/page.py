"""The Page record: fetched bytes with their fetch metadata, and how to decode them."""

from __future__ import annotations

import codecs
import re
import threading
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
    """Decode page bytes: BOM, then strict UTF-8, then the declared charset, then the bytes themselves.

    UTF-8 is tried before any declaration because Indonesian sites often declare
    iso-8859-1 while sending UTF-8; a strict UTF-8 decode of real Latin-1 or
    cp1252 text almost always fails, so the order is safe, and it is the fast
    path every UTF-8 page takes. A legacy charset declared in the header or a
    ``<meta>`` comes next. When neither settles it (declared UTF-8 or nothing,
    yet not UTF-8), :func:`guess_encoding` reads the bytes.

    :param data: raw bytes (or text, returned as is)
    :param content_type: the HTTP Content-Type header, if known

    >>> decode_html("Jum’at".encode("utf-8"), "text/html; charset=iso-8859-1")
    'Jum’at'
    >>> decode_html("Jum’at".encode("cp1252"), "text/html; charset=windows-1252")
    'Jum’at'
    >>> decode_html("<p>Kafé “Kopi” Jum’at</p>".encode("cp1252"), "text/html; charset=utf-8")
    '<p>Kafé “Kopi” Jum’at</p>'
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
    if declared in ("latin-1", "iso8859-1", "ascii"):
        declared = "cp1252"
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            return data.decode(declared, errors="replace")
    return _decode_unknown(data)


def _decode_unknown(data: bytes) -> str:
    """Bytes that are not UTF-8 and declare nothing else that works: mend them, or guess."""
    if _UTF8_MULTIBYTE.search(data):
        # Mostly UTF-8, with windows-1252 bytes pasted in (a quote mark copied from a word processor)?
        _STRAY.count = 0
        text = data.decode("utf-8", errors="warta-stray-cp1252")
        if _STRAY.count <= len(_UTF8_MULTIBYTE.findall(data)):
            return text
    return data.decode(guess_encoding(data), errors="replace")


_STRAY = threading.local()


def _stray_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 is read as windows-1252 (as WHATWG does, C1 kept)."""
    bad = error.object[error.start:error.end]
    _STRAY.count = getattr(_STRAY, "count", 0) + len(bad)
    return "".join(_WINDOWS_1252[b] for b in bad), error.end


_WINDOWS_1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
codecs.register_error("warta-stray-cp1252", _stray_cp1252)


#: A well-formed UTF-8 sequence of two bytes or more.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HTML_LANG = re.compile(rb"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3})""", re.I)
#: The legacy single-byte encoding of a language's pages (WHATWG's default by locale).
_LEGACY_BY_LANGUAGE = {
    **dict.fromkeys(("pl", "cs", "sk", "hu", "hr", "sl", "ro", "bs", "sq"), "cp1250"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk"), "cp1251"),
    "el": "cp1253", "tr": "cp1254", "az": "cp1254", "he": "cp1255", "ar": "cp1256", "fa": "cp1256",
    **dict.fromkeys(("lt", "lv", "et"), "cp1257"), "vi": "cp1258", "th": "cp874",
}
#: Guesses of a detector that only say "a Latin-script single-byte page": for a page
#: that names no other language, windows-1252 (WHATWG's default, and that of
#: Indonesian sites) is read instead; the guess among these is unreliable on text
#: that is mostly ASCII with a few accents and quotes.
_LATIN_GUESSES = frozenset({
    "windows-1250", "windows-1252", "windows-1254", "windows-1257", "iso-8859-1", "iso-8859-2", "iso-8859-9",
    "iso-8859-15", "iso-8859-13", "latin-1", "ascii", "mac-roman", "mac_roman", "cp1250", "cp1252",
})


#: Detector guesses of Mac and DOS code pages, which web pages hardly use: the web's
#: code page of the same script is read instead.
_WEB_EQUIVALENT = {"mac-cyrillic": "cp1251", "maccyrillic": "cp1251", "ibm866": "cp1251", "cp866": "cp1251",
                   "mac-greek": "cp1253", "macgreek": "cp1253", "mac-turkish": "cp1254", "macturkish": "cp1254",
                   "mac-roman": "cp1252", "macroman": "cp1252", "mac-latin2": "cp1250", "maclatin2": "cp1250"}


def guess_encoding(data: bytes) -> str:
    """The encoding of page bytes that are not UTF-8 and declare no other that works.

    The page's ``<html lang>`` names its legacy encoding (cp1251 for Russian,
    windows-1252 for Indonesian, English, French ...); else beautifulsoup4's
    detector (``UnicodeDammit``, backed by charset-normalizer) decides, with
    windows-1252 standing for any Latin-script single-byte guess. (A page that
    mixes UTF-8 with pasted windows-1252 bytes is mended before this, with
    ``UnicodeDammit.detwingle``.)

    >>> guess_encoding("<p>Jum’at</p>".encode("cp1252"))
    'cp1252'
    >>> guess_encoding('<html lang="ru"><p>Новости</p>'.encode("cp1251"))
    'cp1251'
    """
    from bs4 import UnicodeDammit

    m = _HTML_LANG.search(data[:4096])
    language = m.group(1).decode("ascii").lower() if m else None
    if language:
        legacy = _LEGACY_BY_LANGUAGE.get(language, "cp1252")
        try:
            data.decode(legacy)
            return legacy
        except UnicodeDecodeError:
            pass
    guess = (UnicodeDammit(data, is_html=True, exclude_encodings=["utf-8"]).original_encoding or "").lower()
    if not guess or (not language and guess in _LATIN_GUESSES):
        return "cp1252"
    return _WEB_EQUIVALENT.get(guess.replace("_", "-")) or _codec(guess) or "cp1252"


#: Most bytes a gzipped sitemap or feed may unpack to: the sitemap protocol's own limit
#: (50 MB uncompressed); past it the file is a decompression bomb, or no sitemap.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


class UnpackError(ValueError):
    """Raised by :func:`gunzip_capped`; ``reason`` is ``too-large`` or ``bad-gzip``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def is_gzip(data: bytes) -> bool:
    """True when ``data`` starts like a gzip file (whatever the Content-Type said)."""
    return data[:2] == b"\x1f\x8b"


def gunzip_capped(data: bytes, limit: int = MAX_UNPACKED_BYTES) -> bytes:
    """Unpack gzip ``data`` (every member), refusing to produce more than ``limit`` bytes.

    :raises UnpackError: ``too-large`` past the limit (a gzip bomb), ``bad-gzip``
        for data that is not gzip or is cut short.

    >>> import gzip
    >>> gunzip_capped(gzip.compress(b"<urlset/>"))
    b'<urlset/>'
    >>> gunzip_capped(gzip.compress(bytes(2000)), limit=1000)
    Traceback (most recent call last):
    ...
    pipelines.page.UnpackError: gzip data unpacks to more than 1000 bytes
    """
    out = bytearray()
    rest = data
    try:
        while rest:
            unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += unpacker.decompress(rest, limit + 1 - len(out))
            if len(out) > limit or unpacker.unconsumed_tail:
                raise UnpackError("too-large", f"gzip data unpacks to more than {limit} bytes")
            if not unpacker.eof:
                raise UnpackError("bad-gzip", "gzip data cut short")
            rest = unpacker.unused_data if is_gzip(unpacker.unused_data) else b""
    except zlib.error as e:
        raise UnpackError("bad-gzip", f"not gzip data ({e})") from None
    return bytes(out)


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
