"""Indonesian dates: read one date string, and pick a page's publication date from its candidates.

Two levels, as the style guide asks:

* :func:`parse_date` reads one string as printed on Indonesian news sites
  ("Kamis (28/11/2019)", "Rabu, 4 November 2015 | 21:04 WIB", "2 jam yang lalu",
  RFC 822, ISO 8601 ...) and returns an aware datetime, a ``date`` when only the
  day is known, or None. A regular-expression fast path reads the common forms;
  dateparser (id + en, one reused parser) is only asked when that path finds
  nothing, and its answer is only kept when plausible.
* :func:`gather_date_candidates` collects every date a page offers (JSON-LD,
  meta tags, ``<time>``, the visible date line of the article, the URL path, a
  profile selector) and :func:`pick_dates` weighs them against each other,
  returning the published and the updated date in the site's zone.

Example usage::

    from pipelines.dates import parse_date
    parse_date("Kamis, 28/11/2019 14:30 WIB")
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = [
    "DateCandidate",
    "DatePick",
    "gather_date_candidates",
    "normalize_date",
    "parse_date",
    "pick_dates",
]

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

#: Month names as printed on Indonesian sites (full, abbreviated, old spellings) and in English.
MONTHS = {
    1: ("januari", "january", "jan", "janv"),
    2: ("februari", "pebruari", "february", "febuari", "feb", "peb", "febr"),
    3: ("maret", "march", "mar", "mrt"),
    4: ("april", "apr", "apl"),
    5: ("mei", "may"),
    6: ("juni", "june", "jun"),
    7: ("juli", "july", "jul"),
    8: ("agustus", "august", "agust", "agus", "agt", "agu", "ags", "aug"),
    9: ("september", "sept", "sep", "spt"),
    10: ("oktober", "october", "okt", "oct"),
    11: ("november", "nopember", "nov", "nop"),
    12: ("desember", "december", "des", "dec"),
}
_MONTH_NUMBER = {name: number for number, names in MONTHS.items() for name in names}

#: Zone words and their UTC offsets in hours. WIB/WITA/WIT are Indonesia's three zones.
ZONE_WORDS = {"wib": 7, "wita": 8, "wit": 9, "gmt": 0, "utc": 0, "ut": 0, "z": 0}

#: Parts of the day that move a 12-hour clock reading ("8 malam" = 20:00).
_AFTERNOON_WORDS = {"siang", "sore", "petang", "malam"}

#: Number words used in relative dates ("dua jam lalu", "two hours ago").
_NUMBER_WORDS = {
    "se": 1, "satu": 1, "sebuah": 1, "a": 1, "an": 1, "one": 1,
    "dua": 2, "two": 2, "tiga": 3, "three": 3, "empat": 4, "four": 4,
    "lima": 5, "five": 5, "enam": 6, "six": 6, "tujuh": 7, "seven": 7,
    "delapan": 8, "eight": 8, "sembilan": 9, "nine": 9, "sepuluh": 10, "ten": 10,
}  # fmt: skip

#: Relative units: (kind, amount) where kind is the granularity of the answer.
_UNITS = {
    "detik": ("second", 1), "second": ("second", 1), "sec": ("second", 1), "dtk": ("second", 1),
    "menit": ("minute", 1), "mnt": ("minute", 1), "minute": ("minute", 1), "min": ("minute", 1),
    "jam": ("hour", 1), "hour": ("hour", 1), "hr": ("hour", 1),
    "hari": ("day", 1), "day": ("day", 1),
    "minggu": ("day", 7), "pekan": ("day", 7), "week": ("day", 7),
    "bulan": ("month", 1), "bln": ("month", 1), "month": ("month", 1),
    "tahun": ("year", 1), "thn": ("year", 1), "year": ("year", 1),
}  # fmt: skip

#: Oldest year accepted: archives quote historical dates ("tanggal 15 Agustus 1945"),
#: but a Hijri year (1441 H) must never pass as Gregorian.
MIN_YEAR = 1800

#: Results later than ``now`` plus this are rejected (a site clock may run a little ahead).
FUTURE_TOLERANCE = timedelta(days=1)

#: The largest UTC offset in use (+14:00): a wall clock of unknown zone is at least this early.
_LARGEST_OFFSET = timedelta(hours=14)

#: Timestamps used as "no date" by CMSs; a date on this day is a placeholder.
_PLACEHOLDER_DAYS = {date(1970, 1, 1)}

#: Strings longer than this are cut before parsing: a date line is short.
MAX_DATE_TEXT = 300

# ---------------------------------------------------------------------------
# Regular expressions of the fast path (they run on lower-cased, normalised text)
# ---------------------------------------------------------------------------

_MONTH_ALT = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
_ZONE_ALT = r"wita|wib|wit|gmt|utc|ut|z"

# 2019-11-28T14:30:00+07:00, 2019-11-28 14:30, "2015-11-05 T10:08:58Z", 2019/11/28
_ISO_RE = re.compile(
    r"(?<![\d/.-])(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?!\d)"
    r"(?:(?:\s*t\s*|\s+|t)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"(?:\s*(z\b|(?:utc|gmt)\b|[+-]\d{2}(?::?\d{2})?(?!\d)))?)?"
)
# 28/11/2019, 28-11-2019, 28.11.2019, 28/11/19, (15/6) -- always day first
_NUM_RE = re.compile(r"(?<![\d/])(?<!\d[.:-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d+))?(?![\d/])")
# 28 November 2019, 28 Nov '19, 28-Nov-2019, 15 Juni
_DMY_RE = re.compile(
    rf"(?<![\d.:])(\d{{1,2}})(?:st|nd|rd|th)?[\s./,-]*(?:bulan\s+)?({_MONTH_ALT})(?![a-z])\.?(?:[\s/,-]*(?:tahun\s+)?'?(\d+))?"
)
# November 28, 2019 (English template)
_MDY_RE = re.compile(rf"\b({_MONTH_ALT})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)")
# 14:30, 19.30, 10:08:58, 2:30 pm
_TIME_RE = re.compile(
    r"(?<![\d.:/])(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?![\d]|[.:]\d)(?:\s*([ap])\.?m\b\.?)?"
)
# "pukul 8", "jam 8 malam", "8 malam"
_HOUR_RE = re.compile(
    r"(?:\b(?:pukul|pkl|jam)\.?\s*(\d{1,2})(?!\d)(?![:.]\d)"
    r"|(?<![\d.:/])(\d{1,2})(?=\s+(?:pagi|siang|sore|petang|malam|dini\s+hari|subuh)\b))"
)
_PERIOD_RE = re.compile(r"\s*(pagi|siang|sore|petang|malam|dini\s+hari|subuh)\b")
_ZONE_RE = re.compile(
    rf"\s*\(?\s*(?:({_ZONE_ALT})\b(?:\s*([+-])\s*(\d{{1,2}})(?::?(\d{{2}}))?)?|([+-])(\d{{2}}):?(\d{{2}})(?!\d))"
)
_REL_COUNT_WORDS = (
    "se|satu|sebuah|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh"
    "|an|a|one|two|three|four|five|six|seven|eight|nine|ten"
)
_REL_UNIT_WORDS = (
    "detik|dtk|menit|mnt|jam|hari|minggu|pekan|bulan|bln|tahun|thn"
    "|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?"
)
# One "count unit" part: "2 jam", "seminggu", "an hour".
_REL_PART_RE = re.compile(rf"\b(?:(\d+)\s*|({_REL_COUNT_WORDS})\s*)({_REL_UNIT_WORDS})\b")
# A chain of parts before "lalu"/"ago": "2 jam yang lalu", "1 jam 5 menit lalu", "3 weeks ago".
_RELATIVE_RE = re.compile(
    rf"\b((?:(?:\d+\s*|(?:{_REL_COUNT_WORDS})\s*)(?:{_REL_UNIT_WORDS})\b\s*(?:,|dan|and)?\s*)+)"
    r"(?:yang\s+|yg\s+)?(?:lalu|ago|sebelumnya|silam)\b"
)
#: Finest first: the granularity of a relative answer is its finest unit.
_KIND_ORDER = ("second", "minute", "hour", "day", "month", "year")
_JUST_NOW_RE = re.compile(
    r"\b(?:baru\s+saja|barusan|just\s+now|beberapa\s+detik\s+(?:yang\s+)?lalu|moments?\s+ago)\b"
)
_DAY_WORD_RE = re.compile(r"\b(kemarin\s+lusa|kemarin|hari\s+ini|yesterday|today)\b")
_DAY_WORD_OFFSET = {"kemarin lusa": 2, "kemarin": 1, "hari ini": 0, "yesterday": 1, "today": 0}
# What a time-only string may contain besides the time ("19.30 Wita", "pukul 8 malam").
_TIME_ONLY_RE = re.compile(
    rf"^(?:(?:pukul|pkl|jam|sekitar|at|@|,|\|)\.?\s*)*[\d:.\s]+(?:[ap]\.?m\.?)?\s*"
    rf"(?:(?:pagi|siang|sore|petang|malam|dini\s+hari|subuh|{_ZONE_ALT})\b\s*)*$"
)
_MALFORMED_RE = re.compile(r"\d+\s*/\s*\d+")
# dateparser is only asked about strings that name a month or a relative word.
_FALLBACK_HINT_RE = re.compile(
    rf"(?<![a-z])(?:{_MONTH_ALT})(?![a-z])|\b(?:lalu|ago|silam|kemarin|yesterday)\b"
)
_SPACE_RE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u2013": "-", "\u2014": "-"})


# ---------------------------------------------------------------------------
# Zones
# ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


@lru_cache(maxsize=64)
def _fixed(minutes: int) -> timezone:
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


def _anchor(now: datetime | None, tz: str) -> datetime:
    """``now`` as an aware datetime in ``tz`` (a naive ``now`` is read as wall clock in ``tz``)."""
    zone = _zone(tz)
    if now is None:
        return datetime.now(zone)
    if now.tzinfo is None:
        return now.replace(tzinfo=zone)
    return now.astimezone(zone)


def site_offset(value: datetime, tz: str) -> timezone:
    """The fixed UTC offset of zone ``tz`` at the instant ``value``.

    >>> site_offset(datetime(2019, 11, 28, 5, 0, tzinfo=timezone.utc), "Asia/Makassar")
    datetime.timezone(datetime.timedelta(seconds=28800))
    """
    offset = _zone(tz).utcoffset(value.astimezone(UTC).replace(tzinfo=None))
    return _fixed(int(offset.total_seconds() // 60))


def to_site_zone(value: datetime | date, tz: str) -> datetime | date:
    """``value`` moved into the site's zone as a fixed offset; a ``date`` stays a date.

    >>> to_site_zone(datetime(2016, 2, 16, 2, 10, 56, tzinfo=timezone.utc), "Asia/Jakarta").isoformat()
    '2016-02-16T09:10:56+07:00'
    """
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(tz))
    return value.astimezone(site_offset(value, tz))


# ---------------------------------------------------------------------------
# parse_date
# ---------------------------------------------------------------------------


def _normalize(text: str) -> str:
    text = text[:MAX_DATE_TEXT].translate(_QUOTES).lower()
    return _SPACE_RE.sub(" ", text).strip()


def _find_date(s: str) -> tuple | None:
    """The earliest valid calendar date in ``s``.

    Returns ``(start, end, year, month, day, two_digit_year, time)`` where ``year``
    may be None (no year printed) and ``time`` is ``(h, m, s, offset_minutes)`` for
    ISO strings that carry their own time, else None.
    """
    found: list[tuple] = []

    for m in _ISO_RE.finditer(s):
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if y < MIN_YEAR:
            continue
        clock = None
        if m.group(5) is not None:
            zone = m.group(8)
            offset = _offset_of(zone) if zone else _read_zone(s, m.end())[0]  # "2019-11-28 14:30 WIB"
            hour, minute, second = int(m.group(5)), int(m.group(6)), int(m.group(7) or 0)
            if hour <= 23 and minute <= 59 and second <= 60:
                clock = (hour, minute, min(second, 59), offset)
        if _valid_day(y, mo, d):
            found.append((m.start(), m.end(), y, mo, d, False, clock))
            break

    for m in _NUM_RE.finditer(s):
        d, sep, mo, raw_year = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
        if raw_year is None and sep != "/":
            continue  # 19.30 is a time, 10-12 a range
        if raw_year is not None and len(raw_year) not in (2, 4):
            continue  # "4/11/205": a typo, not a year
        if raw_year is not None and len(raw_year) == 2 and s[m.end() : m.end() + 1] == ":":
            continue
        y = int(raw_year) if raw_year else None
        two = raw_year is not None and len(raw_year) == 2
        if y is not None and not two and y < MIN_YEAR:
            continue  # a Hijri year ("01/04/1441 H") or similar
        if _valid_day(y if (y and not two) else 2000, mo, d):
            found.append((m.start(), m.end(), y, mo, d, two, None))
            break

    for m in _DMY_RE.finditer(s):
        d, mo, raw_year = int(m.group(1)), _MONTH_NUMBER[m.group(2)], m.group(3)
        end = m.end()
        y: int | None = None
        two = False
        if raw_year is not None:
            after = s[m.end(3) : m.end(3) + 2]
            if len(raw_year) == 4:
                y = int(raw_year)
            elif len(raw_year) == 2 and not (after[:1] in (":", ".") and after[1:2].isdigit()):
                y, two = int(raw_year), True
            elif len(raw_year) in (1, 2):
                end = m.start(3)  # "16 Feb 09:10": the digits are the hour
            else:
                continue  # "4 November 205"
        if y is not None and not two and y < MIN_YEAR:
            continue
        if _valid_day(y if (y and not two) else 2000, mo, d):
            found.append((m.start(), end, y, mo, d, two, None))
            break

    if not found:
        for m in _MDY_RE.finditer(s):
            mo, d, y = _MONTH_NUMBER[m.group(1)], int(m.group(2)), int(m.group(3))
            if y >= MIN_YEAR and _valid_day(y, mo, d):
                found.append((m.start(), m.end(), y, mo, d, False, None))
                break

    if not found:
        return None
    # Earliest wins; a full date (with year) beats a year-less one at the same place.
    return min(found, key=lambda f: (f[0], f[2] is None))


def _valid_day(y: int, mo: int, d: int) -> bool:
    if not 1 <= mo <= 12 or d < 1:
        return False
    return d <= calendar.monthrange(y, mo)[1]


def _offset_of(zone: str) -> int | None:
    """UTC offset in minutes of a zone word or numeric offset ("wib", "z", "+0700", "-07")."""
    zone = zone.strip()
    if zone in ZONE_WORDS:
        return ZONE_WORDS[zone] * 60
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", zone)
    if not m:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return -minutes if m.group(1) == "-" else minutes


def _read_zone(s: str, pos: int) -> tuple[int | None, int]:
    """A zone written at ``pos`` ("WIB", "GMT+7", "+07:00"): (offset minutes or None, end)."""
    m = _ZONE_RE.match(s, pos)
    if not m:
        return None, pos
    if m.group(1):
        base = ZONE_WORDS[m.group(1)] * 60
        if m.group(2) and m.group(1) in ("gmt", "utc", "ut"):
            extra = int(m.group(3)) * 60 + int(m.group(4) or 0)
            base = extra if m.group(2) == "+" else -extra
        elif m.group(2):
            return base, m.start(2)  # "WIB - 14:30": the dash is a separator, not a sign
        return base, m.end()
    if m.start(5) == pos or int(m.group(6)) > 14:
        return None, pos  # "14:30-15:00" is a range, not a zone
    minutes = int(m.group(6)) * 60 + int(m.group(7))
    return (-minutes if m.group(5) == "-" else minutes), m.end()


def _apply_period(hour: int, period: str | None, ampm: str | None) -> int:
    if ampm == "p" and hour < 12:
        return hour + 12
    if ampm == "a" and hour == 12:
        return 0
    if period is None:
        return hour
    period = period.split()[0]
    if period in ("pagi", "dini", "subuh"):
        return 0 if hour == 12 else hour
    if hour >= 12:
        return hour
    if period == "siang":
        return hour + 12 if hour <= 5 else hour
    if period == "malam":
        return hour + 12 if hour >= 5 else hour  # "pukul 1 malam" is 01:00
    return hour + 12  # sore, petang


def _find_time(s: str, start: int, end: int) -> tuple[int, int, int, int | None] | None:
    """A clock time in ``s[start:end]``: ``(hour, minute, second, offset_minutes)``."""
    best = None
    m = _TIME_RE.search(s, start, end)
    if m:
        best = (m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3) or 0), m.group(4), m.end())
    h = _HOUR_RE.search(s, start, end)
    if h and (best is None or h.start() < best[0]):
        best = (h.start(), int(h.group(1) or h.group(2)), 0, 0, None, h.end())
    if best is None:
        return None
    _, hour, minute, second, ampm, pos = best
    period = None
    offset = None
    for _ in range(2):  # period and zone, in either order: "8 malam WIB", "19.30 WIB"
        p = _PERIOD_RE.match(s, pos)
        if p and period is None:
            period, pos = p.group(1), p.end()
            continue
        if offset is None:
            offset, new_pos = _read_zone(s, pos)
            if offset is not None:
                pos = new_pos
                continue
        break
    if ampm and hour > 12:
        return None
    hour = _apply_period(hour, period, ampm)
    if hour > 23 or minute > 59 or second > 60:
        return None
    return hour, minute, min(second, 59), offset


def _resolve_year(
    y: int | None, two_digit: bool, mo: int, d: int, now: datetime, latest: datetime
) -> int | None:
    """The full year: two digits go to the latest century not after ``latest``; a missing
    year is the one that puts the day last but not after ``now`` + 1 day."""
    if two_digit:  # "14/03/20"
        year = latest.year // 100 * 100 + y
        return year - 100 if year > latest.year else year
    limit = (now + FUTURE_TOLERANCE).date()
    if y is not None:
        return y
    # No year printed: the latest such day not after now + 1 day.
    for year in range(limit.year, limit.year - 9, -1):
        if _valid_day(year, mo, d) and date(year, mo, d) <= limit:
            return year
    return None


def _plausible(value: datetime | date, limit: datetime) -> bool:
    """Not a placeholder, not before MIN_YEAR, not after ``limit``."""
    if isinstance(value, datetime):
        if value.year < MIN_YEAR:
            return False
        if value.tzinfo is None:  # a wall clock of unknown zone: the earliest instant it can be
            value = value.replace(tzinfo=UTC) - _LARGEST_OFFSET
        if value.astimezone(UTC).date() in _PLACEHOLDER_DAYS or value.date() in _PLACEHOLDER_DAYS:
            return False
        return value <= limit
    if value.year < MIN_YEAR or value in _PLACEHOLDER_DAYS:
        return False
    return value <= limit.date()


def _relative(s: str, now: datetime, zone) -> datetime | date | None:
    """A relative date ("2 jam yang lalu", "kemarin", "3 weeks ago") anchored at ``now``."""
    if _JUST_NOW_RE.search(s):
        return now.replace(second=0, microsecond=0)
    m = _RELATIVE_RE.search(s)
    if m:
        amounts = dict.fromkeys(_KIND_ORDER, 0)
        for part in _REL_PART_RE.finditer(m.group(1)):
            count = int(part.group(1)) if part.group(1) else _NUMBER_WORDS[part.group(2)]
            unit = part.group(3)
            kind, factor = _UNITS.get(unit) or _UNITS[unit.rstrip("s")]
            amounts[kind] += count * factor
        finest = next(kind for kind in _KIND_ORDER if amounts[kind])
        months = amounts["month"] + 12 * amounts["year"]
        moment = now
        if months:
            total = now.year * 12 + now.month - 1 - months
            year, month = divmod(total, 12)
            moment = moment.replace(
                year=year, month=month + 1, day=min(now.day, calendar.monthrange(year, month + 1)[1])
            )
        delta = timedelta(
            days=amounts["day"], hours=amounts["hour"], minutes=amounts["minute"], seconds=amounts["second"]
        )
        moment = (moment.astimezone(UTC) - delta).astimezone(now.tzinfo)
        if finest in ("day", "month", "year"):
            return moment.date()
        if finest == "second":
            return moment.replace(microsecond=0)
        return moment.replace(second=0, microsecond=0)
    m = _DAY_WORD_RE.search(s)
    if m:
        day = now.date() - timedelta(days=_DAY_WORD_OFFSET[_SPACE_RE.sub(" ", m.group(1))])
        clock = _find_time(s, 0, len(s))
        if clock is None:
            return day
        return _build(day, clock, zone)
    return None


def _build(day: date, clock: tuple[int, int, int, int | None], zone) -> datetime:
    hour, minute, second, offset = clock
    tzinfo = _fixed(offset) if offset is not None else zone
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tzinfo)


def parse_date(text: str, *, tz: str = "Asia/Jakarta", now: datetime | None = None) -> datetime | date | None:
    """Read one date string as printed on an Indonesian news site.

    :param text: the string, e.g. a byline date, a meta tag value or "2 jam yang lalu".
    :param tz: the site's IANA zone, used when the string names no zone of its own
        (WIB, WITA, WIT, GMT, Z and numeric offsets win over it).
    :param now: the anchor for relative forms and the "not in the future" check;
        for a page, its ``fetched_at``. Only when None is the current clock used.
    :returns: an aware datetime when a time is given (or a relative form at hour or
        minute granularity), a ``date`` when only the day is known (or a relative day,
        week, month or year), None for anything that is not a plausible date:
        impossible values, the 1970-01-01 placeholder, more than a day in the future.
        "The future" is measured from the later of ``now`` and the current clock, so an
        anchor given for relative forms never erases a real, later date; the page-level
        :func:`pick_dates` checks strictly against the page's fetch time.
    :raises: nothing; a string that is not a date gives None.

    Day numbers always come first (28/11/2019 is 28 November); a day name that
    disagrees with the numeric date is ignored.

    Example usage:

    >>> parse_date("Kamis, 28/11/2019 14:30 WIB")
    datetime.datetime(2019, 11, 28, 14, 30, tzinfo=datetime.timezone(datetime.timedelta(seconds=25200)))
    >>> parse_date("Rabu (4/11/2015)")
    datetime.date(2015, 11, 4)
    >>> parse_date("Jum'at, 29 Nop 2019 | 19.30 Wita").isoformat()
    '2019-11-29T19:30:00+08:00'
    >>> parse_date("Sabtu (30/11) pukul 8 malam", tz="Asia/Jayapura",
    ...            now=datetime(2019, 12, 2, 9, 0)).isoformat()
    '2019-11-30T20:00:00+09:00'
    >>> parse_date("2 jam yang lalu", now=datetime(2019, 11, 28, 12, 0)).isoformat()
    '2019-11-28T10:00:00+07:00'
    >>> parse_date("seminggu yang lalu", now=datetime(2019, 11, 28, 12, 0))
    datetime.date(2019, 11, 21)
    >>> print(parse_date("Rabu (4/11/205)"))
    None
    """
    if not text:
        return None
    anchor = _anchor(now, tz)
    limit = max(anchor, datetime.now(UTC).astimezone(anchor.tzinfo)) + FUTURE_TOLERANCE
    return _parse(text, anchor.tzinfo, anchor, limit)


def _parse(text: str, zone, anchor: datetime, limit: datetime) -> datetime | date | None:
    """:func:`parse_date` with its anchor and latest acceptable moment resolved.

    ``zone`` is the tzinfo given to a wall clock that names no zone of its own; with
    None such a clock comes back naive, so the caller can tell a stated offset from
    an assumed one.
    """
    s = _normalize(text)
    if not s:
        return None

    found = _find_date(s)
    if found is not None:
        start, end, y, mo, d, two_digit, clock = found
        year = _resolve_year(y, two_digit, mo, d, anchor, limit)
        if year is None or not _valid_day(year, mo, d):
            return None
        day = date(year, mo, d)
        if clock is None:
            clock = _find_time(s, end, min(len(s), end + 45)) or _find_time(s, max(0, start - 30), start)
        value: datetime | date = day if clock is None else _build(day, clock, zone)
        return value if _plausible(value, limit) else None

    if _MALFORMED_RE.search(s):
        return None  # "Rabu (18/52025)": a broken numeric date, never guess
    value = _relative(s, anchor, zone)
    if value is not None:
        return value if _plausible(value, limit) else None
    if _TIME_ONLY_RE.match(s) and any(ch.isdigit() for ch in s):
        clock = _find_time(s, 0, len(s))
        if clock is None:
            return None
        moment = _build(anchor.date(), clock, zone)
        if (moment.tzinfo is None and moment > anchor.replace(tzinfo=None)) or (
            moment.tzinfo is not None and moment > anchor
        ):
            moment -= timedelta(days=1)  # a listing's bare "19.30" is the latest such time
        return moment
    if _DMY_RE.search(s) or _ISO_RE.search(s) or _NUM_RE.search(s):
        return None  # date-shaped but impossible ("31 Juni 2019"): never let a fallback guess
    if len(s) <= 80 and _FALLBACK_HINT_RE.search(s) and any(ch.isdigit() for ch in s):
        return _fallback(s, zone, limit)
    return None


# ---------------------------------------------------------------------------
# dateparser fallback
# ---------------------------------------------------------------------------

_FALLBACK_PARSER: list = []


def _dateparser():
    """The shared DateDataParser (building one costs ~100 ms, so it is kept).

    It is given no zone: a string that names one comes back aware, any other naive,
    and the caller applies its own zone policy.
    """
    if not _FALLBACK_PARSER:
        from dateparser.date import DateDataParser

        _FALLBACK_PARSER.append(
            DateDataParser(
                languages=["id", "en"],
                settings={"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True},
            )
        )
    return _FALLBACK_PARSER[0]


def _fallback(s: str, zone, limit: datetime) -> datetime | date | None:
    """dateparser's reading of ``s``, kept only when it names a day and is plausible."""
    try:
        data = _dateparser().get_date_data(s)
    except Exception:  # dateparser raises many types on odd input
        return None
    if data is None or data.date_obj is None:
        return None
    value = data.date_obj
    if data.period == "time":
        result: datetime | date = value.replace(tzinfo=zone) if value.tzinfo is None else value
    elif data.period == "day":
        result = value.date()
    else:
        return None  # a month or a year alone is not a publication date
    return result if _plausible(result, limit) else None


