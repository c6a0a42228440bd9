"""WARC in and out: stored pages as WARC response records, and page -> article over foreign WARC files.

:func:`export_warc` writes every stored page as a gzipped WARC/1.1 ``response``
record: ``WARC-Date`` is the fetch time, the HTTP block holds the status line
and the stored headers, the payload the raw page. warta-specific facts travel
in extension headers (``WARC-Warta-Site``, ``WARC-Warta-Article-URL``,
``WARC-Warta-Part``, ``WARC-Warta-Final-URL``, ``WARC-Warta-Skip-Reason``,
``WARC-Warta-Via``) so that another warta can regroup multi-page articles and
derive them as the crawl did; other tools ignore them.

:func:`import_warc` reads WARC files from any crawler (Heritrix, Browsertrix,
Common Crawl news extracts, warta): each HTML ``response`` with status 200 is
turned into a :class:`~pipelines.page.Page` and run through
:func:`pipelines.core.derive_article` with the profile of its URL, and the result
is archived. Pages that are not articles are kept with their ``skip_reason``;
other records (requests, metadata, images, redirects) are counted and passed
over; a broken record is counted and recorded in ``failures``, never fatal.

Example usage::

    from pipelines.warc import export_warc, import_warc
    export_warc(db, "archive.warc.gz")
    report = import_warc(other_db, ["archive.warc.gz"])
"""

from __future__ import annotations

import http
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from . import archive
from .errors import ExtractionFailed, NotAnArticle, ProfileNotFound, WartaError
from .notebook import ArticleFilter
from .page import Page
from .profiles import GENERIC, Profile, load_profile, profile_for_url

logger = logging.getLogger(__name__)

WARC_VERSION = "WARC/1.1"

#: Stored headers not copied into the WARC HTTP block: the stored body is
#: already decoded and whole, so these would describe bytes that are not there.
DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}

#: Content types taken as pages on import (others are passed over).
HTML_TYPES = ("text/html", "application/xhtml+xml")

SITE_HEADER = "WARC-Warta-Site"
ARTICLE_HEADER = "WARC-Warta-Article-URL"
PART_HEADER = "WARC-Warta-Part"
FINAL_URL_HEADER = "WARC-Warta-Final-URL"
SKIP_HEADER = "WARC-Warta-Skip-Reason"
VIA_HEADER = "WARC-Warta-Via"


@dataclass(frozen=True)
class PageFilter:
    """Which stored pages go into a WARC: one site and/or a range of fetch days (UTC).

    >>> PageFilter.make(site="kabar-lebak", until="2019-12-31").sql()
    ('site = ? and substr(fetched_at, 1, 10) <= ?', ['kabar-lebak', '2019-12-31'])
    """

    site: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def make(cls, site=None, since=None, until=None) -> PageFilter:
        """A filter from user input (the same checks as :meth:`ArticleFilter.make`)."""
        checked = ArticleFilter.make(site, since, until)
        return cls(checked.site, checked.since, checked.until)

    def sql(self) -> tuple[str, list]:
        parts, params = [], []
        if self.site:
            parts.append("site = ?")
            params.append(self.site)
        if self.since:
            parts.append("substr(fetched_at, 1, 10) >= ?")
            params.append(self.since.isoformat())
        if self.until:
            parts.append("substr(fetched_at, 1, 10) <= ?")
            params.append(self.until.isoformat())
        return " and ".join(parts), params


