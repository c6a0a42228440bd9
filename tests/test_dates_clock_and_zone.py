"""Two page-level date mechanisms, on warta's own fictional pages (docs/dates.md):

* a clock printed without a day ("pada 19.30", Blogger's ``abbr.published``) is read on the fetch day
  only when the page states no day: it never outweighs a day or an instant the page states, and it is
  joined with the day line of the same post header ("Selasa, 05 Desember 2023" in ``h2.date-header``);
* a UTC time of markup (Yoast's ``+00:00``) is written in the page's own zone when the page tells it
  (another offset it states for its times, else WIB on an Indonesian page), the instant unchanged.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import lxml.html
import pytest

from pipelines.dates import page_dates

WIB = timezone(timedelta(hours=7))
#: Fetched the day after the post, in the morning: a clock read on the fetch day lands on the wrong day.
FETCHED = datetime(2023, 12, 6, 9, 0, tzinfo=WIB)
#: Fetched days later (a re-run over stored pages, a slow crawl).
LATER = FETCHED + timedelta(days=3)
TITLE = "Kapal Wisata Terbakar di Perairan Labuan Bajo"
TEXT = ("<p>Sebuah kapal wisata terbakar di perairan sekitar Pulau Kelor, dan seluruh penumpang yang sebagian "
        "besar wisatawan asing berhasil dievakuasi dengan selamat oleh kapal lain yang melintas.</p>"
        "<p>Api diduga berasal dari ruang mesin, kata petugas kepada wartawan di pelabuhan itu.</p>")


def blogger(timestamp: str, *, between: str = "", head: str = "", lang: str = "id") -> lxml.html.HtmlElement:
    """A Blogger post page (Sora-like template): the day in h2.date-header above the title, the clock below."""
    return lxml.html.fromstring(
        f"<html lang='{lang}'><head><title>{TITLE}</title>{head}</head><body><div class='main-inner'>"
        "<div class='date-outer'><h2 class='date-header'><span>Selasa, 05 Desember 2023</span></h2>"
        f"{between}<div class='date-posts'><div class='post-outer'><div class='post hentry'>"
        f"<h3 class='post-title entry-title'>{TITLE}</h3><div class='post-header'><span class='post-author vcard'>"
        "Diposting oleh <span class='fn'>Redaksi SF</span></span> <span class='post-timestamp'>pada "
        f"<a class='timestamp-link' href='/2023/12/kapal.html'>{timestamp}</a></span></div>"
        f"<div class='post-body entry-content'>{TEXT}</div></div></div></div></div></div></body></html>")


def published_of(tree, url="https://www.suaraflobamora.example/2023/12/kapal.html", tz=None, now=FETCHED):
    return page_dates(tree, url, tz=tz, now=now)[0]


def test_blogger_clock_does_not_beat_the_full_time_of_its_markup():
    tree = blogger("<abbr class='published' itemprop='datePublished' title='2023-12-05T19:30:00+08:00'>19.30</abbr>")
    pick = published_of(tree, now=LATER)
    assert (pick.value.isoformat(), pick.zone) == ("2023-12-05T19:30:00+08:00", "stated")


@pytest.mark.parametrize(("clock", "written", "zone"), [
    ("19.30", "2023-12-05T19:30:00+07:00", "indonesian"),
    ("19.30 WITA", "2023-12-05T19:30:00+08:00", "stated"),
])
def test_blogger_clock_is_joined_with_the_day_of_its_post_header(clock, written, zone):
    pick = published_of(blogger(f"<abbr class='published'>{clock}</abbr>"), now=LATER)
    assert (pick.value.isoformat(), pick.zone, pick.source) == (written, zone, "visible")
    assert pick.raw == f"Selasa, 05 Desember 2023 {clock}"


def test_a_clock_and_a_day_apart_are_not_joined():
    # A paragraph of text (another post's summary) between the day and the clock: not one header.
    summary = ("<div class='intro'>Warga Labuan Bajo menggelar festival budaya selama tiga hari dengan pawai, tarian "
               "dan pameran kuliner khas Manggarai Barat yang ramai dikunjungi wisatawan.</div>")
    pick = published_of(blogger("<abbr class='published'>19.30</abbr>", between=summary), now=LATER)
    assert pick.value == date(2023, 12, 5)  # the stated day, never the fetch day's 19.30


def test_a_clock_alone_never_beats_a_stated_instant_on_another_day():
    head = ('<script type="application/ld+json">'
            + json.dumps({"@type": "BlogPosting", "datePublished": "2023-12-05T19:30:00+08:00"}) + "</script>")
    tree = lxml.html.fromstring(
        f"<html lang='id'><head><title>{TITLE}</title>{head}</head><body><h1>{TITLE}</h1>"
        f"<div class='post-timestamp'>pukul 19.30</div><div class='isi'>{TEXT}</div></body></html>")
    pick = published_of(tree, url="https://www.suaraflobamora.example/kapal-wisata-terbakar", now=LATER)
    assert pick.value.isoformat() == "2023-12-05T19:30:00+08:00" and pick.source == "jsonld"


def test_a_clock_alone_on_a_page_without_any_day_is_still_read_on_the_fetch_day():
    tree = lxml.html.fromstring(
        f"<html lang='id'><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
        f"<div class='post-timestamp'>pukul 08.15 WIB</div><div class='isi'>{TEXT}</div></body></html>")
    pick = published_of(tree, url="https://www.suaraflobamora.example/kapal-wisata-terbakar")
    assert pick.value.isoformat() == "2023-12-06T08:15:00+07:00"


# -- a UTC time of markup, written in the page's own zone ----------------------------------------


def yoast(day_line: str, published: str, *, lang: str = "id", extra_head: str = "", body: str = TEXT,
          title: str = "Sawah di Lebak Mengering, Petani Gagal Panen"):
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "datePublished": published, "dateModified": published},
        {"@type": "Article", "headline": title, "datePublished": published, "dateModified": published}]}
    head = (f"<script type='application/ld+json'>{json.dumps(graph)}</script>"
            f"<meta property='article:published_time' content='{published}'>{extra_head}")
    return lxml.html.fromstring(
        f"<html lang='{lang}'><head><title>{title}</title>{head}</head><body><article><h1 class='post-title'>"
        f"{title}</h1><div class='post-meta'><span class='date'>{day_line}</span></div>"
        f"<div class='entry-content'>{body}</div></article></body></html>")


LEBAK = "https://kabarlebak.example/sawah-lebak-mengering/"
AUGUST = datetime(2023, 8, 9, 12, 0, tzinfo=UTC)


def test_yoast_utc_on_an_indonesian_page_is_written_in_wib():
    pick = published_of(yoast("9 Agustus 2023", "2023-08-09T03:21:40+00:00"), LEBAK, now=AUGUST)
    assert (pick.value.isoformat(), pick.zone) == ("2023-08-09T10:21:40+07:00", "indonesian")


def test_the_day_line_is_matched_with_the_utc_time_in_the_pages_zone():
    # 20:00 UTC on 9 August is 03:00 WIB on the 10th, the day the page shows.
    pick = published_of(yoast("10 Agustus 2023", "2023-08-09T20:00:00+00:00"), LEBAK, now=AUGUST + timedelta(days=1))
    assert (pick.value.isoformat(), pick.zone) == ("2023-08-10T03:00:00+07:00", "indonesian")


def test_another_offset_the_page_states_is_its_zone():
    wita = "<meta property='article:modified_time' content='2023-08-09T13:05:00+08:00'>"
    pick = published_of(yoast("9 Agustus 2023", "2023-08-09T03:21:40+00:00", extra_head=wita), LEBAK, now=AUGUST)
    assert (pick.value.isoformat(), pick.zone) == ("2023-08-09T11:21:40+08:00", "stated")


def test_utc_markup_on_a_page_whose_zone_nothing_tells_stays_utc():
    text = "<p>Farmers in the district reported that the harvest failed after weeks without any rain.</p>"
    pick = published_of(yoast("August 9, 2023", "2023-08-09T03:21:40+00:00", lang="en", body=text,
                              title="Rice fields dry up in the district"), LEBAK, now=AUGUST)
    assert pick.value.isoformat() == "2023-08-09T03:21:40+00:00" and pick.zone == "stated"


def test_a_utc_time_the_page_shows_its_readers_is_kept():
    pick = published_of(yoast("Rabu, 9 Agustus 2023 03:21 GMT", "2023-08-09T03:21:40+00:00"), LEBAK, now=AUGUST)
    assert pick.value.isoformat() == "2023-08-09T03:21:40+00:00"


def test_a_profile_zone_still_comes_first():
    pick = published_of(yoast("9 Agustus 2023", "2023-08-09T03:21:40+00:00"), LEBAK, tz="Asia/Jayapura", now=AUGUST)
    assert pick.value.isoformat() == "2023-08-09T12:21:40+09:00"
