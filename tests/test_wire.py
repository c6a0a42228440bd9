"""The data-only wire format of scale-out: pages, articles and requests round-trip; pickles and bad shapes are refused."""

from __future__ import annotations

import pickle
import sys
import zlib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from scrapy import Request

from crawler import scaleout, wire
from crawler.frontier import FRONTIER_VERSION, check_request
from crawler.spiders.news import NewsSpider
from pipelines.article import Article
from pipelines.page import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from chaos_scaleout import Touch  # noqa: E402  (unpickling it would create a file)

WIB = timezone(timedelta(hours=7))
PAGE = Page(url="https://www.kabarlebak.example/2019/11/28/banjir/", body=b"<p>Banjir di Lebak, Kamis</p>",
            fetched_at=datetime(2019, 11, 28, 7, 0, 5, 123456, tzinfo=UTC), final_url=None, status=200,
            headers={"Content-Type": "text/html; charset=utf-8"}, site="kabar-lebak")
ARTICLE = Article(url=PAGE.url, canonical_url=PAGE.url, site="kabar-lebak", title="Banjir di Lebak",
                  body="Hujan deras sejak Kamis.", published=datetime(2019, 11, 28, 14, 30, tzinfo=WIB),
                  updated=date(2019, 11, 29), tags=["Lebak", "banjir"], provenance={"title": "jsonld"})


def test_pages_and_articles_round_trip_exactly():
    record = {"kind": "article", "id": "1", "at": "2019-11-28T07:00:05Z", "site": "kabar-lebak",
              "article": ARTICLE, "pages": [PAGE, PAGE],
              "decision": {"verdict": "article", "score": 0.92, "evidence": [["jsonld-type", 1.0]], "notes": None}}
    back = scaleout.decode_record(scaleout.encode_record(record))
    assert back["decision"] == record["decision"]
    assert back["article"] == ARTICLE and back["article"].to_dict() == ARTICLE.to_dict()
    assert back["pages"] == [PAGE, PAGE]
    assert back["v"] == scaleout.RECORD_VERSION


def test_a_request_with_pages_in_its_meta_round_trips():
    spider = NewsSpider(site="kabar-lebak")
    request = Request(PAGE.url + "2/", callback=spider.parse_article, errback=spider.on_next_page_error,
                      meta={"warta_pages": [PAGE], "warta_pending": [], "redirect_reasons": [301]},
                      headers={"Accept-Language": "id"}, body=b"\x00\xff")
    entry = wire.loads(wire.dumps({**request.to_dict(spider=spider), "v": FRONTIER_VERSION}))
    back = Request(**{k: v for k, v in check_request(entry, spider).items()
                      if k not in ("callback", "errback")})
    assert back.meta["warta_pages"] == [PAGE]
    assert back.headers == request.headers and back.body == request.body


@pytest.mark.parametrize("data", [pickle.dumps({"x": 1}), zlib.compress(pickle.dumps({"x": 1}))])
def test_a_pickle_is_refused_unread(tmp_path, data):
    marker = tmp_path / "pwned"
    for value in (data, pickle.dumps(Touch(marker)), zlib.compress(pickle.dumps(Touch(marker)))):
        with pytest.raises(wire.WireError) as caught:
            scaleout.decode_record(value)
        assert caught.value.reason == "pickle-refused"
    with pytest.raises(wire.WireError):
        wire.loads(pickle.dumps(Touch(marker)))
    assert not marker.exists()


