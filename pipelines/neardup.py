"""Syndicated copies told apart: near-duplicate articles grouped by MinHash (datasketch) and LSH bands.

Regional outlets republish wire copy and their network's stories under their
own URLs, with an edited headline, their own dateline, a trimmed last paragraph
and their own boilerplate. Two articles are copies of one story when the sets of
word 3-grams (shingles) of their bodies overlap with a Jaccard similarity of at
least :data:`THRESHOLD`. Finding the candidates is datasketch's MinHash
(:data:`NUM_PERM` permutations, scheme ``affine32``) cut into LSH bands with
the band count and width datasketch's ``MinHashLSH`` chooses for
:data:`LSH_THRESHOLD`; the bands are kept in the archive (``article_lsh``), so
grouping is incremental across processes and runs. A candidate is confirmed by
the exact Jaccard similarity of the two shingle sets.

Every article gets ``dup_group`` (the rowid of the group's earliest copy, by
publication time, then first fetch) and ``earliest_copy`` (that copy's canonical
URL; the article's own URL when it is the first or only one).

Example usage::

    from pipelines.neardup import regroup_all
    regroup_all(db.conn)     # every group re-derived, e.g. after new rules
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: MinHash permutations: the estimate of a Jaccard similarity of 0.5 has a
#: standard error of 0.044 with 128.
NUM_PERM = 128

#: Words per shingle. Three keep two different stories about one event (same
#: names, same places) apart while a copy shares most of its 3-grams.
SHINGLE_WORDS = 3

#: Jaccard similarity of shingle sets from which two articles are one story.
THRESHOLD = 0.5

#: A copy cut short (the last paragraphs trimmed, as outlets do) is one story with
#: its original when this share of its shingles is in the original, and their
#: Jaccard similarity is at least CONTAINED_MIN_JACCARD.
CONTAINMENT = 0.8
CONTAINED_MIN_JACCARD = 0.3

#: The similarity the LSH bands are tuned for (lower than THRESHOLD, so that
#: copies near the threshold still become candidates).
LSH_THRESHOLD = 0.4

#: Bodies with fewer words than this are not grouped (a caption or a stub:
#: too few shingles to tell a copy from a coincidence).
MIN_WORDS = 25

_WORD = re.compile(r"[^\W_]+")
_SHINGLE_MULTIPLIERS = (np.uint64(0x9E3779B1), np.uint64(0x85EBCA77), np.uint64(0xC2B2AE3D))
_MIX = np.uint64(0xFF51AFD7ED558CCD)
_BAND_SEEDS = (np.arange(1, 257, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))


@lru_cache(maxsize=1)
def _lsh_shape() -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@lru_cache(maxsize=1)
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations


def version() -> str:
    """Identifies the groups' parameters: groups are re-derived when it changes."""
    bands, rows = _lsh_shape()
    return (f"minhash-{NUM_PERM}-affine32-w{SHINGLE_WORDS}-j{THRESHOLD}-c{CONTAINMENT}/{CONTAINED_MIN_JACCARD}"
            f"-b{bands}x{rows}-min{MIN_WORDS}+warta-1")


@lru_cache(maxsize=500_000)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def shingles(text: str | None) -> np.ndarray:
    """The sorted unique 32-bit hashes of the body's word 3-grams (lower case); empty for a short body.

    >>> len(shingles("satu dua tiga empat")), len(shingles("terlalu pendek"))
    (0, 0)
    """
    words = _WORD.findall((text or "").lower())
    if len(words) < max(MIN_WORDS, SHINGLE_WORDS):
        return np.empty(0, dtype=np.uint32)
    ids = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    n = len(ids) - SHINGLE_WORDS + 1
    combined = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE_WORDS):
        combined = combined * _SHINGLE_MULTIPLIERS[k] + ids[k:k + n]
    return np.unique((combined ^ (combined >> np.uint64(32))).astype(np.uint32))


def _identity(value):
    return value


