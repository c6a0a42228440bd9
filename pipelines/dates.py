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
import itertools
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import etree

__all__ = [
    "DateCandidate",
    "DatePick",
    "gather_date_candidates",
    "PageContext",
    "normalize_date",
    "page_context",
    "page_dates",
    "parse_date",
    "pick_dates",
]

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

#: Month names as printed on Indonesian sites (full, abbreviated, old spellings) and in English,
#: then the other languages of the pages warta meets (German, Dutch, French, Spanish, Italian,
#: Portuguese; Swedish, Danish and Norwegian; Polish, Czech, Russian and Ukrainian in the
#: genitive a day takes, "12 marca", "12 марта", and the nominative; Turkish, with and without
#: its dotless i). Abbreviations that are common words elsewhere ("ago", "set", "out") are left
#: out, and so are names with two meanings (Croatian "listopad" is October, Polish November).
MONTHS = {
    1: ("januari", "january", "jan", "janv", "januar", "jänner", "janvier", "enero", "ene", "gennaio", "janeiro",
        "styczeń", "stycznia", "ledna", "leden", "января", "январь", "янв", "січня", "ocak"),
    2: ("februari", "pebruari", "february", "febuari", "feb", "peb", "febr", "februar", "février", "fevrier",
        "févr", "febrero", "febbraio", "fevereiro",
        "luty", "lutego", "února", "únor", "unora", "февраля", "февраль", "фев", "лютого", "şubat", "subat"),
    3: ("maret", "march", "mar", "mrt", "märz", "maerz", "mär", "maart", "mars", "marzo", "março", "marco",
        "marca", "marzec", "března", "březen", "brezna", "marts", "марта", "март", "мар", "березня", "mart"),
    4: ("april", "apr", "apl", "avril", "avr", "abril", "abr", "aprile",
        "kwietnia", "kwiecień", "dubna", "duben", "апреля", "апрель", "апр", "квітня", "nisan"),
    5: ("mei", "may", "mai", "mayo", "maggio", "maio",
        "maja", "maj", "května", "kvetna", "мая", "май", "травня", "mayıs", "mayis"),
    6: ("juni", "june", "jun", "juin", "junio", "giugno", "junho",
        "czerwca", "czerwiec", "června", "cervna", "июня", "июнь", "июн", "червня", "haziran"),
    7: ("juli", "july", "jul", "juillet", "juil", "julio", "luglio", "julho",
        "lipca", "lipiec", "července", "cervence", "июля", "июль", "июл", "липня", "temmuz"),
    8: ("agustus", "august", "agust", "agus", "agt", "agu", "ags", "aug", "augustus", "août", "aout", "agosto",
        "augusti", "sierpnia", "sierpień", "srpna", "августа", "август", "авг", "серпня", "ağustos", "agustos"),
    9: ("september", "sept", "sep", "spt", "septembre", "septiembre", "setiembre", "settembre", "setembro",
        "września", "wrzesień", "wrzesnia", "září", "zari", "сентября", "сентябрь", "сен", "вересня", "eylül", "eylul"),
    10: ("oktober", "october", "okt", "oct", "octobre", "octubre", "ottobre", "outubro",
        "października", "październik", "pazdziernika", "října", "rijna", "октября", "октябрь", "окт", "жовтня", "ekim"),
    11: ("november", "nopember", "nov", "nop", "novembre", "noviembre", "novembro",
        "listopada", "listopadu", "листопада", "ноября", "ноябрь", "ноя", "kasım", "kasim"),
    12: ("desember", "december", "des", "dec", "dezember", "dez", "décembre", "déc", "diciembre", "dic",
         "dicembre", "dezembro",
        "grudnia", "grudzień", "prosince", "декабря", "декабрь", "дек", "грудня", "aralık", "aralik"),
}
_MONTH_NUMBER = {name: number for number, names in MONTHS.items() for name in names}

#: Zone words and their UTC offsets in hours. WIB/WITA/WIT are Indonesia's three zones.
ZONE_WORDS = {"wib": 7, "wita": 8, "wit": 9, "gmt": 0, "utc": 0, "ut": 0, "z": 0}
#: Other zone abbreviations printed after a clock ("10:31 pm CST", "17:47 MESZ"), in hours.
#: Only those with one meaning and one offset; "ET"/"PT" (offset depends on the date) and
#: words of other languages ("et", "west") are left out.
ZONE_WORDS.update({
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "akst": -9, "akdt": -8, "hst": -10, "bst": 1, "cet": 1, "cest": 2, "mez": 1, "mesz": 2, "eet": 2,
    "eest": 3, "msk": 3, "jst": 9, "kst": 9, "hkt": 8, "sgt": 8, "aest": 10, "aedt": 11, "awst": 8,
    "nzst": 12, "nzdt": 13,
})  # fmt: skip

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
_ZONE_ALT = "|".join(sorted(ZONE_WORDS, key=len, reverse=True))

# 2019-11-28T14:30:00+07:00, 2019-11-28 14:30, "2015-11-05 T10:08:58Z", 2019/11/28
_ISO_RE = re.compile(
    r"(?<![\d/.-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d.])"
    r"(?:(?:\s*t\s*|\s+|t)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(?:\s*(z\b|(?:utc|gmt)\b|[+-]\d{2}(?::?\d{2})?(?!\d)))?)?"
)
# 28/11/2019, 28-11-2019, 28.11.2019, 28/11/19, (15/6) -- always day first
_NUM_RE = re.compile(r"(?<![\d/])(?<!\d[.:-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d+))?(?![\d/])")
# 28 November 2019, 28 Nov '19, 28-Nov-2019, 15 Juni
_DMY_RE = re.compile(
    rf"(?<![\d.:])(\d{{1,2}})(?:st|nd|rd|th|er|º)?[\s./,-]*(?:bulan\s+|de\s+|del\s+)?({_MONTH_ALT})(?![^\W\d_])\.?"
    rf"(?:[\s/,-]*(?:tahun\s+|de\s+|del\s+)?'?(\d+))?"
)
# November 28, 2019 (English template)
_MDY_RE = re.compile(rf"\b({_MONTH_ALT})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)")
# 14:30, 19.30, 10:08:58, 2:30 pm
_TIME_RE = re.compile(
    r"(?<![\d.:/])(\d{1,2})(?:[:.]|h(?=\d\d))(\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?(?![\d]|[.:]\d)(?:\s*([ap])\.?m\b\.?)?"
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
_FULL_NUMERIC_RE = re.compile(r"(?<!\d)\d{1,4}([./-])\d{1,2}\1\d{2,4}(?!\d)")
# What makes a year-less "28/11" a date: an opening parenthesis or a weekday right before it.
_YEARLESS_CONTEXT_RE = re.compile(
    r"(?:\(|(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?)\s*\(?\s*$"
)
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
    if not text.isascii():  # 2024年3月14日 21時37分, 2024년 3월 14일: written as 2024-3-14 21:37
        text = _CJK_DATE_RE.sub(r"\1-\2-\3 ", text)
        text = _CJK_TIME_RE.sub(r"\1:\2", text)
    return _SPACE_RE.sub(" ", text).strip()


_CJK_DATE_RE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_CJK_TIME_RE = re.compile(r"(\d{1,2})\s*[時时시]\s*(\d{1,2})\s*[分분]")


def _find_date(s: str, month_first: bool = False) -> tuple | None:
    """The earliest valid calendar date in ``s``; numeric dates day first, or month first
    when ``month_first`` (a US English page). A reading that is not a calendar day is
    rejected, never read the other way round.

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
            zone = m.group(9)
            offset = _offset_of(zone) if zone else _read_zone(s, m.end())[0]  # "2019-11-28 14:30 WIB"
            hour, minute, second = int(m.group(5)), int(m.group(6)), int(m.group(7) or 0)
            if hour <= 23 and minute <= 59 and second <= 60:
                clock = (hour, minute, min(second, 59), offset, _micro(m.group(8)))
        if _valid_day(y, mo, d):
            found.append((m.start(), m.end(), y, mo, d, False, clock))
            break
    if found and found[0][0] == 0:
        return found[0]  # a dated string from its first character on (markup values): nothing is earlier

    for m in _NUM_RE.finditer(s):
        d, sep, mo, raw_year = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
        if month_first:
            d, mo = mo, d
        if raw_year is None and sep != "/":
            continue  # 19.30 is a time, 10-12 a range
        if raw_year is None and not _YEARLESS_CONTEXT_RE.search(s, 0, m.start()):
            continue  # "1/4 cup", "1/2": a fraction; "Kamis (28/11)" is a date
        if raw_year is not None and len(raw_year) not in (2, 4):
            continue  # "4/11/205": a typo, not a year
        if raw_year is not None and len(raw_year) == 2 and s[m.end() : m.end() + 1] == ":":
            continue
        y = int(raw_year) if raw_year else None
        two = raw_year is not None and len(raw_year) == 2
        if y is not None and not two and y < MIN_YEAR:
            continue  # a Hijri year ("01/04/1441 H") or similar
        if y is not None:
            d, mo = _weekday_order(s, m, y + (2000 if two else 0), d, mo)
        if _valid_day(y if (y and not two) else 2000, mo, d):
            found.append((m.start(), m.end(), y, mo, d, two, None))
            break
    if found:
        first = min(found, key=lambda f: (f[0], f[2] is None))
        if first[0] == 0 and first[2] is not None:
            return first

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


#: Weekday names (Monday is 0) that may precede a numeric date ("Thu, 03/14/2019", "Kamis, 14/03/2019").
WEEKDAYS = {
    0: ("monday", "mon", "montag", "maandag", "lundi", "lunes", "lunedì", "lunedi", "segunda-feira", "senin"),
    1: ("tuesday", "tue", "tues", "dienstag", "dinsdag", "mardi", "martes", "martedì", "martedi", "terça-feira",
        "terca-feira", "selasa"),
    2: ("wednesday", "wed", "mittwoch", "woensdag", "mercredi", "miércoles", "miercoles", "mercoledì",
        "mercoledi", "quarta-feira", "rabu"),
    3: ("thursday", "thu", "thur", "thurs", "donnerstag", "donderdag", "jeudi", "jueves", "giovedì", "giovedi",
        "quinta-feira", "kamis"),
    4: ("friday", "fri", "freitag", "vrijdag", "vendredi", "viernes", "venerdì", "venerdi", "sexta-feira",
        "jumat", "jum'at"),
    5: ("saturday", "sat", "samstag", "sonnabend", "zaterdag", "samedi", "sábado", "sabado", "sabato", "sabtu"),
    6: ("sunday", "sun", "sonntag", "zondag", "dimanche", "domingo", "domenica", "minggu", "ahad"),
}
_WEEKDAY_NUMBER = {name: number for number, names in WEEKDAYS.items() for name in names}
_WEEKDAY_BEFORE_RE = re.compile(
    rf"(?<![^\W\d_])({'|'.join(sorted(map(re.escape, _WEEKDAY_NUMBER), key=len, reverse=True))})\.?,?\s*\(?\s*$"
)


#: Drupal's default "medium" date format, "Tue, 03/12/2019 - 10:22" (``D, m/d/Y - H:i``): month
#: first whatever the page's language, and so shaped that nothing else writes it.
_DRUPAL_MEDIUM_RE = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun), $")
_DRUPAL_CLOCK_RE = re.compile(r" - \d\d:\d\d(?!\d)")


def _weekday_order(s: str, m: re.Match, year: int, d: int, mo: int) -> tuple[int, int]:
    """``(day, month)`` of the numeric date ``m`` (read in the page's order), swapped only on
    evidence: the weekday printed before it names the other reading ("Thu, 03/14/2019" is
    14 March, a Thursday), or, when the weekday fits both, the date is written in Drupal's
    default format (:data:`_DRUPAL_MEDIUM_RE`). Otherwise the page's order stands."""
    start = m.start()
    before = _WEEKDAY_BEFORE_RE.search(s, max(0, start - 16), start)
    if before is None or not (1 <= d <= 12 and mo <= 31):
        return d, mo
    weekday = _WEEKDAY_NUMBER[before.group(1)]
    as_read = _valid_day(year, mo, d) and date(year, mo, d).weekday() == weekday
    swapped = _valid_day(year, d, mo) and date(year, d, mo).weekday() == weekday
    if swapped and not as_read:
        return mo, d
    if (swapped and m.group(2) == "/" and len(m.group(1)) == len(m.group(3)) == 2
            and _DRUPAL_MEDIUM_RE.search(s, max(0, start - 5), start) and _DRUPAL_CLOCK_RE.match(s, m.end())):
        return int(m.group(3)), int(m.group(1))  # as printed, month first
    return d, mo


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


def _find_time(s: str, start: int, end: int) -> tuple[int, int, int, int | None, int] | None:
    """A clock time in ``s[start:end]``: ``(hour, minute, second, offset_minutes, microsecond)``."""
    best = None
    m = _TIME_RE.search(s, start, end)
    if m:
        best = (m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3) or 0), m.group(5), m.end(),
                _micro(m.group(4)))
    h = _HOUR_RE.search(s, start, end)
    if h and (best is None or h.start() < best[0]):
        best = (h.start(), int(h.group(1) or h.group(2)), 0, 0, None, h.end(), 0)
    if best is None:
        return None
    _, hour, minute, second, ampm, pos, micro = best
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
    return hour, minute, min(second, 59), offset, micro


