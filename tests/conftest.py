"""Shared fixtures: the real spaCy pipeline, the bundled examples, and a real store built from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from defence_kg.graph.cli import app
from defence_kg.ingest.pipeline import shared_pipeline

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
SEED = EXAMPLES / "pib-1651150-rajnath-singh-meets-shoigu.txt"


@pytest.fixture(scope="session")
def nlp():
    return shared_pipeline()


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def built(tmp_path_factory, runner) -> Path:
    """`defence-kg build examples --out DIR` once for the session; returns DIR."""
    out = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out
