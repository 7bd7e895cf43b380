"""Documents into a store: read, extract, load each document's graph, recompute the derived graph.

The one path from files to a graph, for the CLI and for notebooks and scripts:

>>> from defence_kg.ingest import read_documents
>>> from defence_kg.graph.build import build
>>> from defence_kg.graph.store import GraphStore
>>> with GraphStore("build/demo/store") as store:            # doctest: +SKIP
...     build(read_documents(["examples"]), store)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from defence_kg.ingest import Document, Relation, extract
from defence_kg.ingest.workers import final_round

from .rdf import content_hash, document_iri, extractor_version
from .store import Store


# New documents go to the store in loads of BATCH. Each load adds a file to every index of the
# embedded store, and every second one makes RocksDB merge them into all the data there (Oxigraph
# sets level0_file_num_compaction_trigger=2): fewer loads, less CPU. The documents extracted last
# (`final_round`: the workers' last round, shared so that they finish together) go in a load of
# their own, which nothing overlaps; extracting them must take longer than the load before (with
# two workers about 9 ms a document, against 1.5 ms to load one).
BATCH = 512
FLUSH_EVERY = 500  # replaced documents; the embedded store's write buffers otherwise grow by ~90 MB per 1,000


@dataclass(frozen=True)
class Built:
    documents: int  # read
    extracted: int  # new or changed since the store last saw them (all of them with `rebuild`)
    relations: int  # found in the extracted ones
    changed: frozenset[str] = frozenset()  # the ids of the extracted ones


def build(documents: Iterable[Document], store: Store,
          extracted: Callable[[list[Document]], Iterator[tuple[Document, list[Relation]]]] | None = None,
          rebuild: bool = False, loaded: Callable[[], object] | None = None) -> Built:
    """Every document is read (and so checked) before the store is touched. A document the store
    already holds with the same text, read by the same extractor version, is left as it is; a new
    or changed one is extracted and its graph replaced in one update; then the derived graph is
    recomputed (also when an earlier build was stopped before it could be). `rebuild` drops every
    document graph first. `extracted` lets a caller wrap the extraction (the CLI adds its progress
    bar); `loaded` is called once every document graph is in the store, before the derived graph is
    recomputed (the CLI starts reading its views of the documents then)."""
    documents = list(documents)
    if rebuild:
        store.drop_documents()
    known = store.fingerprints()
    held = {str(name) for name in store.documents()}  # graphs to drop before their document is loaded again
    version = extractor_version()
    todo = [d for d in documents if known.get(str(document_iri(d.id))) != (content_hash(d.text), version)]
    pending = store.pending()  # a load stopped before its derivation: finish it
    if todo:
        store.mark_pending()
    relations = 0
    with _Writer(store, len(todo), first=store.put_vocabulary) as writer:
        for document, found in (extracted or extract)(todo):
            name = str(document_iri(document.id))
            writer.put(document, found, new=name not in held)
            held.add(name)  # the same id twice in one input: the second replaces the first
            relations += len(found)
    if loaded:
        loaded()
    if todo or rebuild or pending:
        store.derive()
    return Built(len(documents), len(todo), relations, frozenset(d.id for d in todo))


class _Writer:
    """Loads documents into the store from a thread of its own, in order, while the next ones are
    extracted: Oxigraph and HTTP release the GIL, so the writes overlap the parsing. Documents new
    to the store go in batches (`Store.add_documents`) of `BATCH`, the last few of the `expected`
    documents (`final_round`) in one of their own; one the store holds is replaced alone
    (`Store.put_document`), after the batch before it. `first` is written before them, once the
    first document is out, so that it does not hold back the start of extraction (the workers'
    forks, or the first batch in this process). At most `AHEAD` writes wait; a failed write stops
    the build with its error."""

    AHEAD = 4

    def __init__(self, store: Store, expected: int, first: Callable[[], None] | None = None) -> None:
        self.store = store
        self.first = first
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="defence-kg-writer")
        self.waiting: deque[Future] = deque()
        self.batch: list[tuple[Document, list[Relation]]] = []
        self.left = expected  # documents still to be put, as far as the caller knows
        self.size = BATCH
        self.last = final_round(expected)  # the size of the last load
        self.replaced = 0

    def put(self, document: Document, relations: list[Relation], new: bool = False) -> None:
        self._send_first()
        if new:
            if not self.batch:
                self.size = self._next_size()
            self.batch.append((document, relations))
            if len(self.batch) >= self.size:
                self._send_batch()
        else:
            self._send_batch()
            self.replaced += 1
            self.submit(self._replace, document, relations, self.replaced % FLUSH_EVERY == 0)
        self.left -= 1

    def _next_size(self) -> int:
        if self.left > BATCH + self.last:
            return BATCH
        if self.left >= 2 * self.last:  # the last two loads: the second one small
            return self.left - self.last
        return self.left

    def _send_first(self) -> None:
        if self.first:
            self.submit(self.first)
            self.first = None

    def _send_batch(self) -> None:
        if self.batch:
            self.submit(self.store.add_documents, self.batch)
            self.batch = []

    def _replace(self, document: Document, relations: list[Relation], flush: bool) -> None:
        self.store.put_document(document, relations)
        if flush:
            self.store.flush()

    def submit(self, write: Callable[..., None], *args: object) -> None:
        self.waiting.append(self.pool.submit(write, *args))
        while len(self.waiting) > self.AHEAD or (self.waiting and self.waiting[0].done()):
            self.waiting.popleft().result()

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._send_first()
            self._send_batch()  # what was extracted is kept, also when extraction stopped with an error
            while self.waiting:
                self.waiting.popleft().result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
