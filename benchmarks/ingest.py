"""Ingest throughput: the full `defence-kg build` (read files, extract, load the store, derive facts,
write the views, export and manifest) against raw `nlp.pipe` of the same spaCy model on the same
texts, in the same run, at 1 and 2 worker processes and two corpus sizes. The model is loaded before
the clocks start, for both, and has read the same 20 texts once (first calls build caches); the
build has also run once on those 20 documents (its first run imports the store and page modules).
Every measurement runs `--repeat` times, the configurations taking turns; the table gives medians,
and the range of each ratio over the runs.

    python benchmarks/ingest.py [--sizes 200 2000] [--workers 1 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
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


def spread(values: list[float]) -> str:
    """The median, and the range when there is more than one run: "0.91x (0.88-0.93)"."""
    middle = f"{statistics.median(values):.2f}x"
    return middle if len(values) == 1 else f"{middle} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of every measurement, raw and build side by side (default 3); the table gives medians and ranges")
    args = parser.parse_args()
    raw = spacy.load(MODEL)
    shared_pipeline()
    table = Table(title=f"ingest throughput (docs/s), {MODEL}, batch {BATCH_SIZE}, median of {args.repeat} runs")
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
            rates: dict[int, list[tuple[float, float]]] = {workers: [] for workers in args.workers}
            for run in range(args.repeat):  # the configurations take turns, so a slow spell of the machine hits all of them
                for workers in args.workers:
                    out = Path(tmp) / f"build-{size}-{workers}"
                    r = raw_rate(raw, texts, workers)
                    b = build_rate(source, out, len(texts), workers)
                    shutil.rmtree(out)
                    rates[workers].append((r, b))
                    print(f"N={size} run {run + 1} workers={workers}: raw {r:.1f} docs/s, build {b:.1f} docs/s, ratio {b / r:.2f}", file=sys.stderr)
            single = rates[args.workers[0]]
            for workers, measured in rates.items():
                table.add_row(str(size), str(workers), f"{statistics.median(r for r, _ in measured):.1f}",
                              f"{statistics.median(b for _, b in measured):.1f}", spread([b / r for r, b in measured]),
                              spread([r / r1 for (r, _), (r1, _) in zip(measured, single)]),
                              spread([b / b1 for (_, b), (_, b1) in zip(measured, single)]))
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
