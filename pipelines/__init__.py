"""warta's page -> article stages and the archive.

The public entry points are imported lazily so that ``import pipelines.dates``
stays cheap (no lxml, no Scrapy).

Example usage::

    from pipelines import extract_article
    article = extract_article(html_bytes, "https://kabarlebak.example/2019/11/28/koperasi/")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Article", "Page", "derive_article", "extract_article", "next_page_urls", "WartaError"]

if TYPE_CHECKING:  # pragma: no cover
    from .article import Article
    from .core import derive_article, extract_article, next_page_urls
    from .errors import WartaError
    from .page import Page

_LAZY = {
    "Article": ".article",
    "Page": ".page",
    "derive_article": ".core",
    "extract_article": ".core",
    "next_page_urls": ".core",
    "WartaError": ".errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'pipelines' has no attribute {name!r}")