def _micro(digits: str | None) -> int:
    """Microseconds of a fraction of a second ("82" of "27.82" is 820000; ticks beyond 6 digits dropped)."""
    return int((digits or "0")[:6].ljust(6, "0"))


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


def _build(day: date, clock: tuple[int, int, int, int | None, int], zone) -> datetime:
    hour, minute, second, offset, micro = clock
    tzinfo = _fixed(offset) if offset is not None else zone
    return datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=tzinfo)


def parse_date(
    text: str, *, tz: str = "Asia/Jakarta", now: datetime | None = None, month_first: bool = False
) -> datetime | date | None:
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
    :param month_first: read numeric dates month/day/year (a US English page); a
        reading that is not a calendar day is rejected, never read the other way round.
    :raises: nothing; a string that is not a date gives None.

    Day numbers come first (28/11/2019 is 28 November) unless ``month_first``; a day
    name that disagrees with the numeric date is ignored.

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
    return _parse(text, anchor.tzinfo, anchor, limit, month_first)


class _Memo:
    """What the strings of one page read as, whatever the anchor and zone: a page's date lines
    are read when they are found and again when they are weighed. Lives for one page only."""

    __slots__ = ("found", "fallback")

    def __init__(self) -> None:
        self.found: dict[tuple[str, bool], tuple[str, tuple | None]] = {}
        self.fallback: dict[str, object] = {}


def _parse(
    text: str, zone, anchor: datetime, limit: datetime, month_first: bool = False, memo: _Memo | None = None
) -> datetime | date | None:
    """:func:`parse_date` with its anchor and latest acceptable moment resolved.

    ``zone`` is the tzinfo given to a wall clock that names no zone of its own; with
    None such a clock comes back naive, so the caller can tell a stated offset from
    an assumed one. ``memo`` keeps the page's readings (see :class:`_Memo`).
    """
    if memo is None:
        s = _normalize(text)
        found = _find_date(s, month_first) if s else None
    else:
        known = memo.found.get((text, month_first))
        if known is None:
            s = _normalize(text)
            known = memo.found[(text, month_first)] = (s, _find_date(s, month_first) if s else None)
        s, found = known
    if not s:
        return None

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
    if _FULL_NUMERIC_RE.search(s):
        return None  # "11.14.2019": a numeric date that is no calendar day, never a clock
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
        return _fallback(s, zone, limit, memo)
    return None


def _is_time_only(raw: str, memo: _Memo | None = None, month_first: bool = False) -> bool:
    """A clock without a day ("19.30", "pukul 8 malam WIB"): read alone, its day is only the
    fetch day's guess, so it never outweighs a day or an instant the page states."""
    known = memo.found.get((raw, month_first)) if memo is not None else None
    if known is None:
        s = _normalize(raw)
        found = _find_date(s, month_first) if s else None
    else:
        s, found = known
    if not s or found is not None or not any(ch.isdigit() for ch in s):
        return False
    return _TIME_ONLY_RE.match(s) is not None and not _is_relative(raw)


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


