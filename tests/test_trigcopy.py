"""The build's TriG file: copied from what a first build writes, exported from the store otherwise;
the same quads either way."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import EXAMPLES
from pyoxigraph import RdfFormat, Store
from rdflib import URIRef

from defence_kg.graph.cli import app
from defence_kg.graph.store import GraphStore
from defence_kg.graph.trigcopy import TrigCopy


def quads(path) -> tuple[int, set[str]]:
    """How many quads the file holds, and those without blank nodes as N-Quads lines (the store
    gives blank nodes labels of its own)."""
    store = Store()
    store.load(path=str(path), format=RdfFormat.TRIG)
    lines = store.dump(format=RdfFormat.N_QUADS).decode().splitlines()
    return len(lines), {line for line in lines if "_:" not in line}


def export(store_dir, path) -> tuple[int, set[str]]:
    with GraphStore(store_dir) as store:
        store.export(path, "trig")
        return quads(path)


def build(runner, source, out, *options):
    result = runner.invoke(app, ["build", str(source), "--out", str(out), *options])
    assert result.exit_code in (0, 3), result.output
    return out / "graph.trig"


def test_a_first_build_copies_what_it_writes_and_that_is_the_stores_export(runner, tmp_path):
    trig = build(runner, EXAMPLES, tmp_path / "out")
    text = trig.read_text(encoding="utf-8")
    assert "GRAPH <https://w3id.org/defence-kg/graph/derived>" in text  # the copy, not the export
    assert not (tmp_path / "out" / "graph.trig.partial").exists()
    copied = quads(trig)
    assert len(copied[1]) > 4000
    assert copied == export(tmp_path / "out" / "store", tmp_path / "exported.trig")


@pytest.mark.parametrize("change", ["a new document", "the same id twice"])
def test_other_builds_export_the_store(runner, tmp_path, change):
    source = tmp_path / "source"
    shutil.copytree(EXAMPLES, source)
    build(runner, source, tmp_path / "out")
    record = {"id": "extra", "text": "India and France signed a defence agreement in Paris.", "date": "2024-01-01"}
    lines = [record] if change == "a new document" else [record, {**record, "text": "Russia supplied S-400 systems to India."}]
    (source / "extra.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    trig = build(runner, source, tmp_path / "out")
    assert "GRAPH <" not in trig.read_text(encoding="utf-8")  # the store's export abbreviates with prefixes
    assert quads(trig) == export(tmp_path / "out" / "store", tmp_path / "exported.trig")


def test_a_graph_written_twice_or_computed_in_place_spoils_the_copy(tmp_path):
    name = URIRef("https://x.test/g")
    copy = TrigCopy(tmp_path / "g.trig")
    copy.graph(name, "<https://x.test/a> <https://x.test/p> <https://x.test/b> .")
    copy.graph(name, "<https://x.test/a> <https://x.test/p> <https://x.test/c> .")
    assert not copy.finish([name]) and not (tmp_path / "g.trig").exists()
    copy = TrigCopy(tmp_path / "g.trig")
    copy.graph(name, "<https://x.test/a> <https://x.test/p> <https://x.test/b> .", whole=False)
    copy.graph(name, "<https://x.test/a> <https://x.test/p> <https://x.test/c> .", whole=False)
    assert not copy.finish([name, URIRef("https://x.test/other")])  # the store holds a graph the copy lacks
    copy = TrigCopy(tmp_path / "g.trig")
    copy.graph(name, "<https://x.test/a> <https://x.test/p> <https://x.test/b> .", whole=False)
    copy.spoil()
    assert not copy.finish([name]) and not (tmp_path / "g.trig.partial").exists()
