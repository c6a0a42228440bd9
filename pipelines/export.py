"""Export archived articles to CSV, JSON Lines or Parquet, streaming with constant memory.

Rows are read from a SQLite cursor in batches and written as they come; the
Parquet writer receives one record batch at a time (pyarrow ``ParquetWriter``),
so memory stays flat whatever the archive's size. A file is written under a
temporary name and renamed when complete, so a failed or killed export leaves no
half file under the name asked for; a FIFO or a character device is streamed into
(see :func:`_output`); a full disk or a closed pipe is one ``OutputError`` line.

Columns (all formats, in this order) are :data:`EXPORT_COLUMNS`. Dates come three ways:

- ``published``: the ISO 8601 text with its offset (``2019-11-28T14:30:00+07:00``), without
  one when the page's zone is unknown (docs/dates.md), or only the day (``2019-11-20``);
- ``published_at``: the UTC instant (Parquet ``timestamp[us, tz=UTC]``), empty for day-only
  dates and for times of unknown zone;
- ``published_day``: the local publication day (Parquet ``date32``).

``tags`` is a list (Parquet ``list<string>``, a JSON array in JSON Lines, JSON
text in CSV). Counts are integers.

Example usage::

    from pipelines.export import export_articles
    export_articles(db, "articles.parquet", "parquet")
"""

from __future__ import annotations

import glob
import json
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError
from .notebook import ArticleFilter

FORMATS = ("csv", "jsonl", "parquet")

#: Rows per Parquet record batch (one row group each). 5,000 rows of ~2 KB
#: articles keep a batch near 10 MB (+45 MB peak RSS on the 100k benchmark);
#: larger batches did not export faster.
BATCH_ROWS = 5000

#: Rows per write for CSV and JSON Lines: 1,000 rows cost +11 MB peak RSS and
#: export as fast as 5,000 (scripts/bench_search.py).
TEXT_BATCH_ROWS = 1000

#: Exported columns and their Parquet types (names of pyarrow type factories).
EXPORT_COLUMNS = {
    "canonical_url": "string",
    "url": "string",
    "site": "string",
    "title": "string",
    "author": "string",
    "published": "string",
    "published_at": "timestamp",
    "published_day": "date",
    "published_raw": "string",
    "published_source": "string",
    "updated": "string",
    "updated_at": "timestamp",
    "section": "string",
    "tags": "list",
    "image": "string",
    "language": "string",
    "description": "string",
    "body": "string",
    "word_count": "int",
    "page_count": "int",
    "content_hash": "string",
    "extractor_version": "string",
    "first_seen": "timestamp",
    "last_seen": "timestamp",
}

# The export columns computed by SQLite: instants keep only full UTC times (a
# day-only date has no instant), the local day is the first ten characters of
# the ISO text with offset.
_UTC_INSTANT = "case when {0} like '____-__-__T%Z' then {0} end"
_SELECT = {
    **{name: name for name in EXPORT_COLUMNS},
    "published_at": _UTC_INSTANT.format("published_utc"),
    "updated_at": _UTC_INSTANT.format("updated_utc"),
    "published_day": "substr(published, 1, 10)",
    "first_seen": _UTC_INSTANT.format("first_seen"),
    "last_seen": _UTC_INSTANT.format("last_seen"),
}


def _export_cursor(db, where: ArticleFilter | None, select: str):
    """A cursor over ``select`` (code-made SQL) for the matching articles, oldest first."""
    condition, params = (where or ArticleFilter()).sql("articles")
    sql = f"select {select} from articles" + (f" where {condition}" if condition else "")
    # published_utc is indexed: this order streams from the index without a sort.
    return db.conn.execute(sql + " order by articles.published_utc, articles.rowid", params)


def _batches(cursor, size: int | None = None) -> Iterator[list[tuple]]:
    while rows := cursor.fetchmany(size or BATCH_ROWS):
        yield rows


def export_articles(db, out: str | Path, fmt: str, where: ArticleFilter | None = None, *,
                    stdout=None) -> int:
    """Write the articles matching ``where`` to ``out`` and return how many were written.

    :param db: an open archive
    :param out: a file path, or ``"-"`` for standard output (csv and jsonl only)
    :param fmt: ``csv``, ``jsonl`` or ``parquet``
    :param where: site and local-day filter
    :param stdout: the text stream ``"-"`` writes to (default ``sys.stdout``)
    :raises OutputError: when ``fmt`` is unknown, ``out`` cannot be written, or
        Parquet is asked for on standard output.

    Example usage::

        n = export_articles(db, "-", "jsonl", ArticleFilter.make(site="kabar-lebak"))
    """
    if fmt not in FORMATS:
        raise OutputError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    if str(out) == "-":
        if fmt == "parquet":
            raise OutputError("parquet cannot be written to standard output; give a file name")
        stream = stdout or sys.stdout
        if fmt == "csv":  # Arrow writes bytes
            stream = getattr(stream, "buffer", None) or _TextSink(stream)
        with _write_errors("standard output"):
            return _WRITERS[fmt](db, where, stream)
    with output_file(Path(out), binary=fmt != "jsonl") as stream:
        return _WRITERS[fmt](db, where, stream)


