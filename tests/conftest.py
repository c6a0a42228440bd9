"""Shared fixtures: archives in memory and in a temporary folder, the shared/ datasets path."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.archive import open_archive

#: The development datasets, present on developer machines and in CI, absent in a user's clone.
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory):
    """An archive built by a real crawl of the demo sites over loopback HTTP (`warta demo`), once per run."""
    import sqlite3
    import subprocess
    import sys

    path = tmp_path_factory.mktemp("demo-crawl") / "archive.db"
    result = subprocess.run([sys.executable, "-m", "crawler", "demo", "--db", str(path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    return path


@pytest.fixture
def fresh_db():
    db = open_archive(":memory:")
    yield db
    db.close()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "archive.db"


@pytest.fixture
def db(db_path):
    """An archive file holding the analyst fixture articles (tests/analyst_fixtures.py)."""
    from analyst_fixtures import build_archive

    db = open_archive(db_path)
    build_archive(db)
    yield db
    db.close()


def shared_or_skip(relative: str) -> Path:
    """Path under ../shared, or skip the test when the folder is absent (a user's clone)."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path