def signature(shingle_hashes: np.ndarray) -> np.ndarray:
    """The MinHash (datasketch, ``affine32``) of a shingle set: :data:`NUM_PERM` uint32 values."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, hashfunc=_identity, permutations=_permutations(), scheme="affine32")
    minhash.update_batch(shingle_hashes.tolist())  # Python ints convert to an array at C speed
    return minhash.hashvalues


def band_keys(hashvalues: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band: the band's number and values mixed into one integer.

    Two articles share a key when a whole band of their signatures is equal
    (a 64-bit collision between different bands only adds a candidate, which
    the check of the shingles then rejects).
    """
    bands, rows = _lsh_shape()
    values = np.asarray(hashvalues[: bands * rows], dtype=np.uint64).reshape(bands, rows)
    with np.errstate(over="ignore"):
        keys = _BAND_SEEDS[:bands].copy()
        for column in range(rows):
            keys = (keys ^ values[:, column]) * _MIX
            keys ^= keys >> np.uint64(29)
    return keys.view(np.int64).tolist()


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays.

    >>> jaccard(np.array([1, 2, 3], dtype=np.uint32), np.array([2, 3, 4], dtype=np.uint32))
    0.5
    """
    if not len(a) or not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def same_story(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two shingle sets are one story: similar enough, or one is the other cut short.

    >>> whole = np.arange(100, dtype=np.uint32)
    >>> same_story(whole, whole[:40]), same_story(whole, whole[:20]), same_story(whole, whole[50:] + 1000)
    (True, False, False)
    """
    if not len(a) or not len(b):
        return False
    common = len(np.intersect1d(a, b, assume_unique=True))
    similarity = common / (len(a) + len(b) - common)
    return similarity >= THRESHOLD or (
        similarity >= CONTAINED_MIN_JACCARD and common / min(len(a), len(b)) >= CONTAINMENT)


@dataclass
class Fingerprint:
    """What grouping needs of one article: its shingles and LSH band keys (none for a short body)."""

    rowid: int
    shingles: np.ndarray
    keys: list[int]


def fingerprint(rowid: int, body: str | None) -> Fingerprint:
    found = shingles(body)
    return Fingerprint(rowid, found, band_keys(signature(found)) if len(found) else [])


def _fingerprints(rows: list[tuple[int, str]]) -> list[Fingerprint]:
    return [fingerprint(rowid, body) for rowid, body in rows]


# --- grouping in the archive ------------------------------------------------------------------


