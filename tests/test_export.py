"""Export: CSV, JSON Lines and typed Parquet, streamed in batches, filters, bad outputs."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import UTC, date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines import export
from pipelines.archive import open_archive
from pipelines.export import EXPORT_COLUMNS, OutputError, export_articles
from pipelines.notebook import ArticleFilter

LEBAK_FLOOD = "https://www.kabarlebak.example/berita/banjir-rangkasbitung/"
CIPANAS = "https://www.kabarlebak.example/berita/jalan-rusak-cipanas/"
UNDATED = "https://suarajayapura.example/berita/tanpa-tanggal/"


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_csv(db, tmp_path):
    out = tmp_path / "articles.csv"
    assert export_articles(db, out, "csv") == 12
    rows = read_csv(out)
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    by_url = {r["canonical_url"]: r for r in rows}
    flood = by_url[LEBAK_FLOOD]
    assert flood["published"] == "2019-11-28T14:30:00+07:00"
    assert flood["published_at"] == "2019-11-28T07:30:00Z"
    assert flood["published_day"] == "2019-11-28"
    assert json.loads(flood["tags"]) == ["banjir", "lebak"]
    assert flood["body"].startswith("Puluhan rumah warga di Kecamatan Rangkasbitung")
    assert "\n\nKepala BPBD Lebak" in flood["body"]  # paragraphs survive quoting
    assert flood["word_count"] == "26"
    cipanas = by_url[CIPANAS]
    assert (cipanas["published"], cipanas["published_at"], cipanas["published_day"]) == ("2019-11-20", "", "2019-11-20")
    assert by_url[UNDATED]["published"] == "" and by_url[UNDATED]["tags"] == "[]"
    # Oldest first; the undated article (no instant) leads.
    assert rows[0]["canonical_url"] == UNDATED
    assert not (tmp_path / "articles.csv.partial").exists()


def test_jsonl(db, tmp_path):
    out = tmp_path / "articles.jsonl"
    assert export_articles(db, out, "jsonl") == 12
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12
    records = {r["canonical_url"]: r for r in map(json.loads, lines)}
    flood = records[LEBAK_FLOOD]
    assert list(flood) == list(EXPORT_COLUMNS)
    assert flood["tags"] == ["banjir", "lebak"]
    assert flood["word_count"] == 26 and flood["page_count"] == 1
    assert flood["published_at"] == "2019-11-28T07:30:00Z"
    assert records[CIPANAS]["published_at"] is None
    assert records[UNDATED]["tags"] == [] and records[UNDATED]["published_day"] is None
    assert "Pete-pete" in out.read_text(encoding="utf-8")  # UTF-8 text, not \u escapes


def test_parquet_types_and_values(db, tmp_path):
    out = tmp_path / "articles.parquet"
    assert export_articles(db, out, "parquet") == 12
    table = pq.read_table(out)
    schema = table.schema
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("published").type == pa.string()
    assert schema.field("published_day").type == pa.date32()
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("word_count").type == pa.int64()
    assert schema.field("first_seen").type == pa.timestamp("us", tz="UTC")
    rows = {r["canonical_url"]: r for r in table.to_pylist()}
    flood = rows[LEBAK_FLOOD]
    assert flood["published_at"] == datetime(2019, 11, 28, 7, 30, tzinfo=UTC)
    assert flood["published"] == "2019-11-28T14:30:00+07:00"
    assert flood["published_day"] == date(2019, 11, 28)
    assert flood["tags"] == ["banjir", "lebak"]
    assert flood["first_seen"] == datetime(2019, 12, 4, 1, 0, 0, tzinfo=UTC)
    assert rows[CIPANAS]["published_at"] is None and rows[CIPANAS]["published_day"] == date(2019, 11, 20)
    assert rows[UNDATED]["tags"] == []


def test_parquet_is_written_in_record_batches(db, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "BATCH_ROWS", 5)
    monkeypatch.setattr(export, "TEXT_BATCH_ROWS", 5)
    out = tmp_path / "articles.parquet"
    assert export_articles(db, out, "parquet") == 12
    assert pq.ParquetFile(out).metadata.num_row_groups == 3  # 5 + 5 + 2 rows, never all at once
    assert pq.read_table(out).num_rows == 12
    csv_out = tmp_path / "articles.csv"
    assert export_articles(db, csv_out, "csv") == 12
    assert len(read_csv(csv_out)) == 12


def test_empty_parquet_has_the_schema(tmp_path):
    db = open_archive(tmp_path / "empty.db")
    out = tmp_path / "none.parquet"
    assert export_articles(db, out, "parquet") == 0
    assert pq.read_table(out).schema.names == list(EXPORT_COLUMNS)
    db.close()


def test_filters(db, tmp_path):
    out = tmp_path / "lebak.jsonl"
    n = export_articles(db, out, "jsonl", ArticleFilter.make(site="kabar-lebak", since="2019-11-21"))
    assert n == 3
    urls = [json.loads(line)["canonical_url"] for line in out.read_text().splitlines()]
    assert CIPANAS not in urls and LEBAK_FLOOD in urls
    # until is inclusive and counts the site's local day.
    n = export_articles(db, tmp_path / "day.csv", "csv", ArticleFilter.make(since="2019-11-27", until="2019-11-27"))
    assert n == 1
    assert read_csv(tmp_path / "day.csv")[0]["title"] == "Seminar Koperasi Digelar di Pendopo Lebak"


def test_stdout(db):
    text = io.StringIO()
    assert export_articles(db, "-", "jsonl", ArticleFilter.make(site="warta-makassar"), stdout=text) == 4
    assert len(text.getvalue().splitlines()) == 4
    text = io.StringIO()
    assert export_articles(db, "-", "csv", ArticleFilter.make(site="suara-jayapura"), stdout=text) == 4
    assert len(list(csv.DictReader(io.StringIO(text.getvalue())))) == 4


def test_bad_outputs(db, tmp_path):
    with pytest.raises(OutputError, match=r"^unknown export format 'xlsx' \(choose from csv, jsonl, parquet\)$"):
        export_articles(db, tmp_path / "a.xlsx", "xlsx")
    with pytest.raises(OutputError, match="^parquet cannot be written to standard output; give a file name$"):
        export_articles(db, "-", "parquet")
    missing = tmp_path / "nope" / "a.csv"
    with pytest.raises(OutputError, match=f"^cannot write {missing}: No such file or directory$"):
        export_articles(db, missing, "csv")
    with pytest.raises(OutputError, match=f"^cannot write {tmp_path}: it is a directory$"):
        export_articles(db, tmp_path, "csv")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(OutputError, match=f"^cannot write {a_file}/a.csv: Not a directory$"):
        export_articles(db, a_file / "a.csv", "csv")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder(db, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="Permission denied"):
            export_articles(db, folder / "a.csv", "csv")
    finally:
        folder.chmod(0o700)


def test_failed_export_leaves_no_file(db, tmp_path, monkeypatch):
    def explode(db, where, stream):
        stream.write(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setitem(export._WRITERS, "parquet", explode)
    out = tmp_path / "a.parquet"
    with pytest.raises(RuntimeError):
        export_articles(db, out, "parquet")
    assert list(tmp_path.glob("a.parquet*")) == []
