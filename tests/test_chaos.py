"""scripts/chaos.py: its kinds report nothing lost after SIGKILLs, and other kinds plug in."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "chaos.py"


@pytest.fixture(scope="module")
def chaos():
    spec = importlib.util.spec_from_file_location("chaos", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["chaos"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("chaos", None)


@pytest.fixture
def campaign(tmp_path, demo_archive):
    """A campaign folder holding the demo archive the kinds would otherwise crawl first."""
    shutil.copy(demo_archive, tmp_path / "demo-archive.db")
    return tmp_path


@pytest.mark.parametrize("kind", ["reprocess", "export"])
def test_a_kind_killed_once_loses_nothing(chaos, campaign, kind, monkeypatch):
    """The campaign's own kinds, one kill each (~5 warta runs per kind: 10-25 s on a busy machine;
    the crawl kind's mechanism is tests/test_resume.py's)."""
    monkeypatch.setattr(chaos, "EXPORT_COPIES", 40)  # small, a test only needs the mechanism
    figures = chaos.KINDS[kind](1, campaign / kind, 5)
    assert figures["kills"] == 1, figures
    assert {k: figures[k] for k in chaos.FIGURES[1:]} == dict.fromkeys(chaos.FIGURES[1:], 0), figures


def test_kinds_plug_in_from_chaos_scaleout(chaos, tmp_path, monkeypatch, capsys):
    plugin = tmp_path / "chaos_scaleout.py"
    plugin.write_text(
        "KINDS = {'worker': lambda kills, workdir, seed: {'kills': kills, 'lost': 0, 'duplicated': 0,\n"
        "         'different': 0, 'robots_violations': 0, 'poison_survived': 1}}\n")
    monkeypatch.setattr(chaos, "SCALEOUT_KINDS", plugin)
    assert chaos.main(["--kills", "3", "--kinds", "worker", "--seed", "9", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "worker" in out and "poison_survived=1" in out and "nothing lost" in out
    plugin.write_text(plugin.read_text().replace("'lost': 0", "'lost': 2"))
    assert chaos.main(["--kills", "3", "--kinds", "worker", "--workdir", str(tmp_path)]) == 1
    assert "FAILED" in capsys.readouterr().out