class Grouper:
    """Places articles into groups, in the archive's ``article_lsh`` and ``articles.dup_group``.

    Used inside the caller's transaction; the shingles of recently seen
    articles are kept (a story's copies arrive close together).
    """

    def __init__(self, conn: sqlite3.Connection, cache_size: int = 4096):
        self.conn = conn
        self.cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self.cache_size = cache_size

    def _shingles_of(self, rowid: int) -> np.ndarray:
        found = self.cache.get(rowid)
        if found is None:
            row = self.conn.execute("select body from articles where rowid = ?", [rowid]).fetchone()
            found = shingles(row[0] if row else None)
            self._remember(rowid, found)
        else:
            self.cache.move_to_end(rowid)
        return found

    def _remember(self, rowid: int, found: np.ndarray) -> None:
        self.cache[rowid] = found
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)

    def add(self, print_: Fingerprint) -> None:
        """Group one article (already in ``articles``) with the copies it has among the indexed ones."""
        conn = self.conn
        rowid = print_.rowid
        self._remember(rowid, print_.shingles)
        if not print_.keys:
            self._alone(rowid)
            return
        marks = ",".join("?" * len(print_.keys))
        shared: dict[int, int] = {}
        for (other,) in conn.execute(f"select article_rowid from article_lsh where band_key in ({marks})",
                                     print_.keys):
            if other != rowid:
                shared[other] = shared.get(other, 0) + 1
        groups: set[int] = set()
        matched: list[int] = []
        # Most shared bands first; once a group is confirmed its other members need no check.
        for other in sorted(shared, key=lambda o: (-shared[o], o)):
            group = conn.execute("select dup_group from articles where rowid = ?", [other]).fetchone()
            if group is None:
                continue  # an article deleted by another program, not yet synced
            if group[0] is not None and group[0] in groups:
                continue
            if same_story(print_.shingles, self._shingles_of(other)):
                matched.append(other)
                if group[0] is not None:
                    groups.add(group[0])
        conn.executemany("insert or ignore into article_lsh (band_key, article_rowid) values (?, ?)",
                         [(key, rowid) for key in print_.keys])
        if not matched:
            self._alone(rowid)
            return
        members = {rowid, *matched}
        if groups:
            marks = ",".join("?" * len(groups))
            members.update(r for (r,) in conn.execute(
                f"select rowid from articles where dup_group in ({marks})", sorted(groups)))
        self._set_group(sorted(members))

    def remove(self, rowid: int, old_body: str | None) -> None:
        """Take an article out of the bands and its group (before it is deleted or changed)."""
        print_ = fingerprint(rowid, old_body)
        self.cache.pop(rowid, None)
        if print_.keys:
            self.conn.executemany("delete from article_lsh where band_key = ? and article_rowid = ?",
                                  [(key, rowid) for key in print_.keys])
        row = self.conn.execute("select dup_group from articles where rowid = ?", [rowid]).fetchone()
        group = row[0] if row else rowid
        if group is None:
            return
        others = [r for (r,) in self.conn.execute(
            "select rowid from articles where dup_group = ? and rowid != ?", [group, rowid])]
        if row:
            self.conn.execute("update articles set dup_group = null, earliest_copy = null where rowid = ?", [rowid])
        if others:
            self._set_group(others)

    def _alone(self, rowid: int) -> None:
        """A story of its own (most articles): its own group, without reading the row."""
        self.conn.execute("update articles set dup_group = rowid, earliest_copy = canonical_url "
                          "where rowid = ? and dup_group is not rowid", [rowid])

    def _set_group(self, members: list[int]) -> None:
        """Give ``members`` the rowid and URL of their earliest copy."""
        marks = ",".join("?" * len(members))
        rows = self.conn.execute(
            f"select rowid, canonical_url, coalesce(published_utc, first_seen, '9999') as day, dup_group, "
            f"earliest_copy from articles where rowid in ({marks})", members).fetchall()
        if not rows:
            return
        first = min(rows, key=lambda r: (r[2], r[0]))
        stale = [r[0] for r in rows if r[3] != first[0] or r[4] != first[1]]
        if stale:
            marks = ",".join("?" * len(stale))
            self.conn.execute(f"update articles set dup_group = ?, earliest_copy = ? where rowid in ({marks})",
                              [first[0], first[1], *stale])


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


#: Articles per worker task in :func:`regroup_all`.
REGROUP_CHUNK = 256

#: Below this many articles :func:`regroup_all` works in this process (starting
#: workers would cost more than it saves).
REGROUP_PARALLEL_MIN = 5000


def regroup_all(conn: sqlite3.Connection, *, workers: int | None = None, progress=None) -> int:
    """Re-derive every article's group from scratch, earliest articles first; returns the articles grouped.

    Fingerprints are computed on ``workers`` processes (default: one per core;
    0 computes them here); placing them in groups runs here, in the caller's
    transaction.
    """
    from .parallel import _context, default_workers

    workers = default_workers() if workers is None else workers
    if workers > 1 and conn.execute("select count(*) from articles").fetchone()[0] < REGROUP_PARALLEL_MIN:
        workers = 0
    conn.execute("delete from article_lsh")
    conn.execute("update articles set dup_group = null, earliest_copy = null where dup_group is not null")
    reader = conn.execute("select rowid, body from articles "
                          "order by coalesce(published_utc, first_seen, '9999'), rowid")
    chunks = _chunks(reader, REGROUP_CHUNK)
    grouper = Grouper(conn)
    done = 0
    if workers <= 1:
        for chunk in chunks:
            done = _place(grouper, _fingerprints(chunk), done, progress)
        return done
    # The cursor is read here, in this thread, a few chunks ahead of the workers.
    waiting: deque = deque()
    with _context().Pool(workers) as pool:
        for chunk in chunks:
            waiting.append(pool.apply_async(_fingerprints, (chunk,)))
            while len(waiting) > 2 * workers:
                done = _place(grouper, waiting.popleft().get(), done, progress)
        while waiting:
            done = _place(grouper, waiting.popleft().get(), done, progress)
    return done


def _place(grouper: Grouper, prints: list[Fingerprint], done: int, progress) -> int:
    for print_ in prints:
        grouper.add(print_)
    done += len(prints)
    if progress:
        progress(done)
    return done
