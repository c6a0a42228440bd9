"""The demo articles: parsed from ``articles.txt``, the single source of pages and ground truth."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path

#: The data file: one record per article (format described at its top).
ARTICLES_FILE = Path(__file__).resolve().parent / "articles.txt"

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")

#: Offsets of the three Indonesian zones, by zone name and by abbreviation.
OFFSETS = {"Asia/Jakarta": 7, "Asia/Makassar": 8, "Asia/Jayapura": 9}
ZONE_ABBREV = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

#: A line on its own between paragraphs that starts the next page of a multi-page story.
PAGE_BREAK = "==="

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_words: int = 9) -> str:
    """A WordPress-like slug of a title.

    >>> slugify("Maksimalkan Usaha Koperasi, Pemkab Lebak Gelar Seminar")
    'maksimalkan-usaha-koperasi-pemkab-lebak-gelar-seminar'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in _SLUG_DROP.split(ascii_text) if w]
    return "-".join(words[:max_words])


@dataclass
class DemoArticle:
    """One fictional article as written in ``articles.txt`` (before any site template)."""

    site: str
    number: int  # 1-based position in the file among its site's articles
    title: str
    section: str
    day: date
    clock: time | None  # None: the page prints only the day
    modified: datetime | None
    author: str | None
    initials: str
    editor: str | None
    tags: list[str]
    caption: str
    comments: list[tuple[str, str]]
    pages: list[list[str]] = field(default_factory=list)  # paragraphs per page, with {tanggal}

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def section_slug(self) -> str:
        return slugify(self.section)

    def published(self, tz_name: str) -> datetime | date:
        """Aware datetime in the site's fixed offset, or the bare day."""
        if self.clock is None:
            return self.day
        tz = timezone(timedelta(hours=OFFSETS[tz_name]))
        return datetime.combine(self.day, self.clock, tzinfo=tz)

    def sort_key(self) -> tuple:
        return (self.day, self.clock or time(0, 0), self.number)


def tanggal_kurung(day: date) -> str:
    """The dateline form of a day: ``Kamis (28/11/2019)``.

    >>> tanggal_kurung(date(2019, 11, 28))
    'Kamis (28/11/2019)'
    """
    return f"{HARI[day.weekday()]} ({day.day}/{day.month}/{day.year})"


def tanggal_panjang(day: date) -> str:
    """The long form of a day: ``Kamis, 28 November 2019``.

    >>> tanggal_panjang(date(2019, 11, 28))
    'Kamis, 28 November 2019'
    """
    return f"{HARI[day.weekday()]}, {day.day} {BULAN[day.month - 1]} {day.year}"


def _parse_clock(text: str) -> time:
    hh, mm = text.split(":")
    return time(int(hh), int(mm))


def _parse_record(site: str, number: int, head: str, lines: list[str]) -> DemoArticle:
    # head: "<site> | YYYY-MM-DD[ HH:MM] | Section"
    _, when, section = (part.strip() for part in head.split("|"))
    day_text, _, clock_text = when.partition(" ")
    meta: dict[str, list[str]] = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        key, _, value = lines[i].partition(":")
        meta.setdefault(key.strip(), []).append(value.strip())
        i += 1
    pages: list[list[str]] = [[]]
    para: list[str] = []
    for line in [*lines[i:], ""]:
        stripped = line.strip()
        if stripped == PAGE_BREAK:
            if para:
                pages[-1].append(" ".join(para))
                para = []
            pages.append([])
        elif stripped:
            para.append(stripped)
        elif para:
            pages[-1].append(" ".join(para))
            para = []
    day = date.fromisoformat(day_text)
    clock = _parse_clock(clock_text) if clock_text else None
    modified = None
    if "modified" in meta:
        mday, _, mclock = meta["modified"][0].partition(" ")
        modified = datetime.combine(date.fromisoformat(mday), _parse_clock(mclock))
    comments = []
    for raw in meta.get("comment", []):
        name, _, text = raw.partition("|")
        comments.append((name.strip(), text.strip()))
    return DemoArticle(
        site=site,
        number=number,
        title=meta["title"][0],
        section=section,
        day=day,
        clock=clock,
        modified=modified,
        author=meta.get("author", [None])[0] or None,
        initials=meta.get("initials", [""])[0],
        editor=meta.get("editor", [None])[0],
        tags=[t.strip() for t in meta.get("tags", [""])[0].split(",") if t.strip()] or [section],
        caption=meta.get("caption", [""])[0],
        comments=comments,
        pages=[p for p in pages if p],
    )


@lru_cache(maxsize=1)
def load_demo_articles() -> tuple[DemoArticle, ...]:
    """Every record of ``articles.txt``, in file order.

    >>> arts = load_demo_articles()
    >>> arts[0].site, arts[0].day.isoformat(), len(arts[0].pages)
    ('kabar-lebak', '2019-11-28', 1)
    """
    records: list[DemoArticle] = []
    counts: dict[str, int] = {}
    head: str | None = None
    lines: list[str] = []
    text = ARTICLES_FILE.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if line.startswith("@@ "):
            if head is not None:
                site = head.split("|")[0].strip()
                records.append(_parse_record(site, counts[site], head, lines))
            head = line[3:]
            site = head.split("|")[0].strip()
            counts[site] = counts.get(site, 0) + 1
            lines = []
        elif head is not None:
            lines.append(line)
    if head is not None:
        site = head.split("|")[0].strip()
        records.append(_parse_record(site, counts[site], head, lines))
    return tuple(records)
