"""A plain ``async fetch`` for discovery and check tests: urllib in a thread, redirects followed.

The Scrapy path (robots, politeness) is tested end to end through the CLI; this one lets the
discovery and check procedures run in-process against the loopback site shapes.
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

from crawler.discovery import Fetched


def get(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return Fetched(url, response.geturl(), response.status, response.read(),
                           response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as e:
        return Fetched(url, url, e.code, e.read(), e.headers.get("Content-Type", ""))
    except OSError as e:
        return Fetched(url, error=type(e).__name__)


async def fetch(url: str) -> Fetched:
    return await asyncio.to_thread(get, url)
