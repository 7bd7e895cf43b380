"""The notebooks keep no outputs in git and declare their papermill parameters (pytest runs them with nbmake)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_three_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == ["01_quickstart.ipynb", "02_partners_and_exercises.ipynb", "03_network_analysis.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_outputs_are_stored(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    nbstripout = Path(sys.executable).parent / "nbstripout"
    result = subprocess.run([str(nbstripout), "--verify", str(copy)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_parameters_cell_comes_first(path):
    book = nbformat.read(path, as_version=4)
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert code[0].source.startswith('corpus = "../examples"')
