"""Extraction in worker processes: the same relations, in the same order, as in one process."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, EXAMPLES

from defence_kg.ingest import Document, extract, read_documents
from defence_kg.ingest.workers import SMALLEST_BATCH, batches, extract_parallel


def documents() -> list[Document]:
    """The examples and the team sentences, each sentence a document of its own."""
    sentences = [json.loads(line) for line in (DATA / "sentences.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [*read_documents([EXAMPLES]), *(Document(f"s{i}", s["text"], "", "", "") for i, s in enumerate(sentences))]


@pytest.mark.parametrize("workers, batch_size, recycle", [(2, 8, 40), (3, 5, 1)], ids=["two workers", "three, replaced after each batch"])
def test_workers_give_what_one_process_gives_in_input_order(workers, batch_size, recycle):
    docs = documents()
    assert len(docs) > 4 * workers * batch_size  # enough for full batches and the smaller ones at the end
    one = [(d.id, found) for d, found in extract(docs)]
    several = [(d.id, found) for d, found in extract_parallel(docs, workers, batch_size, recycle)]
    assert several == one
    assert sum(len(found) for _, found in one) > 20


@pytest.mark.parametrize("count, size, workers", [(200, 32, 2), (2000, 32, 2), (37, 8, 3), (3, 32, 2), (0, 32, 2)])
def test_batches_cover_every_document_once_and_shrink_towards_the_end(count, size, workers):
    items = [Document(str(i), "x", "", "", "") for i in range(count)]
    sizes = [len(b) for b in batches(items, size, workers)]
    assert [d for b in batches(items, size, workers) for d in b] == items
    assert all(s <= size for s in sizes)
    assert sizes == sorted(sizes, reverse=True)  # never larger than the one before
    assert all(s >= SMALLEST_BATCH for s in sizes[:-1])
    if count >= 10 * size:
        assert sizes[0] == size and sizes[-2] == SMALLEST_BATCH
