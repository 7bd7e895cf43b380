"""Extraction in worker processes: the same relations, in the same order, as in one process."""

from __future__ import annotations

import json
import os
import signal

import pytest
from conftest import DATA, EXAMPLES

from defence_kg.ingest import Document, extract, read_documents, workers
from defence_kg.ingest.workers import FINAL_ROUND, extract_parallel, final_round, shares


def documents() -> list[Document]:
    """The examples and the team sentences, each sentence a document of its own."""
    sentences = [json.loads(line) for line in (DATA / "sentences.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [*read_documents([EXAMPLES]), *(Document(f"s{i}", s["text"], "", "", "") for i, s in enumerate(sentences))]


@pytest.mark.parametrize("workers, batch_size, recycle", [(2, 8, 40), (3, 5, 1)], ids=["two workers", "three, replaced after each chunk"])
def test_workers_give_what_one_process_gives_in_input_order(workers, batch_size, recycle):
    docs = documents()
    assert len(docs) > 4 * workers * batch_size  # several rounds of full chunks, then the final round
    one = [(d.id, found) for d, found in extract(docs)]
    several = [(d.id, found) for d, found in extract_parallel(docs, workers, batch_size, recycle)]
    assert several == one
    assert sum(len(found) for _, found in one) > 20


@pytest.mark.parametrize("count, size, workers", [(200, 32, 2), (2000, 32, 2), (37, 8, 3), (100, 32, 2), (3, 32, 2), (1, 32, 2), (0, 32, 2)])
def test_shares_cover_every_document_once_and_give_every_worker_as_much_text(count, size, workers):
    """Chunks of at most `size` in input order for each worker, and the same number of characters
    for each within the longest document."""
    lengths = [50 + (i * 7919) % 900 for i in range(count)]  # uneven, like real releases
    items = [Document(str(i), "x" * n, "", "", "") for i, n in enumerate(lengths)]
    planned = shares(items, workers, size)
    assert len(planned) == workers
    assert sorted(i for chunks in planned for chunk in chunks for i in chunk) == list(range(count))
    assert all(0 < len(chunk) <= size for chunks in planned for chunk in chunks)
    assert all(chunk == list(range(chunk[0], chunk[-1] + 1)) for chunks in planned for chunk in chunks)
    assert all(a[-1] < b[0] for chunks in planned for a, b in zip(chunks, chunks[1:]))  # each worker in input order
    text = [sum(lengths[i] for chunk in chunks for i in chunk) for chunks in planned]
    if count >= 2 * workers:
        assert max(text) - min(text) <= max(lengths)
    if count >= 10 * size:  # the documents of the final round come last, from every worker
        last = final_round(count)
        assert FINAL_ROUND[0] <= last <= FINAL_ROUND[1]
        assert all(any(i >= count - last for i in chunks[-1]) for chunks in planned)


def test_a_worker_that_dies_stops_the_extraction_with_an_error(monkeypatch):
    """A worker killed (out of memory, say) is reported, not waited for for ever."""
    def killed(batch):
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(workers, "_extract_batch", killed)
    with pytest.raises(RuntimeError, match="extraction worker stopped"):
        list(extract_parallel(documents()[:8], 2, 2))


def test_an_error_in_a_worker_is_raised_in_the_caller(monkeypatch):
    def failing(batch):
        raise ValueError(f"cannot read {batch[0].id}")

    monkeypatch.setattr(workers, "_extract_batch", failing)
    with pytest.raises(ValueError, match="cannot read"):
        list(extract_parallel(documents()[:8], 2, 2))
