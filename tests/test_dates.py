"""Tests of pipelines.dates: one date string, and a page's publication date.

The examples are warta's own (dates, words and sites differ from the shared dev
file); each category of ``id-dates-dev.tsv`` has its own block. The dev data
itself is checked at the end when ``../shared`` is present.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest

from pipelines.dates import DateCandidate, gather_date_candidates, parse_date, pick_dates

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))
#: The anchor of every string test: Friday 15 March 2024, 10:00 WIB.
NOW = datetime(2024, 3, 15, 10, 0, tzinfo=WIB)
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


def iso(text: str, tz: str = "Asia/Jakarta", now: datetime = NOW) -> str | None:
    value = parse_date(text, tz=tz, now=now)
    return None if value is None else value.isoformat()


def check(cases: list[tuple[str, str | None]], tz: str = "Asia/Jakarta") -> None:
    for text, want in cases:
        assert iso(text, tz) == want, text


# -- categories of the dev file, with warta's own examples ------------------------


def test_full_date_time_zone():
    check(
        [
            ("Jumat, 8 Maret 2024 16:45 WIB", "2024-03-08T16:45:00+07:00"),
            ("Senin, 12 Februari 2024 07:05 WITA", "2024-02-12T07:05:00+08:00"),
            ("Selasa, 13 Februari 2024 22:10 WIT", "2024-02-13T22:10:00+09:00"),
        ]
    )


def test_zone_words_win_over_site_zone():
    assert iso("Rabu, 6 Maret 2024 10:00 WIB", tz="Asia/Jayapura") == "2024-03-06T10:00:00+07:00"
    assert iso("Rabu, 6 Maret 2024 10:00", tz="Asia/Jayapura") == "2024-03-06T10:00:00+09:00"


def test_full_date():
    check(
        [
            ("Rabu, 6 Maret 2024", "2024-03-06"),
            ("tanggal 17 Agustus 1950", "1950-08-17"),
            ("JUMAT, 01 MARET 2024", "2024-03-01"),
            ("Ahad, 10 Maret 2024", "2024-03-10"),
        ]
    )


def test_day_only_gives_a_date_not_midnight():
    value = parse_date("Kamis, 7 Maret 2024", now=NOW)
    assert type(value) is date


def test_slash_date():
    check([("Senin, 04/03/2024", "2024-03-04"), ("04/03/2024", "2024-03-04")])


def test_slash_date_time_zone():
    check(
        [
            ("Senin, 04/03/2024 08:07 WIB", "2024-03-04T08:07:00+07:00"),
            ("11/03/2024, 19:45 WIB", "2024-03-11T19:45:00+07:00"),
            ("02/02/2024 06:30:15 WITA", "2024-02-02T06:30:15+08:00"),
        ]
    )


def test_day_first_always():
    assert iso("02/11/2023") == "2023-11-02"
    assert iso("11/28/2023") is None  # never month first


def test_paren_date():
    check(
        [
            ("Senin (4/3/2024)", "2024-03-04"),
            ("(11/3/2024)", "2024-03-11"),
            ("Sabtu malam (9/3/2024)", "2024-03-09"),
            ("Minggu (10/3/2024) pagi", "2024-03-10"),
        ]
    )


def test_paren_date_dotted_time():
    check(
        [
            ("Selasa (12/3/2024) sekitar pukul 21.15 WIB", "2024-03-12T21:15:00+07:00"),
            ("Selasa (12/3/2024) pukul 06.40 Wita", "2024-03-12T06:40:00+08:00"),
        ]
    )


def test_parts_of_day_move_a_bare_hour():
    check(
        [
            ("Kamis (14/3/2024) pukul 8 malam", "2024-03-14T20:00:00+07:00"),
            ("Kamis (14/3/2024) pukul 9 pagi", "2024-03-14T09:00:00+07:00"),
            ("Kamis (14/3/2024) pukul 1 siang", "2024-03-14T13:00:00+07:00"),
            ("Kamis (14/3/2024) pukul 12 siang", "2024-03-14T12:00:00+07:00"),
            ("Kamis (14/3/2024) pukul 4 sore", "2024-03-14T16:00:00+07:00"),
            ("Kamis (14/3/2024) pukul 6 petang", "2024-03-14T18:00:00+07:00"),
            ("Kamis (14/3/2024) pukul 2 dini hari", "2024-03-14T02:00:00+07:00"),
            ("Kamis (14/3/2024) pukul 7.30 malam", "2024-03-14T19:30:00+07:00"),
            ("13 March 2024 5:30 PM", "2024-03-13T17:30:00+07:00"),
        ]
    )


def test_no_zone_uses_site_zone():
    check(
        [
            ("07 Mar 2024 05:12:09", "2024-03-07T05:12:09+07:00"),
            ("Kamis, 07 Maret 2024 23:50", "2024-03-07T23:50:00+07:00"),
            ("2024-03-07 05:12:09", "2024-03-07T05:12:09+07:00"),
        ]
    )
    assert iso("Kamis, 07/03/2024 23:50", tz="Asia/Makassar") == "2024-03-07T23:50:00+08:00"


def test_abbreviated_months():
    check(
        [
            ("3 Agt 2023", "2023-08-03"),
            ("3 Agu 2023", "2023-08-03"),
            ("3 Ags 2023", "2023-08-03"),
            ("3 Agust 2023", "2023-08-03"),
            ("9 Okt 2023 07:00", "2023-10-09T07:00:00+07:00"),
            ("5 Nop 2023", "2023-11-05"),
            ("5 Nov 2023", "2023-11-05"),
            ("24 Des 2023 18:00", "2023-12-24T18:00:00+07:00"),
            ("5 Pebruari 2023", "2023-02-05"),
            ("5 Peb 2023", "2023-02-05"),
            ("5 Mrt 2023", "2023-03-05"),
            ("5 Sept 2023", "2023-09-05"),
            ("5 Mei 2023", "2023-05-05"),
        ]
    )


def test_abbrev_month_zone():
    check(
        [
            ("Minggu, 10 Mar 2024 11:11 WIB", "2024-03-10T11:11:00+07:00"),
            ("Jum'at, 08 Mar 2024 13:00 WIB", "2024-03-08T13:00:00+07:00"),
            ("Jum\u2019at, 08 Mar 2024 | 13.00 WITA", "2024-03-08T13:00:00+08:00"),
        ]
    )


def test_pipe_and_dash_separated():
    check(
        [
            ("Jumat, 8 Maret 2024 | 20:20 WIB", "2024-03-08T20:20:00+07:00"),
            ("Jumat, 08 Mar 2024 - 06:05 WIB", "2024-03-08T06:05:00+07:00"),
            ("Minggu, 10/03/2024 - 21:30", "2024-03-10T21:30:00+07:00"),
        ]
    )


def test_prefixes_and_labels():
    check(
        [
            ("Diperbarui 14 Mar 2024, 18:20 WIB", "2024-03-14T18:20:00+07:00"),
            ("Dipublikasikan: 14 Maret 2024 pukul 18.20 WIT", "2024-03-14T18:20:00+09:00"),
            ("Diterbitkan 14 Maret 2024", "2024-03-14"),
            ("Kompas.com - 14/03/2024, 18:20 WIB", "2024-03-14T18:20:00+07:00"),
            ("Olahraga | Kamis, 14 Maret 2024 18:20", "2024-03-14T18:20:00+07:00"),
            ("Senin, 11 Maret 2024 - 17:05 WIB | Dibaca 1.234 kali", "2024-03-11T17:05:00+07:00"),
        ]
    )


def test_english_on_id_site():
    check(
        [
            ("on 12 Mar 2024 at 08:45 WIB", "2024-03-12T08:45:00+07:00"),
            ("March 12, 2024", "2024-03-12"),
            ("Tue, 12 Mar 2024 01:45:00 GMT", "2024-03-12T01:45:00+00:00"),
            ("Tue, 12 Mar 2024 08:45:00 +0700", "2024-03-12T08:45:00+07:00"),
            ("12 Mar 2024 08:45 GMT+8", "2024-03-12T08:45:00+08:00"),
        ]
    )


def test_iso_meta():
    check(
        [
            ("2024-03-12T08:45:30+08:00", "2024-03-12T08:45:30+08:00"),
            ("2024-03-12T01:45:30Z", "2024-03-12T01:45:30+00:00"),
            ("2024-03-12T08:45:30.250+07:00", "2024-03-12T08:45:30.250000+07:00"),  # fractions kept
            ("2024-03-12 T01:45:30Z", "2024-03-12T01:45:30+00:00"),
            ("2024-03-12T08:45:30", "2024-03-12T08:45:30+07:00"),
            ("2024-03-12", "2024-03-12"),
        ]
    )


def test_trap_mislabelled_zone_is_read_literally_at_string_level():
    # A single string cannot know its label is wrong; pick_dates fixes it on the page.
    check(
        [
            ("2024-03-12 T08:45:30Z", "2024-03-12T08:45:30+00:00"),
            ("2024-03-12T08:45:30-07:00", "2024-03-12T08:45:30-07:00"),
        ]
    )


def test_two_digit_year():
    check(
        [
            ("Rabu (13/03/24)", "2024-03-13"),
            ("13/03/99", "1999-03-13"),
            ("Kamis (14/3/24) pukul 9 pagi", "2024-03-14T09:00:00+07:00"),
        ]
    )


def test_no_year_takes_latest_not_after_now():
    assert iso("Senin (11/3) pukul 20.15 Wita", tz="Asia/Makassar") == "2024-03-11T20:15:00+08:00"
    assert iso("Sabtu (16/3)") == "2024-03-16"  # tomorrow is still within a day
    assert iso("Rabu (20/3)") == "2023-03-20"  # five days ahead: last year's
    assert iso("25 Desember") == "2023-12-25"


def test_hijri_gregorian_pair_takes_gregorian():
    check(
        [
            ("Kamis, 4 Ramadhan 1445 H / 14 Maret 2024", "2024-03-14"),
            ("4 Ramadan 1445 H/14 Maret 2024 M", "2024-03-14"),
            ("12 Rabiul Awal 1445 H", None),
        ]
    )


def test_day_name_conflict_numeric_date_wins():
    check(
        [
            ("Senin (12/3/2024)", "2024-03-12"),  # 12 March 2024 is a Tuesday
            ("Minggu 09/03/2024", "2024-03-09"),  # a Saturday
            ("Rabu, 14 Maret 2024", "2024-03-14"),  # a Thursday
        ]
    )


def test_relative_minutes_and_hours_give_datetimes():
    check(
        [
            ("baru saja", "2024-03-15T10:00:00+07:00"),
            ("5 menit lalu", "2024-03-15T09:55:00+07:00"),
            ("45 menit yang lalu", "2024-03-15T09:15:00+07:00"),
            ("3 jam yang lalu", "2024-03-15T07:00:00+07:00"),
            ("sejam yang lalu", "2024-03-15T09:00:00+07:00"),
            ("2 hours ago", "2024-03-15T08:00:00+07:00"),
            ("an hour ago", "2024-03-15T09:00:00+07:00"),
            ("kemarin pukul 14.00 WIB", "2024-03-14T14:00:00+07:00"),
        ]
    )


def test_relative_days_weeks_months_years_give_dates():
    check(
        [
            ("hari ini", "2024-03-15"),
            ("kemarin", "2024-03-14"),
            ("kemarin lusa", "2024-03-13"),
            ("4 hari yang lalu", "2024-03-11"),
            ("2 minggu lalu", "2024-03-01"),
            ("seminggu yang lalu", "2024-03-08"),
            ("sebulan yang lalu", "2024-02-15"),
            ("setahun yang lalu", "2023-03-15"),
            ("3 days ago", "2024-03-12"),
        ]
    )


def test_relative_anchors_at_now_in_site_zone():
    now_utc = datetime(2024, 3, 14, 20, 0, tzinfo=UTC)  # already 15 March in WITA
    assert parse_date("hari ini", tz="Asia/Makassar", now=now_utc) == date(2024, 3, 15)
    assert iso("1 jam lalu", tz="Asia/Makassar", now=now_utc) == "2024-03-15T03:00:00+08:00"


def test_trap_typo_and_impossible_values_are_rejected():
    check(
        [
            ("Jumat (8/3/224)", None),  # year 224
            ("Jumat (8/32024)", None),  # a slash missing
            ("Senin, 31/02/2024", None),
            ("Selasa (13/13/2024)", None),
            ("Kamis, 14 Maret 2024 25:10 WIB", "2024-03-14"),  # no such hour: the day stands
        ]
    )


def test_placeholders_and_non_dates_are_rejected():
    check(
        [
            ("1970-01-01T00:00:00Z", None),
            ("01/01/1970", None),
            ("", None),
            ("Kamis", None),
            ("Redaksi warta", None),
            ("Dibaca 1.234 kali", None),
        ]
    )


def test_far_future_is_rejected():
    assert iso("Kamis, 14/03/2199") is None


def test_time_only_is_the_latest_such_time():
    assert iso("19.30 Wita", tz="Asia/Makassar") == "2024-03-14T19:30:00+08:00"
    assert iso("pukul 08.15") == "2024-03-15T08:15:00+07:00"


def test_now_naive_is_wall_clock_in_tz():
    assert iso("2 jam lalu", now=datetime(2024, 3, 15, 10, 0)) == "2024-03-15T08:00:00+07:00"


# -- page level ---------------------------------------------------------------------


def page(body: str, head: str = "") -> lxml.html.HtmlElement:
    return lxml.html.fromstring(
        f"<html><head><title>Jalan Lingkar Tanjung Selor Rampung | Kabar Kaltara</title>{head}</head>"
        f"<body>{body}</body></html>"
    )


HEADLINE = "<h1>Jalan Lingkar Tanjung Selor Rampung</h1>"
SIDEBAR = (
    '<aside class="terpopuler"><ul><li><a href="/b/2">Harga cabai di Pasar Induk naik lagi</a>'
    '<span class="date">Kamis, 14/03/2024 16:00 WIB</span></li></ul></aside>'
)


def pick(tree, url=None, tz="Asia/Jakarta", now=NOW, **kw):
    return pick_dates(gather_date_candidates(tree, url, **kw), tz=tz, now=now)


def test_page_wib_labelled_z_takes_visible_wall_clock():
    tree = page(
        HEADLINE + '<div class="date">Kamis, 14/03/2024 09:41 WIB</div><p>Isi berita.</p>',
        '<meta name="pubdate" content="2024-03-14 T09:41:27Z">',
    )
    published, _ = pick(tree, "https://kaltara.example/read/2024/03/14/094127/jalan")
    assert published.value.isoformat() == "2024-03-14T09:41:27+07:00"


def test_page_minus_seven_for_wib_and_gmt_pubdate():
    head = (
        '<meta property="article:published_time" content="2024-03-13T19:05:44-07:00">'
        '<meta name="pubdate" content="Wed, 13 Mar 2024 19:05:44 GMT">'
        '<meta property="article:modified_time" content="2024-03-13T21:30:00-07:00">'
    )
    visible = page(HEADLINE + "<div><span>KALTARA | 13 Maret 2024 19:05</span></div><p>Isi.</p>", head)
    published, updated = pick(visible)
    assert published.value.isoformat() == "2024-03-13T19:05:44+07:00"
    assert updated.value.isoformat() == "2024-03-13T21:30:00+07:00"
    # No visible date: the two labels show one wall clock, so it is the site's.
    published, updated = pick(page(HEADLINE + "<p>Isi.</p>", head))
    assert published.value.isoformat() == "2024-03-13T19:05:44+07:00"
    assert updated.value.isoformat() == "2024-03-13T21:30:00+07:00"


def test_page_meta_time_of_another_article_loses():
    tree = page(
        SIDEBAR + HEADLINE + '<div class="date">Kamis, 14/03/2024 08:12 WIB</div><p>Isi berita.</p>',
        '<meta name="pubdate" content="2024-03-14 T16:00:20Z">',
    )
    published, _ = pick(tree)
    assert published.value.isoformat() == "2024-03-14T08:12:00+07:00"
    assert published.source == "visible"


def test_page_sidebar_dates_never_win():
    tree = page(SIDEBAR + HEADLINE + "<p>Isi berita tanpa tanggal.</p>")
    published, _ = pick(tree, "https://kaltara.example/2024/03/12/jalan-lingkar/")
    assert published.value == date(2024, 3, 12)
    assert published.source == "url"
    body = '<div class="isi"><p>Isi.</p><p>Baca juga: <a href="/x">Banjir</a> Senin, 11/03/2024 10:00 WIB</p></div>'
    tree = page(
        HEADLINE + body, '<meta property="article:published_time" content="2024-03-12T07:00:00+07:00">'
    )
    published, _ = pick(tree, article_root=tree.xpath("//div[@class='isi']")[0])
    assert published.value.isoformat() == "2024-03-12T07:00:00+07:00"


def test_page_meta_on_another_day_than_url_loses():
    tree = page(HEADLINE + "<p>Isi.</p>", '<meta name="pubdate" content="2024-03-01T10:00:00+07:00">')
    published, _ = pick(tree, "https://kaltara.example/2024/03/12/jalan/")
    assert published.value == date(2024, 3, 12)


def test_page_day_only_visible_takes_meta_time_same_day():
    tree = page(
        HEADLINE + '<div class="tanggal">Selasa (12/3/2024)</div><p>Isi.</p>',
        '<meta property="article:published_time" content="2024-03-12T00:25:00Z">',
    )
    published, _ = pick(tree)
    assert published.value.isoformat() == "2024-03-12T07:25:00+07:00"
    tree = page(
        HEADLINE + '<div class="tanggal">Selasa (12/3/2024)</div><p>Isi.</p>',
        '<meta property="article:published_time" content="2024-03-05T10:00:00+07:00">',
    )
    published, _ = pick(tree)
    assert published.value == date(2024, 3, 12)


def test_page_correct_utc_jsonld_agrees_with_visible():
    ld = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "NewsArticle", "datePublished": "2024-03-12T01:05:09Z"}],
    }
    tree = page(
        HEADLINE + '<p class="byline">Oleh Ahmad | 12 Mar 2024 08:05 WIB</p><p>Isi.</p>',
        f'<script type="application/ld+json">{json.dumps(ld)}</script>',
    )
    published, _ = pick(tree)
    assert published.value.isoformat() == "2024-03-12T08:05:09+07:00"
    assert published.source == "jsonld"


def test_page_values_in_site_zone():
    tree = page(HEADLINE + '<div class="date">Sabtu, 09/03/2024 19.30 WIB</div>')
    published, _ = pick(tree, tz="Asia/Makassar")
    assert published.value.isoformat() == "2024-03-09T20:30:00+08:00"
    tree = page(HEADLINE + '<div class="date">Sabtu, 09/03/2024 19.30 Wit</div>')
    published, _ = pick(tree, tz="Asia/Jayapura")
    assert published.value.isoformat() == "2024-03-09T19:30:00+09:00"


def test_page_relative_visible_anchors_at_fetch_time():
    tree = page(HEADLINE + '<div class="date">2 jam yang lalu</div>')
    published, _ = pick(tree, now=datetime(2024, 3, 15, 12, 0, tzinfo=WIB))
    assert published.value.isoformat() == "2024-03-15T10:00:00+07:00"
    tree = page(
        HEADLINE + '<div class="date">2 jam yang lalu</div>',
        '<meta property="article:published_time" content="2024-03-15T09:47:10+07:00">',
    )
    published, _ = pick(tree, now=datetime(2024, 3, 15, 12, 0, tzinfo=WIB))
    assert published.value.isoformat() == "2024-03-15T09:47:10+07:00"


def test_page_updated_kept_apart():
    tree = page(
        HEADLINE
        + '<div class="date">Kamis, 14/03/2024 08:00 WIB</div>'
        + '<div class="update">Diperbarui 14 Mar 2024, 15:20 WIB</div><p>Isi.</p>'
    )
    published, updated = pick(tree)
    assert published.value.isoformat() == "2024-03-14T08:00:00+07:00"
    assert updated.value.isoformat() == "2024-03-14T15:20:00+07:00"
    assert updated.raw == "Diperbarui 14 Mar 2024, 15:20 WIB"


def test_page_future_meta_dropped_against_fetch_time():
    tree = page(HEADLINE + "<p>Isi.</p>", '<meta name="pubdate" content="2024-03-20T10:00:00+07:00">')
    published, _ = pick(tree, "https://kaltara.example/2024/03/14/jalan/", now=NOW)
    assert published.value == date(2024, 3, 14)


def test_page_profile_selector():
    tree = page(HEADLINE + '<p class="tgl-terbit">Jumat, 8 Maret 2024 - 14:00 WITA</p><p>Isi.</p>')
    cands = gather_date_candidates(tree, None, profile_selector="p.tgl-terbit")
    assert cands[0] == DateCandidate(
        "Jumat, 8 Maret 2024 - 14:00 WITA", "profile", "published", "p.tgl-terbit"
    )
    published, _ = pick_dates(cands, tz="Asia/Makassar", now=NOW)
    assert published.value.isoformat() == "2024-03-08T14:00:00+08:00"


def test_page_without_dates():
    published, updated = pick(page("<p>Tidak ada tanggal.</p>"))
    assert published.value is None and updated.value is None


# -- the shared dev data (skipped when ../shared is absent) -------------------------

SITE_TZ = {"+07:00": "Asia/Jakarta", "+08:00": "Asia/Makassar", "+09:00": "Asia/Jayapura"}
DEV_NOW = datetime(2019, 11, 28, 12, 0, tzinfo=WIB)


def _dev_rows():
    path = SHARED / "id-dates-dev.tsv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["category"] != "trap-mislabelled-zone"]


@pytest.mark.skipif(not (SHARED / "id-dates-dev.tsv").exists(), reason="shared datasets not present")
@pytest.mark.parametrize("row", _dev_rows(), ids=lambda r: r["raw"])
def test_dev_strings(row):
    value = parse_date(row["raw"], tz=SITE_TZ[row["site_tz"]], now=DEV_NOW)
    assert ("REJECT" if value is None else value.isoformat()) == row["expected_iso"]


@pytest.mark.skipif(not (SHARED / "id-news-dev").exists(), reason="shared datasets not present")
def test_dev_pages():
    folder = SHARED / "id-news-dev"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    wrong = []
    for page_id, label in truth.items():
        if not label["is_article"]:
            continue
        tree = lxml.html.fromstring((folder / "html" / f"{page_id}.html").read_bytes())
        published, _ = pick_dates(gather_date_candidates(tree, label["url"]), tz="Asia/Jakarta", now=None)
        got = published.value.isoformat() if published.value is not None else ""
        if got[:16] != label["published"][:16] or got[-6:] != label["published"][-6:]:
            wrong.append((page_id, got, label["published"]))
    assert wrong == []


def test_page_wordpress_published_and_updated_time_elements():
    tree = page(
        HEADLINE
        + '<div class="entry-meta"><span class="posted-on">'
        + '<time class="entry-date published" datetime="2024-03-11T06:30:00+07:00">11 Maret 2024</time>'
        + '<time class="updated" datetime="2024-03-13T09:00:00+07:00">13 Maret 2024</time></span></div>'
        + "<p>Isi berita.</p>"
    )
    published, updated = pick(tree)
    assert published.value.isoformat() == "2024-03-11T06:30:00+07:00"
    assert updated.value.isoformat() == "2024-03-13T09:00:00+07:00"


def test_page_masthead_date_far_from_the_article_is_not_its_date():
    masthead = (
        '<div class="top"><div class="tgl">Jumat, 15 Maret 2024</div></div>' + "<div><p>x</p></div>" * 40
    )
    tree = page(
        masthead + HEADLINE + "<p>Isi berita.</p>",
        '<meta property="article:published_time" content="2024-03-12T07:15:00+07:00">',
    )
    published, _ = pick(tree)
    assert published.value.isoformat() == "2024-03-12T07:15:00+07:00"


def test_relative_chains_add_up():
    assert iso("1 jam 20 menit yang lalu") == "2024-03-15T08:40:00+07:00"
    assert iso("30 detik lalu") == "2024-03-15T09:59:30+07:00"
    assert iso("1 tahun 2 bulan lalu") == "2023-01-15"


def test_impossible_named_dates_are_not_guessed():
    assert iso("Kamis, 31 Juni 2023") is None
    assert iso("Senin, 30 Februari 2023 10:00 WIB") is None


def test_normalize_date_is_strict():
    from pipelines.dates import normalize_date
    from pipelines.errors import UnparseableDate

    assert normalize_date("Jumat (8/3/2024)") == "2024-03-08"
    with pytest.raises(UnparseableDate):
        normalize_date("Jumat (8/3/224)")


def test_page_line_with_published_and_updated():
    tree = page(
        HEADLINE
        + '<p class="meta">Dipublikasikan 14/03/2024 08:00 WIB | Diperbarui 14/03/2024 15:20 WIB</p>'
        + "<p>Isi berita.</p>"
    )
    published, updated = pick(tree)
    assert published.value.isoformat() == "2024-03-14T08:00:00+07:00"
    assert updated.value.isoformat() == "2024-03-14T15:20:00+07:00"


def test_page_site_style_header_holding_the_headline_is_the_article_header():
    tree = page(
        '<header class="single-header">'
        + HEADLINE
        + '<span class="date">Rabu, 13/03/2024 17:45 WIB</span></header>'
        '<div class="content"><p>Isi berita.</p></div>' + SIDEBAR
    )
    published, _ = pick(tree)
    assert published.value.isoformat() == "2024-03-13T17:45:00+07:00"


# -- the fast page-level search gives what a walk over the whole page gives ------------


def _visible_by_full_walk(tree, article_root, headline, keep):
    """The visible date lines as the full two-pass walk over every node found them (the reference)."""
    from pipelines import dates as d

    order = {el: i for i, el in enumerate(tree.iter())}
    h_idx = order.get(headline)
    root_idx = order.get(article_root) if article_root is not None else None
    scored, seen = [], set()
    anchor = datetime.now(UTC)
    limit = anchor + timedelta(days=36500)
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in d._SKIP_TAGS:
            continue
        parts = [el.text or ""] + [child.tail or "" for child in el]
        own = " ".join(p.strip() for p in parts if p and p.strip())
        if not own or len(own) > d.MAX_DATE_LINE * 2 or not d._dateish(own):
            continue
        text = " ".join(el.text_content().split())
        if len(text) > d.MAX_DATE_LINE:
            text = own
        if len(text) > d.MAX_DATE_LINE or text in seen or d._excluded(el, article_root, keep):
            continue
        if not d._date_line_shaped(text, el) or not d._readable(text, anchor, limit):
            continue
        classed = d._date_classed(el)
        if not classed and d._caption_like(el):
            continue
        idx, score, anchored = order[el], 0.0, False
        if classed or d._DATE_LABEL_RE.match(text):
            score += d.SCORE_DATE_CLASS
        if h_idx is not None:
            dist = idx - h_idx
            if 0 < dist <= d.NEAR_HEADLINE:
                score += d.SCORE_AFTER_HEADLINE * (1 - dist / (d.NEAR_HEADLINE * d.SCORE_AFTER_HEADLINE))
                anchored = True
            elif -d.BEFORE_HEADLINE <= dist < 0:
                score += d.SCORE_BEFORE_HEADLINE
                anchored = True
        if root_idx is not None:
            if article_root in el.iterancestors():
                if idx - root_idx <= d.BODY_HEAD:
                    score += d.SCORE_NEAR_BODY
                    anchored = True
            elif 0 < root_idx - idx <= d.ABOVE_BODY:
                score += d.SCORE_NEAR_BODY
                anchored = True
        if h_idx is None and root_idx is None:
            anchored = score > 0
        if not anchored:
            continue
        if d._HAS_TIME_RE.search(text):
            score += d.SCORE_HAS_TIME
        seen.add(text)
        marker = d._UPDATED_RE.search(text)
        if marker is None:
            scored.append((score, idx, (text, "visible", d._element_role(el), d._describe(el))))
            continue
        before, after = text[: marker.start()].strip(" |,-"), text[marker.start() :]
        if before and d._parse(before, UTC, anchor, limit) is not None:
            scored.append((score, idx, (before, "visible", "published", d._describe(el))))
        scored.append((score, idx, (after, "visible", "updated", d._describe(el))))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [cand for _, _, cand in scored[: d.MAX_VISIBLE]]


def _random_page(rng) -> str:
    """A page with a headline, filler, date lines and sidebars at random places."""
    lines = [
        "Kamis, 28/11/2019 14:30 WIB",
        "Rabu, 4 November 2015 | 21:04 WIB",
        "2 jam yang lalu",
        "Diperbarui 29/11/2019 10:00 WIB",
        "Sabtu (30/11)",
        "12 Mei 2020",
        "Update: 1 Des 2019 08.00",
    ]
    filler = [
        "<p>Isi berita tanpa tanggal.</p>",
        "<!-- iklan -->",
        "<span>Bagikan</span>",
        "<br>",
        "<ul><li><a href='/x'>Judul berita lain yang panjang sekali</a> 3/12/2019</li></ul>",
        "<div class='sidebar'><span class='date'>5/12/2019</span></div>",
        "<img src='a.jpg'>",
    ]
    out = ["<html><head><title>Koperasi nelayan Lebak bangkit lagi | Kabar</title></head><body>"]
    for _ in range(rng.randint(0, 250)):
        if rng.random() < 0.1:
            cls = rng.choice(["date", "tanggal", "meta", "byline", ""])
            out.append(f"<div class='{cls}'>{rng.choice(lines)}</div>")
        elif rng.random() < 0.02:
            out.append("<h1>Koperasi nelayan Lebak bangkit lagi</h1>")
        elif rng.random() < 0.02:
            out.append("<div class='entry-content'><p>BODY</p>")
            out.extend(rng.choice(filler) for _ in range(rng.randint(0, 40)))
            out.append(f"<p>{rng.choice(lines)}</p></div>")
        else:
            out.append(rng.choice(filler))
    out.append("</body></html>")
    return "".join(out)


def test_visible_search_near_the_article_equals_the_full_walk():
    import random

    from pipelines import dates as d

    rng = random.Random(20191128)
    pages = [_random_page(rng) for _ in range(150)]
    if (SHARED / "id-news-dev").exists():
        pages += [
            p.read_text(encoding="utf-8", errors="replace")
            for p in (SHARED / "id-news-dev" / "html").glob("*.html")
        ]
    for n, html in enumerate(pages):
        tree = lxml.html.fromstring(html)
        headline = d._find_headline(tree)
        keep = frozenset(headline.iterancestors()) if headline is not None else frozenset()
        bodies = tree.xpath("//div[@class='entry-content'] | //article | //div[p][1]")
        for root in [None, *bodies[:2]]:
            for head in (headline, None):
                got = [
                    (c.raw, c.source, c.role, c.detail) for c in d._visible_candidates(tree, root, head, keep)
                ]
                assert got == _visible_by_full_walk(tree, root, head, keep), n


def test_time_elements_equal_the_xpath():
    from pipelines import dates as d

    html = ('<html><head><meta itemprop="datePublished" content="2019-11-28"></head><body>'
            '<time datetime="2019-11-28" itemprop="datePublished">28 Nov</time>'
            '<span itemprop="dateModified">x<time datetime="">y</time></span><div itemprop="datepublished">z</div>'
            '<time>q</time><p itemprop="dateCreated"></p><b itemprop="author">A</b></body></html>')  # fmt: skip
    tree = lxml.html.fromstring(html)
    want = tree.xpath("//time[@datetime] | //*[@itemprop='datePublished' or @itemprop='dateModified'"
                      " or @itemprop='dateCreated'][not(self::meta)]")  # fmt: skip
    got = d._time_elements(tree)
    assert [e.tag for e in got] == ["time", "span", "time", "p"]
    assert len(got) == len(want) and all(a is b for a, b in zip(got, want, strict=True))


@pytest.mark.parametrize("gap", [0, 1, 27, 28, 29, 30, 31, 37, 38, 39, 40, 41, 117, 118, 119, 120, 121, 122])
def test_visible_search_at_the_edges_of_the_windows_equals_the_full_walk(gap):
    from pipelines import dates as d

    line = "<div class='date'>Kamis, 28/11/2019 14:30 WIB</div>"
    fill = "<span>x</span>" * gap
    pages = [  # date line before/after the headline, above/inside the body, with and without either
        f"<html><body>{line}{fill}<h1>Koperasi nelayan Lebak bangkit lagi</h1><p>a</p></body></html>",
        f"<html><body><h1>Koperasi nelayan Lebak bangkit lagi</h1>{fill}{line}<p>a</p></body></html>",
        f"<html><body>{line}{fill}<div id='body'><p>a</p></div></body></html>",
        f"<html><body><div id='body'>{fill}{line}<p>a</p></div></body></html>",
        f"<html><body><div id='body'><p>a</p></div>{fill}{line}</body></html>",
        f"<html><body><h1>Koperasi nelayan Lebak bangkit lagi</h1>{fill}<div id='body'>{fill}{line}</div></body></html>",
    ]
    for html in pages:
        tree = lxml.html.fromstring(html)
        headline = d._find_headline(tree)
        keep = frozenset(headline.iterancestors()) if headline is not None else frozenset()
        for root in (None, *tree.xpath("//div[@id='body']")):
            for head in (headline, None):
                got = [
                    (c.raw, c.source, c.role, c.detail) for c in d._visible_candidates(tree, root, head, keep)
                ]
                assert got == _visible_by_full_walk(tree, root, head, keep), html


# -- a stated offset is never overruled by a wall clock that names no zone --------------


@pytest.mark.parametrize(
    ("offset", "utc"),
    [("-07:00", "2024-03-14T18:00:00+00:00"), ("+08:00", "2024-03-14T03:00:00+00:00"),
     ("+09:00", "2024-03-14T02:00:00+00:00"), ("+02:00", "2024-03-14T09:00:00+00:00")],
)
def test_page_stated_offset_survives_a_zoneless_visible_clock(offset, utc):
    # The visible "11:00" names no zone; the markup says which one it is. Reading the
    # visible clock as WIB and calling the markup's offset wrong stored 11:00-07:00 as
    # 11:00+07:00, 14 hours off (and +08:00/+09:00 an hour or two off).
    tree = page(
        HEADLINE + '<div class="date">Kamis, 14/03/2024 11:00</div><p>Isi berita.</p>',
        f'<meta property="article:published_time" content="2024-03-14T11:00:00{offset}">',
    )
    published, _ = pick(tree)
    assert published.value.astimezone(UTC).isoformat() == utc


# -- the zone policy and the page-level mechanisms (docs/dates.md), on warta's own pages ----

from pipelines.dates import PageContext, page_context, page_dates  # noqa: E402

FETCHED = datetime(2024, 3, 15, 6, 0, tzinfo=UTC)


def doc(body: str, head: str = "", lang: str = "", title: str = "Panen raya rumput laut di Takalar") -> lxml.html.HtmlElement:
    attr = f' lang="{lang}"' if lang else ""
    return lxml.html.fromstring(f"<html{attr}><head><title>{title}</title>{head}</head><body>{body}</body></html>")


def ld(**fields) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


ID_TEXT = ("<p>Nelayan di pesisir Takalar mulai memanen rumput laut yang ditanam sejak awal tahun, dan hasilnya "
           "lebih baik dari tahun lalu karena cuaca yang tidak terlalu buruk untuk tanaman itu.</p>")
DE_TEXT = "<p>Die Fischer an der Küste beginnen mit der Ernte, die besser ausfällt als im vergangenen Jahr.</p>"
EN_TEXT = "<p>Fishermen on the coast began the harvest, which is better than last year's, officials said.</p>"


def published_of(tree, url=None, tz=None, now=FETCHED):
    return page_dates(tree, url, tz=tz, now=now)[0]


@pytest.mark.parametrize(("offset", "written"), [("+08:00", "2024-03-14T10:30:00+08:00"),
                                                 ("+09:00", "2024-03-14T10:30:00+09:00")])
def test_wita_wit_page_without_profile_keeps_its_markup_offset(offset, written):
    tree = doc("<h1>Panen raya rumput laut di Takalar</h1><div class='tanggal'>Kamis, 14/03/2024 10:30</div>" + ID_TEXT,
               ld(datePublished=f"2024-03-14T10:30:00{offset}"))
    pick = published_of(tree, "https://kabar.example/2024/03/14/panen/")
    assert (pick.value.isoformat(), pick.zone) == (written, "stated")


def test_minus_seven_markup_on_a_us_page():
    tree = doc("<h1>Harvest festival draws record crowds</h1><p class='byline'>March 14, 2024 11:00 a.m.</p>" + EN_TEXT,
               '<meta property="article:published_time" content="2024-03-14T11:00:00-07:00">', lang="en-US",
               title="Harvest festival draws record crowds")
    pick = published_of(tree)
    assert pick.value.isoformat() == "2024-03-14T11:00:00-07:00" and pick.zone == "stated"


def test_plus_two_markup_on_a_page_that_is_not_indonesian_is_written_as_stated():
    tree = doc("<h1>Die Ernte beginnt an der Küste</h1><p class='date'>14.03.2024, 09:15 Uhr</p>" + DE_TEXT,
               ld(datePublished="2024-03-14T09:15:00+02:00"), lang="de", title="Die Ernte beginnt an der Küste")
    pick = published_of(tree)
    assert pick.value.isoformat() == "2024-03-14T09:15:00+02:00"


def test_a_zoneless_line_beside_a_utc_instant_is_written_in_the_offset_the_line_shows():
    tree = doc("<h1>Die Ernte beginnt an der Küste</h1><p class='date'>14. März 2024, 17:47</p>" + DE_TEXT,
               ld(datePublished="2024-03-14T16:47:42Z"), lang="de", title="Die Ernte beginnt an der Küste")
    pick = published_of(tree)
    assert pick.value.isoformat() == "2024-03-14T17:47:42+01:00" and pick.zone == "stated"


def test_zone_unknown_is_kept_naive_never_invented():
    tree = doc("<h1>Harvest festival draws record crowds</h1><p class='date'>14/03/2024 10:30</p>" + EN_TEXT,
               lang="en-GB", title="Harvest festival draws record crowds")
    pick = published_of(tree)
    assert pick.value == datetime(2024, 3, 14, 10, 30) and pick.zone == "unknown"


@pytest.mark.parametrize(("lang", "url", "body", "reason"), [
    ("id", "https://kabar.example/a", "<p>x</p>", "language"),
    ("en", "https://kabar.example.co.id/a", "<p>x</p>", "domain"),
    ("en", "https://kabar.example/a", ID_TEXT * 2, "text"),
    ("", "https://kabar.example/a", "<p>Pukul 14.30 WIB warga berkumpul.</p>", "zone-words"),
])
def test_indonesian_pages_without_profile_are_read_as_wib(lang, url, body, reason):
    tree = doc("<h1>Panen raya rumput laut di Takalar</h1><div class='tanggal'>Kamis, 14/03/2024 10:30</div>" + body,
               lang=lang)
    assert page_context(tree, url).indonesian == reason
    pick = published_of(tree, url)
    assert pick.value.isoformat() == "2024-03-14T10:30:00+07:00" and pick.zone == "indonesian"


def test_malay_host_is_not_judged_indonesian_by_its_text():
    tree = doc(ID_TEXT * 2, lang="en")
    assert page_context(tree, "https://berita.example.com.my/a").indonesian is None


def test_a_profile_zone_writes_every_instant_in_it():
    tree = doc("<h1>Panen raya rumput laut di Takalar</h1>" + ID_TEXT,
               '<meta property="article:published_time" content="2024-03-14T02:00:00+00:00">')
    pick = published_of(tree, tz="Asia/Makassar")
    assert (pick.value.isoformat(), pick.zone) == ("2024-03-14T10:00:00+08:00", "stated")
    tree = doc("<h1>Panen raya rumput laut di Takalar</h1><div class='tanggal'>Kamis, 14/03/2024 10:30</div>")
    pick = published_of(tree, tz="Asia/Makassar")
    assert (pick.value.isoformat(), pick.zone) == ("2024-03-14T10:30:00+08:00", "profile")


def test_mislabelled_zone_is_corrected_only_with_evidence():
    head = '<meta name="pubdate" content="2024-03-14 T10:08:58Z">'
    named = doc("<h1>Panen raya rumput laut di Takalar</h1><div class='date'>Kamis, 14/03/2024 10:08 WIB</div>"
                + ID_TEXT, head)
    pick = published_of(named)
    assert (pick.value.isoformat(), pick.zone) == ("2024-03-14T10:08:58+07:00", "corrected")
    # The same markup on a page whose line names no zone: the stated Z stands.
    unnamed = doc("<h1>Harvest festival draws record crowds</h1><p class='date'>14/03/2024 10:08</p>" + EN_TEXT,
                  head, lang="en", title="Harvest festival draws record crowds")
    assert published_of(unnamed).value.isoformat() == "2024-03-14T10:08:58+00:00"


def test_relative_text_loses_to_metadata():
    for line in ("3 seconds ago", "14 hours ago", "2 jam yang lalu"):
        tree = doc(f"<h1>Harvest festival draws record crowds</h1><p class='date'>{line}</p>" + EN_TEXT,
                   '<meta property="article:published_time" content="2024-03-13T08:00:00+01:00">',
                   lang="en", title="Harvest festival draws record crowds")
        pick = published_of(tree)
        assert pick.value.isoformat() == "2024-03-13T08:00:00+01:00", line
        assert pick.source == "meta"


@pytest.mark.parametrize("line", [
    "Aktualisiert am 14.03.2024, 17:47 Uhr", "Stand: 14.03.2024 17:47 Uhr", "Updated: 14 March 2024 17:47",
    "Diperbarui 14 Maret 2024 17:47 WIB", "Mis à jour le 14/03/2024 à 17:47", "Actualizado 14/03/2024 17:47",
    "Last updated 14/03/2024 17:47",
])
def test_updated_lines_are_never_the_publication(line):
    tree = doc(f"<h1>Harvest festival draws record crowds</h1><p class='meta'>{line}</p>" + EN_TEXT,
               ld(datePublished="2024-03-14T08:05:00+01:00"), title="Harvest festival draws record crowds")
    published, updated = page_dates(tree, None, now=FETCHED)
    assert published.value.isoformat() == "2024-03-14T08:05:00+01:00"
    assert updated.value is not None and updated.value.hour == 17


def test_a_line_showing_the_modified_time_is_not_the_publication():
    tree = doc("<h1>Harvest festival draws record crowds</h1><span class='time'>17:47, 14 Mar 2024</span>" + EN_TEXT,
               ld(datePublished="2024-03-13T09:00:00Z", dateModified="2024-03-14T16:47:00Z")
               + '<meta property="article:published_time" content="2024-03-14T16:47:00Z">',
               lang="en-GB", title="Harvest festival draws record crowds")
    assert published_of(tree).value.astimezone(UTC).isoformat() == "2024-03-13T09:00:00+00:00"


def test_body_sentence_years_and_dates_are_not_date_lines():
    body = ("<div class='isi'><p>Koperasi nelayan yang didirikan pada 17 Agustus 1923 oleh para tetua kampung itu kini "
            "melayani lebih dari dua ribu anggota di pesisir selatan Banten dan terus berkembang.</p>" + ID_TEXT + "</div>")
    tree = doc("<h1>Panen raya rumput laut di Takalar</h1>" + body,
               '<meta property="article:published_time" content="2024-03-14T07:00:00+07:00">')
    assert published_of(tree).value.isoformat() == "2024-03-14T07:00:00+07:00"


BLOGGER = """<html><head><title>Kabar Sentani: Panen Raya Ubi di Kampung Yoboi</title></head><body>
<div class="header"><h1 class="title">Kabar Sentani</h1></div>
<div class="date-outer"><h2 class="date-header"><span>Jumat, 06 Desember 2019</span></h2>
<div class="date-posts"><div class="post-outer"><div class="post hentry" itemprop="blogPost">
<h3 class="post-title entry-title">Panen Raya Ubi di Kampung Yoboi</h3>
<div class="post-body entry-content"><div class="separator"><img src="ubi.jpg"></div>
<div class="caption">Warga memanen ubi di kebun (4/12/2019).</div>
<p>Warga Kampung Yoboi memanen ubi yang mereka tanam sejak awal tahun, dan hasilnya lebih baik dari tahun lalu.</p>
</div><div class="post-footer"><div class="post-footer-line">Diposting oleh <span class="fn">Yohanes</span> pada
<a class="timestamp-link" href="#"><abbr class="published" itemprop="datePublished"
 title="2019-12-06T10:15:00+08:00">10.15</abbr></a></div></div></div></div></div></div>
