"""Typed errors of warta; each message names the URL, slug or value at fault."""


class WartaError(Exception):
    """Base class of every error warta raises on purpose.

    The CLI turns any ``WartaError`` into a one-line ``click.ClickException``.
    """


class ProfileNotFound(WartaError):
    """Raised when a site slug names no profile in the profile folders."""

    def __init__(self, slug: str):
        super().__init__(f"no site profile named {slug!r} (see `warta sites`)")
        self.slug = slug


class InvalidProfile(WartaError):
    """Raised when a profile file cannot be read or has a wrong field."""


class NotAnArticle(WartaError):
    """Raised by ``derive_article`` when a page is not an article.

    ``reason`` is a short machine-friendly code (``index-page``, ``feed``,
    ``no-body`` ...); the crawl records it in ``failures`` with stage ``validate``.
    """

    def __init__(self, url: str | None, reason: str, detail: str = ""):
        self.url = url
        self.reason = reason
        self.detail = detail
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
