"""Ingest throughput: the full `defence-kg build` (read files, extract, load the store, derive facts,
write the views, export and manifest) against raw `nlp.pipe` of the same spaCy model on the same
texts, in the same run, at 1 and 2 worker processes and two corpus sizes. The model is loaded before
the clocks start, for both, and has read the same 20 texts once (first calls build caches); the
build has also run once on those 20 documents (its first run imports the store and page modules).

    python benchmarks/ingest.py [--sizes 200 2000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

import spacy
from rich.console import Console
from rich.table import Table

from defence_kg.graph import cli
from defence_kg.ingest import MODEL, extract, read_documents
from defence_kg.ingest.extract import BATCH_SIZE
from defence_kg.ingest.pipeline import shared_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus, write_corpus  # noqa: E402


def raw_rate(nlp: spacy.Language, texts: list[str], workers: int) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=workers):
        pass
    return len(texts) / (time.perf_counter() - start)


def build_rate(source: Path, out: Path, count: int, workers: int) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        cli.build([str(source)], out_dir=out, endpoint=None, update_endpoint=None, rebuild=False,
                  max_chars=cli.MAX_CHARS, workers=workers)
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    raw = spacy.load(MODEL)
    shared_pipeline()
    table = Table(title=f"ingest throughput (docs/s), {MODEL}, batch {BATCH_SIZE}")
    for column in ("documents", "workers", "raw nlp.pipe", "defence-kg build", "build/raw", "raw vs 1 worker", "build vs 1 worker"):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            source = Path(tmp) / f"corpus-{size}"
            generated = corpus(size)
            write_corpus(generated, source)
            documents = list(read_documents([source]))
            texts = [d.text for d in documents]
            raw_rate(raw, texts[:20], 1)  # warm up, both
            list(extract(documents[:20]))
            write_corpus(generated[:20], Path(tmp) / f"warm-{size}")
            build_rate(Path(tmp) / f"warm-{size}", Path(tmp) / f"warm-build-{size}", 20, 1)
            single: tuple[float, float] | None = None
            for workers in args.workers:
                r = raw_rate(raw, texts, workers)
                b = build_rate(source, Path(tmp) / f"build-{size}-{workers}", len(texts), workers)
                single = single or (r, b)
                table.add_row(str(size), str(workers), f"{r:.1f}", f"{b:.1f}", f"{b / r:.2f}x",
                              f"{r / single[0]:.2f}x", f"{b / single[1]:.2f}x")
                print(f"N={size} workers={workers}: raw {r:.1f} docs/s, build {b:.1f} docs/s, ratio {b / r:.2f}", file=sys.stderr)
    Console().print(table)


if __name__ == "__main__":
    main()
