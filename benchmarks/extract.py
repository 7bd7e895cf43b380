"""Extraction throughput: the full defence-kg pipeline against the bare spaCy model it is built on,
on the same texts in the same run. Prints documents/s for both and their ratio.

    python benchmarks/extract.py [--copies N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from defence_kg.ingest import MODEL, extract, load_pipeline, read_documents

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="how many times the examples are repeated")
    args = parser.parse_args()
    documents = list(read_documents([EXAMPLES])) * args.copies
    texts = [d.text for d in documents]
    raw = spacy.load(MODEL)
    full = load_pipeline()
    list(raw.pipe(texts[:5]))  # warm both up
    list(extract(documents[:5], full))

    start = time.perf_counter()
    for _ in raw.pipe(texts, batch_size=32):
        pass
    raw_rate = rate(len(texts), time.perf_counter() - start)

    start = time.perf_counter()
    relations = sum(len(found) for _, found in extract(documents, full))
    full_rate = rate(len(texts), time.perf_counter() - start)

    print(f"documents: {len(texts)}  relations: {relations}")
    print(f"raw nlp.pipe ({MODEL}): {raw_rate:8.1f} docs/s")
    print(f"defence-kg extract:      {full_rate:8.1f} docs/s")
    print(f"ratio full/raw:          {full_rate / raw_rate:8.2f}")


if __name__ == "__main__":
    main()
