"""What the spider hands to the item pipelines: an article's pages, or a failure to record."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.page import Page


@dataclass(repr=False)
class ArticlePages:
    """The fetched pages of one article candidate: page 1, then pages 2..n in order."""

    site: str
    pages: list[Page] = field(default_factory=list)

    def __repr__(self) -> str:  # Scrapy logs dropped items: never their raw bytes
        return f"<ArticlePages {self.site} {self.url if self.pages else '-'} ({len(self.pages)} pages)>"

    @property
    def url(self) -> str:
        return self.pages[0].url


@dataclass
class FetchFailure:
    """A request that produced no usable response (HTTP error, timeout, robots, too big …)."""

    url: str
    stage: str
    reason: str
    detail: str = ""
    site: str | None = None
