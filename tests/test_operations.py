"""Operations rough edges: exports into FIFOs, links, devices and a full disk; ports, URLs and sites
that do not exist; each a one-line error or the right thing, never a traceback or a replaced node."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import threading

import pytest
from click.testing import CliRunner
from faultserver import WARTA

from crawler.cli import cli


def export(db_path, out, *extra):
    return CliRunner().invoke(cli, ["export", str(out), "--db", str(db_path), *extra])


def test_export_streams_into_a_fifo_and_leaves_it_a_fifo(db, db_path, tmp_path):
    fifo = tmp_path / "articles.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = export(db_path, fifo, "--format", "jsonl")
    reader.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert len(received[0].splitlines()) == db["articles"].count


def test_export_through_a_symlink_replaces_its_target_and_keeps_the_link(db, db_path, tmp_path):
    target = tmp_path / "data" / "articles.csv"
    target.parent.mkdir()
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    result = export(db_path, link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith('"canonical_url",')
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["articles.csv"]  # no partial file left


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_export_into_a_character_device_writes_into_it(db, db_path, tmp_path):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    result = export(db_path, null, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat(null).st_mode)  # still the device, not a regular file


def _file_size_limit(limit: int):
    """A real "disk full" for one process: the kernel refuses writes past ``limit`` bytes (EFBIG)."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_export_that_runs_out_of_space_is_one_line_and_keeps_the_old_file(db, db_path, tmp_path):
    out = tmp_path / "articles.jsonl"
    out.write_text("the previous, complete export\n")
    result = subprocess.run([*WARTA, "export", str(out), "--db", str(db_path)], capture_output=True, text=True,
                            timeout=120, preexec_fn=_file_size_limit(2048), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"Error: cannot write {out}: File too large\n"
    assert out.read_text() == "the previous, complete export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "articles" in p.name) == ["articles.jsonl"]


def test_serve_on_an_impossible_port_is_one_line(db_path):
    result = CliRunner().invoke(cli, ["serve", "--port", "99999", "--db", str(db_path)])
    assert (result.exit_code, result.output) == (1, "Error: --port 99999: a port is a number from 0 to 65535\n")


def test_extract_of_a_malformed_url_is_one_line():
    result = CliRunner().invoke(cli, ["extract", "http://[::1"])
    assert (result.exit_code, result.output) == (1, "Error: http://[::1: cannot fetch (Invalid IPv6 URL)\n")


@pytest.mark.parametrize("command", [["search", "banjir"], ["export", "-"], ["export-warc", "{tmp}/x.warc.gz"]])
def test_an_unknown_site_is_an_error_not_an_empty_result(db, db_path, tmp_path, command):
    args = [a.format(tmp=tmp_path) for a in command]
    result = CliRunner().invoke(cli, [*args, "--site", "kabar-lebek", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.output == ("Error: --site 'kabar-lebek': no such site in the profiles or in this archive "
                             "(see `warta sites`)\n")
    # a site the archive holds is known, profile or not
    result = CliRunner().invoke(cli, [*args, "--site", "warta-makassar", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