# ---------------------------------------------------------------------------
# Page level: gather candidates, pick the publication and update dates
# ---------------------------------------------------------------------------


@dataclass
class DateCandidate:
    """One date a page offers, as found, before any reading.

    ``source`` is where it was found (``jsonld``, ``meta``, ``time``, ``visible``,
    ``url``, ``profile``), ``role`` is ``published`` or ``updated`` and ``detail``
    says which field (a meta name, ``itemprop=datePublished``, ``div.date``).
    """

    raw: str
    source: str
    role: str
    detail: str = ""


@dataclass
class DatePick:
    """The chosen date of one role: its value in the site's zone, the string and source it came from."""

    value: datetime | date | None
    raw: str | None
    source: str | None


#: Meta tags that give the publication time, by lower-cased name/property/itemprop.
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "published-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.created",
    "dcterms.date",
    "dcterms.issued",
    "dtcreated",
    "datecreated",
    "content_publishdate",
    "originalpublicationdate",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "createdate",
)
#: Meta tags that give the last update time.
UPDATED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "dtupdate",
    "lastmod",
    "article.updated",
)
_META_ROLE = {name: "published" for name in PUBLISHED_META} | {name: "updated" for name in UPDATED_META}

#: Class/id fragments of containers whose dates belong to other articles or to the site.
EXCLUDED_CONTAINER_STEMS = (
    "sidebar", "side-bar", "related", "terkait", "bacajuga", "baca-juga", "baca_juga", "footer",
    "widget", "populer", "popular", "recommend", "rekomendasi", "trending", "comment", "komentar",
    "navbar", "menu", "ticker", "lainnya", "terbaru", "latest", "list_berita", "list-berita",
    "beritautama", "hot_topic", "headline-list", "indeks", "newsfeed", "slidebox", "mega-menu",
)  # fmt: skip
#: Whole class/id tokens with the same meaning (too short to match as fragments).
EXCLUDED_CONTAINER_TOKENS = {"nav", "aside", "ads", "more", "tags", "share"}
EXCLUDED_TAGS = {"aside", "footer", "nav"}
_SKIP_TAGS = frozenset({"script", "style", "noscript", "title", "head", "option", "template"})
#: Class/id fragments that mark a date line.
DATE_CLASS_STEMS = ("date", "time", "tanggal", "tgl", "publish", "posted", "waktu", "schedule", "byline")
#: Text that opens a "read also" box: dates inside it are never the article's.
_READ_ALSO_RE = re.compile(
    r"^\s*(baca\s+juga|baca\s*:|berita\s+terkait|jangan\s+lewatkan|lihat\s+juga)", re.I
)
_UPDATED_RE = re.compile(r"\b(diperbarui|diupdate|update[d]?|pembaruan|modified|terakhir\s+diubah)\b", re.I)
# Pre-filter for visible text worth handing to parse_date.
_DATEISH_RE = re.compile(
    rf"\d{{1,4}}\s*[/.-]\s*\d{{1,2}}|\d\s*(?:{_MONTH_ALT})\b|\b(?:lalu|ago|kemarin|yesterday)\b", re.I
)
_URL_DAY_RE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")
_URL_COMPACT_RE = re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
#: Longest text of an element read as a visible date line (a byline with a date fits).
MAX_DATE_LINE = 140
# Ranking of visible date lines. The weights were set by hand, together, on the
# id-news-dev pages (six sites) and the trap snippets of tests/test_dates.py: a date
# line is usually classed "date"/"tanggal", follows the headline closely, shows a time
# and sits at the top of (or just above) the article body; dates in body sentences
# rarely have all of these.
#: Elements (in document order) after the headline within which a date line counts as "near".
NEAR_HEADLINE = 120
#: Elements before the headline still counted (a date above the h1).
BEFORE_HEADLINE = 30
#: Elements at the top of the article body, and just above it, counted as "near the body".
BODY_HEAD = 30
ABOVE_BODY = 40
SCORE_DATE_CLASS = 2.0
SCORE_AFTER_HEADLINE = 3.0
SCORE_BEFORE_HEADLINE = 1.0
SCORE_NEAR_BODY = 1.5
SCORE_HAS_TIME = 1.0
#: How many visible candidates to keep, best first.
MAX_VISIBLE = 4
#: Structured sources in the order they are trusted when no visible date decides.
_STRUCTURED_ORDER = {"time": 0, "jsonld": 1, "meta": 2}


