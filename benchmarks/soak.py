"""Soak: one `defence-kg build` of 10,000 generated documents, its resident memory (the command and
its worker processes together) sampled every second. Prints memory over time, the growth after
warm-up (target: under 20 %), and checks that the store holds every document, each with the quads
its extraction gives. Growth is measured over the ingest phase (while worker processes extract and
the store loads), after a warm-up of its first fifth; the derivation, views and export that follow
are one-off work on the whole graph, reported beside it.

    python benchmarks/soak.py [--documents 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from defence_kg.graph.rdf import document_iri, document_triples
from defence_kg.graph.store import GraphStore
from defence_kg.ingest import extract, read_documents

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus, write_corpus  # noqa: E402

WARM_UP = 0.2  # the first fifth of the run: model loading, first batches, workers starting


def tree_rss(process: psutil.Process) -> tuple[int, bool]:
    """Proportional set size summed over the command and its workers (forked workers share the
    model's pages; summing RSS would count them once per process)."""
    total = 0
    children = process.children(recursive=True)
    for member in [process, *children]:
        try:
            total += member.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total, bool(children)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "corpus", Path(tmp) / "out"
        write_corpus(corpus(args.documents), source)
        command = [str(Path(sys.executable).with_name("defence-kg")), "build", str(source), "--out", str(out), "--workers", str(args.workers)]
        started = time.monotonic()
        run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        watched = psutil.Process(run.pid)
        samples: list[tuple[float, int]] = []
        extracting: list[float] = []  # the times at which worker processes were running
        while run.poll() is None:
            try:
                rss, workers = tree_rss(watched)
                samples.append((time.monotonic() - started, rss))
                if workers:
                    extracting.append(samples[-1][0])
            except psutil.NoSuchProcess:
                break
            time.sleep(1)
        if run.returncode != 0:
            sys.exit(f"build failed ({run.returncode}): {run.stderr.read()[-2000:]}")
        elapsed = time.monotonic() - started

        table = Table(title=f"resident memory, {args.documents:,} documents, {args.workers} worker(s)")
        table.add_column("time (s)", justify="right")
        table.add_column("PSS (MB)", justify="right")
        step = max(1, len(samples) // 20)
        for at, rss in samples[::step]:
            table.add_row(f"{at:.0f}", f"{rss / 2**20:.0f}")
        console.print(table)
        # the ingest phase: while workers extract and the store loads (with one worker: up to the last 10 %)
        end = extracting[-1] if extracting else 0.9 * elapsed
        start = WARM_UP * end
        ingest = [rss for at, rss in samples if start <= at <= end]
        tail = [rss for at, rss in samples if at > end]
        baseline = ingest[0] if ingest else samples[-1][1]
        growth = (max(ingest) - baseline) / baseline if ingest else 0.0
        console.print(f"run: {elapsed:.0f} s, {args.documents / elapsed:.1f} docs/s; extraction and loading until {end:.0f} s")
        console.print(f"memory while ingesting, after warm-up ({start:.0f}-{end:.0f} s): {baseline / 2**20:.0f} MB at the start, "
                      f"peak {max(ingest) / 2**20:.0f} MB -> growth {growth:.1%} (target < 20%)")
        if tail:
            console.print(f"afterwards (derived graph, views, export): peak {max(tail) / 2**20:.0f} MB")

        documents = list(read_documents([source]))
        sample = random.Random(1).sample(documents, 100)
        with GraphStore(out / "store") as store:
            stored = len(store.documents())
            counts = dict(store.table("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows)
            total = len(store)
        expected = {str(document_iri(d.id)): len(set(document_triples(d, found))) for d, found in extract(sample)}
        wrong = [g for g, n in expected.items() if int(counts.get(g, 0)) != n]
        console.print(f"documents in store: {stored:,} of {len(documents):,}; quads: {total:,} = sum over graphs "
                      f"{sum(int(n) for n in counts.values()):,}; 100 documents re-extracted, quads differ in {len(wrong)}")
        if stored != len(documents) or wrong or total != sum(int(n) for n in counts.values()):
            sys.exit("the store does not hold what was read")


if __name__ == "__main__":
    main()
