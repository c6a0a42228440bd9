"""Publication days on pages in the shapes of blog, CMS and news templates beyond the news dev sets.

The fixture set (``tests/fixtures/date-templates``, fictional pages, see its README) is the gate:
every page's day must come out right from the dates stage alone and through ``extract_article``.
The other tests hold one small fictional page or string per mechanism (docs/dates.md).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import lxml.html
import pytest

from pipelines import extract_article
from pipelines.dates import gather_date_candidates, page_dates, parse_date

FIXTURES = Path(__file__).parent / "fixtures" / "date-templates"
TRUTH = json.loads((FIXTURES / "ground-truth.json").read_text(encoding="utf-8"))
NOW = datetime(2024, 5, 10, 9, 0, tzinfo=UTC)
BODY = ("<p>The volunteers spent the whole weekend clearing the old mill race, and by Sunday evening the water "
        "was running through the stone channel for the first time in more than forty years.</p>"
        "<p>The group has raised a little over eleven thousand pounds from local businesses and a village fete, "
        "enough to repair the sluice gate and to put up two information boards along the footpath.</p>")


def _day(value) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _published(html: str, url: str = "https://blog.example/a-post/", now: datetime = NOW):
    return page_dates(lxml.html.fromstring(html), url, now=now)[0]


def test_every_template_page_is_dated_right_by_the_dates_stage_and_the_extractor():
    wrong = []
    for pid, label in sorted(TRUTH.items()):
        html = (FIXTURES / "html" / f"{pid}.html").read_text(encoding="utf-8")
        now = datetime.fromisoformat(label["fetched_at"])
        want = date.fromisoformat(label["published_day"])
        direct = page_dates(lxml.html.fromstring(html), label["url"], now=now)[0].value
        article = extract_article(html, label["url"], fetched_at=now)
        through = None if article is None else article.published
        if _day(direct) != want or _day(through) != want:
            wrong.append(f"{pid}: direct {direct}, extract_article {through}, want {want}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("text", "want"), [
    ("12 marca 2019", date(2019, 3, 12)),            # Polish genitive
    ("Data publikacji: 12 października 2019", date(2019, 10, 12)),
    ("12 марта 2019, 10:22", "2019-03-12T10:22:00"),  # Russian genitive
    ("12 березня 2019", date(2019, 3, 12)),           # Ukrainian
    ("12. března 2019", date(2019, 3, 12)),           # Czech
    ("12 Mart 2019 Salı 10:22", "2019-03-12T10:22:00"),  # Turkish
    ("12 Kasım 2019", date(2019, 11, 12)),
    ("12 augusti 2019", date(2019, 8, 12)),           # Swedish
    ("12. marts 2019", date(2019, 3, 12)),            # Danish
])
def test_month_names_of_more_languages(text, want):
    got = parse_date(text, tz="UTC", now=NOW)
    assert (got.isoformat()[:19] if isinstance(got, datetime) else got) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Thu, 03/14/2019", date(2019, 3, 14)),    # day first is no day: the weekday names month first
    ("Sat, 03/16/2019", date(2019, 3, 16)),
    ("Kamis, 14/03/2019", date(2019, 3, 14)),  # the weekday agrees with the page's order: unchanged
    ("Fri, 03/12/2019", date(2019, 12, 3)),    # 3 Dec 2019 is a Tuesday, 12 Mar too: neither, order stands
    ("Tue, 12/03/2019", date(2019, 3, 12)),    # both readings are Tuesdays: the page's order stands
    ("Tue, 03/12/2019 - 10:22", "2019-03-12T10:22:00"),  # Drupal's default format: month first
    ("Submitted by jo on Tue, 03/12/2019 - 10:22", "2019-03-12T10:22:00"),
    ("Tuesday, 03/12/2019 - 10:22", "2019-12-03T10:22:00"),  # not Drupal's shape: the page's order
])
def test_a_weekday_decides_the_order_of_a_numeric_date_only_on_evidence(text, want):
    got = parse_date(text, tz="UTC", now=NOW)
    assert (got.isoformat()[:19] if isinstance(got, datetime) else got) == want


def test_a_weekday_never_turns_a_us_page_day_first_without_evidence():
    assert parse_date("Tue, 03/12/2019", tz="UTC", now=NOW, month_first=True) == date(2019, 3, 12)
    assert parse_date("Thu, 14/03/2019", tz="UTC", now=NOW, month_first=True) == date(2019, 3, 14)


def test_a_date_badge_split_over_spans_is_one_date_line():
    pick = _published(f"<html><head><title>Season opening party</title></head><body><article class='post'>"
                      "<div class='post-date-badge'><span class='day'>12</span><span class='month'>Mar</span>"
                      f"<span class='year'>2019</span></div><h1>Season opening party</h1>{BODY}</article></body></html>")
    assert (pick.value, pick.source, pick.raw) == (date(2019, 3, 12), "visible", "12 Mar 2019")


def test_children_that_are_dates_alone_are_not_joined_into_a_badge():
    tree = lxml.html.fromstring(
        "<html><head><title>Council approves the budget</title></head><body><h1>Council approves the budget</h1>"
        "<div class='meta-datetime'><span class='date'>October 23, 2025</span><span class='time'>5:50 pm CET</span>"
        f"</div>{BODY}</body></html>")
    raws = [c.raw for c in gather_date_candidates(tree, None) if c.source == "visible"]
    assert "October 23, 2025 5:50 pm CET" not in raws and "October 23, 2025" in raws


def _long_post(markup: str = "") -> str:
    paragraphs = "".join(f"<p>Paragraph {i}: <em>{BODY[3:60]}</em> and <a href='/x{i}'>a link</a>.</p>"
                         for i in range(60))
    return (f"<html><head><title>Hobby Rail: Layout progress on the branch line</title>{markup}</head><body><div class='post hentry'>"
            f"<h3 class='post-title'>Layout progress on the branch line</h3><div class='post-body'>{paragraphs}</div>"
            "<div class='post-footer'><span class='post-author'>Posted by Jim</span> <span class='post-timestamp'>at "
            "<a class='timestamp-link' href='#'>Tuesday, March 12, 2019</a></span></div></div></body></html>")


def test_a_post_footer_date_line_dates_a_page_without_other_dates():
    pick = _published(_long_post(), url="https://hobbyrail.example/p/layout")
    assert (pick.value, pick.source) == (date(2019, 3, 12), "visible")


def test_a_post_footer_date_line_never_outweighs_the_markup():
    meta = "<meta property='article:published_time' content='2019-03-10T08:00:00+01:00'>"
    pick = _published(_long_post(meta), url="https://hobbyrail.example/p/layout")
    assert (pick.value.isoformat(), pick.source) == ("2019-03-10T08:00:00+01:00", "meta")


def test_a_short_headline_that_is_the_title_anchors_the_date_line():
    pick = _published("<html><head><title>Kiln day | Pottery Studio Journal</title></head><body><h1>Kiln day</h1>"
                      f"<p><em>Posted 12 March 2019</em></p>{BODY}<div class='foot'>&copy; 2019 Pottery Studio</div>"
                      "</body></html>")
    assert (pick.value, pick.source) == (date(2019, 3, 12), "visible")


def test_a_labelled_line_counts_on_a_page_without_headline():
    pick = _published("<html><head><title>Pottery Studio</title></head><body><div><b>Kiln day</b>"
                      f"<p>Posted 12 March 2019</p>{BODY}</div></body></html>")
    assert pick.value == date(2019, 3, 12)


def test_the_articles_own_footer_holds_its_date_line():
    pick = _published("<html><head><title>Spring concert sold out | Choir</title></head><body><article>"
                      "<h1>Spring concert sold out</h1><footer class='node__meta'>Submitted by anna on "
                      f"<span>12 March 2019</span></footer>{BODY}</article><footer>&copy; 2024 Choir</footer>"
                      "</body></html>")
    assert pick.value == date(2019, 3, 12)


def test_rdfa_dublin_core_dates_are_read_when_no_other_markup_states_one():
    html = ("<html lang='en'><head><title>Regatta season opens | Rowing</title></head><body><h1>Regatta season "
            "opens</h1><div class='submitted'><span property='dc:date dc:created' content='2019-03-14T10:22:00+00:00'>"
            f"Submitted by admin</span></div>{BODY}</body></html>")
    cands = gather_date_candidates(lxml.html.fromstring(html), None)
    assert [(c.source, c.role, c.detail) for c in cands] == [("time", "published", "property=dc:date dc:created")]
    assert _published(html).value.isoformat() == "2019-03-14T10:22:00+00:00"


@pytest.mark.parametrize("name", ["displaydate", "dc.date.publication", "release_date", "date_published"])
def test_more_published_meta_names(name):
    pick = _published(f"<html><head><title>Library hours</title><meta name='{name}' content='2019-03-12T10:22:00-04:00'>"
                      f"</head><body><h1>Library extends opening hours</h1>{BODY}</body></html>")
    assert (pick.value.isoformat(), pick.source) == ("2019-03-12T10:22:00-04:00", "meta")


@pytest.mark.parametrize("line", ["Data publikacji: 12 marca 2019", "Geplaatst op 12 maart 2019",
                                  "Opublikowano 12 marca 2019", "Опубликовано 12 марта 2019"])
def test_date_labels_of_more_languages_make_a_date_line(line):
    pick = _published(f"<html><head><title>Site</title></head><body><div><p>{line}</p>{BODY}</div></body></html>")
    assert pick.value == date(2019, 3, 12)


def test_a_year_less_date_line_takes_the_year_of_the_pages_own_date_of_that_day():
    html = ("<html><head><title>About bugs - Vortex</title></head><body><article class='post'><h1>About bugs</h1>"
            "<div class='post-date'><span class='d'>13</span> <span class='m'>Aug</span></div>"
            "<time class='updated' datetime='2018-08-13T08:04:08+00:00'>August 13, 2018</time>"
            f"{BODY}</article></body></html>")
    pick = _published(html, now=datetime(2025, 1, 15, tzinfo=UTC))
    assert (pick.value, pick.raw) == (date(2018, 8, 13), "13 Aug")


def test_several_date_lines_down_the_article_are_a_list_of_other_stories_not_its_footer():
    html = _long_post().replace(
        "</div></div></body>",
        "</div><div class='extra-stories'><h4>Also today</h4>"
        + "".join(f"<div class='story-date'>20 March 2019</div><p>Story {i}</p>" for i in range(3))
        + "</div></div></body>").replace("Tuesday, March 12, 2019", "")
    pick = _published(html, url="https://hobbyrail.example/p/layout")
    assert pick.value is None
