"""`defence-kg build` stopped anywhere (SIGKILL) and run again gives exactly the graph of a clean build.

Each stopped run rebuilds from scratch and is killed at a random moment of a clean run's duration
(reading, extracting, dropping, loading, deriving, writing views); the store must open with every
document graph whole after each kill, and a plain `build` then completes it."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import EXAMPLES
import pytest
from rdflib import Graph
from rdflib.compare import to_isomorphic

from defence_kg.graph.build import BATCH, LAST, LAST_SHARE, _Writer, build
from defence_kg.graph.rdf import content_hash
from defence_kg.graph.store import GraphStore
from defence_kg.ingest import Document

KILLS = 20


def corpus(directory: Path, copies: int = 30) -> Path:
    """The examples and `copies` variants of each (a line of their own makes each a new document)."""
    directory.mkdir()
    for path in EXAMPLES.glob("*.txt"):
        shutil.copy(path, directory / path.name)
    records = [json.loads(line) for line in (EXAMPLES / "news.jsonl").read_text().splitlines() if line.strip()]
    with (directory / "variants.jsonl").open("w") as out:
        for copy in range(copies):
            for record in records:
                text = f"{record['text']}\n\nFile note {copy}."
                out.write(json.dumps({**record, "id": f"{record['id']}-{copy}", "text": text}) + "\n")
    return directory


def build_command(source: Path, out: Path, *options: str) -> list[str]:
    return [str(Path(sys.executable).parent / "defence-kg"), "build", str(source), "--out", str(out), *options]


def graphs(store_dir: Path) -> dict[str, Graph]:
    """Each named graph in a form that compares equal when the graphs are isomorphic (blank nodes)."""
    with GraphStore(store_dir) as store:
        out = {}
        for name in store.graph_names():
            graph = Graph().parse(data=store.ntriples(name), format="nt")
            out[str(name)] = to_isomorphic(graph)
        return out


def assert_consistent(store_dir: Path) -> None:
    """The store opens, and every document graph in it is whole: its document node, hash and extraction."""
    with GraphStore(store_dir) as store:
        assert set(map(str, store.documents())) == set(store.fingerprints())


def test_a_build_killed_at_random_points_then_run_again_equals_a_clean_build(tmp_path):
    source = corpus(tmp_path / "source")
    started = time.monotonic()
    subprocess.run(build_command(source, tmp_path / "clean"), check=True, capture_output=True)
    duration = time.monotonic() - started
    rng = random.Random(20201103)
    out = tmp_path / "killed"
    outcomes = []
    for _ in range(KILLS):
        # --rebuild: every stopped run has the whole load ahead of it, whatever the last one left
        run = subprocess.Popen(build_command(source, out, "--rebuild"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3 * duration, 1.1 * duration))
        run.kill()
        outcomes.append(run.wait())
        if (out / "store").exists():
            assert_consistent(out / "store")
    assert outcomes.count(-9) >= KILLS // 2, outcomes  # most runs were really stopped part way
    subprocess.run(build_command(source, out), check=True, capture_output=True)
    assert graphs(out / "store") == graphs(tmp_path / "clean" / "store")


def test_the_same_id_twice_in_one_build_keeps_only_the_second(tmp_path):
    """A document new to the store is inserted without a drop; the same id again in the same input
    must still replace it, not add to it."""
    first = Document("twice", "India and France signed a defence agreement in Paris.", "T", "2024-01-01", "")
    second = Document("twice", "Russia supplied S-400 missile systems to India.", "T", "2024-02-01", "")
    with GraphStore(tmp_path / "store") as store:
        build([first, second], store)
        hashes = store.table("SELECT ?h WHERE { GRAPH ?g { ?d dkg:contentHash ?h } }").rows
        assert hashes == [[content_hash(second.text)]]
        assert store.table("ASK { GRAPH ?g { ?a dkg:signsAgreementWith ?b } }").rows[0][0] == "false"
        assert store.table("ASK { GRAPH ?g { ?a dkg:supplies ?b } }").rows[0][0] == "true"


class LoadSizes(GraphStore):
    """A real store that notes the size of each load of new documents."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.loads: list[int] = []

    def add_documents(self, batch) -> None:
        self.loads.append(len(batch))
        super().add_documents(batch)


@pytest.mark.parametrize("count", [1, 20, 40, LAST, 200, BATCH + LAST, BATCH + LAST + 1, 3 * BATCH])
def test_new_documents_go_in_few_large_loads_and_a_small_last_one(tmp_path, count):
    """Every load adds a file to each index that RocksDB soon merges with all the data, so loads are
    `BATCH` large; the one after the last extraction holds only the last few documents."""
    documents = [Document(f"d{i}", f"Text {i}.", "T", "2024-01-01", "") for i in range(count)]
    with LoadSizes(tmp_path / "store") as store:
        with _Writer(store, count) as writer:
            for document in documents:
                writer.put(document, [], new=True)
        assert sum(store.loads) == count == len(store.documents())
        assert max(store.loads) <= BATCH
        assert len(store.loads) <= 1 + -(-count // BATCH)
        if len(store.loads) > 1:
            assert store.loads[-1] <= min(LAST, max(_Writer.SMALLEST_LAST, sum(store.loads[-2:]) // LAST_SHARE))
            assert store.loads[-1] <= store.loads[-2]