<div class="sidebar"><h2>Arsip</h2></div></body></html>"""


def test_blogger_footer_datepublished_beats_an_in_body_caption_date():
    tree = lxml.html.fromstring(BLOGGER)
    pick = published_of(tree, "https://kabarsentani.example/2019/12/panen-raya-ubi.html", now=datetime(2019, 12, 7, tzinfo=UTC))
    assert pick.value.isoformat() == "2019-12-06T10:15:00+08:00"
    assert pick.zone == "stated"


def test_a_sidebar_date_line_before_the_headline_loses_to_the_articles():
    sidebar = ("<div class='kolom'><div class='item'><a href='/b/1'>Harga cabai di pasar induk naik lagi minggu ini</a>"
               "<div class='tanggal'>Rabu, 13/03/2024 16:00 WIB</div></div></div>")
    tree = doc(sidebar + "<h1>Panen raya rumput laut di Takalar</h1><div class='tanggal'>Kamis, 14/03/2024</div>"
               + ID_TEXT)
    assert published_of(tree).value == date(2024, 3, 14)


def test_us_month_day_year_only_on_us_english_pages():
    assert PageContext(month_first=True) == page_context(doc("<p>x</p>", lang="en-US"), None)
    us = doc("<h1>Harvest festival draws record crowds</h1><p class='date'>Posted 9/11/13</p>" + EN_TEXT,
             lang="en-US", title="Harvest festival draws record crowds")
    assert published_of(us, now=datetime(2013, 9, 12, tzinfo=UTC)).value == date(2013, 9, 11)
    gb = doc("<h1>Harvest festival draws record crowds</h1><p class='date'>Posted 9/11/13</p>" + EN_TEXT,
             lang="en-GB", title="Harvest festival draws record crowds")
    # Day first it is 9 November 2013, after the fetch: rejected, not read the other way.
    assert published_of(gb, now=datetime(2013, 9, 12, tzinfo=UTC)).value is None
    assert parse_date("12/25/2019", month_first=True, now=NOW) == date(2019, 12, 25)
    assert parse_date("25/12/2019", month_first=True, now=NOW) is None


def test_microformats_and_citation_dc_meta():
    tree = doc("<h1>Harvest festival draws record crowds</h1><div class='entry-meta'>"
               "<abbr class='published' title='2024-03-14T09:00:00+01:00'>14 March</abbr></div>" + EN_TEXT,
               lang="en", title="Harvest festival draws record crowds")
    pick = published_of(tree)
    assert (pick.value.isoformat(), pick.source) == ("2024-03-14T09:00:00+01:00", "microformat")
    tree = doc(EN_TEXT, '<meta name="citation_publication_date" content="2024/03/14">', lang="en")
    assert published_of(tree).value == date(2024, 3, 14)
    tree = doc(EN_TEXT, '<meta name="DC.date.issued" content="2024-03-14T09:00:00+01:00">', lang="en")
    assert published_of(tree).value.isoformat() == "2024-03-14T09:00:00+01:00"


def test_itemprop_time_outside_the_story_container_still_counts():
    tree = doc("<div class='story-header'><h1>Harvest festival draws record crowds</h1></div>"
               "<div class='story-body'>" + EN_TEXT + "</div><div class='story-meta'>"
               "<time itemprop='datePublished' datetime='2024-03-14T09:00:00+01:00'>14 March 2024</time></div>",
               lang="en", title="Harvest festival draws record crowds")
    root = tree.xpath("//div[@class='story-body']")[0]
    pick = page_dates(tree, None, now=FETCHED, article_root=root)[0]
    assert pick.value.isoformat() == "2024-03-14T09:00:00+01:00"


def test_fractional_seconds_are_kept():
    assert parse_date("2024-03-14T20:07:27.8200000+07:00", now=NOW).microsecond == 820000
    assert parse_date("14/03/2024 20:07:27.82", now=NOW).isoformat() == "2024-03-14T20:07:27.820000+07:00"


def test_a_day_is_never_returned_where_the_page_gives_a_time():
    tree = doc("<h1>Die Ernte beginnt an der Küste</h1><p class='date'>14.03.2024</p>" + DE_TEXT,
               ld(datePublished="2024-03-14T12:31:54+01:00")
               + "<meta name='date' content='2024-03-14'>", lang="de", title="Die Ernte beginnt an der Küste")
    tree.find(".//p").addnext(lxml.html.fragment_fromstring("<time datetime='2024-03-14T00:00:00+01:00'>x</time>"))
    assert published_of(tree).value.isoformat() == "2024-03-14T12:31:54+01:00"


def test_live_blog_entries_and_images_do_not_date_the_page():
    data = {"@type": "LiveBlogPosting", "datePublished": "2024-03-13T08:00:00Z",
            "image": {"@type": "ImageObject", "datePublished": "2024-03-14T11:00:00Z"},
            "liveBlogUpdate": [{"@type": "BlogPosting", "datePublished": "2024-03-14T12:00:00Z"}]}
    tree = doc(EN_TEXT, f'<script type="application/ld+json">{json.dumps(data)}</script>', lang="en")
    assert published_of(tree).value.isoformat() == "2024-03-13T08:00:00+00:00"


def test_url_dates_are_the_last_resort_for_the_day():
    tree = doc(EN_TEXT, lang="en")
    assert published_of(tree, "https://news.example/world/2024-03-14/harvest").value == date(2024, 3, 14)
    assert published_of(tree, "https://news.example/2024/03/14/harvest").value == date(2024, 3, 14)


def test_photo_caption_dates_are_the_photos():
    tree = doc("<h1>Die Ernte beginnt an der Küste</h1><div class='pic'><a href='#'><img src='a.jpg'></a>"
               "<p>Fischer bei der Ernte, 24. April 2023</p></div><ul><li>Datum 28.04.2023</li></ul>" + DE_TEXT,
               lang="de", title="Die Ernte beginnt an der Küste")
    assert published_of(tree, now=datetime(2023, 4, 29, tzinfo=UTC)).value == date(2023, 4, 28)
    figure = doc("<h1>Die Ernte beginnt an der Küste</h1><figure><img src='a.jpg'><figcaption>Fischer, 24. April 2023"
                 "</figcaption></figure>" + DE_TEXT, "<meta name='date' content='2023-04-28'>", lang="de",
                 title="Die Ernte beginnt an der Küste")
    assert published_of(figure, now=datetime(2023, 4, 29, tzinfo=UTC)).value == date(2023, 4, 28)


def test_other_languages_and_scripts_are_read():
    for text, want in [("14. März 2024, 17:47", "2024-03-14T17:47:00"), ("14 de marzo de 2024 17:47", "2024-03-14T17:47:00"),
                       ("14 mars 2024 à 17h47", "2024-03-14T17:47:00"), ("2024年3月14日 17時47分", "2024-03-14T17:47:00"),
                       ("2024.03.14 17:47", "2024-03-14T17:47:00"), ("2024년 3월 14일 17:47", "2024-03-14T17:47:00")]:
        value = parse_date(text, tz="UTC", now=NOW)
        assert value is not None and value.replace(tzinfo=None).isoformat() == want, text


# -- an unknown zone through the archive and its readers ---------------------------------------

UNKNOWN_ZONE_PAGE = (
    "<html lang='en-GB'><head><title>Harvest festival draws record crowds</title></head><body>"
    "<h1>Harvest festival draws record crowds</h1><p class='date'>14/03/2024 10:30</p>"
    + "<p>Fishermen on the coast began the harvest, which is better than last year's, officials said on "
    "Thursday as crowds gathered along the harbour to watch the first boats come in.</p>" * 6
    + "</body></html>"
)


def test_unknown_zone_is_stored_without_offset_and_without_instant(tmp_path):
    from pipelines.archive import archive_article, article_record, open_archive, schema_version
    from pipelines.core import extract_article
    from pipelines.export import export_articles
    from pipelines.notebook import select_articles
    from pipelines.stats import archive_stats

    article = extract_article(UNKNOWN_ZONE_PAGE, "https://harbour.example/news/harvest", fetched_at=FETCHED)
    assert article.published == datetime(2024, 3, 14, 10, 30)
    assert article.published_offset_source == "unknown"
    record = article_record(article)
    assert (record["published"], record["published_utc"]) == ("2024-03-14T10:30:00", None)

    db = open_archive(tmp_path / "a.db")
    assert schema_version(db) >= 2  # the offset columns came with migration 2
    archive_article(db, article)
    dated = extract_article(UNKNOWN_ZONE_PAGE.replace(
        "</head>", "<meta property='article:published_time' content='2024-03-13T08:00:00+01:00'></head>"),
        "https://harbour.example/news/other", fetched_at=FETCHED)
    assert dated.published_offset_source == "stated"
    archive_article(db, dated)
    rows = {r["url"]: r for r in select_articles(db)}
    assert rows["https://harbour.example/news/harvest"]["published_offset_source"] == "unknown"
    assert rows["https://harbour.example/news/harvest"]["published_utc"] is None

    out = tmp_path / "a.jsonl"
    assert export_articles(db, out, "jsonl") == 2
    exported = {r["url"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    row = exported["https://harbour.example/news/harvest"]
    assert (row["published"], row["published_at"], row["published_day"]) == ("2024-03-14T10:30:00", None, "2024-03-14")
    assert export_articles(db, tmp_path / "a.parquet", "parquet") == 2
    stats = archive_stats(db)
    assert (stats.articles, stats.with_time, stats.undated) == (2, 2, 0)


def test_schema_1_archive_gains_the_offset_columns(tmp_path):
    import sqlite3

    from pipelines.archive import MIGRATIONS, open_archive

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    import sqlite_utils

    old = sqlite_utils.Database(conn)
    MIGRATIONS[0](old)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    db = open_archive(path)
    assert {"published_offset_source", "updated_offset_source"} <= set(db["articles"].columns_dict)


def test_fractions_and_impossible_numeric_dates_are_not_dates():
    assert parse_date("1 lemon, or about 1/4 cup lemon juice", now=NOW) is None
    assert parse_date("1/2", now=NOW) is None
    assert parse_date("Sabtu (15/6) pukul 19.30 Wita", now=NOW) is not None
    assert parse_date("11.14.2019 09:00 AM", now=NOW) is None  # month 14 day first: no calendar day
    tree = doc("<h1>Harvest festival draws record crowds</h1><time class='publish-date'>11.14.2019 09:00 AM</time>"
               + EN_TEXT, ld(datePublished="2019-11-14T14:00:00.000Z"), lang="en",
               title="Harvest festival draws record crowds")
    assert published_of(tree, now=datetime(2019, 11, 20, tzinfo=UTC)).value.isoformat() == "2019-11-14T14:00:00+00:00"


def test_zone_abbreviations_after_a_clock_are_stated_offsets():
    assert iso("Nov 19, 2019, 10:31 pm CST", tz="UTC") == "2019-11-19T22:31:00-06:00"
    assert iso("14.03.2024, 17:47 MESZ", tz="UTC") == "2024-03-14T17:47:00+02:00"
    # JSON-LD labels the wall clock -06:00, the meta gives the instant in UTC: the line decides.
    tree = doc("<h1>Harvest festival draws record crowds</h1><span class='date'>Nov 19, 2019, 10:31 pm CST</span>"
               + EN_TEXT, ld(datePublished="2019-11-20T04:31:13-06:00")
               + '<meta property="article:published_time" content="2019-11-20T04:31:13+00:00">', lang="en-US",
               title="Harvest festival draws record crowds")
    pick = published_of(tree, now=datetime(2019, 11, 21, tzinfo=UTC))
    assert pick.value.astimezone(UTC).isoformat() == "2019-11-20T04:31:13+00:00"


def test_roles_and_trust_of_itemprop_dates():
    tree = doc("<h1>Harvest festival draws record crowds</h1><span class='date'>13.11.2019, 23:06</span>"
               "<time itemprop='datePublished' datetime='2019-11-13T23:06:00+01:00'>x</time>"
               "<time itemprop='dateCreated' datetime='2019-07-02T22:14:45+02:00'>x</time>"
               "<time itemprop='dateModified' datetime='2019-11-13T23:06:08+01:00'>x</time>"
               "<time itemprop='dateUpdated' datetime='2019-11-14T08:00:00+01:00'>x</time>" + EN_TEXT,
               lang="en", title="Harvest festival draws record crowds")
    published, updated = page_dates(tree, None, now=datetime(2019, 11, 20, tzinfo=UTC))
    assert published.value.isoformat() == "2019-11-13T23:06:00+01:00"
    assert updated.value is not None and updated.source == "time"


def test_a_visible_day_that_is_the_update_day_loses_to_an_earlier_publication():
    tree = doc("<h1>Harvest festival draws record crowds</h1><p class='post-text-author'>By admin - 2018-09-16</p>"
               + EN_TEXT, ld(datePublished="2018-09-15T10:15:48+02:00", dateModified="2018-09-16T10:22:22+02:00"),
               lang="en", title="Harvest festival draws record crowds")
    assert published_of(tree, now=datetime(2018, 10, 1, tzinfo=UTC)).value.isoformat() == "2018-09-15T10:15:48+02:00"


def test_url_with_a_month_name():
    assert published_of(doc(EN_TEXT, lang="en"), "https://facts.example/statements/2019/nov/18/who/").value == date(
        2019, 11, 18
    )


def test_month_first_lines_are_found_on_us_pages():
    us = doc("<h1>Harvest festival draws record crowds</h1><p class='date'>Posted 12/25/2019 10:30 AM</p>" + EN_TEXT,
             lang="en-US", title="Harvest festival draws record crowds")
    assert published_of(us, now=datetime(2019, 12, 26, tzinfo=UTC)).value == datetime(2019, 12, 25, 10, 30)
