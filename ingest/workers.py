"""Extraction in several processes: each worker runs the whole pipeline (`extract`) on batches of
documents and sends back only the relations, which are small, rather than spaCy docs.

Workers are forked from a parent that has already loaded the pipeline, so they start at once and
share the model's memory until they write to it. A worker is replaced after `recycle` batches, which
bounds whatever memory spaCy accumulates over a long run.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator

from .extract import BATCH_SIZE, extract
from .pipeline import shared_pipeline
from .records import Document, Relation

RECYCLE_BATCHES = 40  # batches a worker extracts before it is replaced
SMALLEST_BATCH = 4


def _extract_batch(batch: list[Document]) -> list[list[Relation]]:
    return [found for _, found in extract(batch, shared_pipeline())]


def batches(documents: list[Document], size: int, workers: int) -> Iterator[list[Document]]:
    """Batches of `size` documents, smaller towards the end (at most the rest shared by two batches
    per worker, at least `SMALLEST_BATCH`), so that the workers finish at about the same time
    rather than one of them extracting a whole batch alone."""
    start = 0
    while start < len(documents):
        step = min(size, max(SMALLEST_BATCH, -(-(len(documents) - start) // (2 * workers))))
        yield documents[start:start + step]
        start += step


def extract_parallel(documents: Iterable[Document], workers: int, batch_size: int = BATCH_SIZE,
                     recycle: int = RECYCLE_BATCHES) -> Iterator[tuple[Document, list[Relation]]]:
    """Like `extract`, in input order, with `workers` processes (one: in this process)."""
    if workers <= 1:
        yield from extract(documents, shared_pipeline())
        return
    shared_pipeline()  # loaded once here, inherited by every forked worker
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = context.Pool(workers, maxtasksperchild=recycle)
    try:
        pending = []  # (batch, result) in input order, at most 2 per worker ahead
        for batch in batches(list(documents), batch_size, workers):
            pending.append((batch, pool.apply_async(_extract_batch, (batch,))))
            if len(pending) >= 2 * workers:
                done, result = pending.pop(0)
                yield from zip(done, result.get(), strict=True)
        for done, result in pending:
            yield from zip(done, result.get(), strict=True)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