@contextmanager
def output_file(path: Path, *, binary: bool):
    """The stream to write an export file to (see :func:`_output`); any failed write is one OutputError.

    :raises OutputError: for a path that cannot be written, a full disk, a closed pipe.
    """
    with _write_errors(path), _output(path, binary=binary) as stream:
        yield stream


#: The name the WARC export (pipelines/warc.py) uses.
_atomic_output = output_file


@contextmanager
def _write_errors(name):
    """A write that fails (a full disk, a closed pipe) as one OutputError line."""
    try:
        yield
    except OSError as e:
        raise OutputError(f"cannot write {name}: {e.strerror or e}") from None


class _TextSink:
    """A binary file-like facade over a text stream (for a stdout replaced by a test runner)."""

    def __init__(self, text):
        self.text = text
        self.closed = False

    def write(self, data) -> int:
        self.text.write(bytes(data).decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self.text.flush()

    def close(self) -> None:
        self.closed = True


@contextmanager
def _output(path: Path, *, binary: bool):
    """The stream an export writes to ``path``, by what ``path`` is.

    - a new path or a regular file: a temporary file next to it, renamed over it
      once complete (a failed or killed export never leaves a partial file under
      the name; the file's permissions are kept);
    - a symlink: the same, for the file it points to (the link stays a link);
    - a FIFO or a character device (``mkfifo``, ``/dev/stdout``): written into
      directly, as a stream (nothing to rename);
    - a directory, block device or socket: refused.
    """
    try:
        info = os.stat(path)  # follows a symlink
    except FileNotFoundError:
        info = None
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    if info is not None and (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        try:
            stream = open(path, "wb") if binary else open(path, "w", encoding="utf-8", newline="")
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
        with stream:
            yield stream
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else \
            "a block device" if stat.S_ISBLK(info.st_mode) else "not a regular file"
        raise OutputError(f"cannot write {path}: it is {kind}")
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    _remove_stale_partials(target)
    partial = target.with_name(f".{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")
    try:
        stream = open(partial, "wb") if binary else open(partial, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if info is not None:
            os.chmod(partial, stat.S_IMODE(info.st_mode))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


#: The name a file is written under until it is complete: ``.NAME.PID.partial``, hidden
#: and never the name asked for; one left by a killed export is removed by the next.
PARTIAL_SUFFIX = ".partial"


def _remove_stale_partials(target: Path) -> None:
    """Remove the partial files of ``target`` left by exports that were killed (their process is gone)."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*{PARTIAL_SUFFIX}"):
        pid = leftover.name[len(target.name) + 2:-len(PARTIAL_SUFFIX)]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_csv(db, where: ArticleFilter | None, stream) -> int:
    """CSV (RFC 4180, header row) written by Arrow's C++ writer; tags as JSON text, instants as ``...Z`` text.

    Empty cells are missing values; an empty string is written as ``""``.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = list(EXPORT_COLUMNS)
    schema = pa.schema([pa.field(n, pa.int64() if EXPORT_COLUMNS[n] == "int" else pa.string()) for n in names])
    n = 0
    with pcsv.CSVWriter(stream, schema, write_options=pcsv.WriteOptions(quoting_style="needed")) as writer:
        for rows in _batches(_export_cursor(db, where, ", ".join(_SELECT.values())), TEXT_BATCH_ROWS):
            columns = zip(*rows, strict=True)
            writer.write_batch(pa.RecordBatch.from_arrays(
                [pa.array(values, field.type) for field, values in zip(schema, columns, strict=True)], schema=schema))
            n += len(rows)
    return n


def write_jsonl(db, where: ArticleFilter | None, stream) -> int:
    """One JSON object per line (UTF-8, not ASCII-escaped), built by SQLite's ``json_object``."""
    pairs = ", ".join(
        f"'{name}', " + ("json(coalesce(tags, '[]'))" if name == "tags" else expr) for name, expr in _SELECT.items()
    )
    n = 0
    for rows in _batches(_export_cursor(db, where, f"json_object({pairs})"), TEXT_BATCH_ROWS):
        stream.write("\n".join(line for (line,) in rows))
        stream.write("\n")
        n += len(rows)
    return n


def parquet_schema():
    """The pyarrow schema of a Parquet export."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
        "int": pa.int64(),
    }
    return pa.schema([pa.field(name, types[kind]) for name, kind in EXPORT_COLUMNS.items()])


def write_parquet(db, where: ArticleFilter | None, stream) -> int:
    """Parquet (zstd), one record batch of :data:`BATCH_ROWS` rows at a time.

    Text instants are cast by Arrow (a malformed one raises rather than
    becoming null); tags are decoded from their JSON text.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(stream, schema, compression="zstd") as writer:
        for rows in _batches(_export_cursor(db, where, ", ".join(_SELECT.values()))):
            arrays = []
            for field, values in zip(schema, zip(*rows, strict=True), strict=True):
                if field.name == "tags":
                    arrays.append(pa.array([json.loads(v) if v else [] for v in values], field.type))
                elif field.type in (pa.string(), pa.int64()):
                    arrays.append(pa.array(values, field.type))
                else:
                    arrays.append(pa.array(values, pa.string()).cast(field.type))
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            n += len(rows)
    return n


_WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "parquet": write_parquet}
