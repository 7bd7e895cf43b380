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

from defence_kg.graph.build import BATCH, _Writer, build
from defence_kg.graph.rdf import content_hash
from defence_kg.graph.store import GraphStore
from defence_kg.ingest import Document
from defence_kg.ingest.workers import FINAL_ROUND, final_round

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


def children(pid: int) -> list[int]:
    """The processes `pid` started (its extraction workers), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
    return found


def assert_gone(pids: list[int], seconds: float = 10) -> None:
    """Workers of a killed build end by themselves (at their next send) instead of lingering."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if _running(p)]
        if not alive:
            return
        time.sleep(0.1)
    pytest.fail(f"workers of a killed build still running: {alive}")


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def assert_consistent(store_dir: Path) -> None:
    """The store opens, and every document graph in it is whole: its document node, hash and extraction."""
    with GraphStore(store_dir) as store:
        assert set(map(str, store.documents())) == set(store.fingerprints())


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, Path, float]:
    """The corpus, a clean one-process build of it, and how long that took."""
    folder = tmp_path_factory.mktemp("clean")
    source = corpus(folder / "source")
    started = time.monotonic()
    subprocess.run(build_command(source, folder / "clean"), check=True, capture_output=True)
    return source, folder / "clean", time.monotonic() - started


def test_a_build_killed_at_random_points_then_run_again_equals_a_clean_build(tmp_path, clean):
    source, clean_out, duration = clean
    rng = random.Random(20201103)
    out = tmp_path / "killed"
    outcomes = []
    for kill in range(KILLS):
        # --rebuild: every stopped run has the whole load ahead of it, whatever the last one left;
        # every other one with two workers, which a killed build leaves behind for a moment
        workers = ("--workers", "2") if kill % 2 else ()
        run = subprocess.Popen(build_command(source, out, "--rebuild", *workers), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3 * duration, 1.1 * duration))
        left = children(run.pid)
        run.kill()
        outcomes.append(run.wait())
        assert_gone(left)
        if (out / "store").exists():
            assert_consistent(out / "store")
    assert outcomes.count(-9) >= KILLS // 2, outcomes  # most runs were really stopped part way
    subprocess.run(build_command(source, out), check=True, capture_output=True)
    assert graphs(out / "store") == graphs(clean_out / "store")


def test_a_build_with_two_workers_equals_one_in_a_single_process(tmp_path, clean):
    source, clean_out, _ = clean
    subprocess.run(build_command(source, tmp_path / "two", "--workers", "2"), check=True, capture_output=True)
    assert graphs(tmp_path / "two" / "store") == graphs(clean_out / "store")


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


LAST = FINAL_ROUND[1]


@pytest.mark.parametrize("count", [1, 20, 40, LAST, 200, BATCH + LAST, BATCH + LAST + 1, 3 * BATCH])
def test_new_documents_go_in_few_large_loads_and_a_small_last_one(tmp_path, count):
    """Every load adds a file to each index that RocksDB soon merges with all the data, so loads are
    `BATCH` large; the one after the last extraction holds only the documents the workers extract
    last."""
    documents = [Document(f"d{i}", f"Text {i}.", "T", "2024-01-01", "") for i in range(count)]
    with LoadSizes(tmp_path / "store") as store:
        with _Writer(store, count) as writer:
            for document in documents:
                writer.put(document, [], new=True)
        assert sum(store.loads) == count == len(store.documents())
        assert max(store.loads) <= BATCH
        assert len(store.loads) <= 1 + -(-count // BATCH)
        if len(store.loads) > 1:
            assert final_round(count) <= store.loads[-1] < 2 * final_round(count)  # with a few before them, if too few for a load of their own
            assert store.loads[-1] <= store.loads[-2]