def _classes(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def _describe(el) -> str:
    cls = (el.get("class") or "").split()
    return el.tag + ("." + cls[0] if cls else "") + ("#" + el.get("id") if el.get("id") else "")


def _excluded(el, article_root=None, keep: frozenset = frozenset()) -> bool:
    """True when ``el`` sits in a sidebar, related list, footer, site header or read-also box.

    The search outwards stops at ``article_root`` and at ``keep`` (the containers of the
    headline): whatever class they carry, they hold the article.
    """
    if el.text and _READ_ALSO_RE.match(el.text):
        return True
    for anc in el.iterancestors():
        if anc is article_root or anc in keep:
            return False
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in EXCLUDED_TAGS:
            return True
        if tag == "header" and not any(a.tag in ("article", "main") for a in anc.iterancestors()):
            return True
        names = _classes(anc)
        if names.strip():
            if any(stem in names for stem in EXCLUDED_CONTAINER_STEMS):
                return True
            if EXCLUDED_CONTAINER_TOKENS.intersection(re.split(r"[^a-z0-9]+", names)):
                return True
        if tag in ("li", "div", "section", "ul") and anc.text and _READ_ALSO_RE.match(anc.text):
            return True
        if tag == "li" and _is_teaser(anc):
            return True
    return False


def _is_teaser(el) -> bool:
    """A list item linking to another article (its headline is a long link text)."""
    for a in el.iter("a"):
        if a.get("href") and len((a.text_content() or "").strip()) >= 20:
            return True
    return False


def _date_classed(el) -> bool:
    for node in (el, el.getparent()):
        if node is not None and any(stem in _classes(node) for stem in DATE_CLASS_STEMS):
            return True
    return False


def _find_headline(tree):
    """The article headline element: the h1 (or h2) that repeats the page title."""
    title = ""
    for xp in ("//meta[@property='og:title']/@content", "//title/text()"):
        got = tree.xpath(xp)
        if got:
            title = " ".join(str(got[0]).split()).lower()
            break
    first_h1 = None
    for h in tree.iter("h1", "h2"):
        text = " ".join(h.text_content().split()).lower()
        if len(text) < 15:
            continue
        if title and text[:40] in title:
            return h
        if first_h1 is None and h.tag == "h1":
            first_h1 = h
    return first_h1


def _walk_jsonld(node, out: list[DateCandidate], kind: str = "") -> None:
    if isinstance(node, list):
        for item in node:
            _walk_jsonld(item, out, kind)
        return
    if not isinstance(node, dict):
        return
    kind = str(node.get("@type") or kind)
    for key, role in (
        ("datePublished", "published"),
        ("dateCreated", "published"),
        ("dateModified", "updated"),
    ):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            out.append(DateCandidate(value.strip(), "jsonld", role, f"{kind}.{key}" if kind else key))
    for key, value in node.items():
        if key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement") or isinstance(value, list):
            _walk_jsonld(value, out, kind)


def _jsonld_candidates(tree) -> list[DateCandidate]:
    out: list[DateCandidate] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", text), strict=False)
            except ValueError:
                continue
        _walk_jsonld(data, out)
    return out


def _meta_candidates(tree) -> list[DateCandidate]:
    out: list[DateCandidate] = []
    for meta in tree.iter("meta"):
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (meta.get(attr) or "").strip().lower()
            role = _META_ROLE.get(key)
            if role:
                out.append(DateCandidate(content, "meta", role, f"{attr}={meta.get(attr)}"))
                break
    return out


#: ``<time datetime>`` elements and the itemprop date attributes, in document order (one scan;
#: comparing attribute values, not elements, keeps libxml2 fast).
_TIME_XPATH = "//time[@datetime] | //@itemprop[.='datePublished' or .='dateModified' or .='dateCreated']"


def _time_elements(tree) -> list:
    """The elements ``//time[@datetime] | //*[@itemprop=<a date>][not(self::meta)]``, in document order."""
    out: list = []
    seen: set = set()
    for node in tree.xpath(_TIME_XPATH):
        if isinstance(node, str):  # an itemprop attribute: its element, unless a <meta>
            node = node.getparent()
            if node is None or node.tag == "meta":
                continue
        if node not in seen:
            seen.add(node)
            out.append(node)
    return out


def _time_candidates(tree, article_root, keep: frozenset) -> list[DateCandidate]:
    """``<time datetime>`` and itemprop date elements outside sidebars and related lists."""
    out: list[DateCandidate] = []
    for el in _time_elements(tree):
        raw = (el.get("datetime") or el.get("content") or el.text_content() or "").strip()
        if not raw or _excluded(el, article_root, keep):
            continue
        prop = el.get("itemprop") or ""
        role = _element_role(el) if not prop else ("updated" if prop == "dateModified" else "published")
        out.append(DateCandidate(raw, "time", role, f"itemprop={prop}" if prop else _describe(el)))
    return out


def _element_role(el) -> str:
    """``updated`` for an element marked as the update time (WordPress ``time.updated``)."""
    prop = el.get("itemprop")
    if prop in ("dateModified", "datePublished", "dateCreated"):
        return "updated" if prop == "dateModified" else "published"
    names = _classes(el)
    if _UPDATED_RE.search(names) and "publish" not in names:
        return "updated"
    return "published"


def _own_text(el) -> str:
    """The element's own text and its children's tails, each stripped, joined by one space."""
    text = el.text
    parts = [text.strip()] if text else []
    for child in el:
        tail = child.tail
        if tail:
            parts.append(tail.strip())
    return " ".join(p for p in parts if p)


def _index_of(nodes: list, el) -> int | None:
    """The position of ``el`` in ``nodes`` (by identity), or None."""
    if el is None:
        return None
    try:
        return nodes.index(el)
    except ValueError:
        return None


def _visible_window(count: int, h_idx: int | None, root_idx: int | None):
    """The node positions that can score as a visible date line, in document order.

    A date line only counts when it is near the headline or the top of the article body
    (see the anchoring rules of :func:`_visible_candidates`); nodes elsewhere can never
    count, so they are not looked at. With neither a headline nor a body every node is
    a candidate.
    """
    if h_idx is None and root_idx is None:
        return range(count)
    wanted: set[int] = set()
    if h_idx is not None:
        wanted.update(range(max(0, h_idx - BEFORE_HEADLINE), min(count, h_idx + NEAR_HEADLINE + 1)))
    if root_idx is not None:
        wanted.update(range(max(0, root_idx - ABOVE_BODY), min(count, root_idx + BODY_HEAD + 1)))
    return sorted(wanted)


def _visible_candidates(tree, article_root, headline, keep: frozenset) -> list[DateCandidate]:
    """The article's visible date line(s): near the headline, byline or article body, best first."""
    nodes = list(tree.iter())  # document order; an element's index is its position here
    h_idx = _index_of(nodes, headline)
    root_idx = _index_of(nodes, article_root)
    scored: list[tuple[float, int, DateCandidate]] = []
    seen: set[str] = set()
    anchor = datetime.now(UTC)
    limit = anchor + timedelta(days=36500)
    unanchored = h_idx is None and root_idx is None
    for idx in _visible_window(len(nodes), h_idx, root_idx):
        el = nodes[idx]
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            continue
        if unanchored and not _date_classed(el):
            continue  # nothing to measure against: only a date-classed element can count
        if len(el):
            own = _own_text(el)
        else:  # a leaf: its own text is its text
            own = el.text
            if not own:
                continue
            own = own.strip()
        if not own or len(own) > MAX_DATE_LINE * 2 or not _DATEISH_RE.search(own):
            continue
        text = " ".join(el.text_content().split())
        if len(text) > MAX_DATE_LINE:
            text = own
        if len(text) > MAX_DATE_LINE or text in seen or _excluded(el, article_root, keep):
            continue
        if _parse(text, UTC, anchor, limit) is None:
            continue
        score = 0.0
        anchored = False  # near the headline or the top of the body: else a masthead or list date
        if _date_classed(el):
            score += SCORE_DATE_CLASS
        if h_idx is not None:
            dist = idx - h_idx
            if 0 < dist <= NEAR_HEADLINE:
                score += SCORE_AFTER_HEADLINE * (1 - dist / (NEAR_HEADLINE * SCORE_AFTER_HEADLINE))
                anchored = True
            elif -BEFORE_HEADLINE <= dist < 0:
                score += SCORE_BEFORE_HEADLINE
                anchored = True
        if root_idx is not None:
            if article_root in el.iterancestors():
                if idx - root_idx <= BODY_HEAD:
                    score += SCORE_NEAR_BODY
                    anchored = True
            elif 0 < root_idx - idx <= ABOVE_BODY:
                score += SCORE_NEAR_BODY
                anchored = True
        if h_idx is None and root_idx is None:
            anchored = score > 0  # nothing to measure against: trust a date-classed element
        if not anchored:
            continue
        if re.search(r"\d[:.]\d\d", text):
            score += SCORE_HAS_TIME
        seen.add(text)
        marker = _UPDATED_RE.search(text)
        if marker is None:
            scored.append((score, idx, DateCandidate(text, "visible", _element_role(el), _describe(el))))
            continue
        before, after = text[: marker.start()].strip(" |,-"), text[marker.start() :]
        if before and _parse(before, UTC, anchor, limit) is not None:
            # "Dipublikasikan 28/11/2019 10:00 WIB | Diperbarui 28/11/2019 15:00 WIB": two dates
            scored.append((score, idx, DateCandidate(before, "visible", "published", _describe(el))))
        scored.append((score, idx, DateCandidate(after, "visible", "updated", _describe(el))))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [cand for _, _, cand in scored[:MAX_VISIBLE]]


def _url_candidates(url: str | None) -> list[DateCandidate]:
    if not url:
        return []
    path = url.split("?", 1)[0].split("#", 1)[0]
    m = _URL_DAY_RE.search(path)
    if m:
        return [
            DateCandidate(
                f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", "url", "published", m.group(0)
            )
        ]
    m = _URL_COMPACT_RE.search(path)
    if m:
        return [DateCandidate(f"{m.group(1)}-{m.group(2)}-{m.group(3)}", "url", "published", m.group(0))]
    return []


def gather_date_candidates(
    tree, url: str | None, *, article_root=None, profile_selector: str | None = None
) -> list[DateCandidate]:
    """Every date a page offers for its publication and update time, unread.

    :param tree: the page's lxml.html root element (parsed once by the extractor).
    :param url: the page URL; a ``/2019/11/28/`` path gives a day candidate.
    :param article_root: the element the extractor chose as the article body, if any;
        the visible date line is looked for near the headline, the byline and this element.
    :param profile_selector: a CSS selector from the site's profile for its date line.
    :returns: candidates in the order: profile, visible (best first), time, JSON-LD, meta, URL.
    :raises: nothing; a page without dates gives an empty list.

    Example usage:

    >>> import lxml.html
    >>> page = lxml.html.fromstring(
    ...     '<html><head><meta name="pubdate" content="2019-11-28 T14:30:00Z"></head><body>'
    ...     '<h1>Koperasi nelayan Lebak bangkit lagi</h1>'
    ...     '<div class="date">Kamis, 28/11/2019 14:30 WIB</div><p>Isi berita.</p></body></html>')
    >>> for c in gather_date_candidates(page, "https://kabarlebak.example/read/2019/11/28/koperasi"):
    ...     print(c.source, c.role, repr(c.raw))
    visible published 'Kamis, 28/11/2019 14:30 WIB'
    meta published '2019-11-28 T14:30:00Z'
    url published '2019-11-28'
    """
    out: list[DateCandidate] = []
    if profile_selector:
        try:
            found = tree.cssselect(profile_selector)
        except Exception:  # a bad selector in a profile must not stop the page
            found = []
        for el in found[:2]:
            raw = el.get("datetime") or el.get("content") or " ".join(el.text_content().split())
            if raw:
                role = "updated" if _UPDATED_RE.search(raw) else "published"
                out.append(DateCandidate(raw, "profile", role, profile_selector))
    headline = _find_headline(tree)
    keep = frozenset(headline.iterancestors()) if headline is not None else frozenset()
    out.extend(_visible_candidates(tree, article_root, headline, keep))
    out.extend(_time_candidates(tree, article_root, keep))
    out.extend(_jsonld_candidates(tree))
    out.extend(_meta_candidates(tree))
    out.extend(_url_candidates(url))
    return out


# -- choosing ---------------------------------------------------------------


def _wall(value: datetime) -> datetime:
    return value.replace(tzinfo=None, second=0, microsecond=0)


def _offset_minutes(value: datetime) -> int:
    return int(value.utcoffset().total_seconds() // 60)


def _relative_unit(raw: str) -> timedelta | None:
    """How approximate a relative visible date is ("2 jam lalu" is right to the hour)."""
    s = raw.lower()
    if not (_RELATIVE_RE.search(s) or _JUST_NOW_RE.search(s) or _DAY_WORD_RE.search(s)):
        return None
    if re.search(r"detik|menit|mnt|second|minute|baru|just", s):
        return timedelta(minutes=2)
    if re.search(r"jam|hour", s):
        return timedelta(hours=1)
    return timedelta(days=1)


def _local_day(value: datetime | date, tz: str) -> date:
    return to_site_zone(value, tz).date() if isinstance(value, datetime) else value


def _as_site_wall(value: datetime, tz: str) -> datetime:
    """``value``'s wall clock read in the site's zone (for a mislabelled zone)."""
    naive = value.replace(tzinfo=None)
    return to_site_zone(naive.replace(tzinfo=_zone(tz)), tz)


def _choose(
    items: list[tuple[DateCandidate, datetime | date]],
    tz: str,
    url_day: date | None,
    bad_offsets: set[int],
    stated: set[int],
) -> DatePick:
    visible = [(c, v) for c, v in items if c.source in ("profile", "visible")]
    structured = sorted(
        ((c, v) for c, v in items if c.source in _STRUCTURED_ORDER),
        key=lambda cv: _STRUCTURED_ORDER[cv[0].source],
    )
    # Wall-clock consensus: structured times with the same wall clock but different zone
    # labels (merdeka's "GMT" and "-07:00" for WIB) are wall-clock times in the site's zone.
    times = [v for _, v in structured if isinstance(v, datetime)]
    for v in times:
        for v2 in times:
            if _wall(v) == _wall(v2) and v.utcoffset() != v2.utcoffset():
                for w in (v, v2):
                    if w.utcoffset() != site_offset(w, tz).utcoffset(None):
                        bad_offsets.add(_offset_minutes(w))

    def fix(v: datetime | date) -> datetime | date:
        if isinstance(v, datetime) and _offset_minutes(v) in bad_offsets:
            return _as_site_wall(v, tz)
        return v

    structured = [(c, fix(v)) for c, v in structured]

    if visible:
        vc, vv = visible[0]
        if isinstance(vv, datetime):
            approx = _relative_unit(vc.raw)
            for c, v in structured:
                if not isinstance(v, datetime):
                    continue
                if approx is not None:
                    if abs(v - vv) <= approx:
                        return DatePick(to_site_zone(v, tz), c.raw, c.source)
                    continue
                if abs(v - vv) < timedelta(minutes=1) or _wall(to_site_zone(v, tz)) == _wall(
                    to_site_zone(vv, tz)
                ):
                    return DatePick(to_site_zone(v, tz), c.raw, c.source)
                if _wall(v) == _wall(vv) and v.utcoffset() != vv.utcoffset():
                    if id(vc) not in stated:
                        # The visible clock names no zone: the structured offset says which it is.
                        return DatePick(to_site_zone(v, tz), c.raw, c.source)
                    # The same wall clock under another label than the visible zone it names:
                    # the label is wrong (WIB written as "Z" or "-07:00").
                    bad_offsets.add(_offset_minutes(v))
                    fixed = vv.replace(second=v.second)
                    return DatePick(to_site_zone(fixed, tz), c.raw, c.source)
            return DatePick(to_site_zone(vv, tz), vc.raw, vc.source)
        # A day-only visible date: take the time of a structured value on that day.
        for c, v in structured:
            if isinstance(v, datetime) and _local_day(v, tz) == vv:
                return DatePick(to_site_zone(v, tz), c.raw, c.source)
        return DatePick(vv, vc.raw, vc.source)

    for c, v in structured:
        if url_day is not None and isinstance(v, datetime) and _local_day(v, tz) != url_day:
            wall = _as_site_wall(v, tz)
            if wall.date() == url_day:
                return DatePick(wall, c.raw, c.source)
            continue  # another article's time
        return DatePick(to_site_zone(v, tz), c.raw, c.source)
    urls = [(c, v) for c, v in items if c.source == "url"]
    if urls:
        return DatePick(urls[0][1], urls[0][0].raw, "url")
    return DatePick(None, None, None)


def pick_dates(
    candidates: list[DateCandidate], *, tz: str, now: datetime | None
) -> tuple[DatePick, DatePick]:
    """Choose a page's published and updated dates from its candidates.

    The visible date line is the authority: a meta or JSON-LD value that agrees with
    it (same instant) lends its seconds; one that shows the same wall clock under
    another zone label (WIB written as "Z", "GMT" or "-07:00") is read as the site's
    wall clock; one that disagrees otherwise loses. A day-only visible date takes the
    time of a structured value on the same day. Without a visible date, structured
    values on another day than the URL's day are ignored (they belong to another
    article) and the URL day is the last resort.

    :param candidates: from :func:`gather_date_candidates`.
    :param tz: the site's IANA zone; returned datetimes carry its fixed offset.
    :param now: the page's fetch time: anchors relative dates; values more than a
        day after it are dropped. None means the current clock.
    :returns: ``(published, updated)``, each a :class:`DatePick` (value None when unknown).
    :raises: nothing.

    Example usage:

    >>> cands = [DateCandidate("Kamis, 28/11/2019 14:30 WIB", "visible", "published"),
    ...          DateCandidate("2019-11-28T14:30:12Z", "meta", "published", "name=pubdate"),
    ...          DateCandidate("2019-11-28T16:05:00Z", "meta", "updated", "property=article:modified_time")]
    >>> published, updated = pick_dates(cands, tz="Asia/Jakarta", now=datetime(2019, 11, 29))
    >>> published.value.isoformat(), published.source
    ('2019-11-28T14:30:12+07:00', 'meta')
    >>> updated.value.isoformat()
    '2019-11-28T16:05:00+07:00'
    """
    anchor = _anchor(now, tz)
    limit = anchor + FUTURE_TOLERANCE if now is not None else datetime.now(anchor.tzinfo) + FUTURE_TOLERANCE
    parsed: dict[str, list[tuple[DateCandidate, datetime | date]]] = {"published": [], "updated": []}
    url_day: date | None = None
    site_zone = _zone(tz)
    stated: set[int] = set()  # ids of values whose string named their own zone
    for cand in candidates:
        value = _parse(cand.raw, None, anchor, limit)
        if value is None:
            continue
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=site_zone)
                if value > limit:
                    continue
            else:
                stated.add(id(cand))
        if cand.source == "url" and url_day is None:
            url_day = _local_day(value, tz)
        parsed.setdefault(cand.role, []).append((cand, value))
    bad_offsets: set[int] = set()
    published = _choose(parsed["published"], tz, url_day, bad_offsets, stated)
    updated = _choose(parsed["updated"], tz, None, bad_offsets, stated)
    return published, updated


def normalize_date(text: str, *, tz: str = "Asia/Jakarta", now: datetime | None = None) -> str:
    """The ISO 8601 text of a date string (``YYYY-MM-DD`` for a day), strictly.

    :param text: the date string, as for :func:`parse_date`.
    :param tz: the site's IANA zone.
    :param now: the anchor for relative forms (the page's fetch time).
    :raises UnparseableDate: when ``text`` is not a plausible date.

    Example usage:

    >>> normalize_date("Selasa, 16 Feb 2016 - 11:00 WIB")
    '2016-02-16T11:00:00+07:00'
    >>> normalize_date("Rabu (18/52025)")
    Traceback (most recent call last):
    ...
    pipelines.errors.UnparseableDate: not a date: 'Rabu (18/52025)'
    """
    value = parse_date(text, tz=tz, now=now)
    if value is None:
        from .errors import UnparseableDate

        raise UnparseableDate(text)
    return value.isoformat()
