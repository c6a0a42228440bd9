"""Typed errors of warta; each message names the URL, slug or value at fault."""

from pathlib import Path


class WartaError(Exception):
    """Base class of every error warta raises on purpose.

    The CLI turns any ``WartaError`` into a one-line ``click.ClickException``.
    """


class ProfileNotFound(WartaError):
    """Raised when a site slug names no profile in the profile folders."""

    def __init__(self, slug: str, family_hosts: tuple[str, ...] = ()):
        if family_hosts:
            hosts = ", ".join(family_hosts[:4]) + (", ..." if len(family_hosts) > 4 else "")
            message = f"{slug!r} is a family of {len(family_hosts)} sites: name one of them ({hosts})"
        else:
            message = f"no site profile named {slug!r} (see `warta sites`)"
        super().__init__(message)
        self.slug = slug
        self.family_hosts = family_hosts


class InvalidProfile(WartaError):
    """Raised when a profile file cannot be read or has a wrong field."""


class NotAnArticle(WartaError):
    """Raised by ``derive_article`` when a page is not an article.

    ``reason`` is a short machine-friendly code (``index-page``, ``feed``,
    ``no-body`` ...); the crawl keeps the page with it as its ``skip_reason``.
    ``decision`` is the :class:`pipelines.validate.Decision` behind it (its
    evidence), when the page got that far.
    """

    def __init__(self, url: str | None, reason: str, detail: str = "", decision=None):
        self.url = url
        self.reason = reason
        self.detail = detail
        self.decision = decision
        msg = f"{url or '<no url>'}: not an article ({reason})"
        if detail:
            msg += f": {detail}"
        super().__init__(msg)


class ExtractionFailed(WartaError):
    """Raised when a page cannot be turned into text at all (binary, empty)."""

    def __init__(self, url: str | None, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{url or '<no url>'}: extraction failed ({reason})")


class UnparseableDate(WartaError):
    """Raised by strict date helpers when a string is not a date."""

    def __init__(self, text: str):
        self.text = text
        super().__init__(f"not a date: {text!r}")


class ArchiveError(WartaError):
    """Raised when the archive file is missing, unreadable or of a newer schema."""


class BadQuery(WartaError):
    """Raised when a search query cannot be run even as a literal search."""


class OutputError(WartaError):
    """Raised when an output file cannot be written (missing folder, no permission,
    a directory in the way) or a format cannot go where it was asked (Parquet to stdout)."""


class BadFilter(WartaError):
    """Raised when a filter value is not usable: a date that is not ``YYYY-MM-DD``,
    or ``since`` after ``until``."""


class MissingDependency(WartaError):
    """Raised when an optional package (pandas) is needed but not installed."""


class BadGrouping(WartaError):
    """Raised when ``by`` names no known grouping."""


class InvalidSetting(WartaError):
    """Raised before a crawl starts when a setting is unknown, of the wrong type or out of range."""


class CrawlLocked(WartaError):
    """Raised when another running crawl holds the crawl state folder of a site."""

    def __init__(self, jobdir: str | Path):
        super().__init__(f"{jobdir}: another crawl of this site is running (its state folder is locked)")
        self.jobdir = str(jobdir)


class RedisUnavailable(WartaError):
    """Raised when the Redis URL is malformed or the server does not answer."""


class WriterBusy(WartaError):
    """Raised when another ``warta ingest`` already writes from this Redis."""