def warc_date(when: datetime) -> str:
    """A WARC/1.1 date with microseconds.

    >>> warc_date(datetime(2019, 12, 4, 8, 0, 3, 123456, tzinfo=UTC))
    '2019-12-04T08:00:03.123456Z'
    """
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_warc_date(text: str) -> datetime:
    """An aware UTC datetime from a WARC-Date (seconds or fractions, ``Z``).

    >>> parse_warc_date("2019-12-04T08:00:03Z")
    datetime.datetime(2019, 12, 4, 8, 0, 3, tzinfo=datetime.timezone.utc)
    """
    when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def export_warc(db, out: str | Path, where: PageFilter | None = None) -> int:
    """Write the stored pages matching ``where`` to a gzipped WARC file; return how many.

    Pages of one article are written together, in part order, so a reader can
    regroup them; the order is otherwise by site and URL.

    :param db: an open archive
    :param out: the ``.warc.gz`` file to write
    :param where: site and fetch-day filter
    :raises OutputError: when ``out`` cannot be written.

    Example usage::

        export_warc(db, "kabar-lebak.warc.gz", PageFilter.make(site="kabar-lebak"))
    """
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from .archive import row_to_page
    from .export import _atomic_output

    condition, params = (where or PageFilter()).sql()
    # Ids first (small), rows one by one: a sort over rows would drag the page bodies along.
    ids = [pid for (pid,) in db.conn.execute(
        "select id from pages" + (f" where {condition}" if condition else "")
        + " order by coalesce(article_url, url), coalesce(part, 0), id", params)]
    n = 0
    with _atomic_output(Path(out), binary=True) as stream:
        writer = WARCWriter(stream, gzip=True, warc_version=WARC_VERSION)
        writer.write_record(writer.create_warcinfo_record(Path(out).name, {
            "software": "warta (https://example.invalid/warta)",
            "format": "WARC File Format 1.1",
            "description": "raw pages of a warta archive",
        }))
        for pid in ids:
            cursor = db.conn.execute("select * from pages where id = ?", [pid])
            row = dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))
            page = row_to_page(row)
            headers = [(k, v) for k, v in page.headers.items() if k.lower() not in DROPPED_HEADERS]
            headers.append(("Content-Length", str(len(page.body))))
            http_headers = StatusAndHeaders(_status_line(page.status), headers, protocol="HTTP/1.1")
            extra = {"WARC-Date": warc_date(page.fetched_at)}
            if page.site:
                extra[SITE_HEADER] = page.site
            if row["article_url"]:
                extra[ARTICLE_HEADER] = row["article_url"]
                extra[PART_HEADER] = str(row["part"] or 1)
            if page.final_url and page.final_url != page.url:
                extra[FINAL_URL_HEADER] = page.final_url
            if row["skip_reason"]:
                extra[SKIP_HEADER] = row["skip_reason"]
            if page.via:
                extra[VIA_HEADER] = page.via
            record = writer.create_warc_record(
                page.url, "response", payload=BytesIO(page.body), length=len(page.body),
                http_headers=http_headers, warc_headers_dict=extra,
            )
            writer.write_record(record)
            n += 1
    return n


@dataclass
class ImportReport:
    """What :func:`import_warc` did, in counts."""

    files: int = 0
    records: int = 0
    pages: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    not_articles: int = 0
    passed_over: int = 0
    bad_records: int = 0
    crawl_id: int | None = None
    reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


class _Record:
    """One HTML response lifted out of a WARC record."""

    __slots__ = ("page", "article_url", "part")

    def __init__(self, page: Page, article_url: str | None, part: int):
        self.page, self.article_url, self.part = page, article_url, part


def _profile_of(site: str | None, url: str) -> Profile:
    if site:
        try:
            return load_profile(site)
        except ProfileNotFound:
            pass
    return profile_for_url(url)


def _read_record(record) -> _Record | str:
    """The page in a response record, or the reason it is passed over."""
    http_headers = record.http_headers
    if http_headers is None:
        return "no-http-headers"
    status = int(http_headers.get_statuscode() or 0)
    if status != 200:
        return f"status-{status}"
    content_type = (http_headers.get_header("Content-Type") or "").lower()
    if content_type and not content_type.startswith(HTML_TYPES):
        return "not-html"
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not url:
        raise ValueError("response record without WARC-Target-URI")
    url = url.strip("<>")
    body = record.content_stream().read()
    site = record.rec_headers.get_header(SITE_HEADER)
    profile = _profile_of(site, url)
    headers = {k: v for k, v in http_headers.headers if k.lower() not in DROPPED_HEADERS}
    page = Page(
        url=url, body=body, fetched_at=parse_warc_date(record.rec_headers.get_header("WARC-Date")),
        final_url=record.rec_headers.get_header(FINAL_URL_HEADER) or url, status=status, headers=headers,
        site=None if profile is GENERIC else profile.slug, via=record.rec_headers.get_header(VIA_HEADER) or None,
    )
    part = int(record.rec_headers.get_header(PART_HEADER) or 1)
    return _Record(page, record.rec_headers.get_header(ARTICLE_HEADER), part)


def _groups(records: Iterable[_Record | str]) -> Iterator[list[Page] | str]:
    """Consecutive records of one article (same ``WARC-Warta-Article-URL``) as one group."""
    pending: list[_Record] = []
    for item in records:
        if isinstance(item, str):
            yield item
            continue
        if pending and (item.article_url is None or item.article_url != pending[0].article_url):
            yield [r.page for r in sorted(pending, key=lambda r: r.part)]
            pending = []
        pending.append(item)
    if pending:
        yield [r.page for r in sorted(pending, key=lambda r: r.part)]


