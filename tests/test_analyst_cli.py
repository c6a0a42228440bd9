"""The analyst commands through click's CliRunner: exact output, and one-line errors for bad input."""

from __future__ import annotations

import csv
import io
import json
import socket

import pytest
from analyst_fixtures import build_archive
from click.testing import CliRunner

from crawler.cli import cli
from pipelines.archive import open_archive

COMMANDS = ["search", "export", "stats", "serve", "export-warc", "import-warc"]


@pytest.fixture
def archive_path(db_path):
    db = open_archive(db_path)
    build_archive(db)
    db.close()
    return str(db_path)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command):
    result = run(command, "-h")
    assert result.exit_code == 0
    assert "Example:" in result.output and "warta " + command in result.output


def test_search_table(archive_path):
    result = run("search", "koperasi", "--db", archive_path)
    assert result.exit_code == 0
    assert result.output == """\
1 result for 'koperasi' in any form, best first:

 1. Seminar Koperasi Digelar di Pendopo Lebak
    kabar-lebak · 2019-11-27T03:15:00+07:00 · score 3.79
    Dinas [Koperasi] dan UKM Kabupaten Lebak menggelar seminar bagi pelaku usaha mikro. Peserta diajak memanfaatkan pinjaman…
    https://www.kabarlebak.example/berita/seminar-koperasi/
"""


def test_search_json_and_csv(archive_path):
    result = run("search", "banjir", "--site", "warta-makassar", "--format", "json", "--db", archive_path)
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert [h["title"] for h in hits] == ["Banjir Genangi Perumahan di Antang"]
    assert set(hits[0]) == {"canonical_url", "site", "title", "published", "snippet", "score",
                            "earliest_copy"}
    result = run("search", "banjir", "--since", "2019-11-29", "--format", "csv", "--db", archive_path)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["title"] for r in rows] == ["Banjir Genangi Perumahan di Antang"]
    assert list(rows[0]) == ["score", "published", "site", "title", "snippet", "canonical_url"]


def test_search_literal_fallback_is_announced(archive_path):
    result = run("search", '"banjir AND', "--limit", "1", "--db", archive_path)
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        'not FTS5 syntax; searched for the words "banjir"',
        "1 result for '\"banjir AND' in any form, best first:",
    ]
    result = run("search", "banjir -", "--format", "json", "--db", archive_path)
    assert result.stderr == "note: 'banjir -' is not FTS5 syntax; searched for the words \"banjir\"\n"
    assert len(json.loads(result.stdout)) == 3


def test_search_no_match(archive_path):
    result = run("search", "gempa", "--db", archive_path)
    assert (result.exit_code, result.output) == (0, "no articles match 'gempa'\n")


def test_export_to_files_and_stdout(archive_path, tmp_path):
    out = tmp_path / "a.parquet"
    result = run("export", out, "--site", "kabar-lebak", "--db", archive_path)
    assert (result.exit_code, result.output) == (0, f"exported 4 articles to {out} (parquet)\n")
    result = run("export", tmp_path / "a.data", "--format", "jsonl", "--db", archive_path)
    assert result.output == f"exported 12 articles to {tmp_path / 'a.data'} (jsonl)\n"
    result = run("export", "-", "--format", "jsonl", "--until", "2019-11-25", "--db", archive_path)
    assert result.exit_code == 0
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == [
        "Warga Cipanas Keluhkan Jalan Rusak", "Wali Kota Lantik Lima Camat Baru"]
    assert result.stderr == "exported 2 articles to standard output (jsonl)\n"
    result = run("export", "-", "--since", "2019-12-03", "--db", archive_path)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["title"] for r in rows] == ["Harga Pinang Melonjak Jelang Natal"]


def test_stats(archive_path, tmp_path):
    result = run("stats", "--by", "month", "--plot", tmp_path / "p.png", "--db", archive_path)
    assert result.exit_code == 0
    assert result.output == f"""\
articles      12 from 3 sites
published     2019-11-20 .. 2019-12-03 (local days)
dates         9 with time (75.0%), 2 day only (16.7%), 1 none (8.3%)
pages         13 stored, 1 not articles (index-page 1)
failures      2 (extract 1, fetch 1)

skipped pages (not articles) per site; why: pages.decision
  kabar-lebak  1: index-page 1

month      articles  with time  day only
2019-11           8          6         2
2019-12           3          3         0
(no date)         1          0         0

gaps: none (no day without articles amid a site's regular days)
plot: {tmp_path / 'p.png'}
"""
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"


