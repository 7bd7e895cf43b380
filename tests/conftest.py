"""Shared fixtures: the real spaCy pipeline, the bundled examples, and a real store built from them."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from defence_kg.graph.cli import app
from defence_kg.ingest import read_documents
from defence_kg.ingest.pipeline import load_pipeline, shared_pipeline

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
SEED = EXAMPLES / "pib-1651150-rajnath-singh-meets-shoigu.txt"


def texts_by_source() -> list[tuple[str, list[str]]]:
    """Each bundled example's text, and the team sentences together: what a replacement of one of
    the model's components is checked on against the component it replaces."""
    sentences = [json.loads(line)["text"] for line in (DATA / "sentences.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(d.id, [d.text]) for d in read_documents([EXAMPLES])] + [("team sentences", sentences)]


def pipeline_with_stock(stock: str, ours: str):
    """Our pipeline with one of the model's own components back in place of ours."""
    nlp = load_pipeline()
    nlp.enable_pipe(stock)
    nlp.disable_pipe(ours)
    return nlp


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    """Until `url` answers (any HTTP status) or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def oxigraph_serve(location: Path) -> Iterator[str]:
    """A real `oxigraph serve` (PyPI `oxigraph`) on a free loopback port; yields its query URL."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert binary, "the oxigraph server (PyPI package `oxigraph`, a dev extra) is not installed"
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory, built, runner) -> Iterator[str]:
    """An Oxigraph server holding the examples' graph, loaded by `defence-kg push`."""
    with oxigraph_serve(tmp_path_factory.mktemp("oxigraph")) as url:
        result = runner.invoke(app, ["push", "--store", str(built / "store"), "--endpoint", url])
        assert result.exit_code == 0, result.output
        yield url
