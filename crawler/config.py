"""Settings checked before a crawl starts: known names, values of the right type and range."""

from __future__ import annotations

import difflib
import json
import logging
import os
from datetime import date
from types import ModuleType

from scrapy.settings import default_settings

from crawler import settings as warta_settings
from crawler.scaleout import PASSWORD_ENV
from pipelines.errors import InvalidSetting
from pipelines.profiles import SITES_DIR_ENV, SITES_PATH_ENV

#: Types of the WARTA_* settings whose default (None) does not tell.
_TYPES = {"WARTA_CRAWL_ID": int, "WARTA_JOBDIR": str, "WARTA_REDIS_URL": str, "WARTA_SINCE": date,
          "WARTA_WORKERS": int}


def _at_least(low):
    return lambda v: None if v >= low else f"must be >= {low}"


def _above(low):
    return lambda v: None if v > low else f"must be > {low}"


def _one_of(*choices):
    return lambda v: None if str(v).upper() in choices or str(v).lower() in choices else \
        f"must be one of {', '.join(choices)}"


def _origins(value: dict):
    for slug, url in value.items():
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return f"maps a site to an http(s) origin; {slug!r} -> {url!r} is not one"
    return None


#: Ranges, beyond the type, of the settings a crawl depends on.
_LIMITS = {
    "DOWNLOAD_DELAY": _at_least(0),
    "DOWNLOAD_TIMEOUT": _above(0),
    "DOWNLOAD_MAXSIZE": _at_least(0),
    "DOWNLOAD_WARNSIZE": _at_least(0),
    "CONCURRENT_REQUESTS": _at_least(1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": _at_least(1),
    "CONCURRENT_REQUESTS_PER_IP": _at_least(0),
    "AUTOTHROTTLE_START_DELAY": _at_least(0),
    "AUTOTHROTTLE_MAX_DELAY": _at_least(0),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": _above(0),
    "RETRY_TIMES": _at_least(0),
    "REDIRECT_MAX_TIMES": _at_least(0),
    "LOG_LEVEL": _one_of("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"),
    "WARTA_BATCH_SIZE": _at_least(1),
    "WARTA_MAX_ARTICLES": _at_least(0),
    "WARTA_PROGRESS": _one_of("auto", "rich", "log", "off"),
    "WARTA_PROGRESS_INTERVAL": _above(0),
    "WARTA_REDIS_IDLE_CLOSE": _at_least(0),
    "WARTA_RETRY_AFTER_MAX": _at_least(0),
    "WARTA_RETRY_BACKOFF_BASE": _at_least(0),
    "WARTA_RETRY_BACKOFF_MAX": _at_least(0),
    "WARTA_SITE_ORIGINS": _origins,
    "WARTA_WORKERS": _at_least(0),
}

#: Settings read with ``getint``: a fraction ("2.5") is refused.
WHOLE_NUMBERS = frozenset({
    "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_REQUESTS_PER_IP", "DEPTH_LIMIT",
    "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "REDIRECT_MAX_TIMES", "RETRY_TIMES", "SCRAPER_SLOT_MAX_ACTIVE_SIZE",
    "WARTA_BATCH_SIZE", "WARTA_CRAWL_ID", "WARTA_MAX_ARTICLES", "WARTA_WORKERS",
})

#: Environment variables warta reads, with their types.
ENVIRONMENT = {SITES_PATH_ENV: str, SITES_DIR_ENV: str, PASSWORD_ENV: str, "WARTA_WORKERS": int}

logger = logging.getLogger(__name__)


def _names(module: ModuleType) -> dict[str, object]:
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


def known_settings() -> dict[str, object]:
    """Every Scrapy and warta setting with its default (warta's win)."""
    return {**_names(default_settings), **_names(warta_settings)}


def _convert(value, kind):
    """``value`` (a string from the command line, or a Python value) as ``kind``; ValueError if it is not one."""
    if value is None or kind is type(None):
        return value
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError("expected true or false")
    if kind is int:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError("expected a whole number")
        try:
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        except ValueError:
            raise ValueError("expected a whole number") from None
    if kind is float:
        if isinstance(value, bool):
            raise ValueError("expected a number")
        return float(value)
    if kind is date:
        return date.fromisoformat(str(value)[:10])
    if kind is dict:
        if isinstance(value, str):
            value = json.loads(value) if value.strip() else {}
        if not isinstance(value, dict):
            raise ValueError("expected a JSON object")
        return value
    if kind in (list, tuple):
        if isinstance(value, str):
            text = value.strip()
            return json.loads(text) if text.startswith("[") else [v.strip() for v in text.split(",") if v.strip()]
        if not isinstance(value, list | tuple):
            raise ValueError("expected a list")
        return value
    return value


def check_settings(overrides: dict | None) -> None:
    """Refuse settings a crawl could not run with, before it starts.

    A ``WARTA_*`` name warta does not know, a misspelt Scrapy name (close to a
    known one), a value of the wrong type (``DOWNLOAD_DELAY=abc``) or out of range
    (``CONCURRENT_REQUESTS=0``) raises. Other unknown names pass: they may be the
    settings of a Scrapy add-on.

    :raises InvalidSetting: with a one-line message naming the setting.

    >>> check_settings({"DOWNLOAD_DELAY": "0.5", "WARTA_PROGRESS": "log", "SOME_ADDON_SETTING": "x"})
    >>> check_settings({"DOWNLOAD_DELAY": "abc"})
    Traceback (most recent call last):
    ...
    pipelines.errors.InvalidSetting: --set DOWNLOAD_DELAY=abc: expected a number
    >>> check_settings({"WARTA_PROGRES": "log"})
    Traceback (most recent call last):
    ...
    pipelines.errors.InvalidSetting: --set WARTA_PROGRES=log: no such setting (did you mean WARTA_PROGRESS?)
    """
    known = known_settings()
    for name, value in (overrides or {}).items():
        where = f"--set {name}={value}"
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
            if name.startswith("WARTA_") or close:
                hint = f" (did you mean {close[0]}?)" if close else " (see crawler/settings.py)"
                raise InvalidSetting(f"{where}: no such setting{hint}")
            continue
        default = known[name]
        kind = _TYPES.get(name) or type(default)
        if kind is int and name not in WHOLE_NUMBERS:
            kind = float  # an int default read with getfloat (DOWNLOAD_TIMEOUT = 180)
        if kind is type(None):
            continue
        try:
            converted = _convert(value, kind)
        except (ValueError, TypeError) as e:
            message = str(e) if str(e).startswith("expected") else f"expected {_KIND_NAMES.get(kind, kind.__name__)}"
            raise InvalidSetting(f"{where}: {message}") from None
        check = _LIMITS.get(name)
        problem = check(converted) if check and converted is not None else None
        if problem:
            raise InvalidSetting(f"{where}: {name} {problem}")


_KIND_NAMES = {float: "a number", int: "a whole number", date: "a day as YYYY-MM-DD", dict: "a JSON object",
               list: "a list", bool: "true or false"}


def check_environment(environ: dict[str, str] | None = None) -> None:
    """Refuse ill-typed ``WARTA_*`` environment variables; warn about unknown ones (a typo?).

    :raises InvalidSetting: e.g. for ``WARTA_WORKERS=two``.
    """
    environ = os.environ if environ is None else environ
    known = set(ENVIRONMENT) | set(known_settings())
    for name, value in environ.items():
        if not name.startswith("WARTA_"):
            continue
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
            logger.warning("environment variable %(name)s is not read by warta%(hint)s",
                           {"name": name, "hint": f" (did you mean {close[0]}?)" if close else ""})
            continue
        if ENVIRONMENT.get(name) is int:
            try:
                if int(value) < 0:
                    raise ValueError
            except ValueError:
                raise InvalidSetting(f"environment variable {name}={value!r}: expected a whole number >= 0") from None