def _records(path: Path, db, report: ImportReport) -> Iterator[_Record | str]:
    from warcio.archiveiterator import ArchiveIterator

    try:
        stream = open(path, "rb")
    except OSError as e:
        raise WartaError(f"cannot read {path}: {e.strerror or e}") from None
    with stream:
        iterator = iter(ArchiveIterator(stream, arc2warc=True))
        while True:
            try:
                record = next(iterator)
            except StopIteration:
                return
            except Exception as e:  # a corrupt file cannot be resynchronised: count it, move on
                report.bad_records += 1
                archive.record_failure(db, str(path), "import", "bad-warc", f"{type(e).__name__}: {e}",
                                       report.crawl_id)
                logger.warning("%(path)s: unreadable WARC data (%(error)s)", {"path": path, "error": e})
                return
            report.records += 1
            if record.rec_type != "response":
                continue
            try:
                yield _read_record(record)
            except Exception as e:
                report.bad_records += 1
                uri = record.rec_headers.get_header("WARC-Target-URI")
                archive.record_failure(db, uri or str(path), "import", "bad-record", f"{type(e).__name__}: {e}",
                                       report.crawl_id)


def check_warc_files(paths: Iterable[str | Path]) -> list[Path]:
    """The paths as Paths, checked to be files.

    :raises WartaError: naming the first path that is not a readable file.
    """
    checked = [Path(p) for p in paths]
    for path in checked:
        if not path.is_file():
            raise WartaError(f"no such WARC file: {path}")
    return checked


def import_warc(db, paths: Iterable[str | Path]) -> ImportReport:
    """Run page -> article over the HTML responses of WARC files and archive the results.

    A crawl row records the run (``settings.import_warc`` lists the files).
    Importing the same file twice stores nothing new (articles are keyed on the
    canonical URL, pages on URL and body hash).

    :param db: an open archive
    :param paths: WARC files (``.warc`` or ``.warc.gz``; ARC files are converted on the fly)
    :raises WartaError: when a file cannot be opened at all.

    Example usage::

        report = import_warc(db, ["CC-NEWS-20191128.warc.gz"])
        report.inserted, report.not_articles, report.bad_records
    """
    from .core import derive_with_decision

    paths = check_warc_files(paths)
    report = ImportReport()
    report.crawl_id = archive.start_crawl(db, [], {"import_warc": [str(p) for p in paths]})
    for path in paths:
        report.files += 1
        for group in _groups(_records(path, db, report)):
            if isinstance(group, str):
                report.passed_over += 1
                report.reasons[group] = report.reasons.get(group, 0) + 1
                continue
            report.pages += len(group)
            _derive_and_archive(db, group, report, derive_with_decision)
    archive.finish_crawl(db, report.crawl_id, {f"warta/import/{k}": v for k, v in report.to_dict().items()
                                               if isinstance(v, int) and k != "crawl_id"})
    return report


def _derive_and_archive(db, pages: list[Page], report: ImportReport, derive_with_decision) -> None:
    first = pages[0]
    profile = _profile_of(first.site, first.url)
    try:
        article, decision = derive_with_decision(pages, profile)
    except NotAnArticle as e:
        archive.archive_skipped_page(db, first, e.reason, report.crawl_id, e.decision)
        report.not_articles += 1
        return
    except ExtractionFailed as e:
        archive.archive_skipped_page(db, first, e.reason, report.crawl_id)
        archive.record_failure(db, first.url, "extract", e.reason, str(e), report.crawl_id)
        report.not_articles += 1
        return
    except Exception as e:  # a bug in a rule costs one page, not the import
        logger.exception("page -> article crashed on %(url)s", {"url": first.url})
        archive.archive_skipped_page(db, first, "error", report.crawl_id)
        archive.record_failure(db, first.url, "extract", type(e).__name__, str(e), report.crawl_id)
        report.bad_records += 1
        return
    result = archive.archive_article(db, article, pages, report.crawl_id, decision)
    setattr(report, result.action, getattr(report, result.action) + 1)


def format_import_report(report: ImportReport, paths: Iterable[str | Path]) -> str:
    """The one-paragraph summary ``warta import-warc`` prints."""
    names = ", ".join(str(p) for p in paths)
    passed = ", ".join(f"{k} {v}" for k, v in sorted(report.reasons.items()))
    return (
        f"imported {names}: {report.records} records, {report.pages} pages -> "
        f"{report.inserted} new articles, {report.updated} changed, {report.unchanged} unchanged, "
        f"{report.not_articles} not articles; {report.passed_over} records passed over"
        + (f" ({passed})" if passed else "")
        + f"; {report.bad_records} bad records (crawl {report.crawl_id})"
    )

