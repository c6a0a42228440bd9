"""The Article record: what page -> article produces and the archive stores."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

#: Bumped whenever a rule change can change an article; stored with every article,
#: so a researcher can tell which rules produced a row and re-run older ones.
EXTRACTOR_VERSION = "0.4.14"

_WS = re.compile(r"\s+")


def content_hash(title: str | None, body: str | None) -> str:
    """SHA-256 (hex, 16 chars) of the whitespace-normalised title and body.

    Two fetches of the same story give the same hash even when markup around
    the text changed, so re-crawls can tell a real content change from noise.

    >>> content_hash("Banjir di Lebak", "Hujan deras  sejak Kamis.") == content_hash("Banjir di Lebak", "Hujan deras sejak Kamis.")
    True
    """
    norm = _WS.sub(" ", f"{title or ''}\n{body or ''}").strip().lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601 text of a datetime (with its offset) or a date (YYYY-MM-DD).

    >>> from datetime import timedelta, timezone
    >>> iso(datetime(2019, 11, 28, 14, 30, tzinfo=timezone(timedelta(hours=7))))
    '2019-11-28T14:30:00+07:00'
    >>> iso(date(2019, 11, 28))
    '2019-11-28'
    """
    if value is None:
        return None
    return value.isoformat()


def utc_iso(value: datetime | date | None) -> str | None:
    """The UTC instant of an aware datetime as ``YYYY-MM-DDTHH:MM:SSZ``; a date stays a date;
    a naive datetime (a local time whose zone is unknown) has no instant: None.

    >>> from datetime import timedelta, timezone
    >>> utc_iso(datetime(2019, 11, 28, 3, 0, tzinfo=timezone(timedelta(hours=7))))
    '2019-11-27T20:00:00Z'
    >>> print(utc_iso(datetime(2019, 11, 28, 3, 0)))
    None
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return None
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


@dataclass
class Article:
    """A cleaned news article derived from one page (or the pages of a multi-page story).

    ``published`` is an aware datetime (in the profile's zone, else the offset the page
    states, else WIB on an Indonesian page), a naive datetime when the page gives a
    local time whose zone nothing tells (``published_offset_source`` is then
    ``unknown``), a ``date`` where the page gives only the day, or None; see
    ``docs/dates.md``. ``provenance`` maps each field to how it was found (``jsonld``,
    ``meta``, ``profile``, ``generic``, ``visible``, ``url``; the body's is ``none`` for a
    photo or video story without text, an article with an empty body).
    """

    url: str
    canonical_url: str
    site: str | None
    title: str | None
    body: str
    author: str | None = None
    published: datetime | date | None = None
    published_raw: str | None = None
    published_source: str | None = None
    published_offset_source: str | None = None
    updated: datetime | date | None = None
    updated_raw: str | None = None
    updated_source: str | None = None
    updated_offset_source: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    language: str | None = None
    description: str | None = None
    page_count: int = 1
    provenance: dict[str, str] = field(default_factory=dict)
    extractor_version: str = EXTRACTOR_VERSION

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.body)

    @property
    def word_count(self) -> int:
        return len(self.body.split()) if self.body else 0

    def to_dict(self) -> dict:
        """A JSON-ready dict: dates as ISO 8601 text, plus UTC and derived fields."""
        out = dataclasses.asdict(self)
        out["published"] = iso(self.published)
        out["published_utc"] = utc_iso(self.published)
        out["updated"] = iso(self.updated)
        out["updated_utc"] = utc_iso(self.updated)
        out["content_hash"] = self.content_hash
        out["word_count"] = self.word_count
        return out
