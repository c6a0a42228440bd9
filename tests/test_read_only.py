"""Read commands open the archive read-only: they never create, convert or migrate it, and they work
on an archive nobody may write, where write commands say so in one line.

Root ignores file permissions, so a ``chmod`` alone proves nothing when the tests run as root
(CI does): the first test checks, byte for byte, that read commands change nothing whatever
the permissions (SQLite's ``mode=ro`` is what stops them, not the file mode), and the second
runs the commands as an unprivileged user (``nobody`` when the tests run as root), for whom
the permissions hold, as they would on a read-only mount.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from analyst_fixtures import build_archive
from click.testing import CliRunner

from crawler.cli import cli
from pipelines.archive import open_archive

READ_COMMANDS = [["search", "banjir"], ["stats"], ["failures"], ["export", "{out}/articles.csv"],
                 ["export-warc", "{out}/pages.warc.gz"]]
WRITE_COMMANDS = [["reprocess", "--workers", "0"], ["compact"], ["crawl", "kabar-lebak"]]


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def make_archive(folder: Path, journal_mode: str) -> Path:
    path = folder / "archive.db"
    db = open_archive(path)
    build_archive(db)
    db.execute(f"PRAGMA journal_mode = {journal_mode}")
    db.close()
    return path


def test_read_commands_change_nothing_and_never_switch_to_wal(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = make_archive(folder, "delete")  # a rollback-journal archive: WAL would be a conversion
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(folder)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    try:
        for command in READ_COMMANDS:
            args = [a.format(out=out) for a in command]
            result = CliRunner().invoke(cli, [*args, "--db", str(path)])
            assert result.exit_code == 0, (command, result.output)
    finally:
        os.chmod(folder, 0o755)
        os.chmod(path, 0o644)
    assert snapshot(folder) == before  # not a byte changed, no -wal or -shm left
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_missing_or_empty_file_is_never_made_an_archive(tmp_path):
    runner = CliRunner()
    missing, empty = tmp_path / "none.db", tmp_path / "empty.db"
    empty.touch()
    for command in (["search", "banjir"], ["stats"], ["failures"]):
        result = runner.invoke(cli, [*command, "--db", str(missing)])
        assert result.output == f"Error: no archive at {missing} (run `warta crawl` or `warta demo` first)\n"
        result = runner.invoke(cli, [*command, "--db", str(empty)])
        assert result.exit_code == 1
        assert result.output == f"Error: {empty}: not a warta archive (an empty file)\n"
    assert not missing.exists() and empty.stat().st_size == 0


def run_unprivileged(args: list[str]) -> tuple[int, str]:
    """``warta ARGS`` (in-process) as a user that file permissions apply to: ``nobody`` under root.

    A forked child drops root and runs the command; the exit code and output come back
    through a pipe. (Running another interpreter as ``nobody`` would need one that
    ``nobody`` may execute, which a Python under /root is not.)
    """
    if os.geteuid() != 0:
        result = CliRunner().invoke(cli, args)
        return result.exit_code, result.output
    # The child may not be able to read the standard library (a Python under /root): what the
    # commands import lazily is imported now.
    import crawler.incremental  # noqa: F401
    import crawler.runner  # noqa: F401
    import crawler.spiders.news  # noqa: F401
    import pipelines.reprocess  # noqa: F401
    import pipelines.search  # noqa: F401
    import pipelines.stats  # noqa: F401

    nobody = pwd.getpwnam("nobody")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            result = CliRunner().invoke(cli, args)
            os.write(write, json.dumps([result.exit_code, result.output or repr(result.exception)]).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    code, output = json.loads(data)
    return code, output


@pytest.fixture
def read_only_archive():
    """A WAL archive, chmod 0444, in a folder chmod 0555 (a place SQLite can write nothing)."""
    folder = Path(tempfile.mkdtemp(prefix="warta-ro-"))  # /tmp, not the root-only pytest folder
    os.chmod(folder, 0o755)
    path = make_archive(folder, "wal")
    assert not Path(f"{path}-wal").exists()
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    yield path
    os.chmod(folder, 0o755)
    shutil.rmtree(folder)


def test_read_only_archive_works_for_reads_and_refuses_writes_in_one_line(read_only_archive):
    path = read_only_archive
    for command in (["search", "banjir"], ["stats"], ["failures"]):
        code, output = run_unprivileged([*command, "--db", str(path)])
        assert code == 0, (command, output)
    for command in WRITE_COMMANDS:
        code, output = run_unprivileged([*command, "--db", str(path)])
        assert code == 1, (command, output)
        assert output == (f"Error: {path} is read-only (the file is not writable): read commands "
                          f"(search, export, stats, failures, serve) work, write commands need write "
                          f"access to the file and its folder\n"), command
    assert sorted(p.name for p in path.parent.iterdir()) == ["archive.db"]