def _fallback(s: str, zone, limit: datetime, memo: _Memo | None = None) -> datetime | date | None:
    """dateparser's reading of ``s``, kept only when it names a day and is plausible (asked once a
    page: it costs about a millisecond a string)."""
    if memo is not None and s in memo.fallback:
        data = memo.fallback[s]
    else:
        try:
            data = _dateparser().get_date_data(s)
        except Exception:  # dateparser raises many types on odd input
            data = None
        if memo is not None:
            memo.fallback[s] = data
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
    says which field (a meta name, ``itemprop=datePublished``, ``div.date``). ``far``
    marks a visible line of the article's own element far from its head (a post
    footer): it is used only when the markup gives no date.
    """

    raw: str
    source: str
    role: str
    detail: str = ""
    far: bool = False  # a visible line far from the headline and the body's top (a post footer)


@dataclass
class DatePick:
    """The chosen date of one role: its value, the string and source it came from, and
    ``zone``, where its offset came from (one of the ``ZONE_*`` notes; None for a day)."""

    value: datetime | date | None
    raw: str | None
    source: str | None
    zone: str | None = None


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
    "citation_date",
    "citation_publication_date",
    "citation_online_date",
    "prism.publicationdate",
    "cxenseparse:recs:publishtime",
    "og:pubdate",
    "pub_date",
    "publication_date",
    "published_at",
    "publisheddate",
    "published",
    "article_date_original",
    "article.created",
    "date.created",
    "dcsext.articlefirstpublished",
    "rnews:datepublished",
    "dateposted",
    "date_published",
    "dc.date.publication",
    "dc.created",
    "dc:created",
    "dc:date",
    "displaydate",
    "doc_date",
    "og:publish_date",
    "og:datepublished",
    "pdate",
    "ptime",
    "rbpubdate",
    "release_date",
    "shareaholic:article_published_time",
    "twt-published-at",
    "vr:published_time",
    "mediator_published_time",
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
    "article:modified",
    "last-modified",
    "date.modified",
    "date.updated",
    "updated-date",
    "article_date_updated",
    "datelastpubbed",
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
    r"^\s*+(baca\s+juga|baca\s*:|berita\s+terkait|jangan\s+lewatkan|lihat\s+juga)", re.I
)
#: Words that open an "updated" line, in the languages of the pages warta meets. A line
#: they open is never the publication date ("Diperbarui", "Aktualisiert", "Stand:", ...).
_UPDATED_WORDS = (
    r"diperbarui|diupdate|update[d]?|pembaruan|modified|terakhir\s+diubah|last\s+updated|edited|revised"
    r"|aktualisiert|ge(?:ä|ae)ndert|stand\s*:|mis\s+(?:à|a)\s+jour|mise\s+(?:à|a)\s+jour|modifi(?:é|e)"
    r"|actualizad[oa]|actualizaci(?:ó|o)n|modificad[oa]|aggiornat[oa]|atualizad[oa]|bijgewerkt|gewijzigd"
    r"|oppdatert|uppdaterad|opdateret|p(?:ä|a)ivitetty|zaktualizowano|aktualizov(?:á|a)no"
    r"|обновлено|изменено|更新|수정|업데이트"
)
_UPDATED_RE = re.compile(rf"(?<!\w)(?:{_UPDATED_WORDS})(?!\w)", re.I)
# Pre-filter for visible text worth handing to parse_date: a numeric date, a number before
# a month name, or a relative word. It runs on the text of every element near the article,
# so it avoids one regular expression with every month name (re tries each alternative).
_DIGIT_RE = re.compile(r"\d")
_NUMERIC_DATEISH_RE = re.compile(r"\d{1,4}\s*[/.-]\s*\d{1,2}")
_NUMBER_WORD_RE = re.compile(r"\d(?:st|nd|rd|th|er)?[\s./,-]*(?:de\s+)?([^\W\d_]{3,12})")
_WORD_NUMBER_RE = re.compile(r"([^\W\d_]{3,12})\.?\s+\d")
_RELATIVE_WORD_RE = re.compile(r"\b(?:lalu|ago|kemarin|yesterday)\b", re.I)


def _dateish(text: str) -> bool:
    """True when ``text`` may hold a date: worth handing to the parser."""
    if _DIGIT_RE.search(text):
        if _NUMERIC_DATEISH_RE.search(text):
            return True
        for m in _NUMBER_WORD_RE.finditer(text):
            if m.group(1).lower() in _MONTH_NUMBER:
                return True
        for m in _WORD_NUMBER_RE.finditer(text):  # "November 19, 2019"
            if m.group(1).lower() in _MONTH_NUMBER:
                return True
    low = text.lower()
    if "lalu" in low or "ago" in low or "kemarin" in low or "yesterday" in low:
        return _RELATIVE_WORD_RE.search(text) is not None
    return False


_URL_DAY_RE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")
_URL_DASHED_RE = re.compile(r"/((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:/|$)")
_URL_MONTH_NAME_RE = re.compile(r"/((?:19|20)\d{2})/([a-z]{3,9})/(0?[1-9]|[12]\d|3[01])(?:/|$)")
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
#: Longest text of a date badge (a date split over child elements: "12 Mar 2019"), and most children.
MAX_DATE_BADGE = 40
MAX_BADGE_PARTS = 6


_TOKEN_SPLIT_RE = re.compile(r"[^a-z0-9]+")
_HAS_TIME_RE = re.compile(r"\d[:.]\d\d")


def _classes(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def _describe(el) -> str:
    cls = (el.get("class") or "").split()
    return el.tag + ("." + cls[0] if cls else "") + ("#" + el.get("id") if el.get("id") else "")


def _excluded(el, article_root=None, keep: frozenset = frozenset(), region=None, memo: dict | None = None) -> bool:
    """True when ``el`` sits in a sidebar, related list, footer, site header or read-also box.

    The search outwards stops at ``article_root`` and at ``keep`` (the containers of the
    headline): whatever class they carry, they hold the article. A footer inside
    ``region`` (the article element around the headline) is the article's own footer
    (Blogger's ``div.post-footer`` holds the post's ``datePublished``), not the site's.
    ``memo`` keeps each container's verdict for the other elements of one page.
    """
    if el.text and _READ_ALSO_RE.match(el.text):
        return True
    for anc in el.iterancestors():
        if anc is article_root or anc in keep:
            return False
        if memo is not None:
            verdict = memo.get(anc)
            if verdict is None:
                verdict = memo[anc] = _container_excludes(anc, region)
        else:
            verdict = _container_excludes(anc, region)
        if verdict:
            return True
    return False


def _container_excludes(anc, region) -> bool:
    """Whether the container ``anc`` holds things that are not the article (see :func:`_excluded`)."""
    tag = anc.tag if isinstance(anc.tag, str) else ""
    names = _classes(anc) if (anc.get("class") or anc.get("id")) else ""
    if (tag == "footer" or "footer" in names) and region is not None and _inside(anc, region):
        return False
    if tag in EXCLUDED_TAGS:
        return True
    if tag == "header" and not any(a.tag in ("article", "main") for a in anc.iterancestors()):
        return True
    if names and _names_exclude(names):
        return True
    if tag in ("li", "div", "section", "ul") and anc.text and _READ_ALSO_RE.match(anc.text):
        return True
    return tag == "li" and _is_teaser(anc)


@lru_cache(maxsize=4096)
def _names_exclude(names: str) -> bool:
    """Whether class/id names mark a container of things that are not the article (templates
    repeat their class strings: one verdict each)."""
    if any(stem in names for stem in EXCLUDED_CONTAINER_STEMS):
        return True
    return bool(EXCLUDED_CONTAINER_TOKENS.intersection(_TOKEN_SPLIT_RE.split(names)))


def _inside(el, container) -> bool:
    return any(a is container for a in el.iterancestors())


#: Class tokens of the element that holds one article (WordPress, Blogger, h-entry).
_ARTICLE_CLASS_TOKENS = {"post", "hentry", "h-entry", "entry", "article", "story", "post-outer"}


def _article_region(headline, article_root=None):
    """The element around the headline (else around or at the article body) that holds the whole
    article, or None.

    The nearest ``<article>``, schema.org Article item or element classed like one
    (``post``, ``hentry``, ``entry``); a page's itemprop dates anywhere inside it are
    the article's own, even in its footer.
    """
    if headline is None:
        if article_root is None:
            return None
        headline = article_root[0] if len(article_root) else article_root
        if headline is article_root:
            return None
    for anc in headline.iterancestors():
        if anc.tag in ("body", "html"):
            return None
        if anc.tag == "article" or "Article" in (anc.get("itemtype") or "") or "Posting" in (
            anc.get("itemtype") or ""
        ):
            return anc
        if _ARTICLE_CLASS_TOKENS.intersection((anc.get("class") or "").lower().split()):
            return anc
    return None


def _is_teaser(el) -> bool:
    """A list item linking to another article (its headline is a long link text)."""
    for a in el.iter("a"):
        if a.get("href") and len((a.text_content() or "").strip()) >= 20:
            return True
    return False


def _date_classed(el) -> bool:
    for node in (el, el.getparent()):
        if node is None:
            continue
        cls, ident = node.get("class"), node.get("id")
        if (cls and _names_date(cls)) or (ident and _names_date(ident)):
            return True
    return False


def _names_date(names: str) -> bool:
    """Whether a class or id value marks a date line."""
    return _DATE_CLASS_RE.search(names) is not None


_DATE_CLASS_RE = re.compile("|".join(DATE_CLASS_STEMS), re.I)


def _find_headline(tree):
    """The article headline element: the h1, h2 or h3 (Blogger's ``h3.post-title``) that
    repeats the page title, else the first long h1."""
    title = ""
    head = tree.find("head")
    if head is not None:
        got = _OG_TITLE_XPATH(head) or _TITLE_XPATH(head)
        if got:
            title = " ".join(str(got[0]).split()).lower()
    first_h1 = short = None
    for h in tree.iter("h1", "h2", "h3"):
        text = " ".join(h.text_content().split()).lower()
        if len(text) < 15:
            # a short headline ("Kiln day") counts only as the title's whole first part ("Kiln day | Journal")
            if short is None and title and len(text) >= 4 and title.startswith(text) and (
                title[len(text):].lstrip()[:1] in _TITLE_SEPARATORS
            ):
                short = h
            continue
        if title and text[:40] in title:
            return h
        if first_h1 is None and h.tag == "h1":
            first_h1 = h
    return short if short is not None else first_h1


#: What separates a page title's headline from the site name ("Kiln day | Pottery Studio"); "" is the end.
_TITLE_SEPARATORS = ("", "|", "-", "\u2013", "\u2014", ":", "\u00b7", "\u00bb", "\u2022", "/")


_OG_TITLE_XPATH = etree.XPath("meta[@property='og:title']/@content")
_TITLE_XPATH = etree.XPath("title/text()")


#: JSON-LD types whose dates are never the page's (a photo, a clip, a comment, a person).
_JSONLD_OTHER_TYPES = ("ImageObject", "VideoObject", "AudioObject", "MediaObject", "Comment", "Clip",
                       "Photograph", "Person", "Organization", "Event", "Product", "Review", "Offer")
#: Keys under which a JSON-LD document nests the page's own item.
_JSONLD_NESTING = ("@graph", "mainEntity", "mainEntityOfPage")


def _walk_jsonld(node, out: list[DateCandidate], depth: int = 0) -> None:
    """Dates of the items of a JSON-LD document: top-level items, ``@graph`` members and the
    ``mainEntity``; never nested parts (a live blog's updates, an image's, a comment's)."""
    if isinstance(node, list):
        for item in node:
            _walk_jsonld(item, out, depth)
        return
    if not isinstance(node, dict) or depth > 3:
        return
    kind = node.get("@type") or ""
    kind = " ".join(kind) if isinstance(kind, list) else str(kind)
    if not any(other in kind for other in _JSONLD_OTHER_TYPES):
        for key, role in (
            ("datePublished", "published"),
            ("dateCreated", "published"),
            ("dateModified", "updated"),
        ):
            value = node.get(key)
            if isinstance(value, str) and value.strip():
                out.append(DateCandidate(value.strip(), "jsonld", role, f"{kind}.{key}" if kind else key))
    for key in _JSONLD_NESTING:
        if key in node:
            _walk_jsonld(node[key], out, depth + 1)


_TRAILING_COMMA_RE = re.compile(r",\s*([}\]])")


def _jsonld_candidates(tree, scripts: list | None = None) -> list[DateCandidate]:
    """Dates of the page's JSON-LD. ``scripts``: the ``application/ld+json`` scripts as
    :func:`pipelines.metadata.read_metadata` read them (``Metadata.ld_scripts``), else read here."""
    if scripts is None:
        scripts = [((script.text or "").strip(), ...) for script in tree.getroottree().getroot().iter("script")
                   if script.get("type") == "application/ld+json"]  # every script of the document
    out: list[DateCandidate] = []
    for text, data in scripts:
        if not text:
            continue
        if data is ...:
            try:
                data = json.loads(text, strict=False)
            except ValueError:
                try:
                    data = json.loads(_TRAILING_COMMA_RE.sub(r"\1", text), strict=False)
                except ValueError:
                    continue
        _walk_jsonld(data, out)
    return out


def _meta_candidates(tree, tags: list | None = None) -> list[DateCandidate]:
    """Dates of the page's meta tags. ``tags``: ``(property, name, itemprop, content)`` of each
    ``<meta>`` as :func:`pipelines.metadata.read_metadata` read them, else read here."""
    if tags is None:
        tags = [(m.get("property"), m.get("name"), m.get("itemprop"), m.get("content")) for m in tree.iter("meta")]
    out: list[DateCandidate] = []
    for prop, name, itemprop, content in tags:
        content = (content or "").strip()
        if not content:
            continue
        for attr, value in (("property", prop), ("name", name), ("itemprop", itemprop)):
            role = _META_ROLE.get((value or "").strip().lower())
            if role:
                out.append(DateCandidate(content, "meta", role, f"{attr}={value}"))
                break
    return out


#: ``<time datetime>`` elements and the itemprop date attributes, in document order (one scan;
#: comparing attribute values, not elements, keeps libxml2 fast; ``/descendant::x`` selects what
#: ``//x`` does without visiting every text node on the way).
_TIME_XPATH = etree.XPath("/descendant::time[@datetime] | /descendant::*/@itemprop[.='datePublished' or "
                          ".='dateModified' or .='dateCreated']")
#: RDFa date properties on page elements (Drupal 7 writes ``<span property="dc:date dc:created"
#: content="...">`` around its "Submitted by" line), by role.
_RDFA_XPATH = etree.XPath("/descendant::*[@content]/@property[contains(., 'dc:') or contains(., 'dcterms:')]")
_RDFA_DATE_RE = re.compile(r"(?:^|\s)(?:dc|dcterms):(date|created|issued|modified)(?:\s|$)")


def _time_elements(tree) -> list:
    """The elements ``//time[@datetime] | //*[@itemprop=<a date>][not(self::meta)]``, in document order."""
    out: list = []
    seen: set = set()
    for node in _TIME_XPATH(tree):
        if isinstance(node, str):  # an itemprop attribute: its element, unless a <meta>
            node = node.getparent()
            if node is None or node.tag == "meta":
                continue
        if node not in seen:
            seen.add(node)
            out.append(node)
    return out


def _time_candidates(tree, article_root, keep: frozenset, region=None) -> list[DateCandidate]:
    """``<time datetime>`` and itemprop date elements outside sidebars and related lists."""
    out: list[DateCandidate] = []
    memo: dict = {}
    for el in _time_elements(tree):
        raw = (el.get("datetime") or el.get("content") or el.get("title") or el.text_content() or "").strip()
        if not raw or _excluded(el, article_root, keep, region, memo):
            continue
        prop = el.get("itemprop") or ""
        out.append(DateCandidate(raw, "time", _element_role(el), f"itemprop={prop}" if prop else _describe(el)))
    return out


def _rdfa_candidates(tree, article_root, keep: frozenset, region=None) -> list[DateCandidate]:
    """RDFa Dublin Core dates of page elements (not ``<meta>``): ``property="dc:date dc:created"``
    with the date in ``content``, outside sidebars and related lists."""
    out: list[DateCandidate] = []
    for attr in _RDFA_XPATH(tree):
        m = _RDFA_DATE_RE.search(attr)
        el = attr.getparent()
        if m is None or el is None or el.tag == "meta":
            continue
        raw = (el.get("content") or "").strip()
        if raw and not _excluded(el, article_root, keep, region):
            role = "updated" if m.group(1) == "modified" else "published"
            out.append(DateCandidate(raw, "time", role, f"property={attr}"))
    return out


#: Microformat date elements (hAtom ``abbr.published[title]``, h-entry ``dt-published``).
_MICROFORMAT_XPATH = "//@class[contains(., 'published') or contains(., 'updated')]"
_MICROFORMAT_RE = re.compile(r"(?<![\w-])(?:dt-)?(published|updated)(?![\w-])")


def _microformat_candidates(tree, article_root, keep: frozenset, region=None) -> list[DateCandidate]:
    """hAtom and h-entry dates: the class says published or updated, the title or datetime the date."""
    out: list[DateCandidate] = []
    for attr in tree.xpath(_MICROFORMAT_XPATH):  # attribute values, not elements: libxml2 is fast
        el = attr.getparent()
        if el is None or el.tag == "time" and el.get("datetime") or el.get("itemprop"):
            continue  # already a time/itemprop candidate
        m = _MICROFORMAT_RE.search(attr.lower())
        if m is None or not (el.get("title") or el.get("datetime") or m.group(0).startswith("dt-")):
            continue
        raw = (el.get("datetime") or el.get("title") or el.text_content() or "").strip()
        if not raw or len(raw) > MAX_DATE_LINE or _excluded(el, article_root, keep, region):
            continue
        out.append(DateCandidate(raw, "microformat", m.group(1), _describe(el)))
    return out


def _element_role(el) -> str:
    """``updated`` for an element marked as the update time (WordPress ``time.updated``)."""
    prop = (el.get("itemprop") or "").lower()
    if prop:
        if "modif" in prop or "updat" in prop:  # dateModified, and the non-standard dateUpdated
            return "updated"
        if prop in ("datepublished", "datecreated"):
            return "published"
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
    """The node positions that can score as a visible date line near the article's head, in
    document order.

    A date line only counts when it is near the headline or the top of the article body (see
    the anchoring rules of :func:`_visible_candidates`; a line further down the article's own
    element is looked at apart); nodes elsewhere can never count, so they are not looked at.
    With neither a headline nor a body every node is a candidate.
    """
    if h_idx is None and root_idx is None:
        return range(count)
    spans = []
    if h_idx is not None:
        spans.append((max(0, h_idx - BEFORE_HEADLINE), min(count, h_idx + NEAR_HEADLINE + 1)))
    if root_idx is not None:
        spans.append((max(0, root_idx - ABOVE_BODY), min(count, root_idx + BODY_HEAD + 1)))
    if len(spans) == 1:
        return range(*spans[0])
    (a_start, a_end), (b_start, b_end) = sorted(spans)
    if b_start <= a_end:  # overlapping or touching: one run
        return range(a_start, max(a_end, b_end))
    return [*range(a_start, a_end), *range(b_start, b_end)]


def _region_rest(nodes: list, region, near) -> list[int]:
    """Positions of the article element ``region`` (its descendants) outside the ``near`` window."""
    lo = _index_of(nodes, region)
    if lo is None:
        return []
    last = region
    while len(last):
        last = last[-1]
    hi = nodes.index(last, lo) + 1
    near = near if isinstance(near, range) else set(near)
    return [i for i in range(lo + 1, hi) if i not in near]


#: Words (two letters or more) a date line may hold besides its date: a byline with a
#: name, a label and a read count fits; a sentence of the story does not.
MAX_DATE_LINE_WORDS = 12
_LINE_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_BARE_FRACTION_RE = re.compile(r"^\(?\d{1,2}\s*/\s*\d{1,2}\)?$")


#: Class/id fragments of photo captions and credits: their dates are the photo's.
CAPTION_STEMS = ("caption", "credit", "galeri", "gallery", "keterangan", "bildunterschrift", "picbox", "pic-box",
                 "photo-text", "foto-text", "legend")
#: Labels that open a date line in the languages warta meets ("Datum 28.04.2023", "Tanggal: ...").
_DATE_LABEL_RE = re.compile(
    r"(?:date|datum|tanggal|tgl|published|posted|submitted|diterbitkan|dipublikasikan|diposting|terbit"
    r"|ver(?:ö|oe)ffentlicht|erschienen|publi(?:é|e)|publicado|pubblicato|fecha|data|geplaatst|gepubliceerd"
    r"|opublikowano|publikov(?:á|a)no|опубликовано|дата|yay(?:ı|i)n(?:lanma)?)\b\s*:?", re.I
)


def _caption_like(el) -> bool:
    """A photo caption: inside a figure or a caption-classed box, or right after an image."""
    node = el
    for _ in range(3):
        if node is None or node.tag == "body":
            return False
        if node.tag in ("figure", "figcaption"):
            return True
        if (node.get("class") or node.get("id")) and any(stem in _classes(node) for stem in CAPTION_STEMS):
            return True
        node = node.getparent()
    before = el.getprevious()  # <div><a><img></a><p>Caption, 24 April 2023</p></div>
    return before is not None and (
        before.tag in ("img", "picture") or any(child.tag in ("img", "picture") for child in before)
    )


def _readable(text: str, anchor: datetime, limit: datetime, memo: _Memo | None = None) -> bool:
    """The text reads as a date day first or, for a US page, month first ("12/25/2019")."""
    return _parse(text, UTC, anchor, limit, False, memo) is not None or (
        _NUMERIC_DATEISH_RE.search(text) is not None and _parse(text, UTC, anchor, limit, True, memo) is not None
    )


def _date_line_shaped(text: str, el) -> bool:
    """A date line, not a sentence of the story ("... disappeared on 6 January, and ...")
    nor a pager or score ("1/2"); an element classed as a date may say more."""
    if _BARE_FRACTION_RE.match(text):
        return False
    return len(_LINE_WORD_RE.findall(text)) <= MAX_DATE_LINE_WORDS or _date_classed(el)


def _visible_candidates(tree, article_root, headline, keep: frozenset, readings: _Memo | None = None,
                        region=None, far_only: bool = False) -> list[DateCandidate]:
    """The article's visible date line(s): near the headline, byline or article body, best first;
    with ``far_only``, instead, marked ``far``, labelled or date-classed lines elsewhere in the
    article's own element ``region`` (a post footer's "Posted by Jim at Tuesday, March 12, 2019")."""
    body = tree.find("body")
    # Document order; an element's index is its position here. The head holds no date line.
    nodes = list((body if body is not None else tree).iter())
    h_idx = _index_of(nodes, headline)
    root_idx = _index_of(nodes, article_root)
    near = _visible_window(len(nodes), h_idx, root_idx)
    if far_only:
        if region is None or (h_idx, root_idx) == (None, None):
            return []
        near, rest = [], _region_rest(nodes, region, near)
    else:
        rest = []
    scored: list[tuple[float, int, DateCandidate]] = []
    far: list[tuple[float, int, DateCandidate]] = []
    seen: set[str] = set()
    anchor = datetime.now(UTC)
    limit = anchor + timedelta(days=36500)
    unanchored = h_idx is None and root_idx is None
    memo: dict = {}
    far_from = len(near)  # positions from here on are the article element's rest: labelled or classed only
    for at, idx in enumerate(itertools.chain(near, rest)):
        el = nodes[idx]
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            continue
        if at >= far_from and not (el.text and _DATE_LABEL_RE.match(el.text.lstrip())) and not _date_classed(el):
            continue
        badge = False
        if len(el):
            own = _own_text(el)
            first = el[0].text if not own and 2 <= len(el) <= MAX_BADGE_PARTS else None
            if first and len(first) <= MAX_DATE_BADGE and _names_date(el.get("class") or el.get("id") or "-"):
                # a date badge split over its children, none a date alone: <div class="post-date">
                # <span>12</span><span>Mar</span><span>2019</span></div>
                parts, size = [], 0
                for piece in el.itertext():
                    piece = piece.strip()
                    if piece:
                        parts.append(piece)
                        size += len(piece) + 1
                        if size > MAX_DATE_BADGE + 1:
                            break
                own = " ".join(parts)
                badge = len(own) <= MAX_DATE_BADGE and not any(map(_dateish, parts))
                if not badge:
                    continue
        else:  # a leaf: its own text is its text
            own = el.text
            if not own:
                continue
            own = own.strip()
        if not own or len(own) > MAX_DATE_LINE * 2 or not _dateish(own):
            continue
        labelled = _DATE_LABEL_RE.match(own) is not None
        if unanchored and not (labelled or _date_classed(el)):
            continue  # nothing to measure against: only a date-classed or labelled line can count
        text = own if badge else " ".join(el.text_content().split())
        if len(text) > MAX_DATE_LINE:
            text = own
        if len(text) > MAX_DATE_LINE or (text in seen and not far_only) or _excluded(el, article_root, keep, region,
                                                                                     memo):
            continue
        if not _date_line_shaped(text, el) or not _readable(text, anchor, limit, readings):
            continue
        classed = _date_classed(el)
        if not classed and _caption_like(el):
            continue
        score = 0.0
        anchored = False  # near the headline or the top of the body: else a masthead or list date
        if classed or labelled or _DATE_LABEL_RE.match(text):
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
        target = scored
        if not anchored:
            if at < far_from or score <= 0:
                continue
            target = far  # the article's own line, far from its head: after the markup (see pick_dates)
        if _HAS_TIME_RE.search(text):
            score += SCORE_HAS_TIME
        seen.add(text)
        is_far = target is far
        marker = _UPDATED_RE.search(text)
        if marker is None:
            target.append((score, idx, DateCandidate(text, "visible", _element_role(el), _describe(el), is_far)))
            continue
        before, after = text[: marker.start()].strip(" |,-"), text[marker.start() :]
        if before and _parse(before, UTC, anchor, limit, False, readings) is not None:
            # "Dipublikasikan 28/11/2019 10:00 WIB | Diperbarui 28/11/2019 15:00 WIB": two dates
            target.append((score, idx, DateCandidate(before, "visible", "published", _describe(el), is_far)))
        target.append((score, idx, DateCandidate(after, "visible", "updated", _describe(el), is_far)))
    scored = _join_day_and_time(scored, nodes, headline, anchor, limit, readings)
    scored.sort(key=lambda item: (-item[0], item[1]))
    if len({idx for _, idx, _ in far}) > 1:
        return []  # several date lines down the article: a list of other stories, not one post footer
    return [cand for _, _, cand in scored[:MAX_VISIBLE]] + [cand for _, _, cand in far]


def _join_day_and_time(scored: list[tuple[float, int, DateCandidate]], nodes: list, headline, anchor: datetime,
                       limit: datetime, memo: _Memo | None) -> list[tuple[float, int, DateCandidate]]:
    """One post header's day line and clock line, joined into one date line.

    Templates print a post's day and its clock apart: Blogger's ``h2.date-header`` ("Selasa, 05
    Desember 2023") above the title and ``abbr.published`` ("pada 19.30") below it. Alone, the
    clock would be read on the fetch day; joined, it is the post's time. The best clock-only line
    is joined with the best day-only line of the same role when both belong to one header (see
    :func:`_one_header`); ``scored`` items are ``(score, node index, candidate)``.
    """
    best_first = sorted(scored, key=lambda item: (-item[0], item[1]))
    times = [item for item in best_first if _is_time_only(item[2].raw, memo)]
    if not times:
        return scored
    days = []
    for item in best_first:
        value = _parse(item[2].raw, UTC, anchor, limit, False, memo)
        if type(value) is date and not _is_relative(item[2].raw):
            days.append((item, value))
    for clock in times:
        for (day, value) in days:
            if day[2].role != clock[2].role or not _one_header(nodes, day[1], clock[1], headline):
                continue
            raw = f"{day[2].raw} {clock[2].raw}"
            joined = _parse(raw, UTC, anchor, limit, False, memo)
            if not isinstance(joined, datetime) or joined.date() != value:
                continue
            cand = DateCandidate(raw, "visible", day[2].role, f"{day[2].detail} + {clock[2].detail}")
            rest = [item for item in scored if item is not day and item is not clock]
            return [(max(day[0], clock[0]), min(day[1], clock[1]), cand), *rest]
    return scored


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _one_header(nodes: list, a: int, b: int, headline) -> bool:
    """Whether the elements at positions ``a`` and ``b`` of ``nodes`` (document order) belong to
    one post header: within :data:`NEAR_HEADLINE` elements, with nothing between them but the
    headline and short lines (a byline, a label): no other heading (another post's title), no
    line of more than :data:`MAX_DATE_LINE_WORDS` words (a paragraph of text)."""
    lo, hi = sorted((a, b))
    if hi - lo > NEAR_HEADLINE:
        return False
    ends = (nodes[lo], nodes[hi])
    for el in nodes[lo + 1 : hi]:
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            continue
        if headline is not None and (el is headline or _inside(el, headline)):
            continue
        if tag in _HEADING_TAGS and not any(_inside(end, el) for end in ends):
            return False
        if len(_LINE_WORD_RE.findall(_own_text(el))) > MAX_DATE_LINE_WORDS:
            return False
    return True


def _url_candidates(url: str | None) -> list[DateCandidate]:
    if not url:
        return []
    path = url.split("?", 1)[0].split("#", 1)[0]
    m = _URL_DAY_RE.search(path) or _URL_DASHED_RE.search(path)
    if m:
        return [
            DateCandidate(
                f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", "url", "published", m.group(0)
            )
        ]
    m = _URL_MONTH_NAME_RE.search(path.lower())
    if m and m.group(2) in _MONTH_NUMBER:  # /2019/nov/18/
        day = f"{m.group(1)}-{_MONTH_NUMBER[m.group(2)]:02d}-{int(m.group(3)):02d}"
        return [DateCandidate(day, "url", "published", m.group(0))]
    m = _URL_COMPACT_RE.search(path)
    if m:
        return [DateCandidate(f"{m.group(1)}-{m.group(2)}-{m.group(3)}", "url", "published", m.group(0))]
    return []


def gather_date_candidates(
    tree, url: str | None, *, article_root=None, profile_selector: str | None = None, headline=None
) -> list[DateCandidate]:
    """Every date a page offers for its publication and update time, unread.

    :param tree: the page's lxml.html root element (parsed once by the extractor).
    :param url: the page URL; a ``/2019/11/28/`` path gives a day candidate.
    :param article_root: the element the extractor chose as the article body, if any;
        the visible date line is looked for near the headline, the byline and this element.
    :param profile_selector: a CSS selector from the site's profile for its date line.
    :param headline: the headline element the extractor chose; default: found here.
    :returns: candidates in the order: profile, visible (best first), time and microformats,
        JSON-LD, meta, URL.
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
    return _gather(tree, url, article_root, profile_selector, headline, _Memo())


def _gather(tree, url: str | None, article_root, profile_selector: str | None, headline,
            memo: _Memo, metadata=None) -> list[DateCandidate]:
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
    if headline is None:
        headline = _find_headline(tree)
    keep = frozenset(headline.iterancestors()) if headline is not None else frozenset()
    region = _article_region(headline, article_root)
    out.extend(_visible_candidates(tree, article_root, headline, keep, memo, region))
    out.extend(_time_candidates(tree, article_root, keep, region))
    scripts = tags = None
    if metadata is not None:  # what page -> article read already (its scripts: the document's own)
        tags = metadata.meta_tags
        scripts = metadata.ld_scripts if tree is tree.getroottree().getroot() else None
    markup = _jsonld_candidates(tree, scripts) + _meta_candidates(tree, tags)
    if not any(c.role == "published" for c in out if c.source == "time") and not any(
        c.role == "published" for c in markup
    ):  # microformats and RDFa are the fallback of pages without other published markup (costly scans)
        out.extend(_microformat_candidates(tree, article_root, keep, region))
        out.extend(_rdfa_candidates(tree, article_root, keep, region))
    out.extend(markup)
    if not any(c.role == "published" for c in out):  # a post footer's line, for pages without other dates
        out.extend(_visible_candidates(tree, article_root, headline, keep, memo, region, far_only=True))
    out.extend(_url_candidates(url))
    return out


# -- choosing ---------------------------------------------------------------


@dataclass(frozen=True)
class PageContext:
    """What a page says about its own zone and date order (see ``docs/dates.md``).

    ``indonesian`` says why the page counts as Indonesian (``language``, ``domain``,
    ``zone-words``, ``text``), None when it does not: only such a page without a
    profile has its zone-less clocks read as WIB. ``month_first`` is True on US
    English pages (html lang / og:locale ``en-US``): "9/11/13" is then 11 September.
    """

    indonesian: str | None = None
    month_first: bool = False


#: Offset notes: where the zone of a published/updated time came from.
ZONE_STATED = "stated"  # the page stated it (an offset, Z, GMT, WIB ...) with the time (or, for markup UTC, its other times)
ZONE_CORRECTED = "corrected"  # a label the page contradicted (visible WIB/WITA/WIT, or two labels)
ZONE_PROFILE = "profile"  # no zone on the page: the site profile's zone
ZONE_INDONESIAN = "indonesian"  # no zone (or markup UTC) on the page, no profile, an Indonesian page: WIB
ZONE_FETCH = "fetch"  # a relative date ("2 jam lalu") counted back from the fetch time
ZONE_UNKNOWN = "unknown"  # no zone anywhere: the local wall clock is kept, naive, no instant
INDONESIA_TZ = "Asia/Jakarta"

#: Sources whose values are markup rather than text, in the order they are trusted.
_STRUCTURED_ORDER = {"time": 0, "microformat": 0, "jsonld": 1, "meta": 2}
#: Zone words that name an Indonesian zone in a visible date line.
_NAMED_ZONE_RE = re.compile(r"\b(?:wib|wita|wit)\b", re.I)
#: Largest gap (minutes) between a zone-less visible clock and a stated instant read as
#: the same moment in another zone: offsets run from -12:00 to +14:00.
_MAX_OFFSET_MINUTES = 14 * 60


@dataclass
class _Reading:
    """One parsed candidate: aware (zone stated), naive (no zone stated) or a day."""

    cand: DateCandidate
    value: datetime | date
    zone: str | None  # offset note, set once the zone policy has been applied
    relative: bool = False
    time_only: bool = False  # a clock without a day ("19.30"), read on the fetch day


#: Indonesian function words: frequent in any Indonesian text, rare in other languages
#: (Malay shares them, so hosts of Malay-speaking countries are not judged by text).
_ID_FUNCTION_WORDS = frozenset(
    "yang dengan untuk tidak dari pada ini itu juga dalam karena sudah telah akan bisa oleh "
    "tersebut adalah kata saat menjadi mereka kami kita atau setelah".split()
)
#: Words to find before a page counts as Indonesian by its text alone. Measured on the
#: samples (title, description, first paragraphs; 1,200 characters): non-Indonesian pages of
#: world-news-dev and scrapinghub-aeb (295) hold 0-1, Indonesian article pages a median of 11
#: (a few, whose first paragraphs are menus, fewer: other evidence names those).
MIN_ID_WORDS = 4
#: Indonesian day names in a date line ("Kamis, 14/03/2024"): no other language has them.
_ID_DAY_RE = re.compile(r"\b(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\b", re.I)
#: How much text (characters) the language check reads: title, description, first paragraphs.
LANGUAGE_SAMPLE = 1200
_MALAY_HOSTS = (".my", ".sg", ".bn")
_WORD_RE = re.compile(r"[a-z]+")
#: A clock followed by an Indonesian zone word ("14.30 WIB", "09:15 Wita").
_ZONE_WORD_RE = re.compile(r"\d[:.]\d\d\s*(?:wib|wita|wit)\b", re.I)


def page_context(tree, url: str | None, candidates: list[DateCandidate] | None = None) -> PageContext:
    """What the page says about its zone and numeric date order (cheap: no full-text pass).

    A page is Indonesian when it declares the language (``lang="id"``, ``og:locale``
    ``id_ID``), is served from a ``.id`` domain, prints Indonesian zone words after a
    clock (in its date candidates or its first paragraphs), names an Indonesian weekday in
    its date line, or its title, description and first paragraphs are written in
    Indonesian (many Indonesian templates declare ``lang="en"``). Numeric dates are month first only on a US English page that is not
    Indonesian by any of these.

    >>> import lxml.html
    >>> page_context(lxml.html.fromstring('<html lang="en-US"><body><p>x</p></body></html>'), None)
    PageContext(indonesian=None, month_first=True)
    >>> page_context(lxml.html.fromstring('<html lang="en"><body><p>x</p></body></html>'),
    ...              "https://kabar.example.co.id/a").indonesian
    'domain'
    """
    head = tree.find("head")
    declared = [tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""]
    if head is not None:
        declared.extend(_declared_languages(head))
    declared = [d.strip().lower().replace("_", "-") for d in declared if d and d.strip()]
    us_english = any(d == "en-us" for d in declared)
    host = (urlsplit(url).hostname or "").lower() if url else ""
    reason = None
    lines = [c for c in candidates or () if c.source in ("visible", "profile")]
    if any(d.split("-")[0] in ("id", "in", "ind") for d in declared):
        reason = "language"
    elif host.endswith(".id"):
        reason = "domain"
    elif any(_ZONE_WORD_RE.search(c.raw) for c in lines):
        reason = "zone-words"
    elif any(_ID_DAY_RE.search(c.raw) for c in lines):
        reason = "text"
    elif not declared or any(d.split("-")[0] in ("en", "ms") for d in declared):
        # Only an undeclared or English declaration (the template's default) can hide an
        # Indonesian page; a page declaring German or Japanese is what it says.
        sample = _text_sample(tree, head)
        if _ZONE_WORD_RE.search(sample):
            reason = "zone-words"
        elif not host.endswith(_MALAY_HOSTS):
            words = _WORD_RE.findall(sample.lower())
            if sum(map(_ID_FUNCTION_WORDS.__contains__, words)) >= MIN_ID_WORDS:
                reason = "text"
    return PageContext(indonesian=reason, month_first=us_english and reason is None)


def _text_sample(tree, head=None) -> str:
    """The title, meta description and first paragraphs, up to :data:`LANGUAGE_SAMPLE` characters."""
    parts = [str(t) for t in _DESCRIPTION_XPATH(head)] if head is not None else []
    size = sum(map(len, parts))
    for el in tree.iter("p"):
        if size >= LANGUAGE_SAMPLE:
            break
        text = el.text_content()
        parts.append(text)
        size += len(text)
    return " ".join(parts)[:LANGUAGE_SAMPLE]


#: Declared languages in the head: og:locale, Content-Language and language metas (their
#: attribute values as written).
_LANGUAGE_NAMES = frozenset({"language", "dc.language", "DC.language"})
_LANGUAGE_HTTP_EQUIV = frozenset({"content-language", "Content-Language"})


def _declared_languages(head) -> list[str]:
    """The ``content`` of the head's og:locale and language metas, in document order."""
    out = []
    for meta in head.iterchildren("meta"):
        if (meta.get("property") == "og:locale" or meta.get("name") in _LANGUAGE_NAMES
                or meta.get("http-equiv") in _LANGUAGE_HTTP_EQUIV):
            content = meta.get("content")
            if content is not None:
                out.append(content)
    return out

_DESCRIPTION_XPATH = etree.XPath("title/text() | meta[@name='description' or @property='og:description']/@content")


def _wall(value: datetime) -> datetime:
    return value.replace(tzinfo=None, second=0, microsecond=0)


def _offset_minutes(value: datetime) -> int:
    return int(value.utcoffset().total_seconds() // 60)


def _is_relative(raw: str) -> bool:
    s = raw.lower()
    return bool(_RELATIVE_RE.search(s) or _JUST_NOW_RE.search(s) or _DAY_WORD_RE.search(s))


def _local_day(value: datetime | date) -> date:
    """The day of a value in the offset it is written in (a naive clock: its own day)."""
    return value.date() if isinstance(value, datetime) else value


def _in_zone(value: datetime, tz: str) -> datetime:
    """A naive wall clock read in ``tz``, with that zone's fixed offset at that moment."""
    return to_site_zone(value.replace(tzinfo=_zone(tz)), tz)


def _same_instant(a: datetime, b: datetime) -> bool:
    if (a.tzinfo is None) != (b.tzinfo is None):
        return False
    return abs(a - b) < timedelta(minutes=1) or _wall(a) == _wall(b) and (
        a.tzinfo is None or a.utcoffset() == b.utcoffset()
    )


def _shifted_offset(naive: datetime, stated: datetime) -> int | None:
    """The offset (minutes) in which the zone-less clock ``naive`` shows the instant ``stated``.

    "17:47" beside "15:47:42Z" is the same moment at +02:00. Only whole quarter hours
    within the offsets in use count, and the minutes must agree, so an unrelated clock
    rarely matches.
    """
    gap = (_wall(naive) - _wall(stated.astimezone(UTC))).total_seconds() / 60
    if gap % 15 or abs(gap) > _MAX_OFFSET_MINUTES:
        return None
    return int(gap)


class _Chooser:
    """Applies the zone policy and the priorities to the readings of one page."""

    def __init__(self, readings: list[_Reading], tz: str | None, context: PageContext, url_day: date | None):
        self.tz = tz
        self.assumed = tz or (INDONESIA_TZ if context.indonesian else None)
        self.assumed_note = ZONE_PROFILE if tz else (ZONE_INDONESIAN if context.indonesian else ZONE_UNKNOWN)
        self.url_day = url_day
        self._correct_labels(readings)
        for r in readings:
            self._apply_zone(r)
        self.readings = readings

    # -- zones ---------------------------------------------------------------------------

    def _names_zone(self, r: _Reading) -> bool:
        """The visible line itself names an Indonesian zone word or the profile's zone."""
        if not isinstance(r.value, datetime) or r.value.tzinfo is None:
            return False
        if _NAMED_ZONE_RE.search(r.cand.raw):
            return True
        return self.tz is not None and r.value.utcoffset() == site_offset(r.value, self.tz).utcoffset(None)

    def _correct_labels(self, readings: list[_Reading]) -> None:
        """Structured labels the page itself contradicts are read in the zone it names.

        Evidence is needed: a visible date naming WIB/WITA/WIT (or the profile's zone)
        with the same wall clock as a structured value under another label (detik's
        WIB written as "Z"); or two structured values showing one wall clock under two
        labels (merdeka's "GMT" and "-07:00") on a page whose zone is known.
        """
        visible = [r for r in readings if r.cand.source in ("profile", "visible") and self._names_zone(r)]
        structured = [
            r for r in readings
            if r.cand.source in _STRUCTURED_ORDER and isinstance(r.value, datetime) and r.value.tzinfo
        ]  # fmt: skip
        wrong: dict[timedelta, object] = {}  # a label shown wrong -> the zone it stands for
        for r in structured:
            for v in visible:
                if _wall(r.value) == _wall(v.value) and r.value.utcoffset() != v.value.utcoffset():
                    wrong[r.value.utcoffset()] = v.value.tzinfo
        if self.assumed is not None:
            for r in structured:
                for o in structured:
                    if _wall(o.value) == _wall(r.value) and o.value.utcoffset() != r.value.utcoffset():
                        offset = r.value.utcoffset()
                        if offset not in wrong and offset != site_offset(r.value, self.assumed).utcoffset(None):
                            wrong[offset] = None  # read in the assumed zone
        if not wrong:
            return
        # One CMS writes one label: every value under a label shown wrong is read in the named zone.
        for r in structured:
            offset = r.value.utcoffset()
            if offset in wrong:
                zone = wrong[offset]
                naive = r.value.replace(tzinfo=None)
                r.value = naive.replace(tzinfo=zone) if zone is not None else _in_zone(naive, self.assumed)
                r.zone = ZONE_CORRECTED

    def _apply_zone(self, r: _Reading) -> None:
        value = r.value
        if not isinstance(value, datetime) or r.zone == ZONE_CORRECTED:
            return
        if r.relative and value.tzinfo is not None:
            r.zone = ZONE_FETCH
        elif value.tzinfo is not None:
            r.zone = ZONE_STATED
        elif self.assumed is not None:
            r.value, r.zone = _in_zone(value, self.assumed), self.assumed_note
        else:
            r.zone = ZONE_UNKNOWN

    def written(self, r: _Reading, value: datetime | date | None = None, zone: str | None = None) -> DatePick:
        """The pick of ``r`` (or of ``value`` found through it), written by the zone policy."""
        own = value is None
        value = r.value if value is None else value
        zone = r.zone if zone is None else zone
        if isinstance(value, datetime) and value.tzinfo is not None:
            if self.assumed is not None and (self.tz or zone == ZONE_FETCH):
                value = value.astimezone(site_offset(value, self.assumed))
            elif zone == ZONE_FETCH:
                value = value.astimezone(UTC)
            elif own:
                value, zone = self._local(r, value, zone)
        if not isinstance(value, datetime):
            zone = None
        return DatePick(value, r.cand.raw, r.cand.source, zone)

    def _local(self, r: _Reading, value: datetime, zone: str | None) -> tuple[datetime, str | None]:
        """A UTC instant of markup (``Z``, ``+00:00``: how many CMSs store every time) written in the
        page's own zone when the page tells it, the instant unchanged: the one other offset the page
        states for its times within a day of this one (a visible "10:21 WITA", a ``+08:00`` beside
        the ``Z``), else WIB on an Indonesian page. A UTC time the page shows its readers, or one
        on a page whose zone nothing tells, is kept as stated."""
        if zone != ZONE_STATED or r.cand.source not in _STRUCTURED_ORDER or value.utcoffset():
            return value, zone
        offsets = {
            o.value.utcoffset() for o in self.readings
            if isinstance(o.value, datetime) and o.value.tzinfo is not None and o.value.utcoffset()
            and o.zone in (ZONE_STATED, ZONE_CORRECTED) and abs(o.value - value) <= timedelta(days=1)
        }  # fmt: skip
        if len(offsets) == 1:
            return value.astimezone(timezone(offsets.pop())), ZONE_STATED
        if not offsets and self.assumed is not None:
            return value.astimezone(site_offset(value, self.assumed)), self.assumed_note
        return value, zone

    # -- priorities ----------------------------------------------------------------------

    def _day_fits_url(self, r: _Reading) -> bool:
        """Not another article's time: within a day of the URL's day (when the URL has one)."""
        if self.url_day is None:
            return True
        return abs((_local_day(r.value) - self.url_day).days) <= 1

    def choose(self, role: str) -> DatePick:
        mine = [r for r in self.readings if r.cand.role == role]
        lines = [r for r in mine if r.cand.source in ("profile", "visible") and not r.time_only]
        visible = [r for r in lines if not r.relative and (r.cand.source == "profile" or self._day_fits_url(r))]
        far = [r for r in visible if r.cand.far]  # a post footer's line: only when the markup gives no date
        visible = [r for r in visible if not r.cand.far]
        # Values counted from the fetch time, used only when the page states no day at all: a clock
        # without a day (whatever its source; it states a wall clock at least), then relative lines.
        relative = [r for r in mine if r.time_only] + [r for r in lines if r.relative]
        structured = sorted((r for r in mine if r.cand.source in _STRUCTURED_ORDER and not r.time_only), key=_trust)
        # Instants the markup states, midnight placeholders ("2024-11-29T00:00:00") last.
        timed = sorted(
            (r for r in structured if isinstance(r.value, datetime) and r.value.tzinfo is not None),
            key=lambda r: (_is_midnight(r.value), _trust(r)),
        )
        pick = None
        if visible:
            pick = self._with_visible(visible[0], timed)
        if pick is None:
            pick = self._from_structured([r for r in structured if self._day_fits_url(r)], timed)
        if pick is None and far:
            pick = self._with_visible(far[0], timed)
        if pick is None:
            for r in relative:  # counted from the fetch time: only when nothing absolute is given
                if self._day_fits_url(r):
                    pick = self.written(r)
                    break
        if pick is None:
            urls = [r for r in mine if r.cand.source == "url"]
            pick = self.written(urls[0]) if urls else DatePick(None, None, None)
        if role == "published":
            pick = self._not_the_update(pick, timed)
        return pick

    def _from_structured(self, fitting: list[_Reading], timed: list[_Reading]) -> DatePick | None:
        """The most trusted structured value; a zone-less one is read like a date line."""
        if not fitting:
            return None
        first = fitting[0]
        if isinstance(first.value, datetime) and first.value.tzinfo is not None:
            if _is_midnight(first.value):  # a day written as midnight: a time that day is better
                for r in timed:
                    if not _is_midnight(r.value) and _local_day(r.value) == _local_day(first.value):
                        return self.written(r)
            return self.written(first)
        return self._with_visible(first, timed)

    def _not_the_update(self, pick: DatePick, timed: list[_Reading]) -> DatePick:
        """A published time equal to an update time while the markup states an earlier
        publication is the update (a page that shows only "Updated 20:56"); a published
        day that is the update's day while markup states an earlier day, likewise."""
        value = pick.value
        if pick.source == "profile" or value is None:
            return pick
        if not isinstance(value, datetime):
            return self._not_the_update_day(pick, value)
        if value.tzinfo is None:
            return pick
        updates = [
            r.value for r in self.readings
            if r.cand.role == "updated" and isinstance(r.value, datetime) and r.value.tzinfo is not None
        ]  # fmt: skip
        if not any(_same_instant(u, value) for u in updates):
            return pick
        explicit = [r for r in timed if r.cand.role == "published" and _trust(r) <= 1]
        if any(_same_instant(r.value, value) for r in explicit):
            return pick  # published and saved in the same minute: explicit markup says so
        for r in explicit:
            if r.value < value - timedelta(minutes=1):
                return self.written(r, r.value.astimezone(value.tzinfo))
        return pick

    def _not_the_update_day(self, pick: DatePick, day: date) -> DatePick:
        updated_days = {_local_day(r.value) for r in self.readings if r.cand.role == "updated"}
        if day not in updated_days:
            return pick
        explicit = [
            r for r in self.readings
            if r.cand.role == "published" and r.cand.source in _STRUCTURED_ORDER and _trust(r) <= 1
        ]  # fmt: skip
        if any(_local_day(r.value) == day for r in explicit):
            return pick
        earlier = [r for r in explicit if _local_day(r.value) < day]
        if earlier:
            timed_first = sorted(earlier, key=lambda r: not isinstance(r.value, datetime))
            return self.written(timed_first[0])
        return pick

    def _corroborated(self, timed: list[_Reading]) -> _Reading | None:
        """A published instant two kinds of markup agree on (JSON-LD and meta, say; a
        zone-less copy of the same wall clock counts as agreeing)."""
        others = [r for r in self.readings if r.cand.source in _STRUCTURED_ORDER and isinstance(r.value, datetime)]
        for r in timed:
            if r.cand.role != "published" or _trust(r) >= _BARE_TIME:
                continue
            for o in others:
                if o.cand.source == r.cand.source or o.cand.role != "published":
                    continue
                if _same_instant(o.value, r.value) or (o.value.tzinfo is None and _wall(o.value) == _wall(r.value)):
                    return r
        return None

    def _with_visible(self, v: _Reading, timed: list[_Reading]) -> DatePick | None:
        """The pick when the page shows a date line (or markup gives a zone-less clock).

        A structured time that agrees lends its precision and offset; a zone-less line
        takes the offset of a structured time that shows the same moment; a line of
        another day than a time two kinds of markup agree on loses to it; otherwise the
        line stands, unless it has no instant and the markup states one that day.
        """
        value = v.value
        if not isinstance(value, datetime):  # a day: a structured time that day gives the time
            # (that day where the page lives: a UTC time of markup is compared in the page's zone)
            same_day = [r for r in timed if _local_day(self._local(r, r.value, r.zone)[0]) == value]
            for r in same_day:
                if not _is_midnight(r.value) and _trust(r) < _BARE_TIME:
                    return self.written(r)
            agreed = self._corroborated(timed)
            if agreed is not None and v.cand.source != "profile":
                return self.written(agreed)  # two kinds of markup outweigh a bare day
            if same_day:
                return self.written(same_day[0])
            return self.written(v)
        for r in timed:
            if _same_instant(r.value, value):  # written in the offset the line shows it in
                return self.written(r, r.value.astimezone(value.tzinfo) if value.tzinfo else r.value)
        if value.tzinfo is None or v.zone in (ZONE_PROFILE, ZONE_INDONESIAN):
            naive = value.replace(tzinfo=None)
            for r in timed:  # the structured offset tells which zone the line's clock is in
                if _wall(r.value) == _wall(naive) and r.zone == ZONE_STATED:
                    return self.written(r)
            if value.tzinfo is None:
                for r in timed:
                    shift = _shifted_offset(naive, r.value)
                    if shift is not None:  # the same moment, the line in the page's local zone
                        return self.written(r, r.value.astimezone(_fixed(shift)))
                for r in timed:  # no instant on the line: the markup's instant of that day
                    if abs((_local_day(r.value) - naive.date()).days) <= 1:
                        return self.written(r)
        agreed = self._corroborated(timed)
        if agreed is not None and v.cand.source != "profile" and abs((_local_day(agreed.value) - _local_day(value)).days) >= 1:
            return self.written(agreed)
        return self.written(v)


def _trust(r: _Reading) -> int:
    """How far a structured value is trusted (lower first): explicit published markup
    (itemprop, microformat), then JSON-LD, meta, and last a bare ``<time>`` element,
    which may be any time the page shows."""
    source, detail = r.cand.source, r.cand.detail
    if "dateCreated" in detail:  # when the CMS created the draft: often before publication
        return 2
    if source == "time" and detail.startswith("property="):
        return 1  # RDFa Dublin Core: the CMS's creation date of the node, like JSON-LD
    if source == "time" and not (detail == "itemprop=datePublished" or "publish" in detail):
        return _BARE_TIME
    return _STRUCTURED_ORDER[source]


_BARE_TIME = 3


def _is_midnight(value: datetime) -> bool:
    return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)


def pick_dates(
    candidates: list[DateCandidate],
    *,
    tz: str | None,
    now: datetime | None,
    context: PageContext | None = None,
) -> tuple[DatePick, DatePick]:
    """Choose a page's published and updated dates from its candidates, by the zone policy.

    Priorities: a date line the page shows (near the headline or byline) over markup
    that disagrees with it; markup that agrees lends its seconds and offset;
    absolute dates over relative text; a time over a day when both name that day;
    structured values on another day than the URL's are another article's; the URL
    day is the last resort. Zones (``docs/dates.md``): a stated offset is kept (and
    only overruled with evidence, see :class:`_Chooser`); a clock without zone is read
    in the profile's zone, else as WIB on an Indonesian page, else kept naive.

    :param candidates: from :func:`gather_date_candidates`.
    :param tz: the zone a site profile names (values are written in it), or None.
    :param now: the page's fetch time: anchors relative dates; values more than a
        day after it are dropped. None means the current clock.
    :param context: from :func:`page_context`; None: nothing known about the page.
    :returns: ``(published, updated)``, each a :class:`DatePick` (value None when unknown).
    :raises: nothing.

    Example usage:

    >>> cands = [DateCandidate("Kamis, 28/11/2019 14:30 WIB", "visible", "published"),
    ...          DateCandidate("2019-11-28T14:30:12Z", "meta", "published", "name=pubdate"),
    ...          DateCandidate("2019-11-28T16:05:00Z", "meta", "updated", "property=article:modified_time")]
    >>> published, updated = pick_dates(cands, tz="Asia/Jakarta", now=datetime(2019, 11, 29))
    >>> published.value.isoformat(), published.source, published.zone
    ('2019-11-28T14:30:12+07:00', 'meta', 'corrected')
    >>> updated.value.isoformat()
    '2019-11-28T16:05:00+07:00'
    """
    return _pick(candidates, tz, now, context, _Memo())


def _pick(candidates: list[DateCandidate], tz: str | None, now: datetime | None, context: PageContext | None,
          memo: _Memo) -> tuple[DatePick, DatePick]:
    context = context or PageContext()
    anchor = _anchor(now, tz or "UTC")
    limit = anchor + FUTURE_TOLERANCE if now is not None else datetime.now(UTC) + FUTURE_TOLERANCE
    readings: list[_Reading] = []
    url_day: date | None = None
    for cand in candidates:
        value = _parse(cand.raw, None, anchor, limit, context.month_first, memo)
        if value is None:
            continue
        if cand.source == "url" and url_day is None:
            url_day = _local_day(value)
        relative = cand.source in ("visible", "profile") and _is_relative(cand.raw)
        readings.append(_Reading(cand, value, None, relative, _is_time_only(cand.raw, memo, context.month_first)))
    _year_from_page(readings, memo, context.month_first)
    chooser = _Chooser(readings, tz, context, url_day)
    published = chooser.choose("published")
    updated = chooser.choose("updated")
    return published, updated


def _year_from_page(readings: list[_Reading], memo: _Memo, month_first: bool) -> None:
    """A date line printed without a year ("13 Aug" on a post's date badge) takes the year of the
    page's own dates of that day and month (markup, the URL) when they name one: alone it is read
    in the latest year not after the fetch time, which a page fetched years later gets wrong."""
    for r in readings:
        if r.cand.source not in ("visible", "profile") or r.relative:
            continue
        known = memo.found.get((r.cand.raw, month_first))
        if known is None or known[1] is None or known[1][2] is not None:
            continue  # the line prints its year (or is no calendar date)
        years = {
            o.value.year for o in readings
            if o.cand.source in _STRUCTURED_ORDER or o.cand.source == "url"
            if (o.value.month, o.value.day) == (r.value.month, r.value.day)
        }  # fmt: skip
        if years and r.value.year not in years:
            r.value = r.value.replace(year=max(years))


def page_dates(
    tree,
    url: str | None,
    *,
    tz: str | None = None,
    now: datetime | None = None,
    article_root=None,
    headline=None,
    profile_selector: str | None = None,
    metadata=None,
) -> tuple[DatePick, DatePick]:
    """A page's (published, updated) dates: gather, read the page's context, pick.

    :param tree: the page's lxml.html root element.
    :param url: the page URL.
    :param tz: the zone a site profile names, or None for a page without a profile
        (the zone policy of ``docs/dates.md`` then decides from the page itself).
    :param now: the page's fetch time.
    :param article_root: the element the extractor chose as the article body, if any.
    :param headline: the element the extractor chose as the headline, if any.
    :param profile_selector: a CSS selector from the site's profile for its date line.
    :param metadata: the page's :class:`pipelines.metadata.Metadata` when it was read from
        ``tree`` already: its JSON-LD scripts and meta tags are not read again.

    Example usage:

    >>> import lxml.html
    >>> tree = lxml.html.fromstring(
    ...     '<html lang="de"><head><meta property="article:published_time" content="2024-05-03T15:47:42Z">'
    ...     '</head><body><h1>Ein Beispiel</h1><p class="date">3. Mai 2024, 17:47</p></body></html>')
    >>> published, _ = page_dates(tree, "https://zeitung.example/a/1", now=datetime(2024, 5, 4, tzinfo=UTC))
    >>> published.value.isoformat(), published.zone
    ('2024-05-03T17:47:42+02:00', 'stated')
    """
    memo = _Memo()  # each date line is read once, when found and when weighed
    candidates = _gather(tree, url, article_root, profile_selector, headline, memo, metadata)
    return _pick(candidates, tz, now, page_context(tree, url, candidates), memo)


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
