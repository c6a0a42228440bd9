"""What crosses Redis between warta processes: data-only JSON, never pickle.

Anyone who can write to the Redis of a scale-out crawl can put bytes in front of
a worker or the writer, so nothing read from it may run code. Values are JSON
with a few tagged objects for what JSON lacks, each rebuilt by a fixed
constructor that checks every field's type:

- ``{"$b": "<base64>"}``: bytes (page bodies, header values)
- ``{"$dt": "2019-11-28T14:30:00+07:00"}``: a datetime; ``{"$d": "2019-11-28"}``: a date
- ``{"$page": {...}}``: a :class:`~pipelines.page.Page`; ``{"$article": {...}}``: an
  :class:`~pipelines.article.Article`
- ``{"$map": [[key, value], ...]}``: a dict whose keys are not all plain strings
  (Scrapy's request headers have bytes keys), or that has a key starting with ``$``

A pickle is recognised by its first byte and refused without being loaded.
Decoding errors are :class:`WireError` with a short ``reason`` code, so the
reader can dead-letter the record and record why.

This module is also scrapy-redis's ``SCHEDULER_SERIALIZER`` (it has the
``dumps``/``loads`` pair scrapy-redis asks for), so the shared frontier's
requests are data-only too.

>>> from datetime import date
>>> loads(dumps({"body": b"<p>Banjir</p>", "day": date(2019, 11, 28), "tags": ["Lebak"]}))
{'body': b'<p>Banjir</p>', 'day': datetime.date(2019, 11, 28), 'tags': ['Lebak']}
>>> loads(b"\\x80\\x04\\x95...")
Traceback (most recent call last):
...
crawler.wire.WireError: a pickle; refused, never loaded
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import types
import typing
from datetime import date, datetime

from pipelines.article import Article
from pipelines.page import Page


class WireError(ValueError):
    """Raised when bytes read from Redis are not a record or request warta can use.

    ``reason`` is one of ``pickle-refused`` (a pickle: refused, never loaded),
    ``unreadable`` (not compressed JSON at all), ``too-large`` (over the size
    cap once decompressed), ``version-skew`` (written by another warta format)
    and ``bad-shape`` (JSON, but not the fields and types expected).
    """

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


#: The first byte of every pickle of protocol 2 or later (what Python and
#: scrapy-redis's default serializer write).
PICKLE_PREFIX = b"\x80"

_TAGS = ("$b", "$dt", "$d", "$page", "$article", "$map")


def dumps(value) -> bytes:
    """Encode ``value`` as data-only JSON (UTF-8 bytes).

    :raises TypeError: for a value with no data-only form (an object, a set, a function)

    >>> dumps({"url": "https://www.kabarlebak.example/", "headers": {b"Accept": [b"text/html"]}})
    b'{"url":"https://www.kabarlebak.example/","headers":{"$map":[[{"$b":"QWNjZXB0"},[{"$b":"dGV4dC9odG1s"}]]]}}'
    """
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def loads(data: bytes | str):
    """Decode what :func:`dumps` wrote; never runs code.

    :raises WireError: for a pickle (``pickle-refused``), bytes that are not JSON
        (``unreadable``) or a tagged object of the wrong shape (``bad-shape``)
    """
    if isinstance(data, bytes | bytearray) and data[:1] == PICKLE_PREFIX:
        raise WireError("pickle-refused", "a pickle; refused, never loaded")
    try:
        return json.loads(data, object_hook=_decode_object)
    except WireError:
        raise
    except (ValueError, RecursionError) as e:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise WireError("unreadable", f"not warta's JSON: {str(e)[:200]}") from None


def _encode(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, bytes | bytearray):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Page):
        return {"$page": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(Page)}}
    if isinstance(value, Article):
        return {"$article": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(Article)}}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$map": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"{type(value).__name__} has no data-only form; it cannot be sent through Redis")


def _decode_object(obj: dict):
    tagged = [k for k in obj if k.startswith("$")]
    if not tagged:
        return obj
    if len(obj) != 1 or tagged[0] not in _TAGS:
        raise WireError("bad-shape", f"unknown tagged object {sorted(obj)[:3]}")
    tag, value = tagged[0], obj[tagged[0]]
    try:
        if tag == "$b":
            return base64.b64decode(_expect(value, str, tag), validate=True)
        if tag == "$dt":
            return datetime.fromisoformat(_expect(value, str, tag))
        if tag == "$d":
            return date.fromisoformat(_expect(value, str, tag))
        if tag == "$map":
            pairs = _expect(value, list, tag)
            if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
                raise WireError("bad-shape", "$map holds something else than [key, value] pairs")
            return {_hashable(k): v for k, v in pairs}
        if tag == "$page":
            return _build(Page, _expect(value, dict, tag))
        return _build(Article, _expect(value, dict, tag))
    except (binascii.Error, ValueError) as e:
        if isinstance(e, WireError):
            raise
        raise WireError("bad-shape", f"{tag}: {e}") from None


def _hashable(key):
    if isinstance(key, str | bytes | int | float | bool) or key is None:
        return key
    raise WireError("bad-shape", f"$map key of type {type(key).__name__}")


def _expect(value, kind: type, what: str):
    if not isinstance(value, kind):
        raise WireError("bad-shape", f"{what} holds a {type(value).__name__}, not a {kind.__name__}")
    return value


_HINTS: dict[type, dict[str, object]] = {}


def _build(cls: type, fields: dict):
    """An instance of the dataclass ``cls`` from ``fields``, each checked against its annotation."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    unknown = set(fields) - set(hints)
    if unknown:
        raise WireError("bad-shape", f"{cls.__name__} has no field {sorted(unknown)[0]!r}")
    required = {f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    missing = required - set(fields)
    if missing:
        raise WireError("bad-shape", f"{cls.__name__} lacks {sorted(missing)[0]!r}")
    for name, value in fields.items():
        if not conforms(value, hints[name]):
            raise WireError("bad-shape", f"{cls.__name__}.{name} holds a {type(value).__name__}")
    return cls(**fields)


def conforms(value, hint) -> bool:
    """True when ``value`` matches the type annotation ``hint`` (classes, ``X | None``,
    ``list[X]``, ``dict[K, V]``; a bool is not an int here).

    >>> conforms(["Lebak", "Banten"], list[str]), conforms({"title": 1}, dict[str, str])
    (True, False)
    """
    if hint is typing.Any:
        return True
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, h) for h in typing.get_args(hint))
    if origin is list:
        (item,) = typing.get_args(hint) or (typing.Any,)
        return isinstance(value, list) and all(conforms(v, item) for v in value)
    if origin is dict:
        key, item = typing.get_args(hint) or (typing.Any, typing.Any)
        return isinstance(value, dict) and all(conforms(k, key) and conforms(v, item) for k, v in value.items())
    if hint is type(None):
        return value is None
    if hint is int or hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool) and (hint is float or isinstance(value, int))
    if hint is date:  # a datetime is a date too, which the annotations mean
        return isinstance(value, date)
    return isinstance(value, hint)
