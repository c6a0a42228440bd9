"""The notebook API: Archive, filters, streaming selection, and the optional DataFrame."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from analyst_fixtures import build_archive

from pipelines import notebook
from pipelines.archive import open_archive
from pipelines.errors import ArchiveError
from pipelines.notebook import Archive, ArticleFilter, BadFilter, MissingDependency, select_articles


@pytest.fixture
def archive_path(db_path):
    db = open_archive(db_path)
    build_archive(db)
    db.close()
    return db_path


def test_missing_archive_is_not_created(tmp_path):
    with pytest.raises(ArchiveError, match="^no archive at "):
        Archive(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


def test_articles_with_filters(archive_path):
    with Archive(archive_path) as archive:
        lebak = list(archive.articles(site="kabar-lebak"))
        assert [a["title"] for a in lebak] == [
            "Warga Cipanas Keluhkan Jalan Rusak",
            "Seminar Koperasi Digelar di Pendopo Lebak",
            "Banjir Rob Rendam Puluhan Rumah di Rangkasbitung",
            "Festival Seba Baduy Dipadati Wisatawan",
        ]
        assert lebak[2]["tags"] == ["banjir", "lebak"]  # JSON decoded
        assert isinstance(lebak[2]["provenance"], dict)
        assert archive.count() == 12
        assert archive.count(site="warta-makassar", since="2019-11-28") == 3
        assert archive.count(since=date(2019, 12, 1)) == 3
        assert archive.count(until="2019-11-20") == 1


def test_select_streams_in_batches(archive_path, monkeypatch):
    monkeypatch.setattr(notebook, "FETCH_BATCH", 2)
    db = open_archive(archive_path, create=False)
    rows = select_articles(db, ArticleFilter.make(site="suara-jayapura"), columns="canonical_url, published")
    first = next(rows)
    assert first == {"canonical_url": "https://suarajayapura.example/berita/tanpa-tanggal/", "published": None}
    assert len(list(rows)) == 3
    db.close()


def test_search_and_stats(archive_path):
    with Archive(archive_path) as archive:
        hits = archive.search("banjir", site="kabar-lebak").hits
        assert [h.title for h in hits] == ["Banjir Rob Rendam Puluhan Rumah di Rangkasbitung"]
        assert archive.stats(by="month").articles == 12


def test_bad_filters(archive_path):
    with Archive(archive_path) as archive:
        with pytest.raises(BadFilter, match="^--since: expected a day as YYYY-MM-DD, got 'kemarin'$"):
            list(archive.articles(since="kemarin"))


def test_dataframe_without_pandas(archive_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas -> ImportError
    with Archive(archive_path) as archive:
        with pytest.raises(MissingDependency, match=r"^to_dataframe needs pandas: pip install pandas$"):
            archive.to_dataframe()


def test_dataframe(archive_path):
    pd = pytest.importorskip("pandas")
    with Archive(archive_path) as archive:
        df = archive.to_dataframe(site="kabar-lebak")
    assert len(df) == 4
    assert str(df["published_at"].dtype) in ("datetime64[ns, UTC]", "datetime64[us, UTC]")
    flood = df[df["title"].str.startswith("Banjir")].iloc[0]
    assert flood["published_at"] == pd.Timestamp("2019-11-28T07:30:00Z")
    assert flood["published"] == "2019-11-28T14:30:00+07:00"
    assert flood["published_day"] == date(2019, 11, 28)
    assert flood["tags"] == ["banjir", "lebak"]
    cipanas = df[df["title"].str.startswith("Warga Cipanas")].iloc[0]
    assert pd.isna(cipanas["published_at"]) and cipanas["published_day"] == date(2019, 11, 20)