@pytest.mark.parametrize(("record", "reason"), [
    ({"v": 1, "kind": "failure"}, "version-skew"),
    ({"v": 3, "kind": "failure"}, "version-skew"),
    ({"v": 2, "kind": "eval", "id": "1", "at": "x"}, "bad-shape"),
    ({"v": 2, "kind": "article", "id": "1", "at": "x", "site": "s", "article": "not an article", "pages": []},
     "bad-shape"),
    ({"v": 2, "kind": "skipped", "id": "1", "at": "x", "site": "s", "reason": "index-page",
      "page": {"$page": {"url": "u", "body": "text, not bytes"}}}, "bad-shape"),
    ({"v": 2, "kind": "failure", "id": "1", "at": "x", "url": None, "stage": "fetch"}, "bad-shape"),
    ({"v": 2, "kind": "stats", "id": "1", "at": "x", "site": "s", "worker": "w", "reason": "finished",
      "stats": {"a": [1]}}, "bad-shape"),
])
def test_records_of_another_version_or_shape_are_refused(record, reason):
    with pytest.raises(wire.WireError) as caught:
        scaleout.decode_record(zlib.compress(wire.dumps(record)))
    assert caught.value.reason == reason


def test_unknown_tags_truncations_and_bombs_are_refused(monkeypatch):
    monkeypatch.setattr(scaleout, "MAX_RECORD_BYTES", 1 << 20)
    for data, reason in [(zlib.compress(b'{"$eval": "1"}'), "bad-shape"),
                         (zlib.compress(b'{"$page": {"url": "u", "body": {"$b": "!!"}}}'), "bad-shape"),
                         (zlib.compress(b"[" * 100000), "unreadable"),
                         (b"not zlib at all", "unreadable"),
                         (scaleout.encode_record({"kind": "stats"})[:-4], "unreadable"),
                         (zlib.compress(b" " * (2 << 20)), "too-large")]:
        with pytest.raises(wire.WireError) as caught:
            scaleout.decode_record(data)
        assert caught.value.reason == reason, data[:40]


@pytest.mark.parametrize("change", [
    {"callback": "__init__"}, {"callback": "closed"}, {"errback": "article_request"},
    {"url": "file:///etc/passwd"}, {"url": "data:text/html,<p>x</p>"},
    {"_class": "os.system"}, {"priority": "high"}, {"meta": {"warta_pages": ["not a page"]}}, {"v": 2},
])
def test_frontier_entries_that_would_run_anything_else_are_refused(change):
    spider = NewsSpider(site="kabar-lebak")
    entry = {**Request("https://www.kabarlebak.example/", callback=spider.parse_index).to_dict(spider=spider),
             "v": FRONTIER_VERSION, **change}
    with pytest.raises(wire.WireError):
        check_request(wire.loads(wire.dumps(entry)), spider)


def test_no_data_only_form_is_a_type_error():
    with pytest.raises(TypeError, match="set has no data-only form"):
        wire.dumps({"meta": {1, 2}})


@pytest.mark.parametrize(("url", "message"), [
    ("http://redis-host:6379", "not a Redis URL: 'http://redis-host:6379'"),
    ("redis://:rahasia@redis-host:port/0", "not a Redis URL: 'redis://:***@redis-host:port/0'"),
    ("redis://redis-host/db1", "not a Redis URL"),
    ("redis:///0", "not a Redis URL"),
    ("10.0.0.5:6379", "not a Redis URL"),
])
def test_bad_redis_urls_are_one_line_errors_without_the_password(url, message):
    from pipelines.errors import RedisUnavailable

    with pytest.raises(RedisUnavailable) as caught:
        scaleout.parse_redis_url(url, environ={})
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert "rahasia" not in str(caught.value)


def test_redis_urls_with_tls_users_and_passwords():
    parse = scaleout.parse_redis_url
    assert parse("rediss://warta:p%40ss@10.0.0.5:6380/2?ssl_ca_certs=/etc/ca.pem", environ={}) == \
        scaleout.RedisTarget("rediss://warta@10.0.0.5:6380/2?ssl_ca_certs=/etc/ca.pem", "p@ss")
    assert parse("redis://10.0.0.5", environ={"WARTA_REDIS_PASSWORD": "env"}).password == "env"
    assert parse("redis://:url@10.0.0.5", environ={"WARTA_REDIS_PASSWORD": "env"}).password == "url"
    assert parse("redis://10.0.0.5/0", environ={}).password is None
