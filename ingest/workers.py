"""Extraction in several processes: each worker runs the whole pipeline (`extract`) on chunks of
documents and sends back only the relations, which are small, rather than spaCy docs.

Work is shared out before the workers start (`shares`): chunks of up to `batch_size` documents,
cut in input order, each to the worker with the fewest characters so far, and a final round shared
so that every worker ends with the same number of characters. A worker extracts its chunks in order
and sends each one's relations as soon as it has them, so results come back in input order at about
the pace they are made, and both workers finish together without the small batches a shared queue
needs to even them out at the end (spaCy's parser and entity recogniser step through a batch token
by token: a batch of 4 documents costs 14 % more per document than one of 32).

Workers are forked from a parent that has already loaded the pipeline, so they start at once and
share the model's memory until they write to it. A worker is replaced after `recycle` chunks, which
bounds whatever memory spaCy accumulates over a long run.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

from .extract import BATCH_SIZE, extract
from .pipeline import shared_pipeline
from .records import Document, Relation

RECYCLE_CHUNKS = 40  # chunks a worker extracts before it is replaced
FINAL_ROUND = (16, 64)  # the documents extracted last: about a sixth of them, within these bounds
FINAL_SHARE = 6

Chunk = list[int]  # indices into the documents


def final_round(count: int) -> int:
    """How many of `count` documents the workers extract last, shared out so that they finish
    together. The store loads them once extraction is over (`graph.build`), so they are few; and
    the load before them overlaps their extraction, so they are not too few."""
    low, high = FINAL_ROUND
    return min(count, max(low, min(high, count // FINAL_SHARE)))


def shares(documents: list[Document], workers: int, size: int = BATCH_SIZE) -> list[list[Chunk]]:
    """For each worker, the chunks it extracts, in order. Every document is in one chunk of at most
    `size`. Characters stand for the work a document takes."""
    weight = [len(d.text) for d in documents]
    load = [0] * workers
    planned: list[list[Chunk]] = [[] for _ in range(workers)]
    body = len(documents) - final_round(len(documents))
    count = min(body, -(-body // (size * workers)) * workers)  # a round of chunks for every worker
    for number in range(count):  # in input order, each to the worker with the least so far
        chunk = list(range(body * number // count, body * (number + 1) // count))
        worker = load.index(min(load))
        planned[worker].append(chunk)
        load[worker] += sum(weight[i] for i in chunk)
    start = body
    order = sorted(range(workers), key=load.__getitem__)  # the lightest first
    for rank, worker in enumerate(order):
        target = (sum(load[w] for w in order[rank:]) + sum(weight[start:])) / (workers - rank)
        end = start
        last = rank == workers - 1
        while end < len(documents) and (last or load[worker] + weight[end] / 2 <= target):
            load[worker] += weight[end]
            end += 1
        planned[worker].extend(list(range(begin, min(end, begin + size))) for begin in range(start, end, size))
        start = end
    return planned


def _extract_batch(batch: list[Document]) -> list[list[Relation]]:
    return [found for _, found in extract(batch, shared_pipeline())]


def _work(chunks: list[tuple[Chunk, list[Document]]], results: Connection, inherited: list[Connection]) -> None:
    """In a worker process: each chunk's relations, sent as soon as they are found. An error is sent
    back to be raised in the parent; an interrupt is the parent's to handle (it stops the workers).
    The parent's ends of the pipes, inherited by a fork, are closed first: if the parent dies, the
    next send fails and the worker ends, instead of waiting for ever for a reader that is itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for end in inherited:
        end.close()
    try:
        for chunk, documents in chunks:
            if not _send(results, (chunk, _extract_batch(documents))):
                return
    except Exception as exc:  # noqa: BLE001 - whatever it is, the parent raises it
        try:
            _send(results, (None, exc))
        except Exception:  # noqa: BLE001 - an error that cannot be pickled
            _send(results, (None, RuntimeError(repr(exc))))
    finally:
        results.close()


def _send(results: Connection, message: object) -> bool:
    """False if the parent is gone."""
    try:
        results.send(message)
    except OSError:
        return False
    return True


class _Team:
    """The worker processes, one per share at a time, and the relations they have sent so far."""

    def __init__(self, context: BaseContext, documents: list[Document], planned: list[list[Chunk]], recycle: int) -> None:
        self.context = context
        self.documents = documents
        self.recycle = recycle
        self.todo = [deque(chunks) for chunks in planned]  # chunks not yet given to a process
        self.running: dict[Connection, tuple[BaseProcess, int, int]] = {}  # process, share, chunks still to come
        self.done: list[BaseProcess] = []
        self.found: dict[int, list[Relation]] = {}
        for share, chunks in enumerate(self.todo):
            if chunks:
                self._start(share)

    def _start(self, share: int) -> None:
        todo = self.todo[share]
        chunks = [todo.popleft() for _ in range(min(self.recycle, len(todo)))]
        receiver, sender = self.context.Pipe(duplex=False)
        work = [(chunk, [self.documents[i] for i in chunk]) for chunk in chunks]
        inherited = [receiver, *self.running] if self.context.get_start_method() == "fork" else []
        process = self.context.Process(target=_work, args=(work, sender, inherited), daemon=True)
        process.start()
        sender.close()
        self.running[receiver] = (process, share, len(chunks))

    def relations(self, index: int) -> list[Relation]:
        while index not in self.found:
            if not self.running:
                raise RuntimeError(f"no extraction worker holds document {index}")
            for receiver in wait(list(self.running)):
                self._receive(receiver)
        return self.found.pop(index)

    def _receive(self, receiver: Connection) -> None:
        process, share, left = self.running[receiver]
        try:
            chunk, found = receiver.recv()
        except EOFError:
            process.join()
            raise RuntimeError(f"an extraction worker stopped before it was done (exit status {process.exitcode})") from None
        if chunk is None:
            raise found
        self.found.update(zip(chunk, found, strict=True))
        if left > 1:
            self.running[receiver] = (process, share, left - 1)
            return
        del self.running[receiver]  # its last chunk: a fresh process takes the rest of the share
        receiver.close()
        self.done.append(process)
        if self.todo[share]:
            self._start(share)

    def close(self) -> None:
        for receiver, (process, _, _) in self.running.items():
            process.terminate()
            receiver.close()
        for process in [*self.done, *(p for p, _, _ in self.running.values())]:
            process.join()


def extract_parallel(documents: Iterable[Document], workers: int, batch_size: int = BATCH_SIZE,
                     recycle: int = RECYCLE_CHUNKS) -> Iterator[tuple[Document, list[Relation]]]:
    """Like `extract`, in input order, with `workers` processes (one: in this process)."""
    documents = list(documents)
    if workers <= 1 or len(documents) <= 1:
        yield from extract(documents, shared_pipeline())
        return
    shared_pipeline()  # loaded once here, inherited by every forked worker
    methods = multiprocessing.get_all_start_methods()
    team = _Team(multiprocessing.get_context("fork" if "fork" in methods else "spawn"), documents,
                 shares(documents, workers, batch_size), recycle)
    try:
        for index, document in enumerate(documents):
            yield document, team.relations(index)
    finally:
        team.close()