def test_warc_round_trip_through_the_cli(archive_path, tmp_path):
    pytest.importorskip("pipelines.core")
    out = tmp_path / "a.warc.gz"
    result = run("export-warc", out, "--site", "warta-makassar", "--db", archive_path)
    assert (result.exit_code, result.output) == (0, f"wrote 4 pages to {out}\n")
    fresh = tmp_path / "fresh.db"
    result = run("import-warc", out, "--db", fresh)
    assert result.exit_code == 0
    assert result.output == (
        f"imported {out}: 5 records, 4 pages -> 4 new articles, 0 changed, 0 unchanged, 0 not articles; "
        "0 records passed over; 0 bad records (crawl 1)\n"
    )


# --- bad input: one line, exit code 1 -------------------------------------------------------------


def bad_input_cases(archive, tmp):
    missing = tmp / "missing.db"
    return [
        (["search", "banjir", "--db", missing], f"Error: no archive at {missing} (run `warta crawl` or `warta demo` first)"),
        (["export", tmp / "a.csv", "--db", missing], f"Error: no archive at {missing} (run `warta crawl` or `warta demo` first)"),
        (["stats", "--db", missing], f"Error: no archive at {missing} (run `warta crawl` or `warta demo` first)"),
        (["serve", "--db", missing], f"Error: no archive at {missing} (run `warta crawl` or `warta demo` first)"),
        (["export-warc", tmp / "a.warc.gz", "--db", missing],
         f"Error: no archive at {missing} (run `warta crawl` or `warta demo` first)"),
        (["search", "banjir", "--since", "28-11-2019", "--db", archive],
         "Error: --since: expected a day as YYYY-MM-DD, got '28-11-2019'"),
        (["search", "banjir", "--since", "2019-12-01", "--until", "2019-11-01", "--db", archive],
         "Error: --since 2019-12-01 is after --until 2019-11-01"),
        (["export", tmp / "a.csv", "--until", "2019-02-30", "--db", archive],
         "Error: --until: expected a day as YYYY-MM-DD, got '2019-02-30'"),
        (["export-warc", tmp / "a.warc.gz", "--since", "kemarin", "--db", archive],
         "Error: --since: expected a day as YYYY-MM-DD, got 'kemarin'"),
        (["search", "banjir", "--format", "xml", "--db", archive],
         "Error: unknown output format 'xml' (choose from table, json, csv)"),
        (["export", tmp / "a.csv", "--format", "xlsx", "--db", archive],
         "Error: unknown export format 'xlsx' (choose from csv, jsonl, parquet)"),
        (["export", tmp / "a.xlsx", "--db", archive],
         f"Error: cannot tell the format from '{tmp / 'a.xlsx'}'; give --format (csv, jsonl, parquet)"),
        (["export", "-", "--format", "parquet", "--db", archive],
         "Error: parquet cannot be written to standard output; give a file name"),
        (["export", tmp / "nope" / "a.csv", "--db", archive],
         f"Error: cannot write {tmp / 'nope' / 'a.csv'}: No such file or directory"),
        (["export", tmp, "--format", "csv", "--db", archive], f"Error: cannot write {tmp}: it is a directory"),
        (["export-warc", tmp / "nope" / "a.warc.gz", "--db", archive],
         f"Error: cannot write {tmp / 'nope' / 'a.warc.gz'}: No such file or directory"),
        (["stats", "--by", "week", "--db", archive], "Error: cannot group by 'week' (choose from site, day, month)"),
        (["stats", "--plot", tmp / "p.jpg", "--db", archive],
         f"Error: cannot draw {tmp / 'p.jpg'}: the plot must be a .png, .svg, .pdf file"),
        (["stats", "--plot", tmp / "nope" / "p.png", "--db", archive],
         f"Error: cannot write {tmp / 'nope' / 'p.png'}: folder {tmp / 'nope'} does not exist"),
        (["search", "*", "--db", archive], "Error: nothing to search for in '*'"),
        (["search", "AND", "--db", archive], "Error: nothing to search for in 'AND'"),
        (["search", " ", "--db", archive], "Error: empty search query"),
        (["search", "banjir", "--limit", "0", "--db", archive], "Error: limit must be at least 1, got 0"),
        (["import-warc", tmp / "nope.warc.gz", "--db", tmp / "new.db"], f"Error: no such WARC file: {tmp / 'nope.warc.gz'}"),
    ]


def test_bad_input_gives_one_line_and_exit_1(archive_path, tmp_path):
    for args, message in bad_input_cases(archive_path, tmp_path):
        result = run(*args)
        assert (result.exit_code, result.output) == (1, message + "\n"), args
    assert not (tmp_path / "missing.db").exists()  # never created by a read command
    assert not (tmp_path / "new.db").exists()  # import-warc checks its files first
    assert list(tmp_path.glob("*.partial")) == []


def test_corrupt_archive_is_one_line(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = run("stats", "--db", bad)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}: not a warta archive (")
    assert len(result.output.splitlines()) == 1


def test_serve_on_a_busy_port(archive_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run("serve", "--port", port, "--db", archive_path)
    assert result.exit_code == 1
    assert result.output == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
